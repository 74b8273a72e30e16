// SPDX-License-Identifier: MIT
/* Copyright 2026 The nvsvm authors */

/*
 * Host unit tests of the push buffer builder (nvsvm_push_*() in nvsvm.h).
 * No GPU needed. Prints one line per test case, "RESULT pass NAME" or
 * "RESULT fail NAME: WHY", and exits 1 if any case failed.
 *
 * The expected encodings are written out as literal dwords from the
 * hardware contract (docs/hardware.md, "Host and channels"), never built
 * with the library's macros, and checked byte by byte (the GPU reads push
 * buffers little-endian). The library's NVSVM_PUSH_* constants, the data
 * count of each method and the header layout are checked against the text
 * of the kernel's nvsvm_regs.h, so that a method or flag added there fails
 * here until the library and this file know it; the text of nvsvm.h is
 * read too, so that every NVSVM_PUSH_* constant it has is checked.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nvsvm.h"
#include "test_result.h"

#ifndef NVSVM_REGS_HEADER_PATH
#define NVSVM_REGS_HEADER_PATH	"../drm/nouveau-svm/nvsvm_regs.h"
#endif
#ifndef NVSVM_LIB_HEADER_PATH
#define NVSVM_LIB_HEADER_PATH	"lib/nvsvm.h"
#endif

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define SENTINEL	0xa5u	/* fills the bytes a method must not write */

/* ---- Checking a buffer ------------------------------------------------- */

/* The little-endian bytes of dword @i of @bytes. */
static uint32_t le_dword(const uint8_t *bytes, size_t i)
{
	const uint8_t *b = bytes + 4 * i;

	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	       (uint32_t)b[3] << 24;
}

/*
 * @buf (of @cap_bytes, sentinel-filled before the calls) must hold exactly
 * @want[0..@n) little-endian and be untouched after it, and @p must say
 * @n dwords, no overflow.
 */
static void expect_dwords(const char *what, const struct nvsvm_push *p, const uint8_t *buf,
			  size_t cap_bytes, const uint32_t *want, size_t n)
{
	size_t i;
	int end;

	if (p->overflow) {
		fail("%s: overflow set", what);
		return;
	}
	if (p->len != n) {
		fail("%s: len %u, want %zu", what, p->len, n);
		return;
	}
	end = nvsvm_push_end(p);
	if (end != (int)n) {
		fail("%s: nvsvm_push_end() returned %d, want %zu", what, end, n);
		return;
	}
	for (i = 0; i < n; i++) {
		if (le_dword(buf, i) != want[i]) {
			fail("%s: dword %zu is 0x%08x, want 0x%08x", what, i, le_dword(buf, i),
			     want[i]);
			return;
		}
	}
	for (i = 4 * n; i < cap_bytes; i++) {
		if (buf[i] != SENTINEL) {
			fail("%s: byte %zu past the end was written (0x%02x)", what, i, buf[i]);
			return;
		}
	}
}

/* ---- The methods ------------------------------------------------------- */

/*
 * One call of each builder method, with arguments whose halves and bytes
 * all differ, so that a swapped, truncated or misplaced field shows.
 */
enum method_call { M_NOP0, M_NOP3, M_RELEASE, M_RELEASE32, M_ACQUIRE, M_ACQUIRE_GEQ,
		   M_LAUNCH, M_COPY, M_FILL, M_MEMBAR };

static void call(struct nvsvm_push *p, enum method_call m)
{
	switch (m) {
	case M_NOP0:
		nvsvm_push_nop(p, 0);
		break;
	case M_NOP3:
		nvsvm_push_nop(p, 3);
		break;
	case M_RELEASE:
		nvsvm_push_sem_release(p, 0x00007f1234567898ull, 0xfedcba9876543210ull,
				       NVSVM_PUSH_SEM_PAYLOAD_64 | NVSVM_PUSH_SEM_INTR);
		break;
	case M_RELEASE32:
		nvsvm_push_sem_release(p, 0x0000000400000004ull, 0x00000000cafef00dull, 0);
		break;
	case M_ACQUIRE:
		nvsvm_push_sem_acquire(p, 0x00001122334455a8ull, 0x0123456789abcdefull,
				       NVSVM_PUSH_SEM_PAYLOAD_64);
		break;
	case M_ACQUIRE_GEQ:
		nvsvm_push_sem_acquire(p, 0x0000556677889900ull, 0x00000000000000ffull,
				       NVSVM_PUSH_SEM_ACQUIRE_GEQ);
		break;
	case M_LAUNCH:
		nvsvm_push_launch(p, 0x00007ffd11223340ull, 0x00007ffe55667780ull, 0x10203, 1024);
		break;
	case M_COPY:
		nvsvm_push_copy(p, 0x0000123400005000ull, 0x0000567800006000ull,
				0x0000000300001000ull);
		break;
	case M_FILL:
		nvsvm_push_fill(p, 0x00009abc0000d000ull, 0x0000000500000010ull, 0xdeadbeef);
		break;
	case M_MEMBAR:
		nvsvm_push_membar(p);
		break;
	}
}

