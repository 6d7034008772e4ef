/*
 * The text report, for people at a terminal:
 *
 *   file:line:col: severity: message [rule]
 *     in Kind/name at path
 *     note: where an inherited value comes from
 *     fix: where to write what, then the YAML, indented
 *
 * Files are separated by a blank line; a summary closes the run: a table
 * of the rules that found something (most severe first, then most
 * frequent), and with --fail-on, which findings fail the run. Every
 * string from the input goes through kc_report_text_str(): a name cannot
 * send escape sequences to the terminal or forge a line.
 */
#include <stdlib.h>
#include <string.h>

#include "k8scheck/report.h"

#include "emit.h"

#define BOLD "\033[1m"
#define RESET "\033[0m"
#define DIM "\033[2m"
#define GREEN "\033[32m"

static const char *const sev_color[KC_SEVERITY__COUNT] = {
	[KC_SEVERITY_INFO] = "\033[1;36m",
	[KC_SEVERITY_WARNING] = "\033[1;35m",
	[KC_SEVERITY_ERROR] = "\033[1;31m",
};

static const char *c(const struct kc_reporter *r, const char *code)
{
	return r->color ? code : "";
}

/* One row of the closing table. */
struct tally {
	char *rule;              /* malloc'd: findings die with their document */
	enum kc_severity severity;
	unsigned count;
	unsigned fixable;        /* `k8scheck fix` can write the fix */
};

struct text {
	struct tally *rows;
	unsigned count, cap;
};

static void begin(struct kc_reporter *r)
{
	struct text *t = calloc(1, sizeof(*t));
	if (t == NULL) {
		kc_arena_die_oom();
	}
	r->state = t;
}

/* Count f in its rule's row. Rules are few (tens): a scan is enough. */
static void tally(struct text *t, const struct kc_finding *f)
{
	struct tally *row = NULL;
	for (unsigned i = 0; i < t->count && row == NULL; i++) {
		if (t->rows[i].severity == f->severity && strcmp(t->rows[i].rule, f->rule) == 0) {
			row = &t->rows[i];
		}
	}
	if (row == NULL) {
		if (t->count == t->cap) {
			t->cap = t->cap ? t->cap * 2 : 16;
			struct tally *rows = realloc(t->rows, t->cap * sizeof(*rows));
			if (rows == NULL) {
				kc_arena_die_oom();
			}
			t->rows = rows;
		}
		row = &t->rows[t->count++];
		*row = (struct tally){ .rule = strdup(f->rule), .severity = f->severity };
		if (row->rule == NULL) {
			kc_arena_die_oom();
		}
	}
	row->count++;
	if (f->fix_op == KC_FIX_SET || f->fix_op == KC_FIX_REMOVE) {
		row->fixable++;
	}
}

static void file_begin(struct kc_reporter *r, const char *file)
{
	r->file_findings = 0;
}

