/*
 * A small shell splitter for RUN commands. hadolint hands RUN to ShellCheck's
 * parser; the rules only need the simple commands, their words (quotes
 * removed) and the operators between them, so this splits on `&&`, `||`,
 * `;`, `|`, `&`, newlines and parentheses/braces, drops redirections and
 * comments, keeps `$(...)` and backquotes inside the word they belong to, and
 * steps over `if`/`then`/`do`/... so `if x; then apt-get install y; fi`
 * still shows `apt-get install y`.
 */
#include <string.h>

#include "dockerfile_internal.h"

struct split {
	struct kc_arena *a;
	struct df_shell *out;
	unsigned cap;
	const char **argv;
	unsigned argc, argcap;
	size_t start;
	char sep;
	unsigned pipeline;
	char *word;
	size_t wn;
	bool in_word;
	bool skip_next;          /* the word after a redirection operator */
};

static void end_word(struct split *s)
{
	if (!s->in_word) {
		return;
	}
	s->in_word = false;
	s->word[s->wn] = '\0';
	if (s->skip_next) {
		s->skip_next = false;
		s->wn = 0;
		return;
	}
	if (s->argc == s->argcap) {
		s->argcap = s->argcap ? 2 * s->argcap : 8;
		const char **g = kc_arena_alloc(s->a, s->argcap * sizeof(*g));
		if (s->argc > 0) {
			memcpy(g, s->argv, s->argc * sizeof(*g));
		}
		s->argv = g;
	}
	s->argv[s->argc++] = kc_arena_strndup(s->a, s->word, s->wn);
	s->wn = 0;
}

static bool is_keyword(const char *w)
{
	static const char *const kw[] = { "if", "then", "else", "elif", "fi", "do",
		"done", "while", "until", "for", "case", "esac", "!", "{", "}" };
	for (size_t i = 0; i < sizeof(kw) / sizeof(kw[0]); i++) {
		if (strcmp(w, kw[i]) == 0) {
			return true;
		}
	}
	return false;
}

static bool is_assignment(const char *w)
{
	const char *eq = strchr(w, '=');
	if (eq == NULL || eq == w) {
		return false;
	}
	for (const char *c = w; c < eq; c++) {
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || *c == '_' ||
			(c > w && *c >= '0' && *c <= '9'))) {
			return false;
		}
	}
	return true;
}

static void end_cmd(struct split *s, char next_sep, bool pipe)
{
	end_word(s);
	unsigned k = 0;
	/* Keywords and assignments before the command name. */
	while (k < s->argc && (is_keyword(s->argv[k]) || is_assignment(s->argv[k]))) {
		k++;
	}
	if (k < s->argc) {
		struct df_shell *o = s->out;
		if (o->count == s->cap) {
			s->cap = s->cap ? 2 * s->cap : 8;
			struct df_cmd *g = kc_arena_alloc(s->a, s->cap * sizeof(*g));
			if (o->count > 0) {
				memcpy(g, o->cmds, o->count * sizeof(*g));
			}
			o->cmds = g;
		}
		o->cmds[o->count++] = (struct df_cmd){
			.argv = s->argv + k,
			.argc = s->argc - k,
			.start = s->start,
			.sep = s->sep,
			.piped = pipe,
			.pipeline = s->pipeline,
		};
		s->sep = next_sep;
	} else if (s->sep == 0 || next_sep != '|') {
		s->sep = next_sep == 0 ? s->sep : next_sep;
	}
	if (!pipe) {
		s->pipeline++;
	}
	s->argv = NULL;
	s->argc = s->argcap = 0;
}

/* Skip a $(...) / ${...} / `...` group starting at i, copying it into the
 * word; returns the index past it. */
static size_t group(struct split *s, const char *t, size_t i)
{
	char open = t[i + 1], close = open == '(' ? ')' : '}';
	int depth = 0;
	size_t k = i;
	for (; t[k] != '\0'; k++) {
		s->word[s->wn++] = t[k];
		if (k > i && t[k] == open) {
			depth++;
		} else if (t[k] == close && --depth <= 0 && k > i + 1) {
			return k + 1;
		}
		if (t[k] == '\\' && t[k + 1] != '\0') {
			s->word[s->wn++] = t[++k];
		}
	}
	return k;
}

