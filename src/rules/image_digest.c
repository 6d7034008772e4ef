/*
 * image-digest (off by default): a tag, even an exact version, can be moved
 * to another image by whoever can push to the repository; only a digest
 * (@sha256:...) names one image for good. A digest that is not well-formed
 * is reported too, since the runtime refuses to pull it.
 */
#include "common.h"

void kc_rules_image_digest(const struct kc_workload *w, struct kc_check *ck)
{
	for (unsigned i = 0; i < w->container_count; i++) {
		const struct kc_container_ref *ref = &w->containers[i];
		struct kc_image_ref r;
		if (!kc_rules_image_parse(ref->c->image, &r) || kc_rules_image_pinned(&r)) {
			continue;
		}
		struct kc_path p = kc_path_join(&ref->path, "image");
		char buf[16];
		const char *name = kc_rules_container_name(ref, buf, sizeof(buf));
		if (r.digest != NULL) {
			kc_rules_container_finding(ck, ref, &p,
				"container '%s' runs '%s', whose digest is not a well-formed "
				"sha256 digest", name, ref->c->image);
		} else {
			kc_rules_container_finding(ck, ref, &p,
				"container '%s' runs '%s', which is not pinned by digest: the "
				"tag can be moved to another image", name, ref->c->image);
		}
	}
}
