// SPDX-License-Identifier: MIT
/* Copyright 2026 The nvsvm authors */

#include <stdarg.h>
#include <stdio.h>

#include "test_result.h"

unsigned int nr_pass, nr_fail;
char why[1024];

void fail(const char *fmt, ...)
{
	va_list ap;

	if (why[0])
		return;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (!why[0])
		snprintf(why, sizeof(why), "(no reason given)");
}

void result(const char *fmt, ...)
{
	char name[128], *p;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	for (p = why; *p; p++)		/* one line per case */
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	if (why[0]) {
		printf("RESULT fail %s: %s\n", name, why);
		nr_fail++;
	} else {
		printf("RESULT pass %s\n", name);
		nr_pass++;
	}
	fflush(stdout);
	why[0] = '\0';
}
