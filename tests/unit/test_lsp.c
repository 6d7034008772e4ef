#include <stdlib.h>
#include <string.h>

#include "support.h"

#include "k8scheck/lsp.h"
#include "../../src/lsp/internal.h"

/* "é" is 2 UTF-8 bytes and 1 UTF-16 unit, "日本" 3+3 bytes and 2 units,
 * the emoji 4 bytes and a surrogate pair (2 units). */
static const char mixed[] =
	"kind: Pod\n"
	"  name: \"é日本\xF0\x9F\x98\x80x\"\r\n"
	"last";

/* Byte offset of the 'x' after the emoji on line 2 (0-based line 1). */
static size_t x_off(void)
{
	return (size_t)(strchr(mixed, 'x') - mixed);
}

START_TEST(checker_columns_to_utf16_and_utf8)
{
	struct kc_lsp_lines pl, yl;
	size_t len = strlen(mixed);
	kc_lsp_lines_init(&pl, mixed, len, false);
	kc_lsp_lines_init(&yl, mixed, len, true);
	ck_assert_uint_eq(pl.count, 3);
	/* The checker: line 2, column 14 is 'x' ("  name: \"" is 9 characters,
	 * then é, 日, 本, the emoji: 4 more). */
	size_t off = kc_lsp_checker_offset(mixed, len, &yl, (struct kc_pos){ 2, 14 });
	ck_assert_uint_eq(off, x_off());
	struct kc_lsp_pos u16 = kc_lsp_pos_of(mixed, len, &pl, off, KC_LSP_UTF16);
	ck_assert_uint_eq(u16.line, 1);
	ck_assert_uint_eq(u16.character, 9 + 1 + 2 + 2);
	struct kc_lsp_pos u8 = kc_lsp_pos_of(mixed, len, &pl, off, KC_LSP_UTF8);
	ck_assert_uint_eq(u8.line, 1);
	ck_assert_uint_eq(u8.character, 9 + 2 + 6 + 4);
	/* And back. */
	ck_assert_uint_eq(kc_lsp_offset(mixed, len, &pl, u16, KC_LSP_UTF16), off);
	ck_assert_uint_eq(kc_lsp_offset(mixed, len, &pl, u8, KC_LSP_UTF8), off);
	kc_lsp_lines_finish(&pl);
	kc_lsp_lines_finish(&yl);
}
END_TEST

START_TEST(every_character_round_trips)
{
	struct kc_lsp_lines pl, yl;
	size_t len = strlen(mixed);
	kc_lsp_lines_init(&pl, mixed, len, false);
	kc_lsp_lines_init(&yl, mixed, len, true);
	/* Walk line 2 character by character: checker column c is the c-th
	 * character, and both encodings map it to the same byte. */
	size_t start = pl.start[1];
	unsigned col = 1, u16 = 0, u8 = 0;
	for (size_t i = start; mixed[i] != '\r'; col++) {
		unsigned char b = (unsigned char)mixed[i];
		size_t n = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
		ck_assert_uint_eq(kc_lsp_checker_offset(mixed, len, &yl,
			(struct kc_pos){ 2, col }), i);
		struct kc_lsp_pos p = kc_lsp_pos_of(mixed, len, &pl, i, KC_LSP_UTF16);
		ck_assert_uint_eq(p.character, u16);
		p = kc_lsp_pos_of(mixed, len, &pl, i, KC_LSP_UTF8);
		ck_assert_uint_eq(p.character, u8);
		i += n;
		u16 += n == 4 ? 2 : 1;
		u8 += (unsigned)n;
	}
	kc_lsp_lines_finish(&pl);
	kc_lsp_lines_finish(&yl);
}
END_TEST

START_TEST(clamping)
{
	struct kc_lsp_lines pl;
	size_t len = strlen(mixed);
	kc_lsp_lines_init(&pl, mixed, len, false);
	/* Past the end of a line: its end, before "\r\n". */
	size_t eol = (size_t)(strchr(mixed, '\r') - mixed);
	ck_assert_uint_eq(kc_lsp_offset(mixed, len, &pl, (struct kc_lsp_pos){ 1, 999 },
		KC_LSP_UTF16), eol);
	/* Past the last line: the end of the text. */
	ck_assert_uint_eq(kc_lsp_offset(mixed, len, &pl, (struct kc_lsp_pos){ 9, 0 },
		KC_LSP_UTF16), len);
	/* Inside the surrogate pair: the emoji's start. */
	size_t emoji = x_off() - 4;
	ck_assert_uint_eq(kc_lsp_offset(mixed, len, &pl, (struct kc_lsp_pos){ 1, 13 },
		KC_LSP_UTF16), emoji);
	/* Inside a UTF-8 sequence: its start. */
	ck_assert_uint_eq(kc_lsp_offset(mixed, len, &pl, (struct kc_lsp_pos){ 1, 10 },
		KC_LSP_UTF8), emoji - 8);
	/* The offset of "\n" inside "\r\n" is the end of its line. */
	struct kc_lsp_pos p = kc_lsp_pos_of(mixed, len, &pl, eol + 1, KC_LSP_UTF16);
	ck_assert_uint_eq(p.line, 1);
	ck_assert_uint_eq(p.character, 16);
	kc_lsp_lines_finish(&pl);
}
END_TEST

