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

	/** @DRM_NVSVM_CHANNEL_ALLOC: Create a channel (minor 2). */
	DRM_NVSVM_CHANNEL_ALLOC = 4,

	/** @DRM_NVSVM_CHANNEL_FREE: Destroy a channel (minor 2). */
	DRM_NVSVM_CHANNEL_FREE = 5,

	/** @DRM_NVSVM_EXEC: Submit a job to a channel (minor 2). */
	DRM_NVSVM_EXEC = 6,

	/** @DRM_NVSVM_CHANNEL_GET_ERROR: Ask why a channel failed (minor 2). */
	DRM_NVSVM_CHANNEL_GET_ERROR = 7,

	/** @DRM_NVSVM_SVM_INIT: Mirror the process's address space (minor 3). */
	DRM_NVSVM_SVM_INIT = 8,

	/** @DRM_NVSVM_WAIT_USER_FENCE: Wait for a value in memory (minor 3). */
	DRM_NVSVM_WAIT_USER_FENCE = 9,
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

	/**
	 * @DRM_NVSVM_PARAM_CHANNEL_COUNT: Number of hardware channels, shared
	 * by every open file of the GPU (minor 2).
	 */
	DRM_NVSVM_PARAM_CHANNEL_COUNT = 7,

	/**
	 * @DRM_NVSVM_PARAM_CHANNELS_PER_FILE: The most channels one open file
	 * may hold at once, so that no file takes every hardware channel
	 * (minor 3).
	 */
	DRM_NVSVM_PARAM_CHANNELS_PER_FILE = 8,
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
 * mappable by the CPU through mmap() of the DRM file at the offset
 * DRM_IOCTL_NVSVM_BO_MMAP_OFFSET returns. Its pages are allocated when it
 * is first mapped in a GPU VM and stay pinned, resident and DMA-mapped
 * from then until the BO is freed; until then they are ordinary, pageable
 * shmem. Handles are per file and released with DRM_IOCTL_GEM_CLOSE.
 */

/**
 * struct drm_nvsvm_bo_create - Argument of DRM_IOCTL_NVSVM_BO_CREATE
 *
 * Errors: -EINVAL for a zero @size, a @size that overflows when rounded up
 * to the page size, or non-zero @flags; -ENOSPC when the BO does not fit
 * in what is left of the device's mmap offset space (1 TiB shared by the
 * device's BOs, so a BO of 1 TiB or more never fits); -ENOMEM when the
 * memory cannot be reserved.
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
 * DOC: Channels and jobs
 *
 * A channel is a queue of GPU work in the file's VM. DRM_IOCTL_NVSVM_CHANNEL_ALLOC
 * creates one and returns its id, which is per file and never 0; the GPU
 * has a fixed number of hardware channels, shared by every file, and one
 * file may hold at most %DRM_NVSVM_PARAM_CHANNELS_PER_FILE of them.
 *
 * DRM_IOCTL_NVSVM_EXEC submits a job: push buffers (arrays of methods, see
 * docs/hardware.md) that the GPU fetches through the VM at the GPU VAs
 * given, in the user half of the VM. The job starts once every in-sync has
 * signalled; its fence signals once every method of its push buffers has
 * completed, and replaces the fence of every out-sync. Jobs of one channel
 * run in submission order, one after another; channels run concurrently.
 * A job with no push buffer is a marker: it signals once the channel's
 * earlier jobs have.
 *
 * Syncs are DRM syncobjs (DRM_IOCTL_SYNCOBJ_*). A sync with point 0 names
 * a binary syncobj; a non-zero point names that point of a timeline
 * syncobj.
 *
 * A job that fails stops its channel for good. Its fence signals with an
 * error:
 *
 * - -EFAULT: a GPU access hit an address the VM does not map, or does not
 *   map for that access (a write to a read-only mapping);
 * - -ETIMEDOUT: a compute launch ran longer than the GPU's watchdog
 *   allows, or the job did not complete within the driver's job timeout
 *   (the nvsvm module parameter job_timeout_ms; for instance a semaphore
 *   acquire that is never satisfied);
 * - -EIO: an illegal instruction, a misaligned access, a division by zero,
 *   or a malformed push buffer.
 *
 * The channel's later jobs, and jobs running when the channel is freed or
 * the device goes away, signal with -ECANCELED (-ENODEV for the device).
 * EXEC on a failed channel fails with -ECANCELED. The error of a fence can
 * be read by exporting the syncobj as a sync file
 * (DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE) and asking it with
 * SYNC_IOC_FILE_INFO; DRM_IOCTL_NVSVM_CHANNEL_GET_ERROR tells what went
 * wrong and where. Freeing the channel and allocating a new one is the
 * way to go on.
 *
 * In a VM of buffer objects the GPU cannot page: memory a running job uses
 * must stay mapped until the job's fence signals. Unmapping it earlier
 * makes the job fail with -EFAULT, never the kernel. In an SVM VM (see
 * "Shared virtual memory" below) the GPU faults and the kernel services
 * the faults, and jobs complete through user fences instead of syncobjs.
 */

