/* test_sensitivity.c - end-to-end tests of the sensitivity commands through the porcupine
 * binary: --set on every command, sweep (monotone in money, the base point equal to solve,
 * byte-identical for any thread count), tornado (each bar's ends equal solve --set), ranging
 * in solve's reports, and both commands on the default plan and every example plan. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run.h"

#define PLANS PORCUPINE_SOURCE_DIR "/inputs/plans"
#define TINY  PLANS "/tiny.yaml"

TestSuite(sens);

static void run(struct run_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void run(struct run_result *r, const char *fmt, ...)
{
	va_list ap;
	char *args;
	va_start(ap, fmt);
	cr_assert(vasprintf(&args, fmt, ap) >= 0);
	va_end(ap);
	cr_assert_eq(run_porcupine(r, args), 0, "could not run porcupine %s", args);
	free(args);
}

/* Run and expect exit status `want`; returns nothing, releases the result. */
static void expect_status(int want, const char *needle, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void expect_status(int want, const char *needle, const char *fmt, ...)
{
	va_list ap;
	char *args;
	struct run_result r;
	va_start(ap, fmt);
	cr_assert(vasprintf(&args, fmt, ap) >= 0);
	va_end(ap);
	cr_assert_eq(run_porcupine(&r, args), 0);
	cr_expect_eq(r.status, want, "porcupine %s: exit %d, stderr: %s", args, r.status, r.err);
	if (needle)
		cr_expect(strstr(r.err, needle) != NULL, "porcupine %s: no '%s' in: %s", args,
			  needle, r.err);
	run_result_release(&r);
	free(args);
}

static json_t *load_json(const char *dir, const char *name)
{
	char *path;
	json_error_t je;
	cr_assert(asprintf(&path, "%s/%s", dir, name) >= 0);
	json_t *j = json_load_file(path, 0, &je);
	cr_assert_not_null(j, "%s: %s", path, je.text);
	free(path);
	return j;
}

static char *read_file(const char *dir, const char *name)
{
	char *path;
	cr_assert(asprintf(&path, "%s/%s", dir, name) >= 0);
	char *s = slurp(path, NULL);
	cr_assert_not_null(s, "cannot read %s", path);
	free(path);
	return s;
}

static void rm_rf(const char *dir)
{
	char *cmd;
	if (asprintf(&cmd, "rm -rf '%s'", dir) >= 0) {
		cr_expect_eq(system(cmd), 0);
		free(cmd);
	}
}

static double num(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	cr_assert(json_is_number(v), "'%s' is not a number", key);
	return json_number_value(v);
}

/* The objective `solve` reports for PLAN (NULL = default) with extra arguments. */
static double solve_objective(const char *plan, const char *extra)
{
	char *dir = make_tmpdir();
	struct run_result r;
	run(&r, "solve -q -o '%s' %s %s", dir, plan ? plan : "", extra ? extra : "");
	cr_assert_eq(r.status, 0, "solve %s failed: %s", extra ? extra : "", r.err);
	run_result_release(&r);
	json_t *j = load_json(dir, "report.json");
	double v = num(json_object_get(j, "solution"), "objective");
	json_decref(j);
	rm_rf(dir);
	free(dir);
	return v;
}

/* ---- --set on every command ------------------------------------------------------------ */

Test(sens, set_on_every_command)
{
	/* every command that reads a plan, with arguments that make it cheap on tiny.yaml */
	static const char *const cmds[] = {
	    "check " TINY,
	    "solve " TINY " -q -o %s",
	    "export " TINY " --format lp -o %s/x.lp",
	    "sweep " TINY " -q --param funding.loan.total --from 0 --to 100m --steps 1 -o %s",
	    "tornado " TINY " -q -o %s",
	    "scenarios " TINY " -q -n 2 -o %s",
	};
	for (size_t k = 0; k < sizeof(cmds) / sizeof(cmds[0]); k++) {
		char *dir = make_tmpdir(), *cmd;
		cr_assert(asprintf(&cmd, cmds[k], dir, dir) >= 0);
		/* an unknown path: exit 2 with a suggestion */
		expect_status(2, "did you mean 'unit_cost'", "%s --set items.shell.unit_cots=1m",
			      cmd);
		/* a value of the wrong type */
		expect_status(2, "funding.loan.total", "%s --set funding.loan.total=banana", cmd);
		expect_status(2, NULL, "%s --set items.gun.integer=maybe", cmd);
		/* a money literal that is fine */
		expect_status(0, NULL, "%s --set funding.loan.total=80m", cmd);
		free(cmd);
		rm_rf(dir);
		free(dir);
	}
}

Test(sens, set_is_applied_before_the_sweep_and_recorded)
{
	char *dir = make_tmpdir();
	struct run_result r;
	/* shells at 2m: the sweep's base point is solve --set of the same */
	run(&r,
	    "sweep " TINY " -q --set items.shell.unit_cost=2m --param funding.loan.total --from "
	    "0 --to 100m --steps 2 -o '%s'",
	    dir);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_result_release(&r);
	json_t *j = load_json(dir, "sweep.json");
	json_t *set = json_object_get(json_object_get(j, "run"), "set");
	cr_assert_eq(json_array_size(set), 1);
	cr_expect_str_eq(json_string_value(json_array_get(set, 0)), "items.shell.unit_cost=2m");
	json_t *pts = json_object_get(j, "points");
	cr_assert_eq(json_array_size(pts), 3);
	cr_expect_eq(num(json_array_get(pts, 2), "objective"),
		     solve_objective(TINY, "--set items.shell.unit_cost=2m"));
	json_decref(j);
	rm_rf(dir);
	free(dir);
}

Test(sens, sweep_and_tornado_usage_errors)
{
	expect_status(2, "--from",
		      "sweep " TINY " --param funding.loan.total --from banana --to 1");
	expect_status(2, "needs --from and --to",
		      "sweep " TINY " --param funding.loan.total --to 1");
	expect_status(2, "--steps",
		      "sweep " TINY " --param funding.loan.total --from 0 --to 1 "
		      "--steps -3");
	expect_status(2, "need --param", "sweep " TINY " --from 0 --to 1");
	expect_status(2, "--param2 needs --param",
		      "sweep " TINY " --param2 funding.loan.total "
		      "--from2 0 --to2 1");
	expect_status(2, "did you mean",
		      "sweep " TINY " --param funding.loan.totl --from 0 --to 1");
	expect_status(2, "whole number",
		      "sweep " TINY " --param items.gun.lead_time --from 0 "
		      "--to 1");
	expect_status(2, "must be", "sweep " TINY " --param funding.loan.total --from -5 --to 1");
	expect_status(2, "is not in this plan", "sweep " TINY);
	expect_status(2, "unknown option", "sweep " TINY " --bogus");
	expect_status(2, "--quantiles", "tornado " TINY " --quantiles 0.9,0.1");
	expect_status(2, "unknown option", "tornado " TINY " --bogus");
	expect_status(2, "one plan at a time", "tornado " TINY " " TINY);
}

/* ---- sweep ----------------------------------------------------------------------------- */

/* sweep.csv rows as text lines (header first); caller frees with free(lines[0]), free(lines). */
static char **csv_lines(char *text, size_t *n)
{
	size_t cap = 16;
	char **v = malloc(cap * sizeof(*v));
	*n = 0;
	for (char *s = text; s && *s;) {
		char *e = strstr(s, "\r\n");
		if (e)
			*e = '\0';
		if (*n == cap)
			v = realloc(v, (cap *= 2) * sizeof(*v));
		v[(*n)++] = s;
		s = e ? e + 2 : NULL;
	}
	return v;
}

Test(sens, tiny_sweep_files_and_same_bytes_for_any_thread_count)
{
	char *d1 = make_tmpdir(), *d2 = make_tmpdir();
	struct run_result r;
	const char *args =
	    "--param funding.loan.total --from 0 --to 100m --steps 5 "
	    "--param2 items.shell.unit_cost --scale2 --from2 0.8 --to2 1.2 --steps2 2";
	run(&r, "sweep " TINY " %s -j 1 -o '%s'", args, d1);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.out, "funding.loan.total") != NULL);
	run_result_release(&r);
	run(&r, "sweep " TINY " %s -j 2 -q -o '%s'", args, d2);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect_str_eq(r.out, "");
	run_result_release(&r);
	static const char *const files[] = {"sweep.csv", "sweep.json", "sweep.svg",
					    "sweep_shortfalls.svg"};
	for (size_t k = 0; k < 4; k++) {
		char *a = read_file(d1, files[k]), *b = read_file(d2, files[k]);
		cr_expect_str_eq(a, b, "%s differs between 1 and 2 threads", files[k]);
		if (strstr(files[k], ".svg"))
			cr_expect(strncmp(a, "<svg", 4) == 0, "%s is not an SVG", files[k]);
		free(a);
		free(b);
	}
	char *csv = read_file(d1, "sweep.csv");
	size_t n;
	char **lines = csv_lines(csv, &n);
	cr_assert_eq(n, 1 + 6 * 3, "header + 18 points, got %zu lines", n);
	cr_expect_str_eq(lines[0],
			 "funding.loan.total,items.shell.unit_cost (x),status,objective,"
			 "total_spend_eur,purchase_eur,personnel_eur,shortfall_cost,shortfall.ammo,"
			 "shortfall.guns,spend.kit,used.loan,used.budget");
	cr_expect(strncmp(lines[1], "0,0.80000000000000004,optimal,", 30) == 0, "%s", lines[1]);
	free(lines);
	free(csv);
	rm_rf(d1);
	rm_rf(d2);
	free(d1);
	free(d2);
}

