/* scen_store.c - the results store of a scenario run (SQLite: per-scenario figures and
 * every scenario's allocation, written by one thread in scenario-id order, in batches) and
 * scenarios.csv. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "scen.h"

#define STORE_SCHEMA "porcupine.scenarios/1"

enum { ST_SCEN, ST_CAP, ST_CAT, ST_SRC, ST_PAR, ST_ALLOC, ST_CAPY, ST__N };

struct scen_store {
	sqlite3 *db;
	char *path, *final;
	sqlite3_stmt *st[ST__N];
	const struct plan *plan;
	char err[256];
};

static const char *const schema_sql =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS parameter(idx INTEGER PRIMARY KEY, id TEXT, path TEXT,"
    " dist TEXT, apply TEXT);"
    "CREATE TABLE IF NOT EXISTS capability(idx INTEGER PRIMARY KEY, id TEXT, name TEXT,"
    " unit TEXT);"
    "CREATE TABLE IF NOT EXISTS category(idx INTEGER PRIMARY KEY, id TEXT, name TEXT);"
    "CREATE TABLE IF NOT EXISTS source(idx INTEGER PRIMARY KEY, id TEXT, name TEXT);"
    "CREATE TABLE IF NOT EXISTS buyer(idx INTEGER PRIMARY KEY, id TEXT, name TEXT);"
    "CREATE TABLE IF NOT EXISTS item(idx INTEGER PRIMARY KEY, id TEXT, name TEXT,"
    " category INTEGER);"
    "CREATE TABLE IF NOT EXISTS scenario(id INTEGER PRIMARY KEY, status TEXT NOT NULL,"
    " message TEXT, objective REAL, total_spend_eur REAL, purchase_eur REAL,"
    " personnel_eur REAL, mip_gap REAL, iterations INTEGER, start INTEGER, mip INTEGER);"
    "CREATE TABLE IF NOT EXISTS scenario_capability(scenario INTEGER, capability INTEGER,"
    " shortfall REAL, met INTEGER, PRIMARY KEY(scenario, capability)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS scenario_capability_year(scenario INTEGER,"
    " capability INTEGER, year INTEGER, achieved REAL, shortfall REAL,"
    " PRIMARY KEY(scenario, capability, year)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS scenario_category(scenario INTEGER, category INTEGER,"
    " spend_eur REAL, PRIMARY KEY(scenario, category)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS scenario_source(scenario INTEGER, source INTEGER,"
    " used_eur REAL, marginal_value REAL, PRIMARY KEY(scenario, source)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS scenario_parameter(scenario INTEGER, parameter INTEGER,"
    " value REAL, PRIMARY KEY(scenario, parameter)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS allocation(scenario INTEGER, item INTEGER, buyer INTEGER,"
    " source INTEGER, year INTEGER, delivery_year INTEGER, units REAL, eur REAL,"
    " PRIMARY KEY(scenario, item, buyer, source, year)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS allocation_by_item ON allocation(item, year, scenario);"
    "CREATE VIEW IF NOT EXISTS allocation_named AS SELECT a.scenario, i.id AS item,"
    " c.id AS category, b.id AS buyer, s.id AS source, a.year, a.delivery_year, a.units, a.eur"
    " FROM allocation a JOIN item i ON i.idx = a.item JOIN category c ON c.idx = i.category"
    " JOIN buyer b ON b.idx = a.buyer JOIN source s ON s.idx = a.source;"
    "CREATE VIEW IF NOT EXISTS shortfall_named AS SELECT x.scenario, c.id AS capability,"
    " x.shortfall, x.met FROM scenario_capability x JOIN capability c ON c.idx = x.capability;"
    "CREATE VIEW IF NOT EXISTS capability_year_named AS SELECT x.scenario,"
    " c.id AS capability, x.year, x.achieved, x.shortfall FROM scenario_capability_year x"
    " JOIN capability c ON c.idx = x.capability;";

static const char *const insert_sql[ST__N] = {
    "INSERT INTO scenario VALUES(?,?,?,?,?,?,?,?,?,?,?)",
    "INSERT INTO scenario_capability VALUES(?,?,?,?)",
    "INSERT INTO scenario_category VALUES(?,?,?)",
    "INSERT INTO scenario_source VALUES(?,?,?,?)",
    "INSERT INTO scenario_parameter VALUES(?,?,?)",
    "INSERT INTO allocation VALUES(?,?,?,?,?,?,?,?)",
    "INSERT INTO scenario_capability_year VALUES(?,?,?,?,?)",
};

/* SQLite's own allocator, with the failure hook in front of it. */
static sqlite3_mem_methods sq_default;

