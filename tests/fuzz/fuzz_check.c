/*
 * libFuzzer target for the whole check of one input, through the library
 * the CLI uses (include/k8scheck/check.h): kc_check_buffer() loads, checks
 * and suppresses each document, and kc_check_report drives a reporter with
 * the baseline, the summary, the skip tallies, the fix edits (SARIF) and the
 * Pod Security verdicts. Diagnostics go to another stream.
 *
 * The last byte of the input picks the output format, the colour, whether
 * verdicts are computed, and whether a baseline is used. The baseline is
 * made from the input itself: a first pass records every other finding's
 * fingerprint, and the second, reported pass must then hide exactly those.
 * The policy is parsed once, at start-up, as the CLI does once per run.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8scheck/arena.h"
#include "k8scheck/check.h"
#include "k8scheck/diag.h"
#include "k8scheck/policy.h"
#include "k8scheck/report.h"

#ifdef NDEBUG
#error "fuzz targets must not be built with NDEBUG"
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const formats[] = {
	"text", "json", "sarif", "junit", "github", "gcc", "checkstyle",
};

static struct kc_arena *run_arena;
static struct kc_policy policy;
static struct kc_engine *engine;
static const char **rule_ids;
static unsigned rule_count;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	run_arena = kc_arena_create();
	struct kc_diag diag;
	kc_diag_init(&diag, stderr, false);
	if (!kc_policy_load(&policy, run_arena, &diag)) {
		fputs("fuzz_check: the built-in policy does not load\n", stderr);
		abort();
	}
	engine = kc_engine_create(&policy, run_arena);
	rule_count = kc_engine_enabled(engine, run_arena, &rule_ids);
	return 0;
}

/* What every reporter relies on. */
static void assert_doc(const struct kc_check_doc *d)
{
	for (unsigned i = 0; i < d->finding_count; i++) {
		const struct kc_finding *x = d->findings[i];
		assert(x->severity < KC_SEVERITY__COUNT);
		assert(x->pos.line >= 1 && x->pos.col >= 1);
		assert(x->message != NULL && x->path_str != NULL && x->kind != NULL);
		assert(i == 0 || d->findings[i - 1]->pos.line < x->pos.line ||
			(d->findings[i - 1]->pos.line == x->pos.line &&
			d->findings[i - 1]->pos.col <= x->pos.col));
		assert(x->change_count == 0 || x->changes != NULL);
	}
	for (unsigned i = 0; i < d->ignore_count; i++) {
		assert(d->ignores[i].rule != NULL && d->ignores[i].kind != NULL);
		assert(d->ignores[i].pos.line >= 1 && d->ignores[i].pos.col >= 1);
	}
}

/* The first pass: every other unsuppressed finding goes to the baseline. */
struct record {
	struct kc_baseline *b;
	unsigned seen;
	unsigned added;
};

static void on_record(void *ctx, const struct kc_check_doc *d)
{
	struct record *rec = ctx;
	for (unsigned wi = 0; wi < d->doc.workload_count; wi++) {
		for (unsigned i = 0; i < d->finding_count; i++) {
			const struct kc_finding *f = d->findings[i];
			if (f->workload != &d->doc.workloads[wi] || f->suppressed) {
				continue;
			}
			if (rec->seen++ % 2 == 0) {
				kc_baseline_add(rec->b, f);
				rec->added++;
			}
		}
	}
}

static void on_document(void *ctx, const struct kc_check_doc *d)
{
	assert_doc(d);
	kc_check_report_doc(ctx, d);
}

static void on_diag(void *ctx, const struct kc_diag_event *e)
{
	kc_check_report_diag(ctx, e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *out_text = NULL, *err_text = NULL;
	size_t out_len = 0, err_len = 0;
	FILE *out = open_memstream(&out_text, &out_len);
	FILE *err = open_memstream(&err_text, &err_len);
	if (out == NULL || err == NULL) {
		abort();
	}
	uint8_t pick = size > 0 ? data[size - 1] : 0;
	const struct kc_reporter_impl *impl =
		kc_report_find(formats[(pick >> 3) % (sizeof(formats) / sizeof(*formats))]);
	if (impl == NULL) {
		impl = &kc_report_text;
	}
	bool color = pick & 1;
	struct kc_arena *arena = kc_arena_create();  /* this input's */
	struct kc_reporter rep = {
		.impl = impl, .out = out, .color = color, .version = "fuzz",
		.policy = &policy, .rules = rule_ids, .rule_count = rule_count,
	};
	struct kc_reporter *reps[] = { &rep };
	struct kc_diag diag;
	kc_diag_init(&diag, err, color);
	struct kc_check_report r = {
		.reps = reps, .rep_count = 1, .arena = arena, .diag = &diag,
		.pss_name = "restricted:latest", .show_suppressed = pick & 4,
		.report_unused = pick & 4,
	};
	struct kc_checker c;
	kc_checker_init(&c, &policy, engine);
	c.changes = kc_check_report_wants_changes(&r);
	c.verdicts = pick & 2;
	const char *text = (const char *)data;
	struct record rec = { 0 };
	if (pick & 4) {
		struct kc_diag quiet;
		kc_diag_init(&quiet, NULL, false);
		struct kc_load_stats st = { 0 };
		rec.b = kc_baseline_create(arena);
		kc_check_buffer(&c, "fuzz.yaml", text, size, &quiet, &st, on_record, &rec);
		kc_baseline_seal(rec.b);
		r.baseline = rec.b;
	}
	diag.listener = on_diag;
	diag.listener_ctx = &r;
	rep.impl->begin(&rep);
	kc_check_report_file_begin(&r, "fuzz.yaml");
	bool ok = kc_check_buffer(&c, "fuzz.yaml", text, size, &diag, &r.sum.load,
		on_document, &r);
	kc_check_report_file_end(&r, "fuzz.yaml");
	rep.impl->end(&rep, &r.sum);
	/* Failure and diagnostics go together: an error is never silent. */
	assert(ok == (r.sum.load.input_errors == 0));
	assert(ok || diag.count[KC_DIAG_ERROR] > 0);
	/* The same input checks the same: the baseline hides what it lists. */
	assert(r.sum.baselined == rec.added);
	fclose(out);
	fclose(err);
	free(out_text);
	free(err_text);
	kc_arena_destroy(arena);
	return 0;
}
