/* Kubernetes manifests, YAML or JSON: the loader (src/loader) does the work. */
#include <string.h>

#include "k8scheck/input.h"

static bool claims(const char *base)
{
	const char *dot = strrchr(base, '.');
	return dot != NULL && (strcmp(dot, ".yaml") == 0 || strcmp(dot, ".yml") == 0 ||
		strcmp(dot, ".json") == 0);
}

static bool load(const struct kc_input_request *q)
{
	if (q->owned) {
		return kc_loader_load_buffer_owned(q->name, q->text, q->len, q->limits,
			q->diag, q->fn, q->new_arena, q->ctx, q->stats);
	}
	return kc_loader_load_buffer(q->name, q->text, q->len, q->limits, q->diag,
		q->fn, q->ctx, q->stats);
}

const struct kc_input_kind kc_input_kubernetes = {
	.name = "kubernetes",
	.patterns = "*.yaml, *.yml or *.json",
	.claims = claims,
	.load = load,
};
