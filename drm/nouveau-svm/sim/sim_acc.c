// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

/**
 * DOC: Access counters
 *
 * The block described in the "Access counters" section of nvsvm_regs.h.
 * While ACC_CTRL_ENABLE is set, the MMU calls nvsvm_sim_acc_count() for
 * each access it maps to a SYSMEM-aperture page. While it is clear the MMU
 * tests one flag (&nvsvm_sim.acc_enabled) and goes on: the interpreter,
 * which maps every fetch, load and store, pays a load from a hot cache
 * line and a predictable branch for the block.
 *
 * Counters: a table of 256, 4-way set associative over 64 sets, the set
 * chosen by a hash of (VM, region). A region without a counter takes a
 * free way of its set (a counter at 0 is free: it never counted, or it
 * just notified) or evicts the way with the lowest count (the first of
 * equals), whose count is lost: cold regions make way for each other and
 * hot ones keep counting. CLEAR and GRANULARITY writes come from any
 * context and must not walk the table, so they start a new epoch instead;
 * a set stamped with an older epoch is emptied the next time an access
 * looks into it.
 *
 * Notifications: the access that brings a counter to the threshold resets
 * it, and its MMU client keeps the notification (region and count) until
 * it drops its lock: writing the entry may allocate VRAM backing for the
 * ring, which nothing may do under a lock an MMU invalidate waits for. The
 * client then writes it with nvsvm_sim_acc_notify() the way the fault
 * buffer does, or sets OVERFLOW when the ring is full. The entry names the
 * channel of that access by its instance block, which the MMU client's
 * owner (an SM for its warp's grid, the host for its channel) sets before
 * its accesses. A client holds a warp instruction's worth of
 * notifications, and asks to drop its lock as soon as it holds one; one
 * it has no room for is lost, with OVERFLOW (nvsvm_sim_acc_lost()).
 *
 * Locking: &nvsvm_sim_acc.lock (a spinlock, taken with interrupts off so
 * that registers work from any context) protects the registers, the epoch
 * and &nvsvm_sim.acc_enabled, which the MMU reads without it.
 * &nvsvm_sim_acc.report_lock (a mutex, outside it: writing an entry may
 * allocate VRAM backing) serialises notifications, so entries land in the
 * order PUT publishes them; it is never taken under an MMU client's lock.
 * Each set of counters has a spinlock of its own, taken only by accesses
 * (process context, under their MMU client's lock) with no other lock
 * inside. The host's &nvsvm_sim.fifo_lock nests inside
 * &nvsvm_sim_acc.report_lock.
 */

#include <linux/bitfield.h>
#include <linux/hash.h>
#include <linux/ktime.h>
#include <linux/minmax.h>
#include <linux/mutex.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "nvsvm_regs.h"
#include "sim_internal.h"

#define NVSVM_SIM_ACC_SET_BITS	6
#define NVSVM_SIM_ACC_SETS	BIT(NVSVM_SIM_ACC_SET_BITS)
#define NVSVM_SIM_ACC_WAYS	4

/*
 * An epoch: the region shift in bits 7:0, a generation above. Unsigned
 * long, so that the generation does not wrap in practice: a set left
 * untouched for exactly a wrap would keep its stale counts.
 */
#define NVSVM_SIM_ACC_EPOCH_SHIFT	GENMASK(7, 0)
#define NVSVM_SIM_ACC_EPOCH_GEN		BIT(8)

/* log2 of the region size of each NVSVM_ACC_GRAN_*. */
static const u8 nvsvm_sim_acc_gran_shift[] = {
	[NVSVM_ACC_GRAN_64K] = 16,
	[NVSVM_ACC_GRAN_2M] = 21,
	[NVSVM_ACC_GRAN_16M] = 24,
	[NVSVM_ACC_GRAN_16G] = 34,
};

/**
 * struct nvsvm_sim_acc_counter - The counter of one region of one VM
 */
struct nvsvm_sim_acc_counter {
	/** @pdb: The VM: APERTURE and ADDR of its PDB, as the MMU keys it. */
	u64 pdb;
	/** @region: The region: its VA shifted right by the region shift. */
	u32 region;
	/** @count: Accesses counted; 0: the counter is free. */
	u32 count;
};

/**
 * struct nvsvm_sim_acc_set - One set of counters
 */
struct nvsvm_sim_acc_set {
	/** @lock: Protects @epoch and @ways. */
	spinlock_t lock;
	/** @epoch: The epoch @ways count in. */
	unsigned long epoch;
	/** @ways: The counters. */
	struct nvsvm_sim_acc_counter ways[NVSVM_SIM_ACC_WAYS];
};

/**
 * struct nvsvm_sim_acc - The access counter block
 */
