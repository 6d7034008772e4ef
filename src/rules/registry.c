/* The rule registry: keep it sorted by id (a unit test checks). */
#include "k8scheck/rule.h"

const struct kc_rule kc_rules[] = {
	{ "capabilities-drop-all", kc_rules_capabilities_drop_all },
	{ "read-only-root-filesystem", kc_rules_read_only_root_filesystem },
	{ "run-as-non-root", kc_rules_run_as_non_root },
	{ "run-as-user", kc_rules_run_as_user },
};
const size_t kc_rule_count = sizeof(kc_rules) / sizeof(kc_rules[0]);
