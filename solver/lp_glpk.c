/* lp_glpk.c - the GLPK backend of lp.h: the only file in porcupine that includes glpk.h.
 *
 * GLPK is used under the rules in docs (ecosystem research §2.1-2.2):
 *  - every index and number is checked here before any glp_ call, because GLPK aborts the
 *    process on misuse and misbehaves on NaN/Inf (NaN objective -> "optimal" NaN; NaN bound
 *    -> assertion failure and abort);
 *  - GLPK's environment is per thread (TLS build): hooks and parameters are installed by
 *    each call on the calling thread, and removed before returning;
 *  - glp_error_hook longjmps back into this file (never further), then glp_free_env()
 *    discards the broken environment; the call reports SOL_FAILED;
 *  - glp_term_hook swallows GLPK's text (it would go to stdout) or copies it to stderr;
 *  - both the return code and the solution status of every GLPK call are examined;
 *  - every answer is re-checked by model_recheck in our own arithmetic. */
#include <float.h>
#include <glpk.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alloc.h"
#include "lp.h"

/* GLPK's own limits on problem size (api/prob.h: M_MAX, N_MAX, NNZ_MAX). */
#define GLPK_MAX_ROWS 100000000
#define GLPK_MAX_COLS 100000000
#define GLPK_MAX_NNZ  500000000

/* Integer column bounds are rounded inwards (x >= 2.5 means x >= 3); values this close to an
 * integer are taken as that integer, so that 3 - 1e-12 does not become 2. */
#define INT_BOUND_EPS 1e-9

/* Longest line kept from GLPK's terminal output (for error messages). */
#define TERM_LINE 240

/* Everything one lp_solve call shares with the GLPK hooks and the phases below.  It lives in
 * lp_solve's frame; the function containing setjmp (guarded_solve) only reads it through a
 * pointer that never changes, so longjmp leaves every field well defined. */
struct run {
	jmp_buf jb;
	const struct lpm *lp;
	const struct lp_opts *o;
	struct solution *out;

	/* Merged coefficient triplets, 1-based as glp_load_matrix wants them. */
	int *ia, *ja;
	double *ar;
	int ne;
	/* Tightened bounds of integer columns (ceil/floor), indexed by column. */
	double *ilb, *iub;
	int has_integer;

	double deadline; /* CLOCK_MONOTONIC seconds, 0 = none */
	double mip_gap;	 /* last gap seen by the branch-and-cut callback */
	int in_ranging;	 /* a GLPK error now only costs the ranges, not the solution */
	/* Scenario sessions (lp_session_solve): GLPK row of each model row (NULL = row i is
	 * GLPK row i + 1), and an integer solution to offer branch-and-cut at its first
	 * heuristic call (1-based, NULL = none). */
	const int *rowmap;
	const double *heur_x;
	int heur_done;
	/* set by sessions: branch-and-cut tuned for re-solves (Gomory cuts, no per-node
	 * preprocessing), and the relaxation's optimal basis (relax_m rows), from which the LP
	 * with the integers fixed is re-solved by the dual simplex */
	int session;
	const int *relax_rstat, *relax_cstat;
	int relax_m;

	/* GLPK's last two complete output lines and the one being assembled. */
	char line[2][TERM_LINE];
	char cur[TERM_LINE];
	size_t curlen;
	int nlines;
};

/* Counts, per thread, how often GLPK's environment was freed (which frees every problem
 * object of the thread), so that a scenario session can tell its problem object is gone. */
static _Thread_local unsigned long env_generation;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Milliseconds left for GLPK's tm_lim; INT_MAX when there is no limit, 0 when it passed. */
static int time_left_ms(const struct run *r)
{
	if (r->deadline <= 0)
		return INT_MAX;
	double ms = (r->deadline - now_s()) * 1000.0;
	if (ms <= 0)
		return 0;
	if (ms >= (double)INT_MAX)
		return INT_MAX;
	return ms < 1 ? 1 : (int)ms;
}

/* Replace out->message with a formatted one.  Out of memory leaves it NULL: the status
 * still tells the story. */
static void set_message(struct solution *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void set_message(struct solution *out, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	free(out->message);
	out->message = NULL;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !(s = pc_malloc((size_t)n + 1)))
		return;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	out->message = s;
}

