/*
 * run-as-group-root: a container whose effective runAsGroup (its own, else
 * the pod's) is 0 runs with group root as its primary group, so it can
 * read and write every file of group root that it reaches: in the image,
 * on hostPath volumes, and on the node if it escapes. The pod's fsGroup
 * and supplementalGroups are added to every container's groups, so 0
 * there is reported too, once, where it is written.
 *
 * Containers that inherit the pod's 0 are each reported, with the pod line
 * as the origin; a pod-level 0 that every container overrides is harmless
 * and is not reported.
 */
#include "common.h"

void kc_rules_run_as_group_root(const struct kc_workload *w, struct kc_check *ck)
{
	for (unsigned i = 0; i < w->container_count; i++) {
		const struct kc_container_ref *ref = &w->containers[i];
		struct kc_effective e = kc_effective_run_as_group(w, ref);
		if (e.origin == KC_ORIGIN_UNSET || *e.i != 0) {
			continue;
		}
		char buf[16];
		const char *name = kc_rules_container_name(ref, buf, sizeof(buf));
		if (e.origin == KC_ORIGIN_CONTAINER) {
			kc_rules_container_finding(ck, ref, &e.path,
				"container '%s' runs with group root: runAsGroup: 0", name);
			continue;
		}
		struct kc_path own = kc_container_sc_path(ref, "runAsGroup");
		struct kc_finding *f = kc_rules_container_finding(ck, ref, &own,
			"container '%s' runs with group root, inheriting runAsGroup: 0 "
			"from the pod", name);
		kc_finding_origin(ck, f, &e.path, "runAsGroup: 0 is set at pod level");
	}
	const struct kc_pod_security_context *psc = w->spec->security_context;
	if (psc == NULL) {
		return;
	}
	if (psc->fs_group != NULL && *psc->fs_group == 0) {
		struct kc_path p = kc_pod_sc_path(w, "fsGroup");
		kc_finding_add(ck, &p,
			"the pod sets fsGroup: 0: every container gets group root as a "
			"supplementary group, and the pod's volumes belong to it");
	}
	for (unsigned j = 0; j < psc->supplemental_groups_count; j++) {
		if (psc->supplemental_groups[j] != 0) {
			continue;
		}
		struct kc_path p = kc_pod_sc_path(w, "supplementalGroups");
		kc_path_index(&p, j);
		kc_finding_add(ck, &p,
			"the pod lists group 0 in supplementalGroups: every container "
			"gets group root as a supplementary group");
	}
}
