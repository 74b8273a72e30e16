// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

/*
 * The page-table walker (nvsvm_pt.c) and the PTE encoding (nvsvm_pte.h),
 * without a GPU: the tree's tables come from a counting allocator that
 * hands out ordinary memory at made-up GPU addresses, can be told to fail,
 * and counts any allocation made while a commit, zap or prune runs.
 */

#include <kunit/test.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "nvsvm_pt.h"
#include "nvsvm_pte.h"
#include "nvsvm_regs.h"

#define VA_END		BIT_ULL(NVSVM_VA_BITS)
#define GIB(n)		((u64)(n) << 30)

struct pt_test {
	struct nvsvm_pt_tree tree;
	/* Tables handed out and not freed. */
	long live;
	/* Allocations while @forbid was set: each one a bug. */
	unsigned int forbidden;
	bool forbid;
	/* Fail the allocation this many allocations from now (0: none). */
	unsigned int fail_in;
	u64 next_addr;
};

static void *pt_test_alloc(void *priv, u64 *addr)
{
	struct pt_test *t = priv;
	void *table;

	if (t->forbid)
		t->forbidden++;
	if (t->fail_in && !--t->fail_in)
		return NULL;
	table = kzalloc(SZ_4K, GFP_KERNEL);
	if (!table)
		return NULL;
	t->live++;
	/* Made-up, distinct, 4 KiB aligned GPU addresses above 4 GiB. */
	*addr = SZ_4G + (++t->next_addr << 12);
	return table;
}

static void pt_test_free(void *priv, void *table, u64 addr)
{
	struct pt_test *t = priv;

	t->live--;
	kfree(table);
}

static const struct nvsvm_pt_ops pt_test_ops = {
	.alloc = pt_test_alloc,
	.free = pt_test_free,
};

static int pt_test_init(struct kunit *test)
{
	struct pt_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	if (!t)
		return -ENOMEM;
	if (nvsvm_pt_tree_init(&t->tree, &pt_test_ops, t))
		return -ENOMEM;
	test->priv = t;
	return 0;
}

static void pt_test_exit(struct kunit *test)
{
	struct pt_test *t = test->priv;

	nvsvm_pt_tree_fini(&t->tree);
	/* Every table the tree ever had is freed: nothing leaked. */
	KUNIT_EXPECT_EQ(test, t->live, 0);
}

/* The leaf for page @i of a mapping of memory at @phys. */
static u64 leaf(u64 phys, u64 i, unsigned int shift, u32 flags)
{
	return nvsvm_pte_sysmem(phys + (i << shift), shift, flags);
}

/* Stage and commit [va, va + size) to memory at @phys; what commit said. */
static bool pt_map(struct kunit *test, u64 va, u64 size, unsigned int shift,
		   u64 phys, u32 flags)
{
	struct pt_test *t = test->priv;
	u64 i, n = size >> shift;
	struct nvsvm_pt_stage st;
	bool replaced;
	u64 *ptes;

	ptes = kunit_kmalloc_array(test, n, sizeof(*ptes), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ptes);
	for (i = 0; i < n; i++)
		ptes[i] = leaf(phys, i, shift, flags);
	KUNIT_ASSERT_EQ(test, nvsvm_pt_stage(&t->tree, &st, va, size, shift), 0);
	t->forbid = true;
	replaced = nvsvm_pt_commit(&t->tree, &st, va, size, shift, ptes);
	t->forbid = false;
	nvsvm_pt_stage_fini(&t->tree, &st);
	KUNIT_EXPECT_EQ_MSG(test, t->forbidden, 0, "commit allocated");
	kunit_kfree(test, ptes);
	return replaced;
}

static bool pt_zap(struct kunit *test, u64 va, u64 size)
{
	struct pt_test *t = test->priv;
	bool zapped;

	t->forbid = true;
	zapped = nvsvm_pt_zap(&t->tree, va, size);
	t->forbid = false;
	KUNIT_EXPECT_EQ_MSG(test, t->forbidden, 0, "zap allocated");
	return zapped;
}

