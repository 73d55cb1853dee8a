/* block_capabilities.c - the requirements: per capability and year, what the stock in service
 * provides plus an elastic shortfall (at the capability's penalty) meets the target. */
#include "blocks.h"

/* US contribution to capability c in year t at full backing (0 when none is listed). */
static double us_amount(const struct plan *p, int c, int t)
{
	double v = 0.0;
	size_t k;

	for (k = 0; k < p->assumptions.nus; k++)
		if (p->assumptions.us[k].capability == c)
			v += p->assumptions.us[k].amount.v[t];
	return v;
}

/* Penalties >= 0; buyers and US contributions that refer to what exists. */
static int capabilities_check(const struct plan *p, struct diag_list *dl)
{
	char path[200];
	size_t c, k;
	int rc = 0;

	for (c = 0; c < p->ncapabilities; c++) {
		const struct capability *cap = &p->capabilities[c];

		if (!(cap->penalty >= 0.0)) {
			snprintf(path, sizeof(path), "capabilities.%s.penalty", cap->id);
			model_error(dl, p, &cap->loc, path, "'penalty' must be >= 0 (got %g)",
				    cap->penalty);
			rc = -1;
		}
		for (k = 0; k < cap->nbuyers; k++)
			if (cap->buyers[k] < 0 || (size_t)cap->buyers[k] >= p->nbuyers) {
				snprintf(path, sizeof(path), "capabilities.%s.buyers", cap->id);
				model_error(dl, p, &cap->loc, path,
					    "capability '%s' lists an unknown buyer", cap->id);
				rc = -1;
			}
	}
	for (k = 0; k < p->assumptions.nus; k++) {
		const struct us_contribution *u = &p->assumptions.us[k];

		if (u->capability < 0 || (size_t)u->capability >= p->ncapabilities) {
			model_error(dl, p, &u->loc, "assumptions.us_contribution",
				    "US contribution to an unknown capability");
			rc = -1;
		}
	}
	return rc;
}

/* For each capability c and year t:
 *   cap_<c>_<year>:  sum_i provides[i,c] x S[i,t] + short[c,t] >= target[c,t] - us_backing x
 *                    us_contribution[c,t]
 * with S the stock in service (model_add_stock; only c's buyers' purchases when c lists
 * buyers, and then without the initial stock), its constant part moved to the right-hand side.
 *   short_<c>_<year> >= 0, cost discount(t) x penalty.
 * Later blocks add derived targets (air defence), the lift need (airlift) and brigades
 * (Ukraine) to these rows. */
static int capabilities_build(struct model_ctx *ctx)
{
	const struct plan *p = ctx->plan;
	int c, t, i;
	size_t k;

	for (c = 0; c < (int)p->ncapabilities; c++) {
		const struct capability *cap = &p->capabilities[c];

		for (t = 0; t < p->nyears; t++) {
			double target =
			    cap->target.v[t] - p->assumptions.us_backing * us_amount(p, c, t);
			double constant = 0.0;
			int row, col;

			row =
			    model_add_row(ctx, model_tag(MR_CAPABILITY, c, -1, -1, t), LPM_LO,
					  target, LPM_INF, "cap_%s_%d", cap->id, p->start_year + t);
			if (row < 0)
				return -1;
			MODEL_CAP_ROW(&ctx->ix, c, t) = row;
			for (i = 0; i < (int)p->nitems; i++)
				for (k = 0; k < p->items[i].nprovides; k++) {
					const struct provision *pv = &p->items[i].provides[k];

					if (pv->capability != c || pv->amount == 0.0)
						continue;
					if (model_add_stock(ctx, row, i, t, cap->buyers,
							    cap->nbuyers, pv->amount,
							    &constant) < 0)
						return -1;
				}
			/* a hard target keeps its shortfall column, fixed at 0, so the
			 * indices and reports stay the same */
			col = model_add_col(ctx, model_tag(MV_SHORT, c, -1, -1, t),
					    cap->hard ? LPM_FX : LPM_LO, 0.0,
					    cap->hard ? 0.0 : LPM_INF,
					    model_discount(p, t) * cap->penalty, 0,
					    "short_%s_%d", cap->id, p->start_year + t);
			if (col < 0 || lpm_add_nz(ctx->lp, row, col, 1.0))
				return -1;
			MODEL_SHORT(&ctx->ix, c, t) = col;
			MODEL_CAP_TARGET(&ctx->ix, c, t) = target;
			model_cap_add_const(ctx, c, t, constant);
		}
	}
	return 0;
}

const struct model_block block_capabilities = {
    .name = "capabilities",
    .description =
	"per capability and year: provided by the stock in service + shortfall >= target",
    .check = capabilities_check,
    .build = capabilities_build,
};
