/* yaml_doc.h - a YAML file read into a small node tree with 1-based positions, within limits. */
#ifndef PORCUPINE_YAML_DOC_H
#define PORCUPINE_YAML_DOC_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

/* Limits on any input, checked while reading so that hostile files fail fast. */
#define YDOC_MAX_BYTES	((size_t)16 * 1024 * 1024) /* one file */
#define YDOC_MAX_DEPTH	64			   /* nested sequences and mappings */
#define YDOC_MAX_SCALAR ((size_t)64 * 1024)	   /* bytes in one scalar */
#define YDOC_MAX_NODES	((size_t)1000000)	   /* nodes, counting each alias expanded */

enum ynode_kind { YNODE_SCALAR = 0, YNODE_SEQ, YNODE_MAP };

struct ypair;

/* A node of the tree, kept small: a file may hold a million of them.  Aliases are not
 * copied: an alias shares the anchored node, so the tree is a DAG. */
struct ynode {
	const char *text; /* scalar text, NUL-terminated (scalars hold no NUL byte) */
	union {
		struct ynode **items; /* sequence */
		struct ypair *pairs;  /* mapping */
	};
	uint32_t len;	      /* scalar: bytes of text; sequence: items; mapping: pairs */
	uint32_t weight;      /* nodes counted with aliases expanded (at most YDOC_MAX_NODES) */
	int line, col;	      /* 1-based position of the node's first character */
	unsigned char kind;   /* enum ynode_kind */
	unsigned char quoted; /* scalar written quoted or as a block (or tagged !!str): a string */
	unsigned char null;   /* plain scalar that YAML reads as null: empty, ~, null */
};

struct ypair {
	struct ynode *key; /* always a scalar */
	struct ynode *value;
};

/* A file read into a tree.  Owns its nodes and strings. */
struct ydoc {
	struct plan_arena *arena;
	const char *file;   /* as given to ydoc_read, owned by the document */
	struct ynode *root; /* a mapping */
	size_t nodes;	    /* nodes counted against the node limit, aliases expanded */
};

/* Read `len` bytes of YAML text.  `file` names it in diagnostics.  `max_nodes` caps the node
 * count (normally YDOC_MAX_NODES; less when several files share one budget).
 * Returns 0 with *out set (the root is a mapping; non-fatal problems such as duplicate keys
 * may have been recorded as errors in dl, and the duplicates dropped from the tree),
 * PLAN_EINVALID with a located diagnostic when the text is not a readable YAML mapping or
 * breaks a limit, PLAN_ENOMEM.  On failure *out is NULL.  Thread-safe for distinct outputs. */
int ydoc_read(struct ydoc **out, const char *file, const char *text, size_t len, size_t max_nodes,
	      struct diag_list *dl);

void ydoc_free(struct ydoc *doc);

/* The pair of mapping `map` whose key is `key`, or NULL. */
const struct ypair *ynode_find(const struct ynode *map, const char *key);

/* "a scalar", "a sequence", "a mapping" or "null": for messages about wrong types. */
const char *ynode_kind_name(const struct ynode *n);

#endif
