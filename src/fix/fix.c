/*
 * Minimal, style-preserving text edits for `k8scheck fix`: the fixer and
 * its text edits (planning is in plan.c, writing in render.c, the safety
 * net in net.c).
 *
 * A fix is an operation on a path (set a field, add items to a list,
 * remove an entry). Missing fields are created under their nearest
 * existing mapping; all insertions into one mapping are merged into one
 * tree first, so three fixes that each need `securityContext:` create it
 * once. Each mapping keeps its own style: block (with its indentation),
 * flow, or JSON (double-quoted keys and strings).
 */
#include <stdio.h>

#include "fix_impl.h"

/* A fixer for text whose edits all fall in [from, to): only that part is
 * read for its line breaks. */
static struct kc_fixer *fixer_create(const char *text, size_t len, size_t from,
	size_t to)
{
	struct kc_fixer *fx = calloc(1, sizeof(*fx));
	if (fx == NULL) {
		kc_arena_die_oom();
	}
	fx->text = text;
	fx->len = len;
	const char *lf = memchr(text + from, '\n', to - from);
	fx->nl = (lf != NULL && lf > text && lf[-1] == '\r') ? "\r\n" : "\n";
	/* YAML also breaks lines at a lone CR, NEL, LS and PS; edits are
	 * placed by LF, so such text is left alone. */
	const unsigned char *u = (const unsigned char *)text;
	for (size_t i = from; i < to && fx->unsupported == NULL; i++) {
		if ((u[i] == '\r' && (i + 1 == len || u[i + 1] != '\n')) ||
			(u[i] == 0xC2 && i + 1 < len && u[i + 1] == 0x85) ||
			(u[i] == 0xE2 && i + 2 < len && u[i + 1] == 0x80 &&
				(u[i + 2] == 0xA8 || u[i + 2] == 0xA9))) {
			fx->unsupported = "the file breaks lines with a lone CR or a "
				"Unicode line separator; only LF and CRLF files are edited";
		} else if (i > 0 && u[i] == 0xEF && i + 2 < len && u[i + 1] == 0xBB &&
			u[i + 2] == 0xBF) {
			/* libyaml skips it, so it takes no column, while edits are
			 * indented by bytes. */
			fx->unsupported = "the file has a byte order mark (U+FEFF) after "
				"its start; remove it, then fix";
		}
	}
	return fx;
}

struct kc_fixer *kc_fixer_create(const char *text, size_t len)
{
	return fixer_create(text, len, 0, len);
}

void kc_fixer_validate(struct kc_fixer *fx, const struct kc_limits *limits)
{
	fx->validate = true;
	fx->limits = limits != NULL ? *limits : kc_limits_default;
}

/* Forget the plan, keep the text's facts: the next finding starts afresh. */
static void fixer_clear(struct kc_fixer *fx)
{
	for (size_t i = 0; i < fx->nedits; i++) {
		free(fx->edits[i].text);
	}
	for (unsigned i = 0; i < fx->nkeys; i++) {
		free(fx->keys[i]);
	}
	for (unsigned i = 0; i < fx->nrefused; i++) {
		free(fx->refused[i]);
	}
	fx->nedits = 0;
	fx->nkeys = 0;
	fx->nrefused = 0;
}

void kc_fixer_destroy(struct kc_fixer *fx)
{
	if (fx == NULL) {
		return;
	}
	fixer_clear(fx);
	free(fx->edits);
	free(fx->keys);
	free(fx->refused);
	free(fx);
}

void kc_fixer_unsafe(struct kc_fixer *fx, bool apply)
{
	fx->apply_unsafe = apply;
}

unsigned kc_fixer_unsafe_count(const struct kc_fixer *fx)
{
	return fx->unsafe;
}

unsigned kc_fixer_count(const struct kc_fixer *fx)
{
	return fx->nkeys;
}

/* Stable merge sort of keys[0..n), counting comparisons in *work. */
static void sort_keys(char **keys, char **tmp, unsigned n, unsigned long *work)
{
	if (n < 2) {
		return;
	}
	unsigned h = n / 2, i = 0, j = h, k = 0;
	sort_keys(keys, tmp, h, work);
	sort_keys(keys + h, tmp, n - h, work);
	while (i < h && j < n) {
		(*work)++;
		tmp[k++] = strcmp(keys[j], keys[i]) < 0 ? keys[j++] : keys[i++];
	}
	while (i < h) {
		tmp[k++] = keys[i++];
	}
	while (j < n) {
		tmp[k++] = keys[j++];
	}
	memcpy(keys, tmp, n * sizeof(*keys));
}

