/* test_params.c - parameter paths and plan_set: effect, re-validation, derived figures. */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "params.h"
#include "support.h"

#define FULL FIXTURES "/valid/full.yaml"

static struct loaded full;

static void load_full(void)
{
	full = load_file(FULL);
	cr_assert_eq(full.rc, PLAN_OK, "%s", full.out);
}

static void release_full(void)
{
	loaded_release(&full);
}

TestSuite(params, .init = load_full, .fini = release_full);

/* Resolve a path that must work; returns the slots (caller frees) and their count. */
static struct param_slot *resolve_ok(const char *path, size_t *n)
{
	struct diag_list dl = DIAG_LIST_INIT;
	struct param_slot *s = NULL;
	int rc = params_resolve(&s, n, full.plan, path, &dl, "<test>", 0, 0);
	char *out = diag_text(&dl);

	cr_assert_eq(rc, PLAN_OK, "%s: %s", path, out);
	cr_assert_geq(*n, 1);
	free(out);
	diag_list_release(&dl);
	return s;
}

/* Resolve a path that must fail; returns the message. */
static char *resolve_fails(const char *path)
{
	struct diag_list dl = DIAG_LIST_INIT;
	struct param_slot *s = NULL;
	size_t n = 99;
	int rc = params_resolve(&s, &n, full.plan, path, &dl, "<test>", 3, 4);
	char *msg;

	cr_assert_eq(rc, PLAN_EINVALID, "%s resolved", path);
	cr_assert_null(s);
	cr_assert_eq(n, 0);
	cr_assert_eq(dl.n, 1);
	cr_assert_str_eq(dl.v[0].file, "<test>");
	cr_assert_eq(dl.v[0].line, 3);
	cr_assert_eq(dl.v[0].col, 4);
	msg = strdup(dl.v[0].message);
	diag_list_release(&dl);
	return msg;
}

Test(params, item_number)
{
	struct plan *p = full.plan;
	size_t n;
	int i = plan_find_item(p, "iris_t_slm");
	struct param_slot *s = resolve_ok("items.iris_t_slm.unit_cost", &n);

	cr_assert_eq(n, 1);
	cr_assert_eq(s[0].value, &p->items[i].unit_cost);
	cr_assert_eq(*s[0].value, 158e6);
	cr_assert_gt(s[0].min, 0); /* unit_cost > 0 */
	cr_assert_lt(s[0].min, 1e-300);
	cr_assert_eq(s[0].max, DBL_MAX);
	cr_assert_eq(s[0].integer, 0);
	free(s);
}

Test(params, wildcard_over_ids)
{
	struct plan *p = full.plan;
	size_t n, i;
	struct param_slot *s = resolve_ok("items.*.unit_cost", &n);

	cr_assert_eq(n, p->nitems);
	for (i = 0; i < n; i++)
		cr_assert_eq(s[i].value, &p->items[i].unit_cost);
	free(s);
}

Test(params, year_series)
{
	struct plan *p = full.plan;
	int c = plan_find_capability(p, "gbad_fire_units");
	size_t n, t;
	struct param_slot *s = resolve_ok("capabilities.gbad_fire_units.target.2028", &n);

	cr_assert_eq(n, 1);
	cr_assert_eq(s[0].value, &p->capabilities[c].target.v[2]);
	cr_assert_eq(s[0].min, 0);
	free(s);
	s = resolve_ok("capabilities.gbad_fire_units.target", &n);
	cr_assert_eq(n, (size_t)p->nyears);
	for (t = 0; t < n; t++)
		cr_assert_eq(s[t].value, &p->capabilities[c].target.v[t]);
	free(s);
}

