#ifndef K8SCHECK_CHECK_H
#define K8SCHECK_CHECK_H

/*
 * The check pipeline as a library: one call per unit of work (a named
 * buffer or file). The CLI (check, fix, -j), the fuzz targets, the unit
 * tests and the language server all call it, so a document is read,
 * checked, suppressed, baselined and fixed in one place.
 *
 * - struct kc_checker: what a run checks with (policy, engine, limits and
 *   which extras to compute). The caller fills it; it is only read, so one
 *   checker serves many threads at once.
 * - kc_check_buffer() / kc_check_file(): the input kind is chosen from the
 *   name (see input.h); each document is analysed into a struct
 *   kc_check_doc (findings sorted by position with their suppression
 *   marked, the ignore directives met, per-finding fix edits and Pod
 *   Security verdicts when asked) and handed to a callback. Diagnostics
 *   (located input problems) go to a struct kc_diag, whose listener can
 *   collect them instead of printing (err NULL).
 * - struct kc_check_report: the consumer the CLI and fuzz_check use: it
 *   applies the baseline, counts the summary and skip tallies, warns about
 *   unknown or unused ignores, and drives a set of reporters.
 * - kc_check_fix_buffer(): plan the fixes of a buffer, apply them, re-check
 *   the result, and return the edited text plus what was refused and why.
 *
 * Positions are 1-based (line, column in characters) everywhere.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "k8scheck/arena.h"
#include "k8scheck/diag.h"
#include "k8scheck/input.h"
#include "k8scheck/loader.h"
#include "k8scheck/policy.h"
#include "k8scheck/report.h"

/** What a run checks with. Filled by the caller; read-only afterwards. */
struct kc_checker {
	const struct kc_policy *policy;  /* borrowed */
	struct kc_engine *engine;  /* borrowed: rules, severities, PSS; only read */
	struct kc_limits limits;
	/* Fill each finding's changes (the text edits that fix it alone): for
	 * formats that carry fixes (SARIF) and editors' code actions. */
	bool changes;
	/* Compute the Pod Security verdict of every workload. */
	bool verdicts;
	/* kc_check_fix_buffer() applies unsafe fixes too (fix --unsafe-fixes):
	 * ones that overturn a value the author wrote or may break the
	 * workload. Otherwise they are refused with their reason. */
	bool unsafe_fixes;
};

/** A checker with the default limits and no extras. */
void kc_checker_init(struct kc_checker *c, const struct kc_policy *p,
	struct kc_engine *e);

/** One document, checked. Everything lives in doc.arena. */
struct kc_check_doc {
	struct kc_loaded_doc doc;        /* a copy of the input kind's */
	const struct kc_input_kind *kind;
	/* Sorted by (line, col, rule); suppressed ones are marked, not
	 * removed. Each has its position (pos .. end), its fix edits
	 * (changes, with kc_checker.changes) and its fingerprint. */
	struct kc_finding **findings;
	unsigned finding_count;
	struct kc_ignore *ignores;       /* the ignore directives met */
	unsigned ignore_count;
	/* With kc_checker.verdicts: per workload, the PSS controller's
	 * message, or NULL when it would be admitted. Else NULL. */
	const char **violations;
};

/** Told of each checked document, in order. */
typedef void (*kc_check_doc_fn)(void *ctx, const struct kc_check_doc *d);

/**
 * Check one loaded document: run the engine, apply the ignore directives,
 * and compute what c asks for. The result lives in doc->arena. Reads c
 * only, so workers may call it at once.
 */
struct kc_check_doc *kc_check_document(const struct kc_checker *c,
	const struct kc_loaded_doc *doc);

/**
 * Check the buffer text[0..len) (borrowed) named name: its kind is
 * kc_input_for(name). Calls fn for every document that loaded; the
 * document's arena is reused after fn returns. Input problems go to diag,
 * counts to stats (added to). Returns false if any part could not be
 * loaded; the other documents were still delivered.
 */
bool kc_check_buffer(const struct kc_checker *c, const char *name,
	const char *text, size_t len, struct kc_diag *diag,
	struct kc_load_stats *stats, kc_check_doc_fn fn, void *ctx);

