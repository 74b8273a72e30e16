/* SPDX-License-Identifier: MIT */
/* Copyright 2026 The nvsvm authors */
#ifndef NVSVM_H
#define NVSVM_H

/*
 * libnvsvm: userspace side of the nvsvm DRM driver.
 *
 * Every function that can fail returns 0 or a negative errno.
 */

#include <stddef.h>
#include <stdint.h>

/* The uAPI structures (struct drm_nvsvm_push, _sync) and constants. */
#include "nvsvm_drm.h"

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
	uint32_t channel_count;	/* hardware channels; 0 before uAPI 1.2 */
	/* The most channels one open file may hold; 0 before uAPI 1.3. */
	uint32_t channels_per_file;
	int svm;		/* 1 if the driver has SVM (uAPI 1.3), else 0 */
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

/*
 * Push buffers: the methods a channel executes (docs/hardware.md, "Push
 * buffer methods"). The values are the hardware's; a host test checks them
 * against the kernel's nvsvm_regs.h.
 */
#define NVSVM_PUSH_METHOD_NOP			0x00
#define NVSVM_PUSH_METHOD_SEMAPHORE_RELEASE	0x01
#define NVSVM_PUSH_METHOD_SEMAPHORE_ACQUIRE	0x02
#define NVSVM_PUSH_METHOD_LAUNCH		0x03
#define NVSVM_PUSH_METHOD_COPY			0x04
#define NVSVM_PUSH_METHOD_FILL			0x05
#define NVSVM_PUSH_METHOD_MEMBAR		0x06
/* A method header: method in bits 31:24, data dword count in 23:0. */
#define NVSVM_PUSH_HEADER(method, count)	((uint32_t)(method) << 24 | (count))

/* Semaphore flags. */
#define NVSVM_PUSH_SEM_PAYLOAD_64	(1u << 0)	/* 64-bit payload, else 32 */
#define NVSVM_PUSH_SEM_INTR		(1u << 1)	/* release: interrupt the driver */
#define NVSVM_PUSH_SEM_ACQUIRE_GEQ	(1u << 2)	/* acquire: value >= payload */

/*
 * A push buffer being written into caller-provided memory of @cap dwords.
 * Each nvsvm_push_*() appends one method; one that does not fit appends
 * nothing and sets @overflow, so a sequence of calls needs one check at
 * the end, nvsvm_push_end().
 */
struct nvsvm_push {
	uint32_t *dw;		/* the buffer */
	uint32_t len;		/* dwords written */
	uint32_t cap;		/* dwords available */
	int overflow;		/* a method did not fit */
};

void nvsvm_push_init(struct nvsvm_push *p, void *buf, size_t bytes);
/* A NOP with @count data dwords (zeroes). */
void nvsvm_push_nop(struct nvsvm_push *p, uint32_t count);
/* Write @payload at @va; @flags: NVSVM_PUSH_SEM_PAYLOAD_64, _INTR. */
void nvsvm_push_sem_release(struct nvsvm_push *p, uint64_t va, uint64_t payload,
			    uint32_t flags);
/* Wait until the value at @va equals @payload; _PAYLOAD_64, _ACQUIRE_GEQ. */
void nvsvm_push_sem_acquire(struct nvsvm_push *p, uint64_t va, uint64_t payload,
			    uint32_t flags);
/* Run @blocks blocks of @threads threads of the kernel at @code_va. */
void nvsvm_push_launch(struct nvsvm_push *p, uint64_t code_va, uint64_t param_va,
		       uint32_t blocks, uint32_t threads);
void nvsvm_push_copy(struct nvsvm_push *p, uint64_t src_va, uint64_t dst_va,
		     uint64_t size);
/* Fill @size bytes at @dst_va with @value; both 4-byte aligned. */
void nvsvm_push_fill(struct nvsvm_push *p, uint64_t dst_va, uint64_t size,
		     uint32_t value);
