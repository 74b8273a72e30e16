// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

/**
 * DOC: Copy engines
 *
 * The GPU has &nvsvm_sim_config.ce_count copy engines (see "Copy engine" in
 * nvsvm_regs.h for the register contract), independent of each other:
 * engine n's registers sit at NVSVM_REG_CE(n, reg), and each has its own
 * ring, worker, error state and reset, so that one engine's failed batch
 * never touches another's. Each executes a ring of commands in memory:
 * COPY and FILL move whole 4 KiB pages of physical memory, COPY_LIST copies
 * the segments of a list in memory (migrating 512 scattered pages is one
 * command), SEMAPHORE writes a 64-bit payload once everything before it is
 * done. The driver writes commands, then CE_PUT; the engine executes the
 * commands from CE_GET up to CE_PUT in order and advances CE_GET past each
 * one as it completes.
 *
 * Where the register contract leaves room, these engines do the following.
 *
 * - FILL needs dst and size 4 KiB aligned, like COPY; src is the pattern and
 *   may be anything. The pattern is stored little-endian.
 * - SEMAPHORE writes to the aperture its %NVSVM_CE_FLAG_DST_SYSMEM flag
 *   names, and needs dst 8-byte aligned; the 64-bit payload is written with
 *   one store, after the data of every earlier command.
 * - COPY_LIST reads the list in pieces as it goes, never more than a page
 *   at a time, so a list in memory the driver still writes is read as it
 *   is when each piece is fetched (the driver must not do that). A failing
 *   segment may be partly copied; the segments before it are copied.
 * - Flag bits other than %NVSVM_CE_FLAG_* are ignored, and so is
 *   %NVSVM_CE_FLAG_INTR on COPY, FILL and COPY_LIST.
 * - A range that wraps past the top of the address space is a bus error.
 * - Why an engine stopped (CE_ERROR_CAUSE): BAD_COMMAND for an unknown op,
 *   a misaligned address or size, a size of 0, a COPY_LIST count out of
 *   range or a segment's reserved bits; BUS for an address the engine
 *   cannot reach (beyond VRAM, a DMA address that maps no RAM) or a wrap;
 *   NO_BACKING when VRAM backing for a write could not be allocated; RING
 *   when the ring is unusable or a command cannot be fetched from it;
 *   INJECTED for fault injection. CE_ERROR_SEGMENT is the failing
 *   segment's index when a segment of a COPY_LIST failed, else 0.
 * - The ring is unusable while CE_RING_SIZE is not a power of 2 or
 *   CE_RING_LO has any of bits 11:1 set, and so is a CE_GET or CE_PUT not
 *   below CE_RING_SIZE. Pending commands in an unusable ring fail at CE_GET:
 *   CE_ERROR reads CE_GET + 1.
 * - Writing CE_RING_SIZE sets CE_GET and CE_PUT to 0, so that a ring is
 *   always programmed from a known state, and abandons the command in flight
 *   if any (program the ring while the engine is idle). CE_RING_LO and
 *   CE_RING_HI take effect at the next command fetched.
 * - CE_GET, CE_ERROR, CE_STATUS, CE_ERROR_CAUSE and CE_ERROR_SEGMENT are
 *   read-only. CE_INTR_EN keeps only the %NVSVM_CE_INTR_* bits. CE_RESET
 *   reads as 0. Other offsets of an engine, and every offset of an engine
 *   the GPU does not have, read as %NVSVM_REG_BAD_VALUE and ignore writes.
 * - CE_STATUS_BUSY reads 1 while a command is in flight, or while the
 *   engine has commands to execute (CE_GET != CE_PUT and no error).
 * - CE_RESET starts a reset and returns at once: CE_GET jumps to CE_PUT
 *   and the command in flight is abandoned (its writes may be partly done);
 *   once the worker has stopped it, the error (CE_ERROR, the cause, the
 *   segment, CE_INTR_STATUS_ERROR) is cleared and CE_STATUS_RESETTING
 *   reads 0. Meanwhile writes to the engine's registers are ignored,
 *   except CE_INTR_STATUS and CE_INTR_EN, so that an interrupt handler can
 *   still acknowledge and mask.
 *
 * Execution: each engine's commands run in a work item of its own, on a
 * workqueue of the GPU's that runs every engine at once, so that register
 * writes return at once while copies take as long as they take. The queue
 * is unbound, because a long copy is CPU-bound work that the scheduler
 * should be free to place and that must not hold up the
 * concurrency-managed per-CPU pools; and it has a rescuer
 * (%WQ_MEM_RECLAIM), because a driver may wait for a copy that evicts VRAM
 * to system memory in order to free memory, which must not depend on
 * creating a new kworker. A work item rather than a kthread: an engine is
 * idle most of the time and needs no thread of its own then. The workqueue
 * never runs one work item on two CPUs at once, so an engine's commands
 * execute one at a time and in order. The worker calls cond_resched()
 * after every 4 KiB.
 *
 * Abandoning: CE_RESET and CE_RING_SIZE writes bump the engine's epoch.
 * The worker notes the epoch when it picks a command, checks it after every
 * 4 KiB (and while a command waits out an injected delay), and stops the
 * command at once when it changed; retiring a command of an old epoch
 * changes nothing, so CE_GET, CE_ERROR and CE_INTR_STATUS never reflect a
 * command the driver has dropped. A reset is finished by the worker when it
 * next picks a command, which is when no command of the engine is in
 * flight: CE_RESET queues the work item for that.
 *
 * Interrupts: the engines share the "ce" line, asserted while any engine's
 * CE_INTR_STATUS & CE_INTR_EN is non-zero; a handler reads each engine's
 * CE_INTR_STATUS.
 *
 * Locking: each engine's &nvsvm_sim_ce_engine.lock, a spinlock taken with
 * interrupts disabled, protects its registers, epoch and reset state. It is
 * never held while memory is accessed, so register access stays quick
 * however long a copy is, and rd32 and wr32 may be called from any context,
 * hard-IRQ included: no write sleeps. The worker takes the lock to pick the
 * next command and again to retire it; in between it runs unlocked.
 * &nvsvm_sim_ce.irq_lock, inside the engines' locks, combines the engines'
 * interrupt state into the line, so that the line always follows the
 * latest state of every engine.
 */

