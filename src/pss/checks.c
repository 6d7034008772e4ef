/*
 * The nineteen Pod Security Admission checks. Each one mirrors the PSA code
 * (policy/check_*.go) in what it reads and in its message text; a check's
 * versioned variants are branches on the policy minor version.
 *
 * Every check gathers the controller's aggregate data (names in visiting
 * order, values as sorted sets) to build the detail, and records one
 * violation per offending field whose text is the same message built from
 * that field alone.
 */
#include <stdint.h>
#include <string.h>

#include "internal.h"

struct run {
	const struct kc_workload *w;
	struct kc_arena *a;
	unsigned minor;
	struct kc_pss_result *out;
	unsigned cap;
};

static void add(struct run *r, const char *reason, const char *detail,
	struct kc_path path, const char *container, bool missing)
{
	struct kc_pss_result *o = r->out;
	if (o->count == r->cap) {
		unsigned cap = r->cap ? r->cap * 2 : 4;
		struct kc_pss_violation *v = kc_arena_alloc(r->a, cap * sizeof(*v));
		if (o->count > 0) {
			memcpy(v, o->violations, o->count * sizeof(*v));
		}
		o->violations = v;
		r->cap = cap;
	}
	o->violations[o->count++] = (struct kc_pss_violation){
		.path = path,
		.container = container,
		.missing = missing,
		.text = kc_pss_text_full(r->a, reason, detail),
	};
}

static void deny(struct run *r, const char *reason, const char *detail)
{
	r->out->allowed = false;
	r->out->reason = reason;
	r->out->detail = detail;
}

/* ---- small helpers --------------------------------------------------------- */

/*
 * A string field as the manifest wrote it, or NULL if unset. The model
 * already keeps '' and quoted null-like strings ('null', "~"); when it has
 * nothing the document node decides: any scalar that is not a YAML null is
 * a string, possibly empty.
 */
static const char *field(const struct kc_workload *w, const char *v, struct kc_path path)
{
	if (v != NULL) {
		return v;
	}
	const struct kc_node *n = kc_doc_get(w, &path);
	if (n != NULL && n->type == KC_NODE_SCALAR && !kc_node_is_null(n)) {
		return n->value;
	}
	return NULL;
}

static const char *str(const char *s)
{
	return s ? s : "";
}

/* A container's name; "" when it has none, as in Go. */
static const char *cname(const struct kc_workload *w, const struct kc_container_ref *ref)
{
	return str(field(w, ref->c->name, kc_path_join(&ref->path, "name")));
}

static const struct kc_security_context *csc(const struct kc_container_ref *ref)
{
	return ref->c->security_context;
}

static const struct kc_pod_security_context *psc(const struct kc_workload *w)
{
	return w->spec->security_context;
}

/* A one-item list backed by *slot. */
static struct kc_pss_strv one(const char **slot, const char *x)
{
	*slot = x;
	return (struct kc_pss_strv){ .v = slot, .n = 1, .cap = 1 };
}

static bool is_windows(const struct kc_workload *w)
{
	const struct kc_pod_os *os = w->spec->os;
	const char *name = os ? field(w, os->name, kc_path_join(&w->pod_spec_path, "os.name")) : NULL;
	return name != NULL && strcmp(name, "windows") == 0;
}

static bool host_users_false(const struct kc_workload *w)
{
	return w->spec->host_users != NULL && !*w->spec->host_users;
}

static bool in(const char *const *list, const char *s)
{
	for (; *list != NULL; list++) {
		if (strcmp(*list, s) == 0) {
			return true;
		}
	}
	return false;
}

/* `container "a"` / `containers "a", "b"` */
static const char *containers_part(struct kc_arena *a, const struct kc_pss_strv *names)
{
	return kc_arena_printf(a, "%s %s",
		kc_pss_text_pl("container", "containers", names->n),
		kc_pss_text_quote_list(a, names));
}

/* The setters: `pod`, then the containers part, joined with " and ". */
static const char *setters(struct kc_arena *a, bool pod, const struct kc_pss_strv *names)
{
	if (names == NULL || names->n == 0) {
		return pod ? "pod" : "";
	}
	const char *c = containers_part(a, names);
	return pod ? kc_arena_printf(a, "pod and %s", c) : c;
}

static struct kc_path index_path(const struct kc_path *base, const char *key, size_t i)
{
	struct kc_path p = kc_path_join(base, key);
	kc_path_index(&p, i);
	return p;
}

/* base + one key given by a node (a map key that is not a literal). */
static struct kc_path node_key_path(const struct kc_path *base, const struct kc_node *k)
{
	struct kc_path p = *base;
	if (p.len < KC_PATH_MAX) {
		p.seg[p.len++] = (struct kc_seg){ .key = k->value, .key_len = k->len };
	}
	return p;
}

/* The value of an annotation as Go reads it: null is "", other non-scalars
 * are skipped (the API server would reject them). */
static bool annotation_value(const struct kc_node *v, const char **s, size_t *n)
{
	if (v == NULL || v->type != KC_NODE_SCALAR) {
		return false;
	}
	if (kc_node_is_null(v)) {
		*s = "";
		*n = 0;
	} else {
		*s = v->value;
		*n = v->len;
	}
	return true;
}

static bool has_prefix(const char *s, size_t n, const char *prefix)
{
	size_t pn = strlen(prefix);
	return n >= pn && memcmp(s, prefix, pn) == 0;
}

static bool equals(const char *s, size_t n, const char *lit)
{
	return n == strlen(lit) && memcmp(s, lit, n) == 0;
}

/* `key="value"` with the value in Go's %q. */
static const char *annotation_entry(struct kc_arena *a, const struct kc_node *k,
	const char *v, size_t n)
{
	struct kc_pss_sb b;
	kc_pss_sb_init(&b, a);
	kc_pss_sb_addn(&b, k->value, k->len);
	kc_pss_sb_add(&b, "=");
	kc_pss_sb_add(&b, kc_pss_text_go_quote(a, v, n));
	return b.p;
}

/* ---- appArmorProfile ------------------------------------------------------- */

#define APPARMOR_PREFIX "container.apparmor.security.beta.kubernetes.io/"

static bool apparmor_type_ok(const char *t)
{
	return strcmp(t, "RuntimeDefault") == 0 || strcmp(t, "Localhost") == 0;
}

static bool apparmor_annotation_ok(const char *v, size_t n)
{
	return n == 0 || equals(v, n, "runtime/default") || has_prefix(v, n, "localhost/");
}

