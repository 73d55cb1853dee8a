/* test_lp.c - the GLPK backend (lp.h) on small LPs and MIPs whose answers are known by hand:
 * duals, infeasible and unbounded models, integrality tolerance, MIP duals by fixing,
 * rejection of non-finite numbers, silence on stdout, recovery from a GLPK error, and
 * concurrent solves on OpenMP threads. */
#define _GNU_SOURCE /* F_SETPIPE_SZ */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <glpk.h> /* only to impose a GLPK memory limit in the error-hook test */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lp.h"

#define EPS 1e-9

static const struct lpm_tag NOTAG = {0, -1, -1, -1, -1};

static void fini(void)
{
	lp_thread_done();
}

TestSuite(lp, .fini = fini);

/* min 2x + 3y + 10  s.t.  r1: x + y >= 4,  r2: x + 3y >= 6,  x, y >= 0.
 * Optimum x = 3, y = 1, objective 19; duals y1 = 1.5, y2 = 0.5. */
static struct lpm *lp_small_min(void)
{
	struct lpm *m = lpm_new("small_min");
	cr_assert_not_null(m);
	m->obj_const = 10;
	int x = lpm_add_col(m, "x", LPM_LO, 0, 0, 2, 0, NOTAG);
	int y = lpm_add_col(m, "y", LPM_LO, 0, 0, 3, 0, NOTAG);
	int r1 = lpm_add_row(m, "r1", LPM_LO, 4, 0, NOTAG);
	int r2 = lpm_add_row(m, "r2", LPM_LO, 6, 0, NOTAG);
	cr_assert(x >= 0 && y >= 0 && r1 >= 0 && r2 >= 0);
	cr_assert_eq(lpm_add_nz(m, r1, x, 1), 0);
	cr_assert_eq(lpm_add_nz(m, r1, y, 1), 0);
	cr_assert_eq(lpm_add_nz(m, r2, x, 1), 0);
	cr_assert_eq(lpm_add_nz(m, r2, y, 3), 0);
	cr_assert_eq(lpm_finish(m), 0);
	return m;
}

Test(lp, version_and_tls)
{
	cr_expect_eq(strncmp(lp_solver_version(), "GLPK 5", 6), 0, "version '%s'",
		     lp_solver_version());
	cr_expect(lp_solver_thread_safe(), "GLPK is not the thread-local-storage build");
}

Test(lp, minimise_with_known_duals)
{
	struct lpm *m = lp_small_min();
	struct solution s;
	struct lp_opts o = LP_OPTS_INIT;

	cr_assert_eq(lp_solve(&s, m, &o), 0);
	cr_assert_eq(s.status, SOL_OPTIMAL, "status %s: %s", sol_status_name(s.status),
		     s.message ? s.message : "");
	cr_expect_float_eq(s.objective, 19.0, EPS);
	cr_expect_float_eq(s.x[0], 3.0, EPS);
	cr_expect_float_eq(s.x[1], 1.0, EPS);
	cr_assert(s.has_duals);
	cr_expect_float_eq(s.y[0], 1.5, EPS);
	cr_expect_float_eq(s.y[1], 0.5, EPS);
	cr_expect_float_eq(s.dj[0], 0.0, EPS);
	cr_expect_float_eq(s.dj[1], 0.0, EPS);
	cr_expect_eq(s.mip_gap, 0.0);
	cr_expect_gt(s.iterations, 0);
	cr_expect_null(s.violation);
	cr_expect_lt(s.max_violation, 1e-9);
	cr_assert_not_null(s.act);
	cr_expect_float_eq(s.act[0], 4.0, EPS);
	cr_expect_float_eq(s.act[1], 6.0, EPS);
	solution_release(&s);
	lpm_free(m);
}

/* max 3x + 2y  s.t.  r1: x + y <= 4,  r2: x + 3y <= 9,  r3: x <= 3 (a row), x, y >= 0.
 * Optimum x = 3, y = 1, objective 11; duals d obj / d rhs: r1 = 2, r2 = 0, r3 = 1. */
