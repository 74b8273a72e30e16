// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

/**
 * DOC: Fault buffer
 *
 * At probe the driver gives the GPU a replayable fault buffer (the
 * "Replayable fault buffer" section of nvsvm_regs.h), and a worker of its
 * own to drain it: an ordered, unbound, high-priority workqueue, not the
 * device's reclaim workqueue, since servicing a fault (with SVM) blocks in
 * hmm_range_fault() and on the copy engine, and must not hold up the
 * channel-error work that signals fences.
 *
 * The interrupt's top half masks the fault interrupt and queues the
 * worker. A pass of the worker:
 *
 * 1. takes OVERFLOW (clearing it, so that a later overflow is seen again);
 * 2. copies at most %NVSVM_FAULT_BATCH entries from GET to PUT, both
 *    masked with the ring's size (a value read from the device is never
 *    trusted), clearing each entry's VALID bit;
 * 3. writes GET at once, giving the ring's room back before servicing;
 * 4. sorts the batch by (instance block, tag, page, access, strongest
 *    first) and coalesces entries of the same channel and page into one
 *    that keeps the strongest access (nvsvm_fault_batch_sort(),
 *    nvsvm_fault_batch_coalesce()): what is left is one entry per
 *    (instance, tag, page), the unit a cancel names;
 * 5. finds each one's channel by (instance block, tag), a reference each,
 *    sorts them again by (VM, page, access) and coalesces those of one VM
 *    and page (two channels of a VM faulting on one page) into one
 *    &struct nvsvm_svm_fault, and hands each VM's faults, in address
 *    order, to nvsvm_svm_service();
 * 6. cancels precisely what could not be serviced: each (instance, tag,
 *    page) of it, after recording the fault and its reason against the
 *    channel for CHANNEL_GET_ERROR; that channel alone stops, with
 *    MMU_FAULT (and the FIFO error work fails its jobs). An entry that
 *    names no live channel (its channel was freed; a new channel may have
 *    the instance block, with another tag) is cancelled with its own tag,
 *    which hits nothing, and recorded nowhere;
 * 7. ends with at most one FAULT_REPLAY, which retries every stalled
 *    access that was serviced, and after an overflow, once the ring is
 *    drained, raises the dropped faults again.
 *
 * If the ring still holds entries it queues itself again (one batch per
 * pass, so that a flood of faults does not starve the workqueue); else it
 * unmasks the interrupt, which, being level triggered, raises again for
 * faults that came meanwhile.
 *
 * In a VM of buffer objects nothing is serviced: such a VM maps everything
 * its jobs may touch, so a fault is a bad address, cancelled with the
 * reason its fault type gives (nvsvm_svm_service() decides).
 *
 * A lost interrupt is made up for by the FIFO block's watchdog, which
 * calls nvsvm_fault_check() while jobs run.
 *
 * Locking: the worker is the only user of the ring, GET, the batch arrays
 * and the cancel and replay registers; a work item never runs twice at
 * once. A channel found by instance block is referenced until the pass is
 * done; its VM stays because closing a file flushes the worker
 * (nvsvm_fault_flush()) between destroying its channels and its VM.
 */

#include <linux/bitfield.h>
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/ktime.h>
#include <linux/platform_device.h>
#include <linux/sort.h>
#include <linux/workqueue.h>
#include <kunit/visibility.h>

#include <drm/drm_drv.h>
#include <drm/drm_managed.h>

#include "nvsvm_chan.h"
#include "nvsvm_chan_types.h"
#include "nvsvm_device.h"
#include "nvsvm_fault.h"
#include "nvsvm_fifo.h"
#include "nvsvm_hw.h"
#include "nvsvm_regs.h"
#include "nvsvm_svm.h"
#include "nvsvm_trace.h"

/* Ring entries: enough for every SM's warps to fault at once, a few times. */
#define NVSVM_FAULT_ENTRIES	256

static_assert(!(NVSVM_FAULT_ENTRIES & (NVSVM_FAULT_ENTRIES - 1)));

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
 * struct nvsvm_fault_rec - A distinct fault of the pass, on its way to servicing
 */