static void fail(struct solution *out, enum sol_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void fail(struct solution *out, enum sol_status st, const char *fmt, ...)
{
	va_list ap;
	char buf[512];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	out->status = st;
	set_message(out, "%s", buf);
}

static const char *col_name(const struct lpm *lp, size_t j, char *buf, size_t len)
{
	if (lp->cols[j].name)
		return lp->cols[j].name;
	snprintf(buf, len, "#%zu", j);
	return buf;
}

static const char *row_name(const struct lpm *lp, size_t i, char *buf, size_t len)
{
	if (lp->rows[i].name)
		return lp->rows[i].name;
	snprintf(buf, len, "#%zu", i);
	return buf;
}

/* ---- GLPK hooks ------------------------------------------------------------------------ */

/* Terminal hook: keep the last lines for error messages; copy to stderr when verbose.
 * Returning nonzero stops GLPK from writing to stdout. */
static int on_term(void *info, const char *s)
{
	struct run *r = info;

	if (r->o->verbose)
		fputs(s, stderr);
	for (; *s; s++) {
		if (*s == '\n') {
			r->cur[r->curlen] = '\0';
			memcpy(r->line[0], r->line[1], TERM_LINE);
			memcpy(r->line[1], r->cur, TERM_LINE);
			r->nlines++;
			r->curlen = 0;
		} else if (r->curlen + 1 < TERM_LINE) {
			r->cur[r->curlen++] = *s;
		}
	}
	r->cur[r->curlen] = '\0';
	return 1;
}

/* Error hook: GLPK would abort() after this returns, so it must not return. */
static void on_error(void *info)
{
	struct run *r = info;
	longjmp(r->jb, 1);
}

/* Branch-and-cut callback: remember the relative gap, which is not available after
 * glp_intopt returns. */
static void on_branch(glp_tree *tree, void *info)
{
	struct run *r = info;
	int reason = glp_ios_reason(tree);

	if (reason == GLP_IHEUR && r->heur_x && !r->heur_done) {
		r->heur_done = 1;
		glp_ios_heur_sol(tree, r->heur_x);
	}

	if (reason == GLP_ISELECT || reason == GLP_IBINGO) {
		double g = glp_ios_mip_gap(tree);
		if (isfinite(g) && g < DBL_MAX)
			r->mip_gap = g;
	}
}

/* ---- checking and loading -------------------------------------------------------------- */

/* The GLPK bound type and values for an lpm bound; |bound| >= LPM_INF means no bound.
 * Returns 0, or -1 when lb > ub (the caller reports it; GLPK would refuse it). */
static int glpk_bounds(enum lpm_bound t, double lb, double ub, int *type, double *glb, double *gub)
{
	int haslo = 0, hasup = 0;

	switch (t) {
	case LPM_FREE:
		break;
	case LPM_LO:
		haslo = lb > -LPM_INF;
		break;
	case LPM_UP:
		hasup = ub < LPM_INF;
		break;
	case LPM_DB:
		haslo = lb > -LPM_INF;
		hasup = ub < LPM_INF;
		break;
	case LPM_FX:
		ub = lb;
		haslo = hasup = 1;
		break;
	}
	*glb = haslo ? lb : 0.0;
	*gub = hasup ? ub : 0.0;
	if (haslo && hasup) {
		if (lb > ub)
			return -1;
		/* GLPK rejects GLP_DB with lb == ub (GLP_EBOUND): that is a fixed variable. */
		*type = lb == ub ? GLP_FX : GLP_DB;
	} else if (haslo)
		*type = GLP_LO;
	else if (hasup)
		*type = GLP_UP;
	else
		*type = GLP_FR;
	return 0;
}

static int valid_bound_type(enum lpm_bound t)
{
	return t == LPM_FREE || t == LPM_LO || t == LPM_UP || t == LPM_DB || t == LPM_FX;
}

/* Check every number GLPK will see, merge duplicate triplets and tighten integer bounds.
 * Returns 0 (ready), 1 (out->status/message set: the model cannot be given to GLPK or is
 * trivially infeasible) or -1 (out of memory). */
static int prepare(struct run *r)
{
	const struct lpm *lp = r->lp;
	struct solution *out = r->out;
	char b1[32], b2[32];
	size_t *start = NULL, *next = NULL, *order = NULL;
	int *pos = NULL;
	int rc = -1;

	if (lp->oom) {
		fail(out, SOL_FAILED, "the model is incomplete: memory ran out while building it");
		return 1;
	}
	if (lp->ncols > GLPK_MAX_COLS || lp->nrows > GLPK_MAX_ROWS || lp->nnz > GLPK_MAX_NNZ) {
		fail(out, SOL_FAILED,
		     "the model is too large for GLPK (%zu rows, %zu columns, "
		     "%zu coefficients)",
		     lp->nrows, lp->ncols, lp->nnz);
		return 1;
	}
	if ((lp->ncols && !lp->cols) || (lp->nrows && !lp->rows) || (lp->nnz && !lp->nz)) {
		fail(out, SOL_FAILED, "the model is malformed: missing arrays");
		return 1;
	}
	if (!isfinite(lp->obj_const) || fabs(lp->obj_const) >= LPM_INF) {
		fail(out, SOL_FAILED, "the objective constant is not a finite number (%g)",
		     lp->obj_const);
		return 1;
	}
	for (size_t j = 0; j < lp->ncols; j++) {
		const struct lpm_col *c = &lp->cols[j];
		int t;
		double l, u;
		if (!valid_bound_type(c->type)) {
			fail(out, SOL_FAILED, "column '%s' has an invalid bound type %d",
			     col_name(lp, j, b1, sizeof(b1)), (int)c->type);
			return 1;
		}
		if (isnan(c->lb) || isnan(c->ub) || isinf(c->lb) || isinf(c->ub)) {
			fail(out, SOL_FAILED,
			     "column '%s' has a bound that is not a finite number "
			     "(lb %g, ub %g)",
			     col_name(lp, j, b1, sizeof(b1)), c->lb, c->ub);
			return 1;
		}
		if (c->type == LPM_FX && fabs(c->lb) >= LPM_INF) {
			fail(out, SOL_FAILED, "column '%s' is fixed at an infinite value (%g)",
			     col_name(lp, j, b1, sizeof(b1)), c->lb);
			return 1;
		}
		if (!isfinite(c->obj) || fabs(c->obj) >= LPM_INF) {
			fail(out, SOL_FAILED,
			     "column '%s' has an objective coefficient that is not "
			     "a finite number (%g)",
			     col_name(lp, j, b1, sizeof(b1)), c->obj);
			return 1;
		}
		if (glpk_bounds(c->type, c->lb, c->ub, &t, &l, &u) != 0) {
			fail(out, SOL_INFEASIBLE,
			     "column '%s' has lower bound %.17g above upper "
			     "bound %.17g",
			     col_name(lp, j, b1, sizeof(b1)), c->lb, c->ub);
			return 1;
		}
		if (c->integer)
			r->has_integer = 1;
	}
	for (size_t i = 0; i < lp->nrows; i++) {
		const struct lpm_row *w = &lp->rows[i];
		int t;
		double l, u;
		if (!valid_bound_type(w->type)) {
			fail(out, SOL_FAILED, "row '%s' has an invalid bound type %d",
			     row_name(lp, i, b1, sizeof(b1)), (int)w->type);
			return 1;
		}
		if (!isfinite(w->lb) || !isfinite(w->ub)) {
			fail(out, SOL_FAILED,
			     "row '%s' has a bound that is not a finite number "
			     "(lb %g, ub %g)",
			     row_name(lp, i, b1, sizeof(b1)), w->lb, w->ub);
			return 1;
		}
		if (w->type == LPM_FX && fabs(w->lb) >= LPM_INF) {
			fail(out, SOL_FAILED, "row '%s' is fixed at an infinite value (%g)",
			     row_name(lp, i, b1, sizeof(b1)), w->lb);
			return 1;
		}
		if (glpk_bounds(w->type, w->lb, w->ub, &t, &l, &u) != 0) {
			fail(out, SOL_INFEASIBLE,
			     "row '%s' has lower bound %.17g above upper bound "
			     "%.17g",
			     row_name(lp, i, b1, sizeof(b1)), w->lb, w->ub);
			return 1;
		}
	}
	for (size_t k = 0; k < lp->nnz; k++) {
		const struct lpm_nz *z = &lp->nz[k];
		if (z->row < 0 || (size_t)z->row >= lp->nrows || z->col < 0 ||
		    (size_t)z->col >= lp->ncols) {
			fail(out, SOL_FAILED,
			     "coefficient %zu refers to row %d, column %d outside "
			     "the model (%zu rows, %zu columns)",
			     k, z->row, z->col, lp->nrows, lp->ncols);
			return 1;
		}
		if (!isfinite(z->val) || fabs(z->val) >= LPM_INF) {
			fail(out, SOL_FAILED,
			     "coefficient of column '%s' in row '%s' is not a "
			     "finite number (%g)",
			     col_name(lp, (size_t)z->col, b1, sizeof(b1)),
			     row_name(lp, (size_t)z->row, b2, sizeof(b2)), z->val);
			return 1;
		}
	}

	/* Bucket the triplets by column and merge duplicates (GLPK aborts on them), so the
	 * backend does not depend on lpm_finish having been called. */
	r->ia = pc_malloc((lp->nnz + 1) * sizeof(*r->ia));
	r->ja = pc_malloc((lp->nnz + 1) * sizeof(*r->ja));
	r->ar = pc_malloc((lp->nnz + 1) * sizeof(*r->ar));
	start = pc_calloc(lp->ncols + 1, sizeof(*start));
	next = pc_malloc((lp->ncols ? lp->ncols : 1) * sizeof(*next));
	order = pc_malloc((lp->nnz ? lp->nnz : 1) * sizeof(*order));
	pos = pc_calloc(lp->nrows ? lp->nrows : 1, sizeof(*pos));
	if (!r->ia || !r->ja || !r->ar || !start || !next || !order || !pos)
		goto out;
	for (size_t k = 0; k < lp->nnz; k++)
		start[lp->nz[k].col + 1]++;
	for (size_t j = 0; j < lp->ncols; j++)
		start[j + 1] += start[j];
	memcpy(next, start, lp->ncols * sizeof(*next));
	for (size_t k = 0; k < lp->nnz; k++)
		order[next[lp->nz[k].col]++] = k;
	r->ne = 0;
	for (size_t j = 0; j < lp->ncols; j++) {
		int first = r->ne + 1;
		/* pos[row] = where this column's entry for row is, 0 = none yet */
		for (size_t q = start[j]; q < start[j + 1]; q++) {
			const struct lpm_nz *z = &lp->nz[order[q]];
			if (pos[z->row]) {
				r->ar[pos[z->row]] += z->val;
			} else {
				r->ne++;
				r->ia[r->ne] = z->row + 1;
				r->ja[r->ne] = (int)j + 1;
				r->ar[r->ne] = z->val;
				pos[z->row] = r->ne;
			}
		}
		for (size_t q = start[j]; q < start[j + 1]; q++)
			pos[lp->nz[order[q]].row] = 0;
		/* Sums of duplicates may cancel to zero or overflow. */
		int w = first;
		for (int q = first; q <= r->ne; q++) {
			if (!isfinite(r->ar[q]) || fabs(r->ar[q]) >= LPM_INF) {
				fail(out, SOL_FAILED,
				     "coefficient of column '%s' in row '%s' is not "
				     "a finite number after summing duplicates",
				     col_name(lp, j, b1, sizeof(b1)),
				     row_name(lp, (size_t)r->ia[q] - 1, b2, sizeof(b2)));
				rc = 1;
				goto out;
			}
			if (r->ar[q] != 0.0) {
				r->ia[w] = r->ia[q];
				r->ja[w] = r->ja[q];
				r->ar[w] = r->ar[q];
				w++;
			}
		}
		r->ne = w - 1;
	}

	/* Integer columns: bounds rounded inwards, as glp_intopt requires integral bounds. */
	if (r->has_integer) {
		r->ilb = pc_malloc(lp->ncols * sizeof(*r->ilb));
		r->iub = pc_malloc(lp->ncols * sizeof(*r->iub));
		if (!r->ilb || !r->iub)
			goto out;
		for (size_t j = 0; j < lp->ncols; j++) {
			const struct lpm_col *c = &lp->cols[j];
			double lo = c->lb;
			double up = c->type == LPM_FX ? c->lb : c->ub;
			r->ilb[j] = lo;
			r->iub[j] = up;
			if (!c->integer)
				continue;
			if (lo > -LPM_INF)
				r->ilb[j] = ceil(lo - INT_BOUND_EPS * fmax(1.0, fabs(lo)));
			if (up < LPM_INF)
				r->iub[j] = floor(up + INT_BOUND_EPS * fmax(1.0, fabs(up)));
			int has_lo = c->type == LPM_LO || c->type == LPM_DB || c->type == LPM_FX;
			int has_up = c->type == LPM_UP || c->type == LPM_DB || c->type == LPM_FX;
			if (has_lo && has_up && lo > -LPM_INF && up < LPM_INF &&
			    r->ilb[j] > r->iub[j]) {
				fail(out, SOL_INFEASIBLE,
				     "integer column '%s' has no integer value "
				     "between its bounds %.17g and %.17g",
				     col_name(lp, j, b1, sizeof(b1)), lo, up);
				rc = 1;
				goto out;
			}
		}
	}
	rc = 0;
out:
	free(start);
	free(next);
	free(order);
	free(pos);
	return rc;
}

/* Load the checked model into P.  Only called after prepare() returned 0. */
static void load(glp_prob *P, const struct run *r)
{
	const struct lpm *lp = r->lp;
	int t;
	double l, u;

	glp_set_obj_dir(P, lp->minimize ? GLP_MIN : GLP_MAX);
	glp_set_obj_coef(P, 0, lp->obj_const);
	if (lp->nrows)
		glp_add_rows(P, (int)lp->nrows);
	if (lp->ncols)
		glp_add_cols(P, (int)lp->ncols);
	for (size_t i = 0; i < lp->nrows; i++) {
		const struct lpm_row *w = &lp->rows[i];
		glpk_bounds(w->type, w->lb, w->ub, &t, &l, &u);
		glp_set_row_bnds(P, (int)i + 1, t, l, u);
	}
	for (size_t j = 0; j < lp->ncols; j++) {
		const struct lpm_col *c = &lp->cols[j];
		if (c->integer) {
			glpk_bounds(c->type, r->ilb[j], r->iub[j], &t, &l, &u);
			glp_set_col_kind(P, (int)j + 1, GLP_IV);
		} else {
			glpk_bounds(c->type, c->lb, c->ub, &t, &l, &u);
		}
		glp_set_col_bnds(P, (int)j + 1, t, l, u);
		glp_set_obj_coef(P, (int)j + 1, c->obj);
	}
	if (r->ne > 0)
		glp_load_matrix(P, r->ne, r->ia, r->ja, r->ar);
}

/* ---- solving --------------------------------------------------------------------------- */

static const char *simplex_rc_name(int rc)
{
	switch (rc) {
	case GLP_EBADB:
		return "invalid initial basis";
	case GLP_ESING:
		return "singular basis matrix";
	case GLP_ECOND:
		return "ill-conditioned basis matrix";
	case GLP_EBOUND:
		return "incorrect bounds";
	case GLP_EFAIL:
		return "solver failure";
	case GLP_EITLIM:
		return "iteration limit";
	case GLP_ETMLIM:
		return "time limit";
	case GLP_ENOPFS:
		return "no primal feasible solution";
	case GLP_ENODFS:
		return "no dual feasible solution";
	case GLP_EROOT:
		return "no optimal LP relaxation";
	case GLP_ESTOP:
		return "stopped";
	case GLP_EMIPGAP:
		return "relative gap reached";
	default:
		return "unknown error";
	}
}

/* Outcome of the simplex phase, in our terms. */
enum lp_outcome {
	LPO_OPTIMAL,
	LPO_INFEASIBLE,
	LPO_UNBOUNDED,
	LPO_TIME,
	LPO_FEASIBLE_TIME,
	LPO_NUMERICAL
};

/* Solve the LP in P (the relaxation for a MIP).  Tries, in turn: primal simplex from an
 * advanced basis; after numerical trouble, dual-then-primal simplex from the standard
 * basis; then the presolver with primal simplex.  Both the return code and the status are
 * read: with the presolver, infeasibility comes back as a return code (GLP_ENOPFS). */
static enum lp_outcome run_simplex(glp_prob *P, struct run *r, char *why, size_t whylen)
{
	glp_smcp parm;
	int rc = 0;

	glp_init_smcp(&parm);
	parm.msg_lev = r->o->verbose ? GLP_MSG_ON : GLP_MSG_ERR;
	parm.presolve = GLP_OFF;
	parm.meth = GLP_PRIMAL;
	for (int attempt = 0; attempt < 3; attempt++) {
		parm.tm_lim = time_left_ms(r);
		if (parm.tm_lim == 0) {
			snprintf(why, whylen, "time limit reached");
			return LPO_TIME;
		}
		if (attempt == 0) {
			if (!glp_bf_exists(P) && glp_get_num_rows(P) > 0)
				glp_adv_basis(P, 0);
		} else if (attempt == 1) {
			glp_std_basis(P);
			parm.meth = GLP_DUALP;
		} else {
			glp_std_basis(P);
			parm.meth = GLP_PRIMAL;
			parm.presolve = GLP_ON;
		}
		rc = glp_simplex(P, &parm);
		if (rc == 0) {
			switch (glp_get_status(P)) {
			case GLP_OPT:
				return LPO_OPTIMAL;
			case GLP_NOFEAS:
				snprintf(why, whylen, "no feasible solution");
				return LPO_INFEASIBLE;
			case GLP_UNBND:
				snprintf(why, whylen, "the objective is unbounded");
				return LPO_UNBOUNDED;
			default:
				/* The dual simplex can stop without deciding; try the next way. */
				snprintf(why, whylen,
					 "simplex ended without a decision (status %d)",
					 glp_get_status(P));
				continue;
			}
		}
		switch (rc) {
		case GLP_ENOPFS:
			snprintf(why, whylen, "no feasible solution (found by the presolver)");
			return LPO_INFEASIBLE;
		case GLP_ENODFS:
			snprintf(why, whylen,
				 "no dual feasible solution: the objective is "
				 "unbounded (found by the presolver)");
			return LPO_UNBOUNDED;
		case GLP_ETMLIM:
		case GLP_EITLIM:
			snprintf(why, whylen, "%s reached before optimality", simplex_rc_name(rc));
			return glp_get_prim_stat(P) == GLP_FEAS ? LPO_FEASIBLE_TIME : LPO_TIME;
		default:
			snprintf(why, whylen, "%s (GLPK code %d)", simplex_rc_name(rc), rc);
			continue; /* GLP_ESING, GLP_ECOND, GLP_EFAIL, GLP_EBADB: next attempt */
		}
	}
	return LPO_NUMERICAL;
}

/* Neumaier-compensated obj_const + c.x: the objective in our own arithmetic. */
static double objective_of(const struct lpm *lp, const double *x)
{
	double s = lp->obj_const, c = 0.0;
	for (size_t j = 0; j < lp->ncols; j++) {
		double v = lp->cols[j].obj * x[j];
		double t = s + v;
		if (fabs(s) >= fabs(v))
			c += (s - t) + v;
		else
			c += (v - t) + s;
		s = t;
	}
	return s + c;
}

/* The simplex keeps a value inside its bounds only to its feasibility tolerance on the
 * scaled problem, which for money columns (EUR, values up to 1e11) can read as -1e-6 on a
 * column bounded at 0.  Such a value is put on its bound, so the re-check judges the plan
 * as reported; the re-check still recomputes every row from the snapped values. */
static double snap_to_bounds(const struct lpm_col *c, double v)
{
	int has_lo = c->type == LPM_LO || c->type == LPM_DB || c->type == LPM_FX;
	int has_up = c->type == LPM_UP || c->type == LPM_DB || c->type == LPM_FX;
	if (has_lo && v < c->lb && c->lb - v <= 1e-5 * fmax(1.0, fabs(c->lb)))
		return c->lb;
	if (has_up && v > c->ub && v - c->ub <= 1e-5 * fmax(1.0, fabs(c->ub)))
		return c->ub;
	return v;
}

/* Copy primal values (basic or MIP solution) and, if asked, duals out of P. */
static void take_solution(glp_prob *P, const struct run *r, int mip, int duals)
{
	const struct lpm *lp = r->lp;
	struct solution *out = r->out;

	for (size_t j = 0; j < lp->ncols; j++) {
		double v = mip ? glp_mip_col_val(P, (int)j + 1) : glp_get_col_prim(P, (int)j + 1);
		/* Within the integrality tolerance an integer column is that integer; the
		 * re-check then judges the rounded plan, which is the one reported. */
		if (lp->cols[j].integer && fabs(v - nearbyint(v)) <= r->o->tol_int)
			v = nearbyint(v);
		else
			v = snap_to_bounds(&lp->cols[j], v);
		if (v == 0.0)
			v = 0.0; /* no negative zeros in reports */
		out->x[j] = v;
	}
	if (duals) {
		for (size_t j = 0; j < lp->ncols; j++)
			out->dj[j] = glp_get_col_dual(P, (int)j + 1);
		for (size_t i = 0; i < lp->nrows; i++)
			out->y[i] = glp_get_row_dual(P, r->rowmap ? r->rowmap[i] : (int)i + 1);
	}
}

/* GLPK's "no limit" as ours (HUGE_VAL). */
static double unlimited(double v)
{
	return v <= -DBL_MAX ? -HUGE_VAL : v >= DBL_MAX ? HUGE_VAL : v;
}

static void drop_ranging(struct solution *out)
{
	free(out->rhs_lo);
	free(out->rhs_hi);
	free(out->cost_lo);
	free(out->cost_hi);
	free(out->group_lo);
	free(out->group_hi);
	out->rhs_lo = out->rhs_hi = out->cost_lo = out->cost_hi = NULL;
	out->group_lo = out->group_hi = NULL;
	out->ngroups = 0;
	out->has_ranging = 0;
}

/* Parametric cost ranging for groups of columns (lp_opts.cost_group): the costs of group g
 * become c_j (1 + t); the basis stays optimal while every non-basic reduced cost keeps its
 * sign: d_k + t dd_k, with dd = dc_N - N' B^-T dc_B in GLPK's form (I | -A), i.e.
 * dd_k = -pi_k for a row's auxiliary variable and dc_j + A_j' pi for column j.  The factor
 * range is [1 + t_lo, 1 + t_hi].  0, or -1 when memory ran out. */
static int group_ranges(glp_prob *P, struct run *r)
{
	const struct lpm *lp = r->lp;
	struct solution *out = r->out;
	int m = (int)lp->nrows, n = (int)lp->ncols, ng = r->o->ncost_groups;
	int minimize = glp_get_obj_dir(P) == GLP_MIN;
	double *pi = pc_malloc((size_t)(m + 1) * sizeof(*pi));
	double *dd = pc_malloc((size_t)(n + 1) * sizeof(*dd));
	int rc = -1;

	out->group_lo = pc_malloc((size_t)ng * sizeof(double));
	out->group_hi = pc_malloc((size_t)ng * sizeof(double));
	if (!pi || !dd || !out->group_lo || !out->group_hi)
		goto out; /* (lp_solve sees the failed allocation and fails the solve) */
	out->ngroups = ng;
	for (int g = 0; g < ng; g++) {
		double tlo = -HUGE_VAL, thi = HUGE_VAL;
		int any = 0;
		for (int k = 1; k <= m; k++) {
			int v = glp_get_bhead(P, k);
			int j = v - m - 1;
			pi[k] = v > m && r->o->cost_group[j] == g ? glp_get_obj_coef(P, j + 1) : 0.0;
		}
		for (int j = 0; j < n; j++) {
			dd[j + 1] = r->o->cost_group[j] == g ? glp_get_obj_coef(P, j + 1) : 0.0;
			any |= r->o->cost_group[j] == g;
		}
		if (!any) {
			out->group_lo[g] = out->group_hi[g] = 1.0;
			continue;
		}
		if (m > 0)
			glp_btran(P, pi);
		for (int q = 1; q <= r->ne; q++)
			dd[r->ja[q]] += r->ar[q] * pi[r->ia[q]];
		for (int k = 1; k <= m + n; k++) {
			int st = k <= m ? glp_get_row_stat(P, k) : glp_get_col_stat(P, k - m);
			if (st == GLP_BS || st == GLP_NS)
				continue;
			double d = k <= m ? glp_get_row_dual(P, k) : glp_get_col_dual(P, k - m);
			double delta = k <= m ? -pi[k] : dd[k - m];
			double c = k <= m ? 0.0 : fabs(glp_get_obj_coef(P, k - m));
			if (!minimize) {
				d = -d;
				delta = -delta;
			}
			/* below this a change of reduced cost is the arithmetic's, not the group's */
			if (fabs(delta) <= 1e-12 * fmax(1.0, c))
				continue;
			if (st == GLP_NF) {
				tlo = thi = 0.0;
				continue;
			}
			/* NL: d + t delta >= 0; NU: d + t delta <= 0 */
			double sign = st == GLP_NL ? 1.0 : -1.0;
			double dn = fmax(sign * d, 0.0), dl = sign * delta;
			double t = -dn / dl;
			if (dl > 0)
				tlo = fmax(tlo, t);
			else
				thi = fmin(thi, t);
		}
		out->group_lo[g] = isinf(tlo) ? -HUGE_VAL : 1.0 + tlo;
		out->group_hi[g] = isinf(thi) ? HUGE_VAL : 1.0 + thi;
	}
	rc = 0;
out:
	free(pi);
	free(dd);
	return rc;
}

/* Sensitivity ranges of the optimal basis in P into out->rhs_lo/hi and cost_lo/hi (see
 * struct solution): glp_analyze_bound for non-basic rows, glp_analyze_coef for basic
 * columns; the rest follows from the activities and reduced costs.  Every precondition
 * GLPK would abort on is checked first; should GLPK still raise an error, the hook
 * longjmps with r->in_ranging set and lp_solve keeps the solution without ranges. */
static void take_ranging(glp_prob *P, struct run *r)
{
	const struct lpm *lp = r->lp;
	struct solution *out = r->out;
	int m = (int)lp->nrows, n = (int)lp->ncols;
	int minimize = glp_get_obj_dir(P) == GLP_MIN;

	if (glp_get_status(P) != GLP_OPT || glp_get_num_rows(P) != m || glp_get_num_cols(P) != n)
		return;
	if (m > 0 && !glp_bf_exists(P) && glp_factorize(P) != 0)
		return;
	out->rhs_lo = pc_malloc((size_t)(m ? m : 1) * sizeof(double));
	out->rhs_hi = pc_malloc((size_t)(m ? m : 1) * sizeof(double));
	out->cost_lo = pc_malloc((size_t)(n ? n : 1) * sizeof(double));
	out->cost_hi = pc_malloc((size_t)(n ? n : 1) * sizeof(double));
	if (!out->rhs_lo || !out->rhs_hi || !out->cost_lo || !out->cost_hi)
		goto drop; /* (lp_solve sees the failed allocation and fails the solve) */
	r->in_ranging = 1;
	for (int i = 1; i <= m; i++) {
		int type = glp_get_row_type(P, i), st = glp_get_row_stat(P, i), v1, v2;
		double act = glp_get_row_prim(P, i), lo = -HUGE_VAL, hi = HUGE_VAL;
		if (type == GLP_FR) {
			/* no bound to move */
		} else if (st == GLP_BS) {
			/* inactive: the bound may come down (or up) to the activity */
			if (type == GLP_UP || type == GLP_DB)
				lo = act;
			else if (type == GLP_LO)
				hi = act;
			else
				lo = hi = act;
		} else {
			glp_analyze_bound(P, i, &lo, &v1, &hi, &v2);
			lo = unlimited(lo);
			hi = unlimited(hi);
		}
		out->rhs_lo[i - 1] = lo;
		out->rhs_hi[i - 1] = hi;
	}
	for (int j = 1; j <= n; j++) {
		int st = glp_get_col_stat(P, j), v1, v2;
		double c = glp_get_obj_coef(P, j), d = glp_get_col_dual(P, j);
		double lo = -HUGE_VAL, hi = HUGE_VAL, x1, x2;
		/* a non-basic column stays where it is until its reduced cost reaches zero */
		switch (st) {
		case GLP_BS:
			glp_analyze_coef(P, m + j, &lo, &v1, &x1, &hi, &v2, &x2);
			lo = unlimited(lo);
			hi = unlimited(hi);
			break;
		case GLP_NL:
			if (minimize)
				lo = c - fmax(d, 0.0);
			else
				hi = c - fmin(d, 0.0);
			break;
		case GLP_NU:
			if (minimize)
				hi = c - fmin(d, 0.0);
			else
				lo = c - fmax(d, 0.0);
			break;
		case GLP_NF:
			lo = hi = c;
			break;
		default: /* GLP_NS: fixed, whatever it costs */
			break;
		}
		out->cost_lo[j - 1] = lo;
		out->cost_hi[j - 1] = hi;
	}
	if (r->o->cost_group && r->o->ncost_groups > 0 && group_ranges(P, r) != 0)
		goto drop;
	r->in_ranging = 0;
	out->has_ranging = 1;
	return;
drop:
	r->in_ranging = 0;
	drop_ranging(out);
}

/* Fix the integer columns at their values in out->x and re-solve the LP, for duals and
 * reduced costs of the MIP solution.  On success the fixed LP's primal values replace
 * out->x: the integers are unchanged and the continuous columns are optimal for them. */
static int mip_duals(glp_prob *P, struct run *r)
{
	const struct lpm *lp = r->lp;
	char why[200];

	/* A MIP stopped by the time limit still deserves prices; the fixed LP is cheap next
	 * to branch-and-cut, so it gets a short allowance of its own. */
	if (r->deadline > 0) {
		double grace = fmax(1.0, 0.1 * r->o->time_limit_s);
		r->deadline = fmax(r->deadline, now_s() + grace);
	}
	for (size_t j = 0; j < lp->ncols; j++)
		if (lp->cols[j].integer) {
			double v = nearbyint(r->out->x[j]);
			glp_set_col_kind(P, (int)j + 1, GLP_CV);
			glp_set_col_bnds(P, (int)j + 1, GLP_FX, v, v);
		}
	if (r->relax_rstat && glp_get_num_rows(P) == r->relax_m) {
		glp_smcp parm;
		for (int i = 1; i <= r->relax_m; i++)
			glp_set_row_stat(P, i, r->relax_rstat[i]);
		for (int j = 1; j <= (int)lp->ncols; j++)
			glp_set_col_stat(P, j, r->relax_cstat[j]);
		glp_init_smcp(&parm);
		parm.msg_lev = r->o->verbose ? GLP_MSG_ON : GLP_MSG_ERR;
		parm.meth = GLP_DUALP;
		parm.tm_lim = time_left_ms(r);
		if (parm.tm_lim > 0 && glp_factorize(P) == 0 && glp_simplex(P, &parm) == 0 &&
		    glp_get_status(P) == GLP_OPT) {
			take_solution(P, r, 0, 1);
			return 0;
		}
	}
	if (run_simplex(P, r, why, sizeof(why)) != LPO_OPTIMAL) {
		set_message(r->out,
			    "no duals: the LP with the integer columns fixed was not "
			    "solved (%s)",
			    why);
		return -1;
	}
	take_solution(P, r, 0, 1);
	return 0;
}

static void solve_mip(glp_prob *P, struct run *r)
{
	struct solution *out = r->out;
	glp_iocp parm;
	int rc, st;

	glp_init_iocp(&parm);
	parm.msg_lev = r->o->verbose ? GLP_MSG_ON : GLP_MSG_ERR;
	parm.presolve = GLP_OFF; /* the relaxation is already solved in P */
	parm.tol_int = r->o->tol_int;
	parm.mip_gap = r->o->mip_gap;
	parm.tm_lim = time_left_ms(r);
	parm.cb_func = on_branch;
	parm.cb_info = r;
	if (r->session) {
		/* measured on the default plan's scenarios: Gomory cuts and no preprocessing
		 * at every node make branch-and-cut several times faster */
		parm.gmi_cuts = GLP_ON;
		parm.pp_tech = GLP_PP_NONE;
	}
	if (parm.tm_lim == 0) {
		fail(out, SOL_TIME_LIMIT, "time limit reached before branch-and-cut");
		return;
	}
	r->mip_gap = 0.0;
	rc = glp_intopt(P, &parm);
	st = glp_mip_status(P);
	if (st == GLP_NOFEAS || (rc == 0 && st != GLP_OPT && st != GLP_FEAS)) {
		fail(out, SOL_INFEASIBLE, "no integer solution satisfies the constraints");
		return;
	}
	if (st != GLP_OPT && st != GLP_FEAS) {
		if (rc == GLP_ETMLIM || rc == GLP_ESTOP)
			fail(out, SOL_TIME_LIMIT, "no integer solution found before the %s",
			     rc == GLP_ETMLIM ? "time limit" : "stop");
		else
			fail(out, SOL_NUMERICAL, "branch-and-cut failed: %s (GLPK code %d)",
			     simplex_rc_name(rc), rc);
		return;
	}
	if (rc == 0 && st == GLP_OPT) {
		out->status = SOL_OPTIMAL;
		out->mip_gap = 0.0;
	} else if (rc == GLP_EMIPGAP) {
		/* Stopped because the gap is within the requested tolerance: optimal for the
		 * tolerance asked for, as other MIP solvers report it; the gap is kept. */
		out->status = SOL_OPTIMAL;
		out->mip_gap = r->mip_gap;
	} else {
		out->status = SOL_FEASIBLE;
		out->mip_gap = r->mip_gap;
		set_message(out,
			    "%s: best integer solution found, not proven optimal "
			    "(relative gap %.3g)",
			    rc == GLP_ETMLIM ? "time limit reached" : simplex_rc_name(rc),
			    r->mip_gap);
	}
	take_solution(P, r, 1, 0);
	if (r->o->want_duals && mip_duals(P, r) == 0) {
		out->has_duals = 1;
		if (r->o->want_ranging)
			take_ranging(P, r);
	}
}

/* Everything that calls GLPK.  On a GLPK error the error hook longjmps to guarded_solve. */
static void solve_body(struct run *r)
{
	struct solution *out = r->out;
	char why[200];
	glp_prob *P;

	P = glp_create_prob();
	load(P, r);
	glp_scale_prob(P, GLP_SF_AUTO);

	switch (run_simplex(P, r, why, sizeof(why))) {
	case LPO_OPTIMAL:
		if (r->has_integer) {
			solve_mip(P, r);
		} else {
			out->status = SOL_OPTIMAL;
			take_solution(P, r, 0, 1);
			out->has_duals = 1;
			if (r->o->want_ranging)
				take_ranging(P, r);
		}
		break;
	case LPO_INFEASIBLE:
		fail(out, SOL_INFEASIBLE, "%s%s", r->has_integer ? "LP relaxation: " : "", why);
		break;
	case LPO_UNBOUNDED:
		fail(out, SOL_UNBOUNDED, "%s%s", r->has_integer ? "LP relaxation: " : "", why);
		break;
	case LPO_FEASIBLE_TIME:
		if (!r->has_integer) {
			out->status = SOL_FEASIBLE;
			set_message(out, "%s", why);
			take_solution(P, r, 0, 0);
			break;
		}
		fail(out, SOL_TIME_LIMIT, "LP relaxation: %s", why);
		break;
	case LPO_TIME:
		fail(out, SOL_TIME_LIMIT, "%s%s", r->has_integer ? "LP relaxation: " : "", why);
		break;
	case LPO_NUMERICAL:
		fail(out, SOL_NUMERICAL, "%s%s", r->has_integer ? "LP relaxation: " : "", why);
		break;
	}
	out->iterations = glp_get_it_cnt(P);
	glp_delete_prob(P);
}

/* The only setjmp.  r is never modified here, so it is well defined after longjmp. */
static int guarded_solve(struct run *r)
{
	if (setjmp(r->jb) != 0)
		return -1;
	solve_body(r);
	return 0;
}

static int has_point(enum sol_status s)
{
	return s == SOL_OPTIMAL || s == SOL_FEASIBLE;
}

/* What every solve does first: set the deadline, check and prepare the model (prepare),
 * and allocate the solution arrays.  Returns 0 (ready), 1 (out->status says why the model
 * never reaches GLPK) or -1 (out of memory). */
static int start_run(struct run *r)
{
	const struct lpm *lp = r->lp;
	struct solution *out = r->out;
	int rc;

	if (r->o->time_limit_s > 0)
		r->deadline = now_s() + r->o->time_limit_s;
	rc = prepare(r);
	if (rc != 0)
		return rc;
	out->x = pc_calloc(lp->ncols ? lp->ncols : 1, sizeof(*out->x));
	out->dj = pc_calloc(lp->ncols ? lp->ncols : 1, sizeof(*out->dj));
	out->y = pc_calloc(lp->nrows ? lp->nrows : 1, sizeof(*out->y));
	return out->x && out->dj && out->y ? 0 : -1;
}

int lp_solve(struct solution *out, const struct lpm *lp, const struct lp_opts *o)
{
	static const struct lp_opts defaults = LP_OPTS_INIT;
	struct run *r;
	int rc = -1;

	unsigned long lost = alloc_failures();

	memset(out, 0, sizeof(*out));
	out->status = SOL_FAILED;
	if (!o)
		o = &defaults;
	/* The run state is large (jmp_buf, line buffers): keep it off small worker stacks. */
	r = pc_calloc(1, sizeof(*r));
	if (!r)
		return -1;
	r->lp = lp;
	r->o = o;
	r->out = out;

	if (!lp) {
		fail(out, SOL_FAILED, "no model");
		rc = 0;
		goto done;
	}
	if (!(o->tol_int > 0 && o->tol_int < 1) || !(o->mip_gap >= 0 && o->mip_gap < 1) ||
	    !(o->time_limit_s >= 0) || !isfinite(o->time_limit_s) || !(o->recheck_tol > 0) ||
	    !isfinite(o->recheck_tol)) {
		fail(out, SOL_FAILED,
		     "invalid solver options (tol_int %g, mip_gap %g, "
		     "time_limit_s %g, recheck_tol %g)",
		     o->tol_int, o->mip_gap, o->time_limit_s, o->recheck_tol);
		rc = 0;
		goto done;
	}
	switch (start_run(r)) {
	case 1:
		rc = 0;
		goto done;
	case -1:
		goto done;
	}

	/* 1 = already initialised on this thread; 2 = no memory; 3 = no TLS support. */
	int env = glp_init_env();
	if (env != 0 && env != 1)
		goto done;
	glp_term_hook(on_term, r);
	glp_error_hook(on_error, r);
	if (guarded_solve(r) != 0) {
		/* GLPK called its error handler: the environment, the problem object and all
		 * GLPK memory of this thread are freed together; GLPK is usable again. */
		glp_free_env();
		env_generation++;
		drop_ranging(out);
		if (!r->in_ranging) {
			/* (in the sensitivity analysis, the solution taken before stands) */
			out->status = SOL_FAILED;
			out->has_duals = 0;
			if (r->nlines >= 2)
				set_message(out, "solver error: %s (%s)", r->line[0], r->line[1]);
			else
				set_message(out, "solver error: %s",
					    r->nlines ? r->line[1] : r->cur);
		}
	} else {
		glp_term_hook(NULL, NULL);
		glp_error_hook(NULL, NULL);
	}
	if (alloc_failures() != lost)
		goto done; /* something asked for (ranges, a message) could not be kept */

	if (has_point(out->status)) {
		out->objective = objective_of(lp, out->x);
		if (!out->has_duals) {
			free(out->dj);
			free(out->y);
			out->dj = out->y = NULL;
		}
		int nviol = model_recheck(lp, out, o->recheck_tol);
		if (nviol < 0)
			goto done; /* out of memory: an unchecked answer is no answer */
		if (nviol > 0) {
			const char *was = sol_status_name(out->status);
			out->status = SOL_FAILED;
			set_message(out, "the solver reported %s, but the re-check found: %s", was,
				    out->violation ? out->violation : "a violation");
		}
	} else {
		/* No point to report: do not hand out arrays of meaningless numbers. */
		free(out->x);
		free(out->dj);
		free(out->y);
		out->x = out->dj = out->y = NULL;
		out->has_duals = 0;
		out->objective = 0.0;
	}
	rc = 0;
done:
	if (rc != 0) {
		solution_release(out);
		out->status = SOL_FAILED;
	}
	free(r->ia);
	free(r->ja);
	free(r->ar);
	free(r->ilb);
	free(r->iub);
	free(r);
	return rc;
}

void lp_thread_done(void)
{
	glp_free_env();
	env_generation++;
}

static char version_text[40];
static pthread_once_t version_once = PTHREAD_ONCE_INIT;

static void version_init(void)
{
	snprintf(version_text, sizeof(version_text), "GLPK %s", glp_version());
}

const char *lp_solver_version(void)
{
	pthread_once(&version_once, version_init);
	return version_text;
}

int lp_solver_thread_safe(void)
{
	return glp_config("TLS") != NULL;
}

/* ---- scenario sessions (lp.h: lp_anchor, lp_session) ---------------------------------- */

/* Rows are matched between the base model and a scenario's by tag, so that a scenario may
 * lack a row the base has (it becomes a free row) or have one more (appended for the solve,
 * deleted afterwards).  An open-addressing table of base row index + 1 (0 = empty). */
struct lp_anchor {
	const struct lpm *lp; /* the base (nominal) model, borrowed */
	int ok;		      /* row_stat/col_stat hold an optimal basis of its relaxation */
	int *row_stat, *col_stat;
	double *int_x; /* nominal values of every column (integers used), or NULL */
	int *table;
	size_t mask;
	int unique; /* the base rows' tags are unique: scenarios may add or drop rows */
};

struct lp_session {
	const struct lp_anchor *a;
	glp_prob *P;
	unsigned long gen; /* env_generation when P was made */
	/* the base model checked and merged (prepare), loaded into every new P */
	struct run *base;
	/* scratch, sized for the base model and grown for scenarios */
	int *rowmap, *ia, *delrows, *rstat, *cstat;
	unsigned char *seen;
	double *heur, *zc, *zb;
	size_t cap_rows, cap_nz, cap_cols;
	int nextra;
	struct lp_session_info *info;
};

static size_t tag_hash(const struct lpm_tag *t)
{
	uint64_t h = 1469598103934665603ULL;
	int v[5] = {t->kind, t->a, t->b, t->c, t->d};
	for (int k = 0; k < 5; k++) {
		h ^= (uint32_t)v[k];
		h *= 1099511628211ULL;
		h ^= h >> 29;
	}
	return (size_t)h;
}

static int tag_eq(const struct lpm_tag *x, const struct lpm_tag *y)
{
	return x->kind == y->kind && x->a == y->a && x->b == y->b && x->c == y->c && x->d == y->d;
}

/* Base row with this tag, or -1. */
static int anchor_find_row(const struct lp_anchor *a, const struct lpm_tag *t)
{
	for (size_t h = tag_hash(t) & a->mask;; h = (h + 1) & a->mask) {
		int v = a->table[h];
		if (v == 0)
			return -1;
		if (tag_eq(&a->lp->rows[v - 1].tag, t))
			return v - 1;
	}
}

/* setjmp around a body that calls GLPK; r is only read here, so it is well defined after
 * longjmp. */
static int guarded_call(struct run *r, void (*body)(struct run *, void *), void *ctx)
{
	if (setjmp(r->jb) != 0)
		return -1;
	body(r, ctx);
	return 0;
}

/* Install the hooks for r on this thread; -1 when GLPK's environment cannot be made. */
static int hooks_on(struct run *r)
{
	int env = glp_init_env();
	if (env != 0 && env != 1)
		return -1;
	glp_term_hook(on_term, r);
	glp_error_hook(on_error, r);
	return 0;
}

static void hooks_off(void)
{
	glp_term_hook(NULL, NULL);
	glp_error_hook(NULL, NULL);
}

static void free_run_arrays(struct run *r)
{
	free(r->ia);
	free(r->ja);
	free(r->ar);
	free(r->ilb);
	free(r->iub);
	r->ia = r->ja = NULL;
	r->ar = r->ilb = r->iub = NULL;
}

static void anchor_body(struct run *r, void *ctx)
{
	struct lp_anchor *a = ctx;
	char why[200];
	glp_prob *P = glp_create_prob();

	load(P, r);
	glp_scale_prob(P, GLP_SF_AUTO);
	if (run_simplex(P, r, why, sizeof(why)) == LPO_OPTIMAL) {
		for (size_t i = 0; i < r->lp->nrows; i++)
			a->row_stat[i] = glp_get_row_stat(P, (int)i + 1);
		for (size_t j = 0; j < r->lp->ncols; j++)
			a->col_stat[j] = glp_get_col_stat(P, (int)j + 1);
		a->ok = 1;
	}
	glp_delete_prob(P);
}

int lp_anchor_new(struct lp_anchor **out, const struct lpm *lp, const double *nominal_x,
		  const struct lp_opts *o)
{
	static const struct lp_opts defaults = LP_OPTS_INIT;
	struct lp_anchor *a;
	struct solution scratch;
	struct run *r;
	size_t nt;

	*out = NULL;
	if (!o)
		o = &defaults;
	a = pc_calloc(1, sizeof(*a));
	r = pc_calloc(1, sizeof(*r));
	if (!a || !r)
		goto nomem;
	a->lp = lp;
	a->row_stat = pc_malloc((lp->nrows ? lp->nrows : 1) * sizeof(int));
	a->col_stat = pc_malloc((lp->ncols ? lp->ncols : 1) * sizeof(int));
	for (nt = 16; nt < 2 * lp->nrows + 16; nt *= 2)
		;
	a->table = pc_calloc(nt, sizeof(int));
	a->mask = nt - 1;
	if (!a->row_stat || !a->col_stat || !a->table)
		goto nomem;
	if (nominal_x) {
		a->int_x = pc_malloc((lp->ncols ? lp->ncols : 1) * sizeof(double));
		if (!a->int_x)
			goto nomem;
		memcpy(a->int_x, nominal_x, lp->ncols * sizeof(double));
	}
	a->unique = 1;
	for (size_t i = 0; i < lp->nrows && a->unique; i++) {
		size_t h = tag_hash(&lp->rows[i].tag) & a->mask;
		for (; a->table[h]; h = (h + 1) & a->mask)
			if (tag_eq(&lp->rows[a->table[h] - 1].tag, &lp->rows[i].tag))
				a->unique = 0;
		a->table[h] = (int)i + 1;
	}

	memset(&scratch, 0, sizeof(scratch));
	r->lp = lp;
	r->o = o;
	r->out = &scratch;
	if (o->time_limit_s > 0)
		r->deadline = now_s() + o->time_limit_s;
	switch (prepare(r)) {
	case -1:
		goto nomem;
	case 1:
		break; /* no anchor basis: every scenario is solved cold */
	default:
		if (hooks_on(r) != 0)
			goto nomem;
		if (guarded_call(r, anchor_body, a) != 0) {
			glp_free_env();
			env_generation++;
			a->ok = 0;
		} else {
			hooks_off();
		}
	}
	free_run_arrays(r);
	free(scratch.message);
	free(r);
	*out = a;
	return 0;
nomem:
	if (r)
		free_run_arrays(r);
	free(r);
	lp_anchor_free(a);
	return -1;
}

void lp_anchor_free(struct lp_anchor *a)
{
	if (!a)
		return;
	free(a->row_stat);
	free(a->col_stat);
	free(a->int_x);
	free(a->table);
	free(a);
}

int lp_anchor_ok(const struct lp_anchor *a)
{
	return a && a->ok;
}

int lp_session_new(struct lp_session **out, const struct lp_anchor *a)
{
	static const struct lp_opts defaults = LP_OPTS_INIT;
	struct lp_session *s = pc_calloc(1, sizeof(*s));
	struct solution scratch;

	*out = NULL;
	if (!s)
		return -1;
	s->a = a;
	if (a->ok) {
		s->base = pc_calloc(1, sizeof(*s->base));
		if (!s->base)
			goto nomem;
		memset(&scratch, 0, sizeof(scratch));
		s->base->lp = a->lp;
		s->base->o = &defaults;
		s->base->out = &scratch;
		int rc = prepare(s->base);
		free(scratch.message);
		if (rc != 0)
			goto nomem; /* the anchor's model passed prepare before: only memory */
		s->base->out = NULL;
	}
	*out = s;
	return 0;
nomem:
	lp_session_free(s);
	return -1;
}

void lp_session_free(struct lp_session *s)
{
	if (!s)
		return;
	/* The problem object belongs to this thread's GLPK environment; if that was freed
	 * meanwhile, so was the problem. */
	if (s->P && s->gen == env_generation)
		glp_delete_prob(s->P);
	if (s->base) {
		free_run_arrays(s->base);
		free(s->base);
	}
	free(s->rowmap);
	free(s->ia);
	free(s->delrows);
	free(s->rstat);
	free(s->cstat);
	free(s->seen);
	free(s->heur);
	free(s->zc);
	free(s->zb);
	free(s);
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap && *p)
		return 0;
	void *q = pc_realloc(*p, (need ? need : 1) * size);
	if (!q)
		return -1;
	*p = q;
	*cap = need;
	return 0;
}

