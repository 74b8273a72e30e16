// SPDX-License-Identifier: MIT
/* Copyright 2026 The nvsvm authors */

/*
 * nvsvm_compute: compute kernels (docs/isa.md) launched through EXEC and
 * checked through the memory they write: a vector add over a few thousand
 * threads, reductions with atomics, warps spread over every SM, grids of
 * many blocks, the special registers and the parameter block. The GPU is
 * an interpreter, often under QEMU's software emulation: kernels stay
 * small, far below the GPU's watchdog.
 */

#include <stdlib.h>
#include <unistd.h>

#include "nvsvm_igt.h"

#define MiB (1ull << 20)
#define READ(x) NVSVM_IGT_READ(x)
#define TIMEOUT NVSVM_IGT_JOB_TIMEOUT_MS

/* Fixture state lives outside main: subtests longjmp out of its frame. */
static struct nvsvm_device *dev;
static int fd = -1;
static struct nvsvm_igt_bo arena;
static uint32_t ch;

#define VA(p) nvsvm_igt_bo_va(&arena, (p))

static void reset(void)
{
	arena.used = 0;
}

/* Run a grid of the kernel @src and wait for it to complete. */
static void run_kernel(const char *src, const void *params, uint32_t blocks, uint32_t threads)
{
	uint64_t code = nvsvm_igt_bo_code(&arena, src, NULL);
	uint32_t s = nvsvm_igt_launch(fd, ch, &arena, code, VA(params), blocks, threads);
	int status = nvsvm_igt_wait_status(fd, s, TIMEOUT);

	if (status != 1) {
		struct drm_nvsvm_channel_get_error err;

		nvsvm_igt_channel_get_error(fd, ch, &err);
		igt_info("launch failed: fence %d, channel error %u at %#llx\n", status,
			 err.error, (unsigned long long)err.address);
	}
	igt_assert_eq(status, 1);
	nvsvm_igt_syncobj_destroy(fd, s);
}

/* A pseudo-random 64-bit value for element @i. */
static uint64_t value(uint64_t i)
{
	uint64_t x = (i + 1) * 0x9e3779b97f4a7c15ull;

	x ^= x >> 29;
	x *= 0xbf58476d1ce4e5b9ull;
	return x ^ (x >> 32);
}

/* c[i] = a[i] + b[i] for i < n: the example of docs/isa.md. */
static const char vector_add[] =
	"# params: a, b, c, n\n"
	"	s2r	r1, param\n"
	"	s2r	r2, gtid\n"
	"	ld64	r3, [r1+24]\n"
	"	sltu	r4, r2, r3\n"
	"	beqz	r4, done\n"
	"	shli	r5, r2, 3\n"
	"	ld64	r6, [r1]\n"
	"	add	r6, r6, r5\n"
	"	ld64	r6, [r6]\n"
	"	ld64	r7, [r1+8]\n"
	"	add	r7, r7, r5\n"
	"	ld64	r7, [r7]\n"
	"	add	r6, r6, r7\n"
	"	ld64	r8, [r1+16]\n"
	"	add	r8, r8, r5\n"
	"	st64	[r8], r6\n"
	"done:	exit\n";

/* Every thread i < n adds a[i] into a 64-bit and a 32-bit sum. */
static const char reduce_add[] =
	"# params: a, n, &sum64, &sum32\n"
	"	s2r	r1, param\n"
	"	s2r	r2, gtid\n"
	"	ld64	r3, [r1+8]\n"
	"	sltu	r4, r2, r3\n"
	"	beqz	r4, done\n"
	"	ld64	r5, [r1]\n"
	"	shli	r6, r2, 3\n"
	"	add	r5, r5, r6\n"
	"	ld64	r7, [r5]\n"
	"	ld64	r8, [r1+16]\n"
	"	atomadd64 r9, [r8], r7\n"
	"	ld64	r8, [r1+24]\n"
	"	atomadd32 r9, [r8], r7\n"
	"done:	exit\n";

