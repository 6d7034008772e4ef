/*
 * Planning `k8scheck fix`: what to write where. A fix is an operation on a
 * path (set a field, add items to a list, remove an entry). Missing fields
 * are created under their nearest existing mapping; all insertions into
 * one mapping are merged into one tree first, so three fixes that each
 * need `securityContext:` create it once.
 */
#include <stdio.h>

#include "fix_impl.h"

/* The container names of one workload, sorted, to tell in O(log n) whether
 * a name repeats: asking each finding's pod afresh was O(containers) per
 * finding, quadratic for a pod with thousands of containers. */
struct names {
	const struct kc_workload *w;
	const char **v;
	unsigned n;
};

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Whether another container of f's pod has f's container's name. */
static bool container_name_repeats(struct names *names, const struct kc_finding *f)
{
	if (f->container == NULL || f->workload == NULL) {
		return false;
	}
	if (names->w != f->workload) {
		const struct kc_workload *w = f->workload;
		free(names->v);
		names->v = malloc((w->container_count + 1) * sizeof(*names->v));
		if (names->v == NULL) {
			kc_arena_die_oom();
		}
		names->n = 0;
		for (unsigned i = 0; i < w->container_count; i++) {
			if (w->containers[i].c->name != NULL) {
				names->v[names->n++] = w->containers[i].c->name;
			}
		}
		qsort(names->v, names->n, sizeof(*names->v), name_cmp);
		names->w = w;
	}
	size_t lo = 0, hi = names->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(names->v[mid], f->container) < 0) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo + 1 < names->n && strcmp(names->v[lo], f->container) == 0 &&
		strcmp(names->v[lo + 1], f->container) == 0;
}

static size_t target_hash(const struct kc_node *node, int kind)
{
	uintptr_t x = (uintptr_t)node ^ ((uintptr_t)kind << 3);
	x ^= x >> 17;
	x *= (uintptr_t)0x9E3779B97F4A7C15ull;
	return (size_t)(x ^ (x >> 29));
}

/* The pending changes to node, created on first use. Hashed: a document
 * with thousands of containers has thousands of targets. */
static struct target *target(struct plan *p, const struct kc_node *node, int kind)
{
	if ((p->n + 1) * 2 > p->nslots) {
		size_t n = p->nslots ? p->nslots * 2 : 64;
		free(p->slots);
		p->slots = calloc(n, sizeof(*p->slots));
		if (p->slots == NULL) {
			kc_arena_die_oom();
		}
		p->nslots = n;
		for (size_t i = 0; i < p->n; i++) {
			size_t h = target_hash(p->t[i].node, (int)p->t[i].kind) & (n - 1);
			while (p->slots[h] != 0) {
				h = (h + 1) & (n - 1);
			}
			p->slots[h] = i + 1;
		}
	}
	size_t mask = p->nslots - 1;
	size_t h = target_hash(node, kind) & mask;
	for (; p->slots[h] != 0; h = (h + 1) & mask) {
		struct target *t = &p->t[p->slots[h] - 1];
		if (t->node == node && (int)t->kind == kind) {
			return t;
		}
	}
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 16;
		p->t = realloc(p->t, p->cap * sizeof(*p->t));
		if (p->t == NULL) {
			kc_arena_die_oom();
		}
	}
	struct target *t = &p->t[p->n];
	memset(t, 0, sizeof(*t));
	t->node = node;
	t->kind = kind;
	p->slots[h] = ++p->n;
	return t;
}

static struct ins *ins_child(struct ins *parent, const char *key, size_t klen)
{
	for (size_t i = 0; i < parent->nkids; i++) {
		if (strlen(parent->kids[i].key) == klen &&
			memcmp(parent->kids[i].key, key, klen) == 0) {
			return &parent->kids[i];
		}
	}
	parent->kids = realloc(parent->kids, (parent->nkids + 1) * sizeof(*parent->kids));
	if (parent->kids == NULL) {
		kc_arena_die_oom();
	}
	struct ins *c = &parent->kids[parent->nkids++];
	memset(c, 0, sizeof(*c));
	c->key = strndup(key, klen);
	if (c->key == NULL) {
		kc_arena_die_oom();
	}
	return c;
}

