/* diag.h - located diagnostics (FILE:LINE:COL: error: ...) collected, sorted and printed. */
#ifndef PORCUPINE_DIAG_H
#define PORCUPINE_DIAG_H

#include <stdarg.h>
#include <stdio.h>

enum diag_severity { DIAG_ERROR = 0, DIAG_WARNING = 1, DIAG_NOTE = 2 };

/* One problem found in an input.  Lines and columns are 1-based (0 = unknown).
 * All strings are owned by the diag_list. */
struct diag {
	enum diag_severity severity;
	char *file;    /* path as the user gave it, or "<default plan>" / "<command line>" */
	int line, col;
	char *path;    /* key path such as "items.iris_t_slm.unit_cost", or NULL */
	char *message; /* lower case, no trailing period, offending names in quotes */
	unsigned seq;  /* insertion order, keeps the sort stable */
};

/* Growable list of diagnostics; also remembers source texts so that
 * diag_print can show the offending line with a caret.  Not thread-safe. */
struct diag_list {
	struct diag *v;
	size_t n, alloc;
	size_t nerrors;
	struct diag_source *sources; /* file name -> text, owned */
	size_t nsources;
	int oom; /* set when an allocation failed while recording */
};

#define DIAG_LIST_INIT { 0 }

void diag_list_init(struct diag_list *dl);
void diag_list_release(struct diag_list *dl);

/* Record a diagnostic.  fmt is printf-like.  path may be NULL.
 * Never fails loudly: on allocation failure it sets dl->oom and keeps counting errors. */
void diag_add(struct diag_list *dl, enum diag_severity sev, const char *file, int line, int col,
	      const char *path, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
void diag_vadd(struct diag_list *dl, enum diag_severity sev, const char *file, int line,
	       int col, const char *path, const char *fmt, va_list ap)
	__attribute__((format(printf, 7, 0)));

/* Shorthand for an error. */
#define diag_error(dl, file, line, col, path, ...) \
	diag_add((dl), DIAG_ERROR, (file), (line), (col), (path), __VA_ARGS__)

/* Let diag_print quote source lines from `text` (len bytes) for diagnostics in `file`.
 * The text is copied. */
void diag_add_source(struct diag_list *dl, const char *file, const char *text, size_t len);

/* Same, taking ownership of `text` (malloc'ed, len bytes) instead of copying it: freed by
 * diag_list_release, or at once if it cannot be recorded. */
void diag_take_source(struct diag_list *dl, const char *file, char *text, size_t len);

/* Sort by file, line, column, then insertion order; within a file, a diagnostic without a
 * line (such as "N more problems not shown") comes after the located ones. */
void diag_sort(struct diag_list *dl);

/* Print every diagnostic, jq-style:
 *   plans/x.yaml:41:17: error: 'unit_cost' must be > 0 (got -4.5)
 *      41 |     unit_cost: -4.5
 *         |                ^
 * followed by a count line ("2 errors") when there is more than one.
 * color: 0 never, 1 always.  Returns -1 when something could not be shown because an
 * allocation failed (while recording, or the source excerpts now), else 0. */
int diag_print(const struct diag_list *dl, FILE *out, int color);

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0 when it is not valid.
 * Columns count one per character, and one per byte that is not valid UTF-8. */
size_t diag_utf8_len(const unsigned char *s, size_t n);

static inline int diag_has_errors(const struct diag_list *dl) { return dl->nerrors > 0; }

#endif
