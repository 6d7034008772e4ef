/*
 * The helpers of src/rules/host.c (hostPath cleaning and matching, name
 * lists, YAML 1.1 booleans), and the rules about what a pod shares with
 * its node, through the engine: the edge cases that golden cases would
 * bury (near-miss paths, spellings, every container list) and the rule
 * parameters, which only a configuration file can set otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/rules/host.h"
#include "k8scheck/policy.h"
#include "support.h"

/* ---- helpers --------------------------------------------------------------- */

static void cleans(const char *path, const char *want)
{
	char buf[64];
	ck_assert_msg(kc_rules_host_path_clean(path, buf, sizeof(buf)), "'%s' refused", path);
	ck_assert_msg(strcmp(buf, want) == 0, "'%s' cleaned to '%s', expected '%s'", path,
		buf, want);
}

START_TEST(host_path_clean)
{
	cleans("/", "/");
	cleans("//", "/");
	cleans("/etc", "/etc");
	cleans("/etc/", "/etc");
	cleans("//etc//kubernetes///", "/etc/kubernetes");
	cleans("/./etc/.", "/etc");
	cleans("/tmp/../etc", "/etc");
	cleans("/var/lib/../../etc/x/..", "/etc");
	cleans("/..", "/");
	cleans("/../../etc", "/etc");
	cleans("/.hidden/...", "/.hidden/...");
	cleans("/var/run/docker.sock", "/var/run/docker.sock");
	char buf[8];
	ck_assert(!kc_rules_host_path_clean("etc", buf, sizeof(buf)));
	ck_assert(!kc_rules_host_path_clean("", buf, sizeof(buf)));
	ck_assert(!kc_rules_host_path_clean(NULL, buf, sizeof(buf)));
	ck_assert(!kc_rules_host_path_clean("C:\\Windows", buf, sizeof(buf)));
	/* "/abcdef" needs 8 bytes with its NUL; one more does not fit. */
	ck_assert(kc_rules_host_path_clean("/abcdef", buf, sizeof(buf)));
	ck_assert_str_eq(buf, "/abcdef");
	ck_assert(!kc_rules_host_path_clean("/abcdefg", buf, sizeof(buf)));
	ck_assert(!kc_rules_host_path_clean("/", buf, 1));
}
END_TEST

START_TEST(path_within)
{
	ck_assert(kc_rules_path_within("/etc", "/etc"));
	ck_assert(kc_rules_path_within("/etc/ssl", "/etc"));
	ck_assert(!kc_rules_path_within("/etcd", "/etc"));
	ck_assert(!kc_rules_path_within("/et", "/etc"));
	ck_assert(!kc_rules_path_within("/", "/etc"));
	ck_assert(kc_rules_path_within("/anything", "/"));
	ck_assert(kc_rules_path_within("/", "/"));
	ck_assert(!kc_rules_path_within("/var/lib/kubelet-plugins", "/var/lib/kubelet"));
}
END_TEST

START_TEST(quote_list)
{
	struct kc_arena *a = kc_arena_create();
	const char *names[] = { "a", "b", "c" };
	ck_assert_str_eq(kc_rules_quote_list(a, names, 0), "");
	ck_assert_str_eq(kc_rules_quote_list(a, names, 1), "'a'");
	ck_assert_str_eq(kc_rules_quote_list(a, names, 2), "'a' and 'b'");
	ck_assert_str_eq(kc_rules_quote_list(a, names, 3), "'a', 'b' and 'c'");
	kc_arena_destroy(a);
}
END_TEST

static int boolean(struct kc_arena *a, const char *yaml)
{
	const struct kc_node *root = t_parse(a, yaml);
	bool b = false;
	if (!kc_rules_node_bool(kc_node_get(root, "v"), &b)) {
		return -1;
	}
	return b;
}

START_TEST(node_bool)
{
	struct kc_arena *a = kc_arena_create();
	ck_assert_int_eq(boolean(a, "v: true\n"), 1);
	ck_assert_int_eq(boolean(a, "v: True\n"), 1);
	ck_assert_int_eq(boolean(a, "v: yes\n"), 1);
	ck_assert_int_eq(boolean(a, "v: ON\n"), 1);
	ck_assert_int_eq(boolean(a, "v: y\n"), 1);
	ck_assert_int_eq(boolean(a, "v: !!bool true\n"), 1);
	ck_assert_int_eq(boolean(a, "v: false\n"), 0);
	ck_assert_int_eq(boolean(a, "v: off\n"), 0);
	ck_assert_int_eq(boolean(a, "v: N\n"), 0);
	/* Strings, numbers, nulls and collections are not booleans. */
	ck_assert_int_eq(boolean(a, "v: \"true\"\n"), -1);
	ck_assert_int_eq(boolean(a, "v: 'yes'\n"), -1);
	ck_assert_int_eq(boolean(a, "v: !!str true\n"), -1);
	ck_assert_int_eq(boolean(a, "v: 1\n"), -1);
	ck_assert_int_eq(boolean(a, "v: tRUE\n"), -1);
	ck_assert_int_eq(boolean(a, "v:\n"), -1);
	ck_assert_int_eq(boolean(a, "v: [true]\n"), -1);
	ck_assert_int_eq(boolean(a, "w: true\n"), -1);
	kc_arena_destroy(a);
}
END_TEST

/* ---- rules through the engine ---------------------------------------------- */

#define MAX_F 24

struct rf {
	char rule[40];
	char text[512];          /* "line:col message" */
	char path[160];
	char note[256];          /* "" if none */
	char container[32];      /* "-" if none */
	char fix[256];           /* fix_yaml, "" if none */
	enum kc_severity severity;
};

