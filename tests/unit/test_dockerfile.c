/*
 * The Dockerfile parser (every syntax form of BuildKit's grammar that the
 * rules rely on, with positions) and the Dockerfile rules run on parsed
 * files: findings, their positions and paths, suppressions and fixes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8scheck/dockerfile.h"
#include "k8scheck/policy.h"
#include "k8scheck/rule.h"
#include "support.h"

static struct kc_arena *arena;

static void setup(void)
{
	arena = kc_arena_create();
}

static void teardown(void)
{
	kc_arena_destroy(arena);
	arena = NULL;
}

static struct kc_dockerfile parse(const char *text)
{
	struct kc_dockerfile df;
	struct kc_df_error err;
	bool ok = kc_dockerfile_parse(text, strlen(text), arena, &df, &err);
	ck_assert_msg(ok, "parse failed at %u:%u: %s", err.pos.line, err.pos.col, err.message);
	return df;
}

static struct kc_df_error parse_error(const char *text, size_t len)
{
	struct kc_dockerfile df;
	struct kc_df_error err;
	memset(&df, 0x5A, sizeof(df));
	ck_assert(!kc_dockerfile_parse(text, len, arena, &df, &err));
	/* Left untouched on failure. */
	ck_assert_uint_eq(df.count, 0x5A5A5A5Au);
	return err;
}

#define ck_assert_pos(p, l, c) \
	do { \
		ck_assert_uint_eq((p).line, (l)); \
		ck_assert_uint_eq((p).col, (c)); \
	} while (0)

/* ---- parser ---- */

START_TEST(instructions_case_insensitive)
{
	struct kc_dockerfile df = parse("from alpine:3.19\nRun echo hi\n  wOrKdIr /app\n");
	ck_assert_uint_eq(df.count, 3);
	ck_assert_int_eq(df.instrs[0].cmd, KC_DF_FROM);
	ck_assert_int_eq(df.instrs[1].cmd, KC_DF_RUN);
	ck_assert_str_eq(df.instrs[1].keyword.s, "Run");
	ck_assert_int_eq(df.instrs[2].cmd, KC_DF_WORKDIR);
	ck_assert_pos(df.instrs[2].pos, 3, 3);
	ck_assert_str_eq(df.instrs[2].args[0].s, "/app");
	ck_assert_pos(df.instrs[2].args[0].pos, 3, 11);
	ck_assert_pos(df.instrs[2].args[0].end, 3, 15);
	ck_assert_str_eq(df.instrs[1].rest.s, "echo hi");
	ck_assert_uint_eq(df.stage_count, 1);
	ck_assert_str_eq(df.stages[0].image_resolved, "alpine:3.19");
}
END_TEST

START_TEST(continuations_comments_and_blank_lines)
{
	const char *t =
		"FROM debian:12\n"
		"RUN apt-get update \\\n"
		"# a comment inside the continuation\n"
		"\n"
		"    && apt-get install -y \\\n"
		"       curl\n"
		"USER 1000\n";
	struct kc_dockerfile df = parse(t);
	ck_assert_uint_eq(df.count, 3);
	const struct kc_df_instr *run = &df.instrs[1];
	ck_assert_str_eq(run->rest.s, "apt-get update     && apt-get install -y        curl");
	ck_assert_pos(run->pos, 2, 1);
	ck_assert_pos(run->end, 6, 12);
	/* "curl", the last word, on line 6. */
	const struct kc_df_text *curl = &run->args[run->arg_count - 1];
	ck_assert_str_eq(curl->s, "curl");
	ck_assert_pos(curl->pos, 6, 8);
	ck_assert_pos(df.instrs[2].pos, 7, 1);
	ck_assert_uint_eq(df.comment_count, 1);
	ck_assert_str_eq(df.comments[0].text, "a comment inside the continuation");
	ck_assert_pos(df.comments[0].pos, 3, 1);
}
END_TEST

START_TEST(escaped_escape_is_not_a_continuation)
{
	/* "\\" at the end: an escaped backslash, the line ends there. */
	struct kc_dockerfile df = parse("FROM a:1\nRUN echo \\\\\nUSER 1\n");
	ck_assert_uint_eq(df.count, 3);
	ck_assert_str_eq(df.instrs[1].rest.s, "echo \\\\");
	/* Blanks after the escape token still continue the line. */
	df = parse("FROM a:1\nRUN echo a \\  \n b\n");
	ck_assert_uint_eq(df.count, 2);
	ck_assert_str_eq(df.instrs[1].rest.s, "echo a  b");
}
END_TEST

START_TEST(escape_and_syntax_directives)
{
	const char *t =
		"# syntax=docker/dockerfile:1.7\n"
		"# escape=`\n"
		"FROM mcr.microsoft.com/windows/servercore:ltsc2022\n"
		"RUN dir C:\\ `\n"
		"    && echo done\n";
	struct kc_dockerfile df = parse(t);
	ck_assert_int_eq(df.escape, '`');
	ck_assert_str_eq(df.syntax, "docker/dockerfile:1.7");
	ck_assert_uint_eq(df.count, 2);
	ck_assert_str_eq(df.instrs[1].rest.s, "dir C:\\     && echo done");
	ck_assert_uint_eq(df.comment_count, 0);
	/* After a comment or an instruction, a directive is only a comment. */
	df = parse("# hello\n# escape=`\nFROM a:1\nRUN x \\\n  y\n");
	ck_assert_int_eq(df.escape, '\\');
	ck_assert_uint_eq(df.count, 2);
	ck_assert_uint_eq(df.comment_count, 2);
}
END_TEST

