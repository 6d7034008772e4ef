/* argv -> struct kc_cli_options, validated for the command. */
#include <errno.h>
#include <stddef.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

#ifndef KC_VERSION
#define KC_VERSION "unknown"
#endif

/* In parts: ISO C limits a string literal to 4095 bytes. */
static const char *const usage_text[] = {
"Usage: k8scheck [OPTION]... PATH...\n"
"       k8scheck fix [--write] [OPTION]... PATH...\n"
"       k8scheck rules\n"
"       k8scheck explain RULE\n"
"       k8scheck lsp [--log FILE] [--stdio]\n"
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
"      --no-dockerfiles      leave Dockerfiles out of directory walks\n"
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
"      --show-config         say which configuration file is in force\n"
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
"                            kept; findings that need a person are listed.\n"
"                            Only safe fixes are applied: --unsafe-fixes also\n"
"                            applies those that overturn a value the author\n"
"                            wrote or may break the workload\n"
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
	OPT_UNSAFE_FIXES,
	OPT_NO_DOCKERFILES,
	OPT_MIN_SEVERITY,
	OPT_SHOW_CONFIG,
};

/* Which commands an option applies to: any other command would ignore it,
 * so giving it there is a usage error. */
#define C (1u << KC_CMD_CHECK)
#define F (1u << KC_CMD_FIX)
#define R (1u << KC_CMD_RULES)
#define E (1u << KC_CMD_EXPLAIN)
#define ALL ((1u << KC_CMD__COUNT) - 1)

static const struct optdef {
	struct option opt;
	unsigned cmds;
} optdefs[] = {
	{ { "format", required_argument, NULL, 'f' }, C },
	{ { "output", required_argument, NULL, 'o' }, C },
	{ { "stdin-filename", required_argument, NULL, OPT_STDIN_FILENAME }, C | F },
	{ { "enable", required_argument, NULL, OPT_ENABLE }, C | F },
	{ { "disable", required_argument, NULL, OPT_DISABLE }, C | F },
	{ { "color", required_argument, NULL, OPT_COLOR }, C | F },
	{ { "colour", required_argument, NULL, OPT_COLOR }, C | F },
	{ { "quiet", no_argument, NULL, 'q' }, C | F },
	{ { "jobs", required_argument, NULL, 'j' }, C },
	{ { "max-file-size", required_argument, NULL, OPT_MAX_FILE_SIZE }, C | F },
	{ { "max-depth", required_argument, NULL, OPT_MAX_DEPTH }, C | F },
	{ { "max-aliases", required_argument, NULL, OPT_MAX_ALIASES }, C | F },
	{ { "max-document-size", required_argument, NULL, OPT_MAX_DOCUMENT_SIZE }, C | F },
	{ { "pss", required_argument, NULL, OPT_PSS }, C | F },
	{ { "pss-summary", no_argument, NULL, OPT_PSS_SUMMARY }, C },
	{ { "fail-on", required_argument, NULL, OPT_FAIL_ON }, C },
	{ { "fail-if-nothing-checked", no_argument, NULL, OPT_FAIL_IF_NOTHING }, C | F },
	{ { "no-fail-if-nothing-checked", no_argument, NULL, OPT_NO_FAIL_IF_NOTHING }, C | F },
	{ { "baseline", required_argument, NULL, OPT_BASELINE }, C },
	{ { "write-baseline", required_argument, NULL, OPT_WRITE_BASELINE }, C },
	{ { "config", required_argument, NULL, OPT_CONFIG }, C | F | R | E },
	{ { "no-config", no_argument, NULL, OPT_NO_CONFIG }, C | F | R | E },
	{ { "profile", required_argument, NULL, OPT_PROFILE }, C | F },
	{ { "severity", required_argument, NULL, OPT_SEVERITY }, C | F },
	{ { "show-suppressed", no_argument, NULL, OPT_SHOW_SUPPRESSED }, C },
	{ { "report-unused-ignores", no_argument, NULL, OPT_REPORT_UNUSED_IGNORES }, C },
	{ { "policy", required_argument, NULL, OPT_POLICY }, C | F | R | E },
	{ { "write", no_argument, NULL, OPT_WRITE }, F },
	{ { "unsafe-fixes", no_argument, NULL, OPT_UNSAFE_FIXES }, F },
	{ { "no-dockerfiles", no_argument, NULL, OPT_NO_DOCKERFILES }, C | F },
	{ { "min-severity", required_argument, NULL, OPT_MIN_SEVERITY }, C | F },
	{ { "show-config", no_argument, NULL, OPT_SHOW_CONFIG }, C | F },
	{ { "help", no_argument, NULL, 'h' }, ALL },
	{ { "version", no_argument, NULL, 'V' }, ALL },
};

