/* report_sens_json.c - JSON pieces of the sensitivity reports: report.json's "ranging" and
 * "tornado" sections, the tool and plan blocks of sweep.json and tornado.json, and writing
 * a set of files atomically. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "afile.h"
#include "lp.h"
#include "report_int.h"
#include "report_sens_int.h"
#include "version.h"

json_t *rpt_sens_num(double v)
{
	if (!isfinite(v))
		return json_null();
	return json_real(rpt_nozero(v));
}

json_t *rpt_sens_str(const char *s)
{
	json_t *v = s ? json_string(s) : NULL;
	return v ? v : json_null();
}

void rpt_sens_put(json_t *obj, const char *key, json_t *val, int *oom)
{
	if (!obj || !val || json_object_set_new(obj, key, val))
		*oom = 1;
}

void rpt_sens_push(json_t *arr, json_t *val, int *oom)
{
	if (!arr || !val || json_array_append_new(arr, val))
		*oom = 1;
}

json_t *rpt_sens_tool(const struct report_sens_meta *meta, int *oom)
{
	json_t *o = json_object();
	rpt_sens_put(o, "name", json_string("porcupine"), oom);
	rpt_sens_put(
	    o, "version",
	    rpt_sens_str(meta && meta->tool_version ? meta->tool_version : PORCUPINE_VERSION), oom);
	rpt_sens_put(o, "glpk", rpt_sens_str(lp_solver_version()), oom);
	return o;
}

json_t *rpt_sens_plan(const struct plan *p, int *oom)
{
	json_t *o = json_object();
	rpt_sens_put(o, "name", rpt_sens_str(p->name), oom);
	rpt_sens_put(o, "sha256", rpt_sens_str(p->sha256), oom);
	rpt_sens_put(o, "source", rpt_sens_str(p->file), oom);
	rpt_sens_put(o, "data_date", rpt_sens_str(p->data_date), oom);
	return o;
}

int rpt_sens_dump(FILE *f, json_t *doc, int oom)
{
	int rc = -1;
	if (!doc || oom) {
		errno = ENOMEM;
	} else if (json_dumpf(doc, f,
			      JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17)) ==
		       0 &&
		   fputc('\n', f) != EOF && !ferror(f)) {
		rc = 0;
	}
	json_decref(doc);
	return rc;
}

void rpt_sens_axis_label(char *buf, size_t n, const struct sweep_axis *a)
{
	snprintf(buf, n, "%s%s", a->path, a->apply == APPLY_SCALE ? " (x)" : "");
}

/* ---- files ------------------------------------------------------------------------------ */

static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir), len = n + strlen(name) + 2;
	char *s = pc_malloc(len);
	if (s)
		snprintf(s, len, "%s%s%s", dir, n > 0 && dir[n - 1] == '/' ? "" : "/", name);
	return s;
}

static void report_errno(struct diag_list *dl, const char *path, const char *what, int e)
{
	char buf[256];
	if (strerror_r(e, buf, sizeof(buf)) != 0)
		snprintf(buf, sizeof(buf), "error %d", e);
	diag_error(dl, path, 0, 0, NULL, "%s: %s", what, buf);
}

int rpt_sens_write_files(const char *dir, const struct rpt_sens_file *files, size_t n,
			 struct diag_list *dl)
{
	struct afile *af = pc_calloc(n + 1, sizeof(*af));
	size_t k, opened = 0;
	int rc = -1;

	if (!af) {
		report_errno(dl, dir, "cannot write the reports", ENOMEM);
		return -1;
	}
	if (afile_mkdirs(dir) != 0) {
		report_errno(dl, dir, "cannot create the output directory", errno);
		free(af);
		return -1;
	}
	for (k = 0; k < n; k++) {
		char *path = join(dir, files[k].name);
		if (!path) {
			report_errno(dl, dir, "cannot write the reports", ENOMEM);
			goto out;
		}
		if (afile_open(&af[k], path) != 0) {
			report_errno(dl, path, "cannot create a temporary file next to it", errno);
			free(path);
			goto out;
		}
		opened = k + 1;
		errno = 0;
		if (files[k].write(af[k].f, files[k].ctx) != 0 || afile_finish(&af[k]) != 0) {
			report_errno(dl, path, "cannot write", errno ? errno : EIO);
			free(path);
			goto out;
		}
		free(path);
	}
	for (k = 0; k < n; k++) {
		char *path = join(dir, files[k].name);
		if (afile_commit(&af[k]) != 0) {
			report_errno(dl, path ? path : dir, "cannot replace", errno);
			free(path);
			goto out;
		}
		free(path);
	}
	rc = 0;
out:
	for (k = 0; k < opened; k++)
		afile_abort(&af[k]);
	free(af);
	return rc;
}

