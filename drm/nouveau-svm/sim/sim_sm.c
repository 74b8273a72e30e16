// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

/**
 * DOC: SMs
 *
 * Each SM is a kernel thread that runs warps of a launched grid through the
 * ISA interpreter (sim_isa.c), its memory accesses through its own MMU
 * client (sim_mmu.c).
 *
 * A grid does not allocate all its warps: it owns a small pool (a few per
 * SM), and a warp that finishes is reused for the grid's next warp, so a
 * launch of millions of threads costs a few kilobytes. SMs take warps from
 * one run queue, run each live thread of the warp for a budget of
 * instructions, and put the warp back at the tail: warps of all grids share
 * the SMs round robin.
 *
 * A warp whose access faults stalls: the SM has reported the fault to the
 * fault buffer, and the warp waits on the stalled list, its state saved,
 * until a replay puts every stalled warp back on the run queue (the
 * faulting instruction runs again) or a cancel of its instance block and
 * page aborts its grid with %NVSVM_CHAN_ERROR_MMU_FAULT. Between the
 * report and the stalled list the warp is its SM's "faulting" warp, which
 * replays and cancels also look at: one that came in that window is not
 * lost (the warp then runs again, or its grid fails).
 *
 * A grid ends when its last warp finishes, or when it fails: an illegal
 * instruction, misaligned access, division by zero, a cancelled fault or
 * the watchdog (a grid still running after &nvsvm_sim.watchdog_ms). A
 * failed grid starts no more warps; its stalled warps are dropped at once
 * and its running ones at the end of their slice.
 *
 * Locking: &nvsvm_sim.sm_lock (a spinlock, taken with interrupts off: the
 * host aborts grids under &nvsvm_sim.fifo_lock, which register reads take
 * in hard-IRQ context) protects the run queue, the stalled list, each SM's
 * faulting warp, each warp's fault address and replay mark, and each
 * grid's error, warp cursor and live count. A warp being run belongs to
 * its SM alone, on no list.
 */

#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <kunit/visibility.h>

#include "nvsvm_regs.h"
#include "sim_internal.h"
#include "sim_isa.h"

/* Instructions a thread runs before the SM looks at the next warp. */
#define NVSVM_SIM_SLICE		256
/* Warps a grid keeps in flight per SM. */
#define NVSVM_SIM_WARPS_PER_SM	4

/**
 * struct nvsvm_sim_warp - A warp in flight
 */
struct nvsvm_sim_warp {
	/** @link: On the run queue or stalled list, under sm_lock. */
	struct list_head link;
	/** @grid: Its grid. */
	struct nvsvm_sim_grid *grid;
	/** @fault_va: Address of the access it stalled on. Under sm_lock. */
	u64 fault_va;
	/**
	 * @replayed: A replay came while its fault was being reported: it
	 * runs again instead of stalling. Under sm_lock.
	 */
	bool replayed;
	/** @nthreads: Live threads in @threads. */
	unsigned int nthreads;
	/** @threads: Their state. */
	struct nvsvm_sim_isa_thread threads[NVSVM_ISA_WARP_SIZE];
};

/**
 * struct nvsvm_sim_grid - A launch in progress
 */
struct nvsvm_sim_grid {
	/** @sim: The GPU. */
	struct nvsvm_sim *sim;
	/** @launch: What runs. Immutable. */
	struct nvsvm_sim_isa_launch launch;
	/** @pdb: The channel's VM. Immutable. */
	u64 pdb;
	/** @inst: The channel's instance block, for faults. Immutable. */
	u64 inst;
	/** @tag: The instance block's tag, for faults. Immutable. */
	u32 tag;
	/** @deadline: When the watchdog fails the grid, in jiffies. */
	unsigned long deadline;
	/** @warps_per_block: Warps of one block. Immutable. */
	u32 warps_per_block;
	/** @total_warps: Warps of the grid. Immutable. */
	u64 total_warps;
	/** @next_warp: Index of the next warp to start. Under sm_lock. */
	u64 next_warp;
	/** @live: Pool warps in flight. Under sm_lock. */
	unsigned int live;
	/** @error: First NVSVM_CHAN_ERROR_*, or 0. Under sm_lock. */
	u32 error;
	/** @error_info: Detail of @error (a faulting VA). Under sm_lock. */
	u64 error_info;
	/** @done: Completed when @live drops to 0 with no warp to start. */
	struct completion done;
	/** @npool: Size of @pool. */
	unsigned int npool;
	/** @pool: The warps. */
	struct nvsvm_sim_warp pool[] __counted_by(npool);
};

