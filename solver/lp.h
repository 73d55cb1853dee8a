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
 * Thread-safe: each call creates, solves and frees its own solver problem on the calling
 * thread; GLPK output goes to stderr (verbose) or nowhere, never to stdout. */
int lp_solve(struct solution *out, const struct lpm *lp, const struct lp_opts *o);

/* Versions of the solver library, e.g. "GLPK 5.0"; and whether it is the thread-safe build. */
const char *lp_solver_version(void);
int lp_solver_thread_safe(void);

#endif
