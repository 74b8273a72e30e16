// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

/*
 * The emulator's fault injection (sim_inject.h): the debugfs files.
 */

#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/fs.h>
#include <linux/mman.h>
#include <linux/uaccess.h>

#include "sim_test_gpu.h"

#define INJECT_NAME	"nvsvm-kunit-inject"

static void skip_without_inject(struct kunit *test)
{
	if (!IS_ENABLED(CONFIG_DRM_NVSVM_SIM_FAULT_INJECT))
		kunit_skip(test, "built without CONFIG_DRM_NVSVM_SIM_FAULT_INJECT");
}

static void destroy_action(void *sim)
{
	nvsvm_sim_destroy(sim);
}

static struct nvsvm_sim *inject_gpu(struct kunit *test, const char *name)
{
	struct nvsvm_sim_config cfg = { .vram_mb = 16, .sm_count = 1, .ce_count = 2 };
	struct nvsvm_sim *sim = nvsvm_sim_create(&cfg, name);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, sim);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, destroy_action, sim));
	return sim;
}

/* A knob's file, in userspace's view: open, one write or read, close. */
static struct file *knob_open(struct kunit *test, struct nvsvm_sim *sim,
			      const char *knob)
{
	struct file *file;
	char path[96];

	snprintf(path, sizeof(path), "/sys/kernel/debug/nvsvm-sim/%s/%s",
		 sim->inject.name, knob);
	file = filp_open(path, O_RDWR, 0);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(file), "%s: %ld", path, PTR_ERR(file));
	return file;
}

static void knob_write(struct kunit *test, struct nvsvm_sim *sim, char __user *ubuf,
		       const char *knob, const char *text)
{
	struct file *file = knob_open(test, sim, knob);
	size_t len = strlen(text);
	loff_t pos = 0;

	KUNIT_ASSERT_EQ(test, 0, copy_to_user(ubuf, text, len));
	KUNIT_EXPECT_EQ_MSG(test, file->f_op->write(file, ubuf, len, &pos), (ssize_t)len,
			    "%s", knob);
	filp_close(file, NULL);
}

static void knob_read(struct kunit *test, struct nvsvm_sim *sim, char __user *ubuf,
		      const char *knob, char *text, size_t size)
{
	struct file *file = knob_open(test, sim, knob);
	loff_t pos = 0;
	ssize_t n;

	n = file->f_op->read(file, ubuf, size - 1, &pos);
	KUNIT_ASSERT_GT_MSG(test, n, 0, "%s", knob);
	KUNIT_ASSERT_EQ(test, 0, copy_from_user(text, ubuf, n));
	text[n] = '\0';
	filp_close(file, NULL);
}

static unsigned int knob_value(struct nvsvm_sim_inject *in, unsigned int i)
{
	switch (i) {
	case 0 ... NVSVM_IRQ_COUNT - 1:
		return atomic_read(&in->drop_irq[i]);
	case 4:
		return atomic_read(&in->fault_overflow);
	case 5:
		return atomic_read(&in->ce_fail);
	case 6:
		return READ_ONCE(in->ce_delay_ms);
	case 7:
		return READ_ONCE(in->inv_delay_ms);
	case 8:
		return atomic_read(&in->inv_stuck);
	default:
		return atomic_read(&in->vram_fail);
	}
}

/* One file per knob: what a write arms, the knob holds and a read tells. */
static void inject_debugfs_knobs(struct kunit *test)
{
	static const char *const knobs[] = {
		[NVSVM_IRQ_FIFO] = "drop_irq_fifo", [NVSVM_IRQ_FAULT] = "drop_irq_fault",
		[NVSVM_IRQ_CE] = "drop_irq_ce", [NVSVM_IRQ_ACC] = "drop_irq_acc",
		"fault_overflow", "ce_fail", "ce_delay_ms", "inv_delay_ms",
		"inv_stuck", "vram_fail",
	};
	struct nvsvm_sim *sim;
	unsigned long ubuf;
	unsigned int i;
	char text[16];

	skip_without_inject(test);
	sim = inject_gpu(test, INJECT_NAME);
	KUNIT_EXPECT_STREQ(test, sim->inject.name, INJECT_NAME);
	ubuf = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
			     MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_NE(test, ubuf, 0UL);

	for (i = 0; i < ARRAY_SIZE(knobs); i++) {
		char want[16];

		snprintf(want, sizeof(want), "%u\n", 17 + i);
		knob_write(test, sim, (char __user *)ubuf, knobs[i], want);
		KUNIT_EXPECT_EQ_MSG(test, knob_value(&sim->inject, i), 17 + i, "%s", knobs[i]);
		knob_read(test, sim, (char __user *)ubuf, knobs[i], text, sizeof(text));
		KUNIT_EXPECT_STREQ_MSG(test, text, want, "%s", knobs[i]);
		knob_write(test, sim, (char __user *)ubuf, knobs[i], "0");
		KUNIT_EXPECT_EQ_MSG(test, knob_value(&sim->inject, i), 0, "%s", knobs[i]);
	}
}

/* Two GPUs of one name get a directory each; the second a suffix. */
static void inject_debugfs_names(struct kunit *test)
{
	struct nvsvm_sim *a, *b;
	unsigned long ubuf;
	char text[16];

	skip_without_inject(test);
	a = inject_gpu(test, INJECT_NAME);
	b = inject_gpu(test, INJECT_NAME);
	KUNIT_EXPECT_STREQ(test, a->inject.name, INJECT_NAME);
	KUNIT_EXPECT_STREQ(test, b->inject.name, INJECT_NAME "-1");
	KUNIT_EXPECT_NOT_NULL(test, b->inject.dir);

	ubuf = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
			     MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_NE(test, ubuf, 0UL);
	knob_write(test, b, (char __user *)ubuf, "ce_fail", "2");
	KUNIT_EXPECT_EQ(test, atomic_read(&b->inject.ce_fail), 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->inject.ce_fail), 0);
	knob_read(test, a, (char __user *)ubuf, "ce_fail", text, sizeof(text));
	KUNIT_EXPECT_STREQ(test, text, "0\n");
	atomic_set(&b->inject.ce_fail, 0);
}

static struct kunit_case inject_debugfs_cases[] = {
	KUNIT_CASE(inject_debugfs_knobs),
	KUNIT_CASE(inject_debugfs_names),
	{}
};

static struct kunit_suite inject_debugfs_suite = {
	.name = "nvsvm_sim_inject_debugfs",
	.test_cases = inject_debugfs_cases,
};

kunit_test_suite(inject_debugfs_suite);
