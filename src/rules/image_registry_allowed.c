/*
 * image-registry-allowed (off by default): images must come from the
 * registries listed in the rule's `registries` parameter. An entry is a
 * registry host ("registry.example.com:5000"), or a registry and a
 * repository prefix ("ghcr.io/acme") that matches whole path components.
 * An image without a registry comes from Docker Hub: "nginx" is
 * "docker.io/library/nginx". Without the parameter the rule reports nothing.
 */
#include <ctype.h>
#include <string.h>

#include "common.h"

static bool same_nocase(const char *a, size_t an, const char *b, size_t bn)
{
	if (an != bn) {
		return false;
	}
	for (size_t i = 0; i < an; i++) {
		if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i])) {
			return false;
		}
	}
	return true;
}

static bool allowed(const char *entry, const struct kc_image_ref *r, const char *name)
{
	size_t n = strlen(entry);
	while (n > 0 && entry[n - 1] == '/') {
		n--;
	}
	const char *slash = memchr(entry, '/', n);
	size_t host = slash ? (size_t)(slash - entry) : n;
	const char *reg = entry;
	size_t reg_len = host;
	if (same_nocase(reg, reg_len, "index.docker.io", 15)) {
		reg = "docker.io";
		reg_len = 9;
	}
	if (!same_nocase(reg, reg_len, r->registry, r->registry_len)) {
		return false;
	}
	if (slash == NULL) {
		return true;
	}
	/* name is "<registry>/<repository>"; compare the repository prefix. */
	const char *prefix = slash + 1;
	size_t plen = n - host - 1;
	const char *repo = name + r->registry_len + 1;
	return strncmp(repo, prefix, plen) == 0 && (repo[plen] == '\0' || repo[plen] == '/');
}

/* Say what is allowed, so the fix is obvious. */
static void note_allowed(struct kc_check *ck, struct kc_finding *f,
	const char *const *list, unsigned count)
{
	const char *text = NULL;
	for (unsigned j = 0; j < count; j++) {
		if (list[j] != NULL) {
			text = text == NULL ? list[j]
				: kc_arena_printf(kc_check_arena(ck), "%s, %s", text, list[j]);
		}
	}
	if (text == NULL) {
		kc_finding_note(ck, f, "the list of allowed registries is empty");
	} else {
		kc_finding_note(ck, f, "allowed: %s", text);
	}
}

void kc_rules_image_registry_allowed(const struct kc_workload *w, struct kc_check *ck)
{
	unsigned count = 0;
	const char *const *list = kc_check_param_list(ck, "registries", &count);
	if (list == NULL) {
		return;
	}
	for (unsigned i = 0; i < w->container_count; i++) {
		const struct kc_container_ref *ref = &w->containers[i];
		struct kc_image_ref r;
		if (!kc_rules_image_parse(ref->c->image, &r)) {
			continue;
		}
		char name[512];
		if (kc_rules_image_name(&r, name, sizeof(name)) >= sizeof(name)) {
			continue;  /* longer than any registry accepts */
		}
		bool ok = false;
		for (unsigned j = 0; j < count && !ok; j++) {
			ok = list[j] != NULL && allowed(list[j], &r, name);
		}
		if (ok) {
			continue;
		}
		struct kc_path p = kc_path_join(&ref->path, "image");
		char buf[16];
		struct kc_finding *f = kc_rules_container_finding(ck, ref, &p,
			"container '%s' runs '%s' from registry '%.*s', which is not in the "
			"allowed registries", kc_rules_container_name(ref, buf, sizeof(buf)),
			ref->c->image, (int)r.registry_len, r.registry);
		note_allowed(ck, f, list, count);
	}
}
