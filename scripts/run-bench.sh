#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: build (or reuse) the test kernel (NVSVM_KERNEL=lts|mainline)
# and the modules, boot a VM, and run the benchmarks in nvsvm-bench.ko, then
# userspace/build/nvsvm-bench (job throughput and latency through the
# driver), then userspace/build/nvsvm-svm-bench (GPU faults on 16, 64 and
# 256 MiB against the kernel's test_hmm; built with the kernel source's
# lib/test_hmm_uapi.h, and skipping its SVM part on a driver without SVM).
# Prints the figures; fails only if a benchmark could not do its work.
# Figures from this shared, emulated machine are for comparing runs made
# side by side, not absolute.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

bash scripts/setup-host.sh
kdir=$(scripts/kernel.sh)
mod=$(scripts/build-module.sh "$kdir")
make -s -C userspace KSRC="$(readlink -f "$kdir/source")"

guest=$(cat <<CMD
set -e
insmod $mod/nvsvm-sim.ko
insmod $mod/nvsvm.ko
insmod $mod/nvsvm-bench.ko
echo "--- \$(uname -r), \$(nproc) CPUs"
grep -h 'bench:' /sys/kernel/debug/kunit/nvsvm_bench*/results | sed 's/^ *# *[a-z_]*: //'
for r in /sys/kernel/debug/kunit/nvsvm_bench*/results; do
	if grep -q '^not ok' "\$r"; then
		cat "\$r"
		exit 1
	fi
done
echo "--- nvsvm-bench (jobs through the driver):"
userspace/build/nvsvm-bench
echo "--- nvsvm-svm-bench (GPU faults against test_hmm):"
modprobe test_hmm || echo "bench: svm: test_hmm could not be loaded"
userspace/build/nvsvm-svm-bench
CMD
)
exec scripts/vm-run.sh -k "$kdir" -t 900 -- "$guest"
