// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

/**
 * DOC: GPU virtual memory
 *
 * Each DRM file has a VM: the GPU page tables of the "Page tables" section
 * of nvsvm_regs.h (walked by nvsvm_pt.c, entries encoded by nvsvm_pte.h),
 * the BO mappings userspace made with VM_BIND, and the kernel's own
 * mappings of channel rings. Tables live in system memory the driver
 * allocates coherent for the GPU's device (dma_alloc_coherent()).
 *
 * Every update is staged, then committed (nvsvm_vm_pt_stage(),
 * nvsvm_vm_pt_commit()): the tables a range lacks are allocated first
 * under &nvsvm_vm.lock (the only step that can fail, and which leaves
 * nothing visible to the GPU if it does), then linked and the leaves
 * written under &nvsvm_vm.notifier_lock, which never waits for an
 * allocation. A commit that replaced a valid entry (or a table) is followed
 * by a TLB invalidate before anything replaced is freed.
 *
 * Unmapping zaps the leaves (nvsvm_vm_pt_zap(), under the notifier lock;
 * safe on ranges never mapped), invalidates the GPU's TLBs for the range,
 * and only then drops what was mapped (a mapping's BO reference) and
 * prunes the tables left empty (nvsvm_vm_pt_prune(), which invalidates
 * again before freeing them, since a walk in flight may read them): once
 * the invalidate has completed no GPU access can reach the old pages.
 *
 * An invalidate that does not complete (nvsvm_vm_tlb_invalidate()) cannot
 * be allowed to fail the caller, an mmu notifier among them: it escalates.
 * The VM's channels are stopped (a channel reset drops every translation
 * the GPU cached for the channel's VM), they fail with
 * %DRM_NVSVM_CHANNEL_ERROR_GPU_HANG and -EIO, and the caller goes on to
 * free what they could have reached.
 *
 * The upper half of the VM belongs to the driver, which maps memory of its
 * own there (channel rings) with nvsvm_vm_map_kernel(). The GPU has no
 * privilege levels, so a job can reach those mappings too: they are
 * read-only unless the GPU must write them, and hold nothing of anyone but
 * the file that owns the VM.
 */

/**
 * DOC: VM locking
 *
 * &nvsvm_vm.lock (outer mutex) protects the page-table structure and the
 * BO mappings, and is held across whatever allocates for the VM: staging,
 * fault servicing (hmm_range_fault() included, later), pruning.
 *
 * &nvsvm_vm.notifier_lock (inner mutex) protects the leaves and the links
 * between tables; it is what an mmu notifier callback takes (try-locked
 * when the callback may not block), so nothing allocates memory under it
 * and nothing under it waits on anything that does. To make lockdep hold
 * the driver to that from the start rather than from the first reclaim
 * that happens to race, nvsvm_vm_create() primes it as drm_gpusvm_init()
 * does: the notifier lock is taken inside fs_reclaim, and
 * &nvsvm_device.mmu_lock inside the notifier lock, once, at creation.
 *
 * &nvsvm_device.mmu_lock serialises the MMU invalidate registers. A failed
 * invalidate stops channels under the notifier lock, so &nvsvm_chan.stop_lock
 * nests inside it too (primed when a channel is created).
 *
 * &nvsvm_vm.channels_lock (spinlock) protects the VM's channel list.
 */

#include <linux/dma-mapping.h>
#include <linux/interval_tree.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/scatterlist.h>
#include <linux/sched/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <kunit/visibility.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_print.h>

#include "nvsvm_chan.h"
#include "nvsvm_chan_types.h"
#include "nvsvm_device.h"
#include "nvsvm_drm.h"
#include "nvsvm_pt.h"
#include "nvsvm_pte.h"
#include "nvsvm_regs.h"
#include "nvsvm_svm.h"
#include "nvsvm_vm.h"

static void *nvsvm_vm_pt_table_alloc(void *priv, u64 *addr)
{
	struct nvsvm_vm *vm = priv;
	dma_addr_t dma;
	void *table;

	/* Coherent memory comes zeroed: a new table has no valid entry. */
	table = dma_alloc_coherent(vm->ndev->base.dev, SZ_4K, &dma, GFP_KERNEL);
	if (table)
		*addr = dma;
	return table;
}

static void nvsvm_vm_pt_table_free(void *priv, void *table, u64 addr)
{
	struct nvsvm_vm *vm = priv;

	dma_free_coherent(vm->ndev->base.dev, SZ_4K, table, addr);
}

