#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

const struct kc_limits kc_limits_default = {
	.max_depth = 256,
	.max_alias_nodes = 100000,
	.max_file_bytes = 256u * 1024u * 1024u,
	.max_document_bytes = 64u * 1024u * 1024u,
};

/* ---- life cycle --------------------------------------------------------- */

/*
 * Offset of the first character at or after from that libyaml refuses (bad
 * UTF-8, or a control character), or len. libyaml reads ahead, so it would
 * stumble on such a byte while earlier, valid documents are still being
 * parsed; finding it first lets those documents through.
 */
static size_t first_invalid(const unsigned char *p, size_t from, size_t len)
{
	size_t i = from;
	while (i < len) {
		unsigned c = p[i];
		if (c < 0x80) {
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
				return i;
			}
			if (c == 0x7F) {
				return i;
			}
			i++;
			continue;
		}
		size_t w;
		uint32_t cp;
		if ((c & 0xE0) == 0xC0) {
			w = 2;
			cp = c & 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			w = 3;
			cp = c & 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			w = 4;
			cp = c & 0x07;
		} else {
			return i;
		}
		if (i + w > len) {
			return i;
		}
		for (size_t k = 1; k < w; k++) {
			if ((p[i + k] & 0xC0) != 0x80) {
				return i;
			}
			cp = cp << 6 | (p[i + k] & 0x3F);
		}
		bool overlong = (w == 2 && cp < 0x80) || (w == 3 && cp < 0x800) ||
			(w == 4 && cp < 0x10000);
		bool printable = cp == 0x85 || (cp >= 0xA0 && cp <= 0xD7FF) ||
			(cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
		if (overlong || !printable) {
			return i;
		}
		i += w;
	}
	return len;
}

static void parser_start(struct kc_locator *l)
{
	const unsigned char *p = (const unsigned char *)l->buf;
	l->bad_off = l->ascii_clean ? l->len : first_invalid(p, l->base_off, l->len);
	l->limit = l->len;
	if (l->bad_off < l->len) {
		/* Parse up to the start of the bad byte's line. */
		size_t s = l->bad_off;
		while (s > l->base_off && kc_locator_break_len(p + s - 1, 1) == 0) {
			s--;
		}
		l->limit = s;
	}
	yaml_parser_initialize(&l->parser);
	yaml_parser_set_input_string(&l->parser,
		(const unsigned char *)l->buf + l->base_off, l->limit - l->base_off);
	/* The input is UTF-8 (a UTF-8 BOM is skipped before this point);
	 * byte offsets are computed on that assumption. */
	yaml_parser_set_encoding(&l->parser, YAML_UTF8_ENCODING);
	l->parser_live = true;
	l->cur_char = 0;
	l->cur_byte = 0;
}

struct kc_locator *kc_locator_create(const char *buf, size_t len,
	const struct kc_limits *limits)
{
	struct kc_locator *l = calloc(1, sizeof(*l));
	if (l == NULL) {
		kc_arena_die_oom();
	}
	l->buf = buf;
	l->len = len;
	l->lim = limits ? *limits : kc_limits_default;
	const unsigned char *p = (const unsigned char *)buf;
	if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
		l->bom = true;
		l->base_off = 3;
	}
	l->ascii = true;
	l->ascii_clean = true;
	/* Eight bytes at a time: a word of printable ASCII (no byte >= 0x80,
	 * < 0x20 or 0x7F) needs no closer look, and most words are. */
	const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
	size_t i = 0;
	while (i < len && l->ascii) {
		if (i + 8 <= len) {
			uint64_t w;
			memcpy(&w, p + i, 8);
			uint64_t del = w ^ (0x7F * ones);
			if (((w | ((w - 0x20 * ones) & ~w) | ((del - ones) & ~del)) & high) == 0) {
				i += 8;
				continue;
			}
		}
		size_t stop = i + 8 < len ? i + 8 : len;
		for (; i < stop; i++) {
			if (p[i] >= 0x80) {
				l->ascii = false;
				l->ascii_clean = false;
				break;
			}
			if ((p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' && p[i] != '\r') ||
				p[i] == 0x7F) {
				l->ascii_clean = false;
			}
		}
	}
	parser_start(l);
	return l;
}

void kc_locator_anchors_clear(struct kc_locator *l)
{
	for (size_t i = 0; i < l->anchors_cap; i++) {
		free(l->anchors[i].name);
		l->anchors[i] = (struct anchor){ NULL, NULL };
	}
	l->nanchors = 0;
}

void kc_locator_destroy(struct kc_locator *l)
{
	if (l == NULL) {
		return;
	}
	if (l->parser_live) {
		yaml_parser_delete(&l->parser);
	}
	for (size_t i = 0; i < l->frames_cap; i++) {
		free(l->frames[i].kids);
	}
	free(l->frames);
	kc_locator_anchors_clear(l);
	free(l->anchors);
	free(l);
}

