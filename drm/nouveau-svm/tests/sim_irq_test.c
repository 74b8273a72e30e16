// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/interrupt.h>
#include <linux/delay.h>
#include <linux/jiffies.h>

#include "nvsvm_regs.h"
#include "sim/sim_internal.h"

struct irq_test {
	struct nvsvm_sim *sim;
	unsigned int line;
	atomic_t calls;
	int clear_after;	/* deassert on this call */
	bool in_hardirq;
	struct completion done;
};

static irqreturn_t irq_test_handler(int irq, void *data)
{
	struct irq_test *t = data;

	t->in_hardirq = in_hardirq();
	if (atomic_inc_return(&t->calls) >= t->clear_after) {
		nvsvm_sim_irq_set(t->sim, t->line, false);
		complete(&t->done);
	}
	return IRQ_HANDLED;
}

static struct irq_test *irq_test_setup(struct kunit *test, unsigned int line,
				       int clear_after)
{
	struct nvsvm_sim_config cfg = { .vram_mb = 16, .sm_count = 1, .ce_count = 1 };
	struct irq_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	t->sim = nvsvm_sim_create(&cfg, "nvsvm-kunit");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t->sim);
	t->line = line;
	t->clear_after = clear_after;
	init_completion(&t->done);
	return t;
}

static void irq_test_teardown(struct irq_test *t)
{
	free_irq(nvsvm_sim_irq(t->sim, t->line), t);
	nvsvm_sim_destroy(t->sim);
}

/* An asserted line calls the handler in hard-IRQ context. */
static void sim_irq_delivered(struct kunit *test)
{
	unsigned int line;

	for (line = 0; line < NVSVM_IRQ_COUNT; line++) {
		struct irq_test *t = irq_test_setup(test, line, 1);

		KUNIT_ASSERT_EQ(test, 0, request_irq(nvsvm_sim_irq(t->sim, line),
						     irq_test_handler, 0, "nvsvm-kunit", t));
		nvsvm_sim_irq_set(t->sim, line, true);
		KUNIT_EXPECT_NE(test, 0UL, wait_for_completion_timeout(&t->done, 5 * HZ));
		KUNIT_EXPECT_EQ(test, atomic_read(&t->calls), 1);
		KUNIT_EXPECT_TRUE(test, t->in_hardirq);
		irq_test_teardown(t);
	}
}

/* Level triggered: a handler that leaves the cause set is called again. */
static void sim_irq_level_retriggers(struct kunit *test)
{
	struct irq_test *t = irq_test_setup(test, NVSVM_IRQ_FAULT, 3);

	KUNIT_ASSERT_EQ(test, 0, request_irq(nvsvm_sim_irq(t->sim, t->line),
					     irq_test_handler, 0, "nvsvm-kunit", t));
	nvsvm_sim_irq_set(t->sim, t->line, true);
	KUNIT_ASSERT_NE(test, 0UL, wait_for_completion_timeout(&t->done, 5 * HZ));
	/* Once deasserted, nothing more arrives. */
	msleep(50);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->calls), 3);
	irq_test_teardown(t);
}

/* A line asserted while masked (disabled) fires when unmasked. */
static void sim_irq_masked_then_enabled(struct kunit *test)
{
	struct irq_test *t = irq_test_setup(test, NVSVM_IRQ_CE, 1);
	unsigned int irq = nvsvm_sim_irq(t->sim, t->line);

	KUNIT_ASSERT_EQ(test, 0, request_irq(irq, irq_test_handler, 0, "nvsvm-kunit", t));
	disable_irq(irq);
	nvsvm_sim_irq_set(t->sim, t->line, true);
	msleep(50);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->calls), 0);
	enable_irq(irq);
	KUNIT_EXPECT_NE(test, 0UL, wait_for_completion_timeout(&t->done, 5 * HZ));
	KUNIT_EXPECT_EQ(test, atomic_read(&t->calls), 1);
	irq_test_teardown(t);
}

/* An asserted line with no handler requested stays quiet (masked). */
static void sim_irq_unrequested_is_masked(struct kunit *test)
{
	struct irq_test *t = irq_test_setup(test, NVSVM_IRQ_FIFO, 1);

	nvsvm_sim_irq_set(t->sim, t->line, true);
	msleep(20);
	KUNIT_EXPECT_TRUE(test, test_bit(t->line, &t->sim->irq_masked));
	nvsvm_sim_irq_set(t->sim, t->line, false);
	nvsvm_sim_destroy(t->sim);
}

/*
 * drop_irq_*: the next N raises of a line are swallowed, the line staying
 * asserted; the raise after them delivers it.
 */
static void sim_irq_drop(struct kunit *test)
{
	unsigned int line;

	if (!IS_ENABLED(CONFIG_DRM_NVSVM_SIM_FAULT_INJECT))
		kunit_skip(test, "built without CONFIG_DRM_NVSVM_SIM_FAULT_INJECT");

	for (line = 0; line < NVSVM_IRQ_COUNT; line++) {
		struct irq_test *t = irq_test_setup(test, line, 1);
		atomic_t *drop = &t->sim->inject.drop_irq[line];
		int left;

		KUNIT_ASSERT_EQ(test, 0, request_irq(nvsvm_sim_irq(t->sim, line),
						     irq_test_handler, 0, "nvsvm-kunit", t));
		atomic_set(drop, 2);
		for (left = 1; left >= 0; left--) {
			unsigned long timeout = jiffies + 5 * HZ;

			nvsvm_sim_irq_set(t->sim, line, true);
			while (atomic_read(drop) != left && time_before(jiffies, timeout))
				usleep_range(200, 500);
			KUNIT_EXPECT_EQ_MSG(test, atomic_read(drop), left, "line %u", line);
			KUNIT_EXPECT_EQ_MSG(test, atomic_read(&t->calls), 0, "line %u", line);
			KUNIT_EXPECT_TRUE(test, test_bit(line, &t->sim->irq_asserted));
		}
		nvsvm_sim_irq_set(t->sim, line, true);
		KUNIT_EXPECT_NE(test, 0UL, wait_for_completion_timeout(&t->done, 5 * HZ));
		KUNIT_EXPECT_EQ_MSG(test, atomic_read(&t->calls), 1, "line %u", line);
		irq_test_teardown(t);
	}
}

static struct kunit_case sim_irq_cases[] = {
	KUNIT_CASE(sim_irq_delivered),
	KUNIT_CASE(sim_irq_level_retriggers),
	KUNIT_CASE(sim_irq_masked_then_enabled),
	KUNIT_CASE(sim_irq_unrequested_is_masked),
	KUNIT_CASE(sim_irq_drop),
	{}
};

static struct kunit_suite sim_irq_suite = {
	.name = "nvsvm_sim_irq",
	.test_cases = sim_irq_cases,
};

kunit_test_suite(sim_irq_suite);
