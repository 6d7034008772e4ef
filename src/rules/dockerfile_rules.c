/*
 * The Dockerfile rule table and its runner: run the enabled rules over a
 * parsed Dockerfile, apply the ignore comments, sort, fingerprint; and apply
 * the fixes' text edits. This plays the part src/policy/engine.c plays for
 * manifests until the generated registry carries `input: dockerfile` rules.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dockerfile_internal.h"


/* The catalog entry of a Dockerfile rule (generated, sorted by id). */
static const struct kc_rule_meta *meta(const char *id)
{
	size_t lo = 0, hi = kc_rule_catalog_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(kc_rule_catalog[mid].id, id);
		if (c == 0) {
			return &kc_rule_catalog[mid];
		}
		if (c < 0) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return NULL;
}

const char *kc_dockerfile_rule_alias(size_t i)
{
	static const char prefix[] = "hadolint: ";
	const struct kc_rule_meta *m = i < kc_dockerfile_rule_count ?
		meta(kc_dockerfile_rules[i].id) : NULL;
	for (unsigned r = 0; m != NULL && r < m->references_count; r++) {
		if (strncmp(m->references[r], prefix, sizeof(prefix) - 1) == 0) {
			return m->references[r] + sizeof(prefix) - 1;
		}
	}
	return NULL;
}

int kc_dockerfile_rule_index(const char *id)
{
	for (size_t i = 0; i < kc_dockerfile_rule_count; i++) {
		const char *alias = kc_dockerfile_rule_alias(i);
		if (strcmp(kc_dockerfile_rules[i].id, id) == 0 ||
			(alias != NULL && strcasecmp(alias, id) == 0)) {
			return (int)i;
		}
	}
	return -1;
}

/*
 * The context a Dockerfile rule reports through. Rules see it as the
 * opaque struct kc_check of rule.h (the registry's function type); only
 * this file creates one, so the helpers below convert it back.
 */
struct kc_df_check {
	const struct kc_dockerfile *df;
	const char *file;
	struct kc_arena *a;
	const char *rule;
	enum kc_severity severity;
	struct kc_finding **list;
	unsigned count, cap;
	const struct df_shell **shells;  /* per top-level instruction, lazily */
	const struct df_shell **sub_shells;
};

static struct kc_df_check *ctx(struct kc_check *ck)
{
	return (struct kc_df_check *)(void *)ck;
}

struct kc_arena *df_arena(struct kc_check *ck)
{
	return ctx(ck)->a;
}

struct kc_finding *df_report(struct kc_check *check, const struct kc_df_instr *in,
	const struct kc_df_text *at, const char *fmt, ...)
{
	struct kc_df_check *ck = ctx(check);
	struct kc_finding *f = kc_arena_alloc(ck->a, sizeof(*f));
	va_list ap;
	va_start(ap, fmt);
	f->message = kc_arena_vprintf(ck->a, fmt, ap);
	va_end(ap);
	f->rule = ck->rule;
	f->severity = ck->severity;
	f->file = ck->file;
	f->path_str = in->path;
	f->exact = true;
	f->pos = at != NULL ? at->pos : in->pos;
	f->end = at != NULL ? at->end : in->keyword.end;
	f->kind = "Dockerfile";
	if (in->stage >= 0) {
		f->name = ck->df->stages[in->stage].label;
	}
	if (ck->count == ck->cap) {
		ck->cap = ck->cap ? 2 * ck->cap : 16;
		struct kc_finding **g = kc_arena_alloc(ck->a, ck->cap * sizeof(*g));
		if (ck->count > 0) {
			memcpy(g, ck->list, ck->count * sizeof(*g));
		}
		ck->list = g;
	}
	f->seq = ck->count;
	ck->list[ck->count++] = f;
	return f;
}

