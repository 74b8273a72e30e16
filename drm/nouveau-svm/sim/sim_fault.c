// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

/**
 * DOC: Replayable fault buffer
 *
 * The ring described in the "Replayable fault buffer" section of
 * nvsvm_regs.h. An engine whose access faults calls
 * nvsvm_sim_fault_report() and stalls; the report lands in the ring, or,
 * with the ring full (or not configured), is dropped with OVERFLOW set:
 * the access stays stalled and a replay raises it again. Fault injection
 * (fault_overflow, see sim_inject.h) drops the next N reports the same
 * way, whatever room the ring has.
 *
 * FAULT_REPLAY restarts every stalled access (the SMs' warps and the
 * host's fetches); FAULT_CANCEL_TRIGGER fails those of one instance block
 * at one page, which stops their channel.
 *
 * Locking: &nvsvm_sim.fault_lock (a spinlock, taken with interrupts off so
 * that registers can be read from any context) protects the ring
 * registers. &nvsvm_sim.fault_report_lock (a mutex, outside it: writing an
 * entry may allocate VRAM backing) serialises reporters, so entries land
 * in the order PUT publishes them.
 */

#include <linux/bitfield.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>

#include "nvsvm_regs.h"
#include "sim_internal.h"

struct nvsvm_sim_fault_entry {
	__le64 va;
	__le64 inst;
	__le32 info;
	__le32 tag;
	__le64 timestamp;
};

static_assert(sizeof(struct nvsvm_sim_fault_entry) == NVSVM_FAULT_ENTRY_SIZE);

void nvsvm_sim_fault_init(struct nvsvm_sim *sim)
{
	spin_lock_init(&sim->fault_lock);
	mutex_init(&sim->fault_report_lock);
}

static void nvsvm_sim_fault_update_irq(struct nvsvm_sim *sim)
{
	lockdep_assert_held(&sim->fault_lock);
	nvsvm_sim_irq_set(sim, NVSVM_IRQ_FAULT,
			  (sim->fault_intr_en & 1) &&
			  (sim->fault_get != sim->fault_put ||
			   (sim->fault_status & NVSVM_FAULT_STATUS_OVERFLOW)));
}

/**
 * nvsvm_sim_fault_report() - Report a faulting access
 * @sim: The GPU.
 * @va: Address of the access.
 * @inst: Instance block of its channel, as a location (aperture in bit 0).
 * @tag: The instance block's tag when the channel's work was fetched.
 * @access: NVSVM_ACCESS_*.
 * @type: NVSVM_FAULT_TYPE_*.
 * @client: NVSVM_CLIENT_*.
 *
 * May sleep.
 */
void nvsvm_sim_fault_report(struct nvsvm_sim *sim, u64 va, u64 inst, u32 tag,
			    u8 access, u8 type, u32 client)
{
	struct nvsvm_sim_fault_entry e = {
		.va = cpu_to_le64(va),
		.inst = cpu_to_le64(inst),
		.info = cpu_to_le32(FIELD_PREP(NVSVM_FAULT_INFO_ACCESS, access) |
				    FIELD_PREP(NVSVM_FAULT_INFO_TYPE, type) |
				    FIELD_PREP(NVSVM_FAULT_INFO_CLIENT, client) |
				    NVSVM_FAULT_INFO_VALID),
		.tag = cpu_to_le32(tag),
		.timestamp = cpu_to_le64(ktime_get_ns()),
	};
	unsigned long flags;
	u32 size, put;
	bool room;
	u64 base;

	mutex_lock(&sim->fault_report_lock);
	spin_lock_irqsave(&sim->fault_lock, flags);
	base = (u64)sim->fault_buf_hi << 32 | sim->fault_buf_lo;
	size = sim->fault_buf_size;
	put = sim->fault_put;
	room = size && ((put + 1) & (size - 1)) != sim->fault_get;
	spin_unlock_irqrestore(&sim->fault_lock, flags);
	if (room && nvsvm_sim_inject_take(&sim->inject.fault_overflow))
		room = false;

	if (room && nvsvm_sim_mem_write(sim, nvsvm_sim_loc_aper(base),
					nvsvm_sim_loc_addr(base) +
					(u64)put * NVSVM_FAULT_ENTRY_SIZE, &e, sizeof(e)))
		room = false;

	spin_lock_irqsave(&sim->fault_lock, flags);
	/* Publish only if the driver did not reprogram the ring meanwhile. */
	if (room && size == sim->fault_buf_size && put == sim->fault_put)
		sim->fault_put = (put + 1) & (size - 1);
	else
		sim->fault_status |= NVSVM_FAULT_STATUS_OVERFLOW;
	nvsvm_sim_fault_update_irq(sim);
	spin_unlock_irqrestore(&sim->fault_lock, flags);
	mutex_unlock(&sim->fault_report_lock);
}