/* Map the scenario's rows onto the base's: rowmap[i] = GLPK row (1-based), extra rows
 * numbered after the base rows.  Returns 0, or 1 when the structure cannot be matched
 * (then the scenario is solved cold). */
static int match_structure(struct lp_session *s, const struct lpm *L)
{
	const struct lpm *B = s->a->lp;
	int m0 = (int)B->nrows;

	if (L->ncols != B->ncols)
		return 1;
	for (size_t j = 0; j < L->ncols; j++)
		if (L->cols[j].integer != B->cols[j].integer || !tag_eq(&L->cols[j].tag, &B->cols[j].tag))
			return 1;
	memset(s->seen, 0, B->nrows ? B->nrows : 1);
	s->nextra = 0;
	if (L->nrows == B->nrows) {
		size_t i;
		for (i = 0; i < L->nrows && tag_eq(&L->rows[i].tag, &B->rows[i].tag); i++)
			s->rowmap[i] = (int)i + 1;
		if (i == L->nrows) {
			memset(s->seen, 1, B->nrows ? B->nrows : 1);
			return 0;
		}
	}
	if (!s->a->unique)
		return 1;
	for (size_t i = 0; i < L->nrows; i++) {
		int b = anchor_find_row(s->a, &L->rows[i].tag);
		if (b < 0) {
			s->rowmap[i] = m0 + ++s->nextra;
		} else {
			if (s->seen[b])
				return 1; /* two scenario rows for one base row */
			s->seen[b] = 1;
			s->rowmap[i] = b + 1;
		}
	}
	return 0;
}

