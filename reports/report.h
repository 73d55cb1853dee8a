/* report.h - the reports of a `solve` run: report.json (schema porcupine.report/1), the
 * allocation, requirements and funding CSVs, report.md, and the summary printed on stdout. */
#ifndef PORCUPINE_REPORT_H
#define PORCUPINE_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "diag.h"
#include "model.h"
#include "plan.h"

/* Schema name written into report.json; bumped when a key is renamed or removed. */
#define REPORT_SCHEMA "porcupine.report/1"

struct ranging;	/* solver/ranging.h */
struct tornado; /* solver/tornado.h */
struct scen_summary; /* solver/scen.h */

/* Everything a report is written from.  All borrowed; nothing is modified.
 * plan, sol and res are required; model may be NULL (not needed by the writers yet).
 * Indices in res (item, buyer, source, year ...) are turned into the plan's ids; an index
 * the plan does not have is written as null (JSON) or empty (CSV) with a warning. */
struct report_ctx {
	const struct plan *plan;
	const struct model *model;
	const struct solution *sol;
	const struct results *res;
	const char *command;	/* "solve" */
	const char *const *set; /* the --set PATH=VALUE assignments, in order given */
	size_t nset;
	unsigned long long seed;
	int threads;
	double elapsed_s;	  /* the only run-dependent number; only under run */
	const char *tool_version; /* NULL = this build's PORCUPINE_VERSION */
	/* Optional sections (NULL = absent): the LP's sensitivity ranges (report.json
	 * "ranging", ranging.csv, report.md "Most binding"), and a tornado analysis of the
	 * plan's uncertain parameters (report.json "tornado").  See reports/report_sens.h. */
	const struct ranging *ranging;
	const struct tornado *tornado;
	/* A scenario run's summary (report.json "scenarios", report.md "Scenarios"), or NULL. */
	const struct scen_summary *scenarios;
};

/* Write report.json, allocation.csv, requirements.csv, funding.csv, report.md and
 * ranging.csv (header only without rc->ranging) into dir,
 * creating dir (and parents) if needed.  All are first written completely to temporary
 * files in dir; only when every one succeeded are they renamed over the previous files.  On
 * any failure no temporary file is left and every previous file is untouched.
 * Returns 0, or -1 with a diagnostic (file = the path concerned, message with the reason)
 * added to dl.  Two calls with the same inputs write byte-identical files, apart from
 * run.elapsed_s in report.json.  Thread-safe for distinct dirs and dls. */
int report_write_solve(const char *dir, const struct report_ctx *rc, struct diag_list *dl);

/* The views of a run, drawn from the report.json already in dir (so every command that writes
 * report.json gets them): report.html (self-contained page, inline SVG charts, printable)
 * and report.xlsx (Summary, Allocation, Funding, Requirements; Scenarios and Statistics for
 * scenario runs; native charts).  Both are written completely to temporary files in dir
 * before either replaces its predecessor.  The same report.json gives byte-identical files:
 * the workbook's creation time is SOURCE_DATE_EPOCH, or a fixed date when it is not set.
 * Returns 0, or -1 with a diagnostic in dl (an unreadable or foreign report.json, or the
 * reason a file could not be written).  Thread-safe for distinct dirs and dls. */
int report_write_views(const char *dir, struct diag_list *dl);

/* The individual documents, written to f (e.g. stdout for `--json`).  Each returns 0, or -1
 * when writing or an allocation failed (errno set when known).  Doubles in JSON and CSV are
 * printed with 17 significant digits, so they read back bit-identical; a non-finite number
 * is written as JSON null / an empty CSV field, and report.json's "warnings" says why. */
int report_json(FILE *f, const struct report_ctx *rc);
int report_csv_allocation(FILE *f, const struct report_ctx *rc);
int report_csv_requirements(FILE *f, const struct report_ctx *rc);
int report_csv_funding(FILE *f, const struct report_ctx *rc);
int report_markdown(FILE *f, const struct report_ctx *rc);

/* A compact summary for the terminal: status, objective, total spend, money used per source
 * against what it makes available, and the largest shortfalls with their shadow prices.
 * Write errors are left in ferror(out). */
void report_print_summary(FILE *out, const struct report_ctx *rc);

/* Money for people: "EUR 43.7bn", "EUR 158m", "EUR 4.4k", "EUR 950", "EUR -1.25m";
 * three significant digits.  Non-finite values give "n/a".  Always NUL-terminates buf. */
void report_fmt_money(char *buf, size_t len, double eur);

#endif
