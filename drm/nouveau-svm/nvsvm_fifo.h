/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Copyright 2026 The nvsvm authors */
#ifndef __NVSVM_FIFO_H__
#define __NVSVM_FIFO_H__

#include <linux/types.h>

struct nvsvm_chan;
struct nvsvm_device;
struct nvsvm_fifo;
struct platform_device;

int nvsvm_fifo_init(struct nvsvm_device *ndev, struct platform_device *pdev);
void nvsvm_fifo_unplug(struct nvsvm_device *ndev);

int nvsvm_fifo_chan_add(struct nvsvm_fifo *fifo, struct nvsvm_chan *chan,
			dma_addr_t inst, u32 *hw_id, u32 *tag);
int nvsvm_fifo_chan_start(struct nvsvm_fifo *fifo, u32 hw_id);
void nvsvm_fifo_chan_remove(struct nvsvm_fifo *fifo, u32 hw_id);
struct nvsvm_chan *nvsvm_fifo_chan_get_by_inst(struct nvsvm_fifo *fifo, u64 inst, u32 tag);

int nvsvm_fifo_chan_reset(struct nvsvm_fifo *fifo, u32 hw_id);
void nvsvm_fifo_chan_read_error(struct nvsvm_fifo *fifo, u32 hw_id, u32 *error, u64 *info);
void nvsvm_fifo_chan_kick(struct nvsvm_fifo *fifo, u32 hw_id);

void nvsvm_fifo_watchdog_arm(struct nvsvm_fifo *fifo);

#endif /* __NVSVM_FIFO_H__ */
