/* realpath() is an X/Open interface. */
#define _XOPEN_SOURCE 700

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "k8scheck/conf.h"
#include "k8scheck/file.h"
#include "k8scheck/locator.h"
#include "k8scheck/pss.h"

#include "config.h"

static bool exists(const char *path, bool dir)
{
	struct stat st;
	return stat(path, &st) == 0 && (dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode));
}

/*
 * May the search go on into parent (from a directory whose stat is child)?
 * Not across a file system boundary (a mount point, like git without
 * GIT_DISCOVERY_ACROSS_FILESYSTEM), and not into a directory that others
 * may write to, where anyone could plant a configuration (/tmp).
 */
static bool searchable(const char *parent, const struct stat *child)
{
	struct stat st;
	if (stat(parent, &st) != 0 || st.st_dev != child->st_dev) {
		return false;
	}
	return (st.st_mode & S_IWOTH) == 0;
}

/* $HOME, resolved, or NULL. */
static const char *home_dir(char *buf)
{
	const char *h = getenv("HOME");
	if (h == NULL || *h == '\0' || realpath(h, buf) == NULL) {
		return NULL;
	}
	return buf;
}

const char *kc_config_find(const char *path, struct kc_arena *a)
{
	char home_buf[PATH_MAX];
	const char *home = home_dir(home_buf);
	char buf[PATH_MAX];
	if (realpath(path, buf) == NULL) {
		/* An editor's unsaved buffer may name a file not yet on disk:
		 * start from its directory. */
		char tmp[PATH_MAX];
		snprintf(tmp, sizeof(tmp), "%s", path);
		char *slash = strrchr(tmp, '/');
		if (slash == NULL) {
			snprintf(tmp, sizeof(tmp), ".");
		} else if (slash == tmp) {
			tmp[1] = '\0';
		} else {
			*slash = '\0';
		}
		if (realpath(tmp, buf) == NULL && realpath(".", buf) == NULL) {
			return NULL;
		}
	} else if (!exists(buf, true)) {
		char *slash = strrchr(buf, '/');
		if (slash != NULL && slash != buf) {
			*slash = '\0';
		} else if (slash == buf) {
			buf[1] = '\0';
		}
	}
	struct stat start;
	if (stat(buf, &start) != 0 || (start.st_mode & S_IWOTH) != 0) {
		return NULL;  /* a directory anyone may write to: /tmp itself */
	}
	for (;;) {
		static const char *const names[] = { ".k8scheck.yaml", ".k8scheck.yml" };
		char cand[PATH_MAX + 32];
		for (size_t i = 0; i < 2; i++) {
			snprintf(cand, sizeof(cand), "%s/%s", strcmp(buf, "/") ? buf : "",
				names[i]);
			if (exists(cand, false)) {
				/* Name it relative to the working directory when it
				 * is below it, as the user would. */
				char cwd[PATH_MAX];
				size_t n = getcwd(cwd, sizeof(cwd)) ? strlen(cwd) : 0;
				if (n > 0 && strncmp(cand, cwd, n) == 0 && cand[n] == '/') {
					return kc_arena_strdup(a, cand + n + 1);
				}
				return kc_arena_strdup(a, cand);
			}
		}
		snprintf(cand, sizeof(cand), "%s/.git", strcmp(buf, "/") ? buf : "");
		struct stat st;
		if (stat(cand, &st) == 0 || strcmp(buf, "/") == 0) {
			return NULL;  /* the repository root, or the file system's */
		}
		if (home != NULL && strcmp(buf, home) == 0) {
			return NULL;  /* nothing above the user's home applies */
		}
		struct stat here;
		if (stat(buf, &here) != 0) {
			return NULL;
		}
		char *slash = strrchr(buf, '/');
		if (slash == buf) {
			buf[1] = '\0';
		} else {
			*slash = '\0';
		}
		if (!searchable(buf, &here)) {
			return NULL;
		}
	}
}

struct parse {
	struct kc_conf c;        /* file, arena, diag and ok */
	struct kc_policy *policy;
};

static bool rule_id(struct parse *p, const struct kc_node *n, const char *what)
{
	const char *id = kc_conf_string(&p->c, n, what);
	if (id == NULL) {
		return false;
	}
	if (kc_policy_find(p->policy, id) == NULL) {
		return kc_conf_bad(&p->c, n, "unknown rule '%s' in %s (see 'k8scheck rules')", id, what);
	}
	return true;
}

/* A list of strings; each checked as a rule id if ids. */
static bool strings(struct parse *p, const struct kc_node *n, const char *what,
	bool ids, const char ***out, unsigned *count)
{
	if (!kc_conf_strings(&p->c, n, what, false, out, count)) {
		return false;
	}
	for (size_t i = 0; ids && i < n->count; i++) {
		if (!rule_id(p, n->items[i], what)) {
			return false;
		}
	}
	return true;
}

