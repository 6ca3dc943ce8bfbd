#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# DPDK's examples/dma (dmafwd) in hardware copy mode with dma_idxp doing the
# copies, fed by a net_pcap port that replays a pcap file generated here.
#
# dmafwd is built out of tree from the examples of Debian's DPDK source
# package, which scripts/fetch-sdk.sh extracts into BUILD_DIR/sdk/dl/src at
# configure time (nothing of DPDK is committed here).
#
# Topology: one net_pcap port, rx_pcap=in.pcap (N distinct packets, read
# once, no infinite_rx) and tx_pcap=out.pcap; dmafwd receives on port 0,
# copies every mbuf into a fresh mbuf with dmadev 0 (= dma_idxp0, the only
# dmadev: --no-pci and no other dma vdev), rewrites the MACs of the copy and
# transmits the copy on port 0, i.e. into out.pcap.
#
# Usage: test_dmafwd.sh BUILD_DIR
set -uo pipefail
BUILD=$(cd "${1:?usage: test_dmafwd.sh BUILD_DIR}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=test/lib.sh
. "$HERE/lib.sh"

# Packets to replay. Must stay below every ring on the path (rx ring 1024
# is refilled as we go, dmadev ring and rx->tx rte_ring 2048) so that no
# packet may be dropped: the expected counts below are then exact.
N=1000
RUN_LIMIT=25		# hard bound on the dmafwd run (timeout(1)), seconds
WAIT_LIMIT=15		# how long we wait for all N packets to come out

work=
tpid=
rundir=
# shellcheck disable=SC2317 # called from the EXIT trap
cleanup() {
	if [ -n "$tpid" ] && kill -0 "$tpid" 2>/dev/null; then
		kill -INT "$tpid" 2>/dev/null
		sleep 1
		kill -KILL "$tpid" 2>/dev/null
		wait "$tpid" 2>/dev/null
	fi
	[ -n "$rundir" ] && rm -rf "$rundir"
	[ -n "$work" ] && rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Print the (ESC/CR-cleaned) dmafwd log, then the FAIL line; exit 1.
fail() {
	if [ -n "$work" ] && [ -f "$work/log" ]; then
		echo "---- dmafwd output (tail) ----"
		clean_log | tail -n 60
		echo "------------------------------"
	fi
	echo "FAIL: dmafwd: $*"
	exit 1
}
clean_log() { tr '\r' '\n' <"$work/log" | sed 's/\x1b\[[0-9;]*[A-Za-z]//g'; }

command -v python3 >/dev/null || fail "python3 missing"
command -v gcc >/dev/null || fail "gcc missing: apt-get install gcc"
pkg-config --exists libdpdk || fail "libdpdk not found: apt-get install libdpdk-dev"
pmddir=$(pkg-config --variable=libdir libdpdk)/dpdk
ls "$pmddir"/pmds-*/librte_net_pcap.so >/dev/null 2>&1 ||
	fail "net_pcap PMD not found under $pmddir/pmds-*: apt-get install dpdk"
[ -f "$BUILD/drivers/librte_dma_idxp.so" ] || fail "$BUILD/drivers/librte_dma_idxp.so missing: ninja -C $BUILD"

# ---- build dmafwd out of tree (only if missing or outdated) ----
src=$BUILD/sdk/dl/src/examples/dma/dmafwd.c
[ -f "$src" ] || fail "$src missing: the SDK fetch predates examples/dma; run
  rm -f $BUILD/sdk/.stamp-* && $HERE/../scripts/fetch-sdk.sh $BUILD/sdk"
bin=$BUILD/examples/dmafwd
pcfile=$(pkg-config --path libdpdk 2>/dev/null || true)
if [ ! -x "$bin" ] || [ "$src" -nt "$bin" ] || [ "$0" -nt "$bin" ] ||
		{ [ -n "$pcfile" ] && [ "$pcfile" -nt "$bin" ]; }; then
	mkdir -p "$BUILD/examples" || fail "cannot create $BUILD/examples"
	# shellcheck disable=SC2046
	gcc -O2 -g -DALLOW_EXPERIMENTAL_API -o "$bin.tmp" "$src" \
		$(pkg-config --cflags --libs libdpdk) >"$BUILD/examples/dmafwd.build.log" 2>&1 ||
		{ cat "$BUILD/examples/dmafwd.build.log"; fail "building $src failed"; }
	mv -f "$bin.tmp" "$bin"
fi

plugin=$(idxp_plugin)
# EAL memory: hugepages (--in-memory) or --no-huge (idxp_eal_mem). --no-huge
# implies legacy memory, which EAL 22.11 refuses with --in-memory; with it,
# a private --file-prefix keeps runs apart (its runtime dir is removed).
mem=$(idxp_eal_mem)
case " $mem " in
*" --no-huge "*)
	prefix=idxp-dmafwd-$$
	if [ "$(id -u)" -eq 0 ]; then rundir=/var/run/dpdk/$prefix
	else rundir=${XDG_RUNTIME_DIR:-/tmp}/dpdk/$prefix; fi
	memflags="$mem --file-prefix=$prefix" ;;
*)	memflags="$mem" ;;	# idxp_eal_mem gives --in-memory
esac
work=$(mktemp -d /tmp/idxp-dmafwd.XXXXXX) || fail "mktemp failed"
chmod 0755 "$work"

