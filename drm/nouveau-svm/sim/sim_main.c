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
 * Module parameters choose the boards: num_gpus, vram_mb, num_sms and
 * watchdog_ms (how long a compute launch may run); every board has
 * %NVSVM_SIM_CE_COUNT copy engines. They are the hardware's configuration,
 * read once at module load; the driver learns them only from the identity
 * registers.
 *
 * With CONFIG_DRM_NVSVM_SIM_FAULT_INJECT, module load also makes the
 * debugfs directory nvsvm-sim, in which each GPU gets its fault-injection
 * knobs (sim_inject.c).
 *
 * The board also hands over the GPU's interrupt lines as named IRQ
 * resources ("fifo", "fault", "ce", "acc"), as firmware would describe a
 * device's interrupts.
 *
 * The emulator is a module of its own, nvsvm-sim: loading it plugs the
 * boards in, unloading it unplugs them, a hot unplug as the driver sees it.
 * The driver, nvsvm, links nothing of it.
 *
 * Lifetime: a board's GPU is created before its platform device is added
 * and destroyed after the device is unregistered (which unbinds the
 * driver), so the hardware always outlives the driver's use of it.
 */

#include <linux/cpumask.h>
#include <linux/init.h>
#include <linux/dma-mapping.h>
#include <linux/kernel.h>
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
#define NVSVM_SIM_CE_COUNT	2

/**
 * struct nvsvm_sim_block - A hardware block's register range
 */
struct nvsvm_sim_block {
	/** @base: First register. */
	u32 base;
	/** @end: One past the last register. */
	u32 end;
	/** @rd32: Read a register of the block; NULL: write-only block. */
	u32 (*rd32)(struct nvsvm_sim *sim, u32 reg);
	/** @wr32: Write a register of the block; NULL: read-only block. */
	void (*wr32)(struct nvsvm_sim *sim, u32 reg, u32 val);
};

static const struct nvsvm_sim_block nvsvm_sim_blocks[] = {
	{ 0x000000, 0x001000, nvsvm_sim_id_rd32, NULL },
	{ 0x002000, 0x003000, nvsvm_sim_fifo_rd32, nvsvm_sim_fifo_wr32 },
	{ 0x003000, 0x004000, nvsvm_sim_fault_rd32, nvsvm_sim_fault_wr32 },
	{ 0x004000, 0x005000, nvsvm_sim_mmu_rd32, nvsvm_sim_mmu_wr32 },
	{ 0x005000, 0x006000, nvsvm_sim_acc_rd32, nvsvm_sim_acc_wr32 },
	{ 0x006000, 0x007000, nvsvm_sim_ce_rd32, nvsvm_sim_ce_wr32 },
	{ 0x010000, 0x010000 + NVSVM_SIM_CHANNELS * 0x20,
	  nvsvm_sim_fifo_rd32, nvsvm_sim_fifo_wr32 },
};

static const struct nvsvm_sim_block *nvsvm_sim_block(u32 reg)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nvsvm_sim_blocks); i++)
		if (reg >= nvsvm_sim_blocks[i].base && reg < nvsvm_sim_blocks[i].end)
			return &nvsvm_sim_blocks[i];
	return NULL;
}

static unsigned int num_gpus = 1;
module_param(num_gpus, uint, 0444);
MODULE_PARM_DESC(num_gpus, "Number of emulated GPUs (1-8, default 1)");

static unsigned int vram_mb = 64;
module_param(vram_mb, uint, 0444);
MODULE_PARM_DESC(vram_mb, "VRAM of each emulated GPU in MiB (16-65536, default 64)");

static unsigned int num_sms;
module_param(num_sms, uint, 0444);
MODULE_PARM_DESC(num_sms, "SMs of each emulated GPU (1-64; default 0: one per online CPU, at most 8)");

static unsigned int watchdog_ms = 5000;
module_param(watchdog_ms, uint, 0444);
MODULE_PARM_DESC(watchdog_ms, "How long a compute launch may run, in ms (default 5000)");

/*
 * Registers are 32-bit aligned; an unaligned offset, or one no block
 * decodes, reads as the bad value and ignores writes.
 *
 * No register access sleeps, whatever its caller's context. Every access
 * runs in a non-blocking section (non_block_start(), as mmu notifiers
 * that must not block do), so that with CONFIG_DEBUG_ATOMIC_SLEEP an
 * access path that could sleep is reported by any access the driver
 * makes, not only by those it makes from atomic context. Without that
 * option the section costs nothing.
 */
static u32 nvsvm_sim_rd32(struct nvsvm_hw *hw, u32 reg)
{
	const struct nvsvm_sim_block *block = nvsvm_sim_block(reg);
	u32 val;

	if (!block || !block->rd32 || (reg & 3))
		return NVSVM_REG_BAD_VALUE | (reg & NVSVM_REG_BAD_MASK);
	non_block_start();
	val = block->rd32(to_nvsvm_sim(hw), reg);
	non_block_end();
	return val;
}

