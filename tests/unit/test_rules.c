#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8scheck/policy.h"
#include "k8scheck/rule.h"
#include "support.h"

/*
 * Workloads come from t_load(); the callback runs the engine on each
 * document and copies the findings into plain strings, since the document
 * (and its findings) is freed when the callback returns.
 */

#define MAX_F 24

struct rf {
	char rule[40];
	enum kc_severity severity;
	char message[512];
	char path[160];
	bool exact;
	struct kc_pos pos;
	char kind[32];
	char name[32];              /* "-" when NULL */
	char container[32];         /* "-" when NULL */
	unsigned doc_index;
	bool has_fix;
	char fix_yaml[256];
	char fix_parent[160];
	struct kc_pos fix_pos;
	bool fix_replaces;
	bool has_origin;
	struct kc_pos origin_pos;
	char origin_path[160];
	char origin_note[96];
};

static struct kc_arena *run;
static struct kc_policy policy;
static struct kc_engine *eng;
static struct rf *found;
static unsigned nfound;
static unsigned calls;

static void setup(void)
{
	run = kc_arena_create();
	char *text = NULL;
	size_t len = 0;
	FILE *e = open_memstream(&text, &len);
	struct kc_diag d;
	kc_diag_init(&d, e, false);
	bool ok = kc_policy_load(&policy, run, &d);
	fclose(e);
	ck_assert_msg(ok, "%s", text);
	ck_assert_str_eq(text, "");
	free(text);
	eng = kc_engine_create(&policy, run);
	found = calloc(MAX_F, sizeof(*found));
	nfound = 0;
	calls = 0;
}

static void teardown(void)
{
	kc_arena_destroy(run);
	free(found);
}

static void copy(char *dst, size_t size, const char *s)
{
	int n = snprintf(dst, size, "%s", s ? s : "-");
	ck_assert_int_lt(n, (int)size);
}

static void record(void *ctx, const struct kc_loaded_doc *doc)
{
	struct kc_finding **list = (void *)1;
	unsigned n = 99;
	kc_engine_check(eng, doc, &list, &n);
	calls++;
	if (n == 0) {
		ck_assert_ptr_null(list);
	}
	for (unsigned i = 0; i < n; i++) {
		const struct kc_finding *f = list[i];
		if (i > 0) {
			/* The engine's contract: sorted by line, column, rule. */
			const struct kc_finding *p = list[i - 1];
			ck_assert(p->pos.line < f->pos.line ||
				(p->pos.line == f->pos.line && (p->pos.col < f->pos.col ||
				(p->pos.col == f->pos.col && strcmp(p->rule, f->rule) <= 0))));
		}
		ck_assert_uint_lt(nfound, MAX_F);
		struct rf *o = &found[nfound++];
		copy(o->rule, sizeof(o->rule), f->rule);
		o->severity = f->severity;
		copy(o->message, sizeof(o->message), f->message);
		copy(o->path, sizeof(o->path), f->path_str);
		o->exact = f->exact;
		o->pos = f->pos;
		copy(o->kind, sizeof(o->kind), f->kind);
		copy(o->name, sizeof(o->name), f->name);
		copy(o->container, sizeof(o->container), f->container);
		o->doc_index = f->doc_index;
		ck_assert_str_eq(f->file, "test.yaml");
		o->has_fix = f->fix_yaml != NULL;
		if (o->has_fix) {
			copy(o->fix_yaml, sizeof(o->fix_yaml), f->fix_yaml);
			copy(o->fix_parent, sizeof(o->fix_parent), f->fix_parent);
			o->fix_pos = f->fix_pos;
			o->fix_replaces = f->fix_replaces;
		}
		o->has_origin = f->has_origin;
		if (o->has_origin) {
			copy(o->origin_path, sizeof(o->origin_path), f->origin_path);
			copy(o->origin_note, sizeof(o->origin_note), f->origin_note);
			o->origin_pos = f->origin_pos;
		}
		/* The path string renders the finding's own path. */
		char buf[160];
		kc_path_format(doc->root, &f->path, buf, sizeof(buf));
		ck_assert_str_eq(buf, f->path_str);
	}
}

/* Run only rule id (NULL: the four seed rules) over yaml, which must load. */
static void check_only(const char *id, const char *yaml)
{
	for (size_t i = 0; i < kc_rule_count; i++) {
		kc_engine_set_enabled(eng, kc_rules[i].id, false);
	}
	if (id != NULL) {
		ck_assert(kc_engine_set_enabled(eng, id, true));
	} else {
		ck_assert(kc_engine_set_enabled(eng, "capabilities-drop-all", true));
		ck_assert(kc_engine_set_enabled(eng, "read-only-root-filesystem", true));
		ck_assert(kc_engine_set_enabled(eng, "run-as-non-root", true));
		ck_assert(kc_engine_set_enabled(eng, "run-as-user", true));
	}
	struct t_loaded r = t_load(yaml, record, NULL);
	ck_assert_msg(r.ok, "%s", r.diag);
	ck_assert_str_eq(r.diag, "");
	free(r.diag);
	ck_assert_uint_ge(r.stats.workloads, 1);
}