static const struct method_case {
	const char *name;
	enum method_call call;
	size_t n;
	uint32_t want[8];	/* header, then data, as docs/hardware.md has them */
} method_cases[] = {
	{ "nop", M_NOP0, 1, { 0x00000000 } },
	{ "nop.data", M_NOP3, 4, { 0x00000003, 0, 0, 0 } },
	{ "sem_release", M_RELEASE, 6,
	  { 0x01000005, 0x34567898, 0x00007f12, 0x76543210, 0xfedcba98, 0x3 } },
	{ "sem_release.32", M_RELEASE32, 6,
	  { 0x01000005, 0x00000004, 0x00000004, 0xcafef00d, 0x00000000, 0x0 } },
	{ "sem_acquire", M_ACQUIRE, 6,
	  { 0x02000005, 0x334455a8, 0x00001122, 0x89abcdef, 0x01234567, 0x1 } },
	{ "sem_acquire.geq", M_ACQUIRE_GEQ, 6,
	  { 0x02000005, 0x77889900, 0x00005566, 0x000000ff, 0x00000000, 0x4 } },
	{ "launch", M_LAUNCH, 7,
	  { 0x03000006, 0x11223340, 0x00007ffd, 0x55667780, 0x00007ffe, 0x10203, 1024 } },
	{ "copy", M_COPY, 7,
	  { 0x04000006, 0x00005000, 0x00001234, 0x00006000, 0x00005678, 0x00001000,
	    0x00000003 } },
	{ "fill", M_FILL, 6,
	  { 0x05000005, 0x0000d000, 0x00009abc, 0x00000010, 0x00000005, 0xdeadbeef } },
	{ "membar", M_MEMBAR, 1, { 0x06000000 } },
};

/* A sentinel-filled buffer of @bytes (+8 so that @bytes may be 0). */
static uint8_t *new_buf(size_t bytes)
{
	uint8_t *buf = malloc(bytes + 8);

	if (!buf) {
		perror("test_push: malloc");
		exit(2);
	}
	memset(buf, SENTINEL, bytes + 8);
	return buf;
}

static void test_init(void)
{
	static const size_t sizes[] = { 0, 3, 4, 7, 64, 4098 };
	struct nvsvm_push p;
	uint8_t *buf;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		buf = new_buf(sizes[i]);
		memset(&p, 0x5a, sizeof(p));
		nvsvm_push_init(&p, buf, sizes[i]);
		if (p.dw != (uint32_t *)buf || p.len || p.overflow)
			fail("%zu bytes: init left dw %p len %u overflow %d", sizes[i],
			     (void *)p.dw, p.len, p.overflow);
		else if (p.cap != sizes[i] / 4)
			fail("%zu bytes: cap %u, want %zu dwords", sizes[i], p.cap, sizes[i] / 4);
		else if (nvsvm_push_end(&p) != 0)
			fail("%zu bytes: an empty push buffer ends with %d, want 0", sizes[i],
			     nvsvm_push_end(&p));
		free(buf);
	}
	/* nvsvm_push_end() returns an int: the capacity must not exceed it. */
	nvsvm_push_init(&p, NULL, (size_t)1 << 40);
	if (p.cap != INT32_MAX)
		fail("a 1 TiB buffer: cap %u dwords, want INT32_MAX", p.cap);
	result("push.init");
}

