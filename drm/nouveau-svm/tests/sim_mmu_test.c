// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

#include <kunit/device.h>
#include <kunit/test.h>
#include <linux/dma-mapping.h>
#include <linux/delay.h>
#include <linux/irqflags.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/sizes.h>

#include "nvsvm_regs.h"
#include "sim/sim_internal.h"

/* Page tables of the test VM, in VRAM. */
#define ROOT	0x1000ULL
#define L2	0x2000ULL
#define L1	0x3000ULL
#define L0	0x4000ULL
#define DATA	0x100000ULL	/* a 4 KiB page */
#define DATA2	0x101000ULL
#define BIG	0x200000ULL	/* a 2 MiB page */
#define BIG2	0x400000ULL	/* another */

#define VA_4K	0x12345000ULL	/* index 0, 0, 145, 325 */
#define VA_2M	0x12400000ULL	/* index 0, 0, 146 */
#define PDB	(ROOT | NVSVM_PTE_VALID)

struct mmu_test {
	struct nvsvm_sim *sim;
	struct nvsvm_sim_mmu_client *client;
};

static void set_entry(struct kunit *test, struct nvsvm_sim *sim, u64 table,
		      unsigned int index, u64 entry)
{
	__le64 raw = cpu_to_le64(entry);

	KUNIT_ASSERT_EQ(test, 0, nvsvm_sim_mem_write(sim, NVSVM_APER_VRAM,
						     table + index * 8, &raw, 8));
}

static unsigned int idx(u64 va, int level)
{
	return (va >> NVSVM_PT_SHIFT(level)) & (NVSVM_PT_ENTRIES - 1);
}

static void mmu_test_exit(struct kunit *test)
{
	struct mmu_test *t = test->priv;

	nvsvm_sim_mmu_client_fini(t->client);
	nvsvm_sim_destroy(t->sim);
}

static int mmu_test_init(struct kunit *test)
{
	struct nvsvm_sim_config cfg = { .vram_mb = 16, .sm_count = 1, .ce_count = 1 };
	struct mmu_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	t->client = kunit_kzalloc(test, sizeof(*t->client), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t->client);
	t->sim = nvsvm_sim_create(&cfg, "nvsvm-kunit");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t->sim);
	nvsvm_sim_mmu_client_init(t->sim, t->client, 7);
	test->priv = t;

	set_entry(test, t->sim, ROOT, idx(VA_4K, 3), L2 | NVSVM_PTE_VALID);
	set_entry(test, t->sim, L2, idx(VA_4K, 2), L1 | NVSVM_PTE_VALID);
	set_entry(test, t->sim, L1, idx(VA_4K, 1), L0 | NVSVM_PTE_VALID);
	set_entry(test, t->sim, L0, idx(VA_4K, 0), DATA | NVSVM_PTE_VALID);
	set_entry(test, t->sim, L1, idx(VA_2M, 1),
		  BIG | NVSVM_PTE_VALID | NVSVM_PTE_LARGE);
	return 0;
}

/* Map, then write or read @size bytes; returns the fault type or -1. */
static int access(struct mmu_test *t, u64 va, u8 kind, u64 *val)
{
	u8 fault = 0xff;
	u64 *p = nvsvm_sim_mmu_map(t->client, PDB, va, 8, kind, &fault);

	if (!p)
		return fault;
	if (kind == NVSVM_ACCESS_READ)
		*val = *p;
	else
		*p = *val;
	nvsvm_sim_mmu_unmap(t->client, p);
	return -1;
}

static u64 vram64(struct kunit *test, struct nvsvm_sim *sim, u64 addr)
{
	u64 v;

	KUNIT_ASSERT_EQ(test, 0, nvsvm_sim_mem_read(sim, NVSVM_APER_VRAM, addr, &v, 8));
	return v;
}

static void mmu_walk_4k(struct kunit *test)
{
	struct mmu_test *t = test->priv;
	struct nvsvm_sim_translation tr;
	u64 v = 0x1122334455667788ULL;

	KUNIT_ASSERT_EQ(test, 0, nvsvm_sim_mmu_walk(t->sim, PDB, VA_4K + 0x18,
						    NVSVM_ACCESS_READ, &tr));
	KUNIT_EXPECT_EQ(test, tr.shift, 12);
	KUNIT_EXPECT_EQ(test, tr.pte & NVSVM_PTE_ADDR, DATA);

	KUNIT_EXPECT_EQ(test, access(t, VA_4K + 0x18, NVSVM_ACCESS_WRITE, &v), -1);
	KUNIT_EXPECT_EQ(test, vram64(test, t->sim, DATA + 0x18), v);
	v = 0;
	KUNIT_EXPECT_EQ(test, access(t, VA_4K + 0x18, NVSVM_ACCESS_READ, &v), -1);
	KUNIT_EXPECT_EQ(test, v, 0x1122334455667788ULL);
}

