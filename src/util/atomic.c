#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "k8scheck/arena.h"
#include "k8scheck/atomic.h"

static void cannot(const char *path, const char *why, FILE *err)
{
	fprintf(err, "k8scheck: error: cannot write '%s': %s\n", path, why);
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);
	if (d == NULL) {
		kc_arena_die_oom();
	}
	return d;
}

/* ---- temporaries removed on SIGINT and SIGTERM ------------------------------ */

/* The handler may run at any point, so the slots are only ever set to a
 * complete string or to NULL, and it only calls unlink() (async-signal-
 * safe). More temporaries at once than slots are simply not covered. */
#define SLOTS 32
static char *volatile slots[SLOTS];
static volatile sig_atomic_t installed;

static void on_signal(int sig)
{
	for (int i = 0; i < SLOTS; i++) {
		char *p = slots[i];
		if (p != NULL) {
			unlink(p);
		}
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install(void)
{
	if (installed) {
		return;
	}
	installed = 1;
	static const int sigs[] = { SIGINT, SIGTERM };
	for (size_t i = 0; i < sizeof(sigs) / sizeof(*sigs); i++) {
		struct sigaction old;
		/* Leave a handler (or SIG_IGN) someone else set alone. */
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_DFL) {
			struct sigaction sa = { .sa_handler = on_signal };
			sigemptyset(&sa.sa_mask);
			sigaction(sigs[i], &sa, NULL);
		}
	}
}

static void track(char *tmp)
{
	install();
	for (int i = 0; i < SLOTS; i++) {
		if (slots[i] == NULL) {
			slots[i] = tmp;
			return;
		}
	}
}

static void untrack(const char *tmp)
{
	for (int i = 0; i < SLOTS; i++) {
		if (slots[i] == tmp) {
			slots[i] = NULL;
		}
	}
}

/* ---- where to write ------------------------------------------------------- */

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (slash == NULL) {
		return xstrdup(".");
	}
	if (slash == path) {
		return xstrdup("/");
	}
	char *d = strndup(path, (size_t)(slash - path));
	if (d == NULL) {
		kc_arena_die_oom();
	}
	return d;
}

/* path with symbolic links followed to what they name, which need not
 * exist yet (a link to a file to create). NULL with errno on a loop or a
 * missing directory. Caller frees. */
static char *resolve(const char *path)
{
	char *cur = xstrdup(path);
	for (int hops = 0; hops < 40; hops++) {
		struct stat st;
		if (lstat(cur, &st) != 0) {
			if (errno == ENOENT) {
				return cur;  /* a file to create */
			}
			free(cur);
			return NULL;
		}
		if (!S_ISLNK(st.st_mode)) {
			return cur;
		}
		char buf[PATH_MAX];
		ssize_t n = readlink(cur, buf, sizeof(buf) - 1);
		if (n < 0) {
			free(cur);
			return NULL;
		}
		buf[n] = '\0';
		char *next;
		if (buf[0] == '/') {
			next = xstrdup(buf);
		} else {
			char *dir = dir_of(cur);
			size_t len = strlen(dir) + strlen(buf) + 2;
			next = malloc(len);
			if (next == NULL) {
				kc_arena_die_oom();
			}
			snprintf(next, len, "%s/%s", dir, buf);
			free(dir);
		}
		free(cur);
		cur = next;
	}
	free(cur);
	errno = ELOOP;
	return NULL;
}

/* ---- the API -------------------------------------------------------------- */

