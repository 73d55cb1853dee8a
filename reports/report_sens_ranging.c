/* report_sens_ranging.c - ranging.csv and report.md's "Most binding" section: how far each
 * budget, target, capacity and price can move before the plan changes. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "report_int.h"
#include "report_sens_int.h"

/* Rows and prices shown in report.md. */
#define MD_MAX_ROWS   12
#define MD_MAX_PRICES 10

static void csv_opt(FILE *f, double v)
{
	if (isfinite(v))
		rpt_csv_num(f, v);
}

int report_csv_ranging(FILE *f, const struct report_ctx *rc)
{
	const struct plan *p = rc->plan;
	const struct ranging *r = rc->ranging;
	const struct lpm *lp = rc->model ? rc->model->lp : NULL;

	fputs("kind,name,source,buyer,item,capability,year,value,lo,hi,activity,price" RPT_CSV_EOL,
	      f);
	for (size_t k = 0; r && k < r->nrows; k++) {
		const struct rng_row *w = &r->rows[k];
		rpt_csv_str(f, ranging_kind_name(w->kind));
		fputc(',', f);
		rpt_csv_str(f, lp && (size_t)w->row < lp->nrows ? lp->rows[w->row].name : NULL);
		fputc(',', f);
		rpt_csv_str(f, rpt_source_id(p, w->source));
		fputc(',', f);
		rpt_csv_str(f, rpt_buyer_id(p, w->buyer));
		fputc(',', f);
		rpt_csv_str(f, rpt_item_id(p, w->item));
		fputc(',', f);
		rpt_csv_str(f, rpt_capability_id(p, w->capability));
		fputc(',', f);
		if (w->year)
			fprintf(f, "%d", w->year);
		fputc(',', f);
		csv_opt(f, w->bound);
		fputc(',', f);
		csv_opt(f, w->lo);
		fputc(',', f);
		csv_opt(f, w->hi);
		fputc(',', f);
		csv_opt(f, w->activity);
		fputc(',', f);
		csv_opt(f, w->price);
		fputs(RPT_CSV_EOL, f);
	}
	for (size_t k = 0; r && k < r->nitems; k++) {
		const struct rng_item *it = &r->items[k];
		rpt_csv_str(f, "item_unit_cost");
		fputs(",,,,", f);
		rpt_csv_str(f, rpt_item_id(p, it->item));
		fputs(",,,", f);
		csv_opt(f, it->unit_cost);
		fputc(',', f);
		csv_opt(f, it->lo);
		fputc(',', f);
		csv_opt(f, it->hi);
		fputc(',', f);
		csv_opt(f, it->units);
		fputs("," RPT_CSV_EOL, f);
	}
	for (size_t k = 0; r && k < r->ncosts; k++) {
		const struct rng_cost *c = &r->costs[k];
		rpt_csv_str(f, "unit_cost");
		fputc(',', f);
		rpt_csv_str(f, lp && (size_t)c->col < lp->ncols ? lp->cols[c->col].name : NULL);
		fputc(',', f);
		rpt_csv_str(f, rpt_source_id(p, c->source));
		fputc(',', f);
		rpt_csv_str(f, rpt_buyer_id(p, c->buyer));
		fputc(',', f);
		rpt_csv_str(f, rpt_item_id(p, c->item));
		fprintf(f, ",,%d,", c->year);
		csv_opt(f, c->unit_cost);
		fputc(',', f);
		csv_opt(f, c->unit_cost_lo);
		fputc(',', f);
		csv_opt(f, c->unit_cost_hi);
		fputc(',', f);
		csv_opt(f, c->units);
		fputs("," RPT_CSV_EOL, f);
	}
	return ferror(f) ? -1 : 0;
}

/* ---- report.md -------------------------------------------------------------------------- */

static int is_money(int kind)
{
	return kind == MR_FUND || kind == MR_FUND_TOTAL || kind == MR_ALLOC || kind == MR_PREFIN;
}

