// SPDX-License-Identifier: MIT
/* Copyright 2026 The nvsvm authors */

/*
 * nvsvm_svm: shared virtual memory (uAPI 1.3), in the spirit of the
 * kernel's hmm-tests and of IGT's xe_exec_system_allocator.
 *
 * The fixture makes the file's VM mirror this process (SVM_INIT, with a BO
 * window reserved by a PROT_NONE mapping), so that the GPU reaches any
 * address the process maps. Everything a job uses is plain process memory:
 * its push buffer and user fence (struct nvsvm_igt_job), the kernel's code
 * and parameters, the data. The subtests check that the GPU reads what the
 * CPU wrote and the reverse for every kind of memory; that changes to the
 * process's mappings (munmap, mremap, mprotect, madvise, fork) reach the
 * GPU; that an access the kernel cannot service fails the channel with the
 * address and the reason CHANNEL_GET_ERROR reports, and leaves other
 * channels alone; the user fences and WAIT_USER_FENCE's semantics; fault
 * mode (in-syncs, no out-syncs, a full ring); faults batched and serviced
 * under the emulator's injected overflows and lost interrupts; processes
 * and threads at once.
 *
 * Children of fork() open a device of their own and do their own SVM_INIT:
 * the parent's file mirrors the parent only. They use plain calls (no IGT
 * asserts) and report through their exit status. Every wait has a
 * deadline, so that a lost job fails its subtest instead of hanging it.
 * The whole binary skips on a driver older than uAPI 1.3.
 */

#define _GNU_SOURCE	/* mremap, O_TMPFILE */
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xf86drm.h>

#include "nvsvm_igt.h"

#define KiB (1ull << 10)
#define MiB (1ull << 20)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define READ(x) NVSVM_IGT_READ(x)
#define WRITE(x, v) NVSVM_IGT_WRITE(x, v)
#define TIMEOUT NVSVM_IGT_SVM_TIMEOUT_MS
#define NS_PER_MS 1000000ll

/* The BO window the fixture keeps out of the mirror. */
#define WINDOW_SIZE (16 * MiB)

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

/* Fixture state lives outside main: subtests longjmp out of its frame. */
static struct nvsvm_device *dev;
static int fd = -1;
static uint64_t page;
static uint64_t window;		/* [window, window + WINDOW_SIZE): BOs only */

/* ---- Kernels ------------------------------------------------------------ */

/* dst[i * stride] = src[i * stride] + add for i < n (64-bit words). */
struct xform_params {
	uint64_t src, dst, n, add, stride;
};

static const char xform_src[] =
	"	s2r	r1, param\n"
	"	s2r	r2, gtid\n"
	"	ld64	r3, [r1+16]\n"
	"	sltu	r4, r2, r3\n"
	"	beqz	r4, done\n"
	"	ld64	r5, [r1+32]\n"
	"	mul	r5, r5, r2\n"
	"	ld64	r6, [r1]\n"
	"	add	r6, r6, r5\n"
	"	ld64	r6, [r6]\n"
	"	ld64	r7, [r1+24]\n"
	"	add	r6, r6, r7\n"
	"	ld64	r8, [r1+8]\n"
	"	add	r8, r8, r5\n"
	"	st64	[r8], r6\n"
	"done:	exit\n";

/* out[i] = base[i * stride] for i < n. */
struct read_params {
	uint64_t base, stride, out, n;
};

static const char read_src[] =
	"	s2r	r1, param\n"
	"	s2r	r2, gtid\n"
	"	ld64	r3, [r1+24]\n"
	"	sltu	r4, r2, r3\n"
	"	beqz	r4, done\n"
	"	ld64	r5, [r1+8]\n"
	"	mul	r5, r5, r2\n"
	"	ld64	r6, [r1]\n"
	"	add	r6, r6, r5\n"
	"	ld64	r6, [r6]\n"
	"	shli	r7, r2, 3\n"
	"	ld64	r8, [r1+16]\n"
	"	add	r8, r8, r7\n"
	"	st64	[r8], r6\n"
	"done:	exit\n";

/* base[i * stride] = value + i for i < n. */
struct write_params {
	uint64_t base, stride, value, n;
};

static const char write_src[] =
	"	s2r	r1, param\n"
	"	s2r	r2, gtid\n"
	"	ld64	r3, [r1+24]\n"
	"	sltu	r4, r2, r3\n"
	"	beqz	r4, done\n"
	"	ld64	r5, [r1+8]\n"
	"	mul	r5, r5, r2\n"
	"	ld64	r6, [r1]\n"
	"	add	r6, r6, r5\n"
	"	ld64	r7, [r1+16]\n"
	"	add	r7, r7, r2\n"
	"	st64	[r6], r7\n"
	"done:	exit\n";

/* One thread, one word: the kernels below. */
struct one_params {
	uint64_t addr, value, result;
};

/* result = *addr */
static const char load1_src[] =
	"	s2r	r1, param\n"
	"	ld64	r2, [r1]\n"
	"	ld64	r3, [r2]\n"
	"	st64	[r1+16], r3\n"
	"	exit\n";

/* *addr = value */
static const char store1_src[] =
	"	s2r	r1, param\n"
	"	ld64	r2, [r1]\n"
	"	ld64	r3, [r1+8]\n"
	"	st64	[r2], r3\n"
	"	exit\n";

/* result = *addr, then *addr = value: a read that works, then a write. */
static const char load_store1_src[] =
	"	s2r	r1, param\n"
	"	ld64	r2, [r1]\n"
	"	ld64	r3, [r2]\n"
	"	st64	[r1+16], r3\n"
	"	ld64	r3, [r1+8]\n"
	"	st64	[r2], r3\n"
	"	exit\n";

/* result = atomadd64(addr, 1) */
static const char atomic1_src[] =
	"	s2r	r1, param\n"
	"	ld64	r2, [r1]\n"
	"	movi	r3, 1\n"
	"	atomadd64 r4, [r2], r3\n"
	"	st64	[r1+16], r4\n"
	"	exit\n";

/*
 * Every thread: *started = 1, then iters times counters[gtid % 16] += 1,
 * atomically.
 */
struct count_params {
	uint64_t counters, iters, started;
};

static const char count_src[] =
	"	s2r	r1, param\n"
	"	s2r	r2, gtid\n"
	"	ld64	r3, [r1+16]\n"
	"	movi	r4, 1\n"
	"	st64	[r3], r4\n"
	"	andi	r5, r2, 15\n"
	"	shli	r5, r5, 3\n"
	"	ld64	r6, [r1]\n"
	"	add	r6, r6, r5\n"
	"	ld64	r7, [r1+8]\n"
	"loop:	beqz	r7, done\n"
	"	atomadd64 r8, [r6], r4\n"
	"	addi	r7, r7, -1\n"
	"	bra	loop\n"
	"done:	exit\n";

/*
 * Thread t: *started = 1, then for k < iters: the first word of page
 * (k * 8 + t) % npages of base = k. Pages are 4 KiB.
 */
struct spin_params {
	uint64_t base, npages, iters, started;
};

static const char spin_src[] =
	"	s2r	r1, param\n"
	"	s2r	r2, gtid\n"
	"	ld64	r3, [r1+24]\n"
	"	movi	r4, 1\n"
	"	st64	[r3], r4\n"
	"	ld64	r5, [r1]\n"
	"	ld64	r6, [r1+8]\n"
	"	ld64	r7, [r1+16]\n"
	"	movi	r8, 0\n"
	"loop:	sltu	r9, r8, r7\n"
	"	beqz	r9, done\n"
	"	shli	r10, r8, 3\n"
	"	add	r10, r10, r2\n"
	"	remu	r10, r10, r6\n"
	"	shli	r10, r10, 12\n"
	"	add	r10, r10, r5\n"
	"	st64	[r10], r8\n"
	"	addi	r8, r8, 1\n"
	"	bra	loop\n"
	"done:	exit\n";

static uint64_t *k_xform, *k_read, *k_write, *k_load1, *k_store1, *k_load_store1;
static uint64_t *k_atomic1, *k_count, *k_spin;

static void assemble_kernels(void)
{
	k_xform = nvsvm_igt_svm_code(xform_src);
	k_read = nvsvm_igt_svm_code(read_src);
	k_write = nvsvm_igt_svm_code(write_src);
	k_load1 = nvsvm_igt_svm_code(load1_src);
	k_store1 = nvsvm_igt_svm_code(store1_src);
	k_load_store1 = nvsvm_igt_svm_code(load_store1_src);
	k_atomic1 = nvsvm_igt_svm_code(atomic1_src);
	k_count = nvsvm_igt_svm_code(count_src);
	k_spin = nvsvm_igt_svm_code(spin_src);
}

/* ---- Running them ------------------------------------------------------- */

/* A value for word @i of a buffer filled with @seed: all different. */
static uint64_t pat(uint64_t seed, uint64_t i)
{
	return (seed * 0x9e3779b97f4a7c15ull) ^ (i * 0xbf58476d1ce4e5b9ull) ^ (i << 1) ^ 1;
}

static uint32_t blocks_of(uint64_t n)
{
	return (uint32_t)((n + 255) / 256);
}

static uint32_t threads_of(uint64_t n)
{
	return n < 256 ? (uint32_t)n : 256;
}

static const char *error_line(uint32_t c, char *buf, size_t size)
{
	struct drm_nvsvm_channel_get_error e;
	struct nvsvm_channel_error ce;

	nvsvm_igt_channel_get_error(fd, c, &e);
	ce = (struct nvsvm_channel_error){
		.error = e.error, .access = e.access, .fault_type = e.fault_type,
		.client = e.client, .address = e.address, .reason = e.reason,
	};
	return nvsvm_channel_error_format(&ce, buf, size);
}

/* @ret, a job's end on channel @c, is success; else say why it failed. */
static void expect_ok(uint32_t c, int ret)
{
	char buf[256];

	if (ret == -EIO)
		igt_assert_f(false, "the job on channel %u failed: %s\n", c,
			     error_line(c, buf, sizeof(buf)));
	igt_assert_f(ret == 0, "the job on channel %u: %s\n", c, strerror(-ret));
}

/* Run @n threads of @code on a new channel and expect them to complete. */
static void run_ok(const uint64_t *code, void *params, uint64_t n)
{
	uint32_t c = nvsvm_igt_channel_alloc(fd);

	expect_ok(c, nvsvm_igt_svm_launch(fd, c, code, params, blocks_of(n), threads_of(n)));
	nvsvm_igt_channel_free(fd, c);
}

/* Run @n threads of @code on a new channel, expect the channel to fail; return it. */
static uint32_t run_fails(const uint64_t *code, void *params, uint64_t n)
{
	uint32_t c = nvsvm_igt_channel_alloc(fd);
	int ret = nvsvm_igt_svm_launch(fd, c, code, params, blocks_of(n), threads_of(n));

	igt_assert_f(ret == -EIO, "the job on channel %u ended with %d (%s), not -EIO\n", c,
		     ret, strerror(-ret));
	return c;
}

/* The GPU reads base[i * stride] for i < n into out[]. */
static void gpu_read(uint64_t base, uint64_t stride, uint64_t n, uint64_t *out)
{
	struct read_params *prm = malloc(sizeof(*prm));

	igt_assert(prm);
	*prm = (struct read_params){ base, stride, (uintptr_t)out, n };
	run_ok(k_read, prm, n);
	free(prm);
}

/* The GPU writes base[i * stride] = value + i for i < n. */
static void gpu_write(uint64_t base, uint64_t stride, uint64_t n, uint64_t value)
{
	struct write_params *prm = malloc(sizeof(*prm));

	igt_assert(prm);
	*prm = (struct write_params){ base, stride, value, n };
	run_ok(k_write, prm, n);
	free(prm);
}

/* The first word of each of @npages pages at @p, read by the GPU, is want(i). */
static void check_gpu_reads_pages(const void *p, uint64_t npages, uint64_t seed)
{
	uint64_t *out = calloc(npages, sizeof(*out)), i;

	igt_assert(out);
	gpu_read((uintptr_t)p, page, npages, out);
	for (i = 0; i < npages; i++)
		igt_assert_f(out[i] == pat(seed, i), "page %llu: the GPU read %#llx, want %#llx\n",
			     (unsigned long long)i, (unsigned long long)out[i],
			     (unsigned long long)pat(seed, i));
	free(out);
}

/* Put pat(seed, i) in the first word of each of @npages pages at @p. */
static void fill_pages(void *p, uint64_t npages, uint64_t seed)
{
	uint64_t i;

	for (i = 0; i < npages; i++)
		WRITE(*(uint64_t *)((char *)p + i * page), pat(seed, i));
}

/*
 * The GPU reads the first half of @mem (@bytes) and writes it, plus a
 * constant, into the second half; the CPU checks both. With @filled the
 * CPU writes the first half first, else it must read as zeros (memory no
 * one has touched). Every @stride bytes.
 */
static void check_rw(void *mem, uint64_t bytes, uint64_t stride, bool filled, uint64_t seed)
{
	const uint64_t add = 0x1111111111111111ull;
	uint64_t n = bytes / 2 / stride, i;
	char *src = mem, *dst = src + bytes / 2;
	struct xform_params *prm = malloc(sizeof(*prm));

	igt_assert(prm);
	if (filled)
		for (i = 0; i < n; i++)
			WRITE(*(uint64_t *)(src + i * stride), pat(seed, i));
	*prm = (struct xform_params){ (uintptr_t)src, (uintptr_t)dst, n, add, stride };
	run_ok(k_xform, prm, n);
	for (i = 0; i < n; i++) {
		uint64_t want = (filled ? pat(seed, i) : 0) + add;
		uint64_t got = READ(*(uint64_t *)(dst + i * stride));

		igt_assert_f(got == want, "word %llu: the GPU wrote %#llx, want %#llx\n",
			     (unsigned long long)i, (unsigned long long)got,
			     (unsigned long long)want);
		igt_assert_eq_u64(READ(*(uint64_t *)(src + i * stride)), filled ? pat(seed, i) : 0);
	}
	free(prm);
}

/* Nothing is mapped in [@va, @va + @size) of this process. */
static bool is_unmapped(uint64_t va, uint64_t size)
{
	uint64_t off;

	for (off = 0; off < size; off += page)
		if (msync((void *)(uintptr_t)(va + off), page, MS_ASYNC) == 0 || errno != ENOMEM)
			return false;
	return true;
}

/*
 * @size bytes of address space with nothing mapped, far above where mmap()
 * puts things, so that nothing else lands there during the subtest.
 */
static uint64_t hole_va(uint64_t size)
{
	uint64_t va = 0x300000000000ull + (uint64_t)(getpid() % 1024) * (64 * MiB);
	unsigned int i;

	for (i = 0; i < 64; i++, va += 64 * MiB)
		if (is_unmapped(va, size))
			return va;
	igt_assert_f(false, "no unmapped range of %#llx bytes found\n", (unsigned long long)size);
	return 0;
}

static void *mmap_anon(uint64_t size, int prot, int flags)
{
	void *p = mmap(NULL, size, prot, flags | MAP_ANONYMOUS, -1, 0);

	igt_assert_f(p != MAP_FAILED, "mmap of %#llx bytes: %s\n", (unsigned long long)size,
		     strerror(errno));
	return p;
}

