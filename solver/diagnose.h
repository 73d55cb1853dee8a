/* diagnose.h - explains an infeasible model: which hard rules contradict each other. */
#ifndef PORCUPINE_DIAGNOSE_H
#define PORCUPINE_DIAGNOSE_H

#include <stdio.h>

#include "lp.h"
#include "lpm.h"

/* One rule the elastic form had to relax. */
struct relaxed_rule {
	int row;          /* row index in the original model */
	double amount;    /* how far the row had to move (in the row's units) */
	double relative;  /* amount / max(1, |bound|) */
};

/* Solve the elastic form of lp: every row may be violated at a cost proportional to the
 * violation relative to its bound; the original objective is dropped.  The rows that
 * had to be relaxed are the rules in conflict.  *out (malloc'ed, caller frees) lists them,
 * largest relative violation first.  Returns 0 (n may be 0 when the elastic form found no
 * conflict), or -1 when the elastic form could not be built or solved. */
int diagnose_infeasible(struct relaxed_rule **out, size_t *n, const struct lpm *lp,
			const struct lp_opts *o);

/* Print "  rule 'NAME' (must be <= 1.5e10) needs 2.1e9 more" lines, at most max of them. */
void diagnose_print(FILE *f, const struct lpm *lp, const struct relaxed_rule *r, size_t n,
		    size_t max);

#endif