void nvsvm_push_membar(struct nvsvm_push *p);
/* The number of dwords written, or -ENOSPC if a method did not fit. */
int nvsvm_push_end(const struct nvsvm_push *p);

/*
 * Channels and jobs (the "Channels and jobs" section of nvsvm_drm.h): a
 * channel is a queue of GPU work in the device's VM; a job is a list of
 * push buffers, given by GPU VA, that starts once its in-syncs have
 * signalled and signals its out-syncs when every method has completed.
 * A job that fails stops its channel for good: its fence signals with
 * -EFAULT, -ETIMEDOUT or -EIO, later jobs with -ECANCELED, and EXEC on the
 * channel fails with -ECANCELED; free it and allocate another to go on.
 */

/* Create a channel; *@channel receives its id (never 0). -ENOSPC: none left. */
int nvsvm_channel_alloc(struct nvsvm_device *dev, uint32_t *channel);

/* Destroy a channel; its queued and running jobs signal -ECANCELED. */
int nvsvm_channel_free(struct nvsvm_device *dev, uint32_t channel);

/* Why a channel failed: CHANNEL_GET_ERROR's answer. */
struct nvsvm_channel_error {
	uint32_t error;		/* DRM_NVSVM_CHANNEL_ERROR_*, 0 (NONE) if it has not */
	uint32_t access;	/* MMU_FAULT: DRM_NVSVM_ACCESS_* */
	uint32_t fault_type;	/* MMU_FAULT: DRM_NVSVM_FAULT_* */
	uint32_t client;	/* MMU_FAULT: DRM_NVSVM_FAULT_CLIENT_* */
	uint64_t address;	/* the faulting VA, or the push buffer's VA, else 0 */
	uint32_t reason;	/* MMU_FAULT: DRM_NVSVM_FAULT_REASON_*, why the kernel
				 * cancelled the access; 0 before uAPI 1.3 */
};

/* The first error of @channel; all zero while it has not failed. */
int nvsvm_channel_get_error(struct nvsvm_device *dev, uint32_t channel,
			    struct nvsvm_channel_error *err);

/*
 * Short English names of the values above ("MMU fault", "write",
 * "unmapped", "SM", ...); "none" for 0 (an access, fault type or client of
 * 0 means there is nothing to report), "unknown" for a value this library
 * does not know.
 */
const char *nvsvm_channel_error_name(uint32_t error);
const char *nvsvm_access_name(uint32_t access);
const char *nvsvm_fault_type_name(uint32_t fault_type);
const char *nvsvm_fault_client_name(uint32_t client);
/* Why the kernel cancelled an access, e.g. "the mapping does not allow the access". */
const char *nvsvm_fault_reason_name(uint32_t reason);

/*
 * @err as one line into @buf (at most @size bytes, NUL-terminated), e.g.
 * "MMU fault: write at 0x7f0000001000 (unmapped) by the SM", followed for
 * a fault the kernel cancelled (uAPI 1.3) by why, e.g. ": nothing is
 * mapped there"; returns @buf.
 */
char *nvsvm_channel_error_format(const struct nvsvm_channel_error *err, char *buf,
				 size_t size);

/*
 * Submit a job of @push_count push buffers (0: a marker job, which
 * signals once the channel's earlier jobs have) to @channel. It starts
 * once each of the @in_count syncs has signalled, and its fence replaces
 * that of each of the @out_count syncs. A sync's point is 0 for a binary
 * syncobj, else a timeline point. An array may be NULL when its count is 0.
 * Returns once the job is queued; errors as DRM_IOCTL_NVSVM_EXEC's
 * (-EINVAL, -ENOENT, -ECANCELED for a failed channel, ...).
 */
int nvsvm_exec(struct nvsvm_device *dev, uint32_t channel,
	       const struct drm_nvsvm_push *pushes, uint32_t push_count,
	       const struct drm_nvsvm_sync *in, uint32_t in_count,
	       const struct drm_nvsvm_sync *out, uint32_t out_count);