struct nvsvm_sim_acc {
	/**
	 * @lock: Protects the registers below, @epoch and
	 * &nvsvm_sim.acc_enabled.
	 */
	spinlock_t lock;
	/** @report_lock: Serialises notifications; outside @lock. */
	struct mutex report_lock;
	/** @buf_lo: ACC_BUF_LO. */
	u32 buf_lo;
	/** @buf_hi: ACC_BUF_HI. */
	u32 buf_hi;
	/** @buf_size: ACC_BUF_SIZE. */
	u32 buf_size;
	/** @get: ACC_BUF_GET. */
	u32 get;
	/** @put: ACC_BUF_PUT. */
	u32 put;
	/** @status: ACC_STATUS. */
	u32 status;
	/** @intr_en: ACC_INTR_EN. */
	u32 intr_en;
	/** @threshold: ACC_THRESHOLD. Accesses read it without @lock. */
	u32 threshold;
	/** @granularity: ACC_GRANULARITY, a NVSVM_ACC_GRAN_*. */
	u32 granularity;
	/**
	 * @epoch: The counters' epoch (region shift and generation); CLEAR
	 * and GRANULARITY start a new one. Accesses read it without @lock.
	 */
	unsigned long epoch;
	/** @sets: The counters. */
	struct nvsvm_sim_acc_set sets[NVSVM_SIM_ACC_SETS];
};

/**
 * struct nvsvm_sim_acc_entry - A notification, as the ring holds it
 */
struct nvsvm_sim_acc_entry {
	/** @va: First VA of the region. */
	__le64 va;
	/** @inst: Instance block naming the VM, as a location. */
	__le64 inst;
	/** @count: The counter's value when it reached the threshold. */
	__le32 count;
	/** @info: NVSVM_ACC_INFO_CLIENT and NVSVM_ACC_INFO_VALID. */
	__le32 info;
	/** @timestamp: When it was written, in ns (ktime_get_ns()). */
	__le64 timestamp;
};

static_assert(sizeof(struct nvsvm_sim_acc_entry) == NVSVM_ACC_ENTRY_SIZE);

/**
 * nvsvm_sim_acc_init() - Create the access counter block
 * @sim: The GPU.
 *
 * The block starts disabled, with no ring, the default threshold and
 * granularity, and every counter at 0.
 *
 * Return: 0 or -ENOMEM.
 */
int nvsvm_sim_acc_init(struct nvsvm_sim *sim)
{
	struct nvsvm_sim_acc *acc;
	unsigned int i;

	acc = kzalloc(sizeof(*acc), GFP_KERNEL);
	if (!acc)
		return -ENOMEM;
	spin_lock_init(&acc->lock);
	mutex_init(&acc->report_lock);
	acc->threshold = NVSVM_ACC_THRESHOLD_DEFAULT;
	acc->granularity = NVSVM_ACC_GRAN_64K;
	acc->epoch = nvsvm_sim_acc_gran_shift[NVSVM_ACC_GRAN_64K];
	for (i = 0; i < NVSVM_SIM_ACC_SETS; i++) {
		spin_lock_init(&acc->sets[i].lock);
		acc->sets[i].epoch = acc->epoch;
	}
	sim->acc = acc;
	return 0;
}

/**
 * nvsvm_sim_acc_fini() - Destroy the access counter block
 * @sim: The GPU; no engine may be accessing memory.
 */
void nvsvm_sim_acc_fini(struct nvsvm_sim *sim)
{
	mutex_destroy(&sim->acc->report_lock);
	kfree(sim->acc);
	sim->acc = NULL;
}

static void nvsvm_sim_acc_update_irq(struct nvsvm_sim *sim)
{
	struct nvsvm_sim_acc *acc = sim->acc;

	lockdep_assert_held(&acc->lock);
	nvsvm_sim_irq_set(sim, NVSVM_IRQ_ACC,
			  (acc->intr_en & 1) &&
			  (acc->get != acc->put ||
			   (acc->status & NVSVM_ACC_STATUS_OVERFLOW)));
}

/* Start a new epoch with regions of 1 << @shift bytes: every counter is 0. */
static void nvsvm_sim_acc_new_epoch(struct nvsvm_sim_acc *acc, unsigned int shift)
{
	lockdep_assert_held(&acc->lock);
	WRITE_ONCE(acc->epoch, ((acc->epoch & ~NVSVM_SIM_ACC_EPOCH_SHIFT) +
				NVSVM_SIM_ACC_EPOCH_GEN) | shift);
}