/* types: sorted distinct; annotations: sorted entries. */
static void apparmor_message(struct kc_arena *a, bool pod, const struct kc_pss_strv *names,
	const struct kc_pss_strv *types, const struct kc_pss_strv *annotations,
	const char **reason, const char **detail)
{
	struct kc_pss_strv parts = { 0 };
	struct kc_pss_strv values = { 0 };
	if (pod) {
		kc_pss_strv_push(a, &parts, "pod");
	}
	if (names->n > 0) {
		kc_pss_strv_push(a, &parts, containers_part(a, names));
	}
	for (unsigned i = 0; i < types->n; i++) {
		kc_pss_strv_push(a, &values, types->v[i]);
	}
	if (annotations->n > 0) {
		for (unsigned i = 0; i < annotations->n; i++) {
			kc_pss_strv_push(a, &values, annotations->v[i]);
		}
		kc_pss_strv_push(a, &parts,
			kc_pss_text_pl("annotation", "annotations", annotations->n));
	}
	*reason = kc_pss_text_pl("forbidden AppArmor profile", "forbidden AppArmor profiles",
		values.n);
	*detail = kc_arena_printf(a, "%s must not set AppArmor profile type to %s",
		kc_pss_text_join(a, &parts, " and "), kc_pss_text_quote_list(a, &values));
}

static void check_apparmor(struct run *r)
{
	const struct kc_workload *w = r->w;
	struct kc_arena *a = r->a;
	struct kc_pss_strv none = { 0 }, names = { 0 }, types = { 0 }, annotations = { 0 };
	const char *slot, *reason, *detail;
	bool pod = false;

	const char *t = psc(w) && psc(w)->app_armor_profile ? str(field(w,
		psc(w)->app_armor_profile->type, kc_pod_sc_path(w, "appArmorProfile.type"))) : NULL;
	if (t != NULL && !apparmor_type_ok(t)) {
		pod = true;
		kc_pss_strv_push(a, &types, t);
		struct kc_pss_strv v = one(&slot, t);
		apparmor_message(a, true, &none, &v, &none, &reason, &detail);
		add(r, reason, detail, kc_pod_sc_path(w, "appArmorProfile.type"), NULL, false);
	}
	for (unsigned i = 0; i < w->container_count; i++) {
		const struct kc_container_ref *ref = &w->containers[i];
		if (!csc(ref) || !csc(ref)->app_armor_profile) {
			continue;
		}
		t = str(field(w, csc(ref)->app_armor_profile->type,
			kc_container_sc_path(ref, "appArmorProfile.type")));
		if (apparmor_type_ok(t)) {
			continue;
		}
		kc_pss_strv_push(a, &names, cname(w, ref));
		kc_pss_strv_push(a, &types, t);
		const char *nslot;
		struct kc_pss_strv n1 = one(&nslot, cname(w, ref));
		struct kc_pss_strv v = one(&slot, t);
		apparmor_message(a, false, &n1, &v, &none, &reason, &detail);
		add(r, reason, detail, kc_container_sc_path(ref, "appArmorProfile.type"),
			cname(w, ref), false);
	}
	const struct kc_node *map = kc_workload_annotations(w);
	struct kc_path base = kc_path_join(&w->pod_meta_path, "annotations");
	for (size_t i = 0; map != NULL && i < map->count; i++) {
		const struct kc_node *k = map->items[2 * i];
		const char *v;
		size_t n;
		if (k->type != KC_NODE_SCALAR || !has_prefix(k->value, k->len, APPARMOR_PREFIX) ||
			!annotation_value(map->items[2 * i + 1], &v, &n) ||
			apparmor_annotation_ok(v, n)) {
			continue;
		}
		const char *e = annotation_entry(a, k, v, n);
		kc_pss_strv_push(a, &annotations, e);
		struct kc_pss_strv e1 = one(&slot, e);
		apparmor_message(a, false, &none, &none, &e1, &reason, &detail);
		add(r, reason, detail, node_key_path(&base, k), NULL, false);
	}
	if (r->out->count == 0) {
		return;
	}
	kc_pss_strv_sort_uniq(&types);
	kc_pss_strv_sort_uniq(&annotations);
	apparmor_message(a, pod, &names, &types, &annotations, &reason, &detail);
	deny(r, reason, detail);
}

/* ---- capabilities_baseline ------------------------------------------------- */

static const char *const caps_baseline_allowed[] = {
	"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
	"NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT", NULL,
};

static const char *caps_add_detail(struct kc_arena *a, const struct kc_pss_strv *names,
	const struct kc_pss_strv *caps)
{
	return kc_arena_printf(a, "%s must not include %s in securityContext.capabilities.add",
		containers_part(a, names), kc_pss_text_quote_list(a, caps));
}

static void check_capabilities_baseline(struct run *r)
{
	static const char reason[] = "non-default capabilities";
	const struct kc_workload *w = r->w;
	struct kc_arena *a = r->a;
	struct kc_pss_strv names = { 0 }, caps = { 0 };
	for (unsigned i = 0; i < w->container_count; i++) {
		const struct kc_container_ref *ref = &w->containers[i];
		if (!csc(ref) || !csc(ref)->capabilities) {
			continue;
		}
		const struct kc_capabilities *cp = csc(ref)->capabilities;
		bool bad = false;
		for (unsigned j = 0; j < cp->add_count; j++) {
			const char *cap = str(cp->add[j]);
			if (in(caps_baseline_allowed, cap)) {
				continue;
			}
			bad = true;
			kc_pss_strv_push(a, &caps, cap);
			const char *s1, *s2;
			struct kc_pss_strv n1 = one(&s1, cname(w, ref)), c1 = one(&s2, cap);
			struct kc_path p = kc_container_sc_path(ref, "capabilities.add");
			kc_path_index(&p, j);
			add(r, reason, caps_add_detail(a, &n1, &c1), p, cname(w, ref), false);
		}
		if (bad) {
			kc_pss_strv_push(a, &names, cname(w, ref));
		}
	}
	if (names.n > 0) {
		kc_pss_strv_sort_uniq(&caps);
		deny(r, reason, caps_add_detail(a, &names, &caps));
	}
}

/* ---- hostNamespaces -------------------------------------------------------- */

static void check_host_namespaces(struct run *r)
{
	static const char reason[] = "host namespaces";
	const struct kc_workload *w = r->w;
	struct kc_pss_strv bad = { 0 };
	const struct {
		const bool *v;
		const char *key;
		const char *text;
	} fields[] = {
		{ w->spec->host_network, "hostNetwork", "hostNetwork=true" },
		{ w->spec->host_pid, "hostPID", "hostPID=true" },
		{ w->spec->host_ipc, "hostIPC", "hostIPC=true" },
	};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (fields[i].v != NULL && *fields[i].v) {
			kc_pss_strv_push(r->a, &bad, fields[i].text);
			add(r, reason, fields[i].text, kc_path_join(&w->pod_spec_path, fields[i].key),
				NULL, false);
		}
	}
	if (bad.n > 0) {
		deny(r, reason, kc_pss_text_join(r->a, &bad, ", "));
	}
}