# ---- input: N Ethernet frames, each with a unique payload ----
# dst 52:54:00:12:34:56, src 52:54:00:ab:cd:ef, ethertype 0x88b5 (local
# experimental), then seq (be32), magic "IDXP", then bytes that depend on seq.
# Lengths vary from 60 to 1514 bytes (one mbuf segment each).
python3 - "$work/in.pcap" "$N" <<'EOF' || fail "cannot generate the input pcap"
import struct, sys
path, n = sys.argv[1], int(sys.argv[2])
with open(path, 'wb') as f:
    # pcap global header: magic, v2.4, tz 0, sigfigs 0, snaplen, LINKTYPE_ETHERNET
    f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i in range(n):
        ln = 60 + (i * 151) % 1455
        pkt = bytes.fromhex('525400123456' '525400abcdef' '88b5')
        pkt += struct.pack('>I', i) + b'IDXP'
        pkt += bytes((i * 7 + j * 13 + (i >> 8)) & 0xff for j in range(ln - len(pkt)))
        f.write(struct.pack('<IIII', 1700000000, i, len(pkt), len(pkt)))
        f.write(pkt)
EOF

# ---- run dmafwd ----
# -l 0-1: main lcore 0 (only prints stats, sleeping 1 s between prints) and
# one worker, lcore 1, that does rx + DMA enqueue/dequeue + tx in one loop
# (dmafwd's single-worker mode). The idxp engine thread is pinned to cpu 0,
# next to the sleeping main lcore, not to the worker that polls at 100%;
# idle=sleep (the default) lets it give the cpu back when there is no work.
# -c hw: hardware copy mode (rte_dma_copy), -q 1: one rx queue, hence one
# dmadev; -p 0x1: port 0; --mac-updating: rewrite the MACs of the copy.
# The log exists before the job starts: the polling below reads it at once.
: >"$work/log"
# shellcheck disable=SC2086 # $memflags: several words
timeout -k 5 -s INT "$RUN_LIMIT" "$bin" -l 0-1 --no-pci --iova-mode="$(idxp_iova)" \
	$memflags -d "$plugin" \
	--vdev="dma_idxp0,core=0,idle=sleep" \
	--vdev="net_pcap0,rx_pcap=$work/in.pcap,tx_pcap=$work/out.pcap" \
	-- -p 0x1 -q 1 -c hw --mac-updating -i 1 >"$work/log" 2>&1 </dev/null &
tpid=$!
start=$SECONDS

# Last value printed for "LABEL <number>" in the (cumulative) per-port and
# per-dmadev sections of dmafwd's stats (awk -v turns \t into a tab: the
# per-dmadev lines start with one, unlike the per-second aggregate ones).
last() { clean_log | awk -v k="$1" 'index($0, k) { v = $NF } END { print v + 0 }'; }

