// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

/**
 * DOC: Copy engine
 *
 * The copy engine executes a ring of commands in memory (see "Copy engine"
 * in nvsvm_regs.h for the register contract): COPY and FILL move whole
 * 4 KiB pages of physical memory, SEMAPHORE writes a 64-bit payload once
 * everything before it is done. The driver writes commands, then CE_PUT;
 * the engine executes the commands from CE_GET up to CE_PUT in order and
 * advances CE_GET past each one as it completes.
 *
 * Where the register contract leaves room, this engine does the following.
 *
 * - FILL needs dst and size 4 KiB aligned, like COPY; src is the pattern and
 *   may be anything. The pattern is stored little-endian.
 * - SEMAPHORE writes to the aperture its %NVSVM_CE_FLAG_DST_SYSMEM flag
 *   names, and needs dst 8-byte aligned; the 64-bit payload is written with
 *   one store, after the data of every earlier command.
 * - Flag bits other than %NVSVM_CE_FLAG_* are ignored, and so is
 *   %NVSVM_CE_FLAG_INTR on COPY and FILL.
 * - A COPY or FILL whose range wraps past the top of the address space is a
 *   bus error.
 * - The ring is unusable while CE_RING_SIZE is not a power of 2 or
 *   CE_RING_LO has any of bits 11:1 set, and so is a CE_GET or CE_PUT not
 *   below CE_RING_SIZE. Pending commands in an unusable ring fail at CE_GET:
 *   CE_ERROR reads CE_GET + 1.
 * - Writing CE_RING_SIZE sets CE_GET and CE_PUT to 0, so that a ring is
 *   always programmed from a known state, and abandons the command in flight
 *   if any (program the ring while the engine is idle). CE_RING_LO and
 *   CE_RING_HI take effect at the next command fetched.
 * - CE_GET and CE_ERROR are read-only. CE_INTR_EN keeps only the
 *   %NVSVM_CE_INTR_* bits. CE_RESET reads as 0. Other offsets of the block
 *   read as %NVSVM_REG_BAD_VALUE and ignore writes.
 * - CE_RESET abandons the command in flight: its writes may be partly done.
 *
 * Execution: the commands run in a work item on a workqueue of the GPU's
 * own, so that register writes return at once while copies take as long as
 * they take. The queue is unbound, because a long copy is CPU-bound work
 * that the scheduler should be free to place and that must not hold up the
 * concurrency-managed per-CPU pools; and it has a rescuer
 * (%WQ_MEM_RECLAIM), because a driver may wait for a copy that evicts VRAM
 * to system memory in order to free memory, which must not depend on
 * creating a new kworker. A work item rather than a kthread: the engine is
 * idle most of the time and needs no thread of its own then, and
 * flush_work() is exactly the wait CE_RESET needs. The workqueue never runs
 * one work item on two CPUs at once, so commands execute one at a time and
 * in order. The worker calls cond_resched() after every 4 KiB.
 *
 * Locking: &nvsvm_sim_ce.lock, a spinlock taken with interrupts disabled,
 * protects every register and &nvsvm_sim_ce.epoch. It is never held while
 * memory is accessed, so register access stays quick however long a copy
 * is, and rd32 and wr32 may be called from any context (an interrupt
 * handler acknowledging CE_INTR_STATUS, say), except a CE_RESET write,
 * which sleeps until the worker has stopped. The worker takes the lock to
 * pick the next command and again to retire it; in between it runs
 * unlocked. The interrupt line is updated with the lock held, so that the
 * line always follows the latest CE_INTR_STATUS & CE_INTR_EN.
 *
 * Abandoning: CE_RESET and CE_RING_SIZE writes bump the epoch. The worker
 * notes the epoch when it picks a command, checks it after every 4 KiB, and
 * stops the command at once when it changed; retiring a command of an old
 * epoch changes nothing, so CE_GET, CE_ERROR and CE_INTR_STATUS never
 * reflect a command the driver has dropped.
 */

