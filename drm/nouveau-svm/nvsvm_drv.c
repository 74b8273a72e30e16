// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

/**
 * DOC: Driver
 *
 * nvsvm is a platform driver for "nvsvm-gpu<N>" devices and a DRM driver with
 * one render node per bound GPU. The GPUs come from a backend module: the
 * emulator, nvsvm-sim, plugs them in as platform devices. The driver links
 * nothing of it and reaches a GPU only through its &struct nvsvm_hw, so a
 * real backend could bind in its place.
 *
 * Unbinding a GPU (the driver's sysfs unbind, or its board going away when
 * the backend unloads, the emulator's hot unplug) unplugs its DRM device:
 * files that are still open keep a reference to it, and every ioctl on
 * them fails with -ENODEV. The hardware is stopped before the unbind
 * completes: channels are reset, their jobs fail with -ENODEV, and the
 * fault buffer is taken back; after that the driver never touches the
 * hardware again, which may be gone. An open file holds a reference on the
 * driver module, so unloading it is refused while one exists.
 */

#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <kunit/visibility.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_managed.h>
#include <drm/drm_print.h>

#include "nvsvm_chan.h"
#include "nvsvm_compat.h"
#include "nvsvm_device.h"
#include "nvsvm_drm.h"
#include "nvsvm_fault.h"
#include "nvsvm_fifo.h"
#include "nvsvm_gem.h"
#include "nvsvm_hw.h"
#include "nvsvm_svm.h"
#include "nvsvm_vm.h"

/*
 * uAPI version: the minor grows with each addition.
 * 1.0: GET_PARAM. 1.1: BO_CREATE, BO_MMAP_OFFSET, VM_BIND.
 * 1.2: CHANNEL_ALLOC, CHANNEL_FREE, EXEC, CHANNEL_GET_ERROR, PARAM_CHANNEL_COUNT.
 * 1.3: SVM_INIT, WAIT_USER_FENCE, EXEC's user fences, CHANNEL_GET_ERROR's
 *      reason, PARAM_CHANNELS_PER_FILE.
 */
#define NVSVM_DRIVER_MAJOR	1
#define NVSVM_DRIVER_MINOR	3

static int nvsvm_ioctl_get_param(struct drm_device *drm, void *data,
				 struct drm_file *file)
{
	struct drm_nvsvm_get_param *args = data;

	if (args->flags || args->pad)
		return -EINVAL;

	return nvsvm_device_get_param(&to_nvsvm_device(drm)->info,
				      args->param, &args->value);
}

