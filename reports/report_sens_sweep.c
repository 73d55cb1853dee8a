/* report_sens_sweep.c - the reports of `porcupine sweep`: sweep.csv, sweep.json, the line
 * charts and the table on the terminal. */
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

/* Capabilities named per step on the terminal, and drawn in the shortfall chart. */
#define GAINS_SHOWN 3
#define CHART_CAPS  6

static int solved(const struct sweep_outcome *o)
{
	return o->status == SOL_OPTIMAL || o->status == SOL_FEASIBLE;
}

/* A number of a solved outcome, NAN otherwise; arrays may be missing. */
static double val(const struct sweep_outcome *o, double v)
{
	return solved(o) ? v : NAN;
}

static double arr(const struct sweep_outcome *o, const double *a, size_t i)
{
	return solved(o) && a ? a[i] : NAN;
}

/* Is a change of shortfall d (target t over the horizon) more than noise? */
static int moved(double d, double t)
{
	return isfinite(d) && fabs(d) > 1e-6 * fmax(1.0, fabs(t));
}

/* Index of the point one step before i along the first parameter, or -1. */
static long prev_point(const struct sweep *s, size_t i)
{
	size_t stride = s->naxes == 2 ? s->nvalues[1] : 1;
	return i >= stride ? (long)(i - stride) : -1;
}

/* ---- sweep.csv -------------------------------------------------------------------------- */

int report_sweep_csv(FILE *f, const struct sweep *s)
{
	const struct plan *p = s->plan;
	char label[300];

	for (int a = 0; a < s->naxes; a++) {
		rpt_sens_axis_label(label, sizeof(label), &s->axis[a]);
		rpt_csv_str(f, label);
		fputc(',', f);
	}
	fputs("status,objective,total_spend_eur,purchase_eur,personnel_eur,shortfall_cost", f);
	if (s->nscen)
		fputs(",scenarios,solved,objective_stderr,objective_p5,objective_p50,objective_p95",
		      f);
	for (size_t c = 0; c < p->ncapabilities; c++) {
		snprintf(label, sizeof(label), "shortfall.%s", p->capabilities[c].id);
		fputc(',', f);
		rpt_csv_str(f, label);
	}
	for (size_t c = 0; c < p->ncategories; c++) {
		snprintf(label, sizeof(label), "spend.%s", p->categories[c].id);
		fputc(',', f);
		rpt_csv_str(f, label);
	}
	for (size_t c = 0; c < p->nsources; c++) {
		snprintf(label, sizeof(label), "used.%s", p->sources[c].id);
		fputc(',', f);
		rpt_csv_str(f, label);
	}
	fputs(RPT_CSV_EOL, f);
	for (size_t i = 0; i < s->npoints; i++) {
		const struct sweep_point *pt = &s->points[i];
		const struct sweep_outcome *o = &pt->out;
		for (int a = 0; a < s->naxes; a++) {
			rpt_csv_num(f, pt->value[a]);
			fputc(',', f);
		}
		rpt_csv_str(f, sol_status_name(o->status));
		double v[] = {o->objective, o->total_spend_eur, o->purchase_eur, o->personnel_eur,
			      o->shortfall_cost};
		for (size_t k = 0; k < sizeof(v) / sizeof(v[0]); k++) {
			fputc(',', f);
			rpt_csv_num(f, val(o, v[k]));
		}
		if (s->nscen) {
			fprintf(f, ",%zu,%zu,", o->n, o->solved);
			rpt_csv_num(f, val(o, o->obj_stderr));
			fputc(',', f);
			rpt_csv_num(f, val(o, o->obj_p5));
			fputc(',', f);
			rpt_csv_num(f, val(o, o->obj_p50));
			fputc(',', f);
			rpt_csv_num(f, val(o, o->obj_p95));
		}
		for (size_t c = 0; c < p->ncapabilities; c++) {
			fputc(',', f);
			rpt_csv_num(f, arr(o, o->shortfall, c));
		}
		for (size_t c = 0; c < p->ncategories; c++) {
			fputc(',', f);
			rpt_csv_num(f, arr(o, o->cat_spend, c));
		}
		for (size_t c = 0; c < p->nsources; c++) {
			fputc(',', f);
			rpt_csv_num(f, arr(o, o->src_spend, c));
		}
		fputs(RPT_CSV_EOL, f);
	}
	return ferror(f) ? -1 : 0;
}

