#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

/*
 * The loader hands each document to a callback and frees it afterwards, so
 * the callback below copies what the tests look at into plain strings.
 */

#define MAX_W 16
#define MAX_C 8

struct rec_workload {
	char kind[32];
	char api[48];
	char name[32];               /* "-" when NULL */
	char ns[32];                 /* "-" when NULL */
	char resource[64];
	char meta[96];
	char spec[96];
	unsigned doc_index;
	unsigned containers;
	char cpath[MAX_C][128];
	char cname[MAX_C][32];
	enum kc_container_list list[MAX_C];
	unsigned index[MAX_C];
	bool pod_non_root;           /* spec.securityContext.runAsNonRoot is true */
	bool root_is_doc;            /* doc_root is the document's root */
};

struct rec_skip {
	char kind[32];               /* "-" when NULL */
	char reason[48];
	unsigned doc;
};

struct rec {
	char file[32];               /* of the last document */
	unsigned docs;
	unsigned doc_index[MAX_W];
	unsigned nw;
	struct rec_workload w[MAX_W];
	unsigned ns;
	struct rec_skip s[MAX_W];
};

static struct rec *rec;
static struct t_loaded res;

static void setup(void)
{
	rec = calloc(1, sizeof(*rec));
	memset(&res, 0, sizeof(res));
}

static void teardown(void)
{
	free(rec);
	free(res.diag);
}

static void copy(char *dst, size_t size, const char *s)
{
	snprintf(dst, size, "%s", s ? s : "-");
}

static void render(char *dst, size_t size, const struct kc_node *root,
	const struct kc_path *p)
{
	size_t n = kc_path_format(root, p, dst, size);
	ck_assert_uint_lt(n, size);
}

static void record(void *ctx, const struct kc_loaded_doc *doc)
{
	struct rec *r = ctx;
	ck_assert_uint_lt(r->docs, MAX_W);
	copy(r->file, sizeof(r->file), doc->file);
	ck_assert_ptr_nonnull(doc->arena);
	ck_assert_ptr_nonnull(doc->root);
	ck_assert_ptr_nonnull(doc->text);
	r->doc_index[r->docs++] = doc->index;
	for (unsigned i = 0; i < doc->workload_count; i++) {
		const struct kc_workload *w = &doc->workloads[i];
		ck_assert_uint_lt(r->nw, MAX_W);
		struct rec_workload *o = &r->w[r->nw++];
		copy(o->kind, sizeof(o->kind), w->kind);
		copy(o->api, sizeof(o->api), w->api_version);
		copy(o->name, sizeof(o->name), w->name);
		copy(o->ns, sizeof(o->ns), w->namespace);
		render(o->resource, sizeof(o->resource), w->doc_root, &w->resource_path);
		render(o->meta, sizeof(o->meta), w->doc_root, &w->pod_meta_path);
		render(o->spec, sizeof(o->spec), w->doc_root, &w->pod_spec_path);
		o->doc_index = w->doc_index;
		o->root_is_doc = w->doc_root == doc->root;
		ck_assert_ptr_nonnull(w->spec);
		const struct kc_pod_security_context *psc = w->spec->security_context;
		o->pod_non_root = psc && psc->run_as_non_root && *psc->run_as_non_root;
		o->containers = w->container_count;
		ck_assert_uint_eq(w->container_count, w->spec->init_containers_count +
			w->spec->containers_count + w->spec->ephemeral_containers_count);
		for (unsigned j = 0; j < w->container_count && j < MAX_C; j++) {
			const struct kc_container_ref *ref = &w->containers[j];
			render(o->cpath[j], sizeof(o->cpath[j]), w->doc_root, &ref->path);
			copy(o->cname[j], sizeof(o->cname[j]), ref->c->name);
			o->list[j] = ref->list;
			o->index[j] = ref->index;
			/* The path really leads to the container's node. */
			const struct kc_node *n = kc_doc_get(w, &ref->path);
			ck_assert_ptr_nonnull(n);
			ck_assert_int_eq(n->type, KC_NODE_MAPPING);
		}
	}
	for (unsigned i = 0; i < doc->skip_count; i++) {
		ck_assert_uint_lt(r->ns, MAX_W);
		struct rec_skip *o = &r->s[r->ns++];
		copy(o->kind, sizeof(o->kind), doc->skips[i].kind);
		copy(o->reason, sizeof(o->reason), doc->skips[i].reason);
		o->doc = doc->index;
	}
}

static void load(const char *yaml)
{
	free(res.diag);
	res = t_load(yaml, record, rec);
}

/* yaml must load cleanly into exactly one workload; return it. */
static const struct rec_workload *one(const char *yaml)
{
	load(yaml);
	ck_assert_msg(res.ok, "%s", res.diag);
	ck_assert_str_eq(res.diag, "");
	ck_assert_uint_eq(rec->nw, 1);
	ck_assert_uint_eq(rec->ns, 0);
	ck_assert_str_eq(rec->file, "test.yaml");
	ck_assert_uint_eq(res.stats.workloads, 1);
	ck_assert_uint_eq(res.stats.documents, 1);
	ck_assert(rec->w[0].root_is_doc);
	return &rec->w[0];
}

