// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

/**
 * DOC: Host and channels
 *
 * The host runs the channels described in the "Host (FIFO) and channels"
 * and "Push buffer methods" sections of nvsvm_regs.h. Each channel is a
 * work item on an unbound workqueue: a doorbell queues it, and it runs
 * GPFIFO entries until GP_GET catches up with GP_PUT, executing each push
 * buffer's methods in order. A LAUNCH hands a grid to the SMs and waits
 * for it, so methods are ordered without further machinery, and channels
 * run concurrently with each other.
 *
 * The host reads GPFIFO entries and push buffers, and does semaphores,
 * COPY and FILL, through the MMU with the channel's own client. An access
 * that faults is reported (client %NVSVM_CLIENT_HOST) and stalls the
 * channel until a replay (it retries) or a cancel of its instance block and
 * page (the channel fails with %NVSVM_CHAN_ERROR_MMU_FAULT).
 *
 * A channel stops at its first error, reports it in CHAN_STATUS and
 * FIFO_ERROR and raises FIFO_INTR_ERROR. A write whose VRAM backing cannot
 * be allocated is no fault: the channel fails with
 * %NVSVM_CHAN_ERROR_NO_BACKING.
 *
 * Reset: no register write sleeps, so CHAN_CTRL_RESET only starts the
 * reset. The write, under &nvsvm_sim.fifo_lock, marks the channel
 * resetting (CHAN_STATUS_RESETTING), aborts the grid in flight, wakes a
 * stalled or acquiring channel and queues the channel's work item. The work
 * item, which never runs twice at once, finishes the reset when it next
 * runs: the run the reset interrupted has returned by then, its grid done
 * and its accesses over. It drops the translations the GPU cached for the
 * channel's VM (nvsvm_sim_mmu_invalidate(), which sleeps), then clears the
 * error, the channel's FIFO_ERROR bit, CHAN_CTRL_ENABLE and RESETTING, all
 * at once under the lock. Until then writes to the channel's registers and
 * its doorbell are ignored.
 *
 * Locking: &nvsvm_sim.fifo_lock (a spinlock, taken with interrupts off so
 * that registers can be read and written from any context) protects the
 * FIFO interrupt and error registers, &nvsvm_sim.replay_seq,
 * &nvsvm_sim.sem_seq, and in each channel the fields documented as under
 * it. It nests outside &nvsvm_sim.sm_lock and the workqueue's locks
 * (queue_work() under it). A channel's work item is the only user of its
 * MMU client and bounce page.
 */

#include <linux/bitfield.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "nvsvm_regs.h"
#include "sim_internal.h"

/* How often an acquiring channel looks at memory the CPU may write. */
#define NVSVM_SIM_ACQUIRE_POLL_MS	1

/**
 * struct nvsvm_sim_chan - One channel
 */
struct nvsvm_sim_chan {
	/** @sim: The GPU. */
	struct nvsvm_sim *sim;
	/** @id: Its index. */
	u32 id;
	/** @work: Runs the channel. */
	struct work_struct work;
	/** @mmu: The host's MMU client for this channel. */
	struct nvsvm_sim_mmu_client mmu;
	/** @bounce: A page for COPY. */
	void *bounce;
	/** @grid_mem: The grid this channel launches. */
	struct nvsvm_sim_grid *grid_mem;