/**
 * Read path (reported as name; all of in when in is non-NULL) within
 * c->limits, then check it as kc_check_buffer() does. Read errors are
 * reported through diag.
 */
bool kc_check_file(const struct kc_checker *c, const char *path,
	const char *name, FILE *in, struct kc_diag *diag,
	struct kc_load_stats *stats, kc_check_doc_fn fn, void *ctx);

/* ---- setting a run up ------------------------------------------------------ */

struct kc_config;
struct kc_pss_policy;

/** What chooses the rules: the command line's options (all borrowed). */
struct kc_check_options {
	const char *config_path;         /* --config FILE; NULL: discover */
	bool no_config;                  /* --no-config */
	/* Where discovery starts: the first input, or an editor's buffer
	 * name; NULL or "-" start in the working directory. */
	const char *discover_from;
	const char *const *policies;     /* --policy FILE|DIR */
	size_t policy_count;
	const char *profile;             /* NULL: the configuration's, or default */
	const struct kc_pss_policy *pss; /* --pss (only those checks), or NULL */
	const char *const *severities;   /* --severity RULE=LEVEL */
	size_t severity_count;
	const char *const *enable;       /* --enable RULE */
	size_t enable_count;
	const char *const *disable;      /* --disable RULE (beats --enable) */
	size_t disable_count;
	/* --min-severity: rules below it do not run (default info: all do). */
	enum kc_severity min_severity;
};

/** A run's policy and engine, as options and configuration chose them. */
struct kc_check_setup {
	struct kc_policy policy;         /* the catalog plus custom rules */
	struct kc_engine *engine;
	struct kc_config *config;        /* the configuration in force, or NULL */
	bool has_fail_on;                /* the configuration's failOn */
	enum kc_severity fail_on;
	char pss_name[64];               /* the PSS policy applied: "restricted:latest" */
	struct kc_image_index *images;   /* images built here (skaffold, Compose) */
};

/** Why kc_check_setup() failed. */
enum kc_setup_err {
	KC_SETUP_OK,
	KC_SETUP_INTERNAL,               /* the built-in catalog does not load */
	KC_SETUP_REPORTED,               /* a located error, told through diag */
	KC_SETUP_PROFILE,                /* unknown profile: *what */
	KC_SETUP_SEVERITY,               /* not RULE=LEVEL: *what */
	KC_SETUP_RULE,                   /* unknown rule id: *what */
};

/**
 * Load the rule catalog, the custom rules (--policy, then the
 * configuration's `policies:`), the configuration (given or discovered) and
 * apply the options, in that order; options beat the configuration. Lives
 * in arena a. On failure, *what names the offending value (for
 * KC_SETUP_PROFILE, _SEVERITY and _RULE) and s is not to be used.
 */
enum kc_setup_err kc_check_setup(struct kc_check_setup *s,
	const struct kc_check_options *o, struct kc_arena *a, struct kc_diag *diag,
	const char **what);

/** Whether the configuration in force excludes file (as named). */
bool kc_check_excluded(const struct kc_check_setup *s, const char *file);

/** Fill c to check with s (default limits, no extras). */
void kc_checker_from_setup(struct kc_checker *c, const struct kc_check_setup *s);

/* ---- baselines ----------------------------------------------------------- */

/*
 * A file of finding fingerprints accepted as known. Listed findings are not
 * reported; each line accepts one finding. Format, one finding a line, '#'
 * starts a comment: <16 hex digits> <rule> <file> <Kind>/<name> <path>.
 */
struct kc_baseline;

/** Read path into arena a. Problems are reported through diag; false then. */
bool kc_baseline_load(struct kc_baseline **out, const char *path,
	struct kc_arena *a, struct kc_diag *diag);

/** If f is listed (and not yet used up), use it up and return true. */
bool kc_baseline_take(struct kc_baseline *b, const struct kc_finding *f);

/** A baseline being recorded, in arena a. */
struct kc_baseline *kc_baseline_create(struct kc_arena *a);