START_TEST(yaml_line_breaks_and_bom)
{
	/* libyaml ends lines at U+2028 too; the protocol does not. */
	static const char t[] = "\xEF\xBB\xBF" "a: 1\xE2\x80\xA8" "b: 2\n";
	size_t len = strlen(t);
	struct kc_lsp_lines pl, yl;
	kc_lsp_lines_init(&pl, t, len, false);
	kc_lsp_lines_init(&yl, t, len, true);
	ck_assert_uint_eq(pl.count, 2);
	ck_assert_uint_eq(yl.count, 3);
	/* Checker 1:1 follows the byte order mark; 2:1 is 'b'. */
	ck_assert_uint_eq(kc_lsp_checker_offset(t, len, &yl, (struct kc_pos){ 1, 1 }), 3);
	size_t b = kc_lsp_checker_offset(t, len, &yl, (struct kc_pos){ 2, 1 });
	ck_assert_int_eq(t[b], 'b');
	/* For the protocol, 'b' is on line 0, after BOM, "a: 1" and U+2028. */
	struct kc_lsp_pos p = kc_lsp_pos_of(t, len, &pl, b, KC_LSP_UTF16);
	ck_assert_uint_eq(p.line, 0);
	ck_assert_uint_eq(p.character, 6);
	kc_lsp_lines_finish(&pl);
	kc_lsp_lines_finish(&yl);
}
END_TEST

/* ---- framing ---- */

struct mem {
	const char *data;
	size_t len, pos;
	size_t chunk;            /* at most this many bytes per read */
};

static ssize_t mem_read(void *ctx, char *buf, size_t n)
{
	struct mem *m = ctx;
	size_t k = m->len - m->pos;
	if (k > n) {
		k = n;
	}
	if (m->chunk && k > m->chunk) {
		k = m->chunk;
	}
	memcpy(buf, m->data + m->pos, k);
	m->pos += k;
	return (ssize_t)k;
}

static enum kc_lsp_read next(struct kc_lsp_reader *r, char *out, size_t size)
{
	const char *body;
	size_t len;
	enum kc_lsp_read st = kc_lsp_reader_next(r, &body, &len);
	out[0] = '\0';
	if (st == KC_LSP_MESSAGE) {
		ck_assert_uint_lt(len, size);
		memcpy(out, body, len);
		out[len] = '\0';
	}
	return st;
}

START_TEST(reader_frames)
{
	static const char in[] =
		"Content-Length: 2\r\n\r\n{}"
		"content-length:3\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n[1]"
		"Content-Length: x\r\n\r\n"          /* not a number */
		"Content-Type: a\r\n\r\n"            /* no length */
		"Content-Length: 1\r\nContent-Length: 2\r\n\r\n"   /* two lengths */
		"Content-Length: 99999\r\n\r\n"      /* over the limit of 100 */
		"Content-Length: 4\n\nnull"          /* bare "\n" line ends */
		"Content-Length: 10\r\n\r\nshort";   /* cut off */
	for (size_t chunk = 0; chunk < 4; chunk++) {
		struct mem m = { in, sizeof(in) - 1, 0, chunk };
		struct kc_lsp_reader r;
		kc_lsp_reader_init(&r, mem_read, &m, -1, 100);
		char b[128];
		ck_assert_int_eq(next(&r, b, sizeof(b)), KC_LSP_MESSAGE);
		ck_assert_str_eq(b, "{}");
		ck_assert_int_eq(next(&r, b, sizeof(b)), KC_LSP_MESSAGE);
		ck_assert_str_eq(b, "[1]");
		ck_assert_int_eq(next(&r, b, sizeof(b)), KC_LSP_BAD_HEADER);
		ck_assert_int_eq(next(&r, b, sizeof(b)), KC_LSP_BAD_HEADER);
		ck_assert_int_eq(next(&r, b, sizeof(b)), KC_LSP_BAD_HEADER);
		/* The oversized body is "Content-Length: 4..." and the rest:
		 * 99999 bytes are skipped, which is all of the input. */
		ck_assert_int_eq(next(&r, b, sizeof(b)), KC_LSP_TOO_LARGE);
		ck_assert_uint_eq(r.last_length, 99999);
		ck_assert_int_eq(next(&r, b, sizeof(b)), KC_LSP_EOF);
		kc_lsp_reader_finish(&r);
	}
}
END_TEST