	/** @inst: CHAN_INST_HI:LO, a location. Under fifo_lock. */
	u64 inst;
	/** @enabled: CHAN_CTRL_ENABLE. Under fifo_lock. */
	bool enabled;
	/**
	 * @resetting: CHAN_STATUS_RESETTING: a reset is abandoning the work,
	 * which the work item finishes. Under fifo_lock; the work item also
	 * reads it without, to stop early.
	 */
	bool resetting;
	/**
	 * @busy: CHAN_STATUS_BUSY: the work item is queued or running for
	 * the channel's work, not for a reset. Under fifo_lock.
	 */
	bool busy;
	/** @error: NVSVM_CHAN_ERROR_*. Under fifo_lock. */
	u32 error;
	/** @error_info: Detail of @error. Under fifo_lock. */
	u64 error_info;
	/** @grid: The grid in flight. Under fifo_lock. */
	struct nvsvm_sim_grid *grid;
	/** @stalled: The host is stalled on a fault at @stall_va. Under fifo_lock. */
	bool stalled;
	/** @stall_va: Address of the stalled access. Under fifo_lock. */
	u64 stall_va;
	/** @cancelled: The stalled access was cancelled. Under fifo_lock. */
	bool cancelled;

	/* The work item's view of the instance block, read at each entry. */
	/** @pdb: The VM. */
	u64 pdb;
	/**
	 * @tag: The instance block's tag. Written by the work item under
	 * fifo_lock, which cancels read it under.
	 */
	u32 tag;
};

static void nvsvm_sim_fifo_update_irq(struct nvsvm_sim *sim)
{
	lockdep_assert_held(&sim->fifo_lock);
	nvsvm_sim_irq_set(sim, NVSVM_IRQ_FIFO,
			  sim->fifo_intr_status & sim->fifo_intr_en);
}

static void nvsvm_sim_chan_fail(struct nvsvm_sim_chan *chan, u32 error, u64 info)
{
	unsigned long flags;
	struct nvsvm_sim *sim = chan->sim;

	spin_lock_irqsave(&sim->fifo_lock, flags);
	if (!chan->error && !chan->resetting) {
		chan->error = error;
		chan->error_info = info;
		sim->fifo_error[chan->id / 32] |= BIT(chan->id % 32);
		sim->fifo_intr_status |= NVSVM_FIFO_INTR_ERROR;
		nvsvm_sim_fifo_update_irq(sim);
	}
	spin_unlock_irqrestore(&sim->fifo_lock, flags);
}

static bool nvsvm_sim_chan_stopped(struct nvsvm_sim_chan *chan)
{
	return READ_ONCE(chan->resetting) || READ_ONCE(chan->error);
}

/*
 * Access @len bytes at @va through the MMU, within one page, stalling on a
 * fault until it is replayed or cancelled. Returns 0, or -EIO if the channel
 * failed or is being reset.
 */
static int nvsvm_sim_host_rw_page(struct nvsvm_sim_chan *chan, u64 va, void *buf,
				  unsigned int len, u8 access)
{
	unsigned long flags;
	struct nvsvm_sim *sim = chan->sim;
	u64 seq;
	u8 type;
	void *p;

	for (;;) {
		if (nvsvm_sim_chan_stopped(chan))
			return -EIO;
		p = nvsvm_sim_mmu_map(&chan->mmu, chan->pdb, va, len, access, &type);
		if (p)
			break;
		if (type == NVSVM_SIM_MMU_NO_BACKING) {
			/* Not a fault: replaying would not make memory. */
			nvsvm_sim_chan_fail(chan, NVSVM_CHAN_ERROR_NO_BACKING, va);
			return -EIO;
		}

		spin_lock_irqsave(&sim->fifo_lock, flags);
		seq = sim->replay_seq;
		chan->stalled = true;
		chan->stall_va = va;
		chan->cancelled = false;
		spin_unlock_irqrestore(&sim->fifo_lock, flags);

		nvsvm_sim_fault_report(sim, va, chan->inst, chan->tag, access, type,
				       NVSVM_CLIENT_HOST);
		wait_event(sim->host_wq, READ_ONCE(sim->replay_seq) != seq ||
			   nvsvm_sim_chan_stopped(chan));

		spin_lock_irqsave(&sim->fifo_lock, flags);
		chan->stalled = false;
		if (chan->cancelled) {
			spin_unlock_irqrestore(&sim->fifo_lock, flags);
			nvsvm_sim_chan_fail(chan, NVSVM_CHAN_ERROR_MMU_FAULT, va);
			return -EIO;
		}
		spin_unlock_irqrestore(&sim->fifo_lock, flags);
	}

	if (access == NVSVM_ACCESS_WRITE)
		memcpy(p, buf, len);
	else
		memcpy(buf, p, len);
	nvsvm_sim_mmu_unmap(&chan->mmu, p);
	return 0;
}

