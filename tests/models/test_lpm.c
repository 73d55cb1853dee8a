/* test_lpm.c - the solver-neutral LP model: triplet merging, names, bounds, and the MPS and LP
 * writers read back by glpsol. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lpm.h"
#include "support.h"

static const struct lpm_tag NOTAG = {0, -1, -1, -1, -1};

Test(lpm, finish_merges_sorts_and_drops_zeros)
{
	struct lpm *m = lpm_new("merge");
	int c0, c1, r0, r1, r2;

	cr_assert_not_null(m);
	c0 = lpm_add_col(m, "c0", LPM_LO, 0, 0, 1, 0, NOTAG);
	c1 = lpm_add_col(m, "c1", LPM_LO, 0, 0, 1, 0, NOTAG);
	r0 = lpm_add_row(m, "r0", LPM_UP, 0, 10, NOTAG);
	r1 = lpm_add_row(m, "r1", LPM_UP, 0, 10, NOTAG);
	r2 = lpm_add_row(m, "r2", LPM_UP, 0, 10, NOTAG);
	cr_assert_eq(lpm_add_nz(m, r0, c1, 1.0), 0);
	cr_assert_eq(lpm_add_nz(m, r1, c0, 3.0), 0);
	cr_assert_eq(lpm_add_nz(m, r0, c1, 2.0), 0);
	cr_assert_eq(lpm_add_nz(m, r0, c0, 0.0), 0); /* skipped */
	cr_assert_eq(lpm_add_nz(m, r2, c1, 0.5), 0);
	cr_assert_eq(lpm_add_nz(m, r2, c1, -0.5), 0); /* cancels */
	cr_assert_eq(lpm_add_nz(m, r0, c0, 4.0), 0);
	cr_assert_eq(m->nnz, 6);
	cr_assert_eq(lpm_finish(m), 0);
	/* (col, row) order: (c0,r0)=4, (c0,r1)=3, (c1,r0)=1+2 */
	cr_assert_eq(m->nnz, 3);
	cr_expect(m->nz[0].col == c0 && m->nz[0].row == r0 && m->nz[0].val == 4.0);
	cr_expect(m->nz[1].col == c0 && m->nz[1].row == r1 && m->nz[1].val == 3.0);
	cr_expect(m->nz[2].col == c1 && m->nz[2].row == r0 && m->nz[2].val == 3.0);

	{
		double x[2] = {2.0, 10.0}, act[3];

		lpm_row_activity(m, x, act);
		cr_expect_float_eq(act[0], 38.0, 1e-12);
		cr_expect_float_eq(act[1], 6.0, 1e-12);
		cr_expect_float_eq(act[2], 0.0, 1e-12);
	}
	lpm_free(m);
}

/* Many duplicates in a scrambled order: the merged sums are exact (integers) and the
 * triplets come out sorted with no duplicate left. */
Test(lpm, finish_many_duplicates)
{
	struct lpm *m = lpm_new("many");
	size_t k;
	int j;

	for (j = 0; j < 50; j++) {
		lpm_add_col(m, "c", LPM_LO, 0, 0, 0, 0, NOTAG);
		lpm_add_row(m, "r", LPM_LO, 0, 0, NOTAG);
	}
	for (k = 0; k < 5000; k++)
		lpm_add_nz(m, (int)((k * 7) % 50), (int)((k * 13) % 50), 1.0);
	cr_assert_eq(lpm_finish(m), 0);
	for (k = 1; k < m->nnz; k++)
		cr_assert(m->nz[k - 1].col < m->nz[k].col ||
			  (m->nz[k - 1].col == m->nz[k].col && m->nz[k - 1].row < m->nz[k].row));
	{
		double sum = 0.0;

		for (k = 0; k < m->nnz; k++)
			sum += m->nz[k].val;
		cr_expect_float_eq(sum, 5000.0, 1e-9);
	}
	/* duplicate names got "~<index>" */
	cr_expect_str_eq(m->cols[0].name, "c");
	cr_expect_str_eq(m->cols[1].name, "c~1");
	cr_expect_str_eq(m->rows[49].name, "r~49");
	lpm_free(m);
}

