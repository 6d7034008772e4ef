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
