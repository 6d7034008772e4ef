/*
 * Pod Security Standards: policies, the check table, which checks run at a
 * level and version, and the controller's aggregated message. The checks
 * themselves are in checks.c.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* The PSA registry: check IDs, levels and first versions. The array order is
 * the evaluation order (baseline IDs byte-wise, then restricted ones). */
static const struct kc_pss_check_info checks[KC_PSS__COUNT] = {
	[KC_PSS_APPARMOR_PROFILE] = { "appArmorProfile", "apparmor-profile",
		KC_PSS_LEVEL_BASELINE, 0, "v1.0+ (fields and annotations at every version)" },
	[KC_PSS_CAPABILITIES_BASELINE] = { "capabilities_baseline",
		"capabilities-baseline", KC_PSS_LEVEL_BASELINE, 0,
		"v1.0+; in restricted only v1.0-v1.21" },
	[KC_PSS_HOST_NAMESPACES] = { "hostNamespaces", "host-namespaces",
		KC_PSS_LEVEL_BASELINE, 0, "v1.0+" },
	[KC_PSS_HOST_PATH_VOLUMES] = { "hostPathVolumes", "host-path-volumes",
		KC_PSS_LEVEL_BASELINE, 0, "v1.0+; never in restricted" },
	[KC_PSS_HOST_PORTS] = { "hostPorts", "host-ports", KC_PSS_LEVEL_BASELINE, 0, "v1.0+" },
	[KC_PSS_HOST_PROBES_AND_LIFECYCLE] = { "hostProbesAndHostLifecycle",
		"host-probes-and-lifecycle", KC_PSS_LEVEL_BASELINE, 34, "v1.34+" },
	[KC_PSS_PRIVILEGED] = { "privileged", "privileged", KC_PSS_LEVEL_BASELINE, 0, "v1.0+" },
	[KC_PSS_PROC_MOUNT] = { "procMount", "proc-mount", KC_PSS_LEVEL_BASELINE, 0,
		"v1.0-v1.34 strict; v1.35+ relaxed for hostUsers: false; "
		"in restricted only v1.0-v1.34" },
	[KC_PSS_SELINUX_OPTIONS] = { "seLinuxOptions", "selinux-options",
		KC_PSS_LEVEL_BASELINE, 0,
		"v1.0-v1.30 four types; v1.31+ adds container_engine_t" },
	[KC_PSS_SECCOMP_PROFILE_BASELINE] = { "seccompProfile_baseline",
		"seccomp-profile-baseline", KC_PSS_LEVEL_BASELINE, 0,
		"v1.0-v1.18 annotations; v1.19+ fields; in restricted only v1.0-v1.18" },
	[KC_PSS_SYSCTLS] = { "sysctls", "sysctls", KC_PSS_LEVEL_BASELINE, 0,
		"v1.0-v1.26 5 names; v1.27-v1.28 6; v1.29-v1.31 10; v1.32-v1.36 12; "
		"v1.37+ 14" },
	[KC_PSS_WINDOWS_HOST_PROCESS] = { "windowsHostProcess", "windows-host-process",
		KC_PSS_LEVEL_BASELINE, 0, "v1.0+" },
	[KC_PSS_ALLOW_PRIVILEGE_ESCALATION] = { "allowPrivilegeEscalation",
		"allow-privilege-escalation", KC_PSS_LEVEL_RESTRICTED, 8,
		"v1.8-v1.24; v1.25+ exempts Windows pods" },
	[KC_PSS_CAPABILITIES_RESTRICTED] = { "capabilities_restricted",
		"capabilities-restricted", KC_PSS_LEVEL_RESTRICTED, 22,
		"v1.22-v1.24; v1.25+ exempts Windows pods" },
	[KC_PSS_PROC_MOUNT_RESTRICTED] = { "procMount_restricted",
		"proc-mount-restricted", KC_PSS_LEVEL_RESTRICTED, 35, "v1.35+ strict" },
	[KC_PSS_RESTRICTED_VOLUMES] = { "restrictedVolumes", "restricted-volumes",
		KC_PSS_LEVEL_RESTRICTED, 0, "v1.0+" },
	[KC_PSS_RUN_AS_NON_ROOT] = { "runAsNonRoot", "run-as-non-root",
		KC_PSS_LEVEL_RESTRICTED, 0,
		"v1.0-v1.34 strict; v1.35+ relaxed for hostUsers: false" },
	[KC_PSS_RUN_AS_USER] = { "runAsUser", "run-as-user", KC_PSS_LEVEL_RESTRICTED, 23,
		"v1.23-v1.34 strict; v1.35+ relaxed for hostUsers: false" },
	[KC_PSS_SECCOMP_PROFILE_RESTRICTED] = { "seccompProfile_restricted",
		"seccomp-profile-restricted", KC_PSS_LEVEL_RESTRICTED, 19,
		"v1.19-v1.24; v1.25+ exempts Windows pods" },
};

