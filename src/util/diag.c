#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "k8scheck/diag.h"

static const char *const level_name[KC_DIAG__COUNT] = {
	[KC_DIAG_NOTE] = "note",
	[KC_DIAG_WARNING] = "warning",
	[KC_DIAG_ERROR] = "error",
};

static const char *const level_color[KC_DIAG__COUNT] = {
	[KC_DIAG_NOTE] = "\033[1;36m",
	[KC_DIAG_WARNING] = "\033[1;35m",
	[KC_DIAG_ERROR] = "\033[1;31m",
};

void kc_diag_init(struct kc_diag *d, FILE *err, bool color)
{
	*d = (struct kc_diag){ .err = err, .color = color };
}

static void emit(struct kc_diag *d, enum kc_diag_level level,
	const char *where, unsigned line, unsigned col, const char *fmt,
	va_list ap) KC_PRINTF(6, 0);

static void emit(struct kc_diag *d, enum kc_diag_level level,
	const char *where, unsigned line, unsigned col, const char *fmt,
	va_list ap)
{
	d->count[level]++;
	/* Formatted once, whole: the listener and the stream see the same text
	 * (a report or a replay of this diagnostic must not differ from it). */
	char small[512];
	char *msg = small;
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(small, sizeof(small), fmt, copy);
	va_end(copy);
	if (n < 0) {
		n = 0;
		small[0] = '\0';
	} else if ((size_t)n >= sizeof(small)) {
		msg = malloc((size_t)n + 1);
		if (msg == NULL) {
			kc_arena_die_oom();
		}
		vsnprintf(msg, (size_t)n + 1, fmt, ap);
	}
	if (d->listener != NULL) {
		struct kc_diag_event e = { level, where, line, col, msg };
		d->listener(d->listener_ctx, &e);
	}
	if (d->err != NULL) {
		if (d->color) {
			fputs("\033[1m", d->err);
		}
		if (line > 0) {
			fprintf(d->err, "%s:%u:%u:", where, line, col);
		} else {
			fprintf(d->err, "%s:", where);
		}
		if (d->color) {
			fprintf(d->err, "\033[0m %s%s:\033[0m ", level_color[level],
				level_name[level]);
		} else {
			fprintf(d->err, " %s: ", level_name[level]);
		}
		fputs(msg, d->err);
		fputc('\n', d->err);
	}
	if (msg != small) {
		free(msg);
	}
}

void kc_diag_at(struct kc_diag *d, enum kc_diag_level level, const char *file,
	unsigned line, unsigned col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit(d, level, file, line ? line : 1, line ? col : 1, fmt, ap);
	va_end(ap);
}

void kc_diag_run(struct kc_diag *d, enum kc_diag_level level,
	const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit(d, level, "k8scheck", 0, 0, fmt, ap);
	va_end(ap);
}
