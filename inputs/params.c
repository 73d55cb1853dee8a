/* params.c - number and money literals, parameter paths, and plan_set (--set PATH=VALUE). */
#include "alloc.h"
#include "params.h"

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "schema.h"

/* Longest number text accepted (digits, sign, point and exponent, '_' removed). */
#define NUMBER_MAX_LEN 400
#define SET_FILE       "<command line>"

static int ieq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
	return *a == *b;
}

/* Copy digits with '_' allowed only between two digits; returns the count of digits, or
 * -1 on a misplaced '_'. */
static int take_digits(const char **s, char *buf, size_t *k)
{
	const char *p = *s;
	int n = 0;

	while (isdigit((unsigned char)*p) || *p == '_') {
		if (*p == '_') {
			if (n == 0 || !isdigit((unsigned char)p[1]))
				return -1;
		} else {
			if (*k >= NUMBER_MAX_LEN)
				return -2;
			buf[(*k)++] = *p;
			n++;
		}
		p++;
	}
	*s = p;
	return n;
}

int number_parse(double *out, const char *text, int money, const char **why)
{
	static const char *const nonfinite[] = {".nan",	    ".inf",	 "+.inf",    "-.inf",
						"nan",	    "inf",	 "+inf",     "-inf",
						"infinity", "+infinity", "-infinity"};
	static const struct {
		const char *s;
		double mult;
	} suffixes[] = {{"k", 1e3}, {"m", 1e6}, {"bn", 1e9}, {"tn", 1e12}};
	char buf[NUMBER_MAX_LEN + 8];
	const char *s = text;
	size_t k = 0, i;
	double v, mult = 1;
	char *end;
	int nint, nfrac = 0;

	*why = NULL;
	for (i = 0; i < sizeof(nonfinite) / sizeof(nonfinite[0]); i++) {
		if (ieq(text, nonfinite[i])) {
			*why = "non-finite numbers are not allowed";
			return NUMBER_INVALID;
		}
	}
	if (*s == '+' || *s == '-')
		buf[k++] = *s++;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		*why = "hexadecimal numbers are not allowed";
		return NUMBER_INVALID;
	}
	if (s[0] == '0' && (s[1] == 'o' || s[1] == 'O')) {
		*why = "octal numbers are not allowed";
		return NUMBER_INVALID;
	}
	if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) {
		*why = "binary numbers are not allowed";
		return NUMBER_INVALID;
	}
	if (s[0] == '0' && (isdigit((unsigned char)s[1]) || s[1] == '_')) {
		*why = "a leading zero makes an octal number in YAML 1.1; leave it out";
		return NUMBER_INVALID;
	}
	nint = take_digits(&s, buf, &k);
	if (nint == -2)
		goto too_long;
	if (nint < 0)
		goto bad_underscore;
	if (*s == '.') {
		buf[k++] = *s++;
		nfrac = take_digits(&s, buf, &k);
		if (nfrac == -2)
			goto too_long;
		if (nfrac < 0)
			goto bad_underscore;
	}
	if (nint + nfrac == 0)
		return NUMBER_NOT_A_NUMBER;
	if ((*s == 'e' || *s == 'E') &&
	    (isdigit((unsigned char)s[1]) ||
	     ((s[1] == '+' || s[1] == '-') && isdigit((unsigned char)s[2])))) {
		buf[k++] = *s++;
		if (*s == '+' || *s == '-')
			buf[k++] = *s++;
		while (isdigit((unsigned char)*s)) {
			if (k >= NUMBER_MAX_LEN)
				goto too_long;
			buf[k++] = *s++;
		}
	}
	buf[k] = '\0';
	if (*s) {
		for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++)
			if (ieq(s, suffixes[i].s))
				break;
		if (i < sizeof(suffixes) / sizeof(suffixes[0])) {
			if (!money) {
				*why = "suffixes (k, m, bn, tn) are only for amounts of money";
				return NUMBER_INVALID;
			}
			mult = suffixes[i].mult;
		} else if (strcmp(s, "%") == 0) {
			*why = "write a share as a fraction (0.65, not 65%)";
			return NUMBER_INVALID;
		} else {
			if (*s == ',' && isdigit((unsigned char)s[1]))
				*why = "group digits with '_', not ','";
			return NUMBER_NOT_A_NUMBER;
		}
	}
	errno = 0;
	v = strtod(buf, &end);
	if (*end != '\0')
		return NUMBER_NOT_A_NUMBER;
	v *= mult;
	if (!isfinite(v)) {
		*why = "out of range";
		return NUMBER_INVALID;
	}
	*out = v;
	return NUMBER_OK;
