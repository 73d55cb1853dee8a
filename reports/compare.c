/* compare.c - `porcupine compare`: two report.json documents side by side.  The differences
 * are computed once into tables (key, value in A, value in B), biggest change first, and
 * then written as Markdown, HTML with charts, JSON, CSV and a terminal summary. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "alloc.h"
#include "afile.h"
#include "compare.h"
#include "report.h"
#include "report_int.h"
#include "svg.h"
#include "views.h"

#define MD_ROWS	     25 /* rows per table in compare.md / compare.html before "N more" */
#define SUMMARY_ROWS 5	/* rows per section on the terminal */
#define CHART_ROWS   15 /* bars per chart */

const char *compare_strerror(int err)
{
	switch (err) {
	case COMPARE_OK:
		return "no error";
	case COMPARE_EINPUT:
		return "the runs cannot be compared";
	case COMPARE_EWRITE:
		return "the comparison could not be written";
	}
	return "unknown error";
}

/* ---- the differences ------------------------------------------------------------------------ */

struct drow {
	char *key;	  /* owned */
	const char *name; /* borrowed from a document, or NULL */
	const char *unit; /* borrowed, or NULL */
	double a, b;
	int in_a, in_b;
};

struct dtab {
	const char *id;	   /* "spend_category": the CSV section and JSON key */
	const char *title; /* "Spend by category" */
	const char *what;  /* column title: "Category" */
	enum svg_unit unit;
	struct drow *v;
	size_t n, cap;
	size_t nsame; /* rows equal on both sides (dropped) */
};

/* Per capability and year. */
struct dcap {
	char *cap; /* owned */
	const char *name, *unit;
	long year;
	double target_a, target_b, ach_a, ach_b, sh_a, sh_b;
};

enum { SP_CATEGORY, SP_ITEM, SP_BUYER, SP_SOURCE, SP_YEAR, NSPEND };

struct cmp {
	const json_t *a, *b;
	char *path_a, *path_b;
	struct dtab totals, params, spend[NSPEND], shortfall, only_a, only_b;
	struct dcap *caps;
	size_t ncaps, capcap;
	json_t *set_a, *set_b; /* run.set entries on one side only (arrays, owned) */
	int same_plan;	       /* same sha256 */
	int oom;
};

static int differs(double a, double b, int in_a, int in_b)
{
	if (in_a != in_b)
		return 1;
	if (!isfinite(a) || !isfinite(b))
		return isfinite(a) != isfinite(b);
	return fabs(a - b) > 1e-9 * fmax(1.0, fmax(fabs(a), fabs(b)));
}

static struct drow *row_get(struct cmp *c, struct dtab *t, const char *key)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].key, key))
			return &t->v[i];
	if (t->n == t->cap) {
		size_t nc = t->cap ? t->cap * 2 : 32;
		struct drow *nv = pc_realloc(t->v, nc * sizeof(*nv));
		if (!nv) {
			c->oom = 1;
			return NULL;
		}
		t->v = nv;
		t->cap = nc;
	}
	struct drow *r = &t->v[t->n];
	memset(r, 0, sizeof(*r));
	r->key = pc_strdup(key);
	if (!r->key) {
		c->oom = 1;
		return NULL;
	}
	t->n++;
	return r;
}

static void row_set(struct cmp *c, struct dtab *t, const char *key, const char *name,
		    const char *unit, int side, double v)
{
	struct drow *r = row_get(c, t, key);
	if (!r)
		return;
	if (!r->name)
		r->name = name;
	if (!r->unit)
		r->unit = unit;
	if (side == 0) {
		r->a += v;
		r->in_a = 1;
	} else {
		r->b += v;
		r->in_b = 1;
	}
}

static double change(const struct drow *r)
{
	double d = (r->in_b ? r->b : 0) - (r->in_a ? r->a : 0);
	return isfinite(d) ? fabs(d) : HUGE_VAL;
}

static int by_change(const void *x, const void *y)
{
	const struct drow *p = x, *q = y;
	double a = change(p), b = change(q);
	if (a != b)
		return a > b ? -1 : 1;
	return strcmp(p->key, q->key);
}

/* Drop the rows equal on both sides; the rest biggest change first. */
static void dtab_finish(struct dtab *t)
{
	size_t k = 0;
	for (size_t i = 0; i < t->n; i++) {
		struct drow *r = &t->v[i];
		if (differs(r->a, r->b, r->in_a, r->in_b))
			t->v[k++] = *r;
		else {
			free(r->key);
			t->nsame++;
		}
	}
	t->n = k;
	if (k > 1)
		qsort(t->v, k, sizeof(*t->v), by_change);
}

static void dtab_release(struct dtab *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].key);
	free(t->v);
	t->v = NULL;
	t->n = t->cap = 0;
}

static const char *name_in(const struct cmp *c, const char *section, const char *id)
{
	const char *n = rv_name(c->a, section, id);
	return n == id ? rv_name(c->b, section, id) : n;
}

/* Sums of `val` by `key` over solution.<arr> of both documents. */
static void spend_by(struct cmp *c, struct dtab *t, const char *arr, const char *key,
		     const char *val, const char *section)
{
	for (int side = 0; side < 2; side++) {
		const json_t *doc = side ? c->b : c->a;
		char path[64], buf[32];
		size_t i;
		json_t *o;
		snprintf(path, sizeof(path), "solution.%s", arr);
		json_array_foreach(rv_get(doc, path), i, o)
		{
			const char *k = rv_key(o, key, buf, sizeof(buf));
			double v = rv_field(o, val);
			if (!k)
				continue;
			row_set(c, t, k, section ? rv_name(doc, section, k) : NULL, NULL, side,
				isfinite(v) ? v : 0);
		}
	}
}

static void add_total(struct cmp *c, const char *key, const char *name, const char *path)
{
	double a = rv_num(c->a, path), b = rv_num(c->b, path);
	struct drow *r = row_get(c, &c->totals, key);
	if (!r)
		return;
	r->name = name;
	r->a = a;
	r->b = b;
	r->in_a = isfinite(a);
	r->in_b = isfinite(b);
}

static void params_side(struct cmp *c, int side)
{
	const json_t *p = rv_get(side ? c->b : c->a, "plan.parameters");
	const char *k;
	json_t *v;
	char key[600];
	json_object_foreach((json_t *)p, k, v)
	{
		if (json_is_number(v)) {
			row_set(c, &c->params, k, NULL, NULL, side, json_number_value(v));
		} else if (json_is_array(v)) {
			double y0 = rv_num(side ? c->b : c->a, "plan.horizon.start");
			size_t i;
			json_t *x;
			json_array_foreach(v, i, x)
			{
				if (isfinite(y0))
					snprintf(key, sizeof(key), "%s.%.0f", k, y0 + (double)i);
				else
					snprintf(key, sizeof(key), "%s[%zu]", k, i);
				row_set(c, &c->params, key, NULL, NULL, side,
					json_is_number(x) ? json_number_value(x) : NAN);
			}
		}
	}
}

