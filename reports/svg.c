/* svg.c - bar, tornado and line charts as inline SVG: a frame (title, description, legend,
 * axes) shared by the four chart types, numbers written with fixed formats so that the same
 * chart always gives the same bytes. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "svg.h"

#define FS	   11.0 /* labels, ticks, legend */
#define FS_TITLE   14.0 /* the chart's title */
#define CHAR_W	   0.6	/* average glyph width in em: an estimate, generous for sans fonts */
#define PAD	   8.0
#define LEGEND_ROW 18.0
#define SWATCH	   11.0
#define MAX_BAR_W  56.0
#define FONT	   "'Helvetica Neue', Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif"
#define INK	   "#222222"
#define INK_SOFT   "#555555"
#define GRID	   "#e3e3e3"

static const char *const palette[SVG_NCOLORS] = {
    "#332288", "#88CCEE", "#44AA99", "#117733", "#999933",
    "#DDCC77", "#CC6677", "#882255", "#AA4499",
};

const char *svg_color(int i)
{
	if (i < 0)
		i = -i;
	return palette[i % SVG_NCOLORS];
}

/* ---- text and numbers -------------------------------------------------------------------- */

void svg_escape(FILE *f, const char *s)
{
	if (!s)
		return;
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		switch (ch) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		default:
			if (ch >= 0x20 || ch == '\t' || ch == '\n' || ch == '\r')
				fputc(ch, f);
		}
	}
}

