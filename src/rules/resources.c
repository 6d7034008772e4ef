/*
 * What cpu-requests, cpu-limits, memory-requests and memory-limits share:
 * every container (not ephemeral ones, which cannot have resources) must
 * set the quantity; pod-level resources (spec.resources) cover every
 * container; a limit also stands for a missing request, as Kubernetes
 * copies it there.
 */
#include <stdio.h>
#include <string.h>

#include "common.h"

static const char *quantity(const struct kc_quantities *q, bool cpu)
{
	const char *v = q == NULL ? NULL : cpu ? q->cpu : q->memory;
	return v != NULL && v[0] != '\0' ? v : NULL;
}

static bool pod_set(const struct kc_workload *w, const char *dotted)
{
	struct kc_path p = kc_path_join(&w->pod_spec_path, dotted);
	const struct kc_node *n = kc_doc_get(w, &p);
	return n != NULL && !kc_node_is_null(n);
}

void kc_rules_resource(const struct kc_workload *w, struct kc_check *ck, bool cpu,
	bool limit, const char *consequence)
{
	/* Literal paths: kc_path_join keeps pointers into them. */
	const char *own = limit ? (cpu ? "resources.limits.cpu" : "resources.limits.memory")
		: (cpu ? "resources.requests.cpu" : "resources.requests.memory");
	const char *pod_limit = cpu ? "resources.limits.cpu" : "resources.limits.memory";
	if (pod_set(w, own) || (!limit && pod_set(w, pod_limit))) {
		return;
	}
	for (unsigned i = 0; i < w->container_count; i++) {
		const struct kc_container_ref *ref = &w->containers[i];
		if (ref->list == KC_CONTAINER_EPHEMERAL) {
			continue;
		}
		const struct kc_resources *r = ref->c->resources;
		if (r != NULL && (quantity(limit ? r->limits : r->requests, cpu) != NULL ||
			(!limit && quantity(r->limits, cpu) != NULL))) {
			continue;
		}
		struct kc_path p = kc_path_join(&ref->path, own);
		char buf[16];
		kc_rules_container_finding(ck, ref, &p, "container '%s' sets no %s %s: %s",
			kc_rules_container_name(ref, buf, sizeof(buf)), cpu ? "CPU" : "memory",
			limit ? "limit" : "request", consequence);
	}
}
