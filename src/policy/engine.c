#include <assert.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8scheck/dockerfile.h"
#include "k8scheck/image.h"
#include "k8scheck/policy.h"
#include "k8scheck/rule.h"

/* One rule the engine can run: built in, or a custom rule from YAML. */
struct slot {
	const char *id;
	kc_rule_check_fn check;
	const struct kc_custom *custom;
	const struct kc_rule_meta *meta;
	bool enabled;
	enum kc_severity severity;   /* the catalog's, or overridden */
};

struct kc_engine {
	const struct kc_policy *policy;
	struct slot *slots;          /* in the policy's (id) order */
	unsigned count;
	struct kc_pss_policy pss;
	const struct kc_param *params;
	unsigned param_count;
	const struct kc_image_index *images;  /* borrowed, or NULL */
	enum kc_severity min_severity;  /* rules below it do not run */
};

struct kc_check {
	const struct kc_engine *e;
	const struct kc_loaded_doc *doc;
	const struct kc_workload *w;
	const char *rule;
	const struct kc_custom *custom;
	enum kc_severity severity;
	struct kc_finding **list;
	unsigned count;
	unsigned cap;
};

struct kc_engine *kc_engine_create(const struct kc_policy *p, struct kc_arena *a)
{
	struct kc_engine *e = kc_arena_alloc(a, sizeof(*e));
	e->policy = p;
	e->slots = kc_arena_alloc(a, (p->count + 1) * sizeof(*e->slots));
	for (unsigned i = 0; i < p->count; i++) {
		const struct kc_rule_meta *m = &p->rules[i];
		struct slot *s = &e->slots[e->count];
		*s = (struct slot){
			.id = m->id, .meta = m, .custom = m->custom,
			.enabled = m->on_by_default, .severity = m->severity,
		};
		if (m->custom != NULL) {
			s->check = kc_rules_custom;
		} else {
			for (size_t r = 0; r < kc_rule_count; r++) {
				if (strcmp(kc_rules[r].id, m->id) == 0) {
					s->check = kc_rules[r].check;
				}
			}
		}
		/* Dockerfile rules have a slot too (their state and severity),
		 * run by kc_dockerfile_check_engine, not over workloads. */
		if (s->check != NULL || m->input == KC_RULE_INPUT_DOCKERFILE) {
			e->count++;
		}
	}
	bool ok = kc_pss_parse("restricted:latest", &e->pss);
	assert(ok);
	(void)ok;
	return e;
}

static struct slot *slot(struct kc_engine *e, const char *id)
{
	for (unsigned i = 0; i < e->count; i++) {
		if (strcmp(e->slots[i].id, id) == 0) {
			return &e->slots[i];
		}
	}
	/* A Dockerfile rule may be named by its hadolint code (DL3020). */
	int d = kc_dockerfile_rule_index(id);
	if (d >= 0 && strcmp(kc_dockerfile_rules[d].id, id) != 0) {
		return slot(e, kc_dockerfile_rules[d].id);
	}
	return NULL;
}

void kc_engine_set_pss(struct kc_engine *e, const struct kc_pss_policy *p, bool only)
{
	e->pss = *p;
	if (!only) {
		return;
	}
	for (unsigned i = 0; i < e->count; i++) {
		enum kc_pss_check c;
		e->slots[i].enabled = kc_pss_check_by_rule(e->slots[i].id, &c) &&
			kc_pss_check_runs(c, p);
	}
}

/* Whether slot s takes part in the run (kc_engine_enabled's test). */
static bool slot_runs(const struct kc_engine *e, const struct slot *s)
{
	enum kc_pss_check c;
	return s->enabled && s->severity >= e->min_severity &&
		!(kc_pss_check_by_rule(s->id, &c) && !kc_pss_check_runs(c, &e->pss));
}

bool kc_check_rule_runs(const struct kc_check *ck, const char *id)
{
	const struct kc_engine *e = ck->e;
	for (unsigned i = 0; i < e->count; i++) {
		if (strcmp(e->slots[i].id, id) == 0) {
			return slot_runs(e, &e->slots[i]);
		}
	}
	return false;
}

