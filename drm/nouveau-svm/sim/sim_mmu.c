// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

/**
 * DOC: MMU
 *
 * Translation of GPU virtual addresses through the page tables described
 * in the "Page tables" section of nvsvm_regs.h.
 *
 * Walk: nvsvm_sim_mmu_walk() reads one entry per level from the aperture
 * the level above names, and checks each: a reserved bit, LARGE below level
 * 1, a misaligned large page or a table the GPU cannot reach fault as an
 * invalid PTE. Page tables are driver data; a bad one makes the GPU fault,
 * never the host misbehave.
 *
 * TLBs: every engine that translates (each SM, each channel's host
 * fetcher) is an MMU client with two small direct-mapped TLBs, one of
 * 4 KiB pages and one of 2 MiB pages. An entry caches what its
 * translation resolves to: the kernel address of the system memory page
 * (checked once, when the entry is filled, to be ordinary RAM) or of the
 * VRAM page, or for a 2 MiB VRAM page its chunk of backing pages. A 2 MiB
 * translation fills an entry of the 2 MiB TLB, and from it an entry of the
 * 4 KiB TLB for each page used, so that a hit always costs the same: one
 * entry, three compares, no walk, no DMA address to translate. Accesses
 * that hit go straight to memory (nvsvm_sim_tlb_hit(), the SMs' fast
 * path); the others, and every access while the access counters are on,
 * go through nvsvm_sim_mmu_access().
 *
 * Invalidates: a client does its lookups, any walk and the accesses
 * themselves under its lock; an SM holds it across a slice of a warp, so
 * that its interpreter may keep using a code page it was handed, and
 * releases it at the next instruction boundary when an invalidate waits
 * (&nvsvm_sim_mmu_client.yield). nvsvm_sim_mmu_invalidate() takes every
 * client's lock in turn to drop the entries whose translation overlaps
 * its range (a 4 KiB invalidate drops a whole 2 MiB translation), so it
 * returns only once no access that could have used an old translation is
 * still running. That is the guarantee the driver's invalidation relies
 * on: after the invalidate register reports completion, no GPU access
 * touches the old page. The register interface is asynchronous, as the
 * hardware contract wants (no register write sleeps): MMU_INV_TRIGGER
 * snapshots the range and queues the invalidate on a worker of the GPU's
 * (a WQ_UNBOUND, WQ_MEM_RECLAIM, WQ_HIGHPRI workqueue, which makes progress under
 * memory pressure and never allocates), MMU_INV_STATUS.PENDING reads 1
 * until it has completed, and a trigger while pending is ignored.
 *
 * Nothing allocates memory under a client's lock, since an invalidate
 * (called by the driver from its mmu notifier, through the register) waits
 * for it: a write to a VRAM page that has no backing yet fails with
 * %NVSVM_SIM_MMU_NO_BACKING, and the client backs the page once it has
 * dropped its lock, then retries; access counter notifications wait in the
 * client until it drops its lock; faults are reported by the engines
 * outside it. Lockdep is primed at client creation with the order
 * fs_reclaim -> client lock, so that a regression shows as a lockdep
 * report on the debug kernel.
 *
 * Fault injection: &nvsvm_sim_inject.inv_delay_ms completes each register
 * invalidate that much later; &nvsvm_sim_inject.inv_stuck keeps the next
 * ones pending for %NVSVM_SIM_INJECT_STUCK_MS, with the old translations
 * still cached (a channel reset still drops its VM's at once, through the
 * synchronous nvsvm_sim_mmu_invalidate()).
 *
 * Access counters: each access mapped to a SYSMEM-aperture page is counted
 * by nvsvm_sim_acc_count() (sim_acc.c) while the access counter block is
 * enabled; while it is not, the SMs pay one test of a flag per memory
 * instruction, the host one per access.
 *
 * Locking: &nvsvm_sim_mmu_client.lock (a mutex) protects the client's TLBs
 * and is held across each access, counting included.
 * &nvsvm_sim.mmu_clients_lock protects the client list and is taken
 * outside the client locks. &nvsvm_sim.mmu_inv_lock (a spinlock, taken
 * with interrupts off: registers are written from any context) protects
 * the invalidate registers, the snapshot and PENDING.
 */

