// SPDX-License-Identifier: MIT
/* Copyright 2026 The nvsvm authors */

/*
 * nvsvm_module: unplug and unload while userspace holds the device.
 *
 * An open file pins the driver module: unloading it is refused and the file
 * keeps working. Unbinding a GPU under an open file turns its ioctls into
 * -ENODEV and the file can still be closed. The emulator (nvsvm_sim) is
 * the hardware: unloading it under an open file is a hot unplug, which the
 * driver survives the same way. With every file closed the driver unloads
 * and loads again (from $NVSVM_MODULE, with $NVSVM_MODULE_PARAMS), and so
 * does the emulator ($NVSVM_SIM_MODULE, $NVSVM_SIM_PARAMS).
 */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "nvsvm_igt.h"

static int delete_module(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK) ? -errno : 0;
}

static int load_module(const char *path_env, const char *params_env)
{
	const char *path = getenv(path_env);
	const char *params = getenv(params_env);
	int fd, ret;

	igt_assert_f(path, "%s must name the module\n", path_env);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	igt_assert_f(fd >= 0, "cannot open %s: %s\n", path, strerror(errno));
	ret = syscall(SYS_finit_module, fd, params ? params : "", 0) ? -errno : 0;
	close(fd);
	return ret;
}

static int sysfs_write(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	int ret;

	if (fd < 0)
		return -errno;
	ret = write(fd, s, strlen(s)) == (ssize_t)strlen(s) ? 0 : -errno;
	close(fd);
	return ret;
}

static bool module_loaded(const char *name)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/sys/module/%s", name);
	return stat(path, &st) == 0;
}

static int get_param(int fd, uint32_t p, uint64_t *value)
{
	struct drm_nvsvm_get_param args = { .param = p };
	int ret = nvsvm_igt_ioctl(fd, DRM_IOCTL_NVSVM_GET_PARAM, &args);

	*value = args.value;
	return ret;
}

#define DRIVER_DIR "/sys/bus/platform/drivers/nvsvm"

igt_main
{
	igt_describe("While a file is open the module cannot be unloaded, and the file keeps working.");
	igt_subtest("unload-busy") {
		struct nvsvm_device *dev = nvsvm_igt_open(0);
		uint64_t v;

		igt_assert_eq(delete_module("nvsvm"), -EWOULDBLOCK);
		igt_assert(module_loaded("nvsvm"));
		igt_assert_eq(get_param(nvsvm_device_fd(dev), DRM_NVSVM_PARAM_VA_BITS, &v), 0);
		igt_assert_eq(v, 48);
		nvsvm_device_close(dev);
	}

	igt_describe("Unbinding a GPU under an open file: ioctls get -ENODEV, close works, rebinding brings it back.");
	igt_subtest("unbind-with-open-file") {
		struct nvsvm_device *dev = nvsvm_igt_open(0);
		int fd = nvsvm_device_fd(dev);
		uint64_t v;

		igt_assert_eq(sysfs_write(DRIVER_DIR "/unbind", "nvsvm-gpu0"), 0);
		igt_assert_eq(get_param(fd, DRM_NVSVM_PARAM_VA_BITS, &v), -ENODEV);
		igt_assert_eq(delete_module("nvsvm"), -EWOULDBLOCK);
		nvsvm_device_close(dev);

		igt_assert_eq(sysfs_write(DRIVER_DIR "/bind", "nvsvm-gpu0"), 0);
		dev = nvsvm_igt_open(0);
		igt_assert_eq(get_param(nvsvm_device_fd(dev), DRM_NVSVM_PARAM_VA_BITS, &v), 0);
		igt_assert_eq(v, 48);
		nvsvm_device_close(dev);
	}

	igt_describe("Unloading the emulator under an open file is a hot unplug: ioctls get -ENODEV, close works, the GPUs come back with it.");
	igt_subtest("hot-unplug-with-open-file") {
		int before = nvsvm_device_count();
		struct nvsvm_device *dev = nvsvm_igt_open(0);
		int fd = nvsvm_device_fd(dev);
		uint32_t ch;
		uint64_t v;

		/* A channel too: its teardown must not reach the gone GPU. */
		igt_assert_eq(nvsvm_channel_alloc(dev, &ch), 0);
		igt_assert_eq(delete_module("nvsvm_sim"), 0);
		igt_assert(!module_loaded("nvsvm_sim"));
		igt_assert_eq(get_param(fd, DRM_NVSVM_PARAM_VA_BITS, &v), -ENODEV);
		nvsvm_device_close(dev);
		igt_assert_eq(nvsvm_device_count(), 0);

		igt_assert_eq(load_module("NVSVM_SIM_MODULE", "NVSVM_SIM_PARAMS"), 0);
		igt_assert_eq(nvsvm_device_count(), before);
		dev = nvsvm_igt_open(0);
		igt_assert_eq(get_param(nvsvm_device_fd(dev), DRM_NVSVM_PARAM_VA_BITS, &v), 0);
		igt_assert_eq(v, 48);
		nvsvm_device_close(dev);
	}

	igt_describe("With no file open the driver unloads, loads again, and binds the GPUs again.");
	igt_subtest("unload-reload") {
		int before = nvsvm_device_count();
		struct nvsvm_device *dev;
		uint64_t v;

		igt_assert_lte(1, before);
		igt_assert_eq(delete_module("nvsvm"), 0);
		igt_assert(!module_loaded("nvsvm"));
		igt_assert(module_loaded("nvsvm_sim"));
		igt_assert_eq(nvsvm_device_count(), 0);

		igt_assert_eq(load_module("NVSVM_MODULE", "NVSVM_MODULE_PARAMS"), 0);
		igt_assert_eq(nvsvm_device_count(), before);
		dev = nvsvm_igt_open(0);
		igt_assert_eq(get_param(nvsvm_device_fd(dev), DRM_NVSVM_PARAM_VA_BITS, &v), 0);
		nvsvm_device_close(dev);
	}
}
