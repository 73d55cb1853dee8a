/* plan.c - loading a plan (files, includes, binding, checks) and its lifecycle. */
/* realpath() is an X/Open function. */
#define _XOPEN_SOURCE 700

#include "alloc.h"
#include "plan.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "bind.h"
#include "schema.h"
#include "sha256.h"
#include "yaml_doc.h"

#define DEFAULT_PLAN_NAME "<default plan>"

const char *plan_strerror(int err)
{
	switch (err) {
	case PLAN_OK:
		return "success";
	case PLAN_EINVALID:
		return "invalid plan";
	case PLAN_ENOMEM:
		return "out of memory";
	case PLAN_EIO:
		return "cannot read the plan";
	}
	return "unknown error";
}

/* ---- files ---------------------------------------------------------------------------- */

/* strerror in the house style (lower case), thread-safe. */
static void errno_text(int err, char *buf, size_t n)
{
	if (strerror_r(err, buf, n) != 0)
		snprintf(buf, n, "error %d", err);
	buf[0] = (char)tolower((unsigned char)buf[0]);
}

/* Read a whole file of at most `cap` bytes.  0: *text (malloc'ed, NUL-terminated) and *len;
 * 1: the file is larger than cap (*len is at least cap + 1); 2: not a regular file, and
 * `regular_only` was set; -1: errno in *err.
 * Opening never waits: a FIFO without a writer would block open() for ever.  Only a plan
 * named by the user may be a pipe or a device (`check <(gen)`, /dev/stdin); includes,
 * named by the plan, must be regular files. */
static int read_file(const char *path, size_t cap, int regular_only, char **text, size_t *len,
		     int *err)
{
	struct stat st;
	size_t n = 0, alloc;
	char *buf;
	int fd, fl;

	*text = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		*err = errno;
		return -1;
	}
	if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
		*err = S_ISDIR(st.st_mode) ? EISDIR : errno;
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode) && regular_only) {
		close(fd);
		return 2;
	}
	/* reads of a pipe or terminal wait for their writer, as the user asked */
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
		*err = errno;
		close(fd);
		return -1;
	}
	if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > cap) {
		*len = (size_t)st.st_size;
		close(fd);
		return 1;
	}
	alloc = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 65536;
	buf = pc_malloc(alloc);
	if (!buf) {
		*err = ENOMEM;
		close(fd);
		return -1;
	}
	for (;;) {
		ssize_t got;

		if (n + 1 >= alloc) {
			size_t na = alloc * 2 > cap + 2 ? cap + 2 : alloc * 2;
			char *nb;

			if (na <= alloc) {
				free(buf);
				close(fd);
				*len = n;
				return 1;
			}
			nb = pc_realloc(buf, na);
			if (!nb) {
				free(buf);
				close(fd);
				*err = ENOMEM;
				return -1;
			}
			buf = nb;
			alloc = na;
		}
		got = read(fd, buf + n, alloc - 1 - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			*err = errno;
			free(buf);
			close(fd);
			return -1;
		}
		if (got == 0)
			break;
		n += (size_t)got;
		if (n > cap) {
			free(buf);
			close(fd);
			*len = n;
			return 1;
		}
	}
	close(fd);
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
}

/* The folder part of a path as given ("" for the current folder). */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return pc_strdup("");
	if (slash == path)
		return pc_strdup("/");
	return pc_strndup(path, (size_t)(slash - path));
}

static char *join_path(const char *dir, const char *name)
{
	size_t nd = strlen(dir), nn = strlen(name);
	int slash = nd > 0 && dir[nd - 1] != '/';
	char *s = pc_malloc(nd + slash + nn + 1);

	if (s) {
		memcpy(s, dir, nd);
		if (slash)
			s[nd] = '/';
		memcpy(s + nd + slash, name, nn + 1);
	}
	return s;
}

/* 1 when a relative path, read component by component, never climbs above its start. */
static int stays_inside(const char *path)
{
	const char *s = path;
	long depth = 0;

	while (*s) {
		size_t n = strcspn(s, "/");

		if (n == 2 && s[0] == '.' && s[1] == '.') {
			if (--depth < 0)
				return 0;
		} else if (n > 0 && !(n == 1 && s[0] == '.')) {
			depth++;
		}
		s += n;
		while (*s == '/')
			s++;
	}
	return 1;
}

/* ---- loading -------------------------------------------------------------------------- */

struct loaded {
	struct ydoc *doc;
	char *dir;  /* where its includes are resolved; NULL: includes refused */
	char *real; /* canonical path, or NULL for text from memory */
};

