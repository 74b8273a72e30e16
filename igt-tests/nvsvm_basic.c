// SPDX-License-Identifier: MIT
/* Copyright 2026 The nvsvm authors */

/*
 * nvsvm_basic: the device is found by driver name, GET_PARAM answers what
 * the module was loaded with, and every malformed GET_PARAM gets its errno.
 */

#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xf86drm.h>

#include "nvsvm_igt.h"

static int get_param(int fd, struct drm_nvsvm_get_param *args)
{
	return nvsvm_igt_ioctl(fd, DRM_IOCTL_NVSVM_GET_PARAM, args);
}

static uint64_t param(int fd, uint32_t p)
{
	struct drm_nvsvm_get_param args = { .param = p };

	igt_assert_eq(get_param(fd, &args), 0);
	return args.value;
}

/* Fixture state lives outside main: subtests longjmp out of its frame. */
static struct nvsvm_device *dev;
static int fd = -1;

igt_main
{
	igt_fixture {
		dev = nvsvm_igt_open(0);
		fd = nvsvm_device_fd(dev);
	}

	igt_describe("Every GPU the module plugged in has an nvsvm render node, found by driver name.");
	igt_subtest("render-node-per-gpu") {
		unsigned long gpus = nvsvm_igt_module_param("num_gpus");
		struct nvsvm_device *last;

		igt_assert_eq(nvsvm_device_count(), gpus);
		last = nvsvm_igt_open(gpus - 1);
		igt_assert(strncmp(nvsvm_device_node(last), "/dev/dri/renderD", 16) == 0);
		nvsvm_device_close(last);
		igt_assert_eq(nvsvm_device_open(gpus, &last), -ENODEV);
	}

	igt_describe("The DRM version ioctl names the driver and its uAPI version.");
	igt_subtest("version") {
		drmVersionPtr v = drmGetVersion(fd);

		igt_assert(v);
		igt_assert(strcmp(v->name, "nvsvm") == 0);
		igt_assert_eq(v->version_major, 1);
		igt_assert_lte(0, v->version_minor);
		drmFreeVersion(v);
	}

	igt_describe("GET_PARAM reports the GPU the module parameters describe.");
	igt_subtest("get-param") {
		unsigned long sms = nvsvm_igt_module_param("num_sms");

		igt_assert_eq(param(fd, DRM_NVSVM_PARAM_CHIPSET_ID) >> 20, 0x510);
		igt_assert_eq_u64(param(fd, DRM_NVSVM_PARAM_VRAM_SIZE),
				  (uint64_t)nvsvm_igt_module_param("vram_mb") << 20);
		if (sms)
			igt_assert_eq(param(fd, DRM_NVSVM_PARAM_SM_COUNT), sms);
		else
			igt_assert_lte(1, param(fd, DRM_NVSVM_PARAM_SM_COUNT));
		igt_assert_lte(1, param(fd, DRM_NVSVM_PARAM_CE_COUNT));
		igt_assert_eq(param(fd, DRM_NVSVM_PARAM_VA_BITS), 48);
		igt_assert_eq_u64(param(fd, DRM_NVSVM_PARAM_PAGE_SIZES), 4096 | (2 << 20));
		/* The emulated GPU has 64 hardware channels, 16 a file. */
		igt_assert_eq(param(fd, DRM_NVSVM_PARAM_CHANNEL_COUNT), 64);
		igt_assert_eq(param(fd, DRM_NVSVM_PARAM_CHANNELS_PER_FILE), 16);
	}

	igt_describe("The driver reports uAPI 1.3, all of which it implements, and answers 1.3's PARAM_CHANNELS_PER_FILE.");
	igt_subtest("version-minor") {
		drmVersionPtr v = drmGetVersion(fd);

		igt_assert(v);
		igt_assert_eq(v->version_minor, 3);
		drmFreeVersion(v);
		igt_assert_lte(1, param(fd, DRM_NVSVM_PARAM_CHANNELS_PER_FILE));
	}

	igt_describe("libnvsvm's info query agrees with the raw ioctl.");
	igt_subtest("query-info") {
		struct nvsvm_device_info info;

		igt_assert_eq(nvsvm_device_query_info(dev, &info), 0);
		igt_assert_eq_u64(info.vram_size, param(fd, DRM_NVSVM_PARAM_VRAM_SIZE));
		igt_assert_eq(info.sm_count, param(fd, DRM_NVSVM_PARAM_SM_COUNT));
		igt_assert_eq(info.channel_count, param(fd, DRM_NVSVM_PARAM_CHANNEL_COUNT));
		igt_assert_eq(info.version_major, 1);
	}

	igt_describe("An unknown parameter, including the never-valid 0, is -EINVAL.");
	igt_subtest("get-param-invalid-param") {
		static const uint32_t bad[] = {
			0, DRM_NVSVM_PARAM_CHANNELS_PER_FILE + 1, 0x80000000u, 0xffffffffu,
		};
		unsigned int i;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			struct drm_nvsvm_get_param args = { .param = bad[i] };

			igt_assert_eq(get_param(fd, &args), -EINVAL);
		}
	}

	igt_describe("GET_PARAM defines no flags: any flag is -EINVAL.");
	igt_subtest("get-param-invalid-flags") {
		static const uint32_t bad[] = { 1, 0x80000000u, 0xffffffffu };
		unsigned int i;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			struct drm_nvsvm_get_param args = {
				.param = DRM_NVSVM_PARAM_VA_BITS, .flags = bad[i],
			};

			igt_assert_eq(get_param(fd, &args), -EINVAL);
		}
	}

	igt_describe("A non-zero pad is -EINVAL.");
	igt_subtest("get-param-invalid-pad") {
		static const uint64_t bad[] = { 1, 1ull << 63, ~0ull };
		unsigned int i;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			struct drm_nvsvm_get_param args = {
				.param = DRM_NVSVM_PARAM_VA_BITS, .pad = bad[i],
			};

			igt_assert_eq(get_param(fd, &args), -EINVAL);
		}
	}

	igt_describe("An argument that cannot be read or written back is -EFAULT.");
	igt_subtest("get-param-invalid-pointer") {
		struct drm_nvsvm_get_param args = { .param = DRM_NVSVM_PARAM_VA_BITS };

		nvsvm_igt_assert_unreadable_arg(fd, DRM_IOCTL_NVSVM_GET_PARAM);
		nvsvm_igt_assert_unwritable_arg(fd, DRM_IOCTL_NVSVM_GET_PARAM,
						&args, sizeof(args));
	}

	igt_describe("An ioctl number the driver does not define is -EINVAL.");
	igt_subtest("invalid-ioctl") {
		/* The first number after the last ioctl the uAPI defines. */
		const unsigned int first_undefined = DRM_NVSVM_CHANNEL_GET_ERROR + 1;
		struct drm_nvsvm_get_param args = { .param = DRM_NVSVM_PARAM_VA_BITS };

		igt_assert_eq(nvsvm_igt_ioctl(fd, DRM_IOWR(DRM_COMMAND_BASE + first_undefined,
							   struct drm_nvsvm_get_param), &args),
			      -EINVAL);
		igt_assert_eq(nvsvm_igt_ioctl(fd, DRM_IOWR(DRM_COMMAND_END - 1,
							   struct drm_nvsvm_get_param), &args),
			      -EINVAL);
	}

	igt_fixture {
		nvsvm_device_close(dev);
	}
}
