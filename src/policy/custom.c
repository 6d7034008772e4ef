/*
 * Custom rules from YAML (--policy FILE|DIR, or `policies:` in the
 * configuration): the catalog's keys (id, title, severity, description,
 * remediation, example, references, default) plus a `check:` built from a
 * template. Parsed from the locator's node tree so every mistake is
 * reported at its line and column.
 */
#define _XOPEN_SOURCE 700  /* for the dirent/stat used below, with regex */

#include <dirent.h>
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "k8scheck/policy.h"

struct parse {
	const char *file;
	struct kc_arena *a;
	struct kc_diag *diag;
	bool ok;
};

static bool bad(struct parse *p, const struct kc_node *n, const char *fmt, ...)
	KC_PRINTF(3, 4);

static bool bad(struct parse *p, const struct kc_node *n, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	kc_diag_at(p->diag, KC_DIAG_ERROR, p->file, n->start.line, n->start.col, "%s", msg);
	p->ok = false;
	return false;
}

static const char *str(struct parse *p, const struct kc_node *n, const char *key)
{
	if (n == NULL) {
		return NULL;
	}
	if (n->type != KC_NODE_SCALAR || kc_node_is_null(n)) {
		bad(p, n, "'%s' must be a string", key);
		return NULL;
	}
	return n->value;
}

static bool strings(struct parse *p, const struct kc_node *n, const char *key,
	const char ***out, unsigned *count)
{
	if (n->type == KC_NODE_SCALAR && !kc_node_is_null(n)) {
		*out = kc_arena_alloc(p->a, sizeof(**out));
		(*out)[0] = n->value;
		*count = 1;
		return true;
	}
	if (n->type != KC_NODE_SEQUENCE) {
		return bad(p, n, "'%s' must be a list of strings", key);
	}
	*out = kc_arena_alloc(p->a, (n->count + 1) * sizeof(**out));
	*count = 0;
	for (size_t i = 0; i < n->count; i++) {
		if (n->items[i]->type != KC_NODE_SCALAR) {
			return bad(p, n->items[i], "'%s' must be a list of strings", key);
		}
		(*out)[(*count)++] = n->items[i]->value;
	}
	return true;
}

static bool number(struct parse *p, const struct kc_node *n, const char *key, double *out)
{
	char *end = NULL;
	if (n->type != KC_NODE_SCALAR || n->style != KC_STYLE_PLAIN) {
		return bad(p, n, "'%s' must be a number", key);
	}
	errno = 0;
	*out = strtod(n->value, &end);
	if (errno != 0 || end == n->value || *end != '\0') {
		return bad(p, n, "'%s' must be a number, not '%s'", key, n->value);
	}
	return true;
}

/* Dotted keys only: "securityContext.runAsGroup". */
static bool dotted(struct parse *p, const struct kc_node *n, const char *key)
{
	const char *s = str(p, n, key);
	if (s == NULL) {
		return false;
	}
	if (*s == '\0' || *s == '.' || s[strlen(s) - 1] == '.' || strstr(s, "..") ||
		strchr(s, '[') != NULL) {
		return bad(p, n, "'%s' must be keys separated by dots, like "
			"securityContext.runAsUser", key);
	}
	return true;
}