static struct kc_arena *run;
static struct kc_policy policy;
static struct kc_engine *eng;
static struct rf found[MAX_F];
static unsigned nfound;

static void setup(void)
{
	run = kc_arena_create();
	char *text = NULL;
	size_t len = 0;
	FILE *e = open_memstream(&text, &len);
	struct kc_diag d;
	kc_diag_init(&d, e, false);
	bool ok = kc_policy_load(&policy, run, &d);
	fclose(e);
	ck_assert_msg(ok, "%s", text);
	free(text);
	eng = kc_engine_create(&policy, run);
	nfound = 0;
}

static void teardown(void)
{
	kc_arena_destroy(run);
}

static void record(void *ctx, const struct kc_loaded_doc *doc)
{
	struct kc_finding **list = NULL;
	unsigned n = 0;
	kc_engine_check(eng, doc, &list, &n);
	for (unsigned i = 0; i < n; i++) {
		const struct kc_finding *f = list[i];
		ck_assert_uint_lt(nfound, MAX_F);
		struct rf *o = &found[nfound++];
		snprintf(o->rule, sizeof(o->rule), "%s", f->rule);
		snprintf(o->text, sizeof(o->text), "%u:%u %s", f->pos.line, f->pos.col,
			f->message);
		snprintf(o->path, sizeof(o->path), "%s", f->path_str);
		snprintf(o->note, sizeof(o->note), "%s", f->note ? f->note : "");
		snprintf(o->container, sizeof(o->container), "%s",
			f->container ? f->container : "-");
		snprintf(o->fix, sizeof(o->fix), "%s", f->fix_yaml ? f->fix_yaml : "");
		o->severity = f->severity;
	}
}

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Run only rule id over yaml, which must load. */
static void check_only(const char *id, const char *yaml)
{
	for (size_t i = 0; i < kc_rule_count; i++) {
		kc_engine_set_enabled(eng, kc_rules[i].id, false);
	}
	ck_assert(kc_engine_set_enabled(eng, id, true));
	nfound = 0;
	struct t_loaded r = t_load(yaml, record, NULL);
	ck_assert_msg(r.ok, "%s", r.diag);
	ck_assert_str_eq(r.diag, "");
	free(r.diag);
	ck_assert_uint_ge(r.stats.workloads, 1);
}

/* A pod with one container "c" mounting each of the given hostPaths. */
static const char *host_paths_pod(const char *const *paths, unsigned n)
{
	static char yaml[4096];
	size_t len = (size_t)snprintf(yaml, sizeof(yaml),
		"apiVersion: v1\n"
		"kind: Pod\n"
		"metadata: {name: p}\n"
		"spec:\n"
		"  containers:\n"
		"  - name: c\n"
		"    volumeMounts:\n");
	for (unsigned i = 0; i < n; i++) {
		len += (size_t)snprintf(yaml + len, sizeof(yaml) - len,
			"    - {name: v%u, mountPath: /m%u, readOnly: true}\n", i, i);
	}
	len += (size_t)snprintf(yaml + len, sizeof(yaml) - len, "  volumes:\n");
	for (unsigned i = 0; i < n; i++) {
		len += (size_t)snprintf(yaml + len, sizeof(yaml) - len,
			"  - {name: v%u, hostPath: {path: '%s'}}\n", i, paths[i]);
	}
	ck_assert_uint_lt(len, sizeof(yaml));
	return yaml;
}

/* Which of paths rule reports, as "v0 v3 ...". */
static const char *reported(const char *rule, const char *const *paths, unsigned n)
{
	static char out[256];
	check_only(rule, host_paths_pod(paths, n));
	out[0] = '\0';
	for (unsigned i = 0; i < nfound; i++) {
		const char *v = strstr(found[i].path, "volumes[");
		ck_assert_ptr_nonnull(v);
		size_t len = strcspn(v + 8, "]");
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%.*s",
			i ? " " : "", (int)len, v + 8);
	}
	return out;
}

START_TEST(runtime_socket_paths)
{
	static const char *const paths[] = {
		"/var/run/docker.sock",              /* v0 */
		"/run/docker.sock",                  /* v1 */
		"/var/run/docker/",                  /* v2 */
		"/run/containerd/containerd.sock",   /* v3 */
		"/var/run/containerd",               /* v4 */
		"/var/run/crio/crio.sock",           /* v5 */
		"/run/crio//",                       /* v6 */
		"/var/run/cri-dockerd.sock",         /* v7 */
		"/var/lib/docker",                   /* v8 */
		"/var/lib/containerd/",              /* v9 */
		"/var/run",                          /* v10: contains them */
		"/var/lib",                          /* v11: contains them */
		"/",                                 /* sensitive-host-path's */
		"/var/lib/docker/containers",        /* logs, not the socket */
		"/var/run/docker.socket",
		"/run/containerd-foo",
		"/var/run/secrets",
		"/srv/docker.sock",
	};
	ck_assert_str_eq(reported("container-runtime-socket", paths, 18),
		"v0 v1 v2 v3 v4 v5 v6 v7 v8 v9 v10 v11");
	check_only("container-runtime-socket", host_paths_pod(paths, 1));
	ck_assert_uint_eq(nfound, 1);
	ck_assert_str_eq(found[0].text, "10:27 hostPath '/var/run/docker.sock' of volume "
		"'v0' is the Docker daemon's socket: container 'c' can control every "
		"container on the node");
	ck_assert_str_eq(found[0].path, "spec.volumes[v0].hostPath.path");
	ck_assert_str_eq(found[0].container, "c");
	ck_assert_int_eq(found[0].severity, KC_SEVERITY_ERROR);
	ck_assert_str_eq(found[0].fix, "");
}
END_TEST

