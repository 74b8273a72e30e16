// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

/*
 * Benchmarks of the emulated GPU, driven through its registers like the
 * FIFO tests: the compute interpreter's instructions per second on one SM
 * and on one SM per online CPU, with code and data in VRAM and in system
 * memory, and empty GPFIFO entries per second. They print figures and
 * check only that the work was done: timing is never a pass criterion.
 * Built as nvsvm-bench.ko, run by `make bench`, never by `make test`.
 *
 * An instruction is one thread's (one lane's): the figures compare
 * whatever the SMs do per instruction, however they group threads.
 *
 * The benchmark uses nothing but the GPU's registers, its memory
 * accessors and nvsvm_sim_sm_instructions(), so that the same file builds
 * against older emulators and their figures can be set side by side.
 */

#include <linux/cpumask.h>
#include <linux/dma-mapping.h>
#include <linux/highmem.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/platform_device.h>

#include "sim_test_gpu.h"

/*
 * About 5 M instructions a grid: a couple of seconds on one SM under TCG
 * for the emulator that ran one thread at a time; faster ones run the grid
 * several times in a row (bench_measure()).
 */
#define BENCH_LOOPS	5000

/* Each thread: BENCH_LOOPS iterations of 4 instructions, plus 2. */
static const u64 spin[] = {
	ENC(NVSVM_ISA_MOVI, 1, 0, 0, BENCH_LOOPS),
	ENC(NVSVM_ISA_ADDI, 2, 2, 0, 3),		/* loop: */
	ENC(NVSVM_ISA_XOR, 3, 3, 2, 0),
	ENC(NVSVM_ISA_ADDI, 1, 1, 0, -1),
	ENC(NVSVM_ISA_BNEZ, 0, 1, 0, -4),
	ENC(NVSVM_ISA_EXIT, 0, 0, 0, 0),
};

/* Like wait_idle(), with room for a slow emulator: up to two minutes. */
static u32 bench_wait_idle(struct kunit *test, struct test_gpu *t)
{
	unsigned long timeout = jiffies + 120 * HZ;
	u32 status;

	do {
		__le32 get;

		status = rd(t, NVSVM_REG_CHAN_STATUS(3));
		KUNIT_ASSERT_EQ(test, 0, nvsvm_sim_mem_read(t->sim, NVSVM_APER_VRAM,
							    T_INST + NVSVM_INST_GP_GET, &get, 4));
		if (FIELD_GET(NVSVM_CHAN_STATUS_ERROR, status) ||
		    (le32_to_cpu(get) == t->put && !(status & NVSVM_CHAN_STATUS_BUSY)))
			return FIELD_GET(NVSVM_CHAN_STATUS_ERROR, status);
		usleep_range(200, 400);
	} while (time_before(jiffies, timeout));
	KUNIT_FAIL(test, "channel did not go idle, status %#x", status);
	return U32_MAX;
}

/* Launches one push buffer holds: the room between T_PB and T_CODE. */
#define BENCH_MAX_RUNS	((T_CODE - T_PB) / (7 * 4) - 1)
/* How long a measurement should take, about. */
#define BENCH_NS	(1000 * NSEC_PER_MSEC)

/*
 * Run a grid @runs times back to back (one push buffer of @runs LAUNCH
 * methods, one wait). Return the instructions the SMs completed; *@ns the
 * time it took.
 */
static u64 bench_run(struct kunit *test, struct test_gpu *t, u64 code, u64 param,
		     u32 blocks, u32 threads, unsigned int runs, u64 *ns)
{
	u32 *pb = kunit_kmalloc_array(test, runs, 7 * sizeof(u32), GFP_KERNEL);
	unsigned int i;
	u64 before;
	ktime_t start;

	KUNIT_ASSERT_NOT_NULL(test, pb);
	for (i = 0; i < runs; i++) {
		pb[i * 7 + 0] = M(LAUNCH, 6);
		pb[i * 7 + 1] = lower_32_bits(code);
		pb[i * 7 + 2] = upper_32_bits(code);
		pb[i * 7 + 3] = lower_32_bits(param);
		pb[i * 7 + 4] = upper_32_bits(param);
		pb[i * 7 + 5] = blocks;
		pb[i * 7 + 6] = threads;
	}
	/* Each submission's push buffer starts over at T_PB. */
	t->pb = T_PB;
	before = nvsvm_sim_sm_instructions(t->sim);
	start = ktime_get();
	submit(test, t, pb, runs * 7);
	KUNIT_EXPECT_EQ(test, bench_wait_idle(test, t), NVSVM_CHAN_ERROR_NONE);
	*ns = max_t(u64, ktime_to_ns(ktime_sub(ktime_get(), start)), 1);
	kunit_kfree(test, pb);
	return nvsvm_sim_sm_instructions(t->sim) - before;
}

