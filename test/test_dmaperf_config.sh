#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# idxp-dma-perf's configuration errors: each bad key or value is reported
# with the file, its line, the section and the key, all of them in one go,
# and the program exits 1 before running anything. Also mem_size=llc*N.
# Needs no EAL: --check only reads the file.
# Usage: test_dmaperf_config.sh BUILD_DIR
set -uo pipefail
BUILD=$(cd "${1:?usage: test_dmaperf_config.sh BUILD_DIR}" && pwd)
bin=$BUILD/app/idxp-dma-perf
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0

# A 24.x DMA case up to its lcore_dma0 (lines 1-8), then the test's lines.
dma24() {
	printf '%s\n' "[case1]" "type=DMA_MEM_COPY" "mem_size=4" "buf_size=64" \
		"dma_ring_size=1024" "kick_batch=32" "test_seconds=0.1" \
		"lcore_dma0=lcore=0,dev=dma_idxp0,dir=mem2mem" "$@"
}

# expect NAME STATUS TEXT...: the file $dir/NAME.ini gives exit STATUS and
# every TEXT on stderr.
expect() {
	local name=$1 want=$2 rc t ok=1
	shift 2
	"$bin" --config "$dir/$name.ini" --check >"$dir/$name.out" 2>"$dir/$name.err"
	rc=$?
	[ "$rc" -eq "$want" ] || ok=0
	for t in "$@"; do
		grep -qF -- "$t" "$dir/$name.err" || { ok=0; echo "  missing: $t"; }
	done
	if [ $ok -eq 1 ]; then
		echo "PASS: $name"
	else
		echo "FAIL: $name: exit $rc (want $want); stderr:"
		cat "$dir/$name.err"
		fail=1
	fi
}

dma24 "frobnicate=1" >"$dir/unknown.ini"
expect unknown 1 "unknown.ini:9: [case1] frobnicate: unknown key" "1 error, nothing ran"

dma24 "lcore_dma=lcore1@dma_skeleton" "skip=0" >"$dir/gen24in23.ini"
expect gen24in23 1 "gen24in23.ini:8: [case1] lcore_dma0: not a key of DPDK 23.07/23.11, which this file reads as (lcore_dma at line 9); it is DPDK 24.03 to 25.11's" \
	"gen24in23.ini:10: [case1] skip: not a key of DPDK 23.07/23.11"

{ printf '%s\n' "[GLOBAL]" "eal_args=-l 0" "test_seconds=1"; dma24 "use_enq_deq_ops=1" "test_seconds=3"; } |
	sed 's/^test_seconds=0.1$/cache_flush=0/' >"$dir/gen25.ini"
expect gen25 1 "gen25.ini:10: [case1] cache_flush: in DPDK 25.11 this key goes in [GLOBAL], not in a case" \
	"gen25.ini:12: [case1] use_enq_deq_ops: 1 needs DPDK 25.11's rte_dma_enqueue_ops(); this build has DPDK 22.11" \
	"gen25.ini:13: [case1] test_seconds: in DPDK 25.11 this key goes in [GLOBAL]" "3 errors, nothing ran"

dma24 "use_enq_deq_ops=0" >"$dir/gen25in24.ini"
expect gen25in24 1 "gen25in24.ini:9: [case1] use_enq_deq_ops: not a key of DPDK 24.03-24.11, which this file reads as (no [GLOBAL], no lcore_dma=); it is DPDK 25.11's"

dma24 "buf_size=128" "lcore_dma2=lcore=1,dev=dma_idxp1" "lcore_dma1=lcore=2,dev=x,dir=dev2mem" \
	"lcore_dma3=lcore=3,dev=y,foo=1" "mem_size=lots" "src_numa_node=-1" >"$dir/values.ini"
