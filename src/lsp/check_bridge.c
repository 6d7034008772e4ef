/*
 * The language server's one call into the checker: a document's text in,
 * its diagnostics, quick fixes, ignore edits and hover texts out, in
 * protocol positions. Everything goes through the pipeline library
 * (include/k8scheck/check.h): the run's setup from the configuration
 * discovered from the document's path, kc_check_buffer() for findings
 * with their suppression and fix edits, kc_check_fix_buffer() for "fix
 * all" (planned, applied and re-checked as `k8scheck fix` does).
 */
#include <stdlib.h>
#include <string.h>

#include <libgen.h>

#include "k8scheck/check.h"

#include "internal.h"

/* -Ddocs_url=URL (as for SARIF's helpUri): each rule's documentation is
 * URL/policies/rules/ID.yaml; without it, no link. */
#ifndef KC_DOCS_URL
#define KC_DOCS_URL ""
#endif

/* The run setup (policy, engine, configuration) that applies in one
 * directory: configuration discovery depends on nothing else. Kept until a
 * configuration may have changed. */
struct kc_lsp_config_cache {
	struct kc_lsp_config_cache *next;
	char *key;               /* the directory, "" for documents without a path */
	struct kc_arena *arena;
	struct kc_check_setup setup;
	struct kc_checker checker;
	const char *error;       /* why the configuration is unusable, or NULL */
	json_t *hovers;          /* rule id -> its Markdown, made once */
};

static void config_diag(void *ctx, const struct kc_diag_event *e)
{
	struct kc_lsp_config_cache *c = ctx;
	if (e->level != KC_DIAG_ERROR || c->error != NULL) {
		return;
	}
	c->error = kc_arena_printf(c->arena, "%s:%u:%u: %s", e->file, e->line, e->col,
		e->message);
}

static struct kc_lsp_config_cache *config_for(struct kc_lsp_server *s, const char *path)
{
	char *copy = path ? strdup(path) : NULL;
	if (path != NULL && copy == NULL) {
		kc_arena_die_oom();
	}
	const char *key = copy ? dirname(copy) : "";
	struct kc_lsp_config_cache *c;
	for (c = s->configs; c != NULL; c = c->next) {
		if (strcmp(c->key, key) == 0) {
			free(copy);
			return c;
		}
	}
	c = calloc(1, sizeof(*c));
	if (c == NULL) {
		kc_arena_die_oom();
	}
	c->arena = kc_arena_create();
	c->hovers = json_object();
	c->key = kc_arena_strdup(c->arena, key);
	free(copy);
	c->next = s->configs;
	s->configs = c;
	struct kc_diag diag;
	kc_diag_init(&diag, NULL, false);
	diag.listener = config_diag;
	diag.listener_ctx = c;
	/* As `k8scheck --stdin-filename PATH -` sets its run up; a buffer
	 * without a path uses no configuration. */
	struct kc_check_options o = { .discover_from = path, .no_config = path == NULL };
	const char *what = NULL;
	enum kc_setup_err err = kc_check_setup(&c->setup, &o, c->arena, &diag, &what);
	if (err != KC_SETUP_OK) {
		if (c->error == NULL) {
			c->error = kc_arena_printf(c->arena, "%s%s",
				err == KC_SETUP_PROFILE ? "unknown profile " :
				err == KC_SETUP_RULE ? "unknown rule " :
				err == KC_SETUP_SEVERITY ? "bad severity " :
				"the rule catalog does not load", what ? what : "");
		}
		return c;
	}
	kc_checker_from_setup(&c->checker, &c->setup);
	c->checker.changes = true;   /* each finding's own fix edits */
	kc_lsp_log(s, "configuration for %s: %s", *c->key ? c->key : "(no path)",
		c->setup.config ? "found" : "none");
	return c;
}

void kc_lsp_configs_clear(struct kc_lsp_server *s)
{
	while (s->configs != NULL) {
		struct kc_lsp_config_cache *c = s->configs;
		s->configs = c->next;
		kc_arena_destroy(c->arena);
		json_decref(c->hovers);
		free(c);
	}
}

/* ---- one check ----------------------------------------------------------- */