Test(lp, maximise_dual_signs)
{
	struct lpm *m = lpm_new("small_max");
	struct solution s;

	m->minimize = 0;
	int x = lpm_add_col(m, "x", LPM_LO, 0, 0, 3, 0, NOTAG);
	int y = lpm_add_col(m, "y", LPM_LO, 0, 0, 2, 0, NOTAG);
	int r1 = lpm_add_row(m, "r1", LPM_UP, 0, 4, NOTAG);
	int r2 = lpm_add_row(m, "r2", LPM_UP, 0, 9, NOTAG);
	int r3 = lpm_add_row(m, "r3", LPM_UP, 0, 3, NOTAG);
	lpm_add_nz(m, r1, x, 1);
	lpm_add_nz(m, r1, y, 1);
	lpm_add_nz(m, r2, x, 1);
	lpm_add_nz(m, r2, y, 3);
	lpm_add_nz(m, r3, x, 1);
	cr_assert_eq(lpm_finish(m), 0);

	cr_assert_eq(lp_solve(&s, m, NULL), 0);
	cr_assert_eq(s.status, SOL_OPTIMAL);
	cr_expect_float_eq(s.objective, 11.0, EPS);
	cr_expect_float_eq(s.y[0], 2.0, EPS);
	cr_expect_float_eq(s.y[1], 0.0, EPS);
	cr_expect_float_eq(s.y[2], 1.0, EPS);
	solution_release(&s);
	lpm_free(m);
}

Test(lp, infeasible_is_a_status_not_a_crash)
{
	struct lpm *m = lpm_new("infeasible");
	struct solution s;

	int x = lpm_add_col(m, "x", LPM_LO, 0, 0, 1, 0, NOTAG);
	int y = lpm_add_col(m, "y", LPM_LO, 0, 0, 1, 0, NOTAG);
	int r = lpm_add_row(m, "r", LPM_UP, 0, -1, NOTAG);
	lpm_add_nz(m, r, x, 1);
	lpm_add_nz(m, r, y, 1);
	cr_assert_eq(lpm_finish(m), 0);

	cr_assert_eq(lp_solve(&s, m, NULL), 0);
	cr_expect_eq(s.status, SOL_INFEASIBLE, "status %s", sol_status_name(s.status));
	cr_expect_null(s.x);
	cr_expect_not_null(s.message);
	solution_release(&s);
	lpm_free(m);
}

Test(lp, infeasible_bounds_detected_before_glpk)
{
	struct lpm *m = lpm_new("bad_bounds");
	struct solution s;

	int x = lpm_add_col(m, "x", LPM_DB, 0, 1, 1, 0, NOTAG);
	int r = lpm_add_row(m, "r", LPM_DB, 5, 2, NOTAG);
	lpm_add_nz(m, r, x, 1);
	cr_assert_eq(lpm_finish(m), 0);
	cr_assert_eq(lp_solve(&s, m, NULL), 0);
	cr_expect_eq(s.status, SOL_INFEASIBLE);
	cr_assert_not_null(s.message);
	cr_expect_not_null(strstr(s.message, "'r'"), "%s", s.message);
	solution_release(&s);
	lpm_free(m);
}

Test(lp, unbounded)
{
	struct lpm *m = lpm_new("unbounded");
	struct solution s;

	m->minimize = 0;
	int x = lpm_add_col(m, "x", LPM_LO, 0, 0, 1, 0, NOTAG);
	int y = lpm_add_col(m, "y", LPM_LO, 0, 0, 1, 0, NOTAG);
	int r = lpm_add_row(m, "r", LPM_UP, 0, 1, NOTAG);
	lpm_add_nz(m, r, x, 1);
	lpm_add_nz(m, r, y, -1);
	cr_assert_eq(lpm_finish(m), 0);
	cr_assert_eq(lp_solve(&s, m, NULL), 0);
	cr_expect_eq(s.status, SOL_UNBOUNDED, "status %s", sol_status_name(s.status));
	cr_expect_null(s.x);
	solution_release(&s);
	lpm_free(m);
}

