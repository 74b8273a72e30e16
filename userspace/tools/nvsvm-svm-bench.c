// SPDX-License-Identifier: MIT
/* Copyright 2026 The nvsvm authors */

/*
 * nvsvm-svm-bench: the cost of mirroring a page into the GPU, against the
 * kernel's test_hmm driver doing the same in the same VM.
 *
 * For each buffer size (16, 64 and 256 MiB by default), a fresh anonymous
 * buffer of 4 KiB pages (MADV_NOHUGEPAGE), populated by the CPU first so
 * that neither side pays for allocating pages:
 *
 *   - nvsvm: one GPU thread per page loads the page's first word and
 *     stores it into a results array (mapped beforehand), so that the GPU
 *     faults on each page once; the job's time from EXEC to its user fence,
 *     the faults, batches and replays it took (svm_stats differences), then
 *     the same kernel again with everything mapped (the kernel's own time);
 *   - test_hmm: HMM_DMIRROR_READ of the same buffer through a new
 *     /dev/hmm_dmirror0 file, in 16 MiB requests: test_hmm faults the pages
 *     into its mirror with hmm_range_fault and copies them out;
 *   - the per-page cost of each and their ratio.
 *
 * The test_hmm part needs lib/test_hmm_uapi.h of the running kernel's
 * source at build time (make -C userspace KSRC=...; scripts/run-bench.sh
 * does it) and the test_hmm module loaded. Figures only: the tool fails
 * (exit 1) only if the work could not be done, and skips what the system
 * lacks (SVM on a driver older than uAPI 1.3, test_hmm) saying so. Lines
 * start with "bench: svm".
 */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "nvsvm.h"

#ifdef NVSVM_HAVE_TEST_HMM
#include "test_hmm_uapi.h"
#endif

#define PAGE		4096ull
#define MiB		(1ull << 20)
#define TIMEOUT_NS	(600ll * 1000000000)	/* 256 MiB of faults under emulation */
#define HMM_CHUNK	(16 * MiB)
#define MAX_SIZES	8

static const char read_src[] =
	"# out[i] = the first word of page i of base, for i < n.\n"
	"# The parameter block: base, out, n.\n"
	"	s2r	r1, param\n"
	"	s2r	r2, gtid\n"
	"	ld64	r3, [r1+16]\n"
	"	sltu	r4, r2, r3\n"
	"	beqz	r4, done\n"
	"	shli	r5, r2, 12\n"
	"	ld64	r6, [r1]\n"
	"	add	r6, r6, r5\n"
	"	ld64	r6, [r6]\n"
	"	shli	r7, r2, 3\n"
	"	ld64	r8, [r1+8]\n"
	"	add	r8, r8, r7\n"
	"	st64	[r8], r6\n"
	"done:	exit\n";

struct read_params {
	uint64_t base, out, n;
};

struct svm {
	struct nvsvm_device *dev;
	uint32_t channel;
	uint64_t *code;
	uint32_t *push;
	struct read_params *prm;
	int have_stats;
};

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static uint64_t pattern(uint64_t page)
{
	return page * 0x9e3779b97f4a7c15ull + 1;
}

static int failed(const char *what, int err)
{
	fprintf(stderr, "nvsvm-svm-bench: %s: %s\n", what, strerror(-err));
	return 1;
}

/* Run the read kernel over @n pages at @base into @out; its time in *@t. */
static int svm_run(struct svm *s, const void *base, uint64_t *out, uint64_t n, double *t)
{
	struct drm_nvsvm_push pb;
	struct nvsvm_push p;
	double t0;
	int ret;

	*s->prm = (struct read_params){ (uintptr_t)base, (uintptr_t)out, n };
	nvsvm_push_init(&p, s->push, 256);
	nvsvm_push_launch(&p, (uintptr_t)s->code, (uintptr_t)s->prm,
			  (uint32_t)((n + 255) / 256), 256);
	ret = nvsvm_push_to_exec(&p, &pb);
	if (ret)
		return ret;
	t0 = now_s();
	ret = nvsvm_svm_exec_wait(s->dev, s->channel, &pb, 1, TIMEOUT_NS);
	*t = now_s() - t0;
	if (ret == -EIO) {
		struct nvsvm_channel_error ce;
		char buf[256];

		if (!nvsvm_channel_get_error(s->dev, s->channel, &ce))
			fprintf(stderr, "nvsvm-svm-bench: the job failed: %s\n",
				nvsvm_channel_error_format(&ce, buf, sizeof(buf)));
	}
	return ret;
}

static int svm_setup(struct svm *s, struct nvsvm_device *dev)
{
	struct nvsvm_svm_stats st;
	char err[256];
	size_t count;
	int ret;

	s->dev = dev;
	ret = nvsvm_svm_init(dev, 0, 0);
	if (ret)
		return failed("SVM_INIT", ret);
	ret = nvsvm_svm_code(read_src, &s->code, &count, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "nvsvm-svm-bench: the kernel does not assemble: %s\n", err);
		return 1;
	}
	s->push = malloc(256);
	s->prm = malloc(sizeof(*s->prm));
	if (!s->push || !s->prm)
		return failed("malloc", -ENOMEM);
	ret = nvsvm_channel_alloc(dev, &s->channel);
	if (ret)
		return failed("allocating a channel", ret);
	ret = nvsvm_svm_stats_read(dev, &st);
	s->have_stats = ret == 0;
	if (ret)
		printf("bench: svm: no svm_stats (%s): fault counts not shown\n", strerror(-ret));
	return 0;
}

