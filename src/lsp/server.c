/*
 * The server: one thread reading messages in batches (whatever input is
 * already waiting), handling them in order, then checking the documents
 * that changed. A burst of didChange events thus costs one check, and a
 * `$/cancelRequest` that arrives while its request is still queued cancels
 * it. Diagnostics are published with the version they were computed for,
 * so a client never sees an older result after a newer one.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "k8scheck/cli.h"

#include "internal.h"

#define BATCH_MAX 256

/* ---- helpers ----------------------------------------------------------- */

static bool get_pos(json_t *j, struct kc_lsp_pos *p)
{
	json_t *l = json_object_get(j, "line"), *c = json_object_get(j, "character");
	if (!json_is_integer(l) || !json_is_integer(c) || json_integer_value(l) < 0 ||
		json_integer_value(c) < 0 || json_integer_value(l) > 0xFFFFFFFF ||
		json_integer_value(c) > 0xFFFFFFFF) {
		return false;
	}
	p->line = (unsigned)json_integer_value(l);
	p->character = (unsigned)json_integer_value(c);
	return true;
}

static bool get_range(json_t *j, struct kc_lsp_pos *a, struct kc_lsp_pos *b)
{
	return json_is_object(j) && get_pos(json_object_get(j, "start"), a) &&
		get_pos(json_object_get(j, "end"), b);
}

/* A position within [a, b] (protocol positions compare line, then character). */
static int pos_cmp(struct kc_lsp_pos x, struct kc_lsp_pos y)
{
	return x.line != y.line ? (x.line < y.line ? -1 : 1) :
		x.character != y.character ? (x.character < y.character ? -1 : 1) : 0;
}

static const char *doc_uri(json_t *params)
{
	return json_string_value(json_object_get(json_object_get(params, "textDocument"),
		"uri"));
}

/* The document's check for its current version (run now if needed). */
static struct kc_lsp_result *current(struct kc_lsp_server *s, struct kc_lsp_doc *d, bool fix_all)
{
	if (d->result == NULL || d->result->version != d->version ||
		(fix_all && d->result->fix_all == NULL)) {
		kc_lsp_result_destroy(d->result);
		d->result = kc_lsp_check_document(s, d, fix_all);
	}
	return d->result;
}

static void publish(struct kc_lsp_server *s, struct kc_lsp_doc *d)
{
	struct kc_lsp_result *res = current(s, d, false);
	if (res->version != d->version) {
		return;   /* stale: a newer version is on its way */
	}
	d->dirty = false;
	kc_lsp_notify(s, "textDocument/publishDiagnostics", json_pack("{s:s, s:I, s:O}",
		"uri", d->uri, "version", (json_int_t)d->version, "diagnostics",
		res->diagnostics));
}

/* ---- lifecycle ------------------------------------------------------------ */

static json_t *initialize(struct kc_lsp_server *s, json_t *params)
{
	json_t *caps = json_object_get(params, "capabilities");
	json_t *encs = json_object_get(json_object_get(caps, "general"), "positionEncodings");
	size_t i;
	json_t *e;
	s->enc = KC_LSP_UTF16;
	json_array_foreach(encs, i, e) {
		if (json_is_string(e) && strcmp(json_string_value(e), "utf-8") == 0) {
			s->enc = KC_LSP_UTF8;
		}
	}
	s->watch_dynamic = json_is_true(json_object_get(json_object_get(json_object_get(
		caps, "workspace"), "didChangeWatchedFiles"), "dynamicRegistration"));
	kc_lsp_log(s, "initialize: position encoding %s", kc_lsp_encoding_name(s->enc));
	return json_pack("{s:{s:s, s:{s:b, s:i, s:{s:b}}, s:{s:[s, s]}, s:b}, s:{s:s, s:s}}",
		"capabilities",
		"positionEncoding", kc_lsp_encoding_name(s->enc),
		"textDocumentSync", "openClose", 1, "change", 2 /* incremental */,
		"save", "includeText", 0,
		"codeActionProvider", "codeActionKinds", "quickfix", "source.fixAll",
		"hoverProvider", 1,
		"serverInfo", "name", "k8scheck", "version", KC_VERSION);
}

