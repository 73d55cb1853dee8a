/* test_html.c - the views of a report.json: report.html (structure, accessibility, the
 * charts and tables present, escaping, optional sections, no script or network, byte-identical
 * output) and report.xlsx (sheets, numbers as numbers, frozen headers, filters, charts, the
 * pinned creation time), report_write_views' files and errors, and the table helpers. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report.h"
#include "test_html_sample.h"
#include "views.h"

static char *render(const json_t *doc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	cr_assert_not_null(f);
	cr_assert_eq(view_html(f, doc), 0, "view_html failed: %s", strerror(errno));
	fclose(f);
	const char *err = html_check(buf);
	cr_assert_null(err, "report.html does not nest: %s", err);
	return buf;
}

/* The text between the first `from` and the next `to` after it (malloc'd). */
static char *between(const char *s, const char *from, const char *to)
{
	const char *a = strstr(s, from);
	cr_assert_not_null(a, "'%s' not found", from);
	const char *b = strstr(a, to);
	cr_assert_not_null(b, "'%s' not found after '%s'", to, from);
	return strndup(a, (size_t)(b - a));
}

Test(html, title_block_key_figures_and_escaping)
{
	json_t *d = sample_report();
	char *h = render(d);
	cr_assert(strstr(h, "<html lang=\"en\">"));
	cr_assert(strstr(h, "<meta charset=\"utf-8\">"));
	cr_assert(
	    strstr(h, "<title>test &lt;plan&gt; &amp; co \xE2\x80\x93 allocation report</title>"));
	cr_assert(strstr(h, "<h1>test &lt;plan&gt; &amp; co</h1>"));
	cr_assert(!strstr(h, "<plan>"), "names are escaped");
	/* title block: data date, seed, versions, input hash */
	char *tb = between(h, "<header class=\"title\">", "</header>");
	cr_assert(strstr(tb, "2026-01-31"));
	cr_assert(strstr(tb, "<dd>7</dd>"), "seed");
	cr_assert(strstr(tb, "porcupine 9.9.9"));
	cr_assert(strstr(tb, "GLPK 5.0"));
	cr_assert(strstr(tb, "aaaabbbbccccddddeeeeffff00001111222233334444555566667777888899990"));
	free(tb);
	/* key figures */
	char *kf = between(h, "id=\"key-figures\"", "</section>");
	cr_assert(strstr(kf, "EUR 1.2bn"), "total spend");
	cr_assert(strstr(kf, "EUR 1.6bn"), "money available (1bn + 0.6bn)");
	cr_assert(strstr(kf, "3 of 6"), "capability-years meeting their target");
	cr_assert(strstr(kf, "1 capability falls short"));
	cr_assert(strstr(kf, "EUR 1.5bn"), "objective");
	free(kf);
	free(h);
	json_decref(d);
}

Test(html, self_contained_and_accessible)
{
	json_t *d = sample_report();
	char *h = render(d);
	/* no script, no style sheet or image from elsewhere: nothing leaves the file */
	cr_assert(!strstr(h, "<script"));
	cr_assert(!strstr(h, "<link"));
	cr_assert(!strstr(h, "src="));
	cr_assert(!strstr(h, "@import"));
	cr_assert(!strstr(h, "url("));
	cr_assert(strstr(h, "@media print{@page{size:A4"), "printable on A4");
	/* every chart: inline SVG with a title and a description wired to it */
	size_t nsvg = count_of(h, "<svg ");
	cr_assert_eq(nsvg, 5, "spend, funding, shortfall and one stock chart per capability");
	cr_assert_eq(count_of(h, "role=\"img\""), nsvg);
	cr_assert_eq(count_of(h, "<title id=\"fig-"), nsvg);
	cr_assert_eq(count_of(h, "<desc id=\"fig-"), nsvg);
	cr_assert(strstr(h, "aria-labelledby=\"fig-spend-title fig-spend-desc\""));
	/* tables with header cells */
	size_t ntab = count_of(h, "<table>");
	cr_assert_geq(ntab, 3, "funding, allocation, requirements");
	cr_assert_eq(count_of(h, "<thead>"), ntab);
	cr_assert_eq(count_of(h, "<caption>"), ntab);
	cr_assert(strstr(h, "<th scope=\"col\">"));
	cr_assert(strstr(h, "<th scope=\"row\">"));
	/* sections are labelled by their headings */
	cr_assert(strstr(h, "<section id=\"allocation\" aria-labelledby=\"h-alloc\">"));
	free(h);
	json_decref(d);
}

