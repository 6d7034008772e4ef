/*
 * SARIF 2.1.0, for GitHub code scanning and other SARIF viewers: one run
 * whose driver lists every rule of the catalog, then the results. The
 * catalog is complete at begin, so the rules are written first and the
 * results streamed as they come; only the tool notifications (input
 * diagnostics), which belong to the invocation after the results, are
 * collected in memory. Columns count Unicode code points (columnKind).
 */
#include <stdlib.h>
#include <string.h>

#include "k8scheck/report.h"

#include "emit.h"

/* Where the rules are documented: meson -Ddocs_url=URL, the web address of
 * the repository at a ref (https://github.com/ORG/k8scheck/blob/v1.0). The
 * build checks it needs no JSON escaping. Without it, no link is written:
 * SARIF wants absolute URIs, and a guessed address would be a broken one. */
#ifndef KC_DOCS_URL
#define KC_DOCS_URL ""
#endif

struct sarif {
	unsigned results;
	struct kc_report_buf notes;
	unsigned nnotes;
};

static const char *const level[KC_SEVERITY__COUNT] = {
	[KC_SEVERITY_INFO] = "note",
	[KC_SEVERITY_WARNING] = "warning",
	[KC_SEVERITY_ERROR] = "error",
};

/* ASCII only, whatever the locale. */
static bool alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* "run-as-user" -> "RunAsUser": SARIF wants a rule name that is an
 * identifier, not a sentence. */
static void pascal_case(FILE *o, const char *id)
{
	fputc('"', o);
	bool up = true;
	for (const char *p = id; *p; p++) {
		if (!alnum((unsigned char)*p)) {
			up = true;
			continue;
		}
		fputc(up && *p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p, o);
		up = false;
	}
	fputc('"', o);
}

static bool given(const char *s)
{
	return s != NULL && *s != '\0';
}

/* Markdown help: what and why, how to fix, and an example, as far as the
 * rule says (a custom rule may give only a title). */
static void help_markdown(FILE *o, const struct kc_rule_meta *m)
{
	struct kc_report_buf b;
	kc_report_buf_init(&b);
	const char *what = given(m->description) ? m->description : m->title;
	size_t n = strlen(what);
	fprintf(b.f, "%s%s", what, n > 0 && what[n - 1] == '\n' ? "" : "\n");
	if (given(m->remediation)) {
		fprintf(b.f, "\n## How to fix\n\n%s", m->remediation);
	}
	if (given(m->example)) {
		fprintf(b.f, "\n## Example\n\n```yaml\n%s```\n", m->example);
	}
	fflush(b.f);
	kc_report_json_strn(o, b.data, b.len);
	kc_report_buf_finish(&b, NULL);
}

static void rule(FILE *o, const struct kc_rule_meta *m)
{
	fputs("            {\n              \"id\": ", o);
	kc_report_json_str(o, m->id);
	/* The validator wants name and id to differ, even in case only. */
	if (strchr(m->id, '-') != NULL) {
		fputs(",\n              \"name\": ", o);
		pascal_case(o, m->id);
	}
	fputs(",\n              \"shortDescription\": {\"text\": ", o);
	kc_report_json_str(o, m->title);
	fputc('}', o);
	if (given(m->description)) {
		fputs(",\n              \"fullDescription\": {\"text\": ", o);
		kc_report_json_str(o, m->description);
		fputc('}', o);
	}
	fputs(",\n              \"help\": {\n                \"text\": ", o);
	kc_report_json_str(o, given(m->remediation) ? m->remediation : m->title);
	fputs(",\n                \"markdown\": ", o);
	help_markdown(o, m);
	fputs("\n              }", o);
	/* Only built-in rules have a page in the repository. Their ids are
	 * kebab-case: nothing to escape in a URI or in JSON. */
	if (m->custom == NULL && KC_DOCS_URL[0] != '\0') {
		fprintf(o, ",\n              \"helpUri\": \"" KC_DOCS_URL
			"/policies/rules/%s.yaml\"", m->id);
	}
	fprintf(o, ",\n              \"defaultConfiguration\": {\"level\": \"%s\"},\n",
		level[m->severity]);
	/* GitHub ranks security alerts by security-severity (critical >= 9.0,
	 * high >= 7.0, medium >= 4.0, low); rules that are not about security
	 * (resources, probes) carry neither it nor the security tag. Custom
	 * rules have no catalog value: tagged security, ranked by level. */
	if (m->security_severity != NULL) {
		fprintf(o, "              \"properties\": {\"tags\": [\"security\", "
			"\"kubernetes\"], \"security-severity\": \"%s\"}\n            }",
			m->security_severity);
	} else if (m->custom != NULL) {
		fputs("              \"properties\": {\"tags\": [\"security\", "
			"\"kubernetes\"]}\n            }", o);
	} else {
		fputs("              \"properties\": {\"tags\": [\"kubernetes\", "
			"\"reliability\"]}\n            }", o);
	}
}