/* ---- sweep.json ------------------------------------------------------------------------- */

static json_t *outcome_json(const struct sweep *s, const struct sweep_point *pt, int *oom)
{
	const struct plan *p = s->plan;
	const struct sweep_outcome *o = &pt->out;
	json_t *j = json_object(), *vals = json_array(), *sh = json_object(), *sp = json_object(),
	       *us = json_object();

	for (int a = 0; a < s->naxes; a++)
		rpt_sens_push(vals, rpt_sens_num(pt->value[a]), oom);
	rpt_sens_put(j, "values", vals, oom);
	rpt_sens_put(j, "status", json_string(sol_status_name(o->status)), oom);
	rpt_sens_put(j, "message", rpt_sens_str(o->message), oom);
	rpt_sens_put(j, "objective", rpt_sens_num(val(o, o->objective)), oom);
	rpt_sens_put(j, "total_spend_eur", rpt_sens_num(val(o, o->total_spend_eur)), oom);
	rpt_sens_put(j, "purchase_eur", rpt_sens_num(val(o, o->purchase_eur)), oom);
	rpt_sens_put(j, "personnel_eur", rpt_sens_num(val(o, o->personnel_eur)), oom);
	rpt_sens_put(j, "shortfall_cost", rpt_sens_num(val(o, o->shortfall_cost)), oom);
	if (s->nscen) {
		json_t *sc = json_object(), *ob = json_object();
		rpt_sens_put(sc, "n", json_integer((json_int_t)o->n), oom);
		rpt_sens_put(sc, "solved", json_integer((json_int_t)o->solved), oom);
		rpt_sens_put(ob, "mean", rpt_sens_num(val(o, o->objective)), oom);
		rpt_sens_put(ob, "stderr", rpt_sens_num(val(o, o->obj_stderr)), oom);
		rpt_sens_put(ob, "p5", rpt_sens_num(val(o, o->obj_p5)), oom);
		rpt_sens_put(ob, "p50", rpt_sens_num(val(o, o->obj_p50)), oom);
		rpt_sens_put(ob, "p95", rpt_sens_num(val(o, o->obj_p95)), oom);
		rpt_sens_put(sc, "objective", ob, oom);
		rpt_sens_put(j, "scenarios", sc, oom);
	}
	for (size_t c = 0; c < p->ncapabilities; c++)
		rpt_sens_put(sh, p->capabilities[c].id, rpt_sens_num(arr(o, o->shortfall, c)), oom);
	for (size_t c = 0; c < p->ncategories; c++)
		rpt_sens_put(sp, p->categories[c].id, rpt_sens_num(arr(o, o->cat_spend, c)), oom);
	for (size_t c = 0; c < p->nsources; c++)
		rpt_sens_put(us, p->sources[c].id, rpt_sens_num(arr(o, o->src_spend, c)), oom);
	rpt_sens_put(j, "shortfall", sh, oom);
	rpt_sens_put(j, "spend", sp, oom);
	rpt_sens_put(j, "used", us, oom);
	return j;
}

/* The step from point a to point b along the first parameter. */
static json_t *step_json(const struct sweep *s, size_t a, size_t b, int *oom)
{
	const struct plan *p = s->plan;
	const struct sweep_outcome *x = &s->points[a].out, *y = &s->points[b].out;
	json_t *j = json_object(), *gained = json_array();

	rpt_sens_put(j, "from", rpt_sens_num(s->points[a].value[0]), oom);
	rpt_sens_put(j, "to", rpt_sens_num(s->points[b].value[0]), oom);
	if (s->naxes == 2)
		rpt_sens_put(j, "at", rpt_sens_num(s->points[a].value[1]), oom);
	rpt_sens_put(j, "objective_change",
		     rpt_sens_num(val(x, val(y, y->objective - x->objective))), oom);
	rpt_sens_put(j, "spend_change",
		     rpt_sens_num(val(x, val(y, y->total_spend_eur - x->total_spend_eur))), oom);
	rpt_sens_put(j, "shortfall_cost_change",
		     rpt_sens_num(val(x, val(y, y->shortfall_cost - x->shortfall_cost))), oom);
	for (size_t c = 0; solved(x) && solved(y) && c < p->ncapabilities; c++) {
		double d = x->shortfall[c] - y->shortfall[c];
		if (!moved(d, x->target[c]))
			continue;
		json_t *g = json_object();
		rpt_sens_put(g, "capability", rpt_sens_str(p->capabilities[c].id), oom);
		rpt_sens_put(g, "unit", rpt_sens_str(p->capabilities[c].unit), oom);
		rpt_sens_put(g, "units", rpt_sens_num(d), oom);
		rpt_sens_push(gained, g, oom);
	}
	rpt_sens_put(j, "gained", gained, oom);
	return j;
}