void df_edit(struct kc_check *check, struct kc_finding *f, size_t off, size_t end_off,
	const char *text)
{
	struct kc_df_check *ck = ctx(check);
	struct kc_fix_change *c = kc_arena_alloc(ck->a, (f->change_count + 1) * sizeof(*c));
	if (f->change_count > 0) {
		memcpy(c, f->changes, f->change_count * sizeof(*c));
	}
	c[f->change_count] = (struct kc_fix_change){
		.start = kc_dockerfile_pos(ck->df, off),
		.end = kc_dockerfile_pos(ck->df, end_off),
		.text = kc_arena_strdup(ck->a, text),
	};
	f->changes = c;
	f->change_count++;
}

void df_note(struct kc_check *ck, struct kc_finding *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	f->note = kc_arena_vprintf(ctx(ck)->a, fmt, ap);
	va_end(ap);
}

/* The script of a RUN: heredoc bodies are the script when the command is
 * `RUN <<EOF` or names a shell reading one (`RUN bash <<EOF`). */
static const char *run_script(struct kc_arena *a, const struct kc_df_instr *in)
{
	if (in->json) {
		return NULL;
	}
	if (in->heredoc_count == 0) {
		return in->rest.s;
	}
	size_t n = strlen(in->rest.s) + 2;
	for (unsigned h = 0; h < in->heredoc_count; h++) {
		n += in->heredocs[h].body.len + 1;
	}
	char *s = kc_arena_alloc(a, n);
	strcpy(s, in->rest.s);
	strcat(s, "\n");
	for (unsigned h = 0; h < in->heredoc_count; h++) {
		strcat(s, in->heredocs[h].body.s);
		strcat(s, "\n");
	}
	return s;
}

const struct df_shell *df_run_shell(struct kc_check *check, const struct kc_df_instr *in)
{
	struct kc_df_check *ck = ctx(check);
	const char *script = run_script(ck->a, in);
	if (script == NULL) {
		return NULL;
	}
	/* Cache by position in the file: top-level or an ONBUILD trigger. */
	const struct kc_df_instr *base = ck->df->instrs;
	const struct df_shell **slot = NULL;
	if (in >= base && in < base + ck->df->count) {
		slot = &ck->shells[in - base];
	} else {
		for (unsigned i = 0; i < ck->df->count; i++) {
			if (base[i].sub == in) {
				slot = &ck->sub_shells[i];
			}
		}
	}
	if (slot != NULL && *slot != NULL) {
		return *slot;
	}
	struct df_shell *sh = kc_arena_alloc(ck->a, sizeof(*sh));
	df_shell_parse(ck->a, script, sh);
	if (slot != NULL) {
		*slot = sh;
	}
	return sh;
}

/* ---- suppression ---- */

static bool id_matches(const char *list, size_t n, const char *id, const char *alias)
{
	size_t i = 0;
	while (i < n) {
		while (i < n && (list[i] == ',' || list[i] == ' ' || list[i] == '\t')) {
			i++;
		}
		size_t s = i;
		while (i < n && list[i] != ',' && list[i] != ' ' && list[i] != '\t') {
			i++;
		}
		size_t l = i - s;
		if (l == 0) {
			continue;
		}
		if ((strlen(id) == l && memcmp(list + s, id, l) == 0) ||
			(alias != NULL && strlen(alias) == l && strncasecmp(list + s, alias, l) == 0)) {
			return true;
		}
	}
	return false;
}

/* Does comment c ignore rule r? Sets *reason for k8scheck's form. */
static bool ignores(const struct kc_df_comment *c, const char *id, const char *alias,
	struct kc_arena *a, const char **reason)
{
	const char *t = c->text;
	static const char k8s[] = "k8scheck:ignore";
	static const char hado[] = "hadolint ignore=";
	if (strncmp(t, k8s, sizeof(k8s) - 1) == 0 && (t[sizeof(k8s) - 1] == ' ' ||
		t[sizeof(k8s) - 1] == '\t')) {
		const char *ids = t + sizeof(k8s) - 1;
		const char *dash = strstr(ids, " --");
		size_t n = dash != NULL ? (size_t)(dash - ids) : strlen(ids);
		if (!id_matches(ids, n, id, alias)) {
			return false;
		}
		*reason = NULL;
		if (dash != NULL) {
			const char *s = dash + 3;
			while (*s == ' ') {
				s++;
			}
			*reason = *s ? kc_arena_strdup(a, s) : NULL;
		}
		return true;
	}
	if (strncmp(t, hado, sizeof(hado) - 1) == 0) {
		const char *ids = t + sizeof(hado) - 1;
		if (id_matches(ids, strlen(ids), id, alias)) {
			*reason = NULL;
			return true;
		}
	}
	return false;
}

