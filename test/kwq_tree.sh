#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The idxp authors
#
# A fake idxd tree for the kwq tests: point IDXP_KWQ_ROOT at ROOT.
#   wq0.0  dedicated user WQ, enabled, named idxp-ded
#   wq0.1  shared user WQ, enabled, named idxp-shared
#   wq0.2  kernel WQ (not ours)          wq0.3  user WQ, disabled
# Each user WQ's "char device" is a one-page file the fake kernel serves.
set -eu
root=${1:?usage: kwq_tree.sh ROOT}
sys=$root/sys/bus/dsa/devices
rm -rf "$root"
mkdir -p "$sys/dsa0" "$root/dev/dsa"
: >"$root/idxp-fake-idxd"
echo 0 >"$sys/dsa0/numa_node"
# memmove (3), batch (1), drain (2), fill (4) and more, as a DSA 1.0 prints it
echo "00000000,00000000,00000000,00000000,00000000,00000000,0000007b,00bf07ff" \
	>"$sys/dsa0/op_cap"
wq() {	# name mode type state wq_name
	local d=$sys/$1
	mkdir -p "$d"
	echo "$2" >"$d/mode"
	echo "$3" >"$d/type"
	echo "$4" >"$d/state"
	echo "$5" >"$d/name"
	echo 16 >"$d/size"
	echo 32 >"$d/max_batch_size"
	echo 2097152 >"$d/max_transfer_size"
	echo 0 >"$d/block_on_fault"
	echo 0 >"$d/idxp_fake_reserved"
	echo 0 >"$d/idxp_fake_enable"
	truncate -s 4096 "$root/dev/dsa/$1"
}
wq wq0.0 dedicated user enabled idxp-ded
wq wq0.1 shared user enabled idxp-shared
wq wq0.2 dedicated kernel enabled dmaengine
wq wq0.3 dedicated user disabled idxp-off