/* Each method alone, in a buffer of exactly its size and in a larger one. */
static void test_method(const struct method_case *mc)
{
	size_t slack;

	for (slack = 0; slack <= 8; slack += 8) {
		size_t bytes = 4 * mc->n + slack;
		uint8_t *buf = new_buf(bytes);
		struct nvsvm_push p;
		char what[64];

		nvsvm_push_init(&p, buf, bytes);
		call(&p, mc->call);
		snprintf(what, sizeof(what), "%s in %zu bytes", mc->name, bytes);
		expect_dwords(what, &p, buf, bytes, mc->want, mc->n);
		free(buf);
	}
	result("push.method.%s", mc->name);
}

/* Every method, one after another: concatenated, nothing in between. */
static void test_sequence(void)
{
	uint32_t want[64];
	size_t i, j, n = 0, bytes;
	struct nvsvm_push p;
	uint8_t *buf;

	for (i = 0; i < ARRAY_SIZE(method_cases); i++)
		for (j = 0; j < method_cases[i].n; j++)
			want[n++] = method_cases[i].want[j];
	bytes = 4 * n + 12;
	buf = new_buf(bytes);
	nvsvm_push_init(&p, buf, bytes);
	for (i = 0; i < ARRAY_SIZE(method_cases); i++)
		call(&p, method_cases[i].call);
	expect_dwords("all methods in a row", &p, buf, bytes, want, n);
	free(buf);
	result("push.sequence");
}

/*
 * A method that does not fit appends nothing, later methods (even ones
 * that would fit) append nothing either, and the end is -ENOSPC.
 */
static void test_overflow(const struct method_case *mc)
{
	size_t before, short_by;

	/* After a 1-dword MEMBAR, with room for all but 1..n dwords of mc. */
	for (before = 0; before <= 1; before++) {
		for (short_by = 1; short_by <= mc->n; short_by++) {
			size_t cap = before + mc->n - short_by, bytes = 4 * cap + 3;
			uint8_t *buf = new_buf(bytes);
			struct nvsvm_push p;
			size_t i;
			int end;

			nvsvm_push_init(&p, buf, bytes);
			if (before)
				nvsvm_push_membar(&p);
			call(&p, mc->call);
			end = nvsvm_push_end(&p);
			if (!p.overflow)
				fail("%s short by %zu dwords: overflow not set", mc->name,
				     short_by);
			else if (end != -ENOSPC)
				fail("%s short by %zu dwords: end returned %d, want -ENOSPC",
				     mc->name, short_by, end);
			else if (p.len != before)
				fail("%s short by %zu dwords: len %u, want %zu", mc->name,
				     short_by, p.len, before);
			else if (before && le_dword(buf, 0) != 0x06000000)
				fail("%s: the method before the overflow was changed", mc->name);
			for (i = 4 * before; i < bytes && !why[0]; i++)
				if (buf[i] != SENTINEL)
					fail("%s short by %zu dwords: byte %zu was written",
					     mc->name, short_by, i);
			if (why[0]) {
				free(buf);
				break;
			}
			/* A method that would fit in what is left appends nothing. */
			if (cap > p.len) {
				nvsvm_push_membar(&p);
				if (p.len != before || nvsvm_push_end(&p) != -ENOSPC ||
				    buf[4 * before] != SENTINEL)
					fail("%s: a MEMBAR after the overflow was appended "
					     "(len %u, end %d)", mc->name, p.len,
					     nvsvm_push_end(&p));
			}
			free(buf);
		}
	}
	result("push.overflow.%s", mc->name);
}

