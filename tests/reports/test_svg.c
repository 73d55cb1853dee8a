/* test_svg.c - the chart module: well-formed SVG (a small XML checker), labels, titles and
 * descriptions present and escaped, values mapped to the right coordinates for known cases,
 * byte-identical output, number formats, refused input. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svg.h"

/* ---- a tiny XML checker -------------------------------------------------------------------- */

/* Checks that tags nest and close properly, that there is exactly one root element, that
 * attribute values are quoted and that text holds no raw '<' or stray '&'.  Counts elements
 * by name through count(). Returns NULL when well-formed, else a static message. */
static const char *xml_check(const char *s)
{
	const char *stack[64];
	size_t lens[64], depth = 0;
	int roots = 0;
	for (const char *p = s; *p;) {
		if (*p == '&') {
			const char *e = strchr(p, ';');
			if (!e || e - p > 8)
				return "stray '&'";
			p = e + 1;
			continue;
		}
		if (*p != '<') {
			if (*p == '>')
				return "stray '>'";
			if (depth == 0 && !(*p == ' ' || *p == '\n'))
				return "text outside the root";
			p++;
			continue;
		}
		int closing = p[1] == '/';
		const char *n = p + 1 + closing, *q = n;
		while (*q && *q != ' ' && *q != '>' && *q != '/' && *q != '\n')
			q++;
		size_t nl = (size_t)(q - n);
		if (nl == 0)
			return "empty tag name";
		/* attributes: name="value" pairs */
		while (*q && *q != '>' && !(*q == '/' && q[1] == '>')) {
			if (*q == '"') {
				const char *e = strchr(q + 1, '"');
				if (!e)
					return "unterminated attribute";
				if (memchr(q + 1, '<', (size_t)(e - q - 1)))
					return "'<' in an attribute";
				q = e + 1;
				continue;
			}
			if (*q == '=' && q[1] != '"')
				return "unquoted attribute";
			q++;
		}
		if (!*q)
			return "unterminated tag";
		int selfclose = *q == '/';
		if (closing) {
			if (depth == 0 || lens[depth - 1] != nl || strncmp(stack[depth - 1], n, nl))
				return "mismatched closing tag";
			depth--;
		} else if (!selfclose) {
			if (depth == 0)
				roots++;
			if (depth == 64)
				return "too deep";
			stack[depth] = n;
			lens[depth++] = nl;
		} else if (depth == 0)
			roots++;
		p = q + (selfclose ? 2 : 1);
	}
	if (depth)
		return "unclosed element";
	return roots == 1 ? NULL : "not exactly one root element";
}

