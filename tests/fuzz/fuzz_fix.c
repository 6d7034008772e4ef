/*
 * libFuzzer target for `k8scheck fix`, through the library call the CLI
 * uses (kc_check_fix_buffer in include/k8scheck/check.h): plan the fixes of
 * every document, apply them to the text, re-load and re-check the result,
 * and write the diff.
 *
 * The library refuses a fix that does not re-parse or does not clear the
 * findings it claims to fix (the CLI then leaves the file unchanged), and
 * its safety net (kc_fixer_validate) refuses the findings whose edits break
 * their document. Here, the fixes that get past the net must re-parse and
 * clear their findings, or the target aborts and libFuzzer keeps the input:
 * that is what a user relies on. With FUZZ_FIX_STRICT=1 it also aborts whenever the net has to step
 * in, to hunt for cases the planner should refuse itself with a better
 * reason (such refusals are safe, so they are not failures by default).
 *
 * Files with a lone CR, U+0085, U+2028 or U+2029 line break are refused by
 * the fixer as a whole (it places edits by '\n' lines); the regressions
 * tests/fuzz/regressions/fuzz_fix-*line* keep it so.
 * FUZZ_FIX_SKIP_LINE_BREAKS=1 leaves such inputs out of the checks.
 */
#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8scheck/arena.h"
#include "k8scheck/diag.h"
#include "k8scheck/check.h"
#include "k8scheck/fix.h"
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

static void dump(const char *what, const char *text, size_t len)
{
	fprintf(stderr, "fuzz_fix: %s; the input:\n%.*s\n--- end\n", what,
		(int)len, text);
}

static void on_refused(void *ctx, const char *reason)
{
	fprintf(ctx, "%s\n", reason);
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
	struct kc_checker c;
	kc_checker_init(&c, &policy, engine);
	const struct kc_check_fix_sink sink = { .refused = on_refused, .ctx = err };
	struct kc_check_fix fx;
	bool loaded = kc_check_fix_buffer(&c, "fuzz.yaml", text, size, &diag, &st,
		&sink, &fx);
	assert(loaded == (st.input_errors == 0));
	bool known = skip_line_breaks && has_odd_line_break(data, size);
	if (strict && fx.broken > 0 && !known) {
		/* The safety net caught an edit that breaks its document: the
		 * planner should have refused it up front. */
		fflush(err);
		fprintf(stderr, "fuzz_fix: %.*s", (int)err_len, err_text);
		fputs("fuzz_fix: a planned edit did not load\n", stderr);
		abort();
	}
	if (fx.failed && !known) {
		fflush(err);
		fprintf(stderr, "fuzz_fix: %.*s", (int)err_len, err_text);
		dump("the fixes do not re-parse or do not clear their findings",
			text, size);
		abort();
	}
	assert(fx.changed == (fx.text != NULL));
	assert(!fx.changed || fx.fixed > 0);
	if (fx.changed) {
		kc_fix_diff(out, "fuzz.yaml", text, size, fx.text, fx.len);
	}
	kc_check_fix_finish(&fx);
	fclose(err);
	fclose(out);
	free(err_text);
	free(out_text);
	return 0;
}
