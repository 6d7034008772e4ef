#ifndef K8SCHECK_CLI_CONFIG_H
#define K8SCHECK_CLI_CONFIG_H

/*
 * The repository configuration, .k8scheck.yaml (private to the cli module):
 *
 *   profile: default            # default | pss-baseline | pss-restricted | all
 *   pss: restricted:v1.30       # Pod Security level[:version] to apply
 *   enable: [image-digest]
 *   disable: [liveness-probe]
 *   severity: {read-only-root-filesystem: error}
 *   failOn: warning
 *   exclude: [vendor/, "*.generated.yaml"]
 *   rules:
 *     uid-below-threshold: {threshold: 20000}
 *     image-registry-allowed: {registries: [registry.example.com]}
 *   policies: [policies/]       # custom rules (YAML), relative to the file
 *
 * A mistake (unknown key, unknown rule id, wrong type) is reported with its
 * position through diag; the caller exits with the usage status.
 */

#include <stdbool.h>

#include "k8scheck/arena.h"
#include "k8scheck/diag.h"
#include "k8scheck/policy.h"

struct kc_config_sev {
	const char *rule;
	enum kc_severity severity;
};

struct kc_config {
	const char *path;        /* as found or given */
	const char *dir;         /* absolute directory of the file */
	const char *profile;     /* NULL if not set */
	const char *pss;         /* NULL if not set */
	const char **enable;
	unsigned enable_count;
	const char **disable;
	unsigned disable_count;
	struct kc_config_sev *severity;
	unsigned severity_count;
	bool has_fail_on;
	enum kc_severity fail_on;
	const char **exclude;    /* globs relative to dir */
	unsigned exclude_count;
	const char **policies;   /* absolute paths */
	unsigned policy_count;
	struct kc_param *params;
	unsigned param_count;
};

/**
 * The configuration file that applies to path: .k8scheck.yaml (or .yml) in
 * path's directory or the nearest one above it, stopping at the repository
 * root (a directory holding .git), at the user's home ($HOME), before a
 * file system boundary, and before a directory that others may write to
 * (such as /tmp). NULL if none. Lives in arena a.
 */
const char *kc_config_find(const char *path, struct kc_arena *a);

/**
 * Read and check the configuration at path into *c (arena a). Custom rules
 * it names under `policies:` are loaded into p first.
 */
bool kc_config_load(struct kc_config *c, const char *path, struct kc_policy *p,
	struct kc_arena *a, struct kc_diag *diag);

/** Is file (as named on the command line) excluded by c's globs? */
bool kc_config_excluded(const struct kc_config *c, const char *file);

#endif