Test(params, nested_records_and_maps)
{
	struct plan *p = full.plan;
	int safe = plan_find_source(p, "safe");
	size_t n;
	struct param_slot *s = resolve_ok("funding.safe.rules.lead_share_max", &n);

	cr_assert_eq(s[0].value, &p->sources[safe].rules.lead_share_max);
	cr_assert_eq(s[0].min, 0);
	cr_assert_eq(s[0].max, 1);
	free(s);
	s = resolve_ok("funding.safe.allocations.pl", &n);
	cr_assert_eq(n, 1);
	cr_assert_float_eq(*s[0].value, 43.73e9, 1);
	free(s);
	s = resolve_ok("forces.reassurance.contributors.fr", &n);
	cr_assert_eq(*s[0].value, 10000);
	free(s);
	s = resolve_ok("assumptions.us_backing", &n);
	cr_assert_eq(s[0].value, &p->assumptions.us_backing);
	free(s);
	s = resolve_ok("assumptions.us_contribution.airlift_t_per_day.2027", &n);
	cr_assert_eq(n, 1);
	cr_assert_eq(*s[0].value, 3000);
	free(s);
	s = resolve_ok("funding.*.available.2026", &n);
	cr_assert_eq(n, p->nsources);
	free(s);
	s = resolve_ok("items.*.provides.gbad_fire_units", &n);
	cr_assert_eq(n, 1); /* items without that entry are skipped */
	free(s);
}

Test(params, unknown_names_get_suggestions)
{
	char *m;

	m = resolve_fails("items.iris_t_slm.unit_cots");
	cr_assert_str_eq(m, "unknown key 'unit_cots' in path 'items.iris_t_slm.unit_cots' (did "
			    "you mean 'unit_cost'?)");
	free(m);
	m = resolve_fails("items.iris_t_sml.unit_cost");
	cr_assert_str_eq(m, "unknown item 'iris_t_sml' in path 'items.iris_t_sml.unit_cost' (did "
			    "you mean 'iris_t_slm'?)");
	free(m);
	m = resolve_fails("itmes.iris_t_slm.unit_cost");
	cr_assert_str_eq(m, "unknown key 'itmes' in path 'itmes.iris_t_slm.unit_cost' (did you "
			    "mean 'items'?)");
	free(m);
	m = resolve_fails("funding.safe.allocations.de");
	cr_assert_str_eq(m, "no entry 'de' in 'allocations' (path 'funding.safe.allocations.de')");
	free(m);
}

Test(params, paths_that_lead_nowhere)
{
	char *m;

	m = resolve_fails("items.iris_t_slm");
	cr_assert_str_eq(m,
			 "path 'items.iris_t_slm' is incomplete: it names a record, not a number");
	free(m);
	m = resolve_fails("items.iris_t_slm.unit_cost.2026");
	cr_assert_str_eq(m, "path 'items.iris_t_slm.unit_cost.2026' goes on past the number "
			    "'unit_cost'");
	free(m);
	m = resolve_fails("capabilities.gbad_fire_units.target.2031");
	cr_assert_str_eq(m, "year 2031 in path 'capabilities.gbad_fire_units.target.2031' is "
			    "outside the horizon 2026-2030");
	free(m);
	m = resolve_fails("items.iris_t_slm.lead_time");
	cr_assert_str_eq(m, "'lead_time' is a whole number, not a real number: it cannot be varied "
			    "(path 'items.iris_t_slm.lead_time')");
	free(m);
	m = resolve_fails("horizon.start");
	cr_assert_str_eq(m, "'horizon' is fixed when the plan is read and has no parameter path "
			    "(path 'horizon.start')");
	free(m);
	m = resolve_fails("items..unit_cost");
	cr_assert_str_eq(m, "path 'items..unit_cost' has an empty part");
	free(m);
	m = resolve_fails("");
	cr_assert_str_eq(m, "empty parameter path");
	free(m);
}

