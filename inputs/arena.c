/* arena.c - bump allocator: a list of chunks, growing geometrically, released together. */
#include "alloc.h"
#include "arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_FIRST_CHUNK ((size_t)16 * 1024)
#define ARENA_MAX_CHUNK	  ((size_t)1024 * 1024)
#define ARENA_ALIGN	  (alignof(max_align_t))

struct arena_chunk {
	struct arena_chunk *next;
	size_t size, used;
	alignas(max_align_t) unsigned char data[];
};

struct plan_arena {
	struct arena_chunk *head;
	size_t next_size; /* size of the next regular chunk */
};

struct plan_arena *arena_new(void)
{
	struct plan_arena *a = pc_calloc(1, sizeof(*a));

	if (a)
		a->next_size = ARENA_FIRST_CHUNK;
	return a;
}

void arena_free(struct plan_arena *a)
{
	struct arena_chunk *c, *next;

	if (!a)
		return;
	for (c = a->head; c; c = next) {
		next = c->next;
		free(c);
	}
	free(a);
}

static struct arena_chunk *chunk_new(size_t size)
{
	struct arena_chunk *c;

	if (size > SIZE_MAX - sizeof(*c))
		return NULL;
	c = pc_malloc(sizeof(*c) + size);
	if (!c)
		return NULL;
	c->next = NULL;
	c->size = size;
	c->used = 0;
	return c;
}

void *arena_alloc_aligned(struct plan_arena *a, size_t size, size_t align)
{
	struct arena_chunk *c = a->head;
	size_t need, start;
	void *p;

	if (size > SIZE_MAX - ARENA_ALIGN || align == 0 || align > ARENA_ALIGN ||
	    (align & (align - 1)))
		return NULL;
	need = size ? size : 1;
	start = c ? (c->used + align - 1) & ~(align - 1) : 0;
	if (!c || start > c->size || c->size - start < need) {
		if (need > a->next_size / 4) {
			/* A large block gets a chunk of its own, kept behind the current one so
			 * that the current chunk's free space is not wasted. */
			struct arena_chunk *big = chunk_new(need);

			if (!big)
				return NULL;
			big->used = big->size;
			if (c) {
				big->next = c->next;
				c->next = big;
			} else {
				a->head = big;
			}
			memset(big->data, 0, need);
			return big->data;
		}
		c = chunk_new(a->next_size);
		if (!c)
			return NULL;
		c->next = a->head;
		a->head = c;
		if (a->next_size < ARENA_MAX_CHUNK)
			a->next_size *= 2;
		start = 0;
	}
	p = c->data + start;
	c->used = start + need;
	memset(p, 0, need);
	return p;
}

void *arena_alloc(struct plan_arena *a, size_t size)
{
	return arena_alloc_aligned(a, size, ARENA_ALIGN);
}

void *arena_array(struct plan_arena *a, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return arena_alloc(a, n * size);
}

void *arena_memdup(struct plan_arena *a, const void *src, size_t size)
{
	void *p = arena_alloc(a, size);

	if (p && size)
		memcpy(p, src, size);
	return p;
}

char *arena_strndup(struct plan_arena *a, const char *s, size_t n)
{
	char *p;

	if (n == SIZE_MAX)
		return NULL;
	p = arena_alloc_aligned(a, n + 1, 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

char *arena_strdup(struct plan_arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}
