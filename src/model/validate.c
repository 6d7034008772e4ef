/*
 * Loads a resource into the typed model from the locator's node tree, in one
 * walk that type-checks it against the libcyaml schema and fills the C
 * structs the way libcyaml would (the data layout, NULL for unset, arena
 * arrays with a count). Parsing the resource's text again with libcyaml
 * cost a quarter of a check; tests/unit/test_schema.c still compares the
 * two on every manifest in the tree.
 *
 * The checks are stricter than libcyaml, as the Kubernetes API server is (it
 * would read a quoted "true" as a boolean, `n` as true, "12abc" as 12), so
 * that a wrong manifest is not checked as if it were right. Scalars resolve
 * as YAML 1.1 does in the API machinery (go-yaml v2).
 */
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "k8scheck/scalar.h"
#include "k8scheck/schema.h"

static const char *const bool_true[] = { "true", "True", "TRUE", "yes", "Yes",
	"YES", "on", "On", "ON", NULL };
static const char *const bool_false[] = { "false", "False", "FALSE", "no", "No",
	"NO", "off", "Off", "OFF", NULL };
/* YAML 1.1 also reads these as booleans; libcyaml would read `n` as true. */
static const char *const bool_short[] = { "y", "Y", "n", "N", NULL };

static bool in_list(const char *const *list, const char *s)
{
	for (; *list != NULL; list++) {
		if (strcmp(*list, s) == 0) {
			return true;
		}
	}
	return false;
}

static const char *node_name(const struct kc_node *n)
{
	switch (n->type) {
	case KC_NODE_MAPPING:
		return "a mapping";
	case KC_NODE_SEQUENCE:
		return "a list";
	default:
		return "a scalar";
	}
}

/* Short, printable rendering of a scalar for messages. */
static void show(char *out, size_t size, const struct kc_node *n)
{
	size_t j = 0;
	for (size_t i = 0; i < n->len && j + 5 < size; i++) {
		unsigned char c = (unsigned char)n->value[i];
		if (i >= 32) {
			memcpy(out + j, "...", 3);
			j += 3;
			break;
		}
		out[j++] = (c < 0x20 || c == 0x7F) ? '?' : (char)c;
	}
	out[j] = '\0';
}

struct walk {
	struct kc_path path;
	struct kc_schema_error *err;
	struct kc_arena *arena;  /* where loaded data goes; NULL: validate only */
};

static bool fail(struct walk *w, const struct kc_node *n, const char *fmt, ...)
	KC_PRINTF(3, 4);

static bool fail(struct walk *w, const struct kc_node *n, const char *fmt, ...)
{
	w->err->node = n;
	w->err->path = w->path;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(w->err->message, sizeof(w->err->message), fmt, ap);
	va_end(ap);
	return false;
}

/* Store x in an integer of size bytes (libcyaml's cyaml_data_write). */
static void write_int(void *dst, size_t size, uint64_t x)
{
	switch (size) {
	case 1: {
		uint8_t v = (uint8_t)x;
		memcpy(dst, &v, 1);
		return;
	}
	case 2: {
		uint16_t v = (uint16_t)x;
		memcpy(dst, &v, 2);
		return;
	}
	case 4: {
		uint32_t v = (uint32_t)x;
		memcpy(dst, &v, 4);
		return;
	}
	default:
		assert(size == 8);
		memcpy(dst, &x, 8);
		return;
	}
}

/* Where a value of schema s is stored: for a pointer type, a new zeroed
 * block of size bytes whose address goes into *slot; else slot itself. */
static void *target(struct walk *w, const cyaml_schema_value_t *s, void *slot,
	size_t size)
{
	if (!((unsigned)s->flags & CYAML_FLAG_POINTER)) {
		return slot;
	}
	void *p = kc_arena_alloc(w->arena, size);
	memcpy(slot, &p, sizeof(p));
	return p;
}

/*
 * The text libcyaml takes for a null pointer (its cyaml__string_is_null_ptr):
 * it looks neither at quotes nor at tags, so '' and "null" are null too.
 */
static bool cyaml_null(const cyaml_schema_value_t *s, const char *v)
{
	unsigned f = (unsigned)s->flags;
	if ((f & CYAML_FLAG_POINTER_NULL) == CYAML_FLAG_POINTER_NULL && v[0] == '\0') {
		return true;
	}
	if ((f & CYAML_FLAG_POINTER_NULL_STR) != CYAML_FLAG_POINTER_NULL_STR) {
		return false;
	}
	return strcmp(v, "~") == 0 || strcmp(v, "null") == 0 ||
		strcmp(v, "Null") == 0 || strcmp(v, "NULL") == 0;
}