#include <linux/align.h>
#include <linux/build_bug.h>
#include <linux/err.h>
#include <linux/highmem.h>
#include <linux/jiffies.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "../nvsvm_regs.h"
#include "sim_internal.h"

/* The engine's unit: COPY and FILL move whole 4 KiB blocks. */
#define NVSVM_SIM_CE_BLOCK	SZ_4K

/* CE_RING_LO bits that must be 0 (see "Memory addresses in registers"). */
#define NVSVM_SIM_CE_RING_LO_RSVD	GENMASK(11, 1)

#define NVSVM_SIM_CE_INTR_ALL	(NVSVM_CE_INTR_SEMAPHORE | NVSVM_CE_INTR_ERROR)

/* Segment flags a COPY_LIST segment may carry. */
#define NVSVM_SIM_CE_SEG_FLAGS	(NVSVM_CE_FLAG_SRC_SYSMEM | NVSVM_CE_FLAG_DST_SYSMEM)

/* Segments the worker reads at a time: a page of them. */
#define NVSVM_SIM_CE_SEGS_PER_READ	(PAGE_SIZE / NVSVM_CE_SEG_SIZE)

/*
 * What a command that was abandoned returns: never reported, since a
 * command of an old epoch leaves no trace (see "Abandoning").
 */
#define NVSVM_SIM_CE_ABANDONED	U32_MAX

/**
 * struct nvsvm_sim_ce_cmd - A command, as it lies in the ring
 */
struct nvsvm_sim_ce_cmd {
	/** @op: One of NVSVM_CE_OP_*. */
	__le32 op;
	/** @flags: NVSVM_CE_FLAG_*. */
	__le32 flags;
	/** @src: Source address; FILL: the 64-bit pattern; COPY_LIST: the list. */
	__le64 src;
	/** @dst: Destination address. */
	__le64 dst;
	/** @size: Bytes; SEMAPHORE: the payload; COPY_LIST: segments. */
	__le64 size;
};

static_assert(sizeof(struct nvsvm_sim_ce_cmd) == NVSVM_CE_CMD_SIZE);

/**
 * struct nvsvm_sim_ce_seg - A segment of a COPY_LIST, as it lies in memory
 */
struct nvsvm_sim_ce_seg {
	/** @src: Source address. */
	__le64 src;
	/** @dst: Destination address. */
	__le64 dst;
	/** @size: Bytes. */
	__le64 size;
	/** @flags: %NVSVM_CE_FLAG_SRC_SYSMEM, %NVSVM_CE_FLAG_DST_SYSMEM. */
	__le32 flags;
	/** @reserved: Must be 0. */
	__le32 reserved;
};

static_assert(sizeof(struct nvsvm_sim_ce_seg) == NVSVM_CE_SEG_SIZE);

struct nvsvm_sim_ce;

/**
 * struct nvsvm_sim_ce_engine - One copy engine
 */