/**
 * struct nvsvm_sim_sm - One SM
 */
struct nvsvm_sim_sm {
	/** @sim: The GPU. */
	struct nvsvm_sim *sim;
	/** @id: Its index, as S2R SMID and fault entries report it. */
	u32 id;
	/** @thread: The kernel thread that is the SM. */
	struct task_struct *thread;
	/** @mmu: Its MMU client and TLB. */
	struct nvsvm_sim_mmu_client mmu;
	/** @mem: The interpreter's way to memory, through @mmu. */
	struct nvsvm_sim_isa_mem mem;
	/** @warp: The warp being run. Only the SM's thread uses it. */
	struct nvsvm_sim_warp *warp;
	/**
	 * @faulting: @warp while its fault is being reported, before it is on
	 * the stalled list; replays and cancels look here too. Under sm_lock.
	 */
	struct nvsvm_sim_warp *faulting;
	/** @executed: Instructions completed, for statistics. */
	atomic64_t executed;
};

static struct nvsvm_sim_sm *to_sm(struct nvsvm_sim_isa_mem *mem)
{
	return container_of(mem, struct nvsvm_sim_sm, mem);
}

/* Map the bytes of one access, or report the fault and stall. */
static void *nvsvm_sim_sm_map(struct nvsvm_sim_sm *sm, u64 va, unsigned int size,
			      u8 access)
{
	unsigned long flags;
	struct nvsvm_sim_grid *grid = sm->warp->grid;
	u8 type;
	void *p;

	p = nvsvm_sim_mmu_map(&sm->mmu, grid->pdb, va, size, access, &type);
	if (!p) {
		/* Visible to a replay or cancel before the report can cause one. */
		spin_lock_irqsave(&sm->sim->sm_lock, flags);
		sm->warp->fault_va = va;
		sm->warp->replayed = false;
		sm->faulting = sm->warp;
		spin_unlock_irqrestore(&sm->sim->sm_lock, flags);
		nvsvm_sim_fault_report(sm->sim, va, grid->inst, grid->tag, access, type,
				       NVSVM_CLIENT_SM(sm->id));
	}
	return p;
}

static int nvsvm_sim_sm_fetch(struct nvsvm_sim_isa_mem *mem, u64 va, u64 *insn)
{
	struct nvsvm_sim_sm *sm = to_sm(mem);
	__le64 *p = nvsvm_sim_sm_map(sm, va, 8, NVSVM_ACCESS_READ);

	if (!p)
		return NVSVM_SIM_MEM_FAULT;
	*insn = le64_to_cpu(READ_ONCE(*p));
	nvsvm_sim_mmu_unmap(&sm->mmu, p);
	return 0;
}

static int nvsvm_sim_sm_load(struct nvsvm_sim_isa_mem *mem, u64 va,
			     unsigned int size, u64 *val)
{
	struct nvsvm_sim_sm *sm = to_sm(mem);
	void *p = nvsvm_sim_sm_map(sm, va, size, NVSVM_ACCESS_READ);

	if (!p)
		return NVSVM_SIM_MEM_FAULT;
	switch (size) {
	case 1:
		*val = READ_ONCE(*(u8 *)p);
		break;
	case 2:
		*val = le16_to_cpu(READ_ONCE(*(__le16 *)p));
		break;
	case 4:
		*val = le32_to_cpu(READ_ONCE(*(__le32 *)p));
		break;
	default:
		*val = le64_to_cpu(READ_ONCE(*(__le64 *)p));
		break;
	}
	nvsvm_sim_mmu_unmap(&sm->mmu, p);
	return 0;
}

