// SPDX-License-Identifier: MIT
/* Copyright 2026 The nvsvm authors */

/*
 * nvsvm-bench: job throughput and latency through the whole driver path
 * (EXEC ioctl, scheduler, channel, GPU, fence, syncobj).
 *
 *   - empty jobs: N marker jobs (no push buffer), back to back;
 *   - NOP jobs: N jobs of one 1-dword NOP push buffer;
 *   each batch ends by waiting on an out syncobj of its last job (jobs of a
 *   channel complete in order); on the way, every WINDOW jobs, it waits for
 *   the job WINDOW before, so that at most 2 * WINDOW jobs are in flight
 *   and the time limit below also bounds the wait at the end;
 *   - latency: K times, submit one job (a marker, then a NOP job) and wait
 *   for it.
 *
 * Each test also stops after a time limit, so that the whole run stays
 * short on an emulated machine; the figures say how many jobs ran. Output
 * lines start with "bench:". Exits 0, or 1 if a job could not be run.
 */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nvsvm.h"

#define TIMEOUT_NS	(60ll * 1000000000)
#define WINDOW		512

struct bench {
	struct nvsvm_device *dev;
	uint32_t channel;
	uint32_t syncobj;		/* the last job's */
	uint32_t window[2];		/* every WINDOW-th job's, in turn */
	struct nvsvm_buffer pushbuf;
	struct drm_nvsvm_push nop;	/* one NOP, 1 dword */
	double time_limit_s;
};

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static int failed(const char *what, int err)
{
	fprintf(stderr, "nvsvm-bench: %s: %s\n", what, strerror(-err));
	return 1;
}

/* The reason a job failed, from its fence status and the channel. */
static int job_failed(struct bench *b, const char *what, int status)
{
	struct nvsvm_channel_error ce;
	char buf[200];

	fprintf(stderr, "nvsvm-bench: %s: the job's fence signalled with %s\n", what,
		strerror(-status));
	if (!nvsvm_channel_get_error(b->dev, b->channel, &ce))
		fprintf(stderr, "nvsvm-bench: channel %u: %s\n", b->channel,
			nvsvm_channel_error_format(&ce, buf, sizeof(buf)));
	return 1;
}

/* Wait for @syncobj and check that its fence signalled without error. */
static int wait_ok(struct bench *b, uint32_t syncobj, const char *what)
{
	int ret, status;

	ret = nvsvm_syncobj_wait(b->dev, syncobj, 0, TIMEOUT_NS);
	if (!ret)
		ret = nvsvm_syncobj_fence_status(b->dev, syncobj, 0, &status);
	if (ret)
		return failed(what, ret);
	if (status < 0)
		return job_failed(b, what, status);
	return 0;
}

/*
 * @n jobs of @pushes (NULL: markers), the last with an out syncobj, then
 * wait for it. Stops submitting at the time limit.
 */
static int throughput(struct bench *b, const char *name, const struct drm_nvsvm_push *pushes,
		      unsigned long n)
{
	struct drm_nvsvm_sync out = { 0 };
	double t0 = now_s(), limit = t0 + b->time_limit_s, t;
	unsigned long i, marks = 0;
	int ret;

	for (i = 0; i < n; i++) {
		int mark = i % WINDOW == WINDOW - 1;
		int last = i == n - 1 || (mark && now_s() > limit);

		out.handle = last ? b->syncobj : b->window[marks & 1];
		ret = nvsvm_exec(b->dev, b->channel, pushes, pushes ? 1 : 0, NULL, 0,
				 last || mark ? &out : NULL, last || mark ? 1 : 0);
		if (ret)
			return failed(name, ret);
		if (last) {
			i++;
			break;
		}
		if (mark) {
			/* At most two windows in flight: wait for the one before. */
			if (marks && wait_ok(b, b->window[(marks - 1) & 1], name))
				return 1;
			marks++;
		}
	}
	if (wait_ok(b, b->syncobj, name))
		return 1;
	t = now_s() - t0;
	printf("bench: %s: %lu in %.0f ms, %.0f jobs/s, %.1f µs/job\n", name, i, t * 1e3,
	       i / t, t * 1e6 / i);
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* @k times: one job of @pushes (NULL: a marker), submitted and waited for. */
static int latency(struct bench *b, const char *name, const struct drm_nvsvm_push *pushes,
		   unsigned long k)
{
	struct drm_nvsvm_sync out = { .handle = b->syncobj };
	double t0 = now_s(), limit = t0 + b->time_limit_s, sum = 0, *lat;
	unsigned long i;
	int ret;

	lat = calloc(k, sizeof(*lat));
	if (!lat)
		return failed(name, -ENOMEM);
	for (i = 0; i < k && (i < 8 || now_s() < limit); i++) {
		double s = now_s();

		ret = nvsvm_exec(b->dev, b->channel, pushes, pushes ? 1 : 0, NULL, 0, &out, 1);
		if (ret) {
			free(lat);
			return failed(name, ret);
		}
		if (wait_ok(b, b->syncobj, name)) {
			free(lat);
			return 1;
		}
		lat[i] = (now_s() - s) * 1e6;
		sum += lat[i];
	}
	qsort(lat, i, sizeof(*lat), cmp_double);
	printf("bench: %s latency (submit + wait, one at a time): %lu jobs, mean %.1f µs, "
	       "min %.1f, median %.1f, max %.1f\n", name, i, sum / i, lat[0], lat[i / 2],
	       lat[i - 1]);
	free(lat);
	return 0;
}

static unsigned long parse_count(const char *prog, const char *opt, const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end || v == 0 || v > 100000000 || *s == '-') {
		fprintf(stderr, "%s: %s wants a count from 1 to 100000000, not '%s'\n", prog,
			opt, s);
		exit(2);
	}
	return v;
}

