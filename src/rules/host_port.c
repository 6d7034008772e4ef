/*
 * host-port: a container port with hostPort set binds that port on the
 * node's addresses. It bypasses NetworkPolicy on some CNI plugins, exposes
 * the pod outside the cluster network, and pins the pod to nodes where the
 * port is free. Off by default: the Pod Security check host-ports reports
 * it; this id exists for users of other tools.
 */
#include <inttypes.h>

#include "common.h"

void kc_rules_host_port(const struct kc_workload *w, struct kc_check *ck)
{
	for (unsigned i = 0; i < w->container_count; i++) {
		const struct kc_container_ref *ref = &w->containers[i];
		for (unsigned j = 0; j < ref->c->ports_count; j++) {
			const int32_t *port = ref->c->ports[j].host_port;
			if (port == NULL || *port == 0) {
				continue;
			}
			struct kc_path p = kc_path_join(&ref->path, "ports");
			kc_path_index(&p, j);
			p = kc_path_join(&p, "hostPort");
			char buf[16];
			kc_rules_container_finding(ck, ref, &p,
				"container '%s' binds port %" PRId32 " on the node with "
				"hostPort: anything that reaches the node reaches it",
				kc_rules_container_name(ref, buf, sizeof(buf)), *port);
		}
	}
}
