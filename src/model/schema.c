/*
 * libcyaml schemas for the typed model. Every optional field is a pointer
 * with CYAML_FLAG_POINTER_NULL_STR, so a missing key and `key: null` both
 * read as NULL: unset, distinct from false and 0.
 */
#include <stddef.h>
#include <string.h>

#include "k8scheck/schema.h"

#define OPT (CYAML_FLAG_OPTIONAL | CYAML_FLAG_POINTER_NULL_STR)
#define STR(key, type, member) \
	CYAML_FIELD_STRING_PTR(key, OPT, type, member, 0, CYAML_UNLIMITED)
#define INT_OR_STR(key, type, member) \
	CYAML_FIELD_STRING_PTR(key, OPT | KC_SCHEMA_INT_OR_STRING, type, member, \
		0, CYAML_UNLIMITED)
#define BOOL(key, type, member) CYAML_FIELD_BOOL_PTR(key, OPT, type, member)
#define INT(key, type, member) CYAML_FIELD_INT_PTR(key, OPT, type, member)
#define MAP(key, type, member, fields) \
	CYAML_FIELD_MAPPING_PTR(key, OPT, type, member, fields)
#define SEQ(key, type, member, entry) \
	CYAML_FIELD_SEQUENCE(key, OPT, type, member, entry, 0, CYAML_UNLIMITED)

static const cyaml_schema_value_t string_entry = {
	CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 0, CYAML_UNLIMITED),
};

static const cyaml_schema_value_t int64_entry = {
	CYAML_VALUE_INT(CYAML_FLAG_DEFAULT, int64_t),
};