static void mmu_walk_2m(struct kunit *test)
{
	struct mmu_test *t = test->priv;
	struct nvsvm_sim_translation tr;
	u64 v = 42;

	KUNIT_ASSERT_EQ(test, 0, nvsvm_sim_mmu_walk(t->sim, PDB, VA_2M + 0x12348,
						    NVSVM_ACCESS_WRITE, &tr));
	KUNIT_EXPECT_EQ(test, tr.shift, 21);
	KUNIT_EXPECT_EQ(test, access(t, VA_2M + 0x12348, NVSVM_ACCESS_WRITE, &v), -1);
	KUNIT_EXPECT_EQ(test, vram64(test, t->sim, BIG + 0x12348), 42);
}

static void mmu_unbacked_vram_reads_zero(struct kunit *test)
{
	struct mmu_test *t = test->priv;
	u64 v = ~0ULL;

	KUNIT_EXPECT_EQ(test, access(t, VA_4K + 0x800, NVSVM_ACCESS_READ, &v), -1);
	KUNIT_EXPECT_EQ(test, v, 0);
	/* Reading allocated nothing: the data page has no backing yet. */
	KUNIT_EXPECT_FALSE(test, nvsvm_sim_vram_backed(t->sim, DATA));
}

struct bad_pt {
	const char *what;
	u64 table;
	unsigned int level;
	u64 entry;
	u64 va;
};

static const struct bad_pt bad_pts[] = {
	{ "root entry not valid", ROOT, 3, L2, VA_4K },
	{ "level-2 entry not valid", L2, 2, L1, VA_4K },
	{ "level-1 entry not valid", L1, 1, L0, VA_4K },
	{ "PTE not valid", L0, 0, DATA, VA_4K },
	{ "reserved bit in a PTE", L0, 0, DATA | NVSVM_PTE_VALID | BIT_ULL(60), VA_4K },
	{ "reserved bit in a directory", L2, 2, L1 | NVSVM_PTE_VALID | BIT_ULL(7), VA_4K },
	{ "LARGE at level 0", L0, 0, DATA | NVSVM_PTE_VALID | NVSVM_PTE_LARGE, VA_4K },
	{ "LARGE at level 2", L2, 2, L1 | NVSVM_PTE_VALID | NVSVM_PTE_LARGE, VA_4K },
	{ "misaligned 2 MiB page", L1, 1,
	  (BIG + 0x1000) | NVSVM_PTE_VALID | NVSVM_PTE_LARGE, VA_2M },
	{ "page beyond VRAM", L0, 0, (32ULL << 20) | NVSVM_PTE_VALID, VA_4K },
	{ "table beyond VRAM", L1, 1, (64ULL << 20) | NVSVM_PTE_VALID, VA_4K },
	{ "system memory with no DMA device", L0, 0,
	  DATA | NVSVM_PTE_VALID | NVSVM_PTE_APERTURE, VA_4K },
};

