/* test_blocks.c - one small plan per model block, solved, against an optimum computed by hand.
 *
 * Conventions in the comments: u_<buyer>_<source>_<year> are units bought, money in EUR,
 * "obj" is the objective in discounted EUR.  Duals are GLPK's: y = d objective / d bound, so a
 * binding <= budget row in a minimisation has y <= 0 and marginal_value = -y >= 0. */
#include <criterion/criterion.h>
#include <math.h>

#include "blocks.h" /* model_airlift_need: white-box check of the formula */
#include "plan_builder.h"
#include "support.h"

#define EPS 1e-6

/* ---- procurement ------------------------------------------------------------------------ */

/* Horizon 2026-2027, discount 10 %.  One item 'gbad' (unit_cost 100, cost_growth 21 %,
 * pooled_discount 20 %), capability 'fire' target 0 in 2026 and 3 in 2027 (penalty 1000).
 * Sources: 'nat' budget (cost factor 1), 'safe' pooled loan (cost factor 0.8), money ample.
 * Prices: nat 100 (2026), 121 (2027); safe 80, 96.8.
 * Objective per unit: nat 100, 121/1.1 = 110; safe 0.8 x 80 = 64, 0.8 x 96.8 / 1.1 = 70.4.
 * Stock bought in 2026 is in service in 2027 (lead time 0, no attrition), so the optimum buys
 * 3 units through safe in 2026: obj = 3 x 64 = 192, spend 240 EUR.  The 2027 requirement's
 * shadow price is the cheapest extra unit: 64; the 2026 row is slack: 0. */
static struct plan *procurement_plan(int integer, double target_2027)
{
	struct plan *p = pb_new(2026, 2027, 0.10);
	int cat = pb_category(p, "ad");
	int c, i, nat, safe;

	pb_buyer(p, "pl", BUYER_MEMBER_STATE);
	c = pb_capability(p, "fire", 0.0, 1000.0);
	p->capabilities[c].target.v[1] = target_2027;
	i = pb_item(p, "gbad", cat, 100.0);
	p->items[i].cost_growth = 0.21;
	p->items[i].pooled_discount = 0.20;
	p->items[i].integer = integer;
	pb_provides(p, i, c, 1.0);
	nat = pb_source(p, "nat", SOURCE_BUDGET, 1.0);
	pb_series(&p->sources[nat].available, 1e6);
	safe = pb_source(p, "safe", SOURCE_LOAN, 0.8);
	pb_series(&p->sources[safe].available, 1e6);
	p->sources[safe].rules.pooled = 1;
	return p;
}

Test(procurement, prices_discounts_and_cost_factor)
{
	struct plan *p = procurement_plan(0, 3.0);
	struct model *m = ts_build(p);
	struct solution s;
	struct results r;

	/* Size: 4 buy + 2 shortfall columns; 4 fund + 2 capability rows; 4 + 3 + 5 nonzeros. */
	cr_expect_eq(m->lp->ncols, 6);
	cr_expect_eq(m->lp->nrows, 6);
	cr_expect_eq(m->lp->nnz, 12);
	cr_expect_float_eq(ts_coef(m->lp, "fund_safe_2027", "buy_gbad_pl_safe_2027"), 96.8, EPS);
	cr_expect_float_eq(m->lp->cols[lpm_find_col(m->lp, "buy_gbad_pl_safe_2027")].obj, 70.4,
			   EPS);
	cr_expect_float_eq(m->lp->cols[lpm_find_col(m->lp, "buy_gbad_pl_nat_2027")].obj, 110.0,
			   EPS);

	ts_solve(&s, m);
	cr_expect_float_eq(s.objective, 192.0, EPS);
	cr_expect_float_eq(ts_x(m, &s, "buy_gbad_pl_safe_2026"), 3.0, EPS);
	cr_expect_float_eq(ts_y(m, &s, "cap_fire_2027"), 64.0, EPS);
	cr_expect_float_eq(ts_y(m, &s, "cap_fire_2026"), 0.0, EPS);

	cr_assert_eq(model_extract(&r, m, &s), 0);
	cr_assert_eq(r.nalloc, 1);
	cr_expect_eq(r.alloc[0].year, 2026);
	cr_expect_eq(r.alloc[0].delivery_year, 2026);
	cr_expect_eq(r.alloc[0].source, 1);
	cr_expect_float_eq(r.alloc[0].units, 3.0, EPS);
	cr_expect_float_eq(r.alloc[0].eur, 240.0, EPS);
	cr_expect_float_eq(r.purchase_eur, 240.0, EPS);
	cr_expect_float_eq(r.total_spend_eur, 240.0, EPS);
	cr_assert_eq(r.nreq, 2);
	cr_expect_float_eq(r.req[1].target, 3.0, EPS);
	cr_expect_float_eq(r.req[1].achieved, 3.0, EPS);
	cr_expect_float_eq(r.req[1].shadow_price, 64.0, EPS);
	cr_expect_float_eq(r.fund[1 * 2 + 0].used_eur, 240.0, EPS); /* safe, 2026 */
	results_release(&r);
	solution_release(&s);
	model_free(m);
	pb_free(p);
}

/* Same plan, whole units, target 2.5 in 2027: 3 units (3 x 64 = 192) beat 2 units and a
 * shortfall of 0.5 (128 + 0.5 x 1000 / 1.1 = 582.7); the LP relaxation would give 160. */
Test(procurement, integer_units)
{
	struct plan *p = procurement_plan(1, 2.5);
	struct model *m = ts_build(p);
	struct solution s;

	/* whole units per lot: the lot column is integer, a buyer's share of it is not */
	cr_expect(m->lp->cols[lpm_find_col(m->lp, "units_gbad_2026")].integer);
	cr_expect(!m->lp->cols[lpm_find_col(m->lp, "buy_gbad_pl_safe_2026")].integer);
	ts_solve(&s, m);
	cr_expect_float_eq(s.objective, 192.0, EPS);
	cr_expect_float_eq(ts_x(m, &s, "buy_gbad_pl_safe_2026"), 3.0, EPS);
	solution_release(&s);
	model_free(m);
	pb_free(p);
}

