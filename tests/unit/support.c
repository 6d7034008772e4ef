#include <stdlib.h>
#include <string.h>

#include "support.h"

const struct kc_node *t_parse(struct kc_arena *a, const char *yaml)
{
	struct kc_locator *l = kc_locator_create(yaml, strlen(yaml), NULL);
	struct kc_document doc;
	struct kc_loc_error err;
	enum kc_locator_status st = kc_locator_next(l, a, &doc, &err);
	ck_assert_msg(st == KC_LOCATOR_DOCUMENT, "parse failed: %s", err.message);
	kc_locator_destroy(l);
	return doc.root;
}

struct t_loaded t_load(const char *yaml, kc_loader_doc_fn fn, void *ctx)
{
	struct t_loaded r = { 0 };
	FILE *e = open_memstream(&r.diag, &r.diag_len);
	struct kc_diag d;
	kc_diag_init(&d, e, false);
	r.ok = kc_loader_load_buffer("test.yaml", yaml, strlen(yaml), NULL, &d, fn,
		ctx, &r.stats);
	fclose(e);
	return r;
}

struct kc_path t_path(const char *s)
{
	struct kc_path p = { 0 };
	const char *c = s;
	while (*c != '\0') {
		if (*c == '.') {
			c++;
			continue;
		}
		if (*c == '[') {
			char *end = NULL;
			unsigned long i = strtoul(c + 1, &end, 10);
			ck_assert_msg(end != NULL && *end == ']', "bad index in '%s'", s);
			kc_path_index(&p, i);
			c = end + 1;
			continue;
		}
		size_t n = strcspn(c, ".[");
		ck_assert_uint_lt(p.len, KC_PATH_MAX);
		p.seg[p.len++] = (struct kc_seg){ .key = c, .key_len = n };
		c += n;
	}
	return p;
}

const struct kc_node *t_find(const struct kc_node *root, const char *s)
{
	struct kc_path p = t_path(s);
	struct kc_lookup lk = kc_locator_find(root, &p);
	ck_assert_msg(lk.found, "no node at '%s'", s);
	return lk.node;
}

const char *t_format(const struct kc_node *root, const char *s)
{
	static char buf[512];
	struct kc_path p = t_path(s);
	size_t n = kc_path_format(root, &p, buf, sizeof(buf));
	ck_assert_uint_lt(n, sizeof(buf));
	return buf;
}

int t_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
