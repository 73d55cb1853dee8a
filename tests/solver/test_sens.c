/* test_sens.c - sensitivity analysis: the LP backend's ranges on an LP known by hand, shadow
 * prices against finite differences of two solves, sweeps (grid, monotone in money, the base
 * point reproducing a solve, independent of the thread count) and tornado bars (ends chosen
 * per distribution, each end equal to a solve of the plan set to that value). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lp.h"
#include "params.h"
#include "ranging.h"
#include "sample.h"
#include "sweep.h"
#include "tornado.h"

#define PLANS PORCUPINE_SOURCE_DIR "/inputs/plans"

static const struct lpm_tag NOTAG = {0, -1, -1, -1, -1};

static void fini(void)
{
	lp_thread_done();
}

TestSuite(ranging, .fini = fini);
TestSuite(sweep, .fini = fini);
TestSuite(tornado, .fini = fini);

/* Equal within a relative tolerance (and 1e-9 absolute). */
static int close_to(double a, double b, double rel)
{
	return fabs(a - b) <= rel * fmax(1.0, fmax(fabs(a), fabs(b))) + 1e-9;
}

static struct plan *load(const char *file)
{
	struct diag_list dl;
	struct plan *p = NULL;
	diag_list_init(&dl);
	int rc = file ? plan_load_file(&p, file, &dl) : plan_load_default(&p, &dl);
	if (rc != PLAN_OK)
		diag_print(&dl, stderr, 0);
	diag_list_release(&dl);
	cr_assert_eq(rc, PLAN_OK, "cannot load %s", file ? file : "the default plan");
	return p;
}

static void set(struct plan *p, const char *assignment)
{
	struct diag_list dl;
	diag_list_init(&dl);
	int rc = plan_set(p, assignment, &dl);
	if (rc != PLAN_OK)
		diag_print(&dl, stderr, 0);
	diag_list_release(&dl);
	cr_assert_eq(rc, PLAN_OK, "--set %s", assignment);
}

/* The objective of plan p solved as `solve` solves it. */
static double solve_objective(const struct plan *p)
{
	struct sweep_outcome o;
	struct lp_opts lo = sweep_lp_opts(p);
	cr_assert_eq(sweep_solve(&o, p, &lo), 0);
	cr_assert(o.status == SOL_OPTIMAL, "status %s: %s", sol_status_name(o.status),
		  o.message ? o.message : "");
	double v = o.objective;
	sweep_outcome_release(&o);
	return v;
}

/* ---- the backend's ranges on a small LP ---------------------------------------------- */

/* min 2x + 3y + 10  s.t.  r1: x + y >= 4,  r2: x + 3y >= 6,  r3: x <= 10.
 * Optimum x = 3, y = 1.  With x and y basic: r1's bound can move within [2, 6] (y = (6 -
 * b1)/2 >= 0, x = (3 b1 - 6)/2 >= 0), r2's within [4, 12]; r3 is inactive: its bound can
 * come down to 3.  The vertex stays optimal while (cx, 3) lies between the normals (1, 1)
 * and (1, 3): cx in [1, 3]; likewise cy in [2, 6]. */