static const struct drm_ioctl_desc nvsvm_ioctls[] = {
	DRM_IOCTL_DEF_DRV(NVSVM_GET_PARAM, nvsvm_ioctl_get_param, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(NVSVM_BO_CREATE, nvsvm_ioctl_bo_create, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(NVSVM_BO_MMAP_OFFSET, nvsvm_ioctl_bo_mmap_offset, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(NVSVM_VM_BIND, nvsvm_ioctl_vm_bind, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(NVSVM_CHANNEL_ALLOC, nvsvm_ioctl_channel_alloc, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(NVSVM_CHANNEL_FREE, nvsvm_ioctl_channel_free, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(NVSVM_EXEC, nvsvm_ioctl_exec, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(NVSVM_CHANNEL_GET_ERROR, nvsvm_ioctl_channel_get_error,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(NVSVM_SVM_INIT, nvsvm_ioctl_svm_init, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(NVSVM_WAIT_USER_FENCE, nvsvm_ioctl_wait_user_fence,
			  DRM_RENDER_ALLOW),
};

static int nvsvm_open(struct drm_device *drm, struct drm_file *file)
{
	struct nvsvm_file *nfile = kzalloc(sizeof(*nfile), GFP_KERNEL);

	if (!nfile)
		return -ENOMEM;
	nfile->vm = nvsvm_vm_create(to_nvsvm_device(drm));
	if (IS_ERR(nfile->vm)) {
		int ret = PTR_ERR(nfile->vm);

		kfree(nfile);
		return ret;
	}
	xa_init_flags(&nfile->channels, XA_FLAGS_ALLOC1);
	file->driver_priv = nfile;
	return 0;
}

static void nvsvm_postclose(struct drm_device *drm, struct drm_file *file)
{
	struct nvsvm_file *nfile = file->driver_priv;

	/* Channels first: their rings are mapped in the VM. */
	nvsvm_chan_close_all(nfile);
	xa_destroy(&nfile->channels);
	/*
	 * No channel of the VM is left to fault, but the fault work may still
	 * be servicing one's faults: let it finish before the mirror goes.
	 */
	nvsvm_fault_flush(to_nvsvm_device(drm));
	nvsvm_svm_fini(nfile->vm);
	nvsvm_vm_destroy(nfile->vm);
	kfree(nfile);
}

DEFINE_DRM_GEM_FOPS(nvsvm_drm_fops);

static const struct drm_driver nvsvm_drm_driver = {
	.driver_features = DRIVER_RENDER | DRIVER_GEM | DRIVER_SYNCOBJ |
			   DRIVER_SYNCOBJ_TIMELINE,
	.open = nvsvm_open,
	.postclose = nvsvm_postclose,
	DRM_GEM_SHMEM_DRIVER_OPS,
	.ioctls = nvsvm_ioctls,
	.num_ioctls = ARRAY_SIZE(nvsvm_ioctls),
	.fops = &nvsvm_drm_fops,
	.name = "nvsvm",
	.desc = "nvsvm shared virtual memory GPU (emulated)",
#ifdef NVSVM_HAVE_DRM_DRIVER_DATE
	.date = "20261121",
#endif
	.major = NVSVM_DRIVER_MAJOR,
	.minor = NVSVM_DRIVER_MINOR,
};

static int nvsvm_probe(struct platform_device *pdev)
{
	const struct nvsvm_hw_platform_data *pdata = dev_get_platdata(&pdev->dev);
	struct nvsvm_device *ndev;
	int ret;

	if (!pdata || !pdata->hw)
		return -ENODEV;

	ndev = devm_drm_dev_alloc(&pdev->dev, &nvsvm_drm_driver,
				  struct nvsvm_device, base);
	if (IS_ERR(ndev))
		return PTR_ERR(ndev);

	ndev->hw = pdata->hw;
	ret = drmm_mutex_init(&ndev->base, &ndev->mmu_lock);
	if (ret)
		return ret;
	ret = nvsvm_device_info_read(ndev->hw, &pdev->dev, &ndev->info);
	if (ret)
		return ret;
	ret = nvsvm_device_init_wq(ndev);
	if (ret)
		return ret;
	ret = nvsvm_chan_init(ndev);
	if (ret)
		return ret;
	ret = nvsvm_svm_dev_init(ndev);
	if (ret)
		return ret;
	ret = nvsvm_fifo_init(ndev, pdev);
	if (ret)
		return ret;
	ret = nvsvm_fault_init(ndev, pdev);
	if (ret)
		goto err_fifo_unplug;

	platform_set_drvdata(pdev, ndev);
	ret = drm_dev_register(&ndev->base, 0);
	if (ret)
		goto err_fault_unplug;

	drm_info(&ndev->base, "GPU %#010x: %llu MiB VRAM, %u SMs, %u copy engines, %u channels\n",
		 ndev->info.chipset, ndev->info.vram_size >> 20,
		 ndev->info.sm_count, ndev->info.ce_count, ndev->info.chan_count);
	return 0;

err_fault_unplug:
	nvsvm_fault_unplug(ndev);
err_fifo_unplug:
	nvsvm_fifo_unplug(ndev);
	return ret;
}

static void nvsvm_remove(struct platform_device *pdev)
{
	struct nvsvm_device *ndev = platform_get_drvdata(pdev);

	drm_dev_unplug(&ndev->base);
	/* No ioctl runs any more: stop the hardware before letting it go. */
	nvsvm_fault_unplug(ndev);
	nvsvm_fifo_unplug(ndev);
}

/* The boards, as a PCI driver lists device ids. */
static const struct platform_device_id nvsvm_platform_ids[] = {
	{ NVSVM_HW_DEVICE_NAME "0" }, { NVSVM_HW_DEVICE_NAME "1" },
	{ NVSVM_HW_DEVICE_NAME "2" }, { NVSVM_HW_DEVICE_NAME "3" },
	{ NVSVM_HW_DEVICE_NAME "4" }, { NVSVM_HW_DEVICE_NAME "5" },
	{ NVSVM_HW_DEVICE_NAME "6" }, { NVSVM_HW_DEVICE_NAME "7" },
	{ }
};

static_assert(ARRAY_SIZE(nvsvm_platform_ids) == NVSVM_HW_MAX_DEVICES + 1);
MODULE_DEVICE_TABLE(platform, nvsvm_platform_ids);

static struct platform_driver nvsvm_platform_driver = {
	.probe = nvsvm_probe,
	.remove = nvsvm_remove,
	.id_table = nvsvm_platform_ids,
	.driver = {
		.name = "nvsvm",
	},
};

module_platform_driver(nvsvm_platform_driver);

MODULE_AUTHOR("The nvsvm authors");
MODULE_DESCRIPTION("Shared virtual memory GPU driver");
MODULE_LICENSE("Dual MIT/GPL");
