// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

/*
 * The access counters, driven through the registers as a driver drives
 * them (sim_test_gpu.h). Counted accesses come from the host (a semaphore
 * release is one write) and from the SMs (a kernel whose threads store
 * once each) to pages of system memory: the test plugs in a DMA device
 * and maps pages for it, as a board and a driver would.
 */

#include <kunit/device.h>
#include <linux/completion.h>
#include <linux/dma-mapping.h>
#include <linux/highmem.h>
#include <linux/interrupt.h>
#include <linux/ktime.h>

#include "sim_test_gpu.h"

/* VRAM that test_gpu_create() leaves free. */
#define T_ACCBUF	0x200000ULL	/* the ring, up to 2048 entries */
#define T_INST2		0x004000ULL	/* the second VM's channel */
#define T_ROOT2		0x005000ULL	/* the second VM's root table */
#define T_GPFIFO2	(T_VA + 0x800)	/* its GPFIFO, in the shared window */
#define CH2		5
#define T_INST3		0x006000ULL	/* a second channel of the first VM */
#define T_GPFIFO3	(T_VA + 0xc00)	/* its GPFIFO */
#define CH3		6

/* System memory, in both VMs, under a level-3 entry of its own. */
#define T_SYS		0x8000000000ULL
#define R0		T_SYS			/* 64 KiB region 0: two pages */
#define R0_PAGE2	(T_SYS + SZ_4K)
#define R1		(T_SYS + SZ_64K)	/* region 1, same 2 MiB */
#define R2		(T_SYS + SZ_2M)		/* another 2 MiB */
#define T_COLD		(T_SYS + SZ_1G)		/* one page every 64 KiB */
#define COLD_REGIONS	1024
#define NSYS		5

static const u64 sys_va[NSYS] = { R0, R0_PAGE2, R1, R2, T_COLD };

struct acc_chan {
	u32 id;
	u64 inst;
	u64 gpfifo;
	u32 put;
};

struct acc_test {
	struct test_gpu *t;
	struct device *dev;
	struct page *pages[NSYS];
	dma_addr_t dma[NSYS];
	struct acc_chan vm1;
	struct acc_chan vm2;
	/* The irq, once requested; 0 before. */
	unsigned int irq;
	/* What the interrupt handler saw. */
	atomic_t irq_calls;
	bool irq_in_hardirq;
	u32 irq_put;
	struct completion irq_done;
};

struct acc_entry {
	u64 va;
	u64 inst;
	u32 count;
	u32 info;
	u64 timestamp;
};

static void acc_test_exit(struct kunit *test)
{
	struct acc_test *a = test->priv;
	unsigned int i;

	if (!a)
		return;
	if (a->irq)
		free_irq(a->irq, a);
	if (a->t)
		test_gpu_destroy(a->t);
	for (i = 0; i < NSYS; i++) {
		if (!a->pages[i])
			continue;
		if (!dma_mapping_error(a->dev, a->dma[i]))
			dma_unmap_page(a->dev, a->dma[i], PAGE_SIZE, DMA_BIDIRECTIONAL);
		__free_page(a->pages[i]);
	}
}

static int acc_test_init(struct kunit *test)
{
	struct acc_test *a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);
	struct test_gpu *t;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, a);
	test->priv = a;
	init_completion(&a->irq_done);
	a->t = test_gpu_create(test, 2);
	t = a->t;
	a->vm1 = (struct acc_chan){ 3, T_INST, T_GPFIFO, 0 };

	/* The GPU reaches system memory through the DMA API, like a board. */
	a->dev = kunit_device_register(test, "nvsvm-acc-test");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, a->dev);
	a->dev->coherent_dma_mask = DMA_BIT_MASK(64);
	a->dev->dma_mask = &a->dev->coherent_dma_mask;
	t->sim->dma_dev = a->dev;

	for (i = 0; i < NSYS; i++) {
		a->pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		KUNIT_ASSERT_NOT_NULL(test, a->pages[i]);
		a->dma[i] = dma_map_page(a->dev, a->pages[i], 0, PAGE_SIZE,
					 DMA_BIDIRECTIONAL);
		KUNIT_ASSERT_FALSE(test, dma_mapping_error(a->dev, a->dma[i]));
		map_page(test, t, sys_va[i], a->dma[i] | NVSVM_PTE_VALID | NVSVM_PTE_APERTURE);
	}
	return 0;
}

