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

/* ---- loading one resource ----------------------------------------------- */

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
	if (!kc_schema_shape(kind, res, &shape)) {
		skip(ld, kind, "no pod spec");
		return;
	}
	struct kc_schema_error err;
	void *data;
	if (!kc_schema_load(kc_schema_for(shape), res, path, ld->arena, &data, &err)) {
		char where[512];
		kc_path_format(ld->doc.root, &err.path, where, sizeof(where));
		error_at(ld, err.node->start, "invalid %s: %s: %s", kind, where,
			err.message);
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
	const char *end = p + n;
	while (n >= 2) {
		const char *c = memchr(p, two[0], n - 1);
		if (c == NULL) {
			return NULL;
		}
		if (c[1] == two[1]) {
			return c;
		}
		p = c + 1;
		n = (size_t)(end - p);
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
 * In a file that does not parse, Go template syntax in a structural place
 * means an unrendered chart: a line with `{{ ... }}` outside quotes,
 * comments and block scalars. Inside those it is data (Vault agent
 * templates, Prometheus rules) and a rendered manifest may well carry it.
 * This raw-text view only serves as evidence for files that are not YAML;
 * a file that parses is judged by its tree (template_node).
 */
static bool find_template(const char *buf, size_t len, size_t *at)
{
	/* Most files have no `{{` at all: one memchr pass settles that. */
	if (find2(buf, len, "{{") == NULL) {
		return false;
	}
	const char *p = buf, *end = buf + len;
	size_t block_indent = 0;
	bool in_block = false;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (eol == NULL) {
			eol = end;
		}
		size_t ind = indent_of(p, eol);
		bool blank = p + ind >= eol || p[ind] == '\r';
		if (in_block && (blank || ind > block_indent)) {
			p = eol < end ? eol + 1 : end;
			continue;
		}
		in_block = false;
		/* Quotes and comments end with the line, so only a line with
		 * `{{` in it needs the scan. */
		char quote = 0;
		const char *c = find2(p, (size_t)(eol - p), "{{") != NULL ? p : eol;
		for (; c + 1 < eol; c++) {
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

/* A node written `{{ ... }}`: a flow mapping whose text opens with two
 * braces, its first key being a flow mapping itself. That is template
 * syntax that happens to parse; Kubernetes' decoder takes no mapping as a
 * key, so it is never data. */
static const struct kc_node *template_node(const char *buf, const struct kc_node *n)
{
	if (n->type == KC_NODE_SCALAR) {
		return NULL;
	}
	if (n->type == KC_NODE_MAPPING && n->style == KC_STYLE_FLOW && n->count > 0) {
		const struct kc_node *k = n->items[0];
		if (k->type == KC_NODE_MAPPING && k->style == KC_STYLE_FLOW &&
			k->start_off == n->start_off + 1 && buf[n->start_off] == '{' &&
			buf[k->start_off] == '{') {
			return n;
		}
	}
	/* Aliases revisit their anchor's nodes: the walk is bounded by the
	 * document's weight, which --max-aliases bounds. */
	size_t items = n->type == KC_NODE_MAPPING ? 2 * n->count : n->count;
	for (size_t i = 0; i < items; i++) {
		const struct kc_node *t = template_node(buf, n->items[i]);
		if (t != NULL) {
			return t;
		}
	}
	return NULL;
}

/*
 * Is the file an unrendered template? Decided from parsing: a file whose
 * documents all parse is checked, unless its tree holds `{{ }}` where
 * Kubernetes needs structure (template_node); a file with a syntax error
 * is a template if its text has `{{ }}` outside quotes, comments and block
 * scalars. *at is where the template syntax is.
 */
static bool is_template(const char *buf, size_t len, const struct kc_limits *limits,
	size_t *at)
{
	/* Most files have no `{{` at all: one memchr pass settles that. */
	if (find2(buf, len, "{{") == NULL) {
		return false;
	}
	struct kc_locator *loc = kc_locator_create(buf, len, limits);
	struct kc_arena *a = kc_arena_create();
	bool broken = false, found = false;
	for (;;) {
		struct kc_document doc;
		struct kc_loc_error err;
		kc_arena_reset(a);
		enum kc_locator_status st = kc_locator_next(loc, a, &doc, &err);
		if (st == KC_LOCATOR_END) {
			break;
		}
		if (st == KC_LOCATOR_SYNTAX_ERROR) {
			broken = true;
		} else if (st == KC_LOCATOR_DOCUMENT) {
			const struct kc_node *t = template_node(buf, doc.root);
			if (t != NULL) {
				*at = t->start_off;
				found = true;
				break;
			}
		}
	}
	kc_arena_destroy(a);
	kc_locator_destroy(loc);
	return found || (broken && find_template(buf, len, at));
}

/*
 * "UTF-16" or "UTF-32" if the file is in one of them, else NULL: by its
 * byte order mark, or without one by the zero bytes around its first,
 * ASCII character, as the YAML specification detects encodings (5.2).
 * UTF-32LE's mark begins with UTF-16LE's, so it is tested first.
 */
static const char *utf16_or_32(const char *buf, size_t len)
{
	const unsigned char *u = (const unsigned char *)buf;
	if (len >= 4 && ((u[0] == 0 && u[1] == 0 && u[2] == 0xFE && u[3] == 0xFF) ||
		(u[0] == 0xFF && u[1] == 0xFE && u[2] == 0 && u[3] == 0) ||
		(u[0] == 0 && u[1] == 0 && u[2] == 0 && u[3] != 0 && u[3] < 0x80) ||
		(u[0] != 0 && u[0] < 0x80 && u[1] == 0 && u[2] == 0 && u[3] == 0))) {
		return "UTF-32";
	}
	if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF) ||
		(u[0] == 0 && u[1] != 0 && u[1] < 0x80) ||
		(u[0] != 0 && u[0] < 0x80 && u[1] == 0))) {
		return "UTF-16";
	}
	return NULL;
}

/* owned: every document gets an arena of its own (from new_arena, if not
 * NULL), which passes to fn. */
static bool load_buffer(const char *name, const char *buf, size_t len,
	const struct kc_limits *limits, struct kc_diag *diag,
	kc_loader_doc_fn fn, void *ctx, struct kc_load_stats *stats, bool owned,
	kc_loader_arena_fn new_arena)
{
	struct load ld = {
		.name = name, .buf = buf, .len = len, .limits = limits,
		.diag = diag, .stats = stats, .ok = true,
	};
	stats->files++;
	const char *encoding = utf16_or_32(buf, len);
	if (encoding != NULL) {
		error_at(&ld, (struct kc_pos){ 1, 1 },
			"%s text is not supported; save the file as UTF-8", encoding);
		return false;
	}
	size_t at;
	if (is_template(buf, len, limits, &at)) {
		struct kc_pos pos = kc_locator_pos_of(buf, len, at);
		kc_diag_at(diag, KC_DIAG_WARNING, name, pos.line, pos.col,
			"template syntax '{{ }}': this is not a rendered manifest, "
			"so it was skipped (check the output of `helm template` instead)");
		stats->skipped_files++;
		return true;
	}
	struct kc_locator *loc = kc_locator_create(buf, len, limits);
	for (;;) {
		struct kc_document doc;
		struct kc_loc_error err;
		if (ld.arena == NULL) {
			ld.arena = new_arena != NULL ? new_arena(ctx) : kc_arena_create();
		} else {
			kc_arena_reset(ld.arena);
		}
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
		struct kc_path root = { 0 };
		load_resource(&ld, doc.root, &root, 0);
		fn(ctx, &ld.doc);
		if (owned) {
			ld.arena = NULL;  /* fn's now */
		}
	}
	kc_locator_destroy(loc);
	kc_arena_destroy(ld.arena);
	return ld.ok;
}

bool kc_loader_load_buffer(const char *name, const char *buf, size_t len,
	const struct kc_limits *limits, struct kc_diag *diag,
	kc_loader_doc_fn fn, void *ctx, struct kc_load_stats *stats)
{
	return load_buffer(name, buf, len, limits, diag, fn, ctx, stats, false, NULL);
}

bool kc_loader_load_buffer_owned(const char *name, const char *buf, size_t len,
	const struct kc_limits *limits, struct kc_diag *diag,
	kc_loader_doc_fn fn, kc_loader_arena_fn new_arena, void *ctx,
	struct kc_load_stats *stats)
{
	return load_buffer(name, buf, len, limits, diag, fn, ctx, stats, true, new_arena);
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