static void bad_pt_desc(const struct bad_pt *b, char *desc)
{
	strscpy(desc, b->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(bad_pt, bad_pts, bad_pt_desc);

static void mmu_bad_entry_faults(struct kunit *test)
{
	const struct bad_pt *b = test->param_value;
	struct mmu_test *t = test->priv;
	u64 v = 0;

	set_entry(test, t->sim, b->table, idx(b->va, b->level), b->entry);
	KUNIT_EXPECT_EQ(test, access(t, b->va, NVSVM_ACCESS_READ, &v),
			NVSVM_FAULT_TYPE_INVALID_PTE);
}

static void mmu_va_beyond_48_bits(struct kunit *test)
{
	struct mmu_test *t = test->priv;
	u64 v;

	KUNIT_EXPECT_EQ(test, access(t, VA_4K | BIT_ULL(48), NVSVM_ACCESS_READ, &v),
			NVSVM_FAULT_TYPE_INVALID_PTE);
	KUNIT_EXPECT_EQ(test, access(t, ~0ULL & ~7ULL, NVSVM_ACCESS_READ, &v),
			NVSVM_FAULT_TYPE_INVALID_PTE);
}

static void mmu_permissions(struct kunit *test)
{
	struct mmu_test *t = test->priv;
	u64 v = 1;

	set_entry(test, t->sim, L0, idx(VA_4K, 0),
		  DATA | NVSVM_PTE_VALID | NVSVM_PTE_READ_ONLY);
	KUNIT_EXPECT_EQ(test, access(t, VA_4K, NVSVM_ACCESS_READ, &v), -1);
	KUNIT_EXPECT_EQ(test, access(t, VA_4K, NVSVM_ACCESS_WRITE, &v),
			NVSVM_FAULT_TYPE_PROTECTION);
	KUNIT_EXPECT_EQ(test, access(t, VA_4K, NVSVM_ACCESS_ATOMIC, &v),
			NVSVM_FAULT_TYPE_PROTECTION);

	nvsvm_sim_mmu_invalidate(t->sim, PDB, 0, 0);
	set_entry(test, t->sim, L0, idx(VA_4K, 0),
		  DATA | NVSVM_PTE_VALID | NVSVM_PTE_ATOMIC_DISABLE);
	KUNIT_EXPECT_EQ(test, access(t, VA_4K, NVSVM_ACCESS_WRITE, &v), -1);
	KUNIT_EXPECT_EQ(test, access(t, VA_4K, NVSVM_ACCESS_ATOMIC, &v),
			NVSVM_FAULT_TYPE_ATOMIC_DISABLED);
}

/* A cached translation survives a PTE change until it is invalidated. */
static void mmu_tlb_invalidate(struct kunit *test)
{
	struct mmu_test *t = test->priv;
	u64 v = 5;

	KUNIT_ASSERT_EQ(test, access(t, VA_4K, NVSVM_ACCESS_WRITE, &v), -1);
	set_entry(test, t->sim, L0, idx(VA_4K, 0), DATA2 | NVSVM_PTE_VALID);

	v = 6;
	KUNIT_EXPECT_EQ(test, access(t, VA_4K, NVSVM_ACCESS_WRITE, &v), -1);
	KUNIT_EXPECT_EQ(test, vram64(test, t->sim, DATA), 6);

	/* Another VM's and another range's invalidates leave it cached. */
	nvsvm_sim_mmu_invalidate(t->sim, PDB + SZ_4K, 0, 0);
	nvsvm_sim_mmu_invalidate(t->sim, PDB, VA_4K + SZ_4K, SZ_1M);
	nvsvm_sim_mmu_invalidate(t->sim, PDB, VA_4K - SZ_4K, SZ_4K);
	v = 7;
	KUNIT_EXPECT_EQ(test, access(t, VA_4K, NVSVM_ACCESS_WRITE, &v), -1);
	KUNIT_EXPECT_EQ(test, vram64(test, t->sim, DATA), 7);

	nvsvm_sim_mmu_invalidate(t->sim, PDB, VA_4K + 8, 1);
	v = 8;
	KUNIT_EXPECT_EQ(test, access(t, VA_4K, NVSVM_ACCESS_WRITE, &v), -1);
	KUNIT_EXPECT_EQ(test, vram64(test, t->sim, DATA), 7);
	KUNIT_EXPECT_EQ(test, vram64(test, t->sim, DATA2), 8);

	/* After an unmap and a whole-VM invalidate, the access faults. */
	set_entry(test, t->sim, L0, idx(VA_4K, 0), 0);
	nvsvm_sim_mmu_invalidate(t->sim, PDB, 0, 0);
	KUNIT_EXPECT_EQ(test, access(t, VA_4K, NVSVM_ACCESS_READ, &v),
			NVSVM_FAULT_TYPE_INVALID_PTE);
}

static void mmu_mem_rw_crosses_pages(struct kunit *test)
{
	struct mmu_test *t = test->priv;
	u8 in[64], out[64];
	int i;

	for (i = 0; i < sizeof(in); i++)
		in[i] = i * 3 + 1;
	KUNIT_ASSERT_EQ(test, 0, nvsvm_sim_mem_write(t->sim, NVSVM_APER_VRAM,
						     SZ_64K - 32, in, sizeof(in)));
	KUNIT_ASSERT_EQ(test, 0, nvsvm_sim_mem_read(t->sim, NVSVM_APER_VRAM,
						    SZ_64K - 32, out, sizeof(out)));
	KUNIT_EXPECT_MEMEQ(test, in, out, sizeof(in));
	KUNIT_EXPECT_EQ(test, -EIO, nvsvm_sim_mem_read(t->sim, NVSVM_APER_VRAM,
						       (16ULL << 20) - 8, out, 16));
	KUNIT_EXPECT_EQ(test, -EIO, nvsvm_sim_mem_read(t->sim, 7, 0, out, 8));
}

/* The TLB key of the test VM: APERTURE and ADDR of its PDB. */
#define KEY	ROOT

/* nvsvm_sim_tlb_hit() for the test's client, with its lock held as it wants. */
static void *fast(struct mmu_test *t, u64 key, u64 va, u8 kind)
{
	void *p;

	mutex_lock(&t->client->lock);
	p = nvsvm_sim_tlb_hit(t->client, key, va, kind);
	mutex_unlock(&t->client->lock);
	return p;
}

/*
 * A hit of the 4 KiB TLB gives the kernel address the entry keeps, for
 * the accesses the PTE allows; VRAM never written is not cached that way.
 */
static void mmu_tlb_fast_path(struct kunit *test)
{
	struct mmu_test *t = test->priv;
	u64 v = ~0ULL;
	u64 *p;

	KUNIT_EXPECT_NULL(test, fast(t, KEY, VA_4K + 8, NVSVM_ACCESS_READ));
	KUNIT_EXPECT_EQ(test, access(t, VA_4K + 8, NVSVM_ACCESS_READ, &v), -1);
	KUNIT_EXPECT_EQ(test, v, 0);
	KUNIT_EXPECT_NULL(test, fast(t, KEY, VA_4K + 8, NVSVM_ACCESS_READ));

	v = 77;
	KUNIT_EXPECT_EQ(test, access(t, VA_4K + 8, NVSVM_ACCESS_WRITE, &v), -1);
	KUNIT_EXPECT_TRUE(test, nvsvm_sim_vram_backed(t->sim, DATA));
	p = fast(t, KEY, VA_4K + 8, NVSVM_ACCESS_READ);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_PTR_EQ(test, (void *)p, nvsvm_sim_vram_kaddr(t->sim, DATA) + 8);
	KUNIT_EXPECT_EQ(test, *p, 77);
	KUNIT_EXPECT_PTR_EQ(test, fast(t, KEY, VA_4K + 8, NVSVM_ACCESS_WRITE), (void *)p);
	KUNIT_EXPECT_PTR_EQ(test, fast(t, KEY, VA_4K + 8, NVSVM_ACCESS_ATOMIC), (void *)p);
	/* Another VM, another page: misses. */
	KUNIT_EXPECT_NULL(test, fast(t, KEY + SZ_4K, VA_4K + 8, NVSVM_ACCESS_READ));
	KUNIT_EXPECT_NULL(test, fast(t, KEY, VA_4K + SZ_4K * NVSVM_SIM_TLB_ENTRIES,
				     NVSVM_ACCESS_READ));

	/* A read-only page: reads only. */
	set_entry(test, t->sim, L0, idx(VA_4K, 0), DATA | NVSVM_PTE_VALID | NVSVM_PTE_READ_ONLY);
	nvsvm_sim_mmu_invalidate(t->sim, PDB, VA_4K, SZ_4K);
	KUNIT_EXPECT_NULL(test, fast(t, KEY, VA_4K + 8, NVSVM_ACCESS_READ));
	KUNIT_EXPECT_EQ(test, access(t, VA_4K + 8, NVSVM_ACCESS_READ, &v), -1);
	KUNIT_EXPECT_NOT_NULL(test, fast(t, KEY, VA_4K + 8, NVSVM_ACCESS_READ));
	KUNIT_EXPECT_NULL(test, fast(t, KEY, VA_4K + 8, NVSVM_ACCESS_WRITE));
	KUNIT_EXPECT_NULL(test, fast(t, KEY, VA_4K + 8, NVSVM_ACCESS_ATOMIC));
}

/*
 * A 2 MiB translation serves its whole 2 MiB without another walk, and an
 * invalidate of any 4 KiB page inside drops all of it.
 */
static void mmu_tlb_2m(struct kunit *test)
{
	struct mmu_test *t = test->priv;
	u64 v = 1;

	KUNIT_ASSERT_EQ(test, access(t, VA_2M + 0x1008, NVSVM_ACCESS_WRITE, &v), -1);
	KUNIT_EXPECT_EQ(test, vram64(test, t->sim, BIG + 0x1008), 1);

	/* Gone from the page table, not invalidated: still cached, all of it. */
	set_entry(test, t->sim, L1, idx(VA_2M, 1), 0);
	v = 2;
	KUNIT_EXPECT_EQ(test, access(t, VA_2M + 0x1ff000, NVSVM_ACCESS_WRITE, &v), -1);
	KUNIT_EXPECT_EQ(test, vram64(test, t->sim, BIG + 0x1ff000), 2);
	v = 3;
	KUNIT_EXPECT_EQ(test, access(t, VA_2M + 0x3000, NVSVM_ACCESS_WRITE, &v), -1);
	KUNIT_EXPECT_EQ(test, vram64(test, t->sim, BIG + 0x3000), 3);

	/* Ranges just outside it, or another VM's, leave it. */
	nvsvm_sim_mmu_invalidate(t->sim, PDB, VA_2M - SZ_4K, SZ_4K);
	nvsvm_sim_mmu_invalidate(t->sim, PDB, VA_2M + SZ_2M, SZ_4K);
	nvsvm_sim_mmu_invalidate(t->sim, PDB + SZ_4K, VA_2M, SZ_2M);
	v = 4;
	KUNIT_EXPECT_EQ(test, access(t, VA_2M + 0x1008, NVSVM_ACCESS_WRITE, &v), -1);
	KUNIT_EXPECT_EQ(test, vram64(test, t->sim, BIG + 0x1008), 4);

	/* One page in the middle, never accessed: the whole 2 MiB goes. */
	nvsvm_sim_mmu_invalidate(t->sim, PDB, VA_2M + 0x80000, SZ_4K);
	KUNIT_EXPECT_EQ(test, access(t, VA_2M + 0x1008, NVSVM_ACCESS_READ, &v),
			NVSVM_FAULT_TYPE_INVALID_PTE);
	KUNIT_EXPECT_EQ(test, access(t, VA_2M + 0x1ff000, NVSVM_ACCESS_READ, &v),
			NVSVM_FAULT_TYPE_INVALID_PTE);
	KUNIT_EXPECT_EQ(test, access(t, VA_2M + 0x3000, NVSVM_ACCESS_READ, &v),
			NVSVM_FAULT_TYPE_INVALID_PTE);

	/* Mapped elsewhere, the new 2 MiB page serves it. */
	set_entry(test, t->sim, L1, idx(VA_2M, 1), BIG2 | NVSVM_PTE_VALID | NVSVM_PTE_LARGE);
	v = 5;
	KUNIT_EXPECT_EQ(test, access(t, VA_2M + 0x3000, NVSVM_ACCESS_WRITE, &v), -1);
	KUNIT_EXPECT_EQ(test, vram64(test, t->sim, BIG2 + 0x3000), 5);
	KUNIT_EXPECT_EQ(test, vram64(test, t->sim, BIG + 0x3000), 3);
}

/* A 2 MiB page of system memory: checked whole once, then direct. */
static void mmu_sysmem_2m(struct kunit *test)
{
	struct mmu_test *t = test->priv;
	struct device *dev;
	struct page *page;
	dma_addr_t dma;
	u64 v;
	u8 *mem;

	dev = kunit_device_register(test, "nvsvm-mmu-test");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);
	dev->coherent_dma_mask = DMA_BIT_MASK(64);
	dev->dma_mask = &dev->coherent_dma_mask;
	page = alloc_pages(GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN, get_order(SZ_2M));
	if (!page)
		kunit_skip(test, "no 2 MiB of contiguous memory");
	dma = dma_map_page(dev, page, 0, SZ_2M, DMA_BIDIRECTIONAL);
	if (dma_mapping_error(dev, dma) || !IS_ALIGNED(dma, SZ_2M)) {
		if (!dma_mapping_error(dev, dma))
			dma_unmap_page(dev, dma, SZ_2M, DMA_BIDIRECTIONAL);
		__free_pages(page, get_order(SZ_2M));
		kunit_skip(test, "no 2 MiB aligned DMA mapping");
	}
	t->sim->dma_dev = dev;
	mem = page_address(page);

	set_entry(test, t->sim, L1, idx(VA_2M, 1),
		  dma | NVSVM_PTE_VALID | NVSVM_PTE_LARGE | NVSVM_PTE_APERTURE);
	v = 0x1111;
	KUNIT_EXPECT_EQ(test, access(t, VA_2M + 0x8, NVSVM_ACCESS_WRITE, &v), -1);
	v = 0x2222;
	KUNIT_EXPECT_EQ(test, access(t, VA_2M + 0x1ffff8, NVSVM_ACCESS_WRITE, &v), -1);
	v = 0x3333;
	KUNIT_EXPECT_EQ(test, access(t, VA_2M + 0x100010, NVSVM_ACCESS_WRITE, &v), -1);
	KUNIT_EXPECT_EQ(test, *(u64 *)(mem + 0x8), 0x1111);
	KUNIT_EXPECT_EQ(test, *(u64 *)(mem + 0x1ffff8), 0x2222);
	KUNIT_EXPECT_EQ(test, *(u64 *)(mem + 0x100010), 0x3333);
	KUNIT_EXPECT_PTR_EQ(test, fast(t, KEY, VA_2M + 0x100010, NVSVM_ACCESS_WRITE),
			    (void *)(mem + 0x100010));

	/* Not 2 MiB of RAM at that address: a bus error, the access faults. */
	nvsvm_sim_mmu_invalidate(t->sim, PDB, 0, 0);
	set_entry(test, t->sim, L1, idx(VA_2M, 1),
		  (1ULL << 50) | NVSVM_PTE_VALID | NVSVM_PTE_LARGE | NVSVM_PTE_APERTURE);
	KUNIT_EXPECT_EQ(test, access(t, VA_2M + 0x8, NVSVM_ACCESS_READ, &v),
			NVSVM_FAULT_TYPE_INVALID_PTE);

	nvsvm_sim_mmu_invalidate(t->sim, PDB, 0, 0);
	t->sim->dma_dev = NULL;
	dma_unmap_page(dev, dma, SZ_2M, DMA_BIDIRECTIONAL);
	__free_pages(page, get_order(SZ_2M));
}

/* A write whose VRAM cannot be backed fails, not as a fault; then works. */
static void mmu_no_backing(struct kunit *test)
{
	struct mmu_test *t = test->priv;
	u8 fault = 0;
	u64 v = 0;
	void *p;

	if (!IS_ENABLED(CONFIG_DRM_NVSVM_SIM_FAULT_INJECT))
		kunit_skip(test, "needs the emulator's fault injection");
	atomic_set(&t->sim->inject.vram_fail, 1);
	p = nvsvm_sim_mmu_map(t->client, PDB, VA_4K, 8, NVSVM_ACCESS_WRITE, &fault);
	KUNIT_EXPECT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, fault, NVSVM_SIM_MMU_NO_BACKING);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->sim->inject.vram_fail), 0);
	KUNIT_EXPECT_FALSE(test, nvsvm_sim_vram_backed(t->sim, DATA));
	if (p)
		nvsvm_sim_mmu_unmap(t->client, p);

	/* Reads need no backing; the next write gets it. */
	KUNIT_EXPECT_EQ(test, access(t, VA_4K, NVSVM_ACCESS_READ, &v), -1);
	v = 9;
	KUNIT_EXPECT_EQ(test, access(t, VA_4K, NVSVM_ACCESS_WRITE, &v), -1);
	KUNIT_EXPECT_EQ(test, vram64(test, t->sim, DATA), 9);

	/* An atomic is a write too. */
	atomic_set(&t->sim->inject.vram_fail, 1);
	p = nvsvm_sim_mmu_map(t->client, PDB, VA_2M, 8, NVSVM_ACCESS_ATOMIC, &fault);
	KUNIT_EXPECT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, fault, NVSVM_SIM_MMU_NO_BACKING);
	if (p)
		nvsvm_sim_mmu_unmap(t->client, p);
	atomic_set(&t->sim->inject.vram_fail, 0);
}

