/* A run's policy and engine from the options and the configuration. */
#include <string.h>

#include "k8scheck/check.h"
#include "k8scheck/image.h"
#include "k8scheck/pss.h"

/* The configuration's header is still private to src/cli (its loader is
 * being rewritten on another branch); move it to include/ once that lands. */
#include "../cli/config.h"

static enum kc_setup_err fail(const char **what, enum kc_setup_err e, const char *v)
{
	*what = v;
	return e;
}

static void apply_config(struct kc_check_setup *s, const struct kc_config *cfg)
{
	for (unsigned i = 0; i < cfg->enable_count; i++) {
		kc_engine_set_enabled(s->engine, cfg->enable[i], true);
	}
	for (unsigned i = 0; i < cfg->disable_count; i++) {
		kc_engine_set_enabled(s->engine, cfg->disable[i], false);
	}
	for (unsigned i = 0; i < cfg->severity_count; i++) {
		kc_engine_set_severity(s->engine, cfg->severity[i].rule,
			cfg->severity[i].severity);
	}
	kc_engine_set_params(s->engine, cfg->params, cfg->param_count);
	s->has_fail_on = cfg->has_fail_on;
	s->fail_on = cfg->fail_on;
}

static void set_enabled(struct kc_engine *e, const char *id, void *on)
{
	kc_engine_set_enabled(e, id, *(bool *)on);
}

static void set_severity(struct kc_engine *e, const char *id, void *sev)
{
	kc_engine_set_severity(e, id, *(enum kc_severity *)sev);
}

/* Apply fn to every rule that name means (an id, or a peer tool's id that
 * may stand for several rules); false if it means none. */
static bool for_rules(struct kc_check_setup *s, const char *name, struct kc_arena *a,
	void (*fn)(struct kc_engine *, const char *, void *), void *arg)
{
	unsigned n = kc_policy_resolve(&s->policy, name, NULL, 0);
	if (n == 0) {
		return false;
	}
	const struct kc_rule_meta **m = kc_arena_alloc(a, n * sizeof(*m));
	kc_policy_resolve(&s->policy, name, m, n);
	for (unsigned i = 0; i < n; i++) {
		fn(s->engine, m[i]->id, arg);
	}
	return true;
}

static enum kc_setup_err apply_options(struct kc_check_setup *s,
	const struct kc_check_options *o, struct kc_arena *a, const char **what)
{
	for (size_t i = 0; i < o->severity_count; i++) {
		char *spec = kc_arena_strdup(a, o->severities[i]);
		char *eq = strchr(spec, '=');
		enum kc_severity sev;
		if (eq == NULL || !kc_severity_parse(eq + 1, &sev)) {
			return fail(what, KC_SETUP_SEVERITY, o->severities[i]);
		}
		*eq = '\0';
		if (!for_rules(s, spec, a, set_severity, &sev)) {
			return fail(what, KC_SETUP_RULE, spec);
		}
	}
	bool on = true, off = false;
	for (size_t i = 0; i < o->enable_count; i++) {
		if (!for_rules(s, o->enable[i], a, set_enabled, &on)) {
			return fail(what, KC_SETUP_RULE, o->enable[i]);
		}
	}
	for (size_t i = 0; i < o->disable_count; i++) {
		if (!for_rules(s, o->disable[i], a, set_enabled, &off)) {
			return fail(what, KC_SETUP_RULE, o->disable[i]);
		}
	}
	kc_engine_set_min_severity(s->engine, o->min_severity);
	return KC_SETUP_OK;
}

enum kc_setup_err kc_check_setup(struct kc_check_setup *s,
	const struct kc_check_options *o, struct kc_arena *a, struct kc_diag *diag,
	const char **what)
{
	*s = (struct kc_check_setup){ 0 };
	if (!kc_policy_load(&s->policy, a, diag)) {
		return KC_SETUP_INTERNAL;
	}
	const char *config_path = o->no_config ? NULL : o->config_path;
	if (config_path == NULL && !o->no_config) {
		const char *from = o->discover_from;
		config_path = kc_config_find(from == NULL || strcmp(from, "-") == 0 ?
			"." : from, a);
	}
	/* Custom rules join the catalog before anything names them. */
	for (size_t i = 0; i < o->policy_count; i++) {
		if (!kc_policy_load_custom(&s->policy, o->policies[i], a, diag)) {
			return KC_SETUP_REPORTED;
		}
	}
	if (config_path != NULL) {
		s->config = kc_arena_alloc(a, sizeof(*s->config));
		if (!kc_config_load(s->config, config_path, &s->policy, a, diag)) {
			return KC_SETUP_REPORTED;
		}
	}
	const struct kc_config *cfg = s->config;
	s->engine = kc_engine_create(&s->policy, a);
	const char *prof = o->profile ? o->profile :
		cfg && cfg->profile ? cfg->profile : "default";
	if (!kc_engine_set_profile(s->engine, prof)) {
		return fail(what, KC_SETUP_PROFILE, prof);
	}
	struct kc_pss_policy pss;
	if (o->pss != NULL) {
		kc_engine_set_pss(s->engine, o->pss, true);
	} else if (cfg != NULL && cfg->pss != NULL && kc_pss_parse(cfg->pss, &pss)) {
		kc_engine_set_pss(s->engine, &pss, false);
	}
	kc_pss_policy_name(kc_engine_pss(s->engine), s->pss_name, sizeof(s->pss_name));
	/* The images the repository builds, for the image <-> manifest rules:
	 * a broken skaffold or Compose file is an input error (exit 2), not a
	 * reason to check nothing. */
	s->images = kc_image_index_create(a);
	kc_image_index_discover(s->images, o->discover_from,
		kc_limits_default.max_file_bytes, diag);
	kc_image_index_resolve(s->images, kc_limits_default.max_file_bytes, diag);
	kc_engine_set_images(s->engine, s->images);
	if (cfg != NULL) {
		apply_config(s, cfg);
	}
	return apply_options(s, o, a, what);
}

bool kc_check_excluded(const struct kc_check_setup *s, const char *file)
{
	return kc_config_excluded(s->config, file);
}

void kc_checker_from_setup(struct kc_checker *c, const struct kc_check_setup *s)
{
	kc_checker_init(c, &s->policy, s->engine);
}
