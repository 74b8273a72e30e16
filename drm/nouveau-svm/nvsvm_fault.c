// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

/**
 * DOC: Fault buffer
 *
 * At probe the driver gives the GPU a replayable fault buffer (the
 * "Replayable fault buffer" section of nvsvm_regs.h), drained by the fault
 * work on a workqueue of its own (servicing faults in an SVM VM takes
 * long, and must not hold up the other interrupts' bottom halves).
 *
 * The work drains a batch of up to %NVSVM_FAULT_BATCH entries and writes
 * GET at once, so that the GPU can report more meanwhile; finds each
 * entry's channel by instance block; sorts the batch by (VM, page,
 * access) and coalesces entries of one VM and page into one fault with the
 * strongest access; and hands each VM's faults to nvsvm_svm_service().
 * What it could not service is cancelled precisely: the (instance, tag,
 * page) of each entry of it, after recording the fault and its reason
 * against the entry's channel for CHANNEL_GET_ERROR; that channel alone
 * stops with MMU_FAULT. Then one REPLAY for the batch retries every
 * stalled access that was serviced. In a VM of buffer objects nothing is
 * serviced: every fault is cancelled with the reason its fault type gives.
 *
 * After an overflow (the GPU dropped faults) the work replays once the
 * ring is drained, so that the dropped faults come again.
 *
 * The interrupt's top half masks the fault interrupt and queues the work,
 * which unmasks it when the ring is drained; the line being level
 * triggered, faults that came meanwhile raise it again.
 *
 * Locking: the work is the only user of the ring, GET, the batch arrays and
 * the cancel and replay registers; a work item never runs twice at once.
 * A channel found by instance block is referenced until the batch is done;
 * its VM stays because closing a file flushes the work
 * (nvsvm_fault_flush()) between destroying its channels and its VM.
 */

#include <linux/bitfield.h>
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/ktime.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/workqueue.h>

#include <drm/drm_drv.h>
#include <drm/drm_managed.h>

#include "nvsvm_chan.h"
#include "nvsvm_chan_types.h"
#include "nvsvm_device.h"
#include "nvsvm_drm.h"
#include "nvsvm_fault.h"
#include "nvsvm_fifo.h"
#include "nvsvm_hw.h"
#include "nvsvm_regs.h"
#include "nvsvm_svm.h"
#include "nvsvm_trace.h"

/* Ring entries: enough for every SM's warps to fault at once, a few times. */
#define NVSVM_FAULT_ENTRIES	256

/* The most entries one batch drains (and one replay follows). */
#define NVSVM_FAULT_BATCH	256

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
	/** @tag: The instance block's tag when the channel's work was fetched. */
	__le32 tag;
	/** @timestamp: When, in ns. */
	__le64 timestamp;
};

static_assert(sizeof(struct nvsvm_fault_entry) == NVSVM_FAULT_ENTRY_SIZE);

/**
 * struct nvsvm_fault_rec - An entry of the batch being serviced
 */
struct nvsvm_fault_rec {
	/** @va: Address of the access. */
	u64 va;
	/** @inst: Instance block, as the entry gave it. */
	u64 inst;
	/** @chan: Its channel, referenced; NULL if it is gone. */
	struct nvsvm_chan *chan;
	/** @info: NVSVM_FAULT_INFO_*. */
	u32 info;
	/** @tag: The entry's tag. */
	u32 tag;
	/** @fault: Index of its coalesced fault in &nvsvm_fault.faults. */
	u32 fault;
};

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
	/** @wq: Runs @work: ordered, of its own. */
	struct workqueue_struct *wq;
	/** @work: Drains the ring. */
	struct work_struct work;
	/** @recs: The batch's entries. Only @work uses it. */
	struct nvsvm_fault_rec recs[NVSVM_FAULT_BATCH];
	/** @faults: The batch coalesced, per VM and page. Only @work uses it. */
	struct nvsvm_svm_fault faults[NVSVM_FAULT_BATCH];
};

static u32 nvsvm_fault_access(const struct nvsvm_fault_rec *r)
{
	return FIELD_GET(NVSVM_FAULT_INFO_ACCESS, r->info);
}

/* How much an access asks of a mapping: atomic > write > read > prefetch. */
static int nvsvm_fault_access_rank(u32 access)
{
	switch (access) {
	case NVSVM_ACCESS_ATOMIC:
		return 3;
	case NVSVM_ACCESS_WRITE:
		return 2;
	case NVSVM_ACCESS_READ:
		return 1;
	default:
		return 0;
	}
}

static struct nvsvm_vm *nvsvm_fault_rec_vm(const struct nvsvm_fault_rec *r)
{
	return r->chan ? r->chan->vm : NULL;
}

