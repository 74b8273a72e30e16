// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

/*
 * Copy-engine bandwidth, driven through the registers like the copy
 * engine's tests: migration's case, one COPY_LIST of many scattered 4 KiB
 * pages, and 2 MiB runs, on one engine and split over two; each against a
 * memcpy() of the same bytes between the same backing pages on this CPU,
 * the bound an emulated engine can approach. Figures only: timing is never
 * a pass criterion, the benchmark checks only that the bytes arrived.
 * Part of nvsvm-bench.ko (make bench).
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/highmem.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "nvsvm_hw.h"
#include "nvsvm_regs.h"
#include "sim/sim_internal.h"

#define CEB_VRAM_MB	96
#define CEB_RING	0x010000ULL		/* engine n's ring at + n * 4 KiB */
#define CEB_RING_SIZE	16
#define CEB_SEM		0x020000ULL
#define CEB_LIST	0x100000ULL		/* up to 1 MiB of segments per engine */
#define CEB_SRC		0x1000000ULL		/* 32 MiB of page slots */
#define CEB_DST		0x3000000ULL		/* 32 MiB of page slots */
#define CEB_SLOTS	(SZ_32M / SZ_4K)
#define CEB_BYTES	SZ_16M			/* copied per run */
#define CEB_PAGES	(CEB_BYTES / SZ_4K)
#define CEB_RUNS	3

struct ceb {
	struct nvsvm_sim *sim;
	struct nvsvm_hw *hw;
	u32 put[2];
	u64 sem;
	/* Backing pages of the source and destination, for memcpy(). */
	struct page **src_pages;
	struct page **dst_pages;
};

/* Slot of page i: odd multipliers, so a permutation of the slots. */
static u64 ceb_src(unsigned int i, bool scattered)
{
	return CEB_SRC + (u64)(scattered ? (i * 2654435761u) % CEB_SLOTS : i) * SZ_4K;
}

static u64 ceb_dst(unsigned int i, bool scattered)
{
	return CEB_DST + (u64)(scattered ? (i * 40503u + 11) % CEB_SLOTS : i) * SZ_4K;
}

static void ceb_w(struct kunit *test, struct ceb *b, u64 addr, const void *buf, size_t len)
{
	KUNIT_ASSERT_EQ(test, 0, nvsvm_sim_mem_write(b->sim, NVSVM_APER_VRAM, addr, buf, len));
}

static u64 ceb_r64(struct kunit *test, struct ceb *b, u64 addr)
{
	__le64 v;

	KUNIT_ASSERT_EQ(test, 0, nvsvm_sim_mem_read(b->sim, NVSVM_APER_VRAM, addr, &v, 8));
	return le64_to_cpu(v);
}

static void ceb_cmd(struct kunit *test, struct ceb *b, u32 n, u32 op, u32 flags,
		    u64 src, u64 dst, u64 size)
{
	struct {
		__le32 op, flags;
		__le64 src, dst, size;
	} cmd = {
		cpu_to_le32(op), cpu_to_le32(flags),
		cpu_to_le64(src), cpu_to_le64(dst), cpu_to_le64(size),
	};

	ceb_w(test, b, CEB_RING + n * SZ_4K + b->put[n] * NVSVM_CE_CMD_SIZE, &cmd, sizeof(cmd));
	b->put[n] = (b->put[n] + 1) % CEB_RING_SIZE;
}

/* Write engine @n's list: @count segments of @seg bytes from page @first. */
static void ceb_list(struct kunit *test, struct ceb *b, u32 n, unsigned int first,
		     unsigned int count, u64 seg, bool scattered)
{
	unsigned int per = seg / SZ_4K, i;
	struct {
		__le64 src, dst, size;
		__le32 flags, reserved;
	} *segs = kvcalloc(count, sizeof(*segs), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, segs);
	for (i = 0; i < count; i++) {
		segs[i].src = cpu_to_le64(ceb_src(first + i * per, scattered));
		segs[i].dst = cpu_to_le64(ceb_dst(first + i * per, scattered));
		segs[i].size = cpu_to_le64(seg);
	}
	ceb_w(test, b, CEB_LIST + n * SZ_1M, segs, count * sizeof(*segs));
	kvfree(segs);
}