/* Restricted checks that replace a baseline check wherever they exist. */
static const struct {
	enum kc_pss_check by;
	enum kc_pss_check replaced;
} overrides[] = {
	{ KC_PSS_RESTRICTED_VOLUMES, KC_PSS_HOST_PATH_VOLUMES },
	{ KC_PSS_SECCOMP_PROFILE_RESTRICTED, KC_PSS_SECCOMP_PROFILE_BASELINE },
	{ KC_PSS_CAPABILITIES_RESTRICTED, KC_PSS_CAPABILITIES_BASELINE },
	{ KC_PSS_PROC_MOUNT_RESTRICTED, KC_PSS_PROC_MOUNT },
};

static const char *const level_names[] = {
	[KC_PSS_LEVEL_PRIVILEGED] = "privileged",
	[KC_PSS_LEVEL_BASELINE] = "baseline",
	[KC_PSS_LEVEL_RESTRICTED] = "restricted",
};

const char *kc_pss_level_name(enum kc_pss_level level)
{
	return level <= KC_PSS_LEVEL_RESTRICTED ? level_names[level] : "unknown";
}

/* "0" or a decimal without a leading zero that fits in unsigned. */
static bool parse_minor(const char *s, unsigned *out)
{
	if (s[0] < '0' || s[0] > '9' || (s[0] == '0' && s[1] != '\0')) {
		return false;
	}
	unsigned long v = 0;
	for (const char *p = s; *p != '\0'; p++) {
		if (*p < '0' || *p > '9') {
			return false;
		}
		v = v * 10 + (unsigned long)(*p - '0');
		if (v > UINT_MAX) {
			return false;
		}
	}
	*out = (unsigned)v;
	return true;
}

bool kc_pss_parse(const char *text, struct kc_pss_policy *out)
{
	if (text == NULL) {
		return false;
	}
	const char *colon = strchr(text, ':');
	size_t level_len = colon ? (size_t)(colon - text) : strlen(text);
	struct kc_pss_policy p = { .latest = true, .minor = KC_PSS_MAX_MINOR };
	bool level_ok = false;
	for (int l = KC_PSS_LEVEL_PRIVILEGED; l <= KC_PSS_LEVEL_RESTRICTED; l++) {
		if (strlen(level_names[l]) == level_len &&
			memcmp(level_names[l], text, level_len) == 0) {
			p.level = (enum kc_pss_level)l;
			level_ok = true;
		}
	}
	if (!level_ok) {
		return false;
	}
	if (colon != NULL) {
		const char *v = colon + 1;
		if (strcmp(v, "latest") != 0) {
			if (strncmp(v, "v1.", 3) != 0 || !parse_minor(v + 3, &p.requested_minor)) {
				return false;
			}
			p.latest = false;
			p.minor = p.requested_minor > KC_PSS_MAX_MINOR ?
				KC_PSS_MAX_MINOR : p.requested_minor;
		}
	}
	*out = p;
	return true;
}

const char *kc_pss_policy_name(const struct kc_pss_policy *p, char *buf, size_t size)
{
	if (size == 0) {
		return buf;
	}
	if (p->latest) {
		snprintf(buf, size, "%s:latest", kc_pss_level_name(p->level));
	} else {
		snprintf(buf, size, "%s:v1.%u", kc_pss_level_name(p->level),
			p->requested_minor);
	}
	return buf;
}

const struct kc_pss_check_info *kc_pss_check_info(enum kc_pss_check c)
{
	return (unsigned)c < KC_PSS__COUNT ? &checks[c] : NULL;
}

bool kc_pss_check_by_rule(const char *rule_id, enum kc_pss_check *out)
{
	if (rule_id == NULL) {
		return false;
	}
	for (int c = 0; c < KC_PSS__COUNT; c++) {
		if (strcmp(checks[c].rule_id, rule_id) == 0) {
			*out = (enum kc_pss_check)c;
			return true;
		}
	}
	return false;
}

