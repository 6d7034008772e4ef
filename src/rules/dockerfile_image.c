/*
 * dockerfile-image-untagged (DL3006) and dockerfile-image-latest (DL3007):
 * one file because both read the FROM image reference the same way, with
 * the global ARGs substituted.
 */
#include <string.h>
#include <strings.h>

#include "dockerfile_internal.h"

struct ref {
	const char *tag;         /* NULL if none */
	size_t tag_len;
	bool digest;
};

static struct ref parse_ref(const char *image)
{
	struct ref r = { 0 };
	const char *at = strchr(image, '@');
	r.digest = at != NULL;
	size_t n = at != NULL ? (size_t)(at - image) : strlen(image);
	/* The tag is after the last ':' that follows the last '/' (a ':' before
	 * it is a registry port). */
	const char *slash = NULL;
	for (size_t i = 0; i < n; i++) {
		if (image[i] == '/') {
			slash = image + i;
		}
	}
	for (size_t i = n; i-- > 0;) {
		if (image + i == slash) {
			break;
		}
		if (image[i] == ':') {
			r.tag = image + i + 1;
			r.tag_len = n - i - 1;
			break;
		}
	}
	return r;
}

void kc_rules_dockerfile_image_untagged(const struct kc_dockerfile *df, struct kc_check *ck)
{
	for (unsigned s = 0; s < df->stage_count; s++) {
		const struct kc_df_stage *st = &df->stages[s];
		const char *img = st->image_resolved;
		/* An image named by an ARG without a default is unknown until
		 * build time: nothing to say about its tag. */
		if (img == NULL || img[0] == '\0' || strcmp(img, "scratch") == 0 ||
			kc_dockerfile_stage_named(df, img, s) >= 0) {
			continue;
		}
		struct ref r = parse_ref(img);
		if (r.tag != NULL || r.digest) {
			continue;
		}
		df_report(ck, st->from, &st->image,
			"image '%s' has no tag: it is whatever 'latest' is when the image "
			"is built; name a version", img);
	}
}

void kc_rules_dockerfile_image_latest(const struct kc_dockerfile *df, struct kc_check *ck)
{
	for (unsigned s = 0; s < df->stage_count; s++) {
		const struct kc_df_stage *st = &df->stages[s];
		const char *img = st->image_resolved;
		if (img == NULL) {
			continue;
		}
		struct ref r = parse_ref(img);
		if (r.tag == NULL || r.digest || r.tag_len != 6 || strncmp(r.tag, "latest", 6) != 0) {
			continue;
		}
		df_report(ck, st->from, &st->image,
			"image '%s' uses the 'latest' tag: builds are not reproducible; "
			"name a version or a digest", img);
	}
}