static void assert_workload(const struct rec_workload *w, const char *api,
	const char *kind, const char *name, const char *meta, const char *spec)
{
	ck_assert_str_eq(w->api, api);
	ck_assert_str_eq(w->kind, kind);
	ck_assert_str_eq(w->name, name);
	ck_assert_str_eq(w->meta, meta);
	ck_assert_str_eq(w->spec, spec);
}

/* ---- kinds --------------------------------------------------------------- */

START_TEST(kind_pod)
{
	const struct rec_workload *w = one(
		"apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: prod\n"
		"spec:\n"
		"  containers:\n"
		"  - name: app\n"
		"    image: nginx\n");
	assert_workload(w, "v1", "Pod", "web", "metadata", "spec");
	ck_assert_str_eq(w->ns, "prod");
	ck_assert_str_eq(w->resource, "");
	ck_assert_uint_eq(w->doc_index, 0);
	ck_assert_uint_eq(w->containers, 1);
	ck_assert_str_eq(w->cpath[0], "spec.containers[app]");
}
END_TEST

START_TEST(kind_template_controllers)
{
	static const char *const kinds[][2] = {
		{ "apps/v1", "Deployment" },
		{ "apps/v1", "StatefulSet" },
		{ "apps/v1", "DaemonSet" },
		{ "apps/v1", "ReplicaSet" },
		{ "v1", "ReplicationController" },
		{ "batch/v1", "Job" },
		{ "extensions/v1beta1", "Deployment" },
	};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		char y[512];
		snprintf(y, sizeof(y),
			"apiVersion: %s\n"
			"kind: %s\n"
			"metadata:\n"
			"  name: ctl\n"
			"spec:\n"
			"  template:\n"
			"    metadata:\n"
			"      labels: {app: x}\n"
			"    spec:\n"
			"      containers:\n"
			"      - name: app\n"
			"        image: nginx\n", kinds[i][0], kinds[i][1]);
		memset(rec, 0, sizeof(*rec));
		const struct rec_workload *w = one(y);
		assert_workload(w, kinds[i][0], kinds[i][1], "ctl", "spec.template.metadata",
			"spec.template.spec");
		ck_assert_str_eq(w->ns, "-");
		ck_assert_str_eq(w->cpath[0], "spec.template.spec.containers[app]");
	}
}
END_TEST

START_TEST(kind_cronjob)
{
	static const char *const apis[] = { "batch/v1", "batch/v1beta1" };
	for (size_t i = 0; i < 2; i++) {
		char y[512];
		snprintf(y, sizeof(y),
			"apiVersion: %s\n"
			"kind: CronJob\n"
			"metadata:\n"
			"  name: nightly\n"
			"spec:\n"
			"  schedule: \"0 3 * * *\"\n"
			"  jobTemplate:\n"
			"    spec:\n"
			"      template:\n"
			"        spec:\n"
			"          restartPolicy: OnFailure\n"
			"          containers:\n"
			"          - name: job\n"
			"            image: busybox\n", apis[i]);
		memset(rec, 0, sizeof(*rec));
		const struct rec_workload *w = one(y);
		assert_workload(w, apis[i], "CronJob", "nightly",
			"spec.jobTemplate.spec.template.metadata",
			"spec.jobTemplate.spec.template.spec");
		ck_assert_str_eq(w->cpath[0],
			"spec.jobTemplate.spec.template.spec.containers[job]");
	}
}
END_TEST

START_TEST(kind_pod_template)
{
	const struct rec_workload *w = one(
		"apiVersion: v1\n"
		"kind: PodTemplate\n"
		"metadata:\n"
		"  name: tmpl\n"
		"template:\n"
		"  metadata:\n"
		"    labels: {app: x}\n"
		"  spec:\n"
		"    containers:\n"
		"    - name: app\n"
		"      image: nginx\n");
	assert_workload(w, "v1", "PodTemplate", "tmpl", "template.metadata", "template.spec");
	ck_assert_str_eq(w->cpath[0], "template.spec.containers[app]");
}
END_TEST

START_TEST(kind_argo_rollout)
{
	const struct rec_workload *w = one(
		"apiVersion: argoproj.io/v1alpha1\n"
		"kind: Rollout\n"
		"metadata:\n"
		"  name: canary\n"
		"spec:\n"
		"  strategy:\n"
		"    canary:\n"
		"      steps: [{setWeight: 20}]\n"
		"  template:\n"
		"    spec:\n"
		"      containers:\n"
		"      - name: web\n"
		"        image: demo\n");
	assert_workload(w, "argoproj.io/v1alpha1", "Rollout", "canary",
		"spec.template.metadata", "spec.template.spec");
	ck_assert_str_eq(w->cpath[0], "spec.template.spec.containers[web]");
}
END_TEST

START_TEST(kind_unknown_with_job_template)
{
	const struct rec_workload *w = one(
		"apiVersion: example.com/v1\n"
		"kind: ScheduledThing\n"
		"metadata:\n"
		"  generateName: thing-\n"
		"spec:\n"
		"  jobTemplate:\n"
		"    spec:\n"
		"      template:\n"
		"        spec:\n"
		"          containers:\n"
		"          - image: busybox\n");
	/* generateName stands in for a missing name. */
	assert_workload(w, "example.com/v1", "ScheduledThing", "thing-",
		"spec.jobTemplate.spec.template.metadata",
		"spec.jobTemplate.spec.template.spec");
	ck_assert_str_eq(w->cpath[0], "spec.jobTemplate.spec.template.spec.containers[0]");
	ck_assert_str_eq(w->cname[0], "-");
}
END_TEST

