# SPDX-License-Identifier: BSD-3-Clause
# Shared helpers of the shell tests. Source it; needs $BUILD (the build dir).

# EAL memory flags: hugepages when usable, else --no-huge (IDXP_EAL_MEM wins).
# Neither way leaves shared files behind (--in-memory does not mix with
# --no-huge, hence --no-shconf there).
idxp_eal_mem() {
	if [ -n "${IDXP_EAL_MEM+x}" ]; then
		echo "$IDXP_EAL_MEM"
		return
	fi
	local free
	free=$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)
	if grep -q " hugetlbfs " /proc/mounts && [ "${free:-0}" -ge 128 ]; then
		echo "--in-memory"
	else
		echo "--no-huge -m 512 --no-shconf"
	fi
}

# IOVA as PA needs physical addresses, so hugepages and root: without
# them a PA test is skipped (exit 77, meson's SKIP).
idxp_need_pa() {
	if [[ " $(idxp_eal_mem) " == *" --no-huge "* ]] || [ "$(id -u)" -ne 0 ]; then
		echo "SKIP: IOVA as PA needs hugepages and root"
		exit 77
	fi
}

# True when PATH (or its nearest existing parent) or a directory above it
# is world-writable. DPDK loads no plugin from below such a directory.
idxp_world_writable() {
	local d=$1

	while [ ! -d "$d" ]; do d=$(dirname "$d"); done
	d=$(cd "$d" && pwd)
	while [ "$d" != "/" ]; do
		[ -n "$(find "$d" -maxdepth 0 -perm -0002 2>/dev/null)" ] && return 0
		d=$(dirname "$d")
	done
	return 1
}

# DPDK refuses -d plugins below a world-writable directory (e.g. /tmp):
# print a path to the plugin that DPDK accepts, copying it if needed.
idxp_plugin() {
	local so="$BUILD/drivers/librte_dma_idxp.so"

	if idxp_world_writable "$BUILD/drivers"; then
		local priv=/var/lib/idxp-test/$(id -u)
		mkdir -p "$priv" && chmod 0755 /var/lib/idxp-test "$priv"
		cp -f "$so" "$priv/librte_dma_idxp.so"
		echo "$priv/librte_dma_idxp.so"
		return
	fi
	echo "$(cd "$(dirname "$so")" && pwd)/librte_dma_idxp.so"
}

# IOVA mode of this run: IDXP_IOVA=pa|va (the suite runs both; default va).
idxp_iova() {
	case "${IDXP_IOVA:-va}" in
	pa) echo pa ;;
	*) echo va ;;
	esac
}

# The folder with DPDK's source releases (dpdk/dpdk-<ver>.tar.xz):
# $IDXP_SHARED, the repo's ../shared, or /work/shared. Empty if none.
idxp_shared() {
	local root d
	root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
	for d in "${IDXP_SHARED:-}" "$root/../shared" /work/shared; do
		if [ -n "$d" ] && ls "$d"/dpdk/dpdk-2[345].11.tar.xz >/dev/null 2>&1; then
			(cd "$d" && pwd)
			return
		fi
	done
}