/* ---- funding ---------------------------------------------------------------------------- */

/* Horizon 2026-2027, no discounting.  Item 'x' (10 EUR, cost_growth 10 %: 11 EUR in 2027)
 * can only be produced in 2027 (capacity 0 in 2026); capability 'c' needs 10 units in 2027
 * (penalty 100).  'safe' loan (cost factor 0.5) makes 60 EUR available in 2026 only, with
 * carry-over; 'nat' budget (cost factor 1) has 1000 EUR a year.
 * The 60 EUR are carried into 2027 and buy 60/11 = 5.4545 units (cost 0.5 x 60 = 30); nat buys
 * the other 50/11 = 4.5454 units (cost 50): obj = 80.
 * One more safe euro in 2026 (or 2027) replaces one nat euro: saves 1 - 0.5 = 0.5, so both
 * safe fund rows have marginal value 0.5; nat's row is slack (0).  Shadow price of the
 * 2027 requirement: one more unit from nat = 11. */
Test(funding, carry_over_and_marginal_value)
{
	struct plan *p = pb_new(2026, 2027, 0.0);
	int cat = pb_category(p, "ad");
	int c, i, nat, safe;
	struct model *m;
	struct solution s;
	struct results r;

	pb_buyer(p, "pl", BUYER_MEMBER_STATE);
	c = pb_capability(p, "c", 0.0, 100.0);
	p->capabilities[c].target.v[1] = 10.0;
	i = pb_item(p, "x", cat, 10.0);
	p->items[i].cost_growth = 0.10;
	p->items[i].capacity.v[0] = 0.0;
	pb_provides(p, i, c, 1.0);
	safe = pb_source(p, "safe", SOURCE_LOAN, 0.5);
	p->sources[safe].available.v[0] = 60.0;
	p->sources[safe].carry_over = 1;
	nat = pb_source(p, "nat", SOURCE_BUDGET, 1.0);
	pb_series(&p->sources[nat].available, 1000.0);

	m = ts_build(p);
	cr_expect(!ts_has_col(m, "buy_x_pl_safe_2026"));
	cr_expect(ts_has_col(m, "carry_safe_2026"));
	cr_expect(!ts_has_row(m, "fund_nat_2026")); /* nothing to pay, no carry-over */
	cr_expect_float_eq(ts_coef(m->lp, "fund_safe_2027", "carry_safe_2026"), -1.0, EPS);
	ts_solve(&s, m);
	cr_expect_float_eq(s.objective, 80.0, EPS);
	cr_expect_float_eq(ts_x(m, &s, "carry_safe_2026"), 60.0, EPS);
	cr_expect_float_eq(ts_x(m, &s, "buy_x_pl_safe_2027"), 60.0 / 11.0, EPS);
	cr_expect_float_eq(ts_x(m, &s, "buy_x_pl_nat_2027"), 50.0 / 11.0, EPS);
	cr_expect_float_eq(ts_y(m, &s, "cap_c_2027"), 11.0, EPS);

	cr_assert_eq(model_extract(&r, m, &s), 0);
	cr_assert_eq(r.nfund, 4);
	/* safe 2026: 60 available, nothing spent, 60 carried out, marginal value 0.5 */
	cr_expect_float_eq(r.fund[0].available_eur, 60.0, EPS);
	cr_expect_float_eq(r.fund[0].used_eur, 0.0, EPS);
	cr_expect_float_eq(r.fund[0].carry_out_eur, 60.0, EPS);
	cr_expect_float_eq(r.fund[0].marginal_value, 0.5, EPS);
	/* safe 2027: 60 carried in and spent */
	cr_expect_float_eq(r.fund[1].carry_in_eur, 60.0, EPS);
	cr_expect_float_eq(r.fund[1].used_eur, 60.0, EPS);
	cr_expect_float_eq(r.fund[1].marginal_value, 0.5, EPS);
	/* nat 2027: 50 spent of 1000 */
	cr_expect_float_eq(r.fund[3].used_eur, 50.0, EPS);
	cr_expect_float_eq(r.fund[3].marginal_value, 0.0, EPS);
	results_release(&r);
	solution_release(&s);
	model_free(m);
	pb_free(p);
}

/* Horizon 2026-2027, no discounting.  Item 'x' (10 EUR) is consumed every year (attrition
 * 1), capability 'c' needs 10 units each year (penalty 100).  'safe' loan (cost factor 0.5):
 * 1000 EUR in 2026 with carry-over, horizon total 110, allocation pl 120, pre-financing 30 %
 * of the allocation = 36 EUR in 2026.  'nat' budget (cost factor 1): 1000 EUR a year.
 * 2026: safe 36 EUR (3.6 units, pre-financing binds), nat 64 EUR (6.4 units);
 * 2027: safe 110 - 36 = 74 EUR (7.4 units, the total binds before the allocation of 120),
 *       nat 26 EUR (2.6 units).
 * obj = 0.5 x 110 + 64 + 26 = 145.  One more euro of total replaces a nat euro in 2027:
 * dual of fundtotal_safe = -0.5.  One more euro of pre-financing only moves safe money from
 * 2027 to 2026 (the total binds): dual 0.  The allocation is slack: dual 0. */