/* Sort by VM, page, then the strongest access first. */
static int nvsvm_fault_rec_cmp(const void *a, const void *b)
{
	const struct nvsvm_fault_rec *x = a, *y = b;
	uintptr_t vx = (uintptr_t)nvsvm_fault_rec_vm(x), vy = (uintptr_t)nvsvm_fault_rec_vm(y);
	u64 px = x->va & PAGE_MASK, py = y->va & PAGE_MASK;

	if (vx != vy)
		return vx < vy ? -1 : 1;
	if (px != py)
		return px < py ? -1 : 1;
	return nvsvm_fault_access_rank(nvsvm_fault_access(y)) -
	       nvsvm_fault_access_rank(nvsvm_fault_access(x));
}

static void nvsvm_fault_cancel(struct nvsvm_fault *fault, const struct nvsvm_fault_rec *r,
			       u32 reason)
{
	struct nvsvm_hw *hw = fault->ndev->hw;

	if (r->chan)
		nvsvm_chan_record_fault(r->chan, r->va, nvsvm_fault_access(r),
					FIELD_GET(NVSVM_FAULT_INFO_TYPE, r->info),
					FIELD_GET(NVSVM_FAULT_INFO_CLIENT, r->info), reason);
	trace_nvsvm_fault_cancel(dev_name(fault->ndev->base.dev), r->va, r->inst, r->tag,
				 nvsvm_fault_access(r), reason);
	nvsvm_hw_wr32(hw, NVSVM_REG_FAULT_CANCEL_INST_LO, lower_32_bits(r->inst));
	nvsvm_hw_wr32(hw, NVSVM_REG_FAULT_CANCEL_INST_HI, upper_32_bits(r->inst));
	nvsvm_hw_wr32(hw, NVSVM_REG_FAULT_CANCEL_VA_LO, lower_32_bits(r->va));
	nvsvm_hw_wr32(hw, NVSVM_REG_FAULT_CANCEL_VA_HI, upper_32_bits(r->va));
	nvsvm_hw_wr32(hw, NVSVM_REG_FAULT_CANCEL_TAG, r->tag);
	nvsvm_hw_wr32(hw, NVSVM_REG_FAULT_CANCEL_TRIGGER, 1);
	nvsvm_svm_stats_cancel(fault->ndev);
}

/* Read up to a batch of entries from GET; write GET back. Returns how many. */
static unsigned int nvsvm_fault_drain(struct nvsvm_fault *fault)
{
	struct nvsvm_hw *hw = fault->ndev->hw;
	u32 mask = NVSVM_FAULT_ENTRIES - 1, get, put;
	unsigned int n = 0, read = 0;

	/* Values from the device: masked, and the loop bounded by the batch. */
	get = nvsvm_hw_rd32(hw, NVSVM_REG_FAULT_BUF_GET) & mask;
	put = nvsvm_hw_rd32(hw, NVSVM_REG_FAULT_BUF_PUT) & mask;
	while (get != put && read < NVSVM_FAULT_BATCH) {
		struct nvsvm_fault_entry *e = &fault->ring[get];
		u32 info;

		/* The entry was written before PUT moved past it. */
		dma_rmb();
		info = le32_to_cpu(READ_ONCE(e->info));
		if (info & NVSVM_FAULT_INFO_VALID) {
			struct nvsvm_fault_rec *r = &fault->recs[n++];

			r->va = le64_to_cpu(e->va);
			r->inst = le64_to_cpu(e->inst);
			r->tag = le32_to_cpu(e->tag);
			r->info = info;
			WRITE_ONCE(e->info, 0);
		}
		get = (get + 1) & mask;
		read++;
	}
	if (read)
		nvsvm_hw_wr32(hw, NVSVM_REG_FAULT_BUF_GET, get);
	return n;
}