Test(html, charts_show_the_report_figures)
{
	json_t *d = sample_report();
	char *h = render(d);
	/* spend: stacked, categories in the legend by name, the years on the axis */
	char *sp =
	    between(h, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\"", "</svg>");
	cr_assert(strstr(sp, "Spend by category and year"));
	cr_assert(strstr(sp, ">Air defence</text>") && strstr(sp, ">Ammunition</text>"));
	cr_assert(strstr(sp, ">2026</text>") && strstr(sp, ">2028</text>"));
	cr_assert(strstr(sp, "<title>2027 \xE2\x80\x93 Air defence: 300m</title>"));
	cr_assert_eq(count_of(sp, "<rect class=\"bar"), 3, "air 2026, 2027; ammunition 2026");
	free(sp);
	/* funding: available (hollow, including money carried in) and used per source */
	char *fu = between(h, "id=\"fig-funding", "</svg>");
	cr_assert(strstr(fu, "<title>2027: 700m</title>"), "2027 available = carried in");
	cr_assert(strstr(fu, "<title>2026 \xE2\x80\x93 National budgets: 600m</title>"));
	free(fu);
	/* shortfalls: share of the target missed with the worst year and the shadow price */
	char *sf = between(h, "id=\"fig-shortfall", "</svg>");
	cr_assert(strstr(sf, ">Air defence fire units</text>"));
	cr_assert(strstr(sf, ">50%</text>"), "6 of 12 fire-unit-years missed");
	cr_assert(strstr(sf, "2 fire units short in 2026; EUR 300m/unit"));
	cr_assert(!strstr(sf, ">Rounds</text>"), "rounds meet their target");
	free(sf);
	/* stock against target: highest priority first */
	char *st = between(h, "id=\"fig-stock-1", "</svg>");
	cr_assert(strstr(st, "Air defence fire units"));
	cr_assert(strstr(st, ">in service</text>") && strstr(st, ">target</text>"));
	free(st);
	cr_assert(strstr(h, "id=\"fig-stock-2"));
	free(h);
	json_decref(d);
}

Test(html, tables_and_sources)
{
	json_t *d = sample_report();
	char *h = render(d);
	char *al = between(h, "id=\"allocation\"", "</section>");
	cr_assert(strstr(al, "IRIS-T SLM<sup class=\"ref\"><a href=\"#src-1\">[1]</a></sup>"),
		  "the item's cited source is referenced");
	cr_assert(strstr(al, "<td>Poland</td><td>SAFE loans</td><td class=\"n\">2026</td>"));
	cr_assert(strstr(al, "100,000"));
	cr_assert(strstr(al, "<td class=\"n\">600m</td>"), "the EUR column holds amounts");
	cr_assert(strstr(al, "All purchases</th><td class=\"n\">1.2bn</td>"));
	free(al);
	char *rq = between(h, "id=\"requirements\"", "</section>");
	cr_assert(strstr(rq, "<span class=\"short\">2</span><br><span class=\"of\">of 4</span>"));
	cr_assert(strstr(rq, "<span>100,000</span>"));
	cr_assert(strstr(rq, "<td class=\"n\">300m</td>"), "highest shadow price of gbad");
	cr_assert(strstr(rq, "Shadow price (EUR per unit)"));
	free(rq);
	char *so = between(h, "id=\"sources\"", "</section>");
	cr_assert(strstr(so,
			 "<li id=\"src-1\"><strong>IRIS-T SLM</strong> <code>items.iris</code>: "
			 "Diehl price list, <a href=\"https://example.org/iris\">"
			 "https://example.org/iris</a>.</li>"),
		  "%s", so);
	free(so);
	free(h);
	json_decref(d);
}

Test(html, optional_sections_only_when_present)
{
	json_t *d = sample_report();
	char *h = render(d);
	cr_assert(!strstr(h, "id=\"scenarios\""));
	cr_assert(!strstr(h, "id=\"sensitivity\""));
	free(h);
	sample_add_scenarios(d);
	sample_add_tornado(d);
	h = render(d);
	char *sc = between(h, "id=\"scenarios\"", "</section>");
	cr_assert(strstr(sc, "49 solved, 1 failed"));
	cr_assert(strstr(sc, "id=\"fig-ptarget"));
	cr_assert(strstr(sc, ">20%</text>") && strstr(sc, ">90%</text>"), "p_target_met");
	cr_assert(strstr(sc, "id=\"fig-fan-1"), "fan chart from per-year quantiles");
	cr_assert(!strstr(sc, "id=\"fig-fan-2"), "no per-year data, no fan");
	cr_assert(strstr(sc, "class=\"band s0\""), "P5-P95 band");
	cr_assert(strstr(sc, ">P5\xE2\x80\x93P95</text>"));
	cr_assert(strstr(sc, "id=\"fig-scen-spend"));
	cr_assert(strstr(sc, "class=\"range s0\""), "category spend ranges");
	free(sc);
	char *tn = between(h, "id=\"sensitivity\"", "</section>");
	cr_assert(strstr(tn, "id=\"fig-tornado"));
	cr_assert(strstr(tn, ">us_backing</text>"));
	cr_assert(strstr(tn, ">base EUR 1.5bn</text>"));
	cr_assert_eq(count_of(tn, "<rect class=\"bar"), 4);
	free(tn);
	free(h);
	json_decref(d);
}

