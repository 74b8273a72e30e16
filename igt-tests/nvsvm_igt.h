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
 * <knob>, for the board of the GPU behind @fd (CONTRACTS.md section 2).
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

#endif /* NVSVM_IGT_H */
