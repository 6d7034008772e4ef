#ifndef K8SCHECK_LOCATOR_H
#define K8SCHECK_LOCATOR_H

/*
 * The locator turns a file's bytes into a tree of positioned nodes, one
 * document at a time, in a single pass over libyaml's events. Every node
 * knows its 1-based line and column (libyaml's 0-based marks are converted
 * here and only here) and its byte range in the file.
 *
 * Documents are produced one by one into a caller-supplied arena, so memory
 * follows the largest document, not the file.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "k8scheck/arena.h"

/** A position in a file: 1-based line and column; columns count characters. */
struct kc_pos {
	unsigned line;
	unsigned col;
};

enum kc_node_type {
	KC_NODE_SCALAR,
	KC_NODE_MAPPING,
	KC_NODE_SEQUENCE,
};

enum kc_node_style {
	KC_STYLE_PLAIN,          /* plain scalar */
	KC_STYLE_SINGLE_QUOTED,
	KC_STYLE_DOUBLE_QUOTED,
	KC_STYLE_LITERAL,        /* | block scalar */
	KC_STYLE_FOLDED,         /* > block scalar */
	KC_STYLE_BLOCK,          /* block collection */
	KC_STYLE_FLOW,           /* flow collection: {..} or [..] */
};

struct kc_node {
	enum kc_node_type type;
	enum kc_node_style style;
	struct kc_pos start;     /* first character of the node (its anchor or tag if any) */
	struct kc_pos end;       /* just past the node */
	size_t start_off;        /* byte offsets into the file buffer */
	size_t end_off;
	const char *tag;         /* explicit tag (e.g. "tag:yaml.org,2002:str") or NULL */
	const char *value;       /* scalars: decoded value, NUL-terminated; else NULL */
	size_t len;              /* scalars: length of value (it may contain NUL bytes) */
	size_t count;            /* mappings: pairs; sequences: items */
	struct kc_node **items;  /* mappings: items[2i] is a key, items[2i+1] its value */
	size_t weight;           /* nodes in the subtree, with aliases expanded */
	/*
	 * Mappings that use the YAML 1.1 merge key "<<" (as Kubernetes' YAML
	 * decoder, go-yaml v2, does): items holds the resolved pairs, without
	 * the "<<" entries; a merged pair's key and value are the nodes of the
	 * mapping they were merged from (their positions point there), and
	 * merged[i] is true for such a pair i. merged is NULL otherwise.
	 */
	bool has_merge_key;
	const bool *merged;
};

/** One YAML document of a file. All pointers live in the document arena. */
struct kc_document {
	unsigned index;          /* 0-based position in the file's stream */
	struct kc_node *root;    /* never NULL for a returned document */
	struct kc_pos start;
	size_t start_off;
	size_t end_off;
	const struct kc_node *merge_key;  /* first `<<` key in the document, or NULL */
};

/** Limits that keep hostile input from exhausting time or memory. */
struct kc_limits {
	size_t max_depth;        /* nesting of collections */
	size_t max_alias_nodes;  /* nodes added by expanding aliases, per document */
	size_t max_file_bytes;   /* checked by the loader */
	size_t max_document_bytes;
};

/** Defaults generous enough for any real manifest. */
extern const struct kc_limits kc_limits_default;

/** Why a document could not be produced; pos is 1-based. */
struct kc_loc_error {
	struct kc_pos pos;
	char message[256];
};

enum kc_locator_status {
	KC_LOCATOR_DOCUMENT,     /* *doc holds the next document */
	KC_LOCATOR_END,          /* no more documents */
	KC_LOCATOR_BAD_DOCUMENT, /* a document was skipped; *err says why; call again
	                          * (past --max-depth, at the next `---` line) */
	KC_LOCATOR_SYNTAX_ERROR, /* the YAML is malformed; *err says where; calling
	                          * again resumes at the next `---` line, if any */
};

struct kc_locator;

/**
 * Start reading buf (borrowed; must outlive the locator). A UTF-8 byte order
 * mark is skipped. Caller frees with kc_locator_destroy().
 */
struct kc_locator *kc_locator_create(const char *buf, size_t len,
	const struct kc_limits *limits);

