#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "k8scheck/schema.h"
#include "support.h"

static struct kc_arena *arena;
static struct kc_schema_error serr;

static void setup(void)
{
	arena = kc_arena_create();
	memset(&serr, 0, sizeof(serr));
}

static void teardown(void)
{
	kc_arena_destroy(arena);
}

/* ---- helpers ------------------------------------------------------------- */

typedef void (*check_fn)(const struct kc_workload *w);

struct expect {
	check_fn fn;
	unsigned workloads;
};

static void each_workload(void *ctx, const struct kc_loaded_doc *doc)
{
	struct expect *x = ctx;
	for (unsigned i = 0; i < doc->workload_count; i++) {
		x->fn(&doc->workloads[i]);
		x->workloads++;
	}
}

/* Load yaml, which must hold exactly one workload and load cleanly, and
 * run fn on it while its document is alive. */
static void with_workload(const char *yaml, check_fn fn)
{
	struct expect x = { fn, 0 };
	struct t_loaded r = t_load(yaml, each_workload, &x);
	ck_assert_msg(r.ok, "load failed: %s", r.diag);
	ck_assert_str_eq(r.diag, "");
	free(r.diag);
	ck_assert_uint_eq(x.workloads, 1);
	ck_assert_uint_eq(r.stats.workloads, 1);
}

static void no_workload(const struct kc_workload *w)
{
	ck_abort_msg("unexpected workload %s", w->kind);
}

/* Load yaml, which must fail with exactly the diagnostic text diag. */
static void load_error(const char *yaml, const char *diag)
{
	struct expect x = { no_workload, 0 };
	struct t_loaded r = t_load(yaml, each_workload, &x);
	ck_assert(!r.ok);
	ck_assert_str_eq(r.diag, diag);
	free(r.diag);
	ck_assert_uint_eq(r.stats.input_errors, 1);
	ck_assert_uint_eq(r.stats.workloads, 0);
}

/* Validate yaml's first document against shape. */
static bool validate(const char *yaml, enum kc_shape shape, const struct kc_node **root)
{
	*root = t_parse(arena, yaml);
	return kc_schema_validate(kc_schema_for(shape), *root, NULL, &serr);
}

/* yaml must fail validation at line:col, at path (rendered), with msg. */
static void invalid(const char *yaml, enum kc_shape shape, unsigned line,
	unsigned col, const char *path, const char *msg)
{
	const struct kc_node *root;
	ck_assert_msg(!validate(yaml, shape, &root), "validated: %s", yaml);
	ck_assert_str_eq(serr.message, msg);
	ck_assert_ptr_nonnull(serr.node);
	ck_assert_uint_eq(serr.node->start.line, line);
	ck_assert_uint_eq(serr.node->start.col, col);
	char buf[256];
	kc_path_format(root, &serr.path, buf, sizeof(buf));
	ck_assert_str_eq(buf, path);
}

static void valid(const char *yaml, enum kc_shape shape)
{
	const struct kc_node *root;
	ck_assert_msg(validate(yaml, shape, &root), "%s: %s", yaml, serr.message);
}

static const char *fmt_path(const struct kc_workload *w, const struct kc_path *p)
{
	static char buf[256];
	kc_path_format(w->doc_root, p, buf, sizeof(buf));
	return buf;
}

/* ---- unset, false and zero ----------------------------------------------- */

static void check_unset_false_zero(const struct kc_workload *w)
{
	const struct kc_pod_spec *s = w->spec;
	ck_assert_ptr_null(s->host_network);
	ck_assert_ptr_nonnull(s->host_pid);
	ck_assert(!*s->host_pid);
	ck_assert_ptr_null(s->host_ipc);
	ck_assert_ptr_nonnull(s->security_context);
	ck_assert_ptr_nonnull(s->security_context->run_as_user);
	ck_assert_int_eq(*s->security_context->run_as_user, 0);
	ck_assert_ptr_null(s->security_context->run_as_group);
	ck_assert_ptr_null(s->security_context->run_as_non_root);
	ck_assert_uint_eq(s->containers_count, 3);

	const struct kc_security_context *a = s->containers[0].security_context;
	ck_assert_ptr_null(a);
	const struct kc_security_context *b = s->containers[1].security_context;
	ck_assert_ptr_nonnull(b);
	ck_assert_ptr_null(b->run_as_non_root);
	ck_assert_ptr_null(b->read_only_root_filesystem);
	ck_assert_ptr_null(b->capabilities);
	const struct kc_security_context *c = s->containers[2].security_context;
	ck_assert_ptr_nonnull(c->run_as_non_root);
	ck_assert(!*c->run_as_non_root);
	ck_assert_ptr_nonnull(c->read_only_root_filesystem);
	ck_assert(*c->read_only_root_filesystem);
	ck_assert_ptr_nonnull(c->run_as_user);
	ck_assert_int_eq(*c->run_as_user, 0);
	ck_assert_ptr_nonnull(c->privileged);
	ck_assert(!*c->privileged);
	ck_assert_ptr_null(c->allow_privilege_escalation);
	ck_assert_uint_eq(c->capabilities->drop_count, 0);
	ck_assert_ptr_null(c->capabilities->drop);
	ck_assert_uint_eq(c->capabilities->add_count, 1);
	ck_assert_str_eq(c->capabilities->add[0], "NET_ADMIN");
	ck_assert_ptr_null(s->init_containers);
	ck_assert_uint_eq(s->init_containers_count, 0);
}