static const struct nvsvm_pt_ops nvsvm_vm_pt_ops = {
	.alloc = nvsvm_vm_pt_table_alloc,
	.free = nvsvm_vm_pt_table_free,
};

/**
 * nvsvm_vm_pt_stage() - Allocate the page tables a range lacks
 * @vm: The VM; &nvsvm_vm.lock held (until nvsvm_vm_pt_stage_fini()).
 * @st: The stage, on the caller's stack; nvsvm_vm_pt_stage_fini() it
 *      whatever this returns.
 * @va: Start of the range, aligned to 1 << @shift.
 * @size: Its size, a multiple of 1 << @shift.
 * @shift: 12 or 21: the page size of the leaves to be committed.
 *
 * May sleep.
 *
 * Return: 0, -EINVAL for a range the page tables cannot map, or -ENOMEM.
 */
int nvsvm_vm_pt_stage(struct nvsvm_vm *vm, struct nvsvm_pt_stage *st,
		      u64 va, u64 size, unsigned int shift)
{
	nvsvm_vm_assert_held(vm);
	return nvsvm_pt_stage(&vm->pt, st, va, size, shift);
}

/**
 * nvsvm_vm_pt_commit() - Write page-table leaves
 * @vm: The VM; &nvsvm_vm.lock and &nvsvm_vm.notifier_lock held.
 * @st: A stage that covered the range.
 * @va: Start of the range (within the staged one).
 * @size: Its size.
 * @shift: As staged.
 * @ptes: One entry per page (nvsvm_pte_sysmem(), nvsvm_pte_vram()); 0
 *        leaves the page's entry as it is.
 *
 * Never allocates and never sleeps.
 *
 * Return: true if a valid entry was replaced or a table unlinked: the
 * caller must nvsvm_vm_tlb_invalidate() the range before
 * nvsvm_vm_pt_stage_fini().
 */
bool nvsvm_vm_pt_commit(struct nvsvm_vm *vm, struct nvsvm_pt_stage *st, u64 va,
			u64 size, unsigned int shift, const u64 *ptes)
{
	nvsvm_vm_assert_held(vm);
	nvsvm_vm_assert_notifier_held(vm);
	return nvsvm_pt_commit(&vm->pt, st, va, size, shift, ptes);
}

/**
 * nvsvm_vm_pt_stage_fini() - Free what a stage holds
 * @vm: The VM; &nvsvm_vm.lock held, &nvsvm_vm.notifier_lock not.
 * @st: The stage.
 *
 * After the invalidate a commit asked for: frees the staged tables no commit
 * used and the tables commits replaced.
 */
void nvsvm_vm_pt_stage_fini(struct nvsvm_vm *vm, struct nvsvm_pt_stage *st)
{
	nvsvm_vm_assert_held(vm);
	nvsvm_pt_stage_fini(&vm->pt, st);
}

/**
 * nvsvm_vm_pt_zap() - Clear the page-table leaves of a range
 * @vm: The VM; &nvsvm_vm.notifier_lock held.
 * @va: Start of the range.
 * @size: Its size.
 *
 * Never allocates and never sleeps; safe on ranges never populated. A
 * 2 MiB leaf partly in the range is zapped whole.
 *
 * Return: true if anything valid was cleared: the caller must invalidate.
 */
bool nvsvm_vm_pt_zap(struct nvsvm_vm *vm, u64 va, u64 size)
{
	nvsvm_vm_assert_notifier_held(vm);
	return nvsvm_pt_zap(&vm->pt, va, size);
}

/**
 * nvsvm_vm_pt_prune() - Free the page tables left empty in a range
 * @vm: The VM; &nvsvm_vm.lock held, &nvsvm_vm.notifier_lock not (it is
 *      taken to unlink the tables).
 * @va: Start of the range.
 * @size: Its size.
 *
 * Unlinks, invalidates the span of what it unlinked, and frees. May sleep.
 */
void nvsvm_vm_pt_prune(struct nvsvm_vm *vm, u64 va, u64 size)
{
	u64 start, end;
	LIST_HEAD(freed);
	bool pruned;

	nvsvm_vm_assert_held(vm);
	mutex_lock(&vm->notifier_lock);
	pruned = nvsvm_pt_prune(&vm->pt, va, size, &freed, &start, &end);
	mutex_unlock(&vm->notifier_lock);
	if (!pruned)
		return;
	/* A walk in flight may still read the tables: wait for it. */
	nvsvm_vm_tlb_invalidate(vm, start, end - start, true);
	nvsvm_pt_free_list(&vm->pt, &freed);
}

