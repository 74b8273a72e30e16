// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

/**
 * DOC: Page-table walker
 *
 * The tree of the "Page tables" section of nvsvm_regs.h: four levels of
 * 4 KiB tables, 4 KiB leaves at level 0 and 2 MiB leaves at level 1. This
 * file decides where entries go and which tables exist; what an entry
 * holds is nvsvm_pte.h's business (the walker tests VALID and LARGE only),
 * and where tables live is the owner's (&struct nvsvm_pt_ops), so that the
 * walker runs without a GPU in the KUnit tests.
 *
 * Updates are staged, then committed, like xe_pt's:
 *
 * - nvsvm_pt_stage() counts the tables a range lacks for leaves of a given
 *   size and allocates them, unlinked, into a &struct nvsvm_pt_stage. It
 *   is the only step that can fail, and it changes nothing the GPU sees.
 * - nvsvm_pt_commit() links the staged tables it needs and writes the
 *   leaves. It never allocates, so that it can run under a lock that an
 *   mmu notifier takes (reclaim may be waiting on it). A range may be
 *   committed in pieces from one stage. It reports whether it replaced a
 *   valid entry or unlinked a table: the caller must then invalidate the
 *   GPU's TLBs for the range before nvsvm_pt_stage_fini().
 * - nvsvm_pt_stage_fini() frees what the commits did not use, and the
 *   tables they replaced: a walk in flight may still read a replaced table
 *   until the invalidate completes.
 *
 * Replacing: 4 KiB leaves over a valid 2 MiB leaf split it: the new
 * level-0 table first maps the 2 MiB page's 512 pieces as the large leaf
 * did, then the commit writes its leaves over them. A 2 MiB leaf over a
 * level-0 table (emptied or not) unlinks the table and frees it at
 * nvsvm_pt_stage_fini().
 *
 * Zapping clears leaves and never frees tables, so it allocates nothing,
 * needs nothing staged and is safe on ranges that were never populated (it
 * walks only the tables that exist). A 2 MiB leaf partly in the range is
 * zapped whole. Tables emptied by zaps stay linked until nvsvm_pt_prune()
 * unlinks them (bottom up, so that a sparse address space shrinks back to
 * the root alone); the caller invalidates the span it reports, then frees
 * them with nvsvm_pt_free_list().
 *
 * Every entry a commit makes visible is written after what it points to:
 * a new table is complete before the directory entry naming it is.
 */

#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/sizes.h>
#include <asm/barrier.h>
#include <kunit/visibility.h>

#include "nvsvm_pt.h"
#include "nvsvm_pte.h"
#include "nvsvm_regs.h"

#define NVSVM_PT_ROOT_LEVEL	(NVSVM_PT_LEVELS - 1)
#define NVSVM_PT_VA_END		BIT_ULL(NVSVM_VA_BITS)

static unsigned int nvsvm_pt_index(u64 va, unsigned int level)
{
	return (va >> NVSVM_PT_SHIFT(level)) & (NVSVM_PT_ENTRIES - 1);
}

/* The end of @va's entry at @level, or @end if that comes first. */
static u64 nvsvm_pt_next(u64 va, unsigned int level, u64 end)
{
	return min((va | (BIT_ULL(NVSVM_PT_SHIFT(level)) - 1)) + 1, end);
}

static u64 nvsvm_pt_read(const struct nvsvm_pt *pt, unsigned int i)
{
	return le64_to_cpu(READ_ONCE(pt->entries[i]));
}

static void nvsvm_pt_write(struct nvsvm_pt *pt, unsigned int i, u64 entry)
{
	WRITE_ONCE(pt->entries[i], cpu_to_le64(entry));
}

/* The only allocation of the walker: a node, its table, its children. */
static struct nvsvm_pt *nvsvm_pt_alloc(struct nvsvm_pt_tree *tree, unsigned int level)
{
	struct nvsvm_pt *pt = kzalloc(sizeof(*pt), GFP_KERNEL);

	if (!pt)
		return NULL;
	pt->level = level;
	INIT_LIST_HEAD(&pt->link);
	if (level > 0) {
		pt->children = kcalloc(NVSVM_PT_ENTRIES, sizeof(*pt->children), GFP_KERNEL);
		if (!pt->children)
			goto err_free;
	}
	pt->entries = tree->ops->alloc(tree->priv, &pt->addr);
	if (!pt->entries)
		goto err_free_children;
	return pt;

err_free_children:
	kfree(pt->children);
err_free:
	kfree(pt);
	return NULL;
}

