/*
 * Image references: the shared parser of src/rules/image.c (registry, port
 * or tag, digest, Docker Hub defaults, what is refused), and the
 * image-registry-allowed rule, which needs a rule parameter and so is
 * tested here through the engine rather than by golden cases.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/rules/common.h"
#include "k8scheck/policy.h"
#include "support.h"

/* ---- parser ---------------------------------------------------------------- */

/* Expected parts; NULL: absent (tag, digest) or docker.io (registry). */
struct want {
	const char *image;
	const char *registry;
	const char *repo;
	const char *tag;
	const char *digest;
	const char *name;        /* kc_rules_image_name() */
};

static void part_eq(const char *what, const char *image, const char *got, size_t len,
	const char *want)
{
	if (want == NULL) {
		ck_assert_msg(got == NULL, "%s: %s is '%.*s', expected none", image, what,
			(int)len, got ? got : "");
		return;
	}
	ck_assert_msg(got != NULL, "%s: no %s, expected '%s'", image, what, want);
	ck_assert_msg(len == strlen(want) && memcmp(got, want, len) == 0,
		"%s: %s is '%.*s', expected '%s'", image, what, (int)len, got, want);
}

static void parses(const struct want *w)
{
	struct kc_image_ref r;
	ck_assert_msg(kc_rules_image_parse(w->image, &r), "'%s' did not parse", w->image);
	part_eq("registry", w->image, r.registry, r.registry_len,
		w->registry ? w->registry : "docker.io");
	ck_assert_int_eq(r.registry_implicit, w->registry == NULL);
	part_eq("repository", w->image, r.repo, r.repo_len, w->repo);
	part_eq("tag", w->image, r.tag, r.tag_len, w->tag);
	part_eq("digest", w->image, r.digest, r.digest_len, w->digest);
	char buf[256];
	size_t n = kc_rules_image_name(&r, buf, sizeof(buf));
	ck_assert_str_eq(buf, w->name);
	ck_assert_uint_eq(n, strlen(w->name));
}

#define D64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

