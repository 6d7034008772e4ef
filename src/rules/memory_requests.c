/*
 * memory-requests: every container (not ephemeral ones, which cannot
 * have resources) should request the memory it needs, so that the scheduler
 * puts it on a node that has it and it is not the first evicted under
 * pressure. A limit alone is enough: Kubernetes copies it into the missing
 * request. Pod-level resources (spec.resources) cover every container.
 */
#include "common.h"

static bool set(const struct kc_quantities *q)
{
	return q != NULL && q->memory != NULL && q->memory[0] != '\0';
}

static bool pod_set(const struct kc_workload *w, const char *dotted)
{
	struct kc_path p = kc_path_join(&w->pod_spec_path, dotted);
	const struct kc_node *n = kc_doc_get(w, &p);
	return n != NULL && !kc_node_is_null(n);
}

void kc_rules_memory_requests(const struct kc_workload *w, struct kc_check *ck)
{
	if (pod_set(w, "resources.requests.memory") || pod_set(w, "resources.limits.memory")) {
		return;
	}
	for (unsigned i = 0; i < w->container_count; i++) {
		const struct kc_container_ref *ref = &w->containers[i];
		if (ref->list == KC_CONTAINER_EPHEMERAL) {
			continue;
		}
		const struct kc_resources *r = ref->c->resources;
		if (r != NULL && set(r->requests)) {
			continue;
		}
		if (r != NULL && set(r->limits)) {
			continue;  /* the request defaults to the limit */
		}
		struct kc_path p = kc_path_join(&ref->path, "resources.requests.memory");
		char buf[16];
		kc_rules_container_finding(ck, ref, &p,
			"container '%s' sets no memory request: the scheduler places it as "
			"if it needed no memory", kc_rules_container_name(ref, buf, sizeof(buf)));
	}
}
