#ifndef K8SCHECK_RULE_H
#define K8SCHECK_RULE_H

/*
 * What a rule is, and how it reports. A rule reads the typed model of one
 * workload and calls kc_finding_add() for each problem, naming the path of
 * the offending field; the engine locates it, renders the path and builds
 * the fix text. Rules keep no globals and do no I/O.
 */

#include "k8scheck/model.h"
#include "k8scheck/pss.h"

struct kc_check;
struct kc_finding;

/* ---- custom rules: checks written in YAML (see docs/custom-rules.md) ---- */

enum kc_custom_template {
	KC_CUSTOM_FIELD,                 /* a field must / must not ... */
	KC_CUSTOM_REQUIRED_LABELS,       /* metadata.labels must have keys */
	KC_CUSTOM_REQUIRED_ANNOTATIONS,  /* metadata.annotations must have keys */
	KC_CUSTOM_ALLOWED_REGISTRIES,    /* every image from these registries */
};

enum kc_custom_scope {
	KC_SCOPE_CONTAINER,      /* path from each container; inherit from the pod */
	KC_SCOPE_POD,            /* path from the pod spec */
	KC_SCOPE_RESOURCE,       /* path from the resource's root */
};

enum kc_custom_op {
	KC_OP_EXISTS,
	KC_OP_NOT_EXISTS,
	KC_OP_EQUALS,
	KC_OP_ONE_OF,
	KC_OP_MATCHES,
	KC_OP_RANGE,
};

/** A custom rule's check, parsed from its `check:` mapping. Lives in the run arena. */
struct kc_custom {
	enum kc_custom_template template;
	enum kc_custom_scope scope;
	const char *path;        /* dotted keys, relative to the scope */
	const char *inherit;     /* container scope: pod-spec path used when unset, or NULL */
	enum kc_custom_op op;
	const char **values;     /* equals (one), one-of, keys, registries */
	unsigned value_count;
	const void *regex;       /* matches: a compiled POSIX ERE (regex_t) */
	const char *pattern;
	double min;              /* range, inclusive */
	double max;
	const char *message;     /* optional: replaces the generated message */
};

typedef void (*kc_rule_check_fn)(const struct kc_workload *w, struct kc_check *ck);

struct kc_rule {
	const char *id;          /* stable kebab-case id, as in policies/<id>.yaml */
	kc_rule_check_fn check;
};

/* One check function per rule, named after its id (src/rules/<id>.c). The
 * Pod Security checks share one adapter, kc_rules_pss (src/rules/pss.c). */
void kc_rules_automount_service_account_token(const struct kc_workload *w,
	struct kc_check *ck);
void kc_rules_capabilities_drop_all(const struct kc_workload *w, struct kc_check *ck);
void kc_rules_container_runtime_socket(const struct kc_workload *w, struct kc_check *ck);
void kc_rules_cpu_limits(const struct kc_workload *w, struct kc_check *ck);
void kc_rules_cpu_requests(const struct kc_workload *w, struct kc_check *ck);
void kc_rules_dangerous_capabilities(const struct kc_workload *w, struct kc_check *ck);
void kc_rules_default_namespace(const struct kc_workload *w, struct kc_check *ck);
void kc_rules_deprecated_api_version(const struct kc_workload *w, struct kc_check *ck);
void kc_rules_env_secret_key_ref(const struct kc_workload *w, struct kc_check *ck);
void kc_rules_env_secret_literal(const struct kc_workload *w, struct kc_check *ck);
void kc_rules_gid_below_threshold(const struct kc_workload *w, struct kc_check *ck);
void kc_rules_host_ipc(const struct kc_workload *w, struct kc_check *ck);
void kc_rules_host_network(const struct kc_workload *w, struct kc_check *ck);
void kc_rules_host_pid(const struct kc_workload *w, struct kc_check *ck);
void kc_rules_host_port(const struct kc_workload *w, struct kc_check *ck);
void kc_rules_image_digest(const struct kc_workload *w, struct kc_check *ck);
void kc_rules_image_pull_policy(const struct kc_workload *w, struct kc_check *ck);
void kc_rules_image_registry_allowed(const struct kc_workload *w, struct kc_check *ck);
void kc_rules_image_tag_latest(const struct kc_workload *w, struct kc_check *ck);
void kc_rules_image_tag_missing(const struct kc_workload *w, struct kc_check *ck);
void kc_rules_ineffective_security_context(const struct kc_workload *w, struct kc_check *ck);
void kc_rules_liveness_probe(const struct kc_workload *w, struct kc_check *ck);
void kc_rules_memory_limits(const struct kc_workload *w, struct kc_check *ck);
void kc_rules_memory_requests(const struct kc_workload *w, struct kc_check *ck);
void kc_rules_net_raw_not_dropped(const struct kc_workload *w, struct kc_check *ck);
void kc_rules_pod_security_context_missing(const struct kc_workload *w, struct kc_check *ck);
void kc_rules_privileged_port(const struct kc_workload *w, struct kc_check *ck);
void kc_rules_pss(const struct kc_workload *w, struct kc_check *ck);
void kc_rules_custom(const struct kc_workload *w, struct kc_check *ck);
void kc_rules_read_only_root_filesystem(const struct kc_workload *w, struct kc_check *ck);
void kc_rules_readiness_probe(const struct kc_workload *w, struct kc_check *ck);
void kc_rules_run_as_group_root(const struct kc_workload *w, struct kc_check *ck);
void kc_rules_run_as_non_root(const struct kc_workload *w, struct kc_check *ck);
void kc_rules_run_as_user(const struct kc_workload *w, struct kc_check *ck);
void kc_rules_sensitive_host_path(const struct kc_workload *w, struct kc_check *ck);
void kc_rules_service_account_default(const struct kc_workload *w, struct kc_check *ck);
void kc_rules_share_process_namespace(const struct kc_workload *w, struct kc_check *ck);
void kc_rules_uid_below_threshold(const struct kc_workload *w, struct kc_check *ck);
void kc_rules_writable_host_path(const struct kc_workload *w, struct kc_check *ck);

