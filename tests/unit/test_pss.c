/*
 * Pod Security Standards: every check on both sides of each version
 * boundary, the edge cases of the PSA reference (one test each), exact
 * messages, aggregation, policies and the per-version check counts.
 */
#include <stdlib.h>
#include <string.h>

#include "k8scheck/pss.h"
#include "support.h"

static struct kc_arena *arena;

static void setup(void)
{
	arena = kc_arena_create();
}

static void teardown(void)
{
	kc_arena_destroy(arena);
}

/* ---- harness --------------------------------------------------------------- */

#define T_MAX 32

/* What one check (or the whole evaluation) said, copied out of the document. */
struct t_res {
	bool allowed;
	const char *full;                /* "reason (detail)" or the evaluation, or NULL */
	const char *reason;
	const char *detail;
	unsigned count;
	const char *text[T_MAX];
	const char *path[T_MAX];
	const char *container[T_MAX];
	bool missing[T_MAX];
	enum kc_pss_mode mode;
	const char *message;             /* kc_pss_message() when denied */
};

struct t_ctx {
	struct kc_pss_policy policy;
	int check;                       /* -1: kc_pss_evaluate() */
	unsigned docs;
	struct t_res res;
};

static const char *keep(const char *s)
{
	return s ? kc_arena_strdup(arena, s) : NULL;
}

static void on_doc(void *p, const struct kc_loaded_doc *doc)
{
	struct t_ctx *x = p;
	x->docs++;
	ck_assert_uint_eq(doc->workload_count, 1);
	const struct kc_workload *w = &doc->workloads[0];
	struct t_res *r = &x->res;
	r->mode = kc_pss_mode_for(w);
	if (x->check < 0) {
		const char *m = kc_pss_evaluate(&x->policy, w, doc->arena);
		r->allowed = m == NULL;
		r->full = keep(m);
		r->message = m ? keep(kc_pss_message(&x->policy, w, m, doc->arena)) : NULL;
		return;
	}
	struct kc_pss_result out;
	kc_pss_run_check((enum kc_pss_check)x->check, &x->policy, w, doc->arena, &out);
	r->allowed = out.allowed;
	r->reason = keep(out.reason);
	r->detail = keep(out.detail);
	if (!out.allowed) {
		r->full = out.detail[0] ? kc_arena_printf(arena, "%s (%s)", out.reason,
			out.detail) : keep(out.reason);
	}
	ck_assert_uint_le(out.count, T_MAX);
	r->count = out.count;
	for (unsigned i = 0; i < out.count; i++) {
		char buf[512];
		kc_path_format(doc->root, &out.violations[i].path, buf, sizeof(buf));
		r->path[i] = keep(buf);
		r->text[i] = keep(out.violations[i].text);
		r->container[i] = keep(out.violations[i].container);
		r->missing[i] = out.violations[i].missing;
	}
}

static struct t_res load(const char *policy, int check, const char *yaml)
{
	struct t_ctx x = { .check = check };
	ck_assert_msg(kc_pss_parse(policy, &x.policy), "bad policy %s", policy);
	struct t_loaded l = t_load(yaml, on_doc, &x);
	ck_assert_msg(l.ok, "load failed: %s", l.diag ? l.diag : "");
	free(l.diag);
	ck_assert_uint_eq(x.docs, 1);
	return x.res;
}

/* The evaluation of yaml under policy: NULL if allowed. */
static const char *eval(const char *policy, const char *yaml)
{
	return load(policy, -1, yaml).full;
}

/* One check under policy; asserts it runs there. */
static struct t_res check(const char *policy, enum kc_pss_check c, const char *yaml)
{
	struct kc_pss_policy p;
	ck_assert(kc_pss_parse(policy, &p));
	ck_assert_msg(kc_pss_check_runs(c, &p), "%s does not run under %s",
		kc_pss_check_info(c)->psa_id, policy);
	return load(policy, (int)c, yaml);
}

static void str_is(const char *got, const char *want)
{
	if (want == NULL) {
		ck_assert_msg(got == NULL, "expected allowed, got: %s", got);
		return;
	}
	ck_assert_msg(got != NULL, "expected denied with: %s", want);
	ck_assert_str_eq(got, want);
}

/* Evaluation of yaml under policy must be want (NULL: allowed). */
#define EVAL_IS(policy, yaml, want) str_is(eval(policy, yaml), want)

/* Check c alone under policy must say want (NULL: allowed). */
#define CHECK_IS(policy, c, yaml, want) str_is(check(policy, c, yaml).full, want)

static bool runs(enum kc_pss_check c, const char *policy)
{
	struct kc_pss_policy p;
	ck_assert(kc_pss_parse(policy, &p));
	return kc_pss_check_runs(c, &p);
}

/* ---- manifests ------------------------------------------------------------- */

#define HDR "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n"
#define HDR_ANN(ann) HDR "  annotations:\n" ann

/* A plain container (baseline-clean). */
#define B_C(name) "  - name: " name "\n    image: x\n"

/* Restricted-clean pieces: pod securityContext (extra keys at 4 spaces may
 * follow) and a container (extra securityContext keys at 6 spaces may
 * follow). */
#define R_POD_SC "  securityContext:\n    runAsNonRoot: true\n" \
	"    seccompProfile:\n      type: RuntimeDefault\n"
#define R_C(name) "  - name: " name "\n    image: x\n    securityContext:\n" \
	"      allowPrivilegeEscalation: false\n      capabilities:\n        drop: [\"ALL\"]\n"

/* A restricted-clean pod with one container "a" and its extras. */
#define R_POD(podsc, csc) HDR "spec:\n" R_POD_SC podsc "  containers:\n" R_C("a") csc

/* A baseline-clean pod with one container "a" with securityContext csc. */
#define B_POD(csc) HDR "spec:\n  containers:\n" B_C("a") "    securityContext:\n" csc

/* ---- policies -------------------------------------------------------------- */

START_TEST(parse_accepts)
{
	struct kc_pss_policy p;
	char buf[64];
	ck_assert(kc_pss_parse("restricted", &p));
	ck_assert_int_eq(p.level, KC_PSS_LEVEL_RESTRICTED);
	ck_assert(p.latest);
	ck_assert_uint_eq(p.minor, 37);
	ck_assert_str_eq(kc_pss_policy_name(&p, buf, sizeof(buf)), "restricted:latest");

	ck_assert(kc_pss_parse("baseline:latest", &p));
	ck_assert_int_eq(p.level, KC_PSS_LEVEL_BASELINE);
	ck_assert(p.latest);
	ck_assert_uint_eq(p.minor, 37);
	ck_assert_str_eq(kc_pss_policy_name(&p, buf, sizeof(buf)), "baseline:latest");

	ck_assert(kc_pss_parse("restricted:v1.30", &p));
	ck_assert(!p.latest);
	ck_assert_uint_eq(p.requested_minor, 30);
	ck_assert_uint_eq(p.minor, 30);
	ck_assert_str_eq(kc_pss_policy_name(&p, buf, sizeof(buf)), "restricted:v1.30");

	ck_assert(kc_pss_parse("baseline:v1.0", &p));
	ck_assert_uint_eq(p.minor, 0);
	ck_assert_str_eq(kc_pss_policy_name(&p, buf, sizeof(buf)), "baseline:v1.0");

	ck_assert(kc_pss_parse("privileged:v1.25", &p));
	ck_assert_int_eq(p.level, KC_PSS_LEVEL_PRIVILEGED);
	ck_assert_uint_eq(p.minor, 25);

	ck_assert(kc_pss_parse("baseline:v1.37", &p));
	ck_assert_uint_eq(p.minor, 37);
	ck_assert(kc_pss_parse("baseline:v1.999", &p));
	ck_assert_uint_eq(p.requested_minor, 999);
	ck_assert_uint_eq(p.minor, 37);
	ck_assert_str_eq(kc_pss_policy_name(&p, buf, sizeof(buf)), "baseline:v1.999");
	ck_assert(kc_pss_parse("baseline:v1.4294967295", &p));
	ck_assert_uint_eq(p.requested_minor, 4294967295u);
	ck_assert_uint_eq(p.minor, 37);
}
END_TEST

START_TEST(parse_rejects)
{
	static const char *const bad[] = {
		"", "v1.25", "Restricted", "RESTRICTED", "restricted:", "restricted:v1.05",
		"restricted:1.25", "restricted:v2.0", "restricted:V1.2", "restricted:v1.",
		"restricted:v1", "restricted:v1.2.3", "restricted:v1.-1", "restricted:v1.+1",
		"restricted:v1. 2", "restricted:Latest", "restricted:latest ", " restricted",
		"restricted:v1.2:latest", "admin", "admin:latest", "restricted:v1.4294967296",
		"restricted:v1.00",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct kc_pss_policy p = { .level = KC_PSS_LEVEL_BASELINE, .minor = 99 };
		ck_assert_msg(!kc_pss_parse(bad[i], &p), "accepted '%s'", bad[i]);
		ck_assert_uint_eq(p.minor, 99);       /* untouched */
	}
	struct kc_pss_policy p;
	ck_assert(!kc_pss_parse(NULL, &p));
}
END_TEST

START_TEST(latest_and_future_resolve_to_37)
{
	struct kc_pss_policy p;
	char buf[64];
	ck_assert(kc_pss_parse("restricted:v1.99", &p));
	ck_assert(!p.latest);
	ck_assert_uint_eq(p.requested_minor, 99);
	ck_assert_uint_eq(p.minor, KC_PSS_MAX_MINOR);
	ck_assert_str_eq(kc_pss_policy_name(&p, buf, sizeof(buf)), "restricted:v1.99");
	ck_assert(kc_pss_parse("restricted:v1.38", &p));
	ck_assert_uint_eq(p.minor, 37);
	ck_assert(kc_pss_parse("restricted:latest", &p));
	ck_assert_uint_eq(p.minor, 37);
	/* a small buffer truncates */
	ck_assert_str_eq(kc_pss_policy_name(&p, buf, 5), "rest");
}
END_TEST

START_TEST(level_names)
{
	ck_assert_str_eq(kc_pss_level_name(KC_PSS_LEVEL_PRIVILEGED), "privileged");
	ck_assert_str_eq(kc_pss_level_name(KC_PSS_LEVEL_BASELINE), "baseline");
	ck_assert_str_eq(kc_pss_level_name(KC_PSS_LEVEL_RESTRICTED), "restricted");
}
END_TEST

/* ---- registry -------------------------------------------------------------- */

START_TEST(check_table)
{
	static const struct {
		const char *psa;
		const char *rule;
		enum kc_pss_level level;
		unsigned first;
	} want[KC_PSS__COUNT] = {
		{ "appArmorProfile", "apparmor-profile", KC_PSS_LEVEL_BASELINE, 0 },
		{ "capabilities_baseline", "capabilities-baseline", KC_PSS_LEVEL_BASELINE, 0 },
		{ "hostNamespaces", "host-namespaces", KC_PSS_LEVEL_BASELINE, 0 },
		{ "hostPathVolumes", "host-path-volumes", KC_PSS_LEVEL_BASELINE, 0 },
		{ "hostPorts", "host-ports", KC_PSS_LEVEL_BASELINE, 0 },
		{ "hostProbesAndHostLifecycle", "host-probes-and-lifecycle",
			KC_PSS_LEVEL_BASELINE, 34 },
		{ "privileged", "privileged", KC_PSS_LEVEL_BASELINE, 0 },
		{ "procMount", "proc-mount", KC_PSS_LEVEL_BASELINE, 0 },
		{ "seLinuxOptions", "selinux-options", KC_PSS_LEVEL_BASELINE, 0 },
		{ "seccompProfile_baseline", "seccomp-profile-baseline", KC_PSS_LEVEL_BASELINE, 0 },
		{ "sysctls", "sysctls", KC_PSS_LEVEL_BASELINE, 0 },
		{ "windowsHostProcess", "windows-host-process", KC_PSS_LEVEL_BASELINE, 0 },
		{ "allowPrivilegeEscalation", "allow-privilege-escalation",
			KC_PSS_LEVEL_RESTRICTED, 8 },
		{ "capabilities_restricted", "capabilities-restricted", KC_PSS_LEVEL_RESTRICTED, 22 },
		{ "procMount_restricted", "proc-mount-restricted", KC_PSS_LEVEL_RESTRICTED, 35 },
		{ "restrictedVolumes", "restricted-volumes", KC_PSS_LEVEL_RESTRICTED, 0 },
		{ "runAsNonRoot", "run-as-non-root", KC_PSS_LEVEL_RESTRICTED, 0 },
		{ "runAsUser", "run-as-user", KC_PSS_LEVEL_RESTRICTED, 23 },
		{ "seccompProfile_restricted", "seccomp-profile-restricted",
			KC_PSS_LEVEL_RESTRICTED, 19 },
	};
	for (int c = 0; c < KC_PSS__COUNT; c++) {
		const struct kc_pss_check_info *ci = kc_pss_check_info((enum kc_pss_check)c);
		ck_assert_ptr_nonnull(ci);
		ck_assert_str_eq(ci->psa_id, want[c].psa);
		ck_assert_str_eq(ci->rule_id, want[c].rule);
		ck_assert_int_eq(ci->level, want[c].level);
		ck_assert_uint_eq(ci->first_minor, want[c].first);
		ck_assert_ptr_nonnull(ci->versions);
		ck_assert_uint_gt(strlen(ci->versions), 0);
		enum kc_pss_check back = KC_PSS__COUNT;
		ck_assert(kc_pss_check_by_rule(want[c].rule, &back));
		ck_assert_int_eq(back, c);
	}
	ck_assert_ptr_null(kc_pss_check_info(KC_PSS__COUNT));
	enum kc_pss_check out = KC_PSS_SYSCTLS;
	ck_assert(!kc_pss_check_by_rule("capabilities_baseline", &out));
	ck_assert(!kc_pss_check_by_rule("", &out));
	ck_assert(!kc_pss_check_by_rule(NULL, &out));
	ck_assert_int_eq(out, KC_PSS_SYSCTLS);
}
END_TEST

/* Evaluation order: baseline IDs byte-wise, then restricted IDs byte-wise. */
START_TEST(check_order_is_bytewise)
{
	for (int c = 1; c < KC_PSS__COUNT; c++) {
		const struct kc_pss_check_info *a = kc_pss_check_info((enum kc_pss_check)(c - 1));
		const struct kc_pss_check_info *b = kc_pss_check_info((enum kc_pss_check)c);
		if (a->level == b->level) {
			ck_assert_int_lt(strcmp(a->psa_id, b->psa_id), 0);
		} else {
			ck_assert_int_lt(a->level, b->level);
		}
	}
}
END_TEST

static unsigned count_runs(const char *policy)
{
	struct kc_pss_policy p;
	ck_assert(kc_pss_parse(policy, &p));
	unsigned n = 0;
	for (int c = 0; c < KC_PSS__COUNT; c++) {
		n += kc_pss_check_runs((enum kc_pss_check)c, &p);
	}
	return n;
}

