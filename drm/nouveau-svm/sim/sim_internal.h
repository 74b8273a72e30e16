/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Copyright 2026 The nvsvm authors */
#ifndef __NVSVM_SIM_INTERNAL_H__
#define __NVSVM_SIM_INTERNAL_H__

#include <linux/container_of.h>

#include "../nvsvm_hw.h"
#include "sim.h"

/**
 * struct nvsvm_sim - One emulated GPU
 *
 * Only sim/ sees inside; the driver gets the embedded &struct nvsvm_hw.
 */
struct nvsvm_sim {
	/** @hw: The interface handed to the driver. */
	struct nvsvm_hw hw;

	/** @cfg: What this GPU is made of. Immutable after creation. */
	struct nvsvm_sim_config cfg;
};

static inline struct nvsvm_sim *to_nvsvm_sim(struct nvsvm_hw *hw)
{
	return container_of(hw, struct nvsvm_sim, hw);
}

u32 nvsvm_sim_id_rd32(struct nvsvm_sim *sim, u32 reg);

#endif /* __NVSVM_SIM_INTERNAL_H__ */
