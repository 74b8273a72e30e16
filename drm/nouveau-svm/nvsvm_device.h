/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Copyright 2026 The nvsvm authors */
#ifndef __NVSVM_DEVICE_H__
#define __NVSVM_DEVICE_H__

#include <linux/mutex.h>
#include <linux/xarray.h>

#include <drm/drm_device.h>
#include <drm/drm_file.h>

struct device;
struct nvsvm_chan_sched;
struct nvsvm_fault;
struct nvsvm_fifo;
struct nvsvm_hw;

/* The most hardware channels the driver handles (the register map's room). */
#define NVSVM_MAX_CHANNELS	64

/**
 * struct nvsvm_device_info - What the identity registers said at probe
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
 */
struct nvsvm_device {
	/** @base: The DRM device. */
	struct drm_device base;

	/** @hw: The hardware. Valid while the device is bound. */
	struct nvsvm_hw *hw;

	/** @info: Identity, read once at probe. Immutable. */
	struct nvsvm_device_info info;

	/** @mmu_lock: Serialises the MMU invalidate register sequence. */
	struct mutex mmu_lock;

	/**
	 * @wq: Ordered, for the interrupts' bottom halves. It may reclaim
	 * memory: they signal fences.
	 */
	struct workqueue_struct *wq;

	/** @fifo: The host block: hardware channels and their interrupt. */
	struct nvsvm_fifo *fifo;

	/** @fault: The replayable fault buffer. */
	struct nvsvm_fault *fault;

	/**
	 * @chan_scheds: The scheduler of each hardware channel, created on
	 * first use; used by the channel that owns the hardware channel.
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
	 * @channels: &struct nvsvm_chan by id (from 1). Each entry holds a
	 * reference. The xarray's lock protects it.
	 */
	struct xarray channels;
};

static inline struct nvsvm_vm *nvsvm_file_vm(struct drm_file *file)
{
	return ((struct nvsvm_file *)file->driver_priv)->vm;
}

static inline struct nvsvm_device *to_nvsvm_device(struct drm_device *drm)
{
	return container_of(drm, struct nvsvm_device, base);
}

int nvsvm_device_init_wq(struct nvsvm_device *ndev);
int nvsvm_device_info_read(struct nvsvm_hw *hw, struct device *dev,
			   struct nvsvm_device_info *info);
int nvsvm_device_mmu_invalidate(struct nvsvm_device *ndev, dma_addr_t pdb,
				u64 va, u64 range);
int nvsvm_device_get_param(const struct nvsvm_device_info *info, u32 param,
			   u64 *value);

#endif /* __NVSVM_DEVICE_H__ */