static int nvsvm_sim_host_rw(struct nvsvm_sim_chan *chan, u64 va, void *buf,
			     u64 len, u8 access)
{
	while (len) {
		unsigned int n = min_t(u64, len, PAGE_SIZE - offset_in_page(va));
		int ret = nvsvm_sim_host_rw_page(chan, va, buf, n, access);

		if (ret)
			return ret;
		va += n;
		buf += n;
		len -= n;
	}
	return 0;
}

static int nvsvm_sim_host_copy(struct nvsvm_sim_chan *chan, u64 src, u64 dst, u64 size)
{
	while (size) {
		unsigned int n = min_t(u64, size, PAGE_SIZE);
		int ret;

		ret = nvsvm_sim_host_rw(chan, src, chan->bounce, n, NVSVM_ACCESS_READ);
		if (!ret)
			ret = nvsvm_sim_host_rw(chan, dst, chan->bounce, n, NVSVM_ACCESS_WRITE);
		if (ret)
			return ret;
		src += n;
		dst += n;
		size -= n;
		cond_resched();
	}
	return 0;
}

static int nvsvm_sim_host_fill(struct nvsvm_sim_chan *chan, u64 dst, u64 size, u32 value)
{
	__le32 *words = chan->bounce;
	unsigned int i;

	for (i = 0; i < PAGE_SIZE / 4; i++)
		words[i] = cpu_to_le32(value);
	while (size) {
		unsigned int n = min_t(u64, size, PAGE_SIZE - offset_in_page(dst));
		int ret = nvsvm_sim_host_rw(chan, dst, chan->bounce, n, NVSVM_ACCESS_WRITE);

		if (ret)
			return ret;
		dst += n;
		size -= n;
		cond_resched();
	}
	return 0;
}

static int nvsvm_sim_host_release(struct nvsvm_sim_chan *chan, const u32 *d)
{
	unsigned long flags;
	struct nvsvm_sim *sim = chan->sim;
	u64 va = (u64)d[1] << 32 | d[0];
	__le64 payload = cpu_to_le64((u64)d[3] << 32 | d[2]);
	unsigned int size = (d[4] & NVSVM_SEM_PAYLOAD_64) ? 8 : 4;
	int ret;

	if ((va & (size - 1)) || (d[4] & ~(NVSVM_SEM_PAYLOAD_64 | NVSVM_SEM_INTR)))
		return -EINVAL;
	ret = nvsvm_sim_host_rw(chan, va, &payload, size, NVSVM_ACCESS_WRITE);
	if (ret)
		return ret;

	spin_lock_irqsave(&sim->fifo_lock, flags);
	sim->sem_seq++;
	if (d[4] & NVSVM_SEM_INTR) {
		sim->fifo_intr_status |= NVSVM_FIFO_INTR_SEMAPHORE;
		nvsvm_sim_fifo_update_irq(sim);
	}
	spin_unlock_irqrestore(&sim->fifo_lock, flags);
	wake_up_all(&sim->host_wq);
	return 0;
}