START_TEST(runtime_socket_users)
{
	check_only("container-runtime-socket",
		"apiVersion: apps/v1\n"                                   /* 1 */
		"kind: DaemonSet\n"                                       /* 2 */
		"metadata: {name: d}\n"                                   /* 3 */
		"spec:\n"                                                 /* 4 */
		"  template:\n"                                           /* 5 */
		"    spec:\n"                                             /* 6 */
		"      initContainers:\n"                                 /* 7 */
		"      - name: init\n"                                    /* 8 */
		"        volumeMounts: [{name: sock, mountPath: /s}]\n"   /* 9 */
		"      containers:\n"                                     /* 10 */
		"      - name: agent\n"                                   /* 11 */
		"        volumeMounts: [{name: sock, mountPath: /s}]\n"   /* 12 */
		"      - volumeMounts: [{name: sock, mountPath: /s}]\n"   /* 13 */
		"      ephemeralContainers:\n"                            /* 14 */
		"      - name: debug\n"                                   /* 15 */
		"        volumeMounts: [{name: sock, mountPath: /s}]\n"   /* 16 */
		"      volumes:\n"                                        /* 17 */
		"      - name: sock\n"                                    /* 18 */
		"        hostPath: {path: /run/crio}\n"                   /* 19 */
		"      - name: idle\n"                                    /* 20 */
		"        hostPath: {path: /run}\n");                      /* 21 */
	ck_assert_uint_eq(nfound, 2);
	ck_assert_str_eq(found[0].text, "19:20 hostPath '/run/crio' of volume 'sock' is "
		"CRI-O's socket directory: containers 'init', 'agent', '#2' and 'debug' can "
		"control every container on the node");
	ck_assert_str_eq(found[0].container, "-");
	ck_assert_str_eq(found[1].text, "21:20 hostPath '/run' of volume 'idle' contains "
		"the Docker daemon's socket (/run/docker.sock): any container that mounts it "
		"can control every container on the node");
}
END_TEST

START_TEST(sensitive_paths)
{
	static const char *const paths[] = {
		"/",                          /* v0 */
		"/etc",                       /* v1 */
		"/etc/ssl/certs",             /* v2 */
		"/proc/",                     /* v3 */
		"/sys/fs/cgroup",             /* v4 */
		"/dev",                       /* v5 */
		"/boot",                      /* v6 */
		"/root/.ssh",                 /* v7 */
		"/home",                      /* v8 */
		"/var/lib/kubelet/pods",      /* v9 */
		"/var/lib/etcd",              /* v10 */
		"/var/log/pods",              /* v11 */
		"/tmp/../etc",                /* v12 */
		"/var",                       /* v13: contains /var/log */
		"/etcd",
		"/var/lib/kubelet-plugins",
		"/srv/etc",
		"/var/lib/docker",
		"/proc2",
		"/data",
	};
	ck_assert_str_eq(reported("sensitive-host-path", paths, 20),
		"v0 v1 v2 v3 v4 v5 v6 v7 v8 v9 v10 v11 v12 v13");
	static const char *const two[] = { "/etc/kubernetes/manifests", "//var//lib/" };
	check_only("sensitive-host-path", host_paths_pod(two, 2));
	ck_assert_uint_eq(nfound, 2);
	/* The most specific directory names the reason. */
	ck_assert_str_eq(found[0].text, "11:27 hostPath '/etc/kubernetes/manifests' of "
		"volume 'v0' is inside '/etc/kubernetes', the cluster credentials and static "
		"pod manifests (mounted by container 'c')");
	ck_assert_str_eq(found[1].text, "12:27 hostPath '//var//lib/' of volume 'v1' "
		"contains '/var/lib/kubelet', the kubelet's state, with every pod's secrets "
		"and tokens (mounted by container 'c')");
}
END_TEST

START_TEST(writable_mounts)
{
	check_only("writable-host-path",
		"apiVersion: v1\n"                                           /* 1 */
		"kind: Pod\n"                                                /* 2 */
		"spec:\n"                                                    /* 3 */
		"  initContainers:\n"                                        /* 4 */
		"  - name: init\n"                                           /* 5 */
		"    volumeMounts:\n"                                        /* 6 */
		"    - {name: host, mountPath: /h}\n"                        /* 7 */
		"  containers:\n"                                            /* 8 */
		"  - name: app\n"                                            /* 9 */
		"    volumeMounts:\n"                                        /* 10 */
		"    - {name: host, mountPath: /h, readOnly: true}\n"        /* 11 */
		"    - {name: scratch, mountPath: /s}\n"                     /* 12 */
		"    - {name: missing, mountPath: /x}\n"                     /* 13 */
		"    - {name: host, mountPath: /h2, readOnly: false}\n"      /* 14 */
		"  volumes:\n"                                               /* 15 */
		"  - {name: host, hostPath: {path: /srv}}\n"                 /* 16 */
		"  - {name: scratch, emptyDir: {}}\n");                      /* 17 */
	ck_assert_uint_eq(nfound, 2);
	ck_assert_str_eq(found[0].text, "7:7 container 'init' mounts hostPath '/srv' "
		"(volume 'host') writable: readOnly is not set to true");
	ck_assert_str_eq(found[0].path, "spec.initContainers[init].volumeMounts[host].readOnly");
	ck_assert_str_eq(found[0].fix, "readOnly: true\n");
	ck_assert_str_eq(found[1].text, "14:36 container 'app' mounts hostPath '/srv' "
		"(volume 'host') with readOnly: false, so it can change files on the node");
	/* Both mounts of "host" render as [host]; the position tells them apart. */
	ck_assert_str_eq(found[1].path, "spec.containers[app].volumeMounts[host].readOnly");
	ck_assert_str_eq(found[1].fix, "readOnly: true\n");
	ck_assert_int_eq(found[1].severity, KC_SEVERITY_WARNING);
}
END_TEST

