/*
 * The Dockerfile parser. It follows BuildKit's frontend/dockerfile/parser:
 * lines are read one by one; a line whose last non-blank character is the
 * escape token (not itself escaped) continues on the next one; comment lines
 * and blank lines inside a continuation are dropped; the joined line is split
 * into keyword, `--flags` and arguments; RUN/COPY/ADD words of the form
 * `<<EOF` start here-documents read from the following lines. Parser
 * directives (`# syntax=`, `# escape=`, `# check=`) are only recognised
 * before anything else.
 *
 * Every character of a joined line remembers its byte offset in the file
 * (the `map` below), so an argument that spans a continuation still gets the
 * position of its first character and the end of its last one.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8scheck/dockerfile.h"

static const char *const cmd_names[KC_DF__COUNT] = {
	[KC_DF_ADD] = "ADD",
	[KC_DF_ARG] = "ARG",
	[KC_DF_CMD] = "CMD",
	[KC_DF_COPY] = "COPY",
	[KC_DF_ENTRYPOINT] = "ENTRYPOINT",
	[KC_DF_ENV] = "ENV",
	[KC_DF_EXPOSE] = "EXPOSE",
	[KC_DF_FROM] = "FROM",
	[KC_DF_HEALTHCHECK] = "HEALTHCHECK",
	[KC_DF_LABEL] = "LABEL",
	[KC_DF_MAINTAINER] = "MAINTAINER",
	[KC_DF_ONBUILD] = "ONBUILD",
	[KC_DF_RUN] = "RUN",
	[KC_DF_SHELL] = "SHELL",
	[KC_DF_STOPSIGNAL] = "STOPSIGNAL",
	[KC_DF_USER] = "USER",
	[KC_DF_VOLUME] = "VOLUME",
	[KC_DF_WORKDIR] = "WORKDIR",
};

const char *kc_dockerfile_cmd_name(enum kc_df_cmd c)
{
	return c < KC_DF__COUNT ? cmd_names[c] : "?";
}

/* Growable arrays in the arena (the old block is abandoned on growth). */
#define PUSH(a, arr, n, cap) \
	do { \
		if ((n) == (cap)) { \
			(cap) = (cap) ? 2 * (cap) : 8; \
			void *grown_ = kc_arena_alloc((a), (cap) * sizeof(*(arr))); \
			if ((n) > 0) { \
				memcpy(grown_, (arr), (n) * sizeof(*(arr))); \
			} \
			(arr) = grown_; \
		} \
	} while (0)

struct parser {
	const char *buf;
	size_t len;
	struct kc_arena *a;
	struct kc_dockerfile *df;
	struct kc_df_error *err;
	bool failed;
	char escape;
	/* The joined (logical) line being parsed and each character's offset. */
	char *j;
	size_t *map;
	size_t jn;
	size_t next;             /* offset of the next physical line */
	unsigned instr_cap, comment_cap;
};

static bool fail_at(struct parser *p, size_t off, const char *fmt, ...) KC_PRINTF(3, 4);

static bool fail_at(struct parser *p, size_t off, const char *fmt, ...)
{
	if (p->failed) {
		return false;
	}
	p->failed = true;
	p->err->pos = kc_dockerfile_pos(p->df, off);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->err->message, sizeof(p->err->message), fmt, ap);
	va_end(ap);
	return false;
}