START_TEST(directive_errors)
{
	const char *t = "# escape=`\n# escape=\\\nFROM a:1\n";
	struct kc_df_error e = parse_error(t, strlen(t));
	ck_assert_pos(e.pos, 2, 3);
	ck_assert_str_eq(e.message, "only one 'escape' parser directive can be used");
	t = "# escape=x\nFROM a:1\n";
	e = parse_error(t, strlen(t));
	ck_assert_pos(e.pos, 1, 10);
	ck_assert_ptr_nonnull(strstr(e.message, "invalid escape token 'x'"));
}
END_TEST

START_TEST(heredocs)
{
	const char *t =
		"FROM alpine:3.19\n"
		"RUN <<EOF\n"
		"apk add curl\n"
		"EOF\n"
		"COPY <<one <<\"two\" /dst/\n"
		"first\n"
		"one\n"
		"second $X\n"
		"two\n"
		"RUN <<-END bash\n"
		"\techo tabbed\n"
		"\tEND\n"
		"USER 1000\n";
	struct kc_dockerfile df = parse(t);
	ck_assert_uint_eq(df.count, 5);
	const struct kc_df_instr *run = &df.instrs[1];
	ck_assert_uint_eq(run->heredoc_count, 1);
	ck_assert_str_eq(run->heredocs[0].name, "EOF");
	ck_assert(run->heredocs[0].expand);
	ck_assert_str_eq(run->heredocs[0].body.s, "apk add curl\n");
	ck_assert_pos(run->heredocs[0].body.pos, 3, 1);
	ck_assert_pos(run->end, 4, 4);
	const struct kc_df_instr *copy = &df.instrs[2];
	ck_assert_uint_eq(copy->heredoc_count, 2);
	ck_assert_str_eq(copy->heredocs[0].name, "one");
	ck_assert_str_eq(copy->heredocs[0].body.s, "first\n");
	ck_assert_str_eq(copy->heredocs[1].name, "two");
	ck_assert(!copy->heredocs[1].expand);
	ck_assert_str_eq(copy->heredocs[1].body.s, "second $X\n");
	ck_assert_pos(copy->heredocs[1].word.pos, 5, 12);
	const struct kc_df_instr *chomp = &df.instrs[3];
	ck_assert(chomp->heredocs[0].chomp);
	ck_assert_str_eq(chomp->heredocs[0].body.s, "\techo tabbed\n");
	ck_assert_pos(df.instrs[4].pos, 13, 1);
	/* Not a heredoc instruction: "<<" is just text. */
	df = parse("FROM a:1\nLABEL x=\"<<EOF\"\nUSER 1\n");
	ck_assert_uint_eq(df.count, 3);
}
END_TEST

START_TEST(heredoc_unterminated)
{
	const char *t = "FROM a:1\nRUN cat <<EOF\nhello\n";
	struct kc_df_error e = parse_error(t, strlen(t));
	ck_assert_pos(e.pos, 2, 9);
	ck_assert_str_eq(e.message, "unterminated here-document 'EOF'");
}
END_TEST

START_TEST(exec_and_shell_form)
{
	const char *t =
		"FROM a:1\n"
		"ENTRYPOINT [\"npm\", \"start\"]\n"
		"CMD [\"a\\u00e9\", \"b\\\"c\"]\n"
		"CMD [not json]\n"
		"RUN [ \"sh\" , \"-c\" ]   \n";
	struct kc_dockerfile df = parse(t);
	const struct kc_df_instr *ep = &df.instrs[1];
	ck_assert(ep->json);
	ck_assert_uint_eq(ep->arg_count, 2);
	ck_assert_str_eq(ep->args[1].s, "start");
	ck_assert_pos(ep->args[1].pos, 2, 20);
	ck_assert_str_eq(df.instrs[2].args[0].s, "a\xc3\xa9");
	ck_assert_str_eq(df.instrs[2].args[1].s, "b\"c");
	ck_assert(!df.instrs[3].json);
	ck_assert_uint_eq(df.instrs[3].arg_count, 2);
	ck_assert(df.instrs[4].json);
	ck_assert_uint_eq(df.instrs[4].arg_count, 2);
}
END_TEST

START_TEST(flags)
{
	const char *t =
		"FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n"
		"RUN --mount=type=cache,target=/root/.cache --network=none --security=insecure go build\n"
		"FROM alpine:3.19\n"
		"COPY --from=build --chown=1000:1000 --chmod=755 --link /out /app\n";
	struct kc_dockerfile df = parse(t);
	ck_assert_str_eq(df.stages[0].platform, "$BUILDPLATFORM");
	const struct kc_df_instr *run = &df.instrs[1];
	ck_assert_uint_eq(run->flag_count, 3);
	ck_assert_str_eq(run->flags[0].name, "mount");
	ck_assert_str_eq(run->flags[0].value, "type=cache,target=/root/.cache");
	ck_assert_str_eq(run->flags[2].name, "security");
	ck_assert_str_eq(run->rest.s, "go build");
	ck_assert_pos(run->rest.pos, 2, 79);
	const struct kc_df_instr *copy = &df.instrs[3];
	ck_assert_uint_eq(copy->flag_count, 4);
	ck_assert_str_eq(copy->flags[0].value, "build");
	ck_assert_pos(copy->flags[0].text.pos, 4, 6);
	ck_assert_str_eq(copy->flags[3].name, "link");
	ck_assert_ptr_null(copy->flags[3].value);
	ck_assert_uint_eq(copy->arg_count, 2);
	ck_assert_str_eq(copy->args[0].s, "/out");
}
END_TEST