/* Spec §4: the number of checks that run, for every version and level. */
START_TEST(counts_per_version)
{
	for (unsigned v = 0; v <= 40; v++) {
		char b[32], r[32], pv[32];
		snprintf(b, sizeof(b), "baseline:v1.%u", v);
		snprintf(r, sizeof(r), "restricted:v1.%u", v);
		snprintf(pv, sizeof(pv), "privileged:v1.%u", v);
		unsigned want_b = v >= 34 ? 12 : 11;
		unsigned want_r = v >= 34 ? 15 : v >= 23 ? 14 : v >= 8 ? 13 : 12;
		ck_assert_msg(count_runs(b) == want_b, "%s: %u", b, count_runs(b));
		ck_assert_msg(count_runs(r) == want_r, "%s: %u", r, count_runs(r));
		ck_assert_uint_eq(count_runs(pv), 0);
	}
	ck_assert_uint_eq(count_runs("baseline:v1.0"), 11);
	ck_assert_uint_eq(count_runs("restricted:v1.0"), 12);
	ck_assert_uint_eq(count_runs("restricted:v1.34"), 15);
	ck_assert_uint_eq(count_runs("baseline"), 12);
	ck_assert_uint_eq(count_runs("restricted"), 15);
	ck_assert_uint_eq(count_runs("privileged"), 0);
}
END_TEST

START_TEST(overrides)
{
	/* restrictedVolumes always replaces hostPathVolumes in restricted. */
	ck_assert(!runs(KC_PSS_HOST_PATH_VOLUMES, "restricted:v1.0"));
	ck_assert(!runs(KC_PSS_HOST_PATH_VOLUMES, "restricted"));
	ck_assert(runs(KC_PSS_HOST_PATH_VOLUMES, "baseline:v1.0"));
	ck_assert(runs(KC_PSS_HOST_PATH_VOLUMES, "baseline"));
	ck_assert(!runs(KC_PSS_RESTRICTED_VOLUMES, "baseline"));
	/* seccomp */
	ck_assert(runs(KC_PSS_SECCOMP_PROFILE_BASELINE, "restricted:v1.18"));
	ck_assert(!runs(KC_PSS_SECCOMP_PROFILE_RESTRICTED, "restricted:v1.18"));
	ck_assert(!runs(KC_PSS_SECCOMP_PROFILE_BASELINE, "restricted:v1.19"));
	ck_assert(runs(KC_PSS_SECCOMP_PROFILE_RESTRICTED, "restricted:v1.19"));
	ck_assert(runs(KC_PSS_SECCOMP_PROFILE_BASELINE, "baseline:v1.19"));
	/* capabilities */
	ck_assert(runs(KC_PSS_CAPABILITIES_BASELINE, "restricted:v1.21"));
	ck_assert(!runs(KC_PSS_CAPABILITIES_RESTRICTED, "restricted:v1.21"));
	ck_assert(!runs(KC_PSS_CAPABILITIES_BASELINE, "restricted:v1.22"));
	ck_assert(runs(KC_PSS_CAPABILITIES_RESTRICTED, "restricted:v1.22"));
	ck_assert(runs(KC_PSS_CAPABILITIES_BASELINE, "baseline:latest"));
	/* procMount */
	ck_assert(runs(KC_PSS_PROC_MOUNT, "restricted:v1.34"));
	ck_assert(!runs(KC_PSS_PROC_MOUNT_RESTRICTED, "restricted:v1.34"));
	ck_assert(!runs(KC_PSS_PROC_MOUNT, "restricted:v1.35"));
	ck_assert(runs(KC_PSS_PROC_MOUNT_RESTRICTED, "restricted:v1.35"));
	ck_assert(runs(KC_PSS_PROC_MOUNT, "baseline:v1.35"));
	/* first versions */
	ck_assert(!runs(KC_PSS_ALLOW_PRIVILEGE_ESCALATION, "restricted:v1.7"));
	ck_assert(runs(KC_PSS_ALLOW_PRIVILEGE_ESCALATION, "restricted:v1.8"));
	ck_assert(!runs(KC_PSS_RUN_AS_USER, "restricted:v1.22"));
	ck_assert(runs(KC_PSS_RUN_AS_USER, "restricted:v1.23"));
	ck_assert(!runs(KC_PSS_HOST_PROBES_AND_LIFECYCLE, "baseline:v1.33"));
	ck_assert(runs(KC_PSS_HOST_PROBES_AND_LIFECYCLE, "baseline:v1.34"));
	ck_assert(runs(KC_PSS_HOST_PROBES_AND_LIFECYCLE, "restricted:v1.34"));
	/* privileged runs nothing, not even with a violating pod */
	for (int c = 0; c < KC_PSS__COUNT; c++) {
		ck_assert(!runs((enum kc_pss_check)c, "privileged:v1.0"));
		ck_assert(!runs((enum kc_pss_check)c, "privileged"));
	}
}
END_TEST

START_TEST(privileged_allows_everything)
{
	const char *y = HDR "spec:\n  hostNetwork: true\n  containers:\n" B_C("a")
		"    securityContext:\n      privileged: true\n";
	EVAL_IS("privileged", y, NULL);
	EVAL_IS("privileged:v1.0", y, NULL);
	EVAL_IS("baseline", y, "host namespaces (hostNetwork=true), privileged (container \"a\" "
		"must not set securityContext.privileged=true)");
}
END_TEST

START_TEST(run_check_before_first_version_allows)
{
	/* Run on its own, a check that does not exist yet allows. */
	struct t_res r = load("restricted:v1.7", KC_PSS_ALLOW_PRIVILEGE_ESCALATION,
		HDR "spec:\n  containers:\n" B_C("a"));
	ck_assert(r.allowed);
	ck_assert_uint_eq(r.count, 0);
	ck_assert_ptr_null(r.reason);
	/* An overridden check can be run on its own. */
	r = load("restricted", KC_PSS_HOST_PATH_VOLUMES,
		HDR "spec:\n  volumes:\n  - name: v\n    hostPath:\n      path: /\n"
		"  containers:\n" B_C("a"));
	ck_assert(!r.allowed);
	str_is(r.full, "hostPath volumes (volume \"v\")");
}
END_TEST

/* ---- appArmorProfile ------------------------------------------------------- */

START_TEST(apparmor_fields)
{
	const char *pod = HDR "spec:\n  securityContext:\n    appArmorProfile:\n"
		"      type: Unconfined\n  containers:\n" B_C("a");
	const char *want = "forbidden AppArmor profile (pod must not set AppArmor profile "
		"type to \"Unconfined\")";
	EVAL_IS("baseline:v1.0", pod, want);
	EVAL_IS("baseline", pod, want);
	CHECK_IS("restricted:v1.0", KC_PSS_APPARMOR_PROFILE, pod, want);
	CHECK_IS("restricted", KC_PSS_APPARMOR_PROFILE, pod, want);
	EVAL_IS("baseline", B_POD("      appArmorProfile:\n        type: RuntimeDefault\n"), NULL);
	EVAL_IS("baseline", B_POD("      appArmorProfile:\n        type: Localhost\n"
		"        localhostProfile: x\n"), NULL);
	EVAL_IS("baseline:v1.0", B_POD("      appArmorProfile:\n        type: unconfined\n"),
		"forbidden AppArmor profile (container \"a\" must not set AppArmor profile type "
		"to \"unconfined\")");
	EVAL_IS("baseline", B_POD("      appArmorProfile: {}\n"),
		"forbidden AppArmor profile (container \"a\" must not set AppArmor profile type "
		"to \"\")");
}
END_TEST

START_TEST(apparmor_pod_and_container_independent)
{
	/* A good container value does not cure a bad pod value... */
	EVAL_IS("baseline", HDR "spec:\n  securityContext:\n    appArmorProfile:\n"
		"      type: Unconfined\n  containers:\n" B_C("a")
		"    securityContext:\n      appArmorProfile:\n        type: RuntimeDefault\n",
		"forbidden AppArmor profile (pod must not set AppArmor profile type to "
		"\"Unconfined\")");
	/* ...nor the reverse. */
	EVAL_IS("baseline", HDR "spec:\n  securityContext:\n    appArmorProfile:\n"
		"      type: RuntimeDefault\n  containers:\n" B_C("a")
		"    securityContext:\n      appArmorProfile:\n        type: Unconfined\n",
		"forbidden AppArmor profile (container \"a\" must not set AppArmor profile type "
		"to \"Unconfined\")");
}
END_TEST

START_TEST(apparmor_everything)
{
	const char *y = HDR_ANN(
		"    container.apparmor.security.beta.kubernetes.io/a: unconfined\n"
		"    container.apparmor.security.beta.kubernetes.io/zz: runtime/default\n"
		"    container.apparmor.security.beta.kubernetes.io/b: 'x\"y'\n"
		"    container.apparmor.security.beta.kubernetes.io/c: localhost/prof\n"
		"    other/a: unconfined\n")
		"spec:\n  securityContext:\n    appArmorProfile:\n      type: Unconfined\n"
		"  initContainers:\n" B_C("i")
		"    securityContext:\n      appArmorProfile:\n        type: Unconfined\n"
		"  containers:\n" B_C("a")
		"    securityContext:\n      appArmorProfile:\n        type: RuntimeDefault\n"
		"  ephemeralContainers:\n" B_C("e")
		"    securityContext:\n      appArmorProfile:\n        type: bogus\n";
	struct t_res r = check("baseline", KC_PSS_APPARMOR_PROFILE, y);
	str_is(r.full, "forbidden AppArmor profiles (pod and containers \"i\", \"e\" and "
		"annotations must not set AppArmor profile type to \"Unconfined\", \"bogus\", "
		"\"container.apparmor.security.beta.kubernetes.io/a=\"unconfined\"\", "
		"\"container.apparmor.security.beta.kubernetes.io/b=\"x\\\"y\"\")");
	ck_assert_str_eq(r.reason, "forbidden AppArmor profiles");
	ck_assert_uint_eq(r.count, 5);
	ck_assert_str_eq(r.text[0], "forbidden AppArmor profile (pod must not set AppArmor "
		"profile type to \"Unconfined\")");
	ck_assert_str_eq(r.path[0], "spec.securityContext.appArmorProfile.type");
	ck_assert_ptr_null(r.container[0]);
	ck_assert_str_eq(r.text[1], "forbidden AppArmor profile (container \"i\" must not set "
		"AppArmor profile type to \"Unconfined\")");
	ck_assert_str_eq(r.path[1], "spec.initContainers[i].securityContext.appArmorProfile.type");
	ck_assert_str_eq(r.container[1], "i");
	ck_assert_str_eq(r.path[2],
		"spec.ephemeralContainers[e].securityContext.appArmorProfile.type");
	ck_assert_str_eq(r.text[3], "forbidden AppArmor profile (annotation must not set "
		"AppArmor profile type to "
		"\"container.apparmor.security.beta.kubernetes.io/a=\"unconfined\"\")");
	ck_assert_str_eq(r.path[3],
		"metadata.annotations[\"container.apparmor.security.beta.kubernetes.io/a\"]");
	ck_assert_ptr_null(r.container[3]);
	ck_assert(!r.missing[3]);
}
END_TEST

START_TEST(apparmor_singular_reason_for_one_value)
{
	/* Two setters with one distinct bad type: the reason is singular. */
	EVAL_IS("baseline", HDR "spec:\n  securityContext:\n    appArmorProfile:\n"
		"      type: Unconfined\n  containers:\n" B_C("a")
		"    securityContext:\n      appArmorProfile:\n        type: Unconfined\n"
		B_C("b") "    securityContext:\n      appArmorProfile:\n        type: Unconfined\n",
		"forbidden AppArmor profile (pod and containers \"a\", \"b\" must not set "
		"AppArmor profile type to \"Unconfined\")");
}
END_TEST

START_TEST(apparmor_annotations)
{
	/* The bare prefix counts; the suffix is not matched to a container. */
	EVAL_IS("baseline", HDR_ANN("    container.apparmor.security.beta.kubernetes.io/: x\n")
		"spec:\n  containers:\n" B_C("a"),
		"forbidden AppArmor profile (annotation must not set AppArmor profile type to "
		"\"container.apparmor.security.beta.kubernetes.io/=\"x\"\")");
	/* Allowed values; a null value reads as "". */
	EVAL_IS("baseline", HDR_ANN(
		"    container.apparmor.security.beta.kubernetes.io/a: runtime/default\n"
		"    container.apparmor.security.beta.kubernetes.io/b: localhost/\n"
		"    container.apparmor.security.beta.kubernetes.io/c: ''\n"
		"    container.apparmor.security.beta.kubernetes.io/d:\n"
		"    container.apparmor.security.beta.kubernetes.io/e: localhost/x/y\n")
		"spec:\n  containers:\n" B_C("a"), NULL);
	/* Case matters; sorted; Go %q escapes control characters. */
	EVAL_IS("baseline:v1.0", HDR_ANN(
		"    container.apparmor.security.beta.kubernetes.io/z: Runtime/Default\n"
		"    container.apparmor.security.beta.kubernetes.io/m: \"a\\tb\\\\c\\x01\\u00e9\"\n"
		"    container.apparmor.security.beta.kubernetes.io/b: Localhost/x\n")
		"spec:\n  containers:\n" B_C("a"),
		"forbidden AppArmor profiles (annotations must not set AppArmor profile type to "
		"\"container.apparmor.security.beta.kubernetes.io/b=\"Localhost/x\"\", "
		"\"container.apparmor.security.beta.kubernetes.io/m=\"a\\tb\\\\c\\x01\u00e9\"\", "
		"\"container.apparmor.security.beta.kubernetes.io/z=\"Runtime/Default\"\")");
}
END_TEST

START_TEST(go_quote_escapes)
{
	/* Go's %q: \a \b \f \n \r \v, \xNN for other controls and DEL, \u for
	 * non-printable runes such as NBSP and U+2028, printable UTF-8 as is. */
	EVAL_IS("baseline", HDR_ANN(
		"    container.apparmor.security.beta.kubernetes.io/q: "
		"\"\\a\\b\\f\\n\\r\\v\\x7f\\x1b\\u00a0\\u2028\\u4e16\\U0001F600\\ufeff\"\n")
		"spec:\n  containers:\n" B_C("a"),
		"forbidden AppArmor profile (annotation must not set AppArmor profile type to "
		"\"container.apparmor.security.beta.kubernetes.io/q="
		"\"\\a\\b\\f\\n\\r\\v\\x7f\\x1b\\u00a0\\u2028\u4e16\U0001F600\\ufeff\"\")");
}
END_TEST

/* ---- capabilities_baseline ------------------------------------------------- */

