/* block_funding.c - the money: what each source makes available per year (with carry-over),
 * its horizon total, per-buyer allocations, pre-financing and the disbursement deadline. */
#include <math.h>

#include "blocks.h"

int model_add_spend(struct model_ctx *ctx, int s, int t, int col, double eur)
{
	int row = MODEL_FUND_ROW(&ctx->ix, s, t);
	int total = ctx->ix.fund_total[s];

	if (row < 0)
		MODEL_BUG("spending from a source in a year without a fund row");
	if (lpm_add_nz(ctx->lp, row, col, eur))
		return -1;
	if (total >= 0 && lpm_add_nz(ctx->lp, total, col, eur))
		return -1;
	return 0;
}

/* Whether any purchase column draws on source s in year t (buyer b only when b >= 0). */
static int buys_from(const struct model_ctx *ctx, int s, int t, int b)
{
	int i, bb;

	for (i = 0; i < ctx->ix.nitems; i++)
		for (bb = 0; bb < ctx->ix.nbuyers; bb++)
			if ((b < 0 || bb == b) && MODEL_BUY(&ctx->ix, i, bb, s, t) >= 0)
				return 1;
	return 0;
}

/* Whether source s pays personnel of a staffed deployment in year t. */
static int pays_personnel(const struct plan *p, int s, int t)
{
	size_t d;

	for (d = 0; d < p->ndeployments; d++)
		if (p->deployments[d].paid_by == s && model_deployment_staffed(p, (int)d, t))
			return 1;
	return 0;
}

/* A usable cost factor per source (the loader computes it); allocations and buyer lists that
 * refer to existing buyers. */
static int funding_check(const struct plan *p, struct diag_list *dl)
{
	char path[200];
	size_t s, k;
	int rc = 0;

	for (s = 0; s < p->nsources; s++) {
		const struct funding_source *src = &p->sources[s];

		if (!(src->cost_factor > 0.0) || !isfinite(src->cost_factor)) {
			snprintf(path, sizeof(path), "funding.%s", src->id);
			model_error(dl, p, &src->loc, path,
				    "source '%s' has no valid cost factor (got %g)", src->id,
				    src->cost_factor);
			rc = -1;
		}
		for (k = 0; k < src->nallocations; k++) {
			const struct allocation *a = &src->allocations[k];

			if (a->buyer < 0 || (size_t)a->buyer >= p->nbuyers || !(a->amount >= 0.0)) {
				snprintf(path, sizeof(path), "funding.%s.allocations", src->id);
				model_error(
				    dl, p, &a->loc, path,
				    "allocation %zu of '%s' needs a buyer and an amount >= 0",
				    k + 1, src->id);
				rc = -1;
			}
		}
		for (k = 0; k < src->nbuyers; k++)
			if (src->buyers[k] < 0 || (size_t)src->buyers[k] >= p->nbuyers) {
				snprintf(path, sizeof(path), "funding.%s.buyers", src->id);
				model_error(dl, p, &src->loc, path,
					    "source '%s' lists an unknown buyer", src->id);
				rc = -1;
			}
	}
	return rc;
}

/* Add "sum of what buyer b (every buyer when b < 0) spends on purchases from source s in
 * years [t0, t1]" to row. */
static int add_purchases(struct model_ctx *ctx, int row, int s, int b, int t0, int t1)
{
	const struct plan *p = ctx->plan;
	int i, bb, t;

	for (i = 0; i < (int)p->nitems; i++)
		for (bb = 0; bb < (int)p->nbuyers; bb++) {
			if (b >= 0 && bb != b)
				continue;
			for (t = t0; t <= t1; t++) {
				int col = MODEL_BUY(&ctx->ix, i, bb, s, t);

				if (col >= 0 &&
				    lpm_add_nz(ctx->lp, row, col, model_unit_price(p, i, s, t)))
					return -1;
			}
		}
	return 0;
}

/* Whether buyer b (every buyer when b < 0) buys from s in any year of [t0, t1]. */
static int buys_between(const struct model_ctx *ctx, int s, int b, int t0, int t1)
{
	int t;

	for (t = t0; t <= t1; t++)
		if (buys_from(ctx, s, t, b))
			return 1;
	return 0;
}