/* Prune and free what it unlinked; whether it unlinked anything. */
static bool pt_prune(struct kunit *test, u64 va, u64 size, u64 *start, u64 *end)
{
	struct pt_test *t = test->priv;
	LIST_HEAD(freed);
	bool pruned;

	t->forbid = true;
	pruned = nvsvm_pt_prune(&t->tree, va, size, &freed, start, end);
	t->forbid = false;
	KUNIT_EXPECT_EQ_MSG(test, t->forbidden, 0, "prune allocated");
	KUNIT_EXPECT_EQ(test, pruned, !list_empty(&freed));
	nvsvm_pt_free_list(&t->tree, &freed);
	return pruned;
}

/* The leaf that maps @va, checking its page size. */
static u64 lookup(struct kunit *test, u64 va, unsigned int want_shift)
{
	struct pt_test *t = test->priv;
	unsigned int shift = 0;
	u64 pte = nvsvm_pt_lookup(&t->tree, va, &shift);

	if (pte)
		KUNIT_EXPECT_EQ_MSG(test, shift, want_shift, "va %#llx", va);
	return pte;
}

static void pte_encoding(struct kunit *test)
{
	const u64 addr = 0x123456789000ULL;
	u64 pte;

	pte = nvsvm_pte_sysmem(addr, NVSVM_PTE_SHIFT_4K, 0);
	KUNIT_EXPECT_EQ(test, pte, addr | NVSVM_PTE_VALID | NVSVM_PTE_APERTURE);

	pte = nvsvm_pte_vram(addr, NVSVM_PTE_SHIFT_4K, 0);
	KUNIT_EXPECT_EQ(test, pte, addr | NVSVM_PTE_VALID);

	pte = nvsvm_pte_sysmem(addr, NVSVM_PTE_SHIFT_4K, NVSVM_PTE_F_READ_ONLY);
	KUNIT_EXPECT_EQ(test, pte, addr | NVSVM_PTE_VALID | NVSVM_PTE_APERTURE |
			NVSVM_PTE_READ_ONLY);

	pte = nvsvm_pte_vram(addr, NVSVM_PTE_SHIFT_4K, NVSVM_PTE_F_ATOMIC_DISABLE);
	KUNIT_EXPECT_EQ(test, pte, addr | NVSVM_PTE_VALID | NVSVM_PTE_ATOMIC_DISABLE);

	pte = nvsvm_pte_sysmem(SZ_1G, NVSVM_PTE_SHIFT_2M,
			       NVSVM_PTE_F_READ_ONLY | NVSVM_PTE_F_ATOMIC_DISABLE);
	KUNIT_EXPECT_EQ(test, pte, SZ_1G | NVSVM_PTE_VALID | NVSVM_PTE_APERTURE |
			NVSVM_PTE_LARGE | NVSVM_PTE_READ_ONLY | NVSVM_PTE_ATOMIC_DISABLE);

	pte = nvsvm_pte_vram(SZ_2M, NVSVM_PTE_SHIFT_2M, 0);
	KUNIT_EXPECT_EQ(test, pte, SZ_2M | NVSVM_PTE_VALID | NVSVM_PTE_LARGE);

	/* Only the address field's bits of an address reach the entry. */
	pte = nvsvm_pte_sysmem(~0ULL, NVSVM_PTE_SHIFT_4K, ~0u);
	KUNIT_EXPECT_EQ(test, pte & NVSVM_PTE_RESERVED, 0);
	KUNIT_EXPECT_EQ(test, pte & NVSVM_PTE_LARGE, 0);
	KUNIT_EXPECT_EQ(test, pte & NVSVM_PTE_ADDR, NVSVM_PTE_ADDR);

	/* A directory entry: valid, system memory, the table's address. */
	KUNIT_EXPECT_EQ(test, nvsvm_pde(addr), addr | NVSVM_PTE_VALID | NVSVM_PTE_APERTURE);

	/* Splitting keeps memory and flags, page by page. */
	pte = nvsvm_pte_vram(SZ_1G, NVSVM_PTE_SHIFT_2M, NVSVM_PTE_F_READ_ONLY);
	KUNIT_EXPECT_EQ(test, nvsvm_pte_split(pte, 0),
			nvsvm_pte_vram(SZ_1G, NVSVM_PTE_SHIFT_4K, NVSVM_PTE_F_READ_ONLY));
	KUNIT_EXPECT_EQ(test, nvsvm_pte_split(pte, 511),
			nvsvm_pte_vram(SZ_1G + 511 * SZ_4K, NVSVM_PTE_SHIFT_4K,
				       NVSVM_PTE_F_READ_ONLY));
}

