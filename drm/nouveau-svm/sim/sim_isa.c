// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

/**
 * DOC: Instruction interpreter
 *
 * The SMs execute the ISA of nvsvm_isa.h one thread at a time:
 * nvsvm_sim_isa_run() fetches, decodes, checks and executes a thread's
 * instructions until the thread exits, an access faults, an instruction
 * fails, or the budget it was given is used up. The SM owns the threads
 * and schedules them; the interpreter sees one thread's state, its
 * launch's constants, and the &struct nvsvm_sim_isa_mem through which every
 * fetch, load, store and atomic goes (and is translated, checked, and
 * faulted).
 *
 * Decoding: kernels are untrusted, so every word is checked before it is
 * executed. A table indexed by op holds, for each operation, the bits of
 * an instruction word it may set: its op, the low five bits of each
 * register field it uses, and the immediate bits it uses. A word is legal
 * if and only if it sets no other bit, which rejects an unknown op, a
 * register above 31 and a non-zero unused field with a single AND. That
 * table is the only place that says which fields an operation uses; the
 * execution switch handles exactly the operations it lists (the KUnit
 * suite checks that they agree).
 *
 * Faults: an instruction writes its destination and moves the pc only once
 * its memory operation has succeeded, and a faulting memory operation has
 * no effect, so a faulting instruction leaves the thread exactly as it was
 * before it. Running the thread again after the fault has been handled
 * replays the instruction.
 *
 * Errors (an illegal instruction, a misaligned access, a division by zero)
 * are fatal to the launch. The thread stops with its pc on the failing
 * instruction and its registers untouched, and the caller gets the
 * channel error code to report.
 *
 * Cost: the interpreter runs in an SM's kernel thread and neither sleeps,
 * allocates nor takes a lock; the budget bounds how long one call runs.
 * Each instruction costs one indirect call to fetch it, a table lookup and
 * a switch, and one more indirect call if it accesses memory.
 */

#include <linux/bits.h>
#include <linux/bug.h>
#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/math64.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "../nvsvm_regs.h"
#include "sim_isa.h"

#define NVSVM_SIM_ISA_INSN_SIZE	8
#define NVSVM_SIM_ISA_REG_MASK	(NVSVM_ISA_NUM_REGS - 1)
#define NVSVM_SIM_ISA_SHIFT	63	/* shift counts use the low 6 bits */

/* The bits of an instruction word that a field, when used, may set. */
#define LEGAL_RD	((u64)NVSVM_SIM_ISA_REG_MASK << 8)
#define LEGAL_RA	((u64)NVSVM_SIM_ISA_REG_MASK << 16)
#define LEGAL_RB	((u64)NVSVM_SIM_ISA_REG_MASK << 24)
#define LEGAL_IMM	GENMASK_ULL(63, 32)
#define LEGAL_SREG	((u64)(NVSVM_ISA_SREG_COUNT - 1) << 32)

#define LEGAL_RRR	(LEGAL_RD | LEGAL_RA | LEGAL_RB)
#define LEGAL_RRI	(LEGAL_RD | LEGAL_RA | LEGAL_IMM)
#define LEGAL_STORE	(LEGAL_RA | LEGAL_RB | LEGAL_IMM)

/* Register and special-register ranges are checked by masking. */
static_assert(NVSVM_ISA_NUM_REGS <= 256 &&
	      !(NVSVM_ISA_NUM_REGS & (NVSVM_ISA_NUM_REGS - 1)));
static_assert(!(NVSVM_ISA_SREG_COUNT & (NVSVM_ISA_SREG_COUNT - 1)));

