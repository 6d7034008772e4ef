#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "k8scheck/locator.h"

const struct kc_limits kc_limits_default = {
	.max_depth = 256,
	.max_alias_nodes = 100000,
	.max_file_bytes = 256u * 1024u * 1024u,
	.max_document_bytes = 64u * 1024u * 1024u,
};

struct frame {
	struct kc_node *node;
	struct kc_node **kids;
	size_t n;
	size_t cap;
	bool merge;              /* a mapping with a merge key "<<" */
};

struct anchor {
	char *name;              /* malloc'd */
	struct kc_node *node;
};

struct kc_locator {
	const char *buf;
	size_t len;
	struct kc_limits lim;
	bool bom;
	bool ascii;
	bool ascii_clean;        /* ASCII without control characters */
	size_t bad_off;          /* first byte libyaml would refuse, or len */
	size_t limit;            /* the parser reads [base_off, limit) */

	yaml_parser_t parser;
	bool parser_live;
	bool ended;
	bool resync;             /* the last call hit a syntax error */
	size_t base_off;         /* byte offset where the parser's input starts */
	unsigned base_line;      /* 0-based line number of base_off */

	/* libyaml marks count characters: a forward-only cursor maps a
	 * character index (relative to base_off) to a byte offset. */
	size_t cur_char;
	size_t cur_byte;

	unsigned doc_index;      /* index of the current or last document */
	unsigned next_index;
	size_t doc_start_off;

	struct frame *frames;
	size_t depth;
	size_t frames_cap;

	struct anchor *anchors;
	size_t nanchors;
	size_t anchors_cap;
	size_t alias_nodes;

	bool bad;                /* the current document already has an error */
	bool abandon;            /* stop parsing the document: a limit was hit */
	size_t abandon_off;      /* where */
	unsigned long events;    /* libyaml events read, for the limits' tests */
	const struct kc_node *merge_key;
	struct kc_loc_error *err;
};

/* ---- positions ---------------------------------------------------------- */

static size_t utf8_width(unsigned char c)
{
	if (c < 0x80) {
		return 1;
	} else if ((c & 0xE0) == 0xC0) {
		return 2;
	} else if ((c & 0xF0) == 0xE0) {
		return 3;
	} else if ((c & 0xF8) == 0xF0) {
		return 4;
	}
	return 1;
}

static size_t byte_of(struct kc_locator *l, size_t index)
{
	if (l->ascii) {
		size_t off = l->base_off + index;
		return off > l->len ? l->len : off;
	}
	if (index < l->cur_char) {
		l->cur_char = 0;
		l->cur_byte = 0;
	}
	size_t avail = l->len - l->base_off;
	const unsigned char *p = (const unsigned char *)l->buf + l->base_off;
	while (l->cur_char < index && l->cur_byte < avail) {
		/* libyaml counts CR LF as two characters, like any others. */
		size_t w = utf8_width(p[l->cur_byte]);
		l->cur_byte += w;
		l->cur_char++;
	}
	if (l->cur_byte > avail) {
		l->cur_byte = avail;
	}
	return l->base_off + l->cur_byte;
}

static struct kc_pos pos_of_mark(const struct kc_locator *l, const yaml_mark_t *m)
{
	return (struct kc_pos){
		.line = l->base_line + (unsigned)m->line + 1,
		.col = (unsigned)m->column + 1,
	};
}

/* Length of the line break at p (0 if none), as libyaml counts breaks. */
static size_t break_len(const unsigned char *p, size_t avail)
{
	if (avail == 0) {
		return 0;
	}
	if (p[0] == '\r') {
		return (avail > 1 && p[1] == '\n') ? 2 : 1;
	}
	if (p[0] == '\n') {
		return 1;
	}
	if (avail > 1 && p[0] == 0xC2 && p[1] == 0x85) {
		return 2;
	}
	if (avail > 2 && p[0] == 0xE2 && p[1] == 0x80 &&
		(p[2] == 0xA8 || p[2] == 0xA9)) {
		return 3;
	}
	return 0;
}