static void map_4k_and_lookup(struct kunit *test)
{
	struct pt_test *t = test->priv;
	const u64 va = 0x7f0000001000ULL, phys = 0x80000000ULL;
	struct nvsvm_pt *pt = t->tree.root;
	unsigned int level, i;

	KUNIT_EXPECT_FALSE(test, pt_map(test, va, 3 * SZ_4K, 12, phys, 0));
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, lookup(test, va + i * SZ_4K, 12), leaf(phys, i, 12, 0));
	KUNIT_EXPECT_EQ(test, lookup(test, va - SZ_4K, 12), 0);
	KUNIT_EXPECT_EQ(test, lookup(test, va + 3 * SZ_4K, 12), 0);
	/* The root, and one table at each level below it. */
	KUNIT_EXPECT_EQ(test, t->tree.tables, 4);
	KUNIT_EXPECT_EQ(test, t->live, 4);

	/* Each directory entry names its child's address, as the GPU walks it. */
	for (level = NVSVM_PT_LEVELS - 1; level > 0; level--) {
		unsigned int idx = (va >> NVSVM_PT_SHIFT(level)) & (NVSVM_PT_ENTRIES - 1);
		struct nvsvm_pt *child = pt->children[idx];

		KUNIT_ASSERT_NOT_NULL(test, child);
		KUNIT_EXPECT_EQ(test, le64_to_cpu(pt->entries[idx]), nvsvm_pde(child->addr));
		KUNIT_EXPECT_EQ(test, pt->used, 1);
		pt = child;
	}
	KUNIT_EXPECT_EQ(test, pt->used, 3);
}

/* Distinct tables at @level (root excepted) that the pages of the ranges need. */
static unsigned long tables_needed(const u64 (*ranges)[2], unsigned int n, unsigned int level)
{
	unsigned long count = 0;
	u64 last = ~0ULL;
	unsigned int r;
	u64 va;

	/* The ranges are sorted and disjoint: one pass counts distinct tables. */
	for (r = 0; r < n; r++) {
		for (va = ranges[r][0]; va < ranges[r][0] + ranges[r][1]; va += SZ_4K) {
			u64 table = va >> NVSVM_PT_SHIFT(level + 1);

			if (table != last)
				count++;
			last = table;
		}
	}
	return count;
}