unsigned kc_locator_doc_index(const struct kc_locator *l)
{
	return l->doc_index;
}

unsigned long kc_locator_events(const struct kc_locator *l)
{
	return l->events;
}

static bool doc_is_empty(const struct kc_document *doc)
{
	return doc->root == NULL || kc_node_is_null(doc->root);
}

/* After a syntax error, resume at the next line that starts with `---`
 * past the broken document. Only recovery looks at text this way; documents
 * themselves are always split by the parser. */
static bool resync(struct kc_locator *l, size_t err_off)
{
	const unsigned char *p = (const unsigned char *)l->buf;
	size_t i = err_off;
	while (i > l->base_off && kc_locator_break_len(p + i - 1, 1) == 0) {
		i--;
	}
	/* i is the start of the error's line */
	for (;;) {
		if (i > l->doc_start_off && i + 3 <= l->len &&
			memcmp(p + i, "---", 3) == 0 &&
			(i + 3 == l->len || p[i + 3] == ' ' || p[i + 3] == '\t' ||
				p[i + 3] == '\r' || p[i + 3] == '\n')) {
			break;
		}
		while (i < l->len && kc_locator_break_len(p + i, l->len - i) == 0) {
			i++;
		}
		if (i >= l->len) {
			return false;
		}
		i += kc_locator_break_len(p + i, l->len - i);
	}
	/* Count the line breaks between the old base and the new one. */
	unsigned lines = l->base_line;
	for (size_t j = l->base_off; j < i;) {
		size_t b = kc_locator_break_len(p + j, i - j);
		if (b > 0) {
			lines++;
			j += b;
		} else {
			j++;
		}
	}
	yaml_parser_delete(&l->parser);
	l->parser_live = false;
	l->base_off = i;
	l->base_line = lines;
	parser_start(l);
	return true;
}

/*
 * "binary data" when the file looks binary: the byte at off is NUL, or the
 * file's first line is bad and a NUL comes early in the file (a binary
 * file is one error, at its first bad byte). Any other bad byte is
 * described for what it is, even in a file that holds a NUL elsewhere.
 */
static bool binary_message(const struct kc_locator *l, struct kc_loc_error *err,
	size_t off)
{
	size_t nul_off;
	if (off < l->len && l->buf[off] == '\0') {
		nul_off = off;
	} else {
		bool first_line = memchr(l->buf, '\n', off) == NULL;
		const char *nul = l->next_index == 0 && first_line
			? memchr(l->buf, '\0', l->len < 8192 ? l->len : 8192) : NULL;
		if (nul == NULL) {
			return false;
		}
		nul_off = (size_t)(nul - l->buf);
	}
	snprintf(err->message, sizeof(err->message),
		"binary data, not a YAML manifest (NUL byte at offset %zu)", nul_off);
	return true;
}

/* The input error at bad_off, in the words a user needs. */
static void invalid_input(struct kc_locator *l, struct kc_loc_error *err)
{
	const unsigned char *u = (const unsigned char *)l->buf;
	size_t off = l->bad_off;
	err->pos = kc_locator_pos_of(l->buf, l->len, off);
	if (binary_message(l, err, off)) {
		return;
	} else if (u[off] < 0x80) {
		snprintf(err->message, sizeof(err->message),
			"control character 0x%02X is not allowed in YAML", u[off]);
	} else {
		snprintf(err->message, sizeof(err->message),
			"not valid UTF-8 text at byte 0x%02X; save the file as UTF-8",
			u[off]);
	}
}

static void syntax_error(struct kc_locator *l, struct kc_loc_error *err,
	size_t *err_off)
{
	yaml_parser_t *pa = &l->parser;
	const char *problem = pa->problem ? pa->problem : "unknown error";
	if (pa->error == YAML_READER_ERROR) {
		*err_off = l->base_off + pa->problem_offset;
		if (*err_off > l->len) {
			*err_off = l->len;
		}
		/* libyaml names the bad continuation byte; point at the
		 * start of the broken sequence, which is what the user wrote. */
		const unsigned char *u = (const unsigned char *)l->buf;
		for (int k = 0; k < 3 && *err_off > l->base_off &&
			*err_off < l->len && (u[*err_off] & 0xC0) != 0xC0 &&
			u[*err_off - 1] >= 0x80; k++) {
			(*err_off)--;
		}
		err->pos = kc_locator_pos_of(l->buf, l->len, *err_off);
		if (binary_message(l, err, *err_off)) {
			return;
		} else if (*err_off < l->len) {
			snprintf(err->message, sizeof(err->message),
				"not valid UTF-8 text at byte 0x%02X (%s); save the file as UTF-8",
				(unsigned)(unsigned char)l->buf[*err_off], problem);
		} else {
			snprintf(err->message, sizeof(err->message),
				"not valid UTF-8 text (%s); save the file as UTF-8", problem);
		}
		return;
	}
	err->pos = kc_locator_pos_of_mark(l, &pa->problem_mark);
	*err_off = kc_locator_byte_of(l, pa->problem_mark.index);
	if (pa->context != NULL) {
		struct kc_pos cpos = kc_locator_pos_of_mark(l, &pa->context_mark);
		snprintf(err->message, sizeof(err->message),
			"invalid YAML: %s (%s at line %u, column %u)", problem,
			pa->context, cpos.line, cpos.col);
	} else {
		snprintf(err->message, sizeof(err->message), "invalid YAML: %s",
			problem);
	}
}

