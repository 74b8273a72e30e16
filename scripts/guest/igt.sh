#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest: load the emulator with $NVSVM_SIM_PARAMS and nvsvm with
# $NVSVM_MODULE_PARAMS, and run every subtest of the given IGT binaries,
# one process each, as igt_runner would. Exit status 0 is a pass, 77 a
# skip, anything else a failure.
# Usage: igt.sh MODULE_DIR BINARY...
set -u
mod=${1:?module directory}
shift
export NVSVM_MODULE=$mod/nvsvm.ko
export NVSVM_SIM_MODULE=$mod/nvsvm-sim.ko
export NVSVM_MODULE_PARAMS=${NVSVM_MODULE_PARAMS:-}
export NVSVM_SIM_PARAMS=${NVSVM_SIM_PARAMS:-}

# shellcheck disable=SC2086
insmod "$NVSVM_SIM_MODULE" $NVSVM_SIM_PARAMS || { echo "RESULT fail igt.load-nvsvm-sim"; exit 1; }
# shellcheck disable=SC2086
insmod "$NVSVM_MODULE" $NVSVM_MODULE_PARAMS || { echo "RESULT fail igt.load-nvsvm"; exit 1; }

for bin in "$@"; do
	name=$(basename "$bin")
	subtests=$("$bin" --list-subtests) || { echo "RESULT fail igt.$name.list"; continue; }
	for t in $subtests; do
		out=$(timeout 300 "$bin" --run-subtest "$t" 2>&1)
		rc=$?
		case $rc in
		0) echo "RESULT pass igt.$name.$t" ;;
		77) echo "RESULT skip igt.$name.$t" ;;
		*) echo "RESULT fail igt.$name.$t (exit $rc)"
		   printf '%s\n' "$out" | sed 's/^/  | /' ;;
		esac
	done
done

[ -d /sys/module/nvsvm ] && { rmmod nvsvm || echo "RESULT fail igt.unload"; }
[ -d /sys/module/nvsvm_sim ] && { rmmod nvsvm_sim || echo "RESULT fail igt.unload-sim"; }
exit 0
