// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

/**
 * DOC: Device identity
 *
 * At probe the driver reads the identity registers once, checks that it
 * knows the GPU, and keeps what they said in &struct nvsvm_device_info.
 * GET_PARAM answers from that copy, so a query never touches the hardware
 * and keeps working (with -ENODEV from the DRM core) after an unplug.
 *
 * This file also holds what the blocks share: the MMU invalidate sequence
 * and the device's ordered workqueue for the interrupts' bottom halves.
 *
 * The MMU invalidate is triggered, then polled (no register write waits
 * for the GPU), under &nvsvm_device.mmu_lock, with a bounded wait: a
 * sleeping poll for callers that may block, a short busy-wait or -EAGAIN
 * for those that may not (an mmu notifier in a non-blockable context). It
 * never allocates: it runs under the VM's notifier lock.
 */

#include <linux/bitfield.h>
#include <linux/device.h>
#include <linux/iopoll.h>
#include <linux/sizes.h>
#include <linux/workqueue.h>
#include <kunit/visibility.h>

#include <drm/drm_drv.h>
#include <drm/drm_managed.h>
#include <drm/drm_print.h>

#include "nvsvm_device.h"
#include "nvsvm_drm.h"
#include "nvsvm_hw.h"
#include "nvsvm_regs.h"

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
	info->chan_count = nvsvm_hw_rd32(hw, NVSVM_REG_CHAN_COUNT);

	/* The GPU and CPU share addresses: the GPU VA width is the CPU's. */
	if (!info->vram_size || !info->sm_count || !info->ce_count ||
	    info->va_bits != NVSVM_VA_BITS || !(info->page_sizes & SZ_4K) ||
	    !info->chan_count || info->chan_count > NVSVM_MAX_CHANNELS) {
		dev_err(dev,
			"GPU %#010x: unusable identity: %llu MiB VRAM, %u SMs, %u CEs, %u VA bits, page sizes %#x, %u channels\n",
			boot0, info->vram_size >> 20, info->sm_count,
			info->ce_count, info->va_bits, info->page_sizes,
			info->chan_count);
		return -ENODEV;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_device_info_read);

static void nvsvm_device_destroy_wq(struct drm_device *drm, void *arg)
{
	destroy_workqueue(arg);
}

/**
 * nvsvm_device_init_wq() - Create the device's workqueue
 * @ndev: The device, at probe.
 *
 * Return: 0 or a negative errno.
 */
int nvsvm_device_init_wq(struct nvsvm_device *ndev)
{
	ndev->wq = alloc_ordered_workqueue("%s", WQ_MEM_RECLAIM, dev_name(ndev->base.dev));
	if (!ndev->wq)
		return -ENOMEM;
	return drmm_add_action_or_reset(&ndev->base, nvsvm_device_destroy_wq, ndev->wq);
}

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
	case DRM_NVSVM_PARAM_CHANNEL_COUNT:
		*value = info->chan_count;
		return 0;
	case DRM_NVSVM_PARAM_CHANNELS_PER_FILE:
		*value = nvsvm_device_channels_per_file(info);
		return 0;
	default:
		return -EINVAL;
	}
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_device_get_param);

/*
 * How long an invalidate may take. Blockable callers sleep-poll for up to
 * NVSVM_MMU_INV_TIMEOUT_US (on an emulated GPU under a loaded, emulated
 * CPU, completion can take a while; anything longer means the GPU stopped
 * responding). A caller that may not block busy-waits for at most
 * NVSVM_MMU_INV_ATOMIC_US and lets its caller retry.
 */
#define NVSVM_MMU_INV_TIMEOUT_US	(2 * USEC_PER_SEC)
#define NVSVM_MMU_INV_POLL_US		20
#define NVSVM_MMU_INV_ATOMIC_US		100

static bool nvsvm_device_mmu_inv_idle(struct nvsvm_hw *hw)
{
	return !(nvsvm_hw_rd32(hw, NVSVM_REG_MMU_INV_STATUS) & NVSVM_MMU_INV_STATUS_PENDING);
}

