// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

/**
 * DOC: Channels and jobs
 *
 * A &struct nvsvm_chan is a hardware channel bound to its file's VM, fed
 * by a drm_sched entity on the scheduler of its hardware channel: one
 * scheduler per ring, since channels run concurrently. The schedulers live
 * as long as the device, not the channel: the scheduler's fences name it,
 * and outlive the channel in syncobjs and sync files (on 6.12 asking a
 * sync file its timeline name dereferences the scheduler). A scheduler is
 * created when its hardware channel is first used.
 *
 * Memory: the instance block (4 KiB) and the ring are coherent DMA memory.
 * The ring holds the GPFIFO, the channel's semaphore, and one small kernel
 * push buffer per GPFIFO entry. It is mapped in the kernel half of the VM,
 * where no user mapping can reach it, at an address derived from the
 * hardware channel id: read-only but for the semaphore's page. A job that
 * writes its own channel's semaphore (the GPU has no privilege levels)
 * can only make its own channel's fences signal early or time out.
 *
 * A job (EXEC) is a list of user push buffers. run_job() writes a GPFIFO
 * entry for each, then one for the kernel push buffer of the entry's slot,
 * which releases the channel's semaphore with the job's sequence number
 * and the INTR flag; it then publishes GP_PUT and rings the doorbell. The
 * job's hardware fence signals from the FIFO interrupt (or, if that is
 * lost, the FIFO block's watchdog) once the semaphore has reached its
 * sequence number. A job takes a scheduler credit per
 * GPFIFO entry, and the credit limit keeps the ring from overflowing.
 *
 * Fault mode: a channel of an SVM VM runs jobs that may fault, and the
 * kernel services faults by allocating memory, which no dma-fence may wait
 * on. So, as xe's long-running mode does, its jobs have no hardware fence:
 * run_job() writes the entries and returns no fence (the scheduler's
 * fences signal as soon as the job is on the ring, and serve in-syncs
 * only), and a job's end is its user fence, a SEMAPHORE_RELEASE of the
 * job's value at the job's address in process memory with the INTR flag,
 * in the kernel push buffer of the entry's slot; WAIT_USER_FENCE sleeps on
 * it. EXEC refuses out-syncs. The ring's room is counted without fences:
 * the entries between GP_GET, which the GPU writes as it consumes them,
 * and @put, plus those of jobs accepted and not written yet; EXEC fails
 * with -EBUSY when a job does not fit. No job timeout applies (the
 * scheduler never sees a job running), so a kernel waiting for its faults
 * to be serviced is not killed for it.
 *
 * Failure: when the channel stops on an error (the FIFO error interrupt),
 * a job overruns the job timeout (drm_sched's timedout_job), or an MMU
 * invalidate of its VM never completes (nvsvm_chan_hang(): GPU_HANG,
 * -EIO), the channel stops for good. The hardware channel is reset; the jobs its
 * semaphore says completed signal normally; the job that was running
 * signals with the errno of the cause, and every later one with
 * -ECANCELED, as do the jobs still queued when they come to run. A fault
 * report from the fault buffer, recorded before the cancel that stops the
 * channel, completes what CHANNEL_GET_ERROR tells.
 *
 * Ids: CHANNEL_ALLOC reserves an id in the file's table, 1 to the
 * per-file limit (DRM_NVSVM_PARAM_CHANNELS_PER_FILE), before it creates
 * the channel; every ioctl rejects 0 and ids above the limit before the
 * table sees them.
 *
 * Lifetime: the file's channel table holds a reference; lookups take one.
 * Destroying a channel stops it, flushes its entity and waits for all of
 * its jobs to be freed before its memory goes, so jobs need no reference.
 * Hardware fences have a lock of their own: they can outlive the channel
 * (inside the scheduler's fences).
 *
 * Locking:
 *
 * - &nvsvm_chan.submit_lock orders EXEC's job init, arm and push, so that
 *   fences are ordered like jobs, and protects &nvsvm_chan.closed.
 * - &nvsvm_chan.stop_lock serialises stopping the channel. A failed MMU
 *   invalidate stops the VM's channels under &nvsvm_vm.notifier_lock, so
 *   nothing allocates memory under it (lockdep is told at creation).
 * - &nvsvm_chan.lock (a spinlock taken with interrupts off; the FIFO
 *   interrupt takes it) protects the pending fences, the stop state and
 *   the error report.
 */

#include <linux/dma-fence.h>
#include <linux/dma-fence-chain.h>
#include <linux/dma-mapping.h>
#include <linux/kref.h>
#include <linux/moduleparam.h>
#include <linux/overflow.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_managed.h>
#include <drm/drm_print.h>
#include <drm/drm_syncobj.h>
#include <drm/gpu_scheduler.h>

#include "nvsvm_chan.h"
#include "nvsvm_chan_types.h"
#include "nvsvm_compat.h"
#include "nvsvm_device.h"
#include "nvsvm_drm.h"
#include "nvsvm_fifo.h"
#include "nvsvm_regs.h"
#include "nvsvm_svm.h"
#include "nvsvm_vm.h"

static unsigned int job_timeout_ms = 10000;
module_param(job_timeout_ms, uint, 0644);
MODULE_PARM_DESC(job_timeout_ms,
		 "How long a job may run before its channel is stopped, in ms, read when a channel is allocated (0: no limit; default 10000)");

/* Ring layout: GPFIFO, semaphore, kernel push buffers, in one allocation. */
#define NVSVM_CHAN_ENTRIES		512
#define NVSVM_CHAN_RING_GPFIFO		0
#define NVSVM_CHAN_RING_SEM		SZ_8K
#define NVSVM_CHAN_RING_KPUSH		SZ_16K
#define NVSVM_CHAN_KPUSH_SLOT		32
#define NVSVM_CHAN_RING_SIZE		SZ_32K

static_assert(NVSVM_CHAN_ENTRIES * NVSVM_GPFIFO_ENTRY_SIZE <= NVSVM_CHAN_RING_SEM);
static_assert(NVSVM_CHAN_RING_KPUSH + NVSVM_CHAN_ENTRIES * NVSVM_CHAN_KPUSH_SLOT <=
	      NVSVM_CHAN_RING_SIZE);

/* The semaphore release closing a job: header and five data dwords. */
#define NVSVM_CHAN_RELEASE_DWORDS	6

/*
 * The host consumes an entry before it writes GP_GET past it, so a job may
 * signal while GP_GET still names its last entry: keep one entry spare
 * beside the one that tells a full ring from an empty one.
 */
#define NVSVM_CHAN_CREDITS		(NVSVM_CHAN_ENTRIES - 2)

/* Where a channel's ring sits in the kernel half of its VM. */
static u64 nvsvm_chan_ring_va(u32 hw_id)
{
	return DRM_NVSVM_VA_USER_END + (u64)hw_id * NVSVM_CHAN_RING_SIZE;
}

