/*
 * libFuzzer target for the locator: split the input into documents with
 * kc_locator_next() until KC_LOCATOR_END, each into a fresh arena, then
 * walk every document's tree and check what the rest of the program relies
 * on: positions are 1-based, byte ranges lie inside the buffer and are
 * ordered, a path built from existing nodes finds exactly those nodes, and
 * kc_path_format() agrees with itself on the length it needs.
 *
 * A broken invariant aborts (assert is kept: the fuzz build is never NDEBUG),
 * so libFuzzer saves the input as a crash.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8scheck/arena.h"
#include "k8scheck/locator.h"

#ifdef NDEBUG
#error "fuzz targets must not be built with NDEBUG"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aliases share nodes, so an expanded tree can be far larger than the text;
 * the walk stops after this many visits per document. */
#define MAX_VISITS 20000u

struct walk {
	const char *buf;
	size_t len;
	const struct kc_node *root;
	unsigned visits;
	char text[4096];
};

static void check_node(const struct walk *w, const struct kc_node *n)
{
	assert(n->start.line >= 1 && n->start.col >= 1);
	assert(n->end.line >= 1 && n->end.col >= 1);
	assert(n->start_off <= n->end_off);
	assert(n->end_off <= w->len);
	if (n->type == KC_NODE_SCALAR) {
		assert(n->value != NULL);
		assert(n->value[n->len] == '\0');
		assert(n->items == NULL);
	} else {
		assert(n->value == NULL);
		assert(n->count == 0 || n->items != NULL);
	}
	/* Only a mapping with a merge key has merged pairs. */
	assert(n->merged == NULL || n->has_merge_key);
	assert(n->weight >= 1);
}

static void check_path(struct walk *w, const struct kc_node *n,
	const struct kc_path *p)
{
	struct kc_lookup lk = kc_locator_find(w->root, p);
	assert(lk.found);
	assert(lk.node == n);
	assert(lk.depth == p->len);
	struct kc_pos pos = kc_lookup_pos(&lk);
	assert(pos.line >= 1 && pos.col >= 1);

	size_t need = kc_path_format(w->root, p, NULL, 0);
	size_t got = kc_path_format(w->root, p, w->text, sizeof(w->text));
	assert(need == got);
	assert(w->text[got < sizeof(w->text) ? got : sizeof(w->text) - 1] == '\0');
	/* A short buffer truncates but still terminates. */
	char small[8];
	memset(small, 'x', sizeof(small));
	assert(kc_path_format(w->root, p, small, sizeof(small)) == need);
	assert(memchr(small, '\0', sizeof(small)) != NULL);
}

static void walk(struct walk *w, const struct kc_node *n, struct kc_path *p)
{
	if (w->visits++ >= MAX_VISITS) {
		return;
	}
	check_node(w, n);
	check_path(w, n, p);
	if (p->len >= KC_PATH_MAX || n->type == KC_NODE_SCALAR) {
		return;
	}
	if (n->type == KC_NODE_SEQUENCE) {
		for (size_t i = 0; i < n->count; i++) {
			kc_path_index(p, i);
			walk(w, n->items[i], p);
			p->len--;
		}
		return;
	}
	for (size_t i = 0; i < n->count; i++) {
		const struct kc_node *k = n->items[2 * i];
		const struct kc_node *v = n->items[2 * i + 1];
		check_node(w, k);
		/* Only scalar keys can be named by a path. */
		if (k->type != KC_NODE_SCALAR) {
			continue;
		}
		p->seg[p->len++] = (struct kc_seg){ .key = k->value, .key_len = k->len };
		walk(w, v, p);
		p->len--;
	}
	/* The accessors the loader and rules use. */
	(void)kc_node_get_str(n, "name");
	(void)kc_node_get_str(n, "kind");
	(void)kc_node_get_key(n, "apiVersion");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct kc_locator *l = kc_locator_create(buf, size, &kc_limits_default);
	unsigned last_index = 0;
	bool first = true;
	/* Each call makes progress or ends; the bound turns a hang into a
	 * crash report instead of a timeout. */
	for (unsigned calls = 0;; calls++) {
		assert(calls <= size + 2);
		struct kc_arena *a = kc_arena_create();
		struct kc_document doc;
		struct kc_loc_error err;
		enum kc_locator_status st = kc_locator_next(l, a, &doc, &err);
		if (st == KC_LOCATOR_END) {
			kc_arena_destroy(a);
			break;
		}
		/* Document indices only grow. */
		assert(first || doc.index > last_index);
		assert(kc_locator_doc_index(l) == doc.index);
		first = false;
		last_index = doc.index;
		if (st == KC_LOCATOR_DOCUMENT) {
			assert(doc.root != NULL);
			assert(doc.start_off <= doc.end_off && doc.end_off <= size);
			struct walk w = { .buf = buf, .len = size, .root = doc.root };
			struct kc_path p = { 0 };
			walk(&w, doc.root, &p);
			struct kc_pos pos = kc_locator_pos_of(buf, size, doc.root->start_off);
			assert(pos.line >= 1 && pos.col >= 1);
		} else {
			assert(st == KC_LOCATOR_BAD_DOCUMENT || st == KC_LOCATOR_SYNTAX_ERROR);
			assert(err.pos.line >= 1 && err.pos.col >= 1);
			assert(memchr(err.message, '\0', sizeof(err.message)) != NULL);
			assert(err.message[0] != '\0');
		}
		kc_arena_destroy(a);
	}
	kc_locator_destroy(l);
	return 0;
}