START_TEST(kind_unknown_needs_containers_list)
{
	/* An unknown kind counts only when its template has a containers list. */
	load(
		"apiVersion: example.com/v1\n"
		"kind: Widget\n"
		"spec:\n"
		"  template:\n"
		"    spec:\n"
		"      containers: {name: a}\n"
		"---\n"
		"apiVersion: example.com/v1\n"
		"kind: Gadget\n"
		"spec:\n"
		"  template:\n"
		"    spec: {}\n");
	ck_assert(res.ok);
	ck_assert_str_eq(res.diag, "");
	ck_assert_uint_eq(rec->nw, 0);
	ck_assert_uint_eq(rec->ns, 2);
	ck_assert_str_eq(rec->s[0].kind, "Widget");
	ck_assert_str_eq(rec->s[0].reason, "no pod spec");
	ck_assert_str_eq(rec->s[1].kind, "Gadget");
	ck_assert_str_eq(rec->s[1].reason, "no pod spec");
}
END_TEST

/* ---- containers ---------------------------------------------------------- */

START_TEST(container_order_and_paths)
{
	/* Written ephemeral, regular, init; visited init, regular, ephemeral. */
	const struct rec_workload *w = one(
		"apiVersion: apps/v1\n"
		"kind: Deployment\n"
		"spec:\n"
		"  template:\n"
		"    spec:\n"
		"      ephemeralContainers:\n"
		"      - name: debug\n"
		"      containers:\n"
		"      - name: app\n"
		"      - name: sidecar\n"
		"      - image: unnamed\n"
		"      initContainers:\n"
		"      - name: migrate\n"
		"      - name: warm\n");
	ck_assert_str_eq(w->name, "-");
	ck_assert_uint_eq(w->containers, 6);
	static const char *const paths[] = {
		"spec.template.spec.initContainers[migrate]",
		"spec.template.spec.initContainers[warm]",
		"spec.template.spec.containers[app]",
		"spec.template.spec.containers[sidecar]",
		"spec.template.spec.containers[2]",
		"spec.template.spec.ephemeralContainers[debug]",
	};
	static const char *const names[] = { "migrate", "warm", "app", "sidecar", "-",
		"debug" };
	static const enum kc_container_list lists[] = { KC_CONTAINER_INIT,
		KC_CONTAINER_INIT, KC_CONTAINER_REGULAR, KC_CONTAINER_REGULAR,
		KC_CONTAINER_REGULAR, KC_CONTAINER_EPHEMERAL };
	static const unsigned indexes[] = { 0, 1, 0, 1, 2, 0 };
	for (unsigned i = 0; i < 6; i++) {
		ck_assert_str_eq(w->cpath[i], paths[i]);
		ck_assert_str_eq(w->cname[i], names[i]);
		ck_assert_int_eq(w->list[i], lists[i]);
		ck_assert_uint_eq(w->index[i], indexes[i]);
	}
}
END_TEST

START_TEST(no_containers)
{
	const struct rec_workload *w = one(
		"apiVersion: v1\n"
		"kind: Pod\n"
		"spec:\n"
		"  hostNetwork: true\n");
	ck_assert_uint_eq(w->containers, 0);
	ck_assert_str_eq(w->spec, "spec");
}
END_TEST

/* ---- lists --------------------------------------------------------------- */

START_TEST(list_unwrapping)
{
	load(
		"apiVersion: v1\n"
		"kind: List\n"
		"items:\n"
		"- apiVersion: v1\n"
		"  kind: Pod\n"
		"  metadata: {name: first}\n"
		"  spec:\n"
		"    containers:\n"
		"    - name: a\n"
		"- apiVersion: v1\n"
		"  kind: Service\n"
		"  metadata: {name: svc}\n"
		"- apiVersion: apps/v1\n"
		"  kind: Deployment\n"
		"  metadata: {name: third}\n"
		"  spec:\n"
		"    template:\n"
		"      spec:\n"
		"        containers:\n"
		"        - name: b\n");
	ck_assert_msg(res.ok, "%s", res.diag);
	ck_assert_str_eq(res.diag, "");
	ck_assert_uint_eq(rec->docs, 1);
	ck_assert_uint_eq(rec->nw, 2);
	assert_workload(&rec->w[0], "v1", "Pod", "first", "items[0].metadata", "items[0].spec");
	ck_assert_str_eq(rec->w[0].resource, "items[0]");
	ck_assert_str_eq(rec->w[0].cpath[0], "items[0].spec.containers[a]");
	ck_assert(rec->w[0].root_is_doc);
	assert_workload(&rec->w[1], "apps/v1", "Deployment", "third",
		"items[2].spec.template.metadata", "items[2].spec.template.spec");
	ck_assert_str_eq(rec->w[1].resource, "items[2]");
	ck_assert_str_eq(rec->w[1].cpath[0], "items[2].spec.template.spec.containers[b]");
	ck_assert_uint_eq(rec->ns, 1);
	ck_assert_str_eq(rec->s[0].kind, "Service");
	ck_assert_str_eq(rec->s[0].reason, "no pod spec");
	ck_assert_uint_eq(res.stats.workloads, 2);
	ck_assert_uint_eq(res.stats.documents, 1);
}
END_TEST

