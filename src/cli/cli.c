#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "k8scheck/cli.h"
#include "k8scheck/loader.h"
#include "k8scheck/policy.h"
#include "k8scheck/report.h"

#include "k8scheck/atomic.h"
#include "k8scheck/fix.h"

#include "baseline.h"
#include "config.h"
#include "pool.h"

#ifndef KC_VERSION
#define KC_VERSION "unknown"
#endif

/* In parts: ISO C limits a string literal to 4095 bytes. */
static const char *const usage_text[] = {
"Usage: k8scheck [OPTION]... PATH...\n"
"       k8scheck fix [--write] [OPTION]... PATH...\n"
"       k8scheck rules\n"
"       k8scheck explain RULE\n"
"       k8scheck version\n"
"\n"
"Check Kubernetes manifests for insecure pod settings: by default the Pod\n"
"Security Standards \"restricted\" profile at the latest version, plus best\n"
"practices. PATH is a file, a\n"
"directory (searched recursively for *.yaml, *.yml and *.json, skipping\n"
"hidden directories) or '-' for standard input. Pods and the pod templates\n"
"of every workload (Deployment, StatefulSet, DaemonSet, ReplicaSet,\n"
"ReplicationController, Job, CronJob, PodTemplate, and any kind with\n"
"spec.template.spec.containers) are checked; Lists are unwrapped.\n"
"\n",
"Options:\n"
"  -f, --format FORMAT[=FILE]\n"
"                            report format: text (default), json, sarif,\n"
"                            junit, github, gcc, checkstyle; repeat it to\n"
"                            write several, each to its own FILE\n"
"  -o, --output FILE         write the report to FILE (atomically, when the\n"
"                            run is complete) instead of standard output\n"
"      --stdin-filename NAME report standard input ('-') as NAME\n"
"      --pss LEVEL[:VERSION] give the verdict of Kubernetes Pod Security\n"
"                            admission: run exactly the checks of LEVEL\n"
"                            (privileged, baseline, restricted) at VERSION\n"
"                            (v1.0 to v1.37, or latest: the default); exit 1\n"
"                            if it would reject the pod\n"
"      --pss-summary         also print each workload's verdict in the\n"
"                            controller's words: violates PodSecurity \"...\"\n"
"      --profile NAME        which rules run: default (Pod Security restricted\n"
"                            plus best practices), pss-baseline, pss-restricted\n"
"                            or all\n"
"      --severity RULE=LEVEL report RULE as error, warning or info\n"
"      --config FILE         read the configuration from FILE instead of the\n"
"                            .k8scheck.yaml found next to or above the first\n"
"                            PATH (up to the repository root)\n"
"      --no-config           use no configuration file\n"
"      --policy FILE|DIR     load custom rules written in YAML (see\n"
"                            docs/custom-rules.md); repeatable\n"
"      --enable RULE         run RULE as well ('k8scheck rules' shows which\n"
"                            run by default)\n"
"      --disable RULE        do not run RULE (beats --enable)\n"
"      --color WHEN          colour the report: auto (default), always, never;\n"
"                            the NO_COLOR environment variable turns it off\n"
"      --fail-on SEVERITY    exit 1 only for findings at or above SEVERITY\n"
"                            (error, warning, info: the default); the others\n"
"                            are still reported\n"
"      --min-severity LEVEL  run only the rules at or above LEVEL (error,\n"
"                            warning, info: the default): the others are in\n"
"                            no report, count or exit status\n"
"      --baseline FILE       do not report (or fail on) the findings recorded\n"
"                            in FILE; matched by a fingerprint that survives\n"
"                            moved lines and reformatting\n"
"      --write-baseline FILE record today's findings in FILE and exit 0\n"
"      --fail-if-nothing-checked\n"
"                            exit 2 if no workload was checked (the default\n"
"                            when the CI environment variable is set);\n"
"                            --no-fail-if-nothing-checked turns it off\n"
"      --show-suppressed     also show findings silenced by an ignore\n"
"                            (annotation k8scheck.io/ignore[.CONTAINER] or a\n"
"                            '# k8scheck:ignore RULE -- reason' comment)\n"
"      --report-unused-ignores\n"
"                            warn about ignores that match no finding\n"
"  -j, --jobs N              check N files at a time (default: the number\n"
"                            of processors); the report is the same for\n"
"                            any N\n"
"  -q, --quiet               print no summary\n"
"      --max-file-size BYTES refuse larger files (default 268435456)\n"
"      --max-document-size BYTES\n"
"                            refuse larger documents (default 67108864)\n"
"      --max-depth N         refuse documents nested deeper (default 256)\n"
"      --max-aliases N       refuse documents whose aliases expand to more\n"
"                            than N nodes (default 100000)\n"
"  -h, --help                show this help and exit\n"
"  -V, --version             show the version and exit\n"
"\n",
"Commands:\n"
"  fix PATH...               print the fixes as a unified diff; with --write,\n"
"                            apply them in place (atomically, keeping each\n"
"                            file's mode); '-' prints the fixed document.\n"
"                            Comments, order, quoting and indentation are\n"
"                            kept; findings that need a person are listed\n"
"  rules                     list the rules with their severity\n"
"  explain RULE              what RULE checks, why, and how to fix it\n"
"  version                   same as --version\n"
"\n"
"Exit status:\n"
"  0  everything was checked and nothing was found\n"
"  1  findings were reported (at or above --fail-on)\n"
"  2  some input could not be read or parsed (the rest was still checked),\n"
"     or nothing was checked with --fail-if-nothing-checked\n"
"  3  usage error\n"
"  4  internal error\n",
	NULL,
};

