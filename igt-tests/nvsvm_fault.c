// SPDX-License-Identifier: MIT
/* Copyright 2026 The nvsvm authors */

/*
 * nvsvm_fault: jobs that fail. Each way a job can fail ends its fence with
 * the error the uAPI documents (-EFAULT, -EIO, -ETIMEDOUT) and makes
 * CHANNEL_GET_ERROR say what and where; the failed channel refuses new
 * jobs with -ECANCELED and cancels the ones queued, while other channels
 * go on. Freeing a channel, unmapping memory or closing the file under a
 * running job ends it promptly, never hangs it or the kernel.
 *
 * Every wait has a deadline, so that a driver that loses a job fails the
 * subtest instead of hanging it.
 *
 * The recovery subtests at the end make the emulated GPU misbehave through
 * its fault-injection knobs (a dropped interrupt, an overflowing fault
 * ring, an MMU invalidate that never completes) and skip when the
 * emulator has no such knob.
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xf86drm.h>

#include "nvsvm_asm.h"
#include "nvsvm_igt.h"

#define MiB (1ull << 20)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define READ(x) NVSVM_IGT_READ(x)
#define WRITE(x, v) NVSVM_IGT_WRITE(x, v)
#define TIMEOUT NVSVM_IGT_JOB_TIMEOUT_MS

/* How much a "prompt" end may take on this emulated GPU, in ms. */
#define PROMPT_MS	3000
/*
 * Pages of address space nothing maps, for faults. Subtests use their own
 * parts: pages 0-1 for host faults, 2-5 and 8-55 for SM faults, 58-61 for
 * BOs mapped for the GPU only, 62-63 for the recovery subtests.
 */
#define HOLE_PAGES	64

/* Fixture state lives outside main: subtests longjmp out of its frame. */
static struct nvsvm_device *dev;
static int fd = -1;
static uint64_t page;
static struct nvsvm_igt_bo arena;
static uint64_t hole;		/* HOLE_PAGES pages nothing maps */

#define VA(p) nvsvm_igt_bo_va(&arena, (p))

static void reset(void)
{
	arena.used = 0;
}

static const char *error_name(uint32_t e)
{
	static const char *const names[] = {
		"NONE", "MMU_FAULT", "ILLEGAL_INSTRUCTION", "MISALIGNED",
		"ARITHMETIC", "WATCHDOG", "INVALID_METHOD", "TIMEOUT", "GPU_HANG",
	};

	return e < ARRAY_SIZE(names) ? names[e] : "?";
}

/* Wait for @s (at most @timeout_ms) and check its fence failed with @err. */
static void expect_fence(uint32_t s, int err, unsigned int timeout_ms)
{
	int status = nvsvm_igt_wait_status(fd, s, timeout_ms);

	igt_assert_f(status == err, "fence status %d (%s), expected %d (%s)\n",
		     status, status < 0 ? strerror(-status) : "no error",
		     err, strerror(-err));
}

/* The failed channel @c takes no more jobs: EXEC is -ECANCELED. */
static void check_canceled(uint32_t c)
{
	struct drm_nvsvm_push push;
	struct nvsvm_push p;
	uint64_t *where = nvsvm_igt_bo_alloc(&arena, 8, 8);
	struct drm_nvsvm_sync out = { .handle = nvsvm_igt_syncobj(fd) };

	nvsvm_igt_push_begin(&arena, &p, 64);
	nvsvm_push_sem_release(&p, VA(where), 1, NVSVM_PUSH_SEM_PAYLOAD_64);
	push = nvsvm_igt_push_end(&arena, &p);
	igt_assert_eq(nvsvm_igt_exec(fd, c, &push, 1, NULL, 0, &out, 1), -ECANCELED);
	igt_assert_eq(nvsvm_igt_exec(fd, c, NULL, 0, NULL, 0, &out, 1), -ECANCELED);
	igt_assert(!nvsvm_igt_syncobj_has_fence(fd, out.handle));
	usleep(10000);
	igt_assert_eq_u64(READ(*where), 0);
	nvsvm_igt_syncobj_destroy(fd, out.handle);
}

/* A new channel of this file runs a job. */
static void check_new_channel_works(void)
{
	uint32_t c = nvsvm_igt_channel_alloc(fd);
	uint64_t *where = nvsvm_igt_bo_alloc(&arena, 8, 8);
	struct nvsvm_push p;

	nvsvm_igt_push_begin(&arena, &p, 64);
	nvsvm_push_sem_release(&p, VA(where), 0x900d, NVSVM_PUSH_SEM_PAYLOAD_64);
	igt_assert_eq(nvsvm_igt_run(fd, c, nvsvm_igt_push_end(&arena, &p)), 1);
	igt_assert_eq_u64(READ(*where), 0x900d);
	nvsvm_igt_channel_free(fd, c);
}

static void get_error(uint32_t c, struct drm_nvsvm_channel_get_error *err)
{
	nvsvm_igt_channel_get_error(fd, c, err);
	igt_info("channel %u: error %u (%s) access %u fault_type %u client %u address %#llx\n",
		 c, err->error, error_name(err->error), err->access, err->fault_type,
		 err->client, (unsigned long long)err->address);
}

/*
 * Channel @c failed with @error (not an MMU fault) at @address: the
 * error is reported, stays, and the channel takes no more jobs; then it is
 * freed and a new channel works.
 */
static void check_error(uint32_t c, uint32_t error, uint64_t address)
{
	struct drm_nvsvm_channel_get_error err;

	get_error(c, &err);
	igt_assert_f(err.error == error, "channel error %u (%s), expected %u (%s)\n",
		     err.error, error_name(err.error), error, error_name(error));
	igt_assert_eq_u64(err.address, address);
	igt_assert_eq(err.access, 0);
	igt_assert_eq(err.fault_type, 0);
	igt_assert_eq(err.client, 0);
	check_canceled(c);
	get_error(c, &err);
	igt_assert_eq(err.error, error);
	nvsvm_igt_channel_free(fd, c);
	check_new_channel_works();
}

/* The same for an MMU fault at @address, by @access of @client, of @type. */
static void check_fault(uint32_t c, uint64_t address, uint32_t access, uint32_t type,
			uint32_t client)
{
	struct drm_nvsvm_channel_get_error err;

	get_error(c, &err);
	igt_assert_f(err.error == DRM_NVSVM_CHANNEL_ERROR_MMU_FAULT,
		     "channel error %u (%s), expected MMU_FAULT\n", err.error,
		     error_name(err.error));
	igt_assert_eq_u64(err.address, address);
	igt_assert_eq(err.access, access);
	igt_assert_eq(err.fault_type, type);
	igt_assert_eq(err.client, client);
	check_canceled(c);
	get_error(c, &err);
	igt_assert_eq(err.error, DRM_NVSVM_CHANNEL_ERROR_MMU_FAULT);
	igt_assert_eq_u64(err.address, address);
	nvsvm_igt_channel_free(fd, c);
	check_new_channel_works();
}

/*
 * Run one grid of the kernel @src on a new channel; returns the channel,
 * and in *@code_va (if not NULL) the kernel's address.
 */
static uint32_t launch_kernel(const char *src, const void *params, uint32_t blocks,
			      uint32_t threads, uint32_t *syncobj, uint64_t *code_va)
{
	uint32_t c = nvsvm_igt_channel_alloc(fd);
	uint64_t code = nvsvm_igt_bo_code(&arena, src, NULL);

	if (code_va)
		*code_va = code;

	*syncobj = nvsvm_igt_launch(fd, c, &arena, code, params ? VA(params) : 0,
				    blocks, threads);
	return c;
}

/* Run one push buffer on a new channel, expecting its fence to fail with @err. */
static uint32_t run_failing(struct drm_nvsvm_push push, int err)
{
	uint32_t c = nvsvm_igt_channel_alloc(fd);
	uint32_t s = nvsvm_igt_submit_push(fd, c, push);

	expect_fence(s, err, TIMEOUT);
	nvsvm_igt_syncobj_destroy(fd, s);
	return c;
}

/* A new channel whose jobs time out after @ms (job_timeout_ms at CHANNEL_ALLOC). */
static uint32_t channel_with_timeout(unsigned long ms)
{
	unsigned long old = nvsvm_igt_module_param("job_timeout_ms");
	uint32_t c;

	nvsvm_igt_module_param_set("job_timeout_ms", ms);
	c = nvsvm_igt_channel_alloc(fd);
	nvsvm_igt_module_param_set("job_timeout_ms", old);
	return c;
}

/* Raw instruction words as a kernel: for what the assembler refuses to write. */
static uint64_t raw_code(const uint64_t *words, unsigned int n)
{
	uint64_t *code = nvsvm_igt_bo_alloc(&arena, n * 8, 8);
	unsigned int i;

	for (i = 0; i < n; i++)
		code[i] = words[i];
	return VA(code);
}

/* Wait until the 64-bit word at @p is non-zero: a kernel has started. */
static void wait_started(volatile uint64_t *p)
{
	uint64_t end = nvsvm_igt_now_ms() + TIMEOUT;

	while (!*p) {
		igt_assert_f(nvsvm_igt_now_ms() < end, "the kernel did not start\n");
		usleep(1000);
	}
}

/* A word the GPU no longer writes stays put. */
static void check_stopped(volatile uint64_t *p)
{
	uint64_t v = *p;

	usleep(200000);
	igt_assert_eq_u64(*p, v);
}

/* mem[param[0]] = 42 */
static const char store_kernel[] =
	"	s2r	r1, param\n"
	"	ld64	r2, [r1]\n"
	"	movi	r3, 42\n"
	"	st64	[r2], r3\n"
	"	exit\n";