/* SQLite marks some allocations "benign": it carries on unharmed when they fail (a
 * bigger page cache, a hash table that would have grown).  Failing those tests nothing of
 * ours, so inside such a region the hook stays out of the way. */
static _Thread_local int sq_benign;

static void sq_benign_begin(void)
{
	sq_benign++;
}

static void sq_benign_end(void)
{
	sq_benign--;
}

static void *sq_malloc(int n)
{
	return !sq_benign && alloc_fail_now() ? NULL : sq_default.xMalloc(n);
}

static void *sq_realloc(void *p, int n)
{
	return !sq_benign && alloc_fail_now() ? NULL : sq_default.xRealloc(p, n);
}

void scen_store_route_alloc(void)
{
	sqlite3_mem_methods m;
	if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &sq_default) != SQLITE_OK)
		return;
	sqlite3_test_control(SQLITE_TESTCTRL_BENIGN_MALLOC_HOOKS, sq_benign_begin, sq_benign_end);
	m = sq_default;
	m.xMalloc = sq_malloc;
	m.xRealloc = sq_realloc;
	sqlite3_config(SQLITE_CONFIG_MALLOC, &m);
}

static const char *dist_name(enum dist_kind d)
{
	static const char *const n[] = {"triangular", "pert",	  "uniform",  "normal",
					"lognormal",  "discrete", "bernoulli"};
	return (size_t)d < sizeof(n) / sizeof(n[0]) ? n[d] : "?";
}

const char *scen_store_error(const struct scen_store *st)
{
	return st ? st->err : "no store";
}

static int db_fail(struct scen_store *st, const char *what)
{
	snprintf(st->err, sizeof(st->err), "%s: %s", what, st->db ? sqlite3_errmsg(st->db) : "?");
	return -1;
}

static int exec(struct scen_store *st, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(st->err, sizeof(st->err), "%s", msg ? msg : "sqlite error");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out;
	char buf[65536];
	size_t n;
	int rc = 0;

	if (!in)
		return -1;
	out = fopen(to, "wb");
	if (!out) {
		fclose(in);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n) {
			rc = -1;
			break;
		}
	if (ferror(in))
		rc = -1;
	fclose(in);
	if (fclose(out) != 0)
		rc = -1;
	return rc;
}