/* pos, moved over buf[i, off) the way libyaml counts lines and columns. */
static struct kc_pos count_to(const unsigned char *p, size_t len, size_t i, size_t off,
	struct kc_pos pos)
{
	while (i < off) {
		size_t b = break_len(p + i, len - i);
		if (b > 0) {
			pos.line++;
			pos.col = 1;
			i += b;
		} else {
			/* A bad lead byte counts alone, so a line break after
			 * it is still seen (positions of invalid input). */
			size_t w = utf8_width(p[i]);
			for (size_t k = 1; k < w; k++) {
				if (i + k >= len || (p[i + k] & 0xC0) != 0x80) {
					w = 1;
					break;
				}
			}
			pos.col++;
			i += w;
		}
	}
	return pos;
}

struct kc_pos kc_locator_pos_of(const char *buf, size_t len, size_t off)
{
	const unsigned char *p = (const unsigned char *)buf;
	size_t i = 0;
	if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
		i = 3;
	}
	if (off > len) {
		off = len;
	}
	return count_to(p, len, i, off, (struct kc_pos){ 1, 1 });
}

struct kc_pos kc_locator_pos_near(const struct kc_node *root, const char *buf,
	size_t len, size_t off)
{
	if (off > len) {
		off = len;
	}
	/* The deepest node that starts at or before off: items are in document
	 * order (an alias may point back, which only makes the base earlier;
	 * any node before off is a correct place to count from). */
	const struct kc_node *base = NULL;
	for (const struct kc_node *n = root; n != NULL;) {
		if (n->start_off > off || n->start_off > len ||
			(base != NULL && n->start_off < base->start_off)) {
			break;
		}
		base = n;
		size_t items = n->type == KC_NODE_MAPPING ? 2 * n->count :
			n->type == KC_NODE_SEQUENCE ? n->count : 0;
		size_t lo = 0, hi = items;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (n->items[mid]->start_off <= off) {
				lo = mid + 1;
			} else {
				hi = mid;
			}
		}
		n = lo > 0 ? n->items[lo - 1] : NULL;
	}
	if (base == NULL) {
		return kc_locator_pos_of(buf, len, off);
	}
	return count_to((const unsigned char *)buf, len, base->start_off, off, base->start);
}

/* ---- life cycle --------------------------------------------------------- */

/*
 * Offset of the first character at or after from that libyaml refuses (bad
 * UTF-8, or a control character), or len. libyaml reads ahead, so it would
 * stumble on such a byte while earlier, valid documents are still being
 * parsed; finding it first lets those documents through.
 */
static size_t first_invalid(const unsigned char *p, size_t from, size_t len)
{
	size_t i = from;
	while (i < len) {
		unsigned c = p[i];
		if (c < 0x80) {
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
				return i;
			}
			if (c == 0x7F) {
				return i;
			}
			i++;
			continue;
		}
		size_t w;
		uint32_t cp;
		if ((c & 0xE0) == 0xC0) {
			w = 2;
			cp = c & 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			w = 3;
			cp = c & 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			w = 4;
			cp = c & 0x07;
		} else {
			return i;
		}
		if (i + w > len) {
			return i;
		}
		for (size_t k = 1; k < w; k++) {
			if ((p[i + k] & 0xC0) != 0x80) {
				return i;
			}
			cp = cp << 6 | (p[i + k] & 0x3F);
		}
		bool overlong = (w == 2 && cp < 0x80) || (w == 3 && cp < 0x800) ||
			(w == 4 && cp < 0x10000);
		bool printable = cp == 0x85 || (cp >= 0xA0 && cp <= 0xD7FF) ||
			(cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
		if (overlong || !printable) {
			return i;
		}
		i += w;
	}
	return len;
}

static void parser_start(struct kc_locator *l)
{
	const unsigned char *p = (const unsigned char *)l->buf;
	l->bad_off = l->ascii_clean ? l->len : first_invalid(p, l->base_off, l->len);
	l->limit = l->len;
	if (l->bad_off < l->len) {
		/* Parse up to the start of the bad byte's line. */
		size_t s = l->bad_off;
		while (s > l->base_off && break_len(p + s - 1, 1) == 0) {
			s--;
		}
		l->limit = s;
	}
	yaml_parser_initialize(&l->parser);
	yaml_parser_set_input_string(&l->parser,
		(const unsigned char *)l->buf + l->base_off, l->limit - l->base_off);
	/* The input is UTF-8 (a UTF-8 BOM is skipped before this point);
	 * byte offsets are computed on that assumption. */
	yaml_parser_set_encoding(&l->parser, YAML_UTF8_ENCODING);
	l->parser_live = true;
	l->cur_char = 0;
	l->cur_byte = 0;
}