Test(ranging, small_lp_known_by_hand)
{
	struct lpm *m = lpm_new("rng");
	int x = lpm_add_col(m, "x", LPM_LO, 0, 0, 2, 0, NOTAG);
	int y = lpm_add_col(m, "y", LPM_LO, 0, 0, 3, 0, NOTAG);
	int r1 = lpm_add_row(m, "r1", LPM_LO, 4, 0, NOTAG);
	int r2 = lpm_add_row(m, "r2", LPM_LO, 6, 0, NOTAG);
	int r3 = lpm_add_row(m, "r3", LPM_UP, 0, 10, NOTAG);
	m->obj_const = 10;
	lpm_add_nz(m, r1, x, 1);
	lpm_add_nz(m, r1, y, 1);
	lpm_add_nz(m, r2, x, 1);
	lpm_add_nz(m, r2, y, 3);
	lpm_add_nz(m, r3, x, 1);
	cr_assert_eq(lpm_finish(m), 0);

	struct lp_opts o = LP_OPTS_INIT;
	struct solution s;
	o.want_ranging = 1;
	cr_assert_eq(lp_solve(&s, m, &o), 0);
	cr_assert_eq(s.status, SOL_OPTIMAL);
	cr_assert(s.has_ranging);
	cr_expect(close_to(s.objective, 19, 1e-12));
	cr_expect(close_to(s.rhs_lo[r1], 2, 1e-9) && close_to(s.rhs_hi[r1], 6, 1e-9), "r1 [%g, %g]",
		  s.rhs_lo[r1], s.rhs_hi[r1]);
	cr_expect(close_to(s.rhs_lo[r2], 4, 1e-9) && close_to(s.rhs_hi[r2], 12, 1e-9),
		  "r2 [%g, %g]", s.rhs_lo[r2], s.rhs_hi[r2]);
	cr_expect(close_to(s.rhs_lo[r3], 3, 1e-9) && isinf(s.rhs_hi[r3]) && s.rhs_hi[r3] > 0,
		  "r3 [%g, %g]", s.rhs_lo[r3], s.rhs_hi[r3]);
	cr_expect(close_to(s.cost_lo[x], 1, 1e-9) && close_to(s.cost_hi[x], 3, 1e-9), "cx [%g, %g]",
		  s.cost_lo[x], s.cost_hi[x]);
	cr_expect(close_to(s.cost_lo[y], 2, 1e-9) && close_to(s.cost_hi[y], 6, 1e-9), "cy [%g, %g]",
		  s.cost_lo[y], s.cost_hi[y]);

	/* inside r1's range the objective moves by its dual: 1.5 per unit */
	lpm_set_row_bounds(m, r1, LPM_LO, 5, 0);
	struct solution s2;
	cr_assert_eq(lp_solve(&s2, m, &o), 0);
	cr_expect(close_to(s2.objective - s.objective, s.y[r1] * 1.0, 1e-9), "%g vs %g",
		  s2.objective - s.objective, s.y[r1]);
	solution_release(&s);
	solution_release(&s2);

	/* a group of columns whose costs move together: x alone is cx in [1, 3], a factor
	 * [0.5, 1.5] on its 2; all costs together can be scaled by any positive factor */
	int gx[] = {0, -1}, gall[] = {0, 0};
	o.cost_group = gx;
	o.ncost_groups = 1;
	lpm_set_row_bounds(m, r1, LPM_LO, 4, 0);
	struct solution s3;
	cr_assert_eq(lp_solve(&s3, m, &o), 0);
	cr_assert_eq(s3.ngroups, 1);
	cr_expect(close_to(s3.group_lo[0], 0.5, 1e-9) && close_to(s3.group_hi[0], 1.5, 1e-9),
		  "x's factor [%g, %g]", s3.group_lo[0], s3.group_hi[0]);
	solution_release(&s3);
	o.cost_group = gall;
	cr_assert_eq(lp_solve(&s3, m, &o), 0);
	cr_expect(close_to(s3.group_lo[0], 0, 1e-9) && isinf(s3.group_hi[0]),
		  "every cost scaled: [%g, %g]", s3.group_lo[0], s3.group_hi[0]);
	solution_release(&s3);
	o.cost_group = NULL;
	o.ncost_groups = 0;

	/* without the option: no ranges */
	o.want_ranging = 0;
	cr_assert_eq(lp_solve(&s, m, &o), 0);
	cr_expect(!s.has_ranging && !s.rhs_lo && !s.cost_lo);
	solution_release(&s);
	lpm_free(m);
}

/* A ranged row of the solved plan by model row name. */
static const struct rng_row *row_named(const struct ranging *r, const struct model *m,
				       const char *name)
{
	for (size_t k = 0; k < r->nrows; k++)
		if (strcmp(m->lp->rows[r->rows[k].row].name, name) == 0)
			return &r->rows[k];
	cr_assert_fail("no ranged row '%s'", name);
	return NULL;
}

/* Solve p with ranges (items as groups); the caller frees m, s and r. */
static void solve_ranged(const struct plan *p, struct model **m, struct solution *s,
			 struct ranging *r)
{
	struct diag_list dl;
	diag_list_init(&dl);
	cr_assert_eq(model_build(m, p, &dl), PLAN_OK);
	diag_list_release(&dl);
	struct lp_opts o = sweep_lp_opts(p);
	o.want_ranging = 1;
	int *groups = ranging_cost_groups(*m, &o.ncost_groups);
	cr_assert_not_null(groups);
	o.cost_group = groups;
	cr_assert_eq(lp_solve(s, (*m)->lp, &o), 0);
	free(groups);
	cr_assert_eq(s->status, SOL_OPTIMAL, "%s", s->message ? s->message : "");
	cr_assert_eq(ranging_build(r, *m, s), 0);
}

