/*
 * libFuzzer target for the whole check of one input, driven the way
 * src/cli/cli.c drives it: kc_loader_load_buffer() hands each document to
 * the engine, ignore directives are applied (kc_suppress), and a reporter
 * writes the findings, the resources, the diagnostics and the summary to a
 * memory stream; diagnostics also go to another. The last byte of the input
 * picks the output format and the colour, so every reporter is exercised.
 * The policy is parsed once, at start-up, as the CLI does once per run.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8scheck/arena.h"
#include "k8scheck/diag.h"
#include "k8scheck/loader.h"
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

struct run {
	struct kc_arena *arena;  /* this input's: skip kinds */
	struct kc_reporter rep;
	struct kc_summary sum;
};

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

static void on_diag(void *ctx, const struct kc_diag_event *e)
{
	struct run *r = ctx;
	if (r->rep.impl->diagnostic != NULL) {
		r->rep.impl->diagnostic(&r->rep, e);
	}
}

static void on_document(void *ctx, const struct kc_loaded_doc *doc)
{
	struct run *r = ctx;
	for (unsigned i = 0; i < doc->skip_count; i++) {
		kc_summary_add_skip(&r->sum, &doc->skips[i], r->arena);
	}
	struct kc_finding **f;
	unsigned n;
	kc_engine_check(engine, doc, &f, &n);
	for (unsigned i = 0; i < n; i++) {
		const struct kc_finding *x = f[i];
		/* What every reporter relies on. */
		assert(x->severity < KC_SEVERITY__COUNT);
		assert(x->pos.line >= 1 && x->pos.col >= 1);
		assert(x->message != NULL && x->path_str != NULL && x->kind != NULL);
		assert(i == 0 || f[i - 1]->pos.line < x->pos.line ||
			(f[i - 1]->pos.line == x->pos.line && f[i - 1]->pos.col <= x->pos.col));
	}
	struct kc_ignore *ig;
	unsigned nig;
	kc_suppress(&policy, doc, f, n, &ig, &nig);
	for (unsigned i = 0; i < nig; i++) {
		assert(ig[i].rule != NULL && ig[i].kind != NULL);
		assert(ig[i].pos.line >= 1 && ig[i].pos.col >= 1);
	}
	for (unsigned wi = 0; wi < doc->workload_count; wi++) {
		const struct kc_workload *w = &doc->workloads[wi];
		for (unsigned i = 0; i < n; i++) {
			if (f[i]->workload != w) {
				continue;
			}
			if (f[i]->suppressed) {
				r->sum.suppressed++;
				if (!r->rep.impl->all_findings) {
					continue;
				}
			} else {
				r->sum.findings[f[i]->severity]++;
			}
			r->rep.impl->finding(&r->rep, f[i]);
		}
		if (r->rep.impl->resource != NULL) {
			struct kc_lookup lk = kc_locator_find(doc->root, &w->resource_path);
			struct kc_resource res = {
				.file = doc->file, .doc_index = doc->index,
				.pos = kc_lookup_pos(&lk), .kind = w->kind, .name = w->name,
				.namespace = w->namespace,
			};
			r->rep.impl->resource(&r->rep, &res);
		}
	}
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
		kc_report_find(formats[(pick >> 1) % (sizeof(formats) / sizeof(*formats))]);
	if (impl == NULL) {
		impl = &kc_report_text;
	}
	bool color = pick & 1;
	struct run r = { .arena = kc_arena_create() };
	r.rep = (struct kc_reporter){
		.impl = impl, .out = out, .color = color, .version = "fuzz",
		.policy = &policy, .rules = rule_ids, .rule_count = rule_count,
	};
	struct kc_diag diag;
	kc_diag_init(&diag, err, color);
	diag.listener = on_diag;
	diag.listener_ctx = &r;
	r.rep.impl->begin(&r.rep);
	r.rep.impl->file_begin(&r.rep, "fuzz.yaml");
	bool ok = kc_loader_load_buffer("fuzz.yaml", (const char *)data, size,
		&kc_limits_default, &diag, on_document, &r, &r.sum.load);
	r.rep.impl->file_end(&r.rep, "fuzz.yaml");
	r.rep.impl->end(&r.rep, &r.sum);
	/* Failure and diagnostics go together: an error is never silent. */
	assert(ok == (r.sum.load.input_errors == 0));
	assert(ok || diag.count[KC_DIAG_ERROR] > 0);
	fclose(out);
	fclose(err);
	free(out_text);
	free(err_text);
	kc_arena_destroy(r.arena);
	return 0;
}
