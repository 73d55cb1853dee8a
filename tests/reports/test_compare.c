/* test_compare.c - comparing two report.json documents: a run against itself (no
 * differences), known differences biggest first, what only one side buys, plan parameters
 * and --set assignments, the refusals, runs named by file or folder, and byte-identical
 * outputs in all four formats. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "test_html_sample.h"

struct pair {
	char *a, *b, *out;
	json_t *da, *db;
	struct diag_list dl;
};

static void pair_init(struct pair *p)
{
	p->a = sample_tmpdir();
	p->b = sample_tmpdir();
	p->out = sample_tmpdir();
	p->da = sample_report();
	p->db = sample_report();
	diag_list_init(&p->dl);
}

static void pair_release(struct pair *p)
{
	sample_rmdir(p->a);
	sample_rmdir(p->b);
	sample_rmdir(p->out);
	free(p->a);
	free(p->b);
	free(p->out);
	json_decref(p->da);
	json_decref(p->db);
	diag_list_release(&p->dl);
}

/* Write both, compare, and return the summary printed. */
static char *run(struct pair *p, int want)
{
	char *sum = NULL;
	size_t n;
	cr_assert_eq(sample_write(p->a, p->da), 0);
	cr_assert_eq(sample_write(p->b, p->db), 0);
	FILE *f = open_memstream(&sum, &n);
	int rc = compare_runs(p->a, p->b, p->out, f, &p->dl);
	fclose(f);
	cr_assert_eq(rc, want, "compare_runs: %d (%s)", rc,
		     p->dl.n ? p->dl.v[0].message : "no diagnostic");
	return sum;
}

static char *out_file(struct pair *p, const char *name)
{
	char *path = sample_path(p->out, name);
	char *s = sample_slurp(path, NULL);
	cr_assert_not_null(s, "no %s", name);
	free(path);
	return s;
}

static json_t *out_json(struct pair *p)
{
	char *path = sample_path(p->out, "compare.json");
	json_error_t e;
	json_t *j = json_load_file(path, 0, &e);
	cr_assert_not_null(j, "compare.json: %s", e.text);
	free(path);
	return j;
}

static json_t *at(json_t *o, const char *k1, size_t i)
{
	return json_array_get(json_object_get(o, k1), i);
}

Test(compare, a_run_against_itself_has_no_differences)
{
	struct pair p;
	pair_init(&p);
	char *sum = run(&p, COMPARE_OK);
	cr_assert(strstr(sum, "no differences"), "%s", sum);
	json_t *j = out_json(&p);
	cr_assert_eq(json_integer_value(json_object_get(j, "differences")), 0);
	cr_assert_str_eq(json_string_value(json_object_get(j, "schema")), COMPARE_SCHEMA);
	cr_assert(json_is_true(json_object_get(json_object_get(j, "plan"), "same_sha256")));
	char *md = out_file(&p, "compare.md"), *html = out_file(&p, "compare.html");
	char *csv = out_file(&p, "compare.csv");
	cr_assert(strstr(md, "**No differences.**"));
	cr_assert(strstr(html, "<strong>No differences.</strong>"));
	cr_assert_null(html_check(html), "%s", html_check(html));
	cr_assert_str_eq(csv, "section,key,name,unit,year,a,b,diff\r\n");
	free(md);
	free(html);
	free(csv);
	free(sum);
	json_decref(j);
	pair_release(&p);
}

Test(compare, the_same_run_named_by_file_or_folder)
{
	struct pair p;
	pair_init(&p);
	sample_write(p.a, p.da);
	char *file = sample_path(p.a, "report.json");
	char *sum = NULL;
	size_t n;
	FILE *f = open_memstream(&sum, &n);
	cr_assert_eq(compare_runs(p.a, file, NULL, f, &p.dl), COMPARE_OK);
	fclose(f);
	cr_assert(strstr(sum, "no differences"));
	free(sum);
	free(file);
	pair_release(&p);
}

/* B: more money for shells (+300m in 2027), no IRIS-T in 2027 but a new radar, half the
 * fire-unit shortfall, US backing 0.5 -> 0 and one --set more. */