Test(funding, total_allocation_prefinancing)
{
	struct plan *p = pb_new(2026, 2027, 0.0);
	int cat = pb_category(p, "ad");
	int c, i, nat, safe, pl;
	struct model *m;
	struct solution s;

	pl = pb_buyer(p, "pl", BUYER_MEMBER_STATE);
	c = pb_capability(p, "c", 10.0, 100.0);
	i = pb_item(p, "x", cat, 10.0);
	p->items[i].attrition = 1.0;
	pb_provides(p, i, c, 1.0);
	safe = pb_source(p, "safe", SOURCE_LOAN, 0.5);
	p->sources[safe].available.v[0] = 1000.0;
	p->sources[safe].carry_over = 1;
	p->sources[safe].total = 110.0;
	p->sources[safe].rules.prefinancing_max = 0.3;
	pb_allocation(p, safe, pl, 120.0);
	nat = pb_source(p, "nat", SOURCE_BUDGET, 1.0);
	pb_series(&p->sources[nat].available, 1000.0);

	m = ts_build(p);
	cr_expect_eq(ts_count_rows(m->lp, MR_FUND_TOTAL), 1);
	cr_expect_eq(ts_count_rows(m->lp, MR_ALLOC), 1);
	cr_expect_eq(ts_count_rows(m->lp, MR_PREFIN), 1);
	cr_expect_float_eq(m->lp->rows[lpm_find_row(m->lp, "prefin_safe_pl")].ub, 36.0, EPS);
	ts_solve(&s, m);
	cr_expect_float_eq(s.objective, 145.0, EPS);
	cr_expect_float_eq(ts_x(m, &s, "buy_x_pl_safe_2026"), 3.6, EPS);
	cr_expect_float_eq(ts_x(m, &s, "buy_x_pl_safe_2027"), 7.4, EPS);
	cr_expect_float_eq(ts_x(m, &s, "buy_x_pl_nat_2026"), 6.4, EPS);
	cr_expect_float_eq(ts_x(m, &s, "buy_x_pl_nat_2027"), 2.6, EPS);
	cr_expect_float_eq(ts_y(m, &s, "fundtotal_safe"), -0.5, EPS);
	cr_expect_float_eq(ts_y(m, &s, "prefin_safe_pl"), 0.0, EPS);
	cr_expect_float_eq(ts_y(m, &s, "alloc_safe_pl"), 0.0, EPS);
	solution_release(&s);
	model_free(m);
	pb_free(p);
}

/* Disbursement until 2026 in a 2026-2027 horizon: no safe column in 2027; a loan source is
 * closed to a partner that cannot borrow; a source's buyers list closes it to others. */
Test(funding, disbursement_and_who_may_draw)
{
	struct plan *p = pb_new(2026, 2027, 0.0);
	int cat = pb_category(p, "ad");
	int c, i, safe, nat, de;
	struct model *m;

	pb_buyer(p, "pl", BUYER_MEMBER_STATE);
	de = pb_buyer(p, "de", BUYER_MEMBER_STATE);
	pb_buyer(p, "ua", BUYER_PARTNER);
	c = pb_capability(p, "c", 1.0, 100.0);
	i = pb_item(p, "x", cat, 10.0);
	pb_provides(p, i, c, 1.0);
	safe = pb_source(p, "safe", SOURCE_LOAN, 0.5);
	pb_series(&p->sources[safe].available, 100.0);
	p->sources[safe].rules.disbursement_until = 2026;
	nat = pb_source(p, "nat", SOURCE_BUDGET, 1.0);
	pb_series(&p->sources[nat].available, 100.0);
	pb_source_buyer(p, nat, de);

	m = ts_build(p);
	cr_expect(ts_has_col(m, "buy_x_pl_safe_2026"));
	cr_expect(!ts_has_col(m, "buy_x_pl_safe_2027"));
	cr_expect(!ts_has_col(m, "buy_x_ua_safe_2026"));
	cr_expect(!ts_has_col(m, "buy_x_pl_nat_2026"));
	cr_expect(ts_has_col(m, "buy_x_de_nat_2027"));
	cr_expect(!ts_has_row(m, "fund_safe_2027"));
	/* pl, de on safe in 2026; de on nat in both years */
	cr_expect_eq(ts_count_cols(m->lp, MV_BUY), 4);
	model_free(m);
	pb_free(p);
}

/* ---- eligibility ------------------------------------------------------------------------ */

/* Horizon 2026.  Only 'safe' (loan, cost factor 0.5, European content >= 65 %) funds two
 * items that provide capability 'c' (target 10, penalty 1000): 'eu' (10 EUR, 90 % European)
 * and 'us' (6 EUR, 20 % European).  Costs per unit: eu 5, us 3.
 * Content row: (0.9 - 0.65) x 10 e + (0.2 - 0.65) x 6 u = 2.5 e - 2.7 u >= 0; e + u >= 10.
 * Both bind: e = 1.08 u, u = 10 / 2.08 = 4.8077, e = 5.1923, obj = 84 / 2.08 = 40.3846.
 * Duals: 5 = y_c + 2.5 y_e and 3 = y_c - 2.7 y_e give y_e = 2 / 5.2 = 5/13 and
 * y_c = 3 + 2.7 x 5/13 = 105/26 = 4.0385 (the requirement's shadow price). */
Test(eligibility, european_content)
{
	struct plan *p = pb_new(2026, 2026, 0.0);
	int cat = pb_category(p, "ad");
	int c, eu, us, safe;
	struct model *m;
	struct solution s;

	pb_buyer(p, "pl", BUYER_MEMBER_STATE);
	c = pb_capability(p, "c", 10.0, 1000.0);
	eu = pb_item(p, "eu", cat, 10.0);
	p->items[eu].european_content = 0.9;
	pb_provides(p, eu, c, 1.0);
	us = pb_item(p, "us", cat, 6.0);
	p->items[us].european_content = 0.2;
	pb_provides(p, us, c, 1.0);
	safe = pb_source(p, "safe", SOURCE_LOAN, 0.5);
	pb_series(&p->sources[safe].available, 1e6);
	p->sources[safe].rules.european_content_min = 0.65;

	m = ts_build(p);
	cr_expect_float_eq(ts_coef(m->lp, "eucontent_safe_2026", "buy_us_pl_safe_2026"), -2.7, EPS);
	ts_solve(&s, m);
	cr_expect_float_eq(s.objective, 84.0 / 2.08, EPS);
	cr_expect_float_eq(ts_x(m, &s, "buy_us_pl_safe_2026"), 10.0 / 2.08, EPS);
	cr_expect_float_eq(ts_x(m, &s, "buy_eu_pl_safe_2026"), 10.8 / 2.08, EPS);
	cr_expect_float_eq(ts_y(m, &s, "eucontent_safe_2026"), 5.0 / 13.0, EPS);
	cr_expect_float_eq(ts_y(m, &s, "cap_c_2026"), 105.0 / 26.0, EPS);
	solution_release(&s);
	model_free(m);
	pb_free(p);
}

