// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

/**
 * DOC: Instruction interpreter
 *
 * The SMs execute the ISA of nvsvm_isa.h a warp at a time, SIMT fashion:
 * nvsvm_sim_isa_warp_run() fetches, decodes and checks each instruction
 * once, then executes it for every active lane of the warp, until the warp
 * exits, an access of some lanes does not complete, an instruction fails,
 * the memory layer asks it to yield, or the budget it was given is used
 * up. The SM owns the warps and schedules them; the interpreter sees one
 * warp's state, its launch's constants, and the &struct nvsvm_sim_isa_mem
 * through which every fetch, load, store and atomic goes (and is
 * translated and checked).
 *
 * Lanes and divergence: each lane has its own registers and pc. The warp
 * runs the live lanes whose pc is the lowest (the active lanes); the
 * others wait. While every live lane is active (the warp is converged) an
 * instruction moves them all, and the interpreter compares the new pc with
 * one number, the lowest pc of the waiting lanes (U64_MAX when none wait),
 * never scanning the lanes. A branch that the active lanes take
 * differently splits them: the interpreter then finds the lowest pc among
 * all live lanes and runs the lanes there. Lanes meet again when the
 * active ones reach the pc where others wait (the scan happens then too):
 * for structured code, at the join of an if/else, after a loop, and at
 * the instruction after any memory access that completed for some lanes
 * only. This is min-pc scheduling, with no reconvergence stack: a lane
 * spinning on a condition that only a lane of its own warp waiting at a
 * higher pc can change spins forever (the watchdog ends it), as on SIMT
 * hardware without independent thread scheduling.
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
 * Accesses: a memory instruction is attempted for every active lane; the
 * lanes whose access completes complete the instruction (and move on), the
 * others stay on it, having changed nothing, and the call returns with
 * them as the active lanes and a list of what they lacked: one entry per
 * distinct 4 KiB page and access type. Running the warp again (after a
 * replay) retries the instruction for those lanes alone. An instruction
 * fetch is one access for the warp.
 *
 * Errors (an illegal instruction, a misaligned access of any lane, a
 * division by zero in any lane) are fatal to the launch. No lane executes
 * the failing instruction: the warp stops with its pc on it and its
 * registers untouched, and the caller gets the channel error code to
 * report.
 *
 * Cost: the interpreter runs in an SM's kernel thread and neither sleeps,
 * allocates nor takes a lock; the budget bounds how long one call runs.
 * Each instruction costs a test of the yield flag, a load from the code
 * page the memory layer handed over (an indirect call to fetch only on a
 * new page), a table lookup and a switch, then a loop over the active
 * lanes; a memory instruction makes one indirect call for all its lanes.
 */

#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/bits.h>
#include <linux/bug.h>
#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/limits.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/sizes.h>
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

/*
 * List the lanes of @mask in ascending order in @lane; return how many.
 * The interpreter keeps the list of the active lanes, and loops over it.
 */
static unsigned int nvsvm_sim_isa_lanes(u32 mask, u8 *lane)
{
	unsigned long m = mask;
	unsigned int i, n = 0;

	for_each_set_bit(i, &m, NVSVM_ISA_WARP_SIZE)
		lane[n++] = i;
	return n;
}

/**
 * nvsvm_sim_isa_warp_init() - Set a warp up to run a launch
 * @w: The warp.
 * @l: Its launch.
 * @tid: The index within its block of its lane 0.
 * @ctaid: The index of its block within the grid.
 * @lanes: The lanes that exist (lane i is thread @tid + i of the block).
 *
 * Every lane starts at the launch's entry point with every register zero;
 * the warp is converged.
 */
void nvsvm_sim_isa_warp_init(struct nvsvm_sim_isa_warp *w,
			     const struct nvsvm_sim_isa_launch *l,
			     u32 tid, u32 ctaid, u32 lanes)
{
	memset(w, 0, sizeof(*w));
	w->pc = l->entry;
	w->wait_pc = U64_MAX;
	w->live = lanes;
	w->active = lanes;
	w->tid = tid;
	w->ctaid = ctaid;
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_sim_isa_warp_init);