/* Make the session's problem object: the base model, scaled once from the base matrix so
 * that every scenario is solved with the same scale factors. */
static void session_make(struct lp_session *s)
{
	s->P = glp_create_prob();
	s->gen = env_generation;
	load(s->P, s->base);
	glp_scale_prob(s->P, GLP_SF_AUTO);
}

/* Count basic variables outside their bounds and non-basic ones whose reduced cost has the
 * wrong sign, after glp_warm_up. */
static void count_infeasible(glp_prob *P, int *np, int *nd)
{
	int m = glp_get_num_rows(P), n = glp_get_num_cols(P);
	double dir = glp_get_obj_dir(P) == GLP_MIN ? 1.0 : -1.0;

	*np = *nd = 0;
	for (int k = 1; k <= m + n; k++) {
		int type, st;
		double lb, ub, x, d;
		if (k <= m) {
			type = glp_get_row_type(P, k);
			st = glp_get_row_stat(P, k);
			lb = glp_get_row_lb(P, k);
			ub = glp_get_row_ub(P, k);
			x = glp_get_row_prim(P, k);
			d = glp_get_row_dual(P, k);
		} else {
			type = glp_get_col_type(P, k - m);
			st = glp_get_col_stat(P, k - m);
			lb = glp_get_col_lb(P, k - m);
			ub = glp_get_col_ub(P, k - m);
			x = glp_get_col_prim(P, k - m);
			d = glp_get_col_dual(P, k - m);
		}
		if (st == GLP_BS) {
			int haslo = type == GLP_LO || type == GLP_DB || type == GLP_FX;
			int hasup = type == GLP_UP || type == GLP_DB || type == GLP_FX;
			if ((haslo && x < lb - 1e-7 * (1.0 + fabs(lb))) ||
			    (hasup && x > ub + 1e-7 * (1.0 + fabs(ub))))
				(*np)++;
		} else {
			d *= dir;
			if (((st == GLP_NL || st == GLP_NF) && d < -1e-7) ||
			    ((st == GLP_NU || st == GLP_NF) && d > 1e-7))
				(*nd)++;
		}
	}
}

