/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Copyright 2026 The nvsvm authors */
#ifndef __NVSVM_SIM_H__
#define __NVSVM_SIM_H__

#include <linux/types.h>

struct nvsvm_hw;
struct nvsvm_sim;

/**
 * struct nvsvm_sim_config - What one emulated GPU is made of
 */
struct nvsvm_sim_config {
	/** @vram_mb: VRAM size in MiB. */
	u32 vram_mb;
	/** @sm_count: Number of SMs. */
	u32 sm_count;
	/** @ce_count: Number of copy engines. */
	u32 ce_count;
};

struct nvsvm_sim *nvsvm_sim_create(const struct nvsvm_sim_config *cfg,
				   const char *name);
unsigned int nvsvm_sim_irq(struct nvsvm_sim *sim, unsigned int line);
void nvsvm_sim_destroy(struct nvsvm_sim *sim);
struct nvsvm_hw *nvsvm_sim_hw(struct nvsvm_sim *sim);

#endif /* __NVSVM_SIM_H__ */