START_TEST(unset_stays_null)
{
	with_workload(
		"apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  name: p\n"
		"spec:\n"
		"  hostPID: false\n"
		"  securityContext:\n"
		"    runAsUser: 0\n"
		"  containers:\n"
		"  - name: a\n"
		"    image: x\n"
		"  - name: b\n"
		"    image: x\n"
		"    securityContext: {}\n"
		"  - name: c\n"
		"    image: x\n"
		"    securityContext:\n"
		"      runAsNonRoot: false\n"
		"      readOnlyRootFilesystem: true\n"
		"      runAsUser: 0\n"
		"      privileged: false\n"
		"      capabilities:\n"
		"        add: [NET_ADMIN]\n",
		check_unset_false_zero);
}
END_TEST

static void check_null_is_unset(const struct kc_workload *w)
{
	const struct kc_security_context *sc = w->spec->containers[0].security_context;
	ck_assert_ptr_nonnull(sc);
	ck_assert_ptr_null(sc->run_as_user);
	ck_assert_ptr_null(sc->run_as_non_root);
	ck_assert_ptr_null(sc->run_as_group);
	ck_assert_ptr_null(sc->capabilities);
	ck_assert_ptr_null(w->spec->security_context);
	ck_assert_ptr_null(w->spec->host_network);
	ck_assert_ptr_null(w->spec->containers[0].image);
}

START_TEST(null_is_unset)
{
	with_workload(
		"apiVersion: v1\n"
		"kind: Pod\n"
		"spec:\n"
		"  securityContext: ~\n"
		"  hostNetwork: null\n"
		"  containers:\n"
		"  - name: a\n"
		"    image:\n"
		"    securityContext:\n"
		"      runAsUser: ~\n"
		"      runAsNonRoot: null\n"
		"      runAsGroup:\n"
		"      capabilities: ~\n",
		check_null_is_unset);
}
END_TEST

/* ---- wrong types, through the loader ------------------------------------- */

START_TEST(int_given_a_word)
{
	const char *y =
		"apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  name: p\n"
		"spec:\n"
		"  securityContext:\n"
		"    runAsUser: abc\n"
		"  containers:\n"
		"  - name: app\n"
		"    image: x\n";
	load_error(y, "test.yaml:7:16: error: invalid Pod: spec.securityContext.runAsUser: "
		"expected an integer, got string 'abc'\n");
	invalid(y, KC_SHAPE_POD, 7, 16, "spec.securityContext.runAsUser",
		"expected an integer, got string 'abc'");
}
END_TEST

START_TEST(bool_given_a_quoted_string)
{
	const char *y =
		"apiVersion: v1\n"
		"kind: Pod\n"
		"spec:\n"
		"  containers:\n"
		"  - name: app\n"
		"    image: x\n"
		"    securityContext:\n"
		"      runAsNonRoot: \"true\"\n";
	load_error(y, "test.yaml:8:21: error: invalid Pod: "
		"spec.containers[app].securityContext.runAsNonRoot: expected a boolean, "
		"got the string \"true\" (remove the quotes)\n");
	invalid(y, KC_SHAPE_POD, 8, 21, "spec.containers[app].securityContext.runAsNonRoot",
		"expected a boolean, got the string \"true\" (remove the quotes)");
	invalid("spec:\n  hostIPC: 'False'\n", KC_SHAPE_POD, 2, 12, "spec.hostIPC",
		"expected a boolean, got the string \"False\" (remove the quotes)");
	invalid("spec:\n  hostIPC: 'maybe'\n", KC_SHAPE_POD, 2, 12, "spec.hostIPC",
		"expected a boolean (true or false), got string 'maybe'");
}
END_TEST

START_TEST(bool_given_yaml11_short_form)
{
	const char *y =
		"apiVersion: v1\n"
		"kind: Pod\n"
		"spec:\n"
		"  securityContext:\n"
		"    runAsNonRoot: n\n"
		"  containers: []\n";
	load_error(y, "test.yaml:5:19: error: invalid Pod: spec.securityContext.runAsNonRoot: "
		"'n' is a YAML 1.1 boolean that tools read differently; write true or false\n");
	invalid("spec:\n  hostPID: Y\n", KC_SHAPE_POD, 2, 12, "spec.hostPID",
		"'Y' is a YAML 1.1 boolean that tools read differently; write true or false");
}
END_TEST

static void check_yaml11_words(const struct kc_workload *w)
{
	ck_assert(*w->spec->host_pid);
	ck_assert(!*w->spec->host_ipc);
	ck_assert(*w->spec->host_network);
	ck_assert(!*w->spec->automount_service_account_token);
	ck_assert(!*w->spec->host_users);
}

START_TEST(bool_yaml11_words)
{
	/* yes/no/on/off are booleans in YAML 1.1, as the API server reads it. */
	with_workload(
		"apiVersion: v1\n"
		"kind: Pod\n"
		"spec:\n"
		"  hostPID: yes\n"
		"  hostIPC: Off\n"
		"  hostNetwork: TRUE\n"
		"  hostUsers: NO\n"
		"  automountServiceAccountToken: False\n"
		"  containers: []\n",
		check_yaml11_words);
}
END_TEST

