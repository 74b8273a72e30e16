// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

#include <kunit/test.h>
#include <linux/bits.h>
#include <linux/limits.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include "nvsvm_isa.h"
#include "nvsvm_regs.h"
#include "sim/sim_isa.h"

/*
 * A fake memory: FAKE_SIZE bytes at FAKE_BASE, code in the first two
 * pages, data in the third, the parameter block in the fourth. Everything
 * else faults, and so does the page at fault_page (and the one at
 * retry_page, with NVSVM_SIM_ISA_RETRY), until the test clears it. The fake
 * counts the calls of each kind (a load, store or atomic per lane) and
 * checks what the interpreter promises: aligned addresses, valid sizes,
 * 32-bit atomic operands truncated, lanes in ascending order. With
 * cache_code, a fetch hands its page over, and the interpreter fetches
 * from it without calling the fake again.
 */
#define FAKE_PAGE	SZ_4K
#define FAKE_SIZE	(4 * FAKE_PAGE)
#define FAKE_BASE	0x7f1234560000ULL
#define CODE_VA		FAKE_BASE
#define DATA_VA		(FAKE_BASE + 2 * FAKE_PAGE)
#define PARAM_VA	(FAKE_BASE + 3 * FAKE_PAGE)
#define NO_FAULT	U64_MAX

#define TEST_SMID	6
#define TEST_NTID	24
#define TEST_NCTAID	5
#define TEST_TID	13
#define TEST_CTAID	3

#define WARP		NVSVM_ISA_WARP_SIZE
#define ALL_LANES	NVSVM_SIM_ISA_ALL_LANES

struct fake_mem {
	struct nvsvm_sim_isa_mem mem;
	struct kunit *test;
	u8 bytes[FAKE_SIZE];
	u64 fault_page, retry_page;
	/* Pages of the fake that fault too: bit n for the page at FAKE_BASE + n * 4 KiB. */
	u32 fault_pages;
	bool cache_code;
	atomic_t yield;
	/* Yield once this many fetches have been made; 0: never. */
	unsigned int yield_after;
	unsigned int fetches, loads, stores, atomics, faults;
	/* The arguments of the last atomic. */
	u8 atom_op;
	unsigned int atom_size;
	u64 atom_operand, atom_compare;
	/* The order atomics were made in, by lane. */
	unsigned int atom_order[WARP];
	unsigned int natoms;
};

/*
 * One thread as the single-lane tests see it: the interpreter runs it as
 * lane tid % WARP of a warp whose only live lane it is, and run() copies
 * its state into that lane and back.
 */
struct test_thread {
	u64 regs[NVSVM_ISA_NUM_REGS];
	u64 pc;
	u32 tid;
	u32 ctaid;
	bool exited;
};

struct isa_test {
	struct fake_mem fake;
	struct nvsvm_sim_isa_launch launch;
	struct test_thread t;
	struct nvsvm_sim_isa_warp w;
	unsigned int executed, lanes;
	u32 error;
};

static u64 get_le(const u8 *p, unsigned int size)
{
	u64 val = 0;

	while (size--)
		val = val << 8 | p[size];
	return val;
}

static void put_le(u8 *p, unsigned int size, u64 val)
{
	unsigned int i;

	for (i = 0; i < size; i++, val >>= 8)
		p[i] = val;
}

/* 0, or the reason the access faults. */
static int fake_access(struct fake_mem *f, u64 va, unsigned int size, u8 **p)
{
	KUNIT_EXPECT_TRUE_MSG(f->test, size == 1 || size == 2 || size == 4 || size == 8,
			      "size %u", size);
	KUNIT_EXPECT_EQ_MSG(f->test, va & (size - 1), 0, "va %#llx size %u", va, size);

	if ((va & ~(u64)(FAKE_PAGE - 1)) == f->retry_page)
		return NVSVM_SIM_ISA_RETRY;
	if (va < FAKE_BASE || va - FAKE_BASE > FAKE_SIZE - size ||
	    (va & ~(u64)(FAKE_PAGE - 1)) == f->fault_page ||
	    (f->fault_pages & BIT((va - FAKE_BASE) / FAKE_PAGE))) {
		f->faults++;
		return NVSVM_FAULT_TYPE_INVALID_PTE + 1;
	}
	*p = &f->bytes[va - FAKE_BASE];
	return 0;
}

/* A failed access (@ret from fake_access()) of @lane: say why, add it to *@bad. */
static bool fake_fail(struct fake_mem *f, int ret, unsigned int lane, u8 *why, u32 *bad)
{
	if (!ret)
		return false;
	why[lane] = ret == NVSVM_SIM_ISA_RETRY ? NVSVM_SIM_ISA_RETRY : ret - 1;
	*bad |= BIT(lane);
	return true;
}

static int fake_fetch(struct nvsvm_sim_isa_mem *mem, u64 va, u64 *insn,
		      const __le64 **page, u8 *why)
{
	struct fake_mem *f = container_of(mem, struct fake_mem, mem);
	u32 bad = 0;
	u8 *p;

	f->fetches++;
	if (f->yield_after && f->fetches == f->yield_after)
		atomic_set(&f->yield, 1);
	if (fake_fail(f, fake_access(f, va, 8, &p), 0, why, &bad))
		return NVSVM_SIM_ISA_MEM_FAULT;
	*insn = get_le(p, 8);
	if (f->cache_code)
		*page = (const __le64 *)&f->bytes[(va & ~(u64)(FAKE_PAGE - 1)) - FAKE_BASE];
	return 0;
}

static u32 fake_load(struct nvsvm_sim_isa_mem *mem, u32 lanes, const u64 *va,
		     unsigned int size, u64 *val, u8 *why)
{
	struct fake_mem *f = container_of(mem, struct fake_mem, mem);
	unsigned int i;
	u32 bad = 0;
	u8 *p;

	KUNIT_EXPECT_NE(f->test, lanes, 0);
	for (i = 0; i < WARP; i++) {
		if (!(lanes & BIT(i)))
			continue;
		f->loads++;
		if (fake_fail(f, fake_access(f, va[i], size, &p), i, why, &bad))
			continue;
		val[i] = get_le(p, size);
	}
	return bad;
}

static u32 fake_store(struct nvsvm_sim_isa_mem *mem, u32 lanes, const u64 *va,
		      unsigned int size, const u64 *val, u8 *why)
{
	struct fake_mem *f = container_of(mem, struct fake_mem, mem);
	unsigned int i;
	u32 bad = 0;
	u8 *p;

	KUNIT_EXPECT_NE(f->test, lanes, 0);
	for (i = 0; i < WARP; i++) {
		if (!(lanes & BIT(i)))
			continue;
		f->stores++;
		if (fake_fail(f, fake_access(f, va[i], size, &p), i, why, &bad))
			continue;
		put_le(p, size, val[i]);
	}
	return bad;
}

static s64 sext(u64 val, unsigned int size)
{
	return size == 4 ? (s64)(s32)val : (s64)val;
}

static u32 fake_atomic(struct nvsvm_sim_isa_mem *mem, u32 lanes, const u64 *va,
		       unsigned int size, u8 op, const u64 *operand,
		       const u64 *compare, u64 *old, u8 *why)
{
	struct fake_mem *f = container_of(mem, struct fake_mem, mem);
	unsigned int i;
	u32 bad = 0;
	u64 cur, new;
	u8 *p;

	KUNIT_EXPECT_NE(f->test, lanes, 0);
	KUNIT_EXPECT_EQ(f->test, size, op & 8 ? 8 : 4);
	for (i = 0; i < WARP; i++) {
		if (!(lanes & BIT(i)))
			continue;
		f->atomics++;
		f->atom_op = op;
		f->atom_size = size;
		f->atom_operand = operand[i];
		f->atom_compare = compare[i];
		if (size == 4) {
			KUNIT_EXPECT_EQ(f->test, operand[i] >> 32, 0);
			KUNIT_EXPECT_EQ(f->test, compare[i] >> 32, 0);
		}
		if (fake_fail(f, fake_access(f, va[i], size, &p), i, why, &bad))
			continue;
		if (f->natoms < WARP)
			f->atom_order[f->natoms++] = i;

		cur = get_le(p, size);
		switch (op & ~8) {
		case NVSVM_ISA_ATOMADD32:
			new = cur + operand[i];
			break;
		case NVSVM_ISA_ATOMEXCH32:
			new = operand[i];
			break;
		case NVSVM_ISA_ATOMCAS32:
			new = cur == compare[i] ? operand[i] : cur;
			break;
		case NVSVM_ISA_ATOMMIN32:
			new = sext(operand[i], size) < sext(cur, size) ? operand[i] : cur;
			break;
		case NVSVM_ISA_ATOMMAX32:
			new = sext(operand[i], size) > sext(cur, size) ? operand[i] : cur;
			break;
		case NVSVM_ISA_ATOMMINU32:
			new = operand[i] < cur ? operand[i] : cur;
			break;
		case NVSVM_ISA_ATOMMAXU32:
			new = operand[i] > cur ? operand[i] : cur;
			break;
		default:
			KUNIT_FAIL(f->test, "atomic op %#x", op);
			new = cur;
			break;
		}
		put_le(p, size, new);
		old[i] = cur;
	}
	return bad;
}

static const struct nvsvm_sim_isa_mem_ops fake_mem_ops = {
	.fetch = fake_fetch,
	.load = fake_load,
	.store = fake_store,
	.atomic = fake_atomic,
};

/* The thread the single-lane tests run: all registers 0, at the entry. */
static void thread_init(struct isa_test *x, u32 tid, u32 ctaid)
{
	memset(&x->t, 0, sizeof(x->t));
	x->t.pc = x->launch.entry;
	x->t.tid = tid;
	x->t.ctaid = ctaid;
}

static int isa_test_init(struct kunit *test)
{
	struct isa_test *x = kunit_kzalloc(test, sizeof(*x), GFP_KERNEL);

	if (!x)
		return -ENOMEM;
	x->fake.mem.ops = &fake_mem_ops;
	x->fake.mem.yield = &x->fake.yield;
	x->fake.test = test;
	x->fake.fault_page = NO_FAULT;
	x->fake.retry_page = NO_FAULT;
	x->launch.entry = CODE_VA;
	x->launch.param = PARAM_VA;
	x->launch.ntid = TEST_NTID;
	x->launch.nctaid = TEST_NCTAID;
	thread_init(x, TEST_TID, TEST_CTAID);
	test->priv = x;
	return 0;
}

#define INSN(op, rd, ra, rb, imm)	NVSVM_ISA_ENCODE(NVSVM_ISA_##op, rd, ra, rb, imm)
#define RRR(op, rd, ra, rb)		INSN(op, rd, ra, rb, 0)
#define RRI(op, rd, ra, imm)		INSN(op, rd, ra, 0, imm)
#define ST(op, ra, imm, rb)		INSN(op, 0, ra, rb, imm)
#define BR(op, ra, imm)			INSN(op, 0, ra, 0, imm)
#define EXIT				INSN(EXIT, 0, 0, 0, 0)

static void put_code(struct isa_test *x, u64 va, const u64 *code, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		put_le(&x->fake.bytes[va - FAKE_BASE + 8 * i], 8, code[i]);
}

static u64 data_get(struct isa_test *x, unsigned int off, unsigned int size)
{
	return get_le(&x->fake.bytes[DATA_VA - FAKE_BASE + off], size);
}

static void data_put(struct isa_test *x, unsigned int off, unsigned int size, u64 val)
{
	put_le(&x->fake.bytes[DATA_VA - FAKE_BASE + off], size, val);
}

/* Run the warp @x->w as it stands. */
static enum nvsvm_sim_isa_status run_warp(struct isa_test *x, unsigned int budget)
{
	struct nvsvm_sim_isa_count count = { UINT_MAX, UINT_MAX };
	enum nvsvm_sim_isa_status st;

