/*
 * Images (src/image): references normalised as container runtimes do,
 * the kubelet's verdict on an image's user, the base-image table, and the
 * user an image built from a Dockerfile runs as.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8scheck/image.h"
#include "support.h"

static struct kc_arena *arena;

static void setup(void)
{
	arena = kc_arena_create();
}

static void teardown(void)
{
	kc_arena_destroy(arena);
	arena = NULL;
}

static void check_ref(const char *s, const char *domain, const char *path,
	const char *tag, const char *digest)
{
	struct kc_image_parts r;
	ck_assert_msg(kc_image_parts_parse(s, arena, &r), "%s did not parse", s);
	ck_assert_str_eq(r.domain, domain);
	ck_assert_str_eq(r.path, path);
	if (tag == NULL) {
		ck_assert_ptr_null(r.tag);
	} else {
		ck_assert_str_eq(r.tag, tag);
	}
	if (digest == NULL) {
		ck_assert_ptr_null(r.digest);
	} else {
		ck_assert_str_eq(r.digest, digest);
	}
}

START_TEST(ref_normalised)
{
	check_ref("nginx", "docker.io", "library/nginx", NULL, NULL);
	check_ref("nginx:1.25", "docker.io", "library/nginx", "1.25", NULL);
	check_ref("bitnami/redis:7", "docker.io", "bitnami/redis", "7", NULL);
	check_ref("index.docker.io/library/mongo:4", "docker.io", "library/mongo", "4", NULL);
	check_ref("gcr.io/distroless/static:nonroot", "gcr.io", "distroless/static", "nonroot", NULL);
	check_ref("localhost:5000/app", "localhost:5000", "app", NULL, NULL);
	check_ref("localhost/app:v1", "localhost", "app", "v1", NULL);
	check_ref("registry.example.com:5000/team/app:v1@sha256:abc",
		"registry.example.com:5000", "team/app", "v1", "sha256:abc");
	check_ref("app@sha256:abc", "docker.io", "library/app", NULL, "sha256:abc");
	struct kc_image_parts r = { .domain = "untouched" };
	ck_assert(!kc_image_parts_parse("", arena, &r));
	ck_assert(!kc_image_parts_parse("a//b", arena, &r));
	ck_assert(!kc_image_parts_parse("app:", arena, &r));
	ck_assert(!kc_image_parts_parse("app@", arena, &r));
	ck_assert_str_eq(r.domain, "untouched");
}
END_TEST

START_TEST(ref_keys_match)
{
	ck_assert_str_eq(kc_image_ref_key("nginx:1", arena), "nginx");
	ck_assert_str_eq(kc_image_ref_key("docker.io/library/nginx", arena), "nginx");
	ck_assert_str_eq(kc_image_ref_key("gcr.io/p/frontend:v1@sha256:0", arena), "p/frontend");
	/* skaffold's default repository: frontend -> gcr.io/p/frontend */
	ck_assert(kc_image_key_match("frontend", "p/frontend"));
	ck_assert(kc_image_key_match("p/frontend", "frontend"));
	ck_assert(kc_image_key_match("frontend", "frontend"));
	ck_assert(!kc_image_key_match("frontend", "p/frontend2"));
	ck_assert(!kc_image_key_match("end", "p/frontend"));
	ck_assert(!kc_image_key_match("frontend", NULL));
	const char *k;
	size_t n;
	ck_assert(kc_image_key("index.docker.io/library/redis:7@sha256:1", &k, &n));
	ck_assert_uint_eq(n, 5);
	ck_assert(strncmp(k, "redis", n) == 0);
	ck_assert(kc_image_key("localhost:5000/team/app:v1", &k, &n));
	ck_assert_uint_eq(n, 8);
	ck_assert(strncmp(k, "team/app", n) == 0);
	ck_assert(kc_image_key("quay.io/library/x", &k, &n));
	ck_assert_uint_eq(n, 9);
	ck_assert(!kc_image_key("", &k, &n));
	ck_assert(!kc_image_key("docker.io/library/", &k, &n) && !kc_image_key(":tag", &k, &n));
}
END_TEST