# Wait until dmafwd reports all N packets sent and N copies completed.
while :; do
	kill -0 "$tpid" 2>/dev/null || { wait "$tpid"; tpid_rc=$?; tpid=; fail "dmafwd exited early (rc $tpid_rc)$(clean_log | sed -n 's/^ *Cause: */: /p' | head -n1)"; }
	if [ "$(last 'Packets sent:')" -ge "$N" ] &&
			[ "$(last '\t Total completed ops:')" -ge "$N" ]; then
		break
	fi
	[ $((SECONDS - start)) -lt "$WAIT_LIMIT" ] ||
		fail "not all $N packets forwarded within ${WAIT_LIMIT}s"
	sleep 0.5
done

# SIGUSR1 makes dmafwd rte_dma_dump() its dmadev(s): proves that dmadev 0,
# the "DMA channel 0" of the stats, is dma_idxp0, and shows idxp's own
# per-vchan counters. dmafwd runs as a child of timeout(1).
dpid=$(pgrep -P "$tpid" | head -n1)
[ -n "$dpid" ] || fail "cannot find the dmafwd process under timeout pid $tpid"
kill -USR1 "$dpid"
for _ in $(seq 1 20); do
	clean_log | grep -q "^idxp dma_idxp0: " && break
	sleep 0.25
done

# SIGINT: dmafwd prints its final stats, stops the port and the dmadev and
# exits (timeout(1) forwards the signal).
kill -INT "$tpid"
wait "$tpid"
rc=$?
tpid=
elapsed=$((SECONDS - start))
[ "$rc" -eq 0 ] || fail "dmafwd did not exit cleanly after SIGINT (rc $rc)"
clean_log | grep -q '^Bye\.\.\.' || fail "dmafwd did not reach its normal exit (no 'Bye...')"

log=$(clean_log)
# The final stats block: everything after the last stats header.
final=$(awk '/Worker Threads = .*Copy Mode =/ { b = "" } { b = b $0 "\n" } END { printf "%s", b }' <<<"$log")

# ---- check 1: idxp was probed and is the dmadev dmafwd drives ----
grep -q "^idxp: dma_idxp0: .*first on cpu 0" <<<"$log" || fail "dma_idxp0 was not probed on cpu 0"
grep -q "DMA: Number of used dmadevs: 1\." <<<"$log" || fail "dmafwd did not take one dmadev"
grep -q "^DMA Dev 0, 'dma_idxp0' \[started\]" <<<"$log" ||
	fail "rte_dma_dump (SIGUSR1) does not show dmadev 0 = dma_idxp0, started"
grep -q "Copy Mode = hw," <<<"$final" || fail "dmafwd is not in hardware (dmadev) copy mode"

