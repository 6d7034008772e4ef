/*
 * The user an image built from a Dockerfile runs as: the built stage's
 * last USER, inherited through `FROM <stage>`, with ARG and ENV values
 * substituted as BuildKit does; without one, the base image's default user
 * (base.c). A user name is mapped to its UID from the stages' useradd /
 * adduser commands or from the base image's table row.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "k8scheck/image.h"

struct vars {
	const char **names;
	const char **vals;
	unsigned n;
	unsigned cap;
	struct kc_arena *a;
};

static void var_set(struct vars *v, const char *name, const char *val)
{
	for (unsigned i = 0; i < v->n; i++) {
		if (strcmp(v->names[i], name) == 0) {
			v->vals[i] = val;
			return;
		}
	}
	if (v->n == v->cap) {
		unsigned cap = v->cap != 0 ? v->cap * 2 : 8;
		v->names = kc_arena_realloc(v->a, v->names, cap * sizeof(*v->names));
		v->vals = kc_arena_realloc(v->a, v->vals, cap * sizeof(*v->vals));
		v->cap = cap;
	}
	v->names[v->n] = name;
	v->vals[v->n] = val;
	v->n++;
}

static const char *var_get(const struct vars *v, const char *name, bool *found)
{
	for (unsigned i = 0; i < v->n; i++) {
		if (strcmp(v->names[i], name) == 0) {
			*found = true;
			return v->vals[i];
		}
	}
	*found = false;
	return NULL;
}

/* s without one pair of surrounding quotes, in a. */
static const char *unquote(struct kc_arena *a, const char *s, size_t n)
{
	if (n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0]) {
		return kc_arena_strndup(a, s + 1, n - 2);
	}
	return kc_arena_strndup(a, s, n);
}

/* ARG NAME[=default] ... : a NULL value is declared without a default
 * (it takes the global ARG's default when there is one). */
static void take_arg(struct vars *v, const struct vars *global, const struct kc_df_instr *in)
{
	for (unsigned i = 0; i < in->arg_count; i++) {
		const char *w = in->args[i].s;
		const char *eq = strchr(w, '=');
		const char *name = kc_arena_strndup(v->a, w, eq != NULL ? (size_t)(eq - w) : strlen(w));
		const char *val = NULL;
		if (eq != NULL) {
			val = unquote(v->a, eq + 1, strlen(eq + 1));
		} else if (global != NULL) {
			bool found;
			val = var_get(global, name, &found);
		}
		var_set(v, name, val);
	}
}

/* ENV KEY=VALUE ... or the legacy ENV KEY VALUE. */
static void take_env(struct vars *v, const struct kc_df_instr *in)
{
	if (in->arg_count == 0) {
		return;
	}
	if (strchr(in->args[0].s, '=') == NULL) {
		const char *rest = in->rest.s + strlen(in->args[0].s);
		while (*rest == ' ' || *rest == '\t') {
			rest++;
		}
		var_set(v, in->args[0].s, kc_arena_strdup(v->a, rest));
		return;
	}
	for (unsigned i = 0; i < in->arg_count; i++) {
		const char *w = in->args[i].s;
		const char *eq = strchr(w, '=');
		if (eq == NULL) {
			continue;
		}
		var_set(v, kc_arena_strndup(v->a, w, (size_t)(eq - w)),
			unquote(v->a, eq + 1, strlen(eq + 1)));
	}
}

static int find_stage(const struct kc_dockerfile *df, const char *target)
{
	if (target == NULL) {
		return (int)df->stage_count - 1;
	}
	for (unsigned s = 0; s < df->stage_count; s++) {
		if (df->stages[s].name != NULL && strcasecmp(df->stages[s].name, target) == 0) {
			return (int)s;
		}
	}
	char *end;
	long n = strtol(target, &end, 10);
	if (*target != '\0' && *end == '\0' && n >= 0 && (unsigned long)n < df->stage_count) {
		return (int)n;
	}
	return -1;
}

/* The chain of stages from the one built on an image down to s:
 * chain[0] is that root, chain[*len-1] is s. */
static unsigned stage_chain(const struct kc_dockerfile *df, unsigned s, unsigned *chain)
{
	unsigned len = 0;
	for (unsigned hops = 0; hops <= df->stage_count; hops++) {
		chain[len++] = s;
		int b = df->stages[s].base_stage;
		if (b < 0 || (unsigned)b >= s) {
			break;
		}
		s = (unsigned)b;
	}
	for (unsigned i = 0; i < len / 2; i++) {
		unsigned t = chain[i];
		chain[i] = chain[len - 1 - i];
		chain[len - 1 - i] = t;
	}
	return len;
}

/* `useradd ... -u N ... name`, `adduser -u N name`, `--uid N`, `--uid=N`,
 * `-uN` in any RUN of the chain's stages: the UID given to name, or -1. */
