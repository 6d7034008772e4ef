/*
 * JSON-RPC 2.0 messages out: responses, errors, notifications. Each goes
 * out whole and flushed; once standard output fails, the server stops
 * writing and ends (there is no one left to talk to).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void kc_lsp_log(struct kc_lsp_server *s, const char *fmt, ...)
{
	if (s->log == NULL) {
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	fputs("k8scheck lsp: ", s->log);
	vfprintf(s->log, fmt, ap);
	fputc('\n', s->log);
	va_end(ap);
	fflush(s->log);
}

void kc_lsp_send(struct kc_lsp_server *s, json_t *msg)
{
	json_object_set_new(msg, "jsonrpc", json_string("2.0"));
	/* Compact, in UTF-8 as the protocol says (no JSON_ENSURE_ASCII); jansson
	 * escapes a NUL inside a string. JSON_ALLOW_NUL is a decoding flag:
	 * passed here, its bit asked for an indent of 16 (7x larger output). */
	char *body = json_dumps(msg, JSON_COMPACT);
	json_decref(msg);
	if (body == NULL) {
		kc_arena_die_oom();
	}
	if (!s->out_failed && !kc_lsp_write_message(s->out, body, strlen(body))) {
		s->out_failed = true;
		kc_lsp_log(s, "cannot write to the client; stopping");
	}
	free(body);
}

void kc_lsp_respond(struct kc_lsp_server *s, json_t *id, json_t *result)
{
	json_t *m = json_object();
	json_object_set(m, "id", id ? id : json_null());
	json_object_set_new(m, "result", result ? result : json_null());
	kc_lsp_send(s, m);
}

void kc_lsp_respond_error(struct kc_lsp_server *s, json_t *id, int code, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	kc_lsp_log(s, "error %d: %s", code, msg);
	json_t *m = json_object();
	json_object_set(m, "id", id ? id : json_null());
	json_object_set_new(m, "error", json_pack("{s:i, s:s}", "code", code,
		"message", msg));
	kc_lsp_send(s, m);
}

void kc_lsp_notify(struct kc_lsp_server *s, const char *method, json_t *params)
{
	json_t *m = json_object();
	json_object_set_new(m, "method", json_string(method));
	json_object_set_new(m, "params", params);
	kc_lsp_send(s, m);
}

json_t *kc_lsp_json_str(const char *s)
{
	json_t *j = json_string(s ? s : "");
	if (j != NULL) {
		return j;
	}
	/* Not UTF-8 (a byte from a file that libyaml let through): show it
	 * as U+FFFD rather than drop the message. */
	size_t n = strlen(s);
	char *c = malloc(3 * n + 1), *o = c;
	if (c == NULL) {
		kc_arena_die_oom();
	}
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x80) {
			*o++ = (char)*p;
		} else {
			memcpy(o, "\xEF\xBF\xBD", 3);
			o += 3;
		}
	}
	*o = '\0';
	j = json_string(c);
	free(c);
	return j;
}
