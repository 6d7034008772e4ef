#ifndef K8SCHECK_IMAGE_H
#define K8SCHECK_IMAGE_H

/*
 * Images: what a container image reference names, which user an image runs
 * as, and what the kubelet makes of that user when a container asks for
 * runAsNonRoot. The answers come from the Dockerfile that builds the image
 * (when the repository has one) and, for a base image without a USER, from
 * a documented table of widely used images (docs/images.md). Nothing here
 * reads the network or a registry: an image that is in neither is unknown,
 * and callers say so rather than guess.
 */

#include <stdbool.h>
#include <stddef.h>

#include "k8scheck/arena.h"
#include "k8scheck/diag.h"
#include "k8scheck/dockerfile.h"
#include "k8scheck/locator.h"

/**
 * An image reference split as container runtimes normalise it
 * (distribution/reference): "nginx" is docker.io/library/nginx.
 * Strings live in the arena given to kc_image_parts_parse().
 */
struct kc_image_parts {
	const char *domain;      /* "docker.io", "gcr.io", "localhost:5000" */
	const char *path;        /* "library/nginx", "p/frontend" */
	const char *tag;         /* NULL if none */
	const char *digest;      /* "sha256:...", NULL if none */
};

/**
 * Split s into *out, allocating from a. Returns false (leaving *out
 * untouched) for an empty reference or one with an empty path component.
 */
bool kc_image_parts_parse(const char *s, struct kc_arena *a, struct kc_image_parts *out);

/**
 * The name used to link an image to what builds it: the path without the
 * registry, tag and digest, and without docker.io's "library/" ("nginx",
 * "p/frontend"). Lives in a; NULL if s does not parse.
 */
const char *kc_image_ref_key(const char *s, struct kc_arena *a);

/**
 * The key of image s without allocating: *key points into s, *len bytes.
 * False for an empty reference or one with an empty path.
 */
bool kc_image_key(const char *s, const char **key, size_t *len);

/** kc_image_key_match() on keys given with their lengths. */
bool kc_image_key_match_n(const char *a, size_t al, const char *b, size_t bl);

/**
 * True if the keys (kc_image_ref_key) a and b name the same image once a
 * registry prefix is set aside: equal, or one ends with "/" + the other
 * (skaffold's default repository turns "frontend" into "gcr.io/p/frontend").
 * Whether such a match is unambiguous is for the caller to decide.
 */
bool kc_image_key_match(const char *a, const char *b);

/** How the kubelet judges an image's user for a runAsNonRoot container. */
enum kc_image_verdict {
	KC_IMAGE_UNKNOWN,        /* the image's user is not known here */
	KC_IMAGE_NON_ROOT,       /* a numeric, non-zero UID: the container starts */
	KC_IMAGE_ROOT,           /* no user, or UID 0: "image will run as root" */
	KC_IMAGE_NON_NUMERIC,    /* a user name: "cannot verify user is non-root" */
};

/**
 * The user an image runs as. user is the image configuration's User as
 * the kubelet reads it ("" when the image sets none, "1000", "1000:1000",
 * "nobody", "app:app"); uid is the numeric UID of its user part, or of the
 * name when the Dockerfile or the base-image table maps it (-1 when not).
 */
struct kc_image_user {
	enum kc_image_verdict verdict;
	const char *user;        /* NULL when unknown */
	long long uid;           /* -1 when unknown */
	/* Where it comes from: a USER instruction (instr, with its file
	 * position) or the base image of the built stage (base, with the
	 * table row's source). why explains an unknown verdict. */
	const struct kc_df_instr *instr;
	const struct kc_df_instr *from;  /* the FROM of the stage built on an image */
	const char *base;        /* the base image as written after substitution */
	const char *source;      /* the table row's citation (static), or NULL */
	const char *why;         /* lives in the arena; NULL unless unknown */
};

/**
 * The kubelet's verdict on an image configuration's User string, as
 * kubelet's verifyRunAsNonRoot and the CRI runtimes read it: "" is root,
 * the part before ':' is the user, numeric 0 is root, a name cannot be
 * verified.
 */
enum kc_image_verdict kc_image_verdict_of(const char *user);

/**
 * The default user of a base image that sets no USER of its own, from the
 * documented table (docs/images.md). Returns false if the image is not in
 * the table; *user then untouched. user->uid is the UID of that user.
 */
bool kc_image_base_user(const char *image, struct kc_arena *a, struct kc_image_user *user);

/**
 * The UID that the base image's /etc/passwd gives name ("node" is 1000 in
 * the node images, "mongodb" 999 in mongo, "nobody" 65534 in Debian,
 * Ubuntu, Alpine and BusyBox), or -1 if the table does not know it.
 */
long long kc_image_base_uid(const char *image, const char *name, struct kc_arena *a);

/**
 * The non-root user a base image that runs as root creates for its service
 * and whose image runs under it (mongo's mongodb 999, node's node 1000): the
 * UID to give runAsUser, or -1 if the table names none (nginx's master
 * process needs root: its image for non-root is nginx-unprivileged).
 */
long long kc_image_base_service_uid(const char *image, struct kc_arena *a);

