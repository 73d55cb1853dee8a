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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

	/* GLPK's last two complete output lines and the one being assembled. */
	char line[2][TERM_LINE];
	char cur[TERM_LINE];
	size_t curlen;
	int nlines;
};

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
	if (n < 0 || !(s = malloc((size_t)n + 1)))
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
	r->ia = malloc((lp->nnz + 1) * sizeof(*r->ia));
	r->ja = malloc((lp->nnz + 1) * sizeof(*r->ja));
	r->ar = malloc((lp->nnz + 1) * sizeof(*r->ar));
	start = calloc(lp->ncols + 1, sizeof(*start));
	next = malloc((lp->ncols ? lp->ncols : 1) * sizeof(*next));
	order = malloc((lp->nnz ? lp->nnz : 1) * sizeof(*order));
	pos = calloc(lp->nrows ? lp->nrows : 1, sizeof(*pos));
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
		r->ilb = malloc(lp->ncols * sizeof(*r->ilb));
		r->iub = malloc(lp->ncols * sizeof(*r->iub));
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
		if (v == 0.0)
			v = 0.0; /* no negative zeros in reports */
		out->x[j] = v;
	}
	if (duals) {
		for (size_t j = 0; j < lp->ncols; j++)
			out->dj[j] = glp_get_col_dual(P, (int)j + 1);
		for (size_t i = 0; i < lp->nrows; i++)
			out->y[i] = glp_get_row_dual(P, (int)i + 1);
	}
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
	if (r->o->want_duals && mip_duals(P, r) == 0)
		out->has_duals = 1;
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

int lp_solve(struct solution *out, const struct lpm *lp, const struct lp_opts *o)
{
	static const struct lp_opts defaults = LP_OPTS_INIT;
	struct run *r;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	out->status = SOL_FAILED;
	if (!o)
		o = &defaults;
	/* The run state is large (jmp_buf, line buffers): keep it off small worker stacks. */
	r = calloc(1, sizeof(*r));
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
	if (o->time_limit_s > 0)
		r->deadline = now_s() + o->time_limit_s;

	switch (prepare(r)) {
	case 1:
		rc = 0;
		goto done;
	case -1:
		goto done;
	}

	out->x = calloc(lp->ncols ? lp->ncols : 1, sizeof(*out->x));
	out->dj = calloc(lp->ncols ? lp->ncols : 1, sizeof(*out->dj));
	out->y = calloc(lp->nrows ? lp->nrows : 1, sizeof(*out->y));
	if (!out->x || !out->dj || !out->y)
		goto done;

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
		out->status = SOL_FAILED;
		out->has_duals = 0;
		if (r->nlines >= 2)
			set_message(out, "solver error: %s (%s)", r->line[0], r->line[1]);
		else
			set_message(out, "solver error: %s", r->nlines ? r->line[1] : r->cur);
	} else {
		glp_term_hook(NULL, NULL);
		glp_error_hook(NULL, NULL);
	}

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
