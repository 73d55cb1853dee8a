/* report_sens_tornado.c - the reports of `porcupine tornado`: tornado.csv, tornado.json, the
 * tornado chart and the table on the terminal. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "params.h"
#include "report_int.h"
#include "report_sens_int.h"
#include "svg.h"

static int solved(const struct sweep_outcome *o)
{
	return o->status == SOL_OPTIMAL || o->status == SOL_FEASIBLE;
}

static double val(const struct sweep_outcome *o, double v)
{
	return solved(o) ? v : NAN;
}

static double sf(const struct sweep_outcome *o, size_t c)
{
	return solved(o) && o->shortfall ? o->shortfall[c] : NAN;
}

static const struct uparam *param_of(const struct tornado *t, const struct tornado_bar *b)
{
	return &t->plan->uncertainty.params[b->param];
}

static const char *dist_name(enum dist_kind d)
{
	static const char *const names[] = {"triangular", "pert",     "uniform",  "normal",
					    "lognormal",  "discrete", "bernoulli"};
	return (unsigned)d < sizeof(names) / sizeof(names[0]) ? names[d] : "unknown";
}

int report_tornado_csv(FILE *f, const struct tornado *t)
{
	const struct plan *p = t->plan;
	char label[300];

	fputs("rank,parameter,path,apply,dist,low,high,objective_low,objective_high,swing,"
	      "status_low,status_high,total_spend_low,total_spend_high",
	      f);
	for (size_t c = 0; c < p->ncapabilities; c++) {
		snprintf(label, sizeof(label), "shortfall_low.%s", p->capabilities[c].id);
		fputc(',', f);
		rpt_csv_str(f, label);
		snprintf(label, sizeof(label), "shortfall_high.%s", p->capabilities[c].id);
		fputc(',', f);
		rpt_csv_str(f, label);
	}
	fputs(RPT_CSV_EOL, f);
	for (size_t k = 0; k < t->nbars; k++) {
		const struct tornado_bar *b = &t->bars[k];
		const struct uparam *u = param_of(t, b);
		fprintf(f, "%zu,", k + 1);
		rpt_csv_str(f, u->id);
		fputc(',', f);
		rpt_csv_str(f, u->path);
		fprintf(f, ",%s,%s,", u->apply == APPLY_SCALE ? "scale" : "set",
			dist_name(u->dist));
		rpt_csv_num(f, b->low);
		fputc(',', f);
		rpt_csv_num(f, b->high);
		fputc(',', f);
		rpt_csv_num(f, val(&b->at_low, b->at_low.objective));
		fputc(',', f);
		rpt_csv_num(f, val(&b->at_high, b->at_high.objective));
		fputc(',', f);
		rpt_csv_num(f, b->swing);
		fprintf(f, ",%s,%s,", sol_status_name(b->at_low.status),
			sol_status_name(b->at_high.status));
		rpt_csv_num(f, val(&b->at_low, b->at_low.total_spend_eur));
		fputc(',', f);
		rpt_csv_num(f, val(&b->at_high, b->at_high.total_spend_eur));
		for (size_t c = 0; c < p->ncapabilities; c++) {
			fputc(',', f);
			rpt_csv_num(f, sf(&b->at_low, c));
			fputc(',', f);
			rpt_csv_num(f, sf(&b->at_high, c));
		}
		fputs(RPT_CSV_EOL, f);
	}
	return ferror(f) ? -1 : 0;
}

int report_tornado_json(FILE *f, const struct tornado *t, const struct report_sens_meta *meta)
{
	unsigned long lost = alloc_failures();
	json_t *doc = json_object(), *run = json_object(), *set = json_array();
	int oom = 0;

	rpt_sens_put(doc, "schema", json_string(REPORT_TORNADO_SCHEMA), &oom);
	rpt_sens_put(doc, "tool", rpt_sens_tool(meta, &oom), &oom);
	rpt_sens_put(doc, "plan", rpt_sens_plan(t->plan, &oom), &oom);
	rpt_sens_put(run, "command",
		     rpt_sens_str(meta && meta->command ? meta->command : "tornado"), &oom);
	for (size_t k = 0; meta && k < meta->nset; k++)
		rpt_sens_push(set, rpt_sens_str(meta->set[k]), &oom);
	rpt_sens_put(run, "set", set, &oom);
	rpt_sens_put(doc, "run", run, &oom);
	rpt_sens_put(doc, "tornado", rpt_sens_json_tornado(t), &oom);
	return rpt_sens_dump(f, doc, oom || alloc_failures() != lost);
}

/* A parameter value for people: 3 significant digits, money suffixes from 1000 on. */
static void fmt_value(char *buf, size_t n, double v)
{
	if (fabs(v) >= 1000)
		money_format(buf, n, v);
	else
		snprintf(buf, n, "%.3g", v);
}

