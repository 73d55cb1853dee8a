/* test_scen.c - the scenario engine on tiny.yaml, whose every scenario has an objective
 * worked out by hand (167.2m + 132m x the shell-cost factor): exact quantiles, the engine's
 * answers against the formula and against cold solves, identical records for 1 and 3
 * threads, failures counted with their reason, stopping at a precision, and the store read
 * back bit for bit. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lp.h"
#include "model.h"
#include "scen.h"

#define TINY PORCUPINE_SOURCE_DIR "/inputs/plans/tiny.yaml"

static void fini(void)
{
	lp_thread_done();
}
TestSuite(scen, .fini = fini);

Test(scen, exact_quantiles_type_7)
{
	double v[] = {1, 2, 3, 4, 5};
	cr_expect_float_eq(scen_quantile(v, 5, 0.5), 3, 1e-15);
	cr_expect_float_eq(scen_quantile(v, 5, 0.05), 1.2, 1e-15);
	cr_expect_float_eq(scen_quantile(v, 5, 0.95), 4.8, 1e-15);
	cr_expect_float_eq(scen_quantile(v, 5, 0), 1, 0);
	cr_expect_float_eq(scen_quantile(v, 5, 1), 5, 0);
	cr_expect(isnan(scen_quantile(v, 0, 0.5)));
	double w[] = {10, NAN, 30, 20};
	struct scen_dist d;
	cr_assert_eq(scen_dist_of(&d, w, 4), 0);
	cr_expect_eq(d.n, 3);
	cr_expect_float_eq(d.mean, 20, 1e-12);
	cr_expect_float_eq(d.sd, 10, 1e-12);
	cr_expect_float_eq(d.stderr_, 10 / sqrt(3), 1e-12);
	cr_expect_float_eq(d.p50, 20, 1e-12);
	cr_expect_float_eq(d.p5, 11, 1e-12);
	cr_expect_eq(d.min, 10);
	cr_expect_eq(d.max, 30);
}

static struct plan *load(const char *path)
{
	struct plan *p = NULL;
	struct diag_list dl;
	diag_list_init(&dl);
	int rc = plan_load_file(&p, path, &dl);
	if (rc)
		diag_print(&dl, stderr, 0);
	cr_assert_eq(rc, PLAN_OK);
	diag_list_release(&dl);
	return p;
}

/* A run of n scenarios of p on `threads` threads (cold: no warm starts). */
static struct scen_result *run(const struct plan *p, size_t n, int threads, int cold,
			       double precision, struct scen_store *store)
{
	struct scen_opts o = SCEN_OPTS_INIT;
	struct model *m = NULL;
	struct solution sol;
	struct diag_list dl;
	diag_list_init(&dl);
	o.n = n;
	o.seed = 5;
	o.threads = threads;
	o.cold = cold;
	o.precision = precision;
	cr_assert_eq(model_build(&m, p, &dl), PLAN_OK);
	cr_assert_eq(lp_solve(&sol, m->lp, &o.lp), 0);
	struct scen_result *r = scen_result_new(p, n);
	cr_assert_not_null(r);
	int rc = scen_run(r, p, m, &sol, &o, store, &dl);
	if (rc)
		diag_print(&dl, stderr, 0);
	cr_assert_eq(rc, 0);
	solution_release(&sol);
	model_free(m);
	diag_list_release(&dl);
	return r;
}

Test(scen, every_scenario_matches_the_hand_formula)
{
	struct plan *p = load(TINY);
	struct scen_result *r = run(p, 200, 2, 0, 0, NULL);
	const struct scen_layout *l = &r->lay;
	cr_assert_eq(r->n, 200);
	cr_expect(r->anchored);
	for (size_t k = 0; k < r->n; k++) {
		const double *row = r->val + k * l->width;
		double f = row[l->param];
		cr_assert(f >= 0.9 && f <= 1.2);
		cr_expect_eq(r->rec[k].status, SOL_OPTIMAL);
		cr_expect_float_eq(row[l->objective], 167.2e6 + 132e6 * f, 1e-6 * 300e6,
				   "scenario %zu (factor %g): objective %.17g", k, f,
				   row[l->objective]);
		/* 20 shells short each year, no gun short */
		cr_expect_float_eq(row[l->shortfall + 0], 40, 1e-6);
		cr_expect_float_eq(row[l->shortfall + 1], 0, 1e-6);
		cr_expect_eq(row[l->met + 0], 0);
		cr_expect_eq(row[l->met + 1], 1);
		/* per year: 60 shells in service of 80 (20 short); guns 3 of 2, then 5 of 5 */
		cr_assert_eq(l->nyear, 2);
		for (size_t t = 0; t < 2; t++) {
			cr_expect_float_eq(row[l->yr_achieved + 0 * 2 + t], 60, 1e-6);
			cr_expect_float_eq(row[l->yr_shortfall + 0 * 2 + t], 20, 1e-6);
			cr_expect_float_eq(row[l->yr_shortfall + 1 * 2 + t], 0, 1e-6);
		}
		cr_expect_float_eq(row[l->yr_achieved + 1 * 2 + 0], 3, 1e-6);
		cr_expect_float_eq(row[l->yr_achieved + 1 * 2 + 1], 5, 1e-6);
		/* one more budget EUR saves a loan EUR: 1.1 - 1 */
		cr_expect_float_eq(row[l->src_mv + 1], 0.1, 1e-6);
	}
	scen_result_free(r);
	plan_free(p);
}