/* Counts that could wrap the room computation, and the header's 24 bits. */
static void test_nop_limits(void)
{
	const uint32_t big = 0xffffff;		/* the most a header can count */
	size_t bytes = 4 * ((size_t)big + 2);
	struct nvsvm_push p;
	uint8_t *buf;
	int end;

	buf = new_buf(64);
	nvsvm_push_init(&p, buf, 64);
	nvsvm_push_nop(&p, UINT32_MAX);
	if (!p.overflow || p.len || buf[0] != SENTINEL)
		fail("nop(UINT32_MAX) in 16 dwords: overflow %d len %u", p.overflow, p.len);
	nvsvm_push_init(&p, buf, 64);
	nvsvm_push_nop(&p, UINT32_MAX - 1);
	if (!p.overflow || p.len)
		fail("nop(UINT32_MAX - 1) in 16 dwords: overflow %d len %u", p.overflow,
		     p.len);
	nvsvm_push_init(&p, buf, 64);
	nvsvm_push_nop(&p, 16);		/* 17 dwords in 16 */
	if (!p.overflow || p.len)
		fail("nop(16) in 16 dwords: overflow %d len %u", p.overflow, p.len);
	nvsvm_push_init(&p, buf, 64);
	nvsvm_push_nop(&p, 15);		/* exactly 16 */
	if (p.overflow || p.len != 16 || le_dword(buf, 0) != 15)
		fail("nop(15) in 16 dwords: overflow %d len %u header 0x%08x", p.overflow,
		     p.len, le_dword(buf, 0));
	free(buf);

	/*
	 * A NOP whose count does not fit the header's 24 bits must not spill
	 * into the method field (0x01000000 would be a SEMAPHORE_RELEASE), even
	 * with room for it in the buffer.
	 */
	buf = malloc(bytes);
	if (!buf) {
		fail("cannot allocate %zu bytes", bytes);
	} else {
		nvsvm_push_init(&p, buf, bytes);
		nvsvm_push_nop(&p, big);
		end = nvsvm_push_end(&p);
		if (end != (int)big + 1 || le_dword(buf, 0) != 0x00ffffff)
			fail("nop(0xffffff): end %d, header 0x%08x; want %d, 0x00ffffff", end,
			     le_dword(buf, 0), (int)big + 1);
		nvsvm_push_init(&p, buf, bytes);
		buf[0] = SENTINEL;
		nvsvm_push_nop(&p, big + 1);
		end = nvsvm_push_end(&p);
		if (end != -ENOSPC || p.len)
			fail("nop(0x1000000) with room for it: end %d, len %u, header 0x%08x; "
			     "want -ENOSPC and nothing appended", end, p.len, le_dword(buf, 0));
		free(buf);
	}
	result("push.nop_limits");
}

/* ---- nvsvm_regs.h, read as text ---------------------------------------- */

/* The whole file at @path, NUL-terminated, or NULL. */
static char *read_file(const char *path)
{
	size_t cap = 4096, n = 0, got;
	char *buf = NULL, *p;
	FILE *f;

	f = fopen(path, "rb");
	if (!f)
		return NULL;
	for (;;) {
		p = realloc(buf, cap + 1);
		if (!p) {
			free(buf);
			fclose(f);
			errno = ENOMEM;
			return NULL;
		}
		buf = p;
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (n < cap)
			break;
		cap *= 2;
	}
	fclose(f);
	buf[n] = '\0';
	return buf;
}

/* The line after the one @line is in, or NULL. */
static const char *next_line(const char *line)
{
	line = strchr(line, '\n');
	return line ? line + 1 : NULL;
}

/*
 * The rest of the line after "#define @macro" (spaces and tabs skipped)
 * in @text, up to @size bytes into @body. Returns false if not defined.
 */
static bool define_body(const char *text, const char *macro, char *body, size_t size)
{
	const char *line, *s;
	size_t len;

	for (line = text; line; line = next_line(line)) {
		s = line;
		while (*s == ' ' || *s == '\t')
			s++;
		if (strncmp(s, "#define", 7))
			continue;
		s += 7;
		while (*s == ' ' || *s == '\t')
			s++;
		if (strncmp(s, macro, strlen(macro)))
			continue;
		s += strlen(macro);
		if (*s != ' ' && *s != '\t')
			continue;
		while (*s == ' ' || *s == '\t')
			s++;
		for (len = 0; s[len] && s[len] != '\n' && len < size - 1; len++)
			;
		memcpy(body, s, len);
		body[len] = '\0';
		return true;
	}
	return false;
}

struct define {
	char name[64];		/* after the prefix */
	char value[64];		/* the text, e.g. "0x03" or "BIT(2)" */
};

/*
 * The object-like "#define <prefix>NAME VALUE" lines of @text (not the
 * function-like ones), up to @max; returns how many.
 */
