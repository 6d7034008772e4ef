/* `k8scheck check` (the default): every input through the pipeline, the
 * findings to each --format's reporter. */
#include <string.h>

#include "internal.h"

/* --format FORMAT[=FILE] and -o -> r->outputs. Returns -1, or a usage error. */
static int parse_formats(struct kc_cli_run *r)
{
	const struct kc_cli_options *o = r->opt;
	const char *output = o->output;
	const char *text[] = { "text" };
	const char *const *formats = o->nformats > 0 ? o->formats : text;
	unsigned nformats = o->nformats > 0 ? o->nformats : 1;
	bool to_stream = false;
	for (unsigned i = 0; i < nformats; i++) {
		char *spec = kc_arena_strdup(r->arena, formats[i]);
		char *eq = strchr(spec, '=');
		const char *path = NULL;
		if (eq != NULL) {
			*eq = '\0';
			path = eq + 1;
			if (*path == '\0') {
				return kc_cli_usage_error(r->err, "--format %s= needs a file "
					"name", spec);
			}
		} else if (output != NULL && !to_stream) {
			path = output;
			output = NULL;
		}
		const struct kc_reporter_impl *impl = kc_report_find(spec);
		if (impl == NULL) {
			return kc_cli_usage_error(r->err, "unknown format '%s' (available: "
				"%s)", spec, kc_report_names());
		}
		if (path == NULL || strcmp(path, "-") == 0) {
			if (to_stream) {
				return kc_cli_usage_error(r->err, "%s", "only one format can "
					"go to standard output; give the others a file "
					"(FORMAT=FILE)");
			}
			to_stream = true;
			path = NULL;
		}
		r->outputs[r->noutputs++] = (struct kc_cli_output){
			.rep = { .impl = impl, .quiet = o->quiet },
			.path = path,
		};
	}
	if (output != NULL) {
		return kc_cli_usage_error(r->err, "%s", "--output needs a --format to write");
	}
	return -1;
}

/* Reports go to a temporary file beside the target, renamed over it only
 * once complete, so an interrupted run never leaves half a report. */
static bool open_outputs(struct kc_cli_run *r)
{
	for (unsigned o = 0; o < r->noutputs; o++) {
		struct kc_cli_output *out = &r->outputs[o];
		if (out->path == NULL) {
			out->rep.out = r->out;
			out->rep.color = kc_cli_want_color(r->opt->color, r->out);
		} else if (!kc_atomic_open(&out->file, out->path, -1, r->err)) {
			return false;
		} else {
			out->rep.out = out->file.f;
		}
	}
	return true;
}

static bool close_outputs(struct kc_cli_run *r)
{
	bool ok = true;
	for (unsigned o = 0; o < r->noutputs; o++) {
		ok = kc_atomic_commit(&r->outputs[o].file, r->err) && ok;
	}
	return ok;
}

static void abandon_outputs(struct kc_cli_run *r)
{
	for (unsigned o = 0; o < r->noutputs; o++) {
		kc_atomic_abandon(&r->outputs[o].file);
	}
}

/* ---- the sequential run and the -j pool report through these ------------ */

static void on_document(void *ctx, const struct kc_check_doc *d)
{
	struct kc_cli_run *r = ctx;
	if (!kc_cli_out_failed(r)) {
		kc_check_report_doc(&r->report, d);
	}
}

static void on_diag(void *ctx, const struct kc_diag_event *e)
{
	struct kc_cli_run *r = ctx;
	kc_check_report_diag(&r->report, e);
	/* The diagnostic goes to stderr next: what the report has so far goes
	 * first, so a shared pipe never gets a record cut in two. */
	fflush(r->out);
}

static void *pool_analyse(void *ctx, const struct kc_loaded_doc *doc)
{
	const struct kc_cli_run *r = ctx;
	return kc_check_document(&r->checker, doc);
}

static void pool_file_begin(void *ctx, const struct kc_pool_job *job)
{
	struct kc_cli_run *r = ctx;
	kc_check_report_file_begin(&r->report, job->name);
}

/* A worker's diagnostic, told now, in its place. */
static void pool_diag(void *ctx, const struct kc_diag_event *e)
{
	struct kc_cli_run *r = ctx;
	if (e->line == 0) {
		kc_diag_run(&r->diag, e->level, "%s", e->message);
	} else {
		kc_diag_at(&r->diag, e->level, e->file, e->line, e->col, "%s", e->message);
	}
}

static void pool_document(void *ctx, void *result)
{
	on_document(ctx, result);
}

static void pool_file_end(void *ctx, const struct kc_pool_job *job,
	const struct kc_load_stats *st)
{
	struct kc_cli_run *r = ctx;
	kc_check_report_stats(&r->report, st);
	kc_check_report_file_end(&r->report, job->name);
}

static void pool_error(void *ctx, const struct kc_pool_job *job)
{
	struct kc_cli_run *r = ctx;
	kc_cli_input_error(&r->diag, &r->report.sum.load, job->name, job->errnum);
}

static bool pool_stopped(void *ctx)
{
	return kc_cli_out_failed(ctx);
}

