#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8scheck/fix.h"
#include "support.h"

/*
 * The fixer's safety net (kc_fixer_validate): a planned edit that would
 * break its document costs that finding, not the file. Rules only suggest
 * values the planner writes safely, so these tests hand it findings of
 * their own, one with a value ("x: y") that is not a plain scalar.
 */

struct fix_case {
	struct kc_fixer *fx;
	const char *bad;         /* data key whose fix breaks the document */
	const char *good;        /* data key whose fix is fine */
	unsigned bad_doc, good_doc;
};

static void plan_one(struct kc_fixer *fx, const struct kc_loaded_doc *doc,
	const char *key, const char *value)
{
	char path[64];
	snprintf(path, sizeof(path), "data.%s", key);
	struct kc_finding *f = kc_arena_alloc(doc->arena, sizeof(*f));
	memset(f, 0, sizeof(*f));
	f->rule = "test-rule";
	f->file = doc->file;
	f->doc_index = doc->index;
	f->path_str = kc_arena_strdup(doc->arena, path);
	f->pos = (struct kc_pos){ 1, 1 };
	f->fix_op = KC_FIX_SET;
	f->fix_path = t_path(f->path_str);
	f->fix_value = value;
	struct kc_finding *list[1] = { f };
	kc_fixer_plan(fx, doc, list, 1);
}

static void on_doc(void *ctx, const struct kc_loaded_doc *doc)
{
	struct fix_case *c = ctx;
	if (c->bad != NULL && doc->index == c->bad_doc) {
		plan_one(c->fx, doc, c->bad, "x: y");
	}
	if (c->good != NULL && doc->index == c->good_doc) {
		plan_one(c->fx, doc, c->good, "3");
	}
}

static const char one_doc[] =
	"apiVersion: v1\n"
	"kind: ConfigMap\n"
	"metadata:\n"
	"  name: a\n"
	"data:\n"
	"  x: 1\n"
	"  y: 2\n";

static char *run(const char *yaml, struct fix_case *c, bool validate)
{
	c->fx = kc_fixer_create(yaml, strlen(yaml));
	if (validate) {
		kc_fixer_validate(c->fx, NULL);
	}
	struct t_loaded r = t_load(yaml, on_doc, c);
	ck_assert(r.ok);
	free(r.diag);
	char *out;
	size_t len;
	kc_fixer_apply(c->fx, &out, &len);
	return out;
}

START_TEST(test_without_net_the_bad_edit_is_kept)
{
	/* Without kc_fixer_validate both edits stay planned (what the
	 * planner writes for the bad value is not asserted: the safety net
	 * exists because it may not parse). */
	struct fix_case c = { .bad = "x", .good = "y" };
	char *out = run(one_doc, &c, false);
	ck_assert_uint_eq(kc_fixer_count(c.fx), 2);
	ck_assert_uint_eq(kc_fixer_broken(c.fx), 0);
	ck_assert_ptr_null(kc_fixer_refused(c.fx, 0));
	ck_assert_ptr_nonnull(strstr(out, "  y: 3\n"));
	free(out);
	kc_fixer_destroy(c.fx);
}
END_TEST

START_TEST(test_bad_edit_refused_good_kept)
{
	struct fix_case c = { .bad = "x", .good = "y" };
	char *out = run(one_doc, &c, true);
	ck_assert_uint_eq(kc_fixer_count(c.fx), 1);
	ck_assert_str_eq(kc_fixer_key(c.fx, 0), "0|test-rule|data.y|");
	ck_assert_uint_eq(kc_fixer_broken(c.fx), 1);
	ck_assert_str_eq(kc_fixer_refused(c.fx, 0), "test.yaml:1:1: not fixed "
		"[test-rule]: the fix would not parse in this document's layout; "
		"edit it by hand");
	ck_assert_ptr_null(kc_fixer_refused(c.fx, 1));
	ck_assert_ptr_nonnull(strstr(out, "  x: 1\n  y: 3\n"));
	free(out);
	kc_fixer_destroy(c.fx);
}
END_TEST

START_TEST(test_good_edit_passes_the_net)
{
	/* With the net on, a good edit is kept, refused by nobody, and the
	 * output is the input with exactly that edit. */
	struct fix_case c = { .good = "y" };
	char *out = run(one_doc, &c, true);
	ck_assert_uint_eq(kc_fixer_count(c.fx), 1);
	ck_assert_uint_eq(kc_fixer_broken(c.fx), 0);
	ck_assert_ptr_null(kc_fixer_refused(c.fx, 0));
	ck_assert_str_eq(out,
		"apiVersion: v1\n"
		"kind: ConfigMap\n"
		"metadata:\n"
		"  name: a\n"
		"data:\n"
		"  x: 1\n"
		"  y: 3\n");
	free(out);
	kc_fixer_destroy(c.fx);
}
END_TEST

START_TEST(test_each_document_alone)
{
	/* The second document's edit is checked without the first's text,
	 * and the first document's fix is kept. */
	static const char two_docs[] =
		"%YAML 1.1\n"
		"---\n"
		"apiVersion: v1\n"
		"kind: ConfigMap\n"
		"metadata:\n"
		"  name: a\n"
		"data:\n"
		"  y: 2\n"
		"---\n"
		"apiVersion: v1\n"
		"kind: ConfigMap\n"
		"metadata: {name: b}\n"
		"data: {x: 1}\n";
	struct fix_case c = { .bad = "x", .bad_doc = 1, .good = "y", .good_doc = 0 };
	char *out = run(two_docs, &c, true);
	ck_assert_uint_eq(kc_fixer_count(c.fx), 1);
	ck_assert_str_eq(kc_fixer_key(c.fx, 0), "0|test-rule|data.y|");
	ck_assert_uint_eq(kc_fixer_broken(c.fx), 1);
	ck_assert_ptr_nonnull(strstr(out, "  y: 3\n"));
	ck_assert_ptr_nonnull(strstr(out, "data: {x: 1}\n"));
	free(out);
	kc_fixer_destroy(c.fx);
}
END_TEST

static Suite *fix_suite(void)
{
	Suite *s = suite_create("fix");
	TCase *tc = tcase_create("safety-net");
	tcase_add_test(tc, test_without_net_the_bad_edit_is_kept);
	tcase_add_test(tc, test_bad_edit_refused_good_kept);
	tcase_add_test(tc, test_good_edit_passes_the_net);
	tcase_add_test(tc, test_each_document_alone);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return t_run(fix_suite());
}
