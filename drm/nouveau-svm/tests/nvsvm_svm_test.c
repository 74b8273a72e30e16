// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

/*
 * The pure parts of the SVM block: how a batch's faults split into
 * servicing units (2 MiB blocks, cut by the BO window), the part of a block
 * a unit may map, the region and block arithmetic of the notifiers, the
 * reason a fault outside the mirror is cancelled with, and the statistics'
 * histogram buckets.
 */

#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/sizes.h>

#include "nvsvm_drm.h"
#include "nvsvm_regs.h"
#include "nvsvm_svm.h"

#define F(addr) { .va = (addr), .access = NVSVM_ACCESS_READ }

static void region_arithmetic(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, NVSVM_SVM_REGION_SIZE, (u64)SZ_512M);
	KUNIT_EXPECT_EQ(test, NVSVM_SVM_REGION_BLOCKS, 256u);
	KUNIT_EXPECT_EQ(test, NVSVM_SVM_BLOCK_PAGES, 512ul);

	KUNIT_EXPECT_EQ(test, nvsvm_svm_region_start(0x7fff12345678ull), 0x7fff00000000ull);
	KUNIT_EXPECT_EQ(test, nvsvm_svm_region_start(0x20000000ull), 0x20000000ull);
	KUNIT_EXPECT_EQ(test, nvsvm_svm_region_start(0x1fffffffull), 0ull);
	KUNIT_EXPECT_EQ(test, nvsvm_svm_region_index(0x20000000ull), 1ul);
	KUNIT_EXPECT_EQ(test, nvsvm_svm_region_index(DRM_NVSVM_VA_USER_END - 1),
			(unsigned long)(DRM_NVSVM_VA_USER_END >> 29) - 1);

	KUNIT_EXPECT_EQ(test, nvsvm_svm_block_start(0x123456789ull), 0x123400000ull);
	/* The block index wraps per region: the last block of one, the first of the next. */
	KUNIT_EXPECT_EQ(test, nvsvm_svm_block_index(0x1fffffffull), 255u);
	KUNIT_EXPECT_EQ(test, nvsvm_svm_block_index(0x20000000ull), 0u);
	KUNIT_EXPECT_EQ(test, nvsvm_svm_block_index(0x20200000ull), 1u);

	KUNIT_EXPECT_EQ(test, nvsvm_svm_page_index(0x200000ull), 0u);
	KUNIT_EXPECT_EQ(test, nvsvm_svm_page_index(0x3ff000ull), 511u);
	KUNIT_EXPECT_EQ(test, nvsvm_svm_page_index(0x3fffffull), 511u);
	KUNIT_EXPECT_EQ(test, nvsvm_svm_page_index(0x401000ull), 1u);
}

static void block_end_by_block(struct kunit *test)
{
	const struct nvsvm_svm_fault f[] = {
		F(0x200000), F(0x201000), F(0x3ff000),	/* block 1 */
		F(0x400000),				/* block 2 */
		F(0x800000), F(0x9ff000),		/* block 4 */
	};
	const unsigned int n = ARRAY_SIZE(f);

	/* No window (an empty one at 0). */
	KUNIT_EXPECT_EQ(test, nvsvm_svm_block_end(f, n, 0, 0, 0), 3u);
	KUNIT_EXPECT_EQ(test, nvsvm_svm_block_end(f, n, 1, 0, 0), 3u);
	KUNIT_EXPECT_EQ(test, nvsvm_svm_block_end(f, n, 3, 0, 0), 4u);
	KUNIT_EXPECT_EQ(test, nvsvm_svm_block_end(f, n, 4, 0, 0), 6u);
	KUNIT_EXPECT_EQ(test, nvsvm_svm_block_end(f, n, 5, 0, 0), 6u);
}

static void block_end_cut_by_window(struct kunit *test)
{
	/* A window [0x280000, 0x300000) inside block 1 splits it in two units. */
	const struct nvsvm_svm_fault f[] = {
		F(0x200000), F(0x27f000),		/* below the window */
		F(0x280000),				/* in it: serviced as a BO fault */
		F(0x300000), F(0x3ff000),		/* above */
		F(0x400000),
	};
	const unsigned int n = ARRAY_SIZE(f);
	const u64 lo = 0x280000, hi = 0x300000;

	KUNIT_EXPECT_EQ(test, nvsvm_svm_block_end(f, n, 0, lo, hi), 3u);
	KUNIT_EXPECT_EQ(test, nvsvm_svm_block_end(f, n, 3, lo, hi), 5u);
	KUNIT_EXPECT_EQ(test, nvsvm_svm_block_end(f, n, 5, lo, hi), 6u);
}

static void block_end_single(struct kunit *test)
{
	const struct nvsvm_svm_fault f[] = { F(0x7ffffffff000ull) };

	KUNIT_EXPECT_EQ(test, nvsvm_svm_block_end(f, 1, 0, 0, 0), 1u);
}

