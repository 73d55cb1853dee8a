/* lpm.h - a solver-neutral linear/mixed-integer program: columns, rows, bounds, triplets, names. */
#ifndef PORCUPINE_LPM_H
#define PORCUPINE_LPM_H

#include <stddef.h>
#include <stdio.h>

/* Bounds beyond this magnitude mean "no bound".  Never pass infinities to a solver. */
#define LPM_INF 1e30
/* Longest name the writers emit (GLPK's MPS and LP readers accept 255 characters). */
#define LPM_NAME_MAX 255

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

/* A new empty minimisation model named `name` (sanitised like column names; NULL = "lpm").
 * NULL on allocation failure.  lpm_free accepts NULL. */
struct lpm *lpm_new(const char *name);
void lpm_free(struct lpm *m);

/* Add a column or row; returns its 0-based index, or -1 on allocation failure (m->oom set).
 * Names are copied; they should be unique, ASCII, without spaces (MPS).  lpm makes sure of it:
 * characters other than [A-Za-z0-9_.] become '_', a name starting with a digit or '.' gets a
 * leading '_', names are cut at LPM_NAME_MAX - 16 characters, and lpm_finish renames
 * duplicates (see there).  Bounds are normalised to the type: a bound whose magnitude is
 * LPM_INF or more is dropped (LPM_DB becomes LPM_LO, LPM_UP or LPM_FREE), LPM_DB with
 * lb == ub becomes LPM_FX, and unused bounds are stored as -LPM_INF / +LPM_INF. */
int lpm_add_col(struct lpm *m, const char *name, enum lpm_bound type, double lb, double ub,
		double obj, int integer, struct lpm_tag tag);
int lpm_add_row(struct lpm *m, const char *name, enum lpm_bound type, double lb, double ub,
		struct lpm_tag tag);
/* Add val to coefficient (row, col). Zero values are skipped. -1 on allocation failure. */
int lpm_add_nz(struct lpm *m, int row, int col, double val);

/* Change a row's or a column's bounds after it was added (normalised as above).
 * Used by blocks that move constants to a shared row's right-hand side, and by scenario code. */
void lpm_set_row_bounds(struct lpm *m, int row, enum lpm_bound type, double lb, double ub);
void lpm_set_col_bounds(struct lpm *m, int col, enum lpm_bound type, double lb, double ub);

/* Sort triplets by (col, row), merge duplicates (summed in the order they were added, so the
 * result does not depend on the C library's sort), drop zeros, and make names unique: the
 * second and later holders of a name get "~<index>" appended (index = 0-based column or row
 * number; '~' never appears in a sanitised name, so this cannot collide).  Call once after
 * building.  0, or -1 on allocation failure (m->oom set) or when m->oom was already set. */
int lpm_finish(struct lpm *m);

/* Index of the column / row with this exact (stored) name, or -1.  Linear search: for tests
 * and tools, not for builders. */
int lpm_find_col(const struct lpm *m, const char *name);
int lpm_find_row(const struct lpm *m, const char *name);

/* Row activity of every row for column values x (length ncols) into act (length nrows).
 * Thread-safe for a finished model (reads only). */
void lpm_row_activity(const struct lpm *m, const double *x, double *act);

/* Write as free MPS or CPLEX LP text that glpsol reads (glpsol --freemps / --lp).  Numbers
 * read back bit-identical: each is the shortest of %.15g, %.16g, %.17g that round-trips
 * (%.17g always does), so 0.7 stays "0.7".  Call after lpm_finish.
 *
 * The objective row is named "obj" (or "~obj" if a row already has that name).  Neither format
 * carries an objective constant portably (GLPK reads the RHS of the MPS objective row as
 * +constant, CPLEX and HiGHS as -constant; GLPK's LP reader has none), so a nonzero obj_const
 * is written as a column "obj_const" (or "~obj_const") fixed at 1 whose cost is the constant:
 * every reader then reaches the same objective value.  MPS has no objective sense in GLPK's
 * dialect: a maximisation is written with the objective negated (said in a comment), so the
 * optimum read back is minus the maximum.  Integer columns are written between INTORG/INTEND
 * markers with explicit bounds (GLPK would make an unbounded marked column binary).
 * In LP text a double-bounded or free row r becomes "expr - ~r_<k> = 0" with the bounds on the
 * range column ~r_<k> (k = 1-based row number), as GLPK itself writes ranges; columns are
 * declared in model order through the objective line, so glpsol numbers them as we do.
 * Return 0, or -1 when a write or an allocation failed (errno set). */
int lpm_write_mps(const struct lpm *m, FILE *f);
int lpm_write_lp(const struct lpm *m, FILE *f);

#endif
