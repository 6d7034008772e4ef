#include <ctype.h>
#include <stdlib.h>
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

/* The peer tools whose ids `references:` entries give as "Tool: ID". */
static const char *const peer_tools[] = { "kube-linter", "Checkov", "Trivy", "Polaris", "hadolint" };

static bool same_ci(const char *a, size_t an, const char *b, size_t bn)
{
	if (an != bn) {
		return false;
	}
	for (size_t i = 0; i < an; i++) {
		if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i])) {
			return false;
		}
	}
	return true;
}

/* True when reference ref ("Tool: ID") gives name as a peer tool's id;
 * name may be bare ("CKV_K8S_16") or carry the tool ("checkov:CKV_K8S_16"). */
static bool peer_matches(const char *ref, const char *name)
{
	const char *colon = strchr(ref, ':');
	if (colon == NULL) {
		return false;
	}
	size_t tool_len = (size_t)(colon - ref);
	bool peer = false;
	for (size_t i = 0; i < sizeof(peer_tools) / sizeof(*peer_tools) && !peer; i++) {
		peer = same_ci(ref, tool_len, peer_tools[i], strlen(peer_tools[i]));
	}
	if (!peer) {
		return false;
	}
	const char *id = colon + 1;
	while (*id == ' ') {
		id++;
	}
	/* The id ends at a space: "KSV027 (flags any procMount...)". */
	size_t id_len = strcspn(id, " ");
	if (id_len == 0) {
		return false;
	}
	const char *nc = strchr(name, ':');
	if (nc != NULL) {
		if (!same_ci(name, (size_t)(nc - name), ref, tool_len)) {
			return false;
		}
		name = nc + 1;
	}
	return same_ci(name, strlen(name), id, id_len);
}

unsigned kc_policy_resolve(const struct kc_policy *p, const char *name,
	const struct kc_rule_meta **out, unsigned max)
{
	const struct kc_rule_meta *m = kc_policy_find(p, name);
	if (m != NULL) {
		if (max > 0) {
			out[0] = m;
		}
		return 1;
	}
	unsigned n = 0;
	for (unsigned i = 0; i < p->count; i++) {
		const struct kc_rule_meta *r = &p->rules[i];
		bool hit = false;
		for (unsigned j = 0; j < r->references_count && !hit; j++) {
			hit = peer_matches(r->references[j], name);
		}
		if (hit) {
			if (n < max) {
				out[n] = r;
			}
			n++;
		}
	}
	return n;
}

/* Optimal string alignment distance, ignoring case; gives up (returns
 * limit + 1) for long names, which are never typos of a rule id. */
static unsigned distance(const char *a, const char *b, unsigned limit)
{
	enum { MAX = 64 };
	size_t n = strlen(a), m = strlen(b);
	if (n >= MAX || m >= MAX) {
		return limit + 1;
	}
	unsigned d[MAX + 1][MAX + 1];
	for (size_t i = 0; i <= n; i++) {
		d[i][0] = (unsigned)i;
	}
	for (size_t j = 0; j <= m; j++) {
		d[0][j] = (unsigned)j;
	}
	for (size_t i = 1; i <= n; i++) {
		for (size_t j = 1; j <= m; j++) {
			int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
			unsigned best = d[i - 1][j - 1] + (ca != cb);
			best = d[i - 1][j] + 1 < best ? d[i - 1][j] + 1 : best;
			best = d[i][j - 1] + 1 < best ? d[i][j - 1] + 1 : best;
			if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
				tolower((unsigned char)a[i - 2]) == cb && d[i - 2][j - 2] + 1 < best) {
				best = d[i - 2][j - 2] + 1;
			}
			d[i][j] = best;
		}
	}
	return d[n][m];
}

const char *kc_policy_suggest(const struct kc_policy *p, const char *name)
{
	size_t len = strlen(name);
	unsigned limit = len <= 4 ? 1 : len <= 8 ? 2 : 3;
	const char *best = NULL;
	unsigned best_d = limit + 1;
	for (unsigned i = 0; i < p->count; i++) {
		unsigned d = distance(name, p->rules[i].id, limit);
		if (d < best_d) {     /* ties: the first in id order */
			best_d = d;
			best = p->rules[i].id;
		}
	}
	return best;
}