void kc_fix_ins_free(struct ins *n)
{
	for (size_t i = 0; i < n->nkids; i++) {
		kc_fix_ins_free(&n->kids[i]);
	}
	free(n->kids);
	free(n->key);
	free(n->value);
}

bool kc_fix_is_list_value(const char *v)
{
	size_t n = strlen(v);
	return n >= 2 && v[0] == '[' && v[n - 1] == ']';
}

/* The items of a flow list value "[A, B]". */
size_t kc_fix_list_items(const char *v, char ***out)
{
	size_t n = 0;
	*out = NULL;
	const char *p = v + 1, *end = v + strlen(v) - 1;
	while (p < end) {
		while (p < end && *p == ' ') {
			p++;
		}
		const char *q = p;
		while (q < end && *q != ',') {
			q++;
		}
		const char *e = q;
		while (e > p && e[-1] == ' ') {
			e--;
		}
		if (e > p) {
			*out = realloc(*out, (n + 1) * sizeof(**out));
			if (*out == NULL) {
				kc_arena_die_oom();
			}
			(*out)[n] = strndup(p, (size_t)(e - p));
			if ((*out)[n] == NULL) {
				kc_arena_die_oom();
			}
			n++;
		}
		p = q + 1;
	}
	return n;
}

/* True if a and b differ only in ASCII case (and are not equal). */
static bool strcasecmp_ascii(const char *a, const char *b)
{
	if (strcmp(a, b) == 0) {
		return false;
	}
	for (; *a && *b; a++, b++) {
		char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
		char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
		if (x != y) {
			return false;
		}
	}
	return *a == *b;
}

bool kc_fix_contains_node(const struct kc_node *outer, const struct kc_node *inner)
{
	return inner->start_off >= outer->start_off && inner->end_off <= outer->end_off;
}

/* "[A]" + "[B, A]" -> "[A, B]"; a list holding ALL needs nothing else
 * (capabilities: dropping ALL drops every other one). Frees a. */
static char *list_union(char *a, const char *b)
{
	char **x, **y;
	size_t nx = kc_fix_list_items(a, &x), ny = kc_fix_list_items(b, &y);
	bool all = false;
	for (size_t i = 0; i < nx; i++) {
		all = all || strcmp(x[i], "ALL") == 0;
	}
	for (size_t i = 0; i < ny; i++) {
		all = all || strcmp(y[i], "ALL") == 0;
	}
	struct buf out = { 0 };
	puts_(&out, "[");
	size_t written = 0;
	for (size_t i = 0; i < nx + ny; i++) {
		const char *item = i < nx ? x[i] : y[i - nx];
		bool dup = false;
		for (size_t j = 0; j < i && !dup; j++) {
			dup = strcmp(j < nx ? x[j] : y[j - nx], item) == 0;
		}
		if (!dup && (!all || strcmp(item, "ALL") == 0)) {
			puts_(&out, written++ ? ", " : "");
			puts_(&out, item);
		}
	}
	puts_(&out, "]");
	for (size_t i = 0; i < nx; i++) {
		free(x[i]);
	}
	for (size_t i = 0; i < ny; i++) {
		free(y[i]);
	}
	free(x);
	free(y);
	free(a);
	return out.s;
}

static void merge_node(struct ins *into, const struct kc_node *n);

/* Scalars become values, lists "[a, b]", mappings nested keys. */
static void merge_node(struct ins *into, const struct kc_node *n)
{
	for (size_t i = 0; i < n->count; i++) {
		const struct kc_node *k = n->items[2 * i], *v = n->items[2 * i + 1];
		struct ins *c = ins_child(into, k->value, k->len);
		if (v->type == KC_NODE_MAPPING) {
			merge_node(c, v);
		} else if (v->type == KC_NODE_SEQUENCE) {
			struct buf b = { 0 };
			puts_(&b, "[");
			for (size_t j = 0; j < v->count; j++) {
				puts_(&b, j ? ", " : "");
				puts_(&b, v->items[j]->type == KC_NODE_SCALAR ? v->items[j]->value : "");
			}
			puts_(&b, "]");
			free(c->value);
			c->value = b.s;
		} else {
			free(c->value);
			c->value = xstrdup(v->value);
		}
	}
}