/*
 * The nvsvm part for @n pages at @buf: fills *@per_page_us with the first
 * touch's cost per page. 0, or 1 if the work could not be done.
 */
static int svm_bench(struct svm *s, const char *size, const uint64_t *buf, uint64_t n,
		     double *per_page_us)
{
	struct nvsvm_svm_stats a = { 0 }, b = { 0 };
	uint64_t *out = aligned_alloc(PAGE, n * 8 > PAGE ? (n * 8 + PAGE - 1) & ~(PAGE - 1) : PAGE);
	uint64_t i, bad = 0, faults, batches;
	double t_first, t_warm, t_out;
	int ret;

	if (!out)
		return failed("malloc", -ENOMEM);
	/* Map the results for the GPU first: only the buffer's faults are timed. */
	memset(out, 0, n * 8);
	ret = svm_run(s, out, out, (n * 8 + PAGE - 1) / PAGE, &t_out);
	if (ret) {
		free(out);
		return failed("mapping the results", ret);
	}
	memset(out, 0, n * 8);

	if (s->have_stats && nvsvm_svm_stats_read(s->dev, &a))
		s->have_stats = 0;
	ret = svm_run(s, buf, out, n, &t_first);
	if (ret) {
		free(out);
		return failed("the first-touch job", ret);
	}
	if (s->have_stats && nvsvm_svm_stats_read(s->dev, &b))
		s->have_stats = 0;
	for (i = 0; i < n; i++)
		bad += out[i] != pattern(i);
	if (bad) {
		fprintf(stderr, "nvsvm-svm-bench: %s: the GPU read %" PRIu64 " pages wrong\n",
			size, bad);
		free(out);
		return 1;
	}
	ret = svm_run(s, buf, out, n, &t_warm);
	free(out);
	if (ret)
		return failed("the warm job", ret);

	*per_page_us = t_first * 1e6 / n;
	printf("bench: svm %s nvsvm: first touch of %" PRIu64 " pages %.1f ms (%.2f µs/page, "
	       "%.0f pages/s); the same kernel with every page mapped %.1f ms: faulting "
	       "costs %.2f µs/page\n", size, n, t_first * 1e3, *per_page_us, n / t_first,
	       t_warm * 1e3, (t_first - t_warm) * 1e6 / n);
	if (s->have_stats) {
		faults = b.faults - a.faults;
		batches = b.batches - a.batches;
		printf("bench: svm %s nvsvm: %" PRIu64 " faults serviced (%.0f faults/s) in %"
		       PRIu64 " batches: %.2f faults and %.2f replays per batch; %" PRIu64
		       " duplicates, %" PRIu64 " 2 MiB blocks, %" PRIu64 " retries, %" PRIu64
		       " 4 KiB and %" PRIu64 " 2 MiB mappings\n", size, faults,
		       faults / t_first, batches, batches ? (double)faults / batches : 0,
		       batches ? (double)(b.replays - a.replays) / batches : 0,
		       b.duplicates - a.duplicates, b.blocks - a.blocks, b.retries - a.retries,
		       b.map_4k - a.map_4k, b.map_2m - a.map_2m);
	}
	return 0;
}

#ifdef NVSVM_HAVE_TEST_HMM
/*
 * The test_hmm part: HMM_DMIRROR_READ of @n pages at @buf through a new
 * mirror. 0 with *@per_page_us set; -ENOENT if there is no test_hmm; 1 if
 * the work could not be done.
 */
