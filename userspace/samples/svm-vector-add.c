// SPDX-License-Identifier: MIT
/* Copyright 2026 The nvsvm authors */

/*
 * svm-vector-add: c[i] = a[i] + b[i] over malloc'd arrays, on the GPU,
 * through shared virtual memory (uAPI 1.3).
 *
 * After nvsvm_svm_init() the GPU sees the process's address space, so
 * nothing is a buffer object: the arrays come from malloc(), and so do the
 * kernel's code (nvsvm_svm_code()), its parameter block and the push
 * buffer, which EXEC takes by its address. The GPU faults on first touch
 * of each page and the kernel services the faults. The job ends with a
 * user fence, which the CPU waits for (nvsvm_svm_exec_wait()); then every
 * element is checked, and the driver's SVM statistics say how many faults
 * it took.
 *
 * Exits 0 when every element is right, or when the driver has no SVM
 * (said so on the output); 1 with a message otherwise.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nvsvm.h"

#define NAME		"svm-vector-add"

#include "sample.h"
#define N		16384
#define THREADS		256
#define BLOCKS		((N + THREADS - 1) / THREADS)
#define TIMEOUT_NS	(120ll * 1000000000)	/* faults on an interpreter under emulation */

static const char kernel_src[] =
	"# c[i] = a[i] + b[i] for every i < n, one thread per element.\n"
	"# The parameter block: the addresses of a, b and c (64-bit elements), then n.\n"
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

struct vadd_params {
	uint64_t a, b, c, n;
};

static void print_channel_error(struct nvsvm_device *dev, uint32_t channel)
{
	struct nvsvm_channel_error ce;
	char buf[256];

	if (!nvsvm_channel_get_error(dev, channel, &ce))
		fprintf(stderr, NAME ": channel %u: %s\n", channel,
			nvsvm_channel_error_format(&ce, buf, sizeof(buf)));
}

static int run(struct nvsvm_device *dev, const struct nvsvm_device_info *info)
{
	struct nvsvm_svm_stats s0, s1;
	struct drm_nvsvm_push pb;
	struct vadd_params *prm = NULL;
	uint64_t *a = NULL, *b = NULL, *c = NULL, *code = NULL;
	uint32_t *push = NULL, channel = 0;
	struct nvsvm_push p;
	struct timespec t0;
	size_t count, i, bad = 0;
	int ret, rc = 1, have_stats;
	char err[256];
	double ms;

	ret = nvsvm_svm_init(dev, 0, 0);
	if (ret)
		return failed("SVM_INIT", ret);
	ret = nvsvm_svm_code(kernel_src, &code, &count, err, sizeof(err));
	if (ret) {
		fprintf(stderr, NAME ": FAILED: the kernel does not assemble: %s\n", err);
		return 1;
	}

	/* Plain process memory, all of it. */
	a = malloc(N * sizeof(*a));
	b = malloc(N * sizeof(*b));
	c = malloc(N * sizeof(*c));
	prm = malloc(sizeof(*prm));
	push = malloc(256);
	if (!a || !b || !c || !prm || !push) {
		rc = failed("malloc", -ENOMEM);
		goto out;
	}
	for (i = 0; i < N; i++) {
		a[i] = i * 0x10001 + 7;
		b[i] = (uint64_t)i << 40 | (N - i);
		c[i] = 0xdeadbeefdeadbeefull;	/* must all be overwritten */
	}
	*prm = (struct vadd_params){
		.a = (uintptr_t)a, .b = (uintptr_t)b, .c = (uintptr_t)c, .n = N,
	};
	nvsvm_push_init(&p, push, 256);
	nvsvm_push_launch(&p, (uintptr_t)code, (uintptr_t)prm, BLOCKS, THREADS);
	ret = nvsvm_push_to_exec(&p, &pb);
	if (ret) {
		rc = failed("building the push buffer", ret);
		goto out;
	}

	ret = nvsvm_channel_alloc(dev, &channel);
	if (ret) {
		rc = failed("allocating a channel", ret);
		goto out;
	}
	printf(NAME ": a, b, c: %d elements each from malloc() at %p, %p, %p; kernel "
	       "(%zu instructions), parameters and push buffer in malloc'd memory too\n",
	       N, (void *)a, (void *)b, (void *)c, count);
	printf(NAME ": channel %u in fault mode: LAUNCH %u blocks x %u threads, then a "
	       "user fence\n", channel, BLOCKS, THREADS);

	have_stats = nvsvm_svm_stats_read(dev, &s0) == 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = nvsvm_svm_exec_wait(dev, channel, &pb, 1, TIMEOUT_NS);
	ms = ms_since(&t0);
	if (ret) {
		rc = failed(ret == -ETIME ? "waiting for the job (120 s)" :
			    ret == -EIO ? "the job failed" : "running the job", ret);
		if (ret == -EIO)
			print_channel_error(dev, channel);
		goto out;
	}
	have_stats = have_stats && nvsvm_svm_stats_read(dev, &s1) == 0;

	for (i = 0; i < N; i++) {
		if (c[i] == a[i] + b[i])
			continue;
		if (bad++ < 5)
			fprintf(stderr, NAME ": c[%zu] = %#" PRIx64 ", want %#" PRIx64 "\n",
				i, c[i], a[i] + b[i]);
	}
	if (bad) {
		fprintf(stderr, NAME ": FAILED: %zu of %d elements wrong\n", bad, N);
		goto out;
	}
	printf(NAME ": %d elements on %u SMs: all correct (%.1f ms)\n", N, info->sm_count,
	       ms);
	if (have_stats)
		printf(NAME ": the GPU faulted %" PRIu64 " times, serviced in %" PRIu64
		       " batches (%" PRIu64 " replays); %" PRIu64 " 4 KiB and %" PRIu64
		       " 2 MiB mappings made\n", s1.faults - s0.faults, s1.batches - s0.batches,
		       s1.replays - s0.replays, s1.map_4k - s0.map_4k, s1.map_2m - s0.map_2m);
	rc = 0;
out:
	if (channel)
		nvsvm_channel_free(dev, channel);
	free(push);
	free(prm);
	free(c);
	free(b);
	free(a);
	free(code);
	return rc;
}

int main(void)
{
	struct nvsvm_device_info info;
	struct nvsvm_device *dev;
	int rc;

	rc = sample_open(true, &dev, &info);
	if (rc != SAMPLE_RUN)
		return rc;
	printf(NAME ": GPU %s, %u SMs, uAPI %d.%d\n", nvsvm_device_node(dev), info.sm_count,
	       info.version_major, info.version_minor);
	rc = run(dev, &info);
	nvsvm_device_close(dev);
	return rc;
}
