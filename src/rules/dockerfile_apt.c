/*
 * dockerfile-apt-yes (DL3014), dockerfile-apt-recommends (DL3015),
 * dockerfile-apt-pin (DL3008) and dockerfile-apt-lists (DL3009): one file
 * because all four look at the apt-get commands of each RUN.
 */
#include <string.h>

#include "dockerfile_internal.h"

/* The first `apt-get install` of a RUN, or NULL. */
static const struct df_cmd *each_install(const struct df_shell *sh, unsigned *c)
{
	while (sh != NULL && *c < sh->count) {
		const struct df_cmd *cmd = &sh->cmds[(*c)++];
		if (df_apt_install(cmd)) {
			return cmd;
		}
	}
	return NULL;
}

static bool has_word(const struct df_cmd *c, const char *w)
{
	for (unsigned i = 1; i < c->argc; i++) {
		if (strcmp(c->argv[i], w) == 0) {
			return true;
		}
	}
	return false;
}

/* `-o APT::Install-Recommends=false` (or -oAPT::..., --option). */
static bool option_set(const struct df_cmd *c, const char *opt)
{
	for (unsigned i = 1; i < c->argc; i++) {
		const char *w = c->argv[i];
		const char *v = NULL;
		if ((strcmp(w, "-o") == 0 || strcmp(w, "--option") == 0) && i + 1 < c->argc) {
			v = c->argv[i + 1];
		} else if (strncmp(w, "-o", 2) == 0 && w[2] != '\0') {
			v = w + 2;
		} else if (strncmp(w, "--option=", 9) == 0) {
			v = w + 9;
		}
		if (v != NULL && strcmp(v, opt) == 0) {
			return true;
		}
	}
	return false;
}

void kc_rules_dockerfile_apt_yes(const struct kc_dockerfile *df, struct kc_check *ck)
{
	unsigned i = 0;
	const struct kc_df_instr *in;
	while ((in = df_next_run(df, &i)) != NULL) {
		unsigned c = 0;
		const struct df_cmd *cmd;
		const struct df_shell *sh = df_run_shell(ck, in);
		while ((cmd = each_install(sh, &c)) != NULL) {
			/* -y, --yes, --assume-yes; -qq and -q=2 imply yes. */
			if (df_cmd_flag(cmd, 'y', "yes") || df_cmd_flag(cmd, 0, "assume-yes") ||
				has_word(cmd, "-qq") || has_word(cmd, "-q=2") ||
				has_word(cmd, "--quiet=2")) {
				continue;
			}
			df_report(ck, in, NULL, "'apt-get install' without '-y': the build "
				"stops at the confirmation prompt");
			break;
		}
	}
}

void kc_rules_dockerfile_apt_recommends(const struct kc_dockerfile *df,
	struct kc_check *ck)
{
	unsigned i = 0;
	const struct kc_df_instr *in;
	while ((in = df_next_run(df, &i)) != NULL) {
		unsigned c = 0;
		const struct df_cmd *cmd;
		const struct df_shell *sh = df_run_shell(ck, in);
		while ((cmd = each_install(sh, &c)) != NULL) {
			if (has_word(cmd, "--no-install-recommends") ||
				option_set(cmd, "APT::Install-Recommends=false") ||
				option_set(cmd, "APT::Install-Recommends=0")) {
				continue;
			}
			df_report(ck, in, NULL, "'apt-get install' without "
				"'--no-install-recommends': recommended packages make the image "
				"bigger and add attack surface");
			break;
		}
	}
}

