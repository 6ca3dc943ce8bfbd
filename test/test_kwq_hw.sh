#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The idxp authors
#
# idxp on real user work queues of the kernel's idxd driver: for each
# enabled WQ of type user with a char device this user can open,
# dmadev_autotest through `wq=` against the real /sys and /dev (an empty
# IDXP_KWQ_ROOT). Skips, saying why, where there is none.
#
# Usage: test_kwq_hw.sh BUILD_DIR
set -uo pipefail
BUILD=$(cd "${1:?usage: test_kwq_hw.sh BUILD_DIR}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)

wqs=() why=()
for d in /sys/bus/dsa/devices/wq*; do
	[ -e "$d/type" ] || continue
	wq=$(basename "$d")
	if [ "$(cat "$d/type")" != user ] || [ "$(cat "$d/state")" != enabled ]; then
		why+=("$wq ($(cat "$d/type"), $(cat "$d/state"))")
	elif [ ! -r "/dev/dsa/$wq" ] || [ ! -w "/dev/dsa/$wq" ]; then
		why+=("$wq (no access to /dev/dsa/$wq)")
	else
		wqs+=("$wq")
	fi
done
if [ ${#wqs[@]} -eq 0 ]; then
	if [ ${#why[@]} -eq 0 ]; then
		echo "SKIP: no work queue of the kernel's idxd driver (/sys/bus/dsa/devices)"
	else
		echo "SKIP: no enabled user work queue this user can open: ${why[*]}"
		echo "      (accel-config config-wq --type=user ..., then enable-wq; see doc/kernel-wq.md)"
	fi
	exit 77
fi
fail=0
for wq in "${wqs[@]}"; do
	echo "== $wq"
	IDXP_KWQ_ROOT= bash "$HERE/run-autotest.sh" "$BUILD" "wq=$wq" va || fail=1
done
exit $fail