/** The registry (src/rules/registry.c), sorted by id. */
extern const struct kc_rule kc_rules[];
extern const size_t kc_rule_count;

/** The id of the rule being run (static). */
const char *kc_check_rule(const struct kc_check *ck);

/** The custom rule being run, or NULL for a built-in one. */
const struct kc_custom *kc_check_custom(const struct kc_check *ck);

/** The Pod Security policy (level and version) that this run applies. */
const struct kc_pss_policy *kc_check_pss(const struct kc_check *ck);

/**
 * Integer parameter name of the running rule, as set in the configuration
 * (rules: {<id>: {<name>: N}}), or def if it is not set.
 */
long long kc_check_param_int(const struct kc_check *ck, const char *name, long long def);

/**
 * List parameter name of the running rule (e.g. allowed registries), or
 * NULL with *count 0 if not set. Strings are borrowed for the whole run.
 */
const char *const *kc_check_param_list(const struct kc_check *ck, const char *name,
	unsigned *count);

/**
 * True when rule id takes part in this run: enabled, not below
 * --min-severity and, for a Pod Security rule, its check exists at the
 * run's policy version. For overlapping rules: one owns a field and the
 * other steps aside while the owner runs.
 */
bool kc_check_rule_runs(const struct kc_check *ck, const char *id);

/** An arena that lives as long as the document being checked. */
struct kc_arena *kc_check_arena(const struct kc_check *ck);

/**
 * Report a problem at path (which may not exist: the finding then points at
 * its nearest existing ancestor). The message is printf-formatted, starts
 * lower-case and has no trailing period. Returns the finding, which lives in
 * the document arena, for the setters below.
 */
struct kc_finding *kc_finding_add(struct kc_check *ck, const struct kc_path *path,
	const char *fmt, ...) KC_PRINTF(3, 4);

/**
 * The fix: set the field at path (NULL: the finding's own path) to
 * yaml_value, a YAML scalar such as "true" or a flow list such as "[ALL]"
 * (shown in block style). No fix is recorded if the path needs a list item
 * that does not exist.
 */
void kc_finding_fix(struct kc_check *ck, struct kc_finding *f,
	const struct kc_path *path, const char *yaml_value);

/**
 * Like kc_finding_fix(), but the value needs a person's judgement (a UID, a
 * registry): shown as a suggestion, never applied by `k8scheck fix`.
 */
void kc_finding_manual(struct kc_check *ck, struct kc_finding *f,
	const struct kc_path *path, const char *yaml_value);

/** The fix removes the list item or mapping entry at path (NULL: the finding's). */
void kc_finding_fix_remove(struct kc_check *ck, struct kc_finding *f,
	const struct kc_path *path);

/**
 * Add one more operation to the finding's fix, set path to yaml_value
 * (or, with yaml_value NULL, remove path): a move is a remove plus sets.
 */
void kc_finding_fix_also(struct kc_check *ck, struct kc_finding *f,
	const struct kc_path *path, const char *yaml_value);

/** The finding concerns this container (borrowed name). */
void kc_finding_container(struct kc_finding *f, const char *name);

/** Add a note for people (printf-formatted), e.g. a likely cause. */
void kc_finding_note(struct kc_check *ck, struct kc_finding *f, const char *fmt, ...)
	KC_PRINTF(3, 4);

/** The offending value is inherited from path; note says from what. */
void kc_finding_origin(struct kc_check *ck, struct kc_finding *f,
	const struct kc_path *path, const char *note);

#endif