/* param[1] = mem[param[0]] */
static const char load_kernel[] =
	"	s2r	r1, param\n"
	"	ld64	r2, [r1]\n"
	"	ld64	r3, [r2]\n"
	"	st64	[r1+8], r3\n"
	"	exit\n";

/* atomadd64 mem[param[0]], 1 */
static const char atomic_kernel[] =
	"	s2r	r1, param\n"
	"	ld64	r2, [r1]\n"
	"	movi	r3, 1\n"
	"	atomadd64 r4, [r2], r3\n"
	"	exit\n";

/* param[1] = mem[param[0]], then mem[param[0]] = 42: a read that works, then a write. */
static const char load_store_kernel[] =
	"	s2r	r1, param\n"
	"	ld64	r2, [r1]\n"
	"	ld64	r3, [r2]\n"
	"	st64	[r1+8], r3\n"
	"	movi	r3, 42\n"
	"	st64	[r2], r3\n"
	"	exit\n";

/* Thread i reads mem[param[0] + i * param[1]]. */
static const char strided_load_kernel[] =
	"	s2r	r1, param\n"
	"	ld64	r2, [r1]\n"
	"	ld64	r3, [r1+8]\n"
	"	s2r	r4, gtid\n"
	"	mul	r4, r4, r3\n"
	"	add	r2, r2, r4\n"
	"	ld64	r5, [r2]\n"
	"	exit\n";

/* Forever: mem[param[0]] = ++n. */
static const char spin_kernel[] =
	"	s2r	r1, param\n"
	"	ld64	r2, [r1]\n"
	"	movi	r3, 0\n"
	"loop:	addi	r3, r3, 1\n"
	"	st64	[r2], r3\n"
	"	bra	loop\n";

/* Forever, touching nothing. */
static const char loop_kernel[] =
	"loop:	bra	loop\n";

/* A push buffer of @n raw dwords in the arena. */
static struct drm_nvsvm_push raw_push(const uint32_t *dw, unsigned int n)
{
	uint32_t *pb = nvsvm_igt_bo_alloc(&arena, n * 4, 16);
	unsigned int i;

	for (i = 0; i < n; i++)
		pb[i] = dw[i];
	return (struct drm_nvsvm_push){ .va = VA(pb), .dwords = n };
}

/* A malformed push buffer fails its job with -EIO and INVALID_METHOD at its VA. */
static void check_malformed(const uint32_t *dw, unsigned int n, unsigned int dwords)
{
	struct drm_nvsvm_push push = raw_push(dw, n);
	uint32_t c;

	push.dwords = dwords;
	c = run_failing(push, -EIO);
	check_error(c, DRM_NVSVM_CHANNEL_ERROR_INVALID_METHOD, push.va);
}

/*
 * Child of close-while-running: open the GPU, start a kernel that never
 * ends and an acquire that is never satisfied, with jobs queued behind
 * them, tell the parent through @wfd, and exit without cleaning up.
 * Plain calls only (no IGT asserts in a child): exits non-zero if a step
 * fails.
 */
static void __attribute__((noreturn)) busy_child(int wfd)
{
	struct nvsvm_device *d;
	uint32_t handle, chans[2], syncobjs[4];
	struct drm_nvsvm_channel_alloc ca = { 0 };
	uint64_t *mem, *code, size = 64 * 1024, count, i;
	uint64_t *counter, *params, *sem;
	uint32_t *pb;
	void *ptr;
	int cfd;

	if (nvsvm_device_open(0, &d))
		_exit(10);
	cfd = nvsvm_device_fd(d);
	if (nvsvm_bo_create(d, size, &handle, NULL) || nvsvm_bo_mmap(d, handle, size, &ptr) ||
	    nvsvm_vm_map(d, handle, 0, (uintptr_t)ptr, size, 0))
		_exit(11);
	mem = ptr;
	counter = &mem[0];
	sem = &mem[1];
	params = &mem[2];
	code = &mem[8];
	pb = (uint32_t *)&mem[64];
	{
		uint64_t *words;

		if (nvsvm_assemble(spin_kernel, &words, &count, NULL, 0) || count > 32)
			_exit(12);
		for (i = 0; i < count; i++)
			code[i] = words[i];
		free(words);
	}
	params[0] = (uintptr_t)counter;

	for (i = 0; i < 2; i++) {
		if (drmIoctl(cfd, DRM_IOCTL_NVSVM_CHANNEL_ALLOC, &ca))
			_exit(13);
		chans[i] = ca.channel;
	}
	for (i = 0; i < 4; i++)
		if (drmSyncobjCreate(cfd, 0, &syncobjs[i]))
			_exit(14);

	{
		struct nvsvm_push p;
		struct drm_nvsvm_push launch, acquire, release;
		struct drm_nvsvm_sync out[4];
		struct drm_nvsvm_exec ex[4];

		nvsvm_push_init(&p, pb, 64);
		nvsvm_push_launch(&p, (uintptr_t)code, (uintptr_t)params, 1, 8);
		launch = (struct drm_nvsvm_push){ .va = (uintptr_t)pb, .dwords = nvsvm_push_end(&p) };
		nvsvm_push_init(&p, pb + 16, 64);
		nvsvm_push_sem_acquire(&p, (uintptr_t)sem, 1, NVSVM_PUSH_SEM_PAYLOAD_64);
		acquire = (struct drm_nvsvm_push){ .va = (uintptr_t)(pb + 16), .dwords = nvsvm_push_end(&p) };
		nvsvm_push_init(&p, pb + 32, 64);
		nvsvm_push_sem_release(&p, (uintptr_t)sem, 2, NVSVM_PUSH_SEM_PAYLOAD_64);
		release = (struct drm_nvsvm_push){ .va = (uintptr_t)(pb + 32), .dwords = nvsvm_push_end(&p) };

		for (i = 0; i < 4; i++) {
			out[i] = (struct drm_nvsvm_sync){ .handle = syncobjs[i] };
			ex[i] = (struct drm_nvsvm_exec){
				.channel = chans[i % 2], .push_count = 1,
				.out_sync_count = 1, .out_syncs = (uintptr_t)&out[i],
			};
		}
		ex[0].pushes = (uintptr_t)&launch;	/* channel 0: the kernel, */
		ex[1].pushes = (uintptr_t)&acquire;	/* channel 1: the acquire, */
		ex[2].pushes = (uintptr_t)&release;	/* and a job queued behind each */
		ex[3].pushes = (uintptr_t)&release;
		for (i = 0; i < 4; i++)
			if (drmIoctl(cfd, DRM_IOCTL_NVSVM_EXEC, &ex[i]))
				_exit(15);
	}

	for (i = 0; i < 10000 && !NVSVM_IGT_READ(*counter); i++)
		usleep(1000);
	if (!NVSVM_IGT_READ(*counter))
		_exit(16);
	if (write(wfd, "r", 1) != 1)
		_exit(17);
	_exit(0);
}

/*
 * Child of free-faulting-concurrently: @rounds times, a channel whose job
 * faults, freed at once, racing the fault's cancel and the FIFO error
 * work. Plain calls only; exits non-zero if a step fails.
 */
static void __attribute__((noreturn)) fault_free_child(unsigned int rounds, uint64_t va)
{
	struct drm_nvsvm_channel_alloc ca = { 0 };
	struct drm_nvsvm_channel_free cf = { 0 };
	uint64_t size = 64 * 1024;
	struct nvsvm_device *d;
	struct nvsvm_push p;
	struct drm_nvsvm_push push;
	struct drm_nvsvm_exec ex;
	uint32_t handle;
	unsigned int i;
	void *ptr;
	int cfd;

	if (nvsvm_device_open(0, &d))
		_exit(10);
	cfd = nvsvm_device_fd(d);
	if (nvsvm_bo_create(d, size, &handle, NULL) || nvsvm_bo_mmap(d, handle, size, &ptr) ||
	    nvsvm_vm_map(d, handle, 0, (uintptr_t)ptr, size, 0))
		_exit(11);
	nvsvm_push_init(&p, ptr, 64);
	nvsvm_push_sem_release(&p, va, 1, NVSVM_PUSH_SEM_PAYLOAD_64);
	push = (struct drm_nvsvm_push){ .va = (uintptr_t)ptr, .dwords = nvsvm_push_end(&p) };
	for (i = 0; i < rounds; i++) {
		if (drmIoctl(cfd, DRM_IOCTL_NVSVM_CHANNEL_ALLOC, &ca))
			_exit(12);
		ex = (struct drm_nvsvm_exec){
			.channel = ca.channel, .push_count = 1, .pushes = (uintptr_t)&push,
		};
		if (drmIoctl(cfd, DRM_IOCTL_NVSVM_EXEC, &ex))
			_exit(13);
		/* Give the fault a moment to be on its way, sometimes. */
		if (i % 2)
			usleep(200 * (i % 7));
		cf.channel = ca.channel;
		if (drmIoctl(cfd, DRM_IOCTL_NVSVM_CHANNEL_FREE, &cf))
			_exit(14);
	}
	_exit(0);
}

/* Whether a kernel log record since @kfd was opened contains @what. */
static bool kmsg_has(int kfd, const char *what)
{
	char rec[1024];
	bool found = false;
	ssize_t n;

	while ((n = read(kfd, rec, sizeof(rec) - 1)) > 0 || (n < 0 && errno == EPIPE)) {
		if (n <= 0)
			continue;	/* Overwritten records: go on reading. */
		rec[n] = 0;
		if (strstr(rec, what)) {
			igt_info("kernel log: %s", rec);
			found = true;
		}
	}
	return found;
}