static const struct kc_pool_ops pool_ops = {
	.stopped = pool_stopped,
	.analyse = pool_analyse,
	.file_begin = pool_file_begin,
	.diag = pool_diag,
	.document = pool_document,
	.file_end = pool_file_end,
	.error = pool_error,
};

/* Check every input, in parallel where that can help; report in order. */
static void check_inputs(struct kc_cli_run *r)
{
	const struct kc_cli_inputs *in = &r->inputs;
	size_t files = 0;
	for (size_t j = 0; j < in->njobs; j++) {
		files += in->jobs[j].errnum == 0;
	}
	unsigned threads = r->opt->threads;
	if (threads > files) {
		threads = (unsigned)files;
	}
	if (threads > 1) {
		kc_pool_run(in->jobs, in->njobs, threads, KC_POOL_BUDGET,
			&r->checker.limits, &pool_ops, r);
		return;
	}
	for (size_t j = 0; j < in->njobs && !kc_cli_out_failed(r); j++) {
		const struct kc_pool_job *job = &in->jobs[j];
		if (job->errnum != 0) {
			pool_error(r, job);
			continue;
		}
		kc_check_report_file_begin(&r->report, job->name);
		kc_check_file(&r->checker, job->path, job->name, job->in, &r->diag,
			&r->report.sum.load, on_document, r);
		kc_check_report_file_end(&r->report, job->name);
	}
}

/* Everything before the first input is read. Returns -1, or an exit status. */
static int start(struct kc_cli_run *r)
{
	const struct kc_cli_options *o = r->opt;
	int rc = parse_formats(r);
	if (rc >= 0) {
		return rc;
	}
	const char *outputs[KC_CLI_MAX_FORMATS + 2];
	unsigned n = 0;
	for (unsigned i = 0; i < r->noutputs; i++) {
		if (r->outputs[i].path != NULL) {
			outputs[n++] = r->outputs[i].path;
		}
	}
	if (o->write_baseline != NULL) {
		outputs[n++] = o->write_baseline;
	}
	outputs[n] = NULL;
	if ((rc = kc_cli_prepare(r, outputs)) >= 0) {
		return rc;
	}
	if (!open_outputs(r)) {
		return KC_EXIT_USAGE;
	}
	struct kc_check_report *rep = &r->report;
	if (o->baseline != NULL &&
		!kc_baseline_load(&rep->baseline, o->baseline, r->arena, &r->diag)) {
		return KC_EXIT_USAGE;
	}
	if (o->write_baseline != NULL) {
		rep->record = kc_baseline_create(r->arena);
	}
	for (unsigned i = 0; i < r->noutputs; i++) {
		r->reps[i] = &r->outputs[i].rep;
	}
	rep->reps = r->reps;
	rep->rep_count = r->noutputs;
	rep->arena = r->arena;
	rep->diag = &r->diag;
	rep->fail_on = o->fail_on_given || !r->setup.has_fail_on ? o->fail_on :
		r->setup.fail_on;
	rep->policy = &r->setup.policy;
	rep->show_suppressed = o->show_suppressed;
	rep->report_unused = o->report_unused;
	rep->pss_name = r->setup.pss_name;
	r->checker.changes = kc_check_report_wants_changes(rep);
	r->checker.verdicts = o->pss_summary;
	return -1;
}

int kc_cli_check(struct kc_cli_run *r)
{
	int rc = start(r);
	if (rc >= 0) {
		abandon_outputs(r);
		return rc;
	}
	const char **enabled_ids;
	unsigned nenabled = kc_engine_enabled(r->setup.engine, r->arena, &enabled_ids);
	r->diag.listener = on_diag;
	r->diag.listener_ctx = r;
	for (unsigned o = 0; o < r->noutputs; o++) {
		struct kc_reporter *rep = &r->outputs[o].rep;
		rep->version = kc_cli_version();
		rep->policy = &r->setup.policy;
		rep->rules = enabled_ids;
		rep->rule_count = nenabled;
		rep->fail_on = r->report.fail_on;
		rep->impl->begin(rep);
	}
	check_inputs(r);
	kc_cli_nothing_checked(r);
	for (unsigned o = 0; o < r->noutputs; o++) {
		r->outputs[o].rep.impl->end(&r->outputs[o].rep, &r->report.sum);
	}
	if (!close_outputs(r)) {
		return KC_EXIT_INTERNAL;
	}
	const struct kc_load_stats *l = &r->report.sum.load;
	if (r->report.record != NULL) {
		if (!kc_baseline_write(r->report.record, r->opt->write_baseline, r->err)) {
			return KC_EXIT_INTERNAL;
		}
		/* Recording a baseline accepts today's findings. */
		return l->input_errors > 0 ? KC_EXIT_INPUT : KC_EXIT_OK;
	}
	if (l->input_errors > 0 ||
		(r->opt->fail_if_nothing && ((l->workloads == 0 && l->dockerfiles == 0) || l->skipped_files > 0))) {
		return KC_EXIT_INPUT;
	}
	return r->report.failing > 0 ? KC_EXIT_FINDINGS : KC_EXIT_OK;
}
