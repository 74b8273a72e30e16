/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Copyright 2026 The nvsvm authors */
#ifndef __NVSVM_REGS_H__
#define __NVSVM_REGS_H__

#include <linux/bits.h>

/**
 * DOC: Register map
 *
 * The GPU's register interface, as a driver sees it: 32-bit registers at
 * byte offsets in one register window (the BAR0 of a real board). This
 * header is the contract between the driver and any backend, the emulator
 * in sim/ or real hardware; docs/hardware.md describes it for readers.
 *
 * Reads of an offset no block decodes return %NVSVM_REG_BAD_VALUE with the
 * low 16 bits holding the offset's low bits; writes to it are ignored.
 *
 * Identity block (read-only, 0x000000-0x000fff):
 *
 * - %NVSVM_REG_BOOT0: architecture in bits 31:20, implementation in 19:0.
 *   A driver refuses an architecture it does not know.
 * - %NVSVM_REG_VRAM_MB: VRAM size in MiB.
 * - %NVSVM_REG_SM_COUNT, %NVSVM_REG_CE_COUNT: number of SMs and copy
 *   engines.
 * - %NVSVM_REG_VA_BITS: width of a GPU virtual address (48: GPU VA ==
 *   CPU VA).
 * - %NVSVM_REG_PAGE_SIZES: bit N set if the MMU maps pages of 1 << N bytes.
 */

#define NVSVM_REG_BOOT0			0x000000
#define   NVSVM_BOOT0_ARCH		GENMASK(31, 20)
#define   NVSVM_BOOT0_IMPL		GENMASK(19, 0)
#define   NVSVM_ARCH_SV10		0x510
#define NVSVM_REG_VRAM_MB		0x000010
#define NVSVM_REG_SM_COUNT		0x000020
#define NVSVM_REG_CE_COUNT		0x000024
#define NVSVM_REG_VA_BITS		0x000028
#define NVSVM_REG_PAGE_SIZES		0x00002c
#define NVSVM_REG_CHAN_COUNT		0x000030

/**
 * DOC: Interrupts
 *
 * The GPU has one interrupt line per block, like MSI-X vectors, named in
 * the platform device's IRQ resources: "fifo", "fault", "ce", "acc". Each
 * block has an INTR_STATUS register (write 1 to clear a bit) and an INTR_EN
 * register; a line is asserted while STATUS & EN is non-zero (level
 * triggered), so a handler that leaves a cause set is called again once
 * the line is unmasked.
 */
#define NVSVM_IRQ_FIFO			0
#define NVSVM_IRQ_FAULT			1
#define NVSVM_IRQ_CE			2
#define NVSVM_IRQ_ACC			3
#define NVSVM_IRQ_COUNT			4

/**
 * DOC: Memory addresses in registers
 *
 * A register pair (NAME_LO, NAME_HI) that holds a memory location carries the
 * aperture in bit 0 of LO (%NVSVM_ADDR_LO_SYSMEM), address bits 31:12 in
 * the rest of LO (bits 11:1 must be 0) and bits 63:32 in HI: the location
 * is 4 KiB aligned.
 */
#define NVSVM_ADDR_LO_SYSMEM		BIT(0)
#define NVSVM_ADDR_LO_ADDR		GENMASK(31, 12)