/* The MIP part of a session solve, with the relaxation optimal in P.  First the nominal
 * integer values (clamped to this scenario's bounds) are fixed and the LP re-solved: when
 * that plan is within the MIP gap of the relaxation's bound it is the answer, with the fixed
 * LP's duals, and branch-and-cut is not needed; otherwise it is offered to branch-and-cut as
 * its first incumbent. */
/* Whole-unit value v for integer column j, within its (rounded) bounds. */
static double clamp_int(const struct run *r, size_t j, double v)
{
	enum lpm_bound t = r->lp->cols[j].type;
	if (t != LPM_UP && t != LPM_FREE)
		v = fmax(v, r->ilb[j]);
	if (t == LPM_UP || t == LPM_DB || t == LPM_FX)
		v = fmin(v, r->iub[j]);
	return v;
}

/* The LP with the integer columns fixed at z, by the dual simplex from P's basis (which
 * stays dual feasible: only bounds change).  1 and *obj when optimal. */
static int fixed_lp(struct run *r, glp_prob *P, const double *z, double *obj)
{
	glp_smcp parm;
	for (size_t j = 0; j < r->lp->ncols; j++)
		if (r->lp->cols[j].integer)
			glp_set_col_bnds(P, (int)j + 1, GLP_FX, z[j], z[j]);
	glp_init_smcp(&parm);
	parm.msg_lev = r->o->verbose ? GLP_MSG_ON : GLP_MSG_ERR;
	parm.meth = GLP_DUALP;
	parm.tm_lim = time_left_ms(r);
	if (parm.tm_lim > 0 && glp_simplex(P, &parm) == 0 && glp_get_status(P) == GLP_OPT) {
		*obj = glp_get_obj_val(P);
		return 1;
	}
	return 0;
}