static int nvsvm_sim_host_acquire(struct nvsvm_sim_chan *chan, const u32 *d)
{
	struct nvsvm_sim *sim = chan->sim;
	u64 va = (u64)d[1] << 32 | d[0];
	u64 want = (u64)d[3] << 32 | d[2];
	unsigned int size = (d[4] & NVSVM_SEM_PAYLOAD_64) ? 8 : 4;
	__le64 raw;
	int ret;

	if ((va & (size - 1)) || (d[4] & ~(NVSVM_SEM_PAYLOAD_64 | NVSVM_SEM_ACQUIRE_GEQ)))
		return -EINVAL;
	if (size == 4)
		want = (u32)want;

	for (;;) {
		u64 seq = READ_ONCE(sim->sem_seq);
		u64 val;

		raw = 0;
		ret = nvsvm_sim_host_rw(chan, va, &raw, size, NVSVM_ACCESS_READ);
		if (ret)
			return ret;
		val = le64_to_cpu(raw);
		if ((d[4] & NVSVM_SEM_ACQUIRE_GEQ) ? val >= want : val == want)
			return 0;
		/* Woken by a GPU release; the CPU's writes are polled. */
		wait_event_timeout(sim->host_wq, READ_ONCE(sim->sem_seq) != seq ||
				   nvsvm_sim_chan_stopped(chan),
				   msecs_to_jiffies(NVSVM_SIM_ACQUIRE_POLL_MS));
	}
}

static int nvsvm_sim_host_launch(struct nvsvm_sim_chan *chan, const u32 *d)
{
	unsigned long flags;
	struct nvsvm_sim *sim = chan->sim;
	u64 code = (u64)d[1] << 32 | d[0];
	u64 param = (u64)d[3] << 32 | d[2];
	struct nvsvm_sim_grid *grid = chan->grid_mem;
	u64 info;
	u32 error;

	if ((code & 7) || !d[4] || !d[5] || d[5] > 1024)
		return -EINVAL;
	nvsvm_sim_grid_start(grid, chan->pdb, chan->inst, chan->tag, code, param,
			     d[4], d[5]);

	spin_lock_irqsave(&sim->fifo_lock, flags);
	chan->grid = grid;
	if (chan->resetting)
		nvsvm_sim_grid_abort(grid, 0, 0);
	spin_unlock_irqrestore(&sim->fifo_lock, flags);

	error = nvsvm_sim_grid_wait(grid, &info);

	spin_lock_irqsave(&sim->fifo_lock, flags);
	chan->grid = NULL;
	spin_unlock_irqrestore(&sim->fifo_lock, flags);

	if (error) {
		nvsvm_sim_chan_fail(chan, error, info);
		return -EIO;
	}
	return 0;
}

/* Data dwords each method takes; -1: any number. */
static const int nvsvm_sim_method_count[] = {
	[NVSVM_METHOD_NOP] = -1,
	[NVSVM_METHOD_SEMAPHORE_RELEASE] = 5,
	[NVSVM_METHOD_SEMAPHORE_ACQUIRE] = 5,
	[NVSVM_METHOD_LAUNCH] = 6,
	[NVSVM_METHOD_COPY] = 6,
	[NVSVM_METHOD_FILL] = 5,
	[NVSVM_METHOD_MEMBAR] = 0,
};

/* Run one method; -EINVAL: malformed, -EIO: the channel failed or stops. */
static int nvsvm_sim_host_method(struct nvsvm_sim_chan *chan, u32 method, const u32 *d)
{
	u64 a = (u64)d[1] << 32 | d[0];
	u64 b = (u64)d[3] << 32 | d[2];
	u64 size;

	switch (method) {
	case NVSVM_METHOD_SEMAPHORE_RELEASE:
		return nvsvm_sim_host_release(chan, d);
	case NVSVM_METHOD_SEMAPHORE_ACQUIRE:
		return nvsvm_sim_host_acquire(chan, d);
	case NVSVM_METHOD_LAUNCH:
		return nvsvm_sim_host_launch(chan, d);
	case NVSVM_METHOD_COPY:
		size = (u64)d[5] << 32 | d[4];
		return nvsvm_sim_host_copy(chan, a, b, size);
	case NVSVM_METHOD_FILL:
		if ((a | b) & 3)
			return -EINVAL;
		return nvsvm_sim_host_fill(chan, a, b, d[4]);
	default:	/* NOP, MEMBAR */
		return 0;
	}
}

