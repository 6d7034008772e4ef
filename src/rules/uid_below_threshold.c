/*
 * uid-below-threshold: a container whose effective runAsUser (its own, else
 * the pod's) is below the `threshold` parameter (default 10000). Low UIDs
 * are those of the node's own users and services; a process that escapes
 * the container keeps its UID, and with it whatever that user may do on
 * the node. UID 0 is run-as-user's to report. Unset is not reported: the
 * image decides, and run-as-non-root covers root.
 */
#include <inttypes.h>

#include "common.h"

void kc_rules_uid_below_threshold(const struct kc_workload *w, struct kc_check *ck)
{
	long long threshold = kc_check_param_int(ck, "threshold", 10000);
	for (unsigned i = 0; i < w->container_count; i++) {
		const struct kc_container_ref *ref = &w->containers[i];
		struct kc_effective e = kc_effective_run_as_user(w, ref);
		if (e.origin == KC_ORIGIN_UNSET || *e.i <= 0 || *e.i >= threshold) {
			continue;
		}
		char buf[16];
		const char *name = kc_rules_container_name(ref, buf, sizeof(buf));
		if (e.origin == KC_ORIGIN_CONTAINER) {
			kc_rules_container_finding(ck, ref, &e.path,
				"container '%s' runs as UID %" PRId64 ", below %lld: "
				"it may be the UID of a user on the node", name, *e.i,
				threshold);
			continue;
		}
		struct kc_path own = kc_container_sc_path(ref, "runAsUser");
		struct kc_finding *f = kc_rules_container_finding(ck, ref, &own,
			"container '%s' runs as UID %" PRId64 ", inherited from the pod, "
			"below %lld: it may be the UID of a user on the node", name,
			*e.i, threshold);
		kc_finding_origin(ck, f, &e.path, kc_arena_printf(kc_check_arena(ck),
			"runAsUser: %" PRId64 " is set at pod level", *e.i));
	}
}
