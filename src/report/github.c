/*
 * GitHub Actions workflow commands, so findings show inline on the pull
 * request with no upload step:
 *
 *   ::error file=F,line=L,col=C,endLine=EL,endColumn=EC,title=RULE::message
 *
 * (endLine and endColumn only when the field fits on one line), warning for
 * warnings, notice for infos. Input errors and warnings become
 * annotations too, titled k8scheck. The runner decodes %25, %0D and %0A in
 * the message, and also %3A and %2C in property values.
 */
#include <string.h>

#include "k8scheck/report.h"

#include "emit.h"

/* Invalid UTF-8 becomes U+FFFD: the runner reads the log as UTF-8. */
static void escape(FILE *o, const char *str, bool property)
{
	size_t n = strlen(str);
	for (size_t i = 0, len; i < n; i += len) {
		const char *s = str + i;
		unsigned long cp;
		len = kc_report_utf8_decode(s, n - i, &cp);
		if (len > 1) {
			fwrite(s, 1, len, o);
			continue;
		}
		if (cp == 0xFFFD) {  /* a byte that is not UTF-8 */
			fputs("\xEF\xBF\xBD", o);
			continue;
		}
		/* The runner decodes only the escapes below; any other control
		 * character (ESC starts a terminal sequence in the log) is
		 * written as visible text. */
		if (*s != '\r' && *s != '\n' && *s != '\t' &&
			((unsigned char)*s < 0x20 || *s == 0x7F)) {
			fprintf(o, "\\x%02X", (unsigned char)*s);
			continue;
		}
		switch (*s) {
		case '%':
			fputs("%25", o);
			break;
		case '\r':
			fputs("%0D", o);
			break;
		case '\n':
			fputs("%0A", o);
			break;
		case ':':
			fputs(property ? "%3A" : ":", o);
			break;
		case ',':
			fputs(property ? "%2C" : ",", o);
			break;
		default:
			fputc(*s, o);
			break;
		}
	}
}

static const char *const command[KC_SEVERITY__COUNT] = {
	[KC_SEVERITY_INFO] = "notice",
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
	FILE *o = r->out;
	struct kc_pos end = kc_report_end(f);
	/* A suppressed finding (--show-suppressed) is only a notice. */
	fprintf(o, "::%s file=", f->suppressed ? "notice" : command[f->severity]);
	escape(o, f->file, true);
	fprintf(o, ",line=%u,col=%u,", f->pos.line, f->pos.col);
	/* GitHub shows an annotation under its last line: a region that
	 * spans a block would land on the next field's line, so only a
	 * single-line region gets its end. */
	if (end.line == f->pos.line) {
		fprintf(o, "endLine=%u,endColumn=%u,", end.line, end.col);
	}
	fputs("title=", o);
	escape(o, f->rule, true);
	if (f->suppressed) {
		fputs(" (suppressed)", o);
	}
	fputs("::", o);
	escape(o, f->message, false);
	fputc('\n', o);
}

static void diagnostic(struct kc_reporter *r, const struct kc_diag_event *e)
{
	if (e->level == KC_DIAG_NOTE) {
		return;
	}
	FILE *o = r->out;
	fputs(e->level == KC_DIAG_ERROR ? "::error " : "::warning ", o);
	/* Run-level messages (line 0) concern no file. */
	if (e->line > 0) {
		fputs("file=", o);
		escape(o, e->file, true);
		fprintf(o, ",line=%u,col=%u,", e->line, e->col);
	}
	fputs("title=k8scheck::", o);
	escape(o, e->message, false);
	fputc('\n', o);
}

static void file_end(struct kc_reporter *r, const char *file)
{
}

static void end(struct kc_reporter *r, const struct kc_summary *s)
{
}

const struct kc_reporter_impl kc_report_github = {
	.name = "github",
	.begin = begin,
	.file_begin = file_begin,
	.finding = finding,
	.diagnostic = diagnostic,
	.file_end = file_end,
	.end = end,
};