START_TEST(verdicts)
{
	ck_assert_int_eq(kc_image_verdict_of(""), KC_IMAGE_ROOT);
	ck_assert_int_eq(kc_image_verdict_of("0"), KC_IMAGE_ROOT);
	ck_assert_int_eq(kc_image_verdict_of("0:0"), KC_IMAGE_ROOT);
	ck_assert_int_eq(kc_image_verdict_of("000"), KC_IMAGE_ROOT);
	ck_assert_int_eq(kc_image_verdict_of(":1000"), KC_IMAGE_ROOT);
	ck_assert_int_eq(kc_image_verdict_of("1000"), KC_IMAGE_NON_ROOT);
	ck_assert_int_eq(kc_image_verdict_of("1000:1000"), KC_IMAGE_NON_ROOT);
	ck_assert_int_eq(kc_image_verdict_of("1000:root"), KC_IMAGE_NON_ROOT);
	ck_assert_int_eq(kc_image_verdict_of("nobody"), KC_IMAGE_NON_NUMERIC);
	ck_assert_int_eq(kc_image_verdict_of("root"), KC_IMAGE_NON_NUMERIC);
	ck_assert_int_eq(kc_image_verdict_of("app:app"), KC_IMAGE_NON_NUMERIC);
	ck_assert_int_eq(kc_image_verdict_of(NULL), KC_IMAGE_UNKNOWN);
}
END_TEST

static void check_base(const char *image, enum kc_image_verdict v, long long uid)
{
	struct kc_image_user u;
	ck_assert_msg(kc_image_base_user(image, arena, &u), "%s not in the table", image);
	ck_assert_msg(u.verdict == v, "%s: verdict %d", image, u.verdict);
	ck_assert_msg(u.uid == uid, "%s: uid %lld", image, u.uid);
	ck_assert_ptr_nonnull(u.source);
}

START_TEST(base_table)
{
	const char *root[] = { "node:20", "python:3.12-slim", "golang:1.22", "nginx",
		"mongo:7", "redis:7-alpine", "postgres:16", "mysql:8", "busybox",
		"alpine:3.20", "debian:bookworm-slim", "ubuntu:24.04", "scratch",
		"gcr.io/distroless/static-debian12", "gcr.io/distroless/base:latest",
		"gcr.io/distroless/static:debug" };
	for (size_t i = 0; i < sizeof(root) / sizeof(root[0]); i++) {
		check_base(root[i], KC_IMAGE_ROOT, 0);
	}
	check_base("nginxinc/nginx-unprivileged:1.27", KC_IMAGE_NON_ROOT, 101);
	check_base("gcr.io/distroless/static-debian12:nonroot", KC_IMAGE_NON_ROOT, 65532);
	check_base("gcr.io/distroless/base:debug-nonroot", KC_IMAGE_NON_ROOT, 65532);
	check_base("cgr.dev/chainguard/static:latest", KC_IMAGE_NON_ROOT, 65532);
	check_base("bitnami/redis:7.2", KC_IMAGE_NON_ROOT, 1001);
	struct kc_image_user u = { .uid = 42 };
	ck_assert(!kc_image_base_user("example.com/team/app:1", arena, &u));
	ck_assert(!kc_image_base_user("nginxinc/other", arena, &u));
	ck_assert(!kc_image_base_user("bitnami", arena, &u));
	ck_assert_int_eq(u.uid, 42);
}
END_TEST

START_TEST(base_named_users)
{
	ck_assert_int_eq(kc_image_base_uid("node:20-alpine", "node", arena), 1000);
	ck_assert_int_eq(kc_image_base_uid("mongo:4.4", "mongodb", arena), 999);
	ck_assert_int_eq(kc_image_base_uid("postgres:16", "postgres", arena), 999);
	ck_assert_int_eq(kc_image_base_uid("postgres:16-alpine", "postgres", arena), 70);
	ck_assert_int_eq(kc_image_base_uid("debian:12", "nobody", arena), 65534);
	ck_assert_int_eq(kc_image_base_uid("alpine", "root", arena), 0);
	ck_assert_int_eq(kc_image_base_uid("gcr.io/distroless/static:nonroot", "nonroot", arena), 65532);
	ck_assert_int_eq(kc_image_base_uid("node:20", "app", arena), -1);
	ck_assert_int_eq(kc_image_base_uid("scratch", "nobody", arena), -1);
	ck_assert_int_eq(kc_image_base_uid("example.com/x", "nobody", arena), -1);
	/* The UID to run a root image's service as: not nginx (its master
	 * process needs root), not an image without a service user. */
	ck_assert_int_eq(kc_image_base_service_uid("mongo:4.4", arena), 999);
	ck_assert_int_eq(kc_image_base_service_uid("node:20", arena), 1000);
	ck_assert_int_eq(kc_image_base_service_uid("postgres:16-alpine", arena), 70);
	ck_assert_int_eq(kc_image_base_service_uid("nginx:1.27", arena), -1);
	ck_assert_int_eq(kc_image_base_service_uid("python:3", arena), -1);
	ck_assert_int_eq(kc_image_base_service_uid("example.com/x", arena), -1);
}
END_TEST