struct kc_pos kc_dockerfile_pos(const struct kc_dockerfile *df, size_t off)
{
	if (df->line_count == 0) {
		return (struct kc_pos){ 1, 1 };
	}
	if (off > df->len) {
		off = df->len;
	}
	unsigned lo = 0, hi = df->line_count;
	while (hi - lo > 1) {
		unsigned mid = lo + (hi - lo) / 2;
		if (df->line_off[mid] <= off) {
			lo = mid;
		} else {
			hi = mid;
		}
	}
	unsigned col = 1;
	for (size_t i = df->line_off[lo]; i < off; i++) {
		/* Characters, not bytes: UTF-8 continuation bytes do not count. */
		if (((unsigned char)df->buf[i] & 0xC0) != 0x80) {
			col++;
		}
	}
	return (struct kc_pos){ lo + 1, col };
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* A span of the joined line [i, k) as a located text. */
static struct kc_df_text jtext(struct parser *p, size_t i, size_t k)
{
	struct kc_df_text t = { 0 };
	t.s = kc_arena_strndup(p->a, p->j + i, k - i);
	t.len = k - i;
	t.off = i < p->jn ? p->map[i] : (p->jn > 0 ? p->map[p->jn - 1] + 1 : 0);
	t.end_off = k > i ? p->map[k - 1] + 1 : t.off;
	t.pos = kc_dockerfile_pos(p->df, t.off);
	t.end = kc_dockerfile_pos(p->df, t.end_off);
	return t;
}

/* A span of the file itself. */
static struct kc_df_text ftext(struct parser *p, size_t off, size_t end)
{
	struct kc_df_text t = { 0 };
	t.s = kc_arena_strndup(p->a, p->buf + off, end - off);
	t.len = end - off;
	t.off = off;
	t.end_off = end;
	t.pos = kc_dockerfile_pos(p->df, off);
	t.end = kc_dockerfile_pos(p->df, end);
	return t;
}

/* ---- physical lines ------------------------------------------------------ */

/* The next physical line: [*start, *end) without its line break and
 * trailing CRs (BuildKit's trimNewline). False at the end of the file. */
static bool next_line(struct parser *p, size_t *start, size_t *end)
{
	if (p->next >= p->len) {
		return false;
	}
	size_t s = p->next;
	const char *nl = memchr(p->buf + s, '\n', p->len - s);
	size_t e = nl != NULL ? (size_t)(nl - p->buf) : p->len;
	p->next = nl != NULL ? e + 1 : p->len;
	while (e > s && p->buf[e - 1] == '\r') {
		e--;
	}
	*start = s;
	*end = e;
	return true;
}

static size_t skip_space(const char *b, size_t i, size_t end)
{
	while (i < end && is_space(b[i])) {
		i++;
	}
	return i;
}

/* If [s, e) ends with the escape token and blanks, and that token is not
 * itself escaped, return the offset of the token (the content end), else e.
 * *cont says which. */
static size_t continuation(const struct parser *p, size_t s, size_t e, bool *cont)
{
	size_t k = e;
	while (k > s && (p->buf[k - 1] == ' ' || p->buf[k - 1] == '\t')) {
		k--;
	}
	*cont = k > s && p->buf[k - 1] == p->escape &&
		(k - 1 == s || p->buf[k - 2] != p->escape);
	return *cont ? k - 1 : e;
}

static void append(struct parser *p, size_t s, size_t e)
{
	for (size_t i = s; i < e; i++) {
		p->j[p->jn] = p->buf[i];
		p->map[p->jn] = i;
		p->jn++;
	}
	p->j[p->jn] = '\0';
}

static void add_comment(struct parser *p, size_t hash, size_t e)
{
	struct kc_dockerfile *df = p->df;
	PUSH(p->a, df->comments, df->comment_count, p->comment_cap);
	size_t s = skip_space(p->buf, hash + 1, e);
	size_t k = e;
	while (k > s && is_space(p->buf[k - 1])) {
		k--;
	}
	df->comments[df->comment_count++] = (struct kc_df_comment){
		.pos = kc_dockerfile_pos(df, hash),
		.off = hash,
		.text = kc_arena_strndup(p->a, p->buf + s, k - s),
	};
}

/* ---- parser directives ---------------------------------------------------- */

/* `#\s*name\s*=\s*value\s*`: true with the parts if the line is one. */
static bool directive(const char *b, size_t s, size_t e, size_t *ns, size_t *ne,
	size_t *vs, size_t *ve)
{
	s = skip_space(b, s, e);
	if (s >= e || b[s] != '#') {
		return false;
	}
	size_t i = skip_space(b, s + 1, e);
	*ns = i;
	if (i >= e || !((b[i] >= 'a' && b[i] <= 'z') || (b[i] >= 'A' && b[i] <= 'Z'))) {
		return false;
	}
	while (i < e && ((b[i] >= 'a' && b[i] <= 'z') || (b[i] >= 'A' && b[i] <= 'Z') ||
		(b[i] >= '0' && b[i] <= '9'))) {
		i++;
	}
	*ne = i;
	i = skip_space(b, i, e);
	if (i >= e || b[i] != '=') {
		return false;
	}
	i = skip_space(b, i + 1, e);
	size_t k = e;
	while (k > i && is_space(b[k - 1])) {
		k--;
	}
	if (k == i) {
		return false;
	}
	*vs = i;
	*ve = k;
	return true;
}

static bool name_is(const char *b, size_t s, size_t e, const char *name)
{
	size_t n = strlen(name);
	if (e - s != n) {
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		char c = b[s + i];
		if (c >= 'A' && c <= 'Z') {
			c = (char)(c - 'A' + 'a');
		}
		if (c != name[i]) {
			return false;
		}
	}
	return true;
}

/* Read the parser directives at the top; false on a bad one. */
static bool directives(struct parser *p)
{
	bool seen_escape = false, seen_syntax = false, seen_check = false;
	for (;;) {
		size_t save = p->next, s, e;
		if (!next_line(p, &s, &e)) {
			return true;
		}
		size_t ns, ne, vs, ve;
		bool *seen = NULL;
		if (directive(p->buf, s, e, &ns, &ne, &vs, &ve)) {
			if (name_is(p->buf, ns, ne, "escape")) {
				seen = &seen_escape;
			} else if (name_is(p->buf, ns, ne, "syntax")) {
				seen = &seen_syntax;
			} else if (name_is(p->buf, ns, ne, "check")) {
				seen = &seen_check;
			}
		}
		if (seen == NULL) {
			p->next = save;
			return true;
		}
		if (*seen) {
			return fail_at(p, ns, "only one '%.*s' parser directive can be used",
				(int)(ne - ns), p->buf + ns);
		}
		*seen = true;
		if (seen == &seen_escape) {
			if (ve - vs != 1 || (p->buf[vs] != '\\' && p->buf[vs] != '`')) {
				return fail_at(p, vs, "invalid escape token '%.*s': use ` or \\",
					(int)(ve - vs), p->buf + vs);
			}
			p->escape = p->buf[vs];
		} else if (seen == &seen_syntax) {
			p->df->syntax = kc_arena_strndup(p->a, p->buf + vs, ve - vs);
		}
	}
}

/* ---- words, flags, JSON -------------------------------------------------- */

/* The end of the shell-like word starting at i (quotes group, the escape
 * token escapes the next character outside single quotes). */
static size_t word_end(const char *j, size_t i, size_t n, char esc)
{
	char quote = 0;
	for (; i < n; i++) {
		char c = j[i];
		if (quote != 0) {
			if (c == quote) {
				quote = 0;
			} else if (c == esc && quote == '"' && i + 1 < n) {
				i++;
			}
			continue;
		}
		if (is_space(c)) {
			break;
		}
		if (c == '\'' || c == '"') {
			quote = c;
		} else if (c == esc && i + 1 < n) {
			i++;
		}
	}
	return i;
}

/* Remove quotes and escapes from a word (BuildKit's ProcessWord without
 * variables). */
static char *unquote(struct kc_arena *a, const char *s, size_t n, char esc, bool *quoted)
{
	char *out = kc_arena_alloc(a, n + 1);
	size_t o = 0;
	char quote = 0;
	if (quoted != NULL) {
		*quoted = false;
	}
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (quote != 0) {
			if (c == quote) {
				quote = 0;
				continue;
			}
			if (c == esc && quote == '"' && i + 1 < n) {
				c = s[++i];
			}
			out[o++] = c;
			continue;
		}
		if (c == '\'' || c == '"') {
			quote = c;
			if (quoted != NULL) {
				*quoted = true;
			}
			continue;
		}
		if (c == esc && i + 1 < n) {
			c = s[++i];
		}
		out[o++] = c;
	}
	out[o] = '\0';
	return out;
}