static bool severity(struct parse *p, const struct kc_node *n, enum kc_severity *s)
{
	const char *v = kc_conf_string(&p->c, n, "a severity");
	if (v == NULL) {
		return false;
	}
	if (!kc_severity_parse(v, s)) {
		return kc_conf_bad(&p->c, n, "unknown severity '%s' (error, warning or info)", v);
	}
	return true;
}

static bool rule_params(struct parse *p, struct kc_config *c, const struct kc_node *n)
{
	if (n->type != KC_NODE_MAPPING) {
		return kc_conf_bad(&p->c, n, "rules must be a mapping of rule id to parameters");
	}
	unsigned total = 0;
	for (size_t i = 0; i < n->count; i++) {
		const struct kc_node *v = n->items[2 * i + 1];
		total += v->type == KC_NODE_MAPPING ? (unsigned)v->count : 0;
	}
	c->params = kc_arena_alloc(p->c.a, (total + 1) * sizeof(*c->params));
	for (size_t i = 0; i < n->count; i++) {
		const struct kc_node *k = n->items[2 * i], *v = n->items[2 * i + 1];
		if (!rule_id(p, k, "rules")) {
			return false;
		}
		if (v->type != KC_NODE_MAPPING) {
			return kc_conf_bad(&p->c, v, "the parameters of '%s' must be a mapping", k->value);
		}
		for (size_t j = 0; j < v->count; j++) {
			const struct kc_node *pk = v->items[2 * j], *pv = v->items[2 * j + 1];
			const char *name = kc_conf_string(&p->c, pk, "a parameter name");
			if (name == NULL) {
				return false;
			}
			struct kc_param *par = &c->params[c->param_count++];
			par->rule = k->value;
			par->name = name;
			if (pv->type == KC_NODE_SEQUENCE) {
				par->is_list = true;
				const char **list;
				if (!strings(p, pv, name, false, &list, &par->count)) {
					return false;
				}
				par->list = list;
			} else if (pv->type == KC_NODE_SCALAR && pv->style == KC_STYLE_PLAIN) {
				char *end = NULL;
				errno = 0;
				par->value = strtoll(pv->value, &end, 10);
				if (errno != 0 || end == pv->value || *end != '\0') {
					return kc_conf_bad(&p->c, pv, "parameter '%s' must be an integer or a "
						"list, not '%s'", name, pv->value);
				}
			} else {
				return kc_conf_bad(&p->c, pv, "parameter '%s' must be an integer or a list",
					name);
			}
		}
	}
	return true;
}

