#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs in the guest (see scripts/vm-run.sh): run $NVSVM_RUNDIR/cmd.sh, then
# leave its status and the kernel log in $NVSVM_RUNDIR for the host.
run=${NVSVM_RUNDIR:?}
export NVSVM_RUNDIR

# In the debug flavour: forget leaks from boot, look for new ones after.
kmemleak=/sys/kernel/debug/kmemleak
[ -w "$kmemleak" ] && echo clear >"$kmemleak"

bash "$run/cmd.sh" >"$run/out" 2>&1
rc=$?

if [ -w "$kmemleak" ]; then
	# kmemleak reports only objects older than 5 s; scan twice past that.
	sleep 6
	echo scan >"$kmemleak"
	sleep 1
	echo scan >"$kmemleak"
	cat "$kmemleak" >"$run/kmemleak"
	[ -s "$run/kmemleak" ] && echo "kmemleak: new suspected memory leaks (see kmemleak)" >>"$run/out"
fi

dmesg >"$run/dmesg"
[ -s "$run/kmemleak" ] && cat "$run/kmemleak" >>"$run/dmesg"
echo "$rc" >"$run/rc"
