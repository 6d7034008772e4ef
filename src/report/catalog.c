/* `k8scheck rules` and `k8scheck explain`: the catalog, for people. */
#include <string.h>

#include "k8scheck/report.h"

void kc_report_rules(FILE *out, const struct kc_policy *p)
{
	size_t w = 0;
	for (unsigned i = 0; i < p->count; i++) {
		size_t n = strlen(p->rules[i].id);
		w = n > w ? n : w;
	}
	for (unsigned i = 0; i < p->count; i++) {
		const struct kc_rule_meta *m = &p->rules[i];
		fprintf(out, "%-*s  %-7s  %s\n", (int)w, m->id, m->severity_name, m->title);
	}
}

static void block(FILE *out, const char *title, const char *text, const char *pad)
{
	fprintf(out, "\n%s:\n", title);
	const char *p = text;
	while (*p) {
		size_t n = strcspn(p, "\n");
		if (n > 0) {
			fprintf(out, "%s%.*s\n", pad, (int)n, p);
		} else {
			fputc('\n', out);
		}
		p += n;
		if (*p == '\n') {
			p++;
		}
	}
}

void kc_report_explain(FILE *out, const struct kc_rule_meta *m)
{
	fprintf(out, "%s: %s\n", m->id, m->title);
	fprintf(out, "severity: %s\n", m->severity_name);
	block(out, "what and why", m->description, "  ");
	block(out, "how to fix", m->remediation, "  ");
	block(out, "example", m->example, "    ");
	if (m->references_count > 0) {
		fprintf(out, "\nsee also:\n");
		for (unsigned i = 0; i < m->references_count; i++) {
			fprintf(out, "  - %s\n", m->references[i]);
		}
	}
}
