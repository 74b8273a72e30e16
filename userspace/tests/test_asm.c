// SPDX-License-Identifier: MIT
/* Copyright 2026 The nvsvm authors */

/*
 * Host unit tests of the assembler: nvsvm_assemble() and the nvsvm-as tool.
 * No GPU needed. Prints one line per test case, "RESULT pass NAME" or
 * "RESULT fail NAME: WHY", and exits 1 if any case failed.
 *
 * The expected words are built with NVSVM_ISA_ENCODE() from the header's
 * constants, never with the assembler's tables, and the list of operations
 * is checked against the text of nvsvm_isa.h so that an operation added
 * there fails here until the assembler and this file know it.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nvsvm_asm.h"
#include "nvsvm_isa.h"
#include "test_result.h"

#ifndef NVSVM_AS_PATH
#define NVSVM_AS_PATH		"build/nvsvm-as"
#endif
#ifndef NVSVM_ISA_HEADER_PATH
#define NVSVM_ISA_HEADER_PATH	"../drm/nouveau-svm/nvsvm_isa.h"
#endif
#ifndef NVSVM_ISA_DOC_PATH
#define NVSVM_ISA_DOC_PATH	"../docs/isa.md"
#endif

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define ENC(op, rd, ra, rb, imm)	NVSVM_ISA_ENCODE(op, rd, ra, rb, imm)

/* ---- Reporting (test_result.h) ------------------------------------------ */

/* @s for a message: newlines shown as \n, cut short if long. */
static const char *show(const char *s)
{
	static char buf[2][160];
	static int which;
	char *out = buf[which ^= 1];
	size_t n = 0;

	for (; *s && n < sizeof(buf[0]) - 5; s++) {
		if (*s == '\n') {
			out[n++] = '\\';
			out[n++] = 'n';
		} else {
			out[n++] = *s;
		}
	}
	if (*s)
		n += snprintf(out + n, sizeof(buf[0]) - n, "...");
	out[n] = '\0';
	return out;
}

/* ---- Assembling --------------------------------------------------------- */

/* Assemble @src; on failure record why and return false. */
static bool assemble(const char *src, uint64_t **code, size_t *count)
{
	char err[256];
	int ret;

	ret = nvsvm_assemble(src, code, count, err, sizeof(err));
	if (ret) {
		fail("\"%s\" failed to assemble (%d): %s", show(src), ret, err);
		return false;
	}
	if (!*code) {
		fail("\"%s\": success with a NULL code array", show(src));
		return false;
	}
	return true;
}

/* @src must assemble to exactly @want[0..@n). */
static void expect_code(const char *src, const uint64_t *want, size_t n)
{
	uint64_t *code;
	size_t count, i;

	if (!assemble(src, &code, &count))
		return;
	if (count != n) {
		fail("\"%s\": %zu words, want %zu", show(src), count, n);
	} else {
		for (i = 0; i < n; i++) {
			if (code[i] != want[i]) {
				fail("\"%s\": word %zu is 0x%016" PRIx64 ", want 0x%016" PRIx64,
				     show(src), i, code[i], want[i]);
				break;
			}
		}
	}
	free(code);
}

#define EXPECT(src, ...) do {						\
	const uint64_t want_[] = { __VA_ARGS__ };			\
	expect_code(src, want_, ARRAY_SIZE(want_));			\
} while (0)

/* @src must fail with -EINVAL and "line @line: ..." mentioning @what. */
static void expect_error(const char *src, unsigned int line, const char *what)
{
	uint64_t sentinel, *code = &sentinel;	/* must be cleared on failure */
	size_t count = 1;
	char err[256], prefix[32];
	int ret;

	ret = nvsvm_assemble(src, &code, &count, err, sizeof(err));
	if (ret != -EINVAL) {
		fail("\"%s\" returned %d, want -EINVAL", show(src), ret);
		if (!ret)
			free(code);
		return;
	}
	snprintf(prefix, sizeof(prefix), "line %u: ", line);
	if (code || count)
		fail("\"%s\": failure left *code or *count set", show(src));
	else if (strncmp(err, prefix, strlen(prefix)))
		fail("\"%s\": message \"%s\" does not start with \"%s\"", show(src), err, prefix);
	else if (!strstr(err, what))
		fail("\"%s\": message \"%s\" does not say \"%s\"", show(src), err, what);
}

/* ---- The operations, from the header's constants ---------------------- */

enum test_form {
	T_NONE, T_RRR, T_RRI, T_SHIFTI, T_MOVI, T_MOVHI, T_S2R,
	T_LOAD, T_STORE, T_ATOM, T_BRA, T_BRZ,
};