/* Code points in UTF-8 text. */
static size_t text_len(const char *s)
{
	size_t n = 0;
	for (; s && *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

static double text_w(const char *s, double fs)
{
	return (double)text_len(s) * fs * CHAR_W;
}

/* Escaped text cut to at most maxw pixels, with an ellipsis when cut. */
static void escape_fit(FILE *f, const char *s, double maxw, double fs)
{
	if (!s)
		return;
	size_t max = maxw > 0 ? (size_t)(maxw / (fs * CHAR_W) + 1e-6) : 0;
	if (text_len(s) <= max) {
		svg_escape(f, s);
		return;
	}
	size_t keep = max > 1 ? max - 1 : 0, n = 0;
	const char *p = s;
	for (; *p; p++) {
		if (((unsigned char)*p & 0xC0) != 0x80 && n++ == keep)
			break;
	}
	char *cut = pc_strndup(s, (size_t)(p - s));
	if (cut)
		svg_escape(f, cut);
	free(cut);
	fputs("\xE2\x80\xA6", f); /* … */
}

/* A coordinate: one decimal, never "-0.0". */
static void num(FILE *f, double v)
{
	v = round(v * 10.0) / 10.0;
	if (v == 0.0 || !isfinite(v))
		v = 0.0;
	fprintf(f, "%.1f", v);
}

static void attr(FILE *f, const char *name, double v)
{
	fprintf(f, " %s=\"", name);
	num(f, v);
	fputc('"', f);
}

/* Up to 3 significant digits, trailing zeros dropped: "1.25", "12.5", "125", "0.5". */
static void fmt_sig3(char *buf, size_t len, double v, const char *suffix)
{
	double a = fabs(v);
	int dec = 0;
	if (a > 0 && a < 100)
		dec = a >= 10 ? 1 : a >= 1 ? 2 : 3;
	snprintf(buf, len, "%.*f", dec, v);
	if (dec > 0) {
		char *dot = strchr(buf, '.');
		if (dot) {
			char *e = buf + strlen(buf) - 1;
			while (e > dot && *e == '0')
				*e-- = '\0';
			if (e == dot)
				*e = '\0';
		}
	}
	if (strcmp(buf, "-0") == 0)
		snprintf(buf, len, "0");
	size_t n = strlen(buf);
	snprintf(buf + n, len > n ? len - n : 0, "%s", suffix);
}

struct scale_unit {
	double div;
	const char *suffix;
};

static struct scale_unit pick_unit(double a, enum svg_unit unit)
{
	struct scale_unit u = {1.0, ""};
	if (unit == SVG_UNIT_SHARE) {
		u.div = 0.01;
		u.suffix = "%";
	} else if (a >= 1e9) {
		u.div = 1e9;
		u.suffix = "bn";
	} else if (a >= 1e6) {
		u.div = 1e6;
		u.suffix = "m";
	} else if (a >= (unit == SVG_UNIT_EUR ? 1e3 : 1e4)) {
		u.div = 1e3;
		u.suffix = "k";
	}
	return u;
}

void svg_fmt_value(char *buf, size_t len, double v, enum svg_unit unit)
{
	if (!len)
		return;
	if (!isfinite(v)) {
		snprintf(buf, len, "n/a");
		return;
	}
	struct scale_unit u = pick_unit(fabs(v), unit);
	fmt_sig3(buf, len, v / u.div, u.suffix);
}

/* Tick labels share one unit and one number of decimals, chosen from the axis. */
static void fmt_tick(char *buf, size_t len, double v, double amax, double step, enum svg_unit unit)
{
	struct scale_unit u = pick_unit(amax, unit);
	double d = step / u.div;
	int dec = d >= 1 ? 0 : (int)-floor(log10(d) + 1e-9);
	if (dec > 6)
		dec = 6;
	double x = v / u.div;
	if (fabs(x) < d * 1e-6) {
		snprintf(buf, len, "0");
		return;
	}
	snprintf(buf, len, "%.*f%s", dec, x, u.suffix);
}

void svg_nice_scale(double lo, double hi, int nticks, double *min, double *max, double *step)
{
	if (!isfinite(lo) || !isfinite(hi) || hi < lo) {
		lo = 0;
		hi = 1;
	}
	if (hi == lo) {
		if (lo == 0)
			hi = 1;
		else if (lo > 0)
			lo = 0;
		else
			hi = 0;
	}
	if (nticks < 1)
		nticks = 1;
	double raw = (hi - lo) / nticks;
	double p = pow(10.0, floor(log10(raw)));
	double m = raw / p, s;
	if (m <= 1.0 + 1e-9)
		s = 1;
	else if (m <= 2.0 + 1e-9)
		s = 2;
	else if (m <= 5.0 + 1e-9)
		s = 5;
	else
		s = 10;
	s *= p;
	double a = floor(lo / s + 1e-9) * s, b = ceil(hi / s - 1e-9) * s;
	*min = a == 0.0 ? 0.0 : a;
	*max = b == 0.0 ? 0.0 : b;
	*step = s;
}

/* ---- the frame: size, title, legend, axes --------------------------------------------------- */

struct frame {
	const struct svg_chart *c;
	const char *id;
	double W, H;
	double x0, x1, y0, y1; /* the plot area */
	double vmin, vmax, step;
	int rotate;	  /* x labels rotated */
	int label_every;  /* x labels: every k-th */
	double label_max; /* rotated labels cut to this width */
	int nslots;	  /* grouped bars / hbars: slots per category */
};

static const char *series_color(const struct svg_chart *c, size_t s)
{
	int i = c->series[s].color;
	return svg_color(i < 0 ? (int)s : i);
}

/* Value -> y (vertical charts) or x (hbars). */
static double vy(const struct frame *fr, double v)
{
	return fr->y1 - (v - fr->vmin) / (fr->vmax - fr->vmin) * (fr->y1 - fr->y0);
}

static double vx(const struct frame *fr, double v)
{
	return fr->x0 + (v - fr->vmin) / (fr->vmax - fr->vmin) * (fr->x1 - fr->x0);
}

static double slot_w(const struct frame *fr)
{
	return (fr->x1 - fr->x0) / (double)fr->c->ncat;
}

static double slot_cx(const struct frame *fr, size_t i)
{
	return fr->x0 + slot_w(fr) * ((double)i + 0.5);
}

/* The legend's entries in order: series with a name, then the band label. */
static int legend_has(const struct svg_chart *c)
{
	for (size_t s = 0; s < c->nseries; s++)
		if (c->series[s].name)
			return 1;
	return c->type == SVG_LINES && c->band_label;
}

/* Lay the legend out from (x, y) wrapping at xmax; draw it when f is not NULL.  Returns the
 * height used. */
static double legend(FILE *f, const struct svg_chart *c, double x, double y, double xmax)
{
	double cx = x, cy = y;
	int any_band = 0;
	if (!legend_has(c))
		return 0;
	if (f)
		fputs("<g class=\"legend\">", f);
	for (size_t s = 0; s <= c->nseries; s++) {
		const char *name, *col;
		int dashed = 0, band = 0;
		if (s < c->nseries) {
			name = c->series[s].name;
			if (c->series[s].lo)
				any_band = 1;
			col = series_color(c, s);
			/* range bars are pale and outlined: the swatch says so */
			dashed = c->series[s].dashed || (c->type == SVG_HBARS && c->series[s].lo);
		} else {
			name = c->type == SVG_LINES && any_band ? c->band_label : NULL;
			col = "#888888";
			band = 1;
		}
		if (!name)
			continue;
		double w = SWATCH + 4 + text_w(name, FS) + 14;
		if (cx > x && cx + w > xmax) {
			cx = x;
			cy += LEGEND_ROW;
		}
		if (f) {
			if (c->type == SVG_LINES && !band) {
				fputs("<line", f);
				attr(f, "x1", cx);
				attr(f, "y1", cy + SWATCH / 2);
				attr(f, "x2", cx + SWATCH);
				attr(f, "y2", cy + SWATCH / 2);
				fprintf(f, " stroke=\"%s\" stroke-width=\"2.5\"%s/>", col,
					dashed ? " stroke-dasharray=\"4 2\"" : "");
			} else {
				fputs("<rect", f);
				attr(f, "x", cx);
				attr(f, "y", cy);
				attr(f, "width", SWATCH);
				attr(f, "height", SWATCH);
				if (band)
					fprintf(f, " fill=\"%s\" fill-opacity=\"0.3\"/>", col);
				else if (dashed)
					fprintf(
					    f, " fill=\"%s\" fill-opacity=\"0.15\" stroke=\"%s\"/>",
					    col, col);
				else
					fprintf(f, " fill=\"%s\"/>", col);
			}
			fputs("<text", f);
			attr(f, "x", cx + SWATCH + 4);
			attr(f, "y", cy + SWATCH - 1);
			fputc('>', f);
			svg_escape(f, name);
			fputs("</text>", f);
		}
		cx += w;
	}
	if (f)
		fputs("</g>\n", f);
	return cy - y + LEGEND_ROW;
}

/* Minimum and maximum of what the chart draws. */
static void value_range(const struct svg_chart *c, double *lo, double *hi)
{
	double a = c->type == SVG_HBARS ? c->base : 0.0, b = a;
	for (size_t i = 0; i < c->ncat; i++) {
		double pos = 0, neg = 0;
		for (size_t s = 0; s < c->nseries; s++) {
			const struct svg_series *se = &c->series[s];
			double v = se->values[i];
			if (c->type == SVG_STACKED) {
				if (isfinite(v))
					*(v >= 0 ? &pos : &neg) += v;
				continue;
			}
			double vals[3] = {v, se->lo ? se->lo[i] : NAN, se->hi ? se->hi[i] : NAN};
			for (int k = 0; k < 3; k++)
				if (isfinite(vals[k])) {
					a = fmin(a, vals[k]);
					b = fmax(b, vals[k]);
				}
		}
		if (c->type == SVG_STACKED) {
			a = fmin(a, neg);
			b = fmax(b, pos);
		}
	}
	*lo = a;
	*hi = b;
}

static int count_slots(const struct svg_chart *c)
{
	int n = 0;
	for (size_t s = 0; s < c->nseries; s++)
		if (!c->series[s].overlay || s == 0)
			n++;
	return n;
}

static void layout(struct frame *fr, const struct svg_chart *c)
{
	double lo, hi;
	memset(fr, 0, sizeof(*fr));
	fr->c = c;
	fr->id = c->id ? c->id : "chart";
	fr->W = c->width > 0 ? c->width : 720;
	fr->nslots = count_slots(c);
	value_range(c, &lo, &hi);
	if (c->fixed_range && isfinite(c->range_lo) && isfinite(c->range_hi)) {
		lo = fmin(lo, c->range_lo);
		hi = fmax(hi, c->range_hi);
	}
	svg_nice_scale(lo, hi, 5, &fr->vmin, &fr->vmax, &fr->step);
	double amax = fmax(fabs(fr->vmin), fabs(fr->vmax));

	double top = 8 + FS_TITLE + 8;
	top += legend(NULL, c, PAD, top, fr->W - PAD);
	if (legend_has(c))
		top += 4;

	if (c->type == SVG_HBARS) {
		double lw = 0, rw = 0, nw = 0;
		char b[64];
		for (size_t i = 0; i < c->ncat; i++) {
			lw = fmax(lw, text_w(c->categories[i], FS));
			if (c->notes && c->notes[i])
				nw = fmax(nw, text_w(c->notes[i], FS));
			if (c->value_labels)
				for (size_t s = 0; s < c->nseries; s++) {
					svg_fmt_value(b, sizeof(b), c->series[s].values[i],
						      c->unit);
					rw = fmax(rw, text_w(b, FS));
				}
		}
		fr->label_max = fmin(lw, fr->W * 0.3);
		fr->x0 = PAD + fr->label_max + 8;
		fr->x1 =
		    fr->W - PAD - (rw > 0 ? rw + 6 : 0) - (nw > 0 ? fmin(nw, fr->W * 0.34) + 8 : 0);
		if (fr->x1 < fr->x0 + 80)
			fr->x1 = fr->x0 + 80;
		if (c->base_label)
			top += FS + 4;
		double row = fr->nslots > 1 ? 8 + 12.0 * fr->nslots : 24;
		fr->y0 = top;
		fr->y1 = top + row * (double)c->ncat;
		fr->H =
		    c->height > 0 ? c->height : fr->y1 + 4 + FS + 6 + (c->x_label ? FS + 8 : 0) + 4;
		if (c->height > 0)
			fr->y1 = fr->H - (4 + FS + 6 + (c->x_label ? FS + 8 : 0) + 4);
		return;
	}

	fr->H = c->height > 0 ? c->height : 340;
	double tw = 0;
	char b[64];
	for (double v = fr->vmin; v <= fr->vmax + fr->step * 1e-6; v += fr->step) {
		fmt_tick(b, sizeof(b), v, amax, fr->step, c->unit);
		tw = fmax(tw, text_w(b, FS));
	}
	fr->x0 = PAD + (c->y_label ? FS + 8 : 0) + tw + 6;
	fr->x1 = fr->W - PAD - 4;
	fr->y0 = top;

	double slot = (fr->x1 - fr->x0) / (double)c->ncat, lw = 0;
	int shortlabels = 1;
	for (size_t i = 0; i < c->ncat; i++) {
		lw = fmax(lw, text_w(c->categories[i], FS));
		if (text_len(c->categories[i]) > 6)
			shortlabels = 0;
	}
	fr->label_every = 1;
	double bottom = 6 + FS + 4;
	if (lw > slot - 4) {
		if (shortlabels) {
			fr->label_every = (int)ceil((lw + 8) / slot);
		} else {
			fr->rotate = 1;
			fr->label_max = fmin(lw, fr->H * 0.35);
			bottom = 6 + fr->label_max * 0.643 + FS + 4; /* sin 40 degrees */
		}
	}
	if (c->x_label)
		bottom += FS + 6;
	fr->y1 = fr->H - bottom;
}

static void frame_open(FILE *f, const struct frame *fr)
{
	const struct svg_chart *c = fr->c;
	fputs("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\"", f);
	fprintf(f, " viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\"", fr->W, ceil(fr->H),
		fr->W, ceil(fr->H));
	fputs(" role=\"img\" aria-labelledby=\"", f);
	svg_escape(f, fr->id);
	fputs("-title", f);
	if (c->desc) {
		fputs(" ", f);
		svg_escape(f, fr->id);
		fputs("-desc", f);
	}
	fprintf(f, "\" font-family=\"%s\" font-size=\"%.0f\" fill=\"%s\">\n", FONT, FS, INK);
	fputs("<title id=\"", f);
	svg_escape(f, fr->id);
	fputs("-title\">", f);
	svg_escape(f, c->title);
	fputs("</title>\n", f);
	if (c->desc) {
		fputs("<desc id=\"", f);
		svg_escape(f, fr->id);
		fputs("-desc\">", f);
		svg_escape(f, c->desc);
		fputs("</desc>\n", f);
	}
	fprintf(f, "<rect class=\"background\" width=\"%.0f\" height=\"%.0f\" fill=\"#ffffff\"/>\n",
		fr->W, ceil(fr->H));
	fputs("<text class=\"chart-title\"", f);
	attr(f, "x", PAD);
	attr(f, "y", 8 + FS_TITLE - 2);
	fprintf(f, " font-size=\"%.0f\" font-weight=\"bold\">", FS_TITLE);
	escape_fit(f, c->title, fr->W - 2 * PAD, FS_TITLE);
	fputs("</text>\n", f);
	legend(f, c, PAD, 8 + FS_TITLE + 8, fr->W - PAD);
}

/* Value axis: grid lines and tick labels, vertical (bars, lines) or horizontal (hbars). */
static void value_axis(FILE *f, const struct frame *fr)
{
	const struct svg_chart *c = fr->c;
	double amax = fmax(fabs(fr->vmin), fabs(fr->vmax));
	char b[64];
	int horiz = c->type == SVG_HBARS;
	fputs("<g class=\"grid\">", f);
	int n = (int)floor((fr->vmax - fr->vmin) / fr->step + 0.5);
	for (int k = 0; k <= n; k++) {
		double v = fr->vmin + fr->step * k;
		fmt_tick(b, sizeof(b), v, amax, fr->step, c->unit);
		if (horiz) {
			double x = vx(fr, v);
			fputs("<line", f);
			attr(f, "x1", x);
			attr(f, "y1", fr->y0);
			attr(f, "x2", x);
			attr(f, "y2", fr->y1);
			fprintf(f, " stroke=\"%s\"/>", GRID);
			fputs("<text class=\"tick\"", f);
			attr(f, "x", x);
			attr(f, "y", fr->y1 + 4 + FS);
			fprintf(f, " text-anchor=\"middle\" fill=\"%s\">%s</text>", INK_SOFT, b);
		} else {
			double y = vy(fr, v);
			fputs("<line", f);
			attr(f, "x1", fr->x0);
			attr(f, "y1", y);
			attr(f, "x2", fr->x1);
			attr(f, "y2", y);
			fprintf(f, " stroke=\"%s\"/>", GRID);
			fputs("<text class=\"tick\"", f);
			attr(f, "x", fr->x0 - 6);
			attr(f, "y", y + FS * 0.35);
			fprintf(f, " text-anchor=\"end\" fill=\"%s\">%s</text>", INK_SOFT, b);
		}
	}
	fputs("</g>\n", f);
	if (!horiz && c->y_label) {
		double cy = (fr->y0 + fr->y1) / 2, cx = PAD + FS - 1;
		fputs("<text class=\"axis-title\"", f);
		attr(f, "x", cx);
		attr(f, "y", cy);
		fputs(" text-anchor=\"middle\" transform=\"rotate(-90 ", f);
		num(f, cx);
		fputc(' ', f);
		num(f, cy);
		fputs(")\">", f);
		svg_escape(f, c->y_label);
		fputs("</text>\n", f);
	}
	if (c->x_label) {
		fputs("<text class=\"axis-title\"", f);
		attr(f, "x", (fr->x0 + fr->x1) / 2);
		attr(f, "y", fr->H - 6);
		fputs(" text-anchor=\"middle\">", f);
		svg_escape(f, c->x_label);
		fputs("</text>\n", f);
	}
}

/* Category axis under vertical charts: the zero line and the labels. */
static void category_axis(FILE *f, const struct frame *fr)
{
	const struct svg_chart *c = fr->c;
	double y0 = fr->vmin <= 0 && fr->vmax >= 0 ? vy(fr, 0) : fr->y1;
	fputs("<line class=\"axis\"", f);
	attr(f, "x1", fr->x0);
	attr(f, "y1", y0);
	attr(f, "x2", fr->x1);
	attr(f, "y2", y0);
	fprintf(f, " stroke=\"%s\"/>\n<g class=\"categories\">", INK_SOFT);
	for (size_t i = 0; i < c->ncat; i++) {
		if (i % (size_t)fr->label_every)
			continue;
		double x = slot_cx(fr, i), y = fr->y1 + 6 + FS;
		fputs("<text class=\"category\"", f);
		attr(f, "x", x);
		attr(f, "y", y);
		if (fr->rotate) {
			fputs(" text-anchor=\"end\" transform=\"rotate(-40 ", f);
			num(f, x);
			fputc(' ', f);
			num(f, y);
			fputs(")\">", f);
			escape_fit(f, c->categories[i], fr->label_max, FS);
		} else {
			fputs(" text-anchor=\"middle\">", f);
			svg_escape(f, c->categories[i]);
		}
		fputs("</text>", f);
	}
	fputs("</g>\n", f);
}

/* One bar rectangle with a tooltip "category - series: value". */
static void bar(FILE *f, const struct frame *fr, size_t s, size_t i, double x, double y, double w,
		double h, double v)
{
	const struct svg_chart *c = fr->c;
	const struct svg_series *se = &c->series[s];
	const char *col = series_color(c, s);
	char b[64];
	fprintf(f, "<rect class=\"bar s%zu\"", s);
	attr(f, "x", x);
	attr(f, "y", y);
	attr(f, "width", w);
	attr(f, "height", h);
	if (se->dashed)
		fprintf(f, " fill=\"%s\" fill-opacity=\"0.15\" stroke=\"%s\" stroke-width=\"1.2\"",
			col, col);
	else
		fprintf(f, " fill=\"%s\"", col);
	fputs("><title>", f);
	svg_escape(f, c->categories[i]);
	if (se->name) {
		fputs(" \xE2\x80\x93 ", f); /* – */
		svg_escape(f, se->name);
	}
	svg_fmt_value(b, sizeof(b), v, c->unit);
	fprintf(f, ": %s</title></rect>", b);
}

/* A range bar lo..hi (pale, outlined) with the value as a dark tick, and a tooltip. */
static void range_bar(FILE *f, const struct frame *fr, size_t s, size_t i, double y, double bh,
		      double v)
{
	const struct svg_chart *c = fr->c;
	const struct svg_series *se = &c->series[s];
	const char *col = series_color(c, s);
	double xl = vx(fr, se->lo[i]), xh = vx(fr, se->hi[i]), xv = vx(fr, v);
	char b[64];
	fprintf(f, "<g class=\"range s%zu\"><title>", s);
	svg_escape(f, c->categories[i]);
	if (se->name) {
		fputs(" \xE2\x80\x93 ", f);
		svg_escape(f, se->name);
	}
	svg_fmt_value(b, sizeof(b), v, c->unit);
	fprintf(f, ": %s (", b);
	svg_fmt_value(b, sizeof(b), se->lo[i], c->unit);
	fprintf(f, "%s to ", b);
	svg_fmt_value(b, sizeof(b), se->hi[i], c->unit);
	fprintf(f, "%s)</title><rect class=\"bar s%zu\"", b, s);
	attr(f, "x", fmin(xl, xh));
	attr(f, "y", y + 1);
	attr(f, "width", fabs(xh - xl));
	attr(f, "height", bh - 2);
	fprintf(f, " fill=\"%s\" fill-opacity=\"0.3\" stroke=\"%s\"/>", col, col);
	if (isfinite(v)) {
		fputs("<rect class=\"mark\"", f);
		attr(f, "x", xv - 1.5);
		attr(f, "y", y);
		attr(f, "width", 3);
		attr(f, "height", bh);
		fprintf(f, " fill=\"%s\"/>", INK);
	}
	fputs("</g>", f);
}

static void draw_stacked(FILE *f, const struct frame *fr)
{
	const struct svg_chart *c = fr->c;
	double bw = fmin(slot_w(fr) * 0.7, MAX_BAR_W);
	fputs("<g class=\"bars\">", f);
	for (size_t i = 0; i < c->ncat; i++) {
		double pos = 0, neg = 0, x = slot_cx(fr, i) - bw / 2;
		for (size_t s = 0; s < c->nseries; s++) {
			double v = c->series[s].values[i];
			if (!isfinite(v) || v == 0)
				continue;
			double *acc = v > 0 ? &pos : &neg;
			double a = vy(fr, *acc), b = vy(fr, *acc + v);
			*acc += v;
			bar(f, fr, s, i, x, fmin(a, b), bw, fabs(a - b), v);
		}
	}
	fputs("</g>\n", f);
}

static void draw_grouped(FILE *f, const struct frame *fr)
{
	const struct svg_chart *c = fr->c;
	double gw = fmin(slot_w(fr) * 0.8, MAX_BAR_W * fr->nslots);
	double bw = gw / fr->nslots;
	fputs("<g class=\"bars\">", f);
	for (size_t i = 0; i < c->ncat; i++) {
		int slot = -1;
		for (size_t s = 0; s < c->nseries; s++) {
			const struct svg_series *se = &c->series[s];
			int over = se->overlay && s > 0;
			if (!over)
				slot++;
			double v = se->values[i];
			if (!isfinite(v))
				continue;
			double x = slot_cx(fr, i) - gw / 2 + bw * slot, w = bw;
			if (over) {
				x += bw * 0.2;
				w = bw * 0.6;
			} else {
				x += bw * 0.05;
				w = bw * 0.9;
			}
			double a = vy(fr, 0), b = vy(fr, v);
			bar(f, fr, s, i, x, fmin(a, b), w, fabs(a - b), v);
		}
	}
	fputs("</g>\n", f);
}

static void draw_hbars(FILE *f, const struct frame *fr)
{
	const struct svg_chart *c = fr->c;
	double row = (fr->y1 - fr->y0) / (double)c->ncat;
	double bh = (row - 8) / fr->nslots;
	double xb = vx(fr, c->base);
	char b[64];
	fputs("<g class=\"categories\">", f);
	for (size_t i = 0; i < c->ncat; i++) {
		fputs("<text class=\"category\"", f);
		attr(f, "x", fr->x0 - 8);
		attr(f, "y", fr->y0 + row * ((double)i + 0.5) + FS * 0.35);
		fputs(" text-anchor=\"end\">", f);
		escape_fit(f, c->categories[i], fr->label_max, FS);
		fputs("</text>", f);
	}
	fputs("</g>\n<g class=\"bars\">", f);
	for (size_t i = 0; i < c->ncat; i++) {
		int slot = -1;
		double ry = fr->y0 + row * (double)i + 4;
		for (size_t s = 0; s < c->nseries; s++) {
			const struct svg_series *se = &c->series[s];
			if (!(se->overlay && s > 0))
				slot++;
			double v = se->values[i];
			if (!isfinite(v))
				continue;
			double xv = vx(fr, v), y = ry + bh * slot;
			if (se->lo && isfinite(se->lo[i]) && isfinite(se->hi[i])) {
				range_bar(f, fr, s, i, y, bh, v);
			} else {
				bar(f, fr, s, i, fmin(xb, xv), y + 1, fabs(xv - xb), bh - 2, v);
			}
			if (c->value_labels) {
				svg_fmt_value(b, sizeof(b), v, c->unit);
				if (se->lo && isfinite(se->hi[i]))
					xv = fmax(xv, vx(fr, se->hi[i]));
				int left = v < c->base && xv - fr->x0 > text_w(b, FS) + 4;
				fputs("<text class=\"value\"", f);
				attr(f, "x", left ? xv - 4 : fmax(xv, xb) + 4);
				attr(f, "y", y + bh / 2 + FS * 0.35);
				fprintf(f, "%s fill=\"%s\">%s</text>",
					left ? " text-anchor=\"end\"" : "", INK_SOFT, b);
			}
		}
	}
	fputs("</g>\n", f);
	if (c->notes) {
		double nx = fr->x1 + 8;
		if (c->value_labels) {
			double rw = 0;
			for (size_t i = 0; i < c->ncat; i++)
				for (size_t s = 0; s < c->nseries; s++) {
					svg_fmt_value(b, sizeof(b), c->series[s].values[i],
						      c->unit);
					rw = fmax(rw, text_w(b, FS));
				}
			nx += rw + 6;
		}
		fputs("<g class=\"notes\">", f);
		for (size_t i = 0; i < c->ncat; i++) {
			if (!c->notes[i])
				continue;
			fputs("<text class=\"note\"", f);
			attr(f, "x", nx);
			attr(f, "y", fr->y0 + row * ((double)i + 0.5) + FS * 0.35);
			fprintf(f, " fill=\"%s\">", INK_SOFT);
			escape_fit(f, c->notes[i], fr->W - PAD - nx, FS);
			fputs("</text>", f);
		}
		fputs("</g>\n", f);
	}
	fputs("<line class=\"axis base\"", f);
	attr(f, "x1", xb);
	attr(f, "y1", fr->y0 - (c->base_label ? 2 : 0));
	attr(f, "x2", xb);
	attr(f, "y2", fr->y1);
	fprintf(f, " stroke=\"%s\" stroke-width=\"1.2\"/>\n", INK);
	if (c->base_label) {
		fputs("<text class=\"base-label\"", f);
		attr(f, "x", xb);
		attr(f, "y", fr->y0 - 5);
		fputs(" text-anchor=\"middle\">", f);
		svg_escape(f, c->base_label);
		fputs("</text>\n", f);
	}
}

/* A path through the finite points; a missing value starts a new piece. */
static void polyline(FILE *f, const struct frame *fr, const double *v)
{
	int pen = 0;
	for (size_t i = 0; i < fr->c->ncat; i++) {
		if (!isfinite(v[i])) {
			pen = 0;
			continue;
		}
		fputc(pen ? 'L' : 'M', f);
		num(f, slot_cx(fr, i));
		fputc(' ', f);
		num(f, vy(fr, v[i]));
		pen = 1;
	}
}

static void draw_lines(FILE *f, const struct frame *fr)
{
	const struct svg_chart *c = fr->c;
	char b[64];
	for (size_t s = 0; s < c->nseries; s++) {
		const struct svg_series *se = &c->series[s];
		if (!se->lo)
			continue;
		/* One closed shape per run of points with both ends known. */
		fprintf(f, "<path class=\"band s%zu\" fill=\"%s\" fill-opacity=\"0.22\" d=\"", s,
			series_color(c, s));
		size_t i = 0;
		while (i < c->ncat) {
			while (i < c->ncat && !(isfinite(se->lo[i]) && isfinite(se->hi[i])))
				i++;
			size_t a = i;
			while (i < c->ncat && isfinite(se->lo[i]) && isfinite(se->hi[i]))
				i++;
			if (a == i)
				break;
			for (size_t k = a; k < i; k++) {
				fputc(k == a ? 'M' : 'L', f);
				num(f, slot_cx(fr, k));
				fputc(' ', f);
				num(f, vy(fr, se->hi[k]));
			}
			for (size_t k = i; k-- > a;) {
				fputc('L', f);
				num(f, slot_cx(fr, k));
				fputc(' ', f);
				num(f, vy(fr, se->lo[k]));
			}
			fputc('Z', f);
		}
		fputs("\"/>\n", f);
	}
	for (size_t s = 0; s < c->nseries; s++) {
		const struct svg_series *se = &c->series[s];
		const char *col = series_color(c, s);
		fprintf(f,
			"<path class=\"line s%zu\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s"
			" d=\"",
			s, col, se->dashed ? " stroke-dasharray=\"5 3\"" : "");
		polyline(f, fr, se->values);
		fputs("\"/>\n<g class=\"points\">", f);
		for (size_t i = 0; i < c->ncat; i++) {
			if (!isfinite(se->values[i]))
				continue;
			fputs("<circle", f);
			attr(f, "cx", slot_cx(fr, i));
			attr(f, "cy", vy(fr, se->values[i]));
			fprintf(f, " r=\"%s\" fill=\"%s\"><title>", se->dashed ? "1.8" : "2.6",
				se->dashed ? "#ffffff" : col);
			svg_escape(f, c->categories[i]);
			if (se->name) {
				fputs(" \xE2\x80\x93 ", f);
				svg_escape(f, se->name);
			}
			svg_fmt_value(b, sizeof(b), se->values[i], c->unit);
			fprintf(f, ": %s", b);
			if (se->lo && isfinite(se->lo[i]) && isfinite(se->hi[i])) {
				svg_fmt_value(b, sizeof(b), se->lo[i], c->unit);
				fprintf(f, " (%s", b);
				svg_fmt_value(b, sizeof(b), se->hi[i], c->unit);
				fprintf(f, " to %s)", b);
			}
			fputs("</title></circle>", f);
		}
		fputs("</g>\n", f);
	}
}

static int valid(const struct svg_chart *c)
{
	if (!c || !c->title || !c->series || c->nseries == 0 || c->ncat == 0 || !c->categories)
		return 0;
	for (size_t i = 0; i < c->ncat; i++)
		if (!c->categories[i])
			return 0;
	for (size_t s = 0; s < c->nseries; s++)
		if (!c->series[s].values || !c->series[s].lo != !c->series[s].hi)
			return 0;
	return c->type >= SVG_STACKED && c->type <= SVG_LINES;
}

int svg_write(FILE *f, const struct svg_chart *c)
{
	struct frame fr;
	if (!f || !valid(c)) {
		errno = EINVAL;
		return -1;
	}
	layout(&fr, c);
	frame_open(f, &fr);
	value_axis(f, &fr);
	switch (c->type) {
	case SVG_STACKED:
		draw_stacked(f, &fr);
		category_axis(f, &fr);
		break;
	case SVG_GROUPED:
		draw_grouped(f, &fr);
		category_axis(f, &fr);
		break;
	case SVG_HBARS:
		draw_hbars(f, &fr);
		break;
	case SVG_LINES:
		category_axis(f, &fr);
		draw_lines(f, &fr);
		break;
	}
	fputs("</svg>\n", f);
	return ferror(f) ? -1 : 0;
}

char *svg_string(const struct svg_chart *c, size_t *len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	if (!f)
		return NULL;
	int rc = svg_write(f, c);
	int e = errno;
	if (fclose(f) != 0 && rc == 0) {
		rc = -1;
		e = errno;
	}
	if (rc != 0) {
		free(buf);
		errno = e;
		return NULL;
	}
	if (len)
		*len = n;
	return buf;
}