static void begin(struct kc_reporter *r)
{
	struct sarif *s = calloc(1, sizeof(*s));
	if (s == NULL) {
		kc_arena_die_oom();
	}
	kc_report_buf_init(&s->notes);
	r->state = s;
	FILE *o = r->out;
	fputs("{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
		"  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n"
		"      \"tool\": {\n        \"driver\": {\n"
		"          \"name\": \"k8scheck\",\n          \"version\": ", o);
	kc_report_json_str(o, r->version);
	if (KC_DOCS_URL[0] != '\0') {
		fputs(",\n          \"informationUri\": \"" KC_DOCS_URL "\"", o);
	}
	fputs(",\n          \"rules\": [", o);
	for (unsigned i = 0; i < r->policy->count; i++) {
		fputs(i ? ",\n" : "\n", o);
		rule(o, &r->policy->rules[i]);
	}
	fputs(r->policy->count ? "\n          ]\n" : "]\n", o);
	fputs("        }\n      },\n      \"columnKind\": \"unicodeCodePoints\",\n"
		"      \"results\": [", o);
}

static void file_begin(struct kc_reporter *r, const char *file)
{
}

static bool unreserved(unsigned char c)
{
	return alnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
}

/*
 * The file as a URI reference: relative to %SRCROOT% (the directory the
 * scan ran in, which code scanning takes as the repository root) unless the
 * user named it absolutely. Everything but unreserved characters and '/' is
 * percent-encoded, byte by byte, so spaces and UTF-8 names survive.
 */
static void artifact(FILE *o, const char *file)
{
	bool absolute = file[0] == '/';
	while (file[0] == '.' && file[1] == '/') {
		file += 2;
	}
	fputs("{\"uri\": \"", o);
	if (absolute) {
		fputs("file://", o);
	}
	for (const unsigned char *p = (const unsigned char *)file; *p; p++) {
		if (unreserved(*p)) {
			fputc(*p, o);
		} else {
			fprintf(o, "%%%02X", *p);
		}
	}
	fputs(absolute ? "\"}" : "\", \"uriBaseId\": \"%SRCROOT%\"}", o);
}

