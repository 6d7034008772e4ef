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
	/* These fixes replace values the author wrote: unsafe ones. */
	kc_fixer_unsafe(c->fx, true);
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

/* ---- one operation on any path ------------------------------------------- */

struct op_case {
	struct kc_fixer *fx;
	const char *path;        /* a literal, for t_path() */
	const char *value;       /* SET value; NULL: REMOVE */
	bool safe_only;          /* leave unsafe fixes out (the default of fix) */
	const char *unsafe;      /* the rule's reason the fix is unsafe, or NULL */
	char reason[256];        /* the finding's fix_unsafe after planning ("": NULL) */
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
	f->fix_unsafe = c->unsafe;
	struct kc_finding *list[1] = { f };
	kc_fixer_plan(c->fx, doc, list, 1);
	/* The finding goes with its document's arena: keep what it says. */
	snprintf(c->reason, sizeof(c->reason), "%s", f->fix_unsafe ? f->fix_unsafe : "");
}

/* Plan c's operation on yaml (with the safety net); returns the fixed
 * text (caller frees) and leaves c->fx for the caller to inspect and
 * destroy. */
static char *run_op(const char *yaml, struct op_case *c)
{
	c->fx = kc_fixer_create(yaml, strlen(yaml));
	kc_fixer_validate(c->fx, NULL);
	kc_fixer_unsafe(c->fx, !c->safe_only);
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

/* ---- kc_fix_verify: the trees before and after ---------------------------- */

struct vcase {
	struct kc_arena *a;
	struct kc_path paths[8];
	struct kc_fix_intent ops[8];
	size_t n;
	char where[128];
};

static void vop(struct vcase *c, enum kc_fix_op op, const char *path, const char *value)
{
	c->paths[c->n] = t_path(path);
	c->ops[c->n] = (struct kc_fix_intent){ op, &c->paths[c->n], value };
	c->n++;
}

/* Whether new_yaml is old_yaml changed only by c's operations. */
static bool verify(struct vcase *c, const char *old_yaml, const char *new_yaml)
{
	if (c->a == NULL) {
		c->a = kc_arena_create();
	}
	const struct kc_node *o = t_parse(c->a, old_yaml);
	const struct kc_node *n = t_parse(c->a, new_yaml);
	c->where[0] = '\0';
	return kc_fix_verify(o, n, c->ops, c->n, c->where, sizeof(c->where));
}

START_TEST(test_verify_identical)
{
	struct vcase c = { 0 };
	/* Layout, comments and quoting of strings are not values. */
	ck_assert(verify(&c, "a: {b: 1, c: [x, y]}\nd: |\n  t\n",
		"a:\n  b: 1 # one\n  c:\n  - x\n  - y\nd: \"t\\n\"\n"));
	ck_assert(!verify(&c, "a: 1\n", "a: '1'\n"));
	ck_assert_str_eq(c.where, "a");
	/* Key order is not a value either. */
	ck_assert(verify(&c, "a: 1\nb: 2\n", "b: 2\na: 1\n"));
	ck_assert(!verify(&c, "a: 1\nb: 2\n", "a: 1\n"));
	ck_assert_str_eq(c.where, "b");
	kc_arena_destroy(c.a);
}
END_TEST

START_TEST(test_verify_set)
{
	struct vcase c = { 0 };
	vop(&c, KC_FIX_SET, "s.c.x", "true");
	ck_assert(verify(&c, "s: {c: {x: false}}\n", "s: {c: {x: true}}\n"));
	ck_assert(verify(&c, "s: {}\n", "s:\n  c:\n    x: true\n"));
	/* JSON strings are quoted; a quoted true is not the bool. */
	ck_assert(!verify(&c, "s: {c: {x: false}}\n", "s: {c: {x: 'true'}}\n"));
	ck_assert_str_eq(c.where, "s.c.x");
	/* Nothing else may appear on the way. */
	ck_assert(!verify(&c, "s: {}\n", "s: {c: {x: true, y: 1}}\n"));
	ck_assert_str_eq(c.where, "s.c.y");
	ck_assert(!verify(&c, "s: {a: 1}\n", "s: {c: {x: true}}\n"));
	ck_assert_str_eq(c.where, "s.a");
	kc_arena_destroy(c.a);
}
END_TEST

START_TEST(test_verify_keep_chomped)
{
	/* The keys landed inside the kept blank lines of a |+ scalar: the
	 * scalar's value lost them. */
	struct vcase c = { 0 };
	vop(&c, KC_FIX_SET, "m.y", "2");
	ck_assert(!verify(&c, "m:\n  l: |+\n    line1\n\n\nz: 1\n",
		"m:\n  l: |+\n    line1\n  y: 2\n\n\nz: 1\n"));
	ck_assert_str_eq(c.where, "m.l");
	ck_assert(verify(&c, "m:\n  l: |+\n    line1\n\n\nz: 1\n",
		"m:\n  l: |+\n    line1\n\n\n  y: 2\nz: 1\n"));
	kc_arena_destroy(c.a);
}
END_TEST

START_TEST(test_verify_through_alias)
{
	/* Adding to the anchor changes the alias too. */
	struct vcase c = { 0 };
	vop(&c, KC_FIX_SET, "b.y", "2");
	ck_assert(!verify(&c, "a: &x {k: 1}\nb: *x\n", "a: &x {k: 1, y: 2}\nb: *x\n"));
	ck_assert_str_eq(c.where, "a");
	kc_arena_destroy(c.a);
}
END_TEST

START_TEST(test_verify_lists)
{
	struct vcase c = { 0 };
	vop(&c, KC_FIX_SET, "d", "[ALL]");
	ck_assert(verify(&c, "d: [NET_RAW]\n", "d: [NET_RAW, ALL]\n"));
	ck_assert(verify(&c, "d: [all]\n", "d: [ALL]\n"));
	ck_assert(verify(&c, "d:\n", "d: [ALL]\n"));
	ck_assert(!verify(&c, "d: [NET_RAW]\n", "d: [ALL]\n"));
	ck_assert(!verify(&c, "d: [NET_RAW]\n", "d: [NET_RAW, ALL, X]\n"));
	kc_arena_destroy(c.a);
	struct vcase r = { 0 };
	vop(&r, KC_FIX_REMOVE, "l[1]", NULL);
	ck_assert(verify(&r, "l: [a, b, c]\n", "l: [a, c]\n"));
	ck_assert(!verify(&r, "l: [a, b, c]\n", "l: [a, b]\n"));
	ck_assert(!verify(&r, "l: [a, b, c]\n", "l: [a, b, c]\n"));
	kc_arena_destroy(r.a);
}
END_TEST

START_TEST(test_verify_mapping_value)
{
	struct vcase c = { 0 };
	vop(&c, KC_FIX_SET, "s", "{type: RuntimeDefault}");
	vop(&c, KC_FIX_SET, "s.x", "1");
	ck_assert(verify(&c, "a: 1\n", "a: 1\ns: {type: RuntimeDefault, x: 1}\n"));
	/* What the mapping has stays as it is. */
	ck_assert(verify(&c, "s: {type: Localhost}\n", "s: {type: Localhost, x: 1}\n"));
	ck_assert(!verify(&c, "s: {type: Localhost}\n",
		"s: {type: RuntimeDefault, x: 1}\n"));
	ck_assert_str_eq(c.where, "s.type");
	kc_arena_destroy(c.a);
	struct vcase m = { 0 };
	vop(&m, KC_FIX_REMOVE, "a.p", NULL);
	vop(&m, KC_FIX_SET, "b.p", "true");
	ck_assert(verify(&m, "a: {p: true, q: 1}\nb: {}\n", "a: {q: 1}\nb: {p: true}\n"));
	ck_assert(!verify(&m, "a: {p: true, q: 1}\nb: {}\n", "a: {}\nb: {p: true}\n"));
	ck_assert_str_eq(m.where, "a.q");
	kc_arena_destroy(m.a);
}
END_TEST

START_TEST(test_verify_work_is_bounded)
{
	/* 2,000 items with a SET each: comparisons grow as n log n, not
	 * items x operations (4,000,000). */
	enum { N = 2000 };
	struct kc_arena *a = kc_arena_create();
	char *o = NULL, *n = NULL;
	size_t ol = 0, nl = 0;
	FILE *fo = open_memstream(&o, &ol), *fn = open_memstream(&n, &nl);
	ck_assert(fo != NULL && fn != NULL);
	fputs("l:\n", fo);
	fputs("l:\n", fn);
	struct kc_path *paths = calloc(N, sizeof(*paths));
	struct kc_fix_intent *ops = calloc(N, sizeof(*ops));
	ck_assert(paths != NULL && ops != NULL);
	for (unsigned i = 0; i < N; i++) {
		fprintf(fo, "- {name: c%u}\n", i);
		fprintf(fn, "- {name: c%u, x: true}\n", i);
		paths[i] = t_path("l");
		kc_path_index(&paths[i], i);
		kc_path_key(&paths[i], "x");
		ops[i] = (struct kc_fix_intent){ KC_FIX_SET, &paths[i], "true" };
	}
	fclose(fo);
	fclose(fn);
	unsigned long work = 0;
	char where[64];
	ck_assert(kc_fix_verify_counted(t_parse(a, o), t_parse(a, n), ops, N, where,
		sizeof(where), &work));
	ck_assert_msg(work < 8ul * N * 11, "%lu comparisons for %d operations", work, N);
	free(paths);
	free(ops);
	free(o);
	free(n);
	kc_arena_destroy(a);
}
END_TEST

/* The net refuses an edit that loads but adds a key nobody asked for. */
START_TEST(test_net_refuses_other_changes)
{
	struct fix_case c = { .good = "y" };
	c.fx = kc_fixer_create(one_doc, strlen(one_doc));
	kc_fixer_validate(c.fx, NULL);
	kc_fixer_unsafe(c.fx, true);
	struct op_case oc = { .fx = c.fx, .path = "data.x", .value = "1\n  z: 4" };
	struct t_loaded r = t_load(one_doc, on_doc_op, &oc);
	ck_assert(r.ok);
	free(r.diag);
	ck_assert_uint_eq(kc_fixer_count(c.fx), 0);
	ck_assert_uint_eq(kc_fixer_broken(c.fx), 1);
	ck_assert_msg(strstr(kc_fixer_refused(c.fx, 0), "would also change") != NULL,
		"%s", kc_fixer_refused(c.fx, 0));
	kc_fixer_destroy(c.fx);
}
END_TEST

START_TEST(test_keys_sorted_once)
{
	/* A stream of 500 documents with a fix each: the fixed findings'
	 * keys are sorted once (about n log n comparisons), not after every
	 * document (about n^2 log n / 2). */
	enum { N = 500 };
	char *yaml = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&yaml, &len);
	ck_assert_ptr_nonnull(f);
	for (unsigned i = 0; i < N; i++) {
		fprintf(f, "---\nkind: ConfigMap\nmetadata: {name: m%u}\ndata:\n  y: 2\n", i);
	}
	fclose(f);
	struct op_case c = { .path = "data.y", .value = "3" };
	char *out = run_op(yaml, &c);
	ck_assert_uint_eq(kc_fixer_count(c.fx), N);
	ck_assert_str_eq(kc_fixer_key(c.fx, 0), "0|test-rule|data.y|");
	for (unsigned i = 1; i < N; i++) {
		ck_assert(strcmp(kc_fixer_key(c.fx, i - 1), kc_fixer_key(c.fx, i)) <= 0);
	}
	ck_assert_msg(kc_fixer_work(c.fx) < 2ul * N * 9, "%lu comparisons",
		kc_fixer_work(c.fx));
	free(out);
	free(yaml);
	kc_fixer_destroy(c.fx);
}
END_TEST

