/*
 * image-tag-latest: an image tagged "latest" names whatever was pushed last,
 * so what runs changes (and differs between nodes) without any change to
 * the manifest, and a rollback cannot go back to it. A digest pins the
 * image even with the tag: "app:latest@sha256:..." is not reported.
 */
#include <string.h>

#include "common.h"

void kc_rules_image_tag_latest(const struct kc_workload *w, struct kc_check *ck)
{
	for (unsigned i = 0; i < w->container_count; i++) {
		const struct kc_container_ref *ref = &w->containers[i];
		struct kc_image_ref r;
		if (!kc_rules_image_parse(ref->c->image, &r) || r.tag == NULL ||
			!kc_rules_image_mutable(&r)) {
			continue;
		}
		struct kc_path p = kc_path_join(&ref->path, "image");
		char buf[16];
		kc_rules_container_finding(ck, ref, &p,
			"container '%s' runs '%s': the 'latest' tag moves, so what runs "
			"changes without any change to this manifest",
			kc_rules_container_name(ref, buf, sizeof(buf)), ref->c->image);
	}
}
