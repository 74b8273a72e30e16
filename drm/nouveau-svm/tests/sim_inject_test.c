// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

/*
 * The emulator's fault injection (sim_inject.h): the debugfs files, and
 * the fault block's and interrupts' hooks driven through registers. The
 * copy engine's hooks are tested with the copy engine (sim_ce_test.c).
 */

#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/fs.h>
#include <linux/interrupt.h>
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

/* store_to_param0 of sim_fifo_test.c: a store to the VA in param 0. */
static const u64 store_to_param0[] = {
	ENC(NVSVM_ISA_S2R, 1, 0, 0, NVSVM_ISA_SREG_PARAM),
	ENC(NVSVM_ISA_LD64, 2, 1, 0, 0),
	ENC(NVSVM_ISA_MOVI, 3, 0, 0, 99),
	ENC(NVSVM_ISA_ST64, 0, 2, 3, 0),
	ENC(NVSVM_ISA_EXIT, 0, 0, 0, 0),
};

struct fault_irq {
	struct test_gpu *t;
	atomic_t calls;
	u32 put;
};

/* A fault handler in hard-IRQ context: note PUT, consume the entries. */
static irqreturn_t fault_irq_handler(int irq, void *data)
{
	struct fault_irq *f = data;
	u32 put = rd(f->t, NVSVM_REG_FAULT_BUF_PUT);

	if (put == rd(f->t, NVSVM_REG_FAULT_BUF_GET))
		return IRQ_NONE;
	f->put = put;
	wr(f->t, NVSVM_REG_FAULT_BUF_GET, put);
	atomic_inc(&f->calls);
	return IRQ_HANDLED;
}

static void wait_put(struct kunit *test, struct test_gpu *t, u32 put)
{
	unsigned long timeout = jiffies + 5 * HZ;

	while (rd(t, NVSVM_REG_FAULT_BUF_PUT) != put && time_before(jiffies, timeout))
		usleep_range(500, 1000);
	KUNIT_ASSERT_EQ(test, rd(t, NVSVM_REG_FAULT_BUF_PUT), put);
}

static void wait_calls(struct kunit *test, atomic_t *calls, int want)
{
	unsigned long timeout = jiffies + 5 * HZ;

	while (atomic_read(calls) < want && time_before(jiffies, timeout))
		usleep_range(500, 1000);
	KUNIT_ASSERT_GE(test, atomic_read(calls), want);
}

static void free_irq_action(void *f)
{
	struct fault_irq *fi = f;

	free_irq(nvsvm_sim_irq(fi->t->sim, NVSVM_IRQ_FAULT), fi);
}

static void test_gpu_destroy_action(void *t)
{
	struct test_gpu *tg = t;
	unsigned int line;

	for (line = 0; line < NVSVM_IRQ_COUNT; line++)
		atomic_set(&tg->sim->inject.drop_irq[line], 0);
	atomic_set(&tg->sim->inject.fault_overflow, 0);
	test_gpu_destroy(tg);
}

/* A test GPU (sim_test_gpu.h), destroyed after what the test adds later. */
static struct test_gpu *inject_test_gpu(struct kunit *test)
{
	struct test_gpu *t = test_gpu_create(test, 1);

	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, test_gpu_destroy_action, t));
	return t;
}

/*
 * drop_irq_fault: the fault interrupt of a report is lost, the line stays
 * asserted, and the next report's raise delivers it.
 */
