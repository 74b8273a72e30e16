// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/sizes.h>

#include "nvsvm_hw.h"
#include "nvsvm_regs.h"
#include "sim/sim.h"

static const struct nvsvm_sim_config sim_id_test_cfg = {
	.vram_mb = 96,
	.sm_count = 3,
	.ce_count = 2,
};

static void sim_destroy_action(void *sim)
{
	nvsvm_sim_destroy(sim);
}

static struct nvsvm_hw *sim_id_test_hw(struct kunit *test,
				       const struct nvsvm_sim_config *cfg)
{
	struct nvsvm_sim *sim = nvsvm_sim_create(cfg, "nvsvm-kunit");

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, sim);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, sim_destroy_action, sim));
	return nvsvm_sim_hw(sim);
}

static void sim_id_registers(struct kunit *test)
{
	struct nvsvm_hw *hw = sim_id_test_hw(test, &sim_id_test_cfg);
	u32 boot0 = nvsvm_hw_rd32(hw, NVSVM_REG_BOOT0);

	KUNIT_EXPECT_EQ(test, FIELD_GET(NVSVM_BOOT0_ARCH, boot0), NVSVM_ARCH_SV10);
	KUNIT_EXPECT_EQ(test, nvsvm_hw_rd32(hw, NVSVM_REG_VRAM_MB), 96);
	KUNIT_EXPECT_EQ(test, nvsvm_hw_rd32(hw, NVSVM_REG_SM_COUNT), 3);
	KUNIT_EXPECT_EQ(test, nvsvm_hw_rd32(hw, NVSVM_REG_CE_COUNT), 2);
	KUNIT_EXPECT_EQ(test, nvsvm_hw_rd32(hw, NVSVM_REG_VA_BITS), 48);
	KUNIT_EXPECT_EQ(test, nvsvm_hw_rd32(hw, NVSVM_REG_PAGE_SIZES), SZ_4K | SZ_2M);
}

static void sim_id_read_only(struct kunit *test)
{
	struct nvsvm_hw *hw = sim_id_test_hw(test, &sim_id_test_cfg);

	nvsvm_hw_wr32(hw, NVSVM_REG_SM_COUNT, 77);
	nvsvm_hw_wr32(hw, NVSVM_REG_VRAM_MB, 0);
	KUNIT_EXPECT_EQ(test, nvsvm_hw_rd32(hw, NVSVM_REG_SM_COUNT), 3);
	KUNIT_EXPECT_EQ(test, nvsvm_hw_rd32(hw, NVSVM_REG_VRAM_MB), 96);
}

static void sim_id_undecoded(struct kunit *test)
{
	struct nvsvm_hw *hw = sim_id_test_hw(test, &sim_id_test_cfg);
	static const u32 regs[] = { 0x000004, 0x000ffc, 0x123454, 0xfffffffc };
	int i;

	for (i = 0; i < ARRAY_SIZE(regs); i++)
		KUNIT_EXPECT_EQ_MSG(test, nvsvm_hw_rd32(hw, regs[i]),
				    NVSVM_REG_BAD_VALUE | (regs[i] & NVSVM_REG_BAD_MASK),
				    "register %#x", regs[i]);
}

static void sim_create_rejects_empty_gpu(struct kunit *test)
{
	struct nvsvm_sim_config cfg = sim_id_test_cfg;

	cfg.sm_count = 0;
	KUNIT_EXPECT_EQ(test, PTR_ERR(nvsvm_sim_create(&cfg, "nvsvm-kunit")), -EINVAL);
	cfg = sim_id_test_cfg;
	cfg.ce_count = 0;
	KUNIT_EXPECT_EQ(test, PTR_ERR(nvsvm_sim_create(&cfg, "nvsvm-kunit")), -EINVAL);
	cfg = sim_id_test_cfg;
	cfg.vram_mb = 0;
	KUNIT_EXPECT_EQ(test, PTR_ERR(nvsvm_sim_create(&cfg, "nvsvm-kunit")), -EINVAL);
	/* No room in the register window for more copy engines. */
	cfg = sim_id_test_cfg;
	cfg.ce_count = NVSVM_CE_MAX_ENGINES + 1;
	KUNIT_EXPECT_EQ(test, PTR_ERR(nvsvm_sim_create(&cfg, "nvsvm-kunit")), -EINVAL);
}

/* As many copy engines as the register window has room for. */
static void sim_id_most_copy_engines(struct kunit *test)
{
	struct nvsvm_sim_config cfg = sim_id_test_cfg;
	struct nvsvm_hw *hw;

	cfg.ce_count = NVSVM_CE_MAX_ENGINES;
	hw = sim_id_test_hw(test, &cfg);
	KUNIT_EXPECT_EQ(test, nvsvm_hw_rd32(hw, NVSVM_REG_CE_COUNT), NVSVM_CE_MAX_ENGINES);
	nvsvm_hw_wr32(hw, NVSVM_REG_CE(NVSVM_CE_MAX_ENGINES - 1, NVSVM_REG_CE_INTR_EN),
		      NVSVM_CE_INTR_ERROR);
	KUNIT_EXPECT_EQ(test, nvsvm_hw_rd32(hw, NVSVM_REG_CE(NVSVM_CE_MAX_ENGINES - 1,
							     NVSVM_REG_CE_INTR_EN)),
			NVSVM_CE_INTR_ERROR);
	KUNIT_EXPECT_EQ(test, nvsvm_hw_rd32(hw, NVSVM_REG_CE(0, NVSVM_REG_CE_INTR_EN)), 0);
}

static struct kunit_case sim_id_cases[] = {
	KUNIT_CASE(sim_id_registers),
	KUNIT_CASE(sim_id_read_only),
	KUNIT_CASE(sim_id_undecoded),
	KUNIT_CASE(sim_create_rejects_empty_gpu),
	KUNIT_CASE(sim_id_most_copy_engines),
	{}
};

static struct kunit_suite sim_id_suite = {
	.name = "nvsvm_sim_id",
	.test_cases = sim_id_cases,
};

kunit_test_suite(sim_id_suite);