/* "x 0.939 .. 1.15" or "0 .. 1": the ends of a bar, for the chart's notes. */
static void ends_text(char *buf, size_t n, const struct uparam *u, const struct tornado_bar *b)
{
	char lo[32], hi[32];
	fmt_value(lo, sizeof(lo), b->low);
	fmt_value(hi, sizeof(hi), b->high);
	snprintf(buf, n, "%s%s .. %s", u->apply == APPLY_SCALE ? "x " : "", lo, hi);
}

int report_tornado_svg(FILE *f, const struct tornado *t)
{
	size_t n = t->nbars ? t->nbars : 1;
	const char **cats = pc_calloc(n, sizeof(*cats));
	const char **notes = pc_calloc(n, sizeof(*notes));
	char(*nb)[96] = pc_calloc(n, sizeof(*nb));
	double *lo = pc_calloc(n, sizeof(*lo)), *hi = pc_calloc(n, sizeof(*hi));
	char base[96], money[48];
	int rc = -1;

	if (!cats || !notes || !nb || !lo || !hi) {
		errno = ENOMEM;
		goto out;
	}
	for (size_t k = 0; k < t->nbars; k++) {
		const struct tornado_bar *b = &t->bars[k];
		const struct uparam *u = param_of(t, b);
		cats[k] = u->id;
		lo[k] = val(&b->at_low, b->at_low.objective);
		hi[k] = val(&b->at_high, b->at_high.objective);
		ends_text(nb[k], sizeof(nb[k]), u, b);
		notes[k] = nb[k];
	}
	if (!t->nbars) {
		cats[0] = "(no uncertain parameters)";
		lo[0] = hi[0] = NAN;
	}
	double b0 = val(&t->base, t->base.objective);
	svg_fmt_value(money, sizeof(money), b0, SVG_UNIT_EUR);
	snprintf(base, sizeof(base), "base %s", money);
	struct svg_series se[2] = {
	    {"objective at the low value", lo, NULL, NULL, 0, 0, 0},
	    {"objective at the high value", hi, NULL, NULL, 1, 0, 1},
	};
	struct svg_chart c = SVG_CHART_INIT;
	c.type = SVG_HBARS;
	c.id = "tornado";
	c.title = "What moves the objective most: each uncertain parameter at its low and high "
		  "value";
	c.desc = "A row per uncertain parameter of the plan, largest swing first. Each bar runs "
		 "from the objective of the plan as it is to the objective with that parameter at "
		 "its low (P5) or high (P95) value, every other parameter as in the plan.";
	c.x_label = "objective (EUR)";
	c.categories = cats;
	c.ncat = n;
	c.series = se;
	c.nseries = 2;
	c.unit = SVG_UNIT_EUR;
	c.base = isfinite(b0) ? b0 : 0.0;
	c.base_label = isfinite(b0) ? base : NULL;
	c.notes = notes;
	c.value_labels = 1;
	rc = svg_write(f, &c);
	if (rc == 0 && (fputc('\n', f) == EOF || ferror(f)))
		rc = -1;
out:
	free(cats);
	free(notes);
	free(nb);
	free(lo);
	free(hi);
	return rc;
}

