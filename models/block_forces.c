/* block_forces.c - deployed forces: troops committed by contributors under a rotation ratio,
 * the troops deployed against each year's target, and their personnel cost. */
#include <stdlib.h>

#include "alloc.h"
#include "blocks.h"

/* A rotation ratio of at least 1, a paying source and contributors that exist, costs and
 * penalties >= 0. */
static int forces_check(const struct plan *p, struct diag_list *dl)
{
	char path[200];
	size_t d, k;
	int rc = 0;

	for (d = 0; d < p->ndeployments; d++) {
		const struct deployment *dep = &p->deployments[d];

		if (!(dep->rotation_ratio >= 1.0)) {
			snprintf(path, sizeof(path), "forces.%s.rotation_ratio", dep->id);
			model_error(dl, p, &dep->loc, path,
				    "'rotation_ratio' must be >= 1 (got %g)", dep->rotation_ratio);
			rc = -1;
		}
		if (dep->paid_by < -1 || dep->paid_by >= (int)p->nsources) {
			snprintf(path, sizeof(path), "forces.%s.paid_by", dep->id);
			model_error(dl, p, &dep->loc, path,
				    "deployment '%s' is paid by an unknown source", dep->id);
			rc = -1;
		}
		if (!(dep->cost_per_troop_year >= 0.0) || !(dep->shortfall_penalty >= 0.0)) {
			snprintf(path, sizeof(path), "forces.%s", dep->id);
			model_error(dl, p, &dep->loc, path,
				    "deployment '%s' needs cost_per_troop_year and "
				    "shortfall_penalty >= 0",
				    dep->id);
			rc = -1;
		}
		for (k = 0; k < dep->ncontributors; k++)
			if (dep->contributors[k].buyer < 0 ||
			    (size_t)dep->contributors[k].buyer >= p->nbuyers) {
				snprintf(path, sizeof(path), "forces.%s.contributors", dep->id);
				model_error(dl, p, &dep->contributors[k].loc, path,
					    "deployment '%s' has an unknown contributor", dep->id);
				rc = -1;
			}
	}
	return rc;
}

/* The columns and rows of deployment d in year t (its target is > 0).  troops[b] receives
 * the troop column of each buyer b (or stays -1). */
static int build_year(struct model_ctx *ctx, int d, int t, int *troops)
{
	const struct plan *p = ctx->plan;
	const struct deployment *dep = &p->deployments[d];
	double disc = model_discount(p, t);
	double pay = disc * model_cost_factor(p, dep->paid_by) * dep->cost_per_troop_year *
		     model_money_weight(p);
	int year = p->start_year + t, deployed, dshort, rot, dpl, col;
	size_t k;

	deployed = model_add_col(ctx, model_tag(MV_DEPLOYED, d, -1, -1, t), LPM_LO, 0.0, LPM_INF,
				 0.0, 0, "deployed_%s_%d", dep->id, year);
	dshort = model_add_col(ctx, model_tag(MV_DEP_SHORT, d, -1, -1, t), LPM_LO, 0.0, LPM_INF,
			       disc * dep->shortfall_penalty, 0, "depshort_%s_%d", dep->id, year);
	rot = model_add_row(ctx, model_tag(MR_ROTATION, d, -1, -1, t), LPM_LO, 0.0, LPM_INF,
			    "rotation_%s_%d", dep->id, year);
	dpl = model_add_row(ctx, model_tag(MR_DEPLOY, d, -1, -1, t), LPM_LO, dep->troops.v[t],
			    LPM_INF, "deploy_%s_%d", dep->id, year);
	if (deployed < 0 || dshort < 0 || rot < 0 || dpl < 0)
		return -1;
	MODEL_DEPLOYED(&ctx->ix, d, t) = deployed;
	if (lpm_add_nz(ctx->lp, rot, deployed, -dep->rotation_ratio) ||
	    lpm_add_nz(ctx->lp, dpl, deployed, 1.0) || lpm_add_nz(ctx->lp, dpl, dshort, 1.0))
		return -1;
	for (k = 0; k < dep->ncontributors; k++) {
		const struct contribution *cb = &dep->contributors[k];

		if (!(cb->troops_max > 0.0))
			continue;
		col = model_add_col(ctx, model_tag(MV_TROOPS, d, cb->buyer, -1, t), LPM_DB, 0.0,
				    cb->troops_max, pay, 0, "troops_%s_%s_%d", dep->id,
				    p->buyers[cb->buyer].id, year);
		if (col < 0 || lpm_add_nz(ctx->lp, rot, col, 1.0))
			return -1;
		if (dep->paid_by >= 0 &&
		    model_add_spend(ctx, dep->paid_by, t, col, dep->cost_per_troop_year))
			return -1;
		troops[cb->buyer] = col;
	}
	return 0;
}