static void inv_regs(struct mmu_test *t, u64 va, u64 size)
{
	struct nvsvm_hw *hw = nvsvm_sim_hw(t->sim);

	nvsvm_hw_wr32(hw, NVSVM_REG_MMU_INV_PDB_LO, lower_32_bits(ROOT));
	nvsvm_hw_wr32(hw, NVSVM_REG_MMU_INV_PDB_HI, 0);
	nvsvm_hw_wr32(hw, NVSVM_REG_MMU_INV_VA_LO, lower_32_bits(va));
	nvsvm_hw_wr32(hw, NVSVM_REG_MMU_INV_VA_HI, upper_32_bits(va));
	nvsvm_hw_wr32(hw, NVSVM_REG_MMU_INV_SIZE_LO, lower_32_bits(size));
	nvsvm_hw_wr32(hw, NVSVM_REG_MMU_INV_SIZE_HI, upper_32_bits(size));
}

/* Trigger, as a driver may: with interrupts off, since no register write sleeps. */
static void inv_trigger(struct mmu_test *t)
{
	unsigned long flags;

	local_irq_save(flags);
	nvsvm_hw_wr32(nvsvm_sim_hw(t->sim), NVSVM_REG_MMU_INV_TRIGGER, 1);
	local_irq_restore(flags);
}