static bool merge_flow(struct ins *into, const char *value, const char **why)
{
	struct kc_arena *a = kc_arena_create();
	struct kc_locator *l = kc_locator_create(value, strlen(value), NULL);
	struct kc_document doc;
	struct kc_loc_error err;
	bool ok = kc_locator_next(l, a, &doc, &err) == KC_LOCATOR_DOCUMENT &&
		doc.root->type == KC_NODE_MAPPING;
	if (ok) {
		merge_node(into, doc.root);
	} else {
		*why = "the suggested value is not a mapping";
	}
	kc_locator_destroy(l);
	kc_arena_destroy(a);
	return ok;
}

/* `key:` with nothing after it: the empty value has no text of its own
 * (libyaml places it right after the colon), so t is written after the
 * key's colon, with a space. An empty value with a tag (`key: !!null`)
 * has text, which is replaced as any other value. */
static bool set_empty_key(struct target *t, const struct kc_lookup *lk,
	const char **why)
{
	const struct kc_node *n = t->node;
	if (n->start_off != n->end_off) {
		return true;
	}
	if (lk->key == NULL) {
		*why = "the field is empty; set it by hand";
		return false;
	}
	t->key = lk->key;
	return true;
}

/* A node's properties (tag, anchor) come before its content, in any order,
 * and may be followed by comments and line breaks. Replacing a value
 * with an anchor would delete the anchor, and its aliases would no longer
 * parse; keeping it would change every alias too. Either needs a person. */
static bool has_anchor(const struct plan *p, const struct kc_node *n,
	const char **why)
{
	size_t i = n->start_off;
	while (i < n->end_off && i < p->len) {
		if (p->text[i] == '&') {
			*why = "the value carries an anchor that aliases may share; "
				"edit it by hand";
			return true;
		}
		if (p->text[i] != '!') {
			return false;
		}
		while (i < p->len && !strchr(" \t\r\n", p->text[i])) {
			i++;
		}
		while (i < p->len && strchr(" \t\r\n#", p->text[i])) {
			if (p->text[i] == '#') {
				while (i < p->len && p->text[i] != '\n') {
					i++;
				}
			} else {
				i++;
			}
		}
	}
	return false;
}

/* True if n or a node inside its text has an anchor: removing the text
 * would leave the anchor's aliases undefined. Aliases inside n point at
 * text elsewhere, and are not followed. */
static bool subtree_has_anchor(const struct plan *p, const struct kc_node *n)
{
	const char *why;
	if (has_anchor(p, n, &why)) {
		return true;
	}
	size_t k = n->type == KC_NODE_MAPPING ? 2 * n->count
		: n->type == KC_NODE_SEQUENCE ? n->count : 0;
	for (size_t i = 0; i < k; i++) {
		if (kc_fix_contains_node(n, n->items[i]) && subtree_has_anchor(p, n->items[i])) {
			return true;
		}
	}
	return false;
}

/* True (with *why) if an edit at the node at path's first depth steps
 * would not stay where it is written: a node on the way (or the node
 * itself) is an alias, carries an anchor that aliases may share, or is a
 * mapping with a merge key (`<<`), whose entries may come from elsewhere.
 * With last false, the node itself may be an alias (removing an alias
 * leaves its anchor alone). */
static bool shared_on_path(const struct plan *p, const struct kc_node *root,
	const struct kc_path *path, unsigned depth, bool last, const char **why)
{
	struct kc_path prefix = *path;
	const struct kc_node *parent = NULL;
	for (unsigned i = 0; i <= depth; i++) {
		prefix.len = i;
		struct kc_lookup lk = kc_locator_find(root, &prefix);
		const struct kc_node *n = lk.node;
		if (n == NULL || lk.depth != i) {
			return false;
		}
		bool alias = false;
		if (parent != NULL) {
			const struct kc_seg *s = &path->seg[i - 1];
			/* An alias's node is its anchor's, whose text is
			 * elsewhere: before the key it is the value of, or
			 * not after the item before it. */
			alias = !kc_fix_contains_node(parent, n) ||
				(lk.key != NULL && n->start_off < lk.key->end_off) ||
				(s->key == NULL && s->index > 0 &&
					n->start_off <= parent->items[s->index - 1]->start_off);
		}
		if (i == depth && !last) {
			return false;
		}
		if (alias) {
			*why = "the field is reached through an alias (*name); edits "
				"would change its anchor and every other alias; edit it by hand";
			return true;
		}
		const char *anchored;
		if (has_anchor(p, n, &anchored)) {
			*why = i == depth ? anchored : "the field is inside a value with "
				"an anchor (&name) that aliases may share; edit it by hand";
			return true;
		}
		if (n->type == KC_NODE_MAPPING && n->has_merge_key) {
			*why = "the field is inside a mapping with a merge key (<<), "
				"whose entries may come from elsewhere; edit it by hand";
			return true;
		}
		parent = n;
	}
	return false;
}