#define LEGAL(name, fields) \
	[NVSVM_ISA_##name] = NVSVM_ISA_##name | (fields)

/*
 * The bits each operation may set, by op; zero for an unknown op, whose
 * own op bits then make it illegal. NOP, op 0 with no fields, is the one
 * word 0.
 */
static const u64 nvsvm_sim_isa_legal[256] = {
	LEGAL(NOP, 0),
	LEGAL(EXIT, 0),

	LEGAL(ADD, LEGAL_RRR),
	LEGAL(SUB, LEGAL_RRR),
	LEGAL(MUL, LEGAL_RRR),
	LEGAL(DIVU, LEGAL_RRR),
	LEGAL(REMU, LEGAL_RRR),
	LEGAL(AND, LEGAL_RRR),
	LEGAL(OR, LEGAL_RRR),
	LEGAL(XOR, LEGAL_RRR),
	LEGAL(SHL, LEGAL_RRR),
	LEGAL(SHR, LEGAL_RRR),
	LEGAL(SAR, LEGAL_RRR),
	LEGAL(MIN, LEGAL_RRR),
	LEGAL(MAX, LEGAL_RRR),
	LEGAL(MINU, LEGAL_RRR),
	LEGAL(MAXU, LEGAL_RRR),
	LEGAL(SEQ, LEGAL_RRR),
	LEGAL(SNE, LEGAL_RRR),
	LEGAL(SLT, LEGAL_RRR),
	LEGAL(SLTU, LEGAL_RRR),

	LEGAL(ADDI, LEGAL_RRI),
	LEGAL(MULI, LEGAL_RRI),
	LEGAL(ANDI, LEGAL_RRI),
	LEGAL(ORI, LEGAL_RRI),
	LEGAL(XORI, LEGAL_RRI),
	LEGAL(SHLI, LEGAL_RRI),
	LEGAL(SHRI, LEGAL_RRI),
	LEGAL(SARI, LEGAL_RRI),

	LEGAL(MOVI, LEGAL_RD | LEGAL_IMM),
	LEGAL(MOVHI, LEGAL_RD | LEGAL_IMM),
	LEGAL(S2R, LEGAL_RD | LEGAL_SREG),

	LEGAL(LD8, LEGAL_RRI),
	LEGAL(LD16, LEGAL_RRI),
	LEGAL(LD32, LEGAL_RRI),
	LEGAL(LD64, LEGAL_RRI),
	LEGAL(ST8, LEGAL_STORE),
	LEGAL(ST16, LEGAL_STORE),
	LEGAL(ST32, LEGAL_STORE),
	LEGAL(ST64, LEGAL_STORE),

	LEGAL(ATOMADD32, LEGAL_RRR),
	LEGAL(ATOMEXCH32, LEGAL_RRR),
	LEGAL(ATOMCAS32, LEGAL_RRR),
	LEGAL(ATOMMIN32, LEGAL_RRR),
	LEGAL(ATOMMAX32, LEGAL_RRR),
	LEGAL(ATOMMINU32, LEGAL_RRR),
	LEGAL(ATOMMAXU32, LEGAL_RRR),
	LEGAL(ATOMADD64, LEGAL_RRR),
	LEGAL(ATOMEXCH64, LEGAL_RRR),
	LEGAL(ATOMCAS64, LEGAL_RRR),
	LEGAL(ATOMMIN64, LEGAL_RRR),
	LEGAL(ATOMMAX64, LEGAL_RRR),
	LEGAL(ATOMMINU64, LEGAL_RRR),
	LEGAL(ATOMMAXU64, LEGAL_RRR),

	LEGAL(BRA, LEGAL_IMM),
	LEGAL(BEQZ, LEGAL_RA | LEGAL_IMM),
	LEGAL(BNEZ, LEGAL_RA | LEGAL_IMM),
};

/* Access sizes follow from the encodings of the memory operations. */
#define NVSVM_SIM_ISA_LDST_SIZE(op)	(1U << ((op) & 3))
#define NVSVM_SIM_ISA_ATOM_SIZE(op)	((op) & 8 ? 8U : 4U)

static_assert(NVSVM_SIM_ISA_LDST_SIZE(NVSVM_ISA_LD8) == 1 &&
	      NVSVM_SIM_ISA_LDST_SIZE(NVSVM_ISA_LD16) == 2 &&
	      NVSVM_SIM_ISA_LDST_SIZE(NVSVM_ISA_LD32) == 4 &&
	      NVSVM_SIM_ISA_LDST_SIZE(NVSVM_ISA_LD64) == 8);
static_assert(NVSVM_SIM_ISA_LDST_SIZE(NVSVM_ISA_ST8) == 1 &&
	      NVSVM_SIM_ISA_LDST_SIZE(NVSVM_ISA_ST16) == 2 &&
	      NVSVM_SIM_ISA_LDST_SIZE(NVSVM_ISA_ST32) == 4 &&
	      NVSVM_SIM_ISA_LDST_SIZE(NVSVM_ISA_ST64) == 8);
static_assert(NVSVM_SIM_ISA_ATOM_SIZE(NVSVM_ISA_ATOMADD32) == 4 &&
	      NVSVM_SIM_ISA_ATOM_SIZE(NVSVM_ISA_ATOMMAXU32) == 4 &&
	      NVSVM_SIM_ISA_ATOM_SIZE(NVSVM_ISA_ATOMADD64) == 8 &&
	      NVSVM_SIM_ISA_ATOM_SIZE(NVSVM_ISA_ATOMMAXU64) == 8);

/*
 * Decode and check one instruction word. Register indices are masked as
 * well as checked, so that even a mispredicted check cannot index past the
 * register file.
 */
static __always_inline bool
nvsvm_sim_isa_decode_word(u64 word, struct nvsvm_sim_isa_insn *insn)
{
	if (word & ~nvsvm_sim_isa_legal[NVSVM_ISA_OP(word)])
		return false;

	insn->op = NVSVM_ISA_OP(word);
	insn->rd = NVSVM_ISA_RD(word) & NVSVM_SIM_ISA_REG_MASK;
	insn->ra = NVSVM_ISA_RA(word) & NVSVM_SIM_ISA_REG_MASK;
	insn->rb = NVSVM_ISA_RB(word) & NVSVM_SIM_ISA_REG_MASK;
	insn->imm = NVSVM_ISA_IMM(word);
	return true;
}

/**
 * nvsvm_sim_isa_decode() - Decode and check one instruction
 * @word: The instruction word.
 * @insn: Receives the decoded instruction; untouched if @word is illegal.
 *
 * Return: 0, or -EINVAL if @word is not a legal instruction: an unknown
 * op, a register above 31, a field the operation does not use that is not
 * zero, or a special register out of range.
 */
int nvsvm_sim_isa_decode(u64 word, struct nvsvm_sim_isa_insn *insn)
{
	return nvsvm_sim_isa_decode_word(word, insn) ? 0 : -EINVAL;
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_sim_isa_decode);

/**
 * nvsvm_sim_isa_thread_init() - Set a thread up to run a launch
 * @t: The thread.
 * @l: Its launch.
 * @tid: Its index within its block.
 * @ctaid: The index of its block within the grid.
 *
 * The thread starts at the launch's entry point with every register zero.
 */
void nvsvm_sim_isa_thread_init(struct nvsvm_sim_isa_thread *t,
			       const struct nvsvm_sim_isa_launch *l,
			       u32 tid, u32 ctaid)
{
	memset(t, 0, sizeof(*t));
	t->pc = l->entry;
	t->tid = tid;
	t->ctaid = ctaid;
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_sim_isa_thread_init);

static u64 nvsvm_sim_isa_sreg(const struct nvsvm_sim_isa_thread *t,
			      const struct nvsvm_sim_isa_launch *l,
			      u32 smid, u32 sreg)
{
	switch (sreg) {
	case NVSVM_ISA_SREG_TID:
		return t->tid;
	case NVSVM_ISA_SREG_NTID:
		return l->ntid;
	case NVSVM_ISA_SREG_CTAID:
		return t->ctaid;
	case NVSVM_ISA_SREG_NCTAID:
		return l->nctaid;
	case NVSVM_ISA_SREG_LANEID:
		return t->tid % NVSVM_ISA_WARP_SIZE;
	case NVSVM_ISA_SREG_SMID:
		return smid;
	case NVSVM_ISA_SREG_PARAM:
		return l->param;
	case NVSVM_ISA_SREG_GTID:
		return (u64)t->ctaid * l->ntid + t->tid;
	}
	/* The decoder lets through only special registers that exist. */
	WARN_ON_ONCE(1);
	return 0;
}

/**
 * nvsvm_sim_isa_run() - Run one thread
 * @t: The thread. Must not run anywhere else meanwhile.
 * @l: Its launch.
 * @smid: The SM running it, for S2R SMID.
 * @mem: How its accesses reach memory.
 * @budget: The most instructions to execute.
 * @executed: Receives how many instructions completed (EXIT included).
 * @error: Receives the %NVSVM_CHAN_ERROR_* code when the call returns
 *	   %NVSVM_SIM_ISA_ERROR; untouched otherwise.
 *
 * Executes the thread's instructions from its pc until it exits, an access
 * faults, an instruction fails or @budget instructions have completed. A
 * thread whose pc is not 8-byte aligned fails with
 * %NVSVM_CHAN_ERROR_MISALIGNED before fetching. A thread that has exited
 * stays so.
 *
 * Context: Any context the memory operations allow; the interpreter itself
 * does not sleep.
 * Return: why the thread stopped, &enum nvsvm_sim_isa_status.
 */
enum nvsvm_sim_isa_status
nvsvm_sim_isa_run(struct nvsvm_sim_isa_thread *t,
		  const struct nvsvm_sim_isa_launch *l, u32 smid,
		  struct nvsvm_sim_isa_mem *mem, unsigned int budget,
		  unsigned int *executed, u32 *error)
{
	const struct nvsvm_sim_isa_mem_ops *ops = mem->ops;
	enum nvsvm_sim_isa_status status = NVSVM_SIM_ISA_BUDGET;
	u64 *r = t->regs;
	u64 pc = t->pc;
	unsigned int n = 0;
	/*
	 * Out of the loop: the memory operations write them through
	 * pointers, which keeps them on the stack, where automatic variable
	 * initialisation would otherwise clear them on every instruction.
	 */
	u64 word, val;

	if (t->exited) {
		*executed = 0;
		return NVSVM_SIM_ISA_EXITED;
	}
	/* Branches move the pc by whole instructions: one check will do. */
	if (unlikely(pc & (NVSVM_SIM_ISA_INSN_SIZE - 1))) {
		*error = NVSVM_CHAN_ERROR_MISALIGNED;
		status = NVSVM_SIM_ISA_ERROR;
		goto out;
	}

	for (; n < budget; n++) {
		struct nvsvm_sim_isa_insn in;
		u64 next = pc + NVSVM_SIM_ISA_INSN_SIZE;
		u64 a, b, simm, va;
		unsigned int size;

		if (unlikely(ops->fetch(mem, pc, &word)))
			goto fault;
		if (unlikely(!nvsvm_sim_isa_decode_word(word, &in))) {
			*error = NVSVM_CHAN_ERROR_ILLEGAL_INSTRUCTION;
			goto fail;
		}

		/* Unused fields are zero: reading them is harmless. */
		a = r[in.ra];
		b = r[in.rb];
		simm = (u64)(s64)(s32)in.imm;

		switch (in.op) {
		case NVSVM_ISA_NOP:
			break;
		case NVSVM_ISA_EXIT:
			t->exited = true;
			pc = next;
			n++;
			status = NVSVM_SIM_ISA_EXITED;
			goto out;

		case NVSVM_ISA_ADD:
			r[in.rd] = a + b;
			break;
		case NVSVM_ISA_SUB:
			r[in.rd] = a - b;
			break;
		case NVSVM_ISA_MUL:
			r[in.rd] = a * b;
			break;
		case NVSVM_ISA_DIVU:
			if (unlikely(!b))
				goto arith;
			r[in.rd] = div64_u64(a, b);
			break;
		case NVSVM_ISA_REMU:
			if (unlikely(!b))
				goto arith;
			div64_u64_rem(a, b, &r[in.rd]);
			break;
		case NVSVM_ISA_AND:
			r[in.rd] = a & b;
			break;
		case NVSVM_ISA_OR:
			r[in.rd] = a | b;
			break;
		case NVSVM_ISA_XOR:
			r[in.rd] = a ^ b;
			break;
		case NVSVM_ISA_SHL:
			r[in.rd] = a << (b & NVSVM_SIM_ISA_SHIFT);
			break;
		case NVSVM_ISA_SHR:
			r[in.rd] = a >> (b & NVSVM_SIM_ISA_SHIFT);
			break;
		case NVSVM_ISA_SAR:
			r[in.rd] = (s64)a >> (b & NVSVM_SIM_ISA_SHIFT);
			break;
		case NVSVM_ISA_MIN:
			r[in.rd] = (s64)a < (s64)b ? a : b;
			break;
		case NVSVM_ISA_MAX:
			r[in.rd] = (s64)a > (s64)b ? a : b;
			break;
		case NVSVM_ISA_MINU:
			r[in.rd] = a < b ? a : b;
			break;
		case NVSVM_ISA_MAXU:
			r[in.rd] = a > b ? a : b;
			break;
		case NVSVM_ISA_SEQ:
			r[in.rd] = a == b;
			break;
		case NVSVM_ISA_SNE:
			r[in.rd] = a != b;
			break;
		case NVSVM_ISA_SLT:
			r[in.rd] = (s64)a < (s64)b;
			break;
		case NVSVM_ISA_SLTU:
			r[in.rd] = a < b;
			break;

		case NVSVM_ISA_ADDI:
			r[in.rd] = a + simm;
			break;
		case NVSVM_ISA_MULI:
			r[in.rd] = a * simm;
			break;
		case NVSVM_ISA_ANDI:
			r[in.rd] = a & simm;
			break;
		case NVSVM_ISA_ORI:
			r[in.rd] = a | simm;
			break;
		case NVSVM_ISA_XORI:
			r[in.rd] = a ^ simm;
			break;
		case NVSVM_ISA_SHLI:
			r[in.rd] = a << (in.imm & NVSVM_SIM_ISA_SHIFT);
			break;
		case NVSVM_ISA_SHRI:
			r[in.rd] = a >> (in.imm & NVSVM_SIM_ISA_SHIFT);
			break;
		case NVSVM_ISA_SARI:
			r[in.rd] = (s64)a >> (in.imm & NVSVM_SIM_ISA_SHIFT);
			break;

		case NVSVM_ISA_MOVI:
			r[in.rd] = simm;
			break;
		case NVSVM_ISA_MOVHI:
			r[in.rd] = (u32)r[in.rd] | (u64)in.imm << 32;
			break;
		case NVSVM_ISA_S2R:
			r[in.rd] = nvsvm_sim_isa_sreg(t, l, smid, in.imm);
			break;

		case NVSVM_ISA_LD8:
		case NVSVM_ISA_LD16:
		case NVSVM_ISA_LD32:
		case NVSVM_ISA_LD64:
			size = NVSVM_SIM_ISA_LDST_SIZE(in.op);
			va = a + simm;
			if (unlikely(va & (size - 1)))
				goto misaligned;
			if (unlikely(ops->load(mem, va, size, &val)))
				goto fault;
			r[in.rd] = val;
			break;
		case NVSVM_ISA_ST8:
		case NVSVM_ISA_ST16:
		case NVSVM_ISA_ST32:
		case NVSVM_ISA_ST64:
			size = NVSVM_SIM_ISA_LDST_SIZE(in.op);
			va = a + simm;
			if (unlikely(va & (size - 1)))
				goto misaligned;
			if (unlikely(ops->store(mem, va, size, b)))
				goto fault;
			break;

		case NVSVM_ISA_ATOMADD32:
		case NVSVM_ISA_ATOMEXCH32:
		case NVSVM_ISA_ATOMCAS32:
		case NVSVM_ISA_ATOMMIN32:
		case NVSVM_ISA_ATOMMAX32:
		case NVSVM_ISA_ATOMMINU32:
		case NVSVM_ISA_ATOMMAXU32:
		case NVSVM_ISA_ATOMADD64:
		case NVSVM_ISA_ATOMEXCH64:
		case NVSVM_ISA_ATOMCAS64:
		case NVSVM_ISA_ATOMMIN64:
		case NVSVM_ISA_ATOMMAX64:
		case NVSVM_ISA_ATOMMINU64:
		case NVSVM_ISA_ATOMMAXU64: {
			u64 compare = r[in.rd];

			size = NVSVM_SIM_ISA_ATOM_SIZE(in.op);
			if (unlikely(a & (size - 1)))
				goto misaligned;
			if (size == 4) {
				b = (u32)b;
				compare = (u32)compare;
			}
			if (unlikely(ops->atomic(mem, a, size, in.op, b,
						 compare, &val)))
				goto fault;
			r[in.rd] = val;
			break;
		}

		case NVSVM_ISA_BRA:
			next += simm * NVSVM_SIM_ISA_INSN_SIZE;
			break;
		case NVSVM_ISA_BEQZ:
			if (!a)
				next += simm * NVSVM_SIM_ISA_INSN_SIZE;
			break;
		case NVSVM_ISA_BNEZ:
			if (a)
				next += simm * NVSVM_SIM_ISA_INSN_SIZE;
			break;

		default:
			/* The decoder lets through only the cases above. */
			WARN_ON_ONCE(1);
			*error = NVSVM_CHAN_ERROR_ILLEGAL_INSTRUCTION;
			goto fail;
		}
		pc = next;
	}
	goto out;

fault:
	status = NVSVM_SIM_ISA_FAULTED;
	goto out;
misaligned:
	*error = NVSVM_CHAN_ERROR_MISALIGNED;
	goto fail;
arith:
	*error = NVSVM_CHAN_ERROR_ARITHMETIC;
fail:
	status = NVSVM_SIM_ISA_ERROR;
out:
	t->pc = pc;
	*executed = n;
	return status;
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_sim_isa_run);