/* The ready-made question on the default plan: SAFE's total from 0 to its 150bn.  More money
 * never makes the objective worse; the plan's own 150bn reproduces solve exactly. */
Test(sens, default_plan_safe_sweep_is_monotone_and_reproduces_solve)
{
	char *dir = make_tmpdir();
	struct run_result r;
	run(&r, "sweep -o '%s'", dir);
	cr_assert(r.status == 0, "%s", r.err);
	cr_expect(strstr(r.out, "funding.safe.total") != NULL, "%s", r.out);
	run_result_release(&r);
	json_t *j = load_json(dir, "sweep.json");
	json_t *par = json_array_get(json_object_get(j, "parameters"), 0);
	cr_expect_str_eq(json_string_value(json_object_get(par, "path")), "funding.safe.total");
	json_t *pts = json_object_get(j, "points");
	cr_assert_eq(json_array_size(pts), 16);
	double prev = NAN;
	size_t solved = 0;
	for (size_t i = 0; i < 16; i++) {
		json_t *pt = json_array_get(pts, i);
		const char *st = json_string_value(json_object_get(pt, "status"));
		cr_expect_eq(json_number_value(json_array_get(json_object_get(pt, "values"), 0)),
			     1e10 * (double)i);
		if (strcmp(st, "optimal") != 0)
			continue; /* recorded with its status (see the report) */
		double v = num(pt, "objective");
		/* MIP solutions are optimal within the plan's relative gap (1e-6) */
		if (!isnan(prev))
			cr_expect_leq(v, prev + 2e-6 * fabs(prev),
				      "objective rose to %.17g at %zu0bn", v, i);
		prev = v;
		solved++;
	}
	cr_expect_geq(solved, 14);
	json_t *last = json_array_get(pts, 15);
	cr_assert_str_eq(json_string_value(json_object_get(last, "status")), "optimal");
	cr_expect_eq(num(last, "objective"), solve_objective(NULL, NULL),
		     "the 150bn point is the plan as it is");
	/* steps: one per pair of neighbours, with the capability gained */
	cr_expect_eq(json_array_size(json_object_get(j, "steps")), 15);
	json_decref(j);
	rm_rf(dir);
	free(dir);
}