/* tiny.yaml (see its header): ammo's shadow price is 3m in each year and holds for any
 * target from the 60 shells bought up (more target is more shortfall); one more EUR of the
 * budget is worth 0.1 (a loan euro not drawn) between 30m and 90m in 2026. */
static void tiny_prices(const char *extra)
{
	struct plan *p = load(PLANS "/tiny.yaml");
	if (extra)
		set(p, extra);
	struct model *m;
	struct solution s;
	struct ranging r;
	solve_ranged(p, &m, &s, &r);

	const struct rng_row *ammo = row_named(&r, m, "cap_ammo_2026");
	cr_expect(close_to(ammo->price, 3e6, 1e-9), "ammo price %.17g", ammo->price);
	cr_expect(close_to(ammo->lo, 60, 1e-9) && isinf(ammo->hi), "ammo [%g, %g]", ammo->lo,
		  ammo->hi);
	const struct rng_row *bud = row_named(&r, m, "fund_budget_2026");
	cr_expect(close_to(bud->price, 0.1, 1e-9), "budget price %.17g", bud->price);
	cr_expect(close_to(bud->lo, 30e6, 1e-9) && close_to(bud->hi, 90e6, 1e-9), "budget [%g, %g]",
		  bud->lo, bud->hi);
	cr_expect(bud->binding && ammo->binding);
	cr_expect(!row_named(&r, m, "fund_loan_2026")->binding, "the loan has money left");

	/* the finite differences of two solves inside the ranges */
	double base = s.objective;
	struct plan *q;
	cr_assert_eq(plan_clone(&q, p), PLAN_OK);
	set(q, "capabilities.ammo.target.2026=81");
	cr_expect(close_to(solve_objective(q) - base, ammo->price * 1, 1e-9));
	plan_free(q);
	cr_assert_eq(plan_clone(&q, p), PLAN_OK);
	set(q, "funding.budget.available.2026=60m");
	cr_expect(close_to(solve_objective(q) - base, -bud->price * 10e6, 1e-9), "%.17g vs %.17g",
		  solve_objective(q) - base, -bud->price * 10e6);
	plan_free(q);

	/* purchases: the ranges bracket the unit cost, and are in EUR per unit */
	cr_assert_gt(r.ncosts, 0);
	for (size_t k = 0; k < r.ncosts; k++) {
		const struct rng_cost *c = &r.costs[k];
		cr_expect(c->bought);
		cr_expect(c->unit_cost_lo <= c->unit_cost * (1 + 1e-12) &&
			  c->unit_cost_hi >= c->unit_cost * (1 - 1e-12));
	}
	ranging_release(&r);
	solution_release(&s);
	model_free(m);
	plan_free(p);
}

Test(ranging, tiny_mip_prices_agree_with_finite_differences)
{
	tiny_prices(NULL);
}

Test(ranging, tiny_lp_prices_agree_with_finite_differences)
{
	tiny_prices("items.gun.integer=false");
}

/* A purchase's objective coefficient moved inside its range keeps every purchase; moved
 * past the end of the range, the plan buys differently.  The unit-cost range is the
 * coefficient's range scaled by unit_cost / coefficient. */
Test(ranging, tiny_cost_range_keeps_the_purchases)
{
	struct plan *p = load(PLANS "/tiny.yaml");
	set(p, "items.gun.integer=false");
	struct model *m;
	struct solution s;
	struct ranging r;
	solve_ranged(p, &m, &s, &r);
	size_t tested = 0;
	for (size_t k = 0; k < r.ncosts; k++) {
		const struct rng_cost *c = &r.costs[k];
		cr_expect(close_to(c->unit_cost_hi / c->unit_cost, c->obj_hi / c->obj, 1e-12));
		if (!isfinite(c->obj_hi) || !(c->obj_hi > c->obj * 1.02))
			continue;
		double keep = c->obj;
		struct solution s2;
		struct lp_opts o = sweep_lp_opts(p);
		for (int past = 0; past < 2; past++) {
			m->lp->cols[c->col].obj = past ? c->obj_hi * 1.02 : c->obj_hi * 0.99;
			cr_assert_eq(lp_solve(&s2, m->lp, &o), 0);
			cr_assert_eq(s2.status, SOL_OPTIMAL);
			int same = 1;
			for (size_t j = 0; j < m->lp->ncols; j++)
				same &= close_to(s2.x[j], s.x[j], 1e-9);
			if (past)
				cr_expect(!same, "'%s' past its range: the plan should change",
					  m->lp->cols[c->col].name);
			else
				cr_expect(same, "'%s' inside its range: the plan should stay",
					  m->lp->cols[c->col].name);
			solution_release(&s2);
		}
		m->lp->cols[c->col].obj = keep;
		tested++;
	}
	cr_expect_gt(tested, 0);
	ranging_release(&r);
	solution_release(&s);
	model_free(m);
	plan_free(p);
}

