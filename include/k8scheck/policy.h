#ifndef K8SCHECK_POLICY_H
#define K8SCHECK_POLICY_H

/*
 * The policy: the rule catalog (policies/<id>.yaml, compiled into the binary
 * and parsed with libcyaml at start-up), which rules run, and the engine that
 * runs them over a document's workloads and sorts what they find.
 */

#include <stdbool.h>
#include <stddef.h>

#include "k8scheck/arena.h"
#include "k8scheck/diag.h"
#include "k8scheck/loader.h"
#include "k8scheck/locator.h"
#include "k8scheck/pss.h"
#include "k8scheck/rule.h"

enum kc_severity {
	KC_SEVERITY_INFO,
	KC_SEVERITY_WARNING,
	KC_SEVERITY_ERROR,
	KC_SEVERITY__COUNT,
};

/** "info", "warning" or "error". */
const char *kc_severity_name(enum kc_severity s);

/** Parse a severity name; false (and *out untouched) if unknown. */
bool kc_severity_parse(const char *name, enum kc_severity *out);

/** One file of policies/, as compiled into the binary by tools/embed.c. */
struct kc_policy_file {
	const char *name;        /* basename, e.g. "run-as-non-root.yaml" */
	const char *data;        /* NUL-terminated */
	size_t len;
};

extern const struct kc_policy_file kc_policy_files[];
extern const size_t kc_policy_file_count;

/** A rule's documentation, from its policies/<id>.yaml. */
struct kc_rule_meta {
	char *id;
	char *title;
	char *severity_name;
	enum kc_severity severity;
	char *description;       /* what it checks and why */
	char *remediation;       /* how to fix it */
	char *example;           /* YAML that passes */
	/* `security-severity:` as written, e.g. "9.0" (GitHub code scanning's
	 * 0.1-10 scale: critical >= 9.0, high >= 7.0, medium >= 4.0, low);
	 * NULL for a rule that is not about security (resources, probes). */
	char *security_severity;
	char **references;       /* equivalent checks of other tools, links */
	unsigned references_count;
	bool *default_on;        /* `default:` as written (NULL: not written) */
	bool on_by_default;      /* runs without --enable (default: true) */
	const struct kc_custom *custom;  /* a rule from --policy, or NULL */
	const char *source;      /* custom: the file it came from */
};

struct kc_policy {
	struct kc_rule_meta *rules;  /* sorted by id; lives in the run arena */
	unsigned count;
};

/**
 * Parse the compiled-in catalog into the run arena a, and check that every
 * rule implemented in src/rules/ has metadata and the other way round.
 * A failure is a build defect: it is reported through diag, returns false.
 */
bool kc_policy_load(struct kc_policy *p, struct kc_arena *a, struct kc_diag *diag);

/**
 * Load custom rules from path (a YAML file, one rule per document, or a
 * directory of them) into p, keeping it sorted. Each rule has the catalog's
 * keys plus `check:` (see docs/custom-rules.md). Mistakes are reported with
 * their position through diag; returns false then. Lives in arena a.
 */
bool kc_policy_load_custom(struct kc_policy *p, const char *path, struct kc_arena *a,
	struct kc_diag *diag);

/** The metadata of rule id, or NULL. */
const struct kc_rule_meta *kc_policy_find(const struct kc_policy *p, const char *id);

/**
 * The rules that name means, for --enable/--disable, --severity, the
 * configuration, ignore directives and explain: rule name itself; else every
 * rule whose `references:` give name as the id of a peer tool ("kube-linter:
 * privileged-container", "Checkov: CKV_K8S_16", "Trivy: KSV017", "Polaris:
 * runAsPrivileged"), written bare or as "tool:id", case-insensitively. A
 * peer id can stand for several rules (kube-linter's unset-cpu-requirements
 * is cpu-limits and cpu-requests). Fills out[0, min(n, max))
 * with pointers into p and returns n, the number of rules named (0:
 * unknown).
 */
unsigned kc_policy_resolve(const struct kc_policy *p, const char *name,
	const struct kc_rule_meta **out, unsigned max);

/**
 * The rule id (static or in p) nearest to an unknown name by edit distance
 * (insertions, deletions, substitutions and swaps of neighbours, ignoring
 * case), if it is close enough to be a typo: at most 1 for names of up to 4
 * characters, 2 up to 8, else 3. NULL if none is.
 */
const char *kc_policy_suggest(const struct kc_policy *p, const char *name);

/** One text edit: replace [start, end) (1-based; equal for an insertion) with text. */
struct kc_fix_change {
	struct kc_pos start;
	struct kc_pos end;
	const char *text;
};

struct kc_fix_more;

/** What `k8scheck fix` may do for a finding. */
enum kc_fix_op {
	KC_FIX_NONE,
	KC_FIX_SET,              /* set fix_path to fix_value (a list value: add its items) */
	KC_FIX_REMOVE,           /* remove the list item or mapping entry at fix_path */
	KC_FIX_MANUAL,           /* fix_yaml is a suggestion that needs a person */
};

/** A further operation of a fix. */
struct kc_fix_more {
	enum kc_fix_op op;       /* KC_FIX_SET or KC_FIX_REMOVE */
	struct kc_path path;
	const char *value;       /* SET only */
};