/* A bound in its own unit: EUR for money rows, units otherwise; "no limit" for infinities. */
static void fmt_bound(char *b, size_t n, int kind, double v)
{
	if (isinf(v))
		snprintf(b, n, "no limit");
	else if (is_money(kind))
		report_fmt_money(b, n, v);
	else
		rpt_fmt_qty(b, n, v);
}

static void rule_cell(FILE *f, const struct plan *p, const struct rng_row *w)
{
	const char *a = NULL, *b = NULL, *what = ranging_kind_name(w->kind);
	switch (w->kind) {
	case MR_FUND:
		what = "money";
		a = rpt_source_id(p, w->source);
		break;
	case MR_FUND_TOTAL:
		what = "money over the horizon";
		a = rpt_source_id(p, w->source);
		break;
	case MR_ALLOC:
		what = "allocation";
		a = rpt_source_id(p, w->source);
		b = rpt_buyer_id(p, w->buyer);
		break;
	case MR_PREFIN:
		what = "pre-financing";
		a = rpt_source_id(p, w->source);
		b = rpt_buyer_id(p, w->buyer);
		break;
	case MR_CAPABILITY:
		what = "target";
		a = rpt_capability_id(p, w->capability);
		break;
	case MR_CAPACITY:
		what = "capacity";
		a = rpt_item_id(p, w->item);
		break;
	}
	fprintf(f, "| %s ", what);
	rpt_md_text(f, a);
	if (b) {
		fputs(" / ", f);
		rpt_md_text(f, b);
	}
	fputs(" |", f);
}

struct ranked {
	double key;
	size_t index;
};

static int by_key_desc(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? 1 : -1;
	return (x->index > y->index) - (x->index < y->index);
}

static int by_key_asc(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	if (x->key != y->key)
		return x->key > y->key ? 1 : -1;
	return (x->index > y->index) - (x->index < y->index);
}

/* The binding rows of one group (money, or targets and capacities), by impact. */
static void binding_rows(FILE *f, const struct report_ctx *rc, int money)
{
	const struct plan *p = rc->plan;
	const struct ranging *r = rc->ranging;
	struct ranked *v = pc_malloc((r->nrows + 1) * sizeof(*v));
	size_t n = 0;
	char b1[48], b2[48], b3[48], b4[48], b5[48];

	fputs(money ? "### Money\n\n" : "### Targets and production capacity\n\n", f);
	if (!v) {
		fputs("(not enough memory to rank the rules)\n\n", f);
		return;
	}
	for (size_t k = 0; k < r->nrows; k++)
		if (r->rows[k].binding && is_money(r->rows[k].kind) == money)
			v[n++] = (struct ranked){ranging_row_impact(&r->rows[k]), k};
	if (!n) {
		fputs(money
			  ? "No money binds: one more EUR from any source, in any year, would not "
			    "change the objective.\n\n"
			  : "No target or capacity binds.\n\n",
		      f);
		free(v);
		return;
	}
	qsort(v, n, sizeof(*v), by_key_desc);
	fputs(money ? "| Money | Year | Available | Value of one more EUR | Holds from | to | "
		      "Objective change per 1 % |\n|---|---:|---:|---:|---:|---:|---:|\n"
		    : "| Rule | Year | Bound | Price per unit | Holds from | to | Objective change "
		      "per 1 % |\n|---|---:|---:|---:|---:|---:|---:|\n",
	      f);
	for (size_t k = 0; k < n && k < MD_MAX_ROWS; k++) {
		const struct rng_row *w = &r->rows[v[k].index];
		rule_cell(f, p, w);
		if (w->year)
			fprintf(f, " %d |", w->year);
		else
			fputs(" all |", f);
		fmt_bound(b1, sizeof(b1), w->kind, w->bound);
		if (money)
			rpt_fmt_qty(b2, sizeof(b2), w->price);
		else
			report_fmt_money(b2, sizeof(b2), w->price);
		fmt_bound(b3, sizeof(b3), w->kind, w->lo);
		fmt_bound(b4, sizeof(b4), w->kind, w->hi);
		report_fmt_money(b5, sizeof(b5), v[k].key);
		fprintf(f, " %s | %s | %s | %s | %s |\n", b1, b2, b3, b4, b5);
	}
	if (n > MD_MAX_ROWS)
		fprintf(f, "\n%zu more in ranging.csv.\n", n - MD_MAX_ROWS);
	fputc('\n', f);
	free(v);
}