enum color_when { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

enum {
	OPT_STDIN_FILENAME = 256,
	OPT_COLOR,
	OPT_ENABLE,
	OPT_DISABLE,
	OPT_MAX_FILE_SIZE,
	OPT_MAX_DEPTH,
	OPT_MAX_ALIASES,
	OPT_MAX_DOCUMENT_SIZE,
	OPT_PSS,
	OPT_PSS_SUMMARY,
	OPT_FAIL_ON,
	OPT_MIN_SEVERITY,
	OPT_FAIL_IF_NOTHING,
	OPT_NO_FAIL_IF_NOTHING,
	OPT_BASELINE,
	OPT_WRITE_BASELINE,
	OPT_CONFIG,
	OPT_NO_CONFIG,
	OPT_PROFILE,
	OPT_SEVERITY,
	OPT_SHOW_SUPPRESSED,
	OPT_REPORT_UNUSED_IGNORES,
	OPT_POLICY,
	OPT_WRITE,
};

struct dir_id {
	dev_t dev;
	ino_t ino;
};

struct run {
	FILE *in;
	FILE *out;
	struct kc_arena *arena;  /* run arena */
	struct kc_diag diag;
	struct kc_limits limits;
	struct kc_engine *engine;
	struct kc_policy *policy;
	struct kc_config *config;            /* NULL: none applies */
	/* One reporter per --format; all see the same events. */
	struct output {
		struct kc_reporter rep;
		const char *path;    /* NULL: the report stream */
		struct kc_atomic file;  /* written, then renamed to path at the end */
	} outputs[8];
	unsigned noutputs;
	struct kc_summary sum;
	const char *stdin_name;
	bool pss_summary;
	struct kc_baseline *baseline;        /* --baseline: findings to hide */
	struct kc_baseline *new_baseline;    /* --write-baseline: findings seen */
	unsigned baselined;                  /* findings hidden by the baseline */
	unsigned failing;                    /* findings at or above --fail-on */
	enum kc_severity fail_on;
	bool show_suppressed;
	bool report_unused;
	/* `k8scheck fix` */
	bool fix_mode;
	bool fix_write;
	struct kc_fixer *fixer;          /* the file being fixed */
	char **recheck_keys;             /* findings still fixable after the fix */
	unsigned recheck_count;
	unsigned fixed_findings;
	unsigned fixed_files;
	unsigned left_findings;          /* need a person, or refused */
	bool fix_failed;
	char pss_name[64];
	bool wants_changes;                  /* a format shows the fixes' edits */
	unsigned threads;                    /* -j */
	struct kc_pool_job *jobs;            /* the inputs, in report order */
	size_t njobs;
	size_t jobs_cap;
	struct dir_id *dirs;     /* directories entered, so cycles are not followed */
	size_t ndirs;
	size_t dirs_cap;
};

static const char *version_string(void)
{
	const char *v = getenv("K8SCHECK_TEST_VERSION");
	return v != NULL && *v != '\0' ? v : KC_VERSION;
}

static int usage_error(FILE *err, const char *fmt, ...) KC_PRINTF(2, 3);

static int usage_error(FILE *err, const char *fmt, ...)
{
	fputs("k8scheck: error: ", err);
	va_list ap;
	va_start(ap, fmt);
	vfprintf(err, fmt, ap);
	va_end(ap);
	fputs("\nTry 'k8scheck --help' for more information.\n", err);
	return KC_EXIT_USAGE;
}

static bool parse_size(const char *s, size_t *out)
{
	char *end = NULL;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v == 0 || s[0] == '-') {
		return false;
	}
	*out = (size_t)v;
	return true;
}

/* ---- the check ---------------------------------------------------------- */

static void report_finding(struct run *r, struct kc_finding *f)
{
	if (f->suppressed) {
		r->sum.suppressed++;
	} else {
		if (r->new_baseline != NULL) {
			kc_baseline_add(r->new_baseline, f);
		}
		if (kc_baseline_take(r->baseline, f)) {
			r->baselined++;
			return;
		}
		r->sum.findings[f->severity]++;
		if (f->severity >= r->fail_on) {
			r->failing++;
		}
	}
	for (unsigned o = 0; o < r->noutputs; o++) {
		struct kc_reporter *rep = &r->outputs[o].rep;
		if (!f->suppressed || r->show_suppressed || rep->impl->all_findings) {
			rep->impl->finding(rep, f);
		}
	}
}

/* What a document's check found, ready to report. Lives in its arena. */
struct doc_result {
	struct kc_loaded_doc doc;    /* a copy: the loader reuses its own */
	struct kc_finding **f;
	unsigned n;
	struct kc_ignore *ig;
	unsigned nig;
	const char **violations;     /* per workload, with --pss-summary */
};

/* The work on one document that does not report: with -j it runs on a
 * worker thread, so it reads the run and writes only into the document's
 * arena. */
static struct doc_result *analyse_doc(const struct run *r,
	const struct kc_loaded_doc *doc)
{
	struct doc_result *res = kc_arena_alloc(doc->arena, sizeof(*res));
	res->doc = *doc;
	doc = &res->doc;
	kc_engine_check(r->engine, doc, &res->f, &res->n);
	kc_suppress(r->policy, doc, res->f, res->n, &res->ig, &res->nig);
	if (r->wants_changes) {
		kc_fix_changes(doc, res->f, res->n, doc->arena);
	}
	if (r->pss_summary) {
		res->violations = kc_arena_alloc(doc->arena,
			(doc->workload_count + 1) * sizeof(*res->violations));
		for (unsigned i = 0; i < doc->workload_count; i++) {
			res->violations[i] = kc_pss_evaluate(kc_engine_pss(r->engine),
				&doc->workloads[i], doc->arena);
		}
	}
	return res;
}

