/*
 * JUnit XML, as Jenkins, GitLab and Azure Pipelines read it: one suite; one
 * test case per resource and rule that ran: failing with every finding of
 * that rule on that resource that fails the run (at or above --fail-on),
 * skipped when its findings are all below --fail-on or silenced by ignore
 * directives, passing otherwise; so the suite is red exactly when the exit
 * status is 1 for findings. An `input` case in error for each file or
 * document that could not be loaded. The suite's counts come first, so the cases are
 * collected in memory and written at the end.
 *
 * A resource's findings arrive together (a document's findings are sorted
 * by line and its resources do not overlap), so they are gathered, copied
 * out of the document arena, until the resource changes.
 */
#include <stdlib.h>
#include <string.h>

#include "k8scheck/report.h"

#include "emit.h"

struct item {
	const char *rule;
	enum kc_severity severity;
	const char *message;
	const char *where;       /* "file:line:col: message\npath" */
	const char *suppressed;  /* "comment: reason" if an ignore silenced it */
	unsigned seq;
};

struct junit {
	struct kc_report_buf cases;
	struct kc_report_buf syserr;
	unsigned tests, failures, errors, skipped;
	bool file_reported;      /* the current file has a case already */
	/* The resource being gathered; all of it lives in arena. */
	struct kc_arena *arena;
	const char *file;
	unsigned doc_index;
	const char *kind, *name, *namespace;
	struct item *items;
	unsigned count, cap;
	enum kc_severity fail_on;  /* the reporter's, for flush() */
};

static void begin(struct kc_reporter *r)
{
	struct junit *j = calloc(1, sizeof(*j));
	if (j == NULL) {
		kc_arena_die_oom();
	}
	kc_report_buf_init(&j->cases);
	kc_report_buf_init(&j->syserr);
	j->arena = kc_arena_create();
	j->fail_on = r->fail_on;
	r->state = j;
}

static void file_begin(struct kc_reporter *r, const char *file)
{
	struct junit *j = r->state;
	j->file_reported = false;
}

static void attr(FILE *o, const char *name, const char *value)
{
	fprintf(o, " %s=\"", name);
	kc_report_xml_str(o, value, true);
	fputc('"', o);
}

static int item_cmp(const void *x, const void *y)
{
	const struct item *a = x, *b = y;
	int c = strcmp(a->rule, b->rule);
	return c != 0 ? c : (a->seq > b->seq) - (a->seq < b->seq);
}

static bool fails(const struct item *it, enum kc_severity fail_on)
{
	return it->suppressed == NULL && it->severity >= fail_on;
}

/* The findings of items[from, to) below --fail-on, as a skipped case. */
static void below_case(struct junit *j, unsigned from, unsigned to,
	enum kc_severity fail_on)
{
	FILE *o = j->cases.f;
	const struct item *first = NULL;
	unsigned n = 0;
	for (unsigned k = from; k < to; k++) {
		if (j->items[k].suppressed == NULL) {
			first = first ? first : &j->items[k];
			n++;
		}
	}
	fprintf(o, "\">\n      <skipped message=\"%s below --fail-on %s: ",
		kc_severity_name(first->severity), kc_severity_name(fail_on));
	kc_report_xml_str(o, first->message, true);
	if (n > 1) {
		fprintf(o, " (and %u more)", n - 1);
	}
	fputs("\">", o);
	for (unsigned k = from; k < to; k++) {
		if (j->items[k].suppressed == NULL) {
			fputs(&j->items[k] != first ? "\n\n" : "", o);
			kc_report_xml_str(o, j->items[k].where, false);
		}
	}
	fputs("</skipped>\n    </testcase>\n", o);
	j->skipped++;
}

/* One rule's findings on the resource, items[from, to): a failure with
 * those that fail the run, else skipped (below --fail-on, or an ignore
 * silenced them all). */
