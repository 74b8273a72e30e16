// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

/**
 * DOC: Host (FIFO)
 *
 * The host block runs the GPU's hardware channels. This file owns what all
 * channels share: which hardware channel belongs to which &struct
 * nvsvm_chan, the per-channel registers, and the "fifo" interrupt.
 *
 * The interrupt's top half acknowledges its causes. SEMAPHORE means a
 * release with the INTR flag completed, which is how every job ends: the
 * top half lets each channel signal the jobs its semaphore says are done
 * (signalling a fence is allowed in hard-IRQ context). ERROR means
 * channels stopped on an error: the error work finds which in FIFO_ERROR
 * and fails them (nvsvm_chan_fail(), which reads the channel's status
 * under the lock its resets take, so that a channel the driver reset
 * meanwhile is not misreported).
 *
 * A channel reset is triggered, then polled: CHAN_STATUS.RESETTING with a
 * bounded wait. A reset that never completes leaves the host block in a
 * state the driver cannot know: the device is wedged (drm_err), and every
 * later CHANNEL_ALLOC fails with -EIO.
 *
 * Each channel has a tag, a per-device number (never 0, unique among live
 * channels) written to its instance block's %NVSVM_INST_TAG: the GPU copies
 * it into fault entries, and the fault block attributes an entry by
 * (instance block, tag), so that an entry left by a freed channel is never
 * taken for one of a new channel at the same instance block.
 *
 * Interrupts can be lost (the contract allows it). While any channel has
 * work on the GPU, a watchdog (every lost_irq_check_ms) signals what the
 * semaphores say completed, queues the error work if FIFO_ERROR's cause is
 * pending, and lets the fault block look at its ring.
 *
 * Locking: &nvsvm_fifo.lock (a mutex) serialises adding and removing
 * channels with the error work, unplug and debugfs, which call into
 * channels under it, and protects the tag counter. &nvsvm_fifo.irq_lock (a
 * spinlock, taken with interrupts off, inside &nvsvm_fifo.lock) protects
 * the channel table for the interrupt handler, the watchdog and the fault
 * block; a channel leaves the table under both before it goes away, so the
 * table holds no references.
 */

#include <linux/bitfield.h>
#include <linux/interrupt.h>
#include <linux/iopoll.h>
#include <linux/moduleparam.h>
#include <linux/platform_device.h>
#include <linux/seq_file.h>
#include <linux/workqueue.h>

#include <drm/drm_debugfs.h>
#include <drm/drm_drv.h>
#include <drm/drm_managed.h>
#include <drm/drm_print.h>

#include "nvsvm_chan.h"
#include "nvsvm_chan_types.h"
#include "nvsvm_device.h"
#include "nvsvm_fault.h"
#include "nvsvm_fifo.h"
#include "nvsvm_hw.h"
#include "nvsvm_regs.h"

static unsigned int lost_irq_check_ms = 200;
module_param(lost_irq_check_ms, uint, 0644);
MODULE_PARM_DESC(lost_irq_check_ms,
		 "While jobs run, how often to look for work a lost interrupt left undone, in ms (0: never; default 200)");

/* How long a channel reset may take before the device counts as wedged. */
#define NVSVM_FIFO_RESET_TIMEOUT_US	(5 * USEC_PER_SEC)
#define NVSVM_FIFO_RESET_POLL_US	20

/**
 * struct nvsvm_fifo - The host block
 */
struct nvsvm_fifo {
	/** @ndev: The device. Immutable. */
	struct nvsvm_device *ndev;
	/** @irq: The "fifo" interrupt. Immutable. */
	int irq;
	/** @lock: See the DOC above. */
	struct mutex lock;
	/** @irq_lock: Protects @chans, @inst and @tag. */
	spinlock_t irq_lock;
	/** @chans: Channel by hardware id, NULL if free. */
	struct nvsvm_chan *chans[NVSVM_MAX_CHANNELS];
	/** @inst: Instance block location of each channel in @chans. */
	u64 inst[NVSVM_MAX_CHANNELS];
	/** @tag: Instance block tag of each channel in @chans. */
	u32 tag[NVSVM_MAX_CHANNELS];
	/** @next_tag: The last tag handed out. Protected by @lock. */
	u32 next_tag;
	/** @error_work: Fails the channels FIFO_ERROR names. */
	struct work_struct error_work;
	/** @watchdog: Makes up for lost interrupts while jobs run. */
	struct delayed_work watchdog;
};