expect values 1 "values.ini:9: [case1] buf_size: repeated (first at line 4)" \
	"values.ini:11: [case1] lcore_dma1: dir=dev2mem: idxp-dma-perf runs mem2mem only" \
	"values.ini:12: [case1] lcore_dma3: 'foo' is none of: lcore coreid pfid vfid dev dir raddr" \
	"values.ini:13: [case1] mem_size: repeated (first at line 3)" \
	"values.ini:14: [case1] src_numa_node: NUMA node '-1' is not a number" "5 errors, nothing ran"

dma24 "lcore_dma2=lcore=1,dev=dma_idxp1" "buf_size=64,8192,2,MUL" | sed '/^buf_size=64$/d' \
	>"$dir/gap.ini"
expect gap 1 "gap.ini:1: [case1] lcore_dma1: missing (upstream reads lcore_dma0, 1, ... up to the first gap)"

dma24 | sed 's/^dma_ring_size=1024$/dma_ring_size=1000/; s/^kick_batch=32$/kick_batch=1,8,2,MUL/; s/^buf_size=64$/buf_size=64,4096,2,MUL/' \
	>"$dir/vary.ini"
expect vary 1 "vary.ini:6: [case1] kick_batch: only one variable may vary per case; buf_size varies too"

dma24 | sed 's/^dma_ring_size=1024$/dma_ring_size=1000/' >"$dir/ring.ini"
expect ring 1 "ring.ini:5: [case1] dma_ring_size: 1000 is not a power of two"

printf '%s\n' "[case1]" "mem_size=4" "buf_size=x,1,1,MUL" "kick=1" "[case2]" "skip=1" \
	"[case2]" "type=CPU_MEM_COPY" "[case3]" "skip=1" "frob=2" "[other]" "a=1" >"$dir/sections.ini"
expect sections 1 "sections.ini:3: [case1] buf_size: first 'x' is not a number" \
	"sections.ini:4: [case1] kick: unknown key" \
	"sections.ini:5: [case2] this section is in the file more than once" \
	"sections.ini:7: [case2] this section is in the file more than once" \
	"sections.ini:11: [case3] frob: unknown key" \
	"sections.ini:12: [other] unknown section (not [GLOBAL] or [caseN])" "6 errors, nothing ran"

printf '%s\n' "[case1]" "type=CPU_MEM_COPY" "mem_size=4" "buf_size=64" "lcore=0" >"$dir/notype.ini"
sed -i 's/^type=CPU_MEM_COPY$/type=GPU_MEM_COPY/' "$dir/notype.ini"
expect notype 1 "notype.ini:2: [case1] type: 'GPU_MEM_COPY' is none of: DMA_MEM_COPY CPU_MEM_COPY"

printf '%s\n' "type=DMA_MEM_COPY" "[case1]" >"$dir/nosection.ini"
expect nosection 1 "nosection.ini: rte_cfgfile cannot read it"

printf '%s\n' "[case1]" "type=DMA_MEM_COPY" "mem_size=4" "buf_size=64" "kick_batch=8" \
	"lcore_dma=lcore0@dma_idxp0" >"$dir/missing.ini"
expect missing 1 "missing.ini:1: [case1] dma_ring_size: missing"

# mem_size=llc*2 is twice cpu0's level-3 cache, in MB.
llc=$(for f in /sys/devices/system/cpu/cpu0/cache/index*/level; do
	[ "$(cat "$f")" = 3 ] && cat "${f%level}size"; done)
dma24 | sed 's/^mem_size=4$/mem_size=llc*2/' >"$dir/llc.ini"
if [ -z "$llc" ]; then
	expect llc 1 "llc.ini:3: [case1] mem_size: 'llc*2': no level-3 cache size"
else
	mb=$(( (${llc%K} * 2 + 1023) / 1024 ))
	if "$bin" --config "$dir/llc.ini" --check >"$dir/llc.out" 2>&1 &&
			grep -q "mem_size $mb MB" "$dir/llc.out"; then
		echo "PASS: llc (mem_size=llc*2 is $mb MB here)"
	else
		echo "FAIL: llc: mem_size=llc*2 is not $mb MB"; cat "$dir/llc.out"; fail=1
	fi
fi
exit $fail