START_TEST(bool_given_a_number)
{
	const char *y =
		"apiVersion: v1\n"
		"kind: Pod\n"
		"spec:\n"
		"  hostNetwork: 1\n"
		"  containers: []\n";
	load_error(y, "test.yaml:4:16: error: invalid Pod: spec.hostNetwork: "
		"expected a boolean (true or false), got integer '1'\n");
	invalid("spec:\n  hostNetwork: 1.0\n", KC_SHAPE_POD, 2, 16, "spec.hostNetwork",
		"expected a boolean (true or false), got number '1.0'");
	invalid("spec:\n  hostNetwork: [true]\n", KC_SHAPE_POD, 2, 16, "spec.hostNetwork",
		"expected a boolean, got a list");
}
END_TEST

START_TEST(list_given_a_mapping)
{
	const char *y =
		"apiVersion: apps/v1\n"
		"kind: Deployment\n"
		"metadata:\n"
		"  name: d\n"
		"spec:\n"
		"  template:\n"
		"    spec:\n"
		"      containers:\n"
		"        name: app\n"
		"        image: x\n";
	load_error(y, "test.yaml:9:9: error: invalid Deployment: spec.template.spec.containers: "
		"expected a list, got a mapping\n");
	invalid(y, KC_SHAPE_TEMPLATE, 9, 9, "spec.template.spec.containers",
		"expected a list, got a mapping");
	invalid("spec:\n  containers: app\n", KC_SHAPE_POD, 2, 15, "spec.containers",
		"expected a list, got a scalar");
	invalid("spec:\n  securityContext: [runAsUser]\n", KC_SHAPE_POD, 2, 20,
		"spec.securityContext", "expected a mapping, got a list");
	invalid("spec: true\n", KC_SHAPE_POD, 1, 7, "spec", "expected a mapping, got a scalar");
}
END_TEST

START_TEST(int_given_a_quoted_number)
{
	const char *y =
		"apiVersion: v1\n"
		"kind: Pod\n"
		"spec:\n"
		"  containers:\n"
		"  - name: app\n"
		"    image: x\n"
		"    ports:\n"
		"    - containerPort: \"80\"\n";
	load_error(y, "test.yaml:8:22: error: invalid Pod: "
		"spec.containers[app].ports[0].containerPort: expected an integer, "
		"got the string \"80\" (remove the quotes)\n");
	invalid(y, KC_SHAPE_POD, 8, 22, "spec.containers[app].ports[0].containerPort",
		"expected an integer, got the string \"80\" (remove the quotes)");
	invalid("spec:\n  securityContext:\n    runAsUser: true\n", KC_SHAPE_POD, 3, 16,
		"spec.securityContext.runAsUser", "expected an integer, got boolean 'true'");
	invalid("spec:\n  securityContext:\n    runAsUser: 1.5\n", KC_SHAPE_POD, 3, 16,
		"spec.securityContext.runAsUser", "expected an integer, got number '1.5'");
	invalid("spec:\n  securityContext:\n    runAsUser: {a: 1}\n", KC_SHAPE_POD, 3, 16,
		"spec.securityContext.runAsUser", "expected an integer, got a mapping");
}
END_TEST

START_TEST(string_given_a_number)
{
	const char *y =
		"apiVersion: v1\n"
		"kind: Pod\n"
		"spec:\n"
		"  containers:\n"
		"  - name: 123\n"
		"    image: x\n";
	/* The item is rendered by its name even though it is a number. */
	load_error(y, "test.yaml:5:11: error: invalid Pod: spec.containers[123].name: "
		"expected a string, got integer '123' (quote it: \"123\")\n");
	invalid(y, KC_SHAPE_POD, 5, 11, "spec.containers[123].name",
		"expected a string, got integer '123' (quote it: \"123\")");
	invalid("spec:\n  containers:\n  - image: 1.5\n", KC_SHAPE_POD, 3, 12,
		"spec.containers[0].image",
		"expected a string, got number '1.5' (quote it: \"1.5\")");
	invalid("spec:\n  containers:\n  - image: no\n", KC_SHAPE_POD, 3, 12,
		"spec.containers[0].image",
		"expected a string, got boolean 'no' (quote it: \"no\")");
	invalid("spec:\n  containers:\n  - image: [a]\n", KC_SHAPE_POD, 3, 12,
		"spec.containers[0].image", "expected a string, got a list");
	invalid("spec:\n  containers:\n  - command: [run]\n    env:\n    - name: A\n"
		"      value: 8080\n", KC_SHAPE_POD, 6, 14, "spec.containers[0].env[A].value",
		"expected a string, got integer '8080' (quote it: \"8080\")");
}
END_TEST