static size_t parse_defines(const char *text, const char *prefix, struct define *out,
			    size_t max)
{
	size_t n = 0, plen = strlen(prefix);
	const char *line;

	for (line = text; line && *line; line = next_line(line)) {
		const char *s = line, *name;
		size_t len;

		while (*s == ' ' || *s == '\t')
			s++;
		if (strncmp(s, "#define", 7))
			continue;
		s += 7;
		while (*s == ' ' || *s == '\t')
			s++;
		if (strncmp(s, prefix, plen))
			continue;
		name = s + plen;
		for (len = 0; (name[len] >= 'A' && name[len] <= 'Z') ||
			      (name[len] >= '0' && name[len] <= '9') || name[len] == '_'; len++)
			;
		if (name[len] == '(' || len == 0 || len >= sizeof(out->name))
			continue;	/* a macro with arguments */
		if (n == max)
			return max + 1;
		memcpy(out[n].name, name, len);
		out[n].name[len] = '\0';
		s = name + len;
		while (*s == ' ' || *s == '\t')
			s++;
		for (len = 0; s[len] && s[len] != '\n' && s[len] != '\t' && s[len] != ' ' &&
			      len < sizeof(out->value) - 1; len++)
			;
		memcpy(out[n].value, s, len);
		out[n].value[len] = '\0';
		n++;
	}
	return n;
}

/* The value of a define's text: a number, or BIT(n). -1 if neither. */
static long define_value(const char *text)
{
	char *end;
	long v;

	if (!strncmp(text, "BIT(", 4)) {
		v = strtol(text + 4, &end, 0);
		return end != text + 4 && !strcmp(end, ")") && v >= 0 && v < 32 ? 1L << v : -1;
	}
	v = strtol(text, &end, 0);
	return end != text && !*end ? v : -1;
}

static const struct {
	const char *name;	/* after NVSVM_METHOD_ and NVSVM_PUSH_METHOD_ */
	unsigned int value;	/* the library's */
	enum method_call call;	/* a call that emits it */
} lib_methods[] = {
	{ "NOP", NVSVM_PUSH_METHOD_NOP, M_NOP3 },
	{ "SEMAPHORE_RELEASE", NVSVM_PUSH_METHOD_SEMAPHORE_RELEASE, M_RELEASE },
	{ "SEMAPHORE_ACQUIRE", NVSVM_PUSH_METHOD_SEMAPHORE_ACQUIRE, M_ACQUIRE },
	{ "LAUNCH", NVSVM_PUSH_METHOD_LAUNCH, M_LAUNCH },
	{ "COPY", NVSVM_PUSH_METHOD_COPY, M_COPY },
	{ "FILL", NVSVM_PUSH_METHOD_FILL, M_FILL },
	{ "MEMBAR", NVSVM_PUSH_METHOD_MEMBAR, M_MEMBAR },
};

static const struct {
	const char *name;	/* after NVSVM_SEM_ and NVSVM_PUSH_SEM_ */
	unsigned int value;
} lib_sem_flags[] = {
	{ "PAYLOAD_64", NVSVM_PUSH_SEM_PAYLOAD_64 },
	{ "INTR", NVSVM_PUSH_SEM_INTR },
	{ "ACQUIRE_GEQ", NVSVM_PUSH_SEM_ACQUIRE_GEQ },
};

/*
 * The data count of each method in the "DOC: Push buffer methods" table:
 * rows " * NAME  COUNT  meaning", COUNT a number or "any" (-1). Returns the
 * count for @name, or -2 if the table has no row for it.
 */
static int doc_count(const char *text, const char *name)
{
	const char *doc = strstr(text, "DOC: Push buffer methods"), *end, *line;

	if (!doc)
		return -2;
	end = strstr(doc, "*/");
	for (line = doc; line && (!end || line < end); line = next_line(line)) {
		char row_name[64], count[16];
		char *e;
		long v;

		if (sscanf(line, " * %63[A-Z_0-9] %15s", row_name, count) != 2 ||
		    strcmp(row_name, name))
			continue;
		if (!strcmp(count, "any"))
			return -1;
		v = strtol(count, &e, 10);
		if (e != count && !*e && v >= 0 && v < 64)
			return (int)v;
	}
	return -2;
}

/*
 * Every NVSVM_PUSH_METHOD_* and NVSVM_PUSH_SEM_* constant nvsvm.h defines
 * is in this file's tables, so that test_header() compares it with the
 * kernel's.
 */
