/* test_reports.c - the report writers on a plan, solution and results built by hand: the
 * report.json keys and exact doubles, byte-identical output, CSV quoting, report.md tables,
 * readable money, and atomic replacement when writing fails. */
#define _XOPEN_SOURCE 700 /* nftw */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <ftw.h>
#include <unistd.h>

#include "afile.h"
#include "lp.h"
#include "report.h"

/* ---- a small world ----------------------------------------------------------------------- */

#define OBJ (0.1 + 0.2) /* 0.30000000000000004: must come back bit-identical */

static struct category cats[] = {
    {.id = "air_defence", .name = "Air and missile defence"},
    {.id = "naval", .name = "Naval | surface"},
};
static struct buyer buyers[] = {
    {.id = "pl", .name = "Poland"},
    {.id = "ua", .name = "Ukraine"},
};
static struct funding_source sources[] = {
    {.id = "safe", .name = "SAFE loans"},
    {.id = "national", .name = "National budgets"},
};
static struct item items[] = {
    {.id = "iris_t_slm", .name = "IRIS-T SLM", .category = 0, .lead_time = 1},
    {.id = "Frigate, \"Type 31\"", .name = "Frigate, \"Type 31\"", .category = 1},
};
static struct capability caps[] = {
    {.id = "gbad", .name = "Air defence fire units", .unit = "fire_units"},
    {.id = "brigades", .name = "Ukrainian brigades", .unit = "brigades"},
};
static struct deployment deps[] = {
    {.id = "reassurance", .name = "Reassurance force"},
};

static struct res_alloc allocs[] = {
    {.item = 0,
     .buyer = 0,
     .source = 0,
     .year = 2026,
     .delivery_year = 2027,
     .units = 3,
     .eur = 43.73e9},
    {.item = 1,
     .buyer = 1,
     .source = 1,
     .year = 2027,
     .delivery_year = 2027,
     .units = 0.5,
     .eur = 158e6},
    {.item = 0,
     .buyer = 1,
     .source = 0,
     .year = 2027,
     .delivery_year = 2028,
     .units = 1,
     .eur = 4.4e3},
};
static struct res_funding funds[] = {
    {0, 2026, 100e9, 43.73e9, 0, 56.27e9, 0.25},
    {0, 2027, 50e9, 4.4e3, 56.27e9, 0, 0.0},
    {1, 2026, 10e9, 0, 0, 0, 0},
    {1, 2027, 10e9, 158e6 + 1e9, 0, 0, 1.5},
};
static struct res_req reqs[] = {
    {0, 2026, 10, 10, 0, 0},
    {0, 2027, 20, 15, 5, 1.2e9},
    {1, 2026, 4, 1, 3, 2.5e8},
    {1, 2027, 4, 4, 0, 0},
};
static struct res_force forces[] = {
    {0, 2026, 5000, 5000, 15000, 0, 0.5e9},
    {0, 2027, 5000, 4000, 12000, 1000, 0.5e9},
};
static double brigades[] = {1, 4};

struct world {
	struct plan plan;
	struct solution sol;
	struct results res;
	struct report_ctx rc;
	const char *set[2];
};