START_TEST(net_raw_spellings)
{
	check_only("net-raw-not-dropped",
		"apiVersion: v1\n"                                             /* 1 */
		"kind: Pod\n"                                                  /* 2 */
		"spec:\n"                                                      /* 3 */
		"  containers:\n"                                              /* 4 */
		"  - name: all\n"                                              /* 5 */
		"    securityContext: {capabilities: {drop: [ALL]}}\n"        /* 6 */
		"  - name: raw\n"                                              /* 7 */
		"    securityContext: {capabilities: {drop: [CHOWN, NET_RAW]}}\n" /* 8 */
		"  - name: prefixed\n"                                         /* 9 */
		"    securityContext: {capabilities: {drop: [CAP_NET_RAW]}}\n" /* 10 */
		"  - name: lower\n"                                            /* 11 */
		"    securityContext: {capabilities: {drop: [KILL, all]}}\n"  /* 12 */
		"  - name: none\n"                                             /* 13 */
		"    securityContext: {capabilities: {add: [NET_RAW]}}\n"     /* 14 */
		"  - name: bare\n");                                           /* 15 */
	ck_assert_uint_eq(nfound, 4);
	ck_assert_str_eq(found[0].text, "10:38 container 'prefixed' keeps NET_RAW: it "
		"drops neither NET_RAW nor ALL, so it can forge packets on the pod network");
	ck_assert_str_eq(found[0].note, "'CAP_NET_RAW' is not 'NET_RAW': Pod Security "
		"matches capability names exactly, and not every runtime accepts other "
		"spellings");
	ck_assert_str_eq(found[0].fix, "drop:\n- NET_RAW\n");
	ck_assert_str_eq(found[1].note, "'all' is not 'ALL': Pod Security matches "
		"capability names exactly, and not every runtime accepts other spellings");
	ck_assert_str_eq(found[1].fix, "drop:\n- KILL\n- ALL\n");
	/* No drop list: NET_RAW is added, under the existing capabilities. */
	ck_assert_str_eq(found[2].path, "spec.containers[none].securityContext.capabilities.drop");
	ck_assert_str_eq(found[2].note, "");
	ck_assert_str_eq(found[2].fix, "drop:\n- NET_RAW\n");
	ck_assert_str_eq(found[3].text, "15:5 container 'bare' keeps NET_RAW: it drops "
		"neither NET_RAW nor ALL, so it can forge packets on the pod network");
	ck_assert_str_eq(found[3].fix,
		"securityContext:\n  capabilities:\n    drop:\n    - NET_RAW\n");
}
END_TEST

START_TEST(net_raw_windows)
{
	check_only("net-raw-not-dropped",
		"apiVersion: v1\n"
		"kind: Pod\n"
		"spec:\n"
		"  os: {name: windows}\n"
		"  containers:\n"
		"  - name: win\n");
	ck_assert_uint_eq(nfound, 0);
}
END_TEST

static const char caps_pod[] =
	"apiVersion: v1\n"                                                      /* 1 */
	"kind: Pod\n"                                                           /* 2 */
	"spec:\n"                                                               /* 3 */
	"  initContainers:\n"                                                   /* 4 */
	"  - name: init\n"                                                      /* 5 */
	"    securityContext: {capabilities: {add: [net_admin]}}\n"            /* 6 */
	"  containers:\n"                                                       /* 7 */
	"  - name: app\n"                                                       /* 8 */
	"    securityContext:\n"                                                /* 9 */
	"      capabilities:\n"                                                 /* 10 */
	"        add: [NET_BIND_SERVICE, SYS_ADMIN, CHOWN, CAP_SYS_PTRACE, ALL]\n" /* 11 */
	"  ephemeralContainers:\n"                                              /* 12 */
	"  - name: debug\n"                                                     /* 13 */
	"    securityContext: {capabilities: {add: [SYS_PTRACE, BPF, PERFMON]}}\n"; /* 14 */

static void with_allowed(const char *const *list, unsigned n)
{
	static struct kc_param p;
	p = (struct kc_param){ .rule = "dangerous-capabilities", .name = "allowed",
		.is_list = true, .list = list, .count = n };
	kc_engine_set_params(eng, &p, 1);
}

START_TEST(dangerous_default)
{
	check_only("dangerous-capabilities", caps_pod);
	ck_assert_uint_eq(nfound, 7);
	ck_assert_str_eq(found[0].text, "6:44 container 'init' adds capability "
		"'NET_ADMIN', which lets it reconfigure network interfaces, routes and "
		"firewall rules");
	ck_assert_str_eq(found[0].path,
		"spec.initContainers[init].securityContext.capabilities.add[0]");
	ck_assert_str_eq(found[0].note, "written 'net_admin': Pod Security matches "
		"capability names exactly, but container runtimes may still grant NET_ADMIN");
	ck_assert_str_eq(found[0].container, "init");
	ck_assert_str_eq(found[1].text, "11:33 container 'app' adds capability "
		"'SYS_ADMIN', which allows mounts, namespace changes and much more: close to "
		"root on the node, and the usual way out of a container");
	ck_assert_str_eq(found[1].note, "");
	ck_assert(starts(found[2].text, "11:51 container 'app' adds capability "
		"'SYS_PTRACE',"));
	ck_assert_str_eq(found[2].note, "written 'CAP_SYS_PTRACE': Pod Security matches "
		"capability names exactly, but container runtimes may still grant SYS_PTRACE");
	ck_assert(starts(found[3].text, "11:67 container 'app' adds capability 'ALL',"));
	ck_assert(starts(found[4].text, "14:44 container 'debug' adds capability "
		"'SYS_PTRACE',"));
	ck_assert(strstr(found[5].text, "'BPF'") != NULL);
	ck_assert(strstr(found[6].text, "'PERFMON'") != NULL);
	for (unsigned i = 0; i < nfound; i++) {
		ck_assert_int_eq(found[i].severity, KC_SEVERITY_ERROR);
		ck_assert_str_eq(found[i].fix, "");
	}
}
END_TEST