/** Record f (its strings are copied into the baseline's arena). */
void kc_baseline_add(struct kc_baseline *b, const struct kc_finding *f);

/**
 * Make a recorded baseline one to match against (kc_baseline_take), as if
 * it had been written and loaded again. No more kc_baseline_add() then.
 */
void kc_baseline_seal(struct kc_baseline *b);

/** Write b to path atomically. Problems are printed on err; false then. */
bool kc_baseline_write(const struct kc_baseline *b, const char *path, FILE *err);

/* ---- reporting a run ------------------------------------------------------ */

/** A run's reporting state: fill the fields, then call the functions below. */
struct kc_check_report {
	struct kc_reporter **reps;       /* borrowed; every one sees every event */
	unsigned rep_count;
	struct kc_arena *arena;          /* the run's: skip tallies */
	struct kc_diag *diag;            /* for warnings about ignores */
	const struct kc_policy *policy;  /* for "did you mean" in them, or NULL */
	struct kc_baseline *baseline;    /* findings to hide, or NULL */
	struct kc_baseline *record;      /* findings seen are added, or NULL */
	enum kc_severity fail_on;
	bool show_suppressed;            /* people's formats get them too */
	bool report_unused;              /* warn about ignores that matched nothing */
	const char *pss_name;            /* "restricted:latest", for verdicts */
	/* Results. */
	struct kc_summary sum;
	unsigned failing;                /* findings at or above fail_on */
};

/** Whether some reporter of r carries fixes (kc_checker.changes). */
bool kc_check_report_wants_changes(const struct kc_check_report *r);

void kc_check_report_file_begin(struct kc_check_report *r, const char *name);

/**
 * Report one checked document: its skips, ignore warnings, findings (minus
 * the baseline), workloads and verdicts, in the order every format expects.
 */
void kc_check_report_doc(struct kc_check_report *r, const struct kc_check_doc *d);

/** Pass an input diagnostic to the reporters that show them. */
void kc_check_report_diag(struct kc_check_report *r, const struct kc_diag_event *e);

void kc_check_report_file_end(struct kc_check_report *r, const char *name);

/** Add a file's load counts to the summary. */
void kc_check_report_stats(struct kc_check_report *r, const struct kc_load_stats *st);

/* ---- fixing a buffer ------------------------------------------------------ */

/** Told, in order, while a buffer's fixes are planned. Either may be NULL. */
struct kc_check_fix_sink {
	/* A finding no automatic fix addresses: it needs a person. */
	void (*manual)(void *ctx, const struct kc_finding *f);
	/* A planned fix that was refused, with the reason (a full line). */
	void (*refused)(void *ctx, const char *reason);
	void *ctx;
};

/** What planning the fixes of a buffer gave. */
struct kc_check_fix {
	char *text;              /* the fixed text (caller frees: kc_check_fix_finish) */
	size_t len;              /* NULL/0 when nothing changes */
	bool changed;            /* text differs from the input */
	unsigned fixed;          /* findings the edits fix */
	unsigned manual;         /* findings that need a person */
	unsigned refused;        /* planned fixes refused (told to sink.refused) */
	/* The edits did not re-parse or did not clear every finding they
	 * address: nothing changes, and these fixes count as left (a located
	 * error was reported through diag). */
	bool failed;
	unsigned failed_count;
	unsigned broken;         /* refused by the safety net (kc_fixer_broken) */
};

/**
 * Plan the fixes of text[0..len) named name, apply them, re-load and
 * re-check the result: the fixed text is kept only if it parses and clears
 * every finding its edits address. Input problems go to diag and stats.
 * Returns false when the input itself did not load cleanly (nothing is
 * then fixed).
 */
bool kc_check_fix_buffer(const struct kc_checker *c, const char *name,
	const char *text, size_t len, struct kc_diag *diag,
	struct kc_load_stats *stats, const struct kc_check_fix_sink *sink,
	struct kc_check_fix *out);

/** Free what kc_check_fix_buffer() allocated. Accepts a zeroed value. */
void kc_check_fix_finish(struct kc_check_fix *fx);

#endif
