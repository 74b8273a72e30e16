// SPDX-License-Identifier: MIT
/* Copyright 2026 The nvsvm authors */

/*
 * Host unit tests of the parts of libnvsvm's SVM support that need no GPU:
 * parsing svm_stats, the names of fault reasons and the error line,
 * nvsvm_push_to_exec(), nvsvm_svm_code(), and what the library refuses
 * without asking the kernel (SVM on a driver older than uAPI 1.3, a wait
 * for a job that was never submitted). Prints "RESULT pass|fail NAME"
 * lines and exits 1 if a case failed.
 *
 * The devices these use are made up (struct nvsvm_device from the
 * library's internal header) with the file descriptor -1: a call that
 * reached the kernel would fail with -EBADF, which the cases tell apart
 * from the answer they expect.
 */

#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nvsvm.h"
#include "nvsvm_internal.h"
#include "test_result.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* svm_stats as docs/driver.md ("Observability") lays it out, with distinct values. */
static const char stats_text[] =
	"faults 1001\n"
	"batches 1002\n"
	"duplicates 1003\n"
	"replays 1004\n"
	"cancels 1005\n"
	"invalidations 1006\n"
	"blocks 1007\n"
	"retries 1008\n"
	"map_4k 1009\n"
	"map_2m 1010\n"
	"exclusive 18446744073709551615\n"
	"batch_size 1:11 2:12 4:13 8:14 16:15 32:16 64:17 128:18 256:19\n"
	"service_us 1:21 2:22 4:23 8:24 16:25 32:26 64:27 128:28 256:29 512:30 1024:31 "
	"2048:32 4096:33 8192:34 16384:35 32768:36 65536:37 131072:38 262144:39 "
	"524288:40 1048576:41\n";

static void test_stats_parse(void)
{
	static const uint64_t want[] = {
		1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010, UINT64_MAX,
	};
	struct nvsvm_svm_stats s;
	uint64_t got[11];
	unsigned int i;
	int ret;

	memset(&s, 0xa5, sizeof(s));
	ret = nvsvm_svm_stats_parse(stats_text, &s);
	if (ret)
		fail("parse returned %d", ret);
	got[0] = s.faults;
	got[1] = s.batches;
	got[2] = s.duplicates;
	got[3] = s.replays;
	got[4] = s.cancels;
	got[5] = s.invalidations;
	got[6] = s.blocks;
	got[7] = s.retries;
	got[8] = s.map_4k;
	got[9] = s.map_2m;
	got[10] = s.exclusive;
	for (i = 0; i < ARRAY_SIZE(want); i++)
		if (got[i] != want[i])
			fail("counter %u is %llu, want %llu", i, (unsigned long long)got[i],
			     (unsigned long long)want[i]);
	for (i = 0; i < NVSVM_SVM_STATS_BUCKETS; i++) {
		uint64_t b = i < 9 ? 11 + i : 0, u = i < 21 ? 21 + i : 0;

		if (s.batch_size[i] != b)
			fail("batch_size[%u] is %llu, want %llu", i,
			     (unsigned long long)s.batch_size[i], (unsigned long long)b);
		if (s.service_us[i] != u)
			fail("service_us[%u] is %llu, want %llu", i,
			     (unsigned long long)s.service_us[i], (unsigned long long)u);
	}
	result("svm.stats.parse");
}

/* Lines added later, in another order, and without the histograms still parse. */
static void test_stats_unknown_keys(void)
{
	static const char text[] =
		"some_future_counter 5\n"
		"exclusive 11\nmap_2m 10\nmap_4k 9\nretries 8\nblocks 7\n"
		"invalidations 6\ncancels 5\nreplays 4\nduplicates 3\nbatches 2\nfaults 1\n"
		"future_histogram 1:2 2:3\n"
		"\n";
	struct nvsvm_svm_stats s;
	int ret = nvsvm_svm_stats_parse(text, &s);

	if (ret)
		fail("parse returned %d", ret);
	if (s.faults != 1 || s.batches != 2 || s.exclusive != 11 || s.map_4k != 9)
		fail("faults %llu batches %llu exclusive %llu map_4k %llu",
		     (unsigned long long)s.faults, (unsigned long long)s.batches,
		     (unsigned long long)s.exclusive, (unsigned long long)s.map_4k);
	if (s.batch_size[0] || s.service_us[0])
		fail("histograms not zero");
	result("svm.stats.unknown_keys");
}

