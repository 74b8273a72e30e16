#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The project's test command (README: `make test`). On a fresh Debian 12
# machine it installs what it needs, builds (or reuses) both test kernels,
# then for each kernel leg boots VMs that run:
#   kunit   the module's KUnit suites (nvsvm-test.ko)
#   igt     every IGT subtest in igt-tests/, one process each
#   hmm     the kernel's own hmm-tests against test_hmm (the peer baseline)
# Userspace's own tests (the assembler) run on the host first.
# and, once, the rig's self-test (does vm-run.sh catch a WARN, an oops, a
# panic and a hang?). Each VM boot also counts as a test that the kernel log
# stayed clean. Ends with the line "N passed, N failed, N skipped".
#
#   NVSVM_LEGS="lts mainline"   kernel legs to run (default both)
#   NVSVM_FLAVOUR=rig|debug      kernel flavour (debug: KASAN, lockdep, ...)
#   NVSVM_SUITES="kunit igt hmm rig"
#   NVSVM_RESULTS=DIR            logs (default results/)
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
legs=${NVSVM_LEGS:-lts mainline}
suites=${NVSVM_SUITES:-kunit igt hmm rig}
flavour=${NVSVM_FLAVOUR:-rig}
export NVSVM_FLAVOUR=$flavour
out=${NVSVM_RESULTS:-$top/results}
rm -rf "$out"
mkdir -p "$out"
summary=$out/summary
: >"$summary"
start=$(date +%s)

# The emulator parameters the IGT run loads nvsvm-sim with: not the defaults, so
# that a value the driver merely assumed would not pass the checks.
sim_params="num_gpus=2 vram_mb=48 num_sms=3"

record() {	# record pass|fail|skip NAME
	echo "$1 $2" >>"$summary"
	printf '%-4s %s\n' "$(echo "$1" | tr '[:lower:]' '[:upper:]')" "$2"
}

section() { echo; echo "=== $* ($(( $(date +%s) - start ))s)"; }

# vm_suite LEG SUITE KDIR TIMEOUT COMMAND: run COMMAND in a VM, record its
# RESULT lines under LEG, and the boot itself as LEG.SUITE.vm.
vm_suite() {
	local leg=$1 suite=$2 kdir=$3 limit=$4 cmd=$5 rc log
	# KASAN, lockdep and kmemleak under TCG: several times slower.
	[ "$flavour" = debug ] && limit=$((limit * 4))
	log=$out/$leg/$suite.log
	mkdir -p "$out/$leg"
	scripts/vm-run.sh -k "$kdir" -t "$limit" -o "$out/$leg/$suite.vm" -- "$cmd" >"$log" 2>&1
	rc=$?
	grep -E '^  \| ' "$log" | head -n 400 >"$log.details"
	while read -r _ status name rest; do
		record "$status" "$leg.$name${rest:+ $rest}"
	done < <(grep -E '^RESULT (pass|fail|skip) ' "$log")
	grep -qE '^RESULT ' "$log" || record fail "$leg.$suite.no-results"
	case $rc in
	0) record pass "$leg.$suite.vm" ;;
	124) record fail "$leg.$suite.vm (time limit)"; tail -n 40 "$log" ;;
	125) record fail "$leg.$suite.vm (kernel reported a problem)"; grep -v '^RESULT' "$log" | tail -n 60 ;;
	*) record fail "$leg.$suite.vm (guest script status $rc)"; tail -n 40 "$log" ;;
	esac
	grep -E '^RESULT fail' -A 30 "$log" | grep -E '^  \| ' | head -n 60
}

# rig_expect NAME EXPECTED_STATUS KDIR LIMIT COMMAND [REPORT_PATTERN]: the rig
# self-test. With REPORT_PATTERN, the run's output must also show a kernel
# report matching it (grep -E).
rig_expect() {
	local name=$1 want=$2 kdir=$3 limit=$4 cmd=$5 report=${6:-} rc
	[ "$flavour" = debug ] && limit=$((limit * 4))
	scripts/vm-run.sh -k "$kdir" -t "$limit" -o "$out/rig/$name" -- "$cmd" \
		>"$out/rig/$name.log" 2>&1
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		record fail "rig.$name (vm-run.sh status $rc, expected $want)"
		tail -n 30 "$out/rig/$name.log"
	elif [ -n "$report" ] && ! grep -Eq "$report" "$out/rig/$name.log"; then
		record fail "rig.$name (no kernel report matching '$report')"
		tail -n 30 "$out/rig/$name.log"
	else
		record pass "rig.$name"
	fi
}

section "host setup"
if ! bash scripts/setup-host.sh >"$out/setup.log" 2>&1; then
	tail -n 30 "$out/setup.log"
	record fail "host.setup"
fi

section "userspace and IGT tests"
if make -s -C userspace >"$out/userspace.log" 2>&1 && make -s -C igt-tests >>"$out/userspace.log" 2>&1; then
	record pass "host.userspace-build"
else
	cat "$out/userspace.log"
	record fail "host.userspace-build"
fi
section "host tests (userspace)"
make -s -C userspace check >"$out/host-check.log" 2>&1
check_rc=$?
while read -r _ status name rest; do
	record "$status" "host.$name${rest:+ $rest}"
done < <(grep -E '^RESULT (pass|fail|skip) ' "$out/host-check.log")
if [ "$check_rc" -ne 0 ] || ! grep -qE '^RESULT ' "$out/host-check.log"; then
	record fail "host.userspace-check (status $check_rc)"
	grep -vE '^RESULT pass' "$out/host-check.log" | tail -n 30
