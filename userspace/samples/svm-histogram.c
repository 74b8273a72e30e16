// SPDX-License-Identifier: MIT
/* Copyright 2026 The nvsvm authors */

/*
 * svm-histogram: the GPU and CPU threads count into the same histogram at
 * the same time, through shared virtual memory (uAPI 1.3).
 *
 * The bins are 64-bit counters in one malloc'd page. A GPU kernel counts a
 * malloc'd array of values with atomadd64, one thread per value, while two
 * CPU threads count arrays of their own into the same bins with the CPU's
 * atomic add, pass after pass, until the GPU's user fence says the kernel
 * is done (and at least once, at most MAX_PASSES times, a millisecond
 * apart so that the GPU is never starved of the page). Each bin must then
 * hold exactly what the GPU's values and the CPU threads' passes put in it:
 * an increment lost by either side, or one applied twice, shows.
 *
 * Exits 0 when every bin is exact, or when the driver has no SVM (said so
 * on the output); 1 with a message otherwise.
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "nvsvm.h"

#define NAME		"svm-histogram"

#include "sample.h"
#define BINS		64
#define GPU_VALUES	32768
#define THREADS		256
#define CPU_THREADS	2
#define CPU_VALUES	4096
#define MAX_PASSES	2000	/* about 2 s of passes at most: then the GPU goes on alone */
#define TIMEOUT_NS	(180ll * 1000000000)

static const char kernel_src[] =
	"# bins[values[i] % 64] += 1, atomically, for every i < n.\n"
	"# The parameter block: values (32-bit), bins (64-bit), n.\n"
	"	s2r	r1, param\n"
	"	s2r	r2, gtid\n"
	"	ld64	r3, [r1+16]\n"
	"	sltu	r4, r2, r3\n"
	"	beqz	r4, done\n"
	"	shli	r5, r2, 2\n"
	"	ld64	r6, [r1]\n"
	"	add	r6, r6, r5\n"
	"	ld32	r6, [r6]		# v = values[i]\n"
	"	andi	r6, r6, 63\n"
	"	shli	r6, r6, 3\n"
	"	ld64	r7, [r1+8]\n"
	"	add	r7, r7, r6		# &bins[v % 64]\n"
	"	movi	r8, 1\n"
	"	atomadd64 r9, [r7], r8\n"
	"done:	exit\n";

struct hist_params {
	uint64_t values, bins, n;
};

struct cpu_counter {
	pthread_t thread;
	uint64_t *bins;
	const volatile uint64_t *gpu_done;	/* the GPU job's user fence */
	uint32_t values[CPU_VALUES];
	unsigned int passes;
	unsigned int passes_while_gpu_ran;
};

static uint64_t rng_state = 0x2545f4914f6cdd1dull;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

static void *cpu_count(void *arg)
{
	struct cpu_counter *c = arg;
	unsigned int i;

	do {
		int running = !*c->gpu_done;

		for (i = 0; i < CPU_VALUES; i++)
			__atomic_fetch_add(&c->bins[c->values[i] % BINS], 1, __ATOMIC_RELAXED);
		c->passes++;
		c->passes_while_gpu_ran += running;
		/* Leave the GPU room between passes: it also needs the page. */
		usleep(1000);
	} while (!*c->gpu_done && c->passes < MAX_PASSES);
	return NULL;
}