START_TEST(typed_and_nested_lists)
{
	load(
		"apiVersion: apps/v1\n"
		"kind: DeploymentList\n"
		"items:\n"
		"- apiVersion: v1\n"
		"  kind: List\n"
		"  items:\n"
		"  - apiVersion: v1\n"
		"    kind: Pod\n"
		"    metadata: {name: deep}\n"
		"    spec: {containers: [{name: c}]}\n"
		"- apiVersion: apps/v1\n"
		"  kind: Deployment\n"
		"  metadata: {name: flat}\n"
		"  spec: {template: {spec: {containers: [{name: d}]}}}\n"
		"---\n"
		"apiVersion: v1\n"
		"kind: PodList\n"
		"items: []\n");
	ck_assert_msg(res.ok, "%s", res.diag);
	ck_assert_uint_eq(rec->docs, 2);
	ck_assert_uint_eq(rec->nw, 2);
	assert_workload(&rec->w[0], "v1", "Pod", "deep", "items[0].items[0].metadata",
		"items[0].items[0].spec");
	ck_assert_str_eq(rec->w[0].resource, "items[0].items[0]");
	ck_assert_str_eq(rec->w[0].cpath[0], "items[0].items[0].spec.containers[c]");
	assert_workload(&rec->w[1], "apps/v1", "Deployment", "flat",
		"items[1].spec.template.metadata", "items[1].spec.template.spec");
	ck_assert_uint_eq(rec->ns, 0);
}
END_TEST

START_TEST(json_list)
{
	load(
		"{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [\n"
		"  {\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"j\"},\n"
		"   \"spec\": {\"containers\": [{\"name\": \"x\", \"image\": \"y\"}]}},\n"
		"  {\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"k\"},"
		" \"spec\": {\"securityContext\": {\"runAsNonRoot\": true}, \"containers\": []}}\n"
		"]}\n");
	ck_assert_msg(res.ok, "%s", res.diag);
	ck_assert_uint_eq(rec->nw, 2);
	assert_workload(&rec->w[0], "v1", "Pod", "j", "items[0].metadata", "items[0].spec");
	ck_assert_str_eq(rec->w[0].cpath[0], "items[0].spec.containers[x]");
	assert_workload(&rec->w[1], "v1", "Pod", "k", "items[1].metadata", "items[1].spec");
	ck_assert(rec->w[1].pod_non_root);
}
END_TEST

START_TEST(list_items_share_an_anchor)
{
	/* Valid YAML: the second Pod reuses the first one's securityContext. */
	load(
		"apiVersion: v1\n"
		"kind: List\n"
		"items:\n"
		"- apiVersion: v1\n"
		"  kind: Pod\n"
		"  metadata: {name: a}\n"
		"  spec:\n"
		"    securityContext: &sc\n"
		"      runAsNonRoot: true\n"
		"    containers: [{name: a}]\n"
		"- apiVersion: v1\n"
		"  kind: Pod\n"
		"  metadata: {name: b}\n"
		"  spec:\n"
		"    securityContext: *sc\n"
		"    containers: [{name: b}]\n");
	ck_assert_str_eq(res.diag, "");
	ck_assert(res.ok);
	ck_assert_uint_eq(rec->nw, 2);
	ck_assert(rec->w[0].pod_non_root);
	ck_assert(rec->w[1].pod_non_root);
}
END_TEST

START_TEST(anchor_outside_the_resource)
{
	/* An anchor under a key the schema ignores, used inside the pod spec. */
	load(
		"apiVersion: v1\n"
		"kind: List\n"
		"defaults:\n"
		"  sc: &sc {runAsNonRoot: true}\n"
		"items:\n"
		"- apiVersion: v1\n"
		"  kind: Pod\n"
		"  spec:\n"
		"    securityContext: *sc\n"
		"    containers: [{name: a}]\n");
	ck_assert_str_eq(res.diag, "");
	ck_assert(res.ok);
	ck_assert_uint_eq(rec->nw, 1);
	ck_assert(rec->w[0].pod_non_root);
}
END_TEST

START_TEST(alias_within_the_resource)
{
	const struct rec_workload *w = one(
		"apiVersion: v1\n"
		"kind: Pod\n"
		"spec:\n"
		"  securityContext: &sc\n"
		"    runAsNonRoot: true\n"
		"  containers:\n"
		"  - name: a\n"
		"    securityContext: *sc\n");
	ck_assert(w->pod_non_root);
}
END_TEST

/* ---- skipped resources --------------------------------------------------- */

