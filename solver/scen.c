/* scen.c - the scenario engine: per scenario a copy of the plan with the draw applied, its
 * model, a warm-started solve on the thread's own GLPK problem, and a few numbers kept. */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alloc.h"
#include "scen.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

const char *scen_status_name(int status)
{
	if (status == SCEN_INVALID)
		return "invalid";
	return sol_status_name((enum sol_status)status);
}

void scen_layout_init(struct scen_layout *l, const struct plan *p)
{
	size_t w = 0;

	memset(l, 0, sizeof(*l));
	l->ncap = p->ncapabilities;
	l->ncat = p->ncategories;
	l->nsrc = p->nsources;
	l->npar = p->uncertainty.nparams;
	l->nyear = p->nyears > 0 ? (size_t)p->nyears : 0;
	l->objective = w++;
	l->total_spend = w++;
	l->purchase = w++;
	l->personnel = w++;
	l->mip_gap = w++;
	l->shortfall = w;
	w += l->ncap;
	l->met = w;
	w += l->ncap;
	l->cat_spend = w;
	w += l->ncat;
	l->src_used = w;
	w += l->nsrc;
	l->src_mv = w;
	w += l->nsrc;
	l->param = w;
	w += l->npar;
	l->yr_achieved = w;
	w += l->ncap * l->nyear;
	l->yr_shortfall = w;
	w += l->ncap * l->nyear;
	l->width = w;
}

struct scen_result *scen_result_new(const struct plan *p, size_t requested)
{
	struct scen_result *r = pc_calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	scen_layout_init(&r->lay, p);
	r->requested = requested;
	r->rec = pc_calloc(requested ? requested : 1, sizeof(*r->rec));
	r->val = pc_malloc((requested ? requested : 1) * r->lay.width * sizeof(double));
	r->message = pc_calloc(requested ? requested : 1, sizeof(*r->message));
	if (!r->rec || !r->val || !r->message) {
		scen_result_free(r);
		return NULL;
	}
	for (size_t k = 0; k < requested * r->lay.width; k++)
		r->val[k] = NAN;
	return r;
}

void scen_result_free(struct scen_result *r)
{
	if (!r)
		return;
	if (r->message)
		for (size_t k = 0; k < r->requested; k++)
			free(r->message[k]);
	free(r->message);
	free(r->rec);
	free(r->val);
	free(r);
}

int scen_build(struct plan **q, struct model **m, double *draw, const struct plan *p,
	       const struct sampler *s, uint64_t k, struct diag_list *dl)
{
	int rc;

	*q = NULL;
	*m = NULL;
	if (sampler_draw(s, k, draw) != 0)
		return PLAN_ENOMEM;
	rc = plan_clone(q, p);
	if (rc != PLAN_OK)
		return rc;
	if (sampler_apply(s, *q, draw, dl) != 0) {
		plan_free(*q);
		*q = NULL;
		return PLAN_EINVALID;
	}
	plan_update_derived(*q);
	rc = model_build(m, *q, dl);
	if (rc != PLAN_OK) {
		plan_free(*q);
		*q = NULL;
	}
	return rc;
}

/* A finished scenario's purchases, waiting for the store. */
struct pending {
	struct res_alloc *alloc;
	size_t nalloc;
};

struct engine {
	struct scen_result *res;
	const struct plan *p;
	const struct sampler *smp;
	const struct scen_opts *o;
	struct pending *pend; /* [batch], index k - start */
	size_t start;
	int want_alloc;
	int nomem; /* an allocation failed in some scenario: the run stops with an error */
};

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

/* The first error of dl as text (for a scenario whose plan a block refused). */
static char *diag_text(const struct diag_list *dl)
{
	for (size_t i = 0; i < dl->n; i++)
		if (dl->v[i].severity == DIAG_ERROR) {
			const struct diag *d = &dl->v[i];
			size_t n = strlen(d->message) + (d->path ? strlen(d->path) : 0) + 4;
			char *s = pc_malloc(n);
			if (s)
				snprintf(s, n, "%s%s%s", d->path ? d->path : "",
					 d->path ? ": " : "", d->message);
			return s;
		}
	return dup_text("the drawn plan is not valid");
}