static void sparse_map_zap_prune(struct kunit *test)
{
	static const u64 ranges[][2] = {
		{ 0, SZ_4K },					/* the very first page */
		{ SZ_2M - SZ_4K, 2 * SZ_4K },			/* across a level-0 boundary */
		{ SZ_1G + 5 * SZ_4K, 3 * SZ_4K },
		{ BIT_ULL(39) + SZ_1G - SZ_4K, 2 * SZ_4K },	/* across 1 GiB */
		{ BIT_ULL(47) - SZ_4K, 2 * SZ_4K },		/* across the user half's end */
		{ BIT_ULL(46) * 3, SZ_4K },
		{ VA_END - SZ_4K, SZ_4K },			/* the very last page */
	};
	struct pt_test *t = test->priv;
	unsigned int r, level;
	unsigned long want = 1;
	u64 start, end, i;

	for (r = 0; r < ARRAY_SIZE(ranges); r++)
		pt_map(test, ranges[r][0], ranges[r][1], 12, GIB(r + 1), 0);
	for (level = 0; level < NVSVM_PT_LEVELS - 1; level++)
		want += tables_needed(ranges, ARRAY_SIZE(ranges), level);
	KUNIT_EXPECT_EQ(test, t->tree.tables, want);
	KUNIT_EXPECT_EQ(test, t->live, want);

	for (r = 0; r < ARRAY_SIZE(ranges); r++)
		for (i = 0; i < ranges[r][1] >> 12; i++)
			KUNIT_EXPECT_EQ(test, lookup(test, ranges[r][0] + (i << 12), 12),
					leaf(GIB(r + 1), i, 12, 0));

	for (r = 0; r < ARRAY_SIZE(ranges); r++) {
		KUNIT_EXPECT_TRUE(test, pt_zap(test, ranges[r][0], ranges[r][1]));
		KUNIT_EXPECT_FALSE(test, pt_zap(test, ranges[r][0], ranges[r][1]));
		for (i = 0; i < ranges[r][1] >> 12; i++)
			KUNIT_EXPECT_EQ(test, lookup(test, ranges[r][0] + (i << 12), 12), 0);
	}
	/* Zapping frees nothing... */
	KUNIT_EXPECT_EQ(test, t->tree.tables, want);

	/* ...pruning a part frees only the tables of that part... */
	KUNIT_EXPECT_TRUE(test, pt_prune(test, 0, SZ_4K, &start, &end));
	KUNIT_EXPECT_LE(test, start, 0);
	KUNIT_EXPECT_GE(test, end, SZ_2M);
	KUNIT_EXPECT_LT(test, t->tree.tables, want);
	KUNIT_EXPECT_GT(test, t->tree.tables, 1);

	/* ...and pruning everything leaves the root alone. */
	KUNIT_EXPECT_TRUE(test, pt_prune(test, 0, VA_END, &start, &end));
	KUNIT_EXPECT_EQ(test, t->tree.tables, 1);
	KUNIT_EXPECT_EQ(test, t->live, 1);
	KUNIT_EXPECT_EQ(test, t->tree.root->used, 0);
	KUNIT_EXPECT_FALSE(test, pt_prune(test, 0, VA_END, &start, &end));

	/* The tree works as new. */
	pt_map(test, ranges[2][0], ranges[2][1], 12, SZ_4G, 0);
	KUNIT_EXPECT_EQ(test, lookup(test, ranges[2][0], 12), leaf(SZ_4G, 0, 12, 0));
	KUNIT_EXPECT_EQ(test, t->tree.tables, 4);
}

static void prune_keeps_used_tables(struct kunit *test)
{
	struct pt_test *t = test->priv;
	u64 start, end;

	/* Two level-0 tables under one level-1 table; empty one of them. */
	pt_map(test, SZ_1G, SZ_4K, 12, SZ_4G, 0);
	pt_map(test, SZ_1G + SZ_2M, SZ_4K, 12, SZ_4G, 0);
	KUNIT_EXPECT_EQ(test, t->tree.tables, 5);
	pt_zap(test, SZ_1G, SZ_4K);
	KUNIT_EXPECT_TRUE(test, pt_prune(test, 0, VA_END, &start, &end));
	KUNIT_EXPECT_EQ(test, start, SZ_1G);
	KUNIT_EXPECT_EQ(test, end, SZ_1G + SZ_2M);
	KUNIT_EXPECT_EQ(test, t->tree.tables, 4);
	KUNIT_EXPECT_EQ(test, lookup(test, SZ_1G + SZ_2M, 12), leaf(SZ_4G, 0, 12, 0));
}

