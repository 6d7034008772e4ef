/*
 * run-as-user: runAsUser: 0 (root) is refused wherever it is set, pod or
 * container. The verdict is the Pod Security check's (it exists from v1.23;
 * hostUsers: false relaxes it from v1.35). Containers that inherit a
 * pod-level 0 are each reported, with the pod line as the origin; a
 * pod-level 0 that every container overrides is still reported once.
 */
#include "common.h"

static const char *const uid_fix = "10001  # any non-zero UID your image can run as";

void kc_rules_run_as_user(const struct kc_workload *w, struct kc_check *ck)
{
	struct kc_pss_result r;
	if (!kc_rules_pss_verdict(ck, w, KC_PSS_RUN_AS_USER, &r)) {
		return;
	}
	struct kc_rules_pss_texts texts;
	kc_rules_pss_texts_init(&texts, kc_check_arena(ck), &r);
	const struct kc_pod_security_context *psc = w->spec->security_context;
	const int64_t *pod = psc ? psc->run_as_user : NULL;
	unsigned inheriting = 0, reported = 0;
	for (unsigned i = 0; i < w->container_count; i++) {
		const struct kc_container_ref *ref = &w->containers[i];
		struct kc_effective e = kc_effective_run_as_user(w, ref);
		if (e.origin == KC_ORIGIN_UNSET || *e.i != 0) {
			continue;
		}
		reported++;
		char buf[16];
		const char *name = kc_rules_container_name(ref, buf, sizeof(buf));
		struct kc_finding *f;
		if (e.origin == KC_ORIGIN_CONTAINER) {
			f = kc_rules_container_finding(ck, ref, &e.path,
				"container '%s' runs as root: %s",
				name, kc_rules_pss_text(&texts, ref->c->name));
		} else {
			inheriting++;
			struct kc_path own = kc_container_sc_path(ref, "runAsUser");
			f = kc_rules_container_finding(ck, ref, &own,
				"container '%s' runs as root, inheriting runAsUser: 0 "
				"from the pod: %s", name, kc_rules_pss_text(&texts, NULL));
			kc_finding_origin(ck, f, &e.path, "runAsUser: 0 is set at pod level");
		}
		kc_finding_manual(ck, f, &e.path, uid_fix);
	}
	if (pod != NULL && *pod == 0 && inheriting == 0) {
		reported++;
		struct kc_path p = kc_pod_sc_path(w, "runAsUser");
		struct kc_finding *f = kc_finding_add(ck, &p,
			"the pod may not set runAsUser: 0, even when every container "
			"sets its own UID: %s",
			kc_rules_pss_text(&texts, NULL));
		kc_finding_manual(ck, f, NULL, uid_fix);
	}
	if (reported == 0) {
		kc_rules_pss_report(ck, &r);
	}
}