/**
 * struct drm_nvsvm_channel_alloc - Argument of DRM_IOCTL_NVSVM_CHANNEL_ALLOC
 *
 * A channel allocated in an SVM VM (after DRM_IOCTL_NVSVM_SVM_INIT) runs in
 * fault mode, see "Shared virtual memory".
 *
 * Errors: -EINVAL for non-zero @flags; -ENOSPC when every hardware channel
 * of the GPU is in use, or the file already holds
 * %DRM_NVSVM_PARAM_CHANNELS_PER_FILE channels; -EBADF when the file's VM
 * mirrors another process; -EIO when the GPU is wedged (a channel reset
 * never completed: only unbinding and rebinding the device helps);
 * -ENOMEM.
 */
struct drm_nvsvm_channel_alloc {
	/** @flags: In: must be zero; no flags are defined yet. */
	__u32 flags;

	/** @channel: Out: the channel's id, not 0. */
	__u32 channel;
};

/**
 * struct drm_nvsvm_channel_free - Argument of DRM_IOCTL_NVSVM_CHANNEL_FREE
 *
 * Stops the channel: jobs still queued or running signal with -ECANCELED.
 * Closing the DRM file frees every channel it has.
 *
 * Errors: -EINVAL for a non-zero @pad; -ENOENT for an unknown @channel.
 */
struct drm_nvsvm_channel_free {
	/** @channel: In: the channel. */
	__u32 channel;

	/** @pad: Must be zero. */
	__u32 pad;
};

/* The most push buffers in one job, and of in-syncs and out-syncs each. */
#define DRM_NVSVM_EXEC_MAX_PUSHES	64
#define DRM_NVSVM_EXEC_MAX_SYNCS	64

/* The most dwords in one push buffer. */
#define DRM_NVSVM_PUSH_MAX_DWORDS	0x100000	/* 2^20 */

/**
 * struct drm_nvsvm_push - A push buffer of a job
 */
struct drm_nvsvm_push {
	/** @va: GPU VA of the first method, 4-byte aligned. */
	__u64 va;

	/** @dwords: Length in dwords, 1..%DRM_NVSVM_PUSH_MAX_DWORDS. */
	__u32 dwords;

	/** @flags: Must be zero; no flags are defined yet. */
	__u32 flags;
};

/**
 * struct drm_nvsvm_sync - A syncobj a job waits for or signals
 */
struct drm_nvsvm_sync {
	/** @handle: The syncobj. */
	__u32 handle;

	/** @flags: Must be zero; no flags are defined yet. */
	__u32 flags;

	/** @point: 0 for a binary syncobj, else a timeline point. */
	__u64 point;
};

