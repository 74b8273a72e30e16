// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

/*
 * KUnit tests of the emulated copy engines, driven through the registers as
 * a driver drives them. Everything lives in VRAM: the tests have no DMA
 * device, so system memory is a bus error here. The GPU has two engines;
 * the single-engine tests use engine 0.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/irqflags.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/sizes.h>
#include <linux/stop_machine.h>

#include "nvsvm_hw.h"
#include "nvsvm_regs.h"
#include "sim/sim_internal.h"

#define VRAM_MB		32
#define VRAM_END	((u64)VRAM_MB << 20)
#define ENGINES		2
#define RING		0x010000ULL	/* engine 0's ring */
#define RING1		0x018000ULL	/* engine 1's ring */
#define RING_SIZE	16
#define SEM		0x020000ULL	/* semaphores, 8 bytes apart */
#define LIST		0x030000ULL	/* COPY_LIST segments, up to 64 KiB */
#define LIST_MAX	(SZ_64K / NVSVM_CE_SEG_SIZE)
#define SRC		0x100000ULL
#define DST		0x200000ULL
#define DST1		0x300000ULL	/* engine 1's destination */
#define UNWRITTEN	0x400000ULL	/* never written: reads as zeroes */
#define BIG		0x800000ULL	/* 8 MiB from here for long copies */
#define BIG_SIZE	SZ_8M
#define SCATTER_SRC	0x1000000ULL	/* 4 MiB: 1024 page slots */
#define SCATTER_DST	0x1400000ULL	/* 4 MiB: 1024 page slots */
#define SCATTER_SLOTS	1024

#define GUARD		0x5a5a5a5a5a5a5a5aULL
#define PAGE_WORDS	(SZ_4K / sizeof(u64))

/* An engine's ring as the test programmed it. */
struct ce_ring {
	/* Where the ring lies in VRAM. */
	u64 base;
	/* Ring size as programmed, and where the next command goes. */
	u32 size;
	u32 put;
};

struct ce_test {
	struct nvsvm_sim *sim;
	struct nvsvm_hw *hw;
	struct ce_ring rings[ENGINES];
	/* The irq, once requested; 0 before. */
	unsigned int irq;
	/* What the interrupt handler saw, for the test to check. */
	atomic_t irq_calls;
	u32 irq_status;
	u32 irq_get;
	/* The same, per engine, for the tests of both engines. */
	u32 irq_status_of[ENGINES];
	struct completion irq_done;
};

/* Engine @n's register @reg. */
static u32 erd(struct ce_test *t, u32 n, u32 reg)
{
	return nvsvm_hw_rd32(t->hw, NVSVM_REG_CE(n, reg));
}

static void ewr(struct ce_test *t, u32 n, u32 reg, u32 val)
{
	nvsvm_hw_wr32(t->hw, NVSVM_REG_CE(n, reg), val);
}

/* Engine 0's register @reg, or any register of the GPU. */
static u32 rd(struct ce_test *t, u32 reg)
{
	return nvsvm_hw_rd32(t->hw, reg);
}

static void wr(struct ce_test *t, u32 reg, u32 val)
{
	nvsvm_hw_wr32(t->hw, reg, val);
}

static void set_ring_on(struct ce_test *t, u32 n, u32 lo, u32 hi, u32 size)
{
	ewr(t, n, NVSVM_REG_CE_RING_LO, lo);
	ewr(t, n, NVSVM_REG_CE_RING_HI, hi);
	ewr(t, n, NVSVM_REG_CE_RING_SIZE, size);
	t->rings[n].size = size;
	t->rings[n].put = 0;
}

static void set_ring(struct ce_test *t, u32 lo, u32 hi, u32 size)
{
	set_ring_on(t, 0, lo, hi, size);
}

static int ce_test_init(struct kunit *test)
{
	struct nvsvm_sim_config cfg = {
		.vram_mb = VRAM_MB, .sm_count = 1, .ce_count = ENGINES,
	};
	struct ce_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	t->sim = nvsvm_sim_create(&cfg, "nvsvm-kunit");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t->sim);
	t->hw = nvsvm_sim_hw(t->sim);
	init_completion(&t->irq_done);
	test->priv = t;
	t->rings[0].base = RING;
	t->rings[1].base = RING1;
	set_ring_on(t, 0, RING, 0, RING_SIZE);
	set_ring_on(t, 1, RING1, 0, RING_SIZE);
	return 0;
}

static void ce_test_exit(struct kunit *test)
{
	struct ce_test *t = test->priv;

	if (t->irq)
		free_irq(t->irq, t);
	if (t->sim) {
		atomic_set(&t->sim->inject.ce_fail, 0);
		WRITE_ONCE(t->sim->inject.ce_delay_ms, 0);
		nvsvm_sim_destroy(t->sim);
	}
}

/*
 * Acknowledges every cause of every engine, from hard-IRQ context, as a
 * driver would: the engines share the line.
 */
static irqreturn_t ce_test_irq(int irq, void *data)
{
	struct ce_test *t = data;
	irqreturn_t ret = IRQ_NONE;
	u32 n;

	for (n = 0; n < ENGINES; n++) {
		u32 status = erd(t, n, NVSVM_REG_CE_INTR_STATUS);

		if (!status)
			continue;
		t->irq_status_of[n] |= status;
		if (n == 0) {
			t->irq_status |= status;
			t->irq_get = erd(t, n, NVSVM_REG_CE_GET);
		}
		ewr(t, n, NVSVM_REG_CE_INTR_STATUS, status);
		ret = IRQ_HANDLED;
	}
	if (ret == IRQ_HANDLED) {
		atomic_inc(&t->irq_calls);
		complete(&t->irq_done);
	}
	return ret;
}

static void request_ce_irq(struct kunit *test, struct ce_test *t)
{
	unsigned int irq = nvsvm_sim_irq(t->sim, NVSVM_IRQ_CE);

	KUNIT_ASSERT_EQ(test, 0, request_irq(irq, ce_test_irq, 0, "nvsvm-kunit", t));
	t->irq = irq;
}

/* Write a command at engine @n's next free ring slot; it runs at kick_on(). */
static void put_cmd_on(struct kunit *test, struct ce_test *t, u32 n, u32 op,
		       u32 flags, u64 src, u64 dst, u64 size)
{
	struct ce_ring *r = &t->rings[n];
	struct {
		__le32 op;
		__le32 flags;
		__le64 src;
		__le64 dst;
		__le64 size;
	} cmd = {
		.op = cpu_to_le32(op),
		.flags = cpu_to_le32(flags),
		.src = cpu_to_le64(src),
		.dst = cpu_to_le64(dst),
		.size = cpu_to_le64(size),
	};

	static_assert(sizeof(cmd) == NVSVM_CE_CMD_SIZE);
	KUNIT_ASSERT_EQ(test, 0, nvsvm_sim_mem_write(t->sim, NVSVM_APER_VRAM,
						     r->base + r->put * NVSVM_CE_CMD_SIZE,
						     &cmd, sizeof(cmd)));
	r->put = (r->put + 1) & (r->size - 1);
}

static void put_cmd(struct kunit *test, struct ce_test *t, u32 op, u32 flags,
		    u64 src, u64 dst, u64 size)
{
	put_cmd_on(test, t, 0, op, flags, src, dst, size);
}

static void kick_on(struct ce_test *t, u32 n)
{
	ewr(t, n, NVSVM_REG_CE_PUT, t->rings[n].put);
}

static void kick(struct ce_test *t)
{
	kick_on(t, 0);
}

/* Wait until engine @n caught up with PUT or stopped on an error. */
static void wait_engine_on(struct kunit *test, struct ce_test *t, u32 n)
{
	unsigned long timeout = jiffies + 20 * HZ;

	while (erd(t, n, NVSVM_REG_CE_GET) != erd(t, n, NVSVM_REG_CE_PUT) &&
	       !erd(t, n, NVSVM_REG_CE_ERROR)) {
		KUNIT_ASSERT_TRUE_MSG(test, time_before(jiffies, timeout),
				      "engine %u stuck: GET %u PUT %u", n,
				      erd(t, n, NVSVM_REG_CE_GET),
				      erd(t, n, NVSVM_REG_CE_PUT));
		usleep_range(200, 500);
	}
}

static void wait_engine(struct kunit *test, struct ce_test *t)
{
	wait_engine_on(test, t, 0);
}

