/*
 * Rules that look at one instruction at a time, its words only:
 * dockerfile-add (DL3020), dockerfile-exec-form (DL3025),
 * dockerfile-maintainer (DL4000), dockerfile-workdir-absolute (DL3000),
 * dockerfile-ssh-port, dockerfile-secret, and the per-stage counts
 * dockerfile-multiple-cmd (DL4003) / dockerfile-multiple-entrypoint (DL4004).
 * Grouped because each is a few lines over the same instruction loop.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dockerfile_internal.h"

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

static bool is_url(const char *s)
{
	return strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0 ||
		strncmp(s, "git@", 4) == 0 || strncmp(s, "ftp://", 6) == 0;
}

/* ADD unpacks local archives; COPY does not (hadolint's list). */
static bool is_archive(const char *s)
{
	static const char *const ext[] = { ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz",
		".tbz2", ".tb2", ".tar.xz", ".txz", ".tar.zst", ".tzst", ".tar.lz",
		".tlz", ".tar.lzma", ".tar.Z", ".taz", ".tz", ".gz", ".bz2", ".xz", ".zst",
		".lz", ".lzma", ".Z", ".zip" };
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		if (ends_with(s, ext[i])) {
			return true;
		}
	}
	return false;
}

/* The unquoted text of argument k (JSON args are decoded already). */
static const char *arg(struct kc_arena *a, const struct kc_df_instr *in, unsigned k)
{
	const char *s = in->args[k].s;
	size_t n = strlen(s);
	if (!in->json && n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0]) {
		return kc_arena_strndup(a, s + 1, n - 2);
	}
	return s;
}

void kc_rules_dockerfile_add(const struct kc_dockerfile *df, struct kc_check *ck)
{
	for (unsigned i = 0; i < df->count; i++) {
		const struct kc_df_instr *in = &df->instrs[i];
		if (in->cmd != KC_DF_ADD) {
			continue;
		}
		bool remote = false;
		/* Sources: every argument but the destination. */
		for (unsigned k = 0; k + 1 < in->arg_count; k++) {
			const char *s = arg(df_arena(ck), in, k);
			if (is_url(s) || is_archive(s)) {
				remote = true;
			}
		}
		if (remote) {
			continue;
		}
		struct kc_finding *f = df_report(ck, in, NULL, "ADD copies local files here: "
			"use COPY (ADD also fetches URLs and unpacks archives, which is easy to "
			"trigger by accident)");
		/* Flags only ADD has make COPY a different instruction. */
		for (unsigned k = 0; k < in->flag_count; k++) {
			const char *n = in->flags[k].name;
			if (strcmp(n, "checksum") == 0 || strcmp(n, "keep-git-dir") == 0 ||
				strcmp(n, "unpack") == 0) {
				return;
			}
		}
		bool lower = in->keyword.s[0] >= 'a' && in->keyword.s[0] <= 'z';
		df_edit(ck, f, in->keyword.off, in->keyword.end_off, lower ? "copy" : "COPY");
	}
}

/* Words that mean the same in exec form: no quotes, variables, globs,
 * redirections or operators. */
static bool plain_words(const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (!(isalnum(c) || c == ' ' || c == '\t' || strchr("_./:=,@%+-", c) != NULL)) {
			return false;
		}
	}
	return true;
}

static void exec_form(const struct kc_dockerfile *df, struct kc_check *ck,
	enum kc_df_cmd which)
{
	for (unsigned s = 0; s < df->stage_count; s++) {
		const struct kc_df_stage *st = &df->stages[s];
		bool shell = false;
		for (unsigned i = st->first; i < st->first + st->count; i++) {
			const struct kc_df_instr *in = &df->instrs[i];
			shell = shell || in->cmd == KC_DF_SHELL;
			if (in->cmd != which || in->json) {
				continue;
			}
			struct kc_finding *f = df_report(ck, in, NULL, "%s in shell form: the "
				"process runs under '/bin/sh -c' and does not receive SIGTERM; write "
				"it as a JSON array", kc_dockerfile_cmd_name(which));
			if (shell || in->arg_count == 0 || !plain_words(in->rest.s)) {
				df_note(ck, f, "not rewritten automatically: the command uses shell "
					"syntax%s", shell ? " or a SHELL instruction" : "");
				continue;
			}
			char *json = kc_arena_strdup(df_arena(ck), "[");
			for (unsigned k = 0; k < in->arg_count; k++) {
				json = kc_arena_printf(df_arena(ck), "%s%s\"%s\"", json, k ? ", " : "",
					in->args[k].s);
			}
			json = kc_arena_printf(df_arena(ck), "%s]", json);
			df_edit(ck, f, in->rest.off, in->rest.end_off, json);
		}
	}
}

void kc_rules_dockerfile_exec_form(const struct kc_dockerfile *df, struct kc_check *ck)
{
	exec_form(df, ck, KC_DF_CMD);
	exec_form(df, ck, KC_DF_ENTRYPOINT);
}

void kc_rules_dockerfile_maintainer(const struct kc_dockerfile *df, struct kc_check *ck)
{
	for (unsigned i = 0; i < df->count; i++) {
		const struct kc_df_instr *in = &df->instrs[i];
		if (in->cmd == KC_DF_MAINTAINER) {
			df_report(ck, in, NULL, "MAINTAINER is deprecated: use "
				"'LABEL org.opencontainers.image.authors=...'");
		}
	}
}

