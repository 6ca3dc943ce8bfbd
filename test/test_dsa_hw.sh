#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# idxp on real Intel DSA devices bound to vfio-pci: for each one,
# dmadev_autotest with the device given by -a (DPDK's dma_idxd loaded
# from the plugin directory too, so the claim order is tested as users
# meet it), then the hand-over: with dma_idxd's devarg idxp must leave the
# device alone. Skips, saying why, where no DSA is bound to vfio-pci.
#
# Usage: test_dsa_hw.sh BUILD_DIR
set -uo pipefail
BUILD=$(cd "${1:?usage: test_dsa_hw.sh BUILD_DIR}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
IDS="0x0b25 0x11fb 0x1212"

bound=() other=()
for d in /sys/bus/pci/devices/*; do
	[ "$(cat "$d/vendor" 2>/dev/null)" = 0x8086 ] || continue
	case " $IDS " in *" $(cat "$d/device") "*) ;; *) continue ;; esac
	drv=$(basename "$(readlink "$d/driver" 2>/dev/null)" 2>/dev/null)
	if [ "$drv" = vfio-pci ]; then
		bound+=("$(basename "$d")")
	else
		other+=("$(basename "$d") (${drv:-no driver})")
	fi
done
if [ ${#bound[@]} -eq 0 ]; then
	if [ ${#other[@]} -eq 0 ]; then
		echo "SKIP: no Intel DSA device (8086:0b25, 11fb, 1212) on this machine"
	else
		echo "SKIP: no DSA device bound to vfio-pci; found ${other[*]}."
		echo "      bind one to run this test: dpdk-devbind.py -b vfio-pci <BDF>"
	fi
	exit 77
fi
grep -qw movdir64b /proc/cpuinfo || {
	echo "FAIL: DSA devices ${bound[*]} but a CPU without MOVDIR64B"
	exit 1
}

fail=0
for bdf in "${bound[@]}"; do
	echo "== $bdf: dmadev_autotest"
	IDXP_PCI_DEV=$bdf bash "$HERE/run-autotest.sh" "$BUILD" vchans=2 va || fail=1
	echo "== $bdf: max_queues= leaves it to dma_idxd"
	log=$(echo quit | timeout 120 "${IDXP_DPDK_TEST:-dpdk-test}" -l 0 \
		$(idxp_eal_mem) -d "$(idxp_plugin)" -a "$bdf,max_queues=1" 2>&1)
	if grep -q "left to dma_idxd" <<<"$log"; then
		echo "ok: idxp declined $bdf"
	else
		echo "$log" | tail -20
		echo "FAIL: idxp did not decline $bdf with max_queues="
		fail=1
	fi
done
[ $fail -eq 0 ] && echo "PASS: idxp on ${bound[*]}"
exit $fail