START_TEST(stages_and_paths)
{
	const char *t =
		"ARG BASE=alpine\n"
		"FROM ${BASE}:3.19 AS Builder\n"
		"RUN a\n"
		"RUN b\n"
		"FROM builder AS second\n"
		"USER app\n"
		"FROM scratch\n"
		"COPY --from=second /a /b\n";
	struct kc_dockerfile df = parse(t);
	ck_assert_uint_eq(df.stage_count, 3);
	ck_assert_str_eq(df.stages[0].name, "builder");
	ck_assert_str_eq(df.stages[0].image_resolved, "alpine:3.19");
	ck_assert_int_eq(df.stages[1].base_stage, 0);
	ck_assert_int_eq(df.stages[2].base_stage, -1);
	ck_assert_ptr_null(df.stages[2].name);
	ck_assert_str_eq(df.instrs[0].path, "ARG");
	ck_assert_int_eq(df.instrs[0].stage, -1);
	ck_assert_str_eq(df.instrs[3].path, "stages[builder].RUN[1]");
	ck_assert_str_eq(df.instrs[5].path, "stages[second].USER");
	ck_assert_str_eq(df.instrs[7].path, "stages[2].COPY");
	ck_assert_uint_eq(df.stages[0].count, 3);
}
END_TEST

START_TEST(arg_substitution)
{
	const char *t =
		"ARG REG=docker.io\n"
		"ARG TAG\n"
		"ARG VER=3.19\n"
		"ARG FULL=${REG}/library/alpine:$VER\n"
		"FROM $REG/alpine:${VER}\n"
		"FROM ${REG}/alpine:${TAG:-1.0}\n"
		"FROM alpine${VER:+:}${VER}\n"
		"FROM alpine:${TAG}\n"
		"FROM ${FULL}\n"
		"FROM ${UNDECLARED}alpine:1\n"
		"FROM binaries-$TARGETOS\n";
	struct kc_dockerfile df = parse(t);
	ck_assert_str_eq(df.stages[0].image_resolved, "docker.io/alpine:3.19");
	ck_assert_str_eq(df.stages[1].image_resolved, "docker.io/alpine:1.0");
	ck_assert_str_eq(df.stages[2].image_resolved, "alpine:3.19");
	ck_assert_ptr_null(df.stages[3].image_resolved);   /* TAG has no default */
	ck_assert_str_eq(df.stages[4].image_resolved, "docker.io/library/alpine:3.19");
	ck_assert_str_eq(df.stages[5].image_resolved, "alpine:1");
	ck_assert_ptr_null(df.stages[6].image_resolved);   /* a platform ARG */
}
END_TEST

START_TEST(onbuild)
{
	struct kc_dockerfile df = parse("FROM a:1\nONBUILD RUN --network=none cd /x\n"
		"ONBUILD COPY <<EOF /f\nhi\nEOF\n");
	const struct kc_df_instr *ob = &df.instrs[1];
	ck_assert_int_eq(ob->cmd, KC_DF_ONBUILD);
	ck_assert_ptr_nonnull(ob->sub);
	ck_assert_int_eq(ob->sub->cmd, KC_DF_RUN);
	ck_assert_str_eq(ob->sub->flags[0].name, "network");
	ck_assert_str_eq(ob->sub->rest.s, "cd /x");
	ck_assert_pos(ob->sub->pos, 2, 9);
	ck_assert_str_eq(ob->sub->path, "stages[0].ONBUILD[0].RUN");
	ck_assert_uint_eq(df.instrs[2].sub->heredoc_count, 1);
	ck_assert_str_eq(df.instrs[2].sub->heredocs[0].body.s, "hi\n");
	const char *bad = "FROM a:1\nONBUILD FROM b\n";
	struct kc_df_error e = parse_error(bad, strlen(bad));
	ck_assert_pos(e.pos, 2, 9);
}
END_TEST