/**
 * DOC: Host (FIFO) and channels
 *
 * A channel is an instance block in memory and a slot of registers. The
 * instance block (4 KiB, see NVSVM_INST_*) holds the channel's page
 * directory base, the GPU VA and size of its GPFIFO ring, and GP_GET /
 * GP_PUT. To start a channel the driver writes the instance block, points
 * CHAN_INST at it and sets CHAN_CTRL_ENABLE. It then submits work by
 * writing GPFIFO entries, advancing GP_PUT in the instance block, and
 * writing the channel id to %NVSVM_REG_FIFO_DOORBELL. The host fetches the
 * entries and the push buffers they point to through the MMU (so both can
 * live anywhere the VM maps) and writes GP_GET back as it consumes entries.
 *
 * A channel that fails stops: CHAN_STATUS reports the error
 * (NVSVM_CHAN_ERROR_*), CHAN_ERROR_INFO a detail (the faulting VA, the
 * push buffer's VA for a malformed method, the failing instruction's VA for
 * an illegal instruction, a misaligned access or a division by zero), the
 * channel's bit is set in FIFO_ERROR and FIFO_INTR_STATUS_ERROR is raised.
 *
 * Writing CHAN_CTRL_RESET starts a reset and returns at once (no register
 * write waits for the GPU): CHAN_STATUS_RESETTING reads 1 until the
 * channel has abandoned its work (the grid in flight, a stalled fetch, an
 * acquire), no access of the channel is in flight any more, and every
 * translation the GPU cached for the channel's VM (the PDB of its instance
 * block) is dropped. The reset then clears the error, FIFO_ERROR's bit and
 * CHAN_CTRL_ENABLE, and RESETTING reads 0: the channel is idle. The driver
 * polls RESETTING with a bounded wait, and writes nothing else to the
 * channel meanwhile; writes to a resetting channel's registers, and its
 * doorbell, are ignored.
 *
 * The instance block's tag (%NVSVM_INST_TAG) is a value the driver
 * chooses; the GPU copies it into every fault-buffer entry of the
 * channel's accesses, and a targeted cancel names it, so that an entry
 * left in the ring by a channel that was freed is never taken for one of a
 * new channel at the same instance block.
 */
#define NVSVM_REG_FIFO_INTR_STATUS	0x002000
#define NVSVM_REG_FIFO_INTR_EN		0x002004
#define   NVSVM_FIFO_INTR_SEMAPHORE	BIT(0)	/* a release asked for an interrupt */
#define   NVSVM_FIFO_INTR_ERROR		BIT(1)	/* a channel stopped with an error */
#define NVSVM_REG_FIFO_DOORBELL		0x002008
#define NVSVM_REG_FIFO_ERROR(n)		(0x002010 + (n) * 4)	/* 32 channels a word */

#define NVSVM_REG_CHAN(ch)		(0x010000 + (ch) * 0x20)
#define NVSVM_REG_CHAN_INST_LO(ch)	(NVSVM_REG_CHAN(ch) + 0x00)
#define NVSVM_REG_CHAN_INST_HI(ch)	(NVSVM_REG_CHAN(ch) + 0x04)
#define NVSVM_REG_CHAN_CTRL(ch)		(NVSVM_REG_CHAN(ch) + 0x08)
#define   NVSVM_CHAN_CTRL_ENABLE	BIT(0)
#define   NVSVM_CHAN_CTRL_RESET		BIT(1)
#define NVSVM_REG_CHAN_STATUS(ch)	(NVSVM_REG_CHAN(ch) + 0x0c)
#define   NVSVM_CHAN_STATUS_ENABLED	BIT(0)
#define   NVSVM_CHAN_STATUS_BUSY	BIT(1)
#define   NVSVM_CHAN_STATUS_RESETTING	BIT(2)
#define   NVSVM_CHAN_STATUS_ERROR	GENMASK(15, 8)
#define NVSVM_REG_CHAN_ERROR_INFO_LO(ch)	(NVSVM_REG_CHAN(ch) + 0x10)
#define NVSVM_REG_CHAN_ERROR_INFO_HI(ch)	(NVSVM_REG_CHAN(ch) + 0x14)

/* Instance block layout: little-endian fields at byte offsets. */
#define NVSVM_INST_SIZE			4096
#define NVSVM_INST_PDB			0x00	/* u64, like a directory entry */
#define NVSVM_INST_GPFIFO_VA		0x08	/* u64, 16-byte aligned */
#define NVSVM_INST_GPFIFO_ENTRIES	0x10	/* u32, a power of 2, 2..65536 */
#define NVSVM_INST_GP_GET		0x18	/* u32, written by the GPU */
#define NVSVM_INST_GP_PUT		0x1c	/* u32, written by the driver */
#define NVSVM_INST_TAG			0x20	/* u32, the driver's; in fault entries */

