#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# DPDK's own conformance suite: dmadev_autotest of the DPDK in use (22.11,
# 23.11, 24.11 or 25.11), with the idxp plugin loaded. Every case that
# applies to dma_idxp0 must run and pass. Which apply follows from the
# capabilities the device reports (read back with idxp-cli's dump), the
# IOVA mode and the table below: a skipped case that applies is a failure.
#
# Usage: run-autotest.sh BUILD_DIR [devargs] [va|pa]
# Environment (set by test/meson.build): IDXP_DPDK_TEST, the dpdk-test to
# run (default: dpdk-test on PATH); IDXP_DPDK_VERSION, its release;
# IDXP_PCI_DEV=<BDF>: a DSA device bound to vfio-pci instead of the
# software device (test_dsa_hw.sh).
set -uo pipefail
BUILD=$(cd "${1:?usage: run-autotest.sh BUILD_DIR [devargs] [va|pa]}" && pwd)
DEVARGS=${2:-}
MODE=${3:-va}
. "$(dirname "$0")/lib.sh"

DPDK_TEST=${IDXP_DPDK_TEST:-dpdk-test}
VERSION=${IDXP_DPDK_VERSION:-$(pkg-config --modversion libdpdk 2>/dev/null)}
command -v "$DPDK_TEST" >/dev/null || { echo "$DPDK_TEST missing: apt-get install dpdk"; exit 1; }
case "$MODE" in va|pa) ;; *) echo "mode $MODE: expected va or pa"; exit 1 ;; esac
# The software device with direct portals: the fast path's own MOVDIR64B
# stores, as to a real DSA, which needs a CPU that has the instruction.
if [[ ",$DEVARGS," == *",portal=movdir64b,"* ]] && ! grep -qw movdir64b /proc/cpuinfo; then
	echo "SKIP: this CPU has no MOVDIR64B, so portal=movdir64b cannot run (the call portal covers the rest)"
	exit 77
fi
ver_num() { local v=${1%%-*}; echo $((10#${v%%.*} * 100 + 10#$(cut -d. -f2 <<<"$v"))); }
read -r -a mem <<<"$(idxp_eal_mem)"
if [ "$MODE" = pa ]; then
	idxp_need_pa
	# 24.11 runs its infrastructure suite on every device, and two of its
	# cases pass virtual addresses as IOVAs (25.11 fixed them). They fail
	# in PA mode whatever the device, and then the instance suite never runs.
	if [ "$(ver_num "$VERSION")" -eq 2411 ]; then
		echo "SKIP: DPDK 24.11's dmadev_autotest cannot pass in PA mode on any device (test 'pa' covers PA)"
		exit 77
	fi
	# 25.11's dma_enq_deq case writes through IOVAs as if they were
	# pointers, which holds in VA mode only: the PA run leaves the ops API out.
	DEVARGS=${DEVARGS:+$DEVARGS,}enq_deq=0
fi

# Cases and when they apply to dma_idxp0: "-" always, a release number
# from that release on, va in VA mode, vchans2 with 2+ vchans, any other
# word a capability. A case that does not apply may be skipped. Every
# other case must succeed, the ones this table does not know too.
#   old:  22.11, 23.11: "DMA Dev N: Running <case> Tests", spaces as _
#   api:  24.11 on: the infrastructure suite, now run on every device
#   inst: 24.11 on: the instance suite, " + TestCase [ N] : <case> <status>"
CASES='
old  copy                  -
old  stop-start            23.11
old  burst_capacity        -
old  error_handling        va handles_errors
old  fill                  fill
old  m2d_auto_free         m2d_auto_free
api  test_dma_reconfigure  vchans2
api  test_dma_sg           copy_sg
api  test_dma_ops_enq_deq  enq_deq
inst copy                  -
inst sg_copy               copy_sg
inst stop_start            -
inst burst_capacity        -
inst error_handling        va handles_errors
inst fill                  fill
inst m2d_autofree          m2d_auto_free
inst sva_copy              sva
inst dma_enq_deq           enq_deq
'
# Bits of rte_dma_info.dev_capa (stable across releases).
declare -A CAPA_BIT=([sva]=4 [handles_errors]=6 [m2d_auto_free]=7
	[copy]=32 [copy_sg]=33 [fill]=34 [enq_deq]=35)

if [ -n "${IDXP_PCI_DEV:-}" ]; then
	name=$IDXP_PCI_DEV
	vdev="$name${DEVARGS:+,$DEVARGS}"
	devopt=(-a "$vdev")
	eal=(-l 0 --iova-mode="$MODE")
else
	name=dma_idxp0
	vdev="$name${DEVARGS:+,$DEVARGS}"
	devopt=(--vdev="$vdev")
	eal=(-l 0 --no-pci --iova-mode="$MODE")
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A kernel work queue (wq=): the fake idxd tree, unless IDXP_KWQ_ROOT is
# set (empty: the real /sys and /dev, on a machine with a DSA).
if [[ ",$DEVARGS," == *",wq="* ]] && [ -z "${IDXP_KWQ_ROOT+x}" ]; then
	bash "$(dirname "$0")/kwq_tree.sh" "$work/kwq"
	export IDXP_KWQ_ROOT=$work/kwq
fi

# ---- what the device says it can do ----
echo "dump $name" >"$work/cmds"
"$BUILD/app/idxp-cli" "${eal[@]}" "${mem[@]}" "${devopt[@]}" -- \
	--cmdline-file "$work/cmds" >"$work/dump" 2>&1
capa=$(sed -n 's/.*dev_capa: \(0x[0-9a-f]*\).*/\1/p' "$work/dump")
max_vchans=$(sed -n 's/.*max_vchans_supported: \([0-9]*\).*/\1/p' "$work/dump")
if [ -z "$capa" ] || [ -z "$max_vchans" ]; then
	cat "$work/dump"
	echo "FAIL: no capabilities from idxp-cli's dump of $vdev"
	exit 1
fi

applies() {
	local c
	for c in "$@"; do
		case "$c" in
		-) ;;
		va) [ "$MODE" = va ] || return 1 ;;
		vchans2) [ "$max_vchans" -ge 2 ] || return 1 ;;
		[0-9]*) [ "$(ver_num "$VERSION")" -ge "$(ver_num "$c")" ] || return 1 ;;
		*) (( (capa >> ${CAPA_BIT[$c]:?unknown condition $c}) & 1 )) || return 1 ;;
		esac
	done
}

