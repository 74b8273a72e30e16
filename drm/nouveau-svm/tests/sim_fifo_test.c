// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

/*
 * The emulated GPU end to end, driven only through its registers and
 * memory (sim_test_gpu.h).
 */

#include <linux/stop_machine.h>

#include "sim_test_gpu.h"

/* Skip the GPFIFO entries a reset abandoned, and enable channel 3 again. */
static void rearm_chan(struct kunit *test, struct test_gpu *t)
{
	KUNIT_ASSERT_EQ(test, 0, nvsvm_sim_mem_write(t->sim, NVSVM_APER_VRAM,
						     T_INST + NVSVM_INST_GP_GET,
						     &(__le32){ cpu_to_le32(t->put) }, 4));
	wr(t, NVSVM_REG_CHAN_CTRL(3), NVSVM_CHAN_CTRL_ENABLE);
}

static void set_tag(struct kunit *test, struct test_gpu *t, u32 tag)
{
	KUNIT_ASSERT_EQ(test, 0, nvsvm_sim_mem_write(t->sim, NVSVM_APER_VRAM,
						     T_INST + NVSVM_INST_TAG,
						     &(__le32){ cpu_to_le32(tag) }, 4));
}

static void fifo_semaphore_fill_copy(struct kunit *test)
{
	struct test_gpu *t = test->priv;
	const u32 pb[] = {
		M(NOP, 2), 0xdead, 0xbeef,
		M(FILL, 5), lower_32_bits(T_A), upper_32_bits(T_A), 8192, 0, 0x01020304,
		M(COPY, 6), lower_32_bits(T_A), upper_32_bits(T_A),
			    lower_32_bits(T_B + 4), upper_32_bits(T_B + 4), 8000, 0,
		M(MEMBAR, 0),
		M(SEMAPHORE_RELEASE, 5), lower_32_bits(T_SEM), upper_32_bits(T_SEM),
			0x11223344, 0x55667788, NVSVM_SEM_PAYLOAD_64,
	};

	submit(test, t, pb, ARRAY_SIZE(pb));
	KUNIT_ASSERT_EQ(test, wait_idle(test, t), NVSVM_CHAN_ERROR_NONE);
	KUNIT_EXPECT_EQ(test, va_r64(test, t, T_SEM), 0x5566778811223344ULL);
	KUNIT_EXPECT_EQ(test, va_r64(test, t, T_A + 8184), 0x0102030401020304ULL);
	KUNIT_EXPECT_EQ(test, va_r64(test, t, T_A + 8192), 0);
	KUNIT_EXPECT_EQ(test, va_r64(test, t, T_B), 0x0102030400000000ULL);
	KUNIT_EXPECT_EQ(test, va_r64(test, t, T_B + 8000), 0x0000000001020304ULL);
}

/* c[i] = a[i] + b[i] over 1000 threads in blocks of 64. */
static const u64 vadd[] = {
	ENC(NVSVM_ISA_S2R, 1, 0, 0, NVSVM_ISA_SREG_GTID),
	ENC(NVSVM_ISA_S2R, 2, 0, 0, NVSVM_ISA_SREG_PARAM),
	ENC(NVSVM_ISA_LD64, 3, 2, 0, 24),		/* n */
	ENC(NVSVM_ISA_SLTU, 4, 1, 3, 0),
	ENC(NVSVM_ISA_BEQZ, 0, 4, 0, 11),		/* -> exit */
	ENC(NVSVM_ISA_SHLI, 5, 1, 0, 3),		/* offset */
	ENC(NVSVM_ISA_LD64, 6, 2, 0, 0),		/* a */
	ENC(NVSVM_ISA_LD64, 7, 2, 0, 8),		/* b */
	ENC(NVSVM_ISA_LD64, 8, 2, 0, 16),		/* c */
	ENC(NVSVM_ISA_ADD, 6, 6, 5, 0),
	ENC(NVSVM_ISA_ADD, 7, 7, 5, 0),
	ENC(NVSVM_ISA_ADD, 8, 8, 5, 0),
	ENC(NVSVM_ISA_LD64, 9, 6, 0, 0),
	ENC(NVSVM_ISA_LD64, 10, 7, 0, 0),
	ENC(NVSVM_ISA_ADD, 9, 9, 10, 0),
	ENC(NVSVM_ISA_ST64, 0, 8, 9, 0),
	ENC(NVSVM_ISA_EXIT, 0, 0, 0, 0),
};