static void report_doc(struct run *r, const struct doc_result *res)
{
	const struct kc_loaded_doc *doc = &res->doc;
	for (unsigned i = 0; i < doc->skip_count; i++) {
		kc_summary_add_skip(&r->sum, &doc->skips[i], r->arena);
	}
	struct kc_finding **f = res->f;
	unsigned n = res->n;
	for (unsigned i = 0; i < res->nig; i++) {
		const struct kc_ignore *ig = &res->ig[i];
		if (!ig->known) {
			const char *near = kc_policy_suggest(r->policy, ig->rule);
			kc_diag_at(&r->diag, KC_DIAG_WARNING, doc->file, ig->pos.line,
				ig->pos.col, "unknown rule '%s' in an ignore %s (%s%s%s"
				"see 'k8scheck rules')", ig->rule, ig->kind,
				near ? "did you mean '" : "", near ? near : "",
				near ? "'? " : "");
		} else if (!ig->used && r->report_unused) {
			kc_diag_at(&r->diag, KC_DIAG_WARNING, doc->file, ig->pos.line,
				ig->pos.col, "this ignore %s for '%s' matches no finding; "
				"remove it", ig->kind, ig->rule);
		}
	}
	/* Each workload's findings, then the workload itself (for formats
	 * that report passing checks too). */
	for (unsigned wi = 0; wi < doc->workload_count; wi++) {
		const struct kc_workload *w = &doc->workloads[wi];
		for (unsigned i = 0; i < n; i++) {
			if (f[i]->workload == w) {
				report_finding(r, f[i]);
			}
		}
		struct kc_lookup lk = kc_locator_find(doc->root, &w->resource_path);
		struct kc_resource resource = {
			.file = doc->file, .doc_index = doc->index, .pos = kc_lookup_pos(&lk),
			.kind = w->kind, .name = w->name, .namespace = w->namespace,
		};
		for (unsigned o = 0; o < r->noutputs; o++) {
			struct kc_reporter *rep = &r->outputs[o].rep;
			if (rep->impl->resource != NULL) {
				rep->impl->resource(rep, &resource);
			}
		}
	}
	if (!r->pss_summary) {
		return;
	}
	for (unsigned i = 0; i < doc->workload_count; i++) {
		const struct kc_workload *w = &doc->workloads[i];
		struct kc_lookup lk = kc_locator_find(doc->root, &w->resource_path);
		struct kc_verdict v = {
			.file = doc->file,
			.doc_index = doc->index,
			.pos = kc_lookup_pos(&lk),
			.kind = w->kind,
			.name = w->name,
			.namespace = w->namespace,
			.policy = r->pss_name,
			.violations = res->violations[i],
		};
		for (unsigned o = 0; o < r->noutputs; o++) {
			struct kc_reporter *rep = &r->outputs[o].rep;
			if (rep->impl->verdict != NULL) {
				rep->impl->verdict(rep, &v);
			}
		}
	}
}

static void on_document(void *ctx, const struct kc_loaded_doc *doc)
{
	struct run *r = ctx;
	report_doc(r, analyse_doc(r, doc));
}

static void on_diag(void *ctx, const struct kc_diag_event *e)
{
	struct run *r = ctx;
	for (unsigned o = 0; o < r->noutputs; o++) {
		struct kc_reporter *rep = &r->outputs[o].rep;
		if (rep->impl->diagnostic != NULL) {
			rep->impl->diagnostic(rep, e);
		}
	}
}

/* ---- fix ------------------------------------------------------------------ */

/* First pass: plan the fixes; list what needs a person. */
static void on_document_fix(void *ctx, const struct kc_loaded_doc *doc)
{
	struct run *r = ctx;
	struct kc_finding **f;
	unsigned n;
	kc_engine_check(r->engine, doc, &f, &n);
	struct kc_ignore *ig;
	unsigned nig;
	kc_suppress(r->policy, doc, f, n, &ig, &nig);
	kc_fixer_plan(r->fixer, doc, f, n);
	for (unsigned i = 0; i < n; i++) {
		if (f[i]->suppressed || f[i]->fix_op == KC_FIX_SET ||
			f[i]->fix_op == KC_FIX_REMOVE) {
			continue;
		}
		r->left_findings++;
		kc_diag_at(&r->diag, KC_DIAG_NOTE, f[i]->file, f[i]->pos.line, f[i]->pos.col,
			"manual [%s]: %s", f[i]->rule, f[i]->message);
		if (f[i]->fix_yaml != NULL) {
			fprintf(r->diag.err, "  consider, under %s (line %u):\n",
				f[i]->fix_parent[0] ? f[i]->fix_parent : "the top level",
				f[i]->fix_pos.line);
			const char *p = f[i]->fix_yaml;
			while (*p) {
				size_t len = strcspn(p, "\n");
				fprintf(r->diag.err, "      %.*s\n", (int)len, p);
				p += len + (p[len] == '\n');
			}
		}
	}
}

/* Second pass, on the fixed text: which planned fixes did not take? */
static void on_document_recheck(void *ctx, const struct kc_loaded_doc *doc)
{
	struct run *r = ctx;
	struct kc_finding **f;
	unsigned n;
	kc_engine_check(r->engine, doc, &f, &n);
	struct kc_ignore *ig;
	unsigned nig;
	kc_suppress(r->policy, doc, f, n, &ig, &nig);
	for (unsigned i = 0; i < n; i++) {
		if (f[i]->suppressed) {
			continue;
		}
		r->recheck_keys = realloc(r->recheck_keys,
			(r->recheck_count + 1) * sizeof(*r->recheck_keys));
		if (r->recheck_keys == NULL) {
			kc_arena_die_oom();
		}
		r->recheck_keys[r->recheck_count++] = kc_fix_key(f[i]);
	}
}

