#ifndef K8SCHECK_PSS_H
#define K8SCHECK_PSS_H

/*
 * The Kubernetes Pod Security Standards, evaluated exactly as the Pod
 * Security Admission (PSA) controller applies them: per level (privileged,
 * baseline, restricted) and per policy version (v1.0 to v1.37), with the
 * controller's check order, overrides and message text.
 *
 * A policy is a level plus a version. Each check has one or more versioned
 * variants; kc_pss_check_runs() says whether a check takes part in a policy,
 * kc_pss_run_check() runs one, and kc_pss_evaluate() runs them all and
 * returns the controller's aggregated message.
 *
 * Pure: no I/O and no state. Everything returned lives in the caller's arena
 * or is static.
 */

#include <stdbool.h>
#include <stddef.h>

#include "k8scheck/arena.h"
#include "k8scheck/locator.h"
#include "k8scheck/model.h"

/*
 * Levels. (KC_PSS_PRIVILEGED names the privileged check, so the levels
 * carry a LEVEL_ infix.)
 */
enum kc_pss_level {
	KC_PSS_LEVEL_PRIVILEGED,
	KC_PSS_LEVEL_BASELINE,
	KC_PSS_LEVEL_RESTRICTED,
};

/** The newest policy table: v1.37. Later versions and "latest" resolve to it. */
#define KC_PSS_MAX_MINOR 37

/** A level at a policy version, as requested and as resolved. */
struct kc_pss_policy {
	enum kc_pss_level level;
	bool latest;               /* "latest" was requested */
	unsigned requested_minor;  /* N of v1.N as requested (meaningless if latest) */
	unsigned minor;            /* minor used for evaluation: KC_PSS_MAX_MINOR for
	                            * latest or N > KC_PSS_MAX_MINOR */
};

/** The level's name: "privileged", "baseline" or "restricted" (static). */
const char *kc_pss_level_name(enum kc_pss_level level);

/**
 * Parse "LEVEL" or "LEVEL:VERSION", where LEVEL is privileged, baseline or
 * restricted and VERSION is "latest" or "v1.N" (N is 0 or a decimal without
 * a leading zero, at most UINT_MAX). A level alone means latest. Returns
 * false on anything else ("v1.05", "1.25", "v2.0", "V1.2", an unknown level,
 * an empty version) and leaves *out untouched.
 */
bool kc_pss_parse(const char *text, struct kc_pss_policy *out);

/**
 * Policy p by name as requested, the way the controller prints it:
 * "restricted:v1.30", "baseline:latest", "baseline:v1.99". Writes at most
 * size bytes (NUL-terminated, truncated if needed) to buf; returns buf.
 */
const char *kc_pss_policy_name(const struct kc_pss_policy *p, char *buf, size_t size);

/** The checks, in the controller's evaluation order (baseline, then restricted). */
enum kc_pss_check {
	KC_PSS_APPARMOR_PROFILE,
	KC_PSS_CAPABILITIES_BASELINE,
	KC_PSS_HOST_NAMESPACES,
	KC_PSS_HOST_PATH_VOLUMES,
	KC_PSS_HOST_PORTS,
	KC_PSS_HOST_PROBES_AND_LIFECYCLE,
	KC_PSS_PRIVILEGED,
	KC_PSS_PROC_MOUNT,
	KC_PSS_SELINUX_OPTIONS,
	KC_PSS_SECCOMP_PROFILE_BASELINE,
	KC_PSS_SYSCTLS,
	KC_PSS_WINDOWS_HOST_PROCESS,
	KC_PSS_ALLOW_PRIVILEGE_ESCALATION,
	KC_PSS_CAPABILITIES_RESTRICTED,
	KC_PSS_PROC_MOUNT_RESTRICTED,
	KC_PSS_RESTRICTED_VOLUMES,
	KC_PSS_RUN_AS_NON_ROOT,
	KC_PSS_RUN_AS_USER,
	KC_PSS_SECCOMP_PROFILE_RESTRICTED,
	KC_PSS__COUNT,
};

