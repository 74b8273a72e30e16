// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

/*
 * The SMs end to end, driven through the registers (sim_test_gpu.h):
 * 32-lane warps that diverge and reconverge, faults of some lanes of a
 * warp (one fault-buffer entry per page, one replay), VRAM that cannot be
 * backed, and a watchdog that does not count time stalled on faults.
 */

#include "sim_test_gpu.h"

/* A ring for a whole warp's faults, and some: 64 entries at T_FAULTBUF. */
#define T_RING		64
/* VRAM that test_gpu_create() leaves alone, for pages mapped by the tests. */
#define T_SPARE_PA	0x800000ULL

static int sm_test_init(struct kunit *test)
{
	struct test_gpu *t = test_gpu_create(test, 2);

	wr(t, NVSVM_REG_FAULT_BUF_SIZE, T_RING);
	test->priv = t;
	return 0;
}

static void sm_test_exit(struct kunit *test)
{
	test_gpu_destroy(test->priv);
}

struct fault_entry {
	u64 va;
	u32 info;
};

static void read_fault(struct kunit *test, struct test_gpu *t, unsigned int i,
		       struct fault_entry *e)
{
	e->va = vram_r64(test, t, T_FAULTBUF + i * NVSVM_FAULT_ENTRY_SIZE);
	e->info = (u32)vram_r64(test, t, T_FAULTBUF + i * NVSVM_FAULT_ENTRY_SIZE + 16);
}

/* Wait until the GPU has written @n fault entries; then that no more come. */
static void wait_faults(struct kunit *test, struct test_gpu *t, u32 n)
{
	unsigned long timeout = jiffies + 5 * HZ;

	while (rd(t, NVSVM_REG_FAULT_BUF_PUT) < n && time_before(jiffies, timeout))
		usleep_range(500, 1000);
	KUNIT_ASSERT_EQ(test, rd(t, NVSVM_REG_FAULT_BUF_PUT), n);
	msleep(50);
	KUNIT_ASSERT_EQ(test, rd(t, NVSVM_REG_FAULT_BUF_PUT), n);
}

static void replay(struct test_gpu *t)
{
	wr(t, NVSVM_REG_FAULT_BUF_GET, rd(t, NVSVM_REG_FAULT_BUF_PUT));
	wr(t, NVSVM_REG_FAULT_REPLAY, 1);
}

static bool busy(struct test_gpu *t)
{
	return rd(t, NVSVM_REG_CHAN_STATUS(3)) & NVSVM_CHAN_STATUS_BUSY;
}

/* Each thread: *(param[0] + gtid * 4 KiB) OP= gtid, OP a store or an add. */
#define STRIDED(op_insn)					\
	{							\
		ENC(NVSVM_ISA_S2R, 1, 0, 0, NVSVM_ISA_SREG_PARAM),	\
		ENC(NVSVM_ISA_LD64, 2, 1, 0, 0),		\
		ENC(NVSVM_ISA_S2R, 3, 0, 0, NVSVM_ISA_SREG_GTID),	\
		ENC(NVSVM_ISA_SHLI, 4, 3, 0, 12),		\
		ENC(NVSVM_ISA_ADD, 2, 2, 4, 0),			\
		op_insn,					\
		ENC(NVSVM_ISA_EXIT, 0, 0, 0, 0),		\
	}

static const u64 strided_store[] = STRIDED(ENC(NVSVM_ISA_ST64, 0, 2, 3, 0));
static const u64 strided_atomadd[] = STRIDED(ENC(NVSVM_ISA_ATOMADD64, 5, 2, 3, 0));

/*
 * A warp of 32 lanes storing to 32 pages that are not mapped: 32 entries,
 * all before the warp stalls, one per page in lane order; once the pages
 * are mapped, a single replay completes it.
 */