struct nvsvm_fault_rec {
	/** @f: The fault, one per (instance, tag, page). */
	struct nvsvm_fault_info f;
	/** @chan: Its channel, referenced; NULL if none lives at (instance, tag). */
	struct nvsvm_chan *chan;
	/** @fault: Index of its fault in &nvsvm_fault.faults. */
	u32 fault;
};

/**
 * struct nvsvm_fault - The fault buffer
 */
struct nvsvm_fault {
	/** @ndev: The device. Immutable. */
	struct nvsvm_device *ndev;
	/** @irq: The "fault" interrupt. Immutable. */
	int irq;
	/** @ring: The entries. Immutable pointer; the worker's. */
	struct nvsvm_fault_entry *ring;
	/** @ring_dma: Their DMA address. Immutable. */
	dma_addr_t ring_dma;
	/** @wq: The worker's workqueue. Immutable. */
	struct workqueue_struct *wq;
	/** @work: Drains the ring. */
	struct work_struct work;
	/** @overflowed: An overflow awaits its replay. The worker's. */
	bool overflowed;
	/** @batch: The entries of one pass. The worker's. */
	struct nvsvm_fault_info batch[NVSVM_FAULT_BATCH];
	/** @recs: The pass's distinct faults with their channels. The worker's. */
	struct nvsvm_fault_rec recs[NVSVM_FAULT_BATCH];
	/** @faults: The same, per VM and page, for servicing. The worker's. */
	struct nvsvm_svm_fault faults[NVSVM_FAULT_BATCH];
};

/**
 * nvsvm_fault_access_rank() - How strong an access is
 * @access: NVSVM_ACCESS_*.
 *
 * A prefetch needs the least (nothing, even), then a read, a write, an
 * atomic, each needing what the one before does and more.
 *
 * Return: the rank, higher for stronger.
 */
unsigned int nvsvm_fault_access_rank(u8 access)
{
	switch (access) {
	case NVSVM_ACCESS_PREFETCH:
		return 0;
	case NVSVM_ACCESS_READ:
		return 1;
	case NVSVM_ACCESS_WRITE:
		return 2;
	default:	/* NVSVM_ACCESS_ATOMIC: the field has two bits. */
		return 3;
	}
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_fault_access_rank);

static int nvsvm_fault_cmp(const void *a, const void *b)
{
	const struct nvsvm_fault_info *x = a, *y = b;
	unsigned int rx, ry;

	if (x->inst != y->inst)
		return x->inst < y->inst ? -1 : 1;
	if (x->tag != y->tag)
		return x->tag < y->tag ? -1 : 1;
	if (x->va >> PAGE_SHIFT != y->va >> PAGE_SHIFT)
		return x->va < y->va ? -1 : 1;
	/* Strongest first: coalescing keeps the first of a page. */
	rx = nvsvm_fault_access_rank(x->access);
	ry = nvsvm_fault_access_rank(y->access);
	if (rx != ry)
		return rx > ry ? -1 : 1;
	if (x->va != y->va)
		return x->va < y->va ? -1 : 1;
	return 0;
}

/**
 * nvsvm_fault_batch_sort() - Sort a batch for servicing
 * @batch: The faults.
 * @count: How many.
 *
 * By instance block, tag and page, then by access, strongest first (then
 * by address): faults of one channel come together, in address order,
 * and the first fault of a page is the one that needs the most.
 */
void nvsvm_fault_batch_sort(struct nvsvm_fault_info *batch, unsigned int count)
{
	sort(batch, count, sizeof(*batch), nvsvm_fault_cmp, NULL);
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_fault_batch_sort);

/**
 * nvsvm_fault_batch_coalesce() - Merge the faults of one page of one channel
 * @batch: A sorted batch (nvsvm_fault_batch_sort()).
 * @count: How many.
 *
 * Entries with the same instance block, tag and 4 KiB page become one: the
 * first, which has the strongest access. Servicing that one services the
 * others; a cancel of it cancels them all (a cancel names a page).
 *
 * Return: the number of entries left, at the start of @batch, still sorted.
 */
