/* report_json.c - report.json (schema porcupine.report/1) with jansson: keys in a fixed
 * order, doubles with 17 significant digits, never a non-finite number. */
#include <errno.h>
#include <limits.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lp.h"
#include "params.h"
#include "alloc.h"
#include "report_int.h"
#include "report_scen_int.h"
#include "report_sens_int.h"
#include "version.h"

/* Building state: the warnings array and whether any allocation failed.  Every helper
 * tolerates earlier failures, so builders need not check each call. */
struct jb {
	json_t *warnings;
	int oom;
};

static void warn(struct jb *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(struct jb *j, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	json_t *s;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	s = json_string(buf);
	if (!s || json_array_append_new(j->warnings, s))
		j->oom = 1;
}

/* obj[key] = val, taking ownership of val (NULL val = allocation failure). */
static void put(struct jb *j, json_t *obj, const char *key, json_t *val)
{
	if (!val || json_object_set_new(obj, key, val))
		j->oom = 1;
}

static void push(struct jb *j, json_t *arr, json_t *val)
{
	if (!val || json_array_append_new(arr, val))
		j->oom = 1;
}

/* A number, or null with a warning naming where when it is not finite.  `where` is a
 * printf format for the key path. */
static json_t *num(struct jb *j, double v, const char *where, ...)
    __attribute__((format(printf, 3, 4)));
static json_t *num(struct jb *j, double v, const char *where, ...)
{
	char path[200];
	va_list ap;

	if (isfinite(v))
		return json_real(rpt_nozero(v));
	va_start(ap, where);
	vsnprintf(path, sizeof(path), where, ap);
	va_end(ap);
	warn(j, "%s: not a finite number (%s); written as null", path,
	     isnan(v) ? "nan"
	     : v > 0  ? "inf"
		      : "-inf");
	return json_null();
}

/* A string, or null for NULL; text that is not UTF-8 becomes null with a warning. */
static json_t *str(struct jb *j, const char *s, const char *where)
{
	json_t *v;

	if (!s)
		return json_null();
	v = json_string(s);
	if (!v) {
		warn(j, "%s: not valid UTF-8; written as null", where);
		return json_null();
	}
	return v;
}

/* An id looked up by index; null with a warning for an index the plan does not have. */
static json_t *id(struct jb *j, const char *idv, int index, const char *what, const char *arr,
		  size_t row)
{
	if (!idv) {
		warn(j, "solution.%s[%zu].%s: index %d is not in the plan; written as null", arr,
		     row, what, index);
		return json_null();
	}
	return str(j, idv, what);
}

static json_t *build_tool(struct jb *j, const struct report_ctx *rc)
{
	json_t *o = json_object();

	put(j, o, "name", json_string("porcupine"));
	put(j, o, "version",
	    str(j, rc->tool_version ? rc->tool_version : PORCUPINE_VERSION, "tool.version"));
	put(j, o, "glpk", str(j, lp_solver_version(), "tool.glpk"));
	return o;
}

/* plan.names.<section>: id -> name, so that views can show names rather than ids. */
static void put_name(struct jb *j, json_t *o, const char *idv, const char *name)
{
	if (idv)
		put(j, o, idv, str(j, name ? name : idv, "plan.names"));
}

static json_t *build_names(struct jb *j, const struct plan *p)
{
	json_t *o = json_object(), *s;
	size_t k;

	put(j, o, "categories", s = json_object());
	for (k = 0; s && k < p->ncategories; k++)
		put_name(j, s, p->categories[k].id, p->categories[k].name);
	put(j, o, "buyers", s = json_object());
	for (k = 0; s && k < p->nbuyers; k++)
		put_name(j, s, p->buyers[k].id, p->buyers[k].name);
	put(j, o, "funding", s = json_object());
	for (k = 0; s && k < p->nsources; k++)
		put_name(j, s, p->sources[k].id, p->sources[k].name);
	put(j, o, "items", s = json_object());
	for (k = 0; s && k < p->nitems; k++)
		put_name(j, s, p->items[k].id, p->items[k].name);
	put(j, o, "capabilities", s = json_object());
	for (k = 0; s && k < p->ncapabilities; k++)
		put_name(j, s, p->capabilities[k].id, p->capabilities[k].name);
	put(j, o, "forces", s = json_object());
	for (k = 0; s && k < p->ndeployments; k++)
		put_name(j, s, p->deployments[k].id, p->deployments[k].name);
	return o;
}

/* plan.sources: every `source:` of the plan with the path of what it documents. */
static void put_source(struct jb *j, json_t *a, const char *path, const char *name,
		       const char *src)
{
	json_t *o;

	if (!src || !path)
		return;
	o = json_object();
	put(j, o, "path", str(j, path, "plan.sources"));
	put(j, o, "name", name ? str(j, name, "plan.sources") : json_null());
	put(j, o, "source", str(j, src, "plan.sources"));
	push(j, a, o);
}

static json_t *build_sources(struct jb *j, const struct plan *p)
{
	json_t *a = json_array();
	char path[512];
	size_t k;

#define SOURCES_OF(section, arr, n)                                                                \
	for (k = 0; k < (n); k++) {                                                                \
		snprintf(path, sizeof(path), section ".%s", (arr)[k].id ? (arr)[k].id : "");      \
		put_source(j, a, path, (arr)[k].name, (arr)[k].source);                            \
	}
	SOURCES_OF("categories", p->categories, p->ncategories)
	SOURCES_OF("buyers", p->buyers, p->nbuyers)
	SOURCES_OF("funding", p->sources, p->nsources)
	SOURCES_OF("items", p->items, p->nitems)
	SOURCES_OF("capabilities", p->capabilities, p->ncapabilities)
	SOURCES_OF("forces", p->deployments, p->ndeployments)
#undef SOURCES_OF
	put_source(j, a, "air_defence", NULL, p->air_defence.source);
	put_source(j, a, "ukraine", NULL, p->ukraine.source);
	put_source(j, a, "assumptions", NULL, p->assumptions.source);
	for (k = 0; k < p->uncertainty.nparams; k++) {
		const struct uparam *u = &p->uncertainty.params[k];
		snprintf(path, sizeof(path), "uncertainty.params.%s", u->id ? u->id : "");
		put_source(j, a, path, u->path, u->source);
	}
	return a;
}

/* plan.parameters: every number a path can name (params_each) -> its value, a year series as
 * an array over the horizon; `compare` lists the ones that differ between two runs. */
struct param_acc {
	struct jb *j;
	json_t *o;
};

static void put_param(void *ctx, const char *path, const double *v, size_t n)
{
	struct param_acc *a = ctx;
	json_t *val;

	if (n == 1) {
		val = num(a->j, v[0], "plan.parameters.%s", path);
	} else {
		val = json_array();
		for (size_t t = 0; val && t < n; t++)
			push(a->j, val, num(a->j, v[t], "plan.parameters.%s", path));
	}
	put(a->j, a->o, path, val);
}

static json_t *build_parameters(struct jb *j, const struct plan *p)
{
	struct param_acc a = {j, json_object()};

	if (a.o && params_each(p, put_param, &a) != PLAN_OK)
		j->oom = 1;
	return a.o;
}

static json_t *build_plan(struct jb *j, const struct plan *p)
{
	json_t *o = json_object(), *h = json_object();

	put(j, o, "name", str(j, p->name, "plan.name"));
	put(j, o, "sha256", str(j, p->sha256, "plan.sha256"));
	put(j, o, "source", str(j, p->file, "plan.source"));
	put(j, o, "data_date", str(j, p->data_date, "plan.data_date"));
	put(j, o, "description", str(j, p->description, "plan.description"));
	put(j, h, "start", json_integer(p->start_year));
	put(j, h, "end", json_integer(p->end_year));
	put(j, o, "horizon", h);
	put(j, o, "names", build_names(j, p));
	put(j, o, "sources", build_sources(j, p));
	put(j, o, "parameters", build_parameters(j, p));
	return o;
}

static json_t *build_run(struct jb *j, const struct report_ctx *rc)
{
	json_t *o = json_object(), *set = json_array();

	put(j, o, "command", str(j, rc->command, "run.command"));
	/* JSON integers are signed 64-bit here; a larger seed is kept exact as text. */
	if (rc->seed <= (unsigned long long)LLONG_MAX) {
		put(j, o, "seed", json_integer((json_int_t)rc->seed));
	} else {
		char buf[32];
		snprintf(buf, sizeof(buf), "%llu", rc->seed);
		put(j, o, "seed", json_string(buf));
	}
	put(j, o, "threads", json_integer(rc->threads));
	put(j, o, "scenarios", json_integer(rc->scenarios ? (json_int_t)rpt_scen_count(rc) : 0));
	for (size_t i = 0; i < rc->nset; i++)
		push(j, set, str(j, rc->set[i], "run.set"));
	put(j, o, "set", set);
	put(j, o, "elapsed_s", num(j, rc->elapsed_s, "run.elapsed_s"));
	return o;
}

static json_t *build_funding(struct jb *j, const struct report_ctx *rc, int duals)
{
	const struct plan *p = rc->plan;
	json_t *a = json_array();

	for (size_t k = 0; k < rc->res->nfund; k++) {
		const struct res_funding *f = &rc->res->fund[k];
		json_t *o = json_object();
		put(j, o, "source",
		    id(j, rpt_source_id(p, f->source), f->source, "source", "funding", k));
		put(j, o, "year", json_integer(f->year));
		put(j, o, "available_eur",
		    num(j, f->available_eur, "solution.funding[%zu].available_eur", k));
		put(j, o, "used_eur", num(j, f->used_eur, "solution.funding[%zu].used_eur", k));
		put(j, o, "carry_in_eur",
		    num(j, f->carry_in_eur, "solution.funding[%zu].carry_in_eur", k));
		put(j, o, "carry_out_eur",
		    num(j, f->carry_out_eur, "solution.funding[%zu].carry_out_eur", k));
		put(j, o, "marginal_value",
		    duals ? num(j, f->marginal_value, "solution.funding[%zu].marginal_value", k)
			  : json_null());
		push(j, a, o);
	}
	return a;
}

static json_t *build_allocation(struct jb *j, const struct report_ctx *rc)
{
	const struct plan *p = rc->plan;
	json_t *a = json_array();

	for (size_t k = 0; k < rc->res->nalloc; k++) {
		const struct res_alloc *r = &rc->res->alloc[k];
		int cat = rpt_item_category(p, r->item);
		json_t *o = json_object();
		put(j, o, "item", id(j, rpt_item_id(p, r->item), r->item, "item", "allocation", k));
		put(j, o, "category",
		    id(j, rpt_category_id(p, cat), cat, "category", "allocation", k));
		put(j, o, "buyer",
		    id(j, rpt_buyer_id(p, r->buyer), r->buyer, "buyer", "allocation", k));
		put(j, o, "source",
		    id(j, rpt_source_id(p, r->source), r->source, "source", "allocation", k));
		put(j, o, "year", json_integer(r->year));
		put(j, o, "delivery_year", json_integer(r->delivery_year));
		put(j, o, "units", num(j, r->units, "solution.allocation[%zu].units", k));
		put(j, o, "eur", num(j, r->eur, "solution.allocation[%zu].eur", k));
		push(j, a, o);
	}
	return a;
}

static json_t *build_requirements(struct jb *j, const struct report_ctx *rc, int duals)
{
	const struct plan *p = rc->plan;
	json_t *a = json_array();

	for (size_t k = 0; k < rc->res->nreq; k++) {
		const struct res_req *q = &rc->res->req[k];
		json_t *o = json_object();
		put(j, o, "capability",
		    id(j, rpt_capability_id(p, q->capability), q->capability, "capability",
		       "requirements", k));
		put(j, o, "unit", str(j, rpt_capability_unit(p, q->capability), "unit"));
		put(j, o, "year", json_integer(q->year));
		put(j, o, "target", num(j, q->target, "solution.requirements[%zu].target", k));
		put(j, o, "achieved",
		    num(j, q->achieved, "solution.requirements[%zu].achieved", k));
		put(j, o, "shortfall",
		    num(j, q->shortfall, "solution.requirements[%zu].shortfall", k));
		put(j, o, "shadow_price",
		    duals ? num(j, q->shadow_price, "solution.requirements[%zu].shadow_price", k)
			  : json_null());
		push(j, a, o);
	}
	return a;
}

static json_t *build_forces(struct jb *j, const struct report_ctx *rc)
{
	const struct plan *p = rc->plan;
	json_t *a = json_array();

	for (size_t k = 0; k < rc->res->nforce; k++) {
		const struct res_force *f = &rc->res->force[k];
		json_t *o = json_object();
		put(j, o, "deployment",
		    id(j, rpt_deployment_id(p, f->deployment), f->deployment, "deployment",
		       "forces", k));
		put(j, o, "year", json_integer(f->year));
		put(j, o, "target", num(j, f->target, "solution.forces[%zu].target", k));
		put(j, o, "deployed", num(j, f->deployed, "solution.forces[%zu].deployed", k));
		put(j, o, "committed", num(j, f->committed, "solution.forces[%zu].committed", k));
		put(j, o, "shortfall", num(j, f->shortfall, "solution.forces[%zu].shortfall", k));
		put(j, o, "cost_eur", num(j, f->cost_eur, "solution.forces[%zu].cost_eur", k));
		push(j, a, o);
	}
	return a;
}

static json_t *build_ukraine(struct jb *j, const struct report_ctx *rc)
{
	const struct plan *p = rc->plan;
	const struct ukraine *u = &p->ukraine;
	int on = u->enabled && rc->res->ukraine_brigades;
	json_t *o = json_object(), *b = json_array();

	put(j, o, "enabled", json_boolean(on));
	put(j, o, "buyer", on ? str(j, rpt_buyer_id(p, u->buyer), "ukraine.buyer") : json_null());
	put(j, o, "capability",
	    on ? str(j, rpt_capability_id(p, u->capability), "ukraine.capability") : json_null());
	for (int t = 0; on && t < p->nyears; t++) {
		json_t *y = json_object();
		put(j, y, "year", json_integer(p->start_year + t));
		put(j, y, "equipped",
		    num(j, rc->res->ukraine_brigades[t], "solution.ukraine.brigades[%d].equipped",
			t));
		push(j, b, y);
	}
	put(j, o, "brigades", b);
	return o;
}

static json_t *build_solution(struct jb *j, const struct report_ctx *rc)
{
	const struct solution *s = rc->sol;
	const struct results *r = rc->res;
	json_t *o = json_object(), *rk = json_object();
	int duals = s->has_duals;

	if (!duals)
		warn(j,
		     "no dual values for this solution: solution.requirements[].shadow_price and "
		     "solution.funding[].marginal_value are null");
	put(j, o, "status", json_string(sol_status_name(r->status)));
	put(j, o, "message", str(j, s->message, "solution.message"));
	put(j, o, "objective", num(j, r->objective, "solution.objective"));
	put(j, o, "total_spend_eur", num(j, r->total_spend_eur, "solution.total_spend_eur"));
	put(j, o, "purchase_eur", num(j, r->purchase_eur, "solution.purchase_eur"));
	put(j, o, "personnel_eur", num(j, r->personnel_eur, "solution.personnel_eur"));
	put(j, o, "mip_gap", num(j, s->mip_gap, "solution.mip_gap"));
	put(j, o, "iterations", json_integer(s->iterations));
	put(j, rk, "max_violation", num(j, s->max_violation, "solution.recheck.max_violation"));
	put(j, rk, "ok", json_boolean(s->violation == NULL && s->status != SOL_FAILED));
	put(j, o, "recheck", rk);
	put(j, o, "funding", build_funding(j, rc, duals));
	put(j, o, "allocation", build_allocation(j, rc));
	put(j, o, "requirements", build_requirements(j, rc, duals));
	put(j, o, "forces", build_forces(j, rc));
	put(j, o, "ukraine", build_ukraine(j, rc));
	return o;
}

int report_json(FILE *f, const struct report_ctx *rc)
{
	unsigned long lost = alloc_failures();
	struct jb j = {json_array(), 0};
	json_t *root = json_object();
	int rc_ = -1;

	if (!j.warnings || !root) {
		j.oom = 1;
		goto out;
	}
	put(&j, root, "schema", json_string(REPORT_SCHEMA));
	put(&j, root, "tool", build_tool(&j, rc));
	put(&j, root, "plan", build_plan(&j, rc->plan));
	put(&j, root, "run", build_run(&j, rc));
	put(&j, root, "solution", build_solution(&j, rc));
	if (rc->scenarios)
		put(&j, root, "scenarios", rpt_scen_json(rc));
	if (rc->ranging)
		put(&j, root, "ranging", rpt_sens_json_ranging(rc));
	if (rc->tornado)
		put(&j, root, "tornado", rpt_sens_json_tornado(rc->tornado));
	/* Last, so that every warning raised while building the rest is in it. */
	json_incref(j.warnings);
	put(&j, root, "warnings", j.warnings);
	/* a builder may have turned a failed allocation into a null value */
	if (alloc_failures() != lost)
		j.oom = 1;
	if (j.oom)
		goto out;
	if (json_dumpf(root, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17)) ==
		0 &&
	    fputc('\n', f) != EOF && !ferror(f))
		rc_ = 0;
out:
	if (j.oom)
		errno = ENOMEM;
	json_decref(root);
	json_decref(j.warnings);
	return rc_;
}
