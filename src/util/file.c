#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "k8scheck/arena.h"
#include "k8scheck/file.h"

static int read_stream(FILE *in, size_t max, char **out, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = NULL;
	for (;;) {
		if (n == cap || buf == NULL) {
			/* Never hold more than max + 1 bytes, plus the NUL. */
			cap = buf == NULL ? (max < cap ? max + 1 : cap) : cap * 2;
			if (cap > max + 1) {
				cap = max + 1;
			}
			char *grown = realloc(buf, cap + 1);
			if (grown == NULL) {
				free(buf);
				kc_arena_die_oom();
			}
			buf = grown;
		}
		size_t got = fread(buf + n, 1, cap - n, in);
		n += got;
		if (n > max) {
			free(buf);
			return EFBIG;
		}
		if (got == 0) {
			break;
		}
	}
	if (ferror(in)) {
		int e = errno != 0 ? errno : EIO;
		free(buf);
		return e;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

int kc_file_read(const char *path, FILE *in, size_t max, char **out, size_t *len)
{
	if (in != NULL) {
		return read_stream(in, max, out, len);
	}
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		return errno;
	}
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(f);
		return EISDIR;
	}
	errno = 0;
	int e = read_stream(f, max, out, len);
	fclose(f);
	return e;
}