unsigned kc_engine_enabled(const struct kc_engine *e, struct kc_arena *a,
	const char ***ids)
{
	*ids = kc_arena_alloc(a, (e->count + 1) * sizeof(**ids));
	unsigned n = 0;
	for (unsigned i = 0; i < e->count; i++) {
		if (!slot_runs(e, &e->slots[i])) {
			continue;
		}
		(*ids)[n++] = e->slots[i].id;
	}
	return n;
}

void kc_engine_set_params(struct kc_engine *e, const struct kc_param *params,
	unsigned count)
{
	e->params = params;
	e->param_count = count;
}

static const struct kc_param *param(const struct kc_check *ck, const char *name)
{
	for (unsigned i = 0; i < ck->e->param_count; i++) {
		const struct kc_param *p = &ck->e->params[i];
		if (strcmp(p->rule, ck->rule) == 0 && strcmp(p->name, name) == 0) {
			return p;
		}
	}
	return NULL;
}

long long kc_check_param_int(const struct kc_check *ck, const char *name, long long def)
{
	const struct kc_param *p = param(ck, name);
	return p != NULL && !p->is_list ? p->value : def;
}

const char *const *kc_check_param_list(const struct kc_check *ck, const char *name,
	unsigned *count)
{
	const struct kc_param *p = param(ck, name);
	if (p == NULL || !p->is_list) {
		*count = 0;
		return NULL;
	}
	*count = p->count;
	return p->list;
}

const struct kc_pss_policy *kc_engine_pss(const struct kc_engine *e)
{
	return &e->pss;
}

const char *kc_check_rule(const struct kc_check *ck)
{
	return ck->rule;
}

const struct kc_custom *kc_check_custom(const struct kc_check *ck)
{
	return ck->custom;
}

const struct kc_pss_policy *kc_check_pss(const struct kc_check *ck)
{
	return &ck->e->pss;
}

struct kc_arena *kc_check_arena(const struct kc_check *ck)
{
	return ck->doc->arena;
}

void kc_engine_set_images(struct kc_engine *e, const struct kc_image_index *x)
{
	e->images = x;
}

bool kc_check_image(const struct kc_check *ck, const char *image,
	struct kc_image_info *out)
{
	return kc_image_index_find(ck->e->images, image, ck->doc->arena, out);
}


const char *kc_engine_profiles(void)
{
	return "default, pss-baseline, pss-restricted, all";
}

bool kc_engine_set_profile(struct kc_engine *e, const char *name)
{
	struct kc_pss_policy p;
	if (strcmp(name, "default") == 0) {
		for (unsigned i = 0; i < e->count; i++) {
			e->slots[i].enabled = e->slots[i].meta->on_by_default;
		}
		return kc_pss_parse("restricted:latest", &e->pss);
	}
	if (strcmp(name, "all") == 0) {
		for (unsigned i = 0; i < e->count; i++) {
			e->slots[i].enabled = true;
		}
		return kc_pss_parse("restricted:latest", &e->pss);
	}
	if (strcmp(name, "pss-baseline") == 0 || strcmp(name, "pss-restricted") == 0) {
		bool ok = kc_pss_parse(name + 4, &p);
		kc_engine_set_pss(e, &p, true);
		return ok;
	}
	return false;
}

bool kc_engine_set_severity(struct kc_engine *e, const char *id, enum kc_severity s)
{
	struct slot *sl = slot(e, id);
	if (sl != NULL) {
		sl->severity = s;
	}
	return sl != NULL;
}

bool kc_engine_rule_state(const struct kc_engine *e, const char *id, bool *enabled,
	enum kc_severity *severity)
{
	const struct slot *sl = slot((struct kc_engine *)e, id);
	if (sl == NULL) {
		return false;
	}
	*enabled = sl->enabled;
	*severity = sl->severity;
	return true;
}

void kc_engine_set_min_severity(struct kc_engine *e, enum kc_severity min)
{
	e->min_severity = min;
}

