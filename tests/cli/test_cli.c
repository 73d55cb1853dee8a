/* test_cli.c - end-to-end tests of the porcupine command: exit codes, diagnostics, and
 * every rule of the plan checked on the real default plan's solution. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plan.h"
#include "run.h"

#define PLANS PORCUPINE_SOURCE_DIR "/inputs/plans"

/* Run and keep the result in r; fail the test if the binary could not be started. */
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

Test(cli, version_names_solver_and_yaml)
{
	struct run_result r;
	run(&r, "--version");
	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "porcupine ") != NULL);
	cr_assert(strstr(r.out, "GLPK 5.") != NULL, "got: %s", r.out);
	cr_assert(strstr(r.out, "thread-safe build") != NULL, "got: %s", r.out);
	cr_assert(strstr(r.out, "libyaml 0.") != NULL, "got: %s", r.out);
	run_result_release(&r);
}

Test(cli, help_and_usage_errors)
{
	struct run_result r;
	run(&r, "--help");
	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "solve") && strstr(r.out, "check") && strstr(r.out, "export"));
	run_result_release(&r);

	run(&r, "help solve");
	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "usage: porcupine solve") != NULL, "got: %s", r.out);
	run_result_release(&r);

	run(&r, "solve --help");
	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "--time-limit") != NULL);
	run_result_release(&r);

	run(&r, "%s", "");
	cr_assert_eq(r.status, 2);
	run_result_release(&r);

	run(&r, "frobnicate");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "'frobnicate' is not a command") != NULL, "got: %s", r.err);
	run_result_release(&r);

	run(&r, "help frobnicate");
	cr_assert_eq(r.status, 2);
	run_result_release(&r);

	run(&r, "solve --bogus");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "unknown option '--bogus'") != NULL, "got: %s", r.err);
	run_result_release(&r);

	run(&r, "export");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "--format") != NULL);
	run_result_release(&r);

	run(&r, "solve --time-limit abc");
	cr_assert_eq(r.status, 2);
	run_result_release(&r);
}

Test(cli, check_default_and_every_example_plan)
{
	struct run_result r;
	run(&r, "check");
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cr_assert(strstr(r.out, "<default plan>: ok") != NULL, "got: %s", r.out);
	run_result_release(&r);

	DIR *d = opendir(PLANS);
	cr_assert_not_null(d);
	struct dirent *e;
	int n = 0;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".yaml") != 0)
			continue;
		run(&r, "check '%s/%s'", PLANS, e->d_name);
		cr_expect_eq(r.status, 0, "%s: %s", e->d_name, r.err);
		run_result_release(&r);
		n++;
	}
	closedir(d);
	cr_assert_geq(n, 4, "expected the four example plans, found %d", n);
}

Test(cli, check_reports_located_errors_and_exit_2)
{
	char *dir = make_tmpdir();
	char *path;
	cr_assert(asprintf(&path, "%s/bad.yaml", dir) >= 0);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("porcupine: 1\nname: bad\nhorizon: {start: 2030, end: 2026}\n", f);
	fclose(f);

	struct run_result r;
	run(&r, "check '%s'", path);
	cr_assert_eq(r.status, 2);
	char *want;
	cr_assert(asprintf(&want, "%s:3:", path) >= 0);
	cr_assert(strstr(r.err, want) != NULL, "want %s in: %s", want, r.err);
	cr_assert(strstr(r.err, "error:") != NULL);
	cr_assert(strstr(r.err, "^") != NULL, "no caret in: %s", r.err);
	run_result_release(&r);

	run(&r, "check '%s/does-not-exist.yaml'", dir);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "does-not-exist.yaml") != NULL);
	run_result_release(&r);

	unlink(path);
	rmdir(dir);
	free(want);
	free(path);
	free(dir);
}

Test(cli, set_unknown_path_is_bad_input_with_suggestion)
{
	struct run_result r;
	run(&r, "check --set items.iris_t_slm.unit_cots=1m");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "did you mean") != NULL, "got: %s", r.err);
	run_result_release(&r);

	run(&r, "check --set funding.safe.total=banana");
	cr_assert_eq(r.status, 2);
	run_result_release(&r);

	run(&r, "check --set funding.safe.total=120bn");
	cr_assert_eq(r.status, 0, "got: %s", r.err);
	run_result_release(&r);
}

