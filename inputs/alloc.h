/* alloc.h - the project's allocator: every allocation of porcupine's own code goes through
 * these, and jansson's and SQLite's are routed here too (solver/cli/main.c), so that a test
 * can make exactly the k-th allocation fail and watch what the program does with it.
 *
 * Fault injection is off unless the environment variable PORCUPINE_FAIL_ALLOC is set when
 * alloc_init_from_env runs: PORCUPINE_FAIL_ALLOC=K (K >= 1) fails the K-th allocation (only
 * that one: the program then runs on and must end cleanly); K = 0 only counts.  Counting is
 * process-wide and atomic; with more than one thread "the K-th" depends on scheduling, so
 * tests that walk K run single-threaded.
 *
 * Not covered: allocations GLPK, libyaml, GSL and libxlsxwriter make with their own malloc
 * calls (they have no hook), and glibc's own (open_memstream, getline). */
#ifndef PORCUPINE_ALLOC_H
#define PORCUPINE_ALLOC_H

#include <stddef.h>

void *pc_malloc(size_t n);
void *pc_calloc(size_t n, size_t size);
void *pc_realloc(void *p, size_t n);
char *pc_strdup(const char *s);
char *pc_strndup(const char *s, size_t n);

/* Allocations through this hook that failed on the calling thread so far (injected or
 * real).  A unit of work - writing one file, one solve - compares the count before and
 * after, so that a failure some helper absorbed (a NULL turned into "nothing to show")
 * still fails the unit instead of leaving a quietly incomplete result. */
unsigned long alloc_failures(void);

/* For hooks of other libraries: 1 when the allocation being made now is the one to fail
 * (counts it either way). */
int alloc_fail_now(void);

/* Read PORCUPINE_FAIL_ALLOC.  Returns 1 when injection (or counting) is on. */
int alloc_init_from_env(void);
/* Allocations counted so far, and whether the injected failure has happened. */
unsigned long long alloc_count(void);
int alloc_failed(void);

#endif