static void check_int_or_string(const struct kc_workload *w)
{
	const struct kc_container *c = &w->spec->containers[0];
	ck_assert_str_eq(c->resources->limits->cpu, "1");
	ck_assert_str_eq(c->resources->limits->memory, "512Mi");
	ck_assert_str_eq(c->resources->requests->cpu, "0.5");
	ck_assert_str_eq(c->resources->requests->memory, "1000");
	ck_assert_ptr_null(c->resources->requests->ephemeral_storage);
	ck_assert_str_eq(c->resources->limits->ephemeral_storage, "2Gi");
	ck_assert_str_eq(c->liveness_probe->http_get->port, "8080");
	ck_assert_str_eq(c->liveness_probe->http_get->path, "/healthz");
	ck_assert_str_eq(c->readiness_probe->tcp_socket->port, "http");
	ck_assert_int_eq(*c->startup_probe->grpc->port, 9090);
	ck_assert_ptr_null(c->startup_probe->http_get);
	ck_assert_uint_eq(c->ports_count, 1);
	ck_assert_int_eq(*c->ports[0].container_port, 8080);
	ck_assert_str_eq(c->ports[0].name, "http");
	ck_assert_ptr_null(c->ports[0].host_port);
}

START_TEST(int_or_string_fields)
{
	const char *y =
		"apiVersion: v1\n"
		"kind: Pod\n"
		"spec:\n"
		"  containers:\n"
		"  - name: app\n"
		"    image: x\n"
		"    ports:\n"
		"    - name: http\n"
		"      containerPort: 8080\n"
		"    resources:\n"
		"      limits: {cpu: 1, memory: 512Mi, ephemeral-storage: 2Gi}\n"
		"      requests: {cpu: 0.5, memory: 1000}\n"
		"    livenessProbe:\n"
		"      httpGet: {port: 8080, path: /healthz}\n"
		"    readinessProbe:\n"
		"      tcpSocket: {port: http}\n"
		"    startupProbe:\n"
		"      grpc: {port: 9090}\n";
	valid(y, KC_SHAPE_POD);
	with_workload(y, check_int_or_string);
	/* grpc.port is a plain integer, not int-or-string. */
	invalid("spec:\n  containers:\n  - startupProbe:\n      grpc: {port: grpc}\n",
		KC_SHAPE_POD, 4, 20, "spec.containers[0].startupProbe.grpc.port",
		"expected an integer, got string 'grpc'");
}
END_TEST

START_TEST(int_or_string_refuses_booleans)
{
	/* The API server reads an int-or-string from a JSON number or string
	 * only: IntOrString and Quantity both refuse `true`. */
	invalid("spec:\n  containers:\n  - livenessProbe:\n      httpGet: {port: true}\n",
		KC_SHAPE_POD, 4, 23, "spec.containers[0].livenessProbe.httpGet.port",
		"expected a string, got boolean 'true' (quote it: \"true\")");
	invalid("spec:\n  containers:\n  - resources:\n      limits: {cpu: yes}\n",
		KC_SHAPE_POD, 4, 21, "spec.containers[0].resources.limits.cpu",
		"expected a string, got boolean 'yes' (quote it: \"yes\")");
}
END_TEST

START_TEST(int_ranges)
{
	invalid("spec:\n  containers:\n  - ports:\n    - containerPort: 99999999999\n",
		KC_SHAPE_POD, 4, 22, "spec.containers[0].ports[0].containerPort",
		"integer '99999999999' is out of range");
	invalid("spec:\n  containers:\n  - ports:\n    - hostPort: 2147483648\n",
		KC_SHAPE_POD, 4, 17, "spec.containers[0].ports[0].hostPort",
		"integer '2147483648' is out of range");
	invalid("spec:\n  containers:\n  - ports:\n    - hostPort: -2147483649\n",
		KC_SHAPE_POD, 4, 17, "spec.containers[0].ports[0].hostPort",
		"integer '-2147483649' is out of range");
	invalid("spec:\n  securityContext:\n    runAsUser: 9223372036854775808\n",
		KC_SHAPE_POD, 3, 16, "spec.securityContext.runAsUser",
		"integer '9223372036854775808' is out of range");
	valid("spec:\n  containers:\n  - ports:\n    - containerPort: 2147483647\n"
		"      hostPort: -2147483648\n", KC_SHAPE_POD);
	valid("spec:\n  securityContext:\n    runAsUser: 99999999999\n"
		"    runAsGroup: -9223372036854775808\n", KC_SHAPE_POD);
}
END_TEST

static void check_int_values(const struct kc_workload *w)
{
	const struct kc_pod_security_context *sc = w->spec->security_context;
	ck_assert_int_eq(*sc->run_as_user, 99999999999LL);
	ck_assert_int_eq(*sc->run_as_group, 16);
	ck_assert_int_eq(*sc->fs_group, -5);
	ck_assert_uint_eq(sc->supplemental_groups_count, 3);
	ck_assert_int_eq(sc->supplemental_groups[0], 1);
	ck_assert_int_eq(sc->supplemental_groups[1], 2);
	ck_assert_int_eq(sc->supplemental_groups[2], 3);
	ck_assert_int_eq(*w->spec->containers[0].ports[0].container_port, 2147483647);
}

START_TEST(int_values)
{
	with_workload(
		"apiVersion: v1\n"
		"kind: Pod\n"
		"spec:\n"
		"  securityContext:\n"
		"    runAsUser: 99999999999\n"
		"    runAsGroup: 0x10\n"
		"    fsGroup: -5\n"
		"    supplementalGroups: [1, 2, 3]\n"
		"  containers:\n"
		"  - name: a\n"
		"    ports: [{containerPort: 2147483647}]\n",
		check_int_values);
	invalid("spec:\n  securityContext:\n    supplementalGroups: [1, ~]\n", KC_SHAPE_POD,
		3, 29, "spec.securityContext.supplementalGroups[1]", "expected a value, got null");
	invalid("spec:\n  containers: [~]\n", KC_SHAPE_POD, 2, 16, "spec.containers[0]",
		"expected a value, got null");
}
END_TEST