	x->error = U32_MAX;
	st = nvsvm_sim_isa_warp_run(&x->w, &x->launch, TEST_SMID, &x->fake.mem,
				    budget, &count, &x->error);
	x->executed = count.insns;
	x->lanes = count.lanes;
	return st;
}

/* Run @x->t as the only live lane of a warp. */
static enum nvsvm_sim_isa_status run(struct isa_test *x, unsigned int budget)
{
	unsigned int lane = x->t.tid % WARP, i;
	enum nvsvm_sim_isa_status st;

	nvsvm_sim_isa_warp_init(&x->w, &x->launch, x->t.tid - lane, x->t.ctaid,
				x->t.exited ? 0 : BIT(lane));
	x->w.pc = x->t.pc;
	for (i = 0; i < NVSVM_ISA_NUM_REGS; i++)
		x->w.regs[i][lane] = x->t.regs[i];
	st = run_warp(x, budget);
	for (i = 0; i < NVSVM_ISA_NUM_REGS; i++)
		x->t.regs[i] = x->w.regs[i][lane];
	if (x->t.exited)
		return st;
	x->t.exited = !(x->w.live & BIT(lane));
	x->t.pc = x->t.exited ? x->w.pc : nvsvm_sim_isa_lane_pc(&x->w, lane);
	/* One lane: every instruction the warp executed, the lane did. */
	KUNIT_EXPECT_EQ(x->fake.test, x->lanes, x->executed);
	return st;
}

/* Run to completion, expecting the thread to exit after @n instructions. */
static void run_to_exit(struct kunit *test, struct isa_test *x, unsigned int n)
{
	KUNIT_EXPECT_EQ(test, run(x, 10000), NVSVM_SIM_ISA_EXITED);
	KUNIT_EXPECT_EQ(test, x->executed, n);
	KUNIT_EXPECT_TRUE(test, x->t.exited);
	KUNIT_EXPECT_EQ(test, x->error, U32_MAX);
}

/* Give each register its own value, to tell which ones an instruction wrote. */
static void set_regs_pattern(struct isa_test *x)
{
	unsigned int i;

	for (i = 0; i < NVSVM_ISA_NUM_REGS; i++)
		x->t.regs[i] = 0x0101010101010101ULL * i ^ 0xa5a5a5a5a5a5a5a5ULL;
}

static void sim_isa_warp_init(struct kunit *test)
{
	struct isa_test *x = test->priv;
	struct nvsvm_sim_isa_warp *w = &x->w;
	unsigned int i, l;

	memset(w, 0xff, sizeof(*w));
	nvsvm_sim_isa_warp_init(w, &x->launch, 64, 2, GENMASK(19, 0));
	for (i = 0; i < NVSVM_ISA_NUM_REGS; i++)
		for (l = 0; l < WARP; l++)
			KUNIT_EXPECT_EQ(test, w->regs[i][l], 0);
	for (l = 0; l < 20; l++)
		KUNIT_EXPECT_EQ(test, nvsvm_sim_isa_lane_pc(w, l), CODE_VA);
	KUNIT_EXPECT_EQ(test, w->pc, CODE_VA);
	KUNIT_EXPECT_EQ(test, w->wait_pc, U64_MAX);
	KUNIT_EXPECT_EQ(test, w->live, GENMASK(19, 0));
	KUNIT_EXPECT_EQ(test, w->active, GENMASK(19, 0));
	KUNIT_EXPECT_EQ(test, w->tid, 64);
	KUNIT_EXPECT_EQ(test, w->ctaid, 2);
	KUNIT_EXPECT_EQ(test, w->nfaults, 0);
}

static void sim_isa_decode_fields(struct kunit *test)
{
	struct nvsvm_sim_isa_insn insn, poison;

	KUNIT_ASSERT_EQ(test, nvsvm_sim_isa_decode(RRI(ADDI, 3, 31, 0xfffffffe), &insn), 0);
	KUNIT_EXPECT_EQ(test, insn.op, NVSVM_ISA_ADDI);
	KUNIT_EXPECT_EQ(test, insn.rd, 3);
	KUNIT_EXPECT_EQ(test, insn.ra, 31);
	KUNIT_EXPECT_EQ(test, insn.rb, 0);
	KUNIT_EXPECT_EQ(test, insn.imm, 0xfffffffe);

	KUNIT_ASSERT_EQ(test, nvsvm_sim_isa_decode(ST(ST32, 30, 0x10, 29), &insn), 0);
	KUNIT_EXPECT_EQ(test, insn.op, NVSVM_ISA_ST32);
	KUNIT_EXPECT_EQ(test, insn.rd, 0);
	KUNIT_EXPECT_EQ(test, insn.ra, 30);
	KUNIT_EXPECT_EQ(test, insn.rb, 29);
	KUNIT_EXPECT_EQ(test, insn.imm, 0x10);

	/* An illegal word leaves the output alone. */
	memset(&insn, 0x5a, sizeof(insn));
	poison = insn;
	KUNIT_EXPECT_EQ(test, nvsvm_sim_isa_decode(RRR(ADD, 32, 0, 0), &insn), -EINVAL);
	KUNIT_EXPECT_MEMEQ(test, &insn, &poison, sizeof(insn));
}

/* The fields each operation uses, independently of the decoder's table. */
#define F_RD	BIT(0)
#define F_RA	BIT(1)
#define F_RB	BIT(2)
#define F_IMM	BIT(3)
#define F_SREG	BIT(4)
#define F_RRR	(F_RD | F_RA | F_RB)
#define F_RRI	(F_RD | F_RA | F_IMM)

struct op_case {
	const char *name;
	u8 op;
	u8 fields;
};

#define OP_CASE(op, fields)	{ #op, NVSVM_ISA_##op, fields }

static const struct op_case op_cases[] = {
	OP_CASE(NOP, 0), OP_CASE(EXIT, 0),
	OP_CASE(ADD, F_RRR), OP_CASE(SUB, F_RRR), OP_CASE(MUL, F_RRR),
	OP_CASE(DIVU, F_RRR), OP_CASE(REMU, F_RRR), OP_CASE(AND, F_RRR),
	OP_CASE(OR, F_RRR), OP_CASE(XOR, F_RRR), OP_CASE(SHL, F_RRR),
	OP_CASE(SHR, F_RRR), OP_CASE(SAR, F_RRR), OP_CASE(MIN, F_RRR),
	OP_CASE(MAX, F_RRR), OP_CASE(MINU, F_RRR), OP_CASE(MAXU, F_RRR),
	OP_CASE(SEQ, F_RRR), OP_CASE(SNE, F_RRR), OP_CASE(SLT, F_RRR),
	OP_CASE(SLTU, F_RRR),
	OP_CASE(ADDI, F_RRI), OP_CASE(MULI, F_RRI), OP_CASE(ANDI, F_RRI),
	OP_CASE(ORI, F_RRI), OP_CASE(XORI, F_RRI), OP_CASE(SHLI, F_RRI),
	OP_CASE(SHRI, F_RRI), OP_CASE(SARI, F_RRI),
	OP_CASE(MOVI, F_RD | F_IMM), OP_CASE(MOVHI, F_RD | F_IMM),
	OP_CASE(S2R, F_RD | F_SREG),
	OP_CASE(LD8, F_RRI), OP_CASE(LD16, F_RRI), OP_CASE(LD32, F_RRI),
	OP_CASE(LD64, F_RRI),
	OP_CASE(ST8, F_RA | F_RB | F_IMM), OP_CASE(ST16, F_RA | F_RB | F_IMM),
	OP_CASE(ST32, F_RA | F_RB | F_IMM), OP_CASE(ST64, F_RA | F_RB | F_IMM),
	OP_CASE(ATOMADD32, F_RRR), OP_CASE(ATOMEXCH32, F_RRR),
	OP_CASE(ATOMCAS32, F_RRR), OP_CASE(ATOMMIN32, F_RRR),
	OP_CASE(ATOMMAX32, F_RRR), OP_CASE(ATOMMINU32, F_RRR),
	OP_CASE(ATOMMAXU32, F_RRR),
	OP_CASE(ATOMADD64, F_RRR), OP_CASE(ATOMEXCH64, F_RRR),
	OP_CASE(ATOMCAS64, F_RRR), OP_CASE(ATOMMIN64, F_RRR),
	OP_CASE(ATOMMAX64, F_RRR), OP_CASE(ATOMMINU64, F_RRR),
	OP_CASE(ATOMMAXU64, F_RRR),
	OP_CASE(BRA, F_IMM), OP_CASE(BEQZ, F_RA | F_IMM), OP_CASE(BNEZ, F_RA | F_IMM),
};

KUNIT_ARRAY_PARAM_DESC(op_cases, op_cases, name);

static bool decodes(u64 word)
{
	struct nvsvm_sim_isa_insn insn;

	return !nvsvm_sim_isa_decode(word, &insn);
}

/* Check a register field at bit @shift of the encoding, used or not. */
static void check_reg_field(struct kunit *test, u8 op, unsigned int shift, bool used)
{
	static const u8 bad[] = { 32, 33, 0x80, 0xe0, 0xff };
	unsigned int i;

	KUNIT_EXPECT_EQ(test, decodes(op | 31ULL << shift), used);
	KUNIT_EXPECT_EQ(test, decodes(op | 1ULL << shift), used);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_FALSE_MSG(test, decodes(op | (u64)bad[i] << shift),
				       "field at bit %u = %u", shift, bad[i]);
}

static void sim_isa_decode_op(struct kunit *test)
{
	const struct op_case *c = test->param_value;
	struct nvsvm_sim_isa_insn insn;

	KUNIT_ASSERT_EQ(test, nvsvm_sim_isa_decode(c->op, &insn), 0);
	KUNIT_EXPECT_EQ(test, insn.op, c->op);

	check_reg_field(test, c->op, 8, c->fields & F_RD);
	check_reg_field(test, c->op, 16, c->fields & F_RA);
	check_reg_field(test, c->op, 24, c->fields & F_RB);

	if (c->fields & F_SREG) {
		KUNIT_EXPECT_TRUE(test, decodes(c->op | (u64)(NVSVM_ISA_SREG_COUNT - 1) << 32));
		KUNIT_EXPECT_FALSE(test, decodes(c->op | (u64)NVSVM_ISA_SREG_COUNT << 32));
		KUNIT_EXPECT_FALSE(test, decodes(c->op | 0xffffffffULL << 32));
	} else {
		bool used = c->fields & F_IMM;

		KUNIT_EXPECT_EQ(test, decodes(c->op | 1ULL << 32), used);
		KUNIT_EXPECT_EQ(test, decodes(c->op | 0x80000000ULL << 32), used);
		KUNIT_EXPECT_EQ(test, decodes(c->op | 0xffffffffULL << 32), used);
	}
}

static void sim_isa_decode_unknown_ops(struct kunit *test)
{
	unsigned int op, i;

	for (op = 0; op < 256; op++) {
		for (i = 0; i < ARRAY_SIZE(op_cases); i++)
			if (op_cases[i].op == op)
				break;
		if (i < ARRAY_SIZE(op_cases))
			continue;
		KUNIT_EXPECT_FALSE_MSG(test, decodes(op), "op %#x", op);
		KUNIT_EXPECT_FALSE_MSG(test, decodes(op | 0x0102030000000000ULL),
				       "op %#x", op);
	}
}

/*
 * Every operation the decoder accepts also executes: the decoder's table
 * and the interpreter's switch agree. Every register holds an aligned data
 * address, so that no access fails and no division is by zero.
 */
static void sim_isa_exec_op(struct kunit *test)
{
	const struct op_case *c = test->param_value;
	struct isa_test *x = test->priv;
	u64 code[] = {
		NVSVM_ISA_ENCODE(c->op, c->fields & F_RD ? 1 : 0,
				 c->fields & F_RA ? 2 : 0, c->fields & F_RB ? 3 : 0, 0),
		EXIT,
	};
	unsigned int i;

	put_code(x, CODE_VA, code, ARRAY_SIZE(code));
	for (i = 0; i < NVSVM_ISA_NUM_REGS; i++)
		x->t.regs[i] = DATA_VA + 64;
	run_to_exit(test, x, c->op == NVSVM_ISA_EXIT ? 1 : 2);
}

