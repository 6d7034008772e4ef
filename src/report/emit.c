/* Escaping and buffers for the JSON and XML reporters; see emit.h. */
#include <stdlib.h>
#include <string.h>

#include "k8scheck/arena.h"

#include "emit.h"

size_t kc_report_utf8_decode(const char *str, size_t n, unsigned long *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char c = s[0];
	size_t len;
	unsigned long v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xC2 && c <= 0xDF) {
		len = 2, v = c & 0x1F, min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3, v = c & 0x0F, min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4, v = c & 0x07, min = 0x10000;
	} else {
		*cp = 0xFFFD;  /* a continuation byte, C0, C1 or F5..FF */
		return 1;
	}
	if (n < len) {
		*cp = 0xFFFD;
		return 1;
	}
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*cp = 0xFFFD;
			return 1;
		}
		v = (v << 6) | (s[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
		*cp = 0xFFFD;
		return 1;
	}
	*cp = v;
	return len;
}

static bool text_escaped(unsigned long cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
		(cp >= 0x2066 && cp <= 0x2069);
}

void kc_report_text_strn(FILE *o, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		/* Copy the longest printable ASCII run in one call. */
		size_t run = i;
		while (run < n && (unsigned char)s[run] >= 0x20 && (unsigned char)s[run] < 0x7F) {
			run++;
		}
		if (run > i) {
			fwrite(s + i, 1, run - i, o);
			i = run;
			continue;
		}
		unsigned long cp;
		size_t len = kc_report_utf8_decode(s + i, n - i, &cp);
		if (cp == 0xFFFD && len == 1) {
			fprintf(o, "\\x%02X", (unsigned char)s[i]);
		} else if (cp == '\n') {
			fputs("\\n", o);
		} else if (cp == '\r') {
			fputs("\\r", o);
		} else if (cp == '\t') {
			fputs("\\t", o);
		} else if (cp < 0x80 && text_escaped(cp)) {
			fprintf(o, "\\x%02lX", cp);
		} else if (text_escaped(cp)) {
			fprintf(o, "\\u%04lX", cp);
		} else {
			fwrite(s + i, 1, len, o);
		}
		i += len;
	}
}

void kc_report_text_str(FILE *o, const char *s)
{
	if (s != NULL) {
		kc_report_text_strn(o, s, strlen(s));
	}
}

struct kc_pos kc_report_end(const struct kc_finding *f)
{
	struct kc_pos end = f->end;
	if (end.line < f->pos.line || (end.line == f->pos.line && end.col < f->pos.col)) {
		return f->pos;
	}
	return end;
}

static const char replacement[] = "\xEF\xBF\xBD";

void kc_report_json_strn(FILE *o, const char *s, size_t n)
{
	fputc('"', o);
	size_t i = 0;
	while (i < n) {
		/* Copy the longest run that needs no escaping in one call. */
		size_t run = i;
		while (run < n && (unsigned char)s[run] >= 0x20 &&
			(unsigned char)s[run] < 0x80 && s[run] != '"' && s[run] != '\\') {
			run++;
		}
		if (run > i) {
			fwrite(s + i, 1, run - i, o);
			i = run;
			continue;
		}
		unsigned long cp;
		size_t len = kc_report_utf8_decode(s + i, n - i, &cp);
		switch (cp) {
		case '"':
			fputs("\\\"", o);
			break;
		case '\\':
			fputs("\\\\", o);
			break;
		case '\n':
			fputs("\\n", o);
			break;
		case '\r':
			fputs("\\r", o);
			break;
		case '\t':
			fputs("\\t", o);
			break;
		case 0x2028:
		case 0x2029:
			fprintf(o, "\\u%04lx", cp);
			break;
		default:
			if (cp < 0x20) {
				fprintf(o, "\\u%04lx", cp);
			} else if (cp == 0xFFFD && len == 1) {
				fputs(replacement, o);
			} else {
				fwrite(s + i, 1, len, o);
			}
			break;
		}
		i += len;
	}
	fputc('"', o);
}

void kc_report_json_str(FILE *o, const char *s)
{
	if (s == NULL) {
		fputs("null", o);
		return;
	}
	kc_report_json_strn(o, s, strlen(s));
}

void kc_report_xml_str(FILE *o, const char *s, bool attr)
{
	size_t n = strlen(s);
	size_t i = 0;
	while (i < n) {
		unsigned long cp;
		size_t len = kc_report_utf8_decode(s + i, n - i, &cp);
		switch (cp) {
		case '&':
			fputs("&amp;", o);
			break;
		case '<':
			fputs("&lt;", o);
			break;
		case '>':
			fputs("&gt;", o);
			break;
		case '"':
			fputs("&quot;", o);
			break;
		case '\'':
			fputs("&apos;", o);
			break;
		case '\t':
		case '\n':
		case '\r':
			if (attr) {
				fprintf(o, "&#%lu;", cp);
			} else {
				fputc((int)cp, o);
			}
			break;
		default:
			if (cp < 0x20 || cp == 0xFFFE || cp == 0xFFFF) {
				break;  /* not an XML 1.0 character: drop it */
			}
			if (cp == 0xFFFD && len == 1) {
				fputs(replacement, o);
			} else {
				fwrite(s + i, 1, len, o);
			}
			break;
		}
		i += len;
	}
}

void kc_report_buf_init(struct kc_report_buf *b)
{
	*b = (struct kc_report_buf){ 0 };
	b->f = open_memstream(&b->data, &b->len);
	if (b->f == NULL) {
		kc_arena_die_oom();
	}
}

void kc_report_buf_finish(struct kc_report_buf *b, FILE *o)
{
	if (b->f == NULL) {
		return;
	}
	if (fclose(b->f) != 0) {
		kc_arena_die_oom();  /* the stream could not grow its buffer */
	}
	if (o != NULL) {
		fwrite(b->data, 1, b->len, o);
	}
	free(b->data);
	*b = (struct kc_report_buf){ 0 };
}