START_TEST(skipped_resources)
{
	load(
		"apiVersion: v1\n"
		"kind: Service\n"
		"metadata: {name: svc}\n"
		"---\n"
		"apiVersion: v1\n"
		"metadata: {name: no-kind}\n"
		"---\n"
		"kind: Pod\n"
		"spec: {containers: []}\n"
		"---\n"
		"just a string\n"
		"---\n"
		"- a\n"
		"- b\n"
		"---\n"
		"apiVersion: apps/v1\n"
		"kind: Deployment\n"
		"metadata: {name: d}\n"
		"spec:\n"
		"  replicas: 2\n"
		"---\n"
		"apiVersion: apps/v1\n"
		"kind: Deployment\n"
		"spec:\n"
		"  template:\n"
		"    metadata: {labels: {a: b}}\n"
		"---\n"
		"apiVersion: ''\n"
		"kind: Pod\n");
	ck_assert(res.ok);
	ck_assert_str_eq(res.diag, "");
	ck_assert_uint_eq(rec->docs, 8);
	ck_assert_uint_eq(rec->nw, 0);
	ck_assert_uint_eq(rec->ns, 8);
	static const char *const want[][2] = {
		{ "Service", "no pod spec" },
		{ "-", "no apiVersion or kind" },
		{ "Pod", "no apiVersion or kind" },
		{ "-", "not a Kubernetes resource" },
		{ "-", "not a Kubernetes resource" },
		{ "Deployment", "no pod template" },
		{ "Deployment", "no pod template" },
		{ "Pod", "no apiVersion or kind" },
	};
	for (unsigned i = 0; i < 8; i++) {
		ck_assert_str_eq(rec->s[i].kind, want[i][0]);
		ck_assert_str_eq(rec->s[i].reason, want[i][1]);
		ck_assert_uint_eq(rec->s[i].doc, i);
		ck_assert_uint_eq(rec->doc_index[i], i);
	}
	ck_assert_uint_eq(res.stats.files, 1);
	ck_assert_uint_eq(res.stats.documents, 8);
	ck_assert_uint_eq(res.stats.workloads, 0);
	ck_assert_uint_eq(res.stats.input_errors, 0);
	ck_assert_uint_eq(res.stats.skipped_files, 0);
}
END_TEST

/* ---- whole-file checks --------------------------------------------------- */

START_TEST(helm_template_is_skipped)
{
	load(
		"apiVersion: apps/v1\n"
		"kind: Deployment\n"
		"metadata:\n"
		"  name: {{ .Release.Name }}-web\n"
		"spec:\n"
		"  template:\n"
		"    spec:\n"
		"      containers: []\n");
	ck_assert(res.ok);
	ck_assert_str_eq(res.diag,
		"test.yaml:4:9: warning: template syntax '{{ }}': this is not a rendered "
		"manifest, so it was skipped (check the output of `helm template` instead)\n");
	ck_assert_uint_eq(rec->docs, 0);
	ck_assert_uint_eq(res.stats.files, 1);
	ck_assert_uint_eq(res.stats.skipped_files, 1);
	ck_assert_uint_eq(res.stats.documents, 0);
	ck_assert_uint_eq(res.stats.workloads, 0);
	ck_assert_uint_eq(res.stats.input_errors, 0);
}
END_TEST

START_TEST(helm_braces_on_separate_lines_are_not_a_template)
{
	const struct rec_workload *w = one(
		"apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  annotations:\n"
		"    a: \"{{\"\n"
		"    b: \"}}\"\n"
		"spec:\n"
		"  containers: []\n");
	ck_assert_str_eq(w->kind, "Pod");
	ck_assert_uint_eq(res.stats.skipped_files, 0);
}
END_TEST

START_TEST(helm_template_position_after_multibyte)
{
	load("a: 1\nb: [\xC3\xA9t\xC3\xA9, {{ .Values.x }}]\n");
	ck_assert_str_eq(res.diag,
		"test.yaml:2:10: warning: template syntax '{{ }}': this is not a rendered "
		"manifest, so it was skipped (check the output of `helm template` instead)\n");
}
END_TEST

/* Template syntax that parses as YAML, `{{ x }}` as a flow mapping keyed by
 * a flow mapping, is where Kubernetes needs values: a template. */
START_TEST(helm_template_that_parses_is_skipped)
{
	load("apiVersion: apps/v1\n"
		"kind: Deployment\n"
		"spec:\n"
		"  replicas: {{ .Values.replicaCount }}\n"
		"  template: {spec: {hostPID: true, containers: []}}\n");
	ck_assert_str_eq(res.diag,
		"test.yaml:4:13: warning: template syntax '{{ }}': this is not a rendered "
		"manifest, so it was skipped (check the output of `helm template` instead)\n");
	ck_assert_uint_eq(res.stats.skipped_files, 1);
	ck_assert_uint_eq(rec->docs, 0);
}
END_TEST

/* A file that parses is checked, whatever its strings hold: the raw-text
 * scanner took escaped quotes, wrapped scalars and JSON strings for
 * template syntax, and the pod went unchecked. */