void kc_rules_dockerfile_apt_pin(const struct kc_dockerfile *df, struct kc_check *ck)
{
	unsigned i = 0;
	const struct kc_df_instr *in;
	while ((in = df_next_run(df, &i)) != NULL) {
		unsigned c = 0;
		const struct df_cmd *cmd;
		const struct df_shell *sh = df_run_shell(ck, in);
		while ((cmd = each_install(sh, &c)) != NULL) {
			bool after = false;
			for (unsigned k = 1; k < cmd->argc; k++) {
				const char *w = cmd->argv[k];
				if (!after) {
					after = strcmp(w, "install") == 0;
					continue;
				}
				if (w[0] == '-') {
					/* Options with a separate value. */
					if ((strcmp(w, "-o") == 0 || strcmp(w, "-t") == 0 ||
						strcmp(w, "--target-release") == 0 ||
						strcmp(w, "--option") == 0) && k + 1 < cmd->argc) {
						k++;
					}
					continue;
				}
				size_t n = strlen(w);
				/* Pinned (pkg=1.2), a release (pkg/bookworm), a local .deb. */
				if (strchr(w, '=') != NULL || strchr(w, '/') != NULL ||
					strchr(w, '$') != NULL ||
					(n > 4 && strcmp(w + n - 4, ".deb") == 0)) {
					continue;
				}
				df_report(ck, in, NULL, "package '%s' is not pinned: "
					"'apt-get install %s=<version>' makes the build repeatable", w, w);
			}
		}
	}
}

/* Does the RUN mount a cache over dir (a prefix of the target)? */
static bool cache_mount(const struct kc_df_instr *in, const char *dir)
{
	for (unsigned f = 0; f < in->flag_count; f++) {
		const char *v = in->flags[f].value;
		if (strcmp(in->flags[f].name, "mount") != 0 || v == NULL ||
			strstr(v, "type=cache") == NULL) {
			continue;
		}
		const char *t = strstr(v, "target=");
		if (t == NULL) {
			t = strstr(v, "dst=");
		}
		if (t == NULL) {
			t = strstr(v, "destination=");
		}
		if (t != NULL && strncmp(strchr(t, '=') + 1, dir, strlen(dir)) == 0) {
			return true;
		}
	}
	return false;
}

void kc_rules_dockerfile_apt_lists(const struct kc_dockerfile *df, struct kc_check *ck)
{
	unsigned i = 0;
	const struct kc_df_instr *in;
	while ((in = df_next_run(df, &i)) != NULL) {
		const struct df_shell *sh = df_run_shell(ck, in);
		bool update = false, clean = false;
		for (unsigned c = 0; sh != NULL && c < sh->count; c++) {
			const struct df_cmd *cmd = &sh->cmds[c];
			const char *n = df_cmd_name(cmd);
			if (strcmp(n, "apt-get") == 0 && has_word(cmd, "update")) {
				update = true;
			}
			/* apt >= 2.7: dist-clean removes the lists too. */
			if ((strcmp(n, "apt-get") == 0 || strcmp(n, "apt") == 0) &&
				has_word(cmd, "dist-clean")) {
				clean = true;
			}
			if (strcmp(n, "rm") == 0 && (df_cmd_flag(cmd, 'r', "recursive") ||
				df_cmd_flag(cmd, 'R', NULL)) && df_cmd_flag(cmd, 'f', "force")) {
				for (unsigned k = 1; k < cmd->argc; k++) {
					if (strncmp(cmd->argv[k], "/var/lib/apt/lists", 18) == 0) {
						clean = true;
					}
				}
			}
		}
		if (!update || clean || cache_mount(in, "/var/lib/apt/lists") ||
			(cache_mount(in, "/var/lib/apt") && cache_mount(in, "/var/cache/apt"))) {
			continue;
		}
		/* hadolint: only where the lists end up in an image that is used,
		 * the final stage or a stage another one is built FROM. */
		unsigned s = in->stage < 0 ? 0 : (unsigned)in->stage;
		if (s + 1 != df->stage_count && !df->stages[s].is_base) {
			continue;
		}
		df_report(ck, in, NULL, "'apt-get update' without removing "
			"/var/lib/apt/lists afterwards: the package lists stay in the layer");
	}
}