/* Freeing a job wakes the channel destroyer waiting for the last one. */
static DECLARE_WAIT_QUEUE_HEAD(nvsvm_chan_jobs_wq);

/**
 * struct nvsvm_fence - A job's hardware fence
 */
struct nvsvm_fence {
	/** @base: The fence; its seqno is the job's. */
	struct dma_fence base;
	/** @lock: The fence's lock, which must outlive the channel. */
	spinlock_t lock;
	/** @link: On &nvsvm_chan.pending, which holds a reference. */
	struct list_head link;
};

/**
 * struct nvsvm_job - A job
 */
struct nvsvm_job {
	/** @base: The scheduler's job. */
	struct drm_sched_job base;
	/** @chan: The channel, which outlives its jobs. */
	struct nvsvm_chan *chan;
	/** @fence: Allocated at EXEC, taken by run_job(). */
	struct nvsvm_fence *fence;
	/** @user_fence_va: Fault mode: where to write @user_fence_value, or 0. */
	u64 user_fence_va;
	/** @user_fence_value: Fault mode: the user fence's value. */
	u64 user_fence_value;
	/** @push_count: Number of @pushes. */
	u32 push_count;
	/** @pushes: The push buffers. */
	struct drm_nvsvm_push pushes[] __counted_by(push_count);
};

static struct nvsvm_job *to_nvsvm_job(struct drm_sched_job *job)
{
	return container_of(job, struct nvsvm_job, base);
}

static const char *nvsvm_fence_get_driver_name(struct dma_fence *fence)
{
	return "nvsvm";
}

static const char *nvsvm_fence_get_timeline_name(struct dma_fence *fence)
{
	return "channel";
}

static const struct dma_fence_ops nvsvm_fence_ops = {
	.get_driver_name = nvsvm_fence_get_driver_name,
	.get_timeline_name = nvsvm_fence_get_timeline_name,
};

/**
 * nvsvm_chan_get() - Take a reference on a channel
 * @chan: The channel.
 *
 * Return: @chan.
 */
struct nvsvm_chan *nvsvm_chan_get(struct nvsvm_chan *chan)
{
	kref_get(&chan->ref);
	return chan;
}

static void nvsvm_chan_release(struct kref *ref)
{
	struct nvsvm_chan *chan = container_of(ref, struct nvsvm_chan, ref);

	mutex_destroy(&chan->submit_lock);
	mutex_destroy(&chan->stop_lock);
	kfree(chan);
}

/**
 * nvsvm_chan_put() - Drop a reference on a channel
 * @chan: The channel.
 */
void nvsvm_chan_put(struct nvsvm_chan *chan)
{
	kref_put(&chan->ref, nvsvm_chan_release);
}

/* Signal the fences the semaphore has reached, oldest first. */
static void nvsvm_chan_signal_locked(struct nvsvm_chan *chan)
{
	const __le64 *sem = chan->ring + NVSVM_CHAN_RING_SEM;
	u64 done = le64_to_cpu(READ_ONCE(*sem));
	struct nvsvm_fence *fence, *tmp;

	lockdep_assert_held(&chan->lock);
	list_for_each_entry_safe(fence, tmp, &chan->pending, link) {
		if (fence->base.seqno > done)
			break;
		list_del(&fence->link);
		dma_fence_signal(&fence->base);
		dma_fence_put(&fence->base);
	}
}

/**
 * nvsvm_chan_busy() - Whether a channel has jobs on the GPU
 * @chan: The channel.
 *
 * Context: Any.
 *
 * Return: true while a job that run_job() gave the GPU has not signalled;
 * in fault mode, where jobs have no fence, while the GPU has not consumed
 * every entry written (GP_GET short of the put pointer), so that the
 * lost-interrupt watchdog keeps watching a job that waits on its faults.
 */
bool nvsvm_chan_busy(struct nvsvm_chan *chan)
{
	u32 mask = NVSVM_CHAN_ENTRIES - 1;
	unsigned long flags;
	bool busy;

	spin_lock_irqsave(&chan->lock, flags);
	if (chan->fault_mode && !chan->stop_errno)
		/* Written by the GPU: masked, never trusted further. */
		busy = (le32_to_cpu(READ_ONCE(chan->inst[NVSVM_INST_GP_GET / 4])) & mask) !=
		       chan->put;
	else
		busy = !list_empty(&chan->pending);
	spin_unlock_irqrestore(&chan->lock, flags);
	return busy;
}

/**
 * nvsvm_chan_signal() - Signal the jobs that completed
 * @chan: The channel.
 *
 * Context: Any, hard-IRQ included.
 */
void nvsvm_chan_signal(struct nvsvm_chan *chan)
{
	unsigned long flags;

	if (chan->fault_mode) {
		/* No fences: the interrupt was a user fence, maybe this channel's. */
		nvsvm_svm_fence_wake(chan->vm);
		return;
	}
	spin_lock_irqsave(&chan->lock, flags);
	nvsvm_chan_signal_locked(chan);
	spin_unlock_irqrestore(&chan->lock, flags);
}

/*
 * Stop the channel for good: reset the hardware channel if the device is
 * still there, signal what completed, fail what did not: the oldest job
 * with @err, the rest with -ECANCELED (-ENODEV when the device is gone).
 * @error and @address go to the report unless it already has an error.
 * Allocates nothing: a failed invalidate calls it under the VM's notifier
 * lock.
 */
static void nvsvm_chan_stop_locked(struct nvsvm_chan *chan, u32 error, u64 address,
				   int err)
{
	int later = err == -ENODEV ? -ENODEV : -ECANCELED;
	struct nvsvm_fence *fence, *tmp;
	unsigned long flags;
	int idx;

	lockdep_assert_held(&chan->stop_lock);
	spin_lock_irqsave(&chan->lock, flags);
	if (!chan->stop_errno || err == -ENODEV)
		chan->stop_errno = later;
	if (error && !chan->report.error) {
		chan->report.error = error;
		chan->report.address = address;
		/* The fault entry has the exact address. */
		if (error == DRM_NVSVM_CHANNEL_ERROR_MMU_FAULT && chan->report.access)
			chan->report.address = chan->report.fault_va;
	}
	spin_unlock_irqrestore(&chan->lock, flags);

	if (!chan->hw_stopped && drm_dev_enter(&chan->ndev->base, &idx)) {
		/* A reset that never completes wedges the device: go on anyway. */
		nvsvm_fifo_chan_reset(chan->ndev->fifo, chan->hw_id);
		chan->hw_stopped = true;
		drm_dev_exit(idx);
	}

	/* The hardware channel is idle: what it completed, it completed. */
	spin_lock_irqsave(&chan->lock, flags);
	nvsvm_chan_signal_locked(chan);
	list_for_each_entry_safe(fence, tmp, &chan->pending, link) {
		dma_fence_set_error(&fence->base, err);
		err = later;
		list_del(&fence->link);
		dma_fence_signal(&fence->base);
		dma_fence_put(&fence->base);
	}
	spin_unlock_irqrestore(&chan->lock, flags);

	/* A user-fence wait naming the channel ends with it (a waitqueue wake). */
	if (chan->fault_mode)
		nvsvm_svm_fence_wake(chan->vm);
}