/* run.set entries of `from` that `other` does not have. */
static json_t *set_only(const json_t *from, const json_t *other)
{
	json_t *out = json_array(), *s, *t;
	size_t i, j;
	if (!out)
		return NULL;
	json_array_foreach(rv_get(from, "run.set"), i, s)
	{
		int found = 0;
		json_array_foreach(rv_get(other, "run.set"), j, t) found |= json_equal(s, t);
		if (!found && json_array_append(out, s)) {
			json_decref(out);
			return NULL;
		}
	}
	return out;
}

static struct dcap *cap_get(struct cmp *c, const char *cap, long year)
{
	for (size_t i = 0; i < c->ncaps; i++)
		if (c->caps[i].year == year && !strcmp(c->caps[i].cap, cap))
			return &c->caps[i];
	if (c->ncaps == c->capcap) {
		size_t nc = c->capcap ? c->capcap * 2 : 64;
		struct dcap *nv = pc_realloc(c->caps, nc * sizeof(*nv));
		if (!nv) {
			c->oom = 1;
			return NULL;
		}
		c->caps = nv;
		c->capcap = nc;
	}
	struct dcap *d = &c->caps[c->ncaps];
	memset(d, 0, sizeof(*d));
	d->cap = pc_strdup(cap);
	if (!d->cap) {
		c->oom = 1;
		return NULL;
	}
	d->year = year;
	d->target_a = d->target_b = d->ach_a = d->ach_b = d->sh_a = d->sh_b = NAN;
	c->ncaps++;
	return d;
}

static double cap_change(const struct dcap *d)
{
	double sa = isfinite(d->sh_a) ? d->sh_a : 0, sb = isfinite(d->sh_b) ? d->sh_b : 0;
	double aa = isfinite(d->ach_a) ? d->ach_a : 0, ab = isfinite(d->ach_b) ? d->ach_b : 0;
	double t = fmax(1.0, fmax(isfinite(d->target_a) ? d->target_a : 0,
				  isfinite(d->target_b) ? d->target_b : 0));
	return fmax(fabs(sb - sa), fabs(ab - aa)) / t;
}

static int cap_differs(const struct dcap *d)
{
	return differs(d->ach_a, d->ach_b, isfinite(d->ach_a), isfinite(d->ach_b)) ||
	       differs(d->sh_a, d->sh_b, isfinite(d->sh_a), isfinite(d->sh_b)) ||
	       differs(d->target_a, d->target_b, isfinite(d->target_a), isfinite(d->target_b));
}

static int by_cap_change(const void *x, const void *y)
{
	const struct dcap *p = x, *q = y;
	double a = cap_change(p), b = cap_change(q);
	if (a != b)
		return a > b ? -1 : 1;
	int k = strcmp(p->cap, q->cap);
	return k ? k : (p->year > q->year) - (p->year < q->year);
}

static void capabilities(struct cmp *c)
{
	for (int side = 0; side < 2; side++) {
		const json_t *doc = side ? c->b : c->a;
		size_t i;
		json_t *o;
		json_array_foreach(rv_get(doc, "solution.requirements"), i, o)
		{
			const char *cap = json_string_value(json_object_get(o, "capability"));
			double y = rv_field(o, "year");
			if (!cap || !isfinite(y))
				continue;
			struct dcap *d = cap_get(c, cap, (long)y);
			if (!d)
				return;
			d->name = name_in(c, "capabilities", cap);
			if (!d->unit)
				d->unit = json_string_value(json_object_get(o, "unit"));
			double t = rv_field(o, "target"), a = rv_field(o, "achieved");
			double s = rv_field(o, "shortfall");
			*(side ? &d->target_b : &d->target_a) = t;
			*(side ? &d->ach_b : &d->ach_a) = a;
			*(side ? &d->sh_b : &d->sh_a) = s;
			row_set(c, &c->shortfall, cap, d->name, d->unit, side, isfinite(s) ? s : 0);
		}
	}
	size_t k = 0;
	for (size_t i = 0; i < c->ncaps; i++) {
		if (cap_differs(&c->caps[i]))
			c->caps[k++] = c->caps[i];
		else
			free(c->caps[i].cap);
	}
	c->ncaps = k;
	if (k > 1)
		qsort(c->caps, k, sizeof(*c->caps), by_cap_change);
}

static void only_one_side(struct cmp *c)
{
	const struct dtab *it = &c->spend[SP_ITEM];
	for (size_t i = 0; i < it->n; i++) {
		const struct drow *r = &it->v[i];
		double a = r->in_a ? r->a : 0, b = r->in_b ? r->b : 0;
		if (a > 0 && !(b > 0))
			row_set(c, &c->only_a, r->key, r->name, NULL, 0, a);
		if (b > 0 && !(a > 0))
			row_set(c, &c->only_b, r->key, r->name, NULL, 1, b);
	}
}

static void cmp_release(struct cmp *c)
{
	dtab_release(&c->totals);
	dtab_release(&c->params);
	for (int k = 0; k < NSPEND; k++)
		dtab_release(&c->spend[k]);
	dtab_release(&c->shortfall);
	dtab_release(&c->only_a);
	dtab_release(&c->only_b);
	for (size_t i = 0; i < c->ncaps; i++)
		free(c->caps[i].cap);
	free(c->caps);
	json_decref(c->set_a);
	json_decref(c->set_b);
	free(c->path_a);
	free(c->path_b);
}