static void check_explicit_tags(const struct kc_workload *w)
{
	const struct kc_container *c = &w->spec->containers[0];
	ck_assert_str_eq(c->name, "5");
	ck_assert_str_eq(c->image, "true");
	ck_assert_int_eq(*c->security_context->run_as_user, 7);
	ck_assert(*c->security_context->run_as_non_root);
}

START_TEST(explicit_tags)
{
	/* An explicit tag decides the type, whatever the text looks like. */
	with_workload(
		"apiVersion: v1\n"
		"kind: Pod\n"
		"spec:\n"
		"  containers:\n"
		"  - name: !!str 5\n"
		"    image: !!str true\n"
		"    securityContext:\n"
		"      runAsUser: !!int \"7\"\n"
		"      runAsNonRoot: !!bool \"true\"\n",
		check_explicit_tags);
	invalid("spec:\n  securityContext:\n    runAsUser: !!str 5\n", KC_SHAPE_POD, 3, 16,
		"spec.securityContext.runAsUser", "expected an integer, got string '5'");
	invalid("spec:\n  hostPID: !!str true\n", KC_SHAPE_POD, 2, 12, "spec.hostPID",
		"expected a boolean (true or false), got string 'true'");
	invalid("spec:\n  containers:\n  - name: !!int 5\n", KC_SHAPE_POD, 3, 11,
		"spec.containers[5].name", "expected a string, got integer '5' (quote it: \"5\")");
	/* !!null makes even a word null, which a pointer field reads as unset. */
	valid("spec:\n  securityContext:\n    runAsUser: !!null ''\n", KC_SHAPE_POD);
}
END_TEST

START_TEST(validate_reports_first_problem_in_document_order)
{
	invalid(
		"spec:\n"
		"  hostNetwork: 1\n"
		"  securityContext:\n"
		"    runAsUser: abc\n", KC_SHAPE_POD, 2, 16, "spec.hostNetwork",
		"expected a boolean (true or false), got integer '1'");
	invalid(
		"spec:\n"
		"  containers:\n"
		"  - name: a\n"
		"    securityContext: {runAsUser: x}\n"
		"  - name: b\n"
		"    securityContext: {runAsUser: y}\n", KC_SHAPE_POD, 4, 34,
		"spec.containers[a].securityContext.runAsUser",
		"expected an integer, got string 'x'");
}
END_TEST

START_TEST(validate_with_base_path)
{
	const struct kc_node *root = t_parse(arena,
		"items:\n"
		"- kind: Pod\n"
		"  spec:\n"
		"    hostPID: 2\n");
	struct kc_path base = t_path("items[0]");
	const struct kc_node *res = t_find(root, "items[0]");
	ck_assert(!kc_schema_validate(kc_schema_for(KC_SHAPE_POD), res, &base, &serr));
	char buf[128];
	kc_path_format(root, &serr.path, buf, sizeof(buf));
	ck_assert_str_eq(buf, "items[0].spec.hostPID");
	ck_assert_uint_eq(serr.node->start.line, 4);
	ck_assert_uint_eq(serr.node->start.col, 14);
}
END_TEST

START_TEST(validate_ignores_unknown_and_long_values)
{
	valid("spec:\n  replicas: many\n  whatever: [1, {a: b}]\n  containers: []\n",
		KC_SHAPE_POD);
	/* Long values are cut in messages. */
	invalid("spec:\n  securityContext:\n"
		"    runAsUser: abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz\n",
		KC_SHAPE_POD, 3, 16, "spec.securityContext.runAsUser",
		"expected an integer, got string 'abcdefghijklmnopqrstuvwxyzabcdef...'");
}
END_TEST

/* ---- shapes -------------------------------------------------------------- */

START_TEST(shapes)
{
	ck_assert_str_eq(kc_schema_template_path(KC_SHAPE_POD), "");
	ck_assert_str_eq(kc_schema_template_path(KC_SHAPE_TEMPLATE), "spec.template");
	ck_assert_str_eq(kc_schema_template_path(KC_SHAPE_JOB_TEMPLATE),
		"spec.jobTemplate.spec.template");
	ck_assert_str_eq(kc_schema_template_path(KC_SHAPE_POD_TEMPLATE), "template");
	const struct kc_object_meta *meta = (const void *)1;
	ck_assert_ptr_null(kc_schema_unwrap(KC_SHAPE_TEMPLATE, NULL, &meta));
	ck_assert_ptr_null(meta);
	invalid("spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n"
		"          hostPID: 0\n", KC_SHAPE_JOB_TEMPLATE, 6, 20,
		"spec.jobTemplate.spec.template.spec.hostPID",
		"expected a boolean (true or false), got integer '0'");
	invalid("template:\n  spec:\n    hostPID: 0\n", KC_SHAPE_POD_TEMPLATE, 3, 14,
		"template.spec.hostPID", "expected a boolean (true or false), got integer '0'");
	invalid("metadata:\n  name: 5\n", KC_SHAPE_TEMPLATE, 2, 9, "metadata.name",
		"expected a string, got integer '5' (quote it: \"5\")");
}
END_TEST

