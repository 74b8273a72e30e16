// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

/**
 * DOC: GPU virtual memory
 *
 * Each DRM file has a VM: the GPU page table of the "Page tables" section
 * of nvsvm_regs.h, and the BO mappings userspace made with VM_BIND.
 *
 * Page tables live in system memory the driver allocates coherent for the
 * GPU's device (dma_alloc_coherent()), one 4 KiB table per node, with a
 * CPU-side tree of &struct nvsvm_pt beside them. Tables are allocated as
 * mappings need them and freed with the VM.
 *
 * A bind is staged, then committed: MAP first allocates every table the
 * range needs (the only step that can fail, and which leaves nothing
 * visible to the GPU if it does), then writes the PTEs, then invalidates
 * the GPU's TLBs for the range. UNMAP checks that the range covers whole
 * mappings before it changes anything, clears their PTEs, invalidates,
 * and only then drops the mappings' BO references: once the invalidate has
 * completed no GPU access can reach the pages.
 *
 * The upper half of the VM belongs to the driver, which maps memory of its
 * own there (channel rings) with nvsvm_vm_map_kernel(). The GPU has no
 * privilege levels, so a job can reach those mappings too: they are
 * read-only unless the GPU must write them, and hold nothing of anyone but
 * the file that owns the VM.
 *
 * Locking: &nvsvm_vm.lock protects the page tables and the mapping tree.
 * The TLB invalidate takes &nvsvm_device.mmu_lock inside it.
 */

#include <linux/dma-mapping.h>
#include <linux/interval_tree.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_shmem_helper.h>

#include "nvsvm_device.h"
#include "nvsvm_drm.h"
#include "nvsvm_regs.h"
#include "nvsvm_vm.h"

/**
 * struct nvsvm_pt - One page table (or directory) of a VM
 */
struct nvsvm_pt {
	/** @entries: The table, as the GPU reads it. */
	__le64 *entries;
	/** @dma: Its DMA address. */
	dma_addr_t dma;
	/** @children: Lower-level tables by index; NULL at level 0. */
	struct nvsvm_pt **children;
};

/**
 * struct nvsvm_vm - A GPU address space
 */
struct nvsvm_vm {
	/** @ndev: The device. */
	struct nvsvm_device *ndev;
	/** @lock: Protects @root's tree and @mappings. */
	struct mutex lock;
	/** @root: The level-3 table. Immutable pointer. */
	struct nvsvm_pt *root;
	/** @mappings: &struct nvsvm_vm_mapping by VA. */
	struct rb_root_cached mappings;
};

/**
 * struct nvsvm_vm_mapping - A BO range mapped at a VA range
 */
struct nvsvm_vm_mapping {
	/** @it: VA range, inclusive. */
	struct interval_tree_node it;
	/** @link: On a list of mappings being released. */
	struct list_head link;
	/** @obj: The BO; the mapping holds a reference. */
	struct drm_gem_object *obj;
	/** @bo_offset: Where in the BO the range starts. */
	u64 bo_offset;
	/** @flags: DRM_NVSVM_VM_BIND_*. */
	u32 flags;
};

static struct nvsvm_pt *nvsvm_pt_alloc(struct nvsvm_vm *vm, int level)
{
	struct device *dev = vm->ndev->base.dev;
	struct nvsvm_pt *pt = kzalloc(sizeof(*pt), GFP_KERNEL);

	if (!pt)
		return NULL;
	pt->entries = dma_alloc_coherent(dev, SZ_4K, &pt->dma, GFP_KERNEL);
	if (!pt->entries)
		goto err_free;
	if (level > 0) {
		pt->children = kcalloc(NVSVM_PT_ENTRIES, sizeof(*pt->children), GFP_KERNEL);
		if (!pt->children)
			goto err_free_table;
	}
	return pt;

err_free_table:
	dma_free_coherent(dev, SZ_4K, pt->entries, pt->dma);
err_free:
	kfree(pt);
	return NULL;
}

static void nvsvm_pt_free(struct nvsvm_vm *vm, struct nvsvm_pt *pt, int level)
{
	unsigned int i;

	if (!pt)
		return;
	if (pt->children) {
		for (i = 0; i < NVSVM_PT_ENTRIES; i++)
			nvsvm_pt_free(vm, pt->children[i], level - 1);
		kfree(pt->children);
	}
	dma_free_coherent(vm->ndev->base.dev, SZ_4K, pt->entries, pt->dma);
	kfree(pt);
}