static char *dup_s(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = pc_malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

/* The plan's ids, so that the store can be queried by name. */
static int put_dimensions(struct scen_store *st, const struct plan *p)
{
	sqlite3_stmt *s = NULL;
	int bad = 0;

	if (exec(st, "DELETE FROM parameter; DELETE FROM capability; DELETE FROM category;"
		     "DELETE FROM source; DELETE FROM buyer; DELETE FROM item;") != 0)
		return -1;
#define PREP(sql) (sqlite3_prepare_v2(st->db, (sql), -1, &s, NULL) != SQLITE_OK)
#define STEP()	  (bad |= sqlite3_step(s) != SQLITE_DONE, sqlite3_reset(s))
	if (PREP("INSERT INTO parameter VALUES(?,?,?,?,?)"))
		return db_fail(st, "prepare");
	for (size_t i = 0; i < p->uncertainty.nparams; i++) {
		const struct uparam *u = &p->uncertainty.params[i];
		sqlite3_bind_int64(s, 1, (sqlite3_int64)i);
		sqlite3_bind_text(s, 2, u->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, u->path, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, dist_name(u->dist), -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 5, u->apply == APPLY_SCALE ? "scale" : "set", -1,
				  SQLITE_STATIC);
		STEP();
	}
	sqlite3_finalize(s);
	if (PREP("INSERT INTO capability VALUES(?,?,?,?)"))
		return db_fail(st, "prepare");
	for (size_t i = 0; i < p->ncapabilities; i++) {
		sqlite3_bind_int64(s, 1, (sqlite3_int64)i);
		sqlite3_bind_text(s, 2, p->capabilities[i].id, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, p->capabilities[i].name, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, p->capabilities[i].unit, -1, SQLITE_STATIC);
		STEP();
	}
	sqlite3_finalize(s);
	if (PREP("INSERT INTO category VALUES(?,?,?)"))
		return db_fail(st, "prepare");
	for (size_t i = 0; i < p->ncategories; i++) {
		sqlite3_bind_int64(s, 1, (sqlite3_int64)i);
		sqlite3_bind_text(s, 2, p->categories[i].id, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, p->categories[i].name, -1, SQLITE_STATIC);
		STEP();
	}
	sqlite3_finalize(s);
	if (PREP("INSERT INTO source VALUES(?,?,?)"))
		return db_fail(st, "prepare");
	for (size_t i = 0; i < p->nsources; i++) {
		sqlite3_bind_int64(s, 1, (sqlite3_int64)i);
		sqlite3_bind_text(s, 2, p->sources[i].id, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, p->sources[i].name, -1, SQLITE_STATIC);
		STEP();
	}
	sqlite3_finalize(s);
	if (PREP("INSERT INTO buyer VALUES(?,?,?)"))
		return db_fail(st, "prepare");
	for (size_t i = 0; i < p->nbuyers; i++) {
		sqlite3_bind_int64(s, 1, (sqlite3_int64)i);
		sqlite3_bind_text(s, 2, p->buyers[i].id, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, p->buyers[i].name, -1, SQLITE_STATIC);
		STEP();
	}
	sqlite3_finalize(s);
	if (PREP("INSERT INTO item VALUES(?,?,?,?)"))
		return db_fail(st, "prepare");
	for (size_t i = 0; i < p->nitems; i++) {
		sqlite3_bind_int64(s, 1, (sqlite3_int64)i);
		sqlite3_bind_text(s, 2, p->items[i].id, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, p->items[i].name, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 4, p->items[i].category);
		STEP();
	}
	sqlite3_finalize(s);
#undef PREP
#undef STEP
	return bad ? db_fail(st, "insert") : 0;
}

int scen_store_open(struct scen_store **out, const char *path, const char *final,
		    const char *resume_from, const struct plan *p, struct diag_list *dl)
{
	struct scen_store *st = pc_calloc(1, sizeof(*st));

	*out = NULL;
	if (!st || !(st->path = dup_s(path)) || !(st->final = dup_s(final))) {
		diag_error(dl, path, 0, 0, NULL, "out of memory");
		goto fail;
	}
	st->plan = p;
	unlink(path); /* a temporary file left by a run that was killed */
	if (resume_from && copy_file(resume_from, path) != 0) {
		diag_error(dl, resume_from, 0, 0, NULL, "cannot copy the results store: %s",
			   strerror(errno));
		goto fail;
	}
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		diag_error(dl, path, 0, 0, NULL, "cannot open: %s",
			   st->db ? sqlite3_errmsg(st->db) : "out of memory");
		goto fail;
	}
	/* A temporary file, made durable once at the end: no journal, no syncs on the way. */
	if (exec(st, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=8192;") ||
	    exec(st, schema_sql) || put_dimensions(st, p) != 0) {
		diag_error(dl, path, 0, 0, NULL, "cannot set up the results store: %s", st->err);
		goto fail;
	}
	for (int i = 0; i < ST__N; i++)
		if (sqlite3_prepare_v2(st->db, insert_sql[i], -1, &st->st[i], NULL) != SQLITE_OK) {
			db_fail(st, "prepare");
			diag_error(dl, path, 0, 0, NULL, "%s", st->err);
			goto fail;
		}
	*out = st;
	return 0;
fail:
	scen_store_abort(st);
	return -1;
}

static void bind_num(sqlite3_stmt *s, int i, double v)
{
	if (isfinite(v))
		sqlite3_bind_double(s, i, v);
	else
		sqlite3_bind_null(s, i);
}

int scen_store_put_meta(struct scen_store *st, const struct scen_meta *m, struct diag_list *dl)
{
	sqlite3_stmt *s = NULL;
	char buf[64];
	int bad = 0;
	char *set = NULL;
	size_t len = 1;

	for (size_t i = 0; i < m->nset; i++)
		len += strlen(m->set[i]) + 1;
	set = pc_calloc(len, 1);
	if (!set || exec(st, "DELETE FROM meta") ||
	    sqlite3_prepare_v2(st->db, "INSERT INTO meta VALUES(?,?)", -1, &s, NULL) != SQLITE_OK) {
		free(set);
		diag_error(dl, st->path, 0, 0, NULL, "cannot write the run's identity: %s",
			   st->db ? sqlite3_errmsg(st->db) : "out of memory");
		return -1;
	}
	for (size_t i = 0, at = 0; i < m->nset; i++) {
		size_t n = strlen(m->set[i]);
		memcpy(set + at, m->set[i], n);
		at += n;
		if (i + 1 < m->nset)
			set[at++] = '\n';
	}
#define PUT(k, v)                                                                                  \
	do {                                                                                       \
		/* a failed bind (no memory for the copy) would store a null */                   \
		bad |= sqlite3_bind_text(s, 1, (k), -1, SQLITE_STATIC) != SQLITE_OK;               \
		bad |= sqlite3_bind_text(s, 2, (v), -1, SQLITE_TRANSIENT) != SQLITE_OK;            \
		bad |= !bad && sqlite3_step(s) != SQLITE_DONE;                                     \
		sqlite3_reset(s);                                                                  \
	} while (0)
	PUT("schema", STORE_SCHEMA);
	PUT("plan_sha256", m->plan_sha256 ? m->plan_sha256 : "");
	PUT("plan_source", m->plan_source ? m->plan_source : "");
	PUT("plan_name", m->plan_name ? m->plan_name : "");
	PUT("set", set);
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)m->seed);
	PUT("seed", buf);
	snprintf(buf, sizeof(buf), "%zu", m->requested);
	PUT("requested", buf);
	PUT("method", m->method == SAMPLE_LHS ? "latin_hypercube" : "monte_carlo");
	snprintf(buf, sizeof(buf), "%.17g", m->precision);
	PUT("precision", buf);
	snprintf(buf, sizeof(buf), "%.17g", m->mip_gap);
	PUT("mip_gap", buf);
	snprintf(buf, sizeof(buf), "%.17g", m->time_limit_s);
	PUT("time_limit_s", buf);