/**
 * struct drm_nvsvm_exec - Argument of DRM_IOCTL_NVSVM_EXEC
 *
 * Errors: -EINVAL for non-zero @flags or @pad, more than
 * %DRM_NVSVM_EXEC_MAX_PUSHES push buffers or %DRM_NVSVM_EXEC_MAX_SYNCS
 * syncs of a kind, a push buffer with non-zero flags, a VA that is not
 * 4-byte aligned, a length of 0 or above %DRM_NVSVM_PUSH_MAX_DWORDS, or a
 * range that wraps or ends above %DRM_NVSVM_VA_USER_END, a sync with
 * non-zero flags, an in-sync with no fence yet, a @user_fence_va that is
 * not 8-byte aligned or not below %DRM_NVSVM_VA_USER_END, or a non-zero
 * @user_fence_va or @user_fence_value on a channel that is not in fault
 * mode, or a non-zero @user_fence_value without a @user_fence_va;
 * -EOPNOTSUPP for out-syncs on a channel in fault mode; -EBUSY when
 * a channel in fault mode has no room left in its ring (wait for a user
 * fence and retry); -EBADF when the file's VM mirrors another process;
 * -ENOENT for an unknown @channel or syncobj; -EFAULT if an array cannot
 * be read; -ECANCELED if the channel has failed; -ENOMEM.
 */
struct drm_nvsvm_exec {
	/** @channel: The channel. */
	__u32 channel;

	/** @flags: Must be zero; no flags are defined yet. */
	__u32 flags;

	/** @push_count: Number of push buffers, 0 for a marker job. */
	__u32 push_count;

	/** @in_sync_count: Number of in-syncs. */
	__u32 in_sync_count;

	/** @out_sync_count: Number of out-syncs. */
	__u32 out_sync_count;

	/** @pad: Must be zero. */
	__u32 pad;

	/** @pushes: Pointer to @push_count &struct drm_nvsvm_push. */
	__u64 pushes;

	/** @in_syncs: Pointer to @in_sync_count &struct drm_nvsvm_sync. */
	__u64 in_syncs;

	/** @out_syncs: Pointer to @out_sync_count &struct drm_nvsvm_sync. */
	__u64 out_syncs;

	/**
	 * @user_fence_va: Fault mode only (minor 3): where the GPU writes
	 * @user_fence_value (64 bits, little-endian) once every method of the
	 * job has completed, raising an interrupt that wakes
	 * DRM_IOCTL_NVSVM_WAIT_USER_FENCE; 8-byte aligned, in the process's
	 * memory. 0: the job writes no user fence. A job that fails never
	 * writes its user fence.
	 */
	__u64 user_fence_va;

	/** @user_fence_value: Fault mode only (minor 3): the value to write. */
	__u64 user_fence_value;
};

/**
 * enum drm_nvsvm_channel_error - Why a channel failed
 */
enum drm_nvsvm_channel_error {
	/** @DRM_NVSVM_CHANNEL_ERROR_NONE: The channel has not failed. */
	DRM_NVSVM_CHANNEL_ERROR_NONE = 0,

	/**
	 * @DRM_NVSVM_CHANNEL_ERROR_MMU_FAULT: An access faulted; address,
	 * access and fault_type say which and why.
	 */
	DRM_NVSVM_CHANNEL_ERROR_MMU_FAULT = 1,

	/** @DRM_NVSVM_CHANNEL_ERROR_ILLEGAL_INSTRUCTION: A kernel had one. */
	DRM_NVSVM_CHANNEL_ERROR_ILLEGAL_INSTRUCTION = 2,

	/** @DRM_NVSVM_CHANNEL_ERROR_MISALIGNED: A misaligned access or pc. */
	DRM_NVSVM_CHANNEL_ERROR_MISALIGNED = 3,

	/** @DRM_NVSVM_CHANNEL_ERROR_ARITHMETIC: A division by zero. */
	DRM_NVSVM_CHANNEL_ERROR_ARITHMETIC = 4,