/* contrib_<b>_<year>: buyer b's troops over all deployments <= its troops_max, where that is
 * set (> 0) and below the sum of b's per-deployment limits (otherwise it cannot bind). */
static int build_contrib(struct model_ctx *ctx, int t, const int *troops)
{
	const struct plan *p = ctx->plan;
	size_t nb = p->nbuyers, nd = p->ndeployments, b, d;

	for (b = 0; b < nb; b++) {
		double limit = p->buyers[b].troops_max.v[t], sum = 0.0;
		int row;

		if (!(limit > 0.0))
			continue;
		for (d = 0; d < nd; d++)
			if (troops[d * nb + b] >= 0)
				sum += ctx->lp->cols[troops[d * nb + b]].ub;
		if (!(sum > limit))
			continue;
		row = model_add_row(ctx, model_tag(MR_CONTRIB, -1, (int)b, -1, t), LPM_UP, -LPM_INF,
				    limit, "contrib_%s_%d", p->buyers[b].id, p->start_year + t);
		if (row < 0)
			return -1;
		for (d = 0; d < nd; d++)
			if (troops[d * nb + b] >= 0 &&
			    lpm_add_nz(ctx->lp, row, troops[d * nb + b], 1.0))
				return -1;
	}
	return 0;
}

/* Per deployment d and year t with a target troops[t] > 0:
 *   troops_<d>_<b>_<year> in [0, contributor's troops_max], cost discount x cost_factor(paid_by)
 *                     x cost_per_troop_year (x money weight), also spent from paid_by's fund row;
 *   deployed_<d>_<year> >= 0;  depshort_<d>_<year> >= 0, cost discount x shortfall_penalty;
 *   rotation_<d>_<year>: sum_b troops - rotation_ratio x deployed >= 0;
 *   deploy_<d>_<year>:   deployed + depshort >= troops[t];
 * and per buyer and year contrib_<b>_<year> (build_contrib). */
static int forces_build(struct model_ctx *ctx)
{
	const struct plan *p = ctx->plan;
	size_t nb = p->nbuyers, nd = p->ndeployments, k;
	int *troops, d, t, rc = 0;

	if (nd == 0)
		return 0;
	troops = pc_malloc(nd * (nb ? nb : 1) * sizeof(*troops));
	if (!troops)
		return -1;
	for (t = 0; t < p->nyears && rc == 0; t++) {
		for (k = 0; k < nd * nb; k++)
			troops[k] = -1;
		for (d = 0; d < (int)nd && rc == 0; d++)
			if (p->deployments[d].troops.v[t] > 0.0)
				rc = build_year(ctx, d, t, troops + (size_t)d * nb);
		if (rc == 0)
			rc = build_contrib(ctx, t, troops);
	}
	free(troops);
	return rc;
}

const struct model_block block_forces = {
    .name = "forces",
    .description =
	"troops committed under a rotation ratio, deployed against targets, and their cost",
    .check = forces_check,
    .build = forces_build,
};