/* Wait for MMU_INV_STATUS.PENDING to clear: 0, -ETIMEDOUT, or -EAGAIN. */
static int nvsvm_device_mmu_inv_wait(struct nvsvm_hw *hw, bool blockable)
{
	bool idle;
	int ret;

	if (blockable)
		return read_poll_timeout(nvsvm_device_mmu_inv_idle, idle, idle,
					 NVSVM_MMU_INV_POLL_US, NVSVM_MMU_INV_TIMEOUT_US,
					 false, hw);
	ret = read_poll_timeout_atomic(nvsvm_device_mmu_inv_idle, idle, idle, 1,
				       NVSVM_MMU_INV_ATOMIC_US, false, hw);
	return ret ? -EAGAIN : 0;
}

/**
 * nvsvm_device_mmu_invalidate() - Drop a VM's cached translations
 * @ndev: The device.
 * @pdb: DMA address of the VM's root table (system memory).
 * @va: First address of the range.
 * @size: Size of the range; 0: the whole VM.
 * @blockable: Whether the caller may sleep.
 *
 * The register sequence of the "MMU invalidate" section of nvsvm_regs.h:
 * wait for a previous invalidate to complete (a trigger while one is
 * pending would be ignored, and its registers must not change), write the
 * range, trigger, and poll MMU_INV_STATUS.PENDING, all with a bounded
 * wait. When it returns 0, no GPU access uses a translation of the range
 * cached before the call. Does nothing once the device is unplugged: the
 * driver no longer owns it, and stopped its channels.
 *
 * A caller that may not block gets -EAGAIN rather than waiting: if
 * &nvsvm_device.mmu_lock is taken, if a previous invalidate is still
 * pending, or if its own does not complete within a few microseconds (it
 * stays pending; a later call waits for it).
 *
 * Context: &nvsvm_device.mmu_lock must not be held; it is taken inside
 * &nvsvm_vm.notifier_lock. Sleeps if @blockable.
 *
 * Return: 0; -EAGAIN (!@blockable only); -ETIMEDOUT if the GPU did not
 * complete the invalidate in time: the caller must make sure otherwise
 * that nothing uses the translations (nvsvm_vm_tlb_invalidate() resets the
 * VM's channels).
 */
int nvsvm_device_mmu_invalidate(struct nvsvm_device *ndev, u64 pdb, u64 va,
				u64 size, bool blockable)
{
	struct nvsvm_hw *hw = ndev->hw;
	int idx, ret;

	if (!drm_dev_enter(&ndev->base, &idx))
		return 0;

	if (blockable) {
		mutex_lock(&ndev->mmu_lock);
	} else if (!mutex_trylock(&ndev->mmu_lock)) {
		ret = -EAGAIN;
		goto out_exit;
	}

	ret = nvsvm_device_mmu_inv_wait(hw, blockable);
	if (ret)
		goto out_unlock;
	nvsvm_hw_wr32(hw, NVSVM_REG_MMU_INV_PDB_LO,
		      lower_32_bits(pdb) | NVSVM_ADDR_LO_SYSMEM);
	nvsvm_hw_wr32(hw, NVSVM_REG_MMU_INV_PDB_HI, upper_32_bits(pdb));
	nvsvm_hw_wr32(hw, NVSVM_REG_MMU_INV_VA_LO, lower_32_bits(va));
	nvsvm_hw_wr32(hw, NVSVM_REG_MMU_INV_VA_HI, upper_32_bits(va));
	nvsvm_hw_wr32(hw, NVSVM_REG_MMU_INV_SIZE_LO, lower_32_bits(size));
	nvsvm_hw_wr32(hw, NVSVM_REG_MMU_INV_SIZE_HI, upper_32_bits(size));
	nvsvm_hw_wr32(hw, NVSVM_REG_MMU_INV_TRIGGER, 1);
	ret = nvsvm_device_mmu_inv_wait(hw, blockable);

out_unlock:
	mutex_unlock(&ndev->mmu_lock);
out_exit:
	drm_dev_exit(idx);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_device_mmu_invalidate);
