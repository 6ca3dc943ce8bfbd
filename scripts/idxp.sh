#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# One entry point for a fresh Debian 12 machine (run as root):
#   scripts/idxp.sh bench   install, build, hugepages, run the benchmark table
#   scripts/idxp.sh test    install, build, hugepages, run every test
#   scripts/idxp.sh setup   install, build, hugepages only
#   scripts/idxp.sh matrix  build and test against each newer DPDK LTS
#   scripts/idxp.sh ci      test, then matrix: what .ci/run does
# setup, bench and test take --dpdk VER (or IDXP_DPDK=VER): build against
# DPDK VER, itself built once from the shared folder's source tarball.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=test/lib.sh
. "$ROOT/test/lib.sh"
BUILD_ROOT=${IDXP_BUILD:-$ROOT/build}	# DPDK releases build below it too
BUILD=$BUILD_ROOT			# the idxp build in use
PKGS="build-essential pkg-config meson ninja-build libdpdk-dev dpdk dpdk-dev
	libnuma-dev dpkg-dev python3 python3-pyelftools gnuplot-nox xz-utils"
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

# The packages of $PKGS not installed, and __deb_src when apt has no
# deb-src entry (the driver SDK headers come from Debian's source package).
missing_packages() {
	local missing="" p
	for p in $PKGS; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
			missing="$missing $p"
	done
	grep -rqs "^Types:.*deb-src\|^deb-src" /etc/apt/sources.list /etc/apt/sources.list.d/ ||
		missing="$missing __deb_src"
	echo "$missing"
}

install_packages() {
	local missing
	missing=$(missing_packages)
	[ -z "${missing// /}" ] && return
	if [[ "$missing" == *__deb_src* ]]; then
		say "adding a deb-src entry (the driver SDK headers come from Debian's source package)"
		add_deb_src
	fi
	missing=${missing/__deb_src/}
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >/dev/null
	[ -z "${missing// /}" ] && return
	say "installing:$missing"
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing >/dev/null
}

# As root: install what is missing. Not root: go on when nothing is
# missing (a prepared machine), leaving hugepages as they are.
prepare_machine() {
	local missing
	if [ "$(id -u)" -eq 0 ]; then
		install_packages
		return
	fi
	missing=$(missing_packages)
	# The deb-src entry matters only until the SDK headers are fetched.
	if [[ "$missing" == *__deb_src* ]] && [ -f "$BUILD/sdk/include/rte_dmadev_pmd.h" ]; then
		missing=${missing/__deb_src/}
	fi
	[ -z "${missing// /}" ] ||
		die "not root, and missing:${missing/__deb_src/ (a deb-src apt entry)}; run as root once (installs packages, reserves hugepages)"
	say "not root: every package is installed, so no set-up is needed; hugepages as they are"
}