static void fifo_launch_vector_add(struct kunit *test)
{
	struct test_gpu *t = test->priv;
	const unsigned int n = 1000;
	unsigned int i;

	write_code(test, t, vadd, ARRAY_SIZE(vadd));
	for (i = 0; i < n; i++) {
		va_w64(test, t, T_A + i * 8, i * 3);
		va_w64(test, t, T_B + i * 8, 1000000 + i);
	}
	va_w64(test, t, T_PARAM, T_A);
	va_w64(test, t, T_PARAM + 8, T_B);
	va_w64(test, t, T_PARAM + 16, T_C);
	va_w64(test, t, T_PARAM + 24, n);
	va_w64(test, t, T_C + n * 8, 0xabcd);	/* past the end: untouched */

	launch(test, t, DIV_ROUND_UP(n, 64), 64);
	KUNIT_ASSERT_EQ(test, wait_idle(test, t), NVSVM_CHAN_ERROR_NONE);
	for (i = 0; i < n; i++)
		if (va_r64(test, t, T_C + i * 8) != i * 3 + 1000000 + i)
			KUNIT_FAIL(test, "c[%u] = %llu", i, va_r64(test, t, T_C + i * 8));
	KUNIT_EXPECT_EQ(test, va_r64(test, t, T_C + n * 8), 0xabcd);
	KUNIT_EXPECT_EQ(test, va_r64(test, t, T_SEM), 7);
	KUNIT_EXPECT_GT(test, nvsvm_sim_sm_instructions(t->sim), 1000ULL * 16);
}

/* A kernel storing to an unmapped page stalls, reports, and replays. */
static const u64 store_to_param0[] = {
	ENC(NVSVM_ISA_S2R, 1, 0, 0, NVSVM_ISA_SREG_PARAM),
	ENC(NVSVM_ISA_LD64, 2, 1, 0, 0),
	ENC(NVSVM_ISA_MOVI, 3, 0, 0, 99),
	ENC(NVSVM_ISA_ST64, 0, 2, 3, 0),
	ENC(NVSVM_ISA_EXIT, 0, 0, 0, 0),
};

static u64 fault_entry(struct kunit *test, struct test_gpu *t, unsigned int i, u32 *info)
{
	*info = (u32)vram_r64(test, t, T_FAULTBUF + i * 32 + 16);
	return vram_r64(test, t, T_FAULTBUF + i * 32);
}

static void wait_fault(struct kunit *test, struct test_gpu *t, u32 put)
{
	unsigned long timeout = jiffies + 5 * HZ;

	while (rd(t, NVSVM_REG_FAULT_BUF_PUT) != put && time_before(jiffies, timeout))
		usleep_range(500, 1000);
	KUNIT_ASSERT_EQ(test, rd(t, NVSVM_REG_FAULT_BUF_PUT), put);
}

/* Wait for at least one fault entry. */
static void wait_any_fault(struct kunit *test, struct test_gpu *t)
{
	unsigned long timeout = jiffies + 5 * HZ;

	while (!rd(t, NVSVM_REG_FAULT_BUF_PUT) && time_before(jiffies, timeout))
		usleep_range(500, 1000);
	KUNIT_ASSERT_NE(test, rd(t, NVSVM_REG_FAULT_BUF_PUT), 0);
}

static void fifo_fault_replay(struct kunit *test)
{
	struct test_gpu *t = test->priv;
	u64 target = T_UNMAPPED + 0x10;
	u32 info;

	write_code(test, t, store_to_param0, ARRAY_SIZE(store_to_param0));
	va_w64(test, t, T_PARAM, target);
	launch(test, t, 1, 1);

	wait_fault(test, t, 1);
	KUNIT_EXPECT_EQ(test, fault_entry(test, t, 0, &info), target);
	KUNIT_EXPECT_EQ(test, FIELD_GET(NVSVM_FAULT_INFO_ACCESS, info), NVSVM_ACCESS_WRITE);
	KUNIT_EXPECT_EQ(test, FIELD_GET(NVSVM_FAULT_INFO_TYPE, info),
			NVSVM_FAULT_TYPE_INVALID_PTE);
	KUNIT_EXPECT_LT(test, FIELD_GET(NVSVM_FAULT_INFO_CLIENT, info), 2U);
	KUNIT_EXPECT_TRUE(test, info & NVSVM_FAULT_INFO_VALID);
	KUNIT_EXPECT_TRUE(test, rd(t, NVSVM_REG_CHAN_STATUS(3)) & NVSVM_CHAN_STATUS_BUSY);

	/* Service it: map the page, then replay. */
	map_page(test, t, T_UNMAPPED, (T_DATA_PA + 0x38000) | NVSVM_PTE_VALID);
	wr(t, NVSVM_REG_FAULT_BUF_GET, 1);
	wr(t, NVSVM_REG_FAULT_REPLAY, 1);
	KUNIT_ASSERT_EQ(test, wait_idle(test, t), NVSVM_CHAN_ERROR_NONE);
	KUNIT_EXPECT_EQ(test, vram_r64(test, t, T_DATA_PA + 0x38010), 99);
}