/* Run the push buffer of @dwords dwords at @va. */
static int nvsvm_sim_host_pushbuf(struct nvsvm_sim_chan *chan, u64 va, u32 dwords)
{
	u64 end = va + (u64)dwords * 4;
	u32 data[6];

	while (va < end) {
		__le32 raw[6];
		u32 hdr, method, count, i;
		int want, ret;

		ret = nvsvm_sim_host_rw(chan, va, raw, 4, NVSVM_ACCESS_READ);
		if (ret)
			return ret;
		hdr = le32_to_cpu(raw[0]);
		method = NVSVM_METHOD_ID(hdr);
		count = NVSVM_METHOD_COUNT(hdr);
		va += 4;

		if (method >= ARRAY_SIZE(nvsvm_sim_method_count))
			return -EINVAL;
		want = nvsvm_sim_method_count[method];
		if ((want >= 0 && count != want) || count > (end - va) / 4)
			return -EINVAL;
		if (want < 0) {		/* NOP: skip its data */
			va += (u64)count * 4;
			continue;
		}

		ret = nvsvm_sim_host_rw(chan, va, raw, count * 4, NVSVM_ACCESS_READ);
		if (ret)
			return ret;
		for (i = 0; i < count; i++)
			data[i] = le32_to_cpu(raw[i]);
		va += count * 4;

		ret = nvsvm_sim_host_method(chan, method, data);
		if (ret)
			return ret;
		if (need_resched())
			cond_resched();
	}
	return 0;
}

/* Run GPFIFO entries until the channel is idle, fails or is reset. */
static void nvsvm_sim_chan_run(struct nvsvm_sim_chan *chan)
{
	struct nvsvm_sim *sim = chan->sim;

	while (!nvsvm_sim_chan_stopped(chan) && READ_ONCE(chan->enabled)) {
		u32 aper = nvsvm_sim_loc_aper(chan->inst);
		u64 base = nvsvm_sim_loc_addr(chan->inst);
		struct {
			__le64 pdb;
			__le64 gpfifo_va;
			__le32 entries;
			__le32 reserved;
			__le32 gp_get;
			__le32 gp_put;
			__le32 tag;
		} ib;
		unsigned long flags;
		struct {
			__le64 va;
			__le32 dwords;
			__le32 flags;
		} entry;
		u64 gpfifo_va, pb_va;
		u32 entries, get, put, dwords;
		__le32 raw_get;
		int ret;

		if (nvsvm_sim_mem_read(sim, aper, base, &ib, sizeof(ib))) {
			nvsvm_sim_chan_fail(chan, NVSVM_CHAN_ERROR_INVALID_METHOD, chan->inst);
			return;
		}
		chan->pdb = le64_to_cpu(ib.pdb);
		spin_lock_irqsave(&sim->fifo_lock, flags);
		chan->tag = le32_to_cpu(ib.tag);
		spin_unlock_irqrestore(&sim->fifo_lock, flags);
		chan->mmu.inst = chan->inst;
		gpfifo_va = le64_to_cpu(ib.gpfifo_va);
		entries = le32_to_cpu(ib.entries);
		get = le32_to_cpu(ib.gp_get);
		put = le32_to_cpu(ib.gp_put);
		if (!is_power_of_2(entries) || entries < 2 || entries > 65536 ||
		    (gpfifo_va & 15) || get >= entries || put >= entries) {
			nvsvm_sim_chan_fail(chan, NVSVM_CHAN_ERROR_INVALID_METHOD, gpfifo_va);
			return;
		}
		if (get == put)
			return;

		ret = nvsvm_sim_host_rw(chan, gpfifo_va + (u64)get * NVSVM_GPFIFO_ENTRY_SIZE,
					&entry, sizeof(entry), NVSVM_ACCESS_READ);
		if (ret)
			return;
		pb_va = le64_to_cpu(entry.va);
		dwords = le32_to_cpu(entry.dwords);
		if ((pb_va & 3) || !dwords || dwords > NVSVM_GPFIFO_MAX_DWORDS || entry.flags) {
			nvsvm_sim_chan_fail(chan, NVSVM_CHAN_ERROR_INVALID_METHOD, pb_va);
			return;
		}

		ret = nvsvm_sim_host_pushbuf(chan, pb_va, dwords);
		if (ret == -EINVAL)
			nvsvm_sim_chan_fail(chan, NVSVM_CHAN_ERROR_INVALID_METHOD, pb_va);
		if (ret)
			return;

		raw_get = cpu_to_le32((get + 1) & (entries - 1));
		if (nvsvm_sim_mem_write(sim, aper, base + NVSVM_INST_GP_GET, &raw_get, 4)) {
			nvsvm_sim_chan_fail(chan, NVSVM_CHAN_ERROR_INVALID_METHOD, chan->inst);
			return;
		}
	}
}