/* ---- the default plan's solution obeys every rule of the plan ---- */

static json_t *solve_default(const char *extra, char **dirp)
{
	char *dir = make_tmpdir();
	struct run_result r;
	run(&r, "solve -q -o '%s' %s", dir, extra ? extra : "");
	cr_assert_eq(r.status, 0, "solve failed: %s", r.err);
	run_result_release(&r);
	char *path;
	cr_assert(asprintf(&path, "%s/report.json", dir) >= 0);
	json_error_t je;
	json_t *j = json_load_file(path, 0, &je);
	cr_assert_not_null(j, "report.json: %s", je.text);
	free(path);
	*dirp = dir;
	return j;
}

static double num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	cr_assert(json_is_number(v), "'%s' is not a number", key);
	return json_number_value(v);
}

static const char *str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	cr_assert(json_is_string(v), "'%s' is not a string", key);
	return json_string_value(v);
}

static double tol(double x)
{
	return 1e-6 * fmax(1.0, fabs(x)) + 1.0;
}

static void rm_rf(const char *dir)
{
	char *cmd;
	if (asprintf(&cmd, "rm -rf '%s'", dir) >= 0) {
		cr_expect_eq(system(cmd), 0);
		free(cmd);
	}
}

Test(cli, default_plan_solution_obeys_every_rule)
{
	struct plan *p;
	struct diag_list dl;
	diag_list_init(&dl);
	cr_assert_eq(plan_load_default(&p, &dl), PLAN_OK);
	diag_list_release(&dl);

	char *dir;
	json_t *j = solve_default(NULL, &dir);
	cr_assert_str_eq(str(j, "schema"), "porcupine.report/1");
	json_t *sol = json_object_get(j, "solution");
	const char *st = str(sol, "status");
	cr_assert(strcmp(st, "optimal") == 0 || strcmp(st, "feasible") == 0, "status %s", st);
	json_t *alloc = json_object_get(sol, "allocation");
	cr_assert(json_array_size(alloc) > 0, "nothing bought");

	size_t ni = p->nitems, nb = p->nbuyers, ns = p->nsources, nt = (size_t)p->nyears;
	double *units_it = calloc(ni * nt, sizeof(double));    /* units per item, year */
	double *eur_it = calloc(ni * nt, sizeof(double));      /* all spend per item, year */
	double *eur_ibst = calloc(ni * nb * ns * nt, sizeof(double));
	double *eur_bs = calloc(nb * ns, sizeof(double));
	double *eur_bs0 = calloc(nb * ns, sizeof(double));     /* first year */
	double *eur_st = calloc(ns * nt, sizeof(double));
	double *eu_st = calloc(ns * nt, sizeof(double));       /* (content - min) weighted */
	cr_assert(units_it && eur_it && eur_ibst && eur_bs && eur_bs0 && eur_st && eu_st);

	size_t k;
	json_t *a;
	json_array_foreach(alloc, k, a) {
		int i = plan_find_item(p, str(a, "item"));
		int b = plan_find_buyer(p, str(a, "buyer"));
		int s = plan_find_source(p, str(a, "source"));
		int t = plan_year_index(p, (int)num(a, "year"));
		cr_assert(i >= 0 && b >= 0 && s >= 0 && t >= 0, "unknown ids in allocation row");
		const struct item *it = &p->items[i];
		const struct funding_source *src = &p->sources[s];
		double units = num(a, "units"), eur = num(a, "eur");
		cr_assert_geq(units, -1e-9);
		cr_assert_geq(eur, -1.0);
		cr_assert_str_eq(str(a, "category"), p->categories[it->category].id);
		/* eligibility: category and buyer */
		int cat_ok = 0, buyer_ok = 0;
		for (size_t c = 0; c < src->ncategories; c++)
			cat_ok |= src->categories[c] == it->category;
		for (size_t c = 0; c < src->nbuyers; c++)
			buyer_ok |= src->buyers[c] == b;
		cr_expect(cat_ok, "%s funds %s outside its categories", src->id, it->id);
		cr_expect(buyer_ok, "%s may not draw on %s", p->buyers[b].id, src->id);
		/* disbursement window */
		if (src->rules.disbursement_until)
			cr_expect_leq(p->start_year + t, src->rules.disbursement_until);
		units_it[i * nt + t] += units;
		eur_it[i * nt + t] += eur;
		eur_ibst[((i * nb + b) * ns + s) * nt + t] += eur;
		eur_bs[b * ns + s] += eur;
		if (t == 0)
			eur_bs0[b * ns + s] += eur;
		eur_st[s * nt + t] += eur;
		eu_st[s * nt + t] += (it->european_content - src->rules.european_content_min) * eur;
	}

	/* industrial capacity per item and year; whole units per lot for integer items */
	for (size_t i = 0; i < ni; i++)
		for (size_t t = 0; t < nt; t++) {
			double cap = p->items[i].capacity.v[t];
			double u = units_it[i * nt + t];
			if (p->items[i].integer)
				cr_expect(fabs(u - round(u)) < 1e-6, "%s %zu: %g units not whole",
					  p->items[i].id, p->start_year + t, u);
			if (cap >= 0)
				cr_expect_leq(units_it[i * nt + t], cap + 1e-6 * fmax(1, cap),
					      "%s %zu: %g units > capacity %g", p->items[i].id,
					      p->start_year + t, units_it[i * nt + t], cap);
		}

	for (size_t s = 0; s < ns; s++) {
		const struct funding_source *src = &p->sources[s];
		double total = 0;
		for (size_t t = 0; t < nt; t++)
			total += eur_st[s * nt + t];
		if (src->total >= 0)
			cr_expect_leq(total, src->total + tol(src->total), "%s over its total",
				      src->id);
		/* per-buyer allocations and pre-financing */
		for (size_t q = 0; q < src->nallocations; q++) {
			int b = src->allocations[q].buyer;
			double amt = src->allocations[q].amount;
			cr_expect_leq(eur_bs[b * ns + s], amt + tol(amt), "%s draws %g > %g on %s",
				      p->buyers[b].id, eur_bs[b * ns + s], amt, src->id);
			if (src->rules.prefinancing_max < 1)
				cr_expect_leq(eur_bs0[b * ns + s],
					      src->rules.prefinancing_max * amt + tol(amt),
					      "%s first-year draw above pre-financing", p->buyers[b].id);
		}
		for (size_t t = 0; t < nt; t++) {
			/* European content of the source's spend */
			if (src->rules.european_content_min > 0)
				cr_expect_geq(eu_st[s * nt + t], -tol(eur_st[s * nt + t]),
					      "%s %zu: European content below %g", src->id,
					      p->start_year + t, src->rules.european_content_min);
			/* lead share of pooled lots after the single-buyer window */
			double lead = src->rules.lead_share_max;
			if (src->rules.min_countries >= 2 && lead >= 1)
				lead = 1.0 - 1.0 / src->rules.min_countries;
			if (lead >= 1 || (int)(p->start_year + t) <= src->rules.single_buyer_until)
				continue;
			for (size_t i = 0; i < ni; i++)
				for (size_t b = 0; b < nb; b++) {
					double e = eur_ibst[((i * nb + b) * ns + s) * nt + t];
					double lot = eur_it[i * nt + t];
					cr_expect_leq(e, lead * lot + tol(lot),
						      "%s buys %g of a %g lot of %s in %zu", p->buyers[b].id,
						      e, lot, p->items[i].id, p->start_year + t);
				}
		}
	}

	/* funding rows: what was spent fits what was available, per source */
	json_t *fund = json_object_get(sol, "funding");
	cr_assert(json_array_size(fund) == ns * nt);
	json_t *f;
	json_array_foreach(fund, k, f) {
		int s = plan_find_source(p, str(f, "source"));
		int t = plan_year_index(p, (int)num(f, "year"));
		cr_assert(s >= 0 && t >= 0);
		double used = num(f, "used_eur");
		cr_expect_leq(eur_st[s * nt + t], used + tol(used), "purchases exceed used_eur");
		cr_expect_leq(used, num(f, "available_eur") + num(f, "carry_in_eur") + tol(used),
			      "%s %d: used more than available", p->sources[s].id, p->start_year + t);
	}

	/* requirements: achieved + shortfall >= target */
	json_t *req = json_object_get(sol, "requirements");
	cr_assert(json_array_size(req) == p->ncapabilities * nt);
	json_array_foreach(req, k, f) {
		double tgt = num(f, "target"), ach = num(f, "achieved"), sh = num(f, "shortfall");
		cr_expect_geq(sh, -1e-6);
		cr_expect_geq(ach + sh, tgt - 1e-6 * fmax(1, fabs(tgt)), "%s %g: %g + %g < %g",
			      str(f, "capability"), num(f, "year"), ach, sh, tgt);
	}

	json_decref(j);
	rm_rf(dir);
	free(dir);
	free(units_it);
	free(eur_it);
	free(eur_ibst);
	free(eur_bs);
	free(eur_bs0);
	free(eur_st);
	free(eu_st);
	plan_free(p);
}

