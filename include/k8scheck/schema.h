#ifndef K8SCHECK_SCHEMA_H
#define K8SCHECK_SCHEMA_H

/*
 * libcyaml schemas for the typed model, and the loader that type-checks a
 * resource's node tree against them and fills the model from it (the
 * schemas are libcyaml data; libcyaml itself does not load resources).
 *
 * This is the model module's second header: it is kept apart from model.h
 * so that rules, which include model.h, never see cyaml.h. Only the loader
 * and the model include it.
 */

#include <cyaml/cyaml.h>

#include "k8scheck/model.h"

/**
 * Schema flag (beyond libcyaml's own bits, which it ignores) marking a
 * string field that Kubernetes types as int-or-string, e.g. a port or a
 * resource quantity: a plain number is fine there.
 */
#define KC_SCHEMA_INT_OR_STRING (1 << 24)

/** Where a resource keeps its pod template. */
enum kc_shape {
	KC_SHAPE_POD,            /* Pod: metadata + spec */
	KC_SHAPE_TEMPLATE,       /* Deployment & co.: spec.template */
	KC_SHAPE_JOB_TEMPLATE,   /* CronJob: spec.jobTemplate.spec.template */
	KC_SHAPE_POD_TEMPLATE,   /* PodTemplate: template */
	KC_SHAPE__COUNT,
};

/** What every shape loads into, once unwrapped. */
struct kc_pod_template {
	struct kc_object_meta *metadata;
	struct kc_pod_spec *spec;
};

/** Top-level schema for a shape; its data unwraps with kc_schema_unwrap(). */
const cyaml_schema_value_t *kc_schema_for(enum kc_shape shape);

/**
 * Which pod-template shape a resource of kind has (res is its mapping node),
 * or false if it has none.
 */
bool kc_schema_shape(const char *kind, const struct kc_node *res, enum kc_shape *shape);

/**
 * Find the pod template inside what kc_schema_load() loaded for shape. Returns NULL
 * if the resource has no pod template (e.g. a Deployment without one).
 * *meta gets the resource's own metadata (may be NULL).
 */
const struct kc_pod_template *kc_schema_unwrap(enum kc_shape shape,
	const void *data, const struct kc_object_meta **meta);

/** Path from a resource's root to its pod template, e.g. "spec.template". */
const char *kc_schema_template_path(enum kc_shape shape);

/** A value that Kubernetes would refuse, found by kc_schema_validate(). */
struct kc_schema_error {
	const struct kc_node *node;  /* the offending node (for its position) */
	struct kc_path path;         /* from the resource's root */
	char message[224];
};

/**
 * Check the node tree of a resource against schema the way the Kubernetes
 * API server decodes it: a mapping where a list belongs, `runAsUser: abc`,
 * a quoted "true" for a boolean, a number for a string. Returns false and
 * fills *err for the first problem in document order.
 */
bool kc_schema_validate(const cyaml_schema_value_t *schema,
	const struct kc_node *node, const struct kc_path *base,
	struct kc_schema_error *err);

/**
 * Type-check node as kc_schema_validate() does and, if it passes, load it
 * into a new struct of schema's type (schema must be a pointer type) in
 * arena a, as libcyaml would with CYAML_CFG_IGNORE_UNKNOWN_KEYS: an unset or
 * null field is a NULL pointer, a quoted '' or "null" is a string, a list is
 * an array with a count (NULL and 0 when empty). Strings point into the
 * nodes' values, so the data lives as long as the node tree. Returns false
 * and fills *err (leaving *data untouched) for the first problem in
 * document order.
 */
bool kc_schema_load(const cyaml_schema_value_t *schema, const struct kc_node *node,
	const struct kc_path *base, struct kc_arena *a, void **data,
	struct kc_schema_error *err);

#endif