/** Free the parser state. Accepts NULL. Documents live on in their arenas. */
void kc_locator_destroy(struct kc_locator *l);

/**
 * Produce the next non-empty document into arena a (documents that hold
 * nothing, e.g. a bare `---`, are passed over). On BAD_DOCUMENT and
 * SYNTAX_ERROR, *err is filled and *doc's index is still set.
 */
enum kc_locator_status kc_locator_next(struct kc_locator *l, struct kc_arena *a,
	struct kc_document *doc, struct kc_loc_error *err);

/** Index of the document that the last call produced or failed on. */
unsigned kc_locator_doc_index(const struct kc_locator *l);

/**
 * libyaml events read so far. The limits' tests use it to show that a
 * document stops being parsed where it passes a limit.
 */
unsigned long kc_locator_events(const struct kc_locator *l);

/* ---- paths -------------------------------------------------------------- */

#define KC_PATH_MAX 24

/** One step of a path: a mapping key, or (key == NULL) a sequence index. */
struct kc_seg {
	const char *key;         /* borrowed: a literal or arena string; not
	                          * NUL-terminated after key_len bytes */
	uint32_t key_len;        /* 32 bits: a finding holds two paths of 24 */
	uint32_t index;
};

/** A path from a document's root, e.g. spec.template.spec.containers[0]. */
struct kc_path {
	unsigned len;
	struct kc_seg seg[KC_PATH_MAX];
};

/** Append a key step. Asserts the path has room (paths are built by code). */
void kc_path_key(struct kc_path *p, const char *key);

/** Append an index step. */
void kc_path_index(struct kc_path *p, size_t index);

/**
 * Copy base and append the keys of a dotted list ("securityContext.runAsUser").
 * The steps point into dotted, so it must outlive the path (pass a literal).
 */
struct kc_path kc_path_join(const struct kc_path *base, const char *dotted);

/** Result of resolving a path against a document. */
struct kc_lookup {
	const struct kc_node *node;  /* deepest existing node on the path */
	const struct kc_node *key;   /* its key node if node is a mapping value */
	unsigned depth;              /* path steps that exist */
	bool found;                  /* the whole path exists */
	/* A step went through a pair supplied by a merge key "<<", or the
	 * mapping the last existing step looks into has one: the text at
	 * the node is not (only) where the value comes from, so an edit
	 * there needs a person. */
	bool merged;
};

/** Walk path from root; stop at the nearest existing ancestor if it is missing. */
struct kc_lookup kc_locator_find(const struct kc_node *root, const struct kc_path *path);

/** Where a lookup points: the key of a mapping value, else the node itself. */
struct kc_pos kc_lookup_pos(const struct kc_lookup *lk);

/** Value for key in a mapping node, or NULL (also NULL if map is not a mapping). */
const struct kc_node *kc_node_get(const struct kc_node *map, const char *key);

/** The key node for key in a mapping node, or NULL. */
const struct kc_node *kc_node_get_key(const struct kc_node *map, const char *key);

/** Scalar value of map[key] if it is a non-null scalar, else NULL. */
const char *kc_node_get_str(const struct kc_node *map, const char *key);

/** True for a plain scalar that YAML resolves to null ("", "~", "null"). */
bool kc_node_is_null(const struct kc_node *n);

/**
 * Render path for people: keys joined by '.', sequence items as [name] when
 * the item is a mapping with a scalar `name` (of at most 256 bytes), else
 * [index]; keys with dots or
 * slashes as ["key"]. Writes at most size bytes (NUL-terminated); returns the
 * length it needed.
 */
size_t kc_path_format(const struct kc_node *root, const struct kc_path *path,
	char *buf, size_t size);

/** Position (1-based) of byte offset off in buf, counting as libyaml does. */
struct kc_pos kc_locator_pos_of(const char *buf, size_t len, size_t off);

/**
 * kc_locator_pos_of(), counted from the nearest node of root (a document of
 * buf) that starts at or before off rather than from the top: for the many
 * positions of one large document.
 */
struct kc_pos kc_locator_pos_near(const struct kc_node *root, const char *buf,
	size_t len, size_t off);

#endif