#include <linux/align.h>
#include <linux/build_bug.h>
#include <linux/highmem.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "../nvsvm_regs.h"
#include "sim_internal.h"

/* The engine's unit: COPY and FILL move whole 4 KiB blocks. */
#define NVSVM_SIM_CE_BLOCK	SZ_4K

/* CE_RING_LO bits that must be 0 (see "Memory addresses in registers"). */
#define NVSVM_SIM_CE_RING_LO_RSVD	GENMASK(11, 1)

#define NVSVM_SIM_CE_INTR_ALL	(NVSVM_CE_INTR_SEMAPHORE | NVSVM_CE_INTR_ERROR)

/**
 * struct nvsvm_sim_ce_cmd - A command, as it lies in the ring
 */
struct nvsvm_sim_ce_cmd {
	/** @op: One of NVSVM_CE_OP_*. */
	__le32 op;
	/** @flags: NVSVM_CE_FLAG_*. */
	__le32 flags;
	/** @src: Source address; FILL: the 64-bit pattern. */
	__le64 src;
	/** @dst: Destination address. */
	__le64 dst;
	/** @size: Bytes; SEMAPHORE: the payload. */
	__le64 size;
};

static_assert(sizeof(struct nvsvm_sim_ce_cmd) == NVSVM_CE_CMD_SIZE);

/**
 * struct nvsvm_sim_ce - The copy engine
 */
struct nvsvm_sim_ce {
	/** @sim: The GPU. Immutable. */
	struct nvsvm_sim *sim;
	/** @wq: Runs @work. Immutable. */
	struct workqueue_struct *wq;
	/** @work: Executes the ring; see "Execution" in the DOC above. */
	struct work_struct work;

	/**
	 * @lock: Protects the registers (@ring_lo to @error) and @epoch.
	 * Taken with interrupts disabled, from any context; nothing sleeps or
	 * touches GPU memory under it. Outside &nvsvm_sim.irq_lock.
	 */
	spinlock_t lock;
	/** @ring_lo: CE_RING_LO, as written. */
	u32 ring_lo;
	/** @ring_hi: CE_RING_HI. */
	u32 ring_hi;
	/** @ring_size: CE_RING_SIZE, in commands, as written. */
	u32 ring_size;
	/** @get: CE_GET: index of the next command to execute. */
	u32 get;
	/** @put: CE_PUT, as written. */
	u32 put;
	/** @intr_status: CE_INTR_STATUS. */
	u32 intr_status;
	/** @intr_en: CE_INTR_EN. */
	u32 intr_en;
	/** @error: CE_ERROR: 0, or the failed command's index + 1. */
	u32 error;
	/**
	 * @epoch: Bumped when the command in flight is abandoned. Written
	 * under @lock; the worker also reads it without, to stop early.
	 */
	unsigned int epoch;
};

/**
 * struct nvsvm_sim_ce_job - The command the worker is executing
 *
 * What the worker needs of the registers, sampled under &nvsvm_sim_ce.lock
 * when it picked the command.
 */
struct nvsvm_sim_ce_job {
	/** @epoch: &nvsvm_sim_ce.epoch when picked. */
	unsigned int epoch;
	/** @index: Ring index of the command. */
	u32 index;
	/** @ring_size: The ring's size in commands. */
	u32 ring_size;
	/** @aper: Aperture of the command. */
	u32 aper;
	/** @addr: Address of the command. */
	u64 addr;
	/** @intr: The command is a SEMAPHORE asking for an interrupt. */
	bool intr;
};

/* Make the interrupt line follow STATUS & EN. */
static void nvsvm_sim_ce_update_irq(struct nvsvm_sim_ce *ce)
{
	lockdep_assert_held(&ce->lock);
	nvsvm_sim_irq_set(ce->sim, NVSVM_IRQ_CE, ce->intr_status & ce->intr_en);
}