/* BuildKit's extractBuilderFlags: leading words that start with "--".
 * Returns the index where the arguments start. */
static size_t flags(struct parser *p, struct kc_df_instr *in, size_t i, size_t n)
{
	unsigned cap = 0;
	for (;;) {
		i = skip_space(p->j, i, n);
		if (i + 1 >= n || p->j[i] != '-' || p->j[i + 1] != '-') {
			return i;
		}
		size_t e = word_end(p->j, i, n, '\\');
		if (e - i == 2) {   /* a lone "--" ends the flags */
			return skip_space(p->j, e, n);
		}
		char *w = unquote(p->a, p->j + i + 2, e - i - 2, '\\', NULL);
		PUSH(p->a, in->flags, in->flag_count, cap);
		struct kc_df_flag *f = &in->flags[in->flag_count++];
		f->text = jtext(p, i, e);
		char *eq = strchr(w, '=');
		if (eq != NULL) {
			*eq = '\0';
			f->value = eq + 1;
		}
		f->name = w;
		i = e;
	}
}

static size_t json_space(const char *j, size_t i, size_t n)
{
	while (i < n && (j[i] == ' ' || j[i] == '\t' || j[i] == '\r' || j[i] == '\n')) {
		i++;
	}
	return i;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	if (c >= 'a' && c <= 'f') {
		return c - 'a' + 10;
	}
	if (c >= 'A' && c <= 'F') {
		return c - 'A' + 10;
	}
	return -1;
}

/* A JSON string at j[i] == '"': decoded into *out (UTF-8), returns the
 * index past its closing quote, or 0 if it is not a valid string. */