	/** @DRM_NVSVM_CHANNEL_ERROR_WATCHDOG: A launch ran too long. */
	DRM_NVSVM_CHANNEL_ERROR_WATCHDOG = 5,

	/**
	 * @DRM_NVSVM_CHANNEL_ERROR_INVALID_METHOD: A push buffer is
	 * malformed; address is its VA.
	 */
	DRM_NVSVM_CHANNEL_ERROR_INVALID_METHOD = 6,

	/** @DRM_NVSVM_CHANNEL_ERROR_TIMEOUT: A job exceeded the job timeout. */
	DRM_NVSVM_CHANNEL_ERROR_TIMEOUT = 7,

	/**
	 * @DRM_NVSVM_CHANNEL_ERROR_GPU_HANG: The GPU stopped responding for
	 * the channel's VM (for instance an MMU invalidate never completed):
	 * the kernel reset the channel so that it could reach no memory the
	 * VM no longer maps. The job's fence error is -EIO.
	 */
	DRM_NVSVM_CHANNEL_ERROR_GPU_HANG = 8,
};

/**
 * enum drm_nvsvm_access - Kind of a faulting access
 *
 * Like every output enumeration here, 0 means "nothing to report".
 */
enum drm_nvsvm_access {
	/** @DRM_NVSVM_ACCESS_READ: A read. */
	DRM_NVSVM_ACCESS_READ = 1,
	/** @DRM_NVSVM_ACCESS_WRITE: A write. */
	DRM_NVSVM_ACCESS_WRITE = 2,
	/** @DRM_NVSVM_ACCESS_ATOMIC: An atomic. */
	DRM_NVSVM_ACCESS_ATOMIC = 3,
	/** @DRM_NVSVM_ACCESS_PREFETCH: A prefetch. */
	DRM_NVSVM_ACCESS_PREFETCH = 4,
};

/**
 * enum drm_nvsvm_fault_type - Why an access faulted
 */
enum drm_nvsvm_fault_type {
	/** @DRM_NVSVM_FAULT_UNMAPPED: Nothing is mapped at the address. */
	DRM_NVSVM_FAULT_UNMAPPED = 1,
	/** @DRM_NVSVM_FAULT_PROTECTION: A write to a read-only mapping. */
	DRM_NVSVM_FAULT_PROTECTION = 2,
	/** @DRM_NVSVM_FAULT_ATOMIC: An atomic where atomics are disabled. */
	DRM_NVSVM_FAULT_ATOMIC = 3,
};

/**
 * enum drm_nvsvm_fault_reason - Why the kernel cancelled a faulting access
 *
 * The hardware's fault type says what the GPU found in its page table; the
 * reason says why the kernel could not make the access work (minor 3).
 */
enum drm_nvsvm_fault_reason {
	/**
	 * @DRM_NVSVM_FAULT_REASON_UNMAPPED: Nothing is mapped at the address:
	 * no VMA of the process, or, outside SVM (a BO VM, the BO window of
	 * an SVM VM), no BO mapping.
	 */
	DRM_NVSVM_FAULT_REASON_UNMAPPED = 1,
	/**
	 * @DRM_NVSVM_FAULT_REASON_PROTECTION: The mapping does not allow the
	 * access: PROT_NONE, or a write or atomic to a read-only mapping (of
	 * the CPU's, or a read-only BO mapping).
	 */
	DRM_NVSVM_FAULT_REASON_PROTECTION = 2,
	/**
	 * @DRM_NVSVM_FAULT_REASON_OUT_OF_RANGE: The address is in the kernel
	 * half, at or above %DRM_NVSVM_VA_USER_END, where the VM maps nothing
	 * of the process or of its BOs (only the kernel's own mappings, such
	 * as channel rings, which jobs may read).
	 */
	DRM_NVSVM_FAULT_REASON_OUT_OF_RANGE = 3,
	/**
	 * @DRM_NVSVM_FAULT_REASON_NO_MEMORY: Memory needed to service the
	 * fault could not be allocated.
	 */
	DRM_NVSVM_FAULT_REASON_NO_MEMORY = 4,
	/**
	 * @DRM_NVSVM_FAULT_REASON_PROCESS_GONE: The process whose address
	 * space the VM mirrors has exited, or is being killed.
	 */
	DRM_NVSVM_FAULT_REASON_PROCESS_GONE = 5,
	/**
	 * @DRM_NVSVM_FAULT_REASON_BUSY: The range kept changing while the
	 * kernel serviced the fault, for longer than the servicing time limit.
	 */
	DRM_NVSVM_FAULT_REASON_BUSY = 6,
	/**
	 * @DRM_NVSVM_FAULT_REASON_UNSUPPORTED: The access cannot be serviced on
	 * this kind of memory (for instance an atomic on memory the kernel
	 * cannot give the GPU exclusive access to, such as a device mapping).
	 */
	DRM_NVSVM_FAULT_REASON_UNSUPPORTED = 7,
};