/*
 * Stop every channel of the VM: their resets drop the VM's translations.
 * Takes references one channel at a time, under the list's spinlock, so
 * that nothing is allocated; each channel is visited once per escalation.
 */
static void nvsvm_vm_channels_hang(struct nvsvm_vm *vm)
{
	struct nvsvm_chan *chan;
	u32 seq;

	spin_lock(&vm->channels_lock);
	seq = ++vm->hang_seq;
	spin_unlock(&vm->channels_lock);

	for (;;) {
		struct nvsvm_chan *pos;

		chan = NULL;
		spin_lock(&vm->channels_lock);
		list_for_each_entry(pos, &vm->channels, vm_link) {
			if (pos->hang_seq != seq) {
				pos->hang_seq = seq;
				chan = nvsvm_chan_get(pos);
				break;
			}
		}
		spin_unlock(&vm->channels_lock);
		if (!chan)
			break;
		nvsvm_chan_hang(chan);
		nvsvm_chan_put(chan);
	}
}

/**
 * nvsvm_vm_tlb_invalidate() - Drop the GPU's cached translations of a range
 * @vm: The VM. Any of its locks may be held, none need be.
 * @va: Start of the range.
 * @size: Its size; 0 for the whole VM.
 * @blockable: Whether the caller may sleep for it (an mmu notifier's
 *             mmu_notifier_range_blockable()).
 *
 * The bounded poll of nvsvm_device_mmu_invalidate(). If the GPU does not
 * complete it, the VM's channels are reset (they fail with
 * %DRM_NVSVM_CHANNEL_ERROR_GPU_HANG): either way, when this returns in a
 * blockable context no GPU access can reach what the range mapped before.
 *
 * Return: 0; -EAGAIN if !@blockable and it could not be done without
 * waiting (nothing escalated: retry blockable); -ETIMEDOUT if it escalated.
 */
int nvsvm_vm_tlb_invalidate(struct nvsvm_vm *vm, u64 va, u64 size, bool blockable)
{
	int ret;

	ret = nvsvm_device_mmu_invalidate(vm->ndev, nvsvm_pt_root_addr(&vm->pt),
					  va, size, blockable);
	if (ret != -ETIMEDOUT)
		return ret;

	drm_err_ratelimited(&vm->ndev->base,
			    "MMU invalidate of %#llx+%#llx did not complete: resetting the VM's channels\n",
			    va, size);
	nvsvm_vm_channels_hang(vm);
	return ret;
}

/**
 * nvsvm_vm_chan_add() - Put a channel on its VM's list
 * @vm: The VM.
 * @chan: The channel, before its hardware channel is started.
 */
void nvsvm_vm_chan_add(struct nvsvm_vm *vm, struct nvsvm_chan *chan)
{
	spin_lock(&vm->channels_lock);
	list_add_tail(&chan->vm_link, &vm->channels);
	spin_unlock(&vm->channels_lock);
}

/**
 * nvsvm_vm_chan_remove() - Take a channel off its VM's list
 * @vm: The VM.
 * @chan: The channel, stopped.
 */
void nvsvm_vm_chan_remove(struct nvsvm_vm *vm, struct nvsvm_chan *chan)
{
	spin_lock(&vm->channels_lock);
	list_del_init(&chan->vm_link);
	spin_unlock(&vm->channels_lock);
}

/* Commit @count leaves of 4 KiB at @va from @ptes, under the notifier lock. */
static bool nvsvm_vm_commit_4k(struct nvsvm_vm *vm, struct nvsvm_pt_stage *st,
			       u64 va, unsigned int count, const u64 *ptes)
{
	bool replaced;

	mutex_lock(&vm->notifier_lock);
	replaced = nvsvm_vm_pt_commit(vm, st, va, (u64)count << PAGE_SHIFT,
				      PAGE_SHIFT, ptes);
	mutex_unlock(&vm->notifier_lock);
	return replaced;
}

