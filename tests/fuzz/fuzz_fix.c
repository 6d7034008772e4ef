/*
 * libFuzzer target for `k8scheck fix`, driven the way src/cli/cli.c drives
 * it: plan the fixes of every document (kc_fixer_plan), apply them to the
 * text, re-load and re-check the result, and write the diff.
 *
 * The CLI refuses to write a fix that does not re-parse or does not clear
 * the findings it claims to fix, and its safety net (kc_fixer_validate)
 * refuses the findings whose edits break their document. Here, the fixes
 * that get past the net must re-parse and clear their findings, or the
 * target aborts and libFuzzer keeps the input: that is what a user relies
 * on. With FUZZ_FIX_STRICT=1 it also aborts whenever the net has to step
 * in, to hunt for cases the planner should refuse itself with a better
 * reason (such refusals are safe, so they are not failures by default).
 *
 * Files with a lone CR, U+0085, U+2028 or U+2029 line break are refused by
 * the fixer as a whole (it places edits by '\n' lines); the regressions
 * tests/fuzz/regressions/fuzz_fix-*line* keep it so.
 * FUZZ_FIX_SKIP_LINE_BREAKS=1 leaves such inputs out of the checks.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8scheck/arena.h"
#include "k8scheck/diag.h"
#include "k8scheck/fix.h"
#include "k8scheck/loader.h"
#include "k8scheck/policy.h"

#ifdef NDEBUG
#error "fuzz targets must not be built with NDEBUG"
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct kc_arena *run_arena;
static struct kc_policy policy;
static struct kc_engine *engine;
static bool skip_line_breaks;
static bool strict;

struct keys {
	char **v;
	unsigned n;
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	run_arena = kc_arena_create();
	struct kc_diag diag;
	kc_diag_init(&diag, stderr, false);
	if (!kc_policy_load(&policy, run_arena, &diag)) {
		fputs("fuzz_fix: the built-in policy does not load\n", stderr);
		abort();
	}
	engine = kc_engine_create(&policy, run_arena);
	const char *skip = getenv("FUZZ_FIX_SKIP_LINE_BREAKS");
	skip_line_breaks = skip != NULL && *skip != '\0' && *skip != '0';
	const char *st = getenv("FUZZ_FIX_STRICT");
	strict = st != NULL && *st != '\0' && *st != '0';
	return 0;
}

/* A line break other than LF or CR LF: lone CR, NEL, LS or PS. */
static bool has_odd_line_break(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\r' && (i + 1 == n || p[i + 1] != '\n')) {
			return true;
		}
		if (p[i] == 0xC2 && i + 1 < n && p[i + 1] == 0x85) {
			return true;
		}
		if (p[i] == 0xE2 && i + 2 < n && p[i + 1] == 0x80 &&
			(p[i + 2] == 0xA8 || p[i + 2] == 0xA9)) {
			return true;
		}
	}
	return false;
}

static void keys_add(struct keys *k, const struct kc_finding *f)
{
	char **v = realloc(k->v, (k->n + 1) * sizeof(*k->v));
	if (v == NULL) {
		abort();
	}
	k->v = v;
	k->v[k->n++] = kc_fix_key(f);
}

static int key_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort once, then count by binary search: an input with thousands of
 * findings must not make the harness itself quadratic. */
static void keys_sort(struct keys *k)
{
	if (k->n > 1) {
		qsort(k->v, k->n, sizeof(*k->v), key_cmp);
	}
}

static unsigned keys_count(const struct keys *k, const char *key)
{
	size_t lo = 0, hi = k->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(k->v[mid], key) < 0) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	unsigned c = 0;
	while (lo + c < k->n && strcmp(k->v[lo + c], key) == 0) {
		c++;
	}
	return c;
}

static void keys_clear(struct keys *k)
{
	for (unsigned i = 0; i < k->n; i++) {
		free(k->v[i]);
	}
	free(k->v);
	*k = (struct keys){ 0 };
}

struct plan {
	struct kc_fixer *fx;
	struct keys before;      /* keys of every finding before the fix */
};

