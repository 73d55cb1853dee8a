/* ranging.c - the LP's sensitivity ranges read back into budgets, targets, capacities and
 * item prices (the GLPK analysis itself is in lp_glpk.c). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "ranging.h"

/* A purchase smaller than this is nothing (as model_extract counts it). */
#define RNG_TINY 1e-9
/* Duals smaller than this are the simplex's rounding, not a price. */
#define RNG_PRICE_TINY 1e-10

const char *ranging_kind_name(int kind)
{
	switch (kind) {
	case MR_FUND:
		return "fund";
	case MR_FUND_TOTAL:
		return "fund_total";
	case MR_ALLOC:
		return "allocation";
	case MR_PREFIN:
		return "prefinancing";
	case MR_CAPABILITY:
		return "capability";
	case MR_CAPACITY:
		return "capacity";
	default:
		return "row";
	}
}

static int ranged_kind(int kind)
{
	return kind == MR_FUND || kind == MR_FUND_TOTAL || kind == MR_ALLOC || kind == MR_PREFIN ||
	       kind == MR_CAPABILITY || kind == MR_CAPACITY;
}

void ranging_release(struct ranging *r)
{
	if (!r)
		return;
	free(r->rows);
	free(r->costs);
	free(r->items);
	memset(r, 0, sizeof(*r));
}

double ranging_row_impact(const struct rng_row *w)
{
	return fabs(w->price * w->bound) / 100.0;
}

static double room(double value, double lo, double hi, int up)
{
	if (!(value > 0))
		return HUGE_VAL;
	double lim = up ? hi : lo;
	if (isinf(lim) || isnan(lim))
		return HUGE_VAL;
	double v = up ? (lim - value) / value : (value - lim) / value;
	return v > 0 ? v : 0.0;
}

double ranging_cost_room(const struct rng_cost *c, int up)
{
	return room(c->unit_cost, c->unit_cost_lo, c->unit_cost_hi, up);
}

double ranging_item_room(const struct rng_item *it, int up)
{
	return room(it->unit_cost, it->lo, it->hi, up);
}

int *ranging_cost_groups(const struct model *m, int *ngroups)
{
	const struct lpm *lp = m->lp;
	int *g = pc_malloc((lp->ncols + 1) * sizeof(*g));
	if (!g)
		return NULL;
	for (size_t j = 0; j < lp->ncols; j++) {
		const struct lpm_tag *t = &lp->cols[j].tag;
		g[j] = t->kind == MV_BUY && t->a >= 0 && (size_t)t->a < m->plan->nitems ? t->a : -1;
	}
	*ngroups = (int)m->plan->nitems;
	return g;
}

/* Item ranges from the group factors (groups = items, see ranging_cost_groups). */
static int build_items(struct ranging *r, const struct model *m, const struct solution *s)
{
	const struct plan *p = m->plan;
	const struct lpm *lp = m->lp;
	double *units = pc_calloc(p->nitems + 1, sizeof(*units));
	unsigned char *has = pc_calloc(p->nitems + 1, 1);

	r->items = pc_calloc(p->nitems + 1, sizeof(*r->items));
	if (!units || !has || !r->items) {
		free(units);
		free(has);
		return -1;
	}
	for (size_t j = 0; j < lp->ncols; j++) {
		const struct lpm_tag *t = &lp->cols[j].tag;
		if (t->kind != MV_BUY || t->a < 0 || (size_t)t->a >= p->nitems)
			continue;
		has[t->a] = 1;
		if (s->x && s->x[j] > RNG_TINY)
			units[t->a] += s->x[j];
	}
	for (size_t i = 0; i < p->nitems && (int)i < s->ngroups; i++) {
		if (!has[i])
			continue;
		struct rng_item *it = &r->items[r->nitems++];
		it->item = (int)i;
		it->unit_cost = p->items[i].unit_cost;
		it->units = units[i];
		it->bought = units[i] > RNG_TINY;
		it->lo = isinf(s->group_lo[i]) ? -HUGE_VAL : it->unit_cost * s->group_lo[i];
		it->hi = isinf(s->group_hi[i]) ? HUGE_VAL : it->unit_cost * s->group_hi[i];
	}
	free(units);
	free(has);
	return 0;
}

static void fill_row(struct rng_row *w, const struct model *m, const struct solution *s, size_t i)
{
	const struct plan *p = m->plan;
	const struct lpm_row *row = &m->lp->rows[i];
	const struct lpm_tag *g = &row->tag;
	double y = s->y ? s->y[i] : 0.0;

	memset(w, 0, sizeof(*w));
	w->row = (int)i;
	w->kind = g->kind;
	w->source = w->buyer = w->item = w->capability = -1;
	w->year = g->d >= 0 ? p->start_year + g->d : 0;
	switch (g->kind) {
	case MR_FUND:
	case MR_FUND_TOTAL:
		w->source = g->a;
		break;
	case MR_ALLOC:
	case MR_PREFIN:
		w->source = g->a;
		w->buyer = g->b;
		break;
	case MR_CAPACITY:
		w->item = g->c;
		break;
	case MR_CAPABILITY:
		w->capability = g->a;
		break;
	}
	/* >= rows (requirements) are ranged on their lower bound, the others on their upper */
	w->bound = row->type == LPM_LO || row->type == LPM_FX ? row->lb : row->ub;
	w->activity = s->act ? s->act[i] : 0.0;
	w->price = g->kind == MR_CAPABILITY ? y : -y;
	if (w->price == 0.0)
		w->price = 0.0;
	w->lo = s->rhs_lo[i];
	w->hi = s->rhs_hi[i];
	/* a price below the solver's noise is no price */
	w->binding = fabs(w->price) > RNG_PRICE_TINY;
}