static void zap_never_populated(struct kunit *test)
{
	struct pt_test *t = test->priv;
	u64 start, end;

	/* An empty tree: nothing to zap, prune or allocate, anywhere. */
	KUNIT_EXPECT_FALSE(test, pt_zap(test, 0, VA_END));
	KUNIT_EXPECT_FALSE(test, pt_zap(test, 0x1234000, SZ_4K));
	KUNIT_EXPECT_FALSE(test, pt_zap(test, VA_END - SZ_4K, ~0ULL));
	KUNIT_EXPECT_FALSE(test, pt_zap(test, VA_END, SZ_1G));
	KUNIT_EXPECT_FALSE(test, pt_prune(test, 0, VA_END, &start, &end));
	KUNIT_EXPECT_EQ(test, t->tree.tables, 1);
	KUNIT_EXPECT_EQ(test, t->live, 1);

	/* Beside a mapping, in its tables: the mapping stays. */
	pt_map(test, SZ_2M + SZ_4K, SZ_4K, 12, SZ_4G, 0);
	KUNIT_EXPECT_FALSE(test, pt_zap(test, SZ_2M, SZ_4K));
	KUNIT_EXPECT_FALSE(test, pt_zap(test, SZ_2M + 2 * SZ_4K, SZ_1M));
	KUNIT_EXPECT_FALSE(test, pt_zap(test, SZ_4M, SZ_1G));
	KUNIT_EXPECT_EQ(test, lookup(test, SZ_2M + SZ_4K, 12), leaf(SZ_4G, 0, 12, 0));
	/* A range that is not page aligned is rounded out: the page goes. */
	KUNIT_EXPECT_TRUE(test, pt_zap(test, SZ_2M + SZ_4K + 8, 1));
	KUNIT_EXPECT_EQ(test, lookup(test, SZ_2M + SZ_4K, 12), 0);
}

static void large_leaves(struct kunit *test)
{
	struct pt_test *t = test->priv;
	const u64 va = GIB(3), phys = 8ULL * SZ_1G;

	KUNIT_EXPECT_FALSE(test, pt_map(test, va, 2 * SZ_2M, 21, phys, NVSVM_PTE_F_READ_ONLY));
	KUNIT_EXPECT_EQ(test, lookup(test, va, 21), leaf(phys, 0, 21, NVSVM_PTE_F_READ_ONLY));
	KUNIT_EXPECT_EQ(test, lookup(test, va + SZ_2M - SZ_4K, 21),
			leaf(phys, 0, 21, NVSVM_PTE_F_READ_ONLY));
	KUNIT_EXPECT_EQ(test, lookup(test, va + SZ_2M, 21),
			leaf(phys, 1, 21, NVSVM_PTE_F_READ_ONLY));
	KUNIT_EXPECT_TRUE(test, nvsvm_pte_large(lookup(test, va, 21)));
	/* No level-0 table: the root, a level-2 and a level-1 table. */
	KUNIT_EXPECT_EQ(test, t->tree.tables, 3);

	/* A zap of one 4 KiB page in a 2 MiB leaf zaps the leaf whole. */
	KUNIT_EXPECT_TRUE(test, pt_zap(test, va + SZ_1M, SZ_4K));
	KUNIT_EXPECT_EQ(test, lookup(test, va, 21), 0);
	KUNIT_EXPECT_EQ(test, lookup(test, va + SZ_2M - SZ_4K, 21), 0);
	KUNIT_EXPECT_EQ(test, lookup(test, va + SZ_2M, 21),
			leaf(phys, 1, 21, NVSVM_PTE_F_READ_ONLY));
	/* As does one that overlaps its end. */
	KUNIT_EXPECT_TRUE(test, pt_zap(test, va + 2 * SZ_2M - SZ_4K, SZ_1G));
	KUNIT_EXPECT_EQ(test, lookup(test, va + SZ_2M, 21), 0);
}