static void world_init(struct world *w)
{
	memset(w, 0, sizeof(*w));
	struct plan *p = &w->plan;
	p->file = "plans/test.yaml";
	snprintf(p->sha256, sizeof(p->sha256), "%s",
		 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	p->name = "Test plan";
	p->data_date = "2025-06-30";
	p->start_year = 2026;
	p->end_year = 2027;
	p->nyears = 2;
	p->categories = cats;
	p->ncategories = 2;
	p->buyers = buyers;
	p->nbuyers = 2;
	p->sources = sources;
	p->nsources = 2;
	p->items = items;
	p->nitems = 2;
	p->capabilities = caps;
	p->ncapabilities = 2;
	p->deployments = deps;
	p->ndeployments = 1;
	p->ukraine.enabled = 1;
	p->ukraine.buyer = 1;
	p->ukraine.capability = 1;

	w->sol.status = SOL_OPTIMAL;
	w->sol.objective = OBJ;
	w->sol.has_duals = 1;
	w->sol.iterations = 42;
	w->sol.max_violation = 1e-12;

	struct results *r = &w->res;
	r->status = SOL_OPTIMAL;
	r->objective = OBJ;
	r->purchase_eur = 43.73e9 + 158e6 + 4.4e3;
	r->personnel_eur = 1e9;
	r->total_spend_eur = r->purchase_eur + r->personnel_eur;
	r->alloc = allocs;
	r->nalloc = 3;
	r->fund = funds;
	r->nfund = 4;
	r->req = reqs;
	r->nreq = 4;
	r->force = forces;
	r->nforce = 2;
	r->ukraine_brigades = brigades;

	w->set[0] = "funding.safe.total=120bn";
	w->set[1] = "items.iris_t_slm.unit_cost=158m";
	w->rc = (struct report_ctx){
	    .plan = &w->plan,
	    .sol = &w->sol,
	    .res = &w->res,
	    .command = "solve",
	    .set = w->set,
	    .nset = 2,
	    .seed = 20260101ULL,
	    .threads = 1,
	    .elapsed_s = 1.25,
	    .tool_version = "0.1.0-test",
	};
}

static void fini(void)
{
	lp_thread_done();
}

TestSuite(reports, .fini = fini);

/* ---- helpers ------------------------------------------------------------------------------ */

/* Run a writer into memory; the text is malloc'd. */
static char *render(int (*fn)(FILE *, const struct report_ctx *), const struct report_ctx *rc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_not_null(f);
	cr_assert_eq(fn(f, rc), 0);
	cr_assert_eq(fclose(f), 0);
	return buf;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static char *tmpdir(void)
{
	char tmpl[] = "/tmp/porcupine-reports-XXXXXX";
	char *d = mkdtemp(tmpl);
	cr_assert_not_null(d);
	return strdup(d);
}

static char *path_in(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);
	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

/* Number of entries in dir whose name contains ".tmp." */
static int temp_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	cr_assert_not_null(d);
	while ((e = readdir(d)))
		n += strstr(e->d_name, ".tmp.") != NULL;
	closedir(d);
	return n;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void rm_rf(const char *dir)
{
	cr_expect_eq(nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS), 0, "cannot remove %s", dir);
}

static const char *const outputs[] = {"report.json", "allocation.csv", "requirements.csv",
				      "funding.csv", "report.md"};
#define NOUT (sizeof(outputs) / sizeof(outputs[0]))

/* o at a dotted path such as "solution.allocation.1.item" (numbers index arrays). */
static json_t *get(json_t *o, const char *path)
{
	const char *p = path;

	while (o && *p) {
		char key[64], *end;
		size_t n = strcspn(p, ".");
		snprintf(key, sizeof(key), "%.*s", (int)n, p);
		long idx = strtol(key, &end, 10);
		o = *end == '\0' && json_is_array(o) ? json_array_get(o, (size_t)idx)
						     : json_object_get(o, key);
		p += n + (p[n] == '.');
	}
	cr_assert_not_null(o, "no '%s' in report.json", path);
	return o;
}

static void expect_keys(json_t *o, const char *const *keys, size_t n, const char *where)
{
	size_t k = 0;
	const char *key;
	json_t *v;

	cr_assert(json_is_object(o), "%s is not an object", where);
	json_object_foreach(o, key, v)
	{
		(void)v;
		cr_assert_lt(k, n, "%s: unexpected key '%s'", where, key);
		cr_expect_str_eq(key, keys[k], "%s: key %zu is '%s', want '%s'", where, k, key,
				 keys[k]);
		k++;
	}
	cr_expect_eq(k, n, "%s: %zu keys, want %zu", where, k, n);
}

#define KEYS(o, where, ...)                                                                        \
	do {                                                                                       \
		static const char *const k_[] = {__VA_ARGS__};                                     \
		expect_keys((o), k_, sizeof(k_) / sizeof(k_[0]), (where));                         \
	} while (0)

static double real(json_t *root, const char *path)
{
	json_t *v = get(root, path);
	cr_assert(json_is_number(v), "'%s' is not a number", path);
	return json_number_value(v);
}

/* ---- report.json ---------------------------------------------------------------------------- */

Test(reports, json_keys_in_order_and_values_exact)
{
	struct world w;
	json_error_t err;

	world_init(&w);
	char *text = render(report_json, &w.rc);
	json_t *root = json_loads(text, 0, &err);
	cr_assert_not_null(root, "report.json does not parse: %s (line %d)", err.text, err.line);

	KEYS(root, "top level", "schema", "tool", "plan", "run", "solution", "warnings");
	KEYS(get(root, "tool"), "tool", "name", "version", "glpk");
	KEYS(get(root, "plan"), "plan", "name", "sha256", "source", "data_date", "description",
	     "horizon", "names", "sources", "parameters");
	cr_expect_eq(json_integer_value(get(root, "plan.horizon.end")), 2027);
	cr_expect_str_eq(json_string_value(get(root, "plan.names.categories.naval")),
			 "Naval | surface");
	cr_expect_eq(json_array_size(get(root, "plan.sources")), 0, "the test plan cites none");
	json_t *pars = get(root, "plan.parameters");
	cr_expect(json_is_number(json_object_get(pars, "discount_rate")));
	cr_expect_eq(json_array_size(json_object_get(pars, "items.iris_t_slm.capacity")), 2,
		     "a year series: one value per horizon year");
	KEYS(get(root, "run"), "run", "command", "seed", "threads", "scenarios", "set",
	     "elapsed_s");
	KEYS(get(root, "solution"), "solution", "status", "message", "objective", "total_spend_eur",
	     "purchase_eur", "personnel_eur", "mip_gap", "iterations", "recheck", "funding",
	     "allocation", "requirements", "forces", "ukraine");
	KEYS(get(root, "solution.recheck"), "recheck", "max_violation", "ok");
	KEYS(get(root, "solution.funding.0"), "funding", "source", "year", "available_eur",
	     "used_eur", "carry_in_eur", "carry_out_eur", "marginal_value");
	KEYS(get(root, "solution.allocation.0"), "allocation", "item", "category", "buyer",
	     "source", "year", "delivery_year", "units", "eur");
	KEYS(get(root, "solution.requirements.0"), "requirements", "capability", "unit", "year",
	     "target", "achieved", "shortfall", "shadow_price");
	KEYS(get(root, "solution.forces.0"), "forces", "deployment", "year", "target", "deployed",
	     "committed", "shortfall", "cost_eur");
	KEYS(get(root, "solution.ukraine"), "ukraine", "enabled", "buyer", "capability",
	     "brigades");

	cr_expect_str_eq(json_string_value(get(root, "schema")), "porcupine.report/1");
	cr_expect_str_eq(json_string_value(get(root, "tool.name")), "porcupine");
	cr_expect_str_eq(json_string_value(get(root, "tool.version")), "0.1.0-test");
	cr_expect_str_eq(json_string_value(get(root, "tool.glpk")), lp_solver_version());
	cr_expect_str_eq(json_string_value(get(root, "plan.name")), "Test plan");
	cr_expect_str_eq(json_string_value(get(root, "plan.source")), "plans/test.yaml");
	cr_expect_str_eq(json_string_value(get(root, "plan.sha256")), w.plan.sha256);
	cr_expect_str_eq(json_string_value(get(root, "plan.data_date")), "2025-06-30");
	cr_expect_str_eq(json_string_value(get(root, "run.command")), "solve");
	cr_expect_eq(json_integer_value(get(root, "run.seed")), 20260101);
	cr_expect_eq(json_integer_value(get(root, "run.threads")), 1);
	cr_expect_str_eq(json_string_value(get(root, "run.set.1")),
			 "items.iris_t_slm.unit_cost=158m");
	cr_expect_eq(real(root, "run.elapsed_s"), 1.25);

	/* Doubles must come back bit-identical. */
	double obj = real(root, "solution.objective");
	cr_expect_eq(memcmp(&obj, &(double){OBJ}, sizeof(obj)), 0, "objective %.17g", obj);
	cr_expect_eq(real(root, "solution.total_spend_eur"), w.res.total_spend_eur);
	cr_expect_str_eq(json_string_value(get(root, "solution.status")), "optimal");
	cr_expect(json_is_null(get(root, "solution.message")));
	cr_expect_eq(json_integer_value(get(root, "solution.iterations")), 42);
	cr_expect(json_is_true(get(root, "solution.recheck.ok")));

	cr_expect_eq(json_array_size(get(root, "solution.allocation")), 3);
	cr_expect_str_eq(json_string_value(get(root, "solution.allocation.1.item")),
			 "Frigate, \"Type 31\"");
	cr_expect_str_eq(json_string_value(get(root, "solution.allocation.1.category")), "naval");
	cr_expect_str_eq(json_string_value(get(root, "solution.allocation.1.buyer")), "ua");
	cr_expect_str_eq(json_string_value(get(root, "solution.allocation.1.source")), "national");
	cr_expect_eq(json_integer_value(get(root, "solution.allocation.0.delivery_year")), 2027);
	cr_expect_eq(real(root, "solution.allocation.0.eur"), 43.73e9);
	cr_expect_eq(real(root, "solution.allocation.1.units"), 0.5);

	cr_expect_eq(json_array_size(get(root, "solution.funding")), 4);
	cr_expect_str_eq(json_string_value(get(root, "solution.funding.3.source")), "national");
	cr_expect_eq(real(root, "solution.funding.3.used_eur"), 158e6 + 1e9);
	cr_expect_eq(real(root, "solution.funding.0.marginal_value"), 0.25);
	cr_expect_eq(real(root, "solution.funding.1.carry_in_eur"), 56.27e9);

	cr_expect_str_eq(json_string_value(get(root, "solution.requirements.1.capability")),
			 "gbad");
	cr_expect_str_eq(json_string_value(get(root, "solution.requirements.1.unit")),
			 "fire_units");
	cr_expect_eq(real(root, "solution.requirements.1.shortfall"), 5);
	cr_expect_eq(real(root, "solution.requirements.1.shadow_price"), 1.2e9);

	cr_expect_str_eq(json_string_value(get(root, "solution.forces.1.deployment")),
			 "reassurance");
	cr_expect_eq(real(root, "solution.forces.1.shortfall"), 1000);
	cr_expect(json_is_true(get(root, "solution.ukraine.enabled")));
	cr_expect_str_eq(json_string_value(get(root, "solution.ukraine.buyer")), "ua");
	cr_expect_eq(real(root, "solution.ukraine.brigades.1.equipped"), 4);
	cr_expect_eq(json_integer_value(get(root, "solution.ukraine.brigades.1.year")), 2027);

	cr_expect_eq(json_array_size(get(root, "warnings")), 0);
	json_decref(root);
	free(text);
}

/* Awkward doubles survive the trip through text. */
Test(reports, json_doubles_round_trip)
{
	static const double v[] = {0.1 + 0.2, 9007199254740993.0,     1e-300, 43.73e9 / 3,
				   5e-324,    1.7976931348623157e308, -0.0};
	struct world w;
	json_error_t err;

	world_init(&w);
	for (size_t k = 0; k < sizeof(v) / sizeof(v[0]); k++) {
		w.res.objective = v[k];
		char *text = render(report_json, &w.rc);
		json_t *root = json_loads(text, 0, &err);
		cr_assert_not_null(root, "%s", err.text);
		double got = real(root, "solution.objective");
		double want = v[k] == 0 ? 0.0 : v[k]; /* -0 is written as 0 */
		cr_expect_eq(memcmp(&got, &want, sizeof(got)), 0, "%.17g came back as %.17g", want,
			     got);
		json_decref(root);
		free(text);
	}
}

Test(reports, json_non_finite_written_as_null_with_reason)
{
	struct world w;
	json_error_t err;

	world_init(&w);
	w.res.objective = NAN;
	w.res.req[2].achieved = INFINITY;
	char *text = render(report_json, &w.rc);
	reqs[2].achieved = 1;
	cr_expect_null(strstr(text, ": nan"));
	cr_expect_null(strstr(text, ": inf"));
	cr_expect_null(strstr(text, "NaN"));
	cr_expect_null(strstr(text, "Infinity"));
	json_t *root = json_loads(text, 0, &err);
	cr_assert_not_null(root, "%s", err.text);
	cr_expect(json_is_null(get(root, "solution.objective")));
	cr_expect(json_is_null(get(root, "solution.requirements.2.achieved")));
	json_t *warn = get(root, "warnings");
	cr_assert_eq(json_array_size(warn), 2);
	cr_expect_not_null(strstr(json_string_value(json_array_get(warn, 0)),
				  "solution.objective: not a finite number (nan)"));
	cr_expect_not_null(strstr(json_string_value(json_array_get(warn, 1)),
				  "solution.requirements[2].achieved"));
	json_decref(root);
	free(text);
}

Test(reports, json_without_duals_has_null_prices)
{
	struct world w;
	json_error_t err;

	world_init(&w);
	w.sol.has_duals = 0;
	char *text = render(report_json, &w.rc);
	json_t *root = json_loads(text, 0, &err);
	cr_assert_not_null(root);
	cr_expect(json_is_null(get(root, "solution.requirements.1.shadow_price")));
	cr_expect(json_is_null(get(root, "solution.funding.0.marginal_value")));
	cr_expect_eq(json_array_size(get(root, "warnings")), 1);
	json_decref(root);
	free(text);
}

Test(reports, json_unknown_index_is_null_not_a_crash)
{
	struct world w;
	json_error_t err;
	struct res_alloc bad = allocs[0];

	world_init(&w);
	bad.item = 99;
	bad.buyer = -1;
	w.res.alloc = &bad;
	w.res.nalloc = 1;
	char *text = render(report_json, &w.rc);
	json_t *root = json_loads(text, 0, &err);
	cr_assert_not_null(root);
	cr_expect(json_is_null(get(root, "solution.allocation.0.item")));
	cr_expect(json_is_null(get(root, "solution.allocation.0.category")));
	cr_expect(json_is_null(get(root, "solution.allocation.0.buyer")));
	cr_expect_eq(json_array_size(get(root, "warnings")), 3);
	json_decref(root);
	free(text);
}

/* ---- CSV ------------------------------------------------------------------------------------ */

Test(reports, csv_quoting_and_content)
{
	struct world w;

	world_init(&w);
	char *a = render(report_csv_allocation, &w.rc);
	cr_expect_str_eq(a, "item,category,buyer,source,year,delivery_year,units,eur\r\n"
			    "iris_t_slm,air_defence,pl,safe,2026,2027,3,43730000000\r\n"
			    "\"Frigate, \"\"Type 31\"\"\",naval,ua,national,2027,2027,0.5,"
			    "158000000\r\n"
			    "iris_t_slm,air_defence,ua,safe,2027,2028,1,4400\r\n");
	free(a);

	char *q = render(report_csv_requirements, &w.rc);
	cr_expect_eq(strncmp(q,
			     "capability,unit,year,target,achieved,shortfall,shadow_price\r\n"
			     "gbad,fire_units,2026,10,10,0,0\r\n"
			     "gbad,fire_units,2027,20,15,5,1200000000\r\n",
			     100),
		     0, "%s", q);
	free(q);

	w.res.fund[0].marginal_value = 0.1 + 0.2;
	char *f = render(report_csv_funding, &w.rc);
	funds[0].marginal_value = 0.25;
	cr_expect_not_null(strstr(f, "source,year,available_eur,used_eur,carry_in_eur,"
				     "carry_out_eur,marginal_value\r\n"
				     "safe,2026,100000000000,43730000000,0,56270000000,"
				     "0.30000000000000004\r\n"),
			   "%s", f);
	free(f);

	/* Non-finite numbers and missing duals are empty fields. */
	w.sol.has_duals = 0;
	reqs[0].target = NAN;
	q = render(report_csv_requirements, &w.rc);
	reqs[0].target = 10;
	cr_expect_not_null(strstr(q, "gbad,fire_units,2026,,10,0,\r\n"), "%s", q);
	free(q);
}

/* ---- report.md ------------------------------------------------------------------------------ */

Test(reports, markdown_tables)
{
	struct world w;

	world_init(&w);
	char *md = render(report_markdown, &w.rc);
	static const char *const want[] = {
	    "# Test plan: allocation (optimal)\n",
	    "Data as of 2025-06-30.",
	    "## Key figures\n",
	    "| Total spend | EUR 44.9bn |",
	    "## Money by source and year\n",
	    "| Source | Year | Available | Used | Used share | Carried over | Value of one more "
	    "EUR |",
	    "| safe | 2026 | EUR 100bn | EUR 43.7bn | 44% | EUR 56.3bn | 0.25 |",
	    "| **safe total** | | EUR 150bn | EUR 43.7bn | 29% | | |",
	    "## Spend by category\n",
	    "| Air and missile defence | EUR 43.7bn | 97% |",
	    "| Naval \\| surface | EUR 158m | 0.4% |",
	    "| Personnel (deployed forces) | EUR 1bn | 2.2% |",
	    "## Shortfalls\n",
	    "| Ukrainian brigades | 2026 | 4 | 1 | 3 brigades | 75% | EUR 250m |",
	    "| Air defence fire units | 2027 | 20 | 15 | 5 fire_units | 25% | EUR 1.2bn |",
	    "## Ten largest purchases\n",
	    "| IRIS-T SLM | pl | safe | 2026 | 2027 | 3 | EUR 43.7bn |",
	    "| Frigate, \"Type 31\" | ua | national | 2027 | 2027 | 0.5 | EUR 158m |",
	    "| IRIS-T SLM | ua | safe | 2027 | 2028 | 1 | EUR 4.4k |",
	};
	for (size_t k = 0; k < sizeof(want) / sizeof(want[0]); k++)
		cr_expect_not_null(strstr(md, want[k]), "report.md lacks '%s':\n%s", want[k], md);
	/* largest share first */
	cr_expect_lt(strstr(md, "| Ukrainian brigades | 2026"),
		     strstr(md, "| Air defence fire units | 2027"));
	free(md);
}

Test(reports, summary)
{
	struct world w;
	char *buf = NULL;
	size_t len = 0;

	world_init(&w);
	FILE *f = open_memstream(&buf, &len);
	report_print_summary(f, &w.rc);
	fclose(f);
	cr_expect_not_null(strstr(buf, "Test plan (data 2025-06-30)"), "%s", buf);
	cr_expect_not_null(strstr(buf, "status     optimal"), "%s", buf);
	cr_expect_not_null(strstr(buf, "spend      EUR 44.9bn (purchases EUR 43.9bn, personnel "
				       "EUR 1bn)"),
			   "%s", buf);
	cr_expect_not_null(strstr(buf, "safe"), "%s", buf);
	cr_expect_not_null(strstr(buf, "EUR 150bn"), "%s", buf);
	cr_expect_not_null(strstr(buf, "brigades"), "%s", buf);
	cr_expect_not_null(strstr(buf, "EUR 1.2bn"), "%s", buf);
	free(buf);
}

/* No pointers: Criterion copies parameters into the test's own process. */
struct money_case {
	double eur;
	char want[24];
};

ParameterizedTestParameters(reports, money)
{
	static struct money_case cases[] = {
	    {43.73e9, "EUR 43.7bn"},
	    {158e6, "EUR 158m"},
	    {4.4e3, "EUR 4.4k"},
	    {950, "EUR 950"},
	    {150e9, "EUR 150bn"},
	    {1.5e9, "EUR 1.5bn"},
	    {999.96e6, "EUR 1bn"},
	    {-1.25e6, "EUR -1.25m"},
	    {0, "EUR 0"},
	    {-0.2, "EUR 0"},
	    {1234e9, "EUR 1234bn"},
	    {12.34e6, "EUR 12.3m"},
	    {NAN, "n/a"},
	};
	return cr_make_param_array(struct money_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct money_case *c, reports, money)
{
	char buf[48];
	report_fmt_money(buf, sizeof(buf), c->eur);
	cr_expect_str_eq(buf, c->want, "%.17g", c->eur);
}

/* ---- files: stability and atomicity -----------------------------------------------------------
 */

Test(reports, byte_identical_across_runs)
{
	struct world w;
	char *d1 = tmpdir(), *d2 = tmpdir();
	struct diag_list dl;

	diag_list_init(&dl);
	world_init(&w);
	char *sub = path_in(d1, "nested/out");
	cr_assert_eq(report_write_solve(sub, &w.rc, &dl), 0);
	cr_assert_eq(report_write_solve(d2, &w.rc, &dl), 0);
	for (size_t k = 0; k < NOUT; k++) {
		char *p1 = path_in(sub, outputs[k]), *p2 = path_in(d2, outputs[k]);
		char *a = slurp(p1), *b = slurp(p2);
		cr_assert_not_null(a, "%s missing", p1);
		cr_assert_not_null(b, "%s missing", p2);
		cr_expect_str_eq(a, b, "%s differs between two runs", outputs[k]);
		free(a);
		free(b);
		free(p1);
		free(p2);
	}
	/* Only run.elapsed_s may differ. */
	w.rc.elapsed_s = 99.5;
	cr_assert_eq(report_write_solve(d2, &w.rc, &dl), 0);
	char *p1 = path_in(sub, "report.json"), *p2 = path_in(d2, "report.json");
	char *a = slurp(p1), *b = slurp(p2);
	char *ea = strstr(a, "\"elapsed_s\""), *eb = strstr(b, "\"elapsed_s\"");
	cr_assert(ea && eb);
	cr_expect_eq(ea - a, eb - b);
	cr_expect_eq(strncmp(a, b, (size_t)(ea - a)), 0);
	cr_expect_str_eq(strchr(ea, '\n'), strchr(eb, '\n'));
	cr_expect_eq(temp_files(sub), 0);
	cr_expect_eq(dl.nerrors, 0);
	free(a);
	free(b);
	free(p1);
	free(p2);
	free(sub);
	rm_rf(d1);
	rm_rf(d2);
	free(d1);
	free(d2);
	diag_list_release(&dl);
}

/* Snapshot of every output in dir, to compare after a failed write. */
static void snapshot(const char *dir, char *snap[NOUT])
{
	for (size_t k = 0; k < NOUT; k++) {
		char *p = path_in(dir, outputs[k]);
		snap[k] = slurp(p);
		free(p);
	}
}

static void expect_unchanged(const char *dir, char *const before[NOUT])
{
	char *now[NOUT];
	snapshot(dir, now);
	for (size_t k = 0; k < NOUT; k++) {
		if (!before[k])
			cr_expect_null(now[k], "%s appeared", outputs[k]);
		else
			cr_expect(now[k] && !strcmp(before[k], now[k]), "%s changed", outputs[k]);
		free(now[k]);
	}
	cr_expect_eq(temp_files(dir), 0, "temporary files left in %s", dir);
}

/* Writes that fail part-way (here: the file-size limit, which binds root too) must leave
 * the previous reports exactly as they were and no temporary file behind. */
Test(reports, write_failure_keeps_previous_files)
{
	struct world w;
	char *dir = tmpdir(), *before[NOUT];
	struct diag_list dl;
	struct rlimit old, lim;

	diag_list_init(&dl);
	world_init(&w);
	cr_assert_eq(report_write_solve(dir, &w.rc, &dl), 0);
	snapshot(dir, before);

	w.res.objective = 12345.0; /* new content that must not appear */
	signal(SIGXFSZ, SIG_IGN);
	cr_assert_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
	/* Caps below the size of report.json, the first file written. */
	for (rlim_t cap = 64; cap <= 1024; cap *= 4) {
		lim = old;
		lim.rlim_cur = cap;
		cr_assert_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
		int rc = report_write_solve(dir, &w.rc, &dl);
		cr_assert_eq(setrlimit(RLIMIT_FSIZE, &old), 0);
		cr_expect_eq(rc, -1, "write succeeded despite a %lu-byte file limit",
			     (unsigned long)cap);
		cr_expect_gt(dl.nerrors, 0);
		expect_unchanged(dir, before);
	}
	cr_expect_not_null(strstr(dl.v[0].message, "cannot write"), "%s", dl.v[0].message);
	for (size_t k = 0; k < NOUT; k++)
		free(before[k]);
	rm_rf(dir);
	free(dir);
	diag_list_release(&dl);
}

/* A target that cannot be replaced (a directory in the way of report.json): nothing is
 * replaced, every temporary file is removed. */
Test(reports, rename_failure_replaces_nothing)
{
	struct world w;
	char *dir = tmpdir();
	struct diag_list dl;

	diag_list_init(&dl);
	world_init(&w);
	char *blocker = path_in(dir, "report.json");
	cr_assert_eq(mkdir(blocker, 0777), 0);
	char *inner = path_in(blocker, "keep");
	FILE *f = fopen(inner, "w");
	cr_assert_not_null(f);
	fclose(f);
	cr_expect_eq(report_write_solve(dir, &w.rc, &dl), -1);
	cr_expect_gt(dl.nerrors, 0);
	for (size_t k = 1; k < NOUT; k++) {
		char *p = path_in(dir, outputs[k]);
		cr_expect_neq(access(p, F_OK), 0, "%s was written although report.json failed",
			      outputs[k]);
		free(p);
	}
	cr_expect_eq(temp_files(dir), 0);
	cr_expect_eq(access(inner, F_OK), 0);
	free(inner);
	free(blocker);
	rm_rf(dir);
	free(dir);
	diag_list_release(&dl);
}

/* -o pointing below a regular file: a diagnostic, not a crash, and nothing created. */
Test(reports, output_dir_under_a_file)
{
	struct world w;
	char *dir = tmpdir();
	struct diag_list dl;

	diag_list_init(&dl);
	world_init(&w);
	char *file = path_in(dir, "plain");
	FILE *f = fopen(file, "w");
	cr_assert_not_null(f);
	fclose(f);
	char *out = path_in(file, "out");
	cr_expect_eq(report_write_solve(out, &w.rc, &dl), -1);
	cr_assert_eq(dl.nerrors, 1);
	cr_expect_not_null(strstr(dl.v[0].message, "cannot create the output directory"));
	cr_expect_str_eq(dl.v[0].file, out);
	free(out);
	free(file);
	rm_rf(dir);
	free(dir);
	diag_list_release(&dl);
}

/* Permissions only bind unprivileged users; CI may run as root. */
Test(reports, read_only_dir)
{
	struct world w;
	char *dir, *before[NOUT];
	struct diag_list dl;

	if (geteuid() == 0)
		cr_skip_test("running as root: directory permissions do not apply");
	dir = tmpdir();
	diag_list_init(&dl);
	world_init(&w);
	cr_assert_eq(report_write_solve(dir, &w.rc, &dl), 0);
	snapshot(dir, before);
	cr_assert_eq(chmod(dir, 0555), 0);
	w.res.objective = 1;
	cr_expect_eq(report_write_solve(dir, &w.rc, &dl), -1);
	chmod(dir, 0755);
	expect_unchanged(dir, before);
	for (size_t k = 0; k < NOUT; k++)
		free(before[k]);
	rm_rf(dir);
	free(dir);
	diag_list_release(&dl);
}

Test(reports, afile_basics)
{
	char *dir = tmpdir();
	char *deep = path_in(dir, "a/b//c/");
	char *target = path_in(dir, "a/b/c/x.txt");
	struct afile af;

	cr_assert_eq(afile_mkdirs(deep), 0);
	cr_assert_eq(afile_mkdirs(deep), 0, "existing directory is not an error");

	cr_assert_eq(afile_open(&af, target), 0);
	fputs("first\n", af.f);
	cr_assert_eq(afile_commit(&af), 0);
	char *t = slurp(target);
	cr_expect_str_eq(t, "first\n");
	free(t);

	cr_assert_eq(afile_open(&af, target), 0);
	fputs("second\n", af.f);
	afile_abort(&af);
	t = slurp(target);
	cr_expect_str_eq(t, "first\n");
	free(t);

	char *c = path_in(dir, "a/b/c");
	cr_expect_eq(temp_files(c), 0);
	free(c);

	struct stat st;
	cr_assert_eq(stat(target, &st), 0);
	cr_expect_neq(st.st_mode & 0044, 0, "final file is not readable by others: %o",
		      st.st_mode & 0777);
	afile_abort(&af); /* released twice: harmless */
	free(deep);
	free(target);
	rm_rf(dir);
	free(dir);
}