/* An item's price moved for all its purchases: tiny's shells stay bought up to the price at
 * which a loan-funded shell (1.1 per euro) costs more than the 3m penalty it avoids,
 * 3m / 1.1.  Scaling the item's objective coefficients inside the range keeps the plan;
 * past it, the plan changes. */
Test(ranging, tiny_item_price_range)
{
	struct plan *p = load(PLANS "/tiny.yaml");
	set(p, "items.gun.integer=false");
	struct model *m;
	struct solution s;
	struct ranging r;
	solve_ranged(p, &m, &s, &r);
	const struct rng_item *shell = NULL;
	for (size_t k = 0; k < r.nitems; k++)
		if (r.items[k].item == plan_find_item(p, "shell"))
			shell = &r.items[k];
	cr_assert_not_null(shell);
	cr_expect(close_to(shell->units, 120, 1e-9), "units %g", shell->units);
	cr_expect(close_to(shell->hi, 3e6 / 1.1, 1e-9), "hi %.17g", shell->hi);
	for (int past = 0; past < 2; past++) {
		double f = (past ? 1.01 : 0.99) * shell->hi / shell->unit_cost;
		struct lpm *lp = m->lp;
		double *keep = malloc(lp->ncols * sizeof(*keep));
		for (size_t j = 0; j < lp->ncols; j++) {
			keep[j] = lp->cols[j].obj;
			if (lp->cols[j].tag.kind == MV_BUY && lp->cols[j].tag.a == shell->item)
				lp->cols[j].obj *= f;
		}
		struct solution s2;
		struct lp_opts o = sweep_lp_opts(p);
		cr_assert_eq(lp_solve(&s2, lp, &o), 0);
		int same = 1;
		for (size_t j = 0; j < lp->ncols; j++)
			same &= close_to(s2.x[j], s.x[j], 1e-9);
		cr_expect(same == !past, "factor %g: the plan should %s", f,
			  past ? "change" : "stay");
		for (size_t j = 0; j < lp->ncols; j++)
			lp->cols[j].obj = keep[j];
		free(keep);
		solution_release(&s2);
	}
	ranging_release(&r);
	solution_release(&s);
	model_free(m);
	plan_free(p);
}

/* The default plan (a MIP, ranges of the LP with its lots fixed): a capability row's shadow
 * price against two MIP solves, and the money rows that bind. */
Test(ranging, default_plan_shadow_price_agrees_with_finite_difference)
{
	struct plan *p = load(NULL);
	struct model *m;
	struct solution s;
	struct ranging r;
	solve_ranged(p, &m, &s, &r);
	cr_expect(r.mip);

	/* a binding requirement with room above its bound */
	const struct rng_row *w = NULL;
	for (size_t k = 0; k < r.nrows && !w; k++) {
		const struct rng_row *x = &r.rows[k];
		if (x->kind == MR_CAPABILITY && x->binding && x->hi - x->bound >= 2 &&
		    p->capabilities[x->capability].target.v[x->year - p->start_year] >= 1)
			w = x;
	}
	cr_assert_not_null(w, "no binding requirement with room");
	char a[200];
	const char *id = p->capabilities[w->capability].id;
	double t = p->capabilities[w->capability].target.v[w->year - p->start_year];
	snprintf(a, sizeof(a), "capabilities.%s.target.%d=%.17g", id, w->year, t + 1);
	struct plan *q;
	cr_assert_eq(plan_clone(&q, p), PLAN_OK);
	set(q, a);
	double d = solve_objective(q) - s.objective;
	cr_expect(close_to(d, w->price, 1e-6), "%s: finite difference %.17g, shadow price %.17g", a,
		  d, w->price);
	plan_free(q);

	size_t money = 0;
	for (size_t k = 0; k < r.nrows; k++)
		money += r.rows[k].binding &&
			 (r.rows[k].kind == MR_FUND || r.rows[k].kind == MR_PREFIN ||
			  r.rows[k].kind == MR_ALLOC || r.rows[k].kind == MR_FUND_TOTAL);
	cr_expect_gt(money, 0, "some money binds in the default plan");
	ranging_release(&r);
	solution_release(&s);
	model_free(m);
	plan_free(p);
}

