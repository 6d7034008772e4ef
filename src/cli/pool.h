#ifndef KC_CLI_POOL_H
#define KC_CLI_POOL_H

/*
 * Parallel checking (-j N): worker threads read, load and analyse files;
 * the calling thread reports them strictly in input order, so the output is
 * byte for byte the output of a sequential run, whatever N is.
 *
 * A worker analyses each document in the document's own arena and hands the
 * result over; the reporting thread reports it and frees the arena. Workers
 * ahead of the file being reported stop once the documents waiting for it
 * hold more than a memory budget, so memory follows the documents in
 * flight, not the size of the input.
 */

#include <stddef.h>
#include <stdio.h>

#include "k8scheck/input.h"

/** One input, in report order: a file to check, or an error found earlier. */
struct kc_pool_job {
	const char *path;        /* NULL: read in (standard input) */
	const char *name;        /* the name to report */
	FILE *in;
	int errnum;              /* != 0: not a file to read; report this error */
};

struct kc_pool_ops {
	/* On a worker: analyse doc (the CLI: kc_check_document()) and
	 * return what reporting it needs, in
	 * doc->arena (doc itself is the loader's: copy what must outlive the
	 * call). Must not touch state shared with the other callbacks. */
	void *(*analyse)(void *ctx, const struct kc_loaded_doc *doc);
	/* On the calling thread, in input order. */
	void (*file_begin)(void *ctx, const struct kc_pool_job *job);
	void (*diag)(void *ctx, const struct kc_diag_event *e);
	void (*document)(void *ctx, void *result);
	void (*file_end)(void *ctx, const struct kc_pool_job *job,
		const struct kc_load_stats *stats);
	void (*error)(void *ctx, const struct kc_pool_job *job);
};

/**
 * The number of processors this process may use (its CPU affinity, so
 * `taskset` and container cpusets count; at least 1): the default for -j.
 */
unsigned kc_pool_default_threads(void);

/** What documents waiting to be reported may hold: the CLI's budget. */
#define KC_POOL_BUDGET ((size_t)64 << 20)

/**
 * Check jobs[0..n) with threads workers and report them through ops, in
 * order, on the calling thread. Workers on files after the one being
 * reported wait while the documents and texts not yet reported hold more
 * than budget bytes (the file being reported is never held back). limits
 * apply to every file.
 */
void kc_pool_run(const struct kc_pool_job *jobs, size_t n, unsigned threads,
	size_t budget, const struct kc_limits *limits, const struct kc_pool_ops *ops,
	void *ctx);

#endif
