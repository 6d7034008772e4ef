/*
 * sensitive-host-path: a hostPath volume of a node directory that holds the
 * node's configuration, credentials, kernel interfaces or other pods' data.
 * Paths match by component ("/etc/ssl" is under "/etc", "/etcd" is not),
 * after cleaning ("/etc/", "//etc", "/tmp/../etc" are "/etc"). A path that
 * contains a sensitive directory ("/var" holds "/var/log") is one too.
 * Mounting read-only still discloses it, so readOnly does not matter here
 * (writable-host-path reports that part).
 */
#include <string.h>

#include "common.h"
#include "host.h"

/* Most specific first: "/etc/kubernetes" wins over "/etc". */
static const struct {
	const char *path;
	const char *what;
} sensitive[] = {
	{ "/etc/kubernetes", "the cluster credentials and static pod manifests" },
	{ "/var/lib/kubelet", "the kubelet's state, with every pod's secrets and tokens" },
	{ "/var/lib/etcd", "the cluster database, with every Secret" },
	{ "/var/log", "the logs of the node and of every pod" },
	{ "/etc", "the node's configuration and credentials" },
	{ "/proc", "the kernel's and every process's state" },
	{ "/sys", "the kernel's settings and devices" },
	{ "/dev", "the node's devices" },
	{ "/boot", "the node's kernel and boot loader" },
	{ "/root", "the home directory of the node's root user" },
	{ "/home", "the home directories of the node's users" },
	{ "/", "the node's whole filesystem" },
};

#define N_SENSITIVE (sizeof(sensitive) / sizeof(sensitive[0]))

void kc_rules_sensitive_host_path(const struct kc_workload *w, struct kc_check *ck)
{
	for (unsigned i = 0; i < w->spec->volumes_count; i++) {
		const struct kc_volume *v = &w->spec->volumes[i];
		if (v->host_path == NULL || v->host_path->path == NULL) {
			continue;
		}
		char p[1024];
		if (!kc_rules_host_path_clean(v->host_path->path, p, sizeof(p))) {
			continue;
		}
		size_t hit = N_SENSITIVE;
		bool contains = false;
		for (size_t k = 0; k < N_SENSITIVE && hit == N_SENSITIVE; k++) {
			/* "/" is sensitive itself, not everything under it. */
			bool root = strcmp(sensitive[k].path, "/") == 0;
			if (root ? strcmp(p, "/") == 0
				: kc_rules_path_within(p, sensitive[k].path)) {
				hit = k;
			}
		}
		for (size_t k = 0; k < N_SENSITIVE && hit == N_SENSITIVE; k++) {
			if (kc_rules_path_within(sensitive[k].path, p)) {
				hit = k;
				contains = true;
			}
		}
		if (hit == N_SENSITIVE) {
			continue;
		}
		struct kc_arena *a = kc_check_arena(ck);
		const char *holds;
		if (contains) {
			holds = kc_arena_printf(a, "contains '%s', %s", sensitive[hit].path,
				sensitive[hit].what);
		} else if (strcmp(p, sensitive[hit].path) == 0) {
			holds = kc_arena_printf(a, "is %s", sensitive[hit].what);
		} else {
			holds = kc_arena_printf(a, "is inside '%s', %s", sensitive[hit].path,
				sensitive[hit].what);
		}
		struct kc_path at = kc_path_join(&w->pod_spec_path, "volumes");
		kc_path_index(&at, i);
		at = kc_path_join(&at, "hostPath.path");
		const char *vol = v->name != NULL ? v->name : "";
		unsigned users = 0;
		const struct kc_container_ref *first;
		const char *who = kc_rules_volume_users(ck, w, vol, &users, &first);
		struct kc_finding *f;
		if (users == 0) {
			f = kc_finding_add(ck, &at,
				"hostPath '%s' of volume '%s' %s", v->host_path->path, vol,
				holds);
		} else {
			f = kc_finding_add(ck, &at,
				"hostPath '%s' of volume '%s' %s (mounted by %s %s)",
				v->host_path->path, vol, holds,
				users == 1 ? "container" : "containers", who);
		}
		if (users == 1) {
			kc_finding_container(f, first->c->name);
		}
	}
}
