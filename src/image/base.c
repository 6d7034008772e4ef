/*
 * The default user of widely used base images, for a Dockerfile whose
 * stages never set USER. Each row cites where the image's own build says
 * so; docs/images.md is the same table for people. An image that is not
 * here is unknown: callers say so and never guess.
 */
#include <stdlib.h>
#include <string.h>

#include "k8scheck/image.h"

/* Which tags a row covers. */
enum tags {
	ANY_TAG,
	TAG_NONROOT,             /* the tag ends with "nonroot" */
	TAG_NOT_NONROOT,
};

struct named_uid {
	const char *name;
	long long uid;
};

struct base_row {
	const char *domain;
	const char *path;        /* exact, or a prefix when it ends with '/' */
	enum tags tags;
	const char *user;        /* the image configuration's User ("" = none) */
	/* Users of the image's /etc/passwd that a Dockerfile may name. */
	struct named_uid names[4];
	const char *source;
};

/* Users every Debian, Ubuntu, Alpine and BusyBox image has. */
static const struct named_uid system_users[] = {
	{"root", 0},
	{"nobody", 65534},
};

#define LIB(name) "docker.io", "library/" name

static const struct base_row rows[] = {
	{LIB("alpine"), ANY_TAG, "", {{NULL, 0}},
		"docker-library/official-images: library/alpine (no USER)"},
	{LIB("busybox"), ANY_TAG, "", {{NULL, 0}},
		"docker-library/busybox Dockerfile (no USER)"},
	{LIB("debian"), ANY_TAG, "", {{NULL, 0}},
		"debuerreotype / docker-library: library/debian (no USER)"},
	{LIB("golang"), ANY_TAG, "", {{NULL, 0}},
		"docker-library/golang Dockerfile (no USER)"},
	{LIB("mongo"), ANY_TAG, "", {{"mongodb", 999}},
		"docker-library/mongo Dockerfile: useradd --uid 999 --system --gid mongodb mongodb; no USER"},
	{LIB("mysql"), ANY_TAG, "", {{"mysql", 999}},
		"docker-library/mysql Dockerfile: useradd --system --uid 999 --gid 999 mysql; no USER"},
	{LIB("nginx"), ANY_TAG, "", {{"nginx", 101}},
		"nginxinc/docker-nginx Dockerfile: useradd --system --uid 101 nginx; no USER"},
	{LIB("node"), ANY_TAG, "", {{"node", 1000}},
		"nodejs/docker-node Dockerfile: useradd --uid 1000 --gid node node; no USER"},
	{LIB("postgres"), ANY_TAG, "", {{"postgres", 999}},
		"docker-library/postgres Dockerfile: useradd -r -g postgres --uid=999 postgres (70 in the alpine variants); no USER"},
	{LIB("python"), ANY_TAG, "", {{NULL, 0}},
		"docker-library/python Dockerfile (no USER)"},
	{LIB("redis"), ANY_TAG, "", {{"redis", 999}},
		"docker-library/redis Dockerfile: useradd -r -g redis -u 999 redis; no USER"},
	{LIB("scratch"), ANY_TAG, "", {{NULL, 0}},
		"Docker: 'FROM scratch' is an empty image with no user (the kubelet takes UID 0)"},
	{LIB("ubuntu"), ANY_TAG, "", {{NULL, 0}},
		"docker-library: library/ubuntu (no USER)"},
	{"docker.io", "nginxinc/nginx-unprivileged", ANY_TAG, "101", {{"nginx", 101}},
		"nginxinc/docker-nginx-unprivileged Dockerfile: ARG UID=101 ... USER $UID"},
	{"docker.io", "bitnami/", ANY_TAG, "1001", {{NULL, 0}},
		"bitnami/containers: every image ends with USER 1001"},
	{"gcr.io", "distroless/", TAG_NONROOT, "65532", {{"nonroot", 65532}, {"nobody", 65534}},
		"GoogleContainerTools/distroless: ':nonroot' tags run as user 65532"},
	{"gcr.io", "distroless/", TAG_NOT_NONROOT, "", {{"nonroot", 65532}, {"nobody", 65534}},
		"GoogleContainerTools/distroless: ':latest' and ':debug' run as root (no user)"},
	{"cgr.dev", "chainguard/", ANY_TAG, "65532", {{"nonroot", 65532}},
		"Chainguard Images: run as the nonroot user, UID 65532, by default"},
};

