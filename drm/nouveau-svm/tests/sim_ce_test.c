// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

/*
 * KUnit tests of the emulated copy engine, driven through the registers as
 * a driver drives it. Everything lives in VRAM: the tests have no DMA
 * device, so system memory is a bus error here.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/jiffies.h>
#include <linux/sizes.h>

#include "nvsvm_hw.h"
#include "nvsvm_regs.h"
#include "sim/sim_internal.h"

#define VRAM_MB		32
#define VRAM_END	((u64)VRAM_MB << 20)
#define RING		0x010000ULL	/* the ring */
#define RING_SIZE	16
#define SEM		0x020000ULL	/* semaphores, 8 bytes apart */
#define SRC		0x100000ULL
#define DST		0x200000ULL
#define UNWRITTEN	0x400000ULL	/* never written: reads as zeroes */
#define BIG		0x800000ULL	/* 8 MiB from here for long copies */
#define BIG_SIZE	SZ_8M

#define GUARD		0x5a5a5a5a5a5a5a5aULL
#define PAGE_WORDS	(SZ_4K / sizeof(u64))

struct ce_test {
	struct nvsvm_sim *sim;
	struct nvsvm_hw *hw;
	/* Ring size as programmed, and where the next command goes. */
	u32 ring_size;
	u32 put;
	/* The irq, once requested; 0 before. */
	unsigned int irq;
	/* What the interrupt handler saw, for the test to check. */
	atomic_t irq_calls;
	u32 irq_status;
	u32 irq_get;
	struct completion irq_done;
};

static u32 rd(struct ce_test *t, u32 reg)
{
	return nvsvm_hw_rd32(t->hw, reg);
}

static void wr(struct ce_test *t, u32 reg, u32 val)
{
	nvsvm_hw_wr32(t->hw, reg, val);
}

static void set_ring(struct ce_test *t, u32 lo, u32 hi, u32 size)
{
	wr(t, NVSVM_REG_CE_RING_LO, lo);
	wr(t, NVSVM_REG_CE_RING_HI, hi);
	wr(t, NVSVM_REG_CE_RING_SIZE, size);
	t->ring_size = size;
	t->put = 0;
}

static int ce_test_init(struct kunit *test)
{
	struct nvsvm_sim_config cfg = {
		.vram_mb = VRAM_MB, .sm_count = 1, .ce_count = 1,
	};
	struct ce_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	t->sim = nvsvm_sim_create(&cfg, "nvsvm-kunit");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t->sim);
	t->hw = nvsvm_sim_hw(t->sim);
	init_completion(&t->irq_done);
	test->priv = t;
	set_ring(t, RING, 0, RING_SIZE);
	return 0;
}

static void ce_test_exit(struct kunit *test)
{
	struct ce_test *t = test->priv;

	if (t->irq)
		free_irq(t->irq, t);
	if (t->sim)
		nvsvm_sim_destroy(t->sim);
}

/* Acknowledges every cause, from hard-IRQ context, as a driver would. */
static irqreturn_t ce_test_irq(int irq, void *data)
{
	struct ce_test *t = data;
	u32 status = rd(t, NVSVM_REG_CE_INTR_STATUS);

	if (!status)
		return IRQ_NONE;
	t->irq_status |= status;
	t->irq_get = rd(t, NVSVM_REG_CE_GET);
	wr(t, NVSVM_REG_CE_INTR_STATUS, status);
	atomic_inc(&t->irq_calls);
	complete(&t->irq_done);
	return IRQ_HANDLED;
}

static void request_ce_irq(struct kunit *test, struct ce_test *t)
{
	unsigned int irq = nvsvm_sim_irq(t->sim, NVSVM_IRQ_CE);

	KUNIT_ASSERT_EQ(test, 0, request_irq(irq, ce_test_irq, 0, "nvsvm-kunit", t));
	t->irq = irq;
}

