/*
 * The JSON report (docs/json.md): one document, schema version 1. Findings
 * are written as they arrive; verdicts and diagnostics, which interleave
 * with them, are collected in memory and written at the end with the
 * summary. Positions are 1-based; columns count characters.
 */
#include <stdlib.h>
#include <string.h>

#include "k8scheck/report.h"

#include "emit.h"

#define SCHEMA_VERSION 1

struct json {
	unsigned findings;
	struct kc_report_buf verdicts;
	unsigned nverdicts;
	struct kc_report_buf diags;
	unsigned ndiags;
};

static void begin(struct kc_reporter *r)
{
	struct json *j = calloc(1, sizeof(*j));
	if (j == NULL) {
		kc_arena_die_oom();
	}
	kc_report_buf_init(&j->verdicts);
	kc_report_buf_init(&j->diags);
	r->state = j;
	FILE *o = r->out;
	fprintf(o, "{\n  \"version\": %d,\n  \"tool\": {\"name\": \"k8scheck\", "
		"\"version\": ", SCHEMA_VERSION);
	kc_report_json_str(o, r->version);
	fputs("},\n  \"findings\": [", o);
}

static void file_begin(struct kc_reporter *r, const char *file)
{
}

/*
 * The rendered path names list items ([app]) where the segments only hold
 * indexes, so walk it beside the segments to recover the names. Returns
 * where the next segment starts in p, or NULL once the two disagree (then
 * no more names are given: the path string is for people, not a format).
 */
static const char *skip_key(const char *p, const char *end,
	const struct kc_seg *s, unsigned i)
{
	if (p == NULL) {
		return NULL;
	}
	size_t n = s->key_len;
	if (end - p >= 2 && p[0] == '[' && p[1] == '"' && (size_t)(end - p) >= n + 4 &&
		memcmp(p + 2, s->key, n) == 0 && p[n + 2] == '"' && p[n + 3] == ']') {
		return p + n + 4;
	}
	if (i > 0 && p < end && *p == '.') {
		p++;
	}
	if ((size_t)(end - p) >= n && memcmp(p, s->key, n) == 0) {
		return p + n;
	}
	return NULL;
}

static const char *item_name(const char *p, const char *end, size_t index,
	const char **name, size_t *len)
{
	*name = NULL;
	if (p == NULL || p >= end || *p != '[') {
		return NULL;
	}
	const char *close = memchr(p, ']', (size_t)(end - p));
	if (close == NULL) {
		return NULL;
	}
	char num[32];
	int k = snprintf(num, sizeof(num), "%zu", index);
	size_t n = (size_t)(close - p - 1);
	if (n != (size_t)k || memcmp(p + 1, num, n) != 0) {
		*name = p + 1;
		*len = n;
	}
	return close + 1;
}

static void path_segments(FILE *o, const struct kc_finding *f)
{
	const char *p = f->path_str;
	const char *end = p + strlen(p);
	fputc('[', o);
	for (unsigned i = 0; i < f->path.len; i++) {
		const struct kc_seg *s = &f->path.seg[i];
		fputs(i ? ", {" : "{", o);
		if (s->key != NULL) {
			fputs("\"key\": ", o);
			kc_report_json_strn(o, s->key, s->key_len);
			p = skip_key(p, end, s, i);
		} else {
			fprintf(o, "\"index\": %u", (unsigned)s->index);
			const char *name;
			size_t len;
			p = item_name(p, end, s->index, &name, &len);
			if (name != NULL) {
				fputs(", \"name\": ", o);
				kc_report_json_strn(o, name, len);
			}
		}
		fputc('}', o);
	}
	fputc(']', o);
}

static void field(FILE *o, const char *key, const char *value)
{
	fprintf(o, ",\n      \"%s\": ", key);
	kc_report_json_str(o, value);
}

static void finding(struct kc_reporter *r, const struct kc_finding *f)
{
	struct json *j = r->state;
	FILE *o = r->out;
	fputs(j->findings++ ? ",\n    {\n" : "\n    {\n", o);
	fputs("      \"rule\": ", o);
	kc_report_json_str(o, f->rule);
	field(o, "severity", kc_severity_name(f->severity));
	field(o, "message", f->message);
	const struct kc_rule_meta *m = kc_policy_find(r->policy, f->rule);
	field(o, "remediation", m != NULL ? m->remediation : NULL);
	field(o, "file", f->file);
	struct kc_pos end = kc_report_end(f);
	fprintf(o, ",\n      \"line\": %u,\n      \"column\": %u,\n"
		"      \"endLine\": %u,\n      \"endColumn\": %u", f->pos.line,
		f->pos.col, end.line, end.col);
	field(o, "path", f->path_str);
	fputs(",\n      \"pathSegments\": ", o);
	path_segments(o, f);
	fprintf(o, ",\n      \"exact\": %s", f->exact ? "true" : "false");
	fputs(",\n      \"resource\": {\"kind\": ", o);
	kc_report_json_str(o, f->kind);
	fputs(", \"name\": ", o);
	kc_report_json_str(o, f->name);
	fputs(", \"namespace\": ", o);
	kc_report_json_str(o, f->namespace);
	fputc('}', o);
	field(o, "container", f->container);
	fprintf(o, ",\n      \"documentIndex\": %u", f->doc_index);
	field(o, "fingerprint", f->fingerprint);
	fputs(",\n      \"fix\": ", o);
	if (f->fix_yaml != NULL) {
		fputs("{\"yaml\": ", o);
		kc_report_json_str(o, f->fix_yaml);
		fputs(", \"parent\": ", o);
		kc_report_json_str(o, f->fix_parent);
		fprintf(o, ", \"line\": %u, \"replaces\": %s}", f->fix_pos.line,
			f->fix_replaces ? "true" : "false");
	} else {
		fputs("null", o);
	}
	field(o, "note", f->note);
	fputs(",\n      \"origin\": ", o);
	if (f->has_origin) {
		fprintf(o, "{\"line\": %u, \"column\": %u, \"path\": ",
			f->origin_pos.line, f->origin_pos.col);
		kc_report_json_str(o, f->origin_path);
		fputs(", \"note\": ", o);
		kc_report_json_str(o, f->origin_note);
		fputc('}', o);
	} else {
		fputs("null", o);
	}
	fprintf(o, ",\n      \"suppressed\": %s,\n      \"suppression\": ",
		f->suppressed ? "true" : "false");
	if (f->suppressed) {
		fputs("{\"kind\": ", o);
		kc_report_json_str(o, f->suppressed_by);
		fputs(", \"reason\": ", o);
		kc_report_json_str(o, f->suppress_reason);
		fputc('}', o);
	} else {
		fputs("null", o);
	}
	fputs("\n    }", o);
}