/* The figures kept from one solved scenario. */
static void keep_figures(double *row, const struct scen_layout *l, const struct plan *q,
			 const struct model *m, const struct solution *sol, const struct results *r)
{
	size_t T = (size_t)q->nyears;

	row[l->objective] = r->objective;
	row[l->total_spend] = r->total_spend_eur;
	row[l->purchase] = r->purchase_eur;
	row[l->personnel] = r->personnel_eur;
	row[l->mip_gap] = sol->mip_gap;
	for (size_t c = 0; c < l->ncap; c++) {
		row[l->shortfall + c] = 0.0;
		row[l->met + c] = 1.0;
	}
	for (size_t k = 0; k < r->nreq; k++) {
		const struct res_req *q_ = &r->req[k];
		if (q_->capability < 0 || (size_t)q_->capability >= l->ncap)
			continue;
		row[l->shortfall + (size_t)q_->capability] += q_->shortfall;
		long t = (long)q_->year - (long)q->start_year;
		if (t >= 0 && (size_t)t < l->nyear) {
			size_t at = (size_t)q_->capability * l->nyear + (size_t)t;
			row[l->yr_achieved + at] = q_->achieved;
			row[l->yr_shortfall + at] = q_->shortfall;
		}
		if (!(q_->shortfall <= 1e-6 * fmax(1.0, fabs(q_->target))))
			row[l->met + (size_t)q_->capability] = 0.0;
	}
	for (size_t c = 0; c < l->ncat; c++)
		row[l->cat_spend + c] = 0.0;
	for (size_t k = 0; k < r->nalloc; k++) {
		int it = r->alloc[k].item;
		if (it >= 0 && (size_t)it < q->nitems) {
			int c = q->items[it].category;
			if (c >= 0 && (size_t)c < l->ncat)
				row[l->cat_spend + (size_t)c] += r->alloc[k].eur;
		}
	}
	for (size_t s = 0; s < l->nsrc; s++) {
		double used = 0.0, mv = NAN;
		for (size_t t = 0; t < T && s * T + t < r->nfund; t++)
			used += r->fund[s * T + t].used_eur;
		if (sol->has_duals && sol->y) {
			/* one more EUR of the source: arriving in its first year with money, and
			 * counting against its horizon total when that is a row */
			mv = 0.0;
			for (size_t t = 0; t < T && s * T + t < r->nfund; t++)
				if (r->fund[s * T + t].available_eur > 0) {
					mv = r->fund[s * T + t].marginal_value;
					break;
				}
			int row_ = m->ix.fund_total ? m->ix.fund_total[s] : -1;
			if (row_ >= 0 && (size_t)row_ < m->lp->nrows)
				mv += m->lp->minimize ? -sol->y[row_] : sol->y[row_];
			mv += 0.0;
		}
		row[l->src_used + s] = used;
		row[l->src_mv + s] = mv;
	}
}

