/* report_scen_int.h - the scenario section of the reports (report_scen.c), used by
 * report_json.c and report_md.c when report_ctx.scenarios is set. */
#ifndef PORCUPINE_REPORT_SCEN_INT_H
#define PORCUPINE_REPORT_SCEN_INT_H

#include <jansson.h>
#include <stdio.h>

#include "report.h"

/* report.json's "scenarios" object (NULL when out of memory). */
json_t *rpt_scen_json(const struct report_ctx *rc);
/* Scenarios finished (scenarios.n). */
size_t rpt_scen_count(const struct report_ctx *rc);
/* report.md's "Scenarios" section.  0, or -1 on a write error. */
int rpt_scen_md(FILE *f, const struct report_ctx *rc);

#endif
