#ifndef K8SCHECK_RULES_COMMON_H
#define K8SCHECK_RULES_COMMON_H

/* Helpers shared by the rules in src/rules/ (private to the module). */

#include "k8scheck/rule.h"

/** A container's name for messages: its name, or "#N" (1-based) if it has none. */
const char *kc_rules_container_name(const struct kc_container_ref *ref, char *buf,
	size_t size);

/**
 * Report a finding about container ref at path and tag it with the
 * container's name. Same contract as kc_finding_add().
 */
struct kc_finding *kc_rules_container_finding(struct kc_check *ck,
	const struct kc_container_ref *ref, const struct kc_path *path,
	const char *fmt, ...) KC_PRINTF(4, 5);

/**
 * uid-below-threshold and gid-below-threshold: each container whose
 * effective id (from effective(): its own field, else the pod's) is set,
 * above 0 and below the rule's `threshold` parameter (default 10000) is
 * reported at its own field, with the pod's as origin when inherited.
 * field is "runAsUser" or "runAsGroup", id "UID" or "GID", owner "a user"
 * or "a group" (for the message).
 */
void kc_rules_id_below_threshold(const struct kc_workload *w, struct kc_check *ck,
	struct kc_effective (*effective)(const struct kc_workload *,
		const struct kc_container_ref *),
	const char *field, const char *id, const char *owner);

/**
 * Run Pod Security check c for w under the run's policy. Returns true (and
 * fills *r, in the document arena) only if the check runs and fails.
 */
bool kc_rules_pss_verdict(struct kc_check *ck, const struct kc_workload *w,
	enum kc_pss_check c, struct kc_pss_result *r);

/**
 * Finds the controller's text per container in a result. Each lookup costs
 * O(log n) (an index sorted by container, built at the first lookup), so a
 * rule that asks once per container stays O(n log n) on a pod with 64k
 * containers.
 */
struct kc_rules_pss_texts {
	struct kc_arena *a;
	const struct kc_pss_result *r;  /* borrowed */
	unsigned *by_name;       /* violation indices with a container, sorted */
	unsigned named;
	bool indexed;
	bool pod_looked_up;
	const char *pod;         /* the pod-level text, once looked up */
	const char *whole;       /* "reason (detail)", once built */
	unsigned long steps;     /* comparisons made: the work, for tests */
};

/** Start lookups in r (borrowed); the index goes in arena a. */
void kc_rules_pss_texts_init(struct kc_rules_pss_texts *t, struct kc_arena *a,
	const struct kc_pss_result *r);

/**
 * The controller's text for the violation of container (NULL: the
 * pod-level one; the first in order when several have that name); the
 * check's whole "reason (detail)" if there is no such violation. Lives in
 * the document arena or is static.
 */
const char *kc_rules_pss_text(struct kc_rules_pss_texts *t, const char *container);

/**
 * The pod's volumes by name: O(log n) per lookup, so a rule that looks up
 * every mount stays O(n log n) on a pod with 40k volumes.
 */
struct kc_rules_volumes {
	const struct kc_pod_spec *spec;
	unsigned *by_name;       /* indices of named volumes, sorted by name */
	unsigned named;
	unsigned long steps;     /* comparisons made: the work, for tests */
};

/** Index spec's volumes (borrowed) in arena a. */
void kc_rules_volumes_init(struct kc_rules_volumes *t, struct kc_arena *a,
	const struct kc_pod_spec *spec);

/** The first volume called name, or NULL. */
const struct kc_volume *kc_rules_volumes_find(struct kc_rules_volumes *t,
	const char *name);

/** One finding per violation of r, at its path, with its text. */
void kc_rules_pss_report(struct kc_check *ck, const struct kc_pss_result *r);

/*
 * An image reference ("registry:5000/team/app:1.2@sha256:..."), split the
 * way the container runtime splits it (see src/rules/image.c). Every part
 * points into the string that was parsed (borrowed, not NUL-terminated).
 */
struct kc_image_ref {
	const char *registry;    /* host[:port]; "docker.io" when none is written */
	size_t registry_len;
	bool registry_implicit;  /* no registry written: Docker Hub */
	const char *repo;        /* path as written: "nginx", "team/app" */
	size_t repo_len;
	const char *tag;         /* NULL: no tag */
	size_t tag_len;
	const char *digest;      /* after '@', e.g. "sha256:..."; NULL: none */
	size_t digest_len;
};

/**
 * Split image into *out. False (and *out untouched) if it is not a valid
 * reference: empty, a space or a template placeholder ("${TAG}"), an empty
 * part, a capital letter in the repository. A first component is a
 * registry only if it has a '.' or a ':' or is "localhost", so the ':' of
 * "registry:5000/app" is a port, not a tag; "index.docker.io" is read as
 * "docker.io".
 */
bool kc_rules_image_parse(const char *image, struct kc_image_ref *out);

/** True if the reference has a well-formed digest (sha256:<64 hex>, ...). */
bool kc_rules_image_pinned(const struct kc_image_ref *r);

/** True if the tag is "latest", or there is neither a tag nor a digest. */
bool kc_rules_image_mutable(const struct kc_image_ref *r);

/**
 * The full repository name as the registry knows it, without tag or
 * digest: "nginx" is "docker.io/library/nginx". Writes at most size bytes
 * (NUL-terminated); returns the length it needed.
 */
size_t kc_rules_image_name(const struct kc_image_ref *r, char *buf, size_t size);

/**
 * The resource rules: report every container (not ephemeral) without the
 * CPU (cpu) or memory quantity, as a limit (limit) or a request; the
 * message ends with consequence (static).
 */
void kc_rules_resource(const struct kc_workload *w, struct kc_check *ck, bool cpu,
	bool limit, const char *consequence);

#endif