static void fifo_fault_cancel(struct kunit *test)
{
	struct test_gpu *t = test->priv;
	u64 target = T_UNMAPPED + 0x2008;

	write_code(test, t, store_to_param0, ARRAY_SIZE(store_to_param0));
	va_w64(test, t, T_PARAM, target);
	launch(test, t, 4, 40);		/* 8 warps, all faulting on one page */
	wait_any_fault(test, t);

	wr(t, NVSVM_REG_FAULT_CANCEL_INST_LO, lower_32_bits(T_INST));
	wr(t, NVSVM_REG_FAULT_CANCEL_INST_HI, 0);
	wr(t, NVSVM_REG_FAULT_CANCEL_VA_LO, lower_32_bits(target & ~0xfffULL));
	wr(t, NVSVM_REG_FAULT_CANCEL_VA_HI, upper_32_bits(target));
	wr(t, NVSVM_REG_FAULT_CANCEL_TRIGGER, 1);
	KUNIT_EXPECT_EQ(test, wait_idle(test, t), NVSVM_CHAN_ERROR_MMU_FAULT);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_FIFO_ERROR(0)), BIT(3));
	KUNIT_EXPECT_EQ(test, (u64)rd(t, NVSVM_REG_CHAN_ERROR_INFO_HI(3)) << 32 |
			rd(t, NVSVM_REG_CHAN_ERROR_INFO_LO(3)), target);
	KUNIT_EXPECT_TRUE(test, rd(t, NVSVM_REG_FIFO_INTR_STATUS) & NVSVM_FIFO_INTR_ERROR);
	/* The semaphore after the launch never ran. */
	KUNIT_EXPECT_EQ(test, va_r64(test, t, T_SEM), 0);

	/* A reset clears the error and the channel runs again. */
	reset_chan(test, t);
	KUNIT_EXPECT_EQ(test, FIELD_GET(NVSVM_CHAN_STATUS_ERROR,
					rd(t, NVSVM_REG_CHAN_STATUS(3))), 0);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_FIFO_ERROR(0)), 0);
}

/* A push buffer fetched from an unmapped page stalls the host likewise. */
static void fifo_host_fault_cancel(struct kunit *test)
{
	struct test_gpu *t = test->priv;
	u64 e = T_GPFIFO + (u64)t->put * 16;
	u32 info;
	__le32 raw;

	va_w64(test, t, e, T_UNMAPPED);
	va_w64(test, t, e + 8, 4);
	t->put = (t->put + 1) % ENTRIES;
	raw = cpu_to_le32(t->put);
	KUNIT_ASSERT_EQ(test, 0, nvsvm_sim_mem_write(t->sim, NVSVM_APER_VRAM,
						     T_INST + NVSVM_INST_GP_PUT, &raw, 4));
	wr(t, NVSVM_REG_FIFO_DOORBELL, 3);
	wait_fault(test, t, 1);
	KUNIT_EXPECT_EQ(test, fault_entry(test, t, 0, &info), T_UNMAPPED);
	KUNIT_EXPECT_EQ(test, FIELD_GET(NVSVM_FAULT_INFO_CLIENT, info), NVSVM_CLIENT_HOST);

	wr(t, NVSVM_REG_FAULT_CANCEL_INST_LO, lower_32_bits(T_INST));
	wr(t, NVSVM_REG_FAULT_CANCEL_VA_LO, lower_32_bits(T_UNMAPPED));
	wr(t, NVSVM_REG_FAULT_CANCEL_VA_HI, upper_32_bits(T_UNMAPPED));
	wr(t, NVSVM_REG_FAULT_CANCEL_TRIGGER, 1);
	KUNIT_EXPECT_EQ(test, wait_idle(test, t), NVSVM_CHAN_ERROR_MMU_FAULT);
}

static void fifo_invalid_methods(struct kunit *test)
{
	static const u32 bad[][3] = {
		{ NVSVM_METHOD(0x7f, 0), 0, 0 },		/* unknown method */
		{ NVSVM_METHOD(NVSVM_METHOD_LAUNCH, 2), 0, 0 },	/* wrong count */
		{ NVSVM_METHOD(NVSVM_METHOD_NOP, 9), 0, 0 },	/* runs past the end */
	};
	struct test_gpu *t = test->priv;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		submit(test, t, bad[i], 3);
		KUNIT_EXPECT_EQ_MSG(test, wait_idle(test, t),
				    NVSVM_CHAN_ERROR_INVALID_METHOD, "case %u", i);
		reset_chan(test, t);
		/* The reset abandoned the entry: skip it, re-enable. */
		rearm_chan(test, t);
	}
}