static void assert_pos(struct kc_pos p, unsigned line, unsigned col)
{
	ck_assert_uint_eq(p.line, line);
	ck_assert_uint_eq(p.col, col);
}

static void assert_finding(unsigned i, const char *rule, unsigned line, unsigned col,
	const char *path, const char *msg)
{
	ck_assert_uint_lt(i, nfound);
	const struct rf *f = &found[i];
	ck_assert_str_eq(f->rule, rule);
	ck_assert_str_eq(f->path, path);
	ck_assert_str_eq(f->message, msg);
	assert_pos(f->pos, line, col);
}

static void assert_fix(unsigned i, const char *parent, unsigned line, bool replaces,
	const char *yaml)
{
	ck_assert_uint_lt(i, nfound);
	const struct rf *f = &found[i];
	ck_assert_msg(f->has_fix, "finding %u has no fix", i);
	ck_assert_str_eq(f->fix_parent, parent);
	ck_assert_uint_eq(f->fix_pos.line, line);
	ck_assert_int_eq(f->fix_replaces, replaces);
	ck_assert_str_eq(f->fix_yaml, yaml);
}

/* ---- registry and catalog ------------------------------------------------ */

START_TEST(registry_sorted_and_unique)
{
	ck_assert_uint_ge(kc_rule_count, 4);
	for (size_t i = 0; i < kc_rule_count; i++) {
		ck_assert_ptr_nonnull(kc_rules[i].id);
		ck_assert(kc_rules[i].check != NULL);
		/* Stable kebab-case ids. */
		ck_assert_uint_eq(strspn(kc_rules[i].id, "abcdefghijklmnopqrstuvwxyz0123456789-"),
			strlen(kc_rules[i].id));
		if (i > 0) {
			ck_assert_msg(strcmp(kc_rules[i - 1].id, kc_rules[i].id) < 0,
				"'%s' then '%s'", kc_rules[i - 1].id, kc_rules[i].id);
		}
	}
	static const char *const seed[] = { "capabilities-drop-all",
		"read-only-root-filesystem", "run-as-non-root", "run-as-user" };
	for (size_t s = 0; s < 4; s++) {
		bool in = false;
		for (size_t i = 0; i < kc_rule_count; i++) {
			in = in || strcmp(kc_rules[i].id, seed[s]) == 0;
		}
		ck_assert_msg(in, "no rule '%s'", seed[s]);
	}
}
END_TEST

START_TEST(catalog_matches_registry)
{
	/* Every catalog entry has its check in the registry of its input kind,
	 * in the same (id) order; nothing else is in the registries. */
	ck_assert_uint_eq(policy.count, kc_rule_count + kc_dockerfile_rule_count);
	size_t kube = 0, docker = 0;
	for (unsigned i = 0; i < policy.count; i++) {
		const struct kc_rule_meta *m = &policy.rules[i];
		if (i > 0) {
			ck_assert_int_lt(strcmp(policy.rules[i - 1].id, m->id), 0);
		}
		if (m->input == KC_RULE_INPUT_DOCKERFILE) {
			ck_assert_uint_lt(docker, kc_dockerfile_rule_count);
			ck_assert_str_eq(m->id, kc_dockerfile_rules[docker++].id);
		} else {
			ck_assert_int_eq(m->input, KC_RULE_INPUT_KUBERNETES);
			ck_assert_uint_lt(kube, kc_rule_count);
			ck_assert_str_eq(m->id, kc_rules[kube++].id);
		}
		ck_assert_ptr_eq(kc_policy_find(&policy, m->id), m);
		ck_assert_uint_gt(strlen(m->title), 0);
		ck_assert_uint_gt(strlen(m->description), 0);
		ck_assert_uint_gt(strlen(m->remediation), 0);
		ck_assert_uint_gt(strlen(m->example), 0);
		ck_assert_str_eq(kc_severity_name(m->severity), m->severity_name);
	}
	ck_assert_ptr_null(kc_policy_find(&policy, "no-such-rule"));
	ck_assert_ptr_null(kc_policy_find(&policy, ""));
	ck_assert_int_eq(kc_policy_find(&policy, "run-as-non-root")->severity, KC_SEVERITY_ERROR);
	ck_assert_int_eq(kc_policy_find(&policy, "run-as-user")->severity, KC_SEVERITY_ERROR);
	ck_assert_int_eq(kc_policy_find(&policy, "capabilities-drop-all")->severity,
		KC_SEVERITY_WARNING);
	ck_assert_int_eq(kc_policy_find(&policy, "read-only-root-filesystem")->severity,
		KC_SEVERITY_WARNING);
}
END_TEST

