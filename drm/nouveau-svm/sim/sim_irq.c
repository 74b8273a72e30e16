// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

/**
 * DOC: Interrupts
 *
 * The GPU's interrupt lines are real Linux interrupts: each GPU owns an irq
 * domain with %NVSVM_IRQ_COUNT level-triggered lines, mapped to virtual
 * irqs that the board hands the driver as the platform device's IRQ
 * resources. The driver requests them as it would a PCI device's vectors.
 *
 * A block asserts or deasserts its line with nvsvm_sim_irq_set(); the line
 * is raised by an irq_work, which calls the domain's handler for every
 * line that is asserted and not masked: in hard-IRQ context, as a device's
 * interrupt, except on PREEMPT_RT, where it runs in the irq_work thread as
 * a device's (force-threaded) handler would. Not IRQ_WORK_INIT_HARD: the
 * handlers take the driver's and the emulator's spinlock_t locks, which
 * on PREEMPT_RT sleep (lockdep's PROVE_RAW_LOCK_NESTING checks it). The chip's mask
 * and unmask callbacks record the mask; unmasking a line that is still
 * asserted raises it again, which is what level triggering means to a
 * handler that returned without clearing its cause (and to a threaded
 * handler whose line stayed masked while its thread ran).
 *
 * A raise is one pass of the irq_work finding a line asserted and
 * unmasked, which then calls its handler. The irq_work runs whenever a
 * block sets a line (asserted or not) while some line is pending, and when
 * a line is unmasked. Fault injection (drop_irq_*, see sim_inject.h) can
 * swallow the next N raises of a line: the handler is not called, but the
 * line stays asserted, so the next raise (another cause, a register write
 * that re-evaluates the block's line, an unmask) delivers it.
 *
 * Locking: &nvsvm_sim.irq_lock (a raw spinlock, taken from any context)
 * protects the asserted and masked line sets.
 */

#include <linux/bitops.h>
#include <linux/irq.h>
#include <linux/irq_work.h>
#include <linux/irqdomain.h>
#include <linux/slab.h>
#include <kunit/visibility.h>

#include "nvsvm_regs.h"
#include "sim_internal.h"

static void nvsvm_sim_irq_work(struct irq_work *work)
{
	struct nvsvm_sim *sim = container_of(work, struct nvsvm_sim, irq_work);
	unsigned int line;

	for (line = 0; line < NVSVM_IRQ_COUNT; line++) {
		bool pending;

		/* Checked line by line: a handler may deassert another line. */
		raw_spin_lock(&sim->irq_lock);
		pending = test_bit(line, &sim->irq_asserted) &&
			  !test_bit(line, &sim->irq_masked);
		raw_spin_unlock(&sim->irq_lock);
		/* An injected loss: the line stays asserted for the next raise. */
		if (pending && nvsvm_sim_inject_take(&sim->inject.drop_irq[line]))
			continue;
		if (pending)
			generic_handle_domain_irq(sim->irq_domain, line);
	}
}

/* Raise the pending lines, unless none is pending. Called with irq_lock. */
static void nvsvm_sim_irq_kick(struct nvsvm_sim *sim)
{
	lockdep_assert_held(&sim->irq_lock);
	if (sim->irq_asserted & ~sim->irq_masked)
		irq_work_queue(&sim->irq_work);
}

/**
 * nvsvm_sim_irq_set() - Assert or deassert an interrupt line
 * @sim: The GPU.
 * @line: One of NVSVM_IRQ_*.
 * @asserted: The block's STATUS & EN is non-zero.
 *
 * Any context.
 */
void nvsvm_sim_irq_set(struct nvsvm_sim *sim, unsigned int line, bool asserted)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&sim->irq_lock, flags);
	if (asserted)
		__set_bit(line, &sim->irq_asserted);
	else
		__clear_bit(line, &sim->irq_asserted);
	nvsvm_sim_irq_kick(sim);
	raw_spin_unlock_irqrestore(&sim->irq_lock, flags);
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_sim_irq_set);

