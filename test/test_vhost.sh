#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# lib/vhost's async data path as a client of a dmadev. vhost_async_fwd, a
# vhost-user backend on lib/vhost, gives the dmadev to the library with
# rte_vhost_async_dma_configure() and echoes every packet with
# rte_vhost_async_try_dequeue_burst() + rte_vhost_submit_enqueue_burst();
# virtio_echo, a virtio-user port in a second process, sends frames of 64,
# 128, 512, 1500 and 3000 bytes (the last as a 2-mbuf chain) and checks each
# echo byte for byte and in sequence.
#
# Cases: dma_idxp with IOVA as VA, dma_idxp with IOVA as PA (hugepages and
# physical addresses needed: skipped, and said so, where EAL cannot do PA),
# and dma_skeleton with IOVA as VA as the control (it copies with memcpy()
# on the IOVAs, so PA is not an option for it). Each case runs four guests
# against one backend:
#   1. clean: N frames, all echoed and verified, nothing left in flight;
#   2. exit:  floods, stops reading echoes (hangs), then stops its port and exits
#             with packets in the backend (orderly vring stop, then the end);
#   3. kill:  the same, but SIGKILLed (the socket just closes);
#   4. clean again: the backend serves a new guest after the two stops.
# At each disconnect the backend drains what is in flight and checks that
# its mempool is back to its baseline, that the dmadev has nothing in
# flight and that the bytes the dmadev copied are the bytes of the packets
# (it prints FAIL lines otherwise); this script checks its log.
#
# Memory: vhost-user hands the guest's memory to the backend as file
# descriptors, so the frontend's memory must be fd-backed. With hugepages,
# --in-memory gives memfd hugepages, and --single-file-segments one fd per
# memseg list: without it each 2 MB page is its own fd and region, and
# virtio-user refuses more than 8. Without hugepages, --no-huge memory is a
# memfd already (EAL maps it shared for this very purpose). -m fixes the
# frontend's memory up front, so the table never changes under the backend.
#
# Cpus (2): the backend's lcore polls on cpu 1; the frontend's lcore, the
# DMA engine (idxp core=0; dma_skeleton's thread is a control thread, which
# EAL places off the lcores, i.e. cpu 0 too) and lib/vhost's event thread
# share cpu 0. Both programs sleep when they have nothing to do, idxp's
# engine sleeps after idle=sleep's spin.
#
# Usage: test_vhost.sh BUILD_DIR
set -uo pipefail
BUILD=$(cd "${1:?usage: test_vhost.sh BUILD_DIR}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=test/lib.sh
. "$HERE/lib.sh"

N=2000			# frames of each clean guest
STALL=1000		# echoes the stopped guests read before they hang
SIZES=64,128,512,1500,3000
BYTES=$((N * (64 + 128 + 512 + 1500 + 3000) / 5))	# payload one way
FE_LIMIT=20		# hard bound on one frontend run
WAIT_LIMIT=10		# waits for the backend's log lines

fwd=$BUILD/test/vhost_async_fwd
echo_bin=$BUILD/test/virtio_echo
work=
bpid=
fpid=
# shellcheck disable=SC2317 # called from the EXIT trap
cleanup() {
	local p
	for p in $fpid $bpid; do
		kill -KILL "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	for p in be fe; do
		rm -rf "/var/run/dpdk/idxp-vhost-$p-$$" "${XDG_RUNTIME_DIR:-/tmp}/dpdk/idxp-vhost-$p-$$"
	done
	[ -n "$work" ] && rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

case_name=
fail() {
	local f
	for f in "$work"/*.log; do
		[ -f "$f" ] || continue
		echo "---- $(basename "$f") (tail) ----"
		tail -n 40 "$f"
	done
	echo "FAIL: vhost${case_name:+ ($case_name)}: $*"
	exit 1
}

{ [ -x "$fwd" ] && [ -x "$echo_bin" ]; } || fail "$fwd or $echo_bin missing: ninja -C $BUILD"
pmddir=$(pkg-config --variable=libdir libdpdk)/dpdk
ls "$pmddir"/pmds-*/librte_net_virtio.so >/dev/null 2>&1 ||
	fail "net_virtio PMD not found under $pmddir/pmds-*: apt-get install dpdk"
work=$(mktemp -d /tmp/idxp-vhost.XXXXXX) || fail "mktemp failed"

mem=$(idxp_eal_mem)
case " $mem " in
*" --no-huge "*)
	be_mem="$mem"
	fe_mem="$mem" ;;
*)	be_mem="--in-memory"
	fe_mem="--in-memory --single-file-segments -m 64" ;;
esac

# EAL arguments of one process ($1: be or fe): its cpu, its own file prefix
# (the two never share a config: only the socket and the guest's memory).
eal() {
	local cpu=1
	[ "$1" = fe ] && cpu=0
	echo "-l $cpu --no-pci --file-prefix=idxp-vhost-$1-$$" \
		"--log-level=lib.eal:warning --log-level=lib.vhost.config:warning"
}

# Wait up to $2 seconds for process $1 to exit; its status, 124 if it did not.
wait_exit() {
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		kill -0 "$1" 2>/dev/null || { wait "$1"; return; }
		sleep 0.1
	done
	return 124
}

# Number of backend log lines matching $1.
be_count() { grep -c -- "$1" "$work/be.log" 2>/dev/null || true; }

# Wait until the backend logged $2 lines matching $1.
be_wait() {
	local start=$SECONDS
	while [ "$(be_count "$1")" -lt "$2" ]; do
		kill -0 "$bpid" 2>/dev/null || fail "the backend exited early"
		[ $((SECONDS - start)) -lt "$WAIT_LIMIT" ] ||
			fail "no '$1' (#$2) in the backend log within ${WAIT_LIMIT}s"
		sleep 0.1
	done
}

# Frontend run $1 (log name) with the guest options that follow.
frontend() {
	local name=$1
	shift
	# shellcheck disable=SC2046,SC2086 # word lists
	timeout -s KILL "$FE_LIMIT" "$echo_bin" $(eal fe) --iova-mode=va $fe_mem \
		--vdev="net_virtio_user0,path=$work/vhost.sock,queues=1" \
		-- "$@" >"$work/$name.log" 2>&1 </dev/null
}

clean_guest() {
	local name=$1 rc
	frontend "$name" --count "$N" --sizes "$SIZES"
	rc=$?
	[ "$rc" -eq 0 ] || fail "$name: virtio_echo failed (rc $rc)"
	grep -q "^virtio-echo: sent $N frames, $N echoes checked ($((BYTES)) bytes, $((N / 5)) multi-segment), 0 bad" \
		"$work/$name.log" || fail "$name: not every frame came back intact"
}

# Guest 2: floods, stops reading echoes after STALL of them (a hung guest:
# the backend's RX ring fills and it holds packets), exits 300 ms later.
# The 300 ms count from the stall, not from the guest's start: the backend
# maps the guest's memory first, and that may take long on a busy machine.
exit_guest() {
	frontend exit --flood --sizes "$SIZES" --stall-after "$STALL" --duration-ms 300 ||
		fail "exit: virtio_echo failed (rc $?)"
	grep -q "^virtio-echo: PASS" "$work/exit.log" || fail "exit: bad echoes"
}

# Guest 3: the same, SIGKILLed 300 ms after it stopped reading.
kill_guest() {
	local start=$SECONDS
	# shellcheck disable=SC2046,SC2086
	"$echo_bin" $(eal fe) --iova-mode=va $fe_mem \
		--vdev="net_virtio_user0,path=$work/vhost.sock,queues=1" \
		-- --flood --sizes "$SIZES" --stall-after "$STALL" >"$work/kill.log" 2>&1 </dev/null &
	fpid=$!
	until grep -q "^virtio-echo: stopped reading" "$work/kill.log"; do
		kill -0 "$fpid" 2>/dev/null || fail "kill: virtio_echo exited early"
		[ $((SECONDS - start)) -lt "$FE_LIMIT" ] || fail "kill: no $STALL echoes within ${FE_LIMIT}s"
		sleep 0.1
	done
	sleep 0.3
	kill -KILL "$fpid"
	wait "$fpid" 2>/dev/null
	fpid=
	grep -q "BAD echo" "$work/kill.log" && fail "kill: bad echoes"
}

# The Nth "disconnected" line's numbers: echoed drained held.
disc() {
	sed -n 's/.* disconnected: echoed \([0-9][0-9]*\) packets .* \([0-9][0-9]*\) in flight drained .*, \([0-9][0-9]*\) held freed/\1 \2 \3/p' \
		"$work/be.log" | sed -n "${1}p"
}

# The backend's own checks passed, and its log shows what each guest did.
check_backend_log() {
	local d e dr h sub cpl ops bytes
	grep -q "^vhost-fwd: result: PASS" "$work/be.log" || fail "no PASS from the backend"
	# Clean guests: all N echoed, nothing left at the stop.
	for d in 1 4; do
		read -r e dr h <<<"$(disc $d)"
		if [ "${e:-}" != "$N" ] || [ "$dr" != 0 ] || [ "$h" != 0 ]; then
			fail "guest $d: backend says echoed ${e:-?}, drained ${dr:-?}, held ${h:-?}"
		fi
	done
	# Stopped guests: the backend had their packets when they went (and
	# still every mbuf came back: its checks).
	for d in 2 3; do
		read -r e dr h <<<"$(disc $d)"
		[ $((${dr:-0} + ${h:-0})) -gt 0 ] ||
			fail "guest $d left nothing in the backend: the stop was not mid-traffic"
	done
	# Guest 1 alone: every payload byte each way went through the dmadev,
	# at least one copy per frame each way, none in flight.
	read -r sub cpl ops bytes <<<"$(sed -n \
		's/.*disconnect: .* dma submitted \([0-9]*\) completed \([0-9]*\) .*, copies \([0-9]*\) of \([0-9]*\) bytes.*/\1 \2 \3 \4/p' \
		"$work/be.log" | head -n1)"
	if [ "${bytes:-}" != $((2 * BYTES)) ] || [ "$sub" != "$cpl" ] || [ "$ops" != "$sub" ] ||
			[ "${sub:-0}" -lt $((2 * N)) ]; then
		fail "guest 1: dma submitted ${sub:-?} completed ${cpl:-?} copies ${ops:-?} of ${bytes:-?} bytes, want $((2 * BYTES)) bytes in >= $((2 * N)) copies"
	fi
	echo "  $1: guest 1: $N frames, $((2 * BYTES)) bytes both ways in $sub DMA copies"
}

summary() {
	local d e dr h
	echo "  $1: $(grep -m1 '^vhost-fwd: totals' "$work/be.log" | sed 's/^vhost-fwd: //')"
	echo "  $1: at exit: $(grep '^vhost-fwd: exit:' "$work/be.log" | sed 's/^vhost-fwd: exit: //')"
	for d in 2 3; do
		read -r e dr h <<<"$(disc $d)"
		echo "  $1: guest $d stopped mid-traffic: $dr in flight drained, $h held freed"
	done
}

# run_case NAME IOVA DMADEV VDEV-ARGS
run_case() {
	local name=$1 iova=$2 dma=$3 vdev=$4 rc start
	case_name=$name
	start=$SECONDS
	rm -f "$work"/*.log
	: >"$work/be.log"	# exists before the backend starts: be_wait reads it
	# shellcheck disable=SC2046,SC2086
	"$fwd" $(eal be) --iova-mode="$iova" $be_mem \
		--vdev="$vdev" -- --socket "$work/vhost.sock" --dma "$dma" \
		>"$work/be.log" 2>&1 </dev/null &
	bpid=$!
	be_wait "listening on " 1
	grep -q "dmadev 0 '$dma' vchan 0, .* IOVA as ${iova^^}" "$work/be.log" ||
		fail "the backend does not drive $dma with IOVA as ${iova^^}"

	clean_guest clean1
	be_wait " disconnected: " 1
	exit_guest
	be_wait " disconnected: " 2
	kill_guest
	be_wait " disconnected: " 3
	clean_guest clean2
	be_wait " disconnected: " 4

	kill -INT "$bpid"
	wait_exit "$bpid" 10
	rc=$?
	[ "$rc" -ne 124 ] && bpid=
	grep -q "FAIL" "$work/be.log" && fail "$(grep -m1 FAIL "$work/be.log")"
	[ "$rc" -eq 0 ] || fail "the backend failed (rc $rc)"
	check_backend_log "$name"
	summary "$name"
	echo "ok: $name ($((SECONDS - start))s)"
	case_name=
}

# PA mode needs what EAL needs for it: hugepages and page frame numbers in
# /proc/self/pagemap (root, and not hidden by a container).
pa_missing() {
	case " $mem " in *" --no-huge "*) echo "no hugepages"; return ;; esac
	python3 - <<'EOF' 2>/dev/null || echo "no physical addresses in /proc/self/pagemap"
import ctypes, mmap, struct, sys
m = mmap.mmap(-1, 4096)
m[0] = 1
va = ctypes.addressof(ctypes.c_char.from_buffer(m))
with open('/proc/self/pagemap', 'rb') as f:
    f.seek(va // 4096 * 8)
    sys.exit(0 if struct.unpack('Q', f.read(8))[0] & ((1 << 55) - 1) else 1)
EOF
}

begin=$SECONDS
ran="dma_idxp (VA"
run_case "dma_idxp, IOVA as VA" va dma_idxp0 "dma_idxp0,core=0,vchans=1,idle=sleep"
skipped=$(pa_missing)
if [ -z "$skipped" ]; then
	run_case "dma_idxp, IOVA as PA" pa dma_idxp0 "dma_idxp0,core=0,vchans=1,idle=sleep"
	ran="$ran, PA"
else
	echo "NOTE: dma_idxp with IOVA as PA skipped: $skipped"
	ran="$ran; PA skipped: $skipped"
fi
run_case "dma_skeleton, IOVA as VA" va dma_skeleton0 "dma_skeleton0"
echo "PASS: vhost async data path over $ran) and dma_skeleton (VA): every echo intact, no mbuf leaked, nothing left in flight ($((SECONDS - begin))s)"
exit 0
