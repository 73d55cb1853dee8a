/* model.c - the block registry, model_build / model_free, and the plan arithmetic and LP
 * helpers the blocks share. */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "blocks.h"
#include "model.h"

/* The blocks, in build order: each may add terms to the rows and columns of those before it. */
const struct model_block *const model_blocks[] = {
    &block_procurement,	 /* purchase columns */
    &block_industrial,	 /* capacity rows over those columns */
    &block_funding,	 /* fund rows pricing the purchases */
    &block_eligibility,	 /* content and lead-share rows over purchases */
    &block_capabilities, /* requirement rows from the stock in service */
    &block_forces,	 /* troops; personnel paid through the fund rows */
    &block_airlift,	 /* lift need of deployed troops in a requirement row */
    &block_air_defence,	 /* derived targets of requirement rows */
    &block_ukraine,	 /* brigades in a requirement row */
};
const size_t model_nblocks = sizeof(model_blocks) / sizeof(model_blocks[0]);

/* ---- plan arithmetic -------------------------------------------------------------------- */

double model_discount(const struct plan *p, int t)
{
	return 1.0 / pow(1.0 + p->discount_rate, t);
}

double model_money_weight(const struct plan *p)
{
	return p->objective == OBJECTIVE_CAPABILITY ? MODEL_MONEY_TIEBREAK : 1.0;
}

double model_cost_factor(const struct plan *p, int s)
{
	return s < 0 ? 1.0 : p->sources[s].cost_factor;
}

double model_unit_price(const struct plan *p, int i, int s, int t)
{
	const struct item *it = &p->items[i];
	double price = it->unit_cost * pow(1.0 + it->cost_growth, t);

	if (s >= 0 && p->sources[s].rules.pooled)
		price *= 1.0 - it->pooled_discount;
	return price;
}

int model_source_last_year(const struct plan *p, int s)
{
	int until = p->sources[s].rules.disbursement_until;

	if (until == 0 || until >= p->end_year)
		return p->nyears - 1;
	if (until < p->start_year)
		return -1;
	return until - p->start_year;
}

/* Whether v[0..n) holds x. */
static int int_in(const int *v, size_t n, int x)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (v[k] == x)
			return 1;
	return 0;
}

int model_allocation_of(const struct plan *p, int s, int b)
{
	const struct funding_source *src = &p->sources[s];
	size_t k;

	for (k = 0; k < src->nallocations; k++)
		if (src->allocations[k].buyer == b)
			return (int)k;
	return -1;
}

int model_may_draw(const struct plan *p, int b, int s)
{
	const struct funding_source *src = &p->sources[s];

	if (src->nbuyers > 0 && !int_in(src->buyers, src->nbuyers, b))
		return 0;
	if (src->nallocations > 0 && model_allocation_of(p, s, b) < 0)
		return 0;
	if (src->kind == SOURCE_LOAN && !p->buyers[b].can_borrow)
		return 0;
	return 1;
}

int model_source_funds(const struct plan *p, int s, int i)
{
	const struct funding_source *src = &p->sources[s];

	return src->ncategories == 0 ||
	       int_in(src->categories, src->ncategories, p->items[i].category);
}

int model_deployment_staffed(const struct plan *p, int d, int t)
{
	const struct deployment *dep = &p->deployments[d];
	size_t k;

	if (!(dep->troops.v[t] > 0.0))
		return 0;
	for (k = 0; k < dep->ncontributors; k++)
		if (dep->contributors[k].troops_max > 0.0)
			return 1;
	return 0;
}

int model_capability_counts(const struct plan *p, int c, int b)
{
	const struct capability *cap = &p->capabilities[c];

	return cap->nbuyers == 0 || int_in(cap->buyers, cap->nbuyers, b);
}

void model_error(struct diag_list *dl, const struct plan *p, const struct plan_loc *loc,
		 const char *path, const char *fmt, ...)
{
	const char *file = loc && loc->file ? loc->file : p->file;
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(dl, DIAG_ERROR, file, loc ? loc->line : 0, loc ? loc->col : 0, path, fmt, ap);
	va_end(ap);
}

/* ---- adding to the LP ------------------------------------------------------------------- */

struct lpm_tag model_tag(int kind, int a, int b, int c, int d)
{
	struct lpm_tag tag = {kind, a, b, c, d};

	return tag;
}

int model_add_col(struct model_ctx *ctx, struct lpm_tag tag, enum lpm_bound type, double lb,
		  double ub, double obj, int integer, const char *fmt, ...)
{
	char name[LPM_NAME_MAX + 1];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	return lpm_add_col(ctx->lp, name, type, lb, ub, obj, integer, tag);
}

int model_add_row(struct model_ctx *ctx, struct lpm_tag tag, enum lpm_bound type, double lb,
		  double ub, const char *fmt, ...)
{
	char name[LPM_NAME_MAX + 1];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	return lpm_add_row(ctx->lp, name, type, lb, ub, tag);
}

