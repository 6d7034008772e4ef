/*
 * ineffective-security-context: securityContext fields written where they
 * do nothing. capabilities, privileged, allowPrivilegeEscalation,
 * readOnlyRootFilesystem and procMount exist only in a container's
 * securityContext; under the pod's spec.securityContext the API server
 * drops them as unknown fields (kubectl's strict validation rejects the
 * manifest, other clients at most get a warning), so the containers that
 * do not set them themselves are not protected, although the manifest
 * reads as if they were. The other way round, fsGroup, fsGroupChangePolicy,
 * supplementalGroups, supplementalGroupsPolicy, sysctls and
 * seLinuxChangePolicy exist only at pod level.
 *
 * These fields are not in the typed model, which follows the API, so they
 * are read from the document.
 */
#include <string.h>

#include "common.h"
#include "host.h"

enum field {
	F_CAPABILITIES,
	F_PRIVILEGED,
	F_ALLOW_PRIVILEGE_ESCALATION,
	F_READ_ONLY_ROOT_FILESYSTEM,
	F_PROC_MOUNT,
	F__COUNT,
};

static const char *const container_only[F__COUNT] = {
	[F_CAPABILITIES] = "capabilities",
	[F_PRIVILEGED] = "privileged",
	[F_ALLOW_PRIVILEGE_ESCALATION] = "allowPrivilegeEscalation",
	[F_READ_ONLY_ROOT_FILESYSTEM] = "readOnlyRootFilesystem",
	[F_PROC_MOUNT] = "procMount",
};

static const char *const pod_only[] = {
	"fsGroup",
	"fsGroupChangePolicy",
	"supplementalGroups",
	"supplementalGroupsPolicy",
	"sysctls",
	"seLinuxChangePolicy",
};

/* Whether the container sets field f itself. */
static bool sets(const struct kc_container_ref *ref, enum field f)
{
	const struct kc_security_context *sc = ref->c->security_context;
	if (sc == NULL) {
		return false;
	}
	switch (f) {
	case F_CAPABILITIES:
		return sc->capabilities != NULL;
	case F_PRIVILEGED:
		return sc->privileged != NULL;
	case F_ALLOW_PRIVILEGE_ESCALATION:
		return sc->allow_privilege_escalation != NULL;
	case F_READ_ONLY_ROOT_FILESYSTEM:
		return sc->read_only_root_filesystem != NULL;
	case F_PROC_MOUNT:
	case F__COUNT:
	default:
		return sc->proc_mount != NULL;
	}
}

/* Whether the pod-level value n of field f would protect, had it worked. */
static bool protective(enum field f, const struct kc_node *n)
{
	bool b;
	switch (f) {
	case F_ALLOW_PRIVILEGE_ESCALATION:
		return kc_rules_node_bool(n, &b) && !b;
	case F_READ_ONLY_ROOT_FILESYSTEM:
		return kc_rules_node_bool(n, &b) && b;
	case F_CAPABILITIES: {
		const struct kc_node *drop = kc_node_get(n, "drop");
		return drop != NULL && drop->type == KC_NODE_SEQUENCE && drop->count > 0;
	}
	case F_PRIVILEGED:
	case F_PROC_MOUNT:
	case F__COUNT:
	default:
		return false;
	}
}

static bool present(const struct kc_node *n)
{
	return n != NULL && !kc_node_is_null(n);
}

/* "'key: value'" for a scalar, "'key'" for anything else. */
static const char *show(struct kc_arena *a, const char *key, const struct kc_node *n)
{
	if (n->type == KC_NODE_SCALAR && n->value != NULL && strlen(n->value) <= 64 &&
		strchr(n->value, '\n') == NULL) {
		return kc_arena_printf(a, "'%s: %s'", key, n->value);
	}
	return kc_arena_printf(a, "'%s'", key);
}

/* The YAML value a protective pod-level field moves into a container as:
 * "false"/"true", or the drop list "[ALL]"; NULL if it cannot be written. */
static const char *move_value(struct kc_arena *a, enum field f, const struct kc_node *n)
{
	if (f != F_CAPABILITIES) {
		return f == F_ALLOW_PRIVILEGE_ESCALATION ? "false" : "true";
	}
	const struct kc_node *drop = kc_node_get(n, "drop");
	size_t len = 2;
	for (size_t i = 0; i < drop->count; i++) {
		if (drop->items[i]->type != KC_NODE_SCALAR ||
			strpbrk(drop->items[i]->value, ",[]{}#") != NULL) {
			return NULL;
		}
		len += drop->items[i]->len + 2;
	}
	char *v = kc_arena_alloc(a, len + 1);
	strcat(v, "[");
	for (size_t i = 0; i < drop->count; i++) {
		strcat(v, i ? ", " : "");
		strcat(v, drop->items[i]->value);
	}
	strcat(v, "]");
	return v;
}

