/* tornado.h - tornado analysis: each uncertain parameter of the plan set to its low and its
 * high value, the others at the plan's values, ranked by how far that swings the result. */
#ifndef PORCUPINE_TORNADO_H
#define PORCUPINE_TORNADO_H

#include <stddef.h>

#include "diag.h"
#include "lp.h"
#include "plan.h"
#include "sweep.h"

/* How a parameter's low and high values are chosen. */
enum tornado_range {
	TORNADO_QUANTILES = 0, /* continuous distributions: the quantiles qlo and qhi of the
				* marginal (P5 and P95 by default) */
	TORNADO_BOUNDS	       /* the distribution's bounds where it has them (triangular,
				* PERT: min and max; uniform: min and max); normal and
				* lognormal keep the quantiles */
};
/* Discrete and Bernoulli parameters always take the lowest and the highest value with a
 * non-zero weight (Bernoulli: 0 and 1, unless p is 0 or 1): quantiles of a few-valued
 * distribution jump over values and can hide one that has less than 5 % weight. */

struct tornado_opts {
	enum tornado_range range;
	double qlo, qhi; /* 0 < qlo < qhi < 1 */
	struct lp_opts lp;
	int threads; /* 0: OpenMP's default */
};
#define TORNADO_OPTS_INIT                                                                          \
	{                                                                                          \
		TORNADO_QUANTILES, 0.05, 0.95, LP_OPTS_INIT, 0                                     \
	}

struct tornado_bar {
	int param;	  /* index into plan.uncertainty.params */
	double low, high; /* the parameter's values (factors when it scales) */
	struct sweep_outcome at_low, at_high;
	double swing; /* |objective at high - objective at low|; NAN when an end did
		       * not solve (such bars sort last) */
};

struct tornado {
	const struct plan *plan; /* borrowed: the base plan */
	struct sweep_outcome base;
	struct tornado_bar *bars; /* largest swing first; ties in the plan's order */
	size_t nbars;
	enum tornado_range range;
	double qlo, qhi;
};

/* The low and high value of uncertain parameter u under options o. */
void tornado_ends(const struct uparam *u, const struct tornado_opts *o, double *low, double *high);

/* Apply value v of uncertain parameter u to plan q: every number its path resolves to is
 * set to v or multiplied by it (u->apply), clamped to what the schema allows, as scenario
 * draws are.  PLAN_OK, PLAN_EINVALID (the path does not resolve: diagnostic), PLAN_ENOMEM. */
int tornado_apply(struct plan *q, const struct uparam *u, double v, struct diag_list *dl);

/* Solve the base plan and, for every parameter of p->uncertainty, the plan with that
 * parameter at its low and at its high value.  The solves run in parallel with OpenMP (each
 * worker frees its solver state with lp_thread_done); results do not depend on the number
 * of threads.  A solve that fails is kept with its status.  Returns PLAN_OK, PLAN_EINVALID
 * (options out of range, or a path that does not resolve: diagnostics in dl), PLAN_ENOMEM.
 * A plan without uncertain parameters gives no bars.  out is overwritten; release it. */
int tornado_run(struct tornado *out, const struct plan *p, const struct tornado_opts *o,
		struct diag_list *dl);
void tornado_release(struct tornado *t);

/* Swing of capability c's shortfall (units over the horizon) on bar b: |high - low|. */
double tornado_shortfall_swing(const struct tornado_bar *b, size_t c);

#endif