fi

# checkpatch from one reference tree, whichever legs run: the 6.12 LTS
# source, the primary target. Code that builds on 6.12 cannot follow rules
# that newer trees add for newer APIs (mainline's checkpatch wants
# kzalloc_obj(), which 6.12 lacks), so the verdict must not depend on
# NVSVM_LEGS.
section "checkpatch (6.12 reference tree)"
if ! ref=$(NVSVM_KERNEL=lts NVSVM_SOURCE_ONLY=1 scripts/kernel.sh 2>"$out/checkpatch-src.log"); then
	tail -n 20 "$out/checkpatch-src.log"
	record fail "host.checkpatch-strict (no 6.12 source)"
elif perl "$ref/scripts/checkpatch.pl" --no-tree --strict --terse --show-types \
	-f $(find drm uapi -name '*.[ch]' -not -name nvsvm_conftest.h | sort) \
	>"$out/checkpatch.log" 2>&1; then
	record pass "host.checkpatch-strict"
else
	grep -E 'ERROR|WARNING|CHECK' "$out/checkpatch.log" | head -n 30
	record fail "host.checkpatch-strict"
fi

igt_bins=$(for t in $(make -s -C igt-tests list); do echo "$top/igt-tests/build/$t"; done | tr '\n' ' ')

rig_done=0
for leg in $legs; do
	section "kernel leg $leg ($flavour)"
	if ! kdir=$(NVSVM_KERNEL=$leg scripts/kernel.sh 2>"$out/kernel-$leg.log"); then
		tail -n 30 "$out/kernel-$leg.log"
		record fail "$leg.kernel-build"
		continue
	fi
	grep -E '^kernel.sh: (leg|built|cached)' "$out/kernel-$leg.log"
	record pass "$leg.kernel-build"

	if NVSVM_SPARSE=1 scripts/build-module.sh "$kdir" >/dev/null 2>"$out/sparse-$leg.log"; then
		record pass "$leg.module-sparse-clean"
	else
		tail -n 40 "$out/sparse-$leg.log"
		record fail "$leg.module-sparse-clean"
	fi
	# The build that is tested: W=1, without sparse's objects.
	if mod=$(scripts/build-module.sh "$kdir" 2>"$out/module-$leg.log"); then
		record pass "$leg.module-build-W1-clean"
	else
		tail -n 40 "$out/module-$leg.log"
		record fail "$leg.module-build-W1-clean"
		continue
	fi
	for suite in $suites; do
		case $suite in
		kunit)
			section "$leg: KUnit"
			vm_suite "$leg" kunit "$kdir" 600 "bash scripts/guest/kunit.sh $mod"
			;;
		igt)
			section "$leg: IGT"
			vm_suite "$leg" igt "$kdir" 900 \
				"NVSVM_SIM_PARAMS='$sim_params' bash scripts/guest/igt.sh $mod $igt_bins"
			;;
		hmm)
			section "$leg: hmm-tests (kernel selftest on test_hmm)"
			if hmm=$(scripts/build-hmm-tests.sh "$kdir" 2>"$out/hmm-build-$leg.log"); then
				vm_suite "$leg" hmm "$kdir" 900 "bash scripts/guest/hmm.sh $hmm"
			else
				tail -n 30 "$out/hmm-build-$leg.log"
				record fail "$leg.hmm-tests-build"
			fi
			;;
		rig)
			[ "$rig_done" -eq 0 ] || continue
			rig_done=1
			section "rig self-test on $leg"
			mkdir -p "$out/rig"
			inject=$(dirname "$(dirname "$mod")")/rig-selftest/nvsvm_rig_inject.ko
			rig_expect exit-status-passes-through 3 "$kdir" 300 "exit 3"
			rig_expect detects-warn 125 "$kdir" 300 "insmod $inject what=warn; exit 0"
			# The same with more kernel log after the warning than a pipe
			# holds (/dev/kmsg is rate limited unless printk_devkmsg is on).
			rig_expect detects-warn-in-long-log 125 "$kdir" 300 \
				"insmod $inject what=warn; echo on >/proc/sys/kernel/printk_devkmsg; for i in \$(seq 3000); do echo \"rig filler line \$i\" >/dev/kmsg; done; exit 0"
			rig_expect detects-oops 125 "$kdir" 300 "insmod $inject what=oops; exit 0"
			rig_expect detects-panic 125 "$kdir" 300 "insmod $inject what=panic; exit 0"
			rig_expect detects-hang 124 "$kdir" 120 "sleep 1000"
			# Lockdep is primed: allocating under a VM's notifier lock is
			# reported at once, with no reclaim needed (tests/nvsvm_canary.c).
			# Only the debug flavour has lockdep.
			if [ "$flavour" = debug ]; then
				rig_expect lockdep-canary-driver 125 "$kdir" 600 \
					"insmod $mod/nvsvm-sim.ko && insmod $mod/nvsvm.ko && insmod $mod/nvsvm-canary.ko what=driver; exit 0" \
					'possible circular locking dependency|inconsistent lock state'
			else
				record skip "rig.lockdep-canary-driver (lockdep is in the debug flavour only)"
			fi
			;;
		esac
	done
done

section "summary"
passed=$(grep -c '^pass ' "$summary")
failed=$(grep -c '^fail ' "$summary")
skipped=$(grep -c '^skip ' "$summary")
if [ "$failed" -gt 0 ]; then
	echo "failed:"
	grep '^fail ' "$summary" | sed 's/^fail /  /'
fi
echo "total time $(( $(date +%s) - start ))s; logs in $out"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
