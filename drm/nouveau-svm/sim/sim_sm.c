// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

/**
 * DOC: SMs
 *
 * Each SM is a kernel thread that runs warps of launched grids through the
 * ISA interpreter (sim_isa.c), one slice of a warp at a time, its memory
 * accesses through its own MMU client (sim_mmu.c). A warp is
 * %NVSVM_ISA_WARP_SIZE lanes, one thread each, run in lockstep: one fetch
 * and decode per instruction for all its active lanes.
 *
 * A grid does not allocate all its warps: it owns a small pool (a few per
 * SM), and a warp that finishes is reused for the grid's next warp, so a
 * launch of millions of threads costs a few hundred kilobytes.
 *
 * Scheduling: each SM has a run queue. A grid's warps start spread over
 * the SMs; a warp goes back to the tail of its SM's queue after each slice
 * and a replayed warp to the queue of the SM it last ran on, so that it
 * finds its translations in that SM's TLB. An SM whose queue is empty
 * takes the oldest warp of the fullest queue (the warp then belongs to it).
 * Warps of all grids share an SM round robin.
 *
 * Slices: an SM holds its MMU client's lock across a slice of
 * %NVSVM_SIM_SLICE instructions, so that accesses that hit its TLB cost no
 * lock and no walk, and its interpreter reads instructions straight from
 * the code page; an invalidate that waits for the lock makes the
 * interpreter return at its next instruction boundary. Nothing allocates
 * memory or reports a fault under that lock.
 *
 * Faults: when an access of some lanes does not complete, the lanes whose
 * access did complete have executed the instruction; the SM drops its
 * lock and backs the VRAM pages writes found without backing store (a
 * failure fails the grid with %NVSVM_CHAN_ERROR_NO_BACKING), if any, and
 * runs the instruction again for the lanes that had not completed it; then
 * it reports one fault-buffer entry per distinct 4 KiB page and access
 * type the faulting lanes touched, and stalls the warp: it waits on the stalled list, its
 * state saved, until a replay puts it back on a run queue (the faulting
 * lanes alone run the instruction again, then meet the others) or a cancel
 * of its instance block and one of its pages aborts its grid with
 * %NVSVM_CHAN_ERROR_MMU_FAULT. Between the reports and the stalled list the warp
 * is its SM's "faulting" warp, which replays and cancels also look at: one
 * that came in that window is not lost (the warp then runs again, or its
 * grid fails).
 *
 * A grid ends when its last warp finishes, or when it fails: an illegal
 * instruction, misaligned access or division by zero (any lane's; the
 * error's detail is the instruction's address), a cancelled fault, VRAM
 * that could not be backed, or the watchdog. The watchdog counts
 * execution, not waiting: time during which every live warp of the grid is
 * stalled on a fault moves the grid's deadline on by as much, and a grid
 * fails with %NVSVM_CHAN_ERROR_WATCHDOG once it has run
 * &nvsvm_sim.watchdog_ms otherwise. A failed grid starts no more warps;
 * its stalled warps are dropped at once and its running ones at the end of
 * their slice.
 *
 * Locking: &nvsvm_sim.sm_lock (a spinlock, taken with interrupts off: the
 * host aborts grids under &nvsvm_sim.fifo_lock, which register reads take
 * in hard-IRQ context) protects the run queues and their counts, the
 * stalled list, each SM's faulting warp, each warp's home SM and replay
 * mark, and each grid's error, warp cursor, live and stalled counts and
 * deadline. A warp being run belongs to its SM alone, on no list; its
 * fault list is written by that SM before it becomes the faulting warp,
 * and read under sm_lock after. An SM's MMU client lock is taken outside
 * sm_lock and never held while waiting for it.
 */

#include <linux/bitmap.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <kunit/visibility.h>

#include "nvsvm_regs.h"
#include "sim_internal.h"
#include "sim_isa.h"

/* Warp instructions a warp runs before the SM looks at the next warp. */
#define NVSVM_SIM_SLICE		256
/* Warps a grid keeps in flight per SM. */
#define NVSVM_SIM_WARPS_PER_SM	2

/* A lane's access the MMU could not back is the interpreter's retry. */
static_assert(NVSVM_SIM_MMU_NO_BACKING == NVSVM_SIM_ISA_RETRY);

