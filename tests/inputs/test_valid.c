/* test_valid.c - valid plans load and their figures read back. */
/* The every-feature fixture (includes, series, schedules, aliases, uncertainty with
 * correlations), defaults, clones, the loan cost factor, the fingerprint, warnings, and
 * every plan shipped in inputs/plans. */
#include <criterion/criterion.h>
#include <glob.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "params.h"
#include "sha256.h"
#include "support.h"

#define VALID FIXTURES "/valid"
#define EPS   1e-9

static void series_eq(const struct yseries *ys, const double *want, int n, const char *what)
{
	int t;

	for (t = 0; t < n; t++)
		cr_assert_float_eq(ys->v[t], want[t], EPS * fmax(1, fabs(want[t])),
				   "%s[%d] = %.17g, expected %.17g", what, t, ys->v[t], want[t]);
}

static int idx(const struct plan *p, int (*find)(const struct plan *, const char *), const char *id)
{
	int i = find(p, id);

	cr_assert_geq(i, 0, "'%s' not found", id);
	return i;
}

/* Every figure of fixtures/valid/full.yaml (and its includes), as written or derived. */
static void check_full(const struct plan *p)
{
	const struct funding_source *safe, *national, *aid;
	const struct item *iris, *interceptor, *caesar, *cv90, *a400m;
	const struct deployment *d;
	const struct uncertainty *u = &p->uncertainty;
	int pl, fr, no, ua, nordics, ad, land, gbad, icpt, lift, brig;

	cr_assert_eq(p->schema, 1);
	cr_assert_str_eq(p->name, "full-test");
	cr_assert_str_eq(p->description, "every feature of the plan format");
	cr_assert_str_eq(p->currency, "EUR");
	cr_assert_str_eq(p->data_date, "2026-03-01");
	cr_assert_eq(p->start_year, 2026);
	cr_assert_eq(p->end_year, 2030);
	cr_assert_eq(p->nyears, 5);
	cr_assert_eq(p->discount_rate, 0.02);
	cr_assert_eq(p->objective, OBJECTIVE_CAPABILITY);
	cr_assert_eq(p->solver.mip_gap, 1e-3);
	cr_assert_eq(p->solver.time_limit_s, 60);

	cr_assert_eq(p->ncategories, 3);
	ad = idx(p, plan_find_category, "air_defence");
	land = idx(p, plan_find_category, "land");
	cr_assert_str_eq(p->categories[ad].name, "Air and missile defence");
	cr_assert_eq(p->categories[ad].safe_category, 2);
	cr_assert_str_eq(p->categories[ad].source, "Reg. (EU) 2025/1106");
	cr_assert_eq(p->categories[land].safe_category, 1);
	cr_assert_str_eq(p->categories[idx(p, plan_find_category, "enablers")].name, "enablers");

	cr_assert_eq(p->nbuyers, 5);
	pl = idx(p, plan_find_buyer, "pl");
	fr = idx(p, plan_find_buyer, "fr");
	no = idx(p, plan_find_buyer, "no");
	ua = idx(p, plan_find_buyer, "ua");
	nordics = idx(p, plan_find_buyer, "nordics");
	cr_assert_eq(p->buyers[pl].kind, BUYER_MEMBER_STATE);
	cr_assert_eq(p->buyers[fr].kind, BUYER_MEMBER_STATE);
	cr_assert_eq(p->buyers[no].kind, BUYER_EEA);
	cr_assert_eq(p->buyers[ua].kind, BUYER_PARTNER);
	cr_assert_eq(p->buyers[nordics].kind, BUYER_GROUP);
	cr_assert_eq(p->buyers[ua].can_borrow, 0);
	cr_assert_eq(p->buyers[pl].can_borrow, 1);
	series_eq(&p->buyers[pl].troops_max, (double[]){5000, 5000, 8000, 8000, 8000}, 5,
		  "pl troops_max"); /* held forward */
	series_eq(&p->buyers[fr].troops_max, (double[]){1e4, 1e4, 1e4, 1e4, 1e4}, 5, "fr");
	series_eq(&p->buyers[ua].troops_max, (double[]){0, 0, 0, 0, 0}, 5, "ua");

	cr_assert_eq(p->nsources, 3);
	safe = &p->sources[idx(p, plan_find_source, "safe")];
	national = &p->sources[idx(p, plan_find_source, "national")];
	aid = &p->sources[idx(p, plan_find_source, "aid")];
	cr_assert_str_eq(safe->name, "SAFE loans");
	cr_assert_eq(safe->kind, SOURCE_LOAN);
	cr_assert_eq(safe->total, 150e9);
	series_eq(&safe->available, (double[]){100e9, 50e9, 0, 0, 0}, 5, "safe available");
	cr_assert_eq(safe->carry_over, 1);
	cr_assert_eq(safe->interest_rate, 0.04);
	cr_assert_eq(safe->grace_years, 1);
	cr_assert_eq(safe->maturity_years, 3);
	/* 0.04/1.02 + 0.54/1.02^2 + 0.52/1.02^3: see cost_factor.known_value */
	cr_assert_float_eq(safe->cost_factor, 1.048254442107485, 1e-12);
	cr_assert_eq(safe->nbuyers, 2); /* 'borrowers': those with an allocation */
	cr_assert_eq(safe->buyers[0], pl);
	cr_assert_eq(safe->buyers[1], fr);
	cr_assert_eq(safe->ncategories, 2);
	cr_assert_eq(safe->categories[0], ad);
	cr_assert_eq(safe->categories[1], land);
	cr_assert_eq(safe->nallocations, 2);
	cr_assert_eq(safe->allocations[0].buyer, pl);
	cr_assert_float_eq(safe->allocations[0].amount, 43.73e9, 1);
	cr_assert_eq(safe->allocations[1].buyer, fr);
	cr_assert_float_eq(safe->allocations[1].amount, 16.2e9, 1); /* written quoted */
	cr_assert_eq(safe->allocations[0].loc.line, 37);
	cr_assert_eq(safe->allocations[0].loc.col, 19);
	cr_assert_eq(safe->rules.min_countries, 2);
	cr_assert_eq(safe->rules.lead_share_max, 0.85);
	cr_assert_eq(safe->rules.european_content_min, 0.65);
	cr_assert_eq(safe->rules.single_buyer_until, 2026);
	cr_assert_eq(safe->rules.prefinancing_max, 0.15);
	cr_assert_eq(safe->rules.disbursement_until, 2030);
	cr_assert_eq(safe->rules.pooled, 1);

	cr_assert_str_eq(national->name, "national");
	cr_assert_eq(national->kind, SOURCE_BUDGET);
	cr_assert_eq(national->total, -1); /* no cap */
	cr_assert_eq(national->cost_factor, 1);
	series_eq(&national->available, (double[]){20e9, 20e9, 20e9, 20e9, 20e9}, 5, "national");
	cr_assert_eq(national->nbuyers, 5); /* budgets: every buyer, partners too */
	cr_assert_eq(national->ncategories, 3);
	cr_assert_eq(national->rules.lead_share_max, 1);
	cr_assert_eq(national->rules.prefinancing_max, 1);
	cr_assert_eq(national->rules.min_countries, 0);

	cr_assert_eq(aid->kind, SOURCE_GRANT);
	cr_assert_eq(aid->total, 5e9);
	series_eq(&aid->available, (double[]){0, 2.5e9, 0, 2.5e9, 0}, 5, "aid schedule");
	cr_assert_eq(aid->nbuyers, 2);
	cr_assert_eq(aid->buyers[0], pl); /* in plan order */
	cr_assert_eq(aid->buyers[1], ua);

	cr_assert_eq(p->nitems, 5);
	iris = &p->items[idx(p, plan_find_item, "iris_t_slm")];
	interceptor = &p->items[idx(p, plan_find_item, "interceptor")];
	caesar = &p->items[idx(p, plan_find_item, "caesar")];
	cv90 = &p->items[idx(p, plan_find_item, "cv90")];
	a400m = &p->items[idx(p, plan_find_item, "a400m")];
	gbad = idx(p, plan_find_capability, "gbad_fire_units");
	icpt = idx(p, plan_find_capability, "interceptors");
	lift = idx(p, plan_find_capability, "airlift_t_per_day");
	brig = idx(p, plan_find_capability, "ukraine_brigades");
	cr_assert_str_eq(iris->name, "IRIS-T SLM fire unit");
	cr_assert_eq(iris->category, ad);
	cr_assert_eq(iris->unit_cost, 158e6);
	cr_assert_eq(iris->cost_growth, 0.02);
	cr_assert_eq(iris->pooled_discount, 0.05);
	cr_assert_eq(iris->european_content, 0.95);
	cr_assert_eq(iris->lead_time, 2);
	series_eq(&iris->capacity, (double[]){8, 8, 12, 12, 12}, 5, "iris capacity");
	cr_assert_eq(iris->integer, 1);
	cr_assert_eq(iris->initial_stock, 3);
	cr_assert_eq(iris->attrition, 0);
	cr_assert_eq(iris->nprovides, 1);
	cr_assert_eq(iris->provides[0].capability, gbad);
	cr_assert_eq(iris->provides[0].amount, 1);
	cr_assert_str_eq(iris->source, "Diehl Defence, 2025");
	cr_assert(strstr(iris->loc.file, "valid/full/items.yaml"), "%s", iris->loc.file);
	cr_assert_eq(iris->loc.line, 3);
	cr_assert_eq(iris->loc.col, 3);
	series_eq(&interceptor->capacity, (double[]){500, 800, 800, 800, 800}, 5, "anchor");
	series_eq(&caesar->capacity, (double[]){500, 800, 800, 800, 800}, 5, "alias");
	cr_assert_eq(interceptor->attrition, 1);
	cr_assert_eq(interceptor->unit_cost, 450e3);
	cr_assert_eq(interceptor->provides[0].capability, icpt);
	series_eq(&cv90->capacity, (double[]){-1, -1, -1, -1, -1}, 5, "unlimited");
	cr_assert_eq(cv90->integer, 0);
	series_eq(&a400m->capacity, (double[]){4, 4, 4, 4, 4}, 5, "a400m");
	cr_assert_eq(a400m->provides[0].capability, lift);
	cr_assert_eq(a400m->provides[0].amount, 60);

	cr_assert_eq(p->ncapabilities, 6);
	cr_assert_str_eq(p->capabilities[gbad].unit, "fire units");
	series_eq(&p->capabilities[gbad].target, (double[]){20, 20, 20, 20, 80}, 5, "gbad");
	cr_assert_eq(p->capabilities[gbad].penalty, 500e6);
	cr_assert_eq(p->capabilities[gbad].priority, 1);
	cr_assert_eq(p->capabilities[gbad].nbuyers, 0);
	cr_assert_str_eq(p->capabilities[icpt].unit, "missiles");
	series_eq(&p->capabilities[icpt].target, (double[]){0, 0, 0, 0, 0}, 5, "icpt");
	cr_assert_str_eq(p->capabilities[lift].name, "airlift_t_per_day");
	cr_assert_eq(p->capabilities[lift].priority, 2);
	cr_assert_str_eq(p->capabilities[idx(p, plan_find_capability, "artillery")].unit, "units");
	cr_assert_eq(p->capabilities[idx(p, plan_find_capability, "armour")].nbuyers, 2);
	cr_assert_eq(p->capabilities[idx(p, plan_find_capability, "armour")].buyers[0], ua);
	cr_assert_eq(p->capabilities[idx(p, plan_find_capability, "armour")].buyers[1], pl);

	cr_assert_eq(p->ndeployments, 1);
	d = &p->deployments[0];
	cr_assert_str_eq(d->id, "reassurance");
	cr_assert_str_eq(d->name, "Multinational Force Ukraine");
	/* years before the first given year take the first value */
	series_eq(&d->troops, (double[]){30000, 30000, 30000, 30000, 30000}, 5, "troops");
	cr_assert_eq(d->rotation_ratio, 3);
	cr_assert_eq(d->tour_months, 6);
	cr_assert_eq(d->cost_per_troop_year, 120e3);
	cr_assert_eq(d->paid_by, national - p->sources);
	cr_assert_eq(d->shortfall_penalty, 2e6);
	cr_assert_eq(d->sustain_t_per_troop_day, 0.05);
	cr_assert_eq(d->air_share, 0.2);
	cr_assert_eq(d->pax_t, 0.15);
	cr_assert_eq(d->lift_capability, lift);
	cr_assert_eq(d->ncontributors, 2);
	cr_assert_eq(d->contributors[0].buyer, fr);
	cr_assert_eq(d->contributors[0].troops_max, 10000);
	cr_assert_eq(d->contributors[1].buyer, pl);

	cr_assert_eq(p->air_defence.enabled, 1);
	series_eq(&p->air_defence.defended_sites, (double[]){40, 40, 40, 40, 60}, 5, "sites");
	cr_assert_eq(p->air_defence.fire_units_per_site, 1);
	cr_assert_eq(p->air_defence.engagements_per_site_year, 12);
	cr_assert_eq(p->air_defence.interceptors_per_engagement, 2);
	cr_assert_eq(p->air_defence.fire_unit_capability, gbad);
	cr_assert_eq(p->air_defence.interceptor_capability, icpt);

	cr_assert_eq(p->ukraine.enabled, 1);
	cr_assert_eq(p->ukraine.buyer, ua);
	cr_assert_eq(p->ukraine.capability, brig);
	series_eq(&p->ukraine.brigades_existing, (double[]){40, 40, 40, 40, 40}, 5, "brigades");
	cr_assert_eq(p->ukraine.nkit, 2);
	cr_assert_eq(p->ukraine.kit[0].item, caesar - p->items);
	cr_assert_eq(p->ukraine.kit[0].per_brigade, 18);
	cr_assert_eq(p->ukraine.kit[1].item, cv90 - p->items);
	cr_assert_eq(p->ukraine.kit[1].per_brigade, 44);

	cr_assert_eq(p->assumptions.us_backing, 0.5);
	cr_assert_eq(p->assumptions.nus, 2);
	cr_assert_eq(p->assumptions.us[0].capability, lift);
	series_eq(&p->assumptions.us[0].amount, (double[]){3000, 3000, 3000, 1000, 1000}, 5, "us");
	cr_assert_eq(p->assumptions.us[1].capability, gbad);
	series_eq(&p->assumptions.us[1].amount, (double[]){4, 4, 4, 4, 4}, 5, "us gbad");

	cr_assert_eq(u->seed, 20260301ULL);
	cr_assert_eq(u->nparams, 7);
	cr_assert_str_eq(u->params[0].id, "cost_growth");
	cr_assert_str_eq(u->params[0].path, "items.*.unit_cost");
	cr_assert_eq(u->params[0].dist, DIST_TRIANGULAR);
	cr_assert_eq(u->params[0].apply, APPLY_SCALE);
	cr_assert_eq(u->params[0].a, 0.95);
	cr_assert_eq(u->params[0].b, 1.10);
	cr_assert_eq(u->params[0].c, 1.40);
	cr_assert_eq(u->params[1].dist, DIST_DISCRETE);
	cr_assert_eq(u->params[1].apply, APPLY_SET);
	cr_assert_eq(u->params[1].nvalues, 3);
	cr_assert_eq(u->params[1].values[2], 1);
	cr_assert_float_eq(u->params[1].weights[0], 0.3, 1e-15); /* normalised */
	cr_assert_float_eq(u->params[1].weights[1], 0.5, 1e-15);
	cr_assert_float_eq(u->params[1].weights[2], 0.2, 1e-15);
	cr_assert_eq(u->params[2].dist, DIST_PERT);
	cr_assert_eq(u->params[2].b, 800);
	cr_assert_eq(u->params[3].dist, DIST_UNIFORM);
	cr_assert_eq(u->params[3].a, 20000);
	cr_assert_eq(u->params[3].b, 40000);
	cr_assert_eq(u->params[4].dist, DIST_NORMAL);
	cr_assert_eq(u->params[4].b, 0.005);
	cr_assert_eq(u->params[5].dist, DIST_LOGNORMAL);
	cr_assert_eq(u->params[5].a, 158e6); /* money literals in distributions */
	cr_assert_eq(u->params[5].b, 20e6);
	cr_assert_eq(u->params[6].dist, DIST_BERNOULLI);
	cr_assert_eq(u->params[6].a, 0.1);
	cr_assert_eq(u->ncorrelations, 3);
	cr_assert_eq(u->correlations[0].a, 0);
	cr_assert_eq(u->correlations[0].b, 5);
	cr_assert_eq(u->correlations[0].rho, 0.6);
	cr_assert_eq(u->correlations[1].rho, -0.3);
	cr_assert_eq(u->correlations[2].a, 5);
	cr_assert_eq(u->correlations[2].b, 3);
}