static int nvsvm_sim_sm_store(struct nvsvm_sim_isa_mem *mem, u64 va,
			      unsigned int size, u64 val)
{
	struct nvsvm_sim_sm *sm = to_sm(mem);
	void *p = nvsvm_sim_sm_map(sm, va, size, NVSVM_ACCESS_WRITE);

	if (!p)
		return NVSVM_SIM_MEM_FAULT;
	switch (size) {
	case 1:
		WRITE_ONCE(*(u8 *)p, val);
		break;
	case 2:
		WRITE_ONCE(*(__le16 *)p, cpu_to_le16(val));
		break;
	case 4:
		WRITE_ONCE(*(__le32 *)p, cpu_to_le32(val));
		break;
	default:
		WRITE_ONCE(*(__le64 *)p, cpu_to_le64(val));
		break;
	}
	nvsvm_sim_mmu_unmap(&sm->mmu, p);
	return 0;
}

/* The new value of an atomic, at 64 bits; false: CAS stores nothing. */
static bool nvsvm_sim_atomic_op(u8 op, u64 old, u64 operand, u64 compare,
				unsigned int size, u64 *new)
{
	s64 sold = size == 4 ? (s32)old : (s64)old;
	s64 sop = size == 4 ? (s32)operand : (s64)operand;

	switch (op) {
	case NVSVM_ISA_ATOMADD32:
	case NVSVM_ISA_ATOMADD64:
		*new = old + operand;
		return true;
	case NVSVM_ISA_ATOMEXCH32:
	case NVSVM_ISA_ATOMEXCH64:
		*new = operand;
		return true;
	case NVSVM_ISA_ATOMCAS32:
	case NVSVM_ISA_ATOMCAS64:
		*new = operand;
		return old == compare;
	case NVSVM_ISA_ATOMMIN32:
	case NVSVM_ISA_ATOMMIN64:
		*new = sop < sold ? operand : old;
		return true;
	case NVSVM_ISA_ATOMMAX32:
	case NVSVM_ISA_ATOMMAX64:
		*new = sop > sold ? operand : old;
		return true;
	case NVSVM_ISA_ATOMMINU32:
	case NVSVM_ISA_ATOMMINU64:
		*new = min(old, operand);
		return true;
	default:	/* MAXU; the decoder admits no other atomic */
		*new = max(old, operand);
		return true;
	}
}

static int nvsvm_sim_sm_atomic(struct nvsvm_sim_isa_mem *mem, u64 va,
			       unsigned int size, u8 op, u64 operand,
			       u64 compare, u64 *old)
{
	struct nvsvm_sim_sm *sm = to_sm(mem);
	void *p = nvsvm_sim_sm_map(sm, va, size, NVSVM_ACCESS_ATOMIC);
	u64 new;

	/* Atomics work on the host's representation: little-endian only. */
	BUILD_BUG_ON(IS_ENABLED(CONFIG_CPU_BIG_ENDIAN));
	if (!p)
		return NVSVM_SIM_MEM_FAULT;
	if (size == 4) {
		u32 cur = READ_ONCE(*(u32 *)p);

		do {
			if (!nvsvm_sim_atomic_op(op, cur, operand, compare, 4, &new))
				break;
		} while (!try_cmpxchg((u32 *)p, &cur, (u32)new));
		*old = cur;
	} else {
		u64 cur = READ_ONCE(*(u64 *)p);

		do {
			if (!nvsvm_sim_atomic_op(op, cur, operand, compare, 8, &new))
				break;
		} while (!try_cmpxchg64((u64 *)p, &cur, new));
		*old = cur;
	}
	nvsvm_sim_mmu_unmap(&sm->mmu, p);
	return 0;
}