Test(scen, same_records_for_1_and_3_threads_and_cold)
{
	struct plan *p = load(TINY);
	struct scen_result *a = run(p, 150, 1, 0, 0, NULL), *b = run(p, 150, 3, 0, 0, NULL);
	struct scen_result *c = run(p, 150, 2, 1, 0, NULL);
	cr_assert_eq(a->n, b->n);
	cr_expect_eq(memcmp(a->val, b->val, a->n * a->lay.width * sizeof(double)), 0);
	cr_expect_eq(memcmp(a->rec, b->rec, a->n * sizeof(*a->rec)), 0);
	for (size_t k = 0; k < a->n; k++) {
		double x = a->val[k * a->lay.width + a->lay.objective];
		double y = c->val[k * c->lay.width + c->lay.objective];
		cr_expect(fabs(x - y) <= 1e-9 * fabs(y), "scenario %zu warm %.17g cold %.17g", k, x,
			  y);
		cr_expect_eq(c->rec[k].start, LP_START_COLD);
	}
	scen_result_free(a);
	scen_result_free(b);
	scen_result_free(c);
	plan_free(p);
}

Test(scen, summary_of_a_run)
{
	struct plan *p = load(TINY);
	struct scen_opts o = SCEN_OPTS_INIT;
	struct scen_result *r = run(p, 400, 2, 0, 0, NULL);
	o.seed = 5;
	struct scen_summary *s = scen_summarize(r, p, &o);
	cr_assert_not_null(s);
	cr_expect_eq(s->n, 400);
	cr_expect_eq(s->solved, 400);
	cr_expect_eq(s->failed, 0);
	cr_expect_str_eq(s->stopped, "complete");
	/* triangular(0.9, 1, 1.2): mean 1.0333..., objective mean 167.2m + 132m x mean */
	double fmean = s->pars[0].a.mean;
	cr_expect(fabs(fmean - 31.0 / 30.0) < 0.01, "factor mean %g", fmean);
	cr_expect_float_eq(s->objective.mean, 167.2e6 + 132e6 * fmean, 1e-6 * 300e6);
	cr_expect_float_eq(s->objective.p50, 167.2e6 + 132e6 * s->pars[0].a.p50, 1e-6 * 300e6);
	cr_expect(s->objective.p5 < s->objective.p50 && s->objective.p50 < s->objective.p95);
	cr_expect_float_eq(s->caps[0].p_target_met, 0, 0);
	cr_expect_float_eq(s->caps[1].p_target_met, 1, 0);
	cr_expect_float_eq(s->caps[0].shortfall.p95, 40, 1e-6);
	/* per year, over the 400 scenarios: the same numbers every time */
	cr_assert_eq(s->nyear, 2);
	cr_expect_eq(s->year0, 2026);
	cr_expect_eq(s->caps[1].yr_achieved[1].n, 400);
	cr_expect_float_eq(s->caps[1].yr_achieved[1].p5, 5, 1e-6);
	cr_expect_float_eq(s->caps[1].yr_achieved[1].p95, 5, 1e-6);
	cr_expect_float_eq(s->caps[0].yr_shortfall[0].p50, 20, 1e-6);
	cr_expect_float_eq(s->caps[0].yr_achieved[1].mean, 60, 1e-6);
	scen_summary_free(s);
	scen_result_free(r);
	plan_free(p);
}

/* tiny.yaml with the gun target hard and gun capacity drawn: infeasible when fewer than
 * three guns a year can be made (factor below 1). */
