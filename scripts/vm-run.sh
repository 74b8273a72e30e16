#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# vm-run.sh [options] -- COMMAND
#
# Boot the test kernel under virtme-ng (QEMU, software emulation when there
# is no /dev/kvm), run COMMAND (a shell command line) as root in the guest,
# from the repository's top directory, and exit with its status.
#
#   -k KDIR      kernel build directory (default: scripts/kernel.sh's answer)
#   -t SECONDS   time limit for boot, command and power-off (default 600)
#   -m MEM       guest memory (default 2G)
#   -o DIR       keep the run's files here (console.log, dmesg, rc)
#
# The guest sees the host's filesystem read-only, except DIR, which it finds
# as $NVSVM_RUNDIR. Exit status:
#   COMMAND's status   the kernel log is clean
#   124                time limit reached (the guest is killed)
#   125                the kernel reported a problem: panic, oops, BUG,
#                      WARNING, lockdep, KASAN, UBSAN, kmemleak, soft lockup,
#                      RCU stall (the report is printed), or the guest died
#                      before COMMAND finished
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
kdir=
timeout=600
mem=2G
keep=

while [ $# -gt 0 ]; do
	case "$1" in
	-k) kdir=$2; shift 2 ;;
	-t) timeout=$2; shift 2 ;;
	-m) mem=$2; shift 2 ;;
	-o) keep=$2; shift 2 ;;
	--) shift; break ;;
	*) echo "vm-run.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
[ $# -gt 0 ] || { echo "usage: vm-run.sh [-k KDIR] [-t S] [-m MEM] [-o DIR] -- COMMAND" >&2; exit 2; }
[ -n "$kdir" ] || kdir=$("$top/scripts/kernel.sh") || exit 2

if [ -n "$keep" ]; then
	run=$keep
	mkdir -p "$run"
	rm -f "$run/rc" "$run/dmesg" "$run/console.log" "$run/cmd.sh"
else
	run=$(mktemp -d /tmp/nvsvm-vm.XXXXXX)
	trap 'rm -rf "$run"' EXIT
fi
printf '%s\n' "$*" >"$run/cmd.sh"

# Software emulation unless asked: on these machines /dev/kvm can exist yet
# abort QEMU (failed MSR writes), so KVM is opt-in with NVSVM_KVM=1.
kvm=--disable-kvm
[ "${NVSVM_KVM:-0}" = 1 ] && kvm=

# virtiofsd cannot start in this sandbox, so the root is shared over 9p,
# whose mount tag vng names /dev/root but does not pass as root=.
# panic=-1 reboots at once on a panic and -no-reboot turns that into QEMU
# exiting, so a panic ends the run instead of hanging it.
start=$(date +%s)
timeout --kill-after=10 "$timeout" \
	vng --run "$kdir" $kvm --cpus 2 --memory "$mem" --verbose \
	    --rwdir "$run=$run" --cwd "$top" --force-9p --disable-microvm \
	    --append "root=/dev/root panic=-1 loglevel=7" \
	    --qemu-opts=-no-reboot \
	    --exec "NVSVM_RUNDIR=$run bash $top/scripts/guest/exec.sh" \
	    </dev/null >"$run/console.log" 2>&1
vng_rc=$?
elapsed=$(( $(date +%s) - start ))

# What the command printed (the guest writes it to the console too).
[ -f "$run/out" ] && cat "$run/out"

if [ "$vng_rc" -eq 124 ] || [ "$vng_rc" -eq 137 ]; then
	echo "vm-run.sh: time limit of ${timeout}s reached; last console lines:" >&2
	tail -n 30 "$run/console.log" >&2
	exit 124
fi

# Kernel problems, in the console (which survives a panic) and in dmesg.
pattern='Kernel panic|BUG:|WARNING:|Oops|general protection fault|'
pattern+='KASAN:|UBSAN:|kmemleak:.*new suspected|unreferenced object|'
pattern+='soft lockup|hard LOCKUP|rcu_.*self-detected stall|rcu: INFO:|'
pattern+='possible circular locking|inconsistent lock state|'
pattern+='list_(add|del) corruption|Call Trace:'
# grep reads the files itself: with pipefail, "cat | grep -q" fails when grep
# stops at the first match before cat is done, which hid problems in logs
# larger than a pipe's buffer.
if grep -Eqs "$pattern" "$run/console.log" "$run/dmesg"; then
	echo "vm-run.sh: the kernel reported a problem:" >&2
	grep -Eqs "$pattern" "$run/dmesg" && src="$run/dmesg" || src="$run/console.log"
	grep -E -m1 -n "$pattern" "$src" | cut -d: -f1 | {
		read -r line
		sed -n "$((line > 5 ? line - 5 : 1)),$((line + 40))p" "$src"
	} >&2
	exit 125
fi

if [ ! -f "$run/rc" ]; then
	echo "vm-run.sh: the guest ended (vng status $vng_rc) before the command finished; last console lines:" >&2
	tail -n 30 "$run/console.log" >&2
	exit 125
fi

echo "vm-run.sh: guest ran for ${elapsed}s" >&2
exit "$(cat "$run/rc")"
