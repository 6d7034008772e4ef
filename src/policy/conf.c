/* The checks shared by the configuration (cli/config.c) and custom rules
 * (policy/custom.c): one wording and one position for each mistake. */
#include <stdarg.h>
#include <stdio.h>

#include "k8scheck/conf.h"

bool kc_conf_bad(struct kc_conf *c, const struct kc_node *n, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	kc_diag_at(c->diag, KC_DIAG_ERROR, c->file, n->start.line, n->start.col, "%s", msg);
	c->ok = false;
	return false;
}

const char *kc_conf_string(struct kc_conf *c, const struct kc_node *n, const char *what)
{
	if (n == NULL) {
		return NULL;
	}
	if (n->type != KC_NODE_SCALAR || kc_node_is_null(n)) {
		kc_conf_bad(c, n, "%s must be a string", what);
		return NULL;
	}
	return n->value;
}

bool kc_conf_strings(struct kc_conf *c, const struct kc_node *n, const char *what,
	bool one, const char ***out, unsigned *count)
{
	if (one && n->type == KC_NODE_SCALAR && !kc_node_is_null(n)) {
		*out = kc_arena_alloc(c->a, sizeof(**out));
		(*out)[0] = n->value;
		*count = 1;
		return true;
	}
	if (n->type != KC_NODE_SEQUENCE) {
		return kc_conf_bad(c, n, "%s must be a list", what);
	}
	*out = kc_arena_alloc(c->a, (n->count + 1) * sizeof(**out));
	*count = 0;
	for (size_t i = 0; i < n->count; i++) {
		if (kc_conf_string(c, n->items[i], what) == NULL) {
			return false;
		}
		(*out)[(*count)++] = n->items[i]->value;
	}
	return true;
}
