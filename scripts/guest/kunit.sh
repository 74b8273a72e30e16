#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest: load the emulator, nvsvm and nvsvm-test (which runs the KUnit
# suites as it loads) and report every test case from the suites' KTAP
# results in debugfs.
# Usage: kunit.sh MODULE_DIR
set -u
mod=${1:?module directory}

insmod "$mod/nvsvm-sim.ko" || { echo "RESULT fail kunit.load-nvsvm-sim"; exit 1; }
insmod "$mod/nvsvm.ko" || { echo "RESULT fail kunit.load-nvsvm"; exit 1; }
insmod "$mod/nvsvm-test.ko" || { echo "RESULT fail kunit.load-nvsvm-test"; exit 1; }

found=0
for dir in /sys/kernel/debug/kunit/nvsvm*; do
	[ -f "$dir/results" ] || continue
	found=1
	suite=$(basename "$dir")
	sed 's/^/  | /' "$dir/results"
	# Test cases are the KTAP lines one level (4 spaces) into the suite;
	# parameterised cases carry their parameters one level deeper.
	awk -v indent=4 -v prefix="kunit.$suite." -f "$(dirname "$0")/ktap-results.awk" \
		"$dir/results"
done
[ "$found" -eq 1 ] || echo "RESULT fail kunit.no-suites-ran"

rmmod nvsvm_test && rmmod nvsvm && rmmod nvsvm_sim || echo "RESULT fail kunit.unload"