/* Report the bad byte as the error of the document it sits in, then go on
 * after it at the next `---` line. */
static enum kc_locator_status cut_error(struct kc_locator *l, struct kc_document *doc,
	struct kc_loc_error *err, size_t doc_start)
{
	invalid_input(l, err);
	l->doc_index = l->next_index++;
	doc->index = l->doc_index;
	l->doc_start_off = doc_start;
	if (!resync(l, l->bad_off)) {
		l->ended = true;
	}
	return KC_LOCATOR_SYNTAX_ERROR;
}

enum kc_locator_status kc_locator_next(struct kc_locator *l, struct kc_arena *a,
	struct kc_document *doc, struct kc_loc_error *err)
{
	l->err = err;
	if (l->ended) {
		return KC_LOCATOR_END;
	}
	bool in_doc = false;
	for (;;) {
		yaml_event_t e;
		if (!yaml_parser_parse(&l->parser, &e)) {
			size_t err_off = l->base_off;
			syntax_error(l, err, &err_off);
			if (l->limit < l->len && err_off >= l->limit) {
				/* The parser ran into the cut before the bad byte. */
				invalid_input(l, err);
				err_off = l->bad_off;
			}
			/* A document that was cut short still uses its index;
			 * an error between documents opens a new one. */
			l->doc_index = l->next_index++;
			doc->index = l->doc_index;
			if (!in_doc) {
				l->doc_start_off = l->base_off;
			}
			if (!resync(l, err_off)) {
				l->ended = true;
			}
			return KC_LOCATOR_SYNTAX_ERROR;
		}
		if (!in_doc) {
			if (e.type == YAML_DOCUMENT_START_EVENT) {
				kc_locator_begin_document(l, doc, &e);
				in_doc = true;
			} else if (e.type == YAML_STREAM_END_EVENT) {
				yaml_event_delete(&e);
				if (l->limit < l->len) {
					return cut_error(l, doc, err, l->limit);
				}
				l->ended = true;
				return KC_LOCATOR_END;
			}
			yaml_event_delete(&e);
			continue;
		}
		size_t end_index = e.end_mark.index;
		l->events++;
		bool more = kc_locator_on_event(l, a, doc, &e);
		yaml_event_delete(&e);
		if (l->abandon) {
			/* Resume at the next `---` line, as after a syntax error. */
			l->abandon = false;
			l->doc_index = l->next_index++;
			doc->index = l->doc_index;
			if (!resync(l, l->abandon_off)) {
				l->ended = true;
			}
			return KC_LOCATOR_BAD_DOCUMENT;
		}
		/* Stop building a document that outgrows the limit as soon as it
		 * does: its memory is bounded by the limit, not by the file. */
		if (more && !l->bad &&
			kc_locator_byte_of(l, end_index) - doc->start_off > l->lim.max_document_bytes) {
			kc_locator_fail(l, doc->start, "document is larger than the limit of %zu bytes "
				"(see --max-document-size)", l->lim.max_document_bytes);
		}
		if (more) {
			continue;
		}
		in_doc = false;
		if (l->limit < l->len && doc->end_off >= l->limit) {
			/* This document runs into the bad byte: it is cut short. */
			return cut_error(l, doc, err, doc->start_off);
		}
		if (!l->bad && doc_is_empty(doc)) {
			continue;
		}
		l->doc_index = l->next_index++;
		doc->index = l->doc_index;
		doc->merge_key = l->merge_key;
		if (l->bad) {
			return KC_LOCATOR_BAD_DOCUMENT;
		}
		if (doc->end_off - doc->start_off > l->lim.max_document_bytes) {
			err->pos = doc->start;
			snprintf(err->message, sizeof(err->message),
				"document is larger than the limit of %zu bytes "
				"(see --max-document-size)", l->lim.max_document_bytes);
			return KC_LOCATOR_BAD_DOCUMENT;
		}
		return KC_LOCATOR_DOCUMENT;
	}
}