struct kc_locator *kc_locator_create(const char *buf, size_t len,
	const struct kc_limits *limits)
{
	struct kc_locator *l = calloc(1, sizeof(*l));
	if (l == NULL) {
		kc_arena_die_oom();
	}
	l->buf = buf;
	l->len = len;
	l->lim = limits ? *limits : kc_limits_default;
	const unsigned char *p = (const unsigned char *)buf;
	if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
		l->bom = true;
		l->base_off = 3;
	}
	l->ascii = true;
	l->ascii_clean = true;
	/* Eight bytes at a time: a word of printable ASCII (no byte >= 0x80,
	 * < 0x20 or 0x7F) needs no closer look, and most words are. */
	const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
	size_t i = 0;
	while (i < len && l->ascii) {
		if (i + 8 <= len) {
			uint64_t w;
			memcpy(&w, p + i, 8);
			uint64_t del = w ^ (0x7F * ones);
			if (((w | ((w - 0x20 * ones) & ~w) | ((del - ones) & ~del)) & high) == 0) {
				i += 8;
				continue;
			}
		}
		size_t stop = i + 8 < len ? i + 8 : len;
		for (; i < stop; i++) {
			if (p[i] >= 0x80) {
				l->ascii = false;
				l->ascii_clean = false;
				break;
			}
			if ((p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' && p[i] != '\r') ||
				p[i] == 0x7F) {
				l->ascii_clean = false;
			}
		}
	}
	parser_start(l);
	return l;
}

static void anchors_clear(struct kc_locator *l)
{
	for (size_t i = 0; i < l->anchors_cap; i++) {
		free(l->anchors[i].name);
		l->anchors[i] = (struct anchor){ NULL, NULL };
	}
	l->nanchors = 0;
}

void kc_locator_destroy(struct kc_locator *l)
{
	if (l == NULL) {
		return;
	}
	if (l->parser_live) {
		yaml_parser_delete(&l->parser);
	}
	for (size_t i = 0; i < l->frames_cap; i++) {
		free(l->frames[i].kids);
	}
	free(l->frames);
	anchors_clear(l);
	free(l->anchors);
	free(l);
}

unsigned kc_locator_doc_index(const struct kc_locator *l)
{
	return l->doc_index;
}

unsigned long kc_locator_events(const struct kc_locator *l)
{
	return l->events;
}

/* ---- errors ------------------------------------------------------------- */

static void fail(struct kc_locator *l, struct kc_pos pos, const char *fmt, ...)
	KC_PRINTF(3, 4);

/* Record the first problem of the current document; later ones are noise. */
static void fail(struct kc_locator *l, struct kc_pos pos, const char *fmt, ...)
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
	n->start = pos_of_mark(l, &e->start_mark);
	n->start_off = byte_of(l, e->start_mark.index);
	n->end = pos_of_mark(l, &e->end_mark);
	n->end_off = byte_of(l, e->end_mark.index);
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
	fail(l, dup->start, "duplicate key '%s' (first defined at line %u, column %u)",
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
	fail(l, at->start, "merge key '<<' needs a mapping or a list of mappings "
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
	qsort(as.v, as.n, sizeof(*as.v), assign_key_cmp);
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
	qsort(as.v, out, sizeof(*as.v), assign_first_cmp);
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
	n->end = pos_of_mark(l, &e->end_mark);
	n->end_off = byte_of(l, e->end_mark.index);
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
static bool on_event(struct kc_locator *l, struct kc_arena *a,
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
			fail(l, pos_of_mark(l, &e->start_mark),
				"nesting deeper than %zu levels (see --max-depth)",
				l->lim.max_depth);
			/* libyaml's time is quadratic in flow depth and its
			 * memory linear in any depth: feed it no more of this
			 * document (kc_locator_next resumes at the next). */
			l->abandon = true;
			l->abandon_off = byte_of(l, e->start_mark.index);
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
		struct kc_pos pos = pos_of_mark(l, &e->start_mark);
		char name[64];
		excerpt(name, sizeof(name), (const char *)e->data.alias.anchor,
			strlen((const char *)e->data.alias.anchor));
		if (target == NULL) {
			fail(l, pos, "alias '*%s' refers to no anchor", name);
			return true;
		}
		if (target->weight == 0) {
			fail(l, pos, "alias '*%s' refers to a node that contains it", name);
			return true;
		}
		l->alias_nodes = sat_add(l->alias_nodes, target->weight);
		if (l->alias_nodes > l->lim.max_alias_nodes) {
			fail(l, pos, "aliases expand to more than %zu nodes, as in "
				"an alias bomb (see --max-aliases)", l->lim.max_alias_nodes);
			return true;
		}
		/* go-yaml v2 merges an alias only if it names a mapping (a
		 * list written in place may hold mappings to merge). */
		const struct frame *f = l->depth ? &l->frames[l->depth - 1] : NULL;
		if (f != NULL && f->merge && f->n % 2 == 1 &&
			is_merge_key(f->kids[f->n - 1]) && target->type != KC_NODE_MAPPING) {
			fail(l, pos, "merge key '<<' needs a mapping or a list of "
				"mappings as its value");
			return true;
		}
		/* The tree shares the anchored node: positions inside an
		 * alias point at the anchor's text, where the value is. */
		attach(l, doc, target, true);
		return true;
	}
	case YAML_DOCUMENT_END_EVENT:
		doc->end_off = byte_of(l, e->end_mark.index);
		return false;
	default:
		return true;
	}
}