/*
 * GPFIFO entry (16 bytes): u64 push buffer VA (4-byte aligned), u32 length
 * in dwords (1..NVSVM_GPFIFO_MAX_DWORDS), u32 flags (must be 0).
 */
#define NVSVM_GPFIFO_ENTRY_SIZE		16
#define NVSVM_GPFIFO_MAX_DWORDS		BIT(20)

/**
 * DOC: Push buffer methods
 *
 * A push buffer is a sequence of methods: a header dword, method in bits
 * 31:24 and the number of data dwords in 23:0, then the data. Methods
 * execute in order; each completes before the next starts, so a release
 * after a launch is seen only once the launch is done. A method the host
 * does not know, a wrong data count, or a header that runs past the end of
 * the push buffer fails the channel with %NVSVM_CHAN_ERROR_INVALID_METHOD.
 *
 * ================== ==== ===================================================
 * method             data meaning
 * ================== ==== ===================================================
 * NOP                any  nothing
 * SEMAPHORE_RELEASE  5    va lo, va hi, payload lo, payload hi, flags:
 *                         write the payload (32 or 64 bit) at va; raise
 *                         FIFO_INTR_SEMAPHORE if flags has INTR
 * SEMAPHORE_ACQUIRE  5    va lo, va hi, payload lo, payload hi, flags:
 *                         wait until the value at va equals the payload
 *                         (or is >= it, unsigned, with GEQ)
 * LAUNCH             6    code va lo, hi, param va lo, hi, blocks, threads
 *                         per block (1..1024): run a compute grid
 * COPY               6    src va lo, hi, dst va lo, hi, size lo, hi: copy
 *                         bytes through the MMU
 * FILL               5    dst va lo, hi, size lo, hi, value: fill with a
 *                         32-bit pattern; va and size 4-byte aligned
 * MEMBAR             0    no-op ordering point (methods are ordered anyway)
 * ================== ==== ===================================================
 */
#define NVSVM_METHOD(method, count)	((u32)(method) << 24 | (count))
#define NVSVM_METHOD_ID(hdr)		((hdr) >> 24)
#define NVSVM_METHOD_COUNT(hdr)		((hdr) & GENMASK(23, 0))
#define NVSVM_METHOD_NOP		0x00
#define NVSVM_METHOD_SEMAPHORE_RELEASE	0x01
#define NVSVM_METHOD_SEMAPHORE_ACQUIRE	0x02
#define NVSVM_METHOD_LAUNCH		0x03
#define NVSVM_METHOD_COPY		0x04
#define NVSVM_METHOD_FILL		0x05
#define NVSVM_METHOD_MEMBAR		0x06
#define   NVSVM_SEM_PAYLOAD_64		BIT(0)
#define   NVSVM_SEM_INTR		BIT(1)
#define   NVSVM_SEM_ACQUIRE_GEQ		BIT(2)

/**
 * DOC: Replayable fault buffer
 *
 * A ring of 32-byte entries in memory the driver provides (FAULT_BUF_LO/HI,
 * FAULT_BUF_SIZE entries, a power of 2; 0 disables it). The GPU writes an
 * entry at PUT and advances PUT; the driver reads entries from GET, clears
 * each entry's VALID bit and advances GET. The "fault" line is asserted
 * while GET != PUT or OVERFLOW is set (and FAULT_INTR_EN bit 0 is set).
 * When the ring is full the fault is dropped and OVERFLOW is set; the
 * access stays stalled, and replay raises it again.
 *
 * An access that faults stalls its warp (or the host fetch) with its state
 * saved. A warp reports one entry for each distinct 4 KiB page (and
 * access type) its faulting lanes touched in that instruction, all before
 * it stalls. Writing FAULT_REPLAY retries every stalled access (a warp
 * retries the lanes that faulted). Writing FAULT_CANCEL_TRIGGER fails the
 * stalled accesses of the instance block in FAULT_CANCEL_INST, with the
 * tag in FAULT_CANCEL_TAG, to the 4 KiB page in FAULT_CANCEL_VA: their
 * channel stops with %NVSVM_CHAN_ERROR_MMU_FAULT. A cancel naming a tag
 * the channel does not have fails nothing.
 *
 * Entry: u64 VA (of the access), u64 instance (a location as in "Memory
 * addresses in registers", LO/HI combined), u32 info, u32 tag (the
 * instance block's %NVSVM_INST_TAG when the channel's work was fetched),
 * u64 timestamp in ns.
 */