static const struct nvsvm_sim_isa_mem_ops nvsvm_sim_sm_mem_ops = {
	.fetch = nvsvm_sim_sm_fetch,
	.load = nvsvm_sim_sm_load,
	.store = nvsvm_sim_sm_store,
	.atomic = nvsvm_sim_sm_atomic,
};

/* Load pool warp @w with the grid's next warp. Called with sm_lock. */
static void nvsvm_sim_warp_start(struct nvsvm_sim_grid *grid,
				 struct nvsvm_sim_warp *w)
{
	u64 index = grid->next_warp++;
	u32 ctaid = index / grid->warps_per_block;
	u32 first = (index % grid->warps_per_block) * NVSVM_ISA_WARP_SIZE;
	unsigned int i;

	lockdep_assert_held(&grid->sim->sm_lock);
	w->grid = grid;
	w->nthreads = min_t(u32, NVSVM_ISA_WARP_SIZE, grid->launch.ntid - first);
	for (i = 0; i < w->nthreads; i++)
		nvsvm_sim_isa_thread_init(&w->threads[i], &grid->launch, first + i, ctaid);
	grid->live++;
	list_add_tail(&w->link, &grid->sim->sm_runnable);
}

/* Record the grid's first error. Called with sm_lock. */
static void nvsvm_sim_grid_fail(struct nvsvm_sim_grid *grid, u32 error, u64 info)
{
	lockdep_assert_held(&grid->sim->sm_lock);
	if (!grid->error) {
		grid->error = error;
		grid->error_info = info;
	}
}

/* A warp is done: reuse it for the next warp, or retire it. With sm_lock. */
static void nvsvm_sim_warp_finish(struct nvsvm_sim_grid *grid,
				  struct nvsvm_sim_warp *w)
{
	lockdep_assert_held(&grid->sim->sm_lock);
	grid->live--;
	if (!grid->error && grid->next_warp < grid->total_warps)
		nvsvm_sim_warp_start(grid, w);
	else if (!grid->live)
		complete(&grid->done);
}

enum nvsvm_sim_warp_result { WARP_RUNNING, WARP_EXITED, WARP_STALLED, WARP_FAILED };

/* Run a slice of @w; a thread that fails leaves @error and its pc in @info. */
static enum nvsvm_sim_warp_result
nvsvm_sim_sm_run_warp(struct nvsvm_sim_sm *sm, struct nvsvm_sim_warp *w, u32 *error,
		      u64 *info)
{
	bool all_exited = true;
	unsigned int i;

	for (i = 0; i < w->nthreads; i++) {
		struct nvsvm_sim_isa_thread *t = &w->threads[i];
		enum nvsvm_sim_isa_status st;
		unsigned int executed = 0;

		if (t->exited)
			continue;
		st = nvsvm_sim_isa_run(t, &w->grid->launch, sm->id, &sm->mem,
				       NVSVM_SIM_SLICE, &executed, error);
		atomic64_add(executed, &sm->executed);
		switch (st) {
		case NVSVM_SIM_ISA_EXITED:
			break;
		case NVSVM_SIM_ISA_BUDGET:
			all_exited = false;
			break;
		case NVSVM_SIM_ISA_FAULTED:
			return WARP_STALLED;
		default:
			*info = t->pc;
			return WARP_FAILED;
		}
	}
	return all_exited ? WARP_EXITED : WARP_RUNNING;
}

