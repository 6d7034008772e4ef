/* The node tree of a document, built from libyaml's events. */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ---- errors ------------------------------------------------------------- */

/* Record the first problem of the current document; later ones are noise. */
void kc_locator_fail(struct kc_locator *l, struct kc_pos pos, const char *fmt, ...)
{
	if (l->bad) {
		return;
	}
	l->bad = true;
	l->err->pos = pos;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(l->err->message, sizeof(l->err->message), fmt, ap);
	va_end(ap);
}

/* Printable excerpt of a key for messages: at most 40 bytes, no controls. */
static void excerpt(char *out, size_t size, const char *s, size_t n)
{
	size_t j = 0;
	for (size_t i = 0; i < n && j + 4 < size; i++) {
		unsigned char c = (unsigned char)s[i];
		out[j++] = (c < 0x20 || c == 0x7F) ? '?' : (char)c;
		if (i >= 40) {
			out[j++] = '.';
			out[j++] = '.';
			out[j++] = '.';
			break;
		}
	}
	out[j] = '\0';
}

/* ---- building ----------------------------------------------------------- */

static struct kc_node *node_new(struct kc_locator *l, struct kc_arena *a,
	enum kc_node_type type, const yaml_event_t *e)
{
	struct kc_node *n = kc_arena_alloc(a, sizeof(*n));
	n->type = type;
	n->start = kc_locator_pos_of_mark(l, &e->start_mark);
	n->start_off = kc_locator_byte_of(l, e->start_mark.index);
	n->end = kc_locator_pos_of_mark(l, &e->end_mark);
	n->end_off = kc_locator_byte_of(l, e->end_mark.index);
	return n;
}

/* Anchors live in an open-addressing hash table (FNV-1a), so a document
 * with a hundred thousand anchors costs no more than one with ten. */
static size_t anchor_hash(const char *name)
{
	size_t h = (size_t)14695981039346656037ull;
	for (; *name; name++) {
		h ^= (unsigned char)*name;
		h *= (size_t)1099511628211ull;
	}
	return h;
}

static struct anchor *anchor_slot(struct kc_locator *l, const char *name)
{
	size_t mask = l->anchors_cap - 1;
	for (size_t i = anchor_hash(name) & mask;; i = (i + 1) & mask) {
		struct anchor *a = &l->anchors[i];
		if (a->name == NULL || strcmp(a->name, name) == 0) {
			return a;
		}
	}
}

static void anchors_grow(struct kc_locator *l)
{
	struct anchor *old = l->anchors;
	size_t old_cap = l->anchors_cap;
	l->anchors_cap = old_cap ? old_cap * 2 : 64;
	l->anchors = calloc(l->anchors_cap, sizeof(*l->anchors));
	if (l->anchors == NULL) {
		kc_arena_die_oom();
	}
	for (size_t i = 0; i < old_cap; i++) {
		if (old[i].name != NULL) {
			*anchor_slot(l, old[i].name) = old[i];
		}
	}
	free(old);
}

static void anchor_add(struct kc_locator *l, const unsigned char *name,
	struct kc_node *node)
{
	if (name == NULL) {
		return;
	}
	if ((l->nanchors + 1) * 2 > l->anchors_cap) {
		anchors_grow(l);
	}
	struct anchor *a = anchor_slot(l, (const char *)name);
	if (a->name != NULL) {
		/* A later anchor of the same name shadows the earlier one. */
		a->node = node;
		return;
	}
	a->name = strdup((const char *)name);
	if (a->name == NULL) {
		kc_arena_die_oom();
	}
	a->node = node;
	l->nanchors++;
}

static struct kc_node *anchor_find(struct kc_locator *l, const unsigned char *name)
{
	if (l->anchors_cap == 0) {
		return NULL;
	}
	struct anchor *a = anchor_slot(l, (const char *)name);
	return a->name != NULL ? a->node : NULL;
}