/*
 * Run one job of @count push buffers on @channel and wait for it, at most
 * @timeout_ns nanoseconds (negative: no limit), through a temporary
 * syncobj. Returns 0 if the job completed without error. Otherwise a
 * negative errno, and *@fence_status (if not NULL) says where it comes
 * from: negative, the job ran and its fence signalled with that error
 * (the same as the return value: -EFAULT, -ETIMEDOUT, -EIO, -ECANCELED;
 * nvsvm_channel_get_error() says more); 0, the job did not complete:
 * submission or the wait failed, or the wait timed out (-ETIME: the job
 * may still be queued or running). On success *@fence_status is 1.
 */
int nvsvm_exec_wait(struct nvsvm_device *dev, uint32_t channel,
		    const struct drm_nvsvm_push *pushes, uint32_t count,
		    int64_t timeout_ns, int *fence_status);

/*
 * DRM syncobjs, for a job's in-syncs and out-syncs (libdrm's drmSyncobj*
 * with errors as negative errnos). Any syncobj can serve as binary (point
 * 0) or as a timeline (points from 1).
 */

/* Create a syncobj; @flags: 0, or NVSVM_SYNCOBJ_SIGNALED to start signalled. */
#define NVSVM_SYNCOBJ_SIGNALED	(1u << 0)	/* DRM_SYNCOBJ_CREATE_SIGNALED */
int nvsvm_syncobj_create(struct nvsvm_device *dev, uint32_t flags, uint32_t *handle);
int nvsvm_syncobj_destroy(struct nvsvm_device *dev, uint32_t handle);

/*
 * Wait until the syncobj's fence (@point 0), or its timeline point @point,
 * has signalled, successfully or not; also waits for a fence to be
 * attached if none is yet. @timeout_ns is relative: 0 polls, negative
 * waits without limit. Returns 0, or -ETIME when the time ran out.
 */
int nvsvm_syncobj_wait(struct nvsvm_device *dev, uint32_t handle, uint64_t point,
		       int64_t timeout_ns);

/*
 * The state of the syncobj's fence (@point 0) or of its timeline point
 * @point, read from a sync file (SYNC_IOC_FILE_INFO) without waiting:
 * *@status is 1 if it signalled without error, 0 if it is pending, or the
 * fence's error (negative, e.g. -EFAULT). Fails with -EINVAL if there is
 * no fence yet (nothing was submitted to signal it). For a timeline point
 * that has already signalled the kernel may hand back a plain signalled
 * fence in its place, losing the error: read errors from binary syncobjs.
 */
int nvsvm_syncobj_fence_status(struct nvsvm_device *dev, uint32_t handle,
			       uint64_t point, int *status);

/*
 * Buffers: a BO mapped for the CPU and, at the same address, in the GPU VM
 * (GPU VA == CPU VA), which is what the GPU's pointers want.
 */
struct nvsvm_buffer {
	uint32_t handle;	/* the BO */
	uint64_t size;		/* bytes, rounded up to the page size */
	void *cpu;		/* the CPU mapping */
	uint64_t va;		/* the GPU VA: (uintptr_t)cpu */
};

/*
 * Create a BO of at least @size bytes, mmap it and map it in the VM at its
 * CPU address with @bind_flags (DRM_NVSVM_VM_BIND_*). The memory is
 * zeroed. On failure nothing is left behind and *@buf is zeroed.
 */
int nvsvm_buffer_create(struct nvsvm_device *dev, uint64_t size, uint32_t bind_flags,
			struct nvsvm_buffer *buf);

/*
 * Unmap @buf from the VM and the CPU and close its handle; no job may be
 * using it any more. Does nothing for a zeroed buffer; zeroes *@buf.
 */
void nvsvm_buffer_destroy(struct nvsvm_device *dev, struct nvsvm_buffer *buf);

