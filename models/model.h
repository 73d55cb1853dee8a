/* model.h - builds the allocation LP from a plan with registered model blocks, and reads
 * a solution back into planner's terms (allocation, funding, requirements). */
#ifndef PORCUPINE_MODEL_H
#define PORCUPINE_MODEL_H

#include <stddef.h>

#include "diag.h"
#include "lpm.h"
#include "plan.h"

/* Column kinds (lpm_tag.kind) */
enum model_var {
	MV_BUY = 1,     /* units of item a bought by buyer b from source c, ordered in year d */
	MV_CARRY,       /* EUR of source a carried from year d to d+1 */
	MV_SHORT,       /* shortfall of capability a in year d (capability units) */
	MV_TROOPS,      /* troops committed by buyer b to deployment a in year d */
	MV_DEPLOYED,    /* troops deployed in deployment a in year d */
	MV_DEP_SHORT,   /* troops short of deployment a's target in year d */
	MV_BRIGADES,    /* new Ukrainian brigades equipped from purchases in year d */
	MV_LOT,         /* whole units of integer item a ordered in year d, all buyers together */
	MV__COUNT
};

/* Row kinds (lpm_tag.kind) */
enum model_row {
	MR_FUND = 100,  /* money of source a used in year d <= available (+ carry) */
	MR_FUND_TOTAL,  /* money of source a over the horizon <= total */
	MR_ALLOC,       /* buyer b's draw on source a <= its allocation */
	MR_PREFIN,      /* buyer b's first-year draw on source a <= pre-financing share */
	MR_EUCONTENT,   /* European content of source a's spend in year d >= minimum */
	MR_LEAD_SHARE,  /* buyer b's share of the pooled lot of item c in year d (source a) */
	MR_CAPACITY,    /* units of item c ordered in year d <= production capacity */
	MR_CAPABILITY,  /* capability a in year d: provided + shortfall >= target */
	MR_ROTATION,    /* deployment a in year d: committed >= rotation ratio x deployed */
	MR_DEPLOY,      /* deployment a in year d: deployed + short >= target */
	MR_CONTRIB,     /* buyer b's troops over all deployments in year d <= its limit */
	MR_KIT,         /* Ukrainian brigades in year d limited by item c's stock */
	MR_LOT,         /* item a's orders in year d sum to its whole-unit lot */
	MR__END
};

/* Indices of the model's shared rows and columns, filled by the blocks in registry order,
 * so that later blocks add terms to earlier ones' rows.  -1 = absent. Flattened arrays;
 * use the MODEL_* index helpers. */
struct model_index {
	int nitems, nbuyers, nsources, nyears, ncaps, ndeps;
	int *buy;        /* [item][buyer][source][year] -> column */
	int *fund_row;   /* [source][year] -> row */
	int *cap_row;    /* [capability][year] -> row */
	int *short_col;  /* [capability][year] -> column */
	int *deployed;   /* [deployment][year] -> column */
	int *carry;      /* [source][year] -> column carrying EUR from year to year + 1 */
	int *fund_total; /* [source] -> MR_FUND_TOTAL row */
	/* [capability][year]: the target without terms that depend on columns: explicit +
	 * derived (air defence) - US share.  The airlift need, which depends on the troops
	 * deployed, is a column term of the row instead. */
	double *cap_target;
	/* [capability][year]: the part of what is provided that does not depend on columns
	 * (initial stock, existing Ukrainian brigades), moved to the row's right-hand side:
	 * the row's lower bound is cap_target - cap_const. */
	double *cap_const;
};

#define MODEL_BUY(ix, i, b, s, t) \
	((ix)->buy[(((size_t)(i) * (ix)->nbuyers + (b)) * (ix)->nsources + (s)) * (ix)->nyears + (t)])
