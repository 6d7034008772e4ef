/*
 * Minimal, style-preserving text edits for `k8scheck fix`.
 *
 * A fix is an operation on a path (set a field, add items to a list,
 * remove an entry). Missing fields are created under their nearest
 * existing mapping; all insertions into one mapping are merged into one
 * tree first, so three fixes that each need `securityContext:` create it
 * once. Each mapping keeps its own style: block (with its indentation),
 * flow, or JSON (double-quoted keys and strings).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "k8scheck/fix.h"

/* ---- small growable buffers ------------------------------------------------ */

struct buf {
	char *s;
	size_t len;
	size_t cap;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 256;
		while (cap < b->len + n + 1) {
			cap *= 2;
		}
		b->s = realloc(b->s, cap);
		if (b->s == NULL) {
			kc_arena_die_oom();
		}
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

static void spaces(struct buf *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		put(b, " ", 1);
	}
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);
	if (d == NULL) {
		kc_arena_die_oom();
	}
	return d;
}

/* ---- the fixer ------------------------------------------------------------ */

struct edit {
	size_t off;              /* in the original text */
	size_t del;              /* bytes replaced */
	char *text;              /* inserted */
	size_t depth;            /* at equal offsets, deeper (more indented) first */
};

struct kc_fixer {
	const char *text;
	size_t len;
	const char *nl;          /* the file's line ending */
	struct edit *edits;
	size_t nedits;
	size_t cap;
	char **keys;             /* fixed findings */
	unsigned nkeys;
	char **refused;
	unsigned nrefused;
	const char *unsupported;  /* why this text cannot be edited, or NULL */
	bool validate;           /* load each document's edits before keeping them */
	unsigned broken;         /* findings refused because their edits did not load */
	struct kc_limits limits;
};

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

unsigned kc_fixer_count(const struct kc_fixer *fx)
{
	return fx->nkeys;
}

const char *kc_fixer_key(const struct kc_fixer *fx, unsigned i)
{
	return i < fx->nkeys ? fx->keys[i] : NULL;
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

static void add_edit_at(struct kc_fixer *fx, size_t off, size_t del, char *text,
	size_t depth);

static void add_edit(struct kc_fixer *fx, size_t off, size_t del, char *text)
{
	add_edit_at(fx, off, del, text, 0);
}

static void add_edit_at(struct kc_fixer *fx, size_t off, size_t del, char *text,
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
static void drop_edits(struct kc_fixer *fx, size_t first)
{
	for (size_t i = first; i < fx->nedits; i++) {
		free(fx->edits[i].text);
	}
	fx->nedits = first;
}

static void refuse(struct kc_fixer *fx, const struct kc_finding *f, const char *why)
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
	fx->refused = realloc(fx->refused, (fx->nrefused + 1) * sizeof(*fx->refused));
	if (fx->refused == NULL) {
		kc_arena_die_oom();
	}
	fx->refused[fx->nrefused++] = b.s;
}

/* Whether another container of f's pod has f's container's name. */
static bool container_name_repeats(const struct kc_finding *f)
{
	if (f->container == NULL || f->workload == NULL) {
		return false;
	}
	unsigned same = 0;
	for (unsigned i = 0; i < f->workload->container_count; i++) {
		const char *name = f->workload->containers[i].c->name;
		same += name != NULL && strcmp(name, f->container) == 0;
	}
	return same > 1;
}

/* ---- planning: what to write where ---------------------------------------- */

/* A tree of keys to add under one existing mapping. */
struct ins {
	char *key;
	char *value;             /* a leaf's YAML value, or NULL */
	struct ins *kids;
	size_t nkids;
};

/* Pending changes to one existing node. */
struct target {
	const struct kc_node *node;
	enum { T_INSERT, T_APPEND, T_REPLACE, T_REMOVE } kind;
	struct ins tree;         /* T_INSERT */
	char **items;            /* T_APPEND */
	size_t nitems;
	char *value;             /* T_REPLACE */
	const struct kc_node *key;     /* T_REPLACE of an empty value: its key */
	const struct kc_node *parent;  /* T_REMOVE: the collection */
};

struct plan {
	const char *text;        /* the file (borrowed) */
	size_t len;
	struct target *t;
	size_t n;
	size_t cap;
	size_t *slots;           /* hash of (node, kind) -> index + 1; 0: empty */
	size_t nslots;
};

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

static void ins_free(struct ins *n)
{
	for (size_t i = 0; i < n->nkids; i++) {
		ins_free(&n->kids[i]);
	}
	free(n->kids);
	free(n->key);
	free(n->value);
}

static bool is_list_value(const char *v)
{
	size_t n = strlen(v);
	return n >= 2 && v[0] == '[' && v[n - 1] == ']';
}

/* The items of a flow list value "[A, B]". */
static size_t list_items(const char *v, char ***out)
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

static bool contains_node(const struct kc_node *outer, const struct kc_node *inner)
{
	return inner->start_off >= outer->start_off && inner->end_off <= outer->end_off;
}

/* "[A]" + "[B, A]" -> "[A, B]"; a list holding ALL needs nothing else
 * (capabilities: dropping ALL drops every other one). Frees a. */
static char *list_union(char *a, const char *b)
{
	char **x, **y;
	size_t nx = list_items(a, &x), ny = list_items(b, &y);
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
		if (contains_node(n, n->items[i]) && subtree_has_anchor(p, n->items[i])) {
			return true;
		}
	}
	return false;
}