const char *kc_fixer_key(const struct kc_fixer *cfx, unsigned i)
{
	/* Sorted once, when first asked for: sorting after every document
	 * made fixing a stream of thousands of documents quadratic. The
	 * fixer is never const itself (kc_fixer_create), only this view. */
	struct kc_fixer *fx = (struct kc_fixer *)cfx;
	if (!fx->keys_sorted && fx->nkeys > 1) {
		char **tmp = malloc(fx->nkeys * sizeof(*tmp));
		if (tmp == NULL) {
			kc_arena_die_oom();
		}
		sort_keys(fx->keys, tmp, fx->nkeys, &fx->work);
		free(tmp);
	}
	fx->keys_sorted = true;
	return i < fx->nkeys ? fx->keys[i] : NULL;
}

unsigned long kc_fixer_work(const struct kc_fixer *fx)
{
	return fx->work;
}

void kc_fix_add_key(struct kc_fixer *fx, const struct kc_finding *f)
{
	if (fx->nkeys == fx->keys_cap) {
		fx->keys_cap = fx->keys_cap ? fx->keys_cap * 2 : 16;
		fx->keys = realloc(fx->keys, fx->keys_cap * sizeof(*fx->keys));
		if (fx->keys == NULL) {
			kc_arena_die_oom();
		}
	}
	fx->keys[fx->nkeys++] = kc_fix_key(f);
	fx->keys_sorted = false;
}

unsigned kc_fixer_broken(const struct kc_fixer *fx)
{
	return fx->broken;
}

const char *kc_fixer_refused(const struct kc_fixer *fx, unsigned i)
{
	return i < fx->nrefused ? fx->refused[i] : NULL;
}

char *kc_fix_key(const struct kc_finding *f)
{
	struct buf b = { 0 };
	char doc[24];
	snprintf(doc, sizeof(doc), "%u|", f->doc_index);
	puts_(&b, doc);
	puts_(&b, f->rule);
	puts_(&b, "|");
	puts_(&b, f->path_str);
	puts_(&b, "|");
	puts_(&b, f->container ? f->container : "");
	return b.s;
}

void kc_fix_add_edit(struct kc_fixer *fx, size_t off, size_t del, char *text)
{
	kc_fix_add_edit_at(fx, off, del, text, 0);
}

void kc_fix_add_edit_at(struct kc_fixer *fx, size_t off, size_t del, char *text,
	size_t depth)
{
	if (fx->nedits == fx->cap) {
		fx->cap = fx->cap ? fx->cap * 2 : 16;
		fx->edits = realloc(fx->edits, fx->cap * sizeof(*fx->edits));
		if (fx->edits == NULL) {
			kc_arena_die_oom();
		}
	}
	fx->edits[fx->nedits++] = (struct edit){ off, del, text, depth };
}

/* Forget the edits from first on. */
void kc_fix_drop_edits(struct kc_fixer *fx, size_t first)
{
	for (size_t i = first; i < fx->nedits; i++) {
		free(fx->edits[i].text);
	}
	fx->nedits = first;
}

void kc_fix_refuse(struct kc_fixer *fx, const struct kc_finding *f, const char *why)
{
	struct buf b = { 0 };
	char line[32];
	snprintf(line, sizeof(line), ":%u:%u: ", f->pos.line, f->pos.col);
	puts_(&b, f->file);
	puts_(&b, line);
	puts_(&b, "not fixed [");
	puts_(&b, f->rule);
	puts_(&b, "]: ");
	puts_(&b, why);
	if (fx->nrefused == fx->refused_cap) {
		fx->refused_cap = fx->refused_cap ? fx->refused_cap * 2 : 16;
		fx->refused = realloc(fx->refused, fx->refused_cap * sizeof(*fx->refused));
		if (fx->refused == NULL) {
			kc_arena_die_oom();
		}
	}
	fx->refused[fx->nrefused++] = b.s;
}

