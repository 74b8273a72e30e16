/* SPDX-License-Identifier: MIT */
/* Copyright 2026 The nvsvm authors */
#ifndef TEST_RESULT_H
#define TEST_RESULT_H

/*
 * The host tests' reporting: a case records its first failure with fail()
 * and ends with result(), which prints "RESULT pass NAME" or "RESULT fail
 * NAME: WHY" (the format scripts/run-tests.sh collects).
 */

/* Cases that passed and failed so far. */
extern unsigned int nr_pass, nr_fail;

/* The current case's first failure, or "". */
extern char why[1024];

/* Record why the current case fails, unless it already does. */
void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* End the current case: report it under the name @fmt, .... */
void result(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* TEST_RESULT_H */
