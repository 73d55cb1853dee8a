/* bind.h - reading YAML trees into a plan through the schema table (loader internals). */
#ifndef PORCUPINE_BIND_H
#define PORCUPINE_BIND_H

#include <stddef.h>

#include "diag.h"
#include "plan.h"
#include "schema.h"
#include "yaml_doc.h"

/* Diagnostics recorded by one load before the rest are counted but not shown. */
#define BIND_MAX_ERRORS 500

struct bind;

/* Deferred check, run after every reference is resolved into an index. */
typedef void (*bind_later_fn)(struct bind *b, void *rec, const struct ynode *node);

/* Read the documents (the root first, then its includes in reading order) into p, whose
 * arena holds the results.  Every problem is recorded in dl.  Returns PLAN_OK (check dl
 * for errors) or PLAN_ENOMEM. */
int bind_plan(struct plan *p, struct ydoc *const *docs, size_t ndocs, struct diag_list *dl);

/* For checks: the plan being read, the file being read, and located diagnostics
 * (at a node, or at a position of the current file).  Messages follow diag.h's style. */
struct plan *bind_target(struct bind *b);
const char *bind_file(const struct bind *b);
void bind_error(struct bind *b, const struct ynode *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void bind_warning(struct bind *b, const struct ynode *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void bind_error_loc(struct bind *b, const struct plan_loc *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Run fn(b, rec, node) after references are resolved, in the order registered. */
void bind_later(struct bind *b, bind_later_fn fn, void *rec, const struct ynode *node);

/* In a record check: 1 when every key of the record was read without error, so that
 * checks between keys do not repeat a problem already reported. */
int bind_record_clean(const struct bind *b);

/* Arena allocation for checks; failure is remembered and reported as PLAN_ENOMEM. */
void *bind_alloc(struct bind *b, size_t n, size_t size);
/* Remember an allocation failure seen elsewhere. */
void bind_oom(struct bind *b);

/* "in item 'x'", "in 'rules' of funding source 'safe'", "at the top level": where the
 * record being read sits, for messages. */
const char *bind_where(struct bind *b);

/* Suggest the closest of `n` candidates to `want` (NULL if none is close). */
const char *bind_suggest(struct bind *b, const char *want, const char *const *cands, size_t n);

#endif
