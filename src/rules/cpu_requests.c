/*
 * cpu-requests: every container should request the CPU it needs, so that the
 * scheduler puts it on a node that has it. See resources.c for what the four resource rules share.
 */
#include "common.h"

void kc_rules_cpu_requests(const struct kc_workload *w, struct kc_check *ck)
{
	kc_rules_resource(w, ck, true, false, "the scheduler places it as if it needed no CPU");
}