static size_t count(const char *s, const char *needle)
{
	size_t n = 0;
	for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* The value of attribute `name` in the k-th element starting with `tag` (e.g. "<rect class=\"bar").
 */
static double attr_of(const char *svg, const char *tag, size_t k, const char *name)
{
	const char *p = svg;
	for (size_t i = 0; p && i <= k; i++) {
		p = strstr(p, tag);
		if (p && i < k)
			p += strlen(tag);
	}
	cr_assert_not_null(p, "element %zu '%s' not found", k, tag);
	const char *end = strchr(p, '>');
	char key[32];
	snprintf(key, sizeof(key), " %s=\"", name);
	const char *a = strstr(p, key);
	cr_assert(a && a < end, "attribute '%s' not in element %zu", name, k);
	return strtod(a + strlen(key), NULL);
}

static char *render(const struct svg_chart *c)
{
	size_t len = 0;
	char *s = svg_string(c, &len);
	cr_assert_not_null(s, "svg_string failed: %s", strerror(errno));
	cr_assert_eq(strlen(s), len);
	const char *err = xml_check(s);
	cr_assert_null(err, "not well-formed: %s\n%s", err, s);
	return s;
}

/* ---- charts --------------------------------------------------------------------------------- */

static const char *years[] = {"2026", "2027", "2028"};
static const double spend_a[] = {50, 30, 0};
static const double spend_b[] = {50, 10, NAN};

Test(svg, checker_catches_broken_xml)
{
	cr_assert_null(xml_check("<a><b/>x &amp; y</a>"));
	cr_assert_not_null(xml_check("<a><b></a>"));
	cr_assert_not_null(xml_check("<a>1 < 2</a>"));
	cr_assert_not_null(xml_check("<a x=1/>"));
	cr_assert_not_null(xml_check("<a/><b/>"));
	cr_assert_not_null(xml_check("<a>AT&T</a>"));
}

Test(svg, stacked_bars_map_values_to_heights)
{
	struct svg_series s[] = {
	    {.name = "Air & missile defence", .values = spend_a, .color = -1},
	    {.name = "Drones <small>", .values = spend_b, .color = -1},
	};
	struct svg_chart c = SVG_CHART_INIT;
	c.type = SVG_STACKED;
	c.id = "spend";
	c.title = "Spend by category and year";
	c.desc = "Stacked bars: EUR per year, one colour per category.";
	c.y_label = "EUR";
	c.categories = years;
	c.ncat = 3;
	c.series = s;
	c.nseries = 2;
	char *svg = render(&c);

	/* structure and accessibility */
	cr_assert(strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39) == 0);
	cr_assert(strstr(svg, "role=\"img\" aria-labelledby=\"spend-title spend-desc\""));
	cr_assert(strstr(svg, "<title id=\"spend-title\">Spend by category and year</title>"));
	cr_assert(strstr(svg, "<desc id=\"spend-desc\">Stacked bars: EUR per year"));
	/* labels as real text, escaped */
	cr_assert(strstr(svg, ">Air &amp; missile defence</text>"));
	cr_assert(strstr(svg, ">Drones &lt;small&gt;</text>"));
	for (int i = 0; i < 3; i++)
		cr_assert(strstr(svg, years[i]));
	cr_assert(strstr(svg, ">EUR</text>"));
	/* zero and NaN draw nothing: 2 + 2 + 0 bars */
	cr_assert_eq(count(svg, "<rect class=\"bar "), 4);
	cr_assert_eq(count(svg, "<rect class=\"bar s0\""), 2);
	/* axis 0..100 in steps of 20 */
	cr_assert(strstr(svg, ">0</text>") && strstr(svg, ">100</text>") &&
		  strstr(svg, ">20</text>"));
	/* 2026: 50 + 50 = the whole axis; 2027: 30 then 10 on top */
	double y0 = attr_of(svg, "<rect class=\"bar", 0, "y");
	double h0 = attr_of(svg, "<rect class=\"bar", 0, "height");
	double y1 = attr_of(svg, "<rect class=\"bar", 1, "y");
	double h1 = attr_of(svg, "<rect class=\"bar", 1, "height");
	double h2 = attr_of(svg, "<rect class=\"bar", 2, "height");
	double y3 = attr_of(svg, "<rect class=\"bar", 3, "y");
	double h3 = attr_of(svg, "<rect class=\"bar", 3, "height");
	cr_assert_float_eq(h0, h1, 0.11);
	cr_assert_float_eq(y1 + h1, y0, 0.11, "second series stacks on the first");
	cr_assert_float_eq(h2 / h0, 30.0 / 50.0, 0.01);
	cr_assert_float_eq(h3 / h0, 10.0 / 50.0, 0.01);
	cr_assert_float_eq(y3 + h3, attr_of(svg, "<rect class=\"bar", 2, "y"), 0.11);
	/* bars of one category share x; the next category is further right */
	cr_assert_float_eq(attr_of(svg, "<rect class=\"bar", 0, "x"),
			   attr_of(svg, "<rect class=\"bar", 1, "x"), 1e-9);
	cr_assert_gt(attr_of(svg, "<rect class=\"bar", 2, "x"),
		     attr_of(svg, "<rect class=\"bar", 0, "x"));
	/* tooltips name the category, the series and the value */
	cr_assert(strstr(svg, "<title>2027 \xE2\x80\x93 Air &amp; missile defence: 30</title>"));
	free(svg);
}

Test(svg, grouped_overlay_draws_used_inside_available)
{
	static const double avail[] = {100, 100, 80}, used[] = {100, 40, 0};
	struct svg_series s[] = {
	    {.name = "available", .values = avail, .color = 1, .dashed = 1},
	    {.name = "used", .values = used, .color = 1, .overlay = 1},
	};
	struct svg_chart c = SVG_CHART_INIT;
	c.type = SVG_GROUPED;
	c.title = "SAFE loans: used against available";
	c.categories = years;
	c.ncat = 3;
	c.series = s;
	c.nseries = 2;
	c.unit = SVG_UNIT_EUR;
	char *svg = render(&c);
	cr_assert(strstr(svg, "aria-labelledby=\"chart-title\""), "no desc: only the title");
	cr_assert_eq(count(svg, "<rect class=\"bar s0\""), 3);
	cr_assert_eq(count(svg, "<rect class=\"bar s1\""), 3);
	/* the used bar sits inside the available bar of its year, narrower */
	double ax = attr_of(svg, "<rect class=\"bar s0", 1, "x");
	double aw = attr_of(svg, "<rect class=\"bar s0", 1, "width");
	double ux = attr_of(svg, "<rect class=\"bar s1", 1, "x");
	double uw = attr_of(svg, "<rect class=\"bar s1", 1, "width");
	cr_assert(ux > ax && ux + uw < ax + aw);
	cr_assert_float_eq(attr_of(svg, "<rect class=\"bar s1", 1, "height") /
			       attr_of(svg, "<rect class=\"bar s0", 1, "height"),
			   0.4, 0.01);
	cr_assert(strstr(svg, "fill-opacity=\"0.15\" stroke="), "available is hollow");
	cr_assert(strstr(svg, "<title>2026 \xE2\x80\x93 used: 100</title>"));
	free(svg);
}