static void fifo_kernel_errors(struct kunit *test)
{
	static const struct {
		u64 insn;
		u32 error;
	} cases[] = {
		{ ENC(0xff, 0, 0, 0, 0), NVSVM_CHAN_ERROR_ILLEGAL_INSTRUCTION },
		{ ENC(NVSVM_ISA_LD64, 1, 0, 0, 4), NVSVM_CHAN_ERROR_MISALIGNED },
		{ ENC(NVSVM_ISA_DIVU, 1, 2, 3, 0), NVSVM_CHAN_ERROR_ARITHMETIC },
		{ ENC(NVSVM_ISA_BRA, 0, 0, 0, -1), NVSVM_CHAN_ERROR_WATCHDOG },
	};
	struct test_gpu *t = test->priv;
	unsigned int i;

	t->sim->watchdog_ms = 200;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		u64 info;

		write_code(test, t, &cases[i].insn, 1);
		launch(test, t, 2, 16);
		KUNIT_EXPECT_EQ_MSG(test, wait_idle(test, t), cases[i].error, "case %u", i);
		/* The detail of an instruction's error is its address. */
		info = (u64)rd(t, NVSVM_REG_CHAN_ERROR_INFO_HI(3)) << 32 |
		       rd(t, NVSVM_REG_CHAN_ERROR_INFO_LO(3));
		if (cases[i].error != NVSVM_CHAN_ERROR_WATCHDOG)
			KUNIT_EXPECT_EQ_MSG(test, info, T_CODE, "case %u", i);
		reset_chan(test, t);
		rearm_chan(test, t);
	}
}

static void fifo_acquire_waits_for_release(struct kunit *test)
{
	struct test_gpu *t = test->priv;
	const u32 pb[] = {
		M(SEMAPHORE_ACQUIRE, 5), lower_32_bits(T_SEM + 8), upper_32_bits(T_SEM + 8),
			5, 0, NVSVM_SEM_ACQUIRE_GEQ,
		M(SEMAPHORE_RELEASE, 5), lower_32_bits(T_SEM), upper_32_bits(T_SEM), 1, 0, 0,
	};

	submit(test, t, pb, ARRAY_SIZE(pb));
	msleep(30);
	KUNIT_EXPECT_EQ(test, va_r64(test, t, T_SEM), 0);
	va_w64(test, t, T_SEM + 8, 4);
	msleep(30);
	KUNIT_EXPECT_EQ(test, va_r64(test, t, T_SEM), 0);
	va_w64(test, t, T_SEM + 8, 6);	/* the CPU releases: >= 5 */
	KUNIT_ASSERT_EQ(test, wait_idle(test, t), NVSVM_CHAN_ERROR_NONE);
	KUNIT_EXPECT_EQ(test, va_r64(test, t, T_SEM), 1);
}

/* After an invalidate, the GPU uses the new translation. */
static void fifo_mmu_invalidate_register(struct kunit *test)
{
	struct test_gpu *t = test->priv;
	const u32 pb[] = {
		M(SEMAPHORE_RELEASE, 5), lower_32_bits(T_SEM), upper_32_bits(T_SEM), 1, 0, 0,
	};
	unsigned long timeout;

	submit(test, t, pb, ARRAY_SIZE(pb));
	KUNIT_ASSERT_EQ(test, wait_idle(test, t), NVSVM_CHAN_ERROR_NONE);
	KUNIT_EXPECT_EQ(test, va_r64(test, t, T_SEM), 1);

	map_page(test, t, T_SEM, (T_DATA_PA + 0x3f000) | NVSVM_PTE_VALID);
	wr(t, NVSVM_REG_MMU_INV_PDB_LO, lower_32_bits(T_PT_POOL));
	wr(t, NVSVM_REG_MMU_INV_PDB_HI, 0);
	wr(t, NVSVM_REG_MMU_INV_VA_LO, lower_32_bits(T_SEM));
	wr(t, NVSVM_REG_MMU_INV_VA_HI, upper_32_bits(T_SEM));
	wr(t, NVSVM_REG_MMU_INV_SIZE_LO, SZ_4K);
	wr(t, NVSVM_REG_MMU_INV_SIZE_HI, 0);
	wr(t, NVSVM_REG_MMU_INV_TRIGGER, 1);
	/* The trigger starts the invalidate; PENDING clears when it is done. */
	timeout = jiffies + 5 * HZ;
	while ((rd(t, NVSVM_REG_MMU_INV_STATUS) & NVSVM_MMU_INV_STATUS_PENDING) &&
	       time_before(jiffies, timeout))
		usleep_range(100, 200);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_MMU_INV_STATUS) & NVSVM_MMU_INV_STATUS_PENDING, 0);

	submit(test, t, pb, ARRAY_SIZE(pb));
	KUNIT_ASSERT_EQ(test, wait_idle(test, t), NVSVM_CHAN_ERROR_NONE);
	KUNIT_EXPECT_EQ(test, vram_r64(test, t, T_DATA_PA + 0x3f000), 1);
}

