/*
 * The semantic half of the fixer's safety net: the document before and
 * after the edits, compared as trees. Everything must be identical except
 * at the operations the fixes meant to do, so an edit that lands in the
 * wrong mapping, changes a block scalar's value or loses an entry is caught
 * whatever layout caused it.
 *
 * Operations are sorted by their path step at each depth, so a document
 * with thousands of fixed containers is compared in O(n log n), not
 * O(nodes x operations).
 */
#include <stdio.h>

#include "fix_impl.h"

struct vop {
	enum kc_fix_op op;
	struct kc_path path;
	const struct kc_node *value;  /* SET: the parsed value */
};

struct verify {
	struct kc_arena *a;      /* parsed values, synthetic operations */
	const struct kc_node *old_root;
	struct kc_path where;    /* the first difference */
	bool failed;
	unsigned long work;      /* operation comparisons, for the tests */
};

static bool fail(struct verify *v, const struct kc_path *p)
{
	if (!v->failed) {
		v->failed = true;
		v->where = *p;
	}
	return false;
}

/* ---- scalars -------------------------------------------------------------- */

static bool plain_is_string(const struct kc_node *n)
{
	static const char *const words[] = {
		"true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
		".inf", "-.inf", "+.inf", ".nan",
	};
	if (n->tag != NULL || n->len == 0 || kc_node_is_null(n)) {
		return n->tag != NULL && strcmp(n->tag, "tag:yaml.org,2002:str") == 0;
	}
	for (size_t i = 0; i < sizeof(words) / sizeof(*words); i++) {
		size_t k = strlen(words[i]);
		bool same = k == n->len;
		for (size_t j = 0; same && j < k; j++) {
			char c = n->value[j];
			same = (c >= 'A' && c <= 'Z' ? (char)(c + 32) : c) == words[i][j];
		}
		if (same) {
			return false;
		}
	}
	const char *s = n->value;
	if (*s == '-' || *s == '+') {
		s++;
	}
	if (*s == '.') {
		s++;
	}
	return !(*s >= '0' && *s <= '9');
}

static bool tag_same(const struct kc_node *a, const struct kc_node *b)
{
	return (a->tag == NULL && b->tag == NULL) ||
		(a->tag != NULL && b->tag != NULL && strcmp(a->tag, b->tag) == 0);
}

/* The same scalar as written: bytes, tag, and plain or not (a plain `true`
 * is a bool, a quoted one a string). */
static bool scalar_same(const struct kc_node *a, const struct kc_node *b)
{
	return a->len == b->len && memcmp(a->value, b->value, a->len) == 0 &&
		tag_same(a, b) &&
		(a->style == KC_STYLE_PLAIN) == (b->style == KC_STYLE_PLAIN);
}

/* The same value once resolved: also a quoted string and a plain one that
 * is a string (the fixer quotes strings in JSON). */
static bool scalar_resolves_same(const struct kc_node *a, const struct kc_node *b)
{
	if (a->type != KC_NODE_SCALAR || b->type != KC_NODE_SCALAR) {
		return false;
	}
	if (scalar_same(a, b)) {
		return true;
	}
	if (a->len != b->len || memcmp(a->value, b->value, a->len) != 0 ||
		a->tag != NULL || b->tag != NULL) {
		return false;
	}
	const struct kc_node *plain = a->style == KC_STYLE_PLAIN ? a : b;
	return plain_is_string(plain);
}

/* Identical trees (aliases followed): what an untouched node must be. */
static bool same_tree(const struct kc_node *a, const struct kc_node *b, bool resolve)
{
	if (a == NULL || b == NULL) {
		return a == b;
	}
	if (a->type != b->type) {
		return false;
	}
	if (a->type == KC_NODE_SCALAR) {
		return resolve ? scalar_resolves_same(a, b) : scalar_same(a, b);
	}
	if (a->count != b->count || !tag_same(a, b)) {
		return false;
	}
	size_t k = a->type == KC_NODE_MAPPING ? 2 * a->count : a->count;
	for (size_t i = 0; i < k; i++) {
		if (!same_tree(a->items[i], b->items[i], resolve)) {
			return false;
		}
	}
	return true;
}

/* ---- operations, sorted by their step at a depth -------------------------- */