#define NVSVM_REG_FAULT_BUF_LO		0x003000
#define NVSVM_REG_FAULT_BUF_HI		0x003004
#define NVSVM_REG_FAULT_BUF_SIZE	0x003008
#define NVSVM_REG_FAULT_BUF_GET		0x00300c
#define NVSVM_REG_FAULT_BUF_PUT		0x003010
#define NVSVM_REG_FAULT_STATUS		0x003014
#define   NVSVM_FAULT_STATUS_OVERFLOW	BIT(0)	/* write 1 to clear */
#define NVSVM_REG_FAULT_INTR_EN		0x003018
#define NVSVM_REG_FAULT_REPLAY		0x003020
#define NVSVM_REG_FAULT_CANCEL_INST_LO	0x003024
#define NVSVM_REG_FAULT_CANCEL_INST_HI	0x003028
#define NVSVM_REG_FAULT_CANCEL_VA_LO	0x00302c
#define NVSVM_REG_FAULT_CANCEL_VA_HI	0x003030
#define NVSVM_REG_FAULT_CANCEL_TRIGGER	0x003034
#define NVSVM_REG_FAULT_CANCEL_TAG	0x003038

#define NVSVM_FAULT_ENTRY_SIZE		32
#define NVSVM_FAULT_INFO_ACCESS		GENMASK(1, 0)
#define NVSVM_FAULT_INFO_TYPE		GENMASK(3, 2)
#define NVSVM_FAULT_INFO_CLIENT		GENMASK(15, 8)
#define NVSVM_FAULT_INFO_VALID		BIT(31)
#define NVSVM_CLIENT_SM(n)		(n)	/* SMs are clients 0..63 */
#define NVSVM_CLIENT_HOST		0x40

/**
 * DOC: MMU invalidate
 *
 * Write the VM's PDB (a location as in "Memory addresses in registers"),
 * the range's first VA and size (0: the whole VM), then MMU_INV_TRIGGER.
 * The write returns at once and MMU_INV_STATUS_PENDING reads 1 until the
 * invalidate is complete: from then on no GPU access uses a translation of
 * the range cached before, and every access that used one has finished.
 * The driver polls PENDING with a bounded wait. One invalidate runs at a
 * time: a trigger while PENDING is set is ignored, and the PDB, VA and
 * SIZE registers must not be written meanwhile. An invalidate that does
 * not complete in time is the driver's to handle (resetting the VM's
 * channels, which drops the VM's translations, see CHAN_CTRL_RESET).
 */
#define NVSVM_REG_MMU_INV_PDB_LO	0x004000
#define NVSVM_REG_MMU_INV_PDB_HI	0x004004
#define NVSVM_REG_MMU_INV_VA_LO		0x004008
#define NVSVM_REG_MMU_INV_VA_HI		0x00400c
#define NVSVM_REG_MMU_INV_SIZE_LO	0x004010
#define NVSVM_REG_MMU_INV_SIZE_HI	0x004014
#define NVSVM_REG_MMU_INV_TRIGGER	0x004018
#define NVSVM_REG_MMU_INV_STATUS	0x00401c
#define   NVSVM_MMU_INV_STATUS_PENDING	BIT(0)

