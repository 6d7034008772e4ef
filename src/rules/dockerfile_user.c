/*
 * dockerfile-user-root (DL3002), dockerfile-user-missing and
 * dockerfile-user-name: one file because all three walk the same thing,
 * the USER a stage ends with, inherited through `FROM <stage>`.
 */
#include <stdlib.h>
#include <string.h>

#include "dockerfile_internal.h"

/* The last USER of stage s, or NULL. */
static const struct kc_df_instr *last_user(const struct kc_dockerfile *df, unsigned s)
{
	const struct kc_df_stage *st = &df->stages[s];
	const struct kc_df_instr *u = NULL;
	for (unsigned i = st->first; i < st->first + st->count; i++) {
		if (df->instrs[i].cmd == KC_DF_USER) {
			u = &df->instrs[i];
		}
	}
	return u;
}

/* The USER in effect at the end of stage s, following FROM <stage>; the
 * stage whose base is an image (not a stage) in *root. */
static const struct kc_df_instr *effective_user(const struct kc_dockerfile *df,
	unsigned s, unsigned *root)
{
	for (unsigned hops = 0; hops <= df->stage_count; hops++) {
		const struct kc_df_instr *u = last_user(df, s);
		*root = s;
		if (u != NULL) {
			return u;
		}
		int b = df->stages[s].base_stage;
		if (b < 0 || (unsigned)b >= s) {
			return NULL;
		}
		s = (unsigned)b;
	}
	return NULL;
}

/* The user part of `USER user[:group]`, in a. */
static char *user_part(struct kc_arena *a, const struct kc_df_instr *u)
{
	const char *s = u->args[0].s;
	const char *colon = strchr(s, ':');
	return kc_arena_strndup(a, s, colon != NULL ? (size_t)(colon - s) : strlen(s));
}

static bool is_root(const char *user)
{
	return strcmp(user, "root") == 0 || strcmp(user, "0") == 0;
}

static bool numeric(const char *s)
{
	if (*s == '\0') {
		return false;
	}
	for (; *s; s++) {
		if (*s < '0' || *s > '9') {
			return false;
		}
	}
	return true;
}

void kc_rules_dockerfile_user_root(const struct kc_dockerfile *df, struct kc_check *ck)
{
	/* hadolint reports every stage whose last USER is root. */
	for (unsigned s = 0; s < df->stage_count; s++) {
		const struct kc_df_instr *u = last_user(df, s);
		if (u == NULL || !is_root(user_part(df_arena(ck), u))) {
			continue;
		}
		struct kc_finding *f = df_report(ck, u, &u->args[0],
			"the last USER of stage '%s' is root ('%s'): containers of this "
			"stage run as root", df->stages[s].label, u->args[0].s);
		if (s + 1 < df->stage_count) {
			df_note(ck, f, "hadolint reports every stage; a build-only stage that "
				"needs root can keep it with '# hadolint ignore=DL3002'");
		}
	}
}

/* Base images documented to run as a non-root user by default. A small
 * table of prefixes and tags; the image's own Dockerfile is the source:
 * distroless ":nonroot" (uid 65532), Chainguard images (65532),
 * nginxinc/nginx-unprivileged (101), Bitnami images (1001). */
static bool known_non_root(const char *image)
{
	if (image == NULL) {
		return false;
	}
	const char *slash = strrchr(image, '/');
	const char *colon = strrchr(image, ':');
	if (colon != NULL && (slash == NULL || colon > slash)) {
		const char *tag = colon + 1;
		size_t tl = strcspn(tag, "@");
		if (tl >= 7 && strncmp(tag + tl - 7, "nonroot", 7) == 0) {
			return true;
		}
	}
	static const char *const prefixes[] = {
		"cgr.dev/chainguard/",
		"nginxinc/nginx-unprivileged",
		"docker.io/nginxinc/nginx-unprivileged",
		"bitnami/",
		"docker.io/bitnami/",
	};
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		if (strncmp(image, prefixes[i], strlen(prefixes[i])) == 0) {
			return true;
		}
	}
	return false;
}