static void fifo_fault_buffer_overflow(struct kunit *test)
{
	struct test_gpu *t = test->priv;

	wr(t, NVSVM_REG_FAULT_BUF_SIZE, 2);	/* room for one entry */
	write_code(test, t, store_to_param0, ARRAY_SIZE(store_to_param0));
	va_w64(test, t, T_PARAM, T_UNMAPPED);
	launch(test, t, 1, 64);			/* two warps, two faults */
	wait_fault(test, t, 1);
	msleep(50);
	KUNIT_EXPECT_TRUE(test, rd(t, NVSVM_REG_FAULT_STATUS) & NVSVM_FAULT_STATUS_OVERFLOW);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_FAULT_BUF_PUT), 1);

	/* Drain, clear, replay: the dropped fault comes back. */
	wr(t, NVSVM_REG_FAULT_BUF_GET, 1);
	wr(t, NVSVM_REG_FAULT_STATUS, NVSVM_FAULT_STATUS_OVERFLOW);
	wr(t, NVSVM_REG_FAULT_REPLAY, 1);
	wait_fault(test, t, 0);
	reset_chan(test, t);
}

/* Submit a GPFIFO entry whose push buffer is at @pb_va, unmapped. */
static void submit_unmapped(struct kunit *test, struct test_gpu *t, u64 pb_va)
{
	u64 e = T_GPFIFO + (u64)t->put * 16;
	__le32 raw;

	va_w64(test, t, e, pb_va);
	va_w64(test, t, e + 8, 4);
	t->put = (t->put + 1) % ENTRIES;
	raw = cpu_to_le32(t->put);
	KUNIT_ASSERT_EQ(test, 0, nvsvm_sim_mem_write(t->sim, NVSVM_APER_VRAM,
						     T_INST + NVSVM_INST_GP_PUT, &raw, 4));
	wr(t, NVSVM_REG_FIFO_DOORBELL, 3);
}

static void cancel(struct test_gpu *t, u64 inst, u32 tag, u64 va)
{
	wr(t, NVSVM_REG_FAULT_CANCEL_INST_LO, lower_32_bits(inst));
	wr(t, NVSVM_REG_FAULT_CANCEL_INST_HI, upper_32_bits(inst));
	wr(t, NVSVM_REG_FAULT_CANCEL_VA_LO, lower_32_bits(va));
	wr(t, NVSVM_REG_FAULT_CANCEL_VA_HI, upper_32_bits(va));
	wr(t, NVSVM_REG_FAULT_CANCEL_TAG, tag);
	wr(t, NVSVM_REG_FAULT_CANCEL_TRIGGER, 1);
}

static u32 fault_tag(struct kunit *test, struct test_gpu *t, unsigned int i)
{
	return vram_r64(test, t, T_FAULTBUF + i * 32 + 16) >> 32;
}

/* The channel is still stalled on its fault, without error. */
static void expect_still_stalled(struct kunit *test, struct test_gpu *t)
{
	u32 status;

	msleep(50);
	status = rd(t, NVSVM_REG_CHAN_STATUS(3));
	KUNIT_EXPECT_EQ(test, FIELD_GET(NVSVM_CHAN_STATUS_ERROR, status), 0);
	KUNIT_EXPECT_TRUE(test, status & NVSVM_CHAN_STATUS_BUSY);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_FIFO_ERROR(0)), 0);
}