static void initialized(struct kc_lsp_server *s)
{
	if (!s->watch_dynamic) {
		return;
	}
	/* Ask to hear of configuration changes (workspace/didChangeWatchedFiles). */
	json_t *m = json_pack("{s:s, s:s, s:{s:[{s:s, s:s, s:{s:[{s:s}, {s:s}]}}]}}",
		"id", "k8scheck-watch", "method", "client/registerCapability", "params",
		"registrations", "id", "k8scheck-config", "method",
		"workspace/didChangeWatchedFiles", "registerOptions", "watchers",
		"globPattern", "**/.k8scheck.yaml", "globPattern", "**/.k8scheck.yml");
	kc_lsp_send(s, m);
}

static void recheck_all(struct kc_lsp_server *s)
{
	kc_lsp_configs_clear(s);
	for (unsigned i = 0; i < s->ndocs; i++) {
		kc_lsp_result_destroy(s->docs[i]->result);
		s->docs[i]->result = NULL;
		s->docs[i]->dirty = true;
	}
}

/* ---- text synchronisation ------------------------------------------------ */

static void did_open(struct kc_lsp_server *s, json_t *params)
{
	json_t *td = json_object_get(params, "textDocument");
	json_t *uri = json_object_get(td, "uri"), *text = json_object_get(td, "text");
	if (!json_is_string(uri) || !json_is_string(text)) {
		kc_lsp_log(s, "didOpen without uri or text: ignored");
		return;
	}
	json_t *v = json_object_get(td, "version");
	kc_lsp_doc_open(s, json_string_value(uri), json_string_value(text),
		json_string_length(text), json_is_integer(v) ? json_integer_value(v) : 0);
}

static void did_change(struct kc_lsp_server *s, json_t *params)
{
	const char *uri = doc_uri(params);
	struct kc_lsp_doc *d = uri ? kc_lsp_doc_find(s, uri) : NULL;
	if (d == NULL) {
		kc_lsp_log(s, "didChange for a document that is not open: ignored");
		return;
	}
	json_t *v = json_object_get(json_object_get(params, "textDocument"), "version");
	if (json_is_integer(v) && json_integer_value(v) <= d->version) {
		kc_lsp_log(s, "didChange to version %lld of %s, which is at %lld: ignored",
			(long long)json_integer_value(v), uri, d->version);
		return;
	}
	size_t i;
	json_t *ch;
	json_array_foreach(json_object_get(params, "contentChanges"), i, ch) {
		json_t *text = json_object_get(ch, "text");
		json_t *range = json_object_get(ch, "range");
		if (!json_is_string(text)) {
			continue;
		}
		struct kc_lsp_pos a, b;
		if (range == NULL) {
			kc_lsp_doc_replace(d, json_string_value(text), json_string_length(text));
		} else if (!get_range(range, &a, &b) || !kc_lsp_doc_edit(d, a, b,
			json_string_value(text), json_string_length(text), s->enc)) {
			kc_lsp_log(s, "didChange with a bad range in %s: ignored", uri);
		}
	}
	if (json_is_integer(v)) {
		d->version = json_integer_value(v);
	}
	d->dirty = true;
}

static void did_close(struct kc_lsp_server *s, json_t *params)
{
	const char *uri = doc_uri(params);
	if (uri == NULL || kc_lsp_doc_find(s, uri) == NULL) {
		return;
	}
	kc_lsp_doc_close(s, uri);
	/* Its diagnostics go with it. */
	kc_lsp_notify(s, "textDocument/publishDiagnostics", json_pack("{s:s, s:[]}",
		"uri", uri, "diagnostics"));
}

/* ---- features ------------------------------------------------------------ */

/* A WorkspaceEdit of edits (stolen) to uri. */
static json_t *edit_for(const char *uri, json_t *edits)
{
	return json_pack("{s:{s:o}}", "changes", uri, edits);
}