static void test_lib_header(void)
{
	struct define defs[64];
	size_t n, i, j;
	char *text;

	text = read_file(NVSVM_LIB_HEADER_PATH);
	if (!text) {
		fail("cannot read %s: %s", NVSVM_LIB_HEADER_PATH, strerror(errno));
		result("push.lib_header");
		return;
	}
	n = parse_defines(text, "NVSVM_PUSH_METHOD_", defs, ARRAY_SIZE(defs));
	if (n == 0 || n > ARRAY_SIZE(defs))
		fail("found %zu NVSVM_PUSH_METHOD_* defines in %s", n, NVSVM_LIB_HEADER_PATH);
	for (i = 0; i < n && !why[0]; i++) {
		for (j = 0; j < ARRAY_SIZE(lib_methods); j++)
			if (!strcmp(lib_methods[j].name, defs[i].name))
				break;
		if (j == ARRAY_SIZE(lib_methods))
			fail("nvsvm.h defines NVSVM_PUSH_METHOD_%s, which this test does not "
			     "check", defs[i].name);
	}
	n = parse_defines(text, "NVSVM_PUSH_SEM_", defs, ARRAY_SIZE(defs));
	if (!why[0] && (n == 0 || n > ARRAY_SIZE(defs)))
		fail("found %zu NVSVM_PUSH_SEM_* defines in %s", n, NVSVM_LIB_HEADER_PATH);
	for (i = 0; i < n && !why[0]; i++) {
		for (j = 0; j < ARRAY_SIZE(lib_sem_flags); j++)
			if (!strcmp(lib_sem_flags[j].name, defs[i].name))
				break;
		if (j == ARRAY_SIZE(lib_sem_flags))
			fail("nvsvm.h defines NVSVM_PUSH_SEM_%s, which this test does not check",
			     defs[i].name);
	}
	free(text);
	result("push.lib_header");
}

