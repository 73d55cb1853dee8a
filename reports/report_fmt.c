/* report_fmt.c - what the report writers share: ids by index, CSV quoting, Markdown escaping,
 * readable money and quantities, the order of shortfalls. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "report_int.h"

#define ID_BY_INDEX(arr, n, i) ((i) >= 0 && (size_t)(i) < (n) ? (arr)[i].id : NULL)

const char *rpt_item_id(const struct plan *p, int i)
{
	return ID_BY_INDEX(p->items, p->nitems, i);
}

const char *rpt_buyer_id(const struct plan *p, int i)
{
	return ID_BY_INDEX(p->buyers, p->nbuyers, i);
}

const char *rpt_source_id(const struct plan *p, int i)
{
	return ID_BY_INDEX(p->sources, p->nsources, i);
}

const char *rpt_category_id(const struct plan *p, int i)
{
	return ID_BY_INDEX(p->categories, p->ncategories, i);
}

const char *rpt_capability_id(const struct plan *p, int i)
{
	return ID_BY_INDEX(p->capabilities, p->ncapabilities, i);
}

const char *rpt_deployment_id(const struct plan *p, int i)
{
	return ID_BY_INDEX(p->deployments, p->ndeployments, i);
}

int rpt_item_category(const struct plan *p, int i)
{
	return i >= 0 && (size_t)i < p->nitems ? p->items[i].category : -1;
}

const char *rpt_capability_unit(const struct plan *p, int i)
{
	return i >= 0 && (size_t)i < p->ncapabilities ? p->capabilities[i].unit : NULL;
}

void rpt_csv_str(FILE *f, const char *s)
{
	if (!s)
		return;
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

void rpt_csv_num(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "%.17g", rpt_nozero(v));
}

void rpt_md_text(FILE *f, const char *s)
{
	if (!s) {
		fputc('-', f);
		return;
	}
	for (; *s; s++) {
		if (*s == '|' || *s == '\\')
			fputc('\\', f);
		fputc(*s == '\n' || *s == '\r' ? ' ' : *s, f);
	}
}

/* Drop trailing zeros after a decimal point: "1.50" -> "1.5", "2.00" -> "2". */
static void trim_zeros(char *s)
{
	char *dot = strchr(s, '.');
	if (!dot)
		return;
	char *end = s + strlen(s);
	while (end > dot + 1 && end[-1] == '0')
		end--;
	if (end == dot + 1)
		end = dot;
	*end = '\0';
}

void report_fmt_money(char *buf, size_t len, double eur)
{
	static const struct {
		double scale;
		const char *suffix;
	} unit[] = {{1, ""}, {1e3, "k"}, {1e6, "m"}, {1e9, "bn"}};
	char num[64];
	double a = fabs(eur);
	int k;

	if (!len)
		return;
	if (!isfinite(eur)) {
		snprintf(buf, len, "n/a");
		return;
	}
	k = a >= 1e9 ? 3 : a >= 1e6 ? 2 : a >= 1e3 ? 1 : 0;
	for (;;) {
		double s = a / unit[k].scale;
		int dec = k == 0 || s >= 100 ? 0 : s >= 10 ? 1 : 2;
		snprintf(num, sizeof(num), "%.*f", dec, s);
		/* 999.96m rounds to "1000": say 1bn instead */
		if (k < 3 && strtod(num, NULL) >= 1000) {
			k++;
			continue;
		}
		break;
	}
	trim_zeros(num);
	snprintf(buf, len, "EUR %s%s%s", eur < 0 && strcmp(num, "0") ? "-" : "", num,
		 unit[k].suffix);
}

void rpt_fmt_qty(char *buf, size_t len, double v)
{
	char num[64];
	double a = fabs(v);

	if (!len)
		return;
	if (!isfinite(v)) {
		snprintf(buf, len, "n/a");
		return;
	}
	if (a >= 100 || a == 0) {
		snprintf(num, sizeof(num), "%.0f", a);
	} else {
		snprintf(num, sizeof(num), "%.*f", a >= 10 ? 1 : a >= 1 ? 2 : 3, a);
		trim_zeros(num);
	}
	if (!strcmp(num, "0") || !strcmp(num, "0.000")) {
		snprintf(buf, len, "0");
		return;
	}
	/* thousands separators in the integer part */
	char out[96];
	size_t o = 0, ilen = strcspn(num, ".");
	if (v < 0)
		out[o++] = '-';
	for (size_t i = 0; num[i]; i++) {
		if (i < ilen && i > 0 && (ilen - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = num[i];
	}
	out[o] = '\0';
	snprintf(buf, len, "%s", out);
}

void rpt_fmt_share(char *buf, size_t len, double part, double whole)
{
	if (!(whole > 0) || !isfinite(part)) {
		snprintf(buf, len, "-");
		return;
	}
	double pct = 100.0 * part / whole;
	snprintf(buf, len, fabs(pct) >= 10 || pct == 0 ? "%.0f%%" : "%.1f%%", pct);
}

int rpt_has_shortfall(const struct res_req *q)
{
	return isfinite(q->shortfall) && q->shortfall > 1e-6 * fmax(1.0, fabs(q->target));
}

/* A shortfall's share of its target; no target means all of it is missing. */
static double missed_share(const struct res_req *q)
{
	return q->target > 0 ? q->shortfall / q->target : 1.0;
}

struct ranked {
	double key;
	size_t index;
};

/* Largest key first; equal keys in index order, so the order never depends on qsort. */
static int by_key_desc(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->key != y->key)
		return x->key > y->key ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

size_t *rpt_shortfalls(const struct results *res, size_t *n)
{
	struct ranked *r;
	size_t *v, k = 0;

	*n = 0;
	if (!res->nreq || !(r = pc_malloc(res->nreq * sizeof(*r))))
		return NULL;
	for (size_t i = 0; i < res->nreq; i++)
		if (rpt_has_shortfall(&res->req[i]))
			r[k++] = (struct ranked){missed_share(&res->req[i]), i};
	v = k ? pc_malloc(k * sizeof(*v)) : NULL;
	if (v) {
		qsort(r, k, sizeof(*r), by_key_desc);
		for (size_t i = 0; i < k; i++)
			v[i] = r[i].index;
		*n = k;
	}
	free(r);
	return v;
}

size_t *rpt_largest_purchases(const struct results *res, size_t *n)
{
	struct ranked *r;
	size_t *v;

	*n = 0;
	if (!res->nalloc || !(r = pc_malloc(res->nalloc * sizeof(*r))))
		return NULL;
	for (size_t i = 0; i < res->nalloc; i++)
		r[i] = (struct ranked){isfinite(res->alloc[i].eur) ? res->alloc[i].eur : 0.0, i};
	v = pc_malloc(res->nalloc * sizeof(*v));
	if (v) {
		qsort(r, res->nalloc, sizeof(*r), by_key_desc);
		for (size_t i = 0; i < res->nalloc; i++)
			v[i] = r[i].index;
		*n = res->nalloc;
	}
	free(r);
	return v;
}
