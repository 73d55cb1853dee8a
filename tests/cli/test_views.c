/* test_views.c - report.html, report.xlsx and `porcupine compare` end to end: solve and
 * scenarios write the views for every example plan, the same inputs give the same bytes,
 * compare finds what no US backing changes, finds nothing between a run and itself, and
 * refuses what it cannot compare. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run.h"

#define PLANS PORCUPINE_SOURCE_DIR "/inputs/plans"

TestSuite(views, .timeout = 600);

static void must_run(struct run_result *r, const char *args, int want)
{
	cr_assert_eq(run_porcupine(r, args), 0, "could not run porcupine %s", args);
	cr_assert_eq(r->status, want, "porcupine %s: exit %d, want %d\n%s", args, r->status, want,
		     r->err);
}

static char *file_in(const char *dir, const char *name, size_t *len)
{
	char *p = NULL;
	cr_assert(asprintf(&p, "%s/%s", dir, name) > 0);
	char *s = slurp(p, len);
	cr_assert_not_null(s, "no %s", p);
	free(p);
	return s;
}

static void rm_rf(const char *dir)
{
	char *cmd = NULL;
	if (asprintf(&cmd, "rm -rf '%s'", dir) > 0 && system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	free(cmd);
}

/* The views of a run: a page with inline charts, and a workbook (a ZIP) with its sheets. */
static void check_views(const char *dir, int scenario_run)
{
	size_t hl, xl;
	char *html = file_in(dir, "report.html", &hl), *xlsx = file_in(dir, "report.xlsx", &xl);
	cr_assert(strncmp(html, "<!DOCTYPE html>", 15) == 0);
	cr_assert(strstr(html, "</html>\n"), "complete");
	cr_assert(strstr(html, "id=\"fig-spend"));
	cr_assert(strstr(html, "id=\"fig-funding"));
	cr_assert(strstr(html, "id=\"sources\""));
	cr_assert(!strstr(html, "<script"));
	cr_assert_eq(strstr(html, "id=\"scenarios\"") != NULL, scenario_run);
	cr_assert(xl > 1000 && memcmp(xlsx, "PK\x03\x04", 4) == 0, "report.xlsx is a ZIP file");
	/* entry names are stored uncompressed in the ZIP directory */
	cr_assert(memmem(xlsx, xl, "xl/worksheets/sheet4.xml", 24), "four sheets at least");
	cr_assert(memmem(xlsx, xl, "xl/charts/chart1.xml", 20), "a native chart");
	cr_assert_eq(memmem(xlsx, xl, "xl/worksheets/sheet6.xml", 24) != NULL, scenario_run,
		     "Scenarios and Statistics sheets for scenario runs only");
	free(html);
	free(xlsx);
}

Test(views, solve_writes_them_for_every_example_plan)
{
	static const char *const plans[] = {"steel-porcupine", "tiny", "no-us-backing",
					    "small-coalition"};
	for (size_t k = 0; k < sizeof(plans) / sizeof(plans[0]); k++) {
		struct run_result r;
		char *dir = make_tmpdir(), *args = NULL;
		cr_assert(asprintf(&args, "solve %s/%s.yaml -q -o %s", PLANS, plans[k], dir) > 0);
		must_run(&r, args, 0);
		check_views(dir, 0);
		run_result_release(&r);
		free(args);
		rm_rf(dir);
		free(dir);
	}
}

Test(views, scenarios_write_them_for_every_example_plan)
{
	static const char *const plans[] = {"tiny", "steel-porcupine", "no-us-backing",
					    "small-coalition"};
	for (size_t k = 0; k < sizeof(plans) / sizeof(plans[0]); k++) {
		struct run_result r;
		char *dir = make_tmpdir(), *args = NULL;
		cr_assert(asprintf(&args, "scenarios %s/%s.yaml -n %d -q -o %s", PLANS, plans[k],
				   k == 0 ? 30 : 3, dir) > 0);
		must_run(&r, args, 0);
		check_views(dir, 1);
		char *html = file_in(dir, "report.html", NULL);
		cr_assert(strstr(html, "id=\"fig-ptarget"), "probability-of-target bars");
		cr_assert(strstr(html, "id=\"fig-fan-1-title\""), "a fan chart per capability");
		char *json = file_in(dir, "report.json", NULL);
		cr_assert(strstr(json, "\"years\": [") && strstr(json, "\"achieved\": {"),
			  "per-year quantiles in report.json");
		free(json);
		free(html);
		run_result_release(&r);
		free(args);
		rm_rf(dir);
		free(dir);
	}
}

Test(views, same_inputs_same_bytes)
{
	char *d1 = make_tmpdir(), *d2 = make_tmpdir(), *args = NULL;
	struct run_result r;
	cr_assert(asprintf(&args, "solve -q -o %s", d1) > 0);
	must_run(&r, args, 0);
	run_result_release(&r);
	free(args);
	sleep(1); /* a clock in the files would show */
	cr_assert(asprintf(&args, "solve -q -o %s", d2) > 0);
	must_run(&r, args, 0);
	run_result_release(&r);
	free(args);
	const char *files[] = {"report.html", "report.xlsx"};
	for (int k = 0; k < 2; k++) {
		size_t n1, n2;
		char *a = file_in(d1, files[k], &n1), *b = file_in(d2, files[k], &n2);
		cr_assert(n1 == n2 && memcmp(a, b, n1) == 0, "%s differs between two solves",
			  files[k]);
		free(a);
		free(b);
	}
	rm_rf(d1);
	rm_rf(d2);
	free(d1);
	free(d2);
}

