#ifndef K8SCHECK_ARENA_H
#define K8SCHECK_ARENA_H

/*
 * Region allocator. Everything a file or a document needs is allocated from
 * an arena and released at once with kc_arena_destroy() or kc_arena_reset();
 * nothing is freed individually.
 *
 * Out of memory is fatal: the arena prints one message to stderr and exits
 * with the internal-error status (KC_EXIT_INTERNAL). No caller checks for NULL.
 */

#include <stdarg.h>
#include <stddef.h>

#if defined(__GNUC__)
#define KC_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define KC_PRINTF(fmt, args)
#endif

struct kc_arena;

/** Create an empty arena. Caller frees with kc_arena_destroy(). */
struct kc_arena *kc_arena_create(void);

/** Free the arena and everything allocated from it. Accepts NULL. */
void kc_arena_destroy(struct kc_arena *a);

/**
 * Release everything allocated from the arena but keep its first block for
 * reuse, so a per-document arena costs no system calls in the steady state.
 */
void kc_arena_reset(struct kc_arena *a);

/** Allocate size zeroed bytes, aligned for any type. Lives in arena a. */
void *kc_arena_alloc(struct kc_arena *a, size_t size);

/**
 * realloc() semantics on arena memory, for libcyaml's mem_fn: size 0 is a
 * no-op returning NULL; growing copies into a new block (the old one is
 * simply abandoned until the arena goes away).
 */
void *kc_arena_realloc(struct kc_arena *a, void *ptr, size_t size);

/** Copy n bytes of s and NUL-terminate. Lives in arena a. */
char *kc_arena_strndup(struct kc_arena *a, const char *s, size_t n);

/** Copy the NUL-terminated string s. Lives in arena a. */
char *kc_arena_strdup(struct kc_arena *a, const char *s);

/** printf into arena memory. Lives in arena a. */
char *kc_arena_printf(struct kc_arena *a, const char *fmt, ...) KC_PRINTF(2, 3);

/** vprintf into arena memory. Lives in arena a. */
char *kc_arena_vprintf(struct kc_arena *a, const char *fmt, va_list ap)
	KC_PRINTF(2, 0);

/** Bytes currently handed out from the arena's blocks (for tests and bench). */
size_t kc_arena_used(const struct kc_arena *a);

/*
 * The exit status on out of memory: the CLI's internal-error status
 * (KC_EXIT_INTERNAL of cli.h, held equal by tests/unit/test_arena.c), named
 * here because util/ includes nothing above it.
 */
#define KC_ARENA_EXIT_OOM 4

/** Print "k8scheck: out of memory" and exit with KC_ARENA_EXIT_OOM. */
_Noreturn void kc_arena_die_oom(void);

#endif