unsigned int nvsvm_fault_batch_coalesce(struct nvsvm_fault_info *batch, unsigned int count)
{
	unsigned int i, n = 0;

	for (i = 0; i < count; i++) {
		const struct nvsvm_fault_info *f = &batch[i];

		if (n && batch[n - 1].inst == f->inst && batch[n - 1].tag == f->tag &&
		    batch[n - 1].va >> PAGE_SHIFT == f->va >> PAGE_SHIFT)
			continue;
		batch[n++] = *f;
	}
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_fault_batch_coalesce);

static struct nvsvm_vm *nvsvm_fault_rec_vm(const struct nvsvm_fault_rec *r)
{
	return r->chan ? r->chan->vm : NULL;
}

/* By VM, page, then the strongest access first. */
static int nvsvm_fault_rec_cmp(const void *a, const void *b)
{
	const struct nvsvm_fault_rec *x = a, *y = b;
	uintptr_t vx = (uintptr_t)nvsvm_fault_rec_vm(x), vy = (uintptr_t)nvsvm_fault_rec_vm(y);
	u64 px = x->f.va >> PAGE_SHIFT, py = y->f.va >> PAGE_SHIFT;

	if (vx != vy)
		return vx < vy ? -1 : 1;
	if (px != py)
		return px < py ? -1 : 1;
	return (int)nvsvm_fault_access_rank(y->f.access) -
	       (int)nvsvm_fault_access_rank(x->f.access);
}

/* Record @r against its channel, if it lives, with @reason, and cancel it. */
static void nvsvm_fault_cancel(struct nvsvm_fault *fault, const struct nvsvm_fault_rec *r,
			       u8 reason)
{
	const struct nvsvm_fault_info *f = &r->f;
	struct nvsvm_hw *hw = fault->ndev->hw;

	if (r->chan) {
		nvsvm_chan_record_fault(r->chan, f->va, f->access, f->type, f->client, reason);
		trace_nvsvm_fault_cancel(dev_name(fault->ndev->base.dev), f->va, f->inst,
					 f->tag, f->access, reason);
		nvsvm_svm_stats_cancel(fault->ndev);
	}

	/* With the entry's own tag: a new channel at the instance is spared. */
	nvsvm_hw_wr32(hw, NVSVM_REG_FAULT_CANCEL_INST_LO, lower_32_bits(f->inst));
	nvsvm_hw_wr32(hw, NVSVM_REG_FAULT_CANCEL_INST_HI, upper_32_bits(f->inst));
	nvsvm_hw_wr32(hw, NVSVM_REG_FAULT_CANCEL_VA_LO, lower_32_bits(f->va));
	nvsvm_hw_wr32(hw, NVSVM_REG_FAULT_CANCEL_VA_HI, upper_32_bits(f->va));
	nvsvm_hw_wr32(hw, NVSVM_REG_FAULT_CANCEL_TAG, f->tag);
	nvsvm_hw_wr32(hw, NVSVM_REG_FAULT_CANCEL_TRIGGER, 1);
}

/*
 * Service @n distinct faults (fault->batch, sorted and coalesced): find
 * their channels, service each VM's, cancel what was not serviced, and
 * count those in *@cancelled.
 * Return: how many were serviced (and need the replay).
 */