/**
 * The user that the image built from stage target of df runs as (target:
 * a stage name or index as written in `--target`/skaffold; NULL for the
 * last stage): the stage's last USER, inherited through `FROM <stage>`,
 * with ARG/ENV values substituted; without any USER, the base image's
 * default user from the table. A user name is mapped to its UID from the
 * stages' `useradd -u`/`adduser -u`/`--uid` or from the table. Returns
 * false if target names no stage; otherwise fills *out (verdict
 * KC_IMAGE_UNKNOWN, with why, when the user cannot be known).
 */
bool kc_image_dockerfile_user(const struct kc_dockerfile *df, const char *target,
	struct kc_arena *a, struct kc_image_user *out);

/* ---- links: which Dockerfile builds which image ---------------------------- */

/** One image that the repository builds. Strings live in the links' arena. */
struct kc_image_link {
	const char *image;       /* as the link source names it */
	const char *key;         /* kc_image_ref_key(image) */
	const char *dockerfile;  /* path of the Dockerfile, from the working directory */
	const char *target;      /* the build target stage, or NULL (the last stage) */
	const char *source;      /* the file that declares the link, as named */
	struct kc_pos pos;       /* where it declares it (1-based) */
};

/** The links of a run, in the order they were declared. */
struct kc_image_links {
	struct kc_image_link *links;
	unsigned count;
	unsigned cap;
	struct kc_arena *a;      /* borrowed */
};

/** Start an empty set whose strings live in a. */
void kc_image_links_init(struct kc_image_links *l, struct kc_arena *a);

/**
 * Declare that image is built from dockerfile (relative to dir, the
 * directory of source; "" or NULL for the working directory) at target.
 */
void kc_image_links_add(struct kc_image_links *l, const char *image,
	const char *dir, const char *dockerfile, const char *target,
	const char *source, struct kc_pos pos);

/**
 * Add the links a skaffold.yaml declares (every `kind: Config` document:
 * build.artifacts[] with `image`, `context` (default "."),
 * `docker.dockerfile` (default "Dockerfile", relative to the context) and
 * `docker.target`; artifacts built by another builder — buildpacks, ko,
 * jib, bazel, custom — build no Dockerfile and are left out). file is the
 * name it is reported as; its directory anchors the relative paths.
 * Returns false after reporting a located error through diag when the
 * file is not YAML or a field has the wrong type.
 */
bool kc_image_links_skaffold(struct kc_image_links *l, const char *file,
	const char *buf, size_t len, struct kc_diag *diag);

/**
 * Add the links a Compose file declares: services.<name>.build as a
 * string (the context) or {context, dockerfile, target}; the image is the
 * service's `image:`, else the service's name. Errors as for skaffold.
 */
bool kc_image_links_compose(struct kc_image_links *l, const char *file,
	const char *buf, size_t len, struct kc_diag *diag);

/**
 * The link whose image names the same image as image (kc_image_key_match),
 * or NULL. When several links with different Dockerfiles or targets match,
 * the answer is ambiguous: NULL, with *ambiguous set.
 */
const struct kc_image_link *kc_image_links_find(const struct kc_image_links *l,
	const char *image, bool *ambiguous);

/* ---- the index a run checks containers against -------------------------- */

/** What is known of one container image. */
struct kc_image_info {
	const struct kc_image_link *link;    /* NULL: not built here (table only) */
	struct kc_image_user user;
	const char *file;        /* the Dockerfile, as named; NULL for a table row */
	struct kc_pos pos;       /* its USER, else its FROM line; 0:0 for a table row */
};

/** The images a run knows: its links and what their Dockerfiles say. */
struct kc_image_index;

/** An empty index whose data lives in a. */
struct kc_image_index *kc_image_index_create(struct kc_arena *a);

/** The index's links, to add to (kc_image_links_add/_skaffold/_compose). */
struct kc_image_links *kc_image_index_links(struct kc_image_index *x);

/**
 * Look for skaffold.yaml/.yml, compose.yaml/.yml and docker-compose.yaml/.yml
 * in the directory of from (from itself when it is a directory; "." for
 * NULL or "-") and in each parent up to the repository root (a directory
 * holding .git), the file system's root or a change of file system; add
 * their links. Problems in them are reported through diag; false then.
 */
bool kc_image_index_discover(struct kc_image_index *x, const char *from,
	size_t max_file_bytes, struct kc_diag *diag);

/**
 * Read and parse each linked Dockerfile (at most max_file_bytes) and work
 * out the user its image runs as. A Dockerfile that cannot be read is a
 * warning at the link's line; one that does not parse leaves the image
 * unknown (checking the Dockerfile reports why).
 */
void kc_image_index_resolve(struct kc_image_index *x, size_t max_file_bytes,
	struct kc_diag *diag);

/** Number of links in x (NULL: 0). */
unsigned kc_image_index_count(const struct kc_image_index *x);

/**
 * What is known of image: its linked Dockerfile's user, else the base-image
 * table's row for it; false if neither knows it (or the link is
 * ambiguous). x may be NULL (no links). Reads x only; a is for scratch
 * (the document's arena), so -j workers may call it at once.
 */
bool kc_image_index_find(const struct kc_image_index *x, const char *image,
	struct kc_arena *a, struct kc_image_info *out);

#endif