/* ---- safe and unsafe fixes ------------------------------------------------ */

START_TEST(test_overturning_an_explicit_value_is_unsafe)
{
	static const char yaml[] =
		"kind: Pod\n"
		"spec:\n"
		"  privileged: true\n";
	struct op_case c = { .path = "spec.privileged", .value = "false",
		.safe_only = true };
	char *out = run_op(yaml, &c);
	assert_refused(&c, "unsafe fix, not applied: it would replace 'true', "
		"which the author wrote at spec.privileged, with 'false'");
	ck_assert_uint_eq(kc_fixer_unsafe_count(c.fx), 1);
	ck_assert_str_eq(out, yaml);
	/* The finding says so, for reporters. */
	ck_assert_ptr_nonnull(strstr(c.reason, "it would replace 'true'"));
	free(out);
	kc_fixer_destroy(c.fx);
	/* Asked for, it is applied. */
	struct op_case u = { .path = "spec.privileged", .value = "false" };
	out = run_op(yaml, &u);
	ck_assert_uint_eq(kc_fixer_count(u.fx), 1);
	ck_assert_uint_eq(kc_fixer_unsafe_count(u.fx), 0);
	ck_assert_str_eq(out, "kind: Pod\nspec:\n  privileged: false\n");
	free(out);
	kc_fixer_destroy(u.fx);
}
END_TEST