static struct kc_image_user df_user(const char *text, const char *target)
{
	struct kc_dockerfile df;
	struct kc_df_error err;
	ck_assert_msg(kc_dockerfile_parse(text, strlen(text), arena, &df, &err),
		"parse failed at %u:%u: %s", err.pos.line, err.pos.col, err.message);
	struct kc_image_user u;
	memset(&u, 0, sizeof(u));
	ck_assert(kc_image_dockerfile_user(&df, target, arena, &u));
	return u;
}

START_TEST(dockerfile_user_forms)
{
	struct kc_image_user u = df_user("FROM node:20\nCMD [\"node\"]\n", NULL);
	ck_assert_int_eq(u.verdict, KC_IMAGE_ROOT);
	ck_assert_ptr_null(u.instr);
	ck_assert_str_eq(u.base, "node:20");
	ck_assert_ptr_nonnull(u.source);

	u = df_user("FROM node:20\nUSER 1000\n", NULL);
	ck_assert_int_eq(u.verdict, KC_IMAGE_NON_ROOT);
	ck_assert_int_eq(u.uid, 1000);
	ck_assert_ptr_nonnull(u.instr);
	ck_assert_uint_eq(u.instr->pos.line, 2);

	u = df_user("FROM node:20\nUSER 1000:1000\n", NULL);
	ck_assert_int_eq(u.verdict, KC_IMAGE_NON_ROOT);
	ck_assert_int_eq(u.uid, 1000);

	u = df_user("FROM node:20\nUSER 0\n", NULL);
	ck_assert_int_eq(u.verdict, KC_IMAGE_ROOT);
	u = df_user("FROM node:20\nUSER 0:0\n", NULL);
	ck_assert_int_eq(u.verdict, KC_IMAGE_ROOT);
	ck_assert_int_eq(u.uid, 0);
	u = df_user("FROM node:20\nUSER root\n", NULL);
	ck_assert_int_eq(u.verdict, KC_IMAGE_NON_NUMERIC);
	ck_assert_int_eq(u.uid, 0);

	/* A name: non-numeric for the kubelet, mapped for the fix. */
	u = df_user("FROM node:20\nUSER node\n", NULL);
	ck_assert_int_eq(u.verdict, KC_IMAGE_NON_NUMERIC);
	ck_assert_str_eq(u.user, "node");
	ck_assert_int_eq(u.uid, 1000);
	u = df_user("FROM node:20\nUSER node:node\n", NULL);
	ck_assert_int_eq(u.verdict, KC_IMAGE_NON_NUMERIC);
	ck_assert_int_eq(u.uid, 1000);
	u = df_user("FROM debian:12\nRUN groupadd -g 10001 app && useradd -u 10001 -g app app\nUSER app\n", NULL);
	ck_assert_int_eq(u.verdict, KC_IMAGE_NON_NUMERIC);
	ck_assert_int_eq(u.uid, 10001);
	u = df_user("FROM alpine:3\nRUN addgroup -S app; adduser -S -G app --uid=2000 app\nUSER app\n", NULL);
	ck_assert_int_eq(u.uid, 2000);
	u = df_user("FROM alpine:3\nRUN adduser -u3000 -D app\nUSER app\n", NULL);
	ck_assert_int_eq(u.uid, 3000);
	u = df_user("FROM example.com/base:1\nUSER svc\n", NULL);
	ck_assert_int_eq(u.verdict, KC_IMAGE_NON_NUMERIC);
	ck_assert_int_eq(u.uid, -1);
}
END_TEST