/* S2R for the @nact lanes listed in @lane, into @rd. */
static void nvsvm_sim_isa_s2r(const struct nvsvm_sim_isa_warp *w,
			      const struct nvsvm_sim_isa_launch *l, u32 smid,
			      u32 sreg, const u8 *lane, unsigned int nact, u64 *rd)
{
	unsigned int i, k;
	u64 val;

	switch (sreg) {
	case NVSVM_ISA_SREG_TID:
		for (k = 0; k < nact; k++) {
			i = lane[k];
			rd[i] = w->tid + i;
		}
		return;
	case NVSVM_ISA_SREG_NTID:
		val = l->ntid;
		break;
	case NVSVM_ISA_SREG_CTAID:
		val = w->ctaid;
		break;
	case NVSVM_ISA_SREG_NCTAID:
		val = l->nctaid;
		break;
	case NVSVM_ISA_SREG_LANEID:
		for (k = 0; k < nact; k++) {
			i = lane[k];
			rd[i] = i;
		}
		return;
	case NVSVM_ISA_SREG_SMID:
		val = smid;
		break;
	case NVSVM_ISA_SREG_PARAM:
		val = l->param;
		break;
	case NVSVM_ISA_SREG_GTID:
		val = (u64)w->ctaid * l->ntid + w->tid;
		for (k = 0; k < nact; k++) {
			i = lane[k];
			rd[i] = val + i;
		}
		return;
	default:
		/* The decoder lets through only special registers that exist. */
		WARN_ON_ONCE(1);
		val = 0;
		break;
	}
	for (k = 0; k < nact; k++) {
		i = lane[k];
		rd[i] = val;
	}
}

/*
 * Make the live lanes with the lowest pc the active ones. Every live
 * lane's pc must be in &nvsvm_sim_isa_warp.lane_pc, active ones' too.
 */
static void nvsvm_sim_isa_schedule(struct nvsvm_sim_isa_warp *w, u64 *pc,
				   u32 *active, u64 *wait_pc)
{
	unsigned long live = w->live;
	u64 min = U64_MAX, next = U64_MAX;
	unsigned int i;
	u32 act = 0;

	for_each_set_bit(i, &live, NVSVM_ISA_WARP_SIZE) {
		u64 lpc = w->lane_pc[i];

		if (lpc < min) {
			next = min;
			min = lpc;
			act = BIT(i);
		} else if (lpc == min) {
			act |= BIT(i);
		} else if (lpc < next) {
			next = lpc;
		}
	}
	*pc = min;
	*active = act;
	*wait_pc = next;
}

/* Note one access that did not complete, unless its page and access are in. */
static void nvsvm_sim_isa_add_fault(struct nvsvm_sim_isa_warp *w, u64 va,
				    u8 access, u8 why)
{
	unsigned int i;

	for (i = 0; i < w->nfaults; i++)
		if (w->faults[i].access == access &&
		    !((w->faults[i].va ^ va) & ~(u64)(SZ_4K - 1)))
			return;
	if (WARN_ON_ONCE(w->nfaults == ARRAY_SIZE(w->faults)))
		return;
	w->faults[w->nfaults++] = (struct nvsvm_sim_isa_fault){
		.va = va,
		.access = access,
		.why = why,
	};
}

/**
 * nvsvm_sim_isa_warp_run() - Run one warp
 * @w: The warp. Must not run anywhere else meanwhile.
 * @l: Its launch.
 * @smid: The SM running it, for S2R SMID.
 * @mem: How its accesses reach memory.
 * @budget: The most instructions the warp executes.
 * @count: Receives what the call executed.
 * @error: Receives the %NVSVM_CHAN_ERROR_* code when the call returns
 *	   %NVSVM_SIM_ISA_ERROR; untouched otherwise.
 *
 * Executes the warp's instructions from the active lanes' pc until every
 * lane has exited, an access of some lanes does not complete, an
 * instruction fails, @mem asks it to yield, or @budget instructions have
 * been executed. A warp whose active lanes' pc is not 8-byte aligned fails
 * with %NVSVM_CHAN_ERROR_MISALIGNED before fetching. A warp whose lanes
 * have all exited stays so.
 *
 * Context: Any context the memory operations allow; the interpreter itself
 * does not sleep.
 * Return: why the warp stopped, &enum nvsvm_sim_isa_status.
 */
