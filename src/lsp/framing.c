/*
 * The base protocol: "Content-Length: N\r\n" (other headers ignored), an
 * empty line, then N bytes of JSON. Memory stays bounded whatever arrives:
 * a header block is at most HEADER_MAX bytes, a body at most r->limit;
 * larger ones are skipped as they arrive, never buffered.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "k8scheck/arena.h"
#include "k8scheck/lsp.h"

#define HEADER_MAX 4096

void kc_lsp_reader_init(struct kc_lsp_reader *r, kc_lsp_read_fn read, void *ctx,
	int fd, size_t limit)
{
	*r = (struct kc_lsp_reader){
		.read = read, .ctx = ctx, .fd = fd,
		.limit = limit ? limit : KC_LSP_MAX_MESSAGE,
	};
}

void kc_lsp_reader_finish(struct kc_lsp_reader *r)
{
	free(r->buf);
	r->buf = NULL;
	r->pos = r->len = r->cap = 0;
}

/* Read more input, keeping at least want bytes of room. False at the end. */
static bool fill(struct kc_lsp_reader *r, size_t want)
{
	if (r->eof) {
		return false;
	}
	if (r->pos > 0) {
		memmove(r->buf, r->buf + r->pos, r->len - r->pos);
		r->len -= r->pos;
		r->pos = 0;
	}
	if (want < 65536) {
		want = 65536;
	}
	if (r->cap - r->len < want) {
		size_t cap = r->len + want;
		char *b = realloc(r->buf, cap);
		if (b == NULL) {
			kc_arena_die_oom();
		}
		r->buf = b;
		r->cap = cap;
	}
	for (;;) {
		ssize_t n = r->read(r->ctx, r->buf + r->len, r->cap - r->len);
		if (n > 0) {
			r->len += (size_t)n;
			return true;
		}
		if (n < 0 && errno == EINTR) {
			continue;
		}
		r->eof = true;
		return false;
	}
}

/* Discard up to r->skip buffered bytes. */
static void discard(struct kc_lsp_reader *r)
{
	size_t have = r->len - r->pos;
	size_t n = r->skip < have ? (size_t)r->skip : have;
	r->pos += n;
	r->skip -= n;
}

/* The end of the header block in buf[pos, len): index just past the empty
 * line, or 0 if it is not all there. Accepts bare "\n" line ends too. */
static size_t header_end(const struct kc_lsp_reader *r)
{
	for (size_t i = r->pos; i + 1 < r->len; i++) {
		if (r->buf[i] != '\n') {
			continue;
		}
		if (r->buf[i + 1] == '\n') {
			return i + 2;
		}
		if (r->buf[i + 1] == '\r' && i + 2 < r->len && r->buf[i + 2] == '\n') {
			return i + 3;
		}
	}
	return 0;
}

/* Content-Length from the header block h[0, n), or false if absent,
 * repeated with different values, or not a plain decimal number. */
static bool content_length(const char *h, size_t n, unsigned long long *out)
{
	bool found = false;
	unsigned long long value = 0;
	for (size_t i = 0; i < n;) {
		const char *line = h + i;
		const char *nl = memchr(line, '\n', n - i);
		size_t len = nl ? (size_t)(nl - line) : n - i;
		i += len + 1;
		if (len > 0 && line[len - 1] == '\r') {
			len--;
		}
		if (len == 0) {
			continue;
		}
		const char *colon = memchr(line, ':', len);
		if (colon == NULL) {
			return false;   /* not a header at all */
		}
		static const char name[] = "Content-Length";
		if ((size_t)(colon - line) != sizeof(name) - 1 ||
			strncasecmp(line, name, sizeof(name) - 1) != 0) {
			continue;   /* Content-Type and others: ignored */
		}
		const char *v = colon + 1, *end = line + len;
		while (v < end && (*v == ' ' || *v == '\t')) {
			v++;
		}
		while (end > v && (end[-1] == ' ' || end[-1] == '\t')) {
			end--;
		}
		if (v == end) {
			return false;
		}
		unsigned long long x = 0;
		for (; v < end; v++) {
			if (*v < '0' || *v > '9' || x > (~0ULL - 9) / 10) {
				return false;
			}
			x = x * 10 + (unsigned long long)(*v - '0');
		}
		if (found && x != value) {
			return false;
		}
		found = true;
		value = x;
	}
	if (found) {
		*out = value;
	}
	return found;
}

enum kc_lsp_read kc_lsp_reader_next(struct kc_lsp_reader *r, const char **body,
	size_t *len)
{
	/* Finish skipping an oversized body first. */
	while (r->skip > 0) {
		discard(r);
		if (r->skip > 0 && !fill(r, 0)) {
			return KC_LSP_EOF;
		}
	}
	size_t hend;
	bool oversized = false;
	while ((hend = header_end(r)) == 0) {
		if (r->len - r->pos > HEADER_MAX) {
			/* Too long to be a header: drop it but the last bytes, which
			 * may begin the terminator, and report once it ends. */
			r->pos = r->len - 2;
			oversized = true;
		}
		if (!fill(r, 0)) {
			return KC_LSP_EOF;
		}
	}
	unsigned long long n = 0;
	bool ok = !oversized && content_length(r->buf + r->pos, hend - r->pos, &n);
	r->pos = hend;
	if (!ok) {
		return KC_LSP_BAD_HEADER;
	}
	r->last_length = n;
	if (n > r->limit) {
		r->skip = n;
		discard(r);
		return KC_LSP_TOO_LARGE;
	}
	while (r->len - r->pos < n) {
		if (!fill(r, (size_t)n - (r->len - r->pos))) {
			return KC_LSP_EOF;
		}
	}
	*body = r->buf + r->pos;
	*len = (size_t)n;
	r->pos += (size_t)n;
	return KC_LSP_MESSAGE;
}

bool kc_lsp_reader_ready(struct kc_lsp_reader *r)
{
	if (r->len > r->pos) {
		return true;
	}
	if (r->fd < 0 || r->eof) {
		return false;
	}
	struct pollfd p = { .fd = r->fd, .events = POLLIN };
	return poll(&p, 1, 0) > 0;
}

bool kc_lsp_write_message(FILE *out, const char *body, size_t len)
{
	fprintf(out, "Content-Length: %zu\r\n\r\n", len);
	fwrite(body, 1, len, out);
	return fflush(out) == 0 && !ferror(out);
}
