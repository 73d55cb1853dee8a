/* ranging.h - how far each budget, target, capacity and price can move before the plan
 * changes: the LP's sensitivity ranges (lp_opts.want_ranging) in the planner's terms. */
#ifndef PORCUPINE_RANGING_H
#define PORCUPINE_RANGING_H

#include <stddef.h>

#include "model.h"

/* One ranged row: a money row (MR_FUND, MR_FUND_TOTAL, MR_ALLOC, MR_PREFIN), a capability
 * requirement (MR_CAPABILITY) or a production capacity (MR_CAPACITY). */
struct rng_row {
	int row;			     /* model row */
	int kind;			     /* MR_* */
	int source, buyer, item, capability; /* plan indices, -1 when not part of the row */
	int year;			     /* calendar year, 0 for rows over the whole horizon */
	double bound; /* the row's bound the range is of: the upper bound of a <= row (money,
		       * capacity), the lower of a >= row (capability: target minus what is
		       * there without purchases) */
	double activity;
	double price;  /* in objective units per unit of bound, signed as the reports sign
			* them: money and capacity rows the marginal value (objective decrease
			* per extra EUR or unit, >= 0 helps), capability rows the shadow price
			* (objective increase per extra unit of target) */
	double lo, hi; /* the bound can move within [lo, hi] and the price holds (the basis
			* stays optimal); +-HUGE_VAL = no limit */
	int binding;   /* the price is not zero */
};

/* One ranged price: a purchase column (item, buyer, source, year). */
struct rng_cost {
	int col;		       /* model column */
	int item, buyer, source, year; /* plan indices; calendar year of the order */
	double units;		       /* units bought in the solution */
	int bought;		       /* units > 0 */
	double obj, obj_lo, obj_hi;    /* the column's objective coefficient and its range */
	double unit_cost;	       /* the item's unit_cost in the plan (EUR, horizon start) */
	/* The range of unit_cost over which these purchases stay optimal, all else fixed:
	 * unit_cost x obj_lo / obj .. unit_cost x obj_hi / obj (the objective coefficient is
	 * proportional to unit_cost: discount x cost factor x price x weight).  It moves the
	 * price in the objective only, not in the money rows the purchase draws on.
	 * +-HUGE_VAL = no limit. */
	double unit_cost_lo, unit_cost_hi;
};

/* One item's unit cost, moved for all its purchases at once (every buyer, source, year:
 * the price is one number).  From the parametric ranging of lp_opts.cost_group. */
struct rng_item {
	int item;	  /* plan index */
	double unit_cost; /* EUR, horizon start */
	double units;	  /* bought over the horizon, every buyer and source */
	int bought;
	/* unit_cost can move within [lo, hi] and every purchase stays as it is (the price as
	 * it enters the objective; the money rows keep the plan's price); +-HUGE_VAL = no limit */
	double lo, hi;
};

struct ranging {
	int mip; /* the ranges are of the LP with the whole-unit lots fixed */
	struct rng_row *rows;
	size_t nrows; /* model order */
	struct rng_cost *costs;
	size_t ncosts; /* model order */
	struct rng_item *items;
	size_t nitems; /* plan order, items with purchase columns;
			* empty when the solve had no cost groups */
};

/* The cost groups for lp_opts.cost_group that give ranging_build its item ranges: a
 * malloc'd array of m->lp->ncols entries, the item index of each purchase column and -1
 * for the rest; *ngroups = the plan's number of items.  NULL when memory ran out. */
int *ranging_cost_groups(const struct model *m, int *ngroups);

/* Read the ranges of solution s (s->has_ranging) of model m into r, in planner's terms.
 * Rows: every money, capability and capacity row.  Costs: every purchase column that buys
 * something, and for each item of which nothing is bought (continuous items, or every
 * item of an LP), the purchase column closest to being bought (the smallest relative fall
 * of its price that would bring it in).  r is overwritten; release with ranging_release.
 * 0; 1 when s has no ranges (r is then empty); -1 on allocation failure (r empty).
 * Thread-safe (reads only). */
int ranging_build(struct ranging *r, const struct model *m, const struct solution *s);
void ranging_release(struct ranging *r);

/* The objective change for a 1 % move of row w's bound, |price x bound| / 100: how much
 * the row matters, comparable between money and capability rows.  Valid within lo..hi. */
double ranging_row_impact(const struct rng_row *w);

/* The smallest relative move of c's unit cost, down or up, that changes the plan
 * (0.05 = 5 %); HUGE_VAL when nothing limits it. */
double ranging_cost_room(const struct rng_cost *c, int up);
/* The same for an item's price. */
double ranging_item_room(const struct rng_item *it, int up);

/* "fund", "fund_total", "allocation", "prefinancing", "capability", "capacity". */
const char *ranging_kind_name(int kind);

#endif