#define NOPTS (sizeof(optdefs) / sizeof(*optdefs))
static const char shortopts[] = ":f:o:qj:hV";

/* The sub-commands, sorted (the lsp helper adds "lsp"). */
static const struct {
	const char *name;
	enum kc_cli_cmd cmd;
} commands[] = {
	{ "check", KC_CMD_CHECK },
	{ "explain", KC_CMD_EXPLAIN },
	{ "fix", KC_CMD_FIX },
	{ "rules", KC_CMD_RULES },
	{ "version", KC_CMD_VERSION },
};

static const char *const command_names[KC_CMD__COUNT] = {
	[KC_CMD_CHECK] = "check",
	[KC_CMD_EXPLAIN] = "explain",
	[KC_CMD_FIX] = "fix",
	[KC_CMD_RULES] = "rules",
	[KC_CMD_VERSION] = "version",
};

const char *kc_cli_version(void)
{
	const char *v = getenv("K8SCHECK_TEST_VERSION");
	return v != NULL && *v != '\0' ? v : KC_VERSION;
}

int kc_cli_usage_error(FILE *err, const char *fmt, ...)
{
	fputs("k8scheck: error: ", err);
	va_list ap;
	va_start(ap, fmt);
	/* Callers pass literals; the test tells gcc's -O2 analysis of the
	 * UBSan build so (it otherwise sees a "null format string" path). */
	if (fmt != NULL) {
		vfprintf(err, fmt, ap);
	}
	va_end(ap);
	fputs("\nTry 'k8scheck --help' for more information.\n", err);
	return KC_EXIT_USAGE;
}