struct check {
	struct kc_lsp_server *s;
	const struct kc_lsp_doc *d;
	struct kc_lsp_config_cache *cfg;
	struct kc_lsp_lines pl;  /* protocol lines */
	struct kc_lsp_lines yl;  /* the checker's lines */
	struct kc_lsp_result *res;
	struct kc_arena *a;      /* this check's strings */
};

static json_t *pos_json(const struct check *c, size_t off)
{
	struct kc_lsp_pos p = kc_lsp_pos_of(c->d->text, c->d->len, &c->pl, off, c->s->enc);
	return json_pack("{s:I, s:I}", "line", (json_int_t)p.line,
		"character", (json_int_t)p.character);
}

static json_t *range_json(const struct check *c, size_t a, size_t b)
{
	return json_pack("{s:o, s:o}", "start", pos_json(c, a), "end", pos_json(c, b));
}

static size_t offset(const struct check *c, struct kc_pos p)
{
	return kc_lsp_checker_offset(c->d->text, c->d->len, &c->yl, p);
}

/* The end of the protocol line holding off (before its break). */
static size_t eol(const struct check *c, size_t off)
{
	const char *t = c->d->text;
	while (off < c->d->len && t[off] != '\n' && t[off] != '\r') {
		off++;
	}
	return off;
}

static void add(struct check *c, json_t *diag, json_t *fix, bool safe, json_t *ignore,
	json_t *hover)
{
	json_object_set_new(diag, "source", json_string("k8scheck"));
	json_array_append_new(c->res->diagnostics, diag);
	json_array_append_new(c->res->fixes, fix ? fix : json_null());
	json_array_append_new(c->res->safe, json_boolean(safe));
	json_array_append_new(c->res->ignores, ignore ? ignore : json_null());
	json_array_append_new(c->res->hovers, hover ? hover : json_null());
}

static void on_diag(void *ctx, const struct kc_diag_event *e)
{
	struct check *c = ctx;
	size_t a = 0, b = 0;
	if (e->line > 0) {
		a = offset(c, (struct kc_pos){ e->line, e->col });
		b = eol(c, a);
	}
	static const int sev[KC_DIAG__COUNT] = {
		[KC_DIAG_NOTE] = 3, [KC_DIAG_WARNING] = 2, [KC_DIAG_ERROR] = 1,
	};
	add(c, json_pack("{s:o, s:i, s:o}", "range", range_json(c, a, b),
		"severity", sev[e->level], "message", kc_lsp_json_str(e->message)),
		NULL, false, NULL, NULL);
}

/* "# k8scheck:ignore RULE -- " on its own line above line (1-based, the
 * checker's), indented as that line is. */
static json_t *ignore_edit(const struct check *c, unsigned line, const char *rule)
{
	size_t ls = line >= 1 && line <= c->yl.count ? c->yl.start[line - 1] : 0;
	const char *t = c->d->text;
	/* A directive already on the line above: add the rule to its list
	 * ("# k8scheck:ignore a, b -- why"), as one line covers one line. */
	static const char dir[] = "# k8scheck:ignore ";
	if (line >= 2) {
		size_t ps = c->yl.start[line - 2], pe = eol(c, ps), i = ps;
		while (i < pe && (t[i] == ' ' || t[i] == '\t')) {
			i++;
		}
		if (pe - i >= sizeof(dir) - 1 && memcmp(t + i, dir, sizeof(dir) - 1) == 0) {
			size_t at = pe;
			for (size_t k = i + sizeof(dir) - 1; k + 1 < pe; k++) {
				if (t[k] == '-' && t[k + 1] == '-' && t[k - 1] == ' ') {
					at = k - 1;
					break;
				}
			}
			while (at > i && t[at - 1] == ' ') {
				at--;
			}
			return json_pack("{s:o, s:o}", "range", range_json(c, at, at),
				"newText", kc_lsp_json_str(kc_arena_printf(c->a, ", %s", rule)));
		}
	}
	size_t i = ls;
	while (i < c->d->len && (t[i] == ' ' || t[i] == '\t')) {
		i++;
	}
	size_t e = eol(c, ls);
	const char *nl = e + 1 < c->d->len && t[e] == '\r' && t[e + 1] == '\n' ? "\r\n" :
		e < c->d->len && t[e] == '\r' ? "\r" : "\n";
	char *text = kc_arena_printf(c->a,
		"%.*s# k8scheck:ignore %s -- %s", (int)(i - ls), t + ls, rule, nl);
	return json_pack("{s:o, s:o}", "range", range_json(c, ls, ls),
		"newText", kc_lsp_json_str(text));
}

