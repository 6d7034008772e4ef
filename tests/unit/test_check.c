/*
 * The pipeline library (include/k8scheck/check.h) and the input-kind table
 * (include/k8scheck/input.h): one call checks a named buffer and hands out
 * findings with positions, fix edits, suppression and verdicts; the report
 * consumer applies a baseline; one call plans a buffer's fixes.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "k8scheck/check.h"
#include "k8scheck/input.h"
#include "support.h"

static struct kc_arena *arena;
static struct kc_policy policy;
static struct kc_engine *engine;

static void setup(void)
{
	arena = kc_arena_create();
	struct kc_diag d;
	kc_diag_init(&d, stderr, false);
	ck_assert(kc_policy_load(&policy, arena, &d));
	engine = kc_engine_create(&policy, arena);
}

static void teardown(void)
{
	kc_arena_destroy(arena);
}

static const char privileged_pod[] =
	"apiVersion: v1\n"
	"kind: Pod\n"
	"metadata:\n"
	"  name: web\n"
	"spec:\n"
	"  containers:\n"
	"  - name: app  # k8scheck:ignore liveness-probe -- test\n"
	"    image: nginx:1.25\n"
	"    securityContext:\n"
	"      privileged: true\n";

/* What the callback saw, copied out of the document's arena. */
struct seen {
	unsigned docs;
	unsigned findings;
	unsigned suppressed;
	unsigned with_changes;
	unsigned ignores;
	unsigned workloads;
	unsigned violations;
	bool privileged_at_line_10;
	char kind[32];
	char diag_msg[256];
	unsigned diag_line;
	unsigned diags;
};

static void on_doc(void *ctx, const struct kc_check_doc *d)
{
	struct seen *s = ctx;
	s->docs++;
	snprintf(s->kind, sizeof(s->kind), "%s", d->kind->name);
	s->workloads += d->doc.workload_count;
	s->ignores += d->ignore_count;
	for (unsigned i = 0; i < d->finding_count; i++) {
		const struct kc_finding *f = d->findings[i];
		s->findings++;
		s->suppressed += f->suppressed;
		s->with_changes += f->change_count > 0;
		if (strcmp(f->rule, "privileged") == 0 && f->pos.line == 10 &&
			f->end.line >= f->pos.line) {
			s->privileged_at_line_10 = true;
		}
	}
	for (unsigned i = 0; d->violations != NULL && i < d->doc.workload_count; i++) {
		s->violations += d->violations[i] != NULL;
	}
}

static void on_diag(void *ctx, const struct kc_diag_event *e)
{
	struct seen *s = ctx;
	s->diags++;
	s->diag_line = e->line;
	snprintf(s->diag_msg, sizeof(s->diag_msg), "%s", e->message);
}

static void report_doc(void *ctx, const struct kc_check_doc *d)
{
	kc_check_report_doc(ctx, d);
}

static bool check(const struct kc_checker *c, const char *name, const char *text,
	struct seen *s, struct kc_load_stats *st)
{
	struct kc_diag d;
	kc_diag_init(&d, NULL, false);  /* an editor collects, never prints */
	d.listener = on_diag;
	d.listener_ctx = s;
	return kc_check_buffer(c, name, text, strlen(text), &d, st, on_doc, s);
}

START_TEST(buffer_findings_with_positions)
{
	struct kc_checker c;
	kc_checker_init(&c, &policy, engine);
	struct seen s = { 0 };
	struct kc_load_stats st = { 0 };
	ck_assert(check(&c, "deploy/pod.yaml", privileged_pod, &s, &st));
	ck_assert_uint_eq(s.docs, 1);
	ck_assert_str_eq(s.kind, "kubernetes");
	ck_assert_uint_eq(st.workloads, 1);
	ck_assert_uint_gt(s.findings, 1);
	ck_assert(s.privileged_at_line_10);
	/* The trailing comment silences liveness-probe on its line. */
	ck_assert_uint_eq(s.ignores, 1);
	ck_assert_uint_eq(s.suppressed, 1);
	/* Without the extras, no edits and no verdicts are computed. */
	ck_assert_uint_eq(s.with_changes, 0);
	ck_assert_uint_eq(s.violations, 0);
	ck_assert_uint_eq(s.diags, 0);
}
END_TEST

