/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Copyright 2026 The nvsvm authors */
#ifndef __NVSVM_COMPAT_H__
#define __NVSVM_COMPAT_H__

/**
 * DOC: Kernel compatibility
 *
 * The module builds against the 6.12 LTS kernel and the newest mainline.
 * Differences are found by feature, never by version number: before the
 * module is built, conftest/run.sh compiles each conftest/<feature>.c
 * against the target kernel and writes nvsvm_conftest.h, which defines
 * NVSVM_HAVE_<FEATURE> for every snippet that compiled. This header turns
 * those answers into what the rest of the driver uses.
 */

#include <linux/err.h>
#include <linux/mm.h>
#include <linux/rmap.h>

#include <drm/drm_file.h>
#include <drm/gpu_scheduler.h>

#include "nvsvm_conftest.h"

/*
 * NVSVM_HAVE_DRM_DRIVER_DATE: struct drm_driver has a date field (it went
 * away in Linux 6.14). Where it exists the DRM version ioctl dereferences
 * it, so it must be set.
 */

/*
 * NVSVM_HAVE_DRM_SCHED_INIT_ARGS: drm_sched_init() takes a struct
 * drm_sched_init_args (6.15) instead of ten positional arguments.
 */
static inline int nvsvm_sched_init(struct drm_gpu_scheduler *sched,
				   const struct drm_sched_backend_ops *ops,
				   u32 credit_limit, long timeout,
				   const char *name, struct device *dev)
{
#ifdef NVSVM_HAVE_DRM_SCHED_INIT_ARGS
	const struct drm_sched_init_args args = {
		.ops = ops,
		.num_rqs = DRM_SCHED_PRIORITY_COUNT,
		.credit_limit = credit_limit,
		.timeout = timeout,
		.name = name,
		.dev = dev,
	};

	return drm_sched_init(sched, &args);
#else
	return drm_sched_init(sched, ops, NULL, DRM_SCHED_PRIORITY_COUNT,
			      credit_limit, 0, timeout, NULL, NULL, name, dev);
#endif
}

/*
 * NVSVM_HAVE_DRM_SCHED_JOB_INIT_CLIENT_ID: drm_sched_job_init() takes the
 * submitting client's id, for tracing (6.16).
 */
static inline int nvsvm_sched_job_init(struct drm_sched_job *job,
				       struct drm_sched_entity *entity,
				       u32 credits, struct drm_file *file)
{
#ifdef NVSVM_HAVE_DRM_SCHED_JOB_INIT_CLIENT_ID
	return drm_sched_job_init(job, entity, credits, file, file->client_id);
#else
	return drm_sched_job_init(job, entity, credits, file);
#endif
}

/*
 * NVSVM_HAVE_DRM_SCHED_START_ERRNO: drm_sched_start() takes the error to
 * give jobs that never reached the hardware (6.13). The driver's jobs all
 * have a hardware fence by then; 0 keeps the old behaviour (-ECANCELED).
 */
static inline void nvsvm_sched_start(struct drm_gpu_scheduler *sched)
{
#ifdef NVSVM_HAVE_DRM_SCHED_START_ERRNO
	drm_sched_start(sched, 0);
#else
	drm_sched_start(sched);
#endif
}

/*
 * NVSVM_HAVE_DRM_GPU_SCHED_STAT_RESET: what timedout_job returns after a
 * reset was called NOMINAL before 6.17.
 */
#ifdef NVSVM_HAVE_DRM_GPU_SCHED_STAT_RESET
#define NVSVM_SCHED_STAT_RESET	DRM_GPU_SCHED_STAT_RESET
#else
#define NVSVM_SCHED_STAT_RESET	DRM_GPU_SCHED_STAT_NOMINAL
#endif

/*
 * NVSVM_HAVE_MAKE_DEVICE_EXCLUSIVE: make_device_exclusive() (6.15) replaced
 * make_device_exclusive_range(), whose 6.12 version mishandles large folios
 * (docs/testing.md, "Device-exclusive access on 6.12"): for a page of one
 * it either drops the page or, for the folio's head, makes every page of
 * the folio exclusive. So on 6.12 the page is first looked up with a
 * reference of our own and refused if its folio is large (-E2BIG, for the
 * caller's fallback); the reference, held across the call, also keeps
 * khugepaged from collapsing the page into a THP meanwhile. If the address
 * then maps another page, -EAGAIN: the caller retries.
 *
 * Return: the page, its folio locked and referenced (the caller unlocks
 * and puts it once the GPU maps it), or an ERR_PTR(): -E2BIG (6.12, large
 * folio), -EOPNOTSUPP (not anonymous memory, or hugetlb), -EAGAIN or
 * -EBUSY (try again), or what faulting the page in returned.
 *
 * Context: mmap_lock of @mm held for read.
 */
static inline struct page *
nvsvm_make_device_exclusive(struct mm_struct *mm, unsigned long addr, void *owner,
			    struct folio **foliop)
{
#ifdef NVSVM_HAVE_MAKE_DEVICE_EXCLUSIVE
	return make_device_exclusive(mm, addr, owner, foliop);
#else
	struct page *probe, *page = NULL;
	struct folio *folio;
	long n;
	int ret;

	n = get_user_pages_remote(mm, addr, 1, FOLL_WRITE, &probe, NULL);
	if (n != 1)
		return ERR_PTR(n < 0 ? n : -EFAULT);
	folio = page_folio(probe);
	if (!folio_test_anon(folio) || folio_test_hugetlb(folio)) {
		put_page(probe);
		return ERR_PTR(-EOPNOTSUPP);
	}
	if (folio_test_large(folio)) {
		put_page(probe);
		return ERR_PTR(-E2BIG);
	}
	ret = make_device_exclusive_range(mm, addr, addr + PAGE_SIZE, &page, owner);
	put_page(probe);
	if (ret < 0)
		return ERR_PTR(ret);
	if (ret == 0 || !page)
		return ERR_PTR(-EBUSY);
	if (page != probe) {
		unlock_page(page);
		put_page(page);
		return ERR_PTR(-EAGAIN);
	}
	*foliop = page_folio(page);
	return page;
#endif
}

#endif /* __NVSVM_COMPAT_H__ */