static const struct op_case {
	const char *name;	/* without NVSVM_ISA_ */
	unsigned int op;
	enum test_form form;
} ops[] = {
#define OP(name, form)	{ #name, NVSVM_ISA_##name, form }
	OP(NOP, T_NONE), OP(EXIT, T_NONE),
	OP(ADD, T_RRR), OP(SUB, T_RRR), OP(MUL, T_RRR), OP(DIVU, T_RRR), OP(REMU, T_RRR),
	OP(AND, T_RRR), OP(OR, T_RRR), OP(XOR, T_RRR), OP(SHL, T_RRR), OP(SHR, T_RRR),
	OP(SAR, T_RRR), OP(MIN, T_RRR), OP(MAX, T_RRR), OP(MINU, T_RRR), OP(MAXU, T_RRR),
	OP(SEQ, T_RRR), OP(SNE, T_RRR), OP(SLT, T_RRR), OP(SLTU, T_RRR),
	OP(ADDI, T_RRI), OP(MULI, T_RRI), OP(ANDI, T_RRI), OP(ORI, T_RRI), OP(XORI, T_RRI),
	OP(SHLI, T_SHIFTI), OP(SHRI, T_SHIFTI), OP(SARI, T_SHIFTI),
	OP(MOVI, T_MOVI), OP(MOVHI, T_MOVHI), OP(S2R, T_S2R),
	OP(LD8, T_LOAD), OP(LD16, T_LOAD), OP(LD32, T_LOAD), OP(LD64, T_LOAD),
	OP(ST8, T_STORE), OP(ST16, T_STORE), OP(ST32, T_STORE), OP(ST64, T_STORE),
	OP(ATOMADD32, T_ATOM), OP(ATOMEXCH32, T_ATOM), OP(ATOMCAS32, T_ATOM),
	OP(ATOMMIN32, T_ATOM), OP(ATOMMAX32, T_ATOM), OP(ATOMMINU32, T_ATOM),
	OP(ATOMMAXU32, T_ATOM),
	OP(ATOMADD64, T_ATOM), OP(ATOMEXCH64, T_ATOM), OP(ATOMCAS64, T_ATOM),
	OP(ATOMMIN64, T_ATOM), OP(ATOMMAX64, T_ATOM), OP(ATOMMINU64, T_ATOM),
	OP(ATOMMAXU64, T_ATOM),
	OP(BRA, T_BRA), OP(BEQZ, T_BRZ), OP(BNEZ, T_BRZ),
#undef OP
};

static void lower(char *dst, const char *src, size_t size)
{
	size_t i;

	for (i = 0; src[i] && i < size - 1; i++)
		dst[i] = src[i] >= 'A' && src[i] <= 'Z' ? src[i] - 'A' + 'a' : src[i];
	dst[i] = '\0';
}

#define SRC(...)	(snprintf(src, sizeof(src), __VA_ARGS__), src)

/* Every form of @oc against NVSVM_ISA_ENCODE(). */
static void test_op(const struct op_case *oc)
{
	unsigned int op = oc->op;
	char m[32], src[128];

	lower(m, oc->name, sizeof(m));
	switch (oc->form) {
	case T_NONE:
		EXPECT(SRC("%s", m), ENC(op, 0, 0, 0, 0));
		break;
	case T_RRR:
		EXPECT(SRC("%s r1, r2, r31", m), ENC(op, 1, 2, 31, 0));
		EXPECT(SRC("%s r0, r0, r0", m), ENC(op, 0, 0, 0, 0));
		break;
	case T_RRI:
		EXPECT(SRC("%s r3, r4, -5", m), ENC(op, 3, 4, 0, -5));
		EXPECT(SRC("%s r31, r30, 0x7fffffff", m), ENC(op, 31, 30, 0, 0x7fffffff));
		EXPECT(SRC("%s r1, r1, -2147483648", m), ENC(op, 1, 1, 0, 0x80000000));
		break;
	case T_SHIFTI:
		EXPECT(SRC("%s r3, r4, 63", m), ENC(op, 3, 4, 0, 63));
		EXPECT(SRC("%s r3, r4, 0", m), ENC(op, 3, 4, 0, 0));
		break;
	case T_MOVI:
		EXPECT(SRC("%s r5, -2147483648", m), ENC(op, 5, 0, 0, 0x80000000));
		EXPECT(SRC("%s r5, 2147483647", m), ENC(op, 5, 0, 0, 0x7fffffff));
		break;
	case T_MOVHI:
		EXPECT(SRC("%s r6, 0xdeadbeef", m), ENC(op, 6, 0, 0, 0xdeadbeef));
		EXPECT(SRC("%s r6, -1", m), ENC(op, 6, 0, 0, 0xffffffff));
		EXPECT(SRC("%s r6, -2147483648", m), ENC(op, 6, 0, 0, 0x80000000));
		break;
	case T_S2R:
		EXPECT(SRC("%s r7, gtid", m), ENC(op, 7, 0, 0, NVSVM_ISA_SREG_GTID));
		EXPECT(SRC("%s r7, tid", m), ENC(op, 7, 0, 0, NVSVM_ISA_SREG_TID));
		break;
	case T_LOAD:
		EXPECT(SRC("%s r8, [r9+16]", m), ENC(op, 8, 9, 0, 16));
		EXPECT(SRC("%s r8, [r9-8]", m), ENC(op, 8, 9, 0, -8));
		EXPECT(SRC("%s r8, [r9]", m), ENC(op, 8, 9, 0, 0));
		EXPECT(SRC("%s r8, [r9+0x7fffffff]", m), ENC(op, 8, 9, 0, 0x7fffffff));
		EXPECT(SRC("%s r8, [r9-0x80000000]", m), ENC(op, 8, 9, 0, 0x80000000));
		break;
	case T_STORE:
		EXPECT(SRC("%s [r10-8], r11", m), ENC(op, 0, 10, 11, -8));
		EXPECT(SRC("%s [r10], r11", m), ENC(op, 0, 10, 11, 0));
		EXPECT(SRC("%s [r10+0x1000], r0", m), ENC(op, 0, 10, 0, 0x1000));
		break;
	case T_ATOM:
		EXPECT(SRC("%s r12, [r13], r14", m), ENC(op, 12, 13, 14, 0));
		break;
	case T_BRA:
		EXPECT(SRC("%s 5", m), ENC(op, 0, 0, 0, 5));
		EXPECT(SRC("%s -1", m), ENC(op, 0, 0, 0, -1));
		break;
	case T_BRZ:
		EXPECT(SRC("%s r15, -2", m), ENC(op, 0, 15, 0, -2));
		EXPECT(SRC("%s r15, 0", m), ENC(op, 0, 15, 0, 0));
		break;
	}
	result("asm.op.%s", m);
}

/* ---- The header, read as text ----------------------------------------- */

struct enum_entry {
	char name[64];		/* after the prefix */
	long value;
};

