/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Copyright 2026 The nvsvm authors */
#ifndef __NVSVM_SIM_TEST_GPU_H__
#define __NVSVM_SIM_TEST_GPU_H__

/*
 * An emulated GPU driven only through its registers and memory, the way a
 * driver drives it: page tables, an instance block, a GPFIFO ring and push
 * buffers, all in VRAM. Shared by the FIFO tests and the benchmark.
 */

#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/sizes.h>

#include "nvsvm_hw.h"
#include "nvsvm_isa.h"
#include "nvsvm_regs.h"
#include "sim/sim_internal.h"

#define ENC NVSVM_ISA_ENCODE

/* VRAM layout of the test. */
#define T_INST		0x000000ULL
#define T_FAULTBUF	0x001000ULL
#define T_PT_POOL	0x010000ULL	/* page tables, bump allocated */
#define T_DATA_PA	0x100000ULL	/* mapped at T_VA */
#define T_VA		0x40000000ULL	/* GPU VA of the mapped window */
#define T_SIZE		(256 * 1024)
#define T_GPFIFO	(T_VA + 0x0000)
#define T_PB		(T_VA + 0x1000)
#define T_CODE		(T_VA + 0x4000)
#define T_SEM		(T_VA + 0x8000)
#define T_A		(T_VA + 0x10000)
#define T_B		(T_VA + 0x20000)
#define T_C		(T_VA + 0x30000)
#define T_PARAM		(T_VA + 0x9000)
#define T_UNMAPPED	0x7000000000ULL

#define PDB		(T_PT_POOL | NVSVM_PTE_VALID)
#define ENTRIES		16

struct test_gpu {
	struct nvsvm_sim *sim;
	struct nvsvm_hw *hw;
	u64 pt_next;
	u32 put;
	u64 pb;		/* next free push buffer byte */
};

static inline void vram_w64(struct kunit *test, struct test_gpu *t, u64 pa, u64 v)
{
	__le64 raw = cpu_to_le64(v);

	KUNIT_ASSERT_EQ(test, 0, nvsvm_sim_mem_write(t->sim, NVSVM_APER_VRAM, pa, &raw, 8));
}

static inline u64 vram_r64(struct kunit *test, struct test_gpu *t, u64 pa)
{
	__le64 raw;

	KUNIT_ASSERT_EQ(test, 0, nvsvm_sim_mem_read(t->sim, NVSVM_APER_VRAM, pa, &raw, 8));
	return le64_to_cpu(raw);
}

/* VA in the window to its VRAM address. */
static inline u64 pa(u64 va)
{
	return T_DATA_PA + (va - T_VA);
}

static inline u64 va_r64(struct kunit *test, struct test_gpu *t, u64 va)
{
	return vram_r64(test, t, pa(va));
}

static inline void va_w64(struct kunit *test, struct test_gpu *t, u64 va, u64 v)
{
	vram_w64(test, t, pa(va), v);
}

/* Map one 4 KiB page in the VM rooted at @root; tables come from the pool. */
static inline void map_page_in(struct kunit *test, struct test_gpu *t, u64 root,
			       u64 va, u64 pte)
{
	u64 table = root;
	int level;

	for (level = 3; level > 0; level--) {
		u64 slot = table + ((va >> NVSVM_PT_SHIFT(level)) & 511) * 8;
		u64 e = vram_r64(test, t, slot);

		if (!(e & NVSVM_PTE_VALID)) {
			t->pt_next += SZ_4K;
			e = t->pt_next | NVSVM_PTE_VALID;
			vram_w64(test, t, slot, e);
		}
		table = e & NVSVM_PTE_ADDR;
	}
	vram_w64(test, t, table + ((va >> 12) & 511) * 8, pte);
}

/* Map one 4 KiB page in the test's VM. */
static inline void map_page(struct kunit *test, struct test_gpu *t, u64 va, u64 pte)
{
	map_page_in(test, t, T_PT_POOL, va, pte);
}

static inline void wr(struct test_gpu *t, u32 reg, u32 val)
{
	nvsvm_hw_wr32(t->hw, reg, val);
}

static inline u32 rd(struct test_gpu *t, u32 reg)
{
	return nvsvm_hw_rd32(t->hw, reg);
}

/* Tear down what test_gpu_create() made. */
static inline void test_gpu_destroy(struct test_gpu *t)
{
	nvsvm_sim_destroy(t->sim);
}

/*
 * A GPU with @sm_count SMs, a VM whose window T_VA..T_VA + T_SIZE maps VRAM
 * at T_DATA_PA, channel 3 enabled on an instance block at T_INST with its
 * GPFIFO at T_GPFIFO, and an 8-entry fault buffer at T_FAULTBUF.
 */
static inline struct test_gpu *test_gpu_create(struct kunit *test, u32 sm_count)
{
	struct nvsvm_sim_config cfg = { .vram_mb = 16, .sm_count = sm_count, .ce_count = 1 };
	struct test_gpu *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	u64 va;

	KUNIT_ASSERT_NOT_NULL(test, t);
	t->sim = nvsvm_sim_create(&cfg, "nvsvm-kunit");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t->sim);
	t->hw = nvsvm_sim_hw(t->sim);
	t->sim->watchdog_ms = 2000;

	t->pt_next = T_PT_POOL;
	for (va = T_VA; va < T_VA + T_SIZE; va += SZ_4K)
		map_page(test, t, va, pa(va) | NVSVM_PTE_VALID);

	vram_w64(test, t, T_INST + NVSVM_INST_PDB, PDB);
	vram_w64(test, t, T_INST + NVSVM_INST_GPFIFO_VA, T_GPFIFO);
	vram_w64(test, t, T_INST + NVSVM_INST_GPFIFO_ENTRIES, ENTRIES);	/* GET 0 */
	vram_w64(test, t, T_INST + NVSVM_INST_GP_GET, 0);		/* PUT 0 */
	t->pb = T_PB;

	wr(t, NVSVM_REG_FAULT_BUF_LO, lower_32_bits(T_FAULTBUF));
	wr(t, NVSVM_REG_FAULT_BUF_HI, 0);
	wr(t, NVSVM_REG_FAULT_BUF_SIZE, 8);
	wr(t, NVSVM_REG_CHAN_INST_LO(3), lower_32_bits(T_INST));
	wr(t, NVSVM_REG_CHAN_INST_HI(3), 0);
	wr(t, NVSVM_REG_CHAN_CTRL(3), NVSVM_CHAN_CTRL_ENABLE);
	return t;
}

