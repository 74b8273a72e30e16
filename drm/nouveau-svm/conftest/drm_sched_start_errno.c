// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* drm_sched_start() takes the error for jobs without a fence (Linux 6.13). */
#include <drm/gpu_scheduler.h>

void nvsvm_conftest(struct drm_gpu_scheduler *sched);
void nvsvm_conftest(struct drm_gpu_scheduler *sched)
{
	drm_sched_start(sched, 0);
}