static void recheck_clear(struct run *r)
{
	for (unsigned i = 0; i < r->recheck_count; i++) {
		free(r->recheck_keys[i]);
	}
	free(r->recheck_keys);
	r->recheck_keys = NULL;
	r->recheck_count = 0;
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

static int name_cmp(const void *a, const void *b);

static void fix_file(struct run *r, const char *path, const char *name, FILE *in)
{
	char *text;
	size_t len;
	if (!kc_loader_read(path, name, in, &r->limits, &r->diag, &r->sum.load, &text,
		&len)) {
		return;
	}
	r->fixer = kc_fixer_create(text, len);
	kc_fixer_validate(r->fixer, &r->limits);
	unsigned errors = r->sum.load.input_errors;
	kc_loader_load_buffer(name, text, len, &r->limits, &r->diag, on_document_fix, r,
		&r->sum.load);
	for (unsigned i = 0; kc_fixer_refused(r->fixer, i) != NULL; i++) {
		fprintf(r->diag.err, "%s\n", kc_fixer_refused(r->fixer, i));
		r->left_findings++;
	}
	char *fixed = NULL;
	size_t fixed_len = 0;
	bool changed = false;
	if (kc_fixer_count(r->fixer) > 0 && r->sum.load.input_errors == errors) {
		kc_fixer_apply(r->fixer, &fixed, &fixed_len);
		/* Re-parse and re-check before anything is shown or written. */
		struct kc_load_stats st = { 0 };
		struct kc_diag quiet;
		kc_diag_init(&quiet, NULL, false);
		bool parsed = kc_loader_load_buffer(name, fixed, fixed_len, &r->limits, &quiet,
			on_document_recheck, r, &st) && st.input_errors == 0;
		/* Both lists sorted: one merge pass finds what is still there. */
		if (r->recheck_count > 1) {
			qsort(r->recheck_keys, r->recheck_count, sizeof(*r->recheck_keys),
				name_cmp);
		}
		unsigned still = 0;
		for (unsigned i = 0, j = 0; i < kc_fixer_count(r->fixer) &&
			j < r->recheck_count;) {
			int c = strcmp(kc_fixer_key(r->fixer, i), r->recheck_keys[j]);
			if (c == 0) {
				still++;
				i++;
			} else if (c < 0) {
				i++;
			} else {
				j++;
			}
		}
		recheck_clear(r);
		if (!parsed || still > 0) {
			kc_diag_at(&r->diag, KC_DIAG_ERROR, name, 0, 0, "the fixes would %s; "
				"the file was left unchanged", !parsed ? "not parse" :
				"not clear every finding they address");
			r->fix_failed = true;
			r->left_findings += kc_fixer_count(r->fixer);
		} else {
			changed = fixed_len != len || memcmp(fixed, text, len) != 0;
			r->fixed_findings += kc_fixer_count(r->fixer);
		}
	}
	if (in != NULL) {
		/* An editor's buffer: the fixed document goes to standard output. */
		if (changed) {
			fwrite(fixed, 1, fixed_len, r->out);
		} else {
			fwrite(text, 1, len, r->out);
		}
	} else if (changed && r->fix_write) {
		if (write_file(path, fixed, fixed_len, r->diag.err)) {
			r->fixed_files++;
		} else {
			r->fix_failed = true;
		}
	} else if (changed) {
		kc_fix_diff(r->out, name, text, len, fixed, fixed_len);
		r->fixed_files++;
	}
	free(fixed);
	free(text);
	kc_fixer_destroy(r->fixer);
	r->fixer = NULL;
}

static void check_file(struct run *r, const char *path, const char *name, FILE *in)
{
	if (r->fix_mode) {
		fix_file(r, path, name, in);
		return;
	}
	for (unsigned o = 0; o < r->noutputs; o++) {
		r->outputs[o].rep.impl->file_begin(&r->outputs[o].rep, name);
	}
	kc_loader_load_file(path, name, in, &r->limits, &r->diag, on_document, r,
		&r->sum.load);
	for (unsigned o = 0; o < r->noutputs; o++) {
		r->outputs[o].rep.impl->file_end(&r->outputs[o].rep, name);
	}
}

static bool is_manifest_name(const char *name)
{
	const char *dot = strrchr(name, '.');
	return dot != NULL && (strcmp(dot, ".yaml") == 0 || strcmp(dot, ".yml") == 0 ||
		strcmp(dot, ".json") == 0);
}

static bool dir_seen(struct run *r, const struct stat *st)
{
	for (size_t i = 0; i < r->ndirs; i++) {
		if (r->dirs[i].dev == st->st_dev && r->dirs[i].ino == st->st_ino) {
			return true;
		}
	}
	if (r->ndirs == r->dirs_cap) {
		r->dirs_cap = r->dirs_cap ? r->dirs_cap * 2 : 16;
		r->dirs = kc_arena_realloc(r->arena, r->dirs, r->dirs_cap * sizeof(*r->dirs));
	}
	r->dirs[r->ndirs++] = (struct dir_id){ st->st_dev, st->st_ino };
	return false;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---- the inputs: files in order, with the errors met finding them ------- */

static void add_job(struct run *r, const char *path, const char *name, FILE *in,
	int errnum)
{
	if (r->njobs == r->jobs_cap) {
		r->jobs_cap = r->jobs_cap ? r->jobs_cap * 2 : 64;
		r->jobs = kc_arena_realloc(r->arena, r->jobs, r->jobs_cap * sizeof(*r->jobs));
	}
	r->jobs[r->njobs++] = (struct kc_pool_job){
		.path = path ? kc_arena_strdup(r->arena, path) : NULL,
		.name = kc_arena_strdup(r->arena, name),
		.in = in,
		.errnum = errnum,
	};
}

static void add_file(struct run *r, const char *path, const char *name, FILE *in)
{
	if (path != NULL && kc_config_excluded(r->config, path)) {
		return;
	}
	add_job(r, path, name, in, 0);
}

static void input_error(struct run *r, const char *name, int errnum)
{
	struct stat ls;
	if (errnum == ENOENT && lstat(name, &ls) == 0 && S_ISLNK(ls.st_mode)) {
		kc_diag_at(&r->diag, KC_DIAG_ERROR, name, 0, 0,
			"cannot read: broken symbolic link (its target does not exist)");
	} else {
		kc_diag_at(&r->diag, KC_DIAG_ERROR, name, 0, 0, "cannot read: %s",
			strerror(errnum));
	}
	r->sum.load.input_errors++;
}

static void walk_dir(struct run *r, const char *path, const struct stat *st)
{
	if (dir_seen(r, st)) {
		return;  /* a symlink cycle, or the same directory named twice */
	}
	DIR *d = opendir(path);
	if (d == NULL) {
		add_job(r, NULL, path, NULL, errno);
		return;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.') {
			continue;  /* hidden: .git, .github, ... */
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			char **nn = realloc(names, cap * sizeof(*names));
			if (nn == NULL) {
				kc_arena_die_oom();
			}
			names = nn;
		}
		names[n] = strdup(e->d_name);
		if (names[n] == NULL) {
			kc_arena_die_oom();
		}
		n++;
	}
	closedir(d);
	if (n > 1) {
		qsort(names, n, sizeof(*names), name_cmp);
	}
	size_t plen = strlen(path);
	bool slash = plen > 0 && path[plen - 1] == '/';
	for (size_t i = 0; i < n; i++) {
		size_t len = plen + 1 + strlen(names[i]) + 1;
		char *child = malloc(len);
		if (child == NULL) {
			kc_arena_die_oom();
		}
		snprintf(child, len, "%s%s%s", path, slash ? "" : "/", names[i]);
		struct stat cs;
		if (stat(child, &cs) != 0) {
			/* A dangling link only matters if it looks like a manifest. */
			if (is_manifest_name(names[i])) {
				add_job(r, NULL, child, NULL, errno);
			}
		} else if (S_ISDIR(cs.st_mode)) {
			walk_dir(r, child, &cs);
		} else if (S_ISREG(cs.st_mode) && is_manifest_name(names[i])) {
			add_file(r, child, child, NULL);
		}
		free(child);
		free(names[i]);
	}
	free(names);
}

static void add_path(struct run *r, const char *path)
{
	if (strcmp(path, "-") == 0) {
		add_job(r, NULL, r->stdin_name, r->in, 0);
		return;
	}
	struct stat st;
	if (stat(path, &st) != 0) {
		add_job(r, NULL, path, NULL, errno);
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		walk_dir(r, path, &st);
	} else {
		add_file(r, path, path, NULL);
	}
}

/* ---- -j: the pool's callbacks --------------------------------------------- */

static void *pool_analyse(void *ctx, const struct kc_loaded_doc *doc)
{
	return analyse_doc(ctx, doc);
}

static void pool_file_begin(void *ctx, const struct kc_pool_job *job)
{
	struct run *r = ctx;
	for (unsigned o = 0; o < r->noutputs; o++) {
		r->outputs[o].rep.impl->file_begin(&r->outputs[o].rep, job->name);
	}
}

/* A worker's diagnostic, told now, in its place. */
static void pool_diag(void *ctx, const struct kc_diag_event *e)
{
	struct run *r = ctx;
	if (e->line == 0) {
		kc_diag_run(&r->diag, e->level, "%s", e->message);
	} else {
		kc_diag_at(&r->diag, e->level, e->file, e->line, e->col, "%s", e->message);
	}
}

static void pool_document(void *ctx, void *result)
{
	report_doc(ctx, result);
}

static void pool_file_end(void *ctx, const struct kc_pool_job *job,
	const struct kc_load_stats *st)
{
	struct run *r = ctx;
	struct kc_load_stats *l = &r->sum.load;
	l->files += st->files;
	l->documents += st->documents;
	l->workloads += st->workloads;
	l->skipped_files += st->skipped_files;
	l->input_errors += st->input_errors;
	for (unsigned o = 0; o < r->noutputs; o++) {
		r->outputs[o].rep.impl->file_end(&r->outputs[o].rep, job->name);
	}
}

static void pool_error(void *ctx, const struct kc_pool_job *job)
{
	input_error(ctx, job->name, job->errnum);
}

static const struct kc_pool_ops pool_ops = {
	.analyse = pool_analyse,
	.file_begin = pool_file_begin,
	.diag = pool_diag,
	.document = pool_document,
	.file_end = pool_file_end,
	.error = pool_error,
};

/* Check every job, in parallel where that can help; report in order. */
static void check_jobs(struct run *r)
{
	size_t files = 0;
	for (size_t j = 0; j < r->njobs; j++) {
		files += r->jobs[j].errnum == 0;
	}
	unsigned threads = r->threads;
	if (threads > files) {
		threads = (unsigned)files;
	}
	/* fix rewrites files one at a time; one file needs no pool. */
	if (r->fix_mode || threads <= 1) {
		for (size_t j = 0; j < r->njobs; j++) {
			const struct kc_pool_job *job = &r->jobs[j];
			if (job->errnum != 0) {
				input_error(r, job->name, job->errnum);
			} else {
				check_file(r, job->path, job->name, job->in);
			}
		}
		return;
	}
	kc_pool_run(r->jobs, r->njobs, threads, KC_POOL_BUDGET, &r->limits, &pool_ops, r);
}

/* ---- commands ----------------------------------------------------------- */

static bool want_color(enum color_when when, FILE *f)
{
	const char *nc = getenv("NO_COLOR");
	if (nc != NULL && *nc != '\0') {
		return false;
	}
	if (when == COLOR_AUTO) {
		return isatty(fileno(f));
	}
	return when == COLOR_ALWAYS;
}

static int cmd_rules(const struct kc_policy *p, FILE *out)
{
	kc_report_rules(out, p);
	return KC_EXIT_OK;
}

static void set_enabled(struct kc_engine *e, const char *id, void *on)
{
	kc_engine_set_enabled(e, id, *(bool *)on);
}

static void set_severity(struct kc_engine *e, const char *id, void *sev)
{
	kc_engine_set_severity(e, id, *(enum kc_severity *)sev);
}

/* Apply fn to every rule that name means (an id, or a peer tool's id that
 * may stand for several rules); false if it means none. */
static bool for_rules(struct run *r, const char *name,
	void (*fn)(struct kc_engine *, const char *, void *), void *arg)
{
	unsigned n = kc_policy_resolve(r->policy, name, NULL, 0);
	if (n == 0) {
		return false;
	}
	const struct kc_rule_meta **m = kc_arena_alloc(r->arena, n * sizeof(*m));
	kc_policy_resolve(r->policy, name, m, n);
	for (unsigned i = 0; i < n; i++) {
		fn(r->engine, m[i]->id, arg);
	}
	return true;
}

/* "unknown rule 'x' (did you mean 'y'? see 'k8scheck rules')": exit 3. */
static int unknown_rule(FILE *err, const struct kc_policy *p, const char *name)
{
	const char *near = kc_policy_suggest(p, name);
	if (near != NULL) {
		return usage_error(err, "unknown rule '%s' (did you mean '%s'? see "
			"'k8scheck rules')", name, near);
	}
	return usage_error(err, "unknown rule '%s' (see 'k8scheck rules')", name);
}

static int cmd_explain(const struct kc_policy *p, int argc, char **argv,
	FILE *out, FILE *err)
{
	if (argc != 3) {
		return usage_error(err, "%s", "explain takes exactly one rule id");
	}
	/* A peer tool's id may name several rules: explain each. */
	const struct kc_rule_meta *m[16];
	unsigned n = kc_policy_resolve(p, argv[2], m, 16);
	if (n == 0) {
		return unknown_rule(err, p, argv[2]);
	}
	for (unsigned i = 0; i < n && i < 16; i++) {
		if (i > 0) {
			fputc('\n', out);
		}
		kc_report_explain(out, m[i]);
	}
	return KC_EXIT_OK;
}

/* Reports go to a temporary file beside the target, renamed over it only
 * once complete, so an interrupted run never leaves half a report. */
static bool open_output(struct output *out, FILE *err)
{
	if (!kc_atomic_open(&out->file, out->path, -1, err)) {
		return false;
	}
	out->rep.out = out->file.f;
	return true;
}

static bool close_outputs(struct run *r, FILE *err)
{
	bool ok = true;
	for (unsigned o = 0; o < r->noutputs; o++) {
		ok = kc_atomic_commit(&r->outputs[o].file, err) && ok;
	}
	return ok;
}

/* On an early exit, drop the partial reports. */
static void abandon_outputs(struct run *r)
{
	for (unsigned o = 0; o < r->noutputs; o++) {
		kc_atomic_abandon(&r->outputs[o].file);
	}
}

static int run_check(struct run *r, int argc, char **argv, FILE *err)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "stdin-filename", required_argument, NULL, OPT_STDIN_FILENAME },
		{ "enable", required_argument, NULL, OPT_ENABLE },
		{ "disable", required_argument, NULL, OPT_DISABLE },
		{ "color", required_argument, NULL, OPT_COLOR },
		{ "colour", required_argument, NULL, OPT_COLOR },
		{ "quiet", no_argument, NULL, 'q' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "max-file-size", required_argument, NULL, OPT_MAX_FILE_SIZE },
		{ "max-depth", required_argument, NULL, OPT_MAX_DEPTH },
		{ "max-aliases", required_argument, NULL, OPT_MAX_ALIASES },
		{ "max-document-size", required_argument, NULL, OPT_MAX_DOCUMENT_SIZE },
		{ "pss", required_argument, NULL, OPT_PSS },
		{ "pss-summary", no_argument, NULL, OPT_PSS_SUMMARY },
		{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
		{ "min-severity", required_argument, NULL, OPT_MIN_SEVERITY },
		{ "fail-if-nothing-checked", no_argument, NULL, OPT_FAIL_IF_NOTHING },
		{ "no-fail-if-nothing-checked", no_argument, NULL, OPT_NO_FAIL_IF_NOTHING },
		{ "baseline", required_argument, NULL, OPT_BASELINE },
		{ "write-baseline", required_argument, NULL, OPT_WRITE_BASELINE },
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "no-config", no_argument, NULL, OPT_NO_CONFIG },
		{ "profile", required_argument, NULL, OPT_PROFILE },
		{ "severity", required_argument, NULL, OPT_SEVERITY },
		{ "show-suppressed", no_argument, NULL, OPT_SHOW_SUPPRESSED },
		{ "report-unused-ignores", no_argument, NULL, OPT_REPORT_UNUSED_IGNORES },
		{ "policy", required_argument, NULL, OPT_POLICY },
		{ "write", no_argument, NULL, OPT_WRITE },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *formats[8];
	unsigned nformats = 0;
	const char *output = NULL;
	enum color_when color = COLOR_AUTO;
	bool quiet = false;
	/* --disable beats --enable whatever their order, so apply later. */
	const char **enable = kc_arena_alloc(r->arena, (size_t)argc * sizeof(char *));
	const char **disable = kc_arena_alloc(r->arena, (size_t)argc * sizeof(char *));
	size_t nenable = 0, ndisable = 0;
	struct kc_pss_policy pss;
	bool pss_only = false;
	/* A CI gate must not pass on a typo'd path: on by default in CI. */
	const char *ci = getenv("CI");
	bool fail_if_nothing = ci != NULL && *ci != '\0' && strcmp(ci, "false") != 0 &&
		strcmp(ci, "0") != 0;
	const char *baseline_path = NULL;
	const char *write_baseline = NULL;
	const char *config_path = NULL;
	bool no_config = false;
	const char *profile = NULL;
	bool fail_on_given = false;
	enum kc_severity min_severity = KC_SEVERITY_INFO;
	const char **severities = kc_arena_alloc(r->arena, (size_t)argc * sizeof(char *));
	const char **policies = kc_arena_alloc(r->arena, (size_t)argc * sizeof(char *));
	size_t npolicies = 0;
	size_t nseverities = 0;
	r->fail_on = KC_SEVERITY_INFO;
	if (!kc_pss_parse("restricted:latest", &pss)) {
		return KC_EXIT_INTERNAL;
	}
	r->stdin_name = "<stdin>";
	r->limits = kc_limits_default;
	r->threads = kc_pool_default_threads();
	opterr = 0;
	optind = 0;  /* glibc: full re-initialisation, for in-process reruns */
	int c;
	while ((c = getopt_long(argc, argv, ":f:o:qj:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (nformats == sizeof(formats) / sizeof(*formats)) {
				return usage_error(err, "%s", "too many --format options");
			}
			formats[nformats++] = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		case OPT_STDIN_FILENAME:
			r->stdin_name = optarg;
			break;
		case OPT_ENABLE:
			enable[nenable++] = optarg;
			break;
		case OPT_DISABLE:
			disable[ndisable++] = optarg;
			break;
		case OPT_COLOR:
			if (strcmp(optarg, "auto") == 0) {
				color = COLOR_AUTO;
			} else if (strcmp(optarg, "always") == 0) {
				color = COLOR_ALWAYS;
			} else if (strcmp(optarg, "never") == 0) {
				color = COLOR_NEVER;
			} else {
				return usage_error(err, "--color must be auto, always or "
					"never, not '%s'", optarg);
			}
			break;
		case 'q':
			quiet = true;
			break;
		case 'j': {
			size_t n;
			if (!parse_size(optarg, &n) || n > 1024) {
				return usage_error(err, "--jobs needs a number from 1 to 1024, "
					"not '%s'", optarg);
			}
			r->threads = (unsigned)n;
			break;
		}
		case OPT_PSS:
			if (!kc_pss_parse(optarg, &pss)) {
				return usage_error(err, "--pss wants LEVEL[:VERSION] with "
					"LEVEL privileged, baseline or restricted and VERSION "
					"v1.0 to v1.%d or latest, not '%s'", KC_PSS_MAX_MINOR,
					optarg);
			}
			pss_only = true;
			break;
		case OPT_PSS_SUMMARY:
			r->pss_summary = true;
			break;
		case OPT_FAIL_ON:
			if (!kc_severity_parse(optarg, &r->fail_on)) {
				return usage_error(err, "--fail-on must be error, warning or "
					"info, not '%s'", optarg);
			}
			fail_on_given = true;
			break;
		case OPT_MIN_SEVERITY:
			if (!kc_severity_parse(optarg, &min_severity)) {
				return usage_error(err, "--min-severity must be error, warning or "
					"info, not '%s'", optarg);
			}
			break;
		case OPT_CONFIG:
			config_path = optarg;
			break;
		case OPT_NO_CONFIG:
			no_config = true;
			break;
		case OPT_PROFILE:
			profile = optarg;
			break;
		case OPT_SEVERITY:
			severities[nseverities++] = optarg;
			break;
		case OPT_SHOW_SUPPRESSED:
			r->show_suppressed = true;
			break;
		case OPT_REPORT_UNUSED_IGNORES:
			r->report_unused = true;
			break;
		case OPT_POLICY:
			policies[npolicies++] = optarg;
			break;
		case OPT_WRITE:
			if (!r->fix_mode) {
				return usage_error(err, "%s", "--write belongs to 'k8scheck fix'");
			}
			r->fix_write = true;
			break;
		case OPT_FAIL_IF_NOTHING:
			fail_if_nothing = true;
			break;
		case OPT_NO_FAIL_IF_NOTHING:
			fail_if_nothing = false;
			break;
		case OPT_BASELINE:
			baseline_path = optarg;
			break;
		case OPT_WRITE_BASELINE:
			write_baseline = optarg;
			break;
		case OPT_MAX_FILE_SIZE:
			if (!parse_size(optarg, &r->limits.max_file_bytes)) {
				return usage_error(err, "--max-file-size needs a positive "
					"number of bytes, not '%s'", optarg);
			}
			break;
		case OPT_MAX_DOCUMENT_SIZE:
			if (!parse_size(optarg, &r->limits.max_document_bytes)) {
				return usage_error(err, "--max-document-size needs a positive "
					"number of bytes, not '%s'", optarg);
			}
			break;
		case OPT_MAX_DEPTH:
			if (!parse_size(optarg, &r->limits.max_depth)) {
				return usage_error(err, "--max-depth needs a positive "
					"number, not '%s'", optarg);
			}
			break;
		case OPT_MAX_ALIASES:
			if (!parse_size(optarg, &r->limits.max_alias_nodes)) {
				return usage_error(err, "--max-aliases needs a positive "
					"number, not '%s'", optarg);
			}
			break;
		case 'h':
			for (const char *const *part = usage_text; *part; part++) {
				fputs(*part, r->out);
			}
			return KC_EXIT_OK;
		case 'V':
			fprintf(r->out, "k8scheck %s\n", version_string());
			return KC_EXIT_OK;
		case ':':
			return usage_error(err, "option '%s' needs a value", argv[optind - 1]);
		default:
			if (optopt != 0) {
				char opt[3] = { '-', (char)optopt, '\0' };
				return usage_error(err, "unknown option '%s'", opt);
			}
			return usage_error(err, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (nformats == 0) {
		formats[nformats++] = "text";
	}
	bool to_stream = false;
	for (unsigned i = 0; i < nformats; i++) {
		char *spec = kc_arena_strdup(r->arena, formats[i]);
		char *eq = strchr(spec, '=');
		const char *path = NULL;
		if (eq != NULL) {
			*eq = '\0';
			path = eq + 1;
			if (*path == '\0') {
				return usage_error(err, "--format %s= needs a file name", spec);
			}
		} else if (output != NULL && !to_stream) {
			path = output;
			output = NULL;
		}
		const struct kc_reporter_impl *impl = kc_report_find(spec);
		if (impl == NULL) {
			return usage_error(err, "unknown format '%s' (available: %s)", spec,
				kc_report_names());
		}
		if (path == NULL || strcmp(path, "-") == 0) {
			if (to_stream) {
				return usage_error(err, "%s", "only one format can go to "
					"standard output; give the others a file (FORMAT=FILE)");
			}
			to_stream = true;
			path = NULL;
		}
		r->outputs[r->noutputs++] = (struct output){
			.rep = { .impl = impl, .quiet = quiet },
			.path = path,
		};
	}
	if (output != NULL) {
		return usage_error(err, "%s", "--output needs a --format to write");
	}
	if (optind >= argc) {
		return usage_error(err, "%s", "no input: name files, directories, "
			"or '-' for standard input");
	}
	/* The configuration: --config, or the one found from the first input
	 * (for standard input, from the name the editor gave it). */
	if (config_path == NULL && !no_config) {
		const char *from = argv[optind];
		if (strcmp(from, "-") == 0) {
			from = strcmp(r->stdin_name, "<stdin>") ? r->stdin_name : ".";
		}
		config_path = kc_config_find(from, r->arena);
	}
	/* Custom rules join the catalog before anything names them. */
	for (size_t i = 0; i < npolicies; i++) {
		if (!kc_policy_load_custom(r->policy, policies[i], r->arena, &r->diag)) {
			return KC_EXIT_USAGE;
		}
	}
	if (config_path != NULL && !no_config) {
		r->config = kc_arena_alloc(r->arena, sizeof(*r->config));
		if (!kc_config_load(r->config, config_path, r->policy, r->arena, &r->diag)) {
			return KC_EXIT_USAGE;
		}
	}
	const struct kc_config *cfg = r->config;
	r->engine = kc_engine_create(r->policy, r->arena);
	kc_engine_set_min_severity(r->engine, min_severity);
	const char *prof = profile ? profile : (cfg && cfg->profile ? cfg->profile : "default");
	if (!kc_engine_set_profile(r->engine, prof)) {
		return usage_error(err, "unknown profile '%s' (%s)", prof, kc_engine_profiles());
	}
	if (pss_only) {
		kc_engine_set_pss(r->engine, &pss, true);
	} else if (cfg != NULL && cfg->pss != NULL && kc_pss_parse(cfg->pss, &pss)) {
		kc_engine_set_pss(r->engine, &pss, false);
	}
	pss = *kc_engine_pss(r->engine);
	kc_pss_policy_name(&pss, r->pss_name, sizeof(r->pss_name));
	for (unsigned i = 0; cfg != NULL && i < cfg->enable_count; i++) {
		kc_engine_set_enabled(r->engine, cfg->enable[i], true);
	}
	for (unsigned i = 0; cfg != NULL && i < cfg->disable_count; i++) {
		kc_engine_set_enabled(r->engine, cfg->disable[i], false);
	}
	for (unsigned i = 0; cfg != NULL && i < cfg->severity_count; i++) {
		kc_engine_set_severity(r->engine, cfg->severity[i].rule, cfg->severity[i].severity);
	}
	if (cfg != NULL) {
		kc_engine_set_params(r->engine, cfg->params, cfg->param_count);
		if (cfg->has_fail_on && !fail_on_given) {
			r->fail_on = cfg->fail_on;
		}
	}
	for (size_t i = 0; i < nseverities; i++) {
		char *spec = kc_arena_strdup(r->arena, severities[i]);
		char *eq = strchr(spec, '=');
		enum kc_severity sev;
		if (eq == NULL || !kc_severity_parse(eq + 1, &sev)) {
			return usage_error(err, "--severity wants RULE=LEVEL with LEVEL error, "
				"warning or info, not '%s'", severities[i]);
		}
		*eq = '\0';
		if (!for_rules(r, spec, set_severity, &sev)) {
			return unknown_rule(err, r->policy, spec);
		}
	}
	bool on = true, off = false;
	for (size_t i = 0; i < nenable; i++) {
		if (!for_rules(r, enable[i], set_enabled, &on)) {
			return unknown_rule(err, r->policy, enable[i]);
		}
	}
	for (size_t i = 0; i < ndisable; i++) {
		if (!for_rules(r, disable[i], set_enabled, &off)) {
			return unknown_rule(err, r->policy, disable[i]);
		}
	}
	unsigned stdin_uses = 0;
	for (int i = optind; i < argc; i++) {
		stdin_uses += strcmp(argv[i], "-") == 0;
	}
	if (stdin_uses > 1) {
		return usage_error(err, "%s", "'-' (standard input) can be named only once");
	}
	if (r->fix_mode) {
		r->noutputs = 0;  /* fix writes diffs, not reports */
	}
	for (unsigned o = 0; o < r->noutputs; o++) {
		struct output *out = &r->outputs[o];
		if (out->path == NULL) {
			out->rep.out = r->out;
			out->rep.color = want_color(color, r->out);
		} else if (!open_output(out, err)) {
			return KC_EXIT_USAGE;
		}
	}
	r->diag.color = want_color(color, err);
	if (baseline_path != NULL &&
		!kc_baseline_load(&r->baseline, baseline_path, r->arena, &r->diag)) {
		abandon_outputs(r);
		return KC_EXIT_USAGE;
	}
	if (write_baseline != NULL) {
		r->new_baseline = kc_baseline_create(r->arena);
	}
	const char **enabled_ids;
	unsigned nenabled = kc_engine_enabled(r->engine, r->arena, &enabled_ids);
	r->diag.listener = on_diag;
	r->diag.listener_ctx = r;
	for (unsigned o = 0; o < r->noutputs; o++) {
		r->outputs[o].rep.version = version_string();
		r->outputs[o].rep.policy = r->policy;
		r->outputs[o].rep.rules = enabled_ids;
		r->outputs[o].rep.rule_count = nenabled;
		r->outputs[o].rep.fail_on = r->fail_on;
		r->outputs[o].rep.impl->begin(&r->outputs[o].rep);
	}
	for (unsigned o = 0; o < r->noutputs; o++) {
		r->wants_changes = r->wants_changes || r->outputs[o].rep.impl->wants_changes;
	}
	for (int i = optind; i < argc; i++) {
		add_path(r, argv[i]);
	}
	check_jobs(r);
	const struct kc_load_stats *l = &r->sum.load;
	enum kc_diag_level nothing = fail_if_nothing ? KC_DIAG_ERROR : KC_DIAG_WARNING;
	if (l->workloads == 0) {
		if (l->files == 0 && l->input_errors == 0) {
			kc_diag_run(&r->diag, nothing, "nothing was checked: "
				"no *.yaml, *.yml or *.json files were found");
		} else {
			kc_diag_run(&r->diag, nothing, "nothing was checked: "
				"no Pods or workloads with a pod template were found");
		}
	}
	r->sum.baselined = r->baselined;
	for (unsigned o = 0; o < r->noutputs; o++) {
		r->outputs[o].rep.impl->end(&r->outputs[o].rep, &r->sum);
	}
	if (!close_outputs(r, err)) {
		return KC_EXIT_INTERNAL;
	}
	if (r->fix_mode) {
		if (!quiet) {
			fprintf(err, "k8scheck fix: %u %s %s in %u %s; %u %s a person\n",
				r->fixed_findings, r->fixed_findings == 1 ? "finding" : "findings",
				r->fix_write ? "fixed" : "fixable", r->fixed_files,
				r->fixed_files == 1 ? "file" : "files", r->left_findings,
				r->left_findings == 1 ? "needs" : "need");
		}
		if (l->input_errors > 0 || r->fix_failed) {
			return KC_EXIT_INPUT;
		}
		/* Like diff: 1 while anything is left to change or to look at. */
		bool pending = (!r->fix_write && r->fixed_files > 0) || r->left_findings > 0;
		return pending ? KC_EXIT_FINDINGS : KC_EXIT_OK;
	}
	if (r->new_baseline != NULL) {
		if (!kc_baseline_write(r->new_baseline, write_baseline, err)) {
			return KC_EXIT_INTERNAL;
		}
		/* Recording a baseline accepts today's findings. */
		return l->input_errors > 0 ? KC_EXIT_INPUT : KC_EXIT_OK;
	}
	if (l->input_errors > 0 || (fail_if_nothing && l->workloads == 0)) {
		return KC_EXIT_INPUT;
	}
	return r->failing > 0 ? KC_EXIT_FINDINGS : KC_EXIT_OK;
}

int kc_cli_run(int argc, char **argv, FILE *in, FILE *out, FILE *err)
{
	struct run r = { .in = in, .out = out };
	r.arena = kc_arena_create();
	kc_diag_init(&r.diag, err, false);
	struct kc_policy policy;
	int rc;
	if (!kc_policy_load(&policy, r.arena, &r.diag)) {
		rc = KC_EXIT_INTERNAL;
		goto done;
	}
	r.policy = &policy;
	const char *cmd = argc > 1 ? argv[1] : "";
	if (strcmp(cmd, "rules") == 0) {
		rc = argc == 2 ? cmd_rules(&policy, out)
			: usage_error(err, "%s", "rules takes no arguments");
	} else if (strcmp(cmd, "explain") == 0) {
		rc = cmd_explain(&policy, argc, argv, out, err);
	} else if (strcmp(cmd, "version") == 0) {
		fprintf(out, "k8scheck %s\n", version_string());
		rc = KC_EXIT_OK;
	} else if (strcmp(cmd, "check") == 0) {
		rc = run_check(&r, argc - 1, argv + 1, err);
	} else if (strcmp(cmd, "fix") == 0) {
		r.fix_mode = true;
		rc = run_check(&r, argc - 1, argv + 1, err);
	} else {
		rc = run_check(&r, argc, argv, err);
	}
	abandon_outputs(&r);
done:
	fflush(out);
	fflush(err);
	kc_arena_destroy(r.arena);
	return rc;
}