START_TEST(capabilities_baseline_all_lists)
{
	const char *y = HDR "spec:\n  initContainers:\n" B_C("i")
		"    securityContext:\n      capabilities:\n        add: [SYS_ADMIN, CHOWN]\n"
		"  containers:\n" B_C("a")
		"    securityContext:\n      capabilities:\n        add: [NET_RAW, SYS_ADMIN]\n"
		B_C("ok")
		"    securityContext:\n      capabilities:\n        add: [AUDIT_WRITE, CHOWN, "
		"DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, "
		"SETPCAP, SETUID, SYS_CHROOT]\n        drop: [ALL]\n"
		"  ephemeralContainers:\n" B_C("e")
		"    securityContext:\n      capabilities:\n        add: [ALL]\n";
	const char *want = "non-default capabilities (containers \"i\", \"a\", \"e\" must not "
		"include \"ALL\", \"NET_RAW\", \"SYS_ADMIN\" in securityContext.capabilities.add)";
	EVAL_IS("baseline:v1.0", y, want);
	EVAL_IS("baseline", y, want);
	struct t_res r = check("baseline", KC_PSS_CAPABILITIES_BASELINE, y);
	ck_assert_uint_eq(r.count, 4);
	ck_assert_str_eq(r.text[0], "non-default capabilities (container \"i\" must not "
		"include \"SYS_ADMIN\" in securityContext.capabilities.add)");
	ck_assert_str_eq(r.path[0], "spec.initContainers[i].securityContext.capabilities.add[0]");
	ck_assert_str_eq(r.path[2], "spec.containers[a].securityContext.capabilities.add[1]");
	ck_assert_str_eq(r.container[3], "e");
	/* In restricted only up to v1.21 */
	CHECK_IS("restricted:v1.21", KC_PSS_CAPABILITIES_BASELINE, y, want);
	ck_assert(!runs(KC_PSS_CAPABILITIES_BASELINE, "restricted:v1.22"));
}
END_TEST

START_TEST(capabilities_baseline_boundary_in_restricted)
{
	const char *y = R_POD("", "        add: [NET_RAW]\n");
	EVAL_IS("restricted:v1.21", y, "non-default capabilities (container \"a\" must not "
		"include \"NET_RAW\" in securityContext.capabilities.add)");
	EVAL_IS("restricted:v1.22", y, "unrestricted capabilities (container \"a\" must not "
		"include \"NET_RAW\" in securityContext.capabilities.add)");
	EVAL_IS("baseline:v1.22", y, "non-default capabilities (container \"a\" must not "
		"include \"NET_RAW\" in securityContext.capabilities.add)");
	/* drop is ignored by baseline; an empty add is fine */
	EVAL_IS("baseline", B_POD("      capabilities:\n        add: []\n        drop: [x]\n"),
		NULL);
	EVAL_IS("baseline", B_POD("      capabilities:\n        add: [\"\"]\n"),
		"non-default capabilities (container \"a\" must not include \"\" in "
		"securityContext.capabilities.add)");
}
END_TEST

/* ---- hostNamespaces -------------------------------------------------------- */

START_TEST(host_namespaces)
{
	const char *all = HDR "spec:\n  hostIPC: true\n  hostPID: true\n  hostNetwork: true\n"
		"  hostUsers: true\n  containers:\n" B_C("a");
	const char *want = "host namespaces (hostNetwork=true, hostPID=true, hostIPC=true)";
	EVAL_IS("baseline:v1.0", all, want);
	EVAL_IS("baseline", all, want);
	CHECK_IS("restricted", KC_PSS_HOST_NAMESPACES, all, want);
	struct t_res r = check("baseline", KC_PSS_HOST_NAMESPACES, all);
	ck_assert_uint_eq(r.count, 3);
	ck_assert_str_eq(r.text[0], "host namespaces (hostNetwork=true)");
	ck_assert_str_eq(r.path[0], "spec.hostNetwork");
	ck_assert_str_eq(r.path[1], "spec.hostPID");
	ck_assert_str_eq(r.text[2], "host namespaces (hostIPC=true)");
	ck_assert_str_eq(r.path[2], "spec.hostIPC");
	EVAL_IS("baseline", HDR "spec:\n  hostPID: true\n  containers:\n" B_C("a"),
		"host namespaces (hostPID=true)");
	EVAL_IS("baseline", HDR "spec:\n  hostNetwork: false\n  hostPID: false\n"
		"  hostIPC: false\n  hostUsers: true\n  containers:\n" B_C("a"), NULL);
}
END_TEST

/* ---- hostPathVolumes ------------------------------------------------------- */

START_TEST(host_path_volumes)
{
	const char *y = HDR "spec:\n  volumes:\n  - name: a\n    hostPath:\n      path: /etc\n"
		"  - name: b\n    emptyDir: {}\n  - name: c\n    hostPath: {}\n"
		"  containers:\n" B_C("a");
	EVAL_IS("baseline:v1.0", y, "hostPath volumes (volumes \"a\", \"c\")");
	EVAL_IS("baseline", y, "hostPath volumes (volumes \"a\", \"c\")");
	struct t_res r = check("baseline", KC_PSS_HOST_PATH_VOLUMES, y);
	ck_assert_uint_eq(r.count, 2);
	ck_assert_str_eq(r.text[1], "hostPath volumes (volume \"c\")");
	ck_assert_str_eq(r.path[1], "spec.volumes[c].hostPath");
	/* restricted reports it through restrictedVolumes */
	EVAL_IS("restricted:v1.0", HDR "spec:\n" R_POD_SC
		"  volumes:\n  - name: a\n    hostPath:\n      path: /etc\n"
		"  containers:\n" R_C("a"),
		"restricted volume types (volume \"a\" uses restricted volume type \"hostPath\")");
}
END_TEST

/* ---- hostPorts ------------------------------------------------------------- */

START_TEST(host_ports)
{
	const char *y = HDR "spec:\n  containers:\n" B_C("a")
		"    ports:\n    - containerPort: 80\n    - containerPort: 81\n      hostPort: 0\n"
		B_C("b") "    ports:\n    - containerPort: 80\n      hostPort: 20\n"
		B_C("c") "    ports:\n    - hostPort: 30\n    - hostPort: 10\n    - hostPort: 20\n";
	const char *want = "hostPort (containers \"b\", \"c\" use hostPorts 10, 20, 30)";
	EVAL_IS("baseline:v1.0", y, want);
	EVAL_IS("baseline", y, want);
	CHECK_IS("restricted", KC_PSS_HOST_PORTS, y, want);
	struct t_res r = check("baseline", KC_PSS_HOST_PORTS, y);
	ck_assert_uint_eq(r.count, 4);
	ck_assert_str_eq(r.text[0], "hostPort (container \"b\" uses hostPort 20)");
	ck_assert_str_eq(r.path[0], "spec.containers[b].ports[0].hostPort");
	ck_assert_str_eq(r.text[1], "hostPort (container \"c\" uses hostPort 30)");
	ck_assert_str_eq(r.path[2], "spec.containers[c].ports[1].hostPort");
	EVAL_IS("baseline", HDR "spec:\n  containers:\n" B_C("b")
		"    ports:\n    - hostPort: 20\n", "hostPort (container \"b\" uses hostPort 20)");
}
END_TEST

START_TEST(host_ports_sorted_as_strings)
{
	EVAL_IS("baseline", HDR "spec:\n  initContainers:\n" B_C("i")
		"    ports:\n    - hostPort: 8080\n"
		"  containers:\n" B_C("a") "    ports:\n    - hostPort: 10000\n    - hostPort: 8080\n"
		"  ephemeralContainers:\n" B_C("e") "    ports:\n    - hostPort: 9\n",
		"hostPort (containers \"i\", \"a\", \"e\" use hostPorts 10000, 8080, 9)");
	/* one container, one distinct port twice */
	EVAL_IS("baseline", HDR "spec:\n  containers:\n" B_C("a")
		"    ports:\n    - hostPort: 80\n      protocol: TCP\n    - hostPort: 80\n"
		"      protocol: UDP\n", "hostPort (container \"a\" uses hostPort 80)");
	/* negative ports are non-zero */
	EVAL_IS("baseline", HDR "spec:\n  containers:\n" B_C("a")
		"    ports:\n    - hostPort: -1\n    - hostPort: 1\n",
		"hostPort (container \"a\" uses hostPorts -1, 1)");
}
END_TEST

/* ---- hostProbesAndHostLifecycle -------------------------------------------- */

START_TEST(host_probes)
{
	const char *y = HDR "spec:\n  initContainers:\n" B_C("z")
		"    livenessProbe:\n      httpGet:\n        host: localhost\n        port: 80\n"
		"  containers:\n" B_C("a")
		"    readinessProbe:\n      tcpSocket:\n        host: 127.0.0.1\n        port: 80\n"
		"    lifecycle:\n      preStop:\n        httpGet:\n          host: localhost\n"
		"          port: 80\n"
		B_C("ok")
		"    startupProbe:\n      httpGet:\n        host: ''\n        port: 80\n"
		"        httpHeaders:\n        - name: Host\n          value: example.com\n"
		"    livenessProbe:\n      exec:\n        command: [\"true\"]\n"
		"    readinessProbe:\n      grpc:\n        port: 9\n"
		"    lifecycle:\n      postStart:\n        sleep:\n          seconds: 1\n"
		"  ephemeralContainers:\n" B_C("a")
		"    lifecycle:\n      postStart:\n        tcpSocket:\n          host: ::1\n"
		"          port: 80\n";
	const char *want = "probe or lifecycle host (containers \"a\", \"z\" use probe or "
		"lifecycle hosts \"127.0.0.1\", \"::1\", \"localhost\")";
	EVAL_IS("baseline:v1.33", y, NULL);
	EVAL_IS("baseline:v1.34", y, want);
	EVAL_IS("baseline", y, want);
	ck_assert(!runs(KC_PSS_HOST_PROBES_AND_LIFECYCLE, "restricted:v1.33"));
	CHECK_IS("restricted:v1.34", KC_PSS_HOST_PROBES_AND_LIFECYCLE, y, want);
	struct t_res r = check("baseline", KC_PSS_HOST_PROBES_AND_LIFECYCLE, y);
	ck_assert_uint_eq(r.count, 4);
	ck_assert_str_eq(r.text[0], "probe or lifecycle host (container \"z\" uses probe or "
		"lifecycle host \"localhost\")");
	ck_assert_str_eq(r.path[0], "spec.initContainers[z].livenessProbe.httpGet.host");
	ck_assert_str_eq(r.path[1], "spec.containers[a].readinessProbe.tcpSocket.host");
	ck_assert_str_eq(r.path[2], "spec.containers[a].lifecycle.preStop.httpGet.host");
	ck_assert_str_eq(r.path[3],
		"spec.ephemeralContainers[a].lifecycle.postStart.tcpSocket.host");
	/* one container, one host */
	EVAL_IS("baseline", HDR "spec:\n  containers:\n" B_C("a")
		"    startupProbe:\n      httpGet:\n        host: example.com\n        port: 80\n",
		"probe or lifecycle host (container \"a\" uses probe or lifecycle host "
		"\"example.com\")");
}
END_TEST

/* ---- privileged ------------------------------------------------------------ */

START_TEST(privileged)
{
	const char *y = HDR "spec:\n  initContainers:\n" B_C("i")
		"    securityContext:\n      privileged: true\n"
		"  containers:\n" B_C("a") "    securityContext:\n      privileged: false\n"
		B_C("b") "    securityContext: {}\n"
		"  ephemeralContainers:\n" B_C("e") "    securityContext:\n      privileged: true\n";
	const char *want = "privileged (containers \"i\", \"e\" must not set "
		"securityContext.privileged=true)";
	EVAL_IS("baseline:v1.0", y, want);
	EVAL_IS("baseline", y, want);
	CHECK_IS("restricted:v1.0", KC_PSS_PRIVILEGED, y, want);
	CHECK_IS("restricted", KC_PSS_PRIVILEGED, y, want);
	struct t_res r = check("baseline", KC_PSS_PRIVILEGED, y);
	ck_assert_uint_eq(r.count, 2);
	ck_assert_str_eq(r.text[1], "privileged (container \"e\" must not set "
		"securityContext.privileged=true)");
	ck_assert_str_eq(r.path[1], "spec.ephemeralContainers[e].securityContext.privileged");
	ck_assert_str_eq(r.container[1], "e");
	ck_assert(!r.missing[1]);
}
END_TEST

START_TEST(privileged_names_not_deduplicated)
{
	/* Names follow visiting order with no sorting or de-duplication. */
	EVAL_IS("baseline", HDR "spec:\n  initContainers:\n" B_C("b")
		"    securityContext:\n      privileged: true\n"
		"  containers:\n" B_C("b") "    securityContext:\n      privileged: true\n"
		B_C("a") "    securityContext:\n      privileged: true\n",
		"privileged (containers \"b\", \"b\", \"a\" must not set "
		"securityContext.privileged=true)");
	/* A nameless container is named "" */
	EVAL_IS("baseline", HDR "spec:\n  containers:\n  - image: x\n"
		"    securityContext:\n      privileged: true\n",
		"privileged (container \"\" must not set securityContext.privileged=true)");
}
END_TEST

/* ---- procMount ------------------------------------------------------------- */

START_TEST(proc_mount_values)
{
	const char *y = HDR "spec:\n  initContainers:\n" B_C("a")
		"    securityContext:\n      procMount: Unmasked\n"
		"  containers:\n" B_C("b") "    securityContext:\n      procMount: ''\n"
		B_C("ok") "    securityContext:\n      procMount: Default\n"
		"  ephemeralContainers:\n" B_C("c") "    securityContext:\n      procMount: Unmasked\n";
	const char *want = "procMount (containers \"a\", \"b\", \"c\" must not set "
		"securityContext.procMount to \"\", \"Unmasked\")";
	EVAL_IS("baseline:v1.0", y, want);
	EVAL_IS("baseline", y, want);
	EVAL_IS("baseline", B_POD("      procMount: default\n"),
		"procMount (container \"a\" must not set securityContext.procMount to \"default\")");
	struct t_res r = check("baseline", KC_PSS_PROC_MOUNT, y);
	ck_assert_uint_eq(r.count, 3);
	ck_assert_str_eq(r.text[1], "procMount (container \"b\" must not set "
		"securityContext.procMount to \"\")");
	ck_assert_str_eq(r.path[1], "spec.containers[b].securityContext.procMount");
}
END_TEST

START_TEST(proc_mount_user_namespaces)
{
	const char *uns = HDR "spec:\n  hostUsers: false\n  containers:\n" B_C("a")
		"    securityContext:\n      procMount: Unmasked\n";
	const char *host = HDR "spec:\n  hostUsers: true\n  containers:\n" B_C("a")
		"    securityContext:\n      procMount: Unmasked\n";
	const char *want = "procMount (container \"a\" must not set securityContext.procMount "
		"to \"Unmasked\")";
	EVAL_IS("baseline:v1.34", uns, want);
	EVAL_IS("baseline:v1.35", uns, NULL);
	EVAL_IS("baseline", uns, NULL);
	EVAL_IS("baseline:v1.35", host, want);
	EVAL_IS("baseline", B_POD("      procMount: Unmasked\n"), want);
	/* restricted: procMount up to v1.34, procMount_restricted from v1.35 */
	CHECK_IS("restricted:v1.34", KC_PSS_PROC_MOUNT, uns, want);
	CHECK_IS("restricted:v1.35", KC_PSS_PROC_MOUNT_RESTRICTED, uns, want);
	CHECK_IS("restricted", KC_PSS_PROC_MOUNT_RESTRICTED, host, want);
	CHECK_IS("restricted", KC_PSS_PROC_MOUNT_RESTRICTED,
		HDR "spec:\n  hostUsers: false\n  containers:\n" B_C("a")
		"    securityContext:\n      procMount: Default\n", NULL);
	const char *r = HDR "spec:\n  hostUsers: false\n" R_POD_SC "  containers:\n" R_C("a")
		"      procMount: Unmasked\n";
	EVAL_IS("restricted:v1.0", r, want);
	EVAL_IS("restricted:v1.34", r, want);
	EVAL_IS("restricted:v1.35", r, want);
	EVAL_IS("restricted", r, want);
}
END_TEST

