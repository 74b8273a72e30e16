// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

/* The fault worker's pure parts: sorting and coalescing a batch. */

#include <kunit/test.h>
#include <linux/module.h>
#include <linux/prandom.h>
#include <linux/sizes.h>

#include "nvsvm_fault.h"
#include "nvsvm_regs.h"

static struct nvsvm_fault_info fault(u64 inst, u32 tag, u64 va, u8 access)
{
	return (struct nvsvm_fault_info){
		.inst = inst, .tag = tag, .va = va, .access = access,
		.type = NVSVM_FAULT_TYPE_INVALID_PTE, .client = NVSVM_CLIENT_HOST,
	};
}

static bool same(const struct nvsvm_fault_info *a, const struct nvsvm_fault_info *b)
{
	return a->inst == b->inst && a->tag == b->tag && a->va == b->va &&
	       a->access == b->access && a->type == b->type && a->client == b->client;
}

static void access_rank_order(struct kunit *test)
{
	KUNIT_EXPECT_LT(test, nvsvm_fault_access_rank(NVSVM_ACCESS_PREFETCH),
			nvsvm_fault_access_rank(NVSVM_ACCESS_READ));
	KUNIT_EXPECT_LT(test, nvsvm_fault_access_rank(NVSVM_ACCESS_READ),
			nvsvm_fault_access_rank(NVSVM_ACCESS_WRITE));
	KUNIT_EXPECT_LT(test, nvsvm_fault_access_rank(NVSVM_ACCESS_WRITE),
			nvsvm_fault_access_rank(NVSVM_ACCESS_ATOMIC));
}

static void sort_orders_by_channel_page_access(struct kunit *test)
{
	struct nvsvm_fault_info b[] = {
		fault(0x2000, 1, 0x5000, NVSVM_ACCESS_READ),
		fault(0x1000, 2, 0x1000, NVSVM_ACCESS_READ),
		fault(0x1000, 1, 0x9008, NVSVM_ACCESS_READ),
		fault(0x1000, 1, 0x9000, NVSVM_ACCESS_PREFETCH),
		fault(0x1000, 1, 0x9ff0, NVSVM_ACCESS_ATOMIC),
		fault(0x1000, 1, 0x3000, NVSVM_ACCESS_WRITE),
	};
	const struct nvsvm_fault_info want[] = {
		fault(0x1000, 1, 0x3000, NVSVM_ACCESS_WRITE),
		fault(0x1000, 1, 0x9ff0, NVSVM_ACCESS_ATOMIC),
		fault(0x1000, 1, 0x9008, NVSVM_ACCESS_READ),
		fault(0x1000, 1, 0x9000, NVSVM_ACCESS_PREFETCH),
		fault(0x1000, 2, 0x1000, NVSVM_ACCESS_READ),
		fault(0x2000, 1, 0x5000, NVSVM_ACCESS_READ),
	};
	unsigned int i;

	nvsvm_fault_batch_sort(b, ARRAY_SIZE(b));
	for (i = 0; i < ARRAY_SIZE(b); i++) {
		KUNIT_EXPECT_EQ_MSG(test, b[i].inst, want[i].inst, "entry %u", i);
		KUNIT_EXPECT_EQ_MSG(test, b[i].tag, want[i].tag, "entry %u", i);
		KUNIT_EXPECT_EQ_MSG(test, b[i].va, want[i].va, "entry %u", i);
		KUNIT_EXPECT_EQ_MSG(test, b[i].access, want[i].access, "entry %u", i);
	}
}

static void coalesce_keeps_strongest(struct kunit *test)
{
	struct nvsvm_fault_info b[] = {
		fault(0x1000, 1, 0x9000, NVSVM_ACCESS_READ),
		fault(0x1000, 1, 0x9010, NVSVM_ACCESS_WRITE),
		fault(0x1000, 1, 0x9fff, NVSVM_ACCESS_PREFETCH),
		fault(0x1000, 1, 0x9020, NVSVM_ACCESS_WRITE),
		/* The next page, another tag, another instance: distinct. */
		fault(0x1000, 1, 0xa000, NVSVM_ACCESS_READ),
		fault(0x1000, 7, 0x9000, NVSVM_ACCESS_READ),
		fault(0x3000, 1, 0x9000, NVSVM_ACCESS_READ),
	};
	unsigned int n;

	nvsvm_fault_batch_sort(b, ARRAY_SIZE(b));
	n = nvsvm_fault_batch_coalesce(b, ARRAY_SIZE(b));
	KUNIT_ASSERT_EQ(test, n, 4);
	/* The page's strongest access, with that access's own address. */
	KUNIT_EXPECT_EQ(test, b[0].va, 0x9010);
	KUNIT_EXPECT_EQ(test, b[0].access, NVSVM_ACCESS_WRITE);
	KUNIT_EXPECT_EQ(test, b[1].va, 0xa000);
	KUNIT_EXPECT_EQ(test, b[2].tag, 7);
	KUNIT_EXPECT_EQ(test, b[3].inst, 0x3000);
}

