#ifndef K8SCHECK_LSP_INTERNAL_H
#define K8SCHECK_LSP_INTERNAL_H

/* Private to src/lsp: the server's state, its documents, and the one call
 * into the checker (check_bridge.c). */

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "k8scheck/arena.h"
#include "k8scheck/lsp.h"

/* JSON-RPC and LSP error codes. */
enum {
	RPC_PARSE_ERROR = -32700,
	RPC_INVALID_REQUEST = -32600,
	RPC_METHOD_NOT_FOUND = -32601,
	RPC_INVALID_PARAMS = -32602,
	RPC_INTERNAL_ERROR = -32603,
	RPC_SERVER_NOT_INITIALIZED = -32002,
	RPC_REQUEST_CANCELLED = -32800,
};

/* What the checker said about one version of a document, in protocol
 * terms (positions already in the negotiated encoding). */
struct kc_lsp_result {
	long long version;
	json_t *diagnostics;     /* array of Diagnostic, as published */
	json_t *fixes;           /* per diagnostic: array of TextEdit, or null */
	json_t *safe;            /* per diagnostic: true if the fix is safe */
	json_t *ignores;         /* per diagnostic: the "ignore here" TextEdit, or null */
	json_t *hovers;          /* per diagnostic: Markdown, or null */
	json_t *fix_all;         /* array of TextEdit (empty: nothing to fix), or
	                          * NULL when not asked for */
};

void kc_lsp_result_destroy(struct kc_lsp_result *res);

struct kc_lsp_doc {
	char *uri;
	char *path;              /* the file it names (file: URIs), or NULL */
	char *text;              /* NUL-terminated copy of the buffer */
	size_t len, cap;
	long long version;
	bool dirty;              /* changed since its diagnostics were published */
	struct kc_lsp_result *result;  /* for the current version, or NULL */
};

struct kc_lsp_config_cache;

struct kc_lsp_server {
	FILE *out;
	FILE *log;
	enum kc_lsp_encoding enc;
	bool initialized;
	bool shutdown;
	bool exit;
	bool out_failed;
	bool watch_dynamic;      /* client lets us register file watchers */
	struct kc_lsp_doc **docs;
	unsigned ndocs, docs_cap;
	struct kc_lsp_config_cache *configs;  /* see check_bridge.c */
	json_t *cancelled;       /* ids cancelled while still queued */
	unsigned long long checks;
};

/* ---- rpc.c ---- */
void kc_lsp_log(struct kc_lsp_server *s, const char *fmt, ...) KC_PRINTF(2, 3);
/* Send msg (stolen) with "jsonrpc": "2.0". */
void kc_lsp_send(struct kc_lsp_server *s, json_t *msg);
/* Respond to id (borrowed) with result (stolen). */
void kc_lsp_respond(struct kc_lsp_server *s, json_t *id, json_t *result);
/* Respond to id (borrowed; NULL: null) with an error. */
void kc_lsp_respond_error(struct kc_lsp_server *s, json_t *id, int code, const char *fmt, ...)
	KC_PRINTF(4, 5);
void kc_lsp_notify(struct kc_lsp_server *s, const char *method, json_t *params);
/* A JSON string of s (NULL: ""), with any invalid UTF-8 replaced. */
json_t *kc_lsp_json_str(const char *s);

/* ---- documents.c ---- */
struct kc_lsp_doc *kc_lsp_doc_find(struct kc_lsp_server *s, const char *uri);
struct kc_lsp_doc *kc_lsp_doc_open(struct kc_lsp_server *s, const char *uri,
	const char *text, size_t len, long long version);
void kc_lsp_doc_close(struct kc_lsp_server *s, const char *uri);
/* Replace the whole text with text[0, len) (copied). */
void kc_lsp_doc_replace(struct kc_lsp_doc *d, const char *text, size_t len);
/* Replace [start, end) (protocol positions in enc, clamped) with
 * text[0, len); false (and nothing changed) if end is before start. */
bool kc_lsp_doc_edit(struct kc_lsp_doc *d, struct kc_lsp_pos start, struct kc_lsp_pos end,
	const char *text, size_t len, enum kc_lsp_encoding enc);
/* The file path a file: URI names (percent-decoded), or NULL. Caller frees. */
char *kc_lsp_uri_to_path(const char *uri);
void kc_lsp_docs_destroy(struct kc_lsp_server *s);

/* ---- check_bridge.c: the one call into the checker (check.h) ---- */
/* Check d's current text with the setup that applies in its directory
 * (with fix_all: also the edit that fixes everything at once). Caller
 * frees with kc_lsp_result_destroy(). */
struct kc_lsp_result *kc_lsp_check_document(struct kc_lsp_server *s, const struct kc_lsp_doc *d,
	bool fix_all);
/* Forget loaded configurations (.k8scheck.yaml changed). */
void kc_lsp_configs_clear(struct kc_lsp_server *s);

#endif
