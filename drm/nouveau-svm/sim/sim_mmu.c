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
 * TLBs: every engine that translates (each SM, the host's push-buffer
 * fetcher) is an MMU client with a small direct-mapped TLB. A client does
 * its lookup, any walk and the access itself under its TLB lock, so an
 * invalidate (nvsvm_sim_mmu_invalidate()), which takes every client's lock
 * in turn to drop the entries in its range, returns only once no access
 * that could have used an old translation is still running. That is the
 * guarantee the driver's invalidation relies on: after the invalidate
 * register reports completion, no GPU access touches the old page.
 *
 * Access counters: each access mapped to a SYSMEM-aperture page is counted
 * by nvsvm_sim_acc_count() (sim_acc.c) while the access counter block is
 * enabled; while it is not, the MMU pays one test of a flag per access.
 *
 * Locking: &nvsvm_sim_mmu_client.lock protects the client's TLB and is held
 * across each access, counting included. &nvsvm_sim.mmu_clients_lock
 * protects the client list and is taken outside the client locks.
 */

#include <linux/highmem.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/sizes.h>
#include <kunit/visibility.h>

#include "nvsvm_regs.h"
#include "sim_internal.h"

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

/**
 * nvsvm_sim_mmu_walk() - Translate a VA through a page table
 * @sim: The GPU.
 * @pdb: Page directory base: VALID, APERTURE and ADDR of the root table,
 *       encoded like a directory entry.
 * @va: Virtual address.
 * @access: One of NVSVM_ACCESS_*.
 * @tr: Filled in on success.
 *
 * May sleep.
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

/**
 * nvsvm_sim_mmu_client_init() - Register an engine that translates
 * @sim: The GPU.
 * @client: The client, embedded in the engine.
 * @id: Its id, as fault-buffer entries report it.
 */