/* The whole file at @path, NUL-terminated (its length in *@len if @len), or NULL. */
static char *read_file(const char *path, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = NULL, *p;
	FILE *f;

	f = fopen(path, "rb");
	if (!f)
		return NULL;
	for (;;) {
		p = realloc(buf, cap);
		if (!p)
			goto fail;
		buf = p;
		n += fread(buf + n, 1, cap - n - 1, f);
		if (n < cap - 1)
			break;
		cap *= 2;
	}
	if (ferror(f))
		goto fail;
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;

fail:
	fclose(f);
	free(buf);
	return NULL;
}

/*
 * The "PREFIXNAME = VALUE," lines of "enum @tag {" in @text, into @out (at
 * most @max). Returns how many, or -1 if the enum is not there.
 */
static int parse_enum(const char *text, const char *tag, const char *prefix,
		      struct enum_entry *out, int max)
{
	char open[64], fmt[64];
	const char *p, *end;
	int n = 0;

	snprintf(open, sizeof(open), "enum %s {", tag);
	p = strstr(text, open);
	if (!p)
		return -1;
	end = strstr(p, "};");
	if (!end)
		return -1;
	snprintf(fmt, sizeof(fmt), "%s%%63[A-Z0-9_] = %%li ,", prefix);
	for (p = strchr(p, '\n'); p && p < end && n < max; p = strchr(p + 1, '\n')) {
		/* Not sscanf's " ", which would skip blank lines too. */
		const char *line = p + 1 + strspn(p + 1, "\t ");

		if (sscanf(line, fmt, out[n].name, &out[n].value) == 2)
			n++;
	}
	return n;
}

/* The operations in the header are exactly those of ops[], and assemble. */
static void test_header_ops(void)
{
	struct enum_entry hdr[256];
	char *text, m[32], err[256];
	size_t i, count;
	uint64_t *code;
	int n, j, ret;

	text = read_file(NVSVM_ISA_HEADER_PATH, NULL);
	if (!text) {
		fail("cannot read %s: %s", NVSVM_ISA_HEADER_PATH, strerror(errno));
		goto out;
	}
	n = parse_enum(text, "nvsvm_isa_op", "NVSVM_ISA_", hdr, ARRAY_SIZE(hdr));
	free(text);
	if (n <= 0) {
		fail("no enum nvsvm_isa_op found in %s", NVSVM_ISA_HEADER_PATH);
		goto out;
	}
	for (j = 0; j < n; j++) {
		for (i = 0; i < ARRAY_SIZE(ops); i++)
			if (!strcmp(ops[i].name, hdr[j].name))
				break;
		if (i == ARRAY_SIZE(ops)) {
			fail("NVSVM_ISA_%s is in nvsvm_isa.h but not in this test's ops[]",
			     hdr[j].name);
		} else if (ops[i].op != (unsigned long)hdr[j].value) {
			fail("NVSVM_ISA_%s: the header text says %#lx, the constant is %#x",
			     hdr[j].name, hdr[j].value, ops[i].op);
		}

		/* With no operands: a complaint about them, not about the name. */
		lower(m, hdr[j].name, sizeof(m));
		ret = nvsvm_assemble(m, &code, &count, err, sizeof(err));
		if (!ret)
			free(code);
		else if (strstr(err, "unknown mnemonic"))
			fail("the assembler does not know '%s' (NVSVM_ISA_%s)", m, hdr[j].name);
	}
	if ((size_t)n != ARRAY_SIZE(ops))
		fail("nvsvm_isa.h has %d operations, this test's ops[] %zu", n, ARRAY_SIZE(ops));
out:
	result("asm.ops-match-header");
}

/* Every special register of the header, by its lowercased name. */
static void test_header_sregs(void)
{
	struct enum_entry hdr[32];
	char *text, src[96], m[32];
	int n, j;

	text = read_file(NVSVM_ISA_HEADER_PATH, NULL);
	if (!text) {
		fail("cannot read %s: %s", NVSVM_ISA_HEADER_PATH, strerror(errno));
		goto out;
	}
	n = parse_enum(text, "nvsvm_isa_sreg", "NVSVM_ISA_SREG_", hdr, ARRAY_SIZE(hdr));
	free(text);
	if (n != NVSVM_ISA_SREG_COUNT)
		fail("nvsvm_isa.h lists %d special registers, NVSVM_ISA_SREG_COUNT is %d", n,
		     NVSVM_ISA_SREG_COUNT);
	for (j = 0; j < n; j++) {
		lower(m, hdr[j].name, sizeof(m));
		EXPECT(SRC("s2r r9, %s", m), ENC(NVSVM_ISA_S2R, 9, 0, 0, hdr[j].value));
		EXPECT(SRC("s2r r9, %.63s", hdr[j].name),
		       ENC(NVSVM_ISA_S2R, 9, 0, 0, hdr[j].value));
	}
out:
	result("asm.sregs-match-header");
}

/* Names that are not operations must not assemble as one. */
static void test_unknown_mnemonics(void)
{
	static const char *const names[] = {
		"mov", "div", "rem", "neg", "not", "sgt", "ld", "st", "ld128", "st128",
		"atomadd", "atomcas", "atomsub32", "atomand64", "beq", "bne", "jmp", "call",
		"ret", "bar", "sync", "halt", "nvsvm_isa_add", "add32",
	};
	char src[64];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		expect_error(SRC("%s r1, r2, r3", names[i]), 1, "unknown mnemonic");
	result("asm.unknown-mnemonics");
}

/* ---- Labels -------------------------------------------------------------- */

