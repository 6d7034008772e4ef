/*
 * deprecated-api-version: workloads written for API versions that
 * Kubernetes no longer serves are refused by every current cluster, so the
 * manifest cannot be applied at all. Each is replaced by apps/v1 or
 * batch/v1, and the fix is the new apiVersion. Moving from
 * extensions/v1beta1, apps/v1beta1 or apps/v1beta2 to apps/v1 also makes
 * spec.selector required (it used to default to the template's labels).
 */
#include <string.h>

#include "common.h"

static const struct removed {
	const char *api_version;
	const char *kind;
	const char *replacement;
	const char *removed_in;
} removed[] = {
	{ "apps/v1beta1", "Deployment", "apps/v1", "1.16" },
	{ "apps/v1beta1", "StatefulSet", "apps/v1", "1.16" },
	{ "apps/v1beta2", "DaemonSet", "apps/v1", "1.16" },
	{ "apps/v1beta2", "Deployment", "apps/v1", "1.16" },
	{ "apps/v1beta2", "ReplicaSet", "apps/v1", "1.16" },
	{ "apps/v1beta2", "StatefulSet", "apps/v1", "1.16" },
	{ "batch/v1beta1", "CronJob", "batch/v1", "1.25" },
	{ "batch/v2alpha1", "CronJob", "batch/v1", "1.21" },
	{ "extensions/v1beta1", "DaemonSet", "apps/v1", "1.16" },
	{ "extensions/v1beta1", "Deployment", "apps/v1", "1.16" },
	{ "extensions/v1beta1", "ReplicaSet", "apps/v1", "1.16" },
};

void kc_rules_deprecated_api_version(const struct kc_workload *w, struct kc_check *ck)
{
	for (size_t i = 0; i < sizeof(removed) / sizeof(removed[0]); i++) {
		const struct removed *r = &removed[i];
		if (strcmp(w->api_version, r->api_version) != 0 || strcmp(w->kind, r->kind) != 0) {
			continue;
		}
		struct kc_path p = kc_path_join(&w->resource_path, "apiVersion");
		struct kc_finding *f = kc_finding_add(ck, &p,
			"the '%s' %s API was removed in Kubernetes %s, so current clusters "
			"refuse it: use '%s'", r->api_version, r->kind, r->removed_in,
			r->replacement);
		kc_finding_fix(ck, f, NULL, r->replacement);
		struct kc_path selector = kc_path_join(&w->resource_path, "spec.selector");
		if (strcmp(r->replacement, "apps/v1") == 0 && kc_doc_get(w, &selector) == NULL) {
			kc_finding_note(ck, f, "apps/v1 also requires spec.selector, "
				"matching the pod template's labels");
		}
		return;
	}
}
