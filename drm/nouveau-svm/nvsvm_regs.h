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

#define NVSVM_REG_BAD_VALUE		0xbadf0000
#define   NVSVM_REG_BAD_MASK		GENMASK(15, 0)

#endif /* __NVSVM_REGS_H__ */