struct alu_case {
	const char *name;
	u64 insn;
	u64 a, b, res;
};

/* rd = r1 OP r2 into r3, or rd = r1 OP imm into r3. */
#define ALU_RR(op, a, b, res)	{ #op " " #a ", " #b, RRR(op, 3, 1, 2), a, b, res }
#define ALU_RI(op, a, imm, res)	{ #op " " #a ", " #imm, RRI(op, 3, 1, imm), a, 0, res }

static const struct alu_case alu_cases[] = {
	ALU_RR(ADD, 1, 2, 3),
	ALU_RR(ADD, U64_MAX, 2, 1),
	ALU_RR(SUB, 1, 2, U64_MAX),
	ALU_RR(SUB, 0x8000000000000000ULL, 1, 0x7fffffffffffffffULL),
	ALU_RR(MUL, 6, 7, 42),
	ALU_RR(MUL, 3, U64_MAX, -3ULL),
	ALU_RR(MUL, 0x100000001ULL, 0x100000000ULL, 0x100000000ULL),
	ALU_RR(DIVU, 100, 7, 14),
	ALU_RR(DIVU, U64_MAX, 2, 0x7fffffffffffffffULL),
	ALU_RR(DIVU, -6ULL, 3, 0x5555555555555553ULL),
	ALU_RR(DIVU, 5, U64_MAX, 0),
	ALU_RR(REMU, 100, 7, 2),
	ALU_RR(REMU, U64_MAX, 10, 5),
	ALU_RR(REMU, 5, U64_MAX, 5),
	ALU_RR(AND, 0xff00ff00ff00ff00ULL, 0x0ff00ff00ff00ff0ULL, 0x0f000f000f000f00ULL),
	ALU_RR(OR, 0xff00ff00ff00ff00ULL, 0x0ff00ff00ff00ff0ULL, 0xfff0fff0fff0fff0ULL),
	ALU_RR(XOR, 0xff00ff00ff00ff00ULL, 0x0ff00ff00ff00ff0ULL, 0xf0f0f0f0f0f0f0f0ULL),
	ALU_RR(SHL, 1, 0, 1),
	ALU_RR(SHL, 1, 63, 0x8000000000000000ULL),
	ALU_RR(SHL, 1, 64, 1),
	ALU_RR(SHL, 1, 65, 2),
	ALU_RR(SHL, 3, 127, 0x8000000000000000ULL),
	ALU_RR(SHL, 1, 0xffffffffffffffc1ULL, 2),
	ALU_RR(SHR, 0x8000000000000000ULL, 63, 1),
	ALU_RR(SHR, 0x8000000000000000ULL, 64, 0x8000000000000000ULL),
	ALU_RR(SHR, 0x8000000000000000ULL, 65, 0x4000000000000000ULL),
	ALU_RR(SHR, U64_MAX, 0x100000004ULL, 0x0fffffffffffffffULL),
	ALU_RR(SAR, 0x8000000000000000ULL, 63, U64_MAX),
	ALU_RR(SAR, 0x8000000000000000ULL, 4, 0xf800000000000000ULL),
	ALU_RR(SAR, 0x8000000000000000ULL, 64, 0x8000000000000000ULL),
	ALU_RR(SAR, 0x8000000000000000ULL, 68, 0xf800000000000000ULL),
	ALU_RR(SAR, 0x4000000000000000ULL, 62, 1),
	ALU_RR(MIN, -1ULL, 1, -1ULL),
	ALU_RR(MIN, 1, -1ULL, -1ULL),
	ALU_RR(MIN, 0x8000000000000000ULL, 0x7fffffffffffffffULL, 0x8000000000000000ULL),
	ALU_RR(MAX, -1ULL, 1, 1),
	ALU_RR(MAX, 0x8000000000000000ULL, 0x7fffffffffffffffULL, 0x7fffffffffffffffULL),
	ALU_RR(MINU, -1ULL, 1, 1),
	ALU_RR(MINU, 0x8000000000000000ULL, 0x7fffffffffffffffULL, 0x7fffffffffffffffULL),
	ALU_RR(MAXU, -1ULL, 1, -1ULL),
	ALU_RR(MAXU, 0x8000000000000000ULL, 0x7fffffffffffffffULL, 0x8000000000000000ULL),
	ALU_RR(SEQ, 5, 5, 1),
	ALU_RR(SEQ, 5, 0x100000005ULL, 0),
	ALU_RR(SNE, 5, 5, 0),
	ALU_RR(SNE, 5, 6, 1),
	ALU_RR(SLT, -1ULL, 1, 1),
	ALU_RR(SLT, 1, -1ULL, 0),
	ALU_RR(SLT, 4, 4, 0),
	ALU_RR(SLT, 0x8000000000000000ULL, 0x7fffffffffffffffULL, 1),
	ALU_RR(SLTU, -1ULL, 1, 0),
	ALU_RR(SLTU, 1, -1ULL, 1),
	ALU_RR(SLTU, 4, 4, 0),
	ALU_RI(ADDI, 10, 0xfffffffd, 7),
	ALU_RI(ADDI, 0, 0x7fffffff, 0x7fffffffULL),
	ALU_RI(ADDI, 0, 0x80000000, 0xffffffff80000000ULL),
	ALU_RI(ADDI, U64_MAX, 1, 0),
	ALU_RI(MULI, 7, 0xfffffffe, -14ULL),
	ALU_RI(MULI, 0x100000000ULL, 0x10, 0x1000000000ULL),
	ALU_RI(ANDI, 0x1234567890abcdefULL, 0xffffffff, 0x1234567890abcdefULL),
	ALU_RI(ANDI, 0x1234567890abcdefULL, 0x0000ffff, 0xcdef),
	ALU_RI(ANDI, 0x1234567890abcdefULL, 0x80000000, 0x1234567880000000ULL),
	ALU_RI(ORI, 0, 0x80000000, 0xffffffff80000000ULL),
	ALU_RI(ORI, 0x1200000000000000ULL, 0x34, 0x1200000000000034ULL),
	ALU_RI(XORI, 0x1234567890abcdefULL, 0xffffffff, 0xedcba9876f543210ULL),
	ALU_RI(XORI, 0xff, 0x0f, 0xf0),
	ALU_RI(SHLI, 1, 63, 0x8000000000000000ULL),
	ALU_RI(SHLI, 1, 64, 1),
	ALU_RI(SHLI, 1, 0xffffffff, 0x8000000000000000ULL),
	ALU_RI(SHRI, U64_MAX, 60, 0xf),
	ALU_RI(SHRI, U64_MAX, 0x40, U64_MAX),
	ALU_RI(SHRI, U64_MAX, 0x7c, 0xf),
	ALU_RI(SARI, 0x8000000000000000ULL, 3, 0xf000000000000000ULL),
	ALU_RI(SARI, 0x8000000000000000ULL, 0x43, 0xf000000000000000ULL),
	ALU_RI(SARI, 0x7000000000000000ULL, 0x7c, 7),
};

KUNIT_ARRAY_PARAM_DESC(alu_cases, alu_cases, name);

static void sim_isa_alu(struct kunit *test)
{
	const struct alu_case *c = test->param_value;
	struct isa_test *x = test->priv;
	u64 code[] = { c->insn, EXIT };

	put_code(x, CODE_VA, code, ARRAY_SIZE(code));
	set_regs_pattern(x);
	x->t.regs[1] = c->a;
	x->t.regs[2] = c->b;
	run_to_exit(test, x, 2);
	KUNIT_EXPECT_EQ(test, x->t.regs[3], c->res);
	KUNIT_EXPECT_EQ(test, x->t.regs[1], c->a);
	KUNIT_EXPECT_EQ(test, x->t.regs[2], c->b);
}

/* Destination and sources may be the same register; r0 is ordinary. */
static void sim_isa_alu_aliasing(struct kunit *test)
{
	struct isa_test *x = test->priv;
	static const u64 code[] = {
		RRI(MOVI, 0, 0, 5),
		RRR(ADD, 0, 0, 0),		/* r0 = 10 */
		RRR(MUL, 1, 0, 0),		/* r1 = 100 */
		RRR(SUB, 1, 1, 0),		/* r1 = 90 */
		RRI(ADDI, 1, 1, 0xfffffff6),	/* r1 = 80 */
		EXIT,
	};

	put_code(x, CODE_VA, code, ARRAY_SIZE(code));
	run_to_exit(test, x, 6);
	KUNIT_EXPECT_EQ(test, x->t.regs[0], 10);
	KUNIT_EXPECT_EQ(test, x->t.regs[1], 80);
}

static void sim_isa_movi_movhi(struct kunit *test)
{
	struct isa_test *x = test->priv;
	static const u64 code[] = {
		RRI(MOVI, 1, 0, 0x7fffffff),
		RRI(MOVI, 2, 0, 0x80000000),
		RRI(MOVI, 3, 0, 0xffffffff),
		RRI(MOVI, 4, 0, 0x9abcdef0),
		RRI(MOVHI, 4, 0, 0x12345678),
		RRI(MOVHI, 5, 0, 0),
		RRI(MOVHI, 6, 0, 0xffffffff),
		RRI(MOVI, 31, 0, 0),
		EXIT,
	};

	put_code(x, CODE_VA, code, ARRAY_SIZE(code));
	set_regs_pattern(x);
	x->t.regs[5] = 0xaaaaaaaabbbbbbbbULL;
	x->t.regs[6] = 0x0000000011111111ULL;
	run_to_exit(test, x, 9);
	KUNIT_EXPECT_EQ(test, x->t.regs[1], 0x7fffffffULL);
	KUNIT_EXPECT_EQ(test, x->t.regs[2], 0xffffffff80000000ULL);
	KUNIT_EXPECT_EQ(test, x->t.regs[3], U64_MAX);
	KUNIT_EXPECT_EQ(test, x->t.regs[4], 0x123456789abcdef0ULL);
	KUNIT_EXPECT_EQ(test, x->t.regs[5], 0xbbbbbbbbULL);
	KUNIT_EXPECT_EQ(test, x->t.regs[6], 0xffffffff11111111ULL);
	KUNIT_EXPECT_EQ(test, x->t.regs[31], 0);
}

static void check_sregs(struct kunit *test, struct isa_test *x, u32 tid, u32 ctaid,
			u64 lane, u64 gtid)
{
	static const u64 code[] = {
		RRI(S2R, 0, 0, NVSVM_ISA_SREG_TID),
		RRI(S2R, 1, 0, NVSVM_ISA_SREG_NTID),
		RRI(S2R, 2, 0, NVSVM_ISA_SREG_CTAID),
		RRI(S2R, 3, 0, NVSVM_ISA_SREG_NCTAID),
		RRI(S2R, 4, 0, NVSVM_ISA_SREG_LANEID),
		RRI(S2R, 5, 0, NVSVM_ISA_SREG_SMID),
		RRI(S2R, 6, 0, NVSVM_ISA_SREG_PARAM),
		RRI(S2R, 7, 0, NVSVM_ISA_SREG_GTID),
		EXIT,
	};

	put_code(x, CODE_VA, code, ARRAY_SIZE(code));
	thread_init(x, tid, ctaid);
	set_regs_pattern(x);
	run_to_exit(test, x, ARRAY_SIZE(code));
	KUNIT_EXPECT_EQ(test, x->t.regs[0], tid);
	KUNIT_EXPECT_EQ(test, x->t.regs[1], x->launch.ntid);
	KUNIT_EXPECT_EQ(test, x->t.regs[2], ctaid);
	KUNIT_EXPECT_EQ(test, x->t.regs[3], x->launch.nctaid);
	KUNIT_EXPECT_EQ(test, x->t.regs[4], lane);
	KUNIT_EXPECT_EQ(test, x->t.regs[5], TEST_SMID);
	KUNIT_EXPECT_EQ(test, x->t.regs[6], x->launch.param);
	KUNIT_EXPECT_EQ(test, x->t.regs[7], gtid);
}