static void nvsvm_chan_stop(struct nvsvm_chan *chan, u32 error, u64 address, int err)
{
	mutex_lock(&chan->stop_lock);
	nvsvm_chan_stop_locked(chan, error, address, err);
	mutex_unlock(&chan->stop_lock);
}

/**
 * nvsvm_chan_fail() - Stop a channel the hardware reports an error for
 * @chan: The channel, whose bit FIFO_ERROR has set.
 *
 * Reads the channel's CHAN_STATUS and ERROR_INFO under &nvsvm_chan.stop_lock,
 * the lock every reset of the hardware channel takes, so that what is read
 * is the error the bit was set for: a channel the driver reset meanwhile
 * (CHANNEL_FREE of a faulting channel, say) has no error any more, and is
 * left alone rather than reported.
 *
 * Context: Process. Resets the hardware channel, which may sleep.
 */
void nvsvm_chan_fail(struct nvsvm_chan *chan)
{
	struct nvsvm_fifo *fifo = chan->ndev->fifo;
	u32 hw_error;
	u64 info;

	mutex_lock(&chan->stop_lock);
	if (chan->hw_stopped)
		goto out_unlock;	/* Stopped and reset already: old news. */
	nvsvm_fifo_chan_read_error(fifo, chan->hw_id, &hw_error, &info);

	switch (hw_error) {
	case NVSVM_CHAN_ERROR_NONE:
		break;	/* Nothing to report (the bit was stale). */
	case NVSVM_CHAN_ERROR_MMU_FAULT:
		nvsvm_chan_stop_locked(chan, DRM_NVSVM_CHANNEL_ERROR_MMU_FAULT, info, -EFAULT);
		break;
	case NVSVM_CHAN_ERROR_ILLEGAL_INSTRUCTION:
		nvsvm_chan_stop_locked(chan, DRM_NVSVM_CHANNEL_ERROR_ILLEGAL_INSTRUCTION,
				       info, -EIO);
		break;
	case NVSVM_CHAN_ERROR_MISALIGNED:
		nvsvm_chan_stop_locked(chan, DRM_NVSVM_CHANNEL_ERROR_MISALIGNED, info, -EIO);
		break;
	case NVSVM_CHAN_ERROR_ARITHMETIC:
		nvsvm_chan_stop_locked(chan, DRM_NVSVM_CHANNEL_ERROR_ARITHMETIC, info, -EIO);
		break;
	case NVSVM_CHAN_ERROR_WATCHDOG:
		nvsvm_chan_stop_locked(chan, DRM_NVSVM_CHANNEL_ERROR_WATCHDOG, 0, -ETIMEDOUT);
		break;
	case NVSVM_CHAN_ERROR_INVALID_METHOD:
		nvsvm_chan_stop_locked(chan, DRM_NVSVM_CHANNEL_ERROR_INVALID_METHOD, info, -EIO);
		break;
	case NVSVM_CHAN_ERROR_NO_BACKING:
		/* The uAPI has no name for it (yet): memory ran out. */
		nvsvm_chan_stop_locked(chan, 0, 0, -ENOMEM);
		break;
	default:
		drm_err(&chan->ndev->base, "channel %u: unknown error %u\n",
			chan->hw_id, hw_error);
		nvsvm_chan_stop_locked(chan, 0, 0, -EIO);
		break;
	}
out_unlock:
	mutex_unlock(&chan->stop_lock);
}

/**
 * nvsvm_chan_hang() - Stop a channel whose VM the GPU stopped answering for
 * @chan: The channel.
 *
 * For a failed MMU invalidate: the reset drops the VM's translations. Jobs
 * fail with -EIO, the report says %DRM_NVSVM_CHANNEL_ERROR_GPU_HANG.
 *
 * Context: Process, possibly under &nvsvm_vm.notifier_lock: allocates
 * nothing.
 */
void nvsvm_chan_hang(struct nvsvm_chan *chan)
{
	nvsvm_chan_stop(chan, DRM_NVSVM_CHANNEL_ERROR_GPU_HANG, 0, -EIO);
}

/**
 * nvsvm_chan_record_fault() - Note a fault the fault block is cancelling
 * @chan: The channel whose access faulted.
 * @va: The access's address.
 * @access: NVSVM_ACCESS_*.
 * @type: NVSVM_FAULT_TYPE_*.
 * @client: NVSVM_CLIENT_*.
 * @reason: &enum drm_nvsvm_fault_reason: why the kernel cancels it.
 *
 * Only the first fault of a channel that has not failed yet is kept: the
 * one whose cancel stops it.
 *
 * Context: Any.
 */
void nvsvm_chan_record_fault(struct nvsvm_chan *chan, u64 va, u32 access,
			     u32 type, u32 client, u32 reason)
{
	struct nvsvm_chan_report *r = &chan->report;
	unsigned long flags;

	static_assert(DRM_NVSVM_ACCESS_PREFETCH - DRM_NVSVM_ACCESS_READ ==
		      NVSVM_ACCESS_PREFETCH - NVSVM_ACCESS_READ);
	static_assert(DRM_NVSVM_FAULT_ATOMIC - DRM_NVSVM_FAULT_UNMAPPED ==
		      NVSVM_FAULT_TYPE_ATOMIC_DISABLED - NVSVM_FAULT_TYPE_INVALID_PTE);

	spin_lock_irqsave(&chan->lock, flags);
	if (!r->error && !r->access) {
		r->fault_va = va;
		r->access = access + DRM_NVSVM_ACCESS_READ;
		r->fault_type = type + DRM_NVSVM_FAULT_UNMAPPED;
		r->client = client == NVSVM_CLIENT_HOST ? DRM_NVSVM_FAULT_CLIENT_HOST :
			    DRM_NVSVM_FAULT_CLIENT_SM;
		r->reason = reason;
	}
	spin_unlock_irqrestore(&chan->lock, flags);
}

/**
 * nvsvm_chan_unplug() - Fail a channel's jobs as its device goes away
 * @chan: The channel; the unplug path has reset its hardware channel.
 */
void nvsvm_chan_unplug(struct nvsvm_chan *chan)
{
	nvsvm_chan_stop(chan, 0, 0, -ENODEV);
}

