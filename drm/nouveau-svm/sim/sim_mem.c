// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

/**
 * DOC: Memory
 *
 * The GPU's view of physical memory: an aperture and an address (see the
 * "Memory apertures" section of nvsvm_regs.h).
 *
 * VRAM is the emulator's own backing store, in 2 MiB chunks: a chunk is an
 * array of 512 pointers to 4 KiB pages, and the chunks sit in an xarray by
 * chunk number. Chunks and pages are allocated the first time a page is
 * written (nvsvm_sim_vram_back()), so that a large VRAM costs host memory
 * only for what is used; a read of a page never written sees zeroes and
 * allocates nothing. A 2 MiB TLB entry points at its chunk, a 4 KiB one at
 * its page. Backing is allocated with GFP_KERNEL, so never under a lock an
 * MMU invalidate waits for: the MMU reports a write to a page without
 * backing and its client allocates once it has dropped its lock, then
 * retries (see sim_mmu.c).
 *
 * System memory is reached by the DMA address the driver mapped for the
 * GPU's device, translated back with dma_to_phys(): the emulated GPU sits
 * behind the DMA API like a real one. Only ordinary RAM is reachable; any
 * other address (unmapped, device memory, ZONE_DEVICE pages, which have no
 * CPU mapping) is a bus error, so that a wrong page-table entry makes the
 * GPU fault, never the host crash. nvsvm_sim_sysmem_kaddr() checks that
 * once, when a TLB entry is filled, and hands back the kernel address the
 * entry keeps; a 2 MiB page is checked whole, and is one run of the direct
 * map since it is physically contiguous. The emulator reaches lowmem only
 * (64-bit hosts have no other), and takes the host's pages to be the GPU's
 * 4 KiB pages.
 *
 * Fault injection: &nvsvm_sim_inject.vram_fail makes the next backing
 * allocations fail, as if the host were out of memory.
 *
 * Locking: the VRAM xarray has its own lock (xa_lock); chunks and pages
 * are installed with a compare-and-exchange, so that racing writers agree,
 * and are never freed before the GPU is destroyed, so a page found once
 * stays valid. Callers serialise their own accesses to the bytes, as
 * hardware would not.
 */

#include <linux/dma-direct.h>
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include <kunit/visibility.h>

#include "nvsvm_regs.h"
#include "sim_internal.h"

#define NVSVM_SIM_VRAM_CHUNK_SHIFT	21
#define NVSVM_SIM_VRAM_CHUNK_PAGES	(SZ_2M / SZ_4K)

/* The GPU's 4 KiB pages are the host's pages. */
static_assert(PAGE_SIZE == SZ_4K);

/**
 * struct nvsvm_sim_vram_chunk - 2 MiB of VRAM backing store
 */
struct nvsvm_sim_vram_chunk {
	/**
	 * @page: Kernel address of each 4 KiB page's backing, NULL for a
	 * page never written. Set once (compare-and-exchange), read with
	 * READ_ONCE().
	 */
	void *page[NVSVM_SIM_VRAM_CHUNK_PAGES];
};

void nvsvm_sim_vram_init(struct nvsvm_sim *sim)
{
	xa_init(&sim->vram);
	sim->vram_size = (u64)sim->cfg.vram_mb << 20;
}

void nvsvm_sim_vram_fini(struct nvsvm_sim *sim)
{
	struct nvsvm_sim_vram_chunk *chunk;
	unsigned long index;
	unsigned int i;

	xa_for_each(&sim->vram, index, chunk) {
		for (i = 0; i < NVSVM_SIM_VRAM_CHUNK_PAGES; i++)
			if (chunk->page[i])
				free_page((unsigned long)chunk->page[i]);
		kfree(chunk);
	}
	xa_destroy(&sim->vram);
}

/**
 * nvsvm_sim_vram_chunk() - The backing chunk of a VRAM address
 * @sim: The GPU.
 * @addr: A VRAM address below the VRAM size.
 *
 * Never sleeps or allocates.
 *
 * Return: the chunk, or NULL if no page of its 2 MiB was ever written.
 */
struct nvsvm_sim_vram_chunk *nvsvm_sim_vram_chunk(struct nvsvm_sim *sim, u64 addr)
{
	return xa_load(&sim->vram, addr >> NVSVM_SIM_VRAM_CHUNK_SHIFT);
}

/**
 * nvsvm_sim_vram_chunk_kaddr() - The backing of a page of a chunk
 * @chunk: The chunk of @addr.
 * @addr: A VRAM address in it.
 *
 * Return: the kernel address of the 4 KiB page holding @addr, or NULL if
 * it was never written.
 */