static int edit_cmp(const void *a, const void *b)
{
	const struct edit *x = a, *y = b;
	if (x->off != y->off) {
		return x->off < y->off ? -1 : 1;
	}
	/* Where a nested mapping ends, its ancestors end too: its new keys
	 * must come before theirs, or they would change parents. */
	if (x->depth != y->depth) {
		return x->depth > y->depth ? -1 : 1;
	}
	return 0;
}

/* Append text[s..e) to b with edits e[0..n) applied (those inside it). */
void kc_fix_apply_edits(const char *text, size_t s, size_t end,
	const struct edit *edits, size_t n, struct buf *b)
{
	struct edit *e = malloc((n + 1) * sizeof(*e));
	if (e == NULL) {
		kc_arena_die_oom();
	}
	if (n > 0) {
		memcpy(e, edits, n * sizeof(*e));   /* edits is NULL when n is 0 */
	}
	/* Stable by offset: insertions at one spot keep their planned order. */
	for (size_t i = 1; i < n; i++) {
		struct edit x = e[i];
		size_t j = i;
		while (j > 0 && edit_cmp(&e[j - 1], &x) > 0) {
			e[j] = e[j - 1];
			j--;
		}
		e[j] = x;
	}
	size_t pos = s;
	for (size_t i = 0; i < n; i++) {
		if (e[i].off < pos || e[i].off + e[i].del > end) {
			continue;  /* overlaps an earlier edit: skip it */
		}
		put(b, text + pos, e[i].off - pos);
		puts_(b, e[i].text);
		pos = e[i].off + e[i].del;
	}
	if (pos < end) {
		put(b, text + pos, end - pos);
	}
	free(e);
	if (b->s == NULL) {
		put(b, "", 0);
	}
}

void kc_fixer_apply(const struct kc_fixer *fx, char **out, size_t *out_len)
{
	struct buf b = { 0 };
	kc_fix_apply_edits(fx->text, 0, fx->len, fx->edits, fx->nedits, &b);
	*out = b.s;
	*out_len = b.len;
}


void kc_fix_changes(const struct kc_loaded_doc *doc, struct kc_finding **f,
	unsigned n, struct kc_arena *a)
{
	/* One fixer for the document (creating it reads the whole text), one
	 * plan per finding; positions found from the nearest node, not by
	 * counting lines from the top, so a document with thousands of
	 * findings costs no more per finding than a small one. */
	struct kc_fixer *fx = NULL;
	for (unsigned k = 0; k < n; k++) {
		f[k]->changes = NULL;
		f[k]->change_count = 0;
		if (f[k]->suppressed ||
			(f[k]->fix_op != KC_FIX_SET && f[k]->fix_op != KC_FIX_REMOVE)) {
			continue;
		}
		if (fx == NULL) {
			/* This document's bytes only: a stream's other documents
			 * are not this finding's business (and reading them for
			 * each document would make a stream quadratic). */
			size_t to = doc->end_off > doc->start_off &&
				doc->end_off <= doc->text_len ? doc->end_off : doc->text_len;
			size_t from = doc->start_off < to ? doc->start_off : 0;
			fx = fixer_create(doc->text, doc->text_len, from, to);
			/* Suggestions for people: unsafe ones too, marked as
			 * such on the finding (fix_unsafe). */
			fx->apply_unsafe = true;
		} else {
			fixer_clear(fx);
		}
		kc_fixer_plan(fx, doc, &f[k], 1);
		if (fx->nkeys == 0 || fx->nedits == 0) {
			continue;
		}
		struct kc_fix_change *out = kc_arena_alloc(a, fx->nedits * sizeof(*out));
		for (size_t i = 0; i < fx->nedits; i++) {
			const struct edit *e = &fx->edits[i];
			out[i] = (struct kc_fix_change){
				.start = kc_locator_pos_near(doc->root, doc->text, doc->text_len,
					e->off),
				.end = kc_locator_pos_near(doc->root, doc->text, doc->text_len,
					e->off + e->del),
				.text = kc_arena_strdup(a, e->text),
			};
		}
		f[k]->changes = out;
		f[k]->change_count = (unsigned)fx->nedits;
	}
	kc_fixer_destroy(fx);
}
