/* lpm.c - the solver-neutral LP model: growable tables, triplet merging, MPS and LP writers. */
#include "alloc.h"
#include "lpm.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A broken caller invariant (index out of range): report where and stop. */
#define LPM_BUG(msg)                                                                               \
	do {                                                                                       \
		fprintf(stderr, "%s:%d: BUG: %s\n", __FILE__, __LINE__, (msg));                    \
		abort();                                                                           \
	} while (0)

/* Room kept at the end of a name for the "~<index>" suffix lpm_finish may append. */
#define LPM_NAME_KEEP (LPM_NAME_MAX - 16)

/* Copy name into a fresh string that is safe in MPS and CPLEX LP text (see lpm.h). */
static char *name_dup(const char *name)
{
	size_t n, i, k = 0, lead;
	char *s;

	if (!name || !*name)
		name = "_";
	n = strlen(name);
	lead = (name[0] >= '0' && name[0] <= '9') || name[0] == '.';
	if (n + lead > LPM_NAME_KEEP)
		n = LPM_NAME_KEEP - lead;
	s = pc_malloc(n + lead + 1);
	if (!s)
		return NULL;
	if (lead)
		s[k++] = '_';
	for (i = 0; i < n; i++) {
		char c = name[i];
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			 (c >= '0' && c <= '9') || c == '_' || c == '.';
		s[k++] = ok ? c : '_';
	}
	s[k] = '\0';
	return s;
}

/* Grow *v (elements of size sz, *alloc allocated) to hold at least need; 0 or -1. */
static int grow(void **v, size_t *alloc, size_t need, size_t sz)
{
	size_t n;
	void *nv;

	if (need <= *alloc)
		return 0;
	n = *alloc ? *alloc : 64;
	while (n < need) {
		if (n > SIZE_MAX / 2 / sz)
			return -1;
		n *= 2;
	}
	nv = pc_realloc(*v, n * sz);
	if (!nv)
		return -1;
	*v = nv;
	*alloc = n;
	return 0;
}

/* Bring (type, lb, ub) to the canonical form described in lpm.h. */
static void normalise_bounds(enum lpm_bound *type, double *lb, double *ub)
{
	int has_lb = 0, has_ub = 0;

	switch (*type) {
	case LPM_FREE:
		break;
	case LPM_LO:
		has_lb = 1;
		break;
	case LPM_UP:
		has_ub = 1;
		break;
	case LPM_DB:
		has_lb = has_ub = 1;
		break;
	case LPM_FX:
		*ub = *lb;
		has_lb = has_ub = 1;
		break;
	}
	if (has_lb && !(*lb > -LPM_INF))
		has_lb = 0;
	if (has_ub && !(*ub < LPM_INF))
		has_ub = 0;
	if (!has_lb)
		*lb = -LPM_INF;
	if (!has_ub)
		*ub = LPM_INF;
	if (has_lb && has_ub)
		*type = (*type == LPM_FX || *lb == *ub) ? LPM_FX : LPM_DB;
	else if (has_lb)
		*type = LPM_LO;
	else if (has_ub)
		*type = LPM_UP;
	else
		*type = LPM_FREE;
}

struct lpm *lpm_new(const char *name)
{
	struct lpm *m = pc_calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->name = name_dup(name ? name : "lpm");
	if (!m->name) {
		free(m);
		return NULL;
	}
	m->minimize = 1;
	return m;
}

void lpm_free(struct lpm *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->ncols; i++)
		free(m->cols[i].name);
	for (i = 0; i < m->nrows; i++)
		free(m->rows[i].name);
	free(m->cols);
	free(m->rows);
	free(m->nz);
	free(m->name);
	free(m);
}

int lpm_add_col(struct lpm *m, const char *name, enum lpm_bound type, double lb, double ub,
		double obj, int integer, struct lpm_tag tag)
{
	struct lpm_col *c;
	char *nm;

	if (m->oom || m->ncols >= INT_MAX)
		goto fail;
	if (grow((void **)&m->cols, &m->cols_alloc, m->ncols + 1, sizeof(*m->cols)))
		goto fail;
	nm = name_dup(name);
	if (!nm)
		goto fail;
	normalise_bounds(&type, &lb, &ub);
	c = &m->cols[m->ncols];
	c->name = nm;
	c->type = type;
	c->lb = lb;
	c->ub = ub;
	c->obj = obj;
	c->integer = integer != 0;
	c->tag = tag;
	return (int)m->ncols++;
fail:
	m->oom = 1;
	return -1;
}

