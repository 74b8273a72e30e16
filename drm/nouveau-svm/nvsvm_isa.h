/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Copyright 2026 The nvsvm authors */
#ifndef __NVSVM_ISA_H__
#define __NVSVM_ISA_H__

/*
 * This header is shared by the emulator (kernel) and the assembler
 * (userspace): it uses only the __uN types and no kernel helpers.
 */
#include <linux/types.h>

/**
 * DOC: Compute ISA
 *
 * A small integer ISA for the SMs. Kernels are untrusted input: the SM
 * decodes and checks every instruction before executing it, and every
 * memory access goes through the GPU MMU.
 *
 * Machine model: a launch runs a grid of blocks of threads. Each thread has
 * 32 general registers r0-r31 of 64 bits (r0 is an ordinary register), a
 * program counter, and reads its ids through S2R. Threads are grouped in
 * warps of %NVSVM_ISA_WARP_SIZE lanes (lane = tid % %NVSVM_ISA_WARP_SIZE,
 * S2R LANEID); a warp is the unit an SM schedules and stalls, and runs its
 * lanes in lockstep: one fetch and decode per instruction for its active
 * lanes, the live lanes whose pc is the lowest (lanes that branch apart
 * meet again where their pcs do). When some lanes' accesses fault, the
 * others complete theirs, the warp reports one fault per distinct 4 KiB
 * page (and access) of the faulting lanes and waits, its state saved, for
 * the faults to be replayed (the faulting lanes retry) or cancelled.
 * docs/isa.md has the details.
 *
 * Encoding: every instruction is one little-endian 64-bit word:
 *
 * ====== ====== =============================================
 * bits   field  meaning
 * ====== ====== =============================================
 * 7:0    op     operation, &enum nvsvm_isa_op
 * 15:8   rd     destination register (0-31)
 * 23:16  ra     first source register (0-31)
 * 31:24  rb     second source register (0-31)
 * 63:32  imm    32-bit immediate, sign-extended where used
 * ====== ====== =============================================
 *
 * A field an operation does not use must be zero. The decoder rejects an
 * unknown op, a register above 31 and a non-zero unused field: the launch
 * fails with %NVSVM_CHAN_ERROR_ILLEGAL_INSTRUCTION (the NVSVM_CHAN_ERROR_*
 * codes are defined in nvsvm_regs.h).
 *
 * Which fields each operation uses is implied by its form below (register
 * form: rd, ra, rb; immediate form: rd, ra, imm; MOVI, MOVHI: rd, imm;
 * S2R: rd, imm; loads: rd, ra, imm; stores: ra, rb, imm; atomics: rd, ra,
 * rb; BRA: imm; BEQZ, BNEZ: ra, imm; NOP, EXIT: none); docs/isa.md has the
 * table.
 *
 * A thread starts with every register 0 and pc at the launch's entry.
 * Memory is little-endian.
 *
 * Semantics (all arithmetic is 64-bit two's complement and wraps):
 *
 * - ALU, register form ``rd = ra OP rb``: ADD SUB MUL AND OR XOR SHL SHR
 *   (logical) SAR (arithmetic; shift counts use the low 6 bits) DIVU REMU
 *   (unsigned; a zero divisor fails the launch with
 *   %NVSVM_CHAN_ERROR_ARITHMETIC) MIN MAX (signed) MINU MAXU, and the
 *   comparisons SEQ SNE SLT SLTU (``rd = (ra OP rb) ? 1 : 0``).
 * - ALU, immediate form ``rd = ra OP sext(imm)``: ADDI MULI ANDI ORI XORI
 *   SHLI SHRI SARI (shift counts use the low 6 bits of imm).
 * - MOVI ``rd = sext(imm)``; MOVHI ``rd = (rd & 0xffffffff) | imm << 32``.
 * - S2R ``rd = special register imm`` (&enum nvsvm_isa_sreg); an imm of
 *   %NVSVM_ISA_SREG_COUNT or more is an illegal instruction.
 * - Loads LD8 LD16 LD32 LD64 ``rd = zext(mem[ra + sext(imm)])``; stores
 *   ST8 ST16 ST32 ST64 ``mem[ra + sext(imm)] = rb`` (the low bytes of
 *   rb). The address must be naturally aligned (else
 *   %NVSVM_CHAN_ERROR_MISALIGNED).
 * - Atomics on ``mem[ra]`` (imm must be 0, address naturally aligned),
 *   ``rd = old value``: ATOM{ADD,EXCH,MIN,MAX,MINU,MAXU}{32,64} with
 *   operand rb; ATOMCAS32/64 stores rb if the old value equals rd's value
 *   on entry. 32-bit forms work on the low 32 bits of rb and of rd (CAS
 *   compares with rd's low 32 bits, MIN and MAX compare signed 32-bit
 *   values) and zero-extend the old value into rd. An atomic needs a PTE
 *   without ATOMIC_DISABLE.
 * - Branches, to ``pc + 1 + sext(imm)`` in instructions: BRA always, BEQZ
 *   if ra == 0, BNEZ if ra != 0.
 * - EXIT ends the thread. Running off the end of a mapped code range
 *   faults like any other fetch.
 *
 * A thread's memory accesses are seen by other threads only as the
 * hardware's memory is: atomics are atomic, plain accesses of up to 8
 * bytes are single-copy atomic, there is no other ordering between threads
 * of a launch. A launch completes only when all its threads have exited,
 * and its stores are visible to everything after it in the channel.
 */

#define NVSVM_ISA_WARP_SIZE	32
#define NVSVM_ISA_NUM_REGS	32

