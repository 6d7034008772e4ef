#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "k8scheck/file.h"
#include "support.h"

START_TEST(test_reads_whole_file)
{
	FILE *in = fmemopen((void *)"a: 1\nb: 2\n", 10, "r");
	char *out = NULL;
	size_t len = 0;
	ck_assert_int_eq(kc_file_read("x", in, 10, &out, &len), 0);
	ck_assert_uint_eq(len, 10);
	ck_assert_str_eq(out, "a: 1\nb: 2\n");
	free(out);
	fclose(in);
}
END_TEST

START_TEST(test_limit_is_enforced_while_reading)
{
	/* One byte over the limit is refused, out untouched; /dev/zero is
	 * endless and stops at the limit too. */
	FILE *in = fmemopen((void *)"0123456789", 10, "r");
	char *out = (char *)"untouched";
	size_t len = 7;
	ck_assert_int_eq(kc_file_read("x", in, 9, &out, &len), EFBIG);
	ck_assert_str_eq(out, "untouched");
	ck_assert_uint_eq(len, 7);
	fclose(in);
	ck_assert_int_eq(kc_file_read("/dev/zero", NULL, 100000, &out, &len), EFBIG);
}
END_TEST

START_TEST(test_directory_is_an_error)
{
	char *out = NULL;
	size_t len = 0;
	ck_assert_int_eq(kc_file_read("/", NULL, 1000, &out, &len), EISDIR);
	ck_assert_ptr_null(out);
	ck_assert_int_eq(kc_file_read("/nonexistent/k8scheck", NULL, 1000, &out, &len),
		ENOENT);
}
END_TEST

START_TEST(test_empty_file)
{
	char *out = NULL;
	size_t len = 1;
	ck_assert_int_eq(kc_file_read("/dev/null", NULL, 1000, &out, &len), 0);
	ck_assert_uint_eq(len, 0);
	ck_assert_str_eq(out, "");
	free(out);
}
END_TEST

static Suite *file_suite(void)
{
	Suite *s = suite_create("file");
	TCase *tc = tcase_create("read");
	tcase_add_test(tc, test_reads_whole_file);
	tcase_add_test(tc, test_limit_is_enforced_while_reading);
	tcase_add_test(tc, test_directory_is_an_error);
	tcase_add_test(tc, test_empty_file);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return t_run(file_suite());
}