static void nvsvm_chan_gpfifo_write(struct nvsvm_chan *chan, u32 slot, u64 va, u32 dwords)
{
	__le32 *entry = chan->ring + NVSVM_CHAN_RING_GPFIFO + slot * NVSVM_GPFIFO_ENTRY_SIZE;

	entry[0] = cpu_to_le32(lower_32_bits(va));
	entry[1] = cpu_to_le32(upper_32_bits(va));
	entry[2] = cpu_to_le32(dwords);
	entry[3] = 0;
}

/* Write the release of @seqno in @slot's kernel push buffer; its VA. */
static u64 nvsvm_chan_kpush_release(struct nvsvm_chan *chan, u32 slot, u64 seqno)
{
	u32 offset = NVSVM_CHAN_RING_KPUSH + slot * NVSVM_CHAN_KPUSH_SLOT;
	u64 sem_va = chan->ring_va + NVSVM_CHAN_RING_SEM;
	__le32 *push = chan->ring + offset;

	push[0] = cpu_to_le32(NVSVM_METHOD(NVSVM_METHOD_SEMAPHORE_RELEASE, 5));
	push[1] = cpu_to_le32(lower_32_bits(sem_va));
	push[2] = cpu_to_le32(upper_32_bits(sem_va));
	push[3] = cpu_to_le32(lower_32_bits(seqno));
	push[4] = cpu_to_le32(upper_32_bits(seqno));
	push[5] = cpu_to_le32(NVSVM_SEM_PAYLOAD_64 | NVSVM_SEM_INTR);
	return chan->ring_va + offset;
}

/* Write the release of a job's user fence in @slot's kernel push buffer; its VA. */
static u64 nvsvm_chan_kpush_user_fence(struct nvsvm_chan *chan, u32 slot, u64 va, u64 value)
{
	u32 offset = NVSVM_CHAN_RING_KPUSH + slot * NVSVM_CHAN_KPUSH_SLOT;
	__le32 *push = chan->ring + offset;

	push[0] = cpu_to_le32(NVSVM_METHOD(NVSVM_METHOD_SEMAPHORE_RELEASE, 5));
	push[1] = cpu_to_le32(lower_32_bits(va));
	push[2] = cpu_to_le32(upper_32_bits(va));
	push[3] = cpu_to_le32(lower_32_bits(value));
	push[4] = cpu_to_le32(upper_32_bits(value));
	push[5] = cpu_to_le32(NVSVM_SEM_PAYLOAD_64 | NVSVM_SEM_INTR);
	return chan->ring_va + offset;
}

/* GPFIFO entries a fault-mode job takes. */
static u32 nvsvm_job_lr_entries(const struct nvsvm_job *job)
{
	return job->push_count + (job->user_fence_va ? 1 : 0);
}

/*
 * Fault mode: put the job on the ring, closing it with its user fence, and
 * return no fence: nothing may wait on it in the kernel.
 */
static struct dma_fence *nvsvm_job_run_lr(struct nvsvm_job *job)
{
	struct nvsvm_chan *chan = job->chan;
	u32 entries = nvsvm_job_lr_entries(job);
	u32 put = chan->put, mask = NVSVM_CHAN_ENTRIES - 1, i;
	int err = READ_ONCE(chan->stop_errno);
	unsigned long flags;

	if (!err && entries) {
		for (i = 0; i < job->push_count; i++) {
			nvsvm_chan_gpfifo_write(chan, put, job->pushes[i].va,
						job->pushes[i].dwords);
			put = (put + 1) & mask;
		}
		if (job->user_fence_va) {
			u64 va = nvsvm_chan_kpush_user_fence(chan, put, job->user_fence_va,
							     job->user_fence_value);

			nvsvm_chan_gpfifo_write(chan, put, va, NVSVM_CHAN_RELEASE_DWORDS);
			put = (put + 1) & mask;
		}
		/* The entries and push buffer are visible before GP_PUT is. */
		dma_wmb();
		WRITE_ONCE(chan->inst[NVSVM_INST_GP_PUT / 4], cpu_to_le32(put));
	}
	/*
	 * From queued to in the ring at once, so that EXEC's room check
	 * (nvsvm_exec_lr_reserve()) never counts an entry twice, or not at
	 * all: -EBUSY means full.
	 */
	spin_lock_irqsave(&chan->lock, flags);
	chan->put = put;
	chan->lr_queued -= entries;
	spin_unlock_irqrestore(&chan->lock, flags);
	if (!err && entries) {
		/* GP_PUT is visible before the doorbell reaches the GPU. */
		wmb();
		nvsvm_fifo_chan_kick(chan->ndev->fifo, chan->hw_id);
		/* In case a fault or user-fence interrupt is lost. */
		nvsvm_fifo_watchdog_arm(chan->ndev->fifo);
	}
	return err ? ERR_PTR(err) : NULL;
}

static struct dma_fence *nvsvm_job_run(struct drm_sched_job *sched_job)
{
	struct nvsvm_job *job = to_nvsvm_job(sched_job);
	struct nvsvm_chan *chan = job->chan;
	struct nvsvm_fence *fence = job->fence;
	u32 put = chan->put, mask = NVSVM_CHAN_ENTRIES - 1, i;
	unsigned long flags;
	u64 va;
	int err;

	if (chan->fault_mode)
		return nvsvm_job_run_lr(job);

	spin_lock_irqsave(&chan->lock, flags);
	err = chan->stop_errno;
	if (!err) {
		dma_fence_init(&fence->base, &nvsvm_fence_ops, &fence->lock,
			       chan->fence_context, ++chan->seqno);
		/* One reference for the scheduler, one for @pending. */
		dma_fence_get(&fence->base);
		list_add_tail(&fence->link, &chan->pending);
		job->fence = NULL;
	}
	spin_unlock_irqrestore(&chan->lock, flags);
	if (err)
		return ERR_PTR(err);

	for (i = 0; i < job->push_count; i++) {
		nvsvm_chan_gpfifo_write(chan, put, job->pushes[i].va, job->pushes[i].dwords);
		put = (put + 1) & mask;
	}
	va = nvsvm_chan_kpush_release(chan, put, fence->base.seqno);
	nvsvm_chan_gpfifo_write(chan, put, va, NVSVM_CHAN_RELEASE_DWORDS);
	chan->put = (put + 1) & mask;

	/* The entries and push buffer are visible before GP_PUT is. */
	dma_wmb();
	WRITE_ONCE(chan->inst[NVSVM_INST_GP_PUT / 4], cpu_to_le32(chan->put));
	/* GP_PUT is visible before the doorbell reaches the GPU. */
	wmb();
	nvsvm_fifo_chan_kick(chan->ndev->fifo, chan->hw_id);
	/* In case the completion interrupt is lost. */
	nvsvm_fifo_watchdog_arm(chan->ndev->fifo);

	return &fence->base;
}