static void test_labels(void)
{
	const unsigned int bra = NVSVM_ISA_BRA, beqz = NVSVM_ISA_BEQZ, bnez = NVSVM_ISA_BNEZ;
	const unsigned int nop = NVSVM_ISA_NOP, exit_ = NVSVM_ISA_EXIT;

	EXPECT("top: nop\n addi r1, r1, 1\n bnez r1, top\n",
	       ENC(nop, 0, 0, 0, 0), ENC(NVSVM_ISA_ADDI, 1, 1, 0, 1), ENC(bnez, 0, 1, 0, -3));
	result("asm.label.backward");

	EXPECT("\tbeqz r1, done\n\tnop\n\tnop\ndone:\texit\n",
	       ENC(beqz, 0, 1, 0, 2), ENC(nop, 0, 0, 0, 0), ENC(nop, 0, 0, 0, 0),
	       ENC(exit_, 0, 0, 0, 0));
	result("asm.label.forward");

	EXPECT("spin: bra spin", ENC(bra, 0, 0, 0, -1));
	EXPECT("bra next\nnext: exit", ENC(bra, 0, 0, 0, 0), ENC(exit_, 0, 0, 0, 0));
	result("asm.label.self-and-next");

	/* Labels alone on a line, several on a line, and one at the very end. */
	EXPECT("a:\nb: c: nop\n\n# comment\nd :\n bra a\n bra b\n bra c\n bra d\n bra end\nend:\n",
	       ENC(nop, 0, 0, 0, 0), ENC(bra, 0, 0, 0, -2), ENC(bra, 0, 0, 0, -3),
	       ENC(bra, 0, 0, 0, -4), ENC(bra, 0, 0, 0, -4), ENC(bra, 0, 0, 0, 0));
	result("asm.label.placement");

	/* li of a large value is two words: the labels after it count both. */
	EXPECT("bra x\n li r1, 0x100000000\n li r2, 1\nx: bra x\n bra x\n",
	       ENC(bra, 0, 0, 0, 3), ENC(NVSVM_ISA_MOVI, 1, 0, 0, 0),
	       ENC(NVSVM_ISA_MOVHI, 1, 0, 0, 1), ENC(NVSVM_ISA_MOVI, 2, 0, 0, 1),
	       ENC(bra, 0, 0, 0, -1), ENC(bra, 0, 0, 0, -2));
	result("asm.label.after-li");

	/* Names: dots, underscores, digits; case matters; any word may be one. */
	EXPECT(".L1_x.y: nop\n_a9: bra .L1_x.y\nLoop: nop\nloop: bra Loop\nexit: bra exit\n"
	       "r1: bnez r1, r1\n",
	       ENC(nop, 0, 0, 0, 0), ENC(bra, 0, 0, 0, -2), ENC(nop, 0, 0, 0, 0),
	       ENC(bra, 0, 0, 0, -2), ENC(bra, 0, 0, 0, -1), ENC(bnez, 0, 1, 0, -1));
	result("asm.label.names");
}

/* ---- li -------------------------------------------------------------------- */

/* What MOVI and MOVHI leave in the register they write (nvsvm_isa.h). */
static uint64_t run_movs(const uint64_t *code, size_t count)
{
	uint64_t r = 0x5a5a5a5a5a5a5a5a;	/* whatever was there */
	size_t i;

	for (i = 0; i < count; i++) {
		if (NVSVM_ISA_OP(code[i]) == NVSVM_ISA_MOVI)
			r = (uint64_t)(int64_t)(int32_t)NVSVM_ISA_IMM(code[i]);
		else if (NVSVM_ISA_OP(code[i]) == NVSVM_ISA_MOVHI)
			r = (r & 0xffffffff) | (uint64_t)NVSVM_ISA_IMM(code[i]) << 32;
	}
	return r;
}

static void test_li(void)
{
	static const struct {
		const char *text;
		uint64_t value;
		unsigned int words;
	} cases[] = {
		{ "0", 0, 1 },
		{ "1", 1, 1 },
		{ "-1", UINT64_MAX, 1 },
		{ "2147483647", 0x7fffffff, 1 },
		{ "-2147483648", 0xffffffff80000000, 1 },
		{ "0xffffffff80000000", 0xffffffff80000000, 1 },
		{ "0xffffffffffffffff", UINT64_MAX, 1 },
		{ "18446744073709551615", UINT64_MAX, 1 },
		{ "0x80000000", 0x80000000, 2 },
		{ "0xffffffff", 0xffffffff, 2 },
		{ "-2147483649", 0xffffffff7fffffff, 2 },
		{ "0x100000000", 0x100000000, 2 },
		{ "0x123456789abcdef0", 0x123456789abcdef0, 2 },
		{ "-9223372036854775808", 0x8000000000000000, 2 },
		{ "0x8000000000000000", 0x8000000000000000, 2 },
		{ "0x7fffffffffffffff", 0x7fffffffffffffff, 2 },
	};
	uint32_t lo, hi;
	uint64_t *code;
	char src[64];
	size_t count, i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		lo = (uint32_t)cases[i].value;
		hi = (uint32_t)(cases[i].value >> 32);
		if (cases[i].words == 1)
			EXPECT(SRC("li r4, %s", cases[i].text), ENC(NVSVM_ISA_MOVI, 4, 0, 0, lo));
		else
			EXPECT(SRC("li r4, %s", cases[i].text), ENC(NVSVM_ISA_MOVI, 4, 0, 0, lo),
			       ENC(NVSVM_ISA_MOVHI, 4, 0, 0, hi));
		if (assemble(src, &code, &count)) {
			if (run_movs(code, count) != cases[i].value)
				fail("li %s leaves 0x%016" PRIx64 " in the register", cases[i].text,
				     run_movs(code, count));
			free(code);
		}
		result("asm.li.%s", cases[i].text);
	}

	expect_error("li r1, 0x10000000000000000", 1, "does not fit in 64 bits");
	expect_error("li r1, 18446744073709551616", 1, "does not fit in 64 bits");
	expect_error("li r1, -9223372036854775809", 1,
		     "out of range (-9223372036854775808..18446744073709551615)");
	expect_error("li r1", 1, "'li' takes 2 operands (li rd, imm64), got 1");
	result("asm.li.errors");
}

