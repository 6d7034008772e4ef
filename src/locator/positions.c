/* Positions: libyaml's marks and byte offsets as 1-based lines and columns. */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ---- positions ---------------------------------------------------------- */

size_t kc_locator_char_width(unsigned char c)
{
	if (c < 0x80) {
		return 1;
	} else if ((c & 0xE0) == 0xC0) {
		return 2;
	} else if ((c & 0xF0) == 0xE0) {
		return 3;
	} else if ((c & 0xF8) == 0xF0) {
		return 4;
	}
	return 1;
}

size_t kc_locator_byte_of(struct kc_locator *l, size_t index)
{
	if (l->ascii) {
		size_t off = l->base_off + index;
		return off > l->len ? l->len : off;
	}
	if (index < l->cur_char) {
		l->cur_char = 0;
		l->cur_byte = 0;
	}
	size_t avail = l->len - l->base_off;
	const unsigned char *p = (const unsigned char *)l->buf + l->base_off;
	while (l->cur_char < index && l->cur_byte < avail) {
		/* libyaml counts CR LF as two characters, like any others. */
		size_t w = kc_locator_char_width(p[l->cur_byte]);
		l->cur_byte += w;
		l->cur_char++;
	}
	if (l->cur_byte > avail) {
		l->cur_byte = avail;
	}
	return l->base_off + l->cur_byte;
}

struct kc_pos kc_locator_pos_of_mark(const struct kc_locator *l, const yaml_mark_t *m)
{
	return (struct kc_pos){
		.line = l->base_line + (unsigned)m->line + 1,
		.col = (unsigned)m->column + 1,
	};
}

/* Length of the line break at p (0 if none), as libyaml counts breaks. */
size_t kc_locator_break_len(const unsigned char *p, size_t avail)
{
	if (avail == 0) {
		return 0;
	}
	if (p[0] == '\r') {
		return (avail > 1 && p[1] == '\n') ? 2 : 1;
	}
	if (p[0] == '\n') {
		return 1;
	}
	if (avail > 1 && p[0] == 0xC2 && p[1] == 0x85) {
		return 2;
	}
	if (avail > 2 && p[0] == 0xE2 && p[1] == 0x80 &&
		(p[2] == 0xA8 || p[2] == 0xA9)) {
		return 3;
	}
	return 0;
}

/* pos, moved over buf[i, off) the way libyaml counts lines and columns. */
static struct kc_pos count_to(const unsigned char *p, size_t len, size_t i, size_t off,
	struct kc_pos pos)
{
	while (i < off) {
		size_t b = kc_locator_break_len(p + i, len - i);
		if (b > 0) {
			pos.line++;
			pos.col = 1;
			i += b;
		} else {
			/* A bad lead byte counts alone, so a line break after
			 * it is still seen (positions of invalid input). */
			size_t w = kc_locator_char_width(p[i]);
			for (size_t k = 1; k < w; k++) {
				if (i + k >= len || (p[i + k] & 0xC0) != 0x80) {
					w = 1;
					break;
				}
			}
			pos.col++;
			i += w;
		}
	}
	return pos;
}

struct kc_pos kc_locator_pos_of(const char *buf, size_t len, size_t off)
{
	const unsigned char *p = (const unsigned char *)buf;
	size_t i = 0;
	if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
		i = 3;
	}
	if (off > len) {
		off = len;
	}
	return count_to(p, len, i, off, (struct kc_pos){ 1, 1 });
}

struct kc_pos kc_locator_pos_near(const struct kc_node *root, const char *buf,
	size_t len, size_t off)
{
	if (off > len) {
		off = len;
	}
	/* The deepest node that starts at or before off: items are in document
	 * order (an alias may point back, which only makes the base earlier;
	 * any node before off is a correct place to count from). */
	const struct kc_node *base = NULL;
	for (const struct kc_node *n = root; n != NULL;) {
		if (n->start_off > off || n->start_off > len ||
			(base != NULL && n->start_off < base->start_off)) {
			break;
		}
		base = n;
		size_t items = n->type == KC_NODE_MAPPING ? 2 * n->count :
			n->type == KC_NODE_SEQUENCE ? n->count : 0;
		size_t lo = 0, hi = items;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (n->items[mid]->start_off <= off) {
				lo = mid + 1;
			} else {
				hi = mid;
			}
		}
		n = lo > 0 ? n->items[lo - 1] : NULL;
	}
	if (base == NULL) {
		return kc_locator_pos_of(buf, len, off);
	}
	return count_to((const unsigned char *)buf, len, base->start_off, off, base->start);
}
