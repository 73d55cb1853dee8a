/* test_scenarios.c - `porcupine scenarios` and `export --scenario` end to end: identical
 * files for 1, 2 and 4 threads, interrupt and resume giving the uninterrupted result,
 * Ctrl-C keeping what finished, glpsol reaching the objective scenarios.csv reports, the
 * default plan's report, the results store, failures counted, usage errors. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run.h"

#define PLANS PORCUPINE_SOURCE_DIR "/inputs/plans"
#define TINY  PLANS "/tiny.yaml"

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

static char *file_in(const char *dir, const char *name)
{
	char *path, *s;
	cr_assert(asprintf(&path, "%s/%s", dir, name) > 0);
	s = slurp(path, NULL);
	cr_assert_not_null(s, "cannot read %s", path);
	free(path);
	return s;
}

/* report.json without the lines that may differ between runs of the same inputs. */
static char *json_without_run_fields(const char *dir)
{
	char *s = file_in(dir, "report.json"), *o = malloc(strlen(s) + 1), *w = o;
	for (char *line = s; *line;) {
		char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line + 1) : strlen(line);
		if (!memmem(line, n, "\"elapsed_s\":", 12) &&
		    !memmem(line, n, "\"threads\":", 10)) {
			memcpy(w, line, n);
			w += n;
		}
		line += n;
	}
	*w = '\0';
	free(s);
	return o;
}

static size_t count_lines(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void rm_rf(const char *dir)
{
	char *cmd;
	cr_assert(asprintf(&cmd, "rm -rf '%s'", dir) > 0);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
}

Test(scenarios, same_files_for_1_2_and_4_threads)
{
	char *d[3];
	static const int threads[3] = {1, 2, 4};
	struct run_result r;
	for (int i = 0; i < 3; i++) {
		d[i] = make_tmpdir();
		run(&r, "scenarios %s -n 300 --seed 42 --threads %d -o %s -q", TINY, threads[i],
		    d[i]);
		cr_assert_eq(r.status, 0, "stderr: %s", r.err);
		run_result_release(&r);
	}
	char *csv0 = file_in(d[0], "scenarios.csv"), *json0 = json_without_run_fields(d[0]);
	cr_expect_eq(count_lines(csv0), 301);
	for (int i = 1; i < 3; i++) {
		char *csv = file_in(d[i], "scenarios.csv"), *json = json_without_run_fields(d[i]);
		cr_expect_str_eq(csv, csv0, "scenarios.csv differs with %d threads", threads[i]);
		cr_expect_str_eq(json, json0, "report.json differs with %d threads", threads[i]);
		free(csv);
		free(json);
	}
	free(csv0);
	free(json0);
	for (int i = 0; i < 3; i++) {
		rm_rf(d[i]);
		free(d[i]);
	}
}

Test(scenarios, interrupt_and_resume_give_the_uninterrupted_result)
{
	char *full = make_tmpdir(), *part = make_tmpdir();
	struct run_result r;
	run(&r, "scenarios %s -n 250 --threads 2 -o %s -q", TINY, full);
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	run_result_release(&r);

	/* interrupted after 70 scenarios (as by Ctrl-C): exit 1, reports of what finished */
	cr_assert_eq(setenv("PORCUPINE_SCENARIOS_STOP_AFTER", "70", 1), 0);
	run(&r, "scenarios %s -n 250 --threads 2 -o %s -q", TINY, part);
	unsetenv("PORCUPINE_SCENARIOS_STOP_AFTER");
	cr_expect_eq(r.status, 1);
	cr_expect(strstr(r.err, "interrupted after 70 of 250") != NULL, "stderr: %s", r.err);
	cr_expect(strstr(r.err, "--resume") != NULL);
	run_result_release(&r);
	char *csv = file_in(part, "scenarios.csv");
	cr_expect_eq(count_lines(csv), 71);
	free(csv);
	json_t *j;
	char *path;
	cr_assert(asprintf(&path, "%s/report.json", part) > 0);
	j = json_load_file(path, 0, NULL);
	cr_assert_not_null(j);
	json_t *sc = json_object_get(j, "scenarios");
	cr_expect_eq(json_integer_value(json_object_get(sc, "n")), 70);
	cr_expect_str_eq(json_string_value(json_object_get(sc, "stopped")), "interrupted");
	json_decref(j);
	free(path);

	/* --resume computes only the rest and ends with the same files */
	run(&r, "scenarios %s --threads 1 --resume %s -q", TINY, part);
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	run_result_release(&r);
	char *a = file_in(full, "scenarios.csv"), *b = file_in(part, "scenarios.csv");
	cr_expect_str_eq(a, b);
	free(a);
	free(b);
	a = json_without_run_fields(full);
	b = json_without_run_fields(part);
	cr_expect_str_eq(a, b);
	free(a);
	free(b);

	/* a resumed run takes its parameters from the store */
	run(&r, "scenarios %s -n 10 --resume %s", TINY, part);
	cr_expect_eq(r.status, 2);
	run_result_release(&r);
	run(&r, "scenarios %s/no-us-backing.yaml --resume %s", PLANS, part);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "not the one of the run") != NULL, "stderr: %s", r.err);
	run_result_release(&r);
	run(&r, "scenarios %s --resume %s/nowhere", TINY, part);
	cr_expect_eq(r.status, 2);
	run_result_release(&r);
	rm_rf(full);
	rm_rf(part);
	free(full);
	free(part);
}

