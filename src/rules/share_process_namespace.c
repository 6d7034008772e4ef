/*
 * share-process-namespace: spec.shareProcessNamespace: true puts all the
 * pod's containers in one PID namespace. Each sees the others' processes,
 * and can read their environment and files through /proc/<pid>/root when
 * it runs as the same user, so a compromised sidecar reaches the secrets
 * of the main container. The field is not in the typed model, so it is
 * read from the document.
 */
#include "common.h"
#include "host.h"

void kc_rules_share_process_namespace(const struct kc_workload *w, struct kc_check *ck)
{
	struct kc_path p = kc_path_join(&w->pod_spec_path, "shareProcessNamespace");
	const bool *on = w->spec->share_process_namespace;
	if (on == NULL || !*on) {
		return;
	}
	struct kc_finding *f = kc_finding_add(ck, &p,
		"the pod's containers share one process namespace "
		"(shareProcessNamespace: true): each can see and signal the others' "
		"processes and read their files through /proc");
	kc_finding_fix(ck, f, NULL, "false");
}
