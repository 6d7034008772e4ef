#include <stdint.h>
#include <string.h>

#include "support.h"

#include "k8scheck/cli.h"

/* util/arena.c cannot include cli.h (util is at the bottom), so it has its
 * own name for the status: they must not drift apart. */
_Static_assert(KC_ARENA_EXIT_OOM == KC_EXIT_INTERNAL,
	"out of memory exits with the internal-error status");

START_TEST(alloc_is_zeroed_and_aligned)
{
	struct kc_arena *a = kc_arena_create();
	for (size_t n = 1; n < 5000; n += 37) {
		unsigned char *p = kc_arena_alloc(a, n);
		ck_assert_uint_eq((uintptr_t)p % 16, 0);
		/* One assertion per block, not per byte: ck_assert per byte
		 * took seconds, near Check's timeout on a loaded machine. */
		static const unsigned char zero[5000];
		ck_assert_msg(memcmp(p, zero, n) == 0, "block of %zu bytes not zeroed", n);
		memset(p, 0xAB, n);
	}
	kc_arena_destroy(a);
}
END_TEST

START_TEST(realloc_keeps_contents)
{
	struct kc_arena *a = kc_arena_create();
	char *p = kc_arena_realloc(a, NULL, 4);
	memcpy(p, "abc", 4);
	p = kc_arena_realloc(a, p, 100000);
	ck_assert_str_eq(p, "abc");
	ck_assert_ptr_null(kc_arena_realloc(a, p, 0));
	kc_arena_destroy(a);
}
END_TEST

START_TEST(reset_releases_memory)
{
	struct kc_arena *a = kc_arena_create();
	kc_arena_alloc(a, 10u * 1024u * 1024u);
	ck_assert_uint_ge(kc_arena_used(a), 10u * 1024u * 1024u);
	kc_arena_reset(a);
	ck_assert_uint_eq(kc_arena_used(a), 0);
	char *s = kc_arena_printf(a, "%s-%d", "x", 42);
	ck_assert_str_eq(s, "x-42");
	ck_assert_str_eq(kc_arena_strndup(a, "hello", 3), "hel");
	kc_arena_destroy(a);
	kc_arena_destroy(NULL);
}
END_TEST

static Suite *arena_suite(void)
{
	Suite *s = suite_create("arena");
	TCase *tc = tcase_create("arena");
	tcase_add_test(tc, alloc_is_zeroed_and_aligned);
	tcase_add_test(tc, realloc_keeps_contents);
	tcase_add_test(tc, reset_releases_memory);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return t_run(arena_suite());
}
