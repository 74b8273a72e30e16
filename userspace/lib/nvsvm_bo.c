// SPDX-License-Identifier: MIT
/* Copyright 2026 The nvsvm authors */

/*
 * Buffer objects and the GPU VM: thin wrappers over BO_CREATE,
 * BO_MMAP_OFFSET, GEM_CLOSE and VM_BIND that return 0 or a negative errno.
 */

#include <errno.h>
#include <stddef.h>
#include <sys/mman.h>
#include <xf86drm.h>

#include "nvsvm.h"
#include "nvsvm_drm.h"

/* The file descriptor is the device's only state these need. */
static int dev_ioctl(struct nvsvm_device *dev, unsigned long request, void *arg)
{
	return drmIoctl(nvsvm_device_fd(dev), request, arg) ? -errno : 0;
}

int nvsvm_bo_create(struct nvsvm_device *dev, uint64_t size, uint32_t *handle,
		    uint64_t *real_size)
{
	struct drm_nvsvm_bo_create args = { .size = size };
	int ret;

	ret = dev_ioctl(dev, DRM_IOCTL_NVSVM_BO_CREATE, &args);
	if (ret)
		return ret;
	*handle = args.handle;
	if (real_size)
		*real_size = args.size;
	return 0;
}

int nvsvm_bo_mmap(struct nvsvm_device *dev, uint32_t handle, uint64_t size, void **ptr)
{
	struct drm_nvsvm_bo_mmap_offset args = { .handle = handle };
	void *p;
	int ret;

	if (size == 0 || size > SIZE_MAX)
		return -EINVAL;
	ret = dev_ioctl(dev, DRM_IOCTL_NVSVM_BO_MMAP_OFFSET, &args);
	if (ret)
		return ret;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, nvsvm_device_fd(dev),
		 (off_t)args.offset);
	if (p == MAP_FAILED)
		return -errno;
	*ptr = p;
	return 0;
}

int nvsvm_bo_close(struct nvsvm_device *dev, uint32_t handle)
{
	struct drm_gem_close args = { .handle = handle };

	return dev_ioctl(dev, DRM_IOCTL_GEM_CLOSE, &args);
}

int nvsvm_vm_map(struct nvsvm_device *dev, uint32_t handle, uint64_t bo_offset,
		 uint64_t va, uint64_t range, uint32_t flags)
{
	struct drm_nvsvm_vm_bind args = {
		.op = DRM_NVSVM_VM_BIND_OP_MAP,
		.flags = flags,
		.handle = handle,
		.bo_offset = bo_offset,
		.va = va,
		.range = range,
	};

	return dev_ioctl(dev, DRM_IOCTL_NVSVM_VM_BIND, &args);
}

int nvsvm_vm_unmap(struct nvsvm_device *dev, uint64_t va, uint64_t range)
{
	struct drm_nvsvm_vm_bind args = {
		.op = DRM_NVSVM_VM_BIND_OP_UNMAP,
		.va = va,
		.range = range,
	};

	return dev_ioctl(dev, DRM_IOCTL_NVSVM_VM_BIND, &args);
}