static int nvsvm_sim_sm_thread(void *data)
{
	unsigned long flags;
	struct nvsvm_sim_sm *sm = data;
	struct nvsvm_sim *sim = sm->sim;

	while (!kthread_should_stop()) {
		enum nvsvm_sim_warp_result res = WARP_FAILED;
		struct nvsvm_sim_warp *w;
		struct nvsvm_sim_grid *grid;
		u32 error = 0;
		u64 pc = 0;

		wait_event_interruptible(sim->sm_wq, kthread_should_stop() ||
					 !list_empty_careful(&sim->sm_runnable));
		spin_lock_irqsave(&sim->sm_lock, flags);
		w = list_first_entry_or_null(&sim->sm_runnable, struct nvsvm_sim_warp, link);
		if (w)
			list_del_init(&w->link);
		spin_unlock_irqrestore(&sim->sm_lock, flags);
		if (!w)
			continue;

		grid = w->grid;
		sm->warp = w;
		sm->mmu.inst = grid->inst;
		/* A failed grid's warps are dropped when they come up. */
		if (!READ_ONCE(grid->error))
			res = nvsvm_sim_sm_run_warp(sm, w, &error, &pc);
		sm->warp = NULL;

		spin_lock_irqsave(&sim->sm_lock, flags);
		sm->faulting = NULL;
		if (res == WARP_FAILED && error)
			nvsvm_sim_grid_fail(grid, error, pc);
		if (res == WARP_RUNNING && time_after(jiffies, grid->deadline))
			nvsvm_sim_grid_fail(grid, NVSVM_CHAN_ERROR_WATCHDOG, 0);

		if (grid->error || res == WARP_EXITED || res == WARP_FAILED)
			nvsvm_sim_warp_finish(grid, w);
		else if (res == WARP_STALLED && !w->replayed)
			list_add_tail(&w->link, &sim->sm_stalled);
		else
			list_add_tail(&w->link, &sim->sm_runnable);
		spin_unlock_irqrestore(&sim->sm_lock, flags);
		wake_up(&sim->sm_wq);
		cond_resched();
	}
	return 0;
}

/**
 * nvsvm_sim_grid_alloc() - Allocate a grid, to be started many times
 * @sim: The GPU.
 *
 * Each channel owns one, so that a launch never allocates.
 *
 * Return: the grid, or NULL.
 */
struct nvsvm_sim_grid *nvsvm_sim_grid_alloc(struct nvsvm_sim *sim)
{
	unsigned int npool = sim->cfg.sm_count * NVSVM_SIM_WARPS_PER_SM;
	struct nvsvm_sim_grid *grid;

	grid = kzalloc(struct_size(grid, pool, npool), GFP_KERNEL);
	if (grid) {
		grid->npool = npool;
		grid->sim = sim;
	}
	return grid;
}

/**
 * nvsvm_sim_grid_start() - Start a grid
 * @grid: The grid, not running.
 * @pdb: VM of the channel.
 * @inst: Instance block of the channel, as a location.
 * @tag: The instance block's tag, for fault reports and cancels.
 * @code: VA of the first instruction.
 * @param: VA of the parameter block.
 * @nctaid: Blocks, at least 1.
 * @ntid: Threads per block, 1 to 1024.
 *
 * Wait for it with nvsvm_sim_grid_wait().
 */
void nvsvm_sim_grid_start(struct nvsvm_sim_grid *grid, u64 pdb, u64 inst,
			  u32 tag, u64 code, u64 param, u32 nctaid, u32 ntid)
{
	unsigned long flags;
	struct nvsvm_sim *sim = grid->sim;
	unsigned int i;

	grid->pdb = pdb;
	grid->inst = inst;
	grid->tag = tag;
	grid->launch.entry = code;
	grid->launch.param = param;
	grid->launch.nctaid = nctaid;
	grid->launch.ntid = ntid;
	grid->warps_per_block = DIV_ROUND_UP(ntid, NVSVM_ISA_WARP_SIZE);
	grid->total_warps = (u64)nctaid * grid->warps_per_block;
	grid->deadline = jiffies + msecs_to_jiffies(sim->watchdog_ms);
	grid->next_warp = 0;
	grid->live = 0;
	grid->error = 0;
	grid->error_info = 0;
	init_completion(&grid->done);

	spin_lock_irqsave(&sim->sm_lock, flags);
	for (i = 0; i < grid->npool && grid->next_warp < grid->total_warps; i++)
		nvsvm_sim_warp_start(grid, &grid->pool[i]);
	spin_unlock_irqrestore(&sim->sm_lock, flags);
	wake_up(&sim->sm_wq);
}