void kc_rules_dockerfile_workdir_absolute(const struct kc_dockerfile *df,
	struct kc_check *ck)
{
	for (unsigned i = 0; i < df->count; i++) {
		const struct kc_df_instr *in = &df->instrs[i];
		if (in->cmd != KC_DF_WORKDIR) {
			continue;
		}
		const char *p = in->args[0].s;
		if (p[0] == '"' || p[0] == '\'') {
			p++;
		}
		/* Absolute, a variable (unknown here), or a Windows drive. */
		bool drive = isalpha((unsigned char)p[0]) && p[1] == ':' &&
			(p[2] == '\\' || p[2] == '/');
		if (p[0] == '/' || p[0] == '$' || drive) {
			continue;
		}
		df_report(ck, in, &in->args[0], "WORKDIR '%s' is relative: it depends on "
			"the WORKDIR before it (maybe the base image's); use an absolute path",
			in->args[0].s);
	}
}

void kc_rules_dockerfile_ssh_port(const struct kc_dockerfile *df, struct kc_check *ck)
{
	for (unsigned i = 0; i < df->count; i++) {
		const struct kc_df_instr *in = &df->instrs[i];
		if (in->cmd != KC_DF_EXPOSE) {
			continue;
		}
		for (unsigned k = 0; k < in->arg_count; k++) {
			const char *w = in->args[k].s;
			char *end;
			long lo = strtol(w, &end, 10), hi = lo;
			if (end == w) {
				continue;
			}
			if (*end == '-') {
				const char *h = end + 1;
				hi = strtol(h, &end, 10);
				if (end == h) {
					continue;
				}
			}
			if (*end != '\0' && strcasecmp(end, "/tcp") != 0) {
				continue;
			}
			if (lo <= 22 && 22 <= hi) {
				df_report(ck, in, &in->args[k], "EXPOSE %s exposes SSH (port 22): "
					"containers should not run an SSH server; use 'kubectl exec'", w);
			}
		}
	}
}

/* Names of variables that hold credentials (case-insensitive parts). */
static bool secret_name(const char *name, size_t n)
{
	static const char *const parts[] = { "PASSWORD", "PASSWD", "SECRET", "TOKEN",
		"API_KEY", "APIKEY", "ACCESS_KEY", "PRIVATE_KEY", "CREDENTIAL", "AUTH_KEY" };
	static const char *const not_secret[] = { "_FILE", "_PATH", "_DIR", "_URL",
		"_NAME", "_ID" };
	char up[256];
	if (n == 0 || n >= sizeof(up)) {
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		up[i] = (char)toupper((unsigned char)name[i]);
	}
	up[n] = '\0';
	for (size_t i = 0; i < sizeof(not_secret) / sizeof(not_secret[0]); i++) {
		if (ends_with(up, not_secret[i])) {
			return false;
		}
	}
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		if (strstr(up, parts[i]) != NULL) {
			return true;
		}
	}
	return false;
}

/* A literal value: not empty and not only a variable reference. */
static bool literal(const char *v)
{
	size_t n = strlen(v);
	if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
		v++;
		n -= 2;
	}
	if (n == 0) {
		return false;
	}
	if (v[0] != '$') {
		return true;
	}
	/* $VAR or ${VAR} alone */
	size_t i = 1;
	bool brace = v[1] == '{';
	i += brace;
	while (i < n && (isalnum((unsigned char)v[i]) || v[i] == '_')) {
		i++;
	}
	if (brace) {
		if (i < n && v[i] == '}') {
			i++;
		} else {
			return true;
		}
	}
	return i < n;
}

void kc_rules_dockerfile_secret(const struct kc_dockerfile *df, struct kc_check *ck)
{
	for (unsigned i = 0; i < df->count; i++) {
		const struct kc_df_instr *in = &df->instrs[i];
		if (in->cmd != KC_DF_ENV && in->cmd != KC_DF_ARG) {
			continue;
		}
		const char *what = in->cmd == KC_DF_ENV ? "ENV" : "ARG";
		if (in->cmd == KC_DF_ENV && strchr(in->args[0].s, '=') == NULL) {
			/* Legacy `ENV NAME value with spaces`. */
			const char *name = in->args[0].s;
			if (secret_name(name, strlen(name)) && in->arg_count > 1) {
				df_report(ck, in, &in->args[0], "ENV '%s' bakes a credential into "
					"the image: anyone who can pull the image can read it", name);
			}
			continue;
		}
		for (unsigned k = 0; k < in->arg_count; k++) {
			const char *w = in->args[k].s;
			const char *eq = strchr(w, '=');
			if (eq == NULL || !secret_name(w, (size_t)(eq - w)) || !literal(eq + 1)) {
				continue;
			}
			/* The value is never printed: only the name. */
			df_report(ck, in, &in->args[k], "%s '%.*s' bakes a credential into the "
				"image%s: anyone who can pull the image can read it", what,
				(int)(eq - w), w, in->cmd == KC_DF_ARG ? " history" : "");
		}
	}
}

static void multiple(const struct kc_dockerfile *df, struct kc_check *ck,
	enum kc_df_cmd which)
{
	for (unsigned s = 0; s < df->stage_count; s++) {
		const struct kc_df_stage *st = &df->stages[s];
		const struct kc_df_instr *first = NULL;
		for (unsigned i = st->first; i < st->first + st->count; i++) {
			const struct kc_df_instr *in = &df->instrs[i];
			if (in->cmd != which) {
				continue;
			}
			if (first == NULL) {
				first = in;
				continue;
			}
			df_report(ck, in, NULL, "another %s in this stage (the first at line "
				"%u): only the last one takes effect", kc_dockerfile_cmd_name(which),
				first->pos.line);
		}
	}
}

void kc_rules_dockerfile_multiple_cmd(const struct kc_dockerfile *df, struct kc_check *ck)
{
	multiple(df, ck, KC_DF_CMD);
}

void kc_rules_dockerfile_multiple_entrypoint(const struct kc_dockerfile *df,
	struct kc_check *ck)
{
	multiple(df, ck, KC_DF_ENTRYPOINT);
}
