/*
 * The Pod Security checks as rules: one finding per violation that the
 * admission controller's check reports, at the offending field (or where a
 * required field must be set), with the controller's own reason text. The
 * check runs only where the run's Pod Security policy (level and version)
 * runs it. run-as-non-root and run-as-user have rules of their own that add
 * inheritance notes; they use the same verdict.
 */
#include <string.h>

#include "common.h"

static bool last_key_is(const struct kc_path *p, const char *key)
{
	if (p->len == 0 || p->seg[p->len - 1].key == NULL) {
		return false;
	}
	const struct kc_seg *s = &p->seg[p->len - 1];
	return strlen(key) == s->key_len && memcmp(s->key, key, s->key_len) == 0;
}

/* drop: [all] is the commonest way to miss: say so. */
static void note_lowercase_all(struct kc_check *ck, const struct kc_workload *w,
	const struct kc_pss_violation *v, struct kc_finding *f)
{
	const struct kc_node *drop = kc_doc_get(w, &v->path);
	for (size_t i = 0; drop != NULL && drop->type == KC_NODE_SEQUENCE &&
		i < drop->count; i++) {
		const struct kc_node *item = drop->items[i];
		if (item->type == KC_NODE_SCALAR && item->len == 3 &&
			strcmp(item->value, "ALL") != 0 &&
			(item->value[0] | 0x20) == 'a' && (item->value[1] | 0x20) == 'l' &&
			(item->value[2] | 0x20) == 'l') {
			kc_finding_note(ck, f, "'%s' is not 'ALL': Kubernetes matches "
				"capability names exactly (line %u)", item->value,
				item->start.line);
			return;
		}
	}
}

/*
 * Where one safe value clears the violation, record it as the fix: the
 * field must be set (allowPrivilegeEscalation: false, drop: [ALL], a
 * seccomp profile) or a boolean/enum must go back to its safe value. The
 * rest (host namespaces, hostPath volumes, added capabilities) needs a
 * person's judgement, so the finding carries no fix.
 */
static void add_fix(struct kc_check *ck, const struct kc_workload *w,
	enum kc_pss_check c, const struct kc_pss_violation *v, struct kc_finding *f)
{
	switch (c) {
	case KC_PSS_ALLOW_PRIVILEGE_ESCALATION:
	case KC_PSS_PRIVILEGED:
		kc_finding_fix(ck, f, NULL, "false");
		break;
	case KC_PSS_CAPABILITIES_RESTRICTED:
		if (last_key_is(&v->path, "drop")) {
			kc_finding_fix(ck, f, NULL, "[ALL]");
			note_lowercase_all(ck, w, v, f);
		} else if (!v->missing && v->path.len > 0 &&
			v->path.seg[v->path.len - 1].key == NULL) {
			/* an add entry other than NET_BIND_SERVICE */
			kc_finding_fix_remove(ck, f, NULL);
			kc_finding_fix_unsafe(ck, f, "the author added this capability, "
				"which the container may need");
		}
		break;
	case KC_PSS_PROC_MOUNT:
	case KC_PSS_PROC_MOUNT_RESTRICTED:
		kc_finding_fix(ck, f, NULL, "Default");
		break;
	case KC_PSS_SECCOMP_PROFILE_BASELINE:
	case KC_PSS_SECCOMP_PROFILE_RESTRICTED:
	case KC_PSS_APPARMOR_PROFILE:
		if (v->missing) {
			/* Once at pod level covers every container. */
			struct kc_path p = kc_pod_sc_path(w, "seccompProfile.type");
			kc_finding_fix(ck, f, &p, "RuntimeDefault");
		} else if (last_key_is(&v->path, "type")) {
			kc_finding_fix(ck, f, NULL, "RuntimeDefault");
		}
		break;
	default:
		break;
	}
}

void kc_rules_pss(const struct kc_workload *w, struct kc_check *ck)
{
	enum kc_pss_check c;
	if (!kc_pss_check_by_rule(kc_check_rule(ck), &c) ||
		!kc_pss_check_runs(c, kc_check_pss(ck))) {
		return;
	}
	struct kc_pss_result r;
	kc_pss_run_check(c, kc_check_pss(ck), w, kc_check_arena(ck), &r);
	for (unsigned i = 0; !r.allowed && i < r.count; i++) {
		const struct kc_pss_violation *v = &r.violations[i];
		struct kc_finding *f = kc_finding_add(ck, &v->path, "%s", v->text);
		if (v->container != NULL) {
			kc_finding_container(f, v->container);
		}
		add_fix(ck, w, c, v, f);
	}
}
