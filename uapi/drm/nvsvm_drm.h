/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The nvsvm authors
 */
#ifndef _NVSVM_DRM_H_
#define _NVSVM_DRM_H_

#include "drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

/**
 * DOC: Introduction
 *
 * This is the userspace API of nvsvm, a DRM driver that shares a process's
 * virtual address space with a GPU through HMM. The GPU is emulated in the
 * kernel module, behind the same register/ring/interrupt interface a real
 * backend would have; nothing in this API depends on that.
 *
 * The device is a render node whose driver name, as the DRM version ioctl
 * reports it, is "nvsvm". The version's major.minor tells which ioctls and
 * parameters exist: the minor is bumped each time something is appended.
 *
 * Rules every structure here follows:
 *
 * - All structures are 64-bit aligned and have no implicit padding: padding
 *   is an explicit field named pad (or pad<N>) that userspace must zero. A
 *   non-zero pad is rejected with -EINVAL, so that it can later be given a
 *   meaning without breaking old userspace.
 * - Pointers to userspace memory are passed as __u64.
 * - Every flags field is checked: an unknown flag is rejected with -EINVAL.
 * - Sizes and ranges are checked for overflow.
 * - Structures and enumerations are only ever appended to; nothing is
 *   renumbered, reordered or removed. The DRM core zero-extends a structure
 *   that older userspace passes shorter than the kernel's, so a new field
 *   must treat zero as "the old behaviour".
 * - Value 0 of an enumeration is never valid, so that a structure that was
 *   not filled in is rejected.
 */

/**
 * DOC: ioctl numbers
 *
 * Driver ioctls are numbered from DRM_COMMAND_BASE; an ioctl number the
 * driver does not know is rejected by the DRM core with -EINVAL.
 */
enum drm_nvsvm_ioctl_id {
	/** @DRM_NVSVM_GET_PARAM: Query a device parameter. */
	DRM_NVSVM_GET_PARAM = 0,

	/** @DRM_NVSVM_BO_CREATE: Create a buffer object (minor 1). */
	DRM_NVSVM_BO_CREATE = 1,

	/** @DRM_NVSVM_BO_MMAP_OFFSET: Get a BO's fake offset for mmap (minor 1). */
	DRM_NVSVM_BO_MMAP_OFFSET = 2,

	/** @DRM_NVSVM_VM_BIND: Map or unmap a BO in the GPU VM (minor 1). */
	DRM_NVSVM_VM_BIND = 3,
};

/**
 * enum drm_nvsvm_param - Parameters readable with DRM_IOCTL_NVSVM_GET_PARAM
 *
 * The values come from the GPU's identity registers, read when the device
 * was probed.
 */
enum drm_nvsvm_param {
	/** @DRM_NVSVM_PARAM_CHIPSET_ID: Chipset id (architecture << 20 | implementation). */
	DRM_NVSVM_PARAM_CHIPSET_ID = 1,

	/** @DRM_NVSVM_PARAM_VRAM_SIZE: VRAM size in bytes. */
	DRM_NVSVM_PARAM_VRAM_SIZE = 2,

	/** @DRM_NVSVM_PARAM_SM_COUNT: Number of streaming multiprocessors. */
	DRM_NVSVM_PARAM_SM_COUNT = 3,

	/** @DRM_NVSVM_PARAM_CE_COUNT: Number of copy engines. */
	DRM_NVSVM_PARAM_CE_COUNT = 4,

	/**
	 * @DRM_NVSVM_PARAM_VA_BITS: Width of a GPU virtual address. GPU and
	 * CPU addresses are the same: a GPU access to address A is an access
	 * to the process's address A.
	 */
	DRM_NVSVM_PARAM_VA_BITS = 5,

	/**
	 * @DRM_NVSVM_PARAM_PAGE_SIZES: Page sizes the GPU MMU maps, as a
	 * bitmask of sizes in bytes (bit N set: pages of 1 << N bytes).
	 */
	DRM_NVSVM_PARAM_PAGE_SIZES = 6,
};

/**
 * struct drm_nvsvm_get_param - Argument of DRM_IOCTL_NVSVM_GET_PARAM
 *
 * Errors: -EINVAL for an unknown @param, a non-zero @flags or @pad;
 * -EFAULT if the argument cannot be read or written; -ENODEV once the
 * device is gone.
 */
struct drm_nvsvm_get_param {
	/** @param: In: which parameter, one of &enum drm_nvsvm_param. */
	__u32 param;

	/** @flags: In: must be zero; no flags are defined yet. */
	__u32 flags;

	/** @value: Out: the parameter's value. */
	__u64 value;

	/** @pad: Reserved for future use, must be zero. */
	__u64 pad;
};

/**
 * DOC: Buffer objects
 *
 * A buffer object (BO) is system memory the GPU can map: shmem-backed,
 * pageable while it is not mapped in a GPU VM, mappable by the CPU through
 * mmap() of the DRM file at the offset DRM_IOCTL_NVSVM_BO_MMAP_OFFSET
 * returns. Handles are per file and released with DRM_IOCTL_GEM_CLOSE.
 */

/**
 * struct drm_nvsvm_bo_create - Argument of DRM_IOCTL_NVSVM_BO_CREATE
 *
 * Errors: -EINVAL for a zero @size, a @size that overflows when rounded up
 * to the page size, or non-zero @flags; -ENOMEM when the memory cannot be
 * reserved.
 */
