// SPDX-License-Identifier: MIT
/* Copyright 2026 The nvsvm authors */

/*
 * The assembler for the compute ISA of nvsvm_isa.h; docs/isa.md describes
 * the language.
 *
 * Pass 1 reads the source line by line: it emits the instruction words,
 * leaving the offset of a branch to a label zero, and records the labels and
 * the branches that name them. Pass 2 sorts the labels, checks them for
 * duplicates and patches the branch offsets. Assembly stops at the first
 * error: the first syntax error in the source, else the first duplicate
 * label, else the first use of an undefined label.
 *
 * Only ASCII matters here, so the character classes are spelled out rather
 * than taken from <ctype.h>, whose answers depend on the locale.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nvsvm_asm.h"
#include "nvsvm_isa.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* No program is longer, so that every branch offset fits the immediate. */
#define MAX_INSNS	((size_t)INT32_MAX)

/* The most source text quoted in an error message, and how to quote it. */
#define QUOTE_MAX	40
#define QFMT		"'%.*s%s'"
#define QARG(s, e)	(int)((e) - (s) > QUOTE_MAX ? QUOTE_MAX : (e) - (s)), (s), \
			((e) - (s) > QUOTE_MAX ? "..." : "")

/* What an operand may be, and the instruction fields it fills. */
enum operand_kind {
	OPND_NONE,
	OPND_RD,	/* register into rd */
	OPND_RA,	/* register into ra */
	OPND_RB,	/* register into rb */
	OPND_IMM,	/* imm, -2^31..2^31-1 (sign-extended by the GPU) */
	OPND_SHIFT,	/* imm, 0..63 */
	OPND_IMM_HI,	/* imm, -2^31..2^32-1 (the high half of a register) */
	OPND_IMM64,	/* any 64-bit value (li) */
	OPND_SREG,	/* imm, a special register by name */
	OPND_MEM,	/* [ra], [ra+imm], [ra-imm]: ra and imm */
	OPND_MEM0,	/* [ra]: ra, no offset (atomics) */
	OPND_TARGET,	/* imm, a label or an offset in instructions */
};

enum form {
	FORM_NONE,
	FORM_RRR,
	FORM_RRI,
	FORM_SHIFTI,
	FORM_MOVI,
	FORM_MOVHI,
	FORM_S2R,
	FORM_LOAD,
	FORM_STORE,
	FORM_ATOM,
	FORM_BRA,
	FORM_BRZ,
	FORM_LI,
};

#define MAX_OPERANDS	3

static const struct form_desc {
	const char *syntax;		/* for messages */
	uint8_t operands[MAX_OPERANDS];	/* OPND_NONE-terminated */
} forms[] = {
	[FORM_NONE]	= { "",			{ OPND_NONE } },
	[FORM_RRR]	= { "rd, ra, rb",	{ OPND_RD, OPND_RA, OPND_RB } },
	[FORM_RRI]	= { "rd, ra, imm",	{ OPND_RD, OPND_RA, OPND_IMM } },
	[FORM_SHIFTI]	= { "rd, ra, 0..63",	{ OPND_RD, OPND_RA, OPND_SHIFT } },
	[FORM_MOVI]	= { "rd, imm",		{ OPND_RD, OPND_IMM } },
	[FORM_MOVHI]	= { "rd, imm",		{ OPND_RD, OPND_IMM_HI } },
	[FORM_S2R]	= { "rd, sreg",		{ OPND_RD, OPND_SREG } },
	[FORM_LOAD]	= { "rd, [ra+imm]",	{ OPND_RD, OPND_MEM } },
	[FORM_STORE]	= { "[ra+imm], rb",	{ OPND_MEM, OPND_RB } },
	[FORM_ATOM]	= { "rd, [ra], rb",	{ OPND_RD, OPND_MEM0, OPND_RB } },
	[FORM_BRA]	= { "target",		{ OPND_TARGET } },
	[FORM_BRZ]	= { "ra, target",	{ OPND_RA, OPND_TARGET } },
	[FORM_LI]	= { "rd, imm64",	{ OPND_RD, OPND_IMM64 } },
};