/* Plan one SET. */
static bool plan_set(struct plan *p, const struct kc_node *root,
	const struct kc_path *path, const char *value, const char **why)
{
	struct kc_lookup lk = kc_locator_find(root, path);
	if (lk.merged) {
		*why = "a merge key '<<' supplies the field or its mapping; edit it by hand";
		return false;
	}
	if (lk.node != NULL && shared_on_path(p, root, path, lk.depth, true, why)) {
		return false;
	}
	if (lk.found) {
		const struct kc_node *n = lk.node;
		if (kc_fix_is_list_value(value)) {
			if (n->type != KC_NODE_SEQUENCE) {
				if (!kc_node_is_null(n)) {
					*why = "the field is not a list";
					return false;
				}
				if (has_anchor(p, n, why)) {
					return false;
				}
				struct target *t = target(p, n, T_REPLACE);
				if (t->value != NULL && kc_fix_is_list_value(t->value)) {
					/* Two fixes fill one empty list: take both. */
					t->value = list_union(t->value, value);
				} else {
					free(t->value);
					t->value = xstrdup(value);
				}
				return set_empty_key(t, &lk, why);
			}
			/* Add the missing items; a wrong-case spelling of an
			 * item ("all" for "ALL") is corrected in place. */
			char **items;
			size_t k = kc_fix_list_items(value, &items);
			bool ok = true;
			for (size_t i = 0; i < k; i++) {
				bool have = false;
				for (size_t j = 0; j < n->count; j++) {
					const struct kc_node *it = n->items[j];
					if (it->type != KC_NODE_SCALAR) {
						continue;
					}
					if (strcmp(it->value, items[i]) == 0) {
						have = true;
					} else if (strcasecmp_ascii(it->value, items[i])) {
						have = true;
						if (has_anchor(p, it, why)) {
							ok = false;
							continue;
						}
						struct target *t = target(p, it, T_REPLACE);
						free(t->value);
						t->value = xstrdup(items[i]);
					}
				}
				if (!have && n->style != KC_STYLE_FLOW && n->count > 0 &&
					n->items[n->count - 1]->start_off < n->start_off) {
					/* A block list ending with an alias: that item's
					 * node is its anchor's, earlier in the file, and
					 * items appended "after" it would land there. */
					*why = "the list ends with an alias; add to it by hand";
					ok = false;
				} else if (!have) {
					struct target *t = target(p, n, T_APPEND);
					bool dup = false;
					for (size_t j = 0; j < t->nitems; j++) {
						dup = dup || strcmp(t->items[j], items[i]) == 0;
					}
					if (!dup) {
						t->items = realloc(t->items, (t->nitems + 1) * sizeof(*t->items));
						if (t->items == NULL) {
							kc_arena_die_oom();
						}
						t->items[t->nitems++] = xstrdup(items[i]);
					}
				}
				free(items[i]);
			}
			free(items);
			return ok;
		}
		if (n->type == KC_NODE_MAPPING && value[0] == '{') {
			/* Add the suggested keys the mapping lacks. */
			struct target *t = target(p, n, T_INSERT);
			return merge_flow(&t->tree, value, why);
		}
		if (n->type != KC_NODE_SCALAR) {
			*why = "the field holds a mapping or a list";
			return false;
		}
		if (has_anchor(p, n, why)) {
			return false;
		}
		struct target *t = target(p, n, T_REPLACE);
		free(t->value);
		t->value = xstrdup(value);
		if (value[0] == '{' && n->start_off == n->end_off) {
			*why = "the field is empty; set it by hand";
			return false;
		}
		return set_empty_key(t, &lk, why);
	}
	const struct kc_node *anchor = lk.node;
	if (anchor == NULL || anchor->type != KC_NODE_MAPPING) {
		*why = anchor != NULL && kc_node_is_null(anchor)
			? "a parent field is empty (null); set it by hand"
			: "a parent of the field is not a mapping";
		return false;
	}
	for (unsigned i = lk.depth; i < path->len; i++) {
		if (path->seg[i].key == NULL) {
			*why = "it would need a new list item";
			return false;
		}
	}
	/* Values written inside an alias would land at the anchor: refuse
	 * mappings whose entries are not all inside their own text. */
	for (size_t i = 0; i < 2 * anchor->count; i++) {
		if (!kc_fix_contains_node(anchor, anchor->items[i])) {
			*why = "the mapping uses an alias; edit the anchor by hand";
			return false;
		}
	}
	struct target *t = target(p, anchor, T_INSERT);
	struct ins *cur = &t->tree;
	for (unsigned i = lk.depth; i < path->len; i++) {
		cur = ins_child(cur, path->seg[i].key, path->seg[i].key_len);
	}
	if (value[0] == '{') {
		/* A mapping value: merge its keys with what other fixes add. */
		return merge_flow(cur, value, why);
	}
	if (cur->value != NULL && kc_fix_is_list_value(cur->value) && kc_fix_is_list_value(value)) {
		/* Two fixes add to one new list: take both. */
		cur->value = list_union(cur->value, value);
		return true;
	}
	free(cur->value);
	cur->value = xstrdup(value);
	return true;
}

