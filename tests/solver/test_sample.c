/* test_sample.c - the scenario sampler: marginal quantiles against values worked out by
 * hand, empirical quantiles of 20,000 draws, rank correlations achieved on 10,000 draws,
 * Latin hypercube stratification, reproducibility per (seed, scenario) in any order and on
 * any thread, and applying a draw to a plan. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "params.h"
#include "plan.h"
#include "sample.h"

#define TINY PORCUPINE_SOURCE_DIR "/inputs/plans/tiny.yaml"

/* tiny.yaml with its uncertainty section replaced by `unc`. */
static struct plan *tiny_with(const char *unc)
{
	FILE *f = fopen(TINY, "rb");
	cr_assert_not_null(f);
	char *buf = calloc(1, 1 << 16);
	size_t n = fread(buf, 1, (1 << 16) - 1, f);
	fclose(f);
	char *cut = strstr(buf, "\nuncertainty:");
	cr_assert_not_null(cut);
	cut[1] = '\0';
	char *text;
	cr_assert(asprintf(&text, "%s%s", buf, unc) > 0);
	(void)n;
	struct plan *p = NULL;
	struct diag_list dl;
	diag_list_init(&dl);
	int rc = plan_load_mem(&p, "test.yaml", NULL, text, strlen(text), &dl);
	if (rc != PLAN_OK)
		diag_print(&dl, stderr, 0);
	cr_assert_eq(rc, PLAN_OK);
	diag_list_release(&dl);
	free(buf);
	free(text);
	return p;
}

static struct uparam par(enum dist_kind d, double a, double b, double c)
{
	struct uparam u;
	memset(&u, 0, sizeof(u));
	u.dist = d;
	u.a = a;
	u.b = b;
	u.c = c;
	return u;
}

Test(sample, quantiles_worked_out_by_hand)
{
	struct uparam u = par(DIST_TRIANGULAR, 0, 1, 3);
	/* F^-1(q) = sqrt(3q) below the mode (F(1) = 1/3), 3 - sqrt(6(1-q)) above */
	cr_expect_float_eq(sample_quantile(&u, 0.25), sqrt(0.75), 1e-12);
	cr_expect_float_eq(sample_quantile(&u, 0.5), 3 - sqrt(3), 1e-12);
	cr_expect_float_eq(sample_quantile(&u, 1.0 / 3.0), 1.0, 1e-9);

	u = par(DIST_UNIFORM, 2, 5, 0);
	cr_expect_float_eq(sample_quantile(&u, 0.3), 2.9, 1e-12);

	u = par(DIST_NORMAL, 10, 2, 0);
	cr_expect_float_eq(sample_quantile(&u, 0.975), 10 + 2 * 1.959963984540054, 1e-9);
	cr_expect_float_eq(sample_quantile(&u, 0.5), 10, 1e-12);

	/* lognormal with mean 1 and sd 0.5 of the variable: median exp(mu) = 1/sqrt(1.25) */
	u = par(DIST_LOGNORMAL, 1, 0.5, 0);
	cr_expect_float_eq(sample_quantile(&u, 0.5), 1 / sqrt(1.25), 1e-12);

	/* PERT(0, 0.5, 1) = Beta(3, 3): F(x) = x^3 (10 - 15x + 6x^2); F(0.75336...) = 0.9 */
	u = par(DIST_PERT, 0, 0.5, 1);
	cr_expect_float_eq(sample_quantile(&u, 0.5), 0.5, 1e-9);
	cr_expect_float_eq(sample_quantile(&u, 0.9), 0.7533635467115333, 1e-9);
	/* PERT(10, 10, 20): Beta(1, 5) scaled, F^-1(q) = 10 + 10 (1 - (1-q)^(1/5)) */
	u = par(DIST_PERT, 10, 10, 20);
	cr_expect_float_eq(sample_quantile(&u, 0.5), 10 + 10 * (1 - pow(0.5, 0.2)), 1e-9);

	double values[] = {0, 0.5, 1}, weights[] = {0.3, 0.5, 0.2};
	u = par(DIST_DISCRETE, 0, 0, 0);
	u.values = values;
	u.weights = weights;
	u.nvalues = 3;
	cr_expect_eq(sample_quantile(&u, 0.29), 0);
	cr_expect_eq(sample_quantile(&u, 0.31), 0.5);
	cr_expect_eq(sample_quantile(&u, 0.79), 0.5);
	cr_expect_eq(sample_quantile(&u, 0.81), 1);

	u = par(DIST_BERNOULLI, 0.3, 0, 0);
	cr_expect_eq(sample_quantile(&u, 0.69), 0);
	cr_expect_eq(sample_quantile(&u, 0.71), 1);
}

