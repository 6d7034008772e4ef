#ifndef K8SCHECK_MODEL_H
#define K8SCHECK_MODEL_H

/*
 * The typed model: the parts of a Kubernetes pod spec that rules read, as
 * plain C structs described by libcyaml schemas (src/model/schema.c) and
 * filled from the node tree (src/model/validate.c). A field that
 * the manifest does not set is a NULL pointer, so unset stays distinct from
 * false and 0. Every pointer here lives in the document arena.
 *
 * Rules include only this header. Free-form maps (annotations, labels) and
 * positions come from the locator's node tree through the accessors below.
 */

#include <stdbool.h>
#include <stdint.h>

#include "k8scheck/locator.h"

struct kc_seccomp_profile {
	char *type;
	char *localhost_profile;
};

struct kc_apparmor_profile {
	char *type;
	char *localhost_profile;
};

struct kc_selinux_options {
	char *user;
	char *role;
	char *type;
	char *level;
};

struct kc_windows_options {
	char *gmsa_credential_spec_name;
	char *gmsa_credential_spec;
	char *run_as_user_name;
	bool *host_process;
};

struct kc_sysctl {
	char *name;
	char *value;
};

struct kc_capabilities {
	char **add;
	unsigned add_count;
	char **drop;
	unsigned drop_count;
};

/** spec.securityContext (PodSecurityContext). */
struct kc_pod_security_context {
	int64_t *run_as_user;
	int64_t *run_as_group;
	bool *run_as_non_root;
	int64_t *fs_group;
	int64_t *supplemental_groups;
	unsigned supplemental_groups_count;
	struct kc_selinux_options *se_linux_options;
	struct kc_seccomp_profile *seccomp_profile;
	struct kc_apparmor_profile *app_armor_profile;
	struct kc_sysctl *sysctls;
	unsigned sysctls_count;
	struct kc_windows_options *windows_options;
};

/** containers[*].securityContext (SecurityContext). */
struct kc_security_context {
	bool *privileged;
	bool *allow_privilege_escalation;
	bool *read_only_root_filesystem;
	bool *run_as_non_root;
	int64_t *run_as_user;
	int64_t *run_as_group;
	struct kc_capabilities *capabilities;
	char *proc_mount;
	struct kc_selinux_options *se_linux_options;
	struct kc_seccomp_profile *seccomp_profile;
	struct kc_apparmor_profile *app_armor_profile;
	struct kc_windows_options *windows_options;
};

struct kc_container_port {
	char *name;
	int32_t *container_port;
	int32_t *host_port;
	char *host_ip;
	char *protocol;
};

struct kc_key_selector {
	char *name;
	char *key;
	bool *optional;
};

struct kc_env_source {
	struct kc_key_selector *secret_key_ref;
	struct kc_key_selector *config_map_key_ref;
};

struct kc_env_var {
	char *name;
	char *value;
	struct kc_env_source *value_from;
};

/** Resource quantities are int-or-string; kept as written ("100m", "1Gi", "2"). */
struct kc_quantities {
	char *cpu;
	char *memory;
	char *ephemeral_storage;
};

struct kc_resources {
	struct kc_quantities *limits;
	struct kc_quantities *requests;
};

struct kc_http_get {
	char *host;
	char *port;              /* int-or-string */
	char *path;
	char *scheme;
};

struct kc_tcp_socket {
	char *host;
	char *port;              /* int-or-string */
};

struct kc_exec_action {
	char **command;
	unsigned command_count;
};

struct kc_grpc_action {
	int32_t *port;
	char *service;
};

struct kc_sleep_action {
	int64_t *seconds;
};

/** A probe or a lifecycle handler: which action it takes. */
struct kc_handler {
	struct kc_exec_action *exec;
	struct kc_http_get *http_get;
	struct kc_tcp_socket *tcp_socket;
	struct kc_grpc_action *grpc;
	struct kc_sleep_action *sleep;
};

struct kc_lifecycle {
	struct kc_handler *post_start;
	struct kc_handler *pre_stop;
};