struct nvsvm_sim_ce_engine {
	/** @ce: The copy engines it belongs to. Immutable. */
	struct nvsvm_sim_ce *ce;
	/** @id: Its index. Immutable. */
	u32 id;
	/** @work: Executes the ring; see "Execution" in the DOC above. */
	struct work_struct work;
	/** @delay_wq: A command waits out an injected delay here. */
	wait_queue_head_t delay_wq;
	/** @segs: The worker's buffer for COPY_LIST segments, a page. */
	struct nvsvm_sim_ce_seg *segs;

	/**
	 * @lock: Protects the registers (@ring_lo to @error_segment), @epoch,
	 * @resetting and @in_flight. Taken with interrupts disabled, from any
	 * context; nothing sleeps or touches GPU memory under it. Outside
	 * &nvsvm_sim_ce.irq_lock.
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
	/** @error_cause: CE_ERROR_CAUSE: NVSVM_CE_ERROR_*. */
	u32 error_cause;
	/** @error_segment: CE_ERROR_SEGMENT. */
	u32 error_segment;
	/**
	 * @epoch: Bumped when the command in flight is abandoned. Written
	 * under @lock; the worker also reads it without, to stop early.
	 */
	unsigned int epoch;
	/** @resetting: CE_STATUS_RESETTING: the worker finishes a reset. */
	bool resetting;
	/** @in_flight: The worker picked a command and did not retire it. */
	bool in_flight;
};

/**
 * struct nvsvm_sim_ce - The copy engines of a GPU
 */
struct nvsvm_sim_ce {
	/** @sim: The GPU. Immutable. */
	struct nvsvm_sim *sim;
	/** @wq: Runs every engine's work. Immutable. */
	struct workqueue_struct *wq;
	/**
	 * @irq_lock: Protects @irq_engines, and is held while the line is
	 * set from it. Inside the engines' locks.
	 */
	spinlock_t irq_lock;
	/** @irq_engines: Engines whose CE_INTR_STATUS & CE_INTR_EN is set. */
	unsigned long irq_engines;
	/** @count: Number of engines. Immutable. */
	u32 count;
	/** @engines: The engines. */
	struct nvsvm_sim_ce_engine engines[] __counted_by(count);
};

static_assert(NVSVM_CE_MAX_ENGINES <= BITS_PER_LONG);

/**
 * struct nvsvm_sim_ce_job - The command the worker is executing
 *
 * What the worker needs of the registers, sampled under
 * &nvsvm_sim_ce_engine.lock when it picked the command, and what it found.
 */
struct nvsvm_sim_ce_job {
	/** @epoch: &nvsvm_sim_ce_engine.epoch when picked. */
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
	/** @segment: The COPY_LIST segment being copied. */
	u32 segment;
};

/* Make engine @eng's part of the shared line follow its STATUS & EN. */
static void nvsvm_sim_ce_update_irq(struct nvsvm_sim_ce_engine *eng)
{
	struct nvsvm_sim_ce *ce = eng->ce;

	lockdep_assert_held(&eng->lock);
	spin_lock(&ce->irq_lock);
	if (eng->intr_status & eng->intr_en)
		__set_bit(eng->id, &ce->irq_engines);
	else
		__clear_bit(eng->id, &ce->irq_engines);
	nvsvm_sim_irq_set(ce->sim, NVSVM_IRQ_CE, ce->irq_engines);
	spin_unlock(&ce->irq_lock);
}

/* Stop the engine on the command at @index, for @cause. */
static void nvsvm_sim_ce_fail(struct nvsvm_sim_ce_engine *eng, u32 index,
			      u32 cause, u32 segment)
{
	lockdep_assert_held(&eng->lock);
	eng->error = index + 1;
	eng->error_cause = cause;
	eng->error_segment = segment;
	eng->intr_status |= NVSVM_CE_INTR_ERROR;
	nvsvm_sim_ce_update_irq(eng);
}

/* Drop the command in flight, if any: see "Abandoning" in the DOC above. */
static void nvsvm_sim_ce_abandon(struct nvsvm_sim_ce_engine *eng)
{
	lockdep_assert_held(&eng->lock);
	WRITE_ONCE(eng->epoch, eng->epoch + 1);
	wake_up(&eng->delay_wq);
}

static bool nvsvm_sim_ce_abandoned(struct nvsvm_sim_ce_engine *eng,
				   const struct nvsvm_sim_ce_job *job)
{
	return READ_ONCE(eng->epoch) != job->epoch;
}

static bool nvsvm_sim_ce_ring_usable(struct nvsvm_sim_ce_engine *eng)
{
	lockdep_assert_held(&eng->lock);
	return is_power_of_2(eng->ring_size) &&
	       !(eng->ring_lo & NVSVM_SIM_CE_RING_LO_RSVD) &&
	       eng->get < eng->ring_size && eng->put < eng->ring_size;
}