static void finding(struct kc_reporter *r, const struct kc_finding *f)
{
	FILE *o = r->out;
	if (!f->suppressed && r->state != NULL) {
		tally(r->state, f);
	}
	if (r->file_findings++ == 0 && r->files_with_findings++ > 0) {
		fputc('\n', o);
	}
	fputs(c(r, BOLD), o);
	kc_report_text_str(o, f->file);
	fprintf(o, ":%u:%u:%s %s%s:%s ", f->pos.line, f->pos.col, c(r, RESET),
		c(r, sev_color[f->severity]), kc_severity_name(f->severity), c(r, RESET));
	kc_report_text_str(o, f->message);
	fputs(" [", o);
	kc_report_text_str(o, f->rule);
	fputs("]\n", o);
	fprintf(o, "  %sin ", c(r, DIM));
	kc_report_text_str(o, f->kind);
	fputc('/', o);
	kc_report_text_str(o, f->name ? f->name : "(unnamed)");
	if (f->namespace) {
		fputs(" -n ", o);
		kc_report_text_str(o, f->namespace);
	}
	fputs(" at ", o);
	kc_report_text_str(o, f->path_str);
	fprintf(o, "%s\n", c(r, RESET));
	if (f->suppressed) {
		fputs("  suppressed by ", o);
		kc_report_text_str(o, f->suppressed_by);
		if (f->suppress_reason) {
			fputs(": ", o);
			kc_report_text_str(o, f->suppress_reason);
		}
		fputc('\n', o);
	}
	if (f->note != NULL) {
		fputs("  note: ", o);
		kc_report_text_str(o, f->note);
		fputc('\n', o);
	}
	if (f->has_origin) {
		fputs("  note: ", o);
		kc_report_text_str(o, f->origin_note);
		fprintf(o, " (line %u, column %u: ", f->origin_pos.line, f->origin_pos.col);
		kc_report_text_str(o, f->origin_path);
		fputs(")\n", o);
	}
	if (f->fix_op == KC_FIX_REMOVE && f->more_count > 0) {
		fprintf(o, "  fix: remove line %u and write the value where it "
			"applies (k8scheck fix does it)\n", f->fix_pos.line);
	} else if (f->fix_op == KC_FIX_REMOVE) {
		fprintf(o, "  fix: remove line %u\n", f->fix_pos.line);
	} else if (f->fix_op == KC_FIX_MANUAL && f->fix_yaml != NULL &&
		strncmp(f->fix_yaml, "# ", 2) == 0) {
		/* an instruction rather than YAML */
		fputs("  consider: ", o);
		kc_report_text_str(o, f->fix_yaml + 2);
		fputc('\n', o);
	} else if (f->fix_yaml != NULL) {
		/* A manual fix is a suggestion: its value needs a person. */
		const char *verb = f->fix_op == KC_FIX_MANUAL
			? "consider (choose the value yourself)" : "fix";
		if (f->fix_replaces) {
			fprintf(o, "  %s: at line %u, replace with:\n", verb, f->fix_pos.line);
		} else if (f->fix_parent[0] != '\0') {
			fprintf(o, "  %s: add under ", verb);
			kc_report_text_str(o, f->fix_parent);
			fprintf(o, " (line %u):\n", f->fix_pos.line);
		} else {
			fprintf(o, "  %s: add at the top level:\n", verb);
		}
		const char *p = f->fix_yaml;
		while (*p) {
			size_t n = strcspn(p, "\n");
			fprintf(o, "      %s", c(r, GREEN));
			kc_report_text_strn(o, p, n);
			fprintf(o, "%s\n", c(r, RESET));
			p += n;
			if (*p == '\n') {
				p++;
			}
		}
	}
}

static void verdict(struct kc_reporter *r, const struct kc_verdict *v)
{
	FILE *o = r->out;
	if (r->file_findings++ == 0 && r->files_with_findings++ > 0) {
		fputc('\n', o);
	}
	fputs(c(r, BOLD), o);
	kc_report_text_str(o, v->file);
	fprintf(o, ":%u:%u:%s ", v->pos.line, v->pos.col, c(r, RESET));
	kc_report_text_str(o, v->kind);
	fputc('/', o);
	kc_report_text_str(o, v->name ? v->name : "(unnamed)");
	fputs(": ", o);
	if (v->violations != NULL) {
		fprintf(o, "%sviolates PodSecurity \"%s\"%s: ",
			c(r, sev_color[KC_SEVERITY_ERROR]), v->policy, c(r, RESET));
		kc_report_text_str(o, v->violations);
		fputc('\n', o);
	} else {
		fprintf(o, "%sallowed by PodSecurity \"%s\"%s\n", c(r, GREEN),
			v->policy, c(r, RESET));
	}
}

static void file_end(struct kc_reporter *r, const char *file)
{
}

