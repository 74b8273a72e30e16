// SPDX-License-Identifier: MIT
/* Copyright 2026 The nvsvm authors */

/*
 * Channels, job submission, syncobjs and CPU+GPU buffers: wrappers over
 * CHANNEL_ALLOC, CHANNEL_FREE, EXEC, CHANNEL_GET_ERROR, libdrm's syncobj
 * calls and the sync file's SYNC_IOC_FILE_INFO, returning 0 or a negative
 * errno.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <linux/sync_file.h>
#include <xf86drm.h>

#include "nvsvm.h"
#include "nvsvm_drm.h"
#include "nvsvm_internal.h"

_Static_assert(NVSVM_SYNCOBJ_SIGNALED == DRM_SYNCOBJ_CREATE_SIGNALED,
	       "NVSVM_SYNCOBJ_SIGNALED is passed to the kernel as is");

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static int dev_ioctl(struct nvsvm_device *dev, unsigned long request, void *arg)
{
	return drmIoctl(nvsvm_device_fd(dev), request, arg) ? -errno : 0;
}

/* libdrm returns -errno from some calls and -1 with errno set from others. */
static int drm_ret(int ret)
{
	if (ret >= 0)
		return 0;
	if (ret == -1 && errno > 0)
		return -errno;
	return ret;
}

/* ---- Channels ------------------------------------------------------------ */

int nvsvm_channel_alloc(struct nvsvm_device *dev, uint32_t *channel)
{
	struct drm_nvsvm_channel_alloc args = { 0 };
	int ret;

	ret = dev_ioctl(dev, DRM_IOCTL_NVSVM_CHANNEL_ALLOC, &args);
	if (ret)
		return ret;
	*channel = args.channel;
	return 0;
}

int nvsvm_channel_free(struct nvsvm_device *dev, uint32_t channel)
{
	struct drm_nvsvm_channel_free args = { .channel = channel };
	int ret;

	ret = dev_ioctl(dev, DRM_IOCTL_NVSVM_CHANNEL_FREE, &args);
	/* Once freed, none of its jobs writes its timeline any more. */
	if (!ret)
		nvsvm_chan_state_drop(dev, channel);
	return ret;
}

int nvsvm_channel_get_error(struct nvsvm_device *dev, uint32_t channel,
			    struct nvsvm_channel_error *err)
{
	struct drm_nvsvm_channel_get_error args = { .channel = channel };
	int ret;

	ret = dev_ioctl(dev, DRM_IOCTL_NVSVM_CHANNEL_GET_ERROR, &args);
	if (ret)
		return ret;
	err->error = args.error;
	err->access = args.access;
	err->fault_type = args.fault_type;
	err->client = args.client;
	err->address = args.address;
	err->reason = args.reason;
	return 0;
}

static const char *name_of(const char *const *names, size_t count, uint32_t value)
{
	return value < count && names[value] ? names[value] : "unknown";
}

const char *nvsvm_channel_error_name(uint32_t error)
{
	static const char *const names[] = {
		[DRM_NVSVM_CHANNEL_ERROR_NONE] = "none",
		[DRM_NVSVM_CHANNEL_ERROR_MMU_FAULT] = "MMU fault",
		[DRM_NVSVM_CHANNEL_ERROR_ILLEGAL_INSTRUCTION] = "illegal instruction",
		[DRM_NVSVM_CHANNEL_ERROR_MISALIGNED] = "misaligned access",
		[DRM_NVSVM_CHANNEL_ERROR_ARITHMETIC] = "division by zero",
		[DRM_NVSVM_CHANNEL_ERROR_WATCHDOG] = "watchdog: launch ran too long",
		[DRM_NVSVM_CHANNEL_ERROR_INVALID_METHOD] = "malformed push buffer",
		[DRM_NVSVM_CHANNEL_ERROR_TIMEOUT] = "job timeout",
		/* DRM_NVSVM_CHANNEL_ERROR_GPU_HANG (uAPI 1.3) */
		[8] = "GPU hang: the channel was reset",
	};

	return name_of(names, ARRAY_SIZE(names), error);
}

const char *nvsvm_access_name(uint32_t access)
{
	static const char *const names[] = {
		[0] = "none",
		[DRM_NVSVM_ACCESS_READ] = "read",
		[DRM_NVSVM_ACCESS_WRITE] = "write",
		[DRM_NVSVM_ACCESS_ATOMIC] = "atomic",
		[DRM_NVSVM_ACCESS_PREFETCH] = "prefetch",
	};

	return name_of(names, ARRAY_SIZE(names), access);
}

const char *nvsvm_fault_type_name(uint32_t fault_type)
{
	static const char *const names[] = {
		[0] = "none",
		[DRM_NVSVM_FAULT_UNMAPPED] = "unmapped",
		[DRM_NVSVM_FAULT_PROTECTION] = "read-only",
		[DRM_NVSVM_FAULT_ATOMIC] = "atomics disabled",
	};

	return name_of(names, ARRAY_SIZE(names), fault_type);
}