/* CE_RESET, in the worker, with no command in flight: clear the error. */
static void nvsvm_sim_ce_reset_finish(struct nvsvm_sim_ce_engine *eng)
{
	lockdep_assert_held(&eng->lock);
	eng->error = 0;
	eng->error_cause = NVSVM_CE_ERROR_NONE;
	eng->error_segment = 0;
	eng->intr_status &= ~NVSVM_CE_INTR_ERROR;
	eng->resetting = false;
	nvsvm_sim_ce_update_irq(eng);
}

/*
 * Pick the next command into @job, finishing a reset first if one is
 * under way. Return: false when there is none to execute: the ring is
 * empty, the engine stopped, or the ring is unusable (which stops the
 * engine).
 */
static bool nvsvm_sim_ce_pick(struct nvsvm_sim_ce_engine *eng,
			      struct nvsvm_sim_ce_job *job)
{
	bool picked = false;
	u64 ring;

	spin_lock_irq(&eng->lock);
	if (eng->resetting)
		nvsvm_sim_ce_reset_finish(eng);
	if (eng->error || eng->get == eng->put)
		goto out_unlock;
	if (!nvsvm_sim_ce_ring_usable(eng)) {
		nvsvm_sim_ce_fail(eng, eng->get, NVSVM_CE_ERROR_RING, 0);
		goto out_unlock;
	}
	ring = (u64)eng->ring_hi << 32 | eng->ring_lo;
	job->epoch = eng->epoch;
	job->index = eng->get;
	job->ring_size = eng->ring_size;
	job->aper = nvsvm_sim_loc_aper(ring);
	job->addr = nvsvm_sim_loc_addr(ring) + (u64)eng->get * NVSVM_CE_CMD_SIZE;
	job->intr = false;
	job->segment = 0;
	eng->in_flight = true;
	picked = true;
out_unlock:
	spin_unlock_irq(&eng->lock);
	return picked;
}