# ---- the run ----
echo dmadev_autotest | timeout 1100 "$DPDK_TEST" "${eal[@]}" "${mem[@]}" \
	-d "$(idxp_plugin)" "${devopt[@]}" 2>&1 |
	tr '\r' '\n' | grep -Ev '^(Ops submitted|Enqueued [0-9])' >"$work/log"
rc=${PIPESTATUS[1]}
cat "$work/log"

# "<suite> <case> <status>" for each case run on dma_idxp0; the old
# format has no status (a failed case fails the whole test).
awk -v name="[$name]" '
	/^### / { blk = ""; if (index($0, name)) blk = ($0 ~ /infrastructure/) ? "api" : "inst"; next }
	blk != "" && /: Running .* Tests/ {
		s = $0; sub(/.*: Running /, "", s); sub(/ Tests.*/, "", s); gsub(/ /, "_", s)
		print "old", s, "ran"
	}
	blk != "" && /^ \+ TestCase \[/ { print blk, $(NF - 1), $NF }
' "$work/log" >"$work/cases"

fail=0
bad() { echo "FAIL: $*"; fail=1; }
got() { awk -v b="$1" -v c="$2" '$1 == b && $2 == c { print $3 }' "$work/cases"; }
if grep -q '^api\|^inst' "$work/cases"; then
	for b in api inst; do
		grep -q "^$b " "$work/cases" || bad "no $b cases found for $vdev"
	done
	while read -r b c st; do
		[ "$b" = old ] && continue
		read -r -a cond <<<"$(awk -v b="$b" -v c="$c" '$1 == b && $2 == c { $1 = $2 = ""; print }' <<<"$CASES")"
		case "$st" in
		succeeded) echo "ok: $b/$c" ;;
		skipped)
			if [ ${#cond[@]} -gt 0 ] && ! applies "${cond[@]}"; then
				echo "ok: $b/$c skipped (does not apply: ${cond[*]})"
			else
				bad "$b/$c skipped on $vdev"
			fi ;;
		*) bad "$b/$c $st on $vdev" ;;
		esac
	done <"$work/cases"
	while read -r b c cond; do
		case "$b" in api|inst) ;; *) continue ;; esac
		[ "$cond" = - ] && [ -z "$(got "$b" "$c")" ] && bad "$b/$c did not run on $vdev"
	done <<<"$CASES"
else
	while read -r b c cond; do
		[ "$b" = old ] || continue
		# shellcheck disable=SC2086
		applies $cond || continue
		if [ -n "$(got old "$c")" ]; then echo "ok: $c"; else bad "$c did not run on $vdev"; fi
	done <<<"$CASES"
fi
grep -q "^Test OK" "$work/log" || bad "dmadev_autotest did not report Test OK (rc $rc)"
[ $fail -eq 0 ] && echo "PASS: DPDK $VERSION dmadev_autotest on $vdev ($MODE), every case that applies ran"
exit $fail
