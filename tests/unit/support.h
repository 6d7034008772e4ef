#ifndef K8SCHECK_TEST_SUPPORT_H
#define K8SCHECK_TEST_SUPPORT_H

/* Helpers shared by the unit suites. */

#include <check.h>

#include "k8scheck/loader.h"
#include "k8scheck/locator.h"

#ifdef NDEBUG
#error "tests must not be built with NDEBUG"
#endif

/** Parse the first document of yaml into a (ck_assert: must succeed). */
const struct kc_node *t_parse(struct kc_arena *a, const char *yaml);

/** What t_load() saw: the diagnostics text and counts. */
struct t_loaded {
	char *diag;              /* everything written to the diag stream; free() it */
	size_t diag_len;
	struct kc_load_stats stats;
	bool ok;
};

/**
 * Load yaml (named "test.yaml") with the default limits, calling fn for
 * each document as the loader does.
 */
struct t_loaded t_load(const char *yaml, kc_loader_doc_fn fn, void *ctx);

/**
 * Build a path from text such as "spec.containers[0].image": keys split at
 * dots, [N] is an index. Keys point into s, so pass a literal.
 */
struct kc_path t_path(const char *s);

/** The node at path text s under root (ck_assert: it must exist). */
const struct kc_node *t_find(const struct kc_node *root, const char *s);

/** Render path text s against root with kc_path_format (static buffer). */
const char *t_format(const struct kc_node *root, const char *s);

/** Run a suite and return the process exit status. */
int t_run(Suite *s);

#endif
