// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

/**
 * DOC: Identity block
 *
 * The read-only registers that tell a driver what GPU it has: architecture,
 * VRAM size, SM and copy-engine counts, VA width and page sizes. Their
 * values come from the &struct nvsvm_sim_config the GPU was created with.
 */

#include <linux/bitfield.h>
#include <linux/sizes.h>

#include "../nvsvm_regs.h"
#include "sim_internal.h"

#define NVSVM_SIM_IMPL	0x00001
#define NVSVM_SIM_VA_BITS	48

u32 nvsvm_sim_id_rd32(struct nvsvm_sim *sim, u32 reg)
{
	switch (reg) {
	case NVSVM_REG_BOOT0:
		return FIELD_PREP(NVSVM_BOOT0_ARCH, NVSVM_ARCH_SV10) |
		       FIELD_PREP(NVSVM_BOOT0_IMPL, NVSVM_SIM_IMPL);
	case NVSVM_REG_VRAM_MB:
		return sim->cfg.vram_mb;
	case NVSVM_REG_SM_COUNT:
		return sim->cfg.sm_count;
	case NVSVM_REG_CE_COUNT:
		return sim->cfg.ce_count;
	case NVSVM_REG_VA_BITS:
		return NVSVM_SIM_VA_BITS;
	case NVSVM_REG_PAGE_SIZES:
		return SZ_4K | SZ_2M;
	case NVSVM_REG_CHAN_COUNT:
		return NVSVM_SIM_CHANNELS;
	default:
		return NVSVM_REG_BAD_VALUE | (reg & NVSVM_REG_BAD_MASK);
	}
}