/* |bound| >= LPM_INF is no bound: min x with x >= -1e30 and row x >= -5 gives -5. */
Test(lp, huge_bounds_mean_no_bound)
{
	struct lpm *m = lpm_new("free");
	struct solution s;

	int x = lpm_add_col(m, "x", LPM_DB, -LPM_INF, LPM_INF, 1, 0, NOTAG);
	int r = lpm_add_row(m, "r", LPM_DB, -5, 2 * LPM_INF, NOTAG);
	lpm_add_nz(m, r, x, 1);
	cr_assert_eq(lpm_finish(m), 0);
	cr_assert_eq(lp_solve(&s, m, NULL), 0);
	cr_assert_eq(s.status, SOL_OPTIMAL);
	cr_expect_float_eq(s.x[0], -5.0, EPS);
	solution_release(&s);
	lpm_free(m);
}

/* max 2e6 a + b  s.t.  1e6 a + 3 b <= 999995,  a, b binary.
 * The LP relaxation has a = 0.999995, which GLPK's default tol_int (1e-5) accepts as the
 * integer 1: an "optimal" answer that breaks the budget by 5.  The true optimum is a = 0,
 * b = 1, objective 1. */
static struct lpm *lp_tolerance_trap(void)
{
	struct lpm *m = lpm_new("knapsack_trap");
	m->minimize = 0;
	int a = lpm_add_col(m, "a", LPM_DB, 0, 1, 2e6, 1, NOTAG);
	int b = lpm_add_col(m, "b", LPM_DB, 0, 1, 1, 1, NOTAG);
	int r = lpm_add_row(m, "budget", LPM_UP, 0, 999995, NOTAG);
	lpm_add_nz(m, r, a, 1e6);
	lpm_add_nz(m, r, b, 3);
	cr_assert_eq(lpm_finish(m), 0);
	return m;
}

Test(lp, mip_integrality_tolerance)
{
	struct lpm *m = lp_tolerance_trap();
	struct solution s;
	struct lp_opts o = LP_OPTS_INIT;

	cr_assert_eq(lp_solve(&s, m, &o), 0);
	cr_assert_eq(s.status, SOL_OPTIMAL, "status %s: %s", sol_status_name(s.status),
		     s.message ? s.message : "");
	cr_expect_eq(s.x[0], 0.0);
	cr_expect_eq(s.x[1], 1.0);
	cr_expect_float_eq(s.objective, 1.0, EPS);
	solution_release(&s);

	/* GLPK's default tolerance: the wrong answer must be caught by the re-check. */
	o.tol_int = 1e-5;
	cr_assert_eq(lp_solve(&s, m, &o), 0);
	cr_expect_neq(s.status, SOL_OPTIMAL, "default tol_int answer passed as optimal");
	cr_expect_eq(s.status, SOL_FAILED);
	cr_expect_not_null(s.violation);
	cr_expect_not_null(s.message);
	solution_release(&s);
	lpm_free(m);
}

/* min 5x + 2y  s.t.  2x + y >= 7,  x integer in [0, 10],  y in [0, 2].
 * MIP optimum x = 3, y = 1, objective 17.  With x fixed at 3, the demand row is met at the
 * margin by y: its dual is 2; the reduced cost of x is 5 - 2 * 2 = 1. */