static void session_mip(struct lp_session *s, struct run *r, glp_prob *P)
{
	const struct lpm *L = r->lp;
	struct solution *out = r->out;
	int m = glp_get_num_rows(P), n = (int)L->ncols;
	double bound = glp_get_obj_val(P), best = HUGE_VAL, obj;
	double *xr = out->x, *z = s->zc, *zb = s->zb; /* out->x: scratch until take_solution */
	char why[200];

	/* A plan with whole units first: the relaxation's units rounded down (which never
	 * exceeds a capacity), or failing that the nominal plan's, fixed and the LP re-solved
	 * by the dual simplex from the relaxation's basis.  Within the MIP gap of the
	 * relaxation's bound that plan is the answer; otherwise branch-and-cut starts from it.
	 * (Rounding to nearest and a pass of one-unit moves were tried: on the default plan
	 * they never reached the gap and cost more than they saved in branch-and-cut.) */
	for (int i = 1; i <= m; i++)
		s->rstat[i] = glp_get_row_stat(P, i);
	for (int j = 1; j <= n; j++)
		s->cstat[j] = glp_get_col_stat(P, j);
	for (int j = 0; j < n; j++)
		xr[j] = glp_get_col_prim(P, j + 1);
	for (int cand = 0; cand < 2 && best == HUGE_VAL; cand++) {
		if (cand == 1 && !s->a->int_x)
			break;
		for (int j = 0; j < n; j++)
			if (L->cols[j].integer) {
				double v = cand == 0 ? floor(xr[j] + 1e-9 * fmax(1.0, fabs(xr[j])))
						     : nearbyint(s->a->int_x[j]);
				z[j] = clamp_int(r, (size_t)j, v);
			}
		for (int i = 1; i <= m; i++)
			glp_set_row_stat(P, i, s->rstat[i]);
		for (int j = 1; j <= n; j++)
			glp_set_col_stat(P, j, s->cstat[j]);
		if (fixed_lp(r, P, z, &obj) && obj < best) {
			best = obj;
			memcpy(zb, z, (size_t)n * sizeof(*z));
		}
	}
	if (best < HUGE_VAL) {
		/* P holds the plan's LP, solved */
		{
			obj = best;
			double gap = fabs(obj - bound) / (fabs(obj) + DBL_EPSILON);
			if (gap <= r->o->mip_gap) {
				out->status = SOL_OPTIMAL;
				out->mip_gap = gap;
				take_solution(P, r, 0, r->o->want_duals);
				out->has_duals = r->o->want_duals;
				if (s->info)
					s->info->mip = LP_MIP_ROUNDED;
				return;
			}
			for (int j = 1; j <= n; j++)
				s->heur[j] = glp_get_col_prim(P, j);
			for (int j = 0; j < n; j++)
				if (L->cols[j].integer)
					s->heur[j + 1] = zb[j];
			r->heur_x = s->heur;
		}
	}
	/* back to the relaxation's optimal basis */
	for (int j = 0; j < n; j++)
		if (L->cols[j].integer) {
			int t;
			double l, u;
			glpk_bounds(L->cols[j].type, r->ilb[j], r->iub[j], &t, &l, &u);
			glp_set_col_bnds(P, j + 1, t, l, u);
		}
	for (int i = 1; i <= m; i++)
		glp_set_row_stat(P, i, s->rstat[i]);
	for (int j = 1; j <= n; j++)
		glp_set_col_stat(P, j, s->cstat[j]);
	/* factorise here: run_simplex would take a missing factorisation for a missing basis
	 * and build a new one */
	if (glp_factorize(P) != 0 || run_simplex(P, r, why, sizeof(why)) != LPO_OPTIMAL) {
		fail(out, SOL_NUMERICAL, "LP relaxation: %s", why);
		return;
	}
	if (s->info)
		s->info->mip = r->heur_x ? LP_MIP_INCUMBENT : LP_MIP_SEARCH;
	for (int i = 1; i <= m; i++)
		s->rstat[i] = glp_get_row_stat(P, i);
	for (int j = 1; j <= n; j++)
		s->cstat[j] = glp_get_col_stat(P, j);
	r->session = 1;
	r->relax_rstat = s->rstat;
	r->relax_cstat = s->cstat;
	r->relax_m = m;
	solve_mip(P, r);
}

