/*
 * The editor format: `file:line:col: severity: message [rule]`, one line per
 * finding and nothing else, as quickfix lists and problem matchers parse it
 * (severity is error, warning or note). Input diagnostics already go to
 * stderr in the same form. A suppressed finding, shown only with
 * --show-suppressed, is a note and ends in "(suppressed)". Control
 * characters from the input are escaped, so one finding is one line.
 */
#include "k8scheck/report.h"

#include "emit.h"

static const char *const severity[KC_SEVERITY__COUNT] = {
	[KC_SEVERITY_INFO] = "note",
	[KC_SEVERITY_WARNING] = "warning",
	[KC_SEVERITY_ERROR] = "error",
};

static void begin(struct kc_reporter *r)
{
}

static void file_begin(struct kc_reporter *r, const char *file)
{
}

static void finding(struct kc_reporter *r, const struct kc_finding *f)
{
	/* A suppressed finding (shown with --show-suppressed) is only a note. */
	FILE *o = r->out;
	kc_report_text_str(o, f->file);
	fprintf(o, ":%u:%u: %s: ", f->pos.line, f->pos.col,
		f->suppressed ? "note" : severity[f->severity]);
	kc_report_text_str(o, f->message);
	fputs(" [", o);
	kc_report_text_str(o, f->rule);
	fprintf(o, "]%s\n", f->suppressed ? " (suppressed)" : "");
}

static void file_end(struct kc_reporter *r, const char *file)
{
}

static void end(struct kc_reporter *r, const struct kc_summary *s)
{
}

const struct kc_reporter_impl kc_report_gcc = {
	.name = "gcc",
	.begin = begin,
	.file_begin = file_begin,
	.finding = finding,
	.file_end = file_end,
	.end = end,
};