static void begin_document(struct kc_locator *l, struct kc_document *doc,
	const yaml_event_t *e)
{
	*doc = (struct kc_document){ 0 };
	doc->start = pos_of_mark(l, &e->start_mark);
	doc->start_off = byte_of(l, e->start_mark.index);
	l->doc_start_off = doc->start_off;
	l->depth = 0;
	l->bad = false;
	l->alias_nodes = 0;
	l->merge_key = NULL;
	anchors_clear(l);
}

static bool doc_is_empty(const struct kc_document *doc)
{
	return doc->root == NULL || kc_node_is_null(doc->root);
}

/* After a syntax error, resume at the next line that starts with `---`
 * past the broken document. Only recovery looks at text this way; documents
 * themselves are always split by the parser. */
static bool resync(struct kc_locator *l, size_t err_off)
{
	const unsigned char *p = (const unsigned char *)l->buf;
	size_t i = err_off;
	while (i > l->base_off && break_len(p + i - 1, 1) == 0) {
		i--;
	}
	/* i is the start of the error's line */
	for (;;) {
		if (i > l->doc_start_off && i + 3 <= l->len &&
			memcmp(p + i, "---", 3) == 0 &&
			(i + 3 == l->len || p[i + 3] == ' ' || p[i + 3] == '\t' ||
				p[i + 3] == '\r' || p[i + 3] == '\n')) {
			break;
		}
		while (i < l->len && break_len(p + i, l->len - i) == 0) {
			i++;
		}
		if (i >= l->len) {
			return false;
		}
		i += break_len(p + i, l->len - i);
	}
	/* Count the line breaks between the old base and the new one. */
	unsigned lines = l->base_line;
	for (size_t j = l->base_off; j < i;) {
		size_t b = break_len(p + j, i - j);
		if (b > 0) {
			lines++;
			j += b;
		} else {
			j++;
		}
	}
	yaml_parser_delete(&l->parser);
	l->parser_live = false;
	l->base_off = i;
	l->base_line = lines;
	parser_start(l);
	return true;
}

/*
 * "binary data" when the file looks binary: the byte at off is NUL, or the
 * file's first line is bad and a NUL comes early in the file (a binary
 * file is one error, at its first bad byte). Any other bad byte is
 * described for what it is, even in a file that holds a NUL elsewhere.
 */
static bool binary_message(const struct kc_locator *l, struct kc_loc_error *err,
	size_t off)
{
	size_t nul_off;
	if (off < l->len && l->buf[off] == '\0') {
		nul_off = off;
	} else {
		bool first_line = memchr(l->buf, '\n', off) == NULL;
		const char *nul = l->next_index == 0 && first_line
			? memchr(l->buf, '\0', l->len < 8192 ? l->len : 8192) : NULL;
		if (nul == NULL) {
			return false;
		}
		nul_off = (size_t)(nul - l->buf);
	}
	snprintf(err->message, sizeof(err->message),
		"binary data, not a YAML manifest (NUL byte at offset %zu)", nul_off);
	return true;
}

