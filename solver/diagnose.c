/* diagnose.c - names the hard rules of an infeasible plan by solving its elastic form. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "diagnose.h"

static int cmp_relaxed(const void *a, const void *b)
{
	const struct relaxed_rule *x = a, *y = b;
	if (x->limiting != y->limiting)
		return x->limiting - y->limiting;
	if (x->relative != y->relative)
		return x->relative > y->relative ? -1 : 1;
	return x->row - y->row;
}

static double row_scale(const struct lpm_row *r)
{
	double b = 0.0;
	if (r->type == LPM_LO || r->type == LPM_DB || r->type == LPM_FX)
		b = fabs(r->lb);
	if ((r->type == LPM_UP || r->type == LPM_DB) && fabs(r->ub) > b)
		b = fabs(r->ub);
	return b > 1.0 ? b : 1.0;
}

/* Build the elastic copy: same columns with zero cost, same rows, plus for each row a
 * slack that may push it up (for >= bounds) and one that may pull it down (for <= bounds). */
static struct lpm *elastic_copy(const struct lpm *lp, int **slack_row, size_t *nslack)
{
	struct lpm *e = lpm_new("elastic");
	int *map = pc_malloc((2 * lp->nrows + 1) * sizeof(*map));
	size_t ns = 0;
	if (!e || !map)
		goto fail;
	for (size_t j = 0; j < lp->ncols; j++) {
		const struct lpm_col *c = &lp->cols[j];
		if (lpm_add_col(e, c->name, c->type, c->lb, c->ub, 0.0, 0, c->tag) < 0)
			goto fail;
	}
	for (size_t i = 0; i < lp->nrows; i++) {
		const struct lpm_row *r = &lp->rows[i];
		if (lpm_add_row(e, r->name, r->type, r->lb, r->ub, r->tag) < 0)
			goto fail;
	}
	for (size_t k = 0; k < lp->nnz; k++)
		if (lpm_add_nz(e, lp->nz[k].row, lp->nz[k].col, lp->nz[k].val) < 0)
			goto fail;
	for (size_t i = 0; i < lp->nrows; i++) {
		const struct lpm_row *r = &lp->rows[i];
		double w = 1.0 / row_scale(r);
		struct lpm_tag tag = { -1, (int)i, -1, -1, -1 };
		int has_lo = r->type == LPM_LO || r->type == LPM_DB || r->type == LPM_FX;
		int has_up = r->type == LPM_UP || r->type == LPM_DB || r->type == LPM_FX;
		for (int dir = 0; dir < 2; dir++) {
			if ((dir == 0 && !has_lo) || (dir == 1 && !has_up))
				continue;
			char name[64];
			snprintf(name, sizeof(name), "elastic_%s_%zu", dir ? "dn" : "up", i);
			int col = lpm_add_col(e, name, LPM_LO, 0.0, 0.0, w, 0, tag);
			if (col < 0 || lpm_add_nz(e, (int)i, col, dir ? -1.0 : 1.0) < 0)
				goto fail;
			map[ns++] = (int)i;
		}
	}
	if (lpm_finish(e) < 0)
		goto fail;
	*slack_row = map;
	*nslack = ns;
	return e;
fail:
	lpm_free(e);
	free(map);
	return NULL;
}

int diagnose_infeasible(struct relaxed_rule **out, size_t *n, const struct lpm *lp,
			const struct lp_opts *o)
{
	int *slack_row = NULL;
	size_t nslack = 0;
	struct solution s;
	struct lp_opts eo = *o;
	int rc = -1;

	*out = NULL;
	*n = 0;
	memset(&s, 0, sizeof(s));
	struct lpm *e = elastic_copy(lp, &slack_row, &nslack);
	if (!e)
		return -1;
	eo.want_duals = 0;
	if (lp_solve(&s, e, &eo) < 0 || (s.status != SOL_OPTIMAL && s.status != SOL_FEASIBLE))
		goto done;

	/* One entry per original row, summing its slacks (at most one is non-zero). */
	struct relaxed_rule *r = pc_calloc(lp->nrows ? lp->nrows : 1, sizeof(*r));
	if (!r)
		goto done;
	size_t first = lp->ncols, cnt = 0;
	for (size_t k = 0; k < nslack; k++) {
		double v = s.x[first + k];
		int row = slack_row[k];
		double rel = v / row_scale(&lp->rows[row]);
		if (rel <= 1e-7)
			continue;
		size_t m;
		for (m = 0; m < cnt && r[m].row != row; m++)
			;
		if (m == cnt) {
			r[cnt].row = row;
			cnt++;
		}
		r[m].amount += v;
		r[m].relative += rel;
	}
	/* Rules that held but carry a dual in the elastic form: tightening them would make
	 * the violation worse, so they are what the relaxed rules run into. */
	if (s.has_duals && s.y)
		for (size_t i = 0; i < lp->nrows; i++) {
			double w = fabs(s.y[i]) * row_scale(&lp->rows[i]);
			size_t m;
			if (w <= 1e-7)
				continue;
			for (m = 0; m < cnt && r[m].row != (int)i; m++)
				;
			if (m < cnt)
				continue;
			r[cnt].row = (int)i;
			r[cnt].limiting = 1;
			r[cnt].relative = w;
			cnt++;
		}
	qsort(r, cnt, sizeof(*r), cmp_relaxed);
	*out = r;
	*n = cnt;
	rc = 0;
done:
	solution_release(&s);
	lpm_free(e);
	free(slack_row);
	return rc;
}

void diagnose_print(FILE *f, const struct lpm *lp, const struct relaxed_rule *r, size_t n,
		    size_t max)
{
	size_t shown[2] = { 0, 0 }, total[2] = { 0, 0 };
	for (size_t k = 0; k < n; k++) {
		const struct lpm_row *row = &lp->rows[r[k].row];
		const char *sense = row->type == LPM_LO ? ">=" : row->type == LPM_UP ? "<=" : "=";
		double bound = row->type == LPM_UP ? row->ub : row->lb;
		int lim = r[k].limiting;
		total[lim]++;
		if (shown[lim] >= max)
			continue;
		if (lim && shown[1] == 0)
			fprintf(f, "held back by these rules:\n");
		if (lim)
			fprintf(f, "  rule '%s' (%s %.6g)\n", row->name, sense, bound);
		else
			fprintf(f, "  rule '%s' (%s %.6g) is missed by %.6g\n", row->name, sense,
				bound, r[k].amount);
		shown[lim]++;
	}
	for (int lim = 0; lim < 2; lim++)
		if (total[lim] > shown[lim])
			fprintf(f, "  ... and %zu more\n", total[lim] - shown[lim]);
}