#undef PUT
	sqlite3_finalize(s);
	free(set);
	if (bad) {
		diag_error(dl, st->path, 0, 0, NULL, "cannot write the run's identity: %s",
			   sqlite3_errmsg(st->db));
		return -1;
	}
	return 0;
}

/* Strings of a scen_meta read back, in one allocation. */
struct meta_blob {
	char *sha, *source, *name, *setbuf;
	const char **set;
};

void scen_meta_release(void *owned)
{
	struct meta_blob *b = owned;
	if (!b)
		return;
	free(b->sha);
	free(b->source);
	free(b->name);
	free(b->setbuf);
	free(b->set);
	free(b);
}

int scen_store_read_meta(const char *path, struct scen_meta *m, void **owned, struct diag_list *dl)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	struct meta_blob *b = pc_calloc(1, sizeof(*b));
	int have_schema = 0, rc = -1;

	memset(m, 0, sizeof(*m));
	*owned = NULL;
	if (!b)
		goto out;
	if (access(path, R_OK) != 0) {
		diag_error(dl, path, 0, 0, NULL, "cannot resume: %s", strerror(errno));
		goto out;
	}
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT key, value FROM meta", -1, &s, NULL) != SQLITE_OK) {
		diag_error(dl, path, 0, 0, NULL,
			   "cannot resume: not a porcupine results store (%s)",
			   db ? sqlite3_errmsg(db) : "out of memory");
		goto out;
	}
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(s, 0);
		const char *v = (const char *)sqlite3_column_text(s, 1);
		if (!k || !v)
			continue;
		if (!strcmp(k, "schema"))
			have_schema = !strcmp(v, STORE_SCHEMA);
		else if (!strcmp(k, "plan_sha256"))
			b->sha = dup_s(v);
		else if (!strcmp(k, "plan_source"))
			b->source = dup_s(v);
		else if (!strcmp(k, "plan_name"))
			b->name = dup_s(v);
		else if (!strcmp(k, "set"))
			b->setbuf = dup_s(v);
		else if (!strcmp(k, "seed"))
			m->seed = strtoull(v, NULL, 10);
		else if (!strcmp(k, "requested"))
			m->requested = (size_t)strtoull(v, NULL, 10);
		else if (!strcmp(k, "method"))
			m->method = !strcmp(v, "latin_hypercube") ? SAMPLE_LHS : SAMPLE_MC;
		else if (!strcmp(k, "precision"))
			m->precision = strtod(v, NULL);
		else if (!strcmp(k, "mip_gap"))
			m->mip_gap = strtod(v, NULL);
		else if (!strcmp(k, "time_limit_s"))
			m->time_limit_s = strtod(v, NULL);
	}
	if (!have_schema || !b->sha) {
		diag_error(dl, path, 0, 0, NULL,
			   "cannot resume: not a results store of this porcupine version");
		goto out;
	}
	if (b->setbuf && *b->setbuf) {
		size_t n = 1;
		for (char *c = b->setbuf; *c; c++)
			n += *c == '\n';
		b->set = pc_calloc(n, sizeof(*b->set));
		if (!b->set)
			goto out;
		char *c = b->setbuf;
		for (size_t i = 0; i < n; i++) {
			b->set[i] = c;
			char *nl = strchr(c, '\n');
			if (nl) {
				*nl = '\0';
				c = nl + 1;
			}
		}
		m->nset = n;
	}
	m->set = b->set;
	m->plan_sha256 = b->sha;
	m->plan_source = b->source;
	m->plan_name = b->name;
	*owned = b;
	b = NULL;
	rc = 0;