/* Horizon 2026.  Capability 'c' counts only pl's stock (target 10, penalty 1000), so de's
 * purchases would count for nothing and get no column.  Item 'x' 10 EUR, pooled discount
 * 10 %.  'safe' pooled loan (cost factor 0.5, price 9, cost 4.5/unit), lead share 80 %;
 * 'nat' budget (10/unit).  With S, N units through safe and nat, the lead-share row reads
 *   9 S - 0.8 (9 S + 10 N) = 1.8 S - 8 N <= 0,
 * and S + N >= 10.  Both bind: N = 0.225 S, S = 400/49 = 8.1633, N = 90/49 = 1.8367,
 * obj = 4.5 S + 10 N = 2700/49 = 55.102 (10 units through safe alone would cost 45).
 * Duals (S, N basic): 4.5 = y_c + 1.8 y_l and 10 = y_c - 8 y_l give y_l = -5.5/9.8 = -55/98
 * (loosening the lead share by one EUR saves 0.561) and y_c = 270/49 = 5.51 per unit. */
Test(eligibility, lead_share)
{
	struct plan *p = pb_new(2026, 2026, 0.0);
	int cat = pb_category(p, "ad");
	int c, i, safe, nat, pl;
	struct model *m;
	struct solution s;

	pl = pb_buyer(p, "pl", BUYER_MEMBER_STATE);
	pb_buyer(p, "de", BUYER_MEMBER_STATE);
	c = pb_capability(p, "c", 10.0, 1000.0);
	pb_capability_buyer(p, c, pl);
	i = pb_item(p, "x", cat, 10.0);
	p->items[i].pooled_discount = 0.1;
	pb_provides(p, i, c, 1.0);
	safe = pb_source(p, "safe", SOURCE_LOAN, 0.5);
	pb_series(&p->sources[safe].available, 1e6);
	p->sources[safe].rules.pooled = 1;
	p->sources[safe].rules.lead_share_max = 0.8;
	nat = pb_source(p, "nat", SOURCE_BUDGET, 1.0);
	pb_series(&p->sources[nat].available, 1e6);

	m = ts_build(p);
	cr_expect_eq(ts_count_rows(m->lp, MR_LEAD_SHARE), 1);
	cr_expect(!ts_has_col(m, "buy_x_de_safe_2026"));
	cr_expect_float_eq(ts_coef(m->lp, "lead_safe_pl_x_2026", "buy_x_pl_safe_2026"), 1.8, EPS);
	cr_expect_float_eq(ts_coef(m->lp, "lead_safe_pl_x_2026", "buy_x_pl_nat_2026"), -8.0, EPS);
	ts_solve(&s, m);
	cr_expect_float_eq(s.objective, 2700.0 / 49.0, EPS);
	cr_expect_float_eq(ts_x(m, &s, "buy_x_pl_safe_2026"), 400.0 / 49.0, EPS);
	cr_expect_float_eq(ts_x(m, &s, "buy_x_pl_nat_2026"), 90.0 / 49.0, EPS);
	cr_expect_float_eq(ts_y(m, &s, "lead_safe_pl_x_2026"), -55.0 / 98.0, EPS);
	cr_expect_float_eq(ts_y(m, &s, "cap_c_2026"), 270.0 / 49.0, EPS);
	solution_release(&s);
	model_free(m);
	pb_free(p);
}

/* min_countries 2 with lead_share_max off: the effective cap is 1/2, so the own column's
 * coefficient is 9 x (1 - 0.5) = 4.5 and nat's -0.5 x 10 = -5.  Single-buyer purchases are
 * allowed until 2026: lead-share rows only in 2027. */
Test(eligibility, min_countries_and_single_buyer_window)
{
	struct plan *p = pb_new(2026, 2027, 0.0);
	int cat = pb_category(p, "ad");
	int c, i, safe, nat;
	struct model *m;

	pb_buyer(p, "pl", BUYER_MEMBER_STATE);
	c = pb_capability(p, "c", 10.0, 1000.0);
	i = pb_item(p, "x", cat, 10.0);
	p->items[i].pooled_discount = 0.1;
	pb_provides(p, i, c, 1.0);
	safe = pb_source(p, "safe", SOURCE_LOAN, 0.5);
	pb_series(&p->sources[safe].available, 1e6);
	p->sources[safe].rules.pooled = 1;
	p->sources[safe].rules.min_countries = 2;
	p->sources[safe].rules.single_buyer_until = 2026;
	nat = pb_source(p, "nat", SOURCE_BUDGET, 1.0);
	pb_series(&p->sources[nat].available, 1e6);

	m = ts_build(p);
	cr_expect_eq(ts_count_rows(m->lp, MR_LEAD_SHARE), 1);
	cr_expect(!ts_has_row(m, "lead_safe_pl_x_2026"));
	cr_expect_float_eq(ts_coef(m->lp, "lead_safe_pl_x_2027", "buy_x_pl_safe_2027"), 4.5, EPS);
	cr_expect_float_eq(ts_coef(m->lp, "lead_safe_pl_x_2027", "buy_x_pl_nat_2027"), -5.0, EPS);
	model_free(m);
	pb_free(p);
}

/* ---- industrial ------------------------------------------------------------------------- */

/* Horizon 2026-2028, no discounting.  Item 'shell': 1 EUR, lead time 1 year, capacity 5 a
 * year, attrition 50 %, initial stock 8; capability 'ammo' needs 10 in 2028 (penalty 100).
 * Orders are useful only in 2026 and 2027 (a 2028 order arrives after the horizon).
 * Stock: 2026: 8 x 0.5 = 4; 2027: 8 x 0.25 + u26 = 2 + u26;
 *        2028: 8 x 0.125 + 0.5 u26 + u27 = 1 + 0.5 u26 + u27.
 * Both capacities bind (u26 = u27 = 5): stock 8.5, shortfall 1.5: obj = 10 + 150 = 160.
 * Duals: requirement 2028 = 100 (the penalty); capacity 2027 = -(100 - 1) = -99;
 * capacity 2026 = -(0.5 x 100 - 1) = -49. */