static void make_b(json_t *db)
{
	json_t *sol = json_object_get(db, "solution");
	json_t *al = json_object_get(sol, "allocation");
	json_array_remove(al, 1); /* iris 2027 */
	json_array_append_new(al,
			      json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:f, s:f}", "item", "shell",
					"category", "ammo", "buyer", "ua", "source", "nat", "year",
					2027, "delivery_year", 2027, "units", 5e4, "eur", 3e8));
	json_array_append_new(al,
			      json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:f, s:f}", "item", "radar",
					"category", "air", "buyer", "pl", "source", "safe", "year",
					2028, "delivery_year", 2028, "units", 1.0, "eur", 5e7));
	json_object_set_new(sol, "objective", json_real(1.8e9));
	json_object_set_new(sol, "total_spend_eur", json_real(1.25e9));
	json_object_set_new(sol, "purchase_eur", json_real(1.25e9));
	json_t *rq = json_object_get(sol, "requirements");
	for (size_t y = 0; y < 3; y++) {
		json_t *r = json_array_get(rq, y);
		json_object_set_new(r, "shortfall", json_real(1.0));
		json_object_set_new(r, "achieved",
				    json_real(json_number_value(json_object_get(r, "target")) - 1));
	}
	json_t *plan = json_object_get(db, "plan");
	json_object_set_new(plan, "name", json_string("other plan"));
	json_object_set_new(plan, "sha256", json_string("ffff"));
	json_object_set_new(json_object_get(plan, "parameters"), "assumptions.us_backing",
			    json_real(0));
	json_array_set_new(
	    json_object_get(json_object_get(plan, "parameters"), "capabilities.gbad.target"), 1,
	    json_real(5));
	json_array_append_new(json_object_get(json_object_get(db, "run"), "set"),
			      json_string("assumptions.us_backing=0"));
	json_object_set_new(json_object_get(json_object_get(plan, "names"), "items"), "radar",
			    json_string("Radar"));
}

Test(compare, known_differences_biggest_first)
{
	struct pair p;
	pair_init(&p);
	make_b(p.db);
	char *sum = run(&p, COMPARE_OK);
	json_t *j = out_json(&p);

	/* cost */
	json_t *t0 = at(j, "totals", 0);
	cr_assert_str_eq(json_string_value(json_object_get(t0, "key")), "objective",
			 "the biggest change first");
	cr_assert_float_eq(json_real_value(json_object_get(t0, "diff")), 3e8, 1);
	/* plan parameters: the series element and the scalar */
	json_t *plan = json_object_get(j, "plan");
	cr_assert(json_is_false(json_object_get(plan, "same_sha256")));
	json_t *pars = json_object_get(plan, "parameters");
	cr_assert_eq(json_array_size(pars), 2);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(pars, 0), "key")),
			 "capabilities.gbad.target.2027");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(pars, 1), "key")),
			 "assumptions.us_backing");
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(plan, "set_only_b"), 0)),
			 "assumptions.us_backing=0");
	cr_assert_eq(json_array_size(json_object_get(plan, "set_only_a")), 0);
	/* spend by item: iris -300m, shell +300m, radar +50m; equal changes by key */
	json_t *items = json_object_get(json_object_get(j, "spend"), "item");
	cr_assert_eq(json_array_size(items), 3);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(items, 0), "key")),
			 "iris");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(items, 1), "key")),
			 "shell");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(items, 2), "key")),
			 "radar");
	cr_assert(json_is_null(json_object_get(json_array_get(items, 2), "a")), "not in A");
	/* by year, source, buyer, category */
	json_t *years = json_object_get(json_object_get(j, "spend"), "year");
	cr_assert_eq(json_array_size(years), 1, "2027 nets to zero; 2028 +50m");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(years, 0), "key")),
			 "2028");
	json_t *cats = json_object_get(json_object_get(j, "spend"), "category");
	cr_assert_eq(json_array_size(cats), 2);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(cats, 0), "key")),
			 "ammo");
	/* only one side buys */
	cr_assert_eq(json_array_size(json_object_get(j, "only_a")), 0, "A's iris 2026 stays");
	json_t *ob = at(j, "only_b", 0);
	cr_assert_str_eq(json_string_value(json_object_get(ob, "name")), "Radar");
	/* capabilities */
	json_t *sh = at(j, "shortfall_by_capability", 0);
	cr_assert_str_eq(json_string_value(json_object_get(sh, "key")), "gbad");
	cr_assert_float_eq(json_real_value(json_object_get(sh, "diff")), -3, 1e-9);
	json_t *c0 = at(j, "capabilities", 0);
	cr_assert_eq(json_integer_value(json_object_get(c0, "year")), 2026,
		     "2026's change is half its target: the biggest");
	cr_assert_eq(json_array_size(json_object_get(j, "capabilities")), 3);

	/* the terminal summary */
	cr_assert(strstr(sum, "1 parameter differs (capabilities.gbad.target.2027 4 -> 5)") ||
		      strstr(sum, "2 parameters differ (capabilities.gbad.target.2027 4 -> 5, "
				  "assumptions.us_backing 0.5 -> 0)"),
		  "%s", sum);
	cr_assert(strstr(sum, "EUR 1.5bn -> EUR 1.8bn"), "%s", sum);
	cr_assert(strstr(sum, "Bought only in B"));
	/* Markdown, CSV and HTML say the same */
	char *md = out_file(&p, "compare.md"), *csv = out_file(&p, "compare.csv");
	char *html = out_file(&p, "compare.html");
	cr_assert(strstr(md, "| `assumptions.us_backing` | 0.5 | 0 |"));
	cr_assert(strstr(md, "| IRIS-T SLM | EUR 600m | EUR 300m | -EUR 300m | -50.0% |"), "%s",
		  md);
	cr_assert(strstr(md, "| Radar | - | EUR 50m | +EUR 50m |"));
	cr_assert(strstr(csv, "spend_item,iris,IRIS-T SLM,EUR,,600000000,300000000,-300000000\r\n"),
		  "%s", csv);
	cr_assert(strstr(csv, "parameter,assumptions.us_backing,,,,0.5,0,-0.5\r\n"));
	cr_assert(strstr(csv, "capability_shortfall_year,gbad,Air defence fire units,fire units,"
			      "2026,2,1,-1\r\n"));
	cr_assert(strstr(csv, "set_only_b,assumptions.us_backing=0,"));
	cr_assert_null(html_check(html), "%s", html_check(html));
	cr_assert(strstr(html, "id=\"fig-spend-a"), "side-by-side charts");
	cr_assert(strstr(html, "id=\"fig-spend-b"));
	cr_assert(strstr(html, "id=\"fig-cat"));
	cr_assert(strstr(html, "id=\"fig-short"));
	cr_assert(!strstr(html, "<script"));
	free(md);
	free(csv);
	free(html);
	free(sum);
	json_decref(j);
	pair_release(&p);
}

