#include <string.h>

#include "support.h"

static struct kc_arena *arena;

static void setup(void)
{
	arena = kc_arena_create();
}

static void teardown(void)
{
	kc_arena_destroy(arena);
}

START_TEST(positions_are_one_based)
{
	const struct kc_node *root = t_parse(arena,
		"apiVersion: v1\n"
		"kind: Pod\n"
		"spec:\n"
		"  containers:\n"
		"  - name: app\n"
		"    image: nginx\n");
	struct kc_path p = kc_path_join(NULL, "spec.containers");
	kc_path_index(&p, 0);
	p = kc_path_join(&p, "image");
	struct kc_lookup lk = kc_locator_find(root, &p);
	ck_assert(lk.found);
	struct kc_pos pos = kc_lookup_pos(&lk);
	ck_assert_uint_eq(pos.line, 6);
	ck_assert_uint_eq(pos.col, 5);
	ck_assert_uint_eq(lk.node->start.col, 12);
	ck_assert_str_eq(lk.node->value, "nginx");
}
END_TEST

START_TEST(missing_path_gives_nearest_ancestor)
{
	const struct kc_node *root = t_parse(arena,
		"spec:\n"
		"  containers:\n"
		"  - name: app\n");
	struct kc_path p = kc_path_join(NULL, "spec.containers");
	kc_path_index(&p, 0);
	p = kc_path_join(&p, "securityContext.runAsNonRoot");
	struct kc_lookup lk = kc_locator_find(root, &p);
	ck_assert(!lk.found);
	ck_assert_uint_eq(lk.depth, 3);
	struct kc_pos pos = kc_lookup_pos(&lk);
	ck_assert_uint_eq(pos.line, 3);
	ck_assert_uint_eq(pos.col, 5);
	char buf[128];
	kc_path_format(root, &p, buf, sizeof(buf));
	ck_assert_str_eq(buf, "spec.containers[app].securityContext.runAsNonRoot");
}
END_TEST

static Suite *locator_suite(void)
{
	Suite *s = suite_create("locator");
	TCase *tc = tcase_create("lookup");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, positions_are_one_based);
	tcase_add_test(tc, missing_path_gives_nearest_ancestor);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return t_run(locator_suite());
}
