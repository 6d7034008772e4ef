/*
 * privileged-port: a containerPort below 1024. Binding such a port needs
 * root or NET_BIND_SERVICE (unless the runtime lowers
 * net.ipv4.ip_unprivileged_port_start, as recent ones do), which pushes
 * images towards running as root. Listening on 8080 and mapping 80 in the
 * Service costs nothing. Informational and off by default.
 */
#include <inttypes.h>

#include "common.h"

void kc_rules_privileged_port(const struct kc_workload *w, struct kc_check *ck)
{
	for (unsigned i = 0; i < w->container_count; i++) {
		const struct kc_container_ref *ref = &w->containers[i];
		for (unsigned j = 0; j < ref->c->ports_count; j++) {
			const int32_t *port = ref->c->ports[j].container_port;
			if (port == NULL || *port <= 0 || *port >= 1024) {
				continue;
			}
			struct kc_path p = kc_path_join(&ref->path, "ports");
			kc_path_index(&p, j);
			p = kc_path_join(&p, "containerPort");
			char buf[16];
			kc_rules_container_finding(ck, ref, &p,
				"container '%s' listens on port %" PRId32 ", below 1024: "
				"binding it usually takes root or NET_BIND_SERVICE",
				kc_rules_container_name(ref, buf, sizeof(buf)), *port);
		}
	}
}