START_TEST(parse_references)
{
	static const struct want cases[] = {
		{ "nginx", NULL, "nginx", NULL, NULL, "docker.io/library/nginx" },
		{ "nginx:1.27", NULL, "nginx", "1.27", NULL, "docker.io/library/nginx" },
		{ "nginx:latest", NULL, "nginx", "latest", NULL, "docker.io/library/nginx" },
		{ "bitnami/redis:7.2", NULL, "bitnami/redis", "7.2", NULL,
			"docker.io/bitnami/redis" },
		{ "docker.io/nginx", "docker.io", "nginx", NULL, NULL,
			"docker.io/library/nginx" },
		{ "index.docker.io/library/nginx:1", "docker.io", "library/nginx", "1", NULL,
			"docker.io/library/nginx" },
		/* The port is not a tag: only a ':' after the last '/' is. */
		{ "registry:5000/app", "registry:5000", "app", NULL, NULL, "registry:5000/app" },
		{ "registry:5000/app:1.2", "registry:5000", "app", "1.2", NULL,
			"registry:5000/app" },
		{ "registry.example.com:5000/team/app", "registry.example.com:5000",
			"team/app", NULL, NULL, "registry.example.com:5000/team/app" },
		{ "localhost/app", "localhost", "app", NULL, NULL, "localhost/app" },
		{ "localhost:5000/app:dev", "localhost:5000", "app", "dev", NULL,
			"localhost:5000/app" },
		{ "ghcr.io/acme/tools/proxy:v2.0.1", "ghcr.io", "acme/tools/proxy", "v2.0.1",
			NULL, "ghcr.io/acme/tools/proxy" },
		/* A capital in the first component makes it a host. */
		{ "MyRegistry/app", "MyRegistry", "app", NULL, NULL, "MyRegistry/app" },
		/* Without a '/', "host:5000" reads as image "host", tag "5000". */
		{ "registry:5000", NULL, "registry", "5000", NULL,
			"docker.io/library/registry" },
		{ "app@sha256:" D64, NULL, "app", NULL, "sha256:" D64,
			"docker.io/library/app" },
		{ "quay.io/org/app:1.0@sha256:" D64, "quay.io", "org/app", "1.0",
			"sha256:" D64, "quay.io/org/app" },
		{ "registry:5000/app@sha256:" D64, "registry:5000", "app", NULL, "sha256:" D64,
			"registry:5000/app" },
		{ "a.b/c_d/e-f/g.h__i:Tag_1.-x", "a.b", "c_d/e-f/g.h__i", "Tag_1.-x", NULL,
			"a.b/c_d/e-f/g.h__i" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		parses(&cases[i]);
	}
}
END_TEST

START_TEST(parse_refuses)
{
	static const char *const bad[] = {
		"", " ", "nginx ", "${IMAGE}", "registry.example.com/app:${TAG}",
		"{{ .Values.image }}", "Nginx", "app/Upper", "nginx:", "nginx:-x", ":1.0",
		"/app", "app/", "a//b", "registry:5000/", "@sha256:" D64, "app@", "a@b@c",
		"registry:port/app", ":5000/app", "app/b:c/d", "-app", "app.", "app:1.0:2",
		"registry.example.com/app:" "toolongtoolongtoolongtoolongtoolongtoolongtoolong"
		"toolongtoolongtoolongtoolongtoolongtoolongtoolongtoolongtoolongtoolongtool"
		"ongtoolongtoolong",
	};
	struct kc_image_ref r = { .repo = "untouched" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(!kc_rules_image_parse(bad[i], &r), "'%s' parsed", bad[i]);
		ck_assert_str_eq(r.repo, "untouched");
	}
	ck_assert(!kc_rules_image_parse(NULL, &r));
}
END_TEST

static bool pinned(const char *image)
{
	struct kc_image_ref r;
	ck_assert_msg(kc_rules_image_parse(image, &r), "'%s' did not parse", image);
	return kc_rules_image_pinned(&r);
}

static bool moves(const char *image)
{
	struct kc_image_ref r;
	ck_assert_msg(kc_rules_image_parse(image, &r), "'%s' did not parse", image);
	return kc_rules_image_mutable(&r);
}

START_TEST(pinned_and_mutable)
{
	ck_assert(pinned("app@sha256:" D64));
	ck_assert(pinned("app:1.0@sha256:" D64));
	ck_assert(pinned("app@sha512:" D64 D64));
	ck_assert(!pinned("app"));
	ck_assert(!pinned("app:1.0"));
	ck_assert(!pinned("app@sha256:abc"));                  /* too short */
	ck_assert(!pinned("app@sha256:" D64 "0"));             /* too long */
	ck_assert(!pinned("app@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef"
		"0123456789abcdef"));                          /* capitals */
	ck_assert(!pinned("app@md5:0123456789abcdef0123456789abcdef"));

	ck_assert(moves("nginx"));
	ck_assert(moves("nginx:latest"));
	ck_assert(moves("registry:5000/app"));
	ck_assert(moves("localhost/app"));
	ck_assert(!moves("nginx:1.27"));
	ck_assert(!moves("nginx:Latest"));                     /* tags are exact */
	ck_assert(!moves("nginx:latest@sha256:" D64));         /* the digest wins */
	ck_assert(!moves("app@sha256:abc"));                   /* a digest, if a bad one */
}
END_TEST

START_TEST(name_truncates)
{
	struct kc_image_ref r;
	ck_assert(kc_rules_image_parse("nginx:1", &r));
	char buf[12];
	memset(buf, 'x', sizeof(buf));
	ck_assert_uint_eq(kc_rules_image_name(&r, buf, sizeof(buf)), 23);
	ck_assert_str_eq(buf, "docker.io/l");
	ck_assert_uint_eq(kc_rules_image_name(&r, NULL, 0), 23);
}
END_TEST

/* ---- image-registry-allowed through the engine ---------------------------- */

#define MAX_F 16

static struct kc_arena *run;
static struct kc_policy policy;
static struct kc_engine *eng;
static char found[MAX_F][512];
static char paths[MAX_F][160];
static unsigned nfound;

static void setup(void)
{
	run = kc_arena_create();
	char *text = NULL;
	size_t len = 0;
	FILE *e = open_memstream(&text, &len);
	struct kc_diag d;
	kc_diag_init(&d, e, false);
	bool ok = kc_policy_load(&policy, run, &d);
	fclose(e);
	ck_assert_msg(ok, "%s", text);
	free(text);
	eng = kc_engine_create(&policy, run);
	for (size_t i = 0; i < kc_rule_count; i++) {
		kc_engine_set_enabled(eng, kc_rules[i].id, false);
	}
	ck_assert(kc_engine_set_enabled(eng, "image-registry-allowed", true));
	nfound = 0;
}

static void teardown(void)
{
	kc_arena_destroy(run);
}

static void record(void *ctx, const struct kc_loaded_doc *doc)
{
	struct kc_finding **list = NULL;
	unsigned n = 0;
	kc_engine_check(eng, doc, &list, &n);
	for (unsigned i = 0; i < n; i++) {
		ck_assert_uint_lt(nfound, MAX_F);
		ck_assert_str_eq(list[i]->rule, "image-registry-allowed");
		ck_assert_int_eq(list[i]->severity, KC_SEVERITY_ERROR);
		snprintf(found[nfound], sizeof(found[0]), "%u:%u %s", list[i]->pos.line,
			list[i]->pos.col, list[i]->message);
		snprintf(paths[nfound], sizeof(paths[0]), "%s", list[i]->path_str);
		nfound++;
	}
}

static const char pod[] =
	"apiVersion: v1\n"                                          /* 1 */
	"kind: Pod\n"                                               /* 2 */
	"metadata: {name: p}\n"                                     /* 3 */
	"spec:\n"                                                   /* 4 */
	"  initContainers:\n"                                       /* 5 */
	"  - name: init\n"                                          /* 6 */
	"    image: busybox:1.36\n"                                 /* 7 */
	"  containers:\n"                                           /* 8 */
	"  - name: app\n"                                           /* 9 */
	"    image: registry.example.com/shop/app:1.4.2\n"          /* 10 */
	"  - name: proxy\n"                                         /* 11 */
	"    image: ghcr.io/acme/proxy:2.0.1\n"                     /* 12 */
	"  - name: other\n"                                         /* 13 */
	"    image: ghcr.io/acmecorp/tool:1\n"                      /* 14 */
	"  - name: local\n"                                         /* 15 */
	"    image: Registry.Example.COM:5000/app:2\n"              /* 16 */
	"  - name: templated\n"                                     /* 17 */
	"    image: ${IMAGE}\n"                                     /* 18 */
	"  ephemeralContainers:\n"                                  /* 19 */
	"  - name: debug\n"                                         /* 20 */
	"    image: index.docker.io/library/alpine\n";              /* 21 */

static void check_with(const char *const *registries, unsigned count, bool set)
{
	struct kc_param param = {
		.rule = "image-registry-allowed", .name = "registries", .is_list = true,
		.list = registries, .count = count,
	};
	kc_engine_set_params(eng, &param, set ? 1 : 0);
	struct t_loaded r = t_load(pod, record, NULL);
	ck_assert_msg(r.ok, "%s", r.diag);
	free(r.diag);
}

START_TEST(registry_not_configured)
{
	/* Without the parameter the rule has nothing to compare with. */
	check_with(NULL, 0, false);
	ck_assert_uint_eq(nfound, 0);
	/* Another rule's parameter, or an integer, is not this list. */
	struct kc_param others[] = {
		{ .rule = "image-tag-latest", .name = "registries", .is_list = true },
		{ .rule = "image-registry-allowed", .name = "registries", .value = 3 },
	};
	kc_engine_set_params(eng, others, 2);
	struct t_loaded r = t_load(pod, record, NULL);
	ck_assert(r.ok);
	free(r.diag);
	ck_assert_uint_eq(nfound, 0);
}
END_TEST

START_TEST(registry_hosts_and_prefixes)
{
	static const char *const allowed[] = { "registry.example.com", "ghcr.io/acme/",
		"registry.example.com:5000" };
	check_with(allowed, 3, true);
	ck_assert_uint_eq(nfound, 3);
	/* Docker Hub, implicit or as index.docker.io; a prefix is whole components. */
	ck_assert_str_eq(found[0], "7:5 container 'init' runs 'busybox:1.36' from registry "
		"'docker.io', which is not in the allowed registries");
	ck_assert_str_eq(paths[0], "spec.initContainers[init].image");
	ck_assert_str_eq(found[1], "14:5 container 'other' runs 'ghcr.io/acmecorp/tool:1' "
		"from registry 'ghcr.io', which is not in the allowed registries");
	ck_assert_str_eq(found[2], "21:5 container 'debug' runs "
		"'index.docker.io/library/alpine' from registry 'docker.io', which is not "
		"in the allowed registries");
	ck_assert_str_eq(paths[2], "spec.ephemeralContainers[debug].image");
}
END_TEST

START_TEST(registry_docker_hub)
{
	/* "docker.io" covers both spellings; "docker.io/library" only official
	 * images, which "busybox" is. */
	static const char *const hub[] = { "docker.io", "registry.example.com", "ghcr.io",
		"registry.example.com:5000" };
	check_with(hub, 4, true);
	ck_assert_uint_eq(nfound, 0);
	static const char *const official[] = { "index.docker.io/library", "ghcr.io",
		"registry.example.com", "registry.example.com:5000" };
	check_with(official, 4, true);
	ck_assert_uint_eq(nfound, 0);
}
END_TEST

START_TEST(registry_empty_list)
{
	/* Configured, but empty: nothing is allowed (the templated image is
	 * not a reference, so it is not judged). */
	static const char *const none[] = { NULL };
	check_with(none, 0, true);
	ck_assert_uint_eq(nfound, 6);
	ck_assert_str_eq(found[4], "16:5 container 'local' runs "
		"'Registry.Example.COM:5000/app:2' from registry 'Registry.Example.COM:5000', "
		"which is not in the allowed registries");
}
END_TEST

static void add(Suite *s, const char *name, const TTest *t, bool engine)
{
	TCase *tc = tcase_create(name);
	if (engine) {
		tcase_add_checked_fixture(tc, setup, teardown);
	}
	tcase_add_test(tc, t);
	suite_add_tcase(s, tc);
}

static Suite *image_suite(void)
{
	Suite *s = suite_create("image");
	add(s, "parse", parse_references, false);
	add(s, "refuses", parse_refuses, false);
	add(s, "pinned_mutable", pinned_and_mutable, false);
	add(s, "name_truncates", name_truncates, false);
	add(s, "registry_not_configured", registry_not_configured, true);
	add(s, "registry_hosts_prefixes", registry_hosts_and_prefixes, true);
	add(s, "registry_docker_hub", registry_docker_hub, true);
	add(s, "registry_empty_list", registry_empty_list, true);
	return s;
}

int main(void)
{
	return t_run(image_suite());
}