START_TEST(severity_names)
{
	enum kc_severity s = KC_SEVERITY_INFO;
	ck_assert(kc_severity_parse("error", &s));
	ck_assert_int_eq(s, KC_SEVERITY_ERROR);
	ck_assert(kc_severity_parse("warning", &s));
	ck_assert_int_eq(s, KC_SEVERITY_WARNING);
	ck_assert(kc_severity_parse("info", &s));
	ck_assert_int_eq(s, KC_SEVERITY_INFO);
	s = KC_SEVERITY_ERROR;
	ck_assert(!kc_severity_parse("Error", &s));
	ck_assert(!kc_severity_parse("", &s));
	ck_assert_int_eq(s, KC_SEVERITY_ERROR);
	ck_assert_str_eq(kc_severity_name(KC_SEVERITY_INFO), "info");
	ck_assert_str_eq(kc_severity_name(KC_SEVERITY_WARNING), "warning");
	ck_assert_str_eq(kc_severity_name(KC_SEVERITY_ERROR), "error");
	ck_assert_str_eq(kc_severity_name(KC_SEVERITY__COUNT), "?");
}
END_TEST

START_TEST(set_enabled_unknown_rule)
{
	ck_assert(!kc_engine_set_enabled(eng, "no-such-rule", true));
	ck_assert(!kc_engine_set_enabled(eng, "", false));
	ck_assert(kc_engine_set_enabled(eng, "run-as-user", false));
	ck_assert(kc_engine_set_enabled(eng, "run-as-user", true));
}
END_TEST

/* ---- shared inputs ------------------------------------------------------- */

/* Nothing set anywhere: every seed rule fires for the one container. */
static const char bare_pod[] =
	"apiVersion: v1\n"               /* 1 */
	"kind: Pod\n"                    /* 2 */
	"metadata:\n"                    /* 3 */
	"  name: web\n"                  /* 4 */
	"  namespace: prod\n"            /* 5 */
	"spec:\n"                        /* 6 */
	"  containers:\n"                /* 7 */
	"  - name: app\n"                /* 8 */
	"    image: nginx\n";            /* 9 */

/* Everything hardened: no seed rule fires. */
static const char hardened_pod[] =
	"apiVersion: v1\n"
	"kind: Pod\n"
	"metadata:\n"
	"  name: web\n"
	"spec:\n"
	"  securityContext:\n"
	"    runAsNonRoot: true\n"
	"    runAsUser: 10001\n"
	"  containers:\n"
	"  - name: app\n"
	"    image: nginx\n"
	"    securityContext:\n"
	"      readOnlyRootFilesystem: true\n"
	"      capabilities:\n"
	"        drop: [NET_RAW, ALL]\n";

static void no_findings(const char *rule, const char *yaml)
{
	calls = 0;
	check_only(rule, yaml);
	ck_assert_uint_eq(calls, 1);
	ck_assert_uint_eq(nfound, 0);
}

/* Disabled, the rule is silent while the other seed rules still fire. */
static void disabled(const char *rule)
{
	for (size_t i = 0; i < kc_rule_count; i++) {
		kc_engine_set_enabled(eng, kc_rules[i].id, false);
	}
	kc_engine_set_enabled(eng, "capabilities-drop-all", true);
	kc_engine_set_enabled(eng, "read-only-root-filesystem", true);
	kc_engine_set_enabled(eng, "run-as-non-root", true);
	kc_engine_set_enabled(eng, "run-as-user", true);
	ck_assert(kc_engine_set_enabled(eng, rule, false));
	struct t_loaded r = t_load(
		"apiVersion: v1\n"
		"kind: Pod\n"
		"spec:\n"
		"  securityContext:\n"
		"    runAsUser: 0\n"
		"  containers:\n"
		"  - name: app\n"
		"    image: nginx\n", record, NULL);
	ck_assert(r.ok);
	free(r.diag);
	ck_assert_uint_eq(nfound, 3);
	for (unsigned i = 0; i < nfound; i++) {
		ck_assert_str_ne(found[i].rule, rule);
	}
}

/* ---- run-as-non-root ----------------------------------------------------- */