/* Stop the engine on the command at @index. */
static void nvsvm_sim_ce_fail(struct nvsvm_sim_ce *ce, u32 index)
{
	lockdep_assert_held(&ce->lock);
	ce->error = index + 1;
	ce->intr_status |= NVSVM_CE_INTR_ERROR;
	nvsvm_sim_ce_update_irq(ce);
}

/* Drop the command in flight, if any: see "Abandoning" in the DOC above. */
static void nvsvm_sim_ce_abandon(struct nvsvm_sim_ce *ce)
{
	lockdep_assert_held(&ce->lock);
	WRITE_ONCE(ce->epoch, ce->epoch + 1);
}

static bool nvsvm_sim_ce_abandoned(struct nvsvm_sim_ce *ce,
				   const struct nvsvm_sim_ce_job *job)
{
	return READ_ONCE(ce->epoch) != job->epoch;
}

static bool nvsvm_sim_ce_ring_usable(struct nvsvm_sim_ce *ce)
{
	lockdep_assert_held(&ce->lock);
	return is_power_of_2(ce->ring_size) &&
	       !(ce->ring_lo & NVSVM_SIM_CE_RING_LO_RSVD) &&
	       ce->get < ce->ring_size && ce->put < ce->ring_size;
}

/*
 * Pick the next command into @job. Return: false when there is none to
 * execute: the ring is empty, the engine stopped, or the ring is unusable
 * (which stops the engine).
 */
static bool nvsvm_sim_ce_pick(struct nvsvm_sim_ce *ce,
			      struct nvsvm_sim_ce_job *job)
{
	bool picked = false;
	u64 ring;

	spin_lock_irq(&ce->lock);
	if (ce->error || ce->get == ce->put)
		goto out_unlock;
	if (!nvsvm_sim_ce_ring_usable(ce)) {
		nvsvm_sim_ce_fail(ce, ce->get);
		goto out_unlock;
	}
	ring = (u64)ce->ring_hi << 32 | ce->ring_lo;
	job->epoch = ce->epoch;
	job->index = ce->get;
	job->ring_size = ce->ring_size;
	job->aper = nvsvm_sim_loc_aper(ring);
	job->addr = nvsvm_sim_loc_addr(ring) + (u64)ce->get * NVSVM_CE_CMD_SIZE;
	job->intr = false;
	picked = true;
out_unlock:
	spin_unlock_irq(&ce->lock);
	return picked;
}

/* Account for the end of @job's command, which returned @ret. */
static void nvsvm_sim_ce_retire(struct nvsvm_sim_ce *ce,
				const struct nvsvm_sim_ce_job *job, int ret)
{
	spin_lock_irq(&ce->lock);
	/* A command the driver dropped leaves no trace in the registers. */
	if (ce->epoch != job->epoch)
		goto out_unlock;
	if (ret) {
		nvsvm_sim_ce_fail(ce, job->index);
		goto out_unlock;
	}
	ce->get = (job->index + 1) & (job->ring_size - 1);
	if (job->intr) {
		ce->intr_status |= NVSVM_CE_INTR_SEMAPHORE;
		nvsvm_sim_ce_update_irq(ce);
	}
out_unlock:
	spin_unlock_irq(&ce->lock);
}

static u32 nvsvm_sim_ce_aper(u32 flags, u32 sysmem_flag)
{
	return flags & sysmem_flag ? NVSVM_APER_SYSMEM : NVSVM_APER_VRAM;
}

/* Is [@addr, @addr + @size) a non-empty run of whole blocks? */
static bool nvsvm_sim_ce_range_ok(u64 addr, u64 size)
{
	return size && IS_ALIGNED(addr, NVSVM_SIM_CE_BLOCK) &&
	       IS_ALIGNED(size, NVSVM_SIM_CE_BLOCK);
}

/* Does [@addr, @addr + @size) wrap past the top of the address space? */
static bool nvsvm_sim_ce_range_wraps(u64 addr, u64 size)
{
	return addr + (size - 1) < addr;
}