/* A second VM: the same window and system memory, another root and channel. */
static void make_vm2(struct kunit *test, struct acc_test *a)
{
	struct test_gpu *t = a->t;
	unsigned int i;

	/* Level-3 entry 0 (the window) is shared; T_SYS gets tables of its own. */
	vram_w64(test, t, T_ROOT2, vram_r64(test, t, T_PT_POOL));
	for (i = 0; i < NSYS - 1; i++)
		map_page_in(test, t, T_ROOT2, sys_va[i],
			    a->dma[i] | NVSVM_PTE_VALID | NVSVM_PTE_APERTURE);

	vram_w64(test, t, T_INST2 + NVSVM_INST_PDB, T_ROOT2 | NVSVM_PTE_VALID);
	vram_w64(test, t, T_INST2 + NVSVM_INST_GPFIFO_VA, T_GPFIFO2);
	vram_w64(test, t, T_INST2 + NVSVM_INST_GPFIFO_ENTRIES, ENTRIES);
	vram_w64(test, t, T_INST2 + NVSVM_INST_GP_GET, 0);
	wr(t, NVSVM_REG_CHAN_INST_LO(CH2), lower_32_bits(T_INST2));
	wr(t, NVSVM_REG_CHAN_INST_HI(CH2), 0);
	wr(t, NVSVM_REG_CHAN_CTRL(CH2), NVSVM_CHAN_CTRL_ENABLE);
	a->vm2 = (struct acc_chan){ CH2, T_INST2, T_GPFIFO2, 0 };
}

static void run_on(struct kunit *test, struct acc_test *a, struct acc_chan *c,
		   const u32 *pb, unsigned int n)
{
	submit_on(test, a->t, c->id, c->inst, c->gpfifo, &c->put, pb, n);
	KUNIT_ASSERT_EQ(test, wait_idle_on(test, a->t, c->id, c->inst, c->put),
			NVSVM_CHAN_ERROR_NONE);
}

/* @n host accesses to @va: as many semaphore releases, on channel @c. */
static void host_writes(struct kunit *test, struct acc_test *a, struct acc_chan *c,
			u64 va, unsigned int n)
{
	u32 *pb = kunit_kmalloc_array(test, n, 6 * sizeof(u32), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, pb);
	for (i = 0; i < n; i++) {
		pb[i * 6 + 0] = M(SEMAPHORE_RELEASE, 5);
		pb[i * 6 + 1] = lower_32_bits(va);
		pb[i * 6 + 2] = upper_32_bits(va);
		pb[i * 6 + 3] = i;
		pb[i * 6 + 4] = 0;
		pb[i * 6 + 5] = 0;
	}
	run_on(test, a, c, pb, n * 6);
	kunit_kfree(test, pb);
}

static void writes(struct kunit *test, struct acc_test *a, u64 va, unsigned int n)
{
	host_writes(test, a, &a->vm1, va, n);
}

/*
 * One block of @threads threads on channel @c: thread i stores i at
 * @base + (i << @shift), one access each. Code and parameters are in VRAM.
 */
static void sm_stores(struct kunit *test, struct acc_test *a, struct acc_chan *c,
		      u64 base, unsigned int shift, u32 threads)
{
	const u64 code[] = {
		ENC(NVSVM_ISA_S2R, 1, 0, 0, NVSVM_ISA_SREG_GTID),
		ENC(NVSVM_ISA_S2R, 2, 0, 0, NVSVM_ISA_SREG_PARAM),
		ENC(NVSVM_ISA_LD64, 3, 2, 0, 0),
		ENC(NVSVM_ISA_SHLI, 4, 1, 0, shift),
		ENC(NVSVM_ISA_ADD, 3, 3, 4, 0),
		ENC(NVSVM_ISA_ST64, 0, 3, 1, 0),
		ENC(NVSVM_ISA_EXIT, 0, 0, 0, 0),
	};
	const u32 pb[] = {
		M(LAUNCH, 6), lower_32_bits(T_CODE), upper_32_bits(T_CODE),
			      lower_32_bits(T_PARAM), upper_32_bits(T_PARAM), 1, threads,
	};

	write_code(test, a->t, code, ARRAY_SIZE(code));
	va_w64(test, a->t, T_PARAM, base);
	run_on(test, a, c, pb, ARRAY_SIZE(pb));
}