/* Every thread i < n folds a[i] into signed/unsigned minima and maxima. */
static const char reduce_minmax[] =
	"# params: a, n, out: min64 max64 minu64 maxu64 (u64), min32 max32 (u32)\n"
	"	s2r	r1, param\n"
	"	s2r	r2, gtid\n"
	"	ld64	r3, [r1+8]\n"
	"	sltu	r4, r2, r3\n"
	"	beqz	r4, done\n"
	"	ld64	r5, [r1]\n"
	"	shli	r6, r2, 3\n"
	"	add	r5, r5, r6\n"
	"	ld64	r7, [r5]\n"
	"	ld64	r8, [r1+16]\n"
	"	atommin64 r9, [r8], r7\n"
	"	addi	r8, r8, 8\n"
	"	atommax64 r9, [r8], r7\n"
	"	addi	r8, r8, 8\n"
	"	atomminu64 r9, [r8], r7\n"
	"	addi	r8, r8, 8\n"
	"	atommaxu64 r9, [r8], r7\n"
	"	addi	r8, r8, 8\n"
	"	atommin32 r9, [r8], r7\n"
	"	addi	r8, r8, 4\n"
	"	atommax32 r9, [r8], r7\n"
	"done:	exit\n";

/* Each thread takes a ticket: tickets[gtid] = atomadd64(counter, 1). */
static const char take_ticket[] =
	"# params: &counter, tickets\n"
	"	s2r	r1, param\n"
	"	ld64	r2, [r1]\n"
	"	movi	r3, 1\n"
	"	atomadd64 r4, [r2], r3\n"
	"	s2r	r5, gtid\n"
	"	shli	r5, r5, 3\n"
	"	ld64	r6, [r1+8]\n"
	"	add	r6, r6, r5\n"
	"	st64	[r6], r4\n"
	"	exit\n";

/* Each thread adds gtid + 1 to a counter with a compare-and-swap loop. */
static const char cas_add[] =
	"# params: &counter\n"
	"	s2r	r1, param\n"
	"	ld64	r1, [r1]\n"
	"	s2r	r2, gtid\n"
	"	addi	r2, r2, 1\n"
	"	ld64	r3, [r1]\n"
	"retry:	add	r4, r3, r2\n"
	"	addi	r5, r3, 0\n"
	"	atomcas64 r5, [r1], r4\n"
	"	sne	r6, r5, r3\n"
	"	addi	r3, r5, 0\n"
	"	bnez	r6, retry\n"
	"	exit\n";

/* Each thread swaps gtid + 1 into a slot and records what it found. */
static const char exch_chain[] =
	"# params: &slot, found\n"
	"	s2r	r1, param\n"
	"	ld64	r2, [r1]\n"
	"	s2r	r3, gtid\n"
	"	addi	r4, r3, 1\n"
	"	atomexch64 r5, [r2], r4\n"
	"	shli	r3, r3, 3\n"
	"	ld64	r6, [r1+8]\n"
	"	add	r6, r6, r3\n"
	"	st64	[r6], r5\n"
	"	exit\n";

/* Spin, then count the thread on its SM and record the SM. */
static const char sm_census[] =
	"# params: counts (u32 per SM), iterations, smids (u32 per thread)\n"
	"	s2r	r1, param\n"
	"	ld64	r2, [r1+8]\n"
	"loop:	addi	r2, r2, -1\n"
	"	bnez	r2, loop\n"
	"	s2r	r3, smid\n"
	"	ld64	r4, [r1]\n"
	"	shli	r5, r3, 2\n"
	"	add	r4, r4, r5\n"
	"	movi	r6, 1\n"
	"	atomadd32 r7, [r4], r6\n"
	"	s2r	r8, gtid\n"
	"	shli	r8, r8, 2\n"
	"	ld64	r9, [r1+16]\n"
	"	add	r9, r9, r8\n"
	"	st32	[r9], r3\n"
	"	exit\n";