struct kc_volume_mount {
	char *name;
	char *mount_path;
	char *sub_path;
	bool *read_only;
};

struct kc_container {
	char *name;
	char *image;
	char *image_pull_policy;
	struct kc_container_port *ports;
	unsigned ports_count;
	struct kc_env_var *env;
	unsigned env_count;
	struct kc_resources *resources;
	struct kc_handler *liveness_probe;
	struct kc_handler *readiness_probe;
	struct kc_handler *startup_probe;
	struct kc_lifecycle *lifecycle;
	struct kc_volume_mount *volume_mounts;
	unsigned volume_mounts_count;
	struct kc_security_context *security_context;
};

/* Volume sources, in the API's spelling. X(ENUM, "key"). */
#define KC_VOLUME_TYPES(X) \
	X(AWS_ELASTIC_BLOCK_STORE, "awsElasticBlockStore") \
	X(AZURE_DISK, "azureDisk") \
	X(AZURE_FILE, "azureFile") \
	X(CEPHFS, "cephfs") \
	X(CINDER, "cinder") \
	X(CONFIG_MAP, "configMap") \
	X(CSI, "csi") \
	X(DOWNWARD_API, "downwardAPI") \
	X(EMPTY_DIR, "emptyDir") \
	X(EPHEMERAL, "ephemeral") \
	X(FC, "fc") \
	X(FLEX_VOLUME, "flexVolume") \
	X(FLOCKER, "flocker") \
	X(GCE_PERSISTENT_DISK, "gcePersistentDisk") \
	X(GIT_REPO, "gitRepo") \
	X(GLUSTERFS, "glusterfs") \
	X(HOST_PATH, "hostPath") \
	X(IMAGE, "image") \
	X(ISCSI, "iscsi") \
	X(NFS, "nfs") \
	X(PERSISTENT_VOLUME_CLAIM, "persistentVolumeClaim") \
	X(PHOTON_PERSISTENT_DISK, "photonPersistentDisk") \
	X(PORTWORX_VOLUME, "portworxVolume") \
	X(PROJECTED, "projected") \
	X(QUOBYTE, "quobyte") \
	X(RBD, "rbd") \
	X(SCALE_IO, "scaleIO") \
	X(SECRET, "secret") \
	X(STORAGEOS, "storageos") \
	X(VSPHERE_VOLUME, "vsphereVolume")

#define KC_VOLUME_ENUM_(e, key) KC_VOLUME_##e,
enum kc_volume_type {
	KC_VOLUME_TYPES(KC_VOLUME_ENUM_)
	KC_VOLUME__COUNT,
	KC_VOLUME_NONE = KC_VOLUME__COUNT,
};
#undef KC_VOLUME_ENUM_

/** The API name of a volume type ("hostPath"), or "unknown" for NONE. */
const char *kc_volume_type_name(enum kc_volume_type t);

struct kc_host_path {
	char *path;
	char *type;
};

/** Presence marker for volume sources whose contents no rule reads. */
struct kc_volume_source {
	char unused;
};

struct kc_volume {
	char *name;
	struct kc_host_path *host_path;
	/* sources[t] is non-NULL when the volume has source t (never for
	 * HOST_PATH, which has its own field above). */
	struct kc_volume_source *sources[KC_VOLUME__COUNT];
};

/** True when volume v has a source of type t. */
bool kc_volume_has(const struct kc_volume *v, enum kc_volume_type t);

/** The volume's first source type in enum order, or KC_VOLUME_NONE. */
enum kc_volume_type kc_volume_type(const struct kc_volume *v);

struct kc_pod_os {
	char *name;
};

struct kc_pod_spec {
	bool *host_network;
	bool *host_pid;
	bool *host_ipc;
	bool *host_users;
	bool *share_process_namespace;
	struct kc_pod_os *os;
	bool *automount_service_account_token;
	char *service_account_name;
	char *runtime_class_name;
	struct kc_pod_security_context *security_context;
	struct kc_volume *volumes;
	unsigned volumes_count;
	struct kc_container *init_containers;
	unsigned init_containers_count;
	struct kc_container *containers;
	unsigned containers_count;
	struct kc_container *ephemeral_containers;
	unsigned ephemeral_containers_count;
};

