/* test_model.c - model_build as a whole (registry, checks, names), the independent re-check,
 * and a plan that uses every block, solved and written as MPS / LP text for glpsol. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plan_builder.h"
#include "support.h"

Test(model, registry_lists_every_block_once)
{
	static const char *const want[] = {"procurement", "industrial",	  "funding",
					   "eligibility", "capabilities", "forces",
					   "airlift",	  "air_defence",  "ukraine"};
	size_t k;

	cr_assert_eq(model_nblocks, sizeof(want) / sizeof(want[0]));
	for (k = 0; k < model_nblocks; k++) {
		cr_expect_str_eq(model_blocks[k]->name, want[k]);
		cr_expect_not_null(model_blocks[k]->description);
		cr_expect_not_null(model_blocks[k]->build);
	}
}

Test(model, status_names)
{
	cr_expect_str_eq(sol_status_name(SOL_OPTIMAL), "optimal");
	cr_expect_str_eq(sol_status_name(SOL_FEASIBLE), "feasible");
	cr_expect_str_eq(sol_status_name(SOL_INFEASIBLE), "infeasible");
	cr_expect_str_eq(sol_status_name(SOL_UNBOUNDED), "unbounded");
	cr_expect_str_eq(sol_status_name(SOL_TIME_LIMIT), "time_limit");
	cr_expect_str_eq(sol_status_name(SOL_NUMERICAL), "numerical");
	cr_expect_str_eq(sol_status_name(SOL_FAILED), "failed");
}

/* A block's check reports every problem with its key path, and model_build refuses. */
Test(model, checks_reject_bad_plans)
{
	struct plan *p = pb_new(2026, 2026, 0.0);
	struct diag_list dl = DIAG_LIST_INIT;
	struct model *m = (struct model *)1;
	int fr, nat, d, i, cat;
	size_t k;
	int seen_rotation = 0, seen_attrition = 0;

	diag_list_init(&dl);
	cat = pb_category(p, "ad");
	fr = pb_buyer(p, "fr", BUYER_MEMBER_STATE);
	nat = pb_source(p, "nat", SOURCE_BUDGET, 1.0);
	d = pb_deployment(p, "mfu", 100.0, 0.5, 1.0, nat, 1.0);
	pb_contributor(p, d, fr, 10.0);
	i = pb_item(p, "x", cat, 1.0);
	p->items[i].attrition = 1.5;

	cr_expect_eq(model_build(&m, p, &dl), PLAN_EINVALID);
	cr_expect_null(m);
	cr_expect_eq(dl.nerrors, 2);
	for (k = 0; k < dl.n; k++) {
		if (dl.v[k].path && strcmp(dl.v[k].path, "forces.mfu.rotation_ratio") == 0) {
			seen_rotation = 1;
			cr_expect_str_eq(dl.v[k].message,
					 "'rotation_ratio' must be >= 1 (got 0.5)");
		}
		if (dl.v[k].path && strcmp(dl.v[k].path, "items.x.attrition") == 0)
			seen_attrition = 1;
	}
	cr_expect(seen_rotation && seen_attrition);
	diag_list_release(&dl);
	pb_free(p);
}

/* ---- re-check --------------------------------------------------------------------------- */

/* Budget 14 m EUR in 2026; 'gun' is bought in whole units at 1 m EUR, 'ammo' by the euro.
 * Capability targets are 0, so only the fund row and the bounds can be broken. */
static struct plan *recheck_plan(void)
{
	struct plan *p = pb_new(2026, 2026, 0.0);
	int cat = pb_category(p, "ad");
	int c, gun, ammo, nat;

	pb_buyer(p, "pl", BUYER_MEMBER_STATE);
	c = pb_capability(p, "c", 0.0, 1.0);
	gun = pb_item(p, "gun", cat, 1e6);
	p->items[gun].integer = 1;
	pb_provides(p, gun, c, 1.0);
	ammo = pb_item(p, "ammo", cat, 1.0);
	pb_provides(p, ammo, c, 1e-6);
	nat = pb_source(p, "nat", SOURCE_BUDGET, 1.0);
	pb_series(&p->sources[nat].available, 14e6);
	return p;
}

/* A MIP answer that GLPK's integer tolerance could let through: 14 guns and 2800 EUR of
 * ammunition against a 14 m budget, 2e-4 over in relative terms (2800 / 14002800, the row's
 * terms being the scale).  With tolerance 1e-6 the re-check flags the fund row and says by
 * how much. */
