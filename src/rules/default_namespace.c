/*
 * default-namespace: a workload placed explicitly in the "default"
 * namespace shares it with everything deployed without a namespace, so
 * quotas, network policies and RBAC cannot be scoped to it. Only an
 * explicit metadata.namespace: default is reported: without one, the
 * namespace is chosen at deploy time (kubectl -n, kustomize, Helm).
 */
#include <string.h>

#include "common.h"

void kc_rules_default_namespace(const struct kc_workload *w, struct kc_check *ck)
{
	if (w->namespace == NULL || strcmp(w->namespace, "default") != 0) {
		return;
	}
	struct kc_path p = kc_path_join(&w->resource_path, "metadata.namespace");
	kc_finding_add(ck, &p, "the resource is placed in the 'default' namespace, "
		"which it shares with everything deployed without one");
}