static bool plan_remove(struct plan *p, const struct kc_node *root,
	const struct kc_path *path, const char **why)
{
	struct kc_path parent = *path;
	parent.len--;
	struct kc_lookup pl = kc_locator_find(root, &parent);
	struct kc_lookup lk = kc_locator_find(root, path);
	if (!lk.found || !pl.found) {
		*why = "the field is gone";
		return false;
	}
	if (lk.merged) {
		*why = "a merge key '<<' supplies the field or its mapping; edit it by hand";
		return false;
	}
	if (shared_on_path(p, root, path, path->len, false, why)) {
		return false;
	}
	const struct kc_node *key = lk.key;
	if (subtree_has_anchor(p, lk.node) || (key != NULL && has_anchor(p, key, why))) {
		*why = "the entry carries an anchor that aliases may use; "
			"remove it by hand";
		return false;
	}
	struct target *t = target(p, lk.node, T_REMOVE);
	t->parent = pl.node;
	return true;
}

static void plan_free(struct plan *p)
{
	for (size_t i = 0; i < p->n; i++) {
		kc_fix_ins_free(&p->t[i].tree);
		for (size_t j = 0; j < p->t[i].nitems; j++) {
			free(p->t[i].items[j]);
		}
		free(p->t[i].items);
		free(p->t[i].value);
	}
	free(p->t);
	free(p->slots);
	*p = (struct plan){ .text = p->text, .len = p->len };
}

/* Why the SET of value at path would overturn a value the author wrote
 * (an explicit scalar other than value), or NULL. Lives in doc's arena. */
static const char *overturns(const struct kc_loaded_doc *doc,
	const struct kc_path *path, const char *value)
{
	struct kc_lookup lk = kc_locator_find(doc->root, path);
	const struct kc_node *n = lk.node;
	if (!lk.found || n->type != KC_NODE_SCALAR || kc_node_is_null(n) ||
		n->start_off == n->end_off ||
		(strlen(value) == n->len && memcmp(n->value, value, n->len) == 0)) {
		return NULL;
	}
	char where[160];
	kc_path_format(doc->root, path, where, sizeof(where));
	return kc_arena_printf(doc->arena, "it would replace '%.40s%s', which the "
		"author wrote at %s, with '%s'", n->value, n->len > 40 ? "..." : "",
		where, value);
}

