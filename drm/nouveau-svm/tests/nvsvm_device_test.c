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
		DRM_NVSVM_PARAM_CHANNEL_COUNT, DRM_NVSVM_PARAM_CHANNELS_PER_FILE,
	};
	/* A quarter of the channels per file, rounded down. */
	const u64 expect[] = { 0x51000001, 3ULL << 32, 6, 2, 48, SZ_4K | SZ_2M, 17, 4 };
	int i;

	for (i = 0; i < ARRAY_SIZE(params); i++) {
		u64 value = ~0ULL;

		KUNIT_EXPECT_EQ(test, nvsvm_device_get_param(&info, params[i], &value), 0);
		KUNIT_EXPECT_EQ_MSG(test, value, expect[i], "param %u", params[i]);
	}
}

static void get_param_channels_per_file_at_least_one(struct kunit *test)
{
	struct nvsvm_device_info info = { .chan_count = 3 };
	u64 value = 0;

	KUNIT_EXPECT_EQ(test, nvsvm_device_get_param(&info, DRM_NVSVM_PARAM_CHANNELS_PER_FILE,
						     &value), 0);
	KUNIT_EXPECT_EQ(test, value, 1);
	info.chan_count = 64;
	KUNIT_EXPECT_EQ(test, nvsvm_device_get_param(&info, DRM_NVSVM_PARAM_CHANNELS_PER_FILE,
						     &value), 0);
	KUNIT_EXPECT_EQ(test, value, 16);
}

static void get_param_rejects_unknown(struct kunit *test)
{
	const struct nvsvm_device_info info = {};
	static const u32 params[] = {
		0, DRM_NVSVM_PARAM_CHANNELS_PER_FILE + 1, 0x80000000, U32_MAX,
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(params); i++) {
		u64 value = 42;

		KUNIT_EXPECT_EQ(test, nvsvm_device_get_param(&info, params[i], &value), -EINVAL);
		KUNIT_EXPECT_EQ(test, value, 42);
	}
}

/*
 * An MMU invalidate block the test controls: PENDING reads 1 for a number
 * of STATUS reads after a trigger (or forever), and every write made while
 * an invalidate is pending is counted, since the contract forbids them.
 */
struct fake_mmu {
	struct nvsvm_hw hw;
	u32 regs[6];		/* PDB_LO .. SIZE_HI */
	unsigned int triggers;
	unsigned int writes_while_pending;
	/* STATUS reads left that report PENDING; UINT_MAX: forever. */
	unsigned int pending_reads;
	/* What a trigger sets pending_reads to. */
	unsigned int busy_reads;
};

static u32 fake_mmu_rd32(struct nvsvm_hw *hw, u32 reg)
{
	struct fake_mmu *f = container_of(hw, struct fake_mmu, hw);

	if (reg == NVSVM_REG_MMU_INV_STATUS) {
		if (!f->pending_reads)
			return 0;
		if (f->pending_reads != UINT_MAX)
			f->pending_reads--;
		return NVSVM_MMU_INV_STATUS_PENDING;
	}
	if (reg >= NVSVM_REG_MMU_INV_PDB_LO && reg <= NVSVM_REG_MMU_INV_SIZE_HI)
		return f->regs[(reg - NVSVM_REG_MMU_INV_PDB_LO) / 4];
	return NVSVM_REG_BAD_VALUE;
}

static void fake_mmu_wr32(struct nvsvm_hw *hw, u32 reg, u32 val)
{
	struct fake_mmu *f = container_of(hw, struct fake_mmu, hw);

	if (f->pending_reads)
		f->writes_while_pending++;
	if (reg >= NVSVM_REG_MMU_INV_PDB_LO && reg <= NVSVM_REG_MMU_INV_SIZE_HI)
		f->regs[(reg - NVSVM_REG_MMU_INV_PDB_LO) / 4] = val;
	if (reg == NVSVM_REG_MMU_INV_TRIGGER) {
		f->triggers++;
		f->pending_reads = f->busy_reads;
	}
}

static const struct nvsvm_hw_ops fake_mmu_ops = { .rd32 = fake_mmu_rd32, .wr32 = fake_mmu_wr32 };

/* A device as far as the invalidate sequence needs one. */
static struct nvsvm_device *fake_mmu_device(struct kunit *test, struct fake_mmu **fp)
{
	struct nvsvm_device *ndev = kunit_kzalloc(test, sizeof(*ndev), GFP_KERNEL);
	struct fake_mmu *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, ndev);
	KUNIT_ASSERT_NOT_NULL(test, f);
	f->hw.ops = &fake_mmu_ops;
	ndev->hw = &f->hw;
	mutex_init(&ndev->mmu_lock);
	*fp = f;
	return ndev;
}