/* ---- applying values ------------------------------------------------------------------ */

Test(sweep, apply_sets_scales_clamps_and_refuses)
{
	struct plan *p = load(PLANS "/tiny.yaml");
	struct diag_list dl;
	diag_list_init(&dl);
	cr_expect_eq(sweep_apply(p, "funding.loan.total", APPLY_SET, 70e6, 0, &dl, "x"), PLAN_OK);
	cr_expect_eq(p->sources[plan_find_source(p, "loan")].total, 70e6);
	cr_expect_eq(sweep_apply(p, "items.*.unit_cost", APPLY_SCALE, 2, 0, &dl, "x"), PLAN_OK);
	cr_expect_eq(p->items[plan_find_item(p, "shell")].unit_cost, 2e6);
	cr_expect_eq(p->items[plan_find_item(p, "gun")].unit_cost, 20e6);
	/* a share above 1: refused (nothing changed), or clamped */
	double d = p->discount_rate;
	cr_expect_eq(sweep_apply(p, "discount_rate", APPLY_SET, -5, 0, &dl, "x"), PLAN_EINVALID);
	cr_expect_eq(p->discount_rate, d);
	cr_expect(diag_has_errors(&dl));
	cr_expect_eq(sweep_apply(p, "items.shell.attrition", APPLY_SET, 7, 1, &dl, "x"), PLAN_OK);
	cr_expect_eq(p->items[plan_find_item(p, "shell")].attrition, 1.0);
	/* an unknown path: a suggestion */
	diag_list_release(&dl);
	diag_list_init(&dl);
	cr_expect_eq(sweep_apply(p, "funding.loan.totl", APPLY_SET, 1, 0, &dl, "x"), PLAN_EINVALID);
	cr_assert_eq(dl.n, 1);
	cr_expect(strstr(dl.v[0].message, "did you mean 'total'") != NULL, "%s", dl.v[0].message);
	diag_list_release(&dl);
	plan_free(p);
}

Test(sweep, axis_values_end_exactly)
{
	struct sweep_axis a = {"x", APPLY_SET, 0, 150e9, 15};
	cr_expect_eq(sweep_axis_value(&a, 0), 0);
	cr_expect_eq(sweep_axis_value(&a, 10), 100e9);
	cr_expect_eq(sweep_axis_value(&a, 15), 150e9);
	struct sweep_axis b = {"x", APPLY_SCALE, 0.7, 1.3, 3};
	cr_expect_eq(sweep_axis_value(&b, 3), 1.3);
	cr_expect(close_to(sweep_axis_value(&b, 1), 0.9, 1e-15));
	struct sweep_axis c = {"x", APPLY_SET, 5, 9, 0};
	cr_expect_eq(sweep_axis_value(&c, 0), 5);
	double v[] = {1, 2, 3, 4};
	cr_expect_eq(sweep_quantile_sorted(v, 4, 0.5), 2.5);
	cr_expect_eq(sweep_quantile_sorted(v, 4, 0), 1);
	cr_expect_eq(sweep_quantile_sorted(v, 4, 1), 4);
	cr_expect(isnan(sweep_quantile_sorted(v, 0, 0.5)));
}

Test(sweep, check_refuses_bad_grids)
{
	struct plan *p = load(PLANS "/tiny.yaml");
	struct diag_list dl;
	struct sweep s;
	struct sweep_opts o = {0};
	diag_list_init(&dl);
	o.naxes = 1;
	o.lp = sweep_lp_opts(p);
	o.axis[0] = (struct sweep_axis){"funding.loan.total", APPLY_SET, -1, 100e6, 2};
	cr_expect_eq(sweep_run(&s, p, &o, &dl), PLAN_EINVALID, "a negative total");
	o.axis[0] = (struct sweep_axis){"items.gun.lead_time", APPLY_SET, 0, 1, 1};
	cr_expect_eq(sweep_run(&s, p, &o, &dl), PLAN_EINVALID, "a whole number");
	o.axis[0] = (struct sweep_axis){"itemz.gun.unit_cost", APPLY_SET, 1, 2, 1};
	cr_expect_eq(sweep_run(&s, p, &o, &dl), PLAN_EINVALID, "an unknown path");
	o.naxes = 2;
	o.axis[0] = (struct sweep_axis){"funding.loan.total", APPLY_SET, 0, 1, 1};
	o.axis[1] = o.axis[0];
	cr_expect_eq(sweep_run(&s, p, &o, &dl), PLAN_EINVALID, "the same parameter twice");
	o.naxes = 1;
	o.nscen = 3;
	struct plan *q = load(PLANS "/tiny.yaml");
	q->uncertainty.nparams = 0;
	cr_expect_eq(sweep_run(&s, q, &o, &dl), PLAN_EINVALID, "-n without uncertainty");
	plan_free(q);
	diag_list_release(&dl);
	plan_free(p);
}