static void cmp_build(struct cmp *c)
{
	static const struct {
		const char *id, *title, *what, *key, *section;
	} sp[NSPEND] = {
	    {"spend_category", "Spend by category", "Category", "category", "categories"},
	    {"spend_item", "Spend by item", "Item", "item", "items"},
	    {"spend_buyer", "Spend by buyer", "Buyer", "buyer", "buyers"},
	    {"spend_source", "Spend by source of money", "Source", "source", "funding"},
	    {"spend_year", "Spend by year of order", "Year", "year", NULL},
	};
	c->totals = (struct dtab){.id = "total", .title = "Cost", .what = "", .unit = SVG_UNIT_EUR};
	add_total(c, "objective", "Objective (cost of money and purchases + penalties)",
		  "solution.objective");
	add_total(c, "total_spend_eur", "Total spend", "solution.total_spend_eur");
	add_total(c, "purchase_eur", "Purchases", "solution.purchase_eur");
	add_total(c, "personnel_eur", "Personnel", "solution.personnel_eur");
	for (int k = 0; k < NSPEND; k++) {
		c->spend[k] = (struct dtab){
		    .id = sp[k].id, .title = sp[k].title, .what = sp[k].what, .unit = SVG_UNIT_EUR};
		spend_by(c, &c->spend[k], "allocation", sp[k].key, "eur", sp[k].section);
	}
	/* Personnel counts as a category of spend, as in report.md and report.html. */
	for (int side = 0; side < 2; side++) {
		double p = rv_num(side ? c->b : c->a, "solution.personnel_eur");
		if (isfinite(p) && p != 0)
			row_set(c, &c->spend[SP_CATEGORY], "personnel",
				"Personnel (deployed forces)", NULL, side, p);
	}
	c->params = (struct dtab){.id = "parameter",
				  .title = "Plan parameters that differ",
				  .what = "Parameter",
				  .unit = SVG_UNIT_NUMBER};
	params_side(c, 0);
	params_side(c, 1);
	c->shortfall = (struct dtab){.id = "capability_shortfall",
				     .title = "Shortfall by capability, summed over the years",
				     .what = "Capability",
				     .unit = SVG_UNIT_NUMBER};
	capabilities(c);
	c->only_a = (struct dtab){
	    .id = "only_a", .title = "Bought only in A", .what = "Item", .unit = SVG_UNIT_EUR};
	c->only_b = (struct dtab){
	    .id = "only_b", .title = "Bought only in B", .what = "Item", .unit = SVG_UNIT_EUR};
	only_one_side(c);
	dtab_finish(&c->totals);
	dtab_finish(&c->params);
	for (int k = 0; k < NSPEND; k++)
		dtab_finish(&c->spend[k]);
	dtab_finish(&c->shortfall);
	dtab_finish(&c->only_a);
	dtab_finish(&c->only_b);
	c->set_a = set_only(c->a, c->b);
	c->set_b = set_only(c->b, c->a);
	if (!c->set_a || !c->set_b)
		c->oom = 1;
	const char *ha = rv_str(c->a, "plan.sha256"), *hb = rv_str(c->b, "plan.sha256");
	c->same_plan = ha && hb && !strcmp(ha, hb);
}

static size_t ndiffs(const struct cmp *c)
{
	size_t n = c->totals.n + c->params.n + c->shortfall.n + c->ncaps +
		   json_array_size(c->set_a) + json_array_size(c->set_b) + !c->same_plan;
	for (int k = 0; k < NSPEND; k++)
		n += c->spend[k].n;
	return n;
}

/* ---- reading and checking the runs --------------------------------------------------------- */

static char *run_path(const char *run)
{
	struct stat st;
	size_t n = strlen(run) + 16;
	char *p = pc_malloc(n);
	if (!p)
		return NULL;
	if (stat(run, &st) == 0 && S_ISDIR(st.st_mode))
		snprintf(p, n, "%s%sreport.json", run, run[strlen(run) - 1] == '/' ? "" : "/");
	else
		snprintf(p, n, "%s", run);
	return p;
}

static int same_ids(const json_t *a, const json_t *b, const char *section)
{
	char path[64];
	snprintf(path, sizeof(path), "plan.names.%s", section);
	const json_t *x = rv_get(a, path), *y = rv_get(b, path);
	const char *k;
	json_t *v;
	if (!json_object_size(x) || !json_object_size(y))
		return -1; /* unknown */
	json_object_foreach((json_t *)x, k, v) if (json_object_get(y, k)) return 1;
	return 0;
}

static int check_comparable(const struct cmp *c, struct diag_list *dl)
{
	const char *sa = rv_str(c->a, "schema"), *sb = rv_str(c->b, "schema");
	if (strcmp(sa, sb)) {
		diag_add(dl, DIAG_ERROR, c->path_b, 0, 0, NULL,
			 "reports of different schema versions cannot be compared: '%s' (A) and "
			 "'%s' (B); write both with the same porcupine",
			 sa, sb);
		return -1;
	}
	double a0 = rv_num(c->a, "plan.horizon.start"), a1 = rv_num(c->a, "plan.horizon.end");
	double b0 = rv_num(c->b, "plan.horizon.start"), b1 = rv_num(c->b, "plan.horizon.end");
	if (isfinite(a0) && isfinite(b0) && (a0 != b0 || a1 != b1)) {
		diag_add(dl, DIAG_ERROR, c->path_b, 0, 0, NULL,
			 "the plans cover different years (%.0f-%.0f in A, %.0f-%.0f in B): their "
			 "allocations cannot be compared year by year",
			 a0, a1, b0, b1);
		return -1;
	}
	if (same_ids(c->a, c->b, "capabilities") == 0 && same_ids(c->a, c->b, "categories") == 0) {
		diag_add(dl, DIAG_ERROR, c->path_b, 0, 0, NULL,
			 "the plans have no capability and no category in common: nothing to "
			 "compare");
		return -1;
	}
	return 0;
}

/* ---- writers ---------------------------------------------------------------------------- */

/* A diagnostic naming errno's reason (strerror_r: thread-safe). */
static void fail(struct diag_list *dl, const char *path, const char *what, int e)
{
	char buf[256];
	if (strerror_r(e, buf, sizeof(buf)) != 0)
		snprintf(buf, sizeof(buf), "error %d", e);
	diag_add(dl, DIAG_ERROR, path, 0, 0, NULL, "%s: %s", what, buf);
}

static void money(char *b, size_t n, double v)
{
	report_fmt_money(b, n, v);
}

/* A value as a person reads it: money, or a quantity. */
static void fmt(char *b, size_t n, double v, enum svg_unit u, int present)
{
	if (!present)
		snprintf(b, n, "-");
	else if (u == SVG_UNIT_EUR)
		money(b, n, v);
	else
		rpt_fmt_qty(b, n, v);
}

static void fmt_delta(char *b, size_t n, const struct drow *r, enum svg_unit u)
{
	double d = (r->in_b ? r->b : 0) - (r->in_a ? r->a : 0);
	char x[44];
	fmt(x, sizeof(x), fabs(d), u, 1);
	snprintf(b, n, "%s%s", d > 0 ? "+" : d < 0 ? "-" : "", x);
}

static void fmt_pct(char *b, size_t n, const struct drow *r)
{
	if (!r->in_a || !r->in_b || r->a == 0 || !isfinite(r->a) || !isfinite(r->b))
		snprintf(b, n, "-");
	else
		snprintf(b, n, "%+.1f%%", 100.0 * (r->b - r->a) / fabs(r->a));
}

static const char *label(const struct drow *r)
{
	return r->name ? r->name : r->key;
}

/* ---- compare.md ---------------------------------------------------------------------------- */

static void md_head(FILE *f, const struct cmp *c)
{
	fprintf(f, "# Comparison of two allocation reports\n\n");
	for (int side = 0; side < 2; side++) {
		const json_t *d = side ? c->b : c->a;
		const char *h = rv_str(d, "plan.sha256");
		fprintf(f, "- **%c**: `", side ? 'B' : 'A');
		rpt_md_text(f, side ? c->path_b : c->path_a);
		fprintf(f, "`: plan ");
		rpt_md_text(f, rv_str(d, "plan.name"));
		fprintf(f, " (data %s, sha256 %.12s), %s, status %s\n",
			rv_str(d, "plan.data_date") ? rv_str(d, "plan.data_date") : "-",
			h ? h : "-", rv_str(d, "run.command") ? rv_str(d, "run.command") : "-",
			rv_str(d, "solution.status") ? rv_str(d, "solution.status") : "-");
	}
	fputc('\n', f);
}