struct loader {
	struct diag_list *dl;
	struct loaded *v;
	size_t n, alloc;
	struct sha256 sha;
	size_t bytes, nodes_left;
	const char *chain[PLAN_MAX_INCLUDE_DEPTH + 2]; /* canonical paths root .. current */
	int depth;
	int rc; /* first failure: PLAN_EINVALID or PLAN_ENOMEM */
};

static void loader_fail(struct loader *L, int rc)
{
	if (!L->rc || rc == PLAN_ENOMEM)
		L->rc = rc;
}

static void include_entry(struct loader *L, size_t parent, const struct ynode *n);

/* Read one file's text into the loader, then its includes.  Takes `dir` and `real`; takes
 * `owned` (the text itself, malloc'ed) when not NULL, else copies `text` where needed. */
static void add_text(struct loader *L, const char *name, char *dir, char *real, const char *text,
		     char *owned, size_t len)
{
	struct ydoc *doc = NULL;
	const struct ypair *inc;
	size_t me, i;
	int rc;

	sha256_update(&L->sha, text, len);
	rc = ydoc_read(&doc, name, text, len, L->nodes_left, L->dl);
	/* after reading: the source is kept for diagnostics, which need only its text */
	if (owned)
		diag_take_source(L->dl, name, owned, len);
	else
		diag_add_source(L->dl, name, text, len);
	if (rc) {
		free(dir);
		free(real);
		loader_fail(L, rc);
		return;
	}
	if (L->n == L->alloc) {
		size_t na = L->alloc ? L->alloc * 2 : 8;
		struct loaded *nv = pc_realloc(L->v, na * sizeof(*nv));

		if (!nv) {
			ydoc_free(doc);
			free(dir);
			free(real);
			loader_fail(L, PLAN_ENOMEM);
			return;
		}
		L->v = nv;
		L->alloc = na;
	}
	me = L->n++;
	L->v[me].doc = doc;
	L->v[me].dir = dir;
	L->v[me].real = real;
	L->nodes_left -= doc->nodes;
	inc = ynode_find(doc->root, "include");
	if (!inc)
		return;
	if (!dir) {
		diag_add(L->dl, DIAG_ERROR, doc->file, inc->key->line, inc->key->col, "include",
			 "includes are not allowed in '%s'", doc->file);
		loader_fail(L, PLAN_EINVALID);
		return;
	}
	L->chain[L->depth++] = real;
	if (inc->value->kind == YNODE_SEQ) {
		for (i = 0; i < inc->value->len && L->rc != PLAN_ENOMEM; i++)
			include_entry(L, me, inc->value->items[i]);
	} else {
		include_entry(L, me, inc->value);
	}
	L->depth--;
}

static void include_error(struct loader *L, size_t parent, const struct ynode *n, const char *fmt,
			  ...) __attribute__((format(printf, 4, 5)));
static void include_error(struct loader *L, size_t parent, const struct ynode *n, const char *fmt,
			  ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(L->dl, DIAG_ERROR, L->v[parent].doc->file, n->line, n->col, "include", fmt, ap);
	va_end(ap);
	loader_fail(L, PLAN_EINVALID);
}