static void test_case(struct junit *j, unsigned from, unsigned to,
	enum kc_severity fail_on)
{
	FILE *o = j->cases.f;
	const struct item *first = NULL;
	unsigned failing = 0;
	bool unsuppressed = false;
	enum kc_severity worst = KC_SEVERITY_INFO;
	for (unsigned k = from; k < to; k++) {
		unsuppressed = unsuppressed || j->items[k].suppressed == NULL;
		if (fails(&j->items[k], fail_on)) {
			first = first ? first : &j->items[k];
			failing++;
			worst = j->items[k].severity > worst ? j->items[k].severity : worst;
		}
	}
	fputs("    <testcase", o);
	attr(o, "classname", j->file);
	fputs(" name=\"", o);
	kc_report_xml_str(o, j->kind, true);
	fputc('/', o);
	kc_report_xml_str(o, j->name ? j->name : "(unnamed)", true);
	fputc(' ', o);
	kc_report_xml_str(o, j->items[from].rule, true);
	j->tests++;
	if (first == NULL && unsuppressed) {
		below_case(j, from, to, fail_on);
		return;
	}
	if (first == NULL) {
		fputs("\">\n      <skipped message=\"suppressed by ", o);
		kc_report_xml_str(o, j->items[from].suppressed, true);
		fputs("\"/>\n    </testcase>\n", o);
		j->skipped++;
		return;
	}
	fputs("\">\n      <failure message=\"", o);
	kc_report_xml_str(o, first->message, true);
	if (failing > 1) {
		fprintf(o, " (and %u more)", failing - 1);
	}
	fprintf(o, "\" type=\"%s\">", kc_severity_name(worst));
	for (unsigned k = from; k < to; k++) {
		if (fails(&j->items[k], fail_on)) {
			fputs(&j->items[k] != first ? "\n\n" : "", o);
			kc_report_xml_str(o, j->items[k].where, false);
		}
	}
	fputs("</failure>\n    </testcase>\n", o);
	j->failures++;
}

static bool same(const char *a, const char *b);

static void passing_case(struct junit *j, const char *rule)
{
	FILE *o = j->cases.f;
	fputs("    <testcase", o);
	attr(o, "classname", j->file);
	fputs(" name=\"", o);
	kc_report_xml_str(o, j->kind, true);
	fputc('/', o);
	kc_report_xml_str(o, j->name ? j->name : "(unnamed)", true);
	fputc(' ', o);
	kc_report_xml_str(o, rule, true);
	fputs("\"/>\n", o);
	j->tests++;
}

/* Write the gathered resource: one case per rule, by rule id; with the
 * rules that ran (rules, sorted), a passing case for each that found
 * nothing. */
static void flush_rules(struct junit *j, const char *const *rules, unsigned nrules,
	enum kc_severity fail_on)
{
	if (j->count == 0 && nrules == 0) {
		return;
	}
	if (j->count > 1) {
		qsort(j->items, j->count, sizeof(*j->items), item_cmp);
	}
	unsigned r = 0;
	for (unsigned i = 0, next; i < j->count; i = next) {
		for (next = i + 1; next < j->count &&
			strcmp(j->items[next].rule, j->items[i].rule) == 0; next++) {
		}
		while (r < nrules && strcmp(rules[r], j->items[i].rule) < 0) {
			passing_case(j, rules[r++]);
		}
		if (r < nrules && strcmp(rules[r], j->items[i].rule) == 0) {
			r++;
		}
		test_case(j, i, next, fail_on);
	}
	while (r < nrules) {
		passing_case(j, rules[r++]);
	}
	j->count = 0;
	j->cap = 0;
	j->items = NULL;
	kc_arena_reset(j->arena);
	j->file_reported = true;
}

static void flush(struct junit *j)
{
	if (j->count > 0) {
		flush_rules(j, NULL, 0, j->fail_on);
	}
}

static void resource(struct kc_reporter *r, const struct kc_resource *res)
{
	struct junit *j = r->state;
	if (j->count > 0 && !(j->doc_index == res->doc_index && same(j->file, res->file) &&
		same(j->kind, res->kind) && same(j->name, res->name))) {
		flush(j);
	}
	if (j->count == 0) {
		struct kc_arena *a = j->arena;
		j->file = kc_arena_strdup(a, res->file);
		j->doc_index = res->doc_index;
		j->kind = kc_arena_strdup(a, res->kind);
		j->name = res->name ? kc_arena_strdup(a, res->name) : NULL;
		j->namespace = res->namespace ? kc_arena_strdup(a, res->namespace) : NULL;
	}
	flush_rules(j, r->rules, r->rule_count, r->fail_on);
}