static int nvsvm_vm_map(struct nvsvm_vm *vm, struct drm_gem_object *obj,
			u64 bo_offset, u64 va, u64 range, u32 flags)
{
	struct drm_gem_shmem_object *shmem = to_drm_gem_shmem_obj(obj);
	u64 first = bo_offset >> PAGE_SHIFT, count = range >> PAGE_SHIFT;
	u32 pte_flags = flags & DRM_NVSVM_VM_BIND_READ_ONLY ? NVSVM_PTE_F_READ_ONLY : 0;
	struct nvsvm_vm_mapping *m;
	struct sg_dma_page_iter iter;
	struct nvsvm_pt_stage st;
	bool replaced = false;
	struct sg_table *sgt;
	u64 chunk_va = va, done = 0;
	unsigned int n = 0;
	u64 *ptes;
	int ret;

	m = kzalloc(sizeof(*m), GFP_KERNEL);
	ptes = kmalloc_array(NVSVM_PT_ENTRIES, sizeof(*ptes), GFP_KERNEL);
	if (!m || !ptes) {
		ret = -ENOMEM;
		goto err_free;
	}
	/* Pins the pages and maps them for the GPU, for the BO's lifetime. */
	sgt = drm_gem_shmem_get_pages_sgt(shmem);
	if (IS_ERR(sgt)) {
		ret = PTR_ERR(sgt);
		goto err_free;
	}

	mutex_lock(&vm->lock);
	/* Under the lock, so that SVM_INIT sees the mapping or this sees the window. */
	ret = nvsvm_svm_check_bind(vm, va, range);
	if (ret)
		goto err_unlock;
	if (interval_tree_iter_first(&vm->mappings, va, va + range - 1)) {
		ret = -EBUSY;
		goto err_unlock;
	}
	ret = nvsvm_vm_pt_stage(vm, &st, va, range, PAGE_SHIFT);
	if (ret)
		goto err_stage_fini;

	/* Commit, a table's worth of leaves at a time: nothing below fails. */
	for_each_sgtable_dma_page(sgt, &iter, first) {
		if (done == count)
			break;
		ptes[n++] = nvsvm_pte_sysmem(sg_page_iter_dma_address(&iter),
					     PAGE_SHIFT, pte_flags);
		if (++done == count || n == NVSVM_PT_ENTRIES) {
			replaced |= nvsvm_vm_commit_4k(vm, &st, chunk_va, n, ptes);
			chunk_va += (u64)n << PAGE_SHIFT;
			n = 0;
		}
	}

	m->it.start = va;
	m->it.last = va + range - 1;
	m->obj = obj;
	m->bo_offset = bo_offset;
	m->flags = flags;
	drm_gem_object_get(obj);
	interval_tree_insert(&m->it, &vm->mappings);

	/* The GPU caches no invalid entry: only a replaced one needs it. */
	if (replaced)
		nvsvm_vm_tlb_invalidate(vm, va, range, true);
	nvsvm_vm_pt_stage_fini(vm, &st);
	mutex_unlock(&vm->lock);
	kfree(ptes);
	return 0;

err_stage_fini:
	nvsvm_vm_pt_stage_fini(vm, &st);
err_unlock:
	mutex_unlock(&vm->lock);
err_free:
	kfree(ptes);
	kfree(m);
	return ret;
}

/*
 * Take every mapping in [va, last] out of the VM: zap its leaves and move
 * it to @gone. The caller invalidates, then calls nvsvm_vm_release().
 */
static void nvsvm_vm_clear(struct nvsvm_vm *vm, u64 va, u64 last,
			   struct list_head *gone)
{
	struct interval_tree_node *it;

	nvsvm_vm_assert_held(vm);
	mutex_lock(&vm->notifier_lock);
	while ((it = interval_tree_iter_first(&vm->mappings, va, last))) {
		struct nvsvm_vm_mapping *m = container_of(it, struct nvsvm_vm_mapping, it);

		nvsvm_vm_pt_zap(vm, it->start, it->last - it->start + 1);
		interval_tree_remove(it, &vm->mappings);
		list_add(&m->link, gone);
	}
	mutex_unlock(&vm->notifier_lock);
}

/* After the invalidate: no GPU access can reach the pages, so they may go. */
static void nvsvm_vm_release(struct list_head *gone)
{
	struct nvsvm_vm_mapping *m, *tmp;

	list_for_each_entry_safe(m, tmp, gone, link) {
		drm_gem_object_put(m->obj);
		kfree(m);
	}
}

