/*
 * Where the configuration search stops (kc_config_find): at the repository
 * root, at $HOME, before a directory that others may write to (a planted
 * /tmp/.k8scheck.yaml must not apply to everything under /tmp). Each test
 * builds its own tree under a fresh mkdtemp directory (mode 0700).
 */
#define _XOPEN_SOURCE 700  /* realpath, mkdtemp */

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../src/cli/config.h"
#include "support.h"

static char root[PATH_MAX];
static char saved_home[4096];
static bool had_home;

static void path_of(char *out, size_t size, const char *rel)
{
	snprintf(out, size, "%s/%s", root, rel);
}

static void make_dir(const char *rel)
{
	char p[PATH_MAX + 32];
	path_of(p, sizeof(p), rel);
	ck_assert_int_eq(mkdir(p, 0755), 0);
}

static void make_file(const char *rel)
{
	char p[PATH_MAX + 32];
	path_of(p, sizeof(p), rel);
	FILE *f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fputs("failOn: error\n", f);
	fclose(f);
}

static void setup(void)
{
	snprintf(root, sizeof(root), "/tmp/kc-config-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(root));
	char real[PATH_MAX];
	ck_assert_ptr_nonnull(realpath(root, real));
	memcpy(root, real, sizeof(root));
	make_dir("a");
	make_dir("a/b");
	make_dir("a/b/c");
	make_file("a/b/c/deploy.yaml");
	const char *h = getenv("HOME");
	had_home = h != NULL;
	snprintf(saved_home, sizeof(saved_home), "%s", h ? h : "");
	unsetenv("HOME");
}

static void teardown(void)
{
	static const char *const files[] = { "a/b/c/deploy.yaml", "a/b/c/.k8scheck.yaml",
		"a/b/.k8scheck.yaml", "a/.k8scheck.yaml", ".k8scheck.yaml", "a/b/.git" };
	for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++) {
		char p[PATH_MAX + 32];
		path_of(p, sizeof(p), files[i]);
		unlink(p);
	}
	static const char *const dirs[] = { "a/b/c", "a/b", "a", "" };
	for (size_t i = 0; i < sizeof(dirs) / sizeof(*dirs); i++) {
		char p[PATH_MAX + 32];
		path_of(p, sizeof(p), dirs[i]);
		rmdir(p);
	}
	if (had_home) {
		setenv("HOME", saved_home, 1);
	}
}

/* The configuration found for a/b/c/deploy.yaml, relative to root, or NULL. */
static const char *found(struct kc_arena *a)
{
	char p[PATH_MAX + 32];
	path_of(p, sizeof(p), "a/b/c/deploy.yaml");
	const char *c = kc_config_find(p, a);
	if (c == NULL) {
		return NULL;
	}
	size_t n = strlen(root);
	ck_assert_msg(strncmp(c, root, n) == 0 && c[n] == '/', "found %s", c);
	return c + n + 1;
}

START_TEST(test_nearest_above)
{
	struct kc_arena *a = kc_arena_create();
	make_file("a/.k8scheck.yaml");
	ck_assert_str_eq(found(a), "a/.k8scheck.yaml");
	make_file("a/b/.k8scheck.yaml");
	ck_assert_str_eq(found(a), "a/b/.k8scheck.yaml");
	kc_arena_destroy(a);
}
END_TEST

START_TEST(test_stops_at_repository_root)
{
	struct kc_arena *a = kc_arena_create();
	make_file("a/.k8scheck.yaml");
	make_file("a/b/.git");
	ck_assert_ptr_null(found(a));
	kc_arena_destroy(a);
}
END_TEST

START_TEST(test_stops_at_home)
{
	struct kc_arena *a = kc_arena_create();
	make_file("a/.k8scheck.yaml");
	char home[PATH_MAX + 32];
	path_of(home, sizeof(home), "a/b");
	setenv("HOME", home, 1);
	ck_assert_ptr_null(found(a));
	/* The home directory's own configuration still applies. */
	make_file("a/b/.k8scheck.yaml");
	ck_assert_str_eq(found(a), "a/b/.k8scheck.yaml");
	kc_arena_destroy(a);
}
END_TEST

START_TEST(test_world_writable_directory_is_not_searched)
{
	/* The planted-/tmp case: root (like /tmp) is writable by anyone. */
	struct kc_arena *a = kc_arena_create();
	make_file(".k8scheck.yaml");
	ck_assert_str_eq(found(a), ".k8scheck.yaml");
	ck_assert_int_eq(chmod(root, 01777), 0);
	ck_assert_ptr_null(found(a));
	/* Nor is one the file itself is in. */
	char c[PATH_MAX + 32];
	path_of(c, sizeof(c), "a/b/c");
	make_file("a/b/c/.k8scheck.yaml");
	ck_assert_str_eq(found(a), "a/b/c/.k8scheck.yaml");
	ck_assert_int_eq(chmod(c, 0777), 0);
	ck_assert_ptr_null(found(a));
	ck_assert_int_eq(chmod(c, 0755), 0);
	ck_assert_int_eq(chmod(root, 0700), 0);
	kc_arena_destroy(a);
}
END_TEST

static Suite *config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("search");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_nearest_above);
	tcase_add_test(tc, test_stops_at_repository_root);
	tcase_add_test(tc, test_stops_at_home);
	tcase_add_test(tc, test_world_writable_directory_is_not_searched);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return t_run(config_suite());
}