static const struct mnemonic {
	const char *name;
	uint8_t op;
	uint8_t form;
} mnemonics[] = {
	{ "nop",	NVSVM_ISA_NOP,		FORM_NONE },
	{ "exit",	NVSVM_ISA_EXIT,		FORM_NONE },

	{ "add",	NVSVM_ISA_ADD,		FORM_RRR },
	{ "sub",	NVSVM_ISA_SUB,		FORM_RRR },
	{ "mul",	NVSVM_ISA_MUL,		FORM_RRR },
	{ "divu",	NVSVM_ISA_DIVU,		FORM_RRR },
	{ "remu",	NVSVM_ISA_REMU,		FORM_RRR },
	{ "and",	NVSVM_ISA_AND,		FORM_RRR },
	{ "or",		NVSVM_ISA_OR,		FORM_RRR },
	{ "xor",	NVSVM_ISA_XOR,		FORM_RRR },
	{ "shl",	NVSVM_ISA_SHL,		FORM_RRR },
	{ "shr",	NVSVM_ISA_SHR,		FORM_RRR },
	{ "sar",	NVSVM_ISA_SAR,		FORM_RRR },
	{ "min",	NVSVM_ISA_MIN,		FORM_RRR },
	{ "max",	NVSVM_ISA_MAX,		FORM_RRR },
	{ "minu",	NVSVM_ISA_MINU,		FORM_RRR },
	{ "maxu",	NVSVM_ISA_MAXU,		FORM_RRR },
	{ "seq",	NVSVM_ISA_SEQ,		FORM_RRR },
	{ "sne",	NVSVM_ISA_SNE,		FORM_RRR },
	{ "slt",	NVSVM_ISA_SLT,		FORM_RRR },
	{ "sltu",	NVSVM_ISA_SLTU,		FORM_RRR },

	{ "addi",	NVSVM_ISA_ADDI,		FORM_RRI },
	{ "muli",	NVSVM_ISA_MULI,		FORM_RRI },
	{ "andi",	NVSVM_ISA_ANDI,		FORM_RRI },
	{ "ori",	NVSVM_ISA_ORI,		FORM_RRI },
	{ "xori",	NVSVM_ISA_XORI,		FORM_RRI },
	{ "shli",	NVSVM_ISA_SHLI,		FORM_SHIFTI },
	{ "shri",	NVSVM_ISA_SHRI,		FORM_SHIFTI },
	{ "sari",	NVSVM_ISA_SARI,		FORM_SHIFTI },

	{ "movi",	NVSVM_ISA_MOVI,		FORM_MOVI },
	{ "movhi",	NVSVM_ISA_MOVHI,	FORM_MOVHI },
	{ "s2r",	NVSVM_ISA_S2R,		FORM_S2R },

	{ "ld8",	NVSVM_ISA_LD8,		FORM_LOAD },
	{ "ld16",	NVSVM_ISA_LD16,		FORM_LOAD },
	{ "ld32",	NVSVM_ISA_LD32,		FORM_LOAD },
	{ "ld64",	NVSVM_ISA_LD64,		FORM_LOAD },
	{ "st8",	NVSVM_ISA_ST8,		FORM_STORE },
	{ "st16",	NVSVM_ISA_ST16,		FORM_STORE },
	{ "st32",	NVSVM_ISA_ST32,		FORM_STORE },
	{ "st64",	NVSVM_ISA_ST64,		FORM_STORE },

	{ "atomadd32",	NVSVM_ISA_ATOMADD32,	FORM_ATOM },
	{ "atomexch32",	NVSVM_ISA_ATOMEXCH32,	FORM_ATOM },
	{ "atomcas32",	NVSVM_ISA_ATOMCAS32,	FORM_ATOM },
	{ "atommin32",	NVSVM_ISA_ATOMMIN32,	FORM_ATOM },
	{ "atommax32",	NVSVM_ISA_ATOMMAX32,	FORM_ATOM },
	{ "atomminu32",	NVSVM_ISA_ATOMMINU32,	FORM_ATOM },
	{ "atommaxu32",	NVSVM_ISA_ATOMMAXU32,	FORM_ATOM },
	{ "atomadd64",	NVSVM_ISA_ATOMADD64,	FORM_ATOM },
	{ "atomexch64",	NVSVM_ISA_ATOMEXCH64,	FORM_ATOM },
	{ "atomcas64",	NVSVM_ISA_ATOMCAS64,	FORM_ATOM },
	{ "atommin64",	NVSVM_ISA_ATOMMIN64,	FORM_ATOM },
	{ "atommax64",	NVSVM_ISA_ATOMMAX64,	FORM_ATOM },
	{ "atomminu64",	NVSVM_ISA_ATOMMINU64,	FORM_ATOM },
	{ "atommaxu64",	NVSVM_ISA_ATOMMAXU64,	FORM_ATOM },

	{ "bra",	NVSVM_ISA_BRA,		FORM_BRA },
	{ "beqz",	NVSVM_ISA_BEQZ,		FORM_BRZ },
	{ "bnez",	NVSVM_ISA_BNEZ,		FORM_BRZ },

	/* Pseudo-instruction: its op is that of its first word. */
	{ "li",		NVSVM_ISA_MOVI,		FORM_LI },
};