/**
 * enum drm_nvsvm_fault_client - Which unit made a faulting access
 */
enum drm_nvsvm_fault_client {
	/** @DRM_NVSVM_FAULT_CLIENT_SM: A compute kernel on an SM. */
	DRM_NVSVM_FAULT_CLIENT_SM = 1,
	/**
	 * @DRM_NVSVM_FAULT_CLIENT_HOST: The host: a push buffer fetch, a
	 * semaphore, COPY or FILL.
	 */
	DRM_NVSVM_FAULT_CLIENT_HOST = 2,
};

/**
 * struct drm_nvsvm_channel_get_error - Argument of DRM_IOCTL_NVSVM_CHANNEL_GET_ERROR
 *
 * Reports the first error of a channel; every output is 0 while the
 * channel has not failed.
 *
 * Errors: -EINVAL for non-zero @flags; -ENOENT for an unknown @channel.
 */
struct drm_nvsvm_channel_get_error {
	/** @channel: In: the channel. */
	__u32 channel;

	/** @flags: In: must be zero; no flags are defined yet. */
	__u32 flags;

	/** @error: Out: &enum drm_nvsvm_channel_error. */
	__u32 error;

	/** @access: Out: for MMU_FAULT, &enum drm_nvsvm_access. */
	__u32 access;

	/** @fault_type: Out: for MMU_FAULT, &enum drm_nvsvm_fault_type. */
	__u32 fault_type;

	/** @client: Out: for MMU_FAULT, &enum drm_nvsvm_fault_client. */
	__u32 client;

	/**
	 * @address: Out: the faulting VA for MMU_FAULT, the push buffer's VA
	 * for INVALID_METHOD, the VA of the failing instruction for
	 * ILLEGAL_INSTRUCTION, MISALIGNED and ARITHMETIC, else 0.
	 */
	__u64 address;

	/**
	 * @reason: Out: for MMU_FAULT, &enum drm_nvsvm_fault_reason: why the
	 * kernel cancelled the access (minor 3; 0 from older kernels).
	 */
	__u32 reason;

	/** @pad: Out: zero. */
	__u32 pad;
};