void *nvsvm_sim_vram_chunk_kaddr(struct nvsvm_sim_vram_chunk *chunk, u64 addr)
{
	return READ_ONCE(chunk->page[(addr >> 12) & (NVSVM_SIM_VRAM_CHUNK_PAGES - 1)]);
}

/**
 * nvsvm_sim_vram_kaddr() - The backing of a VRAM page
 * @sim: The GPU.
 * @addr: A VRAM address below the VRAM size.
 *
 * Never sleeps or allocates.
 *
 * Return: the kernel address of the 4 KiB page holding @addr, or NULL if
 * it was never written.
 */
void *nvsvm_sim_vram_kaddr(struct nvsvm_sim *sim, u64 addr)
{
	struct nvsvm_sim_vram_chunk *chunk = nvsvm_sim_vram_chunk(sim, addr);

	return chunk ? nvsvm_sim_vram_chunk_kaddr(chunk, addr) : NULL;
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_sim_vram_kaddr);

/**
 * nvsvm_sim_vram_backed() - Whether a VRAM page has backing store
 * @sim: The GPU.
 * @addr: A VRAM address.
 *
 * Return: true if the 4 KiB page holding @addr was ever written.
 */
bool nvsvm_sim_vram_backed(struct nvsvm_sim *sim, u64 addr)
{
	return addr < sim->vram_size && nvsvm_sim_vram_kaddr(sim, addr);
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_sim_vram_backed);

/**
 * nvsvm_sim_vram_back() - Give a VRAM page backing store
 * @sim: The GPU.
 * @addr: A VRAM address.
 *
 * Allocates the page holding @addr, zeroed, and its chunk if need be,
 * unless it has backing already. Allocates with GFP_KERNEL: never call it
 * under an MMU client's lock.
 *
 * Return: 0, -EIO if @addr is beyond VRAM, or -ENOMEM if the host has no
 * memory for it (or &nvsvm_sim_inject.vram_fail says so).
 */
int nvsvm_sim_vram_back(struct nvsvm_sim *sim, u64 addr)
{
	unsigned long index = addr >> NVSVM_SIM_VRAM_CHUNK_SHIFT;
	struct nvsvm_sim_vram_chunk *chunk, *old;
	void **slot;
	void *page;

	might_alloc(GFP_KERNEL);
	if (addr >= sim->vram_size)
		return -EIO;
	chunk = xa_load(&sim->vram, index);
	if (chunk && nvsvm_sim_vram_chunk_kaddr(chunk, addr))
		return 0;
	if (nvsvm_sim_inject_take(&sim->inject.vram_fail))
		return -ENOMEM;

	if (!chunk) {
		chunk = kzalloc(sizeof(*chunk), GFP_KERNEL);
		if (!chunk)
			return -ENOMEM;
		old = xa_cmpxchg(&sim->vram, index, NULL, chunk, GFP_KERNEL);
		if (old) {
			/* Lost a race with another writer, or out of memory. */
			kfree(chunk);
			if (xa_is_err(old))
				return xa_err(old);
			chunk = old;
		}
	}

	page = (void *)get_zeroed_page(GFP_KERNEL);
	if (!page)
		return -ENOMEM;
	slot = &chunk->page[(addr >> 12) & (NVSVM_SIM_VRAM_CHUNK_PAGES - 1)];
	/* Ordered: whoever sees the pointer sees the zeroes. */
	if (cmpxchg(slot, NULL, page))
		free_page((unsigned long)page);
	return 0;
}

/**
 * nvsvm_sim_sysmem_kaddr() - Check and map a block of system memory
 * @sim: The GPU.
 * @addr: DMA address of the block for the GPU's device, @size aligned.
 * @size: SZ_4K or SZ_2M.
 *
 * The block must be ordinary RAM, all of it: not ZONE_DEVICE, not highmem,
 * and physically contiguous (which a DMA address maps by dma-direct is).
 * Never sleeps or allocates.
 *
 * Return: the kernel (direct map) address of the block, or NULL for a bus
 * error.
 */
