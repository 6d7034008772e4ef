/*
 * memory-limits: every container should have a memory limit, so that a leak
 * or an attack ends with this container killed rather than its node out of
 * memory. See resources.c for what the four resource rules share.
 */
#include "common.h"

void kc_rules_memory_limits(const struct kc_workload *w, struct kc_check *ck)
{
	kc_rules_resource(w, ck, false, true, "it can use all the memory of its node");
}
