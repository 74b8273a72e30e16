// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

/*
 * Registers behave like MMIO: every read and write may come from any
 * context, hard-IRQ included, and none sleeps. These tests access every
 * register of every block with interrupts off under a spinlock, and from
 * an irq_work in hard-IRQ context, with values that trigger what they can
 * (resets, doorbells, replays, cancels, invalidates, ring kicks). On a
 * kernel with CONFIG_DEBUG_ATOMIC_SLEEP a write that could sleep is
 * reported there; everywhere, a write must leave interrupts off and the
 * preemption count as it found them.
 */

#include <kunit/test.h>
#include <linux/irq_work.h>
#include <linux/irqflags.h>
#include <linux/preempt.h>
#include <linux/spinlock.h>

#include "nvsvm_hw.h"
#include "nvsvm_regs.h"
#include "sim/sim_internal.h"

/* Every block's registers, undecoded offsets between them included. */
static const struct {
	u32 base;
	u32 end;
} regs_ranges[] = {
	{ 0x000000, 0x001000 },			/* identity */
	{ 0x002000, 0x007000 },			/* fifo, fault, mmu, acc, ce */
	{ NVSVM_REG_CHAN(0), NVSVM_REG_CHAN(NVSVM_SIM_CHANNELS) },
};

/* What each pass writes: all ones (RESET bits, W1C), zero, then one. */
static const u32 regs_values[] = { ~0U, 0, 1 };

/* The spinlock the writes are made under. */
static DEFINE_SPINLOCK(regs_lock);

struct regs_test {
	struct nvsvm_sim *sim;
	struct nvsvm_hw *hw;
	/* Accesses that returned with interrupts on, or a changed count. */
	unsigned int bad_irqs;
	unsigned int bad_preempt;
	unsigned int accesses;
	struct irq_work work;
	bool in_hardirq;
};

/* Read and write every register with @val; the caller has irqs off. */
static void regs_access_all(struct regs_test *t, u32 val)
{
	unsigned int r, count = preempt_count();
	u32 reg;

	for (r = 0; r < ARRAY_SIZE(regs_ranges); r++) {
		for (reg = regs_ranges[r].base; reg < regs_ranges[r].end; reg += 4) {
			nvsvm_hw_wr32(t->hw, reg, val);
			nvsvm_hw_rd32(t->hw, reg);
			t->bad_irqs += !irqs_disabled();
			t->bad_preempt += preempt_count() != count;
			t->accesses++;
		}
	}
}

static void regs_test_destroy(void *sim)
{
	nvsvm_sim_destroy(sim);
}

static struct regs_test *regs_test_gpu(struct kunit *test)
{
	struct nvsvm_sim_config cfg = { .vram_mb = 16, .sm_count = 2, .ce_count = 2 };
	struct regs_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	t->sim = nvsvm_sim_create(&cfg, "nvsvm-kunit");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t->sim);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, regs_test_destroy, t->sim));
	t->hw = nvsvm_sim_hw(t->sim);
	return t;
}

static unsigned int regs_per_pass(void)
{
	unsigned int r, n = 0;

	for (r = 0; r < ARRAY_SIZE(regs_ranges); r++)
		n += (regs_ranges[r].end - regs_ranges[r].base) / 4;
	return n;
}

/* Every register, under a spinlock with interrupts off. */
static void regs_under_spinlock(struct kunit *test)
{
	struct regs_test *t = regs_test_gpu(test);
	unsigned long flags;
	unsigned int v;

	for (v = 0; v < ARRAY_SIZE(regs_values); v++) {
		spin_lock_irqsave(&regs_lock, flags);
		regs_access_all(t, regs_values[v]);
		spin_unlock_irqrestore(&regs_lock, flags);
	}
	KUNIT_EXPECT_EQ(test, t->accesses, ARRAY_SIZE(regs_values) * regs_per_pass());
	KUNIT_EXPECT_EQ(test, t->bad_irqs, 0);
	KUNIT_EXPECT_EQ(test, t->bad_preempt, 0);
}

static void regs_irq_work(struct irq_work *work)
{
	struct regs_test *t = container_of(work, struct regs_test, work);
	unsigned int v;

	t->in_hardirq = in_hardirq();
	for (v = 0; v < ARRAY_SIZE(regs_values); v++)
		regs_access_all(t, regs_values[v]);
}

/*
 * Every register from hard-IRQ context, as an interrupt handler would. A
 * plain irq_work, not IRQ_WORK_INIT_HARD: a device's handler may take
 * spinlock_t locks (force-threaded on PREEMPT_RT), and lockdep's
 * PROVE_RAW_LOCK_NESTING holds a hard irq_work to raw spinlocks only.
 */
static void regs_from_hardirq(struct kunit *test)
{
	struct regs_test *t = regs_test_gpu(test);

	t->work = IRQ_WORK_INIT(regs_irq_work);
	KUNIT_ASSERT_TRUE(test, irq_work_queue(&t->work));
	irq_work_sync(&t->work);
	KUNIT_EXPECT_TRUE(test, t->in_hardirq);
	KUNIT_EXPECT_EQ(test, t->accesses, ARRAY_SIZE(regs_values) * regs_per_pass());
	KUNIT_EXPECT_EQ(test, t->bad_irqs, 0);
	KUNIT_EXPECT_EQ(test, t->bad_preempt, 0);
}

static struct kunit_case regs_cases[] = {
	KUNIT_CASE(regs_under_spinlock),
	KUNIT_CASE(regs_from_hardirq),
	{}
};

static struct kunit_suite regs_suite = {
	.name = "nvsvm_sim_regs",
	.test_cases = regs_cases,
};

kunit_test_suite(regs_suite);
