/* SPDX-License-Identifier: MIT */
/* Copyright 2026 The nvsvm authors */
#ifndef NVSVM_H
#define NVSVM_H

/*
 * libnvsvm: userspace side of the nvsvm DRM driver.
 *
 * Every function that can fail returns 0 or a negative errno.
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct nvsvm_device;

/** Identity of a GPU, from GET_PARAM. */
struct nvsvm_device_info {
	uint32_t chipset;	/* architecture << 20 | implementation */
	uint64_t vram_size;	/* bytes */
	uint32_t sm_count;
	uint32_t ce_count;
	uint32_t va_bits;
	uint32_t page_sizes;	/* bit N: pages of 1 << N bytes */
	int version_major;	/* of the driver's uAPI */
	int version_minor;
	int version_patchlevel;
};

/* Number of nvsvm GPUs (render nodes) on the system, or a negative errno. */
int nvsvm_device_count(void);

/*
 * Open the nvsvm GPU @index (0-based, in render-node order).
 * -ENODEV if there is no such GPU.
 */
int nvsvm_device_open(int index, struct nvsvm_device **out);
void nvsvm_device_close(struct nvsvm_device *dev);

/* The open render node's file descriptor and path. */
int nvsvm_device_fd(const struct nvsvm_device *dev);
const char *nvsvm_device_node(const struct nvsvm_device *dev);

/* One DRM_NVSVM_PARAM_* value. */
int nvsvm_device_get_param(struct nvsvm_device *dev, uint32_t param, uint64_t *value);

/* All of them, and the driver's version. */
int nvsvm_device_query_info(struct nvsvm_device *dev, struct nvsvm_device_info *info);

/*
 * Buffer objects: shmem-backed system memory the GPU can map, named by a
 * per-file handle (see the "Buffer objects" section of nvsvm_drm.h).
 */

/*
 * Create a BO of at least @size bytes (not 0). On success *@handle names it
 * and, if @real_size is not NULL, *@real_size is its size rounded up to the
 * CPU page size. -EINVAL for a zero size or one that overflows when rounded.
 */
int nvsvm_bo_create(struct nvsvm_device *dev, uint64_t size, uint32_t *handle,
		    uint64_t *real_size);

/*
 * Map the first @size bytes of BO @handle for the CPU, readable and
 * writable, shared with every other mapping of it; *@ptr receives the
 * address. Release it with munmap(*ptr, size). The mapping holds the BO:
 * it stays usable after nvsvm_bo_close(). -ENOENT for an unknown handle.
 */
int nvsvm_bo_mmap(struct nvsvm_device *dev, uint32_t handle, uint64_t size, void **ptr);

/*
 * Release the handle (DRM_IOCTL_GEM_CLOSE). The BO itself lives on while a
 * CPU mapping or a GPU VM mapping holds it. Fails for an unknown handle.
 */
int nvsvm_bo_close(struct nvsvm_device *dev, uint32_t handle);

/*
 * GPU virtual memory: each open device has one VM, in which a GPU address
 * is the process's address; userspace maps below DRM_NVSVM_VA_USER_END.
 * Binds are synchronous. Addresses, offsets and ranges are page aligned.
 */

/*
 * Map [@bo_offset, @bo_offset + @range) of BO @handle at [@va, @va + @range)
 * in the device's VM; @flags are DRM_NVSVM_VM_BIND_* (READ_ONLY). The VA
 * range must be free (-EBUSY otherwise). The mapping holds the BO.
 */
int nvsvm_vm_map(struct nvsvm_device *dev, uint32_t handle, uint64_t bo_offset,
		 uint64_t va, uint64_t range, uint32_t flags);

/*
 * Remove the mappings in [@va, @va + @range): the range must cover each of
 * them whole, and at least one (-EINVAL otherwise).
 */
int nvsvm_vm_unmap(struct nvsvm_device *dev, uint64_t va, uint64_t range);

#ifdef __cplusplus
}
#endif

#endif /* NVSVM_H */
