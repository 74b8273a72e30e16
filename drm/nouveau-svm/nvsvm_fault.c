// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

/**
 * DOC: Fault buffer
 *
 * At probe the driver gives the GPU a replayable fault buffer (the
 * "Replayable fault buffer" section of nvsvm_regs.h). Until a VM mirrors
 * a process, every fault is fatal: a VM of buffer objects maps everything
 * its jobs may touch, so a fault is a bad address. For each entry the
 * fault work records the fault against the channel whose instance block
 * and tag it names (for CHANNEL_GET_ERROR), then cancels the access with
 * that tag, which stops the channel with MMU_FAULT; the FIFO error
 * interrupt then fails its jobs. An entry of a channel that was freed
 * names no live channel (a new channel at the same instance block has
 * another tag): it is cancelled with its own tag, which hits nothing, and
 * recorded nowhere. After an overflow (faults were dropped) the work replays once the
 * ring is drained, so that the dropped faults are reported again.
 *
 * The interrupt's top half masks the fault interrupt and queues the work,
 * which unmasks it when the ring is drained; the line being level
 * triggered, faults that came meanwhile raise it again.
 *
 * Locking: the work is the only user of the ring, GET and the cancel
 * registers; a work item never runs twice at once.
 */

#include <linux/bitfield.h>
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/platform_device.h>
#include <linux/workqueue.h>

#include <drm/drm_drv.h>
#include <drm/drm_managed.h>

#include "nvsvm_chan.h"
#include "nvsvm_device.h"
#include "nvsvm_fault.h"
#include "nvsvm_fifo.h"
#include "nvsvm_hw.h"
#include "nvsvm_regs.h"

/* Ring entries: enough for every SM's warps to fault at once, a few times. */
#define NVSVM_FAULT_ENTRIES	256

/**
 * struct nvsvm_fault_entry - A fault buffer entry, as the GPU writes it
 */
struct nvsvm_fault_entry {
	/** @va: Address of the access. */
	__le64 va;
	/** @inst: Instance block of the channel, as a location. */
	__le64 inst;
	/** @info: NVSVM_FAULT_INFO_*. */
	__le32 info;
	/** @tag: The instance block's tag. */
	__le32 tag;
	/** @timestamp: When, in ns. */
	__le64 timestamp;
};

static_assert(sizeof(struct nvsvm_fault_entry) == NVSVM_FAULT_ENTRY_SIZE);

/**
 * struct nvsvm_fault - The fault buffer
 */
struct nvsvm_fault {
	/** @ndev: The device. */
	struct nvsvm_device *ndev;
	/** @irq: The "fault" interrupt. */
	int irq;
	/** @ring: The entries. */
	struct nvsvm_fault_entry *ring;
	/** @ring_dma: Their DMA address. */
	dma_addr_t ring_dma;
	/** @work: Drains the ring. */
	struct work_struct work;
};

static void nvsvm_fault_cancel(struct nvsvm_fault *fault, u64 va, u64 inst, u32 tag,
			       u32 info)
{
	struct nvsvm_hw *hw = fault->ndev->hw;
	struct nvsvm_chan *chan;

	/* An entry of a freed channel names no live (instance, tag). */
	chan = nvsvm_fifo_chan_get_by_inst(fault->ndev->fifo, inst, tag);
	if (chan) {
		nvsvm_chan_record_fault(chan, va, FIELD_GET(NVSVM_FAULT_INFO_ACCESS, info),
					FIELD_GET(NVSVM_FAULT_INFO_TYPE, info),
					FIELD_GET(NVSVM_FAULT_INFO_CLIENT, info));
		nvsvm_chan_put(chan);
	}

	nvsvm_hw_wr32(hw, NVSVM_REG_FAULT_CANCEL_INST_LO, lower_32_bits(inst));
	nvsvm_hw_wr32(hw, NVSVM_REG_FAULT_CANCEL_INST_HI, upper_32_bits(inst));
	nvsvm_hw_wr32(hw, NVSVM_REG_FAULT_CANCEL_VA_LO, lower_32_bits(va));
	nvsvm_hw_wr32(hw, NVSVM_REG_FAULT_CANCEL_VA_HI, upper_32_bits(va));
	/* With the entry's own tag: a new channel at the instance is spared. */
	nvsvm_hw_wr32(hw, NVSVM_REG_FAULT_CANCEL_TAG, tag);
	nvsvm_hw_wr32(hw, NVSVM_REG_FAULT_CANCEL_TRIGGER, 1);
}