enum nvsvm_sim_isa_status
nvsvm_sim_isa_warp_run(struct nvsvm_sim_isa_warp *w,
		       const struct nvsvm_sim_isa_launch *l, u32 smid,
		       struct nvsvm_sim_isa_mem *mem, unsigned int budget,
		       struct nvsvm_sim_isa_count *count, u32 *error)
{
	const struct nvsvm_sim_isa_mem_ops *ops = mem->ops;
	enum nvsvm_sim_isa_status status = NVSVM_SIM_ISA_BUDGET;
	u64 (*r)[NVSVM_ISA_WARP_SIZE] = w->regs;
	u64 pc = w->pc, wait_pc = w->wait_pc;
	u32 active = w->active;
	unsigned int n = 0, lanes = 0, nact;
	/* The active lanes, ascending: what every instruction loops over. */
	u8 lane[NVSVM_ISA_WARP_SIZE];
	/* The page instructions come from, while the memory layer allows. */
	const __le64 *code = NULL;
	u64 code_va = 0;
	u64 *va = mem->scratch.va, *opnd = mem->scratch.operand;
	u64 *cmp = mem->scratch.compare;
	u8 *why = mem->scratch.why;
	/*
	 * Out of the loop: the fetch writes it through a pointer, which
	 * keeps it on the stack, where automatic variable initialisation
	 * would otherwise clear it on every instruction.
	 */
	u64 word;

	w->nfaults = 0;
	if (!w->live) {
		count->insns = 0;
		count->lanes = 0;
		return NVSVM_SIM_ISA_EXITED;
	}
	nact = nvsvm_sim_isa_lanes(active, lane);
	/* Branches move pcs by whole instructions: one check will do. */
	if (unlikely(pc & (NVSVM_SIM_ISA_INSN_SIZE - 1)))
		goto misaligned;

