#ifndef K8SCHECK_FIX_H
#define K8SCHECK_FIX_H

/*
 * `k8scheck fix`: remediation as minimal text edits. Every byte outside
 * the edited spots stays as it was: comments, blank lines, key order,
 * quoting, indentation and line endings. New keys are written in the style
 * of the mapping they join (block with its indentation, flow, or JSON).
 *
 * Plan the fixes of each document while it is loaded (its nodes are alive
 * then), apply them to the file's text at the end, re-check the result, and
 * show it as a unified diff.
 */

#include <stdbool.h>
#include <stdio.h>

#include "k8scheck/loader.h"
#include "k8scheck/policy.h"

struct kc_fixer;

/** A fixer for one file's text (borrowed). Caller frees with kc_fixer_destroy(). */
struct kc_fixer *kc_fixer_create(const char *text, size_t len);

/**
 * From now on, load each document with its planned edits applied (alone,
 * under limits, or the defaults if NULL) and compare it with the document
 * before (kc_fix_verify()) before keeping them. If it does not load, or a
 * value the fixes do not mean to change changed, the findings whose edits
 * do it are found by halving the set and refused with a reason; the
 * document's other fixes are kept. Costs one more load and one parse of
 * each document that gets edits.
 */
void kc_fixer_validate(struct kc_fixer *fx, const struct kc_limits *limits);

/**
 * Apply unsafe fixes too (`fix --unsafe-fixes`); by default they are not
 * applied but listed among the refused (kc_fixer_refused), each with the
 * reason a person must decide. A fix is unsafe when its rule says so
 * (kc_finding_fix_unsafe) or when it would replace a value the author
 * wrote (`privileged: true`, `imagePullPolicy: IfNotPresent`): the
 * planner then sets the finding's fix_unsafe to say which.
 */
void kc_fixer_unsafe(struct kc_fixer *fx, bool apply);

/** Number of unsafe fixes listed and not applied. */
unsigned kc_fixer_unsafe_count(const struct kc_fixer *fx);

/** Free it. Accepts NULL. */
void kc_fixer_destroy(struct kc_fixer *fx);

/**
 * Plan the fixes of doc's findings (those with a SET or REMOVE fix that are
 * not suppressed). Fixes that cannot be written safely in this file's style
 * are counted as refused, with a reason, instead.
 */
void kc_fixer_plan(struct kc_fixer *fx, const struct kc_loaded_doc *doc,
	struct kc_finding *const *f, unsigned n);

/** Number of findings the planned edits fix. */
unsigned kc_fixer_count(const struct kc_fixer *fx);

/**
 * The identity of the i-th fixed finding, in sorted order:
 * "doc|rule|path|container" (owned by fx). The keys are sorted on the
 * first call, in O(n log n), so call it once planning is done.
 */
const char *kc_fixer_key(const struct kc_fixer *fx, unsigned i);

/** Comparisons made sorting the keys so far (for tests that fixing stays O(n log n)). */
unsigned long kc_fixer_work(const struct kc_fixer *fx);

/**
 * Number of findings refused because their edits did not load or changed
 * another value (see kc_fixer_validate()): each one is a layout the
 * planner should have refused up front, with a better reason.
 */
unsigned kc_fixer_broken(const struct kc_fixer *fx);

/** Refused fixes: reason i, or NULL past the end (owned by fx). */
const char *kc_fixer_refused(const struct kc_fixer *fx, unsigned i);

/** The text with every planned edit applied. Caller frees *out. */
void kc_fixer_apply(const struct kc_fixer *fx, char **out, size_t *out_len);

/**
 * For each of f[0..n) (findings of doc), the edits that would fix it alone,
 * as positions in the file: sets its changes and change_count (NULL and 0:
 * no automatic fix). The changes live in arena a.
 */
void kc_fix_changes(const struct kc_loaded_doc *doc, struct kc_finding **f,
	unsigned n, struct kc_arena *a);

/**
 * "doc|rule|path|container": how a finding is recognised after its lines
 * moved. The document index keeps two resources of one kind and name in
 * one file apart (fixes never add or remove documents). Caller frees.
 */
char *kc_fix_key(const struct kc_finding *f);

/** One operation a fix means to do, for kc_fix_verify(). */
struct kc_fix_intent {
	enum kc_fix_op op;           /* KC_FIX_SET or KC_FIX_REMOVE (others are ignored) */
	const struct kc_path *path;  /* from the document's root (borrowed) */
	const char *value;           /* SET: the YAML value, as in kc_finding (borrowed) */
};

/**
 * Compare a document before (old_root) and after (new_root) its fixes as
 * trees: true if they are identical (same mappings, keys, order, items and
 * scalar values, aliases followed) except exactly where ops[0..n) meant to
 * change them: a SET path holds its value (a list value: the old items, or
 * their respelling in the value's case, then the value's items; a mapping
 * value: the old entries, then the value's missing keys), a REMOVE path is
 * gone (list items after it move up), and new mappings exist only on the
 * way to a SET path. Positions, comments and layout are not compared.
 * On false, writes the path of the first difference (rendered as in
 * findings, against old_root) to where (where_size bytes, may be NULL).
 */
bool kc_fix_verify(const struct kc_node *old_root, const struct kc_node *new_root,
	const struct kc_fix_intent *ops, size_t n, char *where, size_t where_size);

/**
 * kc_fix_verify(), also telling in *work how many comparisons between
 * operations it made (for tests that the work stays O(n log n)).
 */
bool kc_fix_verify_counted(const struct kc_node *old_root,
	const struct kc_node *new_root, const struct kc_fix_intent *ops, size_t n,
	char *where, size_t where_size, unsigned long *work);

/**
 * Write a unified diff (3 lines of context) from a to b, with headers
 * "--- a/NAME" and "+++ b/NAME". Writes nothing if they are equal.
 */
void kc_fix_diff(FILE *out, const char *name, const char *a, size_t alen,
	const char *b, size_t blen);

#endif