int lpm_add_row(struct lpm *m, const char *name, enum lpm_bound type, double lb, double ub,
		struct lpm_tag tag)
{
	struct lpm_row *r;
	char *nm;

	if (m->oom || m->nrows >= INT_MAX)
		goto fail;
	if (grow((void **)&m->rows, &m->rows_alloc, m->nrows + 1, sizeof(*m->rows)))
		goto fail;
	nm = name_dup(name);
	if (!nm)
		goto fail;
	normalise_bounds(&type, &lb, &ub);
	r = &m->rows[m->nrows];
	r->name = nm;
	r->type = type;
	r->lb = lb;
	r->ub = ub;
	r->tag = tag;
	return (int)m->nrows++;
fail:
	m->oom = 1;
	return -1;
}

int lpm_add_nz(struct lpm *m, int row, int col, double val)
{
	if (row < 0 || (size_t)row >= m->nrows || col < 0 || (size_t)col >= m->ncols)
		LPM_BUG("lpm_add_nz: row or column index out of range");
	if (val == 0.0)
		return 0;
	if (m->oom || grow((void **)&m->nz, &m->nz_alloc, m->nnz + 1, sizeof(*m->nz))) {
		m->oom = 1;
		return -1;
	}
	m->nz[m->nnz].row = row;
	m->nz[m->nnz].col = col;
	m->nz[m->nnz].val = val;
	m->nnz++;
	return 0;
}

void lpm_set_row_bounds(struct lpm *m, int row, enum lpm_bound type, double lb, double ub)
{
	if (row < 0 || (size_t)row >= m->nrows)
		LPM_BUG("lpm_set_row_bounds: row index out of range");
	normalise_bounds(&type, &lb, &ub);
	m->rows[row].type = type;
	m->rows[row].lb = lb;
	m->rows[row].ub = ub;
}

void lpm_set_col_bounds(struct lpm *m, int col, enum lpm_bound type, double lb, double ub)
{
	if (col < 0 || (size_t)col >= m->ncols)
		LPM_BUG("lpm_set_col_bounds: column index out of range");
	normalise_bounds(&type, &lb, &ub);
	m->cols[col].type = type;
	m->cols[col].lb = lb;
	m->cols[col].ub = ub;
}

/* Triplet order: by column, then row. */
static int nz_less(const struct lpm_nz *a, const struct lpm_nz *b)
{
	return a->col < b->col || (a->col == b->col && a->row < b->row);
}

/* Stable bottom-up merge sort of v[0..n) using tmp[0..n). */
static void nz_sort(struct lpm_nz *v, struct lpm_nz *tmp, size_t n)
{
	size_t width, lo;
	struct lpm_nz *src = v, *dst = tmp, *t;

	for (width = 1; width < n; width *= 2) {
		for (lo = 0; lo < n; lo += 2 * width) {
			size_t mid = lo + width < n ? lo + width : n;
			size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
			size_t i = lo, j = mid, k = lo;

			while (i < mid && j < hi)
				dst[k++] = nz_less(&src[j], &src[i]) ? src[j++] : src[i++];
			while (i < mid)
				dst[k++] = src[i++];
			while (j < hi)
				dst[k++] = src[j++];
		}
		t = src;
		src = dst;
		dst = t;
	}
	if (src != v)
		memcpy(v, src, n * sizeof(*v));
}

/* Sort key for name uniqueness: the name, then the index (keeps the first holder). */
struct name_ref {
	const char *name;
	size_t index;
};

static int name_ref_cmp(const void *pa, const void *pb)
{
	const struct name_ref *a = pa, *b = pb;
	int c = strcmp(a->name, b->name);

	if (c)
		return c;
	return a->index < b->index ? -1 : a->index > b->index;
}

