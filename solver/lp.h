/* lp.h - the LP backend: solves an lpm model (GLPK behind this one interface). */
#ifndef PORCUPINE_LP_H
#define PORCUPINE_LP_H

#include "lpm.h"
#include "model.h"

struct lp_opts {
	double mip_gap;      /* relative MIP gap to stop at */
	double time_limit_s; /* per solve, 0 = none */
	double tol_int;      /* integrality tolerance for branch-and-cut */
	double recheck_tol;  /* relative tolerance of the independent re-check */
	int want_duals;      /* for MIPs: fix the integers and re-solve the LP for duals */
	int verbose;         /* copy solver output to stderr */
};

#define LP_OPTS_INIT { 1e-6, 0.0, 1e-9, 1e-6, 1, 0 }

/* Solve lp.  The call status is the return value (0 = the solver ran and *out says what it
 * found; -1 = could not run at all, e.g. out of memory); the model's status is out->status.
 * Every reported solution has passed model_recheck; a solution that fails it is reported
 * with status SOL_FAILED and the violation, never as optimal.
 *
 * *out is overwritten (release a previous solution first) and owned by the caller
 * (solution_release).  out->x is set for SOL_OPTIMAL and SOL_FEASIBLE, and kept for a
 * SOL_FAILED re-check so the rejected answer can be inspected; otherwise NULL.  Integer
 * columns within tol_int of an integer are reported as that integer.  out->dj and out->y
 * are set when out->has_duals (LPs; MIPs with want_duals, where the integer columns are
 * fixed and the LP re-solved, whose continuous values then replace the MIP's).  Dual
 * signs are GLPK's: y[i] = d objective / d (bound of row i), dj[j] = c_j - a_j'y.
 * out->objective is obj_const + c.x recomputed in our arithmetic.  A MIP stopped within
 * the requested mip_gap is SOL_OPTIMAL with out->mip_gap set; one stopped by the time
 * limit with an incumbent is SOL_FEASIBLE.  time_limit_s bounds the LP relaxation and
 * branch-and-cut together; the fixed LP for MIP duals may take up to max(1 s, 10 %) more.
 * out->message explains every other status.
 * Non-finite numbers, |coefficient| >= LPM_INF and out-of-range indices are rejected
 * (SOL_FAILED) before GLPK sees the model; a bound with |value| >= LPM_INF is no bound.
 * o may be NULL (LP_OPTS_INIT).
 * Thread-safe: each call creates, solves and frees its own solver problem on the calling
 * thread; GLPK output goes to stderr (verbose) or nowhere, never to stdout; a GLPK
 * internal error is caught (SOL_FAILED, "solver error: ...") instead of aborting. */
int lp_solve(struct solution *out, const struct lpm *lp, const struct lp_opts *o);

/* Free the solver library's per-thread state.  GLPK keeps an environment per thread; a
 * worker thread that called lp_solve (e.g. inside `#pragma omp parallel`) must call this
 * before the parallel region ends, or the pool thread keeps it.  The main thread may call
 * it at exit.  Never call it while an lp_solve is running on the same thread. */
void lp_thread_done(void);

/* Versions of the solver library, e.g. "GLPK 5.0"; and whether it is the thread-safe build. */
const char *lp_solver_version(void);
int lp_solver_thread_safe(void);

#endif
