/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Copyright 2026 The nvsvm authors */
#ifndef __NVSVM_FAULT_H__
#define __NVSVM_FAULT_H__

#include <linux/types.h>

struct nvsvm_device;
struct platform_device;

/* The most entries the fault worker takes from the ring in one pass. */
#define NVSVM_FAULT_BATCH	256

/**
 * struct nvsvm_fault_info - A fault-buffer entry, decoded
 *
 * What the fault worker copies out of the ring, so that the ring's room
 * can be given back (GET) before the faults are serviced.
 */
struct nvsvm_fault_info {
	/** @va: Address of the access. */
	u64 va;
	/** @inst: The channel's instance block, as a location. */
	u64 inst;
	/** @tag: The instance block's tag when the channel's work was fetched. */
	u32 tag;
	/** @access: NVSVM_ACCESS_*. */
	u8 access;
	/** @type: NVSVM_FAULT_TYPE_*. */
	u8 type;
	/** @client: NVSVM_CLIENT_*. */
	u8 client;
};

int nvsvm_fault_init(struct nvsvm_device *ndev, struct platform_device *pdev);
void nvsvm_fault_unplug(struct nvsvm_device *ndev);
void nvsvm_fault_flush(struct nvsvm_device *ndev);
void nvsvm_fault_check(struct nvsvm_device *ndev);

/* Batch handling, pure (KUnit). */
unsigned int nvsvm_fault_access_rank(u8 access);
void nvsvm_fault_batch_sort(struct nvsvm_fault_info *batch, unsigned int count);
unsigned int nvsvm_fault_batch_coalesce(struct nvsvm_fault_info *batch, unsigned int count);

#endif /* __NVSVM_FAULT_H__ */