/* The input error at bad_off, in the words a user needs. */
static void invalid_input(struct kc_locator *l, struct kc_loc_error *err)
{
	const unsigned char *u = (const unsigned char *)l->buf;
	size_t off = l->bad_off;
	err->pos = kc_locator_pos_of(l->buf, l->len, off);
	if (binary_message(l, err, off)) {
		return;
	} else if (u[off] < 0x80) {
		snprintf(err->message, sizeof(err->message),
			"control character 0x%02X is not allowed in YAML", u[off]);
	} else {
		snprintf(err->message, sizeof(err->message),
			"not valid UTF-8 text at byte 0x%02X; save the file as UTF-8",
			u[off]);
	}
}

static void syntax_error(struct kc_locator *l, struct kc_loc_error *err,
	size_t *err_off)
{
	yaml_parser_t *pa = &l->parser;
	const char *problem = pa->problem ? pa->problem : "unknown error";
	if (pa->error == YAML_READER_ERROR) {
		*err_off = l->base_off + pa->problem_offset;
		if (*err_off > l->len) {
			*err_off = l->len;
		}
		/* libyaml names the bad continuation byte; point at the
		 * start of the broken sequence, which is what the user wrote. */
		const unsigned char *u = (const unsigned char *)l->buf;
		for (int k = 0; k < 3 && *err_off > l->base_off &&
			*err_off < l->len && (u[*err_off] & 0xC0) != 0xC0 &&
			u[*err_off - 1] >= 0x80; k++) {
			(*err_off)--;
		}
		err->pos = kc_locator_pos_of(l->buf, l->len, *err_off);
		if (binary_message(l, err, *err_off)) {
			return;
		} else if (*err_off < l->len) {
			snprintf(err->message, sizeof(err->message),
				"not valid UTF-8 text at byte 0x%02X (%s); save the file as UTF-8",
				(unsigned)(unsigned char)l->buf[*err_off], problem);
		} else {
			snprintf(err->message, sizeof(err->message),
				"not valid UTF-8 text (%s); save the file as UTF-8", problem);
		}
		return;
	}
	err->pos = pos_of_mark(l, &pa->problem_mark);
	*err_off = byte_of(l, pa->problem_mark.index);
	if (pa->context != NULL) {
		struct kc_pos cpos = pos_of_mark(l, &pa->context_mark);
		snprintf(err->message, sizeof(err->message),
			"invalid YAML: %s (%s at line %u, column %u)", problem,
			pa->context, cpos.line, cpos.col);
	} else {
		snprintf(err->message, sizeof(err->message), "invalid YAML: %s",
			problem);
	}
}

/* Report the bad byte as the error of the document it sits in, then go on
 * after it at the next `---` line. */
static enum kc_locator_status cut_error(struct kc_locator *l, struct kc_document *doc,
	struct kc_loc_error *err, size_t doc_start)
{
	invalid_input(l, err);
	l->doc_index = l->next_index++;
	doc->index = l->doc_index;
	l->doc_start_off = doc_start;
	if (!resync(l, l->bad_off)) {
		l->ended = true;
	}
	return KC_LOCATOR_SYNTAX_ERROR;
}

