/* block_industrial.c - the industrial base: production capacity per item and year, and the
 * stock in service that deliveries (after the lead time) and attrition make of the orders. */
#include <math.h>

#include "blocks.h"

/* Whether buyer b is in buyers[0..n) (n == 0: every buyer is). */
static int buyer_counts(const int *buyers, size_t n, int b)
{
	size_t k;

	if (n == 0)
		return 1;
	for (k = 0; k < n; k++)
		if (buyers[k] == b)
			return 1;
	return 0;
}

int model_add_stock(struct model_ctx *ctx, int row, int i, int t, const int *buyers, size_t nbuyers,
		    double coef, double *constant)
{
	const struct plan *p = ctx->plan;
	const struct item *it = &p->items[i];
	double keep = 1.0 - it->attrition;
	int n = 0, tp, b, s;

	if (nbuyers == 0 && constant)
		*constant += coef * it->initial_stock * pow(keep, t + 1);
	/* Ordered in t', in service from t' + L, then (1 - a) of it survives each later year;
	 * pow(0, 0) = 1: a consumable counts in its delivery year only. */
	for (tp = 0; tp <= t - it->lead_time; tp++) {
		double w = pow(keep, t - tp - it->lead_time);

		if (w == 0.0)
			continue;
		for (b = 0; b < (int)p->nbuyers; b++) {
			if (!buyer_counts(buyers, nbuyers, b))
				continue;
			for (s = 0; s < (int)p->nsources; s++) {
				int col = MODEL_BUY(&ctx->ix, i, b, s, tp);

				if (col < 0)
					continue;
				n++;
				if (row >= 0 && lpm_add_nz(ctx->lp, row, col, coef * w))
					return -1;
			}
		}
	}
	return n;
}

/* Attrition a share in [0, 1] and a non-negative initial stock. */
static int industrial_check(const struct plan *p, struct diag_list *dl)
{
	char path[200];
	size_t i;
	int rc = 0;

	for (i = 0; i < p->nitems; i++) {
		const struct item *it = &p->items[i];

		if (!(it->attrition >= 0.0 && it->attrition <= 1.0)) {
			snprintf(path, sizeof(path), "items.%s.attrition", it->id);
			model_error(dl, p, &it->loc, path,
				    "'attrition' must be between 0 and 1 (got %g)", it->attrition);
			rc = -1;
		}
		if (!(it->initial_stock >= 0.0)) {
			snprintf(path, sizeof(path), "items.%s.initial_stock", it->id);
			model_error(dl, p, &it->loc, path, "'initial_stock' must be >= 0 (got %g)",
				    it->initial_stock);
			rc = -1;
		}
	}
	return rc;
}

/* capacity_<item>_<year>: sum over buyers and sources of units ordered <= capacity, for
 * every item and year with a finite positive capacity and at least one purchase column
 * (capacity 0 means procurement made no columns; < 0 means unlimited). */
static int industrial_build(struct model_ctx *ctx)
{
	const struct plan *p = ctx->plan;
	int i, b, s, t;

	for (i = 0; i < (int)p->nitems; i++) {
		const struct item *it = &p->items[i];

		for (t = 0; t < p->nyears; t++) {
			int row = -1;

			if (!(it->capacity.v[t] > 0.0))
				continue;
			for (b = 0; b < (int)p->nbuyers; b++)
				for (s = 0; s < (int)p->nsources; s++) {
					int col = MODEL_BUY(&ctx->ix, i, b, s, t);

					if (col < 0)
						continue;
					if (row < 0)
						row = model_add_row(
						    ctx, model_tag(MR_CAPACITY, -1, -1, i, t),
						    LPM_UP, -LPM_INF, it->capacity.v[t],
						    "capacity_%s_%d", it->id, p->start_year + t);
					if (row < 0 || lpm_add_nz(ctx->lp, row, col, 1.0))
						return -1;
				}
		}
	}
	return 0;
}

const struct model_block block_industrial = {
    .name = "industrial",
    .description =
	"production capacity per item and year; deliveries after the lead time; stock in service",
    .check = industrial_check,
    .build = industrial_build,
};
