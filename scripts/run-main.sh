#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The main job (README: `make run`): set up the host, build or reuse the
# test kernel (NVSVM_KERNEL=lts|mainline), build the module and userspace,
# boot the kernel in a VM, load nvsvm, and show what the GPU is: the driver's
# probe messages, nvsvm-info, and every sample in userspace/samples, which
# run work on the GPU and say what it did (the SVM samples say so and skip
# on a driver without SVM), then the driver's SVM statistics if it has them.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

bash scripts/setup-host.sh
kdir=$(scripts/kernel.sh)
mod=$(scripts/build-module.sh "$kdir")
make -s -C userspace

guest=$(cat <<CMD
set -e
insmod $mod/nvsvm-sim.ko num_gpus=${NVSVM_GPUS:-1}
insmod $mod/nvsvm.ko
echo "--- kernel: \$(uname -r); driver messages:"
dmesg | grep -E '\[drm\]|^\[[^]]*\] nvsvm' | sed 's/^\[[^]]*\] //'
echo "--- nvsvm-info:"
userspace/build/nvsvm-info
for s in userspace/build/samples/*; do
	[ -x "\$s" ] || continue
	echo "--- sample \$(basename "\$s"):"
	"\$s"
done
for f in /sys/kernel/debug/dri/nvsvm-gpu*/svm_stats; do
	[ -r "\$f" ] || continue
	echo "--- SVM statistics after the samples (\$f):"
	grep -vE '^(batch_size|service_us) ' "\$f" || true
done
rmmod nvsvm
rmmod nvsvm_sim
CMD
)
exec scripts/vm-run.sh -k "$kdir" -t 600 -- "$guest"
