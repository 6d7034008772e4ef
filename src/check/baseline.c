#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "k8scheck/atomic.h"

#include "k8scheck/check.h"

struct entry {
	uint64_t fp;
	unsigned count;
	const char *line;        /* the rest of the line, when recording */
};

struct kc_baseline {
	struct kc_arena *arena;
	struct entry *entries;
	size_t n;
	size_t cap;
	bool sorted;
};

struct kc_baseline *kc_baseline_create(struct kc_arena *a)
{
	struct kc_baseline *b = kc_arena_alloc(a, sizeof(*b));
	b->arena = a;
	return b;
}

static void push(struct kc_baseline *b, uint64_t fp, const char *line)
{
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->entries = kc_arena_realloc(b->arena, b->entries,
			b->cap * sizeof(*b->entries));
	}
	b->entries[b->n++] = (struct entry){ fp, 1, line };
}

static int entry_cmp(const void *x, const void *y)
{
	const struct entry *a = x, *b = y;
	return a->fp < b->fp ? -1 : a->fp > b->fp;
}

static bool parse_fp(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	for (int i = 0; i < 16; i++) {
		char c = s[i];
		unsigned d;
		if (c >= '0' && c <= '9') {
			d = (unsigned)(c - '0');
		} else if (c >= 'a' && c <= 'f') {
			d = (unsigned)(c - 'a' + 10);
		} else {
			return false;
		}
		v = v << 4 | d;
	}
	if (s[16] != '\0' && s[16] != ' ' && s[16] != '\t' && s[16] != '\n' &&
		s[16] != '\r') {
		return false;
	}
	*out = v;
	return true;
}

bool kc_baseline_load(struct kc_baseline **out, const char *path,
	struct kc_arena *a, struct kc_diag *diag)
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		kc_diag_at(diag, KC_DIAG_ERROR, path, 0, 0, "cannot read the baseline: %s",
			strerror(errno));
		return false;
	}
	struct kc_baseline *b = kc_baseline_create(a);
	char line[4096];
	unsigned lineno = 0;
	bool ok = true;
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		const char *p = line;
		while (*p == ' ' || *p == '\t') {
			p++;
		}
		if (*p == '#' || *p == '\n' || *p == '\r' || *p == '\0') {
			continue;
		}
		uint64_t fp;
		if (!parse_fp(p, &fp)) {
			kc_diag_at(diag, KC_DIAG_ERROR, path, lineno, (unsigned)(p - line) + 1,
				"not a baseline entry: expected 16 hex digits of a "
				"fingerprint (written by --write-baseline)");
			ok = false;
			break;
		}
		push(b, fp, NULL);
	}
	fclose(f);
	if (!ok) {
		return false;
	}
	kc_baseline_seal(b);
	*out = b;
	return true;
}

void kc_baseline_seal(struct kc_baseline *b)
{
	if (b->n > 1) {
		qsort(b->entries, b->n, sizeof(*b->entries), entry_cmp);
	}
	/* Merge repeats into counts. */
	size_t w = 0;
	for (size_t i = 0; i < b->n; i++) {
		if (w > 0 && b->entries[w - 1].fp == b->entries[i].fp) {
			b->entries[w - 1].count++;
		} else {
			b->entries[w++] = b->entries[i];
		}
	}
	b->n = w;
	b->sorted = true;
}

bool kc_baseline_take(struct kc_baseline *b, const struct kc_finding *f)
{
	uint64_t fp;
	if (b == NULL || !parse_fp(f->fingerprint, &fp)) {
		return false;
	}
	size_t lo = 0, hi = b->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (b->entries[mid].fp == fp) {
			if (b->entries[mid].count == 0) {
				return false;
			}
			b->entries[mid].count--;
			return true;
		}
		if (b->entries[mid].fp < fp) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return false;
}

void kc_baseline_add(struct kc_baseline *b, const struct kc_finding *f)
{
	uint64_t fp;
	if (!parse_fp(f->fingerprint, &fp)) {
		return;
	}
	const char *line = kc_arena_printf(b->arena, "%s %s %s %s/%s %s", f->fingerprint,
		f->rule, f->file, f->kind, f->name ? f->name : "-", f->path_str);
	push(b, fp, line);
}

bool kc_baseline_write(const struct kc_baseline *b, const char *path, FILE *err)
{
	struct kc_atomic w;
	if (!kc_atomic_open(&w, path, -1, err)) {
		return false;
	}
	fprintf(w.f, "# k8scheck baseline: findings accepted as known (--baseline FILE).\n"
		"# One a line: fingerprint rule file resource path. Delete a line to\n"
		"# report that finding again; regenerate with --write-baseline FILE.\n");
	for (size_t i = 0; i < b->n; i++) {
		fprintf(w.f, "%s\n", b->entries[i].line);
	}
	return kc_atomic_commit(&w, err);
}
