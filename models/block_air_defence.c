/* block_air_defence.c - air and missile defence: fire units and interceptors needed to cover
 * the defended sites, added as derived targets to the capabilities that count them. */
#include "blocks.h"

/* The capabilities air defence adds targets to must exist. */
static int air_defence_check(const struct plan *p, struct diag_list *dl)
{
	const struct air_defence *ad = &p->air_defence;
	int n = (int)p->ncapabilities;

	if (!ad->enabled)
		return 0;
	if (ad->fire_unit_capability >= n || ad->interceptor_capability >= n ||
	    ad->fire_unit_capability < -1 || ad->interceptor_capability < -1) {
		model_error(dl, p, &ad->loc, "air_defence",
			    "air defence names an unknown capability");
		return -1;
	}
	return 0;
}

/* Derived targets per year t (sites = defended_sites[t]):
 *   fire units:   sites x fire_units_per_site
 *   interceptors: sites x engagements_per_site_year x interceptors_per_engagement
 * added to the targets of fire_unit_capability and interceptor_capability. */
static int air_defence_build(struct model_ctx *ctx)
{
	const struct plan *p = ctx->plan;
	const struct air_defence *ad = &p->air_defence;
	int t;

	if (!ad->enabled)
		return 0;
	for (t = 0; t < p->nyears; t++) {
		double sites = ad->defended_sites.v[t];

		if (ad->fire_unit_capability >= 0)
			model_cap_add_target(ctx, ad->fire_unit_capability, t,
					     sites * ad->fire_units_per_site);
		if (ad->interceptor_capability >= 0)
			model_cap_add_target(ctx, ad->interceptor_capability, t,
					     sites * ad->engagements_per_site_year *
						 ad->interceptors_per_engagement);
	}
	return 0;
}

const struct model_block block_air_defence = {
    .name = "air_defence",
    .description =
	"fire units and interceptors for the defended sites, as derived capability targets",
    .check = air_defence_check,
    .build = air_defence_build,
};