static void verdict(struct kc_reporter *r, const struct kc_verdict *v)
{
	struct json *j = r->state;
	FILE *o = j->verdicts.f;
	fputs(j->nverdicts++ ? ",\n    {\"file\": " : "\n    {\"file\": ", o);
	kc_report_json_str(o, v->file);
	fprintf(o, ", \"line\": %u, \"column\": %u, \"documentIndex\": %u, "
		"\"kind\": ", v->pos.line, v->pos.col, v->doc_index);
	kc_report_json_str(o, v->kind);
	fputs(", \"name\": ", o);
	kc_report_json_str(o, v->name);
	fputs(", \"namespace\": ", o);
	kc_report_json_str(o, v->namespace);
	fputs(", \"policy\": ", o);
	kc_report_json_str(o, v->policy);
	fprintf(o, ", \"allowed\": %s, \"violations\": ",
		v->violations == NULL ? "true" : "false");
	kc_report_json_str(o, v->violations);
	fputc('}', o);
}

static const char *const level_name[KC_DIAG__COUNT] = {
	[KC_DIAG_NOTE] = "note",
	[KC_DIAG_WARNING] = "warning",
	[KC_DIAG_ERROR] = "error",
};

static void diagnostic(struct kc_reporter *r, const struct kc_diag_event *e)
{
	struct json *j = r->state;
	FILE *o = j->diags.f;
	fprintf(o, "%s    {\"level\": \"%s\", \"file\": ", j->ndiags++ ? ",\n" : "\n",
		level_name[e->level]);
	/* Run-level messages have no file and no position. */
	if (e->line == 0) {
		fputs("null, \"line\": null, \"column\": null", o);
	} else {
		kc_report_json_str(o, e->file);
		fprintf(o, ", \"line\": %u, \"column\": %u", e->line, e->col);
	}
	fputs(", \"message\": ", o);
	kc_report_json_str(o, e->message);
	fputc('}', o);
}

static void file_end(struct kc_reporter *r, const char *file)
{
}

static void end(struct kc_reporter *r, const struct kc_summary *s)
{
	struct json *j = r->state;
	FILE *o = r->out;
	fputs(j->findings ? "\n  ],\n  \"verdicts\": [" : "],\n  \"verdicts\": [", o);
	kc_report_buf_finish(&j->verdicts, o);
	fputs(j->nverdicts ? "\n  ],\n  \"diagnostics\": [" : "],\n  \"diagnostics\": [", o);
	kc_report_buf_finish(&j->diags, o);
	const struct kc_load_stats *l = &s->load;
	fprintf(o, "%s],\n  \"summary\": {\n    \"files\": %u,\n    \"documents\": %u,\n"
		"    \"workloads\": %u,\n    \"skipped\": [", j->ndiags ? "\n  " : "",
		l->files, l->documents, l->workloads);
	for (unsigned i = 0; i < s->skip_count; i++) {
		fputs(i ? ",\n      {\"kind\": " : "\n      {\"kind\": ", o);
		kc_report_json_str(o, s->skips[i].kind);
		fputs(", \"reason\": ", o);
		kc_report_json_str(o, s->skips[i].reason);
		fprintf(o, ", \"count\": %u}", s->skips[i].count);
	}
	fprintf(o, "%s],\n    \"skippedFiles\": %u,\n    \"inputErrors\": %u,\n"
		"    \"findings\": {\"error\": %u, \"warning\": %u, \"info\": %u},\n"
		"    \"suppressed\": %u,\n    \"baselined\": %u\n  }\n}\n",
		s->skip_count ? "\n    " : "", l->skipped_files, l->input_errors,
		s->findings[KC_SEVERITY_ERROR], s->findings[KC_SEVERITY_WARNING],
		s->findings[KC_SEVERITY_INFO], s->suppressed, s->baselined);
	free(j);
	r->state = NULL;
}

const struct kc_reporter_impl kc_report_json = {
	.name = "json",
	.all_findings = true,
	.begin = begin,
	.file_begin = file_begin,
	.finding = finding,
	.verdict = verdict,
	.diagnostic = diagnostic,
	.file_end = file_end,
	.end = end,
};