START_TEST(test_adding_a_value_is_safe)
{
	/* Missing, empty (null) and already right are no author's choice
	 * overturned. */
	static const char yaml[] =
		"kind: Pod\n"
		"spec:\n"
		"  a:\n"
		"  b: false\n";
	const char *paths[] = { "spec.a", "spec.b", "spec.c" };
	for (unsigned i = 0; i < 3; i++) {
		struct op_case c = { .path = paths[i], .value = "false", .safe_only = true };
		char *out = run_op(yaml, &c);
		ck_assert_msg(kc_fixer_unsafe_count(c.fx) == 0, "%s", paths[i]);
		ck_assert_str_eq(c.reason, "");
		free(out);
		kc_fixer_destroy(c.fx);
	}
}
END_TEST

START_TEST(test_rule_marks_a_fix_unsafe)
{
	static const char yaml[] = "kind: Pod\nspec:\n  x: 1\n";
	struct op_case c = { .path = "spec.y", .value = "true", .safe_only = true,
		.unsafe = "the pod needs it" };
	char *out = run_op(yaml, &c);
	assert_refused(&c, "unsafe fix, not applied: the pod needs it; a person "
		"must decide");
	ck_assert_str_eq(out, yaml);
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
	tc = tcase_create("shared");
	tcase_add_test(tc, test_alias_on_the_way_refused);
	tcase_add_test(tc, test_alias_item_refused);
	tcase_add_test(tc, test_anchored_mapping_refused);
	tcase_add_test(tc, test_merge_key_refused);
	suite_add_tcase(s, tc);
	tc = tcase_create("layout");
	tcase_add_test(tc, test_keep_chomped_scalar_keeps_its_lines);
	suite_add_tcase(s, tc);
	tc = tcase_create("verify");
	tcase_add_test(tc, test_verify_identical);
	tcase_add_test(tc, test_verify_set);
	tcase_add_test(tc, test_verify_keep_chomped);
	tcase_add_test(tc, test_verify_through_alias);
	tcase_add_test(tc, test_verify_lists);
	tcase_add_test(tc, test_verify_mapping_value);
	tcase_add_test(tc, test_verify_work_is_bounded);
	tcase_add_test(tc, test_net_refuses_other_changes);
	suite_add_tcase(s, tc);
	tc = tcase_create("unsafe");
	tcase_add_test(tc, test_overturning_an_explicit_value_is_unsafe);
	tcase_add_test(tc, test_adding_a_value_is_safe);
	tcase_add_test(tc, test_rule_marks_a_fix_unsafe);
	suite_add_tcase(s, tc);
	tc = tcase_create("linear");
	tcase_set_timeout(tc, 60);  /* 500 documents, each loaded twice */
	tcase_add_test(tc, test_keys_sorted_once);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return t_run(fix_suite());
}
