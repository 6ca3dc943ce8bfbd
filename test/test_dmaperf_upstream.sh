#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Upstream's own app/test-dma-perf/config.ini of DPDK 23.11, 24.11 and
# 25.11 must run with only device names, lcores, memory sizes and
# test_seconds changed (and NUMA node 1, on a machine without one) for
# dma_idxp and dma_skeleton on a 2-core machine. The files come from the
# DPDK source releases of the shared directory ($IDXP_SHARED, the repo's
# ../shared, or /work/shared); without them the test is skipped (exit 77).
# Runs in PA mode (what the EAL picks as root) and, for 24.11, in VA mode
# with dma_skeleton.
# Usage: test_dmaperf_upstream.sh BUILD_DIR
set -uo pipefail
BUILD=$(cd "${1:?usage: test_dmaperf_upstream.sh BUILD_DIR}" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$(dirname "$0")/lib.sh"

shared=$(idxp_shared)
if [ -z "$shared" ]; then
	echo "SKIP: no dpdk/dpdk-<ver>.tar.xz in \$IDXP_SHARED, $ROOT/../shared or /work/shared"
	exit 77
fi
# Upstream's eal_args say --in-memory, which needs hugepages.
if [ "$(idxp_eal_mem)" != "--in-memory" ]; then
	echo "SKIP: upstream's configs ask for --in-memory, and this machine has no free hugepages"
	exit 77
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail=0
one_node=$([ -d /sys/devices/system/node/node1 ] || echo 1)

# Upstream lcores 3, 4 and 9-12 become 0 and 1, 10 MB becomes 2 and 2 s
# 0.2 s. Its devices become dma_idxp0, dma_idxp1, ...; with SKEL=1 the
# second one is dma_skeleton, but not in scatter-gather cases (it has no
# copy_sg). dma_skeleton needs IOVA as VA.
rewrite() {
	awk -v one_node="$one_node" -v skel="$2" '
	NR == FNR { if (/^\[/) s = $0; if (/^dma_src_sge/) sg[s] = 1; next }
	/^\[/ { s = $0 }
	function dev(n) { return n == 1 && skel && !sg[s] ? "dma_skeleton" : "dma_idxp" n }
	/^lcore_dma[0-9]+=/ {
		n = substr($0, 10, index($0, "=") - 10)
		sub(/lcore=[0-9]+/, "lcore=" (n % 2)); sub(/dev=[^,]+/, "dev=" dev(n))
	}
	/^lcore_dma=/ { $0 = "lcore_dma=lcore0@" dev(0) ", lcore1@" dev(1) }
	/^lcore *=/ { $0 = "lcore = 0, 1" }
	/^mem_size=/ { $0 = "mem_size=2" }
	/^test_seconds=/ { $0 = "test_seconds=0.2" }
	/^eal_args=/ { sub(/-l [0-9-]+/, "-l 0-1") }
	/^(src|dst)_numa_node=1$/ && one_node { sub(/1$/, "0") }
	{ print }' "$1" "$1"
}

# run NAME VER FORMAT ROWS MODE [options]: the rewritten file of DPDK VER
# must read as FORMAT and give ROWS table rows, all verified, in IOVA MODE.
run() {
	local name=$1 ver=$2 format=$3 rows=$4 mode=$5 log
	shift 5
	log=$out/$name.log
	if ! tar -xJOf "$shared/dpdk/dpdk-$ver.tar.xz" "dpdk-$ver/app/test-dma-perf/config.ini" \
			>"$out/$ver.orig.ini"; then
		echo "FAIL: $name: no app/test-dma-perf/config.ini in dpdk-$ver.tar.xz"
		fail=1
		return
	fi
	rewrite "$out/$ver.orig.ini" "$([ "$mode" = VA ] && echo 1)" >"$out/$name.ini"
	timeout 300 "$BUILD/app/idxp-dma-perf" --config "$out/$name.ini" \
		--csv "$out/$name.csv" --log-level=lib.eal:info "$@" >"$log" 2>&1
	local rc=$? n ok
	n=$(grep -cE "^case[0-9]+ +[0-9]+/[0-9]+ " "$log")
	ok=$(grep -E "^case[0-9]+ +[0-9]+/[0-9]+ " "$log" | grep -c " ok$")
	if [ $rc -ne 0 ] || [ "$n" -ne "$rows" ] || [ "$ok" -ne "$rows" ] ||
			! grep -q "DPDK $format format" "$log" ||
			! grep -q "Selected IOVA mode '$mode'" "$log"; then
		echo "FAIL: $name: exit $rc, $n rows ($ok verified) of $rows, format $format, IOVA $mode:"
		diff "$out/$ver.orig.ini" "$out/$name.ini" | grep '^[<>]'
		cat "$log"
		fail=1
		return
	fi
	echo "PASS: $name: DPDK $ver's config.ini as DPDK $format, $rows runs verified, IOVA $mode"
}

# The EAL picks IOVA as PA only for root (physical addresses); run as
# another user, those runs are in VA mode and say so.
PA=PA
if [ "$(id -u)" -ne 0 ]; then
	PA=VA
	echo "note: not root: the runs meant for IOVA as PA run as VA"
fi
# 23.11: a 2-lcore DMA case and a 2-lcore CPU case, 8 buffer sizes each.
run dpdk-23.11 23.11 23.07/23.11 16 $PA --repeat 1
# 24.11: plain and scatter-gather DMA, CPU; case3 (mem2dev, dev2mem) is skip=1.
run dpdk-24.11 24.11 24.03-24.11 24 $PA --repeat 1
run dpdk-24.11-va 24.11 24.03-24.11 24 VA --repeat 1 --iova-mode=va
# 25.11: the same cases under a [GLOBAL] section.
run dpdk-25.11 25.11 25.11 24 $PA --repeat 1
grep -q "4/1" "$out/dpdk-24.11.log" || { echo "FAIL: no scatter-gather (4/1) rows for 24.11"; fail=1; }
grep -q "dma_idxp0+dma_skeleton" "$out/dpdk-24.11-va.log" ||
	{ echo "FAIL: no dma_skeleton beside dma_idxp0 in the VA run"; fail=1; }
exit $fail
