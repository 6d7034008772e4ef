/*
 * Unified diffs of a fix. The edits are local, so the two texts are
 * compared as lines: the common head and tail are skipped, and the middle
 * is diffed with a longest-common-subsequence table when it is small, or
 * shown as one replaced block when it is not (a 50 MB stream with two
 * edits far apart still diffs in linear time through the head/tail skip
 * of each region between identical lines).
 */
#include <stdlib.h>
#include <string.h>

#include "k8scheck/fix.h"

struct line {
	const char *s;
	size_t n;                /* without the line break */
	size_t full;             /* with it */
};

static size_t split(const char *t, size_t len, struct line **out)
{
	size_t n = 0, cap = 64;
	struct line *l = malloc(cap * sizeof(*l));
	if (l == NULL) {
		kc_arena_die_oom();
	}
	size_t i = 0;
	while (i < len) {
		const char *nl = memchr(t + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - t) + 1 : len;
		if (n == cap) {
			cap *= 2;
			l = realloc(l, cap * sizeof(*l));
			if (l == NULL) {
				kc_arena_die_oom();
			}
		}
		size_t body = e - i;
		if (body > 0 && t[e - 1] == '\n') {
			body--;
		}
		l[n++] = (struct line){ t + i, body, e - i };
		i = e;
	}
	*out = l;
	return n;
}

static bool same(const struct line *a, const struct line *b)
{
	return a->full == b->full && memcmp(a->s, b->s, a->full) == 0;
}

enum op { KEEP, DEL, ADD };

struct step {
	enum op op;
	size_t a;                /* line in a (KEEP, DEL) */
	size_t b;                /* line in b (KEEP, ADD) */
};

static void push(struct step **s, size_t *n, size_t *cap, struct step st)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*s = realloc(*s, *cap * sizeof(**s));
		if (*s == NULL) {
			kc_arena_die_oom();
		}
	}
	(*s)[(*n)++] = st;
}

/* The edit script for a[a0..a1) -> b[b0..b1). */
static void middle(const struct line *a, size_t a0, size_t a1, const struct line *b,
	size_t b0, size_t b1, struct step **s, size_t *n, size_t *cap)
{
	size_t m = a1 - a0, k = b1 - b0;
	if (m > 0 && k > 0 && m * k <= 4u * 1024u * 1024u) {
		/* LCS table, from the end. */
		unsigned *t = calloc((m + 1) * (k + 1), sizeof(*t));
		if (t == NULL) {
			kc_arena_die_oom();
		}
#define T(i, j) t[(i) * (k + 1) + (j)]
		for (size_t i = m; i-- > 0;) {
			for (size_t j = k; j-- > 0;) {
				T(i, j) = same(&a[a0 + i], &b[b0 + j]) ? T(i + 1, j + 1) + 1
					: (T(i + 1, j) > T(i, j + 1) ? T(i + 1, j) : T(i, j + 1));
			}
		}
		size_t i = 0, j = 0;
		while (i < m || j < k) {
			if (i < m && j < k && same(&a[a0 + i], &b[b0 + j])) {
				push(s, n, cap, (struct step){ KEEP, a0 + i, b0 + j });
				i++;
				j++;
			} else if (i < m && (j == k || T(i + 1, j) >= T(i, j + 1))) {
				/* deletions first, as diff(1) shows them */
				push(s, n, cap, (struct step){ DEL, a0 + i, 0 });
				i++;
			} else {
				push(s, n, cap, (struct step){ ADD, 0, b0 + j });
				j++;
			}
		}
#undef T
		free(t);
		return;
	}
	for (size_t i = a0; i < a1; i++) {
		push(s, n, cap, (struct step){ DEL, i, 0 });
	}
	for (size_t j = b0; j < b1; j++) {
		push(s, n, cap, (struct step){ ADD, 0, j });
	}
}

static void emit_line(FILE *out, char tag, const struct line *l)
{
	fputc(tag, out);
	fwrite(l->s, 1, l->full, out);
	if (l->full == l->n) {
		fputs("\n\\ No newline at end of file\n", out);
	}
}

void kc_fix_diff(FILE *out, const char *name, const char *at, size_t alen,
	const char *bt, size_t blen)
{
	if (alen == blen && memcmp(at, bt, alen) == 0) {
		return;
	}
	struct line *a, *b;
	size_t na = split(at, alen, &a), nb = split(bt, blen, &b);
	size_t head = 0;
	while (head < na && head < nb && same(&a[head], &b[head])) {
		head++;
	}
	size_t tail = 0;
	while (tail < na - head && tail < nb - head &&
		same(&a[na - 1 - tail], &b[nb - 1 - tail])) {
		tail++;
	}
	struct step *s = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < head; i++) {
		push(&s, &n, &cap, (struct step){ KEEP, i, i });
	}
	middle(a, head, na - tail, b, head, nb - tail, &s, &n, &cap);
	for (size_t i = 0; i < tail; i++) {
		push(&s, &n, &cap, (struct step){ KEEP, na - tail + i, nb - tail + i });
	}
	fprintf(out, "--- a/%s\n+++ b/%s\n", name, name);
	const size_t ctx = 3;
	size_t i = 0;
	while (i < n) {
		if (s[i].op == KEEP) {
			i++;
			continue;
		}
		/* A hunk: the changes no more than 2*ctx unchanged lines apart,
		 * with ctx lines of context around them. */
		size_t first = i, last = i, next = i + 1;
		while (next < n) {
			if (s[next].op != KEEP) {
				last = next++;
				continue;
			}
			size_t k = next;
			while (k < n && s[k].op == KEEP) {
				k++;
			}
			if (k < n && k - next <= 2 * ctx) {
				last = k;
				next = k + 1;
				continue;
			}
			break;
		}
		size_t start = first >= ctx ? first - ctx : 0;
		size_t end = last + 1 + ctx < n ? last + 1 + ctx : n;
		size_t a_start = 0, b_start = 0, a_count = 0, b_count = 0;
		bool a_set = false, b_set = false;
		for (size_t j = start; j < end; j++) {
			if (s[j].op != ADD) {
				if (!a_set) {
					a_start = s[j].a;
					a_set = true;
				}
				a_count++;
			}
			if (s[j].op != DEL) {
				if (!b_set) {
					b_start = s[j].b;
					b_set = true;
				}
				b_count++;
			}
		}
		/* Empty sides are numbered after the line before them. */
		if (!a_set) {
			a_start = start < n && start > 0 ? s[start - 1].a + 1 : 0;
		}
		if (!b_set) {
			b_start = start < n && start > 0 ? s[start - 1].b + 1 : 0;
		}
		fprintf(out, "@@ -%zu,%zu +%zu,%zu @@\n", a_count ? a_start + 1 : a_start,
			a_count, b_count ? b_start + 1 : b_start, b_count);
		for (size_t j = start; j < end; j++) {
			switch (s[j].op) {
			case KEEP:
				emit_line(out, ' ', &a[s[j].a]);
				break;
			case DEL:
				emit_line(out, '-', &a[s[j].a]);
				break;
			case ADD:
				emit_line(out, '+', &b[s[j].b]);
				break;
			}
		}
		i = end;
	}
	free(s);
	free(a);
	free(b);
}
