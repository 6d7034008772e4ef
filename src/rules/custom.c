/*
 * Custom rules (written in YAML, parsed by src/policy/custom.c): evaluated
 * on the document's nodes, since their paths may name any field, with the
 * same locations, fixes-free findings, severities and suppression as the
 * built-in rules. Container scope honours pod-level inheritance through
 * `inherit`.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

static const char *op_text(const struct kc_custom *c, char *buf, size_t size)
{
	switch (c->op) {
	case KC_OP_EXISTS:
		return "must be set";
	case KC_OP_NOT_EXISTS:
		return "must not be set";
	case KC_OP_EQUALS:
		snprintf(buf, size, "must be '%s'", c->values[0]);
		return buf;
	case KC_OP_ONE_OF: {
		size_t n = (size_t)snprintf(buf, size, "must be one of ");
		for (unsigned i = 0; i < c->value_count && n < size; i++) {
			n += (size_t)snprintf(buf + n, size - n, "%s'%s'", i ? ", " : "",
				c->values[i]);
		}
		return buf;
	}
	case KC_OP_MATCHES:
		snprintf(buf, size, "must match '%s'", c->pattern);
		return buf;
	case KC_OP_RANGE:
		if (c->min > -1e299 && c->max < 1e299) {
			snprintf(buf, size, "must be between %g and %g", c->min, c->max);
		} else if (c->min > -1e299) {
			snprintf(buf, size, "must be at least %g", c->min);
		} else {
			snprintf(buf, size, "must be at most %g", c->max);
		}
		return buf;
	}
	return "";
}

/* Does node n (NULL: unset) pass c's condition? */
static bool passes(const struct kc_custom *c, const struct kc_node *n)
{
	bool set = n != NULL && !kc_node_is_null(n);
	switch (c->op) {
	case KC_OP_EXISTS:
		return set;
	case KC_OP_NOT_EXISTS:
		return !set;
	default:
		break;
	}
	if (!set || n->type != KC_NODE_SCALAR) {
		return false;
	}
	switch (c->op) {
	case KC_OP_EQUALS:
		return strcmp(n->value, c->values[0]) == 0;
	case KC_OP_ONE_OF:
		for (unsigned i = 0; i < c->value_count; i++) {
			if (strcmp(n->value, c->values[i]) == 0) {
				return true;
			}
		}
		return false;
	case KC_OP_MATCHES:
		return regexec(c->regex, n->value, 0, NULL, 0) == 0;
	case KC_OP_RANGE: {
		char *end = NULL;
		double v = strtod(n->value, &end);
		return end != n->value && *end == '\0' && v >= c->min && v <= c->max;
	}
	default:
		return false;
	}
}

static struct kc_finding *report(struct kc_check *ck, const struct kc_custom *c,
	const struct kc_path *path, const struct kc_node *n, const char *who,
	const char *container)
{
	char cond[512];
	const char *what = op_text(c, cond, sizeof(cond));
	struct kc_finding *f;
	const char *is = (n != NULL && n->type == KC_NODE_SCALAR && !kc_node_is_null(n))
		? n->value : NULL;
	if (c->message != NULL) {
		f = kc_finding_add(ck, path, "%s%s%s", who ? who : "", who ? ": " : "",
			c->message);
	} else if (is != NULL && c->op != KC_OP_NOT_EXISTS) {
		f = kc_finding_add(ck, path, "%s%s%s %s (it is '%.60s')", who ? who : "",
			who ? ": " : "", c->path, what, is);
	} else {
		f = kc_finding_add(ck, path, "%s%s%s %s", who ? who : "", who ? ": " : "",
			c->path, what);
	}
	if (container != NULL) {
		kc_finding_container(f, container);
	}
	return f;
}

