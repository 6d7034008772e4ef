/*
 * container-runtime-socket: a hostPath volume that reaches the container
 * runtime's API socket (Docker, containerd, CRI-O, cri-dockerd) or its
 * state directory gives whoever mounts it control of every container on
 * the node, and so of the node. Read-only does not help: connecting to a
 * socket needs no write access to the mount.
 *
 * /var/run is a symlink to /run on every current distribution, so both
 * spellings match. A path that contains one of these (/run, /var/lib) is
 * reported too; "/" itself is left to sensitive-host-path.
 */
#include <string.h>

#include "common.h"
#include "host.h"

static const struct {
	const char *path;
	const char *what;
} runtime_paths[] = {
	{ "/run/docker.sock", "the Docker daemon's socket" },
	{ "/run/docker", "the Docker daemon's socket directory" },
	{ "/run/containerd/containerd.sock", "containerd's socket" },
	{ "/run/containerd", "containerd's socket directory" },
	{ "/run/crio/crio.sock", "CRI-O's socket" },
	{ "/run/crio", "CRI-O's socket directory" },
	{ "/run/cri-dockerd.sock", "cri-dockerd's socket" },
	{ "/var/lib/docker", "Docker's state directory" },
	{ "/var/lib/containerd", "containerd's state directory" },
};

#define N_PATHS (sizeof(runtime_paths) / sizeof(runtime_paths[0]))

void kc_rules_container_runtime_socket(const struct kc_workload *w, struct kc_check *ck)
{
	for (unsigned i = 0; i < w->spec->volumes_count; i++) {
		const struct kc_volume *v = &w->spec->volumes[i];
		if (v->host_path == NULL || v->host_path->path == NULL) {
			continue;
		}
		char clean[1024];
		if (!kc_rules_host_path_clean(v->host_path->path, clean, sizeof(clean))) {
			continue;
		}
		/* /var/run/x is /run/x. */
		const char *p = clean;
		char run[sizeof(clean)];
		if (kc_rules_path_within(clean, "/var/run")) {
			/* Shorter by "/var", so it fits. */
			memcpy(run, "/run", 4);
			strcpy(run + 4, clean + strlen("/var/run"));
			p = run;
		}
		if (strcmp(p, "/") == 0) {
			continue;
		}
		size_t hit = N_PATHS;
		bool contains = false;
		for (size_t k = 0; k < N_PATHS && hit == N_PATHS; k++) {
			if (strcmp(p, runtime_paths[k].path) == 0) {
				hit = k;
			}
		}
		for (size_t k = 0; k < N_PATHS && hit == N_PATHS; k++) {
			if (kc_rules_path_within(runtime_paths[k].path, p)) {
				hit = k;
				contains = true;
			}
		}
		if (hit == N_PATHS) {
			continue;
		}
		struct kc_path at = kc_path_join(&w->pod_spec_path, "volumes");
		kc_path_index(&at, i);
		at = kc_path_join(&at, "hostPath.path");
		const char *vol = v->name != NULL ? v->name : "";
		unsigned users = 0;
		const struct kc_container_ref *first;
		const char *who = kc_rules_volume_users(ck, w, vol, &users, &first);
		const char *holds = contains
			? kc_arena_printf(kc_check_arena(ck), "contains %s (%s)",
				runtime_paths[hit].what, runtime_paths[hit].path)
			: kc_arena_printf(kc_check_arena(ck), "is %s",
				runtime_paths[hit].what);
		if (users == 0) {
			kc_finding_add(ck, &at,
				"hostPath '%s' of volume '%s' %s: any container that mounts "
				"it can control every container on the node",
				v->host_path->path, vol, holds);
			continue;
		}
		struct kc_finding *f = kc_finding_add(ck, &at,
			"hostPath '%s' of volume '%s' %s: %s %s can control every "
			"container on the node", v->host_path->path, vol, holds,
			users == 1 ? "container" : "containers", who);
		if (users == 1) {
			/* So that a per-container ignore can name it. */
			kc_finding_container(f, first->c->name);
		}
	}
}