static void sm_fault_32_pages(struct kunit *test)
{
	struct test_gpu *t = test->priv;
	u64 base = T_UNMAPPED + 0x18;
	struct fault_entry e;
	unsigned int i;

	write_code(test, t, strided_store, ARRAY_SIZE(strided_store));
	va_w64(test, t, T_PARAM, base);
	launch(test, t, 1, 32);
	wait_faults(test, t, 32);
	for (i = 0; i < 32; i++) {
		read_fault(test, t, i, &e);
		KUNIT_EXPECT_EQ_MSG(test, e.va, base + i * SZ_4K, "entry %u", i);
		KUNIT_EXPECT_EQ(test, FIELD_GET(NVSVM_FAULT_INFO_ACCESS, e.info),
				NVSVM_ACCESS_WRITE);
		KUNIT_EXPECT_EQ(test, FIELD_GET(NVSVM_FAULT_INFO_TYPE, e.info),
				NVSVM_FAULT_TYPE_INVALID_PTE);
		KUNIT_EXPECT_LT(test, FIELD_GET(NVSVM_FAULT_INFO_CLIENT, e.info), 2U);
		KUNIT_EXPECT_TRUE(test, e.info & NVSVM_FAULT_INFO_VALID);
	}
	KUNIT_EXPECT_TRUE(test, busy(t));

	/* Map them to VRAM never written: the stores also back the pages. */
	for (i = 0; i < 32; i++)
		map_page(test, t, T_UNMAPPED + i * SZ_4K,
			 (T_SPARE_PA + i * SZ_4K) | NVSVM_PTE_VALID);
	replay(t);
	KUNIT_ASSERT_EQ(test, wait_idle(test, t), NVSVM_CHAN_ERROR_NONE);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_FAULT_BUF_PUT), 32);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_FAULT_STATUS), 0);
	for (i = 0; i < 32; i++)
		KUNIT_EXPECT_EQ_MSG(test, vram_r64(test, t, T_SPARE_PA + i * SZ_4K + 0x18), i,
				    "lane %u", i);
	KUNIT_EXPECT_EQ(test, va_r64(test, t, T_SEM), 7);
}

/*
 * Even lanes add to mapped pages, odd lanes to pages that are not: only
 * the odd lanes' pages fault, the even lanes' atomics are done before the
 * warp stalls, and the replay runs the odd lanes' alone.
 */
static void sm_fault_some_lanes(struct kunit *test)
{
	struct test_gpu *t = test->priv;
	u64 base = T_UNMAPPED + 0x40;
	struct fault_entry e;
	unsigned int i;

	/*
	 * The even pages are VRAM never written: their lanes get backing
	 * first, and complete before the odd lanes' faults are reported.
	 */
	for (i = 0; i < 32; i += 2)
		map_page(test, t, T_UNMAPPED + i * SZ_4K,
			 (T_SPARE_PA + i * SZ_4K) | NVSVM_PTE_VALID);
	write_code(test, t, strided_atomadd, ARRAY_SIZE(strided_atomadd));
	va_w64(test, t, T_PARAM, base);
	launch(test, t, 1, 32);
	wait_faults(test, t, 16);
	for (i = 0; i < 16; i++) {
		read_fault(test, t, i, &e);
		KUNIT_EXPECT_EQ_MSG(test, e.va, base + (2 * i + 1) * SZ_4K, "entry %u", i);
		KUNIT_EXPECT_EQ(test, FIELD_GET(NVSVM_FAULT_INFO_ACCESS, e.info),
				NVSVM_ACCESS_ATOMIC);
	}
	/* The warp is stalled, its even lanes' work done. */
	KUNIT_EXPECT_TRUE(test, busy(t));
	for (i = 0; i < 32; i += 2)
		KUNIT_EXPECT_EQ_MSG(test, vram_r64(test, t, T_SPARE_PA + i * SZ_4K + 0x40), i,
				    "lane %u", i);

	for (i = 1; i < 32; i += 2)
		map_page(test, t, T_UNMAPPED + i * SZ_4K,
			 (T_SPARE_PA + i * SZ_4K) | NVSVM_PTE_VALID);
	replay(t);
	KUNIT_ASSERT_EQ(test, wait_idle(test, t), NVSVM_CHAN_ERROR_NONE);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_FAULT_BUF_PUT), 16);
	/* Each lane added once: the even lanes did not run their atomic again. */
	for (i = 0; i < 32; i++)
		KUNIT_EXPECT_EQ_MSG(test, vram_r64(test, t, T_SPARE_PA + i * SZ_4K + 0x40), i,
				    "lane %u", i);
}

