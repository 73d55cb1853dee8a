/* report_int.h - helpers shared by the report writers (not part of the reports' API). */
#ifndef PORCUPINE_REPORT_INT_H
#define PORCUPINE_REPORT_INT_H

#include <stddef.h>
#include <stdio.h>

#include "report.h"

/* Ids from the plan by index; NULL when the index is out of range. */
const char *rpt_item_id(const struct plan *p, int i);
const char *rpt_buyer_id(const struct plan *p, int i);
const char *rpt_source_id(const struct plan *p, int i);
const char *rpt_category_id(const struct plan *p, int i);
const char *rpt_capability_id(const struct plan *p, int i);
const char *rpt_deployment_id(const struct plan *p, int i);
/* Category index of item i, or -1. */
int rpt_item_category(const struct plan *p, int i);
/* Unit of capability i, or NULL. */
const char *rpt_capability_unit(const struct plan *p, int i);

/* -0.0 and 0.0 print differently; reports always want the latter. */
static inline double rpt_nozero(double v)
{
	return v == 0.0 ? 0.0 : v;
}

/* CSV (RFC 4180): a field quoted when it holds a comma, quote, CR or LF, with quotes
 * doubled; NULL is an empty field.  Numbers: %.17g, empty when not finite. */
void rpt_csv_str(FILE *f, const char *s);
void rpt_csv_num(FILE *f, double v);
#define RPT_CSV_EOL "\r\n"

/* Markdown table cell text: '|' and '\\' escaped, line breaks as spaces; NULL as "-". */
void rpt_md_text(FILE *f, const char *s);

/* Quantities for people: "45,000", "12.5", "0.333"; non-finite as "n/a". */
void rpt_fmt_qty(char *buf, size_t len, double v);

/* Share as a percentage, "80%", "0.5%"; "-" when the whole is zero. */
void rpt_fmt_share(char *buf, size_t len, double part, double whole);

/* Requirement rows with a shortfall worth reporting, largest share of the target first,
 * ties by model order.  Returns a malloc'd array of indices into res->req (count in *n),
 * or NULL (with *n = 0) when there are none or memory ran out. */
size_t *rpt_shortfalls(const struct results *res, size_t *n);

/* Purchases, largest EUR first, ties by model order; like rpt_shortfalls. */
size_t *rpt_largest_purchases(const struct results *res, size_t *n);

/* Is this shortfall more than noise? */
int rpt_has_shortfall(const struct res_req *q);

#endif