bool kc_engine_set_enabled(struct kc_engine *e, const char *id, bool enabled)
{
	struct slot *sl = slot(e, id);
	if (sl != NULL) {
		sl->enabled = enabled;
	}
	return sl != NULL;
}

static char *path_string(struct kc_arena *a, const struct kc_node *root,
	const struct kc_path *p)
{
	/* Format once into the stack; only a very long path needs a second go. */
	char buf[512];
	size_t n = kc_path_format(root, p, buf, sizeof(buf));
	if (n < sizeof(buf)) {
		return kc_arena_strndup(a, buf, n);
	}
	char *s = kc_arena_alloc(a, n + 1);
	kc_path_format(root, p, s, n + 1);
	return s;
}

/* Where a node's text ends: a block collection's end mark is the start of
 * the next token, often on a later line, so use its last item's end. */
static struct kc_pos content_end(const struct kc_node *n)
{
	while ((n->type == KC_NODE_MAPPING || n->type == KC_NODE_SEQUENCE) &&
		n->style == KC_STYLE_BLOCK && n->count > 0) {
		const struct kc_node *last = n->type == KC_NODE_MAPPING
			? n->items[2 * n->count - 1] : n->items[n->count - 1];
		if (last->start_off < n->start_off) {
			break;  /* an alias: its text is elsewhere */
		}
		n = last;
	}
	return n->end;
}

/*
 * Values from the input reach messages whole, and one 50 MB name repeated
 * in 15 findings made 750 MB of output. A finding quotes at most
 * QUOTE_MAX bytes of each value (no Kubernetes name is longer than 253),
 * then an ellipsis; a message as a whole is cut at MESSAGE_MAX, in case a
 * value's own quotes hide where it ends. Locations are never cut.
 */
#define QUOTE_MAX 256
#define MESSAGE_MAX 16384
#define ELLIPSIS "\xE2\x80\xA6"

/* n, moved back so that it does not split a UTF-8 character of s. */
static size_t utf8_cut(const char *s, size_t n)
{
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) {
		n--;
	}
	return n;
}

static bool opens_quote(const char *s, size_t i)
{
	return i == 0 || strchr(" ([{=,:", s[i - 1]) != NULL;
}

/* s (length n) with each quoted run ('...' or "...") longer than QUOTE_MAX
 * shortened, and the whole cut at MESSAGE_MAX; in arena a. */
static char *cap_quotes(struct kc_arena *a, const char *s, size_t n)
{
	if (n <= QUOTE_MAX) {
		return kc_arena_strndup(a, s, n);
	}
	char *out = kc_arena_alloc(a, (n < MESSAGE_MAX ? n : MESSAGE_MAX) + 2 * sizeof(ELLIPSIS) + 2);
	size_t o = 0;
	for (size_t i = 0; i < n && o < MESSAGE_MAX;) {
		const char *close = NULL;
		if ((s[i] == '\'' || s[i] == '"') && opens_quote(s, i)) {
			close = memchr(s + i + 1, s[i], n - i - 1);
		}
		if (close != NULL && (size_t)(close - s) - i - 1 > QUOTE_MAX) {
			size_t keep = utf8_cut(s + i + 1, QUOTE_MAX);
			if (o + keep + sizeof(ELLIPSIS) + 1 > MESSAGE_MAX) {
				break;
			}
			out[o++] = s[i];
			memcpy(out + o, s + i + 1, keep);
			o += keep;
			memcpy(out + o, ELLIPSIS, sizeof(ELLIPSIS) - 1);
			o += sizeof(ELLIPSIS) - 1;
			i = (size_t)(close - s);
		}
		out[o++] = s[i++];
		if (o == MESSAGE_MAX && i < n) {
			o = utf8_cut(out, o);
			memcpy(out + o, ELLIPSIS, sizeof(ELLIPSIS) - 1);
			o += sizeof(ELLIPSIS) - 1;
			break;
		}
	}
	out[o] = '\0';
	return out;
}

