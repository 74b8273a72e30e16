/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Copyright 2026 The nvsvm authors */
#ifndef __NVSVM_DEVICE_H__
#define __NVSVM_DEVICE_H__

#include <drm/drm_device.h>

struct device;
struct nvsvm_hw;

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
};

static inline struct nvsvm_device *to_nvsvm_device(struct drm_device *drm)
{
	return container_of(drm, struct nvsvm_device, base);
}

int nvsvm_device_info_read(struct nvsvm_hw *hw, struct device *dev,
			   struct nvsvm_device_info *info);
int nvsvm_device_get_param(const struct nvsvm_device_info *info, u32 param,
			   u64 *value);

#endif /* __NVSVM_DEVICE_H__ */