static void usage(FILE *f, const char *prog)
{
	fprintf(f, "usage: %s [-n JOBS] [-k JOBS] [-t SECONDS]\n"
		"  -n JOBS     jobs in each throughput batch (default 20000)\n"
		"  -k JOBS     jobs in each latency test (default 1000)\n"
		"  -t SECONDS  stop each test after this long (default 5)\n", prog);
}

int main(int argc, char **argv)
{
	struct bench b = { .time_limit_s = 5 };
	struct nvsvm_device_info info;
	unsigned long n = 20000, k = 1000;
	uint64_t channels = 0;
	struct nvsvm_push push;
	int opt, ret, rc = 1;

	while ((opt = getopt(argc, argv, "n:k:t:h")) != -1) {
		switch (opt) {
		case 'n':
			n = parse_count(argv[0], "-n", optarg);
			break;
		case 'k':
			k = parse_count(argv[0], "-k", optarg);
			break;
		case 't':
			b.time_limit_s = parse_count(argv[0], "-t", optarg);
			break;
		case 'h':
			usage(stdout, argv[0]);
			return 0;
		default:
			usage(stderr, argv[0]);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr, argv[0]);
		return 2;
	}

	ret = nvsvm_device_open(0, &b.dev);
	if (ret) {
		fprintf(stderr, "nvsvm-bench: no nvsvm GPU: %s%s\n", strerror(-ret),
			ret == -ENODEV ? " (is the nvsvm module loaded?)" : "");
		return 1;
	}
	ret = nvsvm_device_query_info(b.dev, &info);
	if (ret) {
		failed("querying the GPU", ret);
		goto out;
	}
	if (info.version_major != 1 || info.version_minor < 2) {
		fprintf(stderr, "nvsvm-bench: driver uAPI %d.%d has no channels (1.2 needed)\n",
			info.version_major, info.version_minor);
		goto out;
	}
	nvsvm_device_get_param(b.dev, DRM_NVSVM_PARAM_CHANNEL_COUNT, &channels);

	ret = nvsvm_buffer_create(b.dev, 4096, DRM_NVSVM_VM_BIND_READ_ONLY, &b.pushbuf);
	if (ret) {
		failed("creating the push buffer", ret);
		goto out;
	}
	nvsvm_push_init(&push, b.pushbuf.cpu, b.pushbuf.size);
	nvsvm_push_nop(&push, 0);
	ret = nvsvm_push_end(&push);
	if (ret != 1) {
		failed("building the push buffer", ret < 0 ? ret : -EINVAL);
		goto out;
	}
	b.nop = (struct drm_nvsvm_push){ .va = b.pushbuf.va, .dwords = 1 };

	ret = nvsvm_channel_alloc(b.dev, &b.channel);
	if (ret) {
		failed("allocating a channel", ret);
		goto out;
	}
	ret = nvsvm_syncobj_create(b.dev, 0, &b.syncobj);
	if (!ret)
		ret = nvsvm_syncobj_create(b.dev, 0, &b.window[0]);
	if (!ret)
		ret = nvsvm_syncobj_create(b.dev, 0, &b.window[1]);
	if (ret) {
		failed("creating the syncobjs", ret);
		goto out;
	}
	printf("bench: nvsvm %d.%d, %u SMs, %llu hardware channels; up to %lu jobs a batch, "
	       "%lu for latency, %.0f s a test at most\n", info.version_major,
	       info.version_minor, info.sm_count, (unsigned long long)channels, n, k,
	       b.time_limit_s);

	if (throughput(&b, "empty jobs (no push buffer)", NULL, n) ||
	    throughput(&b, "NOP jobs (one 1-dword push buffer)", &b.nop, n) ||
	    latency(&b, "empty job", NULL, k) ||
	    latency(&b, "NOP job", &b.nop, k))
		goto out;
	rc = 0;
out:
	if (b.window[1])
		nvsvm_syncobj_destroy(b.dev, b.window[1]);
	if (b.window[0])
		nvsvm_syncobj_destroy(b.dev, b.window[0]);
	if (b.syncobj)
		nvsvm_syncobj_destroy(b.dev, b.syncobj);
	if (b.channel)
		nvsvm_channel_free(b.dev, b.channel);
	nvsvm_buffer_destroy(b.dev, &b.pushbuf);
	nvsvm_device_close(b.dev);
	return rc;
}