/* Point the ring at T_ACCBUF with @size entries, set @threshold, enable. */
static void acc_start(struct acc_test *a, u32 size, u32 threshold)
{
	struct test_gpu *t = a->t;

	wr(t, NVSVM_REG_ACC_BUF_LO, lower_32_bits(T_ACCBUF));
	wr(t, NVSVM_REG_ACC_BUF_HI, 0);
	wr(t, NVSVM_REG_ACC_BUF_SIZE, size);
	wr(t, NVSVM_REG_ACC_THRESHOLD, threshold);
	wr(t, NVSVM_REG_ACC_CTRL, NVSVM_ACC_CTRL_ENABLE);
}

static void read_entry(struct kunit *test, struct acc_test *a, u32 i, struct acc_entry *e)
{
	u64 word = vram_r64(test, a->t, T_ACCBUF + i * NVSVM_ACC_ENTRY_SIZE + 16);

	e->va = vram_r64(test, a->t, T_ACCBUF + i * NVSVM_ACC_ENTRY_SIZE);
	e->inst = vram_r64(test, a->t, T_ACCBUF + i * NVSVM_ACC_ENTRY_SIZE + 8);
	e->count = lower_32_bits(word);
	e->info = upper_32_bits(word);
	e->timestamp = vram_r64(test, a->t, T_ACCBUF + i * NVSVM_ACC_ENTRY_SIZE + 24);
}

/* Entry @i is valid and reports @va, @inst and @count. */
static void expect_entry(struct kunit *test, struct acc_test *a, u32 i, u64 va,
			 u64 inst, u32 count)
{
	struct acc_entry e;

	read_entry(test, a, i, &e);
	KUNIT_EXPECT_TRUE_MSG(test, e.info & NVSVM_ACC_INFO_VALID, "entry %u", i);
	KUNIT_EXPECT_EQ_MSG(test, e.va, va, "entry %u", i);
	KUNIT_EXPECT_EQ_MSG(test, e.inst, inst, "entry %u", i);
	KUNIT_EXPECT_EQ_MSG(test, e.count, count, "entry %u", i);
}

static u32 put(struct acc_test *a)
{
	return rd(a->t, NVSVM_REG_ACC_BUF_PUT);
}

static bool line_asserted(struct acc_test *a)
{
	return test_bit(NVSVM_IRQ_ACC, &a->t->sim->irq_asserted);
}

/* Reset values, clamps and masks of the registers. */
static void acc_registers(struct kunit *test)
{
	struct acc_test *a = test->priv;
	struct test_gpu *t = a->t;

	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_ACC_CTRL), 0);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_ACC_THRESHOLD), NVSVM_ACC_THRESHOLD_DEFAULT);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_ACC_GRANULARITY), NVSVM_ACC_GRAN_64K);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_ACC_BUF_SIZE), 0);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_ACC_BUF_PUT), 0);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_ACC_STATUS), 0);

	wr(t, NVSVM_REG_ACC_THRESHOLD, 0);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_ACC_THRESHOLD), 1);
	wr(t, NVSVM_REG_ACC_THRESHOLD, 0x12345);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_ACC_THRESHOLD), NVSVM_ACC_THRESHOLD_MAX);
	wr(t, NVSVM_REG_ACC_GRANULARITY, NVSVM_ACC_GRAN_16G);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_ACC_GRANULARITY), NVSVM_ACC_GRAN_16G);
	wr(t, NVSVM_REG_ACC_GRANULARITY, 4);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_ACC_GRANULARITY), NVSVM_ACC_GRAN_16G);

	wr(t, NVSVM_REG_ACC_BUF_LO, 0x12345fff);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_ACC_BUF_LO), 0x12345001);
	wr(t, NVSVM_REG_ACC_BUF_SIZE, 12);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_ACC_BUF_SIZE), 0);
	wr(t, NVSVM_REG_ACC_BUF_SIZE, 16);
	wr(t, NVSVM_REG_ACC_BUF_GET, 21);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_ACC_BUF_GET), 5);
	wr(t, NVSVM_REG_ACC_BUF_PUT, 3);	/* the GPU's: read-only */
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_ACC_BUF_PUT), 0);
	wr(t, NVSVM_REG_ACC_INTR_EN, ~0U);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_ACC_INTR_EN), 1);
	wr(t, NVSVM_REG_ACC_CTRL, ~0U);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_ACC_CTRL), NVSVM_ACC_CTRL_ENABLE);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_ACC_CLEAR),
			NVSVM_REG_BAD_VALUE | (NVSVM_REG_ACC_CLEAR & NVSVM_REG_BAD_MASK));
	KUNIT_EXPECT_EQ(test, rd(t, 0x005ffc), NVSVM_REG_BAD_VALUE | 0x5ffc);
}