static const char *const sreg_names[] = {
	[NVSVM_ISA_SREG_TID]	= "tid",
	[NVSVM_ISA_SREG_NTID]	= "ntid",
	[NVSVM_ISA_SREG_CTAID]	= "ctaid",
	[NVSVM_ISA_SREG_NCTAID]	= "nctaid",
	[NVSVM_ISA_SREG_LANEID]	= "laneid",
	[NVSVM_ISA_SREG_SMID]	= "smid",
	[NVSVM_ISA_SREG_PARAM]	= "param",
	[NVSVM_ISA_SREG_GTID]	= "gtid",
};
_Static_assert(ARRAY_SIZE(sreg_names) == NVSVM_ISA_SREG_COUNT, "a special register has no name");

/* A name in the source: it points into the source, which outlives assembly. */
struct name {
	const char *s;
	size_t len;
};

struct label {
	struct name name;
	size_t index;		/* of the instruction it names */
	unsigned int line;
};

/* A branch to a label, patched in pass 2. */
struct fixup {
	struct name name;
	size_t index;		/* of the branch */
	unsigned int line;
};

struct assembler {
	uint64_t *code;
	size_t count, code_cap;
	struct label *labels;
	size_t nr_labels, labels_cap;
	struct fixup *fixups;
	size_t nr_fixups, fixups_cap;

	unsigned int line;			/* being assembled, from 1 */
	const struct mnemonic *insn;		/* being assembled, for messages */
	char *err;
	size_t errlen;
};

/* One operand's text, trimmed of spaces. */
struct operand {
	const char *s, *e;
	unsigned int n;		/* position, from 1 */
};

/* What the operands of one instruction say. */
struct fields {
	uint8_t rd, ra, rb;
	uint64_t imm;
	struct name target;	/* a label to branch to, if len != 0 */
};

/* A number as written: its magnitude and sign, range-checked by its user. */
struct number {
	uint64_t mag;
	bool neg;
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '.';
}

static bool is_ident(char c)
{
	return is_ident_start(c) || is_digit(c);
}

static char to_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Is s[0..len) @word, ignoring ASCII case? */
static bool word_eq(const char *s, size_t len, const char *word)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!word[i] || to_lower(s[i]) != word[i])
			return false;
	return !word[len];
}

static const char *skip_space(const char *p, const char *e)
{
	while (p < e && is_space(*p))
		p++;
	return p;
}

static const char *skip_ident(const char *p, const char *e)
{
	while (p < e && is_ident(*p))
		p++;
	return p;
}