static bool parse_check(struct parse *p, const struct kc_node *n, struct kc_custom *c)
{
	if (n->type != KC_NODE_MAPPING) {
		return bad(p, n, "'check' must be a mapping");
	}
	static const struct { const char *name; enum kc_custom_template t; } templates[] = {
		{ "field", KC_CUSTOM_FIELD },
		{ "required-labels", KC_CUSTOM_REQUIRED_LABELS },
		{ "required-annotations", KC_CUSTOM_REQUIRED_ANNOTATIONS },
		{ "allowed-registries", KC_CUSTOM_ALLOWED_REGISTRIES },
	};
	static const struct { const char *name; enum kc_custom_op op; } ops[] = {
		{ "exist", KC_OP_EXISTS }, { "not-exist", KC_OP_NOT_EXISTS },
		{ "equal", KC_OP_EQUALS }, { "be-one-of", KC_OP_ONE_OF },
		{ "match", KC_OP_MATCHES }, { "be-in-range", KC_OP_RANGE },
	};
	const struct kc_node *t = kc_node_get(n, "template");
	const char *tname = str(p, t, "template");
	if (tname == NULL) {
		return p->ok ? bad(p, n, "'check' needs a 'template' (field, "
			"required-labels, required-annotations, allowed-registries)") : false;
	}
	bool found = false;
	for (size_t i = 0; i < sizeof(templates) / sizeof(*templates); i++) {
		if (strcmp(tname, templates[i].name) == 0) {
			c->template = templates[i].t;
			found = true;
		}
	}
	if (!found) {
		return bad(p, t, "unknown template '%s' (field, required-labels, "
			"required-annotations, allowed-registries)", tname);
	}
	c->scope = KC_SCOPE_CONTAINER;
	c->op = KC_OP_EXISTS;
	bool have_value = false, have_range = false;
	c->min = -1e300;
	c->max = 1e300;
	for (size_t i = 0; i < n->count; i++) {
		const struct kc_node *k = n->items[2 * i], *v = n->items[2 * i + 1];
		const char *key = k->type == KC_NODE_SCALAR ? k->value : "";
		if (strcmp(key, "template") == 0) {
			continue;
		} else if (strcmp(key, "scope") == 0 && c->template == KC_CUSTOM_FIELD) {
			const char *sc = str(p, v, "scope");
			if (sc == NULL) {
				return false;
			} else if (strcmp(sc, "container") == 0) {
				c->scope = KC_SCOPE_CONTAINER;
			} else if (strcmp(sc, "pod") == 0) {
				c->scope = KC_SCOPE_POD;
			} else if (strcmp(sc, "resource") == 0) {
				c->scope = KC_SCOPE_RESOURCE;
			} else {
				return bad(p, v, "unknown scope '%s' (container, pod, resource)", sc);
			}
		} else if (strcmp(key, "path") == 0 && c->template == KC_CUSTOM_FIELD) {
			if (!dotted(p, v, "path")) {
				return false;
			}
			c->path = v->value;
		} else if (strcmp(key, "inherit") == 0 && c->template == KC_CUSTOM_FIELD) {
			if (!dotted(p, v, "inherit")) {
				return false;
			}
			c->inherit = v->value;
		} else if (strcmp(key, "must") == 0 && c->template == KC_CUSTOM_FIELD) {
			const char *m = str(p, v, "must");
			bool ok = false;
			for (size_t j = 0; m != NULL && j < sizeof(ops) / sizeof(*ops); j++) {
				if (strcmp(m, ops[j].name) == 0) {
					c->op = ops[j].op;
					ok = true;
				}
			}
			if (!ok) {
				return m == NULL ? false : bad(p, v, "unknown condition '%s' "
					"(exist, not-exist, equal, be-one-of, match, be-in-range)", m);
			}
		} else if ((strcmp(key, "value") == 0 || strcmp(key, "values") == 0) &&
			c->template == KC_CUSTOM_FIELD) {
			if (!strings(p, v, key, &c->values, &c->value_count)) {
				return false;
			}
			have_value = true;
		} else if (strcmp(key, "pattern") == 0 && c->template == KC_CUSTOM_FIELD) {
			c->pattern = str(p, v, "pattern");
			if (c->pattern == NULL) {
				return false;
			}
			regex_t *re = kc_arena_alloc(p->a, sizeof(*re));
			int rc = regcomp(re, c->pattern, REG_EXTENDED | REG_NOSUB);
			if (rc != 0) {
				char why[128];
				regerror(rc, re, why, sizeof(why));
				return bad(p, v, "bad regular expression: %s", why);
			}
			c->regex = re;
		} else if (strcmp(key, "min") == 0 && c->template == KC_CUSTOM_FIELD) {
			if (!number(p, v, "min", &c->min)) {
				return false;
			}
			have_range = true;
		} else if (strcmp(key, "max") == 0 && c->template == KC_CUSTOM_FIELD) {
			if (!number(p, v, "max", &c->max)) {
				return false;
			}
			have_range = true;
		} else if (strcmp(key, "keys") == 0 &&
			(c->template == KC_CUSTOM_REQUIRED_LABELS ||
				c->template == KC_CUSTOM_REQUIRED_ANNOTATIONS)) {
			if (!strings(p, v, "keys", &c->values, &c->value_count)) {
				return false;
			}
		} else if (strcmp(key, "registries") == 0 &&
			c->template == KC_CUSTOM_ALLOWED_REGISTRIES) {
			if (!strings(p, v, "registries", &c->values, &c->value_count)) {
				return false;
			}
		} else if (strcmp(key, "message") == 0) {
			c->message = str(p, v, "message");
			if (c->message == NULL) {
				return false;
			}
		} else {
			return bad(p, k, "'%s' is not a key of the %s template", key, tname);
		}
	}
	if (c->template == KC_CUSTOM_FIELD) {
		if (c->path == NULL) {
			return bad(p, n, "the field template needs a 'path'");
		}
		if (c->inherit != NULL && c->scope != KC_SCOPE_CONTAINER) {
			return bad(p, n, "'inherit' applies only to scope: container");
		}
		if ((c->op == KC_OP_EQUALS || c->op == KC_OP_ONE_OF) && !have_value) {
			return bad(p, n, "must: %s needs 'value' or 'values'",
				c->op == KC_OP_EQUALS ? "equal" : "be-one-of");
		}
		if (c->op == KC_OP_EQUALS && c->value_count != 1) {
			return bad(p, n, "must: equal takes exactly one 'value'");
		}
		if (c->op == KC_OP_MATCHES && c->regex == NULL) {
			return bad(p, n, "must: match needs a 'pattern'");
		}
		if (c->op == KC_OP_RANGE && !have_range) {
			return bad(p, n, "must: be-in-range needs 'min' and/or 'max'");
		}
	} else if (c->value_count == 0) {
		return bad(p, n, "the %s template needs '%s'", tname,
			c->template == KC_CUSTOM_ALLOWED_REGISTRIES ? "registries" : "keys");
	}
	return true;
}