static void split_large_leaf(struct kunit *test)
{
	struct pt_test *t = test->priv;
	const u64 va = SZ_1G + SZ_2M, big = 16ULL * SZ_1G, small = 32ULL * SZ_1G;
	const u32 flags = NVSVM_PTE_F_ATOMIC_DISABLE;
	unsigned int i;

	pt_map(test, va, SZ_2M, 21, big, flags);
	KUNIT_EXPECT_EQ(test, t->tree.tables, 3);

	/* 4 KiB leaves over a valid 2 MiB leaf: a replacement, to invalidate. */
	KUNIT_EXPECT_TRUE(test, pt_map(test, va + 5 * SZ_4K, 2 * SZ_4K, 12, small, 0));
	KUNIT_EXPECT_EQ(test, t->tree.tables, 4);
	KUNIT_EXPECT_EQ(test, lookup(test, va + 5 * SZ_4K, 12), leaf(small, 0, 12, 0));
	KUNIT_EXPECT_EQ(test, lookup(test, va + 6 * SZ_4K, 12), leaf(small, 1, 12, 0));
	/* The rest still maps the large page's memory, now in 4 KiB pieces. */
	for (i = 0; i < NVSVM_PT_ENTRIES; i++) {
		if (i == 5 || i == 6)
			continue;
		KUNIT_EXPECT_EQ(test, lookup(test, va + i * SZ_4K, 12), leaf(big, i, 12, flags));
	}
	/* A 4 KiB zap now takes one page only. */
	KUNIT_EXPECT_TRUE(test, pt_zap(test, va, SZ_4K));
	KUNIT_EXPECT_EQ(test, lookup(test, va, 12), 0);
	KUNIT_EXPECT_EQ(test, lookup(test, va + SZ_4K, 12), leaf(big, 1, 12, flags));
}

static void merge_into_large_leaf(struct kunit *test)
{
	struct pt_test *t = test->priv;
	const u64 va = GIB(5), phys = SZ_4G;
	struct nvsvm_pt_stage st;
	u64 pte = leaf(phys, 0, 21, 0);
	long live;

	/* A 2 MiB leaf over a level-0 table that maps pages. */
	pt_map(test, va + SZ_4K, 3 * SZ_4K, 12, SZ_1G, 0);
	KUNIT_EXPECT_EQ(test, t->tree.tables, 4);
	live = t->live;
	KUNIT_ASSERT_EQ(test, nvsvm_pt_stage(&t->tree, &st, va, SZ_2M, 21), 0);
	/* Nothing to allocate: the level-1 table exists. */
	KUNIT_EXPECT_EQ(test, t->live, live);
	t->forbid = true;
	KUNIT_EXPECT_TRUE(test, nvsvm_pt_commit(&t->tree, &st, va, SZ_2M, 21, &pte));
	t->forbid = false;
	KUNIT_EXPECT_EQ(test, t->forbidden, 0);
	KUNIT_EXPECT_EQ(test, t->tree.tables, 3);
	/* Unlinked, but kept until after the invalidate: stage_fini. */
	KUNIT_EXPECT_EQ(test, t->live, live);
	nvsvm_pt_stage_fini(&t->tree, &st);
	KUNIT_EXPECT_EQ(test, t->live, live - 1);
	KUNIT_EXPECT_EQ(test, lookup(test, va + 2 * SZ_4K, 21), pte);

	/* Over an emptied level-0 table: the table goes all the same. */
	pt_map(test, va + SZ_2M, SZ_4K, 12, SZ_1G, 0);
	pt_zap(test, va + SZ_2M, SZ_4K);
	KUNIT_EXPECT_EQ(test, t->tree.tables, 4);
	KUNIT_EXPECT_TRUE(test, pt_map(test, va + SZ_2M, SZ_2M, 21, phys, 0));
	KUNIT_EXPECT_EQ(test, t->tree.tables, 3);
	KUNIT_EXPECT_EQ(test, t->live, 3);
}