/* Set capability c's row in year t to >= cap_target - cap_const. */
static void cap_row_sync(struct model_ctx *ctx, int c, int t)
{
	int row = MODEL_CAP_ROW(&ctx->ix, c, t);

	if (row < 0)
		MODEL_BUG("capability row missing");
	lpm_set_row_bounds(ctx->lp, row, LPM_LO,
			   MODEL_CAP_TARGET(&ctx->ix, c, t) - MODEL_CAP_CONST(&ctx->ix, c, t),
			   LPM_INF);
}

void model_cap_add_target(struct model_ctx *ctx, int c, int t, double delta)
{
	MODEL_CAP_TARGET(&ctx->ix, c, t) += delta;
	cap_row_sync(ctx, c, t);
}

void model_cap_add_const(struct model_ctx *ctx, int c, int t, double delta)
{
	MODEL_CAP_CONST(&ctx->ix, c, t) += delta;
	cap_row_sync(ctx, c, t);
}

/* ---- build ------------------------------------------------------------------------------ */

/* n ints set to -1; NULL on failure (n == 0 gives a 1-element array, never NULL by itself). */
static int *index_new(size_t n)
{
	int *v = pc_malloc((n ? n : 1) * sizeof(*v));
	size_t k;

	if (v)
		for (k = 0; k < n; k++)
			v[k] = -1;
	return v;
}

/* Free the index maps and zero them (safe on a half-built index). */
static void index_release(struct model_index *ix)
{
	free(ix->buy);
	free(ix->fund_row);
	free(ix->cap_row);
	free(ix->short_col);
	free(ix->deployed);
	free(ix->carry);
	free(ix->fund_total);
	free(ix->cap_target);
	free(ix->cap_const);
	memset(ix, 0, sizeof(*ix));
}

/* Allocate the index maps for plan p, all -1 (the doubles 0).  0 or -1. */
static int index_init(struct model_index *ix, const struct plan *p)
{
	size_t T = (size_t)p->nyears;
	size_t nbuy = p->nitems * p->nbuyers * p->nsources * T;

	memset(ix, 0, sizeof(*ix));
	ix->nitems = (int)p->nitems;
	ix->nbuyers = (int)p->nbuyers;
	ix->nsources = (int)p->nsources;
	ix->nyears = p->nyears;
	ix->ncaps = (int)p->ncapabilities;
	ix->ndeps = (int)p->ndeployments;
	ix->buy = index_new(nbuy);
	ix->fund_row = index_new(p->nsources * T);
	ix->cap_row = index_new(p->ncapabilities * T);
	ix->short_col = index_new(p->ncapabilities * T);
	ix->deployed = index_new(p->ndeployments * T);
	ix->carry = index_new(p->nsources * T);
	ix->fund_total = index_new(p->nsources);
	ix->cap_target = pc_calloc(p->ncapabilities * T + 1, sizeof(double));
	ix->cap_const = pc_calloc(p->ncapabilities * T + 1, sizeof(double));
	if (!ix->buy || !ix->fund_row || !ix->cap_row || !ix->short_col || !ix->deployed ||
	    !ix->carry || !ix->fund_total || !ix->cap_target || !ix->cap_const) {
		index_release(ix);
		return -1;
	}
	return 0;
}

/* Checks that concern the plan as a whole rather than one block. */
static int check_plan(const struct plan *p, struct diag_list *dl)
{
	if (p->nyears < 1 || p->nyears > PLAN_MAX_YEARS ||
	    p->nyears != p->end_year - p->start_year + 1) {
		model_error(dl, p, NULL, "horizon", "horizon %d..%d must span 1 to %d years",
			    p->start_year, p->end_year, PLAN_MAX_YEARS);
		return -1;
	}
	if (!(p->discount_rate > -1.0)) {
		model_error(dl, p, NULL, "discount_rate", "'discount_rate' must be > -1 (got %g)",
			    p->discount_rate);
		return -1;
	}
	return 0;
}

int model_build(struct model **out, const struct plan *p, struct diag_list *dl)
{
	struct model_ctx ctx;
	struct model *m;
	size_t k;
	int bad;

	*out = NULL;
	bad = check_plan(p, dl) != 0;
	if (!bad)
		for (k = 0; k < model_nblocks; k++)
			if (model_blocks[k]->check && model_blocks[k]->check(p, dl))
				bad = 1;
	if (bad)
		return PLAN_EINVALID;

	m = pc_calloc(1, sizeof(*m));
	if (!m)
		return PLAN_ENOMEM;
	m->plan = p;
	memset(&ctx, 0, sizeof(ctx));
	ctx.plan = p;
	ctx.dl = dl;
	ctx.lp = lpm_new(p->name ? p->name : "porcupine");
	if (!ctx.lp || index_init(&ctx.ix, p))
		goto oom;
	for (k = 0; k < model_nblocks; k++)
		if (model_blocks[k]->build(&ctx) || ctx.lp->oom)
			goto oom;
	if (lpm_finish(ctx.lp))
		goto oom;
	m->lp = ctx.lp;
	m->ix = ctx.ix;
	*out = m;
	return PLAN_OK;
oom:
	lpm_free(ctx.lp);
	index_release(&ctx.ix);
	free(m);
	return PLAN_ENOMEM;
}

void model_free(struct model *m)
{
	if (!m)
		return;
	lpm_free(m->lp);
	index_release(&m->ix);
	free(m);
}