static const char *plural(unsigned n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* Most severe first, then most frequent, then by id. */
static int tally_cmp(const void *x, const void *y)
{
	const struct tally *a = x, *b = y;
	if (a->severity != b->severity) {
		return a->severity > b->severity ? -1 : 1;
	}
	if (a->count != b->count) {
		return a->count > b->count ? -1 : 1;
	}
	return strcmp(a->rule, b->rule);
}

static void table(struct kc_reporter *r, struct text *t)
{
	FILE *o = r->out;
	qsort(t->rows, t->count, sizeof(*t->rows), tally_cmp);
	size_t width = strlen("rule");
	for (unsigned i = 0; i < t->count; i++) {
		size_t n = strlen(t->rows[i].rule);
		width = n > width ? n : width;
	}
	fprintf(o, "%s%-*s  %-8s  %8s  %7s%s\n", c(r, BOLD), (int)width, "rule",
		"severity", "findings", "fixable", c(r, RESET));
	for (unsigned i = 0; i < t->count; i++) {
		const struct tally *row = &t->rows[i];
		kc_report_text_str(o, row->rule);
		fprintf(o, "%*s  %s%-8s%s  %8u  %7u\n", (int)(width - strlen(row->rule)), "",
			c(r, sev_color[row->severity]), kc_severity_name(row->severity),
			c(r, RESET), row->count, row->fixable);
	}
	fputc('\n', o);
}

/* With --fail-on above info, which findings fail the run. */
static void failing(struct kc_reporter *r, const struct text *t)
{
	if (r->fail_on == KC_SEVERITY_INFO || t == NULL || t->count == 0) {
		return;
	}
	unsigned fail = 0, pass = 0;
	for (unsigned i = 0; i < t->count; i++) {
		if (t->rows[i].severity >= r->fail_on) {
			fail += t->rows[i].count;
		} else {
			pass += t->rows[i].count;
		}
	}
	const char *level = kc_severity_name(r->fail_on);
	if (fail == 0) {
		fprintf(r->out, "no finding fails the run (--fail-on %s)\n", level);
	} else {
		fprintf(r->out, "%u %s the run (at or above --fail-on %s)\n", fail,
			plural(fail, "finding fails", "findings fail"), level);
	}
	if (pass > 0) {
		fprintf(r->out, "%u %s below --fail-on %s %s not fail it\n", pass,
			plural(pass, "finding", "findings"), level, plural(pass, "does", "do"));
	}
}

static void finish(struct kc_reporter *r)
{
	struct text *t = r->state;
	for (unsigned i = 0; t != NULL && i < t->count; i++) {
		free(t->rows[i].rule);
	}
	if (t != NULL) {
		free(t->rows);
		free(t);
	}
	r->state = NULL;
}

static void end(struct kc_reporter *r, const struct kc_summary *s)
{
	if (r->quiet) {
		finish(r);
		return;
	}
	FILE *o = r->out;
	const struct kc_load_stats *l = &s->load;
	struct text *t = r->state;
	if (r->files_with_findings > 0) {
		fputc('\n', o);
	}
	if (t != NULL && t->count > 0) {
		table(r, t);
	}
	fprintf(o, "checked %u %s in %u %s, %u %s", l->workloads,
		plural(l->workloads, "workload", "workloads"), l->documents,
		plural(l->documents, "document", "documents"), l->files,
		plural(l->files, "file", "files"));
	if (l->dockerfiles > 0) {
		fprintf(o, "; %u %s (%u build %s)", l->dockerfiles,
			plural(l->dockerfiles, "Dockerfile", "Dockerfiles"), l->stages,
			plural(l->stages, "stage", "stages"));
	}
	unsigned skipped = 0;
	for (unsigned i = 0; i < s->skip_count; i++) {
		skipped += s->skips[i].count;
	}
	if (skipped > 0) {
		fprintf(o, "; skipped %u %s:", skipped,
			plural(skipped, "resource", "resources"));
		for (unsigned i = 0; i < s->skip_count; i++) {
			const struct kc_skip_count *k = &s->skips[i];
			fprintf(o, "%s %u ", i ? "," : "", k->count);
			kc_report_text_str(o, k->kind ? k->kind
				: plural(k->count, "document", "documents"));
			fprintf(o, " (%s)", k->reason);
		}
	}
	if (l->skipped_files > 0) {
		fprintf(o, "; skipped %u %s with template syntax", l->skipped_files,
			plural(l->skipped_files, "file", "files"));
	}
	if (l->input_errors > 0) {
		fprintf(o, "; %u input %s", l->input_errors,
			plural(l->input_errors, "error", "errors"));
	}
	fputc('\n', o);
	unsigned total = 0;
	for (int i = 0; i < KC_SEVERITY__COUNT; i++) {
		total += s->findings[i];
	}
	if (s->suppressed > 0) {
		fprintf(o, "%u %s suppressed by ignores\n", s->suppressed,
			plural(s->suppressed, "finding", "findings"));
	}
	if (s->baselined > 0) {
		fprintf(o, "%u known %s not shown (in the baseline)\n", s->baselined,
			plural(s->baselined, "finding", "findings"));
	}
	if (total == 0) {
		fprintf(o, "%sno findings%s\n", c(r, GREEN), c(r, RESET));
		finish(r);
		return;
	}
	static const char *const plurals[KC_SEVERITY__COUNT] = {
		[KC_SEVERITY_INFO] = "infos",
		[KC_SEVERITY_WARNING] = "warnings",
		[KC_SEVERITY_ERROR] = "errors",
	};
	fprintf(o, "%u %s:", total, plural(total, "finding", "findings"));
	bool first = true;
	for (int i = KC_SEVERITY__COUNT; i-- > 0;) {
		if (s->findings[i] == 0) {
			continue;
		}
		fprintf(o, "%s %s%u %s%s", first ? "" : ",", c(r, sev_color[i]),
			s->findings[i], plural(s->findings[i],
				kc_severity_name((enum kc_severity)i), plurals[i]),
			c(r, RESET));
		first = false;
	}
	fputc('\n', o);
	failing(r, t);
	finish(r);
}

const struct kc_reporter_impl kc_report_text = {
	.name = "text",
	.begin = begin,
	.file_begin = file_begin,
	.finding = finding,
	.verdict = verdict,
	.file_end = file_end,
	.end = end,
};