/* ---- hostPathVolumes ------------------------------------------------------- */

static const char *volumes_part(struct kc_arena *a, const struct kc_pss_strv *names)
{
	return kc_arena_printf(a, "%s %s", kc_pss_text_pl("volume", "volumes", names->n),
		kc_pss_text_quote_list(a, names));
}

static void check_host_path_volumes(struct run *r)
{
	static const char reason[] = "hostPath volumes";
	const struct kc_pod_spec *s = r->w->spec;
	struct kc_pss_strv names = { 0 };
	for (unsigned i = 0; i < s->volumes_count; i++) {
		if (s->volumes[i].host_path == NULL) {
			continue;
		}
		struct kc_path p = index_path(&r->w->pod_spec_path, "volumes", i);
		const char *name = str(field(r->w, s->volumes[i].name, kc_path_join(&p, "name")));
		kc_pss_strv_push(r->a, &names, name);
		const char *slot;
		struct kc_pss_strv n1 = one(&slot, name);
		add(r, reason, volumes_part(r->a, &n1), kc_path_join(&p, "hostPath"), NULL, false);
	}
	if (names.n > 0) {
		deny(r, reason, volumes_part(r->a, &names));
	}
}

/* ---- hostPorts ------------------------------------------------------------- */

static const char *host_ports_detail(struct kc_arena *a, const struct kc_pss_strv *names,
	const struct kc_pss_strv *ports)
{
	return kc_arena_printf(a, "%s %s %s %s", containers_part(a, names),
		kc_pss_text_pl("uses", "use", names->n),
		kc_pss_text_pl("hostPort", "hostPorts", ports->n),
		kc_pss_text_join(a, ports, ", "));
}

static void check_host_ports(struct run *r)
{
	static const char reason[] = "hostPort";
	const struct kc_workload *w = r->w;
	struct kc_arena *a = r->a;
	struct kc_pss_strv names = { 0 }, ports = { 0 };
	for (unsigned i = 0; i < w->container_count; i++) {
		const struct kc_container_ref *ref = &w->containers[i];
		bool bad = false;
		for (unsigned j = 0; j < ref->c->ports_count; j++) {
			const int32_t *hp = ref->c->ports[j].host_port;
			if (hp == NULL || *hp == 0) {
				continue;
			}
			bad = true;
			const char *port = kc_arena_printf(a, "%ld", (long)*hp);
			kc_pss_strv_push(a, &ports, port);
			const char *s1, *s2;
			struct kc_pss_strv n1 = one(&s1, cname(w, ref)), p1 = one(&s2, port);
			struct kc_path p = index_path(&ref->path, "ports", j);
			add(r, reason, host_ports_detail(a, &n1, &p1), kc_path_join(&p, "hostPort"),
				cname(w, ref), false);
		}
		if (bad) {
			kc_pss_strv_push(a, &names, cname(w, ref));
		}
	}
	if (names.n > 0) {
		/* The ports are a set of strings: "10000" sorts before "8080". */
		kc_pss_strv_sort_uniq(&ports);
		deny(r, reason, host_ports_detail(a, &names, &ports));
	}
}

/* ---- hostProbesAndHostLifecycle -------------------------------------------- */

static const char *probe_hosts_detail(struct kc_arena *a, const struct kc_pss_strv *names,
	const struct kc_pss_strv *hosts)
{
	return kc_arena_printf(a, "%s %s %s %s", containers_part(a, names),
		kc_pss_text_pl("uses", "use", names->n),
		kc_pss_text_pl("probe or lifecycle host", "probe or lifecycle hosts", hosts->n),
		kc_pss_text_quote_list(a, hosts));
}

static void check_host_probes(struct run *r)
{
	static const char reason[] = "probe or lifecycle host";
	static const char *const http_paths[] = {
		"livenessProbe.httpGet.host", "readinessProbe.httpGet.host",
		"startupProbe.httpGet.host", "lifecycle.postStart.httpGet.host",
		"lifecycle.preStop.httpGet.host",
	};
	static const char *const tcp_paths[] = {
		"livenessProbe.tcpSocket.host", "readinessProbe.tcpSocket.host",
		"startupProbe.tcpSocket.host", "lifecycle.postStart.tcpSocket.host",
		"lifecycle.preStop.tcpSocket.host",
	};
	const struct kc_workload *w = r->w;
	struct kc_arena *a = r->a;
	struct kc_pss_strv names = { 0 }, hosts = { 0 };
	for (unsigned i = 0; i < w->container_count; i++) {
		const struct kc_container_ref *ref = &w->containers[i];
		const struct kc_container *c = ref->c;
		const struct kc_handler *h[] = {
			c->liveness_probe, c->readiness_probe, c->startup_probe,
			c->lifecycle ? c->lifecycle->post_start : NULL,
			c->lifecycle ? c->lifecycle->pre_stop : NULL,
		};
		for (size_t j = 0; j < sizeof(h) / sizeof(h[0]); j++) {
			if (h[j] == NULL) {
				continue;
			}
			const char *dotted[2] = { http_paths[j], tcp_paths[j] };
			const char *host[2] = {
				h[j]->http_get ? field(w, h[j]->http_get->host,
					kc_path_join(&ref->path, dotted[0])) : NULL,
				h[j]->tcp_socket ? field(w, h[j]->tcp_socket->host,
					kc_path_join(&ref->path, dotted[1])) : NULL,
			};
			for (int k = 0; k < 2; k++) {
				if (host[k] == NULL || host[k][0] == '\0') {
					continue;
				}
				kc_pss_strv_push(a, &names, cname(w, ref));
				kc_pss_strv_push(a, &hosts, host[k]);
				const char *s1, *s2;
				struct kc_pss_strv n1 = one(&s1, cname(w, ref)), h1 = one(&s2, host[k]);
				add(r, reason, probe_hosts_detail(a, &n1, &h1),
					kc_path_join(&ref->path, dotted[k]), cname(w, ref), false);
			}
		}
	}
	if (names.n > 0) {
		/* Unlike every other check, the names are a sorted set here. */
		kc_pss_strv_sort_uniq(&names);
		kc_pss_strv_sort_uniq(&hosts);
		deny(r, reason, probe_hosts_detail(a, &names, &hosts));
	}
}

/* ---- privileged ------------------------------------------------------------ */

