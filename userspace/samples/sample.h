/* SPDX-License-Identifier: MIT */
/* Copyright 2026 The nvsvm authors */

/*
 * What every sample does the same way: timing, failure messages, and
 * opening the GPU. Define NAME (the sample's name, for its messages)
 * before including this.
 */

#ifndef NVSVM_SAMPLE_H
#define NVSVM_SAMPLE_H

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "nvsvm.h"

/* Go on: sample_open() opened the GPU and the sample should run. */
#define SAMPLE_RUN	(-1)

static inline double ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1e3 + (t.tv_nsec - t0->tv_nsec) / 1e6;
}

/* Say that @what failed with the negative errno @err; the exit status. */
static inline int failed(const char *what, int err)
{
	fprintf(stderr, NAME ": FAILED: %s: %s\n", what, strerror(-err));
	return 1;
}

/*
 * Open GPU 0 into *@dev and read *@info. A sample that needs shared
 * virtual memory (@svm) says so and is skipped on a driver older than
 * uAPI 1.3; the others need channels (1.2) and fail without them.
 *
 * Return: SAMPLE_RUN with the GPU open, else the exit status, the GPU
 * closed.
 */
static inline int sample_open(bool svm, struct nvsvm_device **dev,
			      struct nvsvm_device_info *info)
{
	int ret = nvsvm_device_open(0, dev);

	if (ret) {
		fprintf(stderr, NAME ": FAILED: no nvsvm GPU: %s%s\n", strerror(-ret),
			ret == -ENODEV ? " (is the nvsvm module loaded?)" : "");
		return 1;
	}
	ret = nvsvm_device_query_info(*dev, info);
	if (ret) {
		nvsvm_device_close(*dev);
		return failed("querying the GPU", ret);
	}
	if (svm && !info->svm) {
		printf(NAME ": SVM not supported by this driver (uAPI %d.%d): skipped, it needs "
		       "uAPI 1.3\n", info->version_major, info->version_minor);
		nvsvm_device_close(*dev);
		return 0;
	}
	if (info->version_major != 1 || info->version_minor < 2) {
		fprintf(stderr, NAME ": FAILED: driver uAPI %d.%d has no channels (1.2 needed)\n",
			info->version_major, info->version_minor);
		nvsvm_device_close(*dev);
		return 1;
	}
	return SAMPLE_RUN;
}

#endif /* NVSVM_SAMPLE_H */