static unsigned int nvsvm_pt_index(u64 va, int level)
{
	return (va >> NVSVM_PT_SHIFT(level)) & (NVSVM_PT_ENTRIES - 1);
}

static u64 nvsvm_pde(dma_addr_t dma)
{
	return (dma & NVSVM_PTE_ADDR) | NVSVM_PTE_APERTURE | NVSVM_PTE_VALID;
}

/* Stage: make sure every table covering [va, end) exists. */
static int nvsvm_vm_pt_prepare(struct nvsvm_vm *vm, u64 va, u64 end)
{
	lockdep_assert_held(&vm->lock);

	while (va < end) {
		struct nvsvm_pt *pt = vm->root;
		int level;

		for (level = NVSVM_PT_LEVELS - 1; level > 0; level--) {
			unsigned int i = nvsvm_pt_index(va, level);

			if (!pt->children[i]) {
				struct nvsvm_pt *child = nvsvm_pt_alloc(vm, level - 1);

				if (!child)
					return -ENOMEM;
				pt->children[i] = child;
				WRITE_ONCE(pt->entries[i], cpu_to_le64(nvsvm_pde(child->dma)));
			}
			pt = pt->children[i];
		}
		/* Next level-0 table. */
		va = (va | (SZ_2M - 1)) + 1;
	}
	return 0;
}

/* The level-0 entry of @va; its tables must exist. */
static __le64 *nvsvm_vm_pte(struct nvsvm_vm *vm, u64 va)
{
	struct nvsvm_pt *pt = vm->root;
	int level;

	for (level = NVSVM_PT_LEVELS - 1; level > 0; level--)
		pt = pt->children[nvsvm_pt_index(va, level)];
	return &pt->entries[nvsvm_pt_index(va, 0)];
}

static int nvsvm_vm_tlb_invalidate(struct nvsvm_vm *vm, u64 va, u64 range)
{
	return nvsvm_device_mmu_invalidate(vm->ndev, vm->root->dma, va, range);
}

static int nvsvm_vm_map(struct nvsvm_vm *vm, struct drm_gem_object *obj,
			u64 bo_offset, u64 va, u64 range, u32 flags)
{
	struct drm_gem_shmem_object *shmem = to_drm_gem_shmem_obj(obj);
	u64 first = bo_offset >> PAGE_SHIFT, count = range >> PAGE_SHIFT;
	struct nvsvm_vm_mapping *m;
	struct sg_dma_page_iter iter;
	struct sg_table *sgt;
	u64 pte_flags, i = 0;
	int ret;

	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	/* Pins the pages and maps them for the GPU, for the BO's lifetime. */
	sgt = drm_gem_shmem_get_pages_sgt(shmem);
	if (IS_ERR(sgt)) {
		ret = PTR_ERR(sgt);
		goto err_free;
	}

	mutex_lock(&vm->lock);
	if (interval_tree_iter_first(&vm->mappings, va, va + range - 1)) {
		ret = -EBUSY;
		goto err_unlock;
	}
	ret = nvsvm_vm_pt_prepare(vm, va, va + range);
	if (ret)
		goto err_unlock;

	/* Commit: nothing below can fail. */
	pte_flags = NVSVM_PTE_VALID | NVSVM_PTE_APERTURE;
	if (flags & DRM_NVSVM_VM_BIND_READ_ONLY)
		pte_flags |= NVSVM_PTE_READ_ONLY;
	for_each_sgtable_dma_page(sgt, &iter, 0) {
		if (i >= first + count)
			break;
		if (i >= first) {
			u64 addr = sg_page_iter_dma_address(&iter);

			WRITE_ONCE(*nvsvm_vm_pte(vm, va + ((i - first) << PAGE_SHIFT)),
				   cpu_to_le64((addr & NVSVM_PTE_ADDR) | pte_flags));
		}
		i++;
	}

	m->it.start = va;
	m->it.last = va + range - 1;
	m->obj = obj;
	m->bo_offset = bo_offset;
	m->flags = flags;
	drm_gem_object_get(obj);
	interval_tree_insert(&m->it, &vm->mappings);

	/* The GPU caches no invalid entry, but a bind is a barrier: say so. */
	nvsvm_vm_tlb_invalidate(vm, va, range);
	mutex_unlock(&vm->lock);
	return 0;

err_unlock:
	mutex_unlock(&vm->lock);
err_free:
	kfree(m);
	return ret;
}