static unsigned int nvsvm_fault_service(struct nvsvm_fault *fault, unsigned int n,
					unsigned int *cancelled)
{
	struct nvsvm_device *ndev = fault->ndev;
	unsigned int i, j, nfaults = 0, serviced = 0;

	for (i = 0; i < n; i++) {
		struct nvsvm_fault_rec *r = &fault->recs[i];

		r->f = fault->batch[i];
		r->chan = nvsvm_fifo_chan_get_by_inst(ndev->fifo, r->f.inst, r->f.tag);
	}
	sort(fault->recs, n, sizeof(*fault->recs), nvsvm_fault_rec_cmp, NULL);

	/* One fault per VM and page: the first of a run has the strongest access. */
	for (i = 0; i < n; i++) {
		struct nvsvm_fault_rec *r = &fault->recs[i];

		if (i && r->chan && nvsvm_fault_rec_vm(r) == nvsvm_fault_rec_vm(r - 1) &&
		    r->f.va >> PAGE_SHIFT == r[-1].f.va >> PAGE_SHIFT) {
			r->fault = r[-1].fault;
			continue;
		}
		r->fault = nfaults;
		fault->faults[nfaults++] = (struct nvsvm_svm_fault){
			.va = r->f.va & PAGE_MASK,
			.access = r->f.access,
			.type = r->f.type,
		};
	}

	/* Each VM's faults, in address order. */
	for (i = 0; i < n; i = j) {
		struct nvsvm_vm *vm = nvsvm_fault_rec_vm(&fault->recs[i]);

		for (j = i + 1; j < n && nvsvm_fault_rec_vm(&fault->recs[j]) == vm; j++)
			;
		if (vm)
			nvsvm_svm_service(vm, &fault->faults[fault->recs[i].fault],
					  fault->recs[j - 1].fault - fault->recs[i].fault + 1);
	}

	/* Each (instance, tag, page) is distinct: cancel it once if it needs it. */
	for (i = 0; i < n; i++) {
		struct nvsvm_fault_rec *r = &fault->recs[i];
		u8 reason = r->chan ? fault->faults[r->fault].reason : 0;

		if (r->chan && !reason) {
			serviced++;
			continue;
		}
		nvsvm_fault_cancel(fault, r, reason);
		(*cancelled)++;
	}

	for (i = 0; i < n; i++)
		if (fault->recs[i].chan)
			nvsvm_chan_put(fault->recs[i].chan);
	return serviced;
}

static void nvsvm_fault_decode(const struct nvsvm_fault_entry *e, u32 info,
			       struct nvsvm_fault_info *f)
{
	f->va = le64_to_cpu(READ_ONCE(e->va));
	f->inst = le64_to_cpu(READ_ONCE(e->inst));
	f->tag = le32_to_cpu(READ_ONCE(e->tag));
	f->access = FIELD_GET(NVSVM_FAULT_INFO_ACCESS, info);
	f->type = FIELD_GET(NVSVM_FAULT_INFO_TYPE, info);
	f->client = FIELD_GET(NVSVM_FAULT_INFO_CLIENT, info);
}

/* Copy out up to a batch from the ring and give its room back: the count. */
static unsigned int nvsvm_fault_drain(struct nvsvm_fault *fault, bool *more)
{
	struct nvsvm_hw *hw = fault->ndev->hw;
	const u32 mask = NVSVM_FAULT_ENTRIES - 1;
	unsigned int n = 0;
	u32 get, put;

	get = nvsvm_hw_rd32(hw, NVSVM_REG_FAULT_BUF_GET) & mask;
	put = nvsvm_hw_rd32(hw, NVSVM_REG_FAULT_BUF_PUT) & mask;
	/* The entries were written before PUT moved past them. */
	dma_rmb();
	while (get != put && n < NVSVM_FAULT_BATCH) {
		struct nvsvm_fault_entry *e = &fault->ring[get];
		u32 info = le32_to_cpu(READ_ONCE(e->info));

		if (info & NVSVM_FAULT_INFO_VALID) {
			nvsvm_fault_decode(e, info, &fault->batch[n++]);
			WRITE_ONCE(e->info, 0);
		}
		get = (get + 1) & mask;
	}
	/* Early: the GPU may report new faults while these are serviced. */
	nvsvm_hw_wr32(hw, NVSVM_REG_FAULT_BUF_GET, get);
	*more = get != put;
	return n;
}

