/* report_sens.h - the reports of the sensitivity commands: sweep.csv, sweep.json and the
 * sweep charts; tornado.csv, tornado.json and the tornado chart; ranging.csv and the terminal
 * summaries.  (report.json's "ranging" and "tornado" sections come with report_json, from
 * report_ctx.ranging and report_ctx.tornado.) */
#ifndef PORCUPINE_REPORT_SENS_H
#define PORCUPINE_REPORT_SENS_H

#include <stddef.h>
#include <stdio.h>

#include "diag.h"
#include "ranging.h"
#include "report.h"
#include "sweep.h"
#include "tornado.h"

/* Schemas of sweep.json and tornado.json. */
#define REPORT_SWEEP_SCHEMA   "porcupine.sweep/1"
#define REPORT_TORNADO_SCHEMA "porcupine.tornado/1"

/* What the sensitivity files say about the run.  Borrowed.  No times and no thread count:
 * the same inputs give byte-identical files whatever the number of threads. */
struct report_sens_meta {
	const char *command;	/* "sweep", "tornado" */
	const char *const *set; /* --set assignments, in order */
	size_t nset;
	const char *tool_version; /* NULL = this build's */
};

/* sweep.csv: one row per point (axis 0 outer, axis 1 inner): the parameters' values, status,
 * objective, money, shortfall cost, shortfall per capability (units over the horizon), spend
 * per category, money used per source; with scenarios also n, solved and the objective's
 * standard error and P5/P50/P95.  RFC 4180, CRLF, numbers with 17 significant digits, empty
 * fields for what did not solve.  0, or -1 when writing failed. */
int report_sweep_csv(FILE *f, const struct sweep *s);
/* sweep.json (schema porcupine.sweep/1): the same points, plus "steps": from each point to
 * the next along the first parameter, the change of objective, spend and shortfall cost and
 * the capability gained (shortfall that went away), per capability.  0 or -1. */
int report_sweep_json(FILE *f, const struct sweep *s, const struct report_sens_meta *meta);
/* sweep.svg: objective (with its P5-P95 band for scenario runs), shortfall cost and total
 * spend against the first parameter; with two parameters, the objective, one line per
 * value of the second.  0, or -1 with errno. */
int report_sweep_svg(FILE *f, const struct sweep *s);
/* sweep_shortfalls.svg: share of the target missed, for the capabilities that move most
 * over a one-parameter sweep (two-parameter sweeps: the first value of the second). */
int report_sweep_shortfall_svg(FILE *f, const struct sweep *s);

/* Write sweep.csv, sweep.json, sweep.svg and sweep_shortfalls.svg into dir (created if
 * needed), all or none (as report_write_solve).  0, or -1 with a diagnostic in dl. */
int report_write_sweep(const char *dir, const struct sweep *s, const struct report_sens_meta *meta,
		       struct diag_list *dl);

/* The sweep as a table on the terminal: each point's value(s), status, objective, change
 * from the previous point, spend, and the capability gained from the previous point. */
void report_print_sweep(FILE *out, const struct sweep *s);

/* tornado.csv: one row per bar, largest swing first: rank, parameter id, path, apply,
 * distribution, low and high value, objective at each end, swing, statuses, total spend at
 * each end, then each capability's shortfall at low and at high.  0 or -1. */
int report_tornado_csv(FILE *f, const struct tornado *t);
/* tornado.json (schema porcupine.tornado/1): tool, plan, run and the "tornado" object that
 * report.json also carries.  0 or -1. */
int report_tornado_json(FILE *f, const struct tornado *t, const struct report_sens_meta *meta);
/* tornado.svg: a horizontal bar per parameter from the base objective to the objective at
 * its low value and at its high value, largest swing on top.  0, or -1 with errno. */
int report_tornado_svg(FILE *f, const struct tornado *t);

/* Write tornado.csv, tornado.json and tornado.svg into dir, all or none.  0, or -1 with a
 * diagnostic in dl. */
int report_write_tornado(const char *dir, const struct tornado *t,
			 const struct report_sens_meta *meta, struct diag_list *dl);

/* The bars on the terminal, largest swing first. */
void report_print_tornado(FILE *out, const struct tornado *t, size_t max_bars);

/* ranging.csv: one row per ranged budget, target and capacity row and per ranged price:
 * kind, name, source, buyer, item, capability, year, value (the row's bound, or the item's
 * unit cost), lo and hi (how far it can move: rows keeping their price, prices keeping the
 * purchases; empty = no limit), activity (row activity, or units bought), price (rows: the
 * marginal value or shadow price, as report.json signs it).  Header only when rc->ranging
 * is NULL.  0 or -1. */
int report_csv_ranging(FILE *f, const struct report_ctx *rc);

#endif
