/*
 * Suppression: ignore directives, each naming rule ids, scoped as narrowly
 * as the user writes them (a resource, one container, one line).
 */
#include <stdlib.h>
#include <string.h>

#include "k8scheck/policy.h"

#define ANNOTATION "k8scheck.io/ignore"
#define COMMENT "k8scheck:ignore"

struct list {
	struct kc_arena *a;
	struct kc_ignore *items;
	unsigned n;
	unsigned cap;
	/* parallel to items: scope */
	const struct kc_workload **w;   /* annotation: its workload */
	const char **container;          /* annotation: its container, or NULL */
	unsigned *line;                  /* comment: the line it applies to */
	const char **reason;
};

static void grow(struct list *l)
{
	if (l->n < l->cap) {
		return;
	}
	l->cap = l->cap ? l->cap * 2 : 16;
	l->items = kc_arena_realloc(l->a, l->items, l->cap * sizeof(*l->items));
	l->w = kc_arena_realloc(l->a, l->w, l->cap * sizeof(*l->w));
	l->container = kc_arena_realloc(l->a, l->container, l->cap * sizeof(*l->container));
	l->line = kc_arena_realloc(l->a, l->line, l->cap * sizeof(*l->line));
	l->reason = kc_arena_realloc(l->a, l->reason, l->cap * sizeof(*l->reason));
}

/* Split "rule-a, rule-b -- reason" into directives. */
static void parse_ids(struct list *l, const struct kc_policy *p, const char *text,
	size_t len, const char *kind, struct kc_pos pos, const struct kc_workload *w,
	const char *container, unsigned line)
{
	const char *end = text + len;
	const char *reason = NULL;
	for (const char *c = text; c + 1 < end; c++) {
		if (c[0] == '-' && c[1] == '-' && (c == text || c[-1] == ' ')) {
			reason = c + 2;
			while (reason < end && *reason == ' ') {
				reason++;
			}
			end = c;
			break;
		}
	}
	const char *why = reason ? kc_arena_strndup(l->a, reason,
		(size_t)(text + len - reason)) : NULL;
	const char *c = text;
	while (c < end) {
		while (c < end && (*c == ' ' || *c == ',' || *c == '\t')) {
			c++;
		}
		const char *s = c;
		while (c < end && *c != ' ' && *c != ',' && *c != '\t') {
			c++;
		}
		if (c == s) {
			break;
		}
		grow(l);
		char *id = kc_arena_strndup(l->a, s, (size_t)(c - s));
		l->items[l->n] = (struct kc_ignore){
			.kind = kind, .rule = id, .pos = pos,
			.known = kc_policy_find(p, id) != NULL,
		};
		l->w[l->n] = w;
		l->container[l->n] = container;
		l->line[l->n] = line;
		l->reason[l->n] = why;
		l->n++;
	}
}

static void annotations(struct list *l, const struct kc_policy *p,
	const struct kc_workload *w, const struct kc_path *meta)
{
	struct kc_path path = kc_path_join(meta, "annotations");
	const struct kc_node *ann = kc_doc_get(w, &path);
	if (ann == NULL || ann->type != KC_NODE_MAPPING) {
		return;
	}
	size_t plen = strlen(ANNOTATION);
	for (size_t i = 0; i < ann->count; i++) {
		const struct kc_node *k = ann->items[2 * i], *v = ann->items[2 * i + 1];
		if (k->type != KC_NODE_SCALAR || v->type != KC_NODE_SCALAR ||
			strncmp(k->value, ANNOTATION, plen) != 0) {
			continue;
		}
		const char *container = NULL;
		if (k->value[plen] == '.') {
			container = k->value + plen + 1;
		} else if (k->value[plen] != '\0') {
			continue;
		}
		parse_ids(l, p, v->value, v->len, "annotation", k->start, w, container, 0);
	}
}

/* ---- comments ------------------------------------------------------------ */

/*
 * libyaml reports no comments, so a `#` is told apart from data by the node
 * tree: it is a comment when it starts a line or follows a blank, and lies
 * in no scalar's text. Only scalars matter: in a flow collection, outside
 * its scalars, `#` after a blank starts a comment too.
 */