static const cyaml_schema_field_t seccomp_fields[] = {
	STR("type", struct kc_seccomp_profile, type),
	STR("localhostProfile", struct kc_seccomp_profile, localhost_profile),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t apparmor_fields[] = {
	STR("type", struct kc_apparmor_profile, type),
	STR("localhostProfile", struct kc_apparmor_profile, localhost_profile),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t selinux_fields[] = {
	STR("user", struct kc_selinux_options, user),
	STR("role", struct kc_selinux_options, role),
	STR("type", struct kc_selinux_options, type),
	STR("level", struct kc_selinux_options, level),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t windows_fields[] = {
	STR("gmsaCredentialSpecName", struct kc_windows_options, gmsa_credential_spec_name),
	STR("gmsaCredentialSpec", struct kc_windows_options, gmsa_credential_spec),
	STR("runAsUserName", struct kc_windows_options, run_as_user_name),
	BOOL("hostProcess", struct kc_windows_options, host_process),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t sysctl_fields[] = {
	STR("name", struct kc_sysctl, name),
	STR("value", struct kc_sysctl, value),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t sysctl_entry = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct kc_sysctl, sysctl_fields),
};

static const cyaml_schema_field_t capabilities_fields[] = {
	SEQ("add", struct kc_capabilities, add, &string_entry),
	SEQ("drop", struct kc_capabilities, drop, &string_entry),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t pod_sc_fields[] = {
	INT("runAsUser", struct kc_pod_security_context, run_as_user),
	INT("runAsGroup", struct kc_pod_security_context, run_as_group),
	BOOL("runAsNonRoot", struct kc_pod_security_context, run_as_non_root),
	INT("fsGroup", struct kc_pod_security_context, fs_group),
	SEQ("supplementalGroups", struct kc_pod_security_context, supplemental_groups,
		&int64_entry),
	MAP("seLinuxOptions", struct kc_pod_security_context, se_linux_options,
		selinux_fields),
	MAP("seccompProfile", struct kc_pod_security_context, seccomp_profile,
		seccomp_fields),
	MAP("appArmorProfile", struct kc_pod_security_context, app_armor_profile,
		apparmor_fields),
	SEQ("sysctls", struct kc_pod_security_context, sysctls, &sysctl_entry),
	MAP("windowsOptions", struct kc_pod_security_context, windows_options,
		windows_fields),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t sc_fields[] = {
	BOOL("privileged", struct kc_security_context, privileged),
	BOOL("allowPrivilegeEscalation", struct kc_security_context,
		allow_privilege_escalation),
	BOOL("readOnlyRootFilesystem", struct kc_security_context,
		read_only_root_filesystem),
	BOOL("runAsNonRoot", struct kc_security_context, run_as_non_root),
	INT("runAsUser", struct kc_security_context, run_as_user),
	INT("runAsGroup", struct kc_security_context, run_as_group),
	MAP("capabilities", struct kc_security_context, capabilities,
		capabilities_fields),
	STR("procMount", struct kc_security_context, proc_mount),
	MAP("seLinuxOptions", struct kc_security_context, se_linux_options,
		selinux_fields),
	MAP("seccompProfile", struct kc_security_context, seccomp_profile,
		seccomp_fields),
	MAP("appArmorProfile", struct kc_security_context, app_armor_profile,
		apparmor_fields),
	MAP("windowsOptions", struct kc_security_context, windows_options,
		windows_fields),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t port_fields[] = {
	STR("name", struct kc_container_port, name),
	INT("containerPort", struct kc_container_port, container_port),
	INT("hostPort", struct kc_container_port, host_port),
	STR("hostIP", struct kc_container_port, host_ip),
	STR("protocol", struct kc_container_port, protocol),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t port_entry = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct kc_container_port, port_fields),
};

static const cyaml_schema_field_t key_selector_fields[] = {
	STR("name", struct kc_key_selector, name),
	STR("key", struct kc_key_selector, key),
	BOOL("optional", struct kc_key_selector, optional),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t env_source_fields[] = {
	MAP("secretKeyRef", struct kc_env_source, secret_key_ref, key_selector_fields),
	MAP("configMapKeyRef", struct kc_env_source, config_map_key_ref,
		key_selector_fields),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t env_fields[] = {
	STR("name", struct kc_env_var, name),
	STR("value", struct kc_env_var, value),
	MAP("valueFrom", struct kc_env_var, value_from, env_source_fields),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t env_entry = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct kc_env_var, env_fields),
};

static const cyaml_schema_field_t quantities_fields[] = {
	INT_OR_STR("cpu", struct kc_quantities, cpu),
	INT_OR_STR("memory", struct kc_quantities, memory),
	INT_OR_STR("ephemeral-storage", struct kc_quantities, ephemeral_storage),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t resources_fields[] = {
	MAP("limits", struct kc_resources, limits, quantities_fields),
	MAP("requests", struct kc_resources, requests, quantities_fields),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t http_get_fields[] = {
	STR("host", struct kc_http_get, host),
	INT_OR_STR("port", struct kc_http_get, port),
	STR("path", struct kc_http_get, path),
	STR("scheme", struct kc_http_get, scheme),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t tcp_socket_fields[] = {
	STR("host", struct kc_tcp_socket, host),
	INT_OR_STR("port", struct kc_tcp_socket, port),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t exec_fields[] = {
	SEQ("command", struct kc_exec_action, command, &string_entry),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t grpc_fields[] = {
	INT("port", struct kc_grpc_action, port),
	STR("service", struct kc_grpc_action, service),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t sleep_fields[] = {
	INT("seconds", struct kc_sleep_action, seconds),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t handler_fields[] = {
	MAP("exec", struct kc_handler, exec, exec_fields),
	MAP("httpGet", struct kc_handler, http_get, http_get_fields),
	MAP("tcpSocket", struct kc_handler, tcp_socket, tcp_socket_fields),
	MAP("grpc", struct kc_handler, grpc, grpc_fields),
	MAP("sleep", struct kc_handler, sleep, sleep_fields),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t lifecycle_fields[] = {
	MAP("postStart", struct kc_lifecycle, post_start, handler_fields),
	MAP("preStop", struct kc_lifecycle, pre_stop, handler_fields),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t volume_mount_fields[] = {
	STR("name", struct kc_volume_mount, name),
	STR("mountPath", struct kc_volume_mount, mount_path),
	STR("subPath", struct kc_volume_mount, sub_path),
	BOOL("readOnly", struct kc_volume_mount, read_only),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t volume_mount_entry = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct kc_volume_mount,
		volume_mount_fields),
};

static const cyaml_schema_field_t container_fields[] = {
	STR("name", struct kc_container, name),
	STR("image", struct kc_container, image),
	STR("imagePullPolicy", struct kc_container, image_pull_policy),
	SEQ("ports", struct kc_container, ports, &port_entry),
	SEQ("env", struct kc_container, env, &env_entry),
	MAP("resources", struct kc_container, resources, resources_fields),
	MAP("livenessProbe", struct kc_container, liveness_probe, handler_fields),
	MAP("readinessProbe", struct kc_container, readiness_probe, handler_fields),
	MAP("startupProbe", struct kc_container, startup_probe, handler_fields),
	MAP("lifecycle", struct kc_container, lifecycle, lifecycle_fields),
	SEQ("volumeMounts", struct kc_container, volume_mounts, &volume_mount_entry),
	MAP("securityContext", struct kc_container, security_context, sc_fields),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t container_entry = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct kc_container, container_fields),
};

static const cyaml_schema_field_t host_path_fields[] = {
	STR("path", struct kc_host_path, path),
	STR("type", struct kc_host_path, type),
	CYAML_FIELD_END
};

/* Sources no rule looks inside: only their presence is recorded. */
static const cyaml_schema_field_t opaque_fields[] = {
	CYAML_FIELD_END
};

#define VOLUME_FIELD_(e, key) \
	MAP(key, struct kc_volume, sources[KC_VOLUME_##e], opaque_fields),

static const cyaml_schema_field_t volume_fields[] = {
	STR("name", struct kc_volume, name),
	MAP("hostPath", struct kc_volume, host_path, host_path_fields),
	/* hostPath has its own field above; the generated one is skipped by
	 * libcyaml because the key was matched first. */
	KC_VOLUME_TYPES(VOLUME_FIELD_)
	CYAML_FIELD_END
};
#undef VOLUME_FIELD_

static const cyaml_schema_value_t volume_entry = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct kc_volume, volume_fields),
};

static const cyaml_schema_field_t os_fields[] = {
	STR("name", struct kc_pod_os, name),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t pod_spec_fields[] = {
	BOOL("hostNetwork", struct kc_pod_spec, host_network),
	BOOL("hostPID", struct kc_pod_spec, host_pid),
	BOOL("hostIPC", struct kc_pod_spec, host_ipc),
	BOOL("hostUsers", struct kc_pod_spec, host_users),
	BOOL("shareProcessNamespace", struct kc_pod_spec, share_process_namespace),
	MAP("os", struct kc_pod_spec, os, os_fields),
	BOOL("automountServiceAccountToken", struct kc_pod_spec,
		automount_service_account_token),
	STR("serviceAccountName", struct kc_pod_spec, service_account_name),
	STR("runtimeClassName", struct kc_pod_spec, runtime_class_name),
	MAP("securityContext", struct kc_pod_spec, security_context, pod_sc_fields),
	SEQ("volumes", struct kc_pod_spec, volumes, &volume_entry),
	SEQ("initContainers", struct kc_pod_spec, init_containers, &container_entry),
	SEQ("containers", struct kc_pod_spec, containers, &container_entry),
	SEQ("ephemeralContainers", struct kc_pod_spec, ephemeral_containers,
		&container_entry),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t meta_fields[] = {
	STR("name", struct kc_object_meta, name),
	STR("generateName", struct kc_object_meta, generate_name),
	STR("namespace", struct kc_object_meta, namespace),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t pod_template_fields[] = {
	MAP("metadata", struct kc_pod_template, metadata, meta_fields),
	MAP("spec", struct kc_pod_template, spec, pod_spec_fields),
	CYAML_FIELD_END
};

/* The shapes' wrappers. */

struct template_spec {
	struct kc_pod_template *template;
};

struct shape_template {
	struct kc_object_meta *metadata;
	struct template_spec *spec;
};

struct job_template {
	struct template_spec *spec;
};

struct job_template_spec {
	struct job_template *job_template;
};

struct shape_job_template {
	struct kc_object_meta *metadata;
	struct job_template_spec *spec;
};

struct shape_pod_template {
	struct kc_object_meta *metadata;
	struct kc_pod_template *template;
};

static const cyaml_schema_field_t template_spec_fields[] = {
	MAP("template", struct template_spec, template, pod_template_fields),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t shape_template_fields[] = {
	MAP("metadata", struct shape_template, metadata, meta_fields),
	MAP("spec", struct shape_template, spec, template_spec_fields),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t job_template_fields[] = {
	MAP("spec", struct job_template, spec, template_spec_fields),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t job_template_spec_fields[] = {
	MAP("jobTemplate", struct job_template_spec, job_template, job_template_fields),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t shape_job_template_fields[] = {
	MAP("metadata", struct shape_job_template, metadata, meta_fields),
	MAP("spec", struct shape_job_template, spec, job_template_spec_fields),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t shape_pod_template_fields[] = {
	MAP("metadata", struct shape_pod_template, metadata, meta_fields),
	MAP("template", struct shape_pod_template, template, pod_template_fields),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t shapes[KC_SHAPE__COUNT] = {
	[KC_SHAPE_POD] = {
		CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, struct kc_pod_template,
			pod_template_fields),
	},
	[KC_SHAPE_TEMPLATE] = {
		CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, struct shape_template,
			shape_template_fields),
	},
	[KC_SHAPE_JOB_TEMPLATE] = {
		CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, struct shape_job_template,
			shape_job_template_fields),
	},
	[KC_SHAPE_POD_TEMPLATE] = {
		CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, struct shape_pod_template,
			shape_pod_template_fields),
	},
};

static bool has_containers(const struct kc_node *spec)
{
	const struct kc_node *c = kc_node_get(spec, "containers");
	return c != NULL && c->type == KC_NODE_SEQUENCE;
}

bool kc_schema_shape(const char *kind, const struct kc_node *res, enum kc_shape *shape)
{
	static const char *const template_kinds[] = { "DaemonSet", "Deployment",
		"Job", "ReplicaSet", "ReplicationController", "StatefulSet" };
	if (strcmp(kind, "Pod") == 0) {
		*shape = KC_SHAPE_POD;
		return true;
	}
	if (strcmp(kind, "PodTemplate") == 0) {
		*shape = KC_SHAPE_POD_TEMPLATE;
		return true;
	}
	if (strcmp(kind, "CronJob") == 0) {
		*shape = KC_SHAPE_JOB_TEMPLATE;
		return true;
	}
	for (size_t i = 0; i < sizeof(template_kinds) / sizeof(*template_kinds); i++) {
		if (strcmp(kind, template_kinds[i]) == 0) {
			*shape = KC_SHAPE_TEMPLATE;
			return true;
		}
	}
	/* Any other kind that embeds a pod template the usual way: Argo
	 * Rollouts, OpenShift DeploymentConfigs, Knative Services, ... */
	const struct kc_node *spec = kc_node_get(res, "spec");
	const struct kc_node *tmpl = kc_node_get(spec, "template");
	if (has_containers(kc_node_get(tmpl, "spec"))) {
		*shape = KC_SHAPE_TEMPLATE;
		return true;
	}
	const struct kc_node *jt = kc_node_get(kc_node_get(spec, "jobTemplate"), "spec");
	if (has_containers(kc_node_get(kc_node_get(jt, "template"), "spec"))) {
		*shape = KC_SHAPE_JOB_TEMPLATE;
		return true;
	}
	return false;
}

const cyaml_schema_value_t *kc_schema_for(enum kc_shape shape)
{
	return &shapes[shape];
}

const char *kc_schema_template_path(enum kc_shape shape)
{
	switch (shape) {
	case KC_SHAPE_POD:
		return "";
	case KC_SHAPE_TEMPLATE:
		return "spec.template";
	case KC_SHAPE_JOB_TEMPLATE:
		return "spec.jobTemplate.spec.template";
	case KC_SHAPE_POD_TEMPLATE:
	default:
		return "template";
	}
}

const struct kc_pod_template *kc_schema_unwrap(enum kc_shape shape,
	const void *data, const struct kc_object_meta **meta)
{
	*meta = NULL;
	if (data == NULL) {
		return NULL;
	}
	switch (shape) {
	case KC_SHAPE_POD: {
		const struct kc_pod_template *p = data;
		*meta = p->metadata;
		return p;
	}
	case KC_SHAPE_TEMPLATE: {
		const struct shape_template *s = data;
		*meta = s->metadata;
		return s->spec ? s->spec->template : NULL;
	}
	case KC_SHAPE_JOB_TEMPLATE: {
		const struct shape_job_template *s = data;
		*meta = s->metadata;
		if (s->spec == NULL || s->spec->job_template == NULL ||
			s->spec->job_template->spec == NULL) {
			return NULL;
		}
		return s->spec->job_template->spec->template;
	}
	case KC_SHAPE_POD_TEMPLATE: {
		const struct shape_pod_template *s = data;
		*meta = s->metadata;
		return s->template;
	}
	default:
		return NULL;
	}
}