/* Reaching the threshold notifies once, with the region's VA, and restarts. */
static void acc_threshold_notifies_once(struct kunit *test)
{
	struct acc_test *a = test->priv;
	struct acc_entry e;
	u64 before, after;

	acc_start(a, 8, 8);
	writes(test, a, R0 + 0x10, 4);
	writes(test, a, R0_PAGE2 + 0x8, 3);
	KUNIT_EXPECT_EQ(test, put(a), 0);

	before = ktime_get_ns();
	writes(test, a, R0_PAGE2 + 0x8, 1);
	after = ktime_get_ns();
	KUNIT_ASSERT_EQ(test, put(a), 1);
	read_entry(test, a, 0, &e);
	KUNIT_EXPECT_EQ(test, e.va, R0);
	KUNIT_EXPECT_EQ(test, e.inst, T_INST);
	KUNIT_EXPECT_EQ(test, e.count, 8);
	KUNIT_EXPECT_EQ(test, e.info, NVSVM_ACC_INFO_VALID |
			FIELD_PREP(NVSVM_ACC_INFO_CLIENT, NVSVM_CLIENT_HOST));
	KUNIT_EXPECT_GE(test, e.timestamp, before);
	KUNIT_EXPECT_LE(test, e.timestamp, after);

	/* The counter started again from 0. */
	writes(test, a, R0, 7);
	KUNIT_EXPECT_EQ(test, put(a), 1);
	writes(test, a, R0, 1);
	KUNIT_ASSERT_EQ(test, put(a), 2);
	expect_entry(test, a, 1, R0, T_INST, 8);
	KUNIT_EXPECT_EQ(test, rd(a->t, NVSVM_REG_ACC_STATUS), 0);

	/* Lowered below a counter's value, the next access notifies. */
	wr(a->t, NVSVM_REG_ACC_THRESHOLD, 100);
	writes(test, a, R0, 5);
	wr(a->t, NVSVM_REG_ACC_THRESHOLD, 3);
	KUNIT_EXPECT_EQ(test, put(a), 2);
	writes(test, a, R0, 1);
	KUNIT_ASSERT_EQ(test, put(a), 3);
	expect_entry(test, a, 2, R0, T_INST, 6);
}

/* The SMs' loads and stores count too, and the entry names the SM. */
static void acc_sm_accesses(struct kunit *test)
{
	struct acc_test *a = test->priv;
	struct acc_entry e;
	u64 *data;

	acc_start(a, 8, 32);
	sm_stores(test, a, &a->vm1, R1, 3, 32);
	KUNIT_ASSERT_EQ(test, put(a), 1);
	read_entry(test, a, 0, &e);
	KUNIT_EXPECT_EQ(test, e.va, R1);
	KUNIT_EXPECT_EQ(test, e.inst, T_INST);
	KUNIT_EXPECT_EQ(test, e.count, 32);
	KUNIT_EXPECT_TRUE(test, e.info & NVSVM_ACC_INFO_VALID);
	KUNIT_EXPECT_LT(test, FIELD_GET(NVSVM_ACC_INFO_CLIENT, e.info), 2U);

	/* The stores reached system memory. */
	data = kmap_local_page(a->pages[2]);
	KUNIT_EXPECT_EQ(test, data[31], 31);
	kunmap_local(data);

	/* 31 more: below the threshold again. */
	sm_stores(test, a, &a->vm1, R1, 3, 31);
	KUNIT_EXPECT_EQ(test, put(a), 1);
}

/* Each region counts on its own. */
static void acc_per_region(struct kunit *test)
{
	struct acc_test *a = test->priv;

	acc_start(a, 8, 4);
	writes(test, a, R0, 3);
	writes(test, a, R1, 3);
	writes(test, a, R2, 3);
	KUNIT_EXPECT_EQ(test, put(a), 0);
	writes(test, a, R1, 1);
	writes(test, a, R0, 1);
	KUNIT_ASSERT_EQ(test, put(a), 2);
	expect_entry(test, a, 0, R1, T_INST, 4);
	expect_entry(test, a, 1, R0, T_INST, 4);
	writes(test, a, R2, 1);
	KUNIT_ASSERT_EQ(test, put(a), 3);
	expect_entry(test, a, 2, R2, T_INST, 4);
}

