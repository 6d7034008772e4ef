#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "k8scheck/loader.h"
#include "k8scheck/schema.h"

struct load {
	const char *name;
	const char *buf;
	size_t len;
	const struct kc_limits *limits;
	struct kc_diag *diag;
	struct kc_load_stats *stats;
	struct kc_arena *arena;
	bool ok;
	/* the document being built */
	struct kc_loaded_doc doc;
	unsigned workload_cap;
	unsigned skip_cap;
};

/* ---- libcyaml glue ------------------------------------------------------ */

static void *cyaml_arena_mem(void *ctx, void *ptr, size_t size)
{
	return kc_arena_realloc(ctx, ptr, size);
}

struct cyaml_log {
	char text[512];
	size_t len;
};

static void cyaml_log_fn(cyaml_log_t level, void *ctx, const char *fmt,
	va_list args) KC_PRINTF(3, 0);

static void cyaml_log_fn(cyaml_log_t level, void *ctx, const char *fmt, va_list args)
{
	struct cyaml_log *log = ctx;
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

/* ---- bookkeeping -------------------------------------------------------- */

static void error_at(struct load *ld, struct kc_pos pos, const char *fmt, ...)
	KC_PRINTF(3, 4);

static void error_at(struct load *ld, struct kc_pos pos, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	kc_diag_at(ld->diag, KC_DIAG_ERROR, ld->name, pos.line, pos.col, "%s", msg);
	ld->stats->input_errors++;
	ld->ok = false;
}

static void skip(struct load *ld, const char *kind, const char *reason)
{
	struct kc_loaded_doc *d = &ld->doc;
	if (d->skip_count == ld->skip_cap) {
		ld->skip_cap = ld->skip_cap ? ld->skip_cap * 2 : 8;
		d->skips = kc_arena_realloc(ld->arena, d->skips,
			ld->skip_cap * sizeof(*d->skips));
	}
	d->skips[d->skip_count++] = (struct kc_skip){ kind, reason };
}

static struct kc_workload *workload_new(struct load *ld)
{
	struct kc_loaded_doc *d = &ld->doc;
	if (d->workload_count == ld->workload_cap) {
		ld->workload_cap = ld->workload_cap ? ld->workload_cap * 2 : 4;
		d->workloads = kc_arena_realloc(ld->arena, d->workloads,
			ld->workload_cap * sizeof(*d->workloads));
	}
	struct kc_workload *w = &d->workloads[d->workload_count++];
	memset(w, 0, sizeof(*w));
	return w;
}

/* ---- classification ----------------------------------------------------- */

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static bool has_containers(const struct kc_node *spec)
{
	const struct kc_node *c = kc_node_get(spec, "containers");
	return c != NULL && c->type == KC_NODE_SEQUENCE;
}

/* Which pod-template shape a resource has, or false if it has none. */
static bool classify(const char *kind, const struct kc_node *res, enum kc_shape *shape)
{
	static const char *const template_kinds[] = { "DaemonSet", "Deployment",
		"Job", "ReplicaSet", "ReplicationController", "StatefulSet" };
	if (strcmp(kind, "Pod") == 0) {
		*shape = KC_SHAPE_POD;
		return true;
	}
	if (strcmp(kind, "PodTemplate") == 0) {
		*shape = KC_SHAPE_POD_TEMPLATE;
		return true;
	}
	if (strcmp(kind, "CronJob") == 0) {
		*shape = KC_SHAPE_JOB_TEMPLATE;
		return true;
	}
	for (size_t i = 0; i < sizeof(template_kinds) / sizeof(*template_kinds); i++) {
		if (strcmp(kind, template_kinds[i]) == 0) {
			*shape = KC_SHAPE_TEMPLATE;
			return true;
		}
	}
	/* Any other kind that embeds a pod template the usual way: Argo
	 * Rollouts, OpenShift DeploymentConfigs, Knative Services, ... */
	const struct kc_node *spec = kc_node_get(res, "spec");
	const struct kc_node *tmpl = kc_node_get(spec, "template");
	if (has_containers(kc_node_get(tmpl, "spec"))) {
		*shape = KC_SHAPE_TEMPLATE;
		return true;
	}
	const struct kc_node *jt = kc_node_get(kc_node_get(spec, "jobTemplate"), "spec");
	if (has_containers(kc_node_get(kc_node_get(jt, "template"), "spec"))) {
		*shape = KC_SHAPE_JOB_TEMPLATE;
		return true;
	}
	return false;
}

/* ---- loading one resource ----------------------------------------------- */

/* libcyaml reads only whole documents, so give it the resource's own text:
 * from the start of its first line, with whatever precedes the node on that
 * line (a `- ` or `--- `) blanked so the indentation still lines up. */
static char *slice(struct load *ld, const struct kc_node *n, size_t *len,
	size_t *line_start)
{
	/* A UTF-8 byte order mark is not part of the first line. */
	size_t first = (ld->len >= 3 && memcmp(ld->buf, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;
	size_t start = n->start_off;
	while (start > first && ld->buf[start - 1] != '\n' && ld->buf[start - 1] != '\r') {
		start--;
	}
	size_t end = n->end_off > ld->len ? ld->len : n->end_off;
	char *s = kc_arena_alloc(ld->arena, end - start + 1);
	memcpy(s, ld->buf + start, end - start);
	for (size_t i = 0; i < n->start_off - start; i++) {
		if (s[i] != '\t') {
			s[i] = ' ';
		}
	}
	*len = end - start;
	*line_start = start;
	return s;
}

/* Write node as flow YAML (JSON-like), aliases expanded. Used when the
 * resource's own text cannot stand alone: an alias whose anchor lies
 * outside it (a List item using another item's anchor). Strings are
 * double-quoted with escapes; libcyaml does not look at quoting, and the
 * validator has already checked the types on the real nodes. */
static void serialize(FILE *m, const struct kc_node *n)
{
	switch (n->type) {
	case KC_NODE_MAPPING:
		fputc('{', m);
		for (size_t i = 0; i < n->count; i++) {
			if (i > 0) {
				fputs(", ", m);
			}
			serialize(m, n->items[2 * i]);
			fputs(": ", m);
			serialize(m, n->items[2 * i + 1]);
		}
		fputc('}', m);
		return;
	case KC_NODE_SEQUENCE:
		fputc('[', m);
		for (size_t i = 0; i < n->count; i++) {
			if (i > 0) {
				fputs(", ", m);
			}
			serialize(m, n->items[i]);
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

static cyaml_err_t cyaml_try(struct load *ld, enum kc_shape shape, const char *text,
	size_t len, struct cyaml_log *log, void **data)
{
	const cyaml_config_t cfg = {
		.log_fn = cyaml_log_fn,
		.log_ctx = log,
		.mem_fn = cyaml_arena_mem,
		.mem_ctx = ld->arena,
		.log_level = CYAML_LOG_ERROR,
		.flags = CYAML_CFG_IGNORE_UNKNOWN_KEYS,
	};
	*data = NULL;
	log->len = 0;
	log->text[0] = '\0';
	return cyaml_load_data((const uint8_t *)text, len, &cfg, kc_schema_for(shape),
		data, NULL);
}

static bool cyaml_load(struct load *ld, enum kc_shape shape,
	const struct kc_node *res, void **data)
{
	size_t len, line_start;
	char *text = slice(ld, res, &len, &line_start);
	struct cyaml_log log;
	cyaml_err_t e = cyaml_try(ld, shape, text, len, &log, data);
	if (e != CYAML_OK) {
		char *flat = NULL;
		size_t flat_len = 0;
		FILE *m = open_memstream(&flat, &flat_len);
		if (m == NULL) {
			kc_arena_die_oom();
		}
		serialize(m, res);
		fclose(m);
		struct cyaml_log log2;
		if (cyaml_try(ld, shape, flat, flat_len, &log2, data) == CYAML_OK) {
			e = CYAML_OK;
		}
		free(flat);
	}
	if (e == CYAML_OK) {
		kc_schema_fixup(kc_schema_for(shape), res, data, ld->arena);
		return true;
	}
	/* The validator runs first, so this is rare. libcyaml's backtrace
	 * gives a line relative to the slice. */
	struct kc_pos pos = res->start;
	const char *at = NULL;
	for (const char *p = log.text; (p = strstr(p, "(line: ")) != NULL; p++) {
		at = p;
	}
	unsigned line = 0, col = 0;
	if (at != NULL && sscanf(at, "(line: %u, column: %u)", &line, &col) == 2 &&
		line > 0) {
		struct kc_pos base = kc_locator_pos_of(ld->buf, ld->len, line_start);
		pos.line = base.line + line - 1;
		pos.col = col;
	}
	char first[160];
	const char *msg = strncmp(log.text, "Load: ", 6) == 0 ? log.text + 6 : log.text;
	size_t n = strcspn(msg, "\n");
	if (n >= sizeof(first)) {
		n = sizeof(first) - 1;
	}
	memcpy(first, msg, n);
	first[n] = '\0';
	error_at(ld, pos, "cannot load the resource: %s (%s)",
		n > 0 ? first : "unknown error", cyaml_strerror(e));
	return false;
}

static void build_containers(struct load *ld, struct kc_workload *w)
{
	const struct kc_pod_spec *s = w->spec;
	const struct kc_container *lists[KC_CONTAINER__COUNT] = {
		s->init_containers, s->containers, s->ephemeral_containers,
	};
	unsigned counts[KC_CONTAINER__COUNT] = {
		s->init_containers_count, s->containers_count,
		s->ephemeral_containers_count,
	};
	unsigned total = counts[0] + counts[1] + counts[2];
	w->containers = kc_arena_alloc(ld->arena, (total ? total : 1) * sizeof(*w->containers));
	unsigned k = 0;
	for (int l = 0; l < KC_CONTAINER__COUNT; l++) {
		for (unsigned i = 0; i < counts[l]; i++) {
			struct kc_container_ref *r = &w->containers[k++];
			r->c = &lists[l][i];
			r->list = (enum kc_container_list)l;
			r->index = i;
			r->path = w->pod_spec_path;
			kc_path_key(&r->path, kc_container_list_key(r->list));
			kc_path_index(&r->path, i);
		}
	}
	w->container_count = total;
}

static void load_resource(struct load *ld, const struct kc_node *res,
	const struct kc_path *path, unsigned depth)
{
	if (res->type != KC_NODE_MAPPING) {
		skip(ld, NULL, "not a Kubernetes resource");
		return;
	}
	const char *api = kc_node_get_str(res, "apiVersion");
	const char *kind = kc_node_get_str(res, "kind");
	if (kind == NULL || *kind == '\0' || api == NULL || *api == '\0') {
		skip(ld, kind && *kind ? kind : NULL, "no apiVersion or kind");
		return;
	}
	const struct kc_node *items = kc_node_get(res, "items");
	if ((strcmp(kind, "List") == 0 || ends_with(kind, "List")) &&
		items != NULL && items->type == KC_NODE_SEQUENCE &&
		depth < 4 && path->len + 2 < KC_PATH_MAX) {
		for (size_t i = 0; i < items->count; i++) {
			struct kc_path p = *path;
			kc_path_key(&p, "items");
			kc_path_index(&p, i);
			load_resource(ld, items->items[i], &p, depth + 1);
		}
		return;
	}
	enum kc_shape shape;
	if (!classify(kind, res, &shape)) {
		skip(ld, kind, "no pod spec");
		return;
	}
	struct kc_schema_error err;
	if (!kc_schema_validate(kc_schema_for(shape), res, path, &err)) {
		char where[512];
		kc_path_format(ld->doc.root, &err.path, where, sizeof(where));
		error_at(ld, err.node->start, "invalid %s: %s: %s", kind, where,
			err.message);
		return;
	}
	void *data;
	if (!cyaml_load(ld, shape, res, &data)) {
		return;
	}
	const struct kc_object_meta *meta;
	const struct kc_pod_template *t = kc_schema_unwrap(shape, data, &meta);
	if (t == NULL || t->spec == NULL) {
		skip(ld, kind, "no pod template");
		return;
	}
	struct kc_workload *w = workload_new(ld);
	w->api_version = api;
	w->kind = kind;
	w->name = meta ? meta->name : NULL;
	w->namespace = meta ? meta->namespace : NULL;
	if (w->name == NULL && meta != NULL) {
		w->name = meta->generate_name;
	}
	w->doc_index = ld->doc.index;
	w->doc_root = ld->doc.root;
	w->resource_path = *path;
	struct kc_path tp = kc_path_join(path, kc_schema_template_path(shape));
	w->pod_meta_path = kc_path_join(&tp, "metadata");
	w->pod_spec_path = kc_path_join(&tp, "spec");
	w->spec = t->spec;
	build_containers(ld, w);
	ld->stats->workloads++;
}

/* ---- files -------------------------------------------------------------- */

/* Like memmem() for a two-byte needle (memmem is not POSIX). */
static const char *find2(const char *p, size_t n, const char *two)
{
	for (size_t i = 0; i + 1 < n; i++) {
		if (p[i] == two[0] && p[i + 1] == two[1]) {
			return p + i;
		}
	}
	return NULL;
}

static size_t indent_of(const char *line, const char *eol)
{
	const char *p = line;
	while (p < eol && *p == ' ') {
		p++;
	}
	return (size_t)(p - line);
}

/* Does the line (without comment) end with a block scalar header: | or >,
 * with optional chomping/indentation indicators? */
static bool opens_block_scalar(const char *line, const char *eol)
{
	const char *end = eol;
	while (end > line && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r')) {
		end--;
	}
	const char *p = end;
	while (p > line && (p[-1] == '-' || p[-1] == '+' ||
		(p[-1] >= '1' && p[-1] <= '9'))) {
		p--;
	}
	if (p == line || (p[-1] != '|' && p[-1] != '>')) {
		return false;
	}
	p--;
	return p == line || p[-1] == ' ' || p[-1] == ':' || p[-1] == '-';
}

/*
 * Go template syntax in a structural place means an unrendered chart: a
 * line with `{{ ... }}` outside quotes, comments and block scalars. Inside
 * those it is data (Vault agent templates, Prometheus rules) and a
 * rendered manifest may well carry it.
 */
static bool find_template(const char *buf, size_t len, size_t *at)
{
	const char *p = buf, *end = buf + len;
	size_t block_indent = 0;
	bool in_block = false;
	while (p < end) {
		const char *eol = p;
		while (eol < end && *eol != '\n') {
			eol++;
		}
		size_t ind = indent_of(p, eol);
		bool blank = p + ind >= eol || p[ind] == '\r';
		if (in_block && (blank || ind > block_indent)) {
			p = eol < end ? eol + 1 : end;
			continue;
		}
		in_block = false;
		char quote = 0;
		for (const char *c = p; c + 1 < eol; c++) {
			if (quote != 0) {
				if (*c == quote) {
					quote = 0;
				}
				continue;
			}
			if (*c == '"' || *c == '\'') {
				quote = *c;
			} else if (*c == '#' && (c == p || c[-1] == ' ' || c[-1] == '\t')) {
				break;
			} else if (c[0] == '{' && c[1] == '{') {
				const char *close = find2(c + 2, (size_t)(eol - c - 2), "}}");
				if (close != NULL) {
					*at = (size_t)(c - buf);
					return true;
				}
			}
		}
		if (opens_block_scalar(p, eol)) {
			in_block = true;
			block_indent = ind;
		}
		p = eol < end ? eol + 1 : end;
	}
	return false;
}

bool kc_loader_load_buffer(const char *name, const char *buf, size_t len,
	const struct kc_limits *limits, struct kc_diag *diag,
	kc_loader_doc_fn fn, void *ctx, struct kc_load_stats *stats)
{
	struct load ld = {
		.name = name, .buf = buf, .len = len, .limits = limits,
		.diag = diag, .stats = stats, .ok = true,
	};
	stats->files++;
	const unsigned char *u = (const unsigned char *)buf;
	if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
		error_at(&ld, (struct kc_pos){ 1, 1 },
			"UTF-16 text is not supported; save the file as UTF-8");
		return false;
	}
	size_t at;
	if (find_template(buf, len, &at)) {
		struct kc_pos pos = kc_locator_pos_of(buf, len, at);
		kc_diag_at(diag, KC_DIAG_WARNING, name, pos.line, pos.col,
			"template syntax '{{ }}': this is not a rendered manifest, "
			"so it was skipped (check the output of `helm template` instead)");
		stats->skipped_files++;
		return true;
	}
	ld.arena = kc_arena_create();
	struct kc_locator *loc = kc_locator_create(buf, len, limits);
	for (;;) {
		struct kc_document doc;
		struct kc_loc_error err;
		kc_arena_reset(ld.arena);
		enum kc_locator_status st = kc_locator_next(loc, ld.arena, &doc, &err);
		if (st == KC_LOCATOR_END) {
			break;
		}
		if (st != KC_LOCATOR_DOCUMENT) {
			/* A broken document is still a document of the file. */
			stats->documents++;
			error_at(&ld, err.pos, "%s", err.message);
			continue;
		}
		stats->documents++;
		ld.doc = (struct kc_loaded_doc){
			.file = name, .text = buf, .text_len = len,
			.start_off = doc.start_off, .end_off = doc.end_off,
			.index = doc.index, .root = doc.root, .arena = ld.arena,
		};
		ld.workload_cap = 0;
		ld.skip_cap = 0;
		if (doc.merge_key != NULL) {
			kc_diag_at(diag, KC_DIAG_WARNING, name, doc.merge_key->start.line,
				doc.merge_key->start.col,
				"merge key '<<' is not supported: merged fields are not checked");
		}
		struct kc_path root = { 0 };
		load_resource(&ld, doc.root, &root, 0);
		fn(ctx, &ld.doc);
	}
	kc_locator_destroy(loc);
	kc_arena_destroy(ld.arena);
	return ld.ok;
}

static bool read_all(FILE *in, size_t max, char **out, size_t *len, bool *too_big)
{
	size_t cap = 64 * 1024, n = 0;
	char *buf = malloc(cap);
	if (buf == NULL) {
		kc_arena_die_oom();
	}
	*too_big = false;
	for (;;) {
		if (n == cap) {
			cap *= 2;
			char *nb = realloc(buf, cap);
			if (nb == NULL) {
				free(buf);
				kc_arena_die_oom();
			}
			buf = nb;
		}
		size_t got = fread(buf + n, 1, cap - n, in);
		n += got;
		if (n > max) {
			*too_big = true;
			free(buf);
			return false;
		}
		if (got == 0) {
			break;
		}
	}
	if (ferror(in)) {
		free(buf);
		return false;
	}
	*out = buf;
	*len = n;
	return true;
}

bool kc_loader_read(const char *path, const char *name, FILE *in,
	const struct kc_limits *limits, struct kc_diag *diag,
	struct kc_load_stats *stats, char **out, size_t *out_len)
{
	const struct kc_limits *lim = limits ? limits : &kc_limits_default;
	char *buf = NULL;
	size_t len = 0;
	bool too_big = false;
	if (in != NULL) {
		if (!read_all(in, lim->max_file_bytes, &buf, &len, &too_big)) {
			goto fail_read;
		}
	} else {
		FILE *f = fopen(path, "rb");
		if (f == NULL) {
			kc_diag_at(diag, KC_DIAG_ERROR, name, 0, 0, "cannot read: %s",
				strerror(errno));
			stats->input_errors++;
			return false;
		}
		struct stat sb;
		if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
			fclose(f);
			kc_diag_at(diag, KC_DIAG_ERROR, name, 0, 0, "cannot read: %s",
				strerror(EISDIR));
			stats->input_errors++;
			return false;
		}
		bool ok = read_all(f, lim->max_file_bytes, &buf, &len, &too_big);
		int saved = errno;
		fclose(f);
		if (!ok) {
			errno = saved;
			goto fail_read;
		}
	}
	*out = buf;
	*out_len = len;
	return true;

fail_read:
	if (too_big) {
		kc_diag_at(diag, KC_DIAG_ERROR, name, 0, 0,
			"file is larger than the limit of %zu bytes (see --max-file-size)",
			lim->max_file_bytes);
	} else {
		kc_diag_at(diag, KC_DIAG_ERROR, name, 0, 0, "cannot read: %s",
			strerror(errno));
	}
	stats->input_errors++;
	return false;
}

bool kc_loader_load_file(const char *path, const char *name, FILE *in,
	const struct kc_limits *limits, struct kc_diag *diag,
	kc_loader_doc_fn fn, void *ctx, struct kc_load_stats *stats)
{
	const struct kc_limits *lim = limits ? limits : &kc_limits_default;
	char *buf;
	size_t len;
	if (!kc_loader_read(path, name, in, lim, diag, stats, &buf, &len)) {
		return false;
	}
	bool ok = kc_loader_load_buffer(name, buf, len, lim, diag, fn, ctx, stats);
	free(buf);
	return ok;
}
