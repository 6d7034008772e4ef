/*
 * Position encodings: the checker's 1-based character columns, the
 * protocol's 0-based UTF-16 or UTF-8 characters, both through byte offsets.
 * Text from the client is UTF-8 (JSON strings are); a byte that does not
 * start a valid sequence counts as one character of one unit, as editors
 * show it as one replacement character.
 */
#include <stdlib.h>

#include "k8scheck/arena.h"
#include "k8scheck/lsp.h"

const char *kc_lsp_encoding_name(enum kc_lsp_encoding e)
{
	static const char *const names[KC_LSP_ENCODING__COUNT] = {
		[KC_LSP_UTF16] = "utf-16",
		[KC_LSP_UTF8] = "utf-8",
	};
	return names[e];
}

/* Bytes in the UTF-8 sequence at p (at most avail), 1 for an invalid one. */
static size_t char_len(const unsigned char *p, size_t avail)
{
	size_t n = p[0] < 0x80 ? 1 : (p[0] & 0xE0) == 0xC0 ? 2 :
		(p[0] & 0xF0) == 0xE0 ? 3 : (p[0] & 0xF8) == 0xF0 ? 4 : 1;
	if (n > avail) {
		return 1;
	}
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80) {
			return 1;
		}
	}
	return n;
}

/* Units of a character of n bytes in encoding enc. */
static unsigned units(size_t n, enum kc_lsp_encoding enc)
{
	if (enc == KC_LSP_UTF8) {
		return (unsigned)n;
	}
	return n == 4 ? 2 : 1;   /* beyond the BMP: a surrogate pair */
}

/* Length of the line break at p, or 0. */
static size_t break_len(const unsigned char *p, size_t avail, bool yaml)
{
	if (p[0] == '\r') {
		return avail > 1 && p[1] == '\n' ? 2 : 1;
	}
	if (p[0] == '\n') {
		return 1;
	}
	if (!yaml) {
		return 0;
	}
	if (avail > 1 && p[0] == 0xC2 && p[1] == 0x85) {
		return 2;
	}
	if (avail > 2 && p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9)) {
		return 3;
	}
	return 0;
}

void kc_lsp_lines_init(struct kc_lsp_lines *l, const char *text, size_t len,
	bool yaml_breaks)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t cap = 64;
	l->start = malloc(cap * sizeof(*l->start));
	if (l->start == NULL) {
		kc_arena_die_oom();
	}
	size_t i = 0;
	if (yaml_breaks && len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
		i = 3;   /* libyaml skips a byte order mark: column 1 follows it */
	}
	l->start[0] = i;
	l->count = 1;
	while (i < len) {
		size_t b = break_len(p + i, len - i, yaml_breaks);
		if (b == 0) {
			i++;
			continue;
		}
		i += b;
		if (l->count == cap) {
			cap *= 2;
			size_t *n = realloc(l->start, cap * sizeof(*l->start));
			if (n == NULL) {
				kc_arena_die_oom();
			}
			l->start = n;
		}
		l->start[l->count++] = i;
	}
}

void kc_lsp_lines_finish(struct kc_lsp_lines *l)
{
	free(l->start);
	l->start = NULL;
	l->count = 0;
}

/* Where line i's text ends (before its break). */
static size_t line_end(const char *text, size_t len, const struct kc_lsp_lines *l,
	unsigned i, bool yaml)
{
	size_t end = i + 1 < l->count ? l->start[i + 1] : len;
	const unsigned char *p = (const unsigned char *)text;
	/* Step back over the break that ended the line (3 to 1 bytes: the
	 * longest that ends here, so "\r\n" is not taken for "\n"). */
	for (size_t b = 3; b >= 1 && i + 1 < l->count; b--) {
		if (b > end - l->start[i]) {
			continue;
		}
		if (break_len(p + end - b, len - (end - b), yaml) == b) {
			return end - b;
		}
	}
	return end;
}

/* Walk n units (or characters, for the checker) from the start of line i. */
static size_t walk(const char *text, size_t len, const struct kc_lsp_lines *l,
	unsigned line, unsigned long n, bool yaml, enum kc_lsp_encoding enc)
{
	if (line >= l->count) {
		return len;
	}
	const unsigned char *p = (const unsigned char *)text;
	size_t end = line_end(text, len, l, line, yaml);
	size_t i = l->start[line];
	while (n > 0 && i < end) {
		size_t c = char_len(p + i, end - i);
		unsigned u = yaml ? 1 : units(c, enc);
		if (u > n) {
			break;   /* inside a character: its start */
		}
		n -= u;
		i += c;
	}
	return i;
}

size_t kc_lsp_offset(const char *text, size_t len, const struct kc_lsp_lines *l,
	struct kc_lsp_pos pos, enum kc_lsp_encoding enc)
{
	return walk(text, len, l, pos.line, pos.character, false, enc);
}

size_t kc_lsp_checker_offset(const char *text, size_t len,
	const struct kc_lsp_lines *yl, struct kc_pos pos)
{
	if (pos.line == 0) {
		return yl->start[0];
	}
	return walk(text, len, yl, pos.line - 1, pos.col > 0 ? pos.col - 1 : 0, true,
		KC_LSP_UTF16);
}

struct kc_lsp_pos kc_lsp_pos_of(const char *text, size_t len,
	const struct kc_lsp_lines *l, size_t off, enum kc_lsp_encoding enc)
{
	if (off > len) {
		off = len;
	}
	/* The last line that starts at or before off. */
	unsigned lo = 0, hi = l->count;
	while (hi - lo > 1) {
		unsigned mid = lo + (hi - lo) / 2;
		if (l->start[mid] <= off) {
			lo = mid;
		} else {
			hi = mid;
		}
	}
	const unsigned char *p = (const unsigned char *)text;
	size_t end = line_end(text, len, l, lo, false);
	if (off > end) {
		off = end;   /* inside a "\r\n": the end of the line */
	}
	struct kc_lsp_pos r = { .line = lo, .character = 0 };
	for (size_t i = l->start[lo]; i < off;) {
		size_t c = char_len(p + i, end - i);
		if (i + c > off) {
			break;
		}
		r.character += units(c, enc);
		i += c;
	}
	return r;
}