START_TEST(dangerous_allowed)
{
	/* Allowed names compare like added ones: no case, no CAP_ prefix. */
	static const char *const allow[] = { "NET_ADMIN", "cap_sys_ptrace", "BPF" };
	with_allowed(allow, 3);
	check_only("dangerous-capabilities", caps_pod);
	ck_assert_uint_eq(nfound, 3);
	ck_assert(strstr(found[0].text, "'SYS_ADMIN'") != NULL);
	ck_assert(strstr(found[1].text, "'ALL'") != NULL);
	ck_assert(strstr(found[2].text, "'PERFMON'") != NULL);
	/* An empty list allows nothing. */
	with_allowed(NULL, 0);
	check_only("dangerous-capabilities", caps_pod);
	ck_assert_uint_eq(nfound, 7);
	/* Another rule's list does not count. */
	static struct kc_param other = { .rule = "capabilities-drop-all", .name = "allowed",
		.is_list = true, .list = allow, .count = 3 };
	kc_engine_set_params(eng, &other, 1);
	check_only("dangerous-capabilities", caps_pod);
	ck_assert_uint_eq(nfound, 7);
}
END_TEST

static const char ids_pod[] =
	"apiVersion: v1\n"                                     /* 1 */
	"kind: Pod\n"                                          /* 2 */
	"spec:\n"                                              /* 3 */
	"  securityContext:\n"                                 /* 4 */
	"    runAsUser: 999\n"                                 /* 5 */
	"    runAsGroup: 999\n"                                /* 6 */
	"    fsGroup: 100\n"                                   /* 7 */
	"  initContainers:\n"                                  /* 8 */
	"  - name: init\n"                                     /* 9 */
	"    securityContext: {runAsUser: 0, runAsGroup: 0}\n" /* 10 */
	"  containers:\n"                                      /* 11 */
	"  - name: inherits\n"                                 /* 12 */
	"  - name: own\n"                                      /* 13 */
	"    securityContext:\n"                               /* 14 */
	"      runAsUser: 1000\n"                              /* 15 */
	"      runAsGroup: 5000\n";                            /* 16 */

static void threshold(const char *rule, long long value)
{
	static struct kc_param p;
	p = (struct kc_param){ .rule = rule, .name = "threshold", .value = value };
	kc_engine_set_params(eng, &p, 1);
}

START_TEST(uid_threshold)
{
	check_only("uid-below-threshold", ids_pod);
	ck_assert_uint_eq(nfound, 2);
	/* 0 is run-as-user's; the inherited 999 is reported at the container. */
	ck_assert_str_eq(found[0].text, "12:5 container 'inherits' runs as UID 999, "
		"inherited from the pod, below 10000: it may be the UID of a user on the node");
	ck_assert_str_eq(found[0].path, "spec.containers[inherits].securityContext.runAsUser");
	ck_assert_str_eq(found[1].text, "15:7 container 'own' runs as UID 1000, below "
		"10000: it may be the UID of a user on the node");
	ck_assert_int_eq(found[1].severity, KC_SEVERITY_WARNING);
	/* The threshold itself is allowed. */
	threshold("uid-below-threshold", 1000);
	check_only("uid-below-threshold", ids_pod);
	ck_assert_uint_eq(nfound, 1);
	ck_assert_str_eq(found[0].text, "12:5 container 'inherits' runs as UID 999, "
		"inherited from the pod, below 1000: it may be the UID of a user on the node");
	threshold("uid-below-threshold", 0);
	check_only("uid-below-threshold", ids_pod);
	ck_assert_uint_eq(nfound, 0);
	/* Another rule's threshold does not count. */
	threshold("gid-below-threshold", 1);
	check_only("uid-below-threshold", ids_pod);
	ck_assert_uint_eq(nfound, 2);
}
END_TEST

START_TEST(gid_threshold)
{
	check_only("gid-below-threshold", ids_pod);
	ck_assert_uint_eq(nfound, 3);
	ck_assert_str_eq(found[0].text, "7:5 the pod sets fsGroup: 100, below 10000: every "
		"container gets it as a supplementary group, and it may be the GID of a group "
		"on the node");
	ck_assert_str_eq(found[0].container, "-");
	ck_assert_str_eq(found[1].text, "12:5 container 'inherits' runs as GID 999, "
		"inherited from the pod, below 10000: it may be the GID of a group on the node");
	ck_assert_str_eq(found[2].text, "16:7 container 'own' runs as GID 5000, below "
		"10000: it may be the GID of a group on the node");
	threshold("gid-below-threshold", 999);
	check_only("gid-below-threshold", ids_pod);
	ck_assert_uint_eq(nfound, 1);
	ck_assert_str_eq(found[0].text, "7:5 the pod sets fsGroup: 100, below 999: every "
		"container gets it as a supplementary group, and it may be the GID of a group "
		"on the node");
}
END_TEST

