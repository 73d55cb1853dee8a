/* report_scen.c - the scenario section of report.json and report.md: distributions of cost,
 * shortfalls, spend and marginal values over a scenario run (report_ctx.scenarios). */
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report_int.h"
#include "report_scen_int.h"
#include "scen.h"

/* ---- report.json -------------------------------------------------------------------- */

static json_t *jnum(double v)
{
	return isfinite(v) ? json_real(v == 0.0 ? 0.0 : v) : json_null();
}

static json_t *jstr(const char *s)
{
	json_t *v = s ? json_string(s) : NULL;
	return v ? v : json_null();
}

static void jset(json_t *o, const char *k, json_t *v)
{
	json_object_set_new(o, k, v ? v : json_null());
}

static json_t *jdist(const struct scen_dist *d)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	jset(o, "n", json_integer((json_int_t)d->n));
	jset(o, "mean", jnum(d->mean));
	jset(o, "stderr", jnum(d->stderr_));
	jset(o, "sd", jnum(d->sd));
	jset(o, "min", jnum(d->min));
	jset(o, "p5", jnum(d->p5));
	jset(o, "p50", jnum(d->p50));
	jset(o, "p95", jnum(d->p95));
	jset(o, "max", jnum(d->max));
	return o;
}

/* The nominal plan's target for capability c in year y (summed over its rows), NaN when
 * the nominal run has none. */
static double nominal_target(const struct report_ctx *rc, int c, int y)
{
	double t = NAN;
	for (size_t k = 0; rc->res && k < rc->res->nreq; k++) {
		const struct res_req *q = &rc->res->req[k];
		if (q->capability == c && q->year == y)
			t = isnan(t) ? q->target : t + q->target;
	}
	return t;
}

/* capabilities[i].years: per horizon year with a target, the level in service and the
 * shortfall over the solved scenarios, and the nominal plan's target for reference. */
static json_t *year_dists(const struct report_ctx *rc, const struct scen_cap_sum *c)
{
	const struct scen_summary *s = rc->scenarios;
	json_t *a = json_array();
	for (size_t t = 0; a && c->yr_achieved && t < s->nyear; t++) {
		if (c->yr_achieved[t].n == 0 && c->yr_shortfall[t].n == 0)
			continue;
		int y = s->year0 + (int)t;
		json_t *x = json_object();
		jset(x, "year", json_integer(y));
		jset(x, "target", jnum(nominal_target(rc, c->capability, y)));
		jset(x, "achieved", jdist(&c->yr_achieved[t]));
		jset(x, "shortfall", jdist(&c->yr_shortfall[t]));
		json_array_append_new(a, x);
	}
	return a;
}

static const char *const dist_names[] = {"triangular", "pert",	   "uniform",  "normal",
					 "lognormal",  "discrete", "bernoulli"};

