/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Copyright 2026 The nvsvm authors */
#ifndef __NVSVM_COMPAT_H__
#define __NVSVM_COMPAT_H__

/**
 * DOC: Kernel compatibility
 *
 * The module builds against the 6.12 LTS kernel and the newest mainline.
 * Differences are found by feature, never by version number: before the
 * module is built, conftest/run.sh compiles each conftest/<feature>.c
 * against the target kernel and writes nvsvm_conftest.h, which defines
 * NVSVM_HAVE_<FEATURE> for every snippet that compiled. This header turns
 * those answers into what the rest of the driver uses.
 */

#include "nvsvm_conftest.h"

/*
 * NVSVM_HAVE_DRM_DRIVER_DATE: struct drm_driver has a date field (it went
 * away in Linux 6.14). Where it exists the DRM version ioctl dereferences
 * it, so it must be set.
 */

#endif /* __NVSVM_COMPAT_H__ */
