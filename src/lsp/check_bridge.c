/*
 * The language server's one call into the checker: a document's text in,
 * its diagnostics, quick fixes, ignore edits and hover texts out, in
 * protocol positions.
 *
 * Written against the loader, engine, suppression and fixer as they are
 * before the pipeline library (issue 10) lands; it reads the configuration
 * through the CLI's private config.h and sets the engine up as the CLI
 * does. When include/k8scheck/check.h exists, this file (and only this
 * file) switches to it.
 */
#include <stdlib.h>
#include <string.h>

#include "k8scheck/fix.h"
#include "k8scheck/loader.h"
#include "k8scheck/policy.h"

#include "../cli/config.h"
#include "internal.h"

#define HELP_URI "https://github.com/k8scheck/k8scheck/blob/main/policies/rules/"

/* The policy and engine that apply under one configuration file (or none),
 * kept until a configuration may have changed. */
struct kc_lsp_config_cache {
	struct kc_lsp_config_cache *next;
	char *key;               /* the configuration's path, "" for none */
	struct kc_arena *arena;
	struct kc_policy policy;
	struct kc_engine *engine;
	const char *error;       /* why the configuration is unusable, or NULL */
	const struct kc_config *config;
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
	struct kc_arena *tmp = kc_arena_create();
	const char *found = path ? kc_config_find(path, tmp) : NULL;
	const char *key = found ? found : "";
	struct kc_lsp_config_cache *c;
	for (c = s->configs; c != NULL; c = c->next) {
		if (strcmp(c->key, key) == 0) {
			kc_arena_destroy(tmp);
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
	kc_arena_destroy(tmp);
	c->next = s->configs;
	s->configs = c;
	struct kc_diag diag;
	kc_diag_init(&diag, NULL, false);
	diag.listener = config_diag;
	diag.listener_ctx = c;
	if (!kc_policy_load(&c->policy, c->arena, &diag)) {
		c->error = c->error ? c->error : "the rule catalog does not load";
		return c;
	}
	struct kc_config *cfg = NULL;
	if (*c->key != '\0') {
		cfg = kc_arena_alloc(c->arena, sizeof(*cfg));
		if (!kc_config_load(cfg, c->key, &c->policy, c->arena, &diag)) {
			c->error = c->error ? c->error : "the configuration does not load";
			return c;
		}
	}
	/* As the CLI sets its engine up from a configuration. */
	c->config = cfg;
	c->engine = kc_engine_create(&c->policy, c->arena);
	const char *prof = cfg && cfg->profile ? cfg->profile : "default";
	if (!kc_engine_set_profile(c->engine, prof)) {
		c->error = kc_arena_printf(c->arena, "%s: unknown profile '%s' (%s)",
			c->key, prof, kc_engine_profiles());
		return c;
	}
	struct kc_pss_policy pss;
	if (cfg != NULL && cfg->pss != NULL && kc_pss_parse(cfg->pss, &pss)) {
		kc_engine_set_pss(c->engine, &pss, false);
	}
	for (unsigned i = 0; cfg != NULL && i < cfg->enable_count; i++) {
		kc_engine_set_enabled(c->engine, cfg->enable[i], true);
	}
	for (unsigned i = 0; cfg != NULL && i < cfg->disable_count; i++) {
		kc_engine_set_enabled(c->engine, cfg->disable[i], false);
	}
	for (unsigned i = 0; cfg != NULL && i < cfg->severity_count; i++) {
		kc_engine_set_severity(c->engine, cfg->severity[i].rule,
			cfg->severity[i].severity);
	}
	if (cfg != NULL) {
		kc_engine_set_params(c->engine, cfg->params, cfg->param_count);
	}
	kc_lsp_log(s, "configuration: %s", *c->key ? c->key : "(none)");
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
	struct kc_fixer *fx;
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
	const struct kc_rule_meta *m = kc_policy_find(&c->cfg->policy, f->rule);
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
	const struct kc_rule_meta *m = kc_policy_find(&c->cfg->policy, f->rule);
	if (m != NULL && m->custom == NULL) {
		json_object_set_new(diag, "codeDescription", json_pack("{s:o}", "href",
			kc_lsp_json_str(kc_arena_printf(c->a, HELP_URI "%s.yaml",
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
	/* Every automatic fix the planner makes today is safe; the safe/unsafe
	 * split of issue 12 will say otherwise per finding. */
	add(c, diag, fix, true, ignore_edit(c, f->pos.line, f->rule), hover_text(c, f));
}

static void on_document(void *ctx, const struct kc_loaded_doc *doc)
{
	struct check *c = ctx;
	struct kc_finding **f;
	unsigned n;
	kc_engine_check(c->cfg->engine, doc, &f, &n);
	struct kc_ignore *ig;
	unsigned nig;
	kc_suppress(&c->cfg->policy, doc, f, n, &ig, &nig);
	if (c->fx != NULL) {
		kc_fixer_plan(c->fx, doc, f, n);
	}
	kc_fix_changes(doc, f, n, doc->arena);
	for (unsigned i = 0; i < nig; i++) {
		if (!ig[i].known) {
			struct kc_diag_event e = {
				.level = KC_DIAG_WARNING, .line = ig[i].pos.line,
				.col = ig[i].pos.col, .message = kc_arena_printf(doc->arena,
					"unknown rule '%s' in an ignore %s (see 'k8scheck rules')",
					ig[i].rule, ig[i].kind),
			};
			on_diag(c, &e);
		}
	}
	for (unsigned i = 0; i < n; i++) {
		if (!f[i]->suppressed) {
			add_finding(c, doc, f[i]);
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
	} else if (d->path == NULL || !kc_config_excluded(c.cfg->config, d->path)) {
		if (fix_all) {
			c.fx = kc_fixer_create(d->text, d->len);
			kc_fixer_validate(c.fx, &kc_limits_default);
		}
		struct kc_diag diag;
		kc_diag_init(&diag, NULL, false);
		diag.listener = on_diag;
		diag.listener_ctx = &c;
		struct kc_load_stats st = { 0 };
		bool loaded = kc_loader_load_buffer(d->path ? d->path : d->uri, d->text, d->len,
			&kc_limits_default, &diag, on_document, &c, &st) && st.input_errors == 0;
		if (c.fx != NULL) {
			res->fix_all = json_array();
			if (loaded && kc_fixer_count(c.fx) > 0) {
				char *fixed;
				size_t flen;
				kc_fixer_apply(c.fx, &fixed, &flen);
				json_decref(res->fix_all);
				res->fix_all = whole_edit(&c, fixed, flen);
				free(fixed);
			}
			kc_fixer_destroy(c.fx);
		}
	}
	kc_arena_destroy(c.a);
	kc_lsp_lines_finish(&c.pl);
	kc_lsp_lines_finish(&c.yl);
	return res;
}
