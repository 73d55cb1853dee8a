/* html.c - report.html: one self-contained page drawn from report.json: a title block, key
 * figures, inline SVG charts, the allocation and requirement tables and the plan's sources;
 * no script, no network, printable on A4. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "report.h"
#include "report_int.h"
#include "svg.h"
#include "views.h"

#define MAX_SERIES	 9  /* stacked spend: the largest categories, the rest as "other" */
#define MAX_STOCK_CHARTS 6  /* stock against target: the highest-priority capabilities */
#define MAX_PIVOT_YEARS	 10 /* wider horizons list requirements row by row */
#define MAX_TORNADO_BARS 15
#define MAX_GENERIC_ROWS 40   /* tables of sections the page has no special view for */
#define MAX_RANGING_ROWS 25   /* binding rules shown; all are in ranging.csv */
#define FULL_WIDTH	 1000 /* charts across the page (CSS scales them to the column) */

/* ---- shared page pieces (also used by compare.html) ---------------------------------------- */

static const char css[] =
    ":root{--ink:#1f2328;--soft:#59636e;--line:#d9dee3;--band:#f5f7f9;--accent:#332288;"
    "--warn:#a4262c}\n"
    "*{box-sizing:border-box}\n"
    "html{background:#fff}\n"
    "body{margin:0 auto;max-width:1060px;padding:28px 32px 48px;color:var(--ink);"
    "background:#fff;font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',"
    "Arial,'Liberation Sans','DejaVu Sans',sans-serif;overflow-wrap:break-word}\n"
    "a{color:#1f4e99}\n"
    "header.title{border-bottom:3px solid var(--accent);padding-bottom:14px;margin-bottom:8px}\n"
    ".kicker{margin:0;font-size:12px;letter-spacing:.08em;text-transform:uppercase;"
    "color:var(--soft)}\n"
    "h1{font-size:30px;line-height:1.2;margin:2px 0 6px}\n"
    ".lede{margin:0 0 14px;color:var(--soft);max-width:62em}\n"
    "dl.meta{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));"
    "gap:8px 20px;margin:0;font-size:13px}\n"
    "dl.meta div{min-width:0}\n"
    "dl.meta dt{font-size:11px;letter-spacing:.05em;text-transform:uppercase;color:var(--soft)}\n"
    "dl.meta dd{margin:0;font-variant-numeric:tabular-nums}\n"
    "dl.meta .wide{grid-column:1/-1}\n"
    "code,.hash{font-family:ui-monospace,'DejaVu Sans Mono',Menlo,Consolas,monospace;"
    "font-size:.88em}\n"
    ".hash{word-break:break-all}\n"
    "nav.toc{font-size:13px;margin:10px 0 0;color:var(--soft)}\n"
    "nav.toc a{margin-right:14px;white-space:nowrap}\n"
    "h2{font-size:20px;margin:34px 0 8px;padding-bottom:4px;border-bottom:1px solid "
    "var(--line)}\n"
    "h3{font-size:16px;margin:22px 0 6px}\n"
    "p.note{font-size:13px;color:var(--soft);max-width:62em;margin:4px 0 8px}\n"
    ".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(180px,1fr));gap:12px;"
    "margin:12px 0}\n"
    ".card{border:1px solid var(--line);border-left:4px solid var(--accent);border-radius:4px;"
    "padding:8px 12px;background:var(--band);min-width:0}\n"
    ".card.alert{border-left-color:var(--warn)}\n"
    ".card .k{margin:0;font-size:12px;color:var(--soft)}\n"
    ".card .v{margin:2px 0;font-size:24px;font-weight:650;line-height:1.2;"
    "font-variant-numeric:tabular-nums}\n"
    ".card .s{margin:0;font-size:12px;color:var(--soft)}\n"
    "figure{margin:14px 0 20px;break-inside:avoid;page-break-inside:avoid}\n"
    "figure svg{display:block;width:100%;max-width:100%;height:auto}\n"
    "figcaption{font-size:13px;color:var(--soft);margin-top:4px;max-width:62em}\n"
    ".grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(400px,1fr));gap:0 24px}\n"
    ".grid2 figure{margin:8px 0}\n"
    ".side{display:grid;grid-template-columns:1fr 1fr;gap:0 24px}\n"
    "table{border-collapse:collapse;width:100%;font-size:13px;font-variant-numeric:"
    "tabular-nums;margin:8px 0 16px}\n"
    "caption{text-align:left;font-weight:600;padding:4px 0;caption-side:top}\n"
    "th,td{padding:3px 8px;border-bottom:1px solid var(--line);text-align:left;"
    "vertical-align:top}\n"
    "thead th{background:var(--band);border-bottom:2px solid #aab3bc;font-weight:600}\n"
    "tbody th{font-weight:normal}\n"
    ".n{text-align:right;white-space:nowrap}\n"
    "thead .n{white-space:normal}\n"
    "tr.total>*{font-weight:650;border-top:2px solid #aab3bc}\n"
    "tr.group>*{background:#fbfcfd;border-top:1px solid #aab3bc;padding-top:7px}\n"
    "tr.group th{font-weight:600}\n"
    ".of{font-size:11px;color:var(--soft)}\n"
    ".short{color:var(--warn);font-weight:600}\n"
    ".muted{color:var(--soft)}\n"
    ".notice{border:1px solid #e6c34f;background:#fff8e1;padding:8px 12px;border-radius:4px;"
    "font-size:13px}\n"
    "ol.sources{font-size:13px;padding-left:2.2em}\n"
    "ol.sources li{margin:2px 0}\n"
    "sup.ref{font-size:10px;margin-left:2px}\n"
    "sup.ref a{text-decoration:none}\n"
    "footer{margin-top:40px;padding-top:8px;border-top:1px solid var(--line);font-size:12px;"
    "color:var(--soft)}\n"
    "@media (max-width:900px){table{font-size:12px}th,td{padding:3px 5px}}\n"
    "@media (max-width:700px){body{padding:16px}.side,.grid2{grid-template-columns:1fr}}\n"
    "@media print{@page{size:A4;margin:14mm 12mm}\n"
    "body{max-width:none;padding:0;font-size:10pt}\n"
    "table{font-size:8.5pt}th,td{padding:2px 4px}\n"
    "nav.toc{display:none}\n"
    "h2{break-after:avoid;page-break-after:avoid}\n"
    "h3{break-after:avoid}\n"
    "tr,.card{break-inside:avoid}\n"
    "thead{display:table-header-group}\n"
    "a{color:inherit;text-decoration:none}\n"
    ".cards{grid-template-columns:repeat(4,1fr)}}\n";

void view_html_text(FILE *f, const char *s)
{
	svg_escape(f, s);
}

void view_html_head(FILE *f, const char *title, const char *generator)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta name=\"generator\" content=\"",
	      f);
	svg_escape(f, generator);
	fputs("\">\n<title>", f);
	svg_escape(f, title);
	fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", css);
}

/* ---- the page ------------------------------------------------------------------------------- */

struct page {
	FILE *f;
	const json_t *doc;
	struct rv_keys years;
	const char **srcpaths; /* plan.sources paths, for reference marks */
	size_t nsrc;
	int oom;
};

static void text(struct page *pg, const char *s)
{
	svg_escape(pg->f, s);
}

static void money(char *b, size_t n, double v)
{
	report_fmt_money(b, n, v);
}

/* Money in a table cell: the column or the caption says EUR, the cell only the amount. */
static void td_money(struct page *pg, double v)
{
	char b[48];
	money(b, sizeof(b), v);
	fprintf(pg->f, "<td class=\"n\">%s</td>", strncmp(b, "EUR ", 4) ? b : b + 4);
}

static void td_qty(struct page *pg, double v, int warn)
{
	char b[48];
	rpt_fmt_qty(b, sizeof(b), v);
	fprintf(pg->f, "<td class=\"n%s\">%s</td>", warn ? " short" : "", b);
}

static void td_text(struct page *pg, const char *s)
{
	fputs("<td>", pg->f);
	text(pg, s ? s : "-");
	fputs("</td>", pg->f);
}

/* A reference mark to the sources section when the plan cites a source for path. */
static void ref(struct page *pg, const char *section, const char *id)
{
	char path[256];
	if (!id)
		return;
	snprintf(path, sizeof(path), "%s.%s", section, id);
	for (size_t k = 0; k < pg->nsrc; k++)
		if (pg->srcpaths[k] && !strcmp(pg->srcpaths[k], path)) {
			fprintf(pg->f, "<sup class=\"ref\"><a href=\"#src-%zu\">[%zu]</a></sup>",
				k + 1, k + 1);
			return;
		}
}