out:
	sqlite3_finalize(s);
	sqlite3_close(db);
	scen_meta_release(b);
	return rc;
}

static double col_num(sqlite3_stmt *s, int i)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL ? NAN : sqlite3_column_double(s, i);
}

static int status_code(const char *name)
{
	for (int s = SOL_OPTIMAL; s <= SOL_FAILED; s++)
		if (!strcmp(name, sol_status_name((enum sol_status)s)))
			return s;
	if (!strcmp(name, "invalid"))
		return SCEN_INVALID;
	return -1;
}

int scen_store_load(struct scen_store *st, struct scen_result *res, struct diag_list *dl)
{
	const struct scen_layout *l = &res->lay;
	sqlite3_stmt *s = NULL;
	size_t n = 0;
	static const struct {
		const char *sql;
		int two; /* two values (source) */
	} parts[] = {
	    {"SELECT scenario, capability, shortfall, met FROM scenario_capability", 1},
	    {"SELECT scenario, category, spend_eur FROM scenario_category", 0},
	    {"SELECT scenario, source, used_eur, marginal_value FROM scenario_source", 1},
	    {"SELECT scenario, parameter, value FROM scenario_parameter", 0},
	    {"SELECT scenario, capability * ?1 + (year - ?2), achieved, shortfall"
	     " FROM scenario_capability_year WHERE year BETWEEN ?2 AND ?2 + ?1 - 1",
	     1},
	};

	if (sqlite3_prepare_v2(
		st->db,
		"SELECT id, status, message, objective, total_spend_eur, purchase_eur,"
		" personnel_eur, mip_gap, iterations, start, mip FROM scenario"
		" ORDER BY id",
		-1, &s, NULL) != SQLITE_OK)
		goto fail;
	while (sqlite3_step(s) == SQLITE_ROW) {
		sqlite3_int64 id = sqlite3_column_int64(s, 0);
		const char *stname = (const char *)sqlite3_column_text(s, 1);
		int code = stname ? status_code(stname) : -1;
		if (id != (sqlite3_int64)n || (size_t)id >= res->requested || code < 0) {
			snprintf(st->err, sizeof(st->err),
				 "scenario records are not the contiguous ids 0..%zu of this run",
				 n);
			goto fail_msg;
		}
		struct scen_rec *r = &res->rec[n];
		double *row = res->val + n * l->width;
		for (size_t i = 0; i < l->width; i++)
			row[i] = NAN;
		r->done = 1;
		r->status = (uint8_t)code;
		if (sqlite3_column_type(s, 2) != SQLITE_NULL)
			res->message[n] = dup_s((const char *)sqlite3_column_text(s, 2));
		row[l->objective] = col_num(s, 3);
		row[l->total_spend] = col_num(s, 4);
		row[l->purchase] = col_num(s, 5);
		row[l->personnel] = col_num(s, 6);
		row[l->mip_gap] = col_num(s, 7);
		r->iterations = (int32_t)sqlite3_column_int64(s, 8);
		r->start = (uint8_t)sqlite3_column_int(s, 9);
		r->mip = (uint8_t)sqlite3_column_int(s, 10);
		n++;
	}
	sqlite3_finalize(s);
	s = NULL;
	for (size_t pi = 0; pi < sizeof(parts) / sizeof(parts[0]); pi++) {
		if (sqlite3_prepare_v2(st->db, parts[pi].sql, -1, &s, NULL) != SQLITE_OK)
			goto fail;
		if (pi == 4) { /* (capability, year) -> the row's index c * nyear + t */
			sqlite3_bind_int64(s, 1, (sqlite3_int64)l->nyear);
			sqlite3_bind_int64(s, 2, (sqlite3_int64)st->plan->start_year);
		}
		while (sqlite3_step(s) == SQLITE_ROW) {
			sqlite3_int64 k = sqlite3_column_int64(s, 0),
				      j = sqlite3_column_int64(s, 1);
			if (k < 0 || (size_t)k >= n || j < 0)
				continue;
			double *row = res->val + (size_t)k * l->width;
			switch (pi) {
			case 0:
				if ((size_t)j < l->ncap) {
					row[l->shortfall + (size_t)j] = col_num(s, 2);
					row[l->met + (size_t)j] = col_num(s, 3);
				}
				break;
			case 1:
				if ((size_t)j < l->ncat)
					row[l->cat_spend + (size_t)j] = col_num(s, 2);
				break;
			case 2:
				if ((size_t)j < l->nsrc) {
					row[l->src_used + (size_t)j] = col_num(s, 2);
					row[l->src_mv + (size_t)j] = col_num(s, 3);
				}
				break;
			case 3:
				if ((size_t)j < l->npar)
					row[l->param + (size_t)j] = col_num(s, 2);
				break;
			case 4:
				if ((size_t)j < l->ncap * l->nyear) {
					row[l->yr_achieved + (size_t)j] = col_num(s, 2);
					row[l->yr_shortfall + (size_t)j] = col_num(s, 3);
				}
				break;
			}
		}
		sqlite3_finalize(s);
		s = NULL;
	}
	res->n = n;
	res->resumed = n;
	return 0;
fail:
	db_fail(st, "read");
fail_msg:
	sqlite3_finalize(s);
	diag_error(dl, st->final, 0, 0, NULL, "cannot resume: %s", st->err);
	return -1;
}

