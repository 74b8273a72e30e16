// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

#include <kunit/device.h>
#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/module.h>
#include <linux/sizes.h>

#include "nvsvm_device.h"
#include "nvsvm_drm.h"
#include "nvsvm_hw.h"
#include "nvsvm_regs.h"
#include "sim/sim.h"

/*
 * A register file the test controls, to feed the identity check what no
 * emulated GPU would say.
 */
struct fake_hw {
	struct nvsvm_hw hw;
	u32 regs[0x34 / 4];
};

static u32 fake_rd32(struct nvsvm_hw *hw, u32 reg)
{
	struct fake_hw *f = container_of(hw, struct fake_hw, hw);

	return reg / 4 < ARRAY_SIZE(f->regs) ? f->regs[reg / 4] : NVSVM_REG_BAD_VALUE;
}

static void fake_wr32(struct nvsvm_hw *hw, u32 reg, u32 val)
{
}

static const struct nvsvm_hw_ops fake_ops = { .rd32 = fake_rd32, .wr32 = fake_wr32 };

static struct fake_hw *fake_hw_good(struct kunit *test)
{
	struct fake_hw *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	f->hw.ops = &fake_ops;
	f->regs[NVSVM_REG_BOOT0 / 4] = FIELD_PREP(NVSVM_BOOT0_ARCH, NVSVM_ARCH_SV10) | 7;
	f->regs[NVSVM_REG_VRAM_MB / 4] = 5000;
	f->regs[NVSVM_REG_SM_COUNT / 4] = 4;
	f->regs[NVSVM_REG_CE_COUNT / 4] = 1;
	f->regs[NVSVM_REG_VA_BITS / 4] = 48;
	f->regs[NVSVM_REG_PAGE_SIZES / 4] = SZ_4K | SZ_2M;
	f->regs[NVSVM_REG_CHAN_COUNT / 4] = 64;
	return f;
}

static struct device *test_dev(struct kunit *test)
{
	struct device *dev = kunit_device_register(test, "nvsvm-device-test");

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);
	return dev;
}

static void info_read_good(struct kunit *test)
{
	struct fake_hw *f = fake_hw_good(test);
	struct nvsvm_device_info info;

	KUNIT_ASSERT_EQ(test, nvsvm_device_info_read(&f->hw, test_dev(test), &info), 0);
	KUNIT_EXPECT_EQ(test, info.chipset, f->regs[0]);
	/* 5000 MiB does not fit 32 bits in bytes: the size must not wrap. */
	KUNIT_EXPECT_EQ(test, info.vram_size, 5000ULL * SZ_1M);
	KUNIT_EXPECT_EQ(test, info.sm_count, 4);
	KUNIT_EXPECT_EQ(test, info.ce_count, 1);
	KUNIT_EXPECT_EQ(test, info.va_bits, 48);
	KUNIT_EXPECT_EQ(test, info.page_sizes, SZ_4K | SZ_2M);
	KUNIT_EXPECT_EQ(test, info.chan_count, 64);
}

static void info_read_from_sim(struct kunit *test)
{
	struct nvsvm_sim_config cfg = { .vram_mb = 64, .sm_count = 2, .ce_count = 1 };
	struct nvsvm_sim *sim = nvsvm_sim_create(&cfg, "nvsvm-kunit");
	struct nvsvm_device_info info;
	int ret;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, sim);
	ret = nvsvm_device_info_read(nvsvm_sim_hw(sim), test_dev(test), &info);
	nvsvm_sim_destroy(sim);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, info.vram_size, 64ULL * SZ_1M);
	KUNIT_EXPECT_EQ(test, info.sm_count, 2);
}

struct bad_identity {
	const char *what;
	u32 reg;
	u32 val;
};

