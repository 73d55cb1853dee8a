/* alloc.c - the allocator hook (see alloc.h). */
#include "alloc.h"

#include <errno.h>
#include <execinfo.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static atomic_ullong counted;
static unsigned long long fail_at;  /* 0 = never */
static int counting;                /* PORCUPINE_FAIL_ALLOC was set */
static atomic_int failed;
static _Thread_local unsigned long thread_failures; /* see alloc_failures */
static int trace; /* PORCUPINE_FAIL_ALLOC_TRACE: print the failing caller's stack */

int alloc_init_from_env(void)
{
	const char *v = getenv("PORCUPINE_FAIL_ALLOC");
	char *end;
	if (!v || !*v)
		return 0;
	errno = 0;
	unsigned long long k = strtoull(v, &end, 10);
	if (errno || *end)
		return 0;
	fail_at = k;
	counting = 1;
	trace = getenv("PORCUPINE_FAIL_ALLOC_TRACE") != NULL;
	return 1;
}

int alloc_fail_now(void)
{
	if (!counting)
		return 0;
	unsigned long long k = atomic_fetch_add_explicit(&counted, 1, memory_order_relaxed) + 1;
	if (k != fail_at)
		return 0;
	atomic_store(&failed, 1);
	thread_failures++;
	if (trace) {
		void *frames[24];
		backtrace_symbols_fd(frames, backtrace(frames, 24), 2);
	}
	errno = ENOMEM;
	return 1;
}

unsigned long alloc_failures(void)
{
	return thread_failures;
}

unsigned long long alloc_count(void)
{
	return atomic_load(&counted);
}

int alloc_failed(void)
{
	return atomic_load(&failed);
}

/* A real failure (not injected) counts for alloc_failures too. */
static void *noted(void *p, size_t n)
{
	if (!p && n)
		thread_failures++;
	return p;
}

void *pc_malloc(size_t n)
{
	return alloc_fail_now() ? NULL : noted(malloc(n), n);
}

void *pc_calloc(size_t n, size_t size)
{
	return alloc_fail_now() ? NULL : noted(calloc(n, size), n * size);
}

void *pc_realloc(void *p, size_t n)
{
	return alloc_fail_now() ? NULL : noted(realloc(p, n), n);
}

char *pc_strdup(const char *s)
{
	return pc_strndup(s, strlen(s));
}

char *pc_strndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *d = pc_malloc(len + 1);
	if (d) {
		memcpy(d, s, len);
		d[len] = '\0';
	}
	return d;
}