static struct nvsvm_hw *nvsvm_fifo_hw(struct nvsvm_fifo *fifo)
{
	return fifo->ndev->hw;
}

/**
 * nvsvm_fifo_chan_reset() - Stop a hardware channel and forget its work
 * @fifo: The host block.
 * @hw_id: The channel.
 *
 * Triggers the reset and polls CHAN_STATUS.RESETTING with a bounded wait
 * (then clears the channel's instance block): the channel is idle,
 * disabled, without error, and the GPU holds no translation of its VM.
 * A reset that does not complete wedges the device. The caller must own
 * the hardware (drm_dev_enter(), or the unplug path). Allocates nothing.
 * May sleep.
 *
 * Return: 0, or -ETIMEDOUT (or -EIO once wedged) if the reset did not
 * complete.
 */
int nvsvm_fifo_chan_reset(struct nvsvm_fifo *fifo, u32 hw_id)
{
	struct nvsvm_device *ndev = fifo->ndev;
	struct nvsvm_hw *hw = nvsvm_fifo_hw(fifo);
	u32 status;
	int ret;

	nvsvm_hw_wr32(hw, NVSVM_REG_CHAN_CTRL(hw_id), NVSVM_CHAN_CTRL_RESET);
	/* Wedged: resets do not complete; waiting for each would only hang. */
	if (READ_ONCE(ndev->wedged))
		return -EIO;
	ret = read_poll_timeout(nvsvm_hw_rd32, status,
				!(status & NVSVM_CHAN_STATUS_RESETTING),
				NVSVM_FIFO_RESET_POLL_US, NVSVM_FIFO_RESET_TIMEOUT_US,
				false, hw, NVSVM_REG_CHAN_STATUS(hw_id));
	if (ret) {
		WRITE_ONCE(ndev->wedged, true);
		drm_err(&ndev->base,
			"channel %u: reset did not complete; the GPU is wedged, no new channels\n",
			hw_id);
		return ret;
	}
	nvsvm_hw_wr32(hw, NVSVM_REG_CHAN_INST_LO(hw_id), 0);
	nvsvm_hw_wr32(hw, NVSVM_REG_CHAN_INST_HI(hw_id), 0);
	return 0;
}

/**
 * nvsvm_fifo_chan_read_error() - Read why a hardware channel stopped
 * @fifo: The host block.
 * @hw_id: The channel.
 * @error: Set to NVSVM_CHAN_ERROR_* (NONE if it has not failed).
 * @info: Set to CHAN_ERROR_INFO.
 *
 * The caller holds what keeps the channel from being reset meanwhile
 * (&nvsvm_chan.stop_lock).
 */
void nvsvm_fifo_chan_read_error(struct nvsvm_fifo *fifo, u32 hw_id, u32 *error, u64 *info)
{
	struct nvsvm_hw *hw = nvsvm_fifo_hw(fifo);

	*error = FIELD_GET(NVSVM_CHAN_STATUS_ERROR,
			   nvsvm_hw_rd32(hw, NVSVM_REG_CHAN_STATUS(hw_id)));
	*info = nvsvm_hw_rd32(hw, NVSVM_REG_CHAN_ERROR_INFO_LO(hw_id)) |
		(u64)nvsvm_hw_rd32(hw, NVSVM_REG_CHAN_ERROR_INFO_HI(hw_id)) << 32;
}

/**
 * nvsvm_fifo_chan_kick() - Ring a channel's doorbell
 * @fifo: The host block.
 * @hw_id: The channel.
 *
 * Does nothing once the device is unplugged.
 */
void nvsvm_fifo_chan_kick(struct nvsvm_fifo *fifo, u32 hw_id)
{
	int idx;

	if (!drm_dev_enter(&fifo->ndev->base, &idx))
		return;
	nvsvm_hw_wr32(nvsvm_fifo_hw(fifo), NVSVM_REG_FIFO_DOORBELL, hw_id);
	drm_dev_exit(idx);
}

/* A tag no live channel has, and not 0. */
static u32 nvsvm_fifo_next_tag(struct nvsvm_fifo *fifo)
{
	u32 id;

	lockdep_assert_held(&fifo->lock);
	for (;;) {
		if (!++fifo->next_tag)
			continue;
		for (id = 0; id < NVSVM_MAX_CHANNELS; id++)
			if (fifo->chans[id] && fifo->tag[id] == fifo->next_tag)
				break;
		if (id == NVSVM_MAX_CHANNELS)
			return fifo->next_tag;
	}
}