enum kc_locator_status kc_locator_next(struct kc_locator *l, struct kc_arena *a,
	struct kc_document *doc, struct kc_loc_error *err)
{
	l->err = err;
	if (l->ended) {
		return KC_LOCATOR_END;
	}
	bool in_doc = false;
	for (;;) {
		yaml_event_t e;
		if (!yaml_parser_parse(&l->parser, &e)) {
			size_t err_off = l->base_off;
			syntax_error(l, err, &err_off);
			if (l->limit < l->len && err_off >= l->limit) {
				/* The parser ran into the cut before the bad byte. */
				invalid_input(l, err);
				err_off = l->bad_off;
			}
			/* A document that was cut short still uses its index;
			 * an error between documents opens a new one. */
			l->doc_index = l->next_index++;
			doc->index = l->doc_index;
			if (!in_doc) {
				l->doc_start_off = l->base_off;
			}
			if (!resync(l, err_off)) {
				l->ended = true;
			}
			return KC_LOCATOR_SYNTAX_ERROR;
		}
		if (!in_doc) {
			if (e.type == YAML_DOCUMENT_START_EVENT) {
				begin_document(l, doc, &e);
				in_doc = true;
			} else if (e.type == YAML_STREAM_END_EVENT) {
				yaml_event_delete(&e);
				if (l->limit < l->len) {
					return cut_error(l, doc, err, l->limit);
				}
				l->ended = true;
				return KC_LOCATOR_END;
			}
			yaml_event_delete(&e);
			continue;
		}
		size_t end_index = e.end_mark.index;
		l->events++;
		bool more = on_event(l, a, doc, &e);
		yaml_event_delete(&e);
		if (l->abandon) {
			/* Resume at the next `---` line, as after a syntax error. */
			l->abandon = false;
			l->doc_index = l->next_index++;
			doc->index = l->doc_index;
			if (!resync(l, l->abandon_off)) {
				l->ended = true;
			}
			return KC_LOCATOR_BAD_DOCUMENT;
		}
		/* Stop building a document that outgrows the limit as soon as it
		 * does: its memory is bounded by the limit, not by the file. */
		if (more && !l->bad &&
			byte_of(l, end_index) - doc->start_off > l->lim.max_document_bytes) {
			fail(l, doc->start, "document is larger than the limit of %zu bytes "
				"(see --max-document-size)", l->lim.max_document_bytes);
		}
		if (more) {
			continue;
		}
		in_doc = false;
		if (l->limit < l->len && doc->end_off >= l->limit) {
			/* This document runs into the bad byte: it is cut short. */
			return cut_error(l, doc, err, doc->start_off);
		}
		if (!l->bad && doc_is_empty(doc)) {
			continue;
		}
		l->doc_index = l->next_index++;
		doc->index = l->doc_index;
		doc->merge_key = l->merge_key;
		if (l->bad) {
			return KC_LOCATOR_BAD_DOCUMENT;
		}
		if (doc->end_off - doc->start_off > l->lim.max_document_bytes) {
			err->pos = doc->start;
			snprintf(err->message, sizeof(err->message),
				"document is larger than the limit of %zu bytes "
				"(see --max-document-size)", l->lim.max_document_bytes);
			return KC_LOCATOR_BAD_DOCUMENT;
		}
		return KC_LOCATOR_DOCUMENT;
	}
}

/* ---- lookups ------------------------------------------------------------ */

bool kc_node_is_null(const struct kc_node *n)
{
	if (n == NULL || n->type != KC_NODE_SCALAR) {
		return false;
	}
	if (n->tag != NULL) {
		return strcmp(n->tag, "tag:yaml.org,2002:null") == 0;
	}
	if (n->style != KC_STYLE_PLAIN) {
		return false;
	}
	return n->len == 0 || strcmp(n->value, "~") == 0 ||
		strcmp(n->value, "null") == 0 || strcmp(n->value, "Null") == 0 ||
		strcmp(n->value, "NULL") == 0;
}

static size_t find_keyn(const struct kc_node *map, const char *key, size_t klen)
{
	if (map == NULL || map->type != KC_NODE_MAPPING) {
		return SIZE_MAX;
	}
	for (size_t i = 0; i < map->count; i++) {
		const struct kc_node *k = map->items[2 * i];
		if (k->type == KC_NODE_SCALAR && k->len == klen &&
			memcmp(k->value, key, klen) == 0) {
			return i;
		}
	}
	return SIZE_MAX;
}

static size_t find_key(const struct kc_node *map, const char *key)
{
	return find_keyn(map, key, strlen(key));
}

const struct kc_node *kc_node_get(const struct kc_node *map, const char *key)
{
	size_t i = find_key(map, key);
	return i == SIZE_MAX ? NULL : map->items[2 * i + 1];
}

const struct kc_node *kc_node_get_key(const struct kc_node *map, const char *key)
{
	size_t i = find_key(map, key);
	return i == SIZE_MAX ? NULL : map->items[2 * i];
}

const char *kc_node_get_str(const struct kc_node *map, const char *key)
{
	const struct kc_node *v = kc_node_get(map, key);
	if (v == NULL || v->type != KC_NODE_SCALAR || kc_node_is_null(v)) {
		return NULL;
	}
	return v->value;
}

void kc_path_key(struct kc_path *p, const char *key)
{
	assert(p->len < KC_PATH_MAX);
	p->seg[p->len++] = (struct kc_seg){ .key = key, .key_len = strlen(key) };
}

void kc_path_index(struct kc_path *p, size_t index)
{
	assert(p->len < KC_PATH_MAX);
	p->seg[p->len++] = (struct kc_seg){ .key = NULL, .index = index };
}