static void md_table(FILE *f, const struct dtab *t, int with_pct)
{
	char a[48], b[48], d[48], p[32];
	if (t->n == 0)
		return;
	fprintf(f, "## %s\n\n", t->title);
	fprintf(f, "| %s | A | B | B - A |%s\n|---|---:|---:|---:|%s\n", t->what,
		with_pct ? " change |" : "", with_pct ? "---:|" : "");
	for (size_t i = 0; i < t->n && i < MD_ROWS; i++) {
		const struct drow *r = &t->v[i];
		fmt(a, sizeof(a), r->a, t->unit, r->in_a);
		fmt(b, sizeof(b), r->b, t->unit, r->in_b);
		fmt_delta(d, sizeof(d), r, t->unit);
		fmt_pct(p, sizeof(p), r);
		fputs("| ", f);
		rpt_md_text(f, label(r));
		if (r->unit) {
			fputs(" (", f);
			rpt_md_text(f, r->unit);
			fputc(')', f);
		}
		fprintf(f, " | %s | %s | %s |", a, b, d);
		if (with_pct)
			fprintf(f, " %s |", p);
		fputc('\n', f);
	}
	if (t->n > MD_ROWS)
		fprintf(f, "\n%zu more rows in compare.csv.\n", t->n - MD_ROWS);
	if (t->nsame)
		fprintf(f, "\n%zu %s the same in both.\n", t->nsame,
			t->nsame == 1 ? "other is" : "others are");
	fputc('\n', f);
}

static void md_params(FILE *f, const struct cmp *c)
{
	char a[64], b[64];
	size_t i;
	json_t *s;
	fputs("## Plan parameters that differ\n\n", f);
	if (c->same_plan)
		fputs("Both runs read the same plan (same sha256).", f);
	else
		fputs("The runs read different plans (different sha256).", f);
	if (json_array_size(c->set_a) || json_array_size(c->set_b)) {
		fputs(" Assignments given with `--set`:", f);
		json_array_foreach(c->set_a, i, s)
		{
			fputs(" A `", f);
			rpt_md_text(f, json_string_value(s));
			fputc('`', f);
		}
		json_array_foreach(c->set_b, i, s)
		{
			fputs(" B `", f);
			rpt_md_text(f, json_string_value(s));
			fputc('`', f);
		}
		fputc('.', f);
	}
	fputs("\n\n", f);
	if (c->params.n == 0) {
		fputs("No plan parameter differs.\n\n", f);
		return;
	}
	fputs("| Parameter | A | B |\n|---|---:|---:|\n", f);
	for (size_t k = 0; k < c->params.n && k < MD_ROWS * 2; k++) {
		const struct drow *r = &c->params.v[k];
		snprintf(a, sizeof(a), r->in_a ? "%.6g" : "-", r->a);
		snprintf(b, sizeof(b), r->in_b ? "%.6g" : "-", r->b);
		fputs("| `", f);
		rpt_md_text(f, r->key);
		fprintf(f, "` | %s | %s |\n", a, b);
	}
	if (c->params.n > MD_ROWS * 2)
		fprintf(f, "\n%zu more in compare.csv.\n", c->params.n - MD_ROWS * 2);
	fputc('\n', f);
}

static void md_caps(FILE *f, const struct cmp *c)
{
	char b[6][48];
	if (c->ncaps == 0)
		return;
	fputs(
	    "## Capabilities by year: achieved and shortfall\n\nBiggest change (as a share of "
	    "the target) first.\n\n| Capability | Year | Target A | Target B | Achieved A | "
	    "Achieved B | Shortfall A | Shortfall B |\n|---|---:|---:|---:|---:|---:|---:|---:|\n",
	    f);
	for (size_t i = 0; i < c->ncaps && i < MD_ROWS; i++) {
		const struct dcap *d = &c->caps[i];
		double v[6] = {d->target_a, d->target_b, d->ach_a, d->ach_b, d->sh_a, d->sh_b};
		for (int k = 0; k < 6; k++)
			fmt(b[k], sizeof(b[k]), v[k], SVG_UNIT_NUMBER, isfinite(v[k]));
		fputs("| ", f);
		rpt_md_text(f, d->name ? d->name : d->cap);
		fprintf(f, " | %ld | %s | %s | %s | %s | %s | %s |\n", d->year, b[0], b[1], b[2],
			b[3], b[4], b[5]);
	}
	if (c->ncaps > MD_ROWS)
		fprintf(f, "\n%zu more rows in compare.csv.\n", c->ncaps - MD_ROWS);
	fputc('\n', f);
}

static int write_md(FILE *f, const struct cmp *c)
{
	md_head(f, c);
	if (ndiffs(c) == 0) {
		fputs("**No differences.** The two reports have the same plan, allocation, "
		      "funding and capability results.\n",
		      f);
		return ferror(f) ? -1 : 0;
	}
	md_table(f, &c->totals, 1);
	md_params(f, c);
	for (int k = 0; k < NSPEND; k++)
		md_table(f, &c->spend[k], 1);
	md_table(f, &c->only_a, 0);
	md_table(f, &c->only_b, 0);
	md_table(f, &c->shortfall, 0);
	md_caps(f, c);
	return ferror(f) ? -1 : 0;
}

/* ---- compare.csv ------------------------------------------------------------------------- */

static void csv_rows(FILE *f, const struct dtab *t)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct drow *r = &t->v[i];
		rpt_csv_str(f, t->id);
		fputc(',', f);
		rpt_csv_str(f, r->key);
		fputc(',', f);
		rpt_csv_str(f, r->name);
		fputc(',', f);
		rpt_csv_str(f, r->unit ? r->unit : t->unit == SVG_UNIT_EUR ? "EUR" : NULL);
		fputs(",,", f);
		if (r->in_a)
			rpt_csv_num(f, r->a);
		fputc(',', f);
		if (r->in_b)
			rpt_csv_num(f, r->b);
		fputc(',', f);
		rpt_csv_num(f, (r->in_b ? r->b : 0) - (r->in_a ? r->a : 0));
		fputs(RPT_CSV_EOL, f);
	}
}

