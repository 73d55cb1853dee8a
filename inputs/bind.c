/* bind.c - reads YAML trees into a plan, key by key, as the schema table says. */
/* Types, bounds, defaults, unknown and missing keys, ids, references, year series. */
#include "alloc.h"
#include "bind.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "names.h"
#include "params.h"

#define BIND_MAX_FRAMES 16
/* Work allowed for "did you mean" searches in one load (distance-table cells). */
#define BIND_SUGGEST_BUDGET ((size_t)50 * 1000 * 1000)
/* Longest scalar quoted back in a message. */
#define BIND_QUOTE_MAX 48

/* Where the reader is: a record with an id, a nested record under a key, or a list entry. */
struct bframe {
	const char *what; /* record name ("item"), or NULL for a nested record */
	const char *id;	  /* id of the record, or NULL */
	const char *key;  /* key of a nested record */
	size_t index;	  /* 1-based index of a list entry, or 0 */
};

/* A reference waiting for every id to be known. */
struct pending {
	enum schema_section sec;
	const struct ynode *node;
	const char *file;
	const char *path;
	int *dest;
};

struct later {
	bind_later_fn fn;
	void *rec;
	const struct ynode *node;
	const char *file;
	const char *path;
};

/* One definition of a top-level key, in one of the files. */
struct occurrence {
	const struct ypair *kv;
	const char *file;
};

struct bind {
	struct plan *p;
	struct plan_arena *arena; /* the plan's */
	struct plan_arena *tmp;	  /* this load's scratch memory */
	struct diag_list *dl;
	size_t nreported, suppressed;
	size_t suppressed_errors; /* of `suppressed`, how many were errors */
	int oom, stop;
	int record_clean; /* for record checks: see bind_record_clean */
	const char *file;
	char *path;
	size_t pathlen, pathcap;
	struct bframe frames[BIND_MAX_FRAMES];
	int nframes;
	struct pending *refs;
	size_t nrefs, arefs;
	struct later *laters;
	size_t nlaters, alaters;
	size_t suggest_budget;
	char where[256];
	char quote[BIND_QUOTE_MAX * 2 + 8];
};

static int bind_field(struct bind *b, const struct schema_field *f, void *base,
		      const struct ynode *map, const struct ypair *kv);
static void bind_record(struct bind *b, const struct schema_record *r, void *base,
			const struct ynode *map, const struct ynode *at);

/* ---- reporting ------------------------------------------------------------------------ */

static void vreport(struct bind *b, enum diag_severity sev, int line, int col, const char *fmt,
		    va_list ap) __attribute__((format(printf, 5, 0)));
static void vreport(struct bind *b, enum diag_severity sev, int line, int col, const char *fmt,
		    va_list ap)
{
	if (b->nreported >= BIND_MAX_ERRORS) {
		b->suppressed++;
		if (sev == DIAG_ERROR)
			b->suppressed_errors++;
		return;
	}
	b->nreported++;
	diag_vadd(b->dl, sev, b->file, line, col, b->pathlen ? b->path : NULL, fmt, ap);
}

void bind_error(struct bind *b, const struct ynode *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(b, DIAG_ERROR, at ? at->line : 0, at ? at->col : 0, fmt, ap);
	va_end(ap);
}

void bind_warning(struct bind *b, const struct ynode *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(b, DIAG_WARNING, at ? at->line : 0, at ? at->col : 0, fmt, ap);
	va_end(ap);
}

void bind_error_loc(struct bind *b, const struct plan_loc *at, const char *fmt, ...)
{
	const char *saved = b->file;
	va_list ap;

	if (at->file)
		b->file = at->file;
	va_start(ap, fmt);
	vreport(b, DIAG_ERROR, at->line, at->col, fmt, ap);
	va_end(ap);
	b->file = saved;
}

struct plan *bind_target(struct bind *b)
{
	return b->p;
}

const char *bind_file(const struct bind *b)
{
	return b->file;
}

int bind_record_clean(const struct bind *b)
{
	return b->record_clean;
}

void bind_oom(struct bind *b)
{
	b->oom = 1;
}

void *bind_alloc(struct bind *b, size_t n, size_t size)
{
	void *v = arena_array(b->arena, n, size);

	if (!v)
		b->oom = 1;
	return v;
}

static char *tmp_strdup(struct bind *b, const char *s)
{
	char *d = arena_strdup(b->tmp, s);

	if (!d)
		b->oom = 1;
	return d;
}

/* The scalar quoted for a message ('text', cut if long), or what the node is. */
static const char *got(struct bind *b, const struct ynode *n)
{
	size_t len, cut;

	if (n->kind != YNODE_SCALAR || n->null)
		return ynode_kind_name(n);
	len = n->len;
	cut = len > BIND_QUOTE_MAX ? BIND_QUOTE_MAX : len;
	while (cut < len && cut > 0 && ((unsigned char)n->text[cut] & 0xc0) == 0x80)
		cut--;
	snprintf(b->quote, sizeof(b->quote), "'%.*s%s'", (int)cut, n->text, cut < len ? "..." : "");
	return b->quote;
}

