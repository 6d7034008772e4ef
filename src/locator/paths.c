/* Paths and lookups over a document's node tree. */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8scheck/locator.h"
#include "k8scheck/scalar.h"

/* ---- lookups ------------------------------------------------------------ */

bool kc_node_is_null(const struct kc_node *n)
{
	if (n == NULL || n->type != KC_NODE_SCALAR) {
		return false;
	}
	return kc_scalar_resolve(n->value, n->len, n->style == KC_STYLE_PLAIN,
		n->tag) == KC_SCALAR_NULL;
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