/** What a check is. All strings are static. */
struct kc_pss_check_info {
	const char *psa_id;        /* as the PSA code spells it: "capabilities_baseline" */
	const char *rule_id;       /* k8scheck rule id: "capabilities-baseline" */
	enum kc_pss_level level;   /* KC_PSS_LEVEL_BASELINE or KC_PSS_LEVEL_RESTRICTED */
	unsigned first_minor;      /* first policy version where it exists */
	const char *versions;      /* its versioned variants, for people */
};

/** Facts about check c (static), or NULL if c is out of range. */
const struct kc_pss_check_info *kc_pss_check_info(enum kc_pss_check c);

/** Look a check up by its k8scheck rule id; false (and *out untouched) if none. */
bool kc_pss_check_by_rule(const char *rule_id, enum kc_pss_check *out);

/**
 * Does check c run under policy p? True when its level is in p's level, it
 * exists at p->minor, and (under restricted) no restricted check that exists
 * at p->minor overrides it. Privileged runs nothing.
 */
bool kc_pss_check_runs(enum kc_pss_check c, const struct kc_pss_policy *p);

/** One offending value. */
struct kc_pss_violation {
	/* The offending field, from the document root. For a required field
	 * that is unset, the path where it must be set (for example
	 * <container>.securityContext.allowPrivilegeEscalation). */
	struct kc_path path;
	const char *container;     /* container name ("" if it has none), or NULL
	                            * for pod-level fields, volumes, annotations */
	bool missing;              /* the violation is that a required field is unset */
	/* The controller's "reason (detail)" as if this were the only violation,
	 * e.g. `privileged (container "app" must not set
	 * securityContext.privileged=true)`. Lives in the arena. */
	const char *text;
};

/** The outcome of one check. */
struct kc_pss_result {
	bool allowed;
	const char *reason;        /* static; NULL when allowed */
	const char *detail;        /* the controller's detail, in the arena; NULL when
	                            * allowed; "" is possible (a sysctl named "") */
	struct kc_pss_violation *violations;  /* in the arena; NULL when allowed */
	unsigned count;
};

/**
 * Run check c on w with the variant in force at p->minor (p->level is not
 * consulted, so an overridden check can still be run on its own). A check
 * that does not exist yet at p->minor allows. Fills *out; strings and
 * violations live in arena a.
 *
 * Violations are one per offending field: each container's field, each bad
 * entry of a list (capabilities, ports, sysctls, volumes, probe hosts), each
 * annotation, each pod-level field. When the controller's detail leaves
 * some offenders out (implicit runAsNonRoot / seccomp violations when an
 * explicit one exists), so do the violations.
 */
void kc_pss_run_check(enum kc_pss_check c, const struct kc_pss_policy *p,
	const struct kc_workload *w, struct kc_arena *a, struct kc_pss_result *out);

/**
 * Run every check that applies under p. Returns NULL if the pod would be
 * allowed, else the controller's full form "reason1 (detail1), reason2
 * (detail2)" in arena a.
 */
const char *kc_pss_evaluate(const struct kc_pss_policy *p, const struct kc_workload *w,
	struct kc_arena *a);

/** How the admission controller treats a workload's kind (spec §1). */
enum kc_pss_mode {
	KC_PSS_MODE_ENFORCE,       /* a Pod: a violation denies it */
	KC_PSS_MODE_WARN,          /* a pod-template controller: warned and audited,
	                            * never denied */
	KC_PSS_MODE_NONE,          /* a kind the controller does not evaluate */
};

/**
 * The mode for w by its API group and kind: Pod (core) is enforced;
 * PodTemplate and ReplicationController (core), ReplicaSet, Deployment,
 * StatefulSet and DaemonSet (apps), Job and CronJob (batch) are warned;
 * anything else is not evaluated.
 */
enum kc_pss_mode kc_pss_mode_for(const struct kc_workload *w);

/**
 * The controller's message for w violating p, given full (kc_pss_evaluate's
 * result): for KC_PSS_MODE_ENFORCE the denial `pods "NAME" is forbidden:
 * violates PodSecurity "POLICY": FULL` (`pods is forbidden: ...` without a
 * name; NAME in Go %q), otherwise the warning `would violate PodSecurity
 * "POLICY": FULL`. POLICY is printed as requested. Lives in arena a.
 */
const char *kc_pss_message(const struct kc_pss_policy *p, const struct kc_workload *w,
	const char *full, struct kc_arena *a);

#endif
