/* `k8scheck rules` and `k8scheck explain`: the catalog, for people. */
#include <stdio.h>
#include <string.h>

#include "k8scheck/pss.h"

#include "k8scheck/report.h"

/* Which Pod Security levels run the check, and from which version. */
static void levels(const struct kc_rule_meta *m, char *buf, size_t size)
{
	enum kc_pss_check c;
	if (!kc_pss_check_by_rule(m->id, &c)) {
		snprintf(buf, size, "%s", m->on_by_default ? "best practice" :
			"best practice (off)");
		return;
	}
	const struct kc_pss_check_info *info = kc_pss_check_info(c);
	snprintf(buf, size, "PSS %s v1.%u+", kc_pss_level_name(info->level),
		info->first_minor);
}

void kc_report_rules(FILE *out, const struct kc_policy *p)
{
	size_t w = 0;
	for (unsigned i = 0; i < p->count; i++) {
		size_t n = strlen(p->rules[i].id);
		w = n > w ? n : w;
	}
	fprintf(out, "%-*s  %-8s %-22s  %s\n", (int)w, "RULE", "SEVERITY", "LEVEL",
		"TITLE");
	for (unsigned i = 0; i < p->count; i++) {
		const struct kc_rule_meta *m = &p->rules[i];
		char lv[64];
		levels(m, lv, sizeof(lv));
		fprintf(out, "%-*s  %-8s %-22s  %s\n", (int)w, m->id, m->severity_name,
			lv, m->title);
	}
	fprintf(out, "\nBy default the checks of PSS restricted at the latest version "
		"run,\nplus the best-practice rules not marked (off). "
		"'k8scheck explain RULE' tells more.\n");
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
	enum kc_pss_check c;
	if (kc_pss_check_by_rule(m->id, &c)) {
		const struct kc_pss_check_info *info = kc_pss_check_info(c);
		fprintf(out, "pod security: %s check %s, %s\n",
			kc_pss_level_name(info->level), info->psa_id, info->versions);
	} else {
		fprintf(out, "runs by default: %s\n", m->on_by_default ? "yes" :
			"no (--enable it)");
	}
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