const char *nvsvm_fault_client_name(uint32_t client)
{
	static const char *const names[] = {
		[0] = "none",
		[DRM_NVSVM_FAULT_CLIENT_SM] = "SM",
		[DRM_NVSVM_FAULT_CLIENT_HOST] = "host",
	};

	return name_of(names, ARRAY_SIZE(names), client);
}

const char *nvsvm_fault_reason_name(uint32_t reason)
{
	static const char *const names[] = {
		[0] = "none",
		[DRM_NVSVM_FAULT_REASON_UNMAPPED] = "nothing is mapped there",
		[DRM_NVSVM_FAULT_REASON_PROTECTION] = "the mapping does not allow the access",
		[DRM_NVSVM_FAULT_REASON_OUT_OF_RANGE] = "the address is outside the VM's user range",
		[DRM_NVSVM_FAULT_REASON_NO_MEMORY] = "out of memory servicing the fault",
		[DRM_NVSVM_FAULT_REASON_PROCESS_GONE] = "the process has exited",
		[DRM_NVSVM_FAULT_REASON_BUSY] = "the range kept changing",
		[DRM_NVSVM_FAULT_REASON_UNSUPPORTED] = "the access is not supported on that memory",
	};

	return name_of(names, ARRAY_SIZE(names), reason);
}

char *nvsvm_channel_error_format(const struct nvsvm_channel_error *err, char *buf,
				 size_t size)
{
	if (!size)
		return buf;
	switch (err->error) {
	case DRM_NVSVM_CHANNEL_ERROR_NONE:
		snprintf(buf, size, "no error");
		break;
	case DRM_NVSVM_CHANNEL_ERROR_MMU_FAULT:
		snprintf(buf, size, "%s: %s at %#llx (%s) by the %s%s%s",
			 nvsvm_channel_error_name(err->error), nvsvm_access_name(err->access),
			 (unsigned long long)err->address, nvsvm_fault_type_name(err->fault_type),
			 nvsvm_fault_client_name(err->client), err->reason ? ": " : "",
			 err->reason ? nvsvm_fault_reason_name(err->reason) : "");
		break;
	case DRM_NVSVM_CHANNEL_ERROR_INVALID_METHOD:
		snprintf(buf, size, "%s at %#llx", nvsvm_channel_error_name(err->error),
			 (unsigned long long)err->address);
		break;
	default:
		if (err->address)
			snprintf(buf, size, "%s (%u), address %#llx",
				 nvsvm_channel_error_name(err->error), err->error,
				 (unsigned long long)err->address);
		else
			snprintf(buf, size, "%s (%u)", nvsvm_channel_error_name(err->error),
				 err->error);
		break;
	}
	return buf;
}

/* ---- Jobs ---------------------------------------------------------------- */

int nvsvm_exec(struct nvsvm_device *dev, uint32_t channel,
	       const struct drm_nvsvm_push *pushes, uint32_t push_count,
	       const struct drm_nvsvm_sync *in, uint32_t in_count,
	       const struct drm_nvsvm_sync *out, uint32_t out_count)
{
	struct drm_nvsvm_exec args = {
		.channel = channel,
		.push_count = push_count,
		.in_sync_count = in_count,
		.out_sync_count = out_count,
		.pushes = (uintptr_t)pushes,
		.in_syncs = (uintptr_t)in,
		.out_syncs = (uintptr_t)out,
	};

	return dev_ioctl(dev, DRM_IOCTL_NVSVM_EXEC, &args);
}

int nvsvm_exec_wait(struct nvsvm_device *dev, uint32_t channel,
		    const struct drm_nvsvm_push *pushes, uint32_t count,
		    int64_t timeout_ns, int *fence_status)
{
	struct drm_nvsvm_sync out = { 0 };
	int ret, status = 0;

	ret = nvsvm_syncobj_create(dev, 0, &out.handle);
	if (ret)
		goto done;
	ret = nvsvm_exec(dev, channel, pushes, count, NULL, 0, &out, 1);
	if (!ret)
		ret = nvsvm_syncobj_wait(dev, out.handle, 0, timeout_ns);
	if (!ret)
		ret = nvsvm_syncobj_fence_status(dev, out.handle, 0, &status);
	if (!ret && status == 0)	/* waited for it, yet not signalled */
		ret = -EIO;
	if (!ret && status < 0)
		ret = status;
	nvsvm_syncobj_destroy(dev, out.handle);
done:
	if (fence_status)
		*fence_status = status;
	return ret;
}

/* ---- Syncobjs ------------------------------------------------------------ */

int nvsvm_syncobj_create(struct nvsvm_device *dev, uint32_t flags, uint32_t *handle)
{
	if (flags & ~NVSVM_SYNCOBJ_SIGNALED)
		return -EINVAL;
	errno = 0;
	return drm_ret(drmSyncobjCreate(nvsvm_device_fd(dev), flags, handle));
}