too_long:
	*why = "too many digits";
	return NUMBER_INVALID;
bad_underscore:
	*why = "'_' may only stand between digits";
	return NUMBER_INVALID;
}

int money_parse(double *out, const char *text, const char **why)
{
	int rc = number_parse(out, text, 1, why);

	if (rc == NUMBER_NOT_A_NUMBER && !*why)
		*why = !*text ? "empty" : "not a number or amount (such as 158m or 4.4bn)";
	return rc == NUMBER_OK ? 0 : -1;
}

void money_format(char *buf, size_t n, double v)
{
	static const struct {
		double scale;
		const char *suffix;
	} units[] = {{1e12, "tn"}, {1e9, "bn"}, {1e6, "m"}, {1e3, "k"}};
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (fabs(v) >= units[i].scale) {
			snprintf(buf, n, "%.6g%s", v / units[i].scale, units[i].suffix);
			return;
		}
	}
	snprintf(buf, n, "%.6g", v);
}

/* ---- parameter paths ------------------------------------------------------------------ */

/* A place a path leads to: the value, and the row that says what it may hold. */
struct pslot {
	void *ptr;
	const struct schema_field *f;
	enum schema_type type; /* ST_NUMBER (any double), ST_INT, ST_BOOL or ST_ENUM */
};

struct presolve {
	struct plan *p;
	const char *path;
	char **seg;
	size_t nseg;
	struct pslot *v;
	size_t n, alloc;
	struct diag_list *dl;
	const char *file;
	int line, col;
	int failed; /* PLAN_EINVALID or PLAN_ENOMEM */
	int star;   /* below a '*': records without the entry are skipped */
};

