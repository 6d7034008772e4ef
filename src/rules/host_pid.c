/*
 * host-pid: spec.hostPID: true shows the pod every process on the node,
 * with its command line and environment (secrets passed as arguments
 * leak), and lets it signal them; with SYS_PTRACE it can read their memory
 * or enter the node's namespaces. Off by default: the Pod Security check
 * host-namespaces reports it; this id exists for users of other tools.
 */
#include "common.h"

void kc_rules_host_pid(const struct kc_workload *w, struct kc_check *ck)
{
	if (w->spec->host_pid == NULL || !*w->spec->host_pid) {
		return;
	}
	struct kc_path p = kc_path_join(&w->pod_spec_path, "hostPID");
	struct kc_finding *f = kc_finding_add(ck, &p,
		"the pod shares the node's process namespace (hostPID: true): it "
		"sees every process on the node and can signal them");
	kc_finding_fix(ck, f, NULL, "false");
}
