/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Copyright 2026 The nvsvm authors */
#ifndef __NVSVM_VM_H__
#define __NVSVM_VM_H__

#include <linux/lockdep.h>
#include <linux/types.h>

#include "nvsvm_pt.h"
#include "nvsvm_vm_types.h"

struct drm_device;
struct drm_file;
struct nvsvm_chan;
struct nvsvm_device;

/* The locking rules of nvsvm_vm_types.h, in code. */
static inline void nvsvm_vm_assert_held(struct nvsvm_vm *vm)
{
	lockdep_assert_held(&vm->lock);
}

static inline void nvsvm_vm_assert_notifier_held(struct nvsvm_vm *vm)
{
	lockdep_assert_held(&vm->notifier_lock);
}

struct nvsvm_vm *nvsvm_vm_create(struct nvsvm_device *ndev);
void nvsvm_vm_destroy(struct nvsvm_vm *vm);
u64 nvsvm_vm_pdb(struct nvsvm_vm *vm);

/* Page tables, for the VM's own mappings and SVM (nvsvm_pt.h). */
int nvsvm_vm_pt_stage(struct nvsvm_vm *vm, struct nvsvm_pt_stage *st,
		      u64 va, u64 size, unsigned int shift);
bool nvsvm_vm_pt_commit(struct nvsvm_vm *vm, struct nvsvm_pt_stage *st, u64 va,
			u64 size, unsigned int shift, const u64 *ptes);
void nvsvm_vm_pt_stage_fini(struct nvsvm_vm *vm, struct nvsvm_pt_stage *st);
bool nvsvm_vm_pt_zap(struct nvsvm_vm *vm, u64 va, u64 size);
void nvsvm_vm_pt_prune(struct nvsvm_vm *vm, u64 va, u64 size);
int nvsvm_vm_tlb_invalidate(struct nvsvm_vm *vm, u64 va, u64 size, bool blockable);

/* Channels of the VM. */
void nvsvm_vm_chan_add(struct nvsvm_vm *vm, struct nvsvm_chan *chan);
void nvsvm_vm_chan_remove(struct nvsvm_vm *vm, struct nvsvm_chan *chan);

int nvsvm_vm_map_kernel(struct nvsvm_vm *vm, u64 va, dma_addr_t dma, u64 size,
			bool writable);
void nvsvm_vm_unmap_kernel(struct nvsvm_vm *vm, u64 va, u64 size);

int nvsvm_ioctl_vm_bind(struct drm_device *drm, void *data, struct drm_file *file);

#endif /* __NVSVM_VM_H__ */
