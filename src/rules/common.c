#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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

bool kc_rules_pss_verdict(struct kc_check *ck, const struct kc_workload *w,
	enum kc_pss_check c, struct kc_pss_result *r)
{
	if (!kc_pss_check_runs(c, kc_check_pss(ck))) {
		return false;
	}
	kc_pss_run_check(c, kc_check_pss(ck), w, kc_check_arena(ck), r);
	return !r->allowed;
}

const char *kc_rules_pss_text(struct kc_check *ck, const struct kc_pss_result *r,
	const char *container)
{
	for (unsigned i = 0; i < r->count; i++) {
		const char *c = r->violations[i].container;
		if ((c == NULL && container == NULL) ||
			(c != NULL && container != NULL && strcmp(c, container) == 0)) {
			return r->violations[i].text;
		}
	}
	if (r->count == 1) {
		return r->violations[0].text;
	}
	return kc_arena_printf(kc_check_arena(ck), "%s (%s)", r->reason, r->detail);
}

void kc_rules_pss_report(struct kc_check *ck, const struct kc_pss_result *r)
{
	for (unsigned i = 0; i < r->count; i++) {
		const struct kc_pss_violation *v = &r->violations[i];
		struct kc_finding *f = kc_finding_add(ck, &v->path, "%s", v->text);
		if (v->container != NULL) {
			kc_finding_container(f, v->container);
		}
	}
}

void kc_rules_id_below_threshold(const struct kc_workload *w, struct kc_check *ck,
	struct kc_effective (*effective)(const struct kc_workload *,
		const struct kc_container_ref *),
	const char *field, const char *id, const char *owner)
{
	long long threshold = kc_check_param_int(ck, "threshold", 10000);
	for (unsigned i = 0; i < w->container_count; i++) {
		const struct kc_container_ref *ref = &w->containers[i];
		struct kc_effective e = effective(w, ref);
		if (e.origin == KC_ORIGIN_UNSET || *e.i <= 0 || *e.i >= threshold) {
			continue;
		}
		char buf[16];
		const char *name = kc_rules_container_name(ref, buf, sizeof(buf));
		if (e.origin == KC_ORIGIN_CONTAINER) {
			kc_rules_container_finding(ck, ref, &e.path,
				"container '%s' runs as %s %" PRId64 ", below %lld: "
				"it may be the %s of %s on the node", name, id, *e.i,
				threshold, id, owner);
			continue;
		}
		struct kc_path own = kc_container_sc_path(ref, field);
		struct kc_finding *f = kc_rules_container_finding(ck, ref, &own,
			"container '%s' runs as %s %" PRId64 ", inherited from the pod, "
			"below %lld: it may be the %s of %s on the node", name, id,
			*e.i, threshold, id, owner);
		kc_finding_origin(ck, f, &e.path, kc_arena_printf(kc_check_arena(ck),
			"%s: %" PRId64 " is set at pod level", field, *e.i));
	}
}
