/* sample.h - draws of the plan's uncertain parameters: reproducible per (seed, scenario),
 * correlated through a Gaussian copula on rank correlations, optionally Latin hypercube. */
#ifndef PORCUPINE_SAMPLE_H
#define PORCUPINE_SAMPLE_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "plan.h"

struct sampler;

enum sample_method { SAMPLE_MC = 0, SAMPLE_LHS };

/* Prepare to draw the parameters of p->uncertainty.  For SAMPLE_LHS, n is the number of
 * scenarios the strata are cut for (scenario ids 0..n-1).  Returns PLAN_OK, PLAN_EINVALID
 * (the correlation matrix is not positive definite: a diagnostic is added) or
 * PLAN_ENOMEM. */
int sampler_new(struct sampler **out, const struct plan *p, uint64_t seed,
		enum sample_method method, size_t n, struct diag_list *dl);
void sampler_free(struct sampler *s);

/* Number of parameters one draw has (p->uncertainty.nparams). */
size_t sampler_nparams(const struct sampler *s);

/* Draw scenario k's parameter values into out[nparams].  Depends only on the seed, k (and
 * n for LHS), never on what was drawn before: safe to call from any thread in any order.
 * Uniforms come from Philox4x64 with key (seed, constant) and counter (stream, k,
 * parameter, 0), 53 bits each, never 0 or 1.  With correlations they pass through a
 * Gaussian copula (Spearman's rho turned into the normal scores' Pearson r = 2 sin(pi rho/6),
 * Cholesky factor); with SAMPLE_LHS the uniforms are first stratified (one per n-th of
 * (0, 1), strata shuffled per parameter by the seed), so uncorrelated parameters are
 * exactly stratified and correlated ones approximately.  Then each marginal's inverse CDF.
 * Returns 0, or -1 when scratch memory could not be allocated or a quantile was not a
 * finite number. */
int sampler_draw(const struct sampler *s, uint64_t k, double *out);

/* Apply one draw to plan q (a clone of the plan the sampler was built from): each
 * parameter's path is set to, or scaled by, its value, clamped to the bounds the schema
 * allows.  Returns 0, or -1 if a path no longer resolves (a diagnostic is added). */
int sampler_apply(const struct sampler *s, struct plan *q, const double *draw,
		  struct diag_list *dl);

/* The marginal's inverse CDF at u in (0,1): exposed for tests. */
double sample_quantile(const struct uparam *u, double prob);

#endif