static long long uid_from_runs(const struct kc_dockerfile *df, const unsigned *chain,
	unsigned len, const char *name, struct kc_arena *a)
{
	long long found = -1;
	for (unsigned c = 0; c < len; c++) {
		const struct kc_df_stage *st = &df->stages[chain[c]];
		for (unsigned i = st->first; i < st->first + st->count; i++) {
			const struct kc_df_instr *in = &df->instrs[i];
			if (in->cmd != KC_DF_RUN || in->json) {
				continue;
			}
			/* Words of the script, split at blanks and shell operators. */
			char *t = kc_arena_strdup(a, in->rest.s);
			for (char *p = t; *p; p++) {
				if (strchr(";&|()\\\n\t\r", *p) != NULL) {
					*p = ' ';
				}
			}
			const char *uid = NULL, *user = NULL;
			bool in_cmd = false, want_uid = false;
			char *save = NULL;
			for (char *w = strtok_r(t, " ", &save); w != NULL; w = strtok_r(NULL, " ", &save)) {
				const char *base = strrchr(w, '/') != NULL ? strrchr(w, '/') + 1 : w;
				if (strcmp(base, "useradd") == 0 || strcmp(base, "adduser") == 0) {
					in_cmd = true;
					uid = user = NULL;
					continue;
				}
				if (!in_cmd) {
					continue;
				}
				if (want_uid) {
					uid = w;
					want_uid = false;
				} else if (strcmp(w, "-u") == 0 || strcmp(w, "--uid") == 0) {
					want_uid = true;
				} else if (strncmp(w, "--uid=", 6) == 0) {
					uid = w + 6;
				} else if (strncmp(w, "-u", 2) == 0 && isdigit((unsigned char)w[2])) {
					uid = w + 2;
				} else if (w[0] != '-') {
					user = w;   /* the last operand is the user's name */
				}
				if (uid != NULL && user != NULL && strcmp(user, name) == 0) {
					char *end;
					long long n = strtoll(uid, &end, 10);
					if (*uid != '\0' && *end == '\0' && n >= 0) {
						found = n;
					}
				}
			}
		}
	}
	return found;
}

static void unknown(struct kc_image_user *out, const char *why)
{
	out->verdict = KC_IMAGE_UNKNOWN;
	out->user = NULL;
	out->uid = -1;
	out->why = why;
}

bool kc_image_dockerfile_user(const struct kc_dockerfile *df, const char *target,
	struct kc_arena *a, struct kc_image_user *out)
{
	if (df->stage_count == 0) {
		return false;
	}
	int s = find_stage(df, target);
	if (s < 0) {
		return false;
	}
	unsigned *chain = kc_arena_alloc(a, (df->stage_count + 1) * sizeof(*chain));
	unsigned len = stage_chain(df, (unsigned)s, chain);
	const struct kc_df_stage *root = &df->stages[chain[0]];

	/* Global ARGs (before the first FROM) with their defaults. */
	struct vars global = { .a = a };
	for (unsigned i = 0; i < df->count && df->instrs[i].stage < 0; i++) {
		if (df->instrs[i].cmd == KC_DF_ARG) {
			take_arg(&global, NULL, &df->instrs[i]);
		}
	}
	/* Walk the chain in build order: ENV carries into child stages, ARG
	 * does not; remember the last USER and the variables it sees. */
	struct vars env = { .a = a };
	const struct kc_df_instr *user = NULL;
	const char *expanded = NULL;
	bool unresolved = false;
	for (unsigned c = 0; c < len; c++) {
		const struct kc_df_stage *st = &df->stages[chain[c]];
		struct vars args = { .a = a };
		for (unsigned i = st->first; i < st->first + st->count; i++) {
			const struct kc_df_instr *in = &df->instrs[i];
			if (in->cmd == KC_DF_ARG) {
				take_arg(&args, &global, in);
			} else if (in->cmd == KC_DF_ENV) {
				take_env(&env, in);
			} else if (in->cmd == KC_DF_USER && in->arg_count > 0) {
				/* ENV wins over ARG of the same name, as in BuildKit. */
				struct vars all = { .a = a };
				for (unsigned k = 0; k < args.n; k++) {
					var_set(&all, args.names[k], args.vals[k]);
				}
				for (unsigned k = 0; k < env.n; k++) {
					var_set(&all, env.names[k], env.vals[k]);
				}
				user = in;
				const char *raw = unquote(a, in->args[0].s, strlen(in->args[0].s));
				expanded = kc_dockerfile_expand(raw, all.names, all.vals, all.n, a);
				unresolved = expanded == NULL;
			}
		}
	}
	out->instr = user;
	out->from = root->from;
	out->base = root->image_resolved != NULL ? root->image_resolved : root->image.s;
	out->source = NULL;
	out->why = NULL;
	if (user == NULL) {
		if (root->image_resolved == NULL) {
			unknown(out, kc_arena_printf(a, "the base image '%s' uses a build "
				"argument without a default", root->image.s));
			return true;
		}
		struct kc_image_user base;
		if (!kc_image_base_user(root->image_resolved, a, &base)) {
			unknown(out, kc_arena_printf(a, "no USER, and the base image '%s' is "
				"not in k8scheck's table of base images", root->image_resolved));
			return true;
		}
		base.instr = NULL;
		base.from = root->from;
		*out = base;
		return true;
	}
	if (unresolved) {
		unknown(out, kc_arena_printf(a, "'USER %s' uses a build argument without "
			"a default", user->args[0].s));
		return true;
	}
	out->user = expanded;
	out->verdict = kc_image_verdict_of(expanded);
	size_t n = strcspn(expanded, ":");
	const char *name = kc_arena_strndup(a, expanded, n);
	if (out->verdict != KC_IMAGE_NON_NUMERIC) {
		out->uid = n == 0 ? 0 : strtoll(name, NULL, 10);
		return true;
	}
	long long uid = uid_from_runs(df, chain, len, name, a);
	if (uid < 0 && root->image_resolved != NULL) {
		uid = kc_image_base_uid(root->image_resolved, name, a);
	}
	out->uid = uid;
	return true;
}
