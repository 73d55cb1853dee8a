/* tornado.c - each uncertain parameter at its low and high value, the rest at base: solves
 * in parallel, bars sorted by the swing of the objective. */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "params.h"
#include "sample.h"
#include "tornado.h"

void tornado_ends(const struct uparam *u, const struct tornado_opts *o, double *low, double *high)
{
	switch (u->dist) {
	case DIST_DISCRETE: {
		int any = 0;
		double lo = 0, hi = 0;
		for (size_t i = 0; i < u->nvalues; i++) {
			if (u->weights && !(u->weights[i] > 0))
				continue;
			if (!any || u->values[i] < lo)
				lo = u->values[i];
			if (!any || u->values[i] > hi)
				hi = u->values[i];
			any = 1;
		}
		*low = lo;
		*high = hi;
		return;
	}
	case DIST_BERNOULLI:
		*low = u->a >= 1 ? 1.0 : 0.0;
		*high = u->a <= 0 ? 0.0 : 1.0;
		return;
	case DIST_TRIANGULAR:
	case DIST_PERT:
		if (o->range == TORNADO_BOUNDS) {
			*low = u->a;
			*high = u->c;
			return;
		}
		break;
	case DIST_UNIFORM:
		if (o->range == TORNADO_BOUNDS) {
			*low = u->a;
			*high = u->b;
			return;
		}
		break;
	case DIST_NORMAL:
	case DIST_LOGNORMAL:
		break;
	}
	*low = sample_quantile(u, o->qlo);
	*high = sample_quantile(u, o->qhi);
}

int tornado_apply(struct plan *q, const struct uparam *u, double v, struct diag_list *dl)
{
	return sweep_apply(q, u->path, u->apply, v, 1, dl, q->file);
}

double tornado_shortfall_swing(const struct tornado_bar *b, size_t c)
{
	if (!b->at_low.shortfall || !b->at_high.shortfall)
		return NAN;
	return fabs(b->at_high.shortfall[c] - b->at_low.shortfall[c]);
}

void tornado_release(struct tornado *t)
{
	if (!t)
		return;
	sweep_outcome_release(&t->base);
	for (size_t i = 0; i < t->nbars; i++) {
		sweep_outcome_release(&t->bars[i].at_low);
		sweep_outcome_release(&t->bars[i].at_high);
	}
	free(t->bars);
	memset(t, 0, sizeof(*t));
}

/* Largest swing first, bars that did not solve last, then the plan's order. */
static int by_swing(const void *a, const void *b)
{
	const struct tornado_bar *x = a, *y = b;
	int nx = isnan(x->swing), ny = isnan(y->swing);
	if (nx != ny)
		return nx - ny;
	if (!nx && x->swing != y->swing)
		return x->swing < y->swing ? 1 : -1;
	return (x->param > y->param) - (x->param < y->param);
}

/* Solve p with parameter j (or none, j < 0) at value v. 0, or -1 (memory). */
static int run_one(struct sweep_outcome *out, const struct plan *p, int j, double v,
		   const struct lp_opts *lo)
{
	struct diag_list dl;
	struct plan *q = NULL;
	int rc = -1;

	diag_list_init(&dl);
	if (plan_clone(&q, p) != PLAN_OK)
		goto out;
	if (j >= 0) {
		int a = tornado_apply(q, &p->uncertainty.params[j], v, &dl);
		if (a == PLAN_ENOMEM)
			goto out;
		if (a != PLAN_OK) {
			/* checked before the run: cannot happen on a clone */
			memset(out, 0, sizeof(*out));
			out->status = SOL_FAILED;
			out->objective = NAN;
			rc = 0;
			goto out;
		}
	}
	rc = sweep_solve(out, q, lo);
out:
	plan_free(q);
	diag_list_release(&dl);
	return rc;
}

int tornado_run(struct tornado *out, const struct plan *p, const struct tornado_opts *o,
		struct diag_list *dl)
{
	const struct uncertainty *u = &p->uncertainty;
	size_t np = u->nparams, ntasks = 1 + 2 * np;
	struct sweep_outcome *task = NULL;
	int *trc = NULL;
	double *val = NULL;
	int rc = PLAN_ENOMEM;

	memset(out, 0, sizeof(*out));
	if (!(o->qlo > 0 && o->qlo < o->qhi && o->qhi < 1)) {
		diag_error(dl, "<command line>", 0, 0, NULL,
			   "the quantiles must satisfy 0 < low < high < 1 (got %g and %g)", o->qlo,
			   o->qhi);
		return PLAN_EINVALID;
	}
	/* every path must resolve before anything is solved */
	for (size_t j = 0; j < np; j++) {
		struct param_slot *sl;
		size_t n;
		struct plan *q;
		if (plan_clone(&q, p) != PLAN_OK)
			return PLAN_ENOMEM;
		int r = params_resolve(&sl, &n, q, u->params[j].path, dl, p->file,
				       u->params[j].loc.line, u->params[j].loc.col);
		free(sl);
		plan_free(q);
		if (r != PLAN_OK)
			return r;
	}
	out->plan = p;
	out->range = o->range;
	out->qlo = o->qlo;
	out->qhi = o->qhi;
	out->nbars = np;
	out->bars = pc_calloc(np + 1, sizeof(*out->bars));
	task = pc_calloc(ntasks, sizeof(*task));
	trc = pc_calloc(ntasks, sizeof(*trc));
	val = pc_calloc(ntasks, sizeof(*val));
	if (!out->bars || !task || !trc || !val)
		goto done;
	for (size_t j = 0; j < np; j++) {
		out->bars[j].param = (int)j;
		tornado_ends(&u->params[j], o, &out->bars[j].low, &out->bars[j].high);
		val[1 + 2 * j] = out->bars[j].low;
		val[2 + 2 * j] = out->bars[j].high;
	}

	int nth = o->threads > 0 ? o->threads : omp_get_max_threads();
#pragma omp parallel num_threads(nth)
	{
#pragma omp for schedule(dynamic, 1)
		for (long t = 0; t < (long)ntasks; t++)
			trc[t] =
			    run_one(&task[t], p, t == 0 ? -1 : (int)((t - 1) / 2), val[t], &o->lp);
		lp_thread_done();
	}
	for (size_t t = 0; t < ntasks; t++)
		if (trc[t] != 0)
			goto done;

	out->base = task[0];
	memset(&task[0], 0, sizeof(task[0]));
	for (size_t j = 0; j < np; j++) {
		struct tornado_bar *b = &out->bars[j];
		b->at_low = task[1 + 2 * j];
		b->at_high = task[2 + 2 * j];
		memset(&task[1 + 2 * j], 0, 2 * sizeof(*task));
		int ok = (b->at_low.status == SOL_OPTIMAL || b->at_low.status == SOL_FEASIBLE) &&
			 (b->at_high.status == SOL_OPTIMAL || b->at_high.status == SOL_FEASIBLE);
		b->swing = ok ? fabs(b->at_high.objective - b->at_low.objective) : NAN;
	}
	qsort(out->bars, np, sizeof(*out->bars), by_swing);
	rc = PLAN_OK;
done:
	if (rc != PLAN_OK)
		tornado_release(out);
	if (task)
		for (size_t t = 0; t < ntasks; t++)
			sweep_outcome_release(&task[t]);
	free(task);
	free(trc);
	free(val);
	return rc;
}