static __attribute__((format(printf, 2, 3)))
int error(struct assembler *as, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!as->err || !as->errlen)
		return -EINVAL;
	n = snprintf(as->err, as->errlen, "line %u: ", as->line);
	if (n >= 0 && (size_t)n < as->errlen) {
		va_start(ap, fmt);
		vsnprintf(as->err + n, as->errlen - n, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/*
 * Make room for one more element in @array of *@cap elements of @size bytes
 * holding @count: returns the array, moved if need be, or NULL (the array is
 * then untouched).
 */
static void *grow(void *array, size_t *cap, size_t count, size_t size)
{
	size_t new_cap;

	if (count < *cap)
		return array;
	new_cap = *cap ? *cap * 2 : 64;
	if (new_cap > SIZE_MAX / size)
		return NULL;
	array = realloc(array, new_cap * size);
	if (array)
		*cap = new_cap;
	return array;
}

static int emit(struct assembler *as, uint64_t insn)
{
	uint64_t *code;

	if (as->count >= MAX_INSNS)
		return error(as, "program too long (more than %zu instructions)", MAX_INSNS);
	code = grow(as->code, &as->code_cap, as->count, sizeof(*code));
	if (!code)
		return -ENOMEM;
	as->code = code;
	as->code[as->count++] = insn;
	return 0;
}

static int add_label(struct assembler *as, const char *s, const char *e)
{
	struct label *labels;

	labels = grow(as->labels, &as->labels_cap, as->nr_labels, sizeof(*labels));
	if (!labels)
		return -ENOMEM;
	as->labels = labels;
	as->labels[as->nr_labels++] = (struct label) {
		.name = { s, e - s }, .index = as->count, .line = as->line,
	};
	return 0;
}

static int add_fixup(struct assembler *as, struct name name)
{
	struct fixup *fixups;

	fixups = grow(as->fixups, &as->fixups_cap, as->nr_fixups, sizeof(*fixups));
	if (!fixups)
		return -ENOMEM;
	as->fixups = fixups;
	as->fixups[as->nr_fixups++] = (struct fixup) {
		.name = name, .index = as->count, .line = as->line,
	};
	return 0;
}

/* The operand must end at @end: anything after it is an error. */
static int operand_end(struct assembler *as, const struct operand *op, const char *end)
{
	const char *p = skip_space(end, op->e);

	if (p == op->e)
		return 0;
	return error(as, "'%s' operand %u: unexpected " QFMT " after " QFMT, as->insn->name,
		     op->n, QARG(p, op->e), QARG(op->s, end));
}

/* A register r0..r31 at *@pp; moves *@pp past it. */
static int parse_reg(struct assembler *as, const struct operand *op, const char **pp,
		     uint8_t *reg)
{
	const char *s = *pp, *e = skip_ident(s, op->e), *p;
	unsigned int n = 0;

	if (e == s || to_lower(*s) != 'r')
		goto not_reg;
	for (p = s + 1; p < e && is_digit(*p); p++) {
		n = n * 10 + (*p - '0');
		if (n >= NVSVM_ISA_NUM_REGS)
			goto bad;
	}
	if (p == s + 1)
		goto not_reg;
	if (p < e)
		goto bad;
	*reg = n;
	*pp = e;
	return 0;

not_reg:
	return error(as, "'%s' operand %u: expected a register, got " QFMT, as->insn->name,
		     op->n, QARG(s, op->e));
bad:
	return error(as, "'%s' operand %u: bad register " QFMT " (registers are r0 to r%d)",
		     as->insn->name, op->n, QARG(s, e), NVSVM_ISA_NUM_REGS - 1);
}

static int digit_value(char c)
{
	if (is_digit(c))
		return c - '0';
	c = to_lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * A number at *@pp: decimal or 0x hexadecimal, after a sign if @sign allows
 * one. Moves *@pp past it.
 */
static int parse_number(struct assembler *as, const struct operand *op, const char **pp,
			bool sign, struct number *num)
{
	const char *s = *pp, *p = s, *digits, *e;
	unsigned int base = 10;
	uint64_t mag = 0;

	num->neg = false;
	if (sign && p < op->e && (*p == '-' || *p == '+')) {
		num->neg = *p == '-';
		p++;
	}
	if (p == op->e || !is_digit(*p))
		return error(as, "'%s' operand %u: expected an immediate, got " QFMT,
			     as->insn->name, op->n, QARG(s, op->e));
	if (op->e - p > 2 && p[0] == '0' && to_lower(p[1]) == 'x') {
		base = 16;
		p += 2;
	}
	digits = p;
	e = skip_ident(p, op->e);
	if (e == digits)	/* "0x" and nothing */
		return error(as, "'%s' operand %u: bad number " QFMT, as->insn->name, op->n,
			     QARG(s, e));
	for (p = digits; p < e; p++) {
		int d = digit_value(*p);

		if (d < 0 || (unsigned int)d >= base)
			return error(as, "'%s' operand %u: bad number " QFMT, as->insn->name,
				     op->n, QARG(s, e));
		if (mag > (UINT64_MAX - d) / base)
			return error(as, "'%s' operand %u: number " QFMT " does not fit in 64 bits",
				     as->insn->name, op->n, QARG(s, e));
		mag = mag * base + d;
	}
	num->mag = mag;
	*pp = e;
	return 0;
}

/*
 * Check that @num, written at @s..@e, lies in -@neg_max..@pos_max, and give
 * its 64-bit two's complement value.
 */
static int check_range(struct assembler *as, const struct operand *op, const char *s,
		       const char *e, const struct number *num, uint64_t neg_max,
		       uint64_t pos_max, uint64_t *value)
{
	if (num->mag > (num->neg ? neg_max : pos_max)) {
		if (!neg_max)
			return error(as, "'%s' operand %u: immediate " QFMT " out of range (0..%"
				     PRIu64 ")", as->insn->name, op->n, QARG(s, e), pos_max);
		return error(as, "'%s' operand %u: immediate " QFMT " out of range (-%" PRIu64
			     "..%" PRIu64 ")", as->insn->name, op->n, QARG(s, e), neg_max,
			     pos_max);
	}
	*value = num->neg ? 0 - num->mag : num->mag;
	return 0;
}

static int parse_imm(struct assembler *as, const struct operand *op, enum operand_kind kind,
		     uint64_t *value)
{
	const char *p = op->s;
	uint64_t neg_max, pos_max;
	struct number num;
	int ret;

	switch (kind) {
	case OPND_SHIFT:
		neg_max = 0;
		pos_max = 63;
		break;
	case OPND_IMM_HI:
		neg_max = (uint64_t)1 << 31;
		pos_max = UINT32_MAX;
		break;
	case OPND_IMM64:
		neg_max = (uint64_t)1 << 63;
		pos_max = UINT64_MAX;
		break;
	default:
		neg_max = (uint64_t)1 << 31;
		pos_max = INT32_MAX;
		break;
	}
	ret = parse_number(as, op, &p, true, &num);
	if (!ret)
		ret = check_range(as, op, op->s, p, &num, neg_max, pos_max, value);
	if (!ret)
		ret = operand_end(as, op, p);
	return ret;
}

/* [ra], [ra+imm] or [ra-imm] */
static int parse_mem(struct assembler *as, const struct operand *op, bool offset,
		     struct fields *f)
{
	const char *p = op->s, *num_s;
	struct number num = { 0 };
	int ret;

	if (*p != '[')
		return error(as, "'%s' operand %u: expected a memory operand %s, got " QFMT,
			     as->insn->name, op->n, offset ? "[ra+imm]" : "[ra]",
			     QARG(op->s, op->e));
	p = skip_space(p + 1, op->e);
	ret = parse_reg(as, op, &p, &f->ra);
	if (ret)
		return ret;
	p = skip_space(p, op->e);
	num_s = p;
	if (p < op->e && (*p == '+' || *p == '-')) {
		bool neg = *p == '-';

		if (!offset)
			return error(as, "'%s' operand %u: atomics take no offset, only [ra]",
				     as->insn->name, op->n);
		p = skip_space(p + 1, op->e);
		ret = parse_number(as, op, &p, false, &num);
		if (ret)
			return ret;
		num.neg = neg;
		ret = check_range(as, op, num_s, p, &num, (uint64_t)1 << 31, INT32_MAX, &f->imm);
		if (ret)
			return ret;
		p = skip_space(p, op->e);
	}
	if (p == op->e)
		return error(as, "'%s' operand %u: missing ']'", as->insn->name, op->n);
	if (*p != ']')
		return error(as, "'%s' operand %u: expected %s']' after the register, got " QFMT,
			     as->insn->name, op->n, offset ? "'+', '-' or " : "",
			     QARG(p, op->e));
	return operand_end(as, op, p + 1);
}

static int parse_sreg(struct assembler *as, const struct operand *op, uint64_t *value)
{
	const char *e = skip_ident(op->s, op->e);
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sreg_names); i++) {
		if (e > op->s && word_eq(op->s, e - op->s, sreg_names[i])) {
			*value = i;
			return operand_end(as, op, e);
		}
	}
	return error(as, "'%s' operand %u: unknown special register " QFMT
		     " (tid, ntid, ctaid, nctaid, laneid, smid, param or gtid)",
		     as->insn->name, op->n, QARG(op->s, op->e));
}

/* A label, or a signed offset in instructions from the next instruction. */
static int parse_target(struct assembler *as, const struct operand *op, struct fields *f)
{
	const char *e;

	if (is_digit(*op->s) || *op->s == '-' || *op->s == '+')
		return parse_imm(as, op, OPND_IMM, &f->imm);
	if (!is_ident_start(*op->s))
		return error(as, "'%s' operand %u: expected a label or an instruction offset, got "
			     QFMT, as->insn->name, op->n, QARG(op->s, op->e));
	e = skip_ident(op->s, op->e);
	f->target = (struct name) { op->s, e - op->s };
	return operand_end(as, op, e);
}

static int parse_operand(struct assembler *as, const struct operand *op,
			 enum operand_kind kind, struct fields *f)
{
	const char *p = op->s;
	int ret;

	switch (kind) {
	case OPND_RD:
	case OPND_RA:
	case OPND_RB:
		ret = parse_reg(as, op, &p, kind == OPND_RD ? &f->rd :
				kind == OPND_RA ? &f->ra : &f->rb);
		return ret ? ret : operand_end(as, op, p);
	case OPND_IMM:
	case OPND_SHIFT:
	case OPND_IMM_HI:
	case OPND_IMM64:
		return parse_imm(as, op, kind, &f->imm);
	case OPND_SREG:
		return parse_sreg(as, op, &f->imm);
	case OPND_MEM:
	case OPND_MEM0:
		return parse_mem(as, op, kind == OPND_MEM, f);
	case OPND_TARGET:
		return parse_target(as, op, f);
	case OPND_NONE:
		break;
	}
	return -EINVAL;
}

/* li: MOVI alone if the value is a sign-extended 32-bit number. */
static int emit_li(struct assembler *as, const struct fields *f)
{
	uint32_t lo = (uint32_t)f->imm, hi = (uint32_t)(f->imm >> 32);
	int ret;

	ret = emit(as, NVSVM_ISA_ENCODE(NVSVM_ISA_MOVI, f->rd, 0, 0, lo));
	if (ret || (int64_t)f->imm == (int32_t)lo)
		return ret;
	return emit(as, NVSVM_ISA_ENCODE(NVSVM_ISA_MOVHI, f->rd, 0, 0, hi));
}

static const struct mnemonic *find_mnemonic(const char *s, const char *e)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(mnemonics); i++)
		if (word_eq(s, e - s, mnemonics[i].name))
			return &mnemonics[i];
	return NULL;
}

