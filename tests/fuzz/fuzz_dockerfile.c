/*
 * libFuzzer target for the Dockerfile input: parse the bytes; when they
 * parse, check what the rules and fixes rely on (positions 1-based and
 * inside the file, byte ranges ordered and inside the buffer, every
 * instruction's arguments inside the instruction, stages covering the
 * instructions in order), run every Dockerfile rule (off-by-default ones
 * too) and apply the fixes: the fixed text must parse again.
 *
 * A broken invariant aborts (assert is kept: the fuzz build is never NDEBUG),
 * so libFuzzer saves the input as a crash.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "k8scheck/dockerfile.h"
#include "k8scheck/rule.h"
#include "k8scheck/policy.h"

#ifdef NDEBUG
#error "fuzz targets must not be built with NDEBUG"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_text(const struct kc_dockerfile *df, const struct kc_df_text *t)
{
	assert(t->s != NULL);
	assert(t->off <= t->end_off && t->end_off <= df->len);
	assert(t->pos.line >= 1 && t->pos.col >= 1);
	assert(t->pos.line < t->end.line ||
		(t->pos.line == t->end.line && t->pos.col <= t->end.col));
	assert(t->pos.line <= df->line_count);
	struct kc_pos p = kc_dockerfile_pos(df, t->off);
	assert(p.line == t->pos.line && p.col == t->pos.col);
}

static void check_instr(const struct kc_dockerfile *df, const struct kc_df_instr *in)
{
	assert(in->cmd < KC_DF__COUNT);
	assert(in->path != NULL);
	check_text(df, &in->keyword);
	check_text(df, &in->rest);
	assert(in->off == in->keyword.off && in->off < in->end_off);
	for (unsigned k = 0; k < in->flag_count; k++) {
		check_text(df, &in->flags[k].text);
		assert(in->flags[k].text.off >= in->keyword.end_off);
		assert(in->flags[k].text.end_off <= in->rest.off || in->rest.len == 0);
	}
	for (unsigned k = 0; k < in->arg_count; k++) {
		check_text(df, &in->args[k]);
		assert(in->args[k].off >= in->rest.off && in->args[k].end_off <= in->rest.end_off);
	}
	for (size_t k = 0; k < in->rest.len; k++) {
		assert(in->rest_map[k] < df->len);
		assert(df->buf[in->rest_map[k]] == in->rest.s[k]);
		assert(k == 0 || in->rest_map[k] > in->rest_map[k - 1]);
	}
	for (unsigned h = 0; h < in->heredoc_count; h++) {
		check_text(df, &in->heredocs[h].word);
		check_text(df, &in->heredocs[h].body);
		assert(in->heredocs[h].body.end_off <= in->end_off);
		assert(in->heredocs[h].name[0] != '\0');
	}
	if (in->sub != NULL) {
		assert(in->cmd == KC_DF_ONBUILD);
		check_instr(df, in->sub);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kc_arena *a = kc_arena_create();
	struct kc_dockerfile df;
	struct kc_df_error err;
	if (!kc_dockerfile_parse((const char *)data, size, a, &df, &err)) {
		assert(err.pos.line >= 1 && err.pos.col >= 1 && err.message[0] != '\0');
		kc_arena_destroy(a);
		return 0;
	}
	assert(df.count > 0 && df.stage_count > 0);
	size_t last = 0;
	for (unsigned i = 0; i < df.count; i++) {
		check_instr(&df, &df.instrs[i]);
		assert(df.instrs[i].off >= last);
		last = df.instrs[i].end_off;
	}
	unsigned next = df.stages[0].first;
	for (unsigned s = 0; s < df.stage_count; s++) {
		assert(df.stages[s].first == next);
		assert(df.instrs[next].cmd == KC_DF_FROM);
		next += df.stages[s].count;
		assert(df.stages[s].base_stage < (int)s);
	}
	assert(next == df.count);
	signed char all[128];
	memset(all, 1, sizeof(all));
	assert(kc_dockerfile_rule_count <= sizeof(all));
	struct kc_df_options opt = { .enabled = all };
	struct kc_finding **f;
	unsigned n;
	kc_dockerfile_check(&df, "Dockerfile", &opt, a, &f, &n);
	for (unsigned i = 0; i < n; i++) {
		assert(f[i]->pos.line >= 1 && f[i]->pos.line <= df.line_count);
		assert(i == 0 || f[i - 1]->pos.line <= f[i]->pos.line);
		assert(f[i]->message != NULL && f[i]->path_str != NULL);
	}
	char *out;
	size_t len;
	unsigned fixed = kc_dockerfile_fix(&df, f, n, &out, &len);
	if (fixed > 0) {
		/* A fix must leave a Dockerfile that still parses. */
		struct kc_arena *b = kc_arena_create();
		struct kc_dockerfile again;
		bool ok = kc_dockerfile_parse(out, len, b, &again, &err);
		assert(ok);
		kc_arena_destroy(b);
	}
	free(out);
	kc_arena_destroy(a);
	return 0;
}
