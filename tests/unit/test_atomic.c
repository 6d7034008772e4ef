/* mknod() is XSI: the device copies below need it. */
#define _XOPEN_SOURCE 700

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "k8scheck/atomic.h"
#include "support.h"

/*
 * Writing files (src/util/atomic.c): replace only regular files, through
 * symlinks, keeping mode, owner and group; write devices and FIFOs in
 * place; refuse read-only files and files with several hard links; leave
 * no temporary behind, even on SIGTERM. Tests run as root in CI, so
 * read-only is a matter of the mode bits, not of EACCES.
 */

static char dir[64];

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/kc-atomic-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	DIR *d = opendir(dir);
	if (d != NULL) {
		struct dirent *e;
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
				char p[512];
				snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
				chmod(p, 0600);
				unlink(p);
			}
		}
		closedir(d);
	}
	rmdir(dir);
}

static const char *at(const char *name)
{
	static char p[4][256];
	static int k;
	k = (k + 1) % 4;
	snprintf(p[k], sizeof(p[k]), "%s/%s", dir, name);
	return p[k];
}

static void put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

static char *get_file(const char *path)
{
	static char buf[256];
	FILE *f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Names in dir other than . and .. that contain ".tmp-". */
static unsigned temporaries(void)
{
	unsigned n = 0;
	DIR *d = opendir(dir);
	ck_assert_ptr_nonnull(d);
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		n += strstr(e->d_name, ".tmp-") != NULL;
	}
	closedir(d);
	return n;
}

/* Write text to path through the API; the error text goes to *msg. */
static bool write_to(const char *path, unsigned flags, const char *text, char **msg)
{
	size_t len;
	FILE *err = open_memstream(msg, &len);
	ck_assert_ptr_nonnull(err);
	struct kc_atomic w;
	bool ok = kc_atomic_open_flags(&w, path, flags, err);
	if (ok) {
		fputs(text, w.f);
		ok = kc_atomic_commit(&w, err);
	}
	fclose(err);
	return ok;
}

static void assert_writes(const char *path, unsigned flags, const char *text)
{
	char *msg = NULL;
	bool ok = write_to(path, flags, text, &msg);
	ck_assert_msg(ok, "%s", msg);
	free(msg);
}

static void assert_refused(const char *path, unsigned flags, const char *why)
{
	char *msg = NULL;
	ck_assert(!write_to(path, flags, "new\n", &msg));
	ck_assert_msg(strstr(msg, why) != NULL, "'%s' lacks '%s'", msg, why);
	free(msg);
	ck_assert_uint_eq(temporaries(), 0);
}

