/* One document or buffer through the pipeline: load, check, suppress, and
 * the extras a caller asked for (fix edits, Pod Security verdicts). */
#include <stdlib.h>

#include "k8scheck/check.h"
#include "k8scheck/fix.h"
#include "k8scheck/pss.h"

void kc_checker_init(struct kc_checker *c, const struct kc_policy *p,
	struct kc_engine *e)
{
	*c = (struct kc_checker){ .policy = p, .engine = e, .limits = kc_limits_default };
}

struct kc_check_doc *kc_check_document(const struct kc_checker *c,
	const struct kc_loaded_doc *doc)
{
	struct kc_check_doc *res = kc_arena_alloc(doc->arena, sizeof(*res));
	res->doc = *doc;  /* the input kind reuses its own */
	doc = &res->doc;
	res->kind = kc_input_for(doc->file);
	kc_engine_check(c->engine, doc, &res->findings, &res->finding_count);
	kc_suppress(c->policy, doc, res->findings, res->finding_count, &res->ignores,
		&res->ignore_count);
	if (c->changes) {
		kc_fix_changes(doc, res->findings, res->finding_count, doc->arena);
	}
	if (c->verdicts) {
		res->violations = kc_arena_alloc(doc->arena,
			(doc->workload_count + 1) * sizeof(*res->violations));
		for (unsigned i = 0; i < doc->workload_count; i++) {
			res->violations[i] = kc_pss_evaluate(kc_engine_pss(c->engine),
				&doc->workloads[i], doc->arena);
		}
	}
	return res;
}

/* The loader's callback context: the checker and the caller's. */
struct pass {
	const struct kc_checker *c;
	kc_check_doc_fn fn;
	void *ctx;
};

static void on_document(void *ctx, const struct kc_loaded_doc *doc)
{
	struct pass *p = ctx;
	p->fn(p->ctx, kc_check_document(p->c, doc));
}

bool kc_check_buffer(const struct kc_checker *c, const char *name,
	const char *text, size_t len, struct kc_diag *diag,
	struct kc_load_stats *stats, kc_check_doc_fn fn, void *ctx)
{
	struct pass p = { .c = c, .fn = fn, .ctx = ctx };
	const struct kc_input_request req = {
		.name = name, .text = text, .len = len, .limits = &c->limits,
		.diag = diag, .stats = stats, .fn = on_document, .ctx = &p,
	};
	return kc_input_load(&req);
}

bool kc_check_file(const struct kc_checker *c, const char *path,
	const char *name, FILE *in, struct kc_diag *diag,
	struct kc_load_stats *stats, kc_check_doc_fn fn, void *ctx)
{
	char *text;
	size_t len;
	if (!kc_input_read(path, name, in, &c->limits, diag, stats, &text, &len)) {
		return false;
	}
	bool ok = kc_check_buffer(c, name, text, len, diag, stats, fn, ctx);
	free(text);
	return ok;
}