/* Format into a temporary buffer, keep the capped text in a. */
static char *capped_vprintf(struct kc_arena *a, const char *fmt, va_list ap)
	KC_PRINTF(2, 0);

static char *capped_vprintf(struct kc_arena *a, const char *fmt, va_list ap)
{
	if (fmt == NULL) {
		/* Never: rules pass literals; it tells the compiler so. */
		return kc_arena_strdup(a, "");
	}
	char small[512];
	va_list aq;
	va_copy(aq, ap);
	int n = vsnprintf(small, sizeof(small), fmt, aq);
	va_end(aq);
	if (n < 0) {
		return kc_arena_strdup(a, "");
	}
	if ((size_t)n < sizeof(small)) {
		return cap_quotes(a, small, (size_t)n);
	}
	char *big = malloc((size_t)n + 1);
	if (big == NULL) {
		kc_arena_die_oom();
	}
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	char *s = cap_quotes(a, big, (size_t)n);
	free(big);
	return s;
}

/* A name from the input, for reports: at most QUOTE_MAX bytes. */
static const char *cap_name(struct kc_arena *a, const char *name)
{
	if (name == NULL) {
		return NULL;
	}
	size_t n = strlen(name);
	if (n <= QUOTE_MAX) {
		return name;
	}
	size_t keep = utf8_cut(name, QUOTE_MAX);
	return kc_arena_printf(a, "%.*s" ELLIPSIS, (int)keep, name);
}

struct kc_finding *kc_finding_add(struct kc_check *ck, const struct kc_path *path,
	const char *fmt, ...)
{
	struct kc_arena *a = ck->doc->arena;
	struct kc_finding *f = kc_arena_alloc(a, sizeof(*f));
	va_list ap;
	va_start(ap, fmt);
	f->message = capped_vprintf(a, fmt, ap);
	va_end(ap);
	f->rule = ck->rule;
	f->severity = ck->severity;
	f->file = ck->doc->file;
	f->doc_index = ck->doc->index;
	f->path = *path;
	f->path_str = path_string(a, ck->doc->root, path);
	struct kc_lookup lk = kc_locator_find(ck->doc->root, path);
	f->exact = lk.found;
	f->pos = kc_lookup_pos(&lk);
	f->end = lk.node ? content_end(lk.node) : f->pos;
	f->workload = ck->w;
	f->kind = ck->w->kind;
	f->name = cap_name(a, ck->w->name);
	f->namespace = cap_name(a, ck->w->namespace);
	f->seq = ck->count;
	if (ck->count == ck->cap) {
		ck->cap = ck->cap ? ck->cap * 2 : 16;
		ck->list = kc_arena_realloc(a, ck->list, ck->cap * sizeof(*ck->list));
	}
	ck->list[ck->count++] = f;
	return f;
}

void kc_finding_container(struct kc_finding *f, const char *name)
{
	f->container = name;
}

void kc_finding_note(struct kc_check *ck, struct kc_finding *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	f->note = capped_vprintf(ck->doc->arena, fmt, ap);
	va_end(ap);
}

void kc_finding_origin(struct kc_check *ck, struct kc_finding *f,
	const struct kc_path *path, const char *note)
{
	struct kc_lookup lk = kc_locator_find(ck->doc->root, path);
	f->has_origin = true;
	f->origin_pos = kc_lookup_pos(&lk);
	f->origin_path = path_string(ck->doc->arena, ck->doc->root, path);
	f->origin_note = note;
}

/* A fix's text, built in the document arena (an open_memstream per fix
 * cost more than the rest of the fix). */
struct text {
	struct kc_arena *a;
	char *s;
	size_t len;
	size_t cap;
};

static void put(struct text *t, const char *s, size_t n)
{
	if (t->len + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 128;
		while (cap < t->len + n + 1) {
			cap *= 2;
		}
		t->s = kc_arena_realloc(t->a, t->s, cap);
		t->cap = cap;
	}
	memcpy(t->s + t->len, s, n);
	t->len += n;
	t->s[t->len] = '\0';
}