int scen_store_begin(struct scen_store *st)
{
	return exec(st, "BEGIN");
}

int scen_store_end(struct scen_store *st)
{
	return exec(st, "COMMIT");
}

static int step(struct scen_store *st, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc == SQLITE_DONE ? 0 : db_fail(st, "insert");
}

int scen_store_put(struct scen_store *st, const struct scen_result *res, size_t k,
		   const struct res_alloc *alloc, size_t nalloc)
{
	const struct scen_layout *l = &res->lay;
	const struct scen_rec *r = &res->rec[k];
	const double *row = res->val + k * l->width;
	sqlite3_stmt *s = st->st[ST_SCEN];
	sqlite3_int64 id = (sqlite3_int64)k;
	int ok = r->status == SOL_OPTIMAL || r->status == SOL_FEASIBLE;

	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, scen_status_name(r->status), -1, SQLITE_STATIC);
	if (res->message[k])
		sqlite3_bind_text(s, 3, res->message[k], -1, SQLITE_STATIC);
	bind_num(s, 4, row[l->objective]);
	bind_num(s, 5, row[l->total_spend]);
	bind_num(s, 6, row[l->purchase]);
	bind_num(s, 7, row[l->personnel]);
	bind_num(s, 8, row[l->mip_gap]);
	sqlite3_bind_int64(s, 9, r->iterations);
	sqlite3_bind_int(s, 10, r->start);
	sqlite3_bind_int(s, 11, r->mip);
	if (step(st, s))
		return -1;
	for (size_t j = 0; j < l->npar; j++) {
		s = st->st[ST_PAR];
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int64(s, 2, (sqlite3_int64)j);
		bind_num(s, 3, row[l->param + j]);
		if (step(st, s))
			return -1;
	}
	if (!ok)
		return 0;
	for (size_t j = 0; j < l->ncap; j++) {
		s = st->st[ST_CAP];
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int64(s, 2, (sqlite3_int64)j);
		bind_num(s, 3, row[l->shortfall + j]);
		bind_num(s, 4, row[l->met + j]);
		if (step(st, s))
			return -1;
		for (size_t t = 0; t < l->nyear; t++) {
			size_t at = j * l->nyear + t;
			if (isnan(row[l->yr_achieved + at]) && isnan(row[l->yr_shortfall + at]))
				continue; /* no target that year */
			s = st->st[ST_CAPY];
			sqlite3_bind_int64(s, 1, id);
			sqlite3_bind_int64(s, 2, (sqlite3_int64)j);
			sqlite3_bind_int64(s, 3, (sqlite3_int64)st->plan->start_year + (sqlite3_int64)t);
			bind_num(s, 4, row[l->yr_achieved + at]);
			bind_num(s, 5, row[l->yr_shortfall + at]);
			if (step(st, s))
				return -1;
		}
	}
	for (size_t j = 0; j < l->ncat; j++) {
		s = st->st[ST_CAT];
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int64(s, 2, (sqlite3_int64)j);
		bind_num(s, 3, row[l->cat_spend + j]);
		if (step(st, s))
			return -1;
	}
	for (size_t j = 0; j < l->nsrc; j++) {
		s = st->st[ST_SRC];
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int64(s, 2, (sqlite3_int64)j);
		bind_num(s, 3, row[l->src_used + j]);
		bind_num(s, 4, row[l->src_mv + j]);
		if (step(st, s))
			return -1;
	}
	for (size_t j = 0; j < nalloc; j++) {
		const struct res_alloc *a = &alloc[j];
		s = st->st[ST_ALLOC];
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int(s, 2, a->item);
		sqlite3_bind_int(s, 3, a->buyer);
		sqlite3_bind_int(s, 4, a->source);
		sqlite3_bind_int(s, 5, a->year);
		sqlite3_bind_int(s, 6, a->delivery_year);
		bind_num(s, 7, a->units);
		bind_num(s, 8, a->eur);
		if (step(st, s))
			return -1;
	}
	return 0;
}