/* Run a one-parameter sweep; the caller releases it. */
static void run_sweep(struct sweep *s, const struct plan *p, const char *path, double from,
		      double to, int steps, int threads)
{
	struct diag_list dl;
	struct sweep_opts o = {0};
	diag_list_init(&dl);
	o.naxes = 1;
	o.axis[0] = (struct sweep_axis){path, APPLY_SET, from, to, steps};
	o.lp = sweep_lp_opts(p);
	o.threads = threads;
	int rc = sweep_run(s, p, &o, &dl);
	if (rc != PLAN_OK)
		diag_print(&dl, stderr, 0);
	diag_list_release(&dl);
	cr_assert_eq(rc, PLAN_OK);
}

/* More money never makes the objective worse; the plan's own total reproduces solve. */
Test(sweep, tiny_money_is_monotone_and_the_base_point_is_solve)
{
	struct plan *p = load(PLANS "/tiny.yaml");
	struct sweep s;
	run_sweep(&s, p, "funding.loan.total", 0, 100e6, 10, 2);
	cr_assert_eq(s.npoints, 11);
	for (size_t i = 0; i < s.npoints; i++) {
		cr_assert_eq(s.points[i].out.status, SOL_OPTIMAL);
		if (i)
			cr_expect_leq(s.points[i].out.objective,
				      s.points[i - 1].out.objective * (1 + 1e-9),
				      "objective rose from %g to %g EUR of loan",
				      s.points[i - 1].value[0], s.points[i].value[0]);
	}
	/* the hand solution at the plan's 100m, exactly as solve gives it */
	cr_expect_eq(s.points[10].out.objective, solve_objective(p));
	cr_expect(close_to(s.points[10].out.objective, 299.2e6, 1e-12));
	cr_expect(s.points[0].out.src_spend[plan_find_source(p, "loan")] == 0);
	sweep_release(&s);
	plan_free(p);
}

static int same_outcome(const struct plan *p, const struct sweep_outcome *a,
			const struct sweep_outcome *b)
{
	if (a->status != b->status || memcmp(&a->objective, &b->objective, sizeof(double)) ||
	    memcmp(&a->total_spend_eur, &b->total_spend_eur, sizeof(double)))
		return 0;
	for (size_t c = 0; c < p->ncapabilities; c++)
		if (memcmp(&a->shortfall[c], &b->shortfall[c], sizeof(double)))
			return 0;
	return 1;
}

Test(sweep, two_way_grid_same_for_any_thread_count)
{
	struct plan *p = load(PLANS "/tiny.yaml");
	struct diag_list dl;
	struct sweep s1, s3;
	struct sweep_opts o = {0};
	diag_list_init(&dl);
	o.naxes = 2;
	o.axis[0] = (struct sweep_axis){"funding.loan.total", APPLY_SET, 0, 100e6, 4};
	o.axis[1] = (struct sweep_axis){"items.shell.unit_cost", APPLY_SCALE, 0.8, 1.2, 2};
	o.lp = sweep_lp_opts(p);
	o.threads = 1;
	cr_assert_eq(sweep_run(&s1, p, &o, &dl), PLAN_OK);
	o.threads = 3;
	cr_assert_eq(sweep_run(&s3, p, &o, &dl), PLAN_OK);
	cr_assert_eq(s1.npoints, 15);
	for (size_t i = 0; i < s1.npoints; i++) {
		cr_expect_eq(s1.points[i].value[0], s3.points[i].value[0]);
		cr_expect_eq(s1.points[i].value[1], s3.points[i].value[1]);
		cr_expect(same_outcome(p, &s1.points[i].out, &s3.points[i].out), "point %zu", i);
	}
	/* axis 0 outer, axis 1 inner */
	cr_expect_eq(s1.points[3].value[0], 25e6);
	cr_expect_eq(s1.points[3].value[1], 0.8);
	/* dearer shells never lower the objective */
	for (size_t i = 0; i < 5; i++)
		cr_expect_leq(s1.points[i * 3].out.objective, s1.points[i * 3 + 2].out.objective);
	sweep_release(&s1);
	sweep_release(&s3);
	diag_list_release(&dl);
	plan_free(p);
}