static json_t *code_action(struct kc_lsp_server *s, json_t *params)
{
	const char *uri = doc_uri(params);
	struct kc_lsp_doc *d = uri ? kc_lsp_doc_find(s, uri) : NULL;
	struct kc_lsp_pos a, b;
	if (d == NULL || !get_range(json_object_get(params, "range"), &a, &b)) {
		return json_array();
	}
	struct kc_lsp_result *res = current(s, d, true);
	json_t *actions = json_array();
	size_t i;
	json_t *diag;
	bool any_fix = false;
	json_array_foreach(res->diagnostics, i, diag) {
		json_t *fix = json_array_get(res->fixes, i);
		any_fix = any_fix || json_is_array(fix);
		struct kc_lsp_pos ds, de;
		get_range(json_object_get(diag, "range"), &ds, &de);
		/* Diagnostics touching the asked range. */
		if (pos_cmp(de, a) < 0 || pos_cmp(ds, b) > 0) {
			continue;
		}
		const char *rule = json_string_value(json_object_get(diag, "code"));
		if (rule == NULL) {
			continue;
		}
		if (json_is_array(fix)) {
			bool safe = json_is_true(json_array_get(res->safe, i));
			json_t *act = json_pack("{s:s+, s:s, s:[O], s:b, s:o}",
				"title", safe ? "Fix: " : "Fix (unsafe): ",
				json_string_value(json_object_get(diag, "message")),
				"kind", "quickfix", "diagnostics", diag, "isPreferred", safe,
				"edit", edit_for(uri, json_incref(fix)));
			json_array_append_new(actions, act);
		}
		json_t *ig = json_array_get(res->ignores, i);
		if (json_is_object(ig)) {
			json_array_append_new(actions, json_pack("{s:s++, s:s, s:[O], s:o}",
				"title", "Ignore ", rule, " here", "kind", "quickfix",
				"diagnostics", diag, "edit", edit_for(uri, json_pack("[O]", ig))));
		}
	}
	if (any_fix && json_array_size(res->fix_all) > 0) {
		json_array_append_new(actions, json_pack("{s:s, s:s, s:o}",
			"title", "Fix all k8scheck findings in this file", "kind", "source.fixAll",
			"edit", edit_for(uri, json_incref(res->fix_all))));
	}
	return actions;
}

static char *join_md(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *r = malloc(la + lb + 8);
	if (r == NULL) {
		kc_arena_die_oom();
	}
	memcpy(r, a, la);
	memcpy(r + la, "\n\n---\n\n", 7);
	memcpy(r + la + 7, b, lb + 1);
	return r;
}

static json_t *hover(struct kc_lsp_server *s, json_t *params)
{
	const char *uri = doc_uri(params);
	struct kc_lsp_doc *d = uri ? kc_lsp_doc_find(s, uri) : NULL;
	struct kc_lsp_pos p;
	if (d == NULL || !get_pos(json_object_get(params, "position"), &p)) {
		return json_null();
	}
	struct kc_lsp_result *res = current(s, d, false);
	size_t i;
	json_t *diag;
	json_t *text = NULL, *range = NULL;
	json_array_foreach(res->diagnostics, i, diag) {
		struct kc_lsp_pos ds, de;
		json_t *h = json_array_get(res->hovers, i);
		get_range(json_object_get(diag, "range"), &ds, &de);
		if (!json_is_string(h) || pos_cmp(p, ds) < 0 || pos_cmp(p, de) > 0) {
			continue;
		}
		if (text == NULL) {
			text = json_string(json_string_value(h));
			range = json_object_get(diag, "range");
		} else if (strstr(json_string_value(text), json_string_value(h)) == NULL) {
			/* Several rules here: one section each. */
			char *both = join_md(json_string_value(text), json_string_value(h));
			json_decref(text);
			text = json_string(both);
			free(both);
		}
	}
	if (text == NULL) {
		return json_null();
	}
	return json_pack("{s:{s:s, s:o}, s:O}", "contents", "kind", "markdown",
		"value", text, "range", range);
}

/* ---- dispatch ------------------------------------------------------------ */

static bool is_cancelled(struct kc_lsp_server *s, json_t *id)
{
	size_t i;
	json_t *c;
	json_array_foreach(s->cancelled, i, c) {
		if (json_equal(c, id)) {
			json_array_remove(s->cancelled, i);
			return true;
		}
	}
	return false;
}