Test(sens, sweep_with_scenarios_on_tiny)
{
	char *dir = make_tmpdir();
	struct run_result r;
	run(&r,
	    "sweep " TINY " -q --param funding.loan.total --from 0 --to 100m --steps 2 -n 16 "
	    "--seed 3 -o '%s'",
	    dir);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_result_release(&r);
	json_t *j = load_json(dir, "sweep.json");
	cr_expect_eq(num(json_object_get(j, "run"), "scenarios"), 16);
	json_t *pts = json_object_get(j, "points");
	for (size_t i = 0; i < 3; i++) {
		json_t *sc = json_object_get(json_array_get(pts, i), "scenarios");
		cr_assert(json_is_object(sc));
		cr_expect_eq(num(sc, "solved"), 16);
		if (i)
			cr_expect_leq(num(json_array_get(pts, i), "objective"),
				      num(json_array_get(pts, i - 1), "objective") * (1 + 1e-9));
	}
	json_decref(j);
	rm_rf(dir);
	free(dir);
}

/* ---- tornado --------------------------------------------------------------------------- */

static json_t *bar_of(json_t *bars, const char *id)
{
	size_t k;
	json_t *b;
	json_array_foreach(bars, k,
			   b) if (strcmp(json_string_value(json_object_get(b, "parameter")), id) ==
				  0) return b;
	cr_assert_fail("no bar '%s'", id);
	return NULL;
}