static void sim_isa_s2r(struct kunit *test)
{
	struct isa_test *x = test->priv;

	/* 32 threads per warp: thread 13 is lane 13, thread 45 lane 13 too. */
	check_sregs(test, x, TEST_TID, TEST_CTAID, 13, TEST_CTAID * TEST_NTID + TEST_TID);
	check_sregs(test, x, 45, TEST_CTAID, 13, TEST_CTAID * TEST_NTID + 45);
	check_sregs(test, x, 0, 0, 0, 0);

	/* The global thread index does not wrap at 32 bits. */
	x->launch.ntid = 0x10000;
	x->launch.nctaid = 0x30000;
	x->launch.param = 0xfedcba9876543210ULL;
	check_sregs(test, x, 0xffff, 0x2ffff, 31, 0x2ffffffffULL);
}

static void sim_isa_load_widths(struct kunit *test)
{
	struct isa_test *x = test->priv;
	static const u64 code[] = {
		RRI(LD8, 2, 1, 7),
		RRI(LD16, 3, 1, 6),
		RRI(LD32, 4, 1, 4),
		RRI(LD64, 5, 1, 0),
		RRI(LD64, 7, 6, 0xfffffff0),	/* r6 - 16 */
		RRI(LD32, 8, 9, 3),		/* misaligned base, aligned sum */
		RRI(LD8, 10, 1, 0xffffffff),	/* the 0xff before */
		EXIT,
	};
	unsigned int i;

	put_code(x, CODE_VA, code, ARRAY_SIZE(code));
	memset(&x->fake.bytes[DATA_VA - FAKE_BASE], 0xff, 64);
	data_put(x, 8, 8, 0x8877665544332211ULL);
	for (i = 0; i < NVSVM_ISA_NUM_REGS; i++)
		x->t.regs[i] = U64_MAX;
	x->t.regs[1] = DATA_VA + 8;
	x->t.regs[6] = DATA_VA + 24;
	x->t.regs[9] = DATA_VA + 9;
	run_to_exit(test, x, ARRAY_SIZE(code));
	KUNIT_EXPECT_EQ(test, x->fake.loads, 7);
	KUNIT_EXPECT_EQ(test, x->t.regs[2], 0x88);
	KUNIT_EXPECT_EQ(test, x->t.regs[3], 0x8877);
	KUNIT_EXPECT_EQ(test, x->t.regs[4], 0x88776655);
	KUNIT_EXPECT_EQ(test, x->t.regs[5], 0x8877665544332211ULL);
	KUNIT_EXPECT_EQ(test, x->t.regs[7], 0x8877665544332211ULL);
	KUNIT_EXPECT_EQ(test, x->t.regs[8], 0x88776655);
	KUNIT_EXPECT_EQ(test, x->t.regs[10], 0xff);
}

static void sim_isa_store_widths(struct kunit *test)
{
	struct isa_test *x = test->priv;
	static const u64 code[] = {
		ST(ST8, 1, 1, 2),
		ST(ST16, 1, 18, 2),
		ST(ST32, 1, 36, 2),
		ST(ST64, 1, 56, 2),
		ST(ST32, 3, 0xffffffc4, 2),	/* r3 - 60: offset 68 */
		EXIT,
	};
	u8 *data = &x->fake.bytes[DATA_VA - FAKE_BASE];
	u8 expect[128];

	put_code(x, CODE_VA, code, ARRAY_SIZE(code));
	memset(data, 0xaa, FAKE_PAGE);
	memset(expect, 0xaa, sizeof(expect));
	put_le(&expect[1], 1, 0x1122334455667788ULL);
	put_le(&expect[18], 2, 0x1122334455667788ULL);
	put_le(&expect[36], 4, 0x1122334455667788ULL);
	put_le(&expect[56], 8, 0x1122334455667788ULL);
	put_le(&expect[68], 4, 0x1122334455667788ULL);
	x->t.regs[1] = DATA_VA;
	x->t.regs[2] = 0x1122334455667788ULL;
	x->t.regs[3] = DATA_VA + 128;
	run_to_exit(test, x, ARRAY_SIZE(code));
	KUNIT_EXPECT_EQ(test, x->fake.stores, 5);
	KUNIT_EXPECT_MEMEQ(test, data, expect, sizeof(expect));
	KUNIT_EXPECT_NULL(test, memchr_inv(data + sizeof(expect), 0xaa,
					   FAKE_PAGE - sizeof(expect)));
	KUNIT_EXPECT_EQ(test, x->t.regs[2], 0x1122334455667788ULL);
}

struct atom_case {
	const char *name;
	u8 op;
	u64 mem, operand, rd, old, res;
};

/*
 * An atomic on the word at DATA_VA + 16 holding @mem, with rb = @operand
 * and rd = @rd: rd ends up @old and the 8 bytes at DATA_VA + 16 @res (the
 * upper half of which a 32-bit atomic must not touch).
 */
