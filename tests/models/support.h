/* support.h - helpers shared by the model test suites: build, solve, look up by name, and run
 * glpsol on the model written as MPS or LP text. */
#ifndef PORCUPINE_TESTS_MODELS_SUPPORT_H
#define PORCUPINE_TESTS_MODELS_SUPPORT_H

#include "lp.h"
#include "model.h"

/* Build the model of p; the test fails unless it succeeds. */
struct model *ts_build(const struct plan *p);
/* Solve m's LP (LP_OPTS_INIT, exact MIP gap); the test fails unless the status is optimal. */
void ts_solve(struct solution *s, const struct model *m);
/* Value of the named column / dual and activity of the named row (the name must exist). */
double ts_x(const struct model *m, const struct solution *s, const char *col);
double ts_y(const struct model *m, const struct solution *s, const char *row);
double ts_act(const struct model *m, const struct solution *s, const char *row);
int ts_has_col(const struct model *m, const char *col);
int ts_has_row(const struct model *m, const char *row);
/* Coefficient (row, col) of the finished model (0 when absent). */
double ts_coef(const struct lpm *lp, const char *row, const char *col);
/* Count the columns / rows whose tag has this kind. */
size_t ts_count_cols(const struct lpm *lp, int kind);
size_t ts_count_rows(const struct lpm *lp, int kind);
/* Write lp as free MPS (lp_format 0) or CPLEX LP (1) to a temporary file, solve it with
 * glpsol and return the optimal objective glpsol prints; skips the test when glpsol is not
 * installed, fails it when glpsol cannot read the file or finds no optimum.  When text is not
 * NULL it receives the written text (malloc'ed, caller frees). */
double ts_glpsol(const struct lpm *lp, int lp_format, char **text);

#endif
