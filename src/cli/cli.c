/* kc_cli_run: parse the options, then run the sub-command. */
#include <errno.h>
#include <string.h>

#include "k8scheck/report.h"

#include "internal.h"
#include "k8scheck/lsp.h"

/* rules and explain see the custom rules too: --policy and the
 * configuration's policies:, found from the working directory. */
static int load_catalog(struct kc_cli_run *r, struct kc_check_setup *s)
{
	struct kc_check_options copt = r->opt->check;
	copt.discover_from = ".";
	const char *what = NULL;
	switch (kc_check_setup(s, &copt, r->arena, &r->diag, &what)) {
	case KC_SETUP_OK:
		return -1;
	case KC_SETUP_INTERNAL:
		return KC_EXIT_INTERNAL;
	default:
		return KC_EXIT_USAGE;
	}
}

static int cmd_rules(struct kc_cli_run *r)
{
	if (r->opt->nargs != 0) {
		return kc_cli_usage_error(r->err, "%s", "rules takes no arguments");
	}
	struct kc_check_setup s;
	int rc = load_catalog(r, &s);
	if (rc >= 0) {
		return rc;
	}
	kc_report_rules(r->out, &s.policy);
	return KC_EXIT_OK;
}

static int cmd_explain(struct kc_cli_run *r)
{
	if (r->opt->nargs != 1) {
		return kc_cli_usage_error(r->err, "%s", "explain takes exactly one rule id");
	}
	struct kc_check_setup s;
	int rc = load_catalog(r, &s);
	if (rc >= 0) {
		return rc;
	}
	/* A peer tool's id may name several rules: explain each. */
	const struct kc_rule_meta *m[16];
	unsigned n = kc_policy_resolve(&s.policy, r->opt->args[0], m, 16);
	if (n == 0) {
		return kc_cli_unknown_rule(r->err, &s.policy, r->opt->args[0]);
	}
	for (unsigned i = 0; i < n && i < 16; i++) {
		if (i > 0) {
			fputc('\n', r->out);
		}
		kc_report_explain(r->out, m[i]);
	}
	return KC_EXIT_OK;
}

static int cmd_version(struct kc_cli_run *r)
{
	if (r->opt->nargs != 0) {
		return kc_cli_usage_error(r->err, "%s", "version takes no arguments");
	}
	fprintf(r->out, "k8scheck %s\n", kc_cli_version());
	return KC_EXIT_OK;
}

static int (*const run_cmd[KC_CMD__COUNT])(struct kc_cli_run *r) = {
	[KC_CMD_CHECK] = kc_cli_check,
	[KC_CMD_EXPLAIN] = cmd_explain,
	[KC_CMD_FIX] = kc_cli_fix,
	[KC_CMD_RULES] = cmd_rules,
	[KC_CMD_VERSION] = cmd_version,
};

/* Like git's close_stdout: a report that did not reach its reader is a
 * failure, said once, never a silent success. */
static int check_streams(int rc, FILE *out, FILE *err, int out_errno)
{
	errno = 0;
	bool out_ok = fflush(out) == 0 && !ferror(out);
	if (!out_ok) {
		int e = errno != 0 ? errno : out_errno;
		fprintf(err, "k8scheck: error: cannot write to standard output%s%s\n",
			e != 0 ? ": " : "", e != 0 ? strerror(e) : "");
		rc = KC_EXIT_INTERNAL;
	}
	if (fflush(err) != 0 || ferror(err)) {
		rc = KC_EXIT_INTERNAL;
	}
	return rc;
}

int kc_cli_run(int argc, char **argv, FILE *in, FILE *out, FILE *err)
{
	/* The language server speaks its own protocol on stdin/stdout and
	 * takes only its own options (--log, --stdio). */
	if (argc > 1 && strcmp(argv[1], "lsp") == 0) {
		return check_streams(kc_lsp_main(argc - 1, argv + 1, in, out, err), out, err, 0);
	}
	struct kc_arena *arena = kc_arena_create();
	struct kc_cli_options opt;
	int rc = kc_cli_parse(&opt, argc, argv, arena, out, err);
	int out_errno = 0;
	if (rc < 0) {
		struct kc_cli_run r = {
			.in = in, .out = out, .err = err, .arena = arena, .opt = &opt,
		};
		kc_diag_init(&r.diag, err, false);
		rc = run_cmd[opt.cmd](&r);
		out_errno = r.out_errno;
	}
	rc = check_streams(rc, out, err, out_errno);
	kc_arena_destroy(arena);
	return rc;
}