#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/sched/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/wait_bit.h>
#include <linux/workqueue.h>
#include <kunit/visibility.h>

#include "nvsvm_regs.h"
#include "sim_internal.h"

/* Backing allocations a host access tries before giving up. */
#define NVSVM_SIM_MMU_BACKING_TRIES	8

/**
 * struct nvsvm_sim_mmu - The MMU's register invalidate
 */
struct nvsvm_sim_mmu {
	/** @sim: The GPU. */
	struct nvsvm_sim *sim;
	/** @wq: Runs @work: WQ_UNBOUND, WQ_MEM_RECLAIM, WQ_HIGHPRI. */
	struct workqueue_struct *wq;
	/** @work: The invalidate in progress, after its injected delay. */
	struct delayed_work work;
	/** @pending: MMU_INV_STATUS_PENDING. Under mmu_inv_lock. */
	bool pending;
	/** @pdb: The VM of the invalidate in progress. Under mmu_inv_lock. */
	u64 pdb;
	/** @va: First VA of its range. Under mmu_inv_lock. */
	u64 va;
	/** @size: Size of its range, 0: the whole VM. Under mmu_inv_lock. */
	u64 size;
};

static bool nvsvm_sim_pte_valid(u64 pte, unsigned int level)
{
	if (pte & NVSVM_PTE_RESERVED)
		return false;
	if (!(pte & NVSVM_PTE_LARGE))
		return true;
	return level == 1 && !(pte & NVSVM_PTE_ADDR & (SZ_2M - 1));
}

/* Whether a leaf entry forbids @access: 0, or a NVSVM_FAULT_TYPE_* + 1. */
static int nvsvm_sim_pte_denies(u64 pte, u8 access)
{
	if ((access == NVSVM_ACCESS_WRITE || access == NVSVM_ACCESS_ATOMIC) &&
	    (pte & NVSVM_PTE_READ_ONLY))
		return NVSVM_FAULT_TYPE_PROTECTION + 1;
	if (access == NVSVM_ACCESS_ATOMIC && (pte & NVSVM_PTE_ATOMIC_DISABLE))
		return NVSVM_FAULT_TYPE_ATOMIC_DISABLED + 1;
	return 0;
}

/* The accesses a leaf entry allows, as BIT(NVSVM_ACCESS_*). */
static u8 nvsvm_sim_pte_allows(u64 pte)
{
	u8 allow = BIT(NVSVM_ACCESS_READ) | BIT(NVSVM_ACCESS_PREFETCH);

	if (!(pte & NVSVM_PTE_READ_ONLY)) {
		allow |= BIT(NVSVM_ACCESS_WRITE);
		if (!(pte & NVSVM_PTE_ATOMIC_DISABLE))
			allow |= BIT(NVSVM_ACCESS_ATOMIC);
	}
	return allow;
}

/**
 * nvsvm_sim_mmu_walk() - Translate a VA through a page table
 * @sim: The GPU.
 * @pdb: Page directory base: VALID, APERTURE and ADDR of the root table,
 *       encoded like a directory entry.
 * @va: Virtual address.
 * @access: One of NVSVM_ACCESS_*.
 * @tr: Filled in on success.
 *
 * Never sleeps or allocates (it reads the tables, and a read of VRAM never
 * written allocates nothing).
 *
 * Return: 0, or a NVSVM_FAULT_TYPE_* + 1 (so that 0 means success).
 */
int nvsvm_sim_mmu_walk(struct nvsvm_sim *sim, u64 pdb, u64 va, u8 access,
		       struct nvsvm_sim_translation *tr)
{
	u64 entry = pdb;
	int level, ret;

	if (va >> NVSVM_VA_BITS)
		return NVSVM_FAULT_TYPE_INVALID_PTE + 1;