/* Record the special registers: 8 u32 per thread, indexed by gtid. */
static const char sregs[] =
	"# params: out\n"
	"	s2r	r1, param\n"
	"	ld64	r1, [r1]\n"
	"	s2r	r2, gtid\n"
	"	shli	r3, r2, 5\n"
	"	add	r1, r1, r3\n"
	"	s2r	r4, tid\n"
	"	st32	[r1], r4\n"
	"	s2r	r4, ntid\n"
	"	st32	[r1+4], r4\n"
	"	s2r	r4, ctaid\n"
	"	st32	[r1+8], r4\n"
	"	s2r	r4, nctaid\n"
	"	st32	[r1+12], r4\n"
	"	s2r	r4, laneid\n"
	"	st32	[r1+16], r4\n"
	"	st32	[r1+20], r2\n"
	"	s2r	r4, param\n"
	"	st64	[r1+24], r4\n"
	"	exit\n";

/* hits[ctaid] += tid + 1; out[gtid] = gtid. */
static const char block_hits[] =
	"# params: hits (u32 per block), out (u32 per thread)\n"
	"	s2r	r1, param\n"
	"	s2r	r2, ctaid\n"
	"	shli	r2, r2, 2\n"
	"	ld64	r3, [r1]\n"
	"	add	r3, r3, r2\n"
	"	s2r	r4, tid\n"
	"	addi	r4, r4, 1\n"
	"	atomadd32 r5, [r3], r4\n"
	"	s2r	r6, gtid\n"
	"	shli	r7, r6, 2\n"
	"	ld64	r8, [r1+8]\n"
	"	add	r8, r8, r7\n"
	"	st32	[r8], r6\n"
	"	exit\n";

/* out = { x * y + 7, x - y, x / y, x % y, param }, from a parameter block { x, y, &out }. */
static const char params_kernel[] =
	"	s2r	r1, param\n"
	"	ld64	r2, [r1]\n"
	"	ld64	r3, [r1+8]\n"
	"	ld64	r4, [r1+16]\n"
	"	mul	r5, r2, r3\n"
	"	addi	r5, r5, 7\n"
	"	st64	[r4], r5\n"
	"	sub	r5, r2, r3\n"
	"	st64	[r4+8], r5\n"
	"	divu	r5, r2, r3\n"
	"	st64	[r4+16], r5\n"
	"	remu	r5, r2, r3\n"
	"	st64	[r4+24], r5\n"
	"	st64	[r4+32], r1\n"
	"	exit\n";

/* a[i] = i * 3 for i < n. */
static const char stage1[] =
	"# params: a, b, n\n"
	"	s2r	r1, param\n"
	"	s2r	r2, gtid\n"
	"	ld64	r3, [r1+16]\n"
	"	sltu	r4, r2, r3\n"
	"	beqz	r4, done\n"
	"	shli	r5, r2, 3\n"
	"	ld64	r6, [r1]\n"
	"	add	r6, r6, r5\n"
	"	muli	r7, r2, 3\n"
	"	st64	[r6], r7\n"
	"done:	exit\n";

/* b[i] = a[i] + 1 for i < n, reading what stage1 wrote. */
static const char stage2[] =
	"# params: a, b, n\n"
	"	s2r	r1, param\n"
	"	s2r	r2, gtid\n"
	"	ld64	r3, [r1+16]\n"
	"	sltu	r4, r2, r3\n"
	"	beqz	r4, done\n"
	"	shli	r5, r2, 3\n"
	"	ld64	r6, [r1]\n"
	"	add	r6, r6, r5\n"
	"	ld64	r7, [r6]\n"
	"	addi	r7, r7, 1\n"
	"	ld64	r6, [r1+8]\n"
	"	add	r6, r6, r5\n"
	"	st64	[r6], r7\n"
	"done:	exit\n";

