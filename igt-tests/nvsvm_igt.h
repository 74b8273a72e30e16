/* SPDX-License-Identifier: MIT */
/* Copyright 2026 The nvsvm authors */
#ifndef NVSVM_IGT_H
#define NVSVM_IGT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "igt_core_subset.h"
#include "nvsvm.h"
#include "nvsvm_drm.h"

/* Open nvsvm GPU @index through libnvsvm; fails the subtest if absent. */
struct nvsvm_device *nvsvm_igt_open(int index);

/* ioctl() that returns 0 or -errno, retrying on EINTR/EAGAIN like drmIoctl. */
int nvsvm_igt_ioctl(int fd, unsigned long request, void *arg);

/*
 * A module parameter of nvsvm or of the emulator (nvsvm_sim), from sysfs;
 * fails the subtest if unreadable.
 */
unsigned long nvsvm_igt_module_param(const char *name);

/* Skip the (sub)test unless the driver's uAPI is at least 1.@minor. */
void nvsvm_igt_require_uapi(int fd, int minor);

/*
 * Assert that @request fails with -EFAULT for arguments that cannot be
 * read: NULL, a low address, and a PROT_NONE page.
 */
void nvsvm_igt_assert_unreadable_arg(int fd, unsigned long request);

/*
 * Assert that @request fails with -EFAULT when its argument (@size bytes
 * copied from @arg) can be read but not written back, and when it
 * straddles the end of a mapping.
 */
void nvsvm_igt_assert_unwritable_arg(int fd, unsigned long request,
				     const void *arg, size_t size);

/*
 * Channels and jobs (uAPI 1.2). The helpers below fail the subtest when an
 * ioctl they make fails, unless their name starts with __ or they return
 * the errno.
 */

/* How long a job that should complete at once may take: the GPU is an
 * interpreter, possibly under QEMU's software emulation. */
#define NVSVM_IGT_JOB_TIMEOUT_MS	15000

/* CLOCK_MONOTONIC in milliseconds. */
uint64_t nvsvm_igt_now_ms(void);

/* A DRM_NVSVM_PARAM_* value through the raw ioctl. */
uint64_t nvsvm_igt_get_param(int fd, uint32_t param);

/*
 * Write nvsvm module parameter @name (it must be writable). The value in
 * force before the first call is put back at exit, even if the test fails.
 */
void nvsvm_igt_module_param_set(const char *name, unsigned long value);

/*
 * A BO mapped by the CPU at @ptr and bound in the file's GPU VM at @va,
 * with an allocator that hands out pieces of it.
 */
struct nvsvm_igt_bo {
	struct nvsvm_device *dev;
	uint32_t handle;
	uint64_t size;
	uint8_t *ptr;		/* the CPU mapping */
	uint64_t va;		/* the GPU mapping; 0 once unbound */
	uint64_t used;		/* bytes handed out by nvsvm_igt_bo_alloc() */
};

/* Create a BO of @size bytes, mmap it and bind it at its CPU address. */
void nvsvm_igt_bo_new(struct nvsvm_device *dev, uint64_t size, uint32_t bind_flags,
		      struct nvsvm_igt_bo *bo);

/* The same, but bound at GPU VA @va (the CPU maps it elsewhere). */
void nvsvm_igt_bo_new_at(struct nvsvm_device *dev, uint64_t size, uint64_t va,
			 uint32_t bind_flags, struct nvsvm_igt_bo *bo);

/* VM_BIND UNMAP of the BO's GPU mapping; the CPU mapping stays. */
void nvsvm_igt_bo_unbind(struct nvsvm_igt_bo *bo);

/* Unbind (if bound), munmap and close. */
void nvsvm_igt_bo_free(struct nvsvm_igt_bo *bo);

/* @bytes of the BO, @align-aligned, zeroed; fails the subtest when full. */
void *nvsvm_igt_bo_alloc(struct nvsvm_igt_bo *bo, uint64_t bytes, uint64_t align);

/* The GPU VA of CPU pointer @p into the BO. */
uint64_t nvsvm_igt_bo_va(const struct nvsvm_igt_bo *bo, const void *p);