static void session_body(struct run *r, void *ctx)
{
	struct lp_session *s = ctx;
	const struct lpm *L = r->lp;
	const struct lp_anchor *a = s->a;
	struct solution *out = r->out;
	int m0 = (int)a->lp->nrows, n = (int)L->ncols, t;
	double l, u;
	char why[200];
	glp_prob *P;
	int it0;

	if (!s->P || s->gen != env_generation)
		session_make(s);
	P = s->P;
	it0 = glp_get_it_cnt(P);
	if (s->nextra > 0)
		glp_add_rows(P, s->nextra);
	/* The whole matrix, every bound and cost are written for every scenario, so the
	 * problem object holds the same data in the same order whatever was solved before. */
	for (int k = 1; k <= r->ne; k++)
		s->ia[k] = s->rowmap[r->ia[k] - 1];
	glp_load_matrix(P, r->ne, s->ia, r->ja, r->ar);
	for (int i = 0; i < m0; i++)
		if (!s->seen[i])
			glp_set_row_bnds(P, i + 1, GLP_FR, 0.0, 0.0);
	for (size_t i = 0; i < L->nrows; i++) {
		glpk_bounds(L->rows[i].type, L->rows[i].lb, L->rows[i].ub, &t, &l, &u);
		glp_set_row_bnds(P, s->rowmap[i], t, l, u);
	}
	glp_set_obj_coef(P, 0, L->obj_const);
	for (int j = 0; j < n; j++) {
		const struct lpm_col *c = &L->cols[j];
		if (c->integer) {
			glpk_bounds(c->type, r->ilb[j], r->iub[j], &t, &l, &u);
			glp_set_col_kind(P, j + 1, GLP_IV);
		} else {
			glpk_bounds(c->type, c->lb, c->ub, &t, &l, &u);
			glp_set_col_kind(P, j + 1, GLP_CV);
		}
		glp_set_col_bnds(P, j + 1, t, l, u);
		glp_set_obj_coef(P, j + 1, c->obj);
	}
	/* the anchor basis; extra rows enter with their slack basic */
	for (int i = 0; i < m0; i++)
		glp_set_row_stat(P, i + 1, a->row_stat[i]);
	for (int i = 0; i < s->nextra; i++)
		glp_set_row_stat(P, m0 + i + 1, GLP_BS);
	for (int j = 0; j < n; j++)
		glp_set_col_stat(P, j + 1, a->col_stat[j]);

	enum lp_outcome lo = LPO_NUMERICAL;
	int decided = 0;
	if (glp_factorize(P) == 0 && glp_warm_up(P) == 0) {
		if (glp_get_status(P) == GLP_OPT) {
			/* the anchor basis is still optimal: no simplex iteration at all */
			s->info->start = LP_START_KEPT;
			lo = LPO_OPTIMAL;
			decided = 1;
		} else {
			int np, nd;
			glp_smcp parm;
			count_infeasible(P, &np, &nd);
			glp_init_smcp(&parm);
			parm.msg_lev = r->o->verbose ? GLP_MSG_ON : GLP_MSG_ERR;
			parm.meth = nd == 0 ? GLP_DUALP : GLP_PRIMAL;
			parm.tm_lim = time_left_ms(r);
			s->info->dual = nd == 0;
			if (parm.tm_lim > 0 && glp_simplex(P, &parm) == 0) {
				switch (glp_get_status(P)) {
				case GLP_OPT:
					lo = LPO_OPTIMAL;
					decided = 1;
					break;
				case GLP_NOFEAS:
					snprintf(why, sizeof(why), "no feasible solution");
					lo = LPO_INFEASIBLE;
					decided = 1;
					break;
				case GLP_UNBND:
					snprintf(why, sizeof(why), "the objective is unbounded");
					lo = LPO_UNBOUNDED;
					decided = 1;
					break;
				}
			}
		}
	}
	if (!decided) {
		/* warm start failed (singular basis, no decision): the cold sequence */
		s->info->start = LP_START_COLD;
		glp_std_basis(P);
		glp_adv_basis(P, 0);
		lo = run_simplex(P, r, why, sizeof(why));
	}
	switch (lo) {
	case LPO_OPTIMAL:
		if (r->has_integer) {
			session_mip(s, r, P);
		} else {
			out->status = SOL_OPTIMAL;
			take_solution(P, r, 0, 1);
			out->has_duals = 1;
		}
		break;
	case LPO_INFEASIBLE:
		fail(out, SOL_INFEASIBLE, "%s%s", r->has_integer ? "LP relaxation: " : "", why);
		break;
	case LPO_UNBOUNDED:
		fail(out, SOL_UNBOUNDED, "%s%s", r->has_integer ? "LP relaxation: " : "", why);
		break;
	case LPO_FEASIBLE_TIME:
	case LPO_TIME:
		fail(out, SOL_TIME_LIMIT, "%s%s", r->has_integer ? "LP relaxation: " : "", why);
		break;
	case LPO_NUMERICAL:
		fail(out, SOL_NUMERICAL, "%s%s", r->has_integer ? "LP relaxation: " : "", why);
		break;
	}
	out->iterations = glp_get_it_cnt(P) - it0;
	if (s->nextra > 0) {
		for (int i = 0; i < s->nextra; i++)
			s->delrows[i + 1] = m0 + i + 1;
		glp_del_rows(P, s->nextra, s->delrows);
	}
}

