/*
 * writable-host-path: a container that mounts a hostPath volume without
 * readOnly: true can change files on the node, which outlive the pod and
 * are seen by the node and by every other pod that mounts them. The finding
 * is per mount, since readOnly is set per mount, not per volume.
 */
#include <string.h>

#include "common.h"

void kc_rules_writable_host_path(const struct kc_workload *w, struct kc_check *ck)
{
	struct kc_rules_volumes volumes;
	kc_rules_volumes_init(&volumes, kc_check_arena(ck), w->spec);
	for (unsigned i = 0; i < w->container_count; i++) {
		const struct kc_container_ref *ref = &w->containers[i];
		for (unsigned j = 0; j < ref->c->volume_mounts_count; j++) {
			const struct kc_volume_mount *m = &ref->c->volume_mounts[j];
			if (m->name == NULL || (m->read_only != NULL && *m->read_only)) {
				continue;
			}
			const struct kc_volume *v = kc_rules_volumes_find(&volumes, m->name);
			if (v == NULL || v->host_path == NULL) {
				continue;
			}
			struct kc_path p = kc_path_join(&ref->path, "volumeMounts");
			kc_path_index(&p, j);
			p = kc_path_join(&p, "readOnly");
			char buf[16];
			const char *name = kc_rules_container_name(ref, buf, sizeof(buf));
			const char *host = v->host_path->path ? v->host_path->path : "";
			struct kc_finding *f = m->read_only != NULL
				? kc_rules_container_finding(ck, ref, &p,
					"container '%s' mounts hostPath '%s' (volume '%s') "
					"with readOnly: false, so it can change files on the node",
					name, host, m->name)
				: kc_rules_container_finding(ck, ref, &p,
					"container '%s' mounts hostPath '%s' (volume '%s') "
					"writable: readOnly is not set to true", name, host,
					m->name);
			kc_finding_fix(ck, f, NULL, "true");
		}
	}
}
