#ifndef K8SCHECK_LSP_H
#define K8SCHECK_LSP_H

/*
 * `k8scheck lsp`: a Language Server Protocol 3.17 server over standard
 * input and output. Messages are JSON-RPC 2.0 bodies framed by a
 * `Content-Length` header (parsed and written with jansson). Diagnostics,
 * quick fixes and hover texts come from the same checker as `k8scheck
 * check` and `k8scheck fix`.
 *
 * Positions: the checker counts 1-based lines and 1-based columns in
 * characters (Unicode code points, as libyaml does); the protocol counts
 * 0-based lines and 0-based characters in the negotiated encoding (UTF-16
 * code units by default, UTF-8 bytes when the client offers them). The
 * functions below convert between the two through byte offsets.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "k8scheck/locator.h"

/* ---- position encodings ------------------------------------------------- */

enum kc_lsp_encoding {
	KC_LSP_UTF16,            /* the protocol's default */
	KC_LSP_UTF8,
	KC_LSP_ENCODING__COUNT,
};

/** "utf-16" or "utf-8", as written in positionEncoding. */
const char *kc_lsp_encoding_name(enum kc_lsp_encoding e);

/** A protocol position: 0-based line, 0-based character in some encoding. */
struct kc_lsp_pos {
	unsigned line;
	unsigned character;
};

/**
 * Where each line of a text starts. Protocol lines end at "\n", "\r\n" or
 * "\r"; the checker's lines (yaml_breaks) also end at U+0085, U+2028 and
 * U+2029, as libyaml counts them, and its line 1 starts after a UTF-8 byte
 * order mark.
 */
struct kc_lsp_lines {
	size_t *start;           /* byte offset of each line; caller frees (finish) */
	unsigned count;          /* at least 1 */
};

/** Index text[0, len) (borrowed; not kept). Out of memory is fatal. */
void kc_lsp_lines_init(struct kc_lsp_lines *l, const char *text, size_t len,
	bool yaml_breaks);

/** Free the index. Accepts a zeroed one. */
void kc_lsp_lines_finish(struct kc_lsp_lines *l);

/**
 * The byte offset of protocol position p in text, whose protocol lines are
 * l. Out-of-range positions are clamped as the protocol asks: a line past
 * the end gives len, a character past its line's end gives the line's end
 * (before its line break); a character inside a multi-unit character gives
 * that character's start.
 */
size_t kc_lsp_offset(const char *text, size_t len, const struct kc_lsp_lines *l,
	struct kc_lsp_pos p, enum kc_lsp_encoding enc);

/** The protocol position of byte offset off (clamped to len) in text. */
struct kc_lsp_pos kc_lsp_pos_of(const char *text, size_t len,
	const struct kc_lsp_lines *l, size_t off, enum kc_lsp_encoding enc);

/**
 * The byte offset of the checker's position p (1-based line, 1-based column
 * in characters) in text, whose checker lines (yaml_breaks) are yl. Clamped
 * like kc_lsp_offset().
 */
size_t kc_lsp_checker_offset(const char *text, size_t len,
	const struct kc_lsp_lines *yl, struct kc_pos p);

/* ---- framing ------------------------------------------------------------ */

/** Read up to n bytes into buf: bytes read, 0 at end of input, -1 on error. */
typedef ssize_t (*kc_lsp_read_fn)(void *ctx, char *buf, size_t n);

/** Default bound on one message's body (bytes). */
#define KC_LSP_MAX_MESSAGE ((size_t)64 << 20)

enum kc_lsp_read {
	KC_LSP_MESSAGE,          /* *body holds one message */
	KC_LSP_EOF,              /* input ended (a partial message is dropped) */
	KC_LSP_BAD_HEADER,       /* a header block without a valid Content-Length
	                          * was skipped; the next call reads on */
	KC_LSP_TOO_LARGE,        /* Content-Length over the limit: the body is
	                          * skipped as it arrives; the next call reads on */
	KC_LSP_IO_ERROR,         /* read failed */
};

/** Reads framed messages from a byte source, with bounded memory. */
struct kc_lsp_reader {
	kc_lsp_read_fn read;
	void *ctx;
	int fd;                  /* polled by kc_lsp_reader_ready(), or -1 */
	size_t limit;            /* largest body accepted */
	char *buf;               /* caller frees with kc_lsp_reader_finish() */
	size_t pos, len, cap;
	unsigned long long skip; /* body bytes still to discard */
	unsigned long long last_length;  /* Content-Length of the last message */
	bool eof;
};

/**
 * Set up r reading through read(ctx) (fd >= 0: the descriptor it reads,
 * for kc_lsp_reader_ready()). limit 0 means KC_LSP_MAX_MESSAGE.
 */
void kc_lsp_reader_init(struct kc_lsp_reader *r, kc_lsp_read_fn read, void *ctx,
	int fd, size_t limit);

/** Free the buffer. Accepts a zeroed reader. */
void kc_lsp_reader_finish(struct kc_lsp_reader *r);

/**
 * Read the next message. On KC_LSP_MESSAGE, *body and *len give its bytes
 * (not NUL-terminated), borrowed until the next call.
 */
enum kc_lsp_read kc_lsp_reader_next(struct kc_lsp_reader *r, const char **body,
	size_t *len);

/** True if more input is waiting (buffered, or readable on fd without blocking). */
bool kc_lsp_reader_ready(struct kc_lsp_reader *r);

/** Write one framed message (body of len bytes) to out and flush; false on error. */
bool kc_lsp_write_message(FILE *out, const char *body, size_t len);

/* ---- the server --------------------------------------------------------- */

/**
 * Serve the protocol: messages from r, protocol messages only to out, logs
 * to log (NULL: none). Returns the exit status the protocol asks for: 0
 * after `shutdown` then `exit`, 1 otherwise (exit without shutdown, end of
 * input, or out unwritable).
 */
int kc_lsp_serve(struct kc_lsp_reader *r, FILE *out, FILE *log);

/**
 * `k8scheck lsp [--stdio] [--log FILE]`: argv[0] is "lsp". Reads the
 * protocol from in's file descriptor, writes it to out, logs to err or
 * FILE. Returns an enum kc_exit value.
 */
int kc_lsp_main(int argc, char **argv, FILE *in, FILE *out, FILE *err);

#endif