static size_t json_string(struct parser *p, size_t i, size_t n, char **out)
{
	char *o = kc_arena_alloc(p->a, n - i + 1);
	size_t k = 0;
	for (i++; i < n; i++) {
		unsigned char c = (unsigned char)p->j[i];
		if (c == '"') {
			o[k] = '\0';
			*out = o;
			return i + 1;
		}
		if (c < 0x20) {
			return 0;
		}
		if (c != '\\') {
			o[k++] = (char)c;
			continue;
		}
		if (++i >= n) {
			return 0;
		}
		switch (p->j[i]) {
		case '"': o[k++] = '"'; break;
		case '\\': o[k++] = '\\'; break;
		case '/': o[k++] = '/'; break;
		case 'b': o[k++] = '\b'; break;
		case 'f': o[k++] = '\f'; break;
		case 'n': o[k++] = '\n'; break;
		case 'r': o[k++] = '\r'; break;
		case 't': o[k++] = '\t'; break;
		case 'u': {
			if (i + 4 >= n) {
				return 0;
			}
			unsigned cp = 0;
			for (int d = 1; d <= 4; d++) {
				int v = hexval(p->j[i + (size_t)d]);
				if (v < 0) {
					return 0;
				}
				cp = cp * 16 + (unsigned)v;
			}
			i += 4;
			/* Surrogates are not paired up: an approximation that keeps
			 * the text valid UTF-8 is enough for checking. */
			if (cp >= 0xD800 && cp <= 0xDFFF) {
				cp = 0xFFFD;
			}
			if (cp == 0) {
				cp = 0xFFFD;   /* keep the strings NUL-free */
			}
			if (cp < 0x80) {
				o[k++] = (char)cp;
			} else if (cp < 0x800) {
				o[k++] = (char)(0xC0 | (cp >> 6));
				o[k++] = (char)(0x80 | (cp & 0x3F));
			} else {
				o[k++] = (char)(0xE0 | (cp >> 12));
				o[k++] = (char)(0x80 | ((cp >> 6) & 0x3F));
				o[k++] = (char)(0x80 | (cp & 0x3F));
			}
			break;
		}
		default:
			return 0;
		}
	}
	return 0;
}

/* Exec form: [i, n) is a JSON array of strings. On success the elements
 * become in->args; otherwise nothing changes (BuildKit falls back to the
 * shell form). */
static bool json_array(struct parser *p, struct kc_df_instr *in, size_t i, size_t n)
{
	if (i >= n || p->j[i] != '[') {
		return false;
	}
	struct kc_df_text *args = NULL;
	unsigned count = 0, cap = 0;
	i = json_space(p->j, i + 1, n);
	if (i < n && p->j[i] == ']') {
		i++;
	} else {
		for (;;) {
			if (i >= n || p->j[i] != '"') {
				return false;
			}
			char *s;
			size_t e = json_string(p, i, n, &s);
			if (e == 0) {
				return false;
			}
			PUSH(p->a, args, count, cap);
			args[count] = jtext(p, i, e);
			args[count].s = s;
			args[count].len = strlen(s);
			count++;
			i = json_space(p->j, e, n);
			if (i < n && p->j[i] == ',') {
				i = json_space(p->j, i + 1, n);
				continue;
			}
			if (i < n && p->j[i] == ']') {
				i++;
				break;
			}
			return false;
		}
	}
	if (json_space(p->j, i, n) != n) {
		return false;
	}
	in->json = true;
	in->args = args;
	in->arg_count = count;
	return true;
}

/* The arguments as words. ENV, LABEL and ARG split like a shell (quotes
 * group, BuildKit's parseWords); the others at blanks only
 * (parseStringsWhitespaceDelimited), quotes being plain characters. */
static void words(struct parser *p, struct kc_df_instr *in, size_t i, size_t n)
{
	unsigned cap = 0;
	bool quotes = in->cmd == KC_DF_ENV || in->cmd == KC_DF_LABEL || in->cmd == KC_DF_ARG;
	for (;;) {
		i = skip_space(p->j, i, n);
		if (i >= n) {
			return;
		}
		size_t e = i;
		if (quotes) {
			e = word_end(p->j, i, n, p->escape);
		} else {
			while (e < n && !is_space(p->j[e])) {
				e++;
			}
		}
		PUSH(p->a, in->args, in->arg_count, cap);
		in->args[in->arg_count++] = jtext(p, i, e);
		i = e;
	}
}

/* ---- here-documents -------------------------------------------------------- */

static bool heredoc_capable(enum kc_df_cmd c)
{
	return c == KC_DF_RUN || c == KC_DF_COPY || c == KC_DF_ADD;
}

