/*
 * cpu-limits: every container (not ephemeral ones, which cannot have
 * resources) should have a CPU limit, so that a busy or compromised process
 * cannot starve its neighbours. Pod-level limits (spec.resources) cover
 * every container.
 */
#include "common.h"

static bool set(const struct kc_quantities *q)
{
	return q != NULL && q->cpu != NULL && q->cpu[0] != '\0';
}

static bool pod_set(const struct kc_workload *w, const char *dotted)
{
	struct kc_path p = kc_path_join(&w->pod_spec_path, dotted);
	const struct kc_node *n = kc_doc_get(w, &p);
	return n != NULL && !kc_node_is_null(n);
}

void kc_rules_cpu_limits(const struct kc_workload *w, struct kc_check *ck)
{
	if (pod_set(w, "resources.limits.cpu")) {
		return;
	}
	for (unsigned i = 0; i < w->container_count; i++) {
		const struct kc_container_ref *ref = &w->containers[i];
		if (ref->list == KC_CONTAINER_EPHEMERAL) {
			continue;
		}
		const struct kc_resources *r = ref->c->resources;
		if (r != NULL && set(r->limits)) {
			continue;
		}
		struct kc_path p = kc_path_join(&ref->path, "resources.limits.cpu");
		char buf[16];
		kc_rules_container_finding(ck, ref, &p,
			"container '%s' sets no CPU limit: it can take all the spare CPU of "
			"its node", kc_rules_container_name(ref, buf, sizeof(buf)));
	}
}