START_TEST(run_as_non_root_fires)
{
	check_only("run-as-non-root", bare_pod);
	ck_assert_uint_eq(nfound, 1);
	assert_finding(0, "run-as-non-root", 8, 5,
		"spec.containers[app].securityContext.runAsNonRoot",
		"container 'app' may run as root: runAsNonRoot != true (pod or container "
		"\"app\" must set securityContext.runAsNonRoot=true)");
	const struct rf *f = &found[0];
	ck_assert_int_eq(f->severity, KC_SEVERITY_ERROR);
	ck_assert(!f->exact);
	ck_assert_str_eq(f->kind, "Pod");
	ck_assert_str_eq(f->name, "web");
	ck_assert_str_eq(f->container, "app");
	ck_assert_uint_eq(f->doc_index, 0);
	ck_assert(!f->has_origin);
	/* The fix goes to the pod, where it covers every container. */
	assert_fix(0, "spec", 6, false, "securityContext:\n  runAsNonRoot: true\n");
}
END_TEST

START_TEST(run_as_non_root_clean)
{
	no_findings("run-as-non-root", hardened_pod);
	/* The container's own true is enough, too. */
	no_findings("run-as-non-root",
		"apiVersion: v1\n"
		"kind: Pod\n"
		"spec:\n"
		"  initContainers:\n"
		"  - name: init\n"
		"    securityContext: {runAsNonRoot: true}\n"
		"  containers:\n"
		"  - name: app\n"
		"    securityContext: {runAsNonRoot: true}\n");
}
END_TEST

START_TEST(run_as_non_root_disabled)
{
	disabled("run-as-non-root");
}
END_TEST

START_TEST(run_as_non_root_inherits_pod_false)
{
	check_only("run-as-non-root",
		"apiVersion: apps/v1\n"                    /* 1 */
		"kind: Deployment\n"                       /* 2 */
		"metadata:\n"                              /* 3 */
		"  name: d\n"                              /* 4 */
		"spec:\n"                                  /* 5 */
		"  template:\n"                            /* 6 */
		"    spec:\n"                              /* 7 */
		"      securityContext:\n"                 /* 8 */
		"        runAsNonRoot: false\n"            /* 9 */
		"      containers:\n"                      /* 10 */
		"      - name: own\n"                      /* 11 */
		"        securityContext:\n"               /* 12 */
		"          runAsNonRoot: true\n"           /* 13 */
		"      - name: inherits\n"                 /* 14 */
		"        image: x\n");                     /* 15 */
	ck_assert_uint_eq(nfound, 1);
	assert_finding(0, "run-as-non-root", 14, 9,
		"spec.template.spec.containers[inherits].securityContext.runAsNonRoot",
		"container 'inherits' may run as root, inheriting runAsNonRoot: false from "
		"the pod: runAsNonRoot != true (pod must not set "
		"securityContext.runAsNonRoot=false)");
	const struct rf *f = &found[0];
	ck_assert(f->has_origin);
	assert_pos(f->origin_pos, 9, 9);
	ck_assert_str_eq(f->origin_path, "spec.template.spec.securityContext.runAsNonRoot");
	ck_assert_str_eq(f->origin_note, "runAsNonRoot: false is set at pod level");
	ck_assert_str_eq(f->kind, "Deployment");
	/* The fix changes the pod's false in place. */
	assert_fix(0, "spec.template.spec.securityContext", 9, true, "runAsNonRoot: true\n");
}
END_TEST

START_TEST(run_as_non_root_pod_false_overridden)
{
	check_only("run-as-non-root",
		"apiVersion: v1\n"                 /* 1 */
		"kind: Pod\n"                      /* 2 */
		"spec:\n"                          /* 3 */
		"  securityContext:\n"             /* 4 */
		"    runAsNonRoot: false\n"        /* 5 */
		"  containers:\n"                  /* 6 */
		"  - name: a\n"                    /* 7 */
		"    securityContext:\n"           /* 8 */
		"      runAsNonRoot: true\n");     /* 9 */
	ck_assert_uint_eq(nfound, 1);
	assert_finding(0, "run-as-non-root", 5, 5, "spec.securityContext.runAsNonRoot",
		"the pod may not set runAsNonRoot: false, even when every container sets "
		"true: runAsNonRoot != true (pod must not set "
		"securityContext.runAsNonRoot=false)");
	ck_assert(found[0].exact);
	ck_assert_str_eq(found[0].container, "-");
	ck_assert(!found[0].has_origin);
	assert_fix(0, "spec.securityContext", 5, true, "runAsNonRoot: true\n");
}
END_TEST