/**
 * DOC: Copy engine
 *
 * Physical copies and fills, for migration. The GPU has %NVSVM_REG_CE_COUNT
 * engines, independent of each other: engine n's registers are those
 * below at an offset of n * %NVSVM_CE_STRIDE (NVSVM_REG_CE(n, reg)), so
 * that one engine's failure or reset never touches another's work. They
 * share the "ce" interrupt line, asserted while any engine's
 * CE_INTR_STATUS & CE_INTR_EN is non-zero.
 *
 * Each engine runs a ring of 32-byte commands in memory (CE_RING_LO/HI,
 * CE_RING_SIZE entries, a power of 2), with CE_PUT written by the driver
 * and CE_GET by the engine. Writing CE_RING_SIZE empties the ring (GET =
 * PUT = 0). Commands run in order:
 *
 * - COPY: copy size bytes from src to dst; addresses and size 4 KiB
 *   aligned, size not 0.
 * - FILL: fill size bytes at dst with the 64-bit value in src; dst and
 *   size 4 KiB aligned, size not 0.
 * - SEMAPHORE: write the 64-bit payload in size at dst (8-byte aligned, in
 *   the aperture the DST flag names) once every earlier command is done;
 *   with the INTR flag, raise CE_INTR_STATUS_SEMAPHORE.
 * - COPY_LIST: copy every segment of the list at src (in SYSMEM with
 *   %NVSVM_CE_FLAG_LIST_SYSMEM, else VRAM; 32-byte aligned), size segments
 *   (1..%NVSVM_CE_LIST_MAX), in order. A segment (&NVSVM_CE_SEG_SIZE bytes)
 *   is u64 src, u64 dst, u64 size, u32 flags (%NVSVM_CE_FLAG_SRC_SYSMEM,
 *   %NVSVM_CE_FLAG_DST_SYSMEM; other bits must be 0), u32 reserved (0);
 *   each is checked like a COPY. The command's own SRC/DST flags are
 *   ignored. Migrating 512 scattered pages is one command.
 *
 * Command: u32 op, u32 flags (%NVSVM_CE_FLAG_*: apertures of src and dst,
 * INTR; other bits are ignored), u64 src, u64 dst, u64 size. A command
 * that fails (see CE_ERROR_CAUSE), or an unusable ring, stops the engine:
 * CE_INTR_STATUS_ERROR, CE_ERROR holds the ring index + 1, CE_ERROR_CAUSE
 * why, and for COPY_LIST CE_ERROR_SEGMENT the failing segment's index
 * (the segments before it are copied). Writing CE_RESET starts a reset and
 * returns at once: CE_STATUS_RESETTING reads 1 until the engine has
 * dropped what was pending (GET = PUT) and stopped the command in flight
 * (its destination may be partly written), then the error is cleared and
 * RESETTING reads 0. The driver polls it with a bounded wait.
 * CE_STATUS_BUSY reads 1 while the engine has commands to execute.
 */
#define NVSVM_REG_CE_RING_LO		0x006000
#define NVSVM_REG_CE_RING_HI		0x006004
#define NVSVM_REG_CE_RING_SIZE		0x006008
#define NVSVM_REG_CE_GET		0x00600c
#define NVSVM_REG_CE_PUT		0x006010
#define NVSVM_REG_CE_INTR_STATUS	0x006014
#define NVSVM_REG_CE_INTR_EN		0x006018
#define   NVSVM_CE_INTR_SEMAPHORE	BIT(0)
#define   NVSVM_CE_INTR_ERROR		BIT(1)
#define NVSVM_REG_CE_ERROR		0x00601c
#define NVSVM_REG_CE_RESET		0x006020
#define NVSVM_REG_CE_STATUS		0x006024
#define   NVSVM_CE_STATUS_BUSY		BIT(0)
#define   NVSVM_CE_STATUS_RESETTING	BIT(1)
#define NVSVM_REG_CE_ERROR_CAUSE	0x006028
#define   NVSVM_CE_ERROR_NONE		0
#define   NVSVM_CE_ERROR_BAD_COMMAND	1	/* unknown op, misalignment, size, flags */
#define   NVSVM_CE_ERROR_BUS		2	/* an address the GPU cannot reach, a wrap */
#define   NVSVM_CE_ERROR_NO_BACKING	3	/* VRAM backing store could not be allocated */
#define   NVSVM_CE_ERROR_RING		4	/* the ring is unusable */
#define   NVSVM_CE_ERROR_INJECTED	15	/* emulator fault injection only */
#define NVSVM_REG_CE_ERROR_SEGMENT	0x00602c

