#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static struct kc_arena *arena;
static struct kc_locator *loc;
static struct kc_loc_error err;
static char *big;                /* a generated input, freed by teardown */

static void setup(void)
{
	arena = kc_arena_create();
	loc = NULL;
	big = NULL;
	memset(&err, 0, sizeof(err));
}

static void teardown(void)
{
	kc_locator_destroy(loc);
	kc_arena_destroy(arena);
	free(big);
}

/* Start reading yaml (len bytes; 0 means strlen) with limits (NULL: default). */
static void open_n(const char *yaml, size_t len, const struct kc_limits *lim)
{
	kc_locator_destroy(loc);
	loc = kc_locator_create(yaml, len ? len : strlen(yaml), lim);
}

static enum kc_locator_status next(struct kc_document *doc)
{
	memset(&err, 0, sizeof(err));
	return kc_locator_next(loc, arena, doc, &err);
}

/* The next status must be a document; return its root. */
static const struct kc_node *next_doc(unsigned index)
{
	struct kc_document doc;
	enum kc_locator_status st = next(&doc);
	ck_assert_msg(st == KC_LOCATOR_DOCUMENT, "status %d: %u:%u: %s", (int)st,
		err.pos.line, err.pos.col, err.message);
	ck_assert_uint_eq(doc.index, index);
	ck_assert_uint_eq(kc_locator_doc_index(loc), index);
	ck_assert_ptr_nonnull(doc.root);
	return doc.root;
}

/* The next status must be st at line:col with message msg. */
static void next_error(enum kc_locator_status st, unsigned index, unsigned line,
	unsigned col, const char *msg)
{
	struct kc_document doc;
	enum kc_locator_status got = next(&doc);
	ck_assert_msg(got == st, "status %d, wanted %d (%s)", (int)got, (int)st,
		err.message);
	ck_assert_uint_eq(doc.index, index);
	ck_assert_uint_eq(kc_locator_doc_index(loc), index);
	ck_assert_str_eq(err.message, msg);
	ck_assert_uint_eq(err.pos.line, line);
	ck_assert_uint_eq(err.pos.col, col);
}

static void next_end(void)
{
	struct kc_document doc;
	ck_assert_int_eq(next(&doc), KC_LOCATOR_END);
	ck_assert_int_eq(next(&doc), KC_LOCATOR_END);
}

static void assert_pos(struct kc_pos p, unsigned line, unsigned col)
{
	ck_assert_uint_eq(p.line, line);
	ck_assert_uint_eq(p.col, col);
}

/* n's byte range in buf is exactly text. */
static void assert_span(const char *buf, const struct kc_node *n, const char *text)
{
	ck_assert_uint_eq(n->end_off - n->start_off, strlen(text));
	ck_assert_mem_eq(buf + n->start_off, text, strlen(text));
}

/* The key node of the last step of path text s. */
static const struct kc_node *key_of(const struct kc_node *root, const char *s)
{
	struct kc_path p = t_path(s);
	struct kc_lookup lk = kc_locator_find(root, &p);
	ck_assert(lk.found);
	ck_assert_ptr_nonnull(lk.key);
	return lk.key;
}

/* ---- positions ---------------------------------------------------------- */

START_TEST(positions_are_one_based)
{
	const struct kc_node *root = t_parse(arena,
		"apiVersion: v1\n"
		"kind: Pod\n"
		"spec:\n"
		"  containers:\n"
		"  - name: app\n"
		"    image: nginx\n");
	struct kc_path p = kc_path_join(NULL, "spec.containers");
	kc_path_index(&p, 0);
	p = kc_path_join(&p, "image");
	struct kc_lookup lk = kc_locator_find(root, &p);
	ck_assert(lk.found);
	struct kc_pos pos = kc_lookup_pos(&lk);
	ck_assert_uint_eq(pos.line, 6);
	ck_assert_uint_eq(pos.col, 5);
	ck_assert_uint_eq(lk.node->start.col, 12);
	ck_assert_str_eq(lk.node->value, "nginx");
}
END_TEST

START_TEST(scalars_and_keys)
{
	const char *y =
		"apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: 'prod'\n";
	const struct kc_node *root = t_parse(arena, y);
	ck_assert_int_eq(root->type, KC_NODE_MAPPING);
	ck_assert_int_eq(root->style, KC_STYLE_BLOCK);
	ck_assert_uint_eq(root->count, 3);
	assert_pos(root->start, 1, 1);

	const struct kc_node *kind = t_find(root, "kind");
	ck_assert_int_eq(kind->type, KC_NODE_SCALAR);
	ck_assert_int_eq(kind->style, KC_STYLE_PLAIN);
	ck_assert_str_eq(kind->value, "Pod");
	ck_assert_uint_eq(kind->len, 3);
	ck_assert_ptr_null(kind->tag);
	assert_pos(kind->start, 2, 7);
	assert_pos(kind->end, 2, 10);
	ck_assert_uint_eq(kind->start_off, 21);
	assert_span(y, kind, "Pod");

	const struct kc_node *k = key_of(root, "kind");
	ck_assert_str_eq(k->value, "kind");
	assert_pos(k->start, 2, 1);
	assert_span(y, k, "kind");

	const struct kc_node *name = t_find(root, "metadata.name");
	assert_pos(name->start, 4, 9);
	assert_span(y, name, "web");
	const struct kc_node *nk = key_of(root, "metadata.name");
	assert_pos(nk->start, 4, 3);
	assert_span(y, nk, "name");

	const struct kc_node *ns = t_find(root, "metadata.namespace");
	ck_assert_int_eq(ns->style, KC_STYLE_SINGLE_QUOTED);
	ck_assert_str_eq(ns->value, "prod");
	assert_pos(ns->start, 5, 14);
	assert_pos(ns->end, 5, 20);
	assert_span(y, ns, "'prod'");

	/* kc_lookup_pos points at the key of a mapping value. */
	struct kc_path p = t_path("metadata.namespace");
	struct kc_lookup lk = kc_locator_find(root, &p);
	assert_pos(kc_lookup_pos(&lk), 5, 3);
	ck_assert_uint_eq(lk.depth, 2);

	ck_assert_ptr_eq(kc_node_get(root, "kind"), kind);
	ck_assert_ptr_eq(kc_node_get_key(root, "kind"), k);
	ck_assert_str_eq(kc_node_get_str(root, "apiVersion"), "v1");
	ck_assert_ptr_null(kc_node_get(root, "spec"));
	ck_assert_ptr_null(kc_node_get(kind, "x"));
	ck_assert_ptr_null(kc_node_get_str(root, "metadata"));
}
END_TEST

START_TEST(sequence_items)
{
	const char *y =
		"args:\n"
		"- one\n"
		"-   two\n"
		"- - nested\n"
		"  - deeper\n"
		"ports:\n"
		"  - 80\n";
	const struct kc_node *root = t_parse(arena, y);
	const struct kc_node *args = t_find(root, "args");
	ck_assert_int_eq(args->type, KC_NODE_SEQUENCE);
	ck_assert_int_eq(args->style, KC_STYLE_BLOCK);
	ck_assert_uint_eq(args->count, 3);
	assert_pos(args->start, 2, 1);

	assert_pos(t_find(root, "args[0]")->start, 2, 3);
	const struct kc_node *two = t_find(root, "args[1]");
	assert_pos(two->start, 3, 5);
	assert_span(y, two, "two");
	const struct kc_node *inner = t_find(root, "args[2]");
	ck_assert_int_eq(inner->type, KC_NODE_SEQUENCE);
	assert_pos(inner->start, 4, 3);
	const struct kc_node *deeper = t_find(root, "args[2][1]");
	assert_pos(deeper->start, 5, 5);
	assert_span(y, deeper, "deeper");

	/* A sequence item has no key: the lookup points at the item. */
	struct kc_path p = t_path("args[1]");
	struct kc_lookup lk = kc_locator_find(root, &p);
	ck_assert_ptr_null(lk.key);
	assert_pos(kc_lookup_pos(&lk), 3, 5);

	/* An index past the end stops at the sequence. */
	p = t_path("args[3]");
	lk = kc_locator_find(root, &p);
	ck_assert(!lk.found);
	ck_assert_uint_eq(lk.depth, 1);
	ck_assert_ptr_eq(lk.node, args);
	assert_pos(kc_lookup_pos(&lk), 1, 1);

	assert_pos(t_find(root, "ports[0]")->start, 7, 5);
}
END_TEST