/* Wait until engine @n is neither resetting nor busy. */
static void wait_reset_on(struct kunit *test, struct ce_test *t, u32 n)
{
	unsigned long timeout = jiffies + 10 * HZ;
	u32 status;

	while ((status = erd(t, n, NVSVM_REG_CE_STATUS)) &
	       (NVSVM_CE_STATUS_RESETTING | NVSVM_CE_STATUS_BUSY)) {
		KUNIT_ASSERT_TRUE_MSG(test, time_before(jiffies, timeout),
				      "engine %u: reset did not finish, STATUS %#x",
				      n, status);
		usleep_range(200, 500);
	}
}

static void wait_reset(struct kunit *test, struct ce_test *t)
{
	wait_reset_on(test, t, 0);
}

/* Run engine @n's commands written so far to completion, without error. */
static void run_on(struct kunit *test, struct ce_test *t, u32 n)
{
	kick_on(t, n);
	wait_engine_on(test, t, n);
	KUNIT_ASSERT_EQ(test, erd(t, n, NVSVM_REG_CE_ERROR), 0);
	KUNIT_ASSERT_EQ(test, erd(t, n, NVSVM_REG_CE_GET), t->rings[n].put);
}

static void run(struct kunit *test, struct ce_test *t)
{
	run_on(test, t, 0);
}

static u64 vram64(struct kunit *test, struct ce_test *t, u64 addr)
{
	__le64 v;

	KUNIT_ASSERT_EQ(test, 0, nvsvm_sim_mem_read(t->sim, NVSVM_APER_VRAM,
						    addr, &v, sizeof(v)));
	return le64_to_cpu(v);
}

/* Fill 4 KiB pages with @fn(page, word) values, little-endian. */
static void write_pages(struct kunit *test, struct ce_test *t, u64 addr,
			unsigned int pages, u64 (*fn)(unsigned int, unsigned int))
{
	__le64 *buf = kunit_kmalloc(test, SZ_4K, GFP_KERNEL);
	unsigned int p, i;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (p = 0; p < pages; p++) {
		for (i = 0; i < PAGE_WORDS; i++)
			buf[i] = cpu_to_le64(fn(p, i));
		KUNIT_ASSERT_EQ(test, 0, nvsvm_sim_mem_write(t->sim, NVSVM_APER_VRAM,
							     addr + p * SZ_4K,
							     buf, SZ_4K));
	}
	kunit_kfree(test, buf);
}

/* Count the words of 4 KiB pages that differ from @fn(page, word). */
static unsigned int check_pages(struct kunit *test, struct ce_test *t, u64 addr,
				unsigned int pages,
				u64 (*fn)(unsigned int, unsigned int))
{
	__le64 *buf = kunit_kmalloc(test, SZ_4K, GFP_KERNEL);
	unsigned int p, i, bad = 0;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (p = 0; p < pages; p++) {
		KUNIT_ASSERT_EQ(test, 0, nvsvm_sim_mem_read(t->sim, NVSVM_APER_VRAM,
							    addr + p * SZ_4K,
							    buf, SZ_4K));
		for (i = 0; i < PAGE_WORDS; i++)
			bad += le64_to_cpu(buf[i]) != fn(p, i);
	}
	kunit_kfree(test, buf);
	return bad;
}

/* Distinct in every word of every page. */
static u64 gen_pattern(unsigned int page, unsigned int word)
{
	return (0x9e3779b97f4a7c15ULL * (page + 1)) ^ ((u64)page << 32 | word);
}

static u64 gen_guard(unsigned int page, unsigned int word)
{
	return GUARD;
}

static u64 gen_zero(unsigned int page, unsigned int word)
{
	return 0;
}

#define FILL_VALUE	0x0123456789abcdefULL

static u64 gen_fill(unsigned int page, unsigned int word)
{
	return FILL_VALUE;
}

/* Every register reads back what was programmed; read-only ones ignore writes. */
static void ce_registers_read_back(struct kunit *test)
{
	struct ce_test *t = test->priv;

	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_RING_LO), RING);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_RING_HI), 0);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_RING_SIZE), RING_SIZE);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_GET), 0);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_PUT), 0);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_INTR_STATUS), 0);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_INTR_EN), 0);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_ERROR), 0);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_RESET), 0);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_STATUS), 0);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_ERROR_CAUSE), NVSVM_CE_ERROR_NONE);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_ERROR_SEGMENT), 0);

	set_ring(t, 0xabcde000 | NVSVM_ADDR_LO_SYSMEM, 0x1234, 1024);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_RING_LO), 0xabcde001);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_RING_HI), 0x1234);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_RING_SIZE), 1024);

	wr(t, NVSVM_REG_CE_INTR_EN, NVSVM_CE_INTR_ERROR);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_INTR_EN), NVSVM_CE_INTR_ERROR);
	/* Reserved bits read as 0. */
	wr(t, NVSVM_REG_CE_INTR_EN, ~0U);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_INTR_EN),
			NVSVM_CE_INTR_SEMAPHORE | NVSVM_CE_INTR_ERROR);

	/* Read-only, or write-1-to-clear with nothing set. */
	wr(t, NVSVM_REG_CE_GET, 7);
	wr(t, NVSVM_REG_CE_ERROR, 7);
	wr(t, NVSVM_REG_CE_INTR_STATUS, ~0U);
	wr(t, NVSVM_REG_CE_STATUS, ~0U);
	wr(t, NVSVM_REG_CE_ERROR_CAUSE, 7);
	wr(t, NVSVM_REG_CE_ERROR_SEGMENT, 7);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_GET), 0);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_ERROR), 0);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_INTR_STATUS), 0);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_STATUS), 0);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_ERROR_CAUSE), 0);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_ERROR_SEGMENT), 0);

	/* PUT reads back as written, even where the engine cannot follow. */
	set_ring(t, RING, 0, RING_SIZE);
	put_cmd(test, t, NVSVM_CE_OP_SEMAPHORE, 0, 0, SEM, 1);
	run(test, t);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_PUT), 1);
	wr(t, NVSVM_REG_CE_PUT, 0xdead);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_PUT), 0xdead);
}

/* Writing CE_RING_SIZE starts a new ring: GET and PUT go back to 0. */
static void ce_ring_size_resets_pointers(struct kunit *test)
{
	struct ce_test *t = test->priv;

	put_cmd(test, t, NVSVM_CE_OP_SEMAPHORE, 0, 0, SEM, 1);
	put_cmd(test, t, NVSVM_CE_OP_SEMAPHORE, 0, 0, SEM, 2);
	put_cmd(test, t, NVSVM_CE_OP_SEMAPHORE, 0, 0, SEM, 3);
	run(test, t);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_GET), 3);

	set_ring(t, RING, 0, 8);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_RING_SIZE), 8);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_GET), 0);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_PUT), 0);
	put_cmd(test, t, NVSVM_CE_OP_SEMAPHORE, 0, 0, SEM, 4);
	run(test, t);
	KUNIT_EXPECT_EQ(test, vram64(test, t, SEM), 4);
}

/*
 * Offsets the block does not decode, unaligned ones, and every offset of
 * the engines the GPU does not have (it has 2), read as bad.
 */
static void ce_bad_offsets(struct kunit *test)
{
	static const u32 regs[] = {
		0x006001, 0x006002, 0x006003, 0x00600e, 0x006011,
		0x006030, 0x0060fc, 0x006130, 0x0061fc,
		0x006200, 0x006210, 0x006224, 0x006f00, 0x006ffc, 0x006fff,
	};
	struct ce_test *t = test->priv;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(regs); i++) {
		KUNIT_EXPECT_EQ_MSG(test, rd(t, regs[i]),
				    NVSVM_REG_BAD_VALUE | (regs[i] & NVSVM_REG_BAD_MASK),
				    "offset %#x", regs[i]);
		wr(t, regs[i], 0xffffffff);
	}

	/* None of those writes reached a register, nor kicked an engine. */
	KUNIT_EXPECT_EQ(test, erd(t, 0, NVSVM_REG_CE_RING_LO), RING);
	KUNIT_EXPECT_EQ(test, erd(t, 1, NVSVM_REG_CE_RING_LO), RING1);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_RING_HI), 0);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_RING_SIZE), RING_SIZE);
	KUNIT_EXPECT_EQ(test, erd(t, 1, NVSVM_REG_CE_RING_SIZE), RING_SIZE);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_PUT), 0);
	KUNIT_EXPECT_EQ(test, erd(t, 1, NVSVM_REG_CE_PUT), 0);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_INTR_EN), 0);
	msleep(20);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_GET), 0);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_ERROR), 0);
	KUNIT_EXPECT_EQ(test, erd(t, 1, NVSVM_REG_CE_ERROR), 0);
}

