#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Smoke test of the interrupt-mode tools: idxp-intr-bench --quick must
# finish and print its three tables; idxp-power-copy must verify its copies
# through busy, trickle and idle phases and exit 0.
# Usage: test_intr_tools.sh BUILD_DIR
set -uo pipefail
BUILD=$(cd "${1:?usage: test_intr_tools.sh BUILD_DIR}" && pwd)
. "$(dirname "$0")/lib.sh"
fail=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# shellcheck disable=SC2046
timeout 120 "$BUILD/app/idxp-intr-bench" -l 0 --no-pci $(idxp_eal_mem) -- --quick >"$log" 2>&1
rc=$?
cat "$log"
[ $rc -eq 0 ] || { echo "FAIL: idxp-intr-bench exited $rc"; fail=1; }
for w in "p50" "cost"; do
	grep -qi "$w" "$log" || { echo "FAIL: intr-bench printed no '$w'"; fail=1; }
done

# shellcheck disable=SC2046
timeout 60 "$BUILD/app/idxp-power-copy" -l 0 --no-pci $(idxp_eal_mem) \
	--vdev=dma_idxp0,core=1 -- --seconds 8 >"$log" 2>&1
rc=$?
cat "$log"
[ $rc -eq 0 ] || { echo "FAIL: idxp-power-copy exited $rc"; fail=1; }
grep -Eq "verified, 0 bad" "$log" || { echo "FAIL: power-copy did not verify all copies"; fail=1; }
[ $fail -eq 0 ] && echo "PASS: interrupt-mode tools ran and verified their copies"
exit $fail
