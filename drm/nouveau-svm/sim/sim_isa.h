/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Copyright 2026 The nvsvm authors */
#ifndef __NVSVM_SIM_ISA_H__
#define __NVSVM_SIM_ISA_H__

#include <linux/types.h>

#include "../nvsvm_isa.h"

struct nvsvm_sim_isa_mem;

/*
 * NVSVM_SIM_MEM_FAULT: what a &struct nvsvm_sim_isa_mem_ops operation
 * returns when its access faulted.
 */
#define NVSVM_SIM_MEM_FAULT	1

/**
 * struct nvsvm_sim_isa_mem_ops - How the interpreter reaches memory
 *
 * Implemented by the SM and MMU layer, and by a fake in the tests. Every
 * operation returns 0, or %NVSVM_SIM_MEM_FAULT when the access faulted
 * (translation or permission): the memory layer has already reported the
 * fault, and the instruction will be retried once it is handled. An
 * operation that faults has no effect, on memory or on its outputs.
 *
 * The interpreter checks alignment before it calls an operation: @va is
 * always a multiple of the access size. Values are little-endian in memory.
 * The operations are called in process context from the thread running the
 * SM, with no lock held; they may sleep if their implementation needs to.
 */
struct nvsvm_sim_isa_mem_ops {
	/**
	 * @fetch: Read the 8-byte instruction word at @va into *@insn.
	 */
	int (*fetch)(struct nvsvm_sim_isa_mem *mem, u64 va, u64 *insn);
	/**
	 * @load: Read @size bytes (1, 2, 4 or 8) at @va into *@val,
	 * zero-extended.
	 */
	int (*load)(struct nvsvm_sim_isa_mem *mem, u64 va, unsigned int size,
		    u64 *val);
	/**
	 * @store: Write the low @size bytes (1, 2, 4 or 8) of @val at @va.
	 */
	int (*store)(struct nvsvm_sim_isa_mem *mem, u64 va, unsigned int size,
		     u64 val);
	/**
	 * @atomic: Atomically read the @size bytes (4 or 8) at @va into
	 * *@old, zero-extended, and update them as @op says. @op is one of
	 * the NVSVM_ISA_ATOM* operations, of the width @size names.
	 * @operand is the value to add, exchange or compare with (signed
	 * for MIN and MAX, at width @size); for CAS, @operand is stored if
	 * the old value equals @compare. For 4-byte operations @operand and
	 * @compare are already truncated to 32 bits.
	 */
	int (*atomic)(struct nvsvm_sim_isa_mem *mem, u64 va, unsigned int size,
		      u8 op, u64 operand, u64 compare, u64 *old);
};

/**
 * struct nvsvm_sim_isa_mem - A thread's view of memory
 *
 * Embed it in the memory layer's own context and get back to that with
 * container_of() in the operations.
 */
struct nvsvm_sim_isa_mem {
	/** @ops: The operations. */
	const struct nvsvm_sim_isa_mem_ops *ops;
};

/**
 * struct nvsvm_sim_isa_launch - What all threads of a launch share
 *
 * Immutable while the launch runs.
 */
struct nvsvm_sim_isa_launch {
	/** @entry: GPU VA of the first instruction, 8-byte aligned. */
	u64 entry;
	/** @param: GPU VA of the parameter block (S2R PARAM). */
	u64 param;
	/** @ntid: Threads per block. */
	u32 ntid;
	/** @nctaid: Blocks in the grid. */
	u32 nctaid;
};

/**
 * struct nvsvm_sim_isa_thread - The architectural state of one thread
 *
 * Everything the interpreter needs to stop a thread after any instruction
 * and resume it later, on any SM.
 */
struct nvsvm_sim_isa_thread {
	/** @regs: General registers r0-r31. */
	u64 regs[NVSVM_ISA_NUM_REGS];
	/** @pc: GPU VA of the next instruction to execute. */
	u64 pc;
	/** @tid: Thread index within its block. */
	u32 tid;
	/** @ctaid: Block index within the grid. */
	u32 ctaid;
	/** @exited: The thread executed EXIT. */
	bool exited;
};

/**
 * enum nvsvm_sim_isa_status - Why nvsvm_sim_isa_run() returned
 */
enum nvsvm_sim_isa_status {
	/**
	 * @NVSVM_SIM_ISA_BUDGET: The budget is used up; the thread can run
	 * on.
	 */
	NVSVM_SIM_ISA_BUDGET,
	/** @NVSVM_SIM_ISA_EXITED: The thread has executed EXIT. */
	NVSVM_SIM_ISA_EXITED,
	/**
	 * @NVSVM_SIM_ISA_FAULTED: An access faulted. The thread's registers
	 * and pc are as they were before the faulting instruction, so
	 * running the thread again retries it.
	 */
	NVSVM_SIM_ISA_FAULTED,
	/**
	 * @NVSVM_SIM_ISA_ERROR: The thread hit a fatal error, reported in
	 * the channel error code. Its registers are as before the failing
	 * instruction and its pc points at it.
	 */
	NVSVM_SIM_ISA_ERROR,
};

/**
 * struct nvsvm_sim_isa_insn - A decoded instruction
 *
 * Fields an operation does not use are zero.
 */
struct nvsvm_sim_isa_insn {
	/** @op: The operation, &enum nvsvm_isa_op. */
	u8 op;
	/** @rd: Destination register, 0-31. */
	u8 rd;
	/** @ra: First source register, 0-31. */
	u8 ra;
	/** @rb: Second source register, 0-31. */
	u8 rb;
	/** @imm: The immediate as encoded, not sign-extended. */
	u32 imm;
};

int nvsvm_sim_isa_decode(u64 word, struct nvsvm_sim_isa_insn *insn);
void nvsvm_sim_isa_thread_init(struct nvsvm_sim_isa_thread *t,
			       const struct nvsvm_sim_isa_launch *l,
			       u32 tid, u32 ctaid);
enum nvsvm_sim_isa_status
nvsvm_sim_isa_run(struct nvsvm_sim_isa_thread *t,
		  const struct nvsvm_sim_isa_launch *l, u32 smid,
		  struct nvsvm_sim_isa_mem *mem, unsigned int budget,
		  unsigned int *executed, u32 *error);

#endif /* __NVSVM_SIM_ISA_H__ */
