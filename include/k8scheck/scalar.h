#ifndef K8SCHECK_SCALAR_H
#define K8SCHECK_SCALAR_H

/*
 * The one scalar resolver: what a YAML scalar is (null, boolean, integer,
 * float or string) as Kubernetes' decoder reads it. sigs.k8s.io/yaml turns
 * YAML into JSON with go-yaml v2, which resolves YAML 1.1 words: y, Y, yes,
 * on, true (and their capitalised forms) are booleans, so are n, no, off,
 * false; ~, null and the empty plain scalar are null; 0x1F and 012 are
 * integers. A quoted scalar is a string. The standard tags (!!str, !!int,
 * !!bool, !!float, !!null) decide the type whatever the text; any other tag
 * makes the scalar a string (go-yaml does not resolve what it does not
 * know). The locator, the model's validation, the rules and the policy
 * all ask here. (model/validate.c also refuses y/Y/n/N in typed fields:
 * tools that read YAML 1.2 see strings there.)
 */

#include <stdbool.h>
#include <stddef.h>

enum kc_scalar {
	KC_SCALAR_STRING,
	KC_SCALAR_NULL,
	KC_SCALAR_BOOL,
	KC_SCALAR_INT,
	KC_SCALAR_FLOAT,
	KC_SCALAR__COUNT,
};

/**
 * Resolve a scalar: value (len bytes, NUL-terminated), written plain (not
 * quoted, not a block scalar) or not, with its tag as libyaml gives it
 * (e.g. "tag:yaml.org,2002:int"; NULL if none). Borrowed arguments.
 */
enum kc_scalar kc_scalar_resolve(const char *value, size_t len, bool plain,
	const char *tag);

/**
 * The truth value of a YAML 1.1 boolean word (true, y, Yes, ON, ...);
 * false, with *out untouched, if value is no such word.
 */
bool kc_scalar_bool(const char *value, bool *out);

/** Is s an integer as YAML 1.1 writes one (sign, decimal, 0x hex, 0 octal)? */
bool kc_scalar_is_int(const char *s);

/** "string", "null", "boolean", "integer" or "number", for messages. */
const char *kc_scalar_name(enum kc_scalar t);

#endif