static int write_csv(FILE *f, const struct cmp *c)
{
	size_t i;
	json_t *s;
	fputs("section,key,name,unit,year,a,b,diff" RPT_CSV_EOL, f);
	csv_rows(f, &c->totals);
	if (!c->same_plan) {
		fputs("plan,sha256,,,,", f);
		rpt_csv_str(f, rv_str(c->a, "plan.sha256"));
		fputc(',', f);
		rpt_csv_str(f, rv_str(c->b, "plan.sha256"));
		fputs("," RPT_CSV_EOL, f);
	}
	json_array_foreach(c->set_a, i, s)
	{
		fputs("set_only_a,", f);
		rpt_csv_str(f, json_string_value(s));
		fputs(",,,,,," RPT_CSV_EOL, f);
	}
	json_array_foreach(c->set_b, i, s)
	{
		fputs("set_only_b,", f);
		rpt_csv_str(f, json_string_value(s));
		fputs(",,,,,," RPT_CSV_EOL, f);
	}
	csv_rows(f, &c->params);
	for (int k = 0; k < NSPEND; k++)
		csv_rows(f, &c->spend[k]);
	csv_rows(f, &c->only_a);
	csv_rows(f, &c->only_b);
	csv_rows(f, &c->shortfall);
	for (i = 0; i < c->ncaps; i++) {
		const struct dcap *d = &c->caps[i];
		static const char *const what[] = {"capability_target", "capability_achieved",
						   "capability_shortfall_year"};
		double v[3][2] = {
		    {d->target_a, d->target_b}, {d->ach_a, d->ach_b}, {d->sh_a, d->sh_b}};
		for (int k = 0; k < 3; k++) {
			if (!differs(v[k][0], v[k][1], isfinite(v[k][0]), isfinite(v[k][1])))
				continue;
			fprintf(f, "%s,", what[k]);
			rpt_csv_str(f, d->cap);
			fputc(',', f);
			rpt_csv_str(f, d->name);
			fputc(',', f);
			rpt_csv_str(f, d->unit);
			fprintf(f, ",%ld,", d->year);
			rpt_csv_num(f, v[k][0]);
			fputc(',', f);
			rpt_csv_num(f, v[k][1]);
			fputc(',', f);
			rpt_csv_num(f, (isfinite(v[k][1]) ? v[k][1] : 0) -
					   (isfinite(v[k][0]) ? v[k][0] : 0));
			fputs(RPT_CSV_EOL, f);
		}
	}
	return ferror(f) ? -1 : 0;
}

/* ---- compare.json ------------------------------------------------------------------------- */

static json_t *jnum(double v, int present)
{
	return present && isfinite(v) ? json_real(rpt_nozero(v)) : json_null();
}

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *json_dtab(const struct dtab *t)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < t->n; i++) {
		const struct drow *r = &t->v[i];
		json_t *o = json_object();
		if (!o || json_array_append_new(a, o)) {
			json_decref(a);
			return NULL;
		}
		json_object_set_new(o, "key", jstr(r->key));
		if (r->name)
			json_object_set_new(o, "name", jstr(r->name));
		if (r->unit)
			json_object_set_new(o, "unit", jstr(r->unit));
		json_object_set_new(o, "a", jnum(r->a, r->in_a));
		json_object_set_new(o, "b", jnum(r->b, r->in_b));
		json_object_set_new(o, "diff",
				    jnum((r->in_b ? r->b : 0) - (r->in_a ? r->a : 0), 1));
	}
	return a;
}

static json_t *json_side(const struct cmp *c, int side)
{
	const json_t *d = side ? c->b : c->a;
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_object_set_new(o, "path", jstr(side ? c->path_b : c->path_a));
	json_object_set_new(o, "plan", jstr(rv_str(d, "plan.name")));
	json_object_set_new(o, "sha256", jstr(rv_str(d, "plan.sha256")));
	json_object_set_new(o, "command", jstr(rv_str(d, "run.command")));
	json_object_set_new(o, "status", jstr(rv_str(d, "solution.status")));
	json_t *set = rv_get(d, "run.set");
	json_object_set_new(o, "set", set ? json_deep_copy(set) : json_array());
	return o;
}

static int write_json(FILE *f, const struct cmp *c)
{
	unsigned long lost = alloc_failures();
	json_t *root = json_object(), *spend = json_object(), *plan = json_object();
	json_t *caps = json_array();
	int rc = -1;
	if (!root || !spend || !plan || !caps)
		goto out;
	json_object_set_new(root, "schema", json_string(COMPARE_SCHEMA));
	json_object_set_new(root, "report_schema", jstr(rv_str(c->a, "schema")));
	json_object_set_new(root, "a", json_side(c, 0));
	json_object_set_new(root, "b", json_side(c, 1));
	json_object_set_new(root, "differences", json_integer((json_int_t)ndiffs(c)));
	json_object_set_new(root, "totals", json_dtab(&c->totals));
	json_object_set_new(plan, "same_sha256", json_boolean(c->same_plan));
	json_object_set_new(plan, "set_only_a", json_deep_copy(c->set_a));
	json_object_set_new(plan, "set_only_b", json_deep_copy(c->set_b));
	json_object_set_new(plan, "parameters", json_dtab(&c->params));
	json_object_set(root, "plan", plan);
	for (int k = 0; k < NSPEND; k++)
		json_object_set_new(spend, c->spend[k].id + strlen("spend_"),
				    json_dtab(&c->spend[k]));
	json_object_set(root, "spend", spend);
	json_object_set_new(root, "only_a", json_dtab(&c->only_a));
	json_object_set_new(root, "only_b", json_dtab(&c->only_b));
	json_object_set_new(root, "shortfall_by_capability", json_dtab(&c->shortfall));
	for (size_t i = 0; i < c->ncaps; i++) {
		const struct dcap *d = &c->caps[i];
		json_t *o = json_object();
		if (!o || json_array_append_new(caps, o))
			goto out;
		json_object_set_new(o, "capability", jstr(d->cap));
		json_object_set_new(o, "year", json_integer(d->year));
		json_object_set_new(o, "unit", jstr(d->unit));
		json_object_set_new(o, "target_a", jnum(d->target_a, 1));
		json_object_set_new(o, "target_b", jnum(d->target_b, 1));
		json_object_set_new(o, "achieved_a", jnum(d->ach_a, 1));
		json_object_set_new(o, "achieved_b", jnum(d->ach_b, 1));
		json_object_set_new(o, "shortfall_a", jnum(d->sh_a, 1));
		json_object_set_new(o, "shortfall_b", jnum(d->sh_b, 1));
	}
	json_object_set(root, "capabilities", caps);
	if (alloc_failures() != lost) { /* a value above became null or went missing */
		errno = ENOMEM;
		goto out;
	}
	if (json_dumpf(root, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17)) ==
		0 &&
	    fputc('\n', f) != EOF && !ferror(f))
		rc = 0;
out:
	json_decref(root);
	json_decref(spend);
	json_decref(plan);
	json_decref(caps);
	if (rc)
		errno = errno ? errno : ENOMEM;
	return rc;
}

/* ---- compare.html -------------------------------------------------------------------------- */

