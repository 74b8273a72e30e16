/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Copyright 2026 The nvsvm authors */
#ifndef __NVSVM_SIM_ISA_H__
#define __NVSVM_SIM_ISA_H__

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/types.h>

#include "../nvsvm_isa.h"

struct nvsvm_sim_isa_mem;

/* Every lane of a warp. */
#define NVSVM_SIM_ISA_ALL_LANES	GENMASK(NVSVM_ISA_WARP_SIZE - 1, 0)

/*
 * NVSVM_SIM_ISA_MEM_FAULT: what &nvsvm_sim_isa_mem_ops.fetch returns when
 * the fetch did not complete.
 */
#define NVSVM_SIM_ISA_MEM_FAULT	1

/*
 * NVSVM_SIM_ISA_RETRY: a reason an access did not complete that is not a
 * fault: the memory layer must do something outside the interpreter (the
 * SMs: back a VRAM page) before the lane runs the instruction again. Any
 * other reason is a NVSVM_FAULT_TYPE_*.
 */
#define NVSVM_SIM_ISA_RETRY	0xff

/**
 * struct nvsvm_sim_isa_mem_ops - How the interpreter reaches memory
 *
 * Implemented by the SM and MMU layer, and by a fake in the tests. An
 * access either completes or has no effect at all, on memory or on its
 * outputs; an access that does not complete says why in @why: a
 * NVSVM_FAULT_TYPE_* or %NVSVM_SIM_ISA_RETRY. The operations never
 * report faults themselves: the caller of nvsvm_sim_isa_warp_run() does,
 * from the warp's fault list, once the interpreter has returned.
 *
 * The data operations work on the lanes of a mask, in ascending lane
 * order, each lane with its own address (va[lane]) and values. The
 * interpreter checks alignment before it calls one: every address is a
 * multiple of the access size. Values are little-endian in memory.
 *
 * The operations are called in process context from the thread running
 * the SM, with whatever the memory layer holds across the call of
 * nvsvm_sim_isa_warp_run() (the SM holds its MMU client's lock); they must
 * not sleep for long, and never allocate memory.
 */
struct nvsvm_sim_isa_mem_ops {
	/**
	 * @fetch: Read the 8-byte instruction word at @va into *@insn, for
	 * the whole warp (one access). On success, may set *@page to the
	 * first word of the 4 KiB page holding @va: the interpreter then
	 * reads later instructions of that page from there, without calling
	 * @fetch, until it returns. Return 0, or %NVSVM_SIM_ISA_MEM_FAULT
	 * with *@why set.
	 */
	int (*fetch)(struct nvsvm_sim_isa_mem *mem, u64 va, u64 *insn,
		     const __le64 **page, u8 *why);
	/**
	 * @load: For each lane of @lanes, read @size bytes (1, 2, 4 or 8)
	 * at va[lane] into val[lane], zero-extended. Return the lanes whose
	 * load did not complete: their val[lane] is untouched and why[lane]
	 * says why.
	 */
	u32 (*load)(struct nvsvm_sim_isa_mem *mem, u32 lanes, const u64 *va,
		    unsigned int size, u64 *val, u8 *why);
	/**
	 * @store: For each lane of @lanes, write the low @size bytes (1, 2,
	 * 4 or 8) of val[lane] at va[lane]. Return the lanes whose store did
	 * not complete, with why[lane] set.
	 */
	u32 (*store)(struct nvsvm_sim_isa_mem *mem, u32 lanes, const u64 *va,
		     unsigned int size, const u64 *val, u8 *why);
	/**
	 * @atomic: For each lane of @lanes, in ascending lane order,
	 * atomically read the @size bytes (4 or 8) at va[lane] into
	 * old[lane], zero-extended, and update them as @op says. @op is one
	 * of the NVSVM_ISA_ATOM* operations, of the width @size names.
	 * operand[lane] is the value to add, exchange or compare with (signed
	 * for MIN and MAX, at width @size); for CAS, operand[lane] is stored
	 * if the old value equals compare[lane]. For 4-byte operations the
	 * operands and compare values are already truncated to 32 bits.
	 * Return the lanes whose atomic did not complete, with why[lane] set.
	 */
	u32 (*atomic)(struct nvsvm_sim_isa_mem *mem, u32 lanes, const u64 *va,
		      unsigned int size, u8 op, const u64 *operand,
		      const u64 *compare, u64 *old, u8 *why);
};

/**
 * struct nvsvm_sim_isa_mem - A warp's view of memory
 *
 * Embed it in the memory layer's own context and get back to that with
 * container_of() in the operations. One runs one warp at a time.
 */
