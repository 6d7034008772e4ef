#ifndef K8SCHECK_CLI_INTERNAL_H
#define K8SCHECK_CLI_INTERNAL_H

/*
 * The command line's parts (private to src/cli): options.c turns argv into
 * a plain struct kc_cli_options, validated for the command; walk.c turns
 * the operands into the list of files to read; check.c and fix.c run the
 * two commands through the pipeline library (k8scheck/check.h); cli.c
 * holds the sorted command table.
 */

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "k8scheck/atomic.h"
#include "k8scheck/check.h"
#include "k8scheck/cli.h"
#include "k8scheck/pss.h"

#include "pool.h"

enum kc_cli_cmd {
	KC_CMD_CHECK,
	KC_CMD_EXPLAIN,
	KC_CMD_FIX,
	KC_CMD_RULES,
	KC_CMD_VERSION,
	KC_CMD__COUNT,
};

enum kc_color_when { KC_COLOR_AUTO, KC_COLOR_ALWAYS, KC_COLOR_NEVER };

#define KC_CLI_MAX_FORMATS 8

/** Everything argv says, checked: no field holds an option the command ignores. */
struct kc_cli_options {
	enum kc_cli_cmd cmd;
	const char *formats[KC_CLI_MAX_FORMATS];   /* --format, as given */
	unsigned nformats;
	const char *output;          /* -o */
	const char *stdin_name;      /* --stdin-filename, or "<stdin>" */
	enum kc_color_when color;
	bool quiet;
	unsigned threads;            /* -j */
	bool pss_only;               /* --pss given: pss holds it */
	struct kc_pss_policy pss;
	bool pss_summary;
	enum kc_severity fail_on;
	bool fail_on_given;
	bool fail_if_nothing;        /* default: set when $CI is */
	const char *baseline;
	const char *write_baseline;
	bool show_suppressed;
	bool report_unused;
	bool write;                  /* fix --write */
	bool no_dockerfiles;         /* --no-dockerfiles: walks skip them */
	bool unsafe_fixes;           /* fix --unsafe-fixes */
	bool show_config;            /* --show-config */
	struct kc_limits limits;
	/* Rule choice and configuration (discover_from left NULL). */
	struct kc_check_options check;
	char **args;                 /* the operands: paths, or the rule id */
	int nargs;
};

/**
 * Parse argv (global options may come before the sub-command). Returns -1
 * to go on with o filled (strings borrowed from argv or in arena a), or an
 * exit status when done: --help and --version print to out, a usage error
 * to err.
 */
int kc_cli_parse(struct kc_cli_options *o, int argc, char **argv,
	struct kc_arena *a, FILE *out, FILE *err);

/** Print `k8scheck: error: MESSAGE` and the --help hint; returns KC_EXIT_USAGE. */
int kc_cli_usage_error(FILE *err, const char *fmt, ...) KC_PRINTF(2, 3);

/** The version string (K8SCHECK_TEST_VERSION overrides it in tests). */
const char *kc_cli_version(void);

/** Whether to colour output on f. */
bool kc_cli_want_color(enum kc_color_when when, FILE *f);

/* ---- inputs (walk.c) ------------------------------------------------------ */

struct kc_cli_dir_id {
	dev_t dev;
	ino_t ino;
};

/** The files to read, in report order, with the errors met finding them. */
struct kc_cli_inputs {
	struct kc_arena *arena;      /* the run's */
	const struct kc_check_setup *setup;  /* for the configuration's excludes */
	FILE *in;                    /* standard input, for '-' */
	const char *stdin_name;
	bool no_dockerfiles;         /* directory walks leave Dockerfiles out */
	struct kc_pool_job *jobs;
	size_t njobs;
	size_t jobs_cap;
	struct kc_cli_dir_id *dirs;  /* directories entered: cycles are not followed */
	size_t ndirs;
	size_t dirs_cap;
};

/**
 * Add path: '-' is standard input, a directory is searched recursively
 * (relative to directory descriptors, so depth and path length do not
 * matter) for the names an input kind claims, anything else is read.
 */
void kc_cli_inputs_add(struct kc_cli_inputs *in, const char *path);

/** Report a job's errnum as a located diagnostic and count it. */
void kc_cli_input_error(struct kc_diag *d, struct kc_load_stats *st,
	const char *name, int errnum);

/** "unknown rule 'x' (did you mean 'y'? see 'k8scheck rules')": exit 3. */
int kc_cli_unknown_rule(FILE *err, const struct kc_policy *p, const char *name);

/* ---- a run of check or fix ------------------------------------------------ */

struct kc_cli_output {
	struct kc_reporter rep;
	const char *path;            /* NULL: the report stream */
	struct kc_atomic file;       /* written, then renamed to path at the end */
};

struct kc_cli_run {
	FILE *in;
	FILE *out;
	FILE *err;
	struct kc_arena *arena;      /* the run's */
	struct kc_diag diag;
	const struct kc_cli_options *opt;
	struct kc_check_setup setup;
	struct kc_checker checker;
	struct kc_cli_inputs inputs;
	struct kc_cli_output outputs[KC_CLI_MAX_FORMATS];
	struct kc_reporter *reps[KC_CLI_MAX_FORMATS];
	unsigned noutputs;
	struct kc_check_report report;   /* baseline, summary, reporters */
	int out_errno;               /* != 0: the report stream failed; stop */
};

/**
 * Whether writing to the report stream has failed (a full disk, or the
 * reader gone with SIGPIPE ignored): then the run stops reading inputs.
 */
bool kc_cli_out_failed(struct kc_cli_run *r);

/**
 * What check and fix share: set up the policy and engine, list the inputs,
 * refuse outputs that are inputs or directories. Returns -1 to go on, or
 * an exit status. outputs names the files the run will write (NULL ends).
 */
int kc_cli_prepare(struct kc_cli_run *r, const char *const *outputs);

/** Tell the run-level "nothing was checked" diagnostic when it applies. */
void kc_cli_nothing_checked(struct kc_cli_run *r);

/** `k8scheck check` (the default) and `k8scheck fix`. */
int kc_cli_check(struct kc_cli_run *r);
int kc_cli_fix(struct kc_cli_run *r);

#endif