#define ATOM(op, mem, operand, rd, old, res) \
	{ #op " " #mem ", " #operand ", " #rd, NVSVM_ISA_##op, mem, operand, rd, old, res }

static const struct atom_case atom_cases[] = {
	ATOM(ATOMADD32, 0xcafe0000fffffffeULL, 0x100000003ULL, 0, 0xfffffffe,
	     0xcafe000000000001ULL),
	ATOM(ATOMEXCH32, 0xcafe000012345678ULL, 0xffffffff87654321ULL, 0, 0x12345678,
	     0xcafe000087654321ULL),
	ATOM(ATOMCAS32, 0xcafe000000000005ULL, 9, 5, 5, 0xcafe000000000009ULL),
	ATOM(ATOMCAS32, 0xcafe000000000005ULL, 9, 0xffffffff00000005ULL, 5,
	     0xcafe000000000009ULL),
	ATOM(ATOMCAS32, 0xcafe000000000005ULL, 9, 6, 5, 0xcafe000000000005ULL),
	ATOM(ATOMCAS32, 0xcafe0000ffffffffULL, 9, U64_MAX, 0xffffffff,
	     0xcafe000000000009ULL),
	ATOM(ATOMMIN32, 0xcafe000000000001ULL, 0xffffffff, 0, 1, 0xcafe0000ffffffffULL),
	ATOM(ATOMMIN32, 0xcafe0000ffffffffULL, 1, 0, 0xffffffff, 0xcafe0000ffffffffULL),
	ATOM(ATOMMAX32, 0xcafe0000ffffffffULL, 1, 0, 0xffffffff, 0xcafe000000000001ULL),
	ATOM(ATOMMAX32, 0xcafe000000000001ULL, 0x80000000, 0, 1, 0xcafe000000000001ULL),
	ATOM(ATOMMINU32, 0xcafe0000ffffffffULL, 1, 0, 0xffffffff, 0xcafe000000000001ULL),
	ATOM(ATOMMINU32, 0xcafe000000000001ULL, 0x1ffffffffULL, 0, 1, 0xcafe000000000001ULL),
	ATOM(ATOMMAXU32, 0xcafe000000000001ULL, 0xffffffff, 0, 1, 0xcafe0000ffffffffULL),
	ATOM(ATOMMAXU32, 0xcafe000080000000ULL, 1, 0, 0x80000000, 0xcafe000080000000ULL),
	ATOM(ATOMADD64, U64_MAX, 2, 0, U64_MAX, 1),
	ATOM(ATOMADD64, 0xffffffffULL, 1, 0, 0xffffffffULL, 0x100000000ULL),
	ATOM(ATOMEXCH64, 0x1122334455667788ULL, 0x8877665544332211ULL, 0,
	     0x1122334455667788ULL, 0x8877665544332211ULL),
	ATOM(ATOMCAS64, 0x8000000000000000ULL, 7, 0x8000000000000000ULL,
	     0x8000000000000000ULL, 7),
	ATOM(ATOMCAS64, 0x8000000000000000ULL, 7, 0x8000000100000000ULL,
	     0x8000000000000000ULL, 0x8000000000000000ULL),
	ATOM(ATOMMIN64, 1, U64_MAX, 0, 1, U64_MAX),
	ATOM(ATOMMIN64, 0x8000000000000000ULL, 0x7fffffffffffffffULL, 0,
	     0x8000000000000000ULL, 0x8000000000000000ULL),
	ATOM(ATOMMAX64, U64_MAX, 1, 0, U64_MAX, 1),
	ATOM(ATOMMAX64, 0x7fffffffffffffffULL, 0x8000000000000000ULL, 0,
	     0x7fffffffffffffffULL, 0x7fffffffffffffffULL),
	ATOM(ATOMMINU64, U64_MAX, 1, 0, U64_MAX, 1),
	ATOM(ATOMMINU64, 1, 0x8000000000000000ULL, 0, 1, 1),
	ATOM(ATOMMAXU64, 1, U64_MAX, 0, 1, U64_MAX),
	ATOM(ATOMMAXU64, U64_MAX, 1, 0, U64_MAX, U64_MAX),
};

KUNIT_ARRAY_PARAM_DESC(atom_cases, atom_cases, name);

static void sim_isa_atomic(struct kunit *test)
{
	const struct atom_case *c = test->param_value;
	struct isa_test *x = test->priv;
	bool is32 = !(c->op & 8);
	u64 code[] = { NVSVM_ISA_ENCODE(c->op, 3, 1, 2, 0), EXIT };

	put_code(x, CODE_VA, code, ARRAY_SIZE(code));
	data_put(x, 16, 8, c->mem);
	data_put(x, 8, 8, 0x0123456789abcdefULL);
	data_put(x, 24, 8, 0xfedcba9876543210ULL);
	x->t.regs[1] = DATA_VA + 16;
	x->t.regs[2] = c->operand;
	x->t.regs[3] = c->rd;
	run_to_exit(test, x, 2);
	KUNIT_EXPECT_EQ(test, x->fake.atomics, 1);
	KUNIT_EXPECT_EQ(test, x->fake.atom_op, c->op);
	KUNIT_EXPECT_EQ(test, x->fake.atom_size, is32 ? 4 : 8);
	KUNIT_EXPECT_EQ(test, x->fake.atom_operand, is32 ? (u32)c->operand : c->operand);
	KUNIT_EXPECT_EQ(test, x->fake.atom_compare, is32 ? (u32)c->rd : c->rd);
	KUNIT_EXPECT_EQ(test, x->t.regs[3], c->old);
	KUNIT_EXPECT_EQ(test, data_get(x, 16, 8), c->res);
	KUNIT_EXPECT_EQ(test, data_get(x, 8, 8), 0x0123456789abcdefULL);
	KUNIT_EXPECT_EQ(test, data_get(x, 24, 8), 0xfedcba9876543210ULL);
	KUNIT_EXPECT_EQ(test, x->t.regs[1], DATA_VA + 16);
	KUNIT_EXPECT_EQ(test, x->t.regs[2], c->operand);
}

static void sim_isa_branches(struct kunit *test)
{
	struct isa_test *x = test->priv;
	static const u64 code[] = {
		RRI(MOVI, 1, 0, 1),		/*  0 */
		BR(BRA, 0, 1),			/*  1: to 3 */
		RRI(MOVI, 1, 0, 100),		/*  2 */
		BR(BEQZ, 1, 1),			/*  3: not taken */
		RRI(ADDI, 1, 1, 10),		/*  4 */
		BR(BNEZ, 1, 1),			/*  5: to 7 */
		RRI(MOVI, 1, 0, 100),		/*  6 */
		BR(BEQZ, 2, 1),			/*  7: to 9 */
		RRI(MOVI, 1, 0, 100),		/*  8 */
		BR(BNEZ, 2, 0x7fffffff),	/*  9: not taken */
		BR(BRA, 0, 0),			/* 10: to 11 */
		EXIT,				/* 11 */
	};

	put_code(x, CODE_VA, code, ARRAY_SIZE(code));
	run_to_exit(test, x, 9);
	KUNIT_EXPECT_EQ(test, x->t.regs[1], 11);
	KUNIT_EXPECT_EQ(test, x->t.pc, CODE_VA + 12 * 8);
}

/* Sum 10 down to 1 with a backward branch: 2 + 10 * 3 + 1 instructions. */
static const u64 loop_code[] = {
	RRI(MOVI, 1, 0, 10),		/* 0 */
	RRI(MOVI, 2, 0, 0),		/* 1 */
	RRR(ADD, 2, 2, 1),		/* 2 */
	RRI(ADDI, 1, 1, 0xffffffff),	/* 3 */
	BR(BNEZ, 1, 0xfffffffd),	/* 4: to 2 */
	EXIT,				/* 5 */
};

static void sim_isa_loop(struct kunit *test)
{
	struct isa_test *x = test->priv;

	put_code(x, CODE_VA, loop_code, ARRAY_SIZE(loop_code));
	run_to_exit(test, x, 33);
	KUNIT_EXPECT_EQ(test, x->t.regs[2], 55);
	KUNIT_EXPECT_EQ(test, x->fake.fetches, 33);
}

static void sim_isa_branch_targets(struct kunit *test)
{
	struct isa_test *x = test->priv;
	static const u64 self[] = { BR(BRA, 0, 0xffffffff) };
	static const u64 far[] = { BR(BRA, 0, 0x80000000) };

	/* A branch to itself spins until the budget is used up. */
	put_code(x, CODE_VA, self, ARRAY_SIZE(self));
	KUNIT_EXPECT_EQ(test, run(x, 100), NVSVM_SIM_ISA_BUDGET);
	KUNIT_EXPECT_EQ(test, x->executed, 100);
	KUNIT_EXPECT_EQ(test, x->t.pc, CODE_VA);

	/* The farthest branch back lands unmapped: the fetch there faults. */
	put_code(x, CODE_VA, far, ARRAY_SIZE(far));
	KUNIT_EXPECT_EQ(test, run(x, 100), NVSVM_SIM_ISA_FAULTED);
	KUNIT_EXPECT_EQ(test, x->executed, 1);
	KUNIT_EXPECT_EQ(test, x->t.pc, CODE_VA + 8 - 0x400000000ULL);
}

static void sim_isa_exit(struct kunit *test)
{
	struct isa_test *x = test->priv;
	static const u64 code[] = {
		RRI(MOVI, 1, 0, 7),
		EXIT,
		RRI(MOVI, 1, 0, 8),
	};
	unsigned int fetches;

	put_code(x, CODE_VA, code, ARRAY_SIZE(code));
	run_to_exit(test, x, 2);
	KUNIT_EXPECT_EQ(test, x->t.regs[1], 7);
	KUNIT_EXPECT_EQ(test, x->t.pc, CODE_VA + 16);

	/* An exited thread stays exited and executes nothing. */
	fetches = x->fake.fetches;
	KUNIT_EXPECT_EQ(test, run(x, 100), NVSVM_SIM_ISA_EXITED);
	KUNIT_EXPECT_EQ(test, x->executed, 0);
	KUNIT_EXPECT_EQ(test, x->fake.fetches, fetches);
	KUNIT_EXPECT_EQ(test, x->t.regs[1], 7);

	/* EXIT as the last instruction of the budget still exits. */
	thread_init(x, 0, 0);
	KUNIT_EXPECT_EQ(test, run(x, 2), NVSVM_SIM_ISA_EXITED);
	KUNIT_EXPECT_EQ(test, x->executed, 2);
}

static void sim_isa_budget(struct kunit *test)
{
	struct isa_test *x = test->priv;
	unsigned int total = 0, calls = 0;
	enum nvsvm_sim_isa_status status;

	put_code(x, CODE_VA, loop_code, ARRAY_SIZE(loop_code));

	KUNIT_EXPECT_EQ(test, run(x, 0), NVSVM_SIM_ISA_BUDGET);
	KUNIT_EXPECT_EQ(test, x->executed, 0);
	KUNIT_EXPECT_EQ(test, x->fake.fetches, 0);
	KUNIT_EXPECT_EQ(test, x->t.pc, CODE_VA);

	/* Instructions 0-4, the branch back taken. */
	KUNIT_EXPECT_EQ(test, run(x, 5), NVSVM_SIM_ISA_BUDGET);
	KUNIT_EXPECT_EQ(test, x->executed, 5);
	KUNIT_EXPECT_EQ(test, x->t.pc, CODE_VA + 2 * 8);
	KUNIT_EXPECT_EQ(test, x->t.regs[1], 9);
	KUNIT_EXPECT_EQ(test, x->t.regs[2], 10);
	KUNIT_EXPECT_FALSE(test, x->t.exited);
	total = 5;

	do {
		status = run(x, 4);
		total += x->executed;
		if (status == NVSVM_SIM_ISA_BUDGET)
			KUNIT_EXPECT_EQ(test, x->executed, 4);
	} while (status == NVSVM_SIM_ISA_BUDGET && ++calls < 100);
	KUNIT_EXPECT_EQ(test, status, NVSVM_SIM_ISA_EXITED);
	KUNIT_EXPECT_EQ(test, total, 33);
	KUNIT_EXPECT_EQ(test, x->t.regs[2], 55);
	KUNIT_EXPECT_EQ(test, x->fake.fetches, 33);
}

/* Memory reads as zeros, which are NOPs, up to the end of the mapping. */
static void sim_isa_run_off_end(struct kunit *test)
{
	struct isa_test *x = test->priv;

	KUNIT_EXPECT_EQ(test, run(x, 100000), NVSVM_SIM_ISA_FAULTED);
	KUNIT_EXPECT_EQ(test, x->executed, FAKE_SIZE / 8);
	KUNIT_EXPECT_EQ(test, x->t.pc, FAKE_BASE + FAKE_SIZE);
	KUNIT_EXPECT_FALSE(test, x->t.exited);
}

/*
 * Run a NOP then @insn from the registers the caller set, expecting @insn
 * to fail with @error: the thread stops on it, its registers untouched,
 * before any access.
 */
static void check_error(struct kunit *test, u64 insn, u32 error)
{
	struct isa_test *x = test->priv;
	u64 code[] = { INSN(NOP, 0, 0, 0, 0), insn, EXIT };
	u64 regs[NVSVM_ISA_NUM_REGS];

	put_code(x, CODE_VA, code, ARRAY_SIZE(code));
	x->t.pc = CODE_VA;
	memcpy(regs, x->t.regs, sizeof(regs));
	KUNIT_EXPECT_EQ(test, run(x, 100), NVSVM_SIM_ISA_ERROR);
	KUNIT_EXPECT_EQ(test, x->error, error);
	KUNIT_EXPECT_EQ(test, x->executed, 1);
	KUNIT_EXPECT_EQ(test, x->t.pc, CODE_VA + 8);
	KUNIT_EXPECT_FALSE(test, x->t.exited);
	KUNIT_EXPECT_MEMEQ(test, x->t.regs, regs, sizeof(regs));
	KUNIT_EXPECT_EQ(test, x->fake.loads + x->fake.stores + x->fake.atomics, 0);

	/* Running again fails again, at the same place. */
	KUNIT_EXPECT_EQ(test, run(x, 100), NVSVM_SIM_ISA_ERROR);
	KUNIT_EXPECT_EQ(test, x->error, error);
	KUNIT_EXPECT_EQ(test, x->executed, 0);
	KUNIT_EXPECT_EQ(test, x->t.pc, CODE_VA + 8);
	KUNIT_EXPECT_MEMEQ(test, x->t.regs, regs, sizeof(regs));
}

struct word_case {
	const char *name;
	u64 insn;
};

static const struct word_case illegal_cases[] = {
	{ "unknown op 0x02", 0x02 },
	{ "unknown op 0x1f", 0x1f },
	{ "unknown op 0x24", 0x24 },
	{ "unknown op 0x43", 0x43 },
	{ "unknown op 0x67", 0x67 },
	{ "unknown op 0x73", 0x73 },
	{ "unknown op 0xff", 0xff },
	{ "unknown op 0x80 with fields", NVSVM_ISA_ENCODE(0x80, 1, 2, 3, 4) },
	{ "rd 32", RRR(ADD, 32, 1, 2) },
	{ "ra 32", RRR(ADD, 3, 32, 2) },
	{ "rb 32", RRR(ADD, 3, 1, 32) },
	{ "rd 255", RRR(SUB, 255, 1, 2) },
	{ "ra 255", RRI(LD64, 3, 255, 0) },
	{ "rb 255", ST(ST64, 1, 0, 255) },
	{ "rd 64 on MOVI", RRI(MOVI, 64, 0, 1) },
	{ "NOP with imm", INSN(NOP, 0, 0, 0, 1) },
	{ "NOP with rd", INSN(NOP, 1, 0, 0, 0) },
	{ "EXIT with ra", INSN(EXIT, 0, 1, 0, 0) },
	{ "ADD with imm", INSN(ADD, 3, 1, 2, 1) },
	{ "DIVU with imm", INSN(DIVU, 3, 1, 2, 0x80000000) },
	{ "ADDI with rb", INSN(ADDI, 3, 1, 2, 1) },
	{ "MOVI with rb", INSN(MOVI, 3, 0, 2, 1) },
	{ "MOVI with ra", INSN(MOVI, 3, 1, 0, 1) },
	{ "MOVHI with ra", INSN(MOVHI, 3, 1, 0, 1) },
	{ "S2R with ra", INSN(S2R, 3, 1, 0, 0) },
	{ "LD32 with rb", INSN(LD32, 3, 1, 2, 0) },
	{ "ST32 with rd", INSN(ST32, 3, 1, 2, 0) },
	{ "BRA with ra", INSN(BRA, 0, 1, 0, 1) },
	{ "BEQZ with rd", INSN(BEQZ, 1, 1, 0, 1) },
	{ "BNEZ with rb", INSN(BNEZ, 0, 1, 1, 1) },
	{ "ATOMADD32 with imm", INSN(ATOMADD32, 3, 1, 2, 1) },
	{ "ATOMCAS32 with imm", INSN(ATOMCAS32, 3, 1, 2, 0xffffffff) },
	{ "ATOMCAS64 with imm", INSN(ATOMCAS64, 3, 1, 2, 8) },
	{ "ATOMMAXU64 with imm", INSN(ATOMMAXU64, 3, 1, 2, 0x80000000) },
	{ "S2R sreg count", RRI(S2R, 3, 0, NVSVM_ISA_SREG_COUNT) },
	{ "S2R sreg 0x108", RRI(S2R, 3, 0, 0x108) },
	{ "S2R sreg 0xffffffff", RRI(S2R, 3, 0, 0xffffffff) },
};

KUNIT_ARRAY_PARAM_DESC(illegal_cases, illegal_cases, name);

static void sim_isa_illegal(struct kunit *test)
{
	const struct word_case *c = test->param_value;

	set_regs_pattern(test->priv);
	check_error(test, c->insn, NVSVM_CHAN_ERROR_ILLEGAL_INSTRUCTION);
}

/* r1 is DATA_VA + 1, r2 DATA_VA + 2 and so on up to r8. */
static const struct word_case misaligned_cases[] = {
	{ "LD16 +1", RRI(LD16, 3, 1, 0) },
	{ "LD16 +3", RRI(LD16, 9, 2, 1) },
	{ "LD32 +2", RRI(LD32, 3, 2, 0) },
	{ "LD32 +1", RRI(LD32, 3, 4, 0xfffffffd) },
	{ "LD64 +4", RRI(LD64, 3, 4, 0) },
	{ "LD64 +7", RRI(LD64, 3, 8, 0xffffffff) },
	{ "ST16 +1", ST(ST16, 1, 0, 3) },
	{ "ST32 +6", ST(ST32, 2, 4, 3) },
	{ "ST64 +12", ST(ST64, 4, 8, 3) },
	{ "ST64 +2", ST(ST64, 1, 1, 3) },
	{ "ATOMADD32 +2", RRR(ATOMADD32, 3, 2, 3) },
	{ "ATOMCAS32 +1", RRR(ATOMCAS32, 3, 1, 3) },
	{ "ATOMEXCH64 +4", RRR(ATOMEXCH64, 3, 4, 3) },
	{ "ATOMCAS64 +6", RRR(ATOMCAS64, 3, 6, 3) },
	{ "ATOMMINU64 +1", RRR(ATOMMINU64, 3, 1, 3) },
};

KUNIT_ARRAY_PARAM_DESC(misaligned_cases, misaligned_cases, name);

static void sim_isa_misaligned(struct kunit *test)
{
	const struct word_case *c = test->param_value;
	struct isa_test *x = test->priv;
	unsigned int i;

	set_regs_pattern(x);
	for (i = 1; i <= 8; i++)
		x->t.regs[i] = DATA_VA + i;
	check_error(test, c->insn, NVSVM_CHAN_ERROR_MISALIGNED);
}

static void sim_isa_misaligned_pc(struct kunit *test)
{
	struct isa_test *x = test->priv;

	x->t.pc = CODE_VA + 4;
	KUNIT_EXPECT_EQ(test, run(x, 100), NVSVM_SIM_ISA_ERROR);
	KUNIT_EXPECT_EQ(test, x->error, NVSVM_CHAN_ERROR_MISALIGNED);
	KUNIT_EXPECT_EQ(test, x->executed, 0);
	KUNIT_EXPECT_EQ(test, x->t.pc, CODE_VA + 4);
	KUNIT_EXPECT_EQ(test, x->fake.fetches, 0);
}

static void sim_isa_divide_by_zero(struct kunit *test)
{
	struct isa_test *x = test->priv;

	set_regs_pattern(x);
	x->t.regs[2] = 0;
	check_error(test, RRR(DIVU, 3, 1, 2), NVSVM_CHAN_ERROR_ARITHMETIC);
	check_error(test, RRR(REMU, 3, 1, 2), NVSVM_CHAN_ERROR_ARITHMETIC);
	check_error(test, RRR(DIVU, 2, 2, 2), NVSVM_CHAN_ERROR_ARITHMETIC);
	check_error(test, RRR(REMU, 0, 2, 2), NVSVM_CHAN_ERROR_ARITHMETIC);
}

/*
 * Run the loaded code for @before instructions, then make @page fault: the
 * next instruction faults and leaves the thread as it was, however often
 * it is retried, until the fault is cleared; then the thread runs to its
 * exit, @after more instructions.
 */
static void check_fault_replay(struct kunit *test, unsigned int before, u64 page,
			       unsigned int after)
{
	struct isa_test *x = test->priv;
	u64 regs[NVSVM_ISA_NUM_REGS];
	unsigned int faults, i;
	u64 pc;

	if (before) {
		KUNIT_ASSERT_EQ(test, run(x, before), NVSVM_SIM_ISA_BUDGET);
		KUNIT_ASSERT_EQ(test, x->executed, before);
	}
	memcpy(regs, x->t.regs, sizeof(regs));
	pc = x->t.pc;

	x->fake.fault_page = page;
	for (i = 0; i < 2; i++) {
		faults = x->fake.faults;
		KUNIT_EXPECT_EQ(test, run(x, 100), NVSVM_SIM_ISA_FAULTED);
		KUNIT_EXPECT_EQ(test, x->executed, 0);
		KUNIT_EXPECT_EQ(test, x->fake.faults, faults + 1);
		KUNIT_EXPECT_EQ(test, x->t.pc, pc);
		KUNIT_EXPECT_FALSE(test, x->t.exited);
		KUNIT_EXPECT_MEMEQ(test, x->t.regs, regs, sizeof(regs));
	}

	x->fake.fault_page = NO_FAULT;
	run_to_exit(test, x, after);
}

/* Code running from the end of one page into the next, which faults. */
static void sim_isa_fault_fetch(struct kunit *test)
{
	struct isa_test *x = test->priv;
	static const u64 code[] = {
		RRI(MOVI, 1, 0, 5),
		RRI(ADDI, 1, 1, 1),
		RRI(ADDI, 1, 1, 10),	/* first of the next page */
		EXIT,
	};
	u64 entry = CODE_VA + FAKE_PAGE - 16;

	put_code(x, entry, code, ARRAY_SIZE(code));
	x->t.pc = entry;
	check_fault_replay(test, 2, CODE_VA + FAKE_PAGE, 2);
	KUNIT_EXPECT_EQ(test, x->t.regs[1], 16);
	KUNIT_EXPECT_EQ(test, x->fake.loads + x->fake.stores + x->fake.atomics, 0);
}

static void sim_isa_fault_load(struct kunit *test)
{
	struct isa_test *x = test->priv;
	static const u64 code[] = {
		RRI(MOVI, 2, 0, 1),
		RRI(LD64, 1, 1, 8),	/* rd is also the base */
		RRI(ADDI, 1, 1, 1),
		EXIT,
	};

	put_code(x, CODE_VA, code, ARRAY_SIZE(code));
	data_put(x, 8, 8, 41);
	x->t.regs[1] = DATA_VA;
	check_fault_replay(test, 1, DATA_VA, 3);
	KUNIT_EXPECT_EQ(test, x->t.regs[1], 42);
	KUNIT_EXPECT_EQ(test, x->fake.loads, 3);
}

static void sim_isa_fault_store(struct kunit *test)
{
	struct isa_test *x = test->priv;
	static const u64 code[] = {
		RRI(MOVI, 2, 0, 42),
		ST(ST32, 1, 16, 2),
		RRI(LD64, 3, 1, 16),
		EXIT,
	};

	put_code(x, CODE_VA, code, ARRAY_SIZE(code));
	data_put(x, 16, 8, 0xffffffff00000007ULL);
	x->t.regs[1] = DATA_VA;
	check_fault_replay(test, 1, DATA_VA, 3);
	KUNIT_EXPECT_EQ(test, x->t.regs[3], 0xffffffff0000002aULL);
	KUNIT_EXPECT_EQ(test, x->fake.stores, 3);
}

static void sim_isa_fault_atomic(struct kunit *test)
{
	struct isa_test *x = test->priv;
	static const u64 code[] = {
		RRI(MOVI, 3, 0, 5),
		RRR(ATOMCAS64, 3, 1, 2),
		EXIT,
	};

	put_code(x, CODE_VA, code, ARRAY_SIZE(code));
	data_put(x, 0, 8, 5);
	x->t.regs[1] = DATA_VA;
	x->t.regs[2] = 9;
	check_fault_replay(test, 1, DATA_VA, 2);
	KUNIT_EXPECT_EQ(test, x->t.regs[3], 5);
	KUNIT_EXPECT_EQ(test, data_get(x, 0, 8), 9);
	KUNIT_EXPECT_EQ(test, x->fake.atomics, 3);
}

/* Start a warp of the lanes in @lanes, lane 0 being thread 0 of block 0. */
static void warp_start(struct isa_test *x, u32 lanes)
{
	nvsvm_sim_isa_warp_init(&x->w, &x->launch, 0, 0, lanes);
}

/* Set register @reg of every lane to @base + lane * @stride. */
static void warp_set(struct isa_test *x, unsigned int reg, u64 base, u64 stride)
{
	unsigned int l;

	for (l = 0; l < WARP; l++)
		x->w.regs[reg][l] = base + l * stride;
}

/* A converged warp: every instruction fetched once, run for every lane. */
static void sim_isa_warp_converged(struct kunit *test)
{
	struct isa_test *x = test->priv;
	static const u64 code[] = {
		RRI(S2R, 1, 0, NVSVM_ISA_SREG_TID),
		RRI(S2R, 2, 0, NVSVM_ISA_SREG_LANEID),
		RRI(S2R, 3, 0, NVSVM_ISA_SREG_GTID),
		RRI(MULI, 4, 1, 3),
		RRR(ADD, 4, 4, 2),
		EXIT,
	};
	unsigned int l;

	put_code(x, CODE_VA, code, ARRAY_SIZE(code));
	nvsvm_sim_isa_warp_init(&x->w, &x->launch, 32, 2, ALL_LANES);
	KUNIT_EXPECT_EQ(test, run_warp(x, 1000), NVSVM_SIM_ISA_EXITED);
	KUNIT_EXPECT_EQ(test, x->executed, ARRAY_SIZE(code));
	KUNIT_EXPECT_EQ(test, x->lanes, ARRAY_SIZE(code) * WARP);
	KUNIT_EXPECT_EQ(test, x->fake.fetches, ARRAY_SIZE(code));
	KUNIT_EXPECT_EQ(test, x->w.live, 0);
	for (l = 0; l < WARP; l++) {
		KUNIT_EXPECT_EQ(test, x->w.regs[1][l], 32 + l);
		KUNIT_EXPECT_EQ(test, x->w.regs[2][l], l);
		KUNIT_EXPECT_EQ(test, x->w.regs[3][l], 2 * TEST_NTID + 32 + l);
		KUNIT_EXPECT_EQ(test, x->w.regs[4][l], 3 * (32 + l) + l);
	}
}

/* if/else on the lane's parity, then a join both halves run together. */
static const u64 if_else_code[] = {
	RRI(S2R, 1, 0, NVSVM_ISA_SREG_LANEID),	/* 0 */
	RRI(ANDI, 2, 1, 1),			/* 1 */
	BR(BEQZ, 2, 3),				/* 2: even lanes to 6 */
	RRI(MOVI, 3, 0, 100),			/* 3: odd lanes */
	RRI(ADDI, 3, 3, 1),			/* 4 */
	BR(BRA, 0, 2),				/* 5: to the join */
	RRI(MOVI, 3, 0, 200),			/* 6: even lanes */
	RRI(ADDI, 3, 3, 2),			/* 7 */
	RRR(ADD, 4, 3, 1),			/* 8: the join */
	EXIT,					/* 9 */
};

struct if_else_case {
	const char *name;
	u32 lanes;
	unsigned int insns, lane_insns;
};

static const struct if_else_case if_else_cases[] = {
	/* 0-2 and the join for all, 3-5 for 16 lanes, 6-7 for 16. */
	{ "all lanes", ALL_LANES, 10, 5 * 32 + 3 * 16 + 2 * 16 },
	/* A partial warp: lanes 0-4, three of them even. */
	{ "lanes 0-4", GENMASK(4, 0), 10, 5 * 5 + 3 * 2 + 2 * 3 },
	/* Only odd lanes: no divergence, the else part never runs. */
	{ "odd lanes", 0xaaaaaaaa, 8, 8 * 16 },
	{ "one even lane", BIT(30), 7, 7 },
};

KUNIT_ARRAY_PARAM_DESC(if_else_cases, if_else_cases, name);

static void sim_isa_warp_if_else(struct kunit *test)
{
	const struct if_else_case *c = test->param_value;
	struct isa_test *x = test->priv;
	unsigned int l;

	put_code(x, CODE_VA, if_else_code, ARRAY_SIZE(if_else_code));
	warp_start(x, c->lanes);
	KUNIT_EXPECT_EQ(test, run_warp(x, 1000), NVSVM_SIM_ISA_EXITED);
	/* The join ran once for the warp: the halves reconverged. */
	KUNIT_EXPECT_EQ(test, x->executed, c->insns);
	KUNIT_EXPECT_EQ(test, x->lanes, c->lane_insns);
	KUNIT_EXPECT_EQ(test, x->fake.fetches, c->insns);
	for (l = 0; l < WARP; l++) {
		u64 r3 = (l & 1) ? 101 : 202;

		if (!(c->lanes & BIT(l))) {
			KUNIT_EXPECT_EQ(test, x->w.regs[3][l], 0);
			continue;
		}
		KUNIT_EXPECT_EQ_MSG(test, x->w.regs[3][l], r3, "lane %u", l);
		KUNIT_EXPECT_EQ_MSG(test, x->w.regs[4][l], r3 + l, "lane %u", l);
	}
}

/* Each lane loops lane + 1 times; the code after the loop runs once. */
static void sim_isa_warp_loop(struct kunit *test)
{
	struct isa_test *x = test->priv;
	static const u64 code[] = {
		RRI(S2R, 1, 0, NVSVM_ISA_SREG_LANEID),	/* 0 */
		RRI(ADDI, 2, 1, 1),			/* 1: lane + 1 times */
		RRI(MOVI, 3, 0, 0),			/* 2 */
		RRR(ADD, 3, 3, 2),			/* 3: the loop */
		RRI(ADDI, 2, 2, -1),			/* 4 */
		BR(BNEZ, 2, -3),			/* 5: to 3 */
		RRI(MULI, 4, 3, 2),			/* 6: after it */
		EXIT,					/* 7 */
	};
	unsigned int l;

	put_code(x, CODE_VA, code, ARRAY_SIZE(code));
	warp_start(x, ALL_LANES);
	KUNIT_EXPECT_EQ(test, run_warp(x, 1000), NVSVM_SIM_ISA_EXITED);
	/* 32 trips for the warp, however many each lane makes. */
	KUNIT_EXPECT_EQ(test, x->executed, 3 + 32 * 3 + 2);
	KUNIT_EXPECT_EQ(test, x->lanes, 3 * 32 + 3 * (32 * 33 / 2) + 2 * 32);
	for (l = 0; l < WARP; l++) {
		KUNIT_EXPECT_EQ_MSG(test, x->w.regs[3][l], (l + 1) * (l + 2) / 2, "lane %u", l);
		KUNIT_EXPECT_EQ_MSG(test, x->w.regs[4][l], (l + 1) * (l + 2), "lane %u", l);
	}
}

/* An if/else inside a loop reconverges on every trip. */
static void sim_isa_warp_nested(struct kunit *test)
{
	struct isa_test *x = test->priv;
	static const u64 code[] = {
		RRI(S2R, 1, 0, NVSVM_ISA_SREG_LANEID),	/*  0 */
		RRI(MOVI, 2, 0, 4),			/*  1: four trips */
		RRI(MOVI, 3, 0, 0),			/*  2 */
		RRI(ANDI, 4, 1, 1),			/*  3: the loop */
		BR(BEQZ, 4, 2),				/*  4: even lanes to 7 */
		RRI(ADDI, 3, 3, 10),			/*  5 */
		BR(BRA, 0, 1),				/*  6: to 8 */
		RRI(ADDI, 3, 3, 1),			/*  7 */
		RRI(ADDI, 2, 2, -1),			/*  8: the join */
		BR(BNEZ, 2, -7),			/*  9: to 3 */
		EXIT,					/* 10 */
	};
	unsigned int l;

	put_code(x, CODE_VA, code, ARRAY_SIZE(code));
	warp_start(x, ALL_LANES);
	KUNIT_EXPECT_EQ(test, run_warp(x, 1000), NVSVM_SIM_ISA_EXITED);
	KUNIT_EXPECT_EQ(test, x->executed, 3 + 4 * 7 + 1);
	KUNIT_EXPECT_EQ(test, x->lanes, 3 * 32 + 4 * (4 * 32 + 2 * 16 + 16) + 32);
	for (l = 0; l < WARP; l++)
		KUNIT_EXPECT_EQ_MSG(test, x->w.regs[3][l], (l & 1) ? 40 : 4, "lane %u", l);
}

/* Lanes that exit early leave the others to run on, converged. */
static void sim_isa_warp_early_exit(struct kunit *test)
{
	struct isa_test *x = test->priv;
	static const u64 code[] = {
		RRI(S2R, 1, 0, NVSVM_ISA_SREG_LANEID),	/* 0 */
		RRI(MOVI, 5, 0, 8),			/* 1 */
		RRR(SLTU, 2, 1, 5),			/* 2: lane < 8 */
		BR(BEQZ, 2, 1),				/* 3: lanes 8-31 to 5 */
		EXIT,					/* 4: lanes 0-7 */
		RRI(ADDI, 3, 1, 1000),			/* 5 */
		EXIT,					/* 6 */
	};
	unsigned int l;

	put_code(x, CODE_VA, code, ARRAY_SIZE(code));
	warp_start(x, ALL_LANES);
	KUNIT_EXPECT_EQ(test, run_warp(x, 5), NVSVM_SIM_ISA_BUDGET);
	KUNIT_EXPECT_EQ(test, x->executed, 5);
	KUNIT_EXPECT_EQ(test, x->w.live, GENMASK(31, 8));
	KUNIT_EXPECT_EQ(test, x->w.active, GENMASK(31, 8));
	KUNIT_EXPECT_EQ(test, x->w.pc, CODE_VA + 5 * 8);
	KUNIT_EXPECT_EQ(test, x->w.wait_pc, U64_MAX);

	KUNIT_EXPECT_EQ(test, run_warp(x, 1000), NVSVM_SIM_ISA_EXITED);
	KUNIT_EXPECT_EQ(test, x->executed, 2);
	KUNIT_EXPECT_EQ(test, x->lanes, 2 * 24);
	for (l = 0; l < WARP; l++)
		KUNIT_EXPECT_EQ_MSG(test, x->w.regs[3][l], l < 8 ? 0 : l + 1000, "lane %u", l);
}

/*
 * Every lane sets its bit in one word with a compare-and-swap loop: the
 * lanes' atomics run in lane order, one succeeds per trip, and the lanes
 * that fail go round again first.
 */
static void sim_isa_warp_cas_loop(struct kunit *test)
{
	struct isa_test *x = test->priv;
	static const u64 code[] = {
		RRI(S2R, 1, 0, NVSVM_ISA_SREG_LANEID),	/*  0 */
		RRI(MOVI, 2, 0, 1),			/*  1 */
		RRR(SHL, 2, 2, 1),			/*  2: my bit */
		RRI(LD64, 3, 7, 0),			/*  3: what we expect */
		RRR(OR, 4, 3, 2),			/*  4: retry */
		RRI(ADDI, 5, 3, 0),			/*  5 */
		RRR(ATOMCAS64, 5, 7, 4),		/*  6 */
		RRR(SNE, 6, 5, 3),			/*  7 */
		RRI(ADDI, 3, 5, 0),			/*  8 */
		BR(BNEZ, 6, -6),			/*  9: to 4 */
		EXIT,					/* 10 */
	};
	unsigned int l;

	put_code(x, CODE_VA, code, ARRAY_SIZE(code));
	warp_start(x, ALL_LANES);
	warp_set(x, 7, DATA_VA, 0);
	KUNIT_EXPECT_EQ(test, run_warp(x, 1000), NVSVM_SIM_ISA_EXITED);
	KUNIT_EXPECT_EQ(test, data_get(x, 0, 8), 0xffffffffULL);
	KUNIT_EXPECT_EQ(test, x->executed, 4 + 32 * 6 + 1);
	KUNIT_EXPECT_EQ(test, x->fake.atomics, 32 * 33 / 2);
	for (l = 0; l < WARP; l++)
		KUNIT_EXPECT_EQ(test, x->fake.atom_order[l], l);
}

/*
 * Even lanes load from a page that is there, odd ones from one that
 * faults: the even lanes complete the load, the odd ones stall on it, and
 * once the fault is gone they alone run it again, then the warp goes on
 * converged.
 */
static void sim_isa_warp_fault_some_lanes(struct kunit *test)
{
	struct isa_test *x = test->priv;
	static const u64 code[] = {
		RRI(LD64, 1, 7, 0),
		RRI(ADDI, 1, 1, 1),
		ST(ST64, 7, 0, 1),
		EXIT,
	};
	unsigned int l;

	put_code(x, CODE_VA, code, ARRAY_SIZE(code));
	warp_start(x, ALL_LANES);
	for (l = 0; l < WARP; l++) {
		u64 va = ((l & 1) ? PARAM_VA : DATA_VA) + 8 * l;

		x->w.regs[7][l] = va;
		x->w.regs[1][l] = 0xdead;
		put_le(&x->fake.bytes[va - FAKE_BASE], 8, 10 * l);
	}
	x->fake.fault_pages = BIT(3);		/* PARAM_VA's */

	KUNIT_EXPECT_EQ(test, run_warp(x, 1000), NVSVM_SIM_ISA_FAULTED);
	KUNIT_EXPECT_EQ(test, x->executed, 1);
	KUNIT_EXPECT_EQ(test, x->lanes, 16);
	KUNIT_EXPECT_EQ(test, x->fake.loads, 32);
	KUNIT_ASSERT_EQ(test, x->w.nfaults, 1);
	KUNIT_EXPECT_EQ(test, x->w.faults[0].va, PARAM_VA + 8);
	KUNIT_EXPECT_EQ(test, x->w.faults[0].access, NVSVM_ACCESS_READ);
	KUNIT_EXPECT_EQ(test, x->w.faults[0].why, NVSVM_FAULT_TYPE_INVALID_PTE);
	KUNIT_EXPECT_EQ(test, x->w.active, 0xaaaaaaaa);
	KUNIT_EXPECT_EQ(test, x->w.pc, CODE_VA);
	KUNIT_EXPECT_EQ(test, x->w.wait_pc, CODE_VA + 8);
	for (l = 0; l < WARP; l++) {
		KUNIT_EXPECT_EQ(test, nvsvm_sim_isa_lane_pc(&x->w, l),
				(l & 1) ? CODE_VA : CODE_VA + 8);
		KUNIT_EXPECT_EQ(test, x->w.regs[1][l], (l & 1) ? 0xdead : 10 * l);
	}

	/* Still there: the same lanes fault again, and nothing else runs. */
	KUNIT_EXPECT_EQ(test, run_warp(x, 1000), NVSVM_SIM_ISA_FAULTED);
	KUNIT_EXPECT_EQ(test, x->executed, 0);
	KUNIT_EXPECT_EQ(test, x->fake.loads, 48);
	KUNIT_EXPECT_EQ(test, x->w.nfaults, 1);

	/* Serviced: the odd lanes load, then all 32 go on together. */
	x->fake.fault_pages = 0;
	KUNIT_EXPECT_EQ(test, run_warp(x, 1000), NVSVM_SIM_ISA_EXITED);
	KUNIT_EXPECT_EQ(test, x->executed, 1 + 3);
	KUNIT_EXPECT_EQ(test, x->lanes, 16 + 3 * 32);
	KUNIT_EXPECT_EQ(test, x->fake.loads, 64);
	KUNIT_EXPECT_EQ(test, x->fake.stores, 32);
	for (l = 0; l < WARP; l++) {
		u64 va = ((l & 1) ? PARAM_VA : DATA_VA) + 8 * l;

		KUNIT_EXPECT_EQ_MSG(test, get_le(&x->fake.bytes[va - FAKE_BASE], 8),
				    10 * l + 1, "lane %u", l);
	}
}

/* 32 lanes storing to 8 pages that fault: one entry per page, first lane's VA. */
static void sim_isa_warp_fault_pages(struct kunit *test)
{
	struct isa_test *x = test->priv;
	static const u64 code[] = { ST(ST64, 7, 0, 1), EXIT };
	const u64 bad = 0x100000000ULL;
	unsigned int l, i;

	put_code(x, CODE_VA, code, ARRAY_SIZE(code));
	warp_start(x, ALL_LANES);
	for (l = 0; l < WARP; l++)
		x->w.regs[7][l] = bad + (l / 4) * FAKE_PAGE + (l % 4) * 8;

	for (i = 0; i < 2; i++) {
		KUNIT_EXPECT_EQ(test, run_warp(x, 1000), NVSVM_SIM_ISA_FAULTED);
		KUNIT_EXPECT_EQ(test, x->executed, 0);
		KUNIT_EXPECT_EQ(test, x->lanes, 0);
		KUNIT_EXPECT_EQ(test, x->w.active, ALL_LANES);
		KUNIT_EXPECT_EQ(test, x->w.pc, CODE_VA);
		KUNIT_ASSERT_EQ(test, x->w.nfaults, 8);
		for (l = 0; l < 8; l++) {
			KUNIT_EXPECT_EQ(test, x->w.faults[l].va, bad + l * FAKE_PAGE);
			KUNIT_EXPECT_EQ(test, x->w.faults[l].access, NVSVM_ACCESS_WRITE);
			KUNIT_EXPECT_EQ(test, x->w.faults[l].why, NVSVM_FAULT_TYPE_INVALID_PTE);
		}
	}
	KUNIT_EXPECT_EQ(test, x->fake.stores, 64);
	KUNIT_EXPECT_EQ(test, x->fake.faults, 64);
}

/* A fetch that faults is one access of the warp; RETRY is told apart. */
static void sim_isa_warp_fault_fetch_retry(struct kunit *test)
{
	struct isa_test *x = test->priv;
	static const u64 code[] = { ST(ST32, 7, 0, 1), EXIT };
	unsigned int l;

	put_code(x, CODE_VA, code, ARRAY_SIZE(code));
	warp_start(x, ALL_LANES);
	x->fake.fault_page = CODE_VA;
	KUNIT_EXPECT_EQ(test, run_warp(x, 1000), NVSVM_SIM_ISA_FAULTED);
	KUNIT_EXPECT_EQ(test, x->fake.fetches, 1);
	KUNIT_ASSERT_EQ(test, x->w.nfaults, 1);
	KUNIT_EXPECT_EQ(test, x->w.faults[0].va, CODE_VA);
	KUNIT_EXPECT_EQ(test, x->w.faults[0].access, NVSVM_ACCESS_READ);
	KUNIT_EXPECT_EQ(test, x->w.active, ALL_LANES);
	x->fake.fault_page = NO_FAULT;

	/* Lanes 0-15 store to a page that wants a retry, 16-31 to one that is there. */
	for (l = 0; l < WARP; l++)
		x->w.regs[7][l] = (l < 16 ? DATA_VA : PARAM_VA) + 4 * l;
	x->fake.retry_page = DATA_VA;
	KUNIT_EXPECT_EQ(test, run_warp(x, 1000), NVSVM_SIM_ISA_FAULTED);
	KUNIT_ASSERT_EQ(test, x->w.nfaults, 1);
	KUNIT_EXPECT_EQ(test, x->w.faults[0].va, DATA_VA);
	KUNIT_EXPECT_EQ(test, x->w.faults[0].access, NVSVM_ACCESS_WRITE);
	KUNIT_EXPECT_EQ(test, x->w.faults[0].why, NVSVM_SIM_ISA_RETRY);
	KUNIT_EXPECT_EQ(test, x->w.active, GENMASK(15, 0));
	KUNIT_EXPECT_EQ(test, x->fake.faults, 1);
	x->fake.retry_page = NO_FAULT;
	KUNIT_EXPECT_EQ(test, run_warp(x, 1000), NVSVM_SIM_ISA_EXITED);
	KUNIT_EXPECT_EQ(test, x->executed, 2);
	KUNIT_EXPECT_EQ(test, x->fake.stores, 48);
}

/* One lane dividing by zero fails the instruction for all: none runs it. */
static void sim_isa_warp_error_one_lane(struct kunit *test)
{
	struct isa_test *x = test->priv;
	static const u64 divide[] = { INSN(NOP, 0, 0, 0, 0), RRR(DIVU, 3, 1, 2), EXIT };
	static const u64 load[] = { INSN(NOP, 0, 0, 0, 0), RRI(LD64, 3, 7, 0), EXIT };
	unsigned int l;

	put_code(x, CODE_VA, divide, ARRAY_SIZE(divide));
	warp_start(x, ALL_LANES);
	warp_set(x, 1, 100, 1);
	warp_set(x, 2, 1, 0);
	warp_set(x, 3, 7, 0);
	x->w.regs[2][5] = 0;
	KUNIT_EXPECT_EQ(test, run_warp(x, 1000), NVSVM_SIM_ISA_ERROR);
	KUNIT_EXPECT_EQ(test, x->error, NVSVM_CHAN_ERROR_ARITHMETIC);
	KUNIT_EXPECT_EQ(test, x->executed, 1);
	KUNIT_EXPECT_EQ(test, x->w.pc, CODE_VA + 8);
	KUNIT_EXPECT_EQ(test, x->w.active, ALL_LANES);
	for (l = 0; l < WARP; l++)
		KUNIT_EXPECT_EQ(test, x->w.regs[3][l], 7);

	/* One misaligned lane: no lane loads. */
	put_code(x, CODE_VA, load, ARRAY_SIZE(load));
	warp_start(x, ALL_LANES);
	warp_set(x, 7, DATA_VA, 8);
	x->w.regs[7][17] += 4;
	KUNIT_EXPECT_EQ(test, run_warp(x, 1000), NVSVM_SIM_ISA_ERROR);
	KUNIT_EXPECT_EQ(test, x->error, NVSVM_CHAN_ERROR_MISALIGNED);
	KUNIT_EXPECT_EQ(test, x->w.pc, CODE_VA + 8);
	KUNIT_EXPECT_EQ(test, x->fake.loads, 0);

	/* A lane that does not run the instruction cannot fail it. */
	put_code(x, CODE_VA, divide, ARRAY_SIZE(divide));
	warp_start(x, ALL_LANES & ~BIT(5));
	warp_set(x, 1, 100, 1);
	warp_set(x, 2, 1, 0);
	x->w.regs[2][5] = 0;
	KUNIT_EXPECT_EQ(test, run_warp(x, 1000), NVSVM_SIM_ISA_EXITED);
	KUNIT_EXPECT_EQ(test, x->w.regs[3][4], 104);
}

/* The memory layer's yield flag stops the warp at the next instruction. */
static void sim_isa_warp_yield(struct kunit *test)
{
	struct isa_test *x = test->priv;

	put_code(x, CODE_VA, loop_code, ARRAY_SIZE(loop_code));
	warp_start(x, ALL_LANES);
	x->fake.yield_after = 3;
	KUNIT_EXPECT_EQ(test, run_warp(x, 1000), NVSVM_SIM_ISA_BUDGET);
	KUNIT_EXPECT_EQ(test, x->executed, 3);
	KUNIT_EXPECT_EQ(test, run_warp(x, 1000), NVSVM_SIM_ISA_BUDGET);
	KUNIT_EXPECT_EQ(test, x->executed, 0);
	atomic_set(&x->fake.yield, 0);
	KUNIT_EXPECT_EQ(test, run_warp(x, 1000), NVSVM_SIM_ISA_EXITED);
	KUNIT_EXPECT_EQ(test, x->executed, 33 - 3);
	KUNIT_EXPECT_EQ(test, x->w.regs[2][9], 55);
}

/* With the page handed over, a page of code costs one fetch per call. */
static void sim_isa_warp_code_page(struct kunit *test)
{
	struct isa_test *x = test->priv;
	static const u64 cross[] = {
		RRI(MOVI, 1, 0, 5),
		RRI(ADDI, 1, 1, 1),
		RRI(ADDI, 1, 1, 10),	/* first of the next page */
		EXIT,
	};

	x->fake.cache_code = true;
	put_code(x, CODE_VA, loop_code, ARRAY_SIZE(loop_code));
	warp_start(x, ALL_LANES);
	KUNIT_EXPECT_EQ(test, run_warp(x, 10), NVSVM_SIM_ISA_BUDGET);
	KUNIT_EXPECT_EQ(test, x->fake.fetches, 1);
	/* Not across calls: the memory layer may have let the page go. */
	KUNIT_EXPECT_EQ(test, run_warp(x, 1000), NVSVM_SIM_ISA_EXITED);
	KUNIT_EXPECT_EQ(test, x->fake.fetches, 2);
	KUNIT_EXPECT_EQ(test, x->w.regs[2][0], 55);

	put_code(x, CODE_VA + FAKE_PAGE - 16, cross, ARRAY_SIZE(cross));
	x->launch.entry = CODE_VA + FAKE_PAGE - 16;
	warp_start(x, ALL_LANES);
	KUNIT_EXPECT_EQ(test, run_warp(x, 1000), NVSVM_SIM_ISA_EXITED);
	KUNIT_EXPECT_EQ(test, x->fake.fetches, 4);
	KUNIT_EXPECT_EQ(test, x->w.regs[1][31], 16);
}

static struct kunit_case sim_isa_cases[] = {
	KUNIT_CASE(sim_isa_warp_init),
	KUNIT_CASE(sim_isa_decode_fields),
	KUNIT_CASE_PARAM(sim_isa_decode_op, op_cases_gen_params),
	KUNIT_CASE(sim_isa_decode_unknown_ops),
	KUNIT_CASE_PARAM(sim_isa_exec_op, op_cases_gen_params),
	KUNIT_CASE_PARAM(sim_isa_alu, alu_cases_gen_params),
	KUNIT_CASE(sim_isa_alu_aliasing),
	KUNIT_CASE(sim_isa_movi_movhi),
	KUNIT_CASE(sim_isa_s2r),
	KUNIT_CASE(sim_isa_load_widths),
	KUNIT_CASE(sim_isa_store_widths),
	KUNIT_CASE_PARAM(sim_isa_atomic, atom_cases_gen_params),
	KUNIT_CASE(sim_isa_branches),
	KUNIT_CASE(sim_isa_loop),
	KUNIT_CASE(sim_isa_branch_targets),
	KUNIT_CASE(sim_isa_exit),
	KUNIT_CASE(sim_isa_budget),
	KUNIT_CASE(sim_isa_run_off_end),
	KUNIT_CASE_PARAM(sim_isa_illegal, illegal_cases_gen_params),
	KUNIT_CASE_PARAM(sim_isa_misaligned, misaligned_cases_gen_params),
	KUNIT_CASE(sim_isa_misaligned_pc),
	KUNIT_CASE(sim_isa_divide_by_zero),
	KUNIT_CASE(sim_isa_fault_fetch),
	KUNIT_CASE(sim_isa_fault_load),
	KUNIT_CASE(sim_isa_fault_store),
	KUNIT_CASE(sim_isa_fault_atomic),
	KUNIT_CASE(sim_isa_warp_converged),
	KUNIT_CASE_PARAM(sim_isa_warp_if_else, if_else_cases_gen_params),
	KUNIT_CASE(sim_isa_warp_loop),
	KUNIT_CASE(sim_isa_warp_nested),
	KUNIT_CASE(sim_isa_warp_early_exit),
	KUNIT_CASE(sim_isa_warp_cas_loop),
	KUNIT_CASE(sim_isa_warp_fault_some_lanes),
	KUNIT_CASE(sim_isa_warp_fault_pages),
	KUNIT_CASE(sim_isa_warp_fault_fetch_retry),
	KUNIT_CASE(sim_isa_warp_error_one_lane),
	KUNIT_CASE(sim_isa_warp_yield),
	KUNIT_CASE(sim_isa_warp_code_page),
	{}
};

static struct kunit_suite sim_isa_suite = {
	.name = "nvsvm_sim_isa",
	.init = isa_test_init,
	.test_cases = sim_isa_cases,
};

kunit_test_suite(sim_isa_suite);
