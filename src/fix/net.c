/*
 * The fixer's safety net: each document's planned edits are loaded before
 * they are kept, and compared with the document as a tree (verify.c); the
 * findings whose edits break it or change anything they are not meant to
 * are found by halving the set and refused.
 */
#include <stdio.h>

#include "fix_impl.h"

static void ignore_doc(void *ctx, const struct kc_loaded_doc *doc)
{
}

/* The operations of f[0..n)'s fixes, for kc_fix_verify(); caller frees. */
static struct kc_fix_intent *intents(struct kc_finding *const *f, unsigned n,
	size_t *count)
{
	size_t k = 0;
	for (unsigned i = 0; i < n; i++) {
		k += 1 + f[i]->more_count;
	}
	struct kc_fix_intent *ops = calloc(k + 1, sizeof(*ops));
	if (ops == NULL) {
		kc_arena_die_oom();
	}
	k = 0;
	for (unsigned i = 0; i < n; i++) {
		ops[k++] = (struct kc_fix_intent){ f[i]->fix_op, &f[i]->fix_path,
			f[i]->fix_value };
		for (unsigned j = 0; j < f[i]->more_count; j++) {
			const struct kc_fix_more *m = &f[i]->more[j];
			ops[k++] = (struct kc_fix_intent){ m->op, &m->path, m->value };
		}
	}
	*count = k;
	return ops;
}

enum net_result {
	NET_OK,
	NET_NO_LOAD,             /* an input error */
	NET_CHANGES_OTHER,       /* a value outside the fixes' paths changed */
};

/* Whether doc's text, with the edits from fx->edits[first] on applied,
 * loads without an input error and, compared with doc as a tree, differs
 * only where the fixes of own[0..nown) meant to change it (the first other
 * difference goes to where). The document is loaded alone: an edit that
 * breaks its own document costs that document's fixes, not the file's. */
static enum net_result doc_check(const struct kc_fixer *fx,
	const struct kc_loaded_doc *doc, size_t first, bool edited,
	struct kc_finding *const *own, unsigned nown, char *where, size_t where_size)
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
	enum net_result r = ok ? NET_OK : NET_NO_LOAD;
	if (ok && edited) {
		/* The same bytes as a tree: the loader took them, so the
		 * locator yields this one document. */
		struct kc_arena *a = kc_arena_create();
		struct kc_locator *l = kc_locator_create(b.s, b.len, &fx->limits);
		struct kc_document nd;
		struct kc_loc_error err;
		size_t nops;
		struct kc_fix_intent *ops = intents(own, nown, &nops);
		if (kc_locator_next(l, a, &nd, &err) != KC_LOCATOR_DOCUMENT ||
			!kc_fix_verify(doc->root, nd.root, ops, nops, where, where_size)) {
			r = NET_CHANGES_OTHER;
		}
		free(ops);
		kc_locator_destroy(l);
		kc_arena_destroy(a);
	}
	free(b.s);
	return r;
}

static void refuse_all(struct kc_fixer *fx, struct kc_finding **f, unsigned n,
	const char *why)
{
	for (unsigned i = 0; i < n; i++) {
		kc_fix_refuse(fx, f[i], why);
	}
}

/* The findings of f[0..n) whose edits keep the document loading and
 * change nothing else, added to good[]: a set that passes is kept whole,
 * one that does not is halved, down to single findings, which are refused.
 * Each check costs one of *budget; past it, what is left is refused. */
static void keep_loading(struct kc_fixer *fx, const struct kc_loaded_doc *doc,
	struct kc_finding **f, unsigned n, struct kc_finding **good,
	unsigned *ngood, unsigned *budget)
{
	size_t first = fx->nedits;
	struct kc_finding **own;
	unsigned nown = kc_fix_plan_findings(fx, doc, f, n, &own);
	enum net_result r = NET_NO_LOAD;
	char where[256] = "";
	if (nown > 0 && *budget > 0) {
		(*budget)--;
		r = doc_check(fx, doc, first, true, own, nown, where, sizeof(where));
	}
	kc_fix_drop_edits(fx, first);
	if (r == NET_OK) {
		memcpy(good + *ngood, own, nown * sizeof(*own));
		*ngood += nown;
	} else if (nown == 1 && r == NET_CHANGES_OTHER) {
		char why[400];
		snprintf(why, sizeof(why), "the fix would also change '%s', which "
			"it is not meant to touch; edit it by hand", where);
		refuse_all(fx, own, nown, why);
		fx->broken += nown;
	} else if (nown == 1 || (nown > 0 && *budget == 0)) {
		refuse_all(fx, own, nown, "the fix would not parse in this "
			"document's layout; edit it by hand");
		fx->broken += nown;
	} else if (nown > 1) {
		unsigned half = nown / 2;
		keep_loading(fx, doc, own, half, good, ngood, budget);
		keep_loading(fx, doc, own + half, nown - half, good, ngood, budget);
	}
	free(own);
}

static void plan_doc(struct kc_fixer *fx, const struct kc_loaded_doc *doc,
	struct kc_finding *const *f, unsigned n)
{
	size_t first = fx->nedits;
	struct kc_finding **own;
	unsigned nown = kc_fix_plan_findings(fx, doc, f, n, &own);
	if (nown > 0 && fx->validate &&
		doc_check(fx, doc, first, true, own, nown, NULL, 0) != NET_OK &&
		doc_check(fx, doc, first, false, NULL, 0, NULL, 0) == NET_OK) {
		/* Some edit breaks the document (the planner missed a layout):
		 * find which, refuse it, and keep the rest. */
		kc_fix_drop_edits(fx, first);
		struct kc_finding **good = calloc(nown + 1, sizeof(*good));
		if (good == NULL) {
			kc_arena_die_oom();
		}
		/* Enough checks to find a few bad edits among all of them (each
		 * costs a load of the document), bounded so that a huge document
		 * full of bad edits stays linear. */
		unsigned ngood = 0, budget = nown * 2 < 32 ? 32 : nown * 2 > 256 ? 256 : nown * 2;
		keep_loading(fx, doc, own, nown, good, &ngood, &budget);
		free(own);
		nown = kc_fix_plan_findings(fx, doc, good, ngood, &own);
		free(good);
		if (nown > 0 && doc_check(fx, doc, first, true, own, nown, NULL, 0) !=
			NET_OK) {
			kc_fix_drop_edits(fx, first);
			refuse_all(fx, own, nown, "the fixes of this document would "
				"not parse together, or would change other values together; "
				"edit them by hand");
			fx->broken += nown;
			nown = 0;
		}
	}
	for (unsigned j = 0; j < nown; j++) {
		kc_fix_add_key(fx, own[j]);
	}
	free(own);
}

void kc_fixer_plan(struct kc_fixer *fx, const struct kc_loaded_doc *doc,
	struct kc_finding *const *f, unsigned n)
{
	plan_doc(fx, doc, f, n);
}