static size_t sat_add(size_t a, size_t b)
{
	return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

/* Is n a merge key as go-yaml v2 (Kubernetes' decoder) sees it: the plain,
 * untagged scalar "<<", or "<<" tagged !!merge? An alias to such a scalar
 * is not one (its node kind there is alias, not scalar). */
static bool is_merge_key(const struct kc_node *n)
{
	if (n->type != KC_NODE_SCALAR || n->len != 2 || memcmp(n->value, "<<", 2) != 0) {
		return false;
	}
	if (n->tag != NULL) {
		return strcmp(n->tag, "tag:yaml.org,2002:merge") == 0;
	}
	return n->style == KC_STYLE_PLAIN;
}

/* Attach a finished node to the open collection, or make it the root. */
static void attach(struct kc_locator *l, struct kc_document *doc,
	struct kc_node *n, bool alias)
{
	if (l->depth == 0) {
		doc->root = n;
		return;
	}
	struct frame *f = &l->frames[l->depth - 1];
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 16;
		f->kids = realloc(f->kids, f->cap * sizeof(*f->kids));
		if (f->kids == NULL) {
			kc_arena_die_oom();
		}
	}
	if (f->node->type == KC_NODE_MAPPING && f->n % 2 == 0 && !alias &&
		is_merge_key(n)) {
		f->merge = true;
		f->node->has_merge_key = true;
		if (l->merge_key == NULL) {
			l->merge_key = n;
		}
	}
	f->kids[f->n++] = n;
}

static void push(struct kc_locator *l, struct kc_node *n)
{
	if (l->depth == l->frames_cap) {
		size_t cap = l->frames_cap ? l->frames_cap * 2 : 32;
		l->frames = realloc(l->frames, cap * sizeof(*l->frames));
		if (l->frames == NULL) {
			kc_arena_die_oom();
		}
		memset(l->frames + l->frames_cap, 0,
			(cap - l->frames_cap) * sizeof(*l->frames));
		l->frames_cap = cap;
	}
	struct frame *f = &l->frames[l->depth++];
	f->node = n;
	f->n = 0;
	f->merge = false;
}

static int key_cmp(const struct kc_node *a, const struct kc_node *b)
{
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->value, b->value, n);
	if (c != 0) {
		return c;
	}
	if (a->len != b->len) {
		return a->len < b->len ? -1 : 1;
	}
	return a->start_off < b->start_off ? -1 : a->start_off > b->start_off;
}

static int key_qsort_cmp(const void *x, const void *y)
{
	return key_cmp(*(struct kc_node *const *)x, *(struct kc_node *const *)y);
}

static bool same_key(const struct kc_node *a, const struct kc_node *b)
{
	return a->type == KC_NODE_SCALAR && b->type == KC_NODE_SCALAR &&
		a->len == b->len && memcmp(a->value, b->value, a->len) == 0;
}

static void report_duplicate(struct kc_locator *l, const struct kc_node *first,
	const struct kc_node *dup)
{
	char key[64];
	excerpt(key, sizeof(key), dup->value, dup->len);
	kc_locator_fail(l, dup->start, "duplicate key '%s' (first defined at line %u, column %u)",
		key, first->start.line, first->start.col);
}

/* Kubernetes refuses a mapping with a repeated key, so do we. */
static void check_duplicates(struct kc_locator *l, struct kc_node *map)
{
	size_t n = map->count;
	if (n < 2 || l->bad) {
		return;
	}
	if (n <= 32) {
		for (size_t j = 1; j < n; j++) {
			const struct kc_node *kj = map->items[2 * j];
			if (is_merge_key(kj)) {
				continue;
			}
			for (size_t i = 0; i < j; i++) {
				if (same_key(map->items[2 * i], kj)) {
					report_duplicate(l, map->items[2 * i], kj);
					return;
				}
			}
		}
		return;
	}
	struct kc_node **keys = malloc(n * sizeof(*keys));
	if (keys == NULL) {
		kc_arena_die_oom();
	}
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (map->items[2 * i]->type == KC_NODE_SCALAR &&
			!is_merge_key(map->items[2 * i])) {
			keys[m++] = map->items[2 * i];
		}
	}
	qsort(keys, m, sizeof(*keys), key_qsort_cmp);
	/* Report the repeat that comes first in the file. */
	const struct kc_node *best_first = NULL;
	const struct kc_node *best_dup = NULL;
	size_t group = 0;
	for (size_t i = 1; i < m; i++) {
		if (!same_key(keys[group], keys[i])) {
			group = i;
			continue;
		}
		if (best_dup == NULL || keys[i]->start_off < best_dup->start_off) {
			best_first = keys[group];
			best_dup = keys[i];
		}
	}
	if (best_dup != NULL) {
		report_duplicate(l, best_first, best_dup);
	}
	free(keys);
}