static const char *privileged_detail(struct kc_arena *a, const struct kc_pss_strv *names)
{
	return kc_arena_printf(a, "%s must not set securityContext.privileged=true",
		containers_part(a, names));
}

static void check_privileged(struct run *r)
{
	static const char reason[] = "privileged";
	const struct kc_workload *w = r->w;
	struct kc_pss_strv names = { 0 };
	for (unsigned i = 0; i < w->container_count; i++) {
		const struct kc_container_ref *ref = &w->containers[i];
		if (!csc(ref) || !csc(ref)->privileged || !*csc(ref)->privileged) {
			continue;
		}
		kc_pss_strv_push(r->a, &names, cname(w, ref));
		const char *slot;
		struct kc_pss_strv n1 = one(&slot, cname(w, ref));
		add(r, reason, privileged_detail(r->a, &n1),
			kc_container_sc_path(ref, "privileged"), cname(w, ref), false);
	}
	if (names.n > 0) {
		deny(r, reason, privileged_detail(r->a, &names));
	}
}

/* ---- procMount and procMount_restricted ------------------------------------ */

static const char *proc_mount_detail(struct kc_arena *a, const struct kc_pss_strv *names,
	const struct kc_pss_strv *values)
{
	return kc_arena_printf(a, "%s must not set securityContext.procMount to %s",
		containers_part(a, names), kc_pss_text_quote_list(a, values));
}

static void proc_mount_strict(struct run *r)
{
	static const char reason[] = "procMount";
	const struct kc_workload *w = r->w;
	struct kc_arena *a = r->a;
	struct kc_pss_strv names = { 0 }, values = { 0 };
	for (unsigned i = 0; i < w->container_count; i++) {
		const struct kc_container_ref *ref = &w->containers[i];
		const char *v = csc(ref) ? field(w, csc(ref)->proc_mount,
			kc_container_sc_path(ref, "procMount")) : NULL;
		if (v == NULL || strcmp(v, "Default") == 0) {
			continue;
		}
		kc_pss_strv_push(a, &names, cname(w, ref));
		kc_pss_strv_push(a, &values, v);
		const char *s1, *s2;
		struct kc_pss_strv n1 = one(&s1, cname(w, ref)), v1 = one(&s2, v);
		add(r, reason, proc_mount_detail(a, &n1, &v1),
			kc_container_sc_path(ref, "procMount"), cname(w, ref), false);
	}
	if (names.n > 0) {
		kc_pss_strv_sort_uniq(&values);
		deny(r, reason, proc_mount_detail(a, &names, &values));
	}
}

static void check_proc_mount(struct run *r)
{
	/* v1.35+: a pod in its own user namespace may unmask /proc. */
	if (r->minor >= 35 && host_users_false(r->w)) {
		return;
	}
	proc_mount_strict(r);
}

/* ---- seLinuxOptions -------------------------------------------------------- */

static const char *const selinux_types_1_0[] = {
	"", "container_t", "container_init_t", "container_kvm_t", NULL,
};
static const char *const selinux_types_1_31[] = {
	"", "container_t", "container_init_t", "container_kvm_t", "container_engine_t",
	NULL,
};

static const char *selinux_detail(struct kc_arena *a, const char *who,
	const struct kc_pss_strv *types, bool user, bool role)
{
	struct kc_pss_strv data = { 0 };
	if (types->n > 0) {
		kc_pss_strv_push(a, &data, kc_arena_printf(a, "%s %s",
			kc_pss_text_pl("type", "types", types->n),
			kc_pss_text_quote_list(a, types)));
	}
	if (user) {
		kc_pss_strv_push(a, &data, "user may not be set");
	}
	if (role) {
		kc_pss_strv_push(a, &data, "role may not be set");
	}
	return kc_arena_printf(a, "%s set forbidden securityContext.seLinuxOptions: %s",
		who, kc_pss_text_join(a, &data, "; "));
}

struct selinux_state {
	struct kc_pss_strv types;
	bool user;
	bool role;
};

/* Judge one setter's options; record a violation per bad field. */
static bool selinux_judge(struct run *r, struct selinux_state *st,
	const struct kc_selinux_options *o, const char *who, const char *container,
	struct kc_path (*path)(const void *, const char *), const void *owner)
{
	static const char reason[] = "seLinuxOptions";
	struct kc_arena *a = r->a;
	struct kc_pss_strv none = { 0 };
	const char *const *allowed = r->minor >= 31 ? selinux_types_1_31 : selinux_types_1_0;
	bool bad = false;
	const char *t = str(field(r->w, o->type, path(owner, "seLinuxOptions.type")));
	const char *user = field(r->w, o->user, path(owner, "seLinuxOptions.user"));
	const char *role = field(r->w, o->role, path(owner, "seLinuxOptions.role"));
	if (!in(allowed, t)) {
		bad = true;
		kc_pss_strv_push(a, &st->types, t);
		const char *slot;
		struct kc_pss_strv t1 = one(&slot, t);
		add(r, reason, selinux_detail(a, who, &t1, false, false),
			path(owner, "seLinuxOptions.type"), container, false);
	}
	if (user != NULL && user[0] != '\0') {
		bad = true;
		st->user = true;
		add(r, reason, selinux_detail(a, who, &none, true, false),
			path(owner, "seLinuxOptions.user"), container, false);
	}
	if (role != NULL && role[0] != '\0') {
		bad = true;
		st->role = true;
		add(r, reason, selinux_detail(a, who, &none, false, true),
			path(owner, "seLinuxOptions.role"), container, false);
	}
	return bad;
}

static struct kc_path pod_field(const void *w, const char *dotted)
{
	return kc_pod_sc_path(w, dotted);
}

static struct kc_path container_field(const void *ref, const char *dotted)
{
	return kc_container_sc_path(ref, dotted);
}

static void check_selinux(struct run *r)
{
	const struct kc_workload *w = r->w;
	struct kc_arena *a = r->a;
	struct selinux_state st = { 0 };
	struct kc_pss_strv names = { 0 };
	bool pod = false;
	if (psc(w) && psc(w)->se_linux_options) {
		pod = selinux_judge(r, &st, psc(w)->se_linux_options, "pod", NULL,
			pod_field, w);
	}
	for (unsigned i = 0; i < w->container_count; i++) {
		const struct kc_container_ref *ref = &w->containers[i];
		if (!csc(ref) || !csc(ref)->se_linux_options) {
			continue;
		}
		const char *slot;
		struct kc_pss_strv n1 = one(&slot, cname(w, ref));
		if (selinux_judge(r, &st, csc(ref)->se_linux_options,
			containers_part(a, &n1), cname(w, ref), container_field, ref)) {
			kc_pss_strv_push(a, &names, cname(w, ref));
		}
	}
	if (pod || names.n > 0) {
		kc_pss_strv_sort_uniq(&st.types);
		deny(r, "seLinuxOptions",
			selinux_detail(a, setters(a, pod, &names), &st.types, st.user, st.role));
	}
}

