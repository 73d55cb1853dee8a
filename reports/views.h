/* views.h - inside reports/: report.html and report.xlsx drawn from a report.json document
 * (jansson), and the small table helpers they share with `compare`.  Not a public API: the
 * commands use report_write_views and the compare_* functions. */
#ifndef PORCUPINE_VIEWS_H
#define PORCUPINE_VIEWS_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#include "diag.h"

/* ---- reading a report.json document ------------------------------------------------------- */

/* Load a report.json: the document, or NULL with a diagnostic (file:line:col of a JSON
 * error, or "not a porcupine report" when it has no porcupine.report/N schema). */
json_t *report_load(const char *path, struct diag_list *dl);

/* The value at a dotted path ("solution.objective"), or NULL.  Borrowed from doc. */
json_t *rv_get(const json_t *doc, const char *path);
/* A string at path, or NULL when absent or not a string. */
const char *rv_str(const json_t *doc, const char *path);
/* A number (integer or real) at path, or NAN. */
double rv_num(const json_t *doc, const char *path);
/* A number member of an object, or NAN. */
double rv_field(const json_t *obj, const char *key);
/* A member as a key text: strings as they are, integers in decimal, anything else NULL.
 * buf receives integers (at least 24 bytes). */
const char *rv_key(const json_t *obj, const char *key, char *buf, size_t len);
/* The name the plan gives an id (plan.names.<section>.<id>), or the id itself. */
const char *rv_name(const json_t *doc, const char *section, const char *id);
/* The plan parameter at path (plan.parameters), or NAN; a series gives its value in year t
 * (index from the horizon start; t < 0 for a scalar). */
double rv_param(const json_t *doc, const char *path, int t);

/* ---- ordered sets of keys and tables of sums ----------------------------------------------- */

struct rv_keys {
	char **v; /* owned copies, in insertion order */
	size_t n, cap;
};
#define RV_KEYS_INIT                                                                               \
	{                                                                                          \
		NULL, 0, 0                                                                         \
	}

/* Index of s, adding it when absent; -1 when memory ran out. */
int rv_keys_add(struct rv_keys *k, const char *s);
/* Index of s, or -1. */
int rv_keys_find(const struct rv_keys *k, const char *s);
void rv_keys_release(struct rv_keys *k);

/* Sums of `valkey` over the rows of a JSON array, grouped by rowkey (and colkey; NULL = one
 * column).  Keys already in rows/cols keep their order and positions; new ones are added in
 * order of first appearance.  v[r * cols.n + c]; a cell no row contributed to is 0. */
struct rv_pivot {
	struct rv_keys rows, cols;
	double *v;
};
#define RV_PIVOT_INIT                                                                              \
	{                                                                                          \
		RV_KEYS_INIT, RV_KEYS_INIT, NULL                                                   \
	}

/* 0, or -1 when memory ran out (the pivot is then released).  Rows whose keys are missing
 * are skipped; non-numeric values count as 0.  Call once per pivot. */
int rv_pivot_build(struct rv_pivot *pv, const json_t *arr, const char *rowkey, const char *colkey,
		   const char *valkey);
double rv_pivot_at(const struct rv_pivot *pv, size_t r, size_t c);
double rv_pivot_row_total(const struct rv_pivot *pv, size_t r);
/* Reorder rows by total, largest first (ties keep their order).  0 or -1 (ENOMEM). */
int rv_pivot_sort_rows(struct rv_pivot *pv);
void rv_pivot_release(struct rv_pivot *pv);

/* The horizon's years as keys "2026" ... (from plan.horizon, else from the funding rows). */
int rv_years(struct rv_keys *years, const json_t *doc);

/* Is this shortfall more than noise (as report.md decides)? */
int rv_is_short(double shortfall, double target);

/* ---- the views ----------------------------------------------------------------------------- */

/* report.html: one self-contained page.  0, or -1 (errno) when writing failed or memory ran
 * out.  Same document => same bytes (run.elapsed_s is not shown). */
int view_html(FILE *f, const json_t *doc);

/* report.xlsx at `path` (written there directly; the caller renames).  The workbook's
 * creation time is `created` (seconds since the epoch).  scen_csv: scenarios.csv to copy into
 * the Scenarios sheet of a scenario run (NULL or missing = none).  0, or -1 with a message in
 * err (len bytes). */
int view_xlsx(const char *path, const json_t *doc, long long created, const char *scen_csv,
	      char *err, size_t len);

/* The creation time views stamp into files: SOURCE_DATE_EPOCH when set to a number, else a
 * fixed date (2026-01-01), so that the same inputs give byte-identical files. */
long long view_epoch(void);

/* HTML shared by the page writers: the <head> with the style sheet, and text escaping. */
void view_html_head(FILE *f, const char *title, const char *generator);
void view_html_text(FILE *f, const char *s);

#endif