static void nvsvm_fault_work(struct work_struct *work)
{
	struct nvsvm_fault *fault = container_of(work, struct nvsvm_fault, work);
	struct nvsvm_hw *hw = fault->ndev->hw;
	u32 get, put;
	int idx;

	if (!drm_dev_enter(&fault->ndev->base, &idx))
		return;

	get = nvsvm_hw_rd32(hw, NVSVM_REG_FAULT_BUF_GET);
	put = nvsvm_hw_rd32(hw, NVSVM_REG_FAULT_BUF_PUT);
	while (get != put) {
		struct nvsvm_fault_entry *e = &fault->ring[get];
		u32 info;

		/* The entry was written before PUT moved past it. */
		dma_rmb();
		info = le32_to_cpu(READ_ONCE(e->info));
		if (info & NVSVM_FAULT_INFO_VALID) {
			u64 va = le64_to_cpu(e->va), inst = le64_to_cpu(e->inst);
			u32 tag = le32_to_cpu(e->tag);

			WRITE_ONCE(e->info, 0);
			nvsvm_fault_cancel(fault, va, inst, tag, info);
		}
		get = (get + 1) % NVSVM_FAULT_ENTRIES;
		nvsvm_hw_wr32(hw, NVSVM_REG_FAULT_BUF_GET, get);
		if (get == put)
			put = nvsvm_hw_rd32(hw, NVSVM_REG_FAULT_BUF_PUT);
	}

	if (nvsvm_hw_rd32(hw, NVSVM_REG_FAULT_STATUS) & NVSVM_FAULT_STATUS_OVERFLOW) {
		nvsvm_hw_wr32(hw, NVSVM_REG_FAULT_STATUS, NVSVM_FAULT_STATUS_OVERFLOW);
		nvsvm_hw_wr32(hw, NVSVM_REG_FAULT_REPLAY, 1);
	}
	nvsvm_hw_wr32(hw, NVSVM_REG_FAULT_INTR_EN, 1);
	drm_dev_exit(idx);
}

static irqreturn_t nvsvm_fault_irq(int irq, void *arg)
{
	struct nvsvm_fault *fault = arg;
	struct nvsvm_hw *hw = fault->ndev->hw;

	if (!(nvsvm_hw_rd32(hw, NVSVM_REG_FAULT_INTR_EN) & 1))
		return IRQ_NONE;
	nvsvm_hw_wr32(hw, NVSVM_REG_FAULT_INTR_EN, 0);
	queue_work(fault->ndev->wq, &fault->work);
	return IRQ_HANDLED;
}

static void nvsvm_fault_free_ring(struct drm_device *drm, void *arg)
{
	struct nvsvm_fault *fault = arg;

	dma_free_coherent(drm->dev, NVSVM_FAULT_ENTRIES * NVSVM_FAULT_ENTRY_SIZE,
			  fault->ring, fault->ring_dma);
}

/**
 * nvsvm_fault_init() - Give the GPU its fault buffer at probe
 * @ndev: The device; its FIFO block is set up.
 * @pdev: Its platform device, for the interrupt.
 *
 * Return: 0 or a negative errno.
 */
int nvsvm_fault_init(struct nvsvm_device *ndev, struct platform_device *pdev)
{
	struct nvsvm_hw *hw = ndev->hw;
	struct nvsvm_fault *fault;
	int ret;

	fault = drmm_kzalloc(&ndev->base, sizeof(*fault), GFP_KERNEL);
	if (!fault)
		return -ENOMEM;
	fault->ndev = ndev;
	INIT_WORK(&fault->work, nvsvm_fault_work);
	fault->irq = platform_get_irq_byname(pdev, "fault");
	if (fault->irq < 0)
		return fault->irq;

	fault->ring = dma_alloc_coherent(ndev->base.dev,
					 NVSVM_FAULT_ENTRIES * NVSVM_FAULT_ENTRY_SIZE,
					 &fault->ring_dma, GFP_KERNEL);
	if (!fault->ring)
		return -ENOMEM;
	ret = drmm_add_action_or_reset(&ndev->base, nvsvm_fault_free_ring, fault);
	if (ret)
		return ret;

	nvsvm_hw_wr32(hw, NVSVM_REG_FAULT_INTR_EN, 0);
	nvsvm_hw_wr32(hw, NVSVM_REG_FAULT_BUF_LO,
		      lower_32_bits(fault->ring_dma) | NVSVM_ADDR_LO_SYSMEM);
	nvsvm_hw_wr32(hw, NVSVM_REG_FAULT_BUF_HI, upper_32_bits(fault->ring_dma));
	/* Setting the size empties the ring. */
	nvsvm_hw_wr32(hw, NVSVM_REG_FAULT_BUF_SIZE, NVSVM_FAULT_ENTRIES);
	nvsvm_hw_wr32(hw, NVSVM_REG_FAULT_STATUS, NVSVM_FAULT_STATUS_OVERFLOW);

	ret = devm_request_irq(&pdev->dev, fault->irq, nvsvm_fault_irq, 0,
			       "nvsvm-fault", fault);
	if (ret)
		goto err_disable;
	ndev->fault = fault;
	nvsvm_hw_wr32(hw, NVSVM_REG_FAULT_INTR_EN, 1);
	return 0;

err_disable:
	nvsvm_hw_wr32(hw, NVSVM_REG_FAULT_BUF_SIZE, 0);
	return ret;
}

/**
 * nvsvm_fault_unplug() - Take the fault buffer back from the GPU
 * @ndev: The device, already unplugged (drm_dev_unplug()).
 *
 * After this the GPU writes no more faults to the ring, and the work does
 * not run.
 */
void nvsvm_fault_unplug(struct nvsvm_device *ndev)
{
	struct nvsvm_fault *fault = ndev->fault;
	struct nvsvm_hw *hw = ndev->hw;

	nvsvm_hw_wr32(hw, NVSVM_REG_FAULT_INTR_EN, 0);
	synchronize_irq(fault->irq);
	cancel_work_sync(&fault->work);
	nvsvm_hw_wr32(hw, NVSVM_REG_FAULT_BUF_SIZE, 0);
}
