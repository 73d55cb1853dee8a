/* solution.c - what happens to a solver's answer: the independent re-check, and reading it
 * back into the planner's terms (allocation, funding, requirements, forces). */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "blocks.h"
#include "model.h"

const char *sol_status_name(enum sol_status s)
{
	switch (s) {
	case SOL_OPTIMAL:
		return "optimal";
	case SOL_FEASIBLE:
		return "feasible";
	case SOL_INFEASIBLE:
		return "infeasible";
	case SOL_UNBOUNDED:
		return "unbounded";
	case SOL_TIME_LIMIT:
		return "time_limit";
	case SOL_NUMERICAL:
		return "numerical";
	case SOL_FAILED:
		return "failed";
	}
	return "unknown";
}

void solution_release(struct solution *s)
{
	if (!s)
		return;
	free(s->x);
	free(s->dj);
	free(s->y);
	free(s->act);
	free(s->violation);
	free(s->message);
	free(s->rhs_lo);
	free(s->rhs_hi);
	free(s->cost_lo);
	free(s->cost_hi);
	free(s->group_lo);
	free(s->group_hi);
	memset(s, 0, sizeof(*s));
}

/* ---- re-check --------------------------------------------------------------------------- */

/* The worst violation beyond tolerance seen so far, kept as numbers until the end. */
struct worst {
	double scaled; /* violation / max(1, |bound|), or the fractional part */
	int is_row;    /* 1 row, 0 column */
	size_t index;
	double value; /* activity or column value */
	double bound; /* the bound violated */
	char rel;     /* '<' below lower, '>' above upper, 'i' not integer */
};

/* How far v lies beyond its bounds [lb, ub] of type t, divided by max(scale, |bound|);
 * 0 inside.  *rel and *bound say which side.  A non-finite v is infinitely far. */
static double beyond(enum lpm_bound t, double lb, double ub, double v, double scale, char *rel,
		     double *bound)
{
	int has_lb = t == LPM_LO || t == LPM_DB || t == LPM_FX;
	int has_ub = t == LPM_UP || t == LPM_DB || t == LPM_FX;

	if (!isfinite(v)) {
		*rel = has_lb ? '<' : '>';
		*bound = has_lb ? lb : ub;
		return INFINITY;
	}
	if (has_lb && v < lb) {
		*rel = '<';
		*bound = lb;
		return (lb - v) / fmax(scale, fabs(lb));
	}
	if (has_ub && v > ub) {
		*rel = '>';
		*bound = ub;
		return (v - ub) / fmax(scale, fabs(ub));
	}
	return 0.0;
}

/* Note a violation of size scaled; count it and keep it if it is the worst beyond tol. */
static void note(struct worst *w, int *nviol, double *maxv, double scaled, double tol, int is_row,
		 size_t index, double value, double bound, char rel)
{
	if (scaled > *maxv)
		*maxv = scaled;
	if (!(scaled > tol))
		return;
	(*nviol)++;
	if (scaled > w->scaled) {
		w->scaled = scaled;
		w->is_row = is_row;
		w->index = index;
		w->value = value;
		w->bound = bound;
		w->rel = rel;
	}
}

