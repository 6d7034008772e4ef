/*
 * service-account-default (off by default): a pod that names no service
 * account (or "default") runs as its namespace's default account, shared
 * by every such pod, so a permission granted for one is granted to all.
 * Only reported while the token is mounted (automountServiceAccountToken
 * is not false); the deprecated field serviceAccount counts as a name.
 */
#include <string.h>

#include "common.h"

void kc_rules_service_account_default(const struct kc_workload *w, struct kc_check *ck)
{
	const bool *automount = w->spec->automount_service_account_token;
	if (automount != NULL && !*automount) {
		return;
	}
	struct kc_path p = kc_path_join(&w->pod_spec_path, "serviceAccountName");
	const char *name = w->spec->service_account_name;
	if (name == NULL || name[0] == '\0') {
		struct kc_path legacy = kc_path_join(&w->pod_spec_path, "serviceAccount");
		const struct kc_node *n = kc_doc_get(w, &legacy);
		if (n != NULL && n->type == KC_NODE_SCALAR && !kc_node_is_null(n)) {
			name = n->value;
			p = legacy;
		}
	}
	if (name != NULL && name[0] != '\0' && strcmp(name, "default") != 0) {
		return;
	}
	kc_finding_add(ck, &p, "the pod runs as the namespace's 'default' service "
		"account with its token mounted, sharing the permissions of every pod "
		"that does the same");
}