/* ---- merge keys ---------------------------------------------------------- */

/* One assignment to a key of a mapping with merge keys, in the order in
 * which go-yaml v2 makes them. */
struct assign {
	struct kc_node *key;
	struct kc_node *value;
	size_t seq;              /* order of the assignment */
	size_t first;            /* seq of the key's first assignment */
	bool merged;
};

struct assigns {
	struct assign *v;
	size_t n;
	size_t cap;
};

static void assign_add(struct assigns *as, struct kc_node *key,
	struct kc_node *value, bool merged)
{
	if (as->n == as->cap) {
		as->cap = as->cap ? as->cap * 2 : 16;
		as->v = realloc(as->v, as->cap * sizeof(*as->v));
		if (as->v == NULL) {
			kc_arena_die_oom();
		}
	}
	as->v[as->n] = (struct assign){ key, value, as->n, as->n, merged };
	as->n++;
}

/* Keys group by value (scalars only: other keys never compare equal),
 * then by order of assignment. */
static int assign_key_cmp(const void *x, const void *y)
{
	const struct assign *a = x, *b = y;
	bool sa = a->key->type == KC_NODE_SCALAR, sb = b->key->type == KC_NODE_SCALAR;
	if (sa && sb) {
		size_t n = a->key->len < b->key->len ? a->key->len : b->key->len;
		int c = memcmp(a->key->value, b->key->value, n);
		if (c != 0) {
			return c;
		}
		if (a->key->len != b->key->len) {
			return a->key->len < b->key->len ? -1 : 1;
		}
	} else if (sa != sb) {
		return sa ? -1 : 1;
	}
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int assign_first_cmp(const void *x, const void *y)
{
	const struct assign *a = x, *b = y;
	return a->first < b->first ? -1 : a->first > b->first;
}

static void merge_fail(struct kc_locator *l, const struct kc_node *at)
{
	kc_locator_fail(l, at->start, "merge key '<<' needs a mapping or a list of mappings "
		"as its value");
}

/*
 * Resolve the merge keys of map as go-yaml v2's decoder (which kubectl uses
 * through sigs.k8s.io/yaml) does: the pairs are assigned in document order;
 * a "<<" assigns the pairs of its mapping value, or of each mapping of its
 * list value from the last to the first (so earlier mappings win); a later
 * assignment to a key replaces an earlier one. The result keeps each key
 * where it was first assigned. Merged mappings were resolved when they
 * ended, so their items are final; the work is bounded by the pairs of
 * the merged mappings, whose aliases count against --max-aliases.
 */
static void resolve_merges(struct kc_locator *l, struct kc_arena *a,
	struct kc_node *map)
{
	struct assigns as = { 0 };
	for (size_t i = 0; i < map->count && !l->bad; i++) {
		struct kc_node *k = map->items[2 * i], *v = map->items[2 * i + 1];
		if (!is_merge_key(k)) {
			assign_add(&as, k, v, false);
			continue;
		}
		if (v->type == KC_NODE_SEQUENCE) {
			for (size_t j = v->count; j-- > 0;) {
				const struct kc_node *it = v->items[j];
				if (it->type != KC_NODE_MAPPING) {
					/* An alias's node is at its anchor: point
					 * at the list that holds the alias instead. */
					bool inside = it->start_off >= v->start_off &&
						it->start_off < v->end_off;
					merge_fail(l, inside ? it : v);
					break;
				}
			}
		} else if (v->type != KC_NODE_MAPPING) {
			merge_fail(l, v);
		}
		if (l->bad) {
			break;
		}
		size_t srcs = v->type == KC_NODE_SEQUENCE ? v->count : 1;
		for (size_t j = srcs; j-- > 0;) {
			const struct kc_node *src = v->type == KC_NODE_SEQUENCE ? v->items[j] : v;
			for (size_t m = 0; m < src->count; m++) {
				assign_add(&as, src->items[2 * m], src->items[2 * m + 1], true);
			}
		}
	}
	if (l->bad) {
		free(as.v);
		return;
	}
	/* Last assignment wins, at the place of the first. */
	if (as.n > 1) {
		qsort(as.v, as.n, sizeof(*as.v), assign_key_cmp);
	}
	size_t out = 0;
	for (size_t i = 0; i < as.n;) {
		size_t j = i + 1;
		while (j < as.n && as.v[i].key->type == KC_NODE_SCALAR &&
			same_key(as.v[i].key, as.v[j].key)) {
			j++;
		}
		struct assign win = as.v[j - 1];
		win.first = as.v[i].seq;
		as.v[out++] = win;
		i = j;
	}
	if (out > 1) {
		qsort(as.v, out, sizeof(*as.v), assign_first_cmp);
	}
	map->items = out ? kc_arena_alloc(a, 2 * out * sizeof(*map->items)) : NULL;
	bool *merged = kc_arena_alloc(a, (out ? out : 1) * sizeof(*merged));
	for (size_t i = 0; i < out; i++) {
		map->items[2 * i] = as.v[i].key;
		map->items[2 * i + 1] = as.v[i].value;
		merged[i] = as.v[i].merged;
	}
	map->count = out;
	map->merged = merged;
	free(as.v);
}

static void pop(struct kc_locator *l, struct kc_arena *a,
	struct kc_document *doc, const yaml_event_t *e)
{
	assert(l->depth > 0);
	struct frame *f = &l->frames[--l->depth];
	struct kc_node *n = f->node;
	n->end = kc_locator_pos_of_mark(l, &e->end_mark);
	n->end_off = kc_locator_byte_of(l, e->end_mark.index);
	size_t weight = 1;
	if (f->n > 0) {
		n->items = kc_arena_alloc(a, f->n * sizeof(*n->items));
		memcpy(n->items, f->kids, f->n * sizeof(*n->items));
		for (size_t i = 0; i < f->n; i++) {
			weight = sat_add(weight, f->kids[i]->weight);
		}
	}
	n->weight = weight;
	if (n->type == KC_NODE_MAPPING) {
		n->count = f->n / 2;
		check_duplicates(l, n);
		if (f->merge && !l->bad) {
			resolve_merges(l, a, n);
		}
	} else {
		n->count = f->n;
	}
	attach(l, doc, n, false);
}

static enum kc_node_style scalar_style(yaml_scalar_style_t s)
{
	switch (s) {
	case YAML_SINGLE_QUOTED_SCALAR_STYLE:
		return KC_STYLE_SINGLE_QUOTED;
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
		return KC_STYLE_DOUBLE_QUOTED;
	case YAML_LITERAL_SCALAR_STYLE:
		return KC_STYLE_LITERAL;
	case YAML_FOLDED_SCALAR_STYLE:
		return KC_STYLE_FOLDED;
	default:
		return KC_STYLE_PLAIN;
	}
}

/* Handle one event inside a document; returns false when the document ends. */
bool kc_locator_on_event(struct kc_locator *l, struct kc_arena *a,
	struct kc_document *doc, const yaml_event_t *e)
{
	struct kc_node *n;
	switch (e->type) {
	case YAML_SCALAR_EVENT:
		if (l->bad) {
			return true;
		}
		n = node_new(l, a, KC_NODE_SCALAR, e);
		n->style = scalar_style(e->data.scalar.style);
		n->value = kc_arena_strndup(a, (const char *)e->data.scalar.value,
			e->data.scalar.length);
		n->len = e->data.scalar.length;
		if (e->data.scalar.tag != NULL) {
			n->tag = kc_arena_strdup(a, (const char *)e->data.scalar.tag);
		}
		n->weight = 1;
		anchor_add(l, e->data.scalar.anchor, n);
		attach(l, doc, n, false);
		return true;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT: {
		bool map = e->type == YAML_MAPPING_START_EVENT;
		if (l->depth >= l->lim.max_depth) {
			kc_locator_fail(l, kc_locator_pos_of_mark(l, &e->start_mark),
				"nesting deeper than %zu levels (see --max-depth)",
				l->lim.max_depth);
			/* libyaml's time is quadratic in flow depth and its
			 * memory linear in any depth: feed it no more of this
			 * document (kc_locator_next resumes at the next). */
			l->abandon = true;
			l->abandon_off = kc_locator_byte_of(l, e->start_mark.index);
			return true;
		}
		if (l->bad) {
			/* Keep counting depth so DOCUMENT_END is found, but
			 * build nothing more. */
			l->depth++;
			return true;
		}
		n = node_new(l, a, map ? KC_NODE_MAPPING : KC_NODE_SEQUENCE, e);
		bool flow = map ? e->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
			: e->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
		n->style = flow ? KC_STYLE_FLOW : KC_STYLE_BLOCK;
		const unsigned char *tag = map ? e->data.mapping_start.tag
			: e->data.sequence_start.tag;
		if (tag != NULL) {
			n->tag = kc_arena_strdup(a, (const char *)tag);
		}
		anchor_add(l, map ? e->data.mapping_start.anchor
			: e->data.sequence_start.anchor, n);
		push(l, n);
		return true;
	}
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		if (l->bad) {
			l->depth--;
			return true;
		}
		pop(l, a, doc, e);
		return true;
	case YAML_ALIAS_EVENT: {
		if (l->bad) {
			return true;
		}
		struct kc_node *target = anchor_find(l, e->data.alias.anchor);
		struct kc_pos pos = kc_locator_pos_of_mark(l, &e->start_mark);
		char name[64];
		excerpt(name, sizeof(name), (const char *)e->data.alias.anchor,
			strlen((const char *)e->data.alias.anchor));
		if (target == NULL) {
			kc_locator_fail(l, pos, "alias '*%s' refers to no anchor", name);
			return true;
		}
		if (target->weight == 0) {
			kc_locator_fail(l, pos, "alias '*%s' refers to a node that contains it", name);
			return true;
		}
		l->alias_nodes = sat_add(l->alias_nodes, target->weight);
		if (l->alias_nodes > l->lim.max_alias_nodes) {
			kc_locator_fail(l, pos, "aliases expand to more than %zu nodes, as in "
				"an alias bomb (see --max-aliases)", l->lim.max_alias_nodes);
			return true;
		}
		/* go-yaml v2 merges an alias only if it names a mapping (a
		 * list written in place may hold mappings to merge). */
		const struct frame *f = l->depth ? &l->frames[l->depth - 1] : NULL;
		if (f != NULL && f->merge && f->n % 2 == 1 &&
			is_merge_key(f->kids[f->n - 1]) && target->type != KC_NODE_MAPPING) {
			kc_locator_fail(l, pos, "merge key '<<' needs a mapping or a list of "
				"mappings as its value");
			return true;
		}
		/* The tree shares the anchored node: positions inside an
		 * alias point at the anchor's text, where the value is. */
		attach(l, doc, target, true);
		return true;
	}
	case YAML_DOCUMENT_END_EVENT:
		doc->end_off = kc_locator_byte_of(l, e->end_mark.index);
		return false;
	default:
		return true;
	}
}

void kc_locator_begin_document(struct kc_locator *l, struct kc_document *doc,
	const yaml_event_t *e)
{
	*doc = (struct kc_document){ 0 };
	doc->start = kc_locator_pos_of_mark(l, &e->start_mark);
	doc->start_off = kc_locator_byte_of(l, e->start_mark.index);
	l->doc_start_off = doc->start_off;
	l->depth = 0;
	l->bad = false;
	l->alias_nodes = 0;
	l->merge_key = NULL;
	kc_locator_anchors_clear(l);
}