Test(cli, solve_every_example_plan)
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
		struct run_result r;
		run(&r, "solve -q -o '%s' '%s/%s'", dir, PLANS, e->d_name);
		cr_expect_eq(r.status, 0, "%s: %s", e->d_name, r.err);
		run_result_release(&r);
		static const char *const files[] = { "report.json", "allocation.csv",
						     "requirements.csv", "funding.csv", "report.md" };
		for (size_t q = 0; q < sizeof(files) / sizeof(files[0]); q++) {
			char *path;
			cr_assert(asprintf(&path, "%s/%s", dir, files[q]) >= 0);
			cr_expect(access(path, R_OK) == 0, "%s: no %s", e->d_name, files[q]);
			free(path);
		}
		rm_rf(dir);
		free(dir);
		n++;
	}
	closedir(d);
	cr_assert_geq(n, 4);
}

/* Strip the "elapsed_s" line so two runs can be compared byte for byte. */
static char *without_elapsed(char *s)
{
	char *p = strstr(s, "\"elapsed_s\"");
	if (p) {
		char *eol = strpbrk(p, ",\n}");
		if (eol)
			memmove(p, eol, strlen(eol) + 1);
	}
	return s;
}

Test(cli, same_inputs_give_byte_identical_reports)
{
	char *d1, *d2;
	json_decref(solve_default("--set funding.safe.total=140bn", &d1));
	json_decref(solve_default("--set funding.safe.total=140bn", &d2));
	static const char *const files[] = { "report.json", "allocation.csv", "requirements.csv",
					     "funding.csv", "report.md" };
	for (size_t q = 0; q < sizeof(files) / sizeof(files[0]); q++) {
		char *p1, *p2;
		cr_assert(asprintf(&p1, "%s/%s", d1, files[q]) >= 0);
		cr_assert(asprintf(&p2, "%s/%s", d2, files[q]) >= 0);
		char *a = slurp(p1, NULL), *b = slurp(p2, NULL);
		cr_assert(a && b, "%s missing", files[q]);
		cr_expect_str_eq(without_elapsed(a), without_elapsed(b), "%s differs", files[q]);
		free(a);
		free(b);
		free(p1);
		free(p2);
	}
	rm_rf(d1);
	rm_rf(d2);
	free(d1);
	free(d2);
}