START_TEST(run_as_non_root_container_false)
{
	check_only("run-as-non-root",
		"apiVersion: v1\n"                 /* 1 */
		"kind: Pod\n"                      /* 2 */
		"spec:\n"                          /* 3 */
		"  securityContext:\n"             /* 4 */
		"    runAsNonRoot: true\n"         /* 5 */
		"  containers:\n"                  /* 6 */
		"  - name: a\n"                    /* 7 */
		"    securityContext:\n"           /* 8 */
		"      runAsNonRoot: false\n");    /* 9 */
	ck_assert_uint_eq(nfound, 1);
	assert_finding(0, "run-as-non-root", 9, 7,
		"spec.containers[a].securityContext.runAsNonRoot",
		"container 'a' may run as root: runAsNonRoot != true (container \"a\" "
		"must not set securityContext.runAsNonRoot=false)");
	ck_assert(found[0].exact);
	assert_fix(0, "spec.containers[a].securityContext", 9, true, "runAsNonRoot: true\n");
}
END_TEST

/* ---- run-as-user --------------------------------------------------------- */

START_TEST(run_as_user_fires)
{
	check_only("run-as-user",
		"apiVersion: v1\n"                 /* 1 */
		"kind: Pod\n"                      /* 2 */
		"metadata: {name: p}\n"            /* 3 */
		"spec:\n"                          /* 4 */
		"  containers:\n"                  /* 5 */
		"  - name: a\n"                    /* 6 */
		"    securityContext:\n"           /* 7 */
		"      runAsUser: 0\n");           /* 8 */
	ck_assert_uint_eq(nfound, 1);
	assert_finding(0, "run-as-user", 8, 7, "spec.containers[a].securityContext.runAsUser",
		"container 'a' runs as root: runAsUser=0 "
		"(container \"a\" must not set runAsUser=0)");
	ck_assert(found[0].exact);
	ck_assert_int_eq(found[0].severity, KC_SEVERITY_ERROR);
	ck_assert_str_eq(found[0].container, "a");
	assert_fix(0, "spec.containers[a].securityContext", 8, true,
		"runAsUser: 10001  # any non-zero UID your image can run as\n");
}
END_TEST

START_TEST(run_as_user_clean)
{
	no_findings("run-as-user", hardened_pod);
	/* Unset is not root as far as this rule goes. */
	no_findings("run-as-user", bare_pod);
}
END_TEST

START_TEST(run_as_user_disabled)
{
	disabled("run-as-user");
}
END_TEST

START_TEST(run_as_user_inherits_pod_zero)
{
	check_only("run-as-user",
		"apiVersion: v1\n"                 /* 1 */
		"kind: Pod\n"                      /* 2 */
		"spec:\n"                          /* 3 */
		"  securityContext:\n"             /* 4 */
		"    runAsUser: 0\n"               /* 5 */
		"  containers:\n"                  /* 6 */
		"  - name: own\n"                  /* 7 */
		"    securityContext:\n"           /* 8 */
		"      runAsUser: 1000\n"          /* 9 */
		"  - name: inh\n"                  /* 10 */
		"    image: x\n");                 /* 11 */
	ck_assert_uint_eq(nfound, 1);
	assert_finding(0, "run-as-user", 10, 5, "spec.containers[inh].securityContext.runAsUser",
		"container 'inh' runs as root, inheriting runAsUser: 0 from the pod: "
		"runAsUser=0 (pod must not set runAsUser=0)");
	ck_assert(!found[0].exact);
	ck_assert(found[0].has_origin);
	assert_pos(found[0].origin_pos, 5, 5);
	ck_assert_str_eq(found[0].origin_path, "spec.securityContext.runAsUser");
	ck_assert_str_eq(found[0].origin_note, "runAsUser: 0 is set at pod level");
	/* The fix changes the pod's 0. */
	assert_fix(0, "spec.securityContext", 5, true,
		"runAsUser: 10001  # any non-zero UID your image can run as\n");
}
END_TEST

START_TEST(run_as_user_pod_zero_overridden)
{
	check_only("run-as-user",
		"apiVersion: v1\n"                 /* 1 */
		"kind: Pod\n"                      /* 2 */
		"spec:\n"                          /* 3 */
		"  securityContext:\n"             /* 4 */
		"    runAsUser: 0\n"               /* 5 */
		"  containers:\n"                  /* 6 */
		"  - name: a\n"                    /* 7 */
		"    securityContext:\n"           /* 8 */
		"      runAsUser: 1000\n");        /* 9 */
	ck_assert_uint_eq(nfound, 1);
	assert_finding(0, "run-as-user", 5, 5, "spec.securityContext.runAsUser",
		"the pod may not set runAsUser: 0, even when every container sets its own "
		"UID: runAsUser=0 (pod must not set runAsUser=0)");
	ck_assert(!found[0].has_origin);
	ck_assert_str_eq(found[0].container, "-");
	assert_fix(0, "spec.securityContext", 5, true,
		"runAsUser: 10001  # any non-zero UID your image can run as\n");
}
END_TEST

