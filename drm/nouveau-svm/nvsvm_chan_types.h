/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Copyright 2026 The nvsvm authors */
#ifndef __NVSVM_CHAN_TYPES_H__
#define __NVSVM_CHAN_TYPES_H__

#include <linux/atomic.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include <drm/gpu_scheduler.h>

struct nvsvm_device;
struct nvsvm_vm;

/**
 * struct nvsvm_chan_report - What went wrong, for CHANNEL_GET_ERROR
 *
 * Protected by &nvsvm_chan.lock.
 */
struct nvsvm_chan_report {
	/** @error: &enum drm_nvsvm_channel_error. */
	u32 error;
	/** @access: &enum drm_nvsvm_access of the first fault. */
	u32 access;
	/** @fault_type: &enum drm_nvsvm_fault_type of the first fault. */
	u32 fault_type;
	/** @client: &enum drm_nvsvm_fault_client of the first fault. */
	u32 client;
	/** @fault_va: Address of the first fault. */
	u64 fault_va;
	/** @address: The address CHANNEL_GET_ERROR reports. */
	u64 address;
	/** @reason: &enum drm_nvsvm_fault_reason of the first fault. */
	u32 reason;
};

/**
 * struct nvsvm_chan - A channel
 *
 * Locking (nvsvm_chan.c's DOC has the why), outermost first:
 *
 * - @submit_lock (mutex): orders EXEC's job init, arm and push, so that
 *   fences are ordered like jobs; protects @closed.
 * - @stop_lock (mutex): serialises stopping the channel and every reset
 *   of its hardware channel while it owns one; protects @hw_stopped. It may
 *   be taken under &nvsvm_vm.notifier_lock (a failed invalidate stops the
 *   VM's channels), so nothing allocates memory under it.
 * - @lock (spinlock, interrupts off: the FIFO interrupt takes it):
 *   @pending, @stop_errno and @report; in fault mode @lr_queued and the
 *   writes of @put.
 */
struct nvsvm_chan {
	/** @ref: Reference count. */
	struct kref ref;
	/** @ndev: The device. Immutable. */
	struct nvsvm_device *ndev;
	/** @vm: The file's VM, which outlives the channel. Immutable. */
	struct nvsvm_vm *vm;
	/** @id: The file's id for the channel (CHANNEL_ALLOC's answer). Immutable. */
	u32 id;
	/** @pid: Thread group that allocated it, for debugfs. Immutable. */
	pid_t pid;
	/** @client_id: DRM client id of its file (as in fdinfo), for debugfs. Immutable. */
	u64 client_id;
	/** @hw_id: The hardware channel. Immutable. */
	u32 hw_id;
	/**
	 * @fault_mode: The channel is in an SVM VM: its jobs may fault, and
	 * complete through user fences, never dma-fences. Immutable.
	 */
	bool fault_mode;
	/**
	 * @tag: The instance block's tag (%NVSVM_INST_TAG), unique on the
	 * device among live channels and never 0. Immutable.
	 */
	u32 tag;

	/** @vm_link: On &nvsvm_vm.channels. Protected by &nvsvm_vm.channels_lock. */
	struct list_head vm_link;
	/**
	 * @hang_seq: The last escalation (&nvsvm_vm.hang_seq) that visited
	 * the channel. Protected by &nvsvm_vm.channels_lock.
	 */
	u32 hang_seq;

	/** @inst: The instance block. Immutable pointer. */
	__le32 *inst;
	/** @inst_dma: Its DMA address. Immutable. */
	dma_addr_t inst_dma;
	/** @ring: GPFIFO, semaphore and kernel push buffers. Immutable pointer. */
	void *ring;
	/** @ring_dma: Its DMA address. Immutable. */
	dma_addr_t ring_dma;
	/** @ring_va: Its GPU VA. Immutable. */
	u64 ring_va;

	/**
	 * @put: Next GPFIFO entry to write. Only run_job() writes it (the
	 * scheduler runs one job at a time); in fault mode it does so under
	 * @lock, under which EXEC reads it to count the ring's room.
	 */
	u32 put;
	/** @seqno: Sequence number of the last job run. Only run_job() uses it. */
	u64 seqno;
	/** @fence_context: Of the hardware fences. Immutable. */
	u64 fence_context;

	/** @sched: The scheduler of the hardware channel. Immutable. */
	struct drm_gpu_scheduler *sched;
	/** @entity: Where EXEC queues jobs. */
	struct drm_sched_entity entity;
	/** @jobs: Jobs created and not freed yet. Atomic. */
	atomic_t jobs;
	/**
	 * @lr_queued: Fault mode: GPFIFO entries of jobs EXEC accepted that
	 * run_job() has not written yet. With @put and GP_GET, the ring's
	 * room, which fault mode tracks without fences. Protected by @lock,
	 * with @put in fault mode (run_job() moves entries from one to the
	 * other at once).
	 */
	u32 lr_queued;

	/** @submit_lock: See above. */
	struct mutex submit_lock;
	/** @closed: The channel is being destroyed. Protected by @submit_lock. */
	bool closed;

	/** @stop_lock: See above. */
	struct mutex stop_lock;
	/**
	 * @hw_stopped: The hardware channel was reset for good (or never
	 * started). Protected by @stop_lock.
	 */
	bool hw_stopped;

	/** @lock: See above. */
	spinlock_t lock;
	/**
	 * @pending: &struct nvsvm_fence run and not signalled, oldest first.
	 * Protected by @lock.
	 */
	struct list_head pending;
	/**
	 * @stop_errno: 0 while the channel runs, else what new jobs get.
	 * Protected by @lock (read locklessly by EXEC as a hint).
	 */
	int stop_errno;
	/** @report: The error report. Protected by @lock. */
	struct nvsvm_chan_report report;
};

#endif /* __NVSVM_CHAN_TYPES_H__ */
