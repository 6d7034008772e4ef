#ifndef K8SCHECK_PSS_INTERNAL_H
#define K8SCHECK_PSS_INTERNAL_H

/* Shared by the files of src/pss/ only; not a public header. */

#include "k8scheck/pss.h"

/* A growable list of borrowed strings, in an arena. */
struct kc_pss_strv {
	const char **v;
	unsigned n;
	unsigned cap;
};

/* A growable string, NUL-terminated at all times, in an arena. */
struct kc_pss_sb {
	struct kc_arena *a;
	char *p;
	size_t len;
	size_t cap;
};

void kc_pss_strv_push(struct kc_arena *a, struct kc_pss_strv *s, const char *x);

/* Sort byte-wise and drop duplicates, as Go's sets.List() does. */
void kc_pss_strv_sort_uniq(struct kc_pss_strv *s);

/* True when s holds x. */
bool kc_pss_strv_has(const struct kc_pss_strv *s, const char *x);

void kc_pss_sb_init(struct kc_pss_sb *b, struct kc_arena *a);
void kc_pss_sb_addn(struct kc_pss_sb *b, const char *s, size_t n);
void kc_pss_sb_add(struct kc_pss_sb *b, const char *s);

/* The items joined with sep; "" for none. */
const char *kc_pss_text_join(struct kc_arena *a, const struct kc_pss_strv *s,
	const char *sep);

/* The PSA's joinQuote(): each item in '"' (no escaping), joined with ", ". */
const char *kc_pss_text_quote_list(struct kc_arena *a, const struct kc_pss_strv *s);

/* Go's %q of the n bytes at s (strconv.Quote). */
const char *kc_pss_text_go_quote(struct kc_arena *a, const char *s, size_t n);

/* pluralize(): one if n == 1, else many. */
const char *kc_pss_text_pl(const char *one, const char *many, size_t n);

/* "reason (detail)", or reason alone when detail is empty. */
const char *kc_pss_text_full(struct kc_arena *a, const char *reason, const char *detail);

/* Run check c's variant for minor on w. */
void kc_pss_checks_run(enum kc_pss_check c, unsigned minor,
	const struct kc_workload *w, struct kc_arena *a, struct kc_pss_result *out);

#endif