START_TEST(reader_skips_oversized_body_then_reads_on)
{
	static const char in[] =
		"Content-Length: 120\r\n\r\n"
		"0123456789012345678901234567890123456789012345678901234567890123456789"
		"01234567890123456789012345678901234567890123456789"
		"Content-Length: 2\r\n\r\nok"
		"Content-Length: 5\r\n\r\nshort";
	struct mem m = { in, sizeof(in) - 1, 0, 7 };
	struct kc_lsp_reader r;
	kc_lsp_reader_init(&r, mem_read, &m, -1, 100);
	char b[128];
	ck_assert_int_eq(next(&r, b, sizeof(b)), KC_LSP_TOO_LARGE);
	ck_assert_int_eq(next(&r, b, sizeof(b)), KC_LSP_MESSAGE);
	ck_assert_str_eq(b, "ok");
	ck_assert_int_eq(next(&r, b, sizeof(b)), KC_LSP_MESSAGE);
	ck_assert_str_eq(b, "short");
	ck_assert_int_eq(next(&r, b, sizeof(b)), KC_LSP_EOF);
	kc_lsp_reader_finish(&r);
}
END_TEST

START_TEST(reader_bounds_a_header_without_end)
{
	/* 1 MB of header bytes never held at once, then a message. */
	size_t n = 1 << 20;
	char *in = malloc(n + 64);
	memset(in, 'a', n);
	strcpy(in + n, "\r\n\r\nContent-Length: 2\r\n\r\nok");
	struct mem m = { in, strlen(in), 0, 0 };
	struct kc_lsp_reader r;
	kc_lsp_reader_init(&r, mem_read, &m, -1, 100);
	char b[128];
	ck_assert_int_eq(next(&r, b, sizeof(b)), KC_LSP_BAD_HEADER);
	ck_assert_uint_lt(r.cap, 256 * 1024);
	ck_assert_int_eq(next(&r, b, sizeof(b)), KC_LSP_MESSAGE);
	ck_assert_str_eq(b, "ok");
	kc_lsp_reader_finish(&r);
	free(in);
}
END_TEST

/* ---- documents ---- */

START_TEST(incremental_edits_in_both_encodings)
{
	struct kc_lsp_doc d = { 0 };
	kc_lsp_doc_replace(&d, mixed, strlen(mixed));
	/* Replace the emoji (UTF-16 12..14 on line 1) with "ok". */
	ck_assert(kc_lsp_doc_edit(&d, (struct kc_lsp_pos){ 1, 12 },
		(struct kc_lsp_pos){ 1, 14 }, "ok", 2, KC_LSP_UTF16));
	ck_assert_str_eq(d.text, "kind: Pod\n  name: \"é日本okx\"\r\nlast");
	/* In UTF-8: delete "日本" (bytes 11..17 of line 1). */
	ck_assert(kc_lsp_doc_edit(&d, (struct kc_lsp_pos){ 1, 11 },
		(struct kc_lsp_pos){ 1, 17 }, "", 0, KC_LSP_UTF8));
	ck_assert_str_eq(d.text, "kind: Pod\n  name: \"éokx\"\r\nlast");
	/* Insert at the end, past the last line (clamped). */
	ck_assert(kc_lsp_doc_edit(&d, (struct kc_lsp_pos){ 7, 0 },
		(struct kc_lsp_pos){ 7, 0 }, "\n", 1, KC_LSP_UTF16));
	ck_assert_str_eq(d.text, "kind: Pod\n  name: \"éokx\"\r\nlast\n");
	/* An end before the start is refused and changes nothing. */
	ck_assert(!kc_lsp_doc_edit(&d, (struct kc_lsp_pos){ 1, 3 },
		(struct kc_lsp_pos){ 0, 1 }, "zz", 2, KC_LSP_UTF16));
	ck_assert_str_eq(d.text, "kind: Pod\n  name: \"éokx\"\r\nlast\n");
	free(d.text);
}
END_TEST

START_TEST(file_uris)
{
	char *p = kc_lsp_uri_to_path("file:///tmp/a%20b/%C3%A9.yaml");
	ck_assert_str_eq(p, "/tmp/a b/é.yaml");
	free(p);
	ck_assert_ptr_null(kc_lsp_uri_to_path("untitled:Untitled-1"));
	ck_assert_ptr_null(kc_lsp_uri_to_path("file://host/share/x.yaml"));
	/* %00 is not decoded: a path cannot hold NUL. */
	p = kc_lsp_uri_to_path("file:///x%00y");
	ck_assert_str_eq(p, "/x%00y");
	free(p);
}
END_TEST

static Suite *lsp_suite(void)
{
	Suite *s = suite_create("lsp");
	TCase *tc = tcase_create("positions");
	tcase_add_test(tc, checker_columns_to_utf16_and_utf8);
	tcase_add_test(tc, every_character_round_trips);
	tcase_add_test(tc, clamping);
	tcase_add_test(tc, yaml_line_breaks_and_bom);
	suite_add_tcase(s, tc);
	tc = tcase_create("framing");
	tcase_add_test(tc, reader_frames);
	tcase_add_test(tc, reader_skips_oversized_body_then_reads_on);
	tcase_add_test(tc, reader_bounds_a_header_without_end);
	suite_add_tcase(s, tc);
	tc = tcase_create("documents");
	tcase_add_test(tc, incremental_edits_in_both_encodings);
	tcase_add_test(tc, file_uris);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return t_run(lsp_suite());
}
