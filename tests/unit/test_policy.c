/*
 * The rule catalog: names that mean rules (ids and the peer tools' ids that
 * `references:` give), "did you mean" for typos, and catalog invariants that
 * the reporters rely on (security-severity).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8scheck/policy.h"
#include "support.h"

static struct kc_arena *run;
static struct kc_policy policy;

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
	free(text);
}

static void teardown(void)
{
	kc_arena_destroy(run);
}

/* The ids name resolves to, joined with ' ' ("" for none). */
static const char *resolve(const char *name)
{
	static char buf[512];
	const struct kc_rule_meta *out[8];
	unsigned n = kc_policy_resolve(&policy, name, out, 8);
	buf[0] = '\0';
	for (unsigned i = 0; i < n && i < 8; i++) {
		strcat(buf, i ? " " : "");
		strcat(buf, out[i]->id);
	}
	return buf;
}

START_TEST(resolve_ids_and_peers)
{
	ck_assert_str_eq(resolve("privileged"), "privileged");
	/* Checkov, Trivy, Polaris, kube-linter ids, any case, bare or with the tool. */
	ck_assert_str_eq(resolve("CKV_K8S_16"), "privileged");
	ck_assert_str_eq(resolve("ckv_k8s_16"), "privileged");
	ck_assert_str_eq(resolve("checkov:CKV_K8S_16"), "privileged");
	ck_assert_str_eq(resolve("KSV017"), "privileged");
	ck_assert_str_eq(resolve("Polaris:runAsPrivileged"), "privileged");
	ck_assert_str_eq(resolve("privileged-container"), "privileged");
	/* The wrong tool does not match. */
	ck_assert_str_eq(resolve("trivy:CKV_K8S_16"), "");
	/* One peer id can mean several rules. */
	ck_assert_str_eq(resolve("unset-cpu-requirements"), "cpu-limits cpu-requests");
	/* "Trivy: KSV027 (flags any procMount, ...)": the id ends at the space. */
	ck_assert_str_eq(resolve("KSV027"), "proc-mount proc-mount-restricted");
	/* An id of ours wins over the peer id it shares (kube-linter host-network). */
	ck_assert_str_eq(resolve("host-network"), "host-network");
	/* Prose in references is no id; unknown names resolve to nothing. */
	ck_assert_str_eq(resolve("Pod Security Standards"), "");
	ck_assert_str_eq(resolve("run-as-non-roo"), "");
	ck_assert_str_eq(resolve(""), "");
	/* The count is given even when out is too small. */
	const struct kc_rule_meta *one[1];
	ck_assert_uint_eq(kc_policy_resolve(&policy, "unset-cpu-requirements", one, 1), 2);
	ck_assert_str_eq(one[0]->id, "cpu-limits");
}
END_TEST

START_TEST(suggest_typos)
{
	ck_assert_str_eq(kc_policy_suggest(&policy, "run-as-non-roo"), "run-as-non-root");
	ck_assert_str_eq(kc_policy_suggest(&policy, "privilegde"), "privileged");
	ck_assert_str_eq(kc_policy_suggest(&policy, "HOST-PID"), "host-pid");
	ck_assert_str_eq(kc_policy_suggest(&policy, "seccomp-profile-restrictd"),
		"seccomp-profile-restricted");
	/* Too far from every id: no guess. */
	ck_assert_ptr_null(kc_policy_suggest(&policy, "all"));
	ck_assert_ptr_null(kc_policy_suggest(&policy, "something-else-entirely"));
	ck_assert_ptr_null(kc_policy_suggest(&policy, ""));
	/* Longer than any id: no work, no guess. */
	char lng[200];
	memset(lng, 'a', sizeof(lng) - 1);
	lng[sizeof(lng) - 1] = '\0';
	ck_assert_ptr_null(kc_policy_suggest(&policy, lng));
}
END_TEST

START_TEST(security_severity_ranges)
{
	/* GitHub ranks alerts by it: every security rule has one, the
	 * reliability and build-hygiene rules none. */
	static const char *const reliability[] = {
		"cpu-limits", "cpu-requests", "default-namespace", "deprecated-api-version",
		"dockerfile-apt-lists", "dockerfile-apt-pin", "dockerfile-apt-recommends",
		"dockerfile-apt-yes", "dockerfile-cd", "dockerfile-copy-from-self",
		"dockerfile-copy-from-unknown", "dockerfile-exec-form",
		"dockerfile-maintainer", "dockerfile-multiple-cmd",
		"dockerfile-multiple-entrypoint", "dockerfile-pipefail",
		"dockerfile-stage-name-duplicate", "dockerfile-wget-and-curl",
		"dockerfile-workdir-absolute",
		"image-pull-policy", "liveness-probe", "memory-limits", "memory-requests",
		"readiness-probe", "run-as-non-root-image-root", "run-as-non-root-unverifiable",
		"run-as-user-image-mismatch",
	};
	for (unsigned i = 0; i < policy.count; i++) {
		const struct kc_rule_meta *m = &policy.rules[i];
		bool rel = false;
		for (size_t j = 0; j < sizeof(reliability) / sizeof(*reliability); j++) {
			rel = rel || strcmp(reliability[j], m->id) == 0;
		}
		if (rel) {
			ck_assert_msg(m->security_severity == NULL, "%s", m->id);
			continue;
		}
		ck_assert_msg(m->security_severity != NULL, "%s has no security-severity", m->id);
		double v = strtod(m->security_severity, NULL);
		ck_assert_msg(v >= 0.1 && v <= 10.0, "%s", m->id);
	}
	ck_assert_str_eq(kc_policy_find(&policy, "privileged")->security_severity, "9.0");
}
END_TEST

static Suite *policy_suite(void)
{
	Suite *s = suite_create("policy");
	TCase *tc = tcase_create("names");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, resolve_ids_and_peers);
	tcase_add_test(tc, suggest_typos);
	tcase_add_test(tc, security_severity_ranges);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return t_run(policy_suite());
}