static bool check_int(struct walk *w, const cyaml_schema_value_t *s,
	const struct kc_node *n, enum kc_scalar r, void *slot)
{
	if (r != KC_SCALAR_INT) {
		char v[48];
		show(v, sizeof(v), n);
		if (n->style != KC_STYLE_PLAIN && kc_scalar_is_int(n->value)) {
			return fail(w, n, "expected an integer, got the string \"%s\" "
				"(remove the quotes)", v);
		}
		return fail(w, n, "expected an integer, got %s '%s'",
			kc_scalar_name(r), v);
	}
	errno = 0;
	char *end = NULL;
	long long x = strtoll(n->value, &end, 0);
	bool bad = errno != 0 || end == NULL || *end != '\0';
	if (!bad && s->data_size == 4 && (x < INT32_MIN || x > INT32_MAX)) {
		bad = true;
	}
	if (bad) {
		char v[48];
		show(v, sizeof(v), n);
		return fail(w, n, "integer '%s' is out of range", v);
	}
	if (slot != NULL) {
		write_int(target(w, s, slot, s->data_size), s->data_size, (uint64_t)x);
	}
	return true;
}

/* libcyaml's reading of a boolean: anything but these is true. */
static bool cyaml_false(const char *v)
{
	static const char *const words[] = { "false", "no", "off", "disable", "0" };
	for (size_t i = 0; i < sizeof(words) / sizeof(*words); i++) {
		if (strcasecmp(v, words[i]) == 0) {
			return true;
		}
	}
	return false;
}

static bool check_bool(struct walk *w, const cyaml_schema_value_t *s,
	const struct kc_node *n, enum kc_scalar r, void *slot)
{
	if (r == KC_SCALAR_BOOL && n->value[0] != '\0' && n->value[1] == '\0' &&
		in_list(bool_short, n->value)) {
		char v[48];
		show(v, sizeof(v), n);
		return fail(w, n, "'%s' is a YAML 1.1 boolean that tools read "
			"differently; write true or false", v);
	}
	if (r == KC_SCALAR_BOOL) {
		if (slot != NULL) {
			write_int(target(w, s, slot, s->data_size), s->data_size,
				!cyaml_false(n->value));
		}
		return true;
	}
	char v[48];
	show(v, sizeof(v), n);
	if (n->style != KC_STYLE_PLAIN &&
		(in_list(bool_true, n->value) || in_list(bool_false, n->value))) {
		return fail(w, n, "expected a boolean, got the string \"%s\" "
			"(remove the quotes)", v);
	}
	return fail(w, n, "expected a boolean (true or false), got %s '%s'",
		kc_scalar_name(r), v);
}

static bool check_string(struct walk *w, const cyaml_schema_value_t *s,
	const struct kc_node *n, enum kc_scalar r, void *slot)
{
	if (r == KC_SCALAR_STRING || (((unsigned)s->flags & KC_SCHEMA_INT_OR_STRING) &&
		(r == KC_SCALAR_INT || r == KC_SCALAR_FLOAT))) {
		if (slot != NULL) {
			/* The node's value lives in the same document arena and
			 * is NUL-terminated, so the model can share it. */
			assert((unsigned)s->flags & CYAML_FLAG_POINTER);
			memcpy(slot, &n->value, sizeof(n->value));
		}
		return true;
	}
	char v[48];
	show(v, sizeof(v), n);
	return fail(w, n, "expected a string, got %s '%s' (quote it: \"%s\")",
		kc_scalar_name(r), v, v);
}

static bool walk_value(struct walk *w, const cyaml_schema_value_t *s,
	const struct kc_node *n, void *slot, void *count, size_t count_size);

static bool walk_mapping(struct walk *w, const cyaml_schema_value_t *s,
	const struct kc_node *n, void *slot)
{
	if (n->type != KC_NODE_MAPPING) {
		return fail(w, n, "expected a mapping, got %s", node_name(n));
	}
	char *data = slot != NULL ? target(w, s, slot, s->data_size) : NULL;
	for (size_t i = 0; i < n->count; i++) {
		const struct kc_node *k = n->items[2 * i];
		if (k->type != KC_NODE_SCALAR) {
			return fail(w, k, "expected a string key, got %s", node_name(k));
		}
		for (const cyaml_schema_field_t *f = s->mapping.fields; f->key; f++) {
			if (f->key[0] != k->value[0] || strlen(f->key) != k->len ||
				memcmp(f->key, k->value, k->len) != 0) {
				continue;
			}
			bool room = w->path.len < KC_PATH_MAX;
			if (room) {
				kc_path_key(&w->path, f->key);
			}
			bool ok = walk_value(w, &f->value, n->items[2 * i + 1],
				data ? data + f->data_offset : NULL,
				data ? data + f->count_offset : NULL, f->count_size);
			if (room) {
				w->path.len--;
			}
			if (!ok) {
				return false;
			}
			break;
		}
	}
	return true;
}