/* Plan one SET. */
static bool plan_set(struct plan *p, const struct kc_node *root,
	const struct kc_path *path, const char *value, const char **why)
{
	struct kc_lookup lk = kc_locator_find(root, path);
	if (lk.found) {
		const struct kc_node *n = lk.node;
		if (is_list_value(value)) {
			if (n->type != KC_NODE_SEQUENCE) {
				if (!kc_node_is_null(n)) {
					*why = "the field is not a list";
					return false;
				}
				if (has_anchor(p, n, why)) {
					return false;
				}
				struct target *t = target(p, n, T_REPLACE);
				if (t->value != NULL && is_list_value(t->value)) {
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
			size_t k = list_items(value, &items);
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
		if (!contains_node(anchor, anchor->items[i])) {
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
	if (cur->value != NULL && is_list_value(cur->value) && is_list_value(value)) {
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

/* ---- rendering ------------------------------------------------------------ */

static bool flow_json(const struct kc_node *map)
{
	/* A flow mapping whose keys are double-quoted is JSON: write JSON. */
	return map->count > 0 && map->items[0]->style == KC_STYLE_DOUBLE_QUOTED;
}

static bool plain_ok(const char *v)
{
	return strcmp(v, "true") == 0 || strcmp(v, "false") == 0 ||
		(v[0] >= '0' && v[0] <= '9') || strcmp(v, "null") == 0;
}

static void scalar_out(struct buf *b, const char *v, bool json)
{
	if (json && !plain_ok(v)) {
		puts_(b, "\"");
		puts_(b, v);
		puts_(b, "\"");
	} else {
		puts_(b, v);
	}
}

static void key_out(struct buf *b, const char *k, bool json)
{
	if (json) {
		puts_(b, "\"");
		puts_(b, k);
		puts_(b, "\"");
	} else {
		puts_(b, k);
	}
}

static void value_flow(struct buf *b, const char *v, bool json)
{
	if (!is_list_value(v)) {
		scalar_out(b, v, json);
		return;
	}
	char **items;
	size_t k = list_items(v, &items);
	puts_(b, "[");
	for (size_t i = 0; i < k; i++) {
		if (i > 0) {
			puts_(b, ", ");
		}
		scalar_out(b, items[i], json);
		free(items[i]);
	}
	free(items);
	puts_(b, "]");
}

static void tree_flow(struct buf *b, const struct ins *n, bool json)
{
	for (size_t i = 0; i < n->nkids; i++) {
		const struct ins *c = &n->kids[i];
		if (i > 0) {
			puts_(b, ", ");
		}
		key_out(b, c->key, json);
		puts_(b, ": ");
		if (c->value != NULL) {
			value_flow(b, c->value, json);
		} else {
			puts_(b, "{");
			tree_flow(b, c, json);
			puts_(b, "}");
		}
	}
}

static void tree_block(struct buf *b, const struct ins *n, size_t indent, const char *nl)
{
	for (size_t i = 0; i < n->nkids; i++) {
		const struct ins *c = &n->kids[i];
		spaces(b, indent);
		puts_(b, c->key);
		puts_(b, ":");
		if (c->value == NULL) {
			puts_(b, nl);
			tree_block(b, c, indent + 2, nl);
		} else if (is_list_value(c->value)) {
			char **items;
			size_t k = list_items(c->value, &items);
			puts_(b, nl);
			for (size_t j = 0; j < k; j++) {
				spaces(b, indent);
				puts_(b, "- ");
				puts_(b, items[j]);
				puts_(b, nl);
				free(items[j]);
			}
			free(items);
		} else {
			puts_(b, " ");
			puts_(b, c->value);
			puts_(b, nl);
		}
	}
}

static size_t line_start(const char *t, size_t off)
{
	while (off > 0 && t[off - 1] != '\n') {
		off--;
	}
	return off;
}

static bool blank_or_comment(const char *t, size_t s, size_t e)
{
	while (s < e && (t[s] == ' ' || t[s] == '\t' || t[s] == '\r')) {
		s++;
	}
	return s == e || t[s] == '#';
}

/* Past a node's properties (tag, anchor), the comments and the line breaks
 * after them: where its content starts. */
static size_t skip_properties(const char *t, size_t len, size_t i, size_t end)
{
	while (i < end && i < len && (t[i] == '!' || t[i] == '&')) {
		while (i < len && !strchr(" \t\r\n", t[i])) {
			i++;
		}
		while (i < len && strchr(" \t\r\n#", t[i])) {
			if (t[i] == '#') {
				while (i < len && t[i] != '\n') {
					i++;
				}
			} else {
				i++;
			}
		}
	}
	return i;
}

/* A block scalar with keep chomping (`|+`, `>+`) owns the blank lines after
 * its content: they are part of its value. Where n's text ends with one, the
 * offset text may not be cut or inserted before (its end); else n's start. */
static size_t keep_floor(const struct kc_fixer *fx, const struct kc_node *n)
{
	const struct kc_node *d = n;
	for (;;) {
		size_t k = d->type == KC_NODE_MAPPING ? 2 * d->count
			: d->type == KC_NODE_SEQUENCE ? d->count : 0;
		if (k == 0) {
			break;
		}
		const struct kc_node *last = d->items[k - 1];
		/* An alias points at text elsewhere: the entry ends with its
		 * key (or the item's dash), never a block scalar. */
		if (!contains_node(d, last) || last->start_off < d->items[0]->start_off) {
			return n->start_off;
		}
		d = last;
	}
	if (d->type != KC_NODE_SCALAR ||
		(d->style != KC_STYLE_LITERAL && d->style != KC_STYLE_FOLDED)) {
		return n->start_off;
	}
	size_t i = skip_properties(fx->text, fx->len, d->start_off, d->end_off);
	if (i >= fx->len || (fx->text[i] != '|' && fx->text[i] != '>')) {
		return n->start_off;
	}
	for (i++; i < fx->len && strchr("+-0123456789", fx->text[i]) &&
		fx->text[i] != '\0'; i++) {
		if (fx->text[i] == '+') {
			return d->end_off > fx->len ? fx->len : d->end_off;
		}
	}
	return n->start_off;
}

/* The start of the line after node n's last content line. */
static size_t after_content(const struct kc_fixer *fx, const struct kc_node *n,
	bool *need_nl)
{
	const char *t = fx->text;
	size_t end = n->end_off > fx->len ? fx->len : n->end_off;
	size_t floor = keep_floor(fx, n);
	*need_nl = false;
	/* A block collection's end mark sits on the next token, which may be
	 * indented: only spaces before it mean it starts its line. */
	if (end > n->start_off && blank_or_comment(t, line_start(t, end), end) &&
		(end == fx->len || t[end] != '#')) {
		end = line_start(t, end);
	}
	if (end > 0 && line_start(t, end) == end) {
		/* A block collection ends where the next token starts: step
		 * back over blank and comment-only lines. */
		size_t p = end;
		while (p > floor) {
			size_t ls = line_start(t, p - 1);
			if (!blank_or_comment(t, ls, p - 1)) {
				break;
			}
			p = ls;
		}
		return p;
	}
	while (end < fx->len && t[end] != '\n') {
		end++;
	}
	if (end < fx->len) {
		return end + 1;
	}
	*need_nl = true;
	return end;
}

static size_t column_bytes(const struct kc_fixer *fx, const struct kc_node *n)
{
	return n->start_off - line_start(fx->text, n->start_off);
}

static bool render(struct kc_fixer *fx, struct target *t, const char **why)
{
	const struct kc_node *n = t->node;
	struct buf b = { 0 };
	switch (t->kind) {
	case T_REPLACE: {
		if (t->key != NULL) {
			/* Only blanks may separate a key from its colon; any
			 * other ':' on the line belongs to something else. */
			size_t at = t->key->end_off;
			while (at < fx->len && (fx->text[at] == ' ' || fx->text[at] == '\t')) {
				at++;
			}
			bool ok = at < fx->len && fx->text[at] == ':' && at < n->start_off;
			/* In a flow mapping the empty value sits at the next
			 * token (`{key: }`): only blanks may come between. */
			for (size_t i = at + 1; ok && i < n->start_off; i++) {
				ok = strchr(" \t\r\n", fx->text[i]) != NULL;
			}
			if (!ok) {
				*why = "cannot find the key's colon";
				free(b.s);
				return false;
			}
			puts_(&b, " ");
			value_flow(&b, t->value, t->key->style == KC_STYLE_DOUBLE_QUOTED);
			add_edit(fx, at + 1, 0, b.s);
			return true;
		}
		bool json = n->style == KC_STYLE_DOUBLE_QUOTED;
		if (is_list_value(t->value)) {
			value_flow(&b, t->value, json);
		} else {
			scalar_out(&b, t->value, json);
		}
		add_edit(fx, n->start_off, n->end_off - n->start_off, b.s);
		return true;
	}
	case T_INSERT:
		/* Never write a key the mapping already has (a duplicate key
		 * is an error): what exists is left to its own finding. */
		for (size_t i = 0; i < t->tree.nkids;) {
			if (kc_node_get(n, t->tree.kids[i].key) != NULL) {
				ins_free(&t->tree.kids[i]);
				memmove(&t->tree.kids[i], &t->tree.kids[i + 1],
					(t->tree.nkids - i - 1) * sizeof(*t->tree.kids));
				t->tree.nkids--;
			} else {
				i++;
			}
		}
		if (t->tree.nkids == 0) {
			free(b.s);
			return true;
		}
		if (n->style == KC_STYLE_FLOW) {
			bool json = flow_json(n);
			size_t close = n->end_off;
			if (close == 0 || fx->text[close - 1] != '}') {
				*why = "cannot find the end of the flow mapping";
				return false;
			}
			size_t at = close - 1;
			if (n->count > 0) {
				/* Right after the last value, so a closing brace on
				 * its own line stays where it is. */
				const struct kc_node *last = n->items[2 * n->count - 1];
				if (contains_node(n, last)) {
					at = last->end_off;
				}
				puts_(&b, ", ");
			}
			tree_flow(&b, &t->tree, json);
			add_edit(fx, at, 0, b.s);
			return true;
		} else {
			size_t indent = column_bytes(fx, n->items[0]);
			/* An explicit first key (`? key`): the mapping's
			 * indentation is the '?', not the key after it. */
			size_t q = n->items[0]->start_off;
			while (q > 0 && (fx->text[q - 1] == ' ' || fx->text[q - 1] == '\t')) {
				q--;
			}
			if (q > 0 && fx->text[q - 1] == '?') {
				indent = (q - 1) - line_start(fx->text, q - 1);
			}
			bool need_nl;
			const struct kc_node *lkey = n->items[2 * n->count - 2];
			const struct kc_node *last = n->items[2 * n->count - 1];
			/* An alias as the last value points at text earlier in
			 * the file, and the empty value of an explicit key with
			 * no ':' (`? key`) sits at the next token, past the
			 * mapping: either way the entry ends with its key. */
			bool at_key = last->start_off < lkey->start_off ||
				last->start_off == last->end_off;
			size_t at = after_content(fx, at_key ? lkey : last, &need_nl);
			if (need_nl) {
				puts_(&b, fx->nl);
			}
			tree_block(&b, &t->tree, indent, fx->nl);
			add_edit_at(fx, at, 0, b.s, indent + 1);
			return true;
		}
	case T_APPEND:
		if (n->style == KC_STYLE_FLOW) {
			bool json = n->count > 0 && n->items[0]->style == KC_STYLE_DOUBLE_QUOTED;
			size_t close = n->end_off;
			if (close == 0 || fx->text[close - 1] != ']') {
				*why = "cannot find the end of the flow list";
				return false;
			}
			/* `[a, b,]`: a trailing comma already separates. */
			size_t prev = close - 1;
			while (prev > n->start_off && strchr(" \t\r\n", fx->text[prev - 1])) {
				prev--;
			}
			bool comma = prev > n->start_off && fx->text[prev - 1] == ',';
			for (size_t i = 0; i < t->nitems; i++) {
				if (i > 0 || (n->count > 0 && !comma)) {
					puts_(&b, ", ");
				} else if (comma) {
					puts_(&b, " ");
				}
				scalar_out(&b, t->items[i], json);
			}
			add_edit(fx, close - 1, 0, b.s);
			return true;
		} else {
			size_t indent = column_bytes(fx, n);
			bool need_nl;
			size_t at = after_content(fx, n->items[n->count - 1], &need_nl);
			if (need_nl) {
				puts_(&b, fx->nl);
			}
			for (size_t i = 0; i < t->nitems; i++) {
				spaces(&b, indent);
				puts_(&b, "- ");
				puts_(&b, t->items[i]);
				puts_(&b, fx->nl);
			}
			add_edit_at(fx, at, 0, b.s, indent + 1);
			return true;
		}
	case T_REMOVE: {
		const struct kc_node *parent = t->parent;
		if (parent->type == KC_NODE_MAPPING && parent->style == KC_STYLE_BLOCK) {
			/* The key's line(s), when the key starts its line. */
			const struct kc_node *key = NULL;
			for (size_t i = 0; i < parent->count; i++) {
				if (parent->items[2 * i + 1] == n) {
					key = parent->items[2 * i];
				}
			}
			size_t s = key ? line_start(fx->text, key->start_off) : 0;
			if (key == NULL || !contains_node(parent, n) ||
				!blank_or_comment(fx->text, s, key->start_off) ||
				fx->text[s + (key->start_off - s) - 1] == '-') {
				*why = "the entry shares its line with other content";
				return false;
			}
			bool need_nl;
			size_t e = after_content(fx, n, &need_nl);
			add_edit(fx, s, e - s, xstrdup(""));
			free(b.s);
			return true;
		}
		if (parent->type != KC_NODE_SEQUENCE || parent->style == KC_STYLE_FLOW) {
			*why = "only items of block lists are removed automatically";
			return false;
		}
		/* The item's whole line(s): from its line start (the dash)
		 * to the line after its content. */
		size_t s = line_start(fx->text, n->start_off);
		if (!blank_or_comment(fx->text, s, n->start_off - 2) ||
			fx->text[n->start_off - 2] != '-') {
			*why = "the list item shares its line with other content";
			return false;
		}
		bool need_nl;
		size_t e = after_content(fx, n, &need_nl);
		add_edit(fx, s, e - s, xstrdup(""));
		free(b.s);
		return true;
	}
	}
	return false;
}

static void plan_free(struct plan *p)
{
	for (size_t i = 0; i < p->n; i++) {
		ins_free(&p->t[i].tree);
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
static unsigned plan_findings(struct kc_fixer *fx, const struct kc_loaded_doc *doc,
	struct kc_finding *const *f, unsigned n, struct kc_finding ***owners_out)
{
	struct plan p = { .text = doc->text, .len = doc->text_len };
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
			refuse(fx, f[i], fx->unsupported);
			continue;
		}
		if (container_name_repeats(f[i])) {
			/* A finding names its container: with two of one name
			 * (which the API server refuses) the fix and its re-check
			 * cannot tell them apart. */
			refuse(fx, f[i], "two containers of this pod have this name, "
				"which Kubernetes refuses; rename one, then fix");
			continue;
		}
		const char *why = NULL;
		/* All of a finding's operations, or none: try them on a
		 * scratch plan first. */
		struct plan scratch = { .text = doc->text, .len = doc->text_len };
		bool ok = plan_ops(&scratch, doc->root, f[i], &why);
		plan_free(&scratch);
		if (!ok) {
			refuse(fx, f[i], why);
			continue;
		}
		plan_ops(&p, doc->root, f[i], &why);
		owners[nowners] = f[i];
		nowners++;
	}
	size_t first = fx->nedits;
	for (size_t i = 0; i < p.n; i++) {
		const char *why = NULL;
		if (!render(fx, &p.t[i], &why)) {
			for (unsigned j = 0; j < nowners; j++) {
				refuse(fx, owners[j], why);
			}
			drop_edits(fx, first);
			nowners = 0;
			break;
		}
	}
	plan_free(&p);
	*owners_out = owners;
	return nowners;
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
static void apply_edits(const char *text, size_t s, size_t end,
	const struct edit *edits, size_t n, struct buf *b)
{
	struct edit *e = malloc((n + 1) * sizeof(*e));
	if (e == NULL) {
		kc_arena_die_oom();
	}
	memcpy(e, edits, n * sizeof(*e));
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
	apply_edits(fx->text, s, e, fx->edits + first, edited ? fx->nedits - first : 0,
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
		refuse(fx, f[i], why);
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
	unsigned nown = plan_findings(fx, doc, f, n, &own);
	bool loads = false;
	if (nown > 0 && *budget > 0) {
		(*budget)--;
		loads = doc_loads(fx, doc, first, true);
	}
	drop_edits(fx, first);
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
	unsigned nown = plan_findings(fx, doc, f, n, &own);
	if (nown > 0 && fx->validate && !doc_loads(fx, doc, first, true) &&
		doc_loads(fx, doc, first, false)) {
		/* Some edit breaks the document (the planner missed a layout):
		 * find which, refuse it, and keep the rest. */
		drop_edits(fx, first);
		struct kc_finding **good = calloc(nown + 1, sizeof(*good));
		if (good == NULL) {
			kc_arena_die_oom();
		}
		unsigned ngood = 0, budget = 32;
		keep_loading(fx, doc, own, nown, good, &ngood, &budget);
		free(own);
		nown = plan_findings(fx, doc, good, ngood, &own);
		free(good);
		if (nown > 0 && !doc_loads(fx, doc, first, true)) {
			drop_edits(fx, first);
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

void kc_fixer_apply(const struct kc_fixer *fx, char **out, size_t *out_len)
{
	struct buf b = { 0 };
	apply_edits(fx->text, 0, fx->len, fx->edits, fx->nedits, &b);
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
