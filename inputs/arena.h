/* arena.h - bump allocator that owns all memory of a plan (or of a YAML tree), freed at once. */
#ifndef PORCUPINE_ARENA_H
#define PORCUPINE_ARENA_H

#include <stddef.h>

/* An arena hands out zeroed, suitably aligned blocks and frees them all in arena_free.
 * Blocks are never freed one by one.  Not thread-safe; read-only use of what it holds is. */
struct plan_arena;

/* A new empty arena, or NULL when out of memory. */
struct plan_arena *arena_new(void);

/* Free the arena and every block it handed out.  Accepts NULL. */
void arena_free(struct plan_arena *a);

/* A zeroed block of `size` bytes aligned for any type; NULL when out of memory.
 * A request of 0 bytes returns a valid unique pointer. */
void *arena_alloc(struct plan_arena *a, size_t size);

/* Same with a chosen alignment (a power of two no larger than alignof(max_align_t)), for
 * packing many small blocks such as strings. */
void *arena_alloc_aligned(struct plan_arena *a, size_t size, size_t align);

/* A zeroed array of n elements of `size` bytes; NULL on overflow or out of memory. */
void *arena_array(struct plan_arena *a, size_t n, size_t size);

/* Copies of memory and strings held by the arena; NULL when out of memory.
 * arena_strndup copies n bytes and adds a terminating NUL. */
void *arena_memdup(struct plan_arena *a, const void *src, size_t size);
char *arena_strndup(struct plan_arena *a, const char *s, size_t n);
char *arena_strdup(struct plan_arena *a, const char *s);

#endif