START_TEST(buffer_extras_changes_and_verdicts)
{
	struct kc_checker c;
	kc_checker_init(&c, &policy, engine);
	c.changes = true;
	c.verdicts = true;
	struct seen s = { 0 };
	struct kc_load_stats st = { 0 };
	ck_assert(check(&c, "pod.yaml", privileged_pod, &s, &st));
	ck_assert_uint_gt(s.with_changes, 0);
	ck_assert_uint_eq(s.violations, 1);
}
END_TEST

START_TEST(buffer_bad_document_is_located_and_rest_checked)
{
	struct kc_checker c;
	kc_checker_init(&c, &policy, engine);
	struct seen s = { 0 };
	struct kc_load_stats st = { 0 };
	char text[2048];
	snprintf(text, sizeof(text), "kind: [unclosed\n---\n%s", privileged_pod);
	ck_assert(!check(&c, "two.yaml", text, &s, &st));
	ck_assert_uint_eq(st.input_errors, 1);
	ck_assert_uint_eq(s.diags, 1);
	ck_assert_uint_ge(s.diag_line, 1);
	ck_assert_uint_eq(s.docs, 1);
	ck_assert(s.privileged_at_line_10 == false);  /* it moved down two lines */
	ck_assert_uint_gt(s.findings, 1);
}
END_TEST

/* The report consumer: a baseline recorded from a run hides that run's
 * findings, one finding per entry. */
START_TEST(report_baseline_hides_recorded)
{
	struct kc_checker c;
	kc_checker_init(&c, &policy, engine);
	struct kc_diag d;
	kc_diag_init(&d, NULL, false);
	struct kc_check_report rec = {
		.arena = arena, .diag = &d, .record = kc_baseline_create(arena),
	};
	struct kc_load_stats st = { 0 };
	kc_check_buffer(&c, "pod.yaml", privileged_pod, strlen(privileged_pod), &d, &st,
		report_doc, &rec);
	unsigned total = rec.sum.findings[KC_SEVERITY_ERROR] +
		rec.sum.findings[KC_SEVERITY_WARNING] + rec.sum.findings[KC_SEVERITY_INFO];
	ck_assert_uint_gt(total, 0);
	ck_assert_uint_eq(rec.failing, total);
	ck_assert_uint_eq(rec.sum.suppressed, 1);
	kc_baseline_seal(rec.record);
	struct kc_check_report again = {
		.arena = arena, .diag = &d, .baseline = rec.record,
		.fail_on = KC_SEVERITY_ERROR,
	};
	/* Twice the same pod: the second copy is not in the baseline. */
	char twice[4096];
	snprintf(twice, sizeof(twice), "%s---\n%s", privileged_pod, privileged_pod);
	kc_check_buffer(&c, "pod.yaml", twice, strlen(twice), &d, &st,
		report_doc, &again);
	ck_assert_uint_eq(again.sum.baselined, total);
	unsigned shown = again.sum.findings[KC_SEVERITY_ERROR] +
		again.sum.findings[KC_SEVERITY_WARNING] + again.sum.findings[KC_SEVERITY_INFO];
	ck_assert_uint_eq(shown, total);
	ck_assert_uint_eq(again.failing, again.sum.findings[KC_SEVERITY_ERROR]);
}
END_TEST

struct fix_seen {
	unsigned manual;
	unsigned refused;
};

static void on_manual(void *ctx, const struct kc_finding *f)
{
	((struct fix_seen *)ctx)->manual++;
}

static void on_refused(void *ctx, const char *reason)
{
	ck_assert_ptr_nonnull(reason);
	((struct fix_seen *)ctx)->refused++;
}