bool kc_cli_want_color(enum kc_color_when when, FILE *f)
{
	const char *nc = getenv("NO_COLOR");
	if (nc != NULL && *nc != '\0') {
		return false;
	}
	if (when == KC_COLOR_AUTO) {
		return isatty(fileno(f));
	}
	return when == KC_COLOR_ALWAYS;
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

static void longopts(struct option *out)
{
	for (size_t i = 0; i < NOPTS; i++) {
		out[i] = optdefs[i].opt;
	}
	out[NOPTS] = (struct option){ NULL, 0, NULL, 0 };
}

/* The index of the sub-command in argv, or 0 if there is none: the first
 * operand, when it names a command, after any global options. */
static int find_command(int argc, char **argv, enum kc_cli_cmd *cmd)
{
	struct option opts[NOPTS + 1];
	longopts(opts);
	char plus[sizeof(shortopts) + 1] = "+";
	strcat(plus, shortopts);
	opterr = 0;
	optind = 0;  /* glibc: full re-initialisation, for in-process reruns */
	while (getopt_long(argc, argv, plus, opts, NULL) != -1) {
		/* Errors are reported by the real pass. */
	}
	int at = optind;
	if (at >= argc || at == 0 || strcmp(argv[at - 1], "--") == 0) {
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++) {
		if (strcmp(argv[at], commands[i].name) == 0) {
			*cmd = commands[i].cmd;
			return at;
		}
	}
	return 0;
}

/* The optdef of getopt's result c (long or short). */
static const struct optdef *def_of(int c, int longindex)
{
	if (longindex >= 0) {
		return &optdefs[longindex];
	}
	for (size_t i = 0; i < NOPTS; i++) {
		if (optdefs[i].opt.val == c) {
			return &optdefs[i];
		}
	}
	return NULL;
}

/* Options that take a value and only store it. */
static bool store(struct kc_cli_options *o, int c, const char *arg,
	struct kc_arena *a, size_t cap)
{
	struct kc_check_options *k = &o->check;
	switch (c) {
	case 'o': o->output = arg; return true;
	case OPT_STDIN_FILENAME: o->stdin_name = arg; return true;
	case OPT_CONFIG: k->config_path = arg; return true;
	case OPT_PROFILE: k->profile = arg; return true;
	case OPT_BASELINE: o->baseline = arg; return true;
	case OPT_WRITE_BASELINE: o->write_baseline = arg; return true;
	case OPT_NO_CONFIG: k->no_config = true; return true;
	case 'q': o->quiet = true; return true;
	case OPT_PSS_SUMMARY: o->pss_summary = true; return true;
	case OPT_SHOW_SUPPRESSED: o->show_suppressed = true; return true;
	case OPT_REPORT_UNUSED_IGNORES: o->report_unused = true; return true;
	case OPT_WRITE: o->write = true; return true;
	case OPT_UNSAFE_FIXES: o->unsafe_fixes = true; return true;
	case OPT_NO_DOCKERFILES: o->no_dockerfiles = true; return true;
	case OPT_SHOW_CONFIG: o->show_config = true; return true;
	case OPT_FAIL_IF_NOTHING: o->fail_if_nothing = true; return true;
	case OPT_NO_FAIL_IF_NOTHING: o->fail_if_nothing = false; return true;
	default: break;
	}
	const char ***list;
	size_t *n;
	switch (c) {
	case OPT_ENABLE: list = (const char ***)&k->enable; n = &k->enable_count; break;
	case OPT_DISABLE: list = (const char ***)&k->disable; n = &k->disable_count; break;
	case OPT_SEVERITY: list = (const char ***)&k->severities; n = &k->severity_count; break;
	case OPT_POLICY: list = (const char ***)&k->policies; n = &k->policy_count; break;
	default: return false;
	}
	if (*list == NULL) {
		*list = kc_arena_alloc(a, cap * sizeof(char *));
	}
	(*list)[(*n)++] = arg;
	return true;
}

/* Options whose value is checked here. Returns -1, or a usage error. */
static int parse_value(struct kc_cli_options *o, int c, const char *arg, FILE *err)
{
	size_t n;
	switch (c) {
	case 'f':
		if (o->nformats == KC_CLI_MAX_FORMATS) {
			return kc_cli_usage_error(err, "%s", "too many --format options");
		}
		o->formats[o->nformats++] = arg;
		return -1;
	case OPT_COLOR:
		if (strcmp(arg, "auto") == 0) {
			o->color = KC_COLOR_AUTO;
		} else if (strcmp(arg, "always") == 0) {
			o->color = KC_COLOR_ALWAYS;
		} else if (strcmp(arg, "never") == 0) {
			o->color = KC_COLOR_NEVER;
		} else {
			return kc_cli_usage_error(err, "--color must be auto, always or "
				"never, not '%s'", arg);
		}
		return -1;
	case 'j':
		if (!parse_size(arg, &n) || n > 1024) {
			return kc_cli_usage_error(err, "--jobs needs a number from 1 to "
				"1024, not '%s'", arg);
		}
		o->threads = (unsigned)n;
		return -1;
	case OPT_PSS:
		if (!kc_pss_parse(arg, &o->pss)) {
			return kc_cli_usage_error(err, "--pss wants LEVEL[:VERSION] with "
				"LEVEL privileged, baseline or restricted and VERSION "
				"v1.0 to v1.%d or latest, not '%s'", KC_PSS_MAX_MINOR, arg);
		}
		o->pss_only = true;
		o->check.pss = &o->pss;
		return -1;
	case OPT_FAIL_ON:
		if (!kc_severity_parse(arg, &o->fail_on)) {
			return kc_cli_usage_error(err, "--fail-on must be error, warning or "
				"info, not '%s'", arg);
		}
		o->fail_on_given = true;
		return -1;
	case OPT_MIN_SEVERITY:
		if (!kc_severity_parse(arg, &o->check.min_severity)) {
			return kc_cli_usage_error(err, "--min-severity must be error, warning "
				"or info, not '%s'", arg);
		}
		return -1;
	default:
		break;
	}
	static const struct {
		int c;
		size_t off;
		const char *what;
	} limits[] = {
		{ OPT_MAX_FILE_SIZE, offsetof(struct kc_limits, max_file_bytes),
			"--max-file-size needs a positive number of bytes" },
		{ OPT_MAX_DOCUMENT_SIZE, offsetof(struct kc_limits, max_document_bytes),
			"--max-document-size needs a positive number of bytes" },
		{ OPT_MAX_DEPTH, offsetof(struct kc_limits, max_depth),
			"--max-depth needs a positive number" },
		{ OPT_MAX_ALIASES, offsetof(struct kc_limits, max_alias_nodes),
			"--max-aliases needs a positive number" },
	};
	for (size_t i = 0; i < sizeof(limits) / sizeof(*limits); i++) {
		if (limits[i].c == c) {
			size_t *field = (size_t *)(void *)((char *)&o->limits + limits[i].off);
			if (!parse_size(arg, field)) {
				return kc_cli_usage_error(err, "%s, not '%s'", limits[i].what, arg);
			}
			return -1;
		}
	}
	return KC_EXIT_INTERNAL;
}

static void defaults(struct kc_cli_options *o, enum kc_cli_cmd cmd)
{
	*o = (struct kc_cli_options){
		.cmd = cmd, .stdin_name = "<stdin>", .fail_on = KC_SEVERITY_INFO,
		.limits = kc_limits_default, .threads = kc_pool_default_threads(),
	};
	kc_pss_parse("restricted:latest", &o->pss);
	/* A CI gate must not pass on a typo'd path: on by default in CI. */
	const char *ci = getenv("CI");
	o->fail_if_nothing = ci != NULL && *ci != '\0' && strcmp(ci, "false") != 0 &&
		strcmp(ci, "0") != 0;
}

/* The option c (from optdef d) given to a command that would ignore it. */
static int misplaced(const struct optdef *d, enum kc_cli_cmd cmd, FILE *err)
{
	if (d->opt.val == OPT_WRITE) {
		return kc_cli_usage_error(err, "%s", "--write belongs to 'k8scheck fix'");
	}
	return kc_cli_usage_error(err, "--%s does not apply to 'k8scheck %s'",
		d->opt.name, command_names[cmd]);
}

static int unknown_option(int argc, char **argv, FILE *err)
{
	if (optopt != 0) {
		char opt[3] = { '-', (char)optopt, '\0' };
		return kc_cli_usage_error(err, "unknown option '%s'", opt);
	}
	return kc_cli_usage_error(err, "unknown option '%s'", argv[optind - 1]);
}

int kc_cli_parse(struct kc_cli_options *o, int argc, char **argv,
	struct kc_arena *a, FILE *out, FILE *err)
{
	enum kc_cli_cmd cmd = KC_CMD_CHECK;
	int at = find_command(argc, argv, &cmd);
	defaults(o, cmd);
	/* Parse argv without the sub-command's name. */
	char **args = kc_arena_alloc(a, ((size_t)argc + 1) * sizeof(*args));
	int n = 0;
	for (int i = 0; i < argc; i++) {
		if (i != at || at == 0) {
			args[n++] = argv[i];
		}
	}
	args[n] = NULL;
	struct option opts[NOPTS + 1];
	longopts(opts);
	opterr = 0;
	optind = 0;
	int c, li = -1;
	while ((c = getopt_long(n, args, shortopts, opts, &li)) != -1) {
		const struct optdef *d = c == ':' || c == '?' ? NULL : def_of(c, li);
		li = -1;
		if (c == ':') {
			return kc_cli_usage_error(err, "option '%s' needs a value",
				args[optind - 1]);
		}
		if (d == NULL) {
			return unknown_option(n, args, err);
		}
		if (c == 'h') {
			for (const char *const *part = usage_text; *part; part++) {
				fputs(*part, out);
			}
			return KC_EXIT_OK;
		}
		if (c == 'V') {
			fprintf(out, "k8scheck %s\n", kc_cli_version());
			return KC_EXIT_OK;
		}
		if (!(d->cmds & (1u << cmd))) {
			return misplaced(d, cmd, err);
		}
		if (store(o, c, optarg, a, (size_t)n)) {
			continue;
		}
		int rc = parse_value(o, c, optarg, err);
		if (rc >= 0) {
			return rc;
		}
	}
	o->args = args + optind;
	o->nargs = n - optind;
	return -1;
}
