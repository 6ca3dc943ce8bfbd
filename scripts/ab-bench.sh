#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Side-by-side throughput of two idxp builds: the same idxp-dma-perf
# config run by build A and build B in alternation, one round each per
# turn, so that machine noise falls on both alike. Prints, per case and
# buffer size, the median Mops of each build with min-max, and B/A.
#
# Usage: scripts/ab-bench.sh BUILD_A BUILD_B CONFIG [TURNS] [EAL memory flags...]
#   e.g. scripts/ab-bench.sh /tmp/old/build build config/ab-fastpath.ini 7 --in-memory
# A build directory is one with app/idxp-dma-perf (any commit: build an
# older one with `git worktree add /tmp/old REV && cd /tmp/old &&
# meson setup build && ninja -C build`).
set -euo pipefail
A=${1:?usage: ab-bench.sh BUILD_A BUILD_B CONFIG [TURNS] [EAL flags]}
B=${2:?usage: ab-bench.sh BUILD_A BUILD_B CONFIG [TURNS] [EAL flags]}
CFG=${3:?usage: ab-bench.sh BUILD_A BUILD_B CONFIG [TURNS] [EAL flags]}
TURNS=${4:-5}
shift $(( $# < 4 ? $# : 4 ))
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for t in $(seq 1 "$TURNS"); do
	for side in A B; do
		dir=$([ $side = A ] && echo "$A" || echo "$B")
		"$dir/app/idxp-dma-perf" --config "$CFG" --repeat 1 \
			--csv "$work/$side.$t.csv" "$@" >"$work/$side.$t.log" 2>&1 || {
			tail -20 "$work/$side.$t.log"
			echo "ab-bench: $side ($dir) failed in turn $t" >&2
			exit 1
		}
	done
	echo "turn $t of $TURNS done" >&2
done

python3 - "$work" "$TURNS" "$A" "$B" <<'PY'
import csv, statistics, sys, os
work, turns, a, b = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
res = {}
for side in "AB":
    for t in range(1, turns + 1):
        for r in csv.DictReader(open(os.path.join(work, f"{side}.{t}.csv"))):
            if r["row"] != "summary":
                continue
            key = (r["case"], r["device"], int(r["buf_size_B"]))
            res.setdefault(key, {"A": [], "B": []})[side].append(float(r["mops"]))
print(f"A = {a}\nB = {b}\n{turns} turns, A and B alternating; Mops median (min-max)")
print(f"{'case':6} {'device':14} {'size':>6}  {'A':>22}  {'B':>22}  {'B/A':>6}")
for (case, dev, size), v in sorted(res.items()):
    def fmt(x):
        return f"{statistics.median(x):7.2f} ({min(x):.2f}-{max(x):.2f})"
    ratio = statistics.median(v["B"]) / statistics.median(v["A"])
    print(f"{case:6} {dev:14} {size:>6}  {fmt(v['A']):>22}  {fmt(v['B']):>22}  {ratio:6.3f}")
PY