static bool valid_id(const char *id)
{
	if (*id < 'a' || *id > 'z') {
		return false;
	}
	for (const char *c = id; *c; c++) {
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-')) {
			return false;
		}
	}
	return true;
}

static bool parse_rule(struct parse *p, const struct kc_policy *pol,
	const struct kc_node *root, struct kc_rule_meta *m)
{
	if (root->type != KC_NODE_MAPPING) {
		return bad(p, root, "a custom rule must be a mapping");
	}
	*m = (struct kc_rule_meta){ .on_by_default = true, .source = p->file };
	static const char *const required[] = { "id", "title", "severity", "check" };
	for (size_t i = 0; i < sizeof(required) / sizeof(*required); i++) {
		if (kc_node_get(root, required[i]) == NULL) {
			return bad(p, root, "a custom rule needs '%s'", required[i]);
		}
	}
	struct kc_custom *c = kc_arena_alloc(p->a, sizeof(*c));
	for (size_t i = 0; i < root->count; i++) {
		const struct kc_node *k = root->items[2 * i], *v = root->items[2 * i + 1];
		const char *key = k->type == KC_NODE_SCALAR ? k->value : "";
		if (strcmp(key, "id") == 0) {
			m->id = (char *)str(p, v, "id");
			if (m->id != NULL && !valid_id(m->id)) {
				return bad(p, v, "rule ids are kebab-case (a-z, 0-9, '-'), "
					"not '%s'", m->id);
			}
			if (m->id != NULL && kc_policy_find(pol, m->id) != NULL) {
				return bad(p, v, "rule '%s' already exists", m->id);
			}
		} else if (strcmp(key, "title") == 0) {
			m->title = (char *)str(p, v, "title");
		} else if (strcmp(key, "severity") == 0) {
			m->severity_name = (char *)str(p, v, "severity");
			if (m->severity_name != NULL &&
				!kc_severity_parse(m->severity_name, &m->severity)) {
				return bad(p, v, "unknown severity '%s' (error, warning or info)",
					m->severity_name);
			}
		} else if (strcmp(key, "description") == 0) {
			m->description = (char *)str(p, v, "description");
		} else if (strcmp(key, "remediation") == 0) {
			m->remediation = (char *)str(p, v, "remediation");
		} else if (strcmp(key, "example") == 0) {
			m->example = (char *)str(p, v, "example");
		} else if (strcmp(key, "references") == 0) {
			const char **refs;
			if (!strings(p, v, "references", &refs, &m->references_count)) {
				return false;
			}
			m->references = refs;
		} else if (strcmp(key, "default") == 0) {
			if (v->type != KC_NODE_SCALAR || (strcmp(v->value, "true") != 0 &&
				strcmp(v->value, "false") != 0)) {
				return bad(p, v, "'default' must be true or false");
			}
			m->on_by_default = strcmp(v->value, "true") == 0;
		} else if (strcmp(key, "check") == 0) {
			if (!parse_check(p, v, c)) {
				return false;
			}
		} else {
			return bad(p, k, "unknown key '%s' (id, title, severity, description, "
				"remediation, example, references, default, check)", key);
		}
		if (!p->ok) {
			return false;
		}
	}
	m->custom = c;
	if (m->description == NULL) {
		m->description = kc_arena_strdup(p->a, "");
	}
	if (m->remediation == NULL) {
		m->remediation = kc_arena_strdup(p->a, "");
	}
	if (m->example == NULL) {
		m->example = kc_arena_strdup(p->a, "");
	}
	return true;
}