/* Rename the second and later holders of each name in names[0..n) to "<name>~<index>". */
static int uniquify(char **names, size_t n)
{
	struct name_ref *v;
	size_t i;
	int rc = 0;

	if (n < 2)
		return 0;
	v = pc_malloc(n * sizeof(*v));
	if (!v)
		return -1;
	for (i = 0; i < n; i++) {
		v[i].name = names[i];
		v[i].index = i;
	}
	qsort(v, n, sizeof(*v), name_ref_cmp);
	for (i = 1; i < n; i++) {
		size_t len;
		char *nn;

		if (strcmp(v[i].name, v[i - 1].name) != 0)
			continue;
		len = strlen(v[i].name) + 2 + 20;
		nn = pc_malloc(len);
		if (!nn) {
			rc = -1;
			break;
		}
		snprintf(nn, len, "%s~%zu", v[i].name, v[i].index);
		/* v[i].name still points at the old string, which the next comparison needs. */
		names[v[i].index] = nn;
	}
	/* Free the replaced strings only after all comparisons are done. */
	for (i = 1; i < n; i++)
		if (names[v[i].index] != v[i].name)
			free((char *)v[i].name);
	free(v);
	return rc;
}

/* Make column names, then row names, unique (see lpm_finish).  On failure every name is
 * still a valid string (some duplicates may remain). */
static int uniquify_names(struct lpm *m)
{
	char **names;
	size_t i, n = m->ncols > m->nrows ? m->ncols : m->nrows;
	int rc;

	if (n < 2)
		return 0;
	names = pc_malloc(n * sizeof(*names));
	if (!names)
		return -1;
	for (i = 0; i < m->ncols; i++)
		names[i] = m->cols[i].name;
	rc = uniquify(names, m->ncols);
	for (i = 0; i < m->ncols; i++)
		m->cols[i].name = names[i];
	if (rc == 0) {
		for (i = 0; i < m->nrows; i++)
			names[i] = m->rows[i].name;
		rc = uniquify(names, m->nrows);
		for (i = 0; i < m->nrows; i++)
			m->rows[i].name = names[i];
	}
	free(names);
	return rc;
}

int lpm_finish(struct lpm *m)
{
	struct lpm_nz *tmp;
	size_t i, k = 0;

	if (m->oom)
		return -1;
	if (m->nnz > 1) {
		tmp = pc_malloc(m->nnz * sizeof(*tmp));
		if (!tmp)
			goto oom;
		nz_sort(m->nz, tmp, m->nnz);
		free(tmp);
	}
	for (i = 0; i < m->nnz; i++) {
		if (k > 0 && m->nz[k - 1].row == m->nz[i].row && m->nz[k - 1].col == m->nz[i].col) {
			m->nz[k - 1].val += m->nz[i].val;
			continue;
		}
		if (k > 0 && m->nz[k - 1].val == 0.0)
			k--;
		m->nz[k++] = m->nz[i];
	}
	if (k > 0 && m->nz[k - 1].val == 0.0)
		k--;
	m->nnz = k;
	if (uniquify_names(m))
		goto oom;
	return 0;
oom:
	m->oom = 1;
	return -1;
}

int lpm_find_col(const struct lpm *m, const char *name)
{
	size_t j;

	for (j = 0; j < m->ncols; j++)
		if (strcmp(m->cols[j].name, name) == 0)
			return (int)j;
	return -1;
}

int lpm_find_row(const struct lpm *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->nrows; i++)
		if (strcmp(m->rows[i].name, name) == 0)
			return (int)i;
	return -1;
}

void lpm_row_activity(const struct lpm *m, const double *x, double *act)
{
	size_t k;

	for (k = 0; k < m->nrows; k++)
		act[k] = 0.0;
	for (k = 0; k < m->nnz; k++)
		act[m->nz[k].row] += m->nz[k].val * x[m->nz[k].col];
}

/* ---- writers ---------------------------------------------------------------------------- */

/* A number as text that reads back to the same double: the shortest of %.15g, %.16g and
 * %.17g that round-trips (17 digits always do), so 0.7 is written "0.7", not
 * "0.69999999999999996".  Returned by value: valid until the end of the full expression. */
struct num_text {
	char s[32];
};

static struct num_text num(double v)
{
	struct num_text t;
	int prec;