/* Write a command at the next free ring slot; the engine sees it at kick(). */
static void put_cmd(struct kunit *test, struct ce_test *t, u32 op, u32 flags,
		    u64 src, u64 dst, u64 size)
{
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
						     RING + t->put * NVSVM_CE_CMD_SIZE,
						     &cmd, sizeof(cmd)));
	t->put = (t->put + 1) & (t->ring_size - 1);
}

static void kick(struct ce_test *t)
{
	wr(t, NVSVM_REG_CE_PUT, t->put);
}

/* Wait until the engine caught up with PUT or stopped on an error. */
static void wait_engine(struct kunit *test, struct ce_test *t)
{
	unsigned long timeout = jiffies + 20 * HZ;

	while (rd(t, NVSVM_REG_CE_GET) != rd(t, NVSVM_REG_CE_PUT) &&
	       !rd(t, NVSVM_REG_CE_ERROR)) {
		KUNIT_ASSERT_TRUE_MSG(test, time_before(jiffies, timeout),
				      "engine stuck: GET %u PUT %u",
				      rd(t, NVSVM_REG_CE_GET), rd(t, NVSVM_REG_CE_PUT));
		usleep_range(200, 500);
	}
}

/* Run the commands written so far to completion, without error. */
static void run(struct kunit *test, struct ce_test *t)
{
	kick(t);
	wait_engine(test, t);
	KUNIT_ASSERT_EQ(test, rd(t, NVSVM_REG_CE_ERROR), 0);
	KUNIT_ASSERT_EQ(test, rd(t, NVSVM_REG_CE_GET), t->put);
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
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_GET), 0);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_ERROR), 0);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_INTR_STATUS), 0);

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

/* Offsets the block does not decode, and unaligned ones, read as bad. */
static void ce_bad_offsets(struct kunit *test)
{
	static const u32 regs[] = {
		0x006001, 0x006002, 0x006003, 0x00600e, 0x006011,
		0x006024, 0x006100, 0x006ffc, 0x006fff,
	};
	struct ce_test *t = test->priv;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(regs); i++) {
		KUNIT_EXPECT_EQ_MSG(test, rd(t, regs[i]),
				    NVSVM_REG_BAD_VALUE | (regs[i] & NVSVM_REG_BAD_MASK),
				    "offset %#x", regs[i]);
		wr(t, regs[i], 0xffffffff);
	}

	/* None of those writes reached a register, nor kicked the engine. */
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_RING_LO), RING);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_RING_HI), 0);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_RING_SIZE), RING_SIZE);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_PUT), 0);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_INTR_EN), 0);
	msleep(20);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_GET), 0);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_ERROR), 0);
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
		u32 get = t->put;

		for (i = 0; i < batches[b]; i++, n++)
			put_cmd(test, t, NVSVM_CE_OP_SEMAPHORE, 0, 0, SEM + n * 8,
				0x1000 + n);
		wrapped |= t->put < get;
		run(test, t);
		KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_PUT), t->put);
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
};