# Mirror the machine's deb entries as deb-src ones (debian.sources on
# Debian, ubuntu.sources on Ubuntu 24.04, or sources.list).
add_deb_src() {
	local f=/etc/apt/sources.list.d/idxp-deb-src.sources src
	src=$(grep -ls '^Types: *deb$' /etc/apt/sources.list.d/*.sources | head -n1)
	if [ -n "$src" ]; then
		sed -e 's/^Types:.*/Types: deb-src/' "$src" >"$f"
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
		mkdir -p /dev/hugepages 2>/dev/null || true
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

# ---- DPDK releases from the shared folder (--dpdk VER) ----

LTS_RELEASES="23.11 24.11 25.11"	# what the matrix tests beside 22.11
# Minimal DPDK: dmadev and what idxp's apps and dpdk-test need. In 24.11
# disable_libs='*' would override enable_libs, so enable_libs alone.
DPDK_LIBS=dmadev,cmdline,kvargs,telemetry,rcu,mempool,mbuf,ring,cfgfile
DPDK_DRIVERS=bus/vdev,dma/skeleton,mempool/ring

# The shared folder of DPDK source releases (idxp_shared in test/lib.sh).
shared_dir() {
	local d
	d=$(idxp_shared)
	[ -n "$d" ] && { echo "$d"; return 0; }
	echo "no DPDK source releases: set IDXP_SHARED, or provide $ROOT/../shared or /work/shared with dpdk/dpdk-<ver>.tar.xz" >&2
	return 1
}

# Path of DPDK VER's tarball, its sha256 checked when shared/dpdk/README.md
# lists one; else why not, on stderr.
dpdk_tarball() {
	local ver=$1 dir tar sum
	dir=$(shared_dir) || return 1
	tar=$dir/dpdk/dpdk-$ver.tar.xz
	[ -f "$tar" ] || { echo "$tar is missing" >&2; return 1; }
	sum=$(awk -v f="dpdk-$ver.tar.xz" -F'|' '$2 ~ f {gsub(/ /, "", $5); print $5}' \
		"$dir/dpdk/README.md" 2>/dev/null)
	if [ -n "$sum" ] && ! echo "$sum  $tar" | sha256sum -c --status; then
		echo "$tar does not match its sha256 in $dir/dpdk/README.md" >&2
		return 1
	fi
	echo "$tar"
}

# Directory of a python3 with elftools (Debian's python3-pyelftools):
# DPDK 25.11's build takes the first python3 on PATH, which may be
# another interpreter (a pyenv shim, say).
elftools_python_dir() {
	local p

	for p in $(type -ap python3) /usr/bin/python3; do
		"$p" -c 'import elftools' 2>/dev/null && { dirname "$p"; return 0; }
	done
	echo "no python3 with elftools: apt-get install python3-pyelftools" >&2
	return 1
}

# Where DPDK VER installs: build/dpdk-VER/prefix, unless the build tree
# lies below a world-writable directory (such as /tmp), where EAL would
# refuse DPDK's own driver plugins; then under /var/lib/idxp-dpdk.
dpdk_prefix() {
	if idxp_world_writable "$BUILD_ROOT"; then
		echo "/var/lib/idxp-dpdk/$(printf %s "$BUILD_ROOT" | sha1sum | cut -c1-12)/dpdk-$1"
	else
		echo "$BUILD_ROOT/dpdk-$1/prefix"
	fi
}

# Build DPDK VER once from its tarball in $BUILD/dpdk-VER/{src,build} and
# install it (dpdk_prefix); the stamp holds the options it was built with.
# Shared libraries: dpdk-test must load the idxp plugin, which links them.
build_dpdk() {
	local ver=$1 top=$BUILD_ROOT/dpdk-$1 tar py opts prefix

	tar=$(dpdk_tarball "$ver") || return 1
	prefix=$(dpdk_prefix "$ver")
	opts=(-Dprefix="$prefix" -Dlibdir=lib -Ddefault_library=shared
		-Denable_libs="$DPDK_LIBS" -Denable_drivers="$DPDK_DRIVERS"
		-Denable_driver_sdk=true -Dtests=true -Denable_apps=test)
	[ -f "$top/.installed" ] && [ "$top/.installed" -nt "$tar" ] &&
		[ "$(cat "$top/.installed")" = "${opts[*]}" ] &&
		[ -f "$prefix/lib/pkgconfig/libdpdk.pc" ] && return 0
	py=$(elftools_python_dir) || return 1
	say "building DPDK $ver from $tar into $top (once)"
	if [ -f "$top/build/build.ninja" ] && [ "$top/build/build.ninja" -nt "$tar" ]; then
		# Same sources, other options: rebuild only what they change.
		meson configure "$top/build" "${opts[@]}" >"$top/build.log" 2>&1
	else
		rm -rf "$top/src" "$top/build" "$prefix"
		mkdir -p "$top/src" "$prefix" &&
		chmod 0755 "$prefix" "${prefix%/*}" "${prefix%/*/*}"
		tar -xf "$tar" -C "$top/src" --strip-components=1 &&
		PATH="$py:$PATH" meson setup "$top/build" "$top/src" "${opts[@]}" \
			>"$top/build.log" 2>&1
	fi && PATH="$py:$PATH" ninja -C "$top/build" -j "$(nproc)" install \
		>>"$top/build.log" 2>&1 || {
		tail -n 30 "$top/build.log" >&2
		echo "building DPDK $ver failed; log: $top/build.log" >&2
		return 1
	}
	echo "${opts[*]}" >"$top/.installed"
}

# Point BUILD at idxp's build against DPDK $DPDK_VER, building that DPDK first.
use_dpdk() {
	case "$DPDK_VER" in
	""|22.11|system) return 0 ;;
	esac
	case " $LTS_RELEASES " in
	*" $DPDK_VER "*) ;;
	*) die "--dpdk $DPDK_VER: choose one of 22.11 (the system's) $LTS_RELEASES" ;;
	esac
	build_dpdk "$DPDK_VER" || die "DPDK $DPDK_VER is not available"
	DPDK_WANT=$DPDK_VER
	BUILD=$BUILD_ROOT/dpdk-$DPDK_VER/idxp
}