/* COPY moves every page to its place, and nothing else. */
static void ce_copy(struct kunit *test)
{
	struct ce_test *t = test->priv;

	write_pages(test, t, SRC, 5, gen_pattern);
	write_pages(test, t, DST - SZ_4K, 7, gen_guard);
	put_cmd(test, t, NVSVM_CE_OP_COPY, 0, SRC, DST, 5 * SZ_4K);
	/* VRAM never written copies as zeroes. */
	write_pages(test, t, DST + SZ_512K, 2, gen_guard);
	put_cmd(test, t, NVSVM_CE_OP_COPY, 0, UNWRITTEN, DST + SZ_512K, 2 * SZ_4K);
	/* Up to the last page of VRAM. */
	put_cmd(test, t, NVSVM_CE_OP_COPY, 0, SRC, VRAM_END - 2 * SZ_4K, 2 * SZ_4K);
	run(test, t);

	KUNIT_EXPECT_EQ(test, check_pages(test, t, DST, 5, gen_pattern), 0);
	KUNIT_EXPECT_EQ(test, check_pages(test, t, DST - SZ_4K, 1, gen_guard), 0);
	KUNIT_EXPECT_EQ(test, check_pages(test, t, DST + 5 * SZ_4K, 1, gen_guard), 0);
	KUNIT_EXPECT_EQ(test, check_pages(test, t, DST + SZ_512K, 2, gen_zero), 0);
	KUNIT_EXPECT_FALSE(test, nvsvm_sim_vram_backed(t->sim, UNWRITTEN));
	KUNIT_EXPECT_EQ(test, check_pages(test, t, VRAM_END - 2 * SZ_4K, 2, gen_pattern), 0);
	/* The source is untouched. */
	KUNIT_EXPECT_EQ(test, check_pages(test, t, SRC, 5, gen_pattern), 0);
}

/* FILL stores the 64-bit pattern little-endian over whole pages. */
static void ce_fill(struct kunit *test)
{
	struct ce_test *t = test->priv;
	u8 first[8];

	write_pages(test, t, DST - SZ_4K, 5, gen_guard);
	put_cmd(test, t, NVSVM_CE_OP_FILL, 0, FILL_VALUE, DST, 3 * SZ_4K);
	run(test, t);

	KUNIT_EXPECT_EQ(test, check_pages(test, t, DST, 3, gen_fill), 0);
	KUNIT_EXPECT_EQ(test, check_pages(test, t, DST - SZ_4K, 1, gen_guard), 0);
	KUNIT_EXPECT_EQ(test, check_pages(test, t, DST + 3 * SZ_4K, 1, gen_guard), 0);
	KUNIT_ASSERT_EQ(test, 0, nvsvm_sim_mem_read(t->sim, NVSVM_APER_VRAM, DST,
						    first, sizeof(first)));
	KUNIT_EXPECT_EQ(test, first[0], 0xef);
	KUNIT_EXPECT_EQ(test, first[7], 0x01);
}

/*
 * A SEMAPHORE with INTR raises the interrupt once it and everything before
 * it is done; the handler acknowledges it through CE_INTR_STATUS.
 */
static void ce_semaphore_interrupt(struct kunit *test)
{
	struct ce_test *t = test->priv;

	request_ce_irq(test, t);
	wr(t, NVSVM_REG_CE_INTR_EN, NVSVM_CE_INTR_SEMAPHORE | NVSVM_CE_INTR_ERROR);
	put_cmd(test, t, NVSVM_CE_OP_FILL, 0, FILL_VALUE, DST, 4 * SZ_4K);
	put_cmd(test, t, NVSVM_CE_OP_SEMAPHORE, NVSVM_CE_FLAG_INTR, 0,
		SEM + 8, 0xfeedface00c0ffeeULL);
	kick(t);

	KUNIT_ASSERT_NE(test, 0UL, wait_for_completion_timeout(&t->irq_done, 20 * HZ));
	KUNIT_EXPECT_EQ(test, atomic_read(&t->irq_calls), 1);
	KUNIT_EXPECT_EQ(test, t->irq_status, NVSVM_CE_INTR_SEMAPHORE);
	KUNIT_EXPECT_EQ(test, t->irq_get, 2);
	KUNIT_EXPECT_EQ(test, vram64(test, t, SEM + 8), 0xfeedface00c0ffeeULL);
	KUNIT_EXPECT_EQ(test, check_pages(test, t, DST, 4, gen_fill), 0);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_INTR_STATUS), 0);

	/* Without INTR, the payload lands and nothing is raised. */
	put_cmd(test, t, NVSVM_CE_OP_SEMAPHORE, 0, 0, SEM + 16, 0x77);
	run(test, t);
	KUNIT_EXPECT_EQ(test, vram64(test, t, SEM + 16), 0x77);
	msleep(20);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->irq_calls), 1);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_INTR_STATUS), 0);
}

/* CE_INTR_EN gates the line, not the status: enabling a set cause fires. */
static void ce_intr_en_gates_line(struct kunit *test)
{
	struct ce_test *t = test->priv;

	request_ce_irq(test, t);
	put_cmd(test, t, NVSVM_CE_OP_SEMAPHORE, NVSVM_CE_FLAG_INTR, 0, SEM, 1);
	run(test, t);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_INTR_STATUS), NVSVM_CE_INTR_SEMAPHORE);
	msleep(20);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->irq_calls), 0);

	wr(t, NVSVM_REG_CE_INTR_EN, NVSVM_CE_INTR_SEMAPHORE);
	KUNIT_ASSERT_NE(test, 0UL, wait_for_completion_timeout(&t->irq_done, 20 * HZ));
	KUNIT_EXPECT_EQ(test, t->irq_status, NVSVM_CE_INTR_SEMAPHORE);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_INTR_STATUS), 0);
}

/* Many commands through a small ring: PUT wraps modulo the size. */
static void ce_ring_wraps(struct kunit *test)
{
	static const unsigned int batches[] = { 3, 5, 7, 3, 1, 7, 6, 2, 7, 4 };
	struct ce_test *t = test->priv;
	unsigned int b, i, n = 0;
	bool wrapped = false;

	set_ring(t, RING, 0, 8);
	for (b = 0; b < ARRAY_SIZE(batches); b++) {
		u32 get = t->rings[0].put;

		for (i = 0; i < batches[b]; i++, n++)
			put_cmd(test, t, NVSVM_CE_OP_SEMAPHORE, 0, 0, SEM + n * 8,
				0x1000 + n);
		wrapped |= t->rings[0].put < get;
		run(test, t);
		KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_PUT), t->rings[0].put);
	}
	KUNIT_EXPECT_TRUE(test, wrapped);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_GET), n % 8);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ_MSG(test, vram64(test, t, SEM + i * 8), 0x1000 + i,
				    "command %u", i);
}

struct bad_cmd {
	const char *what;
	u32 op;
	u32 flags;
	u64 src;
	u64 dst;
	u64 size;
	u32 cause;
};

#define BAD	NVSVM_CE_ERROR_BAD_COMMAND
#define BUS	NVSVM_CE_ERROR_BUS

