/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Copyright 2026 The nvsvm authors */
#ifndef __NVSVM_GEM_H__
#define __NVSVM_GEM_H__

struct drm_device;
struct drm_file;

int nvsvm_ioctl_bo_create(struct drm_device *drm, void *data, struct drm_file *file);
int nvsvm_ioctl_bo_mmap_offset(struct drm_device *drm, void *data,
			       struct drm_file *file);

#endif /* __NVSVM_GEM_H__ */
