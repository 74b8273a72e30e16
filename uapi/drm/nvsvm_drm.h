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
};

#if defined(__cplusplus)
}
#endif

#endif /* _NVSVM_DRM_H_ */