static const struct bad_cmd bad_cmds[] = {
	{ "op 0", 0, 0, SRC, DST, SZ_4K, BAD },
	{ "op 5", 5, 0, SRC, DST, SZ_4K, BAD },
	{ "op ~0", ~0U, 0, SRC, DST, SZ_4K, BAD },
	{ "copy: src misaligned", NVSVM_CE_OP_COPY, 0, SRC + 8, DST, SZ_4K, BAD },
	{ "copy: dst misaligned", NVSVM_CE_OP_COPY, 0, SRC, DST + 0x800, SZ_4K, BAD },
	{ "copy: size not whole pages", NVSVM_CE_OP_COPY, 0, SRC, DST, 0x1800, BAD },
	{ "copy: size 0", NVSVM_CE_OP_COPY, 0, SRC, DST, 0, BAD },
	{ "copy: src beyond VRAM", NVSVM_CE_OP_COPY, 0, VRAM_END, DST, SZ_4K, BUS },
	{ "copy: dst runs past VRAM", NVSVM_CE_OP_COPY, 0, SRC,
	  VRAM_END - SZ_4K, 2 * SZ_4K, BUS },
	{ "copy: dst wraps around", NVSVM_CE_OP_COPY, 0, SRC,
	  ~0ULL & ~0xfffULL, 2 * SZ_4K, BUS },
	{ "copy: src in sysmem, no DMA device", NVSVM_CE_OP_COPY,
	  NVSVM_CE_FLAG_SRC_SYSMEM, SRC, DST, SZ_4K, BUS },
	{ "copy: dst in sysmem, no DMA device", NVSVM_CE_OP_COPY,
	  NVSVM_CE_FLAG_DST_SYSMEM, SRC, DST, SZ_4K, BUS },
	{ "fill: dst misaligned", NVSVM_CE_OP_FILL, 0, FILL_VALUE, DST + 8, SZ_4K, BAD },
	{ "fill: size not whole pages", NVSVM_CE_OP_FILL, 0, FILL_VALUE, DST, 0x100, BAD },
	{ "fill: size 0", NVSVM_CE_OP_FILL, 0, FILL_VALUE, DST, 0, BAD },
	{ "fill: dst beyond VRAM", NVSVM_CE_OP_FILL, 0, FILL_VALUE, VRAM_END, SZ_4K, BUS },
	{ "fill: dst in sysmem, no DMA device", NVSVM_CE_OP_FILL,
	  NVSVM_CE_FLAG_DST_SYSMEM, FILL_VALUE, DST, SZ_4K, BUS },
	{ "semaphore: dst misaligned", NVSVM_CE_OP_SEMAPHORE, 0, 0, SEM + 4, 1, BAD },
	{ "semaphore: dst beyond VRAM", NVSVM_CE_OP_SEMAPHORE, 0, 0, VRAM_END, 1, BUS },
	{ "semaphore: dst in sysmem, no DMA device", NVSVM_CE_OP_SEMAPHORE,
	  NVSVM_CE_FLAG_DST_SYSMEM, 0, SEM, 1, BUS },
	{ "copy_list: no segments", NVSVM_CE_OP_COPY_LIST, 0, LIST, 0, 0, BAD },
	{ "copy_list: too many segments", NVSVM_CE_OP_COPY_LIST, 0, LIST, 0,
	  NVSVM_CE_LIST_MAX + 1, BAD },
	{ "copy_list: list misaligned", NVSVM_CE_OP_COPY_LIST, 0, LIST + 16, 0, 1, BAD },
	{ "copy_list: list beyond VRAM", NVSVM_CE_OP_COPY_LIST, 0, VRAM_END, 0, 1, BUS },
	{ "copy_list: list wraps around", NVSVM_CE_OP_COPY_LIST, 0,
	  ~0ULL & ~0x1fULL, 0, 2, BUS },
	{ "copy_list: list in sysmem, no DMA device", NVSVM_CE_OP_COPY_LIST,
	  NVSVM_CE_FLAG_LIST_SYSMEM, LIST, 0, 1, BUS },
};

static void bad_cmd_desc(const struct bad_cmd *b, char *desc)
{
	strscpy(desc, b->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(bad_cmd, bad_cmds, bad_cmd_desc);

/*
 * The engine is stopped at ring index @index for @cause; nothing after it
 * runs.
 */
static void expect_stopped(struct kunit *test, struct ce_test *t, u32 index,
			   u32 cause, u64 sem_after)
{
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_ERROR), index + 1);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_ERROR_CAUSE), cause);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_ERROR_SEGMENT), 0);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_GET), index);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_INTR_STATUS), NVSVM_CE_INTR_ERROR);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_STATUS), 0);

	/* Another kick does nothing either. */
	put_cmd(test, t, NVSVM_CE_OP_SEMAPHORE, 0, 0, sem_after + 8, 2);
	kick(t);
	msleep(20);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_GET), index);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_ERROR), index + 1);
	KUNIT_EXPECT_EQ(test, vram64(test, t, sem_after), 0);
	KUNIT_EXPECT_EQ(test, vram64(test, t, sem_after + 8), 0);
}

/*
 * A bad command stops the engine on it: CE_ERROR is its index + 1,
 * CE_ERROR_CAUSE why.
 */
static void ce_bad_command(struct kunit *test)
{
	const struct bad_cmd *b = test->param_value;
	struct ce_test *t = test->priv;

	write_pages(test, t, SRC, 1, gen_pattern);
	put_cmd(test, t, NVSVM_CE_OP_SEMAPHORE, 0, 0, SEM, 1);
	put_cmd(test, t, b->op, b->flags, b->src, b->dst, b->size);
	put_cmd(test, t, NVSVM_CE_OP_SEMAPHORE, 0, 0, SEM + 8, 1);
	kick(t);
	wait_engine(test, t);

	KUNIT_EXPECT_EQ(test, vram64(test, t, SEM), 1);
	expect_stopped(test, t, 1, b->cause, SEM + 8);
}

struct bad_ring {
	const char *what;
	u32 lo;
	u32 hi;
	u32 size;
	u32 put;
};

static const struct bad_ring bad_rings[] = {
	{ "ring off", RING, 0, 0, 1 },
	{ "size not a power of 2", RING, 0, 12, 1 },
	{ "reserved bits in RING_LO", RING | BIT(4), 0, RING_SIZE, 1 },
	{ "PUT at ring size", RING, 0, RING_SIZE, RING_SIZE },
	{ "PUT beyond ring size", RING, 0, RING_SIZE, 0x1001 },
	{ "ring beyond VRAM", (u32)VRAM_END, 0, RING_SIZE, 1 },
	{ "ring above 4 GiB, beyond VRAM", RING, 1, RING_SIZE, 1 },
	{ "ring in sysmem, no DMA device", RING | NVSVM_ADDR_LO_SYSMEM, 0,
	  RING_SIZE, 1 },
};

static void bad_ring_desc(const struct bad_ring *b, char *desc)
{
	strscpy(desc, b->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(bad_ring, bad_rings, bad_ring_desc);

/* A ring the engine cannot use stops it at CE_GET, cause RING. */
static void ce_bad_ring(struct kunit *test)
{
	const struct bad_ring *b = test->param_value;
	struct ce_test *t = test->priv;

	/* The commands are where a good ring would be. */
	put_cmd(test, t, NVSVM_CE_OP_SEMAPHORE, 0, 0, SEM, 1);
	set_ring(t, b->lo, b->hi, b->size);
	t->rings[0].size = RING_SIZE;
	t->rings[0].put = 1;
	wr(t, NVSVM_REG_CE_PUT, b->put);
	wait_engine(test, t);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_PUT), b->put);
	expect_stopped(test, t, 0, NVSVM_CE_ERROR_RING, SEM);
}

/* The error interrupt; acknowledging it leaves the engine stopped. */
static void ce_error_interrupt(struct kunit *test)
{
	struct ce_test *t = test->priv;

	request_ce_irq(test, t);
	wr(t, NVSVM_REG_CE_INTR_EN, NVSVM_CE_INTR_SEMAPHORE | NVSVM_CE_INTR_ERROR);
	put_cmd(test, t, NVSVM_CE_OP_FILL, 0, 0, DST, SZ_4K);
	put_cmd(test, t, NVSVM_CE_OP_COPY, 0, SRC, DST + 1, SZ_4K);
	kick(t);

	KUNIT_ASSERT_NE(test, 0UL, wait_for_completion_timeout(&t->irq_done, 20 * HZ));
	KUNIT_EXPECT_EQ(test, t->irq_status, NVSVM_CE_INTR_ERROR);
	KUNIT_EXPECT_EQ(test, t->irq_get, 1);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_INTR_STATUS), 0);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_ERROR), 2);
	put_cmd(test, t, NVSVM_CE_OP_SEMAPHORE, 0, 0, SEM, 1);
	kick(t);
	msleep(20);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_GET), 1);
	KUNIT_EXPECT_EQ(test, vram64(test, t, SEM), 0);
}

