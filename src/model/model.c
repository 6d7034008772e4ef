#include <string.h>

#include "k8scheck/model.h"

#define VOLUME_NAME_(e, key) [KC_VOLUME_##e] = key,
static const char *const volume_names[KC_VOLUME__COUNT + 1] = {
	KC_VOLUME_TYPES(VOLUME_NAME_)
	[KC_VOLUME_NONE] = "unknown",
};
#undef VOLUME_NAME_

const char *kc_volume_type_name(enum kc_volume_type t)
{
	return t <= KC_VOLUME_NONE ? volume_names[t] : "unknown";
}

bool kc_volume_has(const struct kc_volume *v, enum kc_volume_type t)
{
	if (t == KC_VOLUME_HOST_PATH) {
		return v->host_path != NULL;
	}
	return t < KC_VOLUME__COUNT && v->sources[t] != NULL;
}

enum kc_volume_type kc_volume_type(const struct kc_volume *v)
{
	for (int t = 0; t < KC_VOLUME__COUNT; t++) {
		if (kc_volume_has(v, (enum kc_volume_type)t)) {
			return (enum kc_volume_type)t;
		}
	}
	return KC_VOLUME_NONE;
}

const char *kc_container_list_key(enum kc_container_list list)
{
	switch (list) {
	case KC_CONTAINER_INIT:
		return "initContainers";
	case KC_CONTAINER_EPHEMERAL:
		return "ephemeralContainers";
	case KC_CONTAINER_REGULAR:
	default:
		return "containers";
	}
}

const struct kc_node *kc_doc_get(const struct kc_workload *w, const struct kc_path *path)
{
	struct kc_lookup lk = kc_locator_find(w->doc_root, path);
	return lk.found ? lk.node : NULL;
}

const struct kc_node *kc_workload_annotations(const struct kc_workload *w)
{
	struct kc_path p = kc_path_join(&w->pod_meta_path, "annotations");
	const struct kc_node *n = kc_doc_get(w, &p);
	return (n != NULL && n->type == KC_NODE_MAPPING) ? n : NULL;
}

const char *kc_workload_annotation(const struct kc_workload *w, const char *key)
{
	return kc_node_get_str(kc_workload_annotations(w), key);
}

struct kc_path kc_pod_sc_path(const struct kc_workload *w, const char *dotted)
{
	struct kc_path p = kc_path_join(&w->pod_spec_path, "securityContext");
	return kc_path_join(&p, dotted);
}

struct kc_path kc_container_sc_path(const struct kc_container_ref *ref, const char *dotted)
{
	struct kc_path p = kc_path_join(&ref->path, "securityContext");
	return kc_path_join(&p, dotted);
}

/* The container's own value wins; the pod's applies when it has none. */
static struct kc_effective pick(const struct kc_workload *w,
	const struct kc_container_ref *ref, const char *dotted,
	const void *own, const void *pod)
{
	struct kc_effective e = { .origin = KC_ORIGIN_UNSET, .path = ref->path };
	if (own != NULL) {
		e.origin = KC_ORIGIN_CONTAINER;
		e.path = kc_container_sc_path(ref, dotted);
		e.p = own;
	} else if (pod != NULL) {
		e.origin = KC_ORIGIN_POD;
		e.path = kc_pod_sc_path(w, dotted);
		e.p = pod;
	} else {
		e.path = kc_container_sc_path(ref, dotted);
	}
	return e;
}

#define CSC(ref) ((ref)->c->security_context)
#define PSC(w) ((w)->spec->security_context)

struct kc_effective kc_effective_run_as_non_root(const struct kc_workload *w,
	const struct kc_container_ref *ref)
{
	struct kc_effective e = pick(w, ref, "runAsNonRoot",
		CSC(ref) ? CSC(ref)->run_as_non_root : NULL,
		PSC(w) ? PSC(w)->run_as_non_root : NULL);
	e.b = e.p;
	return e;
}

struct kc_effective kc_effective_run_as_user(const struct kc_workload *w,
	const struct kc_container_ref *ref)
{
	struct kc_effective e = pick(w, ref, "runAsUser",
		CSC(ref) ? CSC(ref)->run_as_user : NULL,
		PSC(w) ? PSC(w)->run_as_user : NULL);
	e.i = e.p;
	return e;
}

struct kc_effective kc_effective_run_as_group(const struct kc_workload *w,
	const struct kc_container_ref *ref)
{
	struct kc_effective e = pick(w, ref, "runAsGroup",
		CSC(ref) ? CSC(ref)->run_as_group : NULL,
		PSC(w) ? PSC(w)->run_as_group : NULL);
	e.i = e.p;
	return e;
}

struct kc_effective kc_effective_seccomp_profile(const struct kc_workload *w,
	const struct kc_container_ref *ref)
{
	return pick(w, ref, "seccompProfile",
		CSC(ref) ? CSC(ref)->seccomp_profile : NULL,
		PSC(w) ? PSC(w)->seccomp_profile : NULL);
}

struct kc_effective kc_effective_selinux_options(const struct kc_workload *w,
	const struct kc_container_ref *ref)
{
	return pick(w, ref, "seLinuxOptions",
		CSC(ref) ? CSC(ref)->se_linux_options : NULL,
		PSC(w) ? PSC(w)->se_linux_options : NULL);
}

struct kc_effective kc_effective_apparmor_profile(const struct kc_workload *w,
	const struct kc_container_ref *ref)
{
	return pick(w, ref, "appArmorProfile",
		CSC(ref) ? CSC(ref)->app_armor_profile : NULL,
		PSC(w) ? PSC(w)->app_armor_profile : NULL);
}