/* Each VM counts on its own, and the entry names its channel. */
static void acc_per_vm(struct kunit *test)
{
	struct acc_test *a = test->priv;

	make_vm2(test, a);
	acc_start(a, 8, 4);
	host_writes(test, a, &a->vm1, R0, 3);
	host_writes(test, a, &a->vm2, R0, 3);
	KUNIT_EXPECT_EQ(test, put(a), 0);
	host_writes(test, a, &a->vm1, R0, 1);
	KUNIT_ASSERT_EQ(test, put(a), 1);
	expect_entry(test, a, 0, R0, T_INST, 4);
	host_writes(test, a, &a->vm2, R0, 1);
	KUNIT_ASSERT_EQ(test, put(a), 2);
	expect_entry(test, a, 1, R0, T_INST2, 4);

	/* The SMs likewise. */
	sm_stores(test, a, &a->vm2, R1, 3, 3);
	sm_stores(test, a, &a->vm1, R1, 3, 3);
	KUNIT_EXPECT_EQ(test, put(a), 2);
	sm_stores(test, a, &a->vm2, R1, 3, 1);
	KUNIT_ASSERT_EQ(test, put(a), 3);
	expect_entry(test, a, 2, R1, T_INST2, 4);
}

/*
 * Channels of one VM share its counters, and the entry names the channel
 * whose access reached the threshold.
 */
static void acc_channels_share_vm(struct kunit *test)
{
	struct acc_test *a = test->priv;
	struct acc_chan c3 = { CH3, T_INST3, T_GPFIFO3, 0 };
	struct test_gpu *t = a->t;

	vram_w64(test, t, T_INST3 + NVSVM_INST_PDB, PDB);
	vram_w64(test, t, T_INST3 + NVSVM_INST_GPFIFO_VA, T_GPFIFO3);
	vram_w64(test, t, T_INST3 + NVSVM_INST_GPFIFO_ENTRIES, ENTRIES);
	vram_w64(test, t, T_INST3 + NVSVM_INST_GP_GET, 0);
	wr(t, NVSVM_REG_CHAN_INST_LO(CH3), lower_32_bits(T_INST3));
	wr(t, NVSVM_REG_CHAN_INST_HI(CH3), 0);
	wr(t, NVSVM_REG_CHAN_CTRL(CH3), NVSVM_CHAN_CTRL_ENABLE);

	acc_start(a, 8, 4);
	host_writes(test, a, &a->vm1, R0, 2);
	host_writes(test, a, &c3, R0, 1);
	KUNIT_EXPECT_EQ(test, put(a), 0);
	host_writes(test, a, &c3, R0, 1);
	KUNIT_ASSERT_EQ(test, put(a), 1);
	expect_entry(test, a, 0, R0, T_INST3, 4);

	/* The other way round, through the SMs. */
	sm_stores(test, a, &c3, R1, 3, 3);
	KUNIT_EXPECT_EQ(test, put(a), 1);
	sm_stores(test, a, &a->vm1, R1, 3, 1);
	KUNIT_ASSERT_EQ(test, put(a), 2);
	expect_entry(test, a, 1, R1, T_INST, 4);
}

/* Accesses to VRAM pages are not counted. */
static void acc_vram_not_counted(struct kunit *test)
{
	struct acc_test *a = test->priv;

	acc_start(a, 8, 1);
	writes(test, a, T_SEM, 5);
	sm_stores(test, a, &a->vm1, T_A, 3, 64);
	KUNIT_EXPECT_EQ(test, put(a), 0);
	KUNIT_EXPECT_EQ(test, rd(a->t, NVSVM_REG_ACC_STATUS), 0);
	writes(test, a, R2, 1);
	KUNIT_ASSERT_EQ(test, put(a), 1);
	expect_entry(test, a, 0, R2, T_INST, 1);
}

