/* names.h - id syntax and "did you mean" suggestions by edit distance. */
#ifndef PORCUPINE_NAMES_H
#define PORCUPINE_NAMES_H

#include <stddef.h>

/* Longest id, in bytes (ids match ^[a-z][a-z0-9_]{0,62}$). */
#define NAME_ID_MAX 63

/* 1 when s is a valid id: a lower-case ASCII letter, then up to 62 letters, digits or '_'. */
int name_is_id(const char *s);

/* Optimal-string-alignment distance between a and b (insertions, deletions, substitutions
 * and swaps of neighbours each cost 1), or limit + 1 when it is larger than limit.
 * Strings longer than NAME_ID_MAX * 2 never match. */
size_t name_distance(const char *a, const char *b, size_t limit);

/* Finds the candidate closest to `want`, if it is close enough to be a likely typo.
 * `budget`, when not NULL, caps the total work (in distance-table cells) shared by many
 * searches, so that a hostile input with thousands of unknown names stays fast; once it is
 * spent, no more suggestions are made.  Usage: init, add each candidate, then best. */
struct name_suggest {
	const char *want;
	const char *best;
	size_t best_d, limit;
	size_t *budget;
};

void name_suggest_init(struct name_suggest *s, const char *want, size_t *budget);
void name_suggest_add(struct name_suggest *s, const char *candidate);
/* The closest candidate (first added wins ties), or NULL. */
const char *name_suggest_best(const struct name_suggest *s);

#endif
