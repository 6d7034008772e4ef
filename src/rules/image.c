/*
 * Image references, split as the container runtime splits them (the
 * grammar of distribution/reference, which containerd and CRI-O share):
 *
 *   [registry/]repository[:tag][@algorithm:digest]
 *
 * The tag is a ':' after the last '/', so the ':' of "registry:5000/app" is
 * the registry's port. The first component is a registry only if it looks
 * like a host: it has a '.' or a ':', is "localhost", or has a capital
 * letter (repositories are lower-case); otherwise the image comes from
 * Docker Hub, and a one-component name lives under "library/".
 */
#include <string.h>

#include "common.h"

static bool is_lower_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* Anything else (spaces, "${TAG}", "{{ .Values.tag }}") is not a reference. */
static bool reference_char(char c)
{
	return is_lower_alnum(c) || is_upper(c) || (c != '\0' && strchr("._-:/@+=", c) != NULL);
}

static bool has_char(const char *s, size_t n, char c)
{
	return memchr(s, c, n) != NULL;
}

/* Path components: non-empty, lower-case alphanumerics and . _ - between. */
static bool valid_repo(const char *s, size_t n)
{
	if (n == 0) {
		return false;
	}
	size_t start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && s[i] != '/') {
			if (!is_lower_alnum(s[i]) && strchr("._-", s[i]) == NULL) {
				return false;
			}
			continue;
		}
		/* A component starts and ends with an alphanumeric. */
		if (i == start || !is_lower_alnum(s[start]) || !is_lower_alnum(s[i - 1])) {
			return false;
		}
		start = i + 1;
	}
	return true;
}

/* A host with an optional port: no '/', '@', or empty part. */
static bool valid_registry(const char *s, size_t n)
{
	if (n == 0 || s[0] == ':' || s[n - 1] == ':' || s[0] == '.' || s[0] == '-') {
		return false;
	}
	const char *colon = memchr(s, ':', n);
	if (colon != NULL) {
		for (const char *p = colon + 1; p < s + n; p++) {
			if (*p < '0' || *p > '9') {
				return false;
			}
		}
	}
	return true;
}

/* Tags: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}. */
static bool valid_tag(const char *s, size_t n)
{
	if (n == 0 || n > 128 || s[0] == '.' || s[0] == '-') {
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		if (!is_lower_alnum(s[i]) && !is_upper(s[i]) && strchr("_.-", s[i]) == NULL) {
			return false;
		}
	}
	return true;
}

bool kc_rules_image_parse(const char *image, struct kc_image_ref *out)
{
	if (image == NULL || image[0] == '\0') {
		return false;
	}
	size_t len = strlen(image);
	for (size_t i = 0; i < len; i++) {
		if (!reference_char(image[i])) {
			return false;
		}
	}
	struct kc_image_ref r = { 0 };
	size_t name_len = len;
	const char *at = strchr(image, '@');
	if (at != NULL) {
		if (strchr(at + 1, '@') != NULL || at[1] == '\0') {
			return false;
		}
		r.digest = at + 1;
		r.digest_len = len - (size_t)(at + 1 - image);
		name_len = (size_t)(at - image);
	}
	/* The tag: a ':' after the last '/' of the name. */
	size_t slash = name_len;
	for (size_t i = name_len; i > 0; i--) {
		if (image[i - 1] == '/') {
			slash = i - 1;
			break;
		}
	}
	size_t from = slash == name_len ? 0 : slash + 1;
	const char *colon = memchr(image + from, ':', name_len - from);
	if (colon != NULL) {
		r.tag = colon + 1;
		r.tag_len = name_len - (size_t)(colon + 1 - image);
		name_len = (size_t)(colon - image);
		if (!valid_tag(r.tag, r.tag_len)) {
			return false;
		}
	}
	const char *first_slash = memchr(image, '/', name_len);
	size_t first = first_slash ? (size_t)(first_slash - image) : name_len;
	bool host = false;
	if (first_slash != NULL) {
		host = has_char(image, first, '.') || has_char(image, first, ':') ||
			(first == 9 && memcmp(image, "localhost", 9) == 0);
		for (size_t i = 0; i < first && !host; i++) {
			host = is_upper(image[i]);
		}
	}
	if (host) {
		r.registry = image;
		r.registry_len = first;
		r.repo = first_slash + 1;
		r.repo_len = name_len - first - 1;
		if (!valid_registry(r.registry, r.registry_len)) {
			return false;
		}
		if (r.registry_len == 15 && memcmp(r.registry, "index.docker.io", 15) == 0) {
			r.registry = "docker.io";
			r.registry_len = 9;
		}
	} else {
		r.registry = "docker.io";
		r.registry_len = 9;
		r.registry_implicit = true;
		r.repo = image;
		r.repo_len = name_len;
	}
	if (!valid_repo(r.repo, r.repo_len)) {
		return false;
	}
	*out = r;
	return true;
}

bool kc_rules_image_pinned(const struct kc_image_ref *r)
{
	static const struct {
		const char *algorithm;
		size_t hex;
	} algorithms[] = { { "sha256:", 64 }, { "sha384:", 96 }, { "sha512:", 128 } };
	if (r->digest == NULL) {
		return false;
	}
	for (size_t a = 0; a < sizeof(algorithms) / sizeof(algorithms[0]); a++) {
		size_t n = strlen(algorithms[a].algorithm);
		if (r->digest_len != n + algorithms[a].hex ||
			memcmp(r->digest, algorithms[a].algorithm, n) != 0) {
			continue;
		}
		for (size_t i = n; i < r->digest_len; i++) {
			if (!is_hex(r->digest[i])) {
				return false;
			}
		}
		return true;
	}
	return false;
}

bool kc_rules_image_mutable(const struct kc_image_ref *r)
{
	if (r->tag == NULL) {
		return r->digest == NULL;
	}
	/* A digest wins over the tag: "app:latest@sha256:..." is pinned. */
	return r->digest == NULL && r->tag_len == 6 && memcmp(r->tag, "latest", 6) == 0;
}

size_t kc_rules_image_name(const struct kc_image_ref *r, char *buf, size_t size)
{
	bool library = r->registry_len == 9 && memcmp(r->registry, "docker.io", 9) == 0 &&
		!has_char(r->repo, r->repo_len, '/');
	size_t need = r->registry_len + 1 + (library ? 8 : 0) + r->repo_len;
	if (size > 0) {
		size_t n = 0;
		const char *parts[] = { r->registry, "/", library ? "library/" : "", r->repo };
		size_t lens[] = { r->registry_len, 1, library ? 8 : 0, r->repo_len };
		for (size_t i = 0; i < 4; i++) {
			size_t take = lens[i] < size - 1 - n ? lens[i] : size - 1 - n;
			memcpy(buf + n, parts[i], take);
			n += take;
		}
		buf[n] = '\0';
	}
	return need;
}