START_TEST(flow_style)
{
	const char *y =
		"spec: {containers: [{name: a, image: \"x:1\"}, {name: b}]}\n";
	const struct kc_node *root = t_parse(arena, y);
	const struct kc_node *spec = t_find(root, "spec");
	ck_assert_int_eq(spec->type, KC_NODE_MAPPING);
	ck_assert_int_eq(spec->style, KC_STYLE_FLOW);
	assert_pos(spec->start, 1, 7);
	const struct kc_node *cs = t_find(root, "spec.containers");
	ck_assert_int_eq(cs->type, KC_NODE_SEQUENCE);
	ck_assert_int_eq(cs->style, KC_STYLE_FLOW);
	ck_assert_uint_eq(cs->count, 2);
	assert_pos(cs->start, 1, 20);
	assert_pos(cs->end, 1, 56);
	assert_span(y, cs, "[{name: a, image: \"x:1\"}, {name: b}]");

	const struct kc_node *image = t_find(root, "spec.containers[0].image");
	ck_assert_int_eq(image->style, KC_STYLE_DOUBLE_QUOTED);
	ck_assert_str_eq(image->value, "x:1");
	assert_pos(image->start, 1, 38);
	assert_pos(image->end, 1, 43);
	assert_span(y, image, "\"x:1\"");
	assert_pos(key_of(root, "spec.containers[0].image")->start, 1, 31);

	const struct kc_node *b = t_find(root, "spec.containers[1]");
	assert_pos(b->start, 1, 46);
	assert_span(y, b, "{name: b}");
	assert_pos(t_find(root, "spec.containers[1].name")->start, 1, 53);
}
END_TEST

START_TEST(json)
{
	const char *y =
		"{\n"
		"  \"apiVersion\": \"v1\",\n"
		"  \"kind\": \"Pod\",\n"
		"  \"spec\": {\n"
		"    \"containers\": [\n"
		"      {\"name\": \"app\", \"image\": \"nginx\"}\n"
		"    ]\n"
		"  }\n"
		"}\n";
	const struct kc_node *root = t_parse(arena, y);
	ck_assert_int_eq(root->style, KC_STYLE_FLOW);
	assert_pos(root->start, 1, 1);
	ck_assert_str_eq(kc_node_get_str(root, "kind"), "Pod");
	assert_pos(key_of(root, "kind")->start, 3, 3);
	const struct kc_node *kind = t_find(root, "kind");
	ck_assert_int_eq(kind->style, KC_STYLE_DOUBLE_QUOTED);
	assert_pos(kind->start, 3, 11);
	assert_span(y, kind, "\"Pod\"");
	const struct kc_node *image = t_find(root, "spec.containers[0].image");
	assert_pos(image->start, 6, 32);
	assert_span(y, image, "\"nginx\"");
	assert_pos(key_of(root, "spec.containers[0].image")->start, 6, 23);
	ck_assert_str_eq(t_format(root, "spec.containers[0].image"),
		"spec.containers[app].image");
}
END_TEST

/* ---- encodings and line ends -------------------------------------------- */

START_TEST(utf8_columns_count_characters)
{
	const char *y =
		"note: \"h\xC3\xA9llo w\xC3\xB6rld\"\n"                 /* héllo wörld */
		"name: ok\n"
		"x: {\xD0\xBA\xD0\xBB\xD1\x8E\xD1\x87: "               /* ключ */
		/* значение */
		"\xD0\xB7\xD0\xBD\xD0\xB0\xD1\x87\xD0\xB5\xD0\xBD\xD0\xB8\xD0\xB5, "
		"k: v}\n"
		"emoji: \xF0\x9F\x98\x80\xF0\x9F\x98\x80 tail\n"       /* two 4-byte characters */
		"last: z\n";
	const struct kc_node *root = t_parse(arena, y);
	const struct kc_node *note = t_find(root, "note");
	assert_pos(note->start, 1, 7);
	assert_pos(note->end, 1, 20);
	assert_span(y, note, "\"h\xC3\xA9llo w\xC3\xB6rld\"");

	const struct kc_node *ok = t_find(root, "name");
	assert_pos(ok->start, 2, 7);
	ck_assert_uint_eq(ok->start_off, 28);
	assert_span(y, ok, "ok");

	const struct kc_node *kk = key_of(root, "x.\xD0\xBA\xD0\xBB\xD1\x8E\xD1\x87");
	assert_pos(kk->start, 3, 5);
	assert_span(y, kk, "\xD0\xBA\xD0\xBB\xD1\x8E\xD1\x87");
	const struct kc_node *zn = t_find(root, "x.\xD0\xBA\xD0\xBB\xD1\x8E\xD1\x87");
	assert_pos(zn->start, 3, 11);
	assert_pos(zn->end, 3, 19);
	assert_span(y, zn, "\xD0\xB7\xD0\xBD\xD0\xB0\xD1\x87\xD0\xB5\xD0\xBD\xD0\xB8\xD0\xB5");

	const struct kc_node *v = t_find(root, "x.k");
	assert_pos(v->start, 3, 24);
	ck_assert_uint_eq(v->start_off, (size_t)(strstr(y, "v}") - y));
	assert_span(y, v, "v");
	assert_span(y, t_find(root, "x"), "{\xD0\xBA\xD0\xBB\xD1\x8E\xD1\x87: "
		"\xD0\xB7\xD0\xBD\xD0\xB0\xD1\x87\xD0\xB5\xD0\xBD\xD0\xB8\xD0\xB5, k: v}");

	const struct kc_node *emoji = t_find(root, "emoji");
	assert_pos(emoji->start, 4, 8);
	assert_pos(emoji->end, 4, 15);
	ck_assert_str_eq(emoji->value, "\xF0\x9F\x98\x80\xF0\x9F\x98\x80 tail");
	assert_span(y, emoji, "\xF0\x9F\x98\x80\xF0\x9F\x98\x80 tail");
	const struct kc_node *z = t_find(root, "last");
	assert_pos(z->start, 5, 7);
	assert_span(y, z, "z");
}
END_TEST

START_TEST(crlf_lines_and_offsets)
{
	const char *y =
		"a: 1\r\n"
		"b:\r\n"
		"  c: x\r\n"
		"d: |\r\n"
		"  l1\r\n"
		"  l2\r\n"
		"e: \xC3\xA9t\xC3\xA9\r\n"                               /* été */
		"f: end\r\n"
		"---\r\n"
		"g: 7\r\n";
	open_n(y, 0, NULL);
	const struct kc_node *root = next_doc(0);
	const struct kc_node *c = t_find(root, "b.c");
	assert_pos(c->start, 3, 6);
	ck_assert_uint_eq(c->start_off, 15);
	assert_span(y, c, "x");
	const struct kc_node *d = t_find(root, "d");
	ck_assert_int_eq(d->style, KC_STYLE_LITERAL);
	/* libyaml turns every line break of a block scalar into \n. */
	ck_assert_str_eq(d->value, "l1\nl2\n");
	assert_pos(d->start, 4, 4);
	assert_pos(key_of(root, "e")->start, 7, 1);
	const struct kc_node *e = t_find(root, "e");
	assert_pos(e->start, 7, 4);
	assert_span(y, e, "\xC3\xA9t\xC3\xA9");
	const struct kc_node *f = t_find(root, "f");
	assert_pos(f->start, 8, 4);
	assert_span(y, f, "end");
	root = next_doc(1);
	const struct kc_node *g = t_find(root, "g");
	assert_pos(g->start, 10, 4);
	ck_assert_uint_eq(g->start_off, (size_t)(strstr(y, "7\r\n") - y));
	assert_span(y, g, "7");
	next_end();
}
END_TEST

