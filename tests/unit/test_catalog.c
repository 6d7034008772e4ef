/*
 * tools/catalog.c, end to end: meson runs it on tests/data/catalog/ (three
 * rules: one over workloads, one over Dockerfiles, one naming a shared
 * check) and compiles what it writes into this program instead of the real
 * registry. A rule is then its .yaml plus the check function defined here:
 * no registry row, prototype or meson line was written by hand.
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "k8scheck/policy.h"
#include "k8scheck/rule.h"

/* The fixture catalog's prototypes, as rule.h has the real ones. */
#include "fixture_rule_list.h"

static int called_kube, called_shared, called_dockerfile;

void kc_rules_demo_kube(const struct kc_workload *w, struct kc_check *ck)
{
	called_kube++;
}

void kc_rules_demo_shared(const struct kc_workload *w, struct kc_check *ck)
{
	called_shared++;
}

void kc_rules_dockerfile_demo(const struct kc_dockerfile *df, struct kc_check *ck)
{
	called_dockerfile++;
}

START_TEST(test_registries)
{
	/* Workload rules in kc_rules[], sorted by id, each with its check. */
	ck_assert_uint_eq(kc_rule_count, 2);
	ck_assert_str_eq(kc_rules[0].id, "demo-kube");
	ck_assert_str_eq(kc_rules[1].id, "shared-demo");
	kc_rules[0].check(NULL, NULL);
	kc_rules[1].check(NULL, NULL);
	ck_assert_int_eq(called_kube, 1);
	ck_assert_int_eq(called_shared, 1);
	/* input: dockerfile goes to its own table, with its own function type. */
	ck_assert_uint_eq(kc_dockerfile_rule_count, 1);
	ck_assert_str_eq(kc_dockerfile_rules[0].id, "dockerfile-demo");
	kc_dockerfile_rules[0].check(NULL, NULL);
	ck_assert_int_eq(called_dockerfile, 1);
	ck_assert_int_eq(called_kube, 1);
}
END_TEST

START_TEST(test_catalog_data)
{
	ck_assert_uint_eq(kc_rule_catalog_count, 3);
	const struct kc_rule_meta *k = &kc_rule_catalog[0];
	const struct kc_rule_meta *d = &kc_rule_catalog[1];
	const struct kc_rule_meta *s = &kc_rule_catalog[2];
	ck_assert_str_eq(k->id, "demo-kube");
	ck_assert_str_eq(d->id, "dockerfile-demo");
	ck_assert_str_eq(s->id, "shared-demo");

	ck_assert_str_eq(k->title, "A rule over workloads");
	ck_assert_str_eq(k->severity_name, "warning");
	ck_assert_int_eq(k->severity, KC_SEVERITY_WARNING);
	ck_assert_int_eq(d->severity, KC_SEVERITY_ERROR);
	ck_assert_int_eq(s->severity, KC_SEVERITY_INFO);
	/* The YAML's values byte for byte: block scalars, escapes, UTF-8. */
	ck_assert_str_eq(k->description, "First line.\n\nQuotes \" and a backslash \\ "
		"stay; so do ?" "?= and ?" "?/ (no trigraphs).\n");
	ck_assert_str_eq(k->remediation, "Fix it.");
	ck_assert_str_eq(k->example, "kind: Pod\n");
	ck_assert_str_eq(d->example, "FROM scratch\n");
	ck_assert_uint_eq(k->references_count, 2);
	ck_assert_str_eq(k->references[0], "Tool: \xc3\xa9 \xe2\x9c\x93");
	ck_assert_str_eq(k->references[1], "plain");
	ck_assert_uint_eq(d->references_count, 0);
	ck_assert_ptr_null(d->references);
	/* default: false as written; true when unset. */
	ck_assert(!k->on_by_default);
	ck_assert(d->on_by_default);
	ck_assert(s->on_by_default);
	ck_assert_int_eq(k->input, KC_RULE_INPUT_KUBERNETES);
	ck_assert_int_eq(d->input, KC_RULE_INPUT_DOCKERFILE);
	ck_assert_int_eq(s->input, KC_RULE_INPUT_KUBERNETES);
	ck_assert_ptr_null(k->custom);
}
END_TEST

Suite *catalog_suite(void);

Suite *catalog_suite(void)
{
	Suite *s = suite_create("catalog");
	TCase *tc = tcase_create("generated registry");
	tcase_add_test(tc, test_registries);
	tcase_add_test(tc, test_catalog_data);
	suite_add_tcase(s, tc);
	return s;
}

/* Not support.c's t_run: this program links no library, only the
 * generated registry and the checks above. */
int main(void)
{
	SRunner *sr = srunner_create(catalog_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