# ---- check 2: counters ----
# In hw mode a received packet reaches tx only through rte_dma_copy() +
# rte_dma_completed() on dmadev 0: "Packets sent" counts copies returned by
# the DMA path. The "DMA channel 0" numbers are idxp's own vchan counters
# (rte_dma_stats_get -> idxp_stats_get), not dmafwd's: N ops submitted to and
# completed by the idxp engine, none failed.
val() { awk -v k="$1" 'index($0, k) { v = $NF } END { print v + 0 }' <<<"$final"; }
for kv in "Packets received:=$N" "Packets sent:=$N" "Packets dropped on tx:=0" \
		"Packets dropped on copy:=0" "\t Total submitted ops:=$N" \
		"\t Total completed ops:=$N" "\t Total failed ops:=0"; do
	k=${kv%=*} want=${kv##*=}
	got=$(val "$k")
	[ "$got" = "$want" ] || fail "'${k#\\t }' is $got, expected $want"
done
# idxp's dump, taken after all copies completed: the vchan saw N ops.
grep -Eq "^ +submitted $N completed $N errors 0 " <<<"$log" ||
	fail "idxp's dump does not show $N submitted/completed ops on its vchan"

# ---- check 3: the transmitted packets are the DMA copies ----
# dmafwd (hw mode) transmits the *destination* mbufs of the copies, freshly
# taken from the mempool: the CPU only copies mbuf metadata (data_off,
# lengths) into them and rewrites the 12 MAC bytes; every payload byte in
# them was written by the idxp engine. Each input packet is unique (seq +
# seq-dependent pattern) and the source mbuf of packet k is only freed after
# its copy completed, so a stale buffer cannot hold packet k's bytes: out[k]
# matching in[k] from byte 12 to the end (same length) proves that the engine
# copied packet k, whole, to the right place. The MACs must be rewritten as
# dmafwd does: dst 02:00:00:00:00:<tx port>, src = the tx port's MAC.
portmac=$(sed -n 's/^Port 0, MAC address: \([0-9A-Fa-f:]*\).*/\1/p' <<<"$log" | head -n1)
[ -n "$portmac" ] || fail "dmafwd did not print port 0's MAC address"
python3 - "$work/in.pcap" "$work/out.pcap" "$portmac" "$N" <<'EOF' || fail "out.pcap does not hold the DMA copies of in.pcap"
import struct, sys
def read(path):
    with open(path, 'rb') as f:
        d = f.read()
    if len(d) < 24:
        sys.exit(f"{path}: not a pcap file ({len(d)} bytes)")
    magic = struct.unpack('<I', d[:4])[0]
    if magic in (0xa1b2c3d4, 0xa1b23c4d):
        e = '<'
    elif magic in (0xd4c3b2a1, 0x4d3cb2a1):
        e = '>'
    else:
        sys.exit(f"{path}: bad pcap magic {magic:#x}")
    pkts, off = [], 24
    while off + 16 <= len(d):
        _, _, incl, orig = struct.unpack(e + 'IIII', d[off:off + 16])
        off += 16
        if incl != orig:
            sys.exit(f"{path}: packet {len(pkts)} truncated ({incl} of {orig})")
        pkts.append(d[off:off + incl])
        off += incl
    return pkts
inp, out = read(sys.argv[1]), read(sys.argv[2])
mac = bytes.fromhex(sys.argv[3].replace(':', ''))
n = int(sys.argv[4])
if len(inp) != n:
    sys.exit(f"in.pcap holds {len(inp)} packets, expected {n}")
if len(out) != n:
    sys.exit(f"out.pcap holds {len(out)} packets, expected {n}")
dst = bytes([2, 0, 0, 0, 0, 0])
bad = 0
for k, (i, o) in enumerate(zip(inp, out)):
    why = None
    if len(o) != len(i):
        why = f"length {len(o)} != {len(i)}"
    elif o[12:] != i[12:]:
        diff = next(x for x in range(12, len(i)) if o[x] != i[x])
        why = f"payload differs from byte {diff} (seq in copy: {struct.unpack('>I', o[14:18])[0]})"
    elif o[0:6] != dst or o[6:12] != mac:
        why = f"MACs {o[0:6].hex(':')} / {o[6:12].hex(':')} not rewritten to {dst.hex(':')} / {mac.hex(':')}"
    if why:
        bad += 1
        if bad <= 5:
            print(f"packet {k}: {why}")
if bad:
    sys.exit(f"{bad} of {n} transmitted packets are not the DMA copy of their input")
print(f"out.pcap: {n} packets, each a byte-exact copy of its input packet "
      f"({sum(map(len, inp))} bytes in all), MACs rewritten to {dst.hex(':')} / {mac.hex(':')}")
EOF

echo "$final" | grep -E "Packets (sent|received)|DMA channel|Total (submitted|completed|failed) ops: [0-9]" | sed 's/^/  /'
echo "PASS: dmafwd (examples/dma, copy mode hw) forwarded $N packets through dma_idxp0: $N DMA copies submitted and completed, 0 failed, out.pcap byte-exact (${elapsed}s)"
exit 0
