# SPDX-License-Identifier: GPL-2.0-only
#
# nvsvm: top-level targets. Everything runs as root on Debian 12 (the setup
# step installs packages); see README.md.
#
#   make run        the main job: boot the test kernel, load nvsvm, run the tools
#   make test       every test on both kernel legs; ends "N passed, N failed, ..."
#   make bench      the emulated GPU's benchmarks, in a VM (LEG=lts|mainline)
#   make setup      install host dependencies (idempotent)
#   make kernel     build or reuse the test kernel (LEG=lts|mainline FLAVOUR=rig|debug)
#   make module     build nvsvm.ko against that kernel (W=1, must be warning-free)
#   make sparse     the same build under sparse
#   make userspace  libnvsvm, tools
#   make igt        IGT test binaries
#   make checkpatch checkpatch --strict on the kernel sources
#   make clean

LEG ?= lts
FLAVOUR ?= rig
KENV := NVSVM_KERNEL=$(LEG) NVSVM_FLAVOUR=$(FLAVOUR)
KERNEL_SRCS := $(shell find drm uapi -name '*.[ch]' -not -name nvsvm_conftest.h)

all: userspace igt

run:
	$(KENV) scripts/run-main.sh

test:
	scripts/run-tests.sh

bench:
	$(KENV) scripts/run-bench.sh

setup:
	scripts/setup-host.sh

kernel: setup
	$(KENV) scripts/kernel.sh

module: kernel
	scripts/build-module.sh "$$($(KENV) scripts/kernel.sh)"

sparse: kernel
	NVSVM_SPARSE=1 scripts/build-module.sh "$$($(KENV) scripts/kernel.sh)"

userspace:
	$(MAKE) -C userspace

igt: userspace
	$(MAKE) -C igt-tests

# Always the 6.12 tree's checkpatch: see scripts/run-tests.sh.
checkpatch: setup
	perl "$$(NVSVM_KERNEL=lts NVSVM_SOURCE_ONLY=1 scripts/kernel.sh)/scripts/checkpatch.pl" \
		--no-tree --strict --terse -f $(KERNEL_SRCS)

clean:
	$(MAKE) -C userspace clean
	$(MAKE) -C igt-tests clean
	rm -rf results

.PHONY: all run test bench setup kernel module sparse userspace igt checkpatch clean