static void run_one(struct engine *e, struct lp_session *sess, size_t k)
{
	struct scen_result *res = e->res;
	const struct scen_layout *l = &res->lay;
	struct scen_rec *rec = &res->rec[k];
	double *row = res->val + k * l->width;
	struct plan *q = NULL;
	struct model *m = NULL;
	struct solution sol;
	struct results r;
	struct lp_session_info info;
	struct diag_list dl;
	int rc;

	unsigned long lost = alloc_failures();

	memset(&sol, 0, sizeof(sol));
	memset(&r, 0, sizeof(r));
	memset(&info, 0, sizeof(info));
	diag_list_init(&dl);
	for (size_t i = 0; i < l->width; i++)
		row[i] = NAN;
	rec->iterations = 0;
	rec->start = LP_START_COLD;
	rec->mip = LP_MIP_NONE;

	rc = scen_build(&q, &m, row + l->param, e->p, e->smp, k, &dl);
	if (rc != PLAN_OK) {
		rec->status = rc == PLAN_EINVALID ? SCEN_INVALID : SOL_FAILED;
		res->message[k] = rc == PLAN_EINVALID ? diag_text(&dl) : dup_text("out of memory");
		goto out;
	}
	if (sess)
		rc = lp_session_solve(sess, &sol, &info, m->lp, &e->o->lp);
	else {
		rc = lp_solve(&sol, m->lp, &e->o->lp);
		info.start = LP_START_COLD;
	}
	if (rc != 0) {
		rec->status = SOL_FAILED;
		res->message[k] = dup_text("out of memory");
		goto out;
	}
	rec->status = (uint8_t)sol.status;
	rec->start = (uint8_t)info.start;
	rec->mip = (uint8_t)info.mip;
	rec->iterations = sol.iterations > INT32_MAX ? INT32_MAX : (int32_t)sol.iterations;
	if (sol.status == SOL_OPTIMAL || sol.status == SOL_FEASIBLE) {
		if (model_extract(&r, m, &sol) != 0) {
			rec->status = SOL_FAILED;
			res->message[k] = dup_text("out of memory");
			goto out;
		}
		keep_figures(row, l, q, m, &sol, &r);
		if (e->want_alloc && r.nalloc) {
			struct pending *pd = &e->pend[k - e->start];
			pd->alloc = pc_malloc(r.nalloc * sizeof(*pd->alloc));
			if (pd->alloc) {
				memcpy(pd->alloc, r.alloc, r.nalloc * sizeof(*pd->alloc));
				pd->nalloc = r.nalloc;
			}
		}
	} else {
		res->message[k] =
		    dup_text(sol.message ? sol.message : scen_status_name(sol.status));
	}
out:
	rec->done = 1;
	if (alloc_failures() != lost) {
		/* Out of memory is not a property of the scenario: counting it as a failed
		 * scenario would misreport the plan.  Leave it unfinished and stop the run. */
		rec->done = 0;
#pragma omp atomic write
		e->nomem = 1;
	}
	results_release(&r);
	solution_release(&sol);
	model_free(m);
	plan_free(q);
	diag_list_release(&dl);
}

/* Running mean and variance of the objective in scenario-id order (Welford). */
struct welford {
	size_t n;
	double mean, m2;
};

static void welford_add(struct welford *w, double v)
{
	double d = v - w->mean;
	w->n++;
	w->mean += d / (double)w->n;
	w->m2 += d * (v - w->mean);
}

static double welford_rel_stderr(const struct welford *w)
{
	if (w->n < 2 || w->mean == 0.0)
		return INFINITY;
	return sqrt(w->m2 / (double)(w->n - 1) / (double)w->n) / fabs(w->mean);
}

static int solved(const struct scen_rec *r)
{
	return r->done && (r->status == SOL_OPTIMAL || r->status == SOL_FEASIBLE);
}

int scen_run(struct scen_result *res, const struct plan *p, const struct model *m,
	     const struct solution *nominal, const struct scen_opts *o, struct scen_store *store,
	     struct diag_list *dl)
{
	struct sampler *smp = NULL;
	struct lp_anchor *anc = NULL;
	struct engine e;
	struct welford w = {0, 0.0, 0.0};
	size_t batch, done_count;
	double t0 = now_s(), last = 0.0;
	int threads = o->threads > 0 ? o->threads : 1;
	int rc = -1, src;

	memset(&e, 0, sizeof(e));
	src = sampler_new(&smp, p, o->seed, o->method, o->n, dl);
	if (src != PLAN_OK)
		return src == PLAN_EINVALID ? -2 : -1;
	if (!o->cold) {
		int point = nominal && nominal->x &&
			    (nominal->status == SOL_OPTIMAL || nominal->status == SOL_FEASIBLE);
		unsigned long lost = alloc_failures();
		if (lp_anchor_new(&anc, m->lp, point ? nominal->x : NULL, &o->lp) != 0 ||
		    alloc_failures() != lost) {
			/* (an anchor that lost memory inside would send every scenario cold) */
			diag_error(dl, NULL, 0, 0, NULL, "out of memory");
			goto out;
		}
		lp_thread_done(); /* the anchor's solve left GLPK's environment on this thread */
	}
	res->anchored = lp_anchor_ok(anc);
	for (size_t k = 0; k < res->n; k++)
		if (solved(&res->rec[k]))
			welford_add(&w, res->val[k * res->lay.width + res->lay.objective]);
	/* a resumed run that had already stopped at its precision stays stopped there */
	if (res->n > 0 && o->precision > 0 && w.n >= o->min_for_precision &&
	    welford_rel_stderr(&w) < o->precision)
		res->precision_reached = 1;