/*
 * Shared virtual memory (uAPI 1.3; the "Shared virtual memory" section of
 * nvsvm_drm.h). After nvsvm_svm_init() the device's VM mirrors the calling
 * process: the GPU reaches any address the process maps (malloc'd memory,
 * stacks, file mappings) as the CPU does, faulting on first touch while the
 * kernel services the fault. Kernels, their parameters and push buffers
 * can all live in plain process memory and be passed by address. Channels
 * allocated afterwards run in fault mode: their jobs take no out-syncs and
 * complete through user fences, 64-bit values the GPU writes into process
 * memory when a job is done, which nvsvm_wait_user_fence() waits for.
 * Only the process that called nvsvm_svm_init() may use the device from
 * then on (another one, say a child after fork(), gets -EBADF): a child
 * opens a device of its own.
 */

/* 1 if the driver has SVM (uAPI 1.3 or later), else 0. */
int nvsvm_svm_supported(const struct nvsvm_device *dev);

/*
 * Make the device's VM mirror the calling process's address space. Buffer
 * objects keep the window [@bo_va, @bo_va + @bo_range) (page aligned; 0, 0
 * for none): nvsvm_vm_map() maps BOs there and only there, and the GPU sees
 * them, not the process's memory, in it (reserve the window in the process
 * with a PROT_NONE mapping). Call it before allocating any channel.
 * -EOPNOTSUPP if the driver has no SVM; otherwise SVM_INIT's errors:
 * -EINVAL (misaligned window, or one that wraps or ends above
 * DRM_NVSVM_VA_USER_END), -EBUSY (SVM already initialised, channels
 * allocated, or BO mappings outside the window), -ENOMEM.
 */
int nvsvm_svm_init(struct nvsvm_device *dev, uint64_t bo_va, uint64_t bo_range);

/*
 * Assemble @src (docs/isa.md) into memory the GPU can run it from in an
 * SVM VM: *@code is a malloc'd array of *@count little-endian instruction
 * words (8-byte aligned), LAUNCH it by its address and free() it once no
 * job uses it. Errors as nvsvm_assemble()'s (nvsvm_asm.h), with @err.
 */
int nvsvm_svm_code(const char *src, uint64_t **code, size_t *count, char *err,
		   size_t errlen);

/*
 * The push buffer @p was written into as EXEC takes it in an SVM VM, where
 * its GPU VA is its address: *@out = { (uintptr_t)p->dw, p->len }. -ENOSPC
 * if a method did not fit, -EINVAL if it is empty or not below
 * DRM_NVSVM_VA_USER_END. The memory must stay as it is until the job has
 * completed.
 */
int nvsvm_push_to_exec(const struct nvsvm_push *p, struct drm_nvsvm_push *out);

/*
 * Wait until the 64-bit value at @va compares with @value as @op says
 * (DRM_NVSVM_WAIT_EQ, _NEQ, _GT, _GTE, _LT, _LTE; unsigned, of the bits in
 * @mask of both), at most @timeout_ns nanoseconds (0: check once;
 * negative: no limit). With a @channel (0: none) the wait also ends when
 * that channel fails, with -EIO (nvsvm_channel_get_error() says why).
 * Restarts after a signal with the time that was left, so that signals do
 * not make it wait longer in all. Returns 0, -ETIME when the time ran out,
 * -EIO, or WAIT_USER_FENCE's other errors (-EINVAL, -EFAULT, -ENOENT,
 * -EBADF).
 */
int nvsvm_wait_user_fence(struct nvsvm_device *dev, uint64_t va, uint64_t value,
			  uint64_t mask, uint32_t op, int64_t timeout_ns, uint32_t channel);

/*
 * Submit a job of @push_count push buffers to @channel, a channel in fault
 * mode, which writes @fence_value at @fence_va (8-byte aligned; 0: no user
 * fence) once it has completed. In-syncs work as with nvsvm_exec(); there
 * are no out-syncs in fault mode. The library remembers the channel's last
 * user fence: when the channel's ring is full (EXEC's -EBUSY) it waits for
 * that fence and tries again, for at most @busy_timeout_ns in all
 * (negative: no limit), then gives up with -EBUSY, as it does at once if
 * no job of the channel had a user fence. -EIO if the channel failed while
 * it waited; otherwise EXEC's errors.
 */