/* plan_set: the value lands, money literals work, and derived figures follow. */
Test(params, set_changes_the_number)
{
	struct plan *p = full.plan;
	struct diag_list dl = DIAG_LIST_INIT;
	int i = plan_find_item(p, "iris_t_slm"), safe = plan_find_source(p, "safe");
	size_t k;

	cr_assert_eq(plan_set(p, "items.iris_t_slm.unit_cost=170m", &dl), PLAN_OK);
	cr_assert_eq(p->items[i].unit_cost, 170e6);
	cr_assert_eq(plan_set(p, " items.*.european_content = 0.5 ", &dl), PLAN_OK);
	for (k = 0; k < p->nitems; k++)
		cr_assert_eq(p->items[k].european_content, 0.5);
	cr_assert_eq(plan_set(p, "capabilities.interceptors.target=100", &dl), PLAN_OK);
	for (k = 0; k < (size_t)p->nyears; k++)
		cr_assert_eq(p->capabilities[plan_find_capability(p, "interceptors")].target.v[k],
			     100);
	cr_assert_eq(plan_set(p, "items.iris_t_slm.lead_time=4", &dl), PLAN_OK);
	cr_assert_eq(p->items[i].lead_time, 4);
	cr_assert_eq(plan_set(p, "funding.safe.carry_over=false", &dl), PLAN_OK);
	cr_assert_eq(p->sources[safe].carry_over, 0);
	cr_assert_eq(plan_set(p, "objective=cost", &dl), PLAN_OK);
	cr_assert_eq(p->objective, OBJECTIVE_COST);
	cr_assert_eq(dl.n, 0);
	diag_list_release(&dl);
}

Test(params, set_recomputes_the_cost_factor)
{
	struct plan *p = full.plan;
	struct diag_list dl = DIAG_LIST_INIT;
	int safe = plan_find_source(p, "safe");

	cr_assert_float_eq(p->sources[safe].cost_factor, 1.048254442107485, 1e-12);
	cr_assert_eq(plan_set(p, "funding.safe.interest_rate=0.02", &dl), PLAN_OK);
	/* at a rate equal to the discount rate a loan is worth its face value */
	cr_assert_float_eq(p->sources[safe].cost_factor, 1.0, 1e-12);
	cr_assert_eq(plan_set(p, "discount_rate=0.05", &dl), PLAN_OK);
	cr_assert_float_eq(p->sources[safe].cost_factor, plan_loan_cost_factor(0.02, 0.05, 1, 3),
			   1e-15);
	cr_assert_lt(p->sources[safe].cost_factor, 1);
	cr_assert_eq(plan_set(p, "funding.safe.maturity_years=20", &dl), PLAN_OK);
	cr_assert_float_eq(p->sources[safe].cost_factor, plan_loan_cost_factor(0.02, 0.05, 1, 20),
			   1e-15);
	cr_assert_eq(dl.n, 0);
	diag_list_release(&dl);
}