static void h(FILE *f, const char *s)
{
	view_html_text(f, s);
}

static void html_table(FILE *f, const struct dtab *t, int with_pct)
{
	char a[48], b[48], d[48], p[32];
	if (t->n == 0)
		return;
	fputs("<table>\n<caption>", f);
	h(f, t->title);
	fputs(", biggest change first</caption>\n<thead><tr><th scope=\"col\">", f);
	h(f, t->what);
	fprintf(f,
		"</th><th scope=\"col\" class=\"n\">A</th><th scope=\"col\" class=\"n\">B</th>"
		"<th scope=\"col\" class=\"n\">B \xE2\x88\x92 A</th>%s</tr></thead>\n<tbody>\n",
		with_pct ? "<th scope=\"col\" class=\"n\">change</th>" : "");
	for (size_t i = 0; i < t->n && i < MD_ROWS; i++) {
		const struct drow *r = &t->v[i];
		fmt(a, sizeof(a), r->a, t->unit, r->in_a);
		fmt(b, sizeof(b), r->b, t->unit, r->in_b);
		fmt_delta(d, sizeof(d), r, t->unit);
		fmt_pct(p, sizeof(p), r);
		fputs("<tr><th scope=\"row\">", f);
		h(f, label(r));
		if (r->unit) {
			fputs(" <span class=\"muted\">(", f);
			h(f, r->unit);
			fputs(")</span>", f);
		}
		fprintf(
		    f, "</th><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>",
		    a, b, d);
		if (with_pct)
			fprintf(f, "<td class=\"n\">%s</td>", p);
		fputs("</tr>\n", f);
	}
	fputs("</tbody>\n</table>\n", f);
	if (t->n > MD_ROWS)
		fprintf(f, "<p class=\"note\">%zu more rows in compare.csv.</p>\n", t->n - MD_ROWS);
}

/* Grouped horizontal bars, A against B, for the first rows of a table. */
static void html_ab_chart(FILE *f, const struct dtab *t, const char *id, const char *title,
			  const char *desc, int *oom)
{
	size_t n = t->n < CHART_ROWS ? t->n : CHART_ROWS;
	if (n == 0)
		return;
	const char **names = pc_calloc(n, sizeof(*names));
	double *v = pc_calloc(2 * n, sizeof(*v));
	if (!names || !v) {
		*oom = 1;
	} else {
		for (size_t i = 0; i < n; i++) {
			names[i] = label(&t->v[i]);
			v[i] = t->v[i].in_a ? t->v[i].a : 0;
			v[n + i] = t->v[i].in_b ? t->v[i].b : 0;
		}
		struct svg_series ser[2] = {{.name = "A", .values = v, .color = 0},
					    {.name = "B", .values = v + n, .color = 5}};
		struct svg_chart c = SVG_CHART_INIT;
		c.type = SVG_HBARS;
		c.id = id;
		c.title = title;
		c.desc = desc;
		c.categories = names;
		c.ncat = n;
		c.series = ser;
		c.nseries = 2;
		c.unit = t->unit;
		c.value_labels = 1;
		c.width = 1000;
		fputs("<figure>\n", f);
		if (svg_write(f, &c) != 0 && errno == ENOMEM)
			*oom = 1;
		fputs("</figure>\n", f);
	}
	free(names);
	free(v);
}

/* Spend by category and year of one side, on a shared scale, categories in the shared
 * `order` so that a category has the same colour in both charts. */
static void html_side_spend(FILE *f, const json_t *doc, int side, double top,
			    const struct rv_keys *order, int *oom)
{
	struct rv_keys years = RV_KEYS_INIT;
	struct rv_pivot pv = RV_PIVOT_INIT;
	struct svg_series ser[SVG_NCOLORS];
	const char *names[SVG_NCOLORS];
	double *vals = NULL;
	char id[16], title[128], desc[256];
	size_t n = 0;

	if (rv_years(&years, doc) < 0)
		goto oom;
	for (size_t y = 0; y < years.n; y++)
		if (rv_keys_add(&pv.cols, years.v[y]) < 0)
			goto oom;
	for (size_t r = 0; r < order->n; r++)
		if (rv_keys_add(&pv.rows, order->v[r]) < 0)
			goto oom;
	if (rv_pivot_build(&pv, rv_get(doc, "solution.allocation"), "category", "year", "eur"))
		goto oom;
	size_t ny = years.n;
	vals = pc_calloc(SVG_NCOLORS * (ny + 1), sizeof(*vals));
	if (!vals)
		goto oom;
	for (size_t r = 0; r < pv.rows.n; r++) {
		size_t s = r < SVG_NCOLORS - 1 || pv.rows.n == SVG_NCOLORS ? r : SVG_NCOLORS - 1;
		names[s] = s == SVG_NCOLORS - 1 && pv.rows.n > SVG_NCOLORS
			       ? "Other categories"
			       : rv_name(doc, "categories", pv.rows.v[r]);
		for (size_t y = 0; y < ny; y++)
			vals[s * ny + y] += rv_pivot_at(&pv, r, y);
	}
	/* The series with spend, each keeping its colour. */
	for (size_t s = 0; s < SVG_NCOLORS && s < pv.rows.n; s++) {
		double t = 0;
		for (size_t y = 0; y < ny; y++)
			t += vals[s * ny + y];
		if (t > 0)
			ser[n++] = (struct svg_series){
			    .name = names[s], .values = vals + s * ny, .color = (int)s};
	}
	if (n == 0 || ny == 0)
		goto out;
	snprintf(id, sizeof(id), "fig-spend-%c", side ? 'b' : 'a');
	snprintf(title, sizeof(title), "%c: purchases by category and year (EUR)",
		 side ? 'B' : 'A');
	snprintf(desc, sizeof(desc),
		 "Stacked bars for run %c, one per year of order, one colour per category; both "
		 "runs' charts share one scale and one colour per category.",
		 side ? 'B' : 'A');
	struct svg_chart c = SVG_CHART_INIT;
	c.type = SVG_STACKED;
	c.id = id;
	c.title = title;
	c.desc = desc;
	c.y_label = "EUR";
	c.categories = (const char *const *)years.v;
	c.ncat = ny;
	c.series = ser;
	c.nseries = n;
	c.unit = SVG_UNIT_EUR;
	c.width = 480;
	c.height = 420;
	c.fixed_range = 1;
	c.range_lo = 0;
	c.range_hi = top;
	fputs("<figure>\n", f);
	if (svg_write(f, &c) != 0 && errno == ENOMEM)
		goto oom;
	fputs("</figure>\n", f);
	goto out;
oom:
	*oom = 1;
out:
	free(vals);
	rv_pivot_release(&pv);
	rv_keys_release(&years);
}

