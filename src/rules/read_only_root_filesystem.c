/*
 * read-only-root-filesystem: every container should mount its root
 * filesystem read-only, so an intruder cannot change the image's files.
 * The field exists only on containers; a pod-level one does nothing.
 */
#include "common.h"

void kc_rules_read_only_root_filesystem(const struct kc_workload *w, struct kc_check *ck)
{
	for (unsigned i = 0; i < w->container_count; i++) {
		const struct kc_container_ref *ref = &w->containers[i];
		const struct kc_security_context *sc = ref->c->security_context;
		const bool *ro = sc ? sc->read_only_root_filesystem : NULL;
		if (ro != NULL && *ro) {
			continue;
		}
		struct kc_path p = kc_container_sc_path(ref, "readOnlyRootFilesystem");
		char buf[16];
		const char *name = kc_rules_container_name(ref, buf, sizeof(buf));
		struct kc_finding *f = ro != NULL
			? kc_rules_container_finding(ck, ref, &p,
				"container '%s' sets readOnlyRootFilesystem: false, so "
				"its root filesystem is writable", name)
			: kc_rules_container_finding(ck, ref, &p,
				"container '%s' has a writable root filesystem: "
				"readOnlyRootFilesystem is not set to true", name);
		kc_finding_fix(ck, f, NULL, "true");
		/* Safe only where the container already has somewhere
		 * writable to put what it writes (an emptyDir or another
		 * volume mounted read-write). */
		bool writable = false;
		for (unsigned m = 0; m < ref->c->volume_mounts_count; m++) {
			const bool *mro = ref->c->volume_mounts[m].read_only;
			writable = writable || mro == NULL || !*mro;
		}
		if (!writable) {
			kc_finding_fix_unsafe(ck, f, "the container has no writable volume "
				"mount, and whatever it writes outside one would fail");
		}
	}
}