Test(recheck, flags_budget_row_broken_by_2e_4)
{
	struct plan *p = recheck_plan();
	struct model *m = ts_build(p);
	struct solution s = {0};
	int n;

	s.x = calloc(m->lp->ncols, sizeof(double));
	s.x[lpm_find_col(m->lp, "buy_gun_pl_nat_2026")] = 14.0;
	s.x[lpm_find_col(m->lp, "units_gun_2026")] = 14.0; /* the whole-unit lot */
	s.x[lpm_find_col(m->lp, "buy_ammo_pl_nat_2026")] = 2800.0;
	n = model_recheck(m->lp, &s, 1e-6);
	cr_expect_eq(n, 1);
	cr_expect_float_eq(s.max_violation, 2800.0 / 14002800.0, 1e-12); /* ~2e-4 */
	cr_assert_not_null(s.violation);
	cr_expect_str_eq(s.violation, "row 'fund_nat_2026' activity 14002800 > upper 14000000");
	cr_expect_float_eq(ts_act(m, &s, "fund_nat_2026"), 14002800.0, 1e-6);

	/* 1e-7 relative is within tolerance: nothing reported, the size still measured. */
	s.x[lpm_find_col(m->lp, "buy_ammo_pl_nat_2026")] = 1.4;
	n = model_recheck(m->lp, &s, 1e-6);
	cr_expect_eq(n, 0);
	cr_expect_null(s.violation);
	cr_expect_float_eq(s.max_violation, 1.4 / 14000001.4, 1e-12);
	solution_release(&s);
	model_free(m);
	pb_free(p);
}

/* A row with bound 0 whose terms are large and cancel (carry-in against purchases) is not
 * failed for rounding noise, but is for a real excess. */
Test(recheck, scale_of_cancelling_rows)
{
	struct lpm *lp = lpm_new("cancel");
	static const struct lpm_tag tag = {0, -1, -1, -1, -1};
	struct solution s = {0};
	int a, b, r;

	a = lpm_add_col(lp, "buy", LPM_LO, 0, 0, 0, 0, tag);
	b = lpm_add_col(lp, "carry_in", LPM_LO, 0, 0, 0, 0, tag);
	r = lpm_add_row(lp, "fund", LPM_UP, 0, 0, tag);
	lpm_add_nz(lp, r, a, 1.0);
	lpm_add_nz(lp, r, b, -1.0);
	cr_assert_eq(lpm_finish(lp), 0);
	s.x = calloc(2, sizeof(double));
	s.x[a] = 4.698e10 + 7.6e-6;
	s.x[b] = 4.698e10;
	cr_expect_eq(model_recheck(lp, &s, 1e-6), 0);
	s.x[a] = 4.698e10 * (1 + 2e-4);
	cr_expect_eq(model_recheck(lp, &s, 1e-6), 1);
	solution_release(&s);
	lpm_free(lp);
}

Test(recheck, flags_fractional_integer_and_bounds)
{
	struct plan *p = recheck_plan();
	struct model *m = ts_build(p);
	struct solution s = {0};

	s.x = calloc(m->lp->ncols, sizeof(double));
	/* whole units are counted per lot (item and year): the lot column is the integer one */
	s.x[lpm_find_col(m->lp, "buy_gun_pl_nat_2026")] = 13.5;
	s.x[lpm_find_col(m->lp, "units_gun_2026")] = 13.5;
	cr_expect_eq(model_recheck(m->lp, &s, 1e-6), 1);
	cr_expect_str_eq(s.violation, "column 'units_gun_2026' value 13.5 is not integer");

	s.x[lpm_find_col(m->lp, "buy_gun_pl_nat_2026")] = 13.0000001; /* within 1e-6 */
	s.x[lpm_find_col(m->lp, "units_gun_2026")] = 13.0000001;
	s.x[lpm_find_col(m->lp, "buy_ammo_pl_nat_2026")] = -3.0;
	cr_expect_eq(model_recheck(m->lp, &s, 1e-6), 1);
	cr_expect_str_eq(s.violation, "column 'buy_ammo_pl_nat_2026' value -3 < lower 0");

	s.x[lpm_find_col(m->lp, "buy_ammo_pl_nat_2026")] = NAN;
	cr_expect_geq(model_recheck(m->lp, &s, 1e-6), 1);
	cr_expect(isinf(s.max_violation));
	solution_release(&s);
	model_free(m);
	pb_free(p);
}

/* ---- every block together --------------------------------------------------------------- */

/* A three-year plan using every block: SAFE-like pooled loans with all rules, national
 * budgets, a Ukrainian budget, integer fire units with lead time and capacity, consumable
 * interceptors below the European-content minimum, airlift for a rotated force, defended
 * sites and Ukrainian brigades. */