igt_main
{
	igt_fixture {
		dev = nvsvm_igt_open(0);
		fd = nvsvm_device_fd(dev);
		nvsvm_igt_require_uapi(fd, 2);
		page = sysconf(_SC_PAGESIZE);
		nvsvm_igt_bo_new(dev, 4 * MiB, 0, &arena);
		hole = nvsvm_igt_unmapped_va(HOLE_PAGES * page);
	}

	/* Faults of a compute kernel */

	igt_describe("A kernel reading an unmapped VA fails with -EFAULT: MMU_FAULT, that address, READ, UNMAPPED, client SM.");
	igt_subtest("sm-read-unmapped") {
		uint64_t *params;
		uint32_t c, s;

		reset();
		params = nvsvm_igt_bo_alloc(&arena, 16, 8);
		params[0] = hole + 0x1238;
		params[1] = 0x1111;
		c = launch_kernel(load_kernel, params, 1, 1, &s, NULL);
		expect_fence(s, -EFAULT, TIMEOUT);
		igt_assert_eq_u64(READ(params[1]), 0x1111);
		check_fault(c, hole + 0x1238, DRM_NVSVM_ACCESS_READ, DRM_NVSVM_FAULT_UNMAPPED,
			    DRM_NVSVM_FAULT_CLIENT_SM);
	}

	igt_describe("A kernel writing an unmapped VA fails with -EFAULT: MMU_FAULT, that address, WRITE, UNMAPPED, client SM.");
	igt_subtest("sm-write-unmapped") {
		uint64_t *params;
		uint32_t c, s;

		reset();
		params = nvsvm_igt_bo_alloc(&arena, 8, 8);
		params[0] = hole + 2 * page + 0x7f8;
		c = launch_kernel(store_kernel, params, 1, 1, &s, NULL);
		expect_fence(s, -EFAULT, TIMEOUT);
		check_fault(c, hole + 2 * page + 0x7f8, DRM_NVSVM_ACCESS_WRITE,
			    DRM_NVSVM_FAULT_UNMAPPED, DRM_NVSVM_FAULT_CLIENT_SM);
	}

	igt_describe("A kernel's atomic on an unmapped VA fails with -EFAULT: MMU_FAULT, that address, ATOMIC, UNMAPPED, client SM.");
	igt_subtest("sm-atomic-unmapped") {
		uint64_t *params;
		uint32_t c, s;

		reset();
		params = nvsvm_igt_bo_alloc(&arena, 8, 8);
		params[0] = hole + 3 * page + 0x40;
		c = launch_kernel(atomic_kernel, params, 1, 1, &s, NULL);
		expect_fence(s, -EFAULT, TIMEOUT);
		check_fault(c, hole + 3 * page + 0x40, DRM_NVSVM_ACCESS_ATOMIC,
			    DRM_NVSVM_FAULT_UNMAPPED, DRM_NVSVM_FAULT_CLIENT_SM);
	}

	igt_describe("A kernel whose code is unmapped fails with -EFAULT: MMU_FAULT at the code address, READ, client SM.");
	igt_subtest("sm-fetch-unmapped") {
		uint32_t c = nvsvm_igt_channel_alloc(fd);
		uint32_t s;

		reset();
		s = nvsvm_igt_launch(fd, c, &arena, hole + 4 * page, 0, 1, 1);
		expect_fence(s, -EFAULT, TIMEOUT);
		check_fault(c, hole + 4 * page, DRM_NVSVM_ACCESS_READ, DRM_NVSVM_FAULT_UNMAPPED,
			    DRM_NVSVM_FAULT_CLIENT_SM);
	}

	igt_describe("A kernel writing a READ_ONLY mapping (after reading it fine) fails with -EFAULT: PROTECTION, WRITE, client SM; the memory is unchanged.");
	igt_subtest("sm-write-read-only") {
		struct nvsvm_igt_bo ro;
		uint64_t *params;
		uint32_t c, s;

		reset();
		nvsvm_igt_bo_new(dev, page, DRM_NVSVM_VM_BIND_READ_ONLY, &ro);
		((uint64_t *)ro.ptr)[5] = 0xabcdef;
		params = nvsvm_igt_bo_alloc(&arena, 16, 8);
		params[0] = ro.va + 40;
		c = launch_kernel(load_store_kernel, params, 1, 1, &s, NULL);
		expect_fence(s, -EFAULT, TIMEOUT);
		igt_assert_eq_u64(READ(params[1]), 0xabcdef);
		igt_assert_eq_u64(READ(((uint64_t *)ro.ptr)[5]), 0xabcdef);
		check_fault(c, ro.va + 40, DRM_NVSVM_ACCESS_WRITE, DRM_NVSVM_FAULT_PROTECTION,
			    DRM_NVSVM_FAULT_CLIENT_SM);
		nvsvm_igt_bo_free(&ro);
	}

	igt_describe("A kernel's atomic on a READ_ONLY mapping fails with -EFAULT: PROTECTION, ATOMIC, client SM.");
	igt_subtest("sm-atomic-read-only") {
		struct nvsvm_igt_bo ro;
		uint64_t *params;
		uint32_t c, s;

		reset();
		nvsvm_igt_bo_new(dev, page, DRM_NVSVM_VM_BIND_READ_ONLY, &ro);
		params = nvsvm_igt_bo_alloc(&arena, 8, 8);
		params[0] = ro.va + 8;
		c = launch_kernel(atomic_kernel, params, 1, 1, &s, NULL);
		expect_fence(s, -EFAULT, TIMEOUT);
		igt_assert_eq_u64(READ(((uint64_t *)ro.ptr)[1]), 0);
		check_fault(c, ro.va + 8, DRM_NVSVM_ACCESS_ATOMIC, DRM_NVSVM_FAULT_PROTECTION,
			    DRM_NVSVM_FAULT_CLIENT_SM);
		nvsvm_igt_bo_free(&ro);
	}

	igt_describe("256 threads faulting on one unmapped page fail the job once with -EFAULT, at one of their addresses.");
	igt_subtest("sm-fault-many-threads") {
		struct drm_nvsvm_channel_get_error err;
		uint64_t *params;
		uint32_t c, s;

		reset();
		params = nvsvm_igt_bo_alloc(&arena, 16, 8);
		params[0] = hole + 5 * page;
		params[1] = 8;
		c = launch_kernel(strided_load_kernel, params, 2, 128, &s, NULL);
		expect_fence(s, -EFAULT, TIMEOUT);
		get_error(c, &err);
		igt_assert_eq(err.error, DRM_NVSVM_CHANNEL_ERROR_MMU_FAULT);
		igt_assert_lte_u64(hole + 5 * page, err.address);
		igt_assert_lt_u64(err.address, hole + 5 * page + 256 * 8);
		igt_assert_eq_u64(err.address % 8, 0);
		check_fault(c, err.address, DRM_NVSVM_ACCESS_READ, DRM_NVSVM_FAULT_UNMAPPED,
			    DRM_NVSVM_FAULT_CLIENT_SM);
	}

	igt_describe("Threads faulting on 48 different unmapped pages fail the job with -EFAULT at one of their addresses.");
	igt_subtest("sm-fault-many-pages") {
		struct drm_nvsvm_channel_get_error err;
		uint64_t *params;
		uint32_t c, s;

		reset();
		params = nvsvm_igt_bo_alloc(&arena, 16, 8);
		params[0] = hole + 8 * page + 16;
		params[1] = page;
		c = launch_kernel(strided_load_kernel, params, 3, 16, &s, NULL);
		expect_fence(s, -EFAULT, TIMEOUT);
		get_error(c, &err);
		igt_assert_eq(err.error, DRM_NVSVM_CHANNEL_ERROR_MMU_FAULT);
		igt_assert_lte_u64(hole + 8 * page, err.address);
		igt_assert_lt_u64(err.address, hole + 56 * page);
		igt_assert_eq_u64(err.address % page, 16);
		check_fault(c, err.address, DRM_NVSVM_ACCESS_READ, DRM_NVSVM_FAULT_UNMAPPED,
			    DRM_NVSVM_FAULT_CLIENT_SM);
	}

	/* Faults of the host */

	igt_describe("A push buffer at an unmapped VA fails with -EFAULT: MMU_FAULT at that VA, READ, client HOST.");
	igt_subtest("push-unmapped") {
		uint32_t c;

		reset();
		c = run_failing((struct drm_nvsvm_push){ .va = hole + 0x40, .dwords = 6 }, -EFAULT);
		check_fault(c, hole + 0x40, DRM_NVSVM_ACCESS_READ, DRM_NVSVM_FAULT_UNMAPPED,
			    DRM_NVSVM_FAULT_CLIENT_HOST);
	}

	igt_describe("A push buffer running from mapped into unmapped memory runs its first methods, then fails at the first unmapped dword.");
	igt_subtest("push-crosses-unmapped") {
		struct nvsvm_igt_bo pbo;
		uint64_t *marker;
		struct nvsvm_push p;
		uint64_t va = hole + 61 * page;
		uint32_t c;

		reset();
		marker = nvsvm_igt_bo_alloc(&arena, 8, 8);
		/* One page mapped for the GPU only, before an unmapped one. */
		nvsvm_igt_bo_new_at(dev, page, va - page, 0, &pbo);
		nvsvm_push_init(&p, pbo.ptr + page - 24, 24);
		nvsvm_push_sem_release(&p, VA(marker), 0x4d, NVSVM_PUSH_SEM_PAYLOAD_64);
		igt_assert_eq(nvsvm_push_end(&p), 6);
		c = run_failing((struct drm_nvsvm_push){ .va = va - 24, .dwords = 12 }, -EFAULT);
		igt_assert_eq_u64(READ(*marker), 0x4d);
		check_fault(c, va, DRM_NVSVM_ACCESS_READ, DRM_NVSVM_FAULT_UNMAPPED,
			    DRM_NVSVM_FAULT_CLIENT_HOST);
		nvsvm_igt_bo_free(&pbo);
	}

	igt_describe("A SEMAPHORE_RELEASE to an unmapped VA fails with -EFAULT: WRITE at that VA, client HOST.");
	igt_subtest("semaphore-release-unmapped") {
		struct nvsvm_push p;
		uint32_t c;

		reset();
		nvsvm_igt_push_begin(&arena, &p, 64);
		nvsvm_push_sem_release(&p, hole + 0x100, 1, NVSVM_PUSH_SEM_PAYLOAD_64);
		c = run_failing(nvsvm_igt_push_end(&arena, &p), -EFAULT);
		check_fault(c, hole + 0x100, DRM_NVSVM_ACCESS_WRITE, DRM_NVSVM_FAULT_UNMAPPED,
			    DRM_NVSVM_FAULT_CLIENT_HOST);
	}

	igt_describe("A SEMAPHORE_ACQUIRE on an unmapped VA fails with -EFAULT: READ at that VA, client HOST.");
	igt_subtest("semaphore-acquire-unmapped") {
		struct nvsvm_push p;
		uint32_t c;

		reset();
		nvsvm_igt_push_begin(&arena, &p, 64);
		nvsvm_push_sem_acquire(&p, hole + 0x108, 1, NVSVM_PUSH_SEM_PAYLOAD_64);
		c = run_failing(nvsvm_igt_push_end(&arena, &p), -EFAULT);
		check_fault(c, hole + 0x108, DRM_NVSVM_ACCESS_READ, DRM_NVSVM_FAULT_UNMAPPED,
			    DRM_NVSVM_FAULT_CLIENT_HOST);
	}

	igt_describe("A SEMAPHORE_RELEASE to a READ_ONLY mapping fails with -EFAULT: PROTECTION, WRITE, client HOST.");
	igt_subtest("semaphore-release-read-only") {
		struct nvsvm_igt_bo ro;
		struct nvsvm_push p;
		uint32_t c;

		reset();
		nvsvm_igt_bo_new(dev, page, DRM_NVSVM_VM_BIND_READ_ONLY, &ro);
		nvsvm_igt_push_begin(&arena, &p, 64);
		nvsvm_push_sem_release(&p, ro.va + 16, 1, NVSVM_PUSH_SEM_PAYLOAD_64);
		c = run_failing(nvsvm_igt_push_end(&arena, &p), -EFAULT);
		igt_assert_eq_u64(READ(((uint64_t *)ro.ptr)[2]), 0);
		check_fault(c, ro.va + 16, DRM_NVSVM_ACCESS_WRITE, DRM_NVSVM_FAULT_PROTECTION,
			    DRM_NVSVM_FAULT_CLIENT_HOST);
		nvsvm_igt_bo_free(&ro);
	}

	igt_describe("A COPY from an unmapped VA fails with -EFAULT: READ at the source, client HOST; nothing is written.");
	igt_subtest("copy-from-unmapped") {
		uint64_t *dst;
		struct nvsvm_push p;
		uint32_t c;

		reset();
		dst = nvsvm_igt_bo_alloc(&arena, 64, 8);
		nvsvm_igt_push_begin(&arena, &p, 64);
		nvsvm_push_copy(&p, hole + 0x180, VA(dst), 64);
		c = run_failing(nvsvm_igt_push_end(&arena, &p), -EFAULT);
		igt_assert_eq_u64(READ(dst[0]), 0);
		check_fault(c, hole + 0x180, DRM_NVSVM_ACCESS_READ, DRM_NVSVM_FAULT_UNMAPPED,
			    DRM_NVSVM_FAULT_CLIENT_HOST);
	}

	igt_describe("A COPY to an unmapped VA fails with -EFAULT: WRITE at the destination, client HOST.");
	igt_subtest("copy-to-unmapped") {
		uint64_t *src;
		struct nvsvm_push p;
		uint32_t c;

		reset();
		src = nvsvm_igt_bo_alloc(&arena, 64, 8);
		nvsvm_igt_push_begin(&arena, &p, 64);
		nvsvm_push_copy(&p, VA(src), hole + 0x200, 64);
		c = run_failing(nvsvm_igt_push_end(&arena, &p), -EFAULT);
		check_fault(c, hole + 0x200, DRM_NVSVM_ACCESS_WRITE, DRM_NVSVM_FAULT_UNMAPPED,
			    DRM_NVSVM_FAULT_CLIENT_HOST);
	}

	igt_describe("A COPY to a READ_ONLY mapping fails with -EFAULT: PROTECTION, WRITE at the destination, client HOST.");
	igt_subtest("copy-to-read-only") {
		struct nvsvm_igt_bo ro;
		uint64_t *src;
		struct nvsvm_push p;
		uint32_t c;

		reset();
		nvsvm_igt_bo_new(dev, page, DRM_NVSVM_VM_BIND_READ_ONLY, &ro);
		src = nvsvm_igt_bo_alloc(&arena, 64, 8);
		src[0] = 0x55;
		nvsvm_igt_push_begin(&arena, &p, 64);
		nvsvm_push_copy(&p, VA(src), ro.va + 64, 64);
		c = run_failing(nvsvm_igt_push_end(&arena, &p), -EFAULT);
		igt_assert_eq_u64(READ(((uint64_t *)ro.ptr)[8]), 0);
		check_fault(c, ro.va + 64, DRM_NVSVM_ACCESS_WRITE, DRM_NVSVM_FAULT_PROTECTION,
			    DRM_NVSVM_FAULT_CLIENT_HOST);
		nvsvm_igt_bo_free(&ro);
	}

	igt_describe("A FILL of an unmapped VA fails with -EFAULT: WRITE at that VA, client HOST.");
	igt_subtest("fill-unmapped") {
		struct nvsvm_push p;
		uint32_t c;

		reset();
		nvsvm_igt_push_begin(&arena, &p, 64);
		nvsvm_push_fill(&p, hole + 0x300, 256, 0x12345678);
		c = run_failing(nvsvm_igt_push_end(&arena, &p), -EFAULT);
		check_fault(c, hole + 0x300, DRM_NVSVM_ACCESS_WRITE, DRM_NVSVM_FAULT_UNMAPPED,
			    DRM_NVSVM_FAULT_CLIENT_HOST);
	}

	/* After a failure */

	igt_describe("Jobs queued behind a failing job signal -ECANCELED without running, and the channel refuses EXEC with -ECANCELED.");
	igt_subtest("queued-jobs-canceled") {
		uint32_t c = nvsvm_igt_channel_alloc(fd);
		uint64_t *sem, *marker;
		struct nvsvm_push p;
		uint32_t s1, s2, s3;

		reset();
		sem = nvsvm_igt_bo_alloc(&arena, 8, 8);
		marker = nvsvm_igt_bo_alloc(&arena, 8, 8);
		/* Job 1 waits for the CPU, then writes to an unmapped VA. */
		nvsvm_igt_push_begin(&arena, &p, 64);
		nvsvm_push_sem_acquire(&p, VA(sem), 1, NVSVM_PUSH_SEM_PAYLOAD_64);
		nvsvm_push_sem_release(&p, hole + 0x400, 1, NVSVM_PUSH_SEM_PAYLOAD_64);
		s1 = nvsvm_igt_submit_push(fd, c, nvsvm_igt_push_end(&arena, &p));
		nvsvm_igt_push_begin(&arena, &p, 64);
		nvsvm_push_sem_release(&p, VA(marker), 1, NVSVM_PUSH_SEM_PAYLOAD_64);
		s2 = nvsvm_igt_submit_push(fd, c, nvsvm_igt_push_end(&arena, &p));
		s3 = nvsvm_igt_submit(fd, c, NULL, 0, 0);	/* a marker */

		WRITE(*sem, 1);
		expect_fence(s1, -EFAULT, TIMEOUT);
		expect_fence(s2, -ECANCELED, TIMEOUT);
		expect_fence(s3, -ECANCELED, TIMEOUT);
		igt_assert_eq_u64(READ(*marker), 0);
		check_fault(c, hole + 0x400, DRM_NVSVM_ACCESS_WRITE, DRM_NVSVM_FAULT_UNMAPPED,
			    DRM_NVSVM_FAULT_CLIENT_HOST);
	}

	igt_describe("A channel failing leaves the file's other channels, and other files, working: a job running beside it completes.");
	igt_subtest("other-channels-unaffected") {
		uint32_t bad = nvsvm_igt_channel_alloc(fd);
		uint32_t good = nvsvm_igt_channel_alloc(fd);
		struct nvsvm_device *other = nvsvm_igt_open(0);
		uint32_t oc = nvsvm_igt_channel_alloc(nvsvm_device_fd(other));
		struct drm_nvsvm_channel_get_error err;
		uint64_t *sem, *done;
		struct nvsvm_push p;
		struct nvsvm_igt_bo obo;
		uint32_t sg, sb;

		reset();
		sem = nvsvm_igt_bo_alloc(&arena, 8, 8);
		done = nvsvm_igt_bo_alloc(&arena, 16, 8);
		nvsvm_igt_push_begin(&arena, &p, 64);
		nvsvm_push_sem_acquire(&p, VA(sem), 1, NVSVM_PUSH_SEM_PAYLOAD_64);
		nvsvm_push_sem_release(&p, VA(&done[0]), 1, NVSVM_PUSH_SEM_PAYLOAD_64);
		sg = nvsvm_igt_submit_push(fd, good, nvsvm_igt_push_end(&arena, &p));

		nvsvm_igt_push_begin(&arena, &p, 64);
		nvsvm_push_fill(&p, hole + 0x500, 64, 0);
		sb = nvsvm_igt_submit_push(fd, bad, nvsvm_igt_push_end(&arena, &p));
		expect_fence(sb, -EFAULT, TIMEOUT);

		igt_assert_eq(nvsvm_igt_fence_status(fd, sg), 0);
		WRITE(*sem, 1);
		igt_assert_eq(nvsvm_igt_wait_status(fd, sg, TIMEOUT), 1);
		igt_assert_eq_u64(READ(done[0]), 1);
		nvsvm_igt_channel_get_error(fd, good, &err);
		igt_assert_eq(err.error, DRM_NVSVM_CHANNEL_ERROR_NONE);

		nvsvm_igt_push_begin(&arena, &p, 64);
		nvsvm_push_sem_release(&p, VA(&done[1]), 2, NVSVM_PUSH_SEM_PAYLOAD_64);
		igt_assert_eq(nvsvm_igt_run(fd, good, nvsvm_igt_push_end(&arena, &p)), 1);
		igt_assert_eq_u64(READ(done[1]), 2);

		nvsvm_igt_bo_new(other, page, 0, &obo);
		nvsvm_push_init(&p, obo.ptr, 64);
		nvsvm_push_sem_release(&p, obo.va + 128, 3, NVSVM_PUSH_SEM_PAYLOAD_64);
		igt_assert_eq(nvsvm_igt_run(nvsvm_device_fd(other), oc,
					    nvsvm_igt_push_end(&obo, &p)), 1);
		igt_assert_eq_u64(READ(((uint64_t *)obo.ptr)[16]), 3);
		nvsvm_igt_bo_free(&obo);
		nvsvm_device_close(other);

		nvsvm_igt_channel_free(fd, good);
		check_fault(bad, hole + 0x500, DRM_NVSVM_ACCESS_WRITE, DRM_NVSVM_FAULT_UNMAPPED,
			    DRM_NVSVM_FAULT_CLIENT_HOST);
	}

	/* Execution errors */

	igt_describe("Illegal instructions (unknown op, register above r31, non-zero unused field, unknown special register) fail with -EIO and ILLEGAL_INSTRUCTION at the instruction's address.");
	igt_subtest("illegal-instruction") {
		const uint64_t bad[] = {
			0xffull,				/* op 0xff */
			0x0000000002012010ull,			/* add r32, r1, r2 */
			0x0000000100000000ull,			/* nop with imm 1 */
			0x0000000800000142ull,			/* s2r r1, sreg 8 */
		};
		unsigned int i;

		for (i = 0; i < ARRAY_SIZE(bad); i++) {
			const uint64_t words[] = { 0x0000000000000000ull, bad[i], 0x1ull };
			uint32_t c = nvsvm_igt_channel_alloc(fd);
			uint64_t code;
			uint32_t s;

			reset();
			code = raw_code(words, 3);
			s = nvsvm_igt_launch(fd, c, &arena, code, 0, 1, 1);
			igt_info("instruction %#018llx\n", (unsigned long long)bad[i]);
			expect_fence(s, -EIO, TIMEOUT);
			/* The address is the illegal instruction's. */
			check_error(c, DRM_NVSVM_CHANNEL_ERROR_ILLEGAL_INSTRUCTION, code + 8);
		}
	}

	igt_describe("Misaligned loads, stores and atomics fail with -EIO and MISALIGNED at the instruction's address.");
	igt_subtest("misaligned-access") {
		static const struct { const char *src; unsigned int bad; } kernels[] = {
			{ "s2r r1, param\n ld64 r2, [r1+4]\n exit\n", 1 },
			{ "s2r r1, param\n ld32 r2, [r1+2]\n exit\n", 1 },
			{ "s2r r1, param\n st64 [r1+12], r1\n exit\n", 1 },
			{ "s2r r1, param\n st16 [r1+1], r1\n exit\n", 1 },
			{ "s2r r1, param\n addi r1, r1, 4\n atomadd64 r2, [r1], r1\n exit\n", 2 },
		};
		unsigned int i;

		for (i = 0; i < ARRAY_SIZE(kernels); i++) {
			uint64_t *params, code;
			uint32_t c, s;

			reset();
			params = nvsvm_igt_bo_alloc(&arena, 64, 64);
			igt_info("kernel: %s", kernels[i].src);
			c = launch_kernel(kernels[i].src, params, 1, 1, &s, &code);
			expect_fence(s, -EIO, TIMEOUT);
			check_error(c, DRM_NVSVM_CHANNEL_ERROR_MISALIGNED, code + 8 * kernels[i].bad);
		}
	}

	igt_describe("divu and remu by zero fail with -EIO and ARITHMETIC at the instruction's address.");
	igt_subtest("divide-by-zero") {
		static const char *const kernels[] = {
			"movi r1, 10\n movi r2, 0\n divu r3, r1, r2\n exit\n",
			"movi r1, 10\n movi r2, 0\n remu r3, r1, r2\n exit\n",
		};
		unsigned int i;

		for (i = 0; i < ARRAY_SIZE(kernels); i++) {
			uint64_t code;
			uint32_t c, s;

			reset();
			c = launch_kernel(kernels[i], NULL, 1, 1, &s, &code);
			expect_fence(s, -EIO, TIMEOUT);
			check_error(c, DRM_NVSVM_CHANNEL_ERROR_ARITHMETIC, code + 16);
		}
	}

	igt_describe("A push buffer with an unknown method fails with -EIO and INVALID_METHOD at its VA.");
	igt_subtest("push-unknown-method") {
		const uint32_t methods[] = { 7, 0x42, 0xff };
		unsigned int i;

		for (i = 0; i < ARRAY_SIZE(methods); i++) {
			const uint32_t dw[] = {
				NVSVM_PUSH_HEADER(NVSVM_PUSH_METHOD_NOP, 0),
				NVSVM_PUSH_HEADER(methods[i], 0),
			};

			reset();
			check_malformed(dw, 2, 2);
		}
	}

	igt_describe("A method with the wrong number of data dwords fails with -EIO and INVALID_METHOD at the push buffer's VA.");
	igt_subtest("push-wrong-count") {
		const uint32_t headers[] = {
			NVSVM_PUSH_HEADER(NVSVM_PUSH_METHOD_SEMAPHORE_RELEASE, 4),
			NVSVM_PUSH_HEADER(NVSVM_PUSH_METHOD_SEMAPHORE_ACQUIRE, 6),
			NVSVM_PUSH_HEADER(NVSVM_PUSH_METHOD_LAUNCH, 5),
			NVSVM_PUSH_HEADER(NVSVM_PUSH_METHOD_COPY, 7),
			NVSVM_PUSH_HEADER(NVSVM_PUSH_METHOD_FILL, 0),
			NVSVM_PUSH_HEADER(NVSVM_PUSH_METHOD_MEMBAR, 1),
		};
		unsigned int i;

		for (i = 0; i < ARRAY_SIZE(headers); i++) {
			uint32_t dw[8] = { headers[i] };

			reset();
			check_malformed(dw, 8, 8);
		}
	}

	igt_describe("A method whose data runs past the end of its push buffer fails with -EIO and INVALID_METHOD.");
	igt_subtest("push-past-end") {
		uint64_t *sem;

		reset();
		sem = nvsvm_igt_bo_alloc(&arena, 8, 8);
		{
			/* A whole release in memory, but the push buffer ends 2 dwords early. */
			const uint32_t dw[] = {
				NVSVM_PUSH_HEADER(NVSVM_PUSH_METHOD_SEMAPHORE_RELEASE, 5),
				(uint32_t)VA(sem), (uint32_t)(VA(sem) >> 32), 1, 0, 0,
			};

			check_malformed(dw, 6, 4);
			igt_assert_eq_u64(READ(*sem), 0);
		}
	}

	igt_describe("A header with a huge data count (NOP, 2^24 - 1 dwords) in a short push buffer fails with -EIO and INVALID_METHOD.");
	igt_subtest("push-huge-count") {
		const uint32_t dw[] = {
			NVSVM_PUSH_HEADER(NVSVM_PUSH_METHOD_NOP, 0xffffff), 0, 0, 0,
		};

		reset();
		check_malformed(dw, 4, 4);
	}

	igt_describe("In a job of two push buffers, a malformed second one is reported at its own VA, after the first ran.");
	igt_subtest("push-second-malformed") {
		struct drm_nvsvm_push pushes[2];
		uint64_t *marker;
		struct nvsvm_push p;
		uint32_t c = nvsvm_igt_channel_alloc(fd), s;
		const uint32_t bad[] = { NVSVM_PUSH_HEADER(0x80, 1), 0 };

		reset();
		marker = nvsvm_igt_bo_alloc(&arena, 8, 8);
		nvsvm_igt_push_begin(&arena, &p, 64);
		nvsvm_push_sem_release(&p, VA(marker), 1, NVSVM_PUSH_SEM_PAYLOAD_64);
		pushes[0] = nvsvm_igt_push_end(&arena, &p);
		pushes[1] = raw_push(bad, 2);
		s = nvsvm_igt_submit(fd, c, pushes, 2, 0);
		expect_fence(s, -EIO, TIMEOUT);
		igt_assert_eq_u64(READ(*marker), 1);
		check_error(c, DRM_NVSVM_CHANNEL_ERROR_INVALID_METHOD, pushes[1].va);
	}

	igt_describe("A LAUNCH of 0 or 1025 threads a block, 0 blocks, or misaligned code fails with -EIO and INVALID_METHOD.");
	igt_subtest("push-invalid-launch") {
		const struct { uint32_t blocks, threads, code_offset; } bad[] = {
			{ 1, 0, 0 }, { 1, 1025, 0 }, { 0, 1, 0 }, { 1, 1, 4 },
		};
		unsigned int i;

		for (i = 0; i < ARRAY_SIZE(bad); i++) {
			uint64_t code;
			struct nvsvm_push p;
			struct drm_nvsvm_push push;
			uint32_t c;

			reset();
			code = nvsvm_igt_bo_code(&arena, "exit\nexit\n", NULL);
			nvsvm_igt_push_begin(&arena, &p, 64);
			nvsvm_push_launch(&p, code + bad[i].code_offset, 0, bad[i].blocks,
					  bad[i].threads);
			push = nvsvm_igt_push_end(&arena, &p);
			igt_info("blocks %u threads %u code +%u\n", bad[i].blocks, bad[i].threads,
				 bad[i].code_offset);
			c = run_failing(push, -EIO);
			check_error(c, DRM_NVSVM_CHANNEL_ERROR_INVALID_METHOD, push.va);
		}
	}

	igt_describe("A FILL whose address or size is not 4-byte aligned fails with -EIO and INVALID_METHOD.");
	igt_subtest("push-misaligned-fill") {
		unsigned int i;

		for (i = 0; i < 2; i++) {
			uint32_t *dst;
			struct nvsvm_push p;
			struct drm_nvsvm_push push;
			uint32_t c;

			reset();
			dst = nvsvm_igt_bo_alloc(&arena, 64, 8);
			nvsvm_igt_push_begin(&arena, &p, 64);
			if (i == 0)
				nvsvm_push_fill(&p, VA(dst) + 2, 16, 0xffffffffu);
			else
				nvsvm_push_fill(&p, VA(dst), 6, 0xffffffffu);
			push = nvsvm_igt_push_end(&arena, &p);
			c = run_failing(push, -EIO);
			igt_assert_eq_u64(READ(dst[0]), 0);
			check_error(c, DRM_NVSVM_CHANNEL_ERROR_INVALID_METHOD, push.va);
		}
	}

	/* Time limits */

	igt_describe("A kernel that never ends is stopped by the GPU's watchdog (watchdog_ms): -ETIMEDOUT and WATCHDOG, not sooner.");
	igt_subtest("watchdog") {
		unsigned long watchdog = nvsvm_igt_module_param("watchdog_ms");
		uint64_t code, t0, elapsed;
		uint32_t c, s;
		int status;

		reset();
		/* The driver's job timeout must not come first. */
		c = channel_with_timeout(watchdog + 30000);
		code = nvsvm_igt_bo_code(&arena, loop_kernel, NULL);
		t0 = nvsvm_igt_now_ms();
		s = nvsvm_igt_launch(fd, c, &arena, code, 0, 1, 1);
		status = nvsvm_igt_wait_status(fd, s, watchdog + 20000);
		elapsed = nvsvm_igt_now_ms() - t0;
		igt_info("watchdog_ms %lu: the job ended after %llu ms with %d\n", watchdog,
			 (unsigned long long)elapsed, status);
		igt_assert_eq(status, -ETIMEDOUT);
		igt_assert_lte_u64(watchdog > 50 ? watchdog - 50 : 0, elapsed);
		check_error(c, DRM_NVSVM_CHANNEL_ERROR_WATCHDOG, 0);
	}

	igt_describe("A SEMAPHORE_ACQUIRE never satisfied ends at the job timeout the channel was allocated with: -ETIMEDOUT and TIMEOUT.");
	igt_subtest("job-timeout") {
		uint64_t *sem, t0, elapsed;
		uint32_t c, s;
		int status;

		reset();
		c = channel_with_timeout(1000);
		sem = nvsvm_igt_bo_alloc(&arena, 8, 8);
		{
			struct nvsvm_push p;

			nvsvm_igt_push_begin(&arena, &p, 64);
			nvsvm_push_sem_acquire(&p, VA(sem), 1, NVSVM_PUSH_SEM_PAYLOAD_64);
			t0 = nvsvm_igt_now_ms();
			s = nvsvm_igt_submit_push(fd, c, nvsvm_igt_push_end(&arena, &p));
		}
		status = nvsvm_igt_wait_status(fd, s, 1000 + TIMEOUT);
		elapsed = nvsvm_igt_now_ms() - t0;
		igt_info("job_timeout_ms 1000: the job ended after %llu ms with %d\n",
			 (unsigned long long)elapsed, status);
		igt_assert_eq(status, -ETIMEDOUT);
		igt_assert_lte_u64(950, elapsed);
		check_error(c, DRM_NVSVM_CHANNEL_ERROR_TIMEOUT, 0);
	}

	igt_describe("job_timeout_ms is read at CHANNEL_ALLOC: of two channels waiting alike, the one allocated with 1 s times out, the one with 30 s completes.");
	igt_subtest("job-timeout-per-channel") {
		uint64_t *sem, *done;
		struct nvsvm_push p;
		uint32_t a, b, sa, sb;

		reset();
		a = channel_with_timeout(1000);
		b = channel_with_timeout(30000);
		sem = nvsvm_igt_bo_alloc(&arena, 8, 8);
		done = nvsvm_igt_bo_alloc(&arena, 8, 8);
		nvsvm_igt_push_begin(&arena, &p, 64);
		nvsvm_push_sem_acquire(&p, VA(sem), 1, NVSVM_PUSH_SEM_PAYLOAD_64);
		nvsvm_push_sem_release(&p, VA(done), 1, NVSVM_PUSH_SEM_PAYLOAD_64);
		{
			struct drm_nvsvm_push push = nvsvm_igt_push_end(&arena, &p);

			sa = nvsvm_igt_submit_push(fd, a, push);
			sb = nvsvm_igt_submit_push(fd, b, push);
		}
		expect_fence(sa, -ETIMEDOUT, 1000 + TIMEOUT);
		usleep(1000000);
		igt_assert_eq(nvsvm_igt_fence_status(fd, sb), 0);
		WRITE(*sem, 1);
		igt_assert_eq(nvsvm_igt_wait_status(fd, sb, TIMEOUT), 1);
		igt_assert_eq_u64(READ(*done), 1);
		nvsvm_igt_channel_free(fd, b);
		check_error(a, DRM_NVSVM_CHANNEL_ERROR_TIMEOUT, 0);
	}

	/* Pulling things from under a running job */

	igt_describe("Unmapping (VM_BIND UNMAP) memory a running kernel writes fails the job with -EFAULT at that memory, promptly; the GPU stops writing it.");
	igt_subtest("unmap-while-running") {
		unsigned long watchdog = nvsvm_igt_module_param("watchdog_ms");
		struct nvsvm_igt_bo data;
		uint64_t *params, t0, elapsed;
		volatile uint64_t *counter;
		uint32_t c, s;

		reset();
		/* Mapped for the GPU only, where the CPU maps nothing. */
		nvsvm_igt_bo_new_at(dev, page, hole + 58 * page, 0, &data);
		counter = (volatile uint64_t *)data.ptr;
		params = nvsvm_igt_bo_alloc(&arena, 8, 8);
		params[0] = data.va;
		c = launch_kernel(spin_kernel, params, 1, 1, &s, NULL);
		wait_started(counter);

		t0 = nvsvm_igt_now_ms();
		nvsvm_igt_bo_unbind(&data);
		igt_info("VM_BIND UNMAP took %llu ms\n", (unsigned long long)(nvsvm_igt_now_ms() - t0));
		check_stopped(counter);
		expect_fence(s, -EFAULT, watchdog + TIMEOUT);
		elapsed = nvsvm_igt_now_ms() - t0;
		igt_info("the job ended %llu ms after the unmap\n", (unsigned long long)elapsed);
		igt_assert_lt_u64(elapsed, PROMPT_MS);
		check_fault(c, hole + 58 * page, DRM_NVSVM_ACCESS_WRITE, DRM_NVSVM_FAULT_UNMAPPED,
			    DRM_NVSVM_FAULT_CLIENT_SM);
		nvsvm_igt_bo_free(&data);
	}

	igt_describe("Unmapping the semaphore a SEMAPHORE_ACQUIRE is polling fails the job with -EFAULT: READ at the semaphore, client HOST.");
	igt_subtest("unmap-while-acquiring") {
		struct nvsvm_igt_bo data;
		struct nvsvm_push p;
		uint32_t c = nvsvm_igt_channel_alloc(fd), s;

		reset();
		nvsvm_igt_bo_new_at(dev, page, hole + 59 * page, 0, &data);
		nvsvm_igt_push_begin(&arena, &p, 64);
		nvsvm_push_sem_acquire(&p, data.va + 8, 1, NVSVM_PUSH_SEM_PAYLOAD_64);
		s = nvsvm_igt_submit_push(fd, c, nvsvm_igt_push_end(&arena, &p));
		usleep(300000);
		igt_assert_eq(nvsvm_igt_fence_status(fd, s), 0);
		nvsvm_igt_bo_unbind(&data);
		expect_fence(s, -EFAULT, PROMPT_MS);
		check_fault(c, hole + 59 * page + 8, DRM_NVSVM_ACCESS_READ,
			    DRM_NVSVM_FAULT_UNMAPPED, DRM_NVSVM_FAULT_CLIENT_HOST);
		nvsvm_igt_bo_free(&data);
	}

	igt_describe("CHANNEL_FREE under a blocked SEMAPHORE_ACQUIRE ends it, and the job queued behind it, promptly with -ECANCELED.");
	igt_subtest("free-while-acquiring") {
		struct drm_nvsvm_channel_get_error err = { 0 };
		uint32_t c = nvsvm_igt_channel_alloc(fd), s1, s2;
		uint64_t *sem, *marker, t0;
		struct nvsvm_push p;

		reset();
		sem = nvsvm_igt_bo_alloc(&arena, 8, 8);
		marker = nvsvm_igt_bo_alloc(&arena, 8, 8);
		nvsvm_igt_push_begin(&arena, &p, 64);
		nvsvm_push_sem_acquire(&p, VA(sem), 1, NVSVM_PUSH_SEM_PAYLOAD_64);
		s1 = nvsvm_igt_submit_push(fd, c, nvsvm_igt_push_end(&arena, &p));
		nvsvm_igt_push_begin(&arena, &p, 64);
		nvsvm_push_sem_release(&p, VA(marker), 1, NVSVM_PUSH_SEM_PAYLOAD_64);
		s2 = nvsvm_igt_submit_push(fd, c, nvsvm_igt_push_end(&arena, &p));
		usleep(300000);
		igt_assert_eq(nvsvm_igt_fence_status(fd, s1), 0);

		t0 = nvsvm_igt_now_ms();
		nvsvm_igt_channel_free(fd, c);
		expect_fence(s1, -ECANCELED, PROMPT_MS);
		expect_fence(s2, -ECANCELED, PROMPT_MS);
		igt_info("freed, both fences signalled after %llu ms\n",
			 (unsigned long long)(nvsvm_igt_now_ms() - t0));
		/* Neither ran: not even once the CPU releases the semaphore. */
		WRITE(*sem, 1);
		usleep(100000);
		igt_assert_eq_u64(READ(*marker), 0);
		err.channel = c;
		igt_assert_eq(nvsvm_igt_ioctl(fd, DRM_IOCTL_NVSVM_CHANNEL_GET_ERROR, &err), -ENOENT);
		check_new_channel_works();
	}

	igt_describe("CHANNEL_FREE under a running kernel that never ends stops it promptly (before the watchdog) with -ECANCELED.");
	igt_subtest("free-while-running") {
		uint64_t *params, t0, elapsed;
		volatile uint64_t *counter;
		uint32_t c, s;

		reset();
		params = nvsvm_igt_bo_alloc(&arena, 8, 8);
		counter = nvsvm_igt_bo_alloc(&arena, 8, 8);
		params[0] = VA((void *)counter);
		c = launch_kernel(spin_kernel, params, 1, 8, &s, NULL);
		wait_started(counter);
		t0 = nvsvm_igt_now_ms();
		nvsvm_igt_channel_free(fd, c);
		expect_fence(s, -ECANCELED, PROMPT_MS);
		elapsed = nvsvm_igt_now_ms() - t0;
		igt_info("freed, the fence signalled after %llu ms\n", (unsigned long long)elapsed);
		check_stopped(counter);
		check_new_channel_works();
	}

	igt_describe("A process exiting with a running kernel, a blocked acquire and queued jobs (closing its file without cleaning up) leaves the GPU working and every channel free.");
	igt_subtest("close-while-running") {
		uint64_t n = nvsvm_igt_get_param(fd, DRM_NVSVM_PARAM_CHANNEL_COUNT);
		struct nvsvm_igt_chanset fresh;
		uint64_t t0, i;
		int pipefd[2], status = -1;
		struct pollfd pfd;
		pid_t pid;
		char byte;

		reset();
		igt_assert_eq(pipe(pipefd), 0);
		pid = fork();
		igt_assert(pid >= 0);
		if (pid == 0) {
			close(pipefd[0]);
			busy_child(pipefd[1]);
		}
		close(pipefd[1]);
		pfd = (struct pollfd){ .fd = pipefd[0], .events = POLLIN };
		igt_assert_f(poll(&pfd, 1, 2 * TIMEOUT) == 1, "the child did not start its jobs\n");
		igt_assert_eq(read(pipefd[0], &byte, 1), 1);
		close(pipefd[0]);

		/* Its exit closes the file: that must not hang. */
		t0 = nvsvm_igt_now_ms();
		while (waitpid(pid, &status, WNOHANG) == 0) {
			if (nvsvm_igt_now_ms() - t0 > 2 * TIMEOUT) {
				kill(pid, SIGKILL);
				igt_assert_f(false, "the child did not exit within %u ms\n",
					     2 * TIMEOUT);
			}
			usleep(10000);
		}
		igt_info("the child exited %llu ms after its jobs started\n",
			 (unsigned long long)(nvsvm_igt_now_ms() - t0));
		igt_assert_f(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			     "child status %#x\n", status);

		/* Its channels were all freed: every one can be allocated again. */
		nvsvm_igt_chanset_init(&fresh, 0);
		for (i = 0; i < n; i++) {
			int ret = nvsvm_igt_chanset_alloc(&fresh);

			igt_assert_f(ret == 0, "channel %llu of %llu: %s\n",
				     (unsigned long long)i + 1, (unsigned long long)n,
				     strerror(-ret));
		}
		nvsvm_igt_chanset_fini(&fresh);

		/* And the GPU runs jobs and kernels. */
		check_new_channel_works();
		{
			uint64_t *params = nvsvm_igt_bo_alloc(&arena, 16, 8);
			uint64_t *mem = nvsvm_igt_bo_alloc(&arena, 8, 8);
			uint32_t c, s;

			params[0] = VA(mem);
			c = launch_kernel(store_kernel, params, 1, 1, &s, NULL);
			igt_assert_eq(nvsvm_igt_wait_status(fd, s, TIMEOUT), 1);
			igt_assert_eq_u64(READ(*mem), 42);
			nvsvm_igt_channel_free(fd, c);
		}
	}

	igt_describe("Several processes freeing faulting channels at once: every channel goes, the GPU goes on working, and the kernel never reports an error for a channel the driver itself reset (it logged \"unknown error 0\" when a free raced the FIFO error work).");
	igt_subtest("free-faulting-concurrently") {
		enum { CHILDREN = 4, ROUNDS = 12 };
		int kfd, status, i, failed = 0;
		pid_t pids[CHILDREN];

		reset();
		kfd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		igt_require_f(kfd >= 0, "cannot read the kernel log: %s\n", strerror(errno));
		igt_assert(lseek(kfd, 0, SEEK_END) >= 0);
		for (i = 0; i < CHILDREN; i++) {
			pids[i] = fork();
			igt_assert(pids[i] >= 0);
			if (pids[i] == 0)
				fault_free_child(ROUNDS, hole + (uint64_t)(8 + i) * page);
		}
		for (i = 0; i < CHILDREN; i++) {
			igt_assert_eq(waitpid(pids[i], &status, 0), pids[i]);
			if (!WIFEXITED(status) || WEXITSTATUS(status)) {
				igt_warn("child %d: status %#x\n", i, status);
				failed++;
			}
		}
		igt_assert_eq(failed, 0);
		check_new_channel_works();
		igt_assert_f(!kmsg_has(kfd, "unknown error"),
			     "the driver reported an error for a channel it reset\n");
		close(kfd);
	}

	/* Recovery, with the emulator's fault injection */

	igt_describe("A fault whose interrupt the GPU drops is found by the driver's lost-interrupt watchdog: the job fails with -EFAULT at the address, long before its job timeout.");
	igt_subtest("lost-fault-interrupt") {
		const uint64_t va = hole + 62 * page;
		struct nvsvm_push p;
		uint32_t c, s;

		reset();
		nvsvm_igt_require_sim_knob(fd, "drop_irq_fault");
		nvsvm_igt_module_param_set("lost_irq_check_ms", 100);
		/* Only the watchdog can end the job within the wait below. */
		c = channel_with_timeout(10 * TIMEOUT);
		nvsvm_igt_push_begin(&arena, &p, 64);
		nvsvm_push_sem_release(&p, va, 1, NVSVM_PUSH_SEM_PAYLOAD_64);
		nvsvm_igt_sim_knob_set(fd, "drop_irq_fault", 1);
		s = nvsvm_igt_submit_push(fd, c, nvsvm_igt_push_end(&arena, &p));
		expect_fence(s, -EFAULT, TIMEOUT);
		/* The interrupt really was dropped. */
		igt_assert_eq(nvsvm_igt_sim_knob_get(fd, "drop_irq_fault"), 0);
		nvsvm_igt_syncobj_destroy(fd, s);
		check_fault(c, va, DRM_NVSVM_ACCESS_WRITE, DRM_NVSVM_FAULT_UNMAPPED,
			    DRM_NVSVM_FAULT_CLIENT_HOST);
	}

	igt_describe("A job whose completion interrupt the GPU drops still signals, through the lost-interrupt watchdog, long before its job timeout; the next job signals as usual.");
	igt_subtest("lost-fifo-interrupt") {
		uint64_t *where = nvsvm_igt_bo_alloc(&arena, 16, 8);
		struct nvsvm_push p;
		uint32_t c, s;

		reset();
		where = nvsvm_igt_bo_alloc(&arena, 16, 8);
		nvsvm_igt_require_sim_knob(fd, "drop_irq_fifo");
		nvsvm_igt_module_param_set("lost_irq_check_ms", 100);
		c = channel_with_timeout(10 * TIMEOUT);
		nvsvm_igt_push_begin(&arena, &p, 64);
		nvsvm_push_sem_release(&p, VA(&where[0]), 0xfeed, NVSVM_PUSH_SEM_PAYLOAD_64);
		nvsvm_igt_sim_knob_set(fd, "drop_irq_fifo", 1);
		s = nvsvm_igt_submit_push(fd, c, nvsvm_igt_push_end(&arena, &p));
		igt_assert_eq(nvsvm_igt_wait_status(fd, s, TIMEOUT), 1);
		igt_assert_eq(nvsvm_igt_sim_knob_get(fd, "drop_irq_fifo"), 0);
		igt_assert_eq_u64(READ(where[0]), 0xfeed);
		nvsvm_igt_syncobj_destroy(fd, s);

		nvsvm_igt_push_begin(&arena, &p, 64);
		nvsvm_push_sem_release(&p, VA(&where[1]), 0xf00d, NVSVM_PUSH_SEM_PAYLOAD_64);
		igt_assert_eq(nvsvm_igt_run(fd, c, nvsvm_igt_push_end(&arena, &p)), 1);
		igt_assert_eq_u64(READ(where[1]), 0xf00d);
		nvsvm_igt_channel_free(fd, c);
	}

	igt_describe("A fault the GPU drops because the ring overflowed is raised again by the replay after the ring drains: the job fails with -EFAULT at the address instead of stalling.");
	igt_subtest("fault-overflow-replay") {
		const uint64_t va = hole + 63 * page + 0x40;
		struct nvsvm_push p;
		uint32_t c, s;

		reset();
		nvsvm_igt_require_sim_knob(fd, "fault_overflow");
		c = channel_with_timeout(10 * TIMEOUT);
		nvsvm_igt_push_begin(&arena, &p, 64);
		nvsvm_push_sem_acquire(&p, va, 1, NVSVM_PUSH_SEM_PAYLOAD_64);
		nvsvm_igt_sim_knob_set(fd, "fault_overflow", 1);
		s = nvsvm_igt_submit_push(fd, c, nvsvm_igt_push_end(&arena, &p));
		expect_fence(s, -EFAULT, TIMEOUT);
		igt_assert_eq(nvsvm_igt_sim_knob_get(fd, "fault_overflow"), 0);
		nvsvm_igt_syncobj_destroy(fd, s);
		check_fault(c, va, DRM_NVSVM_ACCESS_READ, DRM_NVSVM_FAULT_UNMAPPED,
			    DRM_NVSVM_FAULT_CLIENT_HOST);
	}

	igt_describe("A channel freed while its fault entries sit in the ring (their interrupt dropped) never affects a new channel that reuses its instance block: the entries carry the old tag, are cancelled with it, and recorded against no one; the new channel's job completes with no error and its own fault is the one it reports.");
	igt_subtest("freed-channel-pending-faults") {
		const uint64_t stale_va = hole + 62 * page + 0x80;
		const uint64_t other_va = hole + 63 * page + 0x80;
		const uint64_t own_va = hole + 61 * page + 0x80;
		uint64_t per = nvsvm_igt_get_param(fd, DRM_NVSVM_PARAM_CHANNELS_PER_FILE);
		uint32_t extra[NVSVM_IGT_MAX_CHANNELS], nextra = 0, a, b = 0, c, s, sb, i;
		struct nvsvm_igt_chan_hw a_hw, hw;
		struct drm_nvsvm_channel_get_error err;
		uint64_t *sem, *done;
		struct nvsvm_push p;

		reset();
		sem = nvsvm_igt_bo_alloc(&arena, 8, 8);
		done = nvsvm_igt_bo_alloc(&arena, 8, 8);
		nvsvm_igt_require_sim_knob(fd, "drop_irq_fault");
		/* No watchdog: the entries stay in the ring until let through. */
		nvsvm_igt_module_param_set("lost_irq_check_ms", 0);

		/* Channel a faults; its interrupt is dropped; a is freed. */
		a = nvsvm_igt_channel_alloc_hw(fd, &a_hw);
		igt_assert_neq(a_hw.tag, 0);
		nvsvm_igt_push_begin(&arena, &p, 64);
		nvsvm_push_sem_release(&p, stale_va, 1, NVSVM_PUSH_SEM_PAYLOAD_64);
		nvsvm_igt_sim_knob_set(fd, "drop_irq_fault", 1);
		s = nvsvm_igt_submit_push(fd, a, nvsvm_igt_push_end(&arena, &p));
		igt_assert_f(nvsvm_igt_sim_knob_wait_zero(fd, "drop_irq_fault", TIMEOUT),
			     "channel %u's fault was never reported\n", a);
		nvsvm_igt_channel_free(fd, a);
		nvsvm_igt_syncobj_destroy(fd, s);

		/* Channels until one has a's instance block back, with a new tag. */
		for (i = 0; i + 1 < per && !b; i++) {
			uint32_t id = nvsvm_igt_channel_alloc_hw(fd, &hw);

			if (hw.inst == a_hw.inst)
				b = id;
			else
				extra[nextra++] = id;
		}
		igt_require_f(b, "no new channel got the freed instance block %#llx back\n",
			      (unsigned long long)a_hw.inst);
		igt_assert_neq(hw.tag, a_hw.tag);
		igt_assert_neq(hw.tag, 0);

		/* b's job waits in flight while the stale entry is handled. */
		nvsvm_igt_push_begin(&arena, &p, 128);
		nvsvm_push_sem_acquire(&p, VA(sem), 1, NVSVM_PUSH_SEM_PAYLOAD_64);
		nvsvm_push_sem_release(&p, VA(done), 1, NVSVM_PUSH_SEM_PAYLOAD_64);
		sb = nvsvm_igt_submit_push(fd, b, nvsvm_igt_push_end(&arena, &p));

		/* Another channel's fault raises the interrupt: both entries drain. */
		nvsvm_igt_push_begin(&arena, &p, 64);
		nvsvm_push_sem_release(&p, other_va, 1, NVSVM_PUSH_SEM_PAYLOAD_64);
		c = run_failing(nvsvm_igt_push_end(&arena, &p), -EFAULT);
		get_error(c, &err);
		igt_assert_eq(err.error, DRM_NVSVM_CHANNEL_ERROR_MMU_FAULT);
		igt_assert_eq_u64(err.address, other_va);
		nvsvm_igt_channel_free(fd, c);

		/* b never saw any of it. */
		igt_assert_eq(nvsvm_igt_fence_status(fd, sb), 0);
		WRITE(*sem, 1);
		igt_assert_eq(nvsvm_igt_wait_status(fd, sb, TIMEOUT), 1);
		igt_assert_eq_u64(READ(*done), 1);
		get_error(b, &err);
		igt_assert_eq(err.error, DRM_NVSVM_CHANNEL_ERROR_NONE);
		igt_assert_eq_u64(err.address, 0);

		/* And when b faults, the fault it reports is its own, not a's. */
		nvsvm_igt_push_begin(&arena, &p, 64);
		nvsvm_push_sem_release(&p, own_va, 1, NVSVM_PUSH_SEM_PAYLOAD_64);
		s = nvsvm_igt_submit_push(fd, b, nvsvm_igt_push_end(&arena, &p));
		expect_fence(s, -EFAULT, TIMEOUT);
		nvsvm_igt_syncobj_destroy(fd, s);
		nvsvm_igt_syncobj_destroy(fd, sb);
		for (i = 0; i < nextra; i++)
			nvsvm_igt_channel_free(fd, extra[i]);
		check_fault(b, own_va, DRM_NVSVM_ACCESS_WRITE, DRM_NVSVM_FAULT_UNMAPPED,
			    DRM_NVSVM_FAULT_CLIENT_HOST);
	}

	igt_describe("An MMU invalidate the GPU never completes escalates: the VM's channels are reset, their jobs fail with -EIO and CHANNEL_GET_ERROR says GPU_HANG, the unmap that needed the invalidate completes, and once the GPU answers again a new channel works.");
	igt_subtest("invalidate-stuck-escalates") {
		struct drm_nvsvm_channel_get_error err;
		struct nvsvm_igt_bo victim;
		uint64_t *sem, *started, t0;
		struct nvsvm_push p;
		uint32_t c, s;

		reset();
		sem = nvsvm_igt_bo_alloc(&arena, 8, 8);
		started = nvsvm_igt_bo_alloc(&arena, 8, 8);
		nvsvm_igt_require_sim_knob(fd, "inv_stuck");
		nvsvm_igt_bo_new(dev, page, 0, &victim);

		/* A job on the GPU, waiting, when the invalidate is needed. */
		c = channel_with_timeout(10 * TIMEOUT);
		nvsvm_igt_push_begin(&arena, &p, 128);
		nvsvm_push_sem_release(&p, VA(started), 1, NVSVM_PUSH_SEM_PAYLOAD_64);
		nvsvm_push_sem_acquire(&p, VA(sem), 1, NVSVM_PUSH_SEM_PAYLOAD_64);
		s = nvsvm_igt_submit_push(fd, c, nvsvm_igt_push_end(&arena, &p));
		t0 = nvsvm_igt_now_ms();
		while (!READ(*started) && nvsvm_igt_now_ms() - t0 < TIMEOUT)
			usleep(1000);
		igt_assert_eq_u64(READ(*started), 1);

		nvsvm_igt_sim_knob_set(fd, "inv_stuck", 1);
		t0 = nvsvm_igt_now_ms();
		nvsvm_igt_bo_unbind(&victim);
		igt_require_f(nvsvm_igt_sim_knob_get(fd, "inv_stuck") == 0,
			      "the emulator does not consume inv_stuck (its invalidates are synchronous)\n");
		igt_info("the unmap took %llu ms\n", (unsigned long long)(nvsvm_igt_now_ms() - t0));

		expect_fence(s, -EIO, TIMEOUT);
		nvsvm_igt_syncobj_destroy(fd, s);
		get_error(c, &err);
		igt_assert_eq(err.error, DRM_NVSVM_CHANNEL_ERROR_GPU_HANG);
		igt_assert_eq_u64(err.address, 0);
		igt_assert_eq(err.access, 0);
		check_canceled(c);
		nvsvm_igt_channel_free(fd, c);

		/* The stuck invalidate is over (the emulator's 5 s): all works. */
		while (nvsvm_igt_now_ms() - t0 < 6000)
			usleep(100000);
		check_new_channel_works();
		nvsvm_igt_bo_free(&victim);
	}

	igt_fixture {
		nvsvm_igt_bo_free(&arena);
		nvsvm_device_close(dev);
	}
}