static void perr(struct presolve *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void perr(struct presolve *r, const char *fmt, ...)
{
	va_list ap;

	if (r->failed)
		return; /* one message per path */
	r->failed = PLAN_EINVALID;
	va_start(ap, fmt);
	diag_vadd(r->dl, DIAG_ERROR, r->file, r->line, r->col, r->path, fmt, ap);
	va_end(ap);
}

static void add_slot(struct presolve *r, void *ptr, const struct schema_field *f,
		     enum schema_type type)
{
	if (r->n == r->alloc) {
		size_t na = r->alloc ? r->alloc * 2 : 16;
		struct pslot *nv = pc_realloc(r->v, na * sizeof(*nv));

		if (!nv) {
			r->failed = PLAN_ENOMEM;
			return;
		}
		r->v = nv;
		r->alloc = na;
	}
	r->v[r->n].ptr = ptr;
	r->v[r->n].f = f;
	r->v[r->n].type = type;
	r->n++;
}

static const char *hint(char *buf, size_t n, const char *best)
{
	if (!best)
		return "";
	snprintf(buf, n, " (did you mean '%s'?)", best);
	return buf;
}

/* A number at the end of the path. */
static void leaf(struct presolve *r, const struct schema_field *f, void *ptr, size_t i)
{
	if (i + 1 != r->nseg) {
		perr(r, "path '%s' goes on past the number '%s'", r->path, r->seg[i]);
		return;
	}
	switch (f->type) {
	case ST_INT:
		add_slot(r, ptr, f, ST_INT);
		break;
	case ST_BOOL:
	case ST_ENUM:
		add_slot(r, ptr, f, f->type);
		break;
	default:
		add_slot(r, ptr, f, ST_NUMBER);
		break;
	}
}

/* The years of a series: segment i is a year, '*', or absent (every year). */
static void years(struct presolve *r, const struct schema_field *f, struct yseries *ys, size_t i)
{
	const struct plan *p = r->p;
	char *end;
	long year;
	int t;

	if (i >= r->nseg || strcmp(r->seg[i], "*") == 0) {
		if (i + 1 < r->nseg) {
			perr(r, "path '%s' goes on past the year", r->path);
			return;
		}
		for (t = 0; t < p->nyears && t < PLAN_MAX_YEARS; t++)
			add_slot(r, &ys->v[t], f, ST_NUMBER);
		return;
	}
	errno = 0;
	year = strtol(r->seg[i], &end, 10);
	if (*end || end == r->seg[i] || !isdigit((unsigned char)r->seg[i][0])) {
		perr(r, "'%s' in path '%s' is not a year", r->seg[i], r->path);
		return;
	}
	/* (the index test matters when the horizon itself was refused and left unset) */
	if (year < p->start_year || year > p->end_year || year - p->start_year >= p->nyears ||
	    year - p->start_year >= PLAN_MAX_YEARS) {
		perr(r, "year %s in path '%s' is outside the horizon %d-%d", r->seg[i], r->path,
		     p->start_year, p->end_year);
		return;
	}
	if (i + 1 < r->nseg) {
		perr(r, "path '%s' goes on past the year", r->path);
		return;
	}
	add_slot(r, &ys->v[year - p->start_year], f, ST_NUMBER);
}

static void walk(struct presolve *r, const struct schema_record *rec, void *base, size_t i);

static void walk_map(struct presolve *r, const struct schema_field *f, void *base, size_t i)
{
	const struct schema_entry *e = f->entry;
	unsigned char *arr = *(unsigned char **)((unsigned char *)base + f->off);
	size_t n = *(size_t *)((unsigned char *)base + f->count_off), k;
	struct name_suggest s;
	const char *want;
	char buf[160];
	int star, found = 0;

	if (i >= r->nseg) {
		perr(r, "path '%s' is incomplete: '%s' needs an id (or '*')", r->path, f->key);
		return;
	}
	want = r->seg[i];
	star = strcmp(want, "*") == 0;
	if (star && i + 1 < r->nseg && e->vtype != ST_YEARS) {
		perr(r, "path '%s' goes on past the number '%s'", r->path, want);
		return;
	}
	name_suggest_init(&s, want, NULL);
	for (k = 0; k < n && !r->failed; k++) {
		unsigned char *entry = arr + k * e->size;
		int idx = *(int *)(entry + e->key_off);
		const char *id = idx >= 0 ? schema_section_id(r->p, f->target, (size_t)idx) : NULL;

		if (!id)
			continue;
		if (!star && strcmp(id, want) != 0) {
			name_suggest_add(&s, id);
			continue;
		}
		found = 1;
		if (e->vtype == ST_YEARS)
			years(r, f, (struct yseries *)(entry + e->value_off), i + 1);
		else if (i + 1 != r->nseg)
			perr(r, "path '%s' goes on past the number '%s'", r->path, want);
		else
			add_slot(r, entry + e->value_off, f, ST_NUMBER);
	}
	if (!found && !star && !r->star)
		perr(r, "no entry '%s' in '%s' (path '%s')%s", want, f->key, r->path,
		     hint(buf, sizeof(buf), name_suggest_best(&s)));
}

static void walk_records(struct presolve *r, const struct schema_field *f, void *base, size_t i)
{
	const struct schema_record *sub = f->sub;
	unsigned char *arr = *(unsigned char **)((unsigned char *)base + f->off);
	size_t n = *(size_t *)((unsigned char *)base + f->count_off), k;
	struct name_suggest s;
	const char *want;
	char buf[160];

	if (i >= r->nseg) {
		perr(r, "path '%s' is incomplete: '%s' needs an id (or '*')", r->path, f->key);
		return;
	}
	want = r->seg[i];
	if (strcmp(want, "*") == 0) {
		int outer = r->star;

		r->star = 1;
		for (k = 0; k < n && !r->failed; k++)
			walk(r, sub, arr + k * sub->size, i + 1);
		r->star = outer;
		return;
	}
	name_suggest_init(&s, want, NULL);
	for (k = 0; k < n; k++) {
		unsigned char *e = arr + k * sub->size;
		const char *id = *(const char **)(e + sub->id_off);

		if (id && strcmp(id, want) == 0) {
			walk(r, sub, e, i + 1);
			return;
		}
		if (id)
			name_suggest_add(&s, id);
	}
	perr(r, "unknown %s '%s' in path '%s'%s", sub->name, want, r->path,
	     hint(buf, sizeof(buf), name_suggest_best(&s)));
}

static void walk(struct presolve *r, const struct schema_record *rec, void *base, size_t i)
{
	const struct schema_field *f;
	struct name_suggest s;
	char buf[160];
	size_t k;

	if (r->failed)
		return;
	if (i >= r->nseg) {
		perr(r, "path '%s' is incomplete: it names a record, not a number", r->path);
		return;
	}
	f = schema_field_find(rec, r->seg[i]);
	if (!f || f->type == ST_INCLUDE) {
		name_suggest_init(&s, r->seg[i], NULL);
		for (k = 0; k < rec->nfields; k++)
			if (!(rec->fields[k].flags & SF_FIXED))
				name_suggest_add(&s, rec->fields[k].key);
		perr(r, "unknown key '%s' in path '%s'%s", r->seg[i], r->path,
		     hint(buf, sizeof(buf), name_suggest_best(&s)));
		return;
	}
	if (f->flags & SF_FIXED) {
		perr(r, "'%s' is fixed when the plan is read and has no parameter path (path '%s')",
		     f->key, r->path);
		return;
	}
	switch (f->type) {
	case ST_INT:
	case ST_NUMBER:
	case ST_MONEY:
	case ST_SHARE:
	case ST_BOOL:
	case ST_ENUM:
		if (f->set) {
			perr(r, "'%s' has no parameter path (path '%s')", f->key, r->path);
			return;
		}
		leaf(r, f, (unsigned char *)base + f->off, i);
		return;
	case ST_YEARS:
	case ST_SCHEDULE:
		years(r, f, (struct yseries *)((unsigned char *)base + f->off), i + 1);
		return;
	case ST_RECORD:
		walk(r, f->sub, (unsigned char *)base + f->off, i + 1);
		return;
	case ST_RECORDS:
		walk_records(r, f, base, i + 1);
		return;
	case ST_MAP:
		walk_map(r, f, base, i + 1);
		return;
	case ST_STRING:
	case ST_REF:
	case ST_REFLIST:
	case ST_LIST:
	case ST_NUMLIST:
	case ST_INCLUDE:
		break;
	}
	perr(r, "'%s' is not a number (path '%s')", f->key, r->path);
}

/* Resolve into typed slots; r->failed tells the outcome. */
static void presolve_run(struct presolve *r)
{
	char *copy, *s;
	size_t i;

	if (!*r->path) {
		perr(r, "empty parameter path");
		return;
	}
	copy = pc_strdup(r->path);
	r->seg = pc_calloc(strlen(r->path) + 1, sizeof(*r->seg));
	if (!copy || !r->seg) {
		free(copy);
		r->failed = PLAN_ENOMEM;
		return;
	}
	for (s = copy, r->nseg = 0;; r->nseg++) {
		char *dot = strchr(s, '.');

		r->seg[r->nseg] = s;
		if (!dot) {
			r->nseg++;
			break;
		}
		*dot = '\0';
		s = dot + 1;
	}
	for (i = 0; i < r->nseg; i++) {
		if (!*r->seg[i]) {
			perr(r, "path '%s' has an empty part", r->path);
			break;
		}
	}
	if (!r->failed)
		walk(r, &schema_plan, r->p, 0);
	if (!r->failed && r->n == 0)
		perr(r, "path '%s' matches nothing", r->path);
	free(copy);
	free(r->seg);
	r->seg = NULL;
}

/* Closed bounds of a field as finite numbers (exclusive bounds moved one step inwards). */
static void closed_bounds(const struct schema_field *f, double *lo, double *hi)
{
	unsigned fl = f->flags;

	*lo = -DBL_MAX;
	*hi = DBL_MAX;
	if (f->type == ST_SHARE) {
		*lo = 0;
		*hi = 1;
	}
	if (fl & SF_MIN)
		*lo = f->min;
	if (fl & SF_MIN_EXCL)
		*lo = nextafter(f->min, DBL_MAX);
	if (fl & SF_MAX)
		*hi = f->max;
	if (fl & SF_MAX_EXCL)
		*hi = nextafter(f->max, -DBL_MAX);
}

int params_resolve(struct param_slot **out, size_t *n, struct plan *p, const char *path,
		   struct diag_list *dl, const char *file, int line, int col)
{
	struct presolve r;
	struct param_slot *v;
	size_t i;

	*out = NULL;
	*n = 0;
	memset(&r, 0, sizeof(r));
	r.p = p;
	r.path = path;
	r.dl = dl;
	r.file = file;
	r.line = line;
	r.col = col;
	presolve_run(&r);
	for (i = 0; i < r.n && !r.failed; i++)
		if (r.v[i].type != ST_NUMBER)
			perr(&r, "'%s' is %s, not a real number: it cannot be varied (path '%s')",
			     r.v[i].f->key, r.v[i].type == ST_INT ? "a whole number" : "a choice",
			     path);
	if (r.failed) {
		free(r.v);
		return r.failed;
	}
	v = pc_malloc(r.n * sizeof(*v));
	if (!v) {
		free(r.v);
		return PLAN_ENOMEM;
	}
	for (i = 0; i < r.n; i++) {
		v[i].value = r.v[i].ptr;
		closed_bounds(r.v[i].f, &v[i].min, &v[i].max);
		v[i].integer = 0;
	}
	free(r.v);
	*out = v;
	*n = r.n;
	return PLAN_OK;
}

/* ---- plan_set ------------------------------------------------------------------------- */

/* ---- every parameter -------------------------------------------------------------------- */

struct peach {
	const struct plan *p;
	params_fn fn;
	void *ctx;
	char *path;
	size_t len, cap;
	int oom;
};

/* Append ".seg" (or "seg" at the start) to the path; returns the old length to restore. */
static size_t peach_push(struct peach *e, const char *seg)
{
	size_t old = e->len, n = strlen(seg) + (old ? 1 : 0);

	if (e->len + n + 1 > e->cap) {
		size_t nc = (e->len + n + 1) * 2;
		char *np = pc_realloc(e->path, nc);

		if (!np) {
			e->oom = 1;
			return old;
		}
		e->path = np;
		e->cap = nc;
	}
	if (old)
		e->path[e->len++] = '.';
	memcpy(e->path + e->len, seg, strlen(seg) + 1);
	e->len += strlen(seg);
	return old;
}

static void peach_pop(struct peach *e, size_t old)
{
	e->len = old;
	if (e->path)
		e->path[old] = '\0';
}

static void peach_emit(struct peach *e, const char *key, const double *v, size_t n)
{
	size_t old = peach_push(e, key);

	if (!e->oom)
		e->fn(e->ctx, e->path, v, n);
	peach_pop(e, old);
}

static void peach_record(struct peach *e, const struct schema_record *rec, const void *base);

static void peach_field(struct peach *e, const struct schema_field *f, const void *base)
{
	const unsigned char *at = (const unsigned char *)base + f->off;
	const struct plan *p = e->p;
	double v;

	if (e->oom || (f->flags & SF_FIXED))
		return;
	switch (f->type) {
	case ST_INT:
		if (f->set)
			return;
		v = (f->flags & SF_U64) ? (double)*(const unsigned long long *)at
					: (double)*(const int *)at;
		peach_emit(e, f->key, &v, 1);
		return;
	case ST_BOOL:
	case ST_ENUM:
		if (f->set)
			return;
		v = (double)*(const int *)at;
		peach_emit(e, f->key, &v, 1);
		return;
	case ST_NUMBER:
	case ST_MONEY:
	case ST_SHARE:
		if (!f->set)
			peach_emit(e, f->key, (const double *)at, 1);
		return;
	case ST_YEARS:
	case ST_SCHEDULE:
		peach_emit(e, f->key, ((const struct yseries *)at)->v, (size_t)p->nyears);
		return;
	case ST_RECORD: {
		size_t old = peach_push(e, f->key);
		if (!e->oom)
			peach_record(e, f->sub, at);
		peach_pop(e, old);
		return;
	}
	case ST_RECORDS: {
		const unsigned char *arr = *(const unsigned char *const *)at;
		size_t n = *(const size_t *)((const unsigned char *)base + f->count_off);
		size_t old = peach_push(e, f->key);

		for (size_t k = 0; k < n && !e->oom; k++) {
			const unsigned char *r = arr + k * f->sub->size;
			const char *id = *(const char *const *)(r + f->sub->id_off);
			size_t o2;

			if (!id)
				continue;
			o2 = peach_push(e, id);
			if (!e->oom)
				peach_record(e, f->sub, r);
			peach_pop(e, o2);
		}
		peach_pop(e, old);
		return;
	}
	case ST_MAP: {
		const struct schema_entry *en = f->entry;
		const unsigned char *arr = *(const unsigned char *const *)at;
		size_t n = *(const size_t *)((const unsigned char *)base + f->count_off);
		size_t old = peach_push(e, f->key);

		for (size_t k = 0; k < n && !e->oom; k++) {
			const unsigned char *r = arr + k * en->size;
			int idx = *(const int *)(r + en->key_off);
			const char *id = idx >= 0 ? schema_section_id(p, f->target, (size_t)idx) : NULL;

			if (!id)
				continue;
			if (en->vtype == ST_YEARS)
				peach_emit(e, id, ((const struct yseries *)(r + en->value_off))->v,
					   (size_t)p->nyears);
			else
				peach_emit(e, id, (const double *)(r + en->value_off), 1);
		}
		peach_pop(e, old);
		return;
	}
	case ST_STRING:
	case ST_REF:
	case ST_REFLIST:
	case ST_LIST:
	case ST_NUMLIST:
	case ST_INCLUDE:
		return;
	}
}

static void peach_record(struct peach *e, const struct schema_record *rec, const void *base)
{
	for (size_t k = 0; k < rec->nfields && !e->oom; k++)
		peach_field(e, &rec->fields[k], base);
}

int params_each(const struct plan *p, params_fn fn, void *ctx)
{
	struct peach e = {.p = p, .fn = fn, .ctx = ctx};

	peach_record(&e, &schema_plan, p);
	free(e.path);
	return e.oom ? PLAN_ENOMEM : PLAN_OK;
}

/* The old value of a slot, to undo an assignment the plan's checks refuse. */
union pvalue {
	double d;
	int i;
	unsigned long long u;
};

static char *trimmed(const char *s, size_t n)
{
	char *d;

	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	d = pc_malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/* Parse `text` for slot kind of f; 0 and *out, or a diagnostic and -1. */
static int parse_set_value(struct diag_list *dl, const char *path, const struct pslot *s,
			   const char *text, union pvalue *out)
{
	const struct schema_field *f = s->f;
	const char *why;
	char bounds[96];
	double v;
	int rc, i;

	if (s->type == ST_BOOL) {
		if (strcmp(text, "true") == 0 || strcmp(text, "false") == 0) {
			out->i = text[0] == 't';
			return 0;
		}
		diag_add(dl, DIAG_ERROR, SET_FILE, 0, 0, path,
			 "'%s' must be true or false (got '%s')", path, text);
		return -1;
	}
	if (s->type == ST_ENUM) {
		struct name_suggest sug;
		char buf[160];

		name_suggest_init(&sug, text, NULL);
		for (i = 0; f->names[i]; i++) {
			if (strcmp(text, f->names[i]) == 0) {
				out->i = i;
				return 0;
			}
			name_suggest_add(&sug, f->names[i]);
		}
		diag_add(dl, DIAG_ERROR, SET_FILE, 0, 0, path, "unknown value '%s' for '%s'%s",
			 text, path, hint(buf, sizeof(buf), name_suggest_best(&sug)));
		return -1;
	}
	rc = number_parse(&v, text, 1, &why);
	if (rc != NUMBER_OK) {
		diag_add(dl, DIAG_ERROR, SET_FILE, 0, 0, path, "invalid value '%s' for '%s': %s",
			 text, path, why ? why : "not a number or amount (such as 158m or 4.4bn)");
		return -1;
	}
	if (s->type == ST_INT &&
	    (v != floor(v) || fabs(v) > 9007199254740992.0 ||
	     (!(f->flags & SF_U64) && (v < -2147483648.0 || v > 2147483647.0)) ||
	     ((f->flags & SF_U64) && v < 0))) {
		diag_add(dl, DIAG_ERROR, SET_FILE, 0, 0, path,
			 "'%s' must be a whole number in range (got '%s')", path, text);
		return -1;
	}
	if (!schema_in_bounds(f, v)) {
		schema_bounds_text(f, bounds, sizeof(bounds));
		diag_add(dl, DIAG_ERROR, SET_FILE, 0, 0, path, "'%s' must be %s (got %s)", path,
			 bounds, text);
		return -1;
	}
	if (s->type == ST_INT && (f->flags & SF_U64))
		out->u = (unsigned long long)v;
	else if (s->type == ST_INT)
		out->i = (int)v;
	else
		out->d = v;
	return 0;
}

static void store(const struct pslot *s, union pvalue v, union pvalue *old)
{
	if (s->type == ST_NUMBER) {
		old->d = *(double *)s->ptr;
		*(double *)s->ptr = v.d;
	} else if (s->type == ST_INT && (s->f->flags & SF_U64)) {
		old->u = *(unsigned long long *)s->ptr;
		*(unsigned long long *)s->ptr = v.u;
	} else {
		old->i = *(int *)s->ptr;
		*(int *)s->ptr = v.i;
	}
}

/* Checks between numbers that --set can change (each number's own bounds are checked as
 * it is parsed).  Returns the number of errors recorded. */
static size_t check_after_set(const struct plan *p, struct diag_list *dl, const char *path)
{
	size_t i, k, errors = 0;

	for (i = 0; i < p->nsources; i++) {
		const struct funding_source *s = &p->sources[i];
		double sum = 0;

		if (s->kind == SOURCE_LOAN && s->interest_rate > 0 && s->maturity_years == 0) {
			diag_add(dl, DIAG_ERROR, SET_FILE, 0, 0, path,
				 "loan '%s' has an 'interest_rate' but no 'maturity_years'", s->id);
			errors++;
		}
		if (s->maturity_years > 0 && s->grace_years >= s->maturity_years) {
			diag_add(
			    dl, DIAG_ERROR, SET_FILE, 0, 0, path,
			    "'grace_years' (%d) of '%s' must be less than 'maturity_years' (%d)",
			    s->grace_years, s->id, s->maturity_years);
			errors++;
		}
		for (k = 0; k < s->nallocations; k++)
			sum += s->allocations[k].amount;
		if (s->total >= 0 && sum > s->total * (1 + 1e-12)) {
			char a[32], t[32];

			money_format(a, sizeof(a), sum);
			money_format(t, sizeof(t), s->total);
			diag_add(dl, DIAG_WARNING, SET_FILE, 0, 0, path,
				 "allocations of '%s' add up to %s, more than its total of %s",
				 s->id, a, t);
		}
	}
	return errors;
}

int plan_set(struct plan *p, const char *assignment, struct diag_list *dl)
{
	const char *eq = strchr(assignment, '=');
	struct presolve r;
	union pvalue v, *old = NULL;
	char *path = NULL, *text = NULL;
	size_t i;
	int rc = PLAN_EINVALID;

	if (!eq) {
		diag_add(dl, DIAG_ERROR, SET_FILE, 0, 0, NULL,
			 "expected PATH=VALUE, such as funding.safe.total=120bn (got '%s')",
			 assignment);
		return PLAN_EINVALID;
	}
	path = trimmed(assignment, (size_t)(eq - assignment));
	text = trimmed(eq + 1, strlen(eq + 1));
	if (!path || !text) {
		rc = PLAN_ENOMEM;
		goto out;
	}
	if (!*path || !*text) {
		diag_add(dl, DIAG_ERROR, SET_FILE, 0, 0, NULL,
			 "expected PATH=VALUE, such as funding.safe.total=120bn (got '%s')",
			 assignment);
		goto out;
	}
	memset(&r, 0, sizeof(r));
	r.p = p;
	r.path = path;
	r.dl = dl;
	r.file = SET_FILE;
	presolve_run(&r);
	if (r.failed) {
		rc = r.failed;
		goto out_slots;
	}
	/* Every slot of one path comes from the same row, so one parse serves all. */
	if (parse_set_value(dl, path, &r.v[0], text, &v))
		goto out_slots;
	old = pc_malloc(r.n * sizeof(*old));
	if (!old) {
		rc = PLAN_ENOMEM;
		goto out_slots;
	}
	for (i = 0; i < r.n; i++)
		store(&r.v[i], v, &old[i]);
	if (check_after_set(p, dl, path) > 0) {
		for (i = r.n; i-- > 0;)
			store(&r.v[i], old[i], &v);
		goto out_slots;
	}
	plan_update_derived(p);
	rc = PLAN_OK;
out_slots:
	free(old);
	free(r.v);
out:
	free(path);
	free(text);
	return rc;
}