/* CE_RESET drops what is pending, clears the error, and the engine runs again. */
static void ce_reset_recovers(struct kunit *test)
{
	struct ce_test *t = test->priv;

	wr(t, NVSVM_REG_CE_INTR_EN, NVSVM_CE_INTR_SEMAPHORE);
	put_cmd(test, t, NVSVM_CE_OP_SEMAPHORE, NVSVM_CE_FLAG_INTR, 0, SEM, 1);
	put_cmd(test, t, 0, 0, 0, 0, 0);
	put_cmd(test, t, NVSVM_CE_OP_SEMAPHORE, 0, 0, SEM + 8, 2);
	kick(t);
	wait_engine(test, t);
	KUNIT_ASSERT_EQ(test, rd(t, NVSVM_REG_CE_ERROR), 2);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_INTR_STATUS),
			NVSVM_CE_INTR_SEMAPHORE | NVSVM_CE_INTR_ERROR);

	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_ERROR_CAUSE), NVSVM_CE_ERROR_BAD_COMMAND);

	wr(t, NVSVM_REG_CE_RESET, 1);
	wait_reset(test, t);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_ERROR), 0);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_ERROR_CAUSE), NVSVM_CE_ERROR_NONE);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_ERROR_SEGMENT), 0);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_GET), 3);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_PUT), 3);
	/* Only the error bit is cleared. */
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_INTR_STATUS), NVSVM_CE_INTR_SEMAPHORE);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_INTR_EN), NVSVM_CE_INTR_SEMAPHORE);

	put_cmd(test, t, NVSVM_CE_OP_FILL, 0, FILL_VALUE, DST, SZ_4K);
	put_cmd(test, t, NVSVM_CE_OP_SEMAPHORE, 0, 0, SEM + 16, 3);
	run(test, t);
	KUNIT_EXPECT_EQ(test, vram64(test, t, SEM), 1);
	KUNIT_EXPECT_EQ(test, vram64(test, t, SEM + 8), 0);
	KUNIT_EXPECT_EQ(test, vram64(test, t, SEM + 16), 3);
	KUNIT_EXPECT_EQ(test, check_pages(test, t, DST, 1, gen_fill), 0);
}

/*
 * CE_RESET stops long copies: GET jumps to PUT at once, and the engine is
 * idle once RESETTING reads 0.
 */
static void ce_reset_stops_copies(struct kunit *test)
{
	struct ce_test *t = test->priv;
	unsigned int i;

	write_pages(test, t, SRC, 1, gen_pattern);
	/* Far more work than two register writes take. */
	for (i = 0; i < RING_SIZE - 2; i++)
		put_cmd(test, t, NVSVM_CE_OP_COPY, 0, 0, BIG, BIG_SIZE);
	put_cmd(test, t, NVSVM_CE_OP_SEMAPHORE, 0, 0, SEM, 1);
	kick(t);
	wr(t, NVSVM_REG_CE_RESET, 0);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_GET), RING_SIZE - 1);
	wait_reset(test, t);

	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_GET), RING_SIZE - 1);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_ERROR), 0);
	/* Idle: nothing the engine had pending touches memory any more. */
	write_pages(test, t, BIG, 1, gen_guard);
	write_pages(test, t, BIG + BIG_SIZE - SZ_4K, 1, gen_guard);
	msleep(50);
	KUNIT_EXPECT_EQ(test, check_pages(test, t, BIG, 1, gen_guard), 0);
	KUNIT_EXPECT_EQ(test, check_pages(test, t, BIG + BIG_SIZE - SZ_4K, 1, gen_guard), 0);
	KUNIT_EXPECT_EQ(test, vram64(test, t, SEM), 0);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_GET), RING_SIZE - 1);

	/* And it works again. */
	put_cmd(test, t, NVSVM_CE_OP_COPY, 0, SRC, DST, SZ_4K);
	put_cmd(test, t, NVSVM_CE_OP_SEMAPHORE, 0, 0, SEM + 8, 2);
	run(test, t);
	KUNIT_EXPECT_EQ(test, check_pages(test, t, DST, 1, gen_pattern), 0);
	KUNIT_EXPECT_EQ(test, vram64(test, t, SEM + 8), 2);
}

/* Write segment @i of the list at @list. */
static void put_seg(struct kunit *test, struct ce_test *t, u64 list, u32 i,
		    u64 src, u64 dst, u64 size, u32 flags, u32 reserved)
{
	struct {
		__le64 src;
		__le64 dst;
		__le64 size;
		__le32 flags;
		__le32 reserved;
	} seg = {
		.src = cpu_to_le64(src),
		.dst = cpu_to_le64(dst),
		.size = cpu_to_le64(size),
		.flags = cpu_to_le32(flags),
		.reserved = cpu_to_le32(reserved),
	};

	static_assert(sizeof(seg) == NVSVM_CE_SEG_SIZE);
	KUNIT_ASSERT_EQ(test, 0, nvsvm_sim_mem_write(t->sim, NVSVM_APER_VRAM,
						     list + (u64)i * NVSVM_CE_SEG_SIZE,
						     &seg, sizeof(seg)));
}

/* Write page @page of @fn at @addr. */
static void write_page_at(struct kunit *test, struct ce_test *t, u64 addr,
			  unsigned int page, u64 (*fn)(unsigned int, unsigned int))
{
	__le64 *buf = kunit_kmalloc(test, SZ_4K, GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < PAGE_WORDS; i++)
		buf[i] = cpu_to_le64(fn(page, i));
	KUNIT_ASSERT_EQ(test, 0, nvsvm_sim_mem_write(t->sim, NVSVM_APER_VRAM, addr,
						     buf, SZ_4K));
	kunit_kfree(test, buf);
}

/* Count the words of the page at @addr that differ from page @page of @fn. */
static unsigned int check_page_at(struct kunit *test, struct ce_test *t, u64 addr,
				  unsigned int page,
				  u64 (*fn)(unsigned int, unsigned int))
{
	__le64 *buf = kunit_kmalloc(test, SZ_4K, GFP_KERNEL);
	unsigned int i, bad = 0;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, 0, nvsvm_sim_mem_read(t->sim, NVSVM_APER_VRAM, addr,
						    buf, SZ_4K));
	for (i = 0; i < PAGE_WORDS; i++)
		bad += le64_to_cpu(buf[i]) != fn(page, i);
	kunit_kfree(test, buf);
	return bad;
}

#define SCATTER_PAGES	512

/* Slots of page i: both odd multipliers, so distinct modulo 1024. */
static u64 scatter_src(unsigned int i)
{
	return SCATTER_SRC + (u64)((i * 389) % SCATTER_SLOTS) * SZ_4K;
}

static u64 scatter_dst(unsigned int i)
{
	return SCATTER_DST + (u64)((i * 613 + 7) % SCATTER_SLOTS) * SZ_4K;
}

/*
 * Migration's case: 512 scattered 4 KiB pages are one COPY_LIST command
 * and one completion, a semaphore with one interrupt.
 */
static void ce_copy_list_scattered(struct kunit *test)
{
	struct ce_test *t = test->priv;
	unsigned int i, bad = 0, untouched = 0;
	bool *used;

	used = kunit_kcalloc(test, SCATTER_SLOTS, sizeof(*used), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, used);
	for (i = 0; i < SCATTER_SLOTS; i++)
		write_page_at(test, t, SCATTER_DST + (u64)i * SZ_4K, 0, gen_guard);
	for (i = 0; i < SCATTER_PAGES; i++) {
		write_page_at(test, t, scatter_src(i), i, gen_pattern);
		put_seg(test, t, LIST, i, scatter_src(i), scatter_dst(i), SZ_4K, 0, 0);
		used[(scatter_dst(i) - SCATTER_DST) / SZ_4K] = true;
	}

	request_ce_irq(test, t);
	wr(t, NVSVM_REG_CE_INTR_EN, NVSVM_CE_INTR_SEMAPHORE | NVSVM_CE_INTR_ERROR);
	put_cmd(test, t, NVSVM_CE_OP_COPY_LIST, 0, LIST, 0, SCATTER_PAGES);
	put_cmd(test, t, NVSVM_CE_OP_SEMAPHORE, NVSVM_CE_FLAG_INTR, 0, SEM, 0x5eed);
	kick(t);

	KUNIT_ASSERT_NE(test, 0UL, wait_for_completion_timeout(&t->irq_done, 30 * HZ));
	KUNIT_EXPECT_EQ(test, t->irq_status, NVSVM_CE_INTR_SEMAPHORE);
	KUNIT_EXPECT_EQ(test, t->irq_get, 2);
	KUNIT_EXPECT_EQ(test, vram64(test, t, SEM), 0x5eed);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_ERROR), 0);

	for (i = 0; i < SCATTER_PAGES; i++)
		bad += check_page_at(test, t, scatter_dst(i), i, gen_pattern) != 0;
	for (i = 0; i < SCATTER_SLOTS; i++)
		if (!used[i])
			untouched += !check_page_at(test, t, SCATTER_DST + (u64)i * SZ_4K,
						    0, gen_guard);
	KUNIT_EXPECT_EQ(test, bad, 0);
	KUNIT_EXPECT_EQ(test, untouched, SCATTER_SLOTS - SCATTER_PAGES);
	msleep(20);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->irq_calls), 1);
}