START_TEST(group_root)
{
	check_only("run-as-group-root",
		"apiVersion: v1\n"                                      /* 1 */
		"kind: Pod\n"                                           /* 2 */
		"spec:\n"                                               /* 3 */
		"  securityContext:\n"                                  /* 4 */
		"    runAsGroup: 0\n"                                   /* 5 */
		"    fsGroup: 0\n"                                      /* 6 */
		"    supplementalGroups: [10, 0]\n"                     /* 7 */
		"  initContainers:\n"                                   /* 8 */
		"  - name: init\n"                                      /* 9 */
		"    securityContext: {runAsGroup: 1000}\n"             /* 10 */
		"  containers:\n"                                       /* 11 */
		"  - name: app\n"                                       /* 12 */
		"  - name: own\n"                                       /* 13 */
		"    securityContext: {runAsGroup: 0}\n");              /* 14 */
	ck_assert_uint_eq(nfound, 4);
	ck_assert_str_eq(found[0].text, "6:5 the pod sets fsGroup: 0: every container gets "
		"group root as a supplementary group, and the pod's volumes belong to it");
	ck_assert_str_eq(found[1].text, "7:30 the pod lists group 0 in supplementalGroups: "
		"every container gets group root as a supplementary group");
	ck_assert_str_eq(found[1].path, "spec.securityContext.supplementalGroups[1]");
	ck_assert_str_eq(found[2].text, "12:5 container 'app' runs with group root, "
		"inheriting runAsGroup: 0 from the pod");
	ck_assert_str_eq(found[3].text, "14:23 container 'own' runs with group root: "
		"runAsGroup: 0");
	/* A pod-level 0 that every container overrides does nothing. */
	check_only("run-as-group-root",
		"apiVersion: v1\n"
		"kind: Pod\n"
		"spec:\n"
		"  securityContext: {runAsGroup: 0}\n"
		"  containers:\n"
		"  - name: app\n"
		"    securityContext: {runAsGroup: 10001}\n");
	ck_assert_uint_eq(nfound, 0);
}
END_TEST

START_TEST(pod_context_missing)
{
	static const char *const variants[] = {
		"  securityContext: {}\n",
		"  securityContext:\n",
		"  securityContext: null\n",
	};
	for (size_t i = 0; i < 3; i++) {
		char yaml[256];
		snprintf(yaml, sizeof(yaml),
			"apiVersion: v1\n"
			"kind: Pod\n"
			"spec:\n"
			"%s"
			"  containers:\n"
			"  - name: app\n", variants[i]);
		check_only("pod-security-context-missing", yaml);
		ck_assert_uint_eq(nfound, 1);
		ck_assert_str_eq(found[0].text, "4:3 the pod's securityContext is empty: "
			"nothing keeps its containers from running as root or without a "
			"seccomp profile");
		/* Replaced in place. */
		ck_assert_str_eq(found[0].fix, "securityContext: {runAsNonRoot: true, "
			"seccompProfile: {type: RuntimeDefault}}\n");
	}
	check_only("pod-security-context-missing",
		"apiVersion: apps/v1\n"
		"kind: Deployment\n"
		"spec:\n"
		"  template:\n"
		"    spec:\n"
		"      securityContext: {fsGroup: 10001}\n"
		"      containers: [{name: app}]\n");
	ck_assert_uint_eq(nfound, 0);
}
END_TEST

START_TEST(ineffective_pod_level)
{
	check_only("ineffective-security-context",
		"apiVersion: v1\n"                                               /* 1 */
		"kind: Pod\n"                                                    /* 2 */
		"spec:\n"                                                        /* 3 */
		"  securityContext:\n"                                           /* 4 */
		"    runAsNonRoot: true\n"                                       /* 5 */
		"    allowPrivilegeEscalation: no\n"                             /* 6 */
		"    readOnlyRootFilesystem: true\n"                             /* 7 */
		"    capabilities: {drop: [ALL]}\n"                              /* 8 */
		"    privileged: true\n"                                         /* 9 */
		"    procMount: Default\n"                                       /* 10 */
		"    seccompProfile: {type: RuntimeDefault}\n"                   /* 11 */
		"  initContainers:\n"                                            /* 12 */
		"  - name: init\n"                                               /* 13 */
		"    securityContext:\n"                                         /* 14 */
		"      readOnlyRootFilesystem: true\n"                           /* 15 */
		"      allowPrivilegeEscalation: false\n"                        /* 16 */
		"      privileged: false\n"                                      /* 17 */
		"      procMount: Default\n"                                     /* 18 */
		"      capabilities: {drop: [ALL]}\n"                            /* 19 */
		"  containers:\n"                                                /* 20 */
		"  - name: app\n"                                                /* 21 */
		"    securityContext: {privileged: false, procMount: Default}\n" /* 22 */
		"  ephemeralContainers:\n"                                       /* 23 */
		"  - name: debug\n"                                              /* 24 */
		"    securityContext: {privileged: false, procMount: Default}\n"); /* 25 */
	ck_assert_uint_eq(nfound, 5);
	ck_assert_str_eq(found[0].text, "6:5 'allowPrivilegeEscalation: no' is ignored in "
		"the pod's securityContext: Kubernetes reads it only from each container's, so "
		"containers 'app' and 'debug' are not protected by it");
	ck_assert_str_eq(found[0].note, "move it into the securityContext of each container");
	ck_assert_str_eq(found[0].container, "-");
	/* The fix removes it here (and writes it into each container). */
	ck_assert_str_eq(found[0].fix, "# remove line 6");
	ck_assert_str_eq(found[1].text, "7:5 'readOnlyRootFilesystem: true' is ignored in "
		"the pod's securityContext: Kubernetes reads it only from each container's, so "
		"containers 'app' and 'debug' are not protected by it");
	ck_assert_str_eq(found[2].text, "8:5 'capabilities' is ignored in the pod's "
		"securityContext: Kubernetes reads it only from each container's, so "
		"containers 'app' and 'debug' are not protected by it");
	ck_assert_str_eq(found[2].path, "spec.securityContext.capabilities");
	/* A value that would not protect "does not apply". */
	ck_assert_str_eq(found[3].text, "9:5 'privileged: true' is ignored in the pod's "
		"securityContext: Kubernetes reads it only from each container's, and every "
		"container sets its own");
	ck_assert_str_eq(found[3].note, "remove it from the pod's securityContext");
	ck_assert_str_eq(found[4].text, "10:5 'procMount: Default' is ignored in the pod's "
		"securityContext: Kubernetes reads it only from each container's, and every "
		"container sets its own");
	for (unsigned i = 0; i < nfound; i++) {
		ck_assert_int_eq(found[i].severity, KC_SEVERITY_ERROR);
	}
}
END_TEST