/*
 * Reserve @size bytes of address space that nothing maps, for the CPU
 * (PROT_NONE) or the GPU, and return its address: a GPU access there
 * faults, whether or not the GPU mirrors the CPU's address space.
 */
uint64_t nvsvm_igt_unmapped_va(uint64_t size);

/*
 * Assemble @src (docs/isa.md) into a new piece of @bo and return its GPU
 * VA; *@words, if not NULL, receives the number of instructions.
 */
uint64_t nvsvm_igt_bo_code(struct nvsvm_igt_bo *bo, const char *src, size_t *words);

/* Start a push buffer of up to @bytes in @bo. */
void nvsvm_igt_push_begin(struct nvsvm_igt_bo *bo, struct nvsvm_push *p, size_t bytes);

/* The finished push buffer as an EXEC argument (no method may have overflowed). */
struct drm_nvsvm_push nvsvm_igt_push_end(const struct nvsvm_igt_bo *bo,
					 const struct nvsvm_push *p);

/* CHANNEL_ALLOC; returns the id. */
uint32_t nvsvm_igt_channel_alloc(int fd);
/* CHANNEL_ALLOC; returns 0 or -errno. */
int __nvsvm_igt_channel_alloc(int fd, uint32_t *channel);
/* CHANNEL_FREE; returns 0 or -errno. */
int __nvsvm_igt_channel_free(int fd, uint32_t channel);
void nvsvm_igt_channel_free(int fd, uint32_t channel);

/*
 * Channels spread over as many files of one GPU as the per-file limit
 * (DRM_NVSVM_PARAM_CHANNELS_PER_FILE) needs, for tests that use up the
 * GPU's hardware channels.
 */
#define NVSVM_IGT_MAX_CHANNELS	64

struct nvsvm_igt_chanset {
	int gpu;			/* the GPU's index */
	uint32_t per_file;		/* the per-file limit */
	unsigned int nfiles;
	struct nvsvm_device *files[NVSVM_IGT_MAX_CHANNELS];
	uint32_t held[NVSVM_IGT_MAX_CHANNELS];	/* channels of each file */
	unsigned int count;		/* channels in @chans */
	struct {
		unsigned int file;	/* index in @files */
		uint32_t id;
	} chans[NVSVM_IGT_MAX_CHANNELS];
};

/* An empty set on GPU @gpu. */
void nvsvm_igt_chanset_init(struct nvsvm_igt_chanset *set, int gpu);

/*
 * Allocate one more channel, in the set's last file, or a new file when
 * that one is at the limit. Returns 0 or the -errno of CHANNEL_ALLOC.
 */
int nvsvm_igt_chanset_alloc(struct nvsvm_igt_chanset *set);

/* Free the set's channel @i (the last one moves into its place). */
void nvsvm_igt_chanset_free(struct nvsvm_igt_chanset *set, unsigned int i);

/* Close the set's file @f, which frees its channels; they leave the set. */
void nvsvm_igt_chanset_close_file(struct nvsvm_igt_chanset *set, unsigned int f);

/* Close every file of the set, which frees its channels. */
void nvsvm_igt_chanset_fini(struct nvsvm_igt_chanset *set);

/* CHANNEL_GET_ERROR into @err; fails the subtest if the ioctl fails. */
void nvsvm_igt_channel_get_error(int fd, uint32_t channel,
				 struct drm_nvsvm_channel_get_error *err);

/* EXEC; returns 0 or -errno. */
int nvsvm_igt_exec(int fd, uint32_t channel,
		   const struct drm_nvsvm_push *pushes, uint32_t push_count,
		   const struct drm_nvsvm_sync *in_syncs, uint32_t in_count,
		   const struct drm_nvsvm_sync *out_syncs, uint32_t out_count);

/* A new syncobj (binary, or timeline: the same object), with no fence. */
uint32_t nvsvm_igt_syncobj(int fd);
/* A new syncobj whose fence has signalled. */
uint32_t nvsvm_igt_syncobj_signalled(int fd);
void nvsvm_igt_syncobj_destroy(int fd, uint32_t syncobj);

/*
 * Submit one job of the push buffers @pushes (none: a marker), waiting for
 * the binary syncobj @in (0: none), and return a new binary syncobj its
 * fence replaces.
 */