/* ---- effective settings -------------------------------------------------- */

static void check_effective(const struct kc_workload *w)
{
	ck_assert_uint_eq(w->container_count, 3);
	const struct kc_container_ref *own = &w->containers[0];
	const struct kc_container_ref *inh = &w->containers[1];
	const struct kc_container_ref *bare = &w->containers[2];

	/* runAsNonRoot: the container wins over the pod. */
	struct kc_effective e = kc_effective_run_as_non_root(w, own);
	ck_assert_int_eq(e.origin, KC_ORIGIN_CONTAINER);
	ck_assert(*e.b);
	ck_assert_ptr_eq(e.b, own->c->security_context->run_as_non_root);
	ck_assert_str_eq(fmt_path(w, &e.path),
		"spec.template.spec.containers[own].securityContext.runAsNonRoot");
	e = kc_effective_run_as_non_root(w, inh);
	ck_assert_int_eq(e.origin, KC_ORIGIN_POD);
	ck_assert(!*e.b);
	ck_assert_ptr_eq(e.b, w->spec->security_context->run_as_non_root);
	ck_assert_str_eq(fmt_path(w, &e.path), "spec.template.spec.securityContext.runAsNonRoot");

	/* runAsUser: a container's 0 beats the pod's 1000. */
	e = kc_effective_run_as_user(w, own);
	ck_assert_int_eq(e.origin, KC_ORIGIN_CONTAINER);
	ck_assert_int_eq(*e.i, 0);
	ck_assert_ptr_eq(e.p, e.i);
	e = kc_effective_run_as_user(w, inh);
	ck_assert_int_eq(e.origin, KC_ORIGIN_POD);
	ck_assert_int_eq(*e.i, 1000);
	ck_assert_str_eq(fmt_path(w, &e.path), "spec.template.spec.securityContext.runAsUser");

	/* runAsGroup is set nowhere. */
	e = kc_effective_run_as_group(w, inh);
	ck_assert_int_eq(e.origin, KC_ORIGIN_UNSET);
	ck_assert_ptr_null(e.i);
	ck_assert_ptr_null(e.p);
	ck_assert_str_eq(fmt_path(w, &e.path),
		"spec.template.spec.containers[inherits].securityContext.runAsGroup");
	e = kc_effective_run_as_group(w, own);
	ck_assert_int_eq(e.origin, KC_ORIGIN_CONTAINER);
	ck_assert_int_eq(*e.i, 3000);

	/* Object fields. */
	e = kc_effective_seccomp_profile(w, inh);
	ck_assert_int_eq(e.origin, KC_ORIGIN_POD);
	ck_assert_str_eq(((const struct kc_seccomp_profile *)e.p)->type, "RuntimeDefault");
	ck_assert_str_eq(fmt_path(w, &e.path),
		"spec.template.spec.securityContext.seccompProfile");
	e = kc_effective_seccomp_profile(w, own);
	ck_assert_int_eq(e.origin, KC_ORIGIN_CONTAINER);
	const struct kc_seccomp_profile *sp = e.p;
	ck_assert_str_eq(sp->type, "Localhost");
	ck_assert_str_eq(sp->localhost_profile, "p.json");
	e = kc_effective_selinux_options(w, own);
	ck_assert_int_eq(e.origin, KC_ORIGIN_CONTAINER);
	ck_assert_str_eq(((const struct kc_selinux_options *)e.p)->level, "s0:c1");
	e = kc_effective_selinux_options(w, inh);
	ck_assert_int_eq(e.origin, KC_ORIGIN_UNSET);
	e = kc_effective_apparmor_profile(w, inh);
	ck_assert_int_eq(e.origin, KC_ORIGIN_POD);
	ck_assert_str_eq(((const struct kc_apparmor_profile *)e.p)->type, "RuntimeDefault");
	ck_assert_str_eq(fmt_path(w, &e.path),
		"spec.template.spec.securityContext.appArmorProfile");

	/* A container with no securityContext at all inherits too. */
	ck_assert_ptr_null(bare->c->security_context);
	e = kc_effective_run_as_non_root(w, bare);
	ck_assert_int_eq(e.origin, KC_ORIGIN_POD);
	e = kc_effective_run_as_user(w, bare);
	ck_assert_int_eq(*e.i, 1000);
	ck_assert_str_eq(fmt_path(w, &e.path), "spec.template.spec.securityContext.runAsUser");

	struct kc_path p = kc_pod_sc_path(w, "seccompProfile.type");
	ck_assert_str_eq(fmt_path(w, &p), "spec.template.spec.securityContext.seccompProfile.type");
	ck_assert_str_eq(kc_doc_get(w, &p)->value, "RuntimeDefault");
	p = kc_container_sc_path(own, "capabilities.drop");
	ck_assert_str_eq(fmt_path(w, &p),
		"spec.template.spec.containers[own].securityContext.capabilities.drop");
	ck_assert_ptr_null(kc_doc_get(w, &p));
}