/* A copy of stats_text with the first occurrence of @from replaced by @to. */
static char *edited(const char *from, const char *to)
{
	const char *at = strstr(stats_text, from);
	size_t n = strlen(stats_text) + strlen(to) + 1;
	char *s = malloc(n);

	if (!s || !at) {
		free(s);
		return NULL;
	}
	snprintf(s, n, "%.*s%s%s", (int)(at - stats_text), stats_text, to, at + strlen(from));
	return s;
}

static void test_stats_malformed(void)
{
	static const struct {
		const char *from, *to, *what;
	} cases[] = {
		{ "faults 1001\n", "", "a counter missing" },
		{ "map_2m 1010\n", "map_2m\n", "a counter without a value" },
		{ "replays 1004\n", "replays 10x4\n", "a value with garbage" },
		{ "replays 1004\n", "replays -4\n", "a negative value" },
		{ "replays 1004\n", "replays 1004 7\n", "two values" },
		{ "exclusive 18446744073709551615\n", "exclusive 18446744073709551616\n",
		  "a value above 2^64 - 1" },
		{ "4:13", "3:13", "a bucket bound that is not a power of two" },
		{ "4:13", "0:13", "a bucket bound of 0" },
		{ "4:13", "4294967296:13", "a bucket bound of 2^32, beyond the buckets" },
		{ "8:14", "8;14", "a bucket without its colon" },
		{ "8:14", "8:", "a bucket without its count" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct nvsvm_svm_stats s;
		char *text = edited(cases[i].from, cases[i].to);
		int ret;

		if (!text) {
			fail("case %u: cannot edit the text", i);
			break;
		}
		ret = nvsvm_svm_stats_parse(text, &s);
		if (ret != -EPROTO)
			fail("%s: parse returned %d, want -EPROTO", cases[i].what, ret);
		free(text);
	}
	if (nvsvm_svm_stats_parse("", &(struct nvsvm_svm_stats){ 0 }) != -EPROTO)
		fail("an empty file parses");
	result("svm.stats.malformed");
}

/* The largest bucket bound the library holds, 2^31, has its place. */
static void test_stats_last_bucket(void)
{
	char *text = edited("1048576:41", "2147483648:41");
	struct nvsvm_svm_stats s;
	int ret;

	if (!text) {
		fail("cannot edit the text");
	} else {
		ret = nvsvm_svm_stats_parse(text, &s);
		if (ret)
			fail("parse returned %d", ret);
		else if (s.service_us[31] != 41 || s.service_us[20] != 0)
			fail("service_us[31] %llu, [20] %llu",
			     (unsigned long long)s.service_us[31],
			     (unsigned long long)s.service_us[20]);
	}
	free(text);
	result("svm.stats.last_bucket");
}

static void test_reason_names(void)
{
	static const uint32_t reasons[] = {
		DRM_NVSVM_FAULT_REASON_UNMAPPED, DRM_NVSVM_FAULT_REASON_PROTECTION,
		DRM_NVSVM_FAULT_REASON_OUT_OF_RANGE, DRM_NVSVM_FAULT_REASON_NO_MEMORY,
		DRM_NVSVM_FAULT_REASON_PROCESS_GONE, DRM_NVSVM_FAULT_REASON_BUSY,
		DRM_NVSVM_FAULT_REASON_UNSUPPORTED,
	};
	unsigned int i, j;

	if (strcmp(nvsvm_fault_reason_name(0), "none"))
		fail("reason 0 is '%s'", nvsvm_fault_reason_name(0));
	if (strcmp(nvsvm_fault_reason_name(8), "unknown") ||
	    strcmp(nvsvm_fault_reason_name(UINT32_MAX), "unknown"))
		fail("reasons 8 and 2^32 - 1 are not 'unknown'");
	for (i = 0; i < ARRAY_SIZE(reasons); i++) {
		const char *n = nvsvm_fault_reason_name(reasons[i]);

		if (!strcmp(n, "unknown") || !strcmp(n, "none"))
			fail("reason %u has no name", reasons[i]);
		for (j = 0; j < i; j++)
			if (!strcmp(n, nvsvm_fault_reason_name(reasons[j])))
				fail("reasons %u and %u are both '%s'", reasons[j], reasons[i], n);
	}
	if (strcmp(nvsvm_fault_reason_name(DRM_NVSVM_FAULT_REASON_UNMAPPED),
		   "nothing is mapped there"))
		fail("UNMAPPED is '%s'",
		     nvsvm_fault_reason_name(DRM_NVSVM_FAULT_REASON_UNMAPPED));
	if (!strcmp(nvsvm_channel_error_name(8), "unknown"))
		fail("channel error 8 (GPU_HANG) has no name");
	result("svm.reason_names");
}

static void test_error_format(void)
{
	struct nvsvm_channel_error e = {
		.error = DRM_NVSVM_CHANNEL_ERROR_MMU_FAULT,
		.access = DRM_NVSVM_ACCESS_WRITE,
		.fault_type = DRM_NVSVM_FAULT_PROTECTION,
		.client = DRM_NVSVM_FAULT_CLIENT_SM,
		.address = 0x7f3c2a001008ull,
		.reason = DRM_NVSVM_FAULT_REASON_PROTECTION,
	};
	const char *want = "MMU fault: write at 0x7f3c2a001008 (read-only) by the SM: "
			   "the mapping does not allow the access";
	const char *want0 = "MMU fault: write at 0x7f3c2a001008 (read-only) by the SM";
	char buf[256];

	nvsvm_channel_error_format(&e, buf, sizeof(buf));
	if (strcmp(buf, want))
		fail("'%s', want '%s'", buf, want);
	e.reason = 0;	/* from a kernel before uAPI 1.3 */
	nvsvm_channel_error_format(&e, buf, sizeof(buf));
	if (strcmp(buf, want0))
		fail("without a reason: '%s', want '%s'", buf, want0);
	result("svm.error_format");
}

static void test_push_to_exec(void)
{
	uint32_t buf[16];
	struct drm_nvsvm_push out = { 0 };
	struct nvsvm_push p;
	int ret;

	nvsvm_push_init(&p, buf, sizeof(buf));
	ret = nvsvm_push_to_exec(&p, &out);
	if (ret != -EINVAL)
		fail("empty push buffer: %d, want -EINVAL", ret);

	nvsvm_push_sem_release(&p, 0x1000, 1, NVSVM_PUSH_SEM_PAYLOAD_64);
	memset(&out, 0xff, sizeof(out));
	ret = nvsvm_push_to_exec(&p, &out);
	if (ret)
		fail("push_to_exec: %d", ret);
	else if (out.va != (uintptr_t)buf || out.dwords != 6 || out.flags != 0)
		fail("va %#llx dwords %u flags %u, want %p 6 0", (unsigned long long)out.va,
		     out.dwords, out.flags, (void *)buf);

	nvsvm_push_launch(&p, 0x2000, 0x3000, 1, 1);
	nvsvm_push_launch(&p, 0x2000, 0x3000, 1, 1);	/* 6 + 7 + 7 > 16: overflow */
	ret = nvsvm_push_to_exec(&p, &out);
	if (ret != -ENOSPC)
		fail("overflowed push buffer: %d, want -ENOSPC", ret);
	result("svm.push_to_exec");
}

static void test_svm_code(void)
{
	uint64_t *code = NULL;
	size_t count = 0;
	char err[128] = "";
	const uint8_t *b;
	int ret;

	ret = nvsvm_svm_code("s2r r1, param\nexit\n", &code, &count, err, sizeof(err));
	if (ret || count != 2) {
		fail("assembling: %d, %zu words: %s", ret, count, err);
	} else {
		/* s2r r1, param is 0x0000000600000142, exit 0x1: as little-endian bytes. */
		static const uint8_t want[16] = { 0x42, 0x01, 0, 0, 0x06, 0, 0, 0,
						  0x01, 0, 0, 0, 0, 0, 0, 0 };

		b = (const uint8_t *)code;
		if (memcmp(b, want, sizeof(want)))
			fail("the words are not the little-endian encoding");
		if ((uintptr_t)code % 8)
			fail("code at %p is not 8-byte aligned", (void *)code);
	}
	free(code);
	code = (uint64_t *)1;
	ret = nvsvm_svm_code("frobnicate r1\n", &code, &count, err, sizeof(err));
	if (ret != -EINVAL || code || count || !strstr(err, "line 1"))
		fail("bad source: %d, code %p, count %zu, '%s'", ret, (void *)code, count, err);
	result("svm.code");
}

/* A device that reaches no kernel: any ioctl fails with -EBADF. */
static void fake_device(struct nvsvm_device *dev, int major, int minor)
{
	memset(dev, 0, sizeof(*dev));
	dev->fd = -1;
	dev->version_major = major;
	dev->version_minor = minor;
	pthread_mutex_init(&dev->lock, NULL);
}

static void test_svm_needs_uapi_1_3(void)
{
	static const struct {
		int major, minor, svm;
	} cases[] = { { 1, 1, 0 }, { 1, 2, 0 }, { 1, 3, 1 }, { 1, 7, 1 }, { 2, 3, 0 } };
	struct nvsvm_device dev;
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		fake_device(&dev, cases[i].major, cases[i].minor);
		if (nvsvm_svm_supported(&dev) != cases[i].svm)
			fail("uAPI %d.%d: supported %d, want %d", cases[i].major, cases[i].minor,
			     nvsvm_svm_supported(&dev), cases[i].svm);
		ret = nvsvm_svm_init(&dev, 0, 0);
		if (ret != (cases[i].svm ? -EBADF : -EOPNOTSUPP))
			fail("uAPI %d.%d: svm_init %d, want %d", cases[i].major, cases[i].minor,
			     ret, cases[i].svm ? -EBADF : -EOPNOTSUPP);
		pthread_mutex_destroy(&dev.lock);
	}
	result("svm.needs_uapi_1_3");
}