	for (level = NVSVM_PT_LEVELS - 1; level >= 0; level--) {
		unsigned int index = (va >> NVSVM_PT_SHIFT(level)) & (NVSVM_PT_ENTRIES - 1);
		u32 aper = (entry & NVSVM_PTE_APERTURE) ? NVSVM_APER_SYSMEM : NVSVM_APER_VRAM;
		u64 table = entry & NVSVM_PTE_ADDR;
		__le64 raw;

		/* The PDB, or a directory entry: a table, never a page. */
		if (!(entry & NVSVM_PTE_VALID) ||
		    (entry & (NVSVM_PTE_LARGE | NVSVM_PTE_RESERVED)))
			return NVSVM_FAULT_TYPE_INVALID_PTE + 1;
		if (nvsvm_sim_mem_read(sim, aper, table + index * sizeof(raw),
				       &raw, sizeof(raw)))
			return NVSVM_FAULT_TYPE_INVALID_PTE + 1;
		entry = le64_to_cpu(raw);

		if (!(entry & NVSVM_PTE_VALID) || !nvsvm_sim_pte_valid(entry, level))
			return NVSVM_FAULT_TYPE_INVALID_PTE + 1;
		if (level == 0 || (entry & NVSVM_PTE_LARGE))
			break;
	}

	ret = nvsvm_sim_pte_denies(entry, access);
	if (ret)
		return ret;

	tr->shift = NVSVM_PT_SHIFT(level);
	tr->pte = entry;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_sim_mmu_walk);

/* The TLB entries an address may be cached in. */
static struct nvsvm_sim_tlb_entry *
nvsvm_sim_tlb_small(struct nvsvm_sim_mmu_client *client, u64 va)
{
	return &client->tlb[(va >> 12) & (NVSVM_SIM_TLB_ENTRIES - 1)];
}

static struct nvsvm_sim_tlb_entry *
nvsvm_sim_tlb_large(struct nvsvm_sim_mmu_client *client, u64 va)
{
	return &client->tlb_large[(va >> 21) & (NVSVM_SIM_TLB_LARGE_ENTRIES - 1)];
}

static void nvsvm_sim_tlb_drop(struct nvsvm_sim_tlb_entry *e)
{
	e->valid = false;
	e->allow = 0;
}

/* Address in its aperture of the page a 4 KiB TLB entry maps. */
static u64 nvsvm_sim_tlb_addr(const struct nvsvm_sim_tlb_entry *e)
{
	return (e->pte & NVSVM_PTE_ADDR) + (e->va & ((1ULL << e->shift) - 1));
}

/*
 * Fill the 2 MiB entry @b with the translation @pte of the 2 MiB page at
 * @va. Return false for a bus error: the page is not all RAM, or not all
 * in VRAM.
 */
static bool nvsvm_sim_tlb_fill_large(struct nvsvm_sim_mmu_client *client,
				     struct nvsvm_sim_tlb_entry *b, u64 key,
				     u64 va, u64 pte)
{
	struct nvsvm_sim *sim = client->sim;
	u64 addr = pte & NVSVM_PTE_ADDR;

	nvsvm_sim_tlb_drop(b);
	if (pte & NVSVM_PTE_APERTURE) {
		b->kaddr = nvsvm_sim_sysmem_kaddr(sim, addr, SZ_2M);
		if (!b->kaddr)
			return false;
		b->sysmem = true;
	} else {
		if (addr >= sim->vram_size || sim->vram_size - addr < SZ_2M)
			return false;
		b->chunk = nvsvm_sim_vram_chunk(sim, addr);
		b->sysmem = false;
	}
	b->va = va & ~(u64)(SZ_2M - 1);
	b->pdb = key;
	b->pte = pte;
	b->shift = 21;
	b->valid = true;
	return true;
}

/*
 * Fill the 4 KiB entry @e for the page at @va: from the 2 MiB entry @b if
 * not NULL, else from the 4 KiB translation @pte. Return false for a bus
 * error.
 */
