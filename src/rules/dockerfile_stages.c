/*
 * Stage references: dockerfile-copy-from-unknown (DL3022),
 * dockerfile-copy-from-self (DL3023), dockerfile-stage-name-duplicate
 * (DL3024). Grouped because all three resolve names against the stages
 * defined so far.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dockerfile_internal.h"

/* The --from flag of a COPY, or NULL. */
static const struct kc_df_flag *copy_from(const struct kc_df_instr *in)
{
	if (in->cmd != KC_DF_COPY) {
		return NULL;
	}
	for (unsigned f = 0; f < in->flag_count; f++) {
		if (strcmp(in->flags[f].name, "from") == 0 && in->flags[f].value != NULL) {
			return &in->flags[f];
		}
	}
	return NULL;
}

static bool numeric(const char *s)
{
	if (*s == '\0') {
		return false;
	}
	for (; *s; s++) {
		if (*s < '0' || *s > '9') {
			return false;
		}
	}
	return true;
}

void kc_rules_dockerfile_copy_from_unknown(const struct kc_dockerfile *df,
	struct kc_check *ck)
{
	for (unsigned i = 0; i < df->count; i++) {
		const struct kc_df_instr *in = &df->instrs[i];
		const struct kc_df_flag *f = copy_from(in);
		if (f == NULL || in->stage < 0) {
			continue;
		}
		const char *v = f->value;
		/* hadolint: an image reference (with a ':') or a variable is not a
		 * stage name; an index must name an earlier stage (its own index is
		 * dockerfile-copy-from-self's). */
		if (strchr(v, ':') != NULL || strchr(v, '$') != NULL) {
			continue;
		}
		if (numeric(v)) {
			if (strtoul(v, NULL, 10) <= (unsigned long)in->stage) {
				continue;
			}
		} else {
			bool known = kc_dockerfile_stage_named(df, v, (unsigned)in->stage) >= 0;
			if (known || (df->stages[in->stage].name != NULL &&
				strcasecmp(df->stages[in->stage].name, v) == 0)) {
				continue;   /* the current stage: dockerfile-copy-from-self */
			}
		}
		df_report(ck, in, &f->text, "COPY --from='%s' names no earlier build stage: "
			"it is pulled as an image; define the stage before it or name an image "
			"with a tag", v);
	}
}

void kc_rules_dockerfile_copy_from_self(const struct kc_dockerfile *df,
	struct kc_check *ck)
{
	for (unsigned i = 0; i < df->count; i++) {
		const struct kc_df_instr *in = &df->instrs[i];
		const struct kc_df_flag *f = copy_from(in);
		if (f == NULL || in->stage < 0) {
			continue;
		}
		const struct kc_df_stage *st = &df->stages[in->stage];
		bool self = (st->name != NULL && strcasecmp(st->name, f->value) == 0) ||
			(numeric(f->value) && strtoul(f->value, NULL, 10) == st->index);
		if (self) {
			df_report(ck, in, &f->text, "COPY --from='%s' names the stage it is in: "
				"a stage cannot copy from itself", f->value);
		}
	}
}

void kc_rules_dockerfile_stage_name_duplicate(const struct kc_dockerfile *df,
	struct kc_check *ck)
{
	for (unsigned s = 1; s < df->stage_count; s++) {
		const struct kc_df_stage *st = &df->stages[s];
		if (st->name == NULL) {
			continue;
		}
		int k = kc_dockerfile_stage_named(df, st->name, s);
		if (k >= 0) {
			df_report(ck, st->from, &st->from->args[2], "stage name '%s' is "
				"already used at line %u: stage names must be unique",
				st->name, df->stages[k].from->pos.line);
		}
	}
}