START_TEST(ineffective_one_container)
{
	check_only("ineffective-security-context",
		"apiVersion: apps/v1\n"                                  /* 1 */
		"kind: Deployment\n"                                     /* 2 */
		"spec:\n"                                                /* 3 */
		"  template:\n"                                          /* 4 */
		"    spec:\n"                                            /* 5 */
		"      securityContext:\n"                               /* 6 */
		"        allowPrivilegeEscalation: false\n"              /* 7 */
		"        privileged: false\n"                            /* 8 */
		"        procMount: ~\n"                                 /* 9 */
		"      containers:\n"                                    /* 10 */
		"      - name: app\n"                                    /* 11 */
		"        securityContext: {runAsUser: 10001}\n");        /* 12 */
	ck_assert_uint_eq(nfound, 2);
	/* One container to move it to: the fix removes it here and writes
	 * it there. */
	ck_assert_str_eq(found[0].container, "app");
	ck_assert_str_eq(found[0].fix, "# remove line 7");
	/* privileged: false protects nothing that the default does not. */
	ck_assert_str_eq(found[1].text, "8:9 'privileged: false' is ignored in the pod's "
		"securityContext: Kubernetes reads it only from each container's, so it does "
		"not apply to container 'app'");
	ck_assert_str_eq(found[1].fix, "# remove line 8");
}
END_TEST

START_TEST(ineffective_container_level)
{
	check_only("ineffective-security-context",
		"apiVersion: v1\n"                                         /* 1 */
		"kind: Pod\n"                                              /* 2 */
		"spec:\n"                                                  /* 3 */
		"  securityContext: {fsGroup: 10001}\n"                    /* 4 */
		"  containers:\n"                                          /* 5 */
		"  - name: app\n"                                          /* 6 */
		"    securityContext:\n"                                   /* 7 */
		"      fsGroup: 2000\n"                                    /* 8 */
		"      fsGroupChangePolicy: OnRootMismatch\n"              /* 9 */
		"      supplementalGroups: [3000]\n"                       /* 10 */
		"      supplementalGroupsPolicy: Strict\n"                 /* 11 */
		"      sysctls: [{name: net.ipv4.ping_group_range, value: 0 1}]\n" /* 12 */
		"      seLinuxChangePolicy: Recursive\n"                   /* 13 */
		"      runAsGroup: 10001\n");                              /* 14 */
	ck_assert_uint_eq(nfound, 6);
	ck_assert_str_eq(found[0].text, "8:7 'fsGroup: 2000' is ignored in the "
		"securityContext of container 'app': Kubernetes reads it only from the pod's, "
		"which sets its own");
	ck_assert_str_eq(found[0].note, "");
	ck_assert_str_eq(found[0].container, "app");
	ck_assert_str_eq(found[1].text, "9:7 'fsGroupChangePolicy: OnRootMismatch' is "
		"ignored in the securityContext of container 'app': Kubernetes reads it only "
		"from the pod's, which does not set it");
	ck_assert_str_eq(found[1].note, "move it into spec.securityContext, where it "
		"applies to every container");
	ck_assert_str_eq(found[2].text, "10:7 'supplementalGroups' is ignored in the "
		"securityContext of container 'app': Kubernetes reads it only from the pod's, "
		"which does not set it");
	ck_assert(starts(found[3].text, "11:7 'supplementalGroupsPolicy: Strict'"));
	ck_assert(starts(found[4].text, "12:7 'sysctls' is ignored"));
	ck_assert(starts(found[5].text, "13:7 'seLinuxChangePolicy: Recursive'"));
}
END_TEST

START_TEST(share_pid_namespace)
{
	static const char *const on[] = { "true", "yes", "True" };
	static const char *const off[] = { "false", "null", "no" };
	char yaml[256];
	for (size_t i = 0; i < 3; i++) {
		snprintf(yaml, sizeof(yaml), "apiVersion: v1\nkind: Pod\nspec:\n"
			"  shareProcessNamespace: %s\n  containers: [{name: a}]\n", on[i]);
		check_only("share-process-namespace", yaml);
		ck_assert_uint_eq(nfound, 1);
		ck_assert_str_eq(found[0].path, "spec.shareProcessNamespace");
		ck_assert_str_eq(found[0].fix, "shareProcessNamespace: false\n");
	}
	for (size_t i = 0; i < 3; i++) {
		snprintf(yaml, sizeof(yaml), "apiVersion: v1\nkind: Pod\nspec:\n"
			"  shareProcessNamespace: %s\n  containers: [{name: a}]\n", off[i]);
		check_only("share-process-namespace", yaml);
		ck_assert_uint_eq(nfound, 0);
	}
	/* The field is typed: a quoted "true" is refused, as the API server
	 * refuses it, instead of being read as false. */
	struct t_loaded r = t_load("apiVersion: v1\nkind: Pod\nspec:\n"
		"  shareProcessNamespace: \"true\"\n  containers: [{name: a}]\n", record, NULL);
	ck_assert(!r.ok);
	ck_assert_str_eq(r.diag, "test.yaml:4:26: error: invalid Pod: spec.shareProcessNamespace: "
		"expected a boolean, got the string \"true\" (remove the quotes)\n");
	free(r.diag);
}
END_TEST