int report_sweep_json(FILE *f, const struct sweep *s, const struct report_sens_meta *meta)
{
	const struct plan *p = s->plan;
	json_t *doc = json_object(), *run = json_object(), *set = json_array(),
	       *params = json_array(), *caps = json_array(), *points = json_array(),
	       *steps = json_array();
	int oom = 0;
	unsigned long lost = alloc_failures();

	rpt_sens_put(doc, "schema", json_string(REPORT_SWEEP_SCHEMA), &oom);
	rpt_sens_put(doc, "tool", rpt_sens_tool(meta, &oom), &oom);
	rpt_sens_put(doc, "plan", rpt_sens_plan(p, &oom), &oom);
	rpt_sens_put(run, "command", rpt_sens_str(meta && meta->command ? meta->command : "sweep"),
		     &oom);
	rpt_sens_put(run, "seed",
		     s->nscen ? json_integer((json_int_t)(s->seed & 0x7fffffffffffffffULL))
			      : json_null(),
		     &oom);
	rpt_sens_put(run, "scenarios", json_integer((json_int_t)s->nscen), &oom);
	for (size_t k = 0; meta && k < meta->nset; k++)
		rpt_sens_push(set, rpt_sens_str(meta->set[k]), &oom);
	rpt_sens_put(run, "set", set, &oom);
	rpt_sens_put(doc, "run", run, &oom);
	for (int a = 0; a < s->naxes; a++) {
		json_t *x = json_object(), *v = json_array();
		rpt_sens_put(x, "path", rpt_sens_str(s->axis[a].path), &oom);
		rpt_sens_put(x, "apply",
			     json_string(s->axis[a].apply == APPLY_SCALE ? "scale" : "set"), &oom);
		rpt_sens_put(x, "from", rpt_sens_num(s->axis[a].from), &oom);
		rpt_sens_put(x, "to", rpt_sens_num(s->axis[a].to), &oom);
		rpt_sens_put(x, "steps", json_integer(s->axis[a].steps), &oom);
		for (int k = 0; k <= s->axis[a].steps; k++)
			rpt_sens_push(v, rpt_sens_num(sweep_axis_value(&s->axis[a], k)), &oom);
		rpt_sens_put(x, "values", v, &oom);
		rpt_sens_push(params, x, &oom);
	}
	rpt_sens_put(doc, "parameters", params, &oom);
	for (size_t c = 0; c < p->ncapabilities; c++) {
		json_t *x = json_object();
		rpt_sens_put(x, "id", rpt_sens_str(p->capabilities[c].id), &oom);
		rpt_sens_put(x, "unit", rpt_sens_str(p->capabilities[c].unit), &oom);
		rpt_sens_push(caps, x, &oom);
	}
	rpt_sens_put(doc, "capabilities", caps, &oom);
	for (size_t i = 0; i < s->npoints; i++)
		rpt_sens_push(points, outcome_json(s, &s->points[i], &oom), &oom);
	rpt_sens_put(doc, "points", points, &oom);
	for (size_t i = 0; i < s->npoints; i++) {
		long a = prev_point(s, i);
		if (a >= 0)
			rpt_sens_push(steps, step_json(s, (size_t)a, i, &oom), &oom);
	}
	rpt_sens_put(doc, "steps", steps, &oom);
	return rpt_sens_dump(f, doc, oom || alloc_failures() != lost);
}

/* ---- charts ----------------------------------------------------------------------------- */

/* Labels of the first parameter's values: money literals ("150bn", "0.9"). */
static char **axis_labels(const struct sweep_axis *a)
{
	size_t n = (size_t)a->steps + 1;
	char **v = pc_calloc(n + 1, sizeof(*v));
	for (size_t k = 0; v && k < n; k++) {
		char buf[48];
		money_format(buf, sizeof(buf), sweep_axis_value(a, (int)k));
		size_t len = strlen(buf) + 1;
		if (!(v[k] = pc_malloc(len))) {
			for (size_t i = 0; i < k; i++)
				free(v[i]);
			free(v);
			return NULL;
		}
		memcpy(v[k], buf, len);
	}
	return v;
}

