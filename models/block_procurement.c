/* block_procurement.c - the purchase columns: units of an item a buyer orders through a funding
 * source in a year, at that year's price, where the source's rules allow it. */
#include <math.h>

#include "blocks.h"

/* Whether buyer b's stock of item i can count anywhere: the item provides a capability that
 * counts b's stock, or it is in the Ukrainian brigade kit and b is the Ukrainian buyer.  A
 * purchase that counts nowhere can never improve the objective, so it gets no column. */
static int item_useful(const struct plan *p, int i, int b)
{
	const struct item *it = &p->items[i];
	size_t k;

	for (k = 0; k < it->nprovides; k++)
		if (it->provides[k].amount != 0.0 &&
		    model_capability_counts(p, it->provides[k].capability, b))
			return 1;
	if (p->ukraine.enabled && p->ukraine.buyer == b)
		for (k = 0; k < p->ukraine.nkit; k++)
			if (p->ukraine.kit[k].item == i)
				return 1;
	return 0;
}

/* The plan facts this block indexes with or relies on. */
static int procurement_check(const struct plan *p, struct diag_list *dl)
{
	char path[200];
	size_t i, k;
	int rc = 0;

	for (i = 0; i < p->nitems; i++) {
		const struct item *it = &p->items[i];

		if (it->category < 0 || (size_t)it->category >= p->ncategories) {
			snprintf(path, sizeof(path), "items.%s.category", it->id);
			model_error(dl, p, &it->loc, path, "item '%s' has no valid category",
				    it->id);
			rc = -1;
		}
		if (it->lead_time < 0) {
			snprintf(path, sizeof(path), "items.%s.lead_time", it->id);
			model_error(dl, p, &it->loc, path, "'lead_time' must be >= 0 (got %d)",
				    it->lead_time);
			rc = -1;
		}
		if (!(it->unit_cost > 0.0) || !isfinite(it->unit_cost)) {
			snprintf(path, sizeof(path), "items.%s.unit_cost", it->id);
			model_error(dl, p, &it->loc, path, "'unit_cost' must be > 0 (got %g)",
				    it->unit_cost);
			rc = -1;
		}
		if (!(it->cost_growth > -1.0) || !(it->pooled_discount < 1.0)) {
			snprintf(path, sizeof(path), "items.%s", it->id);
			model_error(dl, p, &it->loc, path,
				    "item '%s' needs cost_growth > -1 and pooled_discount < 1",
				    it->id);
			rc = -1;
		}
		for (k = 0; k < it->nprovides; k++)
			if (it->provides[k].capability < 0 ||
			    (size_t)it->provides[k].capability >= p->ncapabilities) {
				snprintf(path, sizeof(path), "items.%s.provides", it->id);
				model_error(dl, p, &it->loc, path,
					    "item '%s' provides an unknown capability", it->id);
				rc = -1;
			}
	}
	return rc;
}

/* Whole units are counted per lot: for an integer item, the units ordered in a year by all
 * buyers through all sources add up to a whole number (an integer column n[i,t] and the row
 * sum_{b,s} u[i,b,s,t] - n[i,t] = 0).  Buyers' shares of a lot may be fractions, as in
 * co-financed fleets such as the Multinational MRTT Fleet; and the MIP has one integer per
 * item and year instead of one per buyer and source, which keeps branch-and-cut fast. */
static int whole_unit_lots(struct model_ctx *ctx)
{
	const struct plan *p = ctx->plan;
	const struct model_index *ix = &ctx->ix;

	for (int i = 0; i < (int)p->nitems; i++) {
		const struct item *it = &p->items[i];
		if (!it->integer)
			continue;
		for (int t = 0; t < p->nyears; t++) {
			int row = -1, lot;
			for (int b = 0; b < (int)p->nbuyers; b++)
				for (int s = 0; s < (int)p->nsources; s++) {
					int col = MODEL_BUY(ix, i, b, s, t);
					if (col < 0)
						continue;
					if (row < 0) {
						row = model_add_row(ctx, model_tag(MR_LOT, i, -1, -1, t),
								    LPM_FX, 0.0, 0.0, "lot_%s_%d",
								    it->id, p->start_year + t);
						if (row < 0)
							return -1;
					}
					if (lpm_add_nz(ctx->lp, row, col, 1.0) < 0)
						return -1;
				}
			if (row < 0)
				continue;
			lot = model_add_col(ctx, model_tag(MV_LOT, i, -1, -1, t), LPM_LO, 0.0, LPM_INF,
					    0.0, 1, "units_%s_%d", it->id, p->start_year + t);
			if (lot < 0 || lpm_add_nz(ctx->lp, row, lot, -1.0) < 0)
				return -1;
		}
	}
	return 0;
}

/* One column per (item, buyer, source, year) that can matter:
 *   the buyer may draw on the source and the source funds the item's category;
 *   the year is within the source's disbursement window;
 *   the item can be produced that year (capacity != 0) and is delivered within the horizon;
 *   the buyer's stock of the item counts for something (item_useful).
 * Cost in the objective: discount(t) x cost_factor(s) x price(i, s, t) x money weight. */
static int procurement_build(struct model_ctx *ctx)
{
	const struct plan *p = ctx->plan;
	double w = model_money_weight(p);
	int i, b, s, t;

	for (i = 0; i < (int)p->nitems; i++) {
		const struct item *it = &p->items[i];

		for (b = 0; b < (int)p->nbuyers; b++) {
			if (!item_useful(p, i, b))
				continue;
			for (s = 0; s < (int)p->nsources; s++) {
				int last = model_source_last_year(p, s);

				if (!model_may_draw(p, b, s) || !model_source_funds(p, s, i))
					continue;
				for (t = 0; t <= last && t + it->lead_time < p->nyears; t++) {
					double price = model_unit_price(p, i, s, t);
					double obj = model_discount(p, t) *
						     model_cost_factor(p, s) * price * w;
					int col;

					if (it->capacity.v[t] == 0.0)
						continue;
					col = model_add_col(
					    ctx, model_tag(MV_BUY, i, b, s, t), LPM_LO, 0.0,
					    LPM_INF, obj, 0, "buy_%s_%s_%s_%d", it->id,
					    p->buyers[b].id, p->sources[s].id, p->start_year + t);
					if (col < 0)
						return -1;
					MODEL_BUY(&ctx->ix, i, b, s, t) = col;
				}
			}
		}
	}
	return whole_unit_lots(ctx);
}

const struct model_block block_procurement = {
    .name = "procurement",
    .description =
	"units ordered per item, buyer, funding source and year, at the year's (pooled) price",
    .check = procurement_check,
    .build = procurement_build,
};