Test(lpm, names_and_bounds_are_normalised)
{
	struct lpm *m = lpm_new("my model");
	int a, b, c, d, e;

	cr_expect_str_eq(m->name, "my_model");
	a = lpm_add_col(m, "a b[1]", LPM_DB, 0, LPM_INF, 0, 0, NOTAG);
	b = lpm_add_col(m, "2x", LPM_DB, -LPM_INF, 5, 0, 0, NOTAG);
	c = lpm_add_col(m, "c", LPM_DB, 3, 3, 0, 0, NOTAG);
	d = lpm_add_col(m, "d", LPM_DB, -1e31, 1e31, 0, 0, NOTAG);
	e = lpm_add_row(m, "e", LPM_LO, 2, 99, NOTAG);
	cr_expect_str_eq(m->cols[a].name, "a_b_1_");
	cr_expect_str_eq(m->cols[b].name, "_2x");
	cr_expect_eq(m->cols[a].type, LPM_LO);
	cr_expect_eq(m->cols[b].type, LPM_UP);
	cr_expect_eq(m->cols[c].type, LPM_FX);
	cr_expect_eq(m->cols[d].type, LPM_FREE);
	cr_expect_eq(m->rows[e].type, LPM_LO);
	cr_expect_eq(m->rows[e].ub, LPM_INF);
	cr_expect_eq(lpm_find_col(m, "c"), c);
	cr_expect_eq(lpm_find_col(m, "zz"), -1);
	lpm_free(m);
}

/* A small MIP with every bound and row type and an objective constant:
 *   min 0.5 x + 2 y - z + v + 5 (constant)
 *   r1: 2.5 <= x + y <= 7.5   (ranged)     r2: y - z = 1         r3: x <= 4.5
 *   x integer in [0, 10], y >= -4, z <= 3 (no lower bound), v fixed at 2, w free and unused,
 *   e: an empty row >= -1.
 * With z = y - 1 the objective is 0.5 x + y + 1 + 2 + 5.  y as low as -4 would need x >= 6.5
 * but x <= 4 (integer, r3), so x = 4, y = -1.5, z = -2.5:
 *   obj = 2 - 3 + 2.5 + 2 + 5 = 8.5  (the LP relaxation gives x = 4.5, y = -2: 8.25). */
static struct lpm *small_mip(void)
{
	struct lpm *m = lpm_new("small_mip");
	int x, y, z, v, r1, r2, r3;

	x = lpm_add_col(m, "x", LPM_DB, 0, 10, 0.5, 1, NOTAG);
	y = lpm_add_col(m, "y", LPM_LO, -4, 0, 2, 0, NOTAG);
	z = lpm_add_col(m, "z", LPM_UP, 0, 3, -1, 0, NOTAG);
	lpm_add_col(m, "w", LPM_FREE, 0, 0, 0, 0, NOTAG);
	v = lpm_add_col(m, "v", LPM_FX, 2, 2, 1, 0, NOTAG);
	r1 = lpm_add_row(m, "r1", LPM_DB, 2.5, 7.5, NOTAG);
	r2 = lpm_add_row(m, "r2", LPM_FX, 1, 1, NOTAG);
	r3 = lpm_add_row(m, "r3", LPM_UP, 0, 4.5, NOTAG);
	lpm_add_row(m, "e", LPM_LO, -1, 0, NOTAG);
	lpm_add_nz(m, r1, x, 1);
	lpm_add_nz(m, r1, y, 1);
	lpm_add_nz(m, r2, y, 1);
	lpm_add_nz(m, r2, z, -1);
	lpm_add_nz(m, r3, x, 1);
	(void)v;
	m->obj_const = 5.0;
	cr_assert_eq(lpm_finish(m), 0);
	return m;
}

