// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

/**
 * DOC: Emulated GPU
 *
 * sim/ is a GPU in software: the hardware behind &struct nvsvm_hw. Each
 * hardware block lives in its own file; this one creates GPUs, decodes
 * register offsets to blocks, and plugs the GPUs in as "boards": one
 * platform device per GPU, named "nvsvm-gpu<N>", carrying the &struct
 * nvsvm_hw as platform data. The driver binds to those devices like to any
 * other. Each board has a name of its own, not a shared name with an
 * instance number, because userspace tells platform devices without
 * firmware nodes apart by name (libdrm's drmGetDevices2() folds devices
 * whose names match into one).
 *
 * Module parameters choose the boards: num_gpus, vram_mb and num_sms. They
 * are the hardware's configuration, read once at module load; the driver
 * learns them only from the identity registers.
 *
 * Lifetime: a board's GPU is created before its platform device is added
 * and destroyed after the device is unregistered (which unbinds the
 * driver), so the hardware always outlives the driver's use of it.
 */

#include <linux/cpumask.h>
#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <kunit/visibility.h>

#include "../nvsvm_regs.h"
#include "sim_internal.h"

#define NVSVM_SIM_MAX_SMS	64
#define NVSVM_SIM_MIN_VRAM_MB	16
#define NVSVM_SIM_MAX_VRAM_MB	(64 * 1024)
#define NVSVM_SIM_DEFAULT_SMS	8
#define NVSVM_SIM_CE_COUNT	1

#define NVSVM_SIM_ID_BASE	0x000000
#define NVSVM_SIM_ID_END	0x001000

static unsigned int num_gpus = 1;
module_param(num_gpus, uint, 0444);
MODULE_PARM_DESC(num_gpus, "Number of emulated GPUs (1-8, default 1)");

static unsigned int vram_mb = 64;
module_param(vram_mb, uint, 0444);
MODULE_PARM_DESC(vram_mb, "VRAM of each emulated GPU in MiB (16-65536, default 64)");

static unsigned int num_sms;
module_param(num_sms, uint, 0444);
MODULE_PARM_DESC(num_sms, "SMs of each emulated GPU (1-64; default 0: one per online CPU, at most 8)");

static u32 nvsvm_sim_rd32(struct nvsvm_hw *hw, u32 reg)
{
	struct nvsvm_sim *sim = to_nvsvm_sim(hw);

	if (reg >= NVSVM_SIM_ID_BASE && reg < NVSVM_SIM_ID_END)
		return nvsvm_sim_id_rd32(sim, reg);

	return NVSVM_REG_BAD_VALUE | (reg & NVSVM_REG_BAD_MASK);
}

static void nvsvm_sim_wr32(struct nvsvm_hw *hw, u32 reg, u32 val)
{
	/* The identity block is read-only and nothing else is decoded yet. */
}

static const struct nvsvm_hw_ops nvsvm_sim_hw_ops = {
	.rd32 = nvsvm_sim_rd32,
	.wr32 = nvsvm_sim_wr32,
};

/**
 * nvsvm_sim_create() - Create one emulated GPU
 * @cfg: What it is made of. Copied.
 *
 * Return: the GPU, or an ERR_PTR().
 */
struct nvsvm_sim *nvsvm_sim_create(const struct nvsvm_sim_config *cfg)
{
	struct nvsvm_sim *sim;

	if (!cfg->sm_count || !cfg->ce_count || !cfg->vram_mb)
		return ERR_PTR(-EINVAL);

	sim = kzalloc(sizeof(*sim), GFP_KERNEL);
	if (!sim)
		return ERR_PTR(-ENOMEM);

	sim->hw.ops = &nvsvm_sim_hw_ops;
	sim->cfg = *cfg;
	return sim;
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_sim_create);

/**
 * nvsvm_sim_destroy() - Destroy an emulated GPU
 * @sim: The GPU; nothing may use its &struct nvsvm_hw any more.
 */
void nvsvm_sim_destroy(struct nvsvm_sim *sim)
{
	kfree(sim);
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_sim_destroy);

/**
 * nvsvm_sim_hw() - The hardware interface of an emulated GPU
 * @sim: The GPU.
 *
 * Return: its &struct nvsvm_hw, valid until nvsvm_sim_destroy().
 */