/* A cancel naming another tag fails nothing: host fetch, then a warp. */
static void fifo_cancel_wrong_tag(struct kunit *test)
{
	struct test_gpu *t = test->priv;
	u64 target = T_UNMAPPED + 0x3000;

	set_tag(test, t, 0xa1);
	submit_unmapped(test, t, T_UNMAPPED);
	wait_fault(test, t, 1);
	KUNIT_EXPECT_EQ(test, fault_tag(test, t, 0), 0xa1);
	cancel(t, T_INST, 0xb2, T_UNMAPPED);
	expect_still_stalled(test, t);
	cancel(t, T_INST, 0xa1, T_UNMAPPED);
	KUNIT_EXPECT_EQ(test, wait_idle(test, t), NVSVM_CHAN_ERROR_MMU_FAULT);
	reset_chan(test, t);
	rearm_chan(test, t);

	wr(t, NVSVM_REG_FAULT_BUF_SIZE, 8);
	write_code(test, t, store_to_param0, ARRAY_SIZE(store_to_param0));
	va_w64(test, t, T_PARAM, target);
	launch(test, t, 1, 1);
	wait_fault(test, t, 1);
	KUNIT_EXPECT_EQ(test, fault_tag(test, t, 0), 0xa1);
	cancel(t, T_INST, 0xa2, target);
	expect_still_stalled(test, t);
	cancel(t, T_INST, 0xa1, target);
	KUNIT_EXPECT_EQ(test, wait_idle(test, t), NVSVM_CHAN_ERROR_MMU_FAULT);
	KUNIT_EXPECT_EQ(test, va_r64(test, t, T_SEM), 0);
}

/*
 * An entry left in the ring by a channel that was reset names its old tag:
 * once the instance block is enabled again with a new tag, a cancel of the
 * old entry's (instance, tag, page) does not hit the new work stalled on
 * the same page; a cancel with the new tag does.
 */
static void fifo_cancel_old_tag_after_reset(struct kunit *test)
{
	struct test_gpu *t = test->priv;

	set_tag(test, t, 0x1111);
	submit_unmapped(test, t, T_UNMAPPED);
	wait_fault(test, t, 1);
	KUNIT_EXPECT_EQ(test, fault_tag(test, t, 0), 0x1111);
	reset_chan(test, t);

	/* The same instance block, a new tag; the entry is fetched again. */
	set_tag(test, t, 0x2222);
	wr(t, NVSVM_REG_CHAN_CTRL(3), NVSVM_CHAN_CTRL_ENABLE);
	wr(t, NVSVM_REG_FIFO_DOORBELL, 3);
	wait_fault(test, t, 2);
	KUNIT_EXPECT_EQ(test, fault_tag(test, t, 1), 0x2222);
	KUNIT_EXPECT_EQ(test, vram_r64(test, t, T_FAULTBUF + 32),
			vram_r64(test, t, T_FAULTBUF));

	cancel(t, T_INST, 0x1111, T_UNMAPPED);
	expect_still_stalled(test, t);
	cancel(t, T_INST, 0x2222, T_UNMAPPED);
	KUNIT_EXPECT_EQ(test, wait_idle(test, t), NVSVM_CHAN_ERROR_MMU_FAULT);
}

/* What chan_reset_poke() saw. */
struct chan_reset_poke {
	struct test_gpu *t;
	u32 status;
	u32 after;
};

/*
 * Reset channel 3 and write to it at once. Run by stop_machine(): no CPU
 * runs the channel's worker meanwhile, so the reset cannot finish in
 * between, however the CPUs are shared.
 */
static int chan_reset_poke(void *data)
{
	struct chan_reset_poke *p = data;
	struct test_gpu *t = p->t;

	wr(t, NVSVM_REG_CHAN_CTRL(3), NVSVM_CHAN_CTRL_RESET);
	p->status = rd(t, NVSVM_REG_CHAN_STATUS(3));
	wr(t, NVSVM_REG_CHAN_INST_LO(3), lower_32_bits(T_INST) + SZ_4K);
	wr(t, NVSVM_REG_CHAN_INST_HI(3), 1);
	wr(t, NVSVM_REG_CHAN_CTRL(3), NVSVM_CHAN_CTRL_ENABLE);
	wr(t, NVSVM_REG_FIFO_DOORBELL, 3);
	p->after = rd(t, NVSVM_REG_CHAN_STATUS(3));
	return 0;
}

/*
 * CHAN_CTRL_RESET returns at once: RESETTING reads 1 from the write on,
 * and writes to the channel's registers and doorbell are ignored until
 * the reset is done; then the channel is idle.
 */