static bool tag_nonroot(const char *tag)
{
	size_t n = tag != NULL ? strlen(tag) : 0;
	return n >= 7 && strcmp(tag + n - 7, "nonroot") == 0;
}

static const struct base_row *find_row(const char *image, struct kc_arena *a,
	struct kc_image_parts *ref)
{
	if (image == NULL || !kc_image_parts_parse(image, a, ref)) {
		return NULL;
	}
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct base_row *r = &rows[i];
		size_t pl = strlen(r->path);
		bool prefix = r->path[pl - 1] == '/';
		if (strcmp(ref->domain, r->domain) != 0 ||
			(prefix ? strncmp(ref->path, r->path, pl) != 0 || ref->path[pl] == '\0'
				: strcmp(ref->path, r->path) != 0)) {
			continue;
		}
		if ((r->tags == TAG_NONROOT && !tag_nonroot(ref->tag)) ||
			(r->tags == TAG_NOT_NONROOT && tag_nonroot(ref->tag))) {
			continue;
		}
		return r;
	}
	return NULL;
}

/* The UID of name in row r's image (tag for variants), or -1. */
static long long named(const struct base_row *r, const struct kc_image_parts *ref,
	const char *name)
{
	if (strcmp(r->path, "library/postgres") == 0 && strcmp(name, "postgres") == 0 &&
		ref->tag != NULL && strstr(ref->tag, "alpine") != NULL) {
		return 70;
	}
	for (size_t i = 0; i < 4 && r->names[i].name != NULL; i++) {
		if (strcmp(r->names[i].name, name) == 0) {
			return r->names[i].uid;
		}
	}
	/* distroless and Chainguard images have no nobody; the rest do. */
	if (strcmp(r->domain, "docker.io") == 0 && strcmp(r->path, "library/scratch") != 0) {
		for (size_t i = 0; i < sizeof(system_users) / sizeof(system_users[0]); i++) {
			if (strcmp(system_users[i].name, name) == 0) {
				return system_users[i].uid;
			}
		}
	}
	if (strcmp(name, "root") == 0) {
		return 0;
	}
	return -1;
}

bool kc_image_base_user(const char *image, struct kc_arena *a, struct kc_image_user *user)
{
	struct kc_image_parts ref;
	const struct base_row *r = find_row(image, a, &ref);
	if (r == NULL) {
		return false;
	}
	user->verdict = kc_image_verdict_of(r->user);
	user->user = r->user;
	user->uid = r->user[0] == '\0' ? 0 : strtoll(r->user, NULL, 10);
	user->instr = NULL;
	user->from = NULL;
	user->base = kc_arena_strdup(a, image);
	user->source = r->source;
	user->why = NULL;
	return true;
}

long long kc_image_base_uid(const char *image, const char *name, struct kc_arena *a)
{
	struct kc_image_parts ref;
	const struct base_row *r = find_row(image, a, &ref);
	return r != NULL ? named(r, &ref, name) : -1;
}

long long kc_image_base_service_uid(const char *image, struct kc_arena *a)
{
	struct kc_image_parts ref;
	const struct base_row *r = find_row(image, a, &ref);
	/* nginx's master process needs root (port 80, /var/cache/nginx): its
	 * nginx user runs only the workers, so runAsUser: 101 would not start
	 * it either; nginxinc/nginx-unprivileged is the image for that. */
	if (r == NULL || r->names[0].name == NULL || strcmp(r->path, "library/nginx") == 0) {
		return -1;
	}
	long long uid = named(r, &ref, r->names[0].name);
	return uid > 0 ? uid : -1;
}