static void handle_request(struct kc_lsp_server *s, const char *method, json_t *id,
	json_t *params)
{
	if (strcmp(method, "initialize") == 0) {
		if (s->initialized) {
			kc_lsp_respond_error(s, id, RPC_INVALID_REQUEST, "initialize was already received");
			return;
		}
		s->initialized = true;
		kc_lsp_respond(s, id, initialize(s, params));
		return;
	}
	if (!s->initialized) {
		kc_lsp_respond_error(s, id, RPC_SERVER_NOT_INITIALIZED,
			"'%s' before initialize", method);
		return;
	}
	if (s->shutdown) {
		kc_lsp_respond_error(s, id, RPC_INVALID_REQUEST, "'%s' after shutdown", method);
		return;
	}
	if (is_cancelled(s, id)) {
		kc_lsp_respond_error(s, id, RPC_REQUEST_CANCELLED, "'%s' was cancelled", method);
		return;
	}
	if (strcmp(method, "shutdown") == 0) {
		s->shutdown = true;
		kc_lsp_respond(s, id, json_null());
	} else if (strcmp(method, "textDocument/codeAction") == 0) {
		kc_lsp_respond(s, id, code_action(s, params));
	} else if (strcmp(method, "textDocument/hover") == 0) {
		kc_lsp_respond(s, id, hover(s, params));
	} else {
		kc_lsp_respond_error(s, id, RPC_METHOD_NOT_FOUND, "unknown method '%s'", method);
	}
}

static void handle_notification(struct kc_lsp_server *s, const char *method, json_t *params)
{
	if (strcmp(method, "exit") == 0) {
		s->exit = true;
		return;
	}
	if (!s->initialized || s->shutdown) {
		kc_lsp_log(s, "'%s' %s: dropped", method, s->shutdown ? "after shutdown" :
			"before initialize");
		return;
	}
	if (strcmp(method, "initialized") == 0) {
		initialized(s);
	} else if (strcmp(method, "textDocument/didOpen") == 0) {
		did_open(s, params);
	} else if (strcmp(method, "textDocument/didChange") == 0) {
		did_change(s, params);
	} else if (strcmp(method, "textDocument/didSave") == 0) {
		const char *uri = doc_uri(params);
		struct kc_lsp_doc *d = uri ? kc_lsp_doc_find(s, uri) : NULL;
		if (d != NULL) {
			d->dirty = true;
		}
	} else if (strcmp(method, "textDocument/didClose") == 0) {
		did_close(s, params);
	} else if (strcmp(method, "workspace/didChangeConfiguration") == 0 ||
		strcmp(method, "workspace/didChangeWatchedFiles") == 0) {
		kc_lsp_log(s, "%s: re-reading configurations", method);
		recheck_all(s);
	} else if (strcmp(method, "$/cancelRequest") != 0) {
		/* $/ notifications may be ignored; so may unknown ones. */
		kc_lsp_log(s, "notification '%s' ignored", method);
	}
}

/* One parsed message. msg is borrowed. */
static void handle(struct kc_lsp_server *s, json_t *msg)
{
	if (!json_is_object(msg)) {
		kc_lsp_respond_error(s, NULL, RPC_INVALID_REQUEST, "a message must be a JSON object");
		return;
	}
	json_t *id = json_object_get(msg, "id");
	json_t *method = json_object_get(msg, "method");
	json_t *params = json_object_get(msg, "params");
	bool id_ok = id == NULL || json_is_string(id) || json_is_integer(id);
	if (method == NULL && id != NULL && (json_object_get(msg, "result") ||
		json_object_get(msg, "error"))) {
		return;   /* a response to one of our requests */
	}
	if (!json_is_string(method) || !id_ok ||
		!json_is_string(json_object_get(msg, "jsonrpc")) ||
		strcmp(json_string_value(json_object_get(msg, "jsonrpc")), "2.0") != 0 ||
		(params != NULL && !json_is_object(params) && !json_is_array(params) &&
		!json_is_null(params))) {
		kc_lsp_respond_error(s, id_ok ? id : NULL, RPC_INVALID_REQUEST,
			"not a JSON-RPC 2.0 request or notification");
		return;
	}
	if (id != NULL) {
		handle_request(s, json_string_value(method), id, params);
	} else {
		handle_notification(s, json_string_value(method), params);
	}
}