static void nvsvm_pt_free(struct nvsvm_pt_tree *tree, struct nvsvm_pt *pt)
{
	tree->ops->free(tree->priv, pt->entries, pt->addr);
	kfree(pt->children);
	kfree(pt);
}

/* Free @pt and every table below it. */
static void nvsvm_pt_free_tree(struct nvsvm_pt_tree *tree, struct nvsvm_pt *pt)
{
	unsigned int i;

	if (pt->children) {
		for (i = 0; i < NVSVM_PT_ENTRIES; i++)
			if (pt->children[i])
				nvsvm_pt_free_tree(tree, pt->children[i]);
	}
	nvsvm_pt_free(tree, pt);
}

/**
 * nvsvm_pt_tree_init() - Create a tree with its root table
 * @tree: The tree.
 * @ops: Table allocator.
 * @priv: For @ops.
 *
 * Return: 0 or -ENOMEM.
 */
int nvsvm_pt_tree_init(struct nvsvm_pt_tree *tree, const struct nvsvm_pt_ops *ops,
		       void *priv)
{
	tree->ops = ops;
	tree->priv = priv;
	tree->root = nvsvm_pt_alloc(tree, NVSVM_PT_ROOT_LEVEL);
	if (!tree->root)
		return -ENOMEM;
	tree->tables = 1;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_pt_tree_init);

/**
 * nvsvm_pt_tree_fini() - Free every table of a tree
 * @tree: The tree; the GPU must not walk it any more.
 */
void nvsvm_pt_tree_fini(struct nvsvm_pt_tree *tree)
{
	nvsvm_pt_free_tree(tree, tree->root);
	tree->root = NULL;
	tree->tables = 0;
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_pt_tree_fini);

/* The leaf level of pages of 1 << @shift bytes, or -1. */
static int nvsvm_pt_leaf_level(unsigned int shift)
{
	switch (shift) {
	case NVSVM_PTE_SHIFT_4K:
		return 0;
	case NVSVM_PTE_SHIFT_2M:
		return 1;
	default:
		return -1;
	}
}

/* Whether [@va, @va + @size) is a non-empty range of whole pages of @shift. */
static bool nvsvm_pt_range_ok(u64 va, u64 size, unsigned int shift)
{
	u64 end;

	return size && !(va & (BIT_ULL(shift) - 1)) && !(size & (BIT_ULL(shift) - 1)) &&
	       !check_add_overflow(va, size, &end) && end <= NVSVM_PT_VA_END;
}

/*
 * Count, by level, the tables [@va, @end) lacks below @pt (NULL: a table
 * the stage is to create) at @level for leaves at @leaf.
 */
static void nvsvm_pt_count(const struct nvsvm_pt *pt, unsigned int level, u64 va,
			   u64 end, unsigned int leaf, unsigned long *need)
{
	while (level > leaf && va < end) {
		u64 next = nvsvm_pt_next(va, level, end);
		const struct nvsvm_pt *child = pt ? pt->children[nvsvm_pt_index(va, level)] : NULL;

		/* A missing table, or a 2 MiB leaf that 4 KiB leaves split. */
		if (!child)
			need[level - 1]++;
		nvsvm_pt_count(child, level - 1, va, next, leaf, need);
		va = next;
	}
}

static void nvsvm_pt_stage_init(struct nvsvm_pt_stage *st)
{
	unsigned int l;

	for (l = 0; l < ARRAY_SIZE(st->pool); l++)
		INIT_LIST_HEAD(&st->pool[l]);
	INIT_LIST_HEAD(&st->replaced);
}

/**
 * nvsvm_pt_stage() - Allocate the tables a range lacks
 * @tree: The tree.
 * @st: The stage, uninitialised; nvsvm_pt_stage_fini() it whatever this
 *      returns.
 * @va: Start of the range, aligned to 1 << @shift.
 * @size: Size of the range, a multiple of 1 << @shift, not 0.
 * @shift: %NVSVM_PTE_SHIFT_4K or %NVSVM_PTE_SHIFT_2M: the leaves to come.
 *
 * The tree's structure must not change until the commits are done (the
 * owner's outer lock). May sleep.
 *
 * Return: 0; -EINVAL for a range or shift the tree cannot map; -ENOMEM.
 */