static bool nvsvm_sim_tlb_fill(struct nvsvm_sim_mmu_client *client,
			       struct nvsvm_sim_tlb_entry *e, u64 key, u64 va,
			       u64 pte, struct nvsvm_sim_tlb_entry *b)
{
	struct nvsvm_sim *sim = client->sim;
	u64 page = va & ~(u64)(SZ_4K - 1);
	void *kaddr;

	nvsvm_sim_tlb_drop(e);
	e->va = page;
	e->pdb = key;
	e->pte = b ? b->pte : pte;
	e->shift = b ? 21 : 12;
	e->sysmem = e->pte & NVSVM_PTE_APERTURE;
	if (b && b->sysmem) {
		kaddr = b->kaddr + (page - b->va);
	} else if (b) {
		/* VRAM: the chunk may have been allocated since @b was filled. */
		if (!b->chunk)
			b->chunk = nvsvm_sim_vram_chunk(sim, nvsvm_sim_tlb_addr(e));
		kaddr = b->chunk ? nvsvm_sim_vram_chunk_kaddr(b->chunk, nvsvm_sim_tlb_addr(e))
				 : NULL;
	} else if (e->sysmem) {
		kaddr = nvsvm_sim_sysmem_kaddr(sim, nvsvm_sim_tlb_addr(e), SZ_4K);
		if (!kaddr)
			return false;
	} else {
		if (nvsvm_sim_tlb_addr(e) >= sim->vram_size)
			return false;
		kaddr = nvsvm_sim_vram_kaddr(sim, nvsvm_sim_tlb_addr(e));
	}
	e->kaddr = kaddr;
	e->allow = kaddr ? nvsvm_sim_pte_allows(e->pte) : 0;
	e->valid = true;
	return true;
}

/* Keep a notification for when the client drops its lock. */
static void nvsvm_sim_mmu_count(struct nvsvm_sim_mmu_client *client, u64 key, u64 va)
{
	u64 region;
	u32 count;

	if (!nvsvm_sim_acc_count(client->sim, key, va, &region, &count))
		return;
	if (client->nnotes == ARRAY_SIZE(client->notes)) {
		nvsvm_sim_acc_lost(client->sim);
		return;
	}
	client->notes[client->nnotes++] = (struct nvsvm_sim_acc_note){
		.va = region,
		.count = count,
	};
	if (!client->notes_yield) {
		client->notes_yield = true;
		atomic_inc(&client->yield);
	}
}

/**
 * nvsvm_sim_mmu_access() - Translate one access, the slow way
 * @client: The engine making the access; its lock is held.
 * @pdb: The VM's page directory base.
 * @va: Address of the access.
 * @access: One of NVSVM_ACCESS_*.
 * @why: Set to the NVSVM_FAULT_TYPE_* when the call returns NULL, or to
 *	 %NVSVM_SIM_MMU_NO_BACKING for a write to VRAM without backing store.
 * @vram: Set, with %NVSVM_SIM_MMU_NO_BACKING, to the VRAM address to back.
 *
 * Looks the translation up in both TLBs, walks the page tables on a miss
 * (or when the cached entry forbids @access) and fills the TLBs, and
 * counts the access if the access counters want it. The bytes of the
 * access must not cross a 4 KiB page. Never sleeps or allocates.
 *
 * Return: a kernel pointer to the byte at @va, valid while the lock is
 * held (the zero page's, for a read of VRAM never written), or NULL.
 */