static void coalesce_small(struct kunit *test)
{
	struct nvsvm_fault_info b[2] = {
		fault(0x1000, 1, 0x9000, NVSVM_ACCESS_ATOMIC),
		fault(0x1000, 1, 0x9000, NVSVM_ACCESS_ATOMIC),
	};

	KUNIT_EXPECT_EQ(test, nvsvm_fault_batch_coalesce(b, 0), 0);
	KUNIT_EXPECT_EQ(test, nvsvm_fault_batch_coalesce(b, 1), 1);
	KUNIT_EXPECT_EQ(test, nvsvm_fault_batch_coalesce(b, 2), 1);
	KUNIT_EXPECT_EQ(test, b[0].access, NVSVM_ACCESS_ATOMIC);
}

/* A full batch of random faults against a brute-force answer. */
static void coalesce_full_batch(struct kunit *test)
{
	struct nvsvm_fault_info *b, *orig;
	struct rnd_state rnd;
	unsigned int i, j, n;

	b = kunit_kmalloc_array(test, NVSVM_FAULT_BATCH, sizeof(*b), GFP_KERNEL);
	orig = kunit_kmalloc_array(test, NVSVM_FAULT_BATCH, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_NOT_NULL(test, orig);
	prandom_seed_state(&rnd, 42);
	for (i = 0; i < NVSVM_FAULT_BATCH; i++) {
		/* Few channels and pages, so that duplicates are many. */
		u32 r = prandom_u32_state(&rnd);

		orig[i] = fault(0x1000 * (1 + r % 3), 1 + (r >> 2) % 2,
				(u64)((r >> 3) % 16) * SZ_4K + ((r >> 8) % 512) * 8,
				(r >> 20) % 4);
	}
	memcpy(b, orig, NVSVM_FAULT_BATCH * sizeof(*b));
	nvsvm_fault_batch_sort(b, NVSVM_FAULT_BATCH);
	n = nvsvm_fault_batch_coalesce(b, NVSVM_FAULT_BATCH);
	KUNIT_EXPECT_LT(test, n, NVSVM_FAULT_BATCH);

	/* Strictly increasing keys: each (instance, tag, page) once. */
	for (i = 1; i < n; i++) {
		const struct nvsvm_fault_info *p = &b[i - 1], *f = &b[i];

		KUNIT_EXPECT_TRUE_MSG(test, p->inst < f->inst ||
				      (p->inst == f->inst && (p->tag < f->tag ||
				       (p->tag == f->tag && p->va >> 12 < f->va >> 12))),
				      "entries %u and %u out of order", i - 1, i);
	}
	/* Each input key is there, with its strongest access. */
	for (i = 0; i < NVSVM_FAULT_BATCH; i++) {
		const struct nvsvm_fault_info *o = &orig[i];
		bool found = false;

		for (j = 0; j < n; j++) {
			if (b[j].inst != o->inst || b[j].tag != o->tag ||
			    b[j].va >> 12 != o->va >> 12)
				continue;
			found = true;
			KUNIT_EXPECT_GE(test, nvsvm_fault_access_rank(b[j].access),
					nvsvm_fault_access_rank(o->access));
		}
		KUNIT_EXPECT_TRUE_MSG(test, found, "input %u lost", i);
	}
	/* And each output is one of the inputs. */
	for (j = 0; j < n; j++) {
		bool found = false;

		for (i = 0; i < NVSVM_FAULT_BATCH && !found; i++)
			found = same(&b[j], &orig[i]);
		KUNIT_EXPECT_TRUE_MSG(test, found, "output %u made up", j);
	}
}

static struct kunit_case nvsvm_fault_cases[] = {
	KUNIT_CASE(access_rank_order),
	KUNIT_CASE(sort_orders_by_channel_page_access),
	KUNIT_CASE(coalesce_keeps_strongest),
	KUNIT_CASE(coalesce_small),
	KUNIT_CASE(coalesce_full_batch),
	{}
};

static struct kunit_suite nvsvm_fault_suite = {
	.name = "nvsvm_fault",
	.test_cases = nvsvm_fault_cases,
};

kunit_test_suite(nvsvm_fault_suite);