struct tornado_ctx {
	const struct tornado *t;
	const struct report_sens_meta *meta;
};

static int w_csv(FILE *f, const void *ctx)
{
	return report_tornado_csv(f, ((const struct tornado_ctx *)ctx)->t);
}

static int w_json(FILE *f, const void *ctx)
{
	const struct tornado_ctx *c = ctx;
	return report_tornado_json(f, c->t, c->meta);
}

static int w_svg(FILE *f, const void *ctx)
{
	return report_tornado_svg(f, ((const struct tornado_ctx *)ctx)->t);
}

int report_write_tornado(const char *dir, const struct tornado *t,
			 const struct report_sens_meta *meta, struct diag_list *dl)
{
	struct tornado_ctx c = {t, meta};
	const struct rpt_sens_file files[] = {
	    {"tornado.csv", w_csv, &c},
	    {"tornado.json", w_json, &c},
	    {"tornado.svg", w_svg, &c},
	};
	return rpt_sens_write_files(dir, files, sizeof(files) / sizeof(files[0]), dl);
}

/* The capability whose shortfall swings most (share of its target) on bar b, or -1. */
static long top_shortfall(const struct tornado *t, const struct tornado_bar *b, double *swing)
{
	const struct plan *p = t->plan;
	long best = -1;
	double key = 0;
	for (size_t c = 0; c < p->ncapabilities; c++) {
		double d = fabs(sf(&b->at_high, c) - sf(&b->at_low, c));
		double tg = t->base.target && solved(&t->base) ? t->base.target[c] : 0;
		double k = d / fmax(1.0, fabs(tg));
		if (isfinite(d) && d > 1e-6 * fmax(1.0, fabs(tg)) && k > key) {
			key = k;
			best = (long)c;
			*swing = d;
		}
	}
	return best;
}

void report_print_tornado(FILE *out, const struct tornado *t, size_t max_bars)
{
	const struct plan *p = t->plan;
	char a[48], b[48], c[48], d[48], e[96];

	report_fmt_money(a, sizeof(a), val(&t->base, t->base.objective));
	fprintf(out, "%s: tornado of %zu uncertain parameters (%s), base objective %s\n\n",
		p->name ? p->name : "plan", t->nbars,
		t->range == TORNADO_BOUNDS ? "distribution bounds" : "P5 and P95", a);
	if (!t->nbars) {
		fputs("  the plan has no uncertain parameters (section 'uncertainty')\n", out);
		return;
	}
	fprintf(out, "  %4s %-16s %-22s %14s %14s %14s  %s\n", "rank", "parameter", "low .. high",
		"objective low", "objective high", "swing", "shortfall that swings most");
	for (size_t k = 0; k < t->nbars && k < max_bars; k++) {
		const struct tornado_bar *r = &t->bars[k];
		const struct uparam *u = param_of(t, r);
		ends_text(e, sizeof(e), u, r);
		report_fmt_money(a, sizeof(a), val(&r->at_low, r->at_low.objective));
		report_fmt_money(b, sizeof(b), val(&r->at_high, r->at_high.objective));
		report_fmt_money(c, sizeof(c), r->swing);
		fprintf(out, "  %4zu %-16.16s %-22.22s %14s %14s %14s  ", k + 1, u->id, e, a, b, c);
		double sw = 0;
		long cap = top_shortfall(t, r, &sw);
		if (cap >= 0) {
			rpt_fmt_qty(d, sizeof(d), sw);
			fprintf(out, "%s %s", p->capabilities[cap].id, d);
		} else {
			fputs("-", out);
		}
		fputc('\n', out);
	}
	if (t->nbars > max_bars)
		fprintf(out, "  ... %zu more in tornado.csv\n", t->nbars - max_bars);
}