static enum drm_gpu_sched_stat nvsvm_job_timedout(struct drm_sched_job *sched_job)
{
	struct nvsvm_chan *chan = to_nvsvm_job(sched_job)->chan;

	/*
	 * Stop the channel first: that signals the hardware fences with their
	 * errors, which drm_sched_stop() would otherwise detach and
	 * drm_sched_start() complete with -ECANCELED. Stopping the scheduler
	 * then frees the finished jobs, this one included.
	 */
	nvsvm_chan_stop(chan, DRM_NVSVM_CHANNEL_ERROR_TIMEOUT, 0, -ETIMEDOUT);
	drm_sched_stop(chan->sched, sched_job);
	nvsvm_sched_start(chan->sched);
	return NVSVM_SCHED_STAT_RESET;
}

static void nvsvm_job_free(struct drm_sched_job *sched_job)
{
	struct nvsvm_job *job = to_nvsvm_job(sched_job);
	struct nvsvm_chan *chan = job->chan;

	drm_sched_job_cleanup(sched_job);
	kfree(job->fence);
	kfree(job);
	/* @chan may be gone as soon as the count drops: touch it no more. */
	if (atomic_dec_and_test(&chan->jobs))
		wake_up_all(&nvsvm_chan_jobs_wq);
}

static const struct drm_sched_backend_ops nvsvm_sched_ops = {
	.run_job = nvsvm_job_run,
	.timedout_job = nvsvm_job_timedout,
	.free_job = nvsvm_job_free,
};

/**
 * struct nvsvm_chan_sched - The scheduler of a hardware channel
 */
struct nvsvm_chan_sched {
	/** @base: The scheduler. */
	struct drm_gpu_scheduler base;
	/** @name: Its name, which it keeps a pointer to. */
	char name[24];
};

/*
 * Point the channel at the scheduler of its hardware channel, creating it
 * on first use. The hardware channel is the channel's alone, and so is the
 * scheduler while the channel lives.
 */
static int nvsvm_chan_sched_get(struct nvsvm_chan *chan)
{
	struct nvsvm_device *ndev = chan->ndev;
	long timeout = job_timeout_ms ? msecs_to_jiffies(job_timeout_ms) :
			MAX_SCHEDULE_TIMEOUT;
	struct nvsvm_chan_sched *s = ndev->chan_scheds[chan->hw_id];
	int ret;

	if (s) {
		/* Idle: its last channel's jobs are all freed. */
		s->base.timeout = timeout;
		chan->sched = &s->base;
		return 0;
	}

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	snprintf(s->name, sizeof(s->name), "%s-ch%u", dev_name(ndev->base.dev),
		 chan->hw_id);
	ret = nvsvm_sched_init(&s->base, &nvsvm_sched_ops, NVSVM_CHAN_CREDITS,
			       timeout, s->name, ndev->base.dev);
	if (ret) {
		kfree(s);
		return ret;
	}
	ndev->chan_scheds[chan->hw_id] = s;
	chan->sched = &s->base;
	return 0;
}

static void nvsvm_chan_scheds_fini(struct drm_device *drm, void *arg)
{
	struct nvsvm_device *ndev = to_nvsvm_device(drm);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ndev->chan_scheds); i++) {
		if (ndev->chan_scheds[i]) {
			drm_sched_fini(&ndev->chan_scheds[i]->base);
			kfree(ndev->chan_scheds[i]);
		}
	}
}

/**
 * nvsvm_chan_init() - Prepare a device for channels
 * @ndev: The device, at probe.
 *
 * Return: 0 or a negative errno.
 */
int nvsvm_chan_init(struct nvsvm_device *ndev)
{
	return drmm_add_action(&ndev->base, nvsvm_chan_scheds_fini, NULL);
}

/* Give the channel its ring mapping and instance block. */
static int nvsvm_chan_setup(struct nvsvm_chan *chan)
{
	__le64 *inst64 = (__le64 *)chan->inst;
	u64 sem = NVSVM_CHAN_RING_SEM, rest = sem + PAGE_SIZE;
	int ret;

	chan->ring_va = nvsvm_chan_ring_va(chan->hw_id);
	/*
	 * The GPU only writes the semaphore's page; jobs can reach the rest,
	 * read-only. Three mappings, so that no entry is written twice (a
	 * replaced entry would need a TLB invalidate).
	 */
	ret = nvsvm_vm_map_kernel(chan->vm, chan->ring_va, chan->ring_dma, sem, false);
	if (!ret)
		ret = nvsvm_vm_map_kernel(chan->vm, chan->ring_va + sem,
					  chan->ring_dma + sem, PAGE_SIZE, true);
	if (!ret)
		ret = nvsvm_vm_map_kernel(chan->vm, chan->ring_va + rest, chan->ring_dma + rest,
					  NVSVM_CHAN_RING_SIZE - rest, false);
	if (ret) {
		/* Unmapping what was never mapped is harmless. */
		nvsvm_vm_unmap_kernel(chan->vm, chan->ring_va, NVSVM_CHAN_RING_SIZE);
		return ret;
	}

	inst64[NVSVM_INST_PDB / 8] = cpu_to_le64(nvsvm_vm_pdb(chan->vm));
	inst64[NVSVM_INST_GPFIFO_VA / 8] = cpu_to_le64(chan->ring_va + NVSVM_CHAN_RING_GPFIFO);
	chan->inst[NVSVM_INST_GPFIFO_ENTRIES / 4] = cpu_to_le32(NVSVM_CHAN_ENTRIES);
	chan->inst[NVSVM_INST_GP_GET / 4] = 0;
	chan->inst[NVSVM_INST_GP_PUT / 4] = 0;
	chan->inst[NVSVM_INST_TAG / 4] = cpu_to_le32(chan->tag);
	return 0;
}

/*
 * A failed invalidate stops channels under the VM's notifier lock: tell
 * lockdep now, so that an allocation under the stop lock is caught by any
 * test, not only by one where an invalidate fails.
 */
static void nvsvm_chan_lockdep_prime(struct nvsvm_chan *chan)
{
	if (!IS_ENABLED(CONFIG_LOCKDEP))
		return;
	mutex_lock(&chan->vm->notifier_lock);
	might_lock(&chan->stop_lock);
	mutex_unlock(&chan->vm->notifier_lock);
}

