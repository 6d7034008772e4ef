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

bool kc_image_ref_parse(const char *s, struct kc_arena *a, struct kc_image_ref *out)
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

const char *kc_image_ref_key(const char *s, struct kc_arena *a)
{
	struct kc_image_ref r;
	if (!kc_image_ref_parse(s, a, &r)) {
		return NULL;
	}
	if (strcmp(r.domain, "docker.io") == 0 && strncmp(r.path, "library/", 8) == 0) {
		return r.path + 8;
	}
	return r.path;
}

/* True if long_key ends with "/" + short_key. */
static bool ends_with_component(const char *long_key, const char *short_key)
{
	size_t ll = strlen(long_key), sl = strlen(short_key);
	return ll > sl && long_key[ll - sl - 1] == '/' &&
		strcmp(long_key + ll - sl, short_key) == 0;
}

bool kc_image_key_match(const char *a, const char *b)
{
	if (a == NULL || b == NULL) {
		return false;
	}
	return strcmp(a, b) == 0 || ends_with_component(a, b) || ends_with_component(b, a);
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
