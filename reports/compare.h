/* compare.h - what differs between two allocation reports (the report.json of two runs):
 * spend by category, item, buyer, source and year, capability levels and shortfalls, cost,
 * and the plan parameters behind them; written as compare.md, compare.html, compare.json and
 * compare.csv, summarised on the terminal. */
#ifndef PORCUPINE_COMPARE_H
#define PORCUPINE_COMPARE_H

#include <stdio.h>

#include "diag.h"

/* Schema name written into compare.json. */
#define COMPARE_SCHEMA "porcupine.compare/1"

enum compare_err {
	COMPARE_OK = 0,
	COMPARE_EINPUT = 2, /* a run cannot be read, or the two cannot be compared: diagnostic */
	COMPARE_EWRITE = 1  /* the outputs could not be written (or memory ran out): diagnostic */
};
const char *compare_strerror(int err);

/* Compare run A with run B.  A run is a report.json file or the folder holding one.
 * Refuses (COMPARE_EINPUT) runs of different report schemas and plans that cannot be
 * compared (different horizons, or nothing in common).  Plans need not share a name.
 * When outdir is not NULL, writes compare.md, compare.html, compare.json and compare.csv
 * there (creating it; all four complete before any replaces its predecessor).  When summary
 * is not NULL, prints the biggest differences to it.  Comparing a run with itself reports no
 * differences.  Same inputs => byte-identical files.  Thread-safe for distinct outdirs. */
int compare_runs(const char *run_a, const char *run_b, const char *outdir, FILE *summary,
		 struct diag_list *dl);

#endif