static struct nvsvm_chan *nvsvm_chan_create(struct nvsvm_device *ndev, struct drm_file *file,
					    u32 id, bool fault_mode)
{
	struct nvsvm_vm *vm = nvsvm_file_vm(file);
	struct device *dev = ndev->base.dev;
	struct nvsvm_chan *chan;
	int ret;

	chan = kzalloc(sizeof(*chan), GFP_KERNEL);
	if (!chan)
		return ERR_PTR(-ENOMEM);
	kref_init(&chan->ref);
	chan->ndev = ndev;
	chan->vm = vm;
	chan->fault_mode = fault_mode;
	chan->id = id;
	chan->pid = task_tgid_nr(current);
	chan->client_id = file->client_id;
	mutex_init(&chan->submit_lock);
	mutex_init(&chan->stop_lock);
	spin_lock_init(&chan->lock);
	INIT_LIST_HEAD(&chan->pending);
	INIT_LIST_HEAD(&chan->vm_link);
	atomic_set(&chan->jobs, 0);
	chan->fence_context = dma_fence_context_alloc(1);
	nvsvm_chan_lockdep_prime(chan);

	ret = -ENOMEM;
	chan->inst = dma_alloc_coherent(dev, NVSVM_INST_SIZE, &chan->inst_dma, GFP_KERNEL);
	if (!chan->inst)
		goto err_put;
	chan->ring = dma_alloc_coherent(dev, NVSVM_CHAN_RING_SIZE, &chan->ring_dma, GFP_KERNEL);
	if (!chan->ring)
		goto err_free_inst;

	ret = nvsvm_fifo_chan_add(ndev->fifo, chan, chan->inst_dma, &chan->hw_id, &chan->tag);
	if (ret)
		goto err_free_ring;
	ret = nvsvm_chan_setup(chan);
	if (ret)
		goto err_remove;

	ret = nvsvm_chan_sched_get(chan);
	if (ret)
		goto err_unmap;
	ret = drm_sched_entity_init(&chan->entity, DRM_SCHED_PRIORITY_NORMAL,
				    &chan->sched, 1, NULL);
	if (ret)
		goto err_unmap;

	/*
	 * On the VM's list before it runs, for a failed invalidate to stop it.
	 * One that stopped it already leaves it failed (GPU_HANG), not started.
	 */
	nvsvm_vm_chan_add(vm, chan);
	mutex_lock(&chan->stop_lock);
	if (!chan->hw_stopped)
		ret = nvsvm_fifo_chan_start(ndev->fifo, chan->hw_id);
	mutex_unlock(&chan->stop_lock);
	if (ret)
		goto err_vm_remove;
	return chan;

err_vm_remove:
	nvsvm_vm_chan_remove(vm, chan);
	drm_sched_entity_destroy(&chan->entity);
err_unmap:
	nvsvm_vm_unmap_kernel(vm, chan->ring_va, NVSVM_CHAN_RING_SIZE);
err_remove:
	nvsvm_fifo_chan_remove(ndev->fifo, chan->hw_id);
err_free_ring:
	dma_free_coherent(dev, NVSVM_CHAN_RING_SIZE, chan->ring, chan->ring_dma);
err_free_inst:
	dma_free_coherent(dev, NVSVM_INST_SIZE, chan->inst, chan->inst_dma);
err_put:
	nvsvm_chan_put(chan);
	return ERR_PTR(ret);
}

/*
 * Count a channel of the VM being created, and tell its mode: SVM_INIT,
 * which needs a VM without channels, and CHANNEL_ALLOC exclude each other
 * through the count, under the VM lock.
 */
static bool nvsvm_chan_users_get(struct nvsvm_vm *vm)
{
	bool fault_mode;

	mutex_lock(&vm->lock);
	vm->chan_users++;
	fault_mode = vm->svm;
	mutex_unlock(&vm->lock);
	return fault_mode;
}

static void nvsvm_chan_users_put(struct nvsvm_vm *vm)
{
	mutex_lock(&vm->lock);
	vm->chan_users--;
	mutex_unlock(&vm->lock);
}

/* Stop the channel, let its jobs go, and free it (the table's reference). */
static void nvsvm_chan_destroy(struct nvsvm_chan *chan)
{
	struct device *dev = chan->ndev->base.dev;

	mutex_lock(&chan->submit_lock);
	chan->closed = true;
	mutex_unlock(&chan->submit_lock);

	nvsvm_chan_stop(chan, 0, 0, -ECANCELED);
	/* Queued jobs now fail as they come to run_job(). */
	drm_sched_entity_destroy(&chan->entity);
	/* The scheduler stays with the device, idle. */
	wait_event(nvsvm_chan_jobs_wq, !atomic_read(&chan->jobs));

	nvsvm_vm_chan_remove(chan->vm, chan);
	nvsvm_fifo_chan_remove(chan->ndev->fifo, chan->hw_id);
	nvsvm_vm_unmap_kernel(chan->vm, chan->ring_va, NVSVM_CHAN_RING_SIZE);
	dma_free_coherent(dev, NVSVM_CHAN_RING_SIZE, chan->ring, chan->ring_dma);
	dma_free_coherent(dev, NVSVM_INST_SIZE, chan->inst, chan->inst_dma);
	nvsvm_chan_users_put(chan->vm);
	nvsvm_chan_put(chan);
}

/*
 * Whether @id can name a channel of the file at all: ids run from 1 to the
 * per-file limit. Checked before the id reaches the xarray, whose index 0
 * an erase would otherwise hand out (an ALLOC1 xarray keeps it busy only
 * until something stores NULL there).
 */
static bool nvsvm_chan_id_valid(struct drm_device *drm, u32 id)
{
	return id && id <= nvsvm_device_channels_per_file(&to_nvsvm_device(drm)->info);
}

/**
 * nvsvm_chan_lookup() - Find a channel of a file
 * @file: The file.
 * @id: The channel's id.
 *
 * Return: the channel with a reference (nvsvm_chan_put() it), or NULL.
 */
struct nvsvm_chan *nvsvm_chan_lookup(struct drm_file *file, u32 id)
{
	struct nvsvm_file *nfile = file->driver_priv;
	struct nvsvm_chan *chan;

	if (!nvsvm_chan_id_valid(file->minor->dev, id))
		return NULL;
	xa_lock(&nfile->channels);
	chan = xa_load(&nfile->channels, id);
	if (chan)
		nvsvm_chan_get(chan);
	xa_unlock(&nfile->channels);
	return chan;
}

int nvsvm_ioctl_channel_alloc(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct nvsvm_device *ndev = to_nvsvm_device(drm);
	struct nvsvm_file *nfile = file->driver_priv;
	struct drm_nvsvm_channel_alloc *args = data;
	struct nvsvm_chan *chan;
	bool fault_mode;
	u32 id;
	int ret;

	if (args->flags)
		return -EINVAL;
	ret = nvsvm_svm_check_caller(nfile->vm);
	if (ret)
		return ret;

	/*
	 * Reserve the id first: the per-file limit is the xarray's, and a file
	 * at its limit takes no hardware channel from the others.
	 */
	ret = xa_alloc(&nfile->channels, &id, NULL,
		       XA_LIMIT(1, nvsvm_device_channels_per_file(&ndev->info)), GFP_KERNEL);
	if (ret)
		return ret == -EBUSY ? -ENOSPC : ret;

	fault_mode = nvsvm_chan_users_get(nfile->vm);
	chan = nvsvm_chan_create(ndev, file, id, fault_mode);
	if (IS_ERR(chan)) {
		nvsvm_chan_users_put(nfile->vm);
		xa_release(&nfile->channels, id);
		return PTR_ERR(chan);
	}
	/* The slot exists: storing in it allocates nothing and cannot fail. */
	WARN_ON(xa_err(xa_store(&nfile->channels, id, chan, GFP_KERNEL)));
	args->channel = id;
	return 0;
}