bool kc_config_load(struct kc_config *c, const char *path, struct kc_policy *policy,
	struct kc_arena *a, struct kc_diag *diag)
{
	*c = (struct kc_config){ .path = path };
	char *text;
	size_t len;
	int e = kc_file_read(path, NULL, kc_limits_default.max_file_bytes, &text, &len);
	if (e != 0) {
		if (e == EFBIG) {
			kc_diag_at(diag, KC_DIAG_ERROR, path, 0, 0, "the configuration is "
				"larger than the limit of %zu bytes",
				kc_limits_default.max_file_bytes);
		} else {
			kc_diag_at(diag, KC_DIAG_ERROR, path, 0, 0,
				"cannot read the configuration: %s", strerror(e));
		}
		return false;
	}
	char *buf = kc_arena_strndup(a, text, len);
	free(text);
	char dir[PATH_MAX];
	if (realpath(path, dir) != NULL) {
		char *slash = strrchr(dir, '/');
		if (slash != NULL && slash != dir) {
			*slash = '\0';
		}
		c->dir = kc_arena_strdup(a, dir);
	}
	struct kc_locator *l = kc_locator_create(buf, len, NULL);
	struct kc_document doc;
	struct kc_loc_error err;
	enum kc_locator_status st = kc_locator_next(l, a, &doc, &err);
	kc_locator_destroy(l);
	if (st == KC_LOCATOR_END) {
		return true;  /* an empty configuration */
	}
	if (st != KC_LOCATOR_DOCUMENT) {
		kc_diag_at(diag, KC_DIAG_ERROR, path, err.pos.line, err.pos.col, "%s",
			err.message);
		return false;
	}
	struct parse p = { { path, a, diag, true }, policy };
	const struct kc_node *root = doc.root;
	if (root->type != KC_NODE_MAPPING) {
		return kc_conf_bad(&p.c, root, "the configuration must be a mapping");
	}
	/* Custom rules first, so the rest may name them. */
	const struct kc_node *pol = kc_node_get(root, "policies");
	if (pol != NULL) {
		const char **rel;
		unsigned n;
		if (!strings(&p, pol, "policies", false, &rel, &n)) {
			return false;
		}
		c->policies = kc_arena_alloc(a, (n + 1) * sizeof(*c->policies));
		for (unsigned j = 0; j < n; j++) {
			/* Relative to the configuration file, named the way the
			 * file was named (so messages show no absolute paths). */
			const char *slash = strrchr(path, '/');
			const char *abs = rel[j][0] == '/' ? rel[j] : slash == NULL ? rel[j] :
				kc_arena_printf(a, "%.*s/%s", (int)(slash - path), path, rel[j]);
			c->policies[c->policy_count++] = abs;
			if (!kc_policy_load_custom(policy, abs, a, diag)) {
				return false;
			}
		}
	}
	for (size_t i = 0; i < root->count && p.c.ok; i++) {
		const struct kc_node *k = root->items[2 * i], *v = root->items[2 * i + 1];
		const char *key = k->type == KC_NODE_SCALAR ? k->value : "";
		if (strcmp(key, "policies") == 0) {
			continue;
		}
		if (strcmp(key, "profile") == 0) {
			c->profile = kc_conf_string(&p.c, v, "profile");
			if (c->profile != NULL && strcmp(c->profile, "default") != 0 &&
				strcmp(c->profile, "all") != 0 &&
				strcmp(c->profile, "pss-baseline") != 0 &&
				strcmp(c->profile, "pss-restricted") != 0) {
				kc_conf_bad(&p.c, v, "unknown profile '%s' (default, pss-baseline, "
					"pss-restricted, all)", c->profile);
			}
		} else if (strcmp(key, "pss") == 0) {
			struct kc_pss_policy pss;
			c->pss = kc_conf_string(&p.c, v, "pss");
			if (c->pss != NULL && !kc_pss_parse(c->pss, &pss)) {
				kc_conf_bad(&p.c, v, "pss must be LEVEL[:VERSION] (e.g. restricted:v1.30), "
					"not '%s'", c->pss);
			}
		} else if (strcmp(key, "enable") == 0) {
			strings(&p, v, "enable", true, &c->enable, &c->enable_count);
		} else if (strcmp(key, "disable") == 0) {
			strings(&p, v, "disable", true, &c->disable, &c->disable_count);
		} else if (strcmp(key, "severity") == 0) {
			if (v->type != KC_NODE_MAPPING) {
				kc_conf_bad(&p.c, v, "severity must be a mapping of rule id to severity");
				break;
			}
			c->severity = kc_arena_alloc(a, (v->count + 1) * sizeof(*c->severity));
			for (size_t j = 0; j < v->count && p.c.ok; j++) {
				const struct kc_node *rk = v->items[2 * j];
				struct kc_config_sev *s = &c->severity[c->severity_count];
				if (rule_id(&p, rk, "severity") &&
					severity(&p, v->items[2 * j + 1], &s->severity)) {
					s->rule = rk->value;
					c->severity_count++;
				}
			}
		} else if (strcmp(key, "failOn") == 0) {
			c->has_fail_on = severity(&p, v, &c->fail_on);
		} else if (strcmp(key, "exclude") == 0) {
			strings(&p, v, "exclude", false, &c->exclude, &c->exclude_count);
		} else if (strcmp(key, "rules") == 0) {
			rule_params(&p, c, v);
		} else {
			kc_conf_bad(&p.c, k, "unknown key '%s' (profile, pss, enable, disable, severity, "
				"failOn, exclude, rules, policies)", key);
		}
	}
	return p.c.ok;
}

/* Glob match: '*' and '?' stay within a path component, '**' spans them. */
static bool glob(const char *pat, const char *s)
{
	for (; *pat; pat++, s++) {
		if (pat[0] == '*' && pat[1] == '*') {
			pat += 2;
			if (*pat == '/') {
				pat++;
			}
			for (;; s++) {
				if (glob(pat, s)) {
					return true;
				}
				if (*s == '\0') {
					return false;
				}
			}
		}
		if (*pat == '*') {
			for (;; s++) {
				if (glob(pat + 1, s)) {
					return true;
				}
				if (*s == '\0' || *s == '/') {
					return false;
				}
			}
		}
		if (*s == '\0' || (*pat != '?' && *pat != *s) || (*pat == '?' && *s == '/')) {
			return false;
		}
	}
	return *s == '\0';
}

bool kc_config_excluded(const struct kc_config *c, const char *file)
{
	if (c == NULL || c->exclude_count == 0 || c->dir == NULL) {
		return false;
	}
	char abs[PATH_MAX];
	if (realpath(file, abs) == NULL) {
		return false;
	}
	size_t n = strlen(c->dir);
	const char *rel = abs;
	if (strncmp(abs, c->dir, n) == 0 && (abs[n] == '/' || strcmp(c->dir, "/") == 0)) {
		rel = abs + n + (abs[n] == '/');
	}
	const char *base = strrchr(rel, '/');
	base = base ? base + 1 : rel;
	for (unsigned i = 0; i < c->exclude_count; i++) {
		const char *pat = c->exclude[i];
		/* A pattern without '/' matches the name in any directory. */
		if (strchr(pat, '/') == NULL ? glob(pat, base) : glob(pat, rel)) {
			return true;
		}
		/* A pattern "dir/" excludes everything below dir. */
		size_t pl = strlen(pat);
		if (pl > 0 && pat[pl - 1] == '/' && strncmp(rel, pat, pl) == 0) {
			return true;
		}
	}
	return false;
}