static void block_range(struct kunit *test)
{
	u64 start, end;

	/* No window: the whole block. */
	nvsvm_svm_block_range(0x201000, 0, 0, &start, &end);
	KUNIT_EXPECT_EQ(test, start, 0x200000ull);
	KUNIT_EXPECT_EQ(test, end, 0x400000ull);

	/* A window elsewhere changes nothing. */
	nvsvm_svm_block_range(0x201000, 0x10000000, 0x11000000, &start, &end);
	KUNIT_EXPECT_EQ(test, start, 0x200000ull);
	KUNIT_EXPECT_EQ(test, end, 0x400000ull);

	/* A window inside the block: the side of the address. */
	nvsvm_svm_block_range(0x201000, 0x280000, 0x300000, &start, &end);
	KUNIT_EXPECT_EQ(test, start, 0x200000ull);
	KUNIT_EXPECT_EQ(test, end, 0x280000ull);
	nvsvm_svm_block_range(0x3ff000, 0x280000, 0x300000, &start, &end);
	KUNIT_EXPECT_EQ(test, start, 0x300000ull);
	KUNIT_EXPECT_EQ(test, end, 0x400000ull);

	/* A window that starts below the block and ends in it. */
	nvsvm_svm_block_range(0x3ff000, 0x100000, 0x201000, &start, &end);
	KUNIT_EXPECT_EQ(test, start, 0x201000ull);
	KUNIT_EXPECT_EQ(test, end, 0x400000ull);

	/* A window that starts in the block and ends above it. */
	nvsvm_svm_block_range(0x200000, 0x3ff000, 0x800000, &start, &end);
	KUNIT_EXPECT_EQ(test, start, 0x200000ull);
	KUNIT_EXPECT_EQ(test, end, 0x3ff000ull);

	/* A window ending exactly at the block's start or starting at its end. */
	nvsvm_svm_block_range(0x200000, 0x100000, 0x200000, &start, &end);
	KUNIT_EXPECT_EQ(test, start, 0x200000ull);
	KUNIT_EXPECT_EQ(test, end, 0x400000ull);
	nvsvm_svm_block_range(0x200000, 0x400000, 0x500000, &start, &end);
	KUNIT_EXPECT_EQ(test, start, 0x200000ull);
	KUNIT_EXPECT_EQ(test, end, 0x400000ull);
}

static void bo_reason(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, nvsvm_svm_bo_reason(0x1000, NVSVM_FAULT_TYPE_INVALID_PTE),
			DRM_NVSVM_FAULT_REASON_UNMAPPED);
	KUNIT_EXPECT_EQ(test, nvsvm_svm_bo_reason(0x1000, NVSVM_FAULT_TYPE_PROTECTION),
			DRM_NVSVM_FAULT_REASON_PROTECTION);
	KUNIT_EXPECT_EQ(test, nvsvm_svm_bo_reason(0x1000, NVSVM_FAULT_TYPE_ATOMIC_DISABLED),
			DRM_NVSVM_FAULT_REASON_UNSUPPORTED);
	/* The kernel half is out of range, whatever the GPU found there. */
	KUNIT_EXPECT_EQ(test, nvsvm_svm_bo_reason(DRM_NVSVM_VA_USER_END,
						  NVSVM_FAULT_TYPE_INVALID_PTE),
			DRM_NVSVM_FAULT_REASON_OUT_OF_RANGE);
	KUNIT_EXPECT_EQ(test, nvsvm_svm_bo_reason(DRM_NVSVM_VA_USER_END + 0x40,
						  NVSVM_FAULT_TYPE_PROTECTION),
			DRM_NVSVM_FAULT_REASON_OUT_OF_RANGE);
	KUNIT_EXPECT_EQ(test, nvsvm_svm_bo_reason((1ull << 48) - 8, NVSVM_FAULT_TYPE_INVALID_PTE),
			DRM_NVSVM_FAULT_REASON_OUT_OF_RANGE);
	KUNIT_EXPECT_EQ(test, nvsvm_svm_bo_reason(DRM_NVSVM_VA_USER_END - 8,
						  NVSVM_FAULT_TYPE_INVALID_PTE),
			DRM_NVSVM_FAULT_REASON_UNMAPPED);
}

static void stats_bucket(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, nvsvm_svm_stats_bucket(0, 9), 0u);
	KUNIT_EXPECT_EQ(test, nvsvm_svm_stats_bucket(1, 9), 0u);
	KUNIT_EXPECT_EQ(test, nvsvm_svm_stats_bucket(2, 9), 1u);
	KUNIT_EXPECT_EQ(test, nvsvm_svm_stats_bucket(3, 9), 1u);
	KUNIT_EXPECT_EQ(test, nvsvm_svm_stats_bucket(255, 9), 7u);
	KUNIT_EXPECT_EQ(test, nvsvm_svm_stats_bucket(256, 9), 8u);
	/* Above the last bound: the last bucket. */
	KUNIT_EXPECT_EQ(test, nvsvm_svm_stats_bucket(1000, 9), 8u);
	KUNIT_EXPECT_EQ(test, nvsvm_svm_stats_bucket(1ull << 20, NVSVM_SVM_LATENCY_BUCKETS), 20u);
	KUNIT_EXPECT_EQ(test, nvsvm_svm_stats_bucket(U64_MAX, NVSVM_SVM_LATENCY_BUCKETS), 20u);
}

static struct kunit_case nvsvm_svm_cases[] = {
	KUNIT_CASE(region_arithmetic),
	KUNIT_CASE(block_end_by_block),
	KUNIT_CASE(block_end_cut_by_window),
	KUNIT_CASE(block_end_single),
	KUNIT_CASE(block_range),
	KUNIT_CASE(bo_reason),
	KUNIT_CASE(stats_bucket),
	{}
};

static struct kunit_suite nvsvm_svm_suite = {
	.name = "nvsvm_svm",
	.test_cases = nvsvm_svm_cases,
};

kunit_test_suite(nvsvm_svm_suite);