/* The rule's explain text in Markdown (a new reference), or NULL. */
static json_t *hover_text(const struct check *c, const struct kc_finding *f)
{
	json_t *h = json_object_get(c->cfg->hovers, f->rule);
	if (h != NULL) {
		return json_incref(h);
	}
	const struct kc_rule_meta *m = kc_policy_find(&c->cfg->setup.policy, f->rule);
	if (m == NULL) {
		return NULL;
	}
	struct kc_arena *a = c->a;
	char *s = kc_arena_printf(a, "**%s** (%s): %s\n\n%s%s%s%s%s%s", m->id,
		m->severity_name ? m->severity_name : "", m->title ? m->title : "",
		m->description ? m->description : "",
		m->remediation ? "\n\n**Fix:** " : "", m->remediation ? m->remediation : "",
		m->example ? "\n\n```yaml\n" : "", m->example ? m->example : "",
		m->example ? "\n```" : "");
	h = kc_lsp_json_str(s);
	json_object_set(c->cfg->hovers, f->rule, h);
	return h;
}

static void add_finding(struct check *c, const struct kc_loaded_doc *doc,
	const struct kc_finding *f)
{
	size_t a = offset(c, f->pos), b;
	if (f->exact) {
		b = offset(c, f->end);
	} else {
		/* A missing field: the key of its nearest existing ancestor. */
		struct kc_lookup lk = kc_locator_find(doc->root, &f->path);
		b = lk.key != NULL ? offset(c, lk.key->end) : eol(c, a);
	}
	if (b < a) {
		b = a;
	}
	static const int sev[KC_SEVERITY__COUNT] = {
		[KC_SEVERITY_INFO] = 3, [KC_SEVERITY_WARNING] = 2, [KC_SEVERITY_ERROR] = 1,
	};
	json_t *diag = json_pack("{s:o, s:i, s:o, s:o}", "range", range_json(c, a, b),
		"severity", sev[f->severity], "code", kc_lsp_json_str(f->rule),
		"message", kc_lsp_json_str(f->message));
	const struct kc_rule_meta *m = kc_policy_find(&c->cfg->setup.policy, f->rule);
	if (m != NULL && m->custom == NULL && KC_DOCS_URL[0] != '\0') {
		json_object_set_new(diag, "codeDescription", json_pack("{s:o}", "href",
			kc_lsp_json_str(kc_arena_printf(c->a, KC_DOCS_URL "/policies/rules/%s.yaml",
				f->rule))));
	}
	if (f->has_origin) {
		size_t o = offset(c, f->origin_pos);
		const char *msg = f->origin_note ? f->origin_note :
			kc_arena_printf(c->a, "inherited from %s",
				f->origin_path ? f->origin_path : "here");
		json_object_set_new(diag, "relatedInformation", json_pack("[{s:{s:o, s:o}, s:o}]",
			"location", "uri", kc_lsp_json_str(c->d->uri), "range",
			range_json(c, o, eol(c, o)), "message", kc_lsp_json_str(msg)));
	}
	json_t *fix = NULL;
	if (f->change_count > 0) {
		fix = json_array();
		for (unsigned i = 0; i < f->change_count; i++) {
			const struct kc_fix_change *ch = &f->changes[i];
			json_array_append_new(fix, json_pack("{s:o, s:o}", "range",
				range_json(c, offset(c, ch->start), offset(c, ch->end)),
				"newText", kc_lsp_json_str(ch->text)));
		}
	}
	/* An unsafe fix (the rule's reason, or the planner's: it overturns a
	 * value the author wrote) is offered, titled as such, never preferred. */
	add(c, diag, fix, f->fix_unsafe == NULL, ignore_edit(c, f->pos.line, f->rule), hover_text(c, f));
}

