/*
 * Message building blocks for the PSS checks: string lists, an arena string
 * builder, and the PSA's text helpers (joinQuote, pluralize, Go's %q).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void kc_pss_strv_push(struct kc_arena *a, struct kc_pss_strv *s, const char *x)
{
	if (s->n == s->cap) {
		unsigned cap = s->cap ? s->cap * 2 : 8;
		const char **v = kc_arena_alloc(a, cap * sizeof(*v));
		if (s->n > 0) {
			memcpy(v, s->v, s->n * sizeof(*v));
		}
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = x;
}

static int cmp_str(const void *x, const void *y)
{
	/* strcmp compares as unsigned char: byte-wise, like Go's < on strings. */
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

void kc_pss_strv_sort_uniq(struct kc_pss_strv *s)
{
	if (s->n < 2) {
		return;
	}
	qsort(s->v, s->n, sizeof(*s->v), cmp_str);
	unsigned j = 1;
	for (unsigned i = 1; i < s->n; i++) {
		if (strcmp(s->v[i], s->v[j - 1]) != 0) {
			s->v[j++] = s->v[i];
		}
	}
	s->n = j;
}

bool kc_pss_strv_has(const struct kc_pss_strv *s, const char *x)
{
	for (unsigned i = 0; i < s->n; i++) {
		if (strcmp(s->v[i], x) == 0) {
			return true;
		}
	}
	return false;
}

void kc_pss_sb_init(struct kc_pss_sb *b, struct kc_arena *a)
{
	b->a = a;
	b->cap = 64;
	b->len = 0;
	b->p = kc_arena_alloc(a, b->cap);
}

void kc_pss_sb_addn(struct kc_pss_sb *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap * 2;
		while (b->len + n + 1 > cap) {
			cap *= 2;
		}
		char *p = kc_arena_alloc(b->a, cap);
		memcpy(p, b->p, b->len);
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void kc_pss_sb_add(struct kc_pss_sb *b, const char *s)
{
	kc_pss_sb_addn(b, s, strlen(s));
}

const char *kc_pss_text_join(struct kc_arena *a, const struct kc_pss_strv *s,
	const char *sep)
{
	struct kc_pss_sb b;
	kc_pss_sb_init(&b, a);
	for (unsigned i = 0; i < s->n; i++) {
		if (i > 0) {
			kc_pss_sb_add(&b, sep);
		}
		kc_pss_sb_add(&b, s->v[i]);
	}
	return b.p;
}

const char *kc_pss_text_quote_list(struct kc_arena *a, const struct kc_pss_strv *s)
{
	struct kc_pss_sb b;
	kc_pss_sb_init(&b, a);
	for (unsigned i = 0; i < s->n; i++) {
		kc_pss_sb_add(&b, i > 0 ? ", \"" : "\"");
		kc_pss_sb_add(&b, s->v[i]);
		kc_pss_sb_add(&b, "\"");
	}
	return b.p;
}

const char *kc_pss_text_pl(const char *one, const char *many, size_t n)
{
	return n == 1 ? one : many;
}

const char *kc_pss_text_full(struct kc_arena *a, const char *reason, const char *detail)
{
	if (detail == NULL || detail[0] == '\0') {
		return reason;
	}
	return kc_arena_printf(a, "%s (%s)", reason, detail);
}

/* ---- Go's strconv.Quote ---------------------------------------------------- */

/*
 * utf8.DecodeRune: the rune at s and its width; width 1 with *ok false for
 * an invalid or truncated sequence (overlong forms, surrogates and values
 * past U+10FFFF are invalid).
 */
static size_t decode_rune(const unsigned char *s, size_t n, uint32_t *r, bool *ok)
{
	unsigned char c0 = s[0];
	*ok = false;
	*r = c0;
	if (c0 < 0x80) {
		*ok = true;
		return 1;
	}
	size_t need;
	unsigned char lo = 0x80, hi = 0xBF;
	if (c0 >= 0xC2 && c0 <= 0xDF) {
		need = 2;
	} else if (c0 >= 0xE0 && c0 <= 0xEF) {
		need = 3;
		if (c0 == 0xE0) {
			lo = 0xA0;
		} else if (c0 == 0xED) {
			hi = 0x9F;
		}
	} else if (c0 >= 0xF0 && c0 <= 0xF4) {
		need = 4;
		if (c0 == 0xF0) {
			lo = 0x90;
		} else if (c0 == 0xF4) {
			hi = 0x8F;
		}
	} else {
		return 1;
	}
	if (n < need || s[1] < lo || s[1] > hi) {
		return 1;
	}
	for (size_t i = 2; i < need; i++) {
		if (s[i] < 0x80 || s[i] > 0xBF) {
			return 1;
		}
	}
	uint32_t v = need == 2 ? (c0 & 0x1Fu) : need == 3 ? (c0 & 0x0Fu) : (c0 & 0x07u);
	for (size_t i = 1; i < need; i++) {
		v = (v << 6) | (s[i] & 0x3Fu);
	}
	*r = v;
	*ok = true;
	return need;
}

/*
 * strconv.IsPrint for runes past ASCII. Go keeps full Unicode tables; this
 * covers the runes that are not letters, marks, numbers, punctuation or
 * symbols in practice: controls, separators, format characters, private
 * use and noncharacters. Unassigned code points count as printable here.
 */
static bool is_print_wide(uint32_t r)
{
	static const uint32_t ranges[][2] = {
		{ 0x0080, 0x00A0 }, { 0x00AD, 0x00AD }, { 0x0600, 0x0605 },
		{ 0x061C, 0x061C }, { 0x06DD, 0x06DD }, { 0x070F, 0x070F },
		{ 0x0890, 0x0891 }, { 0x08E2, 0x08E2 }, { 0x1680, 0x1680 },
		{ 0x180E, 0x180E }, { 0x2000, 0x200F }, { 0x2028, 0x202F },
		{ 0x205F, 0x206F }, { 0x3000, 0x3000 }, { 0xD800, 0xF8FF },
		{ 0xFDD0, 0xFDEF }, { 0xFEFF, 0xFEFF }, { 0xFFF9, 0xFFFB },
		{ 0x110BD, 0x110BD }, { 0x110CD, 0x110CD }, { 0x13430, 0x1343F },
		{ 0x1BCA0, 0x1BCA3 }, { 0x1D173, 0x1D17A }, { 0xE0001, 0xE0001 },
		{ 0xE0020, 0xE007F }, { 0xF0000, 0x10FFFF },
	};
	if ((r & 0xFFFEu) == 0xFFFEu) {
		return false;        /* U+xFFFE and U+xFFFF of every plane */
	}
	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		if (r >= ranges[i][0] && r <= ranges[i][1]) {
			return false;
		}
	}
	return true;
}