/* Anonymous memory of @size aligned to @align (a power of two). */
static void *mmap_aligned(uint64_t size, uint64_t align)
{
	char *p = mmap_anon(size + align, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	char *a = (char *)(((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1));

	if (a > p)
		igt_assert_eq(munmap(p, a - p), 0);
	if (a + size < p + size + align)
		igt_assert_eq(munmap(a + size, p + size + align - (a + size)), 0);
	return a;
}

static void stats(struct nvsvm_svm_stats *s)
{
	nvsvm_igt_svm_stats(dev, s);
}

static void print_stats_delta(const char *what, const struct nvsvm_svm_stats *a,
			      const struct nvsvm_svm_stats *b)
{
	igt_info("%s: faults %llu batches %llu duplicates %llu replays %llu cancels %llu "
		 "invalidations %llu blocks %llu retries %llu map_4k %llu map_2m %llu "
		 "exclusive %llu\n", what,
		 (unsigned long long)(b->faults - a->faults),
		 (unsigned long long)(b->batches - a->batches),
		 (unsigned long long)(b->duplicates - a->duplicates),
		 (unsigned long long)(b->replays - a->replays),
		 (unsigned long long)(b->cancels - a->cancels),
		 (unsigned long long)(b->invalidations - a->invalidations),
		 (unsigned long long)(b->blocks - a->blocks),
		 (unsigned long long)(b->retries - a->retries),
		 (unsigned long long)(b->map_4k - a->map_4k),
		 (unsigned long long)(b->map_2m - a->map_2m),
		 (unsigned long long)(b->exclusive - a->exclusive));
}

/* ---- For children and threads: no IGT asserts --------------------------- */

#define CHILD_CHECK(cond, ...)							\
	do {									\
		if (!(cond)) {							\
			fprintf(stderr, "pid %d, line %d: %s: ", getpid(), __LINE__,	\
				#cond);						\
			fprintf(stderr, __VA_ARGS__);				\
			fputc('\n', stderr);					\
			_exit(1);						\
		}								\
	} while (0)

/*
 * Run @n threads of @code with @params on @channel of file @cfd and wait:
 * 0, -EIO (the channel failed) or another error. On a timeout the job's
 * memory is left allocated: the GPU may still use it.
 */
static int plain_run(int cfd, uint32_t channel, const uint64_t *code, const void *params,
		     uint64_t n)
{
	uint32_t *pb = malloc(256);
	uint64_t *fence = calloc(1, sizeof(*fence));
	struct drm_nvsvm_push push;
	struct nvsvm_push p;
	int ret;

	if (!pb || !fence) {
		free(pb);
		free(fence);
		return -ENOMEM;
	}
	nvsvm_push_init(&p, pb, 256);
	nvsvm_push_launch(&p, (uintptr_t)code, (uintptr_t)params, blocks_of(n), threads_of(n));
	push = (struct drm_nvsvm_push){ .va = (uintptr_t)pb, .dwords = nvsvm_push_end(&p) };
	ret = __nvsvm_igt_exec_fence(cfd, channel, &push, 1, (uintptr_t)fence, 1);
	if (!ret)
		ret = __nvsvm_igt_wait_user_fence(cfd, (uintptr_t)fence, 1, ~0ull,
						  DRM_NVSVM_WAIT_EQ, TIMEOUT * NS_PER_MS, channel);
	if (ret != -ETIME) {
		free(pb);
		free(fence);
	}
	return ret;
}

static int plain_read(int cfd, uint32_t channel, uint64_t base, uint64_t stride, uint64_t n,
		      uint64_t *out)
{
	struct read_params prm = { base, stride, (uintptr_t)out, n };

	return plain_run(cfd, channel, k_read, &prm, n);
}

static int plain_write(int cfd, uint32_t channel, uint64_t base, uint64_t stride, uint64_t n,
		       uint64_t value)
{
	struct write_params prm = { base, stride, value, n };

	return plain_run(cfd, channel, k_write, &prm, n);
}

/* In a child: open the GPU, mirror this process, allocate a channel. */
static int child_open(uint32_t *channel)
{
	struct nvsvm_device *d;
	int cfd, ret;

	ret = nvsvm_device_open(0, &d);
	CHILD_CHECK(ret == 0, "open: %s", strerror(-ret));
	cfd = nvsvm_device_fd(d);
	ret = __nvsvm_igt_svm_init(cfd, 0, 0);
	CHILD_CHECK(ret == 0, "SVM_INIT: %s", strerror(-ret));
	ret = __nvsvm_igt_channel_alloc(cfd, channel);
	CHILD_CHECK(ret == 0, "CHANNEL_ALLOC: %s", strerror(-ret));
	return cfd;	/* the device stays open until the child exits */
}

/* Send one byte down a pipe; wait for one (at most 2 * TIMEOUT). */
static void send_byte(int wfd, char c)
{
	igt_assert_eq(write(wfd, &c, 1), 1);
}

/* Read @size bytes from a pipe, waiting at most 2 * TIMEOUT: false on EOF. */
static bool plain_recv(int rfd, void *buf, size_t size)
{
	struct pollfd pfd = { .fd = rfd, .events = POLLIN };

	return poll(&pfd, 1, 2 * TIMEOUT) == 1 && read(rfd, buf, size) == (ssize_t)size;
}

static bool plain_recv_byte(int rfd, char want)
{
	char c;

	return plain_recv(rfd, &c, 1) && c == want;
}

static void recv_byte(int rfd, char want)
{
	igt_assert_f(plain_recv_byte(rfd, want), "no '%c' from the other process\n", want);
}

/* Wait for child @pid (at most 3 * TIMEOUT) and check it exited with 0. */
static void wait_child(pid_t pid)
{
	uint64_t t0 = nvsvm_igt_now_ms();
	int status = -1;

	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (nvsvm_igt_now_ms() - t0 > 3 * TIMEOUT) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			igt_assert_f(false, "child %d did not exit within %u ms\n", pid,
				     3 * TIMEOUT);
		}
		usleep(10000);
	}
	igt_assert_f(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		     "child %d: status %#x\n", pid, status);
}

static pid_t fork_child(void)
{
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	igt_assert(pid >= 0);
	return pid;
}

/* The first word of pages [@first, @first + @n) at @p, read by the GPU, is pat(seed, i). */
static void check_gpu_reads_range(const void *p, uint64_t first, uint64_t n, uint64_t seed)
{
	uint64_t *out = calloc(n, sizeof(*out)), i;

	igt_assert(out);
	gpu_read((uintptr_t)p + first * page, page, n, out);
	for (i = 0; i < n; i++)
		igt_assert_f(out[i] == pat(seed, first + i),
			     "page %llu: the GPU read %#llx, want %#llx\n",
			     (unsigned long long)(first + i), (unsigned long long)out[i],
			     (unsigned long long)pat(seed, first + i));
	free(out);
}

/* The GPU reads only zeros in the first words of @n pages at @p. */
static void check_gpu_reads_zeros(const void *p, uint64_t n)
{
	uint64_t *out = malloc(n * sizeof(*out)), i;

	igt_assert(out);
	memset(out, 0xa5, n * sizeof(*out));
	gpu_read((uintptr_t)p, page, n, out);
	for (i = 0; i < n; i++)
		igt_assert_f(out[i] == 0, "page %llu: the GPU read %#llx, want 0\n",
			     (unsigned long long)i, (unsigned long long)out[i]);
	free(out);
}

/* A kernel of one thread faults at @va: the channel it ran on, failed. */
static uint32_t fault_one(const uint64_t *code, uint64_t va, struct one_params **out)
{
	struct one_params *prm = malloc(sizeof(*prm));
	uint32_t c;

	igt_assert(prm);
	*prm = (struct one_params){ .addr = va, .value = 0xbadbadbad, .result = 0x1111 };
	c = run_fails(code, prm, 1);
	if (out)
		*out = prm;
	else
		free(prm);
	return c;
}

/* The invalidation counter grew between @a and @b: the GPU's mappings were zapped. */
static void check_invalidated(const struct nvsvm_svm_stats *a, const struct nvsvm_svm_stats *b)
{
	print_stats_delta("after the change", a, b);
	igt_assert_lt_u64(a->invalidations, b->invalidations);
}

/* AnonHugePages of the mapping holding @p, in kB, from /proc/self/smaps. */
static unsigned long thp_kb(const void *p)
{
	unsigned long start, end, kb = 0;
	bool in = false;
	char line[512];
	FILE *f = fopen("/proc/self/smaps", "r");

	igt_assert(f);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &start, &end) == 2 && strchr(line, '-') < strchr(line, ' ')) {
			in = start <= (uintptr_t)p && (uintptr_t)p < end;
			continue;
		}
		if (in && sscanf(line, "AnonHugePages: %lu kB", &kb) == 1)
			break;
	}
	fclose(f);
	return kb;
}

/* The hugetlb pool's size before this process changed it, to put back at exit. */
static long saved_nr_hugepages = -1;

