/* SPDX-License-Identifier: MIT */
/* Copyright 2026 The nvsvm authors */
#ifndef NVSVM_ASM_H
#define NVSVM_ASM_H

/*
 * The assembler for the nvsvm compute ISA (docs/isa.md describes the
 * language and the instructions). It needs no GPU and no libdrm.
 */

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Assemble @src (NUL-terminated text).
 *
 * On success returns 0, sets *code to a malloc'd array of *count instruction
 * words (host byte order; the GPU reads them as little-endian 64-bit words)
 * that the caller frees. *code is non-NULL even when *count is 0.
 *
 * On failure returns a negative errno: -EINVAL for bad source, -ENOMEM when
 * out of memory. *code is set to NULL and *count to 0, and if @err is
 * non-NULL and @errlen non-zero, a NUL-terminated message is written into it
 * (truncated to @errlen bytes): "line N: what is wrong" for an error in the
 * source (N counts from 1), or a message without a line for anything else.
 * Only the first error is reported.
 */
int nvsvm_assemble(const char *src, uint64_t **code, size_t *count, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif /* NVSVM_ASM_H */