static int seg_cmp(const struct vop *x, const struct vop *y, unsigned d)
{
	/* Operations that end here sort first. */
	bool xe = x->path.len <= d, ye = y->path.len <= d;
	if (xe || ye) {
		return xe == ye ? 0 : xe ? -1 : 1;
	}
	const struct kc_seg *a = &x->path.seg[d], *b = &y->path.seg[d];
	if ((a->key == NULL) != (b->key == NULL)) {
		return a->key == NULL ? -1 : 1;
	}
	if (a->key == NULL) {
		return a->index < b->index ? -1 : a->index > b->index;
	}
	size_t n = a->key_len < b->key_len ? a->key_len : b->key_len;
	int c = memcmp(a->key, b->key, n);
	if (c != 0) {
		return c;
	}
	return a->key_len < b->key_len ? -1 : a->key_len > b->key_len;
}

/* Stable merge sort of ops[0..n) by their step at depth d. */
static void sort_ops(struct verify *v, const struct vop **ops, size_t n, unsigned d)
{
	if (n < 2) {
		return;
	}
	size_t h = n / 2;
	sort_ops(v, ops, h, d);
	sort_ops(v, ops + h, n - h, d);
	const struct vop **tmp = malloc(n * sizeof(*tmp));
	if (tmp == NULL) {
		kc_arena_die_oom();
	}
	size_t i = 0, j = h, k = 0;
	while (i < h && j < n) {
		v->work++;
		tmp[k++] = seg_cmp(ops[j], ops[i], d) < 0 ? ops[j++] : ops[i++];
	}
	while (i < h) {
		tmp[k++] = ops[i++];
	}
	while (j < n) {
		tmp[k++] = ops[j++];
	}
	memcpy(ops, tmp, n * sizeof(*tmp));
	free(tmp);
}

/* The range [*lo, *hi) of ops (sorted at depth d) whose step d is the key
 * (key, len), or the index idx if key is NULL. */
static void range(struct verify *v, const struct vop **ops, size_t n, unsigned d,
	const char *key, size_t len, size_t idx, size_t *lo, size_t *hi)
{
	struct vop probe = { .path = { .len = d + 1 } };
	probe.path.seg[d] = (struct kc_seg){ .key = key, .key_len = (uint32_t)len,
		.index = (uint32_t)idx };
	size_t a = 0, b = n;
	while (a < b) {
		size_t m = a + (b - a) / 2;
		v->work++;
		if (seg_cmp(ops[m], &probe, d) < 0) {
			a = m + 1;
		} else {
			b = m;
		}
	}
	*lo = a;
	b = n;
	while (a < b) {
		size_t m = a + (b - a) / 2;
		v->work++;
		if (seg_cmp(ops[m], &probe, d) <= 0) {
			a = m + 1;
		} else {
			b = m;
		}
	}
	*hi = a;
}

/* ---- the walk ------------------------------------------------------------- */

static bool walk(struct verify *v, const struct kc_node *o, const struct kc_node *n,
	struct kc_path *p, const struct vop **ops, size_t nops);

/* Whether ops[0..nops) (sorted at depth p->len) hold a REMOVE of the child
 * (key, len) or index idx. */
static bool removed(struct verify *v, const struct vop **ops, size_t nops,
	unsigned d, const char *key, size_t len, size_t idx)
{
	size_t lo, hi;
	range(v, ops, nops, d, key, len, idx, &lo, &hi);
	for (size_t i = lo; i < hi; i++) {
		if (ops[i]->path.len == d + 1 && ops[i]->op == KC_FIX_REMOVE) {
			return true;
		}
	}
	return false;
}

/* Walk the child reached by step (key, len, idx) of p. */
static bool walk_child(struct verify *v, const struct kc_node *o,
	const struct kc_node *n, struct kc_path *p, const struct vop **ops,
	size_t nops, const char *key, size_t len, size_t idx)
{
	unsigned d = p->len;
	size_t lo, hi;
	range(v, ops, nops, d, key, len, idx, &lo, &hi);
	if (lo == hi || d >= KC_PATH_MAX) {
		/* Nothing meant to change below: identical, or new without a
		 * reason. */
		if (o == NULL || !same_tree(o, n, false)) {
			if (d < KC_PATH_MAX) {
				p->seg[p->len++] = (struct kc_seg){ .key = key,
					.key_len = (uint32_t)len, .index = (uint32_t)idx };
			}
			fail(v, p);
			if (d < KC_PATH_MAX) {
				p->len--;
			}
			return false;
		}
		return true;
	}
	p->seg[p->len++] = (struct kc_seg){ .key = key, .key_len = (uint32_t)len,
		.index = (uint32_t)idx };
	bool ok = walk(v, o, n, p, ops + lo, hi - lo);
	p->len--;
	return ok;
}