Test(compare, byte_identical_outputs)
{
	struct pair p;
	pair_init(&p);
	make_b(p.db);
	free(run(&p, COMPARE_OK));
	const char *files[] = {"compare.md", "compare.html", "compare.json", "compare.csv"};
	char *first[4];
	for (int k = 0; k < 4; k++)
		first[k] = out_file(&p, files[k]);
	free(run(&p, COMPARE_OK));
	for (int k = 0; k < 4; k++) {
		char *again = out_file(&p, files[k]);
		cr_assert_str_eq(first[k], again, "%s differs", files[k]);
		free(again);
		free(first[k]);
	}
	pair_release(&p);
}

Test(compare, refuses_different_schemas)
{
	struct pair p;
	pair_init(&p);
	json_object_set_new(p.db, "schema", json_string("porcupine.report/2"));
	free(run(&p, COMPARE_EINPUT));
	cr_assert_eq(p.dl.nerrors, 1);
	cr_assert(strstr(p.dl.v[0].message, "reports of different schema versions cannot be "
					    "compared: 'porcupine.report/1' (A) and "
					    "'porcupine.report/2' (B)"),
		  "%s", p.dl.v[0].message);
	pair_release(&p);
}

Test(compare, refuses_different_horizons_and_strangers)
{
	struct pair p;
	pair_init(&p);
	json_object_set_new(json_object_get(json_object_get(p.db, "plan"), "horizon"), "end",
			    json_integer(2030));
	free(run(&p, COMPARE_EINPUT));
	cr_assert(strstr(p.dl.v[0].message, "different years (2026-2028 in A, 2026-2030 in B)"),
		  "%s", p.dl.v[0].message);
	pair_release(&p);

	pair_init(&p);
	json_t *names = json_object_get(json_object_get(p.db, "plan"), "names");
	json_object_set_new(names, "categories", json_pack("{s:s}", "naval", "Naval"));
	json_object_set_new(names, "capabilities", json_pack("{s:s}", "ships", "Ships"));
	free(run(&p, COMPARE_EINPUT));
	cr_assert(strstr(p.dl.v[0].message, "nothing to compare"));
	pair_release(&p);
}

Test(compare, refuses_what_is_not_a_report)
{
	struct pair p;
	pair_init(&p);
	sample_write(p.a, p.da);
	cr_assert_eq(compare_runs(p.a, "/nonexistent/run", NULL, NULL, &p.dl), COMPARE_EINPUT);
	cr_assert(strstr(p.dl.v[0].file, "/nonexistent/run"));
	cr_assert(strstr(p.dl.v[0].message, "cannot read the report"));
	cr_assert_str_eq(compare_strerror(COMPARE_EINPUT), "the runs cannot be compared");
	pair_release(&p);
}