/* ---- seccompProfile_baseline ----------------------------------------------- */

#define SECCOMP_POD_KEY "seccomp.security.alpha.kubernetes.io/pod"
#define SECCOMP_CONTAINER_PREFIX "container.seccomp.security.alpha.kubernetes.io/"

static bool seccomp_type_ok(const char *t)
{
	return strcmp(t, "RuntimeDefault") == 0 || strcmp(t, "Localhost") == 0;
}

static bool seccomp_annotation_ok(const char *v, size_t n)
{
	return equals(v, n, "runtime/default") || equals(v, n, "docker/default") ||
		has_prefix(v, n, "localhost/");
}

static const char *seccomp_annotations_detail(struct kc_arena *a,
	const struct kc_pss_strv *entries)
{
	return kc_arena_printf(a, "forbidden %s %s",
		kc_pss_text_pl("annotation", "annotations", entries->n),
		kc_pss_text_join(a, entries, ", "));
}

/* The annotation whose key is exactly the n bytes at key, if any. */
static const struct kc_node *find_annotation(const struct kc_node *map, const char *key,
	size_t n, size_t *at)
{
	for (size_t i = 0; map != NULL && i < map->count; i++) {
		const struct kc_node *k = map->items[2 * i];
		if (k->type == KC_NODE_SCALAR && k->len == n && memcmp(k->value, key, n) == 0) {
			*at = i;
			return k;
		}
	}
	return NULL;
}

static void seccomp_annotation(struct run *r, const struct kc_node *map,
	const char *key, size_t n, struct kc_pss_strv *entries)
{
	size_t i;
	const struct kc_node *k = find_annotation(map, key, n, &i);
	const char *v;
	size_t vn;
	if (k == NULL || !annotation_value(map->items[2 * i + 1], &v, &vn) ||
		seccomp_annotation_ok(v, vn)) {
		return;
	}
	const char *e = annotation_entry(r->a, k, v, vn);
	if (kc_pss_strv_has(entries, e)) {
		return;              /* two containers with one name: one annotation */
	}
	kc_pss_strv_push(r->a, entries, e);
	const char *slot;
	struct kc_pss_strv e1 = one(&slot, e);
	struct kc_path base = kc_path_join(&r->w->pod_meta_path, "annotations");
	add(r, "seccompProfile", seccomp_annotations_detail(r->a, &e1),
		node_key_path(&base, k), NULL, false);
}

/* v1.0-v1.18: only the alpha annotations, for the pod and existing containers. */
static void seccomp_baseline_1_0(struct run *r)
{
	const struct kc_workload *w = r->w;
	const struct kc_node *map = kc_workload_annotations(w);
	struct kc_pss_strv entries = { 0 };
	if (map == NULL) {
		return;
	}
	seccomp_annotation(r, map, SECCOMP_POD_KEY, strlen(SECCOMP_POD_KEY), &entries);
	for (unsigned i = 0; i < w->container_count; i++) {
		const char *key = kc_arena_printf(r->a, "%s%s", SECCOMP_CONTAINER_PREFIX,
			cname(w, &w->containers[i]));
		seccomp_annotation(r, map, key, strlen(key), &entries);
	}
	if (entries.n > 0) {
		kc_pss_strv_sort_uniq(&entries);
		deny(r, "seccompProfile", seccomp_annotations_detail(r->a, &entries));
	}
}

static const char *seccomp_type_detail(struct kc_arena *a, const char *who,
	const struct kc_pss_strv *types)
{
	return kc_arena_printf(a, "%s must not set securityContext.seccompProfile.type to %s",
		who, kc_pss_text_quote_list(a, types));
}

/*
 * The explicit part shared by both field variants: the pod and every
 * container whose seccompProfile has a bad type. Returns whether the pod
 * level is validly set; *unset_names gets containers without a profile.
 */
static bool seccomp_explicit(struct run *r, bool *pod, struct kc_pss_strv *names,
	struct kc_pss_strv *types, struct kc_pss_strv *unset_names,
	const struct kc_container_ref ***unset_refs)
{
	const struct kc_workload *w = r->w;
	struct kc_arena *a = r->a;
	const char *slot;
	bool pod_set = false;
	*pod = false;
	if (psc(w) && psc(w)->seccomp_profile) {
		const char *t = str(field(w, psc(w)->seccomp_profile->type,
			kc_pod_sc_path(w, "seccompProfile.type")));
		if (!seccomp_type_ok(t)) {
			*pod = true;
			kc_pss_strv_push(a, types, t);
			struct kc_pss_strv t1 = one(&slot, t);
			add(r, "seccompProfile", seccomp_type_detail(a, "pod", &t1),
				kc_pod_sc_path(w, "seccompProfile.type"), NULL, false);
		} else {
			pod_set = true;
		}
	}
	*unset_refs = kc_arena_alloc(a, (w->container_count + 1) * sizeof(**unset_refs));
	for (unsigned i = 0; i < w->container_count; i++) {
		const struct kc_container_ref *ref = &w->containers[i];
		if (!csc(ref) || !csc(ref)->seccomp_profile) {
			(*unset_refs)[unset_names->n] = ref;
			kc_pss_strv_push(a, unset_names, cname(w, ref));
			continue;
		}
		const char *t = str(field(w, csc(ref)->seccomp_profile->type,
			kc_container_sc_path(ref, "seccompProfile.type")));
		if (seccomp_type_ok(t)) {
			continue;
		}
		kc_pss_strv_push(a, names, cname(w, ref));
		kc_pss_strv_push(a, types, t);
		const char *nslot;
		struct kc_pss_strv n1 = one(&nslot, cname(w, ref)), t1 = one(&slot, t);
		add(r, "seccompProfile", seccomp_type_detail(a, containers_part(a, &n1), &t1),
			kc_container_sc_path(ref, "seccompProfile.type"), cname(w, ref), false);
	}
	return pod_set;
}

/* v1.19+: only the fields; absent is fine. */
static void seccomp_baseline_1_19(struct run *r)
{
	struct kc_arena *a = r->a;
	struct kc_pss_strv names = { 0 }, types = { 0 }, unset = { 0 };
	const struct kc_container_ref **unset_refs;
	bool pod;
	seccomp_explicit(r, &pod, &names, &types, &unset, &unset_refs);
	if (pod || names.n > 0) {
		kc_pss_strv_sort_uniq(&types);
		deny(r, "seccompProfile", seccomp_type_detail(a, setters(a, pod, &names), &types));
	}
}