Test(views, compare_default_and_no_us_backing)
{
	char *a = make_tmpdir(), *b = make_tmpdir(), *o = make_tmpdir(), *o2 = make_tmpdir();
	char *args = NULL;
	struct run_result r;
	cr_assert(asprintf(&args, "solve -q -o %s", a) > 0);
	must_run(&r, args, 0);
	run_result_release(&r);
	free(args);
	cr_assert(asprintf(&args, "solve %s/no-us-backing.yaml -q -o %s", PLANS, b) > 0);
	must_run(&r, args, 0);
	run_result_release(&r);
	free(args);

	cr_assert(asprintf(&args, "compare %s %s/report.json -o %s", a, b, o) > 0);
	must_run(&r, args, 0);
	cr_assert(strstr(r.out, "assumptions.us_backing 0.5 -> 0"), "%s", r.out);
	cr_assert(strstr(r.out, "Objective"), "%s", r.out);
	cr_assert(strstr(r.out, "Shortfall by capability"), "%s", r.out);
	run_result_release(&r);
	free(args);
	char *js = file_in(o, "compare.json", NULL);
	json_t *j = json_loads(js, 0, NULL);
	cr_assert_not_null(j);
	cr_assert_gt(json_integer_value(json_object_get(j, "differences")), 0);
	json_t *pars = json_object_get(json_object_get(j, "plan"), "parameters");
	int found = 0;
	size_t i;
	json_t *p;
	json_array_foreach(pars, i, p) found |=
	    !strcmp(json_string_value(json_object_get(p, "key")), "assumptions.us_backing");
	cr_assert(found, "us_backing among the parameters that differ");
	json_decref(j);
	free(js);
	char *html = file_in(o, "compare.html", NULL), *md = file_in(o, "compare.md", NULL);
	char *csv = file_in(o, "compare.csv", NULL);
	cr_assert(strstr(html, "id=\"fig-spend-a") && strstr(html, "id=\"fig-spend-b"));
	cr_assert(strstr(md, "## Plan parameters that differ"));
	cr_assert(strstr(csv, "parameter,assumptions.us_backing,,,,0.5,0,-0.5\r\n"));
	free(html);
	free(md);
	free(csv);

	/* a run against itself */
	cr_assert(asprintf(&args, "compare %s %s -o %s", a, a, o2) > 0);
	must_run(&r, args, 0);
	cr_assert(strstr(r.out, "no differences"), "%s", r.out);
	run_result_release(&r);
	free(args);
	rm_rf(a);
	rm_rf(b);
	rm_rf(o);
	rm_rf(o2);
	free(a);
	free(b);
	free(o);
	free(o2);
}

Test(views, compare_refuses_with_a_clear_message)
{
	struct run_result r;
	char *a = make_tmpdir(), *b = make_tmpdir(), *args = NULL;
	must_run(&r, "compare just-one", 2);
	cr_assert(strstr(r.err, "needs two runs"), "%s", r.err);
	run_result_release(&r);
	must_run(&r, "compare /nonexistent/a /nonexistent/b", 2);
	cr_assert(strstr(r.err, "/nonexistent/a/report.json") || strstr(r.err, "/nonexistent/a"),
		  "%s", r.err);
	cr_assert(strstr(r.err, "cannot read the report"), "%s", r.err);
	run_result_release(&r);

	/* a report of another schema version */
	cr_assert(asprintf(&args, "solve %s/tiny.yaml -q -o %s", PLANS, a) > 0);
	must_run(&r, args, 0);
	run_result_release(&r);
	free(args);
	char *js = file_in(a, "report.json", NULL), *path = NULL;
	json_t *j = json_loads(js, 0, NULL);
	json_object_set_new(j, "schema", json_string("porcupine.report/2"));
	cr_assert(asprintf(&path, "%s/report.json", b) > 0);
	cr_assert_eq(json_dump_file(j, path, 0), 0);
	cr_assert(asprintf(&args, "compare %s %s -q -o %s", a, b, b) > 0);
	must_run(&r, args, 2);
	cr_assert(strstr(r.err, "different schema versions"), "%s", r.err);
	run_result_release(&r);
	free(args);
	/* a plan over other years: tiny against the default plan */
	char *c = make_tmpdir();
	cr_assert(asprintf(&args, "solve -q -o %s", c) > 0);
	must_run(&r, args, 0);
	run_result_release(&r);
	free(args);
	json_t *jt = json_load_file(path, 0, NULL);
	json_t *jd = NULL;
	char *pc = NULL;
	cr_assert(asprintf(&pc, "%s/report.json", c) > 0);
	jd = json_load_file(pc, 0, NULL);
	json_t *ht = json_object_get(json_object_get(jt, "plan"), "horizon");
	json_t *hd = json_object_get(json_object_get(jd, "plan"), "horizon");
	if (!json_equal(ht, hd)) {
		cr_assert(asprintf(&args, "compare %s %s -q -o %s", a, c, b) > 0);
		must_run(&r, args, 2);
		cr_assert(strstr(r.err, "different years"), "%s", r.err);
		run_result_release(&r);
		free(args);
	}
	json_decref(jt);
	json_decref(jd);
	free(pc);
	json_decref(j);
	free(js);
	free(path);
	rm_rf(a);
	rm_rf(b);
	rm_rf(c);
	free(a);
	free(b);
	free(c);
}

Test(views, help_lists_compare)
{
	struct run_result r;
	must_run(&r, "--help", 0);
	cr_assert(strstr(r.out, "compare"));
	run_result_release(&r);
	must_run(&r, "help compare", 0);
	cr_assert(strstr(r.out, "usage: porcupine compare RUN_A RUN_B"));
	run_result_release(&r);
}