Test(svg, tornado_bars_start_at_the_base)
{
	static const char *params[] = {"funding.safe.total", "assumptions.us_backing"};
	static const double lo[] = {8, 9}, hi[] = {13, 10.5};
	static const char *notes[] = {"120bn .. 180bn", NULL};
	struct svg_series s[] = {
	    {.name = "parameter low", .values = lo, .color = 1},
	    {.name = "parameter high", .values = hi, .color = 6, .overlay = 1},
	};
	struct svg_chart c = SVG_CHART_INIT;
	c.type = SVG_HBARS;
	c.title = "Tornado";
	c.categories = params;
	c.ncat = 2;
	c.series = s;
	c.nseries = 2;
	c.base = 10;
	c.base_label = "base 10";
	c.notes = notes;
	c.value_labels = 1;
	c.x_label = "objective";
	char *svg = render(&c);
	cr_assert_eq(count(svg, "<rect class=\"bar "), 4);
	cr_assert(strstr(svg, ">funding.safe.total</text>"));
	cr_assert(strstr(svg, ">120bn .. 180bn</text>"));
	cr_assert(strstr(svg, ">base 10</text>"));
	cr_assert(strstr(svg, ">13</text>") && strstr(svg, ">8</text>"), "value labels");
	/* the axis is 8..14: low bar from x(8) to x(10), high bar from x(10) to x(13) */
	double lx = attr_of(svg, "<rect class=\"bar s0", 0, "x");
	double lw = attr_of(svg, "<rect class=\"bar s0", 0, "width");
	double hx = attr_of(svg, "<rect class=\"bar s1", 0, "x");
	double hw = attr_of(svg, "<rect class=\"bar s1", 0, "width");
	cr_assert_float_eq(lx + lw, hx, 0.11, "both ends meet at the base");
	cr_assert_float_eq(hw / lw, 3.0 / 2.0, 0.01);
	cr_assert_float_eq(attr_of(svg, "<line class=\"axis base\"", 0, "x1"), hx, 0.11);
	/* the two ends share one row; the next parameter is lower */
	cr_assert_float_eq(attr_of(svg, "<rect class=\"bar s0", 0, "y"),
			   attr_of(svg, "<rect class=\"bar s1", 0, "y"), 1e-9);
	cr_assert_gt(attr_of(svg, "<rect class=\"bar s0", 1, "y"),
		     attr_of(svg, "<rect class=\"bar s0", 0, "y"));
	free(svg);
}