static struct ceb *ceb_create(struct kunit *test)
{
	struct nvsvm_sim_config cfg = { .vram_mb = CEB_VRAM_MB, .sm_count = 1, .ce_count = 2 };
	struct ceb *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	u32 n;

	KUNIT_ASSERT_NOT_NULL(test, b);
	b->sim = nvsvm_sim_create(&cfg, "nvsvm-bench");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, b->sim);
	b->hw = nvsvm_sim_hw(b->sim);
	for (n = 0; n < 2; n++) {
		nvsvm_hw_wr32(b->hw, NVSVM_REG_CE(n, NVSVM_REG_CE_RING_LO),
			      lower_32_bits(CEB_RING + n * SZ_4K));
		nvsvm_hw_wr32(b->hw, NVSVM_REG_CE(n, NVSVM_REG_CE_RING_HI), 0);
		nvsvm_hw_wr32(b->hw, NVSVM_REG_CE(n, NVSVM_REG_CE_RING_SIZE), CEB_RING_SIZE);
	}
	b->src_pages = kunit_kcalloc(test, CEB_PAGES, sizeof(*b->src_pages), GFP_KERNEL);
	b->dst_pages = kunit_kcalloc(test, CEB_PAGES, sizeof(*b->dst_pages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b->src_pages);
	KUNIT_ASSERT_NOT_NULL(test, b->dst_pages);
	return b;
}

/*
 * Give every source and destination page backing (so that no run measures
 * allocation), the source a pattern, and note the pages for memcpy().
 */
static void ceb_populate(struct kunit *test, struct ceb *b, bool scattered)
{
	__le64 *buf = kunit_kmalloc(test, SZ_4K, GFP_KERNEL);
	unsigned int i, w;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < CEB_PAGES; i++) {
		for (w = 0; w < SZ_4K / 8; w++)
			buf[w] = cpu_to_le64((u64)i << 32 | w);
		ceb_w(test, b, ceb_src(i, scattered), buf, SZ_4K);
		memset(buf, 0, SZ_4K);
		ceb_w(test, b, ceb_dst(i, scattered), buf, SZ_4K);
		b->src_pages[i] = nvsvm_sim_mem_page(b->sim, NVSVM_APER_VRAM,
						     ceb_src(i, scattered), false);
		b->dst_pages[i] = nvsvm_sim_mem_page(b->sim, NVSVM_APER_VRAM,
						     ceb_dst(i, scattered), false);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, b->src_pages[i]);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, b->dst_pages[i]);
	}
	kunit_kfree(test, buf);
}

/*
 * One run: each of @engines engines copies its share of the pages with one
 * COPY_LIST of @seg-byte segments and releases a semaphore. Return: ns
 * from the first CE_PUT to the last semaphore seen.
 */
static u64 ceb_run(struct kunit *test, struct ceb *b, u32 engines, u64 seg,
		   bool scattered)
{
	unsigned int share = CEB_PAGES / engines, segs = share / (seg / SZ_4K);
	unsigned long timeout;
	ktime_t start;
	u64 want[2];
	u32 n;

	for (n = 0; n < engines; n++) {
		ceb_list(test, b, n, n * share, segs, seg, scattered);
		ceb_cmd(test, b, n, NVSVM_CE_OP_COPY_LIST, 0, CEB_LIST + n * SZ_1M, 0, segs);
		want[n] = ++b->sem;
		ceb_cmd(test, b, n, NVSVM_CE_OP_SEMAPHORE, 0, 0, CEB_SEM + n * 8, want[n]);
	}
	start = ktime_get();
	for (n = 0; n < engines; n++)
		nvsvm_hw_wr32(b->hw, NVSVM_REG_CE(n, NVSVM_REG_CE_PUT), b->put[n]);
	timeout = jiffies + 60 * HZ;
	for (n = 0; n < engines; n++) {
		u32 error = NVSVM_REG_CE(n, NVSVM_REG_CE_ERROR);

		while (ceb_r64(test, b, CEB_SEM + n * 8) != want[n]) {
			KUNIT_ASSERT_EQ(test, nvsvm_hw_rd32(b->hw, error), 0);
			KUNIT_ASSERT_TRUE(test, time_before(jiffies, timeout));
			usleep_range(20, 50);
		}
	}
	return ktime_to_ns(ktime_sub(ktime_get(), start));
}