json_t *rpt_scen_json(const struct report_ctx *rc)
{
	const struct scen_summary *s = rc->scenarios;
	const struct plan *p = rc->plan;
	json_t *o = json_object(), *a, *x;

	if (!o)
		return NULL;
	jset(o, "n", json_integer((json_int_t)s->n));
	jset(o, "requested", json_integer((json_int_t)s->requested));
	jset(o, "solved", json_integer((json_int_t)s->solved));
	jset(o, "failed", json_integer((json_int_t)s->failed));
	if (s->seed <= (uint64_t)LLONG_MAX)
		jset(o, "seed", json_integer((json_int_t)s->seed));
	else {
		char buf[32];
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)s->seed);
		jset(o, "seed", json_string(buf));
	}
	jset(o, "method", jstr(s->method));
	jset(o, "stopped", jstr(s->stopped));
	jset(o, "precision", s->precision > 0 ? jnum(s->precision) : json_null());
	jset(o, "rel_stderr", jnum(s->rel_stderr));
	a = json_array();
	for (size_t i = 0; a && i < s->nfail; i++) {
		x = json_object();
		jset(x, "status", jstr(s->fail[i].status));
		jset(x, "count", json_integer((json_int_t)s->fail[i].count));
		json_array_append_new(a, x);
	}
	jset(o, "failures", a);
	jset(o, "objective", jdist(&s->objective));
	jset(o, "total_spend_eur", jdist(&s->total_spend));

	a = json_array();
	for (size_t i = 0; a && i < s->ncaps; i++) {
		const struct scen_cap_sum *c = &s->caps[i];
		x = json_object();
		jset(x, "capability", jstr(rpt_capability_id(p, c->capability)));
		jset(x, "unit", jstr(rpt_capability_unit(p, c->capability)));
		jset(x, "p_target_met", jnum(c->p_target_met));
		jset(x, "shortfall", jdist(&c->shortfall));
		jset(x, "years", year_dists(rc, c));
		json_array_append_new(a, x);
	}
	jset(o, "capabilities", a);
	a = json_array();
	for (size_t i = 0; a && i < s->ncats; i++) {
		x = json_object();
		jset(x, "category", jstr(rpt_category_id(p, s->cats[i].index)));
		jset(x, "spend_eur", jdist(&s->cats[i].a));
		json_array_append_new(a, x);
	}
	jset(o, "categories", a);
	a = json_array();
	for (size_t i = 0; a && i < s->nsrcs; i++) {
		x = json_object();
		jset(x, "source", jstr(rpt_source_id(p, s->srcs[i].index)));
		jset(x, "used_eur", jdist(&s->srcs[i].a));
		jset(x, "marginal_value", jdist(&s->srcs[i].b));
		json_array_append_new(a, x);
	}
	jset(o, "funding", a);
	a = json_array();
	for (size_t i = 0; a && i < s->npars; i++) {
		int k = s->pars[i].index;
		const struct uparam *u =
		    k >= 0 && (size_t)k < p->uncertainty.nparams ? &p->uncertainty.params[k] : NULL;
		x = json_object();
		jset(x, "parameter", jstr(u ? u->id : NULL));
		jset(x, "path", jstr(u ? u->path : NULL));
		jset(x, "dist", jstr(u && (size_t)u->dist < 7 ? dist_names[u->dist] : NULL));
		jset(x, "apply", jstr(u ? (u->apply == APPLY_SCALE ? "scale" : "set") : NULL));
		jset(x, "value", jdist(&s->pars[i].a));
		json_array_append_new(a, x);
	}
	jset(o, "parameters", a);
	x = json_object();
	if (x) {
		json_t *y = json_object();
		jset(x, "iterations", jdist(&s->iterations));
		jset(y, "kept", json_integer((json_int_t)s->kept));
		jset(y, "warm", json_integer((json_int_t)s->warm));
		jset(y, "cold", json_integer((json_int_t)s->cold));
		jset(x, "lp_start", y);
		y = json_object();
		jset(y, "rounded_within_gap", json_integer((json_int_t)s->mip_rounded));
		jset(y, "branch_from_rounded", json_integer((json_int_t)s->mip_incumbent));
		jset(y, "branch", json_integer((json_int_t)s->mip_search));
		jset(x, "mip", y);
	}
	jset(o, "solver", x);
	return o;
}

/* ---- report.md ---------------------------------------------------------------------- */

static void money(FILE *f, double v)
{
	char b[48];
	report_fmt_money(b, sizeof(b), v);
	fprintf(f, " %s |", b);
}

static void qty(FILE *f, double v)
{
	char b[48];
	rpt_fmt_qty(b, sizeof(b), v);
	fprintf(f, " %s |", b);
}

static void pct(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, " %.0f%% |", 100.0 * v);
	else
		fputs(" n/a |", f);
}

static const char *cap_name(const struct plan *p, int i)
{
	if (i < 0 || (size_t)i >= p->ncapabilities)
		return NULL;
	return p->capabilities[i].name ? p->capabilities[i].name : p->capabilities[i].id;
}