static void close_db(struct scen_store *st)
{
	for (int i = 0; i < ST__N; i++) {
		sqlite3_finalize(st->st[i]);
		st->st[i] = NULL;
	}
	if (st->db)
		sqlite3_close(st->db);
	st->db = NULL;
}

static void store_free(struct scen_store *st)
{
	free(st->path);
	free(st->final);
	free(st);
}

int scen_store_commit(struct scen_store *st, struct diag_list *dl)
{
	int fd, rc = -1;

	close_db(st);
	fd = open(st->path, O_RDONLY);
	if (fd < 0 || fsync(fd) != 0) {
		diag_error(dl, st->path, 0, 0, NULL, "cannot write: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		goto out;
	}
	close(fd);
	if (rename(st->path, st->final) != 0) {
		diag_error(dl, st->final, 0, 0, NULL, "cannot replace: %s", strerror(errno));
		goto out;
	}
	/* the rename itself must survive a crash (best effort: some file systems refuse to
	 * fsync a directory); no allocation here, the store is already in place */
	{
		char dir[PATH_MAX];
		const char *slash = strrchr(st->final, '/');
		size_t n = slash ? (size_t)(slash - st->final) : 0;
		if (n < sizeof(dir)) {
			memcpy(dir, st->final, n);
			dir[n] = '\0';
			int dfd = open(slash ? (n ? dir : "/") : ".", O_RDONLY);
			if (dfd >= 0) {
				fsync(dfd);
				close(dfd);
			}
		}
	}
	rc = 0;
out:
	if (rc != 0)
		unlink(st->path);
	store_free(st);
	return rc;
}

void scen_store_abort(struct scen_store *st)
{
	if (!st)
		return;
	close_db(st);
	if (st->path)
		unlink(st->path);
	store_free(st);
}

/* Shortest of %.15g, %.16g, %.17g that reads back to the same double. */
static void put_num(FILE *f, double v)
{
	char buf[40];
	if (!isfinite(v))
		return;
	if (v == 0.0)
		v = 0.0;
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, v);
		if (prec == 17 || strtod(buf, NULL) == v)
			break;
	}
	fputs(buf, f);
}