/*
 * Measure a grid's instructions per second: once to see how long it
 * takes, then enough times in a row to take about BENCH_NS. Return the
 * rate; *@runs the number of grids run, the first included.
 */
static u64 bench_measure(struct kunit *test, struct test_gpu *t, u64 code, u64 param,
			 u32 blocks, u32 threads, u64 per_grid, unsigned int *runs,
			 const char *what, u32 sm_count)
{
	u64 done, ns;
	unsigned int n;

	done = bench_run(test, t, code, param, blocks, threads, 1, &ns);
	KUNIT_EXPECT_EQ(test, done, per_grid);
	n = clamp_t(u64, div64_u64(BENCH_NS, ns), 1, BENCH_MAX_RUNS);
	done = bench_run(test, t, code, param, blocks, threads, n, &ns);
	KUNIT_EXPECT_EQ(test, done, per_grid * n);
	*runs = n + 1;
	kunit_info(test, "bench: %s, %u SM(s): %u grids, %llu instructions in %llu ms: %llu instructions/s\n",
		   what, sm_count, n, done, div_u64(ns, NSEC_PER_MSEC),
		   div64_u64(done * NSEC_PER_SEC, ns));
	return div64_u64(done * NSEC_PER_SEC, ns);
}

/* Instructions per second of the ALU loop on a GPU with @sm_count SMs. */
static u64 bench_ips(struct kunit *test, u32 sm_count)
{
	struct test_gpu *t = test_gpu_create(test, sm_count);
	const u32 blocks = 4, threads = 64;
	unsigned int runs;
	u64 ips;

	t->sim->watchdog_ms = 600000;
	write_code(test, t, spin, ARRAY_SIZE(spin));
	ips = bench_measure(test, t, T_CODE, T_PARAM, blocks, threads,
			    (u64)blocks * threads * (2 + 4 * BENCH_LOOPS), &runs,
			    "ALU loop in VRAM", sm_count);
	test_gpu_destroy(t);
	return ips;
}

static void bench_interpreter(struct kunit *test)
{
	u32 all = num_online_cpus();
	u64 one = bench_ips(test, 1);
	u64 many = bench_ips(test, all);

	kunit_info(test, "bench: scaling from 1 to %u SMs: %llu.%02llux\n", all,
		   div64_u64(many, max_t(u64, one, 1)),
		   div64_u64(many * 100, max_t(u64, one, 1)) % 100);
}

/*
 * Code and data: each thread loads, updates and stores its own 64-bit
 * word MEM_LOOPS times, with an ALU instruction and the loop's two in
 * between: a third of the instructions access memory, and every one is
 * fetched.
 */
#define MEM_LOOPS	1500
#define MEM_BLOCKS	4
#define MEM_THREADS	64
#define MEM_N		(MEM_BLOCKS * MEM_THREADS)

static const u64 mem_kernel[] = {
	ENC(NVSVM_ISA_S2R, 1, 0, 0, NVSVM_ISA_SREG_PARAM),
	ENC(NVSVM_ISA_LD64, 2, 1, 0, 0),		/* the data */
	ENC(NVSVM_ISA_S2R, 3, 0, 0, NVSVM_ISA_SREG_GTID),
	ENC(NVSVM_ISA_SHLI, 3, 3, 0, 3),
	ENC(NVSVM_ISA_ADD, 2, 2, 3, 0),			/* my word */
	ENC(NVSVM_ISA_LD64, 4, 1, 0, 8),		/* iterations */
	ENC(NVSVM_ISA_LD64, 5, 2, 0, 0),		/* loop: */
	ENC(NVSVM_ISA_ADDI, 5, 5, 0, 3),
	ENC(NVSVM_ISA_XOR, 6, 6, 5, 0),
	ENC(NVSVM_ISA_ST64, 0, 2, 5, 0),
	ENC(NVSVM_ISA_ADDI, 4, 4, 0, -1),
	ENC(NVSVM_ISA_BNEZ, 0, 4, 0, -6),
	ENC(NVSVM_ISA_EXIT, 0, 0, 0, 0),
};

