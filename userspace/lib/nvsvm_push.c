// SPDX-License-Identifier: MIT
/* Copyright 2026 The nvsvm authors */

/*
 * Push buffer builder: methods encoded as the host reads them, little
 * endian, into memory the caller provides (typically a mapped BO).
 */

#include <endian.h>
#include <errno.h>

#include "nvsvm.h"

void nvsvm_push_init(struct nvsvm_push *p, void *buf, size_t bytes)
{
	p->dw = buf;
	p->len = 0;
	/* At most INT32_MAX dwords, so that nvsvm_push_end() can count them. */
	p->cap = bytes / 4 > INT32_MAX ? INT32_MAX : bytes / 4;
	p->overflow = 0;
}

/* Append a method of @count data dwords; @data may be NULL for zeroes. */
static void push_method(struct nvsvm_push *p, uint32_t method,
			const uint32_t *data, uint32_t count)
{
	uint32_t i;

	/* A count beyond the header's 24 bits would spill into the method. */
	if (p->overflow || count > 0xffffff || count > p->cap - p->len ||
	    p->cap - p->len - count < 1) {
		p->overflow = 1;
		return;
	}
	p->dw[p->len++] = htole32(NVSVM_PUSH_HEADER(method, count));
	for (i = 0; i < count; i++)
		p->dw[p->len++] = htole32(data ? data[i] : 0);
}

static void push_va_va(struct nvsvm_push *p, uint32_t method, uint64_t a,
		       uint64_t b, uint32_t c, uint32_t d, uint32_t count)
{
	uint32_t data[6] = {
		(uint32_t)a, (uint32_t)(a >> 32),
		(uint32_t)b, (uint32_t)(b >> 32),
		c, d,
	};

	push_method(p, method, data, count);
}

void nvsvm_push_nop(struct nvsvm_push *p, uint32_t count)
{
	push_method(p, NVSVM_PUSH_METHOD_NOP, NULL, count);
}

void nvsvm_push_sem_release(struct nvsvm_push *p, uint64_t va, uint64_t payload,
			    uint32_t flags)
{
	push_va_va(p, NVSVM_PUSH_METHOD_SEMAPHORE_RELEASE, va, payload, flags, 0, 5);
}

void nvsvm_push_sem_acquire(struct nvsvm_push *p, uint64_t va, uint64_t payload,
			    uint32_t flags)
{
	push_va_va(p, NVSVM_PUSH_METHOD_SEMAPHORE_ACQUIRE, va, payload, flags, 0, 5);
}

void nvsvm_push_launch(struct nvsvm_push *p, uint64_t code_va, uint64_t param_va,
		       uint32_t blocks, uint32_t threads)
{
	push_va_va(p, NVSVM_PUSH_METHOD_LAUNCH, code_va, param_va, blocks, threads, 6);
}

void nvsvm_push_copy(struct nvsvm_push *p, uint64_t src_va, uint64_t dst_va,
		     uint64_t size)
{
	push_va_va(p, NVSVM_PUSH_METHOD_COPY, src_va, dst_va,
		   (uint32_t)size, (uint32_t)(size >> 32), 6);
}

void nvsvm_push_fill(struct nvsvm_push *p, uint64_t dst_va, uint64_t size,
		     uint32_t value)
{
	push_va_va(p, NVSVM_PUSH_METHOD_FILL, dst_va, size, value, 0, 5);
}

void nvsvm_push_membar(struct nvsvm_push *p)
{
	push_method(p, NVSVM_PUSH_METHOD_MEMBAR, NULL, 0);
}

int nvsvm_push_end(const struct nvsvm_push *p)
{
	return p->overflow ? -ENOSPC : (int)p->len;
}