static void indent(struct text *t, unsigned depth)
{
	for (unsigned i = 0; i < depth; i++) {
		put(t, "  ", 2);
	}
}

/* Write `key: value` at depth; a flow list "[A, B]" becomes block items. */
static void put_leaf(struct text *t, const struct kc_seg *s, unsigned depth,
	const char *value)
{
	indent(t, depth);
	put(t, s->key, s->key_len);
	put(t, ":", 1);
	size_t n = strlen(value);
	if (n >= 2 && value[0] == '[' && value[n - 1] == ']') {
		const char *p = value + 1, *end = value + n - 1;
		put(t, "\n", 1);
		while (p < end) {
			while (p < end && *p == ' ') {
				p++;
			}
			const char *stop = p;
			while (stop < end && *stop != ',') {
				stop++;
			}
			const char *comma = stop < end ? stop : NULL;
			const char *q = stop;
			while (q > p && q[-1] == ' ') {
				q--;
			}
			indent(t, depth);
			put(t, "- ", 2);
			put(t, p, (size_t)(q - p));
			put(t, "\n", 1);
			p = comma ? comma + 1 : end;
		}
	} else {
		put(t, " ", 1);
		put(t, value, n);
		put(t, "\n", 1);
	}
}

void kc_finding_fix(struct kc_check *ck, struct kc_finding *f,
	const struct kc_path *at, const char *yaml_value)
{
	const struct kc_path *path = at ? at : &f->path;
	struct kc_lookup lk = kc_locator_find(ck->doc->root, path);
	if (path->len == 0) {
		return;
	}
	unsigned from = lk.found ? path->len - 1 : lk.depth;
	for (unsigned i = from; i < path->len; i++) {
		if (path->seg[i].key == NULL) {
			return;  /* cannot write a missing list item */
		}
	}
	struct text t = { .a = ck->doc->arena };
	for (unsigned i = from; i + 1 < path->len; i++) {
		indent(&t, i - from);
		put(&t, path->seg[i].key, path->seg[i].key_len);
		put(&t, ":\n", 2);
	}
	put_leaf(&t, &path->seg[path->len - 1], path->len - 1 - from, yaml_value);
	f->fix_yaml = t.s;
	struct kc_path parent = *path;
	parent.len = from;
	f->fix_parent = path_string(ck->doc->arena, ck->doc->root, &parent);
	f->fix_replaces = lk.found;
	f->fix_op = KC_FIX_SET;
	f->fix_path = *path;
	f->fix_value = kc_arena_strdup(ck->doc->arena, yaml_value);
	if (lk.found) {
		f->fix_pos = kc_lookup_pos(&lk);
	} else {
		struct kc_lookup pl = kc_locator_find(ck->doc->root, &parent);
		f->fix_pos = kc_lookup_pos(&pl);
	}
}

/* FNV-1a, 64 bits: stable across runs and machines, enough to tell
 * findings apart within a repository. */