uint32_t nvsvm_igt_submit(int fd, uint32_t channel, const struct drm_nvsvm_push *pushes,
			  uint32_t push_count, uint32_t in);

/* nvsvm_igt_submit() of one push buffer, with no in-sync. */
uint32_t nvsvm_igt_submit_push(int fd, uint32_t channel, struct drm_nvsvm_push push);

/*
 * Wait until the fence of @syncobj at @point (0: binary) has signalled, at
 * most @timeout_ms. Returns 0, -ETIME on timeout, -EINVAL if there is no
 * fence (nothing was submitted to it).
 */
int nvsvm_igt_syncobj_wait(int fd, uint32_t syncobj, uint64_t point, unsigned int timeout_ms);

/* Whether binary @syncobj holds a fence at all. */
bool nvsvm_igt_syncobj_has_fence(int fd, uint32_t syncobj);

/*
 * The status of binary @syncobj's fence, read by exporting it as a sync
 * file: 1 signalled without error, 0 not signalled yet, or the fence's
 * (negative) error.
 */
int nvsvm_igt_fence_status(int fd, uint32_t syncobj);

/*
 * Wait at most @timeout_ms for binary @syncobj's fence (failing the subtest
 * if it does not signal in time) and return its status as above: 1 or an
 * error.
 */
int nvsvm_igt_wait_status(int fd, uint32_t syncobj, unsigned int timeout_ms);

/*
 * Submit @push on @channel, wait for it (NVSVM_IGT_JOB_TIMEOUT_MS at most)
 * and return the fence status: 1 or an error.
 */
int nvsvm_igt_run(int fd, uint32_t channel, struct drm_nvsvm_push push);

/*
 * Submit a job of one LAUNCH of @blocks x @threads of the kernel at
 * @code_va with parameters at @param_va, its push buffer in @bo, and
 * return the syncobj it signals.
 */
uint32_t nvsvm_igt_launch(int fd, uint32_t channel, struct nvsvm_igt_bo *bo,
			  uint64_t code_va, uint64_t param_va,
			  uint32_t blocks, uint32_t threads);

/*
 * The emulator's fault-injection knobs, /sys/kernel/debug/nvsvm-sim/<board>/
 * <knob>, for the board of the GPU behind @fd (docs/hardware.md, "Fault injection").
 * nvsvm_igt_require_sim_knob() skips the subtest when the knob does not
 * exist (an emulator without it); a knob set is put back to 0 at exit,
 * even if the test fails.
 */
void nvsvm_igt_require_sim_knob(int fd, const char *knob);
void nvsvm_igt_sim_knob_set(int fd, const char *knob, unsigned long value);
unsigned long nvsvm_igt_sim_knob_get(int fd, const char *knob);

/* Wait at most @timeout_ms for @knob to read 0 (a counting knob consumed). */
bool nvsvm_igt_sim_knob_wait_zero(int fd, const char *knob, unsigned int timeout_ms);

/* A hardware channel as the driver's debugfs "channels" file shows it. */
struct nvsvm_igt_chan_hw {
	uint32_t hw_id;
	uint64_t inst;		/* the instance block's location */
	uint32_t tag;
};

/*
 * CHANNEL_ALLOC, also returning the new channel's hardware channel,
 * instance block and tag from debugfs (the line that appeared, of this
 * process and with the channel's id). Nothing else may allocate channels
 * meanwhile.
 */
uint32_t nvsvm_igt_channel_alloc_hw(int fd, struct nvsvm_igt_chan_hw *hw);

/* Read a value the GPU writes, past the compiler's caching. */
#define NVSVM_IGT_READ(x) (*(volatile __typeof__(x) *)&(x))
#define NVSVM_IGT_WRITE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

/*
 * Shared virtual memory (uAPI 1.3): an SVM VM mirrors the process, so jobs,
 * kernels and data all live in plain process memory, and jobs complete
 * through user fences. The raw ioctls below (__ ones return 0 or -errno)
 * are what the SVM tests check the kernel through.
 */

/* How long an SVM job that should complete may take: faults are serviced
 * by an interpreter's driver, possibly under QEMU's software emulation. */
#define NVSVM_IGT_SVM_TIMEOUT_MS	60000