/* The `<<EOF` words of [i, n) (BuildKit's heredocsFromLine). */
static void find_heredocs(struct parser *p, struct kc_df_instr *in, size_t i, size_t n)
{
	unsigned cap = 0;
	for (;;) {
		i = skip_space(p->j, i, n);
		if (i >= n) {
			return;
		}
		size_t e = word_end(p->j, i, n, '\\');
		size_t k = i;
		unsigned fd = 0;
		while (k < e && p->j[k] >= '0' && p->j[k] <= '9') {
			fd = fd * 10 + (unsigned)(p->j[k] - '0');
			if (fd > 1000000) {
				fd = 1000000;
			}
			k++;
		}
		if (k + 1 < e && p->j[k] == '<' && p->j[k + 1] == '<') {
			k += 2;
			bool chomp = k < e && p->j[k] == '-';
			if (chomp) {
				k++;
			}
			k = skip_space(p->j, k, e);
			bool lt = memchr(p->j + k, '<', e - k) != NULL;
			bool quoted;
			char *name = unquote(p->a, p->j + k, e - k, '\\', &quoted);
			if (!lt && name[0] != '\0') {
				PUSH(p->a, in->heredocs, in->heredoc_count, cap);
				in->heredocs[in->heredoc_count++] = (struct kc_df_heredoc){
					.name = name,
					.chomp = chomp,
					.expand = !quoted,
					.fd = fd,
					.word = jtext(p, i, e),
				};
			}
		}
		i = e;
	}
}

/* Read the bodies of in's here-documents from the following lines. */
static bool read_heredocs(struct parser *p, struct kc_df_instr *in)
{
	for (unsigned h = 0; h < in->heredoc_count; h++) {
		struct kc_df_heredoc *d = &in->heredocs[h];
		size_t body = p->next, s, e;
		bool done = false;
		while (next_line(p, &s, &e)) {
			size_t t = s;
			if (d->chomp) {
				while (t < e && p->buf[t] == '\t') {
					t++;
				}
			}
			if (e - t == strlen(d->name) && memcmp(p->buf + t, d->name, e - t) == 0) {
				d->body = ftext(p, body, s);
				in->end_off = e;
				done = true;
				break;
			}
		}
		if (!done) {
			return fail_at(p, d->word.off, "unterminated here-document '%s'", d->name);
		}
	}
	return true;
}

/* ---- instructions --------------------------------------------------------- */

static bool lookup(const char *s, size_t n, enum kc_df_cmd *out)
{
	for (int c = 0; c < KC_DF__COUNT; c++) {
		const char *name = cmd_names[c];
		if (strlen(name) != n) {
			continue;
		}
		size_t i = 0;
		for (; i < n; i++) {
			char ch = s[i];
			if (ch >= 'a' && ch <= 'z') {
				ch = (char)(ch - 'a' + 'A');
			}
			if (ch != name[i]) {
				break;
			}
		}
		if (i == n) {
			*out = (enum kc_df_cmd)c;
			return true;
		}
	}
	return false;
}

static bool may_be_json(enum kc_df_cmd c)
{
	switch (c) {
	case KC_DF_ADD: case KC_DF_COPY: case KC_DF_CMD: case KC_DF_ENTRYPOINT:
	case KC_DF_RUN: case KC_DF_SHELL: case KC_DF_VOLUME:
		return true;
	default:
		return false;
	}
}

