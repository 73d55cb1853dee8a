/* sweep.h - parameter sweeps: one or two plan parameters over a grid, each point a solve or
 * a scenario run on common random numbers; and what sweeps and tornado charts keep of a
 * solve (struct sweep_outcome), with the helpers both use. */
#ifndef PORCUPINE_SWEEP_H
#define PORCUPINE_SWEEP_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "lp.h"
#include "model.h"
#include "plan.h"

/* What a sensitivity run keeps of one solve (or, for a scenario run, the mean over the
 * scenarios that solved).  Money in EUR, undiscounted unless said otherwise; quantities
 * summed over the horizon years. */
struct sweep_outcome {
	enum sol_status status; /* of the solve; a scenario run: SOL_OPTIMAL when every
				 * scenario solved, SOL_FEASIBLE when some did, else the
				 * status of the first failed scenario */
	double objective;
	double total_spend_eur, purchase_eur, personnel_eur;
	double shortfall_cost; /* discounted penalties of the shortfalls (capabilities and
				* deployments): the part of the objective that is capability */
	double *shortfall;     /* [plan.ncapabilities]: shortfall over the years (units) */
	double *target;	       /* [plan.ncapabilities]: target over the years (units) */
	double *cat_spend;     /* [plan.ncategories]: purchases per category */
	double *src_spend;     /* [plan.nsources]: money used per source */
	char *message;	       /* why, when the status is not optimal or feasible; or NULL */
	/* scenario runs only (n > 0) */
	size_t n, solved; /* scenarios run, and solved (optimal or feasible) */
	double obj_stderr, obj_p5, obj_p50, obj_p95;
};

/* Free what o owns and zero it (NULL accepted). */
void sweep_outcome_release(struct sweep_outcome *o);

/* Build and solve plan q with options o and keep the outcome.  A plan the model blocks
 * refuse, or a solve that fails, is an outcome (status SOL_FAILED or the solver's status,
 * with a message), not an error.  0, or -1 when memory ran out (out is then empty).
 * Thread-safe for distinct out; q is only read.  Calls lp_solve on the calling thread. */
int sweep_solve(struct sweep_outcome *out, const struct plan *q, const struct lp_opts *o);

/* The same from a solution already extracted (what `solve` reports).  0 or -1 (memory). */
int sweep_outcome_from_results(struct sweep_outcome *out, const struct plan *p,
			       const struct results *r, const char *message);

/* Set (APPLY_SET) or multiply (APPLY_SCALE) every number `path` resolves to in plan q by
 * value, then recompute the derived figures (plan_update_derived).  A result outside what
 * the schema allows for a number is clamped to it when `clamp` (as scenario draws are),
 * else refused: nothing is changed and PLAN_EINVALID is returned with a diagnostic.
 * PLAN_EINVALID also for a path that does not resolve to real numbers (with a suggestion),
 * PLAN_ENOMEM.  Diagnostics name `file` (e.g. "<command line>").  Thread-safe for
 * distinct q. */
int sweep_apply(struct plan *q, const char *path, enum apply_kind apply, double value, int clamp,
		struct diag_list *dl, const char *file);

/* The lp_opts a solve of plan p uses: the plan's MIP gap and time limit, duals on. */
struct lp_opts sweep_lp_opts(const struct plan *p);

#define SWEEP_MAX_AXES 2

/* One swept parameter. */
struct sweep_axis {
	const char *path;      /* borrowed; real numbers only */
	enum apply_kind apply; /* APPLY_SET: the values; APPLY_SCALE: factors on the plan's */
	double from, to;
	int steps; /* intervals: steps + 1 values from `from` to `to` (0: just from) */
};

/* Value k (0..steps) of axis a: from + (to - from) k / steps, exactly `to` at k = steps. */
double sweep_axis_value(const struct sweep_axis *a, int k);

struct sweep_opts {
	struct sweep_axis axis[SWEEP_MAX_AXES];
	int naxes;    /* 1 or 2 */
	size_t nscen; /* 0: one solve per point; N: N scenarios per point, the same
		       * draws (seed, 0..N-1) at every point (see sweep_run) */
	uint64_t seed;
	struct lp_opts lp; /* per solve */
	int threads;	   /* 0: OpenMP's default */
};

struct sweep_point {
	double value[SWEEP_MAX_AXES]; /* the parameters' values (or factors) here */
	struct sweep_outcome out;
};

struct sweep {
	const struct plan *plan;		/* borrowed: the base plan */
	struct sweep_axis axis[SWEEP_MAX_AXES]; /* paths borrowed from the options */
	int naxes;
	size_t nvalues[SWEEP_MAX_AXES]; /* steps + 1 */
	struct sweep_point *points;	/* axis 0 outer, axis 1 inner */
	size_t npoints;
	size_t nscen;
	uint64_t seed;
};

/* Check the options against plan p without solving: each path resolves to real numbers
 * and every value of the grid is allowed there.  PLAN_OK, PLAN_EINVALID (diagnostics in
 * dl, file "<command line>"), PLAN_ENOMEM. */
int sweep_check(const struct plan *p, const struct sweep_opts *o, struct diag_list *dl);

/* Run the sweep: every point on a copy of p with the axes applied.  Without scenarios the
 * points run in parallel with OpenMP; each worker thread builds and solves its own models
 * and frees its solver state (lp_thread_done) before the region ends.  With o->nscen, the
 * points run one after the other, each a scenario run of the point's plan through the
 * scenario engine (scen_run, every core, warm starts from the point's own solve), scenarios
 * 0..nscen-1 under o->seed at every point: the same draws, so differences between points
 * come from the parameter.  An uncertain parameter that sets exactly a swept path (apply:
 * set) is pinned at the swept value; one that scales it applies on top.  A point's outcome
 * is then the mean over the scenarios that solved (shortfall_cost is NAN: the engine does
 * not keep it).  Results are stored per point, so they do not depend on the number of
 * threads.  A point that does not solve is recorded with its status.  Returns PLAN_OK,
 * PLAN_EINVALID (sweep_check failed, or -n and the plan's uncertainty is empty or cannot be
 * sampled), PLAN_ENOMEM.  out is overwritten; sweep_release it. */
int sweep_run(struct sweep *out, const struct plan *p, const struct sweep_opts *o,
	      struct diag_list *dl);
void sweep_release(struct sweep *s);

/* Quantile q (0..1) of the n sorted values v, interpolated between order statistics
 * (Hyndman and Fan type 7); NAN when n is 0. */
double sweep_quantile_sorted(const double *v, size_t n, double q);

#endif