static void check_seccomp_baseline(struct run *r)
{
	if (r->minor >= 19) {
		seccomp_baseline_1_19(r);
	} else {
		seccomp_baseline_1_0(r);
	}
}

/* ---- sysctls --------------------------------------------------------------- */

static const char *const sysctls_allowed[] = {
	/* v1.0 */
	"kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
	"net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
	"net.ipv4.ip_unprivileged_port_start",
	/* v1.27 */
	"net.ipv4.ip_local_reserved_ports",
	/* v1.29 */
	"net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
	"net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes",
	/* v1.32 */
	"net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem",
	/* v1.37 */
	"net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat",
};

static size_t sysctls_allowed_count(unsigned minor)
{
	return minor >= 37 ? 14 : minor >= 32 ? 12 : minor >= 29 ? 10 : minor >= 27 ? 6 : 5;
}

static void check_sysctls(struct run *r)
{
	static const char reason[] = "forbidden sysctls";
	const struct kc_workload *w = r->w;
	struct kc_pss_strv bad = { 0 };
	size_t allowed = sysctls_allowed_count(r->minor);
	if (!psc(w)) {
		return;
	}
	for (unsigned i = 0; i < psc(w)->sysctls_count; i++) {
		struct kc_path p = kc_pod_sc_path(w, "sysctls");
		kc_path_index(&p, i);
		p = kc_path_join(&p, "name");
		const char *name = str(field(w, psc(w)->sysctls[i].name, p));
		bool ok = false;
		for (size_t j = 0; j < allowed && !ok; j++) {
			ok = strcmp(sysctls_allowed[j], name) == 0;
		}
		if (ok) {
			continue;
		}
		/* In order, unquoted, duplicates kept. */
		kc_pss_strv_push(r->a, &bad, name);
		add(r, reason, name, p, NULL, false);
	}
	if (bad.n > 0) {
		deny(r, reason, kc_pss_text_join(r->a, &bad, ", "));
	}
}

/* ---- windowsHostProcess ---------------------------------------------------- */

static const char *host_process_detail(struct kc_arena *a, const char *who)
{
	return kc_arena_printf(a,
		"%s must not set securityContext.windowsOptions.hostProcess=true", who);
}

static void check_windows_host_process(struct run *r)
{
	static const char reason[] = "hostProcess";
	const struct kc_workload *w = r->w;
	struct kc_arena *a = r->a;
	struct kc_pss_strv names = { 0 };
	bool pod = false;
	if (psc(w) && psc(w)->windows_options && psc(w)->windows_options->host_process &&
		*psc(w)->windows_options->host_process) {
		pod = true;
		add(r, reason, host_process_detail(a, "pod"),
			kc_pod_sc_path(w, "windowsOptions.hostProcess"), NULL, false);
	}
	for (unsigned i = 0; i < w->container_count; i++) {
		const struct kc_container_ref *ref = &w->containers[i];
		const struct kc_windows_options *o = csc(ref) ? csc(ref)->windows_options : NULL;
		if (!o || !o->host_process || !*o->host_process) {
			continue;
		}
		kc_pss_strv_push(a, &names, cname(w, ref));
		const char *slot;
		struct kc_pss_strv n1 = one(&slot, cname(w, ref));
		add(r, reason, host_process_detail(a, containers_part(a, &n1)),
			kc_container_sc_path(ref, "windowsOptions.hostProcess"), cname(w, ref), false);
	}
	if (pod || names.n > 0) {
		deny(r, reason, host_process_detail(a, setters(a, pod, &names)));
	}
}

/* ---- allowPrivilegeEscalation ---------------------------------------------- */

static const char *ape_detail(struct kc_arena *a, const struct kc_pss_strv *names)
{
	return kc_arena_printf(a, "%s must set securityContext.allowPrivilegeEscalation=false",
		containers_part(a, names));
}

static void check_allow_privilege_escalation(struct run *r)
{
	static const char reason[] = "allowPrivilegeEscalation != false";
	const struct kc_workload *w = r->w;
	struct kc_pss_strv names = { 0 };
	if (r->minor >= 25 && is_windows(w)) {
		return;
	}
	for (unsigned i = 0; i < w->container_count; i++) {
		const struct kc_container_ref *ref = &w->containers[i];
		const bool *v = csc(ref) ? csc(ref)->allow_privilege_escalation : NULL;
		if (v != NULL && !*v) {
			continue;
		}
		kc_pss_strv_push(r->a, &names, cname(w, ref));
		const char *slot;
		struct kc_pss_strv n1 = one(&slot, cname(w, ref));
		add(r, reason, ape_detail(r->a, &n1),
			kc_container_sc_path(ref, "allowPrivilegeEscalation"), cname(w, ref), v == NULL);
	}
	if (names.n > 0) {
		deny(r, reason, ape_detail(r->a, &names));
	}
}

/* ---- capabilities_restricted ----------------------------------------------- */

static const char *drop_all_detail(struct kc_arena *a, const struct kc_pss_strv *names)
{
	return kc_arena_printf(a, "%s must set securityContext.capabilities.drop=[\"ALL\"]",
		containers_part(a, names));
}

static void check_capabilities_restricted(struct run *r)
{
	static const char reason[] = "unrestricted capabilities";
	const struct kc_workload *w = r->w;
	struct kc_arena *a = r->a;
	struct kc_pss_strv no_drop = { 0 }, adding = { 0 }, caps = { 0 };
	if (r->minor >= 25 && is_windows(w)) {
		return;
	}
	for (unsigned i = 0; i < w->container_count; i++) {
		const struct kc_container_ref *ref = &w->containers[i];
		const struct kc_capabilities *cp = csc(ref) ? csc(ref)->capabilities : NULL;
		const char *s1, *s2;
		struct kc_pss_strv n1 = one(&s1, cname(w, ref));
		bool dropped_all = false;
		for (unsigned j = 0; cp != NULL && j < cp->drop_count && !dropped_all; j++) {
			dropped_all = strcmp(str(cp->drop[j]), "ALL") == 0;
		}
		if (!dropped_all) {
			kc_pss_strv_push(a, &no_drop, cname(w, ref));
			add(r, reason, drop_all_detail(a, &n1),
				kc_container_sc_path(ref, "capabilities.drop"), cname(w, ref),
				cp == NULL || cp->drop_count == 0);
		}
		bool bad_add = false;
		for (unsigned j = 0; cp != NULL && j < cp->add_count; j++) {
			const char *cap = str(cp->add[j]);
			if (strcmp(cap, "NET_BIND_SERVICE") == 0) {
				continue;
			}
			bad_add = true;
			kc_pss_strv_push(a, &caps, cap);
			struct kc_pss_strv c1 = one(&s2, cap);
			struct kc_path p = kc_container_sc_path(ref, "capabilities.add");
			kc_path_index(&p, j);
			add(r, reason, caps_add_detail(a, &n1, &c1), p, cname(w, ref), false);
		}
		if (bad_add) {
			kc_pss_strv_push(a, &adding, cname(w, ref));
		}
	}
	struct kc_pss_strv parts = { 0 };
	if (no_drop.n > 0) {
		kc_pss_strv_push(a, &parts, drop_all_detail(a, &no_drop));
	}
	if (adding.n > 0) {
		kc_pss_strv_sort_uniq(&caps);
		kc_pss_strv_push(a, &parts, caps_add_detail(a, &adding, &caps));
	}
	if (parts.n > 0) {
		deny(r, reason, kc_pss_text_join(a, &parts, "; "));
	}
}

