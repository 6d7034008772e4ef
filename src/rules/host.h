#ifndef K8SCHECK_RULES_HOST_H
#define K8SCHECK_RULES_HOST_H

/*
 * Helpers for the rules about what a pod shares with its node (host paths,
 * the containers that mount a volume) and for pod fields that the typed
 * model leaves out, read from the document instead. Private to src/rules/.
 */

#include "k8scheck/rule.h"

/**
 * Clean an absolute hostPath path lexically into buf, the way the node
 * resolves it: repeated slashes collapse, "." components go, ".." removes
 * the component before it, a trailing slash goes ("/" stays "/"). False
 * (buf undefined) if the path is not absolute or does not fit in size bytes.
 */
bool kc_rules_host_path_clean(const char *path, char *buf, size_t size);

/**
 * True if clean path is dir or lies under it, component by component:
 * "/etc/ssl" is under "/etc", "/etcd" is not; everything is under "/".
 */
bool kc_rules_path_within(const char *path, const char *dir);

/**
 * The containers of w (init, regular and ephemeral) with a volumeMount of
 * volume, for a message: "'a'", "'a' and 'b'", "'a', 'b' and 'c'" (names
 * as kc_rules_container_name() gives them). *count gets how many, *first
 * the first of them (NULL if none); with none the result is "". Lives in
 * the document arena.
 */
const char *kc_rules_volume_users(struct kc_check *ck, const struct kc_workload *w,
	const char *volume, unsigned *count, const struct kc_container_ref **first);

/**
 * names[0..n) quoted and joined for a message: "'a'", "'a' and 'b'",
 * "'a', 'b' and 'c'"; "" if n is 0. Lives in arena a.
 */
const char *kc_rules_quote_list(struct kc_arena *a, const char *const *names, unsigned n);

/**
 * True if name is capability canon ("SYS_ADMIN") in any case, with or
 * without a CAP_ prefix: the spellings that container runtimes may still
 * accept, although Pod Security compares names exactly.
 */
bool kc_rules_capability_is(const char *name, const char *canon);

/**
 * Read node as the API server reads a boolean (YAML 1.1: true, yes, on,
 * y, ... in any of their capitalisations). False (and *out untouched) if
 * node is NULL or not a plain or !!bool-tagged boolean scalar.
 */
bool kc_rules_node_bool(const struct kc_node *n, bool *out);

#endif