static void field(const struct kc_workload *w, struct kc_check *ck,
	const struct kc_custom *c)
{
	if (c->scope != KC_SCOPE_CONTAINER) {
		const struct kc_path *root = c->scope == KC_SCOPE_POD ? &w->pod_spec_path
			: &w->resource_path;
		struct kc_path p = kc_path_join(root, c->path);
		const struct kc_node *n = kc_doc_get(w, &p);
		if (!passes(c, n)) {
			report(ck, c, &p, n, NULL, NULL);
		}
		return;
	}
	for (unsigned i = 0; i < w->container_count; i++) {
		const struct kc_container_ref *ref = &w->containers[i];
		struct kc_path own = kc_path_join(&ref->path, c->path);
		const struct kc_node *n = kc_doc_get(w, &own);
		struct kc_path from = own;
		bool inherited = false;
		if ((n == NULL || kc_node_is_null(n)) && c->inherit != NULL) {
			struct kc_path pod = kc_path_join(&w->pod_spec_path, c->inherit);
			const struct kc_node *pn = kc_doc_get(w, &pod);
			if (pn != NULL && !kc_node_is_null(pn)) {
				n = pn;
				from = pod;
				inherited = true;
			}
		}
		if (passes(c, n)) {
			continue;
		}
		char buf[16], who[300];
		snprintf(who, sizeof(who), "container '%s'",
			kc_rules_container_name(ref, buf, sizeof(buf)));
		/* Point at the container's own field; say where an inherited
		 * value came from. */
		struct kc_finding *f = report(ck, c, &own, n, who, ref->c->name);
		if (inherited) {
			kc_finding_origin(ck, f, &from, "the value is inherited from the pod");
		}
	}
}

static void required_keys(const struct kc_workload *w, struct kc_check *ck,
	const struct kc_custom *c, const char *where)
{
	struct kc_path meta = kc_path_join(&w->resource_path, "metadata");
	struct kc_path map = kc_path_join(&meta, where);
	const struct kc_node *n = kc_doc_get(w, &map);
	for (unsigned i = 0; i < c->value_count; i++) {
		const struct kc_node *v = kc_node_get(n, c->values[i]);
		if (v != NULL && !kc_node_is_null(v)) {
			continue;
		}
		struct kc_path at = map;
		kc_path_key(&at, c->values[i]);
		if (c->message != NULL) {
			kc_finding_add(ck, &at, "%s", c->message);
		} else {
			kc_finding_add(ck, &at, "%s/%s has no %s '%s'", w->kind,
				w->name ? w->name : "(unnamed)",
				strcmp(where, "labels") == 0 ? "label" : "annotation",
				c->values[i]);
		}
	}
}

static void registries(const struct kc_workload *w, struct kc_check *ck,
	const struct kc_custom *c)
{
	for (unsigned i = 0; i < w->container_count; i++) {
		const struct kc_container_ref *ref = &w->containers[i];
		if (ref->c->image == NULL) {
			continue;
		}
		/* The same reading of an image as the image rules' (a first
		 * component is a registry only if it looks like a host). */
		struct kc_image_ref img;
		if (!kc_rules_image_parse(ref->c->image, &img)) {
			continue;
		}
		char reg[256];
		snprintf(reg, sizeof(reg), "%.*s", (int)img.registry_len, img.registry);
		bool ok = false;
		for (unsigned j = 0; j < c->value_count && !ok; j++) {
			ok = strcmp(reg, c->values[j]) == 0;
		}
		if (ok) {
			continue;
		}
		struct kc_path p = kc_path_join(&ref->path, "image");
		char buf[16];
		struct kc_finding *f = c->message != NULL
			? kc_finding_add(ck, &p, "%s", c->message)
			: kc_finding_add(ck, &p, "container '%s' pulls '%s' from '%s', which "
				"is not an allowed registry",
				kc_rules_container_name(ref, buf, sizeof(buf)), ref->c->image, reg);
		kc_finding_container(f, ref->c->name);
	}
}

void kc_rules_custom(const struct kc_workload *w, struct kc_check *ck)
{
	const struct kc_custom *c = kc_check_custom(ck);
	if (c == NULL) {
		return;
	}
	switch (c->template) {
	case KC_CUSTOM_FIELD:
		field(w, ck, c);
		break;
	case KC_CUSTOM_REQUIRED_LABELS:
		required_keys(w, ck, c, "labels");
		break;
	case KC_CUSTOM_REQUIRED_ANNOTATIONS:
		required_keys(w, ck, c, "annotations");
		break;
	case KC_CUSTOM_ALLOWED_REGISTRIES:
		registries(w, ck, c);
		break;
	}
}