/* glpsol, reading the exported MPS, reaches the objective porcupine reports.  Both are
 * asked for the plan's MIP gap: for a MIP each answer is then within that gap of the optimum
 * (in practice they agree to all printed digits); an LP must agree to 1e-6. */
static void export_matches_glpsol(const char *plan, const char *planfile, const char *format)
{
	struct plan *p;
	struct diag_list dl;
	diag_list_init(&dl);
	if (planfile)
		cr_assert_eq(plan_load_file(&p, planfile, &dl), PLAN_OK);
	else
		cr_assert_eq(plan_load_default(&p, &dl), PLAN_OK);
	diag_list_release(&dl);
	double gap = p->solver.mip_gap > 0 ? p->solver.mip_gap : 1e-6;
	plan_free(p);

	char *dir = make_tmpdir();
	char *model, *cmd, *solpath;
	struct run_result r;
	cr_assert(asprintf(&model, "%s/model.%s", dir, format) >= 0);
	run(&r, "export %s --format %s -o '%s'", plan, format, model);
	cr_assert_eq(r.status, 0, "export: %s", r.err);
	run_result_release(&r);

	cr_assert(asprintf(&solpath, "%s/glpsol.txt", dir) >= 0);
	cr_assert(asprintf(&cmd, "glpsol %s '%s' --mipgap %.17g -o '%s' >/dev/null 2>&1",
			   strcmp(format, "mps") == 0 ? "--freemps" : "--lp", model, gap,
			   solpath) >= 0);
	cr_assert_eq(system(cmd), 0, "glpsol failed on %s", model);
	char *text = slurp(solpath, NULL);
	cr_assert_not_null(text);
	char *o = strstr(text, "Objective:");
	cr_assert_not_null(o, "no objective in glpsol output");
	char *eq = strchr(o, '=');
	cr_assert_not_null(eq);
	double glpsol_obj = strtod(eq + 1, NULL);

	char *outdir;
	cr_assert(asprintf(&outdir, "%s/out", dir) >= 0);
	run(&r, "solve -q -o '%s' %s", outdir, plan);
	cr_assert_eq(r.status, 0, "solve: %s", r.err);
	run_result_release(&r);
	char *rep;
	cr_assert(asprintf(&rep, "%s/report.json", outdir) >= 0);
	json_t *j = json_load_file(rep, 0, NULL);
	cr_assert_not_null(j);
	double ours = num(json_object_get(j, "solution"), "objective");
	/* glpsol prints the objective with 10 significant digits */
	cr_expect(fabs(ours - glpsol_obj) <= fmax(1e-6, gap) * fmax(1, fabs(ours)),
		  "%s %s: porcupine %.10g vs glpsol %.10g", plan, format, ours, glpsol_obj);
	json_decref(j);
	free(text);
	rm_rf(dir);
	free(rep);
	free(outdir);
	free(cmd);
	free(solpath);
	free(model);
	free(dir);
}

