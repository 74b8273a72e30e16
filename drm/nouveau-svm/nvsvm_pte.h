/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Copyright 2026 The nvsvm authors */
#ifndef __NVSVM_PTE_H__
#define __NVSVM_PTE_H__

#include <linux/bits.h>
#include <linux/sizes.h>
#include <linux/types.h>

#include "nvsvm_regs.h"

/**
 * DOC: Page-table entry encoding
 *
 * How the driver writes the entries of the "Page tables" section of
 * nvsvm_regs.h, apart from the walker (nvsvm_pt.c) that decides where they
 * go: the walker never looks inside an entry but for %NVSVM_PTE_VALID and
 * %NVSVM_PTE_LARGE, and these helpers know nothing of tables.
 *
 * A leaf maps a page of 1 << shift bytes, shift 12 (4 KiB, level 0) or
 * 21 (2 MiB, level 1, which sets %NVSVM_PTE_LARGE); the address must be
 * aligned to the page size. Flags (NVSVM_PTE_F_*) are the driver's, so
 * that callers do not spell hardware bits:
 *
 * - %NVSVM_PTE_F_READ_ONLY: a GPU write or atomic faults (protection).
 * - %NVSVM_PTE_F_ATOMIC_DISABLE: a GPU atomic faults; reads and writes
 *   work (for memory the GPU cannot own exclusively).
 *
 * A directory entry (nvsvm_pde()) points at a table in system memory,
 * where the driver keeps every table. 0 is the invalid entry.
 */

#define NVSVM_PTE_F_READ_ONLY		BIT(0)
#define NVSVM_PTE_F_ATOMIC_DISABLE	BIT(1)
#define NVSVM_PTE_F_MASK		(NVSVM_PTE_F_READ_ONLY | NVSVM_PTE_F_ATOMIC_DISABLE)

/* The page shifts a leaf can have. */
#define NVSVM_PTE_SHIFT_4K		12
#define NVSVM_PTE_SHIFT_2M		21

static inline u64 nvsvm_pte_encode(u64 addr, bool sysmem, unsigned int shift, u32 flags)
{
	u64 pte = (addr & NVSVM_PTE_ADDR) | NVSVM_PTE_VALID;

	if (sysmem)
		pte |= NVSVM_PTE_APERTURE;
	if (shift == NVSVM_PTE_SHIFT_2M)
		pte |= NVSVM_PTE_LARGE;
	if (flags & NVSVM_PTE_F_READ_ONLY)
		pte |= NVSVM_PTE_READ_ONLY;
	if (flags & NVSVM_PTE_F_ATOMIC_DISABLE)
		pte |= NVSVM_PTE_ATOMIC_DISABLE;
	return pte;
}

/**
 * nvsvm_pte_sysmem() - A leaf mapping system memory
 * @addr: DMA address of the page, aligned to 1 << @shift.
 * @shift: %NVSVM_PTE_SHIFT_4K or %NVSVM_PTE_SHIFT_2M.
 * @flags: NVSVM_PTE_F_*.
 *
 * Return: the entry.
 */
static inline u64 nvsvm_pte_sysmem(dma_addr_t addr, unsigned int shift, u32 flags)
{
	return nvsvm_pte_encode(addr, true, shift, flags);
}

/**
 * nvsvm_pte_vram() - A leaf mapping VRAM
 * @offset: Offset of the page in VRAM, aligned to 1 << @shift.
 * @shift: %NVSVM_PTE_SHIFT_4K or %NVSVM_PTE_SHIFT_2M.
 * @flags: NVSVM_PTE_F_*.
 *
 * Return: the entry.
 */
static inline u64 nvsvm_pte_vram(u64 offset, unsigned int shift, u32 flags)
{
	return nvsvm_pte_encode(offset, false, shift, flags);
}

/**
 * nvsvm_pde() - A directory entry, or a PDB, pointing at a table
 * @addr: DMA address of the table (system memory), 4 KiB aligned.
 *
 * Return: the entry.
 */
static inline u64 nvsvm_pde(u64 addr)
{
	return (addr & NVSVM_PTE_ADDR) | NVSVM_PTE_APERTURE | NVSVM_PTE_VALID;
}

/* What a walker needs to know of an entry. */
static inline bool nvsvm_pte_valid(u64 pte)
{
	return pte & NVSVM_PTE_VALID;
}

static inline bool nvsvm_pte_large(u64 pte)
{
	return pte & NVSVM_PTE_LARGE;
}

/*
 * The 4 KiB leaf for page @i of the 2 MiB leaf @large: same memory and
 * flags, for splitting it without changing what any address maps to.
 */
static inline u64 nvsvm_pte_split(u64 large, unsigned int i)
{
	return (large & ~NVSVM_PTE_LARGE) + ((u64)i << NVSVM_PTE_SHIFT_4K);
}

#endif /* __NVSVM_PTE_H__ */
