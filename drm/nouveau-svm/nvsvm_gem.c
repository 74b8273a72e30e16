// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

/**
 * DOC: Buffer objects
 *
 * Buffer objects are GEM shmem objects: pageable system memory, mappable by
 * the CPU through the DRM file, and by the GPU once mapped in a VM
 * (nvsvm_vm.c), which pins their pages and DMA-maps them for the GPU's
 * device for as long as the object lives.
 */

#include <linux/mm.h>
#include <linux/overflow.h>

#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_vma_manager.h>

#include "nvsvm_drm.h"
#include "nvsvm_gem.h"

int nvsvm_ioctl_bo_create(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct drm_nvsvm_bo_create *args = data;
	struct drm_gem_shmem_object *shmem;
	u64 size;
	int ret;

	if (args->flags || !args->size)
		return -EINVAL;
	if (check_add_overflow(args->size, (u64)PAGE_SIZE - 1, &size))
		return -EINVAL;
	size &= PAGE_MASK;
	/*
	 * A BO gets its mmap offset at creation, from the device's offset
	 * space (just under 1 TiB): one larger never fits. Say so for every
	 * such size, rather than -EINVAL from shmem for sizes past 2^63.
	 */
	if (size > (u64)DRM_FILE_PAGE_OFFSET_SIZE << PAGE_SHIFT)
		return -ENOSPC;

	shmem = drm_gem_shmem_create(drm, size);
	if (IS_ERR(shmem))
		return PTR_ERR(shmem);

	ret = drm_gem_handle_create(file, &shmem->base, &args->handle);
	/* The handle holds the reference now, or creating it failed. */
	drm_gem_object_put(&shmem->base);
	if (ret)
		return ret;

	args->size = size;
	return 0;
}

int nvsvm_ioctl_bo_mmap_offset(struct drm_device *drm, void *data,
			       struct drm_file *file)
{
	struct drm_nvsvm_bo_mmap_offset *args = data;
	struct drm_gem_object *obj;
	int ret;

	if (args->pad)
		return -EINVAL;

	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;

	ret = drm_gem_create_mmap_offset(obj);
	if (!ret)
		args->offset = drm_vma_node_offset_addr(&obj->vma_node);
	drm_gem_object_put(obj);
	return ret;
}