/* The instruction at @s..@e (trimmed, after any labels). */
static int assemble_insn(struct assembler *as, const char *s, const char *e)
{
	struct operand ops[MAX_OPERANDS];
	const struct form_desc *form;
	struct fields f = { 0 };
	unsigned int want, got, i;
	const char *p, *q;
	int ret;

	p = skip_ident(s, e);
	as->insn = find_mnemonic(s, p);
	if (!as->insn)
		return error(as, "unknown mnemonic " QFMT, QARG(s, p));
	if (p < e && !is_space(*p))
		return error(as, "expected a space after '%s', got " QFMT, as->insn->name,
			     QARG(p, e));
	form = &forms[as->insn->form];
	for (want = 0; want < MAX_OPERANDS && form->operands[want]; want++)
		;

	/* Split the operands at the commas. */
	p = skip_space(p, e);
	got = 0;
	if (p < e)
		for (got = 1, q = p; q < e; q++)
			got += *q == ',';
	if (got != want) {
		if (!want)
			return error(as, "'%s' takes no operands, got %u", as->insn->name, got);
		return error(as, "'%s' takes %u operand%s (%s %s), got %u", as->insn->name,
			     want, want == 1 ? "" : "s", as->insn->name, form->syntax, got);
	}
	for (i = 0; i < got; i++) {
		for (q = p; q < e && *q != ','; q++)
			;
		ops[i].s = skip_space(p, q);
		for (ops[i].e = q; ops[i].e > ops[i].s && is_space(ops[i].e[-1]); ops[i].e--)
			;
		ops[i].n = i + 1;
		if (ops[i].s == ops[i].e)
			return error(as, "'%s' operand %u is empty", as->insn->name, i + 1);
		p = q + 1;
	}

	for (i = 0; i < got; i++) {
		ret = parse_operand(as, &ops[i], form->operands[i], &f);
		if (ret)
			return ret;
	}

	if (as->insn->form == FORM_LI)
		return emit_li(as, &f);
	if (f.target.len) {
		ret = add_fixup(as, f.target);
		if (ret)
			return ret;
	}
	return emit(as, NVSVM_ISA_ENCODE(as->insn->op, f.rd, f.ra, f.rb, (uint32_t)f.imm));
}

