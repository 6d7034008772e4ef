/*
 * The lookups that keep rules linear (up to a log factor) on huge pods:
 * the controller's text per container (run-as-non-root, run-as-user ask
 * once per container) and volumes by name (writable-host-path asks once
 * per mount). Each counts its comparisons, so the tests bound the work
 * itself, not the time: a scan per lookup, as before, made n^2 / 2
 * comparisons (2^31 for 64k containers: 20 s and 1.4 GB).
 */
#include <stdio.h>
#include <string.h>

#include "../../src/rules/common.h"
#include "support.h"

enum { N = 65536 };

/* n log2 n, rounded up, for the bounds. */
static unsigned long nlogn(unsigned long n)
{
	unsigned long lg = 0;
	while ((1ul << lg) < n) {
		lg++;
	}
	return n * (lg ? lg : 1);
}

START_TEST(texts_found_in_order)
{
	struct kc_arena *a = kc_arena_create();
	struct kc_pss_result r = { .allowed = false, .reason = "runAsNonRoot != true",
		.detail = "many containers" };
	r.violations = kc_arena_alloc(a, (N + 1) * sizeof(*r.violations));
	for (unsigned i = 0; i < N; i++) {
		r.violations[r.count++] = (struct kc_pss_violation){
			.container = kc_arena_printf(a, "c%u", i),
			.text = kc_arena_printf(a, "text of c%u", i),
		};
	}
	r.violations[r.count++] = (struct kc_pss_violation){ .text = "pod text" };
	struct kc_rules_pss_texts t;
	kc_rules_pss_texts_init(&t, a, &r);
	for (unsigned i = 0; i < N; i++) {
		char name[16], want[32];
		snprintf(name, sizeof(name), "c%u", i);
		snprintf(want, sizeof(want), "text of c%u", i);
		ck_assert_str_eq(kc_rules_pss_text(&t, name), want);
		/* The pod-level text is looked up once, however often asked. */
		ck_assert_str_eq(kc_rules_pss_text(&t, NULL), "pod text");
	}
	/* Sorting plus a binary search per container, and one scan for the pod. */
	ck_assert_uint_le(t.steps, 2 * nlogn(N) + (N + 1));
	/* A name with no violation gets the whole reason, built once. */
	const char *whole = kc_rules_pss_text(&t, "nobody");
	ck_assert_str_eq(whole, "runAsNonRoot != true (many containers)");
	ck_assert_ptr_eq(kc_rules_pss_text(&t, "zzz"), whole);
	kc_arena_destroy(a);
}
END_TEST

START_TEST(texts_duplicate_names_first_wins)
{
	struct kc_arena *a = kc_arena_create();
	struct kc_pss_violation v[] = {
		{ .container = "b", .text = "b1" }, { .container = "a", .text = "a1" },
		{ .container = "b", .text = "b2" }, { .container = "a", .text = "a2" },
	};
	struct kc_pss_result r = { .reason = "r", .detail = "d", .violations = v, .count = 4 };
	struct kc_rules_pss_texts t;
	kc_rules_pss_texts_init(&t, a, &r);
	ck_assert_str_eq(kc_rules_pss_text(&t, "a"), "a1");
	ck_assert_str_eq(kc_rules_pss_text(&t, "b"), "b1");
	/* No pod-level violation: the whole text. */
	ck_assert_str_eq(kc_rules_pss_text(&t, NULL), "r (d)");
	/* One violation: its text, whoever asks. */
	struct kc_pss_result one = { .reason = "r", .detail = "d", .violations = v, .count = 1 };
	kc_rules_pss_texts_init(&t, a, &one);
	ck_assert_str_eq(kc_rules_pss_text(&t, "zzz"), "b1");
	kc_arena_destroy(a);
}
END_TEST

START_TEST(volumes_by_name)
{
	struct kc_arena *a = kc_arena_create();
	struct kc_pod_spec spec = { 0 };
	spec.volumes = kc_arena_alloc(a, (N + 2) * sizeof(*spec.volumes));
	memset(spec.volumes, 0, (N + 2) * sizeof(*spec.volumes));
	/* In reverse order, with an unnamed volume and a duplicate name. */
	for (unsigned i = 0; i < N; i++) {
		spec.volumes[spec.volumes_count++].name = kc_arena_printf(a, "v%u", N - 1 - i);
	}
	spec.volumes_count++;  /* unnamed */
	static char v7[] = "v7";
	spec.volumes[spec.volumes_count++].name = v7;
	struct kc_rules_volumes t;
	kc_rules_volumes_init(&t, a, &spec);
	for (unsigned i = 0; i < N; i++) {
		char name[16];
		snprintf(name, sizeof(name), "v%u", i);
		const struct kc_volume *v = kc_rules_volumes_find(&t, name);
		ck_assert_ptr_nonnull(v);
		ck_assert_str_eq(v->name, name);
		/* The first of that name, as a scan in order finds it. */
		ck_assert_ptr_eq(v, &spec.volumes[N - 1 - i]);
	}
	ck_assert_ptr_null(kc_rules_volumes_find(&t, "missing"));
	ck_assert_ptr_null(kc_rules_volumes_find(&t, ""));
	ck_assert_uint_le(t.steps, 2 * nlogn(N + 1) + 2 * 17);
	kc_arena_destroy(a);
}
END_TEST

static Suite *rules_index_suite(void)
{
	Suite *s = suite_create("rules_index");
	TCase *tc = tcase_create("pss_texts");
	tcase_add_test(tc, texts_found_in_order);
	tcase_add_test(tc, texts_duplicate_names_first_wins);
	suite_add_tcase(s, tc);
	tc = tcase_create("volumes");
	tcase_add_test(tc, volumes_by_name);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return t_run(rules_index_suite());
}