/**
 * nvsvm_fifo_chan_add() - Give a channel a hardware channel and a tag
 * @fifo: The host block.
 * @chan: The channel. It must be ready for nvsvm_chan_signal().
 * @inst: DMA address of its instance block.
 * @hw_id: Receives the hardware id.
 * @tag: Receives the tag for the instance block's %NVSVM_INST_TAG.
 *
 * The hardware channel stays disabled until nvsvm_fifo_chan_start().
 *
 * Return: 0; -ENOSPC if every hardware channel is in use; -EIO if the
 * device is wedged.
 */
int nvsvm_fifo_chan_add(struct nvsvm_fifo *fifo, struct nvsvm_chan *chan,
			dma_addr_t inst, u32 *hw_id, u32 *tag)
{
	int ret = -ENOSPC;
	u32 id;

	if (READ_ONCE(fifo->ndev->wedged))
		return -EIO;

	mutex_lock(&fifo->lock);
	for (id = 0; id < fifo->ndev->info.chan_count; id++) {
		if (fifo->chans[id])
			continue;
		*tag = nvsvm_fifo_next_tag(fifo);
		spin_lock_irq(&fifo->irq_lock);
		fifo->chans[id] = chan;
		fifo->inst[id] = lower_32_bits(inst) | NVSVM_ADDR_LO_SYSMEM |
				 (u64)upper_32_bits(inst) << 32;
		fifo->tag[id] = *tag;
		spin_unlock_irq(&fifo->irq_lock);
		*hw_id = id;
		ret = 0;
		break;
	}
	mutex_unlock(&fifo->lock);
	return ret;
}

/**
 * nvsvm_fifo_chan_start() - Point a hardware channel at its instance block
 * @fifo: The host block.
 * @hw_id: The channel, from nvsvm_fifo_chan_add().
 *
 * Return: 0, or -ENODEV if the device is gone.
 */
int nvsvm_fifo_chan_start(struct nvsvm_fifo *fifo, u32 hw_id)
{
	struct nvsvm_hw *hw = nvsvm_fifo_hw(fifo);
	int idx;

	if (!drm_dev_enter(&fifo->ndev->base, &idx))
		return -ENODEV;
	nvsvm_hw_wr32(hw, NVSVM_REG_CHAN_INST_LO(hw_id), lower_32_bits(fifo->inst[hw_id]));
	nvsvm_hw_wr32(hw, NVSVM_REG_CHAN_INST_HI(hw_id), upper_32_bits(fifo->inst[hw_id]));
	nvsvm_hw_wr32(hw, NVSVM_REG_CHAN_CTRL(hw_id), NVSVM_CHAN_CTRL_ENABLE);
	drm_dev_exit(idx);
	return 0;
}

/**
 * nvsvm_fifo_chan_remove() - Give a hardware channel back
 * @fifo: The host block.
 * @hw_id: The channel, stopped by nvsvm_fifo_chan_reset() already.
 *
 * Once this returns neither the interrupt handler nor the error work nor
 * the fault block can reach the channel.
 */
void nvsvm_fifo_chan_remove(struct nvsvm_fifo *fifo, u32 hw_id)
{
	mutex_lock(&fifo->lock);
	spin_lock_irq(&fifo->irq_lock);
	fifo->chans[hw_id] = NULL;
	fifo->inst[hw_id] = 0;
	fifo->tag[hw_id] = 0;
	spin_unlock_irq(&fifo->irq_lock);
	mutex_unlock(&fifo->lock);
}

/**
 * nvsvm_fifo_chan_get_by_inst() - Find the channel a fault entry names
 * @fifo: The host block.
 * @inst: The instance block's location, as the hardware reports it.
 * @tag: The instance block's tag, as the hardware reports it.
 *
 * Both must match: an instance block is reused by a new channel once its
 * channel is freed, and the tag tells them apart.
 *
 * Context: Any.
 *
 * Return: the channel with a reference (nvsvm_chan_put() it), or NULL.
 */
struct nvsvm_chan *nvsvm_fifo_chan_get_by_inst(struct nvsvm_fifo *fifo, u64 inst, u32 tag)
{
	struct nvsvm_chan *chan = NULL;
	unsigned long flags;
	u32 id;

	spin_lock_irqsave(&fifo->irq_lock, flags);
	for (id = 0; id < NVSVM_MAX_CHANNELS; id++) {
		if (fifo->chans[id] && fifo->inst[id] == inst && fifo->tag[id] == tag) {
			chan = nvsvm_chan_get(fifo->chans[id]);
			break;
		}
	}
	spin_unlock_irqrestore(&fifo->irq_lock, flags);
	return chan;
}

