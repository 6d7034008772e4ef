/*
 * The fixer's safety net: each document's planned edits are loaded before
 * they are kept, and the findings whose edits break it are found by
 * halving the set and refused.
 */
#include <stdio.h>

#include "fix_impl.h"

static void ignore_doc(void *ctx, const struct kc_loaded_doc *doc)
{
}

/* True if doc's text, with the edits from fx->edits[first] on applied,
 * loads without an input error. The document is loaded alone: an edit
 * that breaks its own document costs that document's fixes, not the
 * file's. */
static bool doc_loads(const struct kc_fixer *fx, const struct kc_loaded_doc *doc,
	size_t first, bool edited)
{
	size_t s = doc->start_off, e = doc->end_off > fx->len ? fx->len : doc->end_off;
	for (size_t i = first; i < fx->nedits; i++) {
		s = fx->edits[i].off < s ? fx->edits[i].off : s;
		size_t end = fx->edits[i].off + fx->edits[i].del;
		e = end > e ? end : e;
	}
	struct buf b = { 0 };
	kc_fix_apply_edits(fx->text, s, e, fx->edits + first, edited ? fx->nedits - first : 0,
		&b);
	char *msg = NULL;
	size_t msg_len = 0;
	FILE *sink = open_memstream(&msg, &msg_len);
	if (sink == NULL) {
		kc_arena_die_oom();
	}
	struct kc_diag quiet;
	kc_diag_init(&quiet, sink, false);
	struct kc_load_stats st = { 0 };
	bool ok = kc_loader_load_buffer(doc->file, b.s, b.len, &fx->limits, &quiet,
		ignore_doc, NULL, &st) && st.input_errors == 0;
	fclose(sink);
	free(msg);
	free(b.s);
	return ok;
}

static void refuse_all(struct kc_fixer *fx, struct kc_finding **f, unsigned n,
	const char *why)
{
	for (unsigned i = 0; i < n; i++) {
		kc_fix_refuse(fx, f[i], why);
	}
}

/* The findings of f[0..n) whose edits keep the document loading, added to
 * good[]: a set that loads is kept whole, one that does not is halved,
 * down to single findings, which are refused. Each load costs one of
 * *budget; past it, what is left is refused. */
static void keep_loading(struct kc_fixer *fx, const struct kc_loaded_doc *doc,
	struct kc_finding **f, unsigned n, struct kc_finding **good,
	unsigned *ngood, unsigned *budget)
{
	static const char why[] =
		"the fix would not parse in this document's layout; edit it by hand";
	size_t first = fx->nedits;
	struct kc_finding **own;
	unsigned nown = kc_fix_plan_findings(fx, doc, f, n, &own);
	bool loads = false;
	if (nown > 0 && *budget > 0) {
		(*budget)--;
		loads = doc_loads(fx, doc, first, true);
	}
	kc_fix_drop_edits(fx, first);
	if (loads) {
		memcpy(good + *ngood, own, nown * sizeof(*own));
		*ngood += nown;
	} else if (nown == 1 || (nown > 0 && *budget == 0)) {
		refuse_all(fx, own, nown, why);
		fx->broken += nown;
	} else if (nown > 1) {
		unsigned half = nown / 2;
		keep_loading(fx, doc, own, half, good, ngood, budget);
		keep_loading(fx, doc, own + half, nown - half, good, ngood, budget);
	}
	free(own);
}

static int key_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void plan_doc(struct kc_fixer *fx, const struct kc_loaded_doc *doc,
	struct kc_finding *const *f, unsigned n)
{
	size_t first = fx->nedits;
	struct kc_finding **own;
	unsigned nown = kc_fix_plan_findings(fx, doc, f, n, &own);
	if (nown > 0 && fx->validate && !doc_loads(fx, doc, first, true) &&
		doc_loads(fx, doc, first, false)) {
		/* Some edit breaks the document (the planner missed a layout):
		 * find which, refuse it, and keep the rest. */
		kc_fix_drop_edits(fx, first);
		struct kc_finding **good = calloc(nown + 1, sizeof(*good));
		if (good == NULL) {
			kc_arena_die_oom();
		}
		unsigned ngood = 0, budget = 32;
		keep_loading(fx, doc, own, nown, good, &ngood, &budget);
		free(own);
		nown = kc_fix_plan_findings(fx, doc, good, ngood, &own);
		free(good);
		if (nown > 0 && !doc_loads(fx, doc, first, true)) {
			kc_fix_drop_edits(fx, first);
			refuse_all(fx, own, nown, "the fixes of this document would "
				"not parse together; edit them by hand");
			fx->broken += nown;
			nown = 0;
		}
	}
	for (unsigned j = 0; j < nown; j++) {
		fx->keys = realloc(fx->keys, (fx->nkeys + 1) * sizeof(*fx->keys));
		if (fx->keys == NULL) {
			kc_arena_die_oom();
		}
		fx->keys[fx->nkeys++] = kc_fix_key(own[j]);
	}
	if (nown > 0 && fx->nkeys > 1) {
		qsort(fx->keys, fx->nkeys, sizeof(*fx->keys), key_cmp);
	}
	free(own);
}

void kc_fixer_plan(struct kc_fixer *fx, const struct kc_loaded_doc *doc,
	struct kc_finding *const *f, unsigned n)
{
	plan_doc(fx, doc, f, n);
}