void df_shell_parse(struct kc_arena *a, const char *t, struct df_shell *out)
{
	*out = (struct df_shell){ 0 };
	struct split s = { .a = a, .out = out };
	s.word = kc_arena_alloc(a, strlen(t) + 1);
	for (size_t i = 0; t[i] != '\0';) {
		char c = t[i];
		if (c == ' ' || c == '\t' || c == '\r') {
			end_word(&s);
			i++;
			continue;
		}
		if (c == '\\' && t[i + 1] == '\n') {   /* continuation inside a heredoc */
			i += 2;
			continue;
		}
		if (!s.in_word && c == '#') {
			while (t[i] != '\0' && t[i] != '\n') {
				i++;
			}
			continue;
		}
		if (c == '\n' || c == ';' || c == '(' || c == ')' ||
			(c == '&' && t[i + 1] != '>') || c == '|') {
			bool two = (c == '&' && t[i + 1] == '&') || (c == '|' && t[i + 1] == '|') ||
				(c == ';' && t[i + 1] == ';');
			char sep = c == '&' ? (two ? '&' : ';') : c == '|' ? (two ? 'o' : '|') :
				';';
			end_cmd(&s, sep, c == '|' && !two);
			i += two ? 2 : 1;
			continue;
		}
		if (c == '>' || c == '<') {
			/* A redirection: drop the operator and its target. Digits just
			 * before it (2>) belong to it too. */
			if (s.in_word) {
				bool digits = true;
				for (size_t k = 0; k < s.wn; k++) {
					digits = digits && s.word[k] >= '0' && s.word[k] <= '9';
				}
				if (digits) {
					s.in_word = false;
					s.wn = 0;
				} else {
					end_word(&s);
				}
			}
			while (t[i] == '>' || t[i] == '<' || t[i] == '&' || t[i] == '|') {
				i++;
			}
			if (t[i] == '-' || (t[i] >= '0' && t[i] <= '9' && t[i - 1] == '&')) {
				while (t[i] == '-' || (t[i] >= '0' && t[i] <= '9')) {
					i++;
				}
				continue;
			}
			s.skip_next = true;
			continue;
		}
		if (!s.in_word) {
			s.in_word = true;
			if (s.argc == 0) {
				s.start = i;
			}
		}
		if (c == '\'') {
			for (i++; t[i] != '\0' && t[i] != '\''; i++) {
				s.word[s.wn++] = t[i];
			}
			if (t[i] != '\0') {
				i++;
			}
			continue;
		}
		if (c == '"') {
			for (i++; t[i] != '\0' && t[i] != '"'; i++) {
				if (t[i] == '\\' && t[i + 1] != '\0') {
					i++;
				}
				s.word[s.wn++] = t[i];
			}
			if (t[i] != '\0') {
				i++;
			}
			continue;
		}
		if (c == '$' && (t[i + 1] == '(' || t[i + 1] == '{')) {
			i = group(&s, t, i);
			continue;
		}
		if (c == '`') {
			s.word[s.wn++] = t[i++];
			while (t[i] != '\0' && t[i] != '`') {
				s.word[s.wn++] = t[i++];
			}
			if (t[i] != '\0') {
				s.word[s.wn++] = t[i++];
			}
			continue;
		}
		if (c == '\\' && t[i + 1] != '\0') {
			i++;
		}
		s.word[s.wn++] = t[i++];
	}
	end_cmd(&s, 0, false);
}

const char *df_cmd_name(const struct df_cmd *c)
{
	if (c->argc == 0) {
		return "";
	}
	const char *n = strrchr(c->argv[0], '/');
	return n != NULL ? n + 1 : c->argv[0];
}

bool df_cmd_flag(const struct df_cmd *c, char shortopt, const char *longopt)
{
	size_t ll = longopt != NULL ? strlen(longopt) : 0;
	for (unsigned i = 1; i < c->argc; i++) {
		const char *w = c->argv[i];
		if (strcmp(w, "--") == 0) {
			return false;
		}
		if (w[0] == '-' && w[1] == '-') {
			if (longopt != NULL && strncmp(w + 2, longopt, ll) == 0 &&
				(w[2 + ll] == '\0' || w[2 + ll] == '=')) {
				return true;
			}
		} else if (w[0] == '-' && shortopt != 0 && strchr(w + 1, shortopt) != NULL) {
			/* -o takes a value: "-oDpkg::..." is not -D -p -k -g. */
			const char *o = strchr(w + 1, 'o');
			const char *x = strchr(w + 1, shortopt);
			if (o == NULL || x < o || shortopt == 'o') {
				return true;
			}
		}
	}
	return false;
}

bool df_apt_install(const struct df_cmd *c)
{
	if (strcmp(df_cmd_name(c), "apt-get") != 0) {
		return false;
	}
	for (unsigned i = 1; i < c->argc; i++) {
		if (strcmp(c->argv[i], "install") == 0) {
			return true;
		}
	}
	return false;
}

const struct kc_df_instr *df_next_run(const struct kc_dockerfile *df, unsigned *i)
{
	while (*i < df->count) {
		const struct kc_df_instr *in = &df->instrs[(*i)++];
		if (in->cmd == KC_DF_RUN) {
			return in;
		}
		if (in->cmd == KC_DF_ONBUILD && in->sub != NULL && in->sub->cmd == KC_DF_RUN) {
			return in->sub;
		}
	}
	return NULL;
}
