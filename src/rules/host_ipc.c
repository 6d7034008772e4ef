/*
 * host-ipc: spec.hostIPC: true shares System V IPC and POSIX shared memory
 * with the node's processes, so the pod can read or corrupt their shared
 * memory. Off by default: the Pod Security check host-namespaces reports
 * it; this id exists for users of other tools.
 */
#include "common.h"

void kc_rules_host_ipc(const struct kc_workload *w, struct kc_check *ck)
{
	if (w->spec->host_ipc == NULL || !*w->spec->host_ipc) {
		return;
	}
	struct kc_path p = kc_path_join(&w->pod_spec_path, "hostIPC");
	struct kc_finding *f = kc_finding_add(ck, &p,
		"the pod shares the node's IPC namespace (hostIPC: true): it can "
		"read and change the shared memory of the node's processes");
	kc_finding_fix(ck, f, NULL, "false");
}