bool kc_pss_check_runs(enum kc_pss_check c, const struct kc_pss_policy *p)
{
	if ((unsigned)c >= KC_PSS__COUNT || p->level == KC_PSS_LEVEL_PRIVILEGED) {
		return false;
	}
	const struct kc_pss_check_info *ci = &checks[c];
	if (ci->level > p->level || ci->first_minor > p->minor) {
		return false;
	}
	if (p->level == KC_PSS_LEVEL_RESTRICTED) {
		for (size_t i = 0; i < sizeof(overrides) / sizeof(overrides[0]); i++) {
			if (overrides[i].replaced == c &&
				checks[overrides[i].by].first_minor <= p->minor) {
				return false;
			}
		}
	}
	return true;
}

void kc_pss_run_check(enum kc_pss_check c, const struct kc_pss_policy *p,
	const struct kc_workload *w, struct kc_arena *a, struct kc_pss_result *out)
{
	*out = (struct kc_pss_result){ .allowed = true };
	if ((unsigned)c >= KC_PSS__COUNT || checks[c].first_minor > p->minor) {
		return;
	}
	kc_pss_checks_run(c, p->minor, w, a, out);
}

const char *kc_pss_evaluate(const struct kc_pss_policy *p, const struct kc_workload *w,
	struct kc_arena *a)
{
	struct kc_pss_sb b;
	bool denied = false;
	for (int c = 0; c < KC_PSS__COUNT; c++) {
		if (!kc_pss_check_runs((enum kc_pss_check)c, p)) {
			continue;
		}
		struct kc_pss_result r;
		kc_pss_run_check((enum kc_pss_check)c, p, w, a, &r);
		if (r.allowed) {
			continue;
		}
		if (!denied) {
			kc_pss_sb_init(&b, a);
			denied = true;
		} else {
			kc_pss_sb_add(&b, ", ");
		}
		kc_pss_sb_add(&b, kc_pss_text_full(a, r.reason, r.detail));
	}
	return denied ? b.p : NULL;
}

/* The kinds the PSA's default extractor knows (group, kind). */
static const struct {
	const char *group;
	const char *kind;
	enum kc_pss_mode mode;
} kinds[] = {
	{ "", "Pod", KC_PSS_MODE_ENFORCE },
	{ "", "PodTemplate", KC_PSS_MODE_WARN },
	{ "", "ReplicationController", KC_PSS_MODE_WARN },
	{ "apps", "ReplicaSet", KC_PSS_MODE_WARN },
	{ "apps", "Deployment", KC_PSS_MODE_WARN },
	{ "apps", "StatefulSet", KC_PSS_MODE_WARN },
	{ "apps", "DaemonSet", KC_PSS_MODE_WARN },
	{ "batch", "Job", KC_PSS_MODE_WARN },
	{ "batch", "CronJob", KC_PSS_MODE_WARN },
};

enum kc_pss_mode kc_pss_mode_for(const struct kc_workload *w)
{
	const char *slash = strchr(w->api_version, '/');
	size_t group_len = slash ? (size_t)(slash - w->api_version) : 0;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (strcmp(kinds[i].kind, w->kind) == 0 &&
			strlen(kinds[i].group) == group_len &&
			memcmp(kinds[i].group, w->api_version, group_len) == 0) {
			return kinds[i].mode;
		}
	}
	return KC_PSS_MODE_NONE;
}

const char *kc_pss_message(const struct kc_pss_policy *p, const struct kc_workload *w,
	const char *full, struct kc_arena *a)
{
	char name[64];
	kc_pss_policy_name(p, name, sizeof(name));
	if (kc_pss_mode_for(w) != KC_PSS_MODE_ENFORCE) {
		return kc_arena_printf(a, "would violate PodSecurity \"%s\": %s", name, full);
	}
	/* apimachinery's Forbidden error: `%s %q is forbidden: %v`. */
	if (w->name == NULL || w->name[0] == '\0') {
		return kc_arena_printf(a, "pods is forbidden: violates PodSecurity \"%s\": %s",
			name, full);
	}
	return kc_arena_printf(a, "pods %s is forbidden: violates PodSecurity \"%s\": %s",
		kc_pss_text_go_quote(a, w->name, strlen(w->name)), name, full);
}