static int nvsvm_sim_ce_copy_block(struct nvsvm_sim *sim, u32 src_aper,
				   u64 src, u32 dst_aper, u64 dst)
{
	struct page *src_page, *dst_page;
	void *from, *to;

	/* A VRAM page never written reads as the zero page. */
	src_page = nvsvm_sim_mem_page(sim, src_aper, src, false);
	if (!src_page)
		return -EIO;
	dst_page = nvsvm_sim_mem_page(sim, dst_aper, dst, true);
	if (!dst_page)
		return -EIO;

	from = kmap_local_page(src_page);
	to = kmap_local_page(dst_page);
	memcpy(to + offset_in_page(dst), from + offset_in_page(src),
	       NVSVM_SIM_CE_BLOCK);
	kunmap_local(to);
	kunmap_local(from);
	return 0;
}

static int nvsvm_sim_ce_copy(struct nvsvm_sim_ce *ce,
			     const struct nvsvm_sim_ce_job *job, u32 flags,
			     u64 src, u64 dst, u64 size)
{
	u32 src_aper = nvsvm_sim_ce_aper(flags, NVSVM_CE_FLAG_SRC_SYSMEM);
	u32 dst_aper = nvsvm_sim_ce_aper(flags, NVSVM_CE_FLAG_DST_SYSMEM);
	u64 done;
	int ret;

	if (!nvsvm_sim_ce_range_ok(src, size) || !nvsvm_sim_ce_range_ok(dst, size))
		return -EINVAL;
	if (nvsvm_sim_ce_range_wraps(src, size) || nvsvm_sim_ce_range_wraps(dst, size))
		return -EIO;

	for (done = 0; done < size; done += NVSVM_SIM_CE_BLOCK) {
		if (nvsvm_sim_ce_abandoned(ce, job))
			return -ECANCELED;
		ret = nvsvm_sim_ce_copy_block(ce->sim, src_aper, src + done,
					      dst_aper, dst + done);
		if (ret)
			return ret;
		cond_resched();
	}
	return 0;
}

static int nvsvm_sim_ce_fill(struct nvsvm_sim_ce *ce,
			     const struct nvsvm_sim_ce_job *job, u32 flags,
			     u64 pattern, u64 dst, u64 size)
{
	u32 dst_aper = nvsvm_sim_ce_aper(flags, NVSVM_CE_FLAG_DST_SYSMEM);
	u64 value = (__force u64)cpu_to_le64(pattern);
	struct page *page;
	u64 done;
	void *to;

	if (!nvsvm_sim_ce_range_ok(dst, size))
		return -EINVAL;
	if (nvsvm_sim_ce_range_wraps(dst, size))
		return -EIO;

	for (done = 0; done < size; done += NVSVM_SIM_CE_BLOCK) {
		if (nvsvm_sim_ce_abandoned(ce, job))
			return -ECANCELED;
		page = nvsvm_sim_mem_page(ce->sim, dst_aper, dst + done, true);
		if (!page)
			return -EIO;
		to = kmap_local_page(page);
		memset64(to + offset_in_page(dst + done), value,
			 NVSVM_SIM_CE_BLOCK / sizeof(u64));
		kunmap_local(to);
		cond_resched();
	}
	return 0;
}

static int nvsvm_sim_ce_semaphore(struct nvsvm_sim_ce *ce, u32 flags,
				  u64 payload, u64 dst)
{
	u32 dst_aper = nvsvm_sim_ce_aper(flags, NVSVM_CE_FLAG_DST_SYSMEM);
	struct page *page;
	__le64 *sem;
	void *vaddr;

	if (!IS_ALIGNED(dst, sizeof(u64)))
		return -EINVAL;
	page = nvsvm_sim_mem_page(ce->sim, dst_aper, dst, true);
	if (!page)
		return -EIO;

	vaddr = kmap_local_page(page);
	sem = vaddr + offset_in_page(dst);
	/* Whoever sees the payload sees the data of every earlier command. */
	smp_wmb();
	WRITE_ONCE(*sem, cpu_to_le64(payload));
	kunmap_local(vaddr);
	return 0;
}