/**
 * nvsvm_sim_acc_notify() - Write a notification to the ring
 * @sim: The GPU.
 * @va: First VA of the region.
 * @count: The counter's value when it reached the threshold.
 * @client: NVSVM_CLIENT_* of the engine whose access reached it.
 * @inst: Instance block of the channel whose work made it, as a location.
 *
 * Sets OVERFLOW instead if the ring is full or off. May sleep and allocate
 * (VRAM backing for the ring): never call it under an MMU client's lock.
 */
void nvsvm_sim_acc_notify(struct nvsvm_sim *sim, u64 va, u32 count, u32 client,
			  u64 inst)
{
	struct nvsvm_sim_acc *acc = sim->acc;
	struct nvsvm_sim_acc_entry e;
	unsigned long flags;
	u32 size, put;
	u64 base;
	bool room;

	might_alloc(GFP_KERNEL);
	mutex_lock(&acc->report_lock);
	spin_lock_irqsave(&acc->lock, flags);
	base = (u64)acc->buf_hi << 32 | acc->buf_lo;
	size = acc->buf_size;
	put = acc->put;
	room = size && ((put + 1) & (size - 1)) != acc->get;
	spin_unlock_irqrestore(&acc->lock, flags);

	if (room) {
		e = (struct nvsvm_sim_acc_entry) {
			.va = cpu_to_le64(va),
			.inst = cpu_to_le64(inst),
			.count = cpu_to_le32(count),
			.info = cpu_to_le32(FIELD_PREP(NVSVM_ACC_INFO_CLIENT, client) |
					    NVSVM_ACC_INFO_VALID),
			.timestamp = cpu_to_le64(ktime_get_ns()),
		};
		if (nvsvm_sim_mem_write(sim, nvsvm_sim_loc_aper(base),
					nvsvm_sim_loc_addr(base) +
					(u64)put * NVSVM_ACC_ENTRY_SIZE, &e, sizeof(e)))
			room = false;
	}

	spin_lock_irqsave(&acc->lock, flags);
	/* Publish only if the driver did not reprogram the ring meanwhile. */
	if (room && size == acc->buf_size && put == acc->put)
		acc->put = (put + 1) & (size - 1);
	else
		acc->status |= NVSVM_ACC_STATUS_OVERFLOW;
	nvsvm_sim_acc_update_irq(sim);
	spin_unlock_irqrestore(&acc->lock, flags);
	mutex_unlock(&acc->report_lock);
}

/*
 * The counter of (@pdb, @region) in @set: the one counting it, else a free
 * one, else the one with the lowest count, evicted; set up at 0.
 */
static struct nvsvm_sim_acc_counter *
nvsvm_sim_acc_counter(struct nvsvm_sim_acc_set *set, u64 pdb, u32 region)
{
	struct nvsvm_sim_acc_counter *c, *victim = &set->ways[0];
	unsigned int i;

	lockdep_assert_held(&set->lock);
	for (i = 0; i < NVSVM_SIM_ACC_WAYS; i++) {
		c = &set->ways[i];
		if (c->count && c->pdb == pdb && c->region == region)
			return c;
		if (c->count < victim->count)
			victim = c;
	}
	victim->pdb = pdb;
	victim->region = region;
	victim->count = 0;
	return victim;
}

/**
 * nvsvm_sim_acc_lost() - Drop a notification
 * @sim: The GPU.
 *
 * For a notification an MMU client had no room to keep: OVERFLOW, as if
 * the ring had been full. Any context.
 */
void nvsvm_sim_acc_lost(struct nvsvm_sim *sim)
{
	struct nvsvm_sim_acc *acc = sim->acc;
	unsigned long flags;

	spin_lock_irqsave(&acc->lock, flags);
	acc->status |= NVSVM_ACC_STATUS_OVERFLOW;
	nvsvm_sim_acc_update_irq(sim);
	spin_unlock_irqrestore(&acc->lock, flags);
}

/**
 * nvsvm_sim_acc_count() - Count an access to system memory
 * @sim: The GPU.
 * @pdb: The accessing VM: APERTURE and ADDR of its PDB.
 * @va: Address of the access.
 * @region: Set to the region's first VA when the call returns true.
 * @count: Set to the counter's value when the call returns true.
 *
 * Called by the MMU for each access it maps to a SYSMEM-aperture page,
 * while the block is enabled, under the MMU client's lock. Never sleeps or
 * allocates.
 *
 * Return: true if the region's counter reached the threshold: the caller
 * must write the notification with nvsvm_sim_acc_notify() once it has
 * dropped its lock.
 */