/* A refused value is reported on the command line and leaves the plan as it was. */
Test(params, set_revalidates_and_rolls_back)
{
	struct plan *p = full.plan;
	struct diag_list dl = DIAG_LIST_INIT;
	int i = plan_find_item(p, "iris_t_slm"), safe = plan_find_source(p, "safe");
	char *out;

	cr_assert_eq(plan_set(p, "items.iris_t_slm.unit_cost=-4.5", &dl), PLAN_EINVALID);
	cr_assert_eq(p->items[i].unit_cost, 158e6);
	cr_assert_eq(plan_set(p, "funding.safe.grace_years=3", &dl), PLAN_EINVALID);
	cr_assert_eq(p->sources[safe].grace_years, 1);
	cr_assert_eq(plan_set(p, "items.iris_t_slm.european_content=1.5", &dl), PLAN_EINVALID);
	cr_assert_eq(plan_set(p, "items.iris_t_slm.lead_time=2.5", &dl), PLAN_EINVALID);
	cr_assert_eq(plan_set(p, "items.iris_t_slm.unit_cots=1", &dl), PLAN_EINVALID);
	cr_assert_eq(plan_set(p, "objective=costs", &dl), PLAN_EINVALID);
	cr_assert_eq(plan_set(p, "items.iris_t_slm.unit_cost=.nan", &dl), PLAN_EINVALID);
	cr_assert_eq(plan_set(p, "items.iris_t_slm.unit_cost", &dl), PLAN_EINVALID);
	cr_assert_eq(plan_set(p, "horizon.end=2040", &dl), PLAN_EINVALID);
	cr_assert_eq(p->items[i].unit_cost, 158e6);
	out = diag_text(&dl);
	cr_assert_str_eq(
	    out,
	    "<command line>: error: 'items.iris_t_slm.unit_cost' must be > 0 (got -4.5)\n"
	    "<command line>: error: 'grace_years' (3) of 'safe' must be less than "
	    "'maturity_years' (3)\n"
	    "<command line>: error: 'items.iris_t_slm.european_content' must be between 0 and "
	    "1 (got 1.5)\n"
	    "<command line>: error: 'items.iris_t_slm.lead_time' must be a whole number in "
	    "range (got '2.5')\n"
	    "<command line>: error: unknown key 'unit_cots' in path "
	    "'items.iris_t_slm.unit_cots' (did you mean 'unit_cost'?)\n"
	    "<command line>: error: unknown value 'costs' for 'objective' (did you mean "
	    "'cost'?)\n"
	    "<command line>: error: invalid value '.nan' for 'items.iris_t_slm.unit_cost': "
	    "non-finite numbers are not allowed\n"
	    "<command line>: error: expected PATH=VALUE, such as funding.safe.total=120bn (got "
	    "'items.iris_t_slm.unit_cost')\n"
	    "<command line>: error: 'horizon' is fixed when the plan is read and has no "
	    "parameter path (path 'horizon.end')\n"
	    "9 errors\n");
	free(out);
	diag_list_release(&dl);
}

Test(params, set_warns_when_allocations_exceed_the_total)
{
	struct diag_list dl = DIAG_LIST_INIT;
	char *out;

	cr_assert_eq(plan_set(full.plan, "funding.safe.allocations.pl=140bn", &dl), PLAN_OK);
	out = diag_text(&dl);
	cr_assert_str_eq(out, "<command line>: warning: allocations of 'safe' add up to 156.2bn, "
			      "more than its total of 150bn\n");
	free(out);
	diag_list_release(&dl);
}

/* params_each: every path it names resolves to the values it passed, series per year. */
struct each_acc {
	size_t n, series, bad;
	int seen_unit_cost;
};

static void each_check(void *ctx, const char *path, const double *v, size_t n)
{
	struct each_acc *a = ctx;
	struct diag_list dl = DIAG_LIST_INIT;
	struct param_slot *s = NULL;
	size_t ns = 0;

	a->n++;
	a->series += n > 1;
	if (strstr(path, ".unit_cost"))
		a->seen_unit_cost = 1;
	/* params_resolve refuses whole numbers and choices (they cannot be varied): those must
	 * have come through as whole numbers; real numbers must resolve to the same values */
	if (params_resolve(&s, &ns, full.plan, path, &dl, "<test>", 0, 0) != PLAN_OK) {
		a->bad += n != 1 || v[0] != floor(v[0]) || !strstr(dl.v[0].message, "not a real");
	} else {
		a->bad += ns != n;
		for (size_t k = 0; k < ns && k < n; k++)
			a->bad += *s[k].value != v[k];
	}
	free(s);
	diag_list_release(&dl);
}

Test(params, each_names_every_number_once)
{
	struct each_acc a = {0};
	cr_assert_eq(params_each(full.plan, each_check, &a), PLAN_OK);
	cr_assert_gt(a.n, 10);
	cr_assert_gt(a.series, 0, "year series are passed whole");
	cr_assert(a.seen_unit_cost);
	cr_assert_eq(a.bad, 0, "%zu of %zu paths do not resolve to what params_each passed", a.bad,
		     a.n);
}
