#include <string.h>

#include "k8scheck/policy.h"
#include "k8scheck/rule.h"

static const char *const severity_names[KC_SEVERITY__COUNT] = {
	[KC_SEVERITY_INFO] = "info",
	[KC_SEVERITY_WARNING] = "warning",
	[KC_SEVERITY_ERROR] = "error",
};

const char *kc_severity_name(enum kc_severity s)
{
	return s < KC_SEVERITY__COUNT ? severity_names[s] : "?";
}

bool kc_severity_parse(const char *name, enum kc_severity *out)
{
	for (int i = 0; i < KC_SEVERITY__COUNT; i++) {
		if (strcmp(name, severity_names[i]) == 0) {
			*out = (enum kc_severity)i;
			return true;
		}
	}
	return false;
}

bool kc_policy_load(struct kc_policy *p, struct kc_arena *a, struct kc_diag *diag)
{
	/* The catalog is C data generated from policies/rules/<id>.yaml, sorted,
	 * with a check for every rule (tools/catalog.c refuses to build
	 * otherwise): only the copy that custom rules are added to is left. */
	p->count = (unsigned)kc_rule_catalog_count;
	p->rules = kc_arena_alloc(a, (kc_rule_catalog_count + 1) * sizeof(*p->rules));
	memcpy(p->rules, kc_rule_catalog, kc_rule_catalog_count * sizeof(*p->rules));
	bool ok = true;
	for (unsigned i = 1; i < p->count; i++) {
		if (strcmp(p->rules[i - 1].id, p->rules[i].id) >= 0) {
			kc_diag_run(diag, KC_DIAG_ERROR, "internal: the rule catalog is "
				"not sorted at '%s'", p->rules[i].id);
			ok = false;
		}
	}
	return ok;
}

const struct kc_rule_meta *kc_policy_find(const struct kc_policy *p, const char *id)
{
	unsigned lo = 0, hi = p->count;
	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		int c = strcmp(id, p->rules[mid].id);
		if (c == 0) {
			return &p->rules[mid];
		}
		if (c < 0) {
			hi = mid;
		} else {
			lo = mid + 1;
		}
	}
	return NULL;
}
