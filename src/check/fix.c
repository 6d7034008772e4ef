/* Fixing one buffer: plan (with the fixer's safety net), apply, re-load and
 * re-check, and keep the result only if it parses and clears every finding
 * its edits address. */
#include <stdlib.h>
#include <string.h>

#include "k8scheck/check.h"
#include "k8scheck/fix.h"

struct keys {
	char **v;
	unsigned n;
};

static void keys_add(struct keys *k, const struct kc_finding *f)
{
	char **v = realloc(k->v, (k->n + 1) * sizeof(*k->v));
	if (v == NULL) {
		kc_arena_die_oom();
	}
	k->v = v;
	k->v[k->n++] = kc_fix_key(f);
}

static int key_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void keys_sort(struct keys *k)
{
	if (k->n > 1) {
		qsort(k->v, k->n, sizeof(*k->v), key_cmp);
	}
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
	const struct kc_check_fix_sink *sink;
	struct kc_fixer *fx;
	struct kc_check_fix *out;
};

/* First pass: plan the fixes; tell what needs a person. */
static void on_plan(void *ctx, const struct kc_check_doc *d)
{
	struct plan *p = ctx;
	kc_fixer_plan(p->fx, &d->doc, d->findings, d->finding_count);
	for (unsigned i = 0; i < d->finding_count; i++) {
		const struct kc_finding *f = d->findings[i];
		if (f->suppressed) {
			continue;
		}
		if (f->fix_op == KC_FIX_SET || f->fix_op == KC_FIX_REMOVE) {
			continue;
		}
		p->out->manual++;
		if (p->sink != NULL && p->sink->manual != NULL) {
			p->sink->manual(p->sink->ctx, f);
		}
	}
}

/* Second pass, on the fixed text: what is still found. */
static void on_recheck(void *ctx, const struct kc_check_doc *d)
{
	struct keys *k = ctx;
	for (unsigned i = 0; i < d->finding_count; i++) {
		if (!d->findings[i]->suppressed) {
			keys_add(k, d->findings[i]);
		}
	}
}

/* How many of the fixer's keys (sorted) are in left (sorted): one merge. */
static unsigned still_found(const struct kc_fixer *fx, const struct keys *left)
{
	unsigned still = 0;
	for (unsigned i = 0, j = 0; i < kc_fixer_count(fx) && j < left->n;) {
		int c = strcmp(kc_fixer_key(fx, i), left->v[j]);
		if (c == 0) {
			still++;
			i++;
		} else if (c < 0) {
			i++;
		} else {
			j++;
		}
	}
	return still;
}

/* Apply the planned edits and keep them only if they re-parse and clear
 * their findings. */
static void apply(const struct kc_checker *c, const char *name, const char *text,
	size_t len, struct kc_diag *diag, struct kc_fixer *fx, struct kc_check_fix *out)
{
	char *fixed = NULL;
	size_t fixed_len = 0;
	kc_fixer_apply(fx, &fixed, &fixed_len);
	/* Without the checker's extras: only the findings matter here. */
	struct kc_checker plain = *c;
	plain.changes = false;
	plain.verdicts = false;
	struct kc_load_stats st = { 0 };
	struct kc_diag quiet;
	kc_diag_init(&quiet, NULL, false);
	struct keys left = { 0 };
	bool parsed = kc_check_buffer(&plain, name, fixed, fixed_len, &quiet, &st,
		on_recheck, &left) && st.input_errors == 0;
	keys_sort(&left);
	unsigned still = still_found(fx, &left);
	keys_clear(&left);
	if (!parsed || still > 0) {
		kc_diag_at(diag, KC_DIAG_ERROR, name, 0, 0, "the fixes would %s; "
			"the file was left unchanged", !parsed ? "not parse" :
			"not clear every finding they address");
		out->failed = true;
		out->failed_count = kc_fixer_count(fx);
		free(fixed);
		return;
	}
	out->fixed = kc_fixer_count(fx);
	out->changed = fixed_len != len || memcmp(fixed, text, len) != 0;
	if (out->changed) {
		out->text = fixed;
		out->len = fixed_len;
	} else {
		free(fixed);
	}
}

bool kc_check_fix_buffer(const struct kc_checker *c, const char *name,
	const char *text, size_t len, struct kc_diag *diag,
	struct kc_load_stats *stats, const struct kc_check_fix_sink *sink,
	struct kc_check_fix *out)
{
	*out = (struct kc_check_fix){ 0 };
	struct kc_checker plain = *c;
	plain.changes = false;
	plain.verdicts = false;
	struct plan p = { .sink = sink, .out = out };
	p.fx = kc_fixer_create(text, len);
	kc_fixer_validate(p.fx, &c->limits);
	unsigned errors = stats->input_errors;
	kc_check_buffer(&plain, name, text, len, diag, stats, on_plan, &p);
	for (unsigned i = 0; kc_fixer_refused(p.fx, i) != NULL; i++) {
		if (sink != NULL && sink->refused != NULL) {
			sink->refused(sink->ctx, kc_fixer_refused(p.fx, i));
		}
		out->refused++;
	}
	out->broken = kc_fixer_broken(p.fx);
	bool loaded = stats->input_errors == errors;
	if (kc_fixer_count(p.fx) > 0 && loaded) {
		apply(c, name, text, len, diag, p.fx, out);
	}
	kc_fixer_destroy(p.fx);
	return loaded;
}

void kc_check_fix_finish(struct kc_check_fix *fx)
{
	if (fx == NULL) {
		return;
	}
	free(fx->text);
	*fx = (struct kc_check_fix){ 0 };
}
