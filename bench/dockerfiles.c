/*
 * kc-bench-dockerfiles: parse each Dockerfile named on the command line and
 * run every Dockerfile rule (the off-by-default ones too) over it. Prints
 * one line per parse error (`file:line:col: error: message`) and per finding
 * (`file:line:col: rule: message`), then a summary on stderr: files, parse
 * errors, stages, instructions, findings per rule. Exit 1 if any file did
 * not parse. Used by bench/dockerfiles on real repositories.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8scheck/dockerfile.h"
#include "k8scheck/rule.h"
#include "k8scheck/policy.h"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		return NULL;
	}
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	size_t r;
	while (buf != NULL && (r = fread(buf + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap) {
			cap *= 2;
			char *g = realloc(buf, cap);
			if (g == NULL) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = g;
		}
	}
	fclose(f);
	*len = n;
	return buf;
}

int main(int argc, char **argv)
{
	unsigned files = 0, errors = 0, stages = 0, instrs = 0, total = 0;
	unsigned per_rule[64] = { 0 };
	signed char all[64];
	memset(all, 1, sizeof(all));
	struct kc_df_options opt = { .enabled = all };
	for (int i = 1; i < argc; i++) {
		size_t len;
		char *buf = slurp(argv[i], &len);
		if (buf == NULL) {
			fprintf(stderr, "%s: cannot read\n", argv[i]);
			errors++;
			continue;
		}
		files++;
		struct kc_arena *a = kc_arena_create();
		struct kc_dockerfile df;
		struct kc_df_error err;
		if (!kc_dockerfile_parse(buf, len, a, &df, &err)) {
			printf("%s:%u:%u: error: %s\n", argv[i], err.pos.line, err.pos.col,
				err.message);
			errors++;
		} else {
			stages += df.stage_count;
			instrs += df.count;
			struct kc_finding **f;
			unsigned n;
			kc_dockerfile_check(&df, argv[i], &opt, a, &f, &n);
			for (unsigned k = 0; k < n; k++) {
				if (f[k]->suppressed) {
					continue;
				}
				printf("%s:%u:%u: %s: %s\n", argv[i], f[k]->pos.line, f[k]->pos.col,
					f[k]->rule, f[k]->message);
				per_rule[kc_dockerfile_rule_index(f[k]->rule)]++;
				total++;
			}
		}
		kc_arena_destroy(a);
		free(buf);
	}
	fprintf(stderr, "%u Dockerfiles, %u parse errors, %u stages, %u instructions, "
		"%u findings\n", files, errors, stages, instrs, total);
	for (size_t r = 0; r < kc_dockerfile_rule_count; r++) {
		if (per_rule[r] > 0) {
			fprintf(stderr, "  %5u %s\n", per_rule[r], kc_dockerfile_rules[r].id);
		}
	}
	return errors > 0;
}