/* Objective of glpsol's solution file (the "Objective:  obj = ..." line). */
static double glpsol_objective(const char *mps, double gap)
{
	char *cmd, *out;
	cr_assert(asprintf(&cmd, "glpsol --freemps %s --mipgap %g -o %s.sol >/dev/null 2>&1", mps,
			   gap, mps) > 0);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
	cr_assert(asprintf(&cmd, "%s.sol", mps) > 0);
	out = slurp(cmd, NULL);
	cr_assert_not_null(out);
	char *o = strstr(out, "obj = ");
	cr_assert_not_null(o);
	double v = strtod(o + 6, NULL);
	free(out);
	unlink(cmd);
	free(cmd);
	return v;
}

/* Objective of scenario k in dir/scenarios.csv. */
static double csv_objective(const char *dir, int k)
{
	char *csv = file_in(dir, "scenarios.csv"), *line = csv;
	for (int i = 0; i <= k; i++)
		line = strchr(line, '\n') + 1;
	int id;
	char status[32];
	double obj;
	cr_assert_eq(sscanf(line, "%d,%31[^,],%lf", &id, status, &obj), 3);
	cr_assert_eq(id, k);
	cr_assert_str_eq(status, "optimal");
	free(csv);
	return obj;
}

Test(scenarios, export_scenario_is_what_the_engine_solved)
{
	char *d = make_tmpdir(), *mps;
	struct run_result r;
	run(&r, "scenarios %s -n 30 --seed 17 -o %s -q", TINY, d);
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	run_result_release(&r);
	cr_assert(asprintf(&mps, "%s/s.mps", d) > 0);
	for (int k = 0; k < 30; k += 7) {
		run(&r, "export %s --scenario %d --seed 17 --format mps -o %s", TINY, k, mps);
		cr_assert_eq(r.status, 0, "stderr: %s", r.err);
		run_result_release(&r);
		double want = csv_objective(d, k), got = glpsol_objective(mps, 1e-9);
		cr_expect(fabs(got - want) <= 1e-6 * fabs(want),
			  "scenario %d: glpsol %.10g, csv %.10g", k, got, want);
	}
	/* the nominal model is not scenario 0 */
	run(&r, "export %s --format mps -o %s", TINY, mps);
	cr_assert_eq(r.status, 0);
	run_result_release(&r);
	cr_expect(fabs(glpsol_objective(mps, 1e-9) - 299.2e6) < 1);
	run(&r, "export %s --seed 3 --format mps", TINY);
	cr_expect_eq(r.status, 2);
	run_result_release(&r);
	free(mps);
	rm_rf(d);
	free(d);
}

static long long sql_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s;
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK, "%s: %s", sql,
		     sqlite3_errmsg(db));
	cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
	long long v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