START_TEST(fix_buffer_gives_edited_text)
{
	struct kc_checker c;
	kc_checker_init(&c, &policy, engine);
	struct kc_diag d;
	kc_diag_init(&d, NULL, false);
	struct kc_load_stats st = { 0 };
	struct fix_seen fs = { 0 };
	const struct kc_check_fix_sink sink = { on_manual, on_refused, &fs };
	struct kc_check_fix fx;
	ck_assert(kc_check_fix_buffer(&c, "pod.yaml", privileged_pod,
		strlen(privileged_pod), &d, &st, &sink, &fx));
	ck_assert(fx.changed);
	ck_assert(!fx.failed);
	ck_assert_uint_gt(fx.fixed, 0);
	ck_assert_uint_eq(fs.manual, fx.manual);
	ck_assert_uint_eq(fs.refused, fx.refused);
	ck_assert_ptr_nonnull(strstr(fx.text, "privileged: false"));
	/* Untouched bytes stay: the comment is kept. */
	ck_assert_ptr_nonnull(strstr(fx.text, "# k8scheck:ignore liveness-probe"));
	/* The fixed text, checked again, has none of the fixed findings. */
	struct kc_check_fix again;
	struct kc_load_stats st2 = { 0 };
	ck_assert(kc_check_fix_buffer(&c, "pod.yaml", fx.text, fx.len, &d, &st2, NULL,
		&again));
	ck_assert(!again.changed);
	ck_assert_uint_eq(again.fixed, 0);
	kc_check_fix_finish(&again);
	kc_check_fix_finish(&fx);
	ck_assert_ptr_null(fx.text);
}
END_TEST

START_TEST(fix_buffer_bad_input_changes_nothing)
{
	struct kc_checker c;
	kc_checker_init(&c, &policy, engine);
	struct kc_diag d;
	kc_diag_init(&d, NULL, false);
	struct kc_load_stats st = { 0 };
	char text[2048];
	snprintf(text, sizeof(text), "%s---\nkind: [unclosed\n", privileged_pod);
	struct kc_check_fix fx;
	ck_assert(!kc_check_fix_buffer(&c, "pod.yaml", text, strlen(text), &d, &st,
		NULL, &fx));
	ck_assert(!fx.changed);
	ck_assert_ptr_null(fx.text);
	ck_assert_uint_eq(fx.fixed, 0);
	ck_assert_uint_eq(d.count[KC_DIAG_ERROR], 1);
	kc_check_fix_finish(&fx);
}
END_TEST

START_TEST(input_kinds_by_name)
{
	ck_assert_ptr_eq(kc_input_find("a/b/deploy.yaml"), &kc_input_kubernetes);
	ck_assert_ptr_eq(kc_input_find("x.yml"), &kc_input_kubernetes);
	ck_assert_ptr_eq(kc_input_find("list.json"), &kc_input_kubernetes);
	ck_assert_ptr_null(kc_input_find("README.md"));
	ck_assert_ptr_null(kc_input_find("yaml"));
	ck_assert_ptr_null(kc_input_find("dir.yaml/notes"));
	/* Named explicitly, an unclaimed file is read as the default kind. */
	ck_assert_ptr_eq(kc_input_for("notes.txt"), kc_input_kinds[0]);
	ck_assert_ptr_eq(kc_input_for(NULL), kc_input_kinds[0]);
	ck_assert_uint_ge(kc_input_kind_count, 1);
	ck_assert_ptr_nonnull(strstr(kc_input_patterns(), "*.yaml"));
}
END_TEST

START_TEST(setup_reports_bad_options)
{
	struct kc_diag d;
	kc_diag_init(&d, NULL, false);
	struct kc_check_setup su;
	const char *what = NULL;
	const char *bad_rule[] = { "no-such-rule" };
	struct kc_check_options o = { .no_config = true, .enable = bad_rule,
		.enable_count = 1 };
	ck_assert_int_eq(kc_check_setup(&su, &o, arena, &d, &what), KC_SETUP_RULE);
	ck_assert_str_eq(what, "no-such-rule");
	const char *bad_sev[] = { "privileged:error" };
	o = (struct kc_check_options){ .no_config = true, .severities = bad_sev,
		.severity_count = 1 };
	ck_assert_int_eq(kc_check_setup(&su, &o, arena, &d, &what), KC_SETUP_SEVERITY);
	ck_assert_str_eq(what, "privileged:error");
	o = (struct kc_check_options){ .no_config = true, .profile = "nope" };
	ck_assert_int_eq(kc_check_setup(&su, &o, arena, &d, &what), KC_SETUP_PROFILE);
	ck_assert_str_eq(what, "nope");
}
END_TEST