/* Parse the joined line from i as one instruction into *in. */
static bool instruction(struct parser *p, struct kc_df_instr *in, size_t i, bool sub)
{
	size_t n = p->jn;
	i = skip_space(p->j, i, n);
	size_t k = i;
	while (k < n && !is_space(p->j[k])) {
		k++;
	}
	in->keyword = jtext(p, i, k);
	in->pos = in->keyword.pos;
	in->off = in->keyword.off;
	in->end_off = p->map[n - 1] + 1;
	if (!lookup(p->j + i, k - i, &in->cmd)) {
		return fail_at(p, in->off, "unknown instruction '%s'", in->keyword.s);
	}
	size_t r = flags(p, in, k, n);
	size_t e = n;
	while (e > r && is_space(p->j[e - 1])) {
		e--;
	}
	in->rest = jtext(p, r, e);
	size_t *rm = kc_arena_alloc(p->a, (e - r + 1) * sizeof(*rm));
	for (size_t x = r; x < e; x++) {
		rm[x - r] = p->map[x];
	}
	rm[e - r] = in->rest.end_off;
	in->rest_map = rm;
	const char *name = cmd_names[in->cmd];
	if (in->cmd == KC_DF_ONBUILD) {
		if (r == e) {
			return fail_at(p, in->off, "ONBUILD requires at least one argument");
		}
		in->sub = kc_arena_alloc(p->a, sizeof(*in->sub));
		if (!instruction(p, in->sub, r, true)) {
			return false;
		}
		enum kc_df_cmd sc = in->sub->cmd;
		if (sc == KC_DF_ONBUILD || sc == KC_DF_FROM || sc == KC_DF_MAINTAINER) {
			return fail_at(p, in->sub->off, "%s is not allowed as an ONBUILD trigger",
				cmd_names[sc]);
		}
		return true;
	}
	if (!(may_be_json(in->cmd) && json_array(p, in, r, e))) {
		words(p, in, r, e);
	}
	if (heredoc_capable(in->cmd) && strstr(in->rest.s, "<<") != NULL) {
		find_heredocs(p, in, r, e);
	}
	bool empty_ok = in->cmd == KC_DF_CMD || in->cmd == KC_DF_ENTRYPOINT ||
		(in->cmd == KC_DF_RUN && in->json);
	if (in->arg_count == 0 && !empty_ok) {
		return fail_at(p, in->off, "%s requires at least one argument", name);
	}
	switch (in->cmd) {
	case KC_DF_FROM:
		if (in->arg_count != 1 && !(in->arg_count == 3 &&
			name_is(in->args[1].s, 0, in->args[1].len, "as"))) {
			return fail_at(p, in->args[in->arg_count > 1 ? 1 : 0].off,
				"FROM requires either one or three arguments ('FROM image AS name')");
		}
		if (in->arg_count == 3) {
			const char *s = in->args[2].s;
			bool ok = (s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z');
			for (const char *c = s; ok && *c; c++) {
				ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
					(*c >= '0' && *c <= '9') || *c == '-' || *c == '_' || *c == '.';
			}
			if (!ok) {
				return fail_at(p, in->args[2].off,
					"invalid name for build stage '%s': it must start with a letter "
					"and contain only letters, digits, '-', '_' and '.'", s);
			}
		}
		break;
	case KC_DF_ENV:
		if (strchr(in->args[0].s, '=') == NULL && in->arg_count < 2) {
			return fail_at(p, in->args[0].off, "ENV needs a value: 'ENV %s=value'",
				in->args[0].s);
		}
		break;
	case KC_DF_SHELL:
		if (!in->json) {
			return fail_at(p, in->rest.off,
				"SHELL requires the arguments to be in JSON form");
		}
		break;
	case KC_DF_HEALTHCHECK: {
		const char *w = in->args[0].s;
		if (!name_is(w, 0, strlen(w), "none") && !name_is(w, 0, strlen(w), "cmd")) {
			return fail_at(p, in->args[0].off,
				"HEALTHCHECK takes NONE or CMD, not '%s'", w);
		}
		break;
	}
	case KC_DF_ADD:
	case KC_DF_COPY:
		if (in->arg_count < 2 && in->heredoc_count == 0) {
			return fail_at(p, in->off, "%s requires at least two arguments "
				"(a source and a destination)", name);
		}
		break;
	default:
		break;
	}
	(void)sub;
	return true;
}

/* Read the next logical line into p->j; false at the end of the file. */
static bool logical_line(struct parser *p)
{
	size_t s, e;
	for (;;) {
		if (!next_line(p, &s, &e)) {
			return false;
		}
		size_t t = skip_space(p->buf, s, e);
		if (t < e && p->buf[t] == '#') {
			add_comment(p, t, e);
			continue;
		}
		bool cont;
		size_t ce = continuation(p, t, e, &cont);
		if (!cont && ce == t) {
			continue;   /* a blank line */
		}
		p->jn = 0;
		append(p, t, ce);
		while (cont && next_line(p, &s, &e)) {
			size_t u = skip_space(p->buf, s, e);
			if (u < e && p->buf[u] == '#') {
				add_comment(p, u, e);
				continue;
			}
			if (u == e) {
				continue;   /* empty continuation line: BuildKit warns */
			}
			ce = continuation(p, s, e, &cont);
			append(p, s, ce);
		}
		/* A line that is only an escape token: nothing to parse. */
		if (skip_space(p->j, 0, p->jn) == p->jn) {
			continue;
		}
		return true;
	}
}

/* ---- stages ----------------------------------------------------------------- */

static void lower(char *s)
{
	for (; *s; s++) {
		if (*s >= 'A' && *s <= 'Z') {
			*s = (char)(*s - 'A' + 'a');
		}
	}
}

/* qsort has no context argument in C11: the stages being sorted. Set just
 * before the call, read only during it (the parser holds no other state). */
static _Thread_local const struct kc_df_stage *sort_stages;

static int cmp_stage_name(const void *x, const void *y)
{
	unsigned a = *(const unsigned *)x, b = *(const unsigned *)y;
	int c = strcmp(sort_stages[a].name, sort_stages[b].name);
	return c != 0 ? c : (a > b) - (a < b);
}

/* strcmp of a lower-case stage name with s, ignoring the case of s. */
static int cmp_lower(const char *name, const char *s)
{
	for (;; name++, s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 'A' && c <= 'Z') {
			c = (unsigned char)(c - 'A' + 'a');
		}
		if ((unsigned char)*name != c || *name == '\0') {
			return (unsigned char)*name - c;
		}
	}
}