/**
 * DOC: Shared virtual memory
 *
 * DRM_IOCTL_NVSVM_SVM_INIT makes the file's VM mirror the address space of
 * the calling process (its mm): from then on a GPU access to any address of
 * the user half reaches what the process has mapped there, malloc'd
 * memory, stacks, file mappings, as a CPU access by the process would. The
 * GPU faults on first touch; the kernel services the fault (faulting the
 * pages in as a CPU access would, breaking copy-on-write for a write) and
 * replays the access. Changes to the process's mappings (munmap, mremap,
 * mprotect, madvise, fork's copy-on-write, reclaim, migration) reach the
 * GPU before they complete: once they return, no GPU access reaches the
 * old pages. An access the kernel cannot service (no mapping, PROT_NONE, a
 * write to a read-only mapping) fails the channel that made it with
 * %DRM_NVSVM_CHANNEL_ERROR_MMU_FAULT, with the address, the access and the
 * &enum drm_nvsvm_fault_reason in DRM_IOCTL_NVSVM_CHANNEL_GET_ERROR; other
 * channels of the VM go on.
 *
 * Buffer objects keep a window of their own, [@bo_va, @bo_va + @bo_range)
 * of &struct drm_nvsvm_svm_init, which the VM does not mirror: VM_BIND maps
 * BOs there and only there. The window may be empty (@bo_range 0). The
 * process should keep its own mappings out of it (reserve it with a
 * PROT_NONE mapping, say): the GPU sees the BOs there, not the process's
 * memory.
 *
 * A VM mirrors one process. Once SVM is initialised, the ioctls that use
 * the VM (VM_BIND, CHANNEL_ALLOC, EXEC, WAIT_USER_FENCE, SVM_INIT) fail
 * with -EBADF when called from another process (one that inherited the
 * file over fork(), or received it over a socket). The ioctls that do not
 * reach the mirrored address space (GET_PARAM, the BO ioctls,
 * CHANNEL_FREE, CHANNEL_GET_ERROR) work from any process holding the file,
 * as for any shared file; so does closing it.
 *
 * Fault mode: the channels of an SVM VM may fault, and a fault is serviced
 * by the kernel, which may allocate memory. A dma-fence must never wait on
 * that (see "Indefinite DMA Fences" in the kernel's dma-buf documentation),
 * so their jobs complete through user fences: EXEC refuses out-syncs with
 * -EOPNOTSUPP, and instead writes @user_fence_value at @user_fence_va of
 * &struct drm_nvsvm_exec when the job has completed, which
 * DRM_IOCTL_NVSVM_WAIT_USER_FENCE waits for. In-syncs work as in a BO VM.
 * A channel in fault mode has no job timeout: the time its jobs spend
 * waiting for faults to be serviced is not held against them, and the GPU's
 * watchdog counts only the time a kernel executes. Its ring holds a bounded
 * number of jobs: EXEC fails with -EBUSY when it is full.
 */

/**
 * struct drm_nvsvm_svm_init - Argument of DRM_IOCTL_NVSVM_SVM_INIT
 *
 * Once SVM is initialised, DRM_IOCTL_NVSVM_VM_BIND maps only inside the
 * window: a MAP range not wholly inside it fails with -EINVAL.
 *
 * Errors: -EINVAL for non-zero @flags or @pad, a @bo_va or @bo_range not
 * page aligned, a non-zero @bo_va with a zero @bo_range, or a window that
 * wraps or ends above %DRM_NVSVM_VA_USER_END; -EBUSY if the VM mirrors a
 * process already, has channels (held now: freed ones do not count), or
 * has BO mappings outside the window; -ENOMEM.
 */
struct drm_nvsvm_svm_init {
	/** @flags: Must be zero; no flags are defined yet. */
	__u32 flags;

	/** @pad: Must be zero. */
	__u32 pad;

	/** @bo_va: Start of the BO window. */
	__u64 bo_va;

	/** @bo_range: Size of the BO window in bytes; 0 for none (@bo_va 0 too). */
	__u64 bo_range;
};

/**
 * enum drm_nvsvm_wait_op - How DRM_IOCTL_NVSVM_WAIT_USER_FENCE compares
 *
 * The comparison is unsigned, of (memory & mask) with (value & mask).
 */