static void commit_replacements(struct kunit *test)
{
	struct pt_test *t = test->priv;
	const u64 va = SZ_1G;
	struct nvsvm_pt_stage st;
	u64 ptes[4] = { 0, leaf(SZ_4G, 0, 12, 0), 0, 0 };

	/* Over invalid entries: nothing to invalidate. */
	KUNIT_EXPECT_FALSE(test, pt_map(test, va, 4 * SZ_4K, 12, SZ_1G, 0));
	/* The same entries again: nothing changed, nothing to invalidate. */
	KUNIT_EXPECT_FALSE(test, pt_map(test, va, 4 * SZ_4K, 12, SZ_1G, 0));
	/* Other flags: a replacement. */
	KUNIT_EXPECT_TRUE(test, pt_map(test, va, 4 * SZ_4K, 12, SZ_1G, NVSVM_PTE_F_READ_ONLY));

	/* A 0 in the array leaves that page's entry as it is. */
	KUNIT_ASSERT_EQ(test, nvsvm_pt_stage(&t->tree, &st, va, 4 * SZ_4K, 12), 0);
	KUNIT_EXPECT_TRUE(test, nvsvm_pt_commit(&t->tree, &st, va, 4 * SZ_4K, 12, ptes));
	nvsvm_pt_stage_fini(&t->tree, &st);
	KUNIT_EXPECT_EQ(test, lookup(test, va, 12), leaf(SZ_1G, 0, 12, NVSVM_PTE_F_READ_ONLY));
	KUNIT_EXPECT_EQ(test, lookup(test, va + SZ_4K, 12), ptes[1]);
	KUNIT_EXPECT_EQ(test, lookup(test, va + 3 * SZ_4K, 12),
			leaf(SZ_1G, 3, 12, NVSVM_PTE_F_READ_ONLY));

	/* All zeros over nothing: no table is linked, nothing changes. */
	KUNIT_EXPECT_EQ(test, t->tree.tables, 4);
	memset(ptes, 0, sizeof(ptes));
	KUNIT_ASSERT_EQ(test, nvsvm_pt_stage(&t->tree, &st, GIB(7), 4 * SZ_4K, 12), 0);
	KUNIT_EXPECT_FALSE(test, nvsvm_pt_commit(&t->tree, &st, GIB(7), 4 * SZ_4K, 12,
						 ptes));
	nvsvm_pt_stage_fini(&t->tree, &st);
	KUNIT_EXPECT_EQ(test, lookup(test, GIB(7), 12), 0);
	KUNIT_EXPECT_EQ(test, t->tree.tables, 4);
	KUNIT_EXPECT_EQ(test, t->live, 4);
}

static void commit_in_pieces(struct kunit *test)
{
	struct pt_test *t = test->priv;
	const u64 va = GIB(9) - SZ_2M, size = 2 * SZ_2M;	/* across 1 GiB */
	const u64 pieces[][2] = {
		{ 0, SZ_4K }, { SZ_4K, SZ_2M }, { SZ_2M + SZ_4K, SZ_2M - SZ_4K },
	};
	struct nvsvm_pt_stage st;
	unsigned int p;
	u64 *ptes, i;

	ptes = kunit_kmalloc_array(test, size >> 12, sizeof(*ptes), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ptes);
	for (i = 0; i < size >> 12; i++)
		ptes[i] = leaf(SZ_4G, i, 12, 0);
	KUNIT_ASSERT_EQ(test, nvsvm_pt_stage(&t->tree, &st, va, size, 12), 0);
	/* Staged beside the root: a level-2, two level-1 and two level-0 tables. */
	KUNIT_EXPECT_EQ(test, t->live, 6);
	t->forbid = true;
	for (p = 0; p < ARRAY_SIZE(pieces); p++)
		nvsvm_pt_commit(&t->tree, &st, va + pieces[p][0], pieces[p][1], 12,
				ptes + (pieces[p][0] >> 12));
	t->forbid = false;
	KUNIT_EXPECT_EQ(test, t->forbidden, 0);
	nvsvm_pt_stage_fini(&t->tree, &st);
	/* Every staged table was used: nothing freed, every one linked. */
	KUNIT_EXPECT_EQ(test, t->live, 6);
	KUNIT_EXPECT_EQ(test, t->tree.tables, 6);
	for (i = 0; i < size >> 12; i++)
		KUNIT_EXPECT_EQ(test, lookup(test, va + (i << 12), 12), ptes[i]);
}