static void test_header(void)
{
	struct define defs[64];
	char body[128];
	size_t n, i, j;
	char *text;

	text = read_file(NVSVM_REGS_HEADER_PATH);
	if (!text) {
		fail("cannot read %s: %s", NVSVM_REGS_HEADER_PATH, strerror(errno));
		result("push.header.methods");
		result("push.header.sem_flags");
		result("push.header.counts");
		result("push.header.layout");
		return;
	}

	/* Every NVSVM_METHOD_* of the header is the library's, and back. */
	n = parse_defines(text, "NVSVM_METHOD_", defs, ARRAY_SIZE(defs));
	if (n == 0 || n > ARRAY_SIZE(defs))
		fail("found %zu NVSVM_METHOD_* defines in %s", n, NVSVM_REGS_HEADER_PATH);
	for (i = 0; i < n && !why[0]; i++) {
		long v = define_value(defs[i].value);

		for (j = 0; j < ARRAY_SIZE(lib_methods); j++)
			if (!strcmp(lib_methods[j].name, defs[i].name))
				break;
		if (j == ARRAY_SIZE(lib_methods))
			fail("NVSVM_METHOD_%s (%s) has no NVSVM_PUSH_METHOD_%s in nvsvm.h "
			     "(or this test does not know it)", defs[i].name, defs[i].value,
			     defs[i].name);
		else if (v < 0 || (unsigned long)v != lib_methods[j].value)
			fail("NVSVM_METHOD_%s is %s, NVSVM_PUSH_METHOD_%s is 0x%02x",
			     defs[i].name, defs[i].value, defs[i].name, lib_methods[j].value);
	}
	for (j = 0; j < ARRAY_SIZE(lib_methods) && !why[0]; j++) {
		for (i = 0; i < n; i++)
			if (!strcmp(lib_methods[j].name, defs[i].name))
				break;
		if (i == n)
			fail("NVSVM_PUSH_METHOD_%s has no NVSVM_METHOD_%s in the header",
			     lib_methods[j].name, lib_methods[j].name);
	}
	result("push.header.methods");

	n = parse_defines(text, "NVSVM_SEM_", defs, ARRAY_SIZE(defs));
	if (n == 0 || n > ARRAY_SIZE(defs))
		fail("found %zu NVSVM_SEM_* defines in %s", n, NVSVM_REGS_HEADER_PATH);
	for (i = 0; i < n && !why[0]; i++) {
		long v = define_value(defs[i].value);

		for (j = 0; j < ARRAY_SIZE(lib_sem_flags); j++)
			if (!strcmp(lib_sem_flags[j].name, defs[i].name))
				break;
		if (j == ARRAY_SIZE(lib_sem_flags))
			fail("NVSVM_SEM_%s (%s) has no NVSVM_PUSH_SEM_%s in nvsvm.h",
			     defs[i].name, defs[i].value, defs[i].name);
		else if (v < 0 || (unsigned long)v != lib_sem_flags[j].value)
			fail("NVSVM_SEM_%s is %s, NVSVM_PUSH_SEM_%s is 0x%x", defs[i].name,
			     defs[i].value, defs[i].name, lib_sem_flags[j].value);
	}
	for (j = 0; j < ARRAY_SIZE(lib_sem_flags) && !why[0]; j++) {
		for (i = 0; i < n; i++)
			if (!strcmp(lib_sem_flags[j].name, defs[i].name))
				break;
		if (i == n)
			fail("NVSVM_PUSH_SEM_%s has no NVSVM_SEM_%s in the header",
			     lib_sem_flags[j].name, lib_sem_flags[j].name);
	}
	result("push.header.sem_flags");

	/* What the builder emits for each method: its id and data count. */
	for (j = 0; j < ARRAY_SIZE(lib_methods) && !why[0]; j++) {
		int want = doc_count(text, lib_methods[j].name);
		uint32_t buf[16];
		struct nvsvm_push p;

		if (want == -2) {
			fail("no row for %s in the DOC: Push buffer methods table",
			     lib_methods[j].name);
			break;
		}
		nvsvm_push_init(&p, buf, sizeof(buf));
		call(&p, lib_methods[j].call);
		if (p.overflow || p.len == 0) {
			fail("%s: the builder emitted nothing", lib_methods[j].name);
		} else if (le_dword((uint8_t *)buf, 0) >> 24 != lib_methods[j].value) {
			fail("%s: header 0x%08x, want method 0x%02x", lib_methods[j].name,
			     le_dword((uint8_t *)buf, 0), lib_methods[j].value);
		} else if ((le_dword((uint8_t *)buf, 0) & 0xffffff) != p.len - 1) {
			fail("%s: header counts %u data dwords, %u written", lib_methods[j].name,
			     le_dword((uint8_t *)buf, 0) & 0xffffff, p.len - 1);
		} else if (want >= 0 && p.len - 1 != (uint32_t)want) {
			fail("%s: %u data dwords, the header's table says %d",
			     lib_methods[j].name, p.len - 1, want);
		}
	}
	result("push.header.counts");

	/*
	 * The header layout: NVSVM_METHOD(method, count) is "method << 24 |
	 * count", with NVSVM_METHOD_COUNT() the low 24 bits, as
	 * NVSVM_PUSH_HEADER() must be.
	 */
	if (!define_body(text, "NVSVM_METHOD(method, count)", body, sizeof(body)) ||
	    strcmp(body, "((u32)(method) << 24 | (count))"))
		fail("NVSVM_METHOD(method, count) is not ((u32)(method) << 24 | (count))");
	else if (!define_body(text, "NVSVM_METHOD_ID(hdr)", body, sizeof(body)) ||
		 strcmp(body, "((hdr) >> 24)"))
		fail("NVSVM_METHOD_ID(hdr) is not ((hdr) >> 24)");
	else if (!define_body(text, "NVSVM_METHOD_COUNT(hdr)", body, sizeof(body)) ||
		 strcmp(body, "((hdr) & GENMASK(23, 0))"))
		fail("NVSVM_METHOD_COUNT(hdr) is not ((hdr) & GENMASK(23, 0))");
	else if (NVSVM_PUSH_HEADER(0x7f, 0xabcdef) != 0x7fabcdefu ||
		 NVSVM_PUSH_HEADER(NVSVM_PUSH_METHOD_LAUNCH, 6) != 0x03000006u)
		fail("NVSVM_PUSH_HEADER(0x7f, 0xabcdef) is 0x%08x, want 0x7fabcdef",
		     NVSVM_PUSH_HEADER(0x7f, 0xabcdef));
	result("push.header.layout");
	free(text);
}

int main(void)
{
	size_t i;

	test_init();
	for (i = 0; i < ARRAY_SIZE(method_cases); i++)
		test_method(&method_cases[i]);
	test_sequence();
	for (i = 0; i < ARRAY_SIZE(method_cases); i++)
		test_overflow(&method_cases[i]);
	test_nop_limits();
	test_header();
	test_lib_header();

	fprintf(stderr, "test_push: %u passed, %u failed\n", nr_pass, nr_fail);
	return nr_fail ? 1 : 0;
}