int kc_dockerfile_stage_named(const struct kc_dockerfile *df, const char *name,
	unsigned before)
{
	/* The first entry >= (name, before), then the one just before it. */
	unsigned lo = 0, hi = df->named_count;
	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		unsigned s = df->by_name[mid];
		int c = cmp_lower(df->stages[s].name, name);
		if (c < 0 || (c == 0 && s < before)) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	if (lo == 0) {
		return -1;
	}
	unsigned s = df->by_name[lo - 1];
	return cmp_lower(df->stages[s].name, name) == 0 ? (int)s : -1;
}

/* Group instructions into stages, resolve FROM images, name paths. */
static bool stages(struct parser *p)
{
	struct kc_dockerfile *df = p->df;
	/* BuildKit's automatic platform ARGs are usable in FROM without a
	 * declaration; their values are only known at build time. */
	static const char *const platform_args[] = { "BUILDPLATFORM", "BUILDOS",
		"BUILDARCH", "BUILDVARIANT", "TARGETPLATFORM", "TARGETOS", "TARGETARCH",
		"TARGETVARIANT" };
	const unsigned nplat = sizeof(platform_args) / sizeof(platform_args[0]);
	unsigned total_args = 1 + nplat;
	for (unsigned i = 0; i < df->count && df->instrs[i].cmd == KC_DF_ARG; i++) {
		total_args += df->instrs[i].arg_count;
	}
	const char **vars = kc_arena_alloc(p->a, total_args * sizeof(*vars));
	const char **vals = kc_arena_alloc(p->a, total_args * sizeof(*vals));
	unsigned nvars = 0, cap = 0;
	for (; nvars < nplat; nvars++) {
		vars[nvars] = platform_args[nvars];
		vals[nvars] = NULL;
	}
	for (unsigned i = 0; i < df->count; i++) {
		struct kc_df_instr *in = &df->instrs[i];
		if (in->cmd == KC_DF_FROM) {
			PUSH(p->a, df->stages, df->stage_count, cap);
			struct kc_df_stage *st = &df->stages[df->stage_count];
			*st = (struct kc_df_stage){ .index = df->stage_count, .from = in,
				.image = in->args[0], .first = i, .base_stage = -1 };
			if (in->arg_count == 3) {
				char *name = kc_arena_strdup(p->a, in->args[2].s);
				lower(name);
				st->name = name;
			}
			st->label = st->name != NULL ? st->name :
				kc_arena_printf(p->a, "%u", st->index);
			for (unsigned f = 0; f < in->flag_count; f++) {
				if (strcmp(in->flags[f].name, "platform") == 0) {
					st->platform = in->flags[f].value;
				}
			}
			st->image_resolved = kc_dockerfile_expand(in->args[0].s, vars, vals,
				nvars, p->a);
			df->stage_count++;
		} else if (df->stage_count == 0) {
			if (in->cmd != KC_DF_ARG) {
				return fail_at(p, in->off, "%s before the first FROM: only ARG "
					"may come before it", cmd_names[in->cmd]);
			}
			/* Global ARGs: their defaults may use the ARGs before them. */
			for (unsigned w = 0; w < in->arg_count; w++) {
				const char *a = in->args[w].s;
				const char *eq = strchr(a, '=');
				size_t nl = eq != NULL ? (size_t)(eq - a) : strlen(a);
				vars[nvars] = kc_arena_strndup(p->a, a, nl);
				vals[nvars] = NULL;
				if (eq != NULL) {
					char *v = unquote(p->a, eq + 1, strlen(eq + 1), p->escape, NULL);
					vals[nvars] = kc_dockerfile_expand(v, vars, vals, nvars, p->a);
				}
				nvars++;
			}
		}
		in->stage = (int)df->stage_count - 1;
	}
	if (df->stage_count == 0) {
		return fail_at(p, df->count > 0 ? df->instrs[0].off : 0,
			"no FROM instruction: a Dockerfile needs at least one build stage");
	}
	/* Stage names, sorted once: FROM <stage> and every rule's lookups are
	 * then a binary search, not a scan of the stages before. */
	unsigned *by_name = kc_arena_alloc(p->a, (df->stage_count + 1) * sizeof(*by_name));
	unsigned named = 0;
	for (unsigned s = 0; s < df->stage_count; s++) {
		if (df->stages[s].name != NULL) {
			by_name[named++] = s;
		}
	}
	sort_stages = df->stages;
	qsort(by_name, named, sizeof(*by_name), cmp_stage_name);
	df->by_name = by_name;
	df->named_count = named;
	for (unsigned s = 0; s < df->stage_count; s++) {
		struct kc_df_stage *st = &df->stages[s];
		if (st->image_resolved != NULL) {
			st->base_stage = kc_dockerfile_stage_named(df, st->image_resolved, s);
			if (st->base_stage >= 0) {
				df->stages[st->base_stage].is_base = true;
			}
		}
	}
	/* Counts and paths. */
	for (unsigned s = 0; s < df->stage_count; s++) {
		struct kc_df_stage *st = &df->stages[s];
		unsigned end = s + 1 < df->stage_count ? df->stages[s + 1].first : df->count;
		st->count = end - st->first;
	}
	unsigned seen[KC_DF__COUNT];
	for (int s = -1; s < (int)df->stage_count; s++) {
		unsigned from = s < 0 ? 0 : df->stages[s].first;
		unsigned to = s < 0 ? (df->stage_count ? df->stages[0].first : df->count) :
			from + df->stages[s].count;
		unsigned total[KC_DF__COUNT] = { 0 };
		memset(seen, 0, sizeof(seen));
		for (unsigned i = from; i < to; i++) {
			total[df->instrs[i].cmd]++;
		}
		for (unsigned i = from; i < to; i++) {
			struct kc_df_instr *in = &df->instrs[i];
			in->nth = seen[in->cmd]++;
			in->of = total[in->cmd];
			const char *prefix = s < 0 ? "" :
				kc_arena_printf(p->a, "stages[%s].", df->stages[s].label);
			in->path = in->of > 1 ?
				kc_arena_printf(p->a, "%s%s[%u]", prefix, cmd_names[in->cmd], in->nth) :
				kc_arena_printf(p->a, "%s%s", prefix, cmd_names[in->cmd]);
			if (in->sub != NULL) {
				in->sub->stage = in->stage;
				in->sub->path = kc_arena_printf(p->a, "%s.%s", in->path,
					cmd_names[in->sub->cmd]);
			}
		}
	}
	return true;
}