/* A cancel of one of the warp's pages fails the grid. */
static void sm_fault_cancel_one_page(struct kunit *test)
{
	struct test_gpu *t = test->priv;
	u64 base = T_UNMAPPED;

	write_code(test, t, strided_store, ARRAY_SIZE(strided_store));
	va_w64(test, t, T_PARAM, base);
	launch(test, t, 1, 4);
	wait_faults(test, t, 4);
	wr(t, NVSVM_REG_FAULT_CANCEL_INST_LO, lower_32_bits(T_INST));
	wr(t, NVSVM_REG_FAULT_CANCEL_INST_HI, 0);
	wr(t, NVSVM_REG_FAULT_CANCEL_VA_LO, lower_32_bits(base + 2 * SZ_4K));
	wr(t, NVSVM_REG_FAULT_CANCEL_VA_HI, upper_32_bits(base + 2 * SZ_4K));
	wr(t, NVSVM_REG_FAULT_CANCEL_TRIGGER, 1);
	KUNIT_EXPECT_EQ(test, wait_idle(test, t), NVSVM_CHAN_ERROR_MMU_FAULT);
	KUNIT_EXPECT_EQ(test, (u64)rd(t, NVSVM_REG_CHAN_ERROR_INFO_HI(3)) << 32 |
			rd(t, NVSVM_REG_CHAN_ERROR_INFO_LO(3)), base + 2 * SZ_4K);
	reset_chan(test, t);
}

/*
 * An if/else on the lane's parity, then a join that stores: through the
 * whole GPU, the join runs once per warp (warp instruction counts), and
 * every lane stores its own result.
 */
static void sm_reconverge(struct kunit *test)
{
	static const u64 code[] = {
		ENC(NVSVM_ISA_S2R, 1, 0, 0, NVSVM_ISA_SREG_LANEID),	/*  0 */
		ENC(NVSVM_ISA_ANDI, 2, 1, 0, 1),			/*  1 */
		ENC(NVSVM_ISA_BEQZ, 0, 2, 0, 3),			/*  2: to 6 */
		ENC(NVSVM_ISA_MOVI, 3, 0, 0, 100),			/*  3 */
		ENC(NVSVM_ISA_ADDI, 3, 3, 0, 1),			/*  4 */
		ENC(NVSVM_ISA_BRA, 0, 0, 0, 2),				/*  5: to 8 */
		ENC(NVSVM_ISA_MOVI, 3, 0, 0, 200),			/*  6 */
		ENC(NVSVM_ISA_ADDI, 3, 3, 0, 2),			/*  7 */
		ENC(NVSVM_ISA_S2R, 4, 0, 0, NVSVM_ISA_SREG_PARAM),	/*  8: join */
		ENC(NVSVM_ISA_LD64, 4, 4, 0, 0),			/*  9 */
		ENC(NVSVM_ISA_S2R, 5, 0, 0, NVSVM_ISA_SREG_GTID),	/* 10 */
		ENC(NVSVM_ISA_SHLI, 5, 5, 0, 3),			/* 11 */
		ENC(NVSVM_ISA_ADD, 4, 4, 5, 0),				/* 12 */
		ENC(NVSVM_ISA_ST64, 0, 4, 3, 0),			/* 13 */
		ENC(NVSVM_ISA_EXIT, 0, 0, 0, 0),			/* 14 */
	};
	struct test_gpu *t = test->priv;
	u64 warp0, lane0;
	unsigned int i;

	write_code(test, t, code, ARRAY_SIZE(code));
	va_w64(test, t, T_PARAM, T_C);
	warp0 = nvsvm_sim_sm_warp_instructions(t->sim);
	lane0 = nvsvm_sim_sm_instructions(t->sim);
	/* Two blocks of 40: a full warp and a warp of 8 lanes each. */
	launch(test, t, 2, 40);
	KUNIT_ASSERT_EQ(test, wait_idle(test, t), NVSVM_CHAN_ERROR_NONE);
	for (i = 0; i < 80; i++)
		KUNIT_EXPECT_EQ_MSG(test, va_r64(test, t, T_C + i * 8),
				    ((i % 40) % 32) & 1 ? 101 : 202, "thread %u", i);
	/* Per warp: 3 + 3 + 2 + 7, the join once. */
	KUNIT_EXPECT_EQ(test, nvsvm_sim_sm_warp_instructions(t->sim) - warp0, 4 * 15);
	KUNIT_EXPECT_EQ(test, nvsvm_sim_sm_instructions(t->sim) - lane0,
			2 * ((3 + 7) * 40 + (3 + 2) * 20));
}