int nvsvm_pt_stage(struct nvsvm_pt_tree *tree, struct nvsvm_pt_stage *st,
		   u64 va, u64 size, unsigned int shift)
{
	unsigned long need[NVSVM_PT_LEVELS - 1] = {};
	int leaf = nvsvm_pt_leaf_level(shift);
	unsigned int l;

	nvsvm_pt_stage_init(st);
	if (leaf < 0 || !nvsvm_pt_range_ok(va, size, shift))
		return -EINVAL;

	nvsvm_pt_count(tree->root, NVSVM_PT_ROOT_LEVEL, va, va + size, leaf, need);
	for (l = 0; l < ARRAY_SIZE(need); l++) {
		for (; need[l]; need[l]--) {
			struct nvsvm_pt *pt = nvsvm_pt_alloc(tree, l);

			if (!pt)
				return -ENOMEM;
			list_add(&pt->link, &st->pool[l]);
		}
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_pt_stage);

/**
 * nvsvm_pt_stage_fini() - Free what a stage holds
 * @tree: The tree.
 * @st: The stage.
 *
 * After the invalidate that the commits asked for: frees the staged tables
 * no commit used and the tables the commits replaced.
 */
void nvsvm_pt_stage_fini(struct nvsvm_pt_tree *tree, struct nvsvm_pt_stage *st)
{
	unsigned int l;

	for (l = 0; l < ARRAY_SIZE(st->pool); l++)
		nvsvm_pt_free_list(tree, &st->pool[l]);
	nvsvm_pt_free_list(tree, &st->replaced);
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_pt_stage_fini);

/**
 * struct nvsvm_pt_commit - What one commit walks with
 */
struct nvsvm_pt_commit {
	/** @tree: The tree. */
	struct nvsvm_pt_tree *tree;
	/** @st: Where new tables come from and replaced ones go. */
	struct nvsvm_pt_stage *st;
	/** @base: First VA of the commit; @ptes[0] maps it. */
	u64 base;
	/** @shift: Page shift of the leaves. */
	unsigned int shift;
	/** @leaf: Their level. */
	unsigned int leaf;
	/** @ptes: The leaves, one per page; 0 leaves an entry as it is. */
	const u64 *ptes;
	/** @replaced: A valid entry was replaced or a table unlinked. */
	bool replaced;
};

/* Write the leaves of [@va, @end) into @pt, a table at the leaf level. */
static void nvsvm_pt_commit_leaves(struct nvsvm_pt_commit *c, struct nvsvm_pt *pt,
				   u64 va, u64 end)
{
	for (; va < end; va += BIT_ULL(c->shift)) {
		unsigned int i = nvsvm_pt_index(va, c->leaf);
		u64 pte = c->ptes[(va - c->base) >> c->shift];
		u64 old;

		if (!pte)
			continue;
		old = nvsvm_pt_read(pt, i);
		if (pt->children && pt->children[i]) {
			/* A 2 MiB leaf replaces a level-0 table. */
			list_add(&pt->children[i]->link, &c->st->replaced);
			pt->children[i] = NULL;
			c->tree->tables--;
			c->replaced = true;
		} else if (!nvsvm_pte_valid(old)) {
			pt->used++;
		} else if (old != pte) {
			c->replaced = true;
		}
		nvsvm_pt_write(pt, i, pte);
	}
}

/* Link a staged table at entry @i of @pt; split the 2 MiB leaf there, if any. */
static struct nvsvm_pt *nvsvm_pt_commit_link(struct nvsvm_pt_commit *c,
					     struct nvsvm_pt *pt, unsigned int i)
{
	struct list_head *pool = &c->st->pool[pt->level - 1];
	u64 old = nvsvm_pt_read(pt, i);
	struct nvsvm_pt *child;
	unsigned int j;

	child = list_first_entry_or_null(pool, struct nvsvm_pt, link);
	if (WARN_ON_ONCE(!child))
		return NULL;	/* Not staged: a driver bug. Leave it unmapped. */
	list_del_init(&child->link);

	if (nvsvm_pte_valid(old)) {
		/* Only a 2 MiB leaf is valid without a table below it. */
		for (j = 0; j < NVSVM_PT_ENTRIES; j++)
			nvsvm_pt_write(child, j, nvsvm_pte_split(old, j));
		child->used = NVSVM_PT_ENTRIES;
		c->replaced = true;
	} else {
		pt->used++;
	}
	pt->children[i] = child;
	c->tree->tables++;
	/* The table is complete before the entry naming it is visible. */
	dma_wmb();
	nvsvm_pt_write(pt, i, nvsvm_pde(child->addr));
	return child;
}

/* Whether a leaf of [@va, @end) is to be written: else no table is linked. */
static bool nvsvm_pt_commit_any(const struct nvsvm_pt_commit *c, u64 va, u64 end)
{
	for (; va < end; va += BIT_ULL(c->shift))
		if (c->ptes[(va - c->base) >> c->shift])
			return true;
	return false;
}

static void nvsvm_pt_commit_level(struct nvsvm_pt_commit *c, struct nvsvm_pt *pt,
				  u64 va, u64 end)
{
	if (pt->level == c->leaf) {
		nvsvm_pt_commit_leaves(c, pt, va, end);
		return;
	}
	while (va < end) {
		u64 next = nvsvm_pt_next(va, pt->level, end);
		unsigned int i = nvsvm_pt_index(va, pt->level);
		struct nvsvm_pt *child = pt->children[i];

		if (!child && nvsvm_pt_commit_any(c, va, next))
			child = nvsvm_pt_commit_link(c, pt, i);
		if (child)
			nvsvm_pt_commit_level(c, child, va, next);
		va = next;
	}
}

/**
 * nvsvm_pt_commit() - Write leaves, linking staged tables
 * @tree: The tree.
 * @st: The stage that covered this range (a commit may cover part of it).
 * @va: Start of the range, aligned to 1 << @shift.
 * @size: Size of the range, a multiple of 1 << @shift.
 * @shift: The page size of the leaves, as staged.
 * @ptes: One entry per page of the range (nvsvm_pte.h); an entry of 0
 *        leaves the page's entry as it is.
 *
 * Never allocates and never sleeps.
 *
 * Return: true if a valid entry was replaced (a leaf changed, a 2 MiB leaf
 * was split) or a table was unlinked: the caller must invalidate the range
 * in the GPU's TLBs before nvsvm_pt_stage_fini().
 */
bool nvsvm_pt_commit(struct nvsvm_pt_tree *tree, struct nvsvm_pt_stage *st,
		     u64 va, u64 size, unsigned int shift, const u64 *ptes)
{
	struct nvsvm_pt_commit c = {
		.tree = tree, .st = st, .base = va, .shift = shift, .ptes = ptes,
	};
	int leaf = nvsvm_pt_leaf_level(shift);

	if (WARN_ON_ONCE(leaf < 0 || !nvsvm_pt_range_ok(va, size, shift)))
		return false;
	c.leaf = leaf;
	nvsvm_pt_commit_level(&c, tree->root, va, va + size);
	return c.replaced;
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_pt_commit);

/* Clamp [@va, @va + @size) to the VA space, rounded out to 4 KiB pages. */
static bool nvsvm_pt_clamp(u64 va, u64 size, u64 *start, u64 *end)
{
	if (!size || va >= NVSVM_PT_VA_END)
		return false;
	*start = round_down(va, SZ_4K);
	*end = size > NVSVM_PT_VA_END - va ? NVSVM_PT_VA_END : round_up(va + size, SZ_4K);
	return true;
}

static bool nvsvm_pt_zap_level(struct nvsvm_pt *pt, u64 va, u64 end)
{
	bool zapped = false;

	while (va < end) {
		u64 next = nvsvm_pt_next(va, pt->level, end);
		unsigned int i = nvsvm_pt_index(va, pt->level);
		struct nvsvm_pt *child = pt->children ? pt->children[i] : NULL;

		if (child) {
			zapped |= nvsvm_pt_zap_level(child, va, next);
		} else if (nvsvm_pte_valid(nvsvm_pt_read(pt, i))) {
			/* A leaf: 4 KiB, or a 2 MiB one, whole. */
			nvsvm_pt_write(pt, i, 0);
			pt->used--;
			zapped = true;
		}
		va = next;
	}
	return zapped;
}

/**
 * nvsvm_pt_zap() - Clear the leaves of a range
 * @tree: The tree.
 * @va: Start of the range.
 * @size: Its size; the range is rounded out to 4 KiB and clamped to the
 *        VA space.
 *
 * Tables stay linked (see nvsvm_pt_prune()). Never allocates and never
 * sleeps; safe on ranges that were never populated.
 *
 * Return: true if a valid leaf was cleared: the caller must invalidate.
 */
bool nvsvm_pt_zap(struct nvsvm_pt_tree *tree, u64 va, u64 size)
{
	u64 start, end;

	if (!nvsvm_pt_clamp(va, size, &start, &end))
		return false;
	return nvsvm_pt_zap_level(tree->root, start, end);
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_pt_zap);

/**
 * struct nvsvm_pt_prune - What one prune walks with
 */
struct nvsvm_pt_prune {
	/** @tree: The tree. */
	struct nvsvm_pt_tree *tree;
	/** @freed: Where unlinked tables go. */
	struct list_head *freed;
	/** @start: Start of the span the unlinked tables covered. */
	u64 start;
	/** @end: Its end; 0 while nothing was unlinked. */
	u64 end;
};

static void nvsvm_pt_prune_level(struct nvsvm_pt_prune *p, struct nvsvm_pt *pt,
				 u64 va, u64 end)
{
	u64 span = BIT_ULL(NVSVM_PT_SHIFT(pt->level));

	while (va < end) {
		u64 next = nvsvm_pt_next(va, pt->level, end);
		unsigned int i = nvsvm_pt_index(va, pt->level);
		struct nvsvm_pt *child = pt->children[i];
		u64 first = round_down(va, span);

		/* Bottom up: the child's empty tables go first. */
		if (child && child->children)
			nvsvm_pt_prune_level(p, child, va, next);
		va = next;
		if (!child || child->used)
			continue;
		nvsvm_pt_write(pt, i, 0);
		pt->children[i] = NULL;
		pt->used--;
		p->tree->tables--;
		list_add(&child->link, p->freed);
		if (!p->end)
			p->start = first;
		p->start = min(p->start, first);
		p->end = max(p->end, first + span);
	}
}

/**
 * nvsvm_pt_prune() - Unlink the tables left empty in a range
 * @tree: The tree.
 * @va: Start of the range.
 * @size: Its size (rounded out and clamped as by nvsvm_pt_zap()).
 * @freed: Receives the unlinked tables.
 * @span_start: Set to the start of the VA span the unlinked tables covered.
 * @span_end: Set to its end.
 *
 * Every table in the range without a valid entry is unlinked, bottom up,
 * the root excepted. The GPU may still be walking them: the caller
 * invalidates the span, then nvsvm_pt_free_list() frees them. Never
 * allocates and never sleeps.
 *
 * Return: true if a table was unlinked.
 */
bool nvsvm_pt_prune(struct nvsvm_pt_tree *tree, u64 va, u64 size,
		    struct list_head *freed, u64 *span_start, u64 *span_end)
{
	struct nvsvm_pt_prune p = { .tree = tree, .freed = freed };
	u64 start, end;

	if (!nvsvm_pt_clamp(va, size, &start, &end))
		return false;
	nvsvm_pt_prune_level(&p, tree->root, start, end);
	*span_start = p.start;
	*span_end = p.end;
	return p.end;
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_pt_prune);

/**
 * nvsvm_pt_free_list() - Free unlinked tables
 * @tree: The tree they came from.
 * @freed: A list from nvsvm_pt_prune() (or a stage); emptied.
 */
void nvsvm_pt_free_list(struct nvsvm_pt_tree *tree, struct list_head *freed)
{
	struct nvsvm_pt *pt, *tmp;

	list_for_each_entry_safe(pt, tmp, freed, link) {
		list_del(&pt->link);
		nvsvm_pt_free_tree(tree, pt);
	}
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_pt_free_list);

/**
 * nvsvm_pt_lookup() - The leaf that maps an address
 * @tree: The tree.
 * @va: The address.
 * @shift: Set to the leaf's page shift, if it is valid.
 *
 * For tests and debugging; the caller holds the lock that protects leaves.
 *
 * Return: the leaf entry, or 0 if nothing maps @va.
 */
u64 nvsvm_pt_lookup(struct nvsvm_pt_tree *tree, u64 va, unsigned int *shift)
{
	struct nvsvm_pt *pt = tree->root;

	if (va >= NVSVM_PT_VA_END)
		return 0;
	for (;;) {
		unsigned int i = nvsvm_pt_index(va, pt->level);
		u64 entry = nvsvm_pt_read(pt, i);

		if (pt->children && pt->children[i]) {
			pt = pt->children[i];
			continue;
		}
		if (!nvsvm_pte_valid(entry) || pt->level > 1)
			return 0;
		*shift = NVSVM_PT_SHIFT(pt->level);
		return entry;
	}
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_pt_lookup);
