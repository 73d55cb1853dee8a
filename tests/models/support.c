/* support.c - helpers shared by the model test suites (see support.h). */
#include "support.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct model *ts_build(const struct plan *p)
{
	struct diag_list dl = DIAG_LIST_INIT;
	struct model *m = NULL;
	int rc;

	diag_list_init(&dl);
	rc = model_build(&m, p, &dl);
	if (rc != PLAN_OK)
		diag_print(&dl, stderr, 0);
	diag_list_release(&dl);
	cr_assert_eq(rc, PLAN_OK, "model_build failed: %d", rc);
	cr_assert_not_null(m);
	return m;
}

void ts_solve(struct solution *s, const struct model *m)
{
	struct lp_opts o = LP_OPTS_INIT;

	o.mip_gap = 0.0;
	memset(s, 0, sizeof(*s));
	cr_assert_eq(lp_solve(s, m->lp, &o), 0);
	cr_assert_eq(s->status, SOL_OPTIMAL, "status %s: %s", sol_status_name(s->status),
		     s->message ? s->message : "");
}

double ts_x(const struct model *m, const struct solution *s, const char *col)
{
	int j = lpm_find_col(m->lp, col);

	cr_assert_geq(j, 0, "no column '%s'", col);
	return s->x[j];
}

double ts_y(const struct model *m, const struct solution *s, const char *row)
{
	int i = lpm_find_row(m->lp, row);

	cr_assert_geq(i, 0, "no row '%s'", row);
	cr_assert(s->has_duals && s->y, "no duals");
	return s->y[i];
}

double ts_act(const struct model *m, const struct solution *s, const char *row)
{
	int i = lpm_find_row(m->lp, row);

	cr_assert_geq(i, 0, "no row '%s'", row);
	cr_assert_not_null(s->act);
	return s->act[i];
}

int ts_has_col(const struct model *m, const char *col)
{
	return lpm_find_col(m->lp, col) >= 0;
}

int ts_has_row(const struct model *m, const char *row)
{
	return lpm_find_row(m->lp, row) >= 0;
}

double ts_coef(const struct lpm *lp, const char *row, const char *col)
{
	int i = lpm_find_row(lp, row), j = lpm_find_col(lp, col);
	size_t k;

	cr_assert_geq(i, 0, "no row '%s'", row);
	cr_assert_geq(j, 0, "no column '%s'", col);
	for (k = 0; k < lp->nnz; k++)
		if (lp->nz[k].row == i && lp->nz[k].col == j)
			return lp->nz[k].val;
	return 0.0;
}

size_t ts_count_cols(const struct lpm *lp, int kind)
{
	size_t j, n = 0;

	for (j = 0; j < lp->ncols; j++)
		n += lp->cols[j].tag.kind == kind;
	return n;
}

size_t ts_count_rows(const struct lpm *lp, int kind)
{
	size_t i, n = 0;

	for (i = 0; i < lp->nrows; i++)
		n += lp->rows[i].tag.kind == kind;
	return n;
}

/* Whole contents of a file (malloc'ed), or NULL. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf && fread(buf, 1, (size_t)n, f) == (size_t)n)
			buf[n] = '\0';
		else {
			free(buf);
			buf = NULL;
		}
	}
	fclose(f);
	return buf;
}

double ts_glpsol(const struct lpm *lp, int lp_format, char **text)
{
	char model[] = "/tmp/porcupine_test_model_XXXXXX";
	char out[] = "/tmp/porcupine_test_out_XXXXXX";
	char cmd[256];
	char *sol, *line;
	double obj = 0.0;
	int fd, fo, rc, found = 0;
	FILE *f;

	if (system("glpsol --version > /dev/null 2>&1") != 0)
		cr_skip_test("glpsol is not installed");
	fd = mkstemp(model);
	fo = mkstemp(out);
	cr_assert(fd >= 0 && fo >= 0);
	close(fo);
	f = fdopen(fd, "w");
	cr_assert_not_null(f);
	cr_assert_eq(lp_format ? lpm_write_lp(lp, f) : lpm_write_mps(lp, f), 0);
	cr_assert_eq(fclose(f), 0);
	if (text)
		*text = slurp(model);
	snprintf(cmd, sizeof(cmd), "glpsol %s %s -o %s > /dev/null 2>&1",
		 lp_format ? "--lp" : "--freemps", model, out);
	rc = system(cmd);
	sol = slurp(out);
	unlink(model);
	unlink(out);
	cr_assert_eq(rc, 0, "glpsol could not read the %s text", lp_format ? "LP" : "MPS");
	cr_assert_not_null(sol);
	cr_assert(strstr(sol, "OPTIMAL") != NULL, "glpsol found no optimum:\n%s", sol);
	for (line = sol; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		const char *eq;

		if (strncmp(line, "Objective:", 10) != 0 || !(eq = strchr(line, '=')))
			continue;
		obj = strtod(eq + 1, NULL);
		found = 1;
		break;
	}
	free(sol);
	cr_assert(found, "no objective in glpsol's output");
	return obj;
}