START_TEST(ports)
{
	static const char yaml[] =
		"apiVersion: v1\n"                                            /* 1 */
		"kind: Pod\n"                                                 /* 2 */
		"spec:\n"                                                     /* 3 */
		"  initContainers:\n"                                         /* 4 */
		"  - name: init\n"                                            /* 5 */
		"    ports: [{containerPort: 53, hostPort: 53}]\n"            /* 6 */
		"  containers:\n"                                             /* 7 */
		"  - name: app\n"                                             /* 8 */
		"    ports:\n"                                                /* 9 */
		"    - {containerPort: 1023, hostPort: 0}\n"                  /* 10 */
		"    - {containerPort: 1024, hostPort: 8080}\n"               /* 11 */
		"    - {name: metrics, containerPort: 9090}\n";               /* 12 */
	check_only("privileged-port", yaml);
	ck_assert_uint_eq(nfound, 2);
	ck_assert_str_eq(found[0].text, "6:14 container 'init' listens on port 53, below "
		"1024: binding it usually takes root or NET_BIND_SERVICE");
	ck_assert_int_eq(found[0].severity, KC_SEVERITY_INFO);
	ck_assert_str_eq(found[1].path, "spec.containers[app].ports[0].containerPort");
	check_only("host-port", yaml);
	ck_assert_uint_eq(nfound, 2);
	ck_assert_str_eq(found[0].text, "6:33 container 'init' binds port 53 on the node "
		"with hostPort: anything that reaches the node reaches it");
	ck_assert_str_eq(found[1].path, "spec.containers[app].ports[1].hostPort");
}
END_TEST

START_TEST(host_namespaces)
{
	static const char yaml[] =
		"apiVersion: v1\n"
		"kind: Pod\n"
		"spec:\n"
		"  hostNetwork: true\n"
		"  hostPID: false\n"
		"  containers: [{name: a}]\n";
	check_only("host-network", yaml);
	ck_assert_uint_eq(nfound, 1);
	ck_assert_str_eq(found[0].fix, "hostNetwork: false\n");
	ck_assert_str_eq(found[0].container, "-");
	check_only("host-pid", yaml);
	ck_assert_uint_eq(nfound, 0);
	check_only("host-ipc", yaml);
	ck_assert_uint_eq(nfound, 0);
}
END_TEST

START_TEST(defaults)
{
	/* On by default, or off (the PSS checks cover them, or they are a
	 * matter of taste), as the catalog says. */
	static const char *const on[] = { "container-runtime-socket",
		"dangerous-capabilities", "ineffective-security-context",
		"net-raw-not-dropped", "pod-security-context-missing", "run-as-group-root",
		"sensitive-host-path", "share-process-namespace", "writable-host-path" };
	static const char *const off[] = { "gid-below-threshold", "host-ipc",
		"host-network", "host-pid", "host-port", "privileged-port",
		"uid-below-threshold" };
	for (size_t i = 0; i < sizeof(on) / sizeof(on[0]); i++) {
		const struct kc_rule_meta *m = kc_policy_find(&policy, on[i]);
		ck_assert_msg(m != NULL && m->on_by_default, "%s", on[i]);
	}
	for (size_t i = 0; i < sizeof(off) / sizeof(off[0]); i++) {
		const struct kc_rule_meta *m = kc_policy_find(&policy, off[i]);
		ck_assert_msg(m != NULL && !m->on_by_default, "%s", off[i]);
	}
}
END_TEST

static void add(Suite *s, const char *name, const TTest *t, bool engine)
{
	TCase *tc = tcase_create(name);
	if (engine) {
		tcase_add_checked_fixture(tc, setup, teardown);
	}
	tcase_add_test(tc, t);
	suite_add_tcase(s, tc);
}

static Suite *host_suite(void)
{
	Suite *s = suite_create("host");
	add(s, "host_path_clean", host_path_clean, false);
	add(s, "path_within", path_within, false);
	add(s, "quote_list", quote_list, false);
	add(s, "node_bool", node_bool, false);
	add(s, "runtime_socket_paths", runtime_socket_paths, true);
	add(s, "runtime_socket_users", runtime_socket_users, true);
	add(s, "sensitive_paths", sensitive_paths, true);
	add(s, "writable_mounts", writable_mounts, true);
	add(s, "net_raw_spellings", net_raw_spellings, true);
	add(s, "net_raw_windows", net_raw_windows, true);
	add(s, "dangerous_default", dangerous_default, true);
	add(s, "dangerous_allowed", dangerous_allowed, true);
	add(s, "uid_threshold", uid_threshold, true);
	add(s, "gid_threshold", gid_threshold, true);
	add(s, "group_root", group_root, true);
	add(s, "pod_context_missing", pod_context_missing, true);
	add(s, "ineffective_pod_level", ineffective_pod_level, true);
	add(s, "ineffective_one_container", ineffective_one_container, true);
	add(s, "ineffective_container_level", ineffective_container_level, true);
	add(s, "share_pid_namespace", share_pid_namespace, true);
	add(s, "ports", ports, true);
	add(s, "host_namespaces", host_namespaces, true);
	add(s, "defaults", defaults, true);
	return s;
}

int main(void)
{
	return t_run(host_suite());
}