/*
 * Take every mapping in [va, last] out of the VM: clear its PTEs and move it
 * to @gone. The caller invalidates, then calls nvsvm_vm_release().
 */
static void nvsvm_vm_clear(struct nvsvm_vm *vm, u64 va, u64 last,
			   struct list_head *gone)
{
	struct interval_tree_node *it;

	lockdep_assert_held(&vm->lock);
	while ((it = interval_tree_iter_first(&vm->mappings, va, last))) {
		struct nvsvm_vm_mapping *m = container_of(it, struct nvsvm_vm_mapping, it);
		u64 addr;

		for (addr = it->start; addr < it->last; addr += PAGE_SIZE)
			WRITE_ONCE(*nvsvm_vm_pte(vm, addr), 0);
		interval_tree_remove(it, &vm->mappings);
		list_add(&m->link, gone);
	}
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
	nvsvm_vm_tlb_invalidate(vm, va, range);
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
	return nvsvm_pde(vm->root->dma);
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
 * caller owns the range: it must not overlap another kernel mapping, and
 * must unmap it with nvsvm_vm_unmap_kernel() before the memory goes.
 *
 * Return: 0, -EINVAL for a range outside the kernel half, or -ENOMEM.
 */
int nvsvm_vm_map_kernel(struct nvsvm_vm *vm, u64 va, dma_addr_t dma, u64 size,
			bool writable)
{
	u64 pte = NVSVM_PTE_APERTURE | NVSVM_PTE_VALID;
	u64 end, off;
	int ret;

	if (va < DRM_NVSVM_VA_USER_END || !size || !PAGE_ALIGNED(va) ||
	    !PAGE_ALIGNED(size) || !PAGE_ALIGNED(dma) ||
	    check_add_overflow(va, size, &end) || end > BIT_ULL(NVSVM_VA_BITS))
		return -EINVAL;

	if (!writable)
		pte |= NVSVM_PTE_READ_ONLY;

	mutex_lock(&vm->lock);
	ret = nvsvm_vm_pt_prepare(vm, va, end);
	if (!ret) {
		for (off = 0; off < size; off += PAGE_SIZE)
			WRITE_ONCE(*nvsvm_vm_pte(vm, va + off),
				   cpu_to_le64(((dma + off) & NVSVM_PTE_ADDR) | pte));
		nvsvm_vm_tlb_invalidate(vm, va, size);
	}
	mutex_unlock(&vm->lock);
	return ret;
}

/**
 * nvsvm_vm_unmap_kernel() - Undo nvsvm_vm_map_kernel()
 * @vm: The VM.
 * @va: The range's start, as mapped.
 * @size: Its size, as mapped.
 *
 * When this returns no GPU access reaches the memory any more.
 */
void nvsvm_vm_unmap_kernel(struct nvsvm_vm *vm, u64 va, u64 size)
{
	u64 off;

	mutex_lock(&vm->lock);
	for (off = 0; off < size; off += PAGE_SIZE)
		WRITE_ONCE(*nvsvm_vm_pte(vm, va + off), 0);
	nvsvm_vm_tlb_invalidate(vm, va, size);
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

	/* The GPU's base page is the CPU's, as VM_BIND's alignment assumes. */
	BUILD_BUG_ON(PAGE_SIZE != SZ_4K);
	if (!vm)
		return ERR_PTR(-ENOMEM);
	vm->ndev = ndev;
	mutex_init(&vm->lock);
	vm->mappings = RB_ROOT_CACHED;
	vm->root = nvsvm_pt_alloc(vm, NVSVM_PT_LEVELS - 1);
	if (!vm->root) {
		kfree(vm);
		return ERR_PTR(-ENOMEM);
	}
	return vm;
}

/**
 * nvsvm_vm_destroy() - Unmap everything and free a VM
 * @vm: The VM; nothing may use it any more.
 */
void nvsvm_vm_destroy(struct nvsvm_vm *vm)
{
	LIST_HEAD(gone);

	mutex_lock(&vm->lock);
	nvsvm_vm_clear(vm, 0, ULONG_MAX, &gone);
	/* Drop the whole VM from the TLBs before its pages and tables go. */
	nvsvm_vm_tlb_invalidate(vm, 0, 0);
	mutex_unlock(&vm->lock);
	nvsvm_vm_release(&gone);
	nvsvm_pt_free(vm, vm->root, NVSVM_PT_LEVELS - 1);
	mutex_destroy(&vm->lock);
	kfree(vm);
}