START_TEST(effective_settings)
{
	with_workload(
		"apiVersion: apps/v1\n"
		"kind: Deployment\n"
		"metadata:\n"
		"  name: d\n"
		"spec:\n"
		"  template:\n"
		"    spec:\n"
		"      securityContext:\n"
		"        runAsNonRoot: false\n"
		"        runAsUser: 1000\n"
		"        seccompProfile:\n"
		"          type: RuntimeDefault\n"
		"        appArmorProfile: {type: RuntimeDefault}\n"
		"      containers:\n"
		"      - name: own\n"
		"        securityContext:\n"
		"          runAsNonRoot: true\n"
		"          runAsUser: 0\n"
		"          runAsGroup: 3000\n"
		"          seccompProfile: {type: Localhost, localhostProfile: p.json}\n"
		"          seLinuxOptions: {level: \"s0:c1\"}\n"
		"      - name: inherits\n"
		"        securityContext:\n"
		"          privileged: false\n"
		"      - name: bare\n",
		check_effective);
}
END_TEST

static void check_effective_unset(const struct kc_workload *w)
{
	const struct kc_container_ref *ref = &w->containers[0];
	ck_assert_ptr_null(w->spec->security_context);
	struct kc_effective e = kc_effective_run_as_non_root(w, ref);
	ck_assert_int_eq(e.origin, KC_ORIGIN_UNSET);
	ck_assert_ptr_null(e.b);
	ck_assert_str_eq(fmt_path(w, &e.path),
		"spec.initContainers[setup].securityContext.runAsNonRoot");
	e = kc_effective_seccomp_profile(w, ref);
	ck_assert_int_eq(e.origin, KC_ORIGIN_UNSET);
	ck_assert_ptr_null(e.p);
	e = kc_effective_apparmor_profile(w, ref);
	ck_assert_int_eq(e.origin, KC_ORIGIN_UNSET);
}

START_TEST(effective_unset)
{
	with_workload(
		"apiVersion: v1\n"
		"kind: Pod\n"
		"spec:\n"
		"  initContainers:\n"
		"  - name: setup\n"
		"    image: x\n",
		check_effective_unset);
}
END_TEST

/* ---- volumes -------------------------------------------------------------- */

static void check_volumes(const struct kc_workload *w)
{
	const struct kc_pod_spec *s = w->spec;
	ck_assert_uint_eq(s->volumes_count, 6);
	const struct kc_volume *v = s->volumes;
	ck_assert_str_eq(v[0].name, "host");
	ck_assert(kc_volume_has(&v[0], KC_VOLUME_HOST_PATH));
	ck_assert(!kc_volume_has(&v[0], KC_VOLUME_EMPTY_DIR));
	ck_assert_int_eq(kc_volume_type(&v[0]), KC_VOLUME_HOST_PATH);
	ck_assert_str_eq(v[0].host_path->path, "/var/run/docker.sock");
	ck_assert_str_eq(v[0].host_path->type, "Socket");
	ck_assert_ptr_null(v[0].sources[KC_VOLUME_HOST_PATH]);

	ck_assert_int_eq(kc_volume_type(&v[1]), KC_VOLUME_EMPTY_DIR);
	ck_assert(kc_volume_has(&v[1], KC_VOLUME_EMPTY_DIR));
	ck_assert(!kc_volume_has(&v[1], KC_VOLUME_HOST_PATH));
	ck_assert_int_eq(kc_volume_type(&v[2]), KC_VOLUME_CONFIG_MAP);
	ck_assert_int_eq(kc_volume_type(&v[3]), KC_VOLUME_PERSISTENT_VOLUME_CLAIM);
	ck_assert_int_eq(kc_volume_type(&v[4]), KC_VOLUME_NONE);
	ck_assert(!kc_volume_has(&v[4], KC_VOLUME_NONE));
	/* Two sources (invalid, but possible): the first in enum order. */
	ck_assert_int_eq(kc_volume_type(&v[5]), KC_VOLUME_DOWNWARD_API);
	ck_assert(kc_volume_has(&v[5], KC_VOLUME_SECRET));
	ck_assert(kc_volume_has(&v[5], KC_VOLUME_DOWNWARD_API));
}

START_TEST(volumes)
{
	with_workload(
		"apiVersion: v1\n"
		"kind: Pod\n"
		"spec:\n"
		"  volumes:\n"
		"  - name: host\n"
		"    hostPath:\n"
		"      path: /var/run/docker.sock\n"
		"      type: Socket\n"
		"  - name: scratch\n"
		"    emptyDir: {}\n"
		"  - name: conf\n"
		"    configMap: {name: c, items: [{key: a, path: b}]}\n"
		"  - name: data\n"
		"    persistentVolumeClaim: {claimName: data}\n"
		"  - name: nothing\n"
		"  - name: two\n"
		"    secret: {secretName: s}\n"
		"    downwardAPI: {items: []}\n"
		"  containers: []\n",
		check_volumes);
	ck_assert_str_eq(kc_volume_type_name(KC_VOLUME_HOST_PATH), "hostPath");
	ck_assert_str_eq(kc_volume_type_name(KC_VOLUME_AWS_ELASTIC_BLOCK_STORE),
		"awsElasticBlockStore");
	ck_assert_str_eq(kc_volume_type_name(KC_VOLUME_VSPHERE_VOLUME), "vsphereVolume");
	ck_assert_str_eq(kc_volume_type_name(KC_VOLUME_DOWNWARD_API), "downwardAPI");
	ck_assert_str_eq(kc_volume_type_name(KC_VOLUME_NONE), "unknown");
	ck_assert_str_eq(kc_volume_type_name((enum kc_volume_type)(KC_VOLUME_NONE + 5)),
		"unknown");
}
END_TEST