void *nvsvm_sim_mmu_access(struct nvsvm_sim_mmu_client *client, u64 pdb, u64 va,
			   u8 access, u8 *why, u64 *vram)
{
	/* The TLB knows a VM by its root table, whatever else the PDB holds. */
	u64 key = pdb & (NVSVM_PTE_ADDR | NVSVM_PTE_APERTURE);
	struct nvsvm_sim_tlb_entry *e = nvsvm_sim_tlb_small(client, va);
	struct nvsvm_sim_tlb_entry *b = nvsvm_sim_tlb_large(client, va);
	struct nvsvm_sim *sim = client->sim;
	struct nvsvm_sim_translation tr;
	void *p;
	int ret;

	lockdep_assert_held(&client->lock);
	if (e->valid && e->pdb == key && e->va == (va & ~(u64)(SZ_4K - 1)) &&
	    !nvsvm_sim_pte_denies(e->pte, access))
		goto hit;
	if (b->valid && b->pdb == key && b->va == (va & ~(u64)(SZ_2M - 1)) &&
	    !nvsvm_sim_pte_denies(b->pte, access)) {
		nvsvm_sim_tlb_fill(client, e, key, va, 0, b);
		goto hit;
	}

	ret = nvsvm_sim_mmu_walk(sim, pdb, va, access, &tr);
	if (ret) {
		if (e->va == (va & ~(u64)(SZ_4K - 1)))
			nvsvm_sim_tlb_drop(e);
		*why = ret - 1;
		return NULL;
	}
	if (tr.shift == 21) {
		if (!nvsvm_sim_tlb_fill_large(client, b, key, va, tr.pte))
			goto bus_error;
		nvsvm_sim_tlb_fill(client, e, key, va, 0, b);
	} else if (!nvsvm_sim_tlb_fill(client, e, key, va, tr.pte, NULL)) {
		goto bus_error;
	}

hit:
	p = e->kaddr;
	if (unlikely(!p)) {
		/* VRAM without backing when the entry was filled. */
		p = nvsvm_sim_vram_kaddr(sim, nvsvm_sim_tlb_addr(e));
		if (p) {
			e->kaddr = p;
			e->allow = nvsvm_sim_pte_allows(e->pte);
		} else if (access == NVSVM_ACCESS_READ || access == NVSVM_ACCESS_PREFETCH) {
			/* Reads see zeroes, and never stay in the entry. */
			p = page_address(ZERO_PAGE(0));
		} else {
			*why = NVSVM_SIM_MMU_NO_BACKING;
			*vram = nvsvm_sim_tlb_addr(e);
			return NULL;
		}
	}
	/* Access counters: while they are off, this test is all they cost. */
	if (unlikely(READ_ONCE(sim->acc_enabled)) && e->sysmem)
		nvsvm_sim_mmu_count(client, key, va);
	return p + (va & (SZ_4K - 1));

bus_error:
	/* The entry points where the GPU cannot reach. */
	nvsvm_sim_tlb_drop(e);
	*why = NVSVM_FAULT_TYPE_INVALID_PTE;
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_sim_mmu_access);

/*
 * Write the notifications @client kept. Called by its owner once it has
 * dropped its lock.
 */
static void nvsvm_sim_mmu_client_flush(struct nvsvm_sim_mmu_client *client)
{
	unsigned int i;

	lockdep_assert_not_held(&client->lock);
	for (i = 0; i < client->nnotes; i++)
		nvsvm_sim_acc_notify(client->sim, client->notes[i].va,
				     client->notes[i].count, client->id, client->inst);
	client->nnotes = 0;
	if (client->notes_yield) {
		client->notes_yield = false;
		atomic_dec(&client->yield);
	}
}

/**
 * nvsvm_sim_mmu_client_lock() - Take a client's lock for a run of accesses
 * @client: The client.
 *
 * For an engine that accesses through nvsvm_sim_tlb_hit() and
 * nvsvm_sim_mmu_access() (the SMs): it holds the lock across its accesses,
 * and must drop it with nvsvm_sim_mmu_client_unlock() soon after
 * &nvsvm_sim_mmu_client.yield becomes non-zero. Lets an invalidate that
 * waits for the lock have it first. May sleep.
 */
void nvsvm_sim_mmu_client_lock(struct nvsvm_sim_mmu_client *client)
{
	wait_var_event(&client->yield, !atomic_read(&client->yield));
	mutex_lock(&client->lock);
}

/**
 * nvsvm_sim_mmu_client_unlock() - End a run of accesses
 * @client: The client, locked with nvsvm_sim_mmu_client_lock().
 *
 * Then writes the access counter notifications the accesses raised. May
 * sleep and allocate.
 */
void nvsvm_sim_mmu_client_unlock(struct nvsvm_sim_mmu_client *client)
{
	mutex_unlock(&client->lock);
	nvsvm_sim_mmu_client_flush(client);
}