static const char *MARGINALS =
    "uncertainty:\n"
    "  seed: 7\n"
    "  parameters:\n"
    "    tri: {path: items.shell.unit_cost, dist: triangular, min: 0.8, mode: 1, max: 1.6,"
    " apply: scale}\n"
    "    pert: {path: items.gun.unit_cost, dist: pert, min: 0.9, mode: 1.05, max: 1.5,"
    " apply: scale}\n"
    "    uni: {path: funding.loan.total, dist: uniform, min: 0.5, max: 1, apply: scale}\n"
    "    nor: {path: capabilities.ammo.penalty, dist: normal, mean: 3m, sd: 0.5m}\n"
    "    logn: {path: capabilities.guns.penalty, dist: lognormal, mean: 20m, sd: 10m}\n"
    "    disc: {path: items.shell.european_content, dist: discrete, values: [0.2, 0.6, 1],"
    " weights: [1, 2, 1]}\n"
    "    bern: {path: items.gun.european_content, dist: bernoulli, p: 0.25}\n";

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

Test(sample, empirical_quantiles_of_20000_draws)
{
	struct plan *p = tiny_with(MARGINALS);
	struct sampler *s;
	struct diag_list dl;
	const size_t N = 20000;
	diag_list_init(&dl);
	cr_assert_eq(sampler_new(&s, p, 7, SAMPLE_MC, N, &dl), PLAN_OK);
	size_t np = sampler_nparams(s);
	cr_assert_eq(np, 7);
	double *v = malloc(N * np * sizeof(double)), *col = malloc(N * sizeof(double));
	for (size_t k = 0; k < N; k++)
		cr_assert_eq(sampler_draw(s, k, v + k * np), 0);
	static const double probs[] = {0.05, 0.25, 0.5, 0.75, 0.95};
	for (size_t j = 0; j < np; j++) {
		const struct uparam *u = &p->uncertainty.params[j];
		for (size_t k = 0; k < N; k++)
			col[k] = v[k * np + j];
		qsort(col, N, sizeof(double), cmp_d);
		double spread = sample_quantile(u, 0.99) - sample_quantile(u, 0.01);
		for (size_t q = 0; q < 5; q++) {
			double emp = col[(size_t)(probs[q] * (double)(N - 1))];
			double want = sample_quantile(u, probs[q]);
			if (u->dist == DIST_DISCRETE || u->dist == DIST_BERNOULLI)
				continue; /* a step function: checked by frequency below */
			cr_expect(fabs(emp - want) <= 0.02 * spread,
				  "%s: quantile %.2f is %g, expected %g", u->id, probs[q], emp,
				  want);
		}
	}
	/* frequencies of the discrete and Bernoulli draws */
	size_t c02 = 0, c06 = 0, c1 = 0, ones = 0;
	for (size_t k = 0; k < N; k++) {
		double d = v[k * np + 5];
		c02 += d == 0.2;
		c06 += d == 0.6;
		c1 += d == 1;
		ones += v[k * np + 6] == 1;
	}
	cr_expect_eq(c02 + c06 + c1, N);
	cr_expect(fabs((double)c06 / N - 0.5) < 0.015, "share of 0.6: %g", (double)c06 / N);
	cr_expect(fabs((double)c02 / N - 0.25) < 0.015, "share of 0.2: %g", (double)c02 / N);
	cr_expect(fabs((double)ones / N - 0.25) < 0.015, "share of 1: %g", (double)ones / N);
	/* the uniform's mean */
	double mean = 0;
	for (size_t k = 0; k < N; k++)
		mean += v[k * np + 2];
	cr_expect(fabs(mean / N - 0.75) < 0.005, "uniform mean %g", mean / N);
	free(v);
	free(col);
	sampler_free(s);
	plan_free(p);
	diag_list_release(&dl);
}

