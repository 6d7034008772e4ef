/*
 * liveness-probe: every regular container should have a livenessProbe, or
 * Kubernetes restarts it only when its process exits, never when it hangs.
 * Init containers run to completion and ephemeral containers cannot have
 * probes; Jobs and CronJobs run to completion, so they are not checked.
 */
#include <string.h>

#include "common.h"

void kc_rules_liveness_probe(const struct kc_workload *w, struct kc_check *ck)
{
	if (strcmp(w->kind, "Job") == 0 || strcmp(w->kind, "CronJob") == 0) {
		return;
	}
	for (unsigned i = 0; i < w->container_count; i++) {
		const struct kc_container_ref *ref = &w->containers[i];
		if (ref->list != KC_CONTAINER_REGULAR || ref->c->liveness_probe != NULL) {
			continue;
		}
		struct kc_path p = kc_path_join(&ref->path, "livenessProbe");
		char buf[16];
		kc_rules_container_finding(ck, ref, &p,
			"container '%s' has no liveness probe: if it hangs, Kubernetes "
			"will not restart it", kc_rules_container_name(ref, buf, sizeof(buf)));
	}
}