static struct plan *full_plan(void)
{
	struct plan *p = pb_new(2026, 2028, 0.03);
	int ad = pb_category(p, "air_defence"), land = pb_category(p, "land");
	int lift_cat = pb_category(p, "enablers");
	int pl, de, fr, ua, safe, nat, uab;
	int fu, in, lift, brig;
	int iris, missile, a400m, gun, tank, d;

	pl = pb_buyer(p, "pl", BUYER_MEMBER_STATE);
	de = pb_buyer(p, "de", BUYER_MEMBER_STATE);
	fr = pb_buyer(p, "fr", BUYER_MEMBER_STATE);
	ua = pb_buyer(p, "ua", BUYER_PARTNER);
	pb_series(&p->buyers[fr].troops_max, 100.0);

	safe = pb_source(p, "safe", SOURCE_LOAN, 0.7);
	p->sources[safe].available.v[0] = 600.0;
	p->sources[safe].carry_over = 1;
	p->sources[safe].total = 500.0;
	pb_allocation(p, safe, pl, 300.0);
	pb_allocation(p, safe, de, 250.0);
	pb_source_category(p, safe, ad);
	pb_source_category(p, safe, land);
	p->sources[safe].rules.pooled = 1;
	p->sources[safe].rules.min_countries = 2;
	p->sources[safe].rules.lead_share_max = 0.85;
	p->sources[safe].rules.european_content_min = 0.65;
	p->sources[safe].rules.single_buyer_until = 2026;
	p->sources[safe].rules.prefinancing_max = 0.15;
	p->sources[safe].rules.disbursement_until = 2027;
	nat = pb_source(p, "nat", SOURCE_BUDGET, 1.0);
	pb_series(&p->sources[nat].available, 150.0);
	pb_source_buyer(p, nat, pl);
	pb_source_buyer(p, nat, de);
	pb_source_buyer(p, nat, fr);
	uab = pb_source(p, "uab", SOURCE_GRANT, 1.0);
	pb_series(&p->sources[uab].available, 60.0);
	pb_source_buyer(p, uab, ua);

	fu = pb_capability(p, "gbad_fire_units", 1.0, 400.0);
	in = pb_capability(p, "interceptors", 10.0, 8.0);
	lift = pb_capability(p, "airlift_t_per_day", 0.0, 60.0);
	brig = pb_capability(p, "ukraine_brigades", 30.0, 300.0);
	p->assumptions.us_backing = 0.5;
	pb_us(p, lift, 2.0);

	iris = pb_item(p, "iris_t_slm", ad, 158.0);
	p->items[iris].integer = 1;
	p->items[iris].lead_time = 1;
	p->items[iris].cost_growth = 0.02;
	p->items[iris].pooled_discount = 0.05;
	p->items[iris].european_content = 0.95;
	pb_series(&p->items[iris].capacity, 2.0);
	pb_provides(p, iris, fu, 1.0);
	missile = pb_item(p, "missile", ad, 1.0);
	p->items[missile].attrition = 1.0;
	p->items[missile].european_content = 0.4;
	pb_provides(p, missile, in, 1.0);
	a400m = pb_item(p, "a400m", lift_cat, 150.0);
	pb_provides(p, a400m, lift, 30.0);
	gun = pb_item(p, "gun", land, 4.0);
	tank = pb_item(p, "tank", land, 9.0);
	p->items[tank].attrition = 0.2;

	d = pb_deployment(p, "reassurance", 60.0, 3.0, 0.1, nat, 5.0);
	pb_contributor(p, d, fr, 120.0);
	pb_contributor(p, d, de, 90.0);
	p->deployments[d].sustain_t_per_troop_day = 0.05;
	p->deployments[d].air_share = 0.2;
	p->deployments[d].pax_t = 0.15;
	p->deployments[d].lift_capability = lift;
	p->deployments[d].troops.v[0] = 0.0;

	p->air_defence.enabled = 1;
	pb_series(&p->air_defence.defended_sites, 2.0);
	p->air_defence.defended_sites.v[2] = 3.0;
	p->air_defence.fire_units_per_site = 1.0;
	p->air_defence.engagements_per_site_year = 3.0;
	p->air_defence.interceptors_per_engagement = 2.0;
	p->air_defence.fire_unit_capability = fu;
	p->air_defence.interceptor_capability = in;

	pb_ukraine(p, ua, brig, 28.0);
	pb_kit(p, gun, 3.0);
	pb_kit(p, tank, 2.0);
	(void)pl;
	return p;
}