/* ---- capabilities-drop-all ----------------------------------------------- */

START_TEST(capabilities_drop_all_fires)
{
	check_only("capabilities-drop-all", bare_pod);
	ck_assert_uint_eq(nfound, 1);
	assert_finding(0, "capabilities-drop-all", 8, 5,
		"spec.containers[app].securityContext.capabilities.drop",
		"container 'app' does not drop ALL capabilities and keeps the runtime's "
		"default set");
	ck_assert_int_eq(found[0].severity, KC_SEVERITY_WARNING);
	ck_assert(!found[0].exact);
	/* No securityContext: the fix writes it whole. */
	assert_fix(0, "spec.containers[app]", 8, false,
		"securityContext:\n"
		"  capabilities:\n"
		"    drop:\n"
		"    - ALL\n");
}
END_TEST

START_TEST(capabilities_drop_all_clean)
{
	no_findings("capabilities-drop-all", hardened_pod);
}
END_TEST

START_TEST(capabilities_drop_all_disabled)
{
	disabled("capabilities-drop-all");
}
END_TEST

START_TEST(capabilities_drop_all_wrong_case)
{
	check_only("capabilities-drop-all",
		"apiVersion: v1\n"                      /* 1 */
		"kind: Pod\n"                           /* 2 */
		"spec:\n"                               /* 3 */
		"  containers:\n"                       /* 4 */
		"  - name: a\n"                         /* 5 */
		"    securityContext:\n"                /* 6 */
		"      capabilities:\n"                 /* 7 */
		"        drop: [NET_RAW, all]\n"        /* 8 */
		"  - name: b\n"                         /* 9 */
		"    securityContext:\n"                /* 10 */
		"      capabilities:\n"                 /* 11 */
		"        add: [NET_ADMIN]\n"            /* 12 */
		"        drop: []\n");                  /* 13 */
	ck_assert_uint_eq(nfound, 2);
	/* Points at the item; the fix rewrites the whole list. */
	assert_finding(0, "capabilities-drop-all", 8, 25,
		"spec.containers[a].securityContext.capabilities.drop[1]",
		"container 'a' drops 'all', but Kubernetes only recognises 'ALL' in capitals");
	ck_assert(found[0].exact);
	assert_fix(0, "spec.containers[a].securityContext.capabilities", 8, true,
		"drop:\n- ALL\n");
	assert_finding(1, "capabilities-drop-all", 13, 9,
		"spec.containers[b].securityContext.capabilities.drop",
		"container 'b' does not drop ALL capabilities and keeps the runtime's "
		"default set");
	assert_fix(1, "spec.containers[b].securityContext.capabilities", 13, true,
		"drop:\n- ALL\n");
}
END_TEST

START_TEST(capabilities_drop_all_existing_context)
{
	check_only("capabilities-drop-all",
		"apiVersion: v1\n"                      /* 1 */
		"kind: Pod\n"                           /* 2 */
		"spec:\n"                               /* 3 */
		"  containers:\n"                       /* 4 */
		"  - name: a\n"                         /* 5 */
		"    securityContext:\n"                /* 6 */
		"      privileged: false\n");           /* 7 */
	ck_assert_uint_eq(nfound, 1);
	assert_finding(0, "capabilities-drop-all", 6, 5,
		"spec.containers[a].securityContext.capabilities.drop",
		"container 'a' does not drop ALL capabilities and keeps the runtime's "
		"default set");
	assert_fix(0, "spec.containers[a].securityContext", 6, false,
		"capabilities:\n  drop:\n  - ALL\n");
}
END_TEST

/* ---- read-only-root-filesystem ------------------------------------------- */

START_TEST(read_only_root_filesystem_fires)
{
	check_only("read-only-root-filesystem", bare_pod);
	ck_assert_uint_eq(nfound, 1);
	assert_finding(0, "read-only-root-filesystem", 8, 5,
		"spec.containers[app].securityContext.readOnlyRootFilesystem",
		"container 'app' has a writable root filesystem: readOnlyRootFilesystem "
		"is not set to true");
	ck_assert_int_eq(found[0].severity, KC_SEVERITY_WARNING);
	assert_fix(0, "spec.containers[app]", 8, false,
		"securityContext:\n  readOnlyRootFilesystem: true\n");
}
END_TEST

START_TEST(read_only_root_filesystem_clean)
{
	no_findings("read-only-root-filesystem", hardened_pod);
}
END_TEST

START_TEST(read_only_root_filesystem_disabled)
{
	disabled("read-only-root-filesystem");
}
END_TEST