START_TEST(crlf_pos_of)
{
	const char *y = "a\r\nb\rc\nd";
	size_t n = strlen(y);
	assert_pos(kc_locator_pos_of(y, n, 0), 1, 1);
	assert_pos(kc_locator_pos_of(y, n, 1), 1, 2);
	assert_pos(kc_locator_pos_of(y, n, 3), 2, 1);  /* CR LF is one break */
	assert_pos(kc_locator_pos_of(y, n, 5), 3, 1);  /* a lone CR is a break */
	assert_pos(kc_locator_pos_of(y, n, 7), 4, 1);
	assert_pos(kc_locator_pos_of(y, n, 8), 4, 2);
	assert_pos(kc_locator_pos_of(y, n, 100), 4, 2);  /* clamped to the end */
}
END_TEST

START_TEST(utf8_bom_is_skipped)
{
	const char *y = "\xEF\xBB\xBF" "a: 1\nb: 2\n";
	open_n(y, 0, NULL);
	const struct kc_node *root = next_doc(0);
	const struct kc_node *ka = key_of(root, "a");
	assert_pos(ka->start, 1, 1);
	ck_assert_uint_eq(ka->start_off, 3);
	assert_span(y, ka, "a");
	const struct kc_node *b = t_find(root, "b");
	assert_pos(b->start, 2, 4);
	ck_assert_uint_eq(b->start_off, 11);
	assert_span(y, b, "2");
	next_end();

	assert_pos(kc_locator_pos_of(y, strlen(y), 3), 1, 1);
	assert_pos(kc_locator_pos_of(y, strlen(y), 11), 2, 4);
}
END_TEST

START_TEST(utf8_bom_with_multibyte_text)
{
	/* A BOM plus non-ASCII text takes the character-counting path. */
	const char *y = "\xEF\xBB\xBF" "\xC3\xA9: x\n" "k: [\xE2\x82\xAC, y]\n";
	open_n(y, 0, NULL);
	const struct kc_node *root = next_doc(0);
	const struct kc_node *x = t_find(root, "\xC3\xA9");
	assert_pos(x->start, 1, 4);
	ck_assert_uint_eq(x->start_off, 7);
	assert_span(y, x, "x");
	const struct kc_node *yy = t_find(root, "k[1]");
	assert_pos(yy->start, 2, 8);
	assert_span(y, yy, "y");
	assert_pos(kc_locator_pos_of(y, strlen(y), yy->start_off), 2, 8);
}
END_TEST

/* ---- streams ------------------------------------------------------------- */

START_TEST(multi_document_stream)
{
	const char *y =
		"a: 1\n"                     /* 1 */
		"---\n"                      /* 2 */
		"b: |\n"                     /* 3 */
		"  ---\n"                    /* 4: inside the block scalar */
		"  not a document\n"         /* 5 */
		"c: 2\n"                     /* 6 */
		"---\n"                      /* 7: empty */
		"---\n"                      /* 8 */
		"# only a comment\n"         /* 9 */
		"---\n"                      /* 10 */
		"~\n"                        /* 11: null */
		"...\n"                      /* 12 */
		"---\n"                      /* 13 */
		"d: 4\n";                    /* 14 */
	open_n(y, 0, NULL);
	struct kc_document doc;
	ck_assert_int_eq(next(&doc), KC_LOCATOR_DOCUMENT);
	ck_assert_uint_eq(doc.index, 0);
	assert_pos(doc.start, 1, 1);
	ck_assert_uint_eq(doc.start_off, 0);
	ck_assert_str_eq(kc_node_get_str(doc.root, "a"), "1");
	ck_assert_ptr_null(doc.merge_key);

	ck_assert_int_eq(next(&doc), KC_LOCATOR_DOCUMENT);
	ck_assert_uint_eq(doc.index, 1);
	assert_pos(doc.start, 2, 1);
	ck_assert_uint_eq(doc.start_off, 5);
	ck_assert_uint_eq(doc.root->count, 2);
	ck_assert_str_eq(kc_node_get_str(doc.root, "b"), "---\nnot a document\n");
	assert_pos(key_of(doc.root, "c")->start, 6, 1);

	ck_assert_int_eq(next(&doc), KC_LOCATOR_DOCUMENT);
	ck_assert_uint_eq(doc.index, 2);
	assert_pos(doc.start, 13, 1);
	ck_assert_uint_eq(doc.start_off, (size_t)(strstr(y, "---\nd:") - y));
	assert_pos(key_of(doc.root, "d")->start, 14, 1);
	ck_assert_uint_eq(kc_locator_doc_index(loc), 2);
	next_end();
}
END_TEST

START_TEST(empty_streams)
{
	struct kc_document doc;
	open_n("", 0, NULL);
	ck_assert_int_eq(next(&doc), KC_LOCATOR_END);
	open_n("# nothing here\n\n", 0, NULL);
	ck_assert_int_eq(next(&doc), KC_LOCATOR_END);
	open_n("---\n---\n...\n", 0, NULL);
	ck_assert_int_eq(next(&doc), KC_LOCATOR_END);
	/* A quoted empty string is a value, not an empty document. */
	open_n("--- ''\n", 0, NULL);
	const struct kc_node *root = next_doc(0);
	ck_assert_int_eq(root->type, KC_NODE_SCALAR);
	ck_assert_str_eq(root->value, "");
	next_end();
}
END_TEST

/* ---- duplicate keys ------------------------------------------------------ */

START_TEST(duplicate_keys_small)
{
	open_n(
		"a: 1\n"
		"b:\n"
		"  c: 1\n"
		"  d: 2\n"
		"  c: 3\n"
		"---\n"
		"ok: 1\n"
		"'ok': 2\n"
		"---\n"
		"fine: 1\n", 0, NULL);
	next_error(KC_LOCATOR_BAD_DOCUMENT, 0, 5, 3,
		"duplicate key 'c' (first defined at line 3, column 3)");
	/* A quoted key is the same key. */
	next_error(KC_LOCATOR_BAD_DOCUMENT, 1, 8, 1,
		"duplicate key 'ok' (first defined at line 7, column 1)");
	const struct kc_node *root = next_doc(2);
	ck_assert_str_eq(kc_node_get_str(root, "fine"), "1");
	next_end();
}
END_TEST

START_TEST(duplicate_keys_large)
{
	/* More than 32 keys takes the sorting path; the repeat that comes
	 * first in the file is reported, against the key's first line. */
	size_t cap = 4096, n = 0;
	big = malloc(cap);
	for (int i = 0; i < 40; i++) {
		n += (size_t)snprintf(big + n, cap - n, "key%02d: %d\n", i, i);
	}
	n += (size_t)snprintf(big + n, cap - n, "key05: again\n");   /* line 41 */
	n += (size_t)snprintf(big + n, cap - n, "key02: again\n");   /* line 42 */
	n += (size_t)snprintf(big + n, cap - n, "key05: thrice\n");  /* line 43 */
	open_n(big, n, NULL);
	next_error(KC_LOCATOR_BAD_DOCUMENT, 0, 41, 1,
		"duplicate key 'key05' (first defined at line 6, column 1)");
	next_end();
}
END_TEST

START_TEST(duplicate_keys_large_clean)
{
	size_t cap = 4096, n = 0;
	big = malloc(cap);
	for (int i = 0; i < 100; i++) {
		n += (size_t)snprintf(big + n, cap - n, "k%03d: %d\n", 99 - i, i);
	}
	open_n(big, n, NULL);
	const struct kc_node *root = next_doc(0);
	ck_assert_uint_eq(root->count, 100);
	ck_assert_str_eq(kc_node_get_str(root, "k000"), "99");
	next_end();
}
END_TEST

