// SPDX-License-Identifier: MIT
/* Copyright 2026 The nvsvm authors */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xf86drm.h>

#include "nvsvm_igt.h"

struct nvsvm_device *nvsvm_igt_open(int index)
{
	struct nvsvm_device *dev = NULL;
	int ret = nvsvm_device_open(index, &dev);

	igt_assert_f(ret == 0, "cannot open nvsvm GPU %d: %s\n", index, strerror(-ret));
	return dev;
}

int nvsvm_igt_ioctl(int fd, unsigned long request, void *arg)
{
	int ret;

	do {
		ret = ioctl(fd, request, arg);
	} while (ret == -1 && (errno == EINTR || errno == EAGAIN));
	return ret == -1 ? -errno : ret;
}

unsigned long nvsvm_igt_module_param(const char *name)
{
	char path[256];
	unsigned long v;
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "/sys/module/nvsvm/parameters/%s", name);
	f = fopen(path, "r");
	igt_assert_f(f, "cannot open %s: %s\n", path, strerror(errno));
	n = fscanf(f, "%lu", &v);
	fclose(f);
	igt_assert_f(n == 1, "cannot parse %s\n", path);
	return v;
}

void nvsvm_igt_require_uapi(int fd, int minor)
{
	drmVersionPtr v = drmGetVersion(fd);
	int major, have;

	igt_assert_f(v, "DRM_IOCTL_VERSION failed: %s\n", strerror(errno));
	major = v->version_major;
	have = v->version_minor;
	drmFreeVersion(v);
	igt_assert_eq(major, 1);
	igt_require_f(have >= minor, "needs nvsvm uAPI 1.%d, the driver has 1.%d\n",
		      minor, have);
}

void nvsvm_igt_assert_unreadable_arg(int fd, unsigned long request)
{
	long page = sysconf(_SC_PAGESIZE);
	void *none;

	igt_assert_eq(nvsvm_igt_ioctl(fd, request, NULL), -EFAULT);
	igt_assert_eq(nvsvm_igt_ioctl(fd, request, (void *)8), -EFAULT);

	none = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	igt_assert(none != MAP_FAILED);
	igt_assert_eq(nvsvm_igt_ioctl(fd, request, none), -EFAULT);
	munmap(none, page);
}

void nvsvm_igt_assert_unwritable_arg(int fd, unsigned long request,
				     const void *arg, size_t size)
{
	long page = sysconf(_SC_PAGESIZE);
	char *p;

	/* Readable but not writable: the answer cannot be written back. */
	p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	igt_assert(p != MAP_FAILED);
	memcpy(p, arg, size);
	igt_assert_eq(mprotect(p, page, PROT_READ), 0);
	igt_assert_eq(nvsvm_igt_ioctl(fd, request, p), -EFAULT);
	munmap(p, page);

	/* Straddling the end of a mapping: only its first 8 bytes exist. */
	p = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	igt_assert(p != MAP_FAILED);
	igt_assert_eq(munmap(p + page, page), 0);
	memcpy(p + page - 8, arg, 8);
	igt_assert_eq(nvsvm_igt_ioctl(fd, request, p + page - 8), -EFAULT);
	munmap(p, page);
}