const char *bind_where(struct bind *b)
{
	const struct bframe *f, *outer = NULL;
	int i;

	int top = b->nframes < BIND_MAX_FRAMES ? b->nframes : BIND_MAX_FRAMES;

	if (top == 0)
		return "at the top level";
	f = &b->frames[top - 1];
	if (f->id) {
		snprintf(b->where, sizeof(b->where), "in %s '%s'", f->what, f->id);
	} else if (f->index) {
		snprintf(b->where, sizeof(b->where), "in %s #%zu", f->what, f->index);
	} else {
		for (i = top - 2; i >= 0 && !outer; i--)
			if (b->frames[i].id || b->frames[i].index)
				outer = &b->frames[i];
		if (outer && outer->id)
			snprintf(b->where, sizeof(b->where), "in '%s' of %s '%s'", f->key,
				 outer->what, outer->id);
		else if (outer)
			snprintf(b->where, sizeof(b->where), "in '%s' of %s #%zu", f->key,
				 outer->what, outer->index);
		else
			snprintf(b->where, sizeof(b->where), "in '%s'", f->key);
	}
	return b->where;
}

const char *bind_suggest(struct bind *b, const char *want, const char *const *cands, size_t n)
{
	struct name_suggest s;
	size_t i;

	name_suggest_init(&s, want, &b->suggest_budget);
	for (i = 0; i < n; i++)
		name_suggest_add(&s, cands[i]);
	return name_suggest_best(&s);
}

/* " (did you mean 'x'?)" or "". */
static const char *did_you_mean(char *buf, size_t n, const char *best)
{
	if (!best)
		return "";
	snprintf(buf, n, " (did you mean '%s'?)", best);
	return buf;
}

/* ---- where we are --------------------------------------------------------------------- */

static size_t path_push(struct bind *b, const char *seg)
{
	size_t old = b->pathlen, n = strlen(seg) + 2;

	if (b->pathlen + n > b->pathcap) {
		size_t cap = (b->pathcap + n) * 2;
		char *np = pc_realloc(b->path, cap);

		if (!np) {
			b->oom = 1;
			return old;
		}
		b->path = np;
		b->pathcap = cap;
	}
	if (b->pathlen)
		b->path[b->pathlen++] = '.';
	memcpy(b->path + b->pathlen, seg, n - 2);
	b->pathlen += n - 2;
	b->path[b->pathlen] = '\0';
	return old;
}

static void path_pop(struct bind *b, size_t old)
{
	b->pathlen = old;
	if (b->path)
		b->path[old] = '\0';
}

static void frame_push(struct bind *b, const char *what, const char *id, const char *key,
		       size_t index)
{
	if (b->nframes < BIND_MAX_FRAMES) {
		struct bframe *f = &b->frames[b->nframes];

		f->what = what;
		f->id = id;
		f->key = key;
		f->index = index;
	}
	b->nframes++;
}

static void frame_pop(struct bind *b)
{
	b->nframes--;
}

void bind_later(struct bind *b, bind_later_fn fn, void *rec, const struct ynode *node)
{
	struct later *l;

	if (b->nlaters == b->alaters) {
		size_t na = b->alaters ? b->alaters * 2 : 32;
		struct later *nl = pc_realloc(b->laters, na * sizeof(*nl));

		if (!nl) {
			b->oom = 1;
			return;
		}
		b->laters = nl;
		b->alaters = na;
	}
	l = &b->laters[b->nlaters++];
	l->fn = fn;
	l->rec = rec;
	l->node = node;
	l->file = b->file;
	l->path = b->pathlen ? tmp_strdup(b, b->path) : NULL;
}

/* ---- scalars -------------------------------------------------------------------------- */

/* A value must be a non-null scalar; reports and returns 0 otherwise. */
static int want_scalar(struct bind *b, const char *name, const struct ynode *n, const char *phrase)
{
	if (n->kind == YNODE_SCALAR && n->null) {
		bind_error(b, n, "'%s' has no value", name);
		return 0;
	}
	if (n->kind != YNODE_SCALAR) {
		bind_error(b, n, "'%s' must be %s (got %s)", name, phrase, ynode_kind_name(n));
		return 0;
	}
	return 1;
}

/* Read a number of type `type` (ST_INT, ST_NUMBER, ST_MONEY or ST_SHARE) within f's bounds.
 * `name` names the value in messages. */
static int read_number(struct bind *b, const struct schema_field *f, enum schema_type type,
		       const char *name, const struct ynode *n, double *out)
{
	struct schema_field as = *f;
	const char *why;
	char bounds[96];
	double v;
	int rc;

	as.type = type;
	if (!want_scalar(b, name, n, schema_type_phrase(&as)))
		return -1;
	if (n->quoted && type != ST_MONEY && !(f->flags & SF_SUFFIX)) {
		bind_error(b, n, "'%s' must be %s, not quoted text (got \"%.*s\")", name,
			   schema_type_phrase(&as), BIND_QUOTE_MAX, n->text);
		return -1;
	}
	rc = number_parse(&v, n->text, type == ST_MONEY || (f->flags & SF_SUFFIX), &why);
	if (rc == NUMBER_INVALID) {
		bind_error(b, n, "invalid number %s for '%s': %s", got(b, n), name, why);
		return -1;
	}
	if (rc != NUMBER_OK) {
		bind_error(b, n, "'%s' must be %s (got %s)%s%s", name, schema_type_phrase(&as),
			   got(b, n), why ? "; " : "", why ? why : "");
		return -1;
	}
	if (type == ST_INT) {
		double lo = (f->flags & SF_U64) ? 0 : INT_MIN,
		       hi = (f->flags & SF_U64) ? 1e19 : INT_MAX;

		if (v != floor(v)) {
			bind_error(b, n, "'%s' must be a whole number (got %s)", name, got(b, n));
			return -1;
		}
		if (v < lo || v > hi) {
			bind_error(b, n, "'%s' is out of range (got %s)", name, got(b, n));
			return -1;
		}
	}
	if (!schema_in_bounds(&as, v)) {
		schema_bounds_text(&as, bounds, sizeof(bounds));
		bind_error(b, n, "'%s' must be %s (got %s)", name, bounds, n->text);
		return -1;
	}
	*out = v;
	return 0;
}