static bool inv_pending(struct mmu_test *t)
{
	return nvsvm_hw_rd32(nvsvm_sim_hw(t->sim), NVSVM_REG_MMU_INV_STATUS) &
	       NVSVM_MMU_INV_STATUS_PENDING;
}

/* Wait up to @ms for PENDING to clear; the ms it took. */
static s64 inv_wait(struct kunit *test, struct mmu_test *t, ktime_t since, unsigned int ms)
{
	ktime_t end = ktime_add_ms(ktime_get(), ms);

	while (inv_pending(t) && ktime_before(ktime_get(), end))
		usleep_range(200, 500);
	KUNIT_EXPECT_FALSE(test, inv_pending(t));
	return ktime_ms_delta(ktime_get(), since);
}

/* The register invalidate: PENDING until done, then the translation is gone. */
static void mmu_inv_register(struct kunit *test)
{
	struct mmu_test *t = test->priv;
	ktime_t start;
	u64 v = 5;

	KUNIT_EXPECT_FALSE(test, inv_pending(t));
	KUNIT_ASSERT_EQ(test, access(t, VA_4K, NVSVM_ACCESS_WRITE, &v), -1);
	set_entry(test, t->sim, L0, idx(VA_4K, 0), DATA2 | NVSVM_PTE_VALID);

	inv_regs(t, VA_4K, SZ_4K);
	inv_trigger(t);
	inv_wait(test, t, ktime_get(), 5000);
	v = 6;
	KUNIT_EXPECT_EQ(test, access(t, VA_4K, NVSVM_ACCESS_WRITE, &v), -1);
	KUNIT_EXPECT_EQ(test, vram64(test, t->sim, DATA2), 6);
	KUNIT_EXPECT_EQ(test, vram64(test, t->sim, DATA), 5);

	if (!IS_ENABLED(CONFIG_DRM_NVSVM_SIM_FAULT_INJECT))
		kunit_skip(test, "delays need the emulator's fault injection");
	/* inv_delay_ms: PENDING reads 1 at least that long. */
	t->sim->inject.inv_delay_ms = 300;
	start = ktime_get();
	inv_trigger(t);
	KUNIT_EXPECT_TRUE(test, inv_pending(t));
	KUNIT_EXPECT_GE(test, inv_wait(test, t, start, 5000), 300);
	t->sim->inject.inv_delay_ms = 0;
}