/**
 * struct nvsvm_sim_warp - A warp in flight
 */
struct nvsvm_sim_warp {
	/** @link: On a run queue or the stalled list, under sm_lock. */
	struct list_head link;
	/** @grid: Its grid. */
	struct nvsvm_sim_grid *grid;
	/** @home: The SM whose run queue it goes back to. Under sm_lock. */
	struct nvsvm_sim_sm *home;
	/**
	 * @replayed: A replay came while its faults were being reported: it
	 * runs again instead of stalling. Under sm_lock.
	 */
	bool replayed;
	/** @stalled: On the stalled list. Under sm_lock. */
	bool stalled;
	/** @isa: Its lanes' state, and the faults of its last slice. */
	struct nvsvm_sim_isa_warp isa;
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
	/** @key: APERTURE and ADDR of @pdb, as the TLBs know it. Immutable. */
	u64 key;
	/** @inst: The channel's instance block, for faults. Immutable. */
	u64 inst;
	/** @tag: The instance block's tag, for faults. Immutable. */
	u32 tag;
	/**
	 * @deadline: When the watchdog fails the grid, in jiffies; moved on
	 * by the time every live warp spends stalled. Under sm_lock.
	 */
	unsigned long deadline;
	/** @stalled_since: When @nstalled reached @live. Under sm_lock. */
	unsigned long stalled_since;
	/** @all_stalled: Every live warp is stalled. Under sm_lock. */
	bool all_stalled;
	/** @nstalled: Warps on the stalled list. Under sm_lock. */
	unsigned int nstalled;
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
 * struct nvsvm_sim_sm_backing - A VRAM page a write found without backing
 */
struct nvsvm_sim_sm_backing {
	/** @vram: Its VRAM address. */
	u64 vram;
	/** @va: The GPU VA of the first write to it. */
	u64 va;
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
	/** @mmu: Its MMU client and TLBs. */
	struct nvsvm_sim_mmu_client mmu;
	/** @mem: The interpreter's way to memory, through @mmu. */
	struct nvsvm_sim_isa_mem mem;
	/** @runnable: Its run queue. Under sm_lock. */
	struct list_head runnable;
	/** @nrunnable: Warps on @runnable. Under sm_lock. */
	unsigned int nrunnable;
	/**
	 * @faulting: The warp whose faults it is reporting, before the warp
	 * is on the stalled list; replays and cancels look here too. Under
	 * sm_lock.
	 */
	struct nvsvm_sim_warp *faulting;
	/* The rest is the SM thread's own. */
	/** @grid: The grid of the warp being run. */
	struct nvsvm_sim_grid *grid;
	/** @nbacking: Entries in @backing. */
	unsigned int nbacking;
	/** @backing: Pages to back once the lock is dropped. */
	struct nvsvm_sim_sm_backing backing[NVSVM_ISA_WARP_SIZE];
	/** @executed: Threads' instructions completed, for statistics. */
	atomic64_t executed;
	/** @issued: Warp instructions executed, for statistics. */
	atomic64_t issued;
};

static struct nvsvm_sim_sm *to_sm(struct nvsvm_sim_isa_mem *mem)
{
	return container_of(mem, struct nvsvm_sim_sm, mem);
}

/*
 * The slow path of an access: walk, count, or note a page to back. The
 * lock is held.
 */
static void *nvsvm_sim_sm_access(struct nvsvm_sim_sm *sm, u64 va, u8 access, u8 *why)
{
	unsigned int i;
	u64 vram;
	void *p;

	p = nvsvm_sim_mmu_access(&sm->mmu, sm->grid->pdb, va, access, why, &vram);
	if (p || *why != NVSVM_SIM_MMU_NO_BACKING)
		return p;
	for (i = 0; i < sm->nbacking; i++)
		if (!((sm->backing[i].vram ^ vram) & ~(u64)(SZ_4K - 1)))
			return NULL;
	/* At most one page per lane of the instruction, which ends the slice. */
	if (!WARN_ON_ONCE(sm->nbacking == ARRAY_SIZE(sm->backing)))
		sm->backing[sm->nbacking++] = (struct nvsvm_sim_sm_backing){ vram, va };
	return NULL;
}

/* A pointer to the bytes of one lane's access, or NULL with *@why set. */
static __always_inline void *nvsvm_sim_sm_map(struct nvsvm_sim_sm *sm, bool slow,
					      u64 va, u8 access, u8 *why)
{
	void *p = slow ? NULL : nvsvm_sim_tlb_hit(&sm->mmu, sm->grid->key, va, access);

	return p ?: nvsvm_sim_sm_access(sm, va, access, why);
}

/* While the access counters are on, every access takes the slow path. */
static bool nvsvm_sim_sm_slow(struct nvsvm_sim_sm *sm)
{
	return unlikely(READ_ONCE(sm->sim->acc_enabled));
}

static int nvsvm_sim_sm_fetch(struct nvsvm_sim_isa_mem *mem, u64 va, u64 *insn,
			      const __le64 **page, u8 *why)
{
	struct nvsvm_sim_sm *sm = to_sm(mem);
	bool slow = nvsvm_sim_sm_slow(sm);
	__le64 *p = nvsvm_sim_sm_map(sm, slow, va, NVSVM_ACCESS_READ, why);

	if (!p)
		return NVSVM_SIM_ISA_MEM_FAULT;
	*insn = le64_to_cpu(READ_ONCE(*p));
	/*
	 * The interpreter may go on reading the page while the lock is held,
	 * if it is real memory (not the zero page for VRAM never written) and
	 * fetches need not be counted one by one.
	 */
	if (!slow && nvsvm_sim_tlb_hit(&sm->mmu, sm->grid->key, va, NVSVM_ACCESS_READ))
		*page = (const __le64 *)((unsigned long)p & ~(unsigned long)(SZ_4K - 1));
	return 0;
}

static u32 nvsvm_sim_sm_load(struct nvsvm_sim_isa_mem *mem, u32 lanes,
			     const u64 *va, unsigned int size, u64 *val, u8 *why)
{
	struct nvsvm_sim_sm *sm = to_sm(mem);
	bool slow = nvsvm_sim_sm_slow(sm);
	unsigned long m = lanes;
	unsigned int i;
	u32 bad = 0;

	for_each_set_bit(i, &m, NVSVM_ISA_WARP_SIZE) {
		void *p = nvsvm_sim_sm_map(sm, slow, va[i], NVSVM_ACCESS_READ, &why[i]);

		if (unlikely(!p)) {
			bad |= BIT(i);
			continue;
		}
		switch (size) {
		case 1:
			val[i] = READ_ONCE(*(u8 *)p);
			break;
		case 2:
			val[i] = le16_to_cpu(READ_ONCE(*(__le16 *)p));
			break;
		case 4:
			val[i] = le32_to_cpu(READ_ONCE(*(__le32 *)p));
			break;
		default:
			val[i] = le64_to_cpu(READ_ONCE(*(__le64 *)p));
			break;
		}
	}
	return bad;
}

static u32 nvsvm_sim_sm_store(struct nvsvm_sim_isa_mem *mem, u32 lanes,
			      const u64 *va, unsigned int size, const u64 *val,
			      u8 *why)
{
	struct nvsvm_sim_sm *sm = to_sm(mem);
	bool slow = nvsvm_sim_sm_slow(sm);
	unsigned long m = lanes;
	unsigned int i;
	u32 bad = 0;

	for_each_set_bit(i, &m, NVSVM_ISA_WARP_SIZE) {
		void *p = nvsvm_sim_sm_map(sm, slow, va[i], NVSVM_ACCESS_WRITE, &why[i]);

		if (unlikely(!p)) {
			bad |= BIT(i);
			continue;
		}
		switch (size) {
		case 1:
			WRITE_ONCE(*(u8 *)p, val[i]);
			break;
		case 2:
			WRITE_ONCE(*(__le16 *)p, cpu_to_le16(val[i]));
			break;
		case 4:
			WRITE_ONCE(*(__le32 *)p, cpu_to_le32(val[i]));
			break;
		default:
			WRITE_ONCE(*(__le64 *)p, cpu_to_le64(val[i]));
			break;
		}
	}
	return bad;
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

static u32 nvsvm_sim_sm_atomic(struct nvsvm_sim_isa_mem *mem, u32 lanes,
			       const u64 *va, unsigned int size, u8 op,
			       const u64 *operand, const u64 *compare, u64 *old,
			       u8 *why)
{
	struct nvsvm_sim_sm *sm = to_sm(mem);
	bool slow = nvsvm_sim_sm_slow(sm);
	unsigned long m = lanes;
	unsigned int i;
	u32 bad = 0;
	u64 new;

	/* Atomics work on the host's representation: little-endian only. */
	BUILD_BUG_ON(IS_ENABLED(CONFIG_CPU_BIG_ENDIAN));
	for_each_set_bit(i, &m, NVSVM_ISA_WARP_SIZE) {
		void *p = nvsvm_sim_sm_map(sm, slow, va[i], NVSVM_ACCESS_ATOMIC, &why[i]);

		if (unlikely(!p)) {
			bad |= BIT(i);
			continue;
		}
		if (size == 4) {
			u32 cur = READ_ONCE(*(u32 *)p);

			do {
				if (!nvsvm_sim_atomic_op(op, cur, operand[i], compare[i], 4, &new))
					break;
			} while (!try_cmpxchg((u32 *)p, &cur, (u32)new));
			old[i] = cur;
		} else {
			u64 cur = READ_ONCE(*(u64 *)p);

			do {
				if (!nvsvm_sim_atomic_op(op, cur, operand[i], compare[i], 8, &new))
					break;
			} while (!try_cmpxchg64((u64 *)p, &cur, new));
			old[i] = cur;
		}
	}
	return bad;
}

static const struct nvsvm_sim_isa_mem_ops nvsvm_sim_sm_mem_ops = {
	.fetch = nvsvm_sim_sm_fetch,
	.load = nvsvm_sim_sm_load,
	.store = nvsvm_sim_sm_store,
	.atomic = nvsvm_sim_sm_atomic,
};

/* Put @w on the tail of @sm's run queue. Called with sm_lock. */
static void nvsvm_sim_sm_enqueue(struct nvsvm_sim_sm *sm, struct nvsvm_sim_warp *w)
{
	lockdep_assert_held(&sm->sim->sm_lock);
	w->home = sm;
	list_add_tail(&w->link, &sm->runnable);
	sm->nrunnable++;
	sm->sim->sm_queued++;
}

/* The next warp for @sm: its own, else the oldest of the fullest queue. */
static struct nvsvm_sim_warp *nvsvm_sim_sm_dequeue(struct nvsvm_sim_sm *sm)
{
	struct nvsvm_sim *sim = sm->sim;
	struct nvsvm_sim_sm *from = sm;
	struct nvsvm_sim_warp *w;
	u32 i;

	lockdep_assert_held(&sim->sm_lock);
	if (!sm->nrunnable) {
		for (i = 0; i < sim->cfg.sm_count; i++)
			if (sim->sms[i].nrunnable > from->nrunnable)
				from = &sim->sms[i];
		if (!from->nrunnable)
			return NULL;
	}
	w = list_first_entry(&from->runnable, struct nvsvm_sim_warp, link);
	list_del_init(&w->link);
	from->nrunnable--;
	sim->sm_queued--;
	w->home = sm;
	return w;
}

/*
 * Note a change of the grid's live or stalled warps: the time every live
 * warp spends stalled does not count against the watchdog. With sm_lock.
 */
static void nvsvm_sim_grid_stall_update(struct nvsvm_sim_grid *grid)
{
	bool all = grid->live && grid->nstalled == grid->live;

	lockdep_assert_held(&grid->sim->sm_lock);
	if (all && !grid->all_stalled) {
		grid->all_stalled = true;
		grid->stalled_since = jiffies;
	} else if (!all && grid->all_stalled) {
		grid->all_stalled = false;
		grid->deadline += jiffies - grid->stalled_since;
	}
}

/* Load pool warp @w with the grid's next warp, for @sm. Called with sm_lock. */
static void nvsvm_sim_warp_start(struct nvsvm_sim_grid *grid,
				 struct nvsvm_sim_warp *w, struct nvsvm_sim_sm *sm)
{
	u64 index = grid->next_warp++;
	u32 ctaid = index / grid->warps_per_block;
	u32 first = (index % grid->warps_per_block) * NVSVM_ISA_WARP_SIZE;
	u32 n = min_t(u32, NVSVM_ISA_WARP_SIZE, grid->launch.ntid - first);

	lockdep_assert_held(&grid->sim->sm_lock);
	w->grid = grid;
	w->stalled = false;
	nvsvm_sim_isa_warp_init(&w->isa, &grid->launch, first, ctaid,
				GENMASK(n - 1, 0));
	grid->live++;
	nvsvm_sim_sm_enqueue(sm, w);
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
	if (w->stalled) {
		w->stalled = false;
		grid->nstalled--;
	}
	grid->live--;
	if (!grid->error && grid->next_warp < grid->total_warps)
		nvsvm_sim_warp_start(grid, w, w->home);
	else if (!grid->live)
		complete(&grid->done);
	nvsvm_sim_grid_stall_update(grid);
}

/* Drop the stalled warps of @grid, which has failed. With sm_lock. */
static void nvsvm_sim_grid_drop_stalled(struct nvsvm_sim_grid *grid)
{
	struct nvsvm_sim_warp *w, *tmp;

	lockdep_assert_held(&grid->sim->sm_lock);
	list_for_each_entry_safe(w, tmp, &grid->sim->sm_stalled, link) {
		if (w->grid != grid)
			continue;
		list_del_init(&w->link);
		nvsvm_sim_warp_finish(grid, w);
	}
}

/* Take @w off the stalled list onto its SM's run queue. With sm_lock. */
static void nvsvm_sim_warp_unstall(struct nvsvm_sim_warp *w)
{
	list_del_init(&w->link);
	w->stalled = false;
	w->grid->nstalled--;
	nvsvm_sim_sm_enqueue(w->home, w);
	nvsvm_sim_grid_stall_update(w->grid);
}

enum nvsvm_sim_warp_result { WARP_RUNNING, WARP_EXITED, WARP_STALLED, WARP_FAILED };

/*
 * After a slice whose accesses did not all complete: back what needs
 * backing, report the faults. The lock is dropped.
 */
static enum nvsvm_sim_warp_result
nvsvm_sim_sm_faulted(struct nvsvm_sim_sm *sm, struct nvsvm_sim_warp *w, u32 *error,
		     u64 *info)
{
	struct nvsvm_sim_grid *grid = w->grid;
	struct nvsvm_sim *sim = sm->sim;
	bool faulted = false;
	unsigned long flags;
	unsigned int i;

	if (sm->nbacking) {
		for (i = 0; i < sm->nbacking; i++) {
			if (nvsvm_sim_vram_back(sim, sm->backing[i].vram)) {
				*error = NVSVM_CHAN_ERROR_NO_BACKING;
				*info = sm->backing[i].va;
				sm->nbacking = 0;
				return WARP_FAILED;
			}
		}
		sm->nbacking = 0;
		/*
		 * Run the instruction again before reporting any fault, so
		 * that the lanes that only wanted backing complete it.
		 */
		return WARP_RUNNING;
	}

	for (i = 0; i < w->isa.nfaults; i++)
		faulted |= w->isa.faults[i].why != NVSVM_SIM_ISA_RETRY;
	if (!faulted)
		return WARP_RUNNING;

	/* Visible to a replay or cancel before the reports can cause one. */
	spin_lock_irqsave(&sim->sm_lock, flags);
	w->replayed = false;
	sm->faulting = w;
	spin_unlock_irqrestore(&sim->sm_lock, flags);
	for (i = 0; i < w->isa.nfaults; i++) {
		const struct nvsvm_sim_isa_fault *f = &w->isa.faults[i];

		if (f->why != NVSVM_SIM_ISA_RETRY)
			nvsvm_sim_fault_report(sim, f->va, grid->inst, grid->tag,
					       f->access, f->why, NVSVM_CLIENT_SM(sm->id));
	}
	return WARP_STALLED;
}

/* Run a slice of @w; an error leaves its code in @error and detail in @info. */
static enum nvsvm_sim_warp_result
nvsvm_sim_sm_run_warp(struct nvsvm_sim_sm *sm, struct nvsvm_sim_warp *w, u32 *error,
		      u64 *info)
{
	struct nvsvm_sim_grid *grid = w->grid;
	struct nvsvm_sim_isa_count count;
	enum nvsvm_sim_isa_status st;

	sm->grid = grid;
	sm->mmu.inst = grid->inst;
	nvsvm_sim_mmu_client_lock(&sm->mmu);
	st = nvsvm_sim_isa_warp_run(&w->isa, &grid->launch, sm->id, &sm->mem,
				    NVSVM_SIM_SLICE, &count, error);
	nvsvm_sim_mmu_client_unlock(&sm->mmu);
	atomic64_add(count.lanes, &sm->executed);
	atomic64_add(count.insns, &sm->issued);

	switch (st) {
	case NVSVM_SIM_ISA_BUDGET:
		return WARP_RUNNING;
	case NVSVM_SIM_ISA_EXITED:
		return WARP_EXITED;
	case NVSVM_SIM_ISA_FAULTED:
		return nvsvm_sim_sm_faulted(sm, w, error, info);
	default:
		*info = w->isa.pc;
		return WARP_FAILED;
	}
}

/* Put @w where its slice's @res sends it. Called with sm_lock. */
static void nvsvm_sim_sm_retire(struct nvsvm_sim_sm *sm, struct nvsvm_sim_warp *w,
				enum nvsvm_sim_warp_result res, u32 error, u64 info)
{
	struct nvsvm_sim_grid *grid = w->grid;
	struct nvsvm_sim *sim = sm->sim;

	lockdep_assert_held(&sim->sm_lock);
	sm->faulting = NULL;
	if (res == WARP_FAILED && error)
		nvsvm_sim_grid_fail(grid, error, info);
	if (res == WARP_RUNNING && time_after(jiffies, grid->deadline))
		nvsvm_sim_grid_fail(grid, NVSVM_CHAN_ERROR_WATCHDOG, 0);

	if (grid->error || res == WARP_EXITED || res == WARP_FAILED) {
		nvsvm_sim_warp_finish(grid, w);
		/* A failed grid waits for no fault: its stalled warps go too. */
		if (grid->error && grid->nstalled)
			nvsvm_sim_grid_drop_stalled(grid);
	} else if (res == WARP_STALLED && !w->replayed) {
		list_add_tail(&w->link, &sim->sm_stalled);
		w->stalled = true;
		grid->nstalled++;
		nvsvm_sim_grid_stall_update(grid);
	} else {
		nvsvm_sim_sm_enqueue(sm, w);
	}
}

static int nvsvm_sim_sm_thread(void *data)
{
	struct nvsvm_sim_sm *sm = data;
	struct nvsvm_sim *sim = sm->sim;
	struct nvsvm_sim_warp *w;
	unsigned long flags;

	while (!kthread_should_stop()) {
		enum nvsvm_sim_warp_result res = WARP_FAILED;
		bool wake = false;
		u32 error = 0;
		u64 info = 0;

		spin_lock_irqsave(&sim->sm_lock, flags);
		w = nvsvm_sim_sm_dequeue(sm);
		if (!w)
			sim->sm_idle++;
		spin_unlock_irqrestore(&sim->sm_lock, flags);
		if (!w) {
			wait_event_interruptible_exclusive(sim->sm_wq, kthread_should_stop() ||
							   READ_ONCE(sim->sm_queued));
			spin_lock_irqsave(&sim->sm_lock, flags);
			sim->sm_idle--;
			spin_unlock_irqrestore(&sim->sm_lock, flags);
			continue;
		}

		/* A failed grid's warps are dropped when they come up. */
		if (!READ_ONCE(w->grid->error))
			res = nvsvm_sim_sm_run_warp(sm, w, &error, &info);

		spin_lock_irqsave(&sim->sm_lock, flags);
		nvsvm_sim_sm_retire(sm, w, res, error, info);
		/* More here than this SM can run next: an idle one may help. */
		wake = sim->sm_idle && sm->nrunnable > 1;
		spin_unlock_irqrestore(&sim->sm_lock, flags);
		if (wake)
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

	grid = kvzalloc(struct_size(grid, pool, npool), GFP_KERNEL);
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
	struct nvsvm_sim *sim = grid->sim;
	unsigned long flags;
	unsigned int i;

	grid->pdb = pdb;
	grid->key = pdb & (NVSVM_PTE_ADDR | NVSVM_PTE_APERTURE);
	grid->inst = inst;
	grid->tag = tag;
	grid->launch.entry = code;
	grid->launch.param = param;
	grid->launch.nctaid = nctaid;
	grid->launch.ntid = ntid;
	grid->warps_per_block = DIV_ROUND_UP(ntid, NVSVM_ISA_WARP_SIZE);
	grid->total_warps = (u64)nctaid * grid->warps_per_block;
	grid->next_warp = 0;
	grid->live = 0;
	grid->nstalled = 0;
	grid->all_stalled = false;
	grid->error = 0;
	grid->error_info = 0;
	init_completion(&grid->done);

	spin_lock_irqsave(&sim->sm_lock, flags);
	grid->deadline = jiffies + msecs_to_jiffies(sim->watchdog_ms);
	for (i = 0; i < grid->npool && grid->next_warp < grid->total_warps; i++)
		nvsvm_sim_warp_start(grid, &grid->pool[i],
				     &sim->sms[i % sim->cfg.sm_count]);
	spin_unlock_irqrestore(&sim->sm_lock, flags);
	wake_up_all(&sim->sm_wq);
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
	struct nvsvm_sim *sim = grid->sim;
	unsigned long flags;

	spin_lock_irqsave(&sim->sm_lock, flags);
	/* A grid stops by failing; an abandoned one needs some error too. */
	nvsvm_sim_grid_fail(grid, error ?: NVSVM_CHAN_ERROR_WATCHDOG, info);
	nvsvm_sim_grid_drop_stalled(grid);
	spin_unlock_irqrestore(&sim->sm_lock, flags);
	wake_up_all(&sim->sm_wq);
}

/**
 * nvsvm_sim_grid_wait() - Wait for a grid to end
 * @grid: The grid.
 * @info: Set to the error's detail.
 *
 * Enforces the watchdog on grids whose warps are stalled, which no SM
 * looks at: while every live warp is stalled, the grid's deadline does
 * not come closer. May sleep.
 *
 * Return: 0, or the NVSVM_CHAN_ERROR_* the grid failed with.
 */
u32 nvsvm_sim_grid_wait(struct nvsvm_sim_grid *grid, u64 *info)
{
	struct nvsvm_sim *sim = grid->sim;
	unsigned long flags;
	long left;

	for (;;) {
		spin_lock_irqsave(&sim->sm_lock, flags);
		if (grid->all_stalled && !grid->error)
			left = max_t(long, msecs_to_jiffies(sim->watchdog_ms), 1);
		else
			left = (long)(grid->deadline - jiffies);
		spin_unlock_irqrestore(&sim->sm_lock, flags);
		if (left <= 0) {
			nvsvm_sim_grid_abort(grid, NVSVM_CHAN_ERROR_WATCHDOG, 0);
			wait_for_completion(&grid->done);
			break;
		}
		if (wait_for_completion_timeout(&grid->done, left))
			break;
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
	kvfree(grid);
}

/**
 * nvsvm_sim_sm_replay() - Retry every stalled warp
 * @sim: The GPU.
 *
 * Each goes back to the run queue of the SM it last ran on.
 */
void nvsvm_sim_sm_replay(struct nvsvm_sim *sim)
{
	struct nvsvm_sim_warp *w, *tmp;
	unsigned long flags;
	u32 i;

	spin_lock_irqsave(&sim->sm_lock, flags);
	list_for_each_entry_safe(w, tmp, &sim->sm_stalled, link)
		nvsvm_sim_warp_unstall(w);
	for (i = 0; i < sim->cfg.sm_count; i++)
		if (sim->sms[i].faulting)
			sim->sms[i].faulting->replayed = true;
	spin_unlock_irqrestore(&sim->sm_lock, flags);
	wake_up_all(&sim->sm_wq);
}

/* Fail @w's grid if @w stalled on @va's page in channel @inst, @tag. */
static void nvsvm_sim_warp_cancel(struct nvsvm_sim_warp *w, u64 inst, u32 tag, u64 va)
{
	unsigned int i;

	lockdep_assert_held(&w->grid->sim->sm_lock);
	if (w->grid->inst != inst || w->grid->tag != tag)
		return;
	for (i = 0; i < w->isa.nfaults; i++) {
		const struct nvsvm_sim_isa_fault *f = &w->isa.faults[i];

		if (f->why != NVSVM_SIM_ISA_RETRY && !((f->va ^ va) >> 12)) {
			nvsvm_sim_grid_fail(w->grid, NVSVM_CHAN_ERROR_MMU_FAULT, f->va);
			return;
		}
	}
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
	struct nvsvm_sim_warp *w, *tmp;
	unsigned long flags;
	u32 i;

	spin_lock_irqsave(&sim->sm_lock, flags);
	list_for_each_entry(w, &sim->sm_stalled, link)
		nvsvm_sim_warp_cancel(w, inst, tag, va);
	/* A warp still reporting its faults: its SM drops it when it is back. */
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
	wake_up_all(&sim->sm_wq);
}

/**
 * nvsvm_sim_sm_instructions() - Threads' instructions the SMs completed
 * @sim: The GPU.
 *
 * An instruction a warp executes for n lanes counts n.
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

/**
 * nvsvm_sim_sm_warp_instructions() - Warp instructions the SMs executed
 * @sim: The GPU.
 *
 * An instruction a warp executes counts 1 however many lanes run it (and
 * again for the lanes that run it after a replay).
 *
 * Return: the sum over all SMs since the GPU was created.
 */
u64 nvsvm_sim_sm_warp_instructions(struct nvsvm_sim *sim)
{
	u64 sum = 0;
	u32 i;

	for (i = 0; i < sim->cfg.sm_count; i++)
		sum += atomic64_read(&sim->sms[i].issued);
	return sum;
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_sim_sm_warp_instructions);

/*
 * The SMs come up with the MMU's invalidate engine, which their TLBs are
 * what it is for, and go down with it.
 */
int nvsvm_sim_sm_init(struct nvsvm_sim *sim)
{
	u32 i;
	int ret;

	spin_lock_init(&sim->sm_lock);
	INIT_LIST_HEAD(&sim->sm_stalled);
	init_waitqueue_head(&sim->sm_wq);
	sim->sm_queued = 0;
	sim->sm_idle = 0;

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

		sm->sim = sim;
		sm->id = i;
		INIT_LIST_HEAD(&sm->runnable);
		sm->mem.ops = &nvsvm_sim_sm_mem_ops;
		sm->mem.yield = &sm->mmu.yield;
		atomic64_set(&sm->executed, 0);
		atomic64_set(&sm->issued, 0);
		nvsvm_sim_mmu_client_init(sim, &sm->mmu, NVSVM_CLIENT_SM(i));
	}
	for (i = 0; i < sim->cfg.sm_count; i++) {
		struct task_struct *t;

		t = kthread_run(nvsvm_sim_sm_thread, &sim->sms[i], "nvsvm-sm%u", i);
		if (IS_ERR(t)) {
			ret = PTR_ERR(t);
			goto err_stop;
		}
		sim->sms[i].thread = t;
	}
	return 0;

err_stop:
	while (i--)
		kthread_stop(sim->sms[i].thread);
	for (i = 0; i < sim->cfg.sm_count; i++)
		nvsvm_sim_mmu_client_fini(&sim->sms[i].mmu);
	kfree(sim->sms);
	nvsvm_sim_mmu_fini(sim);
	return ret;
}

/* Every grid must have ended: the SMs are stopped as they stand. */
void nvsvm_sim_sm_fini(struct nvsvm_sim *sim)
{
	u32 i;

	for (i = 0; i < sim->cfg.sm_count; i++)
		kthread_stop(sim->sms[i].thread);
	for (i = 0; i < sim->cfg.sm_count; i++) {
		WARN_ON(!list_empty(&sim->sms[i].runnable));
		nvsvm_sim_mmu_client_fini(&sim->sms[i].mmu);
	}
	WARN_ON(!list_empty(&sim->sm_stalled));
	kfree(sim->sms);
	nvsvm_sim_mmu_fini(sim);
}
