#ifndef K8SCHECK_CONF_H
#define K8SCHECK_CONF_H

/*
 * Reading a configuration-like file (.k8scheck.yaml, custom rule files)
 * from the locator's node tree: each mistake is reported once, through
 * diag, at the line and column of the node it concerns.
 */

#include <stdbool.h>

#include "k8scheck/arena.h"
#include "k8scheck/diag.h"
#include "k8scheck/locator.h"

/** One file being read. ok turns false at the first mistake reported. */
struct kc_conf {
	const char *file;        /* as it is named in messages; borrowed */
	struct kc_arena *a;      /* where lists are allocated */
	struct kc_diag *diag;
	bool ok;
};

/** Report a mistake at n (printf-formatted message); returns false. */
bool kc_conf_bad(struct kc_conf *c, const struct kc_node *n, const char *fmt, ...)
	KC_PRINTF(3, 4);

/**
 * The string value of n, or NULL: silently if n is NULL, after reporting
 * "WHAT must be a string" if it is not a non-null scalar. Borrowed from n.
 */
const char *kc_conf_string(struct kc_conf *c, const struct kc_node *n, const char *what);

/**
 * A list of strings into *out (arena) and *count; with one, a single string
 * stands for a list of one. Reports "WHAT must be a list" or an item that is
 * not a string, and returns false then.
 */
bool kc_conf_strings(struct kc_conf *c, const struct kc_node *n, const char *what,
	bool one, const char ***out, unsigned *count);

#endif