void kc_rules_dockerfile_user_missing(const struct kc_dockerfile *df, struct kc_check *ck)
{
	unsigned last = df->stage_count - 1, root;
	if (effective_user(df, last, &root) != NULL) {
		return;
	}
	const struct kc_df_stage *base = &df->stages[root];
	if (known_non_root(base->image_resolved)) {
		return;
	}
	const struct kc_df_stage *st = &df->stages[last];
	struct kc_finding *f = df_report(ck, st->from, &st->image,
		"the final stage never sets USER and its base image '%s' is not known to "
		"run as a non-root user: the container runs as root",
		base->image_resolved != NULL ? base->image_resolved : base->image.s);
	df_note(ck, f, "add a user and switch to it by UID, e.g. "
		"'RUN useradd -u 10001 app' then 'USER 10001'");
}

/* UIDs given to users in the RUNs of stages up to s: `useradd -u N name`,
 * `adduser -u N name`, `--uid N` / `--uid=N`. */
static const char *uid_of(const struct kc_dockerfile *df, struct kc_check *ck,
	unsigned upto, const char *name)
{
	const char *found = NULL;
	unsigned i = 0;
	const struct kc_df_instr *in;
	unsigned end = df->stages[upto].first + df->stages[upto].count;
	while ((in = df_next_run(df, &i)) != NULL && i <= end) {
		const struct df_shell *sh = df_run_shell(ck, in);
		for (unsigned c = 0; sh != NULL && c < sh->count; c++) {
			const struct df_cmd *cmd = &sh->cmds[c];
			const char *n = df_cmd_name(cmd);
			if (strcmp(n, "useradd") != 0 && strcmp(n, "adduser") != 0) {
				continue;
			}
			const char *uid = NULL, *user = NULL;
			for (unsigned k = 1; k < cmd->argc; k++) {
				const char *w = cmd->argv[k];
				if ((strcmp(w, "-u") == 0 || strcmp(w, "--uid") == 0) && k + 1 < cmd->argc) {
					uid = cmd->argv[++k];
				} else if (strncmp(w, "--uid=", 6) == 0) {
					uid = w + 6;
				} else if (strncmp(w, "-u", 2) == 0 && numeric(w + 2)) {
					uid = w + 2;
				} else if (w[0] == '-') {
					/* Options with a value: skip it so it is not the name. */
					static const char *const valued[] = { "-g", "-G", "-d", "-s",
						"-c", "-h", "-k", "-K", "-e", "-f", "-p", "-Z",
						"--gid", "--groups", "--home", "--home-dir", "--shell",
						"--comment", "--gecos", "--ingroup", "--group", "-b",
						"--base-dir", "--skel", "--key", "--password" };
					for (size_t v = 0; v < sizeof(valued) / sizeof(valued[0]); v++) {
						if (strcmp(w, valued[v]) == 0 && k + 1 < cmd->argc) {
							k++;
							break;
						}
					}
				} else {
					user = w;
				}
			}
			if (uid != NULL && user != NULL && numeric(uid) && strcmp(user, name) == 0) {
				found = uid;
			}
		}
	}
	return found;
}

void kc_rules_dockerfile_user_name(const struct kc_dockerfile *df, struct kc_check *ck)
{
	unsigned last = df->stage_count - 1, root;
	const struct kc_df_instr *u = effective_user(df, last, &root);
	if (u == NULL) {
		return;
	}
	char *user = user_part(df_arena(ck), u);
	if (numeric(user) || is_root(user) || strchr(user, '$') != NULL) {
		return;
	}
	struct kc_finding *f = df_report(ck, u, &u->args[0],
		"the image runs as user '%s', a name: the kubelet cannot verify "
		"runAsNonRoot against it, so a pod that requires it will not start; "
		"use a numeric UID",
		user);
	const char *uid = uid_of(df, ck, last, user);
	if (uid == NULL) {
		df_note(ck, f, "the UID of '%s' is not given in this Dockerfile "
			"(useradd -u / adduser -u)", user);
		return;
	}
	df_note(ck, f, "'%s' is created with UID %s", user, uid);
	/* Replace only the user part; a ':group' stays as written. */
	const struct kc_df_text *w = &u->args[0];
	if (w->pos.line == w->end.line && w->s[0] != '"' && w->s[0] != '\'') {
		df_edit(ck, f, w->off, w->off + strlen(user), uid);
	}
}