static void reset_and_poke(struct kunit *test, struct test_gpu *t)
{
	struct chan_reset_poke p = { .t = t };
	u32 status, after;

	KUNIT_ASSERT_EQ(test, 0, stop_machine(chan_reset_poke, &p, NULL));
	status = p.status;
	after = p.after;
	KUNIT_EXPECT_TRUE(test, status & NVSVM_CHAN_STATUS_RESETTING);
	KUNIT_EXPECT_TRUE(test, after & NVSVM_CHAN_STATUS_RESETTING);
	KUNIT_EXPECT_EQ(test, wait_reset_on(test, t, 3), 0);
	/* Idle: not enabled, not busy, no error; nothing written stuck. */
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CHAN_CTRL(3)), 0);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CHAN_INST_LO(3)), lower_32_bits(T_INST));
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CHAN_INST_HI(3)), 0);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_FIFO_ERROR(0)), 0);
}

/* After a reset the channel works again. */
static void expect_works_again(struct kunit *test, struct test_gpu *t)
{
	const u32 pb[] = {
		M(SEMAPHORE_RELEASE, 5), lower_32_bits(T_SEM + 16), upper_32_bits(T_SEM + 16),
			0x77, 0, 0,
	};

	rearm_chan(test, t);
	submit(test, t, pb, ARRAY_SIZE(pb));
	KUNIT_ASSERT_EQ(test, wait_idle(test, t), NVSVM_CHAN_ERROR_NONE);
	KUNIT_EXPECT_EQ(test, va_r64(test, t, T_SEM + 16), 0x77);
}

/* A reset during a running grid aborts it, and then the channel is idle. */
static void fifo_reset_running_grid(struct kunit *test)
{
	static const u64 forever[] = { ENC(NVSVM_ISA_BRA, 0, 0, 0, -1) };
	struct test_gpu *t = test->priv;
	unsigned long timeout = jiffies + 10 * HZ;
	u64 before;

	t->sim->watchdog_ms = 600000;
	write_code(test, t, forever, ARRAY_SIZE(forever));
	before = nvsvm_sim_sm_instructions(t->sim);
	launch(test, t, 2, 64);
	while (nvsvm_sim_sm_instructions(t->sim) == before) {
		KUNIT_ASSERT_TRUE(test, time_before(jiffies, timeout));
		usleep_range(500, 1000);
	}

	reset_and_poke(test, t);
	before = nvsvm_sim_sm_instructions(t->sim);
	msleep(50);
	KUNIT_EXPECT_EQ(test, nvsvm_sim_sm_instructions(t->sim), before);
	/* The release after the launch never ran. */
	KUNIT_EXPECT_EQ(test, va_r64(test, t, T_SEM), 0);
	expect_works_again(test, t);
}

/* A reset during a fetch stalled on a fault ends it: no error, no cancel. */
static void fifo_reset_stalled_fetch(struct kunit *test)
{
	struct test_gpu *t = test->priv;

	submit_unmapped(test, t, T_UNMAPPED);
	wait_fault(test, t, 1);
	KUNIT_EXPECT_TRUE(test, rd(t, NVSVM_REG_CHAN_STATUS(3)) & NVSVM_CHAN_STATUS_BUSY);
	reset_and_poke(test, t);
	/* A replay finds nothing of the channel to retry. */
	wr(t, NVSVM_REG_FAULT_REPLAY, 1);
	msleep(20);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_FAULT_BUF_PUT), 1);
	expect_works_again(test, t);
}

/* A reset ends an acquire that would wait forever. */
static void fifo_reset_acquire(struct kunit *test)
{
	struct test_gpu *t = test->priv;
	const u32 pb[] = {
		M(SEMAPHORE_ACQUIRE, 5), lower_32_bits(T_SEM + 8), upper_32_bits(T_SEM + 8),
			5, 0, 0,
		M(SEMAPHORE_RELEASE, 5), lower_32_bits(T_SEM), upper_32_bits(T_SEM), 1, 0, 0,
	};

	submit(test, t, pb, ARRAY_SIZE(pb));
	msleep(20);
	KUNIT_EXPECT_TRUE(test, rd(t, NVSVM_REG_CHAN_STATUS(3)) & NVSVM_CHAN_STATUS_BUSY);
	reset_and_poke(test, t);
	va_w64(test, t, T_SEM + 8, 5);
	msleep(30);
	KUNIT_EXPECT_EQ(test, va_r64(test, t, T_SEM), 0);
	expect_works_again(test, t);
}