static void include_entry(struct loader *L, size_t parent, const struct ynode *n)
{
	const struct loaded *P = &L->v[parent];
	char *joined = NULL, *real = NULL, *dirreal = NULL, *text = NULL;
	char why[128];
	size_t len, i, nd;
	int err = 0, rc;

	if (n->kind != YNODE_SCALAR || n->null || n->len == 0) {
		include_error(L, parent, n,
			      "'include' must be a file name or a list of file names");
		return;
	}
	if (L->depth > PLAN_MAX_INCLUDE_DEPTH) {
		include_error(L, parent, n, "includes nested deeper than %d files",
			      PLAN_MAX_INCLUDE_DEPTH);
		return;
	}
	if (n->text[0] == '/') {
		include_error(L, parent, n, "include '%s' must be a relative path", n->text);
		return;
	}
	if (!stays_inside(n->text)) {
		include_error(L, parent, n, "include '%s' is outside the folder of '%s'", n->text,
			      P->doc->file);
		return;
	}
	joined = join_path(P->dir, n->text);
	if (!joined) {
		loader_fail(L, PLAN_ENOMEM);
		return;
	}
	real = realpath(joined, NULL);
	dirreal = realpath(*P->dir ? P->dir : ".", NULL);
	if (!real || !dirreal) {
		errno_text(errno, why, sizeof(why));
		include_error(L, parent, n, "cannot read include '%s': %s", n->text, why);
		goto out;
	}
	/* A symbolic link may lead outside the folder although the text stays inside. */
	nd = strlen(dirreal);
	if (!(strncmp(real, dirreal, nd) == 0 &&
	      (real[nd] == '/' || real[nd] == '\0' || nd == 1))) {
		include_error(L, parent, n, "include '%s' is outside the folder of '%s'", n->text,
			      P->doc->file);
		goto out;
	}
	for (i = 0; i < (size_t)L->depth; i++) {
		if (L->chain[i] && strcmp(L->chain[i], real) == 0) {
			include_error(L, parent, n, "include loop: '%s' is already being read",
				      n->text);
			goto out;
		}
	}
	for (i = 0; i < L->n; i++) {
		if (L->v[i].real && strcmp(L->v[i].real, real) == 0) {
			include_error(L, parent, n, "'%s' is included twice (first as '%s')",
				      n->text, L->v[i].doc->file);
			goto out;
		}
	}
	rc = read_file(joined, YDOC_MAX_BYTES - L->bytes, 1, &text, &len, &err);
	if (rc == 2) {
		include_error(L, parent, n, "cannot read include '%s': not a regular file",
			      n->text);
		goto out;
	}
	if (rc == 1) {
		include_error(L, parent, n,
			      "'%s' makes the plan and its includes larger than %zu MiB", n->text,
			      YDOC_MAX_BYTES >> 20);
		goto out;
	}
	if (rc < 0) {
		errno_text(err, why, sizeof(why));
		include_error(L, parent, n, "cannot read include '%s': %s", n->text, why);
		goto out;
	}
	L->bytes += len;
	add_text(L, joined, dir_of(joined), real, text, text, len);
	real = NULL; /* taken, with the text */
	text = NULL;
out:
	free(text);
	free(joined);
	free(real);
	free(dirreal);
}

/* Capabilities that no item (nor the Ukrainian brigades) provides: every unit of their
 * target is shortfall, or at best covered by the US. */
static void check_provided(const struct plan *p, struct diag_list *dl)
{
	unsigned char *fed, *us;
	size_t i, k, shown;

	if (p->ncapabilities == 0)
		return;
	fed = pc_calloc(p->ncapabilities, 1);
	us = pc_calloc(p->ncapabilities, 1);
	if (!fed || !us) {
		free(fed);
		free(us);
		dl->oom = 1;
		return;
	}
	for (i = 0; i < p->nitems; i++)
		for (k = 0; k < p->items[i].nprovides; k++)
			if (p->items[i].provides[k].capability >= 0 &&
			    p->items[i].provides[k].amount > 0)
				fed[p->items[i].provides[k].capability] = 1;
	if (p->ukraine.enabled && p->ukraine.capability >= 0)
		fed[p->ukraine.capability] = 1;
	for (i = 0; i < p->assumptions.nus; i++)
		if (p->assumptions.us[i].capability >= 0)
			us[p->assumptions.us[i].capability] = 1;
	for (i = 0, shown = 0; i < p->ncapabilities; i++) {
		const struct capability *c = &p->capabilities[i];

		if (fed[i])
			continue;
		if (shown++ == BIND_MAX_ERRORS) {
			diag_add(dl, DIAG_WARNING, c->loc.file, 0, 0, NULL,
				 "more capabilities that no item provides are not shown");
			break;
		}
		diag_add(dl, DIAG_WARNING, c->loc.file, c->loc.line, c->loc.col, NULL,
			 us[i] ? "no item provides capability '%s': only the US contribution "
				 "counts towards it"
			       : "no item provides capability '%s': all of its target will be "
				 "shortfall",
			 c->id);
	}
	free(fed);
	free(us);
}

double plan_loan_cost_factor(double rate, double discount, int grace, int maturity)
{
	double pv = 0, balance = 1, disc = 1, principal;
	int t, repayments;

	if (maturity <= 0)
		return 1.0;
	if (grace >= maturity)
		grace = maturity - 1;
	if (grace < 0)
		grace = 0;
	repayments = maturity - grace;
	principal = 1.0 / repayments;
	for (t = 1; t <= maturity; t++) {
		double pay = balance * rate;

		disc /= 1 + discount;
		if (t > grace) {
			pay += principal;
			balance -= principal;
		}
		pv += pay * disc;
	}
	return pv;
}