/* The first character of a text value that a terminal or a report would act on rather than
 * show, or -1: controls other than tab and line feed (escapes such as "\e[2J" make them),
 * bidirectional overrides, line separators, zero-width no-break space.  Names and
 * descriptions are printed by `check` and copied into every report. */
static int hidden_char(const struct ynode *n)
{
	const unsigned char *s = (const unsigned char *)n->text;
	size_t i = 0, j, k;

	while (i < n->len) {
		unsigned cp;

		k = diag_utf8_len(s + i, n->len - i);
		if (k == 0)
			return s[i]; /* not reachable: the reader refuses bad UTF-8 */
		cp = s[i] & (k == 1 ? 0x7f : k == 2 ? 0x1f : k == 3 ? 0x0f : 0x07);
		for (j = 1; j < k; j++)
			cp = cp << 6 | (s[i + j] & 0x3f);
		if ((cp < 0x20 && cp != '\t' && cp != '\n') || (cp >= 0x7f && cp <= 0x9f) ||
		    cp == 0x61c || cp == 0x200e || cp == 0x200f || (cp >= 0x2028 && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff)
			return (int)cp;
		i += k;
	}
	return -1;
}

static int read_bool(struct bind *b, const struct schema_field *f, const struct ynode *n, int *out)
{
	static const char *const yes[] = {"true", "True", "TRUE"};
	static const char *const no[] = {"false", "False", "FALSE"};
	size_t i;

	if (!want_scalar(b, f->key, n, "true or false"))
		return -1;
	for (i = 0; i < 3 && !n->quoted; i++) {
		if (strcmp(n->text, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcmp(n->text, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	bind_error(b, n, "'%s' must be true or false (got %s)", f->key, got(b, n));
	return -1;
}

static int read_enum(struct bind *b, const struct schema_field *f, const struct ynode *n, int *out)
{
	char hint[160], list[160];
	size_t i, k = 0, count = 0;
	const char *best;

	if (!want_scalar(b, f->key, n, "a name"))
		return -1;
	for (i = 0; f->names[i]; i++) {
		if (strcmp(n->text, f->names[i]) == 0) {
			*out = (int)i;
			return 0;
		}
		count++;
	}
	best = bind_suggest(b, n->text, f->names, count);
	if (best) {
		bind_error(b, n, "unknown value %s for '%s'%s", got(b, n), f->key,
			   did_you_mean(hint, sizeof(hint), best));
		return -1;
	}
	list[0] = '\0';
	for (i = 0; f->names[i] && k < sizeof(list); i++)
		k += (size_t)snprintf(list + k, sizeof(list) - k, "%s%s",
				      i == 0		? ""
				      : f->names[i + 1] ? ", "
							: " or ",
				      f->names[i]);
	bind_error(b, n, "unknown value %s for '%s' (expected %s)", got(b, n), f->key, list);
	return -1;
}

static void add_ref(struct bind *b, enum schema_section sec, const struct ynode *n, int *dest)
{
	struct pending *r;

	*dest = -1;
	if (b->nrefs == b->arefs) {
		size_t na = b->arefs ? b->arefs * 2 : 64;
		struct pending *nr = pc_realloc(b->refs, na * sizeof(*nr));

		if (!nr) {
			b->oom = 1;
			return;
		}
		b->refs = nr;
		b->arefs = na;
	}
	r = &b->refs[b->nrefs++];
	r->sec = sec;
	r->node = n;
	r->file = b->file;
	r->path = b->pathlen ? tmp_strdup(b, b->path) : NULL;
	r->dest = dest;
}

static int cmp_scalar_nodes(const void *pa, const void *pb)
{
	const struct ynode *a = *(const struct ynode *const *)pa;
	const struct ynode *b = *(const struct ynode *const *)pb;
	int c = strcmp(a->text, b->text);

	if (c)
		return c;
	return a->line != b->line ? (a->line < b->line ? -1 : 1)
				  : (a->col < b->col ? -1 : a->col > b->col);
}

static int read_reflist(struct bind *b, const struct schema_field *f, void *base,
			const struct ynode *n)
{
	const struct schema_record *target = schema_section_record(f->target);
	const struct ynode **sorted;
	int *v;
	size_t i, k = 0;

	if (f->keyword && n->kind == YNODE_SCALAR && !n->quoted && !n->null &&
	    strcmp(n->text, f->keyword) == 0)
		return 0; /* the record's check gives the word its meaning */
	if (n->kind != YNODE_SEQ) {
		if (n->kind == YNODE_SCALAR && n->null)
			bind_error(b, n, "'%s' has no value", f->key);
		else if (f->keyword)
			bind_error(b, n, "'%s' must be a list of %s ids or '%s' (got %s)", f->key,
				   target->name, f->keyword, got(b, n));
		else
			bind_error(b, n, "'%s' must be a list of %s ids (got %s)", f->key,
				   target->name, got(b, n));
		return -1;
	}
	if (n->len == 0) {
		bind_error(b, n, "'%s' is empty (leave it out instead)", f->key);
		return -1;
	}
	v = bind_alloc(b, n->len, sizeof(*v));
	sorted = pc_malloc(n->len * sizeof(*sorted));
	if (!v || !sorted) {
		free(sorted);
		b->oom = 1;
		return -1;
	}
	for (i = 0; i < n->len; i++) {
		const struct ynode *e = n->items[i];

		v[i] = -1;
		if (want_scalar(b, f->key, e, "an id")) {
			add_ref(b, f->target, e, &v[i]);
			sorted[k++] = e;
		}
	}
	/* an id listed twice, reported where it is repeated */
	qsort(sorted, k, sizeof(*sorted), cmp_scalar_nodes);
	for (i = 1; i < k; i++)
		if (strcmp(sorted[i]->text, sorted[i - 1]->text) == 0)
			bind_error(b, sorted[i], "'%s' is listed twice in '%s'", sorted[i]->text,
				   f->key);
	free(sorted);
	*(int **)((unsigned char *)base + f->off) = v;
	*(size_t *)((unsigned char *)base + f->count_off) = n->len;
	return 0;
}

/* ---- year series ---------------------------------------------------------------------- */

/* A year key: plain digits. */
static int year_of(const struct ynode *k, int *year)
{
	long y = 0;
	size_t i;

	if (k->kind != YNODE_SCALAR || k->len == 0 || k->len > 4)
		return -1;
	for (i = 0; i < k->len; i++) {
		if (k->text[i] < '0' || k->text[i] > '9')
			return -1;
		y = y * 10 + (k->text[i] - '0');
	}
	*year = (int)y;
	return 0;
}

static int read_series(struct bind *b, const struct schema_field *f, const char *name, int schedule,
		       const struct ynode *n, struct yseries *ys)
{
	enum schema_type vt = schedule ? ST_MONEY : ST_NUMBER;
	const struct plan *p = b->p;
	unsigned char given[PLAN_MAX_YEARS] = {0};
	double v, vals[PLAN_MAX_YEARS] = {0};
	int t, first = -1, bad = 0;
	size_t i;

	if (n->kind == YNODE_SCALAR) {
		if (read_number(b, f, vt, name, n, &v))
			return -1;
		for (t = 0; t < PLAN_MAX_YEARS; t++)
			ys->v[t] = t < p->nyears ? v : 0;
		return 0;
	}
	if (n->kind != YNODE_MAP) {
		struct schema_field as = *f;

		as.type = schedule ? ST_SCHEDULE : ST_YEARS;
		bind_error(b, n, "'%s' must be %s (got %s)", name, schema_type_phrase(&as),
			   ynode_kind_name(n));
		return -1;
	}
	if (n->len == 0) {
		bind_error(b, n, "'%s' has no years", name);
		return -1;
	}
	for (i = 0; i < n->len; i++) {
		const struct ynode *k = n->pairs[i].key;
		int year, ti;

		if (year_of(k, &year)) {
			bind_error(b, k, "'%s' is not a year (in '%s')", k->text, name);
			bad = 1;
			continue;
		}
		if (read_number(b, f, vt, name, n->pairs[i].value, &v)) {
			bad = 1;
			continue;
		}
		if (p->nyears == 0)
			continue; /* the horizon is wrong: reported there */
		ti = plan_year_index(p, year);
		if (ti < 0) {
			bind_error(b, k, "year %d is outside the horizon %d-%d", year,
				   p->start_year, p->end_year);
			bad = 1;
			continue;
		}
		given[ti] = 1;
		vals[ti] = v;
	}
	if (bad)
		return -1;
	for (t = 0; t < p->nyears && first < 0; t++)
		if (given[t])
			first = t;
	for (t = 0; t < PLAN_MAX_YEARS; t++) {
		if (t >= p->nyears || first < 0)
			ys->v[t] = 0;
		else if (given[t])
			ys->v[t] = vals[t];
		else if (schedule)
			ys->v[t] = 0;
		else
			ys->v[t] = t < first ? vals[first] : ys->v[t - 1];
	}
	return 0;
}

/* ---- compound values ------------------------------------------------------------------ */

static int read_map(struct bind *b, const struct schema_field *f, void *base, const struct ynode *n)
{
	const struct schema_entry *e = f->entry;
	unsigned char *arr;
	size_t i;
	char name[NAME_ID_MAX + 64];
	int bad = 0;

	if (n->kind != YNODE_MAP) {
		if (n->kind == YNODE_SCALAR && n->null)
			bind_error(b, n, "'%s' has no value", f->key);
		else
			bind_error(b, n, "'%s' must be %s (got %s)", f->key, schema_type_phrase(f),
				   got(b, n));
		return -1;
	}
	if (n->len == 0 && (f->flags & SF_REQUIRED)) {
		bind_error(b, n, "'%s' is empty", f->key);
		return -1;
	}
	arr = bind_alloc(b, n->len, e->size);
	if (!arr)
		return -1;
	for (i = 0; i < n->len; i++) {
		const struct ynode *k = n->pairs[i].key, *v = n->pairs[i].value;
		unsigned char *entry = arr + i * e->size;
		size_t old = path_push(b, k->text);

		snprintf(name, sizeof(name), "%s.%.*s", f->key, NAME_ID_MAX, k->text);
		add_ref(b, f->target, k, (int *)(entry + e->key_off));
		if (e->loc_off >= 0) {
			struct plan_loc *loc = (struct plan_loc *)(entry + e->loc_off);

			loc->file = b->file;
			loc->line = k->line;
			loc->col = k->col;
		}
		if (e->vtype == ST_YEARS)
			bad |= read_series(b, f, name, 0, v,
					   (struct yseries *)(entry + e->value_off)) != 0;
		else
			bad |= read_number(b, f, e->vtype, name, v,
					   (double *)(entry + e->value_off)) != 0;
		path_pop(b, old);
	}
	*(void **)((unsigned char *)base + f->off) = arr;
	*(size_t *)((unsigned char *)base + f->count_off) = n->len;
	return bad ? -1 : 0;
}

static int read_numlist(struct bind *b, const struct schema_field *f, void *base,
			const struct ynode *n)
{
	size_t *count = (size_t *)((unsigned char *)base + f->count_off);
	double *v;
	size_t i;
	int bad = 0;

	if (n->kind != YNODE_SEQ) {
		if (n->kind == YNODE_SCALAR && n->null)
			bind_error(b, n, "'%s' has no value", f->key);
		else
			bind_error(b, n, "'%s' must be a list of numbers (got %s)", f->key,
				   got(b, n));
		return -1;
	}
	if ((f->flags & SF_PAIRED) && n->len != *count) {
		const struct schema_field *prev = f - 1;

		bind_error(b, n, "'%s' has %zu entries but '%s' has %zu", f->key, (size_t)n->len,
			   prev->key, *count);
		return -1;
	}
	v = bind_alloc(b, n->len, sizeof(*v));
	if (!v)
		return -1;
	for (i = 0; i < n->len; i++)
		bad |= read_number(b, f, ST_NUMBER, f->key, n->items[i], &v[i]) != 0;
	if (bad)
		return -1;
	*(double **)((unsigned char *)base + f->off) = v;
	*count = n->len;
	return 0;
}

struct id_index {
	const char *id;
	size_t i;
};

static int cmp_id_index(const void *pa, const void *pb)
{
	const struct id_index *a = pa, *b = pb;
	int c = strcmp(a->id, b->id);

	return c ? c : (a->i < b->i ? -1 : a->i > b->i);
}

/* The same id defined in two files (duplicates within one file were dropped by the
 * reader): reported at the later definition. */
static void check_duplicate_ids(struct bind *b, const struct schema_record *r,
				const unsigned char *arr, size_t n)
{
	struct id_index *ix;
	size_t i, first = 0;

	if (n < 2)
		return;
	ix = pc_malloc(n * sizeof(*ix));
	if (!ix) {
		b->oom = 1;
		return;
	}
	for (i = 0; i < n; i++) {
		ix[i].id = *(const char *const *)(arr + i * r->size + r->id_off);
		ix[i].i = i;
		if (!ix[i].id)
			ix[i].id = "";
	}
	qsort(ix, n, sizeof(*ix), cmp_id_index);
	for (i = 1; i < n; i++) {
		const struct plan_loc *a, *d;

		if (strcmp(ix[i].id, ix[first].id) != 0 || !*ix[i].id) {
			first = i;
			continue;
		}
		a = (const struct plan_loc *)(arr + ix[first].i * r->size + r->loc_off);
		d = (const struct plan_loc *)(arr + ix[i].i * r->size + r->loc_off);
		bind_error_loc(b, d, "duplicate %s '%s' (first defined at %s:%d)", r->name,
			       ix[i].id, a->file, a->line);
	}
	free(ix);
}

/* Bind the records of an id -> record mapping given in one or more files. */
static void bind_records(struct bind *b, const struct schema_field *f, void *base,
			 const struct occurrence *occ, size_t nocc)
{
	const struct schema_record *r = f->sub;
	const char *saved = b->file;
	size_t total = 0, i, j, k = 0;
	unsigned char *arr;

	for (i = 0; i < nocc; i++) {
		const struct ynode *v = occ[i].kv->value;

		b->file = occ[i].file;
		if (v->kind == YNODE_MAP)
			total += v->len;
		else if (v->kind == YNODE_SCALAR && v->null)
			bind_error(b, v, "'%s' has no value", f->key);
		else
			bind_error(b, v, "'%s' must be a mapping of ids to %s records (got %s)",
				   f->key, r->name, got(b, v));
	}
	b->file = saved;
	arr = bind_alloc(b, total, r->size);
	if (!arr)
		return;
	*(void **)((unsigned char *)base + f->off) = arr;
	*(size_t *)((unsigned char *)base + f->count_off) = total;
	for (i = 0; i < nocc; i++) {
		const struct ynode *v = occ[i].kv->value;
		size_t oldf = path_push(b, f->key);

		b->file = occ[i].file;
		for (j = 0; v->kind == YNODE_MAP && j < v->len; j++) {
			const struct ynode *key = v->pairs[j].key, *rec = v->pairs[j].value;
			unsigned char *e = arr + k++ * r->size;
			const char *id = arena_strdup(b->arena, key->text);
			struct plan_loc *loc = (struct plan_loc *)(e + r->loc_off);
			size_t old = path_push(b, key->text), fi;

			if (!id) {
				b->oom = 1;
				path_pop(b, old);
				continue;
			}
			schema_defaults(r, e);
			*(const char **)(e + r->id_off) = id;
			loc->file = b->file;
			loc->line = key->line;
			loc->col = key->col;
			if (!name_is_id(id))
				bind_error(
				    b, key,
				    "invalid id %s: ids are lower-case letters, digits and "
				    "'_', start with a letter and have at most %d characters",
				    got(b, key), NAME_ID_MAX);
			frame_push(b, r->name, id, NULL, 0);
			if (rec->kind == YNODE_MAP)
				bind_record(b, r, e, rec, key);
			else if (rec->kind == YNODE_SCALAR && rec->null)
				bind_error(b, rec, "%s '%s' has no keys", r->name, id);
			else
				bind_error(b, rec, "%s '%s' must be a mapping of keys (got %s)",
					   r->name, id, got(b, rec));
			frame_pop(b);
			for (fi = 0; fi < r->nfields; fi++)
				if ((r->fields[fi].flags & SF_NAME) &&
				    !*(const char **)(e + r->fields[fi].off))
					*(const char **)(e + r->fields[fi].off) = id;
			path_pop(b, old);
		}
		path_pop(b, oldf);
	}
	b->file = saved;
	if (nocc > 1)
		check_duplicate_ids(b, r, arr, total);
}

static int read_list(struct bind *b, const struct schema_field *f, void *base,
		     const struct ynode *n)
{
	const struct schema_record *r = f->sub;
	unsigned char *arr;
	size_t i;

	if (n->kind != YNODE_SEQ) {
		if (n->kind == YNODE_SCALAR && n->null)
			bind_error(b, n, "'%s' has no value", f->key);
		else
			bind_error(b, n, "'%s' must be a list of %s records (got %s)", f->key,
				   r->name, got(b, n));
		return -1;
	}
	arr = bind_alloc(b, n->len, r->size);
	if (!arr)
		return -1;
	for (i = 0; i < n->len; i++) {
		const struct ynode *e = n->items[i];
		unsigned char *rec = arr + i * r->size;
		char seg[32];
		size_t old;

		snprintf(seg, sizeof(seg), "%zu", i + 1);
		old = path_push(b, seg);
		schema_defaults(r, rec);
		if (r->loc_off >= 0) {
			struct plan_loc *loc = (struct plan_loc *)(rec + r->loc_off);

			loc->file = b->file;
			loc->line = e->line;
			loc->col = e->col;
		}
		frame_push(b, r->name, NULL, NULL, i + 1);
		if (e->kind == YNODE_MAP)
			bind_record(b, r, rec, e, e);
		else
			bind_error(b, e, "%s must be a mapping of keys (got %s)", bind_where(b),
				   got(b, e));
		frame_pop(b);
		path_pop(b, old);
	}
	*(void **)((unsigned char *)base + f->off) = arr;
	*(size_t *)((unsigned char *)base + f->count_off) = n->len;
	return 0;
}

/* Read the value of one key into the record at base.  Returns 0 when it was stored. */
static int bind_field(struct bind *b, const struct schema_field *f, void *base,
		      const struct ynode *map, const struct ypair *kv)
{
	unsigned char *at = (unsigned char *)base + f->off;
	const struct ynode *n = kv->value;
	double v;
	int iv;

	switch (f->type) {
	case ST_INT:
		if (read_number(b, f, ST_INT, f->key, n, &v))
			return -1;
		if (f->flags & SF_U64)
			*(unsigned long long *)at = (unsigned long long)v;
		else
			*(int *)at = (int)v;
		return 0;
	case ST_NUMBER:
	case ST_MONEY:
	case ST_SHARE:
		if (read_number(b, f, f->type, f->key, n, &v))
			return -1;
		if (f->set)
			f->set(b, base, f, v, map, kv->key);
		else
			*(double *)at = v;
		return 0;
	case ST_BOOL:
		if (read_bool(b, f, n, &iv))
			return -1;
		*(int *)at = iv;
		return 0;
	case ST_ENUM:
		if (read_enum(b, f, n, &iv))
			return -1;
		*(int *)at = iv;
		return 0;
	case ST_STRING:
		if (!want_scalar(b, f->key, n, "text"))
			return -1;
		if ((iv = hidden_char(n)) >= 0) {
			bind_error(b, n, "'%s' holds a control or invisible character (U+%04X)",
				   f->key, (unsigned)iv);
			return -1;
		}
		*(const char **)at = arena_strdup(b->arena, n->text);
		if (!*(const char **)at)
			b->oom = 1;
		return 0;
	case ST_REF:
		if (!want_scalar(b, f->key, n, "an id"))
			return -1;
		add_ref(b, f->target, n, (int *)at);
		return 0;
	case ST_REFLIST:
		return read_reflist(b, f, base, n);
	case ST_YEARS:
	case ST_SCHEDULE:
		return read_series(b, f, f->key, f->type == ST_SCHEDULE, n, (struct yseries *)at);
	case ST_RECORD:
		if (n->kind != YNODE_MAP) {
			if (n->kind == YNODE_SCALAR && n->null)
				bind_error(b, n, "'%s' has no value", f->key);
			else
				bind_error(b, n, "'%s' must be a mapping of keys (got %s)", f->key,
					   got(b, n));
			return -1;
		}
		if (f->sub->present_off >= 0)
			*(int *)(at + f->sub->present_off) = 1;
		if (f->sub->loc_off >= 0) {
			struct plan_loc *loc = (struct plan_loc *)(at + f->sub->loc_off);

			loc->file = b->file;
			loc->line = kv->key->line;
			loc->col = kv->key->col;
		}
		frame_push(b, NULL, NULL, f->key, 0);
		bind_record(b, f->sub, at, n, kv->key);
		frame_pop(b);
		return 0;
	case ST_RECORDS: {
		struct occurrence one = {kv, b->file};

		bind_records(b, f, base, &one, 1);
		return 0;
	}
	case ST_LIST:
		return read_list(b, f, base, n);
	case ST_MAP:
		return read_map(b, f, base, n);
	case ST_NUMLIST:
		return read_numlist(b, f, base, n);
	case ST_INCLUDE:
		return 0;
	}
	return -1;
}

static void unknown_key(struct bind *b, const struct schema_record *r, const struct ynode *key)
{
	const char *cands[64];
	char hint[160];
	size_t i, n = 0;

	for (i = 0; i < r->nfields && n < 64; i++)
		cands[n++] = r->fields[i].key;
	bind_error(b, key, "unknown key %s %s%s", got(b, key), bind_where(b),
		   did_you_mean(hint, sizeof(hint), bind_suggest(b, key->text, cands, n)));
}

/* Read a mapping into the record at base.  `at` names the record (its id or key), where a
 * missing key is reported. */
static void bind_record(struct bind *b, const struct schema_record *r, void *base,
			const struct ynode *map, const struct ynode *at)
{
	size_t i, before = b->nreported + b->suppressed;

	for (i = 0; i < map->len; i++)
		if (!schema_field_find(r, map->pairs[i].key->text))
			unknown_key(b, r, map->pairs[i].key);
	for (i = 0; i < r->nfields; i++) {
		const struct schema_field *f = &r->fields[i];
		const struct ypair *kv;
		size_t old;

		if (f->type == ST_INCLUDE)
			continue;
		kv = ynode_find(map, f->key);
		if (!kv) {
			if (f->flags & SF_REQUIRED)
				bind_error(b, at, "missing required key '%s' %s", f->key,
					   bind_where(b));
			continue;
		}
		old = path_push(b, f->key);
		bind_field(b, f, base, map, kv);
		path_pop(b, old);
	}
	if (r->check) {
		b->record_clean = b->nreported + b->suppressed == before;
		r->check(b, base, map);
	}
}

/* The top level: each key is read from whichever file defines it; id -> record sections
 * are merged over all files; anything else may be defined in one file only. */
static void bind_top(struct bind *b, struct ydoc *const *docs, const char *const *files,
		     size_t ndocs)
{
	const struct schema_record *r = &schema_plan;
	struct occurrence *occ;
	size_t i, d, nocc;

	occ = pc_malloc(ndocs * sizeof(*occ));
	if (!occ) {
		b->oom = 1;
		return;
	}
	for (d = 0; d < ndocs; d++) {
		const struct ynode *root = docs[d]->root;

		b->file = files[d];
		for (i = 0; i < root->len; i++)
			if (!schema_field_find(r, root->pairs[i].key->text))
				unknown_key(b, r, root->pairs[i].key);
	}
	for (i = 0; i < r->nfields && !b->stop; i++) {
		const struct schema_field *f = &r->fields[i];
		size_t old, k;
		int rc;

		if (f->type == ST_INCLUDE)
			continue;
		for (d = 0, nocc = 0; d < ndocs; d++) {
			const struct ypair *kv = ynode_find(docs[d]->root, f->key);

			if (kv) {
				occ[nocc].kv = kv;
				occ[nocc].file = files[d];
				nocc++;
			}
		}
		b->file = files[0];
		if (nocc == 0) {
			if (f->flags & SF_REQUIRED)
				bind_error(b, docs[0]->root, "missing required key '%s' %s", f->key,
					   bind_where(b));
			continue;
		}
		if (f->type == ST_RECORDS) {
			bind_records(b, f, b->p, occ, nocc);
			continue;
		}
		for (k = 1; k < nocc; k++) {
			b->file = occ[k].file;
			bind_error(b, occ[k].kv->key, "'%s' is already defined in %s:%d", f->key,
				   occ[0].file, occ[0].kv->key->line);
		}
		b->file = occ[0].file;
		old = path_push(b, f->key);
		rc = bind_field(b, f, b->p, docs[0]->root, occ[0].kv);
		path_pop(b, old);
		if ((f->flags & SF_VERSION) && rc == 0 && b->p->schema != PLAN_SCHEMA_VERSION) {
			bind_error(b, occ[0].kv->value,
				   "unsupported schema version %d (this build reads version %d)",
				   b->p->schema, PLAN_SCHEMA_VERSION);
			b->stop = 1;
		}
	}
	free(occ);
	b->file = files[0];
	if (!b->stop && r->check)
		r->check(b, b->p, docs[0]->root);
}

/* ---- references ----------------------------------------------------------------------- */

/* An id and its index in the plan, sorted to resolve references by binary search. */
struct id_pos {
	const char *id;
	size_t pos;
};

static int cmp_id_pos_pairs(const void *pa, const void *pb)
{
	const struct id_pos *a = pa, *b = pb;
	int c = strcmp(a->id, b->id);

	return c ? c : (a->pos < b->pos ? -1 : a->pos > b->pos);
}

static void resolve_refs(struct bind *b)
{
	struct id_pos *sorted[SEC__COUNT] = {0};
	size_t count[SEC__COUNT] = {0};
	size_t s, i;

	for (s = 1; s < SEC__COUNT; s++) {
		count[s] = schema_section_count(b->p, (enum schema_section)s);
		sorted[s] = pc_malloc((count[s] ? count[s] : 1) * sizeof(**sorted));
		if (!sorted[s]) {
			b->oom = 1;
			goto out;
		}
		for (i = 0; i < count[s]; i++) {
			const char *id = schema_section_id(b->p, (enum schema_section)s, i);

			sorted[s][i].id = id ? id : "";
			sorted[s][i].pos = i;
		}
		qsort(sorted[s], count[s], sizeof(**sorted), cmp_id_pos_pairs);
	}
	for (i = 0; i < b->nrefs; i++) {
		const struct pending *r = &b->refs[i];
		struct id_pos key = {r->node->text, 0}, *hit;
		const char **list;
		char hint[160];
		size_t lo = 0, hi = count[r->sec], k;

		/* lower bound of the id: the first definition wins */
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (strcmp(sorted[r->sec][mid].id, key.id) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		hit = lo < count[r->sec] && strcmp(sorted[r->sec][lo].id, key.id) == 0
			  ? &sorted[r->sec][lo]
			  : NULL;
		if (hit) {
			*r->dest = (int)hit->pos;
			continue;
		}
		if (b->nreported >= BIND_MAX_ERRORS) {
			b->suppressed++;
			b->suppressed_errors++;
			continue;
		}
		list = pc_malloc((count[r->sec] ? count[r->sec] : 1) * sizeof(*list));
		if (!list) {
			b->oom = 1;
			break;
		}
		for (k = 0; k < count[r->sec]; k++)
			list[k] = schema_section_id(b->p, r->sec, k);
		b->file = r->file;
		path_pop(b, 0);
		if (r->path)
			path_push(b, r->path);
		bind_error(b, r->node, "unknown %s %s%s", schema_section_record(r->sec)->name,
			   got(b, r->node),
			   did_you_mean(hint, sizeof(hint),
					bind_suggest(b, r->node->text, list, count[r->sec])));
		path_pop(b, 0);
		free(list);
	}
out:
	for (s = 0; s < SEC__COUNT; s++)
		free(sorted[s]);
}

int bind_plan(struct plan *p, struct ydoc *const *docs, size_t ndocs, struct diag_list *dl)
{
	struct bind b;
	const char **files;
	size_t i;

	memset(&b, 0, sizeof(b));
	b.p = p;
	b.arena = p->arena;
	b.dl = dl;
	b.suggest_budget = BIND_SUGGEST_BUDGET;
	b.tmp = arena_new();
	files = arena_array(p->arena, ndocs, sizeof(*files));
	if (!b.tmp || !files) {
		arena_free(b.tmp);
		return PLAN_ENOMEM;
	}
	for (i = 0; i < ndocs; i++) {
		files[i] = arena_strdup(p->arena, docs[i]->file);
		if (!files[i]) {
			arena_free(b.tmp);
			return PLAN_ENOMEM;
		}
	}
	schema_defaults(&schema_plan, p);
	bind_top(&b, docs, files, ndocs);
	if (!b.stop && !b.oom) {
		resolve_refs(&b);
		for (i = 0; i < b.nlaters && !b.oom; i++) {
			const struct later *l = &b.laters[i];

			b.file = l->file;
			path_pop(&b, 0);
			if (l->path)
				path_push(&b, l->path);
			l->fn(&b, l->rec, l->node);
		}
	}
	if (b.suppressed)
		diag_add(dl, b.suppressed_errors ? DIAG_ERROR : DIAG_WARNING, files[0], 0, 0, NULL,
			 "%zu more problems not shown (stopped after %d)", b.suppressed,
			 BIND_MAX_ERRORS);
	free(b.path);
	free(b.refs);
	free(b.laters);
	arena_free(b.tmp);
	return b.oom ? PLAN_ENOMEM : PLAN_OK;
}