/* Account for the end of @job's command, which ended with @cause. */
static void nvsvm_sim_ce_retire(struct nvsvm_sim_ce_engine *eng,
				const struct nvsvm_sim_ce_job *job, u32 cause)
{
	spin_lock_irq(&eng->lock);
	eng->in_flight = false;
	/* A command the driver dropped leaves no trace in the registers. */
	if (eng->epoch != job->epoch)
		goto out_unlock;
	if (cause != NVSVM_CE_ERROR_NONE) {
		nvsvm_sim_ce_fail(eng, job->index, cause, job->segment);
		goto out_unlock;
	}
	eng->get = (job->index + 1) & (job->ring_size - 1);
	if (job->intr) {
		eng->intr_status |= NVSVM_CE_INTR_SEMAPHORE;
		nvsvm_sim_ce_update_irq(eng);
	}
out_unlock:
	spin_unlock_irq(&eng->lock);
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

/*
 * Why the engine got no page for @addr. nvsvm_sim_mem_page() returns NULL
 * for a bus error and for VRAM backing it could not allocate alike; a
 * write inside VRAM can only fail for want of backing. This is the one
 * place that tells them apart.
 */
static u32 nvsvm_sim_ce_no_page_cause(struct nvsvm_sim *sim, u32 aper,
				      u64 addr, bool write)
{
	if (aper == NVSVM_APER_VRAM && write && addr < sim->vram_size)
		return NVSVM_CE_ERROR_NO_BACKING;
	return NVSVM_CE_ERROR_BUS;
}

/*
 * The page behind @addr, or NULL with *@cause set (BUS or NO_BACKING).
 * A VRAM page never written reads as the zero page. An error pointer of
 * -ENOMEM, should nvsvm_sim_mem_page() say so itself, is a backing
 * failure too.
 */
static struct page *nvsvm_sim_ce_page(struct nvsvm_sim *sim, u32 aper, u64 addr,
				      bool write, u32 *cause)
{
	struct page *page = nvsvm_sim_mem_page(sim, aper, addr, write);

	if (!IS_ERR_OR_NULL(page))
		return page;
	if (PTR_ERR(page) == -ENOMEM)
		*cause = NVSVM_CE_ERROR_NO_BACKING;
	else
		*cause = nvsvm_sim_ce_no_page_cause(sim, aper, addr, write);
	return NULL;
}

static u32 nvsvm_sim_ce_copy_block(struct nvsvm_sim *sim, u32 src_aper,
				   u64 src, u32 dst_aper, u64 dst)
{
	struct page *src_page, *dst_page;
	void *from, *to;
	u32 cause;

	src_page = nvsvm_sim_ce_page(sim, src_aper, src, false, &cause);
	if (!src_page)
		return cause;
	dst_page = nvsvm_sim_ce_page(sim, dst_aper, dst, true, &cause);
	if (!dst_page)
		return cause;

	from = kmap_local_page(src_page);
	to = kmap_local_page(dst_page);
	memcpy(to + offset_in_page(dst), from + offset_in_page(src),
	       NVSVM_SIM_CE_BLOCK);
	kunmap_local(to);
	kunmap_local(from);
	return NVSVM_CE_ERROR_NONE;
}

static u32 nvsvm_sim_ce_copy(struct nvsvm_sim_ce_engine *eng,
			     const struct nvsvm_sim_ce_job *job, u32 flags,
			     u64 src, u64 dst, u64 size)
{
	u32 src_aper = nvsvm_sim_ce_aper(flags, NVSVM_CE_FLAG_SRC_SYSMEM);
	u32 dst_aper = nvsvm_sim_ce_aper(flags, NVSVM_CE_FLAG_DST_SYSMEM);
	u64 done;
	u32 cause;

	if (!nvsvm_sim_ce_range_ok(src, size) || !nvsvm_sim_ce_range_ok(dst, size))
		return NVSVM_CE_ERROR_BAD_COMMAND;
	if (nvsvm_sim_ce_range_wraps(src, size) || nvsvm_sim_ce_range_wraps(dst, size))
		return NVSVM_CE_ERROR_BUS;

	for (done = 0; done < size; done += NVSVM_SIM_CE_BLOCK) {
		if (nvsvm_sim_ce_abandoned(eng, job))
			return NVSVM_SIM_CE_ABANDONED;
		cause = nvsvm_sim_ce_copy_block(eng->ce->sim, src_aper, src + done,
						dst_aper, dst + done);
		if (cause)
			return cause;
		cond_resched();
	}
	return NVSVM_CE_ERROR_NONE;
}

static u32 nvsvm_sim_ce_fill(struct nvsvm_sim_ce_engine *eng,
			     const struct nvsvm_sim_ce_job *job, u32 flags,
			     u64 pattern, u64 dst, u64 size)
{
	u32 dst_aper = nvsvm_sim_ce_aper(flags, NVSVM_CE_FLAG_DST_SYSMEM);
	u64 value = (__force u64)cpu_to_le64(pattern);
	struct page *page;
	u32 cause;
	u64 done;
	void *to;

	if (!nvsvm_sim_ce_range_ok(dst, size))
		return NVSVM_CE_ERROR_BAD_COMMAND;
	if (nvsvm_sim_ce_range_wraps(dst, size))
		return NVSVM_CE_ERROR_BUS;

	for (done = 0; done < size; done += NVSVM_SIM_CE_BLOCK) {
		if (nvsvm_sim_ce_abandoned(eng, job))
			return NVSVM_SIM_CE_ABANDONED;
		page = nvsvm_sim_ce_page(eng->ce->sim, dst_aper, dst + done, true,
					 &cause);
		if (!page)
			return cause;
		to = kmap_local_page(page);
		memset64(to + offset_in_page(dst + done), value,
			 NVSVM_SIM_CE_BLOCK / sizeof(u64));
		kunmap_local(to);
		cond_resched();
	}
	return NVSVM_CE_ERROR_NONE;
}

/* One segment of a COPY_LIST: checked like a COPY. */
static u32 nvsvm_sim_ce_copy_seg(struct nvsvm_sim_ce_engine *eng,
				 const struct nvsvm_sim_ce_job *job,
				 const struct nvsvm_sim_ce_seg *seg)
{
	u32 flags = le32_to_cpu(seg->flags);

	if ((flags & ~NVSVM_SIM_CE_SEG_FLAGS) || seg->reserved)
		return NVSVM_CE_ERROR_BAD_COMMAND;
	return nvsvm_sim_ce_copy(eng, job, flags, le64_to_cpu(seg->src),
				 le64_to_cpu(seg->dst), le64_to_cpu(seg->size));
}

/*
 * COPY_LIST: copy the @count segments of the list at @list, in order. The
 * list is read a page at a time (segments are 32-byte aligned, so none
 * straddles a page), so that a list that cannot be read fails at the
 * first segment the engine could not fetch.
 */
static u32 nvsvm_sim_ce_copy_list(struct nvsvm_sim_ce_engine *eng,
				  struct nvsvm_sim_ce_job *job, u32 flags,
				  u64 list, u64 count)
{
	u32 aper = nvsvm_sim_ce_aper(flags, NVSVM_CE_FLAG_LIST_SYSMEM);
	struct nvsvm_sim *sim = eng->ce->sim;
	u32 i, n, cause;

	if (!IS_ALIGNED(list, NVSVM_CE_SEG_SIZE) || !count ||
	    count > NVSVM_CE_LIST_MAX)
		return NVSVM_CE_ERROR_BAD_COMMAND;
	if (nvsvm_sim_ce_range_wraps(list, count * NVSVM_CE_SEG_SIZE))
		return NVSVM_CE_ERROR_BUS;

	for (job->segment = 0; job->segment < count; job->segment += n) {
		u64 addr = list + (u64)job->segment * NVSVM_CE_SEG_SIZE;

		n = min_t(u64, count - job->segment,
			  (PAGE_SIZE - offset_in_page(addr)) / NVSVM_CE_SEG_SIZE);
		if (nvsvm_sim_mem_read(sim, aper, addr, eng->segs,
				       n * NVSVM_CE_SEG_SIZE))
			return NVSVM_CE_ERROR_BUS;
		for (i = 0; i < n; i++) {
			cause = nvsvm_sim_ce_copy_seg(eng, job, &eng->segs[i]);
			if (cause) {
				job->segment += i;
				return cause;
			}
		}
	}
	job->segment = 0;
	return NVSVM_CE_ERROR_NONE;
}

static u32 nvsvm_sim_ce_semaphore(struct nvsvm_sim_ce_engine *eng, u32 flags,
				  u64 payload, u64 dst)
{
	u32 dst_aper = nvsvm_sim_ce_aper(flags, NVSVM_CE_FLAG_DST_SYSMEM);
	struct page *page;
	__le64 *sem;
	void *vaddr;
	u32 cause;

	if (!IS_ALIGNED(dst, sizeof(u64)))
		return NVSVM_CE_ERROR_BAD_COMMAND;
	page = nvsvm_sim_ce_page(eng->ce->sim, dst_aper, dst, true, &cause);
	if (!page)
		return cause;

	vaddr = kmap_local_page(page);
	sem = vaddr + offset_in_page(dst);
	/* Whoever sees the payload sees the data of every earlier command. */
	smp_wmb();
	WRITE_ONCE(*sem, cpu_to_le64(payload));
	kunmap_local(vaddr);
	return NVSVM_CE_ERROR_NONE;
}

/*
 * Fault injection: wait out ce_delay_ms before the command starts; a
 * reset or a new ring ends the wait. Return: false if the command was
 * abandoned meanwhile.
 */
static bool nvsvm_sim_ce_delay(struct nvsvm_sim_ce_engine *eng,
			       const struct nvsvm_sim_ce_job *job)
{
	unsigned int ms = nvsvm_sim_inject_ms(&eng->ce->sim->inject.ce_delay_ms);

	if (ms)
		wait_event_timeout(eng->delay_wq, nvsvm_sim_ce_abandoned(eng, job),
				   msecs_to_jiffies(ms));
	return !nvsvm_sim_ce_abandoned(eng, job);
}

/*
 * Fetch and execute @job's command. Return: %NVSVM_CE_ERROR_NONE, the
 * cause of its failure, or %NVSVM_SIM_CE_ABANDONED.
 */
static u32 nvsvm_sim_ce_execute(struct nvsvm_sim_ce_engine *eng,
				struct nvsvm_sim_ce_job *job)
{
	struct nvsvm_sim *sim = eng->ce->sim;
	struct nvsvm_sim_ce_cmd cmd;
	u64 src, dst, size;
	u32 flags;

	lockdep_assert_not_held(&eng->lock);
	if (!nvsvm_sim_ce_delay(eng, job))
		return NVSVM_SIM_CE_ABANDONED;
	if (nvsvm_sim_mem_read(sim, job->aper, job->addr, &cmd, sizeof(cmd)))
		return NVSVM_CE_ERROR_RING;
	if (nvsvm_sim_inject_take(&sim->inject.ce_fail))
		return NVSVM_CE_ERROR_INJECTED;

	flags = le32_to_cpu(cmd.flags);
	src = le64_to_cpu(cmd.src);
	dst = le64_to_cpu(cmd.dst);
	size = le64_to_cpu(cmd.size);
	switch (le32_to_cpu(cmd.op)) {
	case NVSVM_CE_OP_COPY:
		return nvsvm_sim_ce_copy(eng, job, flags, src, dst, size);
	case NVSVM_CE_OP_FILL:
		return nvsvm_sim_ce_fill(eng, job, flags, src, dst, size);
	case NVSVM_CE_OP_SEMAPHORE:
		job->intr = flags & NVSVM_CE_FLAG_INTR;
		return nvsvm_sim_ce_semaphore(eng, flags, size, dst);
	case NVSVM_CE_OP_COPY_LIST:
		return nvsvm_sim_ce_copy_list(eng, job, flags, src, size);
	default:
		return NVSVM_CE_ERROR_BAD_COMMAND;
	}
}

static void nvsvm_sim_ce_work(struct work_struct *work)
{
	struct nvsvm_sim_ce_engine *eng =
		container_of(work, struct nvsvm_sim_ce_engine, work);
	struct nvsvm_sim_ce_job job;
	u32 cause;

	while (nvsvm_sim_ce_pick(eng, &job)) {
		cause = nvsvm_sim_ce_execute(eng, &job);
		nvsvm_sim_ce_retire(eng, &job, cause);
		cond_resched();
	}
}

/*
 * CE_RESET: drop what is pending, abandon the command in flight, and let
 * the worker finish the reset once nothing is in flight. Any context.
 */
static void nvsvm_sim_ce_reset_start(struct nvsvm_sim_ce_engine *eng)
{
	lockdep_assert_held(&eng->lock);
	if (eng->resetting)
		return;
	eng->resetting = true;
	nvsvm_sim_ce_abandon(eng);
	eng->get = eng->put;
	queue_work(eng->ce->wq, &eng->work);
}

/* Engine @reg belongs to, with *@reg made engine 0's offset; or NULL. */
static struct nvsvm_sim_ce_engine *
nvsvm_sim_ce_decode(struct nvsvm_sim *sim, u32 *reg)
{
	struct nvsvm_sim_ce *ce = sim->ce;
	u32 n = (*reg - NVSVM_REG_CE_RING_LO) / NVSVM_CE_STRIDE;

	if (*reg < NVSVM_REG_CE_RING_LO || n >= ce->count)
		return NULL;
	*reg -= n * NVSVM_CE_STRIDE;
	return &ce->engines[n];
}

/**
 * nvsvm_sim_ce_rd32() - Read a copy engine register
 * @sim: The GPU.
 * @reg: A 32-bit aligned offset in the copy engines' range.
 *
 * Any context.
 *
 * Return: the register's value.
 */
u32 nvsvm_sim_ce_rd32(struct nvsvm_sim *sim, u32 reg)
{
	u32 val = NVSVM_REG_BAD_VALUE | (reg & NVSVM_REG_BAD_MASK);
	struct nvsvm_sim_ce_engine *eng;
	unsigned long flags;

	eng = nvsvm_sim_ce_decode(sim, &reg);
	if (!eng)
		return val;

	spin_lock_irqsave(&eng->lock, flags);
	switch (reg) {
	case NVSVM_REG_CE_RING_LO:
		val = eng->ring_lo;
		break;
	case NVSVM_REG_CE_RING_HI:
		val = eng->ring_hi;
		break;
	case NVSVM_REG_CE_RING_SIZE:
		val = eng->ring_size;
		break;
	case NVSVM_REG_CE_GET:
		val = eng->get;
		break;
	case NVSVM_REG_CE_PUT:
		val = eng->put;
		break;
	case NVSVM_REG_CE_INTR_STATUS:
		val = eng->intr_status;
		break;
	case NVSVM_REG_CE_INTR_EN:
		val = eng->intr_en;
		break;
	case NVSVM_REG_CE_ERROR:
		val = eng->error;
		break;
	case NVSVM_REG_CE_RESET:
		val = 0;
		break;
	case NVSVM_REG_CE_STATUS:
		val = (eng->resetting ? NVSVM_CE_STATUS_RESETTING : 0) |
		      (eng->in_flight || (!eng->error && eng->get != eng->put) ?
		       NVSVM_CE_STATUS_BUSY : 0);
		break;
	case NVSVM_REG_CE_ERROR_CAUSE:
		val = eng->error_cause;
		break;
	case NVSVM_REG_CE_ERROR_SEGMENT:
		val = eng->error_segment;
		break;
	}
	spin_unlock_irqrestore(&eng->lock, flags);
	return val;
}

/**
 * nvsvm_sim_ce_wr32() - Write a copy engine register
 * @sim: The GPU.
 * @reg: A 32-bit aligned offset in the copy engines' range.
 * @val: The value.
 *
 * Any context, hard-IRQ included: no write sleeps. CE_PUT only kicks the
 * worker; CE_RESET only starts the reset. While a reset is under way,
 * writes other than to CE_INTR_STATUS and CE_INTR_EN are ignored.
 */
void nvsvm_sim_ce_wr32(struct nvsvm_sim *sim, u32 reg, u32 val)
{
	struct nvsvm_sim_ce_engine *eng;
	unsigned long flags;

	eng = nvsvm_sim_ce_decode(sim, &reg);
	if (!eng)
		return;

	spin_lock_irqsave(&eng->lock, flags);
	switch (reg) {
	case NVSVM_REG_CE_INTR_STATUS:
		eng->intr_status &= ~val;
		nvsvm_sim_ce_update_irq(eng);
		goto out_unlock;
	case NVSVM_REG_CE_INTR_EN:
		eng->intr_en = val & NVSVM_SIM_CE_INTR_ALL;
		nvsvm_sim_ce_update_irq(eng);
		goto out_unlock;
	}
	if (eng->resetting)
		goto out_unlock;

	switch (reg) {
	case NVSVM_REG_CE_RING_LO:
		eng->ring_lo = val;
		break;
	case NVSVM_REG_CE_RING_HI:
		eng->ring_hi = val;
		break;
	case NVSVM_REG_CE_RING_SIZE:
		nvsvm_sim_ce_abandon(eng);
		eng->ring_size = val;
		eng->get = 0;
		eng->put = 0;
		break;
	case NVSVM_REG_CE_PUT:
		eng->put = val;
		if (!eng->error && eng->get != eng->put)
			queue_work(eng->ce->wq, &eng->work);
		break;
	case NVSVM_REG_CE_RESET:
		nvsvm_sim_ce_reset_start(eng);
		break;
	default:
		/* The rest is read-only, or not decoded. */
		break;
	}
out_unlock:
	spin_unlock_irqrestore(&eng->lock, flags);
}

/**
 * nvsvm_sim_ce_init() - Create the copy engines
 * @sim: The GPU, whose interrupt lines exist already.
 *
 * &nvsvm_sim_config.ce_count engines, 1 to %NVSVM_CE_MAX_ENGINES. Each
 * starts idle: ring off, every register 0.
 *
 * Return: 0 or a negative errno.
 */
int nvsvm_sim_ce_init(struct nvsvm_sim *sim)
{
	u32 count = sim->cfg.ce_count;
	struct nvsvm_sim_ce *ce;
	u32 i;

	if (!count || count > NVSVM_CE_MAX_ENGINES)
		return -EINVAL;
	ce = kzalloc(struct_size(ce, engines, count), GFP_KERNEL);
	if (!ce)
		return -ENOMEM;
	ce->count = count;
	ce->sim = sim;
	spin_lock_init(&ce->irq_lock);

	ce->wq = alloc_workqueue("nvsvm-ce", WQ_UNBOUND | WQ_MEM_RECLAIM, count);
	if (!ce->wq)
		goto err_free_ce;

	for (i = 0; i < count; i++) {
		struct nvsvm_sim_ce_engine *eng = &ce->engines[i];

		eng->segs = (void *)__get_free_page(GFP_KERNEL);
		if (!eng->segs)
			goto err_free_segs;
		eng->ce = ce;
		eng->id = i;
		INIT_WORK(&eng->work, nvsvm_sim_ce_work);
		init_waitqueue_head(&eng->delay_wq);
		spin_lock_init(&eng->lock);
	}
	sim->ce = ce;
	return 0;

err_free_segs:
	while (i--)
		free_page((unsigned long)ce->engines[i].segs);
	destroy_workqueue(ce->wq);
err_free_ce:
	kfree(ce);
	return -ENOMEM;
}

/**
 * nvsvm_sim_ce_fini() - Stop and free the copy engines
 * @sim: The GPU; nothing may access its registers any more.
 *
 * Drops every engine's pending commands, abandons the ones in flight and
 * waits for the workers to stop.
 */
void nvsvm_sim_ce_fini(struct nvsvm_sim *sim)
{
	struct nvsvm_sim_ce *ce = sim->ce;
	u32 i;

	for (i = 0; i < ce->count; i++) {
		struct nvsvm_sim_ce_engine *eng = &ce->engines[i];

		spin_lock_irq(&eng->lock);
		nvsvm_sim_ce_abandon(eng);
		eng->get = eng->put;
		eng->intr_en = 0;
		nvsvm_sim_ce_update_irq(eng);
		spin_unlock_irq(&eng->lock);
	}
	for (i = 0; i < ce->count; i++)
		cancel_work_sync(&ce->engines[i].work);
	destroy_workqueue(ce->wq);
	for (i = 0; i < ce->count; i++)
		free_page((unsigned long)ce->engines[i].segs);
	sim->ce = NULL;
	kfree(ce);
}
