// SPDX-License-Identifier: GPL-2.0-only OR MIT
#include <drm/drm_drv.h>

const struct drm_driver nvsvm_conftest = { .date = "20260101" };
