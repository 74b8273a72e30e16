/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Copyright 2026 The nvsvm authors */
#ifndef __NVSVM_DEVICE_TYPES_H__
#define __NVSVM_DEVICE_TYPES_H__

#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/xarray.h>

#include <drm/drm_device.h>

struct nvsvm_chan_sched;
struct nvsvm_fault;
struct nvsvm_fifo;
struct nvsvm_hw;
struct nvsvm_svm_ctx;
struct nvsvm_svm_stats;
struct nvsvm_vm;
struct workqueue_struct;

/* The most hardware channels the driver handles (the register map's room). */
#define NVSVM_MAX_CHANNELS	64

/**
 * struct nvsvm_device_info - What the identity registers said at probe
 *
 * Immutable after probe.
 */
struct nvsvm_device_info {
	/** @chipset: BOOT0: architecture << 20 | implementation. */
	u32 chipset;
	/** @vram_size: VRAM size in bytes. */
	u64 vram_size;
	/** @sm_count: Number of SMs. */
	u32 sm_count;
	/** @ce_count: Number of copy engines. */
	u32 ce_count;
	/** @va_bits: Width of a GPU virtual address. */
	u32 va_bits;
	/** @page_sizes: Bit N set: the MMU maps pages of 1 << N bytes. */
	u32 page_sizes;
	/** @chan_count: Number of hardware channels. */
	u32 chan_count;
};

/**
 * struct nvsvm_device - One GPU bound to the driver
 *
 * Locking order, outermost first (see also nvsvm_vm_types.h):
 * &nvsvm_vm.lock, &nvsvm_vm.notifier_lock, @mmu_lock. Nothing allocates
 * memory under @mmu_lock: the notifier path, which reclaim may wait on,
 * takes it.
 */
struct nvsvm_device {
	/** @base: The DRM device. */
	struct drm_device base;

	/** @hw: The hardware. Immutable; valid while the device is bound. */
	struct nvsvm_hw *hw;

	/** @info: Identity, read once at probe. Immutable. */
	struct nvsvm_device_info info;

	/**
	 * @mmu_lock: Protects the MMU invalidate registers: one invalidate
	 * runs at a time, from its register writes to the end of its poll.
	 * Inside &nvsvm_vm.notifier_lock.
	 */
	struct mutex mmu_lock;

	/**
	 * @wedged: A channel reset never completed: the host block cannot be
	 * trusted, and CHANNEL_ALLOC fails with -EIO. Set once (WRITE_ONCE()),
	 * never cleared while the device is bound; read without a lock.
	 */
	bool wedged;

	/**
	 * @wq: Ordered, for the interrupts' bottom halves that signal fences
	 * (FIFO errors, the lost-interrupt watchdog); WQ_MEM_RECLAIM, since
	 * reclaim may wait on those fences. Immutable.
	 */
	struct workqueue_struct *wq;

	/** @fifo: The host block: hardware channels and their interrupt. Immutable. */
	struct nvsvm_fifo *fifo;

	/** @fault: The replayable fault buffer. Immutable. */
	struct nvsvm_fault *fault;

	/** @svm_stats: SVM counters (debugfs svm_stats). Immutable pointer. */
	struct nvsvm_svm_stats *svm_stats;

	/**
	 * @svm_ctx: Scratch of fault servicing (nvsvm_svm_service()), which
	 * only the fault work uses, one batch at a time. Immutable pointer.
	 */
	struct nvsvm_svm_ctx *svm_ctx;

	/**
	 * @chan_scheds: The scheduler of each hardware channel, created on
	 * first use by the channel that owns the hardware channel, which is
	 * the only user while it owns it; the hardware channel's ownership
	 * (&nvsvm_fifo.lock) protects the slot.
	 */
	struct nvsvm_chan_sched *chan_scheds[NVSVM_MAX_CHANNELS];
};

/**
 * struct nvsvm_file - What the driver keeps per DRM file
 */
struct nvsvm_file {
	/** @vm: The file's GPU address space. Immutable. */
	struct nvsvm_vm *vm;

	/**
	 * @channels: &struct nvsvm_chan by id, 1 to the per-file limit
	 * (DRM_NVSVM_PARAM_CHANNELS_PER_FILE). An id is reserved (a NULL
	 * entry) while its channel is created. Each channel entry holds a
	 * reference. Protected by the xarray's own lock.
	 */
	struct xarray channels;
};

#endif /* __NVSVM_DEVICE_TYPES_H__ */