static void test_wait_unsubmitted(void)
{
	struct nvsvm_device dev;
	int ret;

	fake_device(&dev, 1, 3);
	ret = nvsvm_svm_wait(&dev, 1, 1, 0);
	if (ret != -EINVAL)
		fail("a wait on a channel with no job: %d, want -EINVAL", ret);
	ret = nvsvm_svm_wait(&dev, 1, 0, 0);
	if (ret != -EINVAL)
		fail("a wait for seqno 0: %d, want -EINVAL", ret);
	/* The kernel is asked: -EBADF from the fake descriptor. */
	ret = nvsvm_wait_user_fence(&dev, 0x1000, 0, ~0ull, DRM_NVSVM_WAIT_EQ, -1, 0);
	if (ret != -EBADF)
		fail("nvsvm_wait_user_fence: %d, want -EBADF", ret);
	ret = nvsvm_exec_fence(&dev, 1, NULL, 0, NULL, 0, 0x1000, 1, 0);
	if (ret != -EBADF)
		fail("nvsvm_exec_fence: %d, want -EBADF", ret);
	if (dev.nr_chans)
		fail("a failed EXEC left a channel record");
	pthread_mutex_destroy(&dev.lock);
	result("svm.wait_unsubmitted");
}

int main(void)
{
	test_stats_parse();
	test_stats_unknown_keys();
	test_stats_malformed();
	test_stats_last_bucket();
	test_reason_names();
	test_error_format();
	test_push_to_exec();
	test_svm_code();
	test_svm_needs_uapi_1_3();
	test_wait_unsubmitted();
	printf("test_svm: %u passed, %u failed\n", nr_pass, nr_fail);
	return nr_fail ? 1 : 0;
}