u32 nvsvm_sim_fault_rd32(struct nvsvm_sim *sim, u32 reg)
{
	unsigned long flags;
	u32 val;

	spin_lock_irqsave(&sim->fault_lock, flags);
	switch (reg) {
	case NVSVM_REG_FAULT_BUF_LO:
		val = sim->fault_buf_lo;
		break;
	case NVSVM_REG_FAULT_BUF_HI:
		val = sim->fault_buf_hi;
		break;
	case NVSVM_REG_FAULT_BUF_SIZE:
		val = sim->fault_buf_size;
		break;
	case NVSVM_REG_FAULT_BUF_GET:
		val = sim->fault_get;
		break;
	case NVSVM_REG_FAULT_BUF_PUT:
		val = sim->fault_put;
		break;
	case NVSVM_REG_FAULT_STATUS:
		val = sim->fault_status;
		break;
	case NVSVM_REG_FAULT_INTR_EN:
		val = sim->fault_intr_en;
		break;
	case NVSVM_REG_FAULT_CANCEL_INST_LO ... NVSVM_REG_FAULT_CANCEL_VA_HI:
	case NVSVM_REG_FAULT_CANCEL_TAG:
		val = sim->fault_cancel[(reg - NVSVM_REG_FAULT_CANCEL_INST_LO) / 4];
		break;
	default:
		val = NVSVM_REG_BAD_VALUE | (reg & NVSVM_REG_BAD_MASK);
		break;
	}
	spin_unlock_irqrestore(&sim->fault_lock, flags);
	return val;
}

void nvsvm_sim_fault_wr32(struct nvsvm_sim *sim, u32 reg, u32 val)
{
	unsigned long flags;
	u64 inst, va;
	u32 tag;

	spin_lock_irqsave(&sim->fault_lock, flags);
	switch (reg) {
	case NVSVM_REG_FAULT_BUF_LO:
		sim->fault_buf_lo = val & (NVSVM_ADDR_LO_ADDR | NVSVM_ADDR_LO_SYSMEM);
		break;
	case NVSVM_REG_FAULT_BUF_HI:
		sim->fault_buf_hi = val;
		break;
	case NVSVM_REG_FAULT_BUF_SIZE:
		/* A new ring starts empty; a size not a power of 2 disables it. */
		sim->fault_buf_size = is_power_of_2(val) ? val : 0;
		sim->fault_get = 0;
		sim->fault_put = 0;
		break;
	case NVSVM_REG_FAULT_BUF_GET:
		if (sim->fault_buf_size)
			sim->fault_get = val & (sim->fault_buf_size - 1);
		break;
	case NVSVM_REG_FAULT_STATUS:
		sim->fault_status &= ~(val & NVSVM_FAULT_STATUS_OVERFLOW);
		break;
	case NVSVM_REG_FAULT_INTR_EN:
		sim->fault_intr_en = val & 1;
		break;
	case NVSVM_REG_FAULT_CANCEL_INST_LO ... NVSVM_REG_FAULT_CANCEL_VA_HI:
	case NVSVM_REG_FAULT_CANCEL_TAG:
		sim->fault_cancel[(reg - NVSVM_REG_FAULT_CANCEL_INST_LO) / 4] = val;
		break;
	case NVSVM_REG_FAULT_REPLAY:
		spin_unlock_irqrestore(&sim->fault_lock, flags);
		nvsvm_sim_sm_replay(sim);
		nvsvm_sim_fifo_replay(sim);
		return;
	case NVSVM_REG_FAULT_CANCEL_TRIGGER:
		inst = (u64)sim->fault_cancel[1] << 32 | sim->fault_cancel[0];
		va = (u64)sim->fault_cancel[3] << 32 | sim->fault_cancel[2];
		tag = sim->fault_cancel[5];
		spin_unlock_irqrestore(&sim->fault_lock, flags);
		nvsvm_sim_sm_cancel(sim, inst, tag, va);
		nvsvm_sim_fifo_cancel(sim, inst, tag, va);
		return;
	default:
		break;
	}
	nvsvm_sim_fault_update_irq(sim);
	spin_unlock_irqrestore(&sim->fault_lock, flags);
}
