#ifndef K8SCHECK_RULES_DOCKERFILE_INTERNAL_H
#define K8SCHECK_RULES_DOCKERFILE_INTERNAL_H

/*
 * Shared by the Dockerfile rules (src/rules/dockerfile_*.c): how a rule
 * reports, and a small shell splitter for RUN commands. Not a public
 * header: only the rules and their runner include it.
 */

#include <stdbool.h>

#include "k8scheck/dockerfile.h"
#include "k8scheck/policy.h"
#include "k8scheck/rule.h"

/* ---- reporting ---- */

/** Report a finding at at (NULL: the instruction's keyword) of in. */
struct kc_finding *df_report(struct kc_check *ck, const struct kc_df_instr *in,
	const struct kc_df_text *at, const char *fmt, ...) KC_PRINTF(4, 5);

/** Add an edit to f's fix: replace file bytes [off, end_off) with text. */
void df_edit(struct kc_check *ck, struct kc_finding *f, size_t off, size_t end_off,
	const char *text);

/** A note for people on f (printf-formatted). */
void df_note(struct kc_check *ck, struct kc_finding *f, const char *fmt, ...)
	KC_PRINTF(3, 4);

/** The arena findings and scratch data live in. */
struct kc_arena *df_arena(struct kc_check *ck);

/* ---- shell ---- */

/** One simple command of a shell script. */
struct df_cmd {
	const char **argv;       /* unquoted words; leading VAR=x assignments skipped */
	unsigned argc;
	size_t start;            /* index in the script of its first word */
	char sep;                /* what comes before: 0, '&' (&&), 'o' (||), ';', '|' */
	bool piped;              /* its output goes into a pipe */
	unsigned pipeline;       /* commands joined by '|' share this number */
};

struct df_shell {
	struct df_cmd *cmds;
	unsigned count;
};

/** Split script into simple commands (an approximation of a POSIX shell). */
void df_shell_parse(struct kc_arena *a, const char *script, struct df_shell *out);

/**
 * The shell script a RUN runs (NULL for the exec form): its text, plus the
 * bodies of its here-documents when the command reads them as a script.
 * The split is cached per instruction for the duration of the check.
 */
const struct df_shell *df_run_shell(struct kc_check *ck, const struct kc_df_instr *in);

/** The command's name (argv[0] without a directory), or "". */
const char *df_cmd_name(const struct df_cmd *c);

/** True if c has the option: -x (also inside -abx) or --long (or --long=...). */
bool df_cmd_flag(const struct df_cmd *c, char shortopt, const char *longopt);

/** True if c is `apt-get install` (or `apt-get ... install`). */
bool df_apt_install(const struct df_cmd *c);

/** Every RUN of the file, ONBUILD triggers included, in order; NULL at the end. */
const struct kc_df_instr *df_next_run(const struct kc_dockerfile *df, unsigned *i);

/* The rules' prototypes are generated from the catalog (k8scheck/rule_list.h,
 * through policy.h -> rule.h): each entry names its check with `function:`
 * because the rules that share a walk share a file. */

#endif