START_TEST(test_new_file)
{
	mode_t mask = umask(022);
	assert_writes(at("new.yaml"), 0, "a\n");
	umask(mask);
	struct stat st;
	ck_assert_int_eq(stat(at("new.yaml"), &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0644);
	ck_assert_str_eq(get_file(at("new.yaml")), "a\n");
	ck_assert_uint_eq(temporaries(), 0);
}
END_TEST

START_TEST(test_replace_keeps_mode_owner_group)
{
	put_file(at("f.yaml"), "old\n");
	ck_assert_int_eq(chmod(at("f.yaml"), 0640), 0);
	bool root = geteuid() == 0;
	if (root) {
		ck_assert_int_eq(chown(at("f.yaml"), 1234, 5678), 0);
	}
	struct stat before, after;
	ck_assert_int_eq(stat(at("f.yaml"), &before), 0);
	assert_writes(at("f.yaml"), KC_ATOMIC_EXISTING, "new\n");
	ck_assert_int_eq(stat(at("f.yaml"), &after), 0);
	ck_assert_str_eq(get_file(at("f.yaml")), "new\n");
	ck_assert_uint_eq(after.st_mode & 07777, 0640);
	ck_assert_uint_eq(after.st_uid, before.st_uid);
	ck_assert_uint_eq(after.st_gid, before.st_gid);
	if (root) {
		ck_assert_uint_eq(after.st_uid, 1234);
		ck_assert_uint_eq(after.st_gid, 5678);
	}
	ck_assert_uint_eq(temporaries(), 0);
}
END_TEST

START_TEST(test_symlink_target_written)
{
	put_file(at("real.yaml"), "old\n");
	ck_assert_int_eq(chmod(at("real.yaml"), 0600), 0);
	/* Relative, through a second link. */
	ck_assert_int_eq(symlink("real.yaml", at("link1.yaml")), 0);
	ck_assert_int_eq(symlink("link1.yaml", at("link2.yaml")), 0);
	assert_writes(at("link2.yaml"), KC_ATOMIC_EXISTING, "new\n");
	struct stat st;
	ck_assert_int_eq(lstat(at("link2.yaml"), &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	ck_assert_int_eq(lstat(at("link1.yaml"), &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	ck_assert_int_eq(lstat(at("real.yaml"), &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	ck_assert_str_eq(get_file(at("real.yaml")), "new\n");
	ck_assert_uint_eq(temporaries(), 0);
}
END_TEST

START_TEST(test_dangling_symlink_creates_target)
{
	ck_assert_int_eq(symlink("report.json", at("out.json")), 0);
	assert_writes(at("out.json"), 0, "{}\n");
	struct stat st;
	ck_assert_int_eq(lstat(at("out.json"), &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	ck_assert_str_eq(get_file(at("report.json")), "{}\n");
	/* fix --write needs the file it read. */
	ck_assert_int_eq(symlink("gone.yaml", at("dangling.yaml")), 0);
	assert_refused(at("dangling.yaml"), KC_ATOMIC_EXISTING, "No such file");
}
END_TEST

START_TEST(test_fifo_written_in_place)
{
	ck_assert_int_eq(mkfifo(at("fifo"), 0600), 0);
	int r = open(at("fifo"), O_RDONLY | O_NONBLOCK);
	ck_assert_int_ge(r, 0);
	assert_writes(at("fifo"), 0, "report\n");
	char buf[16] = { 0 };
	ck_assert_int_eq(read(r, buf, sizeof(buf) - 1), 7);
	ck_assert_str_eq(buf, "report\n");
	close(r);
	struct stat st;
	ck_assert_int_eq(lstat(at("fifo"), &st), 0);
	ck_assert(S_ISFIFO(st.st_mode));
	ck_assert_uint_eq(temporaries(), 0);
	/* What fix --write read is a regular file: never a FIFO. */
	assert_refused(at("fifo"), KC_ATOMIC_EXISTING, "not a regular file");
}
END_TEST

/* A character device to write to: as root, a copy of /dev/NAME made in the
 * test directory, so that a regression replaces that node and not the
 * machine's (root may rename over /dev/null); otherwise /dev/NAME itself,
 * which a non-root process cannot replace. */
static const char *device(const char *name, unsigned minor)
{
	static char p[2][256];
	char *out = p[minor & 1];
	snprintf(out, 256, "/dev/%s", name);
	if (geteuid() == 0) {
		snprintf(out, 256, "%s/%s", dir, name);
		ck_assert_int_eq(mknod(out, S_IFCHR | 0666, makedev(1, minor)), 0);
	}
	return out;
}

START_TEST(test_devices_written_in_place)
{
	struct stat st;
	const char *null = device("null", 3);
	assert_writes(null, 0, "nothing\n");
	ck_assert_int_eq(lstat(null, &st), 0);
	ck_assert(S_ISCHR(st.st_mode));
	ck_assert_uint_eq(temporaries(), 0);
	const char *full = device("full", 7);
	if (access(full, W_OK) == 0) {
		/* The write fails, and says so; the device stays a device. */
		char *msg = NULL;
		ck_assert(!write_to(full, 0, "x\n", &msg));
		ck_assert_ptr_nonnull(strstr(msg, "No space left on device"));
		free(msg);
		ck_assert_int_eq(lstat(full, &st), 0);
		ck_assert(S_ISCHR(st.st_mode));
	}
}
END_TEST

START_TEST(test_hard_links_refused_unless_asked)
{
	put_file(at("a.yaml"), "old\n");
	ck_assert_int_eq(link(at("a.yaml"), at("b.yaml")), 0);
	assert_refused(at("a.yaml"), KC_ATOMIC_EXISTING, "2 hard links");
	ck_assert_str_eq(get_file(at("a.yaml")), "old\n");
	assert_writes(at("a.yaml"), KC_ATOMIC_EXISTING | KC_ATOMIC_HARD_LINKS, "new\n");
	ck_assert_str_eq(get_file(at("a.yaml")), "new\n");
	ck_assert_str_eq(get_file(at("b.yaml")), "old\n");
}
END_TEST

START_TEST(test_read_only_refused)
{
	put_file(at("ro.yaml"), "old\n");
	ck_assert_int_eq(chmod(at("ro.yaml"), 0444), 0);
	assert_refused(at("ro.yaml"), KC_ATOMIC_EXISTING, "read-only");
	assert_refused(at("ro.yaml"), 0, "read-only");
	ck_assert_str_eq(get_file(at("ro.yaml")), "old\n");
}
END_TEST

START_TEST(test_directory_refused)
{
	assert_refused(dir, 0, "Is a directory");
}
END_TEST

START_TEST(test_old_signature)
{
	/* A mode means "the file being replaced": it must exist. */
	char *msg = NULL;
	size_t len;
	FILE *err = open_memstream(&msg, &len);
	struct kc_atomic w;
	ck_assert(!kc_atomic_open(&w, at("missing.yaml"), 0644, err));
	ck_assert(kc_atomic_open(&w, at("fresh.yaml"), -1, err));
	fputs("x\n", w.f);
	ck_assert(kc_atomic_commit(&w, err));
	fclose(err);
	free(msg);
	ck_assert_str_eq(get_file(at("fresh.yaml")), "x\n");
}
END_TEST

START_TEST(test_temporary_removed_on_sigterm)
{
	if (getenv("KC_VALGRIND") != NULL) {
		/* Under valgrind the forked child's handler does not run as it
		 * does natively; the gcc, ASan, clang and TSan runs cover it. */
		return;
	}
	put_file(at("f.yaml"), "old\n");
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		/* As in the CLI: Check's runner handles SIGTERM itself, and
		 * a handler someone else set is left alone. */
		signal(SIGTERM, SIG_DFL);
		setpgid(0, 0);
		struct kc_atomic w;
		if (!kc_atomic_open_flags(&w, at("f.yaml"), KC_ATOMIC_EXISTING, stderr)) {
			_exit(3);
		}
		fputs("half", w.f);
		fflush(w.f);
		raise(SIGTERM);
		_exit(4);
	}
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFSIGNALED(status));
	ck_assert_int_eq(WTERMSIG(status), SIGTERM);
	ck_assert_uint_eq(temporaries(), 0);
	ck_assert_str_eq(get_file(at("f.yaml")), "old\n");
}
END_TEST

static Suite *atomic_suite(void)
{
	Suite *s = suite_create("atomic");
	TCase *tc = tcase_create("regular");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_new_file);
	tcase_add_test(tc, test_replace_keeps_mode_owner_group);
	tcase_add_test(tc, test_old_signature);
	suite_add_tcase(s, tc);
	tc = tcase_create("symlinks");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_symlink_target_written);
	tcase_add_test(tc, test_dangling_symlink_creates_target);
	suite_add_tcase(s, tc);
	tc = tcase_create("non-regular");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_fifo_written_in_place);
	tcase_add_test(tc, test_devices_written_in_place);
	tcase_add_test(tc, test_directory_refused);
	suite_add_tcase(s, tc);
	tc = tcase_create("refused");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_hard_links_refused_unless_asked);
	tcase_add_test(tc, test_read_only_refused);
	suite_add_tcase(s, tc);
	tc = tcase_create("signals");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_temporary_removed_on_sigterm);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return t_run(atomic_suite());
}