static void nvsvm_fault_work(struct work_struct *work)
{
	struct nvsvm_fault *fault = container_of(work, struct nvsvm_fault, work);
	struct nvsvm_device *ndev = fault->ndev;
	struct nvsvm_hw *hw = ndev->hw;
	unsigned int entries, n, serviced = 0, cancelled = 0;
	bool more, replay;
	u64 start;
	int idx;

	if (!drm_dev_enter(&ndev->base, &idx))
		return;

	start = ktime_get_ns();
	if (nvsvm_hw_rd32(hw, NVSVM_REG_FAULT_STATUS) & NVSVM_FAULT_STATUS_OVERFLOW) {
		nvsvm_hw_wr32(hw, NVSVM_REG_FAULT_STATUS, NVSVM_FAULT_STATUS_OVERFLOW);
		fault->overflowed = true;
	}

	entries = nvsvm_fault_drain(fault, &more);
	nvsvm_fault_batch_sort(fault->batch, entries);
	n = nvsvm_fault_batch_coalesce(fault->batch, entries);
	trace_nvsvm_fault_batch(dev_name(ndev->base.dev), entries, n, entries - n);
	if (n)
		serviced = nvsvm_fault_service(fault, n, &cancelled);
	replay = serviced > 0;

	/* Dropped faults come back once the ring has room for them. */
	if (fault->overflowed && !more) {
		fault->overflowed = false;
		replay = true;
	}
	/* One replay retries every stalled access the pass serviced. */
	if (replay) {
		nvsvm_hw_wr32(hw, NVSVM_REG_FAULT_REPLAY, 1);
		nvsvm_svm_stats_replay(ndev);
		trace_nvsvm_fault_replay(dev_name(ndev->base.dev), serviced, cancelled);
	}
	if (entries)
		nvsvm_svm_stats_batch(ndev, entries, entries - n, ktime_get_ns() - start);

	if (more)
		queue_work(fault->wq, &fault->work);
	else
		nvsvm_hw_wr32(hw, NVSVM_REG_FAULT_INTR_EN, 1);
	drm_dev_exit(idx);
}

/**
 * nvsvm_fault_flush() - Wait for the fault worker to finish what it started
 * @ndev: The device.
 *
 * For closing a file: once its channels are gone no new pass reaches its
 * VM, and after this none is servicing it. A pass that requeued itself
 * finds no channel of the file any more.
 */
void nvsvm_fault_flush(struct nvsvm_device *ndev)
{
	flush_work(&ndev->fault->work);
}

/**
 * nvsvm_fault_check() - Drain the ring if an interrupt was lost
 * @ndev: The device; the caller is inside drm_dev_enter().
 *
 * For the lost-interrupt watchdog: queues the worker if the ring holds
 * entries or has overflowed.
 */
void nvsvm_fault_check(struct nvsvm_device *ndev)
{
	const u32 mask = NVSVM_FAULT_ENTRIES - 1;
	struct nvsvm_fault *fault = ndev->fault;
	struct nvsvm_hw *hw = ndev->hw;

	if (!fault)
		return;
	if ((nvsvm_hw_rd32(hw, NVSVM_REG_FAULT_BUF_GET) & mask) !=
	    (nvsvm_hw_rd32(hw, NVSVM_REG_FAULT_BUF_PUT) & mask) ||
	    (nvsvm_hw_rd32(hw, NVSVM_REG_FAULT_STATUS) & NVSVM_FAULT_STATUS_OVERFLOW))
		queue_work(fault->wq, &fault->work);
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

static void nvsvm_fault_free_ring(struct drm_device *drm, void *arg)
{
	struct nvsvm_fault *fault = arg;

	dma_free_coherent(drm->dev, NVSVM_FAULT_ENTRIES * NVSVM_FAULT_ENTRY_SIZE,
			  fault->ring, fault->ring_dma);
}

static void nvsvm_fault_destroy_wq(struct drm_device *drm, void *arg)
{
	destroy_workqueue(arg);
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

	/* Ordered: one pass at a time. No WQ_MEM_RECLAIM: servicing allocates. */
	fault->wq = alloc_ordered_workqueue("%s-fault", WQ_HIGHPRI, dev_name(ndev->base.dev));
	if (!fault->wq)
		return -ENOMEM;
	ret = drmm_add_action_or_reset(&ndev->base, nvsvm_fault_destroy_wq, fault->wq);
	if (ret)
		return ret;

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
 * @ndev: The device, already unplugged (drm_dev_unplug()), its FIFO
 *        watchdog not yet stopped (it queues the worker only inside
 *        drm_dev_enter(), which fails now).
 *
 * After this the GPU writes no more faults to the ring, and the worker
 * does not run.
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