/* Regions follow ACC_GRANULARITY, and writing it clears the counters. */
static void acc_granularity(struct kunit *test)
{
	struct acc_test *a = test->priv;

	acc_start(a, 8, 3);
	wr(a->t, NVSVM_REG_ACC_GRANULARITY, NVSVM_ACC_GRAN_2M);
	writes(test, a, R0, 1);
	writes(test, a, R1, 1);
	writes(test, a, R2, 2);
	KUNIT_EXPECT_EQ(test, put(a), 0);
	writes(test, a, R0_PAGE2, 1);
	KUNIT_ASSERT_EQ(test, put(a), 1);
	expect_entry(test, a, 0, ALIGN_DOWN(R1, SZ_2M), T_INST, 3);
	writes(test, a, R2 + 0x18, 1);
	KUNIT_ASSERT_EQ(test, put(a), 2);
	expect_entry(test, a, 1, R2, T_INST, 3);

	/* Back to 64 KiB: R0 and R1 apart again. */
	wr(a->t, NVSVM_REG_ACC_GRANULARITY, NVSVM_ACC_GRAN_64K);
	writes(test, a, R0, 2);
	writes(test, a, R1, 2);
	KUNIT_EXPECT_EQ(test, put(a), 2);
	/* Writing GRANULARITY, even unchanged, clears the counters. */
	wr(a->t, NVSVM_REG_ACC_GRANULARITY, NVSVM_ACC_GRAN_64K);
	writes(test, a, R1, 2);
	KUNIT_EXPECT_EQ(test, put(a), 2);
	writes(test, a, R1, 1);
	KUNIT_ASSERT_EQ(test, put(a), 3);
	expect_entry(test, a, 2, R1, T_INST, 3);

	/* 16 GiB: one region over everything T_SYS maps. */
	wr(a->t, NVSVM_REG_ACC_GRANULARITY, NVSVM_ACC_GRAN_16G);
	writes(test, a, R0, 1);
	writes(test, a, R1, 1);
	writes(test, a, T_COLD, 1);
	KUNIT_ASSERT_EQ(test, put(a), 4);
	expect_entry(test, a, 3, T_SYS, T_INST, 3);
}

/* ACC_CLEAR sets every counter back to 0. */
static void acc_clear(struct kunit *test)
{
	struct acc_test *a = test->priv;

	acc_start(a, 8, 4);
	writes(test, a, R0, 3);
	writes(test, a, R1, 3);
	wr(a->t, NVSVM_REG_ACC_CLEAR, NVSVM_ACC_CLEAR_ALL);
	writes(test, a, R0, 3);
	writes(test, a, R1, 3);
	KUNIT_EXPECT_EQ(test, put(a), 0);
	writes(test, a, R0, 1);
	KUNIT_ASSERT_EQ(test, put(a), 1);
	expect_entry(test, a, 0, R0, T_INST, 4);

	/* A write without CLEAR_ALL clears nothing. */
	wr(a->t, NVSVM_REG_ACC_CLEAR, 0);
	writes(test, a, R1, 1);
	KUNIT_ASSERT_EQ(test, put(a), 2);
	expect_entry(test, a, 1, R1, T_INST, 4);
}

/* Entries wrap around the ring; GET frees room. */
static void acc_ring_wraps(struct kunit *test)
{
	static const u64 order[] = { R0, R1, R2, R1, R0, R2, R0 };
	struct acc_test *a = test->priv;

	acc_start(a, 4, 1);
	writes(test, a, order[0], 1);
	writes(test, a, order[1], 1);
	writes(test, a, order[2], 1);
	KUNIT_ASSERT_EQ(test, put(a), 3);
	wr(a->t, NVSVM_REG_ACC_BUF_GET, 3);
	writes(test, a, order[3], 1);
	writes(test, a, order[4], 1);
	writes(test, a, order[5], 1);
	KUNIT_ASSERT_EQ(test, put(a), 2);
	expect_entry(test, a, 3, order[3], T_INST, 1);
	expect_entry(test, a, 0, order[4], T_INST, 1);
	expect_entry(test, a, 1, order[5], T_INST, 1);
	KUNIT_EXPECT_EQ(test, rd(a->t, NVSVM_REG_ACC_STATUS), 0);

	wr(a->t, NVSVM_REG_ACC_BUF_GET, 2);
	writes(test, a, order[6], 1);
	KUNIT_ASSERT_EQ(test, put(a), 3);
	expect_entry(test, a, 2, order[6], T_INST, 1);
}

