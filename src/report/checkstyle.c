/*
 * Checkstyle XML, read by many CI dashboards and editor plugins: a <file>
 * for every file checked, holding an <error> per finding (source
 * k8scheck.<rule>) and per input error or warning (source k8scheck.input).
 * A file that could not even be opened gets a <file> of its own.
 */
#include "k8scheck/report.h"

#include "emit.h"

static const char *const severity[KC_SEVERITY__COUNT] = {
	[KC_SEVERITY_INFO] = "info",
	[KC_SEVERITY_WARNING] = "warning",
	[KC_SEVERITY_ERROR] = "error",
};

static void begin(struct kc_reporter *r)
{
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<checkstyle version=\"4.3\">\n", r->out);
	r->state = NULL;  /* between file_begin and file_end: the file's name */
}

static void open_file(FILE *o, const char *file)
{
	fputs("  <file name=\"", o);
	kc_report_xml_str(o, file, true);
	fputs("\">\n", o);
}

static void file_begin(struct kc_reporter *r, const char *file)
{
	open_file(r->out, file);
	r->state = (void *)file;  /* a <file> is open */
}

static void error(FILE *o, unsigned line, unsigned col, const char *sev,
	const char *message, const char *source)
{
	fprintf(o, "    <error line=\"%u\" column=\"%u\" severity=\"%s\" message=\"",
		line, col, sev);
	kc_report_xml_str(o, message, true);
	fputs("\" source=\"k8scheck.", o);
	kc_report_xml_str(o, source, true);
	fputs("\"/>\n", o);
}

static void finding(struct kc_reporter *r, const struct kc_finding *f)
{
	/* "ignore" is checkstyle's own severity for a silenced problem. */
	error(r->out, f->pos.line, f->pos.col,
		f->suppressed ? "ignore" : severity[f->severity], f->message, f->rule);
}

static void diagnostic(struct kc_reporter *r, const struct kc_diag_event *e)
{
	/* Notes add nothing on their own; run-level messages (line 0) have
	 * no file to hang on. */
	if (e->level == KC_DIAG_NOTE || e->line == 0) {
		return;
	}
	const char *sev = e->level == KC_DIAG_ERROR ? "error" : "warning";
	if (r->state != NULL) {
		error(r->out, e->line, e->col, sev, e->message, "input");
		return;
	}
	open_file(r->out, e->file);
	error(r->out, e->line, e->col, sev, e->message, "input");
	fputs("  </file>\n", r->out);
}

static void file_end(struct kc_reporter *r, const char *file)
{
	fputs("  </file>\n", r->out);
	r->state = NULL;
}

static void end(struct kc_reporter *r, const struct kc_summary *s)
{
	fputs("</checkstyle>\n", r->out);
}

const struct kc_reporter_impl kc_report_checkstyle = {
	.name = "checkstyle",
	.all_findings = true,
	.begin = begin,
	.file_begin = file_begin,
	.finding = finding,
	.diagnostic = diagnostic,
	.file_end = file_end,
	.end = end,
};