/* ---- Source text ---------------------------------------------------------- */

static void test_syntax(void)
{
	const unsigned int nop = NVSVM_ISA_NOP, exit_ = NVSVM_ISA_EXIT;
	uint64_t *code;
	size_t count;

	EXPECT("# a comment\n// another\nnop # trailing\nexit// trailing\naddi r1, r2, 5#c\n",
	       ENC(nop, 0, 0, 0, 0), ENC(exit_, 0, 0, 0, 0), ENC(NVSVM_ISA_ADDI, 1, 2, 0, 5));
	EXPECT("nop # comments may say anything: h\xc3\xa9, [r99+, 0x, foo:\n",
	       ENC(nop, 0, 0, 0, 0));
	result("asm.syntax.comments");

	EXPECT("\n\n   \n\t\n\tnop\n\n \t \n", ENC(nop, 0, 0, 0, 0));
	result("asm.syntax.blank-lines");

	EXPECT("  add\tr1 ,r2,\tr3  \n", ENC(NVSVM_ISA_ADD, 1, 2, 3, 0));
	EXPECT("ld32 r1,[ r2 + 4 ]", ENC(NVSVM_ISA_LD32, 1, 2, 0, 4));
	EXPECT("st8 [r2 -0x10] , r3", ENC(NVSVM_ISA_ST8, 0, 2, 3, -16));
	EXPECT("atomcas64 r1 , [ r2 ] , r3", ENC(NVSVM_ISA_ATOMCAS64, 1, 2, 3, 0));
	result("asm.syntax.whitespace");

	EXPECT("nop\r\nexit\r\n", ENC(nop, 0, 0, 0, 0), ENC(exit_, 0, 0, 0, 0));
	EXPECT("exit", ENC(exit_, 0, 0, 0, 0));
	result("asm.syntax.line-endings");

	EXPECT("ADD R1, R2, R3\nS2R r1, TID\nLd64 r1, [R2+8]\nBRA -1",
	       ENC(NVSVM_ISA_ADD, 1, 2, 3, 0), ENC(NVSVM_ISA_S2R, 1, 0, 0, NVSVM_ISA_SREG_TID),
	       ENC(NVSVM_ISA_LD64, 1, 2, 0, 8), ENC(NVSVM_ISA_BRA, 0, 0, 0, -1));
	result("asm.syntax.case");

	EXPECT("addi r1, r2, 0X7FFFFFFF\naddi r1, r2, +5\naddi r1, r2, -0\nmovi r1, 0x0\n"
	       "movi r1, 007",
	       ENC(NVSVM_ISA_ADDI, 1, 2, 0, 0x7fffffff), ENC(NVSVM_ISA_ADDI, 1, 2, 0, 5),
	       ENC(NVSVM_ISA_ADDI, 1, 2, 0, 0), ENC(NVSVM_ISA_MOVI, 1, 0, 0, 0),
	       ENC(NVSVM_ISA_MOVI, 1, 0, 0, 7));
	result("asm.syntax.immediates");

	if (assemble("", &code, &count)) {
		if (count)
			fail("\"\" gives %zu words", count);
		free(code);
	}
	if (assemble("# nothing\n\n", &code, &count)) {
		if (count)
			fail("a comment gives %zu words", count);
		free(code);
	}
	result("asm.syntax.empty-program");
}

/* ---- Errors ------------------------------------------------------------------ */

