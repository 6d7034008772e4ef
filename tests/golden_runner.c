/*
 * Golden end-to-end tests. Each case is a directory holding `args` (one
 * argument per line), its input files, an optional `stdin`, and the expected
 * `expected.out`, `expected.err` and `expected.rc`. The runner chdirs into
 * the case and calls kc_cli_run() in-process with memory streams, so the
 * sanitizers and valgrind see the whole path. A case with a file named
 * `exec` runs the real binary instead (K8SCHECK_BIN), for argv handling and
 * exit codes.
 *
 * KC_GOLDEN_UPDATE=1 rewrites the expected files; review the diff like code.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "k8scheck/cli.h"

#ifdef NDEBUG
#error "tests must not be built with NDEBUG"
#endif

static const char *case_dir;

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		return NULL;
	}
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	size_t got;
	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
		}
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static void spit(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	ck_assert_msg(f != NULL, "cannot write %s", path);
	fwrite(data, 1, len, f);
	fclose(f);
}

/* argv from `args`: one argument per line; a final newline ends the last. */
static char **read_args(int *argc, char **text_out)
{
	size_t len;
	char *text = slurp("args", &len);
	*text_out = text;
	ck_assert_msg(text != NULL, "%s: no args file", case_dir);
	char **argv = calloc(len + 2, sizeof(*argv));
	int n = 0;
	argv[n++] = (char *)(uintptr_t)"k8scheck";
	char *p = text;
	while (*p != '\0') {
		char *nl = strchr(p, '\n');
		if (nl != NULL) {
			*nl = '\0';
		}
		argv[n++] = p;
		if (nl == NULL) {
			break;
		}
		p = nl + 1;
	}
	argv[n] = NULL;
	*argc = n;
	return argv;
}

static int run_exec(char **argv, FILE *stdin_file, char **out, size_t *out_len,
	char **err, size_t *err_len)
{
	const char *bin = getenv("K8SCHECK_BIN");
	ck_assert_msg(bin != NULL, "K8SCHECK_BIN is not set");
	char out_tmp[] = "/tmp/kc-golden-out-XXXXXX";
	char err_tmp[] = "/tmp/kc-golden-err-XXXXXX";
	int ofd = mkstemp(out_tmp);
	int efd = mkstemp(err_tmp);
	ck_assert(ofd >= 0 && efd >= 0);
	pid_t pid = fork();
	ck_assert(pid >= 0);
	if (pid == 0) {
		dup2(fileno(stdin_file), 0);
		dup2(ofd, 1);
		dup2(efd, 2);
		argv[0] = (char *)bin;
		execv(bin, argv);
		_exit(127);
	}
	int status;
	waitpid(pid, &status, 0);
	close(ofd);
	close(efd);
	*out = slurp(out_tmp, out_len);
	*err = slurp(err_tmp, err_len);
	unlink(out_tmp);
	unlink(err_tmp);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void check_file(const char *name, const char *got, size_t got_len,
	bool update)
{
	if (update) {
		spit(name, got, got_len);
		return;
	}
	size_t want_len;
	char *want = slurp(name, &want_len);
	ck_assert_msg(want != NULL, "%s/%s is missing (run with KC_GOLDEN_UPDATE=1)",
		case_dir, name);
	ck_assert_msg(want_len == got_len && memcmp(want, got, got_len) == 0,
		"%s/%s differs.\n--- expected\n%s\n--- got\n%.*s", case_dir, name,
		want, (int)got_len, got);
	free(want);
}

START_TEST(golden)
{
	ck_assert_msg(chdir(case_dir) == 0, "cannot enter %s: %s", case_dir,
		strerror(errno));
	/* A case may run from another directory (named in `cwd`, relative
	 * to the case) so paths print as a user would type them; expected
	 * files stay in the case. */
	char *here = getcwd(NULL, 0);
	size_t cwd_len;
	char *cwd = slurp("cwd", &cwd_len);
	/* Deterministic environment: no colour, no CI defaults, fixed version. */
	setenv("K8SCHECK_TEST_VERSION", "0.0.0-test", 1);
	unsetenv("NO_COLOR");
	unsetenv("CI");
	int argc;
	char *args_text;
	char **argv = read_args(&argc, &args_text);
	/* Open the case's files before moving to cwd. */
	FILE *in = fopen(access("stdin", R_OK) == 0 ? "stdin" : "/dev/null", "rb");
	ck_assert(in != NULL);
	bool exec = access("exec", F_OK) == 0;
	if (cwd != NULL) {
		cwd[strcspn(cwd, "\n")] = '\0';
		ck_assert_msg(chdir(cwd) == 0, "cannot enter %s", cwd);
	}
	char *out = NULL, *err = NULL;
	size_t out_len = 0, err_len = 0;
	int rc;
	if (exec) {
		rc = run_exec(argv, in, &out, &out_len, &err, &err_len);
	} else {
		FILE *o = open_memstream(&out, &out_len);
		FILE *e = open_memstream(&err, &err_len);
		rc = kc_cli_run(argc, argv, in, o, e);
		fclose(o);
		fclose(e);
	}
	fclose(in);
	ck_assert(chdir(here) == 0);
	free(here);
	free(argv);
	free(args_text);
	free(cwd);
	const char *u = getenv("KC_GOLDEN_UPDATE");
	bool update = u != NULL && strcmp(u, "1") == 0;
	char rcs[16];
	int rcn = snprintf(rcs, sizeof(rcs), "%d\n", rc);
	check_file("expected.out", out, out_len, update);
	check_file("expected.err", err, err_len, update);
	check_file("expected.rc", rcs, (size_t)rcn, update);
	free(out);
	free(err);
}
END_TEST

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: golden-runner CASE-DIR\n");
		return 2;
	}
	case_dir = argv[1];
	Suite *s = suite_create("golden");
	TCase *tc = tcase_create(case_dir);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, golden);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
