#include <string.h>

#include "k8scheck/report.h"

#include "emit.h"

/* Sorted by name. */
static const struct kc_reporter_impl *const reporters[] = {
	&kc_report_checkstyle,
	&kc_report_gcc,
	&kc_report_github,
	&kc_report_json,
	&kc_report_junit,
	&kc_report_sarif,
	&kc_report_text,
};

const struct kc_reporter_impl *kc_report_find(const char *name)
{
	for (size_t i = 0; i < sizeof(reporters) / sizeof(*reporters); i++) {
		if (strcmp(reporters[i]->name, name) == 0) {
			return reporters[i];
		}
	}
	return NULL;
}

const char *kc_report_names(void)
{
	return "checkstyle, gcc, github, json, junit, sarif, text";
}

void kc_summary_add_skip(struct kc_summary *sum, const struct kc_skip *s,
	struct kc_arena *a)
{
	for (unsigned i = 0; i < sum->skip_count; i++) {
		struct kc_skip_count *k = &sum->skips[i];
		bool same_kind = (k->kind == NULL && s->kind == NULL) ||
			(k->kind != NULL && s->kind != NULL && strcmp(k->kind, s->kind) == 0);
		if (same_kind && strcmp(k->reason, s->reason) == 0) {
			k->count++;
			return;
		}
	}
	if (sum->skip_count == sum->skip_cap) {
		sum->skip_cap = sum->skip_cap ? sum->skip_cap * 2 : 8;
		sum->skips = kc_arena_realloc(a, sum->skips,
			sum->skip_cap * sizeof(*sum->skips));
	}
	sum->skips[sum->skip_count++] = (struct kc_skip_count){
		.kind = s->kind ? kc_arena_strdup(a, s->kind) : NULL,
		.reason = s->reason,
		.count = 1,
	};
}
