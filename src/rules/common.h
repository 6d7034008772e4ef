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

/**
 * Run Pod Security check c for w under the run's policy. Returns true (and
 * fills *r, in the document arena) only if the check runs and fails.
 */
bool kc_rules_pss_verdict(struct kc_check *ck, const struct kc_workload *w,
	enum kc_pss_check c, struct kc_pss_result *r);

/**
 * The controller's text for the violation of container (NULL: the
 * pod-level one); the check's whole "reason (detail)" if there is no such
 * violation. Lives in the document arena or is static.
 */
const char *kc_rules_pss_text(struct kc_check *ck, const struct kc_pss_result *r,
	const char *container);

/** One finding per violation of r, at its path, with its text. */
void kc_rules_pss_report(struct kc_check *ck, const struct kc_pss_result *r);

#endif