Test(sens, default_plan_tornado_ends_equal_solve_set)
{
	char *dir = make_tmpdir(), *d1 = make_tmpdir();
	struct run_result r;
	run(&r, "tornado -o '%s'", dir);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.out, "us_backing") != NULL, "%s", r.out);
	run_result_release(&r);

	json_t *rep = load_json(dir, "report.json");
	json_t *t = json_object_get(rep, "tornado");
	cr_assert(json_is_object(t), "report.json has no tornado section");
	cr_expect_eq(num(t, "base_objective"), num(json_object_get(rep, "solution"), "objective"));
	cr_expect_eq(num(t, "base_objective"), solve_objective(NULL, NULL));
	json_t *bars = json_object_get(t, "bars");
	cr_assert_eq(json_array_size(bars), 8);
	for (size_t k = 1; k < 8; k++)
		cr_expect_geq(num(json_array_get(bars, k - 1), "swing"),
			      num(json_array_get(bars, k), "swing"), "sorted by swing");
	/* the ends of the bars whose parameter sets one number, against solve --set */
	static const char *const ids[] = {"us_backing", "raid_rate"};
	for (size_t k = 0; k < 2; k++) {
		json_t *b = bar_of(bars, ids[k]);
		const char *path = json_string_value(json_object_get(b, "path"));
		cr_assert_str_eq(json_string_value(json_object_get(b, "apply")), "set");
		for (int end = 0; end < 2; end++) {
			char *set;
			cr_assert(asprintf(&set, "--set %s=%.17g", path,
					   num(b, end ? "high" : "low")) >= 0);
			cr_expect_eq(solve_objective(NULL, set),
				     num(b, end ? "objective_high" : "objective_low"), "%s %s",
				     ids[k], set);
			free(set);
		}
		cr_expect_eq(num(b, "swing"),
			     fabs(num(b, "objective_high") - num(b, "objective_low")));
	}
	json_decref(rep);
	/* tornado.json carries the same section; tornado.csv one row per bar */
	json_t *tj = load_json(dir, "tornado.json");
	cr_expect_str_eq(json_string_value(json_object_get(tj, "schema")), "porcupine.tornado/1");
	cr_expect_eq(json_array_size(json_object_get(json_object_get(tj, "tornado"), "bars")), 8);
	json_decref(tj);
	char *csv = read_file(dir, "tornado.csv");
	size_t n;
	char **lines = csv_lines(csv, &n);
	cr_expect_eq(n, 9);
	cr_expect(strncmp(lines[0], "rank,parameter,path,apply,dist,low,high,objective_low,", 53) ==
		  0);
	free(lines);
	free(csv);
	char *svg = read_file(dir, "tornado.svg");
	cr_expect(strncmp(svg, "<svg", 4) == 0 && strstr(svg, "us_backing") != NULL);
	free(svg);
	rm_rf(dir);
	rm_rf(d1);
	free(dir);
	free(d1);
}

Test(sens, tiny_tornado_same_bytes_for_any_thread_count)
{
	char *d1 = make_tmpdir(), *d2 = make_tmpdir();
	struct run_result r;
	run(&r, "tornado " TINY " -q -j 1 -o '%s'", d1);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_result_release(&r);
	run(&r, "tornado " TINY " -q -j 2 -o '%s'", d2);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_result_release(&r);
	static const char *const files[] = {"tornado.csv", "tornado.json", "tornado.svg",
					    "ranging.csv"};
	for (size_t k = 0; k < 4; k++) {
		char *a = read_file(d1, files[k]), *b = read_file(d2, files[k]);
		cr_expect_str_eq(a, b, "%s differs between 1 and 2 threads", files[k]);
		free(a);
		free(b);
	}
	/* the bar's ends are solve --set of the scaled unit cost */
	json_t *tj = load_json(d1, "tornado.json");
	json_t *b = json_array_get(json_object_get(json_object_get(tj, "tornado"), "bars"), 0);
	for (int end = 0; end < 2; end++) {
		char *set;
		cr_assert(asprintf(&set, "--set items.shell.unit_cost=%.17g",
				   1e6 * num(b, end ? "high" : "low")) >= 0);
		cr_expect_eq(solve_objective(TINY, set),
			     num(b, end ? "objective_high" : "objective_low"), "%s", set);
		free(set);
	}
	json_decref(tj);
	rm_rf(d1);
	rm_rf(d2);
	free(d1);
	free(d2);
}