int kc_lsp_serve(struct kc_lsp_reader *r, FILE *out, FILE *log)
{
	struct kc_lsp_server s = { .out = out, .log = log, .cancelled = json_array() };
	json_t *batch[BATCH_MAX];
	bool end = false;
	while (!end && !s.exit && !s.out_failed) {
		/* A batch: the next message, and whatever else is already waiting. */
		unsigned n = 0;
		do {
			const char *body;
			size_t len;
			enum kc_lsp_read st = kc_lsp_reader_next(r, &body, &len);
			if (st == KC_LSP_EOF || st == KC_LSP_IO_ERROR) {
				kc_lsp_log(&s, "end of input without exit");
				end = true;
				break;
			}
			if (st == KC_LSP_BAD_HEADER) {
				kc_lsp_respond_error(&s, NULL, RPC_PARSE_ERROR,
					"a header without a valid Content-Length");
				continue;
			}
			if (st == KC_LSP_TOO_LARGE) {
				kc_lsp_respond_error(&s, NULL, RPC_INVALID_REQUEST,
					"a message of %llu bytes; the limit is %zu", r->last_length,
					r->limit);
				continue;
			}
			json_error_t err;
			json_t *msg = json_loadb(body, len, JSON_ALLOW_NUL, &err);
			if (msg == NULL) {
				kc_lsp_respond_error(&s, NULL, RPC_PARSE_ERROR, "invalid JSON: %s",
					err.text);
				continue;
			}
			json_t *m = json_object_get(msg, "method");
			json_t *cid = json_object_get(json_object_get(msg, "params"), "id");
			if (json_is_string(m) && cid != NULL &&
				strcmp(json_string_value(m), "$/cancelRequest") == 0) {
				json_array_append(s.cancelled, cid);
			}
			batch[n++] = msg;
		} while (n < BATCH_MAX && kc_lsp_reader_ready(r));
		for (unsigned i = 0; i < n; i++) {
			if (!s.exit) {
				handle(&s, batch[i]);
			}
			json_decref(batch[i]);
		}
		/* Cancellations of requests already answered mean nothing now. */
		json_array_clear(s.cancelled);
		if (s.exit || kc_lsp_reader_ready(r)) {
			continue;   /* more is waiting: check once it is all in */
		}
		for (unsigned i = 0; i < s.ndocs && !s.shutdown; i++) {
			if (s.docs[i]->dirty) {
				publish(&s, s.docs[i]);
			}
		}
	}
	kc_lsp_log(&s, "%llu checks; exiting with %d", s.checks, s.exit && s.shutdown ? 0 : 1);
	int rc = s.exit && s.shutdown && !s.out_failed ? 0 : 1;
	kc_lsp_docs_destroy(&s);
	kc_lsp_configs_clear(&s);
	json_decref(s.cancelled);
	return rc;
}

/* ---- k8scheck lsp ------------------------------------------------------- */

static ssize_t read_fd(void *ctx, char *buf, size_t n)
{
	return read(*(int *)ctx, buf, n);
}

int kc_lsp_main(int argc, char **argv, FILE *in, FILE *out, FILE *err)
{
	static const struct option opts[] = {
		{ "log", required_argument, NULL, 'l' },
		{ "stdio", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *log_path = NULL;
	optind = 0;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		if (c == 'l') {
			log_path = optarg;
		} else if (c == 's') {
			/* The transport editors' clients ask for: the only one. */
		} else if (c == 'h') {
			fputs("usage: k8scheck lsp [--stdio] [--log FILE]\n"
				"Serve the Language Server Protocol on standard input and output.\n",
				out);
			return KC_EXIT_OK;
		} else {
			fprintf(err, "k8scheck: error: lsp: unknown option '%s'\n"
				"Try 'k8scheck lsp --help' for more information.\n",
				argv[optind - 1]);
			return KC_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(err, "k8scheck: error: lsp takes no arguments ('%s')\n"
			"Try 'k8scheck lsp --help' for more information.\n", argv[optind]);
		return KC_EXIT_USAGE;
	}
	FILE *log = err;
	if (log_path != NULL && (log = fopen(log_path, "a")) == NULL) {
		fprintf(err, "k8scheck: error: cannot open '%s': %s\n", log_path,
			strerror(errno));
		return KC_EXIT_USAGE;
	}
	int fd = fileno(in);
	struct kc_lsp_reader r;
	kc_lsp_reader_init(&r, read_fd, &fd, fd, 0);
	int rc = kc_lsp_serve(&r, out, log);
	kc_lsp_reader_finish(&r);
	if (log != err) {
		fclose(log);
	}
	return rc;
}
