/* SPDX-License-Identifier: MIT */
/* Copyright 2026 The nvsvm authors */
#ifndef NVSVM_H
#define NVSVM_H

/*
 * libnvsvm: userspace side of the nvsvm DRM driver.
 *
 * Every function that can fail returns 0 or a negative errno.
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct nvsvm_device;

/** Identity of a GPU, from GET_PARAM. */
struct nvsvm_device_info {
	uint32_t chipset;	/* architecture << 20 | implementation */
	uint64_t vram_size;	/* bytes */
	uint32_t sm_count;
	uint32_t ce_count;
	uint32_t va_bits;
	uint32_t page_sizes;	/* bit N: pages of 1 << N bytes */
	int version_major;	/* of the driver's uAPI */
	int version_minor;
	int version_patchlevel;
};

/* Number of nvsvm GPUs (render nodes) on the system, or a negative errno. */
int nvsvm_device_count(void);

/*
 * Open the nvsvm GPU @index (0-based, in render-node order).
 * -ENODEV if there is no such GPU.
 */
int nvsvm_device_open(int index, struct nvsvm_device **out);
void nvsvm_device_close(struct nvsvm_device *dev);

/* The open render node's file descriptor and path. */
int nvsvm_device_fd(const struct nvsvm_device *dev);
const char *nvsvm_device_node(const struct nvsvm_device *dev);

/* One DRM_NVSVM_PARAM_* value. */
int nvsvm_device_get_param(struct nvsvm_device *dev, uint32_t param, uint64_t *value);

/* All of them, and the driver's version. */
int nvsvm_device_query_info(struct nvsvm_device *dev, struct nvsvm_device_info *info);

#ifdef __cplusplus
}
#endif

#endif /* NVSVM_H */