/* A trigger while an invalidate is pending is ignored. */
static void mmu_inv_trigger_while_pending(struct kunit *test)
{
	struct mmu_test *t = test->priv;
	u64 v = 1;

	if (!IS_ENABLED(CONFIG_DRM_NVSVM_SIM_FAULT_INJECT))
		kunit_skip(test, "needs the emulator's fault injection");
	KUNIT_ASSERT_EQ(test, access(t, VA_4K, NVSVM_ACCESS_WRITE, &v), -1);
	KUNIT_ASSERT_EQ(test, access(t, VA_2M, NVSVM_ACCESS_WRITE, &v), -1);
	set_entry(test, t->sim, L0, idx(VA_4K, 0), DATA2 | NVSVM_PTE_VALID);
	set_entry(test, t->sim, L1, idx(VA_2M, 1), BIG2 | NVSVM_PTE_VALID | NVSVM_PTE_LARGE);

	t->sim->inject.inv_delay_ms = 300;
	inv_regs(t, VA_4K, SZ_4K);
	inv_trigger(t);
	KUNIT_EXPECT_TRUE(test, inv_pending(t));
	inv_regs(t, VA_2M, SZ_2M);
	inv_trigger(t);				/* ignored */
	inv_wait(test, t, ktime_get(), 5000);
	t->sim->inject.inv_delay_ms = 0;

	/* The first range's translation went, the second's stayed. */
	v = 2;
	KUNIT_EXPECT_EQ(test, access(t, VA_4K, NVSVM_ACCESS_WRITE, &v), -1);
	KUNIT_EXPECT_EQ(test, vram64(test, t->sim, DATA2), 2);
	KUNIT_EXPECT_EQ(test, access(t, VA_2M, NVSVM_ACCESS_WRITE, &v), -1);
	KUNIT_EXPECT_EQ(test, vram64(test, t->sim, BIG), 2);

	/* Triggered again, now that nothing is pending, it runs. */
	inv_trigger(t);
	inv_wait(test, t, ktime_get(), 5000);
	v = 3;
	KUNIT_EXPECT_EQ(test, access(t, VA_2M, NVSVM_ACCESS_WRITE, &v), -1);
	KUNIT_EXPECT_EQ(test, vram64(test, t->sim, BIG2), 3);
	KUNIT_EXPECT_EQ(test, vram64(test, t->sim, BIG), 2);
}