/* Service one drained batch: coalesce, service per VM, cancel, replay. */
static void nvsvm_fault_batch(struct nvsvm_fault *fault, unsigned int n, u64 start_ns)
{
	struct nvsvm_device *ndev = fault->ndev;
	unsigned int i, j, nfaults = 0, cancelled = 0;

	for (i = 0; i < n; i++)
		fault->recs[i].chan = nvsvm_fifo_chan_get_by_inst(ndev->fifo, fault->recs[i].inst);
	sort(fault->recs, n, sizeof(*fault->recs), nvsvm_fault_rec_cmp, NULL);

	/* Coalesce: the first of a run has the strongest access. */
	for (i = 0; i < n; i++) {
		struct nvsvm_fault_rec *r = &fault->recs[i];

		if (i && r->chan && nvsvm_fault_rec_vm(r) == nvsvm_fault_rec_vm(r - 1) &&
		    (r->va & PAGE_MASK) == (r[-1].va & PAGE_MASK)) {
			r->fault = r[-1].fault;
			continue;
		}
		r->fault = nfaults;
		fault->faults[nfaults++] = (struct nvsvm_svm_fault){
			.va = r->va & PAGE_MASK,
			.access = nvsvm_fault_access(r),
			.type = FIELD_GET(NVSVM_FAULT_INFO_TYPE, r->info),
		};
	}
	trace_nvsvm_fault_batch(dev_name(ndev->base.dev), n, nfaults, n - nfaults);

	/* Each VM's faults, in address order. */
	for (i = 0; i < n; i = j) {
		struct nvsvm_vm *vm = nvsvm_fault_rec_vm(&fault->recs[i]);

		for (j = i + 1; j < n && nvsvm_fault_rec_vm(&fault->recs[j]) == vm; j++)
			;
		if (!vm)
			continue;	/* the channel is gone, and its accesses with it */
		nvsvm_svm_service(vm, &fault->faults[fault->recs[i].fault],
				  fault->recs[j - 1].fault - fault->recs[i].fault + 1);
	}

	/* Cancel each entry of what could not be serviced, once per (instance, tag, page). */
	for (i = 0; i < n; i++) {
		struct nvsvm_fault_rec *r = &fault->recs[i];
		u8 reason = fault->faults[r->fault].reason;

		if (!r->chan || !reason)
			continue;
		for (j = 0; j < i; j++) {
			const struct nvsvm_fault_rec *q = &fault->recs[j];

			if (q->fault == r->fault && q->inst == r->inst && q->tag == r->tag)
				break;
		}
		if (j == i) {
			nvsvm_fault_cancel(fault, r, reason);
			cancelled++;
		}
	}
	/* One replay retries every stalled access serviced in the batch. */
	nvsvm_hw_wr32(ndev->hw, NVSVM_REG_FAULT_REPLAY, 1);
	nvsvm_svm_stats_replay(ndev);
	trace_nvsvm_fault_replay(dev_name(ndev->base.dev), nfaults, cancelled);
	nvsvm_svm_stats_batch(ndev, n, n - nfaults, ktime_get_ns() - start_ns);

	for (i = 0; i < n; i++)
		if (fault->recs[i].chan)
			nvsvm_chan_put(fault->recs[i].chan);
}

static void nvsvm_fault_work(struct work_struct *work)
{
	struct nvsvm_fault *fault = container_of(work, struct nvsvm_fault, work);
	struct nvsvm_hw *hw = fault->ndev->hw;
	unsigned int n;
	int idx;

	if (!drm_dev_enter(&fault->ndev->base, &idx))
		return;

	for (;;) {
		u64 start = ktime_get_ns();

		n = nvsvm_fault_drain(fault);
		if (!n)
			break;
		nvsvm_fault_batch(fault, n, start);
	}

	if (nvsvm_hw_rd32(hw, NVSVM_REG_FAULT_STATUS) & NVSVM_FAULT_STATUS_OVERFLOW) {
		nvsvm_hw_wr32(hw, NVSVM_REG_FAULT_STATUS, NVSVM_FAULT_STATUS_OVERFLOW);
		nvsvm_hw_wr32(hw, NVSVM_REG_FAULT_REPLAY, 1);
		nvsvm_svm_stats_replay(fault->ndev);
	}
	nvsvm_hw_wr32(hw, NVSVM_REG_FAULT_INTR_EN, 1);
	drm_dev_exit(idx);
}

/**
 * nvsvm_fault_flush() - Wait for the fault work to finish what it started
 * @ndev: The device.
 *
 * For closing a file: once its channels are gone no new batch reaches its
 * VM, and after this none is being serviced.
 */
void nvsvm_fault_flush(struct nvsvm_device *ndev)
{
	flush_work(&ndev->fault->work);
}

static irqreturn_t nvsvm_fault_irq(int irq, void *arg)
{
	struct nvsvm_fault *fault = arg;
	struct nvsvm_hw *hw = fault->ndev->hw;

	if (!(nvsvm_hw_rd32(hw, NVSVM_REG_FAULT_INTR_EN) & 1))
		return IRQ_NONE;
	nvsvm_hw_wr32(hw, NVSVM_REG_FAULT_INTR_EN, 0);
	queue_work(fault->wq, &fault->work);
	return IRQ_HANDLED;
}

static void nvsvm_fault_destroy_wq(struct drm_device *drm, void *arg)
{
	destroy_workqueue(arg);
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
	/* Not for reclaim: nothing reclaim waits for waits on fault servicing. */
	fault->wq = alloc_ordered_workqueue("%s-fault", 0, dev_name(ndev->base.dev));
	if (!fault->wq)
		return -ENOMEM;
	ret = drmm_add_action_or_reset(&ndev->base, nvsvm_fault_destroy_wq, fault->wq);
	if (ret)
		return ret;
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