/**
 * nvsvm_sim_mmu_client_init() - Register an engine that translates
 * @sim: The GPU.
 * @client: The client, embedded in the engine.
 * @id: Its id, as fault-buffer entries report it.
 *
 * Primes lockdep: an invalidate, which memory reclaim may wait for, takes
 * the client list's lock and each client's lock, so neither may be held
 * while allocating memory.
 */
void nvsvm_sim_mmu_client_init(struct nvsvm_sim *sim,
			       struct nvsvm_sim_mmu_client *client, u32 id)
{
	memset(client->tlb, 0, sizeof(client->tlb));
	memset(client->tlb_large, 0, sizeof(client->tlb_large));
	mutex_init(&client->lock);
	atomic_set(&client->yield, 0);
	client->sim = sim;
	client->id = id;
	client->nnotes = 0;
	client->notes_yield = false;
	if (IS_ENABLED(CONFIG_LOCKDEP)) {
		fs_reclaim_acquire(GFP_KERNEL);
		might_lock(&sim->mmu_clients_lock);
		might_lock(&client->lock);
		fs_reclaim_release(GFP_KERNEL);
	}
	mutex_lock(&sim->mmu_clients_lock);
	list_add_tail(&client->link, &sim->mmu_clients);
	mutex_unlock(&sim->mmu_clients_lock);
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_sim_mmu_client_init);

/**
 * nvsvm_sim_mmu_client_fini() - Unregister an engine
 * @client: The client; it must not be accessing memory.
 */
void nvsvm_sim_mmu_client_fini(struct nvsvm_sim_mmu_client *client)
{
	struct nvsvm_sim *sim = client->sim;

	mutex_lock(&sim->mmu_clients_lock);
	list_del(&client->link);
	mutex_unlock(&sim->mmu_clients_lock);
	WARN_ON(client->nnotes);
	mutex_destroy(&client->lock);
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_sim_mmu_client_fini);

/**
 * nvsvm_sim_mmu_map() - Translate and map bytes for one access
 * @client: The engine making the access.
 * @pdb: The VM's page directory base.
 * @va: Address of the access.
 * @size: Bytes; the access must not cross a 4 KiB page.
 * @access: One of NVSVM_ACCESS_*.
 * @fault_type: Set on failure to the NVSVM_FAULT_TYPE_*, or to
 *		%NVSVM_SIM_MMU_NO_BACKING when the access writes VRAM that
 *		has no backing store and none could be allocated: not a
 *		fault, the caller fails its work with
 *		%NVSVM_CHAN_ERROR_NO_BACKING.
 *
 * On success the client's lock is held and the bytes are mapped until
 * nvsvm_sim_mmu_unmap(): an invalidate waits for the access to finish.
 * The caller must not allocate memory meanwhile. May sleep (and allocate
 * VRAM backing, with the lock dropped).
 *
 * Return: a kernel pointer to the bytes, or NULL if the access failed.
 */
void *nvsvm_sim_mmu_map(struct nvsvm_sim_mmu_client *client, u64 pdb, u64 va,
			unsigned int size, u8 access, u8 *fault_type)
{
	unsigned int tries;
	u64 vram;
	void *p;
	u8 why;

	for (tries = 0; tries < NVSVM_SIM_MMU_BACKING_TRIES; tries++) {
		mutex_lock(&client->lock);
		p = nvsvm_sim_mmu_access(client, pdb, va, access, &why, &vram);
		if (p)
			return p;
		mutex_unlock(&client->lock);
		if (why != NVSVM_SIM_MMU_NO_BACKING)
			break;
		/* Outside the lock; then the translation may have changed. */
		if (nvsvm_sim_vram_back(client->sim, vram))
			break;
	}
	*fault_type = why;
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_sim_mmu_map);

/**
 * nvsvm_sim_mmu_unmap() - End an access begun by nvsvm_sim_mmu_map()
 * @client: The engine.
 * @ptr: What nvsvm_sim_mmu_map() returned.
 *
 * Then writes the access counter notification the access raised, if any.
 * May sleep.
 */
void nvsvm_sim_mmu_unmap(struct nvsvm_sim_mmu_client *client, void *ptr)
{
	nvsvm_sim_mmu_client_unlock(client);
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_sim_mmu_unmap);