/* Segments of several pages, and the command's own SRC/DST flags ignored. */
static void ce_copy_list_runs(struct kunit *test)
{
	struct ce_test *t = test->priv;

	write_pages(test, t, SRC, 5, gen_pattern);
	write_pages(test, t, DST, 12, gen_guard);
	put_seg(test, t, LIST, 0, SRC, DST, 3 * SZ_4K, 0, 0);
	put_seg(test, t, LIST, 1, SRC + 3 * SZ_4K, DST + 8 * SZ_4K, 2 * SZ_4K, 0, 0);
	put_cmd(test, t, NVSVM_CE_OP_COPY_LIST,
		NVSVM_CE_FLAG_SRC_SYSMEM | NVSVM_CE_FLAG_DST_SYSMEM, LIST, 0, 2);
	run(test, t);

	KUNIT_EXPECT_EQ(test, check_pages(test, t, DST, 3, gen_pattern), 0);
	KUNIT_EXPECT_EQ(test, check_pages(test, t, DST + 3 * SZ_4K, 5, gen_guard), 0);
	KUNIT_EXPECT_EQ(test, check_page_at(test, t, DST + 8 * SZ_4K, 3, gen_pattern), 0);
	KUNIT_EXPECT_EQ(test, check_page_at(test, t, DST + 9 * SZ_4K, 4, gen_pattern), 0);
	KUNIT_EXPECT_EQ(test, check_pages(test, t, DST + 10 * SZ_4K, 2, gen_guard), 0);
}

struct bad_seg {
	const char *what;
	u64 src;
	u64 dst;
	u64 size;
	u32 flags;
	u32 reserved;
	u32 cause;
};

#define BAD_SEG		5	/* of 8 */

static const struct bad_seg bad_segs[] = {
	{ "src misaligned", SRC + 8, DST + BAD_SEG * SZ_4K, SZ_4K, 0, 0, BAD },
	{ "dst misaligned", SRC, DST + BAD_SEG * SZ_4K + 0x200, SZ_4K, 0, 0, BAD },
	{ "size 0", SRC, DST + BAD_SEG * SZ_4K, 0, 0, 0, BAD },
	{ "size not whole pages", SRC, DST + BAD_SEG * SZ_4K, 0x800, 0, 0, BAD },
	{ "flag not a segment's", SRC, DST + BAD_SEG * SZ_4K, SZ_4K,
	  NVSVM_CE_FLAG_INTR, 0, BAD },
	{ "reserved word set", SRC, DST + BAD_SEG * SZ_4K, SZ_4K, 0, 1, BAD },
	{ "dst beyond VRAM", SRC, VRAM_END, SZ_4K, 0, 0, BUS },
	{ "dst runs past VRAM", SRC, VRAM_END - SZ_4K, 2 * SZ_4K, 0, 0, BUS },
	{ "src wraps around", ~0ULL & ~0xfffULL, DST + BAD_SEG * SZ_4K,
	  2 * SZ_4K, 0, 0, BUS },
	{ "src in sysmem, no DMA device", SRC, DST + BAD_SEG * SZ_4K, SZ_4K,
	  NVSVM_CE_FLAG_SRC_SYSMEM, 0, BUS },
	{ "dst in sysmem, no DMA device", SRC, DST + BAD_SEG * SZ_4K, SZ_4K,
	  NVSVM_CE_FLAG_DST_SYSMEM, 0, BUS },
};

static void bad_seg_desc(const struct bad_seg *b, char *desc)
{
	strscpy(desc, b->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(bad_seg, bad_segs, bad_seg_desc);

/*
 * A bad segment in the middle of a list stops the engine on the command,
 * naming the segment: the segments before it are copied, those after it
 * not, nor the commands after it.
 */
static void ce_copy_list_bad_segment(struct kunit *test)
{
	const struct bad_seg *b = test->param_value;
	struct ce_test *t = test->priv;
	unsigned int i;

	write_pages(test, t, SRC, 8, gen_pattern);
	write_pages(test, t, DST, 8, gen_guard);
	for (i = 0; i < 8; i++) {
		if (i == BAD_SEG)
			put_seg(test, t, LIST, i, b->src, b->dst, b->size, b->flags,
				b->reserved);
		else
			put_seg(test, t, LIST, i, SRC + i * SZ_4K, DST + i * SZ_4K,
				SZ_4K, 0, 0);
	}
	put_cmd(test, t, NVSVM_CE_OP_SEMAPHORE, 0, 0, SEM, 1);
	put_cmd(test, t, NVSVM_CE_OP_COPY_LIST, 0, LIST, 0, 8);
	put_cmd(test, t, NVSVM_CE_OP_SEMAPHORE, 0, 0, SEM + 8, 1);
	kick(t);
	wait_engine(test, t);

	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_ERROR), 2);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_ERROR_CAUSE), b->cause);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_ERROR_SEGMENT), BAD_SEG);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_GET), 1);
	KUNIT_EXPECT_EQ(test, vram64(test, t, SEM), 1);
	KUNIT_EXPECT_EQ(test, vram64(test, t, SEM + 8), 0);
	KUNIT_EXPECT_EQ(test, check_pages(test, t, DST, BAD_SEG, gen_pattern), 0);
	/* The bad segment itself copied nothing where it was refused. */
	if (b->cause == BAD)
		KUNIT_EXPECT_EQ(test, check_page_at(test, t, DST + BAD_SEG * SZ_4K, 0,
						    gen_guard), 0);
	for (i = BAD_SEG + 1; i < 8; i++)
		KUNIT_EXPECT_EQ_MSG(test, check_page_at(test, t, DST + i * SZ_4K, 0,
							gen_guard), 0,
				    "segment %u", i);
}

/* A list that runs out of reachable memory fails at the first segment lost. */
static void ce_copy_list_unreadable_tail(struct kunit *test)
{
	struct ce_test *t = test->priv;
	u64 list = VRAM_END - 2 * NVSVM_CE_SEG_SIZE;

	write_pages(test, t, SRC, 2, gen_pattern);
	write_pages(test, t, DST, 2, gen_guard);
	put_seg(test, t, list, 0, SRC, DST, SZ_4K, 0, 0);
	put_seg(test, t, list, 1, SRC + SZ_4K, DST + SZ_4K, SZ_4K, 0, 0);
	put_cmd(test, t, NVSVM_CE_OP_COPY_LIST, 0, list, 0, 4);
	kick(t);
	wait_engine(test, t);

	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_ERROR), 1);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_ERROR_CAUSE), NVSVM_CE_ERROR_BUS);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_ERROR_SEGMENT), 2);
	KUNIT_EXPECT_EQ(test, check_pages(test, t, DST, 2, gen_pattern), 0);
}

