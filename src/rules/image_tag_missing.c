/*
 * image-tag-missing: an image without a tag or digest means "latest", with
 * the same problem, less visibly. "registry:5000/app" has no tag: the ':'
 * before the last '/' is the registry's port (the shared parser in image.c
 * splits references as the container runtime does).
 */
#include <string.h>

#include "common.h"

void kc_rules_image_tag_missing(const struct kc_workload *w, struct kc_check *ck)
{
	for (unsigned i = 0; i < w->container_count; i++) {
		const struct kc_container_ref *ref = &w->containers[i];
		struct kc_image_ref r;
		if (!kc_rules_image_parse(ref->c->image, &r) || r.tag != NULL ||
			r.digest != NULL) {
			continue;
		}
		struct kc_path p = kc_path_join(&ref->path, "image");
		char buf[16];
		struct kc_finding *f = kc_rules_container_finding(ck, ref, &p,
			"container '%s' runs '%s' without a tag, which means 'latest': "
			"what runs changes without any change to this manifest",
			kc_rules_container_name(ref, buf, sizeof(buf)), ref->c->image);
		if (!r.registry_implicit && memchr(r.registry, ':', r.registry_len) != NULL) {
			kc_finding_note(ck, f, "'%.*s' is the registry's host and port, "
				"not an image and its tag", (int)r.registry_len, r.registry);
		}
	}
}