static void test_errors(void)
{
	expect_error("nop\nfoo r1\n", 2, "unknown mnemonic 'foo'");
	expect_error("loop nop", 1, "unknown mnemonic 'loop'");
	expect_error("add,r1, r2, r3", 1, "expected a space after 'add'");
	expect_error("5: nop", 1, "expected a label or a mnemonic, got '5: nop'");
	result("asm.error.unknown-mnemonic");

	expect_error("nop\nnop\nadd r1, r2\n", 3, "'add' takes 3 operands (add rd, ra, rb), got 2");
	expect_error("exit r1", 1, "'exit' takes no operands, got 1");
	expect_error("bra a, b", 1, "'bra' takes 1 operand (bra target), got 2");
	expect_error("add r1, r2, r3,", 1, "got 4");
	expect_error("st32 r1", 1, "'st32' takes 2 operands (st32 [ra+imm], rb), got 1");
	expect_error("add r1, , r3", 1, "'add' operand 2 is empty");
	result("asm.error.operand-count");

	expect_error("add r1, r2, 5", 1, "'add' operand 3: expected a register, got '5'");
	expect_error("addi r1, r2, r3", 1, "'addi' operand 3: expected an immediate, got 'r3'");
	expect_error("ld32 r1, r2", 1, "'ld32' operand 2: expected a memory operand");
	expect_error("st32 r1, r2", 1, "'st32' operand 1: expected a memory operand");
	expect_error("atomadd32 r1, r2, r3", 1, "expected a memory operand [ra], got 'r2'");
	expect_error("s2r r1, 5", 1, "unknown special register '5'");
	expect_error("s2r r1, warpid", 1, "unknown special register 'warpid'");
	expect_error("bra [r1]", 1, "expected a label or an instruction offset, got '[r1]'");
	expect_error("movi [r1], 5", 1, "'movi' operand 1: expected a register, got '[r1]'");
	result("asm.error.operand-kind");

	expect_error("add r32, r1, r2", 1, "bad register 'r32' (registers are r0 to r31)");
	expect_error("add r1, r1x, r2", 1, "bad register 'r1x'");
	expect_error("add r1, r2, r99999999999999999999", 1, "bad register");
	expect_error("add r1, x1, r2", 1, "expected a register, got 'x1'");
	expect_error("add r1, r, r2", 1, "expected a register, got 'r'");
	expect_error("ld32 r1, [r40]", 1, "bad register 'r40'");
	result("asm.error.bad-register");

	expect_error("addi r1, r2, 0x80000000", 1,
		     "immediate '0x80000000' out of range (-2147483648..2147483647)");
	expect_error("addi r1, r2, -2147483649", 1, "out of range");
	expect_error("movi r1, 2147483648", 1, "out of range (-2147483648..2147483647)");
	expect_error("movhi r1, 0x100000000", 1, "out of range (-2147483648..4294967295)");
	expect_error("movhi r1, -2147483649", 1, "out of range");
	expect_error("shli r1, r2, 64", 1, "immediate '64' out of range (0..63)");
	expect_error("sari r1, r2, -1", 1, "out of range (0..63)");
	expect_error("ld32 r1, [r2+0x80000000]", 1, "immediate '+0x80000000' out of range");
	expect_error("ld32 r1, [r2-0x80000001]", 1, "out of range");
	expect_error("beqz r1, 2147483648", 1, "out of range");
	expect_error("addi r1, r2, 99999999999999999999", 1, "does not fit in 64 bits");
	result("asm.error.immediate-range");

	expect_error("addi r1, r2, 12abc", 1, "bad number '12abc'");
	expect_error("addi r1, r2, 0x", 1, "bad number '0x'");
	expect_error("addi r1, r2, 0xg", 1, "bad number '0xg'");
	expect_error("addi r1, r2, --1", 1, "expected an immediate, got '--1'");
	expect_error("addi r1, r2, 1.5", 1, "bad number '1.5'");
	expect_error("ld32 r1, [r2+r3]", 1, "expected an immediate, got 'r3]'");
	result("asm.error.bad-number");

	expect_error("nop\nbra nowhere\nexit\n", 2, "undefined label 'nowhere'");
	expect_error("a: beqz r1, b\nbnez r1, c\nb: exit\n", 2, "undefined label 'c'");
	expect_error("Loop: bra loop", 1, "undefined label 'loop'");
	result("asm.error.undefined-label");

	expect_error("a: nop\nb: nop\na: exit\n", 3,
		     "duplicate label 'a' (first defined on line 1)");
	expect_error("x: y: x: nop", 1, "duplicate label 'x'");
	expect_error("a: nop\nb: nop\nb: nop\na: nop\n", 3,
		     "duplicate label 'b' (first defined on line 2)");
	result("asm.error.duplicate-label");

	expect_error("add r1, r2, r3 r4", 1, "'add' operand 3: unexpected 'r4' after 'r3'");
	expect_error("ld32 r1, [r2] x", 1, "unexpected 'x' after '[r2]'");
	expect_error("bra lbl extra\nlbl: exit", 1, "unexpected 'extra' after 'lbl'");
	expect_error("s2r r1, tid x", 1, "unexpected 'x' after 'tid'");
	expect_error("addi r1, r2, 5 6", 1, "unexpected '6' after '5'");
	expect_error("add r1 r5, r2, r3", 1, "unexpected 'r5' after 'r1'");
	result("asm.error.garbage-after-operand");

	expect_error("ld32 r1, [r2", 1, "'ld32' operand 2: missing ']'");
	expect_error("atomadd32 r1, [r2, r3", 1, "'atomadd32' operand 2: missing ']'");
	expect_error("ld32 r1, [r2 8]", 1, "expected '+', '-' or ']' after the register");
	expect_error("atomadd32 r1, [r2+8], r3", 1, "atomics take no offset");
	expect_error("atomcas64 r1, [r2-0], r3", 1, "atomics take no offset");
	result("asm.error.memory-operand");

	expect_error("nop\nadd r1, r2, r3\xc3\xa9\n", 2, "unexpected byte 0xc3");
	expect_error("nop\x01\n", 1, "unexpected byte 0x01");
	result("asm.error.non-ascii");

	expect_error("# c\r\n\r\n  // c\r\nfoo\r\n", 4, "unknown mnemonic 'foo'");
	expect_error("foo\nbar\n", 1, "'foo'");
	expect_error("bra x\nfoo\n", 2, "unknown mnemonic");	/* syntax before labels */
	expect_error("bra x\nx: nop\nx: nop\nbra y\n", 3, "duplicate label");
	result("asm.error.line-numbers");
}

/* ---- The API's edges ---------------------------------------------------------- */

static void test_api(void)
{
	char err[128], big[8192];
	uint64_t *code;
	size_t count;
	int ret;

	ret = nvsvm_assemble("foo", &code, &count, NULL, 0);
	if (ret != -EINVAL || code || count)
		fail("with no message buffer: %d", ret);
	memset(err, 'x', sizeof(err));
	ret = nvsvm_assemble("foo", &code, &count, err, 8);
	if (ret != -EINVAL || strnlen(err, 8) == 8 || strncmp(err, "line 1:", 7))
		fail("an 8-byte message buffer holds \"%.8s\"", err);
	if (err[8] != 'x')
		fail("an 8-byte message buffer was overrun");
	ret = nvsvm_assemble("foo", &code, &count, err, 1);
	if (ret != -EINVAL || err[0])
		fail("a 1-byte message buffer is not left empty");
	snprintf(err, sizeof(err), "stale");
	ret = nvsvm_assemble("nop", &code, &count, err, sizeof(err));
	if (!ret)
		free(code);
	if (ret || err[0])
		fail("success leaves \"%s\" in the message buffer", err);
	/* A long quote is cut short. */
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ret = nvsvm_assemble(big, &code, &count, err, sizeof(err));
	if (ret != -EINVAL || !strstr(err, "unknown mnemonic 'aaaa") || !strstr(err, "...'"))
		fail("a long name is quoted as \"%s\"", err);
	result("asm.api.messages");
}