bool kc_atomic_open_flags(struct kc_atomic *w, const char *path, unsigned flags,
	FILE *err)
{
	*w = (struct kc_atomic){ .path = path };
	struct stat st;
	bool exists = stat(path, &st) == 0;
	if (!exists && (errno != ENOENT || (flags & KC_ATOMIC_EXISTING))) {
		cannot(path, strerror(errno), err);
		return false;
	}
	if (exists && S_ISDIR(st.st_mode)) {
		cannot(path, strerror(EISDIR), err);
		return false;
	}
	if (exists && !S_ISREG(st.st_mode)) {
		if (flags & KC_ATOMIC_EXISTING) {
			cannot(path, "not a regular file", err);
			return false;
		}
		/* A device, FIFO or socket is written, never replaced: no
		 * O_CREAT (it exists), no O_TRUNC (/dev/null as non-root). */
		int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
		if (fd < 0) {
			cannot(path, strerror(errno), err);
			return false;
		}
		w->f = fdopen(fd, "w");
		if (w->f == NULL) {
			close(fd);
			kc_arena_die_oom();
		}
		w->direct = true;
		return true;
	}
	if (exists) {
		if ((st.st_mode & 0222) == 0) {
			/* Checked on the mode itself: root may write anything. */
			cannot(path, "the file is read-only", err);
			return false;
		}
		if ((flags & KC_ATOMIC_EXISTING) && !(flags & KC_ATOMIC_HARD_LINKS) &&
			st.st_nlink > 1) {
			char why[96];
			snprintf(why, sizeof(why), "the file has %lu hard links, which "
				"replacing it would split", (unsigned long)st.st_nlink);
			cannot(path, why, err);
			return false;
		}
	}
	w->target = resolve(path);
	if (w->target == NULL) {
		cannot(path, strerror(errno), err);
		return false;
	}
	size_t n = strlen(w->target) + 16;
	w->tmp = malloc(n);
	if (w->tmp == NULL) {
		kc_arena_die_oom();
	}
	snprintf(w->tmp, n, "%s.tmp-XXXXXX", w->target);
	int fd = mkstemp(w->tmp);
	if (fd < 0) {
		cannot(path, strerror(errno), err);
		free(w->tmp);
		free(w->target);
		*w = (struct kc_atomic){ .path = path };
		return false;
	}
	track(w->tmp);
	mode_t mode;
	if (exists) {
		mode = st.st_mode & 07777;
		struct stat mine;
		if (fstat(fd, &mine) != 0 ||
			((mine.st_uid != st.st_uid || mine.st_gid != st.st_gid) &&
				fchown(fd, st.st_uid, st.st_gid) != 0)) {
			cannot(path, "cannot keep its owner and group", err);
			close(fd);
			kc_atomic_abandon(w);
			return false;
		}
	} else {
		mode_t mask = umask(0);
		umask(mask);
		mode = 0666 & ~mask;
	}
	/* After fchown, which may clear set-id bits. If this fails the file
	 * keeps mkstemp's 0600: stricter, still safe. */
	(void)fchmod(fd, mode);
	w->f = fdopen(fd, "w");
	if (w->f == NULL) {
		close(fd);
		kc_arena_die_oom();
	}
	return true;
}

bool kc_atomic_open(struct kc_atomic *w, const char *path, int mode, FILE *err)
{
	return kc_atomic_open_flags(w, path, mode >= 0 ? KC_ATOMIC_EXISTING : 0, err);
}

/* fsync the directory holding path, so the rename survives a crash.
 * Some file systems cannot (EINVAL): that is no failure of ours. */
static bool sync_dir(const char *path)
{
	char *dir = dir_of(path);
	int fd = open(dir, O_RDONLY | O_CLOEXEC);
	free(dir);
	if (fd < 0) {
		return true;
	}
	bool ok = fsync(fd) == 0 || errno == EINVAL || errno == EROFS;
	close(fd);
	return ok;
}

bool kc_atomic_commit(struct kc_atomic *w, FILE *err)
{
	if (w->f == NULL) {
		return true;
	}
	/* The first error is the one to tell. */
	int e = 0;
	if (fflush(w->f) != 0 || ferror(w->f)) {
		e = errno != 0 ? errno : EIO;
	}
	if (!w->direct && e == 0 && fsync(fileno(w->f)) != 0 && errno != EINVAL) {
		e = errno;
	}
	if (fclose(w->f) != 0 && e == 0) {
		e = errno;
	}
	w->f = NULL;
	if (w->direct) {
		if (e != 0) {
			cannot(w->path, strerror(e), err);
		}
		return e == 0;
	}
	if (e == 0 && rename(w->tmp, w->target) != 0) {
		e = errno;
	}
	if (e != 0) {
		unlink(w->tmp);
	} else if (!sync_dir(w->target)) {
		e = errno;
	}
	bool ok = e == 0;
	if (!ok) {
		cannot(w->path, strerror(e), err);
	}
	untrack(w->tmp);
	free(w->tmp);
	free(w->target);
	w->tmp = NULL;
	w->target = NULL;
	return ok;
}

void kc_atomic_abandon(struct kc_atomic *w)
{
	if (w->f != NULL) {
		fclose(w->f);
		w->f = NULL;
	}
	if (w->tmp != NULL) {
		unlink(w->tmp);
		untrack(w->tmp);
		free(w->tmp);
		w->tmp = NULL;
	}
	free(w->target);
	w->target = NULL;
}