int nvsvm_ioctl_channel_free(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct nvsvm_file *nfile = file->driver_priv;
	struct drm_nvsvm_channel_free *args = data;
	struct nvsvm_chan *chan;

	if (args->pad)
		return -EINVAL;
	if (!nvsvm_chan_id_valid(drm, args->channel))
		return -ENOENT;

	/* Only a channel goes: not an id reserved by an allocation in flight. */
	xa_lock(&nfile->channels);
	chan = xa_load(&nfile->channels, args->channel);
	if (chan)
		__xa_erase(&nfile->channels, args->channel);
	xa_unlock(&nfile->channels);
	if (!chan)
		return -ENOENT;
	nvsvm_chan_destroy(chan);
	return 0;
}

/**
 * nvsvm_chan_close_all() - Destroy every channel of a file
 * @nfile: The file, being closed.
 */
void nvsvm_chan_close_all(struct nvsvm_file *nfile)
{
	struct nvsvm_chan *chan;
	unsigned long id;

	xa_for_each(&nfile->channels, id, chan) {
		xa_erase(&nfile->channels, id);
		nvsvm_chan_destroy(chan);
	}
}

int nvsvm_ioctl_channel_get_error(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct drm_nvsvm_channel_get_error *args = data;
	struct nvsvm_chan_report r;
	struct nvsvm_chan *chan;
	unsigned long flags;

	if (args->flags)
		return -EINVAL;
	chan = nvsvm_chan_lookup(file, args->channel);
	if (!chan)
		return -ENOENT;
	spin_lock_irqsave(&chan->lock, flags);
	r = chan->report;
	spin_unlock_irqrestore(&chan->lock, flags);
	nvsvm_chan_put(chan);

	args->error = r.error;
	/* The fault details belong to a fault that failed the channel. */
	if (r.error == DRM_NVSVM_CHANNEL_ERROR_MMU_FAULT) {
		args->access = r.access;
		args->fault_type = r.fault_type;
		args->client = r.client;
		args->reason = r.reason;
	} else {
		args->access = 0;
		args->fault_type = 0;
		args->client = 0;
		args->reason = 0;
	}
	args->address = r.address;
	args->pad = 0;
	return 0;
}

/**
 * struct nvsvm_exec - What EXEC gathers before it submits
 */
struct nvsvm_exec {
	/** @in: The in-sync fences. */
	struct dma_fence **in;
	/** @in_count: Number of @in. */
	u32 in_count;
	/** @out: The out-syncs' syncobjs. */
	struct drm_syncobj **out;
	/** @chains: Chain nodes for the out-syncs with a point. */
	struct dma_fence_chain **chains;
	/** @points: The out-syncs' points. */
	u64 *points;
	/** @out_count: Number of @out. */
	u32 out_count;
};

/* Copy an array of @count syncs from userspace and check their flags. */
static struct drm_nvsvm_sync *nvsvm_exec_copy_syncs(u64 uptr, u32 count)
{
	struct drm_nvsvm_sync *syncs;
	u32 i;

	syncs = kvmalloc_array(count, sizeof(*syncs), GFP_KERNEL);
	if (!syncs)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(syncs, u64_to_user_ptr(uptr), count * sizeof(*syncs))) {
		kvfree(syncs);
		return ERR_PTR(-EFAULT);
	}
	for (i = 0; i < count; i++) {
		if (syncs[i].flags) {
			kvfree(syncs);
			return ERR_PTR(-EINVAL);
		}
	}
	return syncs;
}

static void nvsvm_exec_fini(struct nvsvm_exec *ex)
{
	u32 i;

	for (i = 0; i < ex->in_count; i++)
		dma_fence_put(ex->in[i]);
	for (i = 0; i < ex->out_count; i++) {
		if (ex->out[i])
			drm_syncobj_put(ex->out[i]);
		dma_fence_chain_free(ex->chains[i]);
	}
	kvfree(ex->in);
	kvfree(ex->out);
	kvfree(ex->chains);
	kvfree(ex->points);
}

/* Look up the syncs: the in-fences, the out-syncobjs and their chain nodes. */
static int nvsvm_exec_get_syncs(struct drm_file *file, const struct drm_nvsvm_exec *args,
				struct nvsvm_exec *ex)
{
	struct drm_nvsvm_sync *in, *out;
	int ret = 0;
	u32 i;

	in = nvsvm_exec_copy_syncs(args->in_syncs, args->in_sync_count);
	if (IS_ERR(in))
		return PTR_ERR(in);
	out = nvsvm_exec_copy_syncs(args->out_syncs, args->out_sync_count);
	if (IS_ERR(out)) {
		kvfree(in);
		return PTR_ERR(out);
	}

	ex->in = kvcalloc(args->in_sync_count, sizeof(*ex->in), GFP_KERNEL);
	ex->out = kvcalloc(args->out_sync_count, sizeof(*ex->out), GFP_KERNEL);
	ex->chains = kvcalloc(args->out_sync_count, sizeof(*ex->chains), GFP_KERNEL);
	ex->points = kvcalloc(args->out_sync_count, sizeof(*ex->points), GFP_KERNEL);
	if (!ex->in || !ex->out || !ex->chains || !ex->points) {
		ret = -ENOMEM;
		goto out_free;
	}

	for (i = 0; i < args->out_sync_count; i++, ex->out_count++) {
		ex->out[i] = drm_syncobj_find(file, out[i].handle);
		if (!ex->out[i]) {
			ret = -ENOENT;
			goto out_free;
		}
		ex->points[i] = out[i].point;
		if (out[i].point) {
			ex->chains[i] = dma_fence_chain_alloc();
			if (!ex->chains[i]) {
				ex->out_count++;
				ret = -ENOMEM;
				goto out_free;
			}
		}
	}
	for (i = 0; i < args->in_sync_count; i++, ex->in_count++) {
		ret = drm_syncobj_find_fence(file, in[i].handle, in[i].point, 0, &ex->in[i]);
		if (ret)
			goto out_free;
	}

out_free:
	kvfree(in);
	kvfree(out);
	return ret;
}

