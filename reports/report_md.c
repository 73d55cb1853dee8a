/* report_md.c - report.md: a one-page summary of a solve for people (key figures, money by
 * source and year, spend by category, shortfalls with shadow prices, largest purchases). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "lp.h"
#include "report_int.h"
#include "report_scen_int.h"
#include "report_sens_int.h"
#include "version.h"

/* Shortfall rows shown before pointing to requirements.csv. */
#define MD_MAX_SHORTFALLS 15
#define MD_TOP_PURCHASES  10

static void money_cell(FILE *f, double eur)
{
	char b[48];
	report_fmt_money(b, sizeof(b), eur);
	fprintf(f, " %s |", b);
}

static void qty_cell(FILE *f, double v)
{
	char b[48];
	rpt_fmt_qty(b, sizeof(b), v);
	fprintf(f, " %s |", b);
}

static void text_cell(FILE *f, const char *s)
{
	fputc(' ', f);
	rpt_md_text(f, s);
	fputs(" |", f);
}

/* A name for people, falling back to the id. */
static const char *item_name(const struct plan *p, int i)
{
	if (i < 0 || (size_t)i >= p->nitems)
		return NULL;
	return p->items[i].name ? p->items[i].name : p->items[i].id;
}

static const char *category_name(const struct plan *p, int i)
{
	if (i < 0 || (size_t)i >= p->ncategories)
		return NULL;
	return p->categories[i].name ? p->categories[i].name : p->categories[i].id;
}

static const char *capability_name(const struct plan *p, int i)
{
	if (i < 0 || (size_t)i >= p->ncapabilities)
		return NULL;
	return p->capabilities[i].name ? p->capabilities[i].name : p->capabilities[i].id;
}

static void key_figures(FILE *f, const struct report_ctx *rc)
{
	const struct results *r = rc->res;
	const struct solution *s = rc->sol;
	size_t nshort = 0;

	for (size_t k = 0; k < r->nreq; k++)
		nshort += rpt_has_shortfall(&r->req[k]);
	fputs("## Key figures\n\n| | |\n|---|---:|\n", f);
	fputs("| Status |", f);
	text_cell(f, sol_status_name(r->status));
	fputs("\n| Objective (cost of money and purchases + shortfall penalties) |", f);
	money_cell(f, r->objective);
	fputs("\n| Total spend |", f);
	money_cell(f, r->total_spend_eur);
	fputs("\n| Purchases |", f);
	money_cell(f, r->purchase_eur);
	fputs("\n| Personnel |", f);
	money_cell(f, r->personnel_eur);
	fprintf(f, "\n| Requirements not fully met | %zu of %zu capability-years |\n", nshort,
		r->nreq);
	if (s->mip_gap > 0)
		fprintf(f, "| Relative MIP gap | %.3g |\n", s->mip_gap);
	fprintf(f, "| Re-check of the solution | %s (largest violation %.3g) |\n\n",
		s->violation || s->status == SOL_FAILED ? "failed" : "passed", s->max_violation);
}

static void money_by_source(FILE *f, const struct report_ctx *rc)
{
	const struct plan *p = rc->plan;
	const struct results *r = rc->res;
	int duals = rc->sol->has_duals;
	char b[48];

	fputs("## Money by source and year\n\n", f);
	if (!r->nfund) {
		fputs("The plan has no funding sources.\n\n", f);
		return;
	}
	fputs("| Source | Year | Available | Used | Used share | Carried over | "
	      "Value of one more EUR |\n|---|---:|---:|---:|---:|---:|---:|\n",
	      f);
	for (size_t k = 0; k < r->nfund;) {
		int src = r->fund[k].source;
		double avail = 0, used = 0;
		for (; k < r->nfund && r->fund[k].source == src; k++) {
			const struct res_funding *u = &r->fund[k];
			avail += u->available_eur;
			used += u->used_eur;
			fputc('|', f);
			text_cell(f, rpt_source_id(p, src));
			fprintf(f, " %d |", u->year);
			money_cell(f, u->available_eur);
			money_cell(f, u->used_eur);
			rpt_fmt_share(b, sizeof(b), u->used_eur,
				      u->available_eur + u->carry_in_eur);
			fprintf(f, " %s |", b);
			money_cell(f, u->carry_out_eur);
			if (duals)
				qty_cell(f, u->marginal_value);
			else
				fputs(" n/a |", f);
			fputc('\n', f);
		}
		fputs("| **", f);
		rpt_md_text(f, rpt_source_id(p, src));
		fputs(" total** | |", f);
		money_cell(f, avail);
		money_cell(f, used);
		rpt_fmt_share(b, sizeof(b), used, avail);
		fprintf(f, " %s | | |\n", b);
	}
	fputs("\nUsed share is of what the year makes available including money carried in; the "
	      "value of one more EUR is how much the objective improves per extra EUR "
	      "available.\n\n",
	      f);
}

