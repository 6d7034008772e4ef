/*
 * capabilities-drop-all: every container must drop all Linux capabilities
 * with securityContext.capabilities.drop: [ALL]. Kubernetes matches "ALL"
 * exactly: a lowercase "all" (as many tutorials write it) is refused by Pod
 * Security "restricted", so it gets its own message.
 */
#include <ctype.h>
#include <string.h>

#include "common.h"

static bool equals_nocase(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		if (toupper((unsigned char)*a) != toupper((unsigned char)*b)) {
			return false;
		}
	}
	return *a == *b;
}

void kc_rules_capabilities_drop_all(const struct kc_workload *w, struct kc_check *ck)
{
	/* One finding per field: capabilities-restricted reports the same
	 * containers' drop list with the same fix (and notes a wrong case);
	 * while it runs, it owns the field. */
	if (kc_check_rule_runs(ck, "capabilities-restricted")) {
		return;
	}
	for (unsigned i = 0; i < w->container_count; i++) {
		const struct kc_container_ref *ref = &w->containers[i];
		const struct kc_security_context *sc = ref->c->security_context;
		const struct kc_capabilities *caps = sc ? sc->capabilities : NULL;
		struct kc_path drop = kc_container_sc_path(ref, "capabilities.drop");
		char buf[16];
		const char *name = kc_rules_container_name(ref, buf, sizeof(buf));
		bool all = false;
		long wrong_case = -1;
		for (unsigned j = 0; caps != NULL && j < caps->drop_count; j++) {
			if (caps->drop[j] == NULL) {
				continue;
			}
			if (strcmp(caps->drop[j], "ALL") == 0) {
				all = true;
			} else if (equals_nocase(caps->drop[j], "ALL") && wrong_case < 0) {
				wrong_case = j;
			}
		}
		if (all) {
			continue;
		}
		struct kc_finding *f;
		if (wrong_case >= 0) {
			struct kc_path item = drop;
			kc_path_index(&item, (size_t)wrong_case);
			f = kc_rules_container_finding(ck, ref, &item,
				"container '%s' drops '%s', but Kubernetes only recognises "
				"'ALL' in capitals", name, caps->drop[wrong_case]);
		} else {
			f = kc_rules_container_finding(ck, ref, &drop,
				"container '%s' does not drop ALL capabilities and keeps "
				"the runtime's default set", name);
		}
		/* The fix rewrites the list, whichever item was pointed at. */
		kc_finding_fix(ck, f, &drop, "[ALL]");
	}
}

