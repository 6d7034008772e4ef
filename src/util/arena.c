#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8scheck/arena.h"

#define ALIGN 16u
#define BLOCK_MIN (64u * 1024u)

struct block {
	struct block *next;
	size_t size;
	size_t used;
	/* Keeps data[] aligned to ALIGN on every ABI we build for. */
	_Alignas(16) unsigned char data[];
};

struct kc_arena {
	struct block *head;
	size_t used;
};

_Noreturn void kc_arena_die_oom(void)
{
	fputs("k8scheck: out of memory\n", stderr);
	exit(KC_ARENA_EXIT_OOM);
}

static struct block *block_new(size_t min)
{
	size_t size = min < BLOCK_MIN ? BLOCK_MIN : min;
	struct block *b = malloc(sizeof(*b) + size);
	if (b == NULL) {
		kc_arena_die_oom();
	}
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

struct kc_arena *kc_arena_create(void)
{
	struct kc_arena *a = calloc(1, sizeof(*a));
	if (a == NULL) {
		kc_arena_die_oom();
	}
	return a;
}

void kc_arena_destroy(struct kc_arena *a)
{
	if (a == NULL) {
		return;
	}
	struct block *b = a->head;
	while (b != NULL) {
		struct block *next = b->next;
		free(b);
		b = next;
	}
	free(a);
}

void kc_arena_reset(struct kc_arena *a)
{
	if (a->head == NULL) {
		return;
	}
	/* Keep the oldest block (the tail): it is the one sized for the
	 * common case, while later ones may be one-off giants. */
	struct block *b = a->head;
	while (b->next != NULL) {
		struct block *next = b->next;
		free(b);
		b = next;
	}
	if (b->size > 4 * BLOCK_MIN) {
		free(b);
		a->head = NULL;
	} else {
		b->used = 0;
		a->head = b;
	}
	a->used = 0;
}

void *kc_arena_alloc(struct kc_arena *a, size_t size)
{
	size_t need = (size + (ALIGN - 1)) & ~(size_t)(ALIGN - 1);
	if (need < size) {
		kc_arena_die_oom();
	}
	struct block *b = a->head;
	if (b == NULL || b->size - b->used < need) {
		/* Grow geometrically so a document with many nodes needs few
		 * blocks, but give giant requests a block of their own. */
		size_t want = need;
		if (b != NULL && b->size * 2 > want && need <= BLOCK_MIN * 16) {
			want = b->size * 2 > BLOCK_MIN * 16 ? BLOCK_MIN * 16 : b->size * 2;
			if (want < need) {
				want = need;
			}
		}
		struct block *nb = block_new(want);
		nb->next = a->head;
		a->head = nb;
		b = nb;
	}
	void *p = b->data + b->used;
	b->used += need;
	a->used += need;
	memset(p, 0, size);
	return p;
}

/* Each realloc-able block carries its size and capacity just before the
 * pointer. Growth doubles the capacity, so a caller that grows an array one
 * element at a time (libcyaml does, for sequences and recorded alias
 * events) costs O(n) memory in total, not O(n^2): the arena never frees
 * the block it moves away from. */
struct sized {
	size_t size;
	size_t cap;
	_Alignas(16) unsigned char data[];
};

void *kc_arena_realloc(struct kc_arena *a, void *ptr, size_t size)
{
	if (size == 0) {
		return NULL;
	}
	size_t old = 0, cap = 0;
	if (ptr != NULL) {
		unsigned char *h = (unsigned char *)ptr - offsetof(struct sized, data);
		memcpy(&old, h + offsetof(struct sized, size), sizeof(old));
		memcpy(&cap, h + offsetof(struct sized, cap), sizeof(cap));
		if (size <= cap) {
			memcpy(h + offsetof(struct sized, size), &size, sizeof(size));
			return ptr;
		}
	}
	size_t want = ptr != NULL && cap * 2 > size ? cap * 2 : size;
	if (want < size) {
		kc_arena_die_oom();
	}
	unsigned char *h = kc_arena_alloc(a, offsetof(struct sized, data) + want);
	memcpy(h + offsetof(struct sized, size), &size, sizeof(size));
	memcpy(h + offsetof(struct sized, cap), &want, sizeof(want));
	void *p = h + offsetof(struct sized, data);
	if (ptr != NULL) {
		memcpy(p, ptr, old < size ? old : size);
	}
	return p;
}

char *kc_arena_strndup(struct kc_arena *a, const char *s, size_t n)
{
	char *p = kc_arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *kc_arena_strdup(struct kc_arena *a, const char *s)
{
	return kc_arena_strndup(a, s, strlen(s));
}

char *kc_arena_vprintf(struct kc_arena *a, const char *fmt, va_list ap)
{
	/* Most messages fit a small buffer: format once, copy once. */
	char small[256];
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(small, sizeof(small), fmt, copy);
	va_end(copy);
	if (n < 0) {
		return kc_arena_strdup(a, "");
	}
	if ((size_t)n < sizeof(small)) {
		return kc_arena_strndup(a, small, (size_t)n);
	}
	char *p = kc_arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *kc_arena_printf(struct kc_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = kc_arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

size_t kc_arena_used(const struct kc_arena *a)
{
	return a->used;
}
