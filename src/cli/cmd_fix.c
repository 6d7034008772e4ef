/* `k8scheck fix`: each input's fixes through the pipeline library, shown
 * as a diff, written in place (--write), or, for '-', the fixed text. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "k8scheck/fix.h"
#include "k8scheck/input.h"

#include "internal.h"

struct fixing {
	struct kc_cli_run *r;
	unsigned fixed_findings;
	unsigned fixed_files;
	unsigned left_findings;  /* need a person, or refused */
	bool failed;
};

static void on_manual(void *ctx, const struct kc_finding *f)
{
	struct fixing *fx = ctx;
	struct kc_diag *d = &fx->r->diag;
	kc_diag_at(d, KC_DIAG_NOTE, f->file, f->pos.line, f->pos.col,
		"manual [%s]: %s", f->rule, f->message);
	if (f->fix_yaml == NULL) {
		return;
	}
	fflush(fx->r->out);
	fprintf(d->err, "  consider, under %s (line %u):\n",
		f->fix_parent[0] ? f->fix_parent : "the top level", f->fix_pos.line);
	const char *p = f->fix_yaml;
	while (*p) {
		size_t len = strcspn(p, "\n");
		fprintf(d->err, "      %.*s\n", (int)len, p);
		p += len + (p[len] == '\n');
	}
}

static void on_refused(void *ctx, const char *reason)
{
	struct fixing *fx = ctx;
	fflush(fx->r->out);
	fprintf(fx->r->diag.err, "%s\n", reason);
}

/* Replace path's contents atomically, keeping its mode. */
static bool write_file(const char *path, const char *data, size_t len, FILE *err)
{
	struct stat st;
	struct kc_atomic w;
	if (stat(path, &st) != 0) {
		fprintf(err, "k8scheck: error: cannot write '%s': %s\n", path, strerror(errno));
		return false;
	}
	if (!kc_atomic_open(&w, path, (int)(st.st_mode & 07777), err)) {
		return false;
	}
	fwrite(data, 1, len, w.f);
	return kc_atomic_commit(&w, err);
}

static void fix_one(struct fixing *fx, const struct kc_pool_job *job)
{
	struct kc_cli_run *r = fx->r;
	char *text;
	size_t len;
	struct kc_load_stats *stats = &r->report.sum.load;
	if (!kc_input_read(job->path, job->name, job->in, &r->checker.limits, &r->diag,
		stats, &text, &len)) {
		return;
	}
	const struct kc_check_fix_sink sink = {
		.manual = on_manual, .refused = on_refused, .ctx = fx,
	};
	struct kc_check_fix res;
	kc_check_fix_buffer(&r->checker, job->name, text, len, &r->diag, stats, &sink,
		&res);
	fx->left_findings += res.manual + res.refused + res.failed_count;
	unsigned fixed = res.fixed;
	fx->failed = fx->failed || res.failed;
	if (job->in != NULL) {
		/* An editor's buffer: the fixed document goes to standard output. */
		fwrite(res.changed ? res.text : text, 1, res.changed ? res.len : len, r->out);
	} else if (res.changed && r->opt->write) {
		if (write_file(job->path, res.text, res.len, r->err)) {
			fx->fixed_files++;
		} else {
			/* Nothing was written: the summary never calls them fixed. */
			fx->failed = true;
			fx->left_findings += fixed;
			fixed = 0;
		}
	} else if (res.changed) {
		kc_fix_diff(r->out, job->name, text, len, res.text, res.len);
		fx->fixed_files++;
	}
	fx->fixed_findings += fixed;
	kc_check_fix_finish(&res);
	free(text);
}

int kc_cli_fix(struct kc_cli_run *r)
{
	const char *none[] = { NULL };
	int rc = kc_cli_prepare(r, none);
	if (rc >= 0) {
		return rc;
	}
	/* Fixes rewrite files one at a time: no pool. */
	struct fixing fx = { .r = r };
	for (size_t j = 0; j < r->inputs.njobs && !kc_cli_out_failed(r); j++) {
		const struct kc_pool_job *job = &r->inputs.jobs[j];
		if (job->errnum != 0) {
			kc_cli_input_error(&r->diag, &r->report.sum.load, job->name,
				job->errnum);
		} else {
			fix_one(&fx, job);
		}
	}
	kc_cli_nothing_checked(r);
	if (!r->opt->quiet) {
		fflush(r->out);
		fprintf(r->err, "k8scheck fix: %u %s %s in %u %s; %u %s a person\n",
			fx.fixed_findings, fx.fixed_findings == 1 ? "finding" : "findings",
			r->opt->write ? "fixed" : "fixable", fx.fixed_files,
			fx.fixed_files == 1 ? "file" : "files", fx.left_findings,
			fx.left_findings == 1 ? "needs" : "need");
	}
	if (r->report.sum.load.input_errors > 0 || fx.failed) {
		return KC_EXIT_INPUT;
	}
	/* Like diff: 1 while anything is left to change or to look at. */
	bool pending = (!r->opt->write && fx.fixed_files > 0) || fx.left_findings > 0;
	return pending ? KC_EXIT_FINDINGS : KC_EXIT_OK;
}