/* ---- restrictedVolumes ----------------------------------------------------- */

static const enum kc_volume_type volumes_allowed[] = {
	KC_VOLUME_CONFIG_MAP, KC_VOLUME_CSI, KC_VOLUME_DOWNWARD_API, KC_VOLUME_EMPTY_DIR,
	KC_VOLUME_EPHEMERAL, KC_VOLUME_IMAGE, KC_VOLUME_PERSISTENT_VOLUME_CLAIM,
	KC_VOLUME_PROJECTED, KC_VOLUME_SECRET,
};

/* The order in which the PSA code names a restricted volume's type. */
static const enum kc_volume_type volumes_reported[] = {
	KC_VOLUME_HOST_PATH, KC_VOLUME_GCE_PERSISTENT_DISK,
	KC_VOLUME_AWS_ELASTIC_BLOCK_STORE, KC_VOLUME_GIT_REPO, KC_VOLUME_NFS,
	KC_VOLUME_ISCSI, KC_VOLUME_GLUSTERFS, KC_VOLUME_RBD, KC_VOLUME_FLEX_VOLUME,
	KC_VOLUME_CINDER, KC_VOLUME_CEPHFS, KC_VOLUME_FLOCKER, KC_VOLUME_FC,
	KC_VOLUME_AZURE_FILE, KC_VOLUME_VSPHERE_VOLUME, KC_VOLUME_QUOBYTE,
	KC_VOLUME_AZURE_DISK, KC_VOLUME_PHOTON_PERSISTENT_DISK,
	KC_VOLUME_PORTWORX_VOLUME, KC_VOLUME_SCALE_IO, KC_VOLUME_STORAGEOS,
};

static const char *volumes_detail(struct kc_arena *a, const struct kc_pss_strv *names,
	const struct kc_pss_strv *types)
{
	return kc_arena_printf(a, "%s %s %s %s", volumes_part(a, names),
		kc_pss_text_pl("uses", "use", names->n),
		kc_pss_text_pl("restricted volume type", "restricted volume types", types->n),
		kc_pss_text_quote_list(a, types));
}

static void check_restricted_volumes(struct run *r)
{
	static const char reason[] = "restricted volume types";
	const struct kc_workload *w = r->w;
	struct kc_arena *a = r->a;
	struct kc_pss_strv names = { 0 }, types = { 0 };
	for (unsigned i = 0; i < w->spec->volumes_count; i++) {
		const struct kc_volume *v = &w->spec->volumes[i];
		/* The API server defaults a volume with no source (none
		 * written, or only `emptyDir:` with a null value) to emptyDir
		 * before admission sees it (SetDefaults_Volume), so the
		 * controller never meets such a volume. */
		bool ok = kc_volume_type(v) == KC_VOLUME_NONE;
		for (size_t j = 0; j < sizeof(volumes_allowed) / sizeof(volumes_allowed[0]); j++) {
			ok = ok || kc_volume_has(v, volumes_allowed[j]);
		}
		if (ok) {
			continue;
		}
		enum kc_volume_type t = KC_VOLUME_NONE;
		for (size_t j = 0; j < sizeof(volumes_reported) / sizeof(volumes_reported[0]) &&
			t == KC_VOLUME_NONE; j++) {
			if (kc_volume_has(v, volumes_reported[j])) {
				t = volumes_reported[j];
			}
		}
		const char *type = kc_volume_type_name(t);
		struct kc_path p = index_path(&w->pod_spec_path, "volumes", i);
		const char *name = str(field(w, v->name, kc_path_join(&p, "name")));
		kc_pss_strv_push(a, &names, name);
		kc_pss_strv_push(a, &types, type);
		const char *s1, *s2;
		struct kc_pss_strv n1 = one(&s1, name), t1 = one(&s2, type);
		if (t != KC_VOLUME_NONE) {
			kc_path_key(&p, type);
		}
		add(r, reason, volumes_detail(a, &n1, &t1), p, NULL, false);
	}
	if (names.n > 0) {
		kc_pss_strv_sort_uniq(&types);
		deny(r, reason, volumes_detail(a, &names, &types));
	}
}

/* ---- runAsNonRoot ---------------------------------------------------------- */

static const char *non_root_explicit(struct kc_arena *a, const char *who)
{
	return kc_arena_printf(a, "%s must not set securityContext.runAsNonRoot=false", who);
}

static const char *non_root_implicit(struct kc_arena *a, const struct kc_pss_strv *names)
{
	return kc_arena_printf(a, "pod or %s must set securityContext.runAsNonRoot=true",
		containers_part(a, names));
}