/* One line, @s..@e, without its newline. */
static int assemble_line(struct assembler *as, const char *s, const char *e)
{
	const char *p, *q;
	int ret;

	/* Drop the comment; only ASCII is allowed outside one. */
	for (p = s; p < e; p++) {
		if (*p == '#' || (*p == '/' && p + 1 < e && p[1] == '/'))
			break;
		if ((unsigned char)*p >= 0x7f || ((unsigned char)*p < 0x20 && !is_space(*p)))
			return error(as, "unexpected byte 0x%02x (only ASCII is allowed outside "
				     "comments)", (unsigned char)*p);
	}
	e = p;
	while (e > s && is_space(e[-1]))
		e--;

	/* Labels: "name:", any number of them. */
	for (p = skip_space(s, e); p < e && is_ident_start(*p); p = skip_space(q + 1, e)) {
		const char *name_end = skip_ident(p, e);

		q = skip_space(name_end, e);
		if (q == e || *q != ':')
			break;
		ret = add_label(as, p, name_end);
		if (ret)
			return ret;
	}
	if (p == e)
		return 0;
	if (!is_ident_start(*p))
		return error(as, "expected a label or a mnemonic, got " QFMT, QARG(p, e));
	return assemble_insn(as, p, e);
}

static int name_cmp(const struct name *a, const struct name *b)
{
	int c = memcmp(a->s, b->s, a->len < b->len ? a->len : b->len);

	if (c)
		return c;
	return a->len < b->len ? -1 : a->len > b->len;
}

