/*
 * gid-below-threshold: a container whose effective runAsGroup (its own,
 * else the pod's) is below the `threshold` parameter (default 10000), and
 * a pod fsGroup below it (fsGroup is a supplementary group of every
 * container, and owns the pod's volumes). Low GIDs are those of the node's
 * own groups; a process that escapes the container keeps its groups and
 * their access to the node's files. GID 0 is run-as-group-root's to report.
 */
#include <inttypes.h>

#include "common.h"

void kc_rules_gid_below_threshold(const struct kc_workload *w, struct kc_check *ck)
{
	long long threshold = kc_check_param_int(ck, "threshold", 10000);
	for (unsigned i = 0; i < w->container_count; i++) {
		const struct kc_container_ref *ref = &w->containers[i];
		struct kc_effective e = kc_effective_run_as_group(w, ref);
		if (e.origin == KC_ORIGIN_UNSET || *e.i <= 0 || *e.i >= threshold) {
			continue;
		}
		char buf[16];
		const char *name = kc_rules_container_name(ref, buf, sizeof(buf));
		if (e.origin == KC_ORIGIN_CONTAINER) {
			kc_rules_container_finding(ck, ref, &e.path,
				"container '%s' runs as GID %" PRId64 ", below %lld: "
				"it may be the GID of a group on the node", name, *e.i,
				threshold);
			continue;
		}
		struct kc_path own = kc_container_sc_path(ref, "runAsGroup");
		struct kc_finding *f = kc_rules_container_finding(ck, ref, &own,
			"container '%s' runs as GID %" PRId64 ", inherited from the pod, "
			"below %lld: it may be the GID of a group on the node", name,
			*e.i, threshold);
		kc_finding_origin(ck, f, &e.path, kc_arena_printf(kc_check_arena(ck),
			"runAsGroup: %" PRId64 " is set at pod level", *e.i));
	}
	const struct kc_pod_security_context *psc = w->spec->security_context;
	const int64_t *fs = psc ? psc->fs_group : NULL;
	if (fs != NULL && *fs > 0 && *fs < threshold) {
		struct kc_path p = kc_pod_sc_path(w, "fsGroup");
		kc_finding_add(ck, &p,
			"the pod sets fsGroup: %" PRId64 ", below %lld: every container "
			"gets it as a supplementary group, and it may be the GID of a "
			"group on the node", *fs, threshold);
	}
}
