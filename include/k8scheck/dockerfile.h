#ifndef K8SCHECK_DOCKERFILE_H
#define K8SCHECK_DOCKERFILE_H

/*
 * Dockerfiles: a parser that follows BuildKit's grammar
 * (moby/buildkit frontend/dockerfile/parser) and the rules that check the
 * parsed file.
 *
 * The parser keeps every instruction, flag, argument and here-document with
 * its 1-based line and column (columns count characters, as on the YAML
 * side) and its byte range in the file, so findings and fixes point at the
 * exact text. What BuildKit would refuse (an unknown instruction, FROM with
 * two words, an unterminated here-document, ...) is a located error.
 *
 * This header is the Dockerfile's "model": rules include it, never the
 * parser's internals. Everything lives in the arena given to
 * kc_dockerfile_parse().
 */

#include <stdbool.h>
#include <stddef.h>

#include "k8scheck/arena.h"
#include "k8scheck/diag.h"
#include "k8scheck/locator.h"

/** The instructions BuildKit knows, in alphabetical order. */
enum kc_df_cmd {
	KC_DF_ADD,
	KC_DF_ARG,
	KC_DF_CMD,
	KC_DF_COPY,
	KC_DF_ENTRYPOINT,
	KC_DF_ENV,
	KC_DF_EXPOSE,
	KC_DF_FROM,
	KC_DF_HEALTHCHECK,
	KC_DF_LABEL,
	KC_DF_MAINTAINER,
	KC_DF_ONBUILD,
	KC_DF_RUN,
	KC_DF_SHELL,
	KC_DF_STOPSIGNAL,
	KC_DF_USER,
	KC_DF_VOLUME,
	KC_DF_WORKDIR,
	KC_DF__COUNT,
};

/** Upper-case name of an instruction ("RUN"). */
const char *kc_dockerfile_cmd_name(enum kc_df_cmd c);

/**
 * A piece of the file. s is a NUL-terminated copy (with line continuations
 * removed when the text spans lines); pos/end are 1-based, end just past the
 * last character; off/end_off are byte offsets into the file buffer.
 */
struct kc_df_text {
	const char *s;
	size_t len;
	struct kc_pos pos;
	struct kc_pos end;
	size_t off;
	size_t end_off;
};

/** A `--name=value` or `--name` flag of an instruction. */
struct kc_df_flag {
	struct kc_df_text text;  /* the whole flag as written, with its dashes */
	const char *name;        /* without the dashes, e.g. "from" */
	const char *value;       /* unquoted value, or NULL if there is no '=' */
};

/** A here-document (`<<EOF`, `<<-EOF`, `<<"EOF"`, `3<<EOF`). */
struct kc_df_heredoc {
	const char *name;        /* the terminator word, quotes removed */
	bool chomp;              /* `<<-`: leading tabs are stripped */
	bool expand;             /* unquoted: variables are expanded */
	unsigned fd;             /* the file descriptor digits, 0 if none */
	struct kc_df_text word;  /* the `<<EOF` word on the instruction line */
	struct kc_df_text body;  /* the lines up to the terminator (may be empty) */
};

/** One instruction. Lives in the parser's arena. */
struct kc_df_instr {
	enum kc_df_cmd cmd;
	struct kc_df_text keyword;   /* as written ("run", "RUN") */
	struct kc_pos pos;           /* the keyword */
	struct kc_pos end;           /* just past the instruction (its last heredoc) */
	size_t off;
	size_t end_off;              /* past the last character, before the newline */
	struct kc_df_flag *flags;
	unsigned flag_count;
	/* The arguments after the flags: the text with continuations removed and
	 * comment lines inside them dropped (BuildKit's "original" minus flags). */
	struct kc_df_text rest;
	const size_t *rest_map;      /* byte offset in the file of each char of rest.s */
	bool json;                   /* exec form: rest is a JSON array of strings */
	/* json: the decoded array elements (pos/off of each quoted element);
	 * otherwise the whitespace-separated words, quotes kept as written. */
	struct kc_df_text *args;
	unsigned arg_count;
	struct kc_df_heredoc *heredocs;
	unsigned heredoc_count;
	struct kc_df_instr *sub;     /* ONBUILD: the instruction it registers */
	int stage;                   /* index of its stage; -1 before the first FROM */
	unsigned nth;                /* index among its stage's instructions of this cmd */
	unsigned of;                 /* how many of this cmd the stage has */
	const char *path;            /* "stages[builder].RUN[2]", "ARG[0]" */
};

/** One build stage: a FROM and the instructions up to the next FROM. */
struct kc_df_stage {
	unsigned index;
	const char *name;            /* `AS name`, lower-cased as BuildKit does, or NULL */
	const struct kc_df_instr *from;
	struct kc_df_text image;     /* the image word as written */
	/* The image with the global ARGs' defaults substituted
	 * ($VAR, ${VAR}, ${VAR:-x}, ${VAR-x}, ${VAR:+x}, ${VAR+x}); NULL if it
	 * uses an ARG that has no default (the image is then unknown). */
	const char *image_resolved;
	const char *platform;        /* `--platform` value, or NULL */
	int base_stage;              /* FROM <earlier stage>: its index, else -1 */
	bool is_base;                /* a later stage is built FROM it */
	unsigned first;              /* index of its FROM in kc_dockerfile.instrs */
	unsigned count;              /* its instructions, FROM included */
	const char *label;           /* "builder" or "1": how paths name it */
};