Test(html, byte_identical_and_blind_to_the_run_time)
{
	json_t *d = sample_report();
	char *a = render(d);
	json_object_set_new(json_object_get(d, "run"), "elapsed_s", json_real(123.25));
	char *b = render(d);
	cr_assert_str_eq(a, b);
	free(a);
	free(b);
	json_decref(d);
}

Test(html, survives_a_sparse_document)
{
	/* only what every porcupine.report has: the page still renders, saying what is missing */
	json_t *d = json_pack("{s:s, s:{s:s}, s:{s:s, s:[], s:[], s:[], s:[]}}", "schema",
			      "porcupine.report/1", "plan", "name", "bare", "solution", "status",
			      "optimal", "funding", "allocation", "requirements", "forces");
	char *h = render(d);
	cr_assert(strstr(h, "Nothing is bought."));
	cr_assert(strstr(h, "The plan cites no sources."));
	cr_assert(!strstr(h, "nan") && !strstr(h, "inf<"));
	free(h);
	json_decref(d);
}

/* ---- report_write_views and report.xlsx ---------------------------------------------------- */

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in a folder, sorted, each followed by a space (malloc'd). */
static char *dir_list(const char *dir)
{
	char *names[64], *out = NULL;
	size_t n = 0, len;
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d)) && n < 64)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			names[n++] = strdup(e->d_name);
	if (d)
		closedir(d);
	qsort(names, n, sizeof(*names), by_name);
	FILE *f = open_memstream(&out, &len);
	for (size_t k = 0; k < n; k++) {
		fprintf(f, "%s ", names[k]);
		free(names[k]);
	}
	fclose(f);
	return out;
}

static char *xlsx_part(const char *dir, const char *part)
{
	char *p = sample_path(dir, "report.xlsx");
	size_t n;
	char *z = sample_slurp(p, &n);
	cr_assert_not_null(z, "no report.xlsx");
	char *x = unzip_entry(z, n, part, NULL);
	free(z);
	free(p);
	return x;
}

Test(views, writes_html_and_xlsx_atomically)
{
	char *dir = sample_tmpdir();
	json_t *d = sample_report();
	struct diag_list dl;
	diag_list_init(&dl);
	cr_assert_eq(sample_write(dir, d), 0);
	unsetenv("SOURCE_DATE_EPOCH");
	cr_assert_eq(report_write_views(dir, &dl), 0);
	char *h = sample_path(dir, "report.html"), *x = sample_path(dir, "report.xlsx");
	struct stat st;
	cr_assert_eq(stat(h, &st), 0);
	cr_assert_eq(stat(x, &st), 0);
	/* nothing else is left in the folder */
	char *list = dir_list(dir);
	cr_assert_str_eq(list, "report.html report.json report.xlsx ");
	free(list);
	free(h);
	free(x);
	diag_list_release(&dl);
	json_decref(d);
	sample_rmdir(dir);
	free(dir);
}