/*
 * Finish a reset, in the work item: whatever the reset interrupted has
 * returned, so nothing of the channel is in flight but its cached
 * translations. See "Reset" in the DOC above.
 */
static void nvsvm_sim_chan_reset_finish(struct nvsvm_sim_chan *chan)
{
	unsigned long flags;
	struct nvsvm_sim *sim = chan->sim;

	/* A reset channel's VM may be gone: forget its translations. */
	nvsvm_sim_mmu_invalidate(sim, chan->pdb, 0, 0);

	spin_lock_irqsave(&sim->fifo_lock, flags);
	chan->error = 0;
	chan->error_info = 0;
	sim->fifo_error[chan->id / 32] &= ~BIT(chan->id % 32);
	chan->enabled = false;
	WRITE_ONCE(chan->resetting, false);
	chan->busy = false;
	spin_unlock_irqrestore(&sim->fifo_lock, flags);
}

static void nvsvm_sim_chan_work(struct work_struct *work)
{
	struct nvsvm_sim_chan *chan = container_of(work, struct nvsvm_sim_chan, work);
	struct nvsvm_sim *sim = chan->sim;
	unsigned long flags;

	if (READ_ONCE(chan->resetting)) {
		nvsvm_sim_chan_reset_finish(chan);
		return;
	}

	nvsvm_sim_chan_run(chan);

	spin_lock_irqsave(&sim->fifo_lock, flags);
	/* A doorbell or a reset queued the next run already: still busy. */
	chan->busy = work_pending(&chan->work);
	spin_unlock_irqrestore(&sim->fifo_lock, flags);
}

/*
 * CHAN_CTRL_RESET: start a reset, which the work item finishes. Any
 * context; see "Reset" in the DOC above.
 */
static void nvsvm_sim_chan_reset_start(struct nvsvm_sim_chan *chan)
{
	struct nvsvm_sim *sim = chan->sim;

	lockdep_assert_held(&sim->fifo_lock);
	if (chan->resetting)
		return;
	WRITE_ONCE(chan->resetting, true);
	if (chan->grid)
		nvsvm_sim_grid_abort(chan->grid, 0, 0);
	queue_work(sim->fifo_wq, &chan->work);
	/* Stalled and acquiring channels look at resetting when woken. */
	wake_up_all(&sim->host_wq);
}