#define MODEL_FUND_ROW(ix, s, t) ((ix)->fund_row[(size_t)(s) * (ix)->nyears + (t)])
#define MODEL_CAP_ROW(ix, c, t) ((ix)->cap_row[(size_t)(c) * (ix)->nyears + (t)])
#define MODEL_SHORT(ix, c, t) ((ix)->short_col[(size_t)(c) * (ix)->nyears + (t)])
#define MODEL_DEPLOYED(ix, d, t) ((ix)->deployed[(size_t)(d) * (ix)->nyears + (t)])
#define MODEL_CARRY(ix, s, t) ((ix)->carry[(size_t)(s) * (ix)->nyears + (t)])
#define MODEL_CAP_TARGET(ix, c, t) ((ix)->cap_target[(size_t)(c) * (ix)->nyears + (t)])
#define MODEL_CAP_CONST(ix, c, t) ((ix)->cap_const[(size_t)(c) * (ix)->nyears + (t)])

struct model_ctx {
	const struct plan *plan;
	struct lpm *lp;
	struct model_index ix;
	struct diag_list *dl;
};

/* One part of the model, registered in model.c's table (SCIP-style plugin). */
struct model_block {
	const char *name;
	const char *description;
	/* Extra plan checks this block needs (may be NULL). Add diagnostics, return 0 or -1. */
	int (*check)(const struct plan *p, struct diag_list *dl);
	/* Add columns, rows and coefficients.  Return 0, or -1 on allocation failure. */
	int (*build)(struct model_ctx *ctx);
};

extern const struct model_block *const model_blocks[];
extern const size_t model_nblocks;

/* A built model: the LP plus the index maps.  Read-only after model_build. */
struct model {
	const struct plan *plan; /* borrowed */
	struct lpm *lp;
	struct model_index ix;
};

/* Build the model for plan p: every block's check runs first (all problems are reported),
 * then every block's build in registry order, then lpm_finish.  The plan is borrowed and must
 * outlive the model.  Returns PLAN_OK, PLAN_EINVALID (diagnostics in dl: a block's check
 * failed) or PLAN_ENOMEM; *out is NULL on failure.  Thread-safe for distinct dl. */
int model_build(struct model **out, const struct plan *p, struct diag_list *dl);
/* Free a model (NULL accepted); the plan is not touched. */
void model_free(struct model *m);

/* A solution as the solver hands it back, in the model's column/row order. */
enum sol_status {
	SOL_OPTIMAL = 0,
	SOL_FEASIBLE,   /* a MIP incumbent not proven optimal (gap or time limit) */
	SOL_INFEASIBLE,
	SOL_UNBOUNDED,
	SOL_TIME_LIMIT, /* no feasible solution within the limit */
	SOL_NUMERICAL,  /* solver trouble: numerical difficulty, singular basis */
	SOL_FAILED      /* the re-check rejected the solver's answer, or another failure */
};
const char *sol_status_name(enum sol_status s); /* "optimal", "feasible", ... */

struct solution {
	enum sol_status status;
	double objective;
	double *x;     /* column values [ncols] */
	double *dj;    /* reduced costs [ncols] (LP, or MIP with integers fixed) */
	double *y;     /* row duals [nrows] */
	double *act;   /* row activities [nrows], recomputed by us */
	int has_duals;
	double mip_gap;        /* relative gap for MIPs, 0 for LPs */
	long iterations;
	double max_violation;  /* largest row/bound violation found by the re-check, scaled as
				* model_recheck says (relative; fractional part for integers) */
	char *violation;       /* description of the worst violation beyond tolerance, or NULL */
	char *message;         /* solver's explanation for non-optimal statuses, or NULL */
	/* Sensitivity ranges (lp_opts.want_ranging) of the optimal basis: of the LP, or for a
	 * MIP of the LP with the integer columns fixed.  NULL unless has_ranging.
	 * rhs_lo/rhs_hi [nrows]: the row's bound (the active one; for an inactive row the one
	 * it would reach: the upper bound of a <= row, the lower of a >= row) can move within
	 * [lo, hi] and the basis stays optimal, so y[i] stays the row's price.
	 * cost_lo/cost_hi [ncols]: the column's objective coefficient can move within [lo, hi]
	 * and the solution x stays optimal.  No limit is +-HUGE_VAL (infinite). */
	double *rhs_lo, *rhs_hi;
	double *cost_lo, *cost_hi;
	/* [ngroups] (lp_opts.cost_group): every coefficient of group g multiplied by a factor in
	 * [group_lo[g], group_hi[g]] keeps the basis (and x) optimal; 1 is inside.  NULL when
	 * no groups were asked for. */
	double *group_lo, *group_hi;
	int ngroups;
	int has_ranging;
};
/* Free what s owns and zero it (NULL accepted). */
void solution_release(struct solution *s);