static void free_labels(char **v, size_t n)
{
	for (size_t k = 0; v && k < n; k++)
		free(v[k]);
	free(v);
}

int report_sweep_svg(FILE *f, const struct sweep *s)
{
	size_t n0 = s->nvalues[0], n1 = s->naxes == 2 ? s->nvalues[1] : 1;
	char **labels = axis_labels(&s->axis[0]);
	double *v = pc_calloc(n0 * (n1 + 4) + 1, sizeof(*v));
	struct svg_series *se = pc_calloc(n1 + 3, sizeof(*se));
	char(*names)[112] = pc_calloc(n1 + 1, sizeof(*names));
	char xl[300], title[700];
	int rc = -1;

	if (!labels || !v || !se || !names) {
		errno = ENOMEM;
		goto out;
	}
	rpt_sens_axis_label(xl, sizeof(xl), &s->axis[0]);
	struct svg_chart c = SVG_CHART_INIT;
	c.type = SVG_LINES;
	c.id = "sweep";
	c.x_label = xl;
	c.y_label = "EUR";
	c.categories = (const char *const *)labels;
	c.ncat = n0;
	c.unit = SVG_UNIT_EUR;
	c.series = se;
	if (s->naxes == 1) {
		double *obj = v, *pen = v + n0, *spend = v + 2 * n0, *lo = v + 3 * n0,
		       *hi = v + 4 * n0;
		for (size_t i = 0; i < n0; i++) {
			const struct sweep_outcome *o = &s->points[i].out;
			obj[i] = val(o, o->objective);
			pen[i] = val(o, o->shortfall_cost);
			spend[i] = val(o, o->total_spend_eur);
			lo[i] = val(o, o->obj_p5);
			hi[i] = val(o, o->obj_p95);
		}
		se[0] = (struct svg_series){s->nscen ? "objective (mean)" : "objective",
					    obj,
					    s->nscen ? lo : NULL,
					    s->nscen ? hi : NULL,
					    0,
					    0,
					    0};
		se[1] = (struct svg_series){"shortfall penalties", pen, NULL, NULL, 1, 0, 0};
		se[2] = (struct svg_series){"total spend", spend, NULL, NULL, 2, 1, 0};
		c.nseries = 3;
		c.band_label = s->nscen ? "objective P5-P95 over the scenarios" : NULL;
		snprintf(title, sizeof(title),
			 "Objective, shortfall penalties and spend against %s", xl);
		c.desc = "One point per value of the swept parameter: the objective (discounted "
			 "cost of money and purchases plus shortfall penalties), the penalties of "
			 "the capability left short, and the money spent.";
	} else {
		char yl[300];
		rpt_sens_axis_label(yl, sizeof(yl), &s->axis[1]);
		for (size_t j = 0; j < n1; j++) {
			double *line = v + j * n0;
			char b[48];
			for (size_t i = 0; i < n0; i++) {
				const struct sweep_outcome *o = &s->points[i * n1 + j].out;
				line[i] = val(o, o->objective);
			}
			money_format(b, sizeof(b), sweep_axis_value(&s->axis[1], (int)j));
			snprintf(names[j], sizeof(names[j]), "%.40s = %s", s->axis[1].path, b);
			se[j] = (struct svg_series){names[j], line, NULL, NULL, (int)j, 0, 0};
		}
		c.nseries = n1;
		snprintf(title, sizeof(title), "Objective against %s, one line per value of %s", xl,
			 yl);
		c.desc = "The objective (discounted cost of money and purchases plus shortfall "
			 "penalties) at each point of a two-parameter sweep.";
	}
	c.title = title;
	rc = svg_write(f, &c);
	if (rc == 0 && (fputc('\n', f) == EOF || ferror(f)))
		rc = -1;
out:
	free_labels(labels, n0);
	free(v);
	free(se);
	free(names);
	return rc;
}