static const struct bad_identity bad_identities[] = {
	{ "unknown architecture", NVSVM_REG_BOOT0, 0x123u << 20 },
	{ "no hardware", NVSVM_REG_BOOT0, 0xffffffff },
	{ "no VRAM", NVSVM_REG_VRAM_MB, 0 },
	{ "no SM", NVSVM_REG_SM_COUNT, 0 },
	{ "no copy engine", NVSVM_REG_CE_COUNT, 0 },
	{ "VA width not the CPU's", NVSVM_REG_VA_BITS, 40 },
	{ "no 4 KiB pages", NVSVM_REG_PAGE_SIZES, SZ_2M },
	{ "no channel", NVSVM_REG_CHAN_COUNT, 0 },
	{ "more channels than registers", NVSVM_REG_CHAN_COUNT, NVSVM_MAX_CHANNELS + 1 },
};

static void bad_identity_desc(const struct bad_identity *b, char *desc)
{
	strscpy(desc, b->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(bad_identity, bad_identities, bad_identity_desc);

static void info_read_rejects(struct kunit *test)
{
	const struct bad_identity *b = test->param_value;
	struct fake_hw *f = fake_hw_good(test);
	struct nvsvm_device_info info;

	f->regs[b->reg / 4] = b->val;
	KUNIT_EXPECT_EQ(test, nvsvm_device_info_read(&f->hw, test_dev(test), &info), -ENODEV);
}

static void get_param_answers(struct kunit *test)
{
	const struct nvsvm_device_info info = {
		.chipset = 0x51000001, .vram_size = 3ULL << 32, .sm_count = 6,
		.ce_count = 2, .va_bits = 48, .page_sizes = SZ_4K | SZ_2M,
		.chan_count = 17,
	};
	static const u32 params[] = {
		DRM_NVSVM_PARAM_CHIPSET_ID, DRM_NVSVM_PARAM_VRAM_SIZE,
		DRM_NVSVM_PARAM_SM_COUNT, DRM_NVSVM_PARAM_CE_COUNT,
		DRM_NVSVM_PARAM_VA_BITS, DRM_NVSVM_PARAM_PAGE_SIZES,
		DRM_NVSVM_PARAM_CHANNEL_COUNT,
	};
	const u64 expect[] = { 0x51000001, 3ULL << 32, 6, 2, 48, SZ_4K | SZ_2M, 17 };
	int i;

	for (i = 0; i < ARRAY_SIZE(params); i++) {
		u64 value = ~0ULL;

		KUNIT_EXPECT_EQ(test, nvsvm_device_get_param(&info, params[i], &value), 0);
		KUNIT_EXPECT_EQ_MSG(test, value, expect[i], "param %u", params[i]);
	}
}

static void get_param_rejects_unknown(struct kunit *test)
{
	const struct nvsvm_device_info info = {};
	static const u32 params[] = { 0, DRM_NVSVM_PARAM_CHANNEL_COUNT + 1, 0x80000000, U32_MAX };
	int i;

	for (i = 0; i < ARRAY_SIZE(params); i++) {
		u64 value = 42;

		KUNIT_EXPECT_EQ(test, nvsvm_device_get_param(&info, params[i], &value), -EINVAL);
		KUNIT_EXPECT_EQ(test, value, 42);
	}
}

static struct kunit_case nvsvm_device_cases[] = {
	KUNIT_CASE(info_read_good),
	KUNIT_CASE(info_read_from_sim),
	KUNIT_CASE_PARAM(info_read_rejects, bad_identity_gen_params),
	KUNIT_CASE(get_param_answers),
	KUNIT_CASE(get_param_rejects_unknown),
	{}
};

static struct kunit_suite nvsvm_device_suite = {
	.name = "nvsvm_device",
	.test_cases = nvsvm_device_cases,
};

kunit_test_suite(nvsvm_device_suite);

MODULE_DESCRIPTION("KUnit tests for nvsvm");
MODULE_LICENSE("Dual MIT/GPL");
/*
 * MODULE_IMPORT_NS() takes an identifier up to Linux 6.12 and a string
 * after; MODULE_INFO() is spelled the same in both.
 */
MODULE_INFO(import_ns, "EXPORTED_FOR_KUNIT_TESTING");