/* ---- seLinuxOptions -------------------------------------------------------- */

START_TEST(selinux_types)
{
	static const char *const ok[] = { "container_t", "container_init_t", "container_kvm_t",
		"''" };
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		char *y = kc_arena_printf(arena, B_POD("      seLinuxOptions:\n        type: %s\n"),
			ok[i]);
		EVAL_IS("baseline:v1.0", y, NULL);
		EVAL_IS("baseline:v1.30", y, NULL);
		EVAL_IS("baseline", y, NULL);
	}
	const char *engine = B_POD("      seLinuxOptions:\n        type: container_engine_t\n");
	EVAL_IS("baseline:v1.0", engine, "seLinuxOptions (container \"a\" set forbidden "
		"securityContext.seLinuxOptions: type \"container_engine_t\")");
	EVAL_IS("baseline:v1.30", engine, "seLinuxOptions (container \"a\" set forbidden "
		"securityContext.seLinuxOptions: type \"container_engine_t\")");
	EVAL_IS("baseline:v1.31", engine, NULL);
	EVAL_IS("baseline", engine, NULL);
	EVAL_IS("restricted:v1.30", R_POD("", "      seLinuxOptions:\n"
		"        type: container_engine_t\n"), "seLinuxOptions (container \"a\" set "
		"forbidden securityContext.seLinuxOptions: type \"container_engine_t\")");
	EVAL_IS("restricted:v1.31", R_POD("", "      seLinuxOptions:\n"
		"        type: container_engine_t\n"), NULL);
	/* level is never checked; case matters for type */
	EVAL_IS("baseline", B_POD("      seLinuxOptions:\n        level: s0:c123,c456\n"), NULL);
	EVAL_IS("baseline", B_POD("      seLinuxOptions:\n        type: Container_t\n"),
		"seLinuxOptions (container \"a\" set forbidden securityContext.seLinuxOptions: "
		"type \"Container_t\")");
}
END_TEST

START_TEST(selinux_combined)
{
	const char *y = HDR "spec:\n  securityContext:\n    seLinuxOptions:\n      type: foo\n"
		"      user: u\n  initContainers:\n" B_C("a")
		"    securityContext:\n      seLinuxOptions:\n        role: r\n        user: ''\n"
		"  containers:\n" B_C("ok")
		"    securityContext:\n      seLinuxOptions:\n        type: container_t\n"
		"  ephemeralContainers:\n" B_C("b")
		"    securityContext:\n      seLinuxOptions:\n        type: bar\n        role: ''\n";
	const char *want = "seLinuxOptions (pod and containers \"a\", \"b\" set forbidden "
		"securityContext.seLinuxOptions: types \"bar\", \"foo\"; user may not be set; "
		"role may not be set)";
	EVAL_IS("baseline", y, want);
	CHECK_IS("restricted:v1.0", KC_PSS_SELINUX_OPTIONS, y, want);
	struct t_res r = check("baseline", KC_PSS_SELINUX_OPTIONS, y);
	ck_assert_uint_eq(r.count, 4);
	ck_assert_str_eq(r.text[0], "seLinuxOptions (pod set forbidden "
		"securityContext.seLinuxOptions: type \"foo\")");
	ck_assert_str_eq(r.path[0], "spec.securityContext.seLinuxOptions.type");
	ck_assert_str_eq(r.text[1], "seLinuxOptions (pod set forbidden "
		"securityContext.seLinuxOptions: user may not be set)");
	ck_assert_str_eq(r.path[1], "spec.securityContext.seLinuxOptions.user");
	ck_assert_str_eq(r.text[2], "seLinuxOptions (container \"a\" set forbidden "
		"securityContext.seLinuxOptions: role may not be set)");
	ck_assert_str_eq(r.path[2], "spec.initContainers[a].securityContext.seLinuxOptions.role");
	ck_assert_str_eq(r.path[3], "spec.ephemeralContainers[b].securityContext.seLinuxOptions.type");
	/* the example of the reference */
	EVAL_IS("baseline", HDR "spec:\n  securityContext:\n    seLinuxOptions:\n      type: foo\n"
		"      user: x\n  containers:\n" B_C("a"),
		"seLinuxOptions (pod set forbidden securityContext.seLinuxOptions: type \"foo\"; "
		"user may not be set)");
}
END_TEST

/* ---- seccompProfile_baseline ----------------------------------------------- */

START_TEST(seccomp_baseline_annotations)
{
	const char *y = HDR_ANN(
		"    seccomp.security.alpha.kubernetes.io/pod: unconfined\n"
		"    container.seccomp.security.alpha.kubernetes.io/b: bad\n"
		"    container.seccomp.security.alpha.kubernetes.io/a: ''\n"
		"    container.seccomp.security.alpha.kubernetes.io/e: docker/default\n"
		"    container.seccomp.security.alpha.kubernetes.io/i: localhost/x\n"
		"    container.seccomp.security.alpha.kubernetes.io/ghost: unconfined\n")
		"spec:\n  securityContext:\n    seccompProfile:\n      type: Unconfined\n"
		"  initContainers:\n" B_C("i") "  containers:\n" B_C("a") B_C("b")
		"  ephemeralContainers:\n" B_C("e");
	const char *want = "seccompProfile (forbidden annotations "
		"container.seccomp.security.alpha.kubernetes.io/a=\"\", "
		"container.seccomp.security.alpha.kubernetes.io/b=\"bad\", "
		"seccomp.security.alpha.kubernetes.io/pod=\"unconfined\")";
	EVAL_IS("baseline:v1.0", y, want);
	EVAL_IS("baseline:v1.18", y, want);
	/* v1.19: the field is read and the annotations are ignored */
	EVAL_IS("baseline:v1.19", y, "seccompProfile (pod must not set "
		"securityContext.seccompProfile.type to \"Unconfined\")");
	struct t_res r = check("baseline:v1.18", KC_PSS_SECCOMP_PROFILE_BASELINE, y);
	ck_assert_uint_eq(r.count, 3);
	ck_assert_str_eq(r.text[0], "seccompProfile (forbidden annotation "
		"seccomp.security.alpha.kubernetes.io/pod=\"unconfined\")");
	ck_assert_str_eq(r.path[0],
		"metadata.annotations[\"seccomp.security.alpha.kubernetes.io/pod\"]");
	ck_assert_str_eq(r.text[1], "seccompProfile (forbidden annotation "
		"container.seccomp.security.alpha.kubernetes.io/a=\"\")");
	ck_assert_str_eq(r.path[2],
		"metadata.annotations[\"container.seccomp.security.alpha.kubernetes.io/b\"]");
	/* allowed values */
	EVAL_IS("baseline:v1.18", HDR_ANN(
		"    seccomp.security.alpha.kubernetes.io/pod: runtime/default\n"
		"    container.seccomp.security.alpha.kubernetes.io/a: localhost/\n")
		"spec:\n  containers:\n" B_C("a"), NULL);
	EVAL_IS("baseline:v1.18", HDR_ANN(
		"    seccomp.security.alpha.kubernetes.io/pod: docker/default\n")
		"spec:\n  containers:\n" B_C("a"), NULL);
	/* a null annotation value reads as "", which is forbidden */
	EVAL_IS("baseline:v1.18", HDR_ANN("    seccomp.security.alpha.kubernetes.io/pod:\n")
		"spec:\n  containers:\n" B_C("a"), "seccompProfile (forbidden annotation "
		"seccomp.security.alpha.kubernetes.io/pod=\"\")");
}
END_TEST

START_TEST(seccomp_baseline_fields)
{
	const char *y = HDR "spec:\n  securityContext:\n    seccompProfile:\n"
		"      type: Unconfined\n  initContainers:\n" B_C("i")
		"    securityContext:\n      seccompProfile:\n        type: RuntimeDefault\n"
		"  containers:\n" B_C("a")
		"    securityContext:\n      seccompProfile:\n        type: Localhost\n"
		"        localhostProfile: x\n" B_C("b")
		"  ephemeralContainers:\n" B_C("e")
		"    securityContext:\n      seccompProfile:\n        type: Unconfined\n"
		B_C("f") "    securityContext:\n      seccompProfile:\n        type: runtimedefault\n";
	EVAL_IS("baseline:v1.18", y, NULL);
	const char *want = "seccompProfile (pod and containers \"e\", \"f\" must not set "
		"securityContext.seccompProfile.type to \"Unconfined\", \"runtimedefault\")";
	EVAL_IS("baseline:v1.19", y, want);
	EVAL_IS("baseline", y, want);
	struct t_res r = check("baseline", KC_PSS_SECCOMP_PROFILE_BASELINE, y);
	ck_assert_uint_eq(r.count, 3);
	ck_assert_str_eq(r.text[1], "seccompProfile (container \"e\" must not set "
		"securityContext.seccompProfile.type to \"Unconfined\")");
	ck_assert_str_eq(r.path[1],
		"spec.ephemeralContainers[e].securityContext.seccompProfile.type");
	/* baseline does not require seccomp */
	EVAL_IS("baseline", HDR "spec:\n  containers:\n" B_C("a"), NULL);
}
END_TEST

/* ---- sysctls --------------------------------------------------------------- */

START_TEST(sysctls_lists)
{
	const char *y = HDR "spec:\n  securityContext:\n    sysctls:\n"
		"    - name: net/ipv4/ip_local_port_range\n      value: 1 2\n"
		"    - name: kernel.shm_rmid_forced\n      value: '0'\n"
		"    - name: kernel.msgmax\n      value: '1'\n"
		"    - name: kernel.msgmax\n      value: '2'\n"
		"  containers:\n" B_C("a");
	const char *want = "forbidden sysctls (net/ipv4/ip_local_port_range, kernel.msgmax, "
		"kernel.msgmax)";
	EVAL_IS("baseline:v1.0", y, want);
	EVAL_IS("baseline", y, want);
	CHECK_IS("restricted", KC_PSS_SYSCTLS, y, want);
	struct t_res r = check("baseline", KC_PSS_SYSCTLS, y);
	ck_assert_uint_eq(r.count, 3);
	ck_assert_str_eq(r.text[1], "forbidden sysctls (kernel.msgmax)");
	/* sequence items render by their name */
	ck_assert_str_eq(r.path[0],
		"spec.securityContext.sysctls[net/ipv4/ip_local_port_range].name");
	ck_assert_str_eq(r.path[1], "spec.securityContext.sysctls[kernel.msgmax].name");
	ck_assert_ptr_null(r.container[0]);
	/* all five v1.0 names */
	EVAL_IS("baseline:v1.0", HDR "spec:\n  securityContext:\n    sysctls:\n"
		"    - name: kernel.shm_rmid_forced\n    - name: net.ipv4.ip_local_port_range\n"
		"    - name: net.ipv4.tcp_syncookies\n    - name: net.ipv4.ping_group_range\n"
		"    - name: net.ipv4.ip_unprivileged_port_start\n"
		"  containers:\n" B_C("a"), NULL);
	/* An empty name is forbidden, and an empty detail leaves no parentheses. */
	EVAL_IS("baseline", HDR "spec:\n  securityContext:\n    sysctls:\n    - name: ''\n"
		"  containers:\n" B_C("a"), "forbidden sysctls");
}
END_TEST

/* ---- windowsHostProcess ---------------------------------------------------- */

START_TEST(windows_host_process)
{
	const char *y = HDR "spec:\n  securityContext:\n    windowsOptions:\n"
		"      hostProcess: true\n  initContainers:\n" B_C("i")
		"    securityContext:\n      windowsOptions:\n        hostProcess: true\n"
		"  containers:\n" B_C("a")
		"    securityContext:\n      windowsOptions:\n        hostProcess: false\n"
		B_C("b") "    securityContext:\n      windowsOptions:\n        hostProcess: true\n"
		"  ephemeralContainers:\n" B_C("e")
		"    securityContext:\n      windowsOptions:\n        hostProcess: true\n";
	const char *want = "hostProcess (pod and containers \"i\", \"b\", \"e\" must not set "
		"securityContext.windowsOptions.hostProcess=true)";
	EVAL_IS("baseline:v1.0", y, want);
	EVAL_IS("baseline", y, want);
	CHECK_IS("restricted", KC_PSS_WINDOWS_HOST_PROCESS, y, want);
	struct t_res r = check("baseline", KC_PSS_WINDOWS_HOST_PROCESS, y);
	ck_assert_uint_eq(r.count, 4);
	ck_assert_str_eq(r.text[0], "hostProcess (pod must not set "
		"securityContext.windowsOptions.hostProcess=true)");
	ck_assert_str_eq(r.path[0], "spec.securityContext.windowsOptions.hostProcess");
	ck_assert_str_eq(r.text[1], "hostProcess (container \"i\" must not set "
		"securityContext.windowsOptions.hostProcess=true)");
	ck_assert_str_eq(r.path[2], "spec.containers[b].securityContext.windowsOptions.hostProcess");
	ck_assert_str_eq(r.path[3],
		"spec.ephemeralContainers[e].securityContext.windowsOptions.hostProcess");
	EVAL_IS("baseline", HDR "spec:\n  os:\n    name: windows\n  containers:\n" B_C("a")
		"    securityContext:\n      windowsOptions:\n        hostProcess: true\n",
		"hostProcess (container \"a\" must not set "
		"securityContext.windowsOptions.hostProcess=true)");
}
END_TEST

/* ---- allowPrivilegeEscalation ---------------------------------------------- */

START_TEST(allow_privilege_escalation)
{
	const char *y = HDR "spec:\n" R_POD_SC "  initContainers:\n  - name: i\n    image: x\n"
		"    securityContext:\n      capabilities:\n        drop: [ALL]\n"
		"  containers:\n" R_C("a")
		"  ephemeralContainers:\n  - name: e\n    image: x\n    securityContext:\n"
		"      allowPrivilegeEscalation: true\n      capabilities:\n        drop: [ALL]\n";
	const char *want = "allowPrivilegeEscalation != false (containers \"i\", \"e\" must "
		"set securityContext.allowPrivilegeEscalation=false)";
	EVAL_IS("restricted:v1.7", y, NULL);
	EVAL_IS("restricted:v1.8", y, want);
	EVAL_IS("restricted:v1.24", y, want);
	EVAL_IS("restricted:v1.25", y, want);
	EVAL_IS("restricted", y, want);
	EVAL_IS("baseline", y, NULL);
	struct t_res r = check("restricted", KC_PSS_ALLOW_PRIVILEGE_ESCALATION, y);
	ck_assert_uint_eq(r.count, 2);
	ck_assert_str_eq(r.text[0], "allowPrivilegeEscalation != false (container \"i\" must "
		"set securityContext.allowPrivilegeEscalation=false)");
	ck_assert_str_eq(r.path[0],
		"spec.initContainers[i].securityContext.allowPrivilegeEscalation");
	ck_assert(r.missing[0]);
	ck_assert_str_eq(r.path[1],
		"spec.ephemeralContainers[e].securityContext.allowPrivilegeEscalation");
	ck_assert(!r.missing[1]);
}
END_TEST

