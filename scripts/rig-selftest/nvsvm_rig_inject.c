// SPDX-License-Identifier: GPL-2.0-only
/* Copyright 2026 The nvsvm authors */

/*
 * Self-test of the test rig, never shipped: loading this module makes the
 * kernel report a problem of the kind the "what" parameter names, so that
 * the rig's self-test can check that scripts/vm-run.sh catches it.
 */

#include <linux/bug.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/panic.h>
#include <linux/string.h>

static char *what = "warn";
module_param(what, charp, 0444);
MODULE_PARM_DESC(what, "warn, oops or panic");

static int __init nvsvm_rig_inject_init(void)
{
	if (!strcmp(what, "warn")) {
		WARN(1, "nvsvm rig self-test: injected warning\n");
	} else if (!strcmp(what, "oops")) {
		volatile int *null = NULL;

		*null = 1;
	} else if (!strcmp(what, "panic")) {
		panic("nvsvm rig self-test: injected panic\n");
	} else {
		return -EINVAL;
	}
	/* Refuse to stay loaded: the module exists only to inject. */
	return -ECANCELED;
}
module_init(nvsvm_rig_inject_init);

MODULE_DESCRIPTION("nvsvm test rig self-test: inject a kernel problem");
MODULE_LICENSE("GPL");