START_TEST(errors_are_located)
{
	struct {
		const char *text;
		unsigned line, col;
		const char *msg;
	} cases[] = {
		{ "FROM a:1\nFOO bar\n", 2, 1, "unknown instruction 'FOO'" },
		{ "FROM a b\n", 1, 8, "FROM requires either one or three arguments" },
		{ "FROM a:1 AS 1st\n", 1, 13, "invalid name for build stage '1st'" },
		{ "RUN x\nFROM a:1\n", 1, 1, "RUN before the first FROM" },
		{ "ARG X=1\n", 1, 1, "no FROM instruction" },
		{ "\n# only a comment\n", 3, 1, "file with no instructions" },
		{ "FROM a:1\nSHELL /bin/sh -c\n", 2, 7, "SHELL requires the arguments" },
		{ "FROM a:1\nUSER\n", 2, 1, "USER requires at least one argument" },
		{ "FROM a:1\nENV X\n", 2, 5, "ENV needs a value" },
		{ "FROM a:1\nCOPY x\n", 2, 1, "COPY requires at least two arguments" },
		{ "FROM a:1\nHEALTHCHECK --interval=5s curl x\n", 2, 27, "HEALTHCHECK takes" },
		{ "FROM \xc3\xa9t\xc3\xa9 x\n", 1, 10, "FROM requires" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct kc_df_error e = parse_error(cases[i].text, strlen(cases[i].text));
		ck_assert_msg(strstr(e.message, cases[i].msg) != NULL, "case %zu: %s", i,
			e.message);
		ck_assert_msg(e.pos.line == cases[i].line && e.pos.col == cases[i].col,
			"case %zu: at %u:%u", i, e.pos.line, e.pos.col);
	}
	struct kc_df_error e = parse_error("FROM a\0:1\n", 10);
	ck_assert_pos(e.pos, 1, 7);
}
END_TEST

START_TEST(crlf_bom_and_characters)
{
	const char *t = "\xEF\xBB\xBF" "FROM a:1\r\nLABEL d=\"\xc3\xa9\xc3\xa9\" \\\r\n  e=1\r\nUSER 1\r\n";
	struct kc_dockerfile df = parse(t);
	ck_assert_uint_eq(df.count, 3);
	ck_assert_pos(df.instrs[0].pos, 1, 1);
	ck_assert_str_eq(df.instrs[1].args[1].s, "e=1");
	ck_assert_pos(df.instrs[1].args[1].pos, 3, 3);
	ck_assert_pos(df.instrs[1].args[0].end, 2, 13);
	ck_assert_str_eq(df.instrs[2].args[0].s, "1");
}
END_TEST

START_TEST(file_names)
{
	const char *yes[] = { "Dockerfile", "dockerfile", "Dockerfile.prod", "app.Dockerfile",
		"app.dockerfile", "Containerfile", "Containerfile.dev" };
	const char *no[] = { "Dockerfile.", "Dockerfiles", "README.md", ".dockerfile",
		"x.yaml", "Dockerfile-initial", "dockerfile.go", "DOCKERFILE" };
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		ck_assert_msg(kc_dockerfile_name_matches(yes[i]), "%s", yes[i]);
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		ck_assert_msg(!kc_dockerfile_name_matches(no[i]), "%s", no[i]);
	}
}
END_TEST

/* ---- rules ---- */

struct result {
	struct kc_dockerfile df;
	struct kc_finding **f;
	unsigned n;
};

static struct result check_opt(const char *text, const struct kc_df_options *opt)
{
	struct result r = { .df = parse(text) };
	kc_dockerfile_check(&r.df, "Dockerfile", opt, arena, &r.f, &r.n);
	return r;
}

static struct result check(const char *text)
{
	/* Every rule on, so the off-by-default ones are tested too. */
	static signed char all[64];
	memset(all, 1, sizeof(all));
	struct kc_df_options opt = { .enabled = all };
	return check_opt(text, &opt);
}

/* The findings of rule id, as "line:col" joined by spaces (static buffer). */
static const char *where(const struct result *r, const char *id)
{
	static char buf[512];
	buf[0] = '\0';
	for (unsigned i = 0; i < r->n; i++) {
		if (strcmp(r->f[i]->rule, id) == 0 && !r->f[i]->suppressed) {
			size_t l = strlen(buf);
			snprintf(buf + l, sizeof(buf) - l, "%s%u:%u", l ? " " : "",
				r->f[i]->pos.line, r->f[i]->pos.col);
		}
	}
	return buf;
}

static const struct kc_finding *first(const struct result *r, const char *id)
{
	for (unsigned i = 0; i < r->n; i++) {
		if (strcmp(r->f[i]->rule, id) == 0) {
			return r->f[i];
		}
	}
	ck_abort_msg("no %s finding", id);
	return NULL;
}

/* The text after applying every fix. */
static char *fixed(const struct result *r)
{
	char *out;
	size_t len;
	kc_dockerfile_fix(&r->df, r->f, r->n, &out, &len);
	char *copy = kc_arena_strndup(arena, out, len);
	free(out);
	return copy;
}

START_TEST(seed_initial_dockerfile)
{
	/* The seed's Dockerfile-initial and what hadolint says about it. */
	const char *t =
		"FROM node:14.1.0\n"
		"\n"
		"RUN mkdir /usr/src/goof\n"
		"RUN mkdir /tmp/extracted_files\n"
		"ADD . /usr/src/goof\n"
		"RUN cd /usr/src/goof\n"
		"\n"
		"RUN npm ci --only=production\n"
		"EXPOSE 3001\n"
		"EXPOSE 9229\n"
		"ENTRYPOINT npm start\n";
	struct result r = check(t);
	ck_assert_str_eq(where(&r, "dockerfile-add"), "5:1");
	ck_assert_str_eq(where(&r, "dockerfile-cd"), "6:1");
	ck_assert_str_eq(where(&r, "dockerfile-exec-form"), "11:1");
	ck_assert_str_eq(where(&r, "dockerfile-user-missing"), "1:6");
	ck_assert_uint_eq(r.n, 4);
	const struct kc_finding *cd = first(&r, "dockerfile-cd");
	ck_assert_str_eq(cd->path_str, "stages[0].RUN[2]");
	ck_assert_ptr_nonnull(strstr(cd->note, "WORKDIR /usr/src/goof"));
	ck_assert_uint_eq(cd->change_count, 0);
	ck_assert_str_eq(first(&r, "dockerfile-add")->severity == KC_SEVERITY_ERROR ?
		"error" : "other", "error");
	ck_assert_str_eq(fixed(&r),
		"FROM node:14.1.0\n"
		"\n"
		"RUN mkdir /usr/src/goof\n"
		"RUN mkdir /tmp/extracted_files\n"
		"COPY . /usr/src/goof\n"
		"RUN cd /usr/src/goof\n"
		"\n"
		"RUN npm ci --only=production\n"
		"EXPOSE 3001\n"
		"EXPOSE 9229\n"
		"ENTRYPOINT [\"npm\", \"start\"]\n");
}
END_TEST

