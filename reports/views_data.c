/* views_data.c - reading report.json documents for the views: dotted paths, names, plan
 * parameters, ordered key sets and tables of sums. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "views.h"

json_t *rv_get(const json_t *doc, const char *path)
{
	const json_t *v = doc;
	const char *p = path;
	char seg[128];

	while (v && *p) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		if (n >= sizeof(seg) || !json_is_object(v))
			return NULL;
		memcpy(seg, p, n);
		seg[n] = '\0';
		v = json_object_get(v, seg);
		p += n + (dot ? 1 : 0);
	}
	return (json_t *)v;
}

const char *rv_str(const json_t *doc, const char *path)
{
	return json_string_value(rv_get(doc, path));
}

static double as_num(const json_t *v)
{
	return json_is_number(v) ? json_number_value(v) : NAN;
}

double rv_num(const json_t *doc, const char *path)
{
	return as_num(rv_get(doc, path));
}

double rv_field(const json_t *obj, const char *key)
{
	return as_num(json_object_get(obj, key));
}

const char *rv_key(const json_t *obj, const char *key, char *buf, size_t len)
{
	const json_t *v = json_object_get(obj, key);
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(buf, len, "%lld", (long long)json_integer_value(v));
		return buf;
	}
	return NULL;
}

const char *rv_name(const json_t *doc, const char *section, const char *id)
{
	const json_t *names = json_object_get(rv_get(doc, "plan.names"), section);
	const char *n = json_string_value(json_object_get(names, id ? id : ""));
	return n && *n ? n : id;
}

double rv_param(const json_t *doc, const char *path, int t)
{
	const json_t *v = json_object_get(rv_get(doc, "plan.parameters"), path);
	if (json_is_array(v))
		return t >= 0 ? as_num(json_array_get(v, (size_t)t)) : NAN;
	return as_num(v);
}

int rv_is_short(double shortfall, double target)
{
	return isfinite(shortfall) && shortfall > 1e-6 * fmax(1.0, fabs(target));
}

/* ---- keys ------------------------------------------------------------------------------------ */

int rv_keys_find(const struct rv_keys *k, const char *s)
{
	for (size_t i = 0; i < k->n; i++)
		if (strcmp(k->v[i], s) == 0)
			return (int)i;
	return -1;
}

int rv_keys_add(struct rv_keys *k, const char *s)
{
	int i = rv_keys_find(k, s);
	if (i >= 0)
		return i;
	if (k->n == k->cap) {
		size_t nc = k->cap ? k->cap * 2 : 16;
		char **nv = pc_realloc(k->v, nc * sizeof(*nv));
		if (!nv)
			return -1;
		k->v = nv;
		k->cap = nc;
	}
	char *c = pc_strdup(s);
	if (!c)
		return -1;
	k->v[k->n] = c;
	return (int)k->n++;
}

void rv_keys_release(struct rv_keys *k)
{
	for (size_t i = 0; i < k->n; i++)
		free(k->v[i]);
	free(k->v);
	k->v = NULL;
	k->n = k->cap = 0;
}

/* ---- pivots ------------------------------------------------------------------------------ */

void rv_pivot_release(struct rv_pivot *pv)
{
	rv_keys_release(&pv->rows);
	rv_keys_release(&pv->cols);
	free(pv->v);
	pv->v = NULL;
}

int rv_pivot_build(struct rv_pivot *pv, const json_t *arr, const char *rowkey, const char *colkey,
		   const char *valkey)
{
	size_t i;
	json_t *o;
	char rb[32], cb[32];

	/* Keys first, so that the table can be laid out once. */
	json_array_foreach(arr, i, o)
	{
		const char *r = rv_key(o, rowkey, rb, sizeof(rb));
		const char *c = colkey ? rv_key(o, colkey, cb, sizeof(cb)) : "";
		if (!r || !c)
			continue;
		if (rv_keys_add(&pv->rows, r) < 0 || rv_keys_add(&pv->cols, c) < 0)
			goto oom;
	}
	if (!colkey && pv->cols.n == 0 && rv_keys_add(&pv->cols, "") < 0)
		goto oom;
	free(pv->v);
	pv->v = pc_calloc(pv->rows.n * pv->cols.n + 1, sizeof(*pv->v));
	if (!pv->v)
		goto oom;
	json_array_foreach(arr, i, o)
	{
		const char *r = rv_key(o, rowkey, rb, sizeof(rb));
		const char *c = colkey ? rv_key(o, colkey, cb, sizeof(cb)) : "";
		double v = rv_field(o, valkey);
		if (!r || !c || !isfinite(v))
			continue;
		int ri = rv_keys_find(&pv->rows, r), ci = rv_keys_find(&pv->cols, c);
		pv->v[(size_t)ri * pv->cols.n + (size_t)ci] += v;
	}
	return 0;
oom:
	rv_pivot_release(pv);
	errno = ENOMEM;
	return -1;
}

double rv_pivot_at(const struct rv_pivot *pv, size_t r, size_t c)
{
	return r < pv->rows.n && c < pv->cols.n ? pv->v[r * pv->cols.n + c] : 0.0;
}

double rv_pivot_row_total(const struct rv_pivot *pv, size_t r)
{
	double s = 0;
	for (size_t c = 0; c < pv->cols.n; c++)
		s += rv_pivot_at(pv, r, c);
	return s;
}

struct ranked {
	double key;
	size_t index;
};

static int by_key_desc(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	if (x->key != y->key)
		return x->key > y->key ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

int rv_pivot_sort_rows(struct rv_pivot *pv)
{
	size_t n = pv->rows.n, nc = pv->cols.n;
	struct ranked *r = pc_malloc((n + 1) * sizeof(*r));
	char **keys = pc_malloc((n + 1) * sizeof(*keys));
	double *v = pc_malloc((n * nc + 1) * sizeof(*v));
	if (!r || !keys || !v) {
		free(r);
		free(keys);
		free(v);
		errno = ENOMEM;
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		r[i] = (struct ranked){rv_pivot_row_total(pv, i), i};
	qsort(r, n, sizeof(*r), by_key_desc);
	for (size_t i = 0; i < n; i++) {
		keys[i] = pv->rows.v[r[i].index];
		memcpy(v + i * nc, pv->v + r[i].index * nc, nc * sizeof(*v));
	}
	if (n)
		memcpy(pv->rows.v, keys, n * sizeof(*keys));
	free(pv->v);
	pv->v = v;
	free(keys);
	free(r);
	return 0;
}

int rv_years(struct rv_keys *years, const json_t *doc)
{
	double a = rv_num(doc, "plan.horizon.start"), b = rv_num(doc, "plan.horizon.end");
	char buf[24];
	if (isfinite(a) && isfinite(b) && b >= a && b - a < 200) {
		for (long y = (long)a; y <= (long)b; y++) {
			snprintf(buf, sizeof(buf), "%ld", y);
			if (rv_keys_add(years, buf) < 0)
				return -1;
		}
		return 0;
	}
	/* An older report without the horizon: the years the funding rows name. */
	size_t i;
	json_t *o;
	json_array_foreach(rv_get(doc, "solution.funding"), i, o)
	{
		const char *y = rv_key(o, "year", buf, sizeof(buf));
		if (y && rv_keys_add(years, y) < 0)
			return -1;
	}
	return 0;
}