/* Spearman's rank correlation of x and y (no ties expected). */
static double spearman(const double *x, const double *y, size_t n)
{
	double *rx = malloc(n * sizeof(double)), *ry = malloc(n * sizeof(double));
	size_t *ix = malloc(n * sizeof(size_t));
	const double *key;
	for (int pass = 0; pass < 2; pass++) {
		key = pass ? y : x;
		double *r = pass ? ry : rx;
		for (size_t i = 0; i < n; i++)
			ix[i] = i;
		/* insertion sort would be slow; sort pairs (value, index) instead */
		double *pairs = malloc(2 * n * sizeof(double));
		for (size_t i = 0; i < n; i++) {
			pairs[2 * i] = key[i];
			pairs[2 * i + 1] = (double)i;
		}
		qsort(pairs, n, 2 * sizeof(double), cmp_d);
		for (size_t i = 0; i < n; i++)
			r[(size_t)pairs[2 * i + 1]] = (double)i;
		free(pairs);
	}
	double mx = (double)(n - 1) / 2, sxy = 0, sxx = 0, syy = 0;
	for (size_t i = 0; i < n; i++) {
		sxy += (rx[i] - mx) * (ry[i] - mx);
		sxx += (rx[i] - mx) * (rx[i] - mx);
		syy += (ry[i] - mx) * (ry[i] - mx);
	}
	free(rx);
	free(ry);
	free(ix);
	return sxy / sqrt(sxx * syy);
}

static const char *CORRELATED =
    "uncertainty:\n"
    "  seed: 3\n"
    "  parameters:\n"
    "    a: {path: items.shell.unit_cost, dist: pert, min: 0.9, mode: 1.05, max: 1.5,"
    " apply: scale}\n"
    "    b: {path: items.gun.unit_cost, dist: triangular, min: 0.6, mode: 0.9, max: 1.2,"
    " apply: scale}\n"
    "    c: {path: funding.loan.total, dist: lognormal, mean: 1, sd: 0.3, apply: scale}\n"
    "    d: {path: capabilities.ammo.penalty, dist: uniform, min: 1m, max: 5m}\n"
    "  correlations:\n"
    "    - {a: a, b: b, rho: -0.5}\n"
    "    - {a: a, b: c, rho: 0.3}\n"
    "    - {a: b, b: d, rho: 0.7}\n";

Test(sample, rank_correlations_achieved_on_10000_draws)
{
	struct plan *p = tiny_with(CORRELATED);
	struct sampler *s;
	struct diag_list dl;
	const size_t N = 10000;
	diag_list_init(&dl);
	cr_assert_eq(sampler_new(&s, p, 3, SAMPLE_MC, N, &dl), PLAN_OK);
	double *v = malloc(N * 4 * sizeof(double));
	double *x[4];
	for (int j = 0; j < 4; j++)
		x[j] = malloc(N * sizeof(double));
	for (size_t k = 0; k < N; k++) {
		cr_assert_eq(sampler_draw(s, k, v + 4 * k), 0);
		for (int j = 0; j < 4; j++)
			x[j][k] = v[4 * k + j];
	}
	double want[4][4] = {{1, -0.5, 0.3, 0}, {-0.5, 1, 0, 0.7}, {0.3, 0, 1, 0}, {0, 0.7, 0, 1}};
	for (int i = 0; i < 4; i++)
		for (int j = i + 1; j < 4; j++) {
			/* a correlation of 0 between a and d follows from a-b and b-d: the copula
			 * gives -0.5 * 0.7 in normal scores; only the pairs asked for are exact */
			if (want[i][j] == 0)
				continue;
			double got = spearman(x[i], x[j], N);
			cr_expect(fabs(got - want[i][j]) < 0.03, "rho(%d,%d) = %g, wanted %g", i, j,
				  got, want[i][j]);
		}
	/* independent by default: the same plan without correlations */
	for (int j = 0; j < 4; j++)
		free(x[j]);
	free(v);
	sampler_free(s);
	plan_free(p);
	diag_list_release(&dl);
}

static const char *UNIFORMS = "uncertainty:\n"
			      "  seed: 11\n"
			      "  parameters:\n"
			      "    u1: {path: items.shell.unit_cost, dist: uniform, min: 0, max: 1,"
			      " apply: scale}\n"
			      "    u2: {path: items.gun.unit_cost, dist: uniform, min: 0, max: 1,"
			      " apply: scale}\n"
			      "    u3: {path: funding.loan.total, dist: uniform, min: 0, max: 1,"
			      " apply: scale}\n";