START_TEST(dockerfile_user_args_and_stages)
{
	/* ARG substitution, with a default and through a global ARG. */
	struct kc_image_user u = df_user("FROM node:20\nARG UID=1001\nUSER ${UID}\n", NULL);
	ck_assert_int_eq(u.verdict, KC_IMAGE_NON_ROOT);
	ck_assert_int_eq(u.uid, 1001);
	u = df_user("ARG UID=1002\nFROM node:20\nARG UID\nUSER $UID\n", NULL);
	ck_assert_int_eq(u.uid, 1002);
	u = df_user("FROM node:20\nENV APP_UID=1003\nUSER ${APP_UID:-5}\n", NULL);
	ck_assert_int_eq(u.uid, 1003);
	u = df_user("FROM node:20\nARG UID\nUSER $UID\n", NULL);
	ck_assert_int_eq(u.verdict, KC_IMAGE_UNKNOWN);
	ck_assert_ptr_nonnull(u.why);

	/* Inherited through FROM <stage>; ENV carries over, the target wins. */
	const char *multi =
		"FROM golang:1.22 AS build\nRUN go build\n"
		"FROM gcr.io/distroless/static:nonroot AS base\nENV U=4000\n"
		"FROM base AS app\nCOPY --from=build /app /app\n"
		"FROM base AS app-user\nUSER $U\n"
		"FROM alpine:3 AS debug\n";
	u = df_user(multi, "app");
	ck_assert_int_eq(u.verdict, KC_IMAGE_NON_ROOT);
	ck_assert_int_eq(u.uid, 65532);
	ck_assert_str_eq(u.base, "gcr.io/distroless/static:nonroot");
	u = df_user(multi, "app-user");
	ck_assert_int_eq(u.uid, 4000);
	u = df_user(multi, "build");
	ck_assert_int_eq(u.verdict, KC_IMAGE_ROOT);
	u = df_user(multi, NULL);
	ck_assert_int_eq(u.verdict, KC_IMAGE_ROOT);
	ck_assert_str_eq(u.base, "alpine:3");
	u = df_user(multi, "1");
	ck_assert_int_eq(u.uid, 65532);

	/* A base image resolved from a global ARG, and one that is unknown. */
	u = df_user("ARG BASE=bitnami/nginx:1.25\nFROM ${BASE}\n", NULL);
	ck_assert_int_eq(u.verdict, KC_IMAGE_NON_ROOT);
	ck_assert_int_eq(u.uid, 1001);
	u = df_user("ARG BASE\nFROM ${BASE}\n", NULL);
	ck_assert_int_eq(u.verdict, KC_IMAGE_UNKNOWN);
	u = df_user("FROM example.com/team/base:1\n", NULL);
	ck_assert_int_eq(u.verdict, KC_IMAGE_UNKNOWN);
	ck_assert_ptr_nonnull(strstr(u.why, "example.com/team/base:1"));

	struct kc_dockerfile df;
	struct kc_df_error err;
	ck_assert(kc_dockerfile_parse(multi, strlen(multi), arena, &df, &err));
	struct kc_image_user none;
	ck_assert(!kc_image_dockerfile_user(&df, "nosuchstage", arena, &none));
	ck_assert(!kc_image_dockerfile_user(&df, "9", arena, &none));
}
END_TEST


static struct kc_image_links links;
static char *diag_text;
static size_t diag_len;

static bool load_links(bool skaffold, const char *file, const char *yaml)
{
	kc_image_links_init(&links, arena);
	FILE *e = open_memstream(&diag_text, &diag_len);
	struct kc_diag d;
	kc_diag_init(&d, e, false);
	bool ok = skaffold ? kc_image_links_skaffold(&links, file, yaml, strlen(yaml), &d)
		: kc_image_links_compose(&links, file, yaml, strlen(yaml), &d);
	fclose(e);
	return ok;
}

static void check_link(unsigned i, const char *image, const char *dockerfile,
	const char *target, unsigned line)
{
	ck_assert_uint_lt(i, links.count);
	const struct kc_image_link *k = &links.links[i];
	ck_assert_str_eq(k->image, image);
	ck_assert_str_eq(k->dockerfile, dockerfile);
	if (target == NULL) {
		ck_assert_ptr_null(k->target);
	} else {
		ck_assert_str_eq(k->target, target);
	}
	ck_assert_uint_eq(k->pos.line, line);
}