START_TEST(duplicate_key_long_name_is_cut)
{
	open_n(
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa: 1\n"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa: 2\n",
		0, NULL);
	next_error(KC_LOCATOR_BAD_DOCUMENT, 0, 2, 1,
		"duplicate key 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' "
		"(first defined at line 1, column 1)");
}
END_TEST

/* ---- limits -------------------------------------------------------------- */

START_TEST(depth_limit)
{
	struct kc_limits lim = kc_limits_default;
	lim.max_depth = 3;
	open_n(
		"a:\n"
		"  b:\n"
		"    c: 1\n"
		"---\n"
		"a:\n"
		"  b:\n"
		"    c:\n"
		"      d: 1\n"
		"---\n"
		"x: [[[1]]]\n"
		"---\n"
		"y: 1\n", 0, &lim);
	const struct kc_node *root = next_doc(0);
	ck_assert_str_eq(t_find(root, "a.b.c")->value, "1");
	next_error(KC_LOCATOR_BAD_DOCUMENT, 1, 8, 7,
		"nesting deeper than 3 levels (see --max-depth)");
	next_error(KC_LOCATOR_BAD_DOCUMENT, 2, 10, 6,
		"nesting deeper than 3 levels (see --max-depth)");
	root = next_doc(3);
	ck_assert_str_eq(kc_node_get_str(root, "y"), "1");
	next_end();
}
END_TEST

START_TEST(depth_limit_default)
{
	char text[2 * 300 + 2];
	memset(text, '[', 300);
	memset(text + 300, ']', 300);
	text[600] = '\n';
	text[601] = '\0';
	open_n(text, 0, NULL);
	next_error(KC_LOCATOR_BAD_DOCUMENT, 0, 1, 257,
		"nesting deeper than 256 levels (see --max-depth)");
	next_end();
}
END_TEST

/* Build prefix + n copies of open + n copies of close + suffix in big. */
static size_t nest(const char *prefix, const char *open, const char *close,
	size_t n, const char *suffix)
{
	size_t po = strlen(prefix), oo = strlen(open), co = strlen(close), so = strlen(suffix);
	big = malloc(po + n * (oo + co) + so + 1);
	ck_assert_ptr_nonnull(big);
	size_t k = 0;
	memcpy(big, prefix, po);
	k += po;
	for (size_t i = 0; i < n; i++, k += oo) {
		memcpy(big + k, open, oo);
	}
	for (size_t i = 0; i < n; i++, k += co) {
		memcpy(big + k, close, co);
	}
	memcpy(big + k, suffix, so + 1);
	return k + so;
}

/* At the depth limit the document is dropped at once: libyaml is quadratic
 * in flow depth (200 KB of `[` took 40 s) and keeps a stack entry per level
 * of any nesting (40 MB of `- ` took 2.2 GB). The events read show it. */
START_TEST(depth_limit_stops_parsing_flow)
{
	size_t n = nest("a: ", "[", "]", 100000, "\n---\nb: 1\n");
	open_n(big, n, NULL);
	next_error(KC_LOCATOR_BAD_DOCUMENT, 0, 1, 259,
		"nesting deeper than 256 levels (see --max-depth)");
	ck_assert_uint_lt(kc_locator_events(loc), 300);
	const struct kc_node *root = next_doc(1);
	ck_assert_str_eq(kc_node_get_str(root, "b"), "1");
	next_end();
}
END_TEST

START_TEST(depth_limit_stops_parsing_block)
{
	size_t n = nest("", "- ", "", 1000000, "x\n---\nb: 1\n");
	open_n(big, n, NULL);
	next_error(KC_LOCATOR_BAD_DOCUMENT, 0, 1, 513,
		"nesting deeper than 256 levels (see --max-depth)");
	ck_assert_uint_lt(kc_locator_events(loc), 300);
	next_doc(1);
	next_end();
}
END_TEST

/* A document that already has an error still stops at the depth limit. */
START_TEST(depth_limit_stops_parsing_after_an_error)
{
	size_t n = nest("a: *nowhere\nb: ", "[", "]", 100000, "\n");
	open_n(big, n, NULL);
	next_error(KC_LOCATOR_BAD_DOCUMENT, 0, 1, 4,
		"alias '*nowhere' refers to no anchor");
	ck_assert_uint_lt(kc_locator_events(loc), 300);
	next_end();
}
END_TEST

START_TEST(document_size_limit)
{
	struct kc_limits lim = kc_limits_default;
	lim.max_document_bytes = 16;
	open_n(
		"a: 1\n"
		"---\n"
		"long: 0123456789abcdef\n"
		"---\n"
		"b: 2\n", 0, &lim);
	next_doc(0);
	next_error(KC_LOCATOR_BAD_DOCUMENT, 1, 2, 1,
		"document is larger than the limit of 16 bytes (see --max-document-size)");
	next_doc(2);
	next_end();
	kc_locator_destroy(NULL);
}
END_TEST

/* A document over the limit stops being built when it passes the limit, so
 * its memory follows the limit, not the document. */
START_TEST(document_size_limit_bounds_memory)
{
	enum { ITEMS = 20000 };
	size_t cap = 64 + ITEMS * 16;
	char *yaml = malloc(cap);
	ck_assert_ptr_nonnull(yaml);
	size_t n = (size_t)snprintf(yaml, cap, "list:\n");
	for (unsigned i = 0; i < ITEMS; i++) {
		n += (size_t)snprintf(yaml + n, cap - n, "- item%05u\n", i);
	}
	n += (size_t)snprintf(yaml + n, cap - n, "---\nb: 2\n");
	struct kc_limits lim = kc_limits_default;
	lim.max_document_bytes = 4096;
	struct kc_arena *a = kc_arena_create();
	struct kc_locator *l = kc_locator_create(yaml, n, &lim);
	struct kc_document doc;
	struct kc_loc_error e;
	ck_assert_int_eq(kc_locator_next(l, a, &doc, &e), KC_LOCATOR_BAD_DOCUMENT);
	ck_assert_str_eq(e.message,
		"document is larger than the limit of 4096 bytes (see --max-document-size)");
	/* The whole list as nodes would take megabytes. */
	ck_assert_uint_lt(kc_arena_used(a), 64 * 1024);
	kc_arena_reset(a);
	ck_assert_int_eq(kc_locator_next(l, a, &doc, &e), KC_LOCATOR_DOCUMENT);
	ck_assert_uint_eq(doc.index, 1);
	kc_locator_destroy(l);
	kc_arena_destroy(a);
	free(yaml);
}
END_TEST

/* ---- aliases ------------------------------------------------------------- */

START_TEST(alias_shares_the_anchored_node)
{
	const char *y =
		"base: &b\n"
		"  runAsUser: 1000\n"
		"one: *b\n"
		"two:\n"
		"  nested: *b\n"
		"x: &v 5\n"
		"y: *v\n";
	const struct kc_node *root = t_parse(arena, y);
	const struct kc_node *base = t_find(root, "base");
	ck_assert_ptr_eq(t_find(root, "one"), base);
	ck_assert_ptr_eq(t_find(root, "two.nested"), base);
	const struct kc_node *uid = t_find(root, "two.nested.runAsUser");
	ck_assert_ptr_eq(uid, t_find(root, "base.runAsUser"));
	/* Positions inside an alias point at the anchor's text. */
	assert_pos(uid->start, 2, 14);
	struct kc_path p = t_path("one.runAsUser");
	struct kc_lookup lk = kc_locator_find(root, &p);
	assert_pos(kc_lookup_pos(&lk), 2, 3);

	const struct kc_node *x = t_find(root, "x");
	ck_assert_ptr_eq(t_find(root, "y"), x);
	ck_assert_str_eq(x->value, "5");
	/* A node starts at its anchor. */
	assert_pos(x->start, 6, 4);
	/* Weights count alias expansions: base is itself, a key and a
	 * value; two is itself, the key "nested" and base again. */
	ck_assert_uint_eq(base->weight, 3);
	ck_assert_uint_eq(t_find(root, "two")->weight, 5);
}
END_TEST