static struct plan *hard_guns(void)
{
	FILE *f = fopen(TINY, "rb");
	char *buf = calloc(1, 1 << 16), *text;
	cr_assert(f && fread(buf, 1, (1 << 16) - 1, f) > 0);
	fclose(f);
	strstr(buf, "\nuncertainty:")[1] = '\0';
	char *pen = strstr(buf, "    penalty: 20m\n");
	cr_assert_not_null(pen);
	cr_assert(asprintf(&text,
			   "%.*s    hard: true\n%s"
			   "uncertainty:\n  seed: 9\n  parameters:\n"
			   "    gun_capacity: {path: items.gun.capacity, dist: uniform, min: 0.5,"
			   " max: 1.5, apply: scale}\n",
			   (int)(pen - buf), buf, pen) > 0);
	struct plan *p = NULL;
	struct diag_list dl;
	diag_list_init(&dl);
	int rc = plan_load_mem(&p, "hard.yaml", NULL, text, strlen(text), &dl);
	if (rc)
		diag_print(&dl, stderr, 0);
	cr_assert_eq(rc, PLAN_OK);
	diag_list_release(&dl);
	free(buf);
	free(text);
	return p;
}

Test(scen, infeasible_scenarios_are_counted_not_fatal)
{
	struct plan *p = hard_guns();
	struct scen_opts o = SCEN_OPTS_INIT;
	struct scen_result *r = run(p, 100, 2, 0, 0, NULL);
	size_t expect_bad = 0;
	cr_assert_eq(r->n, 100);
	for (size_t k = 0; k < r->n; k++) {
		double f = r->val[k * r->lay.width + r->lay.param];
		int bad = floor(3 * f + 1e-9) < 3; /* two years of floor(3f) guns < 5 */
		expect_bad += bad;
		cr_expect_eq(r->rec[k].status, bad ? SOL_INFEASIBLE : SOL_OPTIMAL,
			     "scenario %zu (factor %g): %s", k, f,
			     scen_status_name(r->rec[k].status));
		if (bad)
			cr_expect_not_null(r->message[k]);
	}
	cr_expect(expect_bad > 30 && expect_bad < 70);
	o.seed = 5;
	struct scen_summary *s = scen_summarize(r, p, &o);
	cr_assert_not_null(s);
	cr_expect_eq(s->failed, expect_bad);
	cr_expect_eq(s->solved, 100 - expect_bad);
	cr_assert_eq(s->nfail, 1);
	cr_expect_str_eq(s->fail[0].status, "infeasible");
	cr_expect_eq(s->fail[0].count, expect_bad);
	scen_summary_free(s);
	scen_result_free(r);
	plan_free(p);
}

Test(scen, precision_stops_at_the_first_scenario_that_reaches_it)
{
	struct plan *p = load(TINY);
	struct scen_result *r = run(p, 5000, 2, 0, 0.002, NULL);
	cr_expect(r->precision_reached);
	cr_assert(r->n > 30 && r->n < 5000, "stopped at %zu", r->n);
	/* recompute: the relative standard error first falls below 0.002 at r->n */
	double mean = 0, m2 = 0;
	size_t first = 0;
	for (size_t k = 0; k < r->n; k++) {
		double v = r->val[k * r->lay.width + r->lay.objective], d = v - mean;
		mean += d / (double)(k + 1);
		m2 += d * (v - mean);
		if (k + 1 >= 30 && !first && sqrt(m2 / (double)k / (double)(k + 1)) / mean < 0.002)
			first = k + 1;
	}
	cr_expect_eq(first, r->n);
	scen_result_free(r);
	plan_free(p);
}

Test(scen, store_reads_back_bit_for_bit)
{
	struct plan *p = load(TINY);
	char dir[] = "/tmp/porcupine-scen-XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	char tmp[128], fin[128];
	snprintf(tmp, sizeof(tmp), "%s/.s.tmp", dir);
	snprintf(fin, sizeof(fin), "%s/s.sqlite", dir);
	struct diag_list dl;
	struct scen_store *st;
	diag_list_init(&dl);
	cr_assert_eq(scen_store_open(&st, tmp, fin, NULL, p, &dl), 0);
	struct scen_result *r = run(p, 120, 2, 0, 0, st);
	cr_assert_eq(scen_store_commit(st, &dl), 0);
	cr_assert_eq(access(tmp, F_OK), -1);

	struct scen_result *back = scen_result_new(p, 120);
	cr_assert_eq(scen_store_open(&st, tmp, fin, fin, p, &dl), 0);
	cr_assert_eq(scen_store_load(st, back, &dl), 0);
	scen_store_abort(st);
	cr_expect_eq(back->n, 120);
	for (size_t i = 0; i < 120 * r->lay.width; i++)
		cr_expect(r->val[i] == back->val[i] || (isnan(r->val[i]) && isnan(back->val[i])),
			  "value %zu: %.17g vs %.17g", i, r->val[i], back->val[i]);
	for (size_t k = 0; k < 120; k++) {
		cr_expect_eq(r->rec[k].status, back->rec[k].status);
		cr_expect_eq(r->rec[k].iterations, back->rec[k].iterations);
	}
	scen_result_free(r);
	scen_result_free(back);
	unlink(fin);
	rmdir(dir);
	plan_free(p);
	diag_list_release(&dl);
}