Test(sample, latin_hypercube_fills_every_stratum_once)
{
	struct plan *p = tiny_with(UNIFORMS);
	struct sampler *s, *mc;
	struct diag_list dl;
	const size_t N = 257;
	diag_list_init(&dl);
	cr_assert_eq(sampler_new(&s, p, 11, SAMPLE_LHS, N, &dl), PLAN_OK);
	cr_assert_eq(sampler_new(&mc, p, 11, SAMPLE_MC, N, &dl), PLAN_OK);
	int *hit = calloc(3 * N, sizeof(int)), *hit_mc = calloc(3 * N, sizeof(int));
	double v[3];
	for (size_t k = 0; k < N; k++) {
		cr_assert_eq(sampler_draw(s, k, v), 0);
		for (int j = 0; j < 3; j++) {
			size_t stratum = (size_t)(v[j] * (double)N);
			cr_assert(stratum < N);
			hit[j * N + stratum]++;
		}
		cr_assert_eq(sampler_draw(mc, k, v), 0);
		for (int j = 0; j < 3; j++)
			hit_mc[j * N + (size_t)(v[j] * (double)N)]++;
	}
	size_t empty_mc = 0;
	for (size_t i = 0; i < 3 * N; i++) {
		cr_expect_eq(hit[i], 1, "stratum %zu of parameter %zu has %d draws", i % N, i / N,
			     hit[i]);
		empty_mc += hit_mc[i] == 0;
	}
	/* plain Monte Carlo leaves about 1/e of the strata empty */
	cr_expect(empty_mc > 3 * N / 5, "Monte Carlo left only %zu strata empty", empty_mc);
	free(hit);
	free(hit_mc);
	sampler_free(s);
	sampler_free(mc);
	plan_free(p);
	diag_list_release(&dl);
}

Test(sample, draws_depend_only_on_seed_and_scenario)
{
	struct plan *p = tiny_with(CORRELATED);
	struct sampler *s, *s2, *other;
	struct diag_list dl;
	const size_t N = 500;
	diag_list_init(&dl);
	cr_assert_eq(sampler_new(&s, p, 3, SAMPLE_MC, N, &dl), PLAN_OK);
	cr_assert_eq(sampler_new(&s2, p, 3, SAMPLE_MC, N, &dl), PLAN_OK);
	cr_assert_eq(sampler_new(&other, p, 4, SAMPLE_MC, N, &dl), PLAN_OK);
	double *fwd = malloc(N * 4 * sizeof(double)), *rev = malloc(N * 4 * sizeof(double));
	double *par_ = malloc(N * 4 * sizeof(double)), *oth = malloc(N * 4 * sizeof(double));
	for (size_t k = 0; k < N; k++)
		cr_assert_eq(sampler_draw(s, k, fwd + 4 * k), 0);
	for (size_t k = N; k-- > 0;)
		cr_assert_eq(sampler_draw(s2, k, rev + 4 * k), 0);
#pragma omp parallel for num_threads(3) schedule(dynamic, 7)
	for (size_t k = 0; k < N; k++)
		sampler_draw(s, k, par_ + 4 * k);
	size_t same_other = 0;
	for (size_t k = 0; k < N; k++)
		cr_assert_eq(sampler_draw(other, k, oth + 4 * k), 0);
	cr_expect_eq(memcmp(fwd, rev, N * 4 * sizeof(double)), 0, "order changed the draws");
	cr_expect_eq(memcmp(fwd, par_, N * 4 * sizeof(double)), 0, "threads changed the draws");
	for (size_t i = 0; i < 4 * N; i++)
		same_other += fwd[i] == oth[i];
	cr_expect_eq(same_other, 0, "another seed repeated %zu draws", same_other);
	/* scenario k's draw does not depend on how many are asked for (Monte Carlo) */
	struct sampler *big;
	double v[4];
	cr_assert_eq(sampler_new(&big, p, 3, SAMPLE_MC, 10 * N, &dl), PLAN_OK);
	cr_assert_eq(sampler_draw(big, 123, v), 0);
	cr_expect_eq(memcmp(v, fwd + 4 * 123, sizeof(v)), 0);
	sampler_free(big);
	free(fwd);
	free(rev);
	free(par_);
	free(oth);
	sampler_free(s);
	sampler_free(s2);
	sampler_free(other);
	plan_free(p);
	diag_list_release(&dl);
}