/* memcpy() of the same bytes between the same backing pages. */
static u64 ceb_memcpy(struct ceb *b)
{
	ktime_t start = ktime_get();
	unsigned int i;

	for (i = 0; i < CEB_PAGES; i++) {
		void *from = kmap_local_page(b->src_pages[i]);
		void *to = kmap_local_page(b->dst_pages[i]);

		memcpy(to, from, SZ_4K);
		kunmap_local(to);
		kunmap_local(from);
		cond_resched();
	}
	return ktime_to_ns(ktime_sub(ktime_get(), start));
}

static u64 ceb_mib_s(u64 ns)
{
	return div64_u64((u64)CEB_BYTES * NSEC_PER_SEC, max_t(u64, ns, 1) * SZ_1M);
}

/* The copy reached every destination page. */
static void ceb_check(struct kunit *test, struct ceb *b, bool scattered)
{
	unsigned int i, bad = 0;

	for (i = 0; i < CEB_PAGES; i += 97)
		bad += ceb_r64(test, b, ceb_dst(i, scattered) + 8) != ((u64)i << 32 | 1);
	KUNIT_EXPECT_EQ(test, bad, 0);
}

static void ceb_measure(struct kunit *test, const char *what, u64 seg, bool scattered)
{
	struct ceb *b = ceb_create(test);
	u64 best[2] = { U64_MAX, U64_MAX }, cpu = U64_MAX;
	unsigned int r;
	u32 engines;

	ceb_populate(test, b, scattered);
	for (r = 0; r < CEB_RUNS; r++)
		cpu = min(cpu, ceb_memcpy(b));
	for (engines = 1; engines <= 2; engines++) {
		ceb_run(test, b, engines, seg, scattered);	/* warm up */
		for (r = 0; r < CEB_RUNS; r++)
			best[engines - 1] = min(best[engines - 1],
						ceb_run(test, b, engines, seg, scattered));
	}
	ceb_check(test, b, scattered);
	nvsvm_sim_destroy(b->sim);

	kunit_info(test, "bench: CE %s, %u MiB: 1 engine %llu MiB/s, 2 engines %llu MiB/s; memcpy %llu MiB/s (1 engine at %llu%% of memcpy)\n",
		   what, CEB_BYTES >> 20, ceb_mib_s(best[0]), ceb_mib_s(best[1]),
		   ceb_mib_s(cpu), div64_u64(cpu * 100, max_t(u64, best[0], 1)));
}

/* Migration's case: one COPY_LIST of 4096 scattered 4 KiB pages. */
static void bench_ce_scattered_pages(struct kunit *test)
{
	ceb_measure(test, "COPY_LIST of scattered 4 KiB pages", SZ_4K, true);
}

/* Large pages: a COPY_LIST of 2 MiB runs. */
static void bench_ce_large_runs(struct kunit *test)
{
	ceb_measure(test, "COPY_LIST of 2 MiB runs", SZ_2M, false);
}

static struct kunit_case ceb_cases[] = {
	KUNIT_CASE_SLOW(bench_ce_scattered_pages),
	KUNIT_CASE_SLOW(bench_ce_large_runs),
	{}
};

static struct kunit_suite ceb_suite = {
	.name = "nvsvm_bench_ce",
	.test_cases = ceb_cases,
};

kunit_test_suite(ceb_suite);