/* Many labels and words: the tables grow, and far branches are right. */
static void test_large_program(void)
{
	const int n = 20000;
	size_t len = (size_t)n * 48 + 64, off = 0, count;
	char *src = malloc(len);
	uint64_t *code;
	int i;

	if (!src) {
		fail("out of memory");
		goto out;
	}
	for (i = 0; i < n; i++)
		off += snprintf(src + off, len - off, "l%d: bra l%d\n", i, n - 1 - i);
	off += snprintf(src + off, len - off, "exit\n");
	if (assemble(src, &code, &count)) {
		if (count != (size_t)n + 1)
			fail("%zu words, want %d", count, n + 1);
		for (i = 0; i < n && count == (size_t)n + 1; i++) {
			int32_t want = (n - 1 - i) - (i + 1);

			if (code[i] != ENC(NVSVM_ISA_BRA, 0, 0, 0, want)) {
				fail("word %d is 0x%016" PRIx64 ", want an offset of %d", i,
				     code[i], want);
				break;
			}
		}
		free(code);
	}
	free(src);
out:
	result("asm.api.large-program");
}

/* ---- The ISA document ------------------------------------------------------- */

/* Every ```asm block of docs/isa.md assembles; every mnemonic is documented. */
static void test_doc(void)
{
	char *doc, *p, *end, m[32], pat[40];
	int blocks = 0;
	size_t i;

	doc = read_file(NVSVM_ISA_DOC_PATH, NULL);
	if (!doc) {
		fail("cannot read %s: %s", NVSVM_ISA_DOC_PATH, strerror(errno));
		goto out;
	}
	for (p = strstr(doc, "\n```asm\n"); p; p = strstr(end + 4, "\n```asm\n")) {
		p += strlen("\n```asm\n");
		end = strstr(p, "\n```");
		if (!end) {
			fail("an ```asm block is not closed");
			break;
		}
		*end = '\0';
		blocks++;
		{
			uint64_t *code;
			size_t count;

			if (assemble(p, &code, &count))
				free(code);
		}
		*end = '\n';
	}
	if (!blocks)
		fail("%s has no ```asm example", NVSVM_ISA_DOC_PATH);
	result("asm.doc.examples");

	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		lower(m, ops[i].name, sizeof(m));
		snprintf(pat, sizeof(pat), "`%s ", m);
		if (!strstr(doc, pat)) {
			snprintf(pat, sizeof(pat), "`%s`", m);
			if (!strstr(doc, pat))
				fail("%s does not document `%s`", NVSVM_ISA_DOC_PATH, m);
		}
	}
	free(doc);
	result("asm.doc.every-op");
	return;
out:
	result("asm.doc.examples");
	fail("cannot read %s", NVSVM_ISA_DOC_PATH);
	result("asm.doc.every-op");
}

/* ---- nvsvm-as, end to end ------------------------------------------------------ */

static char tmpdir[64];

static const char *tmp(const char *name)
{
	static char buf[4][128];
	static int which;
	char *p = buf[which++ % 4];

	snprintf(p, sizeof(buf[0]), "%s/%s", tmpdir, name);
	return p;
}

static bool write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	bool ok = f && fwrite(data, 1, len, f) == len;

	if (f && fclose(f))
		ok = false;
	if (!ok)
		fail("cannot write %s: %s", path, strerror(errno));
	return ok;
}

/*
 * Run nvsvm-as with @args (NULL-terminated), its standard input from
 * @in_path (or /dev/null), output and errors into files "stdout" and
 * "stderr" of the temporary directory. Returns its exit status, or -1.
 */
