#ifndef K8SCHECK_FIX_IMPL_H
#define K8SCHECK_FIX_IMPL_H

/*
 * What the files of src/fix share, and nothing else includes: the fixer,
 * its planned text edits, and the plan's targets. plan.c decides what to
 * write where, render.c writes it in the file's style, net.c is the
 * safety net that keeps only edits that load, and fix.c holds the fixer's
 * life cycle and applies the edits.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "k8scheck/fix.h"

/* ---- small growable buffers ------------------------------------------------ */

struct buf {
	char *s;
	size_t len;
	size_t cap;
};

static inline void put(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 256;
		while (cap < b->len + n + 1) {
			cap *= 2;
		}
		b->s = realloc(b->s, cap);
		if (b->s == NULL) {
			kc_arena_die_oom();
		}
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static inline void puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

static inline void spaces(struct buf *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		put(b, " ", 1);
	}
}

static inline char *xstrdup(const char *s)
{
	char *d = strdup(s);
	if (d == NULL) {
		kc_arena_die_oom();
	}
	return d;
}

/* ---- the fixer ------------------------------------------------------------ */

struct edit {
	size_t off;              /* in the original text */
	size_t del;              /* bytes replaced */
	char *text;              /* inserted */
	size_t depth;            /* at equal offsets, deeper (more indented) first */
};

struct kc_fixer {
	const char *text;
	size_t len;
	const char *nl;          /* the file's line ending */
	struct edit *edits;
	size_t nedits;
	size_t cap;
	char **keys;             /* fixed findings */
	unsigned nkeys;
	unsigned keys_cap;
	bool keys_sorted;        /* sorted once, when first asked for */
	unsigned long work;      /* key comparisons, for kc_fixer_work() */
	char **refused;
	unsigned nrefused;
	unsigned refused_cap;
	const char *unsupported;  /* why this text cannot be edited, or NULL */
	bool validate;           /* load each document's edits before keeping them */
	bool apply_unsafe;       /* apply unsafe fixes too (kc_fixer_unsafe) */
	unsigned unsafe;         /* unsafe fixes listed, not applied */
	unsigned broken;         /* findings refused because their edits did not load */
	struct kc_limits limits;
};


/* ---- planning: what to write where ---------------------------------------- */

/* A tree of keys to add under one existing mapping. */
struct ins {
	char *key;
	char *value;             /* a leaf's YAML value, or NULL */
	struct ins *kids;
	size_t nkids;
};

/* Pending changes to one existing node. */
struct target {
	const struct kc_node *node;
	enum { T_INSERT, T_APPEND, T_REPLACE, T_REMOVE } kind;
	struct ins tree;         /* T_INSERT */
	char **items;            /* T_APPEND */
	size_t nitems;
	char *value;             /* T_REPLACE */
	const struct kc_node *key;     /* T_REPLACE of an empty value: its key */
	const struct kc_node *parent;  /* T_REMOVE: the collection */
};

struct plan {
	const char *text;        /* the file (borrowed) */
	size_t len;
	struct target *t;
	size_t n;
	size_t cap;
	size_t *slots;           /* hash of (node, kind) -> index + 1; 0: empty */
	size_t nslots;
};

/* fix.c */
void kc_fix_add_edit(struct kc_fixer *fx, size_t off, size_t del, char *text);
/* At equal offsets, the edit with the greater depth comes first. */
void kc_fix_add_edit_at(struct kc_fixer *fx, size_t off, size_t del, char *text,
	size_t depth);
/* Forget the edits from first on. */
void kc_fix_drop_edits(struct kc_fixer *fx, size_t first);
/* Add f's key to the fixed findings. */
void kc_fix_add_key(struct kc_fixer *fx, const struct kc_finding *f);
/* Refuse f's fix with reason why ("FILE:LINE:COL: not fixed [RULE]: WHY"). */
void kc_fix_refuse(struct kc_fixer *fx, const struct kc_finding *f, const char *why);
/* Append text[s..end) to b with those of edits[0..n) inside it applied. */
void kc_fix_apply_edits(const char *text, size_t s, size_t end,
	const struct edit *edits, size_t n, struct buf *b);

/* plan.c */
/* Plan the fixes of f[0..n) that have one, adding their edits to fx.
 * Returns how many findings the edits fix, listed in *owners (caller
 * frees); the others are refused, with their reason. */
unsigned kc_fix_plan_findings(struct kc_fixer *fx, const struct kc_loaded_doc *doc,
	struct kc_finding *const *f, unsigned n, struct kc_finding ***owners_out);
bool kc_fix_is_list_value(const char *v);
/* The items of a flow list value "[A, B]"; caller frees each and *out. */
size_t kc_fix_list_items(const char *v, char ***out);
bool kc_fix_contains_node(const struct kc_node *outer, const struct kc_node *inner);
void kc_fix_ins_free(struct ins *n);

/* render.c */
/* Turn target t into text edits of fx; false (with *why) if it cannot be
 * written in this file's layout. */
bool kc_fix_render(struct kc_fixer *fx, struct target *t, const char **why);

#endif
