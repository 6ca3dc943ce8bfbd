#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# DPDK's own DMA benchmark, unmodified, as a client idxp did not write:
# app/test-dma-perf of the 23.11 release, built against the installed
# DPDK (it needs nothing newer), runs ladders of buffer sizes in one
# process. Between sizes it frees its mbuf pools and makes new ones (fresh
# hugepages), stops the device with ops in flight, and polls only with
# rte_dma_completed(): a lost or misdirected completion stalls it for good.
# Every scenario must finish, in the IOVA mode of the run (IDXP_IOVA).
# (64 KB is left out: 23.11's mbuf data room is 16 bits, so 64 KB + the
# headroom wraps to 128-byte buffers and its copies overrun them.)
# Usage: test_upstream_client.sh BUILD_DIR
set -uo pipefail
BUILD=$(cd "${1:?usage: test_upstream_client.sh BUILD_DIR}" && pwd)
. "$(dirname "$0")/lib.sh"

shared=$(idxp_shared)
[ -n "$shared" ] || { echo "SKIP: no DPDK source releases (see idxp_shared in lib.sh)"; exit 77; }
[ "$(idxp_eal_mem)" = "--in-memory" ] || {
	echo "SKIP: the benchmark's pools need hugepages"; exit 77; }
iova=$(idxp_iova)
plugin=$(idxp_plugin)
work=$BUILD/upstream-dma-perf
bin=$work/dpdk-test-dma-perf
mkdir -p "$work"
if [ ! -x "$bin" ] || [ "$shared/dpdk/dpdk-23.11.tar.xz" -nt "$bin" ]; then
	tar -xf "$shared/dpdk/dpdk-23.11.tar.xz" -C "$work" --strip-components=3 \
		dpdk-23.11/app/test-dma-perf/main.c dpdk-23.11/app/test-dma-perf/main.h \
		dpdk-23.11/app/test-dma-perf/benchmark.c || { echo "FAIL: extract"; exit 1; }
	# shellcheck disable=SC2046
	cc -O2 -DALLOW_EXPERIMENTAL_API -o "$bin" "$work/main.c" "$work/benchmark.c" \
		$(pkg-config --cflags --libs libdpdk) || { echo "FAIL: build"; exit 1; }
fi

fail=0
run() {	# name sizes scenarios
	local ini=$work/$1-$iova.ini log=$work/$1-$iova.log n
	cat >"$ini" <<INI
[case1]
type=DMA_MEM_COPY
mem_size=10
buf_size=$2
dma_ring_size=1024
kick_batch=32
src_numa_node=0
dst_numa_node=0
cache_flush=0
test_seconds=1
lcore_dma=lcore1@dma_idxp0
eal_args=--in-memory -l 0,1 --no-pci --iova-mode=$iova -d $plugin --vdev=dma_idxp0,core=0
INI
	# Without MALLOC_PERTURB_ (meson sets it): 23.11 keeps eal_args as a
	# pointer into the config it has closed, and perturbed freed memory
	# would lose them.
	(cd "$work" && env -u MALLOC_PERTURB_ timeout -k 5 90 "$bin" --config "$ini" \
		>"$log" 2>&1)
	local rc=$?
	n=$(grep -c "Total MOps" "$log")
	if [ $rc -ne 0 ] || [ "$n" -ne "$3" ] || ! grep -q "Case 1 completed" "$log"; then
		echo "FAIL: $1 (IOVA as ${iova^^}): rc $rc, $n of $3 scenarios finished"
		tail -20 "$log"
		fail=1
		return
	fi
	echo "ok: $1 (IOVA as ${iova^^}): $3 scenarios: $(grep -o 'Total MOps: [0-9.]*' "$log" | tr '\n' ' ')"
}
run small "64,1024,4,MUL" 3
run large "4096,32768,2,MUL" 4
[ $fail -eq 0 ] && echo "PASS: DPDK 23.11 test-dma-perf finished every scenario on dma_idxp0 (IOVA as ${iova^^})"
exit $fail
