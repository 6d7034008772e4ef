#ifndef K8SCHECK_CLI_BASELINE_H
#define K8SCHECK_CLI_BASELINE_H

/*
 * Baselines for CI gates (private to the cli module): a file of finding
 * fingerprints accepted as known. Findings whose fingerprint is listed are
 * not reported; each listed line accepts one finding, so a second copy of
 * the same problem still shows.
 *
 * File format, one finding a line, '#' starts a comment:
 *   <16 hex digits> <rule> <file> <Kind>/<name> <path>
 * Only the fingerprint is read back; the rest is there for reviewers.
 */

#include <stdbool.h>
#include <stdio.h>

#include "k8scheck/arena.h"
#include "k8scheck/diag.h"
#include "k8scheck/policy.h"

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

/** Write b to path atomically (temporary file, then rename). */
bool kc_baseline_write(const struct kc_baseline *b, const char *path, FILE *err);

#endif