const char *kc_pss_text_go_quote(struct kc_arena *a, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	struct kc_pss_sb b;
	kc_pss_sb_init(&b, a);
	kc_pss_sb_add(&b, "\"");
	for (size_t i = 0; i < n;) {
		uint32_t r;
		bool ok;
		size_t width = decode_rune(u + i, n - i, &r, &ok);
		char esc[12];
		if (!ok) {
			esc[0] = '\\';
			esc[1] = 'x';
			esc[2] = hex[u[i] >> 4];
			esc[3] = hex[u[i] & 0xF];
			kc_pss_sb_addn(&b, esc, 4);
		} else if (r == '"' || r == '\\') {
			esc[0] = '\\';
			esc[1] = (char)r;
			kc_pss_sb_addn(&b, esc, 2);
		} else if ((r >= 0x20 && r < 0x7F) || (r >= 0x80 && is_print_wide(r))) {
			kc_pss_sb_addn(&b, s + i, width);
		} else if (r == '\a' || r == '\b' || r == '\f' || r == '\n' || r == '\r' ||
			r == '\t' || r == '\v') {
			static const char letters[] = "abtnvfr";
			esc[0] = '\\';
			esc[1] = letters[r - '\a'];
			kc_pss_sb_addn(&b, esc, 2);
		} else if (r < 0x20 || r == 0x7F) {
			esc[0] = '\\';
			esc[1] = 'x';
			esc[2] = hex[r >> 4];
			esc[3] = hex[r & 0xF];
			kc_pss_sb_addn(&b, esc, 4);
		} else {
			unsigned digits = r < 0x10000 ? 4 : 8;
			esc[0] = '\\';
			esc[1] = r < 0x10000 ? 'u' : 'U';
			for (unsigned d = 0; d < digits; d++) {
				esc[2 + d] = hex[(r >> (4 * (digits - 1 - d))) & 0xF];
			}
			kc_pss_sb_addn(&b, esc, 2 + digits);
		}
		i += width;
	}
	kc_pss_sb_add(&b, "\"");
	return b.p;
}
