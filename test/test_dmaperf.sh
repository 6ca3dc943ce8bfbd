#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Smoke test of the benchmark: config/dma-perf-quick.ini runs idxp,
# dma_skeleton and CPU memcpy; every run must verify its data and the CSV
# must hold a summary row for each of the three.
# Usage: test_dmaperf.sh BUILD_DIR
set -uo pipefail
BUILD=$(cd "${1:?usage: test_dmaperf.sh BUILD_DIR}" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$(dirname "$0")/lib.sh"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# shellcheck disable=SC2046
timeout 300 "$BUILD/app/idxp-dma-perf" --config "$ROOT/config/dma-perf-quick.ini" \
	--csv "$out/r.csv" $(idxp_eal_mem) >"$out/log" 2>&1
rc=$?
cat "$out/log"
fail=0
[ $rc -eq 0 ] || { echo "FAIL: idxp-dma-perf exited $rc"; fail=1; }
for dev in dma_idxp0 dma_skeleton cpu; do
	n=$(grep -c ",$dev," "$out/r.csv" 2>/dev/null)
	[ "${n:-0}" -ge 3 ] || { echo "FAIL: CSV has ${n:-0} rows for $dev"; fail=1; }
done
grep -q "idxp/skel" "$out/log" || { echo "FAIL: no side-by-side table"; fail=1; }
if grep -E "^case[0-9]+ +[0-9]+/" "$out/log" | grep -vq " ok$"; then
	echo "FAIL: a run did not verify its data"; fail=1
fi
[ $fail -eq 0 ] && echo "PASS: benchmark smoke run, data verified, CSV complete"
exit $fail