void *nvsvm_sim_sysmem_kaddr(struct nvsvm_sim *sim, u64 addr, u64 size)
{
	unsigned long pfn, last;
	phys_addr_t phys;
	struct page *page;

	if (!sim->dma_dev)
		return NULL;
	phys = dma_to_phys(sim->dma_dev, addr);
	pfn = PHYS_PFN(phys);
	last = PHYS_PFN(phys + size - 1);
	if (!pfn_valid(pfn) || !pfn_valid(last))
		return NULL;
	if (size == SZ_4K) {
		if (!page_is_ram(pfn))
			return NULL;
	} else if (dma_to_phys(sim->dma_dev, addr + size - 1) != phys + size - 1 ||
		   region_intersects(phys, size, IORESOURCE_SYSTEM_RAM,
				     IORES_DESC_NONE) != REGION_INTERSECTS) {
		return NULL;
	}
	page = pfn_to_page(pfn);
	/* A 2 MiB block is one subsection: a ZONE_DEVICE one is all of it. */
	if (is_zone_device_page(page) || is_zone_device_page(pfn_to_page(last)) ||
	    PageHighMem(page))
		return NULL;
	return page_address(page) + offset_in_page(phys);
}

static struct page *nvsvm_sim_vram_page(struct nvsvm_sim *sim, u64 addr,
					bool write)
{
	void *kaddr;

	if (addr >= sim->vram_size)
		return NULL;
	kaddr = nvsvm_sim_vram_kaddr(sim, addr);
	if (!kaddr && !write)
		return ZERO_PAGE(0);
	if (!kaddr) {
		if (nvsvm_sim_vram_back(sim, addr))
			return NULL;
		kaddr = nvsvm_sim_vram_kaddr(sim, addr);
	}
	return virt_to_page(kaddr);
}

/**
 * nvsvm_sim_mem_page() - The page behind a GPU physical address
 * @sim: The GPU.
 * @aper: %NVSVM_APER_VRAM or %NVSVM_APER_SYSMEM.
 * @addr: Address in that aperture.
 * @write: The caller will write: VRAM gets backing store if it had none.
 *
 * May sleep and allocate (VRAM backing, with @write): never call it for a
 * write under an MMU client's lock.
 *
 * Return: the page holding @addr, the zero page for a read of VRAM never
 * written, or NULL for a bus error (or no memory for new VRAM backing).
 */
struct page *nvsvm_sim_mem_page(struct nvsvm_sim *sim, u32 aper, u64 addr,
				bool write)
{
	void *kaddr;

	switch (aper) {
	case NVSVM_APER_VRAM:
		return nvsvm_sim_vram_page(sim, addr, write);
	case NVSVM_APER_SYSMEM:
		kaddr = nvsvm_sim_sysmem_kaddr(sim, addr & ~(u64)(SZ_4K - 1), SZ_4K);
		return kaddr ? virt_to_page(kaddr) : NULL;
	default:
		return NULL;
	}
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_sim_mem_page);

static int nvsvm_sim_mem_rw(struct nvsvm_sim *sim, u32 aper, u64 addr,
			    void *buf, size_t len, bool write)
{
	while (len) {
		size_t off = offset_in_page(addr);
		size_t n = min_t(size_t, len, PAGE_SIZE - off);
		struct page *page = nvsvm_sim_mem_page(sim, aper, addr, write);
		void *vaddr;

		if (!page)
			return -EIO;
		vaddr = kmap_local_page(page);
		if (write)
			memcpy(vaddr + off, buf, n);
		else
			memcpy(buf, vaddr + off, n);
		kunmap_local(vaddr);
		addr += n;
		buf += n;
		len -= n;
	}
	return 0;
}

/**
 * nvsvm_sim_mem_read() - Read GPU physical memory
 * @sim: The GPU.
 * @aper: Aperture.
 * @addr: Start address.
 * @buf: Destination.
 * @len: Bytes to read; may cross pages.
 *
 * Never allocates: a walk reads page tables with it under an MMU client's
 * lock.
 *
 * Return: 0, or -EIO on a bus error (@buf is then partly written).
 */
int nvsvm_sim_mem_read(struct nvsvm_sim *sim, u32 aper, u64 addr, void *buf,
		       size_t len)
{
	return nvsvm_sim_mem_rw(sim, aper, addr, buf, len, false);
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_sim_mem_read);

/**
 * nvsvm_sim_mem_write() - Write GPU physical memory
 * @sim: The GPU.
 * @aper: Aperture.
 * @addr: Start address.
 * @buf: Source.
 * @len: Bytes to write; may cross pages.
 *
 * May allocate VRAM backing: never call it under an MMU client's lock.
 *
 * Return: 0, or -EIO on a bus error or when VRAM backing could not be
 * allocated (memory is then partly written).
 */
int nvsvm_sim_mem_write(struct nvsvm_sim *sim, u32 aper, u64 addr,
			const void *buf, size_t len)
{
	return nvsvm_sim_mem_rw(sim, aper, addr, (void *)buf, len, true);
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_sim_mem_write);