static void tight_prices(FILE *f, const struct report_ctx *rc)
{
	const struct plan *p = rc->plan;
	const struct ranging *r = rc->ranging;
	struct ranked *v = pc_malloc((r->nitems + 1) * sizeof(*v));
	size_t n = 0;
	char b1[48], b2[48], b3[48], b4[48], b5[48], b6[48];

	if (!v)
		return;
	fputs("### Prices the plan tolerates least\n\n", f);
	for (size_t k = 0; k < r->nitems; k++)
		if (r->items[k].bought)
			v[n++] = (struct ranked){ranging_item_room(&r->items[k], 1), k};
	if (!n) {
		fputs(r->nitems ? "Nothing is bought.\n\n"
				: "No item ranges for this solve; each purchase's own range is in "
				  "ranging.csv.\n\n",
		      f);
		free(v);
		return;
	}
	qsort(v, n, sizeof(*v), by_key_asc);
	fputs("The items bought whose unit cost can rise least before the plan buys "
	      "differently: the price of every purchase of the item moved together, as it enters "
	      "the objective (the money rows keep the plan's price).",
	      f);
	if (r->mip)
		fputs(" With the whole units fixed, a range says when the split between buyers, "
		      "sources and years changes, not when the number of units would; for that, "
		      "sweep the item's unit_cost.",
		      f);
	fputs(" Every item's and every purchase's range is in ranging.csv.\n\n"
	      "| Item | Units | Unit cost | Plan holds from | to | Room down | Room up |\n"
	      "|---|---:|---:|---:|---:|---:|---:|\n",
	      f);
	for (size_t k = 0; k < n && k < MD_MAX_PRICES; k++) {
		const struct rng_item *it = &r->items[v[k].index];
		/* a price below zero is no price: the range then reaches down to free */
		double lo = it->lo > 0 ? it->lo : 0.0;
		double down = isinf(it->lo) ? HUGE_VAL : fmin(ranging_item_room(it, 0), 1.0);
		fputs("| ", f);
		rpt_md_text(f, rpt_item_id(p, it->item));
		rpt_fmt_qty(b1, sizeof(b1), it->units);
		report_fmt_money(b2, sizeof(b2), it->unit_cost);
		fmt_bound(b3, sizeof(b3), MR_FUND, isinf(it->lo) ? it->lo : lo);
		fmt_bound(b4, sizeof(b4), MR_FUND, it->hi);
		if (isinf(down))
			snprintf(b5, sizeof(b5), "no limit");
		else
			rpt_fmt_share(b5, sizeof(b5), down, 1.0);
		if (isinf(v[k].key))
			snprintf(b6, sizeof(b6), "no limit");
		else
			rpt_fmt_share(b6, sizeof(b6), v[k].key, 1.0);
		fprintf(f, " | %s | %s | %s | %s | %s | %s |\n", b1, b2, b3, b4, b5, b6);
	}
	fputc('\n', f);
	free(v);
}

void rpt_sens_md_ranging(FILE *f, const struct report_ctx *rc)
{
	if (!rc->ranging)
		return;
	fputs("\n## Most binding\n\n", f);
	fputs("The budgets, targets and capacities that bind, ranked by how much the objective "
	      "moves when the bound moves by 1 %. The price is what one more EUR or unit is "
	      "worth (signed as above); it holds while the bound stays within the range shown, "
	      "where the plan's optimal basis does not change.",
	      f);
	if (rc->ranging->mip)
		fputs(" The plan has whole units: prices and ranges are those of the LP with the "
		      "number of units per lot fixed at the optimum.",
		      f);
	fputs("\n\n", f);
	binding_rows(f, rc, 1);
	binding_rows(f, rc, 0);
	tight_prices(f, rc);
}
