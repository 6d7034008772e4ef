/* The scalar resolver against go-yaml v2's table (what kubectl decodes). */
#include <string.h>

#include "k8scheck/scalar.h"
#include "support.h"

#include "../../src/rules/host.h"

#define TAG(t) "tag:yaml.org,2002:" t

static enum kc_scalar plain(const char *v)
{
	return kc_scalar_resolve(v, strlen(v), true, NULL);
}

START_TEST(test_plain_words)
{
	static const char *const bools[] = { "y", "Y", "yes", "Yes", "YES", "n", "N",
		"no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
		"on", "On", "ON", "off", "Off", "OFF" };
	for (size_t i = 0; i < sizeof(bools) / sizeof(*bools); i++) {
		ck_assert_msg(plain(bools[i]) == KC_SCALAR_BOOL, "%s", bools[i]);
	}
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL" };
	for (size_t i = 0; i < sizeof(nulls) / sizeof(*nulls); i++) {
		ck_assert_msg(plain(nulls[i]) == KC_SCALAR_NULL, "'%s'", nulls[i]);
	}
	static const char *const strings[] = { "tRue", "nULL", "yES", "oN", "x",
		"none", "nil", "12abc", "1.2.3", "0x", "-", "." };
	for (size_t i = 0; i < sizeof(strings) / sizeof(*strings); i++) {
		ck_assert_msg(plain(strings[i]) == KC_SCALAR_STRING, "%s", strings[i]);
	}
}
END_TEST

START_TEST(test_numbers)
{
	static const char *const ints[] = { "0", "12", "-3", "+4", "0x1F", "0777" };
	for (size_t i = 0; i < sizeof(ints) / sizeof(*ints); i++) {
		ck_assert_msg(plain(ints[i]) == KC_SCALAR_INT, "%s", ints[i]);
	}
	static const char *const floats[] = { "1.5", "-.5", "1e3", "2.5E-2", ".inf",
		"-.Inf", "+.INF", ".nan", ".NaN", ".NAN" };
	for (size_t i = 0; i < sizeof(floats) / sizeof(*floats); i++) {
		ck_assert_msg(plain(floats[i]) == KC_SCALAR_FLOAT, "%s", floats[i]);
	}
	ck_assert_int_eq(plain("-.nan"), KC_SCALAR_STRING);
	ck_assert(kc_scalar_is_int("0x1f"));
	ck_assert(!kc_scalar_is_int("1.0"));
}
END_TEST

START_TEST(test_quotes_and_tags)
{
	/* Quoted: always a string. */
	ck_assert_int_eq(kc_scalar_resolve("true", 4, false, NULL), KC_SCALAR_STRING);
	ck_assert_int_eq(kc_scalar_resolve("", 0, false, NULL), KC_SCALAR_STRING);
	ck_assert_int_eq(kc_scalar_resolve("5", 1, false, NULL), KC_SCALAR_STRING);
	/* Standard tags decide, whatever the text or quotes. */
	ck_assert_int_eq(kc_scalar_resolve("5", 1, true, TAG("str")), KC_SCALAR_STRING);
	ck_assert_int_eq(kc_scalar_resolve("7", 1, false, TAG("int")), KC_SCALAR_INT);
	ck_assert_int_eq(kc_scalar_resolve("x", 1, false, TAG("bool")), KC_SCALAR_BOOL);
	ck_assert_int_eq(kc_scalar_resolve("1", 1, true, TAG("float")), KC_SCALAR_FLOAT);
	ck_assert_int_eq(kc_scalar_resolve("word", 4, true, TAG("null")), KC_SCALAR_NULL);
	/* Any other tag: the text stays a string (go-yaml resolves only the
	 * tags it knows). */
	ck_assert_int_eq(kc_scalar_resolve("true", 4, true, "!custom"), KC_SCALAR_STRING);
	ck_assert_int_eq(kc_scalar_resolve("5", 1, true, "!"), KC_SCALAR_STRING);
	ck_assert_int_eq(kc_scalar_resolve("null", 4, true, "!x"), KC_SCALAR_STRING);
	ck_assert_int_eq(kc_scalar_resolve("", 0, true, "!x"), KC_SCALAR_STRING);
}
END_TEST

START_TEST(test_bool_values)
{
	static const char *const yes[] = { "y", "Y", "yes", "Yes", "YES", "true",
		"True", "TRUE", "on", "On", "ON" };
	static const char *const no[] = { "n", "N", "no", "No", "NO", "false",
		"False", "FALSE", "off", "Off", "OFF" };
	for (size_t i = 0; i < sizeof(yes) / sizeof(*yes); i++) {
		bool b = false;
		ck_assert_msg(kc_scalar_bool(yes[i], &b) && b, "%s", yes[i]);
		b = true;
		ck_assert_msg(kc_scalar_bool(no[i], &b) && !b, "%s", no[i]);
	}
	bool untouched = true;
	ck_assert(!kc_scalar_bool("1", &untouched));
	ck_assert(!kc_scalar_bool("yess", &untouched));
	ck_assert(!kc_scalar_bool("", &untouched));
	ck_assert(untouched);
	ck_assert_str_eq(kc_scalar_name(KC_SCALAR_BOOL), "boolean");
	ck_assert_str_eq(kc_scalar_name(KC_SCALAR_INT), "integer");
}
END_TEST

START_TEST(test_callers_agree)
{
	/* The locator's null and the rules' boolean are the resolver's. */
	struct kc_arena *a = kc_arena_create();
	const struct kc_node *root = t_parse(a,
		"a: ~\nb: ''\nc: !!null x\nd: !x null\ne: y\nf: \"y\"\ng: !x true\n");
	ck_assert(kc_node_is_null(kc_node_get(root, "a")));
	ck_assert(!kc_node_is_null(kc_node_get(root, "b")));
	ck_assert(kc_node_is_null(kc_node_get(root, "c")));
	ck_assert(!kc_node_is_null(kc_node_get(root, "d")));
	bool b = false;
	ck_assert(kc_rules_node_bool(kc_node_get(root, "e"), &b) && b);
	ck_assert(!kc_rules_node_bool(kc_node_get(root, "f"), &b));
	ck_assert(!kc_rules_node_bool(kc_node_get(root, "g"), &b));
	kc_arena_destroy(a);
}
END_TEST

static Suite *scalar_suite(void)
{
	Suite *s = suite_create("scalar");
	TCase *tc = tcase_create("resolve");
	tcase_add_test(tc, test_plain_words);
	tcase_add_test(tc, test_numbers);
	tcase_add_test(tc, test_quotes_and_tags);
	tcase_add_test(tc, test_bool_values);
	tcase_add_test(tc, test_callers_agree);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return t_run(scalar_suite());
}
