/*
 * Which Dockerfile builds which image, from the files that say so in a
 * repository: skaffold.yaml and Compose files (the configuration's
 * `images:` adds links through kc_image_links_add). Both formats have
 * fields that are a string in one file and a mapping in the next
 * (Compose's `build`), which a libcyaml schema cannot express, so they are
 * read from the locator's node tree with its positions, and a value of the
 * wrong type is a located error all the same.
 */
#include <string.h>

#include "k8scheck/image.h"

void kc_image_links_init(struct kc_image_links *l, struct kc_arena *a)
{
	memset(l, 0, sizeof(*l));
	l->a = a;
}

/* dir + "/" + rel, without "./" steps; rel absolute stays as it is. */
static const char *join(struct kc_arena *a, const char *dir, const char *rel)
{
	while (strncmp(rel, "./", 2) == 0) {
		rel += 2;
	}
	if (rel[0] == '/' || dir == NULL || dir[0] == '\0' || strcmp(dir, ".") == 0) {
		return kc_arena_strdup(a, rel[0] != '\0' ? rel : ".");
	}
	if (rel[0] == '\0' || strcmp(rel, ".") == 0) {
		return kc_arena_strdup(a, dir);
	}
	size_t dl = strlen(dir);
	while (dl > 1 && dir[dl - 1] == '/') {
		dl--;
	}
	return kc_arena_printf(a, "%.*s/%s", (int)dl, dir, rel);
}

void kc_image_links_add(struct kc_image_links *l, const char *image,
	const char *dir, const char *dockerfile, const char *target,
	const char *source, struct kc_pos pos)
{
	const char *key = kc_image_ref_key(image, l->a);
	if (key == NULL) {
		return;
	}
	if (l->count == l->cap) {
		l->cap = l->cap != 0 ? l->cap * 2 : 8;
		l->links = kc_arena_realloc(l->a, l->links, l->cap * sizeof(*l->links));
	}
	struct kc_image_link *k = &l->links[l->count++];
	k->image = kc_arena_strdup(l->a, image);
	k->key = key;
	k->dockerfile = join(l->a, dir, dockerfile);
	k->target = target != NULL ? kc_arena_strdup(l->a, target) : NULL;
	k->source = source;
	k->pos = pos;
}

const struct kc_image_link *kc_image_links_find(const struct kc_image_links *l,
	const char *image, bool *ambiguous)
{
	/* Reads only: workers of a -j run look images up at once. */
	*ambiguous = false;
	const char *key;
	size_t kl;
	if (!kc_image_key(image, &key, &kl)) {
		return NULL;
	}
	const struct kc_image_link *found = NULL;
	for (unsigned i = 0; i < l->count; i++) {
		const struct kc_image_link *k = &l->links[i];
		if (!kc_image_key_match_n(key, kl, k->key, strlen(k->key))) {
			continue;
		}
		if (found != NULL && (strcmp(found->dockerfile, k->dockerfile) != 0 ||
			(found->target == NULL) != (k->target == NULL) ||
			(found->target != NULL && strcmp(found->target, k->target) != 0))) {
			*ambiguous = true;
			return NULL;
		}
		if (found == NULL) {
			found = k;
		}
	}
	return found;
}

/* The directory part of file ("" for a bare name). */
static const char *dir_of(struct kc_arena *a, const char *file)
{
	const char *slash = strrchr(file, '/');
	return slash == NULL ? "" : slash == file ? "/" : kc_arena_strndup(a, file, (size_t)(slash - file));
}

struct reader {
	struct kc_image_links *l;
	const char *file;
	const char *dir;
	struct kc_diag *diag;
};

static bool wrong(struct reader *r, const struct kc_node *n, const char *what)
{
	kc_diag_at(r->diag, KC_DIAG_ERROR, r->file, n->start.line, n->start.col,
		"%s", what);
	return false;
}

/* A string field of map: *out the value, NULL when absent or null. */
static bool str_field(struct reader *r, const struct kc_node *map, const char *key,
	const char **out)
{
	*out = NULL;
	const struct kc_node *n = kc_node_get(map, key);
	if (n == NULL || kc_node_is_null(n)) {
		return true;
	}
	if (n->type != KC_NODE_SCALAR) {
		char msg[128];
		snprintf(msg, sizeof(msg), "'%s' must be a string", key);
		return wrong(r, n, msg);
	}
	*out = n->value;
	return true;
}

static bool skaffold_artifact(struct reader *r, const struct kc_node *art)
{
	if (art->type != KC_NODE_MAPPING) {
		return wrong(r, art, "a build artifact must be a mapping");
	}
	const char *image, *context, *dockerfile = NULL, *target = NULL;
	if (!str_field(r, art, "image", &image) || !str_field(r, art, "context", &context)) {
		return false;
	}
	static const char *const other_builders[] = {
		"bazel", "buildpacks", "custom", "jib", "ko",
	};
	for (size_t i = 0; i < sizeof(other_builders) / sizeof(other_builders[0]); i++) {
		if (kc_node_get(art, other_builders[i]) != NULL) {
			return true;
		}
	}
	const struct kc_node *docker = kc_node_get(art, "docker");
	if (docker != NULL && !kc_node_is_null(docker)) {
		if (docker->type != KC_NODE_MAPPING) {
			return wrong(r, docker, "'docker' must be a mapping");
		}
		if (!str_field(r, docker, "dockerfile", &dockerfile) ||
			!str_field(r, docker, "target", &target)) {
			return false;
		}
	}
	if (image == NULL) {
		return wrong(r, art, "a build artifact needs an 'image'");
	}
	const char *ctx = join(r->l->a, r->dir, context != NULL ? context : ".");
	kc_image_links_add(r->l, image, ctx, dockerfile != NULL ? dockerfile : "Dockerfile",
		target, r->file, art->start);
	return true;
}