static void check_run_as_non_root(struct run *r)
{
	static const char reason[] = "runAsNonRoot != true";
	const struct kc_workload *w = r->w;
	struct kc_arena *a = r->a;
	struct kc_pss_strv names = { 0 }, implicit = { 0 };
	const struct kc_container_ref **implicit_refs;
	const char *slot;
	bool pod = false, pod_true = false;
	if (r->minor >= 35 && host_users_false(w)) {
		return;
	}
	if (psc(w) && psc(w)->run_as_non_root) {
		pod_true = *psc(w)->run_as_non_root;
		pod = !pod_true;
	}
	if (pod) {
		add(r, reason, non_root_explicit(a, "pod"),
			kc_pod_sc_path(w, "runAsNonRoot"), NULL, false);
	}
	implicit_refs = kc_arena_alloc(a, (w->container_count + 1) * sizeof(*implicit_refs));
	for (unsigned i = 0; i < w->container_count; i++) {
		const struct kc_container_ref *ref = &w->containers[i];
		const bool *v = csc(ref) ? csc(ref)->run_as_non_root : NULL;
		if (v == NULL) {
			if (!pod_true) {
				implicit_refs[implicit.n] = ref;
				kc_pss_strv_push(a, &implicit, cname(w, ref));
			}
			continue;
		}
		if (*v) {
			continue;
		}
		kc_pss_strv_push(a, &names, cname(w, ref));
		struct kc_pss_strv n1 = one(&slot, cname(w, ref));
		add(r, reason, non_root_explicit(a, containers_part(a, &n1)),
			kc_container_sc_path(ref, "runAsNonRoot"), cname(w, ref), false);
	}
	if (pod || names.n > 0) {
		deny(r, reason, non_root_explicit(a, setters(a, pod, &names)));
		return;
	}
	/* Implicit offenders are named only when nothing is explicitly wrong. */
	for (unsigned i = 0; i < implicit.n; i++) {
		const struct kc_container_ref *ref = implicit_refs[i];
		struct kc_pss_strv n1 = one(&slot, cname(w, ref));
		add(r, reason, non_root_implicit(a, &n1),
			kc_container_sc_path(ref, "runAsNonRoot"), cname(w, ref), true);
	}
	if (implicit.n > 0) {
		deny(r, reason, non_root_implicit(a, &implicit));
	}
}

/* ---- runAsUser ------------------------------------------------------------- */

static const char *run_as_user_detail(struct kc_arena *a, const char *who)
{
	return kc_arena_printf(a, "%s must not set runAsUser=0", who);
}

static void check_run_as_user(struct run *r)
{
	static const char reason[] = "runAsUser=0";
	const struct kc_workload *w = r->w;
	struct kc_arena *a = r->a;
	struct kc_pss_strv names = { 0 };
	bool pod = false;
	if (r->minor >= 35 && host_users_false(w)) {
		return;
	}
	if (psc(w) && psc(w)->run_as_user && *psc(w)->run_as_user == 0) {
		pod = true;
		add(r, reason, run_as_user_detail(a, "pod"), kc_pod_sc_path(w, "runAsUser"),
			NULL, false);
	}
	for (unsigned i = 0; i < w->container_count; i++) {
		const struct kc_container_ref *ref = &w->containers[i];
		if (!csc(ref) || !csc(ref)->run_as_user || *csc(ref)->run_as_user != 0) {
			continue;
		}
		kc_pss_strv_push(a, &names, cname(w, ref));
		const char *slot;
		struct kc_pss_strv n1 = one(&slot, cname(w, ref));
		add(r, reason, run_as_user_detail(a, containers_part(a, &n1)),
			kc_container_sc_path(ref, "runAsUser"), cname(w, ref), false);
	}
	if (pod || names.n > 0) {
		deny(r, reason, run_as_user_detail(a, setters(a, pod, &names)));
	}
}

/* ---- seccompProfile_restricted --------------------------------------------- */

static const char *seccomp_implicit(struct kc_arena *a, const struct kc_pss_strv *names)
{
	return kc_arena_printf(a, "pod or %s must set securityContext.seccompProfile.type "
		"to \"RuntimeDefault\" or \"Localhost\"", containers_part(a, names));
}

static void check_seccomp_restricted(struct run *r)
{
	struct kc_arena *a = r->a;
	struct kc_pss_strv names = { 0 }, types = { 0 }, unset = { 0 };
	const struct kc_container_ref **unset_refs;
	bool pod;
	if (r->minor >= 25 && is_windows(r->w)) {
		return;
	}
	bool pod_set = seccomp_explicit(r, &pod, &names, &types, &unset, &unset_refs);
	if (pod || names.n > 0) {
		kc_pss_strv_sort_uniq(&types);
		deny(r, "seccompProfile", seccomp_type_detail(a, setters(a, pod, &names), &types));
		return;
	}
	if (pod_set || unset.n == 0) {
		return;
	}
	for (unsigned i = 0; i < unset.n; i++) {
		const char *slot;
		struct kc_pss_strv n1 = one(&slot, unset.v[i]);
		add(r, "seccompProfile", seccomp_implicit(a, &n1),
			kc_container_sc_path(unset_refs[i], "seccompProfile.type"),
			unset.v[i], true);
	}
	deny(r, "seccompProfile", seccomp_implicit(a, &unset));
}

/* ---- dispatch -------------------------------------------------------------- */

static void (*const impls[KC_PSS__COUNT])(struct run *) = {
	[KC_PSS_APPARMOR_PROFILE] = check_apparmor,
	[KC_PSS_CAPABILITIES_BASELINE] = check_capabilities_baseline,
	[KC_PSS_HOST_NAMESPACES] = check_host_namespaces,
	[KC_PSS_HOST_PATH_VOLUMES] = check_host_path_volumes,
	[KC_PSS_HOST_PORTS] = check_host_ports,
	[KC_PSS_HOST_PROBES_AND_LIFECYCLE] = check_host_probes,
	[KC_PSS_PRIVILEGED] = check_privileged,
	[KC_PSS_PROC_MOUNT] = check_proc_mount,
	[KC_PSS_SELINUX_OPTIONS] = check_selinux,
	[KC_PSS_SECCOMP_PROFILE_BASELINE] = check_seccomp_baseline,
	[KC_PSS_SYSCTLS] = check_sysctls,
	[KC_PSS_WINDOWS_HOST_PROCESS] = check_windows_host_process,
	[KC_PSS_ALLOW_PRIVILEGE_ESCALATION] = check_allow_privilege_escalation,
	[KC_PSS_CAPABILITIES_RESTRICTED] = check_capabilities_restricted,
	[KC_PSS_PROC_MOUNT_RESTRICTED] = proc_mount_strict,
	[KC_PSS_RESTRICTED_VOLUMES] = check_restricted_volumes,
	[KC_PSS_RUN_AS_NON_ROOT] = check_run_as_non_root,
	[KC_PSS_RUN_AS_USER] = check_run_as_user,
	[KC_PSS_SECCOMP_PROFILE_RESTRICTED] = check_seccomp_restricted,
};

void kc_pss_checks_run(enum kc_pss_check c, unsigned minor,
	const struct kc_workload *w, struct kc_arena *a, struct kc_pss_result *out)
{
	struct run r = { .w = w, .a = a, .minor = minor, .out = out };
	*out = (struct kc_pss_result){ .allowed = true };
	impls[c](&r);
	if (out->allowed) {
		/* Violations are recorded as found; an allowed check has none. */
		out->violations = NULL;
		out->count = 0;
	}
}