/* By name, then by line: the first definition of a name comes first. */
static int label_cmp(const void *a, const void *b)
{
	const struct label *la = a, *lb = b;
	int c = name_cmp(&la->name, &lb->name);

	if (c)
		return c;
	return la->line < lb->line ? -1 : la->line > lb->line;
}

static int label_key_cmp(const void *key, const void *elem)
{
	const struct label *l = elem;

	return name_cmp(key, &l->name);
}

/* Pass 2: check the labels and patch the branches to them. */
static int resolve_labels(struct assembler *as)
{
	const struct label *dup = NULL, *first = NULL;
	size_t i, j;

	if (as->nr_labels)
		qsort(as->labels, as->nr_labels, sizeof(*as->labels), label_cmp);
	/* A name defined twice: report its second definition, the earliest such. */
	for (i = 0; i < as->nr_labels; i = j) {
		for (j = i + 1; j < as->nr_labels; j++)
			if (name_cmp(&as->labels[i].name, &as->labels[j].name))
				break;
		if (j - i > 1 && (!dup || as->labels[i + 1].line < dup->line)) {
			first = &as->labels[i];
			dup = &as->labels[i + 1];
		}
	}
	if (dup) {
		as->line = dup->line;
		return error(as, "duplicate label " QFMT " (first defined on line %u)",
			     QARG(dup->name.s, dup->name.s + dup->name.len), first->line);
	}

	for (i = 0; i < as->nr_fixups; i++) {
		const struct fixup *fx = &as->fixups[i];
		const struct label *l = NULL;
		int64_t offset;

		if (as->nr_labels)
			l = bsearch(&fx->name, as->labels, as->nr_labels, sizeof(*as->labels),
				    label_key_cmp);
		if (!l) {
			as->line = fx->line;
			return error(as, "undefined label " QFMT,
				     QARG(fx->name.s, fx->name.s + fx->name.len));
		}
		/* Both are below MAX_INSNS: the offset fits the immediate. */
		offset = (int64_t)l->index - (int64_t)(fx->index + 1);
		as->code[fx->index] |= NVSVM_ISA_ENCODE(0, 0, 0, 0, (uint32_t)offset);
	}
	return 0;
}

int nvsvm_assemble(const char *src, uint64_t **code, size_t *count, char *err, size_t errlen)
{
	struct assembler as = { .err = err, .errlen = errlen };
	const char *s, *e;
	int ret = 0;

	*code = NULL;
	*count = 0;
	if (err && errlen)
		err[0] = '\0';

	/* Room for one word, so that an empty program gives a non-NULL array. */
	as.code = grow(NULL, &as.code_cap, 0, sizeof(*as.code));
	if (!as.code) {
		ret = -ENOMEM;
		goto out;
	}
	for (s = src; *s; s = *e ? e + 1 : e) {
		for (e = s; *e && *e != '\n'; e++)
			;
		as.line++;
		ret = assemble_line(&as, s, e);
		if (ret)
			goto out;
	}
	ret = resolve_labels(&as);
out:
	free(as.labels);
	free(as.fixups);
	if (ret) {
		if (ret == -ENOMEM && err && errlen)
			snprintf(err, errlen, "out of memory");
		free(as.code);
		return ret;
	}
	*code = as.code;
	*count = as.count;
	return 0;
}