/* Each thread stores 99 at param[0]: one page, one fault. */
static const u64 store_to_param0[] = {
	ENC(NVSVM_ISA_S2R, 1, 0, 0, NVSVM_ISA_SREG_PARAM),
	ENC(NVSVM_ISA_LD64, 2, 1, 0, 0),
	ENC(NVSVM_ISA_MOVI, 3, 0, 0, 99),
	ENC(NVSVM_ISA_ST64, 0, 2, 3, 0),
	ENC(NVSVM_ISA_EXIT, 0, 0, 0, 0),
};

/*
 * A grid stalled on a fault for several times its watchdog still
 * completes after the replay: waiting for the fault is not execution.
 */
static void sm_watchdog_not_stalled_time(struct kunit *test)
{
	struct test_gpu *t = test->priv;

	t->sim->watchdog_ms = 200;
	write_code(test, t, store_to_param0, ARRAY_SIZE(store_to_param0));
	va_w64(test, t, T_PARAM, T_UNMAPPED + 0x10);
	launch(test, t, 2, 64);		/* four warps, all stalled */
	wait_faults(test, t, 4);
	msleep(1000);
	KUNIT_EXPECT_TRUE(test, busy(t));
	KUNIT_EXPECT_EQ(test, FIELD_GET(NVSVM_CHAN_STATUS_ERROR,
					rd(t, NVSVM_REG_CHAN_STATUS(3))), 0);

	map_page(test, t, T_UNMAPPED, T_SPARE_PA | NVSVM_PTE_VALID);
	replay(t);
	KUNIT_ASSERT_EQ(test, wait_idle(test, t), NVSVM_CHAN_ERROR_NONE);
	KUNIT_EXPECT_EQ(test, vram_r64(test, t, T_SPARE_PA + 0x10), 99);
}

/*
 * But while one warp runs, time counts, stalled warps or not: a grid with
 * a warp stalled and one spinning fails with WATCHDOG.
 */
static void sm_watchdog_partly_stalled(struct kunit *test)
{
	static const u64 code[] = {
		ENC(NVSVM_ISA_S2R, 1, 0, 0, NVSVM_ISA_SREG_GTID),
		ENC(NVSVM_ISA_MOVI, 2, 0, 0, 32),
		ENC(NVSVM_ISA_SLTU, 3, 1, 2, 0),
		ENC(NVSVM_ISA_BEQZ, 0, 3, 0, -1),		/* warp 1 spins here */
		ENC(NVSVM_ISA_S2R, 1, 0, 0, NVSVM_ISA_SREG_PARAM),
		ENC(NVSVM_ISA_LD64, 2, 1, 0, 0),
		ENC(NVSVM_ISA_ST64, 0, 2, 2, 0),		/* warp 0 faults */
		ENC(NVSVM_ISA_EXIT, 0, 0, 0, 0),
	};
	struct test_gpu *t = test->priv;

	t->sim->watchdog_ms = 200;
	write_code(test, t, code, ARRAY_SIZE(code));
	va_w64(test, t, T_PARAM, T_UNMAPPED);
	launch(test, t, 1, 64);
	KUNIT_EXPECT_EQ(test, wait_idle(test, t), NVSVM_CHAN_ERROR_WATCHDOG);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_FAULT_BUF_PUT), 1);
	reset_chan(test, t);
}