int lp_session_solve(struct lp_session *s, struct solution *out, struct lp_session_info *info,
		     const struct lpm *lp, const struct lp_opts *o)
{
	static const struct lp_opts defaults = LP_OPTS_INIT;
	struct lp_session_info dummy;
	struct run *r = NULL;
	int rc = -1;

	if (!info)
		info = &dummy;
	memset(info, 0, sizeof(*info));
	info->start = LP_START_WARM;
	if (!o)
		o = &defaults;
	if (!s->a->ok || !lp || lp->oom) {
		info->start = LP_START_COLD;
		return lp_solve(out, lp, o);
	}
	memset(out, 0, sizeof(*out));
	out->status = SOL_FAILED;
	if (!(o->tol_int > 0 && o->tol_int < 1) || !(o->mip_gap >= 0 && o->mip_gap < 1) ||
	    !(o->time_limit_s >= 0) || !isfinite(o->time_limit_s) || !(o->recheck_tol > 0)) {
		info->start = LP_START_COLD;
		return lp_solve(out, lp, o);
	}
	/* scratch for this scenario's size */
	size_t m0 = s->a->lp->nrows;
	if (grow((void **)&s->rowmap, &s->cap_rows, lp->nrows + 1, sizeof(int)) ||
	    grow((void **)&s->ia, &s->cap_nz, lp->nnz + 1, sizeof(int)))
		return -1;
	if (!s->seen) {
		if (grow((void **)&s->heur, &s->cap_cols, lp->ncols + 1, sizeof(double)))
			return -1;
		s->seen = pc_malloc(m0 ? m0 : 1);
		s->cstat = pc_malloc((lp->ncols + 1) * sizeof(int));
		s->zc = pc_malloc((lp->ncols + 1) * sizeof(double));
		s->zb = pc_malloc((lp->ncols + 1) * sizeof(double));
		if (!s->seen || !s->cstat || !s->zc || !s->zb) {
			/* all or none: the next call allocates them again */
			free(s->seen);
			free(s->cstat);
			free(s->zc);
			free(s->zb);
			s->seen = NULL;
			s->cstat = NULL;
			s->zc = s->zb = NULL;
			return -1;
		}
	}
	if (match_structure(s, lp) != 0) {
		info->start = LP_START_COLD;
		return lp_solve(out, lp, o);
	}
	free(s->delrows);
	free(s->rstat);
	s->delrows = pc_malloc(((size_t)s->nextra + 1) * sizeof(int));
	s->rstat = pc_malloc((m0 + (size_t)s->nextra + 1) * sizeof(int));
	if (!s->delrows || !s->rstat)
		return -1;

	r = pc_calloc(1, sizeof(*r));
	if (!r)
		return -1;
	r->lp = lp;
	r->o = o;
	r->out = out;
	r->rowmap = s->rowmap;
	switch (start_run(r)) {
	case 1:
		rc = 0;
		goto done;
	case -1:
		goto done;
	}
	if (hooks_on(r) != 0)
		goto done;
	s->info = info;
	if (guarded_call(r, session_body, s) != 0) {
		glp_free_env(); /* frees s->P too: the next solve makes a new one */
		env_generation++;
		s->P = NULL;
		out->status = SOL_FAILED;
		out->has_duals = 0;
		if (r->nlines >= 2)
			set_message(out, "solver error: %s (%s)", r->line[0], r->line[1]);
		else
			set_message(out, "solver error: %s", r->nlines ? r->line[1] : r->cur);
	} else {
		hooks_off();
	}
	s->info = NULL;

	if (has_point(out->status)) {
		out->objective = objective_of(lp, out->x);
		if (!out->has_duals) {
			free(out->dj);
			free(out->y);
			out->dj = out->y = NULL;
		}
		int nviol = model_recheck(lp, out, o->recheck_tol);
		if (nviol < 0)
			goto done;
		if (nviol > 0) {
			/* The warm path ends in a different basis than a cold solve, and its
			 * tolerances may leave a row just outside ours: solve it cold, as `solve`
			 * would, which re-checks again. */
			solution_release(out);
			free_run_arrays(r);
			free(r);
			info->start = LP_START_COLD;
			return lp_solve(out, lp, o);
		}
	} else {
		free(out->x);
		free(out->dj);
		free(out->y);
		out->x = out->dj = out->y = NULL;
		out->has_duals = 0;
		out->objective = 0.0;
	}
	rc = 0;
done:
	if (rc != 0) {
		solution_release(out);
		out->status = SOL_FAILED;
	}
	if (r)
		free_run_arrays(r);
	free(r);
	return rc;
}
