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
	struct fix_case c = { .bad = "x", .good = "y" };
	char *out = run(one_doc, &c, false);
	ck_assert_uint_eq(kc_fixer_count(c.fx), 2);
	ck_assert_ptr_nonnull(strstr(out, "  x: x: y\n"));
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

START_TEST(test_good_edits_cost_nothing)
{
	struct fix_case c = { .good = "y" };
	char *out = run(one_doc, &c, true);
	ck_assert_uint_eq(kc_fixer_count(c.fx), 1);
	ck_assert_uint_eq(kc_fixer_broken(c.fx), 0);
	ck_assert_ptr_null(kc_fixer_refused(c.fx, 0));
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

/* ---- one operation on any path ------------------------------------------- */

struct op_case {
	struct kc_fixer *fx;
	const char *path;        /* a literal, for t_path() */
	const char *value;       /* SET value; NULL: REMOVE */
};

static void on_doc_op(void *ctx, const struct kc_loaded_doc *doc)
{
	struct op_case *c = ctx;
	struct kc_finding *f = kc_arena_alloc(doc->arena, sizeof(*f));
	memset(f, 0, sizeof(*f));
	f->rule = "test-rule";
	f->file = doc->file;
	f->doc_index = doc->index;
	f->path_str = c->path;
	f->pos = (struct kc_pos){ 1, 1 };
	f->fix_op = c->value != NULL ? KC_FIX_SET : KC_FIX_REMOVE;
	f->fix_path = t_path(c->path);
	f->fix_value = c->value;
	struct kc_finding *list[1] = { f };
	kc_fixer_plan(c->fx, doc, list, 1);
}

/* Plan c's operation on yaml (with the safety net); returns the fixed
 * text (caller frees) and leaves c->fx for the caller to inspect and
 * destroy. */
static char *run_op(const char *yaml, struct op_case *c)
{
	c->fx = kc_fixer_create(yaml, strlen(yaml));
	kc_fixer_validate(c->fx, NULL);
	struct t_loaded r = t_load(yaml, on_doc_op, c);
	ck_assert(r.ok);
	free(r.diag);
	char *out;
	size_t len;
	kc_fixer_apply(c->fx, &out, &len);
	return out;
}

/* The single refusal of c's fix contains text. */
static void assert_refused(struct op_case *c, const char *text)
{
	ck_assert_uint_eq(kc_fixer_count(c->fx), 0);
	ck_assert_ptr_nonnull(kc_fixer_refused(c->fx, 0));
	ck_assert_msg(strstr(kc_fixer_refused(c->fx, 0), text) != NULL,
		"refusal '%s' lacks '%s'", kc_fixer_refused(c->fx, 0), text);
	ck_assert_ptr_null(kc_fixer_refused(c->fx, 1));
}

START_TEST(test_alias_on_the_way_refused)
{
	static const char yaml[] =
		"kind: ConfigMap\n"
		"a: &sc\n"
		"  x: 1\n"
		"b: *sc\n";
	struct op_case c = { .path = "b.y", .value = "2" };
	char *out = run_op(yaml, &c);
	assert_refused(&c, "reached through an alias");
	ck_assert_str_eq(out, yaml);
	free(out);
	kc_fixer_destroy(c.fx);
}
END_TEST

START_TEST(test_alias_item_refused)
{
	static const char yaml[] =
		"kind: ConfigMap\n"
		"l:\n"
		"- &i {x: 1}\n"
		"- *i\n";
	struct op_case c = { .path = "l[1].x", .value = "2" };
	char *out = run_op(yaml, &c);
	assert_refused(&c, "reached through an alias");
	free(out);
	kc_fixer_destroy(c.fx);
}
END_TEST

START_TEST(test_anchored_mapping_refused)
{
	static const char yaml[] =
		"kind: ConfigMap\n"
		"a: &sc\n"
		"  x: 1\n"
		"b: *sc\n";
	/* Adding to the anchor would add to its alias b too. */
	struct op_case c = { .path = "a.y", .value = "2" };
	char *out = run_op(yaml, &c);
	assert_refused(&c, "anchor");
	free(out);
	kc_fixer_destroy(c.fx);
}
END_TEST

START_TEST(test_merge_key_refused)
{
	static const char yaml[] =
		"kind: ConfigMap\n"
		"base: &b {x: 1}\n"
		"m:\n"
		"  <<: *b\n"
		"  y: 1\n";
	struct op_case c = { .path = "m.y", .value = "2" };
	char *out = run_op(yaml, &c);
	assert_refused(&c, "merge key");
	free(out);
	kc_fixer_destroy(c.fx);
	struct op_case d = { .path = "m.z", .value = "2" };
	out = run_op(yaml, &d);
	assert_refused(&d, "merge key");
	free(out);
	kc_fixer_destroy(d.fx);
}
END_TEST

START_TEST(test_keep_chomped_scalar_keeps_its_lines)
{
	static const char yaml[] =
		"kind: ConfigMap\n"
		"m:\n"
		"  l:\n"
		"  - |+\n"
		"    line1\n"
		"\n"
		"\n"
		"z: 1\n";
	struct op_case c = { .path = "m.y", .value = "2" };
	char *out = run_op(yaml, &c);
	ck_assert_uint_eq(kc_fixer_count(c.fx), 1);
	ck_assert_str_eq(out, "kind: ConfigMap\nm:\n  l:\n  - |+\n    line1\n"
		"\n\n  y: 2\nz: 1\n");
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
	tcase_add_test(tc, test_good_edits_cost_nothing);
	tcase_add_test(tc, test_each_document_alone);
	suite_add_tcase(s, tc);
	tc = tcase_create("shared");
	tcase_add_test(tc, test_alias_on_the_way_refused);
	tcase_add_test(tc, test_alias_item_refused);
	tcase_add_test(tc, test_anchored_mapping_refused);
	tcase_add_test(tc, test_merge_key_refused);
	suite_add_tcase(s, tc);
	tc = tcase_create("layout");
	tcase_add_test(tc, test_keep_chomped_scalar_keeps_its_lines);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return t_run(fix_suite());
}
