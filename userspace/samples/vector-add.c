// SPDX-License-Identifier: MIT
/* Copyright 2026 The nvsvm authors */

/*
 * vector-add: c[i] = a[i] + b[i] for 4096 64-bit elements, on the GPU.
 *
 * The kernel is assembled from text with nvsvm_assemble(). Its code, its
 * parameter block (the GPU VAs of a, b and c, then n) and the arrays live
 * in buffers mapped at the same address for the CPU and the GPU, so the
 * pointers in the parameter block are plain CPU pointers. One job on one
 * channel runs LAUNCH and then a SEMAPHORE_RELEASE; the CPU waits on the
 * job's out syncobj, checks the job's fence and every element.
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

#define NAME		"vector-add"

#include "nvsvm.h"
#include "sample.h"
#include "nvsvm_asm.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define N		4096
#define THREADS		256
#define BLOCKS		((N + THREADS - 1) / THREADS)
#define TIMEOUT_NS	(60ll * 1000000000)	/* an interpreter under emulation */
#define SEM_DONE	0x600dull

static const char kernel_src[] =
	"# c[i] = a[i] + b[i] for every i < n, one thread per element.\n"
	"# The parameter block: the GPU VAs of a, b and c (64-bit elements), then n.\n"
	"	s2r	r1, param		# r1 = the parameter block\n"
	"	s2r	r2, gtid		# r2 = i\n"
	"	ld64	r3, [r1+24]		# r3 = n\n"
	"	sltu	r4, r2, r3\n"
	"	beqz	r4, done		# i >= n: nothing to do\n"
	"	shli	r5, r2, 3		# r5 = i * 8\n"
	"	ld64	r6, [r1]		# a[i]\n"
	"	add	r6, r6, r5\n"
	"	ld64	r6, [r6]\n"
	"	ld64	r7, [r1+8]		# b[i]\n"
	"	add	r7, r7, r5\n"
	"	ld64	r7, [r7]\n"
	"	add	r6, r6, r7\n"
	"	ld64	r8, [r1+16]		# c[i] = a[i] + b[i]\n"
	"	add	r8, r8, r5\n"
	"	st64	[r8], r6\n"
	"done:	exit\n";

/* The parameter block, as the kernel reads it. */
struct vadd_params {
	uint64_t a, b, c, n;
};

