/* block_eligibility.c - what a source's rules allow: European content of the spend it funds,
 * and common procurement (no buyer above the lead share of a pooled lot, so that at least
 * min_countries take part) after the single-buyer window. */
#include "blocks.h"

/* The lead-share cap that applies to source s, or 1 when none does.
 * lead_share_max < 1 caps each buyer's share directly.  min_countries = k >= 2 needs every
 * share below 1/(k-1) (k-1 buyers must not be able to make up the whole lot); when
 * lead_share_max does not already ensure that, the cap becomes 1/k (k equal shares), the
 * largest cap a non-strict inequality can use to force k countries. */
static double lead_cap(const struct funding_rules *ru)
{
	double cap =
	    ru->lead_share_max > 0.0 && ru->lead_share_max < 1.0 ? ru->lead_share_max : 1.0;
	int k = ru->min_countries;

	if (k >= 2 && !(cap < 1.0 / (k - 1)))
		cap = 1.0 / k;
	return cap;
}

/* Shares the rows can use: content minimum in [0, 1], lead share >= 0. */
static int eligibility_check(const struct plan *p, struct diag_list *dl)
{
	char path[200];
	size_t s;
	int rc = 0;

	for (s = 0; s < p->nsources; s++) {
		const struct funding_source *src = &p->sources[s];

		if (!(src->rules.european_content_min >= 0.0 &&
		      src->rules.european_content_min <= 1.0)) {
			snprintf(path, sizeof(path), "funding.%s.rules.european_content_min",
				 src->id);
			model_error(dl, p, &src->loc, path,
				    "'european_content_min' must be between 0 and 1 (got %g)",
				    src->rules.european_content_min);
			rc = -1;
		}
		if (!(src->rules.lead_share_max >= 0.0)) {
			snprintf(path, sizeof(path), "funding.%s.rules.lead_share_max", src->id);
			model_error(dl, p, &src->loc, path,
				    "'lead_share_max' must be >= 0 (got %g)",
				    src->rules.lead_share_max);
			rc = -1;
		}
	}
	return rc;
}

/* eucontent_<s>_<year>: sum over items and buyers of (european_content_i - min) x price x u
 * >= 0, i.e. the European share of the spend source s funds in that year is at least min.
 * Only where some funded item falls short of the minimum (otherwise the row cannot bind). */
static int build_content(struct model_ctx *ctx, int s)
{
	const struct plan *p = ctx->plan;
	double min = p->sources[s].rules.european_content_min;
	int i, b, t;

	if (!(min > 0.0))
		return 0;
	for (t = 0; t < p->nyears; t++) {
		int short_item = 0, row;

		for (i = 0; i < (int)p->nitems && !short_item; i++)
			for (b = 0; b < (int)p->nbuyers; b++)
				if (MODEL_BUY(&ctx->ix, i, b, s, t) >= 0 &&
				    p->items[i].european_content < min) {
					short_item = 1;
					break;
				}
		if (!short_item)
			continue;
		row =
		    model_add_row(ctx, model_tag(MR_EUCONTENT, s, -1, -1, t), LPM_LO, 0.0, LPM_INF,
				  "eucontent_%s_%d", p->sources[s].id, p->start_year + t);
		if (row < 0)
			return -1;
		for (i = 0; i < (int)p->nitems; i++)
			for (b = 0; b < (int)p->nbuyers; b++) {
				int col = MODEL_BUY(&ctx->ix, i, b, s, t);
				double c = (p->items[i].european_content - min) *
					   model_unit_price(p, i, s, t);

				if (col >= 0 && lpm_add_nz(ctx->lp, row, col, c))
					return -1;
			}
	}
	return 0;
}

/* lead_<s>_<b>_<i>_<year>, for years after single_buyer_until and each buyer b with a
 * purchase column of item i from s that year:
 *   price_s u[i,b,s,t] - cap x sum_{b',s'} price_s' u[i,b',s',t] <= 0
 * b's spend through s is at most cap of the whole lot of item i that year (every buyer,
 * every source, b's own other purchases included). */
static int build_lead(struct model_ctx *ctx, int s)
{
	const struct plan *p = ctx->plan;
	const struct funding_source *src = &p->sources[s];
	double cap = lead_cap(&src->rules);
	int i, b, t, bb, ss;

	if (!(cap < 1.0))
		return 0;
	for (t = 0; t < p->nyears; t++) {
		if (src->rules.single_buyer_until != 0 &&
		    p->start_year + t <= src->rules.single_buyer_until)
			continue;
		for (b = 0; b < (int)p->nbuyers; b++)
			for (i = 0; i < (int)p->nitems; i++) {
				int col = MODEL_BUY(&ctx->ix, i, b, s, t), row;

				if (col < 0)
					continue;
				row = model_add_row(ctx, model_tag(MR_LEAD_SHARE, s, b, i, t),
						    LPM_UP, -LPM_INF, 0.0, "lead_%s_%s_%s_%d",
						    src->id, p->buyers[b].id, p->items[i].id,
						    p->start_year + t);
				if (row < 0 ||
				    lpm_add_nz(ctx->lp, row, col, model_unit_price(p, i, s, t)))
					return -1;
				for (bb = 0; bb < (int)p->nbuyers; bb++)
					for (ss = 0; ss < (int)p->nsources; ss++) {
						int c2 = MODEL_BUY(&ctx->ix, i, bb, ss, t);

						if (c2 >= 0 && lpm_add_nz(ctx->lp, row, c2,
									  -cap * model_unit_price(
										     p, i, ss, t)))
							return -1;
					}
			}
	}
	return 0;
}

/* Content and lead-share rows of every source (each only where its rule is on). */
static int eligibility_build(struct model_ctx *ctx)
{
	int s;

	for (s = 0; s < (int)ctx->plan->nsources; s++)
		if (build_content(ctx, s) || build_lead(ctx, s))
			return -1;
	return 0;
}

const struct model_block block_eligibility = {
    .name = "eligibility",
    .description =
	"European content of funded spend; common procurement (lead share, minimum countries)",
    .check = eligibility_check,
    .build = eligibility_build,
};