	batch = 16 * (size_t)threads;
	if (batch < 64)
		batch = 64;
	e.res = res;
	e.p = p;
	e.smp = smp;
	e.o = o;
	e.want_alloc = store != NULL;
	e.pend = pc_calloc(batch, sizeof(*e.pend));
	if (!e.pend) {
		diag_error(dl, NULL, 0, 0, NULL, "out of memory");
		goto out;
	}
	done_count = res->n;
	omp_set_dynamic(0);

	for (size_t start = res->n; start < o->n && !res->precision_reached;) {
		size_t end = o->n - start < batch ? o->n : start + batch;
		e.start = start;
#pragma omp parallel num_threads(threads)
		{
			struct lp_session *sess = NULL;
			if (anc && lp_session_new(&sess, anc) != 0) {
				sess = NULL; /* only memory: a cold solve would differ in the last bits */
#pragma omp atomic write
				e.nomem = 1;
			}
#pragma omp for schedule(dynamic, 1)
			for (size_t k = start; k < end; k++) {
				int nomem;
#pragma omp atomic read
				nomem = e.nomem;
				if ((o->stop && atomic_load_explicit(o->stop, memory_order_relaxed)) ||
				    nomem)
					continue;
				run_one(&e, sess, k);
#pragma omp atomic
				done_count++;
				if (omp_get_thread_num() == 0 && o->progress) {
					double t = now_s();
					if (t - last >= 0.5) {
						size_t d;
#pragma omp atomic read
						d = done_count;
						o->progress(o->progress_ctx, d, o->n, t - t0);
						last = t;
					}
				}
			}
			lp_session_free(sess);
			lp_thread_done();
		}

		/* What counts is the contiguous run of finished scenarios from `start`. */
		size_t fin = start;
		while (fin < end && res->rec[fin].done)
			fin++;
		for (size_t k = start; k < fin; k++) {
			if (solved(&res->rec[k]))
				welford_add(&w, res->val[k * res->lay.width + res->lay.objective]);
			if (o->precision > 0 && w.n >= o->min_for_precision &&
			    welford_rel_stderr(&w) < o->precision) {
				fin = k + 1;
				res->precision_reached = 1;
				break;
			}
		}
		if (o->stop_after && fin > o->stop_after) {
			fin = o->stop_after > start ? o->stop_after : start;
			res->interrupted = 1;
		}
		if (fin < end && !res->precision_reached)
			res->interrupted = 1;
		/* forget what lies beyond: it is recomputed on --resume */
		for (size_t k = fin; k < end; k++) {
			res->rec[k].done = 0;
			free(res->message[k]);
			res->message[k] = NULL;
			for (size_t i = 0; i < res->lay.width; i++)
				res->val[k * res->lay.width + i] = NAN;
		}
		int bad = 0;
		if (store) {
			bad = scen_store_begin(store) != 0;
			for (size_t k = start; k < fin && !bad; k++)
				bad = scen_store_put(store, res, k, e.pend[k - start].alloc,
						     e.pend[k - start].nalloc) != 0;
			if (!bad)
				bad = scen_store_end(store) != 0;
		}
		for (size_t k = 0; k < batch; k++) {
			free(e.pend[k].alloc);
			e.pend[k].alloc = NULL;
			e.pend[k].nalloc = 0;
		}
		if (bad) {
			diag_error(dl, "scenarios.sqlite", 0, 0, NULL, "cannot write: %s",
				   scen_store_error(store));
			goto out;
		}
		if (e.nomem) {
			diag_error(dl, NULL, 0, 0, NULL,
				   "out of memory after %zu scenarios; the run stops", fin);
			goto out;
		}
		res->n = fin;
		if (res->interrupted || res->precision_reached)
			break;
		start = end;
	}
	if (o->progress)
		o->progress(o->progress_ctx, res->n, o->n, now_s() - t0);
	rc = 0;
out:
	res->elapsed_s = now_s() - t0;
	free(e.pend);
	lp_anchor_free(anc);
	sampler_free(smp);
	return rc;
}