u32 nvsvm_sim_fifo_rd32(struct nvsvm_sim *sim, u32 reg)
{
	unsigned long flags;
	struct nvsvm_sim_chan *chan;
	u32 val = NVSVM_REG_BAD_VALUE | (reg & NVSVM_REG_BAD_MASK);

	spin_lock_irqsave(&sim->fifo_lock, flags);
	if (reg == NVSVM_REG_FIFO_INTR_STATUS) {
		val = sim->fifo_intr_status;
	} else if (reg == NVSVM_REG_FIFO_INTR_EN) {
		val = sim->fifo_intr_en;
	} else if (reg >= NVSVM_REG_FIFO_ERROR(0) &&
		   reg < NVSVM_REG_FIFO_ERROR(ARRAY_SIZE(sim->fifo_error))) {
		val = sim->fifo_error[(reg - NVSVM_REG_FIFO_ERROR(0)) / 4];
	} else if (reg >= NVSVM_REG_CHAN(0) && reg < NVSVM_REG_CHAN(NVSVM_SIM_CHANNELS)) {
		chan = &sim->chans[(reg - NVSVM_REG_CHAN(0)) / 0x20];
		switch ((reg - NVSVM_REG_CHAN(0)) % 0x20) {
		case 0x00:
			val = lower_32_bits(chan->inst);
			break;
		case 0x04:
			val = upper_32_bits(chan->inst);
			break;
		case 0x08:
			val = chan->enabled ? NVSVM_CHAN_CTRL_ENABLE : 0;
			break;
		case 0x0c:
			val = (chan->enabled ? NVSVM_CHAN_STATUS_ENABLED : 0) |
			      (chan->busy ? NVSVM_CHAN_STATUS_BUSY : 0) |
			      (chan->resetting ? NVSVM_CHAN_STATUS_RESETTING : 0) |
			      FIELD_PREP(NVSVM_CHAN_STATUS_ERROR, chan->error);
			break;
		case 0x10:
			val = lower_32_bits(chan->error_info);
			break;
		case 0x14:
			val = upper_32_bits(chan->error_info);
			break;
		}
	}
	spin_unlock_irqrestore(&sim->fifo_lock, flags);
	return val;
}

/*
 * Any context: no write sleeps or waits for the GPU. Writes to a resetting
 * channel's registers, and its doorbell, are ignored.
 */
void nvsvm_sim_fifo_wr32(struct nvsvm_sim *sim, u32 reg, u32 val)
{
	unsigned long flags;
	struct nvsvm_sim_chan *chan;

	spin_lock_irqsave(&sim->fifo_lock, flags);
	if (reg == NVSVM_REG_FIFO_INTR_STATUS) {
		sim->fifo_intr_status &= ~val;
		nvsvm_sim_fifo_update_irq(sim);
	} else if (reg == NVSVM_REG_FIFO_INTR_EN) {
		sim->fifo_intr_en = val & (NVSVM_FIFO_INTR_SEMAPHORE | NVSVM_FIFO_INTR_ERROR);
		nvsvm_sim_fifo_update_irq(sim);
	} else if (reg == NVSVM_REG_FIFO_DOORBELL) {
		if (val < NVSVM_SIM_CHANNELS) {
			chan = &sim->chans[val];
			if (chan->enabled && !chan->error && !chan->resetting) {
				chan->busy = true;
				queue_work(sim->fifo_wq, &chan->work);
			}
		}
	} else if (reg >= NVSVM_REG_CHAN(0) && reg < NVSVM_REG_CHAN(NVSVM_SIM_CHANNELS)) {
		chan = &sim->chans[(reg - NVSVM_REG_CHAN(0)) / 0x20];
		if (chan->resetting)
			goto out_unlock;
		switch ((reg - NVSVM_REG_CHAN(0)) % 0x20) {
		case 0x00:
			chan->inst = (chan->inst & ~0xffffffffULL) |
				     (val & (NVSVM_ADDR_LO_ADDR | NVSVM_ADDR_LO_SYSMEM));
			break;
		case 0x04:
			chan->inst = (u64)val << 32 | lower_32_bits(chan->inst);
			break;
		case 0x08:
			/* RESET wins: the channel ends disabled. */
			if (val & NVSVM_CHAN_CTRL_RESET)
				nvsvm_sim_chan_reset_start(chan);
			else
				chan->enabled = val & NVSVM_CHAN_CTRL_ENABLE;
			break;
		}
	}
out_unlock:
	spin_unlock_irqrestore(&sim->fifo_lock, flags);
}

/**
 * nvsvm_sim_fifo_replay() - Retry the host's stalled accesses
 * @sim: The GPU.
 */
