/* The operands -> the files to read, in report order. Directories are
 * walked relative to directory descriptors (openat/fdopendir), so neither
 * depth nor PATH_MAX limits what is found; a file whose path is too long
 * to open by name is reported where the reader fails, never skipped. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "k8scheck/input.h"

#include "internal.h"

static void add_job(struct kc_cli_inputs *in, const char *path, const char *name,
	FILE *f, int errnum)
{
	if (in->njobs == in->jobs_cap) {
		in->jobs_cap = in->jobs_cap ? in->jobs_cap * 2 : 64;
		in->jobs = kc_arena_realloc(in->arena, in->jobs,
			in->jobs_cap * sizeof(*in->jobs));
	}
	in->jobs[in->njobs++] = (struct kc_pool_job){
		.path = path ? kc_arena_strdup(in->arena, path) : NULL,
		.name = kc_arena_strdup(in->arena, name),
		.in = f,
		.errnum = errnum,
	};
}

static void add_file(struct kc_cli_inputs *in, const char *path)
{
	if (in->setup != NULL && kc_check_excluded(in->setup, path)) {
		return;
	}
	add_job(in, path, path, NULL, 0);
}

void kc_cli_input_error(struct kc_diag *d, struct kc_load_stats *st,
	const char *name, int errnum)
{
	struct stat ls;
	if (errnum == ENOENT && lstat(name, &ls) == 0 && S_ISLNK(ls.st_mode)) {
		kc_diag_at(d, KC_DIAG_ERROR, name, 0, 0,
			"cannot read: broken symbolic link (its target does not exist)");
	} else {
		kc_diag_at(d, KC_DIAG_ERROR, name, 0, 0, "cannot read: %s", strerror(errnum));
	}
	st->input_errors++;
}

static bool dir_seen(struct kc_cli_inputs *in, const struct stat *st)
{
	for (size_t i = 0; i < in->ndirs; i++) {
		if (in->dirs[i].dev == st->st_dev && in->dirs[i].ino == st->st_ino) {
			return true;
		}
	}
	if (in->ndirs == in->dirs_cap) {
		in->dirs_cap = in->dirs_cap ? in->dirs_cap * 2 : 16;
		in->dirs = kc_arena_realloc(in->arena, in->dirs,
			in->dirs_cap * sizeof(*in->dirs));
	}
	in->dirs[in->ndirs++] = (struct kc_cli_dir_id){ st->st_dev, st->st_ino };
	return false;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in d (hidden ones left out: .git, .github, ...), sorted.
 * Caller frees the array and its strings. */
static char **sorted_names(DIR *d, size_t *count)
{
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.') {
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			char **nn = realloc(names, cap * sizeof(*names));
			if (nn == NULL) {
				kc_arena_die_oom();
			}
			names = nn;
		}
		names[n] = strdup(e->d_name);
		if (names[n] == NULL) {
			kc_arena_die_oom();
		}
		n++;
	}
	if (n > 1) {
		qsort(names, n, sizeof(*names), name_cmp);
	}
	*count = n;
	return names;
}

static char *join(const char *path, const char *name)
{
	size_t plen = strlen(path);
	bool slash = plen > 0 && path[plen - 1] == '/';
	size_t len = plen + 1 + strlen(name) + 1;
	char *child = malloc(len);
	if (child == NULL) {
		kc_arena_die_oom();
	}
	snprintf(child, len, "%s%s%s", path, slash ? "" : "/", name);
	return child;
}

/* Walk the directory open as fd (taken over), named path. Each level
 * holds its descriptor while it walks its children: running out of them
 * is reported on the directory that could not be opened. */
static void walk_dir(struct kc_cli_inputs *in, int fd, const char *path,
	const struct stat *st)
{
	if (dir_seen(in, st)) {
		close(fd);
		return;  /* a symlink cycle, or the same directory named twice */
	}
	DIR *d = fdopendir(fd);
	if (d == NULL) {
		add_job(in, NULL, path, NULL, errno);
		close(fd);
		return;
	}
	size_t n;
	char **names = sorted_names(d, &n);
	for (size_t i = 0; i < n; i++) {
		char *child = join(path, names[i]);
		struct stat cs;
		if (fstatat(dirfd(d), names[i], &cs, 0) != 0) {
			/* A dangling link only matters if it looks like an input. */
			if (kc_input_find(names[i]) != NULL) {
				add_job(in, NULL, child, NULL, errno);
			}
		} else if (S_ISDIR(cs.st_mode)) {
			int cfd = openat(dirfd(d), names[i], O_RDONLY | O_DIRECTORY);
			if (cfd < 0) {
				add_job(in, NULL, child, NULL, errno);
			} else {
				walk_dir(in, cfd, child, &cs);
			}
		} else if (S_ISREG(cs.st_mode) && kc_input_find(names[i]) != NULL &&
			!(in->no_dockerfiles &&
				kc_input_find(names[i]) == &kc_input_dockerfile)) {
			add_file(in, child);
		}
		free(child);
		free(names[i]);
	}
	free(names);
	closedir(d);
}

void kc_cli_inputs_add(struct kc_cli_inputs *in, const char *path)
{
	if (strcmp(path, "-") == 0) {
		add_job(in, NULL, in->stdin_name, in->in, 0);
		return;
	}
	struct stat st;
	if (stat(path, &st) != 0) {
		add_job(in, NULL, path, NULL, errno);
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		add_file(in, path);
		return;
	}
	int fd = open(path, O_RDONLY | O_DIRECTORY);
	if (fd < 0) {
		add_job(in, NULL, path, NULL, errno);
		return;
	}
	walk_dir(in, fd, path, &st);
}