/* out[gtid] = 1 + 2 + ... + gtid, in a loop. */
static const char triangle[] =
	"# params: out\n"
	"	s2r	r1, param\n"
	"	ld64	r1, [r1]\n"
	"	s2r	r2, gtid\n"
	"	shli	r3, r2, 3\n"
	"	add	r1, r1, r3\n"
	"	movi	r4, 0\n"
	"loop:	beqz	r2, done\n"
	"	add	r4, r4, r2\n"
	"	addi	r2, r2, -1\n"
	"	bra	loop\n"
	"done:	st64	[r1], r4\n"
	"	exit\n";

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

igt_main
{
	igt_fixture {
		dev = nvsvm_igt_open(0);
		fd = nvsvm_device_fd(dev);
		nvsvm_igt_require_uapi(fd, 2);
		nvsvm_igt_bo_new(dev, 8 * MiB, 0, &arena);
		ch = nvsvm_igt_channel_alloc(fd);
	}

	igt_describe("A vector add over 5000 elements (20 blocks of 256 threads) computes every element and writes nothing past n.");
	igt_subtest("vector-add") {
		const uint64_t n = 5000, threads = 256, blocks = (n + threads - 1) / threads;
		uint64_t *a, *b, *c, *params, i;

		reset();
		a = nvsvm_igt_bo_alloc(&arena, n * 8, 8);
		b = nvsvm_igt_bo_alloc(&arena, n * 8, 8);
		c = nvsvm_igt_bo_alloc(&arena, (blocks * threads + 16) * 8, 8);
		params = nvsvm_igt_bo_alloc(&arena, 32, 8);
		for (i = 0; i < n; i++) {
			a[i] = value(i);
			b[i] = value(i + n);
		}
		for (i = 0; i < blocks * threads + 16; i++)
			c[i] = 0xc0c0c0c0c0c0c0c0ull;
		params[0] = VA(a);
		params[1] = VA(b);
		params[2] = VA(c);
		params[3] = n;
		run_kernel(vector_add, params, blocks, threads);
		for (i = 0; i < n; i++)
			igt_assert_f(READ(c[i]) == a[i] + b[i], "c[%llu] = %#llx, expected %#llx\n",
				     (unsigned long long)i, (unsigned long long)READ(c[i]),
				     (unsigned long long)(a[i] + b[i]));
		for (; i < blocks * threads + 16; i++)
			igt_assert_eq_u64(READ(c[i]), 0xc0c0c0c0c0c0c0c0ull);
	}

	igt_describe("4096 threads atomically add their element into one 64-bit and one 32-bit counter: no update is lost.");
	igt_subtest("reduce-atomic-add") {
		const uint64_t n = 4096;
		uint64_t *a, *params, *sum64, sum = 0, i;
		uint32_t *sum32, sum_lo = 0;

		reset();
		a = nvsvm_igt_bo_alloc(&arena, n * 8, 8);
		params = nvsvm_igt_bo_alloc(&arena, 32, 8);
		sum64 = nvsvm_igt_bo_alloc(&arena, 8, 8);
		sum32 = nvsvm_igt_bo_alloc(&arena, 8, 8);
		for (i = 0; i < n; i++) {
			a[i] = value(i) >> 8;
			sum += a[i];
			sum_lo += (uint32_t)a[i];
		}
		params[0] = VA(a);
		params[1] = n;
		params[2] = VA(sum64);
		params[3] = VA(sum32);
		run_kernel(reduce_add, params, n / 128, 128);
		igt_assert_eq_u64(READ(*sum64), sum);
		igt_assert_eq_u64(READ(sum32[0]), sum_lo);
		igt_assert_eq_u64(READ(sum32[1]), 0);
	}

	igt_describe("Atomic min and max, signed and unsigned, 64 and 32 bits, over 3000 values of both signs.");
	igt_subtest("reduce-atomic-min-max") {
		const uint64_t n = 3000;
		uint64_t *a, *params, *out, i;
		int64_t min = INT64_MAX, max = INT64_MIN;
		uint64_t minu = ~0ull, maxu = 0;
		int32_t min32 = INT32_MAX, max32 = INT32_MIN;
		uint32_t *out32;

		reset();
		a = nvsvm_igt_bo_alloc(&arena, n * 8, 8);
		params = nvsvm_igt_bo_alloc(&arena, 24, 8);
		out = nvsvm_igt_bo_alloc(&arena, 40, 8);
		out32 = (uint32_t *)&out[4];
		for (i = 0; i < n; i++) {
			a[i] = value(i) >> (i % 3);
			if (i % 2)
				a[i] = -a[i];
			if ((int64_t)a[i] < min)
				min = a[i];
			if ((int64_t)a[i] > max)
				max = a[i];
			if (a[i] < minu)
				minu = a[i];
			if (a[i] > maxu)
				maxu = a[i];
			if ((int32_t)a[i] < min32)
				min32 = (int32_t)a[i];
			if ((int32_t)a[i] > max32)
				max32 = (int32_t)a[i];
		}
		out[0] = INT64_MAX;
		out[1] = (uint64_t)INT64_MIN;
		out[2] = ~0ull;
		out[3] = 0;
		out32[0] = INT32_MAX;
		out32[1] = (uint32_t)INT32_MIN;
		params[0] = VA(a);
		params[1] = n;
		params[2] = VA(out);
		run_kernel(reduce_minmax, params, (n + 255) / 256, 256);
		igt_assert_eq_u64(READ(out[0]), (uint64_t)min);
		igt_assert_eq_u64(READ(out[1]), (uint64_t)max);
		igt_assert_eq_u64(READ(out[2]), minu);
		igt_assert_eq_u64(READ(out[3]), maxu);
		igt_assert_eq_u64(READ(out32[0]), (uint32_t)min32);
		igt_assert_eq_u64(READ(out32[1]), (uint32_t)max32);
	}

	igt_describe("An atomic add returns the old value: 2048 threads taking tickets get each of 0..2047 exactly once.");
	igt_subtest("atomic-add-tickets") {
		const uint64_t n = 2048;
		uint64_t *params, *counter, *tickets, *sorted, i;

		reset();
		params = nvsvm_igt_bo_alloc(&arena, 16, 8);
		counter = nvsvm_igt_bo_alloc(&arena, 8, 8);
		tickets = nvsvm_igt_bo_alloc(&arena, n * 8, 8);
		params[0] = VA(counter);
		params[1] = VA(tickets);
		run_kernel(take_ticket, params, n / 64, 64);
		igt_assert_eq_u64(READ(*counter), n);
		sorted = malloc(n * 8);
		igt_assert(sorted);
		for (i = 0; i < n; i++)
			sorted[i] = READ(tickets[i]);
		qsort(sorted, n, 8, cmp_u64);
		for (i = 0; i < n; i++)
			igt_assert_eq_u64(sorted[i], i);
		free(sorted);
	}

	igt_describe("1024 threads add to one counter with compare-and-swap loops: the sum is exact.");
	igt_subtest("atomic-cas") {
		const uint64_t n = 1024;
		uint64_t *params, *counter;

		reset();
		params = nvsvm_igt_bo_alloc(&arena, 8, 8);
		counter = nvsvm_igt_bo_alloc(&arena, 8, 8);
		params[0] = VA(counter);
		run_kernel(cas_add, params, 4, n / 4);
		igt_assert_eq_u64(READ(*counter), n * (n + 1) / 2);
	}

	igt_describe("2048 threads exchange into one slot: the values found, and the last one left, are each of 0..2048 exactly once.");
	igt_subtest("atomic-exch") {
		const uint64_t n = 2048;
		uint64_t *params, *slot, *found, *sorted, i;

		reset();
		params = nvsvm_igt_bo_alloc(&arena, 16, 8);
		slot = nvsvm_igt_bo_alloc(&arena, 8, 8);
		found = nvsvm_igt_bo_alloc(&arena, n * 8, 8);
		params[0] = VA(slot);
		params[1] = VA(found);
		run_kernel(exch_chain, params, n / 256, 256);
		sorted = malloc((n + 1) * 8);
		igt_assert(sorted);
		for (i = 0; i < n; i++)
			sorted[i] = READ(found[i]);
		sorted[n] = READ(*slot);
		qsort(sorted, n + 1, 8, cmp_u64);
		for (i = 0; i <= n; i++)
			igt_assert_eq_u64(sorted[i], i);
		free(sorted);
	}

	igt_describe("Warps of one grid run on every SM there is: SM ids are below the SM count, and with more than one SM, more than one ran threads.");
	igt_subtest("all-sms") {
		const uint64_t threads = 64, blocks = 8, n = threads * blocks;
		uint64_t sm_count = nvsvm_igt_get_param(fd, DRM_NVSVM_PARAM_SM_COUNT);
		unsigned long want_sms = nvsvm_igt_module_param("num_sms");
		uint64_t *params, i, sum = 0;
		uint32_t *counts, *smids;
		unsigned int used = 0;

		reset();
		igt_assert_lte(1, sm_count);
		igt_assert_lte(sm_count, 64);
		if (want_sms)
			igt_assert_eq(sm_count, want_sms);
		params = nvsvm_igt_bo_alloc(&arena, 24, 8);
		counts = nvsvm_igt_bo_alloc(&arena, 64 * 4, 8);
		smids = nvsvm_igt_bo_alloc(&arena, n * 4, 8);
		for (i = 0; i < n; i++)
			smids[i] = 0xffffffffu;
		params[0] = VA(counts);
		params[1] = 5000;	/* many slices of each warp: every SM gets some */
		params[2] = VA(smids);
		run_kernel(sm_census, params, blocks, threads);
		for (i = 0; i < 64; i++) {
			uint32_t c = READ(counts[i]);

			if (i >= sm_count)
				igt_assert_f(c == 0, "SM %llu of %llu ran %u threads\n",
					     (unsigned long long)i, (unsigned long long)sm_count, c);
			sum += c;
			used += c != 0;
		}
		igt_assert_eq_u64(sum, n);
		for (i = 0; i < n; i++)
			igt_assert_lt_u64(READ(smids[i]), sm_count);
		igt_info("%u of %llu SMs ran threads\n", used, (unsigned long long)sm_count);
		if (sm_count > 1)
			igt_assert_lte(2, used);
	}

	igt_describe("Each thread reads its tid, ntid, ctaid, nctaid, laneid, gtid and param right, with a partial last warp.");
	igt_subtest("special-registers") {
		const uint32_t threads = 100, blocks = 3;
		uint32_t *out;
		uint64_t *params, i;

		reset();
		params = nvsvm_igt_bo_alloc(&arena, 8, 8);
		out = nvsvm_igt_bo_alloc(&arena, (uint64_t)threads * blocks * 32, 8);
		params[0] = VA(out);
		run_kernel(sregs, params, blocks, threads);
		for (i = 0; i < (uint64_t)threads * blocks; i++) {
			const uint32_t *r = &out[i * 8];
			uint32_t tid = i % threads, ctaid = i / threads;

			igt_assert_f(READ(r[0]) == tid && READ(r[1]) == threads &&
				     READ(r[2]) == ctaid && READ(r[3]) == blocks &&
				     READ(r[4]) == tid % 32 && READ(r[5]) == i &&
				     READ(*(uint64_t *)&r[6]) == VA(params),
				     "thread %llu: tid %u ntid %u ctaid %u nctaid %u laneid %u gtid %u param %#llx\n",
				     (unsigned long long)i, r[0], r[1], r[2], r[3], r[4], r[5],
				     (unsigned long long)*(uint64_t *)&r[6]);
		}
	}

	igt_describe("A block of the most threads, 1024, runs every one of them.");
	igt_subtest("block-1024-threads") {
		uint32_t *out;
		uint64_t *params, i;

		reset();
		params = nvsvm_igt_bo_alloc(&arena, 8, 8);
		out = nvsvm_igt_bo_alloc(&arena, 1024 * 32, 8);
		params[0] = VA(out);
		run_kernel(sregs, params, 1, 1024);
		for (i = 0; i < 1024; i++) {
			igt_assert_eq_u64(READ(out[i * 8]), i);
			igt_assert_eq_u64(READ(out[i * 8 + 1]), 1024);
			igt_assert_eq_u64(READ(out[i * 8 + 4]), i % 32);
		}
	}

	igt_describe("A grid of 4096 blocks of 3 threads runs every block once, each thread once.");
	igt_subtest("many-blocks") {
		const uint32_t blocks = 4096, threads = 3;
		uint32_t *hits, *out;
		uint64_t *params, i;

		reset();
		params = nvsvm_igt_bo_alloc(&arena, 16, 8);
		hits = nvsvm_igt_bo_alloc(&arena, (uint64_t)blocks * 4, 8);
		out = nvsvm_igt_bo_alloc(&arena, (uint64_t)blocks * threads * 4 + 64, 8);
		for (i = 0; i < (uint64_t)blocks * threads + 16; i++)
			out[i] = 0xffffffffu;
		params[0] = VA(hits);
		params[1] = VA(out);
		run_kernel(block_hits, params, blocks, threads);
		for (i = 0; i < blocks; i++)
			igt_assert_f(READ(hits[i]) == 1 + 2 + 3, "block %llu: %u\n",
				     (unsigned long long)i, READ(hits[i]));
		for (i = 0; i < (uint64_t)blocks * threads; i++)
			igt_assert_eq_u64(READ(out[i]), i);
		for (; i < (uint64_t)blocks * threads + 16; i++)
			igt_assert_eq_u64(READ(out[i]), 0xffffffffu);
	}

	igt_describe("Kernel parameters: one kernel launched twice in one push buffer with two parameter blocks computes from each, and sees each block's address.");
	igt_subtest("kernel-params") {
		uint64_t *p1, *p2, *out1, *out2, code;
		struct nvsvm_push p;
		uint32_t s;

		reset();
		code = nvsvm_igt_bo_code(&arena, params_kernel, NULL);
		p1 = nvsvm_igt_bo_alloc(&arena, 24, 8);
		p2 = nvsvm_igt_bo_alloc(&arena, 24, 8);
		out1 = nvsvm_igt_bo_alloc(&arena, 40, 8);
		out2 = nvsvm_igt_bo_alloc(&arena, 40, 8);
		p1[0] = 1000003;
		p1[1] = 997;
		p1[2] = VA(out1);
		p2[0] = 0x123456789abcdefull;
		p2[1] = 0xfedcba98ull;
		p2[2] = VA(out2);
		nvsvm_igt_push_begin(&arena, &p, 128);
		nvsvm_push_launch(&p, code, VA(p1), 1, 1);
		nvsvm_push_launch(&p, code, VA(p2), 1, 1);
		s = nvsvm_igt_submit_push(fd, ch, nvsvm_igt_push_end(&arena, &p));
		igt_assert_eq(nvsvm_igt_wait_status(fd, s, TIMEOUT), 1);
		igt_assert_eq_u64(READ(out1[0]), 1000003ull * 997 + 7);
		igt_assert_eq_u64(READ(out1[1]), 1000003ull - 997);
		igt_assert_eq_u64(READ(out1[2]), 1000003ull / 997);
		igt_assert_eq_u64(READ(out1[3]), 1000003ull % 997);
		igt_assert_eq_u64(READ(out1[4]), VA(p1));
		igt_assert_eq_u64(READ(out2[0]), 0x123456789abcdefull * 0xfedcba98ull + 7);
		igt_assert_eq_u64(READ(out2[1]), 0x123456789abcdefull - 0xfedcba98ull);
		igt_assert_eq_u64(READ(out2[2]), 0x123456789abcdefull / 0xfedcba98ull);
		igt_assert_eq_u64(READ(out2[3]), 0x123456789abcdefull % 0xfedcba98ull);
		igt_assert_eq_u64(READ(out2[4]), VA(p2));
	}

	igt_describe("Two LAUNCHes in one push buffer run in order: the second reads everything the first wrote.");
	igt_subtest("launch-order") {
		const uint64_t n = 2000;
		uint64_t *a, *b, *params, c1, c2, i;
		struct nvsvm_push p;
		uint32_t s;

		reset();
		c1 = nvsvm_igt_bo_code(&arena, stage1, NULL);
		c2 = nvsvm_igt_bo_code(&arena, stage2, NULL);
		a = nvsvm_igt_bo_alloc(&arena, n * 8, 8);
		b = nvsvm_igt_bo_alloc(&arena, n * 8, 8);
		params = nvsvm_igt_bo_alloc(&arena, 24, 8);
		params[0] = VA(a);
		params[1] = VA(b);
		params[2] = n;
		nvsvm_igt_push_begin(&arena, &p, 128);
		nvsvm_push_launch(&p, c1, VA(params), (n + 127) / 128, 128);
		nvsvm_push_launch(&p, c2, VA(params), (n + 127) / 128, 128);
		s = nvsvm_igt_submit_push(fd, ch, nvsvm_igt_push_end(&arena, &p));
		igt_assert_eq(nvsvm_igt_wait_status(fd, s, TIMEOUT), 1);
		for (i = 0; i < n; i++)
			igt_assert_f(READ(b[i]) == i * 3 + 1, "b[%llu] = %llu\n",
				     (unsigned long long)i, (unsigned long long)READ(b[i]));
	}

	igt_describe("Jobs on one channel, each a launch, consume each other's results in submission order.");
	igt_subtest("launch-jobs") {
		enum { JOBS = 8 };
		const uint64_t n = 256;
		uint64_t *bufs[JOBS + 1], *params[JOBS], code, i;
		uint32_t syncs[JOBS];
		unsigned int j;

		reset();
		code = nvsvm_igt_bo_code(&arena, stage2, NULL);
		for (j = 0; j <= JOBS; j++)
			bufs[j] = nvsvm_igt_bo_alloc(&arena, n * 8, 8);
		for (i = 0; i < n; i++)
			bufs[0][i] = i * 100;
		/* Job j: bufs[j + 1][i] = bufs[j][i] + 1. */
		for (j = 0; j < JOBS; j++) {
			params[j] = nvsvm_igt_bo_alloc(&arena, 24, 8);
			params[j][0] = VA(bufs[j]);
			params[j][1] = VA(bufs[j + 1]);
			params[j][2] = n;
			syncs[j] = nvsvm_igt_launch(fd, ch, &arena, code, VA(params[j]), n / 64, 64);
		}
		for (j = 0; j < JOBS; j++)
			igt_assert_eq(nvsvm_igt_wait_status(fd, syncs[j], TIMEOUT), 1);
		for (i = 0; i < n; i++)
			igt_assert_eq_u64(READ(bufs[JOBS][i]), i * 100 + JOBS);
	}

	igt_describe("Threads that loop different numbers of times all finish with the right result.");
	igt_subtest("divergent-loops") {
		const uint64_t n = 320;
		uint64_t *params, *out, i;

		reset();
		params = nvsvm_igt_bo_alloc(&arena, 8, 8);
		out = nvsvm_igt_bo_alloc(&arena, n * 8, 8);
		for (i = 0; i < n; i++)
			out[i] = ~0ull;
		params[0] = VA(out);
		run_kernel(triangle, params, n / 40, 40);
		for (i = 0; i < n; i++)
			igt_assert_eq_u64(READ(out[i]), i * (i + 1) / 2);
	}

	igt_fixture {
		nvsvm_igt_channel_free(fd, ch);
		nvsvm_igt_bo_free(&arena);
		nvsvm_device_close(dev);
	}
}
