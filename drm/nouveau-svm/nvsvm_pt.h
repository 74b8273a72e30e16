/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Copyright 2026 The nvsvm authors */
#ifndef __NVSVM_PT_H__
#define __NVSVM_PT_H__

#include <linux/list.h>
#include <linux/types.h>

#include "nvsvm_regs.h"

/**
 * struct nvsvm_pt - One table of a page-table tree
 *
 * The walker's bookkeeping beside the 512 entries the GPU reads. Nodes are
 * private to nvsvm_pt.c; the locks of the tree's owner protect them (see
 * &struct nvsvm_pt_tree).
 */
struct nvsvm_pt {
	/** @entries: The table as the GPU reads it, 4 KiB. */
	__le64 *entries;
	/** @addr: Its GPU (DMA) address. */
	u64 addr;
	/**
	 * @children: For a table above level 0, the table each entry points
	 * to, or NULL (an invalid entry, or at level 1 a 2 MiB leaf). NULL at
	 * level 0.
	 */
	struct nvsvm_pt **children;
	/** @link: On a stage's pool or replaced list, or a list being freed. */
	struct list_head link;
	/** @used: Valid entries (leaves and directory entries) in @entries. */
	u16 used;
	/** @level: 0 (4 KiB leaves) to NVSVM_PT_LEVELS - 1 (the root). */
	u8 level;
};

/**
 * struct nvsvm_pt_ops - Where a tree's tables come from
 *
 * The VM allocates tables in coherent DMA memory for the GPU; tests hand
 * out ordinary memory, and count.
 */
struct nvsvm_pt_ops {
	/**
	 * @alloc: Return a zeroed, 4 KiB aligned table of 4 KiB and set
	 * *@addr to the address the GPU reaches it at, or return NULL. May
	 * sleep; called only from nvsvm_pt_tree_init() and nvsvm_pt_stage().
	 */
	void *(*alloc)(void *priv, u64 *addr);
	/** @free: Free a table @alloc returned. Never sleeps. */
	void (*free)(void *priv, void *table, u64 addr);
};

/**
 * struct nvsvm_pt_tree - A page-table tree
 *
 * The walker takes no lock: its owner serialises it. With the VM's locks
 * (see nvsvm_vm_types.h), stage under the outer lock; commit, zap and the
 * unlinking half of prune under the inner one, with the outer lock held
 * too by commit and prune, which change the structure. Nothing but
 * nvsvm_pt_tree_init() and nvsvm_pt_stage() allocates memory.
 */
struct nvsvm_pt_tree {
	/** @ops: Table allocator. Immutable. */
	const struct nvsvm_pt_ops *ops;
	/** @priv: For @ops. Immutable. */
	void *priv;
	/** @root: The level-3 table. Immutable. */
	struct nvsvm_pt *root;
	/** @tables: Tables linked in the tree, the root included. */
	unsigned long tables;
};

/**
 * struct nvsvm_pt_stage - Tables allocated ahead of a commit
 *
 * Lives on the caller's stack between nvsvm_pt_stage() and
 * nvsvm_pt_stage_fini(); its contents are the walker's.
 */
struct nvsvm_pt_stage {
	/** @pool: Tables not linked yet, by level (the root's level has none). */
	struct list_head pool[NVSVM_PT_LEVELS - 1];
	/** @replaced: Tables a commit unlinked, freed by nvsvm_pt_stage_fini(). */
	struct list_head replaced;
};

int nvsvm_pt_tree_init(struct nvsvm_pt_tree *tree, const struct nvsvm_pt_ops *ops,
		       void *priv);
void nvsvm_pt_tree_fini(struct nvsvm_pt_tree *tree);

int nvsvm_pt_stage(struct nvsvm_pt_tree *tree, struct nvsvm_pt_stage *st,
		   u64 va, u64 size, unsigned int shift);
bool nvsvm_pt_commit(struct nvsvm_pt_tree *tree, struct nvsvm_pt_stage *st,
		     u64 va, u64 size, unsigned int shift, const u64 *ptes);
void nvsvm_pt_stage_fini(struct nvsvm_pt_tree *tree, struct nvsvm_pt_stage *st);

bool nvsvm_pt_zap(struct nvsvm_pt_tree *tree, u64 va, u64 size);
bool nvsvm_pt_prune(struct nvsvm_pt_tree *tree, u64 va, u64 size,
		    struct list_head *freed, u64 *span_start, u64 *span_end);
void nvsvm_pt_free_list(struct nvsvm_pt_tree *tree, struct list_head *freed);

u64 nvsvm_pt_lookup(struct nvsvm_pt_tree *tree, u64 va, unsigned int *shift);

/* The root table's address, for the PDB. */
static inline u64 nvsvm_pt_root_addr(const struct nvsvm_pt_tree *tree)
{
	return tree->root->addr;
}

#endif /* __NVSVM_PT_H__ */
