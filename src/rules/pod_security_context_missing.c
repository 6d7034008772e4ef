/*
 * pod-security-context-missing: a pod without spec.securityContext (or with
 * an empty one) leaves every pod-wide default to the image and the
 * runtime: root if the image says so, no seccomp profile, no fsGroup. The
 * pod level is where one line covers every container, including init and
 * ephemeral containers and any added later, so start there.
 */
#include "common.h"

static const char *const minimal =
	"{runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}";

void kc_rules_pod_security_context_missing(const struct kc_workload *w, struct kc_check *ck)
{
	struct kc_path p = kc_path_join(&w->pod_spec_path, "securityContext");
	const struct kc_node *n = kc_doc_get(w, &p);
	struct kc_finding *f;
	if (n == NULL) {
		f = kc_finding_add(ck, &p, "the pod has no securityContext: nothing "
			"keeps its containers from running as root or without a "
			"seccomp profile");
	} else if (kc_node_is_null(n) || (n->type == KC_NODE_MAPPING && n->count == 0)) {
		f = kc_finding_add(ck, &p, "the pod's securityContext is empty: "
			"nothing keeps its containers from running as root or without "
			"a seccomp profile");
	} else {
		return;
	}
	kc_finding_fix(ck, f, NULL, minimal);
	/* As run-as-non-root's: the kubelet refuses to start an image that
	 * runs as root once runAsNonRoot is true. */
	kc_finding_fix_unsafe(ck, f, "it sets runAsNonRoot: true, and the image "
		"may run as root, which the kubelet would then refuse to start; "
		"check its user first");
}