static void cap_list(FILE *f, const struct plan *p, const struct scen_summary *s, double lo,
		     double hi)
{
	int any = 0;
	for (size_t i = 0; i < s->ncaps; i++) {
		double v = s->caps[i].p_target_met;
		if (!(v >= lo && v < hi))
			continue;
		fputs(any ? ", " : "", f);
		rpt_md_text(f, cap_name(p, s->caps[i].capability));
		fprintf(f, " (%.0f%%)", 100.0 * v);
		any = 1;
	}
	if (!any)
		fputs("none", f);
}

int rpt_scen_md(FILE *f, const struct report_ctx *rc)
{
	const struct scen_summary *s = rc->scenarios;
	const struct plan *p = rc->plan;
	char a[48], b[48], c[48];

	fputs("## Scenarios\n\n", f);
	fprintf(f, "%zu scenario%s drawn from the plan's uncertainty (%s sampling, seed %llu)",
		s->n, s->n == 1 ? "" : "s",
		strcmp(s->method, "latin_hypercube") == 0 ? "Latin hypercube" : "Monte Carlo",
		(unsigned long long)s->seed);
	if (strcmp(s->stopped, "interrupted") == 0)
		fprintf(f, ", interrupted after %zu of %zu requested", s->n, s->requested);
	else if (strcmp(s->stopped, "precision") == 0)
		fprintf(f,
			", stopped at %zu of %zu because the objective's relative standard "
			"error fell below %g",
			s->n, s->requested, s->precision);
	fprintf(f, ": %zu solved", s->solved);
	if (s->failed) {
		fprintf(f, ", %zu failed (", s->failed);
		for (size_t i = 0; i < s->nfail; i++)
			fprintf(f, "%s%zu %s", i ? ", " : "", s->fail[i].count, s->fail[i].status);
		fputc(')', f);
	}
	fputs(". Figures below are over the solved scenarios; scenarios.csv and "
	      "scenarios.sqlite hold every scenario.\n\n",
	      f);

	fputs("| | mean | P5 | P50 | P95 |\n|---|---:|---:|---:|---:|\n", f);
	report_fmt_money(a, sizeof(a), s->objective.stderr_);
	fprintf(f, "| Objective (standard error of the mean %s) |", a);
	money(f, s->objective.mean);
	money(f, s->objective.p5);
	money(f, s->objective.p50);
	money(f, s->objective.p95);
	fputs("\n| Total spend |", f);
	money(f, s->total_spend.mean);
	money(f, s->total_spend.p5);
	money(f, s->total_spend.p50);
	money(f, s->total_spend.p95);
	fputs("\n\n", f);

	fputs("**Robust** (target met in every year in at least 90% of scenarios): ", f);
	cap_list(f, p, s, 0.9, 2.0);
	fputs(".\n\n**At risk** (50-90%): ", f);
	cap_list(f, p, s, 0.5, 0.9);
	fputs(".\n\n**Fragile** (met in fewer than half of the scenarios): ", f);
	cap_list(f, p, s, -1.0, 0.5);
	fputs(".\n\n", f);

	fputs("### Capability targets\n\nShortfall is summed over the horizon's years (units x "
	      "years).\n\n| Capability | Target met every year | Shortfall mean | P50 | P95 | "
	      "Unit |\n|---|---:|---:|---:|---:|---|\n",
	      f);
	for (size_t i = 0; i < s->ncaps; i++) {
		const struct scen_cap_sum *q = &s->caps[i];
		fputs("| ", f);
		rpt_md_text(f, cap_name(p, q->capability));
		fputs(" |", f);
		pct(f, q->p_target_met);
		qty(f, q->shortfall.mean);
		qty(f, q->shortfall.p50);
		qty(f, q->shortfall.p95);
		fputc(' ', f);
		rpt_md_text(f, rpt_capability_unit(p, q->capability));
		fputs(" |\n", f);
	}

	fputs("\n### Spend by category\n\n| Category | mean | P5 | P50 | P95 |\n"
	      "|---|---:|---:|---:|---:|\n",
	      f);
	for (size_t i = 0; i < s->ncats; i++) {
		const struct scen_dist *d = &s->cats[i].a;
		if (d->n && d->max == 0.0)
			continue; /* never bought */
		int k = s->cats[i].index;
		fputs("| ", f);
		rpt_md_text(f, k >= 0 && (size_t)k < p->ncategories && p->categories[k].name
				   ? p->categories[k].name
				   : rpt_category_id(p, k));
		fputs(" |", f);
		money(f, d->mean);
		money(f, d->p5);
		money(f, d->p50);
		money(f, d->p95);
		fputc('\n', f);
	}

	fputs("\n### Money by source\n\nThe marginal value is what one more EUR of the source "
	      "(in its first year of availability) would save in the objective.\n\n"
	      "| Source | used P5 | P50 | P95 | marginal value P5 | P50 | P95 |\n"
	      "|---|---:|---:|---:|---:|---:|---:|\n",
	      f);
	for (size_t i = 0; i < s->nsrcs; i++) {
		const struct scen_idx_sum *q = &s->srcs[i];
		fputs("| ", f);
		rpt_md_text(f, rpt_source_id(p, q->index));
		fputs(" |", f);
		money(f, q->a.p5);
		money(f, q->a.p50);
		money(f, q->a.p95);
		rpt_fmt_qty(a, sizeof(a), q->b.p5);
		rpt_fmt_qty(b, sizeof(b), q->b.p50);
		rpt_fmt_qty(c, sizeof(c), q->b.p95);
		fprintf(f, " %s | %s | %s |\n", a, b, c);
	}

	int binding = 0;
	for (size_t i = 0; i < s->nsrcs; i++)
		binding |= s->srcs[i].b.n > 0 && s->srcs[i].b.max > 1e-9;
	if (s->nsrcs && !binding)
		fputs("\nIn no scenario is any source's money binding: one more EUR would buy "
		      "nothing. "
		      "What limits the plan is production capacity and the funding rules "
		      "(allocations, "
		      "pre-financing, common procurement), not the size of the envelopes.\n",
		      f);

	fputs("\n### Uncertain parameters drawn\n\n| Parameter | Path | Distribution | P5 | P50 "
	      "| P95 |\n|---|---|---|---:|---:|---:|\n",
	      f);
	for (size_t i = 0; i < s->npars; i++) {
		int k = s->pars[i].index;
		if (k < 0 || (size_t)k >= p->uncertainty.nparams)
			continue;
		const struct uparam *u = &p->uncertainty.params[k];
		fputs("| ", f);
		rpt_md_text(f, u->id);
		fputs(" | ", f);
		rpt_md_text(f, u->path);
		fprintf(f, " | %s%s |", (size_t)u->dist < 7 ? dist_names[u->dist] : "?",
			u->apply == APPLY_SCALE ? " (factor)" : "");
		qty(f, s->pars[i].a.p5);
		qty(f, s->pars[i].a.p50);
		qty(f, s->pars[i].a.p95);
		fputc('\n', f);
	}
	fprintf(f,
		"\nSolver: %zu of %zu LPs kept the nominal optimal basis, %zu re-solved warm "
		"from it, %zu cold; simplex iterations per scenario: mean %.0f, P95 %.0f.",
		s->kept, s->solved, s->warm, s->cold, s->iterations.mean, s->iterations.p95);
	if (s->mip_rounded + s->mip_incumbent + s->mip_search)
		fprintf(f,
			" Whole units: the nominal plan's lots were within the MIP gap in %zu "
			"scenarios; branch-and-cut ran in %zu.",
			s->mip_rounded, s->mip_incumbent + s->mip_search);
	fputs("\n\nThe sections below are the nominal plan (no uncertainty applied).\n\n", f);
	return ferror(f) ? -1 : 0;
}

size_t rpt_scen_count(const struct report_ctx *rc)
{
	return rc->scenarios ? rc->scenarios->n : 0;
}