#define MEM_KERNEL_INSNS(loops)	(7 + 6 * (u64)(loops))

/* System memory for the benchmark: pages DMA-mapped for a device of its own. */
#define SYS_VA		0x7f0000000000ULL	/* code page, parameters, data */
#define SYS_CODE	SYS_VA
#define SYS_PARAM	(SYS_VA + SZ_4K)
#define SYS_DATA	(SYS_VA + 2 * SZ_4K)
#define SYS_PAGES	3

struct bench_sys {
	struct platform_device *pdev;
	struct page *pages[SYS_PAGES];
	dma_addr_t dma[SYS_PAGES];
};

static void bench_sys_fini(struct bench_sys *s)
{
	unsigned int i;

	for (i = 0; i < SYS_PAGES; i++) {
		if (!s->pages[i])
			continue;
		if (!dma_mapping_error(&s->pdev->dev, s->dma[i]))
			dma_unmap_page(&s->pdev->dev, s->dma[i], PAGE_SIZE, DMA_BIDIRECTIONAL);
		__free_page(s->pages[i]);
	}
	if (!IS_ERR_OR_NULL(s->pdev))
		platform_device_unregister(s->pdev);
}

/* A device with a 64-bit DMA mask, and SYS_PAGES pages mapped for it. */
static int bench_sys_init(struct bench_sys *s)
{
	unsigned int i;

	s->pdev = platform_device_register_simple("nvsvm-bench-dma", PLATFORM_DEVID_AUTO,
						  NULL, 0);
	if (IS_ERR(s->pdev))
		return PTR_ERR(s->pdev);
	if (dma_set_mask_and_coherent(&s->pdev->dev, DMA_BIT_MASK(64)))
		return -EIO;
	for (i = 0; i < SYS_PAGES; i++) {
		s->pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!s->pages[i])
			return -ENOMEM;
		s->dma[i] = dma_map_page(&s->pdev->dev, s->pages[i], 0, PAGE_SIZE,
					 DMA_BIDIRECTIONAL);
		if (dma_mapping_error(&s->pdev->dev, s->dma[i]))
			return -EIO;
	}
	return 0;
}

static void bench_sys_w64(struct bench_sys *s, unsigned int page, unsigned int off, u64 v)
{
	__le64 *p = kmap_local_page(s->pages[page]);

	p[off / 8] = cpu_to_le64(v);
	kunmap_local(p);
}

static u64 bench_sys_r64(struct bench_sys *s, unsigned int page, unsigned int off)
{
	__le64 *p = kmap_local_page(s->pages[page]);
	u64 v = le64_to_cpu(p[off / 8]);

	kunmap_local(p);
	return v;
}

/*
 * Instructions per second of mem_kernel on @sm_count SMs, with code, the
 * parameter block and the data in system memory (@sys) or in VRAM.
 */
static u64 bench_mem_ips(struct kunit *test, u32 sm_count, bool sys)
{
	struct test_gpu *t = test_gpu_create(test, sm_count);
	u64 code = sys ? SYS_CODE : T_CODE;
	u64 param = sys ? SYS_PARAM : T_PARAM;
	u64 data = sys ? SYS_DATA : T_A;
	struct bench_sys s = {};
	unsigned int i, runs, bad = 0;
	u64 ips;
	int ret;

	t->sim->watchdog_ms = 600000;
	if (sys) {
		ret = bench_sys_init(&s);
		if (ret) {
			bench_sys_fini(&s);
			test_gpu_destroy(t);
			KUNIT_FAIL(test, "no DMA device for system memory: %d", ret);
			return 0;
		}
		t->sim->dma_dev = &s.pdev->dev;
		for (i = 0; i < SYS_PAGES; i++)
			map_page(test, t, SYS_VA + i * SZ_4K,
				 s.dma[i] | NVSVM_PTE_VALID | NVSVM_PTE_APERTURE);
		for (i = 0; i < ARRAY_SIZE(mem_kernel); i++)
			bench_sys_w64(&s, 0, i * 8, mem_kernel[i]);
		bench_sys_w64(&s, 1, 0, data);
		bench_sys_w64(&s, 1, 8, MEM_LOOPS);
	} else {
		write_code(test, t, mem_kernel, ARRAY_SIZE(mem_kernel));
		va_w64(test, t, T_PARAM, data);
		va_w64(test, t, T_PARAM + 8, MEM_LOOPS);
	}

	ips = bench_measure(test, t, code, param, MEM_BLOCKS, MEM_THREADS,
			    MEM_N * MEM_KERNEL_INSNS(MEM_LOOPS), &runs,
			    sys ? "code+data in system memory" : "code+data in VRAM", sm_count);

	for (i = 0; i < MEM_N; i++) {
		u64 v = sys ? bench_sys_r64(&s, 2, i * 8) : va_r64(test, t, T_A + i * 8);

		bad += v != 3ULL * MEM_LOOPS * runs;
	}
	test_gpu_destroy(t);
	bench_sys_fini(&s);

	KUNIT_EXPECT_EQ(test, bad, 0);
	return ips;
}