/*
 * A store to VRAM that cannot be backed fails its grid with NO_BACKING
 * (not a fault), the detail its VA; the next one gets its backing.
 */
static void sm_vram_no_backing(struct kunit *test)
{
	struct test_gpu *t = test->priv;
	u64 va = T_UNMAPPED + 0x20;

	if (!IS_ENABLED(CONFIG_DRM_NVSVM_SIM_FAULT_INJECT))
		kunit_skip(test, "needs the emulator's fault injection");
	map_page(test, t, T_UNMAPPED, T_SPARE_PA | NVSVM_PTE_VALID);
	write_code(test, t, store_to_param0, ARRAY_SIZE(store_to_param0));
	va_w64(test, t, T_PARAM, va);
	/* Back what the submission writes first: only the store may fail. */
	va_w64(test, t, T_GPFIFO + t->put * 16, 0);
	va_w64(test, t, ALIGN_DOWN(t->pb, 8), 0);
	va_w64(test, t, ALIGN_DOWN(t->pb, 8) + 64, 0);
	atomic_set(&t->sim->inject.vram_fail, 1);
	launch(test, t, 1, 1);
	KUNIT_EXPECT_EQ(test, wait_idle(test, t), NVSVM_CHAN_ERROR_NO_BACKING);
	KUNIT_EXPECT_EQ(test, (u64)rd(t, NVSVM_REG_CHAN_ERROR_INFO_HI(3)) << 32 |
			rd(t, NVSVM_REG_CHAN_ERROR_INFO_LO(3)), va);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_FAULT_BUF_PUT), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->sim->inject.vram_fail), 0);
	KUNIT_EXPECT_FALSE(test, nvsvm_sim_vram_backed(t->sim, T_SPARE_PA));

	/* Reset, skip the failed entry, run it again. */
	reset_chan(test, t);
	KUNIT_ASSERT_EQ(test, 0, nvsvm_sim_mem_write(t->sim, NVSVM_APER_VRAM,
						     T_INST + NVSVM_INST_GP_GET,
						     &(__le32){ cpu_to_le32(t->put) }, 4));
	wr(t, NVSVM_REG_CHAN_CTRL(3), NVSVM_CHAN_CTRL_ENABLE);
	launch(test, t, 1, 1);
	KUNIT_ASSERT_EQ(test, wait_idle(test, t), NVSVM_CHAN_ERROR_NONE);
	KUNIT_EXPECT_EQ(test, vram_r64(test, t, T_SPARE_PA + 0x20), 99);
}