/* An editor's buffer: the configuration is found from its name, and
 * options beat it. */
START_TEST(setup_discovers_config_from_buffer_name)
{
	char dir[] = "/tmp/kc-test-check.XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char cfg[128], sub[128], buf_name[160];
	snprintf(cfg, sizeof(cfg), "%s/.k8scheck.yaml", dir);
	snprintf(sub, sizeof(sub), "%s/deploy", dir);
	snprintf(buf_name, sizeof(buf_name), "%s/pod.yaml", sub);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	FILE *f = fopen(cfg, "w");
	ck_assert_ptr_nonnull(f);
	fputs("disable: [privileged]\nfailOn: error\n", f);
	fclose(f);
	struct kc_diag d;
	kc_diag_init(&d, NULL, false);
	struct kc_check_setup su;
	const char *what = NULL;
	struct kc_check_options o = { .discover_from = buf_name };
	ck_assert_int_eq(kc_check_setup(&su, &o, arena, &d, &what), KC_SETUP_OK);
	ck_assert_ptr_nonnull(su.config);
	ck_assert(su.has_fail_on);
	ck_assert_int_eq(su.fail_on, KC_SEVERITY_ERROR);
	ck_assert_str_eq(su.pss_name, "restricted:latest");
	struct kc_checker c;
	kc_checker_from_setup(&c, &su);
	struct seen s = { 0 };
	struct kc_load_stats st = { 0 };
	check(&c, buf_name, privileged_pod, &s, &st);
	ck_assert(!s.privileged_at_line_10);
	/* --enable beats the configuration's disable. */
	const char *on[] = { "privileged" };
	o.enable = on;
	o.enable_count = 1;
	ck_assert_int_eq(kc_check_setup(&su, &o, arena, &d, &what), KC_SETUP_OK);
	kc_checker_from_setup(&c, &su);
	s = (struct seen){ 0 };
	check(&c, buf_name, privileged_pod, &s, &st);
	ck_assert(s.privileged_at_line_10);
	/* --no-config: none. */
	o = (struct kc_check_options){ .discover_from = buf_name, .no_config = true };
	ck_assert_int_eq(kc_check_setup(&su, &o, arena, &d, &what), KC_SETUP_OK);
	ck_assert_ptr_null(su.config);
	unlink(cfg);
	rmdir(sub);
	rmdir(dir);
}
END_TEST

static Suite *check_suite(void)
{
	Suite *s = suite_create("check");
	struct {
		const char *name;
		const TTest *test;
	} cases[] = {
		{ "buffer_findings_with_positions", buffer_findings_with_positions },
		{ "buffer_extras_changes_and_verdicts", buffer_extras_changes_and_verdicts },
		{ "buffer_bad_document", buffer_bad_document_is_located_and_rest_checked },
		{ "report_baseline_hides_recorded", report_baseline_hides_recorded },
		{ "fix_buffer_gives_edited_text", fix_buffer_gives_edited_text },
		{ "fix_buffer_bad_input_changes_nothing", fix_buffer_bad_input_changes_nothing },
		{ "input_kinds_by_name", input_kinds_by_name },
		{ "setup_reports_bad_options", setup_reports_bad_options },
		{ "setup_discovers_config", setup_discovers_config_from_buffer_name },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		TCase *tc = tcase_create(cases[i].name);
		tcase_add_checked_fixture(tc, setup, teardown);
		tcase_add_test(tc, cases[i].test);
		suite_add_tcase(s, tc);
	}
	return s;
}

int main(void)
{
	return t_run(check_suite());
}
