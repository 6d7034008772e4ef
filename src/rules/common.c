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

void kc_rules_pss_texts_init(struct kc_rules_pss_texts *t, struct kc_arena *a,
	const struct kc_pss_result *r)
{
	*t = (struct kc_rules_pss_texts){ .a = a, .r = r };
}

/* Bottom-up merge sort of idx[0, n) by (key(base, i), i); tmp has n slots.
 * Stable and O(n log n); ours because qsort has no context argument. */
static void sort_by_key(unsigned *idx, unsigned *tmp, unsigned n,
	const char *(*key)(const void *base, unsigned i), const void *base,
	unsigned long *steps)
{
	for (unsigned width = 1; width < n; width *= 2) {
		for (unsigned lo = 0; lo < n; lo += 2 * width) {
			unsigned mid = lo + width < n ? lo + width : n;
			unsigned hi = lo + 2 * width < n ? lo + 2 * width : n;
			unsigned a = lo, b = mid, k = lo;
			while (a < mid && b < hi) {
				(*steps)++;
				int c = strcmp(key(base, idx[a]), key(base, idx[b]));
				tmp[k++] = (c < 0 || (c == 0 && idx[a] < idx[b])) ? idx[a++] : idx[b++];
			}
			while (a < mid) {
				tmp[k++] = idx[a++];
			}
			while (b < hi) {
				tmp[k++] = idx[b++];
			}
		}
		memcpy(idx, tmp, n * sizeof(*idx));
	}
}

/* The first of idx[0, n) whose key is not below want. */
static unsigned lower_bound(const unsigned *idx, unsigned n,
	const char *(*key)(const void *base, unsigned i), const void *base,
	const char *want, unsigned long *steps)
{
	unsigned lo = 0, hi = n;
	while (lo < hi) {
		(*steps)++;
		unsigned mid = lo + (hi - lo) / 2;
		if (strcmp(key(base, idx[mid]), want) < 0) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo;
}

static const char *violation_key(const void *base, unsigned i)
{
	return ((const struct kc_pss_violation *)base)[i].container;
}

/* Index the violations that name a container, sorted by (container,
 * position): a lookup then finds the first violation of a name, as a scan
 * in order would. */
static void index_texts(struct kc_rules_pss_texts *t)
{
	const struct kc_pss_result *r = t->r;
	struct kc_arena *a = t->a;
	t->indexed = true;
	t->by_name = kc_arena_alloc(a, (r->count ? r->count : 1) * sizeof(*t->by_name));
	for (unsigned i = 0; i < r->count; i++) {
		if (r->violations[i].container != NULL) {
			t->by_name[t->named++] = i;
		}
	}
	unsigned *tmp = kc_arena_alloc(a, (t->named ? t->named : 1) * sizeof(*tmp));
	sort_by_key(t->by_name, tmp, t->named, violation_key, r->violations, &t->steps);
}

const char *kc_rules_pss_text(struct kc_rules_pss_texts *t, const char *container)
{
	const struct kc_pss_result *r = t->r;
	const char *found = NULL;
	if (container == NULL) {
		if (!t->pod_looked_up) {
			t->pod_looked_up = true;
			for (unsigned i = 0; i < r->count && t->pod == NULL; i++) {
				t->steps++;
				if (r->violations[i].container == NULL) {
					t->pod = r->violations[i].text;
				}
			}
		}
		found = t->pod;
	} else {
		if (!t->indexed) {
			index_texts(t);
		}
		unsigned at = lower_bound(t->by_name, t->named, violation_key, r->violations,
			container, &t->steps);
		if (at < t->named &&
			strcmp(r->violations[t->by_name[at]].container, container) == 0) {
			found = r->violations[t->by_name[at]].text;
		}
	}
	if (found != NULL) {
		return found;
	}
	if (r->count == 1) {
		return r->violations[0].text;
	}
	if (t->whole == NULL) {
		t->whole = kc_arena_printf(t->a, "%s (%s)", r->reason,
			r->detail);
	}
	return t->whole;
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

static const char *volume_key(const void *base, unsigned i)
{
	return ((const struct kc_volume *)base)[i].name;
}

void kc_rules_volumes_init(struct kc_rules_volumes *t, struct kc_arena *a,
	const struct kc_pod_spec *spec)
{
	*t = (struct kc_rules_volumes){ .spec = spec };
	unsigned n = spec->volumes_count;
	t->by_name = kc_arena_alloc(a, (n ? n : 1) * sizeof(*t->by_name));
	for (unsigned i = 0; i < n; i++) {
		if (spec->volumes[i].name != NULL) {
			t->by_name[t->named++] = i;
		}
	}
	unsigned *tmp = kc_arena_alloc(a, (t->named ? t->named : 1) * sizeof(*tmp));
	sort_by_key(t->by_name, tmp, t->named, volume_key, spec->volumes, &t->steps);
}

const struct kc_volume *kc_rules_volumes_find(struct kc_rules_volumes *t,
	const char *name)
{
	const struct kc_volume *v = t->spec->volumes;
	unsigned at = lower_bound(t->by_name, t->named, volume_key, v, name, &t->steps);
	if (at < t->named && strcmp(v[t->by_name[at]].name, name) == 0) {
		return &v[t->by_name[at]];
	}
	return NULL;
}