static bool same(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* "comment: reason", "annotation", or NULL if f is not suppressed. */
static const char *suppression(struct kc_arena *a, const struct kc_finding *f)
{
	if (!f->suppressed) {
		return NULL;
	}
	if (f->suppress_reason == NULL) {
		return kc_arena_strdup(a, f->suppressed_by);
	}
	return kc_arena_printf(a, "%s: %s", f->suppressed_by, f->suppress_reason);
}

static void finding(struct kc_reporter *r, const struct kc_finding *f)
{
	struct junit *j = r->state;
	if (j->count > 0 && !(j->doc_index == f->doc_index && same(j->file, f->file) &&
		same(j->kind, f->kind) && same(j->name, f->name) &&
		same(j->namespace, f->namespace))) {
		flush(j);
	}
	struct kc_arena *a = j->arena;
	if (j->count == 0) {
		j->file = kc_arena_strdup(a, f->file);
		j->doc_index = f->doc_index;
		j->kind = kc_arena_strdup(a, f->kind);
		j->name = f->name ? kc_arena_strdup(a, f->name) : NULL;
		j->namespace = f->namespace ? kc_arena_strdup(a, f->namespace) : NULL;
	}
	if (j->count == j->cap) {
		j->cap = j->cap ? j->cap * 2 : 16;
		j->items = kc_arena_realloc(a, j->items, j->cap * sizeof(*j->items));
	}
	j->items[j->count] = (struct item){
		.rule = kc_arena_strdup(a, f->rule),
		.severity = f->severity,
		.message = kc_arena_strdup(a, f->message),
		.where = kc_arena_printf(a, "%s:%u:%u: %s\n%s", f->file, f->pos.line,
			f->pos.col, f->message, f->path_str),
		.suppressed = suppression(a, f),
		.seq = j->count,
	};
	j->count++;
}

static void diagnostic(struct kc_reporter *r, const struct kc_diag_event *e)
{
	struct junit *j = r->state;
	if (e->level == KC_DIAG_NOTE) {
		return;
	}
	/* Run-level messages (line 0) concern no file. */
	const char *file = e->line > 0 ? e->file : "k8scheck";
	if (e->level == KC_DIAG_WARNING) {
		FILE *o = j->syserr.f;
		if (e->line > 0) {
			fprintf(o, "%s:%u:%u: ", file, e->line, e->col);
		} else {
			fprintf(o, "%s: ", file);
		}
		fputs("warning: ", o);
		kc_report_xml_str(o, e->message, false);
		fputc('\n', o);
		return;
	}
	flush(j);
	FILE *o = j->cases.f;
	fputs("    <testcase", o);
	attr(o, "classname", file);
	fputs(" name=\"input\">\n      <error", o);
	attr(o, "message", e->message);
	fputs(" type=\"error\">", o);
	kc_report_xml_str(o, file, false);
	if (e->line > 0) {
		fprintf(o, ":%u:%u", e->line, e->col);
	}
	fputs(": ", o);
	kc_report_xml_str(o, e->message, false);
	fputs("</error>\n    </testcase>\n", o);
	j->tests++;
	j->errors++;
	j->file_reported = true;
}

static void file_end(struct kc_reporter *r, const char *file)
{
	struct junit *j = r->state;
	flush(j);
}

static void end(struct kc_reporter *r, const struct kc_summary *s)
{
	struct junit *j = r->state;
	flush(j);
	FILE *o = r->out;
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", o);
	fprintf(o, "<testsuites name=\"k8scheck\" tests=\"%u\" failures=\"%u\" "
		"errors=\"%u\" skipped=\"%u\">\n", j->tests, j->failures, j->errors,
		j->skipped);
	fprintf(o, "  <testsuite name=\"k8scheck\" tests=\"%u\" failures=\"%u\" "
		"errors=\"%u\" skipped=\"%u\">\n", j->tests, j->failures, j->errors,
		j->skipped);
	kc_report_buf_finish(&j->cases, o);
	fflush(j->syserr.f);
	if (j->syserr.len > 0) {
		fputs("    <system-err>", o);
		kc_report_buf_finish(&j->syserr, o);
		fputs("</system-err>\n", o);
	}
	kc_report_buf_finish(&j->syserr, NULL);
	fputs("  </testsuite>\n</testsuites>\n", o);
	kc_arena_destroy(j->arena);
	free(j);
	r->state = NULL;
}

const struct kc_reporter_impl kc_report_junit = {
	.name = "junit",
	.all_findings = true,
	.begin = begin,
	.file_begin = file_begin,
	.finding = finding,
	.resource = resource,
	.diagnostic = diagnostic,
	.file_end = file_end,
	.end = end,
};
