// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

/*
 * Benchmarks of the emulated GPU, driven through its registers like the
 * FIFO tests: the compute interpreter's instructions per second on one SM
 * and on one SM per online CPU, and empty GPFIFO entries per second. They
 * print figures and check only that the work was done: timing is never a
 * pass criterion. Built as nvsvm-bench.ko, run by `make bench`, never by
 * `make test`.
 */

#include <linux/cpumask.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/module.h>

#include "sim_test_gpu.h"

/*
 * About 5 M instructions: a couple of seconds on one SM under TCG, well
 * inside the 10 s the idle wait allows even on a loaded machine.
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

/* Instructions per second of a grid on a GPU with @sm_count SMs. */
static u64 bench_ips(struct kunit *test, u32 sm_count)
{
	struct test_gpu *t = test_gpu_create(test, sm_count);
	const u32 blocks = 4, threads = 64;
	u64 before, done, ns;
	ktime_t start;

	t->sim->watchdog_ms = 60000;
	write_code(test, t, spin, ARRAY_SIZE(spin));
	before = nvsvm_sim_sm_instructions(t->sim);
	start = ktime_get();
	launch(test, t, blocks, threads);
	KUNIT_ASSERT_EQ(test, wait_idle(test, t), NVSVM_CHAN_ERROR_NONE);
	ns = ktime_to_ns(ktime_sub(ktime_get(), start));
	done = nvsvm_sim_sm_instructions(t->sim) - before;
	test_gpu_destroy(t);

	KUNIT_EXPECT_EQ(test, done, (u64)blocks * threads * (2 + 4 * BENCH_LOOPS));
	kunit_info(test, "bench: %u SM(s): %llu instructions in %llu ms: %llu instructions/s\n",
		   sm_count, done, div_u64(ns, NSEC_PER_MSEC),
		   div64_u64(done * NSEC_PER_SEC, max_t(u64, ns, 1)));
	return div64_u64(done * NSEC_PER_SEC, max_t(u64, ns, 1));
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