# The libdpdk version a configured build directory uses.
build_dpdk_version() {
	python3 - "$1/meson-info/intro-dependencies.json" <<'PY' 2>/dev/null
import json, sys
print(next((d["version"] for d in json.load(open(sys.argv[1]))
            if d["name"] == "libdpdk"), ""))
PY
}

# idxp in $BUILD; against DPDK $DPDK_WANT when set (else the system's),
# checked, as meson would quietly take the system's if that one's
# pkg-config file went missing.
build() {
	local got

	if [ ! -f "$BUILD/build.ninja" ]; then
		meson setup "$BUILD" "$ROOT" ${DPDK_WANT:+"-Dpkg_config_path=$(dpdk_prefix "$DPDK_WANT")/lib/pkgconfig"} \
			>/dev/null || die "meson setup failed"
	fi
	ninja -C "$BUILD" >/dev/null || ninja -C "$BUILD" || die "build failed"
	got=$(build_dpdk_version "$BUILD")
	if [ -n "${DPDK_WANT:-}" ] && [ "${got%.*}" != "$DPDK_WANT" ]; then
		die "$BUILD is built against DPDK ${got:-(unknown)}, not $DPDK_WANT: remove it and run again"
	fi
	say "built $BUILD/drivers/librte_dma_idxp.so and apps in $BUILD/app (DPDK $got)"
}