/* The value of key k among the mapping values vals[0..nvals), or NULL. */
static const struct kc_node *value_key(const struct kc_node *const *vals,
	size_t nvals, const struct kc_node *k)
{
	const struct kc_node *found = NULL;
	for (size_t i = 0; i < nvals; i++) {
		for (size_t j = 0; j < vals[i]->count; j++) {
			const struct kc_node *vk = vals[i]->items[2 * j];
			if (vk->type == KC_NODE_SCALAR && k->type == KC_NODE_SCALAR &&
				vk->len == k->len && memcmp(vk->value, k->value, k->len) == 0) {
				found = vals[i]->items[2 * j + 1];
			}
		}
	}
	return found;
}

/* The index of o's key i in n, looked for from *from on first (keys keep
 * their order), then from the top; SIZE_MAX if it is gone. */
static size_t find_key(const struct kc_node *n, const struct kc_node *k, size_t *from)
{
	for (size_t pass = 0; pass < 2; pass++) {
		for (size_t j = pass ? 0 : *from; j < n->count; j++) {
			const struct kc_node *nk = n->items[2 * j];
			if (same_tree(nk, k, false)) {
				*from = j + 1;
				return j;
			}
		}
	}
	return SIZE_MAX;
}

/* A mapping: o's entries (o may be NULL: created) stay, each compared with
 * the operations below it; new entries come from the mapping values vals
 * being merged in or from operations below them. */
static bool walk_mapping(struct verify *v, const struct kc_node *o,
	const struct kc_node *n, struct kc_path *p, const struct vop **ops,
	size_t nops, const struct kc_node *const *vals, size_t nvals)
{
	unsigned d = p->len;
	if (n == NULL || n->type != KC_NODE_MAPPING) {
		return fail(v, p);
	}
	bool *seen = calloc(n->count + 1, sizeof(*seen));
	if (seen == NULL) {
		kc_arena_die_oom();
	}
	bool ok = true;
	size_t from = 0;
	for (size_t i = 0; ok && o != NULL && i < o->count; i++) {
		const struct kc_node *k = o->items[2 * i];
		const char *key = k->type == KC_NODE_SCALAR ? k->value : "";
		size_t len = k->type == KC_NODE_SCALAR ? k->len : 0;
		size_t j = find_key(n, k, &from);
		if (j == SIZE_MAX) {
			if (!removed(v, ops, nops, d, key, len, 0)) {
				p->seg[p->len++] = (struct kc_seg){ .key = key,
					.key_len = (uint32_t)len };
				ok = fail(v, p);
				p->len--;
			}
			continue;
		}
		seen[j] = true;
		ok = walk_child(v, o->items[2 * i + 1], n->items[2 * j + 1], p, ops, nops,
			key, len, 0);
	}
	for (size_t j = 0; ok && j < n->count; j++) {
		if (seen[j]) {
			continue;
		}
		const struct kc_node *k = n->items[2 * j];
		if (k->type != KC_NODE_SCALAR) {
			ok = fail(v, p);
			break;
		}
		const struct kc_node *val = value_key(vals, nvals, k);
		size_t lo, hi;
		range(v, ops, nops, d, k->value, k->len, 0, &lo, &hi);
		if (val != NULL && lo == hi) {
			ok = same_tree(val, n->items[2 * j + 1], true);
			if (!ok && d < KC_PATH_MAX) {
				p->seg[p->len++] = (struct kc_seg){ .key = k->value,
					.key_len = (uint32_t)k->len };
				fail(v, p);
				p->len--;
			}
			continue;
		}
		if (val != NULL && d + 1 < KC_PATH_MAX) {
			/* Merged in and also set below: the merged value is one
			 * more SET of the child. */
			size_t m = hi - lo;
			const struct vop **sub = kc_arena_alloc(v->a, (m + 1) * sizeof(*sub));
			memcpy(sub, ops + lo, m * sizeof(*sub));
			struct vop *syn = kc_arena_alloc(v->a, sizeof(*syn));
			*syn = (struct vop){ .op = KC_FIX_SET, .path = *p, .value = val };
			syn->path.seg[syn->path.len++] = (struct kc_seg){ .key = k->value,
				.key_len = (uint32_t)k->len };
			sub[m] = syn;
			p->seg[p->len++] = syn->path.seg[d];
			ok = walk(v, NULL, n->items[2 * j + 1], p, sub, m + 1);
			p->len--;
			continue;
		}
		ok = walk_child(v, NULL, n->items[2 * j + 1], p, ops, nops, k->value,
			k->len, 0);
	}
	free(seen);
	return ok;
}

