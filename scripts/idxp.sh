#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# One entry point for a fresh Debian 12 machine (run as root):
#   scripts/idxp.sh bench   install, build, hugepages, run the benchmark table
#   scripts/idxp.sh test    install, build, hugepages, run every test
#   scripts/idxp.sh setup   install, build, hugepages only
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${IDXP_BUILD:-$ROOT/build}
PKGS="build-essential pkg-config meson ninja-build libdpdk-dev dpdk dpdk-dev
	libnuma-dev dpkg-dev python3 gnuplot-nox xz-utils"
# 2 MB pages: 1 GB, or more for the out-of-cache cases of the benchmark
# (mem_size=llc*2 in config/dma-perf.ini: twice the level-3 cache) with
# 256 MB to spare.
llc_kb() {
	local f size
	for f in /sys/devices/system/cpu/cpu0/cache/index*/level; do
		[ "$(cat "$f" 2>/dev/null)" = 3 ] || continue
		size=$(cat "${f%level}size")
		case $size in
		*K) echo "${size%K}"; return ;;
		*M) echo $(( ${size%M} * 1024 )); return ;;
		esac
	done
	echo 0
}
HUGEPAGES=$(( $(llc_kb) / 1024 + 128 ))
HUGEPAGES=${IDXP_HUGEPAGES:-$(( HUGEPAGES > 512 ? HUGEPAGES : 512 ))}

say() { printf '== %s\n' "$*"; }
die() { printf 'idxp: %s\n' "$*" >&2; exit 1; }

need_root() {
	[ "$(id -u)" -eq 0 ] && return
	die "run as root (installs packages, reserves hugepages)"
}

install_packages() {
	local missing="" p
	for p in $PKGS; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
			missing="$missing $p"
	done
	if ! grep -rqs "^Types:.*deb-src\|^deb-src" /etc/apt/sources.list /etc/apt/sources.list.d/; then
		say "adding a deb-src entry (the driver SDK headers come from Debian's source package)"
		add_deb_src
		missing="$missing __update"
	fi
	[ -z "$missing" ] && return
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >/dev/null
	missing=${missing/__update/}
	[ -z "${missing// /}" ] && return
	say "installing:$missing"
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing >/dev/null
}

# Mirror the machine's deb entries as deb-src ones.
add_deb_src() {
	local f=/etc/apt/sources.list.d/idxp-deb-src.sources
	if [ -f /etc/apt/sources.list.d/debian.sources ]; then
		sed -e 's/^Types:.*/Types: deb-src/' /etc/apt/sources.list.d/debian.sources >"$f"
	elif grep -qs '^deb ' /etc/apt/sources.list; then
		grep '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' \
			>/etc/apt/sources.list.d/idxp-deb-src.list
	else
		cat >"$f" <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
	fi
}

# Reserve 2 MB pages and mount hugetlbfs; else fall back to --no-huge.
setup_hugepages() {
	local nr=/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages free
	if [ -w "$nr" ] && [ "$(cat "$nr")" -lt "$HUGEPAGES" ]; then
		echo "$HUGEPAGES" >"$nr" 2>/dev/null || true
	fi
	if ! grep -q " hugetlbfs " /proc/mounts; then
		mkdir -p /dev/hugepages
		mount -t hugetlbfs nodev /dev/hugepages 2>/dev/null || true
	fi
	free=$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)
	if grep -q " hugetlbfs " /proc/mounts && [ "${free:-0}" -ge 128 ]; then
		export IDXP_EAL_MEM="--in-memory"
		say "hugepages: ${free} free 2 MB pages"
	else
		export IDXP_EAL_MEM="--no-huge -m 512 --no-shconf"
		say "NOTE: no usable hugepages here (free: ${free:-0}); running with --no-huge"
	fi
}

build() {
	if [ ! -f "$BUILD/build.ninja" ]; then
		meson setup "$BUILD" "$ROOT" >/dev/null || die "meson setup failed"
	fi
	ninja -C "$BUILD" >/dev/null || ninja -C "$BUILD"
	say "built $BUILD/drivers/librte_dma_idxp.so and apps in $BUILD/app"
}

setup() {
	need_root
	install_packages
	build
	setup_hugepages
}

run_bench() {
	local cfg=${1:-$ROOT/config/dma-perf.ini}
	say "benchmark: $cfg (idxp vs dma_skeleton vs CPU memcpy)"
	# Memory flags go on the command line, before the file's eal_args.
	# shellcheck disable=SC2086
	"$BUILD/app/idxp-dma-perf" --config "$cfg" --csv "$BUILD/dma-perf-results.csv" \
		$IDXP_EAL_MEM
	if command -v gnuplot >/dev/null &&
			gnuplot -c "$ROOT/doc/plot-perf.gnuplot" "$BUILD/dma-perf-results.csv" \
				"$BUILD/dma-perf.png" >/dev/null 2>&1; then
		say "plot: $BUILD/dma-perf.png"
	fi
}

# Every meson test, then one "N passed, N failed" line from meson's JSON log.
run_tests() {
	local rc=0
	meson test -C "$BUILD" --no-rebuild --print-errorlogs --num-processes 1 \
		--timeout-multiplier 2 "$@" || rc=$?
	python3 - "$BUILD/meson-logs/testlog.json" <<'PY'
import json, sys
p = f = s = 0
for line in open(sys.argv[1]):
    r = json.loads(line).get("result")
    if r in ("OK", "EXPECTEDFAIL"): p += 1
    elif r == "SKIP": s += 1
    else: f += 1
print(f"{p} passed, {f} failed" + (f", {s} skipped" if s else ""))
PY
	return $rc
}

case "${1:-}" in
setup) setup ;;
bench) setup; shift; run_bench "$@" ;;
test) setup; shift; run_tests "$@" ;;
*) echo "usage: $0 setup|bench [config.ini]|test [meson test args]" >&2; exit 2 ;;
esac
