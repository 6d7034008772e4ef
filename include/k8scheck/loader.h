#ifndef K8SCHECK_LOADER_H
#define K8SCHECK_LOADER_H

/*
 * The loader reads a file (or standard input), splits it into documents with
 * libyaml (through the locator), finds every resource that carries a pod
 * spec (unwrapping Lists), and type-checks and loads it from the node tree
 * into the typed model (kc_schema_load). Each document lives in its own arena, handed to a
 * callback and released when the callback returns.
 *
 * Problems with the input are reported once, here, through the diag sink.
 */

#include <stdio.h>

#include "k8scheck/diag.h"
#include "k8scheck/model.h"

/** A resource that was not checked, and why. */
struct kc_skip {
	const char *kind;        /* the resource's kind, or NULL if it has none */
	const char *reason;      /* e.g. "no pod spec" */
};

/** One document, as the callback sees it. All pointers live in its arena. */
struct kc_dockerfile;

struct kc_loaded_doc {
	const char *file;        /* the name to report (borrowed) */
	const char *text;        /* the file's bytes (borrowed) */
	size_t text_len;
	size_t start_off;        /* the document's bytes: text[start_off, end_off), */
	size_t end_off;          /* from its first token to the next document */
	unsigned index;          /* 0-based, among the file's non-empty documents */
	const struct kc_node *root;
	struct kc_workload *workloads;
	unsigned workload_count;
	struct kc_skip *skips;
	unsigned skip_count;
	struct kc_arena *arena;  /* the document's arena, for the callback's own use */
	/* A Dockerfile (the whole file is one document; root and workloads
	 * are then NULL), parsed into arena; NULL for YAML. */
	const struct kc_dockerfile *dockerfile;
};

typedef void (*kc_loader_doc_fn)(void *ctx, const struct kc_loaded_doc *doc);

/** Counts for the run summary, added to by every load. */
struct kc_load_stats {
	unsigned files;          /* files read */
	unsigned documents;      /* non-empty documents */
	unsigned workloads;      /* resources with a pod spec, checked */
	unsigned skipped_files;  /* e.g. Helm templates */
	unsigned input_errors;   /* files or documents that could not be loaded */
	unsigned dockerfiles;    /* Dockerfiles checked */
	unsigned stages;         /* their build stages */
};

/**
 * Load name's contents from buf (borrowed) and call fn for every document
 * that loaded, in order. Returns false if any part of the input could not be
 * loaded (already reported through diag); the other documents are still
 * delivered.
 */
bool kc_loader_load_buffer(const char *name, const char *buf, size_t len,
	const struct kc_limits *limits, struct kc_diag *diag,
	kc_loader_doc_fn fn, void *ctx, struct kc_load_stats *stats);

/** Where kc_loader_load_buffer_owned() gets each document's arena. */
typedef struct kc_arena *(*kc_loader_arena_fn)(void *ctx);

/**
 * As kc_loader_load_buffer(), but each document gets an arena of its own,
 * from new_arena(ctx) (kc_arena_create() if it is NULL), that passes to fn
 * with the document: fn (or whoever it hands the document to, on any
 * thread) owns doc->arena from then on. The document's text stays buf,
 * still the caller's. For parallel checking, where documents are reported
 * later, in order, by another thread.
 */
bool kc_loader_load_buffer_owned(const char *name, const char *buf, size_t len,
	const struct kc_limits *limits, struct kc_diag *diag,
	kc_loader_doc_fn fn, kc_loader_arena_fn new_arena, void *ctx,
	struct kc_load_stats *stats);

/**
 * Read the file at path (reported as name), or all of in if it is non-NULL,
 * into *out (caller frees). Problems (missing, unreadable, a directory,
 * over the size limit) are reported through diag and counted in stats.
 */
bool kc_loader_read(const char *path, const char *name, FILE *in,
	const struct kc_limits *limits, struct kc_diag *diag,
	struct kc_load_stats *stats, char **out, size_t *out_len);

/**
 * Read the file at path (reported as name) or, if in is non-NULL, all of in,
 * then load it as kc_loader_load_buffer() does. Errors reading it (missing,
 * unreadable, a directory, over the size limit) are reported through diag.
 */
bool kc_loader_load_file(const char *path, const char *name, FILE *in,
	const struct kc_limits *limits, struct kc_diag *diag,
	kc_loader_doc_fn fn, void *ctx, struct kc_load_stats *stats);

#endif
