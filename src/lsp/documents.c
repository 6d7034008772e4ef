/*
 * Open documents: the client's buffers, by URI, with their versions.
 * Edits arrive in protocol positions of the negotiated encoding and are
 * applied in place.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct kc_lsp_doc *kc_lsp_doc_find(struct kc_lsp_server *s, const char *uri)
{
	for (unsigned i = 0; i < s->ndocs; i++) {
		if (strcmp(s->docs[i]->uri, uri) == 0) {
			return s->docs[i];
		}
	}
	return NULL;
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (p == NULL) {
		kc_arena_die_oom();
	}
	return p;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(xmalloc(n), s, n);
}

static void reserve(struct kc_lsp_doc *d, size_t len)
{
	if (len + 1 <= d->cap) {
		return;
	}
	size_t cap = d->cap ? d->cap : 256;
	while (cap < len + 1) {
		cap *= 2;
	}
	char *t = realloc(d->text, cap);
	if (t == NULL) {
		kc_arena_die_oom();
	}
	d->text = t;
	d->cap = cap;
}

void kc_lsp_doc_replace(struct kc_lsp_doc *d, const char *text, size_t len)
{
	reserve(d, len);
	memcpy(d->text, text, len);
	d->text[len] = '\0';
	d->len = len;
	/* A full replacement is also how a buffer shrinks back. */
	if (d->cap > 4 * (len + 1) && d->cap > 4096) {
		char *t = realloc(d->text, len + 1);
		if (t != NULL) {
			d->text = t;
			d->cap = len + 1;
		}
	}
}

bool kc_lsp_doc_edit(struct kc_lsp_doc *d, struct kc_lsp_pos start, struct kc_lsp_pos end,
	const char *text, size_t len, enum kc_lsp_encoding enc)
{
	struct kc_lsp_lines l;
	kc_lsp_lines_init(&l, d->text, d->len, false);
	size_t a = kc_lsp_offset(d->text, d->len, &l, start, enc);
	size_t b = kc_lsp_offset(d->text, d->len, &l, end, enc);
	kc_lsp_lines_finish(&l);
	if (b < a) {
		return false;
	}
	size_t n = d->len - (b - a) + len;
	reserve(d, n);
	memmove(d->text + a + len, d->text + b, d->len - b);
	memcpy(d->text + a, text, len);
	d->len = n;
	d->text[n] = '\0';
	return true;
}

static int hex(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
		c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

char *kc_lsp_uri_to_path(const char *uri)
{
	static const char scheme[] = "file://";
	if (strncmp(uri, scheme, sizeof(scheme) - 1) != 0) {
		return NULL;
	}
	const char *p = uri + sizeof(scheme) - 1;
	if (*p != '/') {
		return NULL;   /* file://host/...: not a local file */
	}
	char *out = xmalloc(strlen(p) + 1), *o = out;
	for (; *p != '\0' && *p != '?' && *p != '#'; p++) {
		int h, l;
		if (*p == '%' && (h = hex(p[1])) >= 0 && (l = hex(p[2])) >= 0 &&
			(h || l)) {
			*o++ = (char)(h * 16 + l);
			p += 2;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return out;
}

struct kc_lsp_doc *kc_lsp_doc_open(struct kc_lsp_server *s, const char *uri,
	const char *text, size_t len, long long version)
{
	struct kc_lsp_doc *d = kc_lsp_doc_find(s, uri);
	if (d == NULL) {
		if (s->ndocs == s->docs_cap) {
			s->docs_cap = s->docs_cap ? 2 * s->docs_cap : 8;
			struct kc_lsp_doc **n = realloc(s->docs, s->docs_cap * sizeof(*n));
			if (n == NULL) {
				kc_arena_die_oom();
			}
			s->docs = n;
		}
		d = xmalloc(sizeof(*d));
		*d = (struct kc_lsp_doc){ .uri = xstrdup(uri), .path = kc_lsp_uri_to_path(uri) };
		s->docs[s->ndocs++] = d;
	}
	kc_lsp_doc_replace(d, text, len);
	d->version = version;
	d->dirty = true;
	kc_lsp_result_destroy(d->result);
	d->result = NULL;
	return d;
}

static void doc_destroy(struct kc_lsp_doc *d)
{
	kc_lsp_result_destroy(d->result);
	free(d->uri);
	free(d->path);
	free(d->text);
	free(d);
}

void kc_lsp_doc_close(struct kc_lsp_server *s, const char *uri)
{
	for (unsigned i = 0; i < s->ndocs; i++) {
		if (strcmp(s->docs[i]->uri, uri) == 0) {
			doc_destroy(s->docs[i]);
			s->docs[i] = s->docs[--s->ndocs];
			return;
		}
	}
}

void kc_lsp_docs_destroy(struct kc_lsp_server *s)
{
	for (unsigned i = 0; i < s->ndocs; i++) {
		doc_destroy(s->docs[i]);
	}
	free(s->docs);
	s->docs = NULL;
	s->ndocs = s->docs_cap = 0;
}

void kc_lsp_result_destroy(struct kc_lsp_result *res)
{
	if (res == NULL) {
		return;
	}
	json_decref(res->diagnostics);
	json_decref(res->fixes);
	json_decref(res->safe);
	json_decref(res->ignores);
	json_decref(res->hovers);
	json_decref(res->fix_all);
	free(res);
}
