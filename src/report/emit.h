#ifndef K8SCHECK_REPORT_EMIT_H
#define K8SCHECK_REPORT_EMIT_H

/*
 * Helpers shared by the reporters (private to src/report/): escaping for
 * people's formats and machine formats, and in-memory buffers. Input strings come from the user's files
 * and may hold anything: invalid UTF-8 is written as U+FFFD so every report
 * stays well-formed.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "k8scheck/report.h"

/**
 * Decode the UTF-8 sequence at s (n > 0 bytes available) into *cp and
 * return its length. An invalid or truncated sequence, an overlong form or
 * a surrogate yields U+FFFD and consumes one byte.
 */
size_t kc_report_utf8_decode(const char *s, size_t n, unsigned long *cp);

/**
 * Write s as a JSON string literal, quotes included, or `null` if s is NULL.
 * Control characters are escaped (\n, \r, \t or \u00XX), and so are U+2028
 * and U+2029 so the text is also valid JavaScript.
 */
void kc_report_json_str(FILE *o, const char *s);

/** As kc_report_json_str(), for n bytes of s (which may hold NUL bytes). */
void kc_report_json_strn(FILE *o, const char *s, size_t n);

/**
 * Write s XML-escaped (&, <, >, " and ' as entities). Characters XML 1.0
 * cannot hold (most controls, U+FFFE, U+FFFF) are dropped. In an attribute
 * (attr true) tab, newline and carriage return become character references
 * so parsers keep them; in element content they are written as they are.
 */
void kc_report_xml_str(FILE *o, const char *s, bool attr);

/**
 * Write s (NULL: nothing) for a person's terminal or an editor's parser:
 * control characters from the input cannot move the cursor, recolour the
 * terminal or start a forged `file:line:col:` line. C0 controls and DEL
 * become \n, \r, \t or \xHH; C1 controls (U+0080..U+009F) and the
 * bidirectional overrides (U+202A..U+202E, U+2066..U+2069) \uHHHH; a byte
 * that is not UTF-8 \xHH. Everything else is written as it is.
 */
void kc_report_text_str(FILE *o, const char *s);

/** As kc_report_text_str(), for n bytes of s (which may hold NUL bytes). */
void kc_report_text_strn(FILE *o, const char *s, size_t n);

/**
 * Where f's region ends (just past its node, 1-based), never before where
 * it starts: the start itself when the end is unknown.
 */
struct kc_pos kc_report_end(const struct kc_finding *f);

/** Output collected in memory until a reporter can write it in place. */
struct kc_report_buf {
	FILE *f;                 /* write here; NULL before init and after finish */
	char *data;
	size_t len;
};

/** Open b for writing (an open_memstream). Out of memory is fatal. */
void kc_report_buf_init(struct kc_report_buf *b);

/** Copy what b holds to o, then free it. Accepts a zeroed b. */
void kc_report_buf_finish(struct kc_report_buf *b, FILE *o);

/* The formats besides text (one file each); registered in report.c. */
extern const struct kc_reporter_impl kc_report_checkstyle;
extern const struct kc_reporter_impl kc_report_gcc;
extern const struct kc_reporter_impl kc_report_github;
extern const struct kc_reporter_impl kc_report_json;
extern const struct kc_reporter_impl kc_report_junit;
extern const struct kc_reporter_impl kc_report_sarif;

#endif