/**
 * nvsvm_sim_grid_abort() - Fail a grid
 * @grid: The grid.
 * @error: NVSVM_CHAN_ERROR_*, or 0 when the channel abandons the grid (a
 *         reset): it stops the same way, and the caller ignores its result.
 * @info: Detail of the error.
 *
 * Stalled warps are dropped at once, running ones after their slice.
 */
void nvsvm_sim_grid_abort(struct nvsvm_sim_grid *grid, u32 error, u64 info)
{
	unsigned long flags;
	struct nvsvm_sim *sim = grid->sim;
	struct nvsvm_sim_warp *w, *tmp;

	spin_lock_irqsave(&sim->sm_lock, flags);
	/* A grid stops by failing; an abandoned one needs some error too. */
	nvsvm_sim_grid_fail(grid, error ?: NVSVM_CHAN_ERROR_WATCHDOG, info);
	list_for_each_entry_safe(w, tmp, &sim->sm_stalled, link) {
		if (w->grid != grid)
			continue;
		list_del_init(&w->link);
		nvsvm_sim_warp_finish(grid, w);
	}
	spin_unlock_irqrestore(&sim->sm_lock, flags);
	wake_up(&sim->sm_wq);
}

/**
 * nvsvm_sim_grid_wait() - Wait for a grid to end
 * @grid: The grid.
 * @info: Set to the error's detail.
 *
 * Enforces the watchdog on grids whose warps are stalled, which no SM
 * looks at. May sleep.
 *
 * Return: 0, or the NVSVM_CHAN_ERROR_* the grid failed with.
 */
u32 nvsvm_sim_grid_wait(struct nvsvm_sim_grid *grid, u64 *info)
{
	long left = grid->deadline - jiffies;

	if (left <= 0 || !wait_for_completion_timeout(&grid->done, left)) {
		nvsvm_sim_grid_abort(grid, NVSVM_CHAN_ERROR_WATCHDOG, 0);
		wait_for_completion(&grid->done);
	}
	*info = grid->error_info;
	return grid->error;
}

/**
 * nvsvm_sim_grid_free() - Free a grid
 * @grid: The grid, not running.
 */
void nvsvm_sim_grid_free(struct nvsvm_sim_grid *grid)
{
	kfree(grid);
}

/**
 * nvsvm_sim_sm_replay() - Retry every stalled warp
 * @sim: The GPU.
 */
void nvsvm_sim_sm_replay(struct nvsvm_sim *sim)
{
	unsigned long flags;
	u32 i;

	spin_lock_irqsave(&sim->sm_lock, flags);
	list_splice_tail_init(&sim->sm_stalled, &sim->sm_runnable);
	for (i = 0; i < sim->cfg.sm_count; i++)
		if (sim->sms[i].faulting)
			sim->sms[i].faulting->replayed = true;
	spin_unlock_irqrestore(&sim->sm_lock, flags);
	wake_up(&sim->sm_wq);
}

/* Fail @w's grid if @w stalled on @va's page in channel @inst, @tag. */
static void nvsvm_sim_warp_cancel(struct nvsvm_sim_warp *w, u64 inst, u32 tag, u64 va)
{
	lockdep_assert_held(&w->grid->sim->sm_lock);
	if (w->grid->inst == inst && w->grid->tag == tag &&
	    !((w->fault_va ^ va) >> PAGE_SHIFT))
		nvsvm_sim_grid_fail(w->grid, NVSVM_CHAN_ERROR_MMU_FAULT, w->fault_va);
}

/**
 * nvsvm_sim_sm_cancel() - Fail the warps stalled on one page of one channel
 * @sim: The GPU.
 * @inst: The channel's instance block, as a location.
 * @tag: Its tag: warps of a grid with another tag are left alone.
 * @va: An address in the page.
 *
 * Their grids fail with %NVSVM_CHAN_ERROR_MMU_FAULT.
 */