/* Engine n's copy of a CE register: NVSVM_REG_CE(1, NVSVM_REG_CE_PUT). */
#define NVSVM_CE_STRIDE			0x100
#define NVSVM_CE_MAX_ENGINES		16
#define NVSVM_REG_CE(n, reg)		((reg) + (n) * NVSVM_CE_STRIDE)

#define NVSVM_CE_CMD_SIZE		32
#define NVSVM_CE_OP_COPY		1
#define NVSVM_CE_OP_FILL		2
#define NVSVM_CE_OP_SEMAPHORE		3
#define NVSVM_CE_OP_COPY_LIST		4
#define NVSVM_CE_FLAG_SRC_SYSMEM	BIT(0)
#define NVSVM_CE_FLAG_DST_SYSMEM	BIT(1)
#define NVSVM_CE_FLAG_INTR		BIT(2)
#define NVSVM_CE_FLAG_LIST_SYSMEM	BIT(3)
#define NVSVM_CE_SEG_SIZE		32
#define NVSVM_CE_LIST_MAX		65536

#define NVSVM_REG_BAD_VALUE		0xbadf0000
#define   NVSVM_REG_BAD_MASK		GENMASK(15, 0)

/**
 * DOC: Memory apertures
 *
 * The GPU reaches two kinds of memory, named by an aperture wherever an
 * address is stored (page-table entries, instance blocks, ring bases):
 *
 * - %NVSVM_APER_VRAM: an offset into the GPU's own VRAM, below the size in
 *   %NVSVM_REG_VRAM_MB.
 * - %NVSVM_APER_SYSMEM: a DMA address the driver obtained by mapping system
 *   memory for the GPU's device (dma_map_page() and friends).
 *
 * An access outside VRAM, or to a DMA address that maps no memory, is a
 * bus error: it fails the access like an invalid PTE does.
 */
#define NVSVM_APER_VRAM			0
#define NVSVM_APER_SYSMEM		1

/**
 * DOC: Page tables
 *
 * Each VM has a 4-level radix page table over a 48-bit VA, 4 KiB base pages,
 * with 2 MiB pages at level 1. Every table is 4 KiB: 512 little-endian
 * 64-bit entries, 4 KiB aligned, in either aperture. The root's location
 * and aperture are the VM's page directory base (PDB).
 *
 * ===== ========== ==========================================
 * level VA bits    entry points to
 * ===== ========== ==========================================
 * 3     47:39      a level-2 table
 * 2     38:30      a level-1 table
 * 1     29:21      a level-0 table, or a 2 MiB page if %NVSVM_PTE_LARGE
 * 0     20:12      a 4 KiB page
 * ===== ========== ==========================================
 *
 * Entry bits, the same at every level (a directory entry uses VALID,
 * APERTURE and ADDR only, except LARGE at level 1; other bits must be 0):
 *
 * - %NVSVM_PTE_VALID: the entry is present. An access through an entry
 *   without it faults with %NVSVM_FAULT_TYPE_INVALID_PTE.
 * - %NVSVM_PTE_APERTURE: where ADDR points, %NVSVM_APER_VRAM or
 *   %NVSVM_APER_SYSMEM.
 * - %NVSVM_PTE_READ_ONLY: a write or atomic faults with
 *   %NVSVM_FAULT_TYPE_PROTECTION.
 * - %NVSVM_PTE_ATOMIC_DISABLE: an atomic faults with
 *   %NVSVM_FAULT_TYPE_ATOMIC_DISABLED (reads and writes are allowed).
 * - %NVSVM_PTE_LARGE: at level 1, the entry maps a 2 MiB page; ADDR must
 *   then be 2 MiB aligned.
 * - %NVSVM_PTE_ADDR: bits 51:12 of the address (a table, or the page).
 *
 * An entry with a reserved bit set, LARGE below level 1, or a misaligned
 * large-page address, faults with %NVSVM_FAULT_TYPE_INVALID_PTE: the MMU
 * checks every entry it walks, since page tables are driver data.
 *
 * The MMU caches translations in per-SM TLBs. After changing an entry that
 * may be cached, the driver must invalidate (%NVSVM_REG_MMU_INV_*): when
 * the invalidate completes no GPU access uses the old translation. The MMU
 * caches leaf translations only, never a directory entry, but a walk in
 * flight reads the tables: a table may be freed only after an invalidate
 * of its range has completed.
 */