/* Each engine has registers of its own. */
static void ce_engine_registers(struct kunit *test)
{
	struct ce_test *t = test->priv;

	ewr(t, 1, NVSVM_REG_CE_INTR_EN, NVSVM_CE_INTR_ERROR);
	set_ring_on(t, 1, RING1 | NVSVM_ADDR_LO_SYSMEM, 7, 64);
	KUNIT_EXPECT_EQ(test, erd(t, 1, NVSVM_REG_CE_INTR_EN), NVSVM_CE_INTR_ERROR);
	KUNIT_EXPECT_EQ(test, erd(t, 1, NVSVM_REG_CE_RING_LO), RING1 | NVSVM_ADDR_LO_SYSMEM);
	KUNIT_EXPECT_EQ(test, erd(t, 1, NVSVM_REG_CE_RING_HI), 7);
	KUNIT_EXPECT_EQ(test, erd(t, 1, NVSVM_REG_CE_RING_SIZE), 64);
	KUNIT_EXPECT_EQ(test, erd(t, 0, NVSVM_REG_CE_INTR_EN), 0);
	KUNIT_EXPECT_EQ(test, erd(t, 0, NVSVM_REG_CE_RING_LO), RING);
	KUNIT_EXPECT_EQ(test, erd(t, 0, NVSVM_REG_CE_RING_HI), 0);
	KUNIT_EXPECT_EQ(test, erd(t, 0, NVSVM_REG_CE_RING_SIZE), RING_SIZE);

	/* Engine 1's ring is unusable (sysmem, no DMA device): only it stops. */
	put_cmd(test, t, NVSVM_CE_OP_SEMAPHORE, 0, 0, SEM, 1);
	t->rings[1].put = 1;
	kick_on(t, 1);
	run(test, t);
	wait_engine_on(test, t, 1);
	KUNIT_EXPECT_EQ(test, erd(t, 1, NVSVM_REG_CE_ERROR), 1);
	KUNIT_EXPECT_EQ(test, erd(t, 1, NVSVM_REG_CE_ERROR_CAUSE), NVSVM_CE_ERROR_RING);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_ERROR), 0);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_INTR_STATUS), 0);
	KUNIT_EXPECT_EQ(test, vram64(test, t, SEM), 1);
}

/*
 * Two engines at once: engine 0's batch fails in the middle and is reset
 * while engine 1's long batch runs; engine 1's batch completes untouched.
 */
static void ce_engines_independent(struct kunit *test)
{
	struct ce_test *t = test->priv;

	write_pages(test, t, SRC, 5, gen_pattern);
	write_pages(test, t, DST1, 5, gen_guard);
	put_cmd_on(test, t, 1, NVSVM_CE_OP_FILL, 0, FILL_VALUE, BIG, BIG_SIZE);
	put_cmd_on(test, t, 1, NVSVM_CE_OP_COPY, 0, SRC, DST1, 5 * SZ_4K);
	put_cmd_on(test, t, 1, NVSVM_CE_OP_FILL, 0, FILL_VALUE, BIG, BIG_SIZE);
	put_cmd_on(test, t, 1, NVSVM_CE_OP_SEMAPHORE, 0, 0, SEM + 8, 0x1111);
	kick_on(t, 1);

	put_cmd(test, t, NVSVM_CE_OP_SEMAPHORE, 0, 0, SEM, 1);
	put_cmd(test, t, NVSVM_CE_OP_COPY, 0, SRC, DST + 8, SZ_4K);
	put_cmd(test, t, NVSVM_CE_OP_SEMAPHORE, 0, 0, SEM + 16, 2);
	kick(t);
	wait_engine(test, t);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_ERROR), 2);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_ERROR_CAUSE), NVSVM_CE_ERROR_BAD_COMMAND);
	wr(t, NVSVM_REG_CE_RESET, 1);
	wait_reset(test, t);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_ERROR), 0);

	wait_engine_on(test, t, 1);
	KUNIT_EXPECT_EQ(test, erd(t, 1, NVSVM_REG_CE_ERROR), 0);
	KUNIT_EXPECT_EQ(test, erd(t, 1, NVSVM_REG_CE_ERROR_CAUSE), NVSVM_CE_ERROR_NONE);
	KUNIT_EXPECT_EQ(test, erd(t, 1, NVSVM_REG_CE_GET), 4);
	KUNIT_EXPECT_EQ(test, vram64(test, t, SEM + 8), 0x1111);
	KUNIT_EXPECT_EQ(test, check_pages(test, t, DST1, 5, gen_pattern), 0);
	KUNIT_EXPECT_EQ(test, check_pages(test, t, BIG, 1, gen_fill), 0);
	KUNIT_EXPECT_EQ(test, check_pages(test, t, BIG + BIG_SIZE - SZ_4K, 1, gen_fill), 0);
	KUNIT_EXPECT_EQ(test, vram64(test, t, SEM), 1);
	KUNIT_EXPECT_EQ(test, vram64(test, t, SEM + 16), 0);
}

/* The engines share the "ce" line: a handler sees each engine's causes. */
static void ce_engines_share_line(struct kunit *test)
{
	struct ce_test *t = test->priv;
	unsigned long timeout = jiffies + 20 * HZ;

	request_ce_irq(test, t);
	ewr(t, 0, NVSVM_REG_CE_INTR_EN, NVSVM_CE_INTR_SEMAPHORE);
	/* Engine 1's cause, not enabled, does not raise the line... */
	put_cmd_on(test, t, 1, NVSVM_CE_OP_SEMAPHORE, NVSVM_CE_FLAG_INTR, 0, SEM + 8, 2);
	run_on(test, t, 1);
	msleep(20);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->irq_calls), 0);
	KUNIT_EXPECT_FALSE(test, test_bit(NVSVM_IRQ_CE, &t->sim->irq_asserted));

	/* ...until it is; engine 0's comes too. */
	put_cmd(test, t, NVSVM_CE_OP_SEMAPHORE, NVSVM_CE_FLAG_INTR, 0, SEM, 1);
	run(test, t);
	ewr(t, 1, NVSVM_REG_CE_INTR_EN, NVSVM_CE_INTR_SEMAPHORE);
	while (t->irq_status_of[0] != NVSVM_CE_INTR_SEMAPHORE ||
	       t->irq_status_of[1] != NVSVM_CE_INTR_SEMAPHORE) {
		KUNIT_ASSERT_TRUE_MSG(test, time_before(jiffies, timeout),
				      "interrupts seen: engine 0 %#x, engine 1 %#x",
				      t->irq_status_of[0], t->irq_status_of[1]);
		usleep_range(200, 500);
	}
	KUNIT_EXPECT_EQ(test, erd(t, 0, NVSVM_REG_CE_INTR_STATUS), 0);
	KUNIT_EXPECT_EQ(test, erd(t, 1, NVSVM_REG_CE_INTR_STATUS), 0);
	KUNIT_EXPECT_FALSE(test, test_bit(NVSVM_IRQ_CE, &t->sim->irq_asserted));
}

/* What ce_reset_poke() saw. */
struct ce_reset_poke {
	struct ce_test *t;
	u32 status;
	u32 get;
};

/*
 * Reset engine 0 and write to it at once. Run by stop_machine(): no CPU
 * runs the engine's worker meanwhile, so the reset cannot finish in
 * between, however the CPUs are shared.
 */
static int ce_reset_poke(void *data)
{
	struct ce_reset_poke *p = data;
	struct ce_test *t = p->t;

	wr(t, NVSVM_REG_CE_RESET, 1);
	p->status = rd(t, NVSVM_REG_CE_STATUS);
	p->get = rd(t, NVSVM_REG_CE_GET);
	wr(t, NVSVM_REG_CE_RING_SIZE, 8);
	wr(t, NVSVM_REG_CE_RING_LO, RING + SZ_4K);
	wr(t, NVSVM_REG_CE_PUT, 3);
	wr(t, NVSVM_REG_CE_INTR_EN, NVSVM_CE_INTR_ERROR);
	return 0;
}

/*
 * CE_RESET returns at once: RESETTING reads 1 from the write on, pending
 * commands are dropped at once, other writes are ignored until the reset
 * is done (but for the interrupt registers), then the engine runs again.
 */
static void ce_reset_async(struct kunit *test)
{
	struct ce_test *t = test->priv;
	struct ce_reset_poke p = { .t = t };
	u32 status, get;
	unsigned int i;

	for (i = 0; i < 8; i++)
		put_cmd(test, t, NVSVM_CE_OP_COPY, 0, 0, BIG, BIG_SIZE);
	kick(t);

	KUNIT_ASSERT_EQ(test, 0, stop_machine(ce_reset_poke, &p, NULL));
	status = p.status;
	get = p.get;
	KUNIT_EXPECT_TRUE(test, status & NVSVM_CE_STATUS_RESETTING);
	KUNIT_EXPECT_EQ(test, get, 8);
	wait_reset(test, t);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_STATUS), 0);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_RING_SIZE), RING_SIZE);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_RING_LO), RING);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_PUT), 8);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_GET), 8);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_INTR_EN), NVSVM_CE_INTR_ERROR);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_ERROR), 0);

	/* An idle engine resets too, and then works. */
	wr(t, NVSVM_REG_CE_RESET, 1);
	wait_reset(test, t);
	put_cmd(test, t, NVSVM_CE_OP_SEMAPHORE, 0, 0, SEM, 3);
	run(test, t);
	KUNIT_EXPECT_EQ(test, vram64(test, t, SEM), 3);
}

