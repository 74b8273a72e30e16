// SPDX-License-Identifier: MIT
/* Copyright 2026 The nvsvm authors */

/*
 * nvsvm_svm_uapi: the rejections of uAPI 1.3, one subtest per errno and
 * input, as nvsvm_drm.h documents them: SVM_INIT, VM_BIND on an SVM VM,
 * WAIT_USER_FENCE, EXEC's user fence and out-syncs in fault mode, and
 * PARAM_CHANNELS_PER_FILE. A rejected call must leave the file as it was:
 * where it matters, the subtest shows that the valid call still works
 * afterwards. Subtests that need a file of their own (SVM_INIT is once per
 * file) open one. The whole binary skips on a driver older than uAPI 1.3.
 */

#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xf86drm.h>

#include "nvsvm_igt.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MiB (1ull << 20)
#define END DRM_NVSVM_VA_USER_END

/* Fixture state lives outside main: subtests longjmp out of its frame. */
static struct nvsvm_device *dev;	/* an SVM VM with a 16 MiB BO window */
static int fd = -1;
static uint64_t page;
static uint64_t window;
static uint64_t *word;			/* a readable, 8-byte aligned word */

#define WINDOW_SIZE (16 * MiB)

/* A new file of the GPU, not SVM yet. */
static struct nvsvm_device *fresh(void)
{
	return nvsvm_igt_open(0);
}

static int svm_init_args(int f, struct drm_nvsvm_svm_init *args)
{
	return nvsvm_igt_ioctl(f, DRM_IOCTL_NVSVM_SVM_INIT, args);
}

/* SVM_INIT(@bo_va, @bo_range) on a new file is @err; then (if it failed) a valid one works. */
static void expect_svm_init(uint64_t bo_va, uint64_t bo_range, int err)
{
	struct nvsvm_device *d = fresh();
	int f = nvsvm_device_fd(d);
	int ret = __nvsvm_igt_svm_init(f, bo_va, bo_range);

	igt_assert_f(ret == err, "SVM_INIT(%#llx, %#llx): %d, want %d\n",
		     (unsigned long long)bo_va, (unsigned long long)bo_range, ret, err);
	if (ret)
		nvsvm_igt_svm_init(f, 0, 0);
	nvsvm_device_close(d);
}

/* WAIT_USER_FENCE with @args on the fixture's file must fail with @err. */
static void expect_wait(struct drm_nvsvm_wait_user_fence args, int err)
{
	int ret = nvsvm_igt_ioctl(fd, DRM_IOCTL_NVSVM_WAIT_USER_FENCE, &args);

	igt_assert_f(ret == err, "WAIT_USER_FENCE(va %#llx, op %u, flags %#x, pad %#x, "
		     "timeout %lld, channel %u): %d, want %d\n", (unsigned long long)args.va,
		     args.op, args.flags, args.pad, (long long)args.timeout_ns, args.channel,
		     ret, err);
}

/* A wait that would return at once (-ETIME, the value is not there): valid. */
static struct drm_nvsvm_wait_user_fence valid_wait(void)
{
	return (struct drm_nvsvm_wait_user_fence){
		.va = (uintptr_t)word, .value = 1, .mask = ~0ull, .op = DRM_NVSVM_WAIT_EQ,
		.timeout_ns = 0,
	};
}

/* A NOP push buffer in malloc'd memory, for EXEC on the SVM file. */
static struct drm_nvsvm_push nop_push(void)
{
	uint32_t *pb = malloc(64);

	igt_assert(pb);
	pb[0] = NVSVM_PUSH_HEADER(NVSVM_PUSH_METHOD_NOP, 0);
	return (struct drm_nvsvm_push){ .va = (uintptr_t)pb, .dwords = 1 };
}

/* EXEC of one push buffer with a user fence, and whatever else @args holds. */
static int exec_args(int f, struct drm_nvsvm_exec *args)
{
	return nvsvm_igt_ioctl(f, DRM_IOCTL_NVSVM_EXEC, args);
}

static void free_push(struct drm_nvsvm_push *push)
{
	free((void *)(uintptr_t)push->va);
}