bool nvsvm_sim_acc_count(struct nvsvm_sim *sim, u64 pdb, u64 va, u64 *region,
			 u32 *count)
{
	struct nvsvm_sim_acc *acc = sim->acc;
	unsigned long epoch = READ_ONCE(acc->epoch);
	u32 threshold = READ_ONCE(acc->threshold);
	unsigned int shift = epoch & NVSVM_SIM_ACC_EPOCH_SHIFT;
	u32 index = va >> shift;
	struct nvsvm_sim_acc_counter *c;
	struct nvsvm_sim_acc_set *set;
	bool reached = false;

	set = &acc->sets[hash_64(pdb ^ index, NVSVM_SIM_ACC_SET_BITS)];
	spin_lock(&set->lock);
	if (set->epoch != epoch) {
		/* Cleared since the set last counted. */
		memset(set->ways, 0, sizeof(set->ways));
		set->epoch = epoch;
	}
	c = nvsvm_sim_acc_counter(set, pdb, index);
	if (++c->count >= threshold) {
		*count = c->count;
		*region = (u64)index << shift;
		c->count = 0;
		reached = true;
	}
	spin_unlock(&set->lock);
	return reached;
}

u32 nvsvm_sim_acc_rd32(struct nvsvm_sim *sim, u32 reg)
{
	struct nvsvm_sim_acc *acc = sim->acc;
	unsigned long flags;
	u32 val;

	spin_lock_irqsave(&acc->lock, flags);
	switch (reg) {
	case NVSVM_REG_ACC_BUF_LO:
		val = acc->buf_lo;
		break;
	case NVSVM_REG_ACC_BUF_HI:
		val = acc->buf_hi;
		break;
	case NVSVM_REG_ACC_BUF_SIZE:
		val = acc->buf_size;
		break;
	case NVSVM_REG_ACC_BUF_GET:
		val = acc->get;
		break;
	case NVSVM_REG_ACC_BUF_PUT:
		val = acc->put;
		break;
	case NVSVM_REG_ACC_STATUS:
		val = acc->status;
		break;
	case NVSVM_REG_ACC_INTR_EN:
		val = acc->intr_en;
		break;
	case NVSVM_REG_ACC_CTRL:
		val = sim->acc_enabled ? NVSVM_ACC_CTRL_ENABLE : 0;
		break;
	case NVSVM_REG_ACC_THRESHOLD:
		val = acc->threshold;
		break;
	case NVSVM_REG_ACC_GRANULARITY:
		val = acc->granularity;
		break;
	default:	/* ACC_CLEAR is write-only */
		val = NVSVM_REG_BAD_VALUE | (reg & NVSVM_REG_BAD_MASK);
		break;
	}
	spin_unlock_irqrestore(&acc->lock, flags);
	return val;
}

void nvsvm_sim_acc_wr32(struct nvsvm_sim *sim, u32 reg, u32 val)
{
	struct nvsvm_sim_acc *acc = sim->acc;
	unsigned long flags;

	spin_lock_irqsave(&acc->lock, flags);
	switch (reg) {
	case NVSVM_REG_ACC_BUF_LO:
		acc->buf_lo = val & (NVSVM_ADDR_LO_ADDR | NVSVM_ADDR_LO_SYSMEM);
		break;
	case NVSVM_REG_ACC_BUF_HI:
		acc->buf_hi = val;
		break;
	case NVSVM_REG_ACC_BUF_SIZE:
		/* A new ring starts empty; a size not a power of 2 disables it. */
		acc->buf_size = is_power_of_2(val) ? val : 0;
		acc->get = 0;
		acc->put = 0;
		break;
	case NVSVM_REG_ACC_BUF_GET:
		if (acc->buf_size)
			acc->get = val & (acc->buf_size - 1);
		break;
	case NVSVM_REG_ACC_STATUS:
		acc->status &= ~(val & NVSVM_ACC_STATUS_OVERFLOW);
		break;
	case NVSVM_REG_ACC_INTR_EN:
		acc->intr_en = val & 1;
		break;
	case NVSVM_REG_ACC_CTRL:
		WRITE_ONCE(sim->acc_enabled, !!(val & NVSVM_ACC_CTRL_ENABLE));
		break;
	case NVSVM_REG_ACC_THRESHOLD:
		WRITE_ONCE(acc->threshold, clamp_val(val, 1, NVSVM_ACC_THRESHOLD_MAX));
		break;
	case NVSVM_REG_ACC_GRANULARITY:
		if (val < ARRAY_SIZE(nvsvm_sim_acc_gran_shift)) {
			acc->granularity = val;
			nvsvm_sim_acc_new_epoch(acc, nvsvm_sim_acc_gran_shift[val]);
		}
		break;
	case NVSVM_REG_ACC_CLEAR:
		if (val & NVSVM_ACC_CLEAR_ALL)
			nvsvm_sim_acc_new_epoch(acc, nvsvm_sim_acc_gran_shift[acc->granularity]);
		break;
	default:
		break;
	}
	nvsvm_sim_acc_update_irq(sim);
	spin_unlock_irqrestore(&acc->lock, flags);
}