void nvsvm_sim_mmu_client_init(struct nvsvm_sim *sim,
			       struct nvsvm_sim_mmu_client *client, u32 id)
{
	memset(client->tlb, 0, sizeof(client->tlb));
	mutex_init(&client->lock);
	client->sim = sim;
	client->id = id;
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
 * @fault_type: Set to the NVSVM_FAULT_TYPE_* on failure.
 *
 * On success the client's TLB lock is held and the bytes are mapped until
 * nvsvm_sim_mmu_unmap(): an invalidate waits for the access to finish.
 * May sleep.
 *
 * Return: a kernel pointer to the bytes, or NULL if the access faulted.
 */
void *nvsvm_sim_mmu_map(struct nvsvm_sim_mmu_client *client, u64 pdb, u64 va,
			unsigned int size, u8 access, u8 *fault_type)
{
	/* The TLB knows a VM by its root table, whatever else the PDB holds. */
	u64 key = pdb & (NVSVM_PTE_ADDR | NVSVM_PTE_APERTURE);
	bool write = access != NVSVM_ACCESS_READ && access != NVSVM_ACCESS_PREFETCH;
	struct nvsvm_sim_tlb_entry *e;
	struct page *page;
	u64 addr, vpn;
	u32 aper;
	int ret;

	mutex_lock(&client->lock);
	/* Look up by 4 KiB page; a 2 MiB translation fills one slot. */
	vpn = va >> PAGE_SHIFT;
	e = &client->tlb[vpn % NVSVM_SIM_TLB_ENTRIES];
	if (!e->valid || e->pdb != key || e->va != (va & ~((1ULL << e->shift) - 1)) ||
	    nvsvm_sim_pte_denies(e->pte, access)) {
		struct nvsvm_sim_translation tr;

		ret = nvsvm_sim_mmu_walk(client->sim, pdb, va, access, &tr);
		if (ret) {
			e->valid = false;
			mutex_unlock(&client->lock);
			*fault_type = ret - 1;
			return NULL;
		}
		e->valid = true;
		e->pdb = key;
		e->shift = tr.shift;
		e->va = va & ~((1ULL << tr.shift) - 1);
		e->pte = tr.pte;
	}

	aper = (e->pte & NVSVM_PTE_APERTURE) ? NVSVM_APER_SYSMEM : NVSVM_APER_VRAM;
	addr = (e->pte & NVSVM_PTE_ADDR) + (va & ((1ULL << e->shift) - 1));
	page = nvsvm_sim_mem_page(client->sim, aper, addr, write);
	if (!page) {
		/* Bus error: the entry points where the GPU cannot reach. */
		e->valid = false;
		mutex_unlock(&client->lock);
		*fault_type = NVSVM_FAULT_TYPE_INVALID_PTE;
		return NULL;
	}
	/* Access counters: while they are off, this test is all they cost. */
	if (unlikely(READ_ONCE(client->sim->acc_enabled)) && aper == NVSVM_APER_SYSMEM)
		nvsvm_sim_acc_count(client->sim, key, va, client->id, client->inst);
	return kmap_local_page(page) + offset_in_page(addr);
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_sim_mmu_map);

/**
 * nvsvm_sim_mmu_unmap() - End an access begun by nvsvm_sim_mmu_map()
 * @client: The engine.
 * @ptr: What nvsvm_sim_mmu_map() returned.
 */
void nvsvm_sim_mmu_unmap(struct nvsvm_sim_mmu_client *client, void *ptr)
{
	kunmap_local(ptr);
	mutex_unlock(&client->lock);
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_sim_mmu_unmap);

/**
 * nvsvm_sim_mmu_invalidate() - Drop cached translations
 * @sim: The GPU.
 * @pdb: The VM whose translations go: its page directory base, as an
 *       instance block holds it (only APERTURE and ADDR count).
 * @start: First VA of the range.
 * @size: Bytes in the range; 0 means the whole VM.
 *
 * Returns once no client holds a translation in the range, and every
 * access that might have used one has finished. May sleep.
 */
void nvsvm_sim_mmu_invalidate(struct nvsvm_sim *sim, u64 pdb, u64 start, u64 size)
{
	struct nvsvm_sim_mmu_client *client;
	u64 end = size ? start + size : U64_MAX;
	unsigned int i;

	pdb &= NVSVM_PTE_ADDR | NVSVM_PTE_APERTURE;
	mutex_lock(&sim->mmu_clients_lock);
	list_for_each_entry(client, &sim->mmu_clients, link) {
		mutex_lock(&client->lock);
		for (i = 0; i < NVSVM_SIM_TLB_ENTRIES; i++) {
			struct nvsvm_sim_tlb_entry *e = &client->tlb[i];

			if (e->valid && e->pdb == pdb && e->va < end &&
			    e->va + (1ULL << e->shift) > start)
				e->valid = false;
		}
		mutex_unlock(&client->lock);
	}
	mutex_unlock(&sim->mmu_clients_lock);
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_sim_mmu_invalidate);

u32 nvsvm_sim_mmu_rd32(struct nvsvm_sim *sim, u32 reg)
{
	unsigned long flags;
	u32 val;

	/* Invalidates complete within the trigger write: never pending. */
	if (reg == NVSVM_REG_MMU_INV_STATUS)
		return 0;
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
	u64 loc, pdb, va, size;
	unsigned long flags;

	if (reg >= NVSVM_REG_MMU_INV_PDB_LO && reg <= NVSVM_REG_MMU_INV_SIZE_HI) {
		spin_lock_irqsave(&sim->mmu_inv_lock, flags);
		sim->mmu_inv[(reg - NVSVM_REG_MMU_INV_PDB_LO) / 4] = val;
		spin_unlock_irqrestore(&sim->mmu_inv_lock, flags);
		return;
	}
	if (reg != NVSVM_REG_MMU_INV_TRIGGER)
		return;

	might_sleep();
	spin_lock_irqsave(&sim->mmu_inv_lock, flags);
	loc = (u64)sim->mmu_inv[1] << 32 | sim->mmu_inv[0];
	va = (u64)sim->mmu_inv[3] << 32 | sim->mmu_inv[2];
	size = (u64)sim->mmu_inv[5] << 32 | sim->mmu_inv[4];
	spin_unlock_irqrestore(&sim->mmu_inv_lock, flags);
	pdb = nvsvm_sim_loc_addr(loc) |
	      (nvsvm_sim_loc_aper(loc) == NVSVM_APER_SYSMEM ? NVSVM_PTE_APERTURE : 0);
	nvsvm_sim_mmu_invalidate(sim, pdb, va, size);
}
