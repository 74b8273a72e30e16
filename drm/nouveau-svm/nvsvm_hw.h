/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Copyright 2026 The nvsvm authors */
#ifndef __NVSVM_HW_H__
#define __NVSVM_HW_H__

#include <linux/types.h>

struct nvsvm_hw;

/**
 * DOC: Hardware interface
 *
 * &struct nvsvm_hw is everything the driver knows of a GPU: a register
 * window (reached through &struct nvsvm_hw_ops, the way readl()/writel()
 * reach a BAR), rings in memory the driver provides, and interrupts. No
 * driver pointer crosses it the other way: a backend reaches the driver only
 * by raising an interrupt.
 *
 * The backend in this module is the emulator in sim/. It creates one
 * platform device per emulated GPU (named as below) and hands the &struct nvsvm_hw over as
 * the device's platform data, the way firmware describes a device's
 * resources. A real backend would provide the same ops over ioremapped MMIO.
 *
 * The register map is in nvsvm_regs.h.
 */

/**
 * struct nvsvm_hw_ops - Register access
 */
struct nvsvm_hw_ops {
	/**
	 * @rd32: Read the 32-bit register at byte offset @reg. Any context,
	 * hard-IRQ included.
	 */
	u32 (*rd32)(struct nvsvm_hw *hw, u32 reg);

	/**
	 * @wr32: Write @val to the 32-bit register at byte offset @reg. Any
	 * context, hard-IRQ included: a write never sleeps or waits for the
	 * GPU. Operations that take time (MMU_INV_TRIGGER, CHAN_CTRL with
	 * RESET, CE_RESET) are started by the write and completed later; the
	 * driver polls their status registers.
	 */
	void (*wr32)(struct nvsvm_hw *hw, u32 reg, u32 val);
};

/**
 * struct nvsvm_hw - One GPU as the driver sees it
 */
struct nvsvm_hw {
	/** @ops: Register access. Immutable. */
	const struct nvsvm_hw_ops *ops;
};

/*
 * A GPU's platform device is named NVSVM_HW_DEVICE_NAME followed by its
 * number, below NVSVM_HW_MAX_DEVICES: "nvsvm-gpu0", "nvsvm-gpu1", ...
 */
#define NVSVM_HW_DEVICE_NAME	"nvsvm-gpu"
#define NVSVM_HW_MAX_DEVICES	8

/**
 * struct nvsvm_hw_platform_data - Platform data of a GPU's platform device
 *
 * The platform core copies platform data, so the hardware is passed by
 * pointer inside it.
 */
struct nvsvm_hw_platform_data {
	/** @hw: The GPU. Outlives the platform device. */
	struct nvsvm_hw *hw;
};

static inline u32 nvsvm_hw_rd32(struct nvsvm_hw *hw, u32 reg)
{
	return hw->ops->rd32(hw, reg);
}

static inline void nvsvm_hw_wr32(struct nvsvm_hw *hw, u32 reg, u32 val)
{
	hw->ops->wr32(hw, reg, val);
}

#endif /* __NVSVM_HW_H__ */
