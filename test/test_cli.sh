#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Scripted checks of idxp-cli: against dma_skeleton always, and against
# dma_idxp0 when the idxp driver is in the binary. One line per check;
# exits 1 if any check failed.
#
# Usage: test/test_cli.sh [path/to/idxp-cli]   (default build/app/idxp-cli)
# IDXP_CLI_EAL overrides the EAL options below.
set -u

bin=${1:-build/app/idxp-cli}
prefix=idxpcli$$
read -r -a eal <<<"${IDXP_CLI_EAL:--l 0 --no-huge -m 256 --no-pci --file-prefix=$prefix --iova-mode=va}"
work=$(mktemp -d /tmp/test_cli.XXXXXX)
nb=0
nb_failed=0
out=
rc=0

cleanup() {
	rm -rf "/var/run/dpdk/$prefix" "${XDG_RUNTIME_DIR:-/nonexistent}/dpdk/$prefix"
	if [ "$nb_failed" -eq 0 ]; then
		rm -rf "$work"
	fi
}
trap cleanup EXIT

if [ ! -x "$bin" ]; then
	echo "not ok - $bin is not an executable (build first, or pass its path)"
	exit 1
fi

# cli NAME VDEV CMD...: run the commands as a script; sets $out and $rc.
cli() {
	local name=$1 vdev=$2

	shift 2
	printf '%s\n' "$@" >"$work/$name.cmds"
	timeout 300 "$bin" "${eal[@]}" --vdev="$vdev" -- \
		--cmdline-file "$work/$name.cmds" >"$work/$name.out" 2>&1
	rc=$?
	out=$(tr '\r' '\n' <"$work/$name.out")
	last=$name
}

# check DESC TEST...: one line per check; keeps the output of failures.
check() {
	local desc=$1

	shift
	nb=$((nb + 1))
	if "$@"; then
		echo "ok $nb - $desc"
	else
		nb_failed=$((nb_failed + 1))
		echo "not ok $nb - $desc (exit $rc; output in $work/$last.out)"
	fi
}

rc_is() { [ "$rc" -eq "$1" ]; }
has() { grep -qF -- "$1" <<<"$out"; }
has_re() { grep -qE -- "$1" <<<"$out"; }
count_is() { [ "$(grep -cF -- "$1" <<<"$out")" -eq "$2" ]; }
count_re_is() { [ "$(grep -cE -- "$1" <<<"$out")" -eq "$2" ]; }
no_crash() { [ "$rc" -lt 124 ]; }

# ---- dma_skeleton: generic commands ----

cli skel-ok dma_skeleton \
	"list" \
	"show device dma_skeleton" \
	"configure dma_skeleton 1" \
	"vchan setup dma_skeleton 0 1024" \
	"start dma_skeleton" \
	"list" \
	"run copy dma_skeleton 0 size 4K count 20000 burst 32 verify on" \
	"run copy 0 0 size 64K seconds 1 burst 16 verify on" \
	"stats show dma_skeleton" \
	"stats show dma_skeleton 0" \
	"stats reset dma_skeleton" \
	"stats show dma_skeleton 0" \
	"dump dma_skeleton" \
	"stop dma_skeleton" \
	"close dma_skeleton" \
	"list"
check "skeleton: a script of good commands exits 0" rc_is 0
check "skeleton: no command reported an error" count_re_is "^error:" 0
check "skeleton: show device decodes capabilities" has "mem2mem sva copy"
check "skeleton: list shows the device started" has_re "^0 +dma_skeleton +started +1/1"
check "skeleton: run copy of 20000 ops completes them all" has_re "completed +20000 of 20000"
check "skeleton: run copy verifies every op" count_re_is "verify failed +0$" 2
check "skeleton: run reports GB/s and Mops/s" has_re "throughput +[0-9.]+ GB/s, [0-9.]+ Mops/s"
check "skeleton: a timed run prints a progress line" grep -q $'\r' "$work/skel-ok.out"
check "skeleton: stats show counts the submitted ops" has_re "submitted +[1-9][0-9]*"
check "skeleton: stats reset clears the counters" has_re "^  completed +0$"
check "skeleton: dump prints rte_dma_dump" has "DMA Dev 0, 'dma_skeleton' [started]"
check "skeleton: close removes the device" has "no dma devices"

