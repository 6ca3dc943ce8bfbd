#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# DPDK's own conformance suite: dpdk-test dmadev_autotest with the idxp
# plugin loaded. Every section must run on dma_idxp0 (copy, burst capacity,
# error handling, fill): a skipped section is a failure. With IDXP_IOVA=pa
# the EAL runs IOVA as PA, where DPDK itself skips the error-handling
# section (it needs invalid addresses that only VA mode can name); that one
# skip is expected there and nothing else.
# Usage: run-autotest.sh BUILD_DIR [devargs]
set -uo pipefail
BUILD=$(cd "${1:?usage: run-autotest.sh BUILD_DIR [devargs]}" && pwd)
DEVARGS=${2:-}
. "$(dirname "$0")/lib.sh"

command -v dpdk-test >/dev/null || { echo "dpdk-test missing: apt-get install dpdk"; exit 1; }
plugin=$(idxp_plugin)
vdev="dma_idxp0${DEVARGS:+,$DEVARGS}"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# shellcheck disable=SC2046
iova=$(idxp_iova)
echo dmadev_autotest | timeout 600 dpdk-test -l 0 --no-pci --iova-mode="$iova" \
	$(idxp_eal_mem) -d "$plugin" --vdev="$vdev" 2>&1 |
	tr '\r' '\n' | grep -v '^Ops submitted' >"$log"
rc=${PIPESTATUS[1]}
cat "$log"
fail=0
sect=$(awk '/Test dmadev instance .*dma_idxp0/ {on=1; next} /### Test dmadev instance/ {on=0} on' "$log")
sections=("copy" "burst capacity" "error handling" "fill")
pa_skip="DPDK not in VA mode, skipping error handling tests"
if [ "$iova" = pa ]; then
	grep -q "Selected IOVA mode 'PA'" "$log" || {
		echo "FAIL: asked for IOVA as PA, the EAL did not select it"; fail=1; }
	sections=("copy" "burst capacity" "fill")
	grep -q "$pa_skip" <<<"$sect" || {
		echo "FAIL: PA mode, but the error-handling section did not say why it skipped"
		fail=1; }
	sect=$(grep -v "$pa_skip" <<<"$sect")
fi
for s in "${sections[@]}"; do
	if ! grep -q "Running $s Tests" <<<"$sect"; then
		echo "FAIL: section '$s' did not run on $vdev"
		fail=1
	fi
done
if grep -qi "skipping" <<<"$sect"; then
	echo "FAIL: a section was skipped on $vdev"
	fail=1
fi
grep -q "^Test OK" "$log" || { echo "FAIL: dmadev_autotest did not report Test OK (rc $rc)"; fail=1; }
[ $fail -eq 0 ] && echo "PASS: dmadev_autotest on $vdev (IOVA as ${iova^^}), all sections ran"
exit $fail