static void mmu_invalidate_polls(struct kunit *test)
{
	struct fake_mmu *f;
	struct nvsvm_device *ndev = fake_mmu_device(test, &f);
	const u64 pdb = 0x123456789000ULL, va = 0x7f0000200000ULL, size = 3 * SZ_2M;

	f->busy_reads = 5;
	KUNIT_EXPECT_EQ(test, nvsvm_device_mmu_invalidate(ndev, pdb, va, size, true), 0);
	KUNIT_EXPECT_EQ(test, f->triggers, 1);
	/* Polled until PENDING cleared, not merely triggered. */
	KUNIT_EXPECT_EQ(test, f->pending_reads, 0);
	KUNIT_EXPECT_EQ(test, f->regs[0], lower_32_bits(pdb) | NVSVM_ADDR_LO_SYSMEM);
	KUNIT_EXPECT_EQ(test, f->regs[1], upper_32_bits(pdb));
	KUNIT_EXPECT_EQ(test, f->regs[2], lower_32_bits(va));
	KUNIT_EXPECT_EQ(test, f->regs[3], upper_32_bits(va));
	KUNIT_EXPECT_EQ(test, f->regs[4], lower_32_bits(size));
	KUNIT_EXPECT_EQ(test, f->regs[5], upper_32_bits(size));
	KUNIT_EXPECT_EQ(test, f->writes_while_pending, 0);
}

static void mmu_invalidate_waits_for_previous(struct kunit *test)
{
	struct fake_mmu *f;
	struct nvsvm_device *ndev = fake_mmu_device(test, &f);

	/* One is still pending: wait, then write the registers. */
	f->pending_reads = 7;
	f->busy_reads = 2;
	KUNIT_EXPECT_EQ(test, nvsvm_device_mmu_invalidate(ndev, SZ_4K, 0, 0, true), 0);
	KUNIT_EXPECT_EQ(test, f->triggers, 1);
	KUNIT_EXPECT_EQ(test, f->writes_while_pending, 0);
	KUNIT_EXPECT_EQ(test, f->pending_reads, 0);
}

static void mmu_invalidate_stuck(struct kunit *test)
{
	struct fake_mmu *f;
	struct nvsvm_device *ndev = fake_mmu_device(test, &f);

	/* It never completes: a bounded wait, then -ETIMEDOUT. */
	f->busy_reads = UINT_MAX;
	KUNIT_EXPECT_EQ(test, nvsvm_device_mmu_invalidate(ndev, SZ_4K, 0, 0, true), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, f->triggers, 1);
	/* The next one waits for it, in vain, and triggers nothing. */
	KUNIT_EXPECT_EQ(test, nvsvm_device_mmu_invalidate(ndev, SZ_4K, 0, 0, true), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, f->triggers, 1);
	KUNIT_EXPECT_EQ(test, f->writes_while_pending, 0);
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&ndev->mmu_lock));
}

static void mmu_invalidate_nonblocking(struct kunit *test)
{
	struct fake_mmu *f;
	struct nvsvm_device *ndev = fake_mmu_device(test, &f);

	/* Completing within the short busy-wait: done. */
	f->busy_reads = 3;
	KUNIT_EXPECT_EQ(test, nvsvm_device_mmu_invalidate(ndev, SZ_4K, 0, 0, false), 0);
	KUNIT_EXPECT_EQ(test, f->triggers, 1);

	/* Not completing: -EAGAIN, for the caller to retry blocking. */
	f->busy_reads = UINT_MAX;
	KUNIT_EXPECT_EQ(test, nvsvm_device_mmu_invalidate(ndev, SZ_4K, 0, 0, false), -EAGAIN);
	KUNIT_EXPECT_EQ(test, f->triggers, 2);
	/* A previous one pending: -EAGAIN without touching the registers. */
	KUNIT_EXPECT_EQ(test, nvsvm_device_mmu_invalidate(ndev, SZ_4K, 0, 0, false), -EAGAIN);
	KUNIT_EXPECT_EQ(test, f->triggers, 2);
	KUNIT_EXPECT_EQ(test, f->writes_while_pending, 0);

	/* The lock taken by someone else: -EAGAIN, not a wait. */
	f->pending_reads = 0;
	mutex_lock(&ndev->mmu_lock);
	KUNIT_EXPECT_EQ(test, nvsvm_device_mmu_invalidate(ndev, SZ_4K, 0, 0, false), -EAGAIN);
	mutex_unlock(&ndev->mmu_lock);
	KUNIT_EXPECT_EQ(test, f->triggers, 2);
}

static void mmu_invalidate_unplugged(struct kunit *test)
{
	struct fake_mmu *f;
	struct nvsvm_device *ndev = fake_mmu_device(test, &f);

	/* The driver no longer owns the GPU: it touches nothing. */
	ndev->base.unplugged = true;
	f->busy_reads = UINT_MAX;
	KUNIT_EXPECT_EQ(test, nvsvm_device_mmu_invalidate(ndev, SZ_4K, 0, 0, true), 0);
	KUNIT_EXPECT_EQ(test, f->triggers, 0);
}

static struct kunit_case nvsvm_device_cases[] = {
	KUNIT_CASE(info_read_good),
	KUNIT_CASE(info_read_from_sim),
	KUNIT_CASE_PARAM(info_read_rejects, bad_identity_gen_params),
	KUNIT_CASE(get_param_answers),
	KUNIT_CASE(get_param_channels_per_file_at_least_one),
	KUNIT_CASE(get_param_rejects_unknown),
	KUNIT_CASE(mmu_invalidate_polls),
	KUNIT_CASE(mmu_invalidate_waits_for_previous),
	KUNIT_CASE_SLOW(mmu_invalidate_stuck),
	KUNIT_CASE(mmu_invalidate_nonblocking),
	KUNIT_CASE(mmu_invalidate_unplugged),
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