struct nvsvm_hw *nvsvm_sim_hw(struct nvsvm_sim *sim)
{
	return &sim->hw;
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_sim_hw);

/**
 * struct nvsvm_sim_board - An emulated GPU plugged in as a platform device
 */
struct nvsvm_sim_board {
	/** @sim: The GPU. */
	struct nvsvm_sim *sim;
	/** @pdev: Its platform device. */
	struct platform_device *pdev;
};

/* Written at module load and unload only. */
static struct nvsvm_sim_board nvsvm_sim_boards[NVSVM_HW_MAX_DEVICES];

static void nvsvm_sim_board_unplug(struct nvsvm_sim_board *board)
{
	platform_device_unregister(board->pdev);
	nvsvm_sim_destroy(board->sim);
	board->pdev = NULL;
	board->sim = NULL;
}

static int nvsvm_sim_board_plug(struct nvsvm_sim_board *board, int id,
				const struct nvsvm_sim_config *cfg)
{
	struct nvsvm_hw_platform_data pdata;
	char name[32];
	struct platform_device_info info = {
		.name = name,
		.id = PLATFORM_DEVID_NONE,
		.data = &pdata,
		.size_data = sizeof(pdata),
		.dma_mask = DMA_BIT_MASK(64),
	};
	struct nvsvm_sim *sim;
	struct platform_device *pdev;

	snprintf(name, sizeof(name), NVSVM_HW_DEVICE_NAME "%d", id);
	sim = nvsvm_sim_create(cfg);
	if (IS_ERR(sim))
		return PTR_ERR(sim);

	pdata.hw = &sim->hw;
	pdev = platform_device_register_full(&info);
	if (IS_ERR(pdev)) {
		nvsvm_sim_destroy(sim);
		return PTR_ERR(pdev);
	}

	board->sim = sim;
	board->pdev = pdev;
	return 0;
}

/**
 * nvsvm_sim_boards_init() - Plug in the GPUs the module parameters ask for
 *
 * Return: 0, -EINVAL for a parameter out of range, or another errno.
 */
int nvsvm_sim_boards_init(void)
{
	struct nvsvm_sim_config cfg = {
		.vram_mb = vram_mb,
		.sm_count = num_sms ?: min(num_online_cpus(), NVSVM_SIM_DEFAULT_SMS),
		.ce_count = NVSVM_SIM_CE_COUNT,
	};
	unsigned int i;
	int ret;

	if (num_gpus < 1 || num_gpus > NVSVM_HW_MAX_DEVICES) {
		pr_err("nvsvm: num_gpus=%u out of range 1-%u\n",
		       num_gpus, NVSVM_HW_MAX_DEVICES);
		return -EINVAL;
	}
	if (vram_mb < NVSVM_SIM_MIN_VRAM_MB || vram_mb > NVSVM_SIM_MAX_VRAM_MB) {
		pr_err("nvsvm: vram_mb=%u out of range %u-%u\n", vram_mb,
		       NVSVM_SIM_MIN_VRAM_MB, NVSVM_SIM_MAX_VRAM_MB);
		return -EINVAL;
	}
	if (num_sms > NVSVM_SIM_MAX_SMS) {
		pr_err("nvsvm: num_sms=%u out of range 1-%u\n",
		       num_sms, NVSVM_SIM_MAX_SMS);
		return -EINVAL;
	}

	for (i = 0; i < num_gpus; i++) {
		ret = nvsvm_sim_board_plug(&nvsvm_sim_boards[i], i, &cfg);
		if (ret)
			goto err_unplug_boards;
	}
	return 0;

err_unplug_boards:
	while (i--)
		nvsvm_sim_board_unplug(&nvsvm_sim_boards[i]);
	return ret;
}

/**
 * nvsvm_sim_boards_fini() - Unplug every GPU, unbinding the driver from each
 */
void nvsvm_sim_boards_fini(void)
{
	unsigned int i = ARRAY_SIZE(nvsvm_sim_boards);

	while (i--)
		if (nvsvm_sim_boards[i].pdev)
			nvsvm_sim_board_unplug(&nvsvm_sim_boards[i]);
}