static int hmm_bench(const char *size, const uint64_t *buf, uint64_t n, double *per_page_us)
{
	uint64_t chunk = HMM_CHUNK / PAGE, done, faults = 0, bad = 0, i;
	uint64_t *mirror;
	double t0, t;
	int fd;

	fd = open("/dev/hmm_dmirror0", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -ENOENT;
	mirror = malloc(HMM_CHUNK);
	if (!mirror) {
		close(fd);
		return failed("malloc", -ENOMEM);
	}
	memset(mirror, 0, HMM_CHUNK);	/* populated, like the nvsvm results */
	t = 0;
	for (done = 0; done < n; done += chunk) {
		struct hmm_dmirror_cmd cmd = {
			.addr = (uintptr_t)buf + done * PAGE,
			.ptr = (uintptr_t)mirror,
			.npages = n - done < chunk ? n - done : chunk,
		};
		int ret;

		t0 = now_s();
		ret = ioctl(fd, HMM_DMIRROR_READ, &cmd) ? -errno : 0;
		t += now_s() - t0;
		if (ret || cmd.cpages != cmd.npages) {
			fprintf(stderr, "nvsvm-svm-bench: HMM_DMIRROR_READ: %s, %llu of %llu pages\n",
				strerror(-ret), (unsigned long long)cmd.cpages,
				(unsigned long long)cmd.npages);
			free(mirror);
			close(fd);
			return 1;
		}
		faults += cmd.faults;
		for (i = 0; i < cmd.npages; i++)
			bad += mirror[i * PAGE / 8] != pattern(done + i);
	}
	free(mirror);
	close(fd);
	if (bad) {
		fprintf(stderr, "nvsvm-svm-bench: %s: test_hmm read %" PRIu64 " pages wrong\n",
			size, bad);
		return 1;
	}
	*per_page_us = t * 1e6 / n;
	printf("bench: svm %s test_hmm: HMM_DMIRROR_READ of %" PRIu64 " pages in %llu MiB "
	       "requests %.1f ms (%.2f µs/page, %.0f pages/s), %" PRIu64 " device faults\n",
	       size, n, (unsigned long long)(HMM_CHUNK / MiB), t * 1e3, *per_page_us, n / t,
	       faults);
	return 0;
}
#endif

static int parse_sizes(const char *arg, uint64_t *sizes, unsigned int *count)
{
	char *end;

	*count = 0;
	while (*arg) {
		unsigned long v = strtoul(arg, &end, 10);

		if (end == arg || !v || v > 4096 || *count == MAX_SIZES)
			return -EINVAL;
		sizes[(*count)++] = v * MiB;
		arg = *end == ',' ? end + 1 : end;
		if (*end && *end != ',')
			return -EINVAL;
	}
	return *count ? 0 : -EINVAL;
}

int main(int argc, char **argv)
{
	uint64_t sizes[MAX_SIZES] = { 16 * MiB, 64 * MiB, 256 * MiB };
	unsigned int nsizes = 3, k;
	struct nvsvm_device_info info;
	struct nvsvm_device *dev;
	struct svm s = { 0 };
	int opt, ret, rc = 0, use_svm;

	while ((opt = getopt(argc, argv, "s:h")) != -1) {
		if (opt == 's' && !parse_sizes(optarg, sizes, &nsizes))
			continue;
		fprintf(stderr, "usage: nvsvm-svm-bench [-s MiB[,MiB...]] (default 16,64,256)\n");
		return 2;
	}

	ret = nvsvm_device_open(0, &dev);
	if (ret)
		return failed("no nvsvm GPU", ret);
	ret = nvsvm_device_query_info(dev, &info);
	if (ret)
		return failed("querying the GPU", ret);
	use_svm = info.svm;
	if (!use_svm)
		printf("bench: svm: SVM unavailable (driver uAPI %d.%d, needs 1.3): the nvsvm "
		       "part is skipped\n", info.version_major, info.version_minor);
	else if (svm_setup(&s, dev))
		return 1;
#ifndef NVSVM_HAVE_TEST_HMM
	printf("bench: svm: test_hmm part not built (no kernel source's lib/test_hmm_uapi.h "
	       "at build time; make -C userspace KSRC=...)\n");
#endif
	printf("bench: svm: nvsvm %d.%d, %u SMs; buffers of 4 KiB pages (MADV_NOHUGEPAGE) "
	       "populated by the CPU, one GPU thread per page\n", info.version_major,
	       info.version_minor, info.sm_count);

	for (k = 0; k < nsizes && !rc; k++) {
		uint64_t n = sizes[k] / PAGE, i;
		double nv = 0, hmm = 0;
		int have_nv = 0, have_hmm = 0;
		char size[32];
		uint64_t *buf;

		snprintf(size, sizeof(size), "%llu MiB", (unsigned long long)(sizes[k] / MiB));
		buf = mmap(NULL, sizes[k], PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			   -1, 0);
		if (buf == MAP_FAILED) {
			rc = failed("mmap", -errno);
			break;
		}
		if (madvise(buf, sizes[k], MADV_NOHUGEPAGE))
			printf("bench: svm %s: MADV_NOHUGEPAGE: %s\n", size, strerror(errno));
		for (i = 0; i < n; i++)
			buf[i * PAGE / 8] = pattern(i);

		if (use_svm) {
			rc = svm_bench(&s, size, buf, n, &nv);
			have_nv = !rc;
		}
#ifdef NVSVM_HAVE_TEST_HMM
		if (!rc) {
			ret = hmm_bench(size, buf, n, &hmm);
			if (ret == -ENOENT)
				printf("bench: svm %s test_hmm: no /dev/hmm_dmirror0 (modprobe "
				       "test_hmm): skipped\n", size);
			else if (ret)
				rc = 1;
			else
				have_hmm = 1;
		}
#endif
		if (have_nv && have_hmm)
			printf("bench: svm %s: per-page cost nvsvm / test_hmm = %.2f / %.2f µs = "
			       "%.2fx\n", size, nv, hmm, nv / hmm);
		munmap(buf, sizes[k]);
	}
	if (s.channel)
		nvsvm_channel_free(dev, s.channel);
	free(s.push);
	free(s.prm);
	free(s.code);
	nvsvm_device_close(dev);
	return rc;
}