/* The rows of one source; see funding_build. */
static int build_source(struct model_ctx *ctx, int s)
{
	const struct plan *p = ctx->plan;
	const struct funding_source *src = &p->sources[s];
	const struct funding_rules *ru = &src->rules;
	int T = p->nyears, last = model_source_last_year(p, s);
	int last_spend = -1, carry_end, t, i, b, row;
	int spends[PLAN_MAX_YEARS];
	double avail_sum = 0.0;
	size_t k;

	for (t = 0; t < T; t++) {
		spends[t] = buys_from(ctx, s, t, -1) || pays_personnel(p, s, t);
		if (spends[t])
			last_spend = t;
		if (t <= last)
			avail_sum += src->available.v[t];
	}
	if (last_spend < 0)
		return 0;
	/* Money moves forward only while it can still be drawn and spent. */
	carry_end = src->carry_over ? (last < last_spend ? last : last_spend) : 0;

	for (t = 0; t < T; t++) {
		if (!spends[t] && !(carry_end >= 1 && t <= carry_end))
			continue;
		row = model_add_row(ctx, model_tag(MR_FUND, s, -1, -1, t), LPM_UP, -LPM_INF,
				    t <= last ? src->available.v[t] : 0.0, "fund_%s_%d", src->id,
				    p->start_year + t);
		if (row < 0)
			return -1;
		MODEL_FUND_ROW(&ctx->ix, s, t) = row;
	}
	for (t = 0; t < carry_end; t++) {
		int col = model_add_col(ctx, model_tag(MV_CARRY, s, -1, -1, t), LPM_LO, 0.0,
					LPM_INF, 0.0, 0, "carry_%s_%d", src->id, p->start_year + t);

		if (col < 0)
			return -1;
		MODEL_CARRY(&ctx->ix, s, t) = col;
		if (lpm_add_nz(ctx->lp, MODEL_FUND_ROW(&ctx->ix, s, t), col, 1.0) ||
		    lpm_add_nz(ctx->lp, MODEL_FUND_ROW(&ctx->ix, s, t + 1), col, -1.0))
			return -1;
	}
	/* The horizon total can only bind when it is below what the years make available. */
	if (src->total >= 0.0 && src->total < avail_sum) {
		row = model_add_row(ctx, model_tag(MR_FUND_TOTAL, s, -1, -1, -1), LPM_UP, -LPM_INF,
				    src->total, "fundtotal_%s", src->id);
		if (row < 0)
			return -1;
		ctx->ix.fund_total[s] = row;
	}
	for (i = 0; i < (int)p->nitems; i++)
		for (b = 0; b < (int)p->nbuyers; b++)
			for (t = 0; t < T; t++) {
				int col = MODEL_BUY(&ctx->ix, i, b, s, t);

				if (col >= 0 &&
				    model_add_spend(ctx, s, t, col, model_unit_price(p, i, s, t)))
					return -1;
			}

	for (k = 0; k < src->nallocations; k++) {
		const struct allocation *a = &src->allocations[k];
		const char *bid = p->buyers[a->buyer].id;

		if (!buys_between(ctx, s, a->buyer, 0, T - 1))
			continue;
		row = model_add_row(ctx, model_tag(MR_ALLOC, s, a->buyer, -1, -1), LPM_UP, -LPM_INF,
				    a->amount, "alloc_%s_%s", src->id, bid);
		if (row < 0 || add_purchases(ctx, row, s, a->buyer, 0, T - 1))
			return -1;
		if (!(ru->prefinancing_max < 1.0) || !buys_between(ctx, s, a->buyer, 0, 0))
			continue;
		row = model_add_row(ctx, model_tag(MR_PREFIN, s, a->buyer, -1, 0), LPM_UP, -LPM_INF,
				    ru->prefinancing_max * a->amount, "prefin_%s_%s", src->id, bid);
		if (row < 0 || add_purchases(ctx, row, s, a->buyer, 0, 0))
			return -1;
	}
	/* Without allocations, pre-financing limits the first year's draw to a share of the
	 * source's total (when it has one). */
	if (src->nallocations == 0 && ru->prefinancing_max < 1.0 && src->total >= 0.0 &&
	    buys_between(ctx, s, -1, 0, 0)) {
		row = model_add_row(ctx, model_tag(MR_PREFIN, s, -1, -1, 0), LPM_UP, -LPM_INF,
				    ru->prefinancing_max * src->total, "prefin_%s", src->id);
		if (row < 0 || add_purchases(ctx, row, s, -1, 0, 0))
			return -1;
	}
	return 0;
}

/* Per source s (only where something is bought or paid from it):
 *   fund_<s>_<year>:  purchases + personnel + carry_out[t] - carry_out[t-1] <= available[t]
 *                     (available is 0 after the disbursement deadline; personnel terms are
 *                     added by the forces block through model_add_spend);
 *   carry_<s>_<year>: EUR moved to the next year, when carry_over, up to the last year
 *                     money can be both drawn and spent;
 *   fundtotal_<s>:    all spending <= total, when that is below the sum of the years;
 *   alloc_<s>_<b>:    buyer b's purchases <= its allocation;
 *   prefin_<s>_<b>:   buyer b's purchases in the first horizon year <= prefinancing_max x
 *                     allocation (prefin_<s> against the total when there are no allocations).
 * The disbursement deadline itself is enforced by procurement making no columns after it. */
static int funding_build(struct model_ctx *ctx)
{
	int s;

	for (s = 0; s < (int)ctx->plan->nsources; s++)
		if (build_source(ctx, s))
			return -1;
	return 0;
}

const struct model_block block_funding = {
    .name = "funding",
    .description = "money per source and year with carry-over, totals, allocations, pre-financing",
    .check = funding_check,
    .build = funding_build,
};