/** A problem a rule found. Lives in the document arena it was found in. */
struct kc_finding {
	const char *rule;        /* rule id */
	enum kc_severity severity;
	const char *message;
	const char *file;        /* as given on the command line */
	unsigned doc_index;      /* 0-based */
	struct kc_path path;     /* the offending field (may not exist) */
	const char *path_str;    /* rendered: spec.template.spec.containers[app]... */
	bool exact;              /* path exists; else pos is its nearest ancestor */
	struct kc_pos pos;       /* 1-based, of the field or its nearest ancestor */
	struct kc_pos end;
	const char *kind;        /* the resource */
	const char *name;        /* may be NULL */
	const char *namespace;   /* may be NULL */
	const char *container;   /* may be NULL */
	/* How to fix it: YAML to write under fix_parent (NULL if no fix). */
	const char *fix_yaml;
	const char *fix_parent;  /* path string where fix_yaml goes */
	struct kc_pos fix_pos;   /* line of fix_parent (or of the field to change) */
	bool fix_replaces;       /* the field exists: fix_yaml replaces it */
	/* The fix as an operation, for `k8scheck fix`. */
	enum kc_fix_op fix_op;
	struct kc_path fix_path; /* the field to set or remove */
	const char *fix_value;   /* SET: the YAML value ("true", "[ALL]") */
	/* Further operations of the same fix (a move: remove here, set there). */
	struct kc_fix_more *more;
	unsigned more_count;
	/* The text edits `k8scheck fix` would make for this finding alone, for
	 * formats that carry fixes (SARIF); set by the CLI, may be NULL. */
	const struct kc_fix_change *changes;
	unsigned change_count;
	const char *note;        /* a hint for people, or NULL */
	/* Where an inherited value comes from (has_origin false if none). */
	bool has_origin;
	struct kc_pos origin_pos;
	const char *origin_path;
	const char *origin_note;
	/* Stable identity for baselines and SARIF: a hash of the rule, the
	 * file, the resource (kind, namespace, name), the rendered path and
	 * the message, so it survives inserted lines and reformatting. */
	const char *fingerprint; /* 16 hex digits */
	const struct kc_workload *workload;  /* borrowed, for the document's life */
	/* Suppression: set by kc_suppress() from an ignore directive. */
	bool suppressed;
	const char *suppressed_by;   /* "comment" or "annotation" */
	const char *suppress_reason; /* the text after "--", or NULL */
	unsigned seq;            /* order of discovery, the last sort key */
};

struct kc_engine;

/** A rule parameter from the configuration: an integer or a list of strings. */
struct kc_param {
	const char *rule;
	const char *name;
	bool is_list;
	long long value;
	const char *const *list;
	unsigned count;
};

/**
 * Create an engine over the rules of p (borrowed), each enabled as its
 * metadata says, applying Pod Security "restricted:latest". Lives in arena a.
 */
struct kc_engine *kc_engine_create(const struct kc_policy *p, struct kc_arena *a);

/**
 * Apply Pod Security policy p (copied) instead. With only, enable exactly
 * the rules of the checks p runs and disable every other rule.
 */
void kc_engine_set_pss(struct kc_engine *e, const struct kc_pss_policy *p, bool only);

/** Give rule parameters (borrowed; they must outlive the engine). */
void kc_engine_set_params(struct kc_engine *e, const struct kc_param *params,
	unsigned count);

/**
 * The ids of the rules that run, in id order, into an array in arena a.
 * Pod Security rules count only if their check runs at the engine's policy.
 */
unsigned kc_engine_enabled(const struct kc_engine *e, struct kc_arena *a,
	const char ***ids);

/** The Pod Security policy the engine applies. */
const struct kc_pss_policy *kc_engine_pss(const struct kc_engine *e);

/**
 * Apply a profile: "default" (Pod Security restricted at latest plus the
 * best-practice rules that are on by default), "pss-baseline" and
 * "pss-restricted" (exactly those Pod Security checks), "all" (every
 * rule). False if there is no such profile.
 */
bool kc_engine_set_profile(struct kc_engine *e, const char *name);

/** The profile names, for messages. */
const char *kc_engine_profiles(void);

/** Override rule id's severity; false if there is no such rule. */
bool kc_engine_set_severity(struct kc_engine *e, const char *id, enum kc_severity s);

/**
 * --min-severity: rules whose severity (the catalog's or overridden, at the
 * time of the check) is below min do not run, so their findings reach no
 * report, no count and no exit status; kc_engine_enabled() leaves them out
 * (SARIF's rule list, JUnit's passing cases). Default: info (all run).
 */
void kc_engine_set_min_severity(struct kc_engine *e, enum kc_severity min);

/** Enable or disable rule id; false if there is no such rule. */
bool kc_engine_set_enabled(struct kc_engine *e, const char *id, bool enabled);

/**
 * Run the enabled rules over every workload of doc. *out gets an array of
 * *count findings sorted by line, column and rule id (NULL if none); the
 * array and the findings live in doc's arena.
 */
void kc_engine_check(struct kc_engine *e, const struct kc_loaded_doc *doc,
	struct kc_finding ***out, unsigned *count);

/** An ignore directive found in a document (comment or annotation). */
struct kc_ignore {
	const char *kind;        /* "comment" or "annotation" */
	const char *rule;        /* the rule id it names */
	struct kc_pos pos;       /* where it is written */
	bool known;              /* the rule exists */
	bool used;               /* it suppressed at least one finding */
};

/**
 * Apply the ignore directives of doc to its findings: the resource's
 * `k8scheck.io/ignore: "rule-a,rule-b"` annotation (on the resource or its
 * pod template), the per-container `k8scheck.io/ignore.<container>`
 * annotation, and `# k8scheck:ignore rule-a -- reason` comments on the
 * finding's line or the line above it. *out gets every directive (in the
 * document arena) so that unknown rules and unused ignores can be reported.
 */
void kc_suppress(const struct kc_policy *p, const struct kc_loaded_doc *doc,
	struct kc_finding **f, unsigned n, struct kc_ignore **out, unsigned *count);

#endif