static int nvsvm_vm_unmap(struct nvsvm_vm *vm, u64 va, u64 range)
{
	u64 last = va + range - 1;
	struct interval_tree_node *it;
	LIST_HEAD(gone);
	bool found = false;

	mutex_lock(&vm->lock);
	/* Check first: a range that splits a mapping changes nothing. */
	for (it = interval_tree_iter_first(&vm->mappings, va, last); it;
	     it = interval_tree_iter_next(it, va, last)) {
		if (it->start < va || it->last > last) {
			mutex_unlock(&vm->lock);
			return -EINVAL;
		}
		found = true;
	}
	if (!found) {
		mutex_unlock(&vm->lock);
		return -EINVAL;
	}

	nvsvm_vm_clear(vm, va, last, &gone);
	/* Escalates if it cannot complete: the pages may go either way. */
	nvsvm_vm_tlb_invalidate(vm, va, range, true);
	nvsvm_vm_pt_prune(vm, va, range);
	mutex_unlock(&vm->lock);
	nvsvm_vm_release(&gone);
	return 0;
}

int nvsvm_ioctl_vm_bind(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct nvsvm_vm *vm = nvsvm_file_vm(file);
	struct drm_nvsvm_vm_bind *args = data;
	struct drm_gem_object *obj;
	u64 end, bo_end;
	int ret;

	if (args->pad || !args->range ||
	    !PAGE_ALIGNED(args->va) || !PAGE_ALIGNED(args->range) ||
	    !PAGE_ALIGNED(args->bo_offset) ||
	    check_add_overflow(args->va, args->range, &end) ||
	    end > DRM_NVSVM_VA_USER_END)
		return -EINVAL;
	ret = nvsvm_svm_check_caller(vm);
	if (ret)
		return ret;

	switch (args->op) {
	case DRM_NVSVM_VM_BIND_OP_MAP:
		if (args->flags & ~DRM_NVSVM_VM_BIND_READ_ONLY)
			return -EINVAL;
		if (check_add_overflow(args->bo_offset, args->range, &bo_end))
			return -EINVAL;
		obj = drm_gem_object_lookup(file, args->handle);
		if (!obj)
			return -ENOENT;
		if (bo_end > obj->size)
			ret = -EINVAL;
		else
			ret = nvsvm_vm_map(vm, obj, args->bo_offset, args->va,
					   args->range, args->flags);
		drm_gem_object_put(obj);
		return ret;
	case DRM_NVSVM_VM_BIND_OP_UNMAP:
		if (args->flags || args->handle || args->bo_offset)
			return -EINVAL;
		return nvsvm_vm_unmap(vm, args->va, args->range);
	default:
		return -EINVAL;
	}
}

/**
 * nvsvm_vm_pdb() - The VM's page directory base, as an instance block holds it
 * @vm: The VM.
 *
 * Return: the root table's location in the form of a directory entry.
 */
u64 nvsvm_vm_pdb(struct nvsvm_vm *vm)
{
	return nvsvm_pde(nvsvm_pt_root_addr(&vm->pt));
}

/**
 * nvsvm_vm_map_kernel() - Map driver memory in the kernel half of a VM
 * @vm: The VM.
 * @va: Where, page aligned, at or above %DRM_NVSVM_VA_USER_END.
 * @dma: DMA address of physically contiguous system memory, page aligned.
 * @size: Bytes, page aligned, not 0.
 * @writable: Whether the GPU may write the range.
 *
 * For rings and the like that the GPU reaches through the channel's VM. The
 * caller owns the range: it may map it again (to change its permissions),
 * and must unmap it with nvsvm_vm_unmap_kernel() before the memory goes.
 *
 * Return: 0, -EINVAL for a range outside the kernel half, or -ENOMEM.
 */
int nvsvm_vm_map_kernel(struct nvsvm_vm *vm, u64 va, dma_addr_t dma, u64 size,
			bool writable)
{
	u32 flags = writable ? 0 : NVSVM_PTE_F_READ_ONLY;
	struct nvsvm_pt_stage st;
	bool replaced = false;
	u64 end, off;
	u64 *ptes;
	int ret;

	if (va < DRM_NVSVM_VA_USER_END || !size || !PAGE_ALIGNED(va) ||
	    !PAGE_ALIGNED(size) || !PAGE_ALIGNED(dma) ||
	    check_add_overflow(va, size, &end) || end > BIT_ULL(NVSVM_VA_BITS))
		return -EINVAL;

	ptes = kmalloc_array(NVSVM_PT_ENTRIES, sizeof(*ptes), GFP_KERNEL);
	if (!ptes)
		return -ENOMEM;

	mutex_lock(&vm->lock);
	ret = nvsvm_vm_pt_stage(vm, &st, va, size, PAGE_SHIFT);
	for (off = 0; !ret && off < size; off += SZ_2M) {
		unsigned int i, n = min_t(u64, size - off, SZ_2M) >> PAGE_SHIFT;

		for (i = 0; i < n; i++)
			ptes[i] = nvsvm_pte_sysmem(dma + off + ((u64)i << PAGE_SHIFT),
						   PAGE_SHIFT, flags);
		replaced |= nvsvm_vm_commit_4k(vm, &st, va + off, n, ptes);
	}
	if (replaced)
		nvsvm_vm_tlb_invalidate(vm, va, size, true);
	nvsvm_vm_pt_stage_fini(vm, &st);
	mutex_unlock(&vm->lock);
	kfree(ptes);
	return ret;
}