struct spans {
	size_t *lo;
	size_t *hi;
	size_t n;
	size_t cap;
};

static void span_add(struct spans *sp, size_t lo, size_t hi)
{
	if (sp->n == sp->cap) {
		sp->cap = sp->cap ? sp->cap * 2 : 64;
		sp->lo = realloc(sp->lo, sp->cap * sizeof(*sp->lo));
		sp->hi = realloc(sp->hi, sp->cap * sizeof(*sp->hi));
		if (sp->lo == NULL || sp->hi == NULL) {
			kc_arena_die_oom();
		}
	}
	sp->lo[sp->n] = lo;
	sp->hi[sp->n] = hi;
	sp->n++;
}

/* The text of every scalar under n. Aliases revisit their anchor's scalars:
 * the walk is bounded by the node's weight, which --max-aliases bounds. */
static void spans_collect(struct spans *sp, const char *t, const struct kc_node *n)
{
	if (n->type == KC_NODE_SCALAR) {
		size_t lo = n->start_off;
		if (n->style == KC_STYLE_LITERAL || n->style == KC_STYLE_FOLDED) {
			/* A block scalar's header line may end in a comment;
			 * its content starts on the next line. */
			const char *nl = memchr(t + lo, '\n', n->end_off - lo);
			lo = nl != NULL ? (size_t)(nl - t) + 1 : n->end_off;
		}
		if (lo < n->end_off) {
			span_add(sp, lo, n->end_off);
		}
		return;
	}
	size_t k = n->type == KC_NODE_MAPPING ? 2 * n->count : n->count;
	for (size_t i = 0; i < k; i++) {
		spans_collect(sp, t, n->items[i]);
	}
}

static int size_cmp(const void *x, const void *y)
{
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	return a < b ? -1 : a > b;
}

/* Sort by start. Scalars do not overlap (a repeat through an alias is the
 * same span), so the ends sort the same way. */
static void spans_sort(struct spans *sp)
{
	if (sp->n < 2) {
		return;  /* qsort takes no NULL array, even empty */
	}
	qsort(sp->lo, sp->n, sizeof(*sp->lo), size_cmp);
	qsort(sp->hi, sp->n, sizeof(*sp->hi), size_cmp);
}

static bool in_scalar(const struct spans *sp, size_t off)
{
	size_t lo = 0, hi = sp->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (sp->lo[mid] <= off) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo > 0 && off < sp->hi[lo - 1];
}

static bool has_directive(const char *t, size_t from, size_t to)
{
	size_t clen = strlen(COMMENT);
	for (size_t i = from; i + clen <= to;) {
		const char *k = memchr(t + i, COMMENT[0], to - i - clen + 1);
		if (k == NULL) {
			return false;
		}
		if (memcmp(k, COMMENT, clen) == 0) {
			return true;
		}
		i = (size_t)(k - t) + 1;
	}
	return false;
}

/*
 * `# k8scheck:ignore ...` comments on the document's lines. A comment after
 * content on its line applies to that line; a comment on a line of its own
 * applies to the next line with content (past blank and comment lines).
 */
