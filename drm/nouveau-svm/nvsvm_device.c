// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

/**
 * DOC: Device identity
 *
 * At probe the driver reads the identity registers once, checks that it
 * knows the GPU, and keeps what they said in &struct nvsvm_device_info.
 * GET_PARAM answers from that copy, so a query never touches the hardware
 * and keeps working (with -ENODEV from the DRM core) after an unplug.
 */

#include <linux/bitfield.h>
#include <linux/device.h>
#include <linux/sizes.h>
#include <kunit/visibility.h>

#include "nvsvm_device.h"
#include "nvsvm_drm.h"
#include "nvsvm_hw.h"
#include "nvsvm_regs.h"

/* The GPU and CPU share addresses: the GPU VA width is the CPU's. */
#define NVSVM_VA_BITS	48

/**
 * nvsvm_device_info_read() - Read and check the identity registers
 * @hw: The GPU.
 * @dev: Device to report problems against.
 * @info: Filled in.
 *
 * Return: 0, or -ENODEV if this is not a GPU the driver can drive.
 */
int nvsvm_device_info_read(struct nvsvm_hw *hw, struct device *dev,
			   struct nvsvm_device_info *info)
{
	u32 boot0 = nvsvm_hw_rd32(hw, NVSVM_REG_BOOT0);

	if (FIELD_GET(NVSVM_BOOT0_ARCH, boot0) != NVSVM_ARCH_SV10) {
		dev_err(dev, "unknown GPU, BOOT0 %#010x\n", boot0);
		return -ENODEV;
	}

	info->chipset = boot0;
	info->vram_size = (u64)nvsvm_hw_rd32(hw, NVSVM_REG_VRAM_MB) * SZ_1M;
	info->sm_count = nvsvm_hw_rd32(hw, NVSVM_REG_SM_COUNT);
	info->ce_count = nvsvm_hw_rd32(hw, NVSVM_REG_CE_COUNT);
	info->va_bits = nvsvm_hw_rd32(hw, NVSVM_REG_VA_BITS);
	info->page_sizes = nvsvm_hw_rd32(hw, NVSVM_REG_PAGE_SIZES);

	if (!info->vram_size || !info->sm_count || !info->ce_count ||
	    info->va_bits != NVSVM_VA_BITS || !(info->page_sizes & SZ_4K)) {
		dev_err(dev,
			"GPU %#010x: unusable identity: %llu MiB VRAM, %u SMs, %u CEs, %u VA bits, page sizes %#x\n",
			boot0, info->vram_size >> 20, info->sm_count,
			info->ce_count, info->va_bits, info->page_sizes);
		return -ENODEV;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_device_info_read);

/**
 * nvsvm_device_get_param() - Answer a GET_PARAM query
 * @info: The device's identity.
 * @param: One of &enum drm_nvsvm_param.
 * @value: Set to the answer.
 *
 * Return: 0, or -EINVAL for an unknown @param.
 */
int nvsvm_device_get_param(const struct nvsvm_device_info *info, u32 param,
			   u64 *value)
{
	switch (param) {
	case DRM_NVSVM_PARAM_CHIPSET_ID:
		*value = info->chipset;
		return 0;
	case DRM_NVSVM_PARAM_VRAM_SIZE:
		*value = info->vram_size;
		return 0;
	case DRM_NVSVM_PARAM_SM_COUNT:
		*value = info->sm_count;
		return 0;
	case DRM_NVSVM_PARAM_CE_COUNT:
		*value = info->ce_count;
		return 0;
	case DRM_NVSVM_PARAM_VA_BITS:
		*value = info->va_bits;
		return 0;
	case DRM_NVSVM_PARAM_PAGE_SIZES:
		*value = info->page_sizes;
		return 0;
	default:
		return -EINVAL;
	}
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_device_get_param);