static void nvsvm_sim_irq_mask(struct irq_data *d)
{
	struct nvsvm_sim *sim = irq_data_get_irq_chip_data(d);
	unsigned long flags;

	raw_spin_lock_irqsave(&sim->irq_lock, flags);
	__set_bit(irqd_to_hwirq(d), &sim->irq_masked);
	raw_spin_unlock_irqrestore(&sim->irq_lock, flags);
}

static void nvsvm_sim_irq_unmask(struct irq_data *d)
{
	struct nvsvm_sim *sim = irq_data_get_irq_chip_data(d);
	unsigned long flags;

	raw_spin_lock_irqsave(&sim->irq_lock, flags);
	__clear_bit(irqd_to_hwirq(d), &sim->irq_masked);
	nvsvm_sim_irq_kick(sim);
	raw_spin_unlock_irqrestore(&sim->irq_lock, flags);
}

static struct irq_chip nvsvm_sim_irq_chip = {
	.name = "nvsvm-gpu",
	.irq_mask = nvsvm_sim_irq_mask,
	.irq_unmask = nvsvm_sim_irq_unmask,
};

static int nvsvm_sim_irq_map(struct irq_domain *d, unsigned int virq,
			     irq_hw_number_t hwirq)
{
	irq_set_chip_data(virq, d->host_data);
	irq_set_chip_and_handler(virq, &nvsvm_sim_irq_chip, handle_level_irq);
	/* Level: the core must not resend it, the line stays asserted. */
	irq_set_status_flags(virq, IRQ_LEVEL);
	irq_set_noprobe(virq);
	return 0;
}

static const struct irq_domain_ops nvsvm_sim_irq_domain_ops = {
	.map = nvsvm_sim_irq_map,
	.xlate = irq_domain_xlate_onecell,
};

/**
 * nvsvm_sim_irq_init() - Create the GPU's interrupt lines
 * @sim: The GPU.
 * @name: Name of the irq domain.
 *
 * Return: 0 or a negative errno.
 */
int nvsvm_sim_irq_init(struct nvsvm_sim *sim, const char *name)
{
	unsigned int line;
	int ret;

	raw_spin_lock_init(&sim->irq_lock);
	sim->irq_work = IRQ_WORK_INIT(nvsvm_sim_irq_work);
	/* Lines start masked; requesting an irq unmasks it. */
	sim->irq_masked = GENMASK(NVSVM_IRQ_COUNT - 1, 0);

	sim->irq_fwnode = irq_domain_alloc_named_fwnode(name);
	if (!sim->irq_fwnode)
		return -ENOMEM;
	sim->irq_domain = irq_domain_create_linear(sim->irq_fwnode, NVSVM_IRQ_COUNT,
						   &nvsvm_sim_irq_domain_ops, sim);
	if (!sim->irq_domain) {
		ret = -ENOMEM;
		goto err_free_fwnode;
	}

	for (line = 0; line < NVSVM_IRQ_COUNT; line++) {
		sim->irqs[line] = irq_create_mapping(sim->irq_domain, line);
		if (!sim->irqs[line]) {
			ret = -ENOMEM;
			goto err_dispose;
		}
	}
	return 0;

err_dispose:
	while (line--)
		irq_dispose_mapping(sim->irqs[line]);
	irq_domain_remove(sim->irq_domain);
err_free_fwnode:
	irq_domain_free_fwnode(sim->irq_fwnode);
	return ret;
}

/**
 * nvsvm_sim_irq_fini() - Remove the GPU's interrupt lines
 * @sim: The GPU; nothing may have its irqs requested any more.
 */
void nvsvm_sim_irq_fini(struct nvsvm_sim *sim)
{
	unsigned int line;

	irq_work_sync(&sim->irq_work);
	for (line = 0; line < NVSVM_IRQ_COUNT; line++)
		irq_dispose_mapping(sim->irqs[line]);
	irq_domain_remove(sim->irq_domain);
	irq_domain_free_fwnode(sim->irq_fwnode);
}
