// SPDX-License-Identifier: MIT
/* Copyright 2026 The nvsvm authors */

/*
 * pipeline: two channels synchronised through a semaphore in memory, with
 * no CPU in between.
 *
 *   channel A: FILL in[] with 7; stage 1: mid[i] = in[i] * 3 + i;
 *              SEMAPHORE_RELEASE sem1 = 1
 *   channel B: SEMAPHORE_ACQUIRE sem1 == 1; stage 2: out[i] = mid[i]^2 + 1;
 *              SEMAPHORE_RELEASE sem2 = a 64-bit payload
 *
 * B's job is submitted first and must sit in its acquire (its fence still
 * pending, sem2 untouched) until A's release; the CPU then waits on B's
 * job fence only (an out syncobj) and checks every element. Elements are
 * 32-bit; arithmetic wraps at 32 bits like the stores.
 *
 * Exits 0 when every element is right, 1 with a message otherwise.
 */

#include <endian.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NAME		"pipeline"

#include "nvsvm.h"
#include "sample.h"
#include "nvsvm_asm.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define N		2048
#define THREADS		128
#define BLOCKS		((N + THREADS - 1) / THREADS)
#define FILL_VALUE	7u
#define SEM2_PAYLOAD	0x0123456789abcdefull
#define TIMEOUT_NS	(60ll * 1000000000)
#define HOLD_MS		100	/* how long B is seen waiting before A goes */

/*
 * Both stages read the same parameter block: the GPU VAs of their input
 * and output arrays (32-bit elements), then n.
 */
struct stage_params {
	uint64_t src, dst, n;
};

#define STAGE_HEAD							\
	"	s2r	r1, param		# r1 = the parameter block\n"	\
	"	s2r	r2, gtid		# r2 = i\n"			\
	"	ld64	r3, [r1+16]		# r3 = n\n"			\
	"	sltu	r4, r2, r3\n"						\
	"	beqz	r4, done		# i >= n: nothing to do\n"	\
	"	shli	r5, r2, 2		# r5 = i * 4\n"			\
	"	ld64	r6, [r1]\n"						\
	"	add	r6, r6, r5\n"						\
	"	ld32	r7, [r6]		# r7 = src[i]\n"
#define STAGE_TAIL							\
	"	ld64	r8, [r1+8]\n"						\
	"	add	r8, r8, r5\n"						\
	"	st32	[r8], r7		# dst[i] = r7\n"		\
	"done:	exit\n"

static const char stage1_src[] =
	"# stage 1: dst[i] = src[i] * 3 + i\n"
	STAGE_HEAD
	"	muli	r7, r7, 3\n"
	"	add	r7, r7, r2\n"
	STAGE_TAIL;

static const char stage2_src[] =
	"# stage 2: dst[i] = src[i] * src[i] + 1\n"
	STAGE_HEAD
	"	mul	r7, r7, r7\n"
	"	addi	r7, r7, 1\n"
	STAGE_TAIL;

/* Layout of the control buffer: push buffers, then the semaphores. */
#define CTL_PUSH_A	0
#define CTL_PUSH_B	1024
#define CTL_SEM1	2048	/* 32-bit */
#define CTL_SEM2	2056	/* 64-bit */
#define PUSH_BYTES	1024

struct pipeline {
	struct nvsvm_device *dev;
	struct nvsvm_buffer code, params, in, mid, out, ctl;
	uint32_t chan_a, chan_b;
	uint32_t sync_a, sync_b;
	uint64_t code2_va;	/* stage 2's code, after stage 1's */
};

/* Why channel @chan (named @name) failed, if it did. */
static void report_channel(struct pipeline *pl, const char *name, uint32_t chan)
{
	struct nvsvm_channel_error ce;
	char buf[200];

	if (!nvsvm_channel_get_error(pl->dev, chan, &ce) && ce.error)
		fprintf(stderr, "pipeline: channel %s: %s\n", name,
			nvsvm_channel_error_format(&ce, buf, sizeof(buf)));
}

/* Put both stages' code in pl->code; returns 0 or 1 after a message. */
static int load_code(struct pipeline *pl)
{
	const char *srcs[2] = { stage1_src, stage2_src };
	uint64_t *words[2] = { NULL, NULL };
	size_t count[2], i, k;
	char err[256];
	int ret, rc = 1;

	for (k = 0; k < 2; k++) {
		ret = nvsvm_assemble(srcs[k], &words[k], &count[k], err, sizeof(err));
		if (ret) {
			fprintf(stderr, "pipeline: FAILED: stage %zu does not assemble: %s\n",
				k + 1, err);
			goto out;
		}
	}
	ret = nvsvm_buffer_create(pl->dev, (count[0] + count[1]) * 8,
				  DRM_NVSVM_VM_BIND_READ_ONLY, &pl->code);
	if (ret) {
		rc = failed("creating the code buffer", ret);
		goto out;
	}
	for (i = 0; i < count[0]; i++)
		((uint64_t *)pl->code.cpu)[i] = htole64(words[0][i]);
	for (i = 0; i < count[1]; i++)
		((uint64_t *)pl->code.cpu)[count[0] + i] = htole64(words[1][i]);
	pl->code2_va = pl->code.va + count[0] * 8;
	rc = 0;
out:
	free(words[0]);
	free(words[1]);
	return rc;
}

