/* sweep.c - parameter sweeps over a grid (each point a solve, or scenarios on common random
 * numbers), run in parallel with OpenMP; and the per-solve outcome sweeps and tornado
 * charts keep. */
#include <float.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "params.h"
#include "scen.h"
#include "sweep.h"

#define CMDLINE "<command line>"

/* ---- outcomes --------------------------------------------------------------------------- */

void sweep_outcome_release(struct sweep_outcome *o)
{
	if (!o)
		return;
	free(o->shortfall);
	free(o->target);
	free(o->cat_spend);
	free(o->src_spend);
	free(o->message);
	memset(o, 0, sizeof(*o));
}

static char *dup_text(const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	char *d = pc_malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

/* Allocate the per-capability, -category and -source arrays of o (zeroed). */
static int outcome_alloc(struct sweep_outcome *o, const struct plan *p)
{
	o->shortfall = pc_calloc(p->ncapabilities + 1, sizeof(double));
	o->target = pc_calloc(p->ncapabilities + 1, sizeof(double));
	o->cat_spend = pc_calloc(p->ncategories + 1, sizeof(double));
	o->src_spend = pc_calloc(p->nsources + 1, sizeof(double));
	if (!o->shortfall || !o->target || !o->cat_spend || !o->src_spend) {
		sweep_outcome_release(o);
		return -1;
	}
	return 0;
}

static double discount(const struct plan *p, int year)
{
	return 1.0 / pow(1.0 + p->discount_rate, year - p->start_year);
}

int sweep_outcome_from_results(struct sweep_outcome *out, const struct plan *p,
			       const struct results *r, const char *message)
{
	memset(out, 0, sizeof(*out));
	if (outcome_alloc(out, p) != 0)
		return -1;
	out->status = r->status;
	out->objective = r->objective;
	out->total_spend_eur = r->total_spend_eur;
	out->purchase_eur = r->purchase_eur;
	out->personnel_eur = r->personnel_eur;
	for (size_t k = 0; k < r->nreq; k++) {
		const struct res_req *q = &r->req[k];
		if (q->capability < 0 || (size_t)q->capability >= p->ncapabilities)
			continue;
		out->shortfall[q->capability] += q->shortfall;
		out->target[q->capability] += q->target;
		out->shortfall_cost +=
		    discount(p, q->year) * p->capabilities[q->capability].penalty * q->shortfall;
	}
	for (size_t k = 0; k < r->nforce; k++) {
		const struct res_force *f = &r->force[k];
		if (f->deployment >= 0 && (size_t)f->deployment < p->ndeployments)
			out->shortfall_cost += discount(p, f->year) *
					       p->deployments[f->deployment].shortfall_penalty *
					       f->shortfall;
	}
	for (size_t k = 0; k < r->nalloc; k++) {
		int i = r->alloc[k].item;
		if (i >= 0 && (size_t)i < p->nitems && p->items[i].category >= 0 &&
		    (size_t)p->items[i].category < p->ncategories)
			out->cat_spend[p->items[i].category] += r->alloc[k].eur;
	}
	for (size_t k = 0; k < r->nfund; k++) {
		int s = r->fund[k].source;
		if (s >= 0 && (size_t)s < p->nsources)
			out->src_spend[s] += r->fund[k].used_eur;
	}
	if (message && !(out->message = dup_text(message))) {
		sweep_outcome_release(out);
		return -1;
	}
	return 0;
}

/* An outcome without a solution: the status and why. */
static int outcome_failed(struct sweep_outcome *out, const struct plan *p, enum sol_status st,
			  const char *why)
{
	memset(out, 0, sizeof(*out));
	if (outcome_alloc(out, p) != 0)
		return -1;
	out->status = st;
	out->objective = out->total_spend_eur = out->purchase_eur = out->personnel_eur = NAN;
	out->shortfall_cost = NAN;
	for (size_t c = 0; c < p->ncapabilities; c++)
		out->shortfall[c] = out->target[c] = NAN;
	for (size_t c = 0; c < p->ncategories; c++)
		out->cat_spend[c] = NAN;
	for (size_t s = 0; s < p->nsources; s++)
		out->src_spend[s] = NAN;
	if (why && !(out->message = dup_text(why))) {
		sweep_outcome_release(out);
		return -1;
	}
	return 0;
}

struct lp_opts sweep_lp_opts(const struct plan *p)
{
	struct lp_opts o = LP_OPTS_INIT;
	/* as `solve` sets them, so that a point equal to the plan reproduces solve exactly */
	if (p->solver.mip_gap > 0)
		o.mip_gap = p->solver.mip_gap;
	o.time_limit_s = p->solver.time_limit_s;
	return o;
}

int sweep_solve(struct sweep_outcome *out, const struct plan *q, const struct lp_opts *o)
{
	struct diag_list dl;
	struct model *m = NULL;
	struct solution sol;
	struct results res;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	memset(&sol, 0, sizeof(sol));
	memset(&res, 0, sizeof(res));
	diag_list_init(&dl);
	int b = model_build(&m, q, &dl);
	if (b == PLAN_ENOMEM)
		goto out;
	if (b != PLAN_OK) {
		char why[400] = "the model refuses the plan";
		for (size_t k = 0; k < dl.n; k++)
			if (dl.v[k].severity == DIAG_ERROR) {
				snprintf(why, sizeof(why), "the model refuses the plan: %s%s%s",
					 dl.v[k].path ? dl.v[k].path : "", dl.v[k].path ? ": " : "",
					 dl.v[k].message);
				break;
			}
		rc = outcome_failed(out, q, SOL_FAILED, why);
		goto out;
	}
	if (lp_solve(&sol, m->lp, o) != 0)
		goto out;
	if (sol.status != SOL_OPTIMAL && sol.status != SOL_FEASIBLE) {
		char why[600];
		snprintf(why, sizeof(why), "%s%s%s", sol_status_name(sol.status),
			 sol.message ? ": " : "", sol.message ? sol.message : "");
		rc = outcome_failed(out, q, sol.status, why);
		goto out;
	}
	if (model_extract(&res, m, &sol) != 0)
		goto out;
	rc = sweep_outcome_from_results(out, q, &res, sol.message);
out:
	results_release(&res);
	solution_release(&sol);
	model_free(m);
	diag_list_release(&dl);
	return rc;
}

/* ---- applying values -------------------------------------------------------------------- */

static void fmt_bound(char *buf, size_t n, double v)
{
	snprintf(buf, n, "%.6g", v);
}

int sweep_apply(struct plan *q, const char *path, enum apply_kind apply, double value, int clamp,
		struct diag_list *dl, const char *file)
{
	struct param_slot *sl;
	size_t n;
	int rc = params_resolve(&sl, &n, q, path, dl, file, 0, 0);

	if (rc != PLAN_OK)
		return rc;
	if (!isfinite(value)) {
		diag_error(dl, file, 0, 0, path, "the value for '%s' is not a finite number", path);
		free(sl);
		return PLAN_EINVALID;
	}
	if (!clamp) {
		for (size_t i = 0; i < n; i++) {
			double v = apply == APPLY_SCALE ? *sl[i].value * value : value;
			if (v >= sl[i].min && v <= sl[i].max)
				continue;
			char got[32], lo[32], hi[32];
			fmt_bound(got, sizeof(got), v);
			fmt_bound(lo, sizeof(lo), sl[i].min);
			fmt_bound(hi, sizeof(hi), sl[i].max);
			if (sl[i].max >= DBL_MAX)
				diag_error(dl, file, 0, 0, path, "'%s' must be >= %s (got %s)",
					   path, lo, got);
			else if (sl[i].min <= -DBL_MAX)
				diag_error(dl, file, 0, 0, path, "'%s' must be <= %s (got %s)",
					   path, hi, got);
			else
				diag_error(dl, file, 0, 0, path,
					   "'%s' must be between %s and %s (got %s)", path, lo, hi,
					   got);
			free(sl);
			return PLAN_EINVALID;
		}
	}
	for (size_t i = 0; i < n; i++) {
		double v = apply == APPLY_SCALE ? *sl[i].value * value : value;
		if (v < sl[i].min)
			v = sl[i].min;
		if (v > sl[i].max)
			v = sl[i].max;
		*sl[i].value = v;
	}
	free(sl);
	plan_update_derived(q);
	return PLAN_OK;
}

/* ---- the grid --------------------------------------------------------------------------- */

double sweep_axis_value(const struct sweep_axis *a, int k)
{
	if (a->steps <= 0 || k <= 0)
		return a->from;
	if (k >= a->steps)
		return a->to;
	return a->from + (a->to - a->from) * (double)k / (double)a->steps;
}

double sweep_quantile_sorted(const double *v, size_t n, double q)
{
	if (n == 0)
		return NAN;
	if (q <= 0)
		return v[0];
	if (q >= 1)
		return v[n - 1];
	double h = (double)(n - 1) * q;
	size_t lo = (size_t)floor(h);
	if (lo + 1 >= n)
		return v[n - 1];
	return v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
}

/* Apply point values (one per axis) to q. */
static int apply_point(struct plan *q, const struct sweep_axis *ax, int naxes, const double *v,
		       int clamp, struct diag_list *dl)
{
	for (int a = 0; a < naxes; a++) {
		int rc = sweep_apply(q, ax[a].path, ax[a].apply, v[a], clamp, dl, CMDLINE);
		if (rc != PLAN_OK)
			return rc;
	}
	return PLAN_OK;
}

int sweep_check(const struct plan *p, const struct sweep_opts *o, struct diag_list *dl)
{
	if (o->naxes < 1 || o->naxes > SWEEP_MAX_AXES) {
		diag_error(dl, CMDLINE, 0, 0, NULL, "a sweep has one or two parameters (got %d)",
			   o->naxes);
		return PLAN_EINVALID;
	}
	for (int a = 0; a < o->naxes; a++) {
		const struct sweep_axis *x = &o->axis[a];
		if (!x->path || !isfinite(x->from) || !isfinite(x->to) || x->steps < 0) {
			diag_error(dl, CMDLINE, 0, 0, x->path,
				   "parameter %d of the sweep needs a path, finite bounds and "
				   "steps >= 0",
				   a + 1);
			return PLAN_EINVALID;
		}
	}
	if (o->naxes == 2 && strcmp(o->axis[0].path, o->axis[1].path) == 0) {
		diag_error(dl, CMDLINE, 0, 0, o->axis[0].path,
			   "both parameters of the sweep are '%s'", o->axis[0].path);
		return PLAN_EINVALID;
	}
	/* Values are linear in the parameters and every bound is an interval: the corners of
	 * the grid are enough.  Building the model there also runs the blocks' checks. */
	int ncorner = o->naxes == 2 ? 4 : 2;
	for (int c = 0; c < ncorner; c++) {
		double v[SWEEP_MAX_AXES];
		struct plan *q;
		struct model *m = NULL;
		for (int a = 0; a < o->naxes; a++)
			v[a] = (c >> a) & 1 ? o->axis[a].to : o->axis[a].from;
		if (plan_clone(&q, p) != PLAN_OK)
			return PLAN_ENOMEM;
		int rc = apply_point(q, o->axis, o->naxes, v, 0, dl);
		if (rc == PLAN_OK)
			rc = model_build(&m, q, dl);
		model_free(m);
		plan_free(q);
		if (rc != PLAN_OK)
			return rc;
	}
	return PLAN_OK;
}

void sweep_release(struct sweep *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->npoints; i++)
		sweep_outcome_release(&s->points[i].out);
	free(s->points);
	memset(s, 0, sizeof(*s));
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Mean of a scenario run's outcomes (in scenario order) into out. */
static int reduce_scenarios(struct sweep_outcome *out, const struct plan *p,
			    const struct sweep_outcome *sc, size_t n)
{
	size_t solved = 0, first_failed = n;
	double *obj = pc_malloc((n ? n : 1) * sizeof(*obj));

	memset(out, 0, sizeof(*out));
	if (!obj || outcome_alloc(out, p) != 0) {
		free(obj);
		return -1;
	}
	for (size_t k = 0; k < n; k++) {
		const struct sweep_outcome *o = &sc[k];
		if (o->status != SOL_OPTIMAL && o->status != SOL_FEASIBLE) {
			if (first_failed == n)
				first_failed = k;
			continue;
		}
		obj[solved++] = o->objective;
		out->objective += o->objective;
		out->total_spend_eur += o->total_spend_eur;
		out->purchase_eur += o->purchase_eur;
		out->personnel_eur += o->personnel_eur;
		out->shortfall_cost += o->shortfall_cost;
		for (size_t c = 0; c < p->ncapabilities; c++) {
			out->shortfall[c] += o->shortfall[c];
			out->target[c] += o->target[c];
		}
		for (size_t c = 0; c < p->ncategories; c++)
			out->cat_spend[c] += o->cat_spend[c];
		for (size_t s = 0; s < p->nsources; s++)
			out->src_spend[s] += o->src_spend[s];
	}
	out->n = n;
	out->solved = solved;
	if (solved == 0) {
		struct sweep_outcome tmp;
		const struct sweep_outcome *f = &sc[first_failed < n ? first_failed : 0];
		char why[600];
		snprintf(why, sizeof(why), "no scenario solved; scenario %zu: %s", first_failed,
			 f->message ? f->message : sol_status_name(f->status));
		free(obj);
		sweep_outcome_release(out);
		if (outcome_failed(&tmp, p, n ? f->status : SOL_FAILED, why) != 0)
			return -1;
		*out = tmp;
		out->n = n;
		out->obj_stderr = out->obj_p5 = out->obj_p50 = out->obj_p95 = NAN;
		return 0;
	}
	double inv = 1.0 / (double)solved;
	out->objective *= inv;
	out->total_spend_eur *= inv;
	out->purchase_eur *= inv;
	out->personnel_eur *= inv;
	out->shortfall_cost *= inv;
	for (size_t c = 0; c < p->ncapabilities; c++) {
		out->shortfall[c] *= inv;
		out->target[c] *= inv;
	}
	for (size_t c = 0; c < p->ncategories; c++)
		out->cat_spend[c] *= inv;
	for (size_t s = 0; s < p->nsources; s++)
		out->src_spend[s] *= inv;
	double ss = 0;
	for (size_t k = 0; k < solved; k++)
		ss += (obj[k] - out->objective) * (obj[k] - out->objective);
	out->obj_stderr = solved > 1 ? sqrt(ss / (double)(solved - 1) / (double)solved) : 0.0;
	qsort(obj, solved, sizeof(*obj), cmp_double);
	out->obj_p5 = sweep_quantile_sorted(obj, solved, 0.05);
	out->obj_p50 = sweep_quantile_sorted(obj, solved, 0.50);
	out->obj_p95 = sweep_quantile_sorted(obj, solved, 0.95);
	free(obj);
	if (solved == n) {
		out->status = SOL_OPTIMAL;
	} else {
		char why[200];
		snprintf(why, sizeof(why),
			 "%zu of %zu scenarios did not solve (first: scenario %zu)", n - solved, n,
			 first_failed);
		out->status = SOL_FEASIBLE;
		if (!(out->message = dup_text(why)))
			return -1;
	}
	return 0;
}

/* Plan q at point pt of the sweep: a copy of p with the axes applied.  PLAN_OK, or
 * PLAN_ENOMEM / PLAN_EINVALID (cannot happen after sweep_check, but is reported). */
static int point_plan(struct plan **q, const struct plan *p, const struct sweep *s, size_t pt,
		      struct diag_list *dl)
{
	*q = NULL;
	if (plan_clone(q, p) != PLAN_OK)
		return PLAN_ENOMEM;
	int rc = apply_point(*q, s->axis, s->naxes, s->points[pt].value, 1, dl);
	if (rc != PLAN_OK) {
		plan_free(*q);
		*q = NULL;
	}
	return rc;
}

/* Point pt solved once.  0, or -1 when memory ran out. */
static int run_point(struct sweep_outcome *out, const struct plan *p, const struct sweep *s,
		     const struct sweep_opts *o, size_t pt)
{
	struct diag_list dl;
	struct plan *q;
	int rc;

	diag_list_init(&dl);
	int a = point_plan(&q, p, s, pt, &dl);
	if (a == PLAN_ENOMEM)
		rc = -1;
	else if (a != PLAN_OK)
		rc = outcome_failed(out, p, SOL_FAILED, "the swept value could not be applied");
	else
		rc = sweep_solve(out, q, &o->lp);
	plan_free(q);
	diag_list_release(&dl);
	return rc;
}

/* An uncertain parameter that sets exactly the swept number would overwrite it in every
 * scenario: pin it (a factor of 1 on the swept value).  The parameter keeps its place, so
 * the other parameters' draws (and correlations) are the same as without the pin. */
static void pin_swept(struct plan *q, const struct sweep *s)
{
	for (size_t j = 0; j < q->uncertainty.nparams; j++) {
		struct uparam *u = &q->uncertainty.params[j];
		for (int a = 0; a < s->naxes; a++)
			if (u->apply == APPLY_SET && u->path &&
			    strcmp(u->path, s->axis[a].path) == 0) {
				u->dist = DIST_UNIFORM;
				u->apply = APPLY_SCALE;
				u->a = u->b = u->c = 1.0;
			}
	}
}

/* Point pt as a scenario run through the scenario engine (scen_run): scenarios 0..n-1 of
 * the point's plan, the same draws at every point.  PLAN_OK (failures are outcomes),
 * PLAN_EINVALID (the uncertainty cannot be sampled: diagnostic), PLAN_ENOMEM. */
static int run_point_scenarios(struct sweep_outcome *out, const struct plan *p,
			       const struct sweep *s, const struct sweep_opts *o, size_t pt,
			       struct diag_list *dl)
{
	struct diag_list ldl;
	struct plan *q = NULL;
	struct model *m = NULL;
	struct solution nom;
	struct results nres;
	struct scen_result *res = NULL;
	struct sweep_outcome *sc = NULL;
	struct sweep_outcome target;
	int rc = PLAN_ENOMEM;

	memset(&nom, 0, sizeof(nom));
	memset(&nres, 0, sizeof(nres));
	memset(&target, 0, sizeof(target));
	diag_list_init(&ldl);
	int a = point_plan(&q, p, s, pt, &ldl);
	if (a != PLAN_OK) {
		if (a != PLAN_ENOMEM)
			rc = outcome_failed(out, p, SOL_FAILED,
					    "the swept value could not be applied") == 0
				 ? PLAN_OK
				 : PLAN_ENOMEM;
		goto out;
	}
	pin_swept(q, s);
	int b = model_build(&m, q, &ldl);
	if (b == PLAN_ENOMEM)
		goto out;
	if (b != PLAN_OK) {
		rc = outcome_failed(out, p, SOL_FAILED,
				    "the model refuses the plan at this point") == 0
			 ? PLAN_OK
			 : PLAN_ENOMEM;
		goto out;
	}
	/* the nominal solve anchors the warm starts, and gives the point's targets */
	if (lp_solve(&nom, m->lp, &o->lp) != 0)
		goto out;
	if (nom.x && model_extract(&nres, m, &nom) != 0)
		goto out;
	if (sweep_outcome_from_results(&target, q, &nres, NULL) != 0)
		goto out;

	struct scen_opts so = SCEN_OPTS_INIT;
	so.n = o->nscen;
	so.seed = o->seed;
	so.lp = o->lp;
	so.threads = o->threads > 0 ? o->threads : omp_get_max_threads();
	res = scen_result_new(q, o->nscen);
	sc = pc_calloc(o->nscen + 1, sizeof(*sc));
	if (!res || !sc)
		goto out;
	int r = scen_run(res, q, m, &nom, &so, NULL, dl);
	if (r == -2) {
		rc = PLAN_EINVALID;
		goto out;
	}
	if (r != 0)
		goto out;
	const struct scen_layout *l = &res->lay;
	for (size_t k = 0; k < res->n; k++) {
		const double *row = res->val + k * l->width;
		int st = res->rec[k].status;
		if (st == SOL_OPTIMAL || st == SOL_FEASIBLE) {
			if (outcome_alloc(&sc[k], p) != 0)
				goto out;
			sc[k].status = (enum sol_status)st;
			sc[k].objective = row[l->objective];
			sc[k].total_spend_eur = row[l->total_spend];
			sc[k].purchase_eur = row[l->purchase];
			sc[k].personnel_eur = row[l->personnel];
			sc[k].shortfall_cost = NAN; /* not kept by the scenario engine */
			for (size_t c = 0; c < p->ncapabilities && c < l->ncap; c++) {
				sc[k].shortfall[c] = row[l->shortfall + c];
				sc[k].target[c] = target.target ? target.target[c] : NAN;
			}
			for (size_t c = 0; c < p->ncategories && c < l->ncat; c++)
				sc[k].cat_spend[c] = row[l->cat_spend + c];
			for (size_t c = 0; c < p->nsources && c < l->nsrc; c++)
				sc[k].src_spend[c] = row[l->src_used + c];
		} else {
			char why[300];
			snprintf(why, sizeof(why), "%s%s%s", scen_status_name(st),
				 res->message && res->message[k] ? ": " : "",
				 res->message && res->message[k] ? res->message[k] : "");
			if (outcome_failed(&sc[k], p,
					   st == SCEN_INVALID ? SOL_FAILED : (enum sol_status)st,
					   why) != 0)
				goto out;
		}
	}
	if (reduce_scenarios(out, p, sc, res->n) != 0)
		goto out;
	rc = PLAN_OK;
out:
	if (sc)
		for (size_t k = 0; k < o->nscen; k++)
			sweep_outcome_release(&sc[k]);
	free(sc);
	scen_result_free(res);
	sweep_outcome_release(&target);
	results_release(&nres);
	solution_release(&nom);
	model_free(m);
	plan_free(q);
	diag_list_release(&ldl);
	return rc;
}

int sweep_run(struct sweep *out, const struct plan *p, const struct sweep_opts *o,
	      struct diag_list *dl)
{
	struct sweep_outcome *task = NULL;
	int *trc = NULL;
	size_t np = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = sweep_check(p, o, dl);
	if (rc != PLAN_OK)
		return rc;
	if (o->nscen > 0 && p->uncertainty.nparams == 0) {
		diag_error(dl, CMDLINE, 0, 0, NULL,
			   "-n needs uncertain parameters, and the plan has none "
			   "(section 'uncertainty')");
		return PLAN_EINVALID;
	}
	out->plan = p;
	out->naxes = o->naxes;
	out->nscen = o->nscen;
	out->seed = o->seed;
	out->npoints = 1;
	for (int a = 0; a < o->naxes; a++) {
		out->axis[a] = o->axis[a];
		out->nvalues[a] = (size_t)o->axis[a].steps + 1;
		out->npoints *= out->nvalues[a];
	}
	out->points = pc_calloc(out->npoints, sizeof(*out->points));
	if (!out->points)
		goto nomem;
	for (size_t i = 0; i < out->npoints; i++) {
		size_t k0 = o->naxes == 2 ? i / out->nvalues[1] : i;
		out->points[i].value[0] = sweep_axis_value(&o->axis[0], (int)k0);
		if (o->naxes == 2)
			out->points[i].value[1] =
			    sweep_axis_value(&o->axis[1], (int)(i % out->nvalues[1]));
	}

	if (o->nscen > 0) {
		/* the scenario engine runs each point's scenarios on every core */
		for (size_t i = 0; i < out->npoints; i++) {
			rc = run_point_scenarios(&out->points[i].out, p, out, o, i, dl);
			if (rc != PLAN_OK) {
				sweep_release(out);
				return rc;
			}
		}
		return PLAN_OK;
	}

	np = out->npoints;
	task = pc_calloc(np, sizeof(*task));
	trc = pc_calloc(np, sizeof(*trc));
	if (!task || !trc)
		goto nomem;
	int nth = o->threads > 0 ? o->threads : omp_get_max_threads();
#pragma omp parallel num_threads(nth)
	{
#pragma omp for schedule(dynamic, 1)
		for (long t = 0; t < (long)out->npoints; t++)
			trc[t] = run_point(&task[t], p, out, o, (size_t)t);
		lp_thread_done();
	}
	for (size_t t = 0; t < out->npoints; t++)
		if (trc[t] != 0)
			goto nomem;
	for (size_t i = 0; i < out->npoints; i++) {
		out->points[i].out = task[i];
		memset(&task[i], 0, sizeof(task[i]));
	}
	rc = PLAN_OK;
	goto done;
nomem:
	sweep_release(out);
	rc = PLAN_ENOMEM;
done:
	if (task)
		for (size_t t = 0; t < np; t++)
			sweep_outcome_release(&task[t]);
	free(task);
	free(trc);
	return rc;
}