cli skel-errors dma_skeleton \
	"configure dma_skeleton 1" \
	"vchan setup dma_skeleton 0 1024" \
	"show device nosuchdev" \
	"run copy dma_skeleton 0 size 4K count 10" \
	"start dma_skeleton" \
	"run copy dma_skeleton 5 size 4K count 10" \
	"run copy dma_skeleton 0 size 0 count 10" \
	"run fill dma_skeleton 0 size 4K count 10" \
	"wait mode dma_skeleton 0 intr" \
	"inject dma_skeleton 0 src 1" \
	"events dma_skeleton" \
	"stats show dma_skeleton" \
	"configure dma_skeleton 1" \
	"frobnicate" \
	"run copy dma_skeleton" \
	"list"
check "errors: a failing script exits 1" rc_is 1
check "errors: unknown device is named, with its line" has "skel-errors.cmds:3: unknown device 'nosuchdev'"
check "errors: run on a stopped device says so" has "device dma_skeleton is not started"
check "errors: vchan out of range says so" has "vchan 5 out of range"
check "errors: bad size says so" has "bad size '0'"
check "errors: fill on a device without fill says so" has "device dma_skeleton does not support fill"
check "errors: idxp commands refuse a non-idxp device" count_is "device dma_skeleton is not an idxp device" 3
check "errors: stats of a non-idxp device show no idxp counters" bash -c "! grep -q 'idxp counters' '$work/skel-errors.out'"
check "errors: configure of a started device says so" has "device dma_skeleton is started"
check "errors: unknown command says so" has "unknown command: frobnicate"
check "errors: missing arguments print the usage" has "usage: run copy|fill"
check "errors: the tool goes on after errors" has_re "^0 +dma_skeleton +started"
check "errors: every failing command is reported once" count_re_is "^error:" 11

# As testpmd does with ports: run sets up a device nobody configured.
cli skel-default dma_skeleton \
	"run copy dma_skeleton 1 size 4K count 10" \
	"run copy dma_skeleton 0 size 4K count 5000 burst 32 verify on" \
	"show device dma_skeleton" \
	"run copy dma_skeleton 0 size 4K count 10" \
	"stop dma_skeleton" \
	"run copy dma_skeleton 0 size 4K count 10"
check "default setup: run on an unconfigured device says what it set up" \
	count_is "device dma_skeleton was not configured: configured 1 vchan, vchan 0 with 1024 descriptors, started" 1
check "default setup: the run then completes and verifies" has_re "completed +5000 of 5000"
check "default setup: the vchan shows its 1024 descriptors" has_re "vchan 0 +nb_desc 1024, "
check "default setup: only vchan 0 is set up by default" \
	has "device dma_skeleton is not configured and run sets up vchan 0 only"
check "default setup: a configured device is left as it is" \
	has "device dma_skeleton is not started (use: start dma_skeleton)"
check "default setup: the two refused runs fail the script" rc_is 1

cli one-bad dma_skeleton "list" "show device 7" "list"
check "exit status: one failing command among good ones exits 1" rc_is 1
check "exit status: the script goes on after it" count_is "idxp> list" 2

printf 'list\nquit\nlist\n' | timeout 60 "$bin" "${eal[@]}" --vdev=dma_skeleton \
	>"$work/stdin.out" 2>&1
rc=$?
out=$(cat "$work/stdin.out")
last=stdin
check "stdin: commands from a pipe run and exit 0" rc_is 0
check "stdin: quit ends the script" count_is "idxp> list" 1

timeout 60 "$bin" "${eal[@]}" -- --cmdline-file "$work/no-such-file" \
	>"$work/nofile.out" 2>&1
rc=$?
out=$(cat "$work/nofile.out")
last=nofile
check "options: a missing --cmdline-file exits 1 with a message" \
	bash -c "[ $rc -eq 1 ] && grep -q 'cannot open' '$work/nofile.out'"

# ---- dma_idxp0: the idxp driver ----

idxp=dma_idxp0,core=1
cli idxp-probe "$idxp" "list"
if ! has_re "dma_idxp0 .* idxp$"; then
	if nm "$bin" 2>/dev/null | grep -q ' T rte_pmd_idxp_stats_get$'; then
		check "idxp: dma_idxp0 probes (the driver is linked)" false
	else
		echo "ok $((nb + 1)) - idxp: skipped, the idxp driver is not in $bin # SKIP"
	fi
	echo "$nb_failed of $nb check(s) failed"
	[ "$nb_failed" -eq 0 ]
	exit