Test(cli, exported_mps_solved_by_glpsol_reaches_same_objective)
{
	export_matches_glpsol("", NULL, "mps");
	export_matches_glpsol("", NULL, "lp");
	export_matches_glpsol("'" PLANS "/tiny.yaml'", PLANS "/tiny.yaml", "mps");
	export_matches_glpsol("'" PLANS "/tiny.yaml'", PLANS "/tiny.yaml", "lp");
}

/* A hard target beyond what production allows: exit 1, the rules in conflict named, and
 * no report written. */
Test(cli, infeasible_plan_names_the_conflicting_rules)
{
	char *dir = make_tmpdir();
	struct run_result r;
	run(&r, "solve -o '%s/out' '%s/tests/cli/fixtures/infeasible.yaml'", dir,
	    PORCUPINE_SOURCE_DIR);
	cr_assert_eq(r.status, 1, "stderr: %s", r.err);
	cr_expect(strstr(r.err, "hard rules contradict") != NULL, "got: %s", r.err);
	cr_expect(strstr(r.err, "rule 'cap_guns_2027' (>= 7) is missed by 1") != NULL, "got: %s",
		  r.err);
	cr_expect(strstr(r.err, "rule 'capacity_gun_2026' (<= 3)") != NULL, "got: %s", r.err);
	cr_expect(strstr(r.err, "rule 'capacity_gun_2027' (<= 3)") != NULL, "got: %s", r.err);
	run_result_release(&r);
	char *rep;
	cr_assert(asprintf(&rep, "%s/out/report.json", dir) >= 0);
	cr_expect(access(rep, F_OK) != 0, "an infeasible solve wrote %s", rep);
	free(rep);
	rm_rf(dir);
	free(dir);
}

/* A summary that cannot be written (stdout on a full device) fails the command: exit 1 and
 * a message, not a silent 0. */
Test(cli, full_stdout_is_an_error)
{
	char *cmd = NULL;
	cr_assert(asprintf(&cmd,
			   "%s/porcupine check %s/tiny.yaml >/dev/full 2>/dev/null; test $? -eq 1",
			   PORCUPINE_BINARY_DIR, PLANS) > 0);
	cr_assert_eq(access("/dev/full", W_OK), 0, "this test needs /dev/full");
	cr_expect_eq(system(cmd), 0, "check with stdout on /dev/full did not exit 1");
	free(cmd);
}