/* Independent re-check: recompute every row activity from x in our own arithmetic and check
 * rows and bounds with tolerance tol and integrality (within MODEL_INT_TOL, absolute).
 * A column's violation is measured relative to max(1, |bound|); a row's relative to
 * max(1, |bound|, sum_j |a_ij x_j|): rounding error grows with the row's terms, and a row
 * with bound 0 (a fund row balancing 4.7e10 EUR of carry-in against purchases) would
 * otherwise fail on 1e-5 EUR of noise.  Fills s->act (allocated when NULL), s->max_violation and
 * s->violation (replaced; NULL when nothing is beyond tolerance); s->status is left for the
 * caller to decide.  A non-finite value or activity counts as an infinite violation.
 * Returns the number of violations, 0 when s->x is NULL (nothing to check), or -1 when
 * allocating s->act or the message failed. */
int model_recheck(const struct lpm *lp, struct solution *s, double tol);
/* Integrality tolerance of model_recheck. */
#define MODEL_INT_TOL 1e-6

/* Planner's view of a solution.  Money in EUR, undiscounted.  Years are calendar years;
 * item, buyer, source, capability and deployment are indices into the plan's arrays. */
struct res_alloc {
	int item, buyer, source, year; /* year is the calendar year of the order */
	int delivery_year;
	double units, eur;
};
struct res_funding {
	int source, year;
	double available_eur, used_eur; /* available: the plan's money for that year, 0 after the
					 * source's disbursement deadline; used includes
					 * purchases and personnel */
	double carry_in_eur, carry_out_eur;
	double marginal_value;          /* objective change per extra EUR available (>= 0 helps) */
};
struct res_req {
	int capability, year;
	double target, achieved, shortfall; /* target: explicit + derived (air defence, lift
					     * need of the troops deployed) - US share */
	double shadow_price; /* EUR (objective units) per extra unit of target */
};
struct res_force {
	int deployment, year;
	double target, deployed, committed, shortfall, cost_eur;
};

struct results {
	enum sol_status status;
	double objective;
	double total_spend_eur;  /* purchases + personnel, undiscounted */
	double purchase_eur, personnel_eur;
	struct res_alloc *alloc;   size_t nalloc;   /* rows with units > tiny, model order */
	struct res_funding *fund;  size_t nfund;    /* every source x year */
	struct res_req *req;       size_t nreq;     /* every capability x year */
	struct res_force *force;   size_t nforce;   /* every deployment x year */
	double *ukraine_brigades;  /* [nyears] equipped (existing + new), or NULL */
};

/* Read solution s of model m into r (r's previous contents are ignored; release with
 * results_release).  s->x, s->y and s->act may be NULL: values then read as 0 (activities
 * are recomputed from x when s->act is NULL).  Signs: shadow_price = dual of the capability
 * row = objective increase per extra unit of target; marginal_value = objective decrease per
 * extra EUR available in that year (minus the fund row's dual when minimising).  Both are in
 * objective units: EUR discounted to the horizon start (see docs/model.md).
 * 0, or -1 on allocation failure (r is then released). */
int model_extract(struct results *r, const struct model *m, const struct solution *s);
/* Free what r owns and zero it (NULL accepted). */
void results_release(struct results *r);

#endif