/* Model of tiny.yaml with the given --set assignments (NULL-terminated). */
static struct model *tiny_model(struct plan **pp, const char *const *set)
{
	struct plan *p = load(TINY);
	struct model *m = NULL;
	struct diag_list dl;
	diag_list_init(&dl);
	for (; set && *set; set++)
		cr_assert_eq(plan_set(p, *set, &dl), PLAN_OK, "%s", *set);
	cr_assert_eq(model_build(&m, p, &dl), PLAN_OK);
	diag_list_release(&dl);
	*pp = p;
	return m;
}

Test(scen, session_matches_rows_by_tag_and_forgets_what_came_before)
{
	/* the nominal loan total equals what it makes available: no horizon-total row; at
	 * 80m the row appears, and it binds */
	static const char *const nominal[] = {NULL};
	static const char *const tight[] = {"funding.loan.total=60m", NULL};
	static const char *const cheap[] = {"items.shell.unit_cost=0.9m",
					    "capabilities.guns.penalty=5m", NULL};
	struct plan *p0, *p1, *p2;
	struct model *m0 = tiny_model(&p0, nominal), *m1 = tiny_model(&p1, tight);
	struct model *m2 = tiny_model(&p2, cheap);
	cr_assert_eq(m1->lp->nrows, m0->lp->nrows + 1);
	struct lp_opts o = LP_OPTS_INIT;
	struct solution nom, a, b, a2, cold;
	struct lp_session_info info;
	struct lp_anchor *anc;
	struct lp_session *s;
	cr_assert_eq(lp_solve(&nom, m0->lp, &o), 0);
	cr_assert_eq(lp_anchor_new(&anc, m0->lp, nom.x, &o), 0);
	cr_assert(lp_anchor_ok(anc));
	cr_assert_eq(lp_session_new(&s, anc), 0);

	cr_assert_eq(lp_session_solve(s, &a, &info, m1->lp, &o), 0);
	cr_expect_eq(a.status, SOL_OPTIMAL);
	cr_expect_eq(info.start, LP_START_WARM, "an added row should not force a cold solve");
	cr_assert_eq(lp_solve(&cold, m1->lp, &o), 0);
	cr_expect(fabs(a.objective - cold.objective) <= 1e-9 * fabs(cold.objective),
		  "warm %.17g cold %.17g", a.objective, cold.objective);
	/* the added row binds: the loan's total price is in the duals */
	int row = -1;
	for (size_t i = 0; i < m1->lp->nrows; i++)
		if (m1->lp->rows[i].tag.kind == MR_FUND_TOTAL)
			row = (int)i;
	cr_assert(row >= 0);
	cr_expect(a.has_duals && fabs(a.y[row] - cold.y[row]) <= 1e-9, "dual %g vs %g", a.y[row],
		  cold.y[row]);
	solution_release(&cold);

	/* another scenario in between, then the first again: bit-identical answer */
	cr_assert_eq(lp_session_solve(s, &b, &info, m2->lp, &o), 0);
	cr_expect_eq(b.status, SOL_OPTIMAL);
	cr_assert_eq(lp_solve(&cold, m2->lp, &o), 0);
	cr_expect(fabs(b.objective - cold.objective) <= 1e-9 * fabs(cold.objective));
	solution_release(&cold);
	cr_assert_eq(lp_session_solve(s, &a2, &info, m1->lp, &o), 0);
	cr_expect_eq(memcmp(a.x, a2.x, m1->lp->ncols * sizeof(double)), 0);
	cr_expect_eq(memcmp(a.y, a2.y, m1->lp->nrows * sizeof(double)), 0);
	cr_expect_eq(a.iterations, a2.iterations);

	/* the nominal model itself keeps the anchor basis: no iteration for the relaxation */
	solution_release(&b);
	cr_assert_eq(lp_session_solve(s, &b, &info, m0->lp, &o), 0);
	cr_expect_eq(info.start, LP_START_KEPT);
	cr_expect(fabs(b.objective - nom.objective) <= 1e-9 * fabs(nom.objective));

	lp_session_free(s);
	lp_anchor_free(anc);
	solution_release(&nom);
	solution_release(&a);
	solution_release(&a2);
	solution_release(&b);
	model_free(m0);
	model_free(m1);
	model_free(m2);
	plan_free(p0);
	plan_free(p1);
	plan_free(p2);
}
