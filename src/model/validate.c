/*
 * Type-checks a resource's node tree against the libcyaml schema before
 * libcyaml loads it. libcyaml is lenient where the Kubernetes API server is
 * strict (it reads a quoted "true" as a boolean, `n` as true, "12abc" as 12),
 * so without this a wrong manifest would be checked as if it were right.
 * Scalars resolve as YAML 1.1 does in the API machinery (go-yaml v2).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static bool is_int(const char *s)
{
	const char *p = s;
	if (*p == '+' || *p == '-') {
		p++;
	}
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		p += 2;
		if (*p == '\0') {
			return false;
		}
		for (; *p; p++) {
			if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') ||
				(*p >= 'A' && *p <= 'F'))) {
				return false;
			}
		}
		return true;
	}
	if (*p == '\0') {
		return false;
	}
	for (; *p; p++) {
		if (*p < '0' || *p > '9') {
			return false;
		}
	}
	return true;
}

static bool is_float(const char *s)
{
	if (strcmp(s, ".inf") == 0 || strcmp(s, "-.inf") == 0 ||
		strcmp(s, "+.inf") == 0 || strcmp(s, ".nan") == 0 ||
		strcmp(s, ".Inf") == 0 || strcmp(s, ".NaN") == 0) {
		return true;
	}
	const char *p = s;
	if (*p == '+' || *p == '-') {
		p++;
	}
	bool digits = false;
	while (*p >= '0' && *p <= '9') {
		p++;
		digits = true;
	}
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9') {
			p++;
			digits = true;
		}
	}
	if (!digits) {
		return false;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-') {
			p++;
		}
		if (*p < '0' || *p > '9') {
			return false;
		}
		while (*p >= '0' && *p <= '9') {
			p++;
		}
	}
	return *p == '\0';
}

/* How YAML resolves a scalar, honouring explicit tags. */
enum resolved { R_STRING, R_NULL, R_BOOL, R_INT, R_FLOAT };

static enum resolved resolve(const struct kc_node *n)
{
	if (n->tag != NULL) {
		const char *t = n->tag;
		if (strcmp(t, "tag:yaml.org,2002:str") == 0) {
			return R_STRING;
		} else if (strcmp(t, "tag:yaml.org,2002:int") == 0) {
			return R_INT;
		} else if (strcmp(t, "tag:yaml.org,2002:bool") == 0) {
			return R_BOOL;
		} else if (strcmp(t, "tag:yaml.org,2002:float") == 0) {
			return R_FLOAT;
		} else if (strcmp(t, "tag:yaml.org,2002:null") == 0) {
			return R_NULL;
		}
	}
	if (n->style != KC_STYLE_PLAIN) {
		return R_STRING;
	}
	if (kc_node_is_null(n)) {
		return R_NULL;
	}
	if (in_list(bool_true, n->value) || in_list(bool_false, n->value) ||
		in_list(bool_short, n->value)) {
		return R_BOOL;
	}
	if (is_int(n->value)) {
		return R_INT;
	}
	if (is_float(n->value)) {
		return R_FLOAT;
	}
	return R_STRING;
}