static void on_document_fix(void *ctx, const struct kc_loaded_doc *doc)
{
	struct plan *p = ctx;
	struct kc_finding **f;
	unsigned n;
	kc_engine_check(engine, doc, &f, &n);
	struct kc_ignore *ig;
	unsigned nig;
	kc_suppress(&policy, doc, f, n, &ig, &nig);
	for (unsigned i = 0; i < n; i++) {
		if (!f[i]->suppressed) {
			keys_add(&p->before, f[i]);
		}
	}
	kc_fixer_plan(p->fx, doc, f, n);
}

static void on_document_recheck(void *ctx, const struct kc_loaded_doc *doc)
{
	struct keys *k = ctx;
	struct kc_finding **f;
	unsigned n;
	kc_engine_check(engine, doc, &f, &n);
	struct kc_ignore *ig;
	unsigned nig;
	kc_suppress(&policy, doc, f, n, &ig, &nig);
	for (unsigned i = 0; i < n; i++) {
		if (!f[i]->suppressed) {
			keys_add(k, f[i]);
		}
	}
}

static void dump(const char *what, const char *text, size_t len)
{
	fprintf(stderr, "fuzz_fix: %s; the fixed text:\n%.*s\n--- end\n", what,
		(int)len, text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	char *err_text = NULL, *out_text = NULL;
	size_t err_len = 0, out_len = 0;
	FILE *err = open_memstream(&err_text, &err_len);
	FILE *out = open_memstream(&out_text, &out_len);
	if (err == NULL || out == NULL) {
		abort();
	}
	struct kc_diag diag;
	kc_diag_init(&diag, err, false);
	struct kc_load_stats st = { 0 };
	struct kc_fixer *fx = kc_fixer_create(text, size);
	kc_fixer_validate(fx, &kc_limits_default);
	struct plan plan = { .fx = fx };
	kc_loader_load_buffer("fuzz.yaml", text, size, &kc_limits_default, &diag,
		on_document_fix, &plan, &st);
	for (unsigned i = 0; kc_fixer_refused(fx, i) != NULL; i++) {
		fprintf(err, "%s\n", kc_fixer_refused(fx, i));
	}
	bool known = skip_line_breaks && has_odd_line_break(data, size);
	if (strict && kc_fixer_broken(fx) > 0 && !known) {
		/* The CLI's safety net caught an edit that breaks its
		 * document: the planner should have refused it up front. */
		for (unsigned i = 0; kc_fixer_refused(fx, i) != NULL; i++) {
			fprintf(stderr, "fuzz_fix: %s\n", kc_fixer_refused(fx, i));
		}
		fputs("fuzz_fix: a planned edit did not load\n", stderr);
		abort();
	}
	if (kc_fixer_count(fx) > 0 && st.input_errors == 0 && !known) {
		char *fixed = NULL;
		size_t fixed_len = 0;
		kc_fixer_apply(fx, &fixed, &fixed_len);
		struct kc_load_stats st2 = { 0 };
		struct keys left = { 0 };
		bool parsed = kc_loader_load_buffer("fuzz.yaml", fixed, fixed_len,
			&kc_limits_default, &diag, on_document_recheck, &left, &st2) &&
			st2.input_errors == 0;
		if (!parsed) {
			dump("the fixes do not parse", fixed, fixed_len);
			abort();
		}
		keys_sort(&plan.before);
		keys_sort(&left);
		for (unsigned i = 0; i < kc_fixer_count(fx); i++) {
			const char *key = kc_fixer_key(fx, i);
			/* Keys name containers by name: with two containers of
			 * one name (which Kubernetes refuses) they are not unique. */
			if (keys_count(&plan.before, key) == 1 && keys_count(&left, key) > 0) {
				fprintf(stderr, "fuzz_fix: '%s' is still found\n", key);
				dump("a fix did not clear its finding", fixed, fixed_len);
				abort();
			}
		}
		keys_clear(&left);
		kc_fix_diff(out, "fuzz.yaml", text, size, fixed, fixed_len);
		free(fixed);
	}
	keys_clear(&plan.before);
	kc_fixer_destroy(fx);
	fclose(err);
	fclose(out);
	free(err_text);
	free(out_text);
	return 0;
}