/* A full ring drops notifications and sets OVERFLOW, cleared by writing 1. */
static void acc_overflow(struct kunit *test)
{
	struct acc_test *a = test->priv;
	struct test_gpu *t = a->t;
	struct acc_entry e;

	acc_start(a, 2, 1);			/* room for one entry */
	wr(t, NVSVM_REG_ACC_INTR_EN, 1);
	writes(test, a, R0, 1);
	KUNIT_ASSERT_EQ(test, put(a), 1);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_ACC_STATUS), 0);
	writes(test, a, R1, 2);
	KUNIT_EXPECT_EQ(test, put(a), 1);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_ACC_STATUS), NVSVM_ACC_STATUS_OVERFLOW);
	read_entry(test, a, 1, &e);
	KUNIT_EXPECT_FALSE(test, e.info & NVSVM_ACC_INFO_VALID);

	/* Drained, the line stays up for OVERFLOW until it is cleared. */
	wr(t, NVSVM_REG_ACC_BUF_GET, 1);
	KUNIT_EXPECT_TRUE(test, line_asserted(a));
	wr(t, NVSVM_REG_ACC_STATUS, 0);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_ACC_STATUS), NVSVM_ACC_STATUS_OVERFLOW);
	wr(t, NVSVM_REG_ACC_STATUS, NVSVM_ACC_STATUS_OVERFLOW);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_ACC_STATUS), 0);
	KUNIT_EXPECT_FALSE(test, line_asserted(a));

	/* The dropped ones are gone; the next one lands. */
	writes(test, a, R2, 1);
	KUNIT_ASSERT_EQ(test, put(a), 0);
	expect_entry(test, a, 1, R2, T_INST, 1);

	/* A ring that is off overflows at once. */
	wr(t, NVSVM_REG_ACC_BUF_SIZE, 0);
	writes(test, a, R2, 1);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_ACC_STATUS), NVSVM_ACC_STATUS_OVERFLOW);
	KUNIT_EXPECT_EQ(test, put(a), 0);
}

/* Acknowledges as a driver would: consume every entry, from hard-IRQ context. */
static irqreturn_t acc_test_irq(int irq, void *data)
{
	struct acc_test *a = data;
	u32 put = rd(a->t, NVSVM_REG_ACC_BUF_PUT);

	/* Nothing to do: say so, so that a stuck line gets disabled. */
	if (put == rd(a->t, NVSVM_REG_ACC_BUF_GET) &&
	    !(rd(a->t, NVSVM_REG_ACC_STATUS) & NVSVM_ACC_STATUS_OVERFLOW))
		return IRQ_NONE;
	a->irq_in_hardirq = in_hardirq();
	a->irq_put = put;
	wr(a->t, NVSVM_REG_ACC_BUF_GET, put);
	wr(a->t, NVSVM_REG_ACC_STATUS, NVSVM_ACC_STATUS_OVERFLOW);
	atomic_inc(&a->irq_calls);
	complete(&a->irq_done);
	return IRQ_HANDLED;
}

/* The "acc" line is up while GET != PUT (and INTR_EN), and fires. */
static void acc_interrupt(struct kunit *test)
{
	struct acc_test *a = test->priv;
	struct test_gpu *t = a->t;
	unsigned int irq = nvsvm_sim_irq(t->sim, NVSVM_IRQ_ACC);

	acc_start(a, 8, 1);
	wr(t, NVSVM_REG_ACC_INTR_EN, 1);
	KUNIT_EXPECT_FALSE(test, line_asserted(a));
	writes(test, a, R0, 2);
	KUNIT_ASSERT_EQ(test, put(a), 2);
	KUNIT_EXPECT_TRUE(test, line_asserted(a));
	wr(t, NVSVM_REG_ACC_BUF_GET, 1);
	KUNIT_EXPECT_TRUE(test, line_asserted(a));
	wr(t, NVSVM_REG_ACC_BUF_GET, 2);
	KUNIT_EXPECT_FALSE(test, line_asserted(a));

	/* INTR_EN masks it. */
	wr(t, NVSVM_REG_ACC_INTR_EN, 0);
	writes(test, a, R1, 1);
	KUNIT_ASSERT_EQ(test, put(a), 3);
	KUNIT_EXPECT_FALSE(test, line_asserted(a));
	wr(t, NVSVM_REG_ACC_INTR_EN, 1);
	KUNIT_EXPECT_TRUE(test, line_asserted(a));
	wr(t, NVSVM_REG_ACC_BUF_GET, 3);
	KUNIT_EXPECT_FALSE(test, line_asserted(a));

	/* A real handler, in hard-IRQ context, that catches up. */
	KUNIT_ASSERT_EQ(test, 0, request_irq(irq, acc_test_irq, 0, "nvsvm-kunit", a));
	a->irq = irq;
	KUNIT_EXPECT_EQ(test, atomic_read(&a->irq_calls), 0);
	writes(test, a, R2, 1);
	KUNIT_ASSERT_NE(test, 0UL, wait_for_completion_timeout(&a->irq_done, 5 * HZ));
	KUNIT_EXPECT_TRUE(test, a->irq_in_hardirq);
	KUNIT_EXPECT_EQ(test, a->irq_put, 4);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_ACC_BUF_GET), 4);
	KUNIT_EXPECT_FALSE(test, line_asserted(a));
	expect_entry(test, a, 3, R2, T_INST, 1);
}

