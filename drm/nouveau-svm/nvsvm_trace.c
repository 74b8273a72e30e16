// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Copyright 2026 The nvsvm authors */

/* The tracepoints of nvsvm_trace.h are defined here, once. */
#define CREATE_TRACE_POINTS
#include "nvsvm_trace.h"