static void figure(struct page *pg, const struct svg_chart *c, const char *caption)
{
	fputs("<figure>\n", pg->f);
	if (svg_write(pg->f, c) != 0 && errno == ENOMEM)
		pg->oom = 1;
	if (caption) {
		fputs("<figcaption>", pg->f);
		text(pg, caption);
		fputs("</figcaption>\n", pg->f);
	}
	fputs("</figure>\n", pg->f);
}

static const char *seed_text(const json_t *doc, char *b, size_t n)
{
	const json_t *s = rv_get(doc, "run.seed");
	if (json_is_integer(s))
		snprintf(b, n, "%lld", (long long)json_integer_value(s));
	else if (json_is_string(s))
		snprintf(b, n, "%s", json_string_value(s));
	else
		snprintf(b, n, "-");
	return b;
}

static void meta(struct page *pg, const char *k, const char *v, const char *cls)
{
	fprintf(pg->f, "<div%s%s%s><dt>", cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
	text(pg, k);
	fputs("</dt><dd>", pg->f);
	text(pg, v ? v : "-");
	fputs("</dd></div>\n", pg->f);
}

static void title_block(struct page *pg)
{
	const json_t *d = pg->doc;
	char b[64], tool[128];
	const char *desc = rv_str(d, "plan.description");

	fputs("<header class=\"title\">\n<p class=\"kicker\">porcupine allocation report</p>\n"
	      "<h1>",
	      pg->f);
	text(pg, rv_str(d, "plan.name") ? rv_str(d, "plan.name") : "plan");
	fputs("</h1>\n", pg->f);
	if (desc) {
		fputs("<p class=\"lede\">", pg->f);
		text(pg, desc);
		fputs("</p>\n", pg->f);
	}
	fputs("<dl class=\"meta\">\n", pg->f);
	meta(pg, "Data as of", rv_str(d, "plan.data_date"), NULL);
	meta(pg, "Status", rv_str(d, "solution.status"), NULL);
	meta(pg, "Command", rv_str(d, "run.command"), NULL);
	meta(pg, "Seed", seed_text(d, b, sizeof(b)), NULL);
	snprintf(tool, sizeof(tool), "porcupine %s",
		 rv_str(d, "tool.version") ? rv_str(d, "tool.version") : "?");
	meta(pg, "Tool", tool, NULL);
	meta(pg, "Solver", rv_str(d, "tool.glpk"), NULL);
	meta(pg, "Plan file", rv_str(d, "plan.source"), NULL);
	const json_t *set = rv_get(d, "run.set");
	if (json_array_size(set)) {
		size_t i;
		json_t *s;
		fputs("<div class=\"wide\"><dt>Changed from the plan (--set)</dt><dd>", pg->f);
		json_array_foreach(set, i, s)
		{
			fputs(i ? ", <code>" : "<code>", pg->f);
			text(pg, json_string_value(s));
			fputs("</code>", pg->f);
		}
		fputs("</dd></div>\n", pg->f);
	}
	fputs("<div class=\"wide\"><dt>Input hash (SHA-256 of the plan)</dt><dd class=\"hash\">",
	      pg->f);
	text(pg, rv_str(d, "plan.sha256") ? rv_str(d, "plan.sha256") : "-");
	fputs("</dd></div>\n</dl>\n", pg->f);
}

static void toc(struct page *pg)
{
	const json_t *d = pg->doc;
	fputs("<nav class=\"toc\" aria-label=\"Contents\">Contents: "
	      "<a href=\"#key-figures\">Key figures</a><a href=\"#spend\">Spend</a>"
	      "<a href=\"#funding\">Funding</a><a href=\"#capabilities\">Capabilities</a>",
	      pg->f);
	if (json_is_object(rv_get(d, "scenarios")))
		fputs("<a href=\"#scenarios\">Scenarios</a>", pg->f);
	if (rv_get(d, "tornado") || rv_get(d, "ranging"))
		fputs("<a href=\"#sensitivity\">Sensitivity</a>", pg->f);
	fputs("<a href=\"#allocation\">Allocation</a><a href=\"#requirements\">Requirements</a>"
	      "<a href=\"#sources\">Sources</a></nav>\n</header>\n<main>\n",
	      pg->f);
}

static void card(struct page *pg, const char *k, const char *v, const char *s, int alert)
{
	fprintf(pg->f, "<div class=\"card%s\"><p class=\"k\">", alert ? " alert" : "");
	text(pg, k);
	fputs("</p><p class=\"v\">", pg->f);
	text(pg, v);
	fputs("</p>", pg->f);
	if (s) {
		fputs("<p class=\"s\">", pg->f);
		text(pg, s);
		fputs("</p>", pg->f);
	}
	fputs("</div>\n", pg->f);
}

static void key_figures(struct page *pg)
{
	const json_t *d = pg->doc;
	char v[64], s[200], a[48], b2[48];
	double avail = 0, used = 0;
	size_t i, nreq = 0, nshort = 0;
	json_t *o;
	struct rv_keys shortcaps = RV_KEYS_INIT;

	json_array_foreach(rv_get(d, "solution.funding"), i, o)
	{
		double x = rv_field(o, "available_eur"), y = rv_field(o, "used_eur");
		avail += isfinite(x) ? x : 0;
		used += isfinite(y) ? y : 0;
	}
	json_array_foreach(rv_get(d, "solution.requirements"), i, o)
	{
		nreq++;
		if (rv_is_short(rv_field(o, "shortfall"), rv_field(o, "target"))) {
			nshort++;
			const char *c = json_string_value(json_object_get(o, "capability"));
			if (c && rv_keys_add(&shortcaps, c) < 0)
				pg->oom = 1;
		}
	}
	fputs("<section id=\"key-figures\" aria-labelledby=\"h-key\">\n"
	      "<h2 id=\"h-key\">Key figures</h2>\n<div class=\"cards\">\n",
	      pg->f);
	money(v, sizeof(v), rv_num(d, "solution.total_spend_eur"));
	money(a, sizeof(a), rv_num(d, "solution.purchase_eur"));
	money(b2, sizeof(b2), rv_num(d, "solution.personnel_eur"));
	snprintf(s, sizeof(s), "purchases %s, personnel %s", a, b2);
	card(pg, "Total spend", v, s, 0);
	money(v, sizeof(v), avail);
	money(a, sizeof(a), avail - used);
	rpt_fmt_share(b2, sizeof(b2), used, avail);
	snprintf(s, sizeof(s), "%s of it used; %s left unspent", b2, a);
	card(pg, "Money available", v, s, 0);
	snprintf(v, sizeof(v), "%zu of %zu", nreq - nshort, nreq);
	snprintf(s, sizeof(s), "capability-years meet their target; %zu %s short", shortcaps.n,
		 shortcaps.n == 1 ? "capability falls" : "capabilities fall");
	card(pg, "Targets met", v, s, nshort > 0);
	money(v, sizeof(v), rv_num(d, "solution.objective"));
	card(pg, "Objective", v, "discounted cost of money and purchases plus shortfall penalties",
	     0);
	fputs("</div>\n", pg->f);
	const json_t *w = rv_get(d, "warnings");
	if (json_array_size(w)) {
		fputs("<div class=\"notice\" role=\"note\"><strong>Warnings</strong><ul>", pg->f);
		json_array_foreach(w, i, o)
		{
			fputs("<li>", pg->f);
			text(pg, json_string_value(o));
			fputs("</li>", pg->f);
		}
		fputs("</ul></div>\n", pg->f);
	}
	const json_t *rc = rv_get(d, "solution.recheck");
	if (json_is_object(rc)) {
		snprintf(s, sizeof(s), "%.3g", rv_num(d, "solution.recheck.max_violation"));
		fprintf(pg->f,
			"<p class=\"note\">The solution was re-checked in porcupine's own "
			"arithmetic: %s (largest violation of a rule %s).</p>\n",
			json_is_true(json_object_get(rc, "ok")) ? "passed" : "FAILED", s);
	}
	fputs("</section>\n", pg->f);
	rv_keys_release(&shortcaps);
}

/* ---- charts ----------------------------------------------------------------------------- */

/* Series of a pivot sorted largest first (rows = series, cols = years): the rows with
 * spend, at most MAX_SERIES, the smallest summed as `other` when there are more.  Fills
 * names and values (nser x ny, zeroed by the caller); returns the count. */
static size_t top_series(const struct rv_pivot *pv, const char *section, const json_t *doc,
			 const char **names, double *values, size_t ny, const char *other)
{
	size_t n = 0, rows = 0;
	for (size_t r = 0; r < pv->rows.n; r++)
		rows += rv_pivot_row_total(pv, r) > 0;
	for (size_t r = 0; r < pv->rows.n; r++) {
		if (rv_pivot_row_total(pv, r) <= 0)
			continue;
		size_t s = rows > MAX_SERIES && n == MAX_SERIES - 1 ? n : n++;
		names[s] = rows > MAX_SERIES && s == MAX_SERIES - 1
			       ? other
			       : rv_name(doc, section, pv->rows.v[r]);
		for (size_t y = 0; y < ny; y++)
			values[s * ny + y] += rv_pivot_at(pv, r, y);
	}
	return rows > MAX_SERIES ? MAX_SERIES : n;
}

static void chart_spend(struct page *pg)
{
	const json_t *d = pg->doc;
	struct rv_pivot pv = RV_PIVOT_INIT, pers = RV_PIVOT_INIT;
	size_t ny = pg->years.n;
	const char *names[MAX_SERIES + 1];
	double *vals = NULL;
	struct svg_series ser[MAX_SERIES + 1];
	char desc[400], tot[48];

	for (size_t y = 0; y < ny; y++)
		if (rv_keys_add(&pv.cols, pg->years.v[y]) < 0 ||
		    rv_keys_add(&pers.cols, pg->years.v[y]) < 0)
			goto oom;
	if (rv_pivot_build(&pv, rv_get(d, "solution.allocation"), "category", "year", "eur") ||
	    rv_pivot_build(&pers, rv_get(d, "solution.forces"), "deployment", "year", "cost_eur") ||
	    rv_pivot_sort_rows(&pv))
		goto oom;
	vals = pc_calloc((MAX_SERIES + 1) * (ny + 1), sizeof(*vals));
	if (!vals)
		goto oom;
	size_t n = top_series(&pv, "categories", d, names, vals, ny, "Other categories");
	double ptot = 0;
	for (size_t r = 0; r < pers.rows.n; r++)
		ptot += rv_pivot_row_total(&pers, r);
	if (ptot > 0) {
		names[n] = "Personnel (deployed forces)";
		for (size_t y = 0; y < ny; y++)
			for (size_t r = 0; r < pers.rows.n; r++)
				vals[n * ny + y] += rv_pivot_at(&pers, r, y);
		n++;
	}
	fputs("<section id=\"spend\" aria-labelledby=\"h-spend\">\n"
	      "<h2 id=\"h-spend\">Spend by category and year</h2>\n",
	      pg->f);
	if (n == 0 || ny == 0) {
		fputs("<p class=\"note\">Nothing is bought.</p>\n</section>\n", pg->f);
		goto out;
	}
	for (size_t s = 0; s < n; s++)
		ser[s] =
		    (struct svg_series){.name = names[s], .values = vals + s * ny, .color = (int)s};
	money(tot, sizeof(tot), rv_num(d, "solution.total_spend_eur"));
	snprintf(desc, sizeof(desc),
		 "Stacked bars, one per year from %s to %s: money spent on each category of "
		 "purchases (by year of order) and on deployed personnel; %s in all. The largest "
		 "category is %s.",
		 pg->years.v[0], pg->years.v[ny - 1], tot, names[0]);
	struct svg_chart c = SVG_CHART_INIT;
	c.type = SVG_STACKED;
	c.id = "fig-spend";
	c.width = FULL_WIDTH;
	c.title = "Spend by category and year (EUR)";
	c.desc = desc;
	c.y_label = "EUR";
	c.categories = (const char *const *)pg->years.v;
	c.ncat = ny;
	c.series = ser;
	c.nseries = n;
	c.unit = SVG_UNIT_EUR;
	c.height = 400;
	figure(pg, &c,
	       "Purchases count in the year they are ordered. The table of allocations below and "
	       "allocation.csv list every purchase.");
	fputs("</section>\n", pg->f);
	goto out;
oom:
	pg->oom = 1;
out:
	free(vals);
	rv_pivot_release(&pv);
	rv_pivot_release(&pers);
}

static void chart_funding(struct page *pg)
{
	const json_t *d = pg->doc;
	struct rv_pivot av = RV_PIVOT_INIT, ci = RV_PIVOT_INIT, us = RV_PIVOT_INIT;
	size_t ny = pg->years.n, n = 0;
	const json_t *fund = rv_get(d, "solution.funding");
	double *vals = NULL;
	struct svg_series *ser = NULL;

	for (size_t y = 0; y < ny; y++)
		if (rv_keys_add(&av.cols, pg->years.v[y]) < 0 ||
		    rv_keys_add(&ci.cols, pg->years.v[y]) < 0 ||
		    rv_keys_add(&us.cols, pg->years.v[y]) < 0)
			goto oom;
	if (rv_pivot_build(&av, fund, "source", "year", "available_eur") ||
	    rv_pivot_build(&ci, fund, "source", "year", "carry_in_eur") ||
	    rv_pivot_build(&us, fund, "source", "year", "used_eur"))
		goto oom;
	size_t ns = av.rows.n;
	vals = pc_calloc(2 * ns * ny + 1, sizeof(*vals));
	ser = pc_calloc(2 * ns + 1, sizeof(*ser));
	if (!vals || !ser)
		goto oom;
	for (size_t s = 0; s < ns; s++) {
		double tot = 0;
		double *a = vals + 2 * n * ny, *u = a + ny;
		int ui = rv_keys_find(&us.rows, av.rows.v[s]),
		    cj = rv_keys_find(&ci.rows, av.rows.v[s]);
		for (size_t y = 0; y < ny; y++) {
			a[y] = rv_pivot_at(&av, s, y) +
			       (cj >= 0 ? rv_pivot_at(&ci, (size_t)cj, y) : 0);
			u[y] = ui >= 0 ? rv_pivot_at(&us, (size_t)ui, y) : 0;
			tot += a[y] + u[y];
		}
		if (tot <= 0)
			continue;
		ser[2 * n] = (struct svg_series){.values = a, .color = (int)s, .dashed = 1};
		ser[2 * n + 1] = (struct svg_series){.name = rv_name(d, "funding", av.rows.v[s]),
						     .values = u,
						     .color = (int)s,
						     .overlay = 1};
		n++;
	}
	fputs("<section id=\"funding\" aria-labelledby=\"h-funding\">\n"
	      "<h2 id=\"h-funding\">Funding: money used against money available</h2>\n",
	      pg->f);
	if (n == 0) {
		fputs("<p class=\"note\">The plan has no funding.</p>\n", pg->f);
	} else {
		struct svg_chart c = SVG_CHART_INIT;
		c.type = SVG_GROUPED;
		c.id = "fig-funding";
		c.width = FULL_WIDTH;
		c.title = "Money used and available by source and year (EUR)";
		c.desc =
		    "Grouped bars, one group per year and one bar per funding source: the "
		    "outlined bar is the money the source makes available in the year "
		    "(including money carried in from earlier years), the filled bar inside it "
		    "the money used.";
		c.y_label = "EUR";
		c.categories = (const char *const *)pg->years.v;
		c.ncat = ny;
		c.series = ser;
		c.nseries = 2 * n;
		c.unit = SVG_UNIT_EUR;
		figure(pg, &c,
		       "Outlined: available in the year, including money carried over; filled: "
		       "used. Money a source leaves unused in its last year is not spent.");
	}
	/* The table: used / available per source and year, and the value of one more EUR. */
	fputs("<table>\n<caption>Money by source: used of available per year "
	      "(EUR)</caption>\n<thead><tr>"
	      "<th scope=\"col\">Source</th>",
	      pg->f);
	for (size_t y = 0; y < ny; y++)
		fprintf(pg->f, "<th scope=\"col\" class=\"n\">%s</th>", pg->years.v[y]);
	fputs(
	    "<th scope=\"col\" class=\"n\">Used in all</th><th scope=\"col\" class=\"n\">Available"
	    "</th></tr></thead>\n<tbody>\n",
	    pg->f);
	double gu = 0, ga = 0;
	for (size_t s = 0; s < ns; s++) {
		int ui = rv_keys_find(&us.rows, av.rows.v[s]);
		double tu = 0, ta = rv_pivot_row_total(&av, s);
		fputs("<tr><th scope=\"row\">", pg->f);
		text(pg, rv_name(d, "funding", av.rows.v[s]));
		ref(pg, "funding", av.rows.v[s]);
		fputs("</th>", pg->f);
		for (size_t y = 0; y < ny; y++) {
			double u = ui >= 0 ? rv_pivot_at(&us, (size_t)ui, y) : 0;
			tu += u;
			td_money(pg, u);
		}
		td_money(pg, tu);
		td_money(pg, ta);
		fputs("</tr>\n", pg->f);
		gu += tu;
		ga += ta;
	}
	fputs("<tr class=\"total\"><th scope=\"row\">All sources</th>", pg->f);
	for (size_t y = 0; y < ny; y++) {
		double u = 0;
		for (size_t r = 0; r < us.rows.n; r++)
			u += rv_pivot_at(&us, r, y);
		td_money(pg, u);
	}
	td_money(pg, gu);
	td_money(pg, ga);
	fputs("</tr>\n</tbody>\n</table>\n</section>\n", pg->f);
	goto out;
oom:
	pg->oom = 1;
out:
	free(vals);
	free(ser);
	rv_pivot_release(&av);
	rv_pivot_release(&ci);
	rv_pivot_release(&us);
}

/* Per capability over the horizon: targets, shortfalls, the worst year, shadow prices. */
struct capsum {
	const char *id, *unit;
	double target, shortfall, worst, worst_share, price;
	double worst_year; /* NAN when never short */
};

static int by_missed_desc(const void *a, const void *b)
{
	const struct capsum *x = a, *y = b;
	double sx = x->target > 0 ? x->shortfall / x->target : 1;
	double sy = y->target > 0 ? y->shortfall / y->target : 1;
	if (sx != sy)
		return sx > sy ? -1 : 1;
	return strcmp(x->id, y->id);
}

static size_t capability_sums(const json_t *doc, struct capsum **out)
{
	const json_t *req = rv_get(doc, "solution.requirements");
	struct capsum *cs = pc_calloc(json_array_size(req) + 1, sizeof(*cs));
	size_t n = 0, i;
	json_t *o;
	if (!cs) {
		*out = NULL;
		return 0;
	}
	json_array_foreach(req, i, o)
	{
		const char *id = json_string_value(json_object_get(o, "capability"));
		if (!id)
			continue;
		size_t k = 0;
		while (k < n && strcmp(cs[k].id, id))
			k++;
		if (k == n) {
			cs[n].id = id;
			cs[n].unit = json_string_value(json_object_get(o, "unit"));
			cs[n].worst_year = NAN;
			n++;
		}
		double t = rv_field(o, "target"), s = rv_field(o, "shortfall");
		double p = rv_field(o, "shadow_price");
		cs[k].target += isfinite(t) ? t : 0;
		if (rv_is_short(s, t)) {
			cs[k].shortfall += s;
			double share = t > 0 ? s / t : 1;
			if (share > cs[k].worst_share ||
			    (share == cs[k].worst_share && s > cs[k].worst)) {
				cs[k].worst_share = share;
				cs[k].worst = s;
				cs[k].worst_year = rv_field(o, "year");
			}
		}
		if (isfinite(p) && p > cs[k].price)
			cs[k].price = p;
	}
	*out = cs;
	return n;
}

static void chart_shortfalls(struct page *pg)
{
	const json_t *d = pg->doc;
	struct capsum *cs;
	size_t n = capability_sums(d, &cs), ns = 0;
	if (!cs) {
		pg->oom = 1;
		return;
	}
	qsort(cs, n, sizeof(*cs), by_missed_desc);
	for (size_t k = 0; k < n; k++)
		ns += cs[k].shortfall > 0;
	fputs("<section id=\"capabilities\" aria-labelledby=\"h-cap\">\n"
	      "<h2 id=\"h-cap\">Capabilities: shortfalls and what closing them is worth</h2>\n",
	      pg->f);
	if (ns == 0) {
		fputs("<p class=\"note\">Every capability meets its target in every year.</p>\n",
		      pg->f);
	} else {
		const char **cats = pc_calloc(ns, sizeof(*cats));
		char **notes = pc_calloc(ns, sizeof(*notes));
		double *v = pc_calloc(ns, sizeof(*v));
		if (!cats || !notes || !v) {
			pg->oom = 1;
		} else {
			for (size_t k = 0; k < ns; k++) {
				char q[48], p[48], yr[24];
				cats[k] = rv_name(d, "capabilities", cs[k].id);
				v[k] = cs[k].target > 0 ? cs[k].shortfall / cs[k].target : 1;
				rpt_fmt_qty(q, sizeof(q), cs[k].worst);
				money(p, sizeof(p), cs[k].price);
				if (isfinite(cs[k].worst_year))
					snprintf(yr, sizeof(yr), "%.0f", cs[k].worst_year);
				else
					snprintf(yr, sizeof(yr), "-");
				notes[k] = pc_malloc(160);
				if (notes[k])
					snprintf(notes[k], 160, "%s %s short in %s; %s/unit", q,
						 cs[k].unit ? cs[k].unit : "units", yr, p);
			}
			struct svg_series ser = {.name = NULL, .values = v, .color = 6};
			struct svg_chart c = SVG_CHART_INIT;
			c.type = SVG_HBARS;
			c.id = "fig-shortfall";
			c.width = FULL_WIDTH;
			c.title = "Share of the target missed over the horizon, by capability";
			c.desc =
			    "Horizontal bars, largest first: for each capability that falls "
			    "short in some year, the shortfall summed over the years as a share "
			    "of the targets summed over the years. The text after each bar gives "
			    "the worst year and the shadow price: what one more unit of the "
			    "target would add to the objective.";
			c.categories = cats;
			c.ncat = ns;
			c.series = &ser;
			c.nseries = 1;
			c.unit = SVG_UNIT_SHARE;
			c.notes = (const char *const *)notes;
			c.value_labels = 1;
			c.x_label = "share of the target missed";
			figure(pg, &c,
			       "Shadow price: the highest over the years, in EUR of objective per "
			       "unit of capability. A high price with a large gap marks where more "
			       "money or capacity would help most.");
		}
		for (size_t k = 0; k < ns && notes; k++)
			free(notes[k]);
		free(cats);
		free(notes);
		free(v);
	}
	free(cs);
}

/* The capabilities to plot first: highest priority (1) first, then the plan's order. */
struct prio {
	const char *id;
	double priority;
	size_t order;
};

static int by_priority(const void *a, const void *b)
{
	const struct prio *x = a, *y = b;
	if (x->priority != y->priority)
		return x->priority < y->priority ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static void charts_stock(struct page *pg)
{
	const json_t *d = pg->doc;
	const json_t *req = rv_get(d, "solution.requirements");
	struct rv_keys caps = RV_KEYS_INIT;
	struct prio *pr = NULL;
	double *vals = NULL;
	size_t ny = pg->years.n, i;
	json_t *o;
	char path[256];

	json_array_foreach(req, i, o)
	{
		const char *id = json_string_value(json_object_get(o, "capability"));
		if (id && rv_keys_add(&caps, id) < 0)
			goto oom;
	}
	if (caps.n == 0 || ny == 0)
		goto out;
	pr = pc_calloc(caps.n, sizeof(*pr));
	vals = pc_calloc(2 * ny + 1, sizeof(*vals));
	if (!pr || !vals)
		goto oom;
	for (size_t k = 0; k < caps.n; k++) {
		snprintf(path, sizeof(path), "capabilities.%s.priority", caps.v[k]);
		double p = rv_param(d, path, -1);
		pr[k] = (struct prio){caps.v[k], isfinite(p) ? p : 1e9, k};
	}
	qsort(pr, caps.n, sizeof(*pr), by_priority);
	size_t nc = caps.n < MAX_STOCK_CHARTS ? caps.n : MAX_STOCK_CHARTS;
	fputs("<h3>In service against target, highest-priority capabilities</h3>\n"
	      "<div class=\"grid2\">\n",
	      pg->f);
	for (size_t k = 0; k < nc; k++) {
		double *ach = vals, *tgt = vals + ny;
		const char *unit = NULL;
		for (size_t y = 0; y < ny; y++)
			ach[y] = tgt[y] = NAN;
		json_array_foreach(req, i, o)
		{
			char yb[24];
			const char *id = json_string_value(json_object_get(o, "capability"));
			const char *yr = rv_key(o, "year", yb, sizeof(yb));
			if (!id || !yr || strcmp(id, pr[k].id))
				continue;
			int y = rv_keys_find(&pg->years, yr);
			if (y < 0)
				continue;
			ach[y] = rv_field(o, "achieved");
			tgt[y] = rv_field(o, "target");
			unit = json_string_value(json_object_get(o, "unit"));
		}
		struct svg_series ser[2] = {
		    {.name = "in service", .values = ach, .color = 0},
		    {.name = "target", .values = tgt, .color = 6, .dashed = 1},
		};
		char id[32], desc[400];
		const char *name = rv_name(d, "capabilities", pr[k].id);
		snprintf(id, sizeof(id), "fig-stock-%zu", k + 1);
		snprintf(desc, sizeof(desc),
			 "Line chart over the years %s to %s: the capability in service (solid) "
			 "against its target (dashed), in %s.",
			 pg->years.v[0], pg->years.v[ny - 1], unit ? unit : "units");
		struct svg_chart c = SVG_CHART_INIT;
		c.type = SVG_LINES;
		c.id = id;
		c.title = name;
		c.desc = desc;
		c.y_label = unit;
		c.categories = (const char *const *)pg->years.v;
		c.ncat = ny;
		c.series = ser;
		c.nseries = 2;
		c.width = 480;
		c.height = 250;
		figure(pg, &c, NULL);
	}
	fputs("</div>\n", pg->f);
	goto out;
oom:
	pg->oom = 1;
out:
	free(pr);
	free(vals);
	rv_keys_release(&caps);
}

/* ---- scenarios, tornado and other optional sections ----------------------------------------- */

static double q_of(const json_t *o, const char *key, const char *q)
{
	return rv_field(json_object_get(o, key), q);
}

/* A fan chart for one capability when the scenario section has per-year quantiles:
 * capabilities[i].years = [{year, achieved|shortfall: {p5, p50, p95}, target?}]. */
static void fan_chart(struct page *pg, const json_t *cap, size_t k)
{
	const json_t *yrs = json_object_get(cap, "years");
	if (!json_array_size(yrs))
		yrs = json_object_get(cap, "by_year");
	size_t ny = pg->years.n, i;
	json_t *o;
	if (!json_array_size(yrs) || ny == 0)
		return;
	const char *key =
	    json_object_get(json_array_get(yrs, 0), "achieved") ? "achieved" : "shortfall";
	double *v = pc_calloc(4 * ny, sizeof(*v));
	if (!v) {
		pg->oom = 1;
		return;
	}
	double *p5 = v, *p50 = v + ny, *p95 = v + 2 * ny, *tg = v + 3 * ny;
	int any_target = 0;
	for (size_t y = 0; y < ny; y++)
		p5[y] = p50[y] = p95[y] = tg[y] = NAN;
	json_array_foreach(yrs, i, o)
	{
		char yb[24];
		const char *yr = rv_key(o, "year", yb, sizeof(yb));
		int y = yr ? rv_keys_find(&pg->years, yr) : -1;
		if (y < 0)
			continue;
		p5[y] = q_of(o, key, "p5");
		p50[y] = q_of(o, key, "p50");
		p95[y] = q_of(o, key, "p95");
		tg[y] = rv_field(o, "target");
		any_target |= isfinite(tg[y]);
	}
	const char *cid = json_string_value(json_object_get(cap, "capability"));
	struct svg_series ser[2] = {
	    {.name = strcmp(key, "achieved") ? "shortfall, median" : "in service, median",
	     .values = p50,
	     .lo = p5,
	     .hi = p95,
	     .color = 0},
	    {.name = "target", .values = tg, .color = 6, .dashed = 1},
	};
	char id[32], desc[400];
	snprintf(id, sizeof(id), "fig-fan-%zu", k + 1);
	snprintf(desc, sizeof(desc),
		 "Fan chart over the scenarios: the median %s per year as a line, the band from "
		 "the 5th to the 95th percentile shaded%s.",
		 strcmp(key, "achieved") ? "shortfall" : "capability in service",
		 any_target && !strcmp(key, "achieved")
		     ? "; the dashed line is the nominal plan's target (where a target is "
		       "uncertain it moves with the scenario)"
		     : "");
	struct svg_chart c = SVG_CHART_INIT;
	c.type = SVG_LINES;
	c.id = id;
	c.title = rv_name(pg->doc, "capabilities", cid ? cid : "?");
	c.desc = desc;
	c.categories = (const char *const *)pg->years.v;
	c.ncat = ny;
	c.series = ser;
	c.nseries = any_target && !strcmp(key, "achieved") ? 2 : 1;
	c.band_label = "P5\xE2\x80\x93P95";
	c.width = 480;
	c.height = 250;
	figure(pg, &c, NULL);
	free(v);
}

/* Ranges over the scenarios, one row per entry of arr: P5..P95 with the median marked. */
static void range_chart(struct page *pg, const json_t *arr, const char *idkey, const char *distkey,
			const char *section, const char *id, const char *title, const char *desc)
{
	size_t n = json_array_size(arr), k = 0, i;
	json_t *o;
	if (n == 0)
		return;
	const char **names = pc_calloc(n, sizeof(*names));
	double *v = pc_calloc(3 * n, sizeof(*v));
	if (!names || !v) {
		pg->oom = 1;
		goto out;
	}
	json_array_foreach(arr, i, o)
	{
		const json_t *dist = json_object_get(o, distkey);
		const char *cid = json_string_value(json_object_get(o, idkey));
		if (!(rv_field(dist, "p95") > 0))
			continue; /* never spent: nothing to draw */
		names[k] = rv_name(pg->doc, section, cid ? cid : "?");
		v[k] = rv_field(dist, "p50");
		v[n + k] = rv_field(dist, "p5");
		v[2 * n + k] = rv_field(dist, "p95");
		k++;
	}
	if (k) {
		struct svg_series ser = {.name = "median, and the range from P5 to P95",
					 .values = v,
					 .lo = v + n,
					 .hi = v + 2 * n,
					 .color = 0};
		struct svg_chart c = SVG_CHART_INIT;
		c.type = SVG_HBARS;
		c.id = id;
		c.width = FULL_WIDTH;
		c.title = title;
		c.desc = desc;
		c.categories = names;
		c.ncat = k;
		c.series = &ser;
		c.nseries = 1;
		c.unit = SVG_UNIT_EUR;
		c.value_labels = 1;
		c.x_label = "EUR";
		figure(pg, &c, NULL);
	}
out:
	free(names);
	free(v);
}

static void section_scenarios(struct page *pg)
{
	const json_t *sc = rv_get(pg->doc, "scenarios");
	const json_t *caps = json_object_get(sc, "capabilities");
	const json_t *cats = json_object_get(sc, "categories");
	char v[64], s[200], a[48], b[48];
	size_t i, n;
	json_t *o;

	if (!json_is_object(sc))
		return;
	fputs("<section id=\"scenarios\" aria-labelledby=\"h-scen\">\n"
	      "<h2 id=\"h-scen\">Scenarios: how sure the plan is</h2>\n<div class=\"cards\">\n",
	      pg->f);
	snprintf(v, sizeof(v), "%.0f", rv_field(sc, "n"));
	snprintf(s, sizeof(s), "%.0f solved, %.0f failed", rv_field(sc, "solved"),
		 rv_field(sc, "failed"));
	card(pg, "Scenarios drawn", v, s, rv_field(sc, "failed") > 0);
	const json_t *ob = json_object_get(sc, "objective");
	money(v, sizeof(v), rv_field(ob, "mean"));
	money(a, sizeof(a), rv_field(ob, "p5"));
	money(b, sizeof(b), rv_field(ob, "p95"));
	snprintf(s, sizeof(s), "mean; 90%% of scenarios between %s and %s", a, b);
	card(pg, "Objective", v, s, 0);
	money(v, sizeof(v), rv_field(ob, "p50"));
	money(a, sizeof(a), rv_field(ob, "stderr"));
	snprintf(s, sizeof(s), "median; standard error of the mean %s", a);
	card(pg, "Objective, median", v, s, 0);
	fputs("</div>\n", pg->f);

	n = json_array_size(caps);
	if (n) {
		const char **names = pc_calloc(n, sizeof(*names));
		char **notes = pc_calloc(n, sizeof(*notes));
		double *p = pc_calloc(n, sizeof(*p));
		if (!names || !notes || !p) {
			pg->oom = 1;
		} else {
			json_array_foreach(caps, i, o)
			{
				const char *id =
				    json_string_value(json_object_get(o, "capability"));
				char m[48], q[48];
				names[i] = rv_name(pg->doc, "capabilities", id ? id : "?");
				p[i] = rv_field(o, "p_target_met");
				rpt_fmt_qty(m, sizeof(m), q_of(o, "shortfall", "mean"));
				rpt_fmt_qty(q, sizeof(q), q_of(o, "shortfall", "p95"));
				notes[i] = pc_malloc(120);
				if (notes[i])
					snprintf(notes[i], 120, "shortfall mean %s, P95 %s", m, q);
			}
			struct svg_series ser = {.values = p, .color = 2};
			struct svg_chart c = SVG_CHART_INIT;
			c.type = SVG_HBARS;
			c.id = "fig-ptarget";
			c.width = FULL_WIDTH;
			c.title = "Probability that the capability meets its target";
			c.desc = "Horizontal bars: for each capability, the share of scenarios in "
				 "which it meets its target in every year, with the mean and 95th "
				 "percentile of its shortfall.";
			c.categories = names;
			c.ncat = n;
			c.series = &ser;
			c.nseries = 1;
			c.unit = SVG_UNIT_SHARE;
			c.notes = (const char *const *)notes;
			c.value_labels = 1;
			c.x_label = "share of scenarios";
			figure(pg, &c, NULL);
		}
		for (size_t k = 0; notes && k < n; k++)
			free(notes[k]);
		free(names);
		free(notes);
		free(p);
		int any_fan = 0;
		json_array_foreach(caps, i, o) any_fan |=
		    json_array_size(json_object_get(o, "years")) > 0 ||
		    json_array_size(json_object_get(o, "by_year")) > 0;
		if (any_fan) {
			fputs("<h3>Fan charts: the spread over the scenarios</h3>\n<div "
			      "class=\"grid2\">\n",
			      pg->f);
			json_array_foreach(caps, i, o) fan_chart(pg, o, i);
			fputs("</div>\n", pg->f);
		}
	}
	range_chart(
	    pg, cats, "category", "spend_eur", "categories", "fig-scen-spend",
	    "Spend by category over the scenarios (EUR)",
	    "Horizontal range bars, one per category with spend: the pale bar spans the 5th "
	    "to the 95th percentile of the category's spend over the scenarios, the dark "
	    "mark is the median.");
	range_chart(pg, json_object_get(sc, "funding"), "source", "used_eur", "funding",
		    "fig-scen-funding", "Money used by source over the scenarios (EUR)",
		    "Horizontal range bars, one per funding source: the pale bar spans the 5th to "
		    "the 95th percentile of the money used over the scenarios, the dark mark is "
		    "the median.");
	n = json_array_size(cats);
	if (n) {
		fputs(
		    "<table>\n<caption>Spend by category over the scenarios "
		    "(EUR)</caption>\n<thead><tr>"
		    "<th scope=\"col\">Category</th><th scope=\"col\" class=\"n\">Mean</th>"
		    "<th scope=\"col\" class=\"n\">P5</th><th scope=\"col\" class=\"n\">Median</th>"
		    "<th scope=\"col\" class=\"n\">P95</th></tr></thead>\n<tbody>\n",
		    pg->f);
		json_array_foreach(cats, i, o)
		{
			const char *id = json_string_value(json_object_get(o, "category"));
			fputs("<tr><th scope=\"row\">", pg->f);
			text(pg, rv_name(pg->doc, "categories", id ? id : "?"));
			fputs("</th>", pg->f);
			td_money(pg, q_of(o, "spend_eur", "mean"));
			td_money(pg, q_of(o, "spend_eur", "p5"));
			td_money(pg, q_of(o, "spend_eur", "p50"));
			td_money(pg, q_of(o, "spend_eur", "p95"));
			fputs("</tr>\n", pg->f);
		}
		fputs("</tbody>\n</table>\n", pg->f);
	}
	fputs("</section>\n", pg->f);
}

/* A table of the flat members of an array of objects (numbers, strings, booleans). */
static void generic_table(struct page *pg, const char *caption, const json_t *arr)
{
	struct rv_keys cols = RV_KEYS_INIT;
	size_t i, n = json_array_size(arr);
	json_t *o;
	const char *k;
	json_t *v;

	json_array_foreach(arr, i, o)
	{
		if (i >= MAX_GENERIC_ROWS)
			break;
		json_object_foreach(o, k, v) if (!json_is_object(v) && !json_is_array(v) &&
						 rv_keys_add(&cols, k) < 0) pg->oom = 1;
	}
	if (cols.n == 0)
		goto out;
	fputs("<table>\n<caption>", pg->f);
	text(pg, caption);
	if (n > MAX_GENERIC_ROWS)
		fprintf(pg->f, " (first %d of %zu rows; all in report.json)", MAX_GENERIC_ROWS, n);
	fputs("</caption>\n<thead><tr>", pg->f);
	for (size_t c = 0; c < cols.n; c++) {
		fputs("<th scope=\"col\">", pg->f);
		text(pg, cols.v[c]);
		fputs("</th>", pg->f);
	}
	fputs("</tr></thead>\n<tbody>\n", pg->f);
	json_array_foreach(arr, i, o)
	{
		if (i >= MAX_GENERIC_ROWS)
			break;
		fputs("<tr>", pg->f);
		for (size_t c = 0; c < cols.n; c++) {
			v = json_object_get(o, cols.v[c]);
			if (json_is_number(v)) {
				char b[48];
				double x = json_number_value(v);
				int eur =
				    strstr(cols.v[c], "eur") || strstr(cols.v[c], "objective");
				if (eur)
					money(b, sizeof(b), x);
				else
					rpt_fmt_qty(b, sizeof(b), x);
				fprintf(pg->f, "<td class=\"n\">%s</td>", b);
			} else if (json_is_string(v)) {
				td_text(pg, json_string_value(v));
			} else if (json_is_boolean(v)) {
				td_text(pg, json_is_true(v) ? "yes" : "no");
			} else {
				td_text(pg, NULL);
			}
		}
		fputs("</tr>\n", pg->f);
	}
	fputs("</tbody>\n</table>\n", pg->f);
out:
	rv_keys_release(&cols);
}

/* ---- ranging: what binds, and how far prices can move ---------------------------------- */

static int money_kind(const char *k)
{
	return k && (!strcmp(k, "fund") || !strcmp(k, "fund_total") || !strcmp(k, "allocation") ||
		     !strcmp(k, "prefinancing"));
}

/* "Money of SAFE loans", "Target: Air defence fire units", ... */
static void rule_label(struct page *pg, const json_t *row)
{
	const char *k = json_string_value(json_object_get(row, "kind"));
	const char *src = json_string_value(json_object_get(row, "source"));
	const char *buy = json_string_value(json_object_get(row, "buyer"));
	const char *it = json_string_value(json_object_get(row, "item"));
	const char *cap = json_string_value(json_object_get(row, "capability"));
	const char *what = k ? k : "rule";
	const char *name = NULL, *section = NULL;
	if (k && !strcmp(k, "fund"))
		what = "Money of", name = src, section = "funding";
	else if (k && !strcmp(k, "fund_total"))
		what = "All the money of", name = src, section = "funding";
	else if (k && !strcmp(k, "allocation"))
		what = "Allocation of", name = src, section = "funding";
	else if (k && !strcmp(k, "prefinancing"))
		what = "Pre-financing of", name = src, section = "funding";
	else if (k && !strcmp(k, "capability"))
		what = "Target:", name = cap, section = "capabilities";
	else if (k && !strcmp(k, "capacity"))
		what = "Production capacity:", name = it, section = "items";
	text(pg, what);
	if (name) {
		fputc(' ', pg->f);
		text(pg, rv_name(pg->doc, section, name));
	}
	if (buy) {
		fputs(" (", pg->f);
		text(pg, rv_name(pg->doc, "buyers", buy));
		fputc(')', pg->f);
	}
}

static void td_bound(struct page *pg, double v, int money_row, const char *none)
{
	if (!isfinite(v)) {
		fprintf(pg->f, "<td class=\"n muted\">%s</td>", none);
		return;
	}
	if (money_row)
		td_money(pg, v);
	else
		td_qty(pg, v, 0);
}

struct impact {
	const json_t *row;
	double key;
	size_t order;
};

static int by_impact(const void *a, const void *b)
{
	const struct impact *x = a, *y = b;
	if (x->key != y->key)
		return x->key > y->key ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static void ranging_view(struct page *pg, const json_t *r)
{
	const json_t *rows = json_object_get(r, "rows"), *items = json_object_get(r, "items");
	size_t n = json_array_size(rows), nb = 0, i;
	json_t *o;
	struct impact *im = pc_calloc(n + 1, sizeof(*im));
	if (!im) {
		pg->oom = 1;
		return;
	}
	json_array_foreach(rows, i, o)
	{
		double pr = rv_field(o, "price"), bd = rv_field(o, "bound");
		if (!json_is_true(json_object_get(o, "binding")) || !isfinite(pr) || !isfinite(bd))
			continue;
		im[nb++] = (struct impact){o, fabs(pr * bd), i};
	}
	qsort(im, nb, sizeof(*im), by_impact);
	fputs("<h3>What binds: the rules that limit the plan</h3>\n<p class=\"note\">The value of "
	      "one more unit of a rule's bound (EUR of objective per EUR for money, per unit for "
	      "capacities and targets) holds while the bound stays within the range shown; rules "
	      "that matter most (price \xC3\x97 bound) first.",
	      pg->f);
	const char *basis = json_string_value(json_object_get(r, "basis"));
	if (basis && !strcmp(basis, "lp_with_lots_fixed"))
		fputs(" The ranges are those of the linear program with the whole-unit lots fixed.",
		      pg->f);
	fputs("</p>\n", pg->f);
	if (nb == 0) {
		fputs("<p class=\"note\">No rule binds.</p>\n", pg->f);
	} else {
		fputs("<table>\n<caption>Binding rules", pg->f);
		if (nb > MAX_RANGING_ROWS)
			fprintf(pg->f, " (the first %d of %zu; all in ranging.csv)",
				MAX_RANGING_ROWS, nb);
		fputs("</caption>\n<thead><tr><th scope=\"col\">Rule</th><th scope=\"col\" "
		      "class=\"n\">Year</th><th scope=\"col\" class=\"n\">Bound</th>"
		      "<th scope=\"col\" class=\"n\">Value of one more unit</th>"
		      "<th scope=\"col\" class=\"n\">Bound may go from</th>"
		      "<th scope=\"col\" class=\"n\">to</th></tr></thead>\n<tbody>\n",
		      pg->f);
		for (size_t k = 0; k < nb && k < MAX_RANGING_ROWS; k++) {
			const json_t *w = im[k].row;
			int mk = money_kind(json_string_value(json_object_get(w, "kind")));
			char yb[24], pb[48];
			const char *yr = rv_key(w, "year", yb, sizeof(yb));
			fputs("<tr><th scope=\"row\">", pg->f);
			rule_label(pg, w);
			fprintf(pg->f, "</th><td class=\"n\">%s</td>", yr ? yr : "all");
			td_bound(pg, rv_field(w, "bound"), mk, "-");
			if (mk)
				snprintf(pb, sizeof(pb), "%.3g", rv_field(w, "price"));
			else
				money(pb, sizeof(pb), rv_field(w, "price"));
			fprintf(pg->f, "<td class=\"n\">%s</td>", pb);
			td_bound(pg, rv_field(w, "lo"), mk, "no limit");
			td_bound(pg, rv_field(w, "hi"), mk, "no limit");
			fputs("</tr>\n", pg->f);
		}
		fputs("</tbody>\n</table>\n", pg->f);
	}
	free(im);
	if (!json_array_size(items))
		return;
	fputs("<h3>Unit costs: how far each price can move before the plan changes</h3>\n"
	      "<table>\n<caption>Unit cost of each item (EUR) and the range over which the "
	      "purchases stay the same</caption>\n<thead><tr><th scope=\"col\">Item</th>"
	      "<th scope=\"col\" class=\"n\">Units bought</th><th scope=\"col\" class=\"n\">Unit "
	      "cost</th><th scope=\"col\" class=\"n\">Lowest</th><th scope=\"col\" "
	      "class=\"n\">Highest</th></tr></thead>\n<tbody>\n",
	      pg->f);
	json_array_foreach(items, i, o)
	{
		const char *it = json_string_value(json_object_get(o, "item"));
		double uc = rv_field(o, "unit_cost"), lo = rv_field(o, "unit_cost_lo");
		double hi = rv_field(o, "unit_cost_hi");
		/* beyond a thousand times the price, or below nothing: no practical limit */
		if (isfinite(lo) && lo <= 0)
			lo = NAN;
		if (isfinite(hi) && isfinite(uc) && hi > 1000 * fabs(uc))
			hi = NAN;
		fputs("<tr><th scope=\"row\">", pg->f);
		text(pg, rv_name(pg->doc, "items", it ? it : "?"));
		fputs("</th>", pg->f);
		td_qty(pg, rv_field(o, "units"), 0);
		td_money(pg, uc);
		td_bound(pg, lo, 1, "no limit");
		td_bound(pg, hi, 1, "no limit");
		fputs("</tr>\n", pg->f);
	}
	fputs("</tbody>\n</table>\n", pg->f);
}

static void section_sensitivity(struct page *pg)
{
	const json_t *t = rv_get(pg->doc, "tornado"), *r = rv_get(pg->doc, "ranging");
	if (!json_is_object(t) && !json_is_object(r))
		return;
	fputs("<section id=\"sensitivity\" aria-labelledby=\"h-sens\">\n"
	      "<h2 id=\"h-sens\">Sensitivity</h2>\n",
	      pg->f);
	const json_t *bars = json_object_get(t, "bars");
	size_t n = json_array_size(bars), i;
	json_t *o;
	if (n) {
		if (n > MAX_TORNADO_BARS)
			n = MAX_TORNADO_BARS;
		const char **names = pc_calloc(n, sizeof(*names));
		char **notes = pc_calloc(n, sizeof(*notes));
		double *v = pc_calloc(2 * n, sizeof(*v));
		double base = rv_field(t, "base_objective");
		if (!names || !notes || !v) {
			pg->oom = 1;
		} else {
			json_array_foreach(bars, i, o)
			{
				if (i >= n)
					break;
				const char *p = json_string_value(json_object_get(o, "parameter"));
				const char *path = json_string_value(json_object_get(o, "path"));
				char lo[48], hi[48];
				names[i] = p ? p : path ? path : "?";
				v[i] = rv_field(o, "objective_low");
				v[n + i] = rv_field(o, "objective_high");
				const char *ap = json_string_value(json_object_get(o, "apply"));
				const char *x = ap && !strcmp(ap, "scale") ? "\xC3\x97" : "";
				svg_fmt_value(lo, sizeof(lo), rv_field(o, "low"), SVG_UNIT_NUMBER);
				svg_fmt_value(hi, sizeof(hi), rv_field(o, "high"), SVG_UNIT_NUMBER);
				notes[i] = pc_malloc(120);
				if (notes[i])
					snprintf(notes[i], 120, "%s%s \xE2\x86\x92 %s%s", x, lo, x,
						 hi);
			}
			struct svg_series ser[2] = {
			    {.name = "parameter at its low value", .values = v, .color = 1},
			    {.name = "parameter at its high value",
			     .values = v + n,
			     .color = 6,
			     .overlay = 1},
			};
			char bl[64], bv[48];
			money(bv, sizeof(bv), base);
			snprintf(bl, sizeof(bl), "base %s", bv);
			struct svg_chart c = SVG_CHART_INIT;
			c.type = SVG_HBARS;
			c.id = "fig-tornado";
			c.width = FULL_WIDTH;
			c.title = "Tornado: objective when one parameter moves (EUR)";
			c.desc = "Horizontal bars from the base objective, one row per uncertain "
				 "parameter, largest swing first: how far the objective moves when "
				 "the parameter is at its low and at its high value, the others at "
				 "the plan's values.";
			c.categories = names;
			c.ncat = n;
			c.series = ser;
			c.nseries = 2;
			c.unit = SVG_UNIT_EUR;
			c.base = isfinite(base) ? base : 0;
			c.base_label = bl;
			c.notes = (const char *const *)notes;
			c.x_label = "objective (EUR)";
			figure(pg, &c, "Text after each bar: the parameter's low and high value.");
		}
		for (size_t k = 0; notes && k < n; k++)
			free(notes[k]);
		free(names);
		free(notes);
		free(v);
	}
	if (json_is_object(r))
		ranging_view(pg, r);
	fputs("</section>\n", pg->f);
}

/* ---- tables ------------------------------------------------------------------------------- */

/* Total EUR of the run of rows from k with the same item. */
static double item_total(const json_t *al, size_t k, const char *item)
{
	double t = 0;
	for (; k < json_array_size(al); k++) {
		const json_t *o = json_array_get(al, k);
		const char *it = json_string_value(json_object_get(o, "item"));
		if (!it || strcmp(it, item))
			break;
		double e = rv_field(o, "eur");
		t += isfinite(e) ? e : 0;
	}
	return t;
}

static void table_allocation(struct page *pg)
{
	const json_t *d = pg->doc;
	const json_t *al = rv_get(d, "solution.allocation");
	const char *prev = NULL;
	size_t i;
	json_t *o;
	double tot = 0;

	fputs("<section id=\"allocation\" aria-labelledby=\"h-alloc\">\n"
	      "<h2 id=\"h-alloc\">Allocation: what to buy, when, by whom, with which money</h2>\n",
	      pg->f);
	if (!json_array_size(al)) {
		fputs("<p class=\"note\">Nothing is bought.</p>\n</section>\n", pg->f);
		return;
	}
	fputs(
	    "<table>\n<caption>Purchases by item, then buyer, money and year of order (also in "
	    "allocation.csv)</caption>\n<thead><tr>"
	    "<th scope=\"col\">Buyer</th><th scope=\"col\">Money</th>"
	    "<th scope=\"col\" class=\"n\">Ordered</th><th scope=\"col\" class=\"n\">Delivered</th>"
	    "<th scope=\"col\" class=\"n\">Units</th><th scope=\"col\" class=\"n\">EUR</th>"
	    "</tr></thead>\n<tbody>\n",
	    pg->f);
	json_array_foreach(al, i, o)
	{
		const char *item = json_string_value(json_object_get(o, "item"));
		char yb[24], db[24];
		if (!item)
			item = "?";
		if (!prev || strcmp(prev, item)) {
			fputs("<tr class=\"group\"><th scope=\"colgroup\" colspan=\"5\">", pg->f);
			text(pg, rv_name(d, "items", item));
			ref(pg, "items", item);
			fputs(" <span class=\"muted\">\xC2\xB7 ", pg->f);
			text(pg, rv_name(d, "categories",
					 json_string_value(json_object_get(o, "category"))));
			fputs("</span></th>", pg->f);
			td_money(pg, item_total(al, i, item));
			fputs("</tr>\n", pg->f);
			prev = item;
		}
		fputs("<tr>", pg->f);
		td_text(pg, rv_name(d, "buyers", json_string_value(json_object_get(o, "buyer"))));
		td_text(pg, rv_name(d, "funding", json_string_value(json_object_get(o, "source"))));
		fprintf(pg->f, "<td class=\"n\">%s</td>",
			rv_key(o, "year", yb, sizeof(yb)) ? yb : "-");
		const char *dy = rv_key(o, "delivery_year", db, sizeof(db));
		fprintf(pg->f, "<td class=\"n\">%s</td>", dy ? db : "-");
		td_qty(pg, rv_field(o, "units"), 0);
		double e = rv_field(o, "eur");
		tot += isfinite(e) ? e : 0;
		td_money(pg, e);
		fputs("</tr>\n", pg->f);
	}
	fputs("<tr class=\"total\"><th scope=\"row\" colspan=\"5\">All purchases</th>", pg->f);
	td_money(pg, tot);
	fputs("</tr>\n</tbody>\n</table>\n</section>\n", pg->f);
}

static void table_requirements(struct page *pg)
{
	const json_t *d = pg->doc;
	const json_t *req = rv_get(d, "solution.requirements");
	struct rv_keys caps = RV_KEYS_INIT;
	size_t ny = pg->years.n, i;
	json_t *o;

	fputs("<section id=\"requirements\" aria-labelledby=\"h-req\">\n"
	      "<h2 id=\"h-req\">Requirements: achieved against target</h2>\n",
	      pg->f);
	if (!json_array_size(req)) {
		fputs("<p class=\"note\">The plan sets no capability targets.</p>\n</section>\n",
		      pg->f);
		return;
	}
	if (ny > MAX_PIVOT_YEARS || ny == 0) {
		generic_table(pg, "Requirements by capability and year (all in requirements.csv)",
			      req);
		fputs("</section>\n", pg->f);
		return;
	}
	json_array_foreach(req, i, o)
	{
		const char *id = json_string_value(json_object_get(o, "capability"));
		if (id && rv_keys_add(&caps, id) < 0)
			pg->oom = 1;
	}
	fputs("<p class=\"note\">Each cell: what is in service, and under it the target; a "
	      "shortfall in red. Shadow price: "
	      "the most one more unit of the target adds to the objective in any year.</p>\n"
	      "<table>\n<caption>Capability in service against its target, by year (also in "
	      "requirements.csv)</caption>\n<thead><tr><th scope=\"col\">Capability</th>"
	      "<th scope=\"col\">Unit</th>",
	      pg->f);
	for (size_t y = 0; y < ny; y++)
		fprintf(pg->f, "<th scope=\"col\" class=\"n\">%s</th>", pg->years.v[y]);
	fputs("<th scope=\"col\" class=\"n\">Shadow price (EUR per unit)</th></tr></thead>\n"
	      "<tbody>\n",
	      pg->f);
	for (size_t c = 0; c < caps.n; c++) {
		const char *unit = NULL;
		const json_t **row = pc_calloc(ny, sizeof(*row));
		double price = 0;
		if (!row) {
			pg->oom = 1;
			break;
		}
		json_array_foreach(req, i, o)
		{
			char yb[24];
			const char *id = json_string_value(json_object_get(o, "capability"));
			const char *yr = rv_key(o, "year", yb, sizeof(yb));
			if (!id || strcmp(id, caps.v[c]))
				continue;
			if (!unit)
				unit = json_string_value(json_object_get(o, "unit"));
			double p = rv_field(o, "shadow_price");
			if (isfinite(p) && p > price)
				price = p;
			int y = yr ? rv_keys_find(&pg->years, yr) : -1;
			if (y >= 0)
				row[y] = o;
		}
		fputs("<tr><th scope=\"row\">", pg->f);
		text(pg, rv_name(d, "capabilities", caps.v[c]));
		ref(pg, "capabilities", caps.v[c]);
		fputs("</th>", pg->f);
		td_text(pg, unit);
		for (size_t y = 0; y < ny; y++) {
			if (!row[y]) {
				fputs("<td class=\"n muted\">-</td>", pg->f);
				continue;
			}
			char a[48], t[48];
			double tv = rv_field(row[y], "target");
			rpt_fmt_qty(a, sizeof(a), rv_field(row[y], "achieved"));
			rpt_fmt_qty(t, sizeof(t), tv);
			int sh = rv_is_short(rv_field(row[y], "shortfall"), tv);
			fprintf(pg->f,
				"<td class=\"n\"><span%s>%s</span><br><span class=\"of\">of "
				"%s</span></td>",
				sh ? " class=\"short\"" : "", a, t);
		}
		td_money(pg, price);
		fputs("</tr>\n", pg->f);
		free(row);
	}
	fputs("</tbody>\n</table>\n</section>\n", pg->f);
	rv_keys_release(&caps);
}

/* Source text with web addresses as links. */
static void linkify(struct page *pg, const char *s)
{
	while (*s) {
		const char *h = strstr(s, "http://"), *hs = strstr(s, "https://");
		if (!h || (hs && hs < h))
			h = hs;
		if (!h) {
			text(pg, s);
			return;
		}
		size_t n = (size_t)(h - s), m = strcspn(h, " \t\n\"<>");
		while (m > 0 && strchr(".,;:)]", h[m - 1]))
			m--;
		char *pre = pc_strndup(s, n), *url = pc_strndup(h, m);
		if (pre && url) {
			text(pg, pre);
			fputs("<a href=\"", pg->f);
			text(pg, url);
			fputs("\">", pg->f);
			text(pg, url);
			fputs("</a>", pg->f);
		} else {
			pg->oom = 1;
		}
		free(pre);
		free(url);
		s = h + m;
	}
}

static void section_sources(struct page *pg)
{
	const json_t *src = rv_get(pg->doc, "plan.sources");
	size_t i;
	json_t *o;

	fputs("<section id=\"sources\" aria-labelledby=\"h-src\">\n<h2 id=\"h-src\">Sources</h2>\n",
	      pg->f);
	if (!json_array_size(src)) {
		fputs("<p class=\"note\">The plan cites no sources.</p>\n</section>\n", pg->f);
		return;
	}
	fputs("<p class=\"note\">Where the plan's figures come from, as its <code>source:</code> "
	      "entries say. Numbers in brackets in the tables point here.</p>\n"
	      "<ol class=\"sources\">\n",
	      pg->f);
	json_array_foreach(src, i, o)
	{
		const char *name = json_string_value(json_object_get(o, "name"));
		fprintf(pg->f, "<li id=\"src-%zu\">", i + 1);
		if (name) {
			fputs("<strong>", pg->f);
			text(pg, name);
			fputs("</strong> ", pg->f);
		}
		fputs("<code>", pg->f);
		text(pg, json_string_value(json_object_get(o, "path")));
		fputs("</code>: ", pg->f);
		const char *st = json_string_value(json_object_get(o, "source"));
		linkify(pg, st ? st : "");
		fputs("</li>\n", pg->f);
	}
	fputs("</ol>\n</section>\n", pg->f);
}

int view_html(FILE *f, const json_t *doc)
{
	struct page pg = {.f = f, .doc = doc};
	char title[256], gen[128];
	size_t i;
	json_t *o;

	if (rv_years(&pg.years, doc) < 0)
		pg.oom = 1;
	pg.nsrc = json_array_size(rv_get(doc, "plan.sources"));
	pg.srcpaths = pc_calloc(pg.nsrc + 1, sizeof(*pg.srcpaths));
	if (!pg.srcpaths)
		pg.oom = 1;
	else
		json_array_foreach(rv_get(doc, "plan.sources"), i, o) pg.srcpaths[i] =
		    json_string_value(json_object_get(o, "path"));
	snprintf(title, sizeof(title), "%s \xE2\x80\x93 allocation report",
		 rv_str(doc, "plan.name") ? rv_str(doc, "plan.name") : "plan");
	snprintf(gen, sizeof(gen), "porcupine %s",
		 rv_str(doc, "tool.version") ? rv_str(doc, "tool.version") : "");
	view_html_head(f, title, gen);
	title_block(&pg);
	toc(&pg);
	key_figures(&pg);
	chart_spend(&pg);
	chart_funding(&pg);
	chart_shortfalls(&pg);
	charts_stock(&pg);
	fputs("</section>\n", f);
	section_scenarios(&pg);
	section_sensitivity(&pg);
	table_allocation(&pg);
	table_requirements(&pg);
	section_sources(&pg);
	fputs("</main>\n<footer>\n<p>Written by ", f);
	text(&pg, gen);
	fputs(" from report.json (schema ", f);
	text(&pg, rv_str(doc, "schema"));
	fputs("). The same figures, exact, are in report.json, allocation.csv, requirements.csv, "
	      "funding.csv and report.xlsx.</p>\n</footer>\n</body>\n</html>\n",
	      f);
	rv_keys_release(&pg.years);
	free(pg.srcpaths);
	if (pg.oom) {
		errno = ENOMEM;
		return -1;
	}
	return ferror(f) ? -1 : 0;
}