static bool case_variant(const struct kc_node *a, const struct kc_node *b)
{
	if (a->type != KC_NODE_SCALAR || b->type != KC_NODE_SCALAR || a->len != b->len) {
		return false;
	}
	for (size_t i = 0; i < a->len; i++) {
		char x = a->value[i], y = b->value[i];
		x = x >= 'A' && x <= 'Z' ? (char)(x + 32) : x;
		y = y >= 'A' && y <= 'Z' ? (char)(y + 32) : y;
		if (x != y) {
			return false;
		}
	}
	return true;
}

/* One of the items of the list values vals[0..nvals) that n resolves to
 * (or, with o, that o spells in another case), or NULL. */
static const struct kc_node *list_item(const struct kc_node *const *vals,
	size_t nvals, const struct kc_node *n, const struct kc_node *o)
{
	for (size_t i = 0; i < nvals; i++) {
		for (size_t j = 0; j < vals[i]->count; j++) {
			const struct kc_node *it = vals[i]->items[j];
			if (same_tree(it, n, true) && (o == NULL || case_variant(it, o))) {
				return it;
			}
		}
	}
	return NULL;
}

/* A list SET: o's items stay (or are respelled as the value spells them),
 * and what follows them are the values' items. */
static bool walk_list_set(struct verify *v, const struct kc_node *o,
	const struct kc_node *n, struct kc_path *p, const struct kc_node *const *vals,
	size_t nvals)
{
	if (n == NULL || n->type != KC_NODE_SEQUENCE) {
		return fail(v, p);
	}
	size_t keep = o != NULL && o->type == KC_NODE_SEQUENCE ? o->count : 0;
	if (o != NULL && keep == 0 && !kc_node_is_null(o) && o->type != KC_NODE_SEQUENCE) {
		return fail(v, p);
	}
	if (n->count < keep) {
		return fail(v, p);
	}
	for (size_t i = 0; i < n->count; i++) {
		bool ok = i < keep
			? same_tree(o->items[i], n->items[i], false) ||
				list_item(vals, nvals, n->items[i], o->items[i]) != NULL
			: list_item(vals, nvals, n->items[i], NULL) != NULL;
		if (!ok) {
			if (p->len < KC_PATH_MAX) {
				p->seg[p->len++] = (struct kc_seg){ .index = (uint32_t)i };
				fail(v, p);
				p->len--;
			}
			return fail(v, p);
		}
	}
	return true;
}

/* o (old, may be NULL) and n (new, may be NULL) at path p, with the
 * operations ops[0..nops) at or below p. */