void plan_update_derived(struct plan *p)
{
	size_t i;

	for (i = 0; i < p->nbuyers; i++)
		p->buyers[i].can_borrow = p->buyers[i].kind != BUYER_PARTNER;
	for (i = 0; i < p->nsources; i++) {
		struct funding_source *s = &p->sources[i];

		s->cost_factor = s->kind == SOURCE_LOAN
				     ? plan_loan_cost_factor(s->interest_rate, p->discount_rate,
							     s->grace_years, s->maturity_years)
				     : 1.0;
	}
}

/* Load the root text (and its includes), bind it and check it. */
static int load(struct plan **out, const char *name, char *dir, char *real, const char *text,
		char *owned, size_t len, struct diag_list *dl)
{
	struct loader L;
	struct plan_arena *arena = NULL;
	struct ydoc **docs = NULL;
	struct plan *p = NULL;
	size_t errors0 = dl->nerrors, i;
	int rc = PLAN_OK;

	memset(&L, 0, sizeof(L));
	L.dl = dl;
	L.nodes_left = YDOC_MAX_NODES;
	L.bytes = len;
	sha256_init(&L.sha);
	add_text(&L, name, dir, real, text, owned, len);
	if (L.rc) {
		rc = L.rc;
		goto out;
	}
	arena = arena_new();
	docs = pc_malloc(L.n * sizeof(*docs));
	p = arena ? arena_alloc(arena, sizeof(*p)) : NULL;
	if (!p || !docs) {
		rc = PLAN_ENOMEM;
		goto out;
	}
	p->arena = arena;
	p->file = arena_strdup(arena, name);
	if (!p->file) {
		rc = PLAN_ENOMEM;
		goto out;
	}
	for (i = 0; i < L.n; i++)
		docs[i] = L.v[i].doc;
	rc = bind_plan(p, docs, L.n, dl);
	if (rc)
		goto out;
	sha256_final_hex(&L.sha, p->sha256);
	if (dl->nerrors == errors0) {
		check_provided(p, dl);
		plan_update_derived(p);
	}
	if (dl->nerrors != errors0)
		rc = PLAN_EINVALID;
out:
	diag_sort(dl);
	for (i = 0; i < L.n; i++) {
		ydoc_free(L.v[i].doc);
		free(L.v[i].dir);
		free(L.v[i].real);
	}
	free(L.v);
	free(docs);
	if (rc) {
		arena_free(arena);
		return rc;
	}
	*out = p;
	return PLAN_OK;
}

int plan_load_mem(struct plan **out, const char *name, const char *dir, const char *text,
		  size_t len, struct diag_list *dl)
{
	char *d = NULL;

	*out = NULL;
	if (dir && !(d = pc_strdup(dir)))
		return PLAN_ENOMEM;
	return load(out, name, d, NULL, text, NULL, len, dl);
}

int plan_load_file(struct plan **out, const char *path, struct diag_list *dl)
{
	char *text = NULL, *dir, *real;
	char why[128];
	size_t len;
	int err = 0, rc;

	*out = NULL;
	rc = read_file(path, YDOC_MAX_BYTES, 0, &text, &len, &err);
	if (rc == 1) {
		/* located at the start: the whole file is the problem, and none of it is read */
		diag_add(dl, DIAG_ERROR, path, 1, 1, NULL, "file larger than %zu MiB (%zu bytes)",
			 YDOC_MAX_BYTES >> 20, len);
		return PLAN_EINVALID;
	}
	if (rc < 0) {
		if (err == ENOMEM)
			return PLAN_ENOMEM;
		errno_text(err, why, sizeof(why));
		diag_add(dl, DIAG_ERROR, path, 0, 0, NULL, "cannot read '%s': %s", path, why);
		return PLAN_EIO;
	}
	dir = dir_of(path);
	real = realpath(path, NULL);
	if (!dir) {
		free(real);
		free(text);
		return PLAN_ENOMEM;
	}
	return load(out, path, dir, real, text, text, len, dl);
}

int plan_load_default(struct plan **out, struct diag_list *dl)
{
	return plan_load_mem(out, DEFAULT_PLAN_NAME, NULL, plan_default_text, plan_default_len, dl);
}

void plan_free(struct plan *p)
{
	if (p)
		arena_free(p->arena);
}

/* ---- clone ---------------------------------------------------------------------------- */

/* Copies a plan into a new arena, walking the schema table for every pointer it holds. */
struct copier {
	struct plan_arena *a;
	const char **from, **to; /* file names already copied */
	size_t nfiles;
	int oom;
};

static const char *copy_str(struct copier *c, const char *s)
{
	char *d;

	if (!s)
		return NULL;
	d = arena_strdup(c->a, s);
	if (!d)
		c->oom = 1;
	return d;
}

