/* xlsx.c - report.xlsx with libxlsxwriter, drawn from report.json: a Summary sheet with the
 * key figures and native charts (spend by category and year, shortfalls), the Allocation,
 * Funding and Requirements tables, and for scenario runs Scenarios and Statistics; numbers
 * as numbers with EUR formats, frozen headers and filters. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "report_int.h"
#include "svg.h"
#include "views.h"

#define EUR_FORMAT "\"EUR \"#,##0;\"EUR \"-#,##0"
#define QTY_FORMAT "#,##0.###"

enum col_kind {
	COL_TEXT, /* the member as text */
	COL_NAME, /* the name the plan gives the id in member `key` (section `section`) */
	COL_INT,
	COL_NUM,
	COL_EUR,
	COL_SHARE
};

struct col {
	const char *key, *header;
	enum col_kind kind;
	const char *section; /* COL_NAME */
	double width;
};

struct xb {
	lxw_workbook *wb;
	const json_t *doc;
	lxw_format *bold, *title, *head, *eur, *qty, *share, *year, *note;
	lxw_error err;
};

static void check(struct xb *x, lxw_error e)
{
	if (e != LXW_NO_ERROR && x->err == LXW_NO_ERROR)
		x->err = e;
}

static lxw_color_t palette(int i)
{
	return (lxw_color_t)strtol(svg_color(i) + 1, NULL, 16);
}

static void put_num(struct xb *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, double v,
		    lxw_format *fmt)
{
	if (isfinite(v))
		check(x, worksheet_write_number(ws, r, c, rpt_nozero(v), fmt));
}

static void put_str(struct xb *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s,
		    lxw_format *fmt)
{
	if (s)
		check(x, worksheet_write_string(ws, r, c, s, fmt));
}

static lxw_format *kind_format(struct xb *x, enum col_kind k)
{
	switch (k) {
	case COL_EUR:
		return x->eur;
	case COL_SHARE:
		return x->share;
	case COL_INT:
		return x->year;
	case COL_NUM:
		return x->qty;
	default:
		return NULL;
	}
}

/* A sheet from an array of objects: one header row (frozen, filtered), one row per object. */
static lxw_worksheet *sheet_table(struct xb *x, const char *name, const json_t *arr,
				  const struct col *cols, size_t ncols)
{
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, name);
	size_t i;
	json_t *o;

	if (!ws) {
		check(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return NULL;
	}
	for (size_t c = 0; c < ncols; c++) {
		put_str(x, ws, 0, (lxw_col_t)c, cols[c].header, x->head);
		check(x, worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, cols[c].width, NULL));
	}
	json_array_foreach(arr, i, o)
	{
		lxw_row_t r = (lxw_row_t)(i + 1);
		for (size_t c = 0; c < ncols; c++) {
			const struct col *k = &cols[c];
			const json_t *v = json_object_get(o, k->key);
			if (k->kind == COL_TEXT || k->kind == COL_NAME) {
				const char *s = json_string_value(v);
				if (k->kind == COL_NAME && s)
					s = rv_name(x->doc, k->section, s);
				if (!s && json_is_integer(v)) {
					put_num(x, ws, r, (lxw_col_t)c,
						(double)json_integer_value(v), NULL);
					continue;
				}
				put_str(x, ws, r, (lxw_col_t)c, s, NULL);
			} else if (json_is_number(v)) {
				put_num(x, ws, r, (lxw_col_t)c, json_number_value(v),
					kind_format(x, k->kind));
			}
		}
	}
	worksheet_freeze_panes(ws, 1, 0);
	check(x, worksheet_autofilter(ws, 0, 0, (lxw_row_t)json_array_size(arr),
				      (lxw_col_t)(ncols - 1)));
	return ws;
}

/* ---- Summary ----------------------------------------------------------------------------- */

static lxw_row_t kv_text(struct xb *x, lxw_worksheet *ws, lxw_row_t r, const char *k, const char *v)
{
	put_str(x, ws, r, 0, k, x->bold);
	put_str(x, ws, r, 1, v ? v : "-", NULL);
	return r + 1;
}