void nvsvm_sim_fifo_replay(struct nvsvm_sim *sim)
{
	unsigned long flags;

	spin_lock_irqsave(&sim->fifo_lock, flags);
	sim->replay_seq++;
	spin_unlock_irqrestore(&sim->fifo_lock, flags);
	wake_up_all(&sim->host_wq);
}

/**
 * nvsvm_sim_fifo_cancel() - Fail the host's accesses stalled on one page
 * @sim: The GPU.
 * @inst: Instance block of the channel, as a location.
 * @tag: Its tag: a channel with another tag is left alone.
 * @va: An address in the page.
 */
void nvsvm_sim_fifo_cancel(struct nvsvm_sim *sim, u64 inst, u32 tag, u64 va)
{
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&sim->fifo_lock, flags);
	for (i = 0; i < NVSVM_SIM_CHANNELS; i++) {
		struct nvsvm_sim_chan *chan = &sim->chans[i];

		if (chan->stalled && chan->inst == inst && chan->tag == tag &&
		    !((chan->stall_va ^ va) >> PAGE_SHIFT))
			chan->cancelled = true;
	}
	sim->replay_seq++;
	spin_unlock_irqrestore(&sim->fifo_lock, flags);
	wake_up_all(&sim->host_wq);
}

int nvsvm_sim_fifo_init(struct nvsvm_sim *sim)
{
	unsigned int i;

	spin_lock_init(&sim->fifo_lock);
	init_waitqueue_head(&sim->host_wq);
	sim->chans = kcalloc(NVSVM_SIM_CHANNELS, sizeof(*sim->chans), GFP_KERNEL);
	if (!sim->chans)
		return -ENOMEM;
	sim->fifo_wq = alloc_workqueue("nvsvm-host", WQ_UNBOUND, NVSVM_SIM_CHANNELS);
	if (!sim->fifo_wq)
		goto err_free_chans;

	for (i = 0; i < NVSVM_SIM_CHANNELS; i++) {
		struct nvsvm_sim_chan *chan = &sim->chans[i];

		chan->sim = sim;
		chan->id = i;
		INIT_WORK(&chan->work, nvsvm_sim_chan_work);
		chan->bounce = (void *)__get_free_page(GFP_KERNEL);
		chan->grid_mem = nvsvm_sim_grid_alloc(sim);
		if (!chan->bounce || !chan->grid_mem) {
			free_page((unsigned long)chan->bounce);
			nvsvm_sim_grid_free(chan->grid_mem);
			goto err_fini_chans;
		}
		nvsvm_sim_mmu_client_init(sim, &chan->mmu, NVSVM_CLIENT_HOST);
	}
	return 0;

err_fini_chans:
	while (i--) {
		nvsvm_sim_mmu_client_fini(&sim->chans[i].mmu);
		free_page((unsigned long)sim->chans[i].bounce);
		nvsvm_sim_grid_free(sim->chans[i].grid_mem);
	}
	destroy_workqueue(sim->fifo_wq);
err_free_chans:
	kfree(sim->chans);
	return -ENOMEM;
}

void nvsvm_sim_fifo_fini(struct nvsvm_sim *sim)
{
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&sim->fifo_lock, flags);
	for (i = 0; i < NVSVM_SIM_CHANNELS; i++)
		nvsvm_sim_chan_reset_start(&sim->chans[i]);
	spin_unlock_irqrestore(&sim->fifo_lock, flags);
	/* Drains the work items, which finish the resets. */
	destroy_workqueue(sim->fifo_wq);
	for (i = 0; i < NVSVM_SIM_CHANNELS; i++) {
		nvsvm_sim_mmu_client_fini(&sim->chans[i].mmu);
		free_page((unsigned long)sim->chans[i].bounce);
		nvsvm_sim_grid_free(sim->chans[i].grid_mem);
	}
	kfree(sim->chans);
}
