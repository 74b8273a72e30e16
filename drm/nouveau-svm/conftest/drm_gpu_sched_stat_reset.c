// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* DRM_GPU_SCHED_STAT_NOMINAL was renamed DRM_GPU_SCHED_STAT_RESET (Linux 6.17). */
#include <drm/gpu_scheduler.h>

const enum drm_gpu_sched_stat nvsvm_conftest = DRM_GPU_SCHED_STAT_RESET;