/* Apply the ignore comments directly above each finding's instruction. */
static void suppress(const struct kc_dockerfile *df, struct kc_finding **f, unsigned n,
	struct kc_arena *a)
{
	for (unsigned i = 0; i < n; i++) {
		const char *alias = kc_dockerfile_rule_alias(
			(size_t)kc_dockerfile_rule_index(f[i]->rule));
		/* The instruction's first line: the finding may sit on a later
		 * line of a continued instruction. Instructions are in file order:
		 * the last one that starts on or before the finding's line. */
		unsigned line = f[i]->pos.line;
		unsigned lo = 0, hi = df->count;
		while (lo < hi) {
			unsigned mid = lo + (hi - lo) / 2;
			if (df->instrs[mid].pos.line <= f[i]->pos.line) {
				lo = mid + 1;
			} else {
				hi = mid;
			}
		}
		if (lo > 0 && df->instrs[lo - 1].end.line >= f[i]->pos.line) {
			line = df->instrs[lo - 1].pos.line;
		}
		/* The block of comment lines that ends on the line above: from the
		 * last comment before the instruction, upwards. */
		unsigned want = line - 1;
		lo = 0;
		hi = df->comment_count;
		while (lo < hi) {
			unsigned mid = lo + (hi - lo) / 2;
			if (df->comments[mid].pos.line <= want) {
				lo = mid + 1;
			} else {
				hi = mid;
			}
		}
		for (unsigned c = lo; c-- > 0 && want > 0;) {
			const struct kc_df_comment *cm = &df->comments[c];
			if (cm->pos.line > want) {
				continue;
			}
			if (cm->pos.line < want) {
				break;
			}
			const char *reason;
			if (ignores(cm, f[i]->rule, alias, a, &reason)) {
				f[i]->suppressed = true;
				f[i]->suppressed_by = "comment";
				f[i]->suppress_reason = reason;
				break;
			}
			want--;
		}
	}
}

/* ---- running ---- */


void kc_dockerfile_check(const struct kc_dockerfile *df, const char *file,
	const struct kc_df_options *opt, struct kc_arena *a,
	struct kc_finding ***out, unsigned *count)
{
	struct kc_df_check ck = { .df = df, .file = file, .a = a };
	ck.shells = kc_arena_alloc(a, (df->count + 1) * sizeof(*ck.shells));
	ck.sub_shells = kc_arena_alloc(a, (df->count + 1) * sizeof(*ck.sub_shells));
	for (size_t i = 0; i < kc_dockerfile_rule_count; i++) {
		const struct kc_dockerfile_rule *r = &kc_dockerfile_rules[i];
		const struct kc_rule_meta *m = meta(r->id);
		bool on = m != NULL ? m->on_by_default : true;
		if (opt != NULL && opt->enabled != NULL && opt->enabled[i] != 0) {
			on = opt->enabled[i] > 0;
		}
		if (!on) {
			continue;
		}
		ck.rule = r->id;
		ck.severity = m != NULL ? m->severity : KC_SEVERITY_WARNING;
		if (opt != NULL && opt->severity != NULL && opt->severity[i] >= 0) {
			ck.severity = (enum kc_severity)opt->severity[i];
		}
		r->check(df, (struct kc_check *)(void *)&ck);
	}
	kc_finding_sort(ck.list, ck.count);
	suppress(df, ck.list, ck.count, a);
	for (unsigned i = 0; i < ck.count; i++) {
		kc_finding_fingerprint(a, ck.list[i]);
	}
	*out = ck.list;
	*count = ck.count;
}

