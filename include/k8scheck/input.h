#ifndef K8SCHECK_INPUT_H
#define K8SCHECK_INPUT_H

/*
 * Input kinds: how a file's bytes become located documents. Each kind is a
 * module (src/input/<kind>.c) exporting one struct kc_input_kind, listed in
 * one table (src/input/input.c). The kind of a file is chosen from its name
 * (for standard input, the --stdin-filename name); the directory walk picks
 * up exactly the names some kind claims.
 *
 * Adding a kind = its module + one row in the table.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "k8scheck/diag.h"
#include "k8scheck/loader.h"

/** One load of a buffer, as a kind's load() gets it. All borrowed. */
struct kc_input_request {
	const char *name;        /* the name to report */
	const char *text;        /* the bytes; stays the caller's */
	size_t len;
	const struct kc_limits *limits;
	struct kc_diag *diag;    /* problems with the input, located */
	struct kc_load_stats *stats;  /* added to */
	kc_loader_doc_fn fn;     /* called for every document, in order */
	void *ctx;               /* for fn and new_arena */
	/* false: each document's arena is the load's, reset after fn returns.
	 * true: fn owns doc->arena (from new_arena, or kc_arena_create() when
	 * NULL) and may hand it to another thread. */
	bool owned;
	kc_loader_arena_fn new_arena;
};

struct kc_input_kind {
	const char *name;        /* "kubernetes" */
	/* The names it claims, for messages: "*.yaml, *.yml or *.json". */
	const char *patterns;
	/** Whether a file called base (no directory part) is of this kind. */
	bool (*claims)(const char *base);
	/**
	 * Load req->text into documents. Returns false if any part could
	 * not be loaded (reported through req->diag, counted in
	 * req->stats->input_errors); the other documents are still delivered.
	 */
	bool (*load)(const struct kc_input_request *req);
};

/** The table's rows, in order; the first is the default kind. */
extern const struct kc_input_kind *const kc_input_kinds[];
extern const unsigned kc_input_kind_count;

/**
 * The kind that claims name (its last path component is matched), or NULL
 * when none does (the directory walk skips such files).
 */
const struct kc_input_kind *kc_input_find(const char *name);

/**
 * The kind for a file named explicitly (on the command line, or a buffer
 * an editor names): the kind that claims it, else the default kind
 * (Kubernetes YAML). Never NULL.
 */
const struct kc_input_kind *kc_input_for(const char *name);

/**
 * Load req->text with the kind kc_input_for(req->name) chooses. Returns
 * what the kind's load() returns.
 */
bool kc_input_load(const struct kc_input_request *req);

/**
 * The patterns of every kind, joined for a message: "*.yaml, *.yml or
 * *.json". Static storage.
 */
const char *kc_input_patterns(void);

/**
 * Read the file at path (reported as name) or, when in is non-NULL, all of
 * in, into *out (caller frees), at most limits->max_file_bytes. Problems
 * (missing, unreadable, a directory, over the limit) are reported through
 * diag and counted in stats; false then, and *out is untouched.
 */
bool kc_input_read(const char *path, const char *name, FILE *in,
	const struct kc_limits *limits, struct kc_diag *diag,
	struct kc_load_stats *stats, char **out, size_t *out_len);

/** The Kubernetes YAML/JSON kind (src/input/kubernetes.c). */
extern const struct kc_input_kind kc_input_kubernetes;

#endif