struct kc_path kc_path_join(const struct kc_path *base, const char *dotted)
{
	/* Steps point into dotted, which callers pass as a literal. */
	struct kc_path p = base ? *base : (struct kc_path){ 0 };
	const char *s = dotted;
	while (*s != '\0') {
		const char *dot = strchr(s, '.');
		size_t n = dot ? (size_t)(dot - s) : strlen(s);
		assert(p.len < KC_PATH_MAX);
		p.seg[p.len++] = (struct kc_seg){ .key = s, .key_len = n };
		s += n;
		if (*s == '.') {
			s++;
		}
	}
	return p;
}

struct kc_lookup kc_locator_find(const struct kc_node *root, const struct kc_path *path)
{
	struct kc_lookup lk = { .node = root };
	for (unsigned i = 0; i < path->len && lk.node != NULL; i++) {
		const struct kc_seg *s = &path->seg[i];
		const struct kc_node *cur = lk.node;
		if (s->key != NULL) {
			size_t k = find_keyn(cur, s->key, s->key_len);
			if (k == SIZE_MAX) {
				break;
			}
			lk.key = cur->items[2 * k];
			lk.node = cur->items[2 * k + 1];
			if ((cur->merged != NULL && cur->merged[k]) ||
				(i + 1 == path->len && cur->has_merge_key)) {
				lk.merged = true;
			}
		} else {
			if (cur->type != KC_NODE_SEQUENCE || s->index >= cur->count) {
				break;
			}
			lk.key = NULL;
			lk.node = cur->items[s->index];
		}
		lk.depth = i + 1;
	}
	lk.found = lk.node != NULL && lk.depth == path->len;
	if (!lk.found && lk.node != NULL && lk.node->has_merge_key) {
		lk.merged = true;
	}
	return lk;
}

struct kc_pos kc_lookup_pos(const struct kc_lookup *lk)
{
	if (lk->key != NULL) {
		return lk->key->start;
	}
	return lk->node ? lk->node->start : (struct kc_pos){ 1, 1 };
}

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void out_put(struct out *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (o->len + 1 < o->size) {
			o->buf[o->len] = s[i];
		}
		o->len++;
	}
}

static void out_str(struct out *o, const char *s)
{
	out_put(o, s, strlen(s));
}

static bool needs_quotes(const char *key, size_t n)
{
	if (n == 0) {
		return true;
	}
	for (size_t i = 0; i < n; i++) {
		char c = key[i];
		if (c == '.' || c == '/' || c == '[' || c == ']' || c == '"' ||
			c == ' ' || (unsigned char)c < 0x20) {
			return true;
		}
	}
	return false;
}

size_t kc_path_format(const struct kc_node *root, const struct kc_path *path,
	char *buf, size_t size)
{
	struct out o = { buf, size, 0 };
	const struct kc_node *cur = root;
	for (unsigned i = 0; i < path->len; i++) {
		const struct kc_seg *s = &path->seg[i];
		if (s->key != NULL) {
			if (needs_quotes(s->key, s->key_len)) {
				out_str(&o, "[\"");
				out_put(&o, s->key, s->key_len);
				out_str(&o, "\"]");
			} else {
				if (i > 0) {
					out_str(&o, ".");
				}
				out_put(&o, s->key, s->key_len);
			}
			size_t k = find_keyn(cur, s->key, s->key_len);
			cur = k == SIZE_MAX ? NULL : cur->items[2 * k + 1];
			continue;
		}
		const struct kc_node *item = NULL;
		if (cur != NULL && cur->type == KC_NODE_SEQUENCE && s->index < cur->count) {
			item = cur->items[s->index];
		}
		const char *name = kc_node_get_str(item, "name");
		out_str(&o, "[");
		/* A name longer than any Kubernetes name (253) would make
		 * every path through it as long: use the index. */
		if (name != NULL && *name != '\0' && strpbrk(name, "[]") == NULL &&
			strlen(name) <= 256) {
			out_str(&o, name);
		} else {
			char num[32];
			snprintf(num, sizeof(num), "%u", (unsigned)s->index);
			out_str(&o, num);
		}
		out_str(&o, "]");
		cur = item;
	}
	if (size > 0) {
		buf[o.len < size ? o.len : size - 1] = '\0';
	}
	return o.len;
}
