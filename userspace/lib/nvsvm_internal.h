/* SPDX-License-Identifier: MIT */
/* Copyright 2026 The nvsvm authors */
#ifndef NVSVM_INTERNAL_H
#define NVSVM_INTERNAL_H

/*
 * What the parts of libnvsvm share and its users do not see: the device
 * behind the opaque struct nvsvm_device.
 */

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "nvsvm.h"

/*
 * What the library remembers of a channel in fault mode, so that it can
 * wait for room in the channel's ring (nvsvm_svm.c).
 */
struct nvsvm_chan_state {
	uint32_t channel;
	/* The last user fence submitted on it; fence_va 0: none yet. */
	uint64_t fence_va;
	uint64_t fence_value;
	/*
	 * The channel's timeline for nvsvm_svm_submit(): a word of process
	 * memory the jobs write their sequence numbers to (NULL until the
	 * first such job), and the last number handed out.
	 */
	uint64_t *timeline;
	uint64_t seqno;
};

struct nvsvm_device {
	int fd;
	char node[64];
	/* The process that opened it. */
	pid_t pid;
	/* The driver's uAPI version, read at open. */
	int version_major;
	int version_minor;
	/* Protects chans, nr_chans and cap_chans. */
	pthread_mutex_t lock;
	struct nvsvm_chan_state *chans;
	size_t nr_chans;
	size_t cap_chans;
};

/* Forget what the library knows of @channel (it was freed). */
void nvsvm_chan_state_drop(struct nvsvm_device *dev, uint32_t channel);

#endif /* NVSVM_INTERNAL_H */