static int run(struct nvsvm_device *dev, const struct nvsvm_device_info *info)
{
	struct nvsvm_buffer code = { 0 }, params = { 0 }, a = { 0 }, b = { 0 }, c = { 0 };
	struct nvsvm_buffer ctl = { 0 };
	/* What the GPU only reads is mapped read-only for it. */
	const struct {
		struct nvsvm_buffer *buf;
		uint64_t size;
		uint32_t flags;
	} buffers[] = {
		{ &code, 0, DRM_NVSVM_VM_BIND_READ_ONLY },	/* size set below */
		{ &params, sizeof(struct vadd_params), DRM_NVSVM_VM_BIND_READ_ONLY },
		{ &a, N * 8, DRM_NVSVM_VM_BIND_READ_ONLY },
		{ &b, N * 8, DRM_NVSVM_VM_BIND_READ_ONLY },
		{ &c, N * 8, 0 },
		{ &ctl, 4096, 0 },	/* push buffer, then the semaphore */
	};
	struct drm_nvsvm_sync out = { 0 };
	struct drm_nvsvm_push pb = { 0 };
	uint64_t *words = NULL, *va, *vb, *vc;
	uint64_t *sem;
	struct vadd_params *prm;
	struct nvsvm_push push;
	uint32_t channel = 0;
	struct timespec t0;
	size_t count, i, bad = 0;
	int ret, status = 0, rc = 1;
	double ms;
	char err[256];

	ret = nvsvm_assemble(kernel_src, &words, &count, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "vector-add: FAILED: the kernel does not assemble: %s\n", err);
		return 1;
	}

	for (i = 0; i < ARRAY_SIZE(buffers); i++) {
		ret = nvsvm_buffer_create(dev, buffers[i].size ? buffers[i].size : count * 8,
					  buffers[i].flags, buffers[i].buf);
		if (ret) {
			rc = failed("creating the buffers", ret);
			goto out;
		}
	}

	/* The code as the GPU reads it: little-endian 64-bit words. */
	for (i = 0; i < count; i++)
		((uint64_t *)code.cpu)[i] = htole64(words[i]);
	va = a.cpu;
	vb = b.cpu;
	vc = c.cpu;
	for (i = 0; i < N; i++) {
		va[i] = i * 0x10001 + 7;
		vb[i] = (uint64_t)i << 40 | (N - i);
		vc[i] = 0xdeadbeefdeadbeefull;	/* must all be overwritten */
	}
	prm = params.cpu;
	prm->a = a.va;
	prm->b = b.va;
	prm->c = c.va;
	prm->n = N;

	/* The push buffer, then the semaphore, in the control buffer. */
	sem = (uint64_t *)((char *)ctl.cpu + 2048);
	nvsvm_push_init(&push, ctl.cpu, 2048);
	nvsvm_push_launch(&push, code.va, params.va, BLOCKS, THREADS);
	nvsvm_push_sem_release(&push, ctl.va + 2048, SEM_DONE, NVSVM_PUSH_SEM_PAYLOAD_64);
	ret = nvsvm_push_end(&push);
	if (ret < 0) {
		rc = failed("building the push buffer", ret);
		goto out;
	}
	pb.va = ctl.va;
	pb.dwords = ret;

	ret = nvsvm_channel_alloc(dev, &channel);
	if (ret) {
		rc = failed("allocating a channel", ret);
		goto out;
	}
	ret = nvsvm_syncobj_create(dev, 0, &out.handle);
	if (ret) {
		rc = failed("creating a syncobj", ret);
		goto out;
	}
	printf("vector-add: kernel of %zu instructions; job on channel %u: LAUNCH %u blocks x "
	       "%u threads, then SEMAPHORE_RELEASE (%u dwords of push buffer)\n",
	       count, channel, BLOCKS, THREADS, pb.dwords);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = nvsvm_exec(dev, channel, &pb, 1, NULL, 0, &out, 1);
	if (ret) {
		rc = failed("submitting the job", ret);
		goto out;
	}
	ret = nvsvm_syncobj_wait(dev, out.handle, 0, TIMEOUT_NS);
	ms = ms_since(&t0);
	if (ret) {
		rc = failed(ret == -ETIME ? "waiting for the job (60 s)" : "waiting for the job",
			    ret);
		goto out;
	}
	ret = nvsvm_syncobj_fence_status(dev, out.handle, 0, &status);
	if (ret) {
		rc = failed("reading the job's fence", ret);
		goto out;
	}
	if (status < 0) {
		struct nvsvm_channel_error ce;

		fprintf(stderr, "vector-add: FAILED: the job's fence signalled with %s\n",
			strerror(-status));
		if (!nvsvm_channel_get_error(dev, channel, &ce))
			fprintf(stderr, "vector-add: channel %u: %s\n", channel,
				nvsvm_channel_error_format(&ce, err, sizeof(err)));
		goto out;
	}

	if (*sem != SEM_DONE) {
		fprintf(stderr, "vector-add: FAILED: the semaphore holds %#" PRIx64
			", want %#llx\n", *sem, SEM_DONE);
		goto out;
	}
	for (i = 0; i < N; i++) {
		if (vc[i] == va[i] + vb[i])
			continue;
		if (bad++ < 5)
			fprintf(stderr, "vector-add: c[%zu] = %#" PRIx64 ", want %#" PRIx64 "\n",
				i, vc[i], va[i] + vb[i]);
	}
	if (bad) {
		fprintf(stderr, "vector-add: FAILED: %zu of %d elements wrong\n", bad, N);
		goto out;
	}
	printf("vector-add: %d elements, %d blocks x %d threads on %u SMs: all correct "
	       "(%.1f ms)\n", N, BLOCKS, THREADS, info->sm_count, ms);
	rc = 0;
out:
	if (out.handle)
		nvsvm_syncobj_destroy(dev, out.handle);
	if (channel)
		nvsvm_channel_free(dev, channel);
	nvsvm_buffer_destroy(dev, &ctl);
	nvsvm_buffer_destroy(dev, &c);
	nvsvm_buffer_destroy(dev, &b);
	nvsvm_buffer_destroy(dev, &a);
	nvsvm_buffer_destroy(dev, &params);
	nvsvm_buffer_destroy(dev, &code);
	free(words);
	return rc;
}

int main(void)
{
	struct nvsvm_device_info info;
	struct nvsvm_device *dev;
	int rc;

	rc = sample_open(false, &dev, &info);
	if (rc != SAMPLE_RUN)
		return rc;
	printf("vector-add: GPU %s, %u SMs\n", nvsvm_device_node(dev), info.sm_count);
	rc = run(dev, &info);
	nvsvm_device_close(dev);
	return rc;
}
