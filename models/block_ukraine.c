/* block_ukraine.c - the Ukrainian army: new brigades equipped from Ukraine's purchases, limited
 * by the scarcest item of the brigade kit, counted in the brigades capability. */
#include "blocks.h"

/* When enabled: a buyer and a capability that exist, kit items that exist, per_brigade > 0. */
static int ukraine_check(const struct plan *p, struct diag_list *dl)
{
	const struct ukraine *ua = &p->ukraine;
	size_t k;
	int rc = 0;

	if (!ua->enabled)
		return 0;
	if (ua->buyer < 0 || (size_t)ua->buyer >= p->nbuyers || ua->capability < 0 ||
	    (size_t)ua->capability >= p->ncapabilities) {
		model_error(dl, p, &ua->loc, "ukraine",
			    "ukraine needs a known buyer and capability");
		rc = -1;
	}
	for (k = 0; k < ua->nkit; k++)
		if (ua->kit[k].item < 0 || (size_t)ua->kit[k].item >= p->nitems ||
		    !(ua->kit[k].per_brigade > 0.0)) {
			model_error(dl, p, &ua->kit[k].loc, "ukraine.kit",
				    "kit entry %zu needs a known item and per_brigade > 0", k + 1);
			rc = -1;
		}
	return rc;
}

/* Per year t:
 *   cap_<capability>_<year> counts brigades_existing[t] (a constant, moved to the RHS);
 *   brigades_<year> >= 0, counted +1 in the same row, when every kit item has some Ukrainian
 *                  purchase in service by t (otherwise no new brigade can be equipped);
 *   kit_<item>_<year>: per_brigade x brigades_<year> - S_ua[item, t] <= 0
 * where S_ua is the stock in service from the Ukrainian buyer's purchases only (its kit
 * before the horizon is in brigades_existing). */
static int ukraine_build(struct model_ctx *ctx)
{
	const struct plan *p = ctx->plan;
	const struct ukraine *ua = &p->ukraine;
	int t, col, row, n;
	size_t k;

	if (!ua->enabled)
		return 0;
	for (t = 0; t < p->nyears; t++) {
		int year = p->start_year + t, ok = ua->nkit > 0;

		model_cap_add_const(ctx, ua->capability, t, ua->brigades_existing.v[t]);
		for (k = 0; k < ua->nkit && ok; k++) {
			n = model_add_stock(ctx, -1, ua->kit[k].item, t, &ua->buyer, 1, 1.0, NULL);
			ok = n > 0;
		}
		if (!ok)
			continue;
		col = model_add_col(ctx, model_tag(MV_BRIGADES, -1, -1, -1, t), LPM_LO, 0.0,
				    LPM_INF, 0.0, 0, "brigades_%d", year);
		if (col < 0 ||
		    lpm_add_nz(ctx->lp, MODEL_CAP_ROW(&ctx->ix, ua->capability, t), col, 1.0))
			return -1;
		for (k = 0; k < ua->nkit; k++) {
			const struct kit_entry *ke = &ua->kit[k];

			row = model_add_row(ctx, model_tag(MR_KIT, -1, ua->buyer, ke->item, t),
					    LPM_UP, -LPM_INF, 0.0, "kit_%s_%d",
					    p->items[ke->item].id, year);
			if (row < 0 || lpm_add_nz(ctx->lp, row, col, ke->per_brigade) ||
			    model_add_stock(ctx, row, ke->item, t, &ua->buyer, 1, -1.0, NULL) < 0)
				return -1;
		}
	}
	return 0;
}

const struct model_block block_ukraine = {
    .name = "ukraine",
    .description = "new Ukrainian brigades limited by the scarcest kit item in Ukraine's stock",
    .check = ukraine_check,
    .build = ukraine_build,
};