Test(lp, mip_duals_by_fixing)
{
	struct lpm *m = lpm_new("mip_duals");
	struct solution s;
	struct lp_opts o = LP_OPTS_INIT;

	int x = lpm_add_col(m, "x", LPM_DB, 0, 10, 5, 1, NOTAG);
	int y = lpm_add_col(m, "y", LPM_DB, 0, 2, 2, 0, NOTAG);
	int r = lpm_add_row(m, "demand", LPM_LO, 7, 0, NOTAG);
	lpm_add_nz(m, r, x, 2);
	lpm_add_nz(m, r, y, 1);
	cr_assert_eq(lpm_finish(m), 0);

	cr_assert_eq(lp_solve(&s, m, &o), 0);
	cr_assert_eq(s.status, SOL_OPTIMAL);
	cr_expect_eq(s.x[0], 3.0);
	cr_expect_float_eq(s.x[1], 1.0, EPS);
	cr_expect_float_eq(s.objective, 17.0, EPS);
	cr_assert(s.has_duals);
	cr_expect_float_eq(s.y[0], 2.0, EPS);
	cr_expect_float_eq(s.dj[0], 1.0, EPS);
	cr_expect_float_eq(s.dj[1], 0.0, EPS);
	solution_release(&s);

	o.want_duals = 0;
	cr_assert_eq(lp_solve(&s, m, &o), 0);
	cr_assert_eq(s.status, SOL_OPTIMAL);
	cr_expect_not(s.has_duals);
	cr_expect_null(s.y);
	cr_expect_null(s.dj);
	cr_expect_float_eq(s.objective, 17.0, EPS);
	solution_release(&s);
	lpm_free(m);
}

/* An integer column's fractional bounds are rounded inwards: x in [0.5, 2.7] -> x <= 2. */
Test(lp, integer_bounds_rounded_inwards)
{
	struct lpm *m = lpm_new("int_bounds");
	struct solution s;

	m->minimize = 0;
	lpm_add_col(m, "x", LPM_DB, 0.5, 2.7, 1, 1, NOTAG);
	cr_assert_eq(lpm_finish(m), 0);
	cr_assert_eq(lp_solve(&s, m, NULL), 0);
	cr_assert_eq(s.status, SOL_OPTIMAL, "%s", s.message ? s.message : "");
	cr_expect_eq(s.x[0], 2.0);
	solution_release(&s);

	m->cols[0].lb = 2.2;
	m->cols[0].ub = 2.7;
	cr_assert_eq(lp_solve(&s, m, NULL), 0);
	cr_expect_eq(s.status, SOL_INFEASIBLE);
	solution_release(&s);
	lpm_free(m);
}

/* Every way a non-finite number can reach the model is refused before GLPK sees it
 * (GLPK would abort on a NaN bound, or call a NaN objective optimal). */
Test(lp, non_finite_numbers_rejected)
{
	struct lpm *m = lp_small_min();
	struct solution s;
	double *slots[] = {&m->nz[0].val, &m->cols[1].obj, &m->cols[0].lb, &m->rows[1].lb,
			   &m->obj_const};
	double bad[] = {NAN, INFINITY, -INFINITY};

	for (size_t k = 0; k < sizeof(slots) / sizeof(slots[0]); k++)
		for (size_t b = 0; b < sizeof(bad) / sizeof(bad[0]); b++) {
			double keep = *slots[k];
			*slots[k] = bad[b];
			cr_assert_eq(lp_solve(&s, m, NULL), 0);
			cr_expect_eq(s.status, SOL_FAILED, "slot %zu value %g: status %s", k,
				     bad[b], sol_status_name(s.status));
			cr_expect_not_null(s.message);
			if (s.message)
				cr_expect_not_null(strstr(s.message, "finite"), "%s", s.message);
			cr_expect_null(s.x);
			solution_release(&s);
			*slots[k] = keep;
		}

	/* Out-of-range triplet indices are refused too. */
	m->nz[0].row = 7;
	cr_assert_eq(lp_solve(&s, m, NULL), 0);
	cr_expect_eq(s.status, SOL_FAILED);
	solution_release(&s);
	m->nz[0].row = 0;

	/* And the model still solves once repaired. */
	cr_assert_eq(lp_solve(&s, m, NULL), 0);
	cr_expect_eq(s.status, SOL_OPTIMAL);
	solution_release(&s);
	lpm_free(m);
}

/* Triplets that were never merged by lpm_finish: GLPK aborts on duplicate (row, col); the
 * backend sums them (and drops pairs that cancel). */