static int run_tool(const char *const *args, const char *in_path)
{
	char *argv[16];
	int status, fd, i;
	pid_t pid;

	argv[0] = (char *)NVSVM_AS_PATH;
	for (i = 0; args[i] && i < (int)ARRAY_SIZE(argv) - 2; i++)
		argv[i + 1] = (char *)args[i];
	argv[i + 1] = NULL;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		fail("fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		fd = open(in_path ? in_path : "/dev/null", O_RDONLY);
		if (fd < 0 || dup2(fd, 0) < 0)
			_exit(127);
		fd = open(tmp("stdout"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0 || dup2(fd, 1) < 0)
			_exit(127);
		fd = open(tmp("stderr"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0 || dup2(fd, 2) < 0)
			_exit(127);
		execv(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status)) {
		fail("%s did not exit normally", NVSVM_AS_PATH);
		return -1;
	}
	if (WEXITSTATUS(status) == 127)
		fail("cannot run %s (status 127)", NVSVM_AS_PATH);
	return WEXITSTATUS(status);
}

/* File @path must hold exactly @want[0..@len). */
static void expect_file(const char *path, const void *want, size_t len)
{
	size_t got_len = 0;
	char *got = read_file(path, &got_len);

	if (!got)
		fail("cannot read %s: %s", path, strerror(errno));
	else if (got_len != len || memcmp(got, want, len))
		fail("%s holds %zu bytes \"%s\", want %zu bytes", path, got_len, show(got), len);
	free(got);
}

/* Standard error must start with @prefix. */
static void expect_stderr(const char *prefix)
{
	char *err = read_file(tmp("stderr"), NULL);

	if (!err)
		fail("cannot read the tool's standard error");
	else if (strncmp(err, prefix, strlen(prefix)))
		fail("standard error is \"%s\", want \"%s...\"", show(err), prefix);
	free(err);
}

static void test_tool(void)
{
	static const char src[] = "# sample\nstart: s2r r1, gtid\n li r2, 0x100000000\n"
				  "\tbnez r1, start\n\texit\n";
	const uint64_t words[] = {
		ENC(NVSVM_ISA_S2R, 1, 0, 0, NVSVM_ISA_SREG_GTID),
		ENC(NVSVM_ISA_MOVI, 2, 0, 0, 0), ENC(NVSVM_ISA_MOVHI, 2, 0, 0, 1),
		ENC(NVSVM_ISA_BNEZ, 0, 1, 0, -4), ENC(NVSVM_ISA_EXIT, 0, 0, 0, 0),
	};
	static const char *const names[] = {
		"in.s", "bad.s", "undef.s", "nul.s", "out.bin", "out.hex", "stdout", "stderr",
	};
	static const char bad_src[] = "nop\n\naddi r1, r2, 0x80000000\n";
	unsigned char bin[sizeof(words)];
	char hex[sizeof(words) / 8 * 19 + 1], bad_path[128], expect[192];
	size_t i, j, n = 0;
	int rc;

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/nvsvm-test-asm.XXXXXX");
	if (!mkdtemp(tmpdir)) {
		fail("mkdtemp: %s", strerror(errno));
		result("asm.tool.binary");
		return;
	}
	for (i = 0; i < ARRAY_SIZE(words); i++) {
		for (j = 0; j < 8; j++)
			bin[i * 8 + j] = words[i] >> (8 * j);
		n += snprintf(hex + n, sizeof(hex) - n, "0x%016" PRIx64 "\n", words[i]);
	}

	if (write_file(tmp("in.s"), src, strlen(src))) {
		rc = run_tool((const char *[]){ "-o", tmp("out.bin"), tmp("in.s"), NULL }, NULL);
		if (rc != 0)
			fail("exit status %d, want 0", rc);
		expect_file(tmp("out.bin"), bin, sizeof(bin));
	}
	result("asm.tool.binary");

	rc = run_tool((const char *[]){ "--hex", "-o", tmp("out.hex"), tmp("in.s"), NULL }, NULL);
	if (rc != 0)
		fail("exit status %d, want 0", rc);
	expect_file(tmp("out.hex"), hex, strlen(hex));
	result("asm.tool.hex");

	rc = run_tool((const char *[]){ "-o", "-", "-", NULL }, tmp("in.s"));
	if (rc != 0)
		fail("exit status %d, want 0", rc);
	expect_file(tmp("stdout"), bin, sizeof(bin));
	rc = run_tool((const char *[]){ "--hex", "-", NULL }, tmp("in.s"));
	if (rc != 0)
		fail("exit status %d, want 0", rc);
	expect_file(tmp("stdout"), hex, strlen(hex));
	result("asm.tool.stdin-stdout");

	snprintf(bad_path, sizeof(bad_path), "%s", tmp("bad.s"));
	if (write_file(bad_path, bad_src, strlen(bad_src))) {
		rc = run_tool((const char *[]){ "-o", tmp("bad.bin"), bad_path, NULL }, NULL);
		if (rc != 1)
			fail("exit status %d, want 1", rc);
		snprintf(expect, sizeof(expect), "%s:3: error: 'addi' operand 3: immediate "
			 "'0x80000000' out of range", bad_path);
		expect_stderr(expect);
		if (access(tmp("bad.bin"), F_OK) == 0)
			fail("a failed assembly created its output file");
	}
	rc = run_tool((const char *[]){ "-", NULL }, bad_path);
	if (rc != 1)
		fail("from standard input: exit status %d, want 1", rc);
	expect_stderr("<stdin>:3: error: ");
	if (write_file(tmp("undef.s"), "bra x\n", 6)) {
		rc = run_tool((const char *[]){ "--hex", tmp("undef.s"), NULL }, NULL);
		if (rc != 1)
			fail("undefined label: exit status %d, want 1", rc);
		snprintf(expect, sizeof(expect), "%s:1: error: undefined label 'x'",
			 tmp("undef.s"));
		expect_stderr(expect);
	}
	if (write_file(tmp("nul.s"), "nop\nn\0p\n", 8)) {
		rc = run_tool((const char *[]){ "--hex", tmp("nul.s"), NULL }, NULL);
		if (rc != 1)
			fail("NUL byte: exit status %d, want 1", rc);
		snprintf(expect, sizeof(expect), "%s:2: error: NUL byte", tmp("nul.s"));
		expect_stderr(expect);
	}
	result("asm.tool.errors");

	rc = run_tool((const char *[]){ "--hex", tmp("missing.s"), NULL }, NULL);
	if (rc != 1)
		fail("missing input: exit status %d, want 1", rc);
	snprintf(expect, sizeof(expect), "nvsvm-as: cannot open %s: ", tmp("missing.s"));
	expect_stderr(expect);
	rc = run_tool((const char *[]){ "--hex", NULL }, NULL);
	if (rc != 2)
		fail("no input: exit status %d, want 2", rc);
	rc = run_tool((const char *[]){ "--hex", "a.s", "b.s", NULL }, NULL);
	if (rc != 2)
		fail("two inputs: exit status %d, want 2", rc);
	rc = run_tool((const char *[]){ "--bogus", "a.s", NULL }, NULL);
	if (rc != 2)
		fail("unknown option: exit status %d, want 2", rc);
	rc = run_tool((const char *[]){ "--help", NULL }, NULL);
	if (rc != 0)
		fail("--help: exit status %d, want 0", rc);
	result("asm.tool.usage");

	for (i = 0; i < ARRAY_SIZE(names); i++)
		unlink(tmp(names[i]));
	rmdir(tmpdir);
}

int main(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ops); i++)
		test_op(&ops[i]);
	test_header_ops();
	test_header_sregs();
	test_unknown_mnemonics();
	test_labels();
	test_li();
	test_syntax();
	test_errors();
	test_api();
	test_large_program();
	test_doc();
	test_tool();

	fprintf(stderr, "test_asm: %u passed, %u failed\n", nr_pass, nr_fail);
	return nr_fail ? 1 : 0;
}
