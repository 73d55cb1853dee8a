/* report_csv.c - allocation.csv, requirements.csv and funding.csv: the arrays of report.json
 * as RFC 4180 tables (header row, CRLF line ends, quoted fields where needed, numbers with
 * 17 significant digits, empty fields where JSON has null). */
#include <stdio.h>

#include "report_int.h"

static int done(FILE *f)
{
	return ferror(f) ? -1 : 0;
}

int report_csv_allocation(FILE *f, const struct report_ctx *rc)
{
	const struct plan *p = rc->plan;

	fputs("item,category,buyer,source,year,delivery_year,units,eur" RPT_CSV_EOL, f);
	for (size_t k = 0; k < rc->res->nalloc; k++) {
		const struct res_alloc *a = &rc->res->alloc[k];
		rpt_csv_str(f, rpt_item_id(p, a->item));
		fputc(',', f);
		rpt_csv_str(f, rpt_category_id(p, rpt_item_category(p, a->item)));
		fputc(',', f);
		rpt_csv_str(f, rpt_buyer_id(p, a->buyer));
		fputc(',', f);
		rpt_csv_str(f, rpt_source_id(p, a->source));
		fprintf(f, ",%d,%d,", a->year, a->delivery_year);
		rpt_csv_num(f, a->units);
		fputc(',', f);
		rpt_csv_num(f, a->eur);
		fputs(RPT_CSV_EOL, f);
	}
	return done(f);
}

int report_csv_requirements(FILE *f, const struct report_ctx *rc)
{
	const struct plan *p = rc->plan;
	int duals = rc->sol->has_duals;

	fputs("capability,unit,year,target,achieved,shortfall,shadow_price" RPT_CSV_EOL, f);
	for (size_t k = 0; k < rc->res->nreq; k++) {
		const struct res_req *q = &rc->res->req[k];
		rpt_csv_str(f, rpt_capability_id(p, q->capability));
		fputc(',', f);
		rpt_csv_str(f, rpt_capability_unit(p, q->capability));
		fprintf(f, ",%d,", q->year);
		rpt_csv_num(f, q->target);
		fputc(',', f);
		rpt_csv_num(f, q->achieved);
		fputc(',', f);
		rpt_csv_num(f, q->shortfall);
		fputc(',', f);
		if (duals)
			rpt_csv_num(f, q->shadow_price);
		fputs(RPT_CSV_EOL, f);
	}
	return done(f);
}

int report_csv_funding(FILE *f, const struct report_ctx *rc)
{
	const struct plan *p = rc->plan;
	int duals = rc->sol->has_duals;

	fputs("source,year,available_eur,used_eur,carry_in_eur,carry_out_eur,marginal_"
	      "value" RPT_CSV_EOL,
	      f);
	for (size_t k = 0; k < rc->res->nfund; k++) {
		const struct res_funding *u = &rc->res->fund[k];
		rpt_csv_str(f, rpt_source_id(p, u->source));
		fprintf(f, ",%d,", u->year);
		rpt_csv_num(f, u->available_eur);
		fputc(',', f);
		rpt_csv_num(f, u->used_eur);
		fputc(',', f);
		rpt_csv_num(f, u->carry_in_eur);
		fputc(',', f);
		rpt_csv_num(f, u->carry_out_eur);
		fputc(',', f);
		if (duals)
			rpt_csv_num(f, u->marginal_value);
		fputs(RPT_CSV_EOL, f);
	}
	return done(f);
}