START_TEST(read_only_root_filesystem_fixes)
{
	check_only("read-only-root-filesystem",
		"apiVersion: v1\n"                              /* 1 */
		"kind: Pod\n"                                   /* 2 */
		"spec:\n"                                       /* 3 */
		"  securityContext:\n"                          /* 4 */
		"    readOnlyRootFilesystem: true\n"            /* 5: not a pod field */
		"  initContainers:\n"                           /* 6 */
		"  - name: init\n"                              /* 7 */
		"    securityContext:\n"                        /* 8 */
		"      readOnlyRootFilesystem: false\n"         /* 9 */
		"  containers:\n"                               /* 10 */
		"  - name: app\n"                               /* 11 */
		"    securityContext:\n"                        /* 12 */
		"      runAsUser: 1000\n"                       /* 13 */
		"  - image: nameless\n");                       /* 14 */
	ck_assert_uint_eq(nfound, 3);
	/* An existing false is replaced where it is. */
	assert_finding(0, "read-only-root-filesystem", 9, 7,
		"spec.initContainers[init].securityContext.readOnlyRootFilesystem",
		"container 'init' sets readOnlyRootFilesystem: false, so its root "
		"filesystem is writable");
	ck_assert(found[0].exact);
	assert_fix(0, "spec.initContainers[init].securityContext", 9, true,
		"readOnlyRootFilesystem: true\n");
	/* An existing securityContext gets the field added. */
	assert_finding(1, "read-only-root-filesystem", 12, 5,
		"spec.containers[app].securityContext.readOnlyRootFilesystem",
		"container 'app' has a writable root filesystem: readOnlyRootFilesystem "
		"is not set to true");
	ck_assert(!found[1].exact);
	assert_fix(1, "spec.containers[app].securityContext", 12, false,
		"readOnlyRootFilesystem: true\n");
	/* A container without a name is called by its number. */
	assert_finding(2, "read-only-root-filesystem", 14, 5,
		"spec.containers[1].securityContext.readOnlyRootFilesystem",
		"container '#2' has a writable root filesystem: readOnlyRootFilesystem "
		"is not set to true");
	ck_assert_str_eq(found[2].container, "-");
	assert_fix(2, "spec.containers[1]", 14, false,
		"securityContext:\n  readOnlyRootFilesystem: true\n");
}
END_TEST

/* ---- engine -------------------------------------------------------------- */

START_TEST(findings_sorted_by_line_column_rule)
{
	check_only(NULL,
		"apiVersion: v1\n"                                              /* 1 */
		"kind: Pod\n"                                                   /* 2 */
		"spec:\n"                                                       /* 3 */
		"  securityContext: {runAsNonRoot: true}\n"                     /* 4 */
		"  containers:\n"                                               /* 5 */
		"  - name: a\n"                                                 /* 6 */
		"    securityContext: {runAsUser: 0, readOnlyRootFilesystem: false,"
		" capabilities: {drop: [ALL]}}\n"                               /* 7 */
		"  - name: b\n");                                               /* 8 */
	ck_assert_uint_eq(nfound, 4);
	/* Same line: the column decides, whatever the rule ids say. */
	assert_finding(0, "run-as-user", 7, 23, "spec.containers[a].securityContext.runAsUser",
		"container 'a' runs as root: runAsUser=0 "
		"(container \"a\" must not set runAsUser=0)");
	assert_finding(1, "read-only-root-filesystem", 7, 37,
		"spec.containers[a].securityContext.readOnlyRootFilesystem",
		"container 'a' sets readOnlyRootFilesystem: false, so its root filesystem "
		"is writable");
	/* Same position: the rule id decides. */
	assert_finding(2, "capabilities-drop-all", 8, 5,
		"spec.containers[b].securityContext.capabilities.drop",
		"container 'b' does not drop ALL capabilities and keeps the runtime's "
		"default set");
	assert_finding(3, "read-only-root-filesystem", 8, 5,
		"spec.containers[b].securityContext.readOnlyRootFilesystem",
		"container 'b' has a writable root filesystem: readOnlyRootFilesystem "
		"is not set to true");
}
END_TEST