/* Many warps, each thread its own slot: none lost, none run twice. */
static void sm_many_warps(struct kunit *test)
{
	static const u64 code[] = {
		ENC(NVSVM_ISA_S2R, 1, 0, 0, NVSVM_ISA_SREG_PARAM),
		ENC(NVSVM_ISA_LD64, 2, 1, 0, 0),
		ENC(NVSVM_ISA_S2R, 3, 0, 0, NVSVM_ISA_SREG_GTID),
		ENC(NVSVM_ISA_SHLI, 4, 3, 0, 2),
		ENC(NVSVM_ISA_ADD, 2, 2, 4, 0),
		ENC(NVSVM_ISA_MOVI, 5, 0, 0, 1),
		ENC(NVSVM_ISA_ATOMADD32, 6, 2, 5, 0),
		ENC(NVSVM_ISA_EXIT, 0, 0, 0, 0),
	};
	struct test_gpu *t = test->priv;
	const unsigned int n = 100 * 96;
	unsigned int i, bad = 0;
	__le32 raw;

	write_code(test, t, code, ARRAY_SIZE(code));
	va_w64(test, t, T_PARAM, T_A);
	launch(test, t, 100, 96);
	KUNIT_ASSERT_EQ(test, wait_idle(test, t), NVSVM_CHAN_ERROR_NONE);
	for (i = 0; i < n + 8; i++) {
		KUNIT_ASSERT_EQ(test, 0, nvsvm_sim_mem_read(t->sim, NVSVM_APER_VRAM,
							    pa(T_A) + i * 4, &raw, 4));
		bad += le32_to_cpu(raw) != (i < n);
	}
	KUNIT_EXPECT_EQ(test, bad, 0);
}

/*
 * Warps start spread over the SMs' run queues: with every warp running
 * for a while, every SM runs some (each thread counts itself on its SM).
 */
static void sm_every_sm(struct kunit *test)
{
	static const u64 code[] = {
		ENC(NVSVM_ISA_MOVI, 1, 0, 0, 5000),
		ENC(NVSVM_ISA_ADDI, 1, 1, 0, -1),		/* a while */
		ENC(NVSVM_ISA_BNEZ, 0, 1, 0, -2),
		ENC(NVSVM_ISA_S2R, 2, 0, 0, NVSVM_ISA_SREG_PARAM),
		ENC(NVSVM_ISA_LD64, 2, 2, 0, 0),
		ENC(NVSVM_ISA_S2R, 3, 0, 0, NVSVM_ISA_SREG_SMID),
		ENC(NVSVM_ISA_SHLI, 3, 3, 0, 2),
		ENC(NVSVM_ISA_ADD, 2, 2, 3, 0),
		ENC(NVSVM_ISA_MOVI, 4, 0, 0, 1),
		ENC(NVSVM_ISA_ATOMADD32, 5, 2, 4, 0),
		ENC(NVSVM_ISA_EXIT, 0, 0, 0, 0),
	};
	struct test_gpu *t = test->priv;
	u32 per_sm[2];
	unsigned int i;
	__le32 raw;

	write_code(test, t, code, ARRAY_SIZE(code));
	va_w64(test, t, T_PARAM, T_B);
	launch(test, t, 4, 64);
	KUNIT_ASSERT_EQ(test, wait_idle(test, t), NVSVM_CHAN_ERROR_NONE);
	for (i = 0; i < 2; i++) {
		KUNIT_ASSERT_EQ(test, 0, nvsvm_sim_mem_read(t->sim, NVSVM_APER_VRAM,
							    pa(T_B) + i * 4, &raw, 4));
		per_sm[i] = le32_to_cpu(raw);
	}
	KUNIT_EXPECT_EQ(test, per_sm[0] + per_sm[1], 4 * 64);
	KUNIT_EXPECT_GT(test, per_sm[0], 0);
	KUNIT_EXPECT_GT(test, per_sm[1], 0);
}

static struct kunit_case sm_cases[] = {
	KUNIT_CASE(sm_fault_32_pages),
	KUNIT_CASE(sm_fault_some_lanes),
	KUNIT_CASE(sm_fault_cancel_one_page),
	KUNIT_CASE(sm_reconverge),
	KUNIT_CASE(sm_watchdog_not_stalled_time),
	KUNIT_CASE(sm_watchdog_partly_stalled),
	KUNIT_CASE(sm_vram_no_backing),
	KUNIT_CASE(sm_many_warps),
	KUNIT_CASE(sm_every_sm),
	{}
};

static struct kunit_suite sm_suite = {
	.name = "nvsvm_sim_sm",
	.init = sm_test_init,
	.exit = sm_test_exit,
	.test_cases = sm_cases,
};

kunit_test_suite(sm_suite);