Test(sample, apply_scales_or_sets_every_slot)
{
	static const char *unc =
	    "uncertainty:\n"
	    "  seed: 1\n"
	    "  parameters:\n"
	    "    cost: {path: 'items.*.unit_cost', dist: uniform, min: 1.1, max: 1.3, apply: "
	    "scale}\n"
	    "    cap: {path: items.shell.capacity, dist: uniform, min: 0.5, max: 0.6, apply: "
	    "scale}\n"
	    "    pen: {path: capabilities.ammo.penalty, dist: uniform, min: 1m, max: 2m}\n"
	    "    share: {path: items.gun.european_content, dist: normal, mean: 0.9, sd: 0.5}\n";
	struct plan *p = tiny_with(unc), *q;
	struct sampler *s;
	struct diag_list dl;
	double v[4];
	diag_list_init(&dl);
	cr_assert_eq(sampler_new(&s, p, 1, SAMPLE_MC, 100, &dl), PLAN_OK);
	for (uint64_t k = 0; k < 50; k++) {
		cr_assert_eq(sampler_draw(s, k, v), 0);
		cr_assert_eq(plan_clone(&q, p), PLAN_OK);
		cr_assert_eq(sampler_apply(s, q, v, &dl), 0);
		int shell = plan_find_item(q, "shell"), gun = plan_find_item(q, "gun");
		cr_expect_float_eq(q->items[shell].unit_cost, p->items[shell].unit_cost * v[0],
				   1e-6);
		cr_expect_float_eq(q->items[gun].unit_cost, p->items[gun].unit_cost * v[0], 1e-6);
		for (int t = 0; t < q->nyears; t++)
			cr_expect_float_eq(q->items[shell].capacity.v[t],
					   p->items[shell].capacity.v[t] * v[1], 1e-9);
		cr_expect_float_eq(q->capabilities[plan_find_capability(q, "ammo")].penalty, v[2],
				   1e-6);
		/* a share is clamped into [0, 1] */
		double e = q->items[gun].european_content;
		cr_expect(e >= 0 && e <= 1 && (e == v[3] || e == 0 || e == 1), "share %g from %g",
			  e, v[3]);
		/* the original is untouched */
		cr_expect_eq(p->items[shell].unit_cost, 1e6);
		plan_free(q);
	}
	sampler_free(s);
	plan_free(p);
	diag_list_release(&dl);
}

/* Scaling 'no cap' (a total of -1) leaves it no cap: it must not become a cap of 0. */
Test(sample, scaling_keeps_no_cap_uncapped)
{
	static const char *unc =
	    "uncertainty:\n"
	    "  seed: 1\n"
	    "  parameters:\n"
	    "    totals: {path: 'funding.*.total', dist: uniform, min: 0.5, max: 0.6, apply: "
	    "scale}\n";
	struct plan *p = tiny_with(unc), *q;
	struct sampler *s;
	struct diag_list dl;
	double v[1];
	diag_list_init(&dl);
	int loan = plan_find_source(p, "loan"), budget = plan_find_source(p, "budget");
	cr_assert(loan >= 0 && budget >= 0);
	cr_assert_eq(p->sources[budget].total, -1, "tiny.yaml's budget has no cap");
	cr_assert_eq(sampler_new(&s, p, 1, SAMPLE_MC, 10, &dl), PLAN_OK);
	for (uint64_t k = 0; k < 10; k++) {
		cr_assert_eq(sampler_draw(s, k, v), 0);
		cr_assert_eq(plan_clone(&q, p), PLAN_OK);
		cr_assert_eq(sampler_apply(s, q, v, &dl), 0);
		cr_expect_float_eq(q->sources[loan].total, 100e6 * v[0], 1e-3);
		cr_expect_eq(q->sources[budget].total, -1, "scenario %llu: no cap became %g",
			     (unsigned long long)k, q->sources[budget].total);
		plan_free(q);
	}
	sampler_free(s);
	plan_free(p);
	diag_list_release(&dl);
}

Test(sample, non_positive_definite_correlations_are_refused)
{
	static const char *unc =
	    "uncertainty:\n"
	    "  seed: 1\n"
	    "  parameters:\n"
	    "    a: {path: items.shell.unit_cost, dist: uniform, min: 1, max: 2,"
	    " apply: scale}\n"
	    "    b: {path: items.gun.unit_cost, dist: uniform, min: 1, max: 2,"
	    " apply: scale}\n"
	    "  correlations:\n"
	    "    - {a: a, b: b, rho: 1}\n";
	struct diag_list dl;
	struct plan *p = NULL;
	diag_list_init(&dl);
	FILE *f = fopen(TINY, "rb");
	char *buf = calloc(1, 1 << 16);
	cr_assert(fread(buf, 1, (1 << 16) - 1, f) > 0);
	fclose(f);
	strstr(buf, "\nuncertainty:")[1] = '\0';
	char *text;
	cr_assert(asprintf(&text, "%s%s", buf, unc) > 0);
	int rc = plan_load_mem(&p, "t.yaml", NULL, text, strlen(text), &dl);
	if (rc == PLAN_OK) {
		/* a correlation of 1 is positive semi-definite: the loader may accept it, but
		 * the sampler needs a Cholesky factor and says why it cannot */
		struct sampler *s;
		rc = sampler_new(&s, p, 1, SAMPLE_MC, 10, &dl);
		cr_expect_eq(rc, PLAN_EINVALID);
		cr_expect(dl.n > 0 && strstr(dl.v[0].message, "positive definite") != NULL);
		plan_free(p);
	}
	free(buf);
	free(text);
	diag_list_release(&dl);
}