START_TEST(helm_braces_in_parsed_strings_are_checked)
{
	static const char *const files[] = {
		"apiVersion: v1\nkind: Pod\nspec:\n  hostPID: true\n"
		"  containers: [{name: a, args: [\"echo \\\"{{ x }}\\\"\"]}]\n",
		"apiVersion: v1\nkind: Pod\nspec:\n  hostPID: true\n"
		"  containers: [{name: a, args: [\"a long\n    {{ wrapped }} string\"]}]\n",
		"apiVersion: v1\nkind: Pod\nspec:\n  hostPID: true\n"
		"  containers:\n  - name: a\n    args:\n    - a plain scalar that\n"
		"      {{ wraps }} here\n",
		"{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"spec\": {\"hostPID\": true,\n"
		" \"containers\": [{\"name\": \"a\", \"args\": [\"say \\\"{{hi}}\\\"\"]}]}}\n",
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++) {
		memset(rec, 0, sizeof(*rec));
		load(files[i]);
		ck_assert_msg(strcmp(res.diag, "") == 0, "file %zu: %s", i, res.diag);
		ck_assert_uint_eq(res.stats.skipped_files, 0);
		ck_assert_uint_eq(rec->nw, 1);
	}
}
END_TEST

/* A file that does not parse is not a template without `{{ }}` outside
 * its quotes: it gets its syntax error. */
START_TEST(helm_braces_in_broken_file_quoted)
{
	load("a: \"{{ x }}\"\nb: [\n");
	ck_assert_uint_eq(res.stats.skipped_files, 0);
	ck_assert_uint_eq(res.stats.input_errors, 1);
}
END_TEST

START_TEST(utf16_is_refused)
{
	load("\xFF\xFE" "a");
	ck_assert(!res.ok);
	ck_assert_str_eq(res.diag,
		"test.yaml:1:1: error: UTF-16 text is not supported; save the file as UTF-8\n");
	ck_assert_uint_eq(res.stats.input_errors, 1);
	ck_assert_uint_eq(res.stats.files, 1);
	ck_assert_uint_eq(res.stats.documents, 0);
	ck_assert_uint_eq(rec->docs, 0);
	memset(rec, 0, sizeof(*rec));
	load("\xFE\xFF" "a");
	ck_assert(!res.ok);
	ck_assert_str_eq(res.diag,
		"test.yaml:1:1: error: UTF-16 text is not supported; save the file as UTF-8\n");
}
END_TEST

START_TEST(utf8_bom_and_crlf_load)
{
	load(
		"\xEF\xBB\xBF" "apiVersion: v1\r\n"
		"kind: Pod\r\n"
		"metadata:\r\n"
		"  name: bom\r\n"
		"spec:\r\n"
		"  securityContext:\r\n"
		"    runAsUser: x\r\n");
	ck_assert(!res.ok);
	ck_assert_str_eq(res.diag, "test.yaml:7:16: error: invalid Pod: "
		"spec.securityContext.runAsUser: expected an integer, got string 'x'\n");
	memset(rec, 0, sizeof(*rec));
	const struct rec_workload *w = one(
		"\xEF\xBB\xBF" "apiVersion: v1\r\n"
		"kind: Pod\r\n"
		"metadata:\r\n"
		"  name: bom\r\n"
		"spec:\r\n"
		"  securityContext:\r\n"
		"    runAsNonRoot: true\r\n"
		"  containers:\r\n"
		"  - name: c\r\n");
	ck_assert_str_eq(w->name, "bom");
	ck_assert(w->pod_non_root);
	ck_assert_str_eq(w->cpath[0], "spec.containers[c]");
}
END_TEST

/* ---- errors -------------------------------------------------------------- */

START_TEST(errors_are_located_and_later_documents_load)
{
	load(
		"apiVersion: v1\n"                   /* 1  doc 0: syntax error */
		"kind: Pod\n"                        /* 2 */
		"metadata: {name: [x}\n"             /* 3 */
		"---\n"                              /* 4  doc 1: wrong type */
		"apiVersion: v1\n"                   /* 5 */
		"kind: Pod\n"                        /* 6 */
		"spec:\n"                            /* 7 */
		"  containers:\n"                    /* 8 */
		"  - name: app\n"                    /* 9 */
		"    securityContext:\n"             /* 10 */
		"      privileged: \"no\"\n"         /* 11 */
		"---\n"                              /* 12 doc 2: duplicate key */
		"apiVersion: v1\n"                   /* 13 */
		"kind: Pod\n"                        /* 14 */
		"kind: Pod\n"                        /* 15 */
		"---\n"                              /* 16 doc 3: fine */
		"apiVersion: v1\n"                   /* 17 */
		"kind: Pod\n"                        /* 18 */
		"metadata: {name: good}\n"           /* 19 */
		"spec: {containers: [{name: c}]}\n"  /* 20 */
		"---\n"                              /* 21 doc 4: unknown alias */
		"apiVersion: v1\n"                   /* 22 */
		"kind: Pod\n"                        /* 23 */
		"spec: *nowhere\n");                 /* 24 */
	ck_assert(!res.ok);
	ck_assert_str_eq(res.diag,
		"test.yaml:3:20: error: invalid YAML: did not find expected ',' or ']' "
		"(while parsing a flow sequence at line 3, column 18)\n"
		"test.yaml:11:19: error: invalid Pod: spec.containers[app].securityContext."
		"privileged: expected a boolean, got the string \"no\" (remove the quotes)\n"
		"test.yaml:15:1: error: duplicate key 'kind' (first defined at line 14, column 1)\n"
		"test.yaml:24:7: error: alias '*nowhere' refers to no anchor\n");
	ck_assert_uint_eq(rec->nw, 1);
	ck_assert_str_eq(rec->w[0].name, "good");
	ck_assert_uint_eq(rec->w[0].doc_index, 3);
	/* Documents 1 (bad type) and 3 reach the callback; 0, 2 and 4 do not. */
	ck_assert_uint_eq(rec->docs, 2);
	ck_assert_uint_eq(rec->doc_index[0], 1);
	ck_assert_uint_eq(rec->doc_index[1], 3);
	ck_assert_uint_eq(res.stats.input_errors, 4);
	/* The syntax error leaves no document behind; the others count. */
	ck_assert_uint_eq(res.stats.documents, 5);
	ck_assert_uint_eq(res.stats.workloads, 1);
}
END_TEST