static void nvsvm_sim_wr32(struct nvsvm_hw *hw, u32 reg, u32 val)
{
	const struct nvsvm_sim_block *block = nvsvm_sim_block(reg);

	if (!block || !block->wr32 || (reg & 3))
		return;
	non_block_start();
	block->wr32(to_nvsvm_sim(hw), reg, val);
	non_block_end();
}

static const struct nvsvm_hw_ops nvsvm_sim_hw_ops = {
	.rd32 = nvsvm_sim_rd32,
	.wr32 = nvsvm_sim_wr32,
};

/**
 * nvsvm_sim_create() - Create one emulated GPU
 * @cfg: What it is made of. Copied. 1 to %NVSVM_CE_MAX_ENGINES copy
 *       engines, at least one SM and 1 MiB of VRAM.
 * @name: Its name, for its interrupt domain and its fault-injection
 *        directory in debugfs.
 *
 * Return: the GPU, or an ERR_PTR().
 */
struct nvsvm_sim *nvsvm_sim_create(const struct nvsvm_sim_config *cfg,
				   const char *name)
{
	struct nvsvm_sim *sim;
	int ret;

	if (!cfg->sm_count || !cfg->ce_count || !cfg->vram_mb ||
	    cfg->ce_count > NVSVM_CE_MAX_ENGINES)
		return ERR_PTR(-EINVAL);

	sim = kzalloc(sizeof(*sim), GFP_KERNEL);
	if (!sim)
		return ERR_PTR(-ENOMEM);

	sim->hw.ops = &nvsvm_sim_hw_ops;
	sim->cfg = *cfg;
	ret = nvsvm_sim_irq_init(sim, name);
	if (ret) {
		kfree(sim);
		return ERR_PTR(ret);
	}
	nvsvm_sim_vram_init(sim);
	mutex_init(&sim->mmu_clients_lock);
	INIT_LIST_HEAD(&sim->mmu_clients);
	spin_lock_init(&sim->mmu_inv_lock);
	nvsvm_sim_fault_init(sim);
	sim->watchdog_ms = watchdog_ms;
	ret = nvsvm_sim_acc_init(sim);
	if (ret)
		goto err_fini_vram;
	ret = nvsvm_sim_sm_init(sim);
	if (ret)
		goto err_fini_acc;
	ret = nvsvm_sim_fifo_init(sim);
	if (ret)
		goto err_fini_sm;
	ret = nvsvm_sim_ce_init(sim);
	if (ret)
		goto err_fini_fifo;
	nvsvm_sim_inject_init(sim, name);
	return sim;

err_fini_fifo:
	nvsvm_sim_fifo_fini(sim);
err_fini_sm:
	nvsvm_sim_sm_fini(sim);
err_fini_acc:
	nvsvm_sim_acc_fini(sim);
err_fini_vram:
	mutex_destroy(&sim->mmu_clients_lock);
	nvsvm_sim_vram_fini(sim);
	nvsvm_sim_irq_fini(sim);
	kfree(sim);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_sim_create);

/**
 * nvsvm_sim_destroy() - Destroy an emulated GPU
 * @sim: The GPU; nothing may use its &struct nvsvm_hw any more.
 */