	for (prec = 15; prec < 17; prec++) {
		snprintf(t.s, sizeof(t.s), "%.*g", prec, v);
		if (strtod(t.s, NULL) == v)
			return t;
	}
	snprintf(t.s, sizeof(t.s), "%.17g", v);
	return t;
}

/* The objective row's (or the constant column's) name: `want` unless a row (column) already
 * has it, else `alt`, which starts with '~' and so cannot be a sanitised model name. */
static const char *free_row_name(const struct lpm *m, const char *want, const char *alt)
{
	return lpm_find_row(m, want) < 0 ? want : alt;
}

static const char *free_col_name(const struct lpm *m, const char *want, const char *alt)
{
	return lpm_find_col(m, want) < 0 ? want : alt;
}

/* Offsets of each column's triplets: column j owns nz[start[j]..start[j+1]) (the triplets are
 * sorted by column after lpm_finish).  NULL on allocation failure. */
static size_t *col_starts(const struct lpm *m)
{
	size_t *start = pc_calloc(m->ncols + 1, sizeof(*start));
	size_t k;

	if (!start)
		return NULL;
	for (k = 0; k < m->nnz; k++)
		start[m->nz[k].col + 1]++;
	for (k = 0; k < m->ncols; k++)
		start[k + 1] += start[k];
	return start;
}

/* The MPS row type letter of a row. */
static char mps_row_type(enum lpm_bound t)
{
	switch (t) {
	case LPM_LO:
	case LPM_DB:
		return 'G';
	case LPM_UP:
		return 'L';
	case LPM_FX:
		return 'E';
	case LPM_FREE:
		break;
	}
	return 'N';
}

/* Write one column's BOUNDS lines (nothing when the MPS default [0, +inf) applies). */
static void mps_bounds(FILE *f, const char *name, const struct lpm_col *c)
{
	switch (c->type) {
	case LPM_FREE:
		fprintf(f, " FR BND %s\n", name);
		break;
	case LPM_LO:
		if (c->lb != 0.0 || c->integer)
			fprintf(f, " LO BND %s %s\n", name, num(c->lb).s);
		if (c->integer)
			fprintf(f, " PL BND %s\n", name);
		break;
	case LPM_UP:
		fprintf(f, " MI BND %s\n", name);
		fprintf(f, " UP BND %s %s\n", name, num(c->ub).s);
		break;
	case LPM_DB:
		fprintf(f, " LO BND %s %s\n", name, num(c->lb).s);
		fprintf(f, " UP BND %s %s\n", name, num(c->ub).s);
		break;
	case LPM_FX:
		fprintf(f, " FX BND %s %s\n", name, num(c->lb).s);
		break;
	}
}

int lpm_write_mps(const struct lpm *m, FILE *f)
{
	const char *objname = free_row_name(m, "obj", "~obj");
	const char *cname = free_col_name(m, "obj_const", "~obj_const");
	double sense = m->minimize ? 1.0 : -1.0;
	size_t *start, i, j, k;
	int in_int = 0, any;

	start = col_starts(m);
	if (!start) {
		errno = ENOMEM;
		return -1;
	}
	fprintf(f, "* %s: written by porcupine (free MPS, glpsol --freemps)\n", m->name);
	if (!m->minimize)
		fprintf(f, "* maximisation: the objective row is negated, its minimum is minus the "
			   "maximum\n");
	if (m->obj_const != 0.0)
		fprintf(f, "* objective constant %s: cost of column '%s' fixed at 1\n",
			num(m->obj_const).s, cname);
	fprintf(f, "NAME %s\nROWS\n N %s\n", m->name, objname);
	for (i = 0; i < m->nrows; i++)
		fprintf(f, " %c %s\n", mps_row_type(m->rows[i].type), m->rows[i].name);

	fputs("COLUMNS\n", f);
	for (j = 0; j < m->ncols; j++) {
		const struct lpm_col *c = &m->cols[j];

		if (c->integer != in_int) {
			fprintf(f, " MARKER 'MARKER' '%s'\n", c->integer ? "INTORG" : "INTEND");
			in_int = c->integer;
		}
		/* A column without any entry must still be declared: with a zero cost. */
		if (c->obj != 0.0 || start[j] == start[j + 1])
			fprintf(f, " %s %s %s\n", c->name, objname, num(sense * c->obj).s);
		for (k = start[j]; k < start[j + 1]; k++)
			fprintf(f, " %s %s %s\n", c->name, m->rows[m->nz[k].row].name,
				num(m->nz[k].val).s);
	}
	if (in_int)
		fputs(" MARKER 'MARKER' 'INTEND'\n", f);
	if (m->obj_const != 0.0)
		fprintf(f, " %s %s %s\n", cname, objname, num(sense * m->obj_const).s);

	fputs("RHS\n", f);
	for (i = 0; i < m->nrows; i++) {
		const struct lpm_row *r = &m->rows[i];
		double rhs = r->type == LPM_UP ? r->ub : r->type == LPM_FREE ? 0.0 : r->lb;

		if (rhs != 0.0)
			fprintf(f, " RHS %s %s\n", r->name, num(rhs).s);
	}
	any = 0;
	for (i = 0; i < m->nrows; i++) {
		const struct lpm_row *r = &m->rows[i];

		if (r->type != LPM_DB)
			continue;
		if (!any)
			fputs("RANGES\n", f);
		any = 1;
		fprintf(f, " RNG %s %s\n", r->name, num(r->ub - r->lb).s);
	}
	fputs("BOUNDS\n", f);
	for (j = 0; j < m->ncols; j++)
		mps_bounds(f, m->cols[j].name, &m->cols[j]);
	if (m->obj_const != 0.0)
		fprintf(f, " FX BND %s 1\n", cname);
	fputs("ENDATA\n", f);
	free(start);
	return ferror(f) ? -1 : 0;
}