Test(scenarios, default_plan_report_store_and_glpsol)
{
	char *d = make_tmpdir(), *path, *mps;
	struct run_result r;
	run(&r, "scenarios -n 24 --threads 2 -o %s", d);
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cr_expect(strstr(r.out, "24 scenarios") != NULL, "stdout: %s", r.out);
	cr_expect(strstr(r.out, "target met every year") != NULL);
	cr_expect(strcmp(r.err, "") == 0, "stderr not empty without a terminal: %s", r.err);
	run_result_release(&r);

	cr_assert(asprintf(&path, "%s/report.json", d) > 0);
	json_t *j = json_load_file(path, 0, NULL);
	cr_assert_not_null(j);
	json_t *run_ = json_object_get(j, "run"), *sc = json_object_get(j, "scenarios");
	cr_expect_str_eq(json_string_value(json_object_get(run_, "command")), "scenarios");
	cr_expect_eq(json_integer_value(json_object_get(run_, "scenarios")), 24);
	cr_expect_str_eq(
	    json_string_value(json_object_get(json_object_get(j, "solution"), "status")),
	    "optimal");
	cr_assert_not_null(sc);
	cr_expect_eq(json_integer_value(json_object_get(sc, "n")), 24);
	cr_expect_eq(json_integer_value(json_object_get(sc, "solved")) +
			 json_integer_value(json_object_get(sc, "failed")),
		     24);
	cr_expect_eq(json_integer_value(json_object_get(sc, "seed")), 20260531);
	json_t *obj = json_object_get(sc, "objective");
	double p5 = json_real_value(json_object_get(obj, "p5"));
	double p50 = json_real_value(json_object_get(obj, "p50"));
	double p95 = json_real_value(json_object_get(obj, "p95"));
	double se = json_real_value(json_object_get(obj, "stderr"));
	cr_expect(p5 > 1e11 && p5 <= p50 && p50 <= p95, "%g %g %g", p5, p50, p95);
	cr_expect(se > 0);
	json_t *caps = json_object_get(sc, "capabilities");
	cr_expect(json_array_size(caps) > 5);
	for (size_t i = 0; i < json_array_size(caps); i++) {
		json_t *c = json_array_get(caps, i);
		double pm = json_real_value(json_object_get(c, "p_target_met"));
		json_t *sh = json_object_get(c, "shortfall");
		cr_expect(pm >= 0 && pm <= 1);
		cr_expect(json_real_value(json_object_get(sh, "p50")) <=
			  json_real_value(json_object_get(sh, "p95")));
	}
	cr_expect(json_array_size(json_object_get(sc, "categories")) > 3);
	json_t *fund = json_object_get(sc, "funding");
	int saw_safe = 0;
	for (size_t i = 0; i < json_array_size(fund); i++) {
		json_t *f = json_array_get(fund, i);
		if (strcmp(json_string_value(json_object_get(f, "source")), "safe") == 0) {
			saw_safe = 1;
			json_t *mv = json_object_get(f, "marginal_value");
			cr_expect(json_integer_value(json_object_get(mv, "n")) > 0);
		}
	}
	cr_expect(saw_safe);
	json_decref(j);
	free(path);

	char *md = file_in(d, "report.md");
	cr_expect(strstr(md, "## Scenarios") && strstr(md, "**Fragile**") &&
		  strstr(md, "### Capability targets"));
	free(md);

	cr_assert(asprintf(&path, "%s/scenarios.sqlite", d) > 0);
	sqlite3 *db;
	cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	cr_expect_eq(sql_int(db, "SELECT count(*) FROM scenario"), 24);
	cr_expect(sql_int(db, "SELECT count(DISTINCT scenario) FROM allocation") > 20);
	cr_expect(sql_int(db, "SELECT count(*) FROM allocation_named WHERE item = 'iris_t_slm'") >
		  0);
	cr_expect_eq(sql_int(db, "SELECT count(*) FROM scenario_parameter"), 24 * 8);
	sqlite3_close(db);
	free(path);

	/* glpsol on scenario 5 as exported reaches the objective scenarios.csv reports */
	cr_assert(asprintf(&mps, "%s/s5.mps", d) > 0);
	run(&r, "export --scenario 5 --format mps -o %s", mps);
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	run_result_release(&r);
	double want = csv_objective(d, 5), got = glpsol_objective(mps, 1e-6);
	cr_expect(fabs(got - want) <= 2e-6 * fabs(want), "glpsol %.10g, csv %.10g", got, want);
	free(mps);
	rm_rf(d);
	free(d);
}

Test(scenarios, failures_are_counted_with_their_reason)
{
	char *d = make_tmpdir(), *plan, *text = slurp(TINY, NULL);
	cr_assert_not_null(text);
	strstr(text, "\nuncertainty:")[1] = '\0';
	char *pen = strstr(text, "    penalty: 20m\n");
	cr_assert(asprintf(&plan, "%s/hard.yaml", d) > 0);
	FILE *f = fopen(plan, "w");
	fprintf(f,
		"%.*s    hard: true\n%suncertainty:\n  seed: 9\n  parameters:\n"
		"    gun_capacity: {path: items.gun.capacity, dist: uniform, min: 0.5, max: 1.5,"
		" apply: scale}\n",
		(int)(pen - text), text, pen);
	fclose(f);
	struct run_result r;
	run(&r, "scenarios %s -n 60 -o %s", plan, d);
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cr_expect(strstr(r.out, "infeasible") != NULL, "stdout: %s", r.out);
	run_result_release(&r);
	char *csv = file_in(d, "scenarios.csv");
	size_t bad = 0;
	for (char *l = strstr(csv, "\n") + 1; *l; l = strchr(l, '\n') + 1) {
		int id;
		char st[32];
		double f_;
		cr_assert(sscanf(l, "%d,%31[^,],,,,,%lf", &id, st, &f_) >= 2);
		if (strcmp(st, "infeasible") == 0)
			bad++;
	}
	cr_expect(bad > 10 && bad < 50, "%zu infeasible", bad);
	char *md = file_in(d, "report.md");
	char *want;
	cr_assert(asprintf(&want, "%zu failed (%zu infeasible)", bad, bad) > 0);
	cr_expect(strstr(md, want) != NULL, "report.md lacks '%s'", want);
	free(want);
	free(md);
	free(csv);
	free(text);
	free(plan);
	rm_rf(d);
	free(d);
}