static void inject_drop_fault_irq(struct kunit *test)
{
	struct fault_irq *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	struct test_gpu *t;

	skip_without_inject(test);
	KUNIT_ASSERT_NOT_NULL(test, f);
	t = inject_test_gpu(test);
	f->t = t;
	KUNIT_ASSERT_EQ(test, 0, request_irq(nvsvm_sim_irq(t->sim, NVSVM_IRQ_FAULT),
					     fault_irq_handler, 0, "nvsvm-kunit", f));
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, free_irq_action, f));
	wr(t, NVSVM_REG_FAULT_INTR_EN, 1);

	atomic_set(&t->sim->inject.drop_irq[NVSVM_IRQ_FAULT], 1);
	write_code(test, t, store_to_param0, ARRAY_SIZE(store_to_param0));
	va_w64(test, t, T_PARAM, T_UNMAPPED);
	launch(test, t, 1, 1);
	wait_put(test, t, 1);
	msleep(50);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->calls), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->sim->inject.drop_irq[NVSVM_IRQ_FAULT]), 0);
	KUNIT_EXPECT_TRUE(test, test_bit(NVSVM_IRQ_FAULT, &t->sim->irq_asserted));
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_FAULT_BUF_GET), 0);

	/* The replay faults again: that report's raise is delivered. */
	wr(t, NVSVM_REG_FAULT_REPLAY, 1);
	wait_calls(test, &f->calls, 1);
	KUNIT_EXPECT_EQ(test, f->put, 2);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_FAULT_BUF_GET), 2);

	map_page(test, t, T_UNMAPPED, (T_DATA_PA + 0x38000) | NVSVM_PTE_VALID);
	wr(t, NVSVM_REG_FAULT_REPLAY, 1);
	KUNIT_ASSERT_EQ(test, wait_idle(test, t), NVSVM_CHAN_ERROR_NONE);
	KUNIT_EXPECT_EQ(test, vram_r64(test, t, T_DATA_PA + 0x38000), 99);
}

/*
 * fault_overflow: a report is dropped with OVERFLOW set though the ring
 * has room; the warp stays stalled, and completes after a replay.
 */
static void inject_fault_overflow(struct kunit *test)
{
	unsigned long timeout = jiffies + 5 * HZ;
	struct test_gpu *t;

	skip_without_inject(test);
	t = inject_test_gpu(test);
	atomic_set(&t->sim->inject.fault_overflow, 1);
	write_code(test, t, store_to_param0, ARRAY_SIZE(store_to_param0));
	va_w64(test, t, T_PARAM, T_UNMAPPED);
	launch(test, t, 1, 1);
	while (!(rd(t, NVSVM_REG_FAULT_STATUS) & NVSVM_FAULT_STATUS_OVERFLOW) &&
	       time_before(jiffies, timeout))
		usleep_range(500, 1000);
	KUNIT_ASSERT_TRUE(test, rd(t, NVSVM_REG_FAULT_STATUS) & NVSVM_FAULT_STATUS_OVERFLOW);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_FAULT_BUF_PUT), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->sim->inject.fault_overflow), 0);
	msleep(20);
	KUNIT_EXPECT_TRUE(test, rd(t, NVSVM_REG_CHAN_STATUS(3)) & NVSVM_CHAN_STATUS_BUSY);
	KUNIT_EXPECT_EQ(test, va_r64(test, t, T_SEM), 0);

	/* Replayed, the fault comes back, into the ring this time. */
	wr(t, NVSVM_REG_FAULT_STATUS, NVSVM_FAULT_STATUS_OVERFLOW);
	wr(t, NVSVM_REG_FAULT_REPLAY, 1);
	wait_put(test, t, 1);
	KUNIT_EXPECT_EQ(test, vram_r64(test, t, T_FAULTBUF), T_UNMAPPED);
	KUNIT_EXPECT_FALSE(test, rd(t, NVSVM_REG_FAULT_STATUS) & NVSVM_FAULT_STATUS_OVERFLOW);

	/* Serviced and replayed, the access completes. */
	map_page(test, t, T_UNMAPPED, (T_DATA_PA + 0x38000) | NVSVM_PTE_VALID);
	wr(t, NVSVM_REG_FAULT_BUF_GET, 1);
	wr(t, NVSVM_REG_FAULT_REPLAY, 1);
	KUNIT_ASSERT_EQ(test, wait_idle(test, t), NVSVM_CHAN_ERROR_NONE);
	KUNIT_EXPECT_EQ(test, vram_r64(test, t, T_DATA_PA + 0x38000), 99);
	KUNIT_EXPECT_EQ(test, va_r64(test, t, T_SEM), 7);
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

static struct kunit_case inject_gpu_cases[] = {
	KUNIT_CASE(inject_drop_fault_irq),
	KUNIT_CASE(inject_fault_overflow),
	{}
};

static struct kunit_suite inject_gpu_suite = {
	.name = "nvsvm_sim_inject",
	.test_cases = inject_gpu_cases,
};

kunit_test_suites(&inject_debugfs_suite, &inject_gpu_suite);