START_TEST(seed_final_dockerfile_is_clean)
{
	const char *t =
		"FROM node:14.1.0\n"
		"RUN mkdir /usr/src/goof\n"
		"RUN mkdir /tmp/extracted_files\n"
		"COPY . /usr/src/goof\n"
		"WORKDIR /usr/src/goof\n"
		"RUN npm ci --only=production\n"
		"EXPOSE 3001\n"
		"EXPOSE 9229\n"
		"USER 1000\n"
		"ENTRYPOINT [\"npm\", \"start\"]\n";
	struct result r = check_opt(t, NULL);
	ck_assert_uint_eq(r.n, 0);
}
END_TEST

START_TEST(user_rules)
{
	struct result r = check("FROM a:1 AS b\nUSER root\nFROM a:1\nUSER 0:0\n");
	ck_assert_str_eq(where(&r, "dockerfile-user-root"), "2:6 4:6");
	ck_assert_str_eq(first(&r, "dockerfile-user-root")->path_str, "stages[b].USER");
	/* A later non-root USER in the stage clears it (hadolint). */
	r = check("FROM a:1\nUSER root\nRUN x\nUSER 1000\n");
	ck_assert_str_eq(where(&r, "dockerfile-user-root"), "");
	ck_assert_str_eq(where(&r, "dockerfile-user-missing"), "");
	/* Inherited through FROM <stage>. */
	r = check("FROM a:1 AS base\nUSER 10001\nFROM base\nRUN x\n");
	ck_assert_str_eq(where(&r, "dockerfile-user-missing"), "");
	r = check("FROM gcr.io/distroless/static:nonroot\n");
	ck_assert_str_eq(where(&r, "dockerfile-user-missing"), "");
	r = check("FROM a:1 AS b\nUSER 1000\nFROM debian:12\nRUN x\n");
	ck_assert_str_eq(where(&r, "dockerfile-user-missing"), "3:6");
	/* A name: fixed when the Dockerfile gives its UID. */
	r = check("FROM debian:12\nRUN useradd -r -u 10001 -g app app\nUSER app:app\n");
	ck_assert_str_eq(where(&r, "dockerfile-user-name"), "3:6");
	ck_assert_str_eq(fixed(&r), "FROM debian:12\nRUN useradd -r -u 10001 -g app app\n"
		"USER 10001:app\n");
	r = check("FROM alpine:3\nRUN adduser -D --uid=1001 web\nUSER web\n");
	ck_assert_str_eq(fixed(&r), "FROM alpine:3\nRUN adduser -D --uid=1001 web\nUSER 1001\n");
	r = check("FROM node:20\nUSER node\n");
	ck_assert_str_eq(where(&r, "dockerfile-user-name"), "2:6");
	ck_assert_uint_eq(first(&r, "dockerfile-user-name")->change_count, 0);
	r = check("FROM node:20\nUSER 1000\n");
	ck_assert_str_eq(where(&r, "dockerfile-user-name"), "");
}
END_TEST

START_TEST(image_rules)
{
	struct result r = check(
		"FROM ubuntu AS a\n"
		"FROM a\n"
		"FROM scratch\n"
		"FROM ubuntu:latest\n"
		"FROM ubuntu:latest@sha256:0123\n"
		"FROM ubuntu@sha256:0123\n"
		"FROM localhost:5000/app\n"
		"FROM localhost:5000/app:1\n"
		"ARG X\n"
		"FROM $X\n");
	ck_assert_str_eq(where(&r, "dockerfile-image-untagged"), "1:6 7:6");
	ck_assert_str_eq(where(&r, "dockerfile-image-latest"), "4:6");
	r = check("ARG T=latest\nFROM alpine:${T}\n");
	ck_assert_str_eq(where(&r, "dockerfile-image-latest"), "2:6");
}
END_TEST

START_TEST(add_rule)
{
	struct result r = check(
		"FROM a:1\n"
		"ADD https://example.com/x.tgz /x\n"
		"ADD rootfs.tar.gz /\n"
		"add src/ /app/\n"
		"ADD --chown=1:1 [\"a b\", \"/c\"]\n"
		"ADD --checksum=sha256:00 local /x\n"
		"USER 1\n");
	ck_assert_str_eq(where(&r, "dockerfile-add"), "4:1 5:1 6:1");
	ck_assert_str_eq(fixed(&r), "FROM a:1\n"
		"ADD https://example.com/x.tgz /x\n"
		"ADD rootfs.tar.gz /\n"
		"copy src/ /app/\n"
		"COPY --chown=1:1 [\"a b\", \"/c\"]\n"
		"ADD --checksum=sha256:00 local /x\n"
		"USER 1\n");
}
END_TEST