fi

setup=("configure dma_idxp0 2" "vchan setup dma_idxp0 0 512"
	"vchan setup dma_idxp0 1 512" "start dma_idxp0")

cli idxp-ok "$idxp" \
	"show device dma_idxp0" \
	"${setup[@]}" \
	"run copy dma_idxp0 0 size 4K count 20000 burst 32 verify on" \
	"run fill dma_idxp0 1 size 4093 count 20000 burst 32 verify on" \
	"run copy dma_idxp0 0 size 1M count 200 burst 4 verify on" \
	"wait mode dma_idxp0 0 intr" \
	"run copy dma_idxp0 0 size 4K count 20000 burst 32 verify on" \
	"run fill dma_idxp0 0 size 64K seconds 1 burst 8 verify on" \
	"wait mode dma_idxp0 0 poll" \
	"stats show dma_idxp0" \
	"stats show dma_idxp0 1" \
	"stats reset dma_idxp0" \
	"stats show dma_idxp0" \
	"events dma_idxp0" \
	"stop dma_idxp0" \
	"close dma_idxp0"
check "idxp: a script of good commands exits 0" rc_is 0
check "idxp: no command reported an error" count_re_is "^error:" 0
check "idxp: show device names the idxp driver" has_re "driver +idxp"
check "idxp: copy and fill complete every op" count_re_is "completed +20000 of 20000" 3
check "idxp: every run verifies clean" count_re_is "verify failed +0$" 5
check "idxp: run waits by interrupt after wait mode intr" has "wait intr"
check "idxp: stats show the idxp counters" has "idxp counters (device-wide):"
check "idxp: interrupt waits were taken" has_re "wakeups +[1-9]"
check "idxp: stats reset clears the idxp counters" has_re "^    wq_interrupts +0$"

cli idxp-default "$idxp" "run fill dma_idxp0 0 size 64K count 2000 burst 8 verify on"
check "idxp default setup: run sets up and starts dma_idxp0" \
	has "device dma_idxp0 was not configured: configured 1 vchan, vchan 0 with 1024 descriptors, started"
check "idxp default setup: the fill verifies" has_re "verify failed +0$"
check "idxp default setup: exits 0" rc_is 0

cli idxp-faults "$idxp" \
	"${setup[@]}" \
	"inject dma_idxp0 0 src 2" \
	"run copy dma_idxp0 0 size 4K count 100 burst 8 verify on" \
	"inject dma_idxp0 0 page_req 2" \
	"run copy dma_idxp0 0 size 4K count 100 burst 8 verify on" \
	"events dma_idxp0" \
	"stats show dma_idxp0" \
	"inject dma_idxp0 9 src 1"
check "idxp faults: the run with injected faults fails the script" rc_is 1
check "idxp faults: two src faults give two errors by status" \
	has_re "RTE_DMA_STATUS_INVALID_SRC_ADDR +2$"
check "idxp faults: the run reports the failed ops" has "run: 2 op(s) failed, 0 verify mismatch(es)"
check "idxp faults: resolved page requests complete clean" has_re "completed +100 of 100"
check "idxp faults: events show the page requests" count_re_is "page_request +0 " 2
check "idxp faults: stats count the injections" has_re "injected +4$"
check "idxp faults: inject on a vchan out of range says so" has "vchan 9 out of range"

cli idxp-halt "$idxp" \
	"${setup[@]}" \
	"inject dma_idxp0 0 halt 1" \
	"run copy dma_idxp0 0 size 4K count 1000 burst 8 verify on" \
	"run copy dma_idxp0 0 size 4K count 1000 burst 8 verify on" \
	"events dma_idxp0" \
	"stats show dma_idxp0"
check "idxp halt: the tool survives a device halt" no_crash
check "idxp halt: events show the halt" has_re "^[0-9]+ +halt "
check "idxp halt: the device was reset" has_re "resets +1$"
check "idxp halt: the run after the reset is clean" has_re "^  ok +1000$"

echo "$nb_failed of $nb check(s) failed"
[ "$nb_failed" -eq 0 ]