/* The categories of both runs, largest combined spend first. */
static int category_order(struct rv_keys *order, const struct cmp *c)
{
	struct rv_pivot pv = RV_PIVOT_INIT;
	json_t *both = json_array();
	int rc = -1;
	if (both && !json_array_extend(both, rv_get(c->a, "solution.allocation")) &&
	    !json_array_extend(both, rv_get(c->b, "solution.allocation")) &&
	    !rv_pivot_build(&pv, both, "category", NULL, "eur") && !rv_pivot_sort_rows(&pv)) {
		rc = 0;
		for (size_t r = 0; r < pv.rows.n && rc == 0; r++)
			if (rv_pivot_row_total(&pv, r) > 0 && rv_keys_add(order, pv.rows.v[r]) < 0)
				rc = -1;
	}
	json_decref(both);
	rv_pivot_release(&pv);
	return rc;
}

/* The tallest yearly purchase total of a run. */
static double year_top(const json_t *doc)
{
	struct rv_pivot pv = RV_PIVOT_INIT;
	double top = 0;
	if (rv_pivot_build(&pv, rv_get(doc, "solution.allocation"), "year", NULL, "eur") == 0)
		for (size_t r = 0; r < pv.rows.n; r++)
			top = fmax(top, rv_pivot_at(&pv, r, 0));
	rv_pivot_release(&pv);
	return top;
}

static int write_html(FILE *f, const struct cmp *c)
{
	char title[300], gen[96];
	int oom = 0;
	size_t i;
	json_t *s;

	snprintf(title, sizeof(title), "Comparison: %s (A) and %s (B)",
		 rv_str(c->a, "plan.name") ? rv_str(c->a, "plan.name") : "?",
		 rv_str(c->b, "plan.name") ? rv_str(c->b, "plan.name") : "?");
	snprintf(gen, sizeof(gen), "porcupine %s",
		 rv_str(c->a, "tool.version") ? rv_str(c->a, "tool.version") : "");
	view_html_head(f, title, gen);
	fputs(
	    "<header class=\"title\">\n<p class=\"kicker\">porcupine comparison of two allocation "
	    "reports</p>\n<h1>",
	    f);
	h(f, title);
	fputs("</h1>\n<dl class=\"meta\">\n", f);
	for (int side = 0; side < 2; side++) {
		const json_t *d = side ? c->b : c->a;
		fprintf(f, "<div class=\"wide\"><dt>%c</dt><dd><code>", side ? 'B' : 'A');
		h(f, side ? c->path_b : c->path_a);
		fputs("</code>: plan <strong>", f);
		h(f, rv_str(d, "plan.name"));
		fputs("</strong>, data as of ", f);
		h(f, rv_str(d, "plan.data_date") ? rv_str(d, "plan.data_date") : "-");
		fputs(", ", f);
		h(f, rv_str(d, "run.command"));
		fputs(", ", f);
		h(f, rv_str(d, "solution.status"));
		fputs(" <span class=\"hash\">sha256 ", f);
		h(f, rv_str(d, "plan.sha256"));
		fputs("</span></dd></div>\n", f);
	}
	fputs("</dl>\n</header>\n<main>\n", f);
	if (ndiffs(c) == 0) {
		fputs(
		    "<p class=\"notice\"><strong>No differences.</strong> The two reports have the "
		    "same plan, allocation, funding and capability results.</p>\n",
		    f);
		goto end;
	}
	fputs("<section id=\"cost\"><h2>Cost</h2>\n", f);
	html_table(f, &c->totals, 1);
	if (c->totals.n == 0)
		fputs("<p class=\"note\">The cost is the same in both.</p>\n", f);
	fputs("</section>\n<section id=\"plan\"><h2>Plan parameters that differ</h2>\n<p "
	      "class=\"note\">",
	      f);
	fputs(c->same_plan ? "Both runs read the same plan (same sha256)."
			   : "The runs read different plans (different sha256).",
	      f);
	json_array_foreach(c->set_a, i, s)
	{
		fputs(" A sets <code>", f);
		h(f, json_string_value(s));
		fputs("</code>.", f);
	}
	json_array_foreach(c->set_b, i, s)
	{
		fputs(" B sets <code>", f);
		h(f, json_string_value(s));
		fputs("</code>.", f);
	}
	fputs("</p>\n", f);
	if (c->params.n) {
		fputs("<table>\n<caption>Numbers of the plans that differ</caption>\n<thead><tr>"
		      "<th scope=\"col\">Parameter</th><th scope=\"col\" class=\"n\">A</th>"
		      "<th scope=\"col\" class=\"n\">B</th></tr></thead>\n<tbody>\n",
		      f);
		for (size_t k = 0; k < c->params.n && k < 2 * MD_ROWS; k++) {
			const struct drow *r = &c->params.v[k];
			char a[64], b[64];
			snprintf(a, sizeof(a), r->in_a ? "%.6g" : "-", r->a);
			snprintf(b, sizeof(b), r->in_b ? "%.6g" : "-", r->b);
			fputs("<tr><th scope=\"row\"><code>", f);
			h(f, r->key);
			fprintf(f,
				"</code></th><td class=\"n\">%s</td><td class=\"n\">%s</td></tr>\n",
				a, b);
		}
		fputs("</tbody>\n</table>\n", f);
	}
	fputs("</section>\n<section id=\"spend\"><h2>Spend</h2>\n<div class=\"side\">\n", f);
	double top = fmax(year_top(c->a), year_top(c->b));
	struct rv_keys order = RV_KEYS_INIT;
	if (category_order(&order, c) != 0)
		oom = 1;
	html_side_spend(f, c->a, 0, top, &order, &oom);
	html_side_spend(f, c->b, 1, top, &order, &oom);
	rv_keys_release(&order);
	fputs("</div>\n", f);
	html_ab_chart(f, &c->spend[SP_CATEGORY], "fig-cat", "Spend by category: A and B (EUR)",
		      "Horizontal bars, two per category (A, B), biggest change first.", &oom);
	for (int k = 0; k < NSPEND; k++)
		html_table(f, &c->spend[k], 1);
	html_table(f, &c->only_a, 0);
	html_table(f, &c->only_b, 0);
	fputs("</section>\n<section id=\"capabilities\"><h2>Capabilities</h2>\n", f);
	html_ab_chart(f, &c->shortfall, "fig-short",
		      "Shortfall by capability, summed over the years: A and B",
		      "Horizontal bars, two per capability (A, B), in the capability's own unit, "
		      "biggest change first.",
		      &oom);
	html_table(f, &c->shortfall, 0);
	if (c->ncaps) {
		fputs(
		    "<table>\n<caption>Capabilities by year, biggest change first</caption>\n"
		    "<thead><tr><th scope=\"col\">Capability</th><th scope=\"col\" class=\"n\">Year"
		    "</th><th scope=\"col\" class=\"n\">Target A</th><th scope=\"col\" class=\"n\">"
		    "Target B</th><th scope=\"col\" class=\"n\">Achieved A</th><th scope=\"col\" "
		    "class=\"n\">Achieved B</th><th scope=\"col\" class=\"n\">Shortfall A</th>"
		    "<th scope=\"col\" class=\"n\">Shortfall B</th></tr></thead>\n<tbody>\n",
		    f);
		for (size_t k = 0; k < c->ncaps && k < MD_ROWS; k++) {
			const struct dcap *d = &c->caps[k];
			double v[6] = {d->target_a, d->target_b, d->ach_a,
				       d->ach_b,    d->sh_a,	 d->sh_b};
			fputs("<tr><th scope=\"row\">", f);
			h(f, d->name ? d->name : d->cap);
			fprintf(f, "</th><td class=\"n\">%ld</td>", d->year);
			for (int j = 0; j < 6; j++) {
				char b[48];
				fmt(b, sizeof(b), v[j], SVG_UNIT_NUMBER, isfinite(v[j]));
				fprintf(f, "<td class=\"n\">%s</td>", b);
			}
			fputs("</tr>\n", f);
		}
		fputs("</tbody>\n</table>\n", f);
	}
	fputs("</section>\n", f);
end:
	fputs("</main>\n<footer><p>Written by ", f);
	h(f, gen);
	fputs(" from the two report.json files. All differences are in compare.csv and "
	      "compare.json.</p></footer>\n</body>\n</html>\n",
	      f);
	if (oom) {
		errno = ENOMEM;
		return -1;
	}
	return ferror(f) ? -1 : 0;
}