static const char *resolved_name(enum resolved r)
{
	switch (r) {
	case R_NULL:
		return "null";
	case R_BOOL:
		return "boolean";
	case R_INT:
		return "integer";
	case R_FLOAT:
		return "number";
	default:
		return "string";
	}
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

static bool check_int(struct walk *w, const cyaml_schema_value_t *s,
	const struct kc_node *n)
{
	char v[48];
	show(v, sizeof(v), n);
	enum resolved r = resolve(n);
	if (r != R_INT) {
		if (n->style != KC_STYLE_PLAIN && is_int(n->value)) {
			return fail(w, n, "expected an integer, got the string \"%s\" "
				"(remove the quotes)", v);
		}
		return fail(w, n, "expected an integer, got %s '%s'",
			resolved_name(r), v);
	}
	errno = 0;
	char *end = NULL;
	long long x = strtoll(n->value, &end, 0);
	bool bad = errno != 0 || end == NULL || *end != '\0';
	if (!bad && s->data_size == 4 && (x < INT32_MIN || x > INT32_MAX)) {
		bad = true;
	}
	if (bad) {
		return fail(w, n, "integer '%s' is out of range", v);
	}
	return true;
}

static bool check_bool(struct walk *w, const struct kc_node *n)
{
	char v[48];
	show(v, sizeof(v), n);
	enum resolved r = resolve(n);
	if (r == R_BOOL && in_list(bool_short, n->value)) {
		return fail(w, n, "'%s' is a YAML 1.1 boolean that tools read "
			"differently; write true or false", v);
	}
	if (r == R_BOOL) {
		return true;
	}
	if (n->style != KC_STYLE_PLAIN &&
		(in_list(bool_true, n->value) || in_list(bool_false, n->value))) {
		return fail(w, n, "expected a boolean, got the string \"%s\" "
			"(remove the quotes)", v);
	}
	return fail(w, n, "expected a boolean (true or false), got %s '%s'",
		resolved_name(r), v);
}

static bool check_string(struct walk *w, const cyaml_schema_value_t *s,
	const struct kc_node *n)
{
	enum resolved r = resolve(n);
	if (r == R_STRING || (((unsigned)s->flags & KC_SCHEMA_INT_OR_STRING) &&
		(r == R_INT || r == R_FLOAT))) {
		return true;
	}
	char v[48];
	show(v, sizeof(v), n);
	return fail(w, n, "expected a string, got %s '%s' (quote it: \"%s\")",
		resolved_name(r), v, v);
}

static bool walk_value(struct walk *w, const cyaml_schema_value_t *s,
	const struct kc_node *n);

static bool walk_mapping(struct walk *w, const cyaml_schema_value_t *s,
	const struct kc_node *n)
{
	if (n->type != KC_NODE_MAPPING) {
		return fail(w, n, "expected a mapping, got %s", node_name(n));
	}
	for (size_t i = 0; i < n->count; i++) {
		const struct kc_node *k = n->items[2 * i];
		if (k->type != KC_NODE_SCALAR) {
			continue;
		}
		for (const cyaml_schema_field_t *f = s->mapping.fields; f->key; f++) {
			if (strlen(f->key) != k->len ||
				memcmp(f->key, k->value, k->len) != 0) {
				continue;
			}
			if (w->path.len >= KC_PATH_MAX) {
				return true;
			}
			kc_path_key(&w->path, f->key);
			bool ok = walk_value(w, &f->value, n->items[2 * i + 1]);
			w->path.len--;
			if (!ok) {
				return false;
			}
			break;
		}
	}
	return true;
}

static bool walk_value(struct walk *w, const cyaml_schema_value_t *s,
	const struct kc_node *n)
{
	if (n->type == KC_NODE_SCALAR && resolve(n) == R_NULL) {
		if ((unsigned)s->flags & CYAML_FLAG_POINTER) {
			return true;
		}
		return fail(w, n, "expected a value, got null");
	}
	switch (s->type) {
	case CYAML_INT:
	case CYAML_UINT:
		if (n->type != KC_NODE_SCALAR) {
			return fail(w, n, "expected an integer, got %s", node_name(n));
		}
		return check_int(w, s, n);
	case CYAML_BOOL:
		if (n->type != KC_NODE_SCALAR) {
			return fail(w, n, "expected a boolean, got %s", node_name(n));
		}
		return check_bool(w, n);
	case CYAML_STRING:
		if (n->type != KC_NODE_SCALAR) {
			return fail(w, n, "expected a string, got %s", node_name(n));
		}
		return check_string(w, s, n);
	case CYAML_MAPPING:
		return walk_mapping(w, s, n);
	case CYAML_SEQUENCE:
	case CYAML_SEQUENCE_FIXED:
		if (n->type != KC_NODE_SEQUENCE) {
			return fail(w, n, "expected a list, got %s", node_name(n));
		}
		for (size_t i = 0; i < n->count; i++) {
			if (w->path.len >= KC_PATH_MAX) {
				return true;
			}
			kc_path_index(&w->path, i);
			bool ok = walk_value(w, s->sequence.entry, n->items[i]);
			w->path.len--;
			if (!ok) {
				return false;
			}
		}
		return true;
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
	return walk_value(&w, schema, node);
}

/*
 * libcyaml cannot see quoting: with CYAML_FLAG_POINTER_NULL_STR it loads
 * '' and "null" as NULL, the same as an unset field. Kubernetes reads them
 * as strings (and Pod Security refuses procMount: '' or a seccomp type of
 * ''), so put the strings back where the node was a quoted scalar.
 */
static void fixup(const cyaml_schema_value_t *s, const struct kc_node *n,
	void *slot, struct kc_arena *a)
{
	if (n == NULL || slot == NULL) {
		return;
	}
	bool ptr = ((unsigned)s->flags & CYAML_FLAG_POINTER) != 0;
	switch (s->type) {
	case CYAML_STRING: {
		char **pp = slot;
		if (ptr && *pp == NULL && n->type == KC_NODE_SCALAR &&
			resolve(n) != R_NULL) {
			*pp = kc_arena_strndup(a, n->value, n->len);
		}
		return;
	}
	case CYAML_MAPPING: {
		void *data = ptr ? *(void **)slot : slot;
		if (data == NULL || n->type != KC_NODE_MAPPING) {
			return;
		}
		for (const cyaml_schema_field_t *f = s->mapping.fields; f->key; f++) {
			fixup(&f->value, kc_node_get(n, f->key),
				(char *)data + f->data_offset, a);
		}
		return;
	}
	case CYAML_SEQUENCE:
	case CYAML_SEQUENCE_FIXED: {
		char *items = *(char **)slot;
		const cyaml_schema_value_t *e = s->sequence.entry;
		if (items == NULL || n->type != KC_NODE_SEQUENCE) {
			return;
		}
		size_t stride = ((unsigned)e->flags & CYAML_FLAG_POINTER) ?
			sizeof(void *) : e->data_size;
		for (size_t i = 0; i < n->count; i++) {
			fixup(e, n->items[i], items + i * stride, a);
		}
		return;
	}
	default:
		return;
	}
}

void kc_schema_fixup(const cyaml_schema_value_t *schema, const struct kc_node *node,
	void **data, struct kc_arena *a)
{
	fixup(schema, node, data, a);
}