START_TEST(allow_privilege_escalation_windows)
{
	const char *win = HDR "spec:\n  os:\n    name: windows\n" R_POD_SC
		"  containers:\n  - name: a\n    image: x\n";
	const char *want = "allowPrivilegeEscalation != false (container \"a\" must set "
		"securityContext.allowPrivilegeEscalation=false)";
	CHECK_IS("restricted:v1.24", KC_PSS_ALLOW_PRIVILEGE_ESCALATION, win, want);
	CHECK_IS("restricted:v1.25", KC_PSS_ALLOW_PRIVILEGE_ESCALATION, win, NULL);
	CHECK_IS("restricted", KC_PSS_ALLOW_PRIVILEGE_ESCALATION, win, NULL);
	const char *cap = HDR "spec:\n  os:\n    name: Windows\n" R_POD_SC
		"  containers:\n  - name: a\n    image: x\n";
	CHECK_IS("restricted", KC_PSS_ALLOW_PRIVILEGE_ESCALATION, cap, want);
	const char *linux_os = HDR "spec:\n  os:\n    name: linux\n" R_POD_SC
		"  containers:\n  - name: a\n    image: x\n";
	CHECK_IS("restricted", KC_PSS_ALLOW_PRIVILEGE_ESCALATION, linux_os, want);
}
END_TEST

/* ---- capabilities_restricted ----------------------------------------------- */

START_TEST(capabilities_restricted)
{
	const char *y = HDR "spec:\n" R_POD_SC "  initContainers:\n  - name: i\n    image: x\n"
		"    securityContext:\n      allowPrivilegeEscalation: false\n"
		"  containers:\n" R_C("a") "        add: [SYS_ADMIN, NET_BIND_SERVICE, CHOWN]\n"
		R_C("b") "        add: [NET_BIND_SERVICE]\n"
		"  ephemeralContainers:\n  - name: e\n    image: x\n    securityContext:\n"
		"      allowPrivilegeEscalation: false\n      capabilities:\n"
		"        drop: [all, All, NET_RAW]\n";
	const char *want = "unrestricted capabilities (containers \"i\", \"e\" must set "
		"securityContext.capabilities.drop=[\"ALL\"]; container \"a\" must not include "
		"\"CHOWN\", \"SYS_ADMIN\" in securityContext.capabilities.add)";
	EVAL_IS("restricted:v1.21", y, "non-default capabilities (container \"a\" must not "
		"include \"SYS_ADMIN\" in securityContext.capabilities.add)");
	EVAL_IS("restricted:v1.22", y, want);
	EVAL_IS("restricted", y, want);
	struct t_res r = check("restricted", KC_PSS_CAPABILITIES_RESTRICTED, y);
	ck_assert_uint_eq(r.count, 4);
	ck_assert_str_eq(r.text[0], "unrestricted capabilities (container \"i\" must set "
		"securityContext.capabilities.drop=[\"ALL\"])");
	ck_assert_str_eq(r.path[0], "spec.initContainers[i].securityContext.capabilities.drop");
	ck_assert(r.missing[0]);
	ck_assert_str_eq(r.text[1], "unrestricted capabilities (container \"a\" must not "
		"include \"SYS_ADMIN\" in securityContext.capabilities.add)");
	ck_assert_str_eq(r.path[1], "spec.containers[a].securityContext.capabilities.add[0]");
	ck_assert_str_eq(r.path[2], "spec.containers[a].securityContext.capabilities.add[2]");
	ck_assert_str_eq(r.path[3],
		"spec.ephemeralContainers[e].securityContext.capabilities.drop");
	ck_assert(!r.missing[3]);
	/* only the add part */
	EVAL_IS("restricted", R_POD("", "        add: [CHOWN]\n"), "unrestricted "
		"capabilities (container \"a\" must not include \"CHOWN\" in "
		"securityContext.capabilities.add)");
}
END_TEST

START_TEST(capabilities_restricted_windows)
{
	const char *y = HDR "spec:\n  os:\n    name: windows\n" R_POD_SC "  containers:\n"
		"  - name: a\n    image: x\n    securityContext:\n"
		"      allowPrivilegeEscalation: false\n      capabilities:\n        add: [SYS_ADMIN]\n";
	const char *want = "unrestricted capabilities (container \"a\" must set "
		"securityContext.capabilities.drop=[\"ALL\"]; container \"a\" must not include "
		"\"SYS_ADMIN\" in securityContext.capabilities.add)";
	EVAL_IS("restricted:v1.24", y, want);
	EVAL_IS("restricted:v1.25", y, NULL);
	EVAL_IS("restricted", y, NULL);
	EVAL_IS("baseline", y, "non-default capabilities (container \"a\" must not include "
		"\"SYS_ADMIN\" in securityContext.capabilities.add)");
}
END_TEST

/* ---- restrictedVolumes ----------------------------------------------------- */

START_TEST(restricted_volumes)
{
	const char *y = HDR "spec:\n" R_POD_SC "  volumes:\n"
		"  - name: cm\n    configMap:\n      name: x\n"
		"  - name: hp\n    hostPath:\n      path: /\n"
		"  - name: nf\n    nfs:\n      server: s\n      path: /\n"
		"  - name: none\n"
		"  - name: ga\n    awsElasticBlockStore:\n      volumeID: x\n"
		"    gcePersistentDisk:\n      pdName: x\n"
		"  - name: mixed\n    hostPath:\n      path: /\n    secret:\n      secretName: s\n"
		"  - name: img\n    image:\n      reference: x\n"
		"  - name: all\n    csi:\n      driver: d\n"
		"  - name: d\n    downwardAPI: {}\n  - name: ed\n    emptyDir: {}\n"
		"  - name: eph\n    ephemeral: {}\n  - name: pvc\n    persistentVolumeClaim:\n"
		"      claimName: c\n  - name: pr\n    projected: {}\n"
		"  containers:\n" R_C("a");
	/* "none" has no source: the API server defaults it to emptyDir. */
	const char *want = "restricted volume types (volumes \"hp\", \"nf\", \"ga\" "
		"use restricted volume types \"gcePersistentDisk\", \"hostPath\", \"nfs\")";
	EVAL_IS("restricted:v1.0", y, want);
	EVAL_IS("restricted", y, want);
	struct t_res r = check("restricted", KC_PSS_RESTRICTED_VOLUMES, y);
	ck_assert_uint_eq(r.count, 3);
	ck_assert_str_eq(r.text[0], "restricted volume types (volume \"hp\" uses restricted "
		"volume type \"hostPath\")");
	ck_assert_str_eq(r.path[0], "spec.volumes[hp].hostPath");
	ck_assert_str_eq(r.path[1], "spec.volumes[nf].nfs");
	ck_assert_str_eq(r.text[2], "restricted volume types (volume \"ga\" uses restricted "
		"volume type \"gcePersistentDisk\")");
	ck_assert_str_eq(r.path[2], "spec.volumes[ga].gcePersistentDisk");
	/* baseline only minds hostPath */
	EVAL_IS("baseline", y, "hostPath volumes (volumes \"hp\", \"mixed\")");
}
END_TEST

START_TEST(restricted_volume_types_in_order)
{
	static const char *const types[] = { "gitRepo", "iscsi", "glusterfs", "rbd",
		"flexVolume", "cinder", "cephfs", "flocker", "fc", "azureFile", "vsphereVolume",
		"quobyte", "azureDisk", "photonPersistentDisk", "portworxVolume", "scaleIO",
		"storageos" };
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		char *y = kc_arena_printf(arena, HDR "spec:\n" R_POD_SC
			"  volumes:\n  - name: v\n    %s: {}\n  containers:\n" R_C("a"), types[i]);
		char *want = kc_arena_printf(arena, "restricted volume types (volume \"v\" uses "
			"restricted volume type \"%s\")", types[i]);
		EVAL_IS("restricted", y, want);
	}
	/* two sources of one volume: the first in the PSA's order wins */
	EVAL_IS("restricted", HDR "spec:\n" R_POD_SC "  volumes:\n  - name: v\n"
		"    storageos: {}\n    azureDisk: {}\n    cinder: {}\n  containers:\n" R_C("a"),
		"restricted volume types (volume \"v\" uses restricted volume type \"cinder\")");
	EVAL_IS("restricted", HDR "spec:\n" R_POD_SC "  volumes:\n  - name: a\n    nfs: {}\n"
		"  - name: b\n    nfs: {}\n  containers:\n" R_C("a"),
		"restricted volume types (volumes \"a\", \"b\" use restricted volume type \"nfs\")");
}
END_TEST

/* ---- runAsNonRoot ---------------------------------------------------------- */

START_TEST(run_as_non_root_setters)
{
	const char *y = HDR "spec:\n  securityContext:\n    runAsNonRoot: false\n"
		"  initContainers:\n" B_C("i") "    securityContext:\n      runAsNonRoot: true\n"
		"  containers:\n" B_C("a") B_C("b") "    securityContext:\n      runAsNonRoot: false\n";
	const char *want = "runAsNonRoot != true (pod and container \"b\" must not set "
		"securityContext.runAsNonRoot=false)";
	CHECK_IS("restricted:v1.0", KC_PSS_RUN_AS_NON_ROOT, y, want);
	CHECK_IS("restricted", KC_PSS_RUN_AS_NON_ROOT, y, want);
	struct t_res r = check("restricted", KC_PSS_RUN_AS_NON_ROOT, y);
	/* the implicit offender "a" is not reported while explicit ones exist */
	ck_assert_uint_eq(r.count, 2);
	ck_assert_str_eq(r.text[0], "runAsNonRoot != true (pod must not set "
		"securityContext.runAsNonRoot=false)");
	ck_assert_str_eq(r.path[0], "spec.securityContext.runAsNonRoot");
	ck_assert_str_eq(r.path[1], "spec.containers[b].securityContext.runAsNonRoot");
	/* implicit: several containers */
	r = check("restricted", KC_PSS_RUN_AS_NON_ROOT, HDR "spec:\n  initContainers:\n"
		B_C("i") "  containers:\n" B_C("a") "    securityContext:\n      runAsNonRoot: true\n"
		B_C("b") "    securityContext: {}\n");
	str_is(r.full, "runAsNonRoot != true (pod or containers \"i\", \"b\" must set "
		"securityContext.runAsNonRoot=true)");
	ck_assert_uint_eq(r.count, 2);
	ck_assert_str_eq(r.text[1], "runAsNonRoot != true (pod or container \"b\" must set "
		"securityContext.runAsNonRoot=true)");
	ck_assert_str_eq(r.path[1], "spec.containers[b].securityContext.runAsNonRoot");
	ck_assert(r.missing[1]);
	ck_assert_str_eq(r.container[1], "b");
	/* a pod without containers has no implicit offenders */
	CHECK_IS("restricted", KC_PSS_RUN_AS_NON_ROOT, HDR "spec:\n  containers: []\n", NULL);
}
END_TEST

START_TEST(run_as_non_root_user_namespaces)
{
	const char *y = HDR "spec:\n  hostUsers: false\n  securityContext:\n"
		"    runAsNonRoot: false\n  containers:\n" B_C("a");
	const char *want = "runAsNonRoot != true (pod must not set "
		"securityContext.runAsNonRoot=false)";
	CHECK_IS("restricted:v1.0", KC_PSS_RUN_AS_NON_ROOT, y, want);
	CHECK_IS("restricted:v1.34", KC_PSS_RUN_AS_NON_ROOT, y, want);
	CHECK_IS("restricted:v1.35", KC_PSS_RUN_AS_NON_ROOT, y, NULL);
	CHECK_IS("restricted", KC_PSS_RUN_AS_NON_ROOT, y, NULL);
	const char *host = HDR "spec:\n  hostUsers: true\n  securityContext:\n"
		"    runAsNonRoot: false\n  containers:\n" B_C("a");
	CHECK_IS("restricted", KC_PSS_RUN_AS_NON_ROOT, host, want);
}
END_TEST

/* ---- runAsUser ------------------------------------------------------------- */

START_TEST(run_as_user)
{
	const char *y = HDR "spec:\n" R_POD_SC "    runAsUser: 0\n"
		"  initContainers:\n" R_C("i") "      runAsUser: -5\n"
		"  containers:\n" R_C("a") "      runAsUser: 0\n"
		"  ephemeralContainers:\n" R_C("e") "      runAsUser: 0\n";
	const char *want = "runAsUser=0 (pod and containers \"a\", \"e\" must not set runAsUser=0)";
	EVAL_IS("restricted:v1.22", y, NULL);
	EVAL_IS("restricted:v1.23", y, want);
	EVAL_IS("restricted:v1.34", y, want);
	EVAL_IS("restricted", y, want);
	EVAL_IS("baseline", y, NULL);
	struct t_res r = check("restricted", KC_PSS_RUN_AS_USER, y);
	ck_assert_uint_eq(r.count, 3);
	ck_assert_str_eq(r.text[0], "runAsUser=0 (pod must not set runAsUser=0)");
	ck_assert_str_eq(r.path[0], "spec.securityContext.runAsUser");
	ck_assert_str_eq(r.text[1], "runAsUser=0 (container \"a\" must not set runAsUser=0)");
	ck_assert_str_eq(r.path[2], "spec.ephemeralContainers[e].securityContext.runAsUser");
	/* runAsGroup, fsGroup and supplementalGroups are never checked */
	EVAL_IS("restricted", HDR "spec:\n" R_POD_SC "    runAsGroup: 0\n    fsGroup: 0\n"
		"    supplementalGroups: [0]\n  containers:\n" R_C("a") "      runAsGroup: 0\n", NULL);
}
END_TEST

START_TEST(run_as_user_user_namespaces)
{
	const char *y = HDR "spec:\n  hostUsers: false\n" R_POD_SC "  containers:\n" R_C("a")
		"      runAsUser: 0\n";
	const char *want = "runAsUser=0 (container \"a\" must not set runAsUser=0)";
	EVAL_IS("restricted:v1.34", y, want);
	EVAL_IS("restricted:v1.35", y, NULL);
	EVAL_IS("restricted", y, NULL);
}
END_TEST

/* ---- seccompProfile_restricted --------------------------------------------- */