/* Build the push buffer at @off of the control buffer. */
static int finish_push(struct pipeline *pl, struct nvsvm_push *p, uint32_t off,
		       struct drm_nvsvm_push *pb)
{
	int ret = nvsvm_push_end(p);

	if (ret < 0)
		return failed("building a push buffer", ret);
	pb->va = pl->ctl.va + off;
	pb->dwords = ret;
	pb->flags = 0;
	return 0;
}

static int check(struct pipeline *pl)
{
	const uint32_t *in = pl->in.cpu, *mid = pl->mid.cpu, *out = pl->out.cpu;
	const uint32_t *sem1 = (uint32_t *)((char *)pl->ctl.cpu + CTL_SEM1);
	const uint64_t *sem2 = (uint64_t *)((char *)pl->ctl.cpu + CTL_SEM2);
	size_t i, bad = 0;

	if (*sem1 != 1 || *sem2 != SEM2_PAYLOAD) {
		fprintf(stderr, "pipeline: FAILED: semaphores hold %#x and %#" PRIx64
			", want 1 and %#llx\n", *sem1, *sem2, SEM2_PAYLOAD);
		return 1;
	}
	for (i = 0; i < N; i++) {
		uint32_t m = FILL_VALUE * 3 + (uint32_t)i, o = m * m + 1;

		if (in[i] == FILL_VALUE && mid[i] == m && out[i] == o)
			continue;
		if (bad++ < 5)
			fprintf(stderr, "pipeline: element %zu: in %u mid %u out %u, "
				"want %u %u %u\n", i, in[i], mid[i], out[i], FILL_VALUE, m, o);
	}
	if (bad) {
		fprintf(stderr, "pipeline: FAILED: %zu of %d elements wrong\n", bad, N);
		return 1;
	}
	return 0;
}

