/* scen_stats.c - statistics of a scenario run: exact quantiles of every kept figure over the
 * solved scenarios, taken in scenario-id order so that they never depend on the threads. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "scen.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double scen_quantile(const double *sorted, size_t n, double prob)
{
	if (n == 0)
		return NAN;
	if (prob <= 0)
		return sorted[0];
	if (prob >= 1)
		return sorted[n - 1];
	double h = (double)(n - 1) * prob;
	size_t lo = (size_t)floor(h);
	double f = h - (double)lo;
	if (lo + 1 >= n)
		return sorted[n - 1];
	/* exact at the order statistics; the interpolation never leaves [lo, hi] */
	return f == 0.0 ? sorted[lo] : sorted[lo] + f * (sorted[lo + 1] - sorted[lo]);
}

int scen_dist_of(struct scen_dist *d, const double *v, size_t n)
{
	double *s = pc_malloc((n ? n : 1) * sizeof(*s));
	size_t m = 0;

	memset(d, 0, sizeof(*d));
	if (!s)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (isfinite(v[i]))
			s[m++] = v[i];
	d->n = m;
	if (m == 0) {
		d->mean = d->stderr_ = d->sd = d->min = d->p5 = d->p50 = d->p95 = d->max = NAN;
		free(s);
		return 0;
	}
	/* mean and variance in the given (scenario-id) order, then sort a copy for quantiles */
	double mean = 0.0, m2 = 0.0;
	for (size_t i = 0; i < m; i++) {
		double dd = s[i] - mean;
		mean += dd / (double)(i + 1);
		m2 += dd * (s[i] - mean);
	}
	d->mean = mean;
	d->sd = m > 1 ? sqrt(m2 / (double)(m - 1)) : 0.0;
	d->stderr_ = d->sd / sqrt((double)m);
	qsort(s, m, sizeof(*s), cmp_double);
	d->min = s[0];
	d->max = s[m - 1];
	d->p5 = scen_quantile(s, m, 0.05);
	d->p50 = scen_quantile(s, m, 0.50);
	d->p95 = scen_quantile(s, m, 0.95);
	free(s);
	return 0;
}

static int is_solved(const struct scen_rec *r)
{
	return r->done && (r->status == SOL_OPTIMAL || r->status == SOL_FEASIBLE);
}

/* Column `off` of the solved scenarios' rows, in id order, into buf; returns the count. */
static size_t column(double *buf, const struct scen_result *res, size_t off)
{
	size_t m = 0;
	for (size_t k = 0; k < res->n; k++)
		if (is_solved(&res->rec[k]))
			buf[m++] = res->val[k * res->lay.width + off];
	return m;
}

void scen_summary_free(struct scen_summary *s)
{
	if (!s)
		return;
	for (size_t c = 0; s->caps && c < s->ncaps; c++) {
		free(s->caps[c].yr_achieved);
		free(s->caps[c].yr_shortfall);
	}
	free(s->caps);
	free(s->cats);
	free(s->srcs);
	free(s->pars);
	free(s);
}

