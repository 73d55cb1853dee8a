/* params.h - parameter paths ("items.iris_t_slm.unit_cost") resolved to numbers in a plan. */
#ifndef PORCUPINE_PARAMS_H
#define PORCUPINE_PARAMS_H

#include <stddef.h>

#include "diag.h"
#include "plan.h"

/* One resolved numeric slot in a plan.  A path to a year series without a year
 * ("capabilities.x.target") resolves to one slot per horizon year. */
struct param_slot {
	double *value;   /* points into the plan: valid until plan_free */
	double min, max; /* what the schema allows for this value */
	int integer;     /* whole numbers only */
};

/* Resolve `path` in plan p.  '*' stands for every id at that level ("items.*.unit_cost").
 * On success *out is a malloc'ed array of *n slots (n >= 1), caller frees.
 * On failure records a diagnostic (with a "did you mean" suggestion when a name is close)
 * at file/line/col and returns PLAN_EINVALID.  Thread-safe for distinct plans. */
int params_resolve(struct param_slot **out, size_t *n, struct plan *p, const char *path,
		   struct diag_list *dl, const char *file, int line, int col);

/* Called by params_each for each parameter: n = 1 for a number, n = the horizon's years for a
 * year series (v[t] is the value in year start + t). */
typedef void (*params_fn)(void *ctx, const char *path, const double *v, size_t n);

/* Every numeric parameter of plan p that a path can name (what --set and the scenario
 * engine can change), in schema order with ids in plan order, e.g. "items.iris_t_slm.unit_cost"
 * with n = 1 and "capabilities.gbad_fire_units.target" with one value per year.  Whole numbers,
 * booleans and enumerations are passed as doubles.  Returns PLAN_OK, or PLAN_ENOMEM (fn may
 * have been called for some parameters).  Thread-safe for distinct plans. */
int params_each(const struct plan *p, params_fn fn, void *ctx);

/* Results of number_parse. */
enum number_status {
	NUMBER_OK = 0,
	NUMBER_NOT_A_NUMBER = -1, /* not numeric text; *why may hold a hint, or be NULL */
	NUMBER_INVALID = -2       /* numeric but refused; *why says why */
};

/* Parse a finite decimal number as plan files write them: optional sign, digits with '_'
 * between digits, optional fraction and exponent; with `money`, also a suffix k, m, bn or
 * tn (any case).  Refuses .nan/.inf, values that overflow, hexadecimal, octal (including
 * YAML 1.1's leading-zero form such as 012) and binary forms.  Returns an enum
 * number_status; *why is a static string or NULL.  Needs the C numeric locale (as every
 * program has unless it calls setlocale(LC_NUMERIC, ...)).  Thread-safe. */
int number_parse(double *out, const char *text, int money, const char **why);

/* Parse a money or number literal: "150bn", "43.73bn", "158m", "4.4k", "1.2tn", "12_000",
 * "-3", "2.5e6".  Rejects non-finite values, hex, empty text and trailing junk.
 * Returns 0 and sets *out, or -1 with a short reason in *why (static string). */
int money_parse(double *out, const char *text, const char **why);

/* Write v as a money literal that money_parse reads back to within 6 significant digits:
 * 156.2bn, 43.73bn, 4.4k, 12.5.  Thread-safe. */
void money_format(char *buf, size_t n, double v);

#endif
