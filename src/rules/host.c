#include <ctype.h>
#include <string.h>

#include "k8scheck/scalar.h"

#include "common.h"
#include "host.h"

bool kc_rules_host_path_clean(const char *path, char *buf, size_t size)
{
	if (path == NULL || path[0] != '/' || size < 2) {
		return false;
	}
	size_t len = 0;
	const char *p = path;
	while (*p != '\0') {
		while (*p == '/') {
			p++;
		}
		size_t n = strcspn(p, "/");
		if (n == 0 || (n == 1 && p[0] == '.')) {
			p += n;
			continue;
		}
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			/* Back to the previous slash; ".." of "/" is "/". */
			while (len > 0 && buf[len - 1] != '/') {
				len--;
			}
			if (len > 0) {
				len--;
			}
			p += n;
			continue;
		}
		if (len + 1 + n + 1 > size) {
			return false;
		}
		buf[len++] = '/';
		memcpy(buf + len, p, n);
		len += n;
		p += n;
	}
	if (len == 0) {
		buf[len++] = '/';
	}
	buf[len] = '\0';
	return true;
}

bool kc_rules_path_within(const char *path, const char *dir)
{
	if (strcmp(dir, "/") == 0) {
		return true;
	}
	size_t n = strlen(dir);
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

const char *kc_rules_quote_list(struct kc_arena *a, const char *const *names, unsigned n)
{
	const char *s = "";
	for (unsigned i = 0; i < n; i++) {
		const char *sep = i == 0 ? "" : i + 1 == n ? " and " : ", ";
		s = kc_arena_printf(a, "%s%s'%s'", s, sep, names[i]);
	}
	return s;
}

const char *kc_rules_volume_users(struct kc_check *ck, const struct kc_workload *w,
	const char *volume, unsigned *count, const struct kc_container_ref **first)
{
	struct kc_arena *a = kc_check_arena(ck);
	const char **names = kc_arena_alloc(a, (w->container_count + 1) * sizeof(*names));
	unsigned n = 0;
	*first = NULL;
	for (unsigned i = 0; i < w->container_count; i++) {
		const struct kc_container_ref *ref = &w->containers[i];
		for (unsigned j = 0; j < ref->c->volume_mounts_count; j++) {
			const char *v = ref->c->volume_mounts[j].name;
			if (v == NULL || strcmp(v, volume) != 0) {
				continue;
			}
			if (*first == NULL) {
				*first = ref;
			}
			char buf[16];
			names[n++] = kc_arena_printf(a, "%s",
				kc_rules_container_name(ref, buf, sizeof(buf)));
			break;
		}
	}
	*count = n;
	return kc_rules_quote_list(a, names, n);
}

bool kc_rules_capability_is(const char *name, const char *canon)
{
	if (strlen(name) > 4 && toupper((unsigned char)name[0]) == 'C' &&
		toupper((unsigned char)name[1]) == 'A' &&
		toupper((unsigned char)name[2]) == 'P' && name[3] == '_') {
		name += 4;
	}
	for (; *name && *canon; name++, canon++) {
		if (toupper((unsigned char)*name) != *canon) {
			return false;
		}
	}
	return *name == *canon;
}

bool kc_rules_node_bool(const struct kc_node *n, bool *out)
{
	if (n == NULL || n->type != KC_NODE_SCALAR || n->value == NULL) {
		return false;
	}
	return kc_scalar_resolve(n->value, n->len, n->style == KC_STYLE_PLAIN, n->tag) ==
		KC_SCALAR_BOOL && kc_scalar_bool(n->value, out);
}
