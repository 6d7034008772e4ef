/*
 * env-secret-key-ref (off by default): a Secret read into environment
 * variables (env[].valueFrom.secretKeyRef, envFrom[].secretRef) is easier
 * to leak than a mounted file: environments are inherited by every child
 * process, shown by debugging tools and often dumped into logs and crash
 * reports, and they cannot be updated while the container runs.
 */
#include "common.h"

static const char *or_unnamed(const char *s)
{
	return s != NULL && s[0] != '\0' ? s : "(unnamed)";
}

void kc_rules_env_secret_key_ref(const struct kc_workload *w, struct kc_check *ck)
{
	for (unsigned i = 0; i < w->container_count; i++) {
		const struct kc_container_ref *ref = &w->containers[i];
		char buf[16];
		const char *name = kc_rules_container_name(ref, buf, sizeof(buf));
		for (unsigned e = 0; e < ref->c->env_count; e++) {
			const struct kc_env_var *env = &ref->c->env[e];
			const struct kc_key_selector *s = env->value_from != NULL
				? env->value_from->secret_key_ref : NULL;
			if (s == NULL) {
				continue;
			}
			struct kc_path p = kc_path_join(&ref->path, "env");
			kc_path_index(&p, e);
			kc_path_key(&p, "valueFrom");
			kc_path_key(&p, "secretKeyRef");
			kc_rules_container_finding(ck, ref, &p,
				"container '%s' reads key '%s' of Secret '%s' into environment "
				"variable '%s'", name, or_unnamed(s->key), or_unnamed(s->name),
				or_unnamed(env->name));
		}
		/* envFrom is not in the typed model: read it from the document. */
		struct kc_path from = kc_path_join(&ref->path, "envFrom");
		const struct kc_node *list = kc_doc_get(w, &from);
		if (list == NULL || list->type != KC_NODE_SEQUENCE) {
			continue;
		}
		for (size_t e = 0; e < list->count; e++) {
			const struct kc_node *secret = kc_node_get(list->items[e], "secretRef");
			if (secret == NULL || secret->type != KC_NODE_MAPPING) {
				continue;
			}
			struct kc_path p = from;
			kc_path_index(&p, e);
			kc_path_key(&p, "secretRef");
			kc_rules_container_finding(ck, ref, &p,
				"container '%s' loads every key of Secret '%s' into its "
				"environment", name, or_unnamed(kc_node_get_str(secret, "name")));
		}
	}
}