void nvsvm_sim_sm_cancel(struct nvsvm_sim *sim, u64 inst, u32 tag, u64 va)
{
	unsigned long flags;
	struct nvsvm_sim_warp *w, *tmp;
	u32 i;

	spin_lock_irqsave(&sim->sm_lock, flags);
	list_for_each_entry(w, &sim->sm_stalled, link)
		nvsvm_sim_warp_cancel(w, inst, tag, va);
	/* A warp still reporting its fault: its SM drops it when it is back. */
	for (i = 0; i < sim->cfg.sm_count; i++)
		if (sim->sms[i].faulting)
			nvsvm_sim_warp_cancel(sim->sms[i].faulting, inst, tag, va);
	/* Then drop every stalled warp of a failed grid. */
	list_for_each_entry_safe(w, tmp, &sim->sm_stalled, link) {
		if (!w->grid->error)
			continue;
		list_del_init(&w->link);
		nvsvm_sim_warp_finish(w->grid, w);
	}
	spin_unlock_irqrestore(&sim->sm_lock, flags);
	wake_up(&sim->sm_wq);
}

/**
 * nvsvm_sim_sm_instructions() - Instructions the SMs have completed
 * @sim: The GPU.
 *
 * Return: the sum over all SMs since the GPU was created.
 */
u64 nvsvm_sim_sm_instructions(struct nvsvm_sim *sim)
{
	u64 sum = 0;
	u32 i;

	for (i = 0; i < sim->cfg.sm_count; i++)
		sum += atomic64_read(&sim->sms[i].executed);
	return sum;
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_sim_sm_instructions);

/*
 * The SMs come up with the MMU's invalidate engine, which their TLBs are
 * what it is for, and go down with it.
 */
int nvsvm_sim_sm_init(struct nvsvm_sim *sim)
{
	u32 i;
	int ret;

	spin_lock_init(&sim->sm_lock);
	INIT_LIST_HEAD(&sim->sm_runnable);
	INIT_LIST_HEAD(&sim->sm_stalled);
	init_waitqueue_head(&sim->sm_wq);

	ret = nvsvm_sim_mmu_init(sim);
	if (ret)
		return ret;
	sim->sms = kcalloc(sim->cfg.sm_count, sizeof(*sim->sms), GFP_KERNEL);
	if (!sim->sms) {
		nvsvm_sim_mmu_fini(sim);
		return -ENOMEM;
	}

	for (i = 0; i < sim->cfg.sm_count; i++) {
		struct nvsvm_sim_sm *sm = &sim->sms[i];
		struct task_struct *t;

		sm->sim = sim;
		sm->id = i;
		sm->mem.ops = &nvsvm_sim_sm_mem_ops;
		atomic64_set(&sm->executed, 0);
		nvsvm_sim_mmu_client_init(sim, &sm->mmu, NVSVM_CLIENT_SM(i));
		t = kthread_run(nvsvm_sim_sm_thread, sm, "nvsvm-sm%u", i);
		if (IS_ERR(t)) {
			nvsvm_sim_mmu_client_fini(&sm->mmu);
			sim->cfg.sm_count = i;
			nvsvm_sim_sm_fini(sim);
			return PTR_ERR(t);
		}
		sm->thread = t;
	}
	return 0;
}

/* Every grid must have ended: the SMs are stopped as they stand. */
void nvsvm_sim_sm_fini(struct nvsvm_sim *sim)
{
	u32 i;

	for (i = 0; i < sim->cfg.sm_count; i++) {
		kthread_stop(sim->sms[i].thread);
		nvsvm_sim_mmu_client_fini(&sim->sms[i].mmu);
	}
	WARN_ON(!list_empty(&sim->sm_runnable) || !list_empty(&sim->sm_stalled));
	kfree(sim->sms);
	nvsvm_sim_mmu_fini(sim);
}