/**
 * nvsvm_fifo_watchdog_arm() - Look for lost interrupts in a while
 * @fifo: The host block.
 *
 * Called as jobs go to the GPU; the watchdog re-arms itself while any
 * channel is busy. Does nothing if it is armed already, or disabled
 * (lost_irq_check_ms = 0).
 *
 * Context: Any but hard-IRQ.
 */
void nvsvm_fifo_watchdog_arm(struct nvsvm_fifo *fifo)
{
	unsigned int ms = READ_ONCE(lost_irq_check_ms);

	if (ms)
		queue_delayed_work(fifo->ndev->wq, &fifo->watchdog, msecs_to_jiffies(ms));
}

static void nvsvm_fifo_watchdog_work(struct work_struct *work)
{
	struct nvsvm_fifo *fifo = container_of(to_delayed_work(work), struct nvsvm_fifo,
					       watchdog);
	struct nvsvm_hw *hw = nvsvm_fifo_hw(fifo);
	bool busy = false;
	u32 id, status;
	int idx;

	if (!drm_dev_enter(&fifo->ndev->base, &idx))
		return;

	/* What the semaphores say completed, whether or not its IRQ came. */
	spin_lock_irq(&fifo->irq_lock);
	for (id = 0; id < NVSVM_MAX_CHANNELS; id++) {
		if (!fifo->chans[id])
			continue;
		nvsvm_chan_signal(fifo->chans[id]);
		busy |= nvsvm_chan_busy(fifo->chans[id]);
	}
	spin_unlock_irq(&fifo->irq_lock);

	status = nvsvm_hw_rd32(hw, NVSVM_REG_FIFO_INTR_STATUS) &
		 nvsvm_hw_rd32(hw, NVSVM_REG_FIFO_INTR_EN);
	if (status & NVSVM_FIFO_INTR_ERROR)
		queue_work(fifo->ndev->wq, &fifo->error_work);
	nvsvm_fault_check(fifo->ndev);
	drm_dev_exit(idx);

	if (busy)
		nvsvm_fifo_watchdog_arm(fifo);
}

static irqreturn_t nvsvm_fifo_irq(int irq, void *arg)
{
	struct nvsvm_fifo *fifo = arg;
	struct nvsvm_hw *hw = nvsvm_fifo_hw(fifo);
	u32 status, id;

	status = nvsvm_hw_rd32(hw, NVSVM_REG_FIFO_INTR_STATUS) &
		 nvsvm_hw_rd32(hw, NVSVM_REG_FIFO_INTR_EN);
	if (!status)
		return IRQ_NONE;
	/* Acknowledge first: a release after this raises the line again. */
	nvsvm_hw_wr32(hw, NVSVM_REG_FIFO_INTR_STATUS, status);

	if (status & NVSVM_FIFO_INTR_SEMAPHORE) {
		spin_lock(&fifo->irq_lock);
		for (id = 0; id < NVSVM_MAX_CHANNELS; id++)
			if (fifo->chans[id])
				nvsvm_chan_signal(fifo->chans[id]);
		spin_unlock(&fifo->irq_lock);
	}
	if (status & NVSVM_FIFO_INTR_ERROR)
		queue_work(fifo->ndev->wq, &fifo->error_work);
	return IRQ_HANDLED;
}

static void nvsvm_fifo_error_work(struct work_struct *work)
{
	struct nvsvm_fifo *fifo = container_of(work, struct nvsvm_fifo, error_work);
	struct nvsvm_hw *hw = nvsvm_fifo_hw(fifo);
	u32 count = fifo->ndev->info.chan_count;
	unsigned long errors;
	int idx;
	u32 w, bit;

	if (!drm_dev_enter(&fifo->ndev->base, &idx))
		return;

	/* Channels leave the table under the lock: each one found stays. */
	mutex_lock(&fifo->lock);
	for (w = 0; w < DIV_ROUND_UP(count, 32); w++) {
		errors = nvsvm_hw_rd32(hw, NVSVM_REG_FIFO_ERROR(w));
		for_each_set_bit(bit, &errors, 32) {
			u32 id = w * 32 + bit;

			if (id >= count)
				break;
			/* Failing the channel resets it, which clears the bit. */
			if (fifo->chans[id])
				nvsvm_chan_fail(fifo->chans[id]);
			else
				nvsvm_fifo_chan_reset(fifo, id);
		}
	}
	mutex_unlock(&fifo->lock);
	drm_dev_exit(idx);
}

