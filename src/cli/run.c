/* What check and fix share: the policy and engine, the inputs, and the
 * outputs refused before anything is read. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "k8scheck/input.h"

#include "config.h"
#include "internal.h"

static int setup(struct kc_cli_run *r)
{
	const struct kc_cli_options *o = r->opt;
	/* The configuration: --config, or the one found from the first input
	 * (for standard input, from the name the editor gave it). */
	struct kc_check_options copt = o->check;
	copt.discover_from = o->args[0];
	if (strcmp(copt.discover_from, "-") == 0) {
		copt.discover_from = strcmp(o->stdin_name, "<stdin>") ? o->stdin_name : ".";
	}
	const char *what = NULL;
	switch (kc_check_setup(&r->setup, &copt, r->arena, &r->diag, &what)) {
	case KC_SETUP_OK:
		return -1;
	case KC_SETUP_INTERNAL:
		return KC_EXIT_INTERNAL;
	case KC_SETUP_REPORTED:
		return KC_EXIT_USAGE;
	case KC_SETUP_PROFILE:
		return kc_cli_usage_error(r->err, "unknown profile '%s' (%s)", what,
			kc_engine_profiles());
	case KC_SETUP_SEVERITY:
		return kc_cli_usage_error(r->err, "--severity wants RULE=LEVEL with "
			"LEVEL error, warning or info, not '%s'", what);
	case KC_SETUP_RULE:
		return kc_cli_unknown_rule(r->err, &r->setup.policy, what);
	}
	return KC_EXIT_INTERNAL;
}

/* Whether the regular file st is one of the inputs. */
static bool is_input(const struct kc_cli_run *r, const struct stat *st)
{
	struct stat is;
	for (size_t j = 0; j < r->inputs.njobs; j++) {
		const struct kc_pool_job *job = &r->inputs.jobs[j];
		if (job->errnum != 0) {
			continue;
		}
		bool ok = job->path != NULL ? stat(job->path, &is) == 0 :
			fstat(fileno(job->in), &is) == 0;
		if (ok && is.st_dev == st->st_dev && is.st_ino == st->st_ino) {
			return true;
		}
	}
	return false;
}

/* An output that is a directory, or a file that is also read, is refused
 * before anything is read or written. */
static int check_output(struct kc_cli_run *r, const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		return -1;  /* a new file; problems creating it come later */
	}
	if (S_ISDIR(st.st_mode)) {
		return kc_cli_usage_error(r->err, "cannot write to '%s': it is a "
			"directory", path);
	}
	if (S_ISREG(st.st_mode) && is_input(r, &st)) {
		return kc_cli_usage_error(r->err, "cannot write to '%s': it is also "
			"an input, and would be overwritten", path);
	}
	return -1;
}

/* Before a diagnostic reaches stderr, the output so far reaches stdout:
 * a pipe shared by both (2>&1, an editor's :make) never gets a record cut
 * in two. */
static void flush_out(void *ctx, const struct kc_diag_event *e)
{
	fflush(((struct kc_cli_run *)ctx)->out);
}

int kc_cli_prepare(struct kc_cli_run *r, const char *const *outputs)
{
	const struct kc_cli_options *o = r->opt;
	if (o->nargs == 0) {
		return kc_cli_usage_error(r->err, "%s", "no input: name files, "
			"directories, or '-' for standard input");
	}
	int rc = setup(r);
	if (rc >= 0) {
		return rc;
	}
	if (o->show_config) {
		/* Which configuration applies is never a guess (issue 11). */
		if (r->setup.config != NULL) {
			kc_diag_run(&r->diag, KC_DIAG_NOTE, "configuration: %s",
				r->setup.config->path);
		} else {
			kc_diag_run(&r->diag, KC_DIAG_NOTE, "configuration: none (%s)",
				o->check.no_config ? "--no-config" : "no .k8scheck.yaml found "
				"up to the repository root, $HOME or a file system boundary");
		}
	}
	unsigned stdin_uses = 0;
	for (int i = 0; i < o->nargs; i++) {
		stdin_uses += strcmp(o->args[i], "-") == 0;
	}
	if (stdin_uses > 1) {
		return kc_cli_usage_error(r->err, "%s", "'-' (standard input) can be "
			"named only once");
	}
	r->inputs = (struct kc_cli_inputs){
		.arena = r->arena, .setup = &r->setup, .in = r->in,
		.stdin_name = o->stdin_name, .no_dockerfiles = o->no_dockerfiles,
	};
	for (int i = 0; i < o->nargs; i++) {
		kc_cli_inputs_add(&r->inputs, o->args[i]);
	}
	for (const char *const *p = outputs; *p != NULL; p++) {
		if ((rc = check_output(r, *p)) >= 0) {
			return rc;
		}
	}
	kc_checker_from_setup(&r->checker, &r->setup);
	r->checker.limits = o->limits;
	r->checker.unsafe_fixes = o->unsafe_fixes;
	r->diag.color = kc_cli_want_color(o->color, r->err);
	r->diag.listener = flush_out;
	r->diag.listener_ctx = r;
	return -1;
}

bool kc_cli_out_failed(struct kc_cli_run *r)
{
	if (r->out_errno == 0 && ferror(r->out)) {
		r->out_errno = errno != 0 ? errno : EIO;
	}
	return r->out_errno != 0;
}

int kc_cli_unknown_rule(FILE *err, const struct kc_policy *p, const char *name)
{
	const char *near = kc_policy_suggest(p, name);
	if (near != NULL) {
		return kc_cli_usage_error(err, "unknown rule '%s' (did you mean '%s'? see "
			"'k8scheck rules')", name, near);
	}
	return kc_cli_usage_error(err, "unknown rule '%s' (see 'k8scheck rules')", name);
}

void kc_cli_nothing_checked(struct kc_cli_run *r)
{
	const struct kc_load_stats *l = &r->report.sum.load;
	if (r->opt->fail_if_nothing && l->skipped_files > 0) {
		/* A file skipped as a template was not checked: in CI, that must
		 * not pass (issue 11). */
		kc_diag_run(&r->diag, KC_DIAG_ERROR, "%u %s with template syntax %s not "
			"checked", l->skipped_files, l->skipped_files == 1 ? "file" : "files",
			l->skipped_files == 1 ? "was" : "were");
	}
	if (l->workloads != 0 || l->dockerfiles != 0) {
		return;
	}
	enum kc_diag_level level = r->opt->fail_if_nothing ? KC_DIAG_ERROR :
		KC_DIAG_WARNING;
	if (l->files == 0 && l->input_errors == 0) {
		kc_diag_run(&r->diag, level, "nothing was checked: no %s files were found",
			kc_input_patterns());
	} else {
		kc_diag_run(&r->diag, level, "nothing was checked: no Pods or workloads "
			"with a pod template were found");
	}
}
