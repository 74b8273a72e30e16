// SPDX-License-Identifier: MIT
/* Copyright 2026 The nvsvm authors */

/*
 * Finding and opening nvsvm GPUs. The devices are found through libdrm's
 * drmGetDevices2() by driver name, the way Mesa finds its devices: each
 * render node is opened and asked for its DRM version.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xf86drm.h>

#include "nvsvm.h"
#include "nvsvm_drm.h"
#include "nvsvm_internal.h"

#define NVSVM_MAX_DRM_DEVICES 64

static int is_nvsvm(int fd)
{
	drmVersionPtr v = drmGetVersion(fd);
	int ret;

	if (!v)
		return 0;
	ret = v->name && strcmp(v->name, "nvsvm") == 0;
	drmFreeVersion(v);
	return ret;
}

static int cmp_node(const void *a, const void *b)
{
	const drmDevicePtr *da = a, *db = b;

	return strcmp((*da)->nodes[DRM_NODE_RENDER], (*db)->nodes[DRM_NODE_RENDER]);
}

/*
 * Walk the render nodes in path order; for the @index'th nvsvm one, hand
 * over its open fd and path. Returns the number of nvsvm nodes seen when
 * @index is negative (a count), 0 on a match, or a negative errno.
 */
static int nvsvm_walk(int index, int *fd_out, char *node, size_t node_size)
{
	drmDevicePtr devs[NVSVM_MAX_DRM_DEVICES];
	drmDevicePtr render[NVSVM_MAX_DRM_DEVICES];
	int n, nr = 0, seen = 0, ret = -ENODEV, i;

	n = drmGetDevices2(0, devs, NVSVM_MAX_DRM_DEVICES);
	if (n == -ENOENT)	/* no /dev/dri at all: no GPU, not an error */
		n = 0;
	if (n < 0)
		return n;
	if (n > NVSVM_MAX_DRM_DEVICES)
		n = NVSVM_MAX_DRM_DEVICES;

	for (i = 0; i < n; i++)
		if (devs[i]->available_nodes & (1 << DRM_NODE_RENDER))
			render[nr++] = devs[i];
	qsort(render, nr, sizeof(render[0]), cmp_node);

	for (i = 0; i < nr; i++) {
		const char *path = render[i]->nodes[DRM_NODE_RENDER];
		int fd = open(path, O_RDWR | O_CLOEXEC);

		if (fd < 0)
			continue;
		if (!is_nvsvm(fd)) {
			close(fd);
			continue;
		}
		if (seen++ == index) {
			*fd_out = fd;
			strncpy(node, path, node_size - 1);
			node[node_size - 1] = '\0';
			ret = 0;
			break;
		}
		close(fd);
	}
	drmFreeDevices(devs, n);
	return index < 0 ? seen : ret;
}

int nvsvm_device_count(void)
{
	return nvsvm_walk(-1, NULL, NULL, 0);
}

int nvsvm_device_open(int index, struct nvsvm_device **out)
{
	struct nvsvm_device *dev;
	drmVersionPtr ver;
	int ret;

	if (index < 0)
		return -EINVAL;
	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return -ENOMEM;
	ret = nvsvm_walk(index, &dev->fd, dev->node, sizeof(dev->node));
	if (ret) {
		free(dev);
		return ret;
	}
	ver = drmGetVersion(dev->fd);
	if (!ver) {
		ret = errno ? -errno : -EIO;
		close(dev->fd);
		free(dev);
		return ret;
	}
	dev->version_major = ver->version_major;
	dev->version_minor = ver->version_minor;
	drmFreeVersion(ver);
	dev->pid = getpid();
	pthread_mutex_init(&dev->lock, NULL);
	*out = dev;
	return 0;
}

void nvsvm_device_close(struct nvsvm_device *dev)
{
	size_t i;

	if (!dev)
		return;
	/*
	 * The channels with a timeline are freed first: closing the file does
	 * not free them while a BO mapping still holds it open, and their jobs
	 * must not write the timelines once they are freed. Not from a child
	 * of fork(): the channels are its parent's, the memory its own copy.
	 */
	for (i = 0; i < dev->nr_chans; i++) {
		struct drm_nvsvm_channel_free args = { .channel = dev->chans[i].channel };

		if (dev->chans[i].timeline && getpid() == dev->pid)
			drmIoctl(dev->fd, DRM_IOCTL_NVSVM_CHANNEL_FREE, &args);
		free(dev->chans[i].timeline);
	}
	close(dev->fd);
	free(dev->chans);
	pthread_mutex_destroy(&dev->lock);
	free(dev);
}

int nvsvm_device_fd(const struct nvsvm_device *dev)
{
	return dev->fd;
}

const char *nvsvm_device_node(const struct nvsvm_device *dev)
{
	return dev->node;
}

int nvsvm_device_get_param(struct nvsvm_device *dev, uint32_t param, uint64_t *value)
{
	struct drm_nvsvm_get_param args = { .param = param };

	if (drmIoctl(dev->fd, DRM_IOCTL_NVSVM_GET_PARAM, &args))
		return -errno;
	*value = args.value;
	return 0;
}

int nvsvm_device_query_info(struct nvsvm_device *dev, struct nvsvm_device_info *info)
{
	static const uint32_t params[] = {
		DRM_NVSVM_PARAM_CHIPSET_ID, DRM_NVSVM_PARAM_VRAM_SIZE,
		DRM_NVSVM_PARAM_SM_COUNT, DRM_NVSVM_PARAM_CE_COUNT,
		DRM_NVSVM_PARAM_VA_BITS, DRM_NVSVM_PARAM_PAGE_SIZES,
	};
	uint64_t v[sizeof(params) / sizeof(params[0])];
	drmVersionPtr ver;
	unsigned int i;
	int ret;

	for (i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
		ret = nvsvm_device_get_param(dev, params[i], &v[i]);
		if (ret)
			return ret;
	}
	ver = drmGetVersion(dev->fd);
	if (!ver)
		return -errno ? -errno : -EIO;

	info->chipset = v[0];
	info->vram_size = v[1];
	info->sm_count = v[2];
	info->ce_count = v[3];
	info->va_bits = v[4];
	info->page_sizes = v[5];
	info->version_major = ver->version_major;
	info->version_minor = ver->version_minor;
	info->version_patchlevel = ver->version_patchlevel;
	drmFreeVersion(ver);
	/* Since uAPI 1.2; 0 from older drivers. */
	if (nvsvm_device_get_param(dev, DRM_NVSVM_PARAM_CHANNEL_COUNT, &v[0]))
		v[0] = 0;
	info->channel_count = v[0];
	/* Since uAPI 1.3, as is SVM. */
	info->svm = info->version_major == 1 && info->version_minor >= 3;
	if (!info->svm ||
	    nvsvm_device_get_param(dev, DRM_NVSVM_PARAM_CHANNELS_PER_FILE, &v[0]))
		v[0] = 0;
	info->channels_per_file = v[0];
	return 0;
}