Test(industrial, capacity_lead_time_attrition)
{
	struct plan *p = pb_new(2026, 2028, 0.0);
	int cat = pb_category(p, "ammo");
	int c, i, nat;
	struct model *m;
	struct solution s;
	struct results r;

	pb_buyer(p, "pl", BUYER_MEMBER_STATE);
	c = pb_capability(p, "ammo", 0.0, 100.0);
	p->capabilities[c].target.v[2] = 10.0;
	i = pb_item(p, "shell", cat, 1.0);
	p->items[i].lead_time = 1;
	pb_series(&p->items[i].capacity, 5.0);
	p->items[i].attrition = 0.5;
	p->items[i].initial_stock = 8.0;
	pb_provides(p, i, c, 1.0);
	nat = pb_source(p, "nat", SOURCE_BUDGET, 1.0);
	pb_series(&p->sources[nat].available, 1e6);

	m = ts_build(p);
	cr_expect_eq(ts_count_cols(m->lp, MV_BUY), 2);
	cr_expect(!ts_has_col(m, "buy_shell_pl_nat_2028"));
	cr_expect_eq(ts_count_rows(m->lp, MR_CAPACITY), 2);
	cr_expect_float_eq(ts_coef(m->lp, "cap_ammo_2028", "buy_shell_pl_nat_2026"), 0.5, EPS);
	cr_expect_float_eq(m->lp->rows[lpm_find_row(m->lp, "cap_ammo_2028")].lb, 10.0 - 1.0, EPS);
	ts_solve(&s, m);
	cr_expect_float_eq(s.objective, 160.0, EPS);
	cr_expect_float_eq(ts_x(m, &s, "buy_shell_pl_nat_2026"), 5.0, EPS);
	cr_expect_float_eq(ts_x(m, &s, "buy_shell_pl_nat_2027"), 5.0, EPS);
	cr_expect_float_eq(ts_x(m, &s, "short_ammo_2028"), 1.5, EPS);
	cr_expect_float_eq(ts_y(m, &s, "cap_ammo_2028"), 100.0, EPS);
	cr_expect_float_eq(ts_y(m, &s, "capacity_shell_2027"), -99.0, EPS);
	cr_expect_float_eq(ts_y(m, &s, "capacity_shell_2026"), -49.0, EPS);

	cr_assert_eq(model_extract(&r, m, &s), 0);
	cr_expect_float_eq(r.req[0].achieved, 4.0, EPS);
	cr_expect_float_eq(r.req[1].achieved, 7.0, EPS);
	cr_expect_float_eq(r.req[2].achieved, 8.5, EPS);
	cr_expect_float_eq(r.req[2].shortfall, 1.5, EPS);
	cr_expect_float_eq(r.req[2].shadow_price, 100.0, EPS);
	cr_assert_eq(r.nalloc, 2);
	cr_expect_eq(r.alloc[0].delivery_year, 2027);
	results_release(&r);
	solution_release(&s);
	model_free(m);
	pb_free(p);
}

/* ---- capabilities ----------------------------------------------------------------------- */

/* Horizon 2026.  'isr' (target 10, penalty 10) counts only pl's stock; the US provides 4 at
 * full backing, backing 0.5: pl must provide 8.  Item 'sat' (3 EUR, initial stock 5 that
 * belongs to no one in particular and so does not count) -> 8 units, 24 EUR, shadow 3.
 * 'ad' (target 10, penalty 15) counts everyone's stock; item 'sam' (20 EUR, initial stock 4):
 * the 6 missing units cost more than their penalty -> shortfall 6, 90, shadow 15.
 * obj = 24 + 90 = 114. */
Test(capabilities, buyers_us_share_initial_stock_penalty)
{
	struct plan *p = pb_new(2026, 2026, 0.0);
	int cat = pb_category(p, "ad");
	int isr, ad, sat, sam, nat, pl;
	struct model *m;
	struct solution s;
	struct results r;

	pl = pb_buyer(p, "pl", BUYER_MEMBER_STATE);
	pb_buyer(p, "de", BUYER_MEMBER_STATE);
	isr = pb_capability(p, "isr", 10.0, 10.0);
	pb_capability_buyer(p, isr, pl);
	ad = pb_capability(p, "ad", 10.0, 15.0);
	p->assumptions.us_backing = 0.5;
	pb_us(p, isr, 4.0);
	sat = pb_item(p, "sat", cat, 3.0);
	p->items[sat].initial_stock = 5.0;
	pb_provides(p, sat, isr, 1.0);
	sam = pb_item(p, "sam", cat, 20.0);
	p->items[sam].initial_stock = 4.0;
	pb_provides(p, sam, ad, 1.0);
	nat = pb_source(p, "nat", SOURCE_BUDGET, 1.0);
	pb_series(&p->sources[nat].available, 1e6);

	m = ts_build(p);
	cr_expect(!ts_has_col(m, "buy_sat_de_nat_2026"));
	cr_expect(ts_has_col(m, "buy_sam_de_nat_2026"));
	cr_expect_float_eq(m->lp->rows[lpm_find_row(m->lp, "cap_isr_2026")].lb, 8.0, EPS);
	cr_expect_float_eq(m->lp->rows[lpm_find_row(m->lp, "cap_ad_2026")].lb, 6.0, EPS);
	ts_solve(&s, m);
	cr_expect_float_eq(s.objective, 114.0, EPS);
	cr_expect_float_eq(ts_x(m, &s, "buy_sat_pl_nat_2026"), 8.0, EPS);
	cr_expect_float_eq(ts_x(m, &s, "short_ad_2026"), 6.0, EPS);
	cr_expect_float_eq(ts_y(m, &s, "cap_isr_2026"), 3.0, EPS);
	cr_expect_float_eq(ts_y(m, &s, "cap_ad_2026"), 15.0, EPS);

	cr_assert_eq(model_extract(&r, m, &s), 0);
	cr_expect_float_eq(r.req[0].target, 8.0, EPS);
	cr_expect_float_eq(r.req[0].achieved, 8.0, EPS);
	cr_expect_float_eq(r.req[1].target, 10.0, EPS);
	cr_expect_float_eq(r.req[1].achieved, 4.0, EPS);
	cr_expect_float_eq(r.req[1].shortfall, 6.0, EPS);
	cr_expect_float_eq(r.req[1].shadow_price, 15.0, EPS);
	results_release(&r);
	solution_release(&s);
	model_free(m);
	pb_free(p);
}