struct kc_object_meta {
	char *name;
	char *generate_name;
	char *namespace;
};

enum kc_container_list {
	KC_CONTAINER_INIT,
	KC_CONTAINER_REGULAR,
	KC_CONTAINER_EPHEMERAL,
	KC_CONTAINER__COUNT,
};

/** The YAML key of a container list ("initContainers", ...). */
const char *kc_container_list_key(enum kc_container_list list);

/** One container of a pod, with where it sits in the document. */
struct kc_container_ref {
	const struct kc_container *c;
	enum kc_container_list list;
	unsigned index;          /* in its list */
	struct kc_path path;     /* e.g. spec.template.spec.containers[1] */
};

/**
 * A resource that carries a pod spec: a Pod, a controller's pod template, or
 * such a resource inside a List. Built by the loader; read by rules.
 */
struct kc_workload {
	const char *api_version;         /* never NULL */
	const char *kind;                /* never NULL */
	const char *name;                /* metadata.name, or NULL */
	const char *namespace;           /* metadata.namespace, or NULL */
	unsigned doc_index;              /* 0-based document in the file */
	const struct kc_node *doc_root;  /* root of the whole document */
	struct kc_path resource_path;    /* document root to the resource (items[2] in a List) */
	struct kc_path pod_meta_path;    /* the pod's metadata (a template's, for controllers) */
	struct kc_path pod_spec_path;    /* the pod spec, e.g. spec.template.spec */
	const struct kc_pod_spec *spec;  /* never NULL */
	/* Every container in the order Kubernetes checks them: init
	 * containers, then containers, then ephemeral containers. */
	struct kc_container_ref *containers;
	unsigned container_count;
};

/** The node at path in w's document, or NULL. */
const struct kc_node *kc_doc_get(const struct kc_workload *w, const struct kc_path *path);

/** Value of the pod annotation key (template annotations for controllers), or NULL. */
const char *kc_workload_annotation(const struct kc_workload *w, const char *key);

/** The pod's annotations mapping node, or NULL. */
const struct kc_node *kc_workload_annotations(const struct kc_workload *w);

/** Path of a pod securityContext field: pod_spec_path + securityContext + dotted. */
struct kc_path kc_pod_sc_path(const struct kc_workload *w, const char *dotted);

/** Path of a container securityContext field: ref path + securityContext + dotted. */
struct kc_path kc_container_sc_path(const struct kc_container_ref *ref, const char *dotted);

/** Where an effective container setting comes from. */
enum kc_origin {
	KC_ORIGIN_UNSET,
	KC_ORIGIN_CONTAINER,
	KC_ORIGIN_POD,
};

/**
 * A container's effective value of a field that exists at pod and
 * container level: the container's own if set, else the pod's. path is the
 * path of the field that supplies it (or the container's, when unset).
 */
struct kc_effective {
	enum kc_origin origin;
	struct kc_path path;
	const bool *b;           /* for boolean fields */
	const int64_t *i;        /* for integer fields */
	const void *p;           /* for object fields (seccompProfile, ...) */
};

struct kc_effective kc_effective_run_as_non_root(const struct kc_workload *w,
	const struct kc_container_ref *ref);
struct kc_effective kc_effective_run_as_user(const struct kc_workload *w,
	const struct kc_container_ref *ref);
struct kc_effective kc_effective_run_as_group(const struct kc_workload *w,
	const struct kc_container_ref *ref);
struct kc_effective kc_effective_seccomp_profile(const struct kc_workload *w,
	const struct kc_container_ref *ref);
struct kc_effective kc_effective_selinux_options(const struct kc_workload *w,
	const struct kc_container_ref *ref);
struct kc_effective kc_effective_apparmor_profile(const struct kc_workload *w,
	const struct kc_container_ref *ref);

#endif