/* A CPLEX LP line being written: wraps before it grows long (GLPK reads any length, people
 * and diff tools prefer short lines). */
struct lp_line {
	FILE *f;
	size_t len;
};

static void lp_put(struct lp_line *l, const char *text)
{
	size_t n = strlen(text);

	if (l->len + n > 78 && l->len > 0) {
		fputs("\n ", l->f);
		l->len = 1;
	}
	fputs(text, l->f);
	l->len += n;
}

/* Append " + 2.5 x" / " - 2.5 x" / " + x" to the line. */
static void lp_term(struct lp_line *l, double v, const char *name)
{
	char buf[LPM_NAME_MAX + 40];

	if (fabs(v) == 1.0)
		snprintf(buf, sizeof(buf), " %c %s", signbit(v) ? '-' : '+', name);
	else
		snprintf(buf, sizeof(buf), " %c %s %s", signbit(v) ? '-' : '+', num(fabs(v)).s,
			 name);
	lp_put(l, buf);
}

/* Row-wise copy of the triplets: row i owns entries start[i]..start[i+1] of col/val. */
struct lp_rows {
	size_t *start;
	int *col;
	double *val;
};

static int lp_rows_build(struct lp_rows *rw, const struct lpm *m)
{
	size_t i, k, *fill;

	rw->start = pc_calloc(m->nrows + 1, sizeof(*rw->start));
	rw->col = pc_malloc((m->nnz ? m->nnz : 1) * sizeof(*rw->col));
	rw->val = pc_malloc((m->nnz ? m->nnz : 1) * sizeof(*rw->val));
	fill = pc_calloc(m->nrows + 1, sizeof(*fill));
	if (!rw->start || !rw->col || !rw->val || !fill) {
		free(fill);
		return -1;
	}
	for (k = 0; k < m->nnz; k++)
		rw->start[m->nz[k].row + 1]++;
	for (i = 0; i < m->nrows; i++)
		rw->start[i + 1] += rw->start[i];
	memcpy(fill, rw->start, (m->nrows + 1) * sizeof(*fill));
	/* Triplets are sorted by column, so each row's entries come out in column order. */
	for (k = 0; k < m->nnz; k++) {
		size_t at = fill[m->nz[k].row]++;

		rw->col[at] = m->nz[k].col;
		rw->val[at] = m->nz[k].val;
	}
	free(fill);
	return 0;
}

/* Free what lp_rows_build allocated (also after it failed half-way). */
static void lp_rows_release(struct lp_rows *rw)
{
	free(rw->start);
	free(rw->col);
	free(rw->val);
}