Test(svg, lines_with_a_percentile_band)
{
	static const double p50[] = {0, 5, 10}, p5[] = {0, 2, 6}, p95[] = {0, 8, NAN};
	static const double target[] = {10, 10, 10};
	struct svg_series s[] = {
	    {.name = "achieved (P50)", .values = p50, .lo = p5, .hi = p95, .color = 0},
	    {.name = "target", .values = target, .color = 0, .dashed = 1},
	};
	struct svg_chart c = SVG_CHART_INIT;
	c.type = SVG_LINES;
	c.title = "Air defence fire units";
	c.categories = years;
	c.ncat = 3;
	c.series = s;
	c.nseries = 2;
	c.band_label = "P5\xE2\x80\x93P95";
	c.width = 400;
	c.height = 200;
	char *svg = render(&c);
	cr_assert(strstr(svg, "viewBox=\"0 0 400 200\""));
	cr_assert(strstr(svg, ">P5\xE2\x80\x93P95</text>"), "band in the legend");
	cr_assert_eq(count(svg, "<path class=\"band s0\""), 1);
	cr_assert_eq(count(svg, "<path class=\"line "), 2);
	cr_assert(strstr(svg, "stroke-dasharray=\"5 3\""), "target dashed");
	cr_assert_eq(count(svg, "<circle"), 6);
	/* the axis is 0..10: the first point is on the baseline, the last at the top, the
	 * middle one half-way; the target line is flat at the top */
	double yb = attr_of(svg, "<circle", 0, "cy"), ym = attr_of(svg, "<circle", 1, "cy");
	double yt = attr_of(svg, "<circle", 2, "cy");
	cr_assert_float_eq(ym, (yb + yt) / 2, 0.11);
	cr_assert_float_eq(attr_of(svg, "<circle", 3, "cy"), yt, 1e-9);
	cr_assert_lt(yt, yb);
	/* x: category centres, evenly spaced */
	double x0 = attr_of(svg, "<circle", 0, "cx"), x1 = attr_of(svg, "<circle", 1, "cx");
	cr_assert_float_eq(attr_of(svg, "<circle", 2, "cx") - x1, x1 - x0, 0.11);
	/* the band stops where P95 is missing: two points forward, two back, closed */
	const char *band = strstr(svg, "<path class=\"band s0\"");
	const char *d = strstr(band, " d=\"") + 4;
	cr_assert_eq(strchr(d, '"') - strchr(d, 'Z'), 1, "one closed piece");
	cr_assert(strstr(svg, "<title>2027 \xE2\x80\x93 achieved (P50): 5 (2 to 8)</title>"));
	free(svg);
}

Test(svg, long_category_labels_are_rotated_and_cut)
{
	static const char *caps[] = {"Ground-based air defence fire units (medium range)",
				     "Counter-drone systems", "Heavy transport aircraft", "ISR"};
	static const double v[] = {1, 2, 3, 4};
	struct svg_series s[] = {{.values = v}};
	struct svg_chart c = SVG_CHART_INIT;
	c.type = SVG_GROUPED;
	c.title = "Long labels";
	c.categories = caps;
	c.ncat = 4;
	c.series = s;
	c.nseries = 1;
	c.width = 320;
	char *svg = render(&c);
	cr_assert(strstr(svg, "rotate(-40 "));
	cr_assert(strstr(svg, "\xE2\x80\xA6</text>"), "the longest label is cut");
	cr_assert(!strstr(svg, "class=\"legend\""), "no named series, no legend");
	free(svg);
}

Test(svg, byte_identical_and_same_through_file_and_buffer)
{
	struct svg_series s[] = {{.name = "a", .values = spend_a},
				 {.name = "b", .values = spend_b}};
	struct svg_chart c = SVG_CHART_INIT;
	c.type = SVG_STACKED;
	c.title = "t";
	c.categories = years;
	c.ncat = 3;
	c.series = s;
	c.nseries = 2;
	for (int t = SVG_STACKED; t <= SVG_LINES; t++) {
		c.type = (enum svg_type)t;
		char *a = render(&c), *b = render(&c);
		cr_assert_str_eq(a, b);
		FILE *f = tmpfile();
		cr_assert_eq(svg_write(f, &c), 0);
		long n = ftell(f);
		rewind(f);
		char *fb = calloc(1, (size_t)n + 1);
		cr_assert_eq(fread(fb, 1, (size_t)n, f), (size_t)n);
		fclose(f);
		cr_assert_str_eq(fb, a);
		cr_assert(!strstr(a, "-0.0"), "no negative zero");
		cr_assert(!strstr(a, "nan") && !strstr(a, "inf"));
		free(fb);
		free(a);
		free(b);
	}
}

Test(svg, refuses_unusable_charts)
{
	static const double lo[] = {1, 2, 3};
	struct svg_series s[] = {{.name = "a", .values = spend_a}};
	struct svg_chart c = SVG_CHART_INIT;
	c.categories = years;
	c.ncat = 3;
	c.series = s;
	c.nseries = 1;
	errno = 0;
	cr_assert_null(svg_string(&c, NULL), "no title");
	cr_assert_eq(errno, EINVAL);
	c.title = "t";
	c.nseries = 0;
	cr_assert_null(svg_string(&c, NULL), "no series");
	c.nseries = 1;
	s[0].lo = lo;
	cr_assert_null(svg_string(&c, NULL), "lo without hi");
	s[0].lo = NULL;
	s[0].values = NULL;
	cr_assert_null(svg_string(&c, NULL), "series without values");
}