/* Objective 'capability': money weighs 1e-6.  Item 'x' 10 EUR provides 'c' (target 5,
 * penalty 1); 'nat' has 30 EUR.  Under 'cost' a unit (10) costs more than its penalty (1):
 * shortfall 5, obj 5.  Under 'capability' the 30 EUR buy 3 units: shortfall 2,
 * obj = 2 + 30e-6. */
Test(capabilities, capability_objective)
{
	struct plan *p = pb_new(2026, 2026, 0.0);
	int cat = pb_category(p, "ad");
	int c, i, nat;
	struct model *m;
	struct solution s;

	pb_buyer(p, "pl", BUYER_MEMBER_STATE);
	c = pb_capability(p, "c", 5.0, 1.0);
	i = pb_item(p, "x", cat, 10.0);
	pb_provides(p, i, c, 1.0);
	nat = pb_source(p, "nat", SOURCE_BUDGET, 1.0);
	pb_series(&p->sources[nat].available, 30.0);

	m = ts_build(p);
	ts_solve(&s, m);
	cr_expect_float_eq(s.objective, 5.0, EPS);
	cr_expect_float_eq(ts_x(m, &s, "short_c_2026"), 5.0, EPS);
	solution_release(&s);
	model_free(m);

	p->objective = OBJECTIVE_CAPABILITY;
	m = ts_build(p);
	ts_solve(&s, m);
	cr_expect_float_eq(s.objective, 2.0 + 30e-6, 1e-9);
	cr_expect_float_eq(ts_x(m, &s, "buy_x_pl_nat_2026"), 3.0, EPS);
	solution_release(&s);
	model_free(m);
	pb_free(p);
}

/* ---- forces ----------------------------------------------------------------------------- */

/* Horizon 2026.  Deployment 'mfu': 100 troops, rotation ratio 3, 2 EUR per committed troop
 * paid by 'nat' (1000 EUR), 10 EUR per troop not deployed.  Contributors: fr up to 100 (but
 * fr's own troops_max is 60, so contrib_fr binds), uk up to 120 (troops_max 0 = no extra
 * limit, no row).  A deployed troop costs 3 x 2 = 6 < 10: commit all 180 -> 60 deployed,
 * 40 short.  obj = 360 + 400 = 760.
 * Duals: deploy 10; rotation 10/3; contrib_fr: 2 - 10/3 = -4/3. */
Test(forces, rotation_and_contributor_limits)
{
	struct plan *p = pb_new(2026, 2026, 0.0);
	int fr, uk, nat, d;
	struct model *m;
	struct solution s;
	struct results r;

	fr = pb_buyer(p, "fr", BUYER_MEMBER_STATE);
	pb_series(&p->buyers[fr].troops_max, 60.0);
	uk = pb_buyer(p, "uk", BUYER_GROUP);
	nat = pb_source(p, "nat", SOURCE_BUDGET, 1.0);
	pb_series(&p->sources[nat].available, 1000.0);
	d = pb_deployment(p, "mfu", 100.0, 3.0, 2.0, nat, 10.0);
	pb_contributor(p, d, fr, 100.0);
	pb_contributor(p, d, uk, 120.0);

	m = ts_build(p);
	cr_expect(ts_has_row(m, "contrib_fr_2026"));
	cr_expect(!ts_has_row(m, "contrib_uk_2026"));
	cr_expect_float_eq(ts_coef(m->lp, "rotation_mfu_2026", "deployed_mfu_2026"), -3.0, EPS);
	cr_expect_float_eq(ts_coef(m->lp, "fund_nat_2026", "troops_mfu_uk_2026"), 2.0, EPS);
	ts_solve(&s, m);
	cr_expect_float_eq(s.objective, 760.0, EPS);
	cr_expect_float_eq(ts_x(m, &s, "troops_mfu_fr_2026"), 60.0, EPS);
	cr_expect_float_eq(ts_x(m, &s, "troops_mfu_uk_2026"), 120.0, EPS);
	cr_expect_float_eq(ts_x(m, &s, "deployed_mfu_2026"), 60.0, EPS);
	cr_expect_float_eq(ts_x(m, &s, "depshort_mfu_2026"), 40.0, EPS);
	cr_expect_float_eq(ts_y(m, &s, "deploy_mfu_2026"), 10.0, EPS);
	cr_expect_float_eq(ts_y(m, &s, "rotation_mfu_2026"), 10.0 / 3.0, EPS);
	cr_expect_float_eq(ts_y(m, &s, "contrib_fr_2026"), -4.0 / 3.0, EPS);

	cr_assert_eq(model_extract(&r, m, &s), 0);
	cr_assert_eq(r.nforce, 1);
	cr_expect_float_eq(r.force[0].target, 100.0, EPS);
	cr_expect_float_eq(r.force[0].deployed, 60.0, EPS);
	cr_expect_float_eq(r.force[0].committed, 180.0, EPS);
	cr_expect_float_eq(r.force[0].shortfall, 40.0, EPS);
	cr_expect_float_eq(r.force[0].cost_eur, 360.0, EPS);
	cr_expect_float_eq(r.personnel_eur, 360.0, EPS);
	cr_expect_float_eq(r.fund[0].used_eur, 360.0, EPS);
	cr_expect_float_eq(r.fund[0].marginal_value, 0.0, EPS);
	results_release(&r);
	solution_release(&s);
	model_free(m);
	pb_free(p);
}

/* Same deployment, generous contributors, but 'nat' has only 300 EUR: 150 troops committed,
 * 50 deployed, 50 short: obj = 300 + 500 = 800.  One more euro pays half a troop, a sixth of
 * a deployed troop, saving 10/6 of penalty for 1 EUR: marginal value 10/6 - 1 = 2/3. */
