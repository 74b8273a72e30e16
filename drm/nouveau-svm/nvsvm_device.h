/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Copyright 2026 The nvsvm authors */
#ifndef __NVSVM_DEVICE_H__
#define __NVSVM_DEVICE_H__

#include <linux/lockdep.h>
#include <linux/types.h>

#include <drm/drm_file.h>

#include "nvsvm_device_types.h"

struct device;

static inline struct nvsvm_vm *nvsvm_file_vm(struct drm_file *file)
{
	return ((struct nvsvm_file *)file->driver_priv)->vm;
}

static inline struct nvsvm_device *to_nvsvm_device(struct drm_device *drm)
{
	return container_of(drm, struct nvsvm_device, base);
}

/* The most channels one file may hold (DRM_NVSVM_PARAM_CHANNELS_PER_FILE). */
static inline u32 nvsvm_device_channels_per_file(const struct nvsvm_device_info *info)
{
	return max(info->chan_count / 4, 1u);
}

int nvsvm_device_init_wq(struct nvsvm_device *ndev);
int nvsvm_device_info_read(struct nvsvm_hw *hw, struct device *dev,
			   struct nvsvm_device_info *info);
int nvsvm_device_mmu_invalidate(struct nvsvm_device *ndev, u64 pdb, u64 va,
				u64 size, bool blockable);
int nvsvm_device_get_param(const struct nvsvm_device_info *info, u32 param,
			   u64 *value);

#endif /* __NVSVM_DEVICE_H__ */