#define NVSVM_PTE_VALID			BIT_ULL(0)
#define NVSVM_PTE_APERTURE		BIT_ULL(1)
#define NVSVM_PTE_READ_ONLY		BIT_ULL(2)
#define NVSVM_PTE_ATOMIC_DISABLE	BIT_ULL(3)
#define NVSVM_PTE_LARGE			BIT_ULL(4)
#define NVSVM_PTE_ADDR			GENMASK_ULL(51, 12)
#define NVSVM_PTE_RESERVED		(GENMASK_ULL(63, 52) | GENMASK_ULL(11, 5))

#define NVSVM_PT_LEVELS			4
#define NVSVM_PT_ENTRIES		512
#define NVSVM_PT_SHIFT(level)		(12 + 9 * (level))
#define NVSVM_VA_BITS			48

/**
 * DOC: Faults
 *
 * The kinds of access and of fault, as a fault-buffer entry reports them.
 */
#define NVSVM_ACCESS_READ		0
#define NVSVM_ACCESS_WRITE		1
#define NVSVM_ACCESS_ATOMIC		2
#define NVSVM_ACCESS_PREFETCH		3

#define NVSVM_FAULT_TYPE_INVALID_PTE	0
#define NVSVM_FAULT_TYPE_PROTECTION	1
#define NVSVM_FAULT_TYPE_ATOMIC_DISABLED	2

/**
 * DOC: Channel errors
 *
 * Why a channel stopped, as its error register reports it. A channel with
 * an error executes nothing more until the driver resets it.
 */
#define NVSVM_CHAN_ERROR_NONE			0
#define NVSVM_CHAN_ERROR_MMU_FAULT		1	/* an access was cancelled */
#define NVSVM_CHAN_ERROR_ILLEGAL_INSTRUCTION	2	/* the decoder rejected an instruction */
#define NVSVM_CHAN_ERROR_MISALIGNED		3	/* a load, store or atomic was misaligned */
#define NVSVM_CHAN_ERROR_ARITHMETIC		4	/* division by zero */
#define NVSVM_CHAN_ERROR_WATCHDOG		5	/* a launch ran too long */
#define NVSVM_CHAN_ERROR_INVALID_METHOD		6	/* the push buffer is malformed */
#define NVSVM_CHAN_ERROR_NO_BACKING		7	/* VRAM for a write could not be backed */

