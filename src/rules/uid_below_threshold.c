/*
 * uid-below-threshold: a container whose effective runAsUser (its own, else
 * the pod's) is below the `threshold` parameter (default 10000). Low UIDs
 * are those of the node's own users and services; a process that escapes
 * the container keeps its UID, and with it whatever that user may do on
 * the node. UID 0 is run-as-user's to report. Unset is not reported: the
 * image decides, and run-as-non-root covers root.
 */
#include "common.h"

void kc_rules_uid_below_threshold(const struct kc_workload *w, struct kc_check *ck)
{
	kc_rules_id_below_threshold(w, ck, kc_effective_run_as_user, "runAsUser", "UID",
		"a user");
}
