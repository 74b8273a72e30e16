/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Copyright 2026 The nvsvm authors */
#ifndef __NVSVM_VM_H__
#define __NVSVM_VM_H__

#include <linux/types.h>

struct drm_device;
struct drm_file;
struct nvsvm_device;
struct nvsvm_vm;

struct nvsvm_vm *nvsvm_vm_create(struct nvsvm_device *ndev);
void nvsvm_vm_destroy(struct nvsvm_vm *vm);
u64 nvsvm_vm_pdb(struct nvsvm_vm *vm);
int nvsvm_vm_map_kernel(struct nvsvm_vm *vm, u64 va, dma_addr_t dma, u64 size,
			bool writable);
void nvsvm_vm_unmap_kernel(struct nvsvm_vm *vm, u64 va, u64 size);

int nvsvm_ioctl_vm_bind(struct drm_device *drm, void *data, struct drm_file *file);

#endif /* __NVSVM_VM_H__ */
