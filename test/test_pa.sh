#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# IOVA as PA: copies and fills through idxp-cli with every op verified, so
# each release gets a PA run even where its own dmadev_autotest cannot run
# in PA mode (24.11's). Skipped without hugepages or root.
# Usage: test_pa.sh BUILD_DIR
set -uo pipefail
BUILD=$(cd "${1:?usage: test_pa.sh BUILD_DIR}" && pwd)
. "$(dirname "$0")/lib.sh"

idxp_need_pa
read -r -a mem <<<"$(idxp_eal_mem)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%s\n' \
	"configure dma_idxp0 2" \
	"vchan setup dma_idxp0 0 1024" \
	"vchan setup dma_idxp0 1 64" \
	"start dma_idxp0" \
	"run copy dma_idxp0 0 size 4K count 20000 burst 32 verify on" \
	"run copy dma_idxp0 1 size 64K count 2000 burst 8 verify on" \
	"run fill dma_idxp0 0 size 4K count 20000 burst 32 verify on" \
	"dump dma_idxp0" >"$work/cmds"
"$BUILD/app/idxp-cli" -l 0 --no-pci --iova-mode=pa "${mem[@]}" --vdev=dma_idxp0 -- \
	--cmdline-file "$work/cmds" >"$work/out" 2>&1
rc=$?
tr '\r' '\n' <"$work/out"
fail=0
grep -q "Selected IOVA mode 'PA'" "$work/out" || { echo "FAIL: EAL did not select PA"; fail=1; }
[ "$(grep -cE 'verify failed +0$' "$work/out")" -eq 3 ] ||
	{ echo "FAIL: not every run verified every op"; fail=1; }
[ $rc -eq 0 ] || { echo "FAIL: idxp-cli exited $rc"; fail=1; }
[ $fail -eq 0 ] && echo "PASS: copies and fills verified with IOVA as PA"
exit $fail