/* Documents of buf, each handed to fn; a syntax error is reported. */
static bool each_doc(struct reader *r, const char *buf, size_t len,
	bool (*fn)(struct reader *, const struct kc_node *))
{
	struct kc_locator *loc = kc_locator_create(buf, len, NULL);
	bool ok = true;
	for (;;) {
		struct kc_document doc;
		struct kc_loc_error err;
		enum kc_locator_status st = kc_locator_next(loc, r->l->a, &doc, &err);
		if (st == KC_LOCATOR_END) {
			break;
		}
		if (st != KC_LOCATOR_DOCUMENT) {
			kc_diag_at(r->diag, KC_DIAG_ERROR, r->file, err.pos.line, err.pos.col,
				"%s", err.message);
			ok = false;
			if (st == KC_LOCATOR_SYNTAX_ERROR) {
				break;
			}
			continue;
		}
		if (doc.root->type != KC_NODE_MAPPING) {
			ok = wrong(r, doc.root, "expected a mapping at the top level") && ok;
			continue;
		}
		ok = fn(r, doc.root) && ok;
	}
	kc_locator_destroy(loc);
	return ok;
}

static bool skaffold_doc(struct reader *r, const struct kc_node *root)
{
	const char *kind = kc_node_get_str(root, "kind");
	if (kind != NULL && strcmp(kind, "Config") != 0) {
		return true;
	}
	const struct kc_node *build = kc_node_get(root, "build");
	if (build == NULL || kc_node_is_null(build)) {
		return true;
	}
	if (build->type != KC_NODE_MAPPING) {
		return wrong(r, build, "'build' must be a mapping");
	}
	const struct kc_node *arts = kc_node_get(build, "artifacts");
	if (arts == NULL || kc_node_is_null(arts)) {
		return true;
	}
	if (arts->type != KC_NODE_SEQUENCE) {
		return wrong(r, arts, "'artifacts' must be a list");
	}
	bool ok = true;
	for (size_t i = 0; i < arts->count; i++) {
		ok = skaffold_artifact(r, arts->items[i]) && ok;
	}
	return ok;
}

bool kc_image_links_skaffold(struct kc_image_links *l, const char *file,
	const char *buf, size_t len, struct kc_diag *diag)
{
	struct reader r = { l, file, dir_of(l->a, file), diag };
	return each_doc(&r, buf, len, skaffold_doc);
}

static bool compose_service(struct reader *r, const struct kc_node *name,
	const struct kc_node *svc)
{
	if (svc->type != KC_NODE_MAPPING) {
		return kc_node_is_null(svc) || wrong(r, svc, "a service must be a mapping");
	}
	const struct kc_node *build = kc_node_get(svc, "build");
	if (build == NULL || kc_node_is_null(build)) {
		return true;
	}
	const char *image, *context = NULL, *dockerfile = NULL, *target = NULL;
	if (!str_field(r, svc, "image", &image)) {
		return false;
	}
	if (build->type == KC_NODE_SCALAR) {
		context = build->value;
	} else if (build->type == KC_NODE_MAPPING) {
		if (!str_field(r, build, "context", &context) ||
			!str_field(r, build, "dockerfile", &dockerfile) ||
			!str_field(r, build, "target", &target)) {
			return false;
		}
		if (kc_node_get(build, "dockerfile_inline") != NULL) {
			return true;     /* no Dockerfile in the repository to read */
		}
	} else {
		return wrong(r, build, "'build' must be a string or a mapping");
	}
	const char *ctx = join(r->l->a, r->dir, context != NULL ? context : ".");
	kc_image_links_add(r->l, image != NULL ? image : name->value, ctx,
		dockerfile != NULL ? dockerfile : "Dockerfile", target, r->file, build->start);
	return true;
}

static bool compose_doc(struct reader *r, const struct kc_node *root)
{
	const struct kc_node *svcs = kc_node_get(root, "services");
	if (svcs == NULL || kc_node_is_null(svcs)) {
		return true;
	}
	if (svcs->type != KC_NODE_MAPPING) {
		return wrong(r, svcs, "'services' must be a mapping");
	}
	bool ok = true;
	for (size_t i = 0; i + 1 < svcs->count * 2; i += 2) {
		const struct kc_node *k = svcs->items[i], *v = svcs->items[i + 1];
		if (k->type == KC_NODE_SCALAR) {
			ok = compose_service(r, k, v) && ok;
		}
	}
	return ok;
}

bool kc_image_links_compose(struct kc_image_links *l, const char *file,
	const char *buf, size_t len, struct kc_diag *diag)
{
	struct reader r = { l, file, dir_of(l->a, file), diag };
	return each_doc(&r, buf, len, compose_doc);
}