START_TEST(links_skaffold)
{
	ck_assert(load_links(true, "demo/skaffold.yaml",
		"apiVersion: skaffold/v4beta6\n"
		"kind: Config\n"
		"build:\n"
		"  artifacts:\n"
		"  - image: emailservice\n"
		"    context: src/emailservice\n"
		"  - image: frontend\n"
		"    context: ./src/frontend\n"
		"    docker:\n"
		"      dockerfile: build/Dockerfile.prod\n"
		"      target: runtime\n"
		"  - image: gcr.io/p/pack\n"
		"    buildpacks: {builder: x}\n"
		"---\n"
		"apiVersion: skaffold/v4beta6\n"
		"kind: Config\n"
		"build:\n"
		"  artifacts:\n"
		"  - image: loadgenerator\n"
		"---\n"
		"kind: Other\n"
		"build: 3\n"));
	ck_assert_uint_eq(links.count, 3);
	check_link(0, "emailservice", "demo/src/emailservice/Dockerfile", NULL, 5);
	check_link(1, "frontend", "demo/src/frontend/build/Dockerfile.prod", "runtime", 7);
	check_link(2, "loadgenerator", "demo/Dockerfile", NULL, 19);
	ck_assert_str_eq(links.links[1].source, "demo/skaffold.yaml");
	free(diag_text);

	/* Looked up without registry, tag or digest. */
	bool amb;
	const struct kc_image_link *k = kc_image_links_find(&links,
		"gcr.io/google-samples/microservices-demo/frontend:v0.10.0", &amb);
	ck_assert(!amb);
	ck_assert_ptr_nonnull(k);
	ck_assert_str_eq(k->image, "frontend");
	ck_assert_ptr_null(kc_image_links_find(&links, "redis:alpine", &amb));
	ck_assert(!amb);

	ck_assert(!load_links(true, "skaffold.yaml",
		"kind: Config\nbuild:\n  artifacts:\n  - image: [a]\n"));
	ck_assert_str_eq(diag_text, "skaffold.yaml:4:12: error: 'image' must be a string\n");
	free(diag_text);
	ck_assert(!load_links(true, "skaffold.yaml", "build: {artifacts: [{context: x}]}\n"));
	ck_assert_str_eq(diag_text, "skaffold.yaml:1:21: error: a build artifact needs an 'image'\n");
	free(diag_text);
	ck_assert(!load_links(true, "skaffold.yaml", "build: [\n"));
	ck_assert_ptr_nonnull(strstr(diag_text, "skaffold.yaml:"));
	free(diag_text);
}
END_TEST

START_TEST(links_compose)
{
	ck_assert(load_links(false, "compose.yaml",
		"services:\n"
		"  web:\n"
		"    build: ./web\n"
		"  api:\n"
		"    image: registry.example.com/team/api:1.2\n"
		"    build:\n"
		"      context: api\n"
		"      dockerfile: Dockerfile.dev\n"
		"      target: dev\n"
		"  inline:\n"
		"    build: {context: ., dockerfile_inline: 'FROM x'}\n"
		"  db:\n"
		"    image: postgres:16\n"
		"  empty:\n"));
	ck_assert_uint_eq(links.count, 2);
	check_link(0, "web", "web/Dockerfile", NULL, 3);
	check_link(1, "registry.example.com/team/api:1.2", "api/Dockerfile.dev", "dev", 7);
	free(diag_text);
	bool amb;
	ck_assert_ptr_nonnull(kc_image_links_find(&links, "team/api", &amb));
	ck_assert_ptr_null(kc_image_links_find(&links, "postgres:16", &amb));

	/* Two Dockerfiles for one image name: ambiguous, so not linked. */
	kc_image_links_add(&links, "other/web:2", "", "other/Dockerfile", NULL, "x", (struct kc_pos){1, 1});
	ck_assert_ptr_null(kc_image_links_find(&links, "web", &amb));
	ck_assert(amb);

	ck_assert(!load_links(false, "compose.yaml", "services:\n  a:\n    build: [x]\n"));
	ck_assert_str_eq(diag_text, "compose.yaml:3:12: error: 'build' must be a string or a mapping\n");
	free(diag_text);
}
END_TEST

static Suite *imageuser_suite(void)
{
	Suite *s = suite_create("imageuser");
	TCase *tc = tcase_create("refs");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, ref_normalised);
	tcase_add_test(tc, ref_keys_match);
	suite_add_tcase(s, tc);
	tc = tcase_create("users");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, verdicts);
	tcase_add_test(tc, base_table);
	tcase_add_test(tc, base_named_users);
	tcase_add_test(tc, dockerfile_user_forms);
	tcase_add_test(tc, dockerfile_user_args_and_stages);
	suite_add_tcase(s, tc);
	tc = tcase_create("links");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, links_skaffold);
	tcase_add_test(tc, links_compose);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return t_run(imageuser_suite());
}