static int run(struct pipeline *pl)
{
	struct stage_params *prm;
	struct drm_nvsvm_push pb_a, pb_b;
	struct drm_nvsvm_sync out_a = { 0 }, out_b = { 0 };
	struct nvsvm_device *dev = pl->dev;
	const struct {
		struct nvsvm_buffer *buf;
		uint64_t size;
		uint32_t flags;
	} buffers[] = {
		{ &pl->params, 2 * sizeof(*prm), DRM_NVSVM_VM_BIND_READ_ONLY },
		{ &pl->in, N * 4, 0 },
		{ &pl->mid, N * 4, 0 },
		{ &pl->out, N * 4, 0 },
		{ &pl->ctl, 4096, 0 },
	};
	struct nvsvm_push push;
	uint64_t sem1_va, sem2_va;
	struct timespec t0;
	int ret, status;
	size_t i;
	double ms;

	if (load_code(pl))
		return 1;
	for (i = 0; i < ARRAY_SIZE(buffers); i++) {
		ret = nvsvm_buffer_create(dev, buffers[i].size, buffers[i].flags, buffers[i].buf);
		if (ret)
			return failed("creating the buffers", ret);
	}
	memset(pl->in.cpu, 0xff, N * 4);	/* A's FILL must overwrite these */
	prm = pl->params.cpu;
	prm[0] = (struct stage_params){ pl->in.va, pl->mid.va, N };
	prm[1] = (struct stage_params){ pl->mid.va, pl->out.va, N };
	sem1_va = pl->ctl.va + CTL_SEM1;
	sem2_va = pl->ctl.va + CTL_SEM2;

	nvsvm_push_init(&push, (char *)pl->ctl.cpu + CTL_PUSH_A, PUSH_BYTES);
	nvsvm_push_fill(&push, pl->in.va, N * 4, FILL_VALUE);
	nvsvm_push_launch(&push, pl->code.va, pl->params.va, BLOCKS, THREADS);
	nvsvm_push_sem_release(&push, sem1_va, 1, 0);
	if (finish_push(pl, &push, CTL_PUSH_A, &pb_a))
		return 1;
	nvsvm_push_init(&push, (char *)pl->ctl.cpu + CTL_PUSH_B, PUSH_BYTES);
	nvsvm_push_sem_acquire(&push, sem1_va, 1, 0);
	nvsvm_push_launch(&push, pl->code2_va, pl->params.va + sizeof(*prm), BLOCKS, THREADS);
	nvsvm_push_sem_release(&push, sem2_va, SEM2_PAYLOAD, NVSVM_PUSH_SEM_PAYLOAD_64);
	if (finish_push(pl, &push, CTL_PUSH_B, &pb_b))
		return 1;

	ret = nvsvm_channel_alloc(dev, &pl->chan_a);
	if (!ret)
		ret = nvsvm_channel_alloc(dev, &pl->chan_b);
	if (ret)
		return failed("allocating the channels", ret);
	ret = nvsvm_syncobj_create(dev, 0, &pl->sync_a);
	if (!ret)
		ret = nvsvm_syncobj_create(dev, 0, &pl->sync_b);
	if (ret)
		return failed("creating the syncobjs", ret);
	out_a.handle = pl->sync_a;
	out_b.handle = pl->sync_b;
	printf("pipeline: %d elements, channels A (id %u) and B (id %u), semaphores at %#" PRIx64
	       " and %#" PRIx64 "\n", N, pl->chan_a, pl->chan_b, sem1_va, sem2_va);

	/* B first: it must wait in its acquire until A releases sem1. */
	ret = nvsvm_exec(dev, pl->chan_b, &pb_b, 1, NULL, 0, &out_b, 1);
	if (ret)
		return failed("submitting B's job", ret);
	printf("pipeline: B submitted first: SEMAPHORE_ACQUIRE sem1 == 1, stage 2 "
	       "(out = mid * mid + 1), SEMAPHORE_RELEASE sem2\n");
	usleep(HOLD_MS * 1000);
	ret = nvsvm_syncobj_fence_status(dev, pl->sync_b, 0, &status);
	if (ret)
		return failed("reading B's fence", ret);
	if (status != 0) {
		fprintf(stderr, "pipeline: FAILED: B's job %s before A ran: its fence status is "
			"%d (%s)\n", status > 0 ? "completed" : "failed", status,
			status > 0 ? "signalled" : strerror(-status));
		report_channel(pl, "B", pl->chan_b);
		return 1;
	}
	printf("pipeline: after %d ms B's job is still pending, held by its acquire (sem1 = %u, "
	       "sem2 = %#" PRIx64 ")\n", HOLD_MS,
	       *(uint32_t *)((char *)pl->ctl.cpu + CTL_SEM1),
	       *(uint64_t *)((char *)pl->ctl.cpu + CTL_SEM2));

	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = nvsvm_exec(dev, pl->chan_a, &pb_a, 1, NULL, 0, &out_a, 1);
	if (ret)
		return failed("submitting A's job", ret);
	printf("pipeline: A submitted: FILL in with %u, stage 1 (mid = in * 3 + i), "
	       "SEMAPHORE_RELEASE sem1 = 1\n", FILL_VALUE);

	ret = nvsvm_syncobj_wait(dev, pl->sync_b, 0, TIMEOUT_NS);
	ms = ms_since(&t0);
	if (ret) {
		failed("waiting for B's job", ret);
		report_channel(pl, "A", pl->chan_a);
		report_channel(pl, "B", pl->chan_b);
		return 1;
	}
	ret = nvsvm_syncobj_fence_status(dev, pl->sync_b, 0, &status);
	if (ret)
		return failed("reading B's fence", ret);
	if (status < 0) {
		fprintf(stderr, "pipeline: FAILED: B's job failed: %s\n", strerror(-status));
		report_channel(pl, "A", pl->chan_a);
		report_channel(pl, "B", pl->chan_b);
		return 1;
	}
	/* B's acquire saw A's release, which A's job does last: A is done too. */
	ret = nvsvm_syncobj_fence_status(dev, pl->sync_a, 0, &status);
	if (!ret && status == 0)	/* its fence may lag its last method a little */
		ret = nvsvm_syncobj_wait(dev, pl->sync_a, 0, TIMEOUT_NS);
	if (!ret)
		ret = nvsvm_syncobj_fence_status(dev, pl->sync_a, 0, &status);
	if (ret)
		return failed("checking A's fence", ret);
	if (status < 0) {
		fprintf(stderr, "pipeline: FAILED: A's job failed: %s\n", strerror(-status));
		report_channel(pl, "A", pl->chan_a);
		return 1;
	}
	printf("pipeline: B acquired sem1, ran stage 2 and released sem2: its fence signalled "
	       "%.1f ms after A's submission\n", ms);
	if (check(pl))
		return 1;
	printf("pipeline: %d elements through FILL, stage 1 on channel A and stage 2 on "
	       "channel B: all correct\n", N);
	return 0;
}

int main(void)
{
	struct pipeline pl = { 0 };
	struct nvsvm_device_info info;
	int rc;

	rc = sample_open(false, &pl.dev, &info);
	if (rc != SAMPLE_RUN)
		return rc;

	rc = run(&pl);

	/* Channels first: freeing one cancels its jobs before their memory goes. */
	if (pl.chan_b)
		nvsvm_channel_free(pl.dev, pl.chan_b);
	if (pl.chan_a)
		nvsvm_channel_free(pl.dev, pl.chan_a);
	if (pl.sync_a)
		nvsvm_syncobj_destroy(pl.dev, pl.sync_a);
	if (pl.sync_b)
		nvsvm_syncobj_destroy(pl.dev, pl.sync_b);
	nvsvm_buffer_destroy(pl.dev, &pl.ctl);
	nvsvm_buffer_destroy(pl.dev, &pl.out);
	nvsvm_buffer_destroy(pl.dev, &pl.mid);
	nvsvm_buffer_destroy(pl.dev, &pl.in);
	nvsvm_buffer_destroy(pl.dev, &pl.params);
	nvsvm_buffer_destroy(pl.dev, &pl.code);
	nvsvm_device_close(pl.dev);
	return rc;
}
