/*
 * The RUN rules that read the shell commands: dockerfile-cd (DL3003),
 * dockerfile-sudo (DL3004), dockerfile-pipefail (DL4006),
 * dockerfile-wget-and-curl (DL4001), dockerfile-curl-pipe-shell. One file
 * because they share the walk over each RUN's commands.
 */
#include <string.h>

#include "dockerfile_internal.h"

static bool uses(const struct df_shell *sh, const char *name)
{
	for (unsigned c = 0; sh != NULL && c < sh->count; c++) {
		if (strcmp(df_cmd_name(&sh->cmds[c]), name) == 0) {
			return true;
		}
	}
	return false;
}

/* A path that needs no quoting in a Dockerfile or a shell. */
static bool plain_path(const char *s)
{
	if (*s != '/') {
		return false;
	}
	for (; *s; s++) {
		char c = *s;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			strchr("/._-+@", c) != NULL)) {
			return false;
		}
	}
	return true;
}

/* Does anything after instruction k of its stage depend on the working
 * directory before an absolute WORKDIR resets it? */
static bool later_depends_on_cwd(const struct kc_dockerfile *df, unsigned k)
{
	const struct kc_df_instr *in = &df->instrs[k];
	const struct kc_df_stage *st = &df->stages[in->stage];
	if (st->is_base) {
		return true;
	}
	for (unsigned i = k + 1; i < st->first + st->count; i++) {
		const struct kc_df_instr *x = &df->instrs[i];
		switch (x->cmd) {
		case KC_DF_WORKDIR:
			return x->args[0].s[0] != '/';
		case KC_DF_RUN: case KC_DF_COPY: case KC_DF_ADD: case KC_DF_CMD:
		case KC_DF_ENTRYPOINT: case KC_DF_HEALTHCHECK: case KC_DF_ONBUILD:
		case KC_DF_VOLUME:
			return true;
		default:
			break;
		}
	}
	return false;
}

void kc_rules_dockerfile_cd(const struct kc_dockerfile *df, struct kc_check *ck)
{
	unsigned i = 0;
	const struct kc_df_instr *in;
	while ((in = df_next_run(df, &i)) != NULL) {
		const struct df_shell *sh = df_run_shell(ck, in);
		if (!uses(sh, "cd")) {
			continue;
		}
		struct kc_finding *f = df_report(ck, in, NULL, "'cd' in RUN only lasts "
			"for this RUN: use WORKDIR to switch to a directory");
		const struct df_cmd *c0 = &sh->cmds[0];
		if (in != &df->instrs[i - 1] || in->heredoc_count > 0 || c0->start != 0 ||
			c0->argc != 2 ||
			strcmp(c0->argv[0], "cd") != 0 || !plain_path(c0->argv[1])) {
			continue;
		}
		if (sh->count == 1) {
			df_note(ck, f, "this RUN changes nothing; 'WORKDIR %s' would make the "
				"later instructions run there, which is probably what was meant "
				"(not applied automatically: it changes the build)", c0->argv[1]);
			continue;
		}
		if (sh->cmds[1].sep != '&' || later_depends_on_cwd(df, i - 1)) {
			df_note(ck, f, "move the 'cd' into 'WORKDIR %s' before this RUN "
				"(not applied automatically: later instructions would then run "
				"in that directory too)", c0->argv[1]);
			continue;
		}
		/* RUN cd DIR && rest  ->  WORKDIR DIR \n RUN [flags] rest */
		size_t rest = sh->cmds[1].start;
		size_t src = in->rest_map[rest];
		char *flags = kc_arena_strdup(df_arena(ck), "");
		for (unsigned k = 0; k < in->flag_count; k++) {
			flags = kc_arena_printf(df_arena(ck), "%s%s ", flags, in->flags[k].text.s);
		}
		df_edit(ck, f, in->off, src, kc_arena_printf(df_arena(ck), "WORKDIR %s\n%s %s",
			c0->argv[1], in->keyword.s, flags));
	}
}

void kc_rules_dockerfile_sudo(const struct kc_dockerfile *df, struct kc_check *ck)
{
	unsigned i = 0;
	const struct kc_df_instr *in;
	while ((in = df_next_run(df, &i)) != NULL) {
		if (uses(df_run_shell(ck, in), "sudo")) {
			df_report(ck, in, NULL, "'sudo' in RUN: it behaves unpredictably "
				"without a terminal; switch with USER instead");
		}
	}
}

/* Is a SHELL instruction's shell a POSIX one with -o pipefail? *posix
 * false for shells that have no pipefail (pwsh, cmd). */
static bool shell_pipefail(const struct kc_df_instr *sh, bool *posix)
{
	*posix = true;
	if (sh->arg_count == 0) {
		return false;
	}
	const char *name = strrchr(sh->args[0].s, '/');
	name = name != NULL ? name + 1 : sh->args[0].s;
	static const char *const posix_shells[] = { "sh", "bash", "ash", "dash", "zsh",
		"ksh", "mksh" };
	bool known = false;
	for (size_t k = 0; k < sizeof(posix_shells) / sizeof(posix_shells[0]); k++) {
		known = known || strcmp(name, posix_shells[k]) == 0;
	}
	if (!known) {
		*posix = false;
		return false;
	}
	for (unsigned k = 0; k + 1 < sh->arg_count; k++) {
		const char *a = sh->args[k].s;
		if (a[0] == '-' && a[1] != '-' && strchr(a, 'o') != NULL &&
			strcmp(sh->args[k + 1].s, "pipefail") == 0) {
			return true;
		}
	}
	return false;
}

