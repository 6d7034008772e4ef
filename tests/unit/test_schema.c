#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "k8scheck/schema.h"
#include "support.h"

/*
 * kc_schema_load() fills the model from the node tree. Until it did, the
 * loader gave each resource's text to libcyaml (cyaml_load_data) and then
 * put back the quoted strings libcyaml reads as null (kc_schema_fixup). That
 * code lives on here as the reference: every manifest under tests/golden/
 * and examples/ (and any directory given after the source root) is loaded
 * both ways, and the two results must agree field by field.
 */

static const char *source_root;
static char **extra_roots;
static int extra_count;

/* ---- the reference: libcyaml + fixup, as the loader did it ---------------- */

static void *ref_mem(void *ctx, void *ptr, size_t size)
{
	return kc_arena_realloc(ctx, ptr, size);
}

struct ref_log {
	char text[512];
	size_t len;
};

static void ref_log_fn(cyaml_log_t level, void *ctx, const char *fmt, va_list args)
	KC_PRINTF(3, 0);

static void ref_log_fn(cyaml_log_t level, void *ctx, const char *fmt, va_list args)
{
	struct ref_log *log = ctx;
	if (log->len + 1 >= sizeof(log->text)) {
		return;
	}
	int n = vsnprintf(log->text + log->len, sizeof(log->text) - log->len, fmt, args);
	if (n > 0) {
		log->len += (size_t)n;
		if (log->len >= sizeof(log->text)) {
			log->len = sizeof(log->text) - 1;
		}
	}
}

/* The resource's own text: from the start of its first line, with what
 * precedes the node on that line (a `- ` or `--- `) blanked. */