/* Drop the entries of @tlb whose translation overlaps [@start, @end) of @pdb. */
static void nvsvm_sim_tlb_invalidate(struct nvsvm_sim_tlb_entry *tlb, unsigned int n,
				     u64 pdb, u64 start, u64 end)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct nvsvm_sim_tlb_entry *e = &tlb[i];
		u64 size = 1ULL << e->shift;
		u64 base = e->va & ~(size - 1);

		if (e->valid && e->pdb == pdb && base < end && base + size > start)
			nvsvm_sim_tlb_drop(e);
	}
}

/**
 * nvsvm_sim_mmu_invalidate() - Drop cached translations
 * @sim: The GPU.
 * @pdb: The VM whose translations go: its page directory base, as an
 *       instance block holds it (only APERTURE and ADDR count).
 * @start: First VA of the range.
 * @size: Bytes in the range; 0 means the whole VM.
 *
 * Returns once no client holds a translation overlapping the range, and
 * every access that might have used one has finished. Never allocates.
 * May sleep.
 */
void nvsvm_sim_mmu_invalidate(struct nvsvm_sim *sim, u64 pdb, u64 start, u64 size)
{
	struct nvsvm_sim_mmu_client *client;
	u64 end = size && start + size > start ? start + size : U64_MAX;

	pdb &= NVSVM_PTE_ADDR | NVSVM_PTE_APERTURE;
	mutex_lock(&sim->mmu_clients_lock);
	list_for_each_entry(client, &sim->mmu_clients, link) {
		/* An SM holding the lock across a slice lets go at once. */
		atomic_inc(&client->yield);
		mutex_lock(&client->lock);
		if (atomic_dec_and_test(&client->yield))
			wake_up_var(&client->yield);
		nvsvm_sim_tlb_invalidate(client->tlb, NVSVM_SIM_TLB_ENTRIES, pdb, start, end);
		nvsvm_sim_tlb_invalidate(client->tlb_large, NVSVM_SIM_TLB_LARGE_ENTRIES,
					 pdb, start, end);
		mutex_unlock(&client->lock);
	}
	mutex_unlock(&sim->mmu_clients_lock);
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_sim_mmu_invalidate);

static void nvsvm_sim_mmu_inv_work(struct work_struct *work)
{
	struct nvsvm_sim_mmu *mmu = container_of(to_delayed_work(work),
						 struct nvsvm_sim_mmu, work);
	struct nvsvm_sim *sim = mmu->sim;
	unsigned long flags;
	u64 pdb, va, size;

	spin_lock_irqsave(&sim->mmu_inv_lock, flags);
	pdb = mmu->pdb;
	va = mmu->va;
	size = mmu->size;
	spin_unlock_irqrestore(&sim->mmu_inv_lock, flags);

	nvsvm_sim_mmu_invalidate(sim, pdb, va, size);

	spin_lock_irqsave(&sim->mmu_inv_lock, flags);
	mmu->pending = false;
	spin_unlock_irqrestore(&sim->mmu_inv_lock, flags);
}

/**
 * nvsvm_sim_mmu_init() - Create the MMU's invalidate engine
 * @sim: The GPU.
 *
 * Return: 0 or -ENOMEM.
 */
int nvsvm_sim_mmu_init(struct nvsvm_sim *sim)
{
	struct nvsvm_sim_mmu *mmu = kzalloc(sizeof(*mmu), GFP_KERNEL);

	if (!mmu)
		return -ENOMEM;
	mmu->wq = alloc_workqueue("nvsvm-sim-mmu", WQ_UNBOUND | WQ_MEM_RECLAIM | WQ_HIGHPRI, 1);
	if (!mmu->wq) {
		kfree(mmu);
		return -ENOMEM;
	}
	mmu->sim = sim;
	INIT_DELAYED_WORK(&mmu->work, nvsvm_sim_mmu_inv_work);
	sim->mmu = mmu;
	return 0;
}

/**
 * nvsvm_sim_mmu_fini() - Destroy the MMU's invalidate engine
 * @sim: The GPU; nothing writes its registers any more.
 *
 * An invalidate still pending is abandoned.
 */