enum drm_nvsvm_wait_op {
	/** @DRM_NVSVM_WAIT_EQ: Equal. */
	DRM_NVSVM_WAIT_EQ = 1,
	/** @DRM_NVSVM_WAIT_NEQ: Not equal. */
	DRM_NVSVM_WAIT_NEQ = 2,
	/** @DRM_NVSVM_WAIT_GT: Memory is greater. */
	DRM_NVSVM_WAIT_GT = 3,
	/** @DRM_NVSVM_WAIT_GTE: Memory is greater or equal. */
	DRM_NVSVM_WAIT_GTE = 4,
	/** @DRM_NVSVM_WAIT_LT: Memory is less. */
	DRM_NVSVM_WAIT_LT = 5,
	/** @DRM_NVSVM_WAIT_LTE: Memory is less or equal. */
	DRM_NVSVM_WAIT_LTE = 6,
};

/**
 * struct drm_nvsvm_wait_user_fence - Argument of DRM_IOCTL_NVSVM_WAIT_USER_FENCE
 *
 * Sleeps until the 64-bit value at @va in the process's memory compares
 * with @value as @op says, or @timeout_ns has passed. It is woken by the
 * GPU's interrupt for a user fence write (and checks the memory again each
 * time); a CPU write to the memory is seen at the next wakeup or the
 * timeout, whichever comes first (the memory is checked once more when the
 * timeout expires). With a @channel, the wait also ends when that channel
 * fails. The value is checked first: a wait whose condition holds returns
 * 0 even if the channel has failed.
 *
 * If a signal interrupts the wait, @timeout_ns is updated to the time left
 * and the ioctl is restarted (or fails with -EINTR), so that a restarted
 * wait does not wait longer in all.
 *
 * Errors: -EINVAL for an unknown @op, non-zero @flags or @pad, a @va that
 * is not 8-byte aligned or not below %DRM_NVSVM_VA_USER_END, a negative
 * @timeout_ns, or a VM that does not mirror a process; -EBADF when the
 * VM mirrors another process; -ENOENT for an unknown @channel; -EFAULT if
 * the value at @va cannot be read; -ETIME when @timeout_ns passed (0: the
 * value was checked once); -EIO when @channel has failed
 * (DRM_IOCTL_NVSVM_CHANNEL_GET_ERROR tells why); -EINTR.
 */
struct drm_nvsvm_wait_user_fence {
	/** @va: Address of the 64-bit value, 8-byte aligned. */
	__u64 va;

	/** @value: The value to compare with. */
	__u64 value;

	/** @mask: Bits of memory and @value that count (~0 for all). */
	__u64 mask;

	/**
	 * @timeout_ns: In: how long to wait, in ns, at least 0. Out, after a
	 * signal: the time that was left.
	 */
	__s64 timeout_ns;

	/** @op: &enum drm_nvsvm_wait_op. */
	__u32 op;

	/** @flags: Must be zero; no flags are defined yet. */
	__u32 flags;

	/** @channel: A channel whose failure ends the wait, or 0 for none. */
	__u32 channel;

	/** @pad: Must be zero. */
	__u32 pad;
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
	DRM_IOCTL_NVSVM_CHANNEL_ALLOC = DRM_IOCTL_NVSVM(WR, CHANNEL_ALLOC, channel_alloc),
	DRM_IOCTL_NVSVM_CHANNEL_FREE = DRM_IOCTL_NVSVM(W, CHANNEL_FREE, channel_free),
	DRM_IOCTL_NVSVM_EXEC = DRM_IOCTL_NVSVM(W, EXEC, exec),
	DRM_IOCTL_NVSVM_CHANNEL_GET_ERROR =
		DRM_IOCTL_NVSVM(WR, CHANNEL_GET_ERROR, channel_get_error),
	DRM_IOCTL_NVSVM_SVM_INIT = DRM_IOCTL_NVSVM(W, SVM_INIT, svm_init),
	DRM_IOCTL_NVSVM_WAIT_USER_FENCE =
		DRM_IOCTL_NVSVM(WR, WAIT_USER_FENCE, wait_user_fence),
};

#if defined(__cplusplus)
}
#endif

#endif /* _NVSVM_DRM_H_ */
