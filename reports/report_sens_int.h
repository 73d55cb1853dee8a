/* report_sens_int.h - inside reports/: pieces the sensitivity writers share with report.json
 * and report.md (jansson builders, the "Most binding" section, atomic sets of files). */
#ifndef PORCUPINE_REPORT_SENS_INT_H
#define PORCUPINE_REPORT_SENS_INT_H

#include <jansson.h>
#include <stdio.h>

#include "report_sens.h"

/* report.json's "ranging" object ({basis, rows: [...], costs: [...]}) and "tornado" object
 * ({base_objective, range, quantiles, bars: [...]}).  NULL when memory ran out.  Numbers
 * that are not finite (no limit, did not solve) are null. */
json_t *rpt_sens_json_ranging(const struct report_ctx *rc);
json_t *rpt_sens_json_tornado(const struct tornado *t);

/* report.md's "Most binding" section (nothing when rc->ranging is NULL). */
void rpt_sens_md_ranging(FILE *f, const struct report_ctx *rc);

/* A JSON number, or null when not finite; -0 as 0.  NULL only when memory ran out. */
json_t *rpt_sens_num(double v);
/* A JSON string, or null for NULL or text that is not UTF-8. */
json_t *rpt_sens_str(const char *s);
/* obj[key] = val (taking val); sets *oom when val is NULL or the set fails. */
void rpt_sens_put(json_t *obj, const char *key, json_t *val, int *oom);
void rpt_sens_push(json_t *arr, json_t *val, int *oom);
/* The "tool", "plan" and "run" objects of sweep.json and tornado.json. */
json_t *rpt_sens_tool(const struct report_sens_meta *meta, int *oom);
json_t *rpt_sens_plan(const struct plan *p, int *oom);
/* Dump doc to f (2-space indent, keys in order, 17 significant digits, final newline) and
 * release it.  0, or -1 (errno). */
int rpt_sens_dump(FILE *f, json_t *doc, int oom);

/* Write files into dir, all or none, like report_write_solve: each writer gets the stream of
 * a temporary file; only when all succeeded are they renamed into place. */
struct rpt_sens_file {
	const char *name;
	int (*write)(FILE *f, const void *ctx);
	const void *ctx;
};
int rpt_sens_write_files(const char *dir, const struct rpt_sens_file *files, size_t n,
			 struct diag_list *dl);

/* "funding.safe.total", or "funding.safe.total (x)" for a scaled parameter. */
void rpt_sens_axis_label(char *buf, size_t n, const struct sweep_axis *a);

#endif