void nvsvm_sim_mmu_fini(struct nvsvm_sim *sim)
{
	struct nvsvm_sim_mmu *mmu = sim->mmu;

	cancel_delayed_work_sync(&mmu->work);
	destroy_workqueue(mmu->wq);
	kfree(mmu);
	sim->mmu = NULL;
}

u32 nvsvm_sim_mmu_rd32(struct nvsvm_sim *sim, u32 reg)
{
	unsigned long flags;
	u32 val;

	if (reg == NVSVM_REG_MMU_INV_STATUS) {
		spin_lock_irqsave(&sim->mmu_inv_lock, flags);
		val = sim->mmu->pending ? NVSVM_MMU_INV_STATUS_PENDING : 0;
		spin_unlock_irqrestore(&sim->mmu_inv_lock, flags);
		return val;
	}
	if (reg >= NVSVM_REG_MMU_INV_PDB_LO && reg <= NVSVM_REG_MMU_INV_SIZE_HI) {
		spin_lock_irqsave(&sim->mmu_inv_lock, flags);
		val = sim->mmu_inv[(reg - NVSVM_REG_MMU_INV_PDB_LO) / 4];
		spin_unlock_irqrestore(&sim->mmu_inv_lock, flags);
		return val;
	}
	return NVSVM_REG_BAD_VALUE | (reg & NVSVM_REG_BAD_MASK);
}

void nvsvm_sim_mmu_wr32(struct nvsvm_sim *sim, u32 reg, u32 val)
{
	struct nvsvm_sim_mmu *mmu = sim->mmu;
	unsigned long flags, delay;
	unsigned int ms;
	u64 loc;

	spin_lock_irqsave(&sim->mmu_inv_lock, flags);
	if (reg >= NVSVM_REG_MMU_INV_PDB_LO && reg <= NVSVM_REG_MMU_INV_SIZE_HI) {
		sim->mmu_inv[(reg - NVSVM_REG_MMU_INV_PDB_LO) / 4] = val;
	} else if (reg == NVSVM_REG_MMU_INV_TRIGGER && !mmu->pending) {
		loc = (u64)sim->mmu_inv[1] << 32 | sim->mmu_inv[0];
		mmu->pdb = nvsvm_sim_loc_addr(loc) |
			   (nvsvm_sim_loc_aper(loc) == NVSVM_APER_SYSMEM ? NVSVM_PTE_APERTURE : 0);
		mmu->va = (u64)sim->mmu_inv[3] << 32 | sim->mmu_inv[2];
		mmu->size = (u64)sim->mmu_inv[5] << 32 | sim->mmu_inv[4];
		mmu->pending = true;
		ms = nvsvm_sim_inject_ms(&sim->inject.inv_delay_ms);
		if (nvsvm_sim_inject_take(&sim->inject.inv_stuck))
			ms += NVSVM_SIM_INJECT_STUCK_MS;
		delay = ms ? msecs_to_jiffies(ms) : 0;
		queue_delayed_work(mmu->wq, &mmu->work, delay);
	}
	spin_unlock_irqrestore(&sim->mmu_inv_lock, flags);
}

/**
 * nvsvm_sim_lockdep_canary() - Allocate under a client lock, on purpose
 * @sim: The GPU.
 *
 * For the rig's self-test only: allocates with GFP_KERNEL under the lock
 * of the GPU's first MMU client, which lockdep, primed at client creation,
 * must report on a debug kernel. Never call it from a normal test.
 */
void nvsvm_sim_lockdep_canary(struct nvsvm_sim *sim)
{
	struct nvsvm_sim_mmu_client *client;
	void *p;

	mutex_lock(&sim->mmu_clients_lock);
	client = list_first_entry_or_null(&sim->mmu_clients,
					  struct nvsvm_sim_mmu_client, link);
	mutex_unlock(&sim->mmu_clients_lock);
	if (!client)
		return;
	mutex_lock(&client->lock);
	p = kmalloc(64, GFP_KERNEL);
	mutex_unlock(&client->lock);
	kfree(p);
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_sim_lockdep_canary);