Test(views, workbook_sheets_numbers_and_charts)
{
	char *dir = sample_tmpdir();
	json_t *d = sample_report();
	struct diag_list dl;
	diag_list_init(&dl);
	sample_write(dir, d);
	cr_assert_eq(report_write_views(dir, &dl), 0);

	char *wb = xlsx_part(dir, "xl/workbook.xml");
	cr_assert_not_null(wb);
	const char *names[] = {"Summary", "Allocation", "Funding", "Requirements"};
	for (int k = 0; k < 4; k++) {
		char want[64];
		snprintf(want, sizeof(want), "<sheet name=\"%s\" sheetId=\"%d\"", names[k], k + 1);
		cr_assert(strstr(wb, want), "no sheet %s in %s", names[k], wb);
	}
	cr_assert(!strstr(wb, "name=\"Scenarios\""));
	cr_assert(strstr(wb, "Allocation!$A$1:$J$4"), "autofilter over the allocation rows");
	free(wb);

	/* Allocation: frozen header, EUR as numbers with a EUR format */
	char *al = xlsx_part(dir, "xl/worksheets/sheet2.xml");
	cr_assert(strstr(al, "state=\"frozen\""));
	cr_assert(strstr(al, "<autoFilter ref=\"A1:J4\"/>"));
	cr_assert(strstr(al, "<v>300000000</v>"), "EUR written as a number");
	cr_assert(strstr(al, "<v>2026</v>"), "years as numbers");
	free(al);
	char *styles = xlsx_part(dir, "xl/styles.xml");
	cr_assert(strstr(styles, "formatCode=\"&quot;EUR &quot;#,##0"), "%s", styles);
	free(styles);
	/* native charts: spend by category and year (stacked), shortfalls (bar) */
	char *c1 = xlsx_part(dir, "xl/charts/chart1.xml");
	char *c2 = xlsx_part(dir, "xl/charts/chart2.xml");
	cr_assert_not_null(c1);
	cr_assert_not_null(c2);
	cr_assert(strstr(c1, "<c:grouping val=\"stacked\"/>"));
	cr_assert(strstr(c1, "Spend by category and year"));
	cr_assert(strstr(c2, "<c:barDir val=\"bar\"/>"));
	cr_assert(strstr(c2, "Shortfall by capability"));
	free(c1);
	free(c2);
	char *ss = xlsx_part(dir, "xl/sharedStrings.xml");
	cr_assert(strstr(ss, "test &lt;plan&gt; &amp; co"));
	cr_assert(strstr(ss, "Air defence fire units"));
	free(ss);
	/* the creation time is pinned */
	char *core = xlsx_part(dir, "docProps/core.xml");
	cr_assert(
	    strstr(core, "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2026-01-01T00:00:00Z"));
	free(core);
	diag_list_release(&dl);
	json_decref(d);
	sample_rmdir(dir);
	free(dir);
}

Test(views, scenario_sheets_for_scenario_runs)
{
	char *dir = sample_tmpdir();
	json_t *d = sample_report();
	struct diag_list dl;
	diag_list_init(&dl);
	sample_add_scenarios(d);
	sample_write(dir, d);
	char *csv = sample_path(dir, "scenarios.csv");
	FILE *f = fopen(csv, "w");
	fputs("scenario,status,objective\r\n0,optimal,1500000000.5\r\n1,\"infeasible, hard\",\r\n",
	      f);
	fclose(f);
	cr_assert_eq(report_write_views(dir, &dl), 0);
	char *wb = xlsx_part(dir, "xl/workbook.xml");
	cr_assert(strstr(wb, "<sheet name=\"Scenarios\" sheetId=\"5\""));
	cr_assert(strstr(wb, "<sheet name=\"Statistics\" sheetId=\"6\""));
	free(wb);
	char *sc = xlsx_part(dir, "xl/worksheets/sheet5.xml");
	cr_assert(strstr(sc, "<v>1500000000.5</v>"), "numbers of scenarios.csv as numbers");
	cr_assert(strstr(sc, "state=\"frozen\""));
	free(sc);
	char *ss = xlsx_part(dir, "xl/sharedStrings.xml");
	cr_assert(strstr(ss, "infeasible, hard"), "quoted CSV field read whole");
	free(ss);
	char *st = xlsx_part(dir, "xl/worksheets/sheet6.xml");
	cr_assert(strstr(st, "<v>0.2</v>"), "p_target_met");
	cr_assert(strstr(st, "<v>1600000000</v>"), "objective mean");
	free(st);
	free(csv);
	diag_list_release(&dl);
	json_decref(d);
	sample_rmdir(dir);
	free(dir);
}

Test(views, byte_identical_files_and_source_date_epoch)
{
	char *d1 = sample_tmpdir(), *d2 = sample_tmpdir();
	json_t *d = sample_report();
	struct diag_list dl;
	diag_list_init(&dl);
	sample_write(d1, d);
	sample_write(d2, d);
	unsetenv("SOURCE_DATE_EPOCH");
	cr_assert_eq(report_write_views(d1, &dl), 0);
	sleep(1); /* a clock in the files would now show */
	cr_assert_eq(report_write_views(d2, &dl), 0);
	const char *files[] = {"report.html", "report.xlsx"};
	for (int k = 0; k < 2; k++) {
		char *p1 = sample_path(d1, files[k]), *p2 = sample_path(d2, files[k]);
		size_t n1, n2;
		char *a = sample_slurp(p1, &n1), *b = sample_slurp(p2, &n2);
		cr_assert(n1 == n2 && !memcmp(a, b, n1), "%s differs between two runs", files[k]);
		free(a);
		free(b);
		free(p1);
		free(p2);
	}
	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
	cr_assert_eq(report_write_views(d2, &dl), 0);
	unsetenv("SOURCE_DATE_EPOCH");
	char *core = xlsx_part(d2, "docProps/core.xml");
	cr_assert(strstr(core, "2023-11-14T22:13:20Z"), "%s", core);
	free(core);
	diag_list_release(&dl);
	json_decref(d);
	sample_rmdir(d1);
	sample_rmdir(d2);
	free(d1);
	free(d2);
}

