#!/bin/bash
# Fetch the DPDK driver SDK headers (and examples/dma) that Debian and
# Ubuntu do not install, from the distribution's source package of exactly
# the installed DPDK version (22.11 on Debian 12, or a newer LTS elsewhere).
# Usage: fetch-sdk.sh OUTDIR
# Prints OUTDIR/include on success. Never touches the source tree.
set -euo pipefail
out=${1:?usage: fetch-sdk.sh OUTDIR}
mkdir -p "$out" && out=$(cd "$out" && pwd)
die() { echo "idxp: $*" >&2; exit 1; }

command -v pkg-config >/dev/null || die "pkg-config missing: apt-get install pkg-config"
pkg-config --exists libdpdk || die "libdpdk not found: apt-get install libdpdk-dev dpdk dpdk-dev"
pcver=$(pkg-config --modversion libdpdk)
debver=$(dpkg-query -W -f='${Version}' libdpdk-dev 2>/dev/null) ||
	die "libdpdk-dev is not installed from a Debian-style package, so there is no
  source package to take the SDK headers from: build DPDK with
  -Denable_driver_sdk=true, or use scripts/idxp.sh --dpdk VER"
case "$pcver" in
22.11*|23.11*|24.11*|25.11*) ;;
*) die "DPDK $pcver found, idxp supports the LTS releases 22.11, 23.11, 24.11 and 25.11" ;;
esac
upver=${debver#*:}; upver=${upver%%-*}; upver=${upver%%+*}
# libdpdk.pc says 23.11.0 where the package says 23.11.
[ "${upver%.0}" = "${pcver%.0}" ] ||
	die "libdpdk.pc says $pcver but libdpdk-dev is $debver: reinstall libdpdk-dev"

HEADERS="lib/dmadev/rte_dmadev_pmd.h lib/eal/include/dev_driver.h
	lib/eal/include/bus_driver.h drivers/bus/vdev/bus_vdev_driver.h
	drivers/bus/pci/bus_pci_driver.h"
have_all() {
	local h
	for h in $HEADERS; do [ -f "$out/include/${h##*/}" ] || return 1; done
}
stamp="$out/.stamp-$debver"
# A header added since the stamp was made fetches again.
if [ -f "$stamp" ] && have_all; then echo "$out/include"; exit 0; fi
mkdir -p "$out/dl" "$out/include"
cd "$out/dl"
if ! ls dpdk_"$upver".orig.tar.* >/dev/null 2>&1; then
	if ! apt-get source --download-only "dpdk=$debver" >apt.log 2>&1; then
		cat apt.log >&2
		die "cannot fetch the source package dpdk=$debver; add a deb-src entry
  (e.g. /etc/apt/sources.list.d/debsrc.sources with 'Types: deb-src') and run apt-get update,
  or run scripts/idxp.sh setup as root which does it for you"
	fi
fi
tarball=$(ls dpdk_"$upver".orig.tar.* | head -n1)
rm -rf src && mkdir src
members=()
for h in $HEADERS; do members+=("*/$h"); done
tar -xf "$tarball" -C src --strip-components=1 --wildcards "${members[@]}" \
	'*/examples/dma/*' '*/examples/common/*' ||
	die "unexpected layout in $tarball"
for h in $HEADERS; do
	cp "src/$h" "$out/include/"
done
rm -f "$out"/.stamp-*
touch "$stamp"
echo "$out/include"
