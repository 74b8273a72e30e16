// SPDX-License-Identifier: MIT
/* Copyright 2026 The nvsvm authors */

/*
 * nvsvm-as: assemble a compute kernel for nvsvm GPUs (docs/isa.md).
 *
 *   nvsvm-as [-o OUT] [--hex] IN
 *
 * Reads IN ("-": standard input) and writes the program to OUT ("-", the
 * default: standard output) as little-endian 64-bit words, or with --hex as
 * text, one 0x-prefixed 16-digit word per line. The output is written only
 * if the whole source assembles.
 *
 * Exit status: 0 on success; 1 for an error in the source ("IN:LINE: error:
 * ...") or a file that cannot be read or written; 2 for a usage error.
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nvsvm_asm.h"

#define STDIO_NAME	"-"

static const char *prog = "nvsvm-as";

static void usage(FILE *f)
{
	fprintf(f, "usage: %s [-o OUT] [--hex] IN\n"
		"Assemble the nvsvm compute kernel IN (\"-\": standard input).\n"
		"  -o, --output OUT  write to OUT (default \"-\": standard output)\n"
		"      --hex         write one hexadecimal word per line instead of binary\n"
		"  -h, --help        show this help\n", prog);
}

/* The whole of @f, NUL-terminated; its length (without the NUL) in *@len. */
static char *read_all(FILE *f, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap), *p;

	if (!buf)
		return NULL;
	for (;;) {
		n += fread(buf + n, 1, cap - n - 1, f);
		if (n < cap - 1)
			break;
		if (cap > SIZE_MAX / 2)
			goto nomem;
		p = realloc(buf, cap * 2);
		if (!p)
			goto nomem;
		buf = p;
		cap *= 2;
	}
	if (ferror(f)) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;

nomem:
	free(buf);
	errno = ENOMEM;
	return NULL;
}

/* The source in file @path, @name in messages. */
static char *read_source(const char *path, const char *name)
{
	FILE *f = strcmp(path, STDIO_NAME) ? fopen(path, "r") : stdin;
	const char *nul;
	size_t len;
	char *src;

	if (!f) {
		fprintf(stderr, "%s: cannot open %s: %s\n", prog, name, strerror(errno));
		return NULL;
	}
	errno = 0;
	src = read_all(f, &len);
	if (!src)
		fprintf(stderr, "%s: cannot read %s: %s\n", prog, name,
			strerror(errno ? errno : EIO));
	if (f != stdin)
		fclose(f);
	if (!src)
		return NULL;

	/* The assembler reads up to the first NUL: refuse to silently stop there. */
	nul = memchr(src, '\0', len);
	if (nul) {
		unsigned int line = 1;
		const char *p;

		for (p = src; p < nul; p++)
			line += *p == '\n';
		fprintf(stderr, "%s:%u: error: NUL byte in the source\n", name, line);
		free(src);
		return NULL;
	}
	return src;
}

/* Print the assembler's "line N: message" as "IN:N: error: message". */
static void report(const char *in, const char *err)
{
	unsigned int line;
	int n = 0;

	if (sscanf(err, "line %u: %n", &line, &n) == 1 && n > 0)
		fprintf(stderr, "%s:%u: error: %s\n", in, line, err + n);
	else
		fprintf(stderr, "%s: error: %s\n", in, err);
}

static int write_code(FILE *f, const uint64_t *code, size_t count, bool hex)
{
	size_t i;
	int j;

	for (i = 0; i < count; i++) {
		if (hex) {
			fprintf(f, "0x%016" PRIx64 "\n", code[i]);
		} else {
			unsigned char b[8];

			for (j = 0; j < 8; j++)
				b[j] = code[i] >> (8 * j);
			fwrite(b, 1, sizeof(b), f);
		}
	}
	return fflush(f) || ferror(f) ? -1 : 0;
}

static int write_output(const char *name, const uint64_t *code, size_t count, bool hex)
{
	bool is_stdout = !strcmp(name, STDIO_NAME);
	FILE *f = is_stdout ? stdout : fopen(name, hex ? "w" : "wb");
	int ret;

	if (!f) {
		fprintf(stderr, "%s: cannot create %s: %s\n", prog, name, strerror(errno));
		return -1;
	}
	errno = 0;
	ret = write_code(f, code, count, hex);
	if (!is_stdout && fclose(f))
		ret = -1;
	if (ret) {
		fprintf(stderr, "%s: cannot write %s: %s\n", prog, is_stdout ? "standard output" :
			name, strerror(errno ? errno : EIO));
		if (!is_stdout)
			remove(name);
	}
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output",	required_argument,	NULL, 'o' },
		{ "hex",	no_argument,		NULL, 'x' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL,		0,			NULL, 0 },
	};
	const char *path, *in, *out = STDIO_NAME;
	uint64_t *code;
	bool hex = false;
	char err[256];
	size_t count;
	char *src;
	int c, ret;

	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'x':
			hex = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "%s: %s\n", prog, optind < argc ? "more than one input file" :
			"no input file");
		usage(stderr);
		return 2;
	}
	path = argv[optind];
	in = strcmp(path, STDIO_NAME) ? path : "<stdin>";
	if (!hex && !strcmp(out, STDIO_NAME) && isatty(STDOUT_FILENO)) {
		fprintf(stderr, "%s: not writing binary to a terminal: use -o OUT or --hex\n",
			prog);
		return 2;
	}

	src = read_source(path, in);
	if (!src)
		return 1;
	ret = nvsvm_assemble(src, &code, &count, err, sizeof(err));
	free(src);
	if (ret) {
		report(in, err);
		return 1;
	}
	ret = write_output(out, code, count, hex);
	free(code);
	return ret ? 1 : 0;
}
