/*
 * kc-bench-gen DIR: write the benchmark corpus, the same bytes on every run.
 *
 *   DIR/tree/<namespace>/<app>/<file>   several thousand manifests of mixed
 *                                       kinds and sizes (YAML, some JSON,
 *                                       multi-document files, Lists)
 *   DIR/stream.yaml                     one ~50 MiB multi-document stream
 *   DIR/one.yaml                        one typical Deployment (~80 lines)
 *
 * Everything comes from one fixed-seed PRNG (splitmix64), never rand(), so
 * the corpus depends on this file only. The security settings vary so that
 * every rule fires on part of the corpus and passes on the rest.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#define TREE_FILES 4000u
#define STREAM_BYTES (50u * 1024u * 1024u)

/* ---- output buffer ------------------------------------------------------ */

struct buf {
	char *p;
	size_t len;
	size_t cap;
};

static void die(const char *what)
{
	fprintf(stderr, "kc-bench-gen: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void reserve(struct buf *b, size_t n)
{
	if (b->len + n + 1 <= b->cap) {
		return;
	}
	size_t cap = b->cap ? b->cap : 4096;
	while (cap < b->len + n + 1) {
		cap *= 2;
	}
	char *p = realloc(b->p, cap);
	if (p == NULL) {
		die("realloc");
	}
	b->p = p;
	b->cap = cap;
}

static void putsn(struct buf *b, const char *s, size_t n)
{
	reserve(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

#if defined(__GNUC__)
#define GEN_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define GEN_PRINTF(fmt, args)
#endif

static void put(struct buf *b, const char *fmt, ...) GEN_PRINTF(2, 3);

static void put(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* One line at an indentation of ind spaces. */
static void line(struct buf *b, int ind, const char *fmt, ...) GEN_PRINTF(3, 4);

static void line(struct buf *b, int ind, const char *fmt, ...)
{
	reserve(b, (size_t)ind);
	memset(b->p + b->len, ' ', (size_t)ind);
	b->len += (size_t)ind;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	reserve(b, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	putsn(b, "\n", 1);
}

/* ---- randomness --------------------------------------------------------- */

static uint64_t rng_state = 0x6b38736368656b31u;  /* "k8schek1" */

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15u);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	return z ^ (z >> 31);
}

static unsigned pick(unsigned n)
{
	return (unsigned)(rnd() % n);
}

static bool chance(unsigned percent)
{
	return pick(100) < percent;
}

#define ONE_OF(a) ((a)[pick(sizeof(a) / sizeof(*(a)))])

static const char *const apps[] = {
	"api-gateway", "auth", "billing", "cart", "catalog", "checkout",
	"currency", "email", "fluentd", "frontend", "grafana", "inventory",
	"kafka", "ledger", "loadgen", "memcached", "mongo", "nginx",
	"notifications", "orders", "payments", "postgres", "prometheus",
	"rabbitmq", "recommendations", "redis", "reports", "search", "shipping",
	"users", "webhooks", "worker",
};
static const char *const namespaces[] = {
	"default", "payments", "storefront", "platform", "observability",
	"data", "batch", "edge", "identity", "search", "team-a", "team-b",
};
static const char *const registries[] = {
	"registry.example.com/platform", "ghcr.io/example", "docker.io/library",
	"quay.io/example", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/apps",
};
static const char *const tiers[] = { "frontend", "backend", "cache", "db", "batch" };
static const char *const env_names[] = {
	"LOG_LEVEL", "PORT", "DATABASE_URL", "REDIS_HOST", "FEATURE_FLAGS",
	"OTEL_EXPORTER_OTLP_ENDPOINT", "JAVA_OPTS", "NODE_ENV", "GOMAXPROCS",
	"TZ", "HTTP_PROXY", "NO_PROXY", "CACHE_TTL", "WORKERS", "REGION",
	"SENTRY_DSN", "KAFKA_BROKERS", "S3_BUCKET", "METRICS_PORT", "MODE",
};
static const char *const cpu[] = { "50m", "100m", "250m", "500m", "1", "2" };
static const char *const mem[] = { "64Mi", "128Mi", "256Mi", "512Mi", "1Gi", "2Gi" };

/* ---- workloads ---------------------------------------------------------- */

enum kind {
	K_DEPLOYMENT, K_STATEFULSET, K_DAEMONSET, K_JOB, K_CRONJOB, K_POD,
	K_SERVICE, K_CONFIGMAP,
};

struct app {
	const char *base;
	char name[64];
	const char *ns;
	const char *tier;
	unsigned version;
	unsigned port;
};

static void new_app(struct app *a, unsigned serial)
{
	a->base = ONE_OF(apps);
	snprintf(a->name, sizeof(a->name), "%s-%u", a->base, serial);
	a->ns = ONE_OF(namespaces);
	a->tier = ONE_OF(tiers);
	a->version = pick(40);
	a->port = 8000 + pick(1000);
}

static void labels(struct buf *b, int ind, const struct app *a, bool extra)
{
	line(b, ind, "labels:");
	line(b, ind + 2, "app: %s", a->name);
	line(b, ind + 2, "app.kubernetes.io/name: %s", a->base);
	line(b, ind + 2, "tier: %s", a->tier);
	if (extra) {
		line(b, ind + 2, "app.kubernetes.io/version: \"1.%u.0\"", a->version);
		line(b, ind + 2, "app.kubernetes.io/part-of: shop");
		line(b, ind + 2, "app.kubernetes.io/managed-by: kustomize");
	}
}

static void annotations(struct buf *b, int ind, const struct app *a)
{
	unsigned n = pick(8);
	if (n == 0) {
		return;
	}
	line(b, ind, "annotations:");
	static const char *const keys[] = {
		"prometheus.io/scrape", "prometheus.io/port", "kubernetes.io/change-cause",
		"example.com/owner", "example.com/oncall", "checksum/config",
		"linkerd.io/inject", "cluster-autoscaler.kubernetes.io/safe-to-evict",
	};
	for (unsigned i = 0; i < n && i < 8; i++) {
		switch (i) {
		case 1:
			line(b, ind + 2, "%s: \"%u\"", keys[i], a->port);
			break;
		case 5:
			line(b, ind + 2, "%s: %016llx%016llx", keys[i],
				(unsigned long long)rnd(), (unsigned long long)rnd());
			break;
		case 2:
			line(b, ind + 2, "%s: \"deploy %s 1.%u.0 from pipeline %u\"",
				keys[i], a->base, a->version, pick(100000));
			break;
		default:
			line(b, ind + 2, "%s: \"%s\"", keys[i], i == 0 || i == 6 || i == 7
				? "true" : a->ns);
			break;
		}
	}
}

static void metadata(struct buf *b, const struct app *a, const char *suffix)
{
	line(b, 0, "metadata:");
	line(b, 2, "name: %s%s", a->name, suffix);
	if (chance(85)) {
		line(b, 2, "namespace: %s", a->ns);
	}
	labels(b, 2, a, chance(60));
	annotations(b, 2, a);
}

/* How secure a pod is: fixed per pod so that settings agree or clash. */
struct posture {
	bool pod_nonroot;     /* pod-level runAsNonRoot: true */
	bool pod_root;        /* pod-level runAsUser: 0 */
	bool pod_sc;          /* a pod securityContext at all */
	unsigned container;   /* 0 none, 1 hardened, 2 partial, 3 bad */
};

static struct posture posture(void)
{
	struct posture p = { 0 };
	p.pod_sc = chance(60);
	p.pod_nonroot = p.pod_sc && chance(60);
	p.pod_root = p.pod_sc && !p.pod_nonroot && chance(10);
	unsigned r = pick(100);
	p.container = r < 30 ? 0 : r < 70 ? 1 : r < 90 ? 2 : 3;
	return p;
}

static void probe(struct buf *b, int ind, const char *name, unsigned port)
{
	line(b, ind, "%s:", name);
	switch (pick(3)) {
	case 0:
		line(b, ind + 2, "httpGet:");
		line(b, ind + 4, "path: /%s", chance(50) ? "healthz" : "ready");
		line(b, ind + 4, "port: %u", port);
		break;
	case 1:
		line(b, ind + 2, "tcpSocket:");
		line(b, ind + 4, "port: %u", port);
		break;
	default:
		line(b, ind + 2, "exec:");
		line(b, ind + 4, "command: [\"/bin/sh\", \"-c\", \"test -f /tmp/ready\"]");
		break;
	}
	line(b, ind + 2, "initialDelaySeconds: %u", 5 + pick(30));
	line(b, ind + 2, "periodSeconds: %u", 5 + pick(10));
	if (chance(40)) {
		line(b, ind + 2, "failureThreshold: %u", 3 + pick(3));
	}
}

static void container_sc(struct buf *b, int ind, unsigned level)
{
	if (level == 0) {
		return;
	}
	line(b, ind, "securityContext:");
	if (level == 1) {
		line(b, ind + 2, "allowPrivilegeEscalation: false");
		line(b, ind + 2, "readOnlyRootFilesystem: true");
		line(b, ind + 2, "runAsNonRoot: true");
		line(b, ind + 2, "runAsUser: %u", 1000 + pick(60000));
		line(b, ind + 2, "capabilities:");
		if (chance(50)) {
			line(b, ind + 4, "drop:");
			line(b, ind + 4, "- ALL");
		} else {
			line(b, ind + 4, "drop: [\"ALL\"]");
		}
		if (chance(20)) {
			line(b, ind + 2, "seccompProfile:");
			line(b, ind + 4, "type: RuntimeDefault");
		}
	} else if (level == 2) {
		line(b, ind + 2, "allowPrivilegeEscalation: false");
		if (chance(50)) {
			line(b, ind + 2, "readOnlyRootFilesystem: %s",
				chance(50) ? "true" : "false");
		}
		if (chance(50)) {
			line(b, ind + 2, "capabilities:");
			line(b, ind + 4, "drop:");
			line(b, ind + 4, "- %s", chance(50) ? "all" : "NET_RAW");
		}
	} else {
		line(b, ind + 2, "privileged: %s", chance(50) ? "true" : "false");
		line(b, ind + 2, "runAsUser: 0");
		line(b, ind + 2, "runAsNonRoot: false");
		if (chance(50)) {
			line(b, ind + 2, "capabilities:");
			line(b, ind + 4, "add: [\"NET_ADMIN\", \"SYS_TIME\"]");
		}
		if (chance(50)) {
			line(b, ind + 2, "seccompProfile:");
			line(b, ind + 4, "type: Unconfined");
		}
		if (chance(20)) {
			line(b, ind + 2, "seLinuxOptions:");
			line(b, ind + 4, "type: spc_t");
		}
		if (chance(10)) {
			line(b, ind + 2, "procMount: Unmasked");
		}
		if (chance(10)) {
			line(b, ind + 2, "appArmorProfile:");
			line(b, ind + 4, "type: Unconfined");
		}
	}
}

static void container(struct buf *b, int ind, const struct app *a,
	const char *name, const struct posture *p, bool init)
{
	line(b, ind, "- name: %s", name);
	ind += 2;
	if (chance(8)) {
		line(b, ind, "image: %s/%s:latest", ONE_OF(registries), a->base);
	} else if (chance(5)) {
		line(b, ind, "image: %s", a->base);
	} else {
		line(b, ind, "image: %s/%s:1.%u.%u", ONE_OF(registries), a->base,
			a->version, pick(10));
	}
	if (chance(60)) {
		line(b, ind, "imagePullPolicy: %s", chance(70) ? "IfNotPresent" : "Always");
	}
	if (init) {
		line(b, ind, "command: [\"sh\", \"-c\", \"until nc -z %s 5432; do sleep 1; done\"]",
			ONE_OF(apps));
	} else if (chance(40)) {
		line(b, ind, "args:");
		unsigned n = 1 + pick(5);
		for (unsigned i = 0; i < n; i++) {
			line(b, ind, "- --flag-%u=%u", i, pick(1000));
		}
	}
	if (!init) {
		line(b, ind, "ports:");
		line(b, ind, "- name: http");
		line(b, ind + 2, "containerPort: %u", a->port);
		line(b, ind + 2, "protocol: TCP");
		if (chance(3)) {
			line(b, ind + 2, "hostPort: %u", a->port);
		}
		if (chance(40)) {
			line(b, ind, "- name: metrics");
			line(b, ind + 2, "containerPort: 9090");
		}
	}
	/* Mostly short env lists, a few very long ones. */
	unsigned nenv = chance(15) ? 20 + pick(40) : pick(8);
	if (nenv > 0) {
		line(b, ind, "env:");
		for (unsigned i = 0; i < nenv; i++) {
			const char *n = env_names[i % (sizeof(env_names) / sizeof(*env_names))];
			unsigned k = i / (unsigned)(sizeof(env_names) / sizeof(*env_names));
			if (chance(15)) {
				line(b, ind, "- name: %s_%u", n, k);
				line(b, ind + 2, "valueFrom:");
				line(b, ind + 4, "%s:", chance(50) ? "secretKeyRef" : "configMapKeyRef");
				line(b, ind + 6, "name: %s-%s", a->name, chance(50) ? "secrets" : "config");
				line(b, ind + 6, "key: %s", n);
			} else {
				line(b, ind, "- name: %s_%u", n, k);
				line(b, ind + 2, "value: \"%s-%u\"", a->ns, pick(100000));
			}
		}
	}
	if (chance(80)) {
		line(b, ind, "resources:");
		if (chance(30)) {
			line(b, ind + 2, "requests: {cpu: %s, memory: %s}", ONE_OF(cpu), ONE_OF(mem));
		} else {
			line(b, ind + 2, "requests:");
			line(b, ind + 4, "cpu: %s", ONE_OF(cpu));
			line(b, ind + 4, "memory: %s", ONE_OF(mem));
		}
		if (chance(70)) {
			line(b, ind + 2, "limits:");
			line(b, ind + 4, "cpu: %s", ONE_OF(cpu));
			line(b, ind + 4, "memory: %s", ONE_OF(mem));
		}
	}
	if (!init && chance(70)) {
		probe(b, ind, "livenessProbe", a->port);
		probe(b, ind, "readinessProbe", a->port);
	}
	if (chance(50)) {
		line(b, ind, "volumeMounts:");
		line(b, ind, "- name: config");
		line(b, ind + 2, "mountPath: /etc/%s", a->base);
		line(b, ind + 2, "readOnly: true");
		if (chance(50)) {
			line(b, ind, "- name: tmp");
			line(b, ind + 2, "mountPath: /tmp");
		}
	}
	/* Containers of one pod differ a little. */
	unsigned level = p->container;
	if (chance(15)) {
		level = pick(4);
	}
	container_sc(b, ind, level);
}

static void pod_spec(struct buf *b, int ind, const struct app *a, bool job)
{
	struct posture p = posture();
	if (chance(20)) {
		line(b, ind, "# %s: pinned to the %s pool", a->name, a->tier);
	}
	if (chance(50)) {
		line(b, ind, "serviceAccountName: %s", a->name);
	}
	if (chance(20)) {
		line(b, ind, "automountServiceAccountToken: false");
	}
	if (job) {
		line(b, ind, "restartPolicy: %s", chance(50) ? "Never" : "OnFailure");
	}
	if (chance(3)) {
		line(b, ind, "hostNetwork: true");
		line(b, ind, "dnsPolicy: ClusterFirstWithHostNet");
	}
	if (chance(1)) {
		line(b, ind, "hostPID: true");
	}
	if (p.pod_sc) {
		line(b, ind, "securityContext:");
		if (p.pod_nonroot) {
			line(b, ind + 2, "runAsNonRoot: true");
		}
		if (p.pod_root) {
			line(b, ind + 2, "runAsUser: 0");
		} else if (chance(60)) {
			line(b, ind + 2, "runAsUser: %u", 1000 + pick(60000));
			line(b, ind + 2, "runAsGroup: %u", 1000 + pick(60000));
		}
		line(b, ind + 2, "fsGroup: %u", 1000 + pick(60000));
		if (chance(50)) {
			line(b, ind + 2, "seccompProfile:");
			line(b, ind + 4, "type: RuntimeDefault");
		}
		if (chance(4)) {
			line(b, ind + 2, "sysctls:");
			line(b, ind + 2, "- name: %s", chance(50) ? "net.core.somaxconn"
				: "net.ipv4.ip_local_port_range");
			line(b, ind + 4, "value: \"%s\"", "1024 65000");
		}
	}
	if (chance(15)) {
		line(b, ind, "initContainers:");
		container(b, ind, a, "wait-for-db", &p, true);
	}
	line(b, ind, "containers:");
	container(b, ind, a, a->base, &p, false);
	/* Sidecars. */
	unsigned extra = chance(25) ? 1 + pick(3) : 0;
	static const char *const sidecars[] = { "istio-proxy", "log-shipper",
		"config-reloader", "oauth2-proxy" };
	for (unsigned i = 0; i < extra; i++) {
		container(b, ind, a, sidecars[i], &p, false);
	}
	bool config = chance(50), host = chance(5);
	if (config || host) {
		line(b, ind, "volumes:");
	}
	if (config) {
		line(b, ind, "- name: config");
		line(b, ind + 2, "configMap:");
		line(b, ind + 4, "name: %s-config", a->name);
		line(b, ind, "- name: tmp");
		line(b, ind + 2, "emptyDir: {}");
	}
	if (host) {
		line(b, ind, "- name: host-logs");
		line(b, ind + 2, "hostPath:");
		line(b, ind + 4, "path: /var/log");
		line(b, ind + 4, "type: Directory");
	}
	if (chance(30)) {
		line(b, ind, "nodeSelector:");
		line(b, ind + 2, "kubernetes.io/os: linux");
		line(b, ind + 2, "node.example.com/pool: %s", a->tier);
	}
	if (chance(20)) {
		line(b, ind, "tolerations:");
		line(b, ind, "- key: dedicated");
		line(b, ind + 2, "operator: Equal");
		line(b, ind + 2, "value: %s", a->tier);
		line(b, ind + 2, "effect: NoSchedule");
	}
	if (chance(15)) {
		line(b, ind, "affinity:");
		line(b, ind + 2, "podAntiAffinity:");
		line(b, ind + 4, "preferredDuringSchedulingIgnoredDuringExecution:");
		line(b, ind + 4, "- weight: 100");
		line(b, ind + 6, "podAffinityTerm:");
		line(b, ind + 8, "topologyKey: kubernetes.io/hostname");
		line(b, ind + 8, "labelSelector:");
		line(b, ind + 10, "matchLabels:");
		line(b, ind + 12, "app: %s", a->name);
	}
}

static void pod_template(struct buf *b, int ind, const struct app *a, bool job)
{
	line(b, ind, "template:");
	line(b, ind + 2, "metadata:");
	labels(b, ind + 4, a, false);
	if (chance(40)) {
		line(b, ind + 4, "annotations:");
		line(b, ind + 6, "prometheus.io/scrape: \"true\"");
		line(b, ind + 6, "prometheus.io/port: \"%u\"", a->port);
	}
	line(b, ind + 2, "spec:");
	pod_spec(b, ind + 4, a, job);
}

static void selector(struct buf *b, int ind, const struct app *a)
{
	line(b, ind, "selector:");
	line(b, ind + 2, "matchLabels:");
	line(b, ind + 4, "app: %s", a->name);
}

static void workload(struct buf *b, enum kind k, const struct app *a)
{
	switch (k) {
	case K_DEPLOYMENT:
		line(b, 0, "apiVersion: apps/v1");
		line(b, 0, "kind: Deployment");
		metadata(b, a, "");
		line(b, 0, "spec:");
		line(b, 2, "replicas: %u", 1 + pick(6));
		if (chance(40)) {
			line(b, 2, "revisionHistoryLimit: 5");
			line(b, 2, "strategy:");
			line(b, 4, "type: RollingUpdate");
			line(b, 4, "rollingUpdate: {maxSurge: 25%%, maxUnavailable: 0}");
		}
		selector(b, 2, a);
		pod_template(b, 2, a, false);
		break;
	case K_STATEFULSET:
		line(b, 0, "apiVersion: apps/v1");
		line(b, 0, "kind: StatefulSet");
		metadata(b, a, "");
		line(b, 0, "spec:");
		line(b, 2, "serviceName: %s", a->name);
		line(b, 2, "replicas: %u", 1 + pick(5));
		selector(b, 2, a);
		pod_template(b, 2, a, false);
		line(b, 2, "volumeClaimTemplates:");
		line(b, 2, "- metadata:");
		line(b, 6, "name: data");
		line(b, 4, "spec:");
		line(b, 6, "accessModes: [\"ReadWriteOnce\"]");
		line(b, 6, "resources:");
		line(b, 8, "requests:");
		line(b, 10, "storage: %uGi", 1 + pick(100));
		break;
	case K_DAEMONSET:
		line(b, 0, "apiVersion: apps/v1");
		line(b, 0, "kind: DaemonSet");
		metadata(b, a, "");
		line(b, 0, "spec:");
		selector(b, 2, a);
		line(b, 2, "updateStrategy:");
		line(b, 4, "type: RollingUpdate");
		pod_template(b, 2, a, false);
		break;
	case K_JOB:
		line(b, 0, "apiVersion: batch/v1");
		line(b, 0, "kind: Job");
		metadata(b, a, "-migrate");
		line(b, 0, "spec:");
		line(b, 2, "backoffLimit: %u", pick(6));
		line(b, 2, "ttlSecondsAfterFinished: 3600");
		pod_template(b, 2, a, true);
		break;
	case K_CRONJOB:
		line(b, 0, "apiVersion: batch/v1");
		line(b, 0, "kind: CronJob");
		metadata(b, a, "-nightly");
		line(b, 0, "spec:");
		line(b, 2, "schedule: \"%u %u * * *\"", pick(60), pick(24));
		line(b, 2, "concurrencyPolicy: Forbid");
		line(b, 2, "jobTemplate:");
		line(b, 4, "spec:");
		line(b, 6, "backoffLimit: 2");
		pod_template(b, 6, a, true);
		break;
	case K_POD:
		line(b, 0, "apiVersion: v1");
		line(b, 0, "kind: Pod");
		metadata(b, a, "-debug");
		line(b, 0, "spec:");
		pod_spec(b, 2, a, false);
		break;
	case K_SERVICE:
		line(b, 0, "apiVersion: v1");
		line(b, 0, "kind: Service");
		metadata(b, a, "");
		line(b, 0, "spec:");
		line(b, 2, "type: %s", chance(80) ? "ClusterIP" : "LoadBalancer");
		line(b, 2, "selector:");
		line(b, 4, "app: %s", a->name);
		line(b, 2, "ports:");
		line(b, 2, "- name: http");
		line(b, 4, "port: 80");
		line(b, 4, "targetPort: %u", a->port);
		break;
	case K_CONFIGMAP: {
		line(b, 0, "apiVersion: v1");
		line(b, 0, "kind: ConfigMap");
		metadata(b, a, "-config");
		line(b, 0, "data:");
		line(b, 2, "LOG_LEVEL: %s", chance(50) ? "info" : "debug");
		line(b, 2, "config.yaml: |");
		/* A block scalar: text to skip over, sometimes long. */
		unsigned n = chance(10) ? 100 + pick(400) : 5 + pick(40);
		for (unsigned i = 0; i < n; i++) {
			line(b, 4, "setting_%u: value-%u   # %s", i, pick(100000),
				chance(30) ? "tuned for production" : "default");
		}
		break;
	}
	}
}

/* A Deployment in JSON, as `kubectl get -o json` writes it. */
static void workload_json(struct buf *b, const struct app *a)
{
	struct posture p = posture();
	put(b, "{\n  \"apiVersion\": \"apps/v1\",\n  \"kind\": \"Deployment\",\n");
	put(b, "  \"metadata\": {\n    \"name\": \"%s\",\n    \"namespace\": \"%s\",\n"
		"    \"labels\": {\"app\": \"%s\", \"tier\": \"%s\"}\n  },\n",
		a->name, a->ns, a->name, a->tier);
	put(b, "  \"spec\": {\n    \"replicas\": %u,\n"
		"    \"selector\": {\"matchLabels\": {\"app\": \"%s\"}},\n"
		"    \"template\": {\n      \"metadata\": {\"labels\": {\"app\": \"%s\"}},\n"
		"      \"spec\": {\n", 1 + pick(5), a->name, a->name);
	if (p.pod_nonroot) {
		put(b, "        \"securityContext\": {\"runAsNonRoot\": true, "
			"\"runAsUser\": %u},\n", 1000 + pick(60000));
	}
	put(b, "        \"containers\": [\n");
	unsigned nc = 1 + (chance(20) ? 1 : 0);
	for (unsigned c = 0; c < nc; c++) {
		put(b, "          {\n            \"name\": \"%s\",\n"
			"            \"image\": \"%s/%s:1.%u.0\",\n"
			"            \"ports\": [{\"containerPort\": %u, \"protocol\": \"TCP\"}],\n",
			c ? "sidecar" : a->base, ONE_OF(registries), a->base, a->version,
			a->port + c);
		unsigned nenv = pick(10);
		put(b, "            \"env\": [");
		for (unsigned i = 0; i < nenv; i++) {
			put(b, "%s\n              {\"name\": \"%s\", \"value\": \"%u\"}",
				i ? "," : "", env_names[i], pick(1000));
		}
		put(b, "%s],\n", nenv ? "\n            " : "");
		put(b, "            \"resources\": {\"requests\": {\"cpu\": \"%s\", "
			"\"memory\": \"%s\"}},\n", ONE_OF(cpu), ONE_OF(mem));
		switch (p.container) {
		case 1:
			put(b, "            \"securityContext\": {\n"
				"              \"allowPrivilegeEscalation\": false,\n"
				"              \"readOnlyRootFilesystem\": true,\n"
				"              \"runAsNonRoot\": true,\n"
				"              \"capabilities\": {\"drop\": [\"ALL\"]}\n"
				"            }\n");
			break;
		case 3:
			put(b, "            \"securityContext\": {\"runAsUser\": 0, "
				"\"privileged\": true}\n");
			break;
		default:
			put(b, "            \"imagePullPolicy\": \"IfNotPresent\"\n");
			break;
		}
		put(b, "          }%s\n", c + 1 < nc ? "," : "");
	}
	put(b, "        ]\n      }\n    }\n  }\n}\n");
}

/* Indent every line of src by two spaces, the first with "- " instead. */
static void as_list_item(struct buf *b, const struct buf *src)
{
	const char *p = src->p, *end = src->p + src->len;
	bool first = true;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		putsn(b, first ? "- " : "  ", 2);
		putsn(b, p, n);
		first = false;
		p += n;
	}
}

static enum kind workload_kind(void)
{
	unsigned r = pick(100);
	return r < 50 ? K_DEPLOYMENT : r < 62 ? K_STATEFULSET : r < 72 ? K_DAEMONSET
		: r < 82 ? K_JOB : r < 92 ? K_CRONJOB : K_POD;
}

static enum kind any_kind(void)
{
	unsigned r = pick(100);
	return r < 70 ? workload_kind() : r < 85 ? K_SERVICE : K_CONFIGMAP;
}

static const char *const kind_file[] = {
	[K_DEPLOYMENT] = "deployment", [K_STATEFULSET] = "statefulset",
	[K_DAEMONSET] = "daemonset", [K_JOB] = "job", [K_CRONJOB] = "cronjob",
	[K_POD] = "pod", [K_SERVICE] = "service", [K_CONFIGMAP] = "configmap",
};

/* ---- files -------------------------------------------------------------- */

static void mkdirs(const char *path)
{
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			if (mkdir(tmp, 0777) != 0 && errno != EEXIST) {
				die(tmp);
			}
			*p = '/';
		}
	}
	if (mkdir(tmp, 0777) != 0 && errno != EEXIST) {
		die(tmp);
	}
}

static void write_file(const char *path, const struct buf *b)
{
	FILE *f = fopen(path, "wb");
	if (f == NULL) {
		die(path);
	}
	if (fwrite(b->p, 1, b->len, f) != b->len || fclose(f) != 0) {
		die(path);
	}
}

/* One file of the tree: returns its extension and fills b. */
static const char *tree_file(struct buf *b, const struct app *a, char *stem,
	size_t stem_size)
{
	unsigned r = pick(100);
	if (r < 62) {
		/* One resource. */
		enum kind k = any_kind();
		if (chance(30)) {
			line(b, 0, "# %s %s, managed by the platform team", a->name,
				kind_file[k]);
		}
		if (chance(20)) {
			line(b, 0, "---");
		}
		workload(b, k, a);
		snprintf(stem, stem_size, "%s", kind_file[k]);
		return chance(10) ? "yml" : "yaml";
	}
	if (r < 88) {
		/* A bundle: the workload, its Service and its ConfigMap. */
		workload(b, workload_kind(), a);
		line(b, 0, "---");
		workload(b, K_SERVICE, a);
		line(b, 0, "---");
		if (chance(30)) {
			line(b, 0, "# configuration");
		}
		workload(b, K_CONFIGMAP, a);
		unsigned more = pick(3);
		for (unsigned i = 0; i < more; i++) {
			line(b, 0, "---");
			workload(b, any_kind(), a);
		}
		snprintf(stem, stem_size, "bundle");
		return "yaml";
	}
	if (r < 94) {
		/* A List, as `kubectl get -o yaml` writes it. */
		line(b, 0, "apiVersion: v1");
		line(b, 0, "kind: List");
		line(b, 0, "items:");
		unsigned n = 2 + pick(5);
		struct buf item = { 0 };
		for (unsigned i = 0; i < n; i++) {
			item.len = 0;
			workload(&item, any_kind(), a);
			as_list_item(b, &item);
		}
		free(item.p);
		line(b, 0, "metadata:");
		line(b, 2, "resourceVersion: \"\"");
		snprintf(stem, stem_size, "list");
		return "yaml";
	}
	workload_json(b, a);
	snprintf(stem, stem_size, "deployment");
	return "json";
}

static void gen_tree(const char *dir)
{
	char path[4096];
	struct buf b = { 0 };
	struct app a;
	unsigned files_in_app = 0;
	unsigned serial = 0;
	for (unsigned i = 0; i < TREE_FILES; i++) {
		if (files_in_app == 0) {
			new_app(&a, serial++);
			files_in_app = 1 + pick(5);
			snprintf(path, sizeof(path), "%s/tree/%s/%s", dir, a.ns, a.name);
			mkdirs(path);
		}
		files_in_app--;
		b.len = 0;
		char stem[32];
		const char *ext = tree_file(&b, &a, stem, sizeof(stem));
		snprintf(path, sizeof(path), "%s/tree/%s/%s/%02u-%s.%s", dir, a.ns,
			a.name, files_in_app, stem, ext);
		write_file(path, &b);
	}
	free(b.p);
}

static void gen_stream(const char *dir)
{
	char path[4096];
	struct buf b = { 0 };
	struct app a;
	unsigned serial = 100000;
	line(&b, 0, "# A multi-document stream, as `helm template` or kustomize writes it.");
	while (b.len < STREAM_BYTES) {
		new_app(&a, serial++);
		line(&b, 0, "---");
		line(&b, 0, "# Source: shop/templates/%s.yaml", a.base);
		workload(&b, any_kind(), &a);
	}
	snprintf(path, sizeof(path), "%s/stream.yaml", dir);
	write_file(path, &b);
	free(b.p);
}

/* The editor case: one ordinary Deployment, written out by hand. */
static const char one_yaml[] =
"# payments API: a typical hand-written manifest\n"
"apiVersion: apps/v1\n"
"kind: Deployment\n"
"metadata:\n"
"  name: payments-api\n"
"  namespace: payments\n"
"  labels:\n"
"    app.kubernetes.io/name: payments-api\n"
"    app.kubernetes.io/part-of: shop\n"
"    app.kubernetes.io/version: \"2.14.1\"\n"
"  annotations:\n"
"    kubernetes.io/change-cause: \"release 2.14.1\"\n"
"spec:\n"
"  replicas: 3\n"
"  revisionHistoryLimit: 5\n"
"  selector:\n"
"    matchLabels:\n"
"      app.kubernetes.io/name: payments-api\n"
"  strategy:\n"
"    type: RollingUpdate\n"
"    rollingUpdate:\n"
"      maxSurge: 1\n"
"      maxUnavailable: 0\n"
"  template:\n"
"    metadata:\n"
"      labels:\n"
"        app.kubernetes.io/name: payments-api\n"
"      annotations:\n"
"        prometheus.io/scrape: \"true\"\n"
"        prometheus.io/port: \"9090\"\n"
"    spec:\n"
"      serviceAccountName: payments-api\n"
"      securityContext:\n"
"        runAsNonRoot: true\n"
"        runAsUser: 10001\n"
"        fsGroup: 10001\n"
"      containers:\n"
"      - name: api\n"
"        image: registry.example.com/shop/payments-api:2.14.1\n"
"        imagePullPolicy: IfNotPresent\n"
"        args: [\"--listen=:8080\", \"--metrics=:9090\"]\n"
"        ports:\n"
"        - name: http\n"
"          containerPort: 8080\n"
"        - name: metrics\n"
"          containerPort: 9090\n"
"        env:\n"
"        - name: LOG_LEVEL\n"
"          value: info\n"
"        - name: DATABASE_URL\n"
"          valueFrom:\n"
"            secretKeyRef:\n"
"              name: payments-db\n"
"              key: url\n"
"        resources:\n"
"          requests:\n"
"            cpu: 250m\n"
"            memory: 256Mi\n"
"          limits:\n"
"            cpu: \"1\"\n"
"            memory: 512Mi\n"
"        livenessProbe:\n"
"          httpGet:\n"
"            path: /healthz\n"
"            port: http\n"
"          initialDelaySeconds: 10\n"
"        readinessProbe:\n"
"          httpGet:\n"
"            path: /ready\n"
"            port: http\n"
"        securityContext:\n"
"          allowPrivilegeEscalation: false\n"
"          capabilities:\n"
"            drop:\n"
"            - all\n"
"        volumeMounts:\n"
"        - name: tmp\n"
"          mountPath: /tmp\n"
"      volumes:\n"
"      - name: tmp\n"
"        emptyDir: {}\n";

int main(int argc, char **argv)
{
	if (argc != 2) {
		fputs("usage: kc-bench-gen DIR\n", stderr);
		return 2;
	}
	const char *dir = argv[1];
	mkdirs(dir);
	char path[4096];
	snprintf(path, sizeof(path), "%s/one.yaml", dir);
	struct buf one = { .p = (char *)one_yaml, .len = sizeof(one_yaml) - 1 };
	write_file(path, &one);
	gen_tree(dir);
	gen_stream(dir);
	return 0;
}
