/* svg.h - the project's one chart module: stacked, grouped/overlaid and horizontal (tornado)
 * bar charts and line charts with percentile bands, as inline SVG with real <text> labels,
 * <title> and <desc>, colours from one colour-blind-safe palette, deterministic output. */
#ifndef PORCUPINE_SVG_H
#define PORCUPINE_SVG_H

#include <stddef.h>
#include <stdio.h>

enum svg_type {
	SVG_STACKED, /* vertical bars, categories along x, series stacked (negatives downwards) */
	SVG_GROUPED, /* vertical bars, series side by side; an `overlay` series shares the slot of
			the series before it (e.g. used in front of available) */
	SVG_HBARS,   /* horizontal bars, one row per category, each bar from `base` to its value;
			with an `overlay` series: a tornado (low and high ends in one row) */
	SVG_LINES    /* lines over the categories (years), with optional lo..hi bands (P5..P95) */
};

/* How values are written on the axis and in labels. */
enum svg_unit {
	SVG_UNIT_NUMBER, /* 1,250 / 45k / 1.5m */
	SVG_UNIT_EUR,	 /* 950 / 4.4k / 158m / 43.7bn (the axis title says EUR) */
	SVG_UNIT_SHARE	 /* 0..1 written as 0% .. 100% */
};

struct svg_series {
	const char *name;      /* legend text; NULL = not in the legend */
	const double *values;  /* ncat values; NAN = none (no bar, a gap in a line) */
	const double *lo, *hi; /* both or neither.  SVG_LINES: a band drawn behind the line
				* (P5..P95); SVG_HBARS: a range bar from lo to hi with the
				* value marked on it (P5..P95 with the median) */
	int color;	       /* palette index (see svg_color); -1 = the series' position */
	int dashed;	       /* SVG_LINES: dashed line (targets); bars: hollow, outlined bar */
	int overlay;	       /* SVG_GROUPED / SVG_HBARS: drawn in the previous series' slot */
};

/* A chart.  Everything is borrowed for the duration of the call. */
struct svg_chart {
	enum svg_type type;
	const char *id;	   /* prefix for element ids, unique within the page; NULL = "chart" */
	const char *title; /* required: the <title>, also drawn at the top of the chart */
	const char *desc;  /* <desc>: what the chart shows, for screen readers; NULL = none */
	const char *x_label, *y_label; /* axis titles; NULL = none (SVG_HBARS: y_label unused) */
	const char *const *categories; /* ncat labels: x axis (bars, lines) or rows (hbars) */
	size_t ncat;
	const struct svg_series *series;
	size_t nseries;
	enum svg_unit unit;
	const char *band_label; /* SVG_LINES: legend text for the bands ("P5-P95"); NULL = none */
	double base;		/* SVG_HBARS: where bars start (0; a tornado's base objective) */
	const char *base_label; /* SVG_HBARS: text at the base line ("base 12.3bn"); NULL = none */
	/* SVG_HBARS: optional text after each row (ncat entries, NULL entries allowed) */
	const char *const *notes;
	int value_labels;  /* SVG_HBARS: write each bar's value at its end */
	int width, height; /* pixels; 0 = 720 wide, 340 high (SVG_HBARS: from the rows) */
	int fixed_range;   /* 1: the value axis spans at least [range_lo, range_hi] (charts
			    * side by side on one scale); 0: fitted to the data */
	double range_lo, range_hi;
};

#define SVG_CHART_INIT                                                                             \
	{                                                                                          \
		0                                                                                  \
	}

/* Write the chart as one <svg> element (no XML declaration, ready to inline in HTML; a file
 * holding only it is a valid SVG document).  Returns 0, or -1 with errno = EINVAL when the
 * chart is unusable (no title, no series, a series without values, lo without hi) or errno
 * from the stream when writing failed.  Same chart => byte-identical output; coordinates are
 * written with one decimal.  Thread-safe (no global state). */
int svg_write(FILE *f, const struct svg_chart *c);

/* The same into a growable buffer: a malloc'd NUL-terminated string (length in *len when len
 * is not NULL), or NULL with errno set. */
char *svg_string(const struct svg_chart *c, size_t *len);

/* The palette (Paul Tol's "muted" scheme, safe for colour-blind readers, distinct in grey
 * print): colour i modulo its size, as "#rrggbb". */
const char *svg_color(int i);
#define SVG_NCOLORS 9

/* Axis range: round [lo, hi] out to about `nticks` steps of 1, 2 or 5 times a power of ten.
 * *min <= lo, *max >= hi, *step > 0; an empty or non-finite range gives [0, 1]. */
void svg_nice_scale(double lo, double hi, int nticks, double *min, double *max, double *step);

/* A value as a chart writes it: 3 significant digits with k / m / bn (EUR, numbers >= 10k)
 * or as a percentage (shares); "n/a" when not finite.  Always NUL-terminates buf. */
void svg_fmt_value(char *buf, size_t len, double v, enum svg_unit unit);

/* Text for XML/HTML: & < > " ' escaped, control characters other than tab and line breaks
 * dropped; NULL writes nothing. */
void svg_escape(FILE *f, const char *s);

#endif