Test(scenarios, precision_and_usage)
{
	char *d = make_tmpdir();
	struct run_result r;
	run(&r, "scenarios %s -n 20000 --precision 0.003 -o %s -q", TINY, d);
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	run_result_release(&r);
	char *path;
	cr_assert(asprintf(&path, "%s/report.json", d) > 0);
	json_t *j = json_load_file(path, 0, NULL);
	json_t *sc = json_object_get(j, "scenarios");
	json_int_t n = json_integer_value(json_object_get(sc, "n"));
	cr_expect(n >= 30 && n < 20000, "n = %lld", (long long)n);
	cr_expect_str_eq(json_string_value(json_object_get(sc, "stopped")), "precision");
	cr_expect(json_real_value(json_object_get(sc, "rel_stderr")) < 0.003);
	json_decref(j);
	free(path);

	run(&r, "scenarios %s -n 0", TINY);
	cr_expect_eq(r.status, 2);
	run_result_release(&r);
	run(&r, "scenarios %s --precision 2", TINY);
	cr_expect_eq(r.status, 2);
	run_result_release(&r);
	run(&r, "scenarios %s --threads x", TINY);
	cr_expect_eq(r.status, 2);
	run_result_release(&r);
	run(&r, "help scenarios");
	cr_expect_eq(r.status, 0);
	cr_expect(strstr(r.out, "--resume DIR") != NULL);
	run_result_release(&r);
	rm_rf(d);
	free(d);
}

Test(scenarios, ctrl_c_keeps_and_reports_what_finished)
{
	char *d = make_tmpdir(), *errp, *bin;
	cr_assert(asprintf(&errp, "%s/stderr", d) > 0);
	cr_assert(asprintf(&bin, "%s/porcupine", PORCUPINE_BINARY_DIR) > 0);
	pid_t pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		FILE *e = freopen(errp, "w", stderr);
		(void)e;
		execl(bin, "porcupine", "scenarios", TINY, "-n", "400000", "--threads", "2", "-o",
		      d, "-q", (char *)NULL);
		_exit(127);
	}
	/* let it get going: the store's temporary file appears once the run has started */
	char *tmp;
	cr_assert(asprintf(&tmp, "%s/.scenarios.sqlite.tmp", d) > 0);
	for (int i = 0; i < 200 && access(tmp, F_OK) != 0; i++)
		usleep(50000);
	usleep(500000);
	cr_assert_eq(kill(pid, SIGINT), 0);
	int st;
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFEXITED(st), "killed by the signal instead of stopping cleanly");
	cr_expect_eq(WEXITSTATUS(st), 1);
	char *err = slurp(errp, NULL);
	cr_expect(err && strstr(err, "interrupted after") && strstr(err, "--resume"), "stderr: %s",
		  err ? err : "");
	free(err);
	cr_expect_neq(access(tmp, F_OK), 0, "the temporary store was left behind");

	char *path;
	cr_assert(asprintf(&path, "%s/report.json", d) > 0);
	json_t *j = json_load_file(path, 0, NULL);
	cr_assert_not_null(j);
	json_t *sc = json_object_get(j, "scenarios");
	json_int_t n = json_integer_value(json_object_get(sc, "n"));
	cr_expect(n > 0 && n < 400000, "n = %lld", (long long)n);
	cr_expect_str_eq(json_string_value(json_object_get(sc, "stopped")), "interrupted");
	json_decref(j);
	char *csv = file_in(d, "scenarios.csv");
	cr_expect_eq(count_lines(csv), (size_t)n + 1);
	free(csv);
	free(path);
	free(tmp);
	free(errp);
	free(bin);
	rm_rf(d);
	free(d);
}
