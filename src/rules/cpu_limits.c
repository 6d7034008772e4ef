/*
 * cpu-limits: every container should have a CPU limit, so that a busy or
 * compromised process cannot starve its neighbours. See resources.c for what the four resource rules share.
 */
#include "common.h"

void kc_rules_cpu_limits(const struct kc_workload *w, struct kc_check *ck)
{
	kc_rules_resource(w, ck, true, true, "it can take all the spare CPU of its node");
}