void kc_dockerfile_check_engine(const struct kc_engine *e, const struct kc_dockerfile *df,
	const char *file, struct kc_arena *a, struct kc_finding ***out, unsigned *count)
{
	signed char *on = kc_arena_alloc(a, kc_dockerfile_rule_count + 1);
	int *sev = kc_arena_alloc(a, (kc_dockerfile_rule_count + 1) * sizeof(*sev));
	for (size_t i = 0; i < kc_dockerfile_rule_count; i++) {
		bool enabled = false;
		enum kc_severity s = KC_SEVERITY_WARNING;
		if (!kc_engine_rule_state(e, kc_dockerfile_rules[i].id, &enabled, &s)) {
			enabled = false;
		}
		on[i] = enabled ? 1 : -1;
		sev[i] = (int)s;
	}
	struct kc_df_options opt = { .enabled = on, .severity = sev };
	kc_dockerfile_check(df, file, &opt, a, out, count);
}

/* ---- applying fixes ---- */

static size_t offset_of(const struct kc_dockerfile *df, struct kc_pos p)
{
	if (p.line == 0 || p.line > df->line_count) {
		return df->len;
	}
	size_t off = df->line_off[p.line - 1];
	for (unsigned col = 1; col < p.col && off < df->len;) {
		off++;
		if (off >= df->len || ((unsigned char)df->buf[off] & 0xC0) != 0x80) {
			col++;
		}
	}
	return off;
}

struct edit {
	size_t off, end;
	const char *text;
	unsigned finding;
};

static int cmp_edit(const void *x, const void *y)
{
	const struct edit *a = x, *b = y;
	if (a->off != b->off) {
		return a->off < b->off ? -1 : 1;
	}
	return a->finding < b->finding ? -1 : a->finding > b->finding;
}

unsigned kc_dockerfile_fix(const struct kc_dockerfile *df, struct kc_finding *const *f,
	unsigned n, char **out, size_t *out_len)
{
	unsigned total = 0;
	for (unsigned i = 0; i < n; i++) {
		total += f[i]->suppressed ? 0 : f[i]->change_count;
	}
	struct edit *e = calloc(total + 1, sizeof(*e));
	bool *drop = calloc(n + 1, sizeof(*drop));
	if (e == NULL || drop == NULL) {
		kc_arena_die_oom();
	}
	unsigned k = 0;
	for (unsigned i = 0; i < n; i++) {
		if (f[i]->suppressed) {
			continue;
		}
		for (unsigned c = 0; c < f[i]->change_count; c++) {
			e[k++] = (struct edit){ offset_of(df, f[i]->changes[c].start),
				offset_of(df, f[i]->changes[c].end), f[i]->changes[c].text, i };
		}
	}
	qsort(e, k, sizeof(*e), cmp_edit);
	/* A finding whose edit overlaps an edit kept before it is dropped whole,
	 * until nothing overlaps (two rules may fix the same text). */
	for (bool again = true; again;) {
		again = false;
		size_t last = 0;
		bool any = false;
		for (unsigned i = 0; i < k; i++) {
			if (drop[e[i].finding]) {
				continue;
			}
			if (any && e[i].off < last) {
				drop[e[i].finding] = true;
				again = true;
				break;
			}
			last = e[i].end;
			any = true;
		}
	}
	size_t len = df->len;
	for (unsigned i = 0; i < k; i++) {
		if (!drop[e[i].finding]) {
			len += strlen(e[i].text);
		}
	}
	char *o = malloc(len + 1);
	if (o == NULL) {
		kc_arena_die_oom();
	}
	size_t at = 0, w = 0;
	for (unsigned i = 0; i < k; i++) {
		if (drop[e[i].finding]) {
			continue;
		}
		memcpy(o + w, df->buf + at, e[i].off - at);
		w += e[i].off - at;
		size_t tl = strlen(e[i].text);
		memcpy(o + w, e[i].text, tl);
		w += tl;
		at = e[i].end;
	}
	memcpy(o + w, df->buf + at, df->len - at);
	w += df->len - at;
	o[w] = '\0';
	unsigned fixed = 0;
	for (unsigned i = 0; i < n; i++) {
		fixed += !f[i]->suppressed && f[i]->change_count > 0 && !drop[i];
	}
	free(e);
	free(drop);
	*out = o;
	*out_len = w;
	return fixed;
}
