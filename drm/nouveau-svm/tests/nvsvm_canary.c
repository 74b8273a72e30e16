// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

/*
 * The lockdep canary, a test-only module never shipped: loading it breaks
 * a locking rule on purpose, so that the rig can check that lockdep knows
 * the rule from the start (scripts/run-tests.sh, debug flavour). A kernel
 * without lockdep reports nothing; the module never stays loaded.
 *
 * what=driver: allocates memory with GFP_KERNEL under the notifier lock of
 * a VM created on the first bound GPU. nvsvm_vm_create() primes lockdep
 * with "reclaim takes the notifier lock", so lockdep must report a
 * possible circular locking dependency at once, with no reclaim needed.
 */

#include <linux/device.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "nvsvm_device.h"
#include "nvsvm_hw.h"
#include "nvsvm_vm.h"

static char *what = "driver";
module_param(what, charp, 0444);
MODULE_PARM_DESC(what, "Which rule to break: driver (allocate under a VM's notifier lock)");

static int nvsvm_canary_driver(void)
{
	struct nvsvm_device *ndev;
	struct nvsvm_vm *vm;
	struct device *dev;
	void *p;

	dev = bus_find_device_by_name(&platform_bus_type, NULL, NVSVM_HW_DEVICE_NAME "0");
	if (!dev)
		return -ENODEV;
	ndev = dev_get_drvdata(dev);
	if (!ndev) {
		put_device(dev);
		return -ENODEV;
	}
	vm = nvsvm_vm_create(ndev);
	if (IS_ERR(vm)) {
		put_device(dev);
		return PTR_ERR(vm);
	}

	mutex_lock(&vm->notifier_lock);
	p = kmalloc(64, GFP_KERNEL);	/* The bug lockdep must catch. */
	mutex_unlock(&vm->notifier_lock);
	kfree(p);

	nvsvm_vm_destroy(vm);
	put_device(dev);
	return 0;
}

static int __init nvsvm_canary_init(void)
{
	int ret = -EINVAL;

	if (!strcmp(what, "driver"))
		ret = nvsvm_canary_driver();
	/* Refuse to stay loaded: the module exists only to break a rule. */
	return ret ?: -ECANCELED;
}
module_init(nvsvm_canary_init);

MODULE_DESCRIPTION("nvsvm lockdep canary: break a locking rule on purpose");
MODULE_LICENSE("Dual MIT/GPL");
MODULE_INFO(import_ns, "EXPORTED_FOR_KUNIT_TESTING");