/* ---- report.json: ranging --------------------------------------------------------------- */

static json_t *id_or_null(const char *id)
{
	return rpt_sens_str(id);
}

static json_t *row_json(const struct report_ctx *rc, const struct rng_row *w, int *oom)
{
	const struct plan *p = rc->plan;
	const struct lpm *lp = rc->model ? rc->model->lp : NULL;
	json_t *o = json_object();

	rpt_sens_put(o, "kind", json_string(ranging_kind_name(w->kind)), oom);
	rpt_sens_put(o, "name",
		     lp && (size_t)w->row < lp->nrows ? rpt_sens_str(lp->rows[w->row].name)
						      : json_null(),
		     oom);
	rpt_sens_put(o, "source", id_or_null(rpt_source_id(p, w->source)), oom);
	rpt_sens_put(o, "buyer", id_or_null(rpt_buyer_id(p, w->buyer)), oom);
	rpt_sens_put(o, "item", id_or_null(rpt_item_id(p, w->item)), oom);
	rpt_sens_put(o, "capability", id_or_null(rpt_capability_id(p, w->capability)), oom);
	rpt_sens_put(o, "year", w->year ? json_integer(w->year) : json_null(), oom);
	rpt_sens_put(o, "bound", rpt_sens_num(w->bound), oom);
	rpt_sens_put(o, "activity", rpt_sens_num(w->activity), oom);
	rpt_sens_put(o, "price", rpt_sens_num(w->price), oom);
	rpt_sens_put(o, "lo", rpt_sens_num(w->lo), oom);
	rpt_sens_put(o, "hi", rpt_sens_num(w->hi), oom);
	rpt_sens_put(o, "binding", json_boolean(w->binding), oom);
	return o;
}

static json_t *cost_json(const struct report_ctx *rc, const struct rng_cost *c, int *oom)
{
	const struct plan *p = rc->plan;
	const struct lpm *lp = rc->model ? rc->model->lp : NULL;
	json_t *o = json_object();

	rpt_sens_put(o, "name",
		     lp && (size_t)c->col < lp->ncols ? rpt_sens_str(lp->cols[c->col].name)
						      : json_null(),
		     oom);
	rpt_sens_put(o, "item", id_or_null(rpt_item_id(p, c->item)), oom);
	rpt_sens_put(o, "buyer", id_or_null(rpt_buyer_id(p, c->buyer)), oom);
	rpt_sens_put(o, "source", id_or_null(rpt_source_id(p, c->source)), oom);
	rpt_sens_put(o, "year", json_integer(c->year), oom);
	rpt_sens_put(o, "units", rpt_sens_num(c->units), oom);
	rpt_sens_put(o, "bought", json_boolean(c->bought), oom);
	rpt_sens_put(o, "unit_cost", rpt_sens_num(c->unit_cost), oom);
	rpt_sens_put(o, "unit_cost_lo", rpt_sens_num(c->unit_cost_lo), oom);
	rpt_sens_put(o, "unit_cost_hi", rpt_sens_num(c->unit_cost_hi), oom);
	rpt_sens_put(o, "objective_coef", rpt_sens_num(c->obj), oom);
	rpt_sens_put(o, "objective_coef_lo", rpt_sens_num(c->obj_lo), oom);
	rpt_sens_put(o, "objective_coef_hi", rpt_sens_num(c->obj_hi), oom);
	return o;
}

