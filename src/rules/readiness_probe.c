/*
 * readiness-probe: every regular container should have a readinessProbe,
 * or its pod gets Service traffic as soon as the container starts, before
 * it can answer, and keeps getting it while it cannot. Init and ephemeral
 * containers are not checked, nor Jobs and CronJobs, which serve nothing.
 */
#include <string.h>

#include "common.h"

void kc_rules_readiness_probe(const struct kc_workload *w, struct kc_check *ck)
{
	if (strcmp(w->kind, "Job") == 0 || strcmp(w->kind, "CronJob") == 0) {
		return;
	}
	for (unsigned i = 0; i < w->container_count; i++) {
		const struct kc_container_ref *ref = &w->containers[i];
		if (ref->list != KC_CONTAINER_REGULAR || ref->c->readiness_probe != NULL) {
			continue;
		}
		struct kc_path p = kc_path_join(&ref->path, "readinessProbe");
		char buf[16];
		kc_rules_container_finding(ck, ref, &p,
			"container '%s' has no readiness probe: its pod gets traffic "
			"before it is ready to serve",
			kc_rules_container_name(ref, buf, sizeof(buf)));
	}
}
