#ifndef K8SCHECK_FINDING_H
#define K8SCHECK_FINDING_H

/*
 * A finding: a problem a rule found, where it is and how to fix it. On its
 * own so that reporters (and anything else that only reads findings) see
 * neither the rule-authoring API (rule.h) nor the engine.
 */

#include <stdbool.h>

#include "k8scheck/locator.h"

struct kc_workload;

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
	/* Why the fix needs a person's decision (an unsafe fix, applied only
	 * when unsafe fixes are asked for), or NULL: a safe fix. Set by the
	 * rule (kc_finding_fix_unsafe) or by the fixer's planner when the fix
	 * would replace a value the author wrote. */
	const char *fix_unsafe;
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

#endif