Test(forces, personnel_money_binds)
{
	struct plan *p = pb_new(2026, 2026, 0.0);
	int fr, uk, nat, d;
	struct model *m;
	struct solution s;
	struct results r;

	fr = pb_buyer(p, "fr", BUYER_MEMBER_STATE);
	uk = pb_buyer(p, "uk", BUYER_GROUP);
	nat = pb_source(p, "nat", SOURCE_BUDGET, 1.0);
	pb_series(&p->sources[nat].available, 300.0);
	d = pb_deployment(p, "mfu", 100.0, 3.0, 2.0, nat, 10.0);
	pb_contributor(p, d, fr, 1000.0);
	pb_contributor(p, d, uk, 1000.0);

	m = ts_build(p);
	ts_solve(&s, m);
	cr_expect_float_eq(s.objective, 800.0, EPS);
	cr_expect_float_eq(ts_x(m, &s, "troops_mfu_fr_2026") + ts_x(m, &s, "troops_mfu_uk_2026"),
			   150.0, EPS);
	cr_expect_float_eq(ts_x(m, &s, "deployed_mfu_2026"), 50.0, EPS);
	cr_assert_eq(model_extract(&r, m, &s), 0);
	cr_expect_float_eq(r.fund[0].used_eur, 300.0, EPS);
	cr_expect_float_eq(r.fund[0].marginal_value, 2.0 / 3.0, EPS);
	results_release(&r);
	solution_release(&s);
	model_free(m);
	pb_free(p);
}

/* ---- airlift ---------------------------------------------------------------------------- */

/* Horizon 2026.  'mfu' deploys 1000 troops (rotation 2, no personnel cost, penalty 1e6);
 * sustainment 0.05 t/troop/day, 20 % by air, 0.15 t per person rotated, 6-month tours:
 *   need = 0.05 x 0.2 + (12/6) x 2 x 0.15 x 0.2 / 365 = 0.01 + 0.12/365 t/day per troop,
 * 10 + 120/365 = 10.3288 t/day in all.  'lift' target 0, US 4 t/day at backing 0.5: -2.
 * 'a400m' (100 EUR) provides 5 t/day: (10.3288 - 2) / 5 = 1.66575 aircraft,
 * obj = 20 x 8.3288 = 166.575.  Shadow price of the lift row: 100 / 5 = 20. */
Test(airlift, need_from_deployed_force)
{
	struct plan *p = pb_new(2026, 2026, 0.0);
	int cat = pb_category(p, "lift");
	int fr, nat, lift, a400m, d;
	double need = 10.0 + 120.0 / 365.0;
	struct model *m;
	struct solution s;
	struct results r;

	fr = pb_buyer(p, "fr", BUYER_MEMBER_STATE);
	nat = pb_source(p, "nat", SOURCE_BUDGET, 1.0);
	pb_series(&p->sources[nat].available, 1e6);
	lift = pb_capability(p, "lift", 0.0, 1000.0);
	p->assumptions.us_backing = 0.5;
	pb_us(p, lift, 4.0);
	a400m = pb_item(p, "a400m", cat, 100.0);
	pb_provides(p, a400m, lift, 5.0);
	d = pb_deployment(p, "mfu", 1000.0, 2.0, 0.0, nat, 1e6);
	pb_contributor(p, d, fr, 5000.0);
	p->deployments[d].sustain_t_per_troop_day = 0.05;
	p->deployments[d].air_share = 0.2;
	p->deployments[d].pax_t = 0.15;
	p->deployments[d].tour_months = 6.0;
	p->deployments[d].lift_capability = lift;

	cr_expect_float_eq(1000.0 * model_airlift_need(&p->deployments[d]), need, 1e-12);
	m = ts_build(p);
	cr_expect_float_eq(ts_coef(m->lp, "cap_lift_2026", "deployed_mfu_2026"), -need / 1000.0,
			   1e-12);
	ts_solve(&s, m);
	cr_expect_float_eq(ts_x(m, &s, "deployed_mfu_2026"), 1000.0, EPS);
	cr_expect_float_eq(ts_x(m, &s, "buy_a400m_fr_nat_2026"), (need - 2.0) / 5.0, EPS);
	cr_expect_float_eq(s.objective, 20.0 * (need - 2.0), EPS);
	cr_expect_float_eq(ts_y(m, &s, "cap_lift_2026"), 20.0, EPS);

	cr_assert_eq(model_extract(&r, m, &s), 0);
	cr_expect_float_eq(r.req[0].target, need - 2.0, EPS);
	cr_expect_float_eq(r.req[0].achieved, need - 2.0, EPS);
	cr_expect_float_eq(r.req[0].shortfall, 0.0, EPS);
	results_release(&r);
	solution_release(&s);
	model_free(m);
	pb_free(p);
}

/* ---- air defence ------------------------------------------------------------------------ */

/* Horizon 2026.  3 defended sites, 2 fire units per site, 4 engagements per site and year,
 * 2 interceptors per engagement: derived targets 6 fire units and 24 interceptors.
 * 'fu' has an explicit target of 1 as well: 7.  Launchers cost 10, interceptors 1 (used up
 * within the year): obj = 7 x 10 + 24 x 1 = 94; shadow prices 10 and 1. */
