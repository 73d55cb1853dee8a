/* blocks.h - what the model blocks share: their table entries and the helpers they use to add
 * terms to each other's rows.  Internal to models/; not a contract for other modules. */
#ifndef PORCUPINE_BLOCKS_H
#define PORCUPINE_BLOCKS_H

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "model.h"

/* A broken invariant inside models/ (not bad input: checks catch that): say where, stop. */
#define MODEL_BUG(msg)                                                                             \
	do {                                                                                       \
		fprintf(stderr, "%s:%d: BUG: %s\n", __FILE__, __LINE__, (msg));                    \
		abort();                                                                           \
	} while (0)

/* The registered blocks, in the order model.c's table lists them. */
extern const struct model_block block_procurement;
extern const struct model_block block_industrial;
extern const struct model_block block_funding;
extern const struct model_block block_eligibility;
extern const struct model_block block_capabilities;
extern const struct model_block block_forces;
extern const struct model_block block_airlift;
extern const struct model_block block_air_defence;
extern const struct model_block block_ukraine;

/* Weight of money in the objective relative to shortfall penalties: 1 for OBJECTIVE_COST,
 * MODEL_MONEY_TIEBREAK for OBJECTIVE_CAPABILITY (money then only breaks ties). */
#define MODEL_MONEY_TIEBREAK 1e-6

/* ---- plan arithmetic (model.c); pure functions of the plan, thread-safe ---------------- */

/* 1 / (1 + discount_rate)^t: a euro or a penalty in horizon year t, at the horizon start. */
double model_discount(const struct plan *p, int t);
/* 1 or MODEL_MONEY_TIEBREAK, see above. */
double model_money_weight(const struct plan *p);
/* Cost factor of drawing one euro from source s (1 when s < 0: no source named). */
double model_cost_factor(const struct plan *p, int s);
/* EUR per unit of item i bought in horizon year t through source s:
 * unit_cost x (1 + cost_growth)^t x (1 - pooled_discount if s's rules are pooled). */
double model_unit_price(const struct plan *p, int i, int s, int t);
/* Last horizon year index in which source s can be drawn (disbursement_until; 0 = horizon
 * end), or -1 when its disbursement ends before the horizon. */
int model_source_last_year(const struct plan *p, int s);
/* Whether buyer b may draw on source s: listed in its buyers (none listed = everyone), holds
 * an allocation when the source has allocations, and can borrow when the source is a loan. */
int model_may_draw(const struct plan *p, int b, int s);
/* Whether source s funds item i's category (no categories listed = all). */
int model_source_funds(const struct plan *p, int s, int i);
/* Index into p->sources[s].allocations of buyer b's allocation, or -1. */
int model_allocation_of(const struct plan *p, int s, int b);
/* Whether deployment d employs troops in year t: a target above 0 and a contributor that can
 * send some (then troop columns exist and personnel is paid from d->paid_by). */
int model_deployment_staffed(const struct plan *p, int d, int t);
/* Whether capability c counts buyer b's stock (no buyers listed = everyone's). */
int model_capability_counts(const struct plan *p, int c, int b);

/* Record an error about the plan at loc (NULL or no file: the plan's file, no position).
 * path is the key path ("items.iris_t_slm.lead_time"), formatted by the caller. */
void model_error(struct diag_list *dl, const struct plan *p, const struct plan_loc *loc,
		 const char *path, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* ---- adding to the LP (model.c) --------------------------------------------------------- */

/* A tag; unused indices -1. */
struct lpm_tag model_tag(int kind, int a, int b, int c, int d);
/* lpm_add_col / lpm_add_row with a printf-formatted name.  -1 on allocation failure. */
int model_add_col(struct model_ctx *ctx, struct lpm_tag tag, enum lpm_bound type, double lb,
		  double ub, double obj, int integer, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));
int model_add_row(struct model_ctx *ctx, struct lpm_tag tag, enum lpm_bound type, double lb,
		  double ub, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Capability c's target in year t grows by delta: the row's lower bound follows. */
void model_cap_add_target(struct model_ctx *ctx, int c, int t, double delta);
/* Capability c in year t gets delta more from a constant (moved to the right-hand side). */
void model_cap_add_const(struct model_ctx *ctx, int c, int t, double delta);

/* ---- industrial base (block_industrial.c) ----------------------------------------------- */

/* Add coef x (stock of item i in service in horizon year t) to row `row`:
 *   S[i,t] = initial_stock (1-a)^(t+1) + sum_{t' <= t-L} sum_{b,s} u[i,b,s,t'] (1-a)^(t-t'-L)
 * with a = attrition, L = lead time.  Only buyers[0..nbuyers) count when nbuyers > 0, and
 * then the initial stock (which belongs to no buyer in particular) does not.  The constant
 * part coef x initial_stock x (1-a)^(t+1) is added to *constant for the caller to move to the
 * right-hand side.  row = -1 only counts.  Returns the number of column terms (added or
 * counted), or -1 on allocation failure. */
int model_add_stock(struct model_ctx *ctx, int row, int i, int t, const int *buyers, size_t nbuyers,
		    double coef, double *constant);

/* ---- funding (block_funding.c) ---------------------------------------------------------- */

/* Column col spends eur EUR per unit of source s in year t: add it to the fund row and to the
 * horizon total row where it exists.  The fund row must exist: block_funding creates one
 * wherever a buy column or a staffed deployment (model_deployment_staffed) spends.
 * 0, or -1 on allocation failure. */
int model_add_spend(struct model_ctx *ctx, int s, int t, int col, double eur);

/* ---- airlift (block_airlift.c) ---------------------------------------------------------- */

/* Tonnes per day of airlift one deployed troop of deployment d needs:
 * sustain_t_per_troop_day x air_share + (12 / tour_months) x 2 x pax_t x air_share / 365. */
double model_airlift_need(const struct deployment *d);

#endif
