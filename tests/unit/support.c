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

int t_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