int nvsvm_exec_fence(struct nvsvm_device *dev, uint32_t channel,
		     const struct drm_nvsvm_push *pushes, uint32_t push_count,
		     const struct drm_nvsvm_sync *in, uint32_t in_count,
		     uint64_t fence_va, uint64_t fence_value, int64_t busy_timeout_ns);

/*
 * Each channel in fault mode can have a timeline kept by the library: a
 * 64-bit word of process memory to which its jobs write increasing
 * sequence numbers. nvsvm_svm_submit() submits a job that writes the next
 * one and returns it in *@seqno (waiting for room in the ring as
 * nvsvm_exec_fence() does, for at most @busy_timeout_ns); nvsvm_svm_wait()
 * waits until the job of @seqno, and so every earlier job of the channel,
 * has completed (0), the time ran out (-ETIME) or the channel failed
 * (-EIO). nvsvm_channel_free() releases the timeline.
 */
int nvsvm_svm_submit(struct nvsvm_device *dev, uint32_t channel,
		     const struct drm_nvsvm_push *pushes, uint32_t push_count,
		     int64_t busy_timeout_ns, uint64_t *seqno);
int nvsvm_svm_wait(struct nvsvm_device *dev, uint32_t channel, uint64_t seqno,
		   int64_t timeout_ns);

/* nvsvm_svm_submit() then nvsvm_svm_wait(), within @timeout_ns in all. */
int nvsvm_svm_exec_wait(struct nvsvm_device *dev, uint32_t channel,
			const struct drm_nvsvm_push *pushes, uint32_t push_count,
			int64_t timeout_ns);

/*
 * The driver's SVM statistics (debugfs, svm_stats of the device), counters
 * since the GPU was probed: take differences. Buckets of the histograms are
 * powers of two: [i] counts batches of 2^i to 2^(i+1) - 1 faults, or of
 * 2^i to 2^(i+1) - 1 microseconds of service.
 */
#define NVSVM_SVM_STATS_BUCKETS	32
struct nvsvm_svm_stats {
	uint64_t faults;	/* fault-buffer entries read */
	uint64_t batches;	/* batches drained, each ending with at most one replay */
	uint64_t duplicates;	/* entries coalesced away */
	uint64_t replays;	/* FAULT_REPLAY writes */
	uint64_t cancels;	/* targeted cancels */
	uint64_t invalidations;	/* mmu-notifier invalidations that zapped GPU mappings */
	uint64_t blocks;	/* 2 MiB blocks serviced (one hmm_range_fault each) */
	uint64_t retries;	/* servicing passes repeated because the range changed */
	uint64_t map_4k;	/* 4 KiB GPU mappings made */
	uint64_t map_2m;	/* 2 MiB GPU mappings made */
	uint64_t exclusive;	/* pages made device-exclusive for GPU atomics */
	uint64_t batch_size[NVSVM_SVM_STATS_BUCKETS];
	uint64_t service_us[NVSVM_SVM_STATS_BUCKETS];
};

/*
 * Read the statistics of @dev: /sys/kernel/debug/dri/<minor>/svm_stats, or
 * failing that /sys/kernel/debug/dri/<board>/svm_stats. -ENOENT if there is
 * no such file (debugfs not mounted, or a driver without SVM), -EACCES
 * without the rights (debugfs is root's), -EPROTO if it does not parse.
 */
int nvsvm_svm_stats_read(struct nvsvm_device *dev, struct nvsvm_svm_stats *stats);

/*
 * Parse the text of an svm_stats file (one "key value" line each, the
 * histograms as "key bound:count ..."). Unknown keys are ignored; a known
 * counter missing, a malformed line or a bucket bound that is not a power
 * of two is -EPROTO.
 */
int nvsvm_svm_stats_parse(const char *text, struct nvsvm_svm_stats *stats);

#ifdef __cplusplus
}
#endif

#endif /* NVSVM_H */