static void spend_by_category(FILE *f, const struct report_ctx *rc)
{
	const struct plan *p = rc->plan;
	const struct results *r = rc->res;
	double *by = pc_calloc(p->ncategories + 1, sizeof(*by)); /* last slot: unknown */
	double total = r->purchase_eur + r->personnel_eur;
	char b[48];

	fputs("## Spend by category\n\n", f);
	if (!by) {
		fputs("(not enough memory to tabulate)\n\n", f);
		return;
	}
	for (size_t k = 0; k < r->nalloc; k++) {
		int c = rpt_item_category(p, r->alloc[k].item);
		if (isfinite(r->alloc[k].eur))
			by[c >= 0 && (size_t)c < p->ncategories ? (size_t)c : p->ncategories] +=
			    r->alloc[k].eur;
	}
	fputs("| Category | Spend | Share |\n|---|---:|---:|\n", f);
	for (size_t c = 0; c <= p->ncategories; c++) {
		if (c == p->ncategories && by[c] == 0)
			break;
		fputc('|', f);
		text_cell(f, c < p->ncategories ? category_name(p, (int)c) : "(unknown)");
		money_cell(f, by[c]);
		rpt_fmt_share(b, sizeof(b), by[c], total);
		fprintf(f, " %s |\n", b);
	}
	if (r->personnel_eur != 0) {
		fputs("| Personnel (deployed forces) |", f);
		money_cell(f, r->personnel_eur);
		rpt_fmt_share(b, sizeof(b), r->personnel_eur, total);
		fprintf(f, " %s |\n", b);
	}
	fputs("| **Total** |", f);
	money_cell(f, total);
	fputs(" 100% |\n\n", f);
	free(by);
}

static void shortfalls(FILE *f, const struct report_ctx *rc)
{
	const struct plan *p = rc->plan;
	const struct results *r = rc->res;
	size_t n, *ix = rpt_shortfalls(r, &n);
	char b[48];

	fputs("## Shortfalls\n\n", f);
	if (!n) {
		fputs("Every requirement is met in every year.\n\n", f);
		free(ix);
		return;
	}
	fputs("Largest share of the target first.  The shadow price is what one more unit of the "
	      "target would add to the objective.\n\n",
	      f);
	fputs("| Capability | Year | Target | Achieved | Shortfall | Missed | Shadow price "
	      "per unit |\n|---|---:|---:|---:|---:|---:|---:|\n",
	      f);
	for (size_t k = 0; k < n && k < MD_MAX_SHORTFALLS; k++) {
		const struct res_req *q = &r->req[ix[k]];
		const char *unit = rpt_capability_unit(p, q->capability);
		fputc('|', f);
		text_cell(f, capability_name(p, q->capability));
		fprintf(f, " %d |", q->year);
		qty_cell(f, q->target);
		qty_cell(f, q->achieved);
		rpt_fmt_qty(b, sizeof(b), q->shortfall);
		fprintf(f, " %s", b);
		if (unit) {
			fputc(' ', f);
			rpt_md_text(f, unit);
		}
		fputs(" |", f);
		rpt_fmt_share(b, sizeof(b), q->shortfall, q->target);
		fprintf(f, " %s |", b);
		if (rc->sol->has_duals)
			money_cell(f, q->shadow_price);
		else
			fputs(" n/a |", f);
		fputc('\n', f);
	}
	if (n > MD_MAX_SHORTFALLS)
		fprintf(f, "\n%zu more in requirements.csv.\n", n - MD_MAX_SHORTFALLS);
	fputc('\n', f);
	free(ix);
}

static void largest_purchases(FILE *f, const struct report_ctx *rc)
{
	const struct plan *p = rc->plan;
	const struct results *r = rc->res;
	size_t n, *ix = rpt_largest_purchases(r, &n);

	fputs("## Ten largest purchases\n\n", f);
	if (!n) {
		fputs("Nothing is bought.\n\n", f);
		free(ix);
		return;
	}
	fputs("| Item | Buyer | Source | Ordered | Delivered | Units | EUR |\n"
	      "|---|---|---|---:|---:|---:|---:|\n",
	      f);
	for (size_t k = 0; k < n && k < MD_TOP_PURCHASES; k++) {
		const struct res_alloc *a = &r->alloc[ix[k]];
		fputc('|', f);
		text_cell(f, item_name(p, a->item));
		text_cell(f, rpt_buyer_id(p, a->buyer));
		text_cell(f, rpt_source_id(p, a->source));
		fprintf(f, " %d | %d |", a->year, a->delivery_year);
		qty_cell(f, a->units);
		money_cell(f, a->eur);
		fputc('\n', f);
	}
	fputs("\nEvery purchase is in allocation.csv.\n", f);
	free(ix);
}

int report_markdown(FILE *f, const struct report_ctx *rc)
{
	const struct plan *p = rc->plan;

	fputs("# ", f);
	rpt_md_text(f, p->name ? p->name : "Plan");
	fputs(": allocation (", f);
	rpt_md_text(f, sol_status_name(rc->res->status));
	fputs(")\n\n", f);
	if (p->data_date) {
		fputs("Data as of ", f);
		rpt_md_text(f, p->data_date);
		fputs(". ", f);
	}
	fputs("Plan file ", f);
	rpt_md_text(f, p->file);
	fprintf(f, " (sha256 %.12s). porcupine %s with %s.\n\n",
		p->sha256[0] ? p->sha256 : "unknown",
		rc->tool_version ? rc->tool_version : PORCUPINE_VERSION, lp_solver_version());
	if (rc->sol->message) {
		fputs("> ", f);
		rpt_md_text(f, rc->sol->message);
		fputs("\n\n", f);
	}
	if (rc->scenarios && rpt_scen_md(f, rc) != 0)
		return -1;
	key_figures(f, rc);
	money_by_source(f, rc);
	spend_by_category(f, rc);
	shortfalls(f, rc);
	largest_purchases(f, rc);
	rpt_sens_md_ranging(f, rc);
	return ferror(f) ? -1 : 0;
}