static void comments(struct list *l, const struct kc_policy *p,
	const struct kc_loaded_doc *doc)
{
	const char *t = doc->text;
	size_t from = doc->root->start_off, to = doc->root->end_off;
	if (to > doc->text_len) {
		to = doc->text_len;
	}
	/* Start one line above the document's first node. */
	unsigned line = doc->root->start.line;
	while (from > 0 && t[from - 1] != '\n') {
		from--;
	}
	if (from > 0 && line > 1) {
		from--;
		while (from > 0 && t[from - 1] != '\n') {
			from--;
		}
		line--;
	}
	/* Most documents have no directive: one scan says so. */
	if (!has_directive(t, from, to)) {
		return;
	}
	struct spans sp = { 0 };
	spans_collect(&sp, t, doc->root);
	spans_sort(&sp);
	size_t clen = strlen(COMMENT);
	unsigned pending = l->n;     /* own-line directives waiting for a line */
	for (size_t i = from; i < to; line++) {
		const char *nl = memchr(t + i, '\n', doc->text_len - i);
		size_t eol = nl != NULL ? (size_t)(nl - t) : doc->text_len;
		size_t first = i;
		while (first < eol && (t[first] == ' ' || t[first] == '\t')) {
			first++;
		}
		bool blank = first == eol || t[first] == '\r';
		bool own_line = false;
		/* The line's comment: the first `#` after a blank (or at the
		 * line's start) outside every scalar. */
		for (size_t j = first; j < eol && !blank; j++) {
			const char *hash = memchr(t + j, '#', eol - j);
			if (hash == NULL) {
				break;
			}
			j = (size_t)(hash - t);
			if ((j > i && t[j - 1] != ' ' && t[j - 1] != '\t') || in_scalar(&sp, j)) {
				continue;
			}
			own_line = j == first;
			size_t k = j + 1;
			while (k < eol && t[k] == ' ') {
				k++;
			}
			if (k + clen <= eol && memcmp(t + k, COMMENT, clen) == 0) {
				size_t s = k + clen, e = eol;
				while (e > s && (t[e - 1] == '\r' || t[e - 1] == ' ')) {
					e--;
				}
				struct kc_pos pos = { line, (unsigned)(j - i) + 1 };
				parse_ids(l, p, t + s, e - s, "comment", pos, NULL, NULL,
					own_line ? 0 : line);
			}
			break;  /* the rest of the line is the comment */
		}
		if (!blank && !own_line) {
			/* A line with content: the target of the comments above. */
			for (; pending < l->n; pending++) {
				if (l->line[pending] == 0) {
					l->line[pending] = line;
				}
			}
		}
		i = eol + 1;
	}
	free(sp.lo);
	free(sp.hi);
}

/* The line a finding's container starts on (its `- name:` line), or 0: a
 * comment above the container covers its findings, since a missing field
 * is located at whatever part of the container does exist. */
static unsigned container_line(const struct kc_loaded_doc *doc, const struct kc_finding *f)
{
	const struct kc_workload *w = f->workload;
	if (f->container == NULL || w == NULL) {
		return 0;
	}
	for (unsigned i = 0; i < w->container_count; i++) {
		const struct kc_container_ref *ref = &w->containers[i];
		if (ref->c->name != NULL && strcmp(ref->c->name, f->container) == 0) {
			struct kc_lookup lk = kc_locator_find(doc->root, &ref->path);
			return lk.found ? lk.node->start.line : 0;
		}
	}
	return 0;
}

void kc_suppress(const struct kc_policy *p, const struct kc_loaded_doc *doc,
	struct kc_finding **f, unsigned n, struct kc_ignore **out, unsigned *count)
{
	struct list l = { .a = doc->arena };
	for (unsigned i = 0; i < doc->workload_count; i++) {
		const struct kc_workload *w = &doc->workloads[i];
		struct kc_path meta = kc_path_join(&w->resource_path, "metadata");
		annotations(&l, p, w, &meta);
		if (w->pod_meta_path.len != meta.len) {
			annotations(&l, p, w, &w->pod_meta_path);
		}
	}
	comments(&l, p, doc);
	for (unsigned i = 0; i < n; i++) {
		unsigned cl = 0;
		bool cl_known = false;
		for (unsigned d = 0; d < l.n && !f[i]->suppressed; d++) {
			struct kc_ignore *ig = &l.items[d];
			if (strcmp(ig->rule, f[i]->rule) != 0) {
				continue;
			}
			bool match;
			if (l.w[d] != NULL) {
				match = l.w[d] == f[i]->workload && (l.container[d] == NULL ||
					(f[i]->container != NULL &&
						strcmp(l.container[d], f[i]->container) == 0));
			} else {
				if (!cl_known) {
					cl = container_line(doc, f[i]);
					cl_known = true;
				}
				/* l.line[d] is the line the comment applies to
				 * (0: none follows it). */
				match = l.line[d] != 0 && (l.line[d] == f[i]->pos.line ||
					l.line[d] == cl);
			}
			if (match) {
				ig->used = true;
				f[i]->suppressed = true;
				f[i]->suppressed_by = ig->kind;
				f[i]->suppress_reason = l.reason[d];
			}
		}
	}
	*out = l.items;
	*count = l.n;
}