/* For nvsvm_igt_assert_svm_fault(): any fault type (see there). */
#define NVSVM_IGT_ANY_FAULT_TYPE	0xffffffffu

/* SVM_INIT of [@bo_va, @bo_va + @bo_range) as the BO window. */
int __nvsvm_igt_svm_init(int fd, uint64_t bo_va, uint64_t bo_range);
void nvsvm_igt_svm_init(int fd, uint64_t bo_va, uint64_t bo_range);

/* WAIT_USER_FENCE (restarted after a signal with the time left). */
int __nvsvm_igt_wait_user_fence(int fd, uint64_t va, uint64_t value, uint64_t mask,
				uint32_t op, int64_t timeout_ns, uint32_t channel);

/* EXEC of @count push buffers writing @fence_value at @fence_va when done. */
int __nvsvm_igt_exec_fence(int fd, uint32_t channel, const struct drm_nvsvm_push *pushes,
			   uint32_t count, uint64_t fence_va, uint64_t fence_value);

/*
 * A job in process memory: a push buffer of up to 4 KiB and a user fence,
 * both malloc'd. Write methods with nvsvm_push_*(&job->push, ...).
 */
struct nvsvm_igt_job {
	int fd;
	uint32_t channel;
	struct nvsvm_push push;	/* the methods, written into buf */
	uint32_t *buf;		/* the push buffer's memory */
	uint64_t *fence;	/* the user fence: 0 until the job completes */
	uint64_t value;		/* what the job writes at fence */
};

void nvsvm_igt_job_init(struct nvsvm_igt_job *job, int fd, uint32_t channel);
/* EXEC it with its user fence; 0 or -errno. */
int __nvsvm_igt_job_submit(struct nvsvm_igt_job *job);
void nvsvm_igt_job_submit(struct nvsvm_igt_job *job);
/*
 * Wait at most @timeout_ms for the job's fence, ended early by its
 * channel's failure: 0, -ETIME, -EIO (the channel failed) or another error.
 */
int nvsvm_igt_job_wait(struct nvsvm_igt_job *job, unsigned int timeout_ms);
/* Free its memory; nothing may use it any more. */
void nvsvm_igt_job_fini(struct nvsvm_igt_job *job);

/* Assemble @src into malloc'd memory as the GPU reads it; free() it. */
uint64_t *nvsvm_igt_svm_code(const char *src);

/*
 * Run @blocks x @threads of the kernel at @code with parameters @params
 * on @channel and wait for it (NVSVM_IGT_SVM_TIMEOUT_MS): 0 if it
 * completed, -EIO if the channel failed, or the wait's error.
 */
int nvsvm_igt_svm_launch(int fd, uint32_t channel, const uint64_t *code,
			 const void *params, uint32_t blocks, uint32_t threads);

/*
 * @channel failed with MMU_FAULT at @address by @access of @client, and
 * the kernel cancelled it for @reason; its fault type is @fault_type, or
 * anything with NVSVM_IGT_ANY_FAULT_TYPE (what the GPU's page table held
 * depends on what the driver mapped before: an untouched page is invalid,
 * one read before may be mapped read-only).
 */
void nvsvm_igt_assert_svm_fault(int fd, uint32_t channel, uint64_t address, uint32_t access,
				uint32_t fault_type, uint32_t reason, uint32_t client);

/* The driver's svm_stats; skips the subtest if it has none (no debugfs). */
void nvsvm_igt_svm_stats(struct nvsvm_device *dev, struct nvsvm_svm_stats *stats);

/* The emulator's board of render node @fd ("nvsvm-gpu0"), from sysfs. */
void nvsvm_igt_board_name(int fd, char *name, size_t size);

/*
 * The emulator's fault-injection knob @knob of @fd's GPU
 * (/sys/kernel/debug/nvsvm-sim/<board>/<knob>): skips the subtest if the
 * emulator was built without fault injection. Writing arms it; reading
 * tells what is left.
 */
void nvsvm_igt_sim_knob_path(int fd, const char *knob, char *path, size_t size);
void nvsvm_igt_sim_knob_write(const char *path, unsigned long value);
unsigned long nvsvm_igt_sim_knob_read(const char *path);

#endif /* NVSVM_IGT_H */
