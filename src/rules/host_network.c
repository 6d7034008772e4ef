/*
 * host-network: spec.hostNetwork: true puts the pod on the node's network
 * stack. It can reach services that listen only on the node's loopback,
 * sniff the node's traffic and bind the node's ports, and NetworkPolicy no
 * longer applies to it. Off by default: the Pod Security check
 * host-namespaces reports it; this id exists for users of other tools.
 */
#include "common.h"

void kc_rules_host_network(const struct kc_workload *w, struct kc_check *ck)
{
	if (w->spec->host_network == NULL || !*w->spec->host_network) {
		return;
	}
	struct kc_path p = kc_path_join(&w->pod_spec_path, "hostNetwork");
	struct kc_finding *f = kc_finding_add(ck, &p,
		"the pod shares the node's network namespace (hostNetwork: true): "
		"it reaches the node's local services and NetworkPolicy does not "
		"apply to it");
	kc_finding_fix(ck, f, NULL, "false");
}