static int run(struct nvsvm_device *dev)
{
	struct cpu_counter *cpu = NULL;
	struct hist_params *prm = NULL;
	uint64_t *bins = NULL, *code = NULL, *fence = NULL, want[BINS] = { 0 };
	uint64_t total = 0, gpu_total = GPU_VALUES;
	uint32_t *values = NULL, *push = NULL, channel = 0;
	struct drm_nvsvm_push pb;
	struct nvsvm_push p;
	struct timespec t0;
	unsigned int i, t, started = 0, joined, bad = 0;
	size_t count;
	int ret, rc = 1;
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
	/* The bins alone in a page of their own; everything else elsewhere. */
	bins = aligned_alloc(4096, 4096);
	values = malloc(GPU_VALUES * sizeof(*values));
	fence = calloc(1, sizeof(*fence));
	prm = malloc(sizeof(*prm));
	push = malloc(256);
	cpu = calloc(CPU_THREADS, sizeof(*cpu));
	if (!bins || !values || !fence || !prm || !push || !cpu) {
		rc = failed("malloc", -ENOMEM);
		goto out;
	}
	memset(bins, 0, 4096);
	for (i = 0; i < GPU_VALUES; i++) {
		values[i] = rng();
		want[values[i] % BINS]++;
	}
	for (t = 0; t < CPU_THREADS; t++) {
		cpu[t].bins = bins;
		cpu[t].gpu_done = fence;
		for (i = 0; i < CPU_VALUES; i++)
			cpu[t].values[i] = rng();
	}
	*prm = (struct hist_params){
		.values = (uintptr_t)values, .bins = (uintptr_t)bins, .n = GPU_VALUES,
	};
	nvsvm_push_init(&p, push, 256);
	nvsvm_push_launch(&p, (uintptr_t)code, (uintptr_t)prm, GPU_VALUES / THREADS, THREADS);
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
	printf(NAME ": %d bins at %p; the GPU counts %d values with atomadd64 while %d CPU "
	       "threads count %d values each with atomic adds, into the same bins\n", BINS,
	       (void *)bins, GPU_VALUES, CPU_THREADS, CPU_VALUES);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = nvsvm_exec_fence(dev, channel, &pb, 1, NULL, 0, (uintptr_t)fence, 1, TIMEOUT_NS);
	if (ret) {
		rc = failed("submitting the job", ret);
		goto out;
	}
	for (t = 0; t < CPU_THREADS; t++, started++) {
		ret = -pthread_create(&cpu[t].thread, NULL, cpu_count, &cpu[t]);
		if (ret) {
			rc = failed("starting a CPU thread", ret);
			break;
		}
	}
	ret = nvsvm_wait_user_fence(dev, (uintptr_t)fence, 1, ~0ull, DRM_NVSVM_WAIT_EQ,
				    TIMEOUT_NS, channel);
	ms = ms_since(&t0);
	/* The threads stop at the fence or after MAX_PASSES. */
	for (t = 0; t < started; t++)
		pthread_join(cpu[t].thread, NULL);
	joined = started;
	started = 0;
	if (ret) {
		struct nvsvm_channel_error ce;

		rc = failed(ret == -ETIME ? "waiting for the GPU (180 s)" : "running the job",
			    ret);
		if (ret == -EIO && !nvsvm_channel_get_error(dev, channel, &ce))
			fprintf(stderr, NAME ": channel %u: %s\n", channel,
				nvsvm_channel_error_format(&ce, err, sizeof(err)));
		goto out;
	}
	if (joined < CPU_THREADS)
		goto out;	/* rc is 1: a thread could not be started */

	for (t = 0; t < CPU_THREADS; t++)
		for (i = 0; i < CPU_VALUES; i++)
			want[cpu[t].values[i] % BINS] += cpu[t].passes;
	for (i = 0; i < BINS; i++) {
		total += bins[i];
		if (bins[i] == want[i])
			continue;
		if (bad++ < 5)
			fprintf(stderr, NAME ": bin %u holds %" PRIu64 ", want %" PRIu64 "\n", i,
				bins[i], want[i]);
	}
	for (t = 0; t < CPU_THREADS; t++)
		printf(NAME ": CPU thread %u: %u passes, %u of them begun while the GPU ran\n",
		       t, cpu[t].passes, cpu[t].passes_while_gpu_ran);
	if (bad) {
		fprintf(stderr, NAME ": FAILED: %u of %d bins wrong\n", bad, BINS);
		goto out;
	}
	printf(NAME ": all %d bins exact: %" PRIu64 " increments, %" PRIu64 " by the GPU "
	       "(%.1f ms)\n", BINS, total, gpu_total, ms);
	rc = 0;
out:
	for (t = 0; t < started; t++)
		pthread_join(cpu[t].thread, NULL);
	if (channel)
		nvsvm_channel_free(dev, channel);
	free(cpu);
	free(push);
	free(prm);
	free(fence);
	free(values);
	free(bins);
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
	rc = run(dev);
	nvsvm_device_close(dev);
	return rc;
}