/* A disabled block counts nothing; enabled again, it counts. */
static void acc_disabled_counts_nothing(struct kunit *test)
{
	struct acc_test *a = test->priv;
	struct test_gpu *t = a->t;

	acc_start(a, 8, 1);
	wr(t, NVSVM_REG_ACC_CTRL, 0);
	writes(test, a, R0, 5);
	sm_stores(test, a, &a->vm1, R1, 3, 32);
	KUNIT_EXPECT_EQ(test, put(a), 0);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_ACC_STATUS), 0);

	wr(t, NVSVM_REG_ACC_CTRL, NVSVM_ACC_CTRL_ENABLE);
	writes(test, a, R0, 1);
	KUNIT_ASSERT_EQ(test, put(a), 1);
	expect_entry(test, a, 0, R0, T_INST, 1);

	/* Counters keep their values while the block is off. */
	wr(t, NVSVM_REG_ACC_THRESHOLD, 3);
	writes(test, a, R1, 2);
	wr(t, NVSVM_REG_ACC_CTRL, 0);
	writes(test, a, R1, 4);
	wr(t, NVSVM_REG_ACC_CTRL, NVSVM_ACC_CTRL_ENABLE);
	KUNIT_EXPECT_EQ(test, put(a), 1);
	writes(test, a, R1, 1);
	KUNIT_ASSERT_EQ(test, put(a), 2);
	expect_entry(test, a, 1, R1, T_INST, 3);
}

/*
 * The counters are a bounded cache (256 counters): a thousand cold regions
 * do not evict a hot one, and do not all keep their own counts.
 */
static void acc_table_bounded(struct kunit *test)
{
	struct acc_test *a = test->priv;
	struct test_gpu *t = a->t;
	unsigned int i;
	u32 n;

	/* COLD_REGIONS pages 64 KiB apart, all on one page of memory. */
	for (i = 1; i < COLD_REGIONS; i++)
		map_page(test, t, T_COLD + (u64)i * SZ_64K,
			 a->dma[NSYS - 1] | NVSVM_PTE_VALID | NVSVM_PTE_APERTURE);

	acc_start(a, 2 * COLD_REGIONS, 3);
	writes(test, a, R0, 2);
	sm_stores(test, a, &a->vm1, T_COLD, 16, COLD_REGIONS);
	KUNIT_EXPECT_EQ(test, put(a), 0);
	writes(test, a, R0, 1);
	KUNIT_ASSERT_EQ(test, put(a), 1);
	expect_entry(test, a, 0, R0, T_INST, 3);

	/*
	 * At threshold 2, a second pass notifies for the cold regions whose
	 * counters survived the first: some, and no more than the table holds.
	 */
	wr(t, NVSVM_REG_ACC_THRESHOLD, 2);
	sm_stores(test, a, &a->vm1, T_COLD, 16, COLD_REGIONS);
	n = put(a) - 1;
	KUNIT_EXPECT_GT(test, n, 0);
	KUNIT_EXPECT_LE(test, n, 256);
	KUNIT_EXPECT_EQ(test, rd(t, NVSVM_REG_ACC_STATUS), 0);
}

static struct kunit_case acc_cases[] = {
	KUNIT_CASE(acc_registers),
	KUNIT_CASE(acc_threshold_notifies_once),
	KUNIT_CASE(acc_sm_accesses),
	KUNIT_CASE(acc_per_region),
	KUNIT_CASE(acc_per_vm),
	KUNIT_CASE(acc_channels_share_vm),
	KUNIT_CASE(acc_vram_not_counted),
	KUNIT_CASE(acc_granularity),
	KUNIT_CASE(acc_clear),
	KUNIT_CASE(acc_ring_wraps),
	KUNIT_CASE(acc_overflow),
	KUNIT_CASE(acc_interrupt),
	KUNIT_CASE(acc_disabled_counts_nothing),
	KUNIT_CASE(acc_table_bounded),
	{}
};

static struct kunit_suite acc_suite = {
	.name = "nvsvm_sim_acc",
	.init = acc_test_init,
	.exit = acc_test_exit,
	.test_cases = acc_cases,
};

kunit_test_suite(acc_suite);
