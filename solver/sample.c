/* sample.c - parameter draws: Philox counter streams keyed by (seed, scenario, parameter),
 * GSL inverse CDFs for the marginals, a Gaussian copula for rank correlations. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <Random123/philox.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>

#include "alloc.h"
#include "params.h"
#include "sample.h"

struct sampler {
	const struct plan *plan;
	size_t np;
	uint64_t seed;
	enum sample_method method;
	size_t n;
	double *chol;	/* np x np lower-triangular Cholesky factor of the normal-score
			 * correlation matrix, or NULL when the parameters are independent */
	uint32_t *perm; /* LHS: np permutations of 0..n-1 */
};

static const double PI = 3.14159265358979323846;

/* Stream purposes, kept apart in the counter so draws never collide. */
enum { STREAM_DRAW = 1, STREAM_LHS = 2 };

/* A uniform in (0,1) from the counter (purpose, a, b, c) under the sampler's seed. */
static double uniform(uint64_t seed, uint64_t purpose, uint64_t a, uint64_t b, uint64_t c)
{
	philox4x64_ctr_t ctr = {{purpose, a, b, c}};
	philox4x64_key_t key = {{seed, 0x706f726375706e65ULL}};
	philox4x64_ctr_t r = philox4x64(ctr, key);
	/* 53 random bits, centred in their interval: never exactly 0 or 1 */
	return ((double)(r.v[0] >> 11) + 0.5) * 0x1p-53;
}

size_t sampler_nparams(const struct sampler *s)
{
	return s->np;
}

/* Cholesky of the np x np matrix a (row-major) into l; -1 if not positive definite. */
static int cholesky(double *l, const double *a, size_t np)
{
	memset(l, 0, np * np * sizeof(*l));
	for (size_t i = 0; i < np; i++)
		for (size_t j = 0; j <= i; j++) {
			double sum = a[i * np + j];
			for (size_t k = 0; k < j; k++)
				sum -= l[i * np + k] * l[j * np + k];
			if (i == j) {
				if (sum <= 1e-12)
					return -1;
				l[i * np + i] = sqrt(sum);
			} else
				l[i * np + j] = sum / l[j * np + j];
		}
	return 0;
}

int sampler_new(struct sampler **out, const struct plan *p, uint64_t seed,
		enum sample_method method, size_t n, struct diag_list *dl)
{
	const struct uncertainty *u = &p->uncertainty;
	struct sampler *s = pc_calloc(1, sizeof(*s));
	double *corr = NULL;

	*out = NULL;
	gsl_set_error_handler_off();
	if (!s)
		return PLAN_ENOMEM;
	s->plan = p;
	s->np = u->nparams;
	s->seed = seed;
	s->method = method;
	s->n = n;

	if (u->ncorrelations > 0 && s->np > 0) {
		corr = pc_calloc(s->np * s->np, sizeof(*corr));
		s->chol = pc_calloc(s->np * s->np, sizeof(*s->chol));
		if (!corr || !s->chol)
			goto nomem;
		for (size_t i = 0; i < s->np; i++)
			corr[i * s->np + i] = 1.0;
		for (size_t k = 0; k < u->ncorrelations; k++) {
			const struct correlation *c = &u->correlations[k];
			/* Spearman's rho of the inputs -> Pearson's r of their normal scores */
			double r = 2.0 * sin(PI * c->rho / 6.0);
			corr[(size_t)c->a * s->np + (size_t)c->b] = r;
			corr[(size_t)c->b * s->np + (size_t)c->a] = r;
		}
		if (cholesky(s->chol, corr, s->np) != 0) {
			diag_error(dl, p->file, u->correlations[0].loc.line,
				   u->correlations[0].loc.col, "uncertainty.correlations",
				   "the correlations do not form a positive definite matrix");
			free(corr);
			sampler_free(s);
			return PLAN_EINVALID;
		}
		free(corr);
		corr = NULL;
	}

	if (method == SAMPLE_LHS && n > 0 && s->np > 0) {
		if (n > UINT32_MAX)
			goto nomem;
		s->perm = pc_malloc(s->np * n * sizeof(*s->perm));
		if (!s->perm)
			goto nomem;
		for (size_t j = 0; j < s->np; j++) {
			uint32_t *pm = s->perm + j * n;
			for (size_t i = 0; i < n; i++)
				pm[i] = (uint32_t)i;
			/* Fisher-Yates driven by the seed alone */
			for (size_t i = n - 1; i > 0; i--) {
				double v = uniform(seed, STREAM_LHS, j, i, n);
				size_t k = (size_t)(v * (double)(i + 1));
				if (k > i)
					k = i;
				uint32_t t = pm[i];
				pm[i] = pm[k];
				pm[k] = t;
			}
		}
	}
	*out = s;
	return PLAN_OK;
nomem:
	free(corr);
	sampler_free(s);
	return PLAN_ENOMEM;
}