START_TEST(cd_rule_and_fix)
{
	struct result r = check("FROM a:1\nRUN --network=none cd /src \\\n  && make\nUSER 1\n");
	ck_assert_str_eq(where(&r, "dockerfile-cd"), "2:1");
	ck_assert_str_eq(fixed(&r), "FROM a:1\nWORKDIR /src\nRUN --network=none make\nUSER 1\n");
	/* Later instructions would run elsewhere: only a note. */
	r = check("FROM a:1\nRUN cd /src && make\nRUN make install\n");
	ck_assert_uint_eq(first(&r, "dockerfile-cd")->change_count, 0);
	ck_assert_ptr_nonnull(first(&r, "dockerfile-cd")->note);
	/* cd anywhere in the command is reported. */
	r = check("FROM a:1\nRUN make && (cd x; make)\n");
	ck_assert_str_eq(where(&r, "dockerfile-cd"), "2:1");
	r = check("FROM a:1\nRUN echo cd\n");
	ck_assert_str_eq(where(&r, "dockerfile-cd"), "");
}
END_TEST

START_TEST(exec_form_rule)
{
	struct result r = check(
		"FROM a:1\n"
		"CMD [\"x\"]\n"
		"CMD node server.js --port=8080\n"
		"ENTRYPOINT exec \"$0\" $HOME\n");
	ck_assert_str_eq(where(&r, "dockerfile-exec-form"), "3:1 4:1");
	ck_assert_str_eq(where(&r, "dockerfile-multiple-cmd"), "3:1");
	ck_assert_str_eq(fixed(&r), "FROM a:1\nCMD [\"x\"]\n"
		"CMD [\"node\", \"server.js\", \"--port=8080\"]\nENTRYPOINT exec \"$0\" $HOME\n");
}
END_TEST

START_TEST(apt_rules)
{
	const char *t =
		"FROM debian:12\n"
		"RUN apt-get update && apt-get install curl=7.88 wget\n"
		"RUN apt-get update \\\n"
		"  && apt-get install -y --no-install-recommends ca-certificates=1 ./x.deb \\\n"
		"  && rm -rf /var/lib/apt/lists/*\n"
		"RUN apt-get -qq install -o APT::Install-Recommends=false jq/bookworm\n"
		"USER 1\n";
	struct result r = check(t);
	ck_assert_str_eq(where(&r, "dockerfile-apt-yes"), "2:1");
	ck_assert_str_eq(where(&r, "dockerfile-apt-recommends"), "2:1");
	ck_assert_str_eq(where(&r, "dockerfile-apt-lists"), "2:1");
	ck_assert_str_eq(where(&r, "dockerfile-apt-pin"), "2:1");
	ck_assert_ptr_nonnull(strstr(first(&r, "dockerfile-apt-pin")->message, "'wget'"));
	/* apt-pin is off by default. */
	r = check_opt(t, NULL);
	ck_assert_str_eq(where(&r, "dockerfile-apt-pin"), "");
	/* apt-lists: not in a stage that nothing uses; cache mounts. */
	r = check("FROM debian:12 AS tools\nRUN apt-get update\nFROM alpine:3\n"
		"RUN --mount=type=cache,target=/var/lib/apt/lists apt-get update\n");
	ck_assert_str_eq(where(&r, "dockerfile-apt-lists"), "");
	r = check("FROM debian:13\nRUN apt-get update && apt-get install -y x && "
		"apt-get dist-clean\nUSER 1\n");
	ck_assert_str_eq(where(&r, "dockerfile-apt-lists"), "");
	r = check("FROM debian:12 AS base\nRUN apt-get update\nFROM base\nUSER 1\n");
	ck_assert_str_eq(where(&r, "dockerfile-apt-lists"), "2:1");
}
END_TEST

START_TEST(shell_rules)
{
	struct result r = check(
		"FROM a:1\n"
		"RUN sudo make install\n"
		"RUN curl -fsSL https://x/install.sh | sh\n"
		"RUN wget -qO- https://x | sudo -E bash -\n"
		"RUN sh -c \"$(curl -fsSL https://x)\"\n"
		"USER 1\n");
	ck_assert_str_eq(where(&r, "dockerfile-sudo"), "2:1 4:1");
	ck_assert_str_eq(where(&r, "dockerfile-curl-pipe-shell"), "3:1 4:1 5:1");
	ck_assert_str_eq(where(&r, "dockerfile-pipefail"), "3:1 4:1");
	ck_assert_str_eq(where(&r, "dockerfile-wget-and-curl"), "4:1");
	r = check("FROM a:1\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n"
		"RUN curl x | tar x\nFROM a:1\nRUN set -eo pipefail; curl x | tar x\n"
		"RUN echo 'a|b'\nFROM b:1\nSHELL [\"pwsh\", \"-c\"]\nRUN a | b\n");
	ck_assert_str_eq(where(&r, "dockerfile-pipefail"), "");
	ck_assert_str_eq(where(&r, "dockerfile-curl-pipe-shell"), "");
}
END_TEST