START_TEST(seccomp_restricted)
{
	const char *unset = HDR "spec:\n  securityContext:\n    runAsNonRoot: true\n"
		"  initContainers:\n" R_C("i") "  containers:\n" R_C("a")
		"      seccompProfile:\n        type: RuntimeDefault\n"
		"  ephemeralContainers:\n" R_C("e");
	const char *want = "seccompProfile (pod or containers \"i\", \"e\" must set "
		"securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")";
	EVAL_IS("restricted:v1.18", unset, NULL);
	EVAL_IS("restricted:v1.19", unset, want);
	EVAL_IS("restricted", unset, want);
	EVAL_IS("baseline", unset, NULL);
	struct t_res r = check("restricted", KC_PSS_SECCOMP_PROFILE_RESTRICTED, unset);
	ck_assert_uint_eq(r.count, 2);
	ck_assert_str_eq(r.text[1], "seccompProfile (pod or container \"e\" must set "
		"securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")");
	ck_assert_str_eq(r.path[1], "spec.ephemeralContainers[e].securityContext.seccompProfile.type");
	ck_assert(r.missing[1]);
	/* explicit: a bad container value even with a valid pod value */
	const char *bad = R_POD("", "      seccompProfile:\n        type: Unconfined\n");
	EVAL_IS("restricted", bad, "seccompProfile (container \"a\" must not set "
		"securityContext.seccompProfile.type to \"Unconfined\")");
	/* an invalid pod value does not count as set; implicit ones go unmentioned */
	const char *pod_bad = HDR "spec:\n  securityContext:\n    runAsNonRoot: true\n"
		"    seccompProfile:\n      type: unconfined\n  containers:\n" R_C("a");
	r = check("restricted", KC_PSS_SECCOMP_PROFILE_RESTRICTED, pod_bad);
	str_is(r.full, "seccompProfile (pod must not set securityContext.seccompProfile.type "
		"to \"unconfined\")");
	ck_assert_uint_eq(r.count, 1);
	ck_assert_str_eq(r.path[0], "spec.securityContext.seccompProfile.type");
}
END_TEST

START_TEST(seccomp_restricted_windows)
{
	const char *y = HDR "spec:\n  os:\n    name: windows\n  securityContext:\n"
		"    runAsNonRoot: true\n  containers:\n" R_C("a");
	const char *want = "seccompProfile (pod or container \"a\" must set "
		"securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")";
	EVAL_IS("restricted:v1.24", y, want);
	EVAL_IS("restricted:v1.25", y, NULL);
	EVAL_IS("restricted", y, NULL);
}
END_TEST

/* ---- the edge cases of the reference (§6), one each ------------------------ */

START_TEST(edge01_pod_non_root_covers_containers)
{
	CHECK_IS("restricted", KC_PSS_RUN_AS_NON_ROOT, HDR "spec:\n  securityContext:\n"
		"    runAsNonRoot: true\n  initContainers:\n" B_C("i") "  containers:\n" B_C("a")
		"  ephemeralContainers:\n" B_C("e"), NULL);
	EVAL_IS("restricted", R_POD("", ""), NULL);
}
END_TEST

START_TEST(edge02_container_false_beats_pod_true)
{
	EVAL_IS("restricted", R_POD("", "") B_C("c") "    securityContext:\n"
		"      allowPrivilegeEscalation: false\n      runAsNonRoot: false\n"
		"      capabilities:\n        drop: [ALL]\n",
		"runAsNonRoot != true (container \"c\" must not set securityContext.runAsNonRoot=false)");
}
END_TEST

START_TEST(edge03_pod_false_beats_containers_true)
{
	EVAL_IS("restricted", HDR "spec:\n  securityContext:\n    runAsNonRoot: false\n"
		"    seccompProfile:\n      type: RuntimeDefault\n  containers:\n" R_C("a")
		"      runAsNonRoot: true\n" R_C("b") "      runAsNonRoot: true\n",
		"runAsNonRoot != true (pod must not set securityContext.runAsNonRoot=false)");
}
END_TEST

START_TEST(edge04_ephemeral_container_implicit)
{
	EVAL_IS("restricted", HDR "spec:\n  securityContext:\n    seccompProfile:\n"
		"      type: RuntimeDefault\n  initContainers:\n" R_C("i") "      runAsNonRoot: true\n"
		"  containers:\n" R_C("a") "      runAsNonRoot: true\n"
		"  ephemeralContainers:\n  - name: dbg\n    image: x\n",
		"allowPrivilegeEscalation != false (container \"dbg\" must set "
		"securityContext.allowPrivilegeEscalation=false), unrestricted capabilities "
		"(container \"dbg\" must set securityContext.capabilities.drop=[\"ALL\"]), "
		"runAsNonRoot != true (pod or container \"dbg\" must set "
		"securityContext.runAsNonRoot=true)");
}
END_TEST

START_TEST(edge05_run_as_user_is_not_non_root)
{
	const char *y = HDR "spec:\n  securityContext:\n    runAsUser: 1000\n"
		"    seccompProfile:\n      type: RuntimeDefault\n  containers:\n" R_C("a")
		"      runAsUser: 1000\n";
	EVAL_IS("restricted", y, "runAsNonRoot != true (pod or container \"a\" must set "
		"securityContext.runAsNonRoot=true)");
	EVAL_IS("restricted:v1.0", y, "runAsNonRoot != true (pod or container \"a\" must set "
		"securityContext.runAsNonRoot=true)");
}
END_TEST

START_TEST(edge06_pod_run_as_user_zero)
{
	const char *y = HDR "spec:\n" R_POD_SC "    runAsUser: 0\n  containers:\n" R_C("a")
		"      runAsUser: 1000\n";
	EVAL_IS("restricted:v1.22", y, NULL);
	EVAL_IS("restricted:v1.23", y, "runAsUser=0 (pod must not set runAsUser=0)");
	EVAL_IS("restricted", y, "runAsUser=0 (pod must not set runAsUser=0)");
	const char *uns = HDR "spec:\n  hostUsers: false\n" R_POD_SC "    runAsUser: 0\n"
		"  containers:\n" R_C("a") "      runAsUser: 1000\n";
	EVAL_IS("restricted:v1.34", uns, "runAsUser=0 (pod must not set runAsUser=0)");
	EVAL_IS("restricted:v1.35", uns, NULL);
	EVAL_IS("restricted", uns, NULL);
}
END_TEST

START_TEST(edge07_non_root_with_user_zero)
{
	const char *y = R_POD("    runAsUser: 0\n", "");
	EVAL_IS("restricted", y, "runAsUser=0 (pod must not set runAsUser=0)");
	EVAL_IS("restricted:v1.23", y, "runAsUser=0 (pod must not set runAsUser=0)");
	EVAL_IS("restricted:v1.22", y, NULL);
	CHECK_IS("restricted", KC_PSS_RUN_AS_NON_ROOT, y, NULL);
}
END_TEST

START_TEST(edge08_host_users_false)
{
	const char *y = HDR "spec:\n  hostUsers: false\n  securityContext:\n"
		"    runAsUser: 0\n    seccompProfile:\n      type: RuntimeDefault\n"
		"  containers:\n" R_C("a") "      procMount: Unmasked\n";
	const char *pm = "procMount (container \"a\" must not set securityContext.procMount "
		"to \"Unmasked\")";
	EVAL_IS("restricted:v1.35", y, pm);
	EVAL_IS("restricted", y, pm);
	EVAL_IS("baseline:v1.35", y, NULL);
	EVAL_IS("baseline", y, NULL);
	/* below v1.35 hostUsers: false changes nothing */
	EVAL_IS("baseline:v1.34", y, pm);
	EVAL_IS("restricted:v1.34", y, "procMount (container \"a\" must not set "
		"securityContext.procMount to \"Unmasked\"), runAsNonRoot != true (pod or "
		"container \"a\" must set securityContext.runAsNonRoot=true), runAsUser=0 (pod "
		"must not set runAsUser=0)");
}
END_TEST

START_TEST(edge09_pod_localhost_seccomp)
{
	const char *y = HDR "spec:\n  securityContext:\n    runAsNonRoot: true\n"
		"    seccompProfile:\n      type: Localhost\n  containers:\n" R_C("a");
	EVAL_IS("restricted", y, NULL);
	EVAL_IS("restricted:v1.19", y, NULL);
	EVAL_IS("baseline", y, NULL);
}
END_TEST

START_TEST(edge10_pod_unconfined_containers_default)
{
	const char *y = HDR "spec:\n  securityContext:\n    runAsNonRoot: true\n"
		"    seccompProfile:\n      type: Unconfined\n  containers:\n" R_C("a")
		"      seccompProfile:\n        type: RuntimeDefault\n";
	const char *want = "seccompProfile (pod must not set securityContext.seccompProfile.type "
		"to \"Unconfined\")";
	EVAL_IS("baseline:v1.18", y, NULL);
	EVAL_IS("baseline:v1.19", y, want);
	EVAL_IS("baseline", y, want);
	EVAL_IS("restricted:v1.18", y, NULL);
	EVAL_IS("restricted:v1.19", y, want);
	EVAL_IS("restricted", y, want);
}
END_TEST

START_TEST(edge11_empty_strings)
{
	EVAL_IS("baseline", B_POD("      seccompProfile:\n        type: ''\n"),
		"seccompProfile (container \"a\" must not set securityContext.seccompProfile.type "
		"to \"\")");
	EVAL_IS("baseline", HDR "spec:\n  securityContext:\n    seccompProfile:\n"
		"      type: ''\n  containers:\n" B_C("a"),
		"seccompProfile (pod must not set securityContext.seccompProfile.type to \"\")");
	EVAL_IS("baseline", B_POD("      appArmorProfile:\n        type: ''\n"),
		"forbidden AppArmor profile (container \"a\" must not set AppArmor profile type to "
		"\"\")");
	EVAL_IS("baseline", B_POD("      seLinuxOptions:\n        type: ''\n"), NULL);
	EVAL_IS("baseline", B_POD("      procMount: ''\n"),
		"procMount (container \"a\" must not set securityContext.procMount to \"\")");
	EVAL_IS("baseline", HDR_ANN("    container.apparmor.security.beta.kubernetes.io/a: ''\n")
		"spec:\n  containers:\n" B_C("a"), NULL);
	const char *sa = HDR_ANN("    container.seccomp.security.alpha.kubernetes.io/a: ''\n")
		"spec:\n  containers:\n" B_C("a");
	const char *want = "seccompProfile (forbidden annotation "
		"container.seccomp.security.alpha.kubernetes.io/a=\"\")";
	EVAL_IS("baseline:v1.0", sa, want);
	EVAL_IS("baseline:v1.18", sa, want);
	EVAL_IS("baseline:v1.19", sa, NULL);
}
END_TEST

START_TEST(edge12_pod_seccomp_annotation)
{
	const char *b = HDR_ANN("    seccomp.security.alpha.kubernetes.io/pod: unconfined\n")
		"spec:\n  containers:\n" B_C("a");
	const char *want = "seccompProfile (forbidden annotation "
		"seccomp.security.alpha.kubernetes.io/pod=\"unconfined\")";
	EVAL_IS("baseline:v1.0", b, want);
	EVAL_IS("baseline:v1.18", b, want);
	EVAL_IS("baseline:v1.19", b, NULL);
	EVAL_IS("baseline", b, NULL);
	/* R v1.0-v1.18 does not require seccomp: only the annotation is reported */
	const char *r = HDR_ANN("    seccomp.security.alpha.kubernetes.io/pod: unconfined\n")
		"spec:\n  securityContext:\n    runAsNonRoot: true\n  containers:\n" R_C("a");
	EVAL_IS("restricted:v1.0", r, want);
	EVAL_IS("restricted:v1.18", r, want);
	EVAL_IS("restricted:v1.19", r, "seccompProfile (pod or container \"a\" must set "
		"securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")");
	const char *ok = HDR "spec:\n  securityContext:\n    runAsNonRoot: true\n"
		"  containers:\n" R_C("a");
	EVAL_IS("restricted:v1.18", ok, NULL);
}
END_TEST

START_TEST(edge13_drop_all_lowercase)
{
	const char *y = HDR "spec:\n" R_POD_SC "  containers:\n  - name: a\n    image: x\n"
		"    securityContext:\n      allowPrivilegeEscalation: false\n"
		"      capabilities:\n        drop: [all]\n";
	EVAL_IS("restricted:v1.21", y, NULL);
	EVAL_IS("restricted:v1.22", y, "unrestricted capabilities (container \"a\" must set "
		"securityContext.capabilities.drop=[\"ALL\"])");
	EVAL_IS("restricted", y, "unrestricted capabilities (container \"a\" must set "
		"securityContext.capabilities.drop=[\"ALL\"])");
	EVAL_IS("baseline", y, NULL);
	/* listing every capability by name does not count either */
	EVAL_IS("restricted", HDR "spec:\n" R_POD_SC "  containers:\n  - name: a\n    image: x\n"
		"    securityContext:\n      allowPrivilegeEscalation: false\n"
		"      capabilities:\n        drop: [CHOWN, KILL, NET_RAW, SYS_ADMIN]\n",
		"unrestricted capabilities (container \"a\" must set "
		"securityContext.capabilities.drop=[\"ALL\"])");
}
END_TEST

START_TEST(edge14_chown)
{
	const char *y = R_POD("", "        add: [CHOWN]\n");
	EVAL_IS("baseline", y, NULL);
	EVAL_IS("restricted:v1.0", y, NULL);
	EVAL_IS("restricted:v1.21", y, NULL);
	EVAL_IS("restricted:v1.22", y, "unrestricted capabilities (container \"a\" must not "
		"include \"CHOWN\" in securityContext.capabilities.add)");
	EVAL_IS("baseline", R_POD("", "        add: [chown]\n"), "non-default capabilities "
		"(container \"a\" must not include \"chown\" in securityContext.capabilities.add)");
	EVAL_IS("baseline", R_POD("", "        add: [CAP_CHOWN]\n"), "non-default capabilities "
		"(container \"a\" must not include \"CAP_CHOWN\" in "
		"securityContext.capabilities.add)");
	EVAL_IS("restricted:v1.21", R_POD("", "        add: [CAP_CHOWN]\n"),
		"non-default capabilities (container \"a\" must not include \"CAP_CHOWN\" in "
		"securityContext.capabilities.add)");
	EVAL_IS("restricted", R_POD("", "        add: [chown]\n"), "unrestricted capabilities "
		"(container \"a\" must not include \"chown\" in securityContext.capabilities.add)");
}
END_TEST

