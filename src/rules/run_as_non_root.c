/*
 * run-as-non-root: every container must be kept from running as root by
 * runAsNonRoot: true, its own or the pod's. The verdict is the Pod Security
 * check's (so version ranges and the hostUsers: false relaxation apply);
 * this rule adds what the controller leaves out: one finding per container
 * that is affected, with the pod line an inherited false comes from.
 */
#include "common.h"

/* With runAsNonRoot: true the kubelet refuses to start a container whose
 * image runs as root (or as a user name), unless runAsUser is set. */
#define RUNS_AS_ROOT "the image may run as root, and the kubelet would then " \
	"refuse to start the container; check its user first"

/*
 * Whether the container will still start once runAsNonRoot is true: a
 * non-zero runAsUser, or an image known to run as a numeric non-root UID
 * (docs/images.md). When the image runs as root or as a name whose UID is
 * known, the fix also sets runAsUser to it, as the seed article does for
 * mongo (999), and it starts. Anything else is unknown: the fix is unsafe.
 */
static bool will_start(struct kc_check *ck, struct kc_finding *f,
	const struct kc_workload *w, const struct kc_container_ref *ref)
{
	struct kc_effective ru = kc_effective_run_as_user(w, ref);
	if (ru.origin != KC_ORIGIN_UNSET) {
		return *ru.i != 0;
	}
	struct kc_image_info in;
	if (ref->c->image == NULL || !kc_check_image(ck, ref->c->image, &in)) {
		return false;
	}
	if (in.user.verdict == KC_IMAGE_NON_ROOT) {
		return true;
	}
	long long uid = -1;
	if (in.user.verdict == KC_IMAGE_NON_NUMERIC) {
		uid = in.user.uid;
	} else if (in.user.verdict == KC_IMAGE_ROOT && in.user.instr == NULL &&
		in.user.base != NULL) {
		uid = kc_image_base_service_uid(in.user.base, kc_check_arena(ck));
	}
	if (uid <= 0) {
		return false;
	}
	struct kc_path p = kc_container_sc_path(ref, "runAsUser");
	kc_finding_fix_also(ck, f, &p, kc_arena_printf(kc_check_arena(ck), "%lld", uid));
	return true;
}

void kc_rules_run_as_non_root(const struct kc_workload *w, struct kc_check *ck)
{
	struct kc_pss_result r;
	if (!kc_rules_pss_verdict(ck, w, KC_PSS_RUN_AS_NON_ROOT, &r)) {
		return;
	}
	struct kc_rules_pss_texts texts;
	kc_rules_pss_texts_init(&texts, kc_check_arena(ck), &r);
	const struct kc_pod_security_context *psc = w->spec->security_context;
	const bool *pod = psc ? psc->run_as_non_root : NULL;
	struct kc_path pod_path = kc_pod_sc_path(w, "runAsNonRoot");
	unsigned inheriting = 0, reported = 0;
	for (unsigned i = 0; i < w->container_count; i++) {
		const struct kc_container_ref *ref = &w->containers[i];
		struct kc_effective e = kc_effective_run_as_non_root(w, ref);
		char buf[16];
		const char *name = kc_rules_container_name(ref, buf, sizeof(buf));
		struct kc_finding *f;
		if (e.origin != KC_ORIGIN_UNSET && *e.b) {
			continue;
		}
		const char *psa = kc_rules_pss_text(&texts, ref->c->name);
		reported++;
		if (e.origin == KC_ORIGIN_CONTAINER) {
			f = kc_rules_container_finding(ck, ref, &e.path,
				"container '%s' may run as root: %s", name, psa);
			kc_finding_fix(ck, f, NULL, "true");
		} else if (e.origin == KC_ORIGIN_POD) {
			inheriting++;
			struct kc_path own = kc_container_sc_path(ref, "runAsNonRoot");
			f = kc_rules_container_finding(ck, ref, &own,
				"container '%s' may run as root, inheriting runAsNonRoot: "
				"false from the pod: %s", name, psa);
			kc_finding_origin(ck, f, &e.path, "runAsNonRoot: false is set at pod level");
			kc_finding_fix(ck, f, &pod_path, "true");
		} else {
			f = kc_rules_container_finding(ck, ref, &e.path,
				"container '%s' may run as root: %s", name, psa);
			/* At pod level it covers every container, including
			 * ones added later. */
			kc_finding_fix(ck, f, &pod_path, "true");
		}
		if (!will_start(ck, f, w, ref)) {
			kc_finding_fix_unsafe(ck, f, RUNS_AS_ROOT);
		}
	}
	if (pod != NULL && !*pod && inheriting == 0) {
		reported++;
		struct kc_finding *f = kc_finding_add(ck, &pod_path,
			"the pod may not set runAsNonRoot: false, even when every "
			"container sets true: %s",
			kc_rules_pss_text(&texts, NULL));
		kc_finding_fix(ck, f, NULL, "true");
		kc_finding_fix_unsafe(ck, f, RUNS_AS_ROOT);
	}
	if (reported == 0) {
		kc_rules_pss_report(ck, &r);
	}
}
