#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <cyaml/cyaml.h>

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

static const cyaml_schema_value_t string_entry = {
	CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 0, CYAML_UNLIMITED),
};

#define REQ_STR(key, member) CYAML_FIELD_STRING_PTR(key, CYAML_FLAG_POINTER, \
	struct kc_rule_meta, member, 1, CYAML_UNLIMITED)

static const cyaml_schema_field_t meta_fields[] = {
	REQ_STR("id", id),
	REQ_STR("title", title),
	REQ_STR("severity", severity_name),
	REQ_STR("description", description),
	REQ_STR("remediation", remediation),
	REQ_STR("example", example),
	CYAML_FIELD_STRING_PTR("security-severity", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
		struct kc_rule_meta, security_severity, 1, 4),
	CYAML_FIELD_SEQUENCE("references", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
		struct kc_rule_meta, references, &string_entry, 0, CYAML_UNLIMITED),
	CYAML_FIELD_BOOL_PTR("default", CYAML_FLAG_OPTIONAL, struct kc_rule_meta,
		default_on),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t meta_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, struct kc_rule_meta, meta_fields),
};

static void *arena_mem(void *ctx, void *ptr, size_t size)
{
	return kc_arena_realloc(ctx, ptr, size);
}

static void log_fn(cyaml_log_t level, void *ctx, const char *fmt, va_list args)
	KC_PRINTF(3, 0);

static void log_fn(cyaml_log_t level, void *ctx, const char *fmt, va_list args)
{
	vfprintf(ctx, fmt, args);
}

static int meta_cmp(const void *a, const void *b)
{
	return strcmp(((const struct kc_rule_meta *)a)->id,
		((const struct kc_rule_meta *)b)->id);
}

/* "D.D" or "10.0", from 0.1 to 10.0, as GitHub reads security-severity. */
static bool valid_security_severity(const char *s)
{
	if (strcmp(s, "10.0") == 0) {
		return true;
	}
	return strlen(s) == 3 && s[0] >= '0' && s[0] <= '9' && s[1] == '.' &&
		s[2] >= '0' && s[2] <= '9' && !(s[0] == '0' && s[2] == '0');
}

bool kc_policy_load(struct kc_policy *p, struct kc_arena *a, struct kc_diag *diag)
{
	const cyaml_config_t cfg = {
		.log_fn = log_fn,
		.log_ctx = diag->err,
		.mem_fn = arena_mem,
		.mem_ctx = a,
		.log_level = CYAML_LOG_ERROR,
		.flags = CYAML_CFG_DEFAULT,
	};
	p->count = 0;
	p->rules = kc_arena_alloc(a, (kc_policy_file_count + 1) * sizeof(*p->rules));
	bool ok = true;
	for (size_t i = 0; i < kc_policy_file_count; i++) {
		const struct kc_policy_file *f = &kc_policy_files[i];
		struct kc_rule_meta *m = NULL;
		cyaml_err_t e = cyaml_load_data((const uint8_t *)f->data, f->len, &cfg,
			&meta_schema, (cyaml_data_t **)&m, NULL);
		if (e != CYAML_OK) {
			kc_diag_at(diag, KC_DIAG_ERROR, f->name, 0, 0,
				"internal: bad rule catalog entry: %s", cyaml_strerror(e));
			ok = false;
			continue;
		}
		if (!kc_severity_parse(m->severity_name, &m->severity)) {
			kc_diag_at(diag, KC_DIAG_ERROR, f->name, 0, 0,
				"internal: unknown severity '%s'", m->severity_name);
			ok = false;
		}
		if (m->security_severity != NULL && !valid_security_severity(m->security_severity)) {
			kc_diag_at(diag, KC_DIAG_ERROR, f->name, 0, 0,
				"internal: security-severity '%s' is not a number from 0.1 to 10.0",
				m->security_severity);
			ok = false;
		}
		m->on_by_default = m->default_on == NULL || *m->default_on;
		p->rules[p->count++] = *m;
	}
	qsort(p->rules, p->count, sizeof(*p->rules), meta_cmp);
	for (unsigned i = 0; i < p->count; i++) {
		if (i > 0 && strcmp(p->rules[i - 1].id, p->rules[i].id) == 0) {
			kc_diag_run(diag, KC_DIAG_ERROR,
				"internal: rule '%s' is described twice", p->rules[i].id);
			ok = false;
		}
	}
	for (size_t i = 0; i < kc_rule_count; i++) {
		if (kc_policy_find(p, kc_rules[i].id) == NULL) {
			kc_diag_run(diag, KC_DIAG_ERROR,
				"internal: rule '%s' has no policies/%s.yaml",
				kc_rules[i].id, kc_rules[i].id);
			ok = false;
		}
	}
	for (unsigned i = 0; i < p->count; i++) {
		bool found = false;
		for (size_t j = 0; j < kc_rule_count && !found; j++) {
			found = strcmp(kc_rules[j].id, p->rules[i].id) == 0;
		}
		if (!found) {
			kc_diag_run(diag, KC_DIAG_ERROR,
				"internal: policies/%s.yaml describes a rule with no check",
				p->rules[i].id);
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
static const char *const peer_tools[] = { "kube-linter", "Checkov", "Trivy", "Polaris" };

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