void nvsvm_sim_destroy(struct nvsvm_sim *sim)
{
	nvsvm_sim_inject_fini(sim);
	nvsvm_sim_ce_fini(sim);
	nvsvm_sim_fifo_fini(sim);
	nvsvm_sim_sm_fini(sim);
	nvsvm_sim_acc_fini(sim);
	WARN_ON(!list_empty(&sim->mmu_clients));
	mutex_destroy(&sim->mmu_clients_lock);
	nvsvm_sim_vram_fini(sim);
	nvsvm_sim_irq_fini(sim);
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
 * nvsvm_sim_irq() - The Linux irq of one of a GPU's interrupt lines
 * @sim: The GPU.
 * @line: One of NVSVM_IRQ_*.
 *
 * Return: the irq number.
 */
unsigned int nvsvm_sim_irq(struct nvsvm_sim *sim, unsigned int line)
{
	return sim->irqs[line];
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_sim_irq);

/**
 * struct nvsvm_sim_board - An emulated GPU plugged in as a platform device
 */
struct nvsvm_sim_board {
	/** @sim: The GPU. */
	struct nvsvm_sim *sim;
	/** @pdev: Its platform device. */
	struct platform_device *pdev;
};

/* The IRQ resource names of the lines, as the driver asks for them. */
static const char *const nvsvm_sim_irq_names[NVSVM_IRQ_COUNT] = {
	[NVSVM_IRQ_FIFO] = "fifo",
	[NVSVM_IRQ_FAULT] = "fault",
	[NVSVM_IRQ_CE] = "ce",
	[NVSVM_IRQ_ACC] = "acc",
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
	struct resource irqs[NVSVM_IRQ_COUNT];
	struct nvsvm_hw_platform_data pdata;
	struct platform_device *pdev;
	struct nvsvm_sim *sim;
	unsigned int line;
	char name[32];
	int ret;

	snprintf(name, sizeof(name), NVSVM_HW_DEVICE_NAME "%d", id);
	sim = nvsvm_sim_create(cfg, name);
	if (IS_ERR(sim))
		return PTR_ERR(sim);

	pdev = platform_device_alloc(name, PLATFORM_DEVID_NONE);
	if (!pdev) {
		ret = -ENOMEM;
		goto err_destroy_sim;
	}
	pdata.hw = &sim->hw;
	ret = platform_device_add_data(pdev, &pdata, sizeof(pdata));
	if (ret)
		goto err_put_pdev;
	for (line = 0; line < NVSVM_IRQ_COUNT; line++) {
		irqs[line] = DEFINE_RES_IRQ_NAMED(sim->irqs[line],
						  nvsvm_sim_irq_names[line]);
	}
	ret = platform_device_add_resources(pdev, irqs, NVSVM_IRQ_COUNT);
	if (ret)
		goto err_put_pdev;
	pdev->platform_dma_mask = DMA_BIT_MASK(64);
	pdev->dev.dma_mask = &pdev->platform_dma_mask;
	pdev->dev.coherent_dma_mask = DMA_BIT_MASK(64);
	/* The GPU must know its DMA device before the driver can probe. */
	sim->dma_dev = &pdev->dev;

	ret = platform_device_add(pdev);
	if (ret)
		goto err_put_pdev;

	board->sim = sim;
	board->pdev = pdev;
	return 0;

err_put_pdev:
	platform_device_put(pdev);
err_destroy_sim:
	nvsvm_sim_destroy(sim);
	return ret;
}

/*
 * Plug in the GPUs the module parameters ask for.
 * Return: 0, -EINVAL for a parameter out of range, or another errno.
 */
static int __init nvsvm_sim_boards_init(void)
{
	struct nvsvm_sim_config cfg = {
		.vram_mb = vram_mb,
		.sm_count = num_sms ?: min(num_online_cpus(), NVSVM_SIM_DEFAULT_SMS),
		.ce_count = NVSVM_SIM_CE_COUNT,
	};
	unsigned int i;
	int ret;

	if (num_gpus < 1 || num_gpus > NVSVM_HW_MAX_DEVICES) {
		pr_err("nvsvm-sim: num_gpus=%u out of range 1-%u\n",
		       num_gpus, NVSVM_HW_MAX_DEVICES);
		return -EINVAL;
	}
	if (vram_mb < NVSVM_SIM_MIN_VRAM_MB || vram_mb > NVSVM_SIM_MAX_VRAM_MB) {
		pr_err("nvsvm-sim: vram_mb=%u out of range %u-%u\n", vram_mb,
		       NVSVM_SIM_MIN_VRAM_MB, NVSVM_SIM_MAX_VRAM_MB);
		return -EINVAL;
	}
	if (num_sms > NVSVM_SIM_MAX_SMS) {
		pr_err("nvsvm-sim: num_sms=%u out of range 1-%u\n",
		       num_sms, NVSVM_SIM_MAX_SMS);
		return -EINVAL;
	}

	nvsvm_sim_inject_module_init();
	for (i = 0; i < num_gpus; i++) {
		ret = nvsvm_sim_board_plug(&nvsvm_sim_boards[i], i, &cfg);
		if (ret)
			goto err_unplug_boards;
	}
	return 0;

err_unplug_boards:
	while (i--)
		nvsvm_sim_board_unplug(&nvsvm_sim_boards[i]);
	nvsvm_sim_inject_module_exit();
	return ret;
}

/* Unplug every GPU, unbinding the driver from each. */
static void __exit nvsvm_sim_boards_fini(void)
{
	unsigned int i = ARRAY_SIZE(nvsvm_sim_boards);

	while (i--)
		if (nvsvm_sim_boards[i].pdev)
			nvsvm_sim_board_unplug(&nvsvm_sim_boards[i]);
	nvsvm_sim_inject_module_exit();
}

module_init(nvsvm_sim_boards_init);
module_exit(nvsvm_sim_boards_fini);

MODULE_AUTHOR("The nvsvm authors");
MODULE_DESCRIPTION("Emulated GPU for the nvsvm driver");
MODULE_LICENSE("Dual MIT/GPL");