START_TEST(alias_unknown)
{
	open_n("a: 1\nb: *nope\n---\nc: 1\n", 0, NULL);
	next_error(KC_LOCATOR_BAD_DOCUMENT, 0, 2, 4, "alias '*nope' refers to no anchor");
	/* Anchors do not carry over to later documents. */
	kc_locator_destroy(loc);
	loc = NULL;
	open_n("a: &x 1\n---\nb: *x\n", 0, NULL);
	next_doc(0);
	next_error(KC_LOCATOR_BAD_DOCUMENT, 1, 3, 4, "alias '*x' refers to no anchor");
	next_end();
}
END_TEST

START_TEST(alias_recursive)
{
	open_n("a: &x [1, *x]\n---\nm: &m {k: *m}\n---\nok: 1\n", 0, NULL);
	next_error(KC_LOCATOR_BAD_DOCUMENT, 0, 1, 11,
		"alias '*x' refers to a node that contains it");
	next_error(KC_LOCATOR_BAD_DOCUMENT, 1, 3, 11,
		"alias '*m' refers to a node that contains it");
	next_doc(2);
	next_end();
}
END_TEST

static const char laughs[] =
	"a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	"b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
	"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
	"d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
	"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
	"f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
	"g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
	"h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
	"i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]\n";

START_TEST(alias_bomb_default_limit)
{
	/* a is 11 nodes, b 111, c 1111, ... The aliases of b, c and d add
	 * 110 + 1110 + 11110 = 12330 nodes; each alias of e adds 11111,
	 * crossing 100000 at the 8th (col 36): 12330 + 8 * 11111 = 101218. */
	open_n(laughs, 0, NULL);
	next_error(KC_LOCATOR_BAD_DOCUMENT, 0, 5, 36,
		"aliases expand to more than 100000 nodes, as in an alias bomb "
		"(see --max-aliases)");
	next_end();
}
END_TEST

START_TEST(alias_limit_boundary)
{
	/* b's ten aliases of a add exactly 110 nodes. */
	const char *y =
		"a: &a [x, x, x, x, x, x, x, x, x, x]\n"
		"b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n";
	struct kc_limits lim = kc_limits_default;
	lim.max_alias_nodes = 110;
	open_n(y, 0, &lim);
	const struct kc_node *root = next_doc(0);
	ck_assert_uint_eq(t_find(root, "b")->weight, 111);
	/* root, key a, a's 11 nodes, key b, b's 111 nodes */
	ck_assert_uint_eq(root->weight, 1 + 1 + 11 + 1 + 111);
	next_end();

	lim.max_alias_nodes = 109;
	open_n(y, 0, &lim);
	next_error(KC_LOCATOR_BAD_DOCUMENT, 0, 2, 44,
		"aliases expand to more than 109 nodes, as in an alias bomb "
		"(see --max-aliases)");
	next_end();
}
END_TEST

START_TEST(alias_limit_is_per_document)
{
	const char *y =
		"a: &a [x, x, x, x, x, x, x, x, x, x]\n"
		"b: [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
		"---\n"
		"a: &a [x, x, x, x, x, x, x, x, x, x]\n"
		"b: [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n";
	struct kc_limits lim = kc_limits_default;
	lim.max_alias_nodes = 150;
	open_n(y, 0, &lim);
	next_doc(0);
	next_doc(1);
	next_end();
}
END_TEST

/* ---- syntax errors ------------------------------------------------------- */

START_TEST(syntax_error_recovers_at_next_document)
{
	open_n(
		"apiVersion: v1\n"           /* 1 */
		"kind: Pod\n"                /* 2 */
		"metadata:\n"                /* 3 */
		"  name: [broken\n"          /* 4 */
		"---\n"                      /* 5 */
		"a: 1\n"                     /* 6 */
		"---\n"                      /* 7 */
		"b: \"open\n"                /* 8 */
		"---\n"                      /* 9 */
		"c: 3\n"                     /* 10 */
		"d:\n"                       /* 11 */
		"  - x\n"                    /* 12 */
		"---\n"                      /* 13 */
		"e: : :\n"                   /* 14 */
		"f: 1\n", 0, NULL);          /* 15 */
	next_error(KC_LOCATOR_SYNTAX_ERROR, 0, 5, 1,
		"invalid YAML: did not find expected ',' or ']' "
		"(while parsing a flow sequence at line 4, column 9)");
	const struct kc_node *root = next_doc(1);
	assert_pos(key_of(root, "a")->start, 6, 1);
	next_error(KC_LOCATOR_SYNTAX_ERROR, 2, 9, 1,
		"invalid YAML: found unexpected document indicator "
		"(while scanning a quoted scalar at line 8, column 4)");
	root = next_doc(3);
	assert_pos(key_of(root, "c")->start, 10, 1);
	assert_pos(t_find(root, "d[0]")->start, 12, 5);
	next_error(KC_LOCATOR_SYNTAX_ERROR, 4, 14, 4,
		"invalid YAML: mapping values are not allowed in this context");
	next_end();
}
END_TEST

START_TEST(syntax_error_offsets_after_recovery)
{
	/* Byte offsets and characters stay exact past a recovery point. */
	const char *y =
		"\xC3\xA9: [\n"
		"---\n"
		"k: \xE2\x82\xAC v\n"
		"w: end\n";
	open_n(y, 0, NULL);
	next_error(KC_LOCATOR_SYNTAX_ERROR, 0, 2, 1,
		"invalid YAML: did not find expected node content "
		"(while parsing a flow node at line 2, column 1)");
	const struct kc_node *root = next_doc(1);
	const struct kc_node *k = t_find(root, "k");
	assert_pos(k->start, 3, 4);
	assert_span(y, k, "\xE2\x82\xAC v");
	const struct kc_node *w = t_find(root, "w");
	assert_pos(w->start, 4, 4);
	assert_span(y, w, "end");
	next_end();
}
END_TEST

START_TEST(syntax_error_crlf_recovery)
{
	const char *y =
		"a: [\r\n"
		"b: 1\r\n"
		"---\r\n"
		"c: 2\r\n";
	open_n(y, 0, NULL);
	struct kc_document doc;
	ck_assert_int_eq(next(&doc), KC_LOCATOR_SYNTAX_ERROR);
	ck_assert_uint_eq(doc.index, 0);
	const struct kc_node *root = next_doc(1);
	const struct kc_node *c = t_find(root, "c");
	assert_pos(c->start, 4, 4);
	assert_span(y, c, "2");
	next_end();
}
END_TEST

START_TEST(syntax_error_without_recovery_point)
{
	open_n("a: 1\n---\nb: [\nc: 2\n", 0, NULL);
	next_doc(0);
	struct kc_document doc;
	ck_assert_int_eq(next(&doc), KC_LOCATOR_SYNTAX_ERROR);
	ck_assert_uint_eq(doc.index, 1);
	ck_assert_uint_eq(err.pos.line, 5);
	next_end();
}
END_TEST

START_TEST(invalid_utf8_after_valid_document)
{
	/* The document before the bad byte is well-formed and must still be
	 * delivered; the bad byte belongs to the second document. */
	const char *y =
		"a: 1\n"
		"---\n"
		"b: caf\xE9\n"
		"---\n"
		"c: 3\n";
	open_n(y, 0, NULL);
	const struct kc_node *root = next_doc(0);
	ck_assert_str_eq(kc_node_get_str(root, "a"), "1");
	next_error(KC_LOCATOR_SYNTAX_ERROR, 1, 3, 7,
		"not valid UTF-8 text at byte 0xE9; "
		"save the file as UTF-8");
	root = next_doc(2);
	assert_pos(key_of(root, "c")->start, 5, 1);
	next_end();
}
END_TEST