static void skip_without_inject(struct kunit *test)
{
	if (!IS_ENABLED(CONFIG_DRM_NVSVM_SIM_FAULT_INJECT))
		kunit_skip(test, "built without CONFIG_DRM_NVSVM_SIM_FAULT_INJECT");
}

/*
 * ce_fail: the next command fails with INJECTED before touching memory;
 * the other engine's work completes, and a reset brings the engine back.
 */
static void ce_inject_fail(struct kunit *test)
{
	struct ce_test *t = test->priv;

	skip_without_inject(test);
	write_pages(test, t, SRC, 1, gen_pattern);
	write_pages(test, t, DST, 1, gen_guard);
	atomic_set(&t->sim->inject.ce_fail, 1);
	put_cmd(test, t, NVSVM_CE_OP_COPY, 0, SRC, DST, SZ_4K);
	put_cmd(test, t, NVSVM_CE_OP_SEMAPHORE, 0, 0, SEM, 1);
	kick(t);
	wait_engine(test, t);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_ERROR), 1);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_ERROR_CAUSE), NVSVM_CE_ERROR_INJECTED);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_INTR_STATUS), NVSVM_CE_INTR_ERROR);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->sim->inject.ce_fail), 0);
	KUNIT_EXPECT_EQ(test, check_pages(test, t, DST, 1, gen_guard), 0);
	KUNIT_EXPECT_EQ(test, vram64(test, t, SEM), 0);

	put_cmd_on(test, t, 1, NVSVM_CE_OP_COPY, 0, SRC, DST1, SZ_4K);
	put_cmd_on(test, t, 1, NVSVM_CE_OP_SEMAPHORE, 0, 0, SEM + 8, 2);
	run_on(test, t, 1);
	KUNIT_EXPECT_EQ(test, check_pages(test, t, DST1, 1, gen_pattern), 0);
	KUNIT_EXPECT_EQ(test, vram64(test, t, SEM + 8), 2);

	wr(t, NVSVM_REG_CE_RESET, 1);
	wait_reset(test, t);
	put_cmd(test, t, NVSVM_CE_OP_COPY, 0, SRC, DST, SZ_4K);
	run(test, t);
	KUNIT_EXPECT_EQ(test, check_pages(test, t, DST, 1, gen_pattern), 0);
}

/* ce_delay_ms: a command completes no sooner than the delay. */
static void ce_inject_delay(struct kunit *test)
{
	struct ce_test *t = test->priv;
	unsigned long flags;
	u32 status, get;
	ktime_t start;
	s64 ms;

	skip_without_inject(test);
	WRITE_ONCE(t->sim->inject.ce_delay_ms, 200);
	put_cmd(test, t, NVSVM_CE_OP_SEMAPHORE, 0, 0, SEM, 5);
	start = ktime_get();
	local_irq_save(flags);
	kick(t);
	status = rd(t, NVSVM_REG_CE_STATUS);
	get = rd(t, NVSVM_REG_CE_GET);
	local_irq_restore(flags);
	KUNIT_EXPECT_TRUE(test, status & NVSVM_CE_STATUS_BUSY);
	KUNIT_EXPECT_EQ(test, get, 0);

	wait_engine(test, t);
	ms = ktime_ms_delta(ktime_get(), start);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_ERROR), 0);
	KUNIT_EXPECT_EQ(test, vram64(test, t, SEM), 5);
	KUNIT_EXPECT_GE(test, ms, 200);
}

/* A reset ends an injected delay: the command never runs. */
static void ce_inject_delay_reset(struct kunit *test)
{
	struct ce_test *t = test->priv;

	skip_without_inject(test);
	WRITE_ONCE(t->sim->inject.ce_delay_ms, 600000);
	put_cmd(test, t, NVSVM_CE_OP_SEMAPHORE, 0, 0, SEM, 5);
	kick(t);
	msleep(50);
	KUNIT_EXPECT_TRUE(test, rd(t, NVSVM_REG_CE_STATUS) & NVSVM_CE_STATUS_BUSY);
	wr(t, NVSVM_REG_CE_RESET, 1);
	/* Bounded: the reset does not wait out the 10 minutes. */
	wait_reset(test, t);
	KUNIT_EXPECT_EQ(test, vram64(test, t, SEM), 0);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_GET), 1);

	WRITE_ONCE(t->sim->inject.ce_delay_ms, 0);
	put_cmd(test, t, NVSVM_CE_OP_SEMAPHORE, 0, 0, SEM + 8, 6);
	run(test, t);
	KUNIT_EXPECT_EQ(test, vram64(test, t, SEM + 8), 6);
	KUNIT_EXPECT_EQ(test, vram64(test, t, SEM), 0);
}

/*
 * A write to VRAM whose backing cannot be allocated stops the engine with
 * NO_BACKING, not BUS: the VRAM side (vram_fail) makes the allocation fail.
 */
static void ce_no_backing(struct kunit *test)
{
	struct ce_test *t = test->priv;
	u32 error;

	skip_without_inject(test);
	write_pages(test, t, SRC, 1, gen_pattern);
	/* After the command is in the ring: only the copy's store may fail. */
	put_cmd(test, t, NVSVM_CE_OP_COPY, 0, SRC, UNWRITTEN, SZ_4K);
	atomic_set(&t->sim->inject.vram_fail, 1);
	kick(t);
	wait_engine(test, t);
	error = rd(t, NVSVM_REG_CE_ERROR);
	KUNIT_EXPECT_EQ(test, error, 1);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_ERROR_CAUSE), NVSVM_CE_ERROR_NO_BACKING);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->sim->inject.vram_fail), 0);
	atomic_set(&t->sim->inject.vram_fail, 0);
}

/* Destroying a GPU while the engine is busy stops it at once. */
static void ce_destroy_while_busy(struct kunit *test)
{
	struct ce_test *t = test->priv;
	unsigned long start;
	unsigned int i;

	for (i = 0; i < RING_SIZE - 1; i++)
		put_cmd(test, t, NVSVM_CE_OP_COPY, 0, 0, BIG, BIG_SIZE);
	kick(t);
	start = jiffies;
	nvsvm_sim_destroy(t->sim);
	t->sim = NULL;
	KUNIT_EXPECT_LT(test, jiffies - start, 2UL * HZ);
}

static struct kunit_case ce_cases[] = {
	KUNIT_CASE(ce_registers_read_back),
	KUNIT_CASE(ce_ring_size_resets_pointers),
	KUNIT_CASE(ce_bad_offsets),
	KUNIT_CASE(ce_copy),
	KUNIT_CASE(ce_fill),
	KUNIT_CASE(ce_semaphore_interrupt),
	KUNIT_CASE(ce_intr_en_gates_line),
	KUNIT_CASE(ce_ring_wraps),
	KUNIT_CASE_PARAM(ce_bad_command, bad_cmd_gen_params),
	KUNIT_CASE_PARAM(ce_bad_ring, bad_ring_gen_params),
	KUNIT_CASE(ce_error_interrupt),
	KUNIT_CASE(ce_reset_recovers),
	KUNIT_CASE(ce_reset_stops_copies),
	KUNIT_CASE(ce_copy_list_scattered),
	KUNIT_CASE(ce_copy_list_runs),
	KUNIT_CASE_PARAM(ce_copy_list_bad_segment, bad_seg_gen_params),
	KUNIT_CASE(ce_copy_list_unreadable_tail),
	KUNIT_CASE(ce_engine_registers),
	KUNIT_CASE(ce_engines_independent),
	KUNIT_CASE(ce_engines_share_line),
	KUNIT_CASE(ce_reset_async),
	KUNIT_CASE(ce_inject_fail),
	KUNIT_CASE(ce_inject_delay),
	KUNIT_CASE(ce_inject_delay_reset),
	KUNIT_CASE(ce_no_backing),
	KUNIT_CASE(ce_destroy_while_busy),
	{}
};

static struct kunit_suite ce_suite = {
	.name = "nvsvm_sim_ce",
	.init = ce_test_init,
	.exit = ce_test_exit,
	.test_cases = ce_cases,
};

kunit_test_suite(ce_suite);
