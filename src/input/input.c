#include <string.h>

#include "k8scheck/input.h"

/* The table: a new kind is one more row. The first row is the default for
 * files named explicitly that no kind claims. */
const struct kc_input_kind *const kc_input_kinds[] = {
	&kc_input_kubernetes,
};

const unsigned kc_input_kind_count = sizeof(kc_input_kinds) / sizeof(*kc_input_kinds);

const struct kc_input_kind *kc_input_find(const char *name)
{
	const char *slash = strrchr(name, '/');
	const char *base = slash != NULL ? slash + 1 : name;
	for (unsigned i = 0; i < kc_input_kind_count; i++) {
		if (kc_input_kinds[i]->claims(base)) {
			return kc_input_kinds[i];
		}
	}
	return NULL;
}

const struct kc_input_kind *kc_input_for(const char *name)
{
	const struct kc_input_kind *k = name != NULL ? kc_input_find(name) : NULL;
	return k != NULL ? k : kc_input_kinds[0];
}

bool kc_input_load(const struct kc_input_request *req)
{
	return kc_input_for(req->name)->load(req);
}

const char *kc_input_patterns(void)
{
	static char buf[512];
	if (buf[0] != '\0') {
		return buf;
	}
	/* "A", "A or B", "A, B or C": each row's own list stays as written. */
	size_t n = 0;
	for (unsigned i = 0; i < kc_input_kind_count && n < sizeof(buf); i++) {
		const char *sep = i == 0 ? "" : i + 1 == kc_input_kind_count ? " or " : ", ";
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", sep,
			kc_input_kinds[i]->patterns);
	}
	return buf;
}

bool kc_input_read(const char *path, const char *name, FILE *in,
	const struct kc_limits *limits, struct kc_diag *diag,
	struct kc_load_stats *stats, char **out, size_t *out_len)
{
	return kc_loader_read(path, name, in, limits, diag, stats, out, out_len);
}
