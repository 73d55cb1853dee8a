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
	int want_ranging;    /* fill out->rhs_lo/hi and cost_lo/hi (see struct solution) from
			      * GLPK's bound and objective-coefficient analysis of the optimal
			      * basis (for MIPs: of the LP with the integers fixed; needs
			      * want_duals); a failure there drops the ranges, not the solution */
	/* With want_ranging: columns whose objective coefficients move together (the
	 * purchases of one item, whose price is one number).  cost_group[j] in
	 * 0..ncost_groups-1, or -1 (borrowed, ncols entries; NULL = no groups).  Fills
	 * out->group_lo/hi: the factor range on a group's coefficients (all multiplied by the
	 * same factor) over which the basis stays optimal. */
	const int *cost_group;
	int ncost_groups;
};

#define LP_OPTS_INIT { 1e-6, 0.0, 1e-9, 1e-6, 1, 0, 0, NULL, 0 }

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

/* ---- Scenario sessions: one model solved again and again with changed numbers ---------- */

/* What every scenario solve starts from: the optimal basis of the nominal model's LP (for a
 * MIP, of its relaxation) and, for a MIP, the nominal solution's integer values.  Made once,
 * on any thread, then shared read-only by the threads' sessions. */
struct lp_anchor;

/* Solve lp's LP (relaxation) cold and keep its optimal basis.  nominal_x (may be NULL) is
 * the nominal solution, ncols values, copied: its integer columns seed each scenario's
 * branch-and-cut.  lp is borrowed and must outlive the anchor and its sessions.  An LP that
 * cannot be solved to optimality gives an anchor without basis (lp_anchor_ok = 0), whose
 * sessions solve every scenario cold.  0, or -1 out of memory.  Thread-safe. */
int lp_anchor_new(struct lp_anchor **out, const struct lpm *lp, const double *nominal_x,
		  const struct lp_opts *o);
void lp_anchor_free(struct lp_anchor *a);
int lp_anchor_ok(const struct lp_anchor *a);

/* One thread's solver for scenarios of an anchor's model: owns a GLPK problem object,
 * created, used and freed on that thread (create, use and free a session on one thread;
 * free it before lp_thread_done). */
struct lp_session;
int lp_session_new(struct lp_session **out, const struct lp_anchor *a); /* 0, -1 no memory */
void lp_session_free(struct lp_session *s);

enum lp_start {
	LP_START_WARM = 0, /* simplex from the anchor basis */
	LP_START_KEPT,     /* the anchor basis stayed optimal: no simplex iteration */
	LP_START_COLD      /* structure differs from the anchor's, or the warm start failed */
};
enum lp_mip_path {
	LP_MIP_NONE = 0,   /* an LP */
	LP_MIP_ROUNDED,    /* a rounded plan (below) was within the MIP gap: no branch-and-cut */
	LP_MIP_INCUMBENT,  /* branch-and-cut, starting from the rounded plan */
	LP_MIP_SEARCH      /* branch-and-cut without a starting plan */
};
/* How one session solve went (for benchmarks and statistics; deterministic). */
struct lp_session_info {
	enum lp_start start;
	int dual;              /* the warm re-solve used the dual simplex */
	enum lp_mip_path mip;
};

/* Solve lp, a scenario of the anchor's model: same columns (tags, integrality) and rows
 * matched by tag (rows may be missing or added), different numbers anywhere.  The problem
 * object is rewritten completely (matrix, bounds, costs), the anchor basis restored, and the
 * primal or dual simplex chosen by which kind of infeasibility the anchor basis has (none:
 * the basis is kept, no iteration): dual when the basis is dual feasible, else primal;
 * presolve is off.  So the answer depends only on lp and the anchor, never on what the
 * session solved before.  A MIP then fixes a rounded plan (the relaxation's whole units
 * rounded down, or else the anchor's nominal integers) and re-solves the LP: within the MIP
 * gap of the relaxation's bound that is the answer, otherwise it is the first incumbent of
 * branch-and-cut (Gomory cuts, no per-node preprocessing).  Duals of a MIP come from the LP
 * with the integers fixed, re-solved from the relaxation's basis.  What cannot be
 * warm-started, and an answer the re-check rejects, is solved again as lp_solve would
 * (info->start = LP_START_COLD).  Same contract as lp_solve for out, the return value and
 * the re-check; out->iterations counts this solve's simplex iterations.  info may be NULL.
 * Deterministic except where a time limit is reached. */
int lp_session_solve(struct lp_session *s, struct solution *out, struct lp_session_info *info,
		     const struct lpm *lp, const struct lp_opts *o);

#endif