START_TEST(invalid_utf8_in_first_document)
{
	open_n("a: caf\xE9\n---\nc: 3\n", 0, NULL);
	next_error(KC_LOCATOR_SYNTAX_ERROR, 0, 1, 7,
		"not valid UTF-8 text at byte 0xE9; "
		"save the file as UTF-8");
	const struct kc_node *root = next_doc(1);
	assert_pos(key_of(root, "c")->start, 3, 1);
	next_end();
}
END_TEST

START_TEST(control_character_and_binary)
{
	open_n("a: 1\n---\nb: x\x01y\n---\nc: 3\n", 0, NULL);
	next_doc(0);
	next_error(KC_LOCATOR_SYNTAX_ERROR, 1, 3, 5,
		"control character 0x01 is not allowed in YAML");
	const struct kc_node *root = next_doc(2);
	assert_pos(key_of(root, "c")->start, 5, 1);
	next_end();

	static const char bin[] = "a: 1\n---\nb: \0\xFF\n";
	open_n(bin, sizeof(bin) - 1, NULL);
	next_doc(0);
	next_error(KC_LOCATOR_SYNTAX_ERROR, 1, 3, 4,
		"binary data, not a YAML manifest (NUL byte at offset 12)");
	next_end();

	/* A NUL in the file does not make every other bad byte a NUL. */
	static const char mixed[] = "a: 1\n---\nb: x\x01y\n---\nc: \xE9\n---\nd: \0\n";
	open_n(mixed, sizeof(mixed) - 1, NULL);
	next_doc(0);
	next_error(KC_LOCATOR_SYNTAX_ERROR, 1, 3, 5,
		"control character 0x01 is not allowed in YAML");
	next_error(KC_LOCATOR_SYNTAX_ERROR, 2, 5, 4,
		"not valid UTF-8 text at byte 0xE9; save the file as UTF-8");
	next_error(KC_LOCATOR_SYNTAX_ERROR, 3, 7, 4,
		"binary data, not a YAML manifest (NUL byte at offset 32)");
	next_end();
}
END_TEST

/* ---- paths --------------------------------------------------------------- */

START_TEST(path_format)
{
	const struct kc_node *root = t_parse(arena,
		"metadata:\n"
		"  annotations:\n"
		"    a.b/c: x\n"
		"spec:\n"
		"  containers:\n"
		"  - name: app\n"
		"  - image: x\n"
		"  - name: ''\n"
		"  - name: a[1]\n"
		"  - name: 7\n"
		"  - name: {x: 1}\n");
	ck_assert_str_eq(t_format(root, "spec.containers[0].image"),
		"spec.containers[app].image");
	ck_assert_str_eq(t_format(root, "spec.containers[1].image"),
		"spec.containers[1].image");
	ck_assert_str_eq(t_format(root, "spec.containers[2]"), "spec.containers[2]");
	ck_assert_str_eq(t_format(root, "spec.containers[3]"), "spec.containers[3]");
	ck_assert_str_eq(t_format(root, "spec.containers[4]"), "spec.containers[7]");
	ck_assert_str_eq(t_format(root, "spec.containers[5]"), "spec.containers[5]");
	/* Items that do not exist keep their index. */
	ck_assert_str_eq(t_format(root, "spec.containers[9].name"),
		"spec.containers[9].name");
	ck_assert_str_eq(t_format(root, "spec.initContainers[0].x"),
		"spec.initContainers[0].x");
	ck_assert_str_eq(t_format(root, "metadata.annotations"), "metadata.annotations");

	struct kc_path p = t_path("metadata.annotations");
	kc_path_key(&p, "a.b/c");
	char buf[64];
	size_t n = kc_path_format(root, &p, buf, sizeof(buf));
	ck_assert_str_eq(buf, "metadata.annotations[\"a.b/c\"]");
	ck_assert_uint_eq(n, strlen(buf));
	p = (struct kc_path){ 0 };
	kc_path_key(&p, "x/y");
	kc_path_key(&p, "z");
	kc_path_format(root, &p, buf, sizeof(buf));
	ck_assert_str_eq(buf, "[\"x/y\"].z");
	p = (struct kc_path){ 0 };
	kc_path_format(root, &p, buf, sizeof(buf));
	ck_assert_str_eq(buf, "");
}
END_TEST

START_TEST(path_format_truncates)
{
	const struct kc_node *root = t_parse(arena, "spec:\n  containers:\n  - name: app\n");
	struct kc_path p = t_path("spec.containers[0].securityContext");
	char buf[8];
	memset(buf, 'X', sizeof(buf));
	size_t n = kc_path_format(root, &p, buf, sizeof(buf));
	ck_assert_uint_eq(n, strlen("spec.containers[app].securityContext"));
	ck_assert_str_eq(buf, "spec.co");
	ck_assert_uint_eq(kc_path_format(root, &p, NULL, 0), n);
}
END_TEST

START_TEST(path_join)
{
	struct kc_path base = { 0 };
	kc_path_key(&base, "spec");
	kc_path_index(&base, 2);
	struct kc_path p = kc_path_join(&base, "securityContext.runAsUser");
	ck_assert_uint_eq(p.len, 4);
	ck_assert_ptr_null(p.seg[1].key);
	ck_assert_uint_eq(p.seg[1].index, 2);
	ck_assert_uint_eq(p.seg[2].key_len, strlen("securityContext"));
	ck_assert_mem_eq(p.seg[2].key, "securityContext", p.seg[2].key_len);
	ck_assert_uint_eq(p.seg[3].key_len, strlen("runAsUser"));
	ck_assert_mem_eq(p.seg[3].key, "runAsUser", p.seg[3].key_len);
	ck_assert_uint_eq(base.len, 2);
	ck_assert_uint_eq(kc_path_join(NULL, "").len, 0);
	ck_assert_uint_eq(kc_path_join(&base, "").len, 2);
}
END_TEST

START_TEST(missing_path_gives_nearest_ancestor)
{
	const struct kc_node *root = t_parse(arena,
		"spec:\n"
		"  containers:\n"
		"  - name: app\n");
	struct kc_path p = kc_path_join(NULL, "spec.containers");
	kc_path_index(&p, 0);
	p = kc_path_join(&p, "securityContext.runAsNonRoot");
	struct kc_lookup lk = kc_locator_find(root, &p);
	ck_assert(!lk.found);
	ck_assert_uint_eq(lk.depth, 3);
	struct kc_pos pos = kc_lookup_pos(&lk);
	ck_assert_uint_eq(pos.line, 3);
	ck_assert_uint_eq(pos.col, 5);
	char buf[128];
	kc_path_format(root, &p, buf, sizeof(buf));
	ck_assert_str_eq(buf, "spec.containers[app].securityContext.runAsNonRoot");
}
END_TEST

START_TEST(lookup_through_scalar_and_empty_path)
{
	const struct kc_node *root = t_parse(arena, "spec: ~\nlist: [a]\n");
	struct kc_path p = t_path("spec.containers");
	struct kc_lookup lk = kc_locator_find(root, &p);
	ck_assert(!lk.found);
	ck_assert_uint_eq(lk.depth, 1);
	ck_assert_ptr_eq(lk.node, t_find(root, "spec"));
	assert_pos(kc_lookup_pos(&lk), 1, 1);
	/* A key step on a sequence, an index step on a mapping. */
	p = t_path("list.x");
	lk = kc_locator_find(root, &p);
	ck_assert(!lk.found);
	ck_assert_uint_eq(lk.depth, 1);
	p = t_path("[0]");
	lk = kc_locator_find(root, &p);
	ck_assert(!lk.found);
	ck_assert_uint_eq(lk.depth, 0);
	ck_assert_ptr_eq(lk.node, root);
	p = (struct kc_path){ 0 };
	lk = kc_locator_find(root, &p);
	ck_assert(lk.found);
	ck_assert_ptr_eq(lk.node, root);
	ck_assert_ptr_null(lk.key);
}
END_TEST

