/* diagnose.h - explains an infeasible model: which hard rules contradict each other. */
#ifndef PORCUPINE_DIAGNOSE_H
#define PORCUPINE_DIAGNOSE_H

#include <stdio.h>

#include "lp.h"
#include "lpm.h"

/* One rule the elastic form had to relax. */
struct relaxed_rule {
	int row;          /* row index in the original model */
	double amount;    /* how far the row had to move (in the row's units); 0 for a
			   * limiting rule */
	double relative;  /* amount / max(1, |bound|); for a limiting rule, the weight of
			   * its dual in the elastic problem */
	int limiting;     /* 0: the rule had to be relaxed; 1: it held, but it is what keeps
			   * the relaxed rules from holding (non-zero dual in the elastic form) */
};

/* Solve the elastic form of lp: every row may be violated at a cost proportional to the
 * violation relative to its bound; the original objective is dropped.  The rows that
 * had to be relaxed are the rules in conflict; the rows with a non-zero dual in the
 * elastic form are the ones that keep them from holding.  *out (malloc'ed, caller frees)
 * lists the relaxed rules first (largest relative violation first), then the limiting
 * ones (largest dual weight first).  Returns 0 (n may be 0 when the elastic form found no
 * conflict), or -1 when the elastic form could not be built or solved. */
int diagnose_infeasible(struct relaxed_rule **out, size_t *n, const struct lpm *lp,
			const struct lp_opts *o);

/* Print the relaxed rules ("rule 'NAME' (>= 30) is missed by 12") and the limiting ones
 * ("held by 'NAME' (<= 8)"), at most max of each kind. */
void diagnose_print(FILE *f, const struct lpm *lp, const struct relaxed_rule *r, size_t n,
		    size_t max);

#endif