Test(lp, duplicate_triplets_are_summed)
{
	struct lpm *m = lp_small_min();
	struct solution s;
	struct lpm_nz *nz = realloc(m->nz, (m->nnz + 3) * sizeof(*nz));

	cr_assert_not_null(nz);
	m->nz = nz;
	m->nz_alloc = m->nnz + 3;
	/* r2: x + 3y  ->  x + (1 + 2)y, and a +4/-4 pair on (r1, x) */
	for (size_t k = 0; k < m->nnz; k++)
		if (nz[k].row == 1 && nz[k].col == 1)
			nz[k].val = 1;
	nz[m->nnz++] = (struct lpm_nz){1, 1, 2};
	nz[m->nnz++] = (struct lpm_nz){0, 0, 4};
	nz[m->nnz++] = (struct lpm_nz){0, 0, -4};
	cr_assert_eq(lp_solve(&s, m, NULL), 0);
	cr_assert_eq(s.status, SOL_OPTIMAL, "%s", s.message ? s.message : "");
	cr_expect_float_eq(s.objective, 19.0, EPS);
	solution_release(&s);
	lpm_free(m);
}

Test(lp, empty_model)
{
	struct lpm *m = lpm_new("empty");
	struct solution s;

	m->obj_const = 42;
	cr_assert_eq(lpm_finish(m), 0);
	cr_assert_eq(lp_solve(&s, m, NULL), 0);
	cr_expect_eq(s.status, SOL_OPTIMAL);
	cr_expect_float_eq(s.objective, 42.0, EPS);
	solution_release(&s);
	lpm_free(m);
}

/* 2 x1 + 2 x2 + ... + 2 x40 = 41 over binaries has no solution, but every LP relaxation is
 * feasible, so plain branch-and-bound cannot finish: the time limit must stop it, and the
 * result must say so rather than "infeasible" or "optimal". */