START_TEST(pos_of_counts_characters)
{
	const char *y = "\xC3\xA9t\xC3\xA9: \xE2\x82\xAC\n\xF0\x9F\x98\x80x";
	size_t n = strlen(y);
	assert_pos(kc_locator_pos_of(y, n, 0), 1, 1);
	assert_pos(kc_locator_pos_of(y, n, 2), 1, 2);   /* t */
	assert_pos(kc_locator_pos_of(y, n, 5), 1, 4);   /* : */
	assert_pos(kc_locator_pos_of(y, n, 7), 1, 6);   /* euro sign */
	assert_pos(kc_locator_pos_of(y, n, 10), 1, 7);  /* newline */
	assert_pos(kc_locator_pos_of(y, n, 11), 2, 1);
	assert_pos(kc_locator_pos_of(y, n, 15), 2, 2);  /* x */
	assert_pos(kc_locator_pos_of("", 0, 0), 1, 1);
}
END_TEST

START_TEST(node_is_null)
{
	const struct kc_node *root = t_parse(arena,
		"a:\n"
		"b: ~\n"
		"c: null\n"
		"d: Null\n"
		"e: NULL\n"
		"f: ''\n"
		"g: \"null\"\n"
		"h: nil\n"
		"i: !!null\n"
		"j: !!str\n"
		"k: {}\n"
		"l: nULL\n"
		"m: '~'\n");
	ck_assert(kc_node_is_null(t_find(root, "a")));
	ck_assert(kc_node_is_null(t_find(root, "b")));
	ck_assert(kc_node_is_null(t_find(root, "c")));
	ck_assert(kc_node_is_null(t_find(root, "d")));
	ck_assert(kc_node_is_null(t_find(root, "e")));
	ck_assert(!kc_node_is_null(t_find(root, "f")));
	ck_assert(!kc_node_is_null(t_find(root, "g")));
	ck_assert(!kc_node_is_null(t_find(root, "h")));
	ck_assert(kc_node_is_null(t_find(root, "i")));
	ck_assert(!kc_node_is_null(t_find(root, "j")));
	ck_assert(!kc_node_is_null(t_find(root, "k")));
	ck_assert(!kc_node_is_null(t_find(root, "l")));
	ck_assert(!kc_node_is_null(t_find(root, "m")));
	ck_assert(!kc_node_is_null(NULL));
	ck_assert_ptr_null(kc_node_get_str(root, "b"));
	ck_assert_str_eq(kc_node_get_str(root, "g"), "null");
	ck_assert_str_eq(t_find(root, "j")->tag, "tag:yaml.org,2002:str");
}
END_TEST

START_TEST(merge_key_is_recorded)
{
	open_n("base: &b {x: 1}\nm:\n  <<: *b\n  y: 2\n---\nz: {'<<': 1}\n", 0, NULL);
	struct kc_document doc;
	ck_assert_int_eq(next(&doc), KC_LOCATOR_DOCUMENT);
	ck_assert_ptr_nonnull(doc.merge_key);
	assert_pos(doc.merge_key->start, 3, 3);
	ck_assert(t_find(doc.root, "m")->has_merge_key);
	ck_assert(!doc.root->has_merge_key);
	/* A quoted "<<" is an ordinary key. */
	ck_assert_int_eq(next(&doc), KC_LOCATOR_DOCUMENT);
	ck_assert_ptr_null(doc.merge_key);
	ck_assert(!t_find(doc.root, "z")->has_merge_key);
}
END_TEST


/* The keys of mapping n, joined by spaces, in item order. */
static const char *keys_of(const struct kc_node *n)
{
	static char buf[256];
	size_t j = 0;
	buf[0] = '\0';
	ck_assert_int_eq(n->type, KC_NODE_MAPPING);
	for (size_t i = 0; i < n->count; i++) {
		j += (size_t)snprintf(buf + j, sizeof(buf) - j, "%s%s", i ? " " : "",
			n->items[2 * i]->value);
	}
	return buf;
}

static struct kc_lookup t_lookup(const struct kc_node *root, const char *s)
{
	struct kc_path p = t_path(s);
	return kc_locator_find(root, &p);
}

/* go-yaml v2 (Kubernetes' decoder) resolves "<<": the merged fields are
 * in the tree, where their text is. */
START_TEST(merge_key_mapping)
{
	open_n("spec: {<<: {hostNetwork: true, hostPID: true}}\n"
		"c:\n"
		"- <<: {securityContext: {privileged: true}}\n"
		"  name: x\n", 0, NULL);
	const struct kc_node *root = next_doc(0);
	const struct kc_node *spec = t_find(root, "spec");
	ck_assert_str_eq(keys_of(spec), "hostNetwork hostPID");
	ck_assert(spec->has_merge_key);
	ck_assert_str_eq(t_find(root, "spec.hostPID")->value, "true");
	ck_assert_str_eq(t_find(root, "c[0].securityContext.privileged")->value, "true");
	ck_assert_str_eq(keys_of(t_find(root, "c[0]")), "securityContext name");
	/* Positions point at the merged text. */
	struct kc_lookup lk = t_lookup(root, "spec.hostPID");
	assert_pos(kc_lookup_pos(&lk), 1, 32);
	ck_assert(lk.merged);
	lk = t_lookup(root, "c[0].securityContext.privileged");
	assert_pos(kc_lookup_pos(&lk), 3, 26);
	ck_assert(lk.merged);
	/* An explicit key of a mapping with a merge: an edit next to "<<"
	 * needs a person too; a mapping without one is plain. */
	ck_assert(t_lookup(root, "c[0].name").merged);
	ck_assert(!t_lookup(root, "c").merged);
	ck_assert(t_lookup(root, "spec.missing").merged);
	next_end();
}
END_TEST

START_TEST(merge_key_alias_and_order)
{
	open_n("base: &b {a: 1, b: 1, c: 1}\n"
		"o: &o {b: 2, d: 2}\n"
		"m1: {<<: *b, a: 9}\n"           /* explicit after: it wins */
		"m2: {a: 9, <<: *b}\n"           /* merge after: v2 lets it win */
		"m3: {<<: [*o, *b]}\n"           /* earlier mappings win */
		"m4: {<<: [{x: 1}, {x: 2}], <<: {y: 3}}\n"
		"m5: {!!merge '<<': {t: 1}}\n"   /* tagged: a merge even quoted */
		"m6: {'<<': 1, <<: {u: 1}}\n"    /* quoted: an ordinary key */
		"m7: {<<: []}\n", 0, NULL);
	const struct kc_node *root = next_doc(0);
	ck_assert_str_eq(keys_of(t_find(root, "m1")), "a b c");
	ck_assert_str_eq(t_find(root, "m1.a")->value, "9");
	ck_assert(t_lookup(root, "m1.a").merged);
	ck_assert(!t_find(root, "m1")->merged[0]);
	ck_assert(t_find(root, "m1")->merged[1]);
	ck_assert_str_eq(keys_of(t_find(root, "m2")), "a b c");
	ck_assert_str_eq(t_find(root, "m2.a")->value, "1");
	ck_assert(t_find(root, "m2")->merged[0]);
	ck_assert_str_eq(keys_of(t_find(root, "m3")), "a b c d");
	ck_assert_str_eq(t_find(root, "m3.b")->value, "2");
	ck_assert_str_eq(t_find(root, "m3.a")->value, "1");
	ck_assert_str_eq(keys_of(t_find(root, "m4")), "x y");
	ck_assert_str_eq(t_find(root, "m4.x")->value, "1");
	ck_assert_str_eq(keys_of(t_find(root, "m5")), "t");
	ck_assert_str_eq(keys_of(t_find(root, "m6")), "<< u");
	ck_assert_str_eq(t_find(root, "m6.<<")->value, "1");
	ck_assert_uint_eq(t_find(root, "m7")->count, 0);
	/* The merged value is the anchored node itself. */
	ck_assert_ptr_eq(t_find(root, "m3.b"), t_find(root, "o.b"));
	ck_assert(!t_lookup(root, "o.b").merged);
	next_end();
}
END_TEST