struct nvsvm_sim_isa_mem {
	/** @ops: The operations. */
	const struct nvsvm_sim_isa_mem_ops *ops;
	/**
	 * @yield: Non-zero while the memory layer wants the interpreter to
	 * return: it is tested before every instruction, and when set the
	 * call returns %NVSVM_SIM_ISA_BUDGET at that instruction boundary
	 * (the SMs: an invalidate waits for the lock they hold).
	 */
	const atomic_t *yield;
	/**
	 * @scratch: The interpreter's, for the per-lane arguments of the
	 * accesses it hands to @ops (off the stack, which would not hold
	 * them comfortably). The memory layer only reads them, through the
	 * arguments of its operations.
	 */
	struct {
		/** @scratch.va: Each lane's address. */
		u64 va[NVSVM_ISA_WARP_SIZE];
		/** @scratch.operand: Each lane's atomic operand. */
		u64 operand[NVSVM_ISA_WARP_SIZE];
		/** @scratch.compare: Each lane's compare value. */
		u64 compare[NVSVM_ISA_WARP_SIZE];
		/** @scratch.why: Why each lane's access did not complete. */
		u8 why[NVSVM_ISA_WARP_SIZE];
	} scratch;
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
 * struct nvsvm_sim_isa_fault - An access of a warp that did not complete
 */
struct nvsvm_sim_isa_fault {
	/** @va: Address of the first lane's access in the page. */
	u64 va;
	/** @access: NVSVM_ACCESS_*. */
	u8 access;
	/** @why: NVSVM_FAULT_TYPE_*, or %NVSVM_SIM_ISA_RETRY. */
	u8 why;
};

/**
 * struct nvsvm_sim_isa_warp - The architectural state of one warp
 *
 * Everything the interpreter needs to stop a warp after any instruction
 * and resume it later, on any SM: each lane's registers and pc, and which
 * lanes are live. The lanes whose pc is the lowest of the live lanes' are
 * the active ones, and run; the others wait (see the DOC of sim_isa.c).
 *
 * The registers are stored by register, then lane, so that an instruction
 * works on contiguous arrays.
 */
struct nvsvm_sim_isa_warp {
	/** @regs: General registers r0-r31 of each lane: regs[reg][lane]. */
	u64 regs[NVSVM_ISA_NUM_REGS][NVSVM_ISA_WARP_SIZE];
	/**
	 * @lane_pc: The pc of each live lane that is not active; an active
	 * lane's pc is @pc. Read a lane's with nvsvm_sim_isa_lane_pc().
	 */
	u64 lane_pc[NVSVM_ISA_WARP_SIZE];
	/** @pc: GPU VA of the active lanes' next instruction. */
	u64 pc;
	/** @wait_pc: The lowest pc of the live lanes not active, or U64_MAX. */
	u64 wait_pc;
	/** @live: The lanes that exist and have not exited. */
	u32 live;
	/** @active: The live lanes whose pc is @pc, the lowest. */
	u32 active;
	/** @tid: Thread index within the block of lane 0. */
	u32 tid;
	/** @ctaid: Block index within the grid. */
	u32 ctaid;
	/**
	 * @nfaults: Entries of @faults, after a call that returned
	 * %NVSVM_SIM_ISA_FAULTED; 0 after any other.
	 */
	u32 nfaults;
	/**
	 * @faults: The accesses that did not complete, one per distinct
	 * 4 KiB page and access type, in the order of the first lane to make
	 * each.
	 */
	struct nvsvm_sim_isa_fault faults[NVSVM_ISA_WARP_SIZE];
};

/**
 * enum nvsvm_sim_isa_status - Why nvsvm_sim_isa_warp_run() returned
 */
enum nvsvm_sim_isa_status {
	/**
	 * @NVSVM_SIM_ISA_BUDGET: The budget is used up, or the memory layer
	 * asked to yield; the warp can run on.
	 */
	NVSVM_SIM_ISA_BUDGET,
	/** @NVSVM_SIM_ISA_EXITED: Every lane has executed EXIT. */
	NVSVM_SIM_ISA_EXITED,
	/**
	 * @NVSVM_SIM_ISA_FAULTED: An access of some active lanes did not
	 * complete (a fetch: of all of them). Those lanes are the active
	 * ones now, as they were before the instruction, so running the
	 * warp again retries it for them alone; the lanes whose access
	 * completed have moved on. &nvsvm_sim_isa_warp.faults says what.
	 */
	NVSVM_SIM_ISA_FAULTED,
	/**
	 * @NVSVM_SIM_ISA_ERROR: An instruction failed, fatal to the launch,
	 * reported in the channel error code. No lane executed it: the
	 * active lanes' registers are as before it and &nvsvm_sim_isa_warp.pc
	 * points at it.
	 */
	NVSVM_SIM_ISA_ERROR,
};

/**
 * struct nvsvm_sim_isa_count - What one call of nvsvm_sim_isa_warp_run() did
 */
struct nvsvm_sim_isa_count {
	/**
	 * @insns: Instructions the warp executed (issued and completed by at
	 * least one lane), EXIT included.
	 */
	unsigned int insns;
	/** @lanes: Instructions its lanes completed: threads' instructions. */
	unsigned int lanes;
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

/**
 * nvsvm_sim_isa_lane_pc() - The pc of one live lane of a warp
 * @w: The warp.
 * @lane: The lane, 0 to %NVSVM_ISA_WARP_SIZE - 1.
 *
 * Return: the GPU VA of the lane's next instruction.
 */
static inline u64 nvsvm_sim_isa_lane_pc(const struct nvsvm_sim_isa_warp *w,
					unsigned int lane)
{
	return (w->active & BIT(lane)) ? w->pc : w->lane_pc[lane];
}

int nvsvm_sim_isa_decode(u64 word, struct nvsvm_sim_isa_insn *insn);
void nvsvm_sim_isa_warp_init(struct nvsvm_sim_isa_warp *w,
			     const struct nvsvm_sim_isa_launch *l,
			     u32 tid, u32 ctaid, u32 lanes);
enum nvsvm_sim_isa_status
nvsvm_sim_isa_warp_run(struct nvsvm_sim_isa_warp *w,
		       const struct nvsvm_sim_isa_launch *l, u32 smid,
		       struct nvsvm_sim_isa_mem *mem, unsigned int budget,
		       struct nvsvm_sim_isa_count *count, u32 *error);

#endif /* __NVSVM_SIM_ISA_H__ */