Test(svg, empty_and_negative_data)
{
	static const double zero[] = {0, 0, 0}, neg[] = {-5, 10, -20};
	struct svg_series s[] = {{.name = "z", .values = zero}, {.name = "n", .values = neg}};
	struct svg_chart c = SVG_CHART_INIT;
	c.type = SVG_STACKED;
	c.title = "t";
	c.categories = years;
	c.ncat = 3;
	c.series = s;
	c.nseries = 1;
	char *svg = render(&c);
	cr_assert_eq(count(svg, "<rect class=\"bar"), 0);
	cr_assert(strstr(svg, ">1.0</text>"), "an empty chart has the axis 0..1");
	free(svg);
	c.nseries = 2;
	svg = render(&c);
	/* -20..10: the zero line is a third from the top */
	double ya = attr_of(svg, "<line class=\"axis\"", 0, "y1");
	double top = attr_of(svg, "<rect class=\"bar s1", 1, "y");
	double h = attr_of(svg, "<rect class=\"bar s1", 1, "height");
	cr_assert_float_eq(top + h, ya, 0.11);
	cr_assert_float_eq(attr_of(svg, "<rect class=\"bar s1", 2, "y"), ya, 0.11,
			   "negative bars hang from the zero line");
	cr_assert_float_eq(attr_of(svg, "<rect class=\"bar s1", 2, "height"), 2 * h, 0.11);
	cr_assert(strstr(svg, ">-20</text>"));
	free(svg);
}

/* ---- numbers ------------------------------------------------------------------------------ */

/* No pointers: Criterion copies parameters into the test's own process. */
struct fmt_case {
	double v;
	enum svg_unit unit;
	char want[16];
};

ParameterizedTestParameters(svg, fmt_value)
{
	static struct fmt_case cases[] = {
	    {43.73e9, SVG_UNIT_EUR, "43.7bn"}, {158e6, SVG_UNIT_EUR, "158m"},
	    {4400, SVG_UNIT_EUR, "4.4k"},      {950, SVG_UNIT_EUR, "950"},
	    {-1.25e6, SVG_UNIT_EUR, "-1.25m"}, {0, SVG_UNIT_EUR, "0"},
	    {4500, SVG_UNIT_NUMBER, "4500"},   {45000, SVG_UNIT_NUMBER, "45k"},
	    {12.5, SVG_UNIT_NUMBER, "12.5"},   {0.333333, SVG_UNIT_NUMBER, "0.333"},
	    {0.5, SVG_UNIT_SHARE, "50%"},      {0.0123, SVG_UNIT_SHARE, "1.23%"},
	    {1, SVG_UNIT_SHARE, "100%"},       {NAN, SVG_UNIT_NUMBER, "n/a"},
	    {-0.0, SVG_UNIT_NUMBER, "0"},
	};
	return cr_make_param_array(struct fmt_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct fmt_case *tc, svg, fmt_value)
{
	char b[32];
	svg_fmt_value(b, sizeof(b), tc->v, tc->unit);
	cr_assert_str_eq(b, tc->want, "%g -> '%s', want '%s'", tc->v, b, tc->want);
}

Test(svg, nice_scale)
{
	double a, b, s;
	svg_nice_scale(0, 100, 5, &a, &b, &s);
	cr_assert(a == 0 && b == 100 && s == 20);
	svg_nice_scale(0, 43.7e9, 5, &a, &b, &s);
	cr_assert(a == 0 && b == 50e9 && s == 10e9, "%g %g %g", a, b, s);
	svg_nice_scale(-20, 10, 6, &a, &b, &s);
	cr_assert(a == -20 && b == 10 && s == 5, "%g %g %g", a, b, s);
	svg_nice_scale(-20, 10, 5, &a, &b, &s);
	cr_assert(a == -20 && b == 10 && s == 10, "%g %g %g", a, b, s);
	svg_nice_scale(3, 3, 5, &a, &b, &s);
	cr_assert(a == 0 && b >= 3);
	svg_nice_scale(NAN, 1, 5, &a, &b, &s);
	cr_assert(a == 0 && b == 1);
	svg_nice_scale(0.12, 0.87, 4, &a, &b, &s);
	cr_assert_float_eq(s, 0.2, 1e-12);
	cr_assert(a <= 0.12 && b >= 0.87);
}

Test(svg, palette_and_escaping)
{
	cr_assert_str_eq(svg_color(0), "#332288");
	cr_assert_str_eq(svg_color(SVG_NCOLORS), svg_color(0));
	cr_assert_eq(strlen(svg_color(-3)), 7);
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	svg_escape(f, "a<b>&\"c'\x01\td");
	svg_escape(f, NULL);
	fclose(f);
	cr_assert_str_eq(buf, "a&lt;b&gt;&amp;&quot;c&#39;\td");
	free(buf);
}
