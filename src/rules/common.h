#ifndef K8SCHECK_RULES_COMMON_H
#define K8SCHECK_RULES_COMMON_H

/* Helpers shared by the rules in src/rules/ (private to the module). */

#include "k8scheck/rule.h"

/** A container's name for messages: its name, or "#N" (1-based) if it has none. */
const char *kc_rules_container_name(const struct kc_container_ref *ref, char *buf,
	size_t size);

/**
 * Report a finding about container ref at path and tag it with the
 * container's name. Same contract as kc_finding_add().
 */
struct kc_finding *kc_rules_container_finding(struct kc_check *ck,
	const struct kc_container_ref *ref, const struct kc_path *path,
	const char *fmt, ...) KC_PRINTF(4, 5);

#endif