static void pod_level(const struct kc_workload *w, struct kc_check *ck)
{
	struct kc_arena *a = kc_check_arena(ck);
	for (enum field f = 0; f < F__COUNT; f++) {
		struct kc_path p = kc_pod_sc_path(w, container_only[f]);
		const struct kc_node *n = kc_doc_get(w, &p);
		if (!present(n)) {
			continue;
		}
		const char **names = kc_arena_alloc(a,
			(w->container_count + 1) * sizeof(*names));
		unsigned count = 0;
		const struct kc_container_ref *only = NULL;
		for (unsigned i = 0; i < w->container_count; i++) {
			const struct kc_container_ref *ref = &w->containers[i];
			if (sets(ref, f)) {
				continue;
			}
			char buf[16];
			names[count] = kc_arena_printf(a, "%s",
				kc_rules_container_name(ref, buf, sizeof(buf)));
			only = count == 0 ? ref : NULL;
			count++;
		}
		const char *list = kc_rules_quote_list(a, names, count);
		const char *what = show(a, container_only[f], n);
		struct kc_finding *fi;
		if (count == 0) {
			fi = kc_finding_add(ck, &p, "%s is ignored in the pod's "
				"securityContext: Kubernetes reads it only from each "
				"container's, and every container sets its own", what);
		} else if (protective(f, n)) {
			fi = kc_finding_add(ck, &p, "%s is ignored in the pod's "
				"securityContext: Kubernetes reads it only from each "
				"container's, so %s %s %s not protected by it", what,
				count == 1 ? "container" : "containers", list,
				count == 1 ? "is" : "are");
		} else {
			fi = kc_finding_add(ck, &p, "%s is ignored in the pod's "
				"securityContext: Kubernetes reads it only from each "
				"container's, so it does not apply to %s %s", what,
				count == 1 ? "container" : "containers", list);
		}
		kc_finding_note(ck, fi, count == 0 || !protective(f, n)
			? "remove it from the pod's securityContext"
			: "move it into the securityContext of each container");
		if (only != NULL) {
			kc_finding_container(fi, only->c->name);
		}
		/* The fix removes the field (it did nothing) and, if its value
		 * protects, writes it into each container that lacks it. Moving
		 * privileged: true would make it work, which is no fix. */
		kc_finding_fix_remove(ck, fi, &p);
		if (!protective(f, n)) {
			continue;
		}
		const char *value = move_value(a, f, n);
		for (unsigned i = 0; value != NULL && i < w->container_count; i++) {
			const struct kc_container_ref *ref = &w->containers[i];
			if (sets(ref, f)) {
				continue;
			}
			struct kc_path to = f == F_CAPABILITIES
				? kc_container_sc_path(ref, "capabilities.drop")
				: kc_container_sc_path(ref, container_only[f]);
			kc_finding_fix_also(ck, fi, &to, value);
		}
	}
}

static void container_level(const struct kc_workload *w, struct kc_check *ck)
{
	struct kc_arena *a = kc_check_arena(ck);
	for (unsigned i = 0; i < w->container_count; i++) {
		const struct kc_container_ref *ref = &w->containers[i];
		for (size_t k = 0; k < sizeof(pod_only) / sizeof(pod_only[0]); k++) {
			struct kc_path p = kc_container_sc_path(ref, pod_only[k]);
			const struct kc_node *n = kc_doc_get(w, &p);
			if (!present(n)) {
				continue;
			}
			struct kc_path pod = kc_pod_sc_path(w, pod_only[k]);
			bool pod_sets = present(kc_doc_get(w, &pod));
			char buf[16];
			const char *name = kc_rules_container_name(ref, buf, sizeof(buf));
			struct kc_finding *f = kc_rules_container_finding(ck, ref, &p,
				"%s is ignored in the securityContext of container '%s': "
				"Kubernetes reads it only from the pod's%s",
				show(a, pod_only[k], n), name,
				pod_sets ? ", which sets its own" : ", which does not set it");
			if (!pod_sets) {
				kc_finding_note(ck, f, "move it into spec.securityContext, "
					"where it applies to every container");
			}
			/* The fix removes it here and, when the pod lacks it and
			 * it is a single value, writes it at pod level. */
			kc_finding_fix_remove(ck, f, &p);
			if (!pod_sets && n->type == KC_NODE_SCALAR) {
				kc_finding_fix_also(ck, f, &pod, kc_arena_strndup(a, n->value, n->len));
			}
		}
	}
}

void kc_rules_ineffective_security_context(const struct kc_workload *w, struct kc_check *ck)
{
	pod_level(w, ck);
	container_level(w, ck);
}