int report_sweep_shortfall_svg(FILE *f, const struct sweep *s)
{
	const struct plan *p = s->plan;
	size_t n0 = s->nvalues[0], n1 = s->naxes == 2 ? s->nvalues[1] : 1;
	size_t nc = p->ncapabilities;
	char **labels = axis_labels(&s->axis[0]);
	double *share = pc_calloc(nc * n0 + n0 + 1, sizeof(*share));
	struct svg_series *se = pc_calloc(CHART_CAPS + 1, sizeof(*se));
	size_t pick[CHART_CAPS], npick = 0;
	char xl[300], title[700];
	int rc = -1;

	if (!labels || !share || !se) {
		errno = ENOMEM;
		goto out;
	}
	/* share of the horizon's target missed, per capability and point */
	for (size_t c = 0; c < nc; c++)
		for (size_t i = 0; i < n0; i++) {
			const struct sweep_outcome *o = &s->points[i * n1].out;
			double t = arr(o, o->target, c), sh = arr(o, o->shortfall, c);
			share[c * n0 + i] = t > 0 ? sh / t : (isfinite(sh) ? (sh > 1e-9) : NAN);
		}
	/* the capabilities whose share moves most; then the largest shares */
	for (int pass = 0; pass < 2 && npick < CHART_CAPS; pass++) {
		for (;;) {
			double best = pass ? -1 : 1e-9;
			size_t bi = nc;
			for (size_t c = 0; c < nc; c++) {
				int taken = 0;
				for (size_t k = 0; k < npick; k++)
					taken |= pick[k] == c;
				if (taken)
					continue;
				double lo = HUGE_VAL, hi = -HUGE_VAL;
				for (size_t i = 0; i < n0; i++) {
					double x = share[c * n0 + i];
					if (isfinite(x)) {
						lo = fmin(lo, x);
						hi = fmax(hi, x);
					}
				}
				double key = hi >= lo ? (pass ? hi : hi - lo) : -1;
				if (key > best) {
					best = key;
					bi = c;
				}
			}
			if (bi == nc || npick == CHART_CAPS)
				break;
			pick[npick++] = bi;
		}
	}
	for (size_t k = 0; k < npick; k++)
		se[k] = (struct svg_series){
		    p->capabilities[pick[k]].id, share + pick[k] * n0, NULL, NULL, (int)k, 0, 0};
	if (npick == 0) {
		/* no capability at all: an empty line keeps the file a valid chart */
		for (size_t i = 0; i < n0; i++)
			share[nc * n0 + i] = 0;
		se[0] =
		    (struct svg_series){"no capabilities", share + nc * n0, NULL, NULL, 0, 0, 0};
		npick = 1;
	}
	rpt_sens_axis_label(xl, sizeof(xl), &s->axis[0]);
	snprintf(title, sizeof(title), "Share of the target missed against %s", xl);
	struct svg_chart c = SVG_CHART_INIT;
	c.type = SVG_LINES;
	c.id = "sweep_shortfalls";
	c.title = title;
	c.desc = "For the capabilities whose shortfall moves most over the sweep: the shortfall "
		 "over the horizon as a share of the target over the horizon.";
	c.x_label = xl;
	c.y_label = "share of target missed";
	c.categories = (const char *const *)labels;
	c.ncat = n0;
	c.series = se;
	c.nseries = npick;
	c.unit = SVG_UNIT_SHARE;
	rc = svg_write(f, &c);
	if (rc == 0 && (fputc('\n', f) == EOF || ferror(f)))
		rc = -1;
out:
	free_labels(labels, n0);
	free(share);
	free(se);
	return rc;
}

/* ---- files and terminal ----------------------------------------------------------------- */

struct sweep_ctx {
	const struct sweep *s;
	const struct report_sens_meta *meta;
};

static int w_csv(FILE *f, const void *ctx)
{
	return report_sweep_csv(f, ((const struct sweep_ctx *)ctx)->s);
}

static int w_json(FILE *f, const void *ctx)
{
	const struct sweep_ctx *c = ctx;
	return report_sweep_json(f, c->s, c->meta);
}

static int w_svg(FILE *f, const void *ctx)
{
	return report_sweep_svg(f, ((const struct sweep_ctx *)ctx)->s);
}

static int w_short(FILE *f, const void *ctx)
{
	return report_sweep_shortfall_svg(f, ((const struct sweep_ctx *)ctx)->s);
}