static lxw_row_t kv_eur(struct xb *x, lxw_worksheet *ws, lxw_row_t r, const char *k, double v)
{
	put_str(x, ws, r, 0, k, x->bold);
	put_num(x, ws, r, 1, v, x->eur);
	return r + 1;
}

/* Spend by category (rows, largest first, then personnel) and year (columns), and a
 * stacked column chart of it.  Returns the next free row. */
static lxw_row_t summary_spend(struct xb *x, lxw_worksheet *ws, lxw_row_t r,
			       const struct rv_keys *years)
{
	const json_t *d = x->doc;
	struct rv_pivot pv = RV_PIVOT_INIT, pers = RV_PIVOT_INIT;
	size_t ny = years->n;

	for (size_t y = 0; y < ny; y++)
		if (rv_keys_add(&pv.cols, years->v[y]) < 0 ||
		    rv_keys_add(&pers.cols, years->v[y]) < 0)
			goto oom;
	if (rv_pivot_build(&pv, rv_get(d, "solution.allocation"), "category", "year", "eur") ||
	    rv_pivot_build(&pers, rv_get(d, "solution.forces"), "deployment", "year", "cost_eur") ||
	    rv_pivot_sort_rows(&pv))
		goto oom;
	put_str(x, ws, r++, 0, "Spend by category and year (EUR)", x->title);
	lxw_row_t head = r;
	put_str(x, ws, r, 0, "Category", x->head);
	for (size_t y = 0; y < ny; y++)
		put_num(x, ws, r, (lxw_col_t)(y + 1), strtod(years->v[y], NULL), x->head);
	put_str(x, ws, r, (lxw_col_t)(ny + 1), "Total", x->head);
	r++;
	lxw_row_t first = r;
	for (size_t k = 0; k <= pv.rows.n; k++) {
		double tot = 0;
		if (k < pv.rows.n) {
			if (rv_pivot_row_total(&pv, k) <= 0)
				continue;
			put_str(x, ws, r, 0, rv_name(d, "categories", pv.rows.v[k]), NULL);
			for (size_t y = 0; y < ny; y++) {
				double v = rv_pivot_at(&pv, k, y);
				tot += v;
				put_num(x, ws, r, (lxw_col_t)(y + 1), v, x->eur);
			}
		} else {
			for (size_t y = 0; y < ny; y++)
				for (size_t p = 0; p < pers.rows.n; p++)
					tot += rv_pivot_at(&pers, p, y);
			if (tot <= 0)
				break;
			put_str(x, ws, r, 0, "Personnel (deployed forces)", NULL);
			for (size_t y = 0; y < ny; y++) {
				double v = 0;
				for (size_t p = 0; p < pers.rows.n; p++)
					v += rv_pivot_at(&pers, p, y);
				put_num(x, ws, r, (lxw_col_t)(y + 1), v, x->eur);
			}
		}
		put_num(x, ws, r, (lxw_col_t)(ny + 1), tot, x->eur);
		r++;
	}
	lxw_row_t last = r;
	if (last > first && ny > 0) {
		lxw_chart *ch = workbook_add_chart(x->wb, LXW_CHART_COLUMN_STACKED);
		if (!ch)
			goto oom;
		for (lxw_row_t k = first; k < last; k++) {
			lxw_chart_series *s = chart_add_series(ch, NULL, NULL);
			if (!s)
				goto oom;
			chart_series_set_categories(s, "Summary", head, 1, head, (lxw_col_t)ny);
			chart_series_set_values(s, "Summary", k, 1, k, (lxw_col_t)ny);
			chart_series_set_name_range(s, "Summary", k, 0);
			lxw_chart_fill fill = {.color = palette((int)(k - first))};
			chart_series_set_fill(s, &fill);
		}
		chart_title_set_name(ch, "Spend by category and year (EUR)");
		chart_axis_set_num_format(ch->y_axis, "#,##0,,,\"bn\"");
		chart_axis_set_name(ch->y_axis, "EUR");
		chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
		lxw_chart_options opt = {.x_scale = 1.6, .y_scale = 1.4};
		check(x, worksheet_insert_chart_opt(ws, 1, 4, ch, &opt));
	}
	rv_pivot_release(&pv);
	rv_pivot_release(&pers);
	return r + 1;
oom:
	check(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
	rv_pivot_release(&pv);
	rv_pivot_release(&pers);
	return r + 1;
}

/* Shortfall per capability over the horizon, and a bar chart of the share missed. */
static lxw_row_t summary_shortfalls(struct xb *x, lxw_worksheet *ws, lxw_row_t r,
				    lxw_row_t chart_row)
{
	const json_t *d = x->doc, *req = rv_get(d, "solution.requirements");
	struct rv_pivot tg = RV_PIVOT_INIT, sh = RV_PIVOT_INIT;
	size_t i;
	json_t *o;

	if (rv_pivot_build(&tg, req, "capability", NULL, "target") ||
	    rv_pivot_build(&sh, req, "capability", NULL, "shortfall"))
		goto oom;
	put_str(x, ws, r++, 0, "Shortfall by capability over the horizon", x->title);
	static const char *const heads[] = {"Capability",
					    "Unit",
					    "Target (sum of years)",
					    "Shortfall (sum of years)",
					    "Share missed",
					    "Shadow price, highest (EUR per unit)"};
	for (size_t c = 0; c < 6; c++)
		put_str(x, ws, r, (lxw_col_t)c, heads[c], x->head);
	r++;
	lxw_row_t first = r;
	for (size_t k = 0; k < tg.rows.n; k++) {
		const char *id = tg.rows.v[k], *unit = NULL;
		double t = rv_pivot_at(&tg, k, 0), s = 0, price = 0;
		json_array_foreach(req, i, o)
		{
			const char *c = json_string_value(json_object_get(o, "capability"));
			if (!c || strcmp(c, id))
				continue;
			unit = json_string_value(json_object_get(o, "unit"));
			double sf = rv_field(o, "shortfall"), p = rv_field(o, "shadow_price");
			if (rv_is_short(sf, rv_field(o, "target")))
				s += sf;
			if (isfinite(p) && p > price)
				price = p;
		}
		if (s <= 0)
			continue;
		put_str(x, ws, r, 0, rv_name(d, "capabilities", id), NULL);
		put_str(x, ws, r, 1, unit, NULL);
		put_num(x, ws, r, 2, t, x->qty);
		put_num(x, ws, r, 3, s, x->qty);
		put_num(x, ws, r, 4, t > 0 ? s / t : 1.0, x->share);
		put_num(x, ws, r, 5, price, x->eur);
		r++;
	}
	if (r == first) {
		put_str(x, ws, r++, 0, "Every capability meets its target in every year.", x->note);
	} else {
		lxw_chart *ch = workbook_add_chart(x->wb, LXW_CHART_BAR);
		lxw_chart_series *s = ch ? chart_add_series(ch, NULL, NULL) : NULL;
		if (!s)
			goto oom;
		chart_series_set_categories(s, "Summary", first, 0, r - 1, 0);
		chart_series_set_values(s, "Summary", first, 4, r - 1, 4);
		chart_series_set_name(s, "Share of the target missed");
		lxw_chart_fill fill = {.color = palette(6)};
		chart_series_set_fill(s, &fill);
		chart_title_set_name(ch, "Shortfall by capability (share of the target missed)");
		chart_axis_set_num_format(ch->x_axis, "0%");
		chart_axis_set_reverse(ch->y_axis);
		chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
		lxw_chart_options opt = {.x_scale = 1.6, .y_scale = 1.6};
		check(x, worksheet_insert_chart_opt(ws, chart_row, 4, ch, &opt));
	}
	rv_pivot_release(&tg);
	rv_pivot_release(&sh);
	return r + 1;
oom:
	check(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
	rv_pivot_release(&tg);
	rv_pivot_release(&sh);
	return r + 1;
}

static void sheet_summary(struct xb *x)
{
	const json_t *d = x->doc;
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, "Summary");
	struct rv_keys years = RV_KEYS_INIT;
	char b[512];
	double avail = 0, used = 0;
	size_t i;
	json_t *o;

	if (!ws || rv_years(&years, d) < 0) {
		check(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
		rv_keys_release(&years);
		return;
	}
	check(x, worksheet_set_column(ws, 0, 0, 44, NULL));
	check(x, worksheet_set_column(ws, 1, 8, 16, NULL));
	snprintf(b, sizeof(b), "%s \xE2\x80\x93 allocation report",
		 rv_str(d, "plan.name") ? rv_str(d, "plan.name") : "plan");
	put_str(x, ws, 0, 0, b, x->title);
	lxw_row_t r = 2;
	r = kv_text(x, ws, r, "Plan", rv_str(d, "plan.name"));
	r = kv_text(x, ws, r, "Data as of", rv_str(d, "plan.data_date"));
	r = kv_text(x, ws, r, "Status", rv_str(d, "solution.status"));
	r = kv_text(x, ws, r, "Command", rv_str(d, "run.command"));
	const json_t *seed = rv_get(d, "run.seed");
	if (json_is_integer(seed))
		snprintf(b, sizeof(b), "%lld", (long long)json_integer_value(seed));
	else
		snprintf(b, sizeof(b), "%s",
			 json_string_value(seed) ? json_string_value(seed) : "-");
	r = kv_text(x, ws, r, "Seed", b);
	snprintf(b, sizeof(b), "porcupine %s",
		 rv_str(d, "tool.version") ? rv_str(d, "tool.version") : "?");
	r = kv_text(x, ws, r, "Tool", b);
	r = kv_text(x, ws, r, "Solver", rv_str(d, "tool.glpk"));
	r = kv_text(x, ws, r, "Plan file", rv_str(d, "plan.source"));
	r = kv_text(x, ws, r, "Input hash (SHA-256)", rv_str(d, "plan.sha256"));
	json_array_foreach(rv_get(d, "run.set"), i, o) r =
	    kv_text(x, ws, r, i ? "" : "Changed from the plan (--set)", json_string_value(o));
	json_array_foreach(rv_get(d, "solution.funding"), i, o)
	{
		double a = rv_field(o, "available_eur"), u = rv_field(o, "used_eur");
		avail += isfinite(a) ? a : 0;
		used += isfinite(u) ? u : 0;
	}
	r++;
	r = kv_eur(x, ws, r, "Objective (EUR)", rv_num(d, "solution.objective"));
	r = kv_eur(x, ws, r, "Total spend (EUR)", rv_num(d, "solution.total_spend_eur"));
	r = kv_eur(x, ws, r, "Purchases (EUR)", rv_num(d, "solution.purchase_eur"));
	r = kv_eur(x, ws, r, "Personnel (EUR)", rv_num(d, "solution.personnel_eur"));
	r = kv_eur(x, ws, r, "Money used (EUR)", used);
	r = kv_eur(x, ws, r, "Money available (EUR)", avail);
	r++;
	lxw_row_t spend_row = r;
	r = summary_spend(x, ws, r, &years);
	lxw_row_t chart_row = r > spend_row + 24 ? r : spend_row + 24;
	summary_shortfalls(x, ws, r, chart_row);
	rv_keys_release(&years);
}

/* ---- scenario sheets -------------------------------------------------------------------- */

/* One CSV field (RFC 4180) from *p into buf; advances *p past the separator. */
static int csv_field(const char **p, char *buf, size_t len, int *eol)
{
	const char *s = *p;
	size_t n = 0;
	int quoted = *s == '"';
	if (quoted)
		s++;
	for (; *s; s++) {
		if (quoted && *s == '"') {
			if (s[1] == '"') {
				s++;
			} else {
				quoted = 0;
				continue;
			}
		} else if (!quoted && (*s == ',' || *s == '\n' || *s == '\r')) {
			break;
		}
		if (n + 1 < len)
			buf[n++] = *s;
	}
	buf[n] = '\0';
	*eol = *s != ',';
	if (*s == ',')
		s++;
	else {
		while (*s == '\r' || *s == '\n') {
			s++;
			if (s[-1] == '\n')
				break;
		}
	}
	*p = s;
	return 0;
}

/* Most scenario rows the Scenarios sheet holds.  The sheet is for browsing and filtering;
 * every scenario is in scenarios.csv and scenarios.sqlite.  The cap keeps the workbook's
 * memory bounded however many scenarios a run has (libxlsxwriter keeps a sheet's cells in
 * memory until it is written). */
#define XLSX_SCENARIO_ROWS 10000

/* Scenarios: scenarios.csv as it is, one row per scenario, numbers as numbers; read line by
 * line (no field of scenarios.csv holds a line break), at most XLSX_SCENARIO_ROWS rows. */
static void sheet_scenarios(struct xb *x, const char *csv_path)
{
	FILE *f = csv_path ? fopen(csv_path, "rb") : NULL;
	char *line = NULL, field[1024];
	size_t cap = 0;
	lxw_col_t ncols = 0;
	lxw_row_t r = 0;
	int more = 0;

	if (!f)
		return;
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, "Scenarios");
	if (!ws) {
		fclose(f);
		return;
	}
	while (getline(&line, &cap, f) > 0) {
		if (r > XLSX_SCENARIO_ROWS) {
			more = 1;
			break;
		}
		lxw_col_t c = 0;
		int eol = 0;
		const char *p = line;
		while (!eol && *p) {
			csv_field(&p, field, sizeof(field), &eol);
			char *end;
			double v = strtod(field, &end);
			if (r == 0)
				put_str(x, ws, r, c, field, x->head);
			else if (*field && !*end && isfinite(v))
				put_num(x, ws, r, c, v, strstr(field, ".") ? x->qty : NULL);
			else
				put_str(x, ws, r, c, field, NULL);
			c++;
		}
		if (r == 0)
			ncols = c;
		r++;
	}
	free(line);
	fclose(f);
	if (ncols) {
		check(x, worksheet_set_column(ws, 0, ncols - 1, 14, NULL));
		worksheet_freeze_panes(ws, 1, 0);
		check(x, worksheet_autofilter(ws, 0, 0, r ? r - 1 : 0, ncols - 1));
	}
	if (more)
		put_str(x, ws, r + 1, 0,
			"only the first 10000 scenarios are shown here; every scenario is in "
			"scenarios.csv and scenarios.sqlite",
			NULL);
}

/* Statistics: the scenario section's quantiles in one filterable table. */
static void sheet_statistics(struct xb *x)
{
	const json_t *sc = rv_get(x->doc, "scenarios");
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, "Statistics");
	static const char *const heads[] = {"What",	  "Id",		  "Name",   "Unit",
					    "Mean",	  "P5",		  "Median", "P95",
					    "Std. error", "P(target met)"};
	const size_t nh = sizeof(heads) / sizeof(heads[0]);
	size_t i;
	json_t *o;
	lxw_row_t r = 1;

	if (!ws) {
		check(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return;
	}
	for (size_t c = 0; c < nh; c++)
		put_str(x, ws, 0, (lxw_col_t)c, heads[c], x->head);
	check(x, worksheet_set_column(ws, 0, 0, 22, NULL));
	check(x, worksheet_set_column(ws, 1, 2, 30, NULL));
	check(x, worksheet_set_column(ws, 3, nh - 1, 16, NULL));
	const json_t *ob = json_object_get(sc, "objective");
	if (json_is_object(ob)) {
		put_str(x, ws, r, 0, "objective", NULL);
		put_str(x, ws, r, 3, "EUR", NULL);
		put_num(x, ws, r, 4, rv_field(ob, "mean"), x->eur);
		put_num(x, ws, r, 5, rv_field(ob, "p5"), x->eur);
		put_num(x, ws, r, 6, rv_field(ob, "p50"), x->eur);
		put_num(x, ws, r, 7, rv_field(ob, "p95"), x->eur);
		put_num(x, ws, r, 8, rv_field(ob, "stderr"), x->eur);
		r++;
	}
	json_array_foreach(json_object_get(sc, "capabilities"), i, o)
	{
		const char *id = json_string_value(json_object_get(o, "capability"));
		const json_t *s = json_object_get(o, "shortfall");
		put_str(x, ws, r, 0, "capability shortfall", NULL);
		put_str(x, ws, r, 1, id, NULL);
		put_str(x, ws, r, 2, id ? rv_name(x->doc, "capabilities", id) : NULL, NULL);
		put_num(x, ws, r, 4, rv_field(s, "mean"), x->qty);
		put_num(x, ws, r, 5, rv_field(s, "p5"), x->qty);
		put_num(x, ws, r, 6, rv_field(s, "p50"), x->qty);
		put_num(x, ws, r, 7, rv_field(s, "p95"), x->qty);
		put_num(x, ws, r, 9, rv_field(o, "p_target_met"), x->share);
		r++;
	}
	json_array_foreach(json_object_get(sc, "categories"), i, o)
	{
		const char *id = json_string_value(json_object_get(o, "category"));
		const json_t *s = json_object_get(o, "spend_eur");
		put_str(x, ws, r, 0, "category spend", NULL);
		put_str(x, ws, r, 1, id, NULL);
		put_str(x, ws, r, 2, id ? rv_name(x->doc, "categories", id) : NULL, NULL);
		put_str(x, ws, r, 3, "EUR", NULL);
		put_num(x, ws, r, 4, rv_field(s, "mean"), x->eur);
		put_num(x, ws, r, 5, rv_field(s, "p5"), x->eur);
		put_num(x, ws, r, 6, rv_field(s, "p50"), x->eur);
		put_num(x, ws, r, 7, rv_field(s, "p95"), x->eur);
		r++;
	}
	worksheet_freeze_panes(ws, 1, 0);
	check(x, worksheet_autofilter(ws, 0, 0, r - 1, (lxw_col_t)(nh - 1)));
}

/* Tornado bars, when the run has them. */
static void sheet_tornado(struct xb *x)
{
	static const struct col cols[] = {
	    {"parameter", "Parameter", COL_TEXT, NULL, 28},
	    {"path", "Path", COL_TEXT, NULL, 36},
	    {"low", "Low value", COL_NUM, NULL, 14},
	    {"high", "High value", COL_NUM, NULL, 14},
	    {"objective_low", "Objective at low (EUR)", COL_EUR, NULL, 22},
	    {"objective_high", "Objective at high (EUR)", COL_EUR, NULL, 22},
	    {"swing", "Swing (EUR)", COL_EUR, NULL, 18},
	};
	const json_t *bars = rv_get(x->doc, "tornado.bars");
	if (json_is_array(bars))
		sheet_table(x, "Tornado", bars, cols, sizeof(cols) / sizeof(cols[0]));
}

/* ---- the workbook -------------------------------------------------------------------------- */

static const struct col alloc_cols[] = {
    {"item", "Item", COL_TEXT, NULL, 22},
    {"item", "Item name", COL_NAME, "items", 36},
    {"category", "Category", COL_NAME, "categories", 30},
    {"buyer", "Buyer", COL_TEXT, NULL, 8},
    {"buyer", "Buyer name", COL_NAME, "buyers", 16},
    {"source", "Money", COL_NAME, "funding", 24},
    {"year", "Ordered", COL_INT, NULL, 9},
    {"delivery_year", "Delivered", COL_INT, NULL, 10},
    {"units", "Units", COL_NUM, NULL, 12},
    {"eur", "EUR", COL_EUR, NULL, 20},
};

static const struct col fund_cols[] = {
    {"source", "Source", COL_TEXT, NULL, 18},
    {"source", "Source name", COL_NAME, "funding", 30},
    {"year", "Year", COL_INT, NULL, 8},
    {"available_eur", "Available (EUR)", COL_EUR, NULL, 20},
    {"used_eur", "Used (EUR)", COL_EUR, NULL, 20},
    {"carry_in_eur", "Carried in (EUR)", COL_EUR, NULL, 20},
    {"carry_out_eur", "Carried out (EUR)", COL_EUR, NULL, 20},
    {"marginal_value", "Value of one more EUR", COL_NUM, NULL, 20},
};

static const struct col req_cols[] = {
    {"capability", "Capability", COL_TEXT, NULL, 22},
    {"capability", "Capability name", COL_NAME, "capabilities", 44},
    {"unit", "Unit", COL_TEXT, NULL, 14},
    {"year", "Year", COL_INT, NULL, 8},
    {"target", "Target", COL_NUM, NULL, 12},
    {"achieved", "Achieved", COL_NUM, NULL, 12},
    {"shortfall", "Shortfall", COL_NUM, NULL, 12},
    {"shadow_price", "Shadow price (EUR per unit)", COL_EUR, NULL, 24},
};

int view_xlsx(const char *path, const json_t *doc, long long created, const char *scen_csv,
	      char *err, size_t len)
{
	lxw_workbook_options wo = {
	    .constant_memory = LXW_FALSE, .tmpdir = NULL, .use_zip64 = LXW_FALSE};
	struct xb x = {.doc = doc};
	char title[256];

	x.wb = workbook_new_opt(path, &wo);
	if (!x.wb) {
		snprintf(err, len, "cannot create the workbook");
		return -1;
	}
	snprintf(title, sizeof(title), "%s \xE2\x80\x93 allocation report",
		 rv_str(doc, "plan.name") ? rv_str(doc, "plan.name") : "plan");
	lxw_doc_properties props = {.title = title,
				    .subject = "defence procurement allocation",
				    .author = "porcupine",
				    .comments = "written from report.json",
				    .created = (time_t)created};
	check(&x, workbook_set_properties(x.wb, &props));

	x.bold = workbook_add_format(x.wb);
	x.title = workbook_add_format(x.wb);
	x.head = workbook_add_format(x.wb);
	x.eur = workbook_add_format(x.wb);
	x.qty = workbook_add_format(x.wb);
	x.share = workbook_add_format(x.wb);
	x.year = workbook_add_format(x.wb);
	x.note = workbook_add_format(x.wb);
	if (!x.bold || !x.title || !x.head || !x.eur || !x.qty || !x.share || !x.year || !x.note) {
		check(&x, LXW_ERROR_MEMORY_MALLOC_FAILED);
	} else {
		format_set_bold(x.bold);
		format_set_bold(x.title);
		format_set_font_size(x.title, 13);
		format_set_bold(x.head);
		format_set_bg_color(x.head, 0xE8ECF0);
		format_set_bottom(x.head, LXW_BORDER_THIN);
		format_set_text_wrap(x.head);
		format_set_num_format(x.eur, EUR_FORMAT);
		format_set_num_format(x.qty, QTY_FORMAT);
		format_set_num_format(x.share, "0.0%");
		format_set_num_format(x.year, "0");
		format_set_italic(x.note);
		sheet_summary(&x);
		sheet_table(&x, "Allocation", rv_get(doc, "solution.allocation"), alloc_cols,
			    sizeof(alloc_cols) / sizeof(alloc_cols[0]));
		sheet_table(&x, "Funding", rv_get(doc, "solution.funding"), fund_cols,
			    sizeof(fund_cols) / sizeof(fund_cols[0]));
		sheet_table(&x, "Requirements", rv_get(doc, "solution.requirements"), req_cols,
			    sizeof(req_cols) / sizeof(req_cols[0]));
		if (json_is_object(rv_get(doc, "scenarios"))) {
			sheet_scenarios(&x, scen_csv);
			sheet_statistics(&x);
		}
		sheet_tornado(&x);
	}
	lxw_error e = workbook_close(x.wb);
	if (x.err == LXW_NO_ERROR)
		x.err = e;
	if (x.err != LXW_NO_ERROR) {
		snprintf(err, len, "%s", lxw_strerror(x.err));
		return -1;
	}
	return 0;
}