void kc_rules_dockerfile_pipefail(const struct kc_dockerfile *df, struct kc_check *ck)
{
	for (unsigned s = 0; s < df->stage_count; s++) {
		const struct kc_df_stage *st = &df->stages[s];
		bool ok = false, posix = true;
		for (unsigned i = st->first; i < st->first + st->count; i++) {
			const struct kc_df_instr *in = &df->instrs[i];
			if (in->cmd == KC_DF_SHELL) {
				ok = shell_pipefail(in, &posix);
				continue;
			}
			if (in->cmd != KC_DF_RUN || ok || !posix) {
				continue;
			}
			const struct df_shell *sh = df_run_shell(ck, in);
			bool pipe = false, set = false;
			for (unsigned c = 0; sh != NULL && c < sh->count; c++) {
				const struct df_cmd *cmd = &sh->cmds[c];
				pipe = pipe || cmd->piped;
				if (strcmp(df_cmd_name(cmd), "set") == 0 && !pipe) {
					for (unsigned k = 1; k + 1 < cmd->argc; k++) {
						set = set || (cmd->argv[k][0] == '-' &&
							strchr(cmd->argv[k], 'o') != NULL &&
							strcmp(cmd->argv[k + 1], "pipefail") == 0);
					}
				}
			}
			if (pipe && !set) {
				df_report(ck, in, NULL, "RUN with a pipe and no 'pipefail': a "
					"failure before the last '|' does not fail the build; set "
					"SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"] first");
			}
		}
	}
}

void kc_rules_dockerfile_wget_and_curl(const struct kc_dockerfile *df, struct kc_check *ck)
{
	for (unsigned s = 0; s < df->stage_count; s++) {
		const struct kc_df_stage *st = &df->stages[s];
		const struct kc_df_instr *first_wget = NULL, *first_curl = NULL;
		for (unsigned i = st->first; i < st->first + st->count; i++) {
			const struct kc_df_instr *in = &df->instrs[i];
			if (in->cmd != KC_DF_RUN) {
				continue;
			}
			const struct df_shell *sh = df_run_shell(ck, in);
			bool w = uses(sh, "wget"), c = uses(sh, "curl");
			const struct kc_df_instr *other = NULL;
			if (w && first_wget == NULL) {
				first_wget = in;
				other = first_curl != NULL ? first_curl : c ? in : NULL;
			}
			if (c && first_curl == NULL) {
				first_curl = in;
				other = first_wget != NULL ? first_wget : NULL;
			}
			if (other != NULL) {
				df_report(ck, in, NULL, "this stage uses both wget and curl (the "
					"other at line %u): install and use one of them", other->pos.line);
				break;
			}
		}
	}
}

static bool is_shell(const char *n)
{
	static const char *const shells[] = { "sh", "bash", "ash", "dash", "zsh", "ksh",
		"mksh", "fish" };
	for (size_t k = 0; k < sizeof(shells) / sizeof(shells[0]); k++) {
		if (strcmp(n, shells[k]) == 0) {
			return true;
		}
	}
	return false;
}

/* The command a pipeline stage runs, past `sudo [-E]` / `env`. */
static const char *run_name(const struct df_cmd *c)
{
	unsigned k = 0;
	while (k < c->argc && (strcmp(c->argv[k], "sudo") == 0 || strcmp(c->argv[k], "env") == 0 ||
		(k > 0 && c->argv[k][0] == '-'))) {
		k++;
	}
	if (k >= c->argc) {
		return "";
	}
	const char *n = strrchr(c->argv[k], '/');
	return n != NULL ? n + 1 : c->argv[k];
}

void kc_rules_dockerfile_curl_pipe_shell(const struct kc_dockerfile *df,
	struct kc_check *ck)
{
	unsigned i = 0;
	const struct kc_df_instr *in;
	while ((in = df_next_run(df, &i)) != NULL) {
		const struct df_shell *sh = df_run_shell(ck, in);
		const char *how = NULL;
		for (unsigned c = 0; sh != NULL && c < sh->count && how == NULL; c++) {
			const struct df_cmd *cmd = &sh->cmds[c];
			const char *n = run_name(cmd);
			bool fetch = strcmp(n, "curl") == 0 || strcmp(n, "wget") == 0;
			if (fetch && cmd->piped) {
				for (unsigned d = c + 1; d < sh->count &&
					sh->cmds[d].pipeline == cmd->pipeline; d++) {
					if (is_shell(run_name(&sh->cmds[d]))) {
						how = run_name(&sh->cmds[d]);
					}
				}
			}
			/* sh -c "$(curl ...)" and bash <(curl ...) */
			if (is_shell(n)) {
				for (unsigned k = 1; k < cmd->argc; k++) {
					const char *w = cmd->argv[k];
					if (strstr(w, "$(curl") != NULL || strstr(w, "$(wget") != NULL ||
						strstr(w, "`curl") != NULL || strstr(w, "`wget") != NULL) {
						how = n;
					}
				}
			}
		}
		if (how != NULL) {
			df_report(ck, in, NULL, "RUN downloads a script and runs it with '%s' "
				"unchecked: download it, verify its checksum, then run it", how);
		}
	}
}