/* Whether f's fix is unsafe, and why (NULL: safe). A rule's own reason
 * comes first; else a SET that overturns an explicit value makes it
 * unsafe, and the finding says so (fix_unsafe) for reporters. */
static const char *classify(const struct kc_loaded_doc *doc, struct kc_finding *f)
{
	if (f->fix_unsafe != NULL) {
		return f->fix_unsafe;
	}
	const char *why = f->fix_op == KC_FIX_SET
		? overturns(doc, &f->fix_path, f->fix_value) : NULL;
	for (unsigned i = 0; why == NULL && i < f->more_count; i++) {
		if (f->more[i].op == KC_FIX_SET) {
			why = overturns(doc, &f->more[i].path, f->more[i].value);
		}
	}
	f->fix_unsafe = why;
	return why;
}

/* Plan every operation of f's fix. */
static bool plan_ops(struct plan *p, const struct kc_node *root,
	const struct kc_finding *f, const char **why)
{
	bool ok = f->fix_op == KC_FIX_SET
		? plan_set(p, root, &f->fix_path, f->fix_value, why)
		: plan_remove(p, root, &f->fix_path, why);
	for (unsigned i = 0; ok && i < f->more_count; i++) {
		const struct kc_fix_more *m = &f->more[i];
		ok = m->op == KC_FIX_SET ? plan_set(p, root, &m->path, m->value, why)
			: plan_remove(p, root, &m->path, why);
	}
	return ok;
}

/* Plan the fixes of f[0..n) that have one, adding their edits to fx.
 * Returns how many findings the edits fix, listed in *owners (caller
 * frees); the others are refused, with their reason. */
unsigned kc_fix_plan_findings(struct kc_fixer *fx, const struct kc_loaded_doc *doc,
	struct kc_finding *const *f, unsigned n, struct kc_finding ***owners_out)
{
	struct plan p = { .text = doc->text, .len = doc->text_len };
	struct names names = { 0 };
	/* Which findings each target serves, to refuse them together. */
	struct kc_finding **owners = calloc(n + 1, sizeof(*owners));
	unsigned nowners = 0;
	if (owners == NULL) {
		kc_arena_die_oom();
	}
	for (unsigned i = 0; i < n; i++) {
		if (f[i]->suppressed || (f[i]->fix_op != KC_FIX_SET &&
			f[i]->fix_op != KC_FIX_REMOVE)) {
			continue;
		}
		if (fx->unsupported != NULL) {
			kc_fix_refuse(fx, f[i], fx->unsupported);
			continue;
		}
		if (container_name_repeats(&names, f[i])) {
			/* A finding names its container: with two of one name
			 * (which the API server refuses) the fix and its re-check
			 * cannot tell them apart. */
			kc_fix_refuse(fx, f[i], "two containers of this pod have this name, "
				"which Kubernetes refuses; rename one, then fix");
			continue;
		}
		const char *unsafe = classify(doc, f[i]);
		if (unsafe != NULL && !fx->apply_unsafe) {
			char *msg = kc_arena_printf(doc->arena, "unsafe fix, not applied: "
				"%s; a person must decide ('fix --unsafe-fixes' applies it)",
				unsafe);
			kc_fix_refuse(fx, f[i], msg);
			fx->unsafe++;
			continue;
		}
		const char *why = NULL;
		/* All of a finding's operations, or none: try them on a
		 * scratch plan first. */
		struct plan scratch = { .text = doc->text, .len = doc->text_len };
		bool ok = plan_ops(&scratch, doc->root, f[i], &why);
		plan_free(&scratch);
		if (!ok) {
			kc_fix_refuse(fx, f[i], why);
			continue;
		}
		plan_ops(&p, doc->root, f[i], &why);
		owners[nowners] = f[i];
		nowners++;
	}
	size_t first = fx->nedits;
	for (size_t i = 0; i < p.n; i++) {
		const char *why = NULL;
		if (!kc_fix_render(fx, &p.t[i], &why)) {
			for (unsigned j = 0; j < nowners; j++) {
				kc_fix_refuse(fx, owners[j], why);
			}
			kc_fix_drop_edits(fx, first);
			nowners = 0;
			break;
		}
	}
	plan_free(&p);
	free(names.v);
	*owners_out = owners;
	return nowners;
}

