#ifndef K8SCHECK_REPORT_H
#define K8SCHECK_REPORT_H

/*
 * Reporters: the only code that writes to the report stream. Each format
 * implements struct kc_reporter_impl and is found by name in a registry
 * (src/report/report.c). The CLI calls begin, then file_begin / finding* /
 * file_end for every input file in order, then end with the run summary.
 */

#include <stdbool.h>
#include <stdio.h>

#include "k8scheck/diag.h"
#include "k8scheck/loader.h"
#include "k8scheck/policy.h"

/** Resources passed over, grouped by kind and reason, for the summary. */
struct kc_skip_count {
	const char *kind;        /* NULL: the resource had no kind; lives in run arena */
	const char *reason;      /* static string */
	unsigned count;
};

struct kc_summary {
	struct kc_load_stats load;
	unsigned findings[KC_SEVERITY__COUNT];
	struct kc_skip_count *skips;  /* in order of first appearance */
	unsigned skip_count;
	unsigned skip_cap;       /* kc_summary_add_skip()'s */
	unsigned baselined;      /* findings not reported: listed in --baseline */
	unsigned suppressed;     /* findings silenced by an ignore directive */
};

/** Count one skipped resource in sum->skips (by kind and reason), in a. */
void kc_summary_add_skip(struct kc_summary *sum, const struct kc_skip *s,
	struct kc_arena *a);

/** The Pod Security verdict on one workload (--pss-summary). */
struct kc_verdict {
	const char *file;
	unsigned doc_index;
	struct kc_pos pos;       /* the resource's first line */
	const char *kind;
	const char *name;        /* may be NULL */
	const char *namespace;   /* may be NULL */
	const char *policy;      /* "restricted:latest", as requested */
	const char *violations;  /* the controller's full form; NULL if allowed */
};

/** A workload that was checked, told after its findings. */
struct kc_resource {
	const char *file;
	unsigned doc_index;
	struct kc_pos pos;       /* its first line */
	const char *kind;
	const char *name;        /* may be NULL */
	const char *namespace;   /* may be NULL */
};

struct kc_reporter;

struct kc_reporter_impl {
	const char *name;
	/* Machine formats get suppressed findings too (marked), so code
	 * scanning can show them as dismissed; people's formats only with
	 * --show-suppressed. */
	bool all_findings;
	/* The format carries fixes as text edits: fill kc_finding.changes. */
	bool wants_changes;
	void (*begin)(struct kc_reporter *r);
	void (*file_begin)(struct kc_reporter *r, const char *file);
	void (*finding)(struct kc_reporter *r, const struct kc_finding *f);
	void (*verdict)(struct kc_reporter *r, const struct kc_verdict *v);
	/* A workload whose findings have all been given; may be NULL. */
	void (*resource)(struct kc_reporter *r, const struct kc_resource *res);
	/* An input diagnostic (also printed on stderr); may be NULL. */
	void (*diagnostic)(struct kc_reporter *r, const struct kc_diag_event *e);
	void (*file_end)(struct kc_reporter *r, const char *file);
	void (*end)(struct kc_reporter *r, const struct kc_summary *s);
};

struct kc_reporter {
	const struct kc_reporter_impl *impl;
	FILE *out;               /* borrowed */
	bool color;
	bool quiet;              /* no summary */
	const char *version;     /* k8scheck's version, for tool metadata */
	const struct kc_policy *policy;  /* the rule catalog (borrowed) */
	const char *const *rules;        /* ids of the rules that run (borrowed) */
	unsigned rule_count;
	/* Findings at or above this severity fail the run (--fail-on; the
	 * default, info, makes every finding fail). Formats that have a
	 * pass/fail notion (JUnit) count only these as failures; the text
	 * summary says which fail when some do not. */
	enum kc_severity fail_on;
	void *state;             /* the reporter's own, from begin to end */
	unsigned file_findings;  /* findings so far in the current file */
	unsigned files_with_findings;
};

/** The reporter called name, or NULL. */
const struct kc_reporter_impl *kc_report_find(const char *name);

/** Names of all formats, comma-separated, for --help and errors. */
const char *kc_report_names(void);

extern const struct kc_reporter_impl kc_report_text;

/** Print the rule list (`k8scheck rules`) to out. */
void kc_report_rules(FILE *out, const struct kc_policy *p);

/** Print one rule's documentation (`k8scheck explain ID`) to out. */
void kc_report_explain(FILE *out, const struct kc_rule_meta *m);

#endif
