#ifndef K8SCHECK_LOCATOR_INTERNAL_H
#define K8SCHECK_LOCATOR_INTERNAL_H

/*
 * Shared by the locator's files only: the parser state, and the helpers
 * that positions.c (marks and offsets), tree.c (nodes from events) and
 * locator.c (the event loop and error recovery) lend each other.
 */

#include <stdbool.h>
#include <stddef.h>

#include <yaml.h>

#include "k8scheck/locator.h"

struct frame {
	struct kc_node *node;
	struct kc_node **kids;
	size_t n;
	size_t cap;
	bool merge;              /* a mapping with a merge key "<<" */
};

struct anchor {
	char *name;              /* malloc'd */
	struct kc_node *node;
};

struct kc_locator {
	const char *buf;
	size_t len;
	struct kc_limits lim;
	bool bom;
	bool ascii;
	bool ascii_clean;        /* ASCII without control characters */
	size_t bad_off;          /* first byte libyaml would refuse, or len */
	size_t limit;            /* the parser reads [base_off, limit) */

	yaml_parser_t parser;
	bool parser_live;
	bool ended;
	bool resync;             /* the last call hit a syntax error */
	size_t base_off;         /* byte offset where the parser's input starts */
	unsigned base_line;      /* 0-based line number of base_off */

	/* libyaml marks count characters: a forward-only cursor maps a
	 * character index (relative to base_off) to a byte offset. */
	size_t cur_char;
	size_t cur_byte;

	unsigned doc_index;      /* index of the current or last document */
	unsigned next_index;
	size_t doc_start_off;

	struct frame *frames;
	size_t depth;
	size_t frames_cap;

	struct anchor *anchors;
	size_t nanchors;
	size_t anchors_cap;
	size_t alias_nodes;

	bool bad;                /* the current document already has an error */
	bool abandon;            /* stop parsing the document: a limit was hit */
	size_t abandon_off;      /* where */
	unsigned long events;    /* libyaml events read, for the limits' tests */
	const struct kc_node *merge_key;
	struct kc_loc_error *err;
};


/* positions.c */
size_t kc_locator_char_width(unsigned char c);
size_t kc_locator_byte_of(struct kc_locator *l, size_t index);
struct kc_pos kc_locator_pos_of_mark(const struct kc_locator *l, const yaml_mark_t *m);
size_t kc_locator_break_len(const unsigned char *p, size_t avail);

/* tree.c */
void kc_locator_fail(struct kc_locator *l, struct kc_pos pos, const char *fmt, ...)
	KC_PRINTF(3, 4);
bool kc_locator_on_event(struct kc_locator *l, struct kc_arena *a,
	struct kc_document *doc, const yaml_event_t *e);
void kc_locator_begin_document(struct kc_locator *l, struct kc_document *doc,
	const yaml_event_t *e);

/* locator.c */
void kc_locator_anchors_clear(struct kc_locator *l);

#endif