static int nvsvm_exec_check_pushes(const struct drm_nvsvm_push *pushes, u32 count)
{
	u32 i;

	for (i = 0; i < count; i++) {
		const struct drm_nvsvm_push *p = &pushes[i];
		u64 end;

		if (p->flags || (p->va & 3) || !p->dwords ||
		    p->dwords > DRM_NVSVM_PUSH_MAX_DWORDS ||
		    check_add_overflow(p->va, (u64)p->dwords * 4, &end) ||
		    end > DRM_NVSVM_VA_USER_END)
			return -EINVAL;
	}
	return 0;
}

/*
 * Fault mode: take room for @entries GPFIFO entries, or -EBUSY. Under the
 * submit lock, so that only this takes room; run_job() moves entries from
 * queued to the ring, and the GPU frees them, under or outside the lock.
 */
static int nvsvm_exec_lr_reserve(struct nvsvm_chan *chan, u32 entries)
{
	u32 mask = NVSVM_CHAN_ENTRIES - 1, get, used;
	unsigned long flags;
	int ret = 0;

	lockdep_assert_held(&chan->submit_lock);
	spin_lock_irqsave(&chan->lock, flags);
	/* Written by the GPU: masked, never trusted further. */
	get = le32_to_cpu(READ_ONCE(chan->inst[NVSVM_INST_GP_GET / 4])) & mask;
	used = ((chan->put - get) & mask) + chan->lr_queued;
	if (used + entries > NVSVM_CHAN_CREDITS)
		ret = -EBUSY;
	else
		chan->lr_queued += entries;
	spin_unlock_irqrestore(&chan->lock, flags);
	return ret;
}

static void nvsvm_exec_lr_unreserve(struct nvsvm_chan *chan, u32 entries)
{
	unsigned long flags;

	spin_lock_irqsave(&chan->lock, flags);
	chan->lr_queued -= entries;
	spin_unlock_irqrestore(&chan->lock, flags);
}

/* Queue @job on @chan, after the in-fences; its finished fence, referenced. */
static struct dma_fence *nvsvm_exec_submit(struct drm_file *file, struct nvsvm_chan *chan,
					   struct nvsvm_job *job, struct nvsvm_exec *ex)
{
	struct dma_fence *done;
	int ret;

	mutex_lock(&chan->submit_lock);
	if (chan->closed) {
		ret = -ENOENT;
		goto err_unlock;
	}
	if (READ_ONCE(chan->stop_errno)) {
		ret = -ECANCELED;
		goto err_unlock;
	}
	if (chan->fault_mode) {
		ret = nvsvm_exec_lr_reserve(chan, nvsvm_job_lr_entries(job));
		if (ret)
			goto err_unlock;
	}
	/* In fault mode the scheduler holds no job on the ring: one credit. */
	ret = nvsvm_sched_job_init(&job->base, &chan->entity,
				   chan->fault_mode ? 1 : job->push_count + 1, file);
	if (ret)
		goto err_unreserve;
	for (; ex->in_count; ex->in_count--) {
		/* Consumes the reference, even when it fails. */
		ret = drm_sched_job_add_dependency(&job->base, ex->in[ex->in_count - 1]);
		if (ret) {
			ex->in_count--;
			goto err_cleanup;
		}
	}

	drm_sched_job_arm(&job->base);
	done = dma_fence_get(&job->base.s_fence->finished);
	job->chan = chan;
	atomic_inc(&chan->jobs);
	drm_sched_entity_push_job(&job->base);
	mutex_unlock(&chan->submit_lock);
	return done;

err_cleanup:
	drm_sched_job_cleanup(&job->base);
err_unreserve:
	if (chan->fault_mode)
		nvsvm_exec_lr_unreserve(chan, nvsvm_job_lr_entries(job));
err_unlock:
	mutex_unlock(&chan->submit_lock);
	return ERR_PTR(ret);
}

int nvsvm_ioctl_exec(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct drm_nvsvm_exec *args = data;
	struct nvsvm_exec ex = {};
	struct nvsvm_chan *chan;
	struct nvsvm_job *job;
	struct dma_fence *done;
	int ret;
	u32 i;

	if (args->flags || args->pad ||
	    args->push_count > DRM_NVSVM_EXEC_MAX_PUSHES ||
	    args->in_sync_count > DRM_NVSVM_EXEC_MAX_SYNCS ||
	    args->out_sync_count > DRM_NVSVM_EXEC_MAX_SYNCS)
		return -EINVAL;
	ret = nvsvm_svm_check_caller(nvsvm_file_vm(file));
	if (ret)
		return ret;

	chan = nvsvm_chan_lookup(file, args->channel);
	if (!chan)
		return -ENOENT;

	if (!chan->fault_mode) {
		ret = -EINVAL;
		if (args->user_fence_va || args->user_fence_value)
			goto out_put;
	} else {
		ret = -EINVAL;
		if (!IS_ALIGNED(args->user_fence_va, 8) ||
		    args->user_fence_va >= DRM_NVSVM_VA_USER_END ||
		    (!args->user_fence_va && args->user_fence_value))
			goto out_put;
		/* A dma-fence must never wait on fault servicing. */
		ret = -EOPNOTSUPP;
		if (args->out_sync_count)
			goto out_put;
	}

	ret = -ENOMEM;
	job = kzalloc(struct_size(job, pushes, args->push_count), GFP_KERNEL);
	if (!job)
		goto out_put;
	job->push_count = args->push_count;
	job->user_fence_va = args->user_fence_va;
	job->user_fence_value = args->user_fence_value;
	if (!chan->fault_mode) {
		job->fence = kzalloc(sizeof(*job->fence), GFP_KERNEL);
		if (!job->fence)
			goto out_free_job;
		spin_lock_init(&job->fence->lock);
	}

	ret = -EFAULT;
	if (copy_from_user(job->pushes, u64_to_user_ptr(args->pushes),
			   args->push_count * sizeof(*job->pushes)))
		goto out_free_job;
	ret = nvsvm_exec_check_pushes(job->pushes, job->push_count);
	if (ret)
		goto out_free_job;
	ret = nvsvm_exec_get_syncs(file, args, &ex);
	if (ret)
		goto out_fini;

	done = nvsvm_exec_submit(file, chan, job, &ex);
	if (IS_ERR(done)) {
		ret = PTR_ERR(done);
		goto out_fini;
	}
	job = NULL;	/* The scheduler's now. */

	for (i = 0; i < ex.out_count; i++) {
		if (ex.points[i]) {
			drm_syncobj_add_point(ex.out[i], ex.chains[i], done, ex.points[i]);
			ex.chains[i] = NULL;
		} else {
			drm_syncobj_replace_fence(ex.out[i], done);
		}
	}
	dma_fence_put(done);
	ret = 0;

out_fini:
	nvsvm_exec_fini(&ex);
out_free_job:
	if (job) {
		kfree(job->fence);
		kfree(job);
	}
out_put:
	nvsvm_chan_put(chan);
	return ret;
}