static const struct bad_cmd bad_cmds[] = {
	{ "op 0", 0, 0, SRC, DST, SZ_4K },
	{ "op 4", 4, 0, SRC, DST, SZ_4K },
	{ "op ~0", ~0U, 0, SRC, DST, SZ_4K },
	{ "copy: src misaligned", NVSVM_CE_OP_COPY, 0, SRC + 8, DST, SZ_4K },
	{ "copy: dst misaligned", NVSVM_CE_OP_COPY, 0, SRC, DST + 0x800, SZ_4K },
	{ "copy: size not whole pages", NVSVM_CE_OP_COPY, 0, SRC, DST, 0x1800 },
	{ "copy: size 0", NVSVM_CE_OP_COPY, 0, SRC, DST, 0 },
	{ "copy: src beyond VRAM", NVSVM_CE_OP_COPY, 0, VRAM_END, DST, SZ_4K },
	{ "copy: dst runs past VRAM", NVSVM_CE_OP_COPY, 0, SRC,
	  VRAM_END - SZ_4K, 2 * SZ_4K },
	{ "copy: dst wraps around", NVSVM_CE_OP_COPY, 0, SRC,
	  ~0ULL & ~0xfffULL, 2 * SZ_4K },
	{ "copy: src in sysmem, no DMA device", NVSVM_CE_OP_COPY,
	  NVSVM_CE_FLAG_SRC_SYSMEM, SRC, DST, SZ_4K },
	{ "copy: dst in sysmem, no DMA device", NVSVM_CE_OP_COPY,
	  NVSVM_CE_FLAG_DST_SYSMEM, SRC, DST, SZ_4K },
	{ "fill: dst misaligned", NVSVM_CE_OP_FILL, 0, FILL_VALUE, DST + 8, SZ_4K },
	{ "fill: size not whole pages", NVSVM_CE_OP_FILL, 0, FILL_VALUE, DST, 0x100 },
	{ "fill: size 0", NVSVM_CE_OP_FILL, 0, FILL_VALUE, DST, 0 },
	{ "fill: dst beyond VRAM", NVSVM_CE_OP_FILL, 0, FILL_VALUE, VRAM_END, SZ_4K },
	{ "fill: dst in sysmem, no DMA device", NVSVM_CE_OP_FILL,
	  NVSVM_CE_FLAG_DST_SYSMEM, FILL_VALUE, DST, SZ_4K },
	{ "semaphore: dst misaligned", NVSVM_CE_OP_SEMAPHORE, 0, 0, SEM + 4, 1 },
	{ "semaphore: dst beyond VRAM", NVSVM_CE_OP_SEMAPHORE, 0, 0, VRAM_END, 1 },
	{ "semaphore: dst in sysmem, no DMA device", NVSVM_CE_OP_SEMAPHORE,
	  NVSVM_CE_FLAG_DST_SYSMEM, 0, SEM, 1 },
};

static void bad_cmd_desc(const struct bad_cmd *b, char *desc)
{
	strscpy(desc, b->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(bad_cmd, bad_cmds, bad_cmd_desc);

/* The engine is stopped at ring index @index; nothing after it runs. */
static void expect_stopped(struct kunit *test, struct ce_test *t, u32 index,
			   u64 sem_after)
{
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_ERROR), index + 1);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_GET), index);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_INTR_STATUS), NVSVM_CE_INTR_ERROR);

	/* Another kick does nothing either. */
	put_cmd(test, t, NVSVM_CE_OP_SEMAPHORE, 0, 0, sem_after + 8, 2);
	kick(t);
	msleep(20);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_GET), index);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_ERROR), index + 1);
	KUNIT_EXPECT_EQ(test, vram64(test, t, sem_after), 0);
	KUNIT_EXPECT_EQ(test, vram64(test, t, sem_after + 8), 0);
}

/* A bad command stops the engine on it: CE_ERROR is its index + 1. */
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
	expect_stopped(test, t, 1, SEM + 8);
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

/* A ring the engine cannot use stops it at CE_GET. */
static void ce_bad_ring(struct kunit *test)
{
	const struct bad_ring *b = test->param_value;
	struct ce_test *t = test->priv;

	/* The commands are where a good ring would be. */
	put_cmd(test, t, NVSVM_CE_OP_SEMAPHORE, 0, 0, SEM, 1);
	set_ring(t, b->lo, b->hi, b->size);
	t->ring_size = RING_SIZE;
	t->put = 1;
	wr(t, NVSVM_REG_CE_PUT, b->put);
	wait_engine(test, t);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_PUT), b->put);
	expect_stopped(test, t, 0, SEM);
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

	wr(t, NVSVM_REG_CE_RESET, 1);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_CE_ERROR), 0);
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

/* CE_RESET stops long copies: the engine is idle when the write returns. */
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