/*
 * Fetch and execute @job's command. Return: 0, -ECANCELED if it was
 * abandoned, or another negative errno if it failed.
 */
static int nvsvm_sim_ce_execute(struct nvsvm_sim_ce *ce,
				struct nvsvm_sim_ce_job *job)
{
	struct nvsvm_sim_ce_cmd cmd;
	u64 src, dst, size;
	u32 flags;
	int ret;

	lockdep_assert_not_held(&ce->lock);
	ret = nvsvm_sim_mem_read(ce->sim, job->aper, job->addr, &cmd, sizeof(cmd));
	if (ret)
		return ret;

	flags = le32_to_cpu(cmd.flags);
	src = le64_to_cpu(cmd.src);
	dst = le64_to_cpu(cmd.dst);
	size = le64_to_cpu(cmd.size);
	switch (le32_to_cpu(cmd.op)) {
	case NVSVM_CE_OP_COPY:
		return nvsvm_sim_ce_copy(ce, job, flags, src, dst, size);
	case NVSVM_CE_OP_FILL:
		return nvsvm_sim_ce_fill(ce, job, flags, src, dst, size);
	case NVSVM_CE_OP_SEMAPHORE:
		job->intr = flags & NVSVM_CE_FLAG_INTR;
		return nvsvm_sim_ce_semaphore(ce, flags, size, dst);
	default:
		return -EINVAL;
	}
}

static void nvsvm_sim_ce_work(struct work_struct *work)
{
	struct nvsvm_sim_ce *ce = container_of(work, struct nvsvm_sim_ce, work);
	struct nvsvm_sim_ce_job job;
	int ret;

	while (nvsvm_sim_ce_pick(ce, &job)) {
		ret = nvsvm_sim_ce_execute(ce, &job);
		nvsvm_sim_ce_retire(ce, &job, ret);
		cond_resched();
	}
}

/* CE_RESET: stop, drop what is pending, clear the error; sleeps. */
static void nvsvm_sim_ce_reset(struct nvsvm_sim_ce *ce)
{
	might_sleep();

	spin_lock_irq(&ce->lock);
	nvsvm_sim_ce_abandon(ce);
	ce->get = ce->put;
	ce->error = 0;
	ce->intr_status &= ~NVSVM_CE_INTR_ERROR;
	nvsvm_sim_ce_update_irq(ce);
	spin_unlock_irq(&ce->lock);

	/*
	 * The worker stops the abandoned command within 4 KiB and finds
	 * nothing more to do, unless the driver wrote CE_PUT meanwhile.
	 */
	flush_work(&ce->work);
}

/**
 * nvsvm_sim_ce_rd32() - Read a copy engine register
 * @sim: The GPU.
 * @reg: A 32-bit aligned offset in the copy engine's range.
 *
 * Any context.
 *
 * Return: the register's value.
 */
u32 nvsvm_sim_ce_rd32(struct nvsvm_sim *sim, u32 reg)
{
	struct nvsvm_sim_ce *ce = sim->ce;
	unsigned long flags;
	u32 val;

	spin_lock_irqsave(&ce->lock, flags);
	switch (reg) {
	case NVSVM_REG_CE_RING_LO:
		val = ce->ring_lo;
		break;
	case NVSVM_REG_CE_RING_HI:
		val = ce->ring_hi;
		break;
	case NVSVM_REG_CE_RING_SIZE:
		val = ce->ring_size;
		break;
	case NVSVM_REG_CE_GET:
		val = ce->get;
		break;
	case NVSVM_REG_CE_PUT:
		val = ce->put;
		break;
	case NVSVM_REG_CE_INTR_STATUS:
		val = ce->intr_status;
		break;
	case NVSVM_REG_CE_INTR_EN:
		val = ce->intr_en;
		break;
	case NVSVM_REG_CE_ERROR:
		val = ce->error;
		break;
	case NVSVM_REG_CE_RESET:
		val = 0;
		break;
	default:
		val = NVSVM_REG_BAD_VALUE | (reg & NVSVM_REG_BAD_MASK);
		break;
	}
	spin_unlock_irqrestore(&ce->lock, flags);
	return val;
}