START_TEST(stage_rules)
{
	struct result r = check(
		"FROM a:1 AS build\n"
		"COPY --from=build /a /b\n"
		"FROM a:1 AS build\n"
		"COPY --from=nowhere /a /b\n"
		"COPY --from=1 /a /b\n"
		"COPY --from=0 /a /b\n"
		"COPY --from=5 /a /b\n"
		"COPY --from=nginx:1 /a /b\n"
		"COPY --from=later /a /b\n"
		"FROM a:1 AS later\n"
		"USER 1\n");
	ck_assert_str_eq(where(&r, "dockerfile-copy-from-self"), "2:6 5:6");
	ck_assert_str_eq(where(&r, "dockerfile-copy-from-unknown"), "4:6 7:6 9:6");
	ck_assert_str_eq(where(&r, "dockerfile-stage-name-duplicate"), "3:13");
}
END_TEST

START_TEST(instruction_rules)
{
	struct result r = check(
		"FROM a:1\n"
		"MAINTAINER me\n"
		"WORKDIR app\n"
		"WORKDIR /app\n"
		"WORKDIR $HOME\n"
		"WORKDIR C:\\\\app\n"
		"EXPOSE 80 22/tcp 20-25 2222\n"
		"ENV DB_PASSWORD=hunter2 PASSWORD_FILE=/run/s API_TOKEN=$TOKEN\n"
		"ENV GITHUB_TOKEN ghp_abc\n"
		"ARG NPM_TOKEN\n"
		"ARG AWS_SECRET_ACCESS_KEY=\"AKIAxyz\"\n"
		"ENTRYPOINT [\"a\"]\n"
		"ENTRYPOINT [\"b\"]\n"
		"USER 1\n");
	ck_assert_str_eq(where(&r, "dockerfile-maintainer"), "2:1");
	ck_assert_str_eq(where(&r, "dockerfile-workdir-absolute"), "3:9");
	ck_assert_str_eq(where(&r, "dockerfile-ssh-port"), "7:11 7:18");
	ck_assert_str_eq(where(&r, "dockerfile-secret"), "8:5 9:5 11:5");
	ck_assert_str_eq(where(&r, "dockerfile-multiple-entrypoint"), "13:1");
	/* The value is never printed. */
	for (unsigned i = 0; i < r.n; i++) {
		ck_assert_ptr_null(strstr(r.f[i]->message, "hunter2"));
		ck_assert_ptr_null(strstr(r.f[i]->message, "ghp_abc"));
		ck_assert_ptr_null(strstr(r.f[i]->message, "AKIA"));
	}
}
END_TEST

START_TEST(suppression)
{
	struct result r = check(
		"FROM debian:12\n"
		"# hadolint ignore=DL3008,DL3015\n"
		"RUN apt-get install -y curl\n"
		"# k8scheck:ignore dockerfile-add -- the archive is unpacked on purpose\n"
		"ADD x /y\n"
		"# k8scheck:ignore dockerfile-cd\n"
		"# another comment\n"
		"RUN cd /x\n"
		"USER 1\n");
	ck_assert_str_eq(where(&r, "dockerfile-apt-recommends"), "");
	ck_assert_str_eq(where(&r, "dockerfile-apt-pin"), "");
	ck_assert_str_eq(where(&r, "dockerfile-add"), "");
	const struct kc_finding *add = first(&r, "dockerfile-add");
	ck_assert(add->suppressed);
	ck_assert_str_eq(add->suppress_reason, "the archive is unpacked on purpose");
	ck_assert_str_eq(where(&r, "dockerfile-cd"), "");
	/* A suppressed finding's fix is not applied. */
	ck_assert_ptr_nonnull(strstr(fixed(&r), "ADD x /y"));
}
END_TEST

START_TEST(options_and_aliases)
{
	signed char on[64] = { 0 };
	int sev[64];
	for (size_t i = 0; i < 64; i++) {
		sev[i] = -1;
	}
	ck_assert_uint_le(kc_dockerfile_rule_count, 64);
	int add = kc_dockerfile_rule_index("DL3020");
	ck_assert_int_ge(add, 0);
	ck_assert_str_eq(kc_dockerfile_rules[add].id, "dockerfile-add");
	ck_assert_int_eq(kc_dockerfile_rule_index("dl3020"), add);
	ck_assert_int_eq(kc_dockerfile_rule_index("dockerfile-add"), add);
	ck_assert_int_eq(kc_dockerfile_rule_index("DL9999"), -1);
	ck_assert_str_eq(kc_dockerfile_rule_alias((size_t)add), "DL3020");
	ck_assert_ptr_null(kc_dockerfile_rule_alias(
		(size_t)kc_dockerfile_rule_index("dockerfile-secret")));
	on[add] = -1;
	sev[kc_dockerfile_rule_index("dockerfile-cd")] = KC_SEVERITY_ERROR;
	struct kc_df_options opt = { .enabled = on, .severity = sev };
	struct result r = check_opt("FROM a:1\nADD x /y\nRUN cd /z\nUSER 1\n", &opt);
	ck_assert_uint_eq(r.n, 1);
	ck_assert_str_eq(r.f[0]->rule, "dockerfile-cd");
	ck_assert_int_eq(r.f[0]->severity, KC_SEVERITY_ERROR);
	ck_assert_str_eq(r.f[0]->kind, "Dockerfile");
	ck_assert_uint_eq(strlen(r.f[0]->fingerprint), 16);
	/* Defaults come from the catalog: severity and on/off. */
	r = check_opt("FROM a:1\nADD x /y\nRUN apt-get install -y --no-install-recommends x\n"
		"USER 1\n", NULL);
	ck_assert_uint_eq(r.n, 1);
	ck_assert_int_eq(r.f[0]->severity, KC_SEVERITY_ERROR);   /* dockerfile-add: error */
}
END_TEST

