#ifndef K8SCHECK_DIAG_H
#define K8SCHECK_DIAG_H

/*
 * Input diagnostics: problems with what the user fed us (unreadable path,
 * YAML syntax error, wrong value type). They go to the error stream as
 * `file:line:col: severity: message`, never to the report stream, and are
 * counted so the CLI can pick the exit status.
 */

#include <stdbool.h>
#include <stdio.h>

#include "k8scheck/arena.h"

enum kc_diag_level {
	KC_DIAG_NOTE,
	KC_DIAG_WARNING,
	KC_DIAG_ERROR,
	KC_DIAG__COUNT,
};

/** One diagnostic, as passed to a listener. Strings are borrowed. */
struct kc_diag_event {
	enum kc_diag_level level;
	const char *file;        /* "k8scheck" for run-level messages */
	unsigned line;           /* 1-based; 0 when it has no position */
	unsigned col;
	const char *message;
};

typedef void (*kc_diag_listener_fn)(void *ctx, const struct kc_diag_event *e);

struct kc_diag {
	FILE *err;            /* borrowed; NULL: only the listener hears them */
	bool color;
	unsigned count[KC_DIAG__COUNT];
	kc_diag_listener_fn listener;  /* also told of every diagnostic, or NULL */
	void *listener_ctx;
};

/**
 * Set up a sink writing to err (borrowed; NULL writes nothing, e.g. for a
 * worker thread whose listener records the diagnostics to be replayed in
 * order); counts start at zero.
 */
void kc_diag_init(struct kc_diag *d, FILE *err, bool color);

/**
 * Print one diagnostic. line and col are 1-based; pass 0 for both when the
 * problem has no position inside the file (the output then reads
 * `file:1:1:` so editors and CI matchers still parse it).
 */
void kc_diag_at(struct kc_diag *d, enum kc_diag_level level, const char *file,
	unsigned line, unsigned col, const char *fmt, ...) KC_PRINTF(6, 7);

/** Print a diagnostic that concerns the whole run: `k8scheck: severity: msg`. */
void kc_diag_run(struct kc_diag *d, enum kc_diag_level level,
	const char *fmt, ...) KC_PRINTF(3, 4);

#endif