/* RFC 4180 field: quoted only when needed. */
static void put_text(FILE *f, const char *s)
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

int scen_write_csv(FILE *f, const struct scen_result *res, const struct plan *p)
{
	const struct scen_layout *l = &res->lay;

	fputs("id,status,objective,total_spend_eur", f);
	for (size_t c = 0; c < l->ncap; c++) {
		fputs(",shortfall_", f);
		put_text(f, p->capabilities[c].id);
	}
	for (size_t j = 0; j < l->npar; j++) {
		fputs(",param_", f);
		put_text(f, p->uncertainty.params[j].id);
	}
	fputs("\r\n", f);
	for (size_t k = 0; k < res->n; k++) {
		const double *row = res->val + k * l->width;
		fprintf(f, "%zu,%s,", k, scen_status_name(res->rec[k].status));
		put_num(f, row[l->objective]);
		fputc(',', f);
		put_num(f, row[l->total_spend]);
		for (size_t c = 0; c < l->ncap; c++) {
			fputc(',', f);
			put_num(f, row[l->shortfall + c]);
		}
		for (size_t j = 0; j < l->npar; j++) {
			fputc(',', f);
			put_num(f, row[l->param + j]);
		}
		fputs("\r\n", f);
	}
	return ferror(f) ? -1 : 0;
}
