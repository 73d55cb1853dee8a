/* support.h - helpers shared by the inputs tests: loading plans and capturing diagnostics. */
#ifndef PORCUPINE_TEST_INPUTS_SUPPORT_H
#define PORCUPINE_TEST_INPUTS_SUPPORT_H

#include <stddef.h>

#include "diag.h"
#include "plan.h"

#define FIXTURES PORCUPINE_SOURCE_DIR "/tests/inputs/fixtures"

/* Result of loading a plan: the return code, the plan (or NULL) and the printed
 * diagnostics (malloc'ed, "" when none). */
struct loaded {
	int rc;
	struct plan *plan;
	char *out;
	size_t nerrors, nwarnings;
};

/* Load a file or a text; release with loaded_release. */
struct loaded load_file(const char *path);
struct loaded load_text(const char *name, const char *text);
void loaded_release(struct loaded *l);

/* The printed diagnostics of a list, malloc'ed. */
char *diag_text(const struct diag_list *dl);

/* The first line of s, malloc'ed, without its newline. */
char *first_line(const char *s);

/* A whole file, malloc'ed and NUL-terminated (NULL if it cannot be read); *len if not NULL. */
char *slurp(const char *path, size_t *len);

/* Write len bytes to path; 0 on success. */
int spit(const char *path, const char *data, size_t len);

/* Seconds of monotonic time since an arbitrary start. */
double now_s(void);

#endif