START_TEST(merge_key_nested_and_alias_key)
{
	/* A merged mapping that merges itself; an alias to a "<<" scalar is
	 * an ordinary key, as in go-yaml v2. */
	open_n("k: &k <<\n"
		"a: &a {<<: {p: 1}, q: 2}\n"
		"b: {<<: *a, r: 3}\n"
		"c: {*k : 4}\n", 0, NULL);
	const struct kc_node *root = next_doc(0);
	ck_assert_str_eq(keys_of(t_find(root, "b")), "p q r");
	ck_assert_str_eq(keys_of(t_find(root, "c")), "<<");
	ck_assert(!t_find(root, "c")->has_merge_key);
	next_end();
}
END_TEST

START_TEST(merge_key_bad_values)
{
	open_n("a: {<<: 1}\n"
		"---\n"
		"a: {<<: }\n"
		"---\n"
		"s: &s [{x: 1}]\n"
		"a: {<<: *s}\n"
		"---\n"
		"a: {<<: [{x: 1}, [y]]}\n"
		"---\n"
		"v: &v 1\n"
		"a: {<<: [*v]}\n"
		"---\n"
		"ok: {<<: {x: 1}, <<: {y: 2}}\n", 0, NULL);
	const char *msg = "merge key '<<' needs a mapping or a list of mappings "
		"as its value";
	next_error(KC_LOCATOR_BAD_DOCUMENT, 0, 1, 9, msg);
	next_error(KC_LOCATOR_BAD_DOCUMENT, 1, 3, 9, msg);
	next_error(KC_LOCATOR_BAD_DOCUMENT, 2, 6, 9, msg);
	next_error(KC_LOCATOR_BAD_DOCUMENT, 3, 8, 18, msg);
	next_error(KC_LOCATOR_BAD_DOCUMENT, 4, 11, 9, msg);
	/* Two merge keys in one mapping are not a duplicate key. */
	const struct kc_node *root = next_doc(5);
	ck_assert_str_eq(keys_of(t_find(root, "ok")), "x y");
	next_end();
}
END_TEST

/* Merging many aliases of a large mapping is bounded by --max-aliases. */
START_TEST(merge_key_bomb)
{
	struct kc_limits lim = kc_limits_default;
	lim.max_alias_nodes = 1000;
	size_t cap = 64 * 1024;
	big = malloc(cap);
	size_t n = (size_t)snprintf(big, cap, "a: &a {");
	for (int i = 0; i < 100; i++) {
		n += (size_t)snprintf(big + n, cap - n, "k%d: %d, ", i, i);
	}
	n += (size_t)snprintf(big + n, cap - n, "z: 0}\nb: {<<: [");
	for (int i = 0; i < 20; i++) {
		n += (size_t)snprintf(big + n, cap - n, "*a, ");
	}
	n += (size_t)snprintf(big + n, cap - n, "*a]}\n");
	open_n(big, n, &lim);
	/* The fifth alias passes 1000 (each expands to 203 nodes). */
	next_error(KC_LOCATOR_BAD_DOCUMENT, 0, 2, 26,
		"aliases expand to more than 1000 nodes, as in an alias bomb "
		"(see --max-aliases)");
	next_end();
}
END_TEST

static void add(Suite *s, const char *name, const TTest *t)
{
	TCase *tc = tcase_create(name);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, t);
	suite_add_tcase(s, tc);
}

START_TEST(many_anchors_resolve)
{
	/* Anchors are hashed: each alias finds its own anchor among many. */
	char *yaml = malloc(4000 * 40);
	size_t n = 0;
	n += (size_t)sprintf(yaml + n, "items:\n");
	for (int i = 0; i < 2000; i++) {
		n += (size_t)sprintf(yaml + n, "- &a%d v%d\n", i, i);
	}
	n += (size_t)sprintf(yaml + n, "refs:\n");
	for (int i = 1999; i >= 0; i -= 7) {
		n += (size_t)sprintf(yaml + n, "- *a%d\n", i);
	}
	const struct kc_node *root = t_parse(arena, yaml);
	const struct kc_node *refs = kc_node_get(root, "refs");
	ck_assert_ptr_nonnull(refs);
	ck_assert_str_eq(refs->items[0]->value, "v1999");
	ck_assert_str_eq(refs->items[1]->value, "v1992");
	ck_assert_ptr_eq(refs->items[0], kc_node_get(root, "items")->items[1999]);
	free(yaml);
}
END_TEST

static Suite *locator_suite(void)
{
	Suite *s = suite_create("locator");
	add(s, "positions", positions_are_one_based);
	add(s, "scalars_and_keys", scalars_and_keys);
	add(s, "sequence_items", sequence_items);
	add(s, "flow_style", flow_style);
	add(s, "json", json);
	add(s, "utf8", utf8_columns_count_characters);
	add(s, "crlf", crlf_lines_and_offsets);
	add(s, "crlf_pos_of", crlf_pos_of);
	add(s, "bom", utf8_bom_is_skipped);
	add(s, "bom_multibyte", utf8_bom_with_multibyte_text);
	add(s, "multi_document", multi_document_stream);
	add(s, "empty_streams", empty_streams);
	add(s, "duplicate_keys_small", duplicate_keys_small);
	add(s, "duplicate_keys_large", duplicate_keys_large);
	add(s, "duplicate_keys_large_clean", duplicate_keys_large_clean);
	add(s, "duplicate_key_long_name", duplicate_key_long_name_is_cut);
	add(s, "depth_limit", depth_limit);
	add(s, "depth_limit_default", depth_limit_default);
	add(s, "depth_limit_stops_parsing_flow", depth_limit_stops_parsing_flow);
	add(s, "depth_limit_stops_parsing_block", depth_limit_stops_parsing_block);
	add(s, "depth_limit_stops_parsing_after_an_error",
		depth_limit_stops_parsing_after_an_error);
	add(s, "document_size_limit", document_size_limit);
	add(s, "document_size_limit_bounds_memory", document_size_limit_bounds_memory);
	add(s, "alias_sharing", alias_shares_the_anchored_node);
	add(s, "alias_unknown", alias_unknown);
	add(s, "alias_recursive", alias_recursive);
	add(s, "alias_bomb", alias_bomb_default_limit);
	add(s, "alias_limit_boundary", alias_limit_boundary);
	add(s, "alias_limit_per_document", alias_limit_is_per_document);
	add(s, "syntax_recovery", syntax_error_recovers_at_next_document);
	add(s, "syntax_recovery_offsets", syntax_error_offsets_after_recovery);
	add(s, "syntax_recovery_crlf", syntax_error_crlf_recovery);
	add(s, "syntax_no_recovery", syntax_error_without_recovery_point);
	add(s, "utf8_error_after_document", invalid_utf8_after_valid_document);
	add(s, "utf8_error_first_document", invalid_utf8_in_first_document);
	add(s, "control_and_binary", control_character_and_binary);
	add(s, "path_format", path_format);
	add(s, "path_format_truncates", path_format_truncates);
	add(s, "path_join", path_join);
	add(s, "nearest_ancestor", missing_path_gives_nearest_ancestor);
	add(s, "lookup_edges", lookup_through_scalar_and_empty_path);
	add(s, "pos_of", pos_of_counts_characters);
	add(s, "node_is_null", node_is_null);
	add(s, "merge_key", merge_key_is_recorded);
	add(s, "merge_key_mapping", merge_key_mapping);
	add(s, "merge_key_alias_and_order", merge_key_alias_and_order);
	add(s, "merge_key_nested_and_alias_key", merge_key_nested_and_alias_key);
	add(s, "merge_key_bad_values", merge_key_bad_values);
	add(s, "merge_key_bomb", merge_key_bomb);
	add(s, "many_anchors", many_anchors_resolve);
	return s;
}

int main(void)
{
	return t_run(locator_suite());
}