START_TEST(error_inside_a_list_item)
{
	load(
		"apiVersion: v1\n"
		"kind: List\n"
		"items:\n"
		"- apiVersion: v1\n"
		"  kind: Pod\n"
		"  spec: {containers: [{name: ok}]}\n"
		"- apiVersion: apps/v1\n"
		"  kind: Deployment\n"
		"  spec:\n"
		"    template:\n"
		"      spec:\n"
		"        hostPID: 1\n");
	ck_assert(!res.ok);
	ck_assert_str_eq(res.diag, "test.yaml:12:18: error: invalid Deployment: "
		"items[1].spec.template.spec.hostPID: expected a boolean (true or false), "
		"got integer '1'\n");
	/* The good item is still checked. */
	ck_assert_uint_eq(rec->nw, 1);
	ck_assert_str_eq(rec->w[0].resource, "items[0]");
}
END_TEST

/* Kubernetes' decoder honours "<<": the merged fields are loaded (they
 * were left out, with a warning, when merge keys were not resolved). */
START_TEST(merge_key_fields_are_loaded)
{
	load(
		"apiVersion: v1\n"
		"kind: Pod\n"
		"x-base: &b {runAsNonRoot: true}\n"
		"spec:\n"
		"  securityContext:\n"
		"    <<: *b\n"
		"  containers: []\n");
	ck_assert_str_eq(res.diag, "");
	ck_assert(res.ok);
	ck_assert_uint_eq(rec->nw, 1);
	ck_assert(rec->w[0].pod_non_root);
}
END_TEST

START_TEST(merge_key_bad_value_is_an_error)
{
	load(
		"apiVersion: v1\n"
		"kind: Pod\n"
		"spec:\n"
		"  <<: [hostPID]\n"
		"  containers: []\n");
	ck_assert_str_eq(res.diag, "test.yaml:4:8: error: merge key '<<' needs a "
		"mapping or a list of mappings as its value\n");
	ck_assert(!res.ok);
	ck_assert_uint_eq(rec->nw, 0);
}
END_TEST

START_TEST(document_indexes_skip_empty_documents)
{
	load(
		"---\n"
		"# nothing\n"
		"---\n"
		"apiVersion: v1\n"
		"kind: Pod\n"
		"metadata: {name: a}\n"
		"spec: {containers: []}\n"
		"---\n"
		"---\n"
		"apiVersion: v1\n"
		"kind: Pod\n"
		"metadata: {name: b}\n"
		"spec: {containers: []}\n");
	ck_assert(res.ok);
	ck_assert_uint_eq(rec->nw, 2);
	ck_assert_uint_eq(rec->w[0].doc_index, 0);
	ck_assert_uint_eq(rec->w[1].doc_index, 1);
	ck_assert_uint_eq(res.stats.documents, 2);
}
END_TEST

/* ---- stats and files ----------------------------------------------------- */

START_TEST(stats_accumulate)
{
	FILE *e = open_memstream(&res.diag, &res.diag_len);
	struct kc_diag d;
	kc_diag_init(&d, e, false);
	struct kc_load_stats st = { 0 };
	const char *a = "apiVersion: v1\nkind: Pod\nspec: {containers: []}\n---\n"
		"apiVersion: v1\nkind: Service\n";
	const char *b = "x: {{ y }}\n";
	const char *c = "a: [\n";
	ck_assert(kc_loader_load_buffer("a.yaml", a, strlen(a), NULL, &d, record, rec, &st));
	ck_assert(kc_loader_load_buffer("b.yaml", b, strlen(b), NULL, &d, record, rec, &st));
	ck_assert(!kc_loader_load_buffer("c.yaml", c, strlen(c), NULL, &d, record, rec, &st));
	ck_assert(kc_loader_load_buffer("d.yaml", "", 0, NULL, &d, record, rec, &st));
	fclose(e);
	ck_assert_uint_eq(st.files, 4);
	ck_assert_uint_eq(st.documents, 3);
	ck_assert_uint_eq(st.workloads, 1);
	ck_assert_uint_eq(st.skipped_files, 1);
	ck_assert_uint_eq(st.input_errors, 1);
	ck_assert_uint_eq(d.count[KC_DIAG_ERROR], 1);
	ck_assert_uint_eq(d.count[KC_DIAG_WARNING], 1);
	ck_assert_str_eq(rec->file, "a.yaml");
}
END_TEST