static int meta_cmp(const void *a, const void *b)
{
	return strcmp(((const struct kc_rule_meta *)a)->id,
		((const struct kc_rule_meta *)b)->id);
}

static bool add(struct kc_policy *pol, const struct kc_rule_meta *m, struct kc_arena *a)
{
	struct kc_rule_meta *rules = kc_arena_alloc(a, (pol->count + 1) * sizeof(*rules));
	memcpy(rules, pol->rules, pol->count * sizeof(*rules));
	rules[pol->count] = *m;
	pol->rules = rules;
	pol->count++;
	qsort(pol->rules, pol->count, sizeof(*pol->rules), meta_cmp);
	return true;
}

static bool load_file(struct kc_policy *pol, const char *path, struct kc_arena *a,
	struct kc_diag *diag)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		kc_diag_at(diag, KC_DIAG_ERROR, path, 0, 0, "cannot read the policy: %s",
			strerror(errno));
		return false;
	}
	size_t cap = 4096, len = 0, got;
	char *buf = kc_arena_alloc(a, cap);
	while ((got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += got;
		if (len + 1 >= cap) {
			buf = kc_arena_realloc(a, buf, cap * 2);
			cap *= 2;
		}
	}
	fclose(f);
	struct parse p = { kc_arena_strdup(a, path), a, diag, true };
	struct kc_locator *l = kc_locator_create(buf, len, NULL);
	for (;;) {
		struct kc_document doc;
		struct kc_loc_error err;
		enum kc_locator_status st = kc_locator_next(l, a, &doc, &err);
		if (st == KC_LOCATOR_END) {
			break;
		}
		if (st != KC_LOCATOR_DOCUMENT) {
			kc_diag_at(diag, KC_DIAG_ERROR, path, err.pos.line, err.pos.col, "%s",
				err.message);
			p.ok = false;
			break;
		}
		struct kc_rule_meta m;
		if (!parse_rule(&p, pol, doc.root, &m)) {
			break;
		}
		add(pol, &m, a);
	}
	kc_locator_destroy(l);
	return p.ok;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

bool kc_policy_load_custom(struct kc_policy *pol, const char *path, struct kc_arena *a,
	struct kc_diag *diag)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		kc_diag_at(diag, KC_DIAG_ERROR, path, 0, 0, "cannot read the policy: %s",
			strerror(errno));
		return false;
	}
	if (!S_ISDIR(st.st_mode)) {
		return load_file(pol, path, a, diag);
	}
	DIR *d = opendir(path);
	if (d == NULL) {
		kc_diag_at(diag, KC_DIAG_ERROR, path, 0, 0, "cannot read the policies: %s",
			strerror(errno));
		return false;
	}
	char **names = NULL;
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		const char *dot = strrchr(e->d_name, '.');
		if (e->d_name[0] == '.' || dot == NULL ||
			(strcmp(dot, ".yaml") != 0 && strcmp(dot, ".yml") != 0)) {
			continue;
		}
		names = kc_arena_realloc(a, names, (n + 1) * sizeof(*names));
		names[n++] = kc_arena_printf(a, "%s/%s", path, e->d_name);
	}
	closedir(d);
	if (n > 1) {
		qsort(names, n, sizeof(*names), name_cmp);
	}
	bool ok = true;
	for (size_t i = 0; i < n && ok; i++) {
		ok = load_file(pol, names[i], a, diag);
	}
	return ok;
}
