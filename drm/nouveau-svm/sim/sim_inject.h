/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Copyright 2026 The nvsvm authors */
#ifndef __NVSVM_SIM_INJECT_H__
#define __NVSVM_SIM_INJECT_H__

#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/kconfig.h>
#include <linux/types.h>

#include "../nvsvm_regs.h"

struct dentry;
struct nvsvm_sim;

/**
 * DOC: Fault injection
 *
 * With CONFIG_DRM_NVSVM_SIM_FAULT_INJECT the emulated GPU can be made to
 * misbehave on purpose, so that the driver's recovery paths are tested.
 * Each GPU has a debugfs directory, /sys/kernel/debug/nvsvm-sim/<board>/
 * (the board is the platform device's name, "nvsvm-gpu0" and so on; a GPU
 * created by a unit test gets the name it was created with, with a "-N"
 * suffix if another GPU has that name already), with one file per knob
 * below, decimal: writing a number arms it, reading tells what is left.
 * Every knob is inert while 0, and costs one predicted branch then.
 * Counting knobs ("the next N") are consumed one event at a time.
 *
 * ================ ===================================================
 * file             knob
 * ================ ===================================================
 * drop_irq_fifo    @drop_irq[%NVSVM_IRQ_FIFO]
 * drop_irq_fault   @drop_irq[%NVSVM_IRQ_FAULT]
 * drop_irq_ce      @drop_irq[%NVSVM_IRQ_CE]
 * drop_irq_acc     @drop_irq[%NVSVM_IRQ_ACC]
 * fault_overflow   @fault_overflow
 * ce_fail          @ce_fail
 * ce_delay_ms      @ce_delay_ms
 * inv_delay_ms     @inv_delay_ms
 * inv_stuck        @inv_stuck
 * vram_fail        @vram_fail
 * ================ ===================================================
 *
 * Without the Kconfig option there are no files, and every test of a knob
 * compiles to false.
 *
 * The knobs are hardware misbehaviour the register contract allows for (a
 * lost interrupt, a dropped fault, an engine that fails or is slow), never
 * something the contract rules out: the driver must cope with each.
 */

/**
 * struct nvsvm_sim_inject - The fault-injection knobs of one GPU
 *
 * Every field is written from debugfs and read by the GPU's blocks without
 * a lock; the counters are consumed with nvsvm_sim_inject_take().
 */
struct nvsvm_sim_inject {
	/**
	 * @drop_irq: Per interrupt line (NVSVM_IRQ_*): the next N times the
	 * line would be raised, it is not (sim_irq.c). The line stays
	 * asserted, so a later raise (another cause, a register write that
	 * re-evaluates the line, an unmask) delivers it.
	 */
	atomic_t drop_irq[NVSVM_IRQ_COUNT];
	/**
	 * @fault_overflow: The next N fault reports that would land in the
	 * ring are dropped as if it were full (sim_fault.c):
	 * FAULT_STATUS.OVERFLOW is set and the access stays stalled, so a
	 * replay raises it again.
	 */
	atomic_t fault_overflow;
	/**
	 * @ce_fail: The next N copy-engine commands (any engine) fail with
	 * %NVSVM_CE_ERROR_INJECTED once fetched, before touching memory
	 * (sim_ce.c).
	 */
	atomic_t ce_fail;
	/**
	 * @ce_delay_ms: Each copy-engine command starts this much later
	 * (sim_ce.c); a reset of its engine ends the wait.
	 */
	unsigned int ce_delay_ms;
	/** @inv_delay_ms: Each MMU invalidate completes this much later. */
	unsigned int inv_delay_ms;
	/**
	 * @inv_stuck: The next N MMU invalidates stay pending for
	 * %NVSVM_SIM_INJECT_STUCK_MS, longer than any driver waits: the
	 * driver sees an invalidate that does not complete. A channel reset
	 * still drops its VM's translations at once.
	 */
	atomic_t inv_stuck;
	/** @vram_fail: The next N VRAM backing allocations fail. */
	atomic_t vram_fail;
	/**
	 * @dir: The GPU's debugfs directory, or NULL. Set by
	 * nvsvm_sim_inject_init(), removed by nvsvm_sim_inject_fini().
	 */
	struct dentry *dir;
	/** @name: Name of @dir. Immutable after nvsvm_sim_inject_init(). */
	char name[32];
};

/* How long a stuck invalidate stays pending. */
#define NVSVM_SIM_INJECT_STUCK_MS	5000

#if IS_ENABLED(CONFIG_DRM_NVSVM_SIM_FAULT_INJECT)

/* Consume one event of a counting knob: true if this event misbehaves. */
static inline bool nvsvm_sim_inject_take(atomic_t *n)
{
	return unlikely(atomic_read(n)) && atomic_add_unless(n, -1, 0);
}

static inline unsigned int nvsvm_sim_inject_ms(const unsigned int *ms)
{
	return READ_ONCE(*ms);
}

void nvsvm_sim_inject_module_init(void);
void nvsvm_sim_inject_module_exit(void);
void nvsvm_sim_inject_init(struct nvsvm_sim *sim, const char *name);
void nvsvm_sim_inject_fini(struct nvsvm_sim *sim);

#else

static inline bool nvsvm_sim_inject_take(atomic_t *n)
{
	return false;
}

static inline unsigned int nvsvm_sim_inject_ms(const unsigned int *ms)
{
	return 0;
}

static inline void nvsvm_sim_inject_module_init(void)
{
}

static inline void nvsvm_sim_inject_module_exit(void)
{
}

static inline void nvsvm_sim_inject_init(struct nvsvm_sim *sim, const char *name)
{
}

static inline void nvsvm_sim_inject_fini(struct nvsvm_sim *sim)
{
}

#endif

#endif /* __NVSVM_SIM_INJECT_H__ */