struct drm_nvsvm_bo_create {
	/**
	 * @size: In: bytes wanted, not 0. Out: the BO's size, rounded up to
	 * the CPU page size.
	 */
	__u64 size;

	/** @flags: In: must be zero; no flags are defined yet. */
	__u32 flags;

	/** @handle: Out: the BO's handle. */
	__u32 handle;
};

/**
 * struct drm_nvsvm_bo_mmap_offset - Argument of DRM_IOCTL_NVSVM_BO_MMAP_OFFSET
 *
 * Errors: -ENOENT for an unknown @handle; -EINVAL for a non-zero @pad.
 */
struct drm_nvsvm_bo_mmap_offset {
	/** @handle: In: the BO. */
	__u32 handle;

	/** @pad: Must be zero. */
	__u32 pad;

	/** @offset: Out: pass it to mmap() on the DRM file. */
	__u64 offset;
};

/**
 * DOC: GPU virtual memory
 *
 * Each DRM file has one GPU address space (VM) of 48 bits, in which GPU
 * virtual addresses are what the CPU's are for the process. Userspace maps
 * BOs in its lower half, below %DRM_NVSVM_VA_USER_END (the CPU's user
 * address range); the upper half belongs to the kernel.
 *
 * DRM_IOCTL_NVSVM_VM_BIND maps a page-aligned range of a BO at a
 * page-aligned VA, or unmaps what is mapped at a range. Binds are
 * synchronous: when the ioctl returns the GPU sees the new mapping, or no
 * longer sees the old one. A mapping holds a reference on its BO.
 */
#define DRM_NVSVM_VA_USER_END		0x800000000000ULL	/* 2^47 */

/**
 * enum drm_nvsvm_vm_bind_op - What DRM_IOCTL_NVSVM_VM_BIND does
 */
enum drm_nvsvm_vm_bind_op {
	/** @DRM_NVSVM_VM_BIND_OP_MAP: Map a BO range. */
	DRM_NVSVM_VM_BIND_OP_MAP = 1,

	/** @DRM_NVSVM_VM_BIND_OP_UNMAP: Unmap whole mappings in a range. */
	DRM_NVSVM_VM_BIND_OP_UNMAP = 2,
};

/**
 * enum drm_nvsvm_vm_bind_flags - Flags of a MAP
 */
enum drm_nvsvm_vm_bind_flags {
	/**
	 * @DRM_NVSVM_VM_BIND_READ_ONLY: The GPU may read the range but not
	 * write it (a write or atomic faults).
	 */
	DRM_NVSVM_VM_BIND_READ_ONLY = 1 << 0,
};

/**
 * struct drm_nvsvm_vm_bind - Argument of DRM_IOCTL_NVSVM_VM_BIND
 *
 * MAP maps [@bo_offset, @bo_offset + @range) of BO @handle at [@va, @va +
 * @range); the VA range must be free. UNMAP removes the mappings in [@va,
 * @va + @range), which must cover each of them whole (no mapping is split)
 * and at least one.
 *
 * Errors: -EINVAL for an unknown @op or flag, a non-zero @pad, an unused
 * field that is not zero (UNMAP: @handle, @bo_offset, @flags), a @va,
 * @bo_offset or @range not page aligned, a zero @range, a range that wraps
 * or ends above %DRM_NVSVM_VA_USER_END, a BO range beyond the BO, or an
 * UNMAP range that splits a mapping or holds none; -ENOENT for an unknown
 * @handle; -EBUSY if a MAP range overlaps a mapping; -ENOMEM.
 */
struct drm_nvsvm_vm_bind {
	/** @op: DRM_NVSVM_VM_BIND_OP_*. */
	__u32 op;

	/** @flags: MAP: DRM_NVSVM_VM_BIND_*; UNMAP: must be zero. */
	__u32 flags;

	/** @handle: MAP: the BO; UNMAP: must be zero. */
	__u32 handle;

	/** @pad: Must be zero. */
	__u32 pad;

	/** @bo_offset: MAP: where in the BO the range starts; UNMAP: zero. */
	__u64 bo_offset;

	/** @va: GPU virtual address of the range. */
	__u64 va;

	/** @range: Size of the range in bytes. */
	__u64 range;
};

/**
 * DRM_IOCTL_NVSVM - Build an nvsvm ioctl number
 * @__access: Access type. Must be R, W or RW.
 * @__id: One of &enum drm_nvsvm_ioctl_id, without the DRM_NVSVM_ prefix.
 * @__type: Suffix of the type used for the ioctl argument.
 */
#define DRM_IOCTL_NVSVM(__access, __id, __type) \
	DRM_IO ## __access(DRM_COMMAND_BASE + DRM_NVSVM_ ## __id, \
			   struct drm_nvsvm_ ## __type)

enum {
	DRM_IOCTL_NVSVM_GET_PARAM = DRM_IOCTL_NVSVM(WR, GET_PARAM, get_param),
	DRM_IOCTL_NVSVM_BO_CREATE = DRM_IOCTL_NVSVM(WR, BO_CREATE, bo_create),
	DRM_IOCTL_NVSVM_BO_MMAP_OFFSET = DRM_IOCTL_NVSVM(WR, BO_MMAP_OFFSET, bo_mmap_offset),
	DRM_IOCTL_NVSVM_VM_BIND = DRM_IOCTL_NVSVM(W, VM_BIND, vm_bind),
};

#if defined(__cplusplus)
}
#endif

#endif /* _NVSVM_DRM_H_ */