int report_write_sweep(const char *dir, const struct sweep *s, const struct report_sens_meta *meta,
		       struct diag_list *dl)
{
	struct sweep_ctx c = {s, meta};
	const struct rpt_sens_file files[] = {
	    {"sweep.csv", w_csv, &c},
	    {"sweep.json", w_json, &c},
	    {"sweep.svg", w_svg, &c},
	    {"sweep_shortfalls.svg", w_short, &c},
	};
	return rpt_sens_write_files(dir, files, sizeof(files) / sizeof(files[0]), dl);
}

struct gain {
	double key;
	size_t cap;
};

static int by_gain(const void *x, const void *y)
{
	const struct gain *a = x, *b = y;
	if (a->key != b->key)
		return a->key < b->key ? 1 : -1;
	return (a->cap > b->cap) - (a->cap < b->cap);
}

/* The GAINS_SHOWN capabilities whose shortfall moved most (share of their target) from a
 * to b; '+' = gained. */
static void print_gains(FILE *out, const struct plan *p, const struct sweep_outcome *a,
			const struct sweep_outcome *b)
{
	struct gain *g = solved(a) && solved(b) ? pc_calloc(p->ncapabilities + 1, sizeof(*g)) : NULL;
	size_t n = 0;

	for (size_t c = 0; g && c < p->ncapabilities; c++) {
		double d = a->shortfall[c] - b->shortfall[c];
		if (moved(d, a->target[c]))
			g[n++] = (struct gain){fabs(d) / fmax(1.0, fabs(a->target[c])), c};
	}
	if (!n) {
		fputs("-", out);
		free(g);
		return;
	}
	qsort(g, n, sizeof(*g), by_gain);
	for (size_t k = 0; k < n && k < GAINS_SHOWN; k++) {
		char q[48];
		size_t c = g[k].cap;
		double d = a->shortfall[c] - b->shortfall[c];
		rpt_fmt_qty(q, sizeof(q), fabs(d));
		fprintf(out, "%s%s %s%s", k ? ", " : "", p->capabilities[c].id, d > 0 ? "+" : "-",
			q);
	}
	if (n > GAINS_SHOWN)
		fprintf(out, " (+%zu more)", n - GAINS_SHOWN);
	free(g);
}

void report_print_sweep(FILE *out, const struct sweep *s)
{
	const struct plan *p = s->plan;
	char lab[2][300], b[4][48];

	for (int a = 0; a < s->naxes; a++)
		rpt_sens_axis_label(lab[a], sizeof(lab[a]), &s->axis[a]);
	fprintf(out, "%s: sweep of %s%s%s, %zu points (%s", p->name ? p->name : "plan", lab[0],
		s->naxes == 2 ? " and " : "", s->naxes == 2 ? lab[1] : "", s->npoints,
		s->nscen ? "" : "each a solve)");
	if (s->nscen)
		fprintf(out, "each %zu scenarios on common random numbers, means)", s->nscen);
	fputs("\n\n", out);
	int w[SWEEP_MAX_AXES] = {10, 10};
	for (int a = 0; a < s->naxes; a++) {
		size_t len = strlen(lab[a]);
		w[a] = len < 10 ? 10 : len > 28 ? 28 : (int)len;
		fprintf(out, "  %*.*s", w[a], w[a], lab[a]);
	}
	fprintf(out, "  %-9s %14s %14s %14s  %s\n", "status", "objective", "change", "spend",
		"capability gained from the previous point (shortfall units)");
	for (size_t i = 0; i < s->npoints; i++) {
		const struct sweep_point *pt = &s->points[i];
		const struct sweep_outcome *o = &pt->out;
		long prev = prev_point(s, i);
		for (int a = 0; a < s->naxes; a++) {
			money_format(b[0], sizeof(b[0]), pt->value[a]);
			fprintf(out, "  %*s", w[a], b[0]);
		}
		report_fmt_money(b[1], sizeof(b[1]), val(o, o->objective));
		report_fmt_money(b[3], sizeof(b[3]), val(o, o->total_spend_eur));
		if (prev >= 0 && solved(&s->points[prev].out) && solved(o))
			report_fmt_money(b[2], sizeof(b[2]),
					 o->objective - s->points[prev].out.objective);
		else
			snprintf(b[2], sizeof(b[2]), "-");
		fprintf(out, "  %-9s %14s %14s %14s  ", sol_status_name(o->status), b[1], b[2],
			b[3]);
		if (prev >= 0)
			print_gains(out, p, &s->points[prev].out, o);
		fputc('\n', out);
	}
}