int nvsvm_syncobj_destroy(struct nvsvm_device *dev, uint32_t handle)
{
	errno = 0;
	return drm_ret(drmSyncobjDestroy(nvsvm_device_fd(dev), handle));
}

/* CLOCK_MONOTONIC + @timeout_ns as the kernel's absolute timeout. */
static int64_t abs_timeout(int64_t timeout_ns)
{
	struct timespec ts;
	int64_t now;

	if (timeout_ns < 0)
		return INT64_MAX;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	return timeout_ns > INT64_MAX - now ? INT64_MAX : now + timeout_ns;
}

int nvsvm_syncobj_wait(struct nvsvm_device *dev, uint32_t handle, uint64_t point,
		       int64_t timeout_ns)
{
	int fd = nvsvm_device_fd(dev);
	uint32_t flags = DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT;
	int64_t deadline = abs_timeout(timeout_ns);
	int ret;

	errno = 0;
	if (point)
		ret = drmSyncobjTimelineWait(fd, &handle, &point, 1, deadline, flags, NULL);
	else
		ret = drmSyncobjWait(fd, &handle, 1, deadline, flags, NULL);
	return drm_ret(ret);	/* -ETIME on timeout */
}

/*
 * Status of the fence in the sync file @fd. A timeline point's fence is a
 * chain whose own status shows no error: look at the fences it is made of
 * too, so that one's error is seen.
 */
static int sync_file_status(int fd, int *status)
{
	struct sync_fence_info *fences;
	struct sync_file_info info;
	uint32_t i, n;

	memset(&info, 0, sizeof(info));
	if (ioctl(fd, SYNC_IOC_FILE_INFO, &info))
		return -errno;
	*status = info.status;
	n = info.num_fences;
	if (n <= 1 || *status < 0)
		return 0;

	fences = calloc(n, sizeof(*fences));
	if (!fences)
		return -ENOMEM;
	memset(&info, 0, sizeof(info));
	info.num_fences = n;
	info.sync_fence_info = (uintptr_t)fences;
	/* Links that signal drop out of a chain: n stays enough. */
	if (ioctl(fd, SYNC_IOC_FILE_INFO, &info) == 0) {
		for (i = 0; i < info.num_fences && i < n; i++) {
			if (fences[i].status < 0) {
				*status = fences[i].status;
				break;
			}
		}
	}
	free(fences);
	return 0;
}

int nvsvm_syncobj_fence_status(struct nvsvm_device *dev, uint32_t handle,
			       uint64_t point, int *status)
{
	int fd = nvsvm_device_fd(dev);
	uint32_t binary = handle;
	int sync_fd = -1, ret;

	if (point) {
		/* A sync file holds one fence: move the point's to a binary syncobj. */
		ret = nvsvm_syncobj_create(dev, 0, &binary);
		if (ret)
			return ret;
		errno = 0;
		ret = drm_ret(drmSyncobjTransfer(fd, binary, 0, handle, point, 0));
		if (ret)
			goto out;
	}
	errno = 0;
	ret = drm_ret(drmSyncobjExportSyncFile(fd, binary, &sync_fd));
	if (ret)
		goto out;
	ret = sync_file_status(sync_fd, status);
	close(sync_fd);
out:
	if (binary != handle)
		nvsvm_syncobj_destroy(dev, binary);
	return ret;
}

/* ---- Buffers ------------------------------------------------------------- */

int nvsvm_buffer_create(struct nvsvm_device *dev, uint64_t size, uint32_t bind_flags,
			struct nvsvm_buffer *buf)
{
	struct nvsvm_buffer b = { 0 };
	int ret;

	memset(buf, 0, sizeof(*buf));
	ret = nvsvm_bo_create(dev, size, &b.handle, &b.size);
	if (ret)
		return ret;
	ret = nvsvm_bo_mmap(dev, b.handle, b.size, &b.cpu);
	if (ret)
		goto err_close;
	b.va = (uintptr_t)b.cpu;
	if (b.va + b.size > DRM_NVSVM_VA_USER_END || b.va + b.size < b.va) {
		ret = -ERANGE;	/* not below 2^47: cannot be the GPU VA */
		goto err_unmap;
	}
	ret = nvsvm_vm_map(dev, b.handle, 0, b.va, b.size, bind_flags);
	if (ret)
		goto err_unmap;
	*buf = b;
	return 0;

err_unmap:
	munmap(b.cpu, b.size);
err_close:
	nvsvm_bo_close(dev, b.handle);
	return ret;
}

void nvsvm_buffer_destroy(struct nvsvm_device *dev, struct nvsvm_buffer *buf)
{
	if (!buf->cpu)
		return;
	nvsvm_vm_unmap(dev, buf->va, buf->size);
	munmap(buf->cpu, buf->size);
	nvsvm_bo_close(dev, buf->handle);
	memset(buf, 0, sizeof(*buf));
}