static uint64_t fnv(uint64_t h, const char *s)
{
	for (; s != NULL && *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	h ^= 0xFF;  /* field separator */
	h *= 1099511628211ull;
	return h;
}

void kc_finding_fingerprint(struct kc_arena *a, struct kc_finding *f)
{
	uint64_t h = 14695981039346656037ull;
	/* "./a.yaml" and "a.yaml" are the same file to the user. */
	const char *file = f->file;
	while (file[0] == '.' && file[1] == '/') {
		file += 2;
	}
	h = fnv(h, f->rule);
	h = fnv(h, file);
	h = fnv(h, f->kind);
	h = fnv(h, f->namespace);
	h = fnv(h, f->name);
	h = fnv(h, f->path_str);
	h = fnv(h, f->message);
	f->fingerprint = kc_arena_printf(a, "%016" PRIx64, h);
}

void kc_finding_manual(struct kc_check *ck, struct kc_finding *f,
	const struct kc_path *path, const char *yaml_value)
{
	kc_finding_fix(ck, f, path, yaml_value);
	if (f->fix_op == KC_FIX_SET) {
		f->fix_op = KC_FIX_MANUAL;
	}
}

void kc_finding_fix_remove(struct kc_check *ck, struct kc_finding *f,
	const struct kc_path *path)
{
	const struct kc_path *p = path ? path : &f->path;
	struct kc_lookup lk = kc_locator_find(ck->doc->root, p);
	if (!lk.found || p->len == 0) {
		return;
	}
	f->fix_op = KC_FIX_REMOVE;
	f->fix_path = *p;
	f->fix_pos = kc_lookup_pos(&lk);
	f->fix_replaces = true;
	struct kc_path parent = *p;
	parent.len--;
	f->fix_parent = path_string(ck->doc->arena, ck->doc->root, &parent);
	f->fix_yaml = kc_arena_printf(ck->doc->arena, "# remove line %u",
		f->fix_pos.line);
	/* In a flow collection ([a, b] or {k: v}) the entry shares its line:
	 * say what to remove, and leave it to a person. */
	struct kc_lookup pl = kc_locator_find(ck->doc->root, &parent);
	if (pl.node != NULL && pl.node->style == KC_STYLE_FLOW) {
		f->fix_op = KC_FIX_MANUAL;
		f->fix_yaml = lk.node->type == KC_NODE_SCALAR
			? kc_arena_printf(ck->doc->arena, "# remove '%s' from the list on line %u",
				lk.node->value, f->fix_pos.line)
			: kc_arena_printf(ck->doc->arena, "# remove this entry (line %u)",
				f->fix_pos.line);
	}
}

void kc_finding_fix_also(struct kc_check *ck, struct kc_finding *f,
	const struct kc_path *path, const char *yaml_value)
{
	struct kc_fix_more *m = kc_arena_realloc(ck->doc->arena, f->more,
		(f->more_count + 1) * sizeof(*f->more));
	m[f->more_count++] = (struct kc_fix_more){
		.op = yaml_value ? KC_FIX_SET : KC_FIX_REMOVE,
		.path = *path,
		.value = yaml_value ? kc_arena_strdup(ck->doc->arena, yaml_value) : NULL,
	};
	f->more = m;
}

void kc_finding_fix_unsafe(struct kc_check *ck, struct kc_finding *f, const char *reason)
{
	f->fix_unsafe = kc_arena_strdup(ck->doc->arena, reason);
}

static int finding_cmp(const void *x, const void *y)
{
	const struct kc_finding *a = *(struct kc_finding *const *)x;
	const struct kc_finding *b = *(struct kc_finding *const *)y;
	if (a->pos.line != b->pos.line) {
		return a->pos.line < b->pos.line ? -1 : 1;
	}
	if (a->pos.col != b->pos.col) {
		return a->pos.col < b->pos.col ? -1 : 1;
	}
	int c = strcmp(a->rule, b->rule);
	if (c != 0) {
		return c;
	}
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void kc_finding_sort(struct kc_finding **list, unsigned n)
{
	if (n > 1) {
		qsort(list, n, sizeof(*list), finding_cmp);
	}
}

void kc_engine_check(struct kc_engine *e, const struct kc_loaded_doc *doc,
	struct kc_finding ***out, unsigned *count)
{
	struct kc_check ck = { .e = e, .doc = doc };
	for (unsigned i = 0; i < doc->workload_count; i++) {
		ck.w = &doc->workloads[i];
		for (unsigned r = 0; r < e->count; r++) {
			const struct slot *sl = &e->slots[r];
			if (!sl->enabled || sl->check == NULL || sl->severity < e->min_severity) {
				continue;
			}
			ck.rule = sl->id;
			ck.custom = sl->custom;
			ck.severity = sl->severity;
			sl->check(ck.w, &ck);
		}
	}
	for (unsigned i = 0; i < ck.count; i++) {
		kc_finding_fingerprint(doc->arena, ck.list[i]);
	}
	kc_finding_sort(ck.list, ck.count);
	*out = ck.list;
	*count = ck.count;
}