/* With -n each point is a scenario run through the scenario engine on the same draws: at
 * equal parameter values the points agree exactly (common random numbers). */
Test(sweep, scenarios_on_common_random_numbers)
{
	struct plan *p = load(PLANS "/tiny.yaml");
	struct diag_list dl;
	struct sweep s;
	struct sweep_opts o = {0};
	diag_list_init(&dl);
	o.naxes = 1;
	/* 0 steps in value: three points at the same total */
	o.axis[0] = (struct sweep_axis){"funding.loan.total", APPLY_SET, 60e6, 60e6, 2};
	o.lp = sweep_lp_opts(p);
	o.nscen = 24;
	o.seed = 7;
	o.threads = 2;
	int rc = sweep_run(&s, p, &o, &dl);
	if (rc != PLAN_OK)
		diag_print(&dl, stderr, 0);
	cr_assert_eq(rc, PLAN_OK);
	for (size_t i = 0; i < s.npoints; i++) {
		cr_expect_eq(s.points[i].out.n, 24);
		cr_expect_eq(s.points[i].out.solved, 24);
		cr_expect(same_outcome(p, &s.points[0].out, &s.points[i].out), "point %zu", i);
		cr_expect(s.points[i].out.obj_p5 <= s.points[i].out.obj_p50 &&
			  s.points[i].out.obj_p50 <= s.points[i].out.obj_p95);
	}
	/* dearer shells on average than the nominal plan: the draws did something */
	double nominal;
	{
		struct plan *q;
		cr_assert_eq(plan_clone(&q, p), PLAN_OK);
		set(q, "funding.loan.total=60m");
		nominal = solve_objective(q);
		plan_free(q);
	}
	cr_expect_neq(s.points[0].out.objective, nominal);
	sweep_release(&s);

	/* more money, same draws: every point's mean objective is no higher */
	o.axis[0] = (struct sweep_axis){"funding.loan.total", APPLY_SET, 0, 100e6, 4};
	cr_assert_eq(sweep_run(&s, p, &o, &dl), PLAN_OK);
	for (size_t i = 1; i < s.npoints; i++)
		cr_expect_leq(s.points[i].out.objective,
			      s.points[i - 1].out.objective * (1 + 1e-9));
	sweep_release(&s);
	diag_list_release(&dl);
	plan_free(p);
}

/* ---- tornado --------------------------------------------------------------------------- */

Test(tornado, ends_per_distribution)
{
	struct tornado_opts o = TORNADO_OPTS_INIT;
	double lo, hi;
	double vals[] = {3, 4, 9}, w[] = {0.6, 0.4, 0};
	struct uparam d = {.dist = DIST_DISCRETE, .values = vals, .weights = w, .nvalues = 3};
	tornado_ends(&d, &o, &lo, &hi);
	cr_expect(lo == 3 && hi == 4, "discrete: a value without weight is not an end");
	struct uparam b = {.dist = DIST_BERNOULLI, .a = 0.02};
	tornado_ends(&b, &o, &lo, &hi);
	cr_expect(lo == 0 && hi == 1, "a rare event still shows");
	struct uparam t = {.dist = DIST_TRIANGULAR, .a = 0, .b = 1, .c = 2};
	tornado_ends(&t, &o, &lo, &hi);
	cr_expect(close_to(lo, sqrt(0.05 * 2 * 1), 1e-12) &&
		      close_to(hi, 2 - sqrt(0.05 * 2), 1e-12),
		  "triangular P5/P95 %g %g", lo, hi);
	o.range = TORNADO_BOUNDS;
	tornado_ends(&t, &o, &lo, &hi);
	cr_expect(lo == 0 && hi == 2);
	struct uparam n = {.dist = DIST_NORMAL, .a = 10, .b = 2};
	tornado_ends(&n, &o, &lo, &hi);
	cr_expect(close_to(lo, 10 - 1.6448536269514722 * 2, 1e-9), "normal keeps P5: %g", lo);
	struct uparam u = {.dist = DIST_UNIFORM, .a = 1, .b = 3};
	tornado_ends(&u, &o, &lo, &hi);
	cr_expect(lo == 1 && hi == 3);
	o.range = TORNADO_QUANTILES;
	o.qlo = 0.25;
	o.qhi = 0.75;
	tornado_ends(&u, &o, &lo, &hi);
	cr_expect(close_to(lo, 1.5, 1e-12) && close_to(hi, 2.5, 1e-12));
}

