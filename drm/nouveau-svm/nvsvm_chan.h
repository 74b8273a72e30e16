/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Copyright 2026 The nvsvm authors */
#ifndef __NVSVM_CHAN_H__
#define __NVSVM_CHAN_H__

#include <linux/types.h>

struct drm_device;
struct drm_file;
struct nvsvm_chan;
struct nvsvm_device;
struct nvsvm_file;

int nvsvm_chan_init(struct nvsvm_device *ndev);

int nvsvm_ioctl_channel_alloc(struct drm_device *drm, void *data, struct drm_file *file);
int nvsvm_ioctl_channel_free(struct drm_device *drm, void *data, struct drm_file *file);
int nvsvm_ioctl_exec(struct drm_device *drm, void *data, struct drm_file *file);
int nvsvm_ioctl_channel_get_error(struct drm_device *drm, void *data, struct drm_file *file);

void nvsvm_chan_close_all(struct nvsvm_file *nfile);

struct nvsvm_chan *nvsvm_chan_lookup(struct drm_file *file, u32 id);
struct nvsvm_chan *nvsvm_chan_get(struct nvsvm_chan *chan);
void nvsvm_chan_put(struct nvsvm_chan *chan);

/* For the FIFO and fault blocks. */
bool nvsvm_chan_busy(struct nvsvm_chan *chan);
void nvsvm_chan_signal(struct nvsvm_chan *chan);
void nvsvm_chan_fail(struct nvsvm_chan *chan);
void nvsvm_chan_hang(struct nvsvm_chan *chan);
void nvsvm_chan_record_fault(struct nvsvm_chan *chan, u64 va, u32 access,
			     u32 type, u32 client, u32 reason);
void nvsvm_chan_unplug(struct nvsvm_chan *chan);

#endif /* __NVSVM_CHAN_H__ */