/* ---- ranging in solve's reports --------------------------------------------------------- */

Test(sens, solve_reports_ranging)
{
	char *dir = make_tmpdir();
	struct run_result r;
	run(&r, "solve " TINY " -q -o '%s'", dir);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_result_release(&r);
	json_t *j = load_json(dir, "report.json");
	json_t *rg = json_object_get(j, "ranging");
	cr_assert(json_is_object(rg), "report.json has no ranging");
	cr_expect_str_eq(json_string_value(json_object_get(rg, "basis")), "lp_with_lots_fixed");
	json_t *rows = json_object_get(rg, "rows"), *w, *ammo = NULL, *bud = NULL;
	size_t k;
	json_array_foreach(rows, k, w)
	{
		const char *name = json_string_value(json_object_get(w, "name"));
		if (strcmp(name, "cap_ammo_2026") == 0)
			ammo = w;
		if (strcmp(name, "fund_budget_2026") == 0)
			bud = w;
	}
	cr_assert(ammo && bud);
	cr_expect_str_eq(json_string_value(json_object_get(ammo, "kind")), "capability");
	cr_expect_str_eq(json_string_value(json_object_get(ammo, "capability")), "ammo");
	cr_expect(fabs(num(ammo, "price") - 3e6) < 1e-3);
	cr_expect(fabs(num(ammo, "lo") - 60) < 1e-9);
	cr_expect(json_is_null(json_object_get(ammo, "hi")), "no upper limit is null");
	cr_expect(fabs(num(bud, "price") - 0.1) < 1e-9);
	cr_expect(fabs(num(bud, "lo") - 30e6) < 1e-3 && fabs(num(bud, "hi") - 90e6) < 1e-3);
	/* the shadow price agrees with two solves inside its range */
	double d = solve_objective(TINY, "--set capabilities.ammo.target.2026=70") -
		   solve_objective(TINY, NULL);
	cr_expect(fabs(d - (-10) * num(ammo, "price")) < 1e-3, "finite difference %.17g", d);
	cr_expect_gt(json_array_size(json_object_get(rg, "costs")), 0);
	json_decref(j);
	char *csv = read_file(dir, "ranging.csv");
	static const char head[] =
	    "kind,name,source,buyer,item,capability,year,value,lo,hi,activity,price\r\n";
	cr_expect(strncmp(csv, head, sizeof(head) - 1) == 0);
	cr_expect(strstr(csv, "capability,cap_ammo_2026,,,,ammo,2026,80,60,,") != NULL);
	free(csv);
	char *md = read_file(dir, "report.md");
	cr_expect(strstr(md, "## Most binding") != NULL && strstr(md, "| target ammo |") != NULL);
	free(md);
	rm_rf(dir);
	free(dir);
}

/* ---- every example plan ---------------------------------------------------------------- */

Test(sens, sweep_and_tornado_on_every_example_plan)
{
	DIR *d = opendir(PLANS);
	cr_assert_not_null(d);
	struct dirent *e;
	int n = 0;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".yaml") != 0)
			continue;
		char *dir = make_tmpdir();
		int tiny = strcmp(e->d_name, "tiny.yaml") == 0;
		struct run_result r;
		/* tiny has no SAFE: sweep its loan; the others take the ready-made SAFE sweep */
		run(&r, "sweep '%s/%s' -q %s --steps 2 -o '%s'", PLANS, e->d_name,
		    tiny ? "--param funding.loan.total --from 0 --to 100m"
			 : "--param funding.safe.total --from 0 --to 150bn",
		    dir);
		cr_expect_eq(r.status, 0, "sweep %s: %s", e->d_name, r.err);
		run_result_release(&r);
		run(&r, "tornado '%s/%s' -q -o '%s'", PLANS, e->d_name, dir);
		cr_expect_eq(r.status, 0, "tornado %s: %s", e->d_name, r.err);
		run_result_release(&r);
		json_t *t = load_json(dir, "tornado.json");
		cr_expect_gt(
		    json_array_size(json_object_get(json_object_get(t, "tornado"), "bars")), 0,
		    "%s", e->d_name);
		json_decref(t);
		rm_rf(dir);
		free(dir);
		n++;
	}
	closedir(d);
	cr_assert_geq(n, 4);
}
