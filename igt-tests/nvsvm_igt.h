/* SPDX-License-Identifier: MIT */
/* Copyright 2026 The nvsvm authors */
#ifndef NVSVM_IGT_H
#define NVSVM_IGT_H

#include <stddef.h>
#include <stdint.h>

#include "igt_core_subset.h"
#include "nvsvm.h"
#include "nvsvm_drm.h"

/* Open nvsvm GPU @index through libnvsvm; fails the subtest if absent. */
struct nvsvm_device *nvsvm_igt_open(int index);

/* ioctl() that returns 0 or -errno, retrying on EINTR/EAGAIN like drmIoctl. */
int nvsvm_igt_ioctl(int fd, unsigned long request, void *arg);

/* A module parameter of nvsvm, from sysfs; fails the subtest if unreadable. */
unsigned long nvsvm_igt_module_param(const char *name);

/* Skip the (sub)test unless the driver's uAPI is at least 1.@minor. */
void nvsvm_igt_require_uapi(int fd, int minor);

/*
 * Assert that @request fails with -EFAULT for arguments that cannot be
 * read: NULL, a low address, and a PROT_NONE page.
 */
void nvsvm_igt_assert_unreadable_arg(int fd, unsigned long request);

/*
 * Assert that @request fails with -EFAULT when its argument (@size bytes
 * copied from @arg) can be read but not written back, and when it
 * straddles the end of a mapping.
 */
void nvsvm_igt_assert_unwritable_arg(int fd, unsigned long request,
				     const void *arg, size_t size);

#endif /* NVSVM_IGT_H */
