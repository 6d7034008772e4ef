/*
 * Image references, normalised as distribution/reference does (the code
 * containerd, CRI-O and the Docker engine share): a first component with a
 * '.' or ':', or "localhost", or an upper-case letter, is a registry;
 * otherwise the registry is docker.io and a one-component path gets
 * "library/".
 */
#include <ctype.h>
#include <string.h>

#include "k8scheck/image.h"

static bool is_domain(const char *s, size_t n)
{
	if (n == 9 && strncmp(s, "localhost", 9) == 0) {
		return true;
	}
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.' || s[i] == ':' || isupper((unsigned char)s[i])) {
			return true;
		}
	}
	return false;
}

bool kc_image_parts_parse(const char *s, struct kc_arena *a, struct kc_image_parts *out)
{
	if (s == NULL || *s == '\0') {
		return false;
	}
	const char *at = strchr(s, '@');
	size_t name_len = at != NULL ? (size_t)(at - s) : strlen(s);
	const char *digest = at != NULL ? at + 1 : NULL;
	if (digest != NULL && *digest == '\0') {
		return false;
	}
	/* The tag is after the last ':' of the last path component. */
	const char *last_slash = NULL;
	for (size_t i = 0; i < name_len; i++) {
		if (s[i] == '/') {
			last_slash = s + i;
		}
	}
	const char *comp = last_slash != NULL ? last_slash + 1 : s;
	const char *colon = memchr(comp, ':', name_len - (size_t)(comp - s));
	size_t repo_len = colon != NULL ? (size_t)(colon - s) : name_len;
	const char *tag = NULL;
	if (colon != NULL) {
		tag = kc_arena_strndup(a, colon + 1, name_len - repo_len - 1);
		if (*tag == '\0') {
			return false;
		}
	}
	if (repo_len == 0 || s[0] == '/' || s[repo_len - 1] == '/') {
		return false;
	}
	for (size_t i = 1; i < repo_len; i++) {
		if (s[i] == '/' && s[i - 1] == '/') {
			return false;
		}
	}
	const char *slash = memchr(s, '/', repo_len);
	const char *domain = "docker.io";
	const char *path = s;
	size_t path_len = repo_len;
	if (slash != NULL && is_domain(s, (size_t)(slash - s))) {
		domain = kc_arena_strndup(a, s, (size_t)(slash - s));
		path = slash + 1;
		path_len = repo_len - (size_t)(path - s);
		if (strcmp(domain, "index.docker.io") == 0) {
			domain = "docker.io";
		}
	}
	const char *p;
	if (strcmp(domain, "docker.io") == 0 && memchr(path, '/', path_len) == NULL) {
		p = kc_arena_printf(a, "library/%.*s", (int)path_len, path);
	} else {
		p = kc_arena_strndup(a, path, path_len);
	}
	out->domain = domain;
	out->path = p;
	out->tag = tag;
	out->digest = digest != NULL ? kc_arena_strdup(a, digest) : NULL;
	return true;
}

bool kc_image_key(const char *s, const char **key, size_t *len)
{
	if (s == NULL || *s == '\0') {
		return false;
	}
	size_t n = strcspn(s, "@");
	const char *last_slash = NULL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '/') {
			last_slash = s + i;
		}
	}
	const char *comp = last_slash != NULL ? last_slash + 1 : s;
	const char *colon = memchr(comp, ':', n - (size_t)(comp - s));
	if (colon != NULL) {
		n = (size_t)(colon - s);
	}
	const char *p = s;
	const char *slash = memchr(s, '/', n);
	bool hub = true;
	if (slash != NULL && is_domain(s, (size_t)(slash - s))) {
		size_t dl = (size_t)(slash - s);
		hub = (dl == 9 && strncmp(s, "docker.io", 9) == 0) ||
			(dl == 15 && strncmp(s, "index.docker.io", 15) == 0);
		p = slash + 1;
	}
	size_t pl = n - (size_t)(p - s);
	if (hub && pl > 8 && strncmp(p, "library/", 8) == 0) {
		p += 8;
		pl -= 8;
	}
	if (pl == 0 || p[pl - 1] == '/') {
		return false;
	}
	*key = p;
	*len = pl;
	return true;
}

const char *kc_image_ref_key(const char *s, struct kc_arena *a)
{
	struct kc_image_parts r;
	const char *k;
	size_t n;
	if (!kc_image_parts_parse(s, a, &r) || !kc_image_key(s, &k, &n)) {
		return NULL;
	}
	return kc_arena_strndup(a, k, n);
}

/* True if the long key ends with "/" + the short one. */
static bool ends_with_component(const char *l, size_t ll, const char *sh, size_t sl)
{
	return ll > sl && l[ll - sl - 1] == '/' && memcmp(l + ll - sl, sh, sl) == 0;
}

bool kc_image_key_match_n(const char *a, size_t al, const char *b, size_t bl)
{
	return (al == bl && memcmp(a, b, al) == 0) || ends_with_component(a, al, b, bl) ||
		ends_with_component(b, bl, a, al);
}

bool kc_image_key_match(const char *a, const char *b)
{
	if (a == NULL || b == NULL) {
		return false;
	}
	return kc_image_key_match_n(a, strlen(a), b, strlen(b));
}

enum kc_image_verdict kc_image_verdict_of(const char *user)
{
	if (user == NULL) {
		return KC_IMAGE_UNKNOWN;
	}
	size_t n = strcspn(user, ":");
	if (n == 0) {
		/* No user at all: the kubelet treats the image as running as root. */
		return KC_IMAGE_ROOT;
	}
	unsigned long long uid = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)user[i])) {
			return KC_IMAGE_NON_NUMERIC;
		}
		if (uid < 1000000000000ULL) {
			uid = uid * 10 + (unsigned)(user[i] - '0');
		}
	}
	return uid == 0 ? KC_IMAGE_ROOT : KC_IMAGE_NON_ROOT;
}
