// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* drm_sched_job_init() takes the DRM client id (Linux 6.16). */
#include <drm/gpu_scheduler.h>

int nvsvm_conftest(struct drm_sched_job *job, struct drm_sched_entity *entity);
int nvsvm_conftest(struct drm_sched_job *job, struct drm_sched_entity *entity)
{
	return drm_sched_job_init(job, entity, 1, NULL, 0);
}