static bool walk(struct verify *v, const struct kc_node *o, const struct kc_node *n,
	struct kc_path *p, const struct vop **ops, size_t nops)
{
	unsigned d = p->len;
	sort_ops(v, ops, nops, d);
	/* The operations that end here come first. */
	size_t here = 0;
	while (here < nops && ops[here]->path.len <= d) {
		here++;
	}
	const struct kc_node **vals = kc_arena_alloc(v->a, (here + 1) * sizeof(*vals));
	size_t nvals = 0;
	bool removes = false;
	enum { NONE, SCALAR, LIST, MAP } kind = NONE;
	for (size_t i = 0; i < here; i++) {
		if (ops[i]->op == KC_FIX_REMOVE) {
			removes = true;
			continue;
		}
		const struct kc_node *val = ops[i]->value;
		int k = val->type == KC_NODE_SEQUENCE ? LIST
			: val->type == KC_NODE_MAPPING ? MAP : SCALAR;
		if (kind != NONE && (int)kind != k) {
			return fail(v, p);  /* never planned together */
		}
		kind = k;
		vals[nvals++] = val;
	}
	if (removes && kind == NONE) {
		/* The parent saw it go; still here means it did not. */
		return n == NULL || fail(v, p);
	}
	const struct vop **below = ops + here;
	size_t nbelow = nops - here;
	if (kind == SCALAR) {
		for (size_t i = 0; i < nvals; i++) {
			if (n != NULL && scalar_resolves_same(vals[i], n)) {
				return true;
			}
		}
		return fail(v, p);
	}
	if (kind == LIST) {
		return walk_list_set(v, o, n, p, vals, nvals);
	}
	if (kind == MAP || o == NULL || o->type == KC_NODE_MAPPING) {
		if (kind == MAP && o != NULL && o->type != KC_NODE_MAPPING) {
			return fail(v, p);
		}
		return walk_mapping(v, o, n, p, below, nbelow, vals, nvals);
	}
	if (o->type == KC_NODE_SEQUENCE) {
		if (n == NULL || n->type != KC_NODE_SEQUENCE) {
			return fail(v, p);
		}
		size_t j = 0;
		for (size_t i = 0; i < o->count; i++) {
			if (removed(v, below, nbelow, d, NULL, 0, i)) {
				continue;
			}
			if (j >= n->count) {
				return fail(v, p);
			}
			if (!walk_child(v, o->items[i], n->items[j], p, below, nbelow, NULL,
				0, i)) {
				return false;
			}
			j++;
		}
		return j == n->count || fail(v, p);
	}
	/* A scalar with operations below it: they were never planned. */
	return same_tree(o, n, false) || fail(v, p);
}

/* ---- entry points --------------------------------------------------------- */

/* The value text of a SET, parsed into arena a; NULL if it does not parse. */
static const struct kc_node *parse_value(struct kc_arena *a, const char *text)
{
	struct kc_locator *l = kc_locator_create(text, strlen(text), NULL);
	struct kc_document doc;
	struct kc_loc_error err;
	const struct kc_node *root = NULL;
	if (kc_locator_next(l, a, &doc, &err) == KC_LOCATOR_DOCUMENT) {
		root = doc.root;
	}
	kc_locator_destroy(l);
	return root;
}

bool kc_fix_verify_counted(const struct kc_node *old_root,
	const struct kc_node *new_root, const struct kc_fix_intent *ops, size_t n,
	char *where, size_t where_size, unsigned long *work)
{
	struct verify v = { .a = kc_arena_create(), .old_root = old_root };
	const struct vop **list = kc_arena_alloc(v.a, (n + 1) * sizeof(*list));
	size_t nlist = 0;
	bool ok = true;
	for (size_t i = 0; i < n && ok; i++) {
		struct vop *x = kc_arena_alloc(v.a, sizeof(*x));
		*x = (struct vop){ .op = ops[i].op, .path = *ops[i].path };
		if (ops[i].op == KC_FIX_SET) {
			x->value = parse_value(v.a, ops[i].value);
			if (x->value == NULL) {
				v.where = *ops[i].path;
				v.failed = true;
				ok = false;
			}
		} else if (ops[i].op != KC_FIX_REMOVE) {
			continue;
		}
		list[nlist++] = x;
	}
	struct kc_path p = { .len = 0 };
	ok = ok && walk(&v, old_root, new_root, &p, list, nlist);
	if (!ok && where != NULL && where_size > 0) {
		kc_path_format(old_root, &v.where, where, where_size);
		if (where[0] == '\0') {
			snprintf(where, where_size, "the document");
		}
	}
	if (work != NULL) {
		*work = v.work;
	}
	kc_arena_destroy(v.a);
	return ok;
}

bool kc_fix_verify(const struct kc_node *old_root, const struct kc_node *new_root,
	const struct kc_fix_intent *ops, size_t n, char *where, size_t where_size)
{
	return kc_fix_verify_counted(old_root, new_root, ops, n, where, where_size,
		NULL);
}
