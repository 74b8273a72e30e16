// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

/**
 * DOC: Memory
 *
 * The GPU's view of physical memory: an aperture and an address (see the
 * "Memory apertures" section of nvsvm_regs.h).
 *
 * VRAM is the emulator's own backing store: an xarray of pages indexed by
 * page number, allocated the first time a page is written, so that a large
 * VRAM costs host memory only for what is used. A read of a page never
 * written sees zeroes.
 *
 * System memory is reached by the DMA address the driver mapped for the
 * GPU's device, translated back with dma_to_phys(): the emulated GPU sits
 * behind the DMA API like a real one. Only ordinary RAM is reachable; any
 * other address (unmapped, device memory, ZONE_DEVICE pages, which have no
 * CPU mapping) is a bus error, so that a wrong page-table entry makes the
 * GPU fault, never the host crash.
 *
 * Locking: the VRAM xarray has its own lock (xa_lock); pages are never
 * freed before the GPU is destroyed, so a page found once stays valid.
 * Callers serialise their own accesses to the bytes, as hardware would not.
 */

#include <linux/dma-direct.h>
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/xarray.h>
#include <kunit/visibility.h>

#include "nvsvm_regs.h"
#include "sim_internal.h"

void nvsvm_sim_vram_init(struct nvsvm_sim *sim)
{
	xa_init(&sim->vram);
	sim->vram_size = (u64)sim->cfg.vram_mb << 20;
}

void nvsvm_sim_vram_fini(struct nvsvm_sim *sim)
{
	struct page *page;
	unsigned long index;

	xa_for_each(&sim->vram, index, page)
		__free_page(page);
	xa_destroy(&sim->vram);
}

static struct page *nvsvm_sim_vram_page(struct nvsvm_sim *sim, u64 addr,
					bool write)
{
	unsigned long index = addr >> PAGE_SHIFT;
	struct page *page, *old;

	if (addr >= sim->vram_size)
		return NULL;

	page = xa_load(&sim->vram, index);
	if (page || !write)
		return page ?: ZERO_PAGE(0);

	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!page)
		return NULL;
	old = xa_cmpxchg(&sim->vram, index, NULL, page, GFP_KERNEL);
	if (old) {
		/* Lost a race with another writer, or out of memory. */
		__free_page(page);
		return xa_is_err(old) ? NULL : old;
	}
	return page;
}

static struct page *nvsvm_sim_sysmem_page(struct nvsvm_sim *sim, u64 addr)
{
	unsigned long pfn;
	struct page *page;

	if (!sim->dma_dev)
		return NULL;

	pfn = PHYS_PFN(dma_to_phys(sim->dma_dev, addr));
	if (!pfn_valid(pfn) || !page_is_ram(pfn))
		return NULL;
	page = pfn_to_page(pfn);
	if (is_zone_device_page(page))
		return NULL;
	return page;
}

/**
 * nvsvm_sim_mem_page() - The page behind a GPU physical address
 * @sim: The GPU.
 * @aper: %NVSVM_APER_VRAM or %NVSVM_APER_SYSMEM.
 * @addr: Address in that aperture.
 * @write: The caller will write: VRAM gets backing store if it had none.
 *
 * May sleep (VRAM allocation).
 *
 * Return: the page holding @addr, the zero page for a read of VRAM never
 * written, or NULL for a bus error (or no memory for new VRAM backing).
 */
struct page *nvsvm_sim_mem_page(struct nvsvm_sim *sim, u32 aper, u64 addr,
				bool write)
{
	switch (aper) {
	case NVSVM_APER_VRAM:
		return nvsvm_sim_vram_page(sim, addr, write);
	case NVSVM_APER_SYSMEM:
		return nvsvm_sim_sysmem_page(sim, addr);
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
 * Return: 0, or -EIO on a bus error (memory is then partly written).
 */
int nvsvm_sim_mem_write(struct nvsvm_sim *sim, u32 aper, u64 addr,
			const void *buf, size_t len)
{
	return nvsvm_sim_mem_rw(sim, aper, addr, (void *)buf, len, true);
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_sim_mem_write);
