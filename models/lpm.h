/* lpm.h - a solver-neutral linear/mixed-integer program: columns, rows, bounds, triplets, names. */
#ifndef PORCUPINE_LPM_H
#define PORCUPINE_LPM_H

#include <stddef.h>
#include <stdio.h>

/* Bounds beyond this magnitude mean "no bound".  Never pass infinities to a solver. */
#define LPM_INF 1e30

enum lpm_bound {
	LPM_FREE = 0, /* -inf < x < +inf */
	LPM_LO,       /* lb <= x */
	LPM_UP,       /* x <= ub */
	LPM_DB,       /* lb <= x <= ub */
	LPM_FX        /* x == lb == ub */
};

/* What a column or row stands for, so results can be read back without parsing names.
 * kind is one of the model's MV_* / MR_* codes (model.h); a..d are indices (item, buyer,
 * source, year ...) whose meaning depends on kind; unused ones are -1. */
struct lpm_tag {
	int kind;
	int a, b, c, d;
};

struct lpm_col {
	char *name;
	enum lpm_bound type;
	double lb, ub;
	double obj;
	int integer;
	struct lpm_tag tag;
};

struct lpm_row {
	char *name;
	enum lpm_bound type; /* LPM_LO: activity >= lb; LPM_UP: <= ub; LPM_DB; LPM_FX */
	double lb, ub;
	struct lpm_tag tag;
};

struct lpm_nz {
	int row, col;
	double val;
};

/* The model.  Owns all names.  Built single-threaded, then read-only (shareable). */
struct lpm {
	char *name;
	int minimize; /* 1 = minimise (the default), 0 = maximise */
	double obj_const;
	struct lpm_col *cols;
	size_t ncols, cols_alloc;
	struct lpm_row *rows;
	size_t nrows, rows_alloc;
	struct lpm_nz *nz; /* coefficient triplets; duplicates (row, col) are summed by lpm_finish */
	size_t nnz, nz_alloc;
	int oom; /* an allocation failed while building: the model is unusable */
};

struct lpm *lpm_new(const char *name);
void lpm_free(struct lpm *m);

/* Add a column or row; returns its 0-based index, or -1 on allocation failure (m->oom set).
 * Names are copied; they must be unique, ASCII, without spaces (MPS). */
int lpm_add_col(struct lpm *m, const char *name, enum lpm_bound type, double lb, double ub,
		double obj, int integer, struct lpm_tag tag);
int lpm_add_row(struct lpm *m, const char *name, enum lpm_bound type, double lb, double ub,
		struct lpm_tag tag);
/* Add val to coefficient (row, col). Zero values are skipped. -1 on allocation failure. */
int lpm_add_nz(struct lpm *m, int row, int col, double val);

/* Sort triplets by (col, row), merge duplicates, drop zeros.  Call once after building. */
int lpm_finish(struct lpm *m);

/* Row activity of every row for column values x (length ncols) into act (length nrows). */
void lpm_row_activity(const struct lpm *m, const double *x, double *act);

/* Write as fixed-name free MPS or CPLEX LP text that glpsol reads (glpsol --freemps / --lp).
 * Return 0, or -1 when a write failed (errno set). */
int lpm_write_mps(const struct lpm *m, FILE *f);
int lpm_write_lp(const struct lpm *m, FILE *f);

#endif