/*
 * inv_stuck: the invalidate stays pending, its translations cached, for
 * NVSVM_SIM_INJECT_STUCK_MS; the synchronous invalidate (a channel
 * reset's) still works meanwhile.
 */
static void mmu_inv_stuck(struct kunit *test)
{
	struct mmu_test *t = test->priv;
	ktime_t start;
	u64 v = 1;

	if (!IS_ENABLED(CONFIG_DRM_NVSVM_SIM_FAULT_INJECT))
		kunit_skip(test, "needs the emulator's fault injection");
	KUNIT_ASSERT_EQ(test, access(t, VA_4K, NVSVM_ACCESS_WRITE, &v), -1);
	KUNIT_ASSERT_EQ(test, access(t, VA_2M, NVSVM_ACCESS_WRITE, &v), -1);
	set_entry(test, t->sim, L0, idx(VA_4K, 0), DATA2 | NVSVM_PTE_VALID);
	set_entry(test, t->sim, L1, idx(VA_2M, 1), BIG2 | NVSVM_PTE_VALID | NVSVM_PTE_LARGE);

	atomic_set(&t->sim->inject.inv_stuck, 1);
	inv_regs(t, VA_4K, SZ_4K);
	start = ktime_get();
	inv_trigger(t);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->sim->inject.inv_stuck), 0);
	msleep(1000);
	KUNIT_EXPECT_TRUE(test, inv_pending(t));
	v = 2;
	KUNIT_EXPECT_EQ(test, access(t, VA_4K, NVSVM_ACCESS_WRITE, &v), -1);
	KUNIT_EXPECT_EQ(test, vram64(test, t->sim, DATA), 2);

	nvsvm_sim_mmu_invalidate(t->sim, PDB, VA_2M, SZ_2M);
	KUNIT_EXPECT_EQ(test, access(t, VA_2M, NVSVM_ACCESS_WRITE, &v), -1);
	KUNIT_EXPECT_EQ(test, vram64(test, t->sim, BIG2), 2);

	KUNIT_EXPECT_GE(test, inv_wait(test, t, start, NVSVM_SIM_INJECT_STUCK_MS + 5000),
			NVSVM_SIM_INJECT_STUCK_MS);
	v = 3;
	KUNIT_EXPECT_EQ(test, access(t, VA_4K, NVSVM_ACCESS_WRITE, &v), -1);
	KUNIT_EXPECT_EQ(test, vram64(test, t->sim, DATA2), 3);
}

static struct kunit_case mmu_cases[] = {
	KUNIT_CASE(mmu_walk_4k),
	KUNIT_CASE(mmu_walk_2m),
	KUNIT_CASE(mmu_unbacked_vram_reads_zero),
	KUNIT_CASE_PARAM(mmu_bad_entry_faults, bad_pt_gen_params),
	KUNIT_CASE(mmu_va_beyond_48_bits),
	KUNIT_CASE(mmu_permissions),
	KUNIT_CASE(mmu_tlb_invalidate),
	KUNIT_CASE(mmu_mem_rw_crosses_pages),
	KUNIT_CASE(mmu_tlb_fast_path),
	KUNIT_CASE(mmu_tlb_2m),
	KUNIT_CASE(mmu_sysmem_2m),
	KUNIT_CASE(mmu_no_backing),
	KUNIT_CASE(mmu_inv_register),
	KUNIT_CASE(mmu_inv_trigger_while_pending),
	KUNIT_CASE(mmu_inv_stuck),
	{}
};

static struct kunit_suite mmu_suite = {
	.name = "nvsvm_sim_mmu",
	.init = mmu_test_init,
	.exit = mmu_test_exit,
	.test_cases = mmu_cases,
};

kunit_test_suite(mmu_suite);