/* Names unique and MPS-safe; every row and column kind present. */
Test(full, structure)
{
	struct plan *p = full_plan();
	struct model *m = ts_build(p);
	const struct lpm *lp = m->lp;
	size_t i, j;
	int kind;

	for (j = 0; j < lp->ncols; j++) {
		cr_assert(strlen(lp->cols[j].name) <= LPM_NAME_MAX);
		cr_assert(strpbrk(lp->cols[j].name, " \t~") == NULL, "%s", lp->cols[j].name);
		for (i = j + 1; i < lp->ncols; i++)
			cr_assert_str_neq(lp->cols[i].name, lp->cols[j].name);
	}
	for (i = 0; i < lp->nrows; i++) {
		cr_assert(strpbrk(lp->rows[i].name, " \t~") == NULL, "%s", lp->rows[i].name);
		for (j = i + 1; j < lp->nrows; j++)
			cr_assert_str_neq(lp->rows[i].name, lp->rows[j].name);
	}
	for (kind = MV_BUY; kind < MV__COUNT; kind++)
		cr_expect_gt(ts_count_cols(lp, kind), 0, "no column of kind %d", kind);
	for (kind = MR_FUND; kind < MR__END; kind++)
		cr_expect_gt(ts_count_rows(lp, kind), 0, "no row of kind %d", kind);
	/* SAFE: no column after its 2027 disbursement deadline; no lead-share row in 2026. */
	cr_expect(!ts_has_col(m, "buy_missile_pl_safe_2028"));
	cr_expect(!ts_has_row(m, "lead_safe_pl_missile_2026"));
	cr_expect(ts_has_row(m, "lead_safe_pl_missile_2027"));
	/* lead_share_max 0.85 already forces min_countries 2: the cap stays 0.85 */
	cr_expect_float_eq(ts_coef(m->lp, "lead_safe_pl_missile_2027", "buy_missile_pl_safe_2027"),
			   0.15, 1e-12);
	/* Ukraine cannot borrow; a400m is not a SAFE category. */
	cr_expect(!ts_has_col(m, "buy_gun_ua_safe_2026"));
	cr_expect(!ts_has_col(m, "buy_a400m_pl_safe_2026"));
	model_free(m);
	pb_free(p);
}

/* Solved by lp_solve, re-checked, extracted; written as MPS and LP, glpsol reaches the same
 * objective. */
Test(full, solve_extract_and_round_trip)
{
	struct plan *p = full_plan();
	struct model *m = ts_build(p);
	struct solution s;
	struct results r;
	double mps, lpt;
	size_t k;

	ts_solve(&s, m);
	cr_expect_eq(model_recheck(m->lp, &s, 1e-9), 0, "%s", s.violation ? s.violation : "");
	cr_assert_eq(model_extract(&r, m, &s), 0);
	cr_expect_eq(r.nreq, 4 * 3);
	cr_expect_eq(r.nfund, 3 * 3);
	cr_expect_eq(r.nforce, 3);
	cr_expect_gt(r.nalloc, 0);
	for (k = 0; k < r.nreq; k++) {
		cr_expect_geq(r.req[k].shadow_price, -1e-9);
		cr_expect(r.req[k].achieved + r.req[k].shortfall >= r.req[k].target - 1e-6);
	}
	for (k = 0; k < r.nfund; k++) {
		cr_expect_geq(r.fund[k].marginal_value, -1e-9);
		cr_expect_leq(r.fund[k].used_eur,
			      r.fund[k].available_eur + r.fund[k].carry_in_eur + 1e-6);
	}
	cr_expect_float_eq(r.total_spend_eur, r.purchase_eur + r.personnel_eur, 1e-9);

	mps = ts_glpsol(m->lp, 0, NULL);
	lpt = ts_glpsol(m->lp, 1, NULL);
	cr_expect_float_eq(mps, s.objective, 1e-6 * fmax(1.0, fabs(s.objective)));
	cr_expect_float_eq(lpt, s.objective, 1e-6 * fmax(1.0, fabs(s.objective)));
	results_release(&r);
	solution_release(&s);
	model_free(m);
	pb_free(p);
}

/* The same model text each time: building twice gives byte-identical MPS. */
Test(full, deterministic_text)
{
	struct plan *p = full_plan();
	struct model *a = ts_build(p), *b = ts_build(p);
	char *ta = NULL, *tb = NULL;
	size_t la = 0, lb = 0;
	FILE *fa = open_memstream(&ta, &la), *fb = open_memstream(&tb, &lb);

	cr_assert_eq(lpm_write_mps(a->lp, fa), 0);
	cr_assert_eq(lpm_write_mps(b->lp, fb), 0);
	fclose(fa);
	fclose(fb);
	cr_assert_eq(la, lb);
	cr_expect(memcmp(ta, tb, la) == 0);
	free(ta);
	free(tb);
	model_free(a);
	model_free(b);
	pb_free(p);
}
