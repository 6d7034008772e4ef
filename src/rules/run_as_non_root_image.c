/*
 * run-as-non-root-image-root, run-as-non-root-unverifiable and
 * run-as-user-image-mismatch: the image <-> manifest checks. They share a
 * walk: each container's effective runAsNonRoot and runAsUser, against the
 * user its image runs as (the repository's Dockerfile, linked through
 * skaffold or Compose, else the base-image table). The kubelet refuses a
 * runAsNonRoot container without runAsUser whose image runs as root or as
 * a user name (CreateContainerConfigError), so these predict a pod that
 * will not start. Pod Security admission never sees images: --pss verdicts
 * are unchanged.
 */
#include <inttypes.h>

#include "common.h"

enum which { IMAGE_ROOT, UNVERIFIABLE, MISMATCH };

/* Where the image's user comes from, for a note. */
static void note_source(struct kc_check *ck, struct kc_finding *f,
	const struct kc_image_info *in)
{
	if (in->file != NULL && in->user.instr != NULL) {
		kc_finding_note(ck, f, "the image is built from %s:%u:%u: 'USER %s'",
			in->file, in->pos.line, in->pos.col, in->user.instr->args[0].s);
	} else if (in->file != NULL) {
		kc_finding_note(ck, f, "the image is built from %s:%u:%u, which never sets "
			"USER; its base image '%s' runs as root", in->file, in->pos.line,
			in->pos.col, in->user.base);
	} else if (in->user.source != NULL) {
		kc_finding_note(ck, f, "image '%s': %s (docs/images.md)", in->user.base,
			in->user.source);
	}
}

/* A non-root UID the image can run as, or -1. */
static long long non_root_uid(const struct kc_image_info *in, struct kc_check *ck)
{
	if (in->user.verdict == KC_IMAGE_NON_NUMERIC && in->user.uid > 0) {
		return in->user.uid;
	}
	if (in->user.verdict == KC_IMAGE_ROOT && in->user.instr == NULL &&
		in->user.base != NULL) {
		return kc_image_base_service_uid(in->user.base, kc_check_arena(ck));
	}
	return -1;
}

static void run(const struct kc_workload *w, struct kc_check *ck, enum which which)
{
	for (unsigned i = 0; i < w->container_count; i++) {
		const struct kc_container_ref *ref = &w->containers[i];
		struct kc_image_info in;
		if (ref->c->image == NULL || !kc_check_image(ck, ref->c->image, &in)) {
			continue;
		}
		char buf[16];
		const char *name = kc_rules_container_name(ref, buf, sizeof(buf));
		struct kc_effective nr = kc_effective_run_as_non_root(w, ref);
		struct kc_effective ru = kc_effective_run_as_user(w, ref);
		struct kc_path image_path = ref->path;
		kc_path_key(&image_path, "image");
		if (which == MISMATCH) {
			if (ru.origin == KC_ORIGIN_UNSET || in.user.verdict != KC_IMAGE_NON_ROOT ||
				in.user.instr == NULL || *ru.i == in.user.uid) {
				continue;
			}
			struct kc_finding *f = kc_rules_container_finding(ck, ref, &ru.path,
				"container '%s' runs as UID %" PRId64 ", but its image '%s' is "
				"built to run as UID %lld: files the image gives its user may "
				"not be writable", name, *ru.i, ref->c->image, in.user.uid);
			note_source(ck, f, &in);
			continue;
		}
		/* The kubelet checks the image only when runAsNonRoot is true
		 * and no runAsUser is set. */
		if (nr.origin == KC_ORIGIN_UNSET || !*nr.b || ru.origin != KC_ORIGIN_UNSET) {
			continue;
		}
		long long uid = non_root_uid(&in, ck);
		struct kc_path ru_path = kc_container_sc_path(ref, "runAsUser");
		struct kc_finding *f;
		if (which == IMAGE_ROOT && in.user.verdict == KC_IMAGE_ROOT) {
			f = kc_rules_container_finding(ck, ref, &image_path,
				"container '%s' will not start: it sets runAsNonRoot and its image "
				"'%s' runs as root; the kubelet refuses it with \"container has "
				"runAsNonRoot and image will run as root\"", name, ref->c->image);
		} else if (which == UNVERIFIABLE && in.user.verdict == KC_IMAGE_NON_NUMERIC) {
			f = kc_rules_container_finding(ck, ref, &image_path,
				"container '%s' will not start: it sets runAsNonRoot and its image "
				"'%s' runs as the user name '%s'; the kubelet refuses it with "
				"\"container has runAsNonRoot and image has non-numeric user (%s), "
				"cannot verify user is non-root\"", name, ref->c->image,
				in.user.user, in.user.user);
		} else {
			continue;
		}
		note_source(ck, f, &in);
		kc_finding_origin(ck, f, &nr.path, "runAsNonRoot: true is set here");
		if (uid > 0) {
			kc_finding_fix(ck, f, &ru_path, kc_arena_printf(kc_check_arena(ck), "%lld", uid));
		} else if (in.file != NULL) {
			kc_finding_note(ck, f, "give the image a numeric USER in %s (e.g. "
				"'USER 10001'), or set runAsUser", in.file);
		} else {
			kc_finding_note(ck, f, "set runAsUser to a non-root UID that the "
				"image can run as, or use an image built to run as non-root");
		}
	}
}

void kc_rules_run_as_non_root_image_root(const struct kc_workload *w, struct kc_check *ck)
{
	run(w, ck, IMAGE_ROOT);
}

void kc_rules_run_as_non_root_unverifiable(const struct kc_workload *w, struct kc_check *ck)
{
	run(w, ck, UNVERIFIABLE);
}

void kc_rules_run_as_user_image_mismatch(const struct kc_workload *w, struct kc_check *ck)
{
	run(w, ck, MISMATCH);
}
