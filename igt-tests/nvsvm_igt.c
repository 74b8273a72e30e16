// SPDX-License-Identifier: MIT
/* Copyright 2026 The nvsvm authors */

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/sync_file.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>
#include <xf86drm.h>

#include "nvsvm_asm.h"
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

/*
 * The sysfs file of a module parameter: the driver's (nvsvm) or the
 * emulator's (nvsvm_sim); no name is both.
 */
static void nvsvm_igt_param_path(char *path, size_t size, const char *name)
{
	snprintf(path, size, "/sys/module/nvsvm/parameters/%s", name);
	if (access(path, F_OK))
		snprintf(path, size, "/sys/module/nvsvm_sim/parameters/%s", name);
}

unsigned long nvsvm_igt_module_param(const char *name)
{
	char path[256];
	unsigned long v;
	FILE *f;
	int n;

	nvsvm_igt_param_path(path, sizeof(path), name);
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

uint64_t nvsvm_igt_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

uint64_t nvsvm_igt_get_param(int fd, uint32_t param)
{
	struct drm_nvsvm_get_param args = { .param = param };

	igt_assert_eq(nvsvm_igt_ioctl(fd, DRM_IOCTL_NVSVM_GET_PARAM, &args), 0);
	return args.value;
}

/* Module parameters to put back at exit. */
static struct {
	char name[64];
	unsigned long value;
} saved_params[8];
static unsigned int nr_saved_params;

static int module_param_write(const char *name, unsigned long value)
{
	char path[256], buf[32];
	int fd, len, ret;

	nvsvm_igt_param_path(path, sizeof(path), name);
	len = snprintf(buf, sizeof(buf), "%lu", value);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = write(fd, buf, len) == len ? 0 : -errno;
	close(fd);
	return ret;
}

static void restore_module_params(void)
{
	unsigned int i;

	for (i = 0; i < nr_saved_params; i++)
		module_param_write(saved_params[i].name, saved_params[i].value);
}

void nvsvm_igt_module_param_set(const char *name, unsigned long value)
{
	unsigned int i;
	int ret;

	for (i = 0; i < nr_saved_params; i++)
		if (!strcmp(saved_params[i].name, name))
			break;
	if (i == nr_saved_params) {
		igt_assert(i < sizeof(saved_params) / sizeof(saved_params[0]));
		igt_assert(strlen(name) < sizeof(saved_params[i].name));
		saved_params[i].value = nvsvm_igt_module_param(name);
		strcpy(saved_params[i].name, name);
		if (nr_saved_params++ == 0)
			atexit(restore_module_params);
	}
	ret = module_param_write(name, value);
	igt_assert_f(ret == 0, "cannot set nvsvm parameter %s to %lu: %s\n",
		     name, value, strerror(-ret));
	igt_assert_eq_u64(nvsvm_igt_module_param(name), value);
}

static void bo_create_map(struct nvsvm_device *dev, uint64_t size, struct nvsvm_igt_bo *bo)
{
	uint64_t real = 0;
	void *ptr = NULL;

	memset(bo, 0, sizeof(*bo));
	bo->dev = dev;
	igt_assert_eq(nvsvm_bo_create(dev, size, &bo->handle, &real), 0);
	igt_assert_eq_u64(real, size);
	igt_assert_eq(nvsvm_bo_mmap(dev, bo->handle, size, &ptr), 0);
	bo->ptr = ptr;
	bo->size = size;
}

void nvsvm_igt_bo_new_at(struct nvsvm_device *dev, uint64_t size, uint64_t va,
			 uint32_t bind_flags, struct nvsvm_igt_bo *bo)
{
	bo_create_map(dev, size, bo);
	if (!va)
		va = (uintptr_t)bo->ptr;
	igt_assert_eq(nvsvm_vm_map(dev, bo->handle, 0, va, size, bind_flags), 0);
	bo->va = va;
}

void nvsvm_igt_bo_new(struct nvsvm_device *dev, uint64_t size, uint32_t bind_flags,
		      struct nvsvm_igt_bo *bo)
{
	nvsvm_igt_bo_new_at(dev, size, 0, bind_flags, bo);
}

void nvsvm_igt_bo_unbind(struct nvsvm_igt_bo *bo)
{
	igt_assert(bo->va);
	igt_assert_eq(nvsvm_vm_unmap(bo->dev, bo->va, bo->size), 0);
	bo->va = 0;
}

void nvsvm_igt_bo_free(struct nvsvm_igt_bo *bo)
{
	if (bo->va)
		nvsvm_igt_bo_unbind(bo);
	igt_assert_eq(munmap(bo->ptr, bo->size), 0);
	igt_assert_eq(nvsvm_bo_close(bo->dev, bo->handle), 0);
	memset(bo, 0, sizeof(*bo));
}

void *nvsvm_igt_bo_alloc(struct nvsvm_igt_bo *bo, uint64_t bytes, uint64_t align)
{
	uint64_t start = (bo->used + align - 1) & ~(align - 1);

	igt_assert(align && !(align & (align - 1)));
	igt_assert_f(start <= bo->size && bytes <= bo->size - start,
		     "test BO of %#llx bytes is full\n", (unsigned long long)bo->size);
	bo->used = start + bytes;
	memset(bo->ptr + start, 0, bytes);
	return bo->ptr + start;
}

uint64_t nvsvm_igt_bo_va(const struct nvsvm_igt_bo *bo, const void *p)
{
	const uint8_t *b = p;

	igt_assert(bo->va);
	igt_assert(b >= bo->ptr && b < bo->ptr + bo->size);
	return bo->va + (uint64_t)(b - bo->ptr);
}

uint64_t nvsvm_igt_unmapped_va(uint64_t size)
{
	void *p = mmap(NULL, size, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	igt_assert(p != MAP_FAILED);
	return (uintptr_t)p;
}

uint64_t nvsvm_igt_bo_code(struct nvsvm_igt_bo *bo, const char *src, size_t *words)
{
	uint64_t *code = NULL, *dst;
	size_t count = 0, i;
	char err[256];
	int ret;

	ret = nvsvm_assemble(src, &code, &count, err, sizeof(err));
	igt_assert_f(ret == 0, "kernel does not assemble: %s\n", err);
	dst = nvsvm_igt_bo_alloc(bo, count ? count * 8 : 8, 8);
	for (i = 0; i < count; i++)
		dst[i] = htole64(code[i]);
	free(code);
	if (words)
		*words = count;
	return nvsvm_igt_bo_va(bo, dst);
}

void nvsvm_igt_push_begin(struct nvsvm_igt_bo *bo, struct nvsvm_push *p, size_t bytes)
{
	nvsvm_push_init(p, nvsvm_igt_bo_alloc(bo, bytes, 16), bytes);
}

struct drm_nvsvm_push nvsvm_igt_push_end(const struct nvsvm_igt_bo *bo,
					 const struct nvsvm_push *p)
{
	int dwords = nvsvm_push_end(p);

	igt_assert_f(dwords > 0, "push buffer overflow or empty: %d\n", dwords);
	return (struct drm_nvsvm_push){
		.va = nvsvm_igt_bo_va(bo, p->dw),
		.dwords = dwords,
	};
}

int __nvsvm_igt_channel_alloc(int fd, uint32_t *channel)
{
	struct drm_nvsvm_channel_alloc args = { .flags = 0 };
	int ret = nvsvm_igt_ioctl(fd, DRM_IOCTL_NVSVM_CHANNEL_ALLOC, &args);

	*channel = ret ? 0 : args.channel;
	return ret;
}

uint32_t nvsvm_igt_channel_alloc(int fd)
{
	uint32_t channel;
	int ret = __nvsvm_igt_channel_alloc(fd, &channel);

	igt_assert_f(ret == 0, "CHANNEL_ALLOC: %s\n", strerror(-ret));
	igt_assert_neq(channel, 0);
	return channel;
}

int __nvsvm_igt_channel_free(int fd, uint32_t channel)
{
	struct drm_nvsvm_channel_free args = { .channel = channel };

	return nvsvm_igt_ioctl(fd, DRM_IOCTL_NVSVM_CHANNEL_FREE, &args);
}

void nvsvm_igt_channel_free(int fd, uint32_t channel)
{
	igt_assert_eq(__nvsvm_igt_channel_free(fd, channel), 0);
}

void nvsvm_igt_chanset_init(struct nvsvm_igt_chanset *set, int gpu)
{
	struct nvsvm_device *dev = nvsvm_igt_open(gpu);

	memset(set, 0, sizeof(*set));
	set->gpu = gpu;
	set->per_file = nvsvm_igt_get_param(nvsvm_device_fd(dev),
					    DRM_NVSVM_PARAM_CHANNELS_PER_FILE);
	igt_assert_lte(1, set->per_file);
	set->files[0] = dev;
	set->nfiles = 1;
}

int nvsvm_igt_chanset_alloc(struct nvsvm_igt_chanset *set)
{
	unsigned int f = set->nfiles - 1;
	uint32_t id;
	int ret;

	igt_assert_lt(set->count, NVSVM_IGT_MAX_CHANNELS);
	if (set->held[f] == set->per_file) {
		igt_assert_lt(set->nfiles, NVSVM_IGT_MAX_CHANNELS);
		f = set->nfiles++;
		set->files[f] = nvsvm_igt_open(set->gpu);
	}
	ret = __nvsvm_igt_channel_alloc(nvsvm_device_fd(set->files[f]), &id);
	if (ret)
		return ret;
	igt_assert_neq(id, 0);
	set->held[f]++;
	set->chans[set->count].file = f;
	set->chans[set->count].id = id;
	set->count++;
	return 0;
}

void nvsvm_igt_chanset_free(struct nvsvm_igt_chanset *set, unsigned int i)
{
	unsigned int f = set->chans[i].file;

	igt_assert_lt(i, set->count);
	nvsvm_igt_channel_free(nvsvm_device_fd(set->files[f]), set->chans[i].id);
	set->held[f]--;
	set->chans[i] = set->chans[--set->count];
}

void nvsvm_igt_chanset_close_file(struct nvsvm_igt_chanset *set, unsigned int f)
{
	unsigned int i;

	igt_assert(f < set->nfiles && set->files[f]);
	nvsvm_device_close(set->files[f]);
	set->files[f] = NULL;
	set->held[f] = 0;
	for (i = 0; i < set->count;) {
		if (set->chans[i].file == f)
			set->chans[i] = set->chans[--set->count];
		else
			i++;
	}
	/* A closed last file is not allocated from: start a new one. */
	if (f == set->nfiles - 1) {
		set->files[set->nfiles] = nvsvm_igt_open(set->gpu);
		set->nfiles++;
	}
}

void nvsvm_igt_chanset_fini(struct nvsvm_igt_chanset *set)
{
	unsigned int f;

	for (f = 0; f < set->nfiles; f++)
		if (set->files[f])
			nvsvm_device_close(set->files[f]);
	memset(set, 0, sizeof(*set));
}

void nvsvm_igt_channel_get_error(int fd, uint32_t channel,
				 struct drm_nvsvm_channel_get_error *err)
{
	memset(err, 0, sizeof(*err));
	err->channel = channel;
	igt_assert_eq(nvsvm_igt_ioctl(fd, DRM_IOCTL_NVSVM_CHANNEL_GET_ERROR, err), 0);
	igt_debug("channel %u: error %u access %u fault_type %u client %u address %#llx\n",
		  channel, err->error, err->access, err->fault_type, err->client,
		  (unsigned long long)err->address);
}

int nvsvm_igt_exec(int fd, uint32_t channel,
		   const struct drm_nvsvm_push *pushes, uint32_t push_count,
		   const struct drm_nvsvm_sync *in_syncs, uint32_t in_count,
		   const struct drm_nvsvm_sync *out_syncs, uint32_t out_count)
{
	struct drm_nvsvm_exec args = {
		.channel = channel,
		.push_count = push_count,
		.in_sync_count = in_count,
		.out_sync_count = out_count,
		.pushes = (uintptr_t)pushes,
		.in_syncs = (uintptr_t)in_syncs,
		.out_syncs = (uintptr_t)out_syncs,
	};

	return nvsvm_igt_ioctl(fd, DRM_IOCTL_NVSVM_EXEC, &args);
}

uint32_t nvsvm_igt_syncobj(int fd)
{
	uint32_t h = 0;

	igt_assert_eq(drmSyncobjCreate(fd, 0, &h), 0);
	return h;
}

uint32_t nvsvm_igt_syncobj_signalled(int fd)
{
	uint32_t h = 0;

	igt_assert_eq(drmSyncobjCreate(fd, DRM_SYNCOBJ_CREATE_SIGNALED, &h), 0);
	return h;
}

void nvsvm_igt_syncobj_destroy(int fd, uint32_t syncobj)
{
	igt_assert_eq(drmSyncobjDestroy(fd, syncobj), 0);
}

uint32_t nvsvm_igt_submit(int fd, uint32_t channel, const struct drm_nvsvm_push *pushes,
			  uint32_t push_count, uint32_t in)
{
	struct drm_nvsvm_sync in_sync = { .handle = in };
	struct drm_nvsvm_sync out_sync = { .handle = nvsvm_igt_syncobj(fd) };
	int ret;

	ret = nvsvm_igt_exec(fd, channel, pushes, push_count, &in_sync, in ? 1 : 0,
			     &out_sync, 1);
	igt_assert_f(ret == 0, "EXEC on channel %u: %s\n", channel, strerror(-ret));
	return out_sync.handle;
}

uint32_t nvsvm_igt_submit_push(int fd, uint32_t channel, struct drm_nvsvm_push push)
{
	return nvsvm_igt_submit(fd, channel, &push, 1, 0);
}

int nvsvm_igt_syncobj_wait(int fd, uint32_t syncobj, uint64_t point, unsigned int timeout_ms)
{
	struct timespec ts;
	int64_t abs;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	abs = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec + (int64_t)timeout_ms * 1000000;
	if (point)
		return drmSyncobjTimelineWait(fd, &syncobj, &point, 1, abs, 0, NULL);
	return drmSyncobjWait(fd, &syncobj, 1, abs, 0, NULL);
}

bool nvsvm_igt_syncobj_has_fence(int fd, uint32_t syncobj)
{
	int ret = drmSyncobjWait(fd, &syncobj, 1, 0, 0, NULL);

	igt_assert_f(ret == 0 || ret == -ETIME || ret == -EINVAL,
		     "syncobj wait: %s\n", strerror(-ret));
	return ret != -EINVAL;
}

int nvsvm_igt_fence_status(int fd, uint32_t syncobj)
{
	struct drm_syncobj_handle args = {
		.handle = syncobj,
		.flags = DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE,
		.fd = -1,
	};
	struct sync_file_info info;
	int ret;

	ret = nvsvm_igt_ioctl(fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &args);
	igt_assert_f(ret == 0, "exporting syncobj %u as a sync file: %s\n",
		     syncobj, strerror(-ret));
	memset(&info, 0, sizeof(info));
	ret = nvsvm_igt_ioctl(args.fd, SYNC_IOC_FILE_INFO, &info);
	close(args.fd);
	igt_assert_f(ret == 0, "SYNC_IOC_FILE_INFO: %s\n", strerror(-ret));
	return info.status;
}

int nvsvm_igt_wait_status(int fd, uint32_t syncobj, unsigned int timeout_ms)
{
	int ret = nvsvm_igt_syncobj_wait(fd, syncobj, 0, timeout_ms);

	igt_assert_f(ret == 0, "syncobj %u did not signal within %u ms: %s\n",
		     syncobj, timeout_ms, strerror(-ret));
	ret = nvsvm_igt_fence_status(fd, syncobj);
	igt_assert_f(ret != 0, "syncobj %u signalled but its fence did not\n", syncobj);
	return ret;
}

int nvsvm_igt_run(int fd, uint32_t channel, struct drm_nvsvm_push push)
{
	uint32_t s = nvsvm_igt_submit_push(fd, channel, push);
	int status = nvsvm_igt_wait_status(fd, s, NVSVM_IGT_JOB_TIMEOUT_MS);

	nvsvm_igt_syncobj_destroy(fd, s);
	return status;
}

uint32_t nvsvm_igt_launch(int fd, uint32_t channel, struct nvsvm_igt_bo *bo,
			  uint64_t code_va, uint64_t param_va,
			  uint32_t blocks, uint32_t threads)
{
	struct nvsvm_push p;

	nvsvm_igt_push_begin(bo, &p, 64);
	nvsvm_push_launch(&p, code_va, param_va, blocks, threads);
	return nvsvm_igt_submit_push(fd, channel, nvsvm_igt_push_end(bo, &p));
}

/* The emulator's board of the render node @fd: "nvsvm-gpu0", ... */
static void sim_board(int fd, char *board, size_t size)
{
	char link[128], target[512], *base;
	struct stat st;
	ssize_t n;

	igt_assert_eq(fstat(fd, &st), 0);
	snprintf(link, sizeof(link), "/sys/dev/char/%u:%u/device",
		 major(st.st_rdev), minor(st.st_rdev));
	n = readlink(link, target, sizeof(target) - 1);
	igt_assert_f(n > 0, "cannot read %s: %s\n", link, strerror(errno));
	target[n] = 0;
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	igt_assert_lt(strlen(base), size);
	memcpy(board, base, strlen(base) + 1);
}

static void sim_knob_path(int fd, const char *knob, char *path, size_t size)
{
	char board[64];
	int n;

	sim_board(fd, board, sizeof(board));
	n = snprintf(path, size, "/sys/kernel/debug/nvsvm-sim/%s/%s", board, knob);
	igt_assert(n > 0 && (size_t)n < size);
}

static int knob_write(const char *path, unsigned long value)
{
	char buf[32];
	int f, len, ret;

	len = snprintf(buf, sizeof(buf), "%lu", value);
	f = open(path, O_WRONLY | O_CLOEXEC);
	if (f < 0)
		return -errno;
	ret = write(f, buf, len) == len ? 0 : -errno;
	close(f);
	return ret;
}

/* Knobs to disarm at exit. */
static char armed_knobs[8][256];
static unsigned int nr_armed_knobs;

static void disarm_knobs(void)
{
	unsigned int i;

	for (i = 0; i < nr_armed_knobs; i++)
		knob_write(armed_knobs[i], 0);
}

void nvsvm_igt_require_sim_knob(int fd, const char *knob)
{
	char path[256];

	sim_knob_path(fd, knob, path, sizeof(path));
	igt_require_f(access(path, W_OK) == 0,
		      "the emulator has no fault-injection knob %s\n", path);
}

void nvsvm_igt_sim_knob_set(int fd, const char *knob, unsigned long value)
{
	char path[256];
	unsigned int i;
	int ret;

	sim_knob_path(fd, knob, path, sizeof(path));
	for (i = 0; i < nr_armed_knobs; i++)
		if (!strcmp(armed_knobs[i], path))
			break;
	if (i == nr_armed_knobs) {
		igt_assert(i < sizeof(armed_knobs) / sizeof(armed_knobs[0]));
		memcpy(armed_knobs[i], path, sizeof(path));
		if (nr_armed_knobs++ == 0)
			atexit(disarm_knobs);
	}
	ret = knob_write(path, value);
	igt_assert_f(ret == 0, "cannot write %lu to %s: %s\n", value, path, strerror(-ret));
}

unsigned long nvsvm_igt_sim_knob_get(int fd, const char *knob)
{
	char path[256];
	unsigned long v;
	FILE *f;
	int n;

	sim_knob_path(fd, knob, path, sizeof(path));
	f = fopen(path, "r");
	igt_assert_f(f, "cannot open %s: %s\n", path, strerror(errno));
	n = fscanf(f, "%lu", &v);
	fclose(f);
	igt_assert_f(n == 1, "cannot parse %s\n", path);
	return v;
}

bool nvsvm_igt_sim_knob_wait_zero(int fd, const char *knob, unsigned int timeout_ms)
{
	uint64_t t0 = nvsvm_igt_now_ms();

	while (nvsvm_igt_sim_knob_get(fd, knob)) {
		if (nvsvm_igt_now_ms() - t0 > timeout_ms)
			return false;
		usleep(1000);
	}
	return true;
}

#define MAX_HW_LINES	64

struct hw_line {
	struct nvsvm_igt_chan_hw hw;
	int pid;
	uint32_t id;
};

/* The driver's debugfs "channels" file of @fd's device, parsed. */
static unsigned int read_channels(int fd, struct hw_line *lines)
{
	char path[128], buf[256];
	unsigned int n = 0;
	struct stat st;
	FILE *f;

	igt_assert_eq(fstat(fd, &st), 0);
	snprintf(path, sizeof(path), "/sys/kernel/debug/dri/%u/channels", minor(st.st_rdev));
	f = fopen(path, "r");
	igt_assert_f(f, "cannot open %s: %s\n", path, strerror(errno));
	while (n < MAX_HW_LINES && fgets(buf, sizeof(buf), f)) {
		struct hw_line *l = &lines[n];
		unsigned long long inst, client;

		if (sscanf(buf, "chan %u inst %llx tag %u pid %d client %llu id %u",
			   &l->hw.hw_id, &inst, &l->hw.tag, &l->pid, &client, &l->id) == 6) {
			l->hw.inst = inst;
			n++;
		}
	}
	fclose(f);
	return n;
}

uint32_t nvsvm_igt_channel_alloc_hw(int fd, struct nvsvm_igt_chan_hw *hw)
{
	struct hw_line before[MAX_HW_LINES], after[MAX_HW_LINES];
	unsigned int nb, na, i, j, found = 0;
	uint32_t id;

	nb = read_channels(fd, before);
	id = nvsvm_igt_channel_alloc(fd);
	na = read_channels(fd, after);
	for (i = 0; i < na; i++) {
		if (after[i].pid != getpid() || after[i].id != id)
			continue;
		for (j = 0; j < nb; j++)
			if (before[j].hw.hw_id == after[i].hw.hw_id &&
			    before[j].hw.tag == after[i].hw.tag)
				break;
		if (j < nb)
			continue;
		*hw = after[i].hw;
		found++;
	}
	igt_assert_f(found == 1, "channel %u: %u new lines in debugfs channels\n", id, found);
	return id;
}

/* ---- Shared virtual memory (uAPI 1.3) ------------------------------------ */

/* Headers of this part only, here so that the parts above stay as they were. */
#include <limits.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

int __nvsvm_igt_svm_init(int fd, uint64_t bo_va, uint64_t bo_range)
{
	struct drm_nvsvm_svm_init args = { .bo_va = bo_va, .bo_range = bo_range };

	return nvsvm_igt_ioctl(fd, DRM_IOCTL_NVSVM_SVM_INIT, &args);
}

void nvsvm_igt_svm_init(int fd, uint64_t bo_va, uint64_t bo_range)
{
	int ret = __nvsvm_igt_svm_init(fd, bo_va, bo_range);

	igt_assert_f(ret == 0, "SVM_INIT(bo_va %#llx, bo_range %#llx): %s\n",
		     (unsigned long long)bo_va, (unsigned long long)bo_range, strerror(-ret));
}

int __nvsvm_igt_wait_user_fence(int fd, uint64_t va, uint64_t value, uint64_t mask,
				uint32_t op, int64_t timeout_ns, uint32_t channel)
{
	struct drm_nvsvm_wait_user_fence args = {
		.va = va,
		.value = value,
		.mask = mask,
		.timeout_ns = timeout_ns,
		.op = op,
		.channel = channel,
	};

	/* nvsvm_igt_ioctl() passes the same arguments again: the time left. */
	return nvsvm_igt_ioctl(fd, DRM_IOCTL_NVSVM_WAIT_USER_FENCE, &args);
}

int __nvsvm_igt_exec_fence(int fd, uint32_t channel, const struct drm_nvsvm_push *pushes,
			   uint32_t count, uint64_t fence_va, uint64_t fence_value)
{
	struct drm_nvsvm_exec args = {
		.channel = channel,
		.push_count = count,
		.pushes = (uintptr_t)pushes,
		.user_fence_va = fence_va,
		.user_fence_value = fence_value,
	};

	return nvsvm_igt_ioctl(fd, DRM_IOCTL_NVSVM_EXEC, &args);
}

#define NVSVM_IGT_JOB_BYTES	4096

void nvsvm_igt_job_init(struct nvsvm_igt_job *job, int fd, uint32_t channel)
{
	static uint64_t next_value = 0x5eed000000000001ull;

	memset(job, 0, sizeof(*job));
	job->fd = fd;
	job->channel = channel;
	job->buf = malloc(NVSVM_IGT_JOB_BYTES);
	job->fence = calloc(1, sizeof(*job->fence));
	igt_assert(job->buf && job->fence);
	/* A value of its own, so that no other job's fence can be taken for it. */
	job->value = next_value++;
	nvsvm_push_init(&job->push, job->buf, NVSVM_IGT_JOB_BYTES);
}

int __nvsvm_igt_job_submit(struct nvsvm_igt_job *job)
{
	struct drm_nvsvm_push push;
	int dwords = nvsvm_push_end(&job->push);

	igt_assert_f(dwords > 0, "push buffer overflow or empty: %d\n", dwords);
	push = (struct drm_nvsvm_push){ .va = (uintptr_t)job->buf, .dwords = dwords };
	return __nvsvm_igt_exec_fence(job->fd, job->channel, &push, 1, (uintptr_t)job->fence,
				      job->value);
}

void nvsvm_igt_job_submit(struct nvsvm_igt_job *job)
{
	int ret = __nvsvm_igt_job_submit(job);

	igt_assert_f(ret == 0, "EXEC on channel %u: %s\n", job->channel, strerror(-ret));
}

int nvsvm_igt_job_wait(struct nvsvm_igt_job *job, unsigned int timeout_ms)
{
	int ret = __nvsvm_igt_wait_user_fence(job->fd, (uintptr_t)job->fence, job->value, ~0ull,
					      DRM_NVSVM_WAIT_EQ,
					      (int64_t)timeout_ms * 1000000, job->channel);

	if (ret == 0)
		igt_assert_eq_u64(NVSVM_IGT_READ(*job->fence), job->value);
	return ret;
}

void nvsvm_igt_job_fini(struct nvsvm_igt_job *job)
{
	free(job->buf);
	free(job->fence);
	memset(job, 0, sizeof(*job));
}

uint64_t *nvsvm_igt_svm_code(const char *src)
{
	uint64_t *code = NULL;
	size_t count = 0;
	char err[256];
	int ret;

	ret = nvsvm_svm_code(src, &code, &count, err, sizeof(err));
	igt_assert_f(ret == 0, "kernel does not assemble: %s\n", err);
	return code;
}

int nvsvm_igt_svm_launch(int fd, uint32_t channel, const uint64_t *code,
			 const void *params, uint32_t blocks, uint32_t threads)
{
	struct nvsvm_igt_job job;
	int ret;

	nvsvm_igt_job_init(&job, fd, channel);
	nvsvm_push_launch(&job.push, (uintptr_t)code, (uintptr_t)params, blocks, threads);
	nvsvm_igt_job_submit(&job);
	ret = nvsvm_igt_job_wait(&job, NVSVM_IGT_SVM_TIMEOUT_MS);
	igt_assert_f(ret != -ETIME, "the job on channel %u did not complete in %u ms\n",
		     channel, NVSVM_IGT_SVM_TIMEOUT_MS);
	nvsvm_igt_job_fini(&job);
	return ret;
}

void nvsvm_igt_assert_svm_fault(int fd, uint32_t channel, uint64_t address, uint32_t access,
				uint32_t fault_type, uint32_t reason, uint32_t client)
{
	struct drm_nvsvm_channel_get_error err;

	nvsvm_igt_channel_get_error(fd, channel, &err);
	igt_info("channel %u: error %u access %u fault_type %u client %u reason %u address %#llx\n",
		 channel, err.error, err.access, err.fault_type, err.client, err.reason,
		 (unsigned long long)err.address);
	igt_assert_eq(err.error, DRM_NVSVM_CHANNEL_ERROR_MMU_FAULT);
	igt_assert_eq_u64(err.address, address);
	igt_assert_eq(err.access, access);
	igt_assert_eq(err.reason, reason);
	igt_assert_eq(err.client, client);
	if (fault_type != NVSVM_IGT_ANY_FAULT_TYPE)
		igt_assert_eq(err.fault_type, fault_type);
	else
		igt_assert(err.fault_type == DRM_NVSVM_FAULT_UNMAPPED ||
			   err.fault_type == DRM_NVSVM_FAULT_PROTECTION ||
			   err.fault_type == DRM_NVSVM_FAULT_ATOMIC);
	igt_assert_eq(err.pad, 0);
}

void nvsvm_igt_svm_stats(struct nvsvm_device *dev, struct nvsvm_svm_stats *stats)
{
	int ret = nvsvm_svm_stats_read(dev, stats);

	igt_require_f(ret != -ENOENT, "no svm_stats in debugfs\n");
	igt_assert_f(ret == 0, "reading svm_stats: %s\n", strerror(-ret));
}

void nvsvm_igt_board_name(int fd, char *name, size_t size)
{
	char path[64], link[256];
	const char *base;
	struct stat st;
	ssize_t n;

	igt_assert_eq(fstat(fd, &st), 0);
	snprintf(path, sizeof(path), "/sys/dev/char/%u:%u/device", major(st.st_rdev),
		 minor(st.st_rdev));
	n = readlink(path, link, sizeof(link) - 1);
	igt_assert_f(n > 0, "readlink %s: %s\n", path, strerror(errno));
	link[n] = '\0';
	base = strrchr(link, '/');
	base = base ? base + 1 : link;
	igt_assert(strlen(base) < size);
	strcpy(name, base);
}

void nvsvm_igt_sim_knob_path(int fd, const char *knob, char *path, size_t size)
{
	char board[128];

	nvsvm_igt_board_name(fd, board, sizeof(board));
	snprintf(path, size, "/sys/kernel/debug/nvsvm-sim/%s/%s", board, knob);
	igt_require_f(access(path, W_OK) == 0, "no fault-injection knob %s: %s\n", path,
		      strerror(errno));
}

void nvsvm_igt_sim_knob_write(const char *path, unsigned long value)
{
	char buf[32];
	int fd, len;

	len = snprintf(buf, sizeof(buf), "%lu", value);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	igt_assert_f(fd >= 0, "open %s: %s\n", path, strerror(errno));
	igt_assert_f(write(fd, buf, len) == len, "write %s: %s\n", path, strerror(errno));
	close(fd);
}

unsigned long nvsvm_igt_sim_knob_read(const char *path)
{
	unsigned long v;
	FILE *f = fopen(path, "r");
	int n;

	igt_assert_f(f, "open %s: %s\n", path, strerror(errno));
	n = fscanf(f, "%lu", &v);
	fclose(f);
	igt_assert_f(n == 1, "cannot parse %s\n", path);
	return v;
}