Test(lpm_writers, mps_with_integers_ranges_and_constant)
{
	struct lpm *m = small_mip();
	char *text = NULL;
	double obj = ts_glpsol(m, 0, &text);

	cr_expect_float_eq(obj, 8.5, 1e-9);
	cr_assert_not_null(text);
	cr_expect(strstr(text, " MARKER 'MARKER' 'INTORG'\n x obj 0.5\n") != NULL);
	cr_expect(strstr(text, " MARKER 'MARKER' 'INTEND'\n") != NULL);
	cr_expect(strstr(text, "RANGES\n RNG r1 5\n") != NULL);
	cr_expect(strstr(text, " obj_const obj 5\n") != NULL);
	cr_expect(strstr(text, " FX BND obj_const 1\n") != NULL);
	cr_expect(strstr(text, " MI BND z\n UP BND z 3\n") != NULL);
	cr_expect(strstr(text, " LO BND x 0\n UP BND x 10\n") != NULL);
	cr_expect(strstr(text, " FR BND w\n") != NULL);
	cr_expect(strstr(text, " w obj 0\n") != NULL); /* declared though it has no entry */
	free(text);
	lpm_free(m);
}

Test(lpm_writers, lp_with_integers_ranges_and_constant)
{
	struct lpm *m = small_mip();
	char *text = NULL;
	double obj = ts_glpsol(m, 1, &text);

	cr_expect_float_eq(obj, 8.5, 1e-9);
	cr_assert_not_null(text);
	cr_expect(strstr(text, " r1: + x + y - ~r_1 = 0\n") != NULL);
	cr_expect(strstr(text, " 2.5 <= ~r_1 <= 7.5\n") != NULL);
	cr_expect(strstr(text, " obj_const = 1\n") != NULL);
	cr_expect(strstr(text, "Generals\n x\n") != NULL);
	cr_expect(strstr(text, " e: 0 x >= -1\n") != NULL);
	free(text);
	lpm_free(m);
}

/* A maximisation: the LP text says Maximize (glpsol finds -8.5); the MPS text carries the
 * negated objective, whose minimum is 8.5 = minus the maximum. */
Test(lpm_writers, maximise)
{
	struct lpm *m = small_mip();
	size_t j;

	m->minimize = 0;
	m->obj_const = -m->obj_const;
	for (j = 0; j < m->ncols; j++)
		m->cols[j].obj = -m->cols[j].obj;
	cr_expect_float_eq(ts_glpsol(m, 1, NULL), -8.5, 1e-9);
	cr_expect_float_eq(ts_glpsol(m, 0, NULL), 8.5, 1e-9);
	lpm_free(m);
}

/* Numbers read back bit-identical, in as few digits as that takes. */
Test(lpm_writers, numbers_round_trip)
{
	struct lpm *m = lpm_new("digits");
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	const char *at;
	int x;

	x = lpm_add_col(m, "x", LPM_LO, 0, 0, 0.1 + 0.2, 0, NOTAG);
	lpm_add_nz(m, lpm_add_row(m, "r", LPM_UP, 0, 1.0 / 3.0, NOTAG), x, 1.0);
	lpm_add_nz(m, 0, lpm_add_col(m, "y", LPM_LO, 0, 0, 0.7, 0, NOTAG), 1.0);
	cr_assert_eq(lpm_finish(m), 0);
	cr_assert_eq(lpm_write_mps(m, f), 0);
	fclose(f);
	at = strstr(buf, " x obj ");
	cr_assert_not_null(at);
	cr_expect_eq(strtod(at + 7, NULL), 0.1 + 0.2);
	cr_expect(strstr(buf, " y obj 0.7\n") != NULL); /* shortest text that round-trips */
	at = strstr(buf, " RHS r ");
	cr_assert_not_null(at);
	cr_expect_eq(strtod(at + 7, NULL), 1.0 / 3.0);
	free(buf);
	lpm_free(m);
}
