/*
 * automount-service-account-token: unless the pod sets
 * automountServiceAccountToken: false, every container gets a token for the
 * Kubernetes API, and anyone who breaks into one can use whatever the
 * service account is allowed. Most applications never call the API. The
 * ServiceAccount object may also disable it, but it is not in the manifest
 * being checked, and the pod's setting wins.
 */
#include <string.h>

#include "common.h"

void kc_rules_automount_service_account_token(const struct kc_workload *w,
	struct kc_check *ck)
{
	const bool *automount = w->spec->automount_service_account_token;
	if (automount != NULL && !*automount) {
		return;
	}
	struct kc_path p = kc_path_join(&w->pod_spec_path, "automountServiceAccountToken");
	struct kc_finding *f = automount != NULL
		? kc_finding_add(ck, &p, "the pod sets automountServiceAccountToken: true, "
			"so every container gets a Kubernetes API token")
		: kc_finding_add(ck, &p, "every container gets a Kubernetes API token: "
			"automountServiceAccountToken is not set to false");
	kc_finding_fix(ck, f, NULL, "false");
	const char *sa = w->spec->service_account_name;
	if (sa != NULL && *sa != '\0' && strcmp(sa, "default") != 0) {
		/* A service account of its own is usually there to call the
		 * API: without the token the workload may stop working. */
		kc_finding_fix_unsafe(ck, f, "the pod names its own service account, "
			"which it may use to call the Kubernetes API");
	}
}