/* ---- the terminal summary ------------------------------------------------------------------- */

static void print_tab(FILE *out, const struct dtab *t)
{
	char a[48], b[48], d[48];
	if (t->n == 0)
		return;
	fprintf(out, "\n  %s, biggest changes first:\n", t->title);
	for (size_t i = 0; i < t->n && i < SUMMARY_ROWS; i++) {
		const struct drow *r = &t->v[i];
		fmt(a, sizeof(a), r->a, t->unit, r->in_a);
		fmt(b, sizeof(b), r->b, t->unit, r->in_b);
		fmt_delta(d, sizeof(d), r, t->unit);
		fprintf(out, "    %-44.44s %14s -> %-14s (%s)\n", label(r), a, b, d);
	}
	if (t->n > SUMMARY_ROWS)
		fprintf(out, "    ... %zu more\n", t->n - SUMMARY_ROWS);
}

static void print_summary(FILE *out, const struct cmp *c)
{
	fprintf(out, "A  %s (%s)\nB  %s (%s)\n", c->path_a,
		rv_str(c->a, "plan.name") ? rv_str(c->a, "plan.name") : "?", c->path_b,
		rv_str(c->b, "plan.name") ? rv_str(c->b, "plan.name") : "?");
	size_t n = ndiffs(c);
	if (n == 0) {
		fputs("no differences\n", out);
		return;
	}
	fprintf(out, "  plan: %s; %zu parameter%s", c->same_plan ? "same file" : "different files",
		c->params.n, c->params.n == 1 ? " differs" : "s differ");
	for (size_t i = 0; i < c->params.n && i < 3; i++)
		fprintf(out, "%s%s %.6g -> %.6g", i ? ", " : " (", c->params.v[i].key,
			c->params.v[i].a, c->params.v[i].b);
	fputs(c->params.n > 3 ? ", ...)\n" : c->params.n ? ")\n" : "\n", out);
	print_tab(out, &c->totals);
	print_tab(out, &c->spend[SP_CATEGORY]);
	print_tab(out, &c->shortfall);
	print_tab(out, &c->only_a);
	print_tab(out, &c->only_b);
}

/* ---- the command ------------------------------------------------------------------------------
 */

static int write_outputs(const char *dir, const struct cmp *c, struct diag_list *dl)
{
	static const struct {
		const char *name;
		int (*write)(FILE *, const struct cmp *);
	} out[] = {{"compare.md", write_md},
		   {"compare.html", write_html},
		   {"compare.json", write_json},
		   {"compare.csv", write_csv}};
	enum { NOUT = sizeof(out) / sizeof(out[0]) };
	struct afile af[NOUT];
	char *path[NOUT] = {0};
	int rc = -1;

	memset(af, 0, sizeof(af));
	if (afile_mkdirs(dir) != 0) {
		fail(dl, dir, "cannot create the output directory", errno);
		return -1;
	}
	for (size_t k = 0; k < NOUT; k++) {
		size_t n = strlen(dir) + strlen(out[k].name) + 2;
		path[k] = pc_malloc(n);
		if (!path[k]) {
			fail(dl, dir, "cannot write", ENOMEM);
			goto done;
		}
		snprintf(path[k], n, "%s%s%s", dir, *dir && dir[strlen(dir) - 1] == '/' ? "" : "/",
			 out[k].name);
		if (afile_open(&af[k], path[k]) != 0) {
			fail(dl, path[k], "cannot create a temporary file next to it", errno);
			goto done;
		}
		errno = 0;
		if (out[k].write(af[k].f, c) != 0 || afile_finish(&af[k]) != 0) {
			fail(dl, path[k], "cannot write", errno ? errno : EIO);
			goto done;
		}
	}
	for (size_t k = 0; k < NOUT; k++)
		if (afile_commit(&af[k]) != 0) {
			fail(dl, path[k], "cannot replace", errno);
			goto done;
		}
	rc = 0;
done:
	for (size_t k = 0; k < NOUT; k++) {
		afile_abort(&af[k]);
		free(path[k]);
	}
	return rc;
}

int compare_runs(const char *run_a, const char *run_b, const char *outdir, FILE *summary,
		 struct diag_list *dl)
{
	struct cmp c;
	json_t *a = NULL, *b = NULL;
	int rc = COMPARE_EINPUT;

	memset(&c, 0, sizeof(c));
	c.path_a = run_path(run_a);
	c.path_b = run_path(run_b);
	if (!c.path_a || !c.path_b) {
		diag_add(dl, DIAG_ERROR, run_a, 0, 0, NULL, "out of memory");
		rc = COMPARE_EWRITE;
		goto out;
	}
	a = report_load(c.path_a, dl);
	b = report_load(c.path_b, dl);
	if (!a || !b)
		goto out;
	c.a = a;
	c.b = b;
	if (check_comparable(&c, dl) != 0)
		goto out;
	cmp_build(&c);
	if (c.oom) {
		diag_add(dl, DIAG_ERROR, c.path_a, 0, 0, NULL, "out of memory");
		rc = COMPARE_EWRITE;
		goto out;
	}
	if (outdir && write_outputs(outdir, &c, dl) != 0) {
		rc = COMPARE_EWRITE;
		goto out;
	}
	if (summary)
		print_summary(summary, &c);
	rc = COMPARE_OK;
out:
	cmp_release(&c);
	json_decref(a);
	json_decref(b);
	return rc;
}
