/* block_airlift.c - the lift a deployed force needs (sustainment and rotations by air), added
 * to the requirement of the deployment's lift capability. */
#include "blocks.h"

/* Days per year, for turning rotations per year into lift per day. */
#define DAYS_PER_YEAR 365.0

double model_airlift_need(const struct deployment *d)
{
	/* Each deployed post is filled 12 / tour_months times a year; every rotated troop flies
	 * in and out (2 movements of pax_t tonnes); air_share of both flows goes by air. */
	double sustain = d->sustain_t_per_troop_day * d->air_share;
	double rotate = (12.0 / d->tour_months) * 2.0 * d->pax_t * d->air_share / DAYS_PER_YEAR;

	return sustain + rotate;
}

/* A lift capability that exists, and tour and share figures the need formula can use. */
static int airlift_check(const struct plan *p, struct diag_list *dl)
{
	char path[200];
	size_t d;
	int rc = 0;

	for (d = 0; d < p->ndeployments; d++) {
		const struct deployment *dep = &p->deployments[d];

		if (dep->lift_capability < 0)
			continue;
		if ((size_t)dep->lift_capability >= p->ncapabilities) {
			snprintf(path, sizeof(path), "forces.%s.lift_capability", dep->id);
			model_error(dl, p, &dep->loc, path,
				    "deployment '%s' names an unknown lift capability", dep->id);
			rc = -1;
		}
		if (!(dep->tour_months > 0.0)) {
			snprintf(path, sizeof(path), "forces.%s.tour_months", dep->id);
			model_error(dl, p, &dep->loc, path,
				    "'tour_months' must be > 0 when a lift capability is named "
				    "(got %g)",
				    dep->tour_months);
			rc = -1;
		}
		if (!(dep->air_share >= 0.0 && dep->air_share <= 1.0) ||
		    !(dep->sustain_t_per_troop_day >= 0.0) || !(dep->pax_t >= 0.0)) {
			snprintf(path, sizeof(path), "forces.%s", dep->id);
			model_error(dl, p, &dep->loc, path,
				    "deployment '%s' needs air_share in [0, 1] and "
				    "sustain_t_per_troop_day, pax_t >= 0",
				    dep->id);
			rc = -1;
		}
	}
	return rc;
}

/* cap_<lift>_<year> gets - need x deployed_<d>_<year> for every deployment d naming the lift
 * capability: what the stock provides must cover the target plus the need. */
static int airlift_build(struct model_ctx *ctx)
{
	const struct plan *p = ctx->plan;
	int d, t;

	for (d = 0; d < (int)p->ndeployments; d++) {
		const struct deployment *dep = &p->deployments[d];
		double need;

		if (dep->lift_capability < 0)
			continue;
		need = model_airlift_need(dep);
		for (t = 0; t < p->nyears; t++) {
			int col = MODEL_DEPLOYED(&ctx->ix, d, t);
			int row = MODEL_CAP_ROW(&ctx->ix, dep->lift_capability, t);

			if (col >= 0 && lpm_add_nz(ctx->lp, row, col, -need))
				return -1;
		}
	}
	return 0;
}

const struct model_block block_airlift = {
    .name = "airlift",
    .description =
	"airlift need of deployed forces (sustainment + rotations) added to the lift capability",
    .check = airlift_check,
    .build = airlift_build,
};