START_TEST(edge15_windows)
{
	const char *win = HDR "spec:\n  os:\n    name: windows\n  securityContext:\n"
		"    runAsNonRoot: true\n  containers:\n  - name: a\n    image: x\n";
	EVAL_IS("restricted:v1.25", win, NULL);
	EVAL_IS("restricted", win, NULL);
	EVAL_IS("restricted:v1.24", win, "allowPrivilegeEscalation != false (container \"a\" "
		"must set securityContext.allowPrivilegeEscalation=false), unrestricted "
		"capabilities (container \"a\" must set securityContext.capabilities.drop="
		"[\"ALL\"]), seccompProfile (pod or container \"a\" must set "
		"securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")");
	/* still needs runAsNonRoot and runAsUser != 0 */
	EVAL_IS("restricted", HDR "spec:\n  os:\n    name: windows\n  securityContext:\n"
		"    runAsUser: 0\n  containers:\n  - name: a\n    image: x\n",
		"runAsNonRoot != true (pod or container \"a\" must set "
		"securityContext.runAsNonRoot=true), runAsUser=0 (pod must not set runAsUser=0)");
	/* not monotonic: passes restricted, fails baseline */
	const char *unconfined = HDR "spec:\n  os:\n    name: windows\n  securityContext:\n"
		"    runAsNonRoot: true\n    seccompProfile:\n      type: Unconfined\n"
		"  containers:\n  - name: a\n    image: x\n";
	EVAL_IS("restricted", unconfined, NULL);
	EVAL_IS("baseline", unconfined, "seccompProfile (pod must not set "
		"securityContext.seccompProfile.type to \"Unconfined\")");
	const char *sys_admin = HDR "spec:\n  os:\n    name: windows\n  securityContext:\n"
		"    runAsNonRoot: true\n  containers:\n  - name: a\n    image: x\n"
		"    securityContext:\n      capabilities:\n        add: [SYS_ADMIN]\n";
	EVAL_IS("restricted", sys_admin, NULL);
	EVAL_IS("baseline", sys_admin, "non-default capabilities (container \"a\" must not "
		"include \"SYS_ADMIN\" in securityContext.capabilities.add)");
	/* "Windows" gets no exemption */
	EVAL_IS("restricted", HDR "spec:\n  os:\n    name: Windows\n  securityContext:\n"
		"    runAsNonRoot: true\n  containers:\n  - name: a\n    image: x\n",
		"allowPrivilegeEscalation != false (container \"a\" must set "
		"securityContext.allowPrivilegeEscalation=false), unrestricted capabilities "
		"(container \"a\" must set securityContext.capabilities.drop=[\"ALL\"]), "
		"seccompProfile (pod or container \"a\" must set securityContext.seccompProfile.type "
		"to \"RuntimeDefault\" or \"Localhost\")");
}
END_TEST

START_TEST(edge16_host_path_under_restricted)
{
	const char *y = HDR "spec:\n" R_POD_SC "  volumes:\n  - name: v\n    hostPath:\n"
		"      path: /var\n  containers:\n" R_C("a");
	const char *want = "restricted volume types (volume \"v\" uses restricted volume type "
		"\"hostPath\")";
	EVAL_IS("restricted:v1.0", y, want);
	EVAL_IS("restricted:v1.22", y, want);
	EVAL_IS("restricted", y, want);
	EVAL_IS("baseline", y, "hostPath volumes (volume \"v\")");
}
END_TEST

START_TEST(edge17_image_and_sourceless_volumes)
{
	const char *img = HDR "spec:\n" R_POD_SC "  volumes:\n  - name: v\n    image:\n"
		"      reference: r\n  containers:\n" R_C("a");
	EVAL_IS("restricted:v1.0", img, NULL);
	EVAL_IS("restricted:v1.30", img, NULL);
	EVAL_IS("restricted", img, NULL);
	const char *none = HDR "spec:\n" R_POD_SC "  volumes:\n  - name: v\n"
		"  containers:\n" R_C("a");
	/* The API server defaults a sourceless volume, or one whose emptyDir
	 * is null, to emptyDir before admission: allowed at every version. */
	EVAL_IS("restricted:v1.0", none, NULL);
	EVAL_IS("restricted", none, NULL);
	EVAL_IS("baseline", none, NULL);
	const char *null_empty = HDR "spec:\n" R_POD_SC "  volumes:\n  - name: v\n"
		"    emptyDir:\n  - name: w\n    emptyDir: ~\n  containers:\n" R_C("a");
	EVAL_IS("restricted", null_empty, NULL);
	const char *null_and_nfs = HDR "spec:\n" R_POD_SC "  volumes:\n  - name: v\n"
		"    emptyDir:\n    nfs: {server: s, path: /}\n  containers:\n" R_C("a");
	EVAL_IS("restricted", null_and_nfs, "restricted volume types (volume \"v\" uses "
		"restricted volume type \"nfs\")");
}
END_TEST

static const char *sysctl_pod(const char *name)
{
	return kc_arena_printf(arena, HDR "spec:\n  securityContext:\n    sysctls:\n"
		"    - name: %s\n      value: '1'\n  containers:\n" B_C("a"), name);
}

static void sysctl_from(const char *name, unsigned first)
{
	const char *y = sysctl_pod(name);
	char *want = kc_arena_printf(arena, "forbidden sysctls (%s)", name);
	for (unsigned v = 0; v <= 38; v++) {
		char b[32], r[32];
		snprintf(b, sizeof(b), "baseline:v1.%u", v);
		snprintf(r, sizeof(r), "restricted:v1.%u", v);
		str_is(check(b, KC_PSS_SYSCTLS, y).full, v >= first ? NULL : want);
		str_is(check(r, KC_PSS_SYSCTLS, y).full, v >= first ? NULL : want);
	}
	str_is(eval("baseline:latest", y), NULL);
}

START_TEST(edge18_sysctl_versions)
{
	sysctl_from("kernel.shm_rmid_forced", 0);
	sysctl_from("net.ipv4.ip_unprivileged_port_start", 0);
	sysctl_from("net.ipv4.ip_local_reserved_ports", 27);
	sysctl_from("net.ipv4.tcp_keepalive_time", 29);
	sysctl_from("net.ipv4.tcp_fin_timeout", 29);
	sysctl_from("net.ipv4.tcp_keepalive_intvl", 29);
	sysctl_from("net.ipv4.tcp_keepalive_probes", 29);
	sysctl_from("net.ipv4.tcp_rmem", 32);
	sysctl_from("net.ipv4.tcp_wmem", 32);
	sysctl_from("net.ipv4.tcp_slow_start_after_idle", 37);
	sysctl_from("net.ipv4.tcp_notsent_lowat", 37);
	EVAL_IS("baseline:v1.26", sysctl_pod("net.ipv4.ip_local_reserved_ports"),
		"forbidden sysctls (net.ipv4.ip_local_reserved_ports)");
	EVAL_IS("baseline:v1.27", sysctl_pod("net.ipv4.ip_local_reserved_ports"), NULL);
	EVAL_IS("baseline:v1.36", sysctl_pod("net.ipv4.tcp_notsent_lowat"),
		"forbidden sysctls (net.ipv4.tcp_notsent_lowat)");
	EVAL_IS("baseline", sysctl_pod("net.ipv4.tcp_notsent_lowat"), NULL);
	/* no normalisation of the slash form */
	EVAL_IS("baseline", sysctl_pod("net/ipv4/tcp_rmem"),
		"forbidden sysctls (net/ipv4/tcp_rmem)");
}
END_TEST

START_TEST(edge19_selinux)
{
	const char *engine = B_POD("      seLinuxOptions:\n        type: container_engine_t\n");
	EVAL_IS("baseline:v1.30", engine, "seLinuxOptions (container \"a\" set forbidden "
		"securityContext.seLinuxOptions: type \"container_engine_t\")");
	EVAL_IS("baseline:v1.31", engine, NULL);
	EVAL_IS("baseline", B_POD("      seLinuxOptions:\n        level: s0\n"), NULL);
	EVAL_IS("baseline", HDR "spec:\n  securityContext:\n    seLinuxOptions:\n"
		"      user: system_u\n  containers:\n" B_C("a")
		"    securityContext:\n      seLinuxOptions:\n        type: container_t\n",
		"seLinuxOptions (pod set forbidden securityContext.seLinuxOptions: user may not "
		"be set)");
}
END_TEST

START_TEST(edge20_apparmor_annotation_ghost_container)
{
	const char *y = HDR_ANN(
		"    container.apparmor.security.beta.kubernetes.io/nobody: unconfined\n")
		"spec:\n  containers:\n" B_C("a");
	const char *want = "forbidden AppArmor profile (annotation must not set AppArmor "
		"profile type to \"container.apparmor.security.beta.kubernetes.io/nobody="
		"\"unconfined\"\")";
	EVAL_IS("baseline:v1.0", y, want);
	EVAL_IS("baseline", y, want);
	EVAL_IS("baseline", HDR_ANN("    container.apparmor.security.beta.kubernetes.io/a: "
		"localhost/\n") "spec:\n  containers:\n" B_C("a"), NULL);
	EVAL_IS("baseline", B_POD("      appArmorProfile:\n        type: Localhost\n"), NULL);
}
END_TEST

START_TEST(edge21_loopback_probe_hosts)
{
	const char *http = B_POD("      privileged: false\n") "    livenessProbe:\n"
		"      httpGet:\n        host: 127.0.0.1\n        port: 8080\n";
	const char *tcp = B_POD("      privileged: false\n") "    readinessProbe:\n"
		"      tcpSocket:\n        host: '::1'\n        port: 8080\n";
	EVAL_IS("baseline:v1.33", http, NULL);
	EVAL_IS("baseline:v1.34", http, "probe or lifecycle host (container \"a\" uses probe "
		"or lifecycle host \"127.0.0.1\")");
	EVAL_IS("baseline", tcp, "probe or lifecycle host (container \"a\" uses probe or "
		"lifecycle host \"::1\")");
	EVAL_IS("baseline:v1.33", tcp, NULL);
	const char *r = R_POD("", "") "    startupProbe:\n      tcpSocket:\n        host: '::1'\n"
		"        port: 1\n";
	EVAL_IS("restricted:v1.33", r, NULL);
	EVAL_IS("restricted:v1.34", r, "probe or lifecycle host (container \"a\" uses probe "
		"or lifecycle host \"::1\")");
	EVAL_IS("restricted", r, "probe or lifecycle host (container \"a\" uses probe or "
		"lifecycle host \"::1\")");
}
END_TEST

START_TEST(edge22_false_and_zero_pass)
{
	EVAL_IS("baseline", HDR "spec:\n  securityContext:\n    windowsOptions:\n"
		"      hostProcess: false\n  containers:\n" B_C("a")
		"    ports:\n    - containerPort: 80\n      hostPort: 0\n"
		"    securityContext:\n      privileged: false\n      windowsOptions:\n"
		"        hostProcess: false\n", NULL);
	EVAL_IS("restricted", R_POD("", "      privileged: false\n"), NULL);
}
END_TEST

START_TEST(edge23_controllers_warn)
{
	const char *y = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n"
		"  annotations:\n"
		"    container.apparmor.security.beta.kubernetes.io/a: unconfined\n"
		"spec:\n  template:\n    metadata:\n      annotations:\n"
		"        seccomp.security.alpha.kubernetes.io/pod: unconfined\n"
		"    spec:\n      containers:\n      - name: a\n        image: x\n"
		"        securityContext:\n          privileged: true\n";
	struct t_res r = load("baseline:v1.18", -1, y);
	ck_assert_int_eq(r.mode, KC_PSS_MODE_WARN);
	/* the Deployment's own annotations are never read; the template's are */
	str_is(r.full, "privileged (container \"a\" must not set securityContext.privileged=true), "
		"seccompProfile (forbidden annotation "
		"seccomp.security.alpha.kubernetes.io/pod=\"unconfined\")");
	str_is(r.message, "would violate PodSecurity \"baseline:v1.18\": privileged (container "
		"\"a\" must not set securityContext.privileged=true), seccompProfile (forbidden "
		"annotation seccomp.security.alpha.kubernetes.io/pod=\"unconfined\")");
	/* paths lead into the template */
	struct t_res c = check("baseline", KC_PSS_PRIVILEGED, y);
	ck_assert_str_eq(c.path[0], "spec.template.spec.containers[a].securityContext.privileged");
	/* a Pod is denied */
	r = load("baseline", -1, B_POD("      privileged: true\n"));
	ck_assert_int_eq(r.mode, KC_PSS_MODE_ENFORCE);
	str_is(r.message, "pods \"p\" is forbidden: violates PodSecurity \"baseline:latest\": "
		"privileged (container \"a\" must not set securityContext.privileged=true)");
	/* other controllers, a CronJob's nested template */
	r = load("restricted", -1, "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\n"
		"spec:\n  schedule: '* * * * *'\n  jobTemplate:\n    spec:\n      template:\n"
		"        spec:\n          containers:\n          - name: a\n            image: x\n");
	ck_assert_int_eq(r.mode, KC_PSS_MODE_WARN);
	ck_assert_ptr_nonnull(r.message);
	ck_assert(strncmp(r.message, "would violate PodSecurity \"restricted:latest\": "
		"allowPrivilegeEscalation != false", 80) == 0);
}
END_TEST

START_TEST(edge24_future_versions_echo)
{
	const char *y = sysctl_pod("net.ipv4.tcp_notsent_lowat");
	EVAL_IS("baseline:v1.36", y, "forbidden sysctls (net.ipv4.tcp_notsent_lowat)");
	EVAL_IS("baseline:v1.37", y, NULL);
	EVAL_IS("baseline:v1.99", y, NULL);
	EVAL_IS("baseline:latest", y, NULL);
	const char *bad = kc_arena_printf(arena, HDR "spec:\n  hostPID: true\n"
		"  securityContext:\n    sysctls:\n    - name: net.ipv4.tcp_notsent_lowat\n"
		"  containers:\n" B_C("a"));
	struct t_res r = load("baseline:v1.99", -1, bad);
	str_is(r.message, "pods \"p\" is forbidden: violates PodSecurity \"baseline:v1.99\": "
		"host namespaces (hostPID=true)");
	r = load("baseline:latest", -1, bad);
	str_is(r.message, "pods \"p\" is forbidden: violates PodSecurity \"baseline:latest\": "
		"host namespaces (hostPID=true)");
	r = load("baseline", -1, bad);
	str_is(r.message, "pods \"p\" is forbidden: violates PodSecurity \"baseline:latest\": "
		"host namespaces (hostPID=true)");
}
END_TEST