/* A reset drops the translations the GPU cached for the channel's VM. */
static void fifo_reset_drops_translations(struct kunit *test)
{
	struct test_gpu *t = test->priv;
	const u32 pb[] = {
		M(SEMAPHORE_RELEASE, 5), lower_32_bits(T_SEM), upper_32_bits(T_SEM), 1, 0, 0,
	};

	submit(test, t, pb, ARRAY_SIZE(pb));
	KUNIT_ASSERT_EQ(test, wait_idle(test, t), NVSVM_CHAN_ERROR_NONE);
	KUNIT_EXPECT_EQ(test, va_r64(test, t, T_SEM), 1);

	/* Remapped without an invalidate: only the reset drops the old one. */
	map_page(test, t, T_SEM, (T_DATA_PA + 0x3f000) | NVSVM_PTE_VALID);
	reset_chan(test, t);
	rearm_chan(test, t);
	vram_w64(test, t, pa(T_SEM), 0);
	submit(test, t, pb, ARRAY_SIZE(pb));
	KUNIT_ASSERT_EQ(test, wait_idle(test, t), NVSVM_CHAN_ERROR_NONE);
	KUNIT_EXPECT_EQ(test, vram_r64(test, t, T_DATA_PA + 0x3f000), 1);
	KUNIT_EXPECT_EQ(test, vram_r64(test, t, pa(T_SEM)), 0);
}

/*
 * A host write whose VRAM backing cannot be allocated fails the channel
 * with NO_BACKING and reports no fault. The VRAM side (vram_fail) makes
 * the allocation fail.
 */
static void fifo_no_backing(struct kunit *test)
{
	struct test_gpu *t = test->priv;
	const u32 pb[] = {
		M(SEMAPHORE_RELEASE, 5), lower_32_bits(T_UNMAPPED), upper_32_bits(T_UNMAPPED),
			1, 0, 0,
	};
	u32 error;

	if (!IS_ENABLED(CONFIG_DRM_NVSVM_SIM_FAULT_INJECT))
		kunit_skip(test, "built without CONFIG_DRM_NVSVM_SIM_FAULT_INJECT");
	/* A page of VRAM never written: it has no backing yet. */
	map_page(test, t, T_UNMAPPED, 0x800000 | NVSVM_PTE_VALID);
	/* Back what the submission writes first: only the release may fail. */
	va_w64(test, t, T_GPFIFO + t->put * 16, 0);
	va_w64(test, t, ALIGN_DOWN(t->pb, 8), 0);
	va_w64(test, t, ALIGN_DOWN(t->pb + sizeof(pb) - 1, 8), 0);
	atomic_set(&t->sim->inject.vram_fail, 1);
	submit(test, t, pb, ARRAY_SIZE(pb));
	error = wait_idle(test, t);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->sim->inject.vram_fail), 0);
	atomic_set(&t->sim->inject.vram_fail, 0);
	KUNIT_EXPECT_EQ(test, error, NVSVM_CHAN_ERROR_NO_BACKING);
	KUNIT_EXPECT_EQ(test, (u64)rd(t, NVSVM_REG_CHAN_ERROR_INFO_HI(3)) << 32 |
			rd(t, NVSVM_REG_CHAN_ERROR_INFO_LO(3)), T_UNMAPPED);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_FAULT_BUF_PUT), 0);
}

static struct kunit_case fifo_cases[] = {
	KUNIT_CASE(fifo_semaphore_fill_copy),
	KUNIT_CASE(fifo_launch_vector_add),
	KUNIT_CASE(fifo_fault_replay),
	KUNIT_CASE(fifo_fault_cancel),
	KUNIT_CASE(fifo_host_fault_cancel),
	KUNIT_CASE(fifo_invalid_methods),
	KUNIT_CASE(fifo_kernel_errors),
	KUNIT_CASE(fifo_acquire_waits_for_release),
	KUNIT_CASE(fifo_mmu_invalidate_register),
	KUNIT_CASE(fifo_fault_buffer_overflow),
	KUNIT_CASE(fifo_cancel_wrong_tag),
	KUNIT_CASE(fifo_cancel_old_tag_after_reset),
	KUNIT_CASE(fifo_reset_running_grid),
	KUNIT_CASE(fifo_reset_stalled_fetch),
	KUNIT_CASE(fifo_reset_acquire),
	KUNIT_CASE(fifo_reset_drops_translations),
	KUNIT_CASE(fifo_no_backing),
	{}
};

static int fifo_test_init(struct kunit *test)
{
	test->priv = test_gpu_create(test, 2);
	return 0;
}

static void fifo_test_exit(struct kunit *test)
{
	struct test_gpu *t = test->priv;

	atomic_set(&t->sim->inject.vram_fail, 0);
	test_gpu_destroy(t);
}

static struct kunit_suite fifo_suite = {
	.name = "nvsvm_sim_fifo",
	.init = fifo_test_init,
	.exit = fifo_test_exit,
	.test_cases = fifo_cases,
};

kunit_test_suite(fifo_suite);
