// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* drm_sched_init() takes its arguments in a struct (Linux 6.15). */
#include <drm/gpu_scheduler.h>

int nvsvm_conftest(struct drm_gpu_scheduler *sched, const struct drm_sched_init_args *args);
int nvsvm_conftest(struct drm_gpu_scheduler *sched, const struct drm_sched_init_args *args)
{
	return drm_sched_init(sched, args);
}
