#include <string.h>

#include "k8scheck/report.h"

/* Sorted by name. */
static const struct kc_reporter_impl *const reporters[] = {
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
	return "text";
}
