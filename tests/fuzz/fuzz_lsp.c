/*
 * libFuzzer target for the language server's input side: the bytes are a
 * client's standard input, read by the framing reader (in small chunks,
 * so headers and bodies split anywhere) and served by kc_lsp_serve().
 * Whatever arrives, the server must not crash, must end, and must write
 * nothing but framed JSON-RPC 2.0 messages: the output is read back with
 * the same reader and every body parsed.
 *
 * A broken invariant aborts (assert is kept: the fuzz build is never NDEBUG).
 */
#include <assert.h>
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8scheck/lsp.h"

#ifdef NDEBUG
#error "fuzz targets must not be built with NDEBUG"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct mem {
	const char *data;
	size_t len, pos, chunk;
};

static ssize_t mem_read(void *ctx, char *buf, size_t n)
{
	struct mem *m = ctx;
	size_t k = m->len - m->pos;
	k = k < n ? k : n;
	k = k < m->chunk ? k : m->chunk;
	memcpy(buf, m->data + m->pos, k);
	m->pos += k;
	return (ssize_t)k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The first byte picks the read size (1..256), so frames split anywhere. */
	size_t chunk = size > 0 ? (size_t)data[0] + 1 : 1;
	struct mem in = { (const char *)data + (size > 0), size - (size > 0), 0, chunk };
	char *out_buf = NULL;
	size_t out_len = 0;
	FILE *out = open_memstream(&out_buf, &out_len);
	assert(out != NULL);
	struct kc_lsp_reader r;
	/* A small limit, so the oversized path is reachable. */
	kc_lsp_reader_init(&r, mem_read, &in, -1, 4096);
	int rc = kc_lsp_serve(&r, out, NULL);
	assert(rc == 0 || rc == 1);
	kc_lsp_reader_finish(&r);
	fclose(out);

	/* Everything written is framed JSON-RPC 2.0. */
	struct mem back = { out_buf, out_len, 0, 65536 };
	struct kc_lsp_reader o;
	kc_lsp_reader_init(&o, mem_read, &back, -1, (size_t)1 << 30);
	const char *body;
	size_t len;
	enum kc_lsp_read st;
	while ((st = kc_lsp_reader_next(&o, &body, &len)) == KC_LSP_MESSAGE) {
		json_error_t err;
		json_t *msg = json_loadb(body, len, JSON_ALLOW_NUL, &err);
		assert(msg != NULL && json_is_object(msg));
		json_t *v = json_object_get(msg, "jsonrpc");
		assert(json_is_string(v) && strcmp(json_string_value(v), "2.0") == 0);
		json_decref(msg);
	}
	assert(st == KC_LSP_EOF && back.pos == back.len);
	kc_lsp_reader_finish(&o);
	free(out_buf);
	return 0;
}