/* ---- annotations --------------------------------------------------------- */

static void check_pod_annotations(const struct kc_workload *w)
{
	ck_assert_str_eq(kc_workload_annotation(w, "a.example.com/x"), "1");
	ck_assert_str_eq(kc_workload_annotation(w, "plain"), "text");
	ck_assert_ptr_null(kc_workload_annotation(w, "empty"));
	ck_assert_ptr_null(kc_workload_annotation(w, "list"));
	ck_assert_ptr_null(kc_workload_annotation(w, "missing"));
	const struct kc_node *m = kc_workload_annotations(w);
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(m->count, 4);
	ck_assert_uint_eq(m->start.line, 5);
}

START_TEST(pod_annotations)
{
	with_workload(
		"apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  annotations:\n"
		"    a.example.com/x: \"1\"\n"
		"    plain: text\n"
		"    empty:\n"
		"    list: [a]\n"
		"spec:\n"
		"  containers: []\n",
		check_pod_annotations);
}
END_TEST

static void check_template_annotations(const struct kc_workload *w)
{
	/* A controller's pod annotations are its template's, not its own. */
	ck_assert_str_eq(kc_workload_annotation(w, "where"), "template");
	ck_assert_ptr_null(kc_workload_annotation(w, "only-outer"));
	ck_assert_str_eq(w->name, "d");
	ck_assert_str_eq(w->namespace, "ns");
}

START_TEST(template_annotations)
{
	with_workload(
		"apiVersion: apps/v1\n"
		"kind: Deployment\n"
		"metadata:\n"
		"  name: d\n"
		"  namespace: ns\n"
		"  annotations: {where: outer, only-outer: x}\n"
		"spec:\n"
		"  template:\n"
		"    metadata:\n"
		"      annotations: {where: template}\n"
		"    spec:\n"
		"      containers: []\n",
		check_template_annotations);
}
END_TEST

static void check_no_annotations(const struct kc_workload *w)
{
	ck_assert_ptr_null(kc_workload_annotations(w));
	ck_assert_ptr_null(kc_workload_annotation(w, "a"));
}

START_TEST(annotations_missing_or_not_a_mapping)
{
	with_workload("apiVersion: v1\nkind: Pod\nspec:\n  containers: []\n",
		check_no_annotations);
	with_workload("apiVersion: v1\nkind: Pod\nmetadata:\n  annotations: [a]\n"
		"spec:\n  containers: []\n", check_no_annotations);
	with_workload("apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n"
		"spec:\n  containers: []\n", check_no_annotations);
}
END_TEST

START_TEST(container_list_keys)
{
	ck_assert_str_eq(kc_container_list_key(KC_CONTAINER_INIT), "initContainers");
	ck_assert_str_eq(kc_container_list_key(KC_CONTAINER_REGULAR), "containers");
	ck_assert_str_eq(kc_container_list_key(KC_CONTAINER_EPHEMERAL), "ephemeralContainers");
}
END_TEST

static void add(Suite *s, const char *name, const TTest *t)
{
	TCase *tc = tcase_create(name);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, t);
	suite_add_tcase(s, tc);
}

static Suite *model_suite(void)
{
	Suite *s = suite_create("model");
	add(s, "unset_stays_null", unset_stays_null);
	add(s, "null_is_unset", null_is_unset);
	add(s, "int_given_a_word", int_given_a_word);
	add(s, "bool_given_a_quoted_string", bool_given_a_quoted_string);
	add(s, "bool_given_yaml11_short_form", bool_given_yaml11_short_form);
	add(s, "bool_yaml11_words", bool_yaml11_words);
	add(s, "bool_given_a_number", bool_given_a_number);
	add(s, "list_given_a_mapping", list_given_a_mapping);
	add(s, "int_given_a_quoted_number", int_given_a_quoted_number);
	add(s, "string_given_a_number", string_given_a_number);
	add(s, "int_or_string", int_or_string_fields);
	add(s, "int_or_string_booleans", int_or_string_refuses_booleans);
	add(s, "int_ranges", int_ranges);
	add(s, "int_values", int_values);
	add(s, "explicit_tags", explicit_tags);
	add(s, "first_problem", validate_reports_first_problem_in_document_order);
	add(s, "base_path", validate_with_base_path);
	add(s, "unknown_and_long", validate_ignores_unknown_and_long_values);
	add(s, "shapes", shapes);
	add(s, "effective", effective_settings);
	add(s, "effective_unset", effective_unset);
	add(s, "volumes", volumes);
	add(s, "pod_annotations", pod_annotations);
	add(s, "template_annotations", template_annotations);
	add(s, "no_annotations", annotations_missing_or_not_a_mapping);
	add(s, "container_list_keys", container_list_keys);
	return s;
}

int main(void)
{
	return t_run(model_suite());
}
