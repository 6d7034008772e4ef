/*
 * run-as-non-root: every container must be kept from running as root by
 * runAsNonRoot: true, its own or the pod's. Follows the Pod Security
 * "restricted" semantics: a container's own value wins; an unset container
 * passes only if the pod sets true; a pod-level false fails even when every
 * container overrides it.
 */
#include "common.h"

void kc_rules_run_as_non_root(const struct kc_workload *w, struct kc_check *ck)
{
	const struct kc_pod_security_context *psc = w->spec->security_context;
	const bool *pod = psc ? psc->run_as_non_root : NULL;
	struct kc_path pod_path = kc_pod_sc_path(w, "runAsNonRoot");
	unsigned inheriting = 0;
	for (unsigned i = 0; i < w->container_count; i++) {
		const struct kc_container_ref *ref = &w->containers[i];
		struct kc_effective e = kc_effective_run_as_non_root(w, ref);
		char buf[16];
		const char *name = kc_rules_container_name(ref, buf, sizeof(buf));
		struct kc_finding *f;
		if (e.origin == KC_ORIGIN_CONTAINER) {
			if (*e.b) {
				continue;
			}
			f = kc_rules_container_finding(ck, ref, &e.path,
				"container '%s' sets runAsNonRoot: false, so it may run as root",
				name);
		} else if (e.origin == KC_ORIGIN_POD) {
			if (*e.b) {
				continue;
			}
			inheriting++;
			struct kc_path own = kc_container_sc_path(ref, "runAsNonRoot");
			f = kc_rules_container_finding(ck, ref, &own,
				"container '%s' inherits runAsNonRoot: false from the pod, "
				"so it may run as root", name);
			kc_finding_origin(ck, f, &e.path, "runAsNonRoot: false is set at pod level");
			kc_finding_fix(ck, f, &pod_path, "true");
			continue;
		} else {
			f = kc_rules_container_finding(ck, ref, &e.path,
				"container '%s' may run as root: runAsNonRoot is not set "
				"to true, neither on the container nor on the pod", name);
			/* At pod level it covers every container, including
			 * ones added later. */
			kc_finding_fix(ck, f, &pod_path, "true");
			continue;
		}
		kc_finding_fix(ck, f, NULL, "true");
	}
	if (pod != NULL && !*pod && inheriting == 0) {
		struct kc_finding *f = kc_finding_add(ck, &pod_path,
			"the pod sets runAsNonRoot: false; Pod Security 'restricted' "
			"rejects that even though every container sets it to true");
		kc_finding_fix(ck, f, NULL, "true");
	}
}

