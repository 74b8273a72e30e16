/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Copyright 2026 The nvsvm authors */
#ifndef __NVSVM_VM_TYPES_H__
#define __NVSVM_VM_TYPES_H__

#include <linux/interval_tree.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rbtree.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "nvsvm_pt.h"

struct drm_gem_object;
struct nvsvm_device;
struct nvsvm_svm;

/**
 * struct nvsvm_vm - A GPU address space
 *
 * Locking, outermost first (nvsvm_vm.c's DOC has the why):
 *
 * - @lock (mutex): the page-table structure (allocating, linking and
 *   pruning tables), the BO mappings, and whatever is serviced per VM
 *   (held across fault servicing, hmm_range_fault() included). Memory may
 *   be allocated under it.
 * - @notifier_lock (mutex): the page tables' leaves (writes, zaps), the
 *   linking and unlinking of tables (under @lock too), and SVM range
 *   validity. The only lock an mmu notifier callback takes (a trylock when
 *   it may not block). Nothing allocates memory under it, which lockdep
 *   knows from the VM's creation on (nvsvm_vm_create() primes it against
 *   fs_reclaim). &nvsvm_device.mmu_lock nests inside it.
 * - @channels_lock (spinlock): @channels. Taken inside either of the
 *   above, and nothing is taken inside it.
 *
 * nvsvm_vm_assert_held() and nvsvm_vm_assert_notifier_held() check the
 * rules in code.
 */
struct nvsvm_vm {
	/** @ndev: The device. Immutable. */
	struct nvsvm_device *ndev;

	/** @lock: The outer lock, see above. */
	struct mutex lock;

	/** @notifier_lock: The inner lock, see above. */
	struct mutex notifier_lock;

	/**
	 * @pt: The page tables. Structure protected by @lock and
	 * @notifier_lock together (either one to walk it), leaves by
	 * @notifier_lock. Its root is immutable.
	 */
	struct nvsvm_pt_tree pt;

	/** @mappings: &struct nvsvm_vm_mapping by VA. Protected by @lock. */
	struct rb_root_cached mappings;

	/**
	 * @svm: The mirror of a process's address space, once SVM_INIT made
	 * one (nvsvm_svm.c). Set once under @lock (with a release: read it
	 * with an acquire), cleared when the VM goes.
	 */
	struct nvsvm_svm *svm;

	/**
	 * @chan_users: Channels created or being created in the VM, so that
	 * SVM_INIT (which needs none) and CHANNEL_ALLOC (which decides the
	 * channel's mode from @svm) exclude each other. Protected by @lock.
	 */
	unsigned int chan_users;

	/** @channels_lock: Protects @channels and @hang_seq. */
	spinlock_t channels_lock;

	/**
	 * @channels: The VM's channels (&nvsvm_chan.vm_link), which an
	 * invalidate that does not complete resets, and by which faults are
	 * attributed to the VM. Protected by @channels_lock.
	 */
	struct list_head channels;

	/**
	 * @hang_seq: Counts the escalations of a failed invalidate, to visit
	 * each channel once per escalation. Protected by @channels_lock.
	 */
	u32 hang_seq;
};

/**
 * struct nvsvm_vm_mapping - A BO range mapped at a VA range
 *
 * Protected by &nvsvm_vm.lock while in &nvsvm_vm.mappings; owned by the
 * unmapping thread once taken out.
 */
struct nvsvm_vm_mapping {
	/** @it: VA range, inclusive. */
	struct interval_tree_node it;
	/** @link: On a list of mappings being released. */
	struct list_head link;
	/** @obj: The BO; the mapping holds a reference. Immutable. */
	struct drm_gem_object *obj;
	/** @bo_offset: Where in the BO the range starts. Immutable. */
	u64 bo_offset;
	/** @flags: DRM_NVSVM_VM_BIND_*. Immutable. */
	u32 flags;
};

#endif /* __NVSVM_VM_TYPES_H__ */