Test(views, refuses_missing_and_foreign_reports)
{
	char *dir = sample_tmpdir();
	struct diag_list dl;
	diag_list_init(&dl);
	cr_assert_eq(report_write_views(dir, &dl), -1);
	cr_assert_eq(dl.nerrors, 1);
	cr_assert(strstr(dl.v[0].file, "report.json"));
	cr_assert(strstr(dl.v[0].message, "cannot read the report"));
	json_t *d = json_pack("{s:i}", "a", 1);
	sample_write(dir, d);
	cr_assert_eq(report_write_views(dir, &dl), -1);
	cr_assert(strstr(dl.v[1].message, "not a porcupine report"), "%s", dl.v[1].message);
	char *h = sample_path(dir, "report.html");
	struct stat st;
	cr_assert_neq(stat(h, &st), 0, "nothing written");
	free(h);
	json_decref(d);
	diag_list_release(&dl);
	sample_rmdir(dir);
	free(dir);
}

Test(views, epoch_from_the_environment)
{
	unsetenv("SOURCE_DATE_EPOCH");
	long long fixed = view_epoch();
	cr_assert_eq(fixed, 1767225600LL);
	setenv("SOURCE_DATE_EPOCH", "1234", 1);
	cr_assert_eq(view_epoch(), 1234);
	setenv("SOURCE_DATE_EPOCH", "12x", 1);
	cr_assert_eq(view_epoch(), fixed, "junk is ignored");
	setenv("SOURCE_DATE_EPOCH", "-5", 1);
	cr_assert_eq(view_epoch(), fixed);
	unsetenv("SOURCE_DATE_EPOCH");
}

/* ---- the table helpers --------------------------------------------------------------------- */

Test(views, pivot_sums_orders_and_paths)
{
	json_t *d = sample_report();
	struct rv_pivot pv = RV_PIVOT_INIT;
	struct rv_keys years = RV_KEYS_INIT;
	cr_assert_eq(rv_years(&years, d), 0);
	cr_assert_eq(years.n, 3);
	cr_assert_str_eq(years.v[2], "2028");
	for (size_t y = 0; y < years.n; y++)
		rv_keys_add(&pv.cols, years.v[y]);
	rv_keys_add(&pv.rows, "air");
	cr_assert_eq(
	    rv_pivot_build(&pv, rv_get(d, "solution.allocation"), "category", "year", "eur"), 0);
	cr_assert_eq(pv.rows.n, 2);
	cr_assert_str_eq(pv.rows.v[0], "air", "preset keys keep their place");
	cr_assert_float_eq(rv_pivot_at(&pv, 0, 1), 3e8, 1);
	cr_assert_float_eq(rv_pivot_at(&pv, 0, 2), 0, 1e-9, "a year with nothing is 0");
	cr_assert_float_eq(rv_pivot_row_total(&pv, 1), 6e8, 1);
	cr_assert_eq(rv_pivot_sort_rows(&pv), 0);
	cr_assert_str_eq(pv.rows.v[0], "air", "ties keep their order (600m each)");
	cr_assert_float_eq(rv_pivot_at(&pv, 1, 0), 6e8, 1);
	rv_pivot_release(&pv);
	rv_keys_release(&years);

	cr_assert_str_eq(rv_str(d, "plan.names.items.iris"), "IRIS-T SLM");
	cr_assert_str_eq(rv_name(d, "items", "iris"), "IRIS-T SLM");
	cr_assert_str_eq(rv_name(d, "items", "nope"), "nope");
	cr_assert(isnan(rv_num(d, "plan.name")));
	cr_assert_float_eq(rv_param(d, "capabilities.gbad.target", 2), 6, 1e-12);
	cr_assert_float_eq(rv_param(d, "assumptions.us_backing", -1), 0.5, 1e-12);
	cr_assert(isnan(rv_param(d, "capabilities.gbad.target", 7)));
	cr_assert(rv_is_short(2, 4));
	cr_assert(!rv_is_short(1e-9, 100000));
	json_decref(d);
}
