/*
 * image-pull-policy: with a tag that moves ("latest", or none), a node pulls
 * the image once and keeps running that copy under IfNotPresent or Never,
 * so nodes run different images under one name. Left unset, Kubernetes
 * defaults the policy to Always for exactly these images, so only an
 * explicit other value is reported.
 */
#include <string.h>

#include "common.h"

void kc_rules_image_pull_policy(const struct kc_workload *w, struct kc_check *ck)
{
	for (unsigned i = 0; i < w->container_count; i++) {
		const struct kc_container_ref *ref = &w->containers[i];
		const char *policy = ref->c->image_pull_policy;
		struct kc_image_ref r;
		if (policy == NULL || strcmp(policy, "Always") == 0 ||
			!kc_rules_image_parse(ref->c->image, &r) || !kc_rules_image_mutable(&r)) {
			continue;
		}
		struct kc_path p = kc_path_join(&ref->path, "imagePullPolicy");
		char buf[16];
		const char *name = kc_rules_container_name(ref, buf, sizeof(buf));
		struct kc_finding *f = r.tag == NULL
			? kc_rules_container_finding(ck, ref, &p,
				"container '%s' runs '%s' without a tag (so 'latest') with "
				"imagePullPolicy: %s: each node keeps whichever image it pulled "
				"first", name, ref->c->image, policy)
			: kc_rules_container_finding(ck, ref, &p,
				"container '%s' runs '%s' with imagePullPolicy: %s: the tag "
				"moves, but each node keeps whichever image it pulled first",
				name, ref->c->image, policy);
		kc_finding_fix(ck, f, NULL, "Always");
	}
}