#define NVSVM_ISA_OP(insn)	((__u8)((insn) & 0xff))
#define NVSVM_ISA_RD(insn)	((__u8)(((insn) >> 8) & 0xff))
#define NVSVM_ISA_RA(insn)	((__u8)(((insn) >> 16) & 0xff))
#define NVSVM_ISA_RB(insn)	((__u8)(((insn) >> 24) & 0xff))
#define NVSVM_ISA_IMM(insn)	((__u32)((insn) >> 32))

#define NVSVM_ISA_ENCODE(op, rd, ra, rb, imm) \
	((__u64)(__u8)(op) | (__u64)(__u8)(rd) << 8 | (__u64)(__u8)(ra) << 16 | \
	 (__u64)(__u8)(rb) << 24 | (__u64)(__u32)(imm) << 32)

/**
 * enum nvsvm_isa_op - Operations
 *
 * Values are part of the hardware contract: append only.
 */
enum nvsvm_isa_op {
	NVSVM_ISA_NOP = 0x00,
	NVSVM_ISA_EXIT = 0x01,

	/* rd = ra OP rb */
	NVSVM_ISA_ADD = 0x10,
	NVSVM_ISA_SUB = 0x11,
	NVSVM_ISA_MUL = 0x12,
	NVSVM_ISA_DIVU = 0x13,
	NVSVM_ISA_REMU = 0x14,
	NVSVM_ISA_AND = 0x15,
	NVSVM_ISA_OR = 0x16,
	NVSVM_ISA_XOR = 0x17,
	NVSVM_ISA_SHL = 0x18,
	NVSVM_ISA_SHR = 0x19,
	NVSVM_ISA_SAR = 0x1a,
	NVSVM_ISA_MIN = 0x1b,
	NVSVM_ISA_MAX = 0x1c,
	NVSVM_ISA_MINU = 0x1d,
	NVSVM_ISA_MAXU = 0x1e,
	NVSVM_ISA_SEQ = 0x20,
	NVSVM_ISA_SNE = 0x21,
	NVSVM_ISA_SLT = 0x22,
	NVSVM_ISA_SLTU = 0x23,

	/* rd = ra OP sext(imm) */
	NVSVM_ISA_ADDI = 0x30,
	NVSVM_ISA_MULI = 0x31,
	NVSVM_ISA_ANDI = 0x32,
	NVSVM_ISA_ORI = 0x33,
	NVSVM_ISA_XORI = 0x34,
	NVSVM_ISA_SHLI = 0x35,
	NVSVM_ISA_SHRI = 0x36,
	NVSVM_ISA_SARI = 0x37,

	NVSVM_ISA_MOVI = 0x40,
	NVSVM_ISA_MOVHI = 0x41,
	NVSVM_ISA_S2R = 0x42,

	NVSVM_ISA_LD8 = 0x50,
	NVSVM_ISA_LD16 = 0x51,
	NVSVM_ISA_LD32 = 0x52,
	NVSVM_ISA_LD64 = 0x53,
	NVSVM_ISA_ST8 = 0x58,
	NVSVM_ISA_ST16 = 0x59,
	NVSVM_ISA_ST32 = 0x5a,
	NVSVM_ISA_ST64 = 0x5b,

	NVSVM_ISA_ATOMADD32 = 0x60,
	NVSVM_ISA_ATOMEXCH32 = 0x61,
	NVSVM_ISA_ATOMCAS32 = 0x62,
	NVSVM_ISA_ATOMMIN32 = 0x63,
	NVSVM_ISA_ATOMMAX32 = 0x64,
	NVSVM_ISA_ATOMMINU32 = 0x65,
	NVSVM_ISA_ATOMMAXU32 = 0x66,
	NVSVM_ISA_ATOMADD64 = 0x68,
	NVSVM_ISA_ATOMEXCH64 = 0x69,
	NVSVM_ISA_ATOMCAS64 = 0x6a,
	NVSVM_ISA_ATOMMIN64 = 0x6b,
	NVSVM_ISA_ATOMMAX64 = 0x6c,
	NVSVM_ISA_ATOMMINU64 = 0x6d,
	NVSVM_ISA_ATOMMAXU64 = 0x6e,

	NVSVM_ISA_BRA = 0x70,
	NVSVM_ISA_BEQZ = 0x71,
	NVSVM_ISA_BNEZ = 0x72,
};

/**
 * enum nvsvm_isa_sreg - Special registers read by S2R
 */
enum nvsvm_isa_sreg {
	/** @NVSVM_ISA_SREG_TID: Thread index within its block. */
	NVSVM_ISA_SREG_TID = 0,
	/** @NVSVM_ISA_SREG_NTID: Threads per block. */
	NVSVM_ISA_SREG_NTID = 1,
	/** @NVSVM_ISA_SREG_CTAID: Block index within the grid. */
	NVSVM_ISA_SREG_CTAID = 2,
	/** @NVSVM_ISA_SREG_NCTAID: Blocks in the grid. */
	NVSVM_ISA_SREG_NCTAID = 3,
	/** @NVSVM_ISA_SREG_LANEID: Thread index within its warp. */
	NVSVM_ISA_SREG_LANEID = 4,
	/** @NVSVM_ISA_SREG_SMID: The SM running the thread. */
	NVSVM_ISA_SREG_SMID = 5,
	/** @NVSVM_ISA_SREG_PARAM: GPU VA of the launch's parameter block. */
	NVSVM_ISA_SREG_PARAM = 6,
	/** @NVSVM_ISA_SREG_GTID: ctaid * ntid + tid, the global thread index. */
	NVSVM_ISA_SREG_GTID = 7,
};

#define NVSVM_ISA_SREG_COUNT	8

#endif /* __NVSVM_ISA_H__ */
