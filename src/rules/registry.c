/* The rule registry: keep it sorted by id (a unit test checks). */
#include "k8scheck/rule.h"

const struct kc_rule kc_rules[] = {
	{ "allow-privilege-escalation", kc_rules_pss },
	{ "apparmor-profile", kc_rules_pss },
	{ "capabilities-baseline", kc_rules_pss },
	{ "capabilities-drop-all", kc_rules_capabilities_drop_all },
	{ "capabilities-restricted", kc_rules_pss },
	{ "host-namespaces", kc_rules_pss },
	{ "host-path-volumes", kc_rules_pss },
	{ "host-ports", kc_rules_pss },
	{ "host-probes-and-lifecycle", kc_rules_pss },
	{ "privileged", kc_rules_pss },
	{ "proc-mount", kc_rules_pss },
	{ "proc-mount-restricted", kc_rules_pss },
	{ "read-only-root-filesystem", kc_rules_read_only_root_filesystem },
	{ "restricted-volumes", kc_rules_pss },
	{ "run-as-non-root", kc_rules_run_as_non_root },
	{ "run-as-user", kc_rules_run_as_user },
	{ "seccomp-profile-baseline", kc_rules_pss },
	{ "seccomp-profile-restricted", kc_rules_pss },
	{ "selinux-options", kc_rules_pss },
	{ "sysctls", kc_rules_pss },
	{ "windows-host-process", kc_rules_pss },
};
const size_t kc_rule_count = sizeof(kc_rules) / sizeof(kc_rules[0]);