json_t *rpt_sens_json_ranging(const struct report_ctx *rc)
{
	const struct ranging *r = rc->ranging;
	json_t *o = json_object(), *rows = json_array(), *costs = json_array(),
	       *items = json_array();
	int oom = 0;

	rpt_sens_put(o, "basis", json_string(r->mip ? "lp_with_lots_fixed" : "lp"), &oom);
	for (size_t k = 0; k < r->nrows; k++)
		rpt_sens_push(rows, row_json(rc, &r->rows[k], &oom), &oom);
	for (size_t k = 0; k < r->ncosts; k++)
		rpt_sens_push(costs, cost_json(rc, &r->costs[k], &oom), &oom);
	for (size_t k = 0; k < r->nitems; k++) {
		const struct rng_item *it = &r->items[k];
		json_t *x = json_object();
		rpt_sens_put(x, "item", id_or_null(rpt_item_id(rc->plan, it->item)), &oom);
		rpt_sens_put(x, "units", rpt_sens_num(it->units), &oom);
		rpt_sens_put(x, "bought", json_boolean(it->bought), &oom);
		rpt_sens_put(x, "unit_cost", rpt_sens_num(it->unit_cost), &oom);
		rpt_sens_put(x, "unit_cost_lo", rpt_sens_num(it->lo), &oom);
		rpt_sens_put(x, "unit_cost_hi", rpt_sens_num(it->hi), &oom);
		rpt_sens_push(items, x, &oom);
	}
	rpt_sens_put(o, "rows", rows, &oom);
	rpt_sens_put(o, "items", items, &oom);
	rpt_sens_put(o, "costs", costs, &oom);
	if (oom) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* ---- report.json: tornado --------------------------------------------------------------- */

static const char *dist_name(enum dist_kind d)
{
	static const char *const names[] = {"triangular", "pert",     "uniform",  "normal",
					    "lognormal",  "discrete", "bernoulli"};
	return (unsigned)d < sizeof(names) / sizeof(names[0]) ? names[d] : "unknown";
}

static int solved(enum sol_status s)
{
	return s == SOL_OPTIMAL || s == SOL_FEASIBLE;
}

static double sf(const struct sweep_outcome *o, size_t c)
{
	return o->shortfall && solved(o->status) ? o->shortfall[c] : NAN;
}

static json_t *bar_json(const struct tornado *t, const struct tornado_bar *b, int *oom)
{
	const struct plan *p = t->plan;
	const struct uparam *u = &p->uncertainty.params[b->param];
	json_t *o = json_object(), *sh = json_array();

	rpt_sens_put(o, "parameter", rpt_sens_str(u->id), oom);
	rpt_sens_put(o, "path", rpt_sens_str(u->path), oom);
	rpt_sens_put(o, "apply", json_string(u->apply == APPLY_SCALE ? "scale" : "set"), oom);
	rpt_sens_put(o, "dist", json_string(dist_name(u->dist)), oom);
	rpt_sens_put(o, "low", rpt_sens_num(b->low), oom);
	rpt_sens_put(o, "high", rpt_sens_num(b->high), oom);
	rpt_sens_put(o, "status_low", json_string(sol_status_name(b->at_low.status)), oom);
	rpt_sens_put(o, "status_high", json_string(sol_status_name(b->at_high.status)), oom);
	rpt_sens_put(o, "objective_low",
		     rpt_sens_num(solved(b->at_low.status) ? b->at_low.objective : NAN), oom);
	rpt_sens_put(o, "objective_high",
		     rpt_sens_num(solved(b->at_high.status) ? b->at_high.objective : NAN), oom);
	rpt_sens_put(o, "swing", rpt_sens_num(b->swing), oom);
	rpt_sens_put(o, "total_spend_low",
		     rpt_sens_num(solved(b->at_low.status) ? b->at_low.total_spend_eur : NAN), oom);
	rpt_sens_put(o, "total_spend_high",
		     rpt_sens_num(solved(b->at_high.status) ? b->at_high.total_spend_eur : NAN),
		     oom);
	for (size_t c = 0; c < p->ncapabilities; c++) {
		json_t *s = json_object();
		double lo = sf(&b->at_low, c), hi = sf(&b->at_high, c);
		rpt_sens_put(s, "capability", rpt_sens_str(p->capabilities[c].id), oom);
		rpt_sens_put(s, "unit", rpt_sens_str(p->capabilities[c].unit), oom);
		rpt_sens_put(s, "base", rpt_sens_num(sf(&t->base, c)), oom);
		rpt_sens_put(s, "low", rpt_sens_num(lo), oom);
		rpt_sens_put(s, "high", rpt_sens_num(hi), oom);
		rpt_sens_put(s, "swing", rpt_sens_num(fabs(hi - lo)), oom);
		rpt_sens_push(sh, s, oom);
	}
	rpt_sens_put(o, "shortfalls", sh, oom);
	return o;
}

json_t *rpt_sens_json_tornado(const struct tornado *t)
{
	json_t *o = json_object(), *q = json_array(), *bars = json_array();
	int oom = 0;

	rpt_sens_put(o, "base_objective",
		     rpt_sens_num(solved(t->base.status) ? t->base.objective : NAN), &oom);
	rpt_sens_put(o, "base_status", json_string(sol_status_name(t->base.status)), &oom);
	rpt_sens_put(o, "range", json_string(t->range == TORNADO_BOUNDS ? "bounds" : "quantiles"),
		     &oom);
	rpt_sens_push(q, rpt_sens_num(t->qlo), &oom);
	rpt_sens_push(q, rpt_sens_num(t->qhi), &oom);
	rpt_sens_put(o, "quantiles", q, &oom);
	for (size_t k = 0; k < t->nbars; k++)
		rpt_sens_push(bars, bar_json(t, &t->bars[k], &oom), &oom);
	rpt_sens_put(o, "bars", bars, &oom);
	if (oom) {
		json_decref(o);
		return NULL;
	}
	return o;
}