static bool walk_sequence(struct walk *w, const cyaml_schema_value_t *s,
	const struct kc_node *n, void *slot, void *count, size_t count_size)
{
	if (n->type != KC_NODE_SEQUENCE) {
		return fail(w, n, "expected a list, got %s", node_name(n));
	}
	/* As libcyaml: an empty list leaves the pointer NULL and the count 0. */
	char *items = NULL;
	if (slot != NULL && n->count > 0) {
		assert(s->type == CYAML_SEQUENCE && count != NULL);
		items = kc_arena_alloc(w->arena, n->count * s->data_size);
		memcpy(slot, &items, sizeof(items));
		write_int(count, count_size, n->count);
	}
	for (size_t i = 0; i < n->count; i++) {
		bool room = w->path.len < KC_PATH_MAX;
		if (room) {
			kc_path_index(&w->path, i);
		}
		bool ok = walk_value(w, s->sequence.entry, n->items[i],
			items ? items + i * s->data_size : NULL, NULL, 0);
		if (room) {
			w->path.len--;
		}
		if (!ok) {
			return false;
		}
	}
	return true;
}

/* Validate n against s and, when slot is not NULL, store it there (for a
 * list, also its length in count). */
static bool walk_value(struct walk *w, const cyaml_schema_value_t *s,
	const struct kc_node *n, void *slot, void *count, size_t count_size)
{
	enum kc_scalar r = n->type == KC_NODE_SCALAR ? kc_scalar_resolve(n->value, n->len, n->style == KC_STYLE_PLAIN, n->tag) : KC_SCALAR_STRING;
	if (n->type == KC_NODE_SCALAR && r == KC_SCALAR_NULL) {
		if (!((unsigned)s->flags & CYAML_FLAG_POINTER)) {
			return fail(w, n, "expected a value, got null");
		}
		/* A null leaves the pointer NULL, except that a string field
		 * that libcyaml would not take for null (a list entry `- ~`,
		 * or `!!null text`) keeps its text. */
		if (slot != NULL && s->type == CYAML_STRING &&
			!cyaml_null(s, n->value)) {
			memcpy(slot, &n->value, sizeof(n->value));
		}
		return true;
	}
	switch (s->type) {
	case CYAML_INT:
	case CYAML_UINT:
		if (n->type != KC_NODE_SCALAR) {
			return fail(w, n, "expected an integer, got %s", node_name(n));
		}
		return check_int(w, s, n, r, slot);
	case CYAML_BOOL:
		if (n->type != KC_NODE_SCALAR) {
			return fail(w, n, "expected a boolean, got %s", node_name(n));
		}
		return check_bool(w, s, n, r, slot);
	case CYAML_STRING:
		if (n->type != KC_NODE_SCALAR) {
			return fail(w, n, "expected a string, got %s", node_name(n));
		}
		return check_string(w, s, n, r, slot);
	case CYAML_MAPPING:
		return walk_mapping(w, s, n, slot);
	case CYAML_SEQUENCE:
	case CYAML_SEQUENCE_FIXED:
		return walk_sequence(w, s, n, slot, count, count_size);
	default:
		return true;
	}
}

bool kc_schema_validate(const cyaml_schema_value_t *schema,
	const struct kc_node *node, const struct kc_path *base,
	struct kc_schema_error *err)
{
	struct walk w = { .err = err };
	if (base != NULL) {
		w.path = *base;
	}
	return walk_value(&w, schema, node, NULL, NULL, 0);
}

bool kc_schema_load(const cyaml_schema_value_t *schema, const struct kc_node *node,
	const struct kc_path *base, struct kc_arena *a, void **data,
	struct kc_schema_error *err)
{
	assert((unsigned)schema->flags & CYAML_FLAG_POINTER);
	struct walk w = { .err = err, .arena = a };
	if (base != NULL) {
		w.path = *base;
	}
	void *out = NULL;
	if (!walk_value(&w, schema, node, &out, NULL, 0)) {
		return false;
	}
	*data = out;
	return true;
}