static void bench_memory(struct kunit *test)
{
	u32 all = num_online_cpus();
	u64 vram1 = bench_mem_ips(test, 1, false);
	u64 sys1 = bench_mem_ips(test, 1, true);
	u64 vram = bench_mem_ips(test, all, false);
	u64 sys = bench_mem_ips(test, all, true);

	kunit_info(test, "bench: system memory / VRAM: 1 SM %llu.%02llu, %u SMs %llu.%02llu\n",
		   div64_u64(sys1, max_t(u64, vram1, 1)),
		   div64_u64(sys1 * 100, max_t(u64, vram1, 1)) % 100, all,
		   div64_u64(sys, max_t(u64, vram, 1)),
		   div64_u64(sys * 100, max_t(u64, vram, 1)) % 100);
}

/* GPFIFO entries per second, each a push buffer holding one NOP. */
static void bench_empty_entries(struct kunit *test)
{
	struct test_gpu *t = test_gpu_create(test, 1);
	const u32 entries = 256, count = 20000;
	u32 submitted = 0, get = 0;
	__le32 raw;
	ktime_t start;
	u64 ns;
	u32 i;

	/* A bigger ring than the tests': 256 entries fill T_GPFIFO's 4 KiB. */
	vram_w64(test, t, T_INST + NVSVM_INST_GPFIFO_ENTRIES, entries);
	va_w64(test, t, T_PB, M(NOP, 0));
	for (i = 0; i < entries; i++) {
		va_w64(test, t, T_GPFIFO + i * 16, T_PB);
		va_w64(test, t, T_GPFIFO + i * 16 + 8, 1);
	}

	start = ktime_get();
	while (get != count % entries || submitted < count) {
		KUNIT_ASSERT_EQ(test, 0, nvsvm_sim_mem_read(t->sim, NVSVM_APER_VRAM,
							    T_INST + NVSVM_INST_GP_GET, &raw, 4));
		get = le32_to_cpu(raw);
		if (submitted < count && ((submitted + 1) % entries) != get) {
			/* Fill the ring up to one short of GET. */
			while (submitted < count && ((submitted + 1) % entries) != get)
				submitted++;
			raw = cpu_to_le32(submitted % entries);
			KUNIT_ASSERT_EQ(test, 0, nvsvm_sim_mem_write(t->sim, NVSVM_APER_VRAM,
								     T_INST + NVSVM_INST_GP_PUT,
								     &raw, 4));
			wr(t, NVSVM_REG_FIFO_DOORBELL, 3);
		} else {
			cond_resched();
		}
		KUNIT_ASSERT_EQ(test, FIELD_GET(NVSVM_CHAN_STATUS_ERROR,
						rd(t, NVSVM_REG_CHAN_STATUS(3))), 0);
	}
	ns = ktime_to_ns(ktime_sub(ktime_get(), start));
	test_gpu_destroy(t);

	kunit_info(test, "bench: %u empty GPFIFO entries in %llu ms: %llu entries/s\n",
		   count, div_u64(ns, NSEC_PER_MSEC),
		   div64_u64((u64)count * NSEC_PER_SEC, max_t(u64, ns, 1)));
}

static struct kunit_case bench_cases[] = {
	KUNIT_CASE_SLOW(bench_interpreter),
	KUNIT_CASE_SLOW(bench_memory),
	KUNIT_CASE_SLOW(bench_empty_entries),
	{}
};

static struct kunit_suite bench_suite = {
	.name = "nvsvm_bench",
	.test_cases = bench_cases,
};

kunit_test_suite(bench_suite);

MODULE_DESCRIPTION("Benchmarks of the nvsvm emulated GPU");
MODULE_LICENSE("Dual MIT/GPL");
MODULE_INFO(import_ns, "EXPORTED_FOR_KUNIT_TESTING");