void sampler_free(struct sampler *s)
{
	if (!s)
		return;
	free(s->chol);
	free(s->perm);
	free(s);
}

static double clamp01(double u)
{
	if (u < 1e-15)
		return 1e-15;
	if (u > 1.0 - 1e-15)
		return 1.0 - 1e-15;
	return u;
}

double sample_quantile(const struct uparam *u, double prob)
{
	double q = clamp01(prob);
	switch (u->dist) {
	case DIST_TRIANGULAR: {
		double lo = u->a, mode = u->b, hi = u->c;
		if (hi <= lo)
			return lo;
		double f = (mode - lo) / (hi - lo);
		if (q < f)
			return lo + sqrt(q * (hi - lo) * (mode - lo));
		return hi - sqrt((1.0 - q) * (hi - lo) * (hi - mode));
	}
	case DIST_PERT: {
		double lo = u->a, mode = u->b, hi = u->c;
		if (hi <= lo)
			return lo;
		double al = 1.0 + 4.0 * (mode - lo) / (hi - lo);
		double be = 1.0 + 4.0 * (hi - mode) / (hi - lo);
		return lo + (hi - lo) * gsl_cdf_beta_Pinv(q, al, be);
	}
	case DIST_UNIFORM:
		return u->a + q * (u->b - u->a);
	case DIST_NORMAL:
		return u->a + u->b * gsl_cdf_ugaussian_Pinv(q);
	case DIST_LOGNORMAL: {
		/* mean and sd of the variable itself */
		double m = u->a, sd = u->b;
		double s2 = log(1.0 + (sd * sd) / (m * m));
		double mu = log(m) - s2 / 2.0;
		return exp(mu + sqrt(s2) * gsl_cdf_ugaussian_Pinv(q));
	}
	case DIST_DISCRETE: {
		double total = 0.0, cum = 0.0;
		for (size_t i = 0; i < u->nvalues; i++)
			total += u->weights ? u->weights[i] : 1.0;
		for (size_t i = 0; i < u->nvalues; i++) {
			cum += (u->weights ? u->weights[i] : 1.0) / total;
			if (q < cum)
				return u->values[i];
		}
		return u->nvalues ? u->values[u->nvalues - 1] : 0.0;
	}
	case DIST_BERNOULLI:
		/* monotone in q, so correlations keep their direction */
		return q > 1.0 - u->a ? 1.0 : 0.0;
	}
	return 0.0;
}

int sampler_draw(const struct sampler *s, uint64_t k, double *out)
{
	const struct uncertainty *u = &s->plan->uncertainty;
	size_t np = s->np;
	double *z = pc_malloc((np ? np : 1) * 2 * sizeof(*z));
	if (!z)
		return -1;
	double *cz = z + np;

	for (size_t j = 0; j < np; j++) {
		double v = uniform(s->seed, STREAM_DRAW, k, j, 0);
		if (s->perm && k < s->n)
			v = ((double)s->perm[j * s->n + k] + v) / (double)s->n;
		z[j] = v;
	}
	if (s->chol) {
		for (size_t j = 0; j < np; j++)
			z[j] = gsl_cdf_ugaussian_Pinv(clamp01(z[j]));
		for (size_t i = 0; i < np; i++) {
			double sum = 0.0;
			for (size_t j = 0; j <= i; j++)
				sum += s->chol[i * np + j] * z[j];
			cz[i] = gsl_cdf_ugaussian_P(sum);
		}
		memcpy(z, cz, np * sizeof(*z));
	}
	int bad = 0;
	for (size_t j = 0; j < np; j++) {
		out[j] = sample_quantile(&u->params[j], z[j]);
		bad |= !isfinite(out[j]); /* GSL returns NaN instead of aborting (handler off) */
	}
	free(z);
	return bad ? -1 : 0;
}

int sampler_apply(const struct sampler *s, struct plan *q, const double *draw, struct diag_list *dl)
{
	const struct uncertainty *u = &s->plan->uncertainty;
	for (size_t j = 0; j < s->np; j++) {
		struct param_slot *slots;
		size_t n;
		const struct uparam *par = &u->params[j];
		if (params_resolve(&slots, &n, q, par->path, dl, q->file, par->loc.line,
				   par->loc.col) != PLAN_OK)
			return -1;
		for (size_t i = 0; i < n; i++) {
			/* a value below the slot's minimum is the "none" mark (-1: no cap, no
			 * limit); scaling it must leave it none, not clamp it to 0 */
			if (par->apply == APPLY_SCALE && *slots[i].value < slots[i].min)
				continue;
			double v = par->apply == APPLY_SCALE ? *slots[i].value * draw[j] : draw[j];
			if (slots[i].integer)
				v = round(v);
			if (v < slots[i].min)
				v = slots[i].min;
			if (v > slots[i].max)
				v = slots[i].max;
			*slots[i].value = v;
		}
		free(slots);
	}
	return 0;
}