/* Nothing is mapped at [@va, @va + @size) here (msync says so). */
static uint64_t hole(void)
{
	void *p = mmap(NULL, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	igt_assert(p != MAP_FAILED);
	igt_assert_eq(munmap(p, page), 0);
	igt_assert(msync(p, page, MS_ASYNC) == -1 && errno == ENOMEM);
	return (uintptr_t)p;
}

igt_main
{
	igt_fixture {
		dev = nvsvm_igt_open(0);
		fd = nvsvm_device_fd(dev);
		nvsvm_igt_require_uapi(fd, 3);
		page = sysconf(_SC_PAGESIZE);
		window = nvsvm_igt_unmapped_va(WINDOW_SIZE);
		nvsvm_igt_svm_init(fd, window, WINDOW_SIZE);
		word = calloc(1, sizeof(*word));
		igt_assert(word);
	}

	/* SVM_INIT */

	igt_describe("SVM_INIT with an unknown flag (bit 0, bit 31) is -EINVAL, and leaves the file able to do SVM_INIT.");
	igt_subtest("svm-init-flags") {
		static const uint32_t flags[] = { 1, 1u << 31 };
		struct nvsvm_device *d = fresh();
		int f = nvsvm_device_fd(d);
		unsigned int i;

		for (i = 0; i < ARRAY_SIZE(flags); i++) {
			struct drm_nvsvm_svm_init args = { .flags = flags[i] };

			igt_assert_eq(svm_init_args(f, &args), -EINVAL);
		}
		nvsvm_igt_svm_init(f, 0, 0);
		nvsvm_device_close(d);
	}

	igt_describe("SVM_INIT with a non-zero pad is -EINVAL.");
	igt_subtest("svm-init-pad") {
		struct nvsvm_device *d = fresh();
		int f = nvsvm_device_fd(d);
		struct drm_nvsvm_svm_init args = { .pad = 1 };

		igt_assert_eq(svm_init_args(f, &args), -EINVAL);
		nvsvm_igt_svm_init(f, 0, 0);
		nvsvm_device_close(d);
	}

	igt_describe("SVM_INIT with a BO window start that is not page aligned is -EINVAL.");
	igt_subtest("svm-init-misaligned-va") {
		expect_svm_init(window + 0x800, page, -EINVAL);
		expect_svm_init(window + 8, 2 * page, -EINVAL);
	}

	igt_describe("SVM_INIT with a BO window size that is not page aligned is -EINVAL.");
	igt_subtest("svm-init-misaligned-range") {
		expect_svm_init(window, page + 1, -EINVAL);
		expect_svm_init(window, page / 2, -EINVAL);
	}

	igt_describe("SVM_INIT with a BO window that wraps around the address space is -EINVAL.");
	igt_subtest("svm-init-wrapping") {
		expect_svm_init(0xfffffffffffff000ull, 2 * page, -EINVAL);
		expect_svm_init(page, 0xfffffffffffff000ull, -EINVAL);
	}

	igt_describe("SVM_INIT with a BO window ending above DRM_NVSVM_VA_USER_END is -EINVAL; one ending exactly there is accepted.");
	igt_subtest("svm-init-above-user-end") {
		expect_svm_init(END - page, 2 * page, -EINVAL);
		expect_svm_init(END, page, -EINVAL);
		expect_svm_init(0, END + page, -EINVAL);
		expect_svm_init(END - page, page, 0);
	}

	igt_describe("A second SVM_INIT of a file, with the same or another window, is -EBUSY.");
	igt_subtest("svm-init-twice") {
		igt_assert_eq(__nvsvm_igt_svm_init(fd, window, WINDOW_SIZE), -EBUSY);
		igt_assert_eq(__nvsvm_igt_svm_init(fd, 0, 0), -EBUSY);
	}

	igt_describe("SVM_INIT of a file that has a channel is -EBUSY; once the channel is freed it works.");
	igt_subtest("svm-init-with-channels") {
		struct nvsvm_device *d = fresh();
		int f = nvsvm_device_fd(d);
		uint32_t c = nvsvm_igt_channel_alloc(f);

		igt_assert_eq(__nvsvm_igt_svm_init(f, 0, 0), -EBUSY);
		nvsvm_igt_channel_free(f, c);
		nvsvm_igt_svm_init(f, 0, 0);
		nvsvm_device_close(d);
	}

	igt_describe("SVM_INIT of a file with a BO mapping outside the window (or straddling its end) is -EBUSY; a window holding the mapping is accepted.");
	igt_subtest("svm-init-bo-outside-window") {
		struct nvsvm_device *d = fresh();
		int f = nvsvm_device_fd(d);
		struct nvsvm_igt_bo bo;
		uint64_t base = nvsvm_igt_unmapped_va(4 * MiB);

		nvsvm_igt_bo_new_at(d, 2 * page, base + MiB, 0, &bo);
		igt_assert_eq(__nvsvm_igt_svm_init(f, 0, 0), -EBUSY);
		igt_assert_eq(__nvsvm_igt_svm_init(f, base + 2 * MiB, MiB), -EBUSY);
		igt_assert_eq(__nvsvm_igt_svm_init(f, base, MiB + page), -EBUSY);
		nvsvm_igt_svm_init(f, base, 4 * MiB);
		nvsvm_igt_bo_free(&bo);
		nvsvm_device_close(d);
	}

	igt_describe("SVM_INIT with an unreadable argument is -EFAULT.");
	igt_subtest("svm-init-unreadable-arg") {
		struct nvsvm_device *d = fresh();

		nvsvm_igt_assert_unreadable_arg(nvsvm_device_fd(d), DRM_IOCTL_NVSVM_SVM_INIT);
		nvsvm_device_close(d);
	}

	/* VM_BIND on an SVM VM */

	igt_describe("On an SVM VM, VM_BIND MAP outside the BO window (below it, straddling its end, elsewhere) is refused with -EINVAL; inside it works.");
	igt_subtest("vm-bind-outside-window") {
		const uint64_t outside[][2] = {
			{ window - page, page },
			{ window + WINDOW_SIZE - page, 2 * page },
			{ window - page, 2 * page },
			{ nvsvm_igt_unmapped_va(page), page },
		};
		uint32_t handle;
		unsigned int i;

		igt_assert_eq(nvsvm_bo_create(dev, 2 * page, &handle, NULL), 0);
		for (i = 0; i < ARRAY_SIZE(outside); i++) {
			int ret = nvsvm_vm_map(dev, handle, 0, outside[i][0], outside[i][1], 0);

			igt_assert_f(ret == -EINVAL, "MAP at %#llx + %#llx: %d, want -EINVAL\n",
				     (unsigned long long)outside[i][0],
				     (unsigned long long)outside[i][1], ret);
		}
		igt_assert_eq(nvsvm_vm_map(dev, handle, 0, window + WINDOW_SIZE - 2 * page,
					   2 * page, 0), 0);
		igt_assert_eq(nvsvm_vm_unmap(dev, window + WINDOW_SIZE - 2 * page, 2 * page), 0);
		igt_assert_eq(nvsvm_bo_close(dev, handle), 0);
	}

	igt_describe("On an SVM VM with no BO window (bo_range 0), every VM_BIND MAP is -EINVAL.");
	igt_subtest("vm-bind-no-window") {
		struct nvsvm_device *d = fresh();
		uint64_t va = nvsvm_igt_unmapped_va(page);
		uint32_t handle;

		nvsvm_igt_svm_init(nvsvm_device_fd(d), 0, 0);
		igt_assert_eq(nvsvm_bo_create(d, page, &handle, NULL), 0);
		igt_assert_eq(nvsvm_vm_map(d, handle, 0, va, page, 0), -EINVAL);
		igt_assert_eq(nvsvm_vm_map(d, handle, 0, page, page, 0), -EINVAL);
		igt_assert_eq(nvsvm_bo_close(d, handle), 0);
		nvsvm_device_close(d);
	}

	/* WAIT_USER_FENCE */

	igt_describe("WAIT_USER_FENCE with an unknown op (0, 7, 2^32 - 1) is -EINVAL.");
	igt_subtest("wait-op") {
		static const uint32_t ops[] = { 0, DRM_NVSVM_WAIT_LTE + 1, 0xffffffffu };
		unsigned int i;

		for (i = 0; i < ARRAY_SIZE(ops); i++) {
			struct drm_nvsvm_wait_user_fence args = valid_wait();

			args.op = ops[i];
			expect_wait(args, -EINVAL);
		}
		expect_wait(valid_wait(), -ETIME);
	}

	igt_describe("WAIT_USER_FENCE with an unknown flag (bit 0, bit 31) is -EINVAL.");
	igt_subtest("wait-flags") {
		struct drm_nvsvm_wait_user_fence args = valid_wait();

		args.flags = 1;
		expect_wait(args, -EINVAL);
		args.flags = 1u << 31;
		expect_wait(args, -EINVAL);
	}

	igt_describe("WAIT_USER_FENCE with a non-zero pad is -EINVAL.");
	igt_subtest("wait-pad") {
		struct drm_nvsvm_wait_user_fence args = valid_wait();

		args.pad = 1;
		expect_wait(args, -EINVAL);
	}

	igt_describe("WAIT_USER_FENCE at an address that is not 8-byte aligned (+1, +4) is -EINVAL.");
	igt_subtest("wait-misaligned-va") {
		struct drm_nvsvm_wait_user_fence args = valid_wait();

		args.va = (uintptr_t)word + 4;
		expect_wait(args, -EINVAL);
		args.va = (uintptr_t)word + 1;
		expect_wait(args, -EINVAL);
	}

	igt_describe("WAIT_USER_FENCE at an address in the kernel half (DRM_NVSVM_VA_USER_END and above) is -EINVAL.");
	igt_subtest("wait-va-kernel-half") {
		static const uint64_t vas[] = { END, END + 8, 0xfffffffffffffff8ull };
		unsigned int i;

		for (i = 0; i < ARRAY_SIZE(vas); i++) {
			struct drm_nvsvm_wait_user_fence args = valid_wait();

			args.va = vas[i];
			expect_wait(args, -EINVAL);
		}
	}

	igt_describe("WAIT_USER_FENCE with a negative timeout (-1, INT64_MIN) is -EINVAL.");
	igt_subtest("wait-negative-timeout") {
		struct drm_nvsvm_wait_user_fence args = valid_wait();

		args.timeout_ns = -1;
		expect_wait(args, -EINVAL);
		args.timeout_ns = INT64_MIN;
		expect_wait(args, -EINVAL);
	}

	igt_describe("WAIT_USER_FENCE on a file whose VM does not mirror a process (no SVM_INIT) is -EINVAL.");
	igt_subtest("wait-not-svm") {
		struct nvsvm_device *d = fresh();
		struct drm_nvsvm_wait_user_fence args = valid_wait();

		igt_assert_eq(nvsvm_igt_ioctl(nvsvm_device_fd(d), DRM_IOCTL_NVSVM_WAIT_USER_FENCE,
					      &args), -EINVAL);
		nvsvm_device_close(d);
	}

	igt_describe("WAIT_USER_FENCE naming a channel the file does not have (never allocated, or freed) is -ENOENT.");
	igt_subtest("wait-unknown-channel") {
		struct drm_nvsvm_wait_user_fence args = valid_wait();
		uint32_t c = nvsvm_igt_channel_alloc(fd);

		args.channel = c;
		expect_wait(args, -ETIME);
		nvsvm_igt_channel_free(fd, c);
		expect_wait(args, -ENOENT);
		args.channel = 0x7fff;
		expect_wait(args, -ENOENT);
	}

	igt_describe("WAIT_USER_FENCE at an address the process does not map, or maps PROT_NONE, is -EFAULT.");
	igt_subtest("wait-unreadable-va") {
		struct drm_nvsvm_wait_user_fence args = valid_wait();
		void *none = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		igt_assert(none != MAP_FAILED);
		args.va = hole() + 0x10;
		expect_wait(args, -EFAULT);
		args.va = (uintptr_t)none + 0x10;
		expect_wait(args, -EFAULT);
		munmap(none, page);
	}

	igt_describe("WAIT_USER_FENCE with an argument that cannot be read, or written back, is -EFAULT.");
	igt_subtest("wait-unreadable-arg") {
		struct drm_nvsvm_wait_user_fence args = valid_wait();

		nvsvm_igt_assert_unreadable_arg(fd, DRM_IOCTL_NVSVM_WAIT_USER_FENCE);
		nvsvm_igt_assert_unwritable_arg(fd, DRM_IOCTL_NVSVM_WAIT_USER_FENCE, &args,
						sizeof(args));
	}

	/* EXEC in and out of fault mode */

	igt_describe("EXEC on a channel of a BO VM with a user fence address, or a user fence value, is -EINVAL.");
	igt_subtest("exec-user-fence-bo-channel") {
		struct nvsvm_device *d = fresh();
		int f = nvsvm_device_fd(d);
		uint32_t c = nvsvm_igt_channel_alloc(f);
		struct nvsvm_igt_bo bo;
		struct nvsvm_push p;
		struct drm_nvsvm_push push;
		struct drm_nvsvm_exec args;
		uint64_t *fence;

		nvsvm_igt_bo_new(d, page, 0, &bo);
		fence = nvsvm_igt_bo_alloc(&bo, 8, 8);
		nvsvm_igt_push_begin(&bo, &p, 64);
		nvsvm_push_nop(&p, 0);
		push = nvsvm_igt_push_end(&bo, &p);
		args = (struct drm_nvsvm_exec){
			.channel = c, .push_count = 1, .pushes = (uintptr_t)&push,
			.user_fence_va = nvsvm_igt_bo_va(&bo, fence), .user_fence_value = 1,
		};
		igt_assert_eq(exec_args(f, &args), -EINVAL);
		args.user_fence_value = 0;
		igt_assert_eq(exec_args(f, &args), -EINVAL);
		args.user_fence_va = 0;
		args.user_fence_value = 1;
		igt_assert_eq(exec_args(f, &args), -EINVAL);
		args.user_fence_value = 0;
		igt_assert_eq(exec_args(f, &args), 0);	/* the BO VM's way still works */
		nvsvm_igt_channel_free(f, c);
		nvsvm_igt_bo_free(&bo);
		nvsvm_device_close(d);
	}

	igt_describe("EXEC in fault mode with a user fence address not 8-byte aligned (+1, +4) is -EINVAL.");
	igt_subtest("exec-user-fence-misaligned") {
		struct drm_nvsvm_push push = nop_push();
		uint32_t c = nvsvm_igt_channel_alloc(fd);

		igt_assert_eq(__nvsvm_igt_exec_fence(fd, c, &push, 1, (uintptr_t)word + 4, 1),
			      -EINVAL);
		igt_assert_eq(__nvsvm_igt_exec_fence(fd, c, &push, 1, (uintptr_t)word + 1, 1),
			      -EINVAL);
		igt_assert_eq_u64(*word, 0);
		nvsvm_igt_channel_free(fd, c);
		free_push(&push);
	}

	igt_describe("EXEC in fault mode with a user fence in the kernel half (DRM_NVSVM_VA_USER_END and above) is -EINVAL.");
	igt_subtest("exec-user-fence-kernel-half") {
		struct drm_nvsvm_push push = nop_push();
		uint32_t c = nvsvm_igt_channel_alloc(fd);

		igt_assert_eq(__nvsvm_igt_exec_fence(fd, c, &push, 1, END, 1), -EINVAL);
		igt_assert_eq(__nvsvm_igt_exec_fence(fd, c, &push, 1, 0xfffffffffffffff8ull, 1),
			      -EINVAL);
		nvsvm_igt_channel_free(fd, c);
		free_push(&push);
	}

	igt_describe("EXEC in fault mode with an out-sync is -EOPNOTSUPP, and the syncobj gets no fence.");
	igt_subtest("exec-out-sync") {
		struct drm_nvsvm_push push = nop_push();
		uint32_t c = nvsvm_igt_channel_alloc(fd);
		struct drm_nvsvm_sync out = { .handle = nvsvm_igt_syncobj(fd) };
		struct drm_nvsvm_exec args = {
			.channel = c, .push_count = 1, .pushes = (uintptr_t)&push,
			.out_sync_count = 1, .out_syncs = (uintptr_t)&out,
			.user_fence_va = (uintptr_t)word, .user_fence_value = 1,
		};

		igt_assert_eq(exec_args(fd, &args), -EOPNOTSUPP);
		args.user_fence_va = 0;
		args.user_fence_value = 0;
		igt_assert_eq(exec_args(fd, &args), -EOPNOTSUPP);
		igt_assert(!nvsvm_igt_syncobj_has_fence(fd, out.handle));
		nvsvm_igt_syncobj_destroy(fd, out.handle);
		nvsvm_igt_channel_free(fd, c);
		free_push(&push);
	}

	igt_describe("EXEC in fault mode of a push buffer ending above DRM_NVSVM_VA_USER_END is -EINVAL, as in a BO VM.");
	igt_subtest("exec-push-above-user-end") {
		struct drm_nvsvm_push push = { .va = END - 8, .dwords = 4 };
		uint32_t c = nvsvm_igt_channel_alloc(fd);

		igt_assert_eq(__nvsvm_igt_exec_fence(fd, c, &push, 1, (uintptr_t)word, 1), -EINVAL);
		push.va = END;
		push.dwords = 1;
		igt_assert_eq(__nvsvm_igt_exec_fence(fd, c, &push, 1, (uintptr_t)word, 1), -EINVAL);
		nvsvm_igt_channel_free(fd, c);
	}

	/* Channels */

	igt_describe("PARAM_CHANNELS_PER_FILE is at least 1 and below the hardware channel count, so that no file takes them all.");
	igt_subtest("param-channels-per-file") {
		uint64_t per_file = nvsvm_igt_get_param(fd, DRM_NVSVM_PARAM_CHANNELS_PER_FILE);
		uint64_t count = nvsvm_igt_get_param(fd, DRM_NVSVM_PARAM_CHANNEL_COUNT);

		igt_info("%llu channels per file of %llu\n", (unsigned long long)per_file,
			 (unsigned long long)count);
		igt_assert_lte_u64(1, per_file);
		igt_assert_lt_u64(per_file, count);
	}

	igt_describe("A file holding PARAM_CHANNELS_PER_FILE channels gets -ENOSPC for one more, while another file still gets one; freeing one makes room again.");
	igt_subtest("channels-per-file-enospc") {
		uint64_t per_file = nvsvm_igt_get_param(fd, DRM_NVSVM_PARAM_CHANNELS_PER_FILE), i;
		struct nvsvm_device *a = fresh(), *b = fresh();
		uint32_t *ids = calloc(per_file, sizeof(*ids)), extra;

		igt_assert(ids);
		for (i = 0; i < per_file; i++)
			ids[i] = nvsvm_igt_channel_alloc(nvsvm_device_fd(a));
		igt_assert_eq(__nvsvm_igt_channel_alloc(nvsvm_device_fd(a), &extra), -ENOSPC);
		extra = nvsvm_igt_channel_alloc(nvsvm_device_fd(b));
		nvsvm_igt_channel_free(nvsvm_device_fd(b), extra);
		nvsvm_igt_channel_free(nvsvm_device_fd(a), ids[0]);
		ids[0] = nvsvm_igt_channel_alloc(nvsvm_device_fd(a));
		free(ids);
		nvsvm_device_close(b);
		nvsvm_device_close(a);
	}

	igt_describe("CHANNEL_GET_ERROR of a channel in fault mode that has not failed: every output is 0, the reason and pad too.");
	igt_subtest("get-error-not-failed") {
		uint32_t c = nvsvm_igt_channel_alloc(fd);
		struct drm_nvsvm_channel_get_error err;

		memset(&err, 0xa5, sizeof(err));
		err.channel = c;
		err.flags = 0;
		err.pad = 0;	/* zero in, as every pad */
		igt_assert_eq(nvsvm_igt_ioctl(fd, DRM_IOCTL_NVSVM_CHANNEL_GET_ERROR, &err), 0);
		igt_assert_eq(err.error, 0);
		igt_assert_eq(err.access, 0);
		igt_assert_eq(err.fault_type, 0);
		igt_assert_eq(err.client, 0);
		igt_assert_eq_u64(err.address, 0);
		igt_assert_eq(err.reason, 0);
		igt_assert_eq(err.pad, 0);
		nvsvm_igt_channel_free(fd, c);
	}

	igt_fixture {
		free(word);
		nvsvm_device_close(dev);
	}
}