/**
 * DOC: Access counters
 *
 * The GPU counts its accesses to system memory, so that the driver learns
 * which pages are hot. Each access an SM or the host makes through the MMU
 * to a page whose PTE has %NVSVM_APER_SYSMEM (loads, stores, atomics and
 * instruction fetches; GPFIFO and push buffer reads, semaphores, COPY and
 * FILL, one access per page touched) adds one to the counter of its
 * region: the naturally aligned block of ACC_GRANULARITY bytes holding the
 * VA, in the accessing VM (told apart by PDB). Accesses to VRAM, and the
 * copy engine's physical transfers, are not counted. When a counter
 * reaches ACC_THRESHOLD, the GPU writes a notification and the counter
 * starts again from 0.
 *
 * Notifications go to a ring of 32-byte entries in memory the driver
 * provides (ACC_BUF_LO/HI, ACC_BUF_SIZE entries, a power of 2; another
 * value turns the ring off and reads 0; writing ACC_BUF_SIZE empties the
 * ring), run like the fault buffer: the GPU writes an entry at PUT and
 * advances PUT; the driver reads entries from GET, clears each entry's
 * VALID bit and advances GET. The "acc" line is asserted while GET != PUT
 * or OVERFLOW is set (and ACC_INTR_EN bit 0 is set). When the ring is full
 * (or off) the notification is dropped and OVERFLOW is set.
 *
 * - ACC_CTRL_ENABLE: count. While it is clear (the default) no access is
 *   counted and the MMU pays nothing for the block; counters keep their
 *   values.
 * - ACC_THRESHOLD: 1..65535, default 256; a write is clamped to that
 *   range. A counter already at or above a lowered threshold notifies at
 *   its region's next access.
 * - ACC_GRANULARITY: the region size, NVSVM_ACC_GRAN_*: 64 KiB (the
 *   default), 2 MiB, 16 MiB or 16 GiB; a write of another value is
 *   ignored. Writing it clears every counter.
 * - ACC_CLEAR: writing %NVSVM_ACC_CLEAR_ALL clears every counter.
 *
 * The counters are a cache of bounded size (256 in the emulator): a region
 * whose counter is evicted to make room for another's starts again from 0,
 * so a cold region may never notify. Accesses in flight while CLEAR or
 * GRANULARITY is written may be counted before or after it.
 *
 * Entry: u64 VA (the region's first byte), u64 instance (a location as in
 * "Memory addresses in registers", LO/HI combined), u32 count (the
 * counter's value when it reached the threshold), u32 info (client of the
 * access that reached it, VALID), u64 timestamp in ns.
 *
 * The instance is that of the channel whose access reached the threshold;
 * counters count per VM, whichever of its channels accesses a region.
 */
#define NVSVM_REG_ACC_BUF_LO		0x005000
#define NVSVM_REG_ACC_BUF_HI		0x005004
#define NVSVM_REG_ACC_BUF_SIZE		0x005008
#define NVSVM_REG_ACC_BUF_GET		0x00500c
#define NVSVM_REG_ACC_BUF_PUT		0x005010
#define NVSVM_REG_ACC_STATUS		0x005014
#define   NVSVM_ACC_STATUS_OVERFLOW	BIT(0)	/* write 1 to clear */
#define NVSVM_REG_ACC_INTR_EN		0x005018
#define NVSVM_REG_ACC_CTRL		0x00501c
#define   NVSVM_ACC_CTRL_ENABLE		BIT(0)
#define NVSVM_REG_ACC_THRESHOLD		0x005020
#define   NVSVM_ACC_THRESHOLD_MAX	0xffff
#define   NVSVM_ACC_THRESHOLD_DEFAULT	256
#define NVSVM_REG_ACC_GRANULARITY	0x005024
#define   NVSVM_ACC_GRAN_64K		0
#define   NVSVM_ACC_GRAN_2M		1
#define   NVSVM_ACC_GRAN_16M		2
#define   NVSVM_ACC_GRAN_16G		3
#define NVSVM_REG_ACC_CLEAR		0x005028
#define   NVSVM_ACC_CLEAR_ALL		BIT(0)

#define NVSVM_ACC_ENTRY_SIZE		32
#define NVSVM_ACC_INFO_CLIENT		GENMASK(15, 8)
#define NVSVM_ACC_INFO_VALID		BIT(31)

#endif /* __NVSVM_REGS_H__ */