START_TEST(quoted_empty_and_null_strings)
{
	/* '' is a string, not unset; a quoted 'null' is the string "null". */
	EVAL_IS("baseline", B_POD("      procMount: ''\n"), "procMount (container \"a\" must "
		"not set securityContext.procMount to \"\")");
	EVAL_IS("baseline", B_POD("      procMount: 'null'\n"), "procMount (container \"a\" "
		"must not set securityContext.procMount to \"null\")");
	EVAL_IS("baseline", B_POD("      procMount: \"~\"\n"), "procMount (container \"a\" "
		"must not set securityContext.procMount to \"~\")");
	/* a YAML null is unset */
	EVAL_IS("baseline", B_POD("      procMount: null\n"), NULL);
	EVAL_IS("baseline", B_POD("      procMount: ~\n"), NULL);
	EVAL_IS("baseline", B_POD("      seccompProfile:\n        type: 'null'\n"),
		"seccompProfile (container \"a\" must not set securityContext.seccompProfile.type "
		"to \"null\")");
	EVAL_IS("baseline", B_POD("      appArmorProfile:\n        type: 'NULL'\n"),
		"forbidden AppArmor profile (container \"a\" must not set AppArmor profile type "
		"to \"NULL\")");
	EVAL_IS("baseline", B_POD("      seLinuxOptions:\n        type: 'null'\n"
		"        user: 'null'\n        role: ''\n"), "seLinuxOptions (container \"a\" set "
		"forbidden securityContext.seLinuxOptions: type \"null\"; user may not be set)");
	EVAL_IS("baseline", HDR "spec:\n  containers:\n  - name: 'null'\n    image: x\n"
		"    securityContext:\n      privileged: true\n", "privileged (container \"null\" "
		"must not set securityContext.privileged=true)");
	EVAL_IS("baseline", HDR "spec:\n  containers:\n" B_C("a")
		"    livenessProbe:\n      httpGet:\n        host: 'null'\n        port: 1\n",
		"probe or lifecycle host (container \"a\" uses probe or lifecycle host \"null\")");
	EVAL_IS("baseline", HDR "spec:\n  containers:\n" B_C("a")
		"    livenessProbe:\n      httpGet:\n        host: ''\n        port: 1\n", NULL);
	EVAL_IS("baseline", HDR "spec:\n  securityContext:\n    sysctls:\n"
		"    - name: 'null'\n  containers:\n" B_C("a"), "forbidden sysctls (null)");
	EVAL_IS("baseline", HDR "spec:\n  volumes:\n  - name: '~'\n    hostPath: {}\n"
		"  containers:\n" B_C("a"), "hostPath volumes (volume \"~\")");
	EVAL_IS("restricted", HDR "spec:\n  os:\n    name: 'null'\n" R_POD_SC
		"  containers:\n  - name: a\n    image: x\n",
		"allowPrivilegeEscalation != false (container \"a\" must set "
		"securityContext.allowPrivilegeEscalation=false), unrestricted capabilities "
		"(container \"a\" must set securityContext.capabilities.drop=[\"ALL\"])");
}
END_TEST

/* ---- aggregation ----------------------------------------------------------- */

START_TEST(aggregate_spec_example)
{
	const char *y = HDR "spec:\n  containers:\n" B_C("x");
	EVAL_IS("restricted", y,
		"allowPrivilegeEscalation != false (container \"x\" must set "
		"securityContext.allowPrivilegeEscalation=false), unrestricted capabilities "
		"(container \"x\" must set securityContext.capabilities.drop=[\"ALL\"]), "
		"runAsNonRoot != true (pod or container \"x\" must set "
		"securityContext.runAsNonRoot=true), seccompProfile (pod or container \"x\" must "
		"set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")");
	EVAL_IS("restricted:v1.0", y, "runAsNonRoot != true (pod or container \"x\" must set "
		"securityContext.runAsNonRoot=true)");
	EVAL_IS("restricted:v1.8", y, "allowPrivilegeEscalation != false (container \"x\" must "
		"set securityContext.allowPrivilegeEscalation=false), runAsNonRoot != true (pod or "
		"container \"x\" must set securityContext.runAsNonRoot=true)");
	EVAL_IS("restricted:v1.19", y, "allowPrivilegeEscalation != false (container \"x\" must "
		"set securityContext.allowPrivilegeEscalation=false), runAsNonRoot != true (pod or "
		"container \"x\" must set securityContext.runAsNonRoot=true), seccompProfile (pod "
		"or container \"x\" must set securityContext.seccompProfile.type to "
		"\"RuntimeDefault\" or \"Localhost\")");
	EVAL_IS("baseline", y, NULL);
	EVAL_IS("privileged", y, NULL);
}
END_TEST

START_TEST(aggregate_baseline_everything)
{
	const char *y = HDR_ANN("    container.apparmor.security.beta.kubernetes.io/a: x\n")
		"spec:\n  hostNetwork: true\n  securityContext:\n"
		"    sysctls:\n    - name: kernel.msgmax\n"
		"    windowsOptions:\n      hostProcess: true\n"
		"    seLinuxOptions:\n      role: r\n"
		"    seccompProfile:\n      type: Unconfined\n"
		"  volumes:\n  - name: h\n    hostPath:\n      path: /\n"
		"  containers:\n" B_C("a")
		"    ports:\n    - hostPort: 80\n"
		"    livenessProbe:\n      httpGet:\n        host: h\n        port: 80\n"
		"    securityContext:\n      privileged: true\n      procMount: Unmasked\n"
		"      capabilities:\n        add: [NET_ADMIN]\n";
	const char *base = "forbidden AppArmor profile (annotation must not set AppArmor profile "
		"type to \"container.apparmor.security.beta.kubernetes.io/a=\"x\"\"), "
		"non-default capabilities (container \"a\" must not include \"NET_ADMIN\" in "
		"securityContext.capabilities.add), host namespaces (hostNetwork=true), "
		"hostPath volumes (volume \"h\"), hostPort (container \"a\" uses hostPort 80), ";
	const char *tail = "privileged (container \"a\" must not set "
		"securityContext.privileged=true), procMount (container \"a\" must not set "
		"securityContext.procMount to \"Unmasked\"), seLinuxOptions (pod set forbidden "
		"securityContext.seLinuxOptions: role may not be set), seccompProfile (pod must "
		"not set securityContext.seccompProfile.type to \"Unconfined\"), forbidden "
		"sysctls (kernel.msgmax), hostProcess (pod must not set "
		"securityContext.windowsOptions.hostProcess=true)";
	EVAL_IS("baseline", y, kc_arena_printf(arena, "%sprobe or lifecycle host (container "
		"\"a\" uses probe or lifecycle host \"h\"), %s", base, tail));
	EVAL_IS("baseline:v1.33", y, kc_arena_printf(arena, "%s%s", base, tail));
	/* restricted latest: every restricted check joins in, in order */
	EVAL_IS("restricted", y,
		"forbidden AppArmor profile (annotation must not set AppArmor profile type to "
		"\"container.apparmor.security.beta.kubernetes.io/a=\"x\"\"), "
		"host namespaces (hostNetwork=true), "
		"hostPort (container \"a\" uses hostPort 80), "
		"probe or lifecycle host (container \"a\" uses probe or lifecycle host \"h\"), "
		"privileged (container \"a\" must not set securityContext.privileged=true), "
		"seLinuxOptions (pod set forbidden securityContext.seLinuxOptions: role may not "
		"be set), forbidden sysctls (kernel.msgmax), "
		"hostProcess (pod must not set securityContext.windowsOptions.hostProcess=true), "
		"allowPrivilegeEscalation != false (container \"a\" must set "
		"securityContext.allowPrivilegeEscalation=false), "
		"unrestricted capabilities (container \"a\" must set "
		"securityContext.capabilities.drop=[\"ALL\"]; container \"a\" must not include "
		"\"NET_ADMIN\" in securityContext.capabilities.add), "
		"procMount (container \"a\" must not set securityContext.procMount to "
		"\"Unmasked\"), "
		"restricted volume types (volume \"h\" uses restricted volume type \"hostPath\"), "
		"runAsNonRoot != true (pod or container \"a\" must set "
		"securityContext.runAsNonRoot=true), "
		"seccompProfile (pod must not set securityContext.seccompProfile.type to "
		"\"Unconfined\")");
}
END_TEST

START_TEST(aggregate_restricted_v1_0)
{
	const char *y = HDR "spec:\n  hostIPC: true\n  securityContext:\n    runAsUser: 0\n"
		"  volumes:\n  - name: g\n    gitRepo:\n      repository: r\n"
		"  containers:\n" B_C("a") "    securityContext:\n      runAsNonRoot: false\n"
		"      capabilities:\n        add: [SYS_PTRACE]\n";
	EVAL_IS("restricted:v1.0", y,
		"non-default capabilities (container \"a\" must not include \"SYS_PTRACE\" in "
		"securityContext.capabilities.add), host namespaces (hostIPC=true), "
		"restricted volume types (volume \"g\" uses restricted volume type \"gitRepo\"), "
		"runAsNonRoot != true (container \"a\" must not set "
		"securityContext.runAsNonRoot=false)");
	/* from v1.22 capabilities_restricted replaces capabilities_baseline */
	EVAL_IS("restricted:v1.23", y,
		"host namespaces (hostIPC=true), "
		"allowPrivilegeEscalation != false (container \"a\" must set "
		"securityContext.allowPrivilegeEscalation=false), "
		"unrestricted capabilities (container \"a\" must set "
		"securityContext.capabilities.drop=[\"ALL\"]; container \"a\" must not include "
		"\"SYS_PTRACE\" in securityContext.capabilities.add), "
		"restricted volume types (volume \"g\" uses restricted volume type \"gitRepo\"), "
		"runAsNonRoot != true (container \"a\" must not set "
		"securityContext.runAsNonRoot=false), runAsUser=0 (pod must not set runAsUser=0), "
		"seccompProfile (pod or container \"a\" must set "
		"securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")");
}
END_TEST

START_TEST(messages)
{
	/* a pod without a name */
	struct t_res r = load("restricted:v1.30", -1, "apiVersion: v1\nkind: Pod\n"
		"spec:\n  hostPID: true\n" R_POD_SC "  containers:\n" R_C("a"));
	ck_assert_int_eq(r.mode, KC_PSS_MODE_ENFORCE);
	str_is(r.message, "pods is forbidden: violates PodSecurity \"restricted:v1.30\": "
		"host namespaces (hostPID=true)");
	/* the name is printed with Go's %q */
	r = load("baseline", -1, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"a\\\"b\"\n"
		"spec:\n  hostPID: true\n  containers:\n" B_C("a"));
	str_is(r.message, "pods \"a\\\"b\" is forbidden: violates PodSecurity "
		"\"baseline:latest\": host namespaces (hostPID=true)");
	/* an allowed pod has no message */
	r = load("baseline", -1, B_POD("      privileged: false\n"));
	ck_assert(r.allowed);
	ck_assert_ptr_null(r.message);
	/* modes by kind and group */
	r = load("baseline", -1, "apiVersion: v1\nkind: PodTemplate\nmetadata:\n  name: t\n"
		"template:\n  spec:\n    hostPID: true\n    containers:\n    - name: a\n"
		"      image: x\n");
	ck_assert_int_eq(r.mode, KC_PSS_MODE_WARN);
	str_is(r.message, "would violate PodSecurity \"baseline:latest\": host namespaces "
		"(hostPID=true)");
	r = load("baseline", -1, "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: s\n"
		"spec:\n  template:\n    spec:\n      containers:\n      - name: a\n"
		"        image: x\n");
	ck_assert_int_eq(r.mode, KC_PSS_MODE_WARN);
	r = load("baseline", -1, "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: s\n"
		"spec:\n  template:\n    spec:\n      containers:\n      - name: a\n"
		"        image: x\n");
	ck_assert_int_eq(r.mode, KC_PSS_MODE_WARN);
	r = load("baseline", -1, "apiVersion: v1\nkind: ReplicationController\nmetadata:\n"
		"  name: s\nspec:\n  template:\n    spec:\n      containers:\n      - name: a\n"
		"        image: x\n");
	ck_assert_int_eq(r.mode, KC_PSS_MODE_WARN);
}
END_TEST

START_TEST(paths_render)
{
	struct t_res r = check("restricted", KC_PSS_ALLOW_PRIVILEGE_ESCALATION,
		"apiVersion: v1\nkind: List\nitems:\n- apiVersion: apps/v1\n  kind: DaemonSet\n"
		"  metadata:\n    name: d\n  spec:\n    template:\n      spec:\n"
		"        initContainers:\n        - name: init\n          image: x\n"
		"        containers:\n        - name: app\n          image: x\n"
		"          securityContext:\n            allowPrivilegeEscalation: true\n");
	ck_assert_uint_eq(r.count, 2);
	ck_assert_str_eq(r.path[0],
		"items[0].spec.template.spec.initContainers[init].securityContext."
		"allowPrivilegeEscalation");
	ck_assert(r.missing[0]);
	ck_assert_str_eq(r.path[1],
		"items[0].spec.template.spec.containers[app].securityContext."
		"allowPrivilegeEscalation");
	ck_assert(!r.missing[1]);
	ck_assert_str_eq(r.container[1], "app");
}
END_TEST

static Suite *pss_suite(void)
{
	Suite *s = suite_create("pss");
	struct {
		const char *name;
		const TTest *tests[40];
	} groups[] = {
		{ "policy", { parse_accepts, parse_rejects, latest_and_future_resolve_to_37,
			level_names } },
		{ "registry", { check_table, check_order_is_bytewise, counts_per_version,
			overrides, privileged_allows_everything,
			run_check_before_first_version_allows } },
		{ "apparmor", { apparmor_fields, apparmor_pod_and_container_independent,
			apparmor_everything, apparmor_singular_reason_for_one_value,
			apparmor_annotations, go_quote_escapes } },
		{ "baseline", { capabilities_baseline_all_lists,
			capabilities_baseline_boundary_in_restricted, host_namespaces,
			host_path_volumes, host_ports, host_ports_sorted_as_strings, host_probes,
			privileged, privileged_names_not_deduplicated, proc_mount_values,
			proc_mount_user_namespaces, selinux_types, selinux_combined,
			seccomp_baseline_annotations, seccomp_baseline_fields, sysctls_lists,
			windows_host_process } },
		{ "restricted", { allow_privilege_escalation, allow_privilege_escalation_windows,
			capabilities_restricted, capabilities_restricted_windows,
			restricted_volumes, restricted_volume_types_in_order,
			run_as_non_root_setters, run_as_non_root_user_namespaces, run_as_user,
			run_as_user_user_namespaces, seccomp_restricted,
			seccomp_restricted_windows } },
		{ "edge", { edge01_pod_non_root_covers_containers,
			edge02_container_false_beats_pod_true, edge03_pod_false_beats_containers_true,
			edge04_ephemeral_container_implicit, edge05_run_as_user_is_not_non_root,
			edge06_pod_run_as_user_zero, edge07_non_root_with_user_zero,
			edge08_host_users_false, edge09_pod_localhost_seccomp,
			edge10_pod_unconfined_containers_default, edge11_empty_strings,
			edge12_pod_seccomp_annotation, edge13_drop_all_lowercase, edge14_chown,
			edge15_windows, edge16_host_path_under_restricted,
			edge17_image_and_sourceless_volumes, edge18_sysctl_versions, edge19_selinux,
			edge20_apparmor_annotation_ghost_container, edge21_loopback_probe_hosts,
			edge22_false_and_zero_pass, edge23_controllers_warn,
			edge24_future_versions_echo } },
		{ "strings", { quoted_empty_and_null_strings } },
		{ "aggregate", { aggregate_spec_example, aggregate_baseline_everything,
			aggregate_restricted_v1_0, messages, paths_render } },
	};
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		TCase *tc = tcase_create(groups[g].name);
		tcase_add_checked_fixture(tc, setup, teardown);
		tcase_set_timeout(tc, 60);
		for (size_t i = 0; groups[g].tests[i] != NULL; i++) {
			tcase_add_test(tc, groups[g].tests[i]);
		}
		suite_add_tcase(s, tc);
	}
	return s;
}

int main(void)
{
	return t_run(pss_suite());
}