START_TEST(load_file_errors)
{
	FILE *e = open_memstream(&res.diag, &res.diag_len);
	struct kc_diag d;
	kc_diag_init(&d, e, false);
	struct kc_load_stats st = { 0 };
	ck_assert(!kc_loader_load_file("/nonexistent/k8scheck-test.yaml", "missing.yaml",
		NULL, NULL, &d, record, rec, &st));
	ck_assert(!kc_loader_load_file("/", "dir", NULL, NULL, &d, record, rec, &st));
	char text[] = "apiVersion: v1\nkind: Pod\nspec: {containers: []}\n";
	FILE *in = fmemopen(text, strlen(text), "r");
	struct kc_limits lim = kc_limits_default;
	lim.max_file_bytes = 10;
	ck_assert(!kc_loader_load_file(NULL, "<stdin>", in, &lim, &d, record, rec, &st));
	fclose(in);
	in = fmemopen(text, strlen(text), "r");
	ck_assert(kc_loader_load_file(NULL, "<stdin>", in, NULL, &d, record, rec, &st));
	fclose(in);
	fclose(e);
	ck_assert_str_eq(res.diag,
		"missing.yaml:1:1: error: cannot read: No such file or directory\n"
		"dir:1:1: error: cannot read: Is a directory\n"
		"<stdin>:1:1: error: file is larger than the limit of 10 bytes "
		"(see --max-file-size)\n");
	ck_assert_uint_eq(st.input_errors, 3);
	ck_assert_uint_eq(st.workloads, 1);
	ck_assert_uint_eq(rec->nw, 1);
	ck_assert_str_eq(rec->file, "<stdin>");
}
END_TEST

static void add(Suite *s, const char *name, const TTest *t)
{
	TCase *tc = tcase_create(name);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, t);
	suite_add_tcase(s, tc);
}

START_TEST(helm_syntax_as_data_is_not_a_template)
{
	/* Rendered manifests carry template text as data: in a comment, in
	 * quotes, in a block scalar (a Vault agent template). */
	load("apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  name: vault-agent\n"
		"  # rendered from {{ .Values.name }}\n"
		"  annotations:\n"
		"    example.com/summary: \"{{ $labels.instance }} down\"\n"
		"    vault.hashicorp.com/agent-inject-template-db: |\n"
		"      {{- with secret \"db/creds\" -}}\n"
		"      {{ .Data.username }}\n"
		"      {{- end }}\n"
		"spec:\n"
		"  containers: []\n");
	ck_assert_uint_eq(res.stats.skipped_files, 0);
	ck_assert_uint_eq(res.stats.workloads, 1);
	ck_assert_str_eq(res.diag, "");
}
END_TEST

START_TEST(helm_structural_template_after_block_scalar)
{
	load("data:\n"
		"  script: |\n"
		"    echo {{ x }}\n"
		"metadata:\n"
		"  name: {{ .Release.Name }}\n");
	ck_assert_uint_eq(res.stats.skipped_files, 1);
	ck_assert_str_eq(res.diag,
		"test.yaml:5:9: warning: template syntax '{{ }}': this is not a rendered "
		"manifest, so it was skipped (check the output of `helm template` instead)\n");
}
END_TEST

static Suite *loader_suite(void)
{
	Suite *s = suite_create("loader");
	add(s, "kind_pod", kind_pod);
	add(s, "kind_template_controllers", kind_template_controllers);
	add(s, "kind_cronjob", kind_cronjob);
	add(s, "kind_pod_template", kind_pod_template);
	add(s, "kind_argo_rollout", kind_argo_rollout);
	add(s, "kind_unknown_job_template", kind_unknown_with_job_template);
	add(s, "kind_unknown_needs_containers", kind_unknown_needs_containers_list);
	add(s, "container_order", container_order_and_paths);
	add(s, "no_containers", no_containers);
	add(s, "list", list_unwrapping);
	add(s, "typed_and_nested_lists", typed_and_nested_lists);
	add(s, "json_list", json_list);
	add(s, "list_shared_anchor", list_items_share_an_anchor);
	add(s, "anchor_outside_resource", anchor_outside_the_resource);
	add(s, "alias_within_resource", alias_within_the_resource);
	add(s, "skipped", skipped_resources);
	add(s, "helm", helm_template_is_skipped);
	add(s, "helm_separate_lines", helm_braces_on_separate_lines_are_not_a_template);
	add(s, "helm_multibyte", helm_template_position_after_multibyte);
	add(s, "helm_parses", helm_template_that_parses_is_skipped);
	add(s, "helm_strings", helm_braces_in_parsed_strings_are_checked);
	add(s, "helm_broken_quoted", helm_braces_in_broken_file_quoted);
	add(s, "helm_data", helm_syntax_as_data_is_not_a_template);
	add(s, "helm_after_block", helm_structural_template_after_block_scalar);
	add(s, "utf16", utf16_is_refused);
	add(s, "bom_crlf", utf8_bom_and_crlf_load);
	add(s, "errors", errors_are_located_and_later_documents_load);
	add(s, "error_in_list_item", error_inside_a_list_item);
	add(s, "merge_key", merge_key_fields_are_loaded);
	add(s, "merge_key_bad_value", merge_key_bad_value_is_an_error);
	add(s, "document_indexes", document_indexes_skip_empty_documents);
	add(s, "stats", stats_accumulate);
	add(s, "load_file", load_file_errors);
	return s;
}

int main(void)
{
	return t_run(loader_suite());
}