static void stage_failure_changes_nothing(struct kunit *test)
{
	struct pt_test *t = test->priv;
	struct nvsvm_pt_stage st;
	unsigned int n;

	pt_map(test, SZ_1G, SZ_4K, 12, SZ_4G, 0);
	/* Fail each allocation in turn: 3 tables needed at 513 GiB. */
	for (n = 1; n <= 3; n++) {
		t->fail_in = n;
		KUNIT_EXPECT_EQ(test, nvsvm_pt_stage(&t->tree, &st, BIT_ULL(39) + SZ_1G,
						     SZ_4K, 12), -ENOMEM);
		nvsvm_pt_stage_fini(&t->tree, &st);
		KUNIT_EXPECT_EQ(test, t->tree.tables, 4);
		KUNIT_EXPECT_EQ(test, t->live, 4);
	}
	t->fail_in = 0;
	KUNIT_EXPECT_EQ(test, lookup(test, SZ_1G, 12), leaf(SZ_4G, 0, 12, 0));
}

static void stage_rejects_bad_ranges(struct kunit *test)
{
	static const struct { u64 va, size; unsigned int shift; } bad[] = {
		{ SZ_4K, 0, 12 },
		{ SZ_4K + 8, SZ_4K, 12 },
		{ SZ_4K, SZ_4K + 8, 12 },
		{ SZ_4K, SZ_2M, 21 },
		{ SZ_2M, SZ_4K, 21 },
		{ VA_END - SZ_4K, 2 * SZ_4K, 12 },
		{ VA_END, SZ_4K, 12 },
		{ ~0ULL - SZ_4K + 1, SZ_4K, 12 },
		{ SZ_4K, SZ_4K, 13 },
		{ SZ_1G, SZ_1G, 30 },
	};
	struct pt_test *t = test->priv;
	struct nvsvm_pt_stage st;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		KUNIT_EXPECT_EQ_MSG(test, nvsvm_pt_stage(&t->tree, &st, bad[i].va, bad[i].size,
							 bad[i].shift), -EINVAL, "case %u", i);
		nvsvm_pt_stage_fini(&t->tree, &st);
	}
	KUNIT_EXPECT_EQ(test, t->live, 1);
}

static struct kunit_case nvsvm_pt_cases[] = {
	KUNIT_CASE(pte_encoding),
	KUNIT_CASE(map_4k_and_lookup),
	KUNIT_CASE(sparse_map_zap_prune),
	KUNIT_CASE(prune_keeps_used_tables),
	KUNIT_CASE(zap_never_populated),
	KUNIT_CASE(large_leaves),
	KUNIT_CASE(split_large_leaf),
	KUNIT_CASE(merge_into_large_leaf),
	KUNIT_CASE(commit_replacements),
	KUNIT_CASE(commit_in_pieces),
	KUNIT_CASE(stage_failure_changes_nothing),
	KUNIT_CASE(stage_rejects_bad_ranges),
	{}
};

static struct kunit_suite nvsvm_pt_suite = {
	.name = "nvsvm_pt",
	.init = pt_test_init,
	.exit = pt_test_exit,
	.test_cases = nvsvm_pt_cases,
};

kunit_test_suite(nvsvm_pt_suite);