	for (; n < budget; n++) {
		struct nvsvm_sim_isa_insn in;
		u64 next = pc + NVSVM_SIM_ISA_INSN_SIZE;
		u64 *rd, *ra, *rb, simm, any;
		unsigned int i, k, size;
		unsigned long m;
		u32 bad, flag;
		u8 access;

		if (unlikely(atomic_read(mem->yield)))
			break;
		if (likely(code && !((pc ^ code_va) & ~(u64)(SZ_4K - 1)))) {
			word = le64_to_cpu(READ_ONCE(code[(pc & (SZ_4K - 1)) / 8]));
		} else {
			code = NULL;
			if (unlikely(ops->fetch(mem, pc, &word, &code, &why[0]))) {
				nvsvm_sim_isa_add_fault(w, pc, NVSVM_ACCESS_READ, why[0]);
				status = NVSVM_SIM_ISA_FAULTED;
				goto out;
			}
			code_va = pc;
		}
		if (unlikely(!nvsvm_sim_isa_decode_word(word, &in))) {
			*error = NVSVM_CHAN_ERROR_ILLEGAL_INSTRUCTION;
			goto fail;
		}

		/* Unused fields are zero: their rows are harmless to point at. */
		rd = r[in.rd];
		ra = r[in.ra];
		rb = r[in.rb];
		simm = (u64)(s64)(s32)in.imm;

		switch (in.op) {
		case NVSVM_ISA_NOP:
			break;
		case NVSVM_ISA_EXIT:
			lanes += nact;
			w->live &= ~active;
			if (!w->live) {
				n++;
				active = 0;
				pc = next;
				status = NVSVM_SIM_ISA_EXITED;
				goto out;
			}
			nvsvm_sim_isa_schedule(w, &pc, &active, &wait_pc);
			nact = nvsvm_sim_isa_lanes(active, lane);
			if (unlikely(pc & (NVSVM_SIM_ISA_INSN_SIZE - 1)))
				goto misaligned_after;
			continue;

		case NVSVM_ISA_ADD:
			for (k = 0; k < nact; k++) {
				i = lane[k];
				rd[i] = ra[i] + rb[i];
			}
			break;
		case NVSVM_ISA_SUB:
			for (k = 0; k < nact; k++) {
				i = lane[k];
				rd[i] = ra[i] - rb[i];
			}
			break;
		case NVSVM_ISA_MUL:
			for (k = 0; k < nact; k++) {
				i = lane[k];
				rd[i] = ra[i] * rb[i];
			}
			break;
		case NVSVM_ISA_DIVU:
		case NVSVM_ISA_REMU:
			flag = 0;
			for (k = 0; k < nact; k++) {
				i = lane[k];
				flag |= !rb[i];
			}
			if (unlikely(flag))
				goto arith;
			if (in.op == NVSVM_ISA_DIVU)
				for (k = 0; k < nact; k++) {
					i = lane[k];
					rd[i] = div64_u64(ra[i], rb[i]);
				}
			else
				for (k = 0; k < nact; k++) {
					i = lane[k];
					div64_u64_rem(ra[i], rb[i], &rd[i]);
				}
			break;
		case NVSVM_ISA_AND:
			for (k = 0; k < nact; k++) {
				i = lane[k];
				rd[i] = ra[i] & rb[i];
			}
			break;
		case NVSVM_ISA_OR:
			for (k = 0; k < nact; k++) {
				i = lane[k];
				rd[i] = ra[i] | rb[i];
			}
			break;
		case NVSVM_ISA_XOR:
			for (k = 0; k < nact; k++) {
				i = lane[k];
				rd[i] = ra[i] ^ rb[i];
			}
			break;
		case NVSVM_ISA_SHL:
			for (k = 0; k < nact; k++) {
				i = lane[k];
				rd[i] = ra[i] << (rb[i] & NVSVM_SIM_ISA_SHIFT);
			}
			break;
		case NVSVM_ISA_SHR:
			for (k = 0; k < nact; k++) {
				i = lane[k];
				rd[i] = ra[i] >> (rb[i] & NVSVM_SIM_ISA_SHIFT);
			}
			break;
		case NVSVM_ISA_SAR:
			for (k = 0; k < nact; k++) {
				i = lane[k];
				rd[i] = (s64)ra[i] >> (rb[i] & NVSVM_SIM_ISA_SHIFT);
			}
			break;
		case NVSVM_ISA_MIN:
			for (k = 0; k < nact; k++) {
				i = lane[k];
				rd[i] = (s64)ra[i] < (s64)rb[i] ? ra[i] : rb[i];
			}
			break;
		case NVSVM_ISA_MAX:
			for (k = 0; k < nact; k++) {
				i = lane[k];
				rd[i] = (s64)ra[i] > (s64)rb[i] ? ra[i] : rb[i];
			}
			break;
		case NVSVM_ISA_MINU:
			for (k = 0; k < nact; k++) {
				i = lane[k];
				rd[i] = min(ra[i], rb[i]);
			}
			break;
		case NVSVM_ISA_MAXU:
			for (k = 0; k < nact; k++) {
				i = lane[k];
				rd[i] = max(ra[i], rb[i]);
			}
			break;
		case NVSVM_ISA_SEQ:
			for (k = 0; k < nact; k++) {
				i = lane[k];
				rd[i] = ra[i] == rb[i];
			}
			break;
		case NVSVM_ISA_SNE:
			for (k = 0; k < nact; k++) {
				i = lane[k];
				rd[i] = ra[i] != rb[i];
			}
			break;
		case NVSVM_ISA_SLT:
			for (k = 0; k < nact; k++) {
				i = lane[k];
				rd[i] = (s64)ra[i] < (s64)rb[i];
			}
			break;
		case NVSVM_ISA_SLTU:
			for (k = 0; k < nact; k++) {
				i = lane[k];
				rd[i] = ra[i] < rb[i];
			}
			break;

		case NVSVM_ISA_ADDI:
			for (k = 0; k < nact; k++) {
				i = lane[k];
				rd[i] = ra[i] + simm;
			}
			break;
		case NVSVM_ISA_MULI:
			for (k = 0; k < nact; k++) {
				i = lane[k];
				rd[i] = ra[i] * simm;
			}
			break;
		case NVSVM_ISA_ANDI:
			for (k = 0; k < nact; k++) {
				i = lane[k];
				rd[i] = ra[i] & simm;
			}
			break;
		case NVSVM_ISA_ORI:
			for (k = 0; k < nact; k++) {
				i = lane[k];
				rd[i] = ra[i] | simm;
			}
			break;
		case NVSVM_ISA_XORI:
			for (k = 0; k < nact; k++) {
				i = lane[k];
				rd[i] = ra[i] ^ simm;
			}
			break;
		case NVSVM_ISA_SHLI:
			size = in.imm & NVSVM_SIM_ISA_SHIFT;
			for (k = 0; k < nact; k++) {
				i = lane[k];
				rd[i] = ra[i] << size;
			}
			break;
		case NVSVM_ISA_SHRI:
			size = in.imm & NVSVM_SIM_ISA_SHIFT;
			for (k = 0; k < nact; k++) {
				i = lane[k];
				rd[i] = ra[i] >> size;
			}
			break;
		case NVSVM_ISA_SARI:
			size = in.imm & NVSVM_SIM_ISA_SHIFT;
			for (k = 0; k < nact; k++) {
				i = lane[k];
				rd[i] = (s64)ra[i] >> size;
			}
			break;

		case NVSVM_ISA_MOVI:
			for (k = 0; k < nact; k++) {
				i = lane[k];
				rd[i] = simm;
			}
			break;
		case NVSVM_ISA_MOVHI:
			for (k = 0; k < nact; k++) {
				i = lane[k];
				rd[i] = (u32)rd[i] | (u64)in.imm << 32;
			}
			break;
		case NVSVM_ISA_S2R:
			nvsvm_sim_isa_s2r(w, l, smid, in.imm, lane, nact, rd);
			break;

		case NVSVM_ISA_LD8:
		case NVSVM_ISA_LD16:
		case NVSVM_ISA_LD32:
		case NVSVM_ISA_LD64:
			size = NVSVM_SIM_ISA_LDST_SIZE(in.op);
			any = 0;
			for (k = 0; k < nact; k++) {
				i = lane[k];
				va[i] = ra[i] + simm;
				any |= va[i];
			}
			if (unlikely(any & (size - 1)))
				goto misaligned;
			bad = ops->load(mem, active, va, size, rd, why);
			access = NVSVM_ACCESS_READ;
			if (unlikely(bad))
				goto partial;
			break;
		case NVSVM_ISA_ST8:
		case NVSVM_ISA_ST16:
		case NVSVM_ISA_ST32:
		case NVSVM_ISA_ST64:
			size = NVSVM_SIM_ISA_LDST_SIZE(in.op);
			any = 0;
			for (k = 0; k < nact; k++) {
				i = lane[k];
				va[i] = ra[i] + simm;
				any |= va[i];
			}
			if (unlikely(any & (size - 1)))
				goto misaligned;
			bad = ops->store(mem, active, va, size, rb, why);
			access = NVSVM_ACCESS_WRITE;
			if (unlikely(bad))
				goto partial;
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
		case NVSVM_ISA_ATOMMAXU64:
			size = NVSVM_SIM_ISA_ATOM_SIZE(in.op);
			any = 0;
			/* Copies: the old values land in rd, which may alias them. */
			if (size == 4)
				for (k = 0; k < nact; k++) {
					i = lane[k];
					va[i] = ra[i];
					any |= va[i];
					opnd[i] = (u32)rb[i];
					cmp[i] = (u32)rd[i];
				}
			else
				for (k = 0; k < nact; k++) {
					i = lane[k];
					va[i] = ra[i];
					any |= va[i];
					opnd[i] = rb[i];
					cmp[i] = rd[i];
				}
			if (unlikely(any & (size - 1)))
				goto misaligned;
			bad = ops->atomic(mem, active, va, size, in.op, opnd, cmp, rd, why);
			access = NVSVM_ACCESS_ATOMIC;
			if (unlikely(bad))
				goto partial;
			break;

		case NVSVM_ISA_BRA:
			next += simm * NVSVM_SIM_ISA_INSN_SIZE;
			break;
		case NVSVM_ISA_BEQZ:
		case NVSVM_ISA_BNEZ:
			flag = 0;
			if (in.op == NVSVM_ISA_BEQZ)
				for (k = 0; k < nact; k++) {
					i = lane[k];
					flag |= (u32)!ra[i] << i;
				}
			else
				for (k = 0; k < nact; k++) {
					i = lane[k];
					flag |= (u32)!!ra[i] << i;
				}
			if (flag == active) {
				next += simm * NVSVM_SIM_ISA_INSN_SIZE;
			} else if (flag) {
				/* The lanes part: each goes its own way. */
				u64 target = next + simm * NVSVM_SIM_ISA_INSN_SIZE;

				for (k = 0; k < nact; k++) {
					i = lane[k];
					w->lane_pc[i] = (flag & BIT(i)) ? target : next;
				}
				lanes += nact;
				nvsvm_sim_isa_schedule(w, &pc, &active, &wait_pc);
				nact = nvsvm_sim_isa_lanes(active, lane);
				if (unlikely(pc & (NVSVM_SIM_ISA_INSN_SIZE - 1)))
					goto misaligned_after;
				continue;
			}
			break;

		default:
			/* The decoder lets through only the cases above. */
			WARN_ON_ONCE(1);
			*error = NVSVM_CHAN_ERROR_ILLEGAL_INSTRUCTION;
			goto fail;
		}

		lanes += nact;
		pc = next;
		if (unlikely(pc >= wait_pc)) {
			/* Caught up with waiting lanes (or passed them): regroup. */
			for (k = 0; k < nact; k++)
				w->lane_pc[lane[k]] = pc;
			nvsvm_sim_isa_schedule(w, &pc, &active, &wait_pc);
			nact = nvsvm_sim_isa_lanes(active, lane);
			if (unlikely(pc & (NVSVM_SIM_ISA_INSN_SIZE - 1)))
				goto misaligned_after;
		}
		continue;

partial:
		/*
		 * The lanes whose access completed have executed the
		 * instruction and wait at the next; the others stay on it.
		 */
		{
			u32 done = active & ~bad;

			if (done) {
				n++;
				lanes += hweight32(done);
				m = done;
				for_each_set_bit(i, &m, NVSVM_ISA_WARP_SIZE)
					w->lane_pc[i] = next;
				wait_pc = min(wait_pc, next);
			}
			m = bad;
			for_each_set_bit(i, &m, NVSVM_ISA_WARP_SIZE)
				nvsvm_sim_isa_add_fault(w, va[i], access, why[i]);
			active = bad;
		}
		status = NVSVM_SIM_ISA_FAULTED;
		goto out;
	}
	goto out;

misaligned_after:
	/* Only a lane pc set up misaligned gets here: the next instruction fails. */
	n++;
misaligned:
	*error = NVSVM_CHAN_ERROR_MISALIGNED;
	goto fail;
arith:
	*error = NVSVM_CHAN_ERROR_ARITHMETIC;
fail:
	status = NVSVM_SIM_ISA_ERROR;
out:
	w->pc = pc;
	w->active = active;
	w->wait_pc = wait_pc;
	count->insns = n;
	count->lanes = lanes;
	return status;
}
EXPORT_SYMBOL_IF_KUNIT(nvsvm_sim_isa_warp_run);