static void on_document(void *ctx, const struct kc_check_doc *cd)
{
	struct check *c = ctx;
	const struct kc_loaded_doc *doc = &cd->doc;
	for (unsigned i = 0; i < cd->ignore_count; i++) {
		const struct kc_ignore *ig = &cd->ignores[i];
		if (!ig->known) {
			struct kc_diag_event e = {
				.level = KC_DIAG_WARNING, .line = ig->pos.line,
				.col = ig->pos.col, .message = kc_arena_printf(c->a,
					"unknown rule '%s' in an ignore %s (see 'k8scheck rules')",
					ig->rule, ig->kind),
			};
			on_diag(c, &e);
		}
	}
	for (unsigned i = 0; i < cd->finding_count; i++) {
		if (!cd->findings[i]->suppressed) {
			add_finding(c, doc, cd->findings[i]);
		}
	}
}

/* The one edit that turns the text into fixed: what lies between their
 * common prefix and suffix. */
static json_t *whole_edit(const struct check *c, const char *fixed, size_t flen)
{
	const char *t = c->d->text;
	size_t len = c->d->len, p = 0, q = 0;
	while (p < len && p < flen && t[p] == fixed[p]) {
		p++;
	}
	while (q < len - p && q < flen - p && t[len - 1 - q] == fixed[flen - 1 - q]) {
		q++;
	}
	/* Whole characters on both sides (a shared lead byte is not a prefix). */
	while (p > 0 && ((unsigned char)t[p] & 0xC0) == 0x80) {
		p--;
	}
	while (q > 0 && ((unsigned char)t[len - q] & 0xC0) == 0x80) {
		q--;
	}
	char *nt = kc_arena_strndup(c->a, fixed + p, flen - p - q);
	return json_pack("[{s:o, s:o}]", "range", range_json(c, p, len - q),
		"newText", kc_lsp_json_str(nt));
}

struct kc_lsp_result *kc_lsp_check_document(struct kc_lsp_server *s, const struct kc_lsp_doc *d,
	bool fix_all)
{
	struct kc_lsp_result *res = calloc(1, sizeof(*res));
	if (res == NULL) {
		kc_arena_die_oom();
	}
	res->version = d->version;
	res->diagnostics = json_array();
	res->fixes = json_array();
	res->safe = json_array();
	res->ignores = json_array();
	res->hovers = json_array();
	struct check c = { .s = s, .d = d, .res = res };
	c.cfg = config_for(s, d->path);
	kc_lsp_lines_init(&c.pl, d->text, d->len, false);
	kc_lsp_lines_init(&c.yl, d->text, d->len, true);
	c.a = kc_arena_create();
	s->checks++;
	if (c.cfg->error != NULL) {
		add(&c, json_pack("{s:o, s:i, s:o}", "range", range_json(&c, 0, 0),
			"severity", 1, "message", kc_lsp_json_str(kc_arena_printf(c.a,
				"configuration error: %s", c.cfg->error))), NULL, false, NULL, NULL);
	} else if (d->path == NULL || !kc_check_excluded(&c.cfg->setup, d->path)) {
		struct kc_diag diag;
		kc_diag_init(&diag, NULL, false);
		diag.listener = on_diag;
		diag.listener_ctx = &c;
		struct kc_load_stats st = { 0 };
		const char *name = d->path ? d->path : d->uri;
		bool loaded = kc_check_buffer(&c.cfg->checker, name, d->text, d->len, &diag,
			&st, on_document, &c) && st.input_errors == 0;
		if (fix_all) {
			/* Planned, applied and re-checked as `k8scheck fix` does;
			 * its diagnostics are the ones already shown. */
			res->fix_all = json_array();
			struct kc_diag quiet;
			kc_diag_init(&quiet, NULL, false);
			struct kc_load_stats fst = { 0 };
			struct kc_check_fix fx = { 0 };
			if (loaded && kc_check_fix_buffer(&c.cfg->checker, name, d->text, d->len,
				&quiet, &fst, NULL, &fx) && fx.changed && !fx.failed) {
				json_decref(res->fix_all);
				res->fix_all = whole_edit(&c, fx.text, fx.len);
			}
			kc_check_fix_finish(&fx);
		}
	}
	kc_arena_destroy(c.a);
	kc_lsp_lines_finish(&c.pl);
	kc_lsp_lines_finish(&c.yl);
	return res;
}