/* Every Dockerfile rule the registry has is documented in the catalog as
 * input: dockerfile, with a hadolint code where hadolint has the check. */
START_TEST(catalog_agrees)
{
	static const char *const own[] = { "dockerfile-curl-pipe-shell", "dockerfile-secret",
		"dockerfile-ssh-port", "dockerfile-user-missing", "dockerfile-user-name" };
	ck_assert_uint_eq(kc_dockerfile_rule_count, 25);
	for (size_t i = 0; i < kc_dockerfile_rule_count; i++) {
		const char *id = kc_dockerfile_rules[i].id;
		const struct kc_rule_meta *m = NULL;
		for (size_t k = 0; k < kc_rule_catalog_count; k++) {
			if (strcmp(kc_rule_catalog[k].id, id) == 0) {
				m = &kc_rule_catalog[k];
			}
		}
		ck_assert_msg(m != NULL, "%s: no catalog entry", id);
		ck_assert_int_eq(m->input, KC_RULE_INPUT_DOCKERFILE);
		bool mine = false;
		for (size_t k = 0; k < sizeof(own) / sizeof(own[0]); k++) {
			mine = mine || strcmp(own[k], id) == 0;
		}
		ck_assert_msg(mine == (kc_dockerfile_rule_alias(i) == NULL), "%s: alias", id);
		ck_assert_msg(m->on_by_default == (strcmp(id, "dockerfile-apt-pin") != 0),
			"%s: default", id);
	}
}
END_TEST

static const char *source_root;

static char *read_example(const char *rel)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/examples/%s", source_root, rel);
	FILE *fp = fopen(path, "rb");
	ck_assert_msg(fp != NULL, "cannot read %s", path);
	char buf[65536];
	size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	return kc_arena_strndup(arena, buf, n);
}

/* The seed's story in examples/goof: what each stage's Dockerfile gets. */
START_TEST(examples_tell_the_story)
{
	ck_assert_ptr_nonnull(source_root);
	struct result r = check_opt(read_example("goof/1-initial/Dockerfile"), NULL);
	ck_assert_uint_eq(r.n, 4);
	ck_assert_str_eq(where(&r, "dockerfile-add"), "5:1");
	ck_assert_str_eq(where(&r, "dockerfile-cd"), "6:1");
	ck_assert_str_eq(where(&r, "dockerfile-exec-form"), "11:1");
	ck_assert_str_eq(where(&r, "dockerfile-user-missing"), "1:6");
	/* fix does hadolint's two mechanical fixes; the cd is for a person. */
	const char *after = read_example("goof/2-hadolint-fixes/Dockerfile");
	char *f = fixed(&r);
	char *want = kc_arena_strdup(arena, after);
	char *w = strstr(want, "WORKDIR /usr/src/goof");
	ck_assert_ptr_nonnull(w);
	memcpy(w, "RUN cd", 6);
	memmove(w + 6, w + 7, strlen(w + 7) + 1);
	ck_assert_str_eq(f, want);
	r = check_opt(after, NULL);
	ck_assert_uint_eq(r.n, 1);
	ck_assert_str_eq(where(&r, "dockerfile-user-missing"), "1:6");
	r = check_opt(read_example("goof/3-nonroot/Dockerfile"), NULL);
	ck_assert_uint_eq(r.n, 0);
	r = check_opt(read_example("goof/Dockerfile"), NULL);
	ck_assert_uint_eq(r.n, 0);
}
END_TEST

static Suite *dockerfile_suite(void)
{
	Suite *s = suite_create("dockerfile");
	struct {
		const char *name;
		const TTest *tests[20];
	} groups[] = {
		{ "parser", { instructions_case_insensitive, continuations_comments_and_blank_lines,
			escaped_escape_is_not_a_continuation, escape_and_syntax_directives,
			directive_errors, heredocs, heredoc_unterminated, exec_and_shell_form,
			flags, stages_and_paths, arg_substitution, onbuild, errors_are_located,
			crlf_bom_and_characters, file_names, NULL } },
		{ "rules", { seed_initial_dockerfile, seed_final_dockerfile_is_clean, user_rules,
			image_rules, add_rule, cd_rule_and_fix, exec_form_rule, apt_rules,
			shell_rules, stage_rules, instruction_rules, NULL } },
		{ "runner", { suppression, options_and_aliases, catalog_agrees,
			examples_tell_the_story, NULL } },
	};
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		TCase *tc = tcase_create(groups[g].name);
		tcase_add_checked_fixture(tc, setup, teardown);
		for (size_t t = 0; groups[g].tests[t] != NULL; t++) {
			tcase_add_test(tc, groups[g].tests[t]);
		}
		suite_add_tcase(s, tc);
	}
	return s;
}

int main(int argc, char **argv)
{
	source_root = argc > 1 ? argv[1] : NULL;
	return t_run(dockerfile_suite());
}
