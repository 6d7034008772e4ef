/*
 * The images a run knows: links from skaffold and Compose files near the
 * inputs, each resolved to the user its Dockerfile makes the image run as.
 * Built once before checking; afterwards only read, by every worker.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "k8scheck/image.h"

struct kc_image_index {
	struct kc_image_links links;
	struct kc_image_info *info;      /* one per link once resolved */
	unsigned resolved;
};

struct kc_image_index *kc_image_index_create(struct kc_arena *a)
{
	struct kc_image_index *x = kc_arena_alloc(a, sizeof(*x));
	memset(x, 0, sizeof(*x));
	kc_image_links_init(&x->links, a);
	return x;
}

struct kc_image_links *kc_image_index_links(struct kc_image_index *x)
{
	return &x->links;
}

unsigned kc_image_index_count(const struct kc_image_index *x)
{
	return x != NULL ? x->links.count : 0;
}

/* Read path whole (at most max bytes) into a; NULL with errno set. */
static char *slurp(const char *path, size_t max, struct kc_arena *a, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		return NULL;
	}
	size_t cap = 4096, n = 0;
	char *buf = kc_arena_alloc(a, cap + 1);
	for (;;) {
		if (n == cap) {
			if (cap >= max) {
				fclose(f);
				errno = EFBIG;
				return NULL;
			}
			size_t ncap = cap * 2 > max ? max : cap * 2;
			buf = kc_arena_realloc(a, buf, ncap + 1);
			cap = ncap;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0) {
			break;
		}
	}
	bool bad = ferror(f) != 0;
	fclose(f);
	if (bad) {
		errno = EIO;
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

static const char *const link_files[] = {
	"compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml",
	"skaffold.yaml", "skaffold.yml",
};

/* The parent of dir, as a path from the working directory. */
static const char *parent_of(struct kc_arena *a, const char *dir)
{
	size_t n = strlen(dir);
	if (strcmp(dir, ".") == 0) {
		return "..";
	}
	if (strcmp(dir, "/") == 0) {
		return "/";
	}
	if ((n == 2 && strcmp(dir, "..") == 0) || (n > 2 && strcmp(dir + n - 3, "/..") == 0)) {
		return kc_arena_printf(a, "%s/..", dir);
	}
	const char *slash = strrchr(dir, '/');
	if (slash == NULL) {
		return ".";
	}
	return slash == dir ? "/" : kc_arena_strndup(a, dir, (size_t)(slash - dir));
}

/* name inside dir, as a path from the working directory. */
static const char *in_dir(struct kc_arena *a, const char *dir, const char *name)
{
	if (strcmp(dir, ".") == 0) {
		return name;
	}
	return kc_arena_printf(a, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", name);
}

bool kc_image_index_discover(struct kc_image_index *x, const char *from,
	size_t max_file_bytes, struct kc_diag *diag)
{
	struct kc_arena *a = x->links.a;
	const char *dir = ".";
	struct stat st;
	if (from != NULL && strcmp(from, "-") != 0) {
		if (stat(from, &st) == 0 && S_ISDIR(st.st_mode)) {
			dir = from;
			size_t n = strlen(dir);
			while (n > 1 && dir[n - 1] == '/') {
				n--;
			}
			dir = kc_arena_strndup(a, dir, n);
		} else {
			dir = parent_of(a, from);
			if (strchr(from, '/') == NULL) {
				dir = ".";
			}
		}
	}
	bool ok = true;
	dev_t dev = 0;
	for (unsigned depth = 0; depth < 64; depth++) {
		if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
			break;
		}
		if (depth > 0 && st.st_dev != dev) {
			break;
		}
		dev = st.st_dev;
		for (size_t i = 0; i < sizeof(link_files) / sizeof(link_files[0]); i++) {
			const char *path = in_dir(a, dir, link_files[i]);
			struct stat fs;
			if (stat(path, &fs) != 0 || !S_ISREG(fs.st_mode)) {
				continue;
			}
			size_t len;
			char *buf = slurp(path, max_file_bytes, a, &len);
			if (buf == NULL) {
				kc_diag_at(diag, KC_DIAG_ERROR, path, 0, 0, "cannot read: %s",
					strerror(errno));
				ok = false;
				continue;
			}
			bool skaffold = link_files[i][0] == 's';
			ok = (skaffold ? kc_image_links_skaffold(&x->links, path, buf, len, diag)
				: kc_image_links_compose(&x->links, path, buf, len, diag)) && ok;
		}
		struct stat gs;
		if (stat(in_dir(a, dir, ".git"), &gs) == 0 || strcmp(dir, "/") == 0) {
			break;
		}
		struct stat ps;
		const char *up = parent_of(a, dir);
		if (stat(up, &ps) != 0 || (ps.st_ino == st.st_ino && ps.st_dev == st.st_dev)) {
			break;
		}
		dir = up;
	}
	return ok;
}

void kc_image_index_resolve(struct kc_image_index *x, size_t max_file_bytes,
	struct kc_diag *diag)
{
	struct kc_arena *a = x->links.a;
	x->info = kc_arena_alloc(a, (x->links.count + 1) * sizeof(*x->info));
	for (unsigned i = 0; i < x->links.count; i++) {
		const struct kc_image_link *k = &x->links.links[i];
		struct kc_image_info *in = &x->info[i];
		memset(in, 0, sizeof(*in));
		in->link = k;
		in->file = k->dockerfile;
		in->user.verdict = KC_IMAGE_UNKNOWN;
		in->user.uid = -1;
		size_t len;
		char *buf = slurp(k->dockerfile, max_file_bytes, a, &len);
		if (buf == NULL) {
			kc_diag_at(diag, KC_DIAG_WARNING, k->source, k->pos.line, k->pos.col,
				"image '%s' is built from '%s', which cannot be read: %s",
				k->image, k->dockerfile, strerror(errno));
			in->user.why = kc_arena_printf(a, "'%s' cannot be read", k->dockerfile);
			continue;
		}
		struct kc_dockerfile *df = kc_arena_alloc(a, sizeof(*df));
		struct kc_df_error err;
		if (!kc_dockerfile_parse(buf, len, a, df, &err)) {
			in->user.why = kc_arena_printf(a, "'%s' does not parse", k->dockerfile);
			continue;
		}
		if (!kc_image_dockerfile_user(df, k->target, a, &in->user)) {
			kc_diag_at(diag, KC_DIAG_WARNING, k->source, k->pos.line, k->pos.col,
				"image '%s': '%s' has no build stage '%s'", k->image,
				k->dockerfile, k->target);
			in->user.verdict = KC_IMAGE_UNKNOWN;
			in->user.why = kc_arena_printf(a, "'%s' has no stage '%s'",
				k->dockerfile, k->target);
			continue;
		}
		const struct kc_df_instr *at = in->user.instr != NULL ? in->user.instr : in->user.from;
		if (at != NULL) {
			in->pos = at->pos;
		}
	}
	x->resolved = x->links.count;
}

bool kc_image_index_find(const struct kc_image_index *x, const char *image,
	struct kc_arena *a, struct kc_image_info *out)
{
	if (image == NULL) {
		return false;
	}
	if (x != NULL && x->resolved > 0) {
		bool ambiguous;
		const struct kc_image_link *k = kc_image_links_find(&x->links, image, &ambiguous);
		if (ambiguous) {
			return false;
		}
		if (k != NULL) {
			*out = x->info[k - x->links.links];
			return out->user.verdict != KC_IMAGE_UNKNOWN;
		}
	}
	memset(out, 0, sizeof(*out));
	return kc_image_base_user(image, a, &out->user);
}