static void *copy_mem(struct copier *c, const void *src, size_t n, size_t size)
{
	void *d;

	if (!src)
		return NULL;
	d = arena_array(c->a, n, size);
	if (!d) {
		c->oom = 1;
		return NULL;
	}
	if (n)
		memcpy(d, src, n * size);
	return d;
}

static const char *copy_file(struct copier *c, const char *f)
{
	const char **nf, **nt;
	size_t i;

	if (!f)
		return NULL;
	for (i = 0; i < c->nfiles; i++)
		if (c->from[i] == f)
			return c->to[i];
	nf = pc_realloc(c->from, (c->nfiles + 1) * sizeof(*nf));
	if (nf)
		c->from = nf;
	nt = pc_realloc(c->to, (c->nfiles + 1) * sizeof(*nt));
	if (nt)
		c->to = nt;
	if (!nf || !nt) {
		c->oom = 1;
		return NULL;
	}
	c->from[c->nfiles] = f;
	c->to[c->nfiles] = copy_str(c, f);
	return c->to[c->nfiles++];
}

static void copy_loc(struct copier *c, unsigned char *base, long off)
{
	if (off >= 0) {
		struct plan_loc *loc = (struct plan_loc *)(base + off);

		loc->file = copy_file(c, loc->file);
	}
}

static void copy_record(struct copier *c, const struct schema_record *r, unsigned char *base)
{
	size_t i, k;

	if (r->id_off >= 0)
		*(const char **)(base + r->id_off) =
		    copy_str(c, *(const char **)(base + r->id_off));
	copy_loc(c, base, r->loc_off);
	for (i = 0; i < r->nfields; i++) {
		const struct schema_field *f = &r->fields[i];
		unsigned char *at = base + f->off;
		size_t *count = (size_t *)(base + f->count_off);
		unsigned char *arr;

		if (f->set)
			continue;
		switch (f->type) {
		case ST_STRING:
			*(const char **)at = copy_str(c, *(const char **)at);
			break;
		case ST_REFLIST:
			*(int **)at = copy_mem(c, *(int **)at, *count, sizeof(int));
			break;
		case ST_NUMLIST:
			*(double **)at = copy_mem(c, *(double **)at, *count, sizeof(double));
			break;
		case ST_RECORD:
			copy_record(c, f->sub, at);
			break;
		case ST_RECORDS:
		case ST_LIST:
			arr = copy_mem(c, *(void **)at, *count, f->sub->size);
			*(void **)at = arr;
			for (k = 0; arr && k < *count; k++)
				copy_record(c, f->sub, arr + k * f->sub->size);
			break;
		case ST_MAP:
			arr = copy_mem(c, *(void **)at, *count, f->entry->size);
			*(void **)at = arr;
			for (k = 0; arr && k < *count; k++)
				copy_loc(c, arr + k * f->entry->size, f->entry->loc_off);
			break;
		default:
			break;
		}
	}
}

int plan_clone(struct plan **out, const struct plan *p)
{
	struct copier c;
	struct plan *q;

	*out = NULL;
	memset(&c, 0, sizeof(c));
	c.a = arena_new();
	q = c.a ? arena_alloc(c.a, sizeof(*q)) : NULL;
	if (!q) {
		arena_free(c.a);
		return PLAN_ENOMEM;
	}
	*q = *p;
	q->arena = c.a;
	q->file = copy_file(&c, p->file);
	copy_record(&c, &schema_plan, (unsigned char *)q);
	free(c.from);
	free(c.to);
	if (c.oom) {
		arena_free(c.a);
		return PLAN_ENOMEM;
	}
	*out = q;
	return PLAN_OK;
}

/* ---- lookups -------------------------------------------------------------------------- */

static int find_id(const struct plan *p, enum schema_section s, const char *id)
{
	size_t i, n = schema_section_count(p, s);

	for (i = 0; i < n; i++)
		if (strcmp(schema_section_id(p, s, i), id) == 0)
			return i <= INT_MAX ? (int)i : -1;
	return -1;
}

int plan_find_item(const struct plan *p, const char *id)
{
	return find_id(p, SEC_ITEM, id);
}

int plan_find_capability(const struct plan *p, const char *id)
{
	return find_id(p, SEC_CAPABILITY, id);
}

int plan_find_source(const struct plan *p, const char *id)
{
	return find_id(p, SEC_SOURCE, id);
}

int plan_find_buyer(const struct plan *p, const char *id)
{
	return find_id(p, SEC_BUYER, id);
}

int plan_find_category(const struct plan *p, const char *id)
{
	return find_id(p, SEC_CATEGORY, id);
}