static int nvsvm_fifo_channels_show(struct seq_file *m, void *data)
{
	struct drm_debugfs_entry *entry = m->private;
	struct nvsvm_fifo *fifo = to_nvsvm_device(entry->dev)->fifo;
	u32 id;

	mutex_lock(&fifo->lock);
	for (id = 0; id < NVSVM_MAX_CHANNELS; id++) {
		struct nvsvm_chan *chan = fifo->chans[id];

		if (chan)
			seq_printf(m, "chan %u inst %#llx tag %u pid %d client %llu id %u\n", id,
				   fifo->inst[id], fifo->tag[id], chan->pid, chan->client_id,
				   chan->id);
	}
	mutex_unlock(&fifo->lock);
	return 0;
}

static void nvsvm_fifo_fini(struct drm_device *drm, void *arg)
{
	struct nvsvm_fifo *fifo = arg;

	/* Before the workqueue goes: a job may have armed it at the end. */
	cancel_delayed_work_sync(&fifo->watchdog);
}

/**
 * nvsvm_fifo_init() - Take over the host block at probe
 * @ndev: The device.
 * @pdev: Its platform device, for the interrupt.
 *
 * Resets every hardware channel (a previous driver may have left them
 * running) and enables the interrupt.
 *
 * Return: 0 or a negative errno.
 */
int nvsvm_fifo_init(struct nvsvm_device *ndev, struct platform_device *pdev)
{
	struct nvsvm_fifo *fifo;
	struct nvsvm_hw *hw = ndev->hw;
	int ret;
	u32 id;

	fifo = drmm_kzalloc(&ndev->base, sizeof(*fifo), GFP_KERNEL);
	if (!fifo)
		return -ENOMEM;
	fifo->ndev = ndev;
	ret = drmm_mutex_init(&ndev->base, &fifo->lock);
	if (ret)
		return ret;
	spin_lock_init(&fifo->irq_lock);
	INIT_WORK(&fifo->error_work, nvsvm_fifo_error_work);
	INIT_DELAYED_WORK(&fifo->watchdog, nvsvm_fifo_watchdog_work);
	ret = drmm_add_action(&ndev->base, nvsvm_fifo_fini, fifo);
	if (ret)
		return ret;

	fifo->irq = platform_get_irq_byname(pdev, "fifo");
	if (fifo->irq < 0)
		return fifo->irq;

	nvsvm_hw_wr32(hw, NVSVM_REG_FIFO_INTR_EN, 0);
	for (id = 0; id < ndev->info.chan_count; id++)
		nvsvm_fifo_chan_reset(fifo, id);
	nvsvm_hw_wr32(hw, NVSVM_REG_FIFO_INTR_STATUS, ~0u);

	ret = devm_request_irq(&pdev->dev, fifo->irq, nvsvm_fifo_irq, 0,
			       "nvsvm-fifo", fifo);
	if (ret)
		return ret;
	ndev->fifo = fifo;
	nvsvm_hw_wr32(hw, NVSVM_REG_FIFO_INTR_EN,
		      NVSVM_FIFO_INTR_SEMAPHORE | NVSVM_FIFO_INTR_ERROR);
	drm_debugfs_add_file(&ndev->base, "channels", nvsvm_fifo_channels_show, NULL);
	return 0;
}

/**
 * nvsvm_fifo_unplug() - Stop the host block when the device goes away
 * @ndev: The device, already unplugged (drm_dev_unplug()).
 *
 * Masks the interrupt, waits for the watchdog and the error work, resets every hardware
 * channel, and fails the jobs of the channels that files still hold with
 * -ENODEV. The channels themselves go when their files close.
 */
void nvsvm_fifo_unplug(struct nvsvm_device *ndev)
{
	struct nvsvm_fifo *fifo = ndev->fifo;
	u32 id;

	nvsvm_hw_wr32(ndev->hw, NVSVM_REG_FIFO_INTR_EN, 0);
	synchronize_irq(fifo->irq);
	/* The watchdog queues the error work: stop it first. */
	cancel_delayed_work_sync(&fifo->watchdog);
	cancel_work_sync(&fifo->error_work);

	mutex_lock(&fifo->lock);
	for (id = 0; id < ndev->info.chan_count; id++) {
		nvsvm_fifo_chan_reset(fifo, id);
		if (fifo->chans[id])
			nvsvm_chan_unplug(fifo->chans[id]);
	}
	mutex_unlock(&fifo->lock);
}