static void finding(struct kc_reporter *r, const struct kc_finding *f)
{
	struct sarif *s = r->state;
	FILE *o = r->out;
	const struct kc_rule_meta *m = kc_policy_find(r->policy, f->rule);
	fputs(s->results++ ? ",\n        {\n" : "\n        {\n", o);
	fputs("          \"ruleId\": ", o);
	kc_report_json_str(o, f->rule);
	if (m != NULL) {
		fprintf(o, ",\n          \"ruleIndex\": %u",
			(unsigned)(m - r->policy->rules));
	}
	fprintf(o, ",\n          \"level\": \"%s\",\n          \"message\": {\"text\": ",
		level[f->severity]);
	kc_report_json_str(o, f->message);
	fputs("},\n          \"locations\": [\n            {\n"
		"              \"physicalLocation\": {\n"
		"                \"artifactLocation\": ", o);
	artifact(o, f->file);
	struct kc_pos end = kc_report_end(f);
	fprintf(o, ",\n                \"region\": {\"startLine\": %u, "
		"\"startColumn\": %u, \"endLine\": %u, \"endColumn\": %u}\n"
		"              },\n", f->pos.line, f->pos.col, end.line, end.col);
	fputs("              \"logicalLocations\": [{\"fullyQualifiedName\": ", o);
	kc_report_json_str(o, f->path_str);
	fputs(", \"kind\": \"member\"}]\n            }\n          ],\n"
		"          \"partialFingerprints\": {\"k8scheckFingerprint/v1\": ", o);
	kc_report_json_str(o, f->fingerprint);
	fputc('}', o);
	/* The edits `k8scheck fix` would make, for review tools to offer. */
	if (f->change_count > 0) {
		fputs(",\n          \"fixes\": [{\"description\": {\"text\": ", o);
		kc_report_json_str(o, f->fix_op == KC_FIX_REMOVE ? "remove the entry"
			: "set the field as k8scheck fix would");
		fputs("}, \"artifactChanges\": [{\"artifactLocation\": ", o);
		artifact(o, f->file);
		fputs(", \"replacements\": [", o);
		for (unsigned i = 0; i < f->change_count; i++) {
			const struct kc_fix_change *c = &f->changes[i];
			fprintf(o, "%s{\"deletedRegion\": {\"startLine\": %u, \"startColumn\": %u, "
				"\"endLine\": %u, \"endColumn\": %u}, \"insertedContent\": "
				"{\"text\": ", i ? ", " : "", c->start.line, c->start.col,
				c->end.line, c->end.col);
			kc_report_json_str(o, c->text);
			fputs("}}", o);
		}
		fputs("]}]}]", o);
	}
	/* Ignore directives are comments or annotations in the manifest:
	 * SARIF's in-source suppressions. */
	if (f->suppressed) {
		fputs(",\n          \"suppressions\": [{\"kind\": \"inSource\"", o);
		if (f->suppress_reason != NULL) {
			fputs(", \"justification\": ", o);
			kc_report_json_str(o, f->suppress_reason);
		}
		fputs("}]", o);
	}
	fputs(",\n          \"properties\": {\"resource\": {\"kind\": ", o);
	kc_report_json_str(o, f->kind);
	fputs(", \"name\": ", o);
	kc_report_json_str(o, f->name);
	fputs(", \"namespace\": ", o);
	kc_report_json_str(o, f->namespace);
	fputs("}, \"container\": ", o);
	kc_report_json_str(o, f->container);
	fprintf(o, ", \"documentIndex\": %u}\n        }", f->doc_index);
}

static void diagnostic(struct kc_reporter *r, const struct kc_diag_event *e)
{
	if (e->level == KC_DIAG_NOTE) {
		return;
	}
	struct sarif *s = r->state;
	FILE *o = s->notes.f;
	fprintf(o, "%s            {\n              \"level\": \"%s\",\n"
		"              \"message\": {\"text\": ", s->nnotes++ ? ",\n" : "\n",
		e->level == KC_DIAG_ERROR ? "error" : "warning");
	kc_report_json_str(o, e->message);
	fputc('}', o);
	/* Run-level messages (line 0) concern no file. */
	if (e->line > 0) {
		fputs(",\n              \"locations\": [{\"physicalLocation\": "
			"{\"artifactLocation\": ", o);
		artifact(o, e->file);
		fprintf(o, ", \"region\": {\"startLine\": %u, \"startColumn\": %u}}}]",
			e->line, e->col);
	}
	fputs("\n            }", o);
}

static void file_end(struct kc_reporter *r, const char *file)
{
}

static void end(struct kc_reporter *r, const struct kc_summary *sum)
{
	struct sarif *s = r->state;
	FILE *o = r->out;
	fputs(s->results ? "\n      ],\n" : "],\n", o);
	fprintf(o, "      \"invocations\": [\n        {\n"
		"          \"executionSuccessful\": %s,\n"
		"          \"toolExecutionNotifications\": [",
		sum->load.input_errors == 0 ? "true" : "false");
	kc_report_buf_finish(&s->notes, o);
	fputs(s->nnotes ? "\n          ]\n" : "]\n", o);
	fputs("        }\n      ]\n    }\n  ]\n}\n", o);
	free(s);
	r->state = NULL;
}

const struct kc_reporter_impl kc_report_sarif = {
	.name = "sarif",
	.all_findings = true,
	.wants_changes = true,
	.begin = begin,
	.file_begin = file_begin,
	.finding = finding,
	.diagnostic = diagnostic,
	.file_end = file_end,
	.end = end,
};