Test(air_defence, derived_targets)
{
	struct plan *p = pb_new(2026, 2026, 0.0);
	int cat = pb_category(p, "ad");
	int fu, in, launcher, missile, nat;
	struct model *m;
	struct solution s;
	struct results r;

	pb_buyer(p, "pl", BUYER_MEMBER_STATE);
	nat = pb_source(p, "nat", SOURCE_BUDGET, 1.0);
	pb_series(&p->sources[nat].available, 1e6);
	fu = pb_capability(p, "fu", 1.0, 1000.0);
	in = pb_capability(p, "int", 0.0, 1000.0);
	launcher = pb_item(p, "launcher", cat, 10.0);
	pb_provides(p, launcher, fu, 1.0);
	missile = pb_item(p, "missile", cat, 1.0);
	p->items[missile].attrition = 1.0;
	pb_provides(p, missile, in, 1.0);
	p->air_defence.enabled = 1;
	pb_series(&p->air_defence.defended_sites, 3.0);
	p->air_defence.fire_units_per_site = 2.0;
	p->air_defence.engagements_per_site_year = 4.0;
	p->air_defence.interceptors_per_engagement = 2.0;
	p->air_defence.fire_unit_capability = fu;
	p->air_defence.interceptor_capability = in;

	m = ts_build(p);
	ts_solve(&s, m);
	cr_expect_float_eq(s.objective, 94.0, EPS);
	cr_expect_float_eq(ts_x(m, &s, "buy_launcher_pl_nat_2026"), 7.0, EPS);
	cr_expect_float_eq(ts_x(m, &s, "buy_missile_pl_nat_2026"), 24.0, EPS);
	cr_expect_float_eq(ts_y(m, &s, "cap_fu_2026"), 10.0, EPS);
	cr_expect_float_eq(ts_y(m, &s, "cap_int_2026"), 1.0, EPS);
	cr_assert_eq(model_extract(&r, m, &s), 0);
	cr_expect_float_eq(r.req[0].target, 7.0, EPS);
	cr_expect_float_eq(r.req[1].target, 24.0, EPS);
	results_release(&r);
	solution_release(&s);
	model_free(m);
	pb_free(p);
}

/* ---- ukraine ---------------------------------------------------------------------------- */

/* Horizon 2026-2027, no discounting.  Capability 'brig' wants 10 brigades a year (penalty
 * 100 per brigade-year); 8 exist.  Kit per new brigade: 3 guns (2 EUR), 2 tanks (5 EUR, half
 * the tanks are lost each year).  Ukraine's own budget 'uab' has 40 EUR in 2026, nothing in
 * 2027; the 'safe' loan is closed to Ukraine (it cannot borrow) and pl's guns would count for
 * nothing (no columns).
 * With g guns and k tanks bought in 2026: b26 <= g/3, b26 <= k/2, b27 <= g/3, b27 <= k/4,
 * 2g + 5k <= 40.  Optimum: b26 = 2 (g = 6, 12 EUR), the other 28 EUR buy k = 5.6 tanks:
 * b27 = 1.4, shortfall 0.6.  obj = 40 + 60 = 100.
 * Duals: requirement 2027 = 100 (shortfall); tank kit row 2027 = 50; budget: 5 EUR buys a
 * tank, worth 0.25 brigade-2027 = 25: 5 + 5 y_f = 25 -> marginal value 4; gun kit row 2026 =
 * 2 + 2 x 4 = 10, so one more brigade in 2026 costs 3 x 10 = 30 (its shadow price). */
Test(ukraine, brigades_from_scarcest_kit_item)
{
	struct plan *p = pb_new(2026, 2027, 0.0);
	int cat = pb_category(p, "land");
	int ua, brig, gun, tank, uab, safe;
	struct model *m;
	struct solution s;
	struct results r;

	pb_buyer(p, "pl", BUYER_MEMBER_STATE);
	ua = pb_buyer(p, "ua", BUYER_PARTNER);
	brig = pb_capability(p, "brig", 10.0, 100.0);
	gun = pb_item(p, "gun", cat, 2.0);
	tank = pb_item(p, "tank", cat, 5.0);
	p->items[tank].attrition = 0.5;
	uab = pb_source(p, "uab", SOURCE_BUDGET, 1.0);
	p->sources[uab].available.v[0] = 40.0;
	pb_source_buyer(p, uab, ua);
	safe = pb_source(p, "safe", SOURCE_LOAN, 0.1);
	pb_series(&p->sources[safe].available, 1e6);
	pb_ukraine(p, ua, brig, 8.0);
	pb_kit(p, gun, 3.0);
	pb_kit(p, tank, 2.0);

	m = ts_build(p);
	cr_expect_eq(ts_count_cols(m->lp, MV_BUY), 4); /* gun, tank x 2026, 2027 from uab */
	cr_expect(!ts_has_col(m, "buy_gun_pl_safe_2026"));
	cr_expect(!ts_has_col(m, "buy_gun_ua_safe_2026"));
	cr_expect_eq(ts_count_rows(m->lp, MR_KIT), 4);
	cr_expect_float_eq(ts_coef(m->lp, "kit_tank_2027", "buy_tank_ua_uab_2026"), -0.5, EPS);
	cr_expect_float_eq(ts_coef(m->lp, "kit_tank_2027", "brigades_2027"), 2.0, EPS);
	cr_expect_float_eq(m->lp->rows[lpm_find_row(m->lp, "cap_brig_2026")].lb, 2.0, EPS);
	ts_solve(&s, m);
	cr_expect_float_eq(s.objective, 100.0, EPS);
	cr_expect_float_eq(ts_x(m, &s, "brigades_2026"), 2.0, EPS);
	cr_expect_float_eq(ts_x(m, &s, "brigades_2027"), 1.4, EPS);
	cr_expect_float_eq(ts_x(m, &s, "buy_gun_ua_uab_2026"), 6.0, EPS);
	cr_expect_float_eq(ts_x(m, &s, "buy_tank_ua_uab_2026"), 5.6, EPS);
	cr_expect_float_eq(ts_y(m, &s, "cap_brig_2027"), 100.0, EPS);
	cr_expect_float_eq(ts_y(m, &s, "cap_brig_2026"), 30.0, EPS);

	cr_assert_eq(model_extract(&r, m, &s), 0);
	cr_assert_not_null(r.ukraine_brigades);
	cr_expect_float_eq(r.ukraine_brigades[0], 10.0, EPS);
	cr_expect_float_eq(r.ukraine_brigades[1], 9.4, EPS);
	cr_expect_float_eq(r.fund[0].marginal_value, 4.0, EPS); /* uab 2026 */
	cr_expect_float_eq(r.req[1].achieved, 9.4, EPS);
	cr_expect_float_eq(r.req[1].shortfall, 0.6, EPS);
	results_release(&r);
	solution_release(&s);
	model_free(m);
	pb_free(p);
}
