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
	kc_rules_id_below_threshold(w, ck, kc_effective_run_as_group, "runAsGroup", "GID",
		"a group");
	long long threshold = kc_check_param_int(ck, "threshold", 10000);
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