/**
 * nvsvm_sim_ce_wr32() - Write a copy engine register
 * @sim: The GPU.
 * @reg: A 32-bit aligned offset in the copy engine's range.
 * @val: The value.
 *
 * Any context, except for %NVSVM_REG_CE_RESET: that write sleeps until the
 * engine is idle. Other writes return at once; CE_PUT only kicks the worker.
 */
void nvsvm_sim_ce_wr32(struct nvsvm_sim *sim, u32 reg, u32 val)
{
	struct nvsvm_sim_ce *ce = sim->ce;
	unsigned long flags;

	if (reg == NVSVM_REG_CE_RESET) {
		nvsvm_sim_ce_reset(ce);
		return;
	}

	spin_lock_irqsave(&ce->lock, flags);
	switch (reg) {
	case NVSVM_REG_CE_RING_LO:
		ce->ring_lo = val;
		break;
	case NVSVM_REG_CE_RING_HI:
		ce->ring_hi = val;
		break;
	case NVSVM_REG_CE_RING_SIZE:
		nvsvm_sim_ce_abandon(ce);
		ce->ring_size = val;
		ce->get = 0;
		ce->put = 0;
		break;
	case NVSVM_REG_CE_PUT:
		ce->put = val;
		if (!ce->error && ce->get != ce->put)
			queue_work(ce->wq, &ce->work);
		break;
	case NVSVM_REG_CE_INTR_STATUS:
		ce->intr_status &= ~val;
		nvsvm_sim_ce_update_irq(ce);
		break;
	case NVSVM_REG_CE_INTR_EN:
		ce->intr_en = val & NVSVM_SIM_CE_INTR_ALL;
		nvsvm_sim_ce_update_irq(ce);
		break;
	default:
		/* CE_GET and CE_ERROR are read-only; the rest is not decoded. */
		break;
	}
	spin_unlock_irqrestore(&ce->lock, flags);
}

/**
 * nvsvm_sim_ce_init() - Create the copy engine
 * @sim: The GPU, whose interrupt lines exist already.
 *
 * The engine starts idle: ring off, every register 0.
 *
 * Return: 0 or a negative errno.
 */
int nvsvm_sim_ce_init(struct nvsvm_sim *sim)
{
	struct nvsvm_sim_ce *ce;

	ce = kzalloc(sizeof(*ce), GFP_KERNEL);
	if (!ce)
		return -ENOMEM;

	ce->wq = alloc_workqueue("nvsvm-ce", WQ_UNBOUND | WQ_MEM_RECLAIM, 1);
	if (!ce->wq) {
		kfree(ce);
		return -ENOMEM;
	}
	ce->sim = sim;
	INIT_WORK(&ce->work, nvsvm_sim_ce_work);
	spin_lock_init(&ce->lock);
	sim->ce = ce;
	return 0;
}

/**
 * nvsvm_sim_ce_fini() - Stop and free the copy engine
 * @sim: The GPU; nothing may access its registers any more.
 *
 * Drops the pending commands, abandons the one in flight and waits for the
 * worker to stop.
 */
void nvsvm_sim_ce_fini(struct nvsvm_sim *sim)
{
	struct nvsvm_sim_ce *ce = sim->ce;

	spin_lock_irq(&ce->lock);
	nvsvm_sim_ce_abandon(ce);
	ce->get = ce->put;
	ce->intr_en = 0;
	nvsvm_sim_ce_update_irq(ce);
	spin_unlock_irq(&ce->lock);

	cancel_work_sync(&ce->work);
	destroy_workqueue(ce->wq);
	sim->ce = NULL;
	kfree(ce);
}