static char *ref_slice(const char *buf, size_t len, const struct kc_node *n,
	struct kc_arena *a, size_t *out_len)
{
	size_t first = (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;
	size_t start = n->start_off;
	while (start > first && buf[start - 1] != '\n' && buf[start - 1] != '\r') {
		start--;
	}
	size_t end = n->end_off > len ? len : n->end_off;
	char *s = kc_arena_alloc(a, end - start + 1);
	memcpy(s, buf + start, end - start);
	for (size_t i = 0; i < n->start_off - start; i++) {
		if (s[i] != '\t') {
			s[i] = ' ';
		}
	}
	*out_len = end - start;
	return s;
}

/* The node as flow YAML with aliases expanded, for a resource whose text
 * cannot stand alone (an alias to an anchor outside it). */
static void ref_serialize(FILE *m, const struct kc_node *n)
{
	switch (n->type) {
	case KC_NODE_MAPPING:
		fputc('{', m);
		for (size_t i = 0; i < n->count; i++) {
			if (i > 0) {
				fputs(", ", m);
			}
			ref_serialize(m, n->items[2 * i]);
			fputs(": ", m);
			ref_serialize(m, n->items[2 * i + 1]);
		}
		fputc('}', m);
		return;
	case KC_NODE_SEQUENCE:
		fputc('[', m);
		for (size_t i = 0; i < n->count; i++) {
			if (i > 0) {
				fputs(", ", m);
			}
			ref_serialize(m, n->items[i]);
		}
		fputc(']', m);
		return;
	default:
		if (kc_node_is_null(n)) {
			fputs("~", m);
			return;
		}
		fputc('"', m);
		for (size_t i = 0; i < n->len; i++) {
			unsigned char c = (unsigned char)n->value[i];
			if (c == '"' || c == '\\') {
				fprintf(m, "\\%c", c);
			} else if (c < 0x20 || c == 0x7F) {
				fprintf(m, "\\x%02X", c);
			} else {
				fputc(c, m);
			}
		}
		fputc('"', m);
		return;
	}
}

static cyaml_err_t ref_try(const cyaml_schema_value_t *schema, const char *text,
	size_t len, struct kc_arena *a, struct ref_log *log, void **data)
{
	const cyaml_config_t cfg = {
		.log_fn = ref_log_fn,
		.log_ctx = log,
		.mem_fn = ref_mem,
		.mem_ctx = a,
		.log_level = CYAML_LOG_ERROR,
		.flags = CYAML_CFG_IGNORE_UNKNOWN_KEYS,
	};
	*data = NULL;
	log->len = 0;
	log->text[0] = '\0';
	return cyaml_load_data((const uint8_t *)text, len, &cfg, schema, data, NULL);
}

/* libcyaml loads '' and "null" as NULL: put the strings back where the node
 * is a scalar that YAML does not resolve to null. */
static void ref_fixup(const cyaml_schema_value_t *s, const struct kc_node *n,
	void *slot, struct kc_arena *a)
{
	if (n == NULL || slot == NULL) {
		return;
	}
	bool ptr = ((unsigned)s->flags & CYAML_FLAG_POINTER) != 0;
	switch (s->type) {
	case CYAML_STRING: {
		char **pp = slot;
		if (ptr && *pp == NULL && n->type == KC_NODE_SCALAR && !kc_node_is_null(n)) {
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
			ref_fixup(&f->value, kc_node_get(n, f->key),
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
			ref_fixup(e, n->items[i], items + i * stride, a);
		}
		return;
	}
	default:
		return;
	}
}

/* Load res with libcyaml as the loader used to; false with *why on failure. */
static bool ref_load(const char *buf, size_t len, const cyaml_schema_value_t *schema,
	const struct kc_node *res, struct kc_arena *a, void **data, char *why, size_t why_size)
{
	size_t text_len;
	char *text = ref_slice(buf, len, res, a, &text_len);
	struct ref_log log;
	cyaml_err_t e = ref_try(schema, text, text_len, a, &log, data);
	if (e != CYAML_OK) {
		char *flat = NULL;
		size_t flat_len = 0;
		FILE *m = open_memstream(&flat, &flat_len);
		ck_assert_ptr_nonnull(m);
		ref_serialize(m, res);
		fclose(m);
		struct ref_log log2;
		if (ref_try(schema, flat, flat_len, a, &log2, data) == CYAML_OK) {
			e = CYAML_OK;
		}
		free(flat);
	}
	if (e != CYAML_OK) {
		snprintf(why, why_size, "%s (%s)", log.text, cyaml_strerror(e));
		return false;
	}
	ref_fixup(schema, res, data, a);
	return true;
}

/* ---- comparing two loads, led by the schema ----------------------------- */

struct cmp {
	char path[512];
	size_t len;
	char first[1040];            /* the first difference, for the message */
	unsigned diffs;
};

static void push(struct cmp *c, const char *fmt, ...) KC_PRINTF(2, 3);

static void push(struct cmp *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (c->len < sizeof(c->path)) {
		int n = vsnprintf(c->path + c->len, sizeof(c->path) - c->len, fmt, ap);
		if (n > 0) {
			c->len += (size_t)n;
		}
	}
	va_end(ap);
	if (c->len >= sizeof(c->path)) {
		c->len = sizeof(c->path) - 1;
	}
}

static void differ(struct cmp *c, const char *fmt, ...) KC_PRINTF(2, 3);

static void differ(struct cmp *c, const char *fmt, ...)
{
	if (c->diffs++ > 0) {
		return;
	}
	char what[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(c->first, sizeof(c->first), "at '%s': %s", c->path, what);
}

static uint64_t read_uint(const void *p, size_t size)
{
	switch (size) {
	case 1: {
		uint8_t v;
		memcpy(&v, p, 1);
		return v;
	}
	case 2: {
		uint16_t v;
		memcpy(&v, p, 2);
		return v;
	}
	case 4: {
		uint32_t v;
		memcpy(&v, p, 4);
		return v;
	}
	default: {
		uint64_t v;
		ck_assert_uint_eq(size, 8);
		memcpy(&v, p, 8);
		return v;
	}
	}
}

static void compare(struct cmp *c, const cyaml_schema_value_t *s, const void *a,
	const void *b, const void *a_count, const void *b_count, size_t count_size);

static void compare_fields(struct cmp *c, const cyaml_schema_value_t *s,
	const char *a, const char *b)
{
	size_t mark = c->len;
	for (const cyaml_schema_field_t *f = s->mapping.fields; f->key; f++) {
		push(c, ".%s", f->key);
		compare(c, &f->value, a + f->data_offset, b + f->data_offset,
			a + f->count_offset, b + f->count_offset, f->count_size);
		c->len = mark;
		c->path[mark] = '\0';
	}
}

/* a and b are where a value of schema s is stored (the pointer, for a
 * pointer type); a_count and b_count hold a sequence's length. */
static void compare(struct cmp *c, const cyaml_schema_value_t *s, const void *a,
	const void *b, const void *a_count, const void *b_count, size_t count_size)
{
	bool ptr = ((unsigned)s->flags & CYAML_FLAG_POINTER) != 0;
	if (s->type == CYAML_SEQUENCE) {
		uint64_t na = read_uint(a_count, count_size);
		uint64_t nb = read_uint(b_count, count_size);
		const char *ia, *ib;
		memcpy(&ia, a, sizeof(ia));
		memcpy(&ib, b, sizeof(ib));
		if (na != nb || (ia == NULL) != (ib == NULL)) {
			differ(c, "list of %llu (%s) against %llu (%s)",
				(unsigned long long)na, ia ? "allocated" : "NULL",
				(unsigned long long)nb, ib ? "allocated" : "NULL");
			return;
		}
		size_t mark = c->len;
		for (uint64_t i = 0; i < na; i++) {
			push(c, "[%llu]", (unsigned long long)i);
			compare(c, s->sequence.entry, ia + i * s->data_size,
				ib + i * s->data_size, NULL, NULL, 0);
			c->len = mark;
			c->path[mark] = '\0';
		}
		return;
	}
	ck_assert_msg(s->type == CYAML_MAPPING || s->type == CYAML_STRING ||
		s->type == CYAML_INT || s->type == CYAML_BOOL,
		"schema type %d is not compared yet", (int)s->type);
	if (ptr) {
		const void *pa, *pb;
		memcpy(&pa, a, sizeof(pa));
		memcpy(&pb, b, sizeof(pb));
		if ((pa == NULL) != (pb == NULL)) {
			differ(c, "%s against %s", pa ? "set" : "NULL", pb ? "set" : "NULL");
			return;
		}
		if (pa == NULL) {
			return;
		}
		a = pa;
		b = pb;
	}
	switch (s->type) {
	case CYAML_STRING:
		if (strcmp(a, b) != 0) {
			differ(c, "'%s' against '%s'", (const char *)a, (const char *)b);
		}
		return;
	case CYAML_INT:
	case CYAML_BOOL: {
		uint64_t va = read_uint(a, s->data_size);
		uint64_t vb = read_uint(b, s->data_size);
		if (va != vb) {
			differ(c, "%llu against %llu", (unsigned long long)va,
				(unsigned long long)vb);
		}
		return;
	}
	default:
		compare_fields(c, s, a, b);
		return;
	}
}

/* ---- walking the manifests ---------------------------------------------- */

struct tally {
	unsigned files;
	unsigned resources;          /* loaded both ways and compared */
	unsigned refused;            /* refused by the validator */
	unsigned failures;
	char first_failure[2048];
};

static void failure(struct tally *t, const char *fmt, ...) KC_PRINTF(2, 3);

static void failure(struct tally *t, const char *fmt, ...)
{
	if (t->failures++ > 0) {
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(t->first_failure, sizeof(t->first_failure), fmt, ap);
	va_end(ap);
}

static bool is_manifest(const char *name)
{
	size_t n = strlen(name);
	static const char *const ext[] = { ".yaml", ".yml", ".json" };
	for (size_t i = 0; i < sizeof(ext) / sizeof(*ext); i++) {
		size_t m = strlen(ext[i]);
		if (n > m && strcmp(name + n - m, ext[i]) == 0) {
			return true;
		}
	}
	return false;
}

static void one_resource(struct tally *t, const char *file, const char *buf,
	size_t len, const struct kc_node *res, unsigned depth, struct kc_arena *a)
{
	if (res->type != KC_NODE_MAPPING) {
		return;
	}
	const char *kind = kc_node_get_str(res, "kind");
	if (kind == NULL || *kind == '\0') {
		return;
	}
	const struct kc_node *items = kc_node_get(res, "items");
	size_t klen = strlen(kind);
	if (klen >= 4 && strcmp(kind + klen - 4, "List") == 0 && items != NULL &&
		items->type == KC_NODE_SEQUENCE && depth < 4) {
		for (size_t i = 0; i < items->count; i++) {
			one_resource(t, file, buf, len, items->items[i], depth + 1, a);
		}
		return;
	}
	enum kc_shape shape;
	if (!kc_schema_shape(kind, res, &shape)) {
		return;
	}
	const cyaml_schema_value_t *schema = kc_schema_for(shape);
	struct kc_schema_error err;
	void *mine = NULL;
	if (!kc_schema_load(schema, res, NULL, a, &mine, &err)) {
		t->refused++;
		return;
	}
	void *ref = NULL;
	char why[640];
	if (!ref_load(buf, len, schema, res, a, &ref, why, sizeof(why))) {
		failure(t, "%s:%u:%u: %s: libcyaml refused what kc_schema_load loaded: %s",
			file, res->start.line, res->start.col, kind, why);
		return;
	}
	struct cmp c = { .len = 0 };
	push(&c, "%s", kind);
	compare(&c, schema, &mine, &ref, NULL, NULL, 0);
	if (c.diffs > 0) {
		failure(t, "%s:%u:%u: %u difference(s) between kc_schema_load and "
			"libcyaml, the first %s", file, res->start.line, res->start.col,
			c.diffs, c.first);
	}
	t->resources++;
}

static void one_buffer(struct tally *t, const char *file, const char *buf, size_t len)
{
	struct kc_arena *a = kc_arena_create();
	struct kc_locator *l = kc_locator_create(buf, len, NULL);
	for (;;) {
		struct kc_document doc;
		struct kc_loc_error err;
		kc_arena_reset(a);
		enum kc_locator_status st = kc_locator_next(l, a, &doc, &err);
		if (st == KC_LOCATOR_END) {
			break;
		}
		/* libcyaml does not resolve merge keys "<<"; Kubernetes'
		 * decoder and the locator do (test_locator.c holds that). */
		if (st == KC_LOCATOR_DOCUMENT && doc.merge_key == NULL) {
			one_resource(t, file, buf, len, doc.root, 0, a);
		}
	}
	kc_locator_destroy(l);
	kc_arena_destroy(a);
}

static void one_file(struct tally *t, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		return;
	}
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(m);
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		fwrite(chunk, 1, n, m);
	}
	fclose(f);
	fclose(m);
	t->files++;
	one_buffer(t, path, buf, len);
	free(buf);
}

static int by_name(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Every manifest under dir, recursively, in name order; symbolic links are
 * not followed (tests/golden has a loop and a dangling one on purpose). */
static void walk_dir(struct tally *t, const char *dir)
{
	DIR *d = opendir(dir);
	if (d == NULL) {
		return;
	}
	char **names = NULL;
	size_t count = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.') {
			continue;
		}
		if (count == cap) {
			cap = cap ? cap * 2 : 64;
			names = realloc(names, cap * sizeof(*names));
			ck_assert_ptr_nonnull(names);
		}
		names[count] = malloc(strlen(dir) + strlen(e->d_name) + 2);
		ck_assert_ptr_nonnull(names[count]);
		sprintf(names[count], "%s/%s", dir, e->d_name);
		count++;
	}
	closedir(d);
	if (count > 0) {
		qsort(names, count, sizeof(*names), by_name);
	}
	for (size_t i = 0; i < count; i++) {
		struct stat sb;
		if (lstat(names[i], &sb) == 0) {
			if (S_ISDIR(sb.st_mode)) {
				walk_dir(t, names[i]);
			} else if (S_ISREG(sb.st_mode) && is_manifest(names[i])) {
				one_file(t, names[i]);
			}
		}
		free(names[i]);
	}
	free(names);
}

/* ---- tests ---------------------------------------------------------------- */

START_TEST(same_as_libcyaml_on_the_tree)
{
	ck_assert_msg(source_root != NULL, "pass the source root as the first argument");
	struct tally t = { 0 };
	static const char *const dirs[] = { "tests/golden", "examples" };
	for (size_t i = 0; i < sizeof(dirs) / sizeof(*dirs); i++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", source_root, dirs[i]);
		walk_dir(&t, path);
	}
	for (int i = 0; i < extra_count; i++) {
		walk_dir(&t, extra_roots[i]);
	}
	fprintf(stderr, "test_schema: %u files, %u resources compared, %u refused "
		"by the validator\n", t.files, t.resources, t.refused);
	ck_assert_msg(t.failures == 0, "%u resource(s) differ; %s", t.failures,
		t.first_failure);
	/* Guard against comparing nothing (a wrong root, a broken walk). */
	ck_assert_uint_gt(t.files, 200);
	ck_assert_uint_gt(t.resources, 250);
}
END_TEST

/* Inputs that stress the corners: quoting, nulls, tags, empty collections,
 * YAML 1.1 words, and a List item whose alias points into another item. */
static const char *const corners[] = {
	"apiVersion: v1\nkind: Pod\nmetadata: {name: '', namespace: \"null\"}\n"
	"spec:\n  serviceAccountName: ~\n  runtimeClassName: 'null'\n"
	"  hostNetwork: true\n  hostPID: null\n  hostIPC: NO\n  hostUsers: Off\n"
	"  securityContext: {}\n  volumes: []\n  initContainers: ~\n"
	"  containers:\n  - name: a\n    image: !!str null\n"
	"    ports: [{containerPort: 0x50, hostPort: -1}, {containerPort: 017}]\n"
	"    env: [{name: A, value: ''}, {name: B, value: }, {name: C, value: \"~\"}]\n"
	"    securityContext:\n      capabilities: {add: [null, '', ~, x], drop: []}\n"
	"      runAsUser: 9223372036854775807\n      runAsGroup: -9223372036854775808\n"
	"      privileged: !!bool on\n      readOnlyRootFilesystem: Yes\n"
	"      allowPrivilegeEscalation: FALSE\n      procMount: ''\n"
	"    resources: {limits: {cpu: 1, memory: 1.5}, requests: {cpu: '100m'}}\n"
	"    livenessProbe: {httpGet: {port: 8080}, exec: {command: [a, '', ~]}}\n",

	"apiVersion: v1\nkind: List\nitems:\n"
	"- apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: d}\n"
	"  spec:\n    template:\n      spec:\n        containers: &c\n"
	"        - name: app\n          image: nginx:1\n"
	"          securityContext: &sc {runAsNonRoot: true}\n"
	"- apiVersion: batch/v1\n  kind: CronJob\n  metadata: {name: j}\n"
	"  spec:\n    jobTemplate:\n      spec:\n        template:\n"
	"          spec:\n            containers: *c\n"
	"            securityContext: *sc\n",

	"{\"apiVersion\": \"v1\", \"kind\": \"PodTemplate\", \"template\": {\"spec\": "
	"{\"containers\": [{\"name\": \"x\", \"image\": \"\", \"volumeMounts\": "
	"[{\"name\": \"v\", \"readOnly\": false}]}], \"volumes\": [{\"name\": \"v\", "
	"\"emptyDir\": {}, \"hostPath\": {\"path\": \"/\"}}, {\"name\": \"w\", "
	"\"secret\": null, \"configMap\": {\"name\": \"c\"}}], "
	"\"securityContext\": {\"supplementalGroups\": [1, 2, 3], "
	"\"sysctls\": [{\"name\": \"a\", \"value\": \"1\"}], "
	"\"seccompProfile\": {\"type\": \"RuntimeDefault\"}}}}}\n",
};

START_TEST(same_as_libcyaml_on_corners)
{
	struct tally t = { 0 };
	for (size_t i = 0; i < sizeof(corners) / sizeof(*corners); i++) {
		char name[32];
		snprintf(name, sizeof(name), "corner-%zu", i);
		one_buffer(&t, name, corners[i], strlen(corners[i]));
	}
	ck_assert_msg(t.failures == 0, "%s", t.first_failure);
	ck_assert_uint_eq(t.refused, 0);
	ck_assert_uint_eq(t.resources, 4);
}
END_TEST

/* The comparison itself must notice a difference. */
START_TEST(compare_sees_differences)
{
	struct kc_arena *a = kc_arena_create();
	const char *yaml = "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n"
		"  - name: a\n    securityContext: {runAsUser: 5}\n";
	const struct kc_node *root = t_parse(a, yaml);
	const cyaml_schema_value_t *schema = kc_schema_for(KC_SHAPE_POD);
	struct kc_schema_error err;
	void *x = NULL, *y = NULL;
	ck_assert(kc_schema_load(schema, root, NULL, a, &x, &err));
	ck_assert(kc_schema_load(schema, root, NULL, a, &y, &err));
	struct cmp c = { .len = 0 };
	compare(&c, schema, &x, &y, NULL, NULL, 0);
	ck_assert_uint_eq(c.diffs, 0);
	struct kc_pod_template *p = y;
	*p->spec->containers[0].security_context->run_as_user = 6;
	static char b[] = "b";
	p->spec->containers[0].name = b;
	compare(&c, schema, &x, &y, NULL, NULL, 0);
	ck_assert_uint_eq(c.diffs, 2);
	ck_assert_str_eq(c.first, "at '.spec.containers[0].name': 'a' against 'b'");
	kc_arena_destroy(a);
}
END_TEST

/* What the loaded model looks like, spelled out. */
START_TEST(load_values)
{
	struct kc_arena *a = kc_arena_create();
	const struct kc_node *root = t_parse(a, corners[0]);
	struct kc_schema_error err;
	void *data = NULL;
	ck_assert(kc_schema_load(kc_schema_for(KC_SHAPE_POD), root, NULL, a, &data, &err));
	const struct kc_pod_template *p = data;
	ck_assert_str_eq(p->metadata->name, "");
	ck_assert_str_eq(p->metadata->namespace, "null");
	ck_assert_ptr_null(p->metadata->generate_name);
	const struct kc_pod_spec *s = p->spec;
	ck_assert_ptr_null(s->service_account_name);
	ck_assert_str_eq(s->runtime_class_name, "null");
	ck_assert(*s->host_network);
	ck_assert_ptr_null(s->host_pid);
	ck_assert(!*s->host_ipc);
	ck_assert(!*s->host_users);
	ck_assert_ptr_nonnull(s->security_context);
	ck_assert_ptr_null(s->security_context->run_as_user);
	ck_assert_ptr_null(s->volumes);
	ck_assert_uint_eq(s->volumes_count, 0);
	ck_assert_ptr_null(s->init_containers);
	ck_assert_uint_eq(s->containers_count, 1);
	const struct kc_container *c = &s->containers[0];
	ck_assert_str_eq(c->image, "null");
	ck_assert_uint_eq(c->ports_count, 2);
	ck_assert_int_eq(*c->ports[0].container_port, 80);
	ck_assert_int_eq(*c->ports[0].host_port, -1);
	ck_assert_int_eq(*c->ports[1].container_port, 15);
	ck_assert_uint_eq(c->env_count, 3);
	ck_assert_str_eq(c->env[0].value, "");
	ck_assert_ptr_null(c->env[1].value);
	ck_assert_str_eq(c->env[2].value, "~");
	const struct kc_security_context *sc = c->security_context;
	ck_assert_uint_eq(sc->capabilities->add_count, 4);
	ck_assert_str_eq(sc->capabilities->add[0], "null");
	ck_assert_str_eq(sc->capabilities->add[1], "");
	ck_assert_str_eq(sc->capabilities->add[2], "~");
	ck_assert_str_eq(sc->capabilities->add[3], "x");
	ck_assert_ptr_null(sc->capabilities->drop);
	ck_assert_uint_eq(sc->capabilities->drop_count, 0);
	ck_assert(*sc->run_as_user == INT64_MAX);
	ck_assert(*sc->run_as_group == INT64_MIN);
	ck_assert(*sc->privileged);
	ck_assert(*sc->read_only_root_filesystem);
	ck_assert(!*sc->allow_privilege_escalation);
	ck_assert_str_eq(sc->proc_mount, "");
	ck_assert_str_eq(c->resources->limits->cpu, "1");
	ck_assert_str_eq(c->resources->limits->memory, "1.5");
	ck_assert_ptr_null(c->resources->limits->ephemeral_storage);
	ck_assert_str_eq(c->liveness_probe->http_get->port, "8080");
	ck_assert_uint_eq(c->liveness_probe->exec->command_count, 3);
	ck_assert_str_eq(c->liveness_probe->exec->command[2], "~");
	kc_arena_destroy(a);
}
END_TEST

/* On failure the output is left alone, and the error is the validator's. */
START_TEST(load_refuses_like_validate)
{
	struct kc_arena *a = kc_arena_create();
	const struct kc_node *root = t_parse(a, "spec:\n  containers:\n"
		"  - name: a\n    securityContext: {privileged: 'true'}\n"
		"  - name: 5\n");
	struct kc_schema_error e1, e2;
	void *data = (void *)&e1;
	ck_assert(!kc_schema_validate(kc_schema_for(KC_SHAPE_POD), root, NULL, &e1));
	ck_assert(!kc_schema_load(kc_schema_for(KC_SHAPE_POD), root, NULL, a, &data, &e2));
	ck_assert_ptr_eq(data, &e1);
	ck_assert_ptr_eq(e1.node, e2.node);
	ck_assert_str_eq(e1.message, e2.message);
	ck_assert_str_eq(e1.message,
		"expected a boolean, got the string \"true\" (remove the quotes)");
	ck_assert_uint_eq(e1.path.len, e2.path.len);
	kc_arena_destroy(a);
}
END_TEST

/* libcyaml cannot load a mapping key that is itself a collection, and
 * neither can Kubernetes: it is refused, not skipped. */
START_TEST(collection_key_refused)
{
	struct kc_arena *a = kc_arena_create();
	const struct kc_node *root = t_parse(a, "spec:\n  containers:\n"
		"  - name: a\n    ? [x]\n    : y\n");
	struct kc_schema_error err;
	void *data = NULL;
	ck_assert(!kc_schema_load(kc_schema_for(KC_SHAPE_POD), root, NULL, a, &data, &err));
	ck_assert_str_eq(err.message, "expected a string key, got a list");
	ck_assert_uint_eq(err.node->start.line, 4);
	ck_assert_uint_eq(err.node->start.col, 7);
	kc_arena_destroy(a);
}
END_TEST

static Suite *schema_suite(void)
{
	Suite *s = suite_create("schema");
	TCase *tc = tcase_create("differential");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, same_as_libcyaml_on_the_tree);
	tcase_add_test(tc, same_as_libcyaml_on_corners);
	tcase_add_test(tc, compare_sees_differences);
	suite_add_tcase(s, tc);
	tc = tcase_create("load");
	tcase_add_test(tc, load_values);
	tcase_add_test(tc, load_refuses_like_validate);
	tcase_add_test(tc, collection_key_refused);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	source_root = argc > 1 ? argv[1] : NULL;
	extra_roots = argv + 2;
	extra_count = argc > 2 ? argc - 2 : 0;
	return t_run(schema_suite());
}
