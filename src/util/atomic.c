#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "k8scheck/arena.h"
#include "k8scheck/atomic.h"

static void cannot(const char *path, FILE *err)
{
	fprintf(err, "k8scheck: error: cannot write '%s': %s\n", path, strerror(errno));
}

bool kc_atomic_open(struct kc_atomic *w, const char *path, int mode, FILE *err)
{
	*w = (struct kc_atomic){ .path = path };
	size_t n = strlen(path) + 16;
	w->tmp = malloc(n);
	if (w->tmp == NULL) {
		kc_arena_die_oom();
	}
	snprintf(w->tmp, n, "%s.tmp-XXXXXX", path);
	int fd = mkstemp(w->tmp);
	if (fd < 0) {
		cannot(path, err);
		free(w->tmp);
		w->tmp = NULL;
		return false;
	}
	if (mode < 0) {
		mode_t mask = umask(0);
		umask(mask);
		mode = (int)(0666 & ~mask);
	}
	/* If this fails the file keeps mkstemp's 0600: stricter, still safe. */
	(void)fchmod(fd, (mode_t)mode);
	w->f = fdopen(fd, "w");
	if (w->f == NULL) {
		close(fd);
		unlink(w->tmp);
		kc_arena_die_oom();
	}
	return true;
}

bool kc_atomic_commit(struct kc_atomic *w, FILE *err)
{
	if (w->tmp == NULL) {
		return true;
	}
	bool ok = fflush(w->f) == 0 && !ferror(w->f);
	ok = fclose(w->f) == 0 && ok;
	if (!ok || rename(w->tmp, w->path) != 0) {
		cannot(w->path, err);
		unlink(w->tmp);
		ok = false;
	}
	free(w->tmp);
	w->tmp = NULL;
	w->f = NULL;
	return ok;
}

void kc_atomic_abandon(struct kc_atomic *w)
{
	if (w->tmp == NULL) {
		return;
	}
	fclose(w->f);
	unlink(w->tmp);
	free(w->tmp);
	w->tmp = NULL;
	w->f = NULL;
}