START_TEST(findings_across_list_items)
{
	check_only("read-only-root-filesystem",
		"apiVersion: v1\n"                                   /* 1 */
		"kind: List\n"                                       /* 2 */
		"items:\n"                                           /* 3 */
		"- apiVersion: v1\n"                                 /* 4 */
		"  kind: Pod\n"                                      /* 5 */
		"  metadata: {name: one, namespace: ns}\n"           /* 6 */
		"  spec: {containers: [{name: x}]}\n"                /* 7 */
		"- apiVersion: apps/v1\n"                            /* 8 */
		"  kind: Deployment\n"                               /* 9 */
		"  metadata: {name: two}\n"                          /* 10 */
		"  spec:\n"                                          /* 11 */
		"    template:\n"                                    /* 12 */
		"      spec: {containers: [{name: web}]}\n");        /* 13 */
	ck_assert_uint_eq(nfound, 2);
	assert_finding(0, "read-only-root-filesystem", 7, 23,
		"items[0].spec.containers[x].securityContext.readOnlyRootFilesystem",
		"container 'x' has a writable root filesystem: readOnlyRootFilesystem "
		"is not set to true");
	ck_assert_str_eq(found[0].kind, "Pod");
	ck_assert_str_eq(found[0].name, "one");
	assert_finding(1, "read-only-root-filesystem", 13, 27,
		"items[1].spec.template.spec.containers[web].securityContext."
		"readOnlyRootFilesystem",
		"container 'web' has a writable root filesystem: readOnlyRootFilesystem "
		"is not set to true");
	ck_assert_str_eq(found[1].kind, "Deployment");
	ck_assert_str_eq(found[1].name, "two");
}
END_TEST

START_TEST(findings_per_document)
{
	check_only("run-as-user",
		"apiVersion: v1\n"
		"kind: Pod\n"
		"spec: {containers: [{name: a, securityContext: {runAsUser: 1}}]}\n"
		"---\n"
		"apiVersion: v1\n"
		"kind: Service\n"
		"---\n"
		"apiVersion: v1\n"
		"kind: Pod\n"
		"spec: {containers: [{name: b, securityContext: {runAsUser: 0}}]}\n");
	ck_assert_uint_eq(calls, 3);
	ck_assert_uint_eq(nfound, 1);
	ck_assert_uint_eq(found[0].doc_index, 2);
	assert_pos(found[0].pos, 10, 49);
}
END_TEST

START_TEST(all_rules_off)
{
	for (size_t i = 0; i < kc_rule_count; i++) {
		ck_assert(kc_engine_set_enabled(eng, kc_rules[i].id, false));
	}
	struct t_loaded r = t_load(bare_pod, record, NULL);
	ck_assert(r.ok);
	free(r.diag);
	ck_assert_uint_eq(calls, 1);
	ck_assert_uint_eq(nfound, 0);
}
END_TEST

static void add(Suite *s, const char *name, const TTest *t)
{
	TCase *tc = tcase_create(name);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, t);
	suite_add_tcase(s, tc);
}

static Suite *rules_suite(void)
{
	Suite *s = suite_create("rules");
	add(s, "registry", registry_sorted_and_unique);
	add(s, "catalog", catalog_matches_registry);
	add(s, "severity_names", severity_names);
	add(s, "set_enabled", set_enabled_unknown_rule);
	add(s, "run_as_non_root_fires", run_as_non_root_fires);
	add(s, "run_as_non_root_clean", run_as_non_root_clean);
	add(s, "run_as_non_root_disabled", run_as_non_root_disabled);
	add(s, "run_as_non_root_inherits", run_as_non_root_inherits_pod_false);
	add(s, "run_as_non_root_pod_false", run_as_non_root_pod_false_overridden);
	add(s, "run_as_non_root_container_false", run_as_non_root_container_false);
	add(s, "run_as_user_fires", run_as_user_fires);
	add(s, "run_as_user_clean", run_as_user_clean);
	add(s, "run_as_user_disabled", run_as_user_disabled);
	add(s, "run_as_user_inherits", run_as_user_inherits_pod_zero);
	add(s, "run_as_user_pod_zero", run_as_user_pod_zero_overridden);
	add(s, "capabilities_drop_all_fires", capabilities_drop_all_fires);
	add(s, "capabilities_drop_all_clean", capabilities_drop_all_clean);
	add(s, "capabilities_drop_all_disabled", capabilities_drop_all_disabled);
	add(s, "capabilities_drop_all_wrong_case", capabilities_drop_all_wrong_case);
	add(s, "capabilities_drop_all_existing", capabilities_drop_all_existing_context);
	add(s, "read_only_root_fs_fires", read_only_root_filesystem_fires);
	add(s, "read_only_root_fs_clean", read_only_root_filesystem_clean);
	add(s, "read_only_root_fs_disabled", read_only_root_filesystem_disabled);
	add(s, "read_only_root_fs_fixes", read_only_root_filesystem_fixes);
	add(s, "sorted", findings_sorted_by_line_column_rule);
	add(s, "list_items", findings_across_list_items);
	add(s, "per_document", findings_per_document);
	add(s, "all_rules_off", all_rules_off);
	return s;
}

int main(void)
{
	return t_run(rules_suite());
}
