#include <stdarg.h>
#include <stdio.h>

#include "common.h"

const char *kc_rules_container_name(const struct kc_container_ref *ref, char *buf,
	size_t size)
{
	if (ref->c->name != NULL && ref->c->name[0] != '\0') {
		return ref->c->name;
	}
	snprintf(buf, size, "#%u", ref->index + 1);
	return buf;
}

struct kc_finding *kc_rules_container_finding(struct kc_check *ck,
	const struct kc_container_ref *ref, const struct kc_path *path,
	const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	struct kc_finding *f = kc_finding_add(ck, path, "%s", msg);
	kc_finding_container(f, ref->c->name);
	return f;
}