int lpm_write_lp(const struct lpm *m, FILE *f)
{
	const char *objname = free_row_name(m, "obj", "~obj");
	const char *cname = free_col_name(m, "obj_const", "~obj_const");
	/* An empty model still needs one column to write "0 x"; the constant column serves. */
	int want_const = m->obj_const != 0.0 || m->ncols == 0;
	struct lp_line l = {f, 0};
	struct lp_rows rw;
	char buf[LPM_NAME_MAX + 80];
	size_t i, j, k, nint = 0;

	if (lp_rows_build(&rw, m)) {
		lp_rows_release(&rw);
		errno = ENOMEM;
		return -1;
	}
	fprintf(f, "\\ %s: written by porcupine (CPLEX LP, glpsol --lp)\n", m->name);
	if (m->obj_const != 0.0)
		fprintf(f, "\\ objective constant %s: cost of column '%s' fixed at 1\n",
			num(m->obj_const).s, cname);
	fprintf(f, "\n%s\n", m->minimize ? "Minimize" : "Maximize");
	snprintf(buf, sizeof(buf), " %s:", objname);
	lp_put(&l, buf);
	/* Every column appears here, in model order, so the reader numbers them as we do. */
	for (j = 0; j < m->ncols; j++)
		lp_term(&l, m->cols[j].obj, m->cols[j].name);
	if (want_const)
		lp_term(&l, m->obj_const, cname);
	fputs("\n\nSubject To\n", f);
	for (i = 0; i < m->nrows; i++) {
		const struct lpm_row *r = &m->rows[i];

		l.len = 0;
		snprintf(buf, sizeof(buf), " %s:", r->name);
		lp_put(&l, buf);
		for (k = rw.start[i]; k < rw.start[i + 1]; k++)
			lp_term(&l, rw.val[k], m->cols[rw.col[k]].name);
		if (rw.start[i] == rw.start[i + 1]) {
			snprintf(buf, sizeof(buf), " 0 %s", m->ncols ? m->cols[0].name : cname);
			lp_put(&l, buf);
		}
		switch (r->type) {
		case LPM_LO:
			snprintf(buf, sizeof(buf), " >= %s", num(r->lb).s);
			break;
		case LPM_UP:
			snprintf(buf, sizeof(buf), " <= %s", num(r->ub).s);
			break;
		case LPM_FX:
			snprintf(buf, sizeof(buf), " = %s", num(r->lb).s);
			break;
		case LPM_DB:
		case LPM_FREE:
			snprintf(buf, sizeof(buf), " - ~r_%zu = 0", i + 1);
			break;
		}
		lp_put(&l, buf);
		fputc('\n', f);
	}

	fputs("\nBounds\n", f);
	for (i = 0; i < m->nrows; i++) {
		const struct lpm_row *r = &m->rows[i];

		if (r->type == LPM_DB)
			fprintf(f, " %s <= ~r_%zu <= %s\n", num(r->lb).s, i + 1, num(r->ub).s);
		else if (r->type == LPM_FREE)
			fprintf(f, " ~r_%zu free\n", i + 1);
	}
	for (j = 0; j < m->ncols; j++) {
		const struct lpm_col *c = &m->cols[j];

		nint += c->integer != 0;
		switch (c->type) {
		case LPM_FREE:
			fprintf(f, " %s free\n", c->name);
			break;
		case LPM_LO:
			if (c->lb != 0.0)
				fprintf(f, " %s >= %s\n", c->name, num(c->lb).s);
			break;
		case LPM_UP:
			fprintf(f, " -inf <= %s <= %s\n", c->name, num(c->ub).s);
			break;
		case LPM_DB:
			fprintf(f, " %s <= %s <= %s\n", num(c->lb).s, c->name, num(c->ub).s);
			break;
		case LPM_FX:
			fprintf(f, " %s = %s\n", c->name, num(c->lb).s);
			break;
		}
	}
	if (want_const)
		fprintf(f, " %s = 1\n", cname);
	if (nint) {
		fputs("\nGenerals\n", f);
		for (j = 0; j < m->ncols; j++)
			if (m->cols[j].integer)
				fprintf(f, " %s\n", m->cols[j].name);
	}
	fputs("\nEnd\n", f);
	lp_rows_release(&rw);
	return ferror(f) ? -1 : 0;
}