/* A malloc'ed printf. */
static char *str_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *str_printf(const char *fmt, ...)
{
	va_list ap;
	int n;
	char *s;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	s = pc_malloc((size_t)n + 1);
	if (!s)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

/* "row 'fund_safe_2027' activity 1.5000002e+10 > upper 1.5e+10" and the like. */
static char *describe(const struct lpm *lp, const struct worst *w)
{
	const char *what = w->is_row ? "row" : "column";
	const char *name = w->is_row ? lp->rows[w->index].name : lp->cols[w->index].name;
	const char *val = w->is_row ? "activity" : "value";

	if (w->rel == 'i')
		return str_printf("column '%s' value %.10g is not integer", name, w->value);
	return str_printf("%s '%s' %s %.10g %c %s %.10g", what, name, val, w->value, w->rel,
			  w->rel == '<' ? "lower" : "upper", w->bound);
}

int model_recheck(const struct lpm *lp, struct solution *s, double tol)
{
	struct worst w = {0};
	double maxv = 0.0, bound, v, *mass;
	int nviol = 0;
	size_t k;
	char rel;

	if (!s->x)
		return 0;
	if (!s->act) {
		s->act = pc_malloc((lp->nrows ? lp->nrows : 1) * sizeof(*s->act));
		if (!s->act)
			return -1;
	}
	mass = pc_calloc(lp->nrows + 1, sizeof(*mass));
	if (!mass)
		return -1;
	lpm_row_activity(lp, s->x, s->act);
	/* A row's rounding error grows with its terms, not with its bound: a fund row with
	 * bound 0 balances carry-in against purchases of 1e10 EUR. */
	for (k = 0; k < lp->nnz; k++)
		mass[lp->nz[k].row] += fabs(lp->nz[k].val * s->x[lp->nz[k].col]);
	for (k = 0; k < lp->nrows; k++) {
		const struct lpm_row *r = &lp->rows[k];

		v = beyond(r->type, r->lb, r->ub, s->act[k], fmax(1.0, mass[k]), &rel, &bound);
		if (v > 0.0)
			note(&w, &nviol, &maxv, v, tol, 1, k, s->act[k], bound, rel);
	}
	free(mass);
	for (k = 0; k < lp->ncols; k++) {
		const struct lpm_col *c = &lp->cols[k];

		v = beyond(c->type, c->lb, c->ub, s->x[k], 1.0, &rel, &bound);
		if (v > 0.0)
			note(&w, &nviol, &maxv, v, tol, 0, k, s->x[k], bound, rel);
		if (c->integer && isfinite(s->x[k])) {
			v = fabs(s->x[k] - nearbyint(s->x[k]));
			if (v > 0.0)
				note(&w, &nviol, &maxv, v, MODEL_INT_TOL, 0, k, s->x[k], 0.0, 'i');
		}
	}
	s->max_violation = maxv;
	free(s->violation);
	s->violation = NULL;
	if (nviol > 0) {
		s->violation = describe(lp, &w);
		if (!s->violation)
			return -1;
	}
	return nviol;
}

/* ---- extract ---------------------------------------------------------------------------- */

void results_release(struct results *r)
{
	if (!r)
		return;
	free(r->alloc);
	free(r->fund);
	free(r->req);
	free(r->force);
	free(r->ukraine_brigades);
	memset(r, 0, sizeof(*r));
}

/* Allocate r's per-(thing, year) tables and fill what the plan alone determines. */
static int extract_init(struct results *r, const struct model *m)
{
	const struct plan *p = m->plan;
	size_t T = (size_t)p->nyears, s, c, d, t;

	r->nfund = p->nsources * T;
	r->nreq = p->ncapabilities * T;
	r->nforce = p->ndeployments * T;
	r->fund = pc_calloc(r->nfund + 1, sizeof(*r->fund));
	r->req = pc_calloc(r->nreq + 1, sizeof(*r->req));
	r->force = pc_calloc(r->nforce + 1, sizeof(*r->force));
	if (p->ukraine.enabled)
		r->ukraine_brigades = pc_calloc(T, sizeof(*r->ukraine_brigades));
	if (!r->fund || !r->req || !r->force || (p->ukraine.enabled && !r->ukraine_brigades))
		return -1;
	for (s = 0; s < p->nsources; s++) {
		int last = model_source_last_year(p, (int)s);

		for (t = 0; t < T; t++) {
			struct res_funding *f = &r->fund[s * T + t];

			f->source = (int)s;
			f->year = p->start_year + (int)t;
			f->available_eur = (int)t <= last ? p->sources[s].available.v[t] : 0.0;
		}
	}
	for (c = 0; c < p->ncapabilities; c++)
		for (t = 0; t < T; t++) {
			struct res_req *q = &r->req[c * T + t];

			q->capability = (int)c;
			q->year = p->start_year + (int)t;
			q->target = MODEL_CAP_TARGET(&m->ix, c, t);
			q->achieved = MODEL_CAP_CONST(&m->ix, c, t);
		}
	for (d = 0; d < p->ndeployments; d++)
		for (t = 0; t < T; t++) {
			struct res_force *f = &r->force[d * T + t];
			double want = p->deployments[d].troops.v[t];

			f->deployment = (int)d;
			f->year = p->start_year + (int)t;
			f->target = want > 0.0 ? want : 0.0;
		}
	if (p->ukraine.enabled)
		for (t = 0; t < T; t++)
			r->ukraine_brigades[t] = p->ukraine.brigades_existing.v[t];
	return 0;
}

/* Count the allocation records: purchases of more than a tiny amount. */
#define EXTRACT_TINY 1e-9

int model_extract(struct results *r, const struct model *m, const struct solution *s)
{
	const struct plan *p = m->plan;
	const struct lpm *lp = m->lp;
	size_t T = (size_t)p->nyears, j, i, nalloc = 0;
	double *act = s->act;
	double *own_act = NULL;

	memset(r, 0, sizeof(*r));
	r->status = s->status;
	r->objective = s->objective;
	if (extract_init(r, m))
		goto oom;
	if (!act && s->x) {
		own_act = pc_malloc((lp->nrows ? lp->nrows : 1) * sizeof(*own_act));
		if (!own_act)
			goto oom;
		lpm_row_activity(lp, s->x, own_act);
		act = own_act;
	}
	if (s->x)
		for (j = 0; j < lp->ncols; j++)
			nalloc += lp->cols[j].tag.kind == MV_BUY && s->x[j] > EXTRACT_TINY;
	r->alloc = pc_calloc(nalloc + 1, sizeof(*r->alloc));
	if (!r->alloc)
		goto oom;

	for (j = 0; s->x && j < lp->ncols; j++) {
		const struct lpm_tag *g = &lp->cols[j].tag;
		double v = s->x[j];

		switch (g->kind) {
		case MV_BUY: {
			double eur = v * model_unit_price(p, g->a, g->c, g->d);

			r->fund[(size_t)g->c * T + g->d].used_eur += eur;
			r->purchase_eur += eur;
			if (v > EXTRACT_TINY) {
				struct res_alloc *a = &r->alloc[r->nalloc++];

				a->item = g->a;
				a->buyer = g->b;
				a->source = g->c;
				a->year = p->start_year + g->d;
				a->delivery_year = a->year + p->items[g->a].lead_time;
				a->units = v;
				a->eur = eur;
			}
			break;
		}
		case MV_CARRY:
			r->fund[(size_t)g->a * T + g->d].carry_out_eur = v;
			if ((size_t)g->d + 1 < T)
				r->fund[(size_t)g->a * T + g->d + 1].carry_in_eur = v;
			break;
		case MV_SHORT:
			r->req[(size_t)g->a * T + g->d].shortfall = v;
			break;
		case MV_TROOPS: {
			const struct deployment *dep = &p->deployments[g->a];
			double eur = v * dep->cost_per_troop_year;

			r->force[(size_t)g->a * T + g->d].committed += v;
			r->force[(size_t)g->a * T + g->d].cost_eur += eur;
			r->personnel_eur += eur;
			if (dep->paid_by >= 0)
				r->fund[(size_t)dep->paid_by * T + g->d].used_eur += eur;
			break;
		}
		case MV_DEPLOYED: {
			const struct deployment *dep = &p->deployments[g->a];

			r->force[(size_t)g->a * T + g->d].deployed = v;
			/* The lift need is a column term of the capability row: report it as
			 * part of the target, not as negative achievement. */
			if (dep->lift_capability >= 0)
				r->req[(size_t)dep->lift_capability * T + g->d].target +=
				    model_airlift_need(dep) * v;
			break;
		}
		case MV_DEP_SHORT:
			r->force[(size_t)g->a * T + g->d].shortfall = v;
			break;
		case MV_BRIGADES:
			if (r->ukraine_brigades)
				r->ukraine_brigades[g->d] += v;
			break;
		default:
			break;
		}
	}

	for (i = 0; i < lp->nrows; i++) {
		const struct lpm_tag *g = &lp->rows[i].tag;
		double y = s->has_duals && s->y ? s->y[i] : 0.0;

		switch (g->kind) {
		case MR_FUND:
			/* + 0.0 turns -0.0 (from -y with y == 0) into 0.0 for the reports */
			r->fund[(size_t)g->a * T + g->d].marginal_value =
			    (lp->minimize ? -y : y) + 0.0;
			break;
		case MR_CAPABILITY: {
			struct res_req *q = &r->req[(size_t)g->a * T + g->d];

			q->shadow_price = y;
			/* achieved = row activity + lift need - shortfall + constants: the
			 * constants are already in (extract_init), the need in q->target. */
			if (act)
				q->achieved += act[i] - q->shortfall +
					       (q->target - MODEL_CAP_TARGET(&m->ix, g->a, g->d));
			break;
		}
		default:
			break;
		}
	}
	r->total_spend_eur = r->purchase_eur + r->personnel_eur;
	free(own_act);
	return 0;
oom:
	free(own_act);
	results_release(r);
	return -1;
}