/* Wait until channel @ch is neither resetting nor busy; its status. */
static inline u32 wait_reset_on(struct kunit *test, struct test_gpu *t, u32 ch)
{
	unsigned long timeout = jiffies + 10 * HZ;
	u32 status;

	while ((status = rd(t, NVSVM_REG_CHAN_STATUS(ch))) &
	       (NVSVM_CHAN_STATUS_RESETTING | NVSVM_CHAN_STATUS_BUSY)) {
		if (!time_before(jiffies, timeout)) {
			KUNIT_FAIL(test, "channel %u: reset did not finish, status %#x",
				   ch, status);
			break;
		}
		usleep_range(200, 500);
	}
	return status;
}

/* Reset channel 3 and wait for the reset to finish. */
static inline void reset_chan(struct kunit *test, struct test_gpu *t)
{
	wr(t, NVSVM_REG_CHAN_CTRL(3), NVSVM_CHAN_CTRL_RESET);
	wait_reset_on(test, t, 3);
}

/*
 * Write a push buffer of @n dwords and submit it on channel @ch, whose
 * instance block is at @inst in VRAM, its GPFIFO (ENTRIES entries) at
 * @gpfifo and its GP_PUT in *@put.
 */
static inline void submit_on(struct kunit *test, struct test_gpu *t, u32 ch, u64 inst,
			     u64 gpfifo, u32 *put, const u32 *dw, unsigned int n)
{
	u64 start = t->pb;
	unsigned int i;
	__le32 raw;
	u64 e = gpfifo + (u64)*put * 16;

	for (i = 0; i < n; i++) {
		raw = cpu_to_le32(dw[i]);
		KUNIT_ASSERT_EQ(test, 0, nvsvm_sim_mem_write(t->sim, NVSVM_APER_VRAM,
							     pa(t->pb), &raw, 4));
		t->pb += 4;
	}
	va_w64(test, t, e, start);
	va_w64(test, t, e + 8, n);
	*put = (*put + 1) % ENTRIES;
	raw = cpu_to_le32(*put);
	KUNIT_ASSERT_EQ(test, 0, nvsvm_sim_mem_write(t->sim, NVSVM_APER_VRAM,
						     inst + NVSVM_INST_GP_PUT, &raw, 4));
	wr(t, NVSVM_REG_FIFO_DOORBELL, ch);
}

/* Write a push buffer of @n dwords and submit it on channel 3. */
static inline void submit(struct kunit *test, struct test_gpu *t, const u32 *dw, unsigned int n)
{
	submit_on(test, t, 3, T_INST, T_GPFIFO, &t->put, dw, n);
}

/*
 * Wait until channel @ch (instance block at @inst in VRAM) consumed its
 * GPFIFO up to @put or stopped; its error.
 */
static inline u32 wait_idle_on(struct kunit *test, struct test_gpu *t, u32 ch, u64 inst,
			       u32 put)
{
	unsigned long timeout = jiffies + 10 * HZ;
	u32 status;

	do {
		__le32 get;

		status = rd(t, NVSVM_REG_CHAN_STATUS(ch));
		KUNIT_ASSERT_EQ(test, 0, nvsvm_sim_mem_read(t->sim, NVSVM_APER_VRAM,
							    inst + NVSVM_INST_GP_GET, &get, 4));
		if (FIELD_GET(NVSVM_CHAN_STATUS_ERROR, status) ||
		    (le32_to_cpu(get) == put && !(status & NVSVM_CHAN_STATUS_BUSY)))
			return FIELD_GET(NVSVM_CHAN_STATUS_ERROR, status);
		usleep_range(500, 1000);
	} while (time_before(jiffies, timeout));
	KUNIT_FAIL(test, "channel %u did not go idle, status %#x", ch, status);
	return U32_MAX;
}

/* Wait until channel 3 consumed everything or stopped; its error. */
static inline u32 wait_idle(struct kunit *test, struct test_gpu *t)
{
	return wait_idle_on(test, t, 3, T_INST, t->put);
}

#define M(m, n) NVSVM_METHOD(NVSVM_METHOD_##m, n)

static inline void write_code(struct kunit *test, struct test_gpu *t,
			      const u64 *code, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		va_w64(test, t, T_CODE + i * 8, code[i]);
}

static inline void launch(struct kunit *test, struct test_gpu *t, u32 blocks, u32 threads)
{
	const u32 pb[] = {
		M(LAUNCH, 6), lower_32_bits(T_CODE), upper_32_bits(T_CODE),
			      lower_32_bits(T_PARAM), upper_32_bits(T_PARAM), blocks, threads,
		M(SEMAPHORE_RELEASE, 5), lower_32_bits(T_SEM), upper_32_bits(T_SEM), 7, 0, 0,
	};

	submit(test, t, pb, ARRAY_SIZE(pb));
}

#endif /* __NVSVM_SIM_TEST_GPU_H__ */