Test(lp, time_limit)
{
	struct lpm *m = lpm_new("parity");
	struct solution s;
	struct lp_opts o = LP_OPTS_INIT;
	struct timespec t0, t1;

	int r = lpm_add_row(m, "odd", LPM_FX, 41, 41, NOTAG);
	for (int j = 0; j < 40; j++) {
		char name[16];
		snprintf(name, sizeof(name), "x%d", j);
		int c = lpm_add_col(m, name, LPM_DB, 0, 1, (double)(j % 7), 1, NOTAG);
		lpm_add_nz(m, r, c, 2);
	}
	cr_assert_eq(lpm_finish(m), 0);
	o.time_limit_s = 0.3;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cr_assert_eq(lp_solve(&s, m, &o), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	cr_expect_eq(s.status, SOL_TIME_LIMIT, "status %s: %s", sol_status_name(s.status),
		     s.message ? s.message : "");
	double el = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
	cr_expect_lt(el, 5.0, "took %.2f s with a 0.3 s limit", el);
	solution_release(&s);
	lpm_free(m);
}

/* The same parity rows plus a slack y (cost 1000) that makes odd sums reachable: an
 * incumbent is found at once, but proving it optimal needs the whole tree.  At the time limit
 * the answer is "feasible" with its gap, and it still has duals from the fixed LP (the
 * continuous z meets its row at cost 1, so that row's dual is 1). */
Test(lp, time_limit_with_incumbent)
{
	struct lpm *m = lpm_new("parity_feasible");
	struct solution s;
	struct lp_opts o = LP_OPTS_INIT;

	int r = lpm_add_row(m, "odd", LPM_FX, 41, 41, NOTAG);
	int zr = lpm_add_row(m, "zr", LPM_LO, 3, 0, NOTAG);
	int y = lpm_add_col(m, "y", LPM_DB, 0, 1, 1000, 1, NOTAG);
	int z = lpm_add_col(m, "z", LPM_DB, 0, 10, 1, 0, NOTAG);
	lpm_add_nz(m, r, y, 1);
	lpm_add_nz(m, zr, z, 1);
	for (int j = 0; j < 40; j++) {
		char name[16];
		snprintf(name, sizeof(name), "x%d", j);
		int c = lpm_add_col(m, name, LPM_DB, 0, 1, 1 + j % 7, 1, NOTAG);
		lpm_add_nz(m, r, c, 2);
	}
	cr_assert_eq(lpm_finish(m), 0);
	o.time_limit_s = 0.5;
	cr_assert_eq(lp_solve(&s, m, &o), 0);
	cr_assert_eq(s.status, SOL_FEASIBLE, "status %s: %s", sol_status_name(s.status),
		     s.message ? s.message : "");
	cr_expect_gt(s.mip_gap, 0);
	cr_expect_not_null(s.message);
	cr_expect_null(s.violation);
	cr_expect_eq(s.x[0], 1.0, "y = %g", s.x[0]);
	cr_assert(s.has_duals, "%s", s.message ? s.message : "");
	cr_expect_float_eq(s.y[zr], 1.0, EPS);
	solution_release(&s);
	lpm_free(m);
}

/* Run fn with file descriptor fd (stdout or stderr) redirected to a pipe; return what
 * reached it (malloc'd). */
static char *capture_fd(int fd, void (*fn)(void *), void *arg)
{
	int fds[2], saved;
	static char buf[1 << 20];
	ssize_t n, total = 0;
	FILE *f = fd == STDOUT_FILENO ? stdout : stderr;

	fflush(f);
	cr_assert_eq(pipe(fds), 0);
	/* GLPK's verbose output can exceed a pipe's buffer before anyone reads it. */
	fcntl(fds[1], F_SETPIPE_SZ, 1 << 20);
	saved = dup(fd);
	cr_assert(saved >= 0);
	cr_assert(dup2(fds[1], fd) >= 0);
	close(fds[1]);
	fn(arg);
	fflush(f);
	cr_assert(dup2(saved, fd) >= 0);
	close(saved);
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	while (total < (ssize_t)sizeof(buf) - 1 &&
	       (n = read(fds[0], buf + total, sizeof(buf) - 1 - (size_t)total)) > 0)
		total += n;
	close(fds[0]);
	buf[total] = '\0';
	return strdup(buf);
}

static char *capture_stdout(void (*fn)(void *), void *arg)
{
	return capture_fd(STDOUT_FILENO, fn, arg);
}

static void solve_several(void *arg)
{
	const int *verbose = arg;
	struct lp_opts o = LP_OPTS_INIT;
	struct solution s;
	struct lpm *m = lp_small_min();
	struct lpm *t = lp_tolerance_trap();

	o.verbose = *verbose;
	lp_solve(&s, m, &o); /* LP */
	solution_release(&s);
	lp_solve(&s, t, &o); /* MIP, with duals */
	solution_release(&s);
	m->rows[0].type = LPM_UP;
	m->rows[0].ub = -1;
	lp_solve(&s, m, &o); /* infeasible */
	solution_release(&s);
	lpm_free(m);
	lpm_free(t);
}

/* GLPK writes its messages to stdout unless told otherwise: that would corrupt
 * `porcupine solve --json | jq`.  Quiet: nothing anywhere.  Verbose: stderr only. */
Test(lp, nothing_on_stdout)
{
	for (int verbose = 0; verbose <= 1; verbose++) {
		char *got = capture_stdout(solve_several, &verbose);
		cr_expect_str_empty(got, "verbose=%d: GLPK wrote to stdout: %.200s", verbose, got);
		free(got);
		got = capture_fd(STDERR_FILENO, solve_several, &verbose);
		if (verbose)
			cr_expect_not_null(strstr(got, "obj ="),
					   "verbose GLPK text missing "
					   "from stderr: %.200s",
					   got);
		else
			cr_expect_str_empty(got, "quiet run wrote to stderr: %.200s", got);
		free(got);
	}
}

/* A GLPK internal error (here: its memory limit, set through GLPK's own API on this
 * thread) must come back as SOL_FAILED through the error hook, not abort the process; and
 * GLPK must work again afterwards. */
static void solve_with_glpk_error(void *arg)
{
	struct solution *s = arg;
	struct lpm *m = lpm_new("big");
	int r = lpm_add_row(m, "r", LPM_LO, 1, 0, NOTAG);

	for (int j = 0; j < 40000; j++) {
		char name[16];
		snprintf(name, sizeof(name), "x%d", j);
		int c = lpm_add_col(m, name, LPM_LO, 0, 0, 1 + j % 13, 0, NOTAG);
		lpm_add_nz(m, r, c, 1 + j % 5);
	}
	cr_assert_eq(lpm_finish(m), 0);
	glp_mem_limit(1);
	cr_assert_eq(lp_solve(s, m, NULL), 0);
	lpm_free(m);
}

Test(lp, glpk_error_is_caught)
{
	struct solution s;
	char *got = capture_stdout(solve_with_glpk_error, &s);

	cr_expect_str_empty(got, "GLPK wrote to stdout: %.200s", got);
	free(got);
	cr_expect_eq(s.status, SOL_FAILED, "status %s", sol_status_name(s.status));
	cr_assert_not_null(s.message);
	cr_expect_not_null(strstr(s.message, "solver error"), "%s", s.message);
	cr_expect_not_null(strstr(s.message, "limit exceeded"), "%s", s.message);
	cr_expect_null(s.x);
	solution_release(&s);

	struct lpm *m = lp_small_min();
	cr_assert_eq(lp_solve(&s, m, NULL), 0);
	cr_expect_eq(s.status, SOL_OPTIMAL);
	cr_expect_float_eq(s.objective, 19.0, EPS);
	solution_release(&s);
	lpm_free(m);
}

/* A family of LPs (a fractional knapsack per k) and one MIP in four: enough different
 * problems that two threads sharing GLPK state would show. */
#define NPROB 400

static struct lpm *family(int k)
{
	struct lpm *m = lpm_new("family");
	int r = lpm_add_row(m, "budget", LPM_UP, 0, 10.0 + k % 17, NOTAG);
	int integer = k % 4 == 0;

	m->minimize = 0;
	for (int j = 0; j < 10; j++) {
		char name[16];
		snprintf(name, sizeof(name), "x%d", j);
		double w = 1 + (k * 7 + j * 13) % 11;
		double v = 1 + (k * 5 + j * 3) % 19;
		int c = lpm_add_col(m, name, LPM_DB, 0, 1, v, integer, NOTAG);
		lpm_add_nz(m, r, c, w);
	}
	lpm_finish(m);
	return m;
}

struct answer {
	int status;
	double objective;
	double x[10];
	double y;
};

static void solve_family(int k, struct answer *a)
{
	struct lpm *m = family(k);
	struct solution s;

	memset(a, 0, sizeof(*a));
	if (lp_solve(&s, m, NULL) != 0) {
		a->status = -1;
	} else {
		a->status = (int)s.status;
		a->objective = s.objective;
		if (s.x)
			memcpy(a->x, s.x, sizeof(a->x));
		a->y = s.y ? s.y[0] : 0;
	}
	solution_release(&s);
	lpm_free(m);
}

Test(lp, openmp_threads_match_serial)
{
	struct answer *ser = calloc(NPROB, sizeof(*ser));
	struct answer *par = calloc(NPROB, sizeof(*par));

	cr_assert(ser && par);
	for (int k = 0; k < NPROB; k++)
		solve_family(k, &ser[k]);
#pragma omp parallel num_threads(2)
	{
#pragma omp for schedule(dynamic, 1)
		for (int k = 0; k < NPROB; k++)
			solve_family(k, &par[k]);
		lp_thread_done();
	}
	for (int k = 0; k < NPROB; k++) {
		cr_expect_eq(ser[k].status, SOL_OPTIMAL, "problem %d: %s", k,
			     sol_status_name((enum sol_status)ser[k].status));
		int same = ser[k].status == par[k].status &&
			   memcmp(&ser[k].objective, &par[k].objective, sizeof(double)) == 0 &&
			   memcmp(ser[k].x, par[k].x, sizeof(ser[k].x)) == 0 &&
			   memcmp(&ser[k].y, &par[k].y, sizeof(double)) == 0;
		cr_expect(same, "problem %d differs between serial and 2 threads", k);
	}
	free(ser);
	free(par);
}