Test(valid, full_plan_reads_back)
{
	struct loaded l = load_file(VALID "/full.yaml");

	cr_assert_eq(l.rc, PLAN_OK, "%s", l.out);
	cr_assert_str_eq(l.out, "");
	check_full(l.plan);
	cr_assert_str_eq(l.plan->file, VALID "/full.yaml");
	loaded_release(&l);
}

/* The fingerprint covers the plan file and its includes, in the order read. */
Test(valid, sha256_of_the_files_read)
{
	static const char *const files[] = {"/full.yaml", "/full/items.yaml",
					    "/full/capabilities.yaml"};
	struct loaded l = load_file(VALID "/full.yaml");
	struct sha256 s;
	char hex[65], path[512];
	size_t i, len;

	cr_assert_eq(l.rc, PLAN_OK, "%s", l.out);
	sha256_init(&s);
	for (i = 0; i < 3; i++) {
		char *text;

		snprintf(path, sizeof(path), "%s%s", VALID, files[i]);
		text = slurp(path, &len);
		cr_assert_not_null(text);
		sha256_update(&s, text, len);
		free(text);
	}
	sha256_final_hex(&s, hex);
	cr_assert_str_eq(l.plan->sha256, hex);
	loaded_release(&l);
}

/* FIPS 180-4 examples. */
Test(valid, sha256_known_answers)
{
	struct sha256 s;
	char hex[65];
	size_t i;

	sha256_init(&s);
	sha256_update(&s, "abc", 3);
	sha256_final_hex(&s, hex);
	cr_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sha256_init(&s);
	sha256_final_hex(&s, hex);
	cr_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sha256_init(&s);
	sha256_update(&s, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56);
	sha256_final_hex(&s, hex);
	cr_assert_str_eq(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	sha256_init(&s);
	for (i = 0; i < 1000000; i++)
		sha256_update(&s, "a", 1);
	sha256_final_hex(&s, hex);
	cr_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* A clone holds the same figures and no pointer into the original. */
Test(valid, clone_is_deep)
{
	struct loaded l = load_file(VALID "/full.yaml");
	struct plan *c = NULL;

	cr_assert_eq(l.rc, PLAN_OK, "%s", l.out);
	cr_assert_eq(plan_clone(&c, l.plan), PLAN_OK);
	cr_assert_neq(c->items, l.plan->items);
	cr_assert_neq(c->items[0].id, l.plan->items[0].id);
	cr_assert_str_eq(c->sha256, l.plan->sha256);
	loaded_release(&l); /* AddressSanitizer catches any pointer left behind */
	check_full(c);
	cr_assert_str_eq(c->file, VALID "/full.yaml");
	cr_assert(strstr(c->items[0].loc.file, "full/items.yaml"));
	c->items[0].unit_cost = 1;
	plan_free(c);
}

Test(valid, minimal_plan_defaults)
{
	struct loaded l = load_file(VALID "/minimal.yaml");
	const struct plan *p = l.plan;

	cr_assert_eq(l.rc, PLAN_OK, "%s", l.out);
	cr_assert_str_eq(p->currency, "EUR");
	cr_assert_null(p->description);
	cr_assert_eq(p->discount_rate, 0);
	cr_assert_eq(p->objective, OBJECTIVE_COST);
	cr_assert_eq(p->solver.mip_gap, 1e-4);
	cr_assert_eq(p->solver.time_limit_s, 0);
	cr_assert_eq(p->air_defence.enabled, 0);
	cr_assert_eq(p->air_defence.fire_unit_capability, -1);
	cr_assert_eq(p->ukraine.enabled, 0);
	cr_assert_eq(p->ukraine.buyer, -1);
	cr_assert_eq(p->assumptions.us_backing, 0);
	cr_assert_eq(p->uncertainty.seed, 1);
	cr_assert_eq(p->nitems + p->nbuyers + p->nsources + p->ncapabilities, 0);
	loaded_release(&l);
}

/* Warnings do not stop a plan from loading. */
Test(valid, warnings_are_not_errors)
{
	struct loaded l = load_text("warn.yaml", "porcupine: 1\n"
						 "name: warn\n"
						 "horizon: {start: 2026, end: 2030}\n"
						 "buyers: {pl: {}, fr: {}}\n"
						 "funding:\n"
						 "  safe:\n"
						 "    kind: loan\n"
						 "    total: 10bn\n"
						 "    available: 10bn\n"
						 "    allocations: {pl: 8bn, fr: 4bn}\n"
						 "capabilities:\n"
						 "  satellites: {penalty: 1m}\n");

	cr_assert_eq(l.rc, PLAN_OK, "%s", l.out);
	cr_assert_str_eq(l.out,
			 "warn.yaml:10:5: warning: allocations of 'safe' add up to 12bn, "
			 "more than its total of 10bn\n"
			 "   10 |     allocations: {pl: 8bn, fr: 4bn}\n"
			 "      |     ^\n"
			 "warn.yaml:12:3: warning: no item provides capability 'satellites': "
			 "all of its target will be shortfall\n"
			 "   12 |   satellites: {penalty: 1m}\n"
			 "      |   ^\n"
			 "2 warnings\n");
	cr_assert_eq(l.nwarnings, 2);
	loaded_release(&l);
}

Test(valid, includes_refused_without_a_folder)
{
	char *first;
	struct loaded l = load_text("<default plan>", "porcupine: 1\n"
						      "name: x\n"
						      "horizon: {start: 2026, end: 2030}\n"
						      "include: [a.yaml]\n");

	cr_assert_eq(l.rc, PLAN_EINVALID);
	first = first_line(l.out);
	cr_assert_str_eq(first,
			 "<default plan>:4:1: error: includes are not allowed in '<default plan>'");
	free(first);
	loaded_release(&l);
}

Test(valid, unreadable_file_is_an_io_error)
{
	struct loaded l = load_file(VALID "/no-such-plan.yaml");

	cr_assert_eq(l.rc, PLAN_EIO);
	cr_assert_str_eq(l.out, VALID "/no-such-plan.yaml: error: cannot read '" VALID
				      "/no-such-plan.yaml': no such file or directory\n");
	loaded_release(&l);
	l = load_file(VALID);
	cr_assert_eq(l.rc, PLAN_EIO);
	cr_assert(strstr(l.out, "is a directory"), "%s", l.out);
	loaded_release(&l);
}

Test(valid, strerror_names_every_code)
{
	cr_assert_str_eq(plan_strerror(PLAN_OK), "success");
	cr_assert_str_eq(plan_strerror(PLAN_EINVALID), "invalid plan");
	cr_assert_str_eq(plan_strerror(PLAN_ENOMEM), "out of memory");
	cr_assert_str_eq(plan_strerror(PLAN_EIO), "cannot read the plan");
	cr_assert_str_eq(plan_strerror(99), "unknown error");
}

Test(valid, lookups)
{
	struct loaded l = load_file(VALID "/full.yaml");

	cr_assert_eq(l.rc, PLAN_OK, "%s", l.out);
	cr_assert_eq(plan_find_item(l.plan, "nope"), -1);
	cr_assert_eq(plan_find_buyer(l.plan, "ua"), 3);
	cr_assert_eq(plan_year_index(l.plan, 2025), -1);
	cr_assert_eq(plan_year_index(l.plan, 2028), 2);
	cr_assert_eq(plan_year_index(l.plan, 2031), -1);
	loaded_release(&l);
}

/* The cost per euro of a loan: present value of its repayments at the discount rate. */
Test(cost_factor, known_value)
{
	/* Borrow 1 at 4 %, one year of grace, repaid in two equal parts by year 3, discounted
	 * at 2 %:
	 *   year 1: interest 0.04 on 1              -> 0.04 / 1.02   = 0.0392156862745098
	 *   year 2: principal 0.5 + interest 0.04   -> 0.54 / 1.02^2 = 0.5190311418685122
	 *   year 3: principal 0.5 + interest 0.02   -> 0.52 / 1.02^3 = 0.4900076139644631
	 *   total                                                    = 1.048254442107485 */
	cr_assert_float_eq(plan_loan_cost_factor(0.04, 0.02, 1, 3), 1.048254442107485, 1e-15);
	/* Interest at the discount rate: worth exactly what was borrowed, whatever the terms. */
	cr_assert_float_eq(plan_loan_cost_factor(0.03, 0.03, 10, 45), 1.0, 1e-12);
	cr_assert_float_eq(plan_loan_cost_factor(0.05, 0.05, 0, 1), 1.0, 1e-15);
	/* Cheap long money costs less than a euro of budget. */
	cr_assert_lt(plan_loan_cost_factor(0.01, 0.03, 10, 45), 0.75);
	/* No repayment terms: one euro per euro. */
	cr_assert_eq(plan_loan_cost_factor(0.04, 0.02, 0, 0), 1.0);
}

/* Every example plan shipped in inputs/plans loads without errors. */
Test(shipped, every_plan_in_inputs_plans_loads)
{
	glob_t g;
	size_t i;

	cr_assert_eq(glob(PORCUPINE_SOURCE_DIR "/inputs/plans/*.yaml", 0, NULL, &g), 0,
		     "no plan files in inputs/plans");
	cr_assert_geq(g.gl_pathc, 1);
	for (i = 0; i < g.gl_pathc; i++) {
		struct loaded l = load_file(g.gl_pathv[i]);

		cr_expect_eq(l.rc, PLAN_OK, "%s:\n%s", g.gl_pathv[i], l.out);
		loaded_release(&l);
	}
	globfree(&g);
}

Test(shipped, default_plan_loads)
{
	struct diag_list dl = DIAG_LIST_INIT;
	struct plan *p = NULL;
	int rc = plan_load_default(&p, &dl);
	char *out = diag_text(&dl);

	cr_assert_eq(rc, PLAN_OK, "%s", out);
	cr_assert_str_eq(p->file, "<default plan>");
	cr_assert_eq(strlen(p->sha256), 64);
	free(out);
	plan_free(p);
	diag_list_release(&dl);
}

/* Discrete weights are normalised, even when their sum would overflow a double. */
Test(valid, huge_weights_normalised)
{
	struct loaded l = load_text("w.yaml", "porcupine: 1\n"
					      "name: w\n"
					      "horizon: {start: 2026, end: 2030}\n"
					      "assumptions: {us_backing: 0.5}\n"
					      "uncertainty:\n"
					      "  parameters:\n"
					      "    backing:\n"
					      "      path: assumptions.us_backing\n"
					      "      dist: discrete\n"
					      "      values: [0, 1, 0.5]\n"
					      "      weights: [1e308, 1e308, 0]\n");
	const struct uparam *u;

	cr_assert_eq(l.rc, PLAN_OK, "%s", l.out);
	u = &l.plan->uncertainty.params[0];
	cr_assert_eq(u->weights[0], 0.5);
	cr_assert_eq(u->weights[1], 0.5);
	cr_assert_eq(u->weights[2], 0);
	loaded_release(&l);
	l = load_text(
	    "w.yaml",
	    "porcupine: 1\n"
	    "name: w\n"
	    "horizon: {start: 2026, end: 2030}\n"
	    "uncertainty:\n"
	    "  parameters:\n"
	    "    backing: {path: assumptions.us_backing, dist: discrete, values: [0, 1]}\n");
	cr_assert_eq(l.rc, PLAN_OK, "%s", l.out);
	u = &l.plan->uncertainty.params[0];
	cr_assert_eq(u->weights[0], 0.5); /* none given: equal */
	cr_assert_eq(u->weights[1], 0.5);
	loaded_release(&l);
}

Test(valid, capability_covered_only_by_the_us)
{
	struct loaded l = load_text("us.yaml", "porcupine: 1\n"
					       "name: us\n"
					       "horizon: {start: 2026, end: 2030}\n"
					       "capabilities: {satellites: {penalty: 1m}}\n"
					       "assumptions:\n"
					       "  us_backing: 1\n"
					       "  us_contribution: {satellites: 30}\n");
	char *first;

	cr_assert_eq(l.rc, PLAN_OK, "%s", l.out);
	first = first_line(l.out);
	cr_assert_str_eq(first, "us.yaml:4:16: warning: no item provides capability "
				"'satellites': only the US contribution counts towards it");
	free(first);
	loaded_release(&l);
}