/**
 * nvsvm_vm_unmap_kernel() - Undo nvsvm_vm_map_kernel()
 * @vm: The VM.
 * @va: The range's start, as mapped.
 * @size: Its size, as mapped.
 *
 * When this returns no GPU access reaches the memory any more (if the GPU
 * did not complete the invalidate, the VM's channels were reset).
 */
void nvsvm_vm_unmap_kernel(struct nvsvm_vm *vm, u64 va, u64 size)
{
	bool zapped;

	mutex_lock(&vm->lock);
	mutex_lock(&vm->notifier_lock);
	zapped = nvsvm_vm_pt_zap(vm, va, size);
	mutex_unlock(&vm->notifier_lock);
	if (zapped)
		nvsvm_vm_tlb_invalidate(vm, va, size, true);
	nvsvm_vm_pt_prune(vm, va, size);
	mutex_unlock(&vm->lock);
}

/*
 * Teach lockdep the VM's lock order now, as drm_gpusvm_init() does, rather
 * than when reclaim first races with a notifier: the notifier lock is taken
 * inside reclaim (so nothing under it may allocate), inside the VM lock,
 * and the device's invalidate lock inside it.
 */
static void nvsvm_vm_lockdep_prime(struct nvsvm_vm *vm)
{
	if (!IS_ENABLED(CONFIG_LOCKDEP))
		return;
	fs_reclaim_acquire(GFP_KERNEL);
	might_lock(&vm->notifier_lock);
	fs_reclaim_release(GFP_KERNEL);

	mutex_lock(&vm->lock);
	mutex_lock(&vm->notifier_lock);
	might_lock(&vm->ndev->mmu_lock);
	mutex_unlock(&vm->notifier_lock);
	mutex_unlock(&vm->lock);
}

/**
 * nvsvm_vm_create() - Create a VM
 * @ndev: The device.
 *
 * Return: the VM, or an ERR_PTR().
 */
struct nvsvm_vm *nvsvm_vm_create(struct nvsvm_device *ndev)
{
	struct nvsvm_vm *vm = kzalloc(sizeof(*vm), GFP_KERNEL);
	int ret;

	/* The GPU's base page is the CPU's, as VM_BIND's alignment assumes. */
	BUILD_BUG_ON(PAGE_SIZE != SZ_4K);
	if (!vm)
		return ERR_PTR(-ENOMEM);
	vm->ndev = ndev;
	mutex_init(&vm->lock);
	mutex_init(&vm->notifier_lock);
	spin_lock_init(&vm->channels_lock);
	INIT_LIST_HEAD(&vm->channels);
	vm->mappings = RB_ROOT_CACHED;
	ret = nvsvm_pt_tree_init(&vm->pt, &nvsvm_vm_pt_ops, vm);
	if (ret) {
		mutex_destroy(&vm->notifier_lock);
		mutex_destroy(&vm->lock);
		kfree(vm);
		return ERR_PTR(ret);
	}
	nvsvm_vm_lockdep_prime(vm);
	return vm;
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_vm_create);

/**
 * nvsvm_vm_destroy() - Unmap everything and free a VM
 * @vm: The VM; it has no channels left, and nothing may use it any more.
 */
void nvsvm_vm_destroy(struct nvsvm_vm *vm)
{
	LIST_HEAD(gone);

	WARN_ON(!list_empty(&vm->channels));
	mutex_lock(&vm->lock);
	nvsvm_vm_clear(vm, 0, U64_MAX, &gone);
	/* Drop the whole VM from the TLBs before its pages and tables go. */
	nvsvm_vm_tlb_invalidate(vm, 0, 0, true);
	mutex_unlock(&vm->lock);
	nvsvm_vm_release(&gone);
	nvsvm_pt_tree_fini(&vm->pt);
	mutex_destroy(&vm->notifier_lock);
	mutex_destroy(&vm->lock);
	kfree(vm);
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_vm_destroy);