setup() {
	prepare_machine
	use_dpdk
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

# Every meson test (or those the arguments select), serially.
meson_tests() {
	meson test -C "$BUILD" --no-rebuild --print-errorlogs --num-processes 1 \
		--timeout-multiplier 2 "$@"
}

# "P F S": passed, failed and skipped tests of meson JSON logs; a missing
# log counts as one failure (its build did not get that far).
count_results() {
	python3 - "$@" <<'PY'
import json, os, sys
p = f = s = 0
for log in sys.argv[1:]:
    if not os.path.exists(log):
        f += 1
        continue
    for line in open(log):
        r = json.loads(line).get("result")
        if r in ("OK", "EXPECTEDFAIL"): p += 1
        elif r == "SKIP": s += 1
        else: f += 1
print(p, f, s)
PY
}

# The summary: skipped tests (each said why in its log) on a line of
# their own, then exactly "N passed, N failed", last, for CI to read.
summary() {
	[ "${3:-0}" -gt 0 ] && echo "$3 skipped (see their logs for why)"
	echo "$1 passed, $2 failed"
}

run_tests() {
	local rc=0 p f s
	meson_tests "$@" || rc=$?
	read -r p f s < <(count_results "$BUILD/meson-logs/testlog.json")
	summary "$p" "$f" "$s"
	return $rc
}

# ---- matrix: each newer LTS, beside the full suite on 22.11 ----

# One release: DPDK and idxp build (one result), then the unit tests and
# the matrix suite (that release's dmadev_autotest, VA and PA). Adds its
# JSON log to MATRIX_LOGS and prints a line for the release; never exits.
MATRIX_SUITES="--suite unit --suite matrix"
matrix_one() {
	local ver=$1 b=$BUILD_ROOT/dpdk-$1/idxp t0=$SECONDS p f s

	say "DPDK $ver: build, unit tests, dmadev_autotest (VA, PA)"
	rm -f "$b/meson-logs/testlog.json"
	MATRIX_LOGS+=("$b/meson-logs/testlog.json")
	if ! build_dpdk "$ver"; then
		echo "== FAIL: DPDK $ver: DPDK build"
		return
	fi
	if ! (BUILD=$b DPDK_WANT=$ver build); then
		echo "== FAIL: DPDK $ver: idxp build"
		return
	fi
	MATRIX_BUILT=$((MATRIX_BUILT + 1))
	# shellcheck disable=SC2086
	BUILD=$b meson_tests $MATRIX_SUITES || true
	read -r p f s < <(count_results "$b/meson-logs/testlog.json")
	echo "== DPDK $ver: built, $p of $((p + f + s)) tests ok, $((SECONDS - t0)) s"
}

# The matrix for the given releases (default: all). Sets P F S, the
# totals, where each release's build is one result and a release whose
# tarball is absent one skip.
run_matrix() {
	local ver dir p f s

	MATRIX_LOGS=()
	MATRIX_BUILT=0
	P=0 F=0 S=0
	if ! dir=$(shared_dir 2>&1) || [ ! -d "$dir/dpdk" ]; then
		[ -d "${dir:-}" ] && dir="$dir/dpdk is missing"
		echo "== SKIP: DPDK LTS matrix: $dir"
		S=$(($# > 0 ? $# : $(wc -w <<<"$LTS_RELEASES")))
		return
	fi
	for ver in ${@:-$LTS_RELEASES}; do
		if [ ! -f "$dir/dpdk/dpdk-$ver.tar.xz" ]; then
			echo "== SKIP: DPDK $ver: $dir/dpdk/dpdk-$ver.tar.xz not found"
			S=$((S + 1))
			continue
		fi
		matrix_one "$ver"
	done
	[ ${#MATRIX_LOGS[@]} -gt 0 ] || return 0
	read -r p f s < <(count_results "${MATRIX_LOGS[@]}")
	P=$((p + MATRIX_BUILT)) F=$f S=$((S + s))
}

parse_opts() {
	DPDK_VER=${IDXP_DPDK:-}
	ARGS=()
	while [ $# -gt 0 ]; do
		case "$1" in
		--dpdk) DPDK_VER=${2:?--dpdk needs a version}; shift 2 ;;
		--dpdk=*) DPDK_VER=${1#--dpdk=}; shift ;;
		*) ARGS+=("$1"); shift ;;
		esac
	done
}

cmd=${1:-}
[ $# -gt 0 ] && shift
parse_opts "$@"
set -- "${ARGS[@]+"${ARGS[@]}"}"
case "$cmd" in
setup) setup ;;
bench) setup; run_bench "$@" ;;
test)
	setup
	# Against a newer LTS, the default is that release's matrix part.
	# shellcheck disable=SC2086
	if [ $# -eq 0 ] && [ -n "${DPDK_WANT:-}" ]; then set -- $MATRIX_SUITES; fi
	run_tests "$@"
	;;
matrix)
	need_root; install_packages; setup_hugepages
	run_matrix "$@"
	summary "$P" "$F" "$S"
	[ "$F" -eq 0 ]
	;;
ci)
	# The full suite on the system's 22.11, then the matrix; a build that
	# fails is one failed result, and the run goes on to the summary line.
	need_root; install_packages; setup_hugepages
	rc=0 p=0 f=1 s=0 t0=$SECONDS
	if (build); then
		meson_tests || rc=$?
		read -r p f s < <(count_results "$BUILD/meson-logs/testlog.json")
	else
		rc=1
	fi
	echo "== DPDK 22.11 (system): $p of $((p + f + s)) tests ok, $((SECONDS - t0)) s"
	run_matrix
	[ "$F" -eq 0 ] || rc=1
	summary $((p + P)) $((f + F)) $((s + S))
	exit $rc
	;;
*)
	echo "usage: $0 setup|bench [config.ini]|test [meson test args]|matrix [VER...]|ci" >&2
	echo "       setup, bench and test take --dpdk VER (one of 22.11 $LTS_RELEASES)" >&2
	exit 2
	;;
esac
