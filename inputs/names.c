/* names.c - id syntax and "did you mean" suggestions by edit distance. */
#include "names.h"

#include <string.h>

#define NAME_CMP_MAX (NAME_ID_MAX * 2)

int name_is_id(const char *s)
{
	size_t i;

	if (!(s[0] >= 'a' && s[0] <= 'z'))
		return 0;
	for (i = 1; s[i]; i++) {
		char c = s[i];

		if (i >= NAME_ID_MAX)
			return 0;
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
			return 0;
	}
	return 1;
}

static size_t min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;

	return m < c ? m : c;
}

size_t name_distance(const char *a, const char *b, size_t limit)
{
	/* Three rolling rows of the dynamic-programming table suffice for OSA. */
	size_t rows[3][NAME_CMP_MAX + 1];
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t *prev2 = rows[0], *prev = rows[1], *cur = rows[2];

	if (la > NAME_CMP_MAX || lb > NAME_CMP_MAX)
		return limit + 1;
	if ((la > lb ? la - lb : lb - la) > limit)
		return limit + 1;
	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		size_t rowmin;
		size_t *t;

		cur[0] = i;
		rowmin = cur[0];
		for (j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;

			cur[j] = min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    prev2[j - 2] + 1 < cur[j])
				cur[j] = prev2[j - 2] + 1;
			if (cur[j] < rowmin)
				rowmin = cur[j];
		}
		if (rowmin > limit) /* row minima never decrease */
			return limit + 1;
		t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb] > limit ? limit + 1 : prev[lb];
}

void name_suggest_init(struct name_suggest *s, const char *want, size_t *budget)
{
	size_t n = strlen(want);

	s->want = want;
	s->best = NULL;
	/* Short names tolerate one typo, longer ones two or three. */
	s->limit = n <= 3 ? 1 : n <= 6 ? 2 : 3;
	s->best_d = s->limit + 1;
	s->budget = budget;
}

void name_suggest_add(struct name_suggest *s, const char *candidate)
{
	size_t lw = strlen(s->want), lc = strlen(candidate), d, cost;

	if ((lw > lc ? lw - lc : lc - lw) > s->limit || lw > NAME_CMP_MAX || lc > NAME_CMP_MAX)
		return;
	cost = (lw + 1) * (lc + 1);
	if (s->budget) {
		if (*s->budget < cost)
			return;
		*s->budget -= cost;
	}
	d = name_distance(s->want, candidate, s->limit);
	/* A candidate as long as the distance would be a replacement, not a correction. */
	if (d < s->best_d && d < lc) {
		s->best_d = d;
		s->best = candidate;
	}
}

const char *name_suggest_best(const struct name_suggest *s)
{
	return s->best;
}