static long read_long(const char *path)
{
	FILE *f = fopen(path, "r");
	long v = -1;

	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static bool write_long(const char *path, long v)
{
	FILE *f = fopen(path, "w");
	bool ok;

	if (!f)
		return false;
	ok = fprintf(f, "%ld", v) > 0;
	return fclose(f) == 0 && ok;
}

static void restore_nr_hugepages(void)
{
	if (saved_nr_hugepages >= 0)
		write_long("/proc/sys/vm/nr_hugepages", saved_nr_hugepages);
}

/* Try to add @n huge pages to the pool (root only); put it back at exit. */
static void reserve_huge_pages(long n)
{
	long cur = read_long("/proc/sys/vm/nr_hugepages");

	if (cur < 0)
		return;
	if (saved_nr_hugepages < 0) {
		saved_nr_hugepages = cur;
		atexit(restore_nr_hugepages);
	}
	write_long("/proc/sys/vm/nr_hugepages", cur + n);
	igt_info("nr_hugepages: %ld, now %ld\n", cur,
		 read_long("/proc/sys/vm/nr_hugepages"));
}

/* The default huge page size in kB (/proc/meminfo), 0 if none. */
static unsigned long huge_page_kb(void)
{
	unsigned long kb = 0;
	char line[256];
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Hugepagesize: %lu kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* A file of @size bytes that nothing else sees, in /tmp (tmpfs in the VM). */
static int tmp_file(uint64_t size)
{
	int f = open("/tmp", O_TMPFILE | O_RDWR | O_EXCL | O_CLOEXEC, 0600);

	igt_assert_f(f >= 0, "O_TMPFILE in /tmp: %s\n", strerror(errno));
	igt_assert_eq(ftruncate(f, size), 0);
	return f;
}

/*
 * A file-backed mapping (@flags MAP_SHARED or MAP_PRIVATE) of 64 KiB whose
 * first half the file holds (written with pwrite): the GPU reads it and
 * writes the second half. The CPU checks the mapping, and what the file
 * holds with pread: the GPU's writes when shared, the file's old contents
 * when private.
 */
static void check_file_mapping(int flags)
{
	const uint64_t size = 64 * KiB, half = size / 2, n = half / 8, add = 0x4242;
	uint64_t *words = malloc(half), *back = malloc(half), i;
	struct xform_params *prm = malloc(sizeof(*prm));
	int f = tmp_file(size);
	char *p;

	igt_assert(words && back && prm);
	for (i = 0; i < n; i++)
		words[i] = pat(6, i);
	igt_assert_eq(pwrite(f, words, half, 0), (ssize_t)half);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, flags, f, 0);
	igt_assert(p != MAP_FAILED);

	*prm = (struct xform_params){ (uintptr_t)p, (uintptr_t)(p + half), n, add, 8 };
	run_ok(k_xform, prm, n);
	for (i = 0; i < n; i++)
		igt_assert_eq_u64(READ(((uint64_t *)(p + half))[i]), pat(6, i) + add);

	igt_assert_eq(pread(f, back, half, half), (ssize_t)half);
	for (i = 0; i < n; i++)
		igt_assert_f(back[i] == (flags & MAP_SHARED ? pat(6, i) + add : 0),
			     "file word %llu holds %#llx after the GPU's write to a %s mapping\n",
			     (unsigned long long)(n + i), (unsigned long long)back[i],
			     flags & MAP_SHARED ? "shared" : "private");
	igt_assert_eq(pread(f, back, half, 0), (ssize_t)half);
	igt_assert(!memcmp(back, words, half));

	munmap(p, size);
	close(f);
	free(prm);
	free(back);
	free(words);
}

static void __attribute__((noinline)) check_stack(void)
{
	uint64_t buf[4096];	/* 32 KiB of this thread's stack */

	check_rw(buf, sizeof(buf), 8, true, 3);
}

/* The knob armed by this process, disarmed at exit whatever happens. */
static char armed_knob[256];

static void disarm_knob(void)
{
	int f = open(armed_knob, O_WRONLY | O_CLOEXEC);

	if (f >= 0) {
		if (write(f, "0", 1) != 1)
			perror(armed_knob);
		close(f);
	}
}

static void arm_knob(const char *path, unsigned long value)
{
	igt_assert(strlen(path) < sizeof(armed_knob) && !armed_knob[0]);
	strcpy(armed_knob, path);
	atexit(disarm_knob);
	nvsvm_igt_sim_knob_write(path, 0);	/* whatever an earlier run left */
	nvsvm_igt_sim_knob_write(path, value);
	igt_assert_eq_u64(nvsvm_igt_sim_knob_read(path), value);
}

/* ---- Threads, signals and sleeping ------------------------------------- */

static void *write_after(void *arg)
{
	uint64_t *word = ((uint64_t **)arg)[0];
	uint64_t value = (uintptr_t)((void **)arg)[1];
	unsigned int ms = (uintptr_t)((void **)arg)[2];

	usleep(ms * 1000);
	__atomic_store_n(word, value, __ATOMIC_SEQ_CST);
	return NULL;
}

/* A thread that writes @value at @word after @ms milliseconds. */
struct later {
	pthread_t thread;
	void *args[3];
};

static void write_later(struct later *l, uint64_t *word, uint64_t value, unsigned int ms)
{
	l->args[0] = word;
	l->args[1] = (void *)(uintptr_t)value;
	l->args[2] = (void *)(uintptr_t)ms;
	igt_assert_eq(pthread_create(&l->thread, NULL, write_after, l->args), 0);
}

static void later_join(struct later *l)
{
	igt_assert_eq(pthread_join(l->thread, NULL), 0);
}

static volatile sig_atomic_t nr_signals;

static void on_signal(int sig)
{
	nr_signals++;
}

static void set_alarm_handler(bool restart)
{
	struct sigaction sa = { .sa_handler = on_signal, .sa_flags = restart ? SA_RESTART : 0 };

	sigemptyset(&sa.sa_mask);
	igt_assert_eq(sigaction(SIGALRM, &sa, NULL), 0);
	nr_signals = 0;
}

static void set_alarm(unsigned int first_ms, unsigned int interval_ms)
{
	struct itimerval it = {
		.it_value = { first_ms / 1000, (first_ms % 1000) * 1000 },
		.it_interval = { interval_ms / 1000, (interval_ms % 1000) * 1000 },
	};

	igt_assert_eq(setitimer(ITIMER_REAL, &it, NULL), 0);
}

/*
 * After 20 s, stop the signals: a wait that restarted with its whole
 * timeout each time then ends, late, and fails its check instead of
 * hanging the subtest.
 */
static void *stop_alarm_later(void *arg)
{
	struct itimerval none = { 0 };

	sleep(20);
	setitimer(ITIMER_REAL, &none, NULL);
	return NULL;
}

/* Start stop_alarm_later() in a thread that never takes SIGALRM itself. */
static void start_stopper(pthread_t *thread)
{
	sigset_t alrm, old;

	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	igt_assert_eq(pthread_sigmask(SIG_BLOCK, &alrm, &old), 0);
	igt_assert_eq(pthread_create(thread, NULL, stop_alarm_later, NULL), 0);
	igt_assert_eq(pthread_sigmask(SIG_SETMASK, &old, NULL), 0);
}

/* ---- Threads of one process, each with a channel -------------------------- */

struct worker {
	pthread_t thread;
	unsigned int id;
	int ret;		/* 0, or why it failed */
	char msg[160];
};

static void *worker_run(void *arg)
{
	struct worker *w = arg;
	const uint64_t n = 2048;	/* 16 KiB in, 16 KiB out */
	uint64_t *buf = malloc(2 * n * sizeof(*buf)), i;
	struct xform_params prm;
	uint32_t channel = 0;
	unsigned int job;

	w->ret = buf ? __nvsvm_igt_channel_alloc(fd, &channel) : -ENOMEM;
	if (w->ret) {
		snprintf(w->msg, sizeof(w->msg), "setting up: %s", strerror(-w->ret));
		goto out;
	}
	for (i = 0; i < n; i++)
		buf[i] = pat(100 + w->id, i);
	for (job = 0; job < 4; job++) {
		prm = (struct xform_params){ (uintptr_t)buf, (uintptr_t)(buf + n), n, job + 1, 8 };
		w->ret = plain_run(fd, channel, k_xform, &prm, n);
		if (w->ret) {
			snprintf(w->msg, sizeof(w->msg), "job %u: %s", job, strerror(-w->ret));
			goto out;
		}
		for (i = 0; i < n; i++) {
			if (READ(buf[n + i]) == pat(100 + w->id, i) + job + 1)
				continue;
			w->ret = -EINVAL;
			snprintf(w->msg, sizeof(w->msg), "job %u: word %llu is %#llx", job,
				 (unsigned long long)i, (unsigned long long)READ(buf[n + i]));
			goto out;
		}
	}
out:
	if (channel)
		__nvsvm_igt_channel_free(fd, channel);
	if (w->ret != -ETIME)
		free(buf);
	return NULL;
}

/* ---- CPU atomics beside the GPU's --------------------------------------- */

struct cpu_adder {
	pthread_t thread;
	uint64_t *counters;
	const volatile uint64_t *started;
	unsigned int rounds;
	bool saw_start;
};

static void *cpu_add(void *arg)
{
	struct cpu_adder *a = arg;
	uint64_t t0 = nvsvm_igt_now_ms();
	unsigned int r, c;

	while (!*a->started && nvsvm_igt_now_ms() - t0 < TIMEOUT)
		usleep(100);
	a->saw_start = *a->started != 0;
	for (r = 0; r < a->rounds; r++) {
		for (c = 0; c < 16; c++)
			__atomic_fetch_add(&a->counters[c], 1, __ATOMIC_RELAXED);
		if (r % 16 == 15)
			usleep(100);
	}
	return NULL;
}

/*
 * 256 GPU threads (64 atomadd64 each) and two CPU threads (atomic adds)
 * on the 16 counters at @counters at once: every counter must end exact.
 */
static void atomics_with_cpu(const char *what, uint64_t *counters)
{
	const unsigned int rounds = 1000, iters = 64;
	uint64_t *started = calloc(1, sizeof(*started));
	struct count_params *prm = malloc(sizeof(*prm));
	struct cpu_adder adders[2];
	struct nvsvm_svm_stats s0, s1;
	uint32_t c = nvsvm_igt_channel_alloc(fd);
	struct nvsvm_igt_job job;
	unsigned int i;
	int ret;

	igt_assert(started && prm);
	memset(counters, 0, 16 * sizeof(*counters));
	*prm = (struct count_params){ (uintptr_t)counters, iters, (uintptr_t)started };
	stats(&s0);
	nvsvm_igt_job_init(&job, fd, c);
	nvsvm_push_launch(&job.push, (uintptr_t)k_count, (uintptr_t)prm, 1, 256);
	nvsvm_igt_job_submit(&job);
	for (i = 0; i < 2; i++) {
		adders[i] = (struct cpu_adder){
			.counters = counters, .started = started, .rounds = rounds,
		};
		igt_assert_eq(pthread_create(&adders[i].thread, NULL, cpu_add, &adders[i]), 0);
	}
	ret = nvsvm_igt_job_wait(&job, 2 * TIMEOUT);
	for (i = 0; i < 2; i++)
		igt_assert_eq(pthread_join(adders[i].thread, NULL), 0);
	expect_ok(c, ret);
	stats(&s1);
	print_stats_delta(what, &s0, &s1);
	for (i = 0; i < 2; i++)
		igt_assert_f(adders[i].saw_start, "CPU thread %u never saw the GPU start\n", i);
	for (i = 0; i < 16; i++)
		igt_assert_f(counters[i] == 256 / 16 * iters + 2 * rounds,
			     "counter %u is %llu, want %u\n", i,
			     (unsigned long long)counters[i], 256 / 16 * iters + 2 * rounds);
	nvsvm_igt_channel_free(fd, c);
	nvsvm_igt_job_fini(&job);
	free(prm);
	free(started);
}

/* The lib-exec-busy-retry subtest. */
static void lib_exec_busy_retry(void)
{
	const unsigned int max_jobs = 65536;
	uint64_t *slots = calloc(max_jobs + 1, 8), *sem = calloc(1, 8), t0, elapsed;
	uint32_t *pb = malloc(64), *nop = malloc(64), c = nvsvm_igt_channel_alloc(fd);
	struct drm_nvsvm_push acquire, nop_push = { .va = (uintptr_t)nop, .dwords = 1 };
	struct nvsvm_push p;
	struct later l;
	unsigned int n;
	int ret;

	igt_assert(slots && sem && pb && nop);
	nop[0] = NVSVM_PUSH_HEADER(NVSVM_PUSH_METHOD_NOP, 0);
	nvsvm_push_init(&p, pb, 64);
	nvsvm_push_sem_acquire(&p, (uintptr_t)sem, 1, NVSVM_PUSH_SEM_PAYLOAD_64);
	igt_assert_eq(nvsvm_push_to_exec(&p, &acquire), 0);
	igt_assert_eq(nvsvm_exec_fence(dev, c, &acquire, 1, NULL, 0,
				       (uintptr_t)&slots[0], 1, 0), 0);
	for (n = 1; n < max_jobs; n++) {
		ret = nvsvm_exec_fence(dev, c, &nop_push, 1, NULL, 0, (uintptr_t)&slots[n],
				       n + 1, 0);
		if (ret)
			break;
	}
	igt_assert_eq(ret, -EBUSY);
	write_later(&l, sem, 1, 500);
	t0 = nvsvm_igt_now_ms();
	ret = nvsvm_exec_fence(dev, c, &nop_push, 1, NULL, 0, (uintptr_t)&slots[n], n + 1,
			       TIMEOUT * NS_PER_MS);
	elapsed = nvsvm_igt_now_ms() - t0;
	later_join(&l);
	igt_info("ring full after %u jobs; the library submitted after %llu ms: %d\n", n,
		 (unsigned long long)elapsed, ret);
	igt_assert_eq(ret, 0);
	igt_assert_lte_u64(400, elapsed);
	expect_ok(c, nvsvm_wait_user_fence(dev, (uintptr_t)&slots[n], n + 1, ~0ull,
					   DRM_NVSVM_WAIT_EQ, TIMEOUT * NS_PER_MS, c));
	igt_assert_eq_u64(READ(slots[n - 1]), n);
	igt_assert_eq(nvsvm_channel_free(dev, c), 0);
	free(nop);
	free(pb);
	free(sem);
	free(slots);
}

igt_main
{
	igt_fixture {
		dev = nvsvm_igt_open(0);
		fd = nvsvm_device_fd(dev);
		nvsvm_igt_require_uapi(fd, 3);
		page = sysconf(_SC_PAGESIZE);
		igt_assert_eq_u64(page, 4096);	/* the spin kernel's pages */
		window = (uintptr_t)mmap_anon(WINDOW_SIZE, PROT_NONE, MAP_PRIVATE | MAP_NORESERVE);
		nvsvm_igt_svm_init(fd, window, WINDOW_SIZE);
		assemble_kernels();
	}

	/* Kinds of memory */

	igt_describe("The GPU reads what the CPU wrote into malloc'd memory (256 KiB) and the CPU reads what the GPU wrote there.");
	igt_subtest("malloc") {
		void *p = malloc(256 * KiB);

		igt_assert(p);
		check_rw(p, 256 * KiB, 8, true, 1);
		free(p);
	}

	igt_describe("calloc'd memory no one has touched reads as zeros on the GPU, and takes the GPU's writes.");
	igt_subtest("calloc") {
		void *p = calloc(1, 256 * KiB);

		igt_assert(p);
		check_rw(p, 256 * KiB, 8, false, 2);
		free(p);
	}

	igt_describe("The GPU reads and writes an array on the calling thread's stack.");
	igt_subtest("stack")
		check_stack();

	igt_describe("Anonymous private mmap: GPU reads of CPU writes, CPU reads of GPU writes.");
	igt_subtest("mmap-anon-private") {
		void *p = mmap_anon(256 * KiB, PROT_READ | PROT_WRITE, MAP_PRIVATE);

		check_rw(p, 256 * KiB, 8, true, 4);
		munmap(p, 256 * KiB);
	}

	igt_describe("Anonymous shared mmap: GPU reads of CPU writes, CPU reads of GPU writes.");
	igt_subtest("mmap-anon-shared") {
		void *p = mmap_anon(256 * KiB, PROT_READ | PROT_WRITE, MAP_SHARED);

		check_rw(p, 256 * KiB, 8, true, 5);
		munmap(p, 256 * KiB);
	}

	igt_describe("A shared file mapping: the GPU reads what pwrite() put in the file, and pread() sees what the GPU wrote.");
	igt_subtest("mmap-file-shared")
		check_file_mapping(MAP_SHARED);

	igt_describe("A private file mapping: the GPU reads the file; its writes show in the mapping and not in the file (copy-on-write).");
	igt_subtest("mmap-file-private")
		check_file_mapping(MAP_PRIVATE);

	igt_describe("A 2 MiB-aligned MADV_HUGEPAGE buffer backed by a THP: the GPU reads and writes it, through at least one 2 MiB GPU mapping (svm_stats map_2m).");
	igt_subtest("thp") {
		const uint64_t size = 4 * MiB;
		struct nvsvm_svm_stats s0, s1;
		char *p = mmap_aligned(size, 2 * MiB);
		unsigned long kb;

		igt_require_f(madvise(p, size, MADV_HUGEPAGE) == 0, "MADV_HUGEPAGE: %s\n",
			      strerror(errno));
		WRITE(*(uint64_t *)p, 1);	/* the first half's THP */
		kb = thp_kb(p);
		igt_info("AnonHugePages of the buffer: %lu kB\n", kb);
		igt_require_f(kb >= 2048, "the kernel gave no THP (AnonHugePages %lu kB)\n", kb);
		stats(&s0);
		check_rw(p, size, 512, true, 8);
		stats(&s1);
		print_stats_delta("thp", &s0, &s1);
		igt_assert_lt_u64(s0.map_2m, s1.map_2m);
		munmap(p, size);
	}

	igt_describe("A MAP_HUGETLB buffer (2 MiB huge pages, reserved in /proc/sys/vm/nr_hugepages if need be): the GPU reads and writes it.");
	igt_subtest("hugetlbfs") {
		const uint64_t size = 2 * MiB;
		struct nvsvm_svm_stats s0, s1;
		void *p;

		igt_require_f(huge_page_kb() == 2048, "the default huge page is not 2 MiB\n");
		p = mmap(NULL, size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
		if (p == MAP_FAILED) {
			reserve_huge_pages(2);
			p = mmap(NULL, size, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
		}
		igt_require_f(p != MAP_FAILED, "no huge page could be reserved: %s\n",
			      strerror(errno));
		stats(&s0);
		check_rw(p, size, 512, true, 9);
		stats(&s1);
		print_stats_delta("hugetlbfs", &s0, &s1);
		munmap(p, size);
	}

	/* Protection */

	igt_describe("The GPU reads memory the process maps read-only.");
	igt_subtest("read-only-read") {
		void *p = mmap_anon(4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE);

		fill_pages(p, 4, 10);
		igt_assert_eq(mprotect(p, 4 * page, PROT_READ), 0);
		check_gpu_reads_pages(p, 4, 10);
		munmap(p, 4 * page);
	}

	igt_describe("A kernel reads a read-only page (which works), then writes it: the channel fails with MMU_FAULT, WRITE, fault type PROTECTION, reason PROTECTION at that address; the memory is unchanged.");
	igt_subtest("read-only-write") {
		uint64_t *p = mmap_anon(page, PROT_READ | PROT_WRITE, MAP_PRIVATE);
		struct one_params *prm;
		uint32_t c;

		p[17] = 0xabc;
		igt_assert_eq(mprotect(p, page, PROT_READ), 0);
		c = fault_one(k_load_store1, (uintptr_t)&p[17], &prm);
		igt_assert_eq_u64(READ(prm->result), 0xabc);
		igt_assert_eq_u64(READ(p[17]), 0xabc);
		nvsvm_igt_assert_svm_fault(fd, c, (uintptr_t)&p[17], DRM_NVSVM_ACCESS_WRITE,
					   DRM_NVSVM_FAULT_PROTECTION,
					   DRM_NVSVM_FAULT_REASON_PROTECTION,
					   DRM_NVSVM_FAULT_CLIENT_SM);
		nvsvm_igt_channel_free(fd, c);
		free(prm);
		munmap(p, page);
	}

	igt_describe("A write to a read-only page the GPU never touched: MMU_FAULT, WRITE, reason PROTECTION at that address.");
	igt_subtest("read-only-write-untouched") {
		uint64_t *p = mmap_anon(page, PROT_READ | PROT_WRITE, MAP_PRIVATE);
		uint32_t c;

		p[3] = 0x33;
		igt_assert_eq(mprotect(p, page, PROT_READ), 0);
		c = fault_one(k_store1, (uintptr_t)&p[3], NULL);
		igt_assert_eq_u64(READ(p[3]), 0x33);
		nvsvm_igt_assert_svm_fault(fd, c, (uintptr_t)&p[3], DRM_NVSVM_ACCESS_WRITE,
					   NVSVM_IGT_ANY_FAULT_TYPE,
					   DRM_NVSVM_FAULT_REASON_PROTECTION,
					   DRM_NVSVM_FAULT_CLIENT_SM);
		nvsvm_igt_channel_free(fd, c);
		munmap(p, page);
	}

	igt_describe("A GPU atomic on a read-only page: MMU_FAULT, ATOMIC, reason PROTECTION; the value is unchanged.");
	igt_subtest("read-only-atomic") {
		uint64_t *p = mmap_anon(page, PROT_READ | PROT_WRITE, MAP_PRIVATE);
		uint32_t c;

		p[5] = 5;
		igt_assert_eq(mprotect(p, page, PROT_READ), 0);
		c = fault_one(k_atomic1, (uintptr_t)&p[5], NULL);
		igt_assert_eq_u64(READ(p[5]), 5);
		nvsvm_igt_assert_svm_fault(fd, c, (uintptr_t)&p[5], DRM_NVSVM_ACCESS_ATOMIC,
					   NVSVM_IGT_ANY_FAULT_TYPE,
					   DRM_NVSVM_FAULT_REASON_PROTECTION,
					   DRM_NVSVM_FAULT_CLIENT_SM);
		nvsvm_igt_channel_free(fd, c);
		munmap(p, page);
	}

	igt_describe("A SEMAPHORE_RELEASE to a read-only page: MMU_FAULT, WRITE, reason PROTECTION, client HOST.");
	igt_subtest("read-only-host-write") {
		uint64_t *p = mmap_anon(page, PROT_READ | PROT_WRITE, MAP_PRIVATE);
		uint32_t c = nvsvm_igt_channel_alloc(fd);
		struct nvsvm_igt_job job;

		p[2] = 0x22;
		igt_assert_eq(mprotect(p, page, PROT_READ), 0);
		nvsvm_igt_job_init(&job, fd, c);
		nvsvm_push_sem_release(&job.push, (uintptr_t)&p[2], 7, NVSVM_PUSH_SEM_PAYLOAD_64);
		nvsvm_igt_job_submit(&job);
		igt_assert_eq(nvsvm_igt_job_wait(&job, TIMEOUT), -EIO);
		igt_assert_eq_u64(READ(*job.fence), 0);
		igt_assert_eq_u64(READ(p[2]), 0x22);
		nvsvm_igt_assert_svm_fault(fd, c, (uintptr_t)&p[2], DRM_NVSVM_ACCESS_WRITE,
					   NVSVM_IGT_ANY_FAULT_TYPE,
					   DRM_NVSVM_FAULT_REASON_PROTECTION,
					   DRM_NVSVM_FAULT_CLIENT_HOST);
		nvsvm_igt_channel_free(fd, c);
		nvsvm_igt_job_fini(&job);
		munmap(p, page);
	}

	igt_describe("A GPU read of a PROT_NONE page: MMU_FAULT, READ, reason PROTECTION at that address.");
	igt_subtest("prot-none") {
		char *p = mmap_anon(page, PROT_NONE, MAP_PRIVATE);
		struct one_params *prm;
		uint32_t c;

		c = fault_one(k_load1, (uintptr_t)(p + 0x20), &prm);
		igt_assert_eq_u64(READ(prm->result), 0x1111);
		nvsvm_igt_assert_svm_fault(fd, c, (uintptr_t)(p + 0x20), DRM_NVSVM_ACCESS_READ,
					   NVSVM_IGT_ANY_FAULT_TYPE,
					   DRM_NVSVM_FAULT_REASON_PROTECTION,
					   DRM_NVSVM_FAULT_CLIENT_SM);
		nvsvm_igt_channel_free(fd, c);
		free(prm);
		munmap(p, page);
	}

	igt_describe("A GPU read where the process maps nothing: MMU_FAULT, READ, fault type and reason UNMAPPED, at that address.");
	igt_subtest("unmapped-read") {
		uint64_t va = hole_va(page) + 0x238;
		struct one_params *prm;
		uint32_t c;

		c = fault_one(k_load1, va, &prm);
		igt_assert_eq_u64(READ(prm->result), 0x1111);
		nvsvm_igt_assert_svm_fault(fd, c, va, DRM_NVSVM_ACCESS_READ,
					   DRM_NVSVM_FAULT_UNMAPPED, DRM_NVSVM_FAULT_REASON_UNMAPPED,
					   DRM_NVSVM_FAULT_CLIENT_SM);
		nvsvm_igt_channel_free(fd, c);
		free(prm);
	}

	igt_describe("A GPU write where the process maps nothing: MMU_FAULT, WRITE, UNMAPPED; the kernel maps nothing there for it.");
	igt_subtest("unmapped-write") {
		uint64_t va = hole_va(page) + 0x7f8;
		uint32_t c;

		c = fault_one(k_store1, va, NULL);
		nvsvm_igt_assert_svm_fault(fd, c, va, DRM_NVSVM_ACCESS_WRITE,
					   DRM_NVSVM_FAULT_UNMAPPED, DRM_NVSVM_FAULT_REASON_UNMAPPED,
					   DRM_NVSVM_FAULT_CLIENT_SM);
		igt_assert(is_unmapped(va & ~(page - 1), page));
		nvsvm_igt_channel_free(fd, c);
	}

	igt_describe("GPU accesses in the kernel half of the VM (from DRM_NVSVM_VA_USER_END up) fail with reason OUT_OF_RANGE: an SM read, an SM write at the top, and a host semaphore write.");
	igt_subtest("kernel-half") {
		/*
		 * Not right at DRM_NVSVM_VA_USER_END: the kernel maps its
		 * channels' rings from there (docs/driver.md), which a job can
		 * read. 1 GiB above, nothing is mapped.
		 */
		const uint64_t kernel = DRM_NVSVM_VA_USER_END + (1ull << 30);
		const uint64_t low = kernel + 0x1008;
		const uint64_t top = (1ull << 48) - page + 0x10;
		struct nvsvm_igt_job job;
		uint32_t c;

		c = fault_one(k_load1, low, NULL);
		nvsvm_igt_assert_svm_fault(fd, c, low, DRM_NVSVM_ACCESS_READ,
					   DRM_NVSVM_FAULT_UNMAPPED,
					   DRM_NVSVM_FAULT_REASON_OUT_OF_RANGE,
					   DRM_NVSVM_FAULT_CLIENT_SM);
		nvsvm_igt_channel_free(fd, c);

		c = fault_one(k_store1, top, NULL);
		nvsvm_igt_assert_svm_fault(fd, c, top, DRM_NVSVM_ACCESS_WRITE,
					   DRM_NVSVM_FAULT_UNMAPPED,
					   DRM_NVSVM_FAULT_REASON_OUT_OF_RANGE,
					   DRM_NVSVM_FAULT_CLIENT_SM);
		nvsvm_igt_channel_free(fd, c);

		c = nvsvm_igt_channel_alloc(fd);
		nvsvm_igt_job_init(&job, fd, c);
		nvsvm_push_sem_release(&job.push, kernel + 0x40, 1, NVSVM_PUSH_SEM_PAYLOAD_64);
		nvsvm_igt_job_submit(&job);
		igt_assert_eq(nvsvm_igt_job_wait(&job, TIMEOUT), -EIO);
		nvsvm_igt_assert_svm_fault(fd, c, kernel + 0x40,
					   DRM_NVSVM_ACCESS_WRITE, DRM_NVSVM_FAULT_UNMAPPED,
					   DRM_NVSVM_FAULT_REASON_OUT_OF_RANGE,
					   DRM_NVSVM_FAULT_CLIENT_HOST);
		nvsvm_igt_channel_free(fd, c);
		nvsvm_igt_job_fini(&job);
	}

	/* Changes to the process's mappings */

	igt_describe("munmap of memory the GPU read, then a new mapping at the same address with new contents: the GPU reads the new contents, and the munmap invalidated the GPU's mappings (svm_stats).");
	igt_subtest("free-reuse-mmap") {
		const uint64_t n = 16;
		struct nvsvm_svm_stats s0, s1;
		void *p = mmap_anon(n * page, PROT_READ | PROT_WRITE, MAP_PRIVATE), *q;

		fill_pages(p, n, 11);
		check_gpu_reads_pages(p, n, 11);
		stats(&s0);
		igt_assert_eq(munmap(p, n * page), 0);
		stats(&s1);
		check_invalidated(&s0, &s1);
		q = mmap(p, n * page, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		igt_assert_f(q == p, "mmap at %p: %p (%s)\n", p, q, strerror(errno));
		fill_pages(q, n, 12);
		check_gpu_reads_pages(q, n, 12);
		munmap(q, n * page);
	}

	igt_describe("free() of a large malloc'd block the GPU read, then malloc() again (at the same address when glibc gives it back): the GPU reads the new contents.");
	igt_subtest("free-reuse-malloc") {
		const uint64_t size = 1 * MiB, n = size / page;
		uint64_t first;
		void *p, *q;

		/* Blocks above 256 KiB are mmap'd and munmap'd by free(), always. */
		igt_assert_eq(mallopt(M_MMAP_THRESHOLD, 256 * KiB), 1);
		p = malloc(size);
		igt_assert(p);
		fill_pages(p, n, 13);
		check_gpu_reads_pages(p, n, 13);
		first = (uintptr_t)p;
		free(p);
		q = malloc(size);
		igt_assert(q);
		igt_info("the second block is at %p, the first was at %#llx\n", q,
			 (unsigned long long)first);
		fill_pages(q, n, 14);
		check_gpu_reads_pages(q, n, 14);
		free(q);
	}

	igt_describe("munmap of 4 pages in the middle of 16 the GPU mapped: the other pages stay readable with their contents, a read in the hole faults with UNMAPPED.");
	igt_subtest("partial-munmap") {
		const uint64_t n = 16;
		struct nvsvm_svm_stats s0, s1;
		char *p = mmap_anon(n * page, PROT_READ | PROT_WRITE, MAP_PRIVATE);
		uint64_t va = (uintptr_t)p + 7 * page + 0x30;
		uint32_t c;

		fill_pages(p, n, 15);
		check_gpu_reads_pages(p, n, 15);
		stats(&s0);
		igt_assert_eq(munmap(p + 6 * page, 4 * page), 0);
		stats(&s1);
		check_invalidated(&s0, &s1);
		check_gpu_reads_range(p, 0, 6, 15);
		check_gpu_reads_range(p, 10, 6, 15);
		igt_assert(is_unmapped((uintptr_t)p + 6 * page, 4 * page));
		c = fault_one(k_load1, va, NULL);
		nvsvm_igt_assert_svm_fault(fd, c, va, DRM_NVSVM_ACCESS_READ,
					   DRM_NVSVM_FAULT_UNMAPPED, DRM_NVSVM_FAULT_REASON_UNMAPPED,
					   DRM_NVSVM_FAULT_CLIENT_SM);
		nvsvm_igt_channel_free(fd, c);
		munmap(p, 6 * page);
		munmap(p + 10 * page, 6 * page);
	}

	igt_describe("mremap moving memory the GPU read: the GPU reads the contents at the new address, and faults (UNMAPPED) at the old one.");
	igt_subtest("mremap-move") {
		const uint64_t n = 8;
		char *p = mmap_anon(n * page, PROT_READ | PROT_WRITE, MAP_PRIVATE);
		char *target = mmap_anon(n * page, PROT_NONE, MAP_PRIVATE), *q;
		uint64_t old = (uintptr_t)p + 3 * page + 8;
		uint32_t c;

		fill_pages(p, n, 16);
		check_gpu_reads_pages(p, n, 16);
		q = mremap(p, n * page, n * page, MREMAP_MAYMOVE | MREMAP_FIXED, target);
		igt_assert_f(q == target, "mremap: %s\n", strerror(errno));
		check_gpu_reads_pages(q, n, 16);
		igt_assert(is_unmapped((uintptr_t)p, n * page));
		c = fault_one(k_load1, old, NULL);
		nvsvm_igt_assert_svm_fault(fd, c, old, DRM_NVSVM_ACCESS_READ,
					   DRM_NVSVM_FAULT_UNMAPPED, DRM_NVSVM_FAULT_REASON_UNMAPPED,
					   DRM_NVSVM_FAULT_CLIENT_SM);
		nvsvm_igt_channel_free(fd, c);
		munmap(q, n * page);
	}

	igt_describe("mremap with MREMAP_DONTUNMAP of memory the GPU read: the GPU reads the contents at the new address, and zeros (not the old pages) at the old one, which stays mapped but empty.");
	igt_subtest("mremap-dontunmap") {
		const uint64_t n = 8;
		struct nvsvm_svm_stats s0, s1;
		char *p = mmap_anon(n * page, PROT_READ | PROT_WRITE, MAP_PRIVATE), *q;

		fill_pages(p, n, 17);
		check_gpu_reads_pages(p, n, 17);
		stats(&s0);
		/*
		 * The new address explicitly: glibc 2.36's mremap() passes
		 * whatever is in the fifth argument's register unless
		 * MREMAP_FIXED is given, and the kernel refuses a misaligned
		 * one with -EINVAL.
		 */
		q = mremap(p, n * page, n * page, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, NULL);
		igt_require_f(q != MAP_FAILED || errno != EINVAL,
			      "the kernel has no MREMAP_DONTUNMAP\n");
		igt_assert_f(q != MAP_FAILED, "mremap: %s\n", strerror(errno));
		stats(&s1);
		check_invalidated(&s0, &s1);
		check_gpu_reads_pages(q, n, 17);
		check_gpu_reads_zeros(p, n);
		munmap(q, n * page);
		munmap(p, n * page);
	}

	igt_describe("mprotect down to read-only after a GPU write: the GPU's next write fails (PROTECTION) while its read works; mprotect back up: GPU writes work again.");
	igt_subtest("mprotect") {
		const uint64_t n = 4;
		struct nvsvm_svm_stats s0, s1;
		uint64_t *p = mmap_anon(n * page, PROT_READ | PROT_WRITE, MAP_PRIVATE), i;
		uint64_t *w1 = (uint64_t *)((char *)p + page);
		struct one_params *prm;
		uint32_t c;

		gpu_write((uintptr_t)p, page, n, 0x100);
		for (i = 0; i < n; i++)
			igt_assert_eq_u64(READ(*(uint64_t *)((char *)p + i * page)), 0x100 + i);
		stats(&s0);
		igt_assert_eq(mprotect(p, n * page, PROT_READ), 0);
		stats(&s1);
		check_invalidated(&s0, &s1);
		c = fault_one(k_load_store1, (uintptr_t)w1, &prm);
		igt_assert_eq_u64(READ(prm->result), 0x101);
		igt_assert_eq_u64(READ(*w1), 0x101);
		nvsvm_igt_assert_svm_fault(fd, c, (uintptr_t)w1, DRM_NVSVM_ACCESS_WRITE,
					   DRM_NVSVM_FAULT_PROTECTION,
					   DRM_NVSVM_FAULT_REASON_PROTECTION,
					   DRM_NVSVM_FAULT_CLIENT_SM);
		nvsvm_igt_channel_free(fd, c);
		free(prm);
		igt_assert_eq(mprotect(p, n * page, PROT_READ | PROT_WRITE), 0);
		gpu_write((uintptr_t)p, page, n, 0x200);
		for (i = 0; i < n; i++)
			igt_assert_eq_u64(READ(*(uint64_t *)((char *)p + i * page)), 0x200 + i);
		munmap(p, n * page);
	}

	igt_describe("MADV_DONTNEED of anonymous memory the GPU read: the GPU then reads zeros, not the dropped pages.");
	igt_subtest("madvise-dontneed") {
		const uint64_t n = 8;
		struct nvsvm_svm_stats s0, s1;
		void *p = mmap_anon(n * page, PROT_READ | PROT_WRITE, MAP_PRIVATE);

		fill_pages(p, n, 18);
		check_gpu_reads_pages(p, n, 18);
		stats(&s0);
		igt_assert_eq(madvise(p, n * page, MADV_DONTNEED), 0);
		stats(&s1);
		check_invalidated(&s0, &s1);
		check_gpu_reads_zeros(p, n);
		munmap(p, n * page);
	}

	/* fork() */

	igt_describe("fork() with private memory the parent's GPU read: the child (its own file and SVM_INIT) writes it with its GPU and sees its writes, the parent's CPU and GPU still see the old contents; then the parent's GPU writes and the child still sees its own.");
	igt_subtest("fork-cow") {
		const uint64_t n = 4 * page / 8;	/* every word of 4 pages */
		uint64_t *buf = mmap_anon(4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE);
		uint64_t *out = calloc(n, sizeof(*out)), i;
		int c2p[2], p2c[2];
		pid_t pid;

		igt_assert(out);
		for (i = 0; i < n; i++)
			buf[i] = pat(40, i);
		gpu_read((uintptr_t)buf, 8, n, out);
		for (i = 0; i < n; i++)
			igt_assert_eq_u64(out[i], pat(40, i));
		igt_assert_eq(pipe(c2p), 0);
		igt_assert_eq(pipe(p2c), 0);
		pid = fork_child();
		if (pid == 0) {
			uint32_t ch;
			int cfd = child_open(&ch), ret;

			close(p2c[1]);
			ret = plain_write(cfd, ch, (uintptr_t)buf, 8, n, 0x1000000);
			CHILD_CHECK(ret == 0, "GPU write: %s", strerror(-ret));
			for (i = 0; i < n; i++)
				CHILD_CHECK(READ(buf[i]) == 0x1000000 + i, "word %llu: %#llx",
					    (unsigned long long)i, (unsigned long long)buf[i]);
			CHILD_CHECK(write(c2p[1], "w", 1) == 1, "pipe");
			CHILD_CHECK(plain_recv_byte(p2c[0], 'p'), "no word from the parent");
			for (i = 0; i < n; i++)
				CHILD_CHECK(READ(buf[i]) == 0x1000000 + i,
					    "after the parent's GPU write, word %llu: %#llx",
					    (unsigned long long)i, (unsigned long long)buf[i]);
			memset(out, 0, n * sizeof(*out));
			ret = plain_read(cfd, ch, (uintptr_t)buf, 8, n, out);
			CHILD_CHECK(ret == 0, "GPU read: %s", strerror(-ret));
			for (i = 0; i < n; i++)
				CHILD_CHECK(out[i] == 0x1000000 + i, "the child's GPU read %#llx",
					    (unsigned long long)out[i]);
			_exit(0);
		}
		close(c2p[1]);	/* so that the child's exit ends a read */
		recv_byte(c2p[0], 'w');
		for (i = 0; i < n; i++)
			igt_assert_eq_u64(READ(buf[i]), pat(40, i));
		memset(out, 0, n * sizeof(*out));
		gpu_read((uintptr_t)buf, 8, n, out);
		for (i = 0; i < n; i++)
			igt_assert_eq_u64(out[i], pat(40, i));
		gpu_write((uintptr_t)buf, 8, n, 0x2000000);
		for (i = 0; i < n; i++)
			igt_assert_eq_u64(READ(buf[i]), 0x2000000 + i);
		send_byte(p2c[1], 'p');
		wait_child(pid);
		free(out);
		munmap(buf, 4 * page);
	}

	igt_describe("fork() with MAP_SHARED memory: the child's GPU writes reach the parent's CPU and GPU, and the parent's GPU writes reach the child's CPU and GPU.");
	igt_subtest("fork-shared") {
		const uint64_t n = 4 * page / 8;
		uint64_t *buf = mmap_anon(4 * page, PROT_READ | PROT_WRITE, MAP_SHARED);
		uint64_t *out = calloc(n, sizeof(*out)), i;
		int c2p[2], p2c[2];
		pid_t pid;

		igt_assert(out);
		for (i = 0; i < n; i++)
			buf[i] = pat(41, i);
		gpu_read((uintptr_t)buf, 8, n, out);
		for (i = 0; i < n; i++)
			igt_assert_eq_u64(out[i], pat(41, i));
		igt_assert_eq(pipe(c2p), 0);
		igt_assert_eq(pipe(p2c), 0);
		pid = fork_child();
		if (pid == 0) {
			uint32_t ch;
			int cfd = child_open(&ch), ret;

			close(p2c[1]);
			ret = plain_write(cfd, ch, (uintptr_t)buf, 8, n, 0x3000000);
			CHILD_CHECK(ret == 0, "GPU write: %s", strerror(-ret));
			CHILD_CHECK(write(c2p[1], "w", 1) == 1, "pipe");
			CHILD_CHECK(plain_recv_byte(p2c[0], 'p'), "no word from the parent");
			for (i = 0; i < n; i++)
				CHILD_CHECK(READ(buf[i]) == 0x4000000 + i, "word %llu: %#llx",
					    (unsigned long long)i, (unsigned long long)buf[i]);
			memset(out, 0, n * sizeof(*out));
			ret = plain_read(cfd, ch, (uintptr_t)buf, 8, n, out);
			CHILD_CHECK(ret == 0, "GPU read: %s", strerror(-ret));
			for (i = 0; i < n; i++)
				CHILD_CHECK(out[i] == 0x4000000 + i, "the child's GPU read %#llx",
					    (unsigned long long)out[i]);
			_exit(0);
		}
		close(c2p[1]);
		recv_byte(c2p[0], 'w');
		for (i = 0; i < n; i++)
			igt_assert_eq_u64(READ(buf[i]), 0x3000000 + i);
		memset(out, 0, n * sizeof(*out));
		gpu_read((uintptr_t)buf, 8, n, out);
		for (i = 0; i < n; i++)
			igt_assert_eq_u64(out[i], 0x3000000 + i);
		gpu_write((uintptr_t)buf, 8, n, 0x4000000);
		send_byte(p2c[1], 'p');
		wait_child(pid);
		free(out);
		munmap(buf, 4 * page);
	}

	igt_describe("A child using the file it inherited over fork() (its parent's SVM VM) is refused with -EBADF by CHANNEL_ALLOC, EXEC, WAIT_USER_FENCE, VM_BIND and SVM_INIT; closing it works; the parent's channel and VM are untouched.");
	igt_subtest("fork-inherited-fd") {
		uint32_t c = nvsvm_igt_channel_alloc(fd), handle = 0;
		uint64_t *word = calloc(1, sizeof(*word));
		struct nvsvm_igt_job job;
		pid_t pid;

		igt_assert(word);
		igt_assert_eq(nvsvm_bo_create(dev, page, &handle, NULL), 0);
		nvsvm_igt_job_init(&job, fd, c);
		nvsvm_push_nop(&job.push, 0);
		pid = fork_child();
		if (pid == 0) {
			struct drm_nvsvm_vm_bind bind = {
				.op = DRM_NVSVM_VM_BIND_OP_MAP, .handle = handle,
				.va = window, .range = page,
			};
			uint32_t ch;
			int ret;

			ret = __nvsvm_igt_channel_alloc(fd, &ch);
			CHILD_CHECK(ret == -EBADF, "CHANNEL_ALLOC: %d", ret);
			ret = __nvsvm_igt_job_submit(&job);
			CHILD_CHECK(ret == -EBADF, "EXEC: %d", ret);
			ret = __nvsvm_igt_wait_user_fence(fd, (uintptr_t)word, 0, ~0ull,
							  DRM_NVSVM_WAIT_EQ, 0, 0);
			CHILD_CHECK(ret == -EBADF, "WAIT_USER_FENCE: %d", ret);
			ret = nvsvm_igt_ioctl(fd, DRM_IOCTL_NVSVM_VM_BIND, &bind);
			CHILD_CHECK(ret == -EBADF, "VM_BIND: %d", ret);
			ret = __nvsvm_igt_svm_init(fd, 0, 0);
			CHILD_CHECK(ret == -EBADF, "SVM_INIT: %d", ret);
			CHILD_CHECK(close(fd) == 0, "close: %s", strerror(errno));
			_exit(0);
		}
		wait_child(pid);
		/* Nothing the child tried happened, and the parent goes on. */
		igt_assert_eq(nvsvm_vm_unmap(dev, window, page), -EINVAL);
		igt_assert_eq_u64(READ(*job.fence), 0);
		nvsvm_igt_job_submit(&job);
		expect_ok(c, nvsvm_igt_job_wait(&job, TIMEOUT));
		nvsvm_igt_job_fini(&job);
		nvsvm_igt_channel_free(fd, c);
		igt_assert_eq(nvsvm_bo_close(dev, handle), 0);
		free(word);
	}

	/* Races and concurrency */

	igt_describe("munmap of memory a running kernel writes, at several moments: the job either completes or fails with an UNMAPPED write inside that memory; it never hangs, and a new channel works after.");
	igt_subtest("munmap-race") {
		static const unsigned int delays_ms[] = { 0, 5, 20, 60 };
		const uint64_t npages = 64;
		unsigned int r, completed = 0, faulted = 0;

		for (r = 0; r < ARRAY_SIZE(delays_ms); r++) {
			char *buf = mmap_anon(npages * page, PROT_READ | PROT_WRITE, MAP_PRIVATE);
			struct spin_params *prm = malloc(sizeof(*prm));
			uint64_t *started = calloc(1, sizeof(*started)), t0;
			uint32_t c = nvsvm_igt_channel_alloc(fd);
			struct nvsvm_igt_job job;
			int ret;

			igt_assert(prm && started);
			*prm = (struct spin_params){ (uintptr_t)buf, npages, 32768,
						     (uintptr_t)started };
			nvsvm_igt_job_init(&job, fd, c);
			nvsvm_push_launch(&job.push, (uintptr_t)k_spin, (uintptr_t)prm, 1, 8);
			nvsvm_igt_job_submit(&job);
			for (t0 = nvsvm_igt_now_ms(); !READ(*started);) {
				igt_assert_f(nvsvm_igt_now_ms() - t0 < TIMEOUT,
					     "the kernel did not start\n");
				usleep(200);
			}
			usleep(delays_ms[r] * 1000);
			igt_assert_eq(munmap(buf, npages * page), 0);
			ret = nvsvm_igt_job_wait(&job, TIMEOUT);
			igt_assert_f(ret == 0 || ret == -EIO, "round %u: the wait ended with %s\n",
				     r, strerror(-ret));
			if (ret == -EIO) {
				struct drm_nvsvm_channel_get_error err;

				nvsvm_igt_channel_get_error(fd, c, &err);
				igt_assert_eq(err.error, DRM_NVSVM_CHANNEL_ERROR_MMU_FAULT);
				igt_assert_eq(err.reason, DRM_NVSVM_FAULT_REASON_UNMAPPED);
				igt_assert_eq(err.access, DRM_NVSVM_ACCESS_WRITE);
				igt_assert_eq(err.client, DRM_NVSVM_FAULT_CLIENT_SM);
				igt_assert_lte_u64((uintptr_t)buf, err.address);
				igt_assert_lt_u64(err.address, (uintptr_t)buf + npages * page);
				faulted++;
			} else {
				completed++;
			}
			igt_info("round %u (munmap %u ms after the start): %s\n", r, delays_ms[r],
				 ret ? "the job faulted" : "the job completed");
			nvsvm_igt_channel_free(fd, c);
			nvsvm_igt_job_fini(&job);
			free(started);
			free(prm);
		}
		igt_info("%u completed, %u faulted\n", completed, faulted);
		{
			void *p = malloc(64 * KiB);

			igt_assert(p);
			check_rw(p, 64 * KiB, 8, true, 42);
			free(p);
		}
	}

	igt_describe("Up to 8 threads of one process, each with a channel of the same VM, run 4 jobs each on malloc'd buffers of their own at once; every result is right.");
	igt_subtest("threads") {
		uint64_t per_file = nvsvm_igt_get_param(fd, DRM_NVSVM_PARAM_CHANNELS_PER_FILE);
		unsigned int n = per_file < 8 ? (unsigned int)per_file : 8, i;
		struct worker *w = calloc(8, sizeof(*w));

		igt_assert(w);
		igt_assert_lte(2, n);
		for (i = 0; i < n; i++) {
			w[i].id = i;
			igt_assert_eq(pthread_create(&w[i].thread, NULL, worker_run, &w[i]), 0);
		}
		for (i = 0; i < n; i++)
			igt_assert_eq(pthread_join(w[i].thread, NULL), 0);
		for (i = 0; i < n; i++)
			igt_assert_f(w[i].ret == 0, "thread %u: %s\n", i, w[i].msg);
		igt_info("%u threads\n", n);
		free(w);
	}

	igt_describe("Three processes, each with its own file and SVM_INIT, use the GPU at once beside the parent; each child's GPU read of an address only the parent maps faults (UNMAPPED) and never sees the parent's data.");
	igt_subtest("processes") {
		const unsigned int nchild = 3;
		const uint64_t npages = 16;
		int c2p[3][2], p2c[3][2];
		pid_t pids[3];
		uint64_t secret, i;
		unsigned int k;
		void *p;

		for (k = 0; k < nchild; k++) {
			igt_assert_eq(pipe(c2p[k]), 0);
			igt_assert_eq(pipe(p2c[k]), 0);
			pids[k] = fork_child();
			if (pids[k] == 0) {
				const uint64_t n = 4096;
				uint64_t *mine = malloc(n * sizeof(*mine)), va;
				struct drm_nvsvm_channel_get_error err = { 0 };
				struct one_params prm;
				uint32_t ch;
				int cfd = child_open(&ch), ret;

				CHILD_CHECK(mine, "malloc");
				ret = plain_write(cfd, ch, (uintptr_t)mine, 8, n, 0x5000000 * (k + 1));
				CHILD_CHECK(ret == 0, "GPU write: %s", strerror(-ret));
				for (i = 0; i < n; i++)
					CHILD_CHECK(mine[i] == 0x5000000 * (k + 1) + i, "word %llu",
						    (unsigned long long)i);
				CHILD_CHECK(plain_recv(p2c[k][0], &va, sizeof(va)), "no address");
				CHILD_CHECK(is_unmapped(va & ~(page - 1), page),
					    "the parent's address %#llx is mapped here",
					    (unsigned long long)va);
				prm = (struct one_params){ .addr = va, .result = 0x1111 };
				ret = plain_run(cfd, ch, k_load1, &prm, 1);
				CHILD_CHECK(ret == -EIO, "the read of the parent's memory: %d", ret);
				CHILD_CHECK(prm.result == 0x1111, "the child read %#llx",
					    (unsigned long long)prm.result);
				err.channel = ch;
				ret = nvsvm_igt_ioctl(cfd, DRM_IOCTL_NVSVM_CHANNEL_GET_ERROR, &err);
				CHILD_CHECK(ret == 0 && err.error == DRM_NVSVM_CHANNEL_ERROR_MMU_FAULT &&
					    err.address == va &&
					    err.reason == DRM_NVSVM_FAULT_REASON_UNMAPPED,
					    "error %u at %#llx, reason %u", err.error,
					    (unsigned long long)err.address, err.reason);
				CHILD_CHECK(write(c2p[k][1], "d", 1) == 1, "pipe");
				_exit(0);
			}
			/* Only child k keeps these ends: its exit ends the reads. */
			close(c2p[k][1]);
			close(p2c[k][0]);
		}
		/* Mapped only now, where nothing else goes: the children do not have it. */
		secret = hole_va(npages * page);
		p = mmap((void *)(uintptr_t)secret, npages * page, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		igt_assert(p == (void *)(uintptr_t)secret);
		fill_pages(p, npages, 43);
		for (k = 0; k < nchild; k++) {
			uint64_t va = secret + k * page + 0x18;

			igt_assert_eq(write(p2c[k][1], &va, sizeof(va)), (ssize_t)sizeof(va));
		}
		check_gpu_reads_pages(p, npages, 43);
		for (k = 0; k < nchild; k++)
			recv_byte(c2p[k][0], 'd');
		for (k = 0; k < nchild; k++)
			wait_child(pids[k]);
		check_gpu_reads_pages(p, npages, 43);
		munmap(p, npages * page);
	}

	igt_describe("GPU atomics (256 threads, 64 atomadd64 each) and two CPU threads' atomic adds hit the same 16 counters at once: every counter ends exact.");
	igt_subtest("atomics-cpu-gpu") {
		uint64_t *counters = aligned_alloc(4096, 4096);

		igt_assert(counters);
		atomics_with_cpu("atomics", counters);
		free(counters);
	}

	igt_describe("The same GPU and CPU atomics on counters in a THP, in its first page and in a later one: every counter ends exact (a large folio, which 6.12 cannot make device-exclusive).");
	igt_subtest("atomics-thp") {
		const uint64_t size = 2 * MiB;
		char *p = mmap_aligned(size, 2 * MiB);
		unsigned long kb;

		igt_require_f(madvise(p, size, MADV_HUGEPAGE) == 0, "MADV_HUGEPAGE: %s\n",
			      strerror(errno));
		memset(p, 0, size);
		kb = thp_kb(p);
		igt_info("AnonHugePages of the buffer: %lu kB\n", kb);
		igt_require_f(kb >= 2048, "the kernel gave no THP (AnonHugePages %lu kB)\n", kb);
		check_rw(p, size, 512, false, 3);	/* the GPU maps it 2 MiB first */
		atomics_with_cpu("atomics-thp head", (uint64_t *)p);
		atomics_with_cpu("atomics-thp tail", (uint64_t *)(p + 5 * page));
		munmap(p, size);
	}

	/* Jobs in process memory, faults in bulk */

	igt_describe("A job of two push buffers and a kernel whose code, all in malloc'd memory never touched by the GPU, each straddle a page boundary: the host and the SMs fault them in and the job runs.");
	igt_subtest("push-in-malloc") {
		char *area = aligned_alloc(4096, 4 * 4096);
		uint64_t *src = malloc(64 * KiB), *dst = malloc(64 * KiB), *marker = calloc(1, 8);
		uint64_t *fence = calloc(1, 8), *words = NULL, *code, i;
		struct xform_params *prm = malloc(sizeof(*prm));
		struct drm_nvsvm_push pushes[2];
		struct nvsvm_svm_stats s0, s1;
		struct nvsvm_push p;
		uint32_t c = nvsvm_igt_channel_alloc(fd), *pb0, *pb1;
		size_t count;
		char err[128];
		int ret;

		igt_assert(area && src && dst && marker && fence && prm);
		igt_assert_eq(nvsvm_svm_code(xform_src, &words, &count, err, sizeof(err)), 0);
		/* The code from 16 bytes before the end of page 0 on. */
		code = (uint64_t *)(area + 4096 - 16);
		memcpy(code, words, count * 8);
		for (i = 0; i < 8192; i++)
			src[i] = pat(50, i);
		*prm = (struct xform_params){ (uintptr_t)src, (uintptr_t)dst, 8192, 5, 8 };
		/* LAUNCH (7 dwords) across pages 1-2, the release (6) across pages 2-3. */
		pb0 = (uint32_t *)(area + 2 * 4096 - 12);
		pb1 = (uint32_t *)(area + 3 * 4096 - 8);
		nvsvm_push_init(&p, pb0, 28);
		nvsvm_push_launch(&p, (uintptr_t)code, (uintptr_t)prm, 32, 256);
		pushes[0] = (struct drm_nvsvm_push){ .va = (uintptr_t)pb0, .dwords = nvsvm_push_end(&p) };
		nvsvm_push_init(&p, pb1, 24);
		nvsvm_push_sem_release(&p, (uintptr_t)marker, 0x77, NVSVM_PUSH_SEM_PAYLOAD_64);
		pushes[1] = (struct drm_nvsvm_push){ .va = (uintptr_t)pb1, .dwords = nvsvm_push_end(&p) };
		igt_assert_eq(pushes[0].dwords, 7);
		igt_assert_eq(pushes[1].dwords, 6);

		stats(&s0);
		igt_assert_eq(__nvsvm_igt_exec_fence(fd, c, pushes, 2, (uintptr_t)fence, 9), 0);
		ret = __nvsvm_igt_wait_user_fence(fd, (uintptr_t)fence, 9, ~0ull, DRM_NVSVM_WAIT_EQ,
						  TIMEOUT * NS_PER_MS, c);
		expect_ok(c, ret);
		stats(&s1);
		print_stats_delta("push-in-malloc", &s0, &s1);
		igt_assert_lt_u64(s0.faults, s1.faults);
		igt_assert_eq_u64(READ(*marker), 0x77);
		for (i = 0; i < 8192; i++)
			igt_assert_eq_u64(READ(dst[i]), pat(50, i) + 5);
		nvsvm_igt_channel_free(fd, c);
		free(words);
		free(prm);
		free(fence);
		free(marker);
		free(dst);
		free(src);
		free(area);
	}

	igt_describe("The host's COPY and FILL between malloc'd buffers (64 KiB each) fault their pages in and move the data.");
	igt_subtest("host-copy-fill") {
		const uint64_t size = 64 * KiB, n = size / 8;
		uint64_t *src = malloc(size), *dst = calloc(1, size), *fill = malloc(size), i;
		uint32_t c = nvsvm_igt_channel_alloc(fd);
		struct nvsvm_igt_job job;

		igt_assert(src && dst && fill);
		for (i = 0; i < n; i++) {
			src[i] = pat(51, i);
			fill[i] = pat(52, i);
		}
		nvsvm_igt_job_init(&job, fd, c);
		nvsvm_push_copy(&job.push, (uintptr_t)src, (uintptr_t)dst, size);
		nvsvm_push_fill(&job.push, (uintptr_t)fill, size, 0xa5a55a5a);
		nvsvm_igt_job_submit(&job);
		expect_ok(c, nvsvm_igt_job_wait(&job, TIMEOUT));
		for (i = 0; i < n; i++) {
			igt_assert_eq_u64(READ(dst[i]), pat(51, i));
			igt_assert_eq_u64(READ(fill[i]), 0xa5a55a5aa5a55a5aull);
		}
		nvsvm_igt_channel_free(fd, c);
		nvsvm_igt_job_fini(&job);
		free(fill);
		free(dst);
		free(src);
	}

	igt_describe("A kernel touching each page of 64 MiB (4 KiB pages, MADV_NOHUGEPAGE) once: every page gets its value, every page was mapped, and faults were serviced in batches of more than one on average (svm_stats).");
	igt_subtest("fault-batching") {
		const uint64_t size = 64 * MiB, n = size / 4096;
		struct nvsvm_svm_stats s0, s1;
		char *p = mmap_anon(size, PROT_READ | PROT_WRITE, MAP_PRIVATE);
		uint64_t faults, batches, i;

		igt_assert_eq(madvise(p, size, MADV_NOHUGEPAGE), 0);
		stats(&s0);
		gpu_write((uintptr_t)p, page, n, 0x10000);
		stats(&s1);
		for (i = 0; i < n; i++)
			igt_assert_eq_u64(READ(*(uint64_t *)(p + i * page)), 0x10000 + i);
		print_stats_delta("64 MiB", &s0, &s1);
		faults = s1.faults - s0.faults;
		batches = s1.batches - s0.batches;
		igt_info("%.2f faults and %.2f replays per batch\n",
			 batches ? (double)faults / batches : 0,
			 batches ? (double)(s1.replays - s0.replays) / batches : 0);
		for (i = 0; i < NVSVM_SVM_STATS_BUCKETS; i++)
			if (s1.batch_size[i] != s0.batch_size[i])
				igt_info("batches of %llu+ faults: %llu\n", 1ull << i,
					 (unsigned long long)(s1.batch_size[i] - s0.batch_size[i]));
		igt_assert_lt_u64(0, batches);
		igt_assert_lt_u64(batches, faults);
		igt_assert_lte_u64(n, (s1.map_4k - s0.map_4k) + 512 * (s1.map_2m - s0.map_2m));
		munmap(p, size);
	}

	igt_describe("With the emulator dropping the next 4 fault reports as if its fault buffer were full (fault_overflow), a kernel faulting on 64 pages still completes, and all 4 drops happened.");
	igt_subtest("fault-overflow") {
		char path[256];
		char *p = mmap_anon(64 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE);
		uint64_t i;

		nvsvm_igt_sim_knob_path(fd, "fault_overflow", path, sizeof(path));
		arm_knob(path, 4);
		gpu_write((uintptr_t)p, page, 64, 0x20000);
		igt_assert_eq_u64(nvsvm_igt_sim_knob_read(path), 0);
		for (i = 0; i < 64; i++)
			igt_assert_eq_u64(READ(*(uint64_t *)(p + i * page)), 0x20000 + i);
		munmap(p, 64 * page);
	}

	igt_describe("With the emulator losing the next fault interrupt (drop_irq_fault), a kernel faulting on 64 pages still completes, and the interrupt was dropped.");
	igt_subtest("fault-irq-dropped") {
		char path[256];
		char *p = mmap_anon(64 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE);
		uint64_t i;

		nvsvm_igt_sim_knob_path(fd, "drop_irq_fault", path, sizeof(path));
		arm_knob(path, 1);
		gpu_write((uintptr_t)p, page, 64, 0x30000);
		igt_assert_eq_u64(nvsvm_igt_sim_knob_read(path), 0);
		for (i = 0; i < 64; i++)
			igt_assert_eq_u64(READ(*(uint64_t *)(p + i * page)), 0x30000 + i);
		munmap(p, 64 * page);
	}

	/* WAIT_USER_FENCE */

	igt_describe("A wait for a value memory never holds ends with -ETIME once its timeout (200 ms) has passed, not before.");
	igt_subtest("wait-timeout") {
		uint64_t *w = calloc(1, 8), t0, elapsed;
		int ret;

		igt_assert(w);
		t0 = nvsvm_igt_now_ms();
		ret = __nvsvm_igt_wait_user_fence(fd, (uintptr_t)w, 1, ~0ull, DRM_NVSVM_WAIT_EQ,
						  200 * NS_PER_MS, 0);
		elapsed = nvsvm_igt_now_ms() - t0;
		igt_info("-ETIME after %llu ms\n", (unsigned long long)elapsed);
		igt_assert_eq(ret, -ETIME);
		igt_assert_lte_u64(199, elapsed);
		igt_assert_lt_u64(elapsed, 200 + TIMEOUT);
		free(w);
	}

	igt_describe("A timeout of 0 checks once: 0 if the value is there, -ETIME if not.");
	igt_subtest("wait-timeout-zero") {
		uint64_t *w = calloc(1, 8);

		igt_assert(w);
		*w = 3;
		igt_assert_eq(__nvsvm_igt_wait_user_fence(fd, (uintptr_t)w, 3, ~0ull,
							  DRM_NVSVM_WAIT_EQ, 0, 0), 0);
		igt_assert_eq(__nvsvm_igt_wait_user_fence(fd, (uintptr_t)w, 4, ~0ull,
							  DRM_NVSVM_WAIT_EQ, 0, 0), -ETIME);
		free(w);
	}

	igt_describe("A wait whose condition already holds returns 0 at once, long timeout or not.");
	igt_subtest("wait-satisfied") {
		uint64_t *w = calloc(1, 8), t0, elapsed;

		igt_assert(w);
		*w = 0x5a5a;
		t0 = nvsvm_igt_now_ms();
		igt_assert_eq(__nvsvm_igt_wait_user_fence(fd, (uintptr_t)w, 0x5a5a, ~0ull,
							  DRM_NVSVM_WAIT_EQ, 3600ll * 1000 * NS_PER_MS,
							  0), 0);
		elapsed = nvsvm_igt_now_ms() - t0;
		igt_assert_lt_u64(elapsed, 5000);
		free(w);
	}

	igt_describe("Each comparison (EQ, NEQ, GT, GTE, LT, LTE), unsigned, holding and not: 0 or -ETIME with a timeout of 0.");
	igt_subtest("wait-ops") {
		static const struct {
			uint32_t op;
			uint64_t mem, value;
			bool holds;
		} cases[] = {
			{ DRM_NVSVM_WAIT_EQ, 5, 5, true },
			{ DRM_NVSVM_WAIT_EQ, 5, 6, false },
			{ DRM_NVSVM_WAIT_NEQ, 5, 6, true },
			{ DRM_NVSVM_WAIT_NEQ, 5, 5, false },
			{ DRM_NVSVM_WAIT_GT, 6, 5, true },
			{ DRM_NVSVM_WAIT_GT, 5, 5, false },
			{ DRM_NVSVM_WAIT_GT, UINT64_MAX, 1, true },		/* unsigned */
			{ DRM_NVSVM_WAIT_GTE, 5, 5, true },
			{ DRM_NVSVM_WAIT_GTE, 4, 5, false },
			{ DRM_NVSVM_WAIT_GTE, 1ull << 63, 1, true },
			{ DRM_NVSVM_WAIT_LT, 4, 5, true },
			{ DRM_NVSVM_WAIT_LT, 5, 5, false },
			{ DRM_NVSVM_WAIT_LT, 1, UINT64_MAX, true },
			{ DRM_NVSVM_WAIT_LTE, 5, 5, true },
			{ DRM_NVSVM_WAIT_LTE, 6, 5, false },
			{ DRM_NVSVM_WAIT_LTE, 1ull << 63, 1, false },
		};
		uint64_t *w = calloc(1, 8);
		unsigned int i;

		igt_assert(w);
		for (i = 0; i < ARRAY_SIZE(cases); i++) {
			int ret;

			*w = cases[i].mem;
			ret = __nvsvm_igt_wait_user_fence(fd, (uintptr_t)w, cases[i].value, ~0ull,
							  cases[i].op, 0, 0);
			igt_assert_f(ret == (cases[i].holds ? 0 : -ETIME),
				     "op %u, memory %#llx, value %#llx: %d\n", cases[i].op,
				     (unsigned long long)cases[i].mem,
				     (unsigned long long)cases[i].value, ret);
		}
		free(w);
	}

	igt_describe("The mask selects the bits of memory and value that count, for equality and for order.");
	igt_subtest("wait-mask") {
		static const struct {
			uint32_t op;
			uint64_t mem, value, mask;
			bool holds;
		} cases[] = {
			{ DRM_NVSVM_WAIT_EQ, 0x12345678, 0x5678, 0xffff, true },
			{ DRM_NVSVM_WAIT_EQ, 0x12345678, 0x5678, 0xffff0000, false },
			{ DRM_NVSVM_WAIT_EQ, 0xff00, 0x00ff, 0, true },
			{ DRM_NVSVM_WAIT_NEQ, 0xf0, 0x0f, 0xff, true },
			{ DRM_NVSVM_WAIT_NEQ, 0x1f0, 0x0f0, 0xff, false },
			{ DRM_NVSVM_WAIT_GT, 0x100000001ull, 2, 0xff, false },
			{ DRM_NVSVM_WAIT_GT, 0x100000001ull, 2, ~0ull, true },
			{ DRM_NVSVM_WAIT_LT, 0x8000000000000001ull, 2, 0xff, true },
			{ DRM_NVSVM_WAIT_GTE, 0x10, 0xff0f, 0xf0, true },
		};
		uint64_t *w = calloc(1, 8);
		unsigned int i;

		igt_assert(w);
		for (i = 0; i < ARRAY_SIZE(cases); i++) {
			int ret;

			*w = cases[i].mem;
			ret = __nvsvm_igt_wait_user_fence(fd, (uintptr_t)w, cases[i].value,
							  cases[i].mask, cases[i].op, 0, 0);
			igt_assert_f(ret == (cases[i].holds ? 0 : -ETIME),
				     "op %u, memory %#llx, value %#llx, mask %#llx: %d\n",
				     cases[i].op, (unsigned long long)cases[i].mem,
				     (unsigned long long)cases[i].value,
				     (unsigned long long)cases[i].mask, ret);
		}
		free(w);
	}

	igt_describe("A job blocked on a semaphore leaves its user fence unwritten (a wait times out); released, it writes the fence, which wakes a wait in progress.");
	igt_subtest("user-fence-wakes-wait") {
		uint64_t *sem = calloc(1, 8);
		uint32_t c = nvsvm_igt_channel_alloc(fd);
		struct nvsvm_igt_job job;
		struct later l;

		igt_assert(sem);
		nvsvm_igt_job_init(&job, fd, c);
		nvsvm_push_sem_acquire(&job.push, (uintptr_t)sem, 1, NVSVM_PUSH_SEM_PAYLOAD_64);
		nvsvm_igt_job_submit(&job);
		igt_assert_eq(nvsvm_igt_job_wait(&job, 200), -ETIME);
		igt_assert_eq_u64(READ(*job.fence), 0);
		write_later(&l, sem, 1, 300);
		expect_ok(c, nvsvm_igt_job_wait(&job, TIMEOUT));
		later_join(&l);
		nvsvm_igt_channel_free(fd, c);
		nvsvm_igt_job_fini(&job);
		free(sem);
	}

	igt_describe("A value the CPU writes during a wait (no GPU interrupt comes) is seen by the timeout at the latest: the wait returns 0.");
	igt_subtest("wait-cpu-write-seen") {
		uint64_t *w = calloc(1, 8);
		struct later l;

		igt_assert(w);
		write_later(&l, w, 0x77, 200);
		igt_assert_eq(__nvsvm_igt_wait_user_fence(fd, (uintptr_t)w, 0x77, ~0ull,
							  DRM_NVSVM_WAIT_EQ, 3000 * NS_PER_MS, 0), 0);
		later_join(&l);
		free(w);
	}

	igt_describe("A wait naming a channel ends with -EIO when the channel fails meanwhile (GET_ERROR: UNMAPPED); without the channel the same wait times out; on the failed channel a new wait is -EIO at once.");
	igt_subtest("wait-channel-fails") {
		uint64_t *sem = calloc(1, 8), t0;
		struct one_params *prm = malloc(sizeof(*prm));
		uint64_t va = hole_va(page) + 0x40;
		uint32_t c = nvsvm_igt_channel_alloc(fd);
		struct nvsvm_igt_job job;
		struct later l;

		igt_assert(sem && prm);
		*prm = (struct one_params){ .addr = va, .result = 0x1111 };
		nvsvm_igt_job_init(&job, fd, c);
		nvsvm_push_sem_acquire(&job.push, (uintptr_t)sem, 1, NVSVM_PUSH_SEM_PAYLOAD_64);
		nvsvm_push_launch(&job.push, (uintptr_t)k_load1, (uintptr_t)prm, 1, 1);
		nvsvm_igt_job_submit(&job);
		write_later(&l, sem, 1, 300);
		igt_assert_eq(nvsvm_igt_job_wait(&job, TIMEOUT), -EIO);
		later_join(&l);
		igt_assert_eq_u64(READ(*job.fence), 0);
		nvsvm_igt_assert_svm_fault(fd, c, va, DRM_NVSVM_ACCESS_READ,
					   DRM_NVSVM_FAULT_UNMAPPED, DRM_NVSVM_FAULT_REASON_UNMAPPED,
					   DRM_NVSVM_FAULT_CLIENT_SM);
		igt_assert_eq(__nvsvm_igt_wait_user_fence(fd, (uintptr_t)job.fence, job.value, ~0ull,
							  DRM_NVSVM_WAIT_EQ, 100 * NS_PER_MS, 0),
			      -ETIME);
		t0 = nvsvm_igt_now_ms();
		igt_assert_eq(nvsvm_igt_job_wait(&job, TIMEOUT), -EIO);
		igt_assert_lt_u64(nvsvm_igt_now_ms() - t0, 5000);
		nvsvm_igt_channel_free(fd, c);
		nvsvm_igt_job_fini(&job);
		free(prm);
		free(sem);
	}

	igt_describe("A wait interrupted every 50 ms by a signal with SA_RESTART is restarted with the time left: one ioctl of 1 s ends with -ETIME after 1 s, not later and not sooner.");
	igt_subtest("wait-signal-restart") {
		uint64_t *w = calloc(1, 8), t0, elapsed;
		struct drm_nvsvm_wait_user_fence args = {
			.value = 1, .mask = ~0ull, .op = DRM_NVSVM_WAIT_EQ,
			.timeout_ns = 1000 * NS_PER_MS,
		};
		pthread_t stopper;
		int ret;

		igt_assert(w);
		args.va = (uintptr_t)w;
		set_alarm_handler(true);
		start_stopper(&stopper);
		set_alarm(50, 50);
		t0 = nvsvm_igt_now_ms();
		ret = ioctl(fd, DRM_IOCTL_NVSVM_WAIT_USER_FENCE, &args) ? -errno : 0;
		elapsed = nvsvm_igt_now_ms() - t0;
		set_alarm(0, 0);
		pthread_cancel(stopper);
		pthread_join(stopper, NULL);
		igt_info("%d after %llu ms and %d signals\n", ret, (unsigned long long)elapsed,
			 (int)nr_signals);
		igt_assert_eq(ret, -ETIME);
		igt_assert_lte(5, nr_signals);
		igt_assert_lte_u64(999, elapsed);
		igt_assert_lt_u64(elapsed, 16000);
		free(w);
	}

	igt_describe("A wait interrupted by a signal without SA_RESTART fails with -EINTR and writes back the time left; waiting again with it ends with -ETIME when the first timeout would have.");
	igt_subtest("wait-signal-eintr") {
		const int64_t timeout = 2000 * NS_PER_MS;
		uint64_t *w = calloc(1, 8), t0, first, second;
		struct drm_nvsvm_wait_user_fence args = {
			.value = 1, .mask = ~0ull, .op = DRM_NVSVM_WAIT_EQ, .timeout_ns = timeout,
		};
		int ret;

		igt_assert(w);
		args.va = (uintptr_t)w;
		set_alarm_handler(false);
		set_alarm(300, 0);
		t0 = nvsvm_igt_now_ms();
		ret = ioctl(fd, DRM_IOCTL_NVSVM_WAIT_USER_FENCE, &args) ? -errno : 0;
		first = nvsvm_igt_now_ms() - t0;
		set_alarm(0, 0);
		igt_info("%d after %llu ms, %lld ns left\n", ret, (unsigned long long)first,
			 (long long)args.timeout_ns);
		igt_assert_eq(ret, -EINTR);
		igt_assert_eq(nr_signals, 1);
		igt_assert_lte(0, args.timeout_ns);
		igt_assert_lte(args.timeout_ns, timeout - 250 * NS_PER_MS);
		igt_assert_lte(timeout - (int64_t)(first + 1) * NS_PER_MS, args.timeout_ns);

		t0 = nvsvm_igt_now_ms();
		ret = ioctl(fd, DRM_IOCTL_NVSVM_WAIT_USER_FENCE, &args) ? -errno : 0;
		second = nvsvm_igt_now_ms() - t0;
		igt_info("then %d after %llu ms more\n", ret, (unsigned long long)second);
		igt_assert_eq(ret, -ETIME);
		igt_assert_lte_u64(1999, first + second);
		igt_assert_lt_u64(first + second, 2000 + 15000);
		free(w);
	}

	igt_describe("libnvsvm's nvsvm_wait_user_fence() under a signal every 50 ms (no SA_RESTART) restarts with the time left: a 1 s wait ends with -ETIME after 1 s.");
	igt_subtest("lib-wait-restarts") {
		uint64_t *w = calloc(1, 8), t0, elapsed;
		pthread_t stopper;
		int ret;

		igt_assert(w);
		set_alarm_handler(false);
		start_stopper(&stopper);
		set_alarm(50, 50);
		t0 = nvsvm_igt_now_ms();
		ret = nvsvm_wait_user_fence(dev, (uintptr_t)w, 1, ~0ull, DRM_NVSVM_WAIT_EQ,
					    1000 * NS_PER_MS, 0);
		elapsed = nvsvm_igt_now_ms() - t0;
		set_alarm(0, 0);
		pthread_cancel(stopper);
		pthread_join(stopper, NULL);
		igt_info("%d after %llu ms and %d signals\n", ret, (unsigned long long)elapsed,
			 (int)nr_signals);
		igt_assert_eq(ret, -ETIME);
		igt_assert_lte(5, nr_signals);
		igt_assert_lte_u64(999, elapsed);
		igt_assert_lt_u64(elapsed, 16000);
		free(w);
	}

	/* Fault mode */

	igt_describe("In-syncs work in fault mode: a job waiting on a syncobj shared from a BO VM's job leaves its fence unwritten until that job completes, then runs; one waiting on a signalled syncobj runs at once.");
	igt_subtest("in-sync") {
		struct nvsvm_device *bodev = nvsvm_igt_open(0);
		int bofd = nvsvm_device_fd(bodev);
		uint32_t boc = nvsvm_igt_channel_alloc(bofd), c = nvsvm_igt_channel_alloc(fd);
		uint32_t bosync, in, sigd = nvsvm_igt_syncobj_signalled(fd);
		uint64_t *marker = calloc(1, 8);
		struct drm_nvsvm_sync in_sync;
		struct drm_nvsvm_exec ex;
		struct nvsvm_igt_bo bo;
		struct nvsvm_igt_job job;
		struct nvsvm_push p;
		uint64_t *sem;
		int sfd = -1;

		igt_assert(marker);
		/* The BO VM's job: blocked until the CPU writes its semaphore. */
		nvsvm_igt_bo_new(bodev, page, 0, &bo);
		sem = nvsvm_igt_bo_alloc(&bo, 8, 8);
		nvsvm_igt_push_begin(&bo, &p, 64);
		nvsvm_push_sem_acquire(&p, nvsvm_igt_bo_va(&bo, sem), 1, NVSVM_PUSH_SEM_PAYLOAD_64);
		bosync = nvsvm_igt_submit_push(bofd, boc, nvsvm_igt_push_end(&bo, &p));
		igt_assert_eq(drmSyncobjHandleToFD(bofd, bosync, &sfd), 0);
		igt_assert_eq(drmSyncobjFDToHandle(fd, sfd, &in), 0);
		close(sfd);

		nvsvm_igt_job_init(&job, fd, c);
		nvsvm_push_sem_release(&job.push, (uintptr_t)marker, 0x88, NVSVM_PUSH_SEM_PAYLOAD_64);
		igt_assert_eq(nvsvm_push_end(&job.push), 6);
		in_sync = (struct drm_nvsvm_sync){ .handle = in };
		{
			struct drm_nvsvm_push push = { .va = (uintptr_t)job.buf, .dwords = 6 };

			ex = (struct drm_nvsvm_exec){
				.channel = c, .push_count = 1, .pushes = (uintptr_t)&push,
				.in_sync_count = 1, .in_syncs = (uintptr_t)&in_sync,
				.user_fence_va = (uintptr_t)job.fence, .user_fence_value = job.value,
			};
			igt_assert_eq(nvsvm_igt_ioctl(fd, DRM_IOCTL_NVSVM_EXEC, &ex), 0);
			igt_assert_eq(nvsvm_igt_job_wait(&job, 300), -ETIME);
			igt_assert_eq_u64(READ(*marker), 0);
			WRITE(*sem, 1);
			igt_assert_eq(nvsvm_igt_wait_status(bofd, bosync, TIMEOUT), 1);
			expect_ok(c, nvsvm_igt_job_wait(&job, TIMEOUT));
			igt_assert_eq_u64(READ(*marker), 0x88);

			/* A signalled in-sync. */
			*job.fence = 0;
			in_sync.handle = sigd;
			igt_assert_eq(nvsvm_igt_ioctl(fd, DRM_IOCTL_NVSVM_EXEC, &ex), 0);
			expect_ok(c, nvsvm_igt_job_wait(&job, TIMEOUT));
		}
		nvsvm_igt_job_fini(&job);
		nvsvm_igt_channel_free(fd, c);
		nvsvm_igt_syncobj_destroy(fd, in);
		nvsvm_igt_syncobj_destroy(fd, sigd);
		nvsvm_igt_syncobj_destroy(bofd, bosync);
		nvsvm_igt_channel_free(bofd, boc);
		nvsvm_igt_bo_free(&bo);
		nvsvm_device_close(bodev);
		free(marker);
	}

	igt_describe("Jobs submitted without waiting behind a blocked one fill the channel's ring until EXEC says -EBUSY (and keeps saying it); released, every job runs in order and writes its fence, and EXEC takes jobs again.");
	igt_subtest("ring-full") {
		const unsigned int max_jobs = 65536;
		uint64_t *slots = calloc(max_jobs + 1, 8), *sem = calloc(1, 8), t0;
		uint32_t *nop = malloc(64), c = nvsvm_igt_channel_alloc(fd);
		struct drm_nvsvm_push nop_push = { .va = (uintptr_t)nop, .dwords = 1 };
		struct nvsvm_igt_job blocker;
		unsigned int n, i;
		int ret = 0;

		igt_assert(slots && sem && nop);
		nop[0] = NVSVM_PUSH_HEADER(NVSVM_PUSH_METHOD_NOP, 0);
		nvsvm_igt_job_init(&blocker, fd, c);
		nvsvm_push_sem_acquire(&blocker.push, (uintptr_t)sem, 1, NVSVM_PUSH_SEM_PAYLOAD_64);
		nvsvm_igt_job_submit(&blocker);
		for (n = 0; n < max_jobs; n++) {
			ret = __nvsvm_igt_exec_fence(fd, c, &nop_push, 1, (uintptr_t)&slots[n], n + 1);
			if (ret)
				break;
		}
		igt_info("EXEC said %d after %u jobs behind the blocked one\n", ret, n);
		igt_assert_eq(ret, -EBUSY);
		igt_assert_lt(0, n);
		igt_assert_eq(__nvsvm_igt_exec_fence(fd, c, &nop_push, 1, (uintptr_t)&slots[n],
						     n + 1), -EBUSY);
		for (i = 0; i < n; i++)
			igt_assert_eq_u64(READ(slots[i]), 0);

		WRITE(*sem, 1);
		expect_ok(c, nvsvm_igt_job_wait(&blocker, TIMEOUT));
		ret = __nvsvm_igt_wait_user_fence(fd, (uintptr_t)&slots[n - 1], n, ~0ull,
						  DRM_NVSVM_WAIT_EQ, TIMEOUT * NS_PER_MS, c);
		expect_ok(c, ret);
		for (i = 0; i < n; i++)
			igt_assert_eq_u64(READ(slots[i]), i + 1);

		/* Room again, once the driver has seen the ring drain. */
		for (t0 = nvsvm_igt_now_ms();;) {
			ret = __nvsvm_igt_exec_fence(fd, c, &nop_push, 1, (uintptr_t)&slots[n], n + 1);
			if (ret != -EBUSY || nvsvm_igt_now_ms() - t0 > 5000)
				break;
			usleep(1000);
		}
		igt_assert_eq(ret, 0);
		ret = __nvsvm_igt_wait_user_fence(fd, (uintptr_t)&slots[n], n + 1, ~0ull,
						  DRM_NVSVM_WAIT_EQ, TIMEOUT * NS_PER_MS, c);
		expect_ok(c, ret);
		nvsvm_igt_channel_free(fd, c);
		nvsvm_igt_job_fini(&blocker);
		free(nop);
		free(sem);
		free(slots);
	}

	igt_describe("libnvsvm's nvsvm_exec_fence() on a full ring waits for the channel's last user fence and submits once there is room (the ring drains when a thread releases the blocked job).");
	igt_subtest("lib-exec-busy-retry")
		lib_exec_busy_retry();

	igt_describe("A channel that faults leaves another channel of the same VM running: its blocked job completes once released, its next job runs, and a new channel works; the failed one refuses EXEC with -ECANCELED.");
	igt_subtest("channel-failure-isolated") {
		uint32_t a = nvsvm_igt_channel_alloc(fd), b;
		uint64_t *sem = calloc(1, 8), *data = calloc(1, 8);
		struct one_params *prm = malloc(sizeof(*prm));
		struct drm_nvsvm_channel_get_error err;
		struct nvsvm_igt_job job, next;
		uint64_t va = hole_va(page) + 0x80;

		igt_assert(sem && data && prm);
		*prm = (struct one_params){ .addr = (uintptr_t)data, .value = 0x600d };
		nvsvm_igt_job_init(&job, fd, a);
		nvsvm_push_sem_acquire(&job.push, (uintptr_t)sem, 1, NVSVM_PUSH_SEM_PAYLOAD_64);
		nvsvm_push_launch(&job.push, (uintptr_t)k_store1, (uintptr_t)prm, 1, 1);
		nvsvm_igt_job_submit(&job);

		b = fault_one(k_load1, va, NULL);
		nvsvm_igt_assert_svm_fault(fd, b, va, DRM_NVSVM_ACCESS_READ,
					   DRM_NVSVM_FAULT_UNMAPPED, DRM_NVSVM_FAULT_REASON_UNMAPPED,
					   DRM_NVSVM_FAULT_CLIENT_SM);

		igt_assert_eq(nvsvm_igt_job_wait(&job, 100), -ETIME);
		nvsvm_igt_channel_get_error(fd, a, &err);
		igt_assert_eq(err.error, DRM_NVSVM_CHANNEL_ERROR_NONE);
		WRITE(*sem, 1);
		expect_ok(a, nvsvm_igt_job_wait(&job, TIMEOUT));
		igt_assert_eq_u64(READ(*data), 0x600d);

		nvsvm_igt_job_init(&next, fd, a);
		nvsvm_push_nop(&next.push, 0);
		nvsvm_igt_job_submit(&next);
		expect_ok(a, nvsvm_igt_job_wait(&next, TIMEOUT));
		next.channel = b;
		igt_assert_eq(__nvsvm_igt_job_submit(&next), -ECANCELED);
		nvsvm_igt_job_fini(&next);

		nvsvm_igt_channel_free(fd, b);
		nvsvm_igt_channel_free(fd, a);
		{
			void *p = malloc(64 * KiB);

			igt_assert(p);
			check_rw(p, 64 * KiB, 8, true, 53);
			free(p);
		}
		nvsvm_igt_job_fini(&job);
		free(prm);
		free(data);
		free(sem);
	}

	igt_describe("A job in fault mode with no user fence (user_fence_va 0) runs: what it writes appears; a job with a fence after it on the channel completes.");
	igt_subtest("job-without-user-fence") {
		uint64_t *marker = calloc(1, 8), t0;
		uint32_t *pb = malloc(64), c = nvsvm_igt_channel_alloc(fd);
		struct drm_nvsvm_push push;
		struct nvsvm_igt_job job;
		struct nvsvm_push p;

		igt_assert(marker && pb);
		nvsvm_push_init(&p, pb, 64);
		nvsvm_push_sem_release(&p, (uintptr_t)marker, 0x99, NVSVM_PUSH_SEM_PAYLOAD_64);
		igt_assert_eq(nvsvm_push_to_exec(&p, &push), 0);
		igt_assert_eq(__nvsvm_igt_exec_fence(fd, c, &push, 1, 0, 0), 0);
		for (t0 = nvsvm_igt_now_ms(); READ(*marker) != 0x99;) {
			igt_assert_f(nvsvm_igt_now_ms() - t0 < TIMEOUT, "the job did not run\n");
			usleep(1000);
		}
		nvsvm_igt_job_init(&job, fd, c);
		nvsvm_push_nop(&job.push, 0);
		nvsvm_igt_job_submit(&job);
		expect_ok(c, nvsvm_igt_job_wait(&job, TIMEOUT));
		nvsvm_igt_channel_free(fd, c);
		nvsvm_igt_job_fini(&job);
		free(pb);
		free(marker);
	}

	igt_describe("A user fence is the 64-bit value given, written at the address given and nowhere else.");
	igt_subtest("user-fence-value") {
		uint64_t *words = malloc(3 * 8);
		uint32_t *pb = malloc(64), c = nvsvm_igt_channel_alloc(fd);
		struct drm_nvsvm_push push;
		struct nvsvm_push p;

		igt_assert(words && pb);
		words[0] = words[2] = 0x5e5e5e5e5e5e5e5eull;
		words[1] = 0;
		nvsvm_push_init(&p, pb, 64);
		nvsvm_push_nop(&p, 0);
		igt_assert_eq(nvsvm_push_to_exec(&p, &push), 0);
		igt_assert_eq(__nvsvm_igt_exec_fence(fd, c, &push, 1, (uintptr_t)&words[1],
						     0xfedcba9876543210ull), 0);
		expect_ok(c, __nvsvm_igt_wait_user_fence(fd, (uintptr_t)&words[1],
							 0xfedcba9876543210ull, ~0ull,
							 DRM_NVSVM_WAIT_EQ, TIMEOUT * NS_PER_MS, c));
		igt_assert_eq_u64(READ(words[1]), 0xfedcba9876543210ull);
		igt_assert_eq_u64(READ(words[0]), 0x5e5e5e5e5e5e5e5eull);
		igt_assert_eq_u64(READ(words[2]), 0x5e5e5e5e5e5e5e5eull);
		nvsvm_igt_channel_free(fd, c);
		free(pb);
		free(words);
	}

	igt_describe("16 jobs on a channel write increasing values to one fence: waiting for the last (GTE) sees every job done, in order.");
	igt_subtest("user-fence-order") {
		uint64_t *fence = calloc(1, 8), *log = calloc(16, 8), i;
		uint32_t *pbs = malloc(16 * 64), c = nvsvm_igt_channel_alloc(fd);
		struct drm_nvsvm_push push;
		struct nvsvm_push p;

		igt_assert(fence && log && pbs);
		for (i = 0; i < 16; i++) {
			nvsvm_push_init(&p, pbs + i * 16, 64);
			/* Each job checks that the one before it has written its word. */
			if (i)
				nvsvm_push_sem_acquire(&p, (uintptr_t)&log[i - 1], i,
						       NVSVM_PUSH_SEM_PAYLOAD_64);
			nvsvm_push_sem_release(&p, (uintptr_t)&log[i], i + 1,
					       NVSVM_PUSH_SEM_PAYLOAD_64);
			igt_assert_eq(nvsvm_push_to_exec(&p, &push), 0);
			igt_assert_eq(__nvsvm_igt_exec_fence(fd, c, &push, 1, (uintptr_t)fence,
							     i + 1), 0);
		}
		expect_ok(c, __nvsvm_igt_wait_user_fence(fd, (uintptr_t)fence, 16, ~0ull,
							 DRM_NVSVM_WAIT_GTE, TIMEOUT * NS_PER_MS, c));
		igt_assert_eq_u64(READ(*fence), 16);
		for (i = 0; i < 16; i++)
			igt_assert_eq_u64(READ(log[i]), i + 1);
		nvsvm_igt_channel_free(fd, c);
		free(pbs);
		free(log);
		free(fence);
	}

	igt_describe("A user fence at an address the process does not map fails the channel when the GPU writes it: MMU_FAULT, WRITE, UNMAPPED, client HOST; a wait naming the channel ends with -EIO.");
	igt_subtest("user-fence-unmapped") {
		uint64_t va = hole_va(page) + 0x18, *other = calloc(1, 8);
		uint32_t *pb = malloc(64), c = nvsvm_igt_channel_alloc(fd);
		struct drm_nvsvm_push push;
		struct nvsvm_push p;

		igt_assert(other && pb);
		nvsvm_push_init(&p, pb, 64);
		nvsvm_push_nop(&p, 0);
		igt_assert_eq(nvsvm_push_to_exec(&p, &push), 0);
		igt_assert_eq(__nvsvm_igt_exec_fence(fd, c, &push, 1, va, 1), 0);
		igt_assert_eq(__nvsvm_igt_wait_user_fence(fd, (uintptr_t)other, 1, ~0ull,
							  DRM_NVSVM_WAIT_EQ, TIMEOUT * NS_PER_MS, c),
			      -EIO);
		nvsvm_igt_assert_svm_fault(fd, c, va, DRM_NVSVM_ACCESS_WRITE,
					   DRM_NVSVM_FAULT_UNMAPPED, DRM_NVSVM_FAULT_REASON_UNMAPPED,
					   DRM_NVSVM_FAULT_CLIENT_HOST);
		igt_assert(is_unmapped(va & ~(page - 1), page));
		nvsvm_igt_channel_free(fd, c);
		free(pb);
		free(other);
	}

	/* Buffer objects beside SVM, and what is reported where */

	igt_describe("In the BO window the GPU sees the BO bound there, not the process's (PROT_NONE) mapping: it reads the BO and its writes land in the BO, in the same jobs as SVM memory.");
	igt_subtest("bo-window") {
		const uint64_t n = 16;
		struct nvsvm_igt_bo bo;
		uint64_t i;

		nvsvm_igt_bo_new_at(dev, n * page, window + 1 * MiB, 0, &bo);
		fill_pages(bo.ptr, n, 60);
		check_gpu_reads_pages((void *)(uintptr_t)bo.va, n, 60);
		gpu_write(bo.va + 8, page, n, 0x700);
		for (i = 0; i < n; i++)
			igt_assert_eq_u64(READ(*(uint64_t *)(bo.ptr + i * page + 8)), 0x700 + i);
		nvsvm_igt_bo_free(&bo);
	}

	igt_describe("In the BO window, a read where no BO is bound faults with reason UNMAPPED, and a write to a READ_ONLY BO with reason PROTECTION.");
	igt_subtest("bo-window-faults") {
		struct nvsvm_igt_bo ro;
		uint64_t va = window + 8 * MiB + 0x10;
		uint32_t c;

		c = fault_one(k_load1, va, NULL);
		nvsvm_igt_assert_svm_fault(fd, c, va, DRM_NVSVM_ACCESS_READ,
					   DRM_NVSVM_FAULT_UNMAPPED, DRM_NVSVM_FAULT_REASON_UNMAPPED,
					   DRM_NVSVM_FAULT_CLIENT_SM);
		nvsvm_igt_channel_free(fd, c);

		nvsvm_igt_bo_new_at(dev, page, window + 2 * MiB, DRM_NVSVM_VM_BIND_READ_ONLY, &ro);
		c = fault_one(k_store1, ro.va + 0x20, NULL);
		nvsvm_igt_assert_svm_fault(fd, c, ro.va + 0x20, DRM_NVSVM_ACCESS_WRITE,
					   DRM_NVSVM_FAULT_PROTECTION,
					   DRM_NVSVM_FAULT_REASON_PROTECTION,
					   DRM_NVSVM_FAULT_CLIENT_SM);
		igt_assert_eq_u64(READ(*(uint64_t *)(ro.ptr + 0x20)), 0);
		nvsvm_igt_channel_free(fd, c);
		nvsvm_igt_bo_free(&ro);
	}

	igt_describe("In a BO VM (no SVM_INIT), CHANNEL_GET_ERROR gives reasons too: UNMAPPED for an address no BO maps, PROTECTION for a write to a READ_ONLY BO.");
	igt_subtest("bo-vm-fault-reasons") {
		struct nvsvm_device *bodev = nvsvm_igt_open(0);
		int bofd = nvsvm_device_fd(bodev);
		struct drm_nvsvm_channel_get_error err;
		struct nvsvm_igt_bo arena, ro;
		uint64_t hole = nvsvm_igt_unmapped_va(page), load, store, *prm;
		uint32_t c, s;

		nvsvm_igt_bo_new(bodev, 64 * KiB, 0, &arena);
		load = nvsvm_igt_bo_code(&arena, load1_src, NULL);
		store = nvsvm_igt_bo_code(&arena, store1_src, NULL);

		prm = nvsvm_igt_bo_alloc(&arena, 24, 8);
		prm[0] = hole + 0x28;
		c = nvsvm_igt_channel_alloc(bofd);
		s = nvsvm_igt_launch(bofd, c, &arena, load, nvsvm_igt_bo_va(&arena, prm), 1, 1);
		igt_assert_eq(nvsvm_igt_wait_status(bofd, s, TIMEOUT), -EFAULT);
		nvsvm_igt_channel_get_error(bofd, c, &err);
		igt_assert_eq(err.error, DRM_NVSVM_CHANNEL_ERROR_MMU_FAULT);
		igt_assert_eq_u64(err.address, hole + 0x28);
		igt_assert_eq(err.reason, DRM_NVSVM_FAULT_REASON_UNMAPPED);
		nvsvm_igt_syncobj_destroy(bofd, s);
		nvsvm_igt_channel_free(bofd, c);

		nvsvm_igt_bo_new(bodev, page, DRM_NVSVM_VM_BIND_READ_ONLY, &ro);
		prm = nvsvm_igt_bo_alloc(&arena, 24, 8);
		prm[0] = ro.va + 8;
		prm[1] = 1;
		c = nvsvm_igt_channel_alloc(bofd);
		s = nvsvm_igt_launch(bofd, c, &arena, store, nvsvm_igt_bo_va(&arena, prm), 1, 1);
		igt_assert_eq(nvsvm_igt_wait_status(bofd, s, TIMEOUT), -EFAULT);
		nvsvm_igt_channel_get_error(bofd, c, &err);
		igt_assert_eq(err.error, DRM_NVSVM_CHANNEL_ERROR_MMU_FAULT);
		igt_assert_eq_u64(err.address, ro.va + 8);
		igt_assert_eq(err.access, DRM_NVSVM_ACCESS_WRITE);
		igt_assert_eq(err.reason, DRM_NVSVM_FAULT_REASON_PROTECTION);
		nvsvm_igt_syncobj_destroy(bofd, s);
		nvsvm_igt_channel_free(bofd, c);

		nvsvm_igt_bo_free(&ro);
		nvsvm_igt_bo_free(&arena);
		nvsvm_device_close(bodev);
	}

	igt_describe("An error that is not an MMU fault (an illegal instruction in malloc'd code) has no reason: GET_ERROR gives ILLEGAL_INSTRUCTION at the instruction, reason, access, fault type and client 0.");
	igt_subtest("error-without-reason") {
		uint64_t *code = malloc(3 * 8);
		struct drm_nvsvm_channel_get_error err;
		uint32_t c = nvsvm_igt_channel_alloc(fd);

		igt_assert(code);
		code[0] = 0;		/* nop */
		code[1] = 0xff;		/* op 0xff */
		code[2] = 1;		/* exit */
		igt_assert_eq(nvsvm_igt_svm_launch(fd, c, code, NULL, 1, 1), -EIO);
		nvsvm_igt_channel_get_error(fd, c, &err);
		igt_assert_eq(err.error, DRM_NVSVM_CHANNEL_ERROR_ILLEGAL_INSTRUCTION);
		igt_assert_eq_u64(err.address, (uintptr_t)&code[1]);
		igt_assert_eq(err.reason, 0);
		igt_assert_eq(err.access, 0);
		igt_assert_eq(err.fault_type, 0);
		igt_assert_eq(err.client, 0);
		nvsvm_igt_channel_free(fd, c);
		free(code);
	}

	igt_describe("A process exiting with one job faulting through 16 MiB and another blocked forever, without waiting or cleaning up: its exit does not hang, and the GPU then works for others.");
	igt_subtest("exit-while-faulting") {
		uint64_t per_file = nvsvm_igt_get_param(fd, DRM_NVSVM_PARAM_CHANNELS_PER_FILE);
		struct nvsvm_device *fresh;
		int c2p[2];
		uint32_t *ids;
		uint64_t i;
		pid_t pid;

		igt_assert_eq(pipe(c2p), 0);
		pid = fork_child();
		if (pid == 0) {
			const uint64_t size = 16 * MiB;
			uint32_t ch, ch2, *pb = malloc(128);
			char *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			uint64_t *sem = calloc(1, 8), *fence = calloc(2, 8);
			struct write_params *prm = malloc(sizeof(*prm));
			int cfd = child_open(&ch), ret;
			struct drm_nvsvm_push push[2];
			struct nvsvm_push pp;

			CHILD_CHECK(pb && p != MAP_FAILED && sem && fence && prm, "allocations");
			ret = __nvsvm_igt_channel_alloc(cfd, &ch2);
			CHILD_CHECK(ret == 0, "CHANNEL_ALLOC: %s", strerror(-ret));
			*prm = (struct write_params){ (uintptr_t)p, 4096, 1, size / 4096 };
			nvsvm_push_init(&pp, pb, 64);
			nvsvm_push_launch(&pp, (uintptr_t)k_write, (uintptr_t)prm,
					  blocks_of(size / 4096), 256);
			push[0] = (struct drm_nvsvm_push){ .va = (uintptr_t)pb,
							   .dwords = nvsvm_push_end(&pp) };
			nvsvm_push_init(&pp, pb + 16, 64);
			nvsvm_push_sem_acquire(&pp, (uintptr_t)sem, 1, NVSVM_PUSH_SEM_PAYLOAD_64);
			push[1] = (struct drm_nvsvm_push){ .va = (uintptr_t)(pb + 16),
							   .dwords = nvsvm_push_end(&pp) };
			ret = __nvsvm_igt_exec_fence(cfd, ch, &push[0], 1, (uintptr_t)&fence[0], 1);
			CHILD_CHECK(ret == 0, "EXEC: %s", strerror(-ret));
			ret = __nvsvm_igt_exec_fence(cfd, ch2, &push[1], 1, (uintptr_t)&fence[1], 1);
			CHILD_CHECK(ret == 0, "EXEC: %s", strerror(-ret));
			usleep(50000);	/* let the faults begin */
			CHILD_CHECK(write(c2p[1], "s", 1) == 1, "pipe");
			_exit(0);
		}
		close(c2p[1]);
		recv_byte(c2p[0], 's');
		wait_child(pid);

		/* A new file gets its whole share of channels, and the GPU runs jobs. */
		fresh = nvsvm_igt_open(0);
		ids = calloc(per_file, sizeof(*ids));
		igt_assert(ids);
		for (i = 0; i < per_file; i++) {
			int ret = __nvsvm_igt_channel_alloc(nvsvm_device_fd(fresh), &ids[i]);

			igt_assert_f(ret == 0, "channel %llu of %llu: %s\n",
				     (unsigned long long)i + 1, (unsigned long long)per_file,
				     strerror(-ret));
		}
		free(ids);
		nvsvm_device_close(fresh);
		{
			void *p = malloc(64 * KiB);

			igt_assert(p);
			check_rw(p, 64 * KiB, 8, true, 54);
			free(p);
		}
	}

	igt_fixture {
		nvsvm_device_close(dev);
	}
}