/* Each bar's ends equal a solve of the plan set to that value (what `solve --set` does). */
static void check_bar_ends(const struct plan *p, const struct tornado *t, const char *id)
{
	const struct tornado_bar *b = NULL;
	for (size_t k = 0; k < t->nbars; k++)
		if (strcmp(p->uncertainty.params[t->bars[k].param].id, id) == 0)
			b = &t->bars[k];
	cr_assert_not_null(b, "no bar for '%s'", id);
	const struct uparam *u = &p->uncertainty.params[b->param];
	for (int end = 0; end < 2; end++) {
		double v = end ? b->high : b->low;
		struct param_slot *sl;
		size_t n;
		struct diag_list dl;
		struct plan *q;
		cr_assert_eq(plan_clone(&q, p), PLAN_OK);
		diag_list_init(&dl);
		cr_assert_eq(params_resolve(&sl, &n, q, u->path, &dl, "t", 0, 0), PLAN_OK);
		diag_list_release(&dl);
		cr_assert_eq(n, 1, "'%s' names one number", u->path);
		double x = u->apply == APPLY_SCALE ? *sl[0].value * v : v;
		free(sl);
		char a[300];
		snprintf(a, sizeof(a), "%s=%.17g", u->path, x);
		set(q, a);
		double obj = solve_objective(q);
		const struct sweep_outcome *o = end ? &b->at_high : &b->at_low;
		cr_expect_eq(obj, o->objective, "%s: --set %s gives %.17g, the bar %.17g", id, a,
			     obj, o->objective);
		plan_free(q);
	}
}

static void check_sorted(const struct tornado *t)
{
	for (size_t k = 1; k < t->nbars; k++)
		cr_expect_geq(t->bars[k - 1].swing, t->bars[k].swing, "bars %zu and %zu", k - 1, k);
}

Test(tornado, tiny_bar_ends_are_solves)
{
	struct plan *p = load(PLANS "/tiny.yaml");
	struct tornado t;
	struct diag_list dl;
	struct tornado_opts o = TORNADO_OPTS_INIT;
	diag_list_init(&dl);
	o.lp = sweep_lp_opts(p);
	cr_assert_eq(tornado_run(&t, p, &o, &dl), PLAN_OK);
	cr_assert_eq(t.nbars, 1);
	cr_expect_eq(t.base.objective, solve_objective(p));
	const struct uparam *u = &p->uncertainty.params[0];
	cr_expect(close_to(t.bars[0].low, sample_quantile(u, 0.05), 1e-15));
	cr_expect(close_to(t.bars[0].high, sample_quantile(u, 0.95), 1e-15));
	cr_expect(t.bars[0].at_low.objective < t.base.objective &&
		      t.base.objective < t.bars[0].at_high.objective,
		  "cheaper shells, lower cost");
	cr_expect(close_to(t.bars[0].swing,
			   t.bars[0].at_high.objective - t.bars[0].at_low.objective, 1e-15));
	check_bar_ends(p, &t, "shell_cost");
	tornado_release(&t);
	diag_list_release(&dl);
	plan_free(p);
}

Test(tornado, default_plan_bars_sorted_and_ends_are_solves)
{
	struct plan *p = load(NULL);
	struct tornado t;
	struct diag_list dl;
	struct tornado_opts o = TORNADO_OPTS_INIT;
	diag_list_init(&dl);
	o.lp = sweep_lp_opts(p);
	cr_assert_eq(tornado_run(&t, p, &o, &dl), PLAN_OK);
	cr_assert_eq(t.nbars, p->uncertainty.nparams);
	check_sorted(&t);
	/* the parameters that set one number (the others scale every item) */
	check_bar_ends(p, &t, "us_backing");
	check_bar_ends(p, &t, "raid_rate");
	tornado_release(&t);
	diag_list_release(&dl);
	plan_free(p);
}