bool kc_dockerfile_parse(const char *buf, size_t len, struct kc_arena *a,
	struct kc_dockerfile *out, struct kc_df_error *err)
{
	struct kc_dockerfile df = { .buf = buf, .len = len, .escape = '\\' };
	struct parser p = { .buf = buf, .len = len, .a = a, .df = &df, .err = err,
		.escape = '\\' };
	/* Line table first: every position below is computed from it. */
	size_t start = len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	unsigned lines = 1;
	for (const char *c = buf + start; (c = memchr(c, '\n', (size_t)(buf + len - c))) != NULL;
		c++) {
		lines++;
	}
	size_t *line_off = kc_arena_alloc(a, lines * sizeof(*line_off));
	line_off[0] = start;
	unsigned li = 1;
	for (size_t i = start; i < len; i++) {
		if (buf[i] == '\n') {
			line_off[li++] = i + 1;
		}
	}
	df.line_off = line_off;
	df.line_count = lines;
	p.next = start;
	const char *nul = memchr(buf, '\0', len);
	if (nul != NULL) {
		fail_at(&p, (size_t)(nul - buf), "a NUL byte: this is not a text file");
		return false;
	}
	p.j = kc_arena_alloc(a, len + 1);
	p.map = kc_arena_alloc(a, (len + 1) * sizeof(*p.map));
	if (!directives(&p)) {
		return false;
	}
	df.escape = p.escape;
	while (logical_line(&p)) {
		PUSH(a, df.instrs, df.count, p.instr_cap);
		struct kc_df_instr *in = &df.instrs[df.count];
		*in = (struct kc_df_instr){ .stage = -1 };
		if (!instruction(&p, in, 0, false)) {
			return false;
		}
		struct kc_df_instr *h = in->sub != NULL ? in->sub : in;
		if (!read_heredocs(&p, h)) {
			return false;
		}
		if (h != in) {
			in->end_off = h->end_off;
		}
		in->end = kc_dockerfile_pos(&df, in->end_off);
		if (in->sub != NULL) {
			in->sub->end = in->end;
		}
		df.count++;
	}
	if (df.count == 0) {
		fail_at(&p, len, "file with no instructions");
		return false;
	}
	if (!stages(&p)) {
		return false;
	}
	*out = df;
	return true;
}
