#ifndef K8SCHECK_ATOMIC_H
#define K8SCHECK_ATOMIC_H

/*
 * Writing a file without ever leaving half of it: write to a temporary file
 * in the same directory, then rename it over the target. Used for reports
 * (--format FORMAT=FILE, --output), baselines and `k8scheck fix --write`.
 */

#include <stdbool.h>
#include <stdio.h>

struct kc_atomic {
	const char *path;        /* the target (borrowed) */
	char *tmp;               /* the temporary file; NULL when not open */
	FILE *f;                 /* write here */
};

/**
 * Open a temporary file beside path. mode < 0 gives 0666 less the umask;
 * otherwise the file gets mode (e.g. the file it replaces). On failure,
 * prints `k8scheck: error: cannot write 'PATH': REASON` to err and returns
 * false.
 */
bool kc_atomic_open(struct kc_atomic *w, const char *path, int mode, FILE *err);

/** Flush, close and rename over the target; reports to err and returns false on failure. */
bool kc_atomic_commit(struct kc_atomic *w, FILE *err);

/** Drop the temporary file (an early exit). Accepts a closed or zeroed w. */
void kc_atomic_abandon(struct kc_atomic *w);

#endif
