/*
 * Dockerfile input: which files are Dockerfiles, loading one with a located
 * diagnostic, and the variable substitution BuildKit applies to FROM.
 * The grammar itself is in dockerfile_parse.c.
 */
#include <string.h>

#include "k8scheck/dockerfile.h"
#include "k8scheck/input.h"

bool kc_dockerfile_load(const char *file, const char *buf, size_t len,
	struct kc_arena *a, struct kc_dockerfile *out, struct kc_diag *diag)
{
	struct kc_df_error err;
	if (kc_dockerfile_parse(buf, len, a, out, &err)) {
		return true;
	}
	kc_diag_at(diag, KC_DIAG_ERROR, file, err.pos.line, err.pos.col, "%s", err.message);
	return false;
}

bool kc_dockerfile_name_matches(const char *base)
{
	/* Docker's conventions: "Dockerfile" (and "dockerfile"), "Dockerfile.*",
	 * "*.Dockerfile", "*.dockerfile", Podman's "Containerfile[.*]". The
	 * ".*" forms are case-sensitive so that "dockerfile.go" (a Go source
	 * file, common in tools) is not taken for one. */
	static const char *const stems[] = { "Dockerfile", "Containerfile" };
	if (strcmp(base, "dockerfile") == 0 || strcmp(base, "containerfile") == 0) {
		return true;
	}
	for (size_t i = 0; i < sizeof(stems) / sizeof(stems[0]); i++) {
		size_t n = strlen(stems[i]);
		if (strncmp(base, stems[i], n) == 0 && (base[n] == '\0' ||
			(base[n] == '.' && base[n + 1] != '\0'))) {
			return true;
		}
	}
	size_t bl = strlen(base);
	return (bl > 11 && strcmp(base + bl - 11, ".Dockerfile") == 0) ||
		(bl > 11 && strcmp(base + bl - 11, ".dockerfile") == 0);
}

/* ---- the input kind ---- */

static bool claims(const char *base)
{
	return kc_dockerfile_name_matches(base);
}

/* The whole file is one document: parse it into the document's arena and
 * hand it over. A parse error is a located diagnostic; nothing is checked. */
static bool load(const struct kc_input_request *q)
{
	q->stats->files++;
	struct kc_arena *a = q->owned ? (q->new_arena != NULL ? q->new_arena(q->ctx) :
		kc_arena_create()) : kc_arena_create();
	struct kc_dockerfile *df = kc_arena_alloc(a, sizeof(*df));
	if (!kc_dockerfile_load(q->name, q->text, q->len, a, df, q->diag)) {
		q->stats->input_errors++;
		kc_arena_destroy(a);
		return false;
	}
	q->stats->documents++;
	q->stats->dockerfiles++;
	q->stats->stages += df->stage_count;
	struct kc_loaded_doc doc = {
		.file = q->name, .text = q->text, .text_len = q->len,
		.start_off = 0, .end_off = q->len, .index = 0,
		.arena = a, .dockerfile = df,
	};
	q->fn(q->ctx, &doc);
	if (!q->owned) {
		kc_arena_destroy(a);
	}
	return true;
}

const struct kc_input_kind kc_input_dockerfile = {
	.name = "dockerfile",
	.patterns = "Dockerfile",
	.claims = claims,
	.load = load,
};

struct out {
	struct kc_arena *a;
	char *s;
	size_t n, cap;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->n + n + 1 > o->cap) {
		size_t cap = 2 * (o->n + n + 1);
		char *g = kc_arena_alloc(o->a, cap);
		if (o->n > 0) {
			memcpy(g, o->s, o->n);
		}
		o->s = g;
		o->cap = cap;
	}
	memcpy(o->s + o->n, s, n);
	o->n += n;
	o->s[o->n] = '\0';
}

static bool name_char(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
		(!first && c >= '0' && c <= '9');
}

/* The value of name, *known false if it is declared without a default.
 * An undeclared name expands to "" (as BuildKit does). */
static const char *value(const char *name, size_t n, const char *const *vars,
	const char *const *vals, unsigned count, bool *set, bool *known)
{
	*known = true;
	*set = false;
	for (unsigned i = count; i-- > 0;) {
		if (strlen(vars[i]) == n && memcmp(vars[i], name, n) == 0) {
			*set = true;
			*known = vals[i] != NULL;
			return vals[i] != NULL ? vals[i] : "";
		}
	}
	return "";
}

static bool expand(struct out *o, const char *s, size_t len, const char *const *vars,
	const char *const *vals, unsigned count, unsigned depth)
{
	if (depth > 8) {
		return false;
	}
	for (size_t i = 0; i < len;) {
		char c = s[i];
		if (c == '\\' && i + 1 < len) {
			put(o, s + i + 1, 1);
			i += 2;
			continue;
		}
		if (c != '$' || i + 1 >= len) {
			put(o, s + i, 1);
			i++;
			continue;
		}
		bool set, known;
		if (name_char(s[i + 1], true)) {
			size_t k = i + 1;
			while (k < len && name_char(s[k], false)) {
				k++;
			}
			const char *v = value(s + i + 1, k - i - 1, vars, vals, count, &set, &known);
			if (!known) {
				return false;
			}
			put(o, v, strlen(v));
			i = k;
			continue;
		}
		if (s[i + 1] != '{') {
			put(o, s + i, 1);
			i++;
			continue;
		}
		size_t k = i + 2;
		while (k < len && name_char(s[k], k == i + 2)) {
			k++;
		}
		size_t ns = i + 2, ne = k;
		if (ne == ns || k >= len) {
			return false;
		}
		/* The closing brace, counting nested ${...} in the word. */
		size_t close = k;
		int nest = 1;
		for (; close < len; close++) {
			if (s[close] == '{') {
				nest++;
			} else if (s[close] == '}' && --nest == 0) {
				break;
			}
		}
		if (close >= len) {
			return false;
		}
		const char *v = value(s + ns, ne - ns, vars, vals, count, &set, &known);
		if (s[k] == '}') {
			if (!known) {
				return false;
			}
			put(o, v, strlen(v));
		} else {
			bool colon = s[k] == ':';
			char op = colon ? (k + 1 < close ? s[k + 1] : '\0') : s[k];
			size_t ws = k + (colon ? 2 : 1);
			if (ws > close) {
				return false;
			}
			bool present = colon ? (set && (!known || v[0] != '\0')) : set;
			if (op == '-') {
				/* Unknown at build time: the default is what a plain
				 * `docker build` uses. */
				if (present && known) {
					put(o, v, strlen(v));
				} else if (!expand(o, s + ws, close - ws, vars, vals, count, depth + 1)) {
					return false;
				}
			} else if (op == '+') {
				if (!known) {
					return false;
				}
				if (present && !expand(o, s + ws, close - ws, vars, vals, count,
					depth + 1)) {
					return false;
				}
			} else {
				return false;   /* ${X:?err}, ${X#pat}...: not resolved statically */
			}
		}
		i = close + 1;
	}
	return true;
}

char *kc_dockerfile_expand(const char *s, const char *const *vars,
	const char *const *vals, unsigned n, struct kc_arena *a)
{
	struct out o = { .a = a };
	put(&o, "", 0);
	if (!expand(&o, s, strlen(s), vars, vals, n, 0)) {
		return NULL;
	}
	return o.s;
}
