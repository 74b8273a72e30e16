/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Copyright 2026 The nvsvm authors */
#ifndef __NVSVM_SVM_H__
#define __NVSVM_SVM_H__

#include <linux/types.h>

#include "nvsvm_svm_types.h"

struct drm_device;
struct drm_file;
struct nvsvm_device;
struct nvsvm_vm;

int nvsvm_svm_dev_init(struct nvsvm_device *ndev);

int nvsvm_ioctl_svm_init(struct drm_device *drm, void *data, struct drm_file *file);
int nvsvm_ioctl_wait_user_fence(struct drm_device *drm, void *data, struct drm_file *file);

void nvsvm_svm_fini(struct nvsvm_vm *vm);

int nvsvm_svm_check_caller(struct nvsvm_vm *vm);
int nvsvm_svm_check_bind(struct nvsvm_vm *vm, u64 va, u64 range);
void nvsvm_svm_fence_wake(struct nvsvm_vm *vm);

void nvsvm_svm_service(struct nvsvm_vm *vm, struct nvsvm_svm_fault *faults,
		       unsigned int count);

/* Statistics, for the fault work. */
void nvsvm_svm_stats_batch(struct nvsvm_device *ndev, unsigned int entries,
			   unsigned int duplicates, u64 service_ns);
void nvsvm_svm_stats_replay(struct nvsvm_device *ndev);
void nvsvm_svm_stats_cancel(struct nvsvm_device *ndev);

/* Pure helpers, exported for KUnit. */
u8 nvsvm_svm_bo_reason(u64 va, u8 type);
unsigned int nvsvm_svm_block_end(const struct nvsvm_svm_fault *faults,
				 unsigned int count, unsigned int first,
				 u64 bo_start, u64 bo_end);
void nvsvm_svm_block_range(u64 va, u64 bo_start, u64 bo_end, u64 *start, u64 *end);
unsigned int nvsvm_svm_stats_bucket(u64 value, unsigned int buckets);

static inline u64 nvsvm_svm_region_start(u64 va)
{
	return va & ~(NVSVM_SVM_REGION_SIZE - 1);
}

static inline unsigned long nvsvm_svm_region_index(u64 va)
{
	return va >> NVSVM_SVM_REGION_SHIFT;
}

static inline u64 nvsvm_svm_block_start(u64 va)
{
	return va & ~(NVSVM_SVM_BLOCK_SIZE - 1);
}

/* Index of @va's block in its region. */
static inline unsigned int nvsvm_svm_block_index(u64 va)
{
	return (va >> NVSVM_SVM_BLOCK_SHIFT) & (NVSVM_SVM_REGION_BLOCKS - 1);
}

/* Index of @va's page in its block. */
static inline unsigned int nvsvm_svm_page_index(u64 va)
{
	return (va >> PAGE_SHIFT) & (NVSVM_SVM_BLOCK_PAGES - 1);
}

#endif /* __NVSVM_SVM_H__ */
