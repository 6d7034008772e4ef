/* A run's reporting: baseline, summary counts and the reporters, fed with
 * checked documents in input order (by the CLI's sequential loop, its -j
 * pool, and fuzz_check). */
#include "k8scheck/check.h"

bool kc_check_report_wants_changes(const struct kc_check_report *r)
{
	for (unsigned o = 0; o < r->rep_count; o++) {
		if (r->reps[o]->impl->wants_changes) {
			return true;
		}
	}
	return false;
}

void kc_check_report_file_begin(struct kc_check_report *r, const char *name)
{
	for (unsigned o = 0; o < r->rep_count; o++) {
		r->reps[o]->impl->file_begin(r->reps[o], name);
	}
}

void kc_check_report_file_end(struct kc_check_report *r, const char *name)
{
	for (unsigned o = 0; o < r->rep_count; o++) {
		r->reps[o]->impl->file_end(r->reps[o], name);
	}
}

void kc_check_report_diag(struct kc_check_report *r, const struct kc_diag_event *e)
{
	for (unsigned o = 0; o < r->rep_count; o++) {
		if (r->reps[o]->impl->diagnostic != NULL) {
			r->reps[o]->impl->diagnostic(r->reps[o], e);
		}
	}
}

void kc_check_report_stats(struct kc_check_report *r, const struct kc_load_stats *st)
{
	struct kc_load_stats *l = &r->sum.load;
	l->files += st->files;
	l->documents += st->documents;
	l->workloads += st->workloads;
	l->skipped_files += st->skipped_files;
	l->input_errors += st->input_errors;
	l->dockerfiles += st->dockerfiles;
	l->stages += st->stages;
}

static void report_finding(struct kc_check_report *r, struct kc_finding *f)
{
	if (f->suppressed) {
		r->sum.suppressed++;
	} else {
		if (r->record != NULL) {
			kc_baseline_add(r->record, f);
		}
		if (r->baseline != NULL && kc_baseline_take(r->baseline, f)) {
			r->sum.baselined++;
			return;
		}
		r->sum.findings[f->severity]++;
		if (f->severity >= r->fail_on) {
			r->failing++;
		}
	}
	for (unsigned o = 0; o < r->rep_count; o++) {
		struct kc_reporter *rep = r->reps[o];
		if (!f->suppressed || r->show_suppressed || rep->impl->all_findings) {
			rep->impl->finding(rep, f);
		}
	}
}

static void report_ignores(struct kc_check_report *r, const struct kc_check_doc *d)
{
	for (unsigned i = 0; i < d->ignore_count; i++) {
		const struct kc_ignore *ig = &d->ignores[i];
		if (!ig->known) {
			const char *near = r->policy != NULL ?
				kc_policy_suggest(r->policy, ig->rule) : NULL;
			kc_diag_at(r->diag, KC_DIAG_WARNING, d->doc.file, ig->pos.line,
				ig->pos.col, "unknown rule '%s' in an ignore %s (%s%s%s"
				"see 'k8scheck rules')", ig->rule, ig->kind,
				near ? "did you mean '" : "", near ? near : "",
				near ? "'? " : "");
		} else if (!ig->used && r->report_unused) {
			kc_diag_at(r->diag, KC_DIAG_WARNING, d->doc.file, ig->pos.line,
				ig->pos.col, "this ignore %s for '%s' matches no finding; "
				"remove it", ig->kind, ig->rule);
		}
	}
}

static void report_verdicts(struct kc_check_report *r, const struct kc_check_doc *d)
{
	const struct kc_loaded_doc *doc = &d->doc;
	for (unsigned i = 0; i < doc->workload_count; i++) {
		const struct kc_workload *w = &doc->workloads[i];
		struct kc_lookup lk = kc_locator_find(doc->root, &w->resource_path);
		struct kc_verdict v = {
			.file = doc->file, .doc_index = doc->index, .pos = kc_lookup_pos(&lk),
			.kind = w->kind, .name = w->name, .namespace = w->namespace,
			.policy = r->pss_name, .violations = d->violations[i],
		};
		for (unsigned o = 0; o < r->rep_count; o++) {
			if (r->reps[o]->impl->verdict != NULL) {
				r->reps[o]->impl->verdict(r->reps[o], &v);
			}
		}
	}
}

void kc_check_report_doc(struct kc_check_report *r, const struct kc_check_doc *d)
{
	const struct kc_loaded_doc *doc = &d->doc;
	for (unsigned i = 0; i < doc->skip_count; i++) {
		kc_summary_add_skip(&r->sum, &doc->skips[i], r->arena);
	}
	report_ignores(r, d);
	if (doc->dockerfile != NULL) {
		/* A Dockerfile is one resource: its findings, then itself. */
		for (unsigned i = 0; i < d->finding_count; i++) {
			report_finding(r, d->findings[i]);
		}
		struct kc_resource resource = {
			.file = doc->file, .pos = { 1, 1 }, .kind = "Dockerfile",
		};
		for (unsigned o = 0; o < r->rep_count; o++) {
			if (r->reps[o]->impl->resource != NULL) {
				r->reps[o]->impl->resource(r->reps[o], &resource);
			}
		}
		return;
	}
	/* Each workload's findings, then the workload itself (for formats
	 * that report passing checks too). */
	for (unsigned wi = 0; wi < doc->workload_count; wi++) {
		const struct kc_workload *w = &doc->workloads[wi];
		for (unsigned i = 0; i < d->finding_count; i++) {
			if (d->findings[i]->workload == w) {
				report_finding(r, d->findings[i]);
			}
		}
		struct kc_lookup lk = kc_locator_find(doc->root, &w->resource_path);
		struct kc_resource resource = {
			.file = doc->file, .doc_index = doc->index, .pos = kc_lookup_pos(&lk),
			.kind = w->kind, .name = w->name, .namespace = w->namespace,
		};
		for (unsigned o = 0; o < r->rep_count; o++) {
			if (r->reps[o]->impl->resource != NULL) {
				r->reps[o]->impl->resource(r->reps[o], &resource);
			}
		}
	}
	if (d->violations != NULL) {
		report_verdicts(r, d);
	}
}
