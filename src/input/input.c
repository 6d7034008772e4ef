#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "k8scheck/input.h"

/* The table: a new kind is one more row. The first row is the default for
 * files named explicitly that no kind claims. */
const struct kc_input_kind *const kc_input_kinds[] = {
	&kc_input_kubernetes,
	&kc_input_dockerfile,
};

const unsigned kc_input_kind_count = sizeof(kc_input_kinds) / sizeof(*kc_input_kinds);

const struct kc_input_kind *kc_input_find(const char *name)
{
	const char *slash = strrchr(name, '/');
	const char *base = slash != NULL ? slash + 1 : name;
	for (unsigned i = 0; i < kc_input_kind_count; i++) {
		if (kc_input_kinds[i]->claims(base)) {
			return kc_input_kinds[i];
		}
	}
	return NULL;
}

const struct kc_input_kind *kc_input_for(const char *name)
{
	const struct kc_input_kind *k = name != NULL ? kc_input_find(name) : NULL;
	return k != NULL ? k : kc_input_kinds[0];
}

bool kc_input_load(const struct kc_input_request *req)
{
	return kc_input_for(req->name)->load(req);
}

const char *kc_input_patterns(void)
{
	static char buf[512];
	if (buf[0] != '\0') {
		return buf;
	}
	/* "A", "A or B", "A, B or C": each row's own list stays as written. */
	size_t n = 0;
	for (unsigned i = 0; i < kc_input_kind_count && n < sizeof(buf); i++) {
		const char *sep = i == 0 ? "" : i + 1 == kc_input_kind_count ? " or " : ", ";
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", sep,
			kc_input_kinds[i]->patterns);
	}
	return buf;
}

/* Read all of fd (or f, when fd < 0), at most max bytes: *too_big when
 * there is more. The buffer never grows past max + 1, so an endless file
 * (/dev/zero) costs the limit, not twice it. */
static bool read_bounded(int fd, FILE *f, size_t max, char **out, size_t *len,
	bool *too_big)
{
	/* One byte past the limit tells that there is more. */
	size_t most = max < SIZE_MAX ? max + 1 : max;
	size_t cap = 64 * 1024, n = 0;
	if (cap > most) {
		cap = most;
	}
	char *buf = malloc(cap);
	if (buf == NULL) {
		kc_arena_die_oom();
	}
	*too_big = false;
	for (;;) {
		if (n == cap) {
			if (cap >= most) {
				*too_big = true;
				free(buf);
				return false;
			}
			cap = cap > most / 2 ? most : cap * 2;
			char *nb = realloc(buf, cap);
			if (nb == NULL) {
				kc_arena_die_oom();
			}
			buf = nb;
		}
		ssize_t got;
		if (fd >= 0) {
			got = read(fd, buf + n, cap - n);
			if (got < 0 && errno == EINTR) {
				continue;
			}
		} else {
			got = (ssize_t)fread(buf + n, 1, cap - n, f);
			if (got == 0 && ferror(f)) {
				got = -1;
			}
		}
		if (got < 0) {
			int e = errno;
			free(buf);
			errno = e;
			return false;
		}
		if (got == 0) {
			break;
		}
		n += (size_t)got;
	}
	if (n > max) {
		*too_big = true;
		free(buf);
		return false;
	}
	*out = buf;
	*len = n;
	return true;
}

/* Open path for reading without blocking on a FIFO that has no writer
 * (it then reads as empty); directories are refused. */
static int open_input(const char *path)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		errno = EISDIR;
		return -1;
	}
	/* Blocking reads from here: a FIFO's writer is waited for. */
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0) {
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	}
	return fd;
}

bool kc_input_read(const char *path, const char *name, FILE *in,
	const struct kc_limits *limits, struct kc_diag *diag,
	struct kc_load_stats *stats, char **out, size_t *out_len)
{
	const struct kc_limits *lim = limits ? limits : &kc_limits_default;
	int fd = -1;
	if (in == NULL && (fd = open_input(path)) < 0) {
		kc_diag_at(diag, KC_DIAG_ERROR, name, 0, 0, "cannot read: %s",
			strerror(errno));
		stats->input_errors++;
		return false;
	}
	bool too_big = false;
	bool ok = read_bounded(fd, in, lim->max_file_bytes, out, out_len, &too_big);
	int e = errno;
	if (fd >= 0) {
		close(fd);
	}
	if (ok) {
		return true;
	}
	if (too_big) {
		kc_diag_at(diag, KC_DIAG_ERROR, name, 0, 0,
			"file is larger than the limit of %zu bytes (see --max-file-size)",
			lim->max_file_bytes);
	} else {
		kc_diag_at(diag, KC_DIAG_ERROR, name, 0, 0, "cannot read: %s", strerror(e));
	}
	stats->input_errors++;
	return false;
}
