/* run.h - helpers for end-to-end tests: run the porcupine binary, capture its output. */
#ifndef PORCUPINE_TEST_RUN_H
#define PORCUPINE_TEST_RUN_H

#include <stddef.h>

struct run_result {
	int status; /* exit status, or -1 if it did not exit normally */
	char *out;  /* captured stdout (NUL-terminated) */
	char *err;  /* captured stderr */
};

/* Run `porcupine ARGS` (args is shell text, already quoted) in directory cwd (NULL = a
 * fresh temp dir is not made; the current one is used).  Returns 0 when it ran. */
int run_porcupine(struct run_result *r, const char *args);
void run_result_release(struct run_result *r);

/* Read a whole file; NULL if it cannot be read.  *len may be NULL. */
char *slurp(const char *path, size_t *len);

/* A fresh temporary directory (malloc'ed path). */
char *make_tmpdir(void);

#endif