struct scen_summary *scen_summarize(const struct scen_result *res, const struct plan *p,
				    const struct scen_opts *o)
{
	const struct scen_layout *l = &res->lay;
	struct scen_summary *s = pc_calloc(1, sizeof(*s));
	double *buf = pc_malloc((res->n ? res->n : 1) * sizeof(*buf));
	size_t m;
	int bad = 0;

	if (!s || !buf)
		goto nomem;
	s->requested = res->requested;
	s->n = res->n;
	s->seed = o->seed;
	s->method = o->method == SAMPLE_LHS ? "latin_hypercube" : "monte_carlo";
	s->stopped = res->interrupted	      ? "interrupted"
		     : res->precision_reached ? "precision"
					      : "complete";
	s->precision = o->precision;

	/* counts by status, in a fixed order */
	static const int order[] = {SOL_INFEASIBLE, SOL_UNBOUNDED, SOL_TIME_LIMIT,
				    SOL_NUMERICAL,  SOL_FAILED,	   SCEN_INVALID};
	for (size_t k = 0; k < res->n; k++) {
		const struct scen_rec *r = &res->rec[k];
		if (is_solved(r)) {
			s->solved++;
			s->kept += r->start == LP_START_KEPT;
			s->warm += r->start == LP_START_WARM;
			s->cold += r->start == LP_START_COLD;
			s->mip_rounded += r->mip == LP_MIP_ROUNDED;
			s->mip_incumbent += r->mip == LP_MIP_INCUMBENT;
			s->mip_search += r->mip == LP_MIP_SEARCH;
		} else
			s->failed++;
	}
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		size_t c = 0;
		for (size_t k = 0; k < res->n; k++)
			c += !is_solved(&res->rec[k]) && res->rec[k].status == order[i];
		if (c) {
			s->fail[s->nfail].status = scen_status_name(order[i]);
			s->fail[s->nfail++].count = c;
		}
	}

	m = column(buf, res, l->objective);
	bad |= scen_dist_of(&s->objective, buf, m);
	s->rel_stderr = s->objective.n > 1 && s->objective.mean != 0
			    ? s->objective.stderr_ / fabs(s->objective.mean)
			    : NAN;
	m = column(buf, res, l->total_spend);
	bad |= scen_dist_of(&s->total_spend, buf, m);
	m = 0;
	for (size_t k = 0; k < res->n; k++)
		if (is_solved(&res->rec[k]))
			buf[m++] = (double)res->rec[k].iterations;
	bad |= scen_dist_of(&s->iterations, buf, m);

	s->ncaps = l->ncap;
	s->year0 = p->start_year;
	s->nyear = l->nyear;
	s->ncats = l->ncat;
	s->nsrcs = l->nsrc;
	s->npars = l->npar;
	s->caps = pc_calloc(l->ncap ? l->ncap : 1, sizeof(*s->caps));
	s->cats = pc_calloc(l->ncat ? l->ncat : 1, sizeof(*s->cats));
	s->srcs = pc_calloc(l->nsrc ? l->nsrc : 1, sizeof(*s->srcs));
	s->pars = pc_calloc(l->npar ? l->npar : 1, sizeof(*s->pars));
	if (!s->caps || !s->cats || !s->srcs || !s->pars)
		goto nomem;
	for (size_t c = 0; c < l->ncap; c++) {
		size_t met = 0;
		m = column(buf, res, l->met + c);
		for (size_t i = 0; i < m; i++)
			met += buf[i] == 1.0;
		s->caps[c].capability = (int)c;
		s->caps[c].p_target_met = m ? (double)met / (double)m : NAN;
		m = column(buf, res, l->shortfall + c);
		bad |= scen_dist_of(&s->caps[c].shortfall, buf, m);
		if (l->nyear == 0)
			continue;
		s->caps[c].yr_achieved = pc_calloc(l->nyear, sizeof(struct scen_dist));
		s->caps[c].yr_shortfall = pc_calloc(l->nyear, sizeof(struct scen_dist));
		if (!s->caps[c].yr_achieved || !s->caps[c].yr_shortfall)
			goto nomem;
		for (size_t t = 0; t < l->nyear; t++) {
			size_t at = c * l->nyear + t;
			m = column(buf, res, l->yr_achieved + at);
			bad |= scen_dist_of(&s->caps[c].yr_achieved[t], buf, m);
			m = column(buf, res, l->yr_shortfall + at);
			bad |= scen_dist_of(&s->caps[c].yr_shortfall[t], buf, m);
		}
	}
	for (size_t c = 0; c < l->ncat; c++) {
		s->cats[c].index = (int)c;
		m = column(buf, res, l->cat_spend + c);
		bad |= scen_dist_of(&s->cats[c].a, buf, m);
	}
	for (size_t c = 0; c < l->nsrc; c++) {
		s->srcs[c].index = (int)c;
		m = column(buf, res, l->src_used + c);
		bad |= scen_dist_of(&s->srcs[c].a, buf, m);
		m = column(buf, res, l->src_mv + c);
		bad |= scen_dist_of(&s->srcs[c].b, buf, m);
	}
	/* parameters: over every finished scenario (failures included: they were drawn) */
	for (size_t c = 0; c < l->npar; c++) {
		s->pars[c].index = (int)c;
		m = 0;
		for (size_t k = 0; k < res->n; k++)
			buf[m++] = res->val[k * l->width + l->param + c];
		bad |= scen_dist_of(&s->pars[c].a, buf, m);
	}
	if (bad)
		goto nomem;
	free(buf);
	return s;
nomem:
	free(buf);
	scen_summary_free(s);
	return NULL;
}