/** A comment line (`# ...`), outside parser directives. */
struct kc_df_comment {
	struct kc_pos pos;           /* the '#' */
	size_t off;
	const char *text;            /* after the '#', spaces trimmed */
};

struct kc_dockerfile {
	const char *buf;             /* borrowed: the file's bytes */
	size_t len;
	char escape;                 /* '\\' or '`' (`# escape=`) */
	const char *syntax;          /* `# syntax=` value, or NULL */
	struct kc_df_instr *instrs;  /* top-level instructions in file order */
	unsigned count;
	struct kc_df_stage *stages;
	unsigned stage_count;
	struct kc_df_comment *comments;
	unsigned comment_count;
	/* The named stages' indices sorted by (name, index), for lookups. */
	const unsigned *by_name;
	unsigned named_count;
	/* Line starts, for positions: line_off[i] is the offset of line i+1. */
	const size_t *line_off;
	unsigned line_count;
};

/** Why a Dockerfile could not be parsed: where, and a message. */
struct kc_df_error {
	struct kc_pos pos;
	char message[256];
};

/**
 * Parse buf (borrowed; it must outlive *out) into *out, allocating from a.
 * Returns false with *err set (1-based position, lower-case message) if
 * BuildKit would refuse the file; *out is then left untouched.
 */
bool kc_dockerfile_parse(const char *buf, size_t len, struct kc_arena *a,
	struct kc_dockerfile *out, struct kc_df_error *err);

/**
 * kc_dockerfile_parse(), reporting a failure through diag as
 * `file:line:col: error: message` (file borrowed, printed as given).
 */
bool kc_dockerfile_load(const char *file, const char *buf, size_t len,
	struct kc_arena *a, struct kc_dockerfile *out, struct kc_diag *diag);

/**
 * The last stage before stage `before` named name (compared without case,
 * as BuildKit lower-cases stage names), or -1. O(log stages).
 */
int kc_dockerfile_stage_named(const struct kc_dockerfile *df, const char *name,
	unsigned before);

/** 1-based position of byte offset off of df's buffer. */
struct kc_pos kc_dockerfile_pos(const struct kc_dockerfile *df, size_t off);

/**
 * Substitute variables in s as BuildKit does in FROM: vars[i]=vals[i]
 * (a NULL value: declared without a default). Returns the result in a, or
 * NULL if s uses a variable with no value.
 */
char *kc_dockerfile_expand(const char *s, const char *const *vars,
	const char *const *vals, unsigned n, struct kc_arena *a);

/**
 * True if base names a file BuildKit-based tools treat as a Dockerfile:
 * Dockerfile, Dockerfile.*, *.Dockerfile, *.dockerfile, Containerfile,
 * Containerfile.* (base is the last path component).
 */
bool kc_dockerfile_name_matches(const char *base);

/* ---- rules ---------------------------------------------------------------- */

struct kc_finding;

/*
 * The rules themselves are registered from policies/rules/dockerfile-*.yaml
 * (input: dockerfile) by tools/catalog.c into kc_dockerfile_rules[]
 * (k8scheck/rule.h); their documentation, severity and default state are
 * in kc_rule_catalog[]. Options and results below index that table.
 */

/**
 * Index in kc_dockerfile_rules[] of the rule with this id or hadolint code
 * (a code in any case: "DL3020", "dl3020"), or -1.
 */
int kc_dockerfile_rule_index(const char *id);

/** The hadolint code of rule i (its catalog's "hadolint: DLxxxx" reference), or NULL. */
const char *kc_dockerfile_rule_alias(size_t i);

/** Which rules run, and their severities. Zeroed: every rule at its defaults. */
struct kc_df_options {
	/* Overrides by index into kc_dockerfile_rules: 0 = default, 1 = on, -1 = off. */
	const signed char *enabled;
	const int *severity;         /* NULL, or per index: -1 default, else enum kc_severity */
};

/**
 * Run the enabled Dockerfile rules over df (file borrowed, used in findings).
 * *out gets *count findings sorted by line, column and rule id, suppressed
 * ones marked (`# k8scheck:ignore RULE -- reason` or
 * `# hadolint ignore=DL3008,DL3015` on the line above the instruction).
 * Each finding that has an automatic fix carries it in changes/change_count
 * (positions 1-based). Everything lives in arena a.
 */
void kc_dockerfile_check(const struct kc_dockerfile *df, const char *file,
	const struct kc_df_options *opt, struct kc_arena *a,
	struct kc_finding ***out, unsigned *count);

struct kc_engine;

/**
 * kc_dockerfile_check() with the rules the engine runs (its profile,
 * --enable/--disable, configuration) at the engine's severities.
 */
void kc_dockerfile_check_engine(const struct kc_engine *e, const struct kc_dockerfile *df,
	const char *file, struct kc_arena *a, struct kc_finding ***out, unsigned *count);

/**
 * Apply the automatic fixes of f[0..n) (unsuppressed, with changes) to
 * df's text. Edits that overlap an earlier kept edit are skipped. *out (caller
 * frees) gets the new text; returns the number of findings fixed.
 */
unsigned kc_dockerfile_fix(const struct kc_dockerfile *df, struct kc_finding *const *f,
	unsigned n, char **out, size_t *out_len);

#endif