/* unit_cost x coef / obj, keeping "no limit" as it is. */
static double scaled(double unit_cost, double coef, double obj)
{
	if (isinf(coef))
		return coef;
	return unit_cost * (coef / obj);
}

static void fill_cost(struct rng_cost *c, const struct model *m, const struct solution *s, size_t j)
{
	const struct plan *p = m->plan;
	const struct lpm_col *col = &m->lp->cols[j];
	const struct lpm_tag *g = &col->tag;

	memset(c, 0, sizeof(*c));
	c->col = (int)j;
	c->item = g->a;
	c->buyer = g->b;
	c->source = g->c;
	c->year = p->start_year + g->d;
	c->units = s->x ? s->x[j] : 0.0;
	c->bought = c->units > RNG_TINY;
	c->obj = col->obj;
	c->obj_lo = s->cost_lo[j];
	c->obj_hi = s->cost_hi[j];
	c->unit_cost = g->a >= 0 && (size_t)g->a < p->nitems ? p->items[g->a].unit_cost : NAN;
	if (col->obj > 0) {
		c->unit_cost_lo = scaled(c->unit_cost, c->obj_lo, col->obj);
		c->unit_cost_hi = scaled(c->unit_cost, c->obj_hi, col->obj);
	} else {
		/* a free purchase: its price cannot be read back */
		c->unit_cost_lo = c->unit_cost_hi = NAN;
	}
}

/* Relative fall of the objective coefficient that would bring column j in. */
static double entry_gap(const struct model *m, const struct solution *s, size_t j)
{
	double obj = m->lp->cols[j].obj, lo = s->cost_lo[j];
	if (!(obj > 0) || isinf(lo))
		return HUGE_VAL;
	return (obj - lo) / obj;
}

int ranging_build(struct ranging *r, const struct model *m, const struct solution *s)
{
	const struct lpm *lp = m->lp;
	const struct plan *p = m->plan;
	size_t nrows = 0, ncosts = 0, *closest = NULL;
	unsigned char *has_buy = NULL;

	memset(r, 0, sizeof(*r));
	if (!s->has_ranging || !s->rhs_lo || !s->cost_lo)
		return 1;
	for (size_t j = 0; j < lp->ncols; j++)
		if (lp->cols[j].integer)
			r->mip = 1;
	for (size_t i = 0; i < lp->nrows; i++)
		nrows += ranged_kind(lp->rows[i].tag.kind);

	/* items with purchases, and for the others the column closest to being bought */
	has_buy = pc_calloc(p->nitems + 1, 1);
	closest = pc_malloc((p->nitems + 1) * sizeof(*closest));
	if (!has_buy || !closest)
		goto nomem;
	for (size_t i = 0; i < p->nitems; i++)
		closest[i] = (size_t)-1;
	for (size_t j = 0; j < lp->ncols; j++) {
		const struct lpm_tag *g = &lp->cols[j].tag;
		if (g->kind != MV_BUY || g->a < 0 || (size_t)g->a >= p->nitems)
			continue;
		if (s->x && s->x[j] > RNG_TINY) {
			has_buy[g->a] = 1;
			ncosts++;
		} else {
			size_t *b = &closest[g->a];
			if (*b == (size_t)-1 || entry_gap(m, s, j) < entry_gap(m, s, *b))
				*b = j;
		}
	}
	for (size_t i = 0; i < p->nitems; i++)
		/* with the lots fixed, an integer item not bought cannot come in */
		if (!has_buy[i] && closest[i] != (size_t)-1 && !(r->mip && p->items[i].integer))
			ncosts++;

	r->rows = pc_calloc(nrows + 1, sizeof(*r->rows));
	r->costs = pc_calloc(ncosts + 1, sizeof(*r->costs));
	if (!r->rows || !r->costs)
		goto nomem;
	for (size_t i = 0; i < lp->nrows; i++)
		if (ranged_kind(lp->rows[i].tag.kind))
			fill_row(&r->rows[r->nrows++], m, s, i);
	for (size_t j = 0; j < lp->ncols; j++) {
		const struct lpm_tag *g = &lp->cols[j].tag;
		if (g->kind != MV_BUY || g->a < 0 || (size_t)g->a >= p->nitems)
			continue;
		int want = (s->x && s->x[j] > RNG_TINY) || (!has_buy[g->a] && closest[g->a] == j &&
							    !(r->mip && p->items[g->a].integer));
		if (want)
			fill_cost(&r->costs[r->ncosts++], m, s, j);
	}
	if (s->group_lo && s->group_hi && build_items(r, m, s) != 0)
		goto nomem;
	free(has_buy);
	free(closest);
	return 0;
nomem:
	free(has_buy);
	free(closest);
	ranging_release(r);
	return -1;
}
