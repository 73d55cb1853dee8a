/* schema.c - the plan schema table, its record checks, and the reference generator. */
#include "schema.h"

#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bind.h"
#include "names.h"
#include "params.h"

#define AT(T, f)    .off = offsetof(T, f)
#define COUNT(T, f) .count_off = offsetof(T, f)
#define NFIELDS(a)  (sizeof(a) / sizeof((a)[0]))
/* Largest seed read exactly: seeds pass through a double, and every whole number above
 * 2^53 - 1 would round to a neighbour (2^53 + 1 reads as 2^53, silently another seed). */
#define SEED_MAX 9007199254740991.0

/* Most correlated parameters whose matrix is checked (the check is cubic in this). */
#define SCHEMA_MAX_CORRELATED 500

static const char *const source_kinds[] = {"loan", "budget", "grant", NULL};
static const char *const buyer_kinds[] = {"member_state", "eea", "partner", "group", NULL};
static const char *const objectives[] = {"cost", "capability", NULL};
static const char *const dists[] = {"triangular", "pert",     "uniform",   "normal",
				    "lognormal",  "discrete", "bernoulli", NULL};
static const char *const applies[] = {"set", "scale", NULL};

/* ---- record checks -------------------------------------------------------------------- */

static const struct ynode *value_of(const struct ynode *map, const char *key)
{
	const struct ypair *kv = ynode_find(map, key);

	return kv ? kv->value : NULL;
}

static const struct ynode *key_of(const struct ynode *map, const char *key)
{
	const struct ypair *kv = ynode_find(map, key);

	return kv ? kv->key : NULL;
}

/* YYYY-MM-DD with a plausible month and day. */
static int is_date(const char *d)
{
	int i, month, day;

	if (strlen(d) != 10)
		return 0;
	for (i = 0; i < 10; i++)
		if ((i == 4 || i == 7) ? d[i] != '-' : !(d[i] >= '0' && d[i] <= '9'))
			return 0;
	month = (d[5] - '0') * 10 + (d[6] - '0');
	day = (d[8] - '0') * 10 + (d[9] - '0');
	return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

static void check_top(struct bind *b, void *rec, const struct ynode *map)
{
	struct plan *p = rec;

	if (p->currency && strcmp(p->currency, "EUR") != 0)
		bind_error(b, value_of(map, "currency"),
			   "unsupported currency '%s' (plans are in EUR)", p->currency);
	if (p->data_date && !is_date(p->data_date))
		bind_error(b, value_of(map, "data_date"),
			   "'data_date' must be a date written YYYY-MM-DD (got '%s')",
			   p->data_date);
}

static void check_horizon(struct bind *b, void *rec, const struct ynode *map)
{
	struct plan *p = rec;
	const struct ynode *end = value_of(map, "end");
	int years;

	p->nyears = 0;
	if (!p->start_year || !p->end_year || !end)
		return; /* missing or invalid: already reported */
	if (p->end_year < p->start_year) {
		bind_error(b, end, "horizon end %d is before its start %d", p->end_year,
			   p->start_year);
		return;
	}
	years = p->end_year - p->start_year + 1;
	if (years > PLAN_MAX_YEARS) {
		bind_error(b, end, "a horizon of %d years is longer than %d", years,
			   PLAN_MAX_YEARS);
		return;
	}
	p->nyears = years;
}

static double alloc_sum(const struct funding_source *s)
{
	double sum = 0;
	size_t i;

	for (i = 0; i < s->nallocations; i++)
		sum += s->allocations[i].amount;
	return sum;
}

static int in_list(const int *v, size_t n, int x)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] == x)
			return 1;
	return 0;
}

/* After references are known: who may draw on a source, and which categories it funds. */
static void resolve_source(struct bind *b, void *rec, const struct ynode *map)
{
	struct funding_source *s = rec;
	struct plan *p = bind_target(b);
	const struct ynode *bnode = value_of(map, "buyers");
	int borrowers = bnode && bnode->kind == YNODE_SCALAR;
	int *v;
	size_t i, n = 0;

	if (borrowers && s->nallocations == 0) {
		bind_error(b, bnode,
			   "'borrowers' means the buyers with an allocation, but '%s' has no "
			   "'allocations'",
			   s->id);
		return;
	}
	for (i = 0; i < s->nallocations; i++) {
		const struct allocation *a = &s->allocations[i];

		if (a->buyer < 0)
			continue;
		if (s->nbuyers > 0 && !in_list(s->buyers, s->nbuyers, a->buyer))
			bind_error_loc(b, &a->loc,
				       "allocation for '%s', which is not among the buyers of '%s'",
				       p->buyers[a->buyer].id, s->id);
		else if (s->kind == SOURCE_LOAN && p->buyers[a->buyer].kind == BUYER_PARTNER)
			bind_error_loc(b, &a->loc, "'%s' is a partner and cannot borrow from '%s'",
				       p->buyers[a->buyer].id, s->id);
	}
	if (s->kind == SOURCE_LOAN && bnode && bnode->kind == YNODE_SEQ) {
		for (i = 0; i < s->nbuyers && i < bnode->len; i++)
			if (s->buyers[i] >= 0 && p->buyers[s->buyers[i]].kind == BUYER_PARTNER)
				bind_error(b, bnode->items[i],
					   "'%s' is a partner and cannot borrow from '%s'",
					   p->buyers[s->buyers[i]].id, s->id);
	}
	/* Effective list: given (or every buyer able to take this kind of money), then
	 * narrowed to those with an allocation when there are allocations. */
	v = bind_alloc(b, p->nbuyers, sizeof(*v));
	if (!v)
		return;
	for (i = 0; i < p->nbuyers; i++) {
		int ok;

		if (s->nbuyers > 0)
			ok = in_list(s->buyers, s->nbuyers, (int)i);
		else
			ok = borrowers || s->kind != SOURCE_LOAN ||
			     p->buyers[i].kind != BUYER_PARTNER;
		if (ok && s->nallocations > 0) {
			size_t k;

			ok = 0;
			for (k = 0; k < s->nallocations; k++)
				if (s->allocations[k].buyer == (int)i)
					ok = 1;
		}
		if (ok)
			v[n++] = (int)i;
	}
	s->buyers = v;
	s->nbuyers = n;
	if (s->ncategories == 0) {
		v = bind_alloc(b, p->ncategories, sizeof(*v));
		if (!v)
			return;
		for (i = 0; i < p->ncategories; i++)
			v[i] = (int)i;
		s->categories = v;
		s->ncategories = p->ncategories;
	} else {
		for (i = n = 0; i < s->ncategories; i++)
			if (s->categories[i] >= 0)
				s->categories[n++] = s->categories[i];
		s->ncategories = n;
	}
}

static void check_source(struct bind *b, void *rec, const struct ynode *map)
{
	static const char *const loan_only[] = {"interest_rate", "grace_years", "maturity_years"};
	struct funding_source *s = rec;
	struct plan *p = bind_target(b);
	const struct ynode *n;
	size_t i;

	if (s->kind != SOURCE_LOAN) {
		for (i = 0; i < NFIELDS(loan_only); i++)
			if ((n = key_of(map, loan_only[i])))
				bind_warning(b, n,
					     "'%s' applies to loans only; ignored for %s '%s'",
					     loan_only[i], source_kinds[s->kind], s->id);
	} else if (!bind_record_clean(b)) {
		/* cross checks only between values that were read */
	} else if (s->maturity_years == 0 && (n = key_of(map, "interest_rate"))) {
		bind_error(b, n, "loan '%s' has an 'interest_rate' but no 'maturity_years'", s->id);
	} else if (s->maturity_years > 0 && !ynode_find(map, "interest_rate") &&
		   (n = key_of(map, "maturity_years"))) {
		bind_error(b, n, "loan '%s' has 'maturity_years' but no 'interest_rate'", s->id);
	} else if (s->maturity_years > 0 && s->grace_years >= s->maturity_years &&
		   (n = value_of(map, "grace_years"))) {
		bind_error(b, n, "'grace_years' (%d) must be less than 'maturity_years' (%d)",
			   s->grace_years, s->maturity_years);
	}
	if (s->total >= 0 && alloc_sum(s) > s->total * (1 + 1e-12) &&
	    (n = key_of(map, "allocations"))) {
		char sum[32], total[32];

		money_format(sum, sizeof(sum), alloc_sum(s));
		money_format(total, sizeof(total), s->total);
		bind_warning(b, n, "allocations of '%s' add up to %s, more than its total of %s",
			     s->id, sum, total);
	}
	if (s->rules.disbursement_until && p->nyears &&
	    s->rules.disbursement_until < p->start_year &&
	    (n = value_of(value_of(map, "rules"), "disbursement_until")))
		bind_warning(b, n, "'disbursement_until' %d is before the horizon starts (%d)",
			     s->rules.disbursement_until, p->start_year);
	bind_later(b, resolve_source, s, map);
}

static void check_air_defence(struct bind *b, void *rec, const struct ynode *map)
{
	struct air_defence *a = rec;

	if (!ynode_find(map, "fire_unit_capability") && !ynode_find(map, "interceptor_capability"))
		bind_error_loc(b, &a->loc,
			       "'air_defence' needs 'fire_unit_capability' or "
			       "'interceptor_capability'");
}

/* Which of a/b/c a distribution parameter is stored in, or -1 if it does not apply. */
static int dist_slot(enum dist_kind d, const char *key)
{
	switch (d) {
	case DIST_TRIANGULAR:
	case DIST_PERT:
		return strcmp(key, "min") == 0	  ? 0
		       : strcmp(key, "mode") == 0 ? 1
		       : strcmp(key, "max") == 0  ? 2
						  : -1;
	case DIST_UNIFORM:
		return strcmp(key, "min") == 0 ? 0 : strcmp(key, "max") == 0 ? 1 : -1;
	case DIST_NORMAL:
	case DIST_LOGNORMAL:
		return strcmp(key, "mean") == 0 ? 0 : strcmp(key, "sd") == 0 ? 1 : -1;
	case DIST_BERNOULLI:
		return strcmp(key, "p") == 0 ? 0 : -1;
	case DIST_DISCRETE:
		break;
	}
	return -1;
}

/* The distribution named in a parameter's mapping, or -1 when missing or unknown. */
static int dist_of(const struct ynode *map)
{
	const struct ynode *d = value_of(map, "dist");
	int i;

	if (!d || d->kind != YNODE_SCALAR)
		return -1;
	for (i = 0; dists[i]; i++)
		if (strcmp(d->text, dists[i]) == 0)
			return i;
	return -1;
}

static void set_dist_param(struct bind *b, void *rec, const struct schema_field *f, double v,
			   const struct ynode *map, const struct ynode *key)
{
	struct uparam *u = rec;
	int d = dist_of(map), slot;

	if (d < 0)
		return; /* the distribution itself is wrong or missing: reported there */
	slot = dist_slot((enum dist_kind)d, f->key);
	if (slot < 0) {
		bind_error(b, key, "'%s' does not apply to a %s distribution", f->key, dists[d]);
		return;
	}
	(slot == 0 ? &u->a : slot == 1 ? &u->b : &u->c)[0] = v;
}

static void check_uparam_path(struct bind *b, void *rec, const struct ynode *node)
{
	struct uparam *u = rec;
	struct param_slot *slots = NULL;
	size_t n = 0;
	struct diag_list quiet = DIAG_LIST_INIT;
	const struct diag *d;
	int rc;

	/* Resolve into a private list so the message can be placed with this load's rules. */
	rc = params_resolve(&slots, &n, bind_target(b), u->path, &quiet, bind_file(b), node->line,
			    node->col);
	free(slots);
	if (rc == PLAN_ENOMEM) {
		bind_oom(b);
	} else if (rc != PLAN_OK) {
		d = quiet.n ? &quiet.v[0] : NULL;
		bind_error(b, node, "%s", d ? d->message : "invalid parameter path");
	}
	diag_list_release(&quiet);
}

static void check_uparam(struct bind *b, void *rec, const struct ynode *map)
{
	static const char *const need[][3] = {
	    [DIST_TRIANGULAR] = {"min", "mode", "max"}, [DIST_PERT] = {"min", "mode", "max"},
	    [DIST_UNIFORM] = {"min", "max", NULL},	[DIST_NORMAL] = {"mean", "sd", NULL},
	    [DIST_LOGNORMAL] = {"mean", "sd", NULL},	[DIST_DISCRETE] = {"values", NULL, NULL},
	    [DIST_BERNOULLI] = {"p", NULL, NULL}};
	struct uparam *u = rec;
	int d = dist_of(map), missing = 0;
	const struct ynode *n;
	size_t i;
	double sum = 0, top = 0;

	if (u->path && (n = value_of(map, "path")))
		bind_later(b, check_uparam_path, u, n);
	if (d < 0)
		return;
	for (i = 0; i < 3 && need[d][i]; i++) {
		if (!ynode_find(map, need[d][i])) {
			bind_error_loc(b, &u->loc,
				       "missing required key '%s' for a %s distribution %s",
				       need[d][i], dists[d], bind_where(b));
			missing = 1;
		}
	}
	if (d != DIST_DISCRETE) {
		if ((n = key_of(map, "values")) || (n = key_of(map, "weights")))
			bind_error(b, n, "'%s' does not apply to a %s distribution", n->text,
				   dists[d]);
	}
	if (missing || !bind_record_clean(b))
		return; /* cross checks only between values that were read */
	switch ((enum dist_kind)d) {
	case DIST_TRIANGULAR:
	case DIST_PERT:
		if (u->a > u->c)
			bind_error(b, value_of(map, "max"), "'max' (%g) is below 'min' (%g)", u->c,
				   u->a);
		else if (u->b < u->a || u->b > u->c)
			bind_error(b, value_of(map, "mode"),
				   "'mode' (%g) must lie between 'min' (%g) and 'max' (%g)", u->b,
				   u->a, u->c);
		break;
	case DIST_UNIFORM:
		if (u->a > u->b)
			bind_error(b, value_of(map, "max"), "'max' (%g) is below 'min' (%g)", u->b,
				   u->a);
		break;
	case DIST_LOGNORMAL:
		if (u->a <= 0)
			bind_error(b, value_of(map, "mean"),
				   "'mean' of a lognormal distribution must be > 0 (got %g)", u->a);
		break;
	case DIST_DISCRETE:
		if (u->nvalues == 0) {
			bind_error(b, value_of(map, "values"), "'values' is empty");
			break;
		}
		n = value_of(map, "weights");
		if (n && !u->weights)
			break; /* wrong: reported when it was read */
		if (!u->weights) {
			u->weights = bind_alloc(b, u->nvalues, sizeof(double));
			if (!u->weights)
				break;
			for (i = 0; i < u->nvalues; i++)
				u->weights[i] = 1;
		}
		/* scaled by the largest weight first, so that huge weights cannot overflow */
		for (i = 0; i < u->nvalues; i++)
			top = fmax(top, u->weights[i]);
		if (!(top > 0)) {
			bind_error(b, n, "'weights' add up to 0");
			break;
		}
		for (i = 0; i < u->nvalues; i++)
			sum += u->weights[i] / top;
		for (i = 0; i < u->nvalues; i++)
			u->weights[i] = u->weights[i] / top / sum;
		break;
	case DIST_NORMAL:
	case DIST_BERNOULLI:
		break; /* bounds of 'sd' and 'p' are in the table */
	}
}

/* Positive semi-definite test by Cholesky with a tolerance for singular matrices. */
static int is_psd(double *m, size_t n)
{
	const double tol = 1e-9;
	size_t i, j, k;

	for (j = 0; j < n; j++) {
		double d = m[j * n + j];

		for (k = 0; k < j; k++)
			d -= m[j * n + k] * m[j * n + k];
		if (d < -tol)
			return 0;
		if (d <= tol) {
			for (i = j + 1; i < n; i++) {
				double s = m[i * n + j];

				for (k = 0; k < j; k++)
					s -= m[i * n + k] * m[j * n + k];
				if (fabs(s) > 1e-7)
					return 0;
				m[i * n + j] = 0;
			}
			m[j * n + j] = 0;
			continue;
		}
		d = sqrt(d);
		m[j * n + j] = d;
		for (i = j + 1; i < n; i++) {
			double s = m[i * n + j];

			for (k = 0; k < j; k++)
				s -= m[i * n + k] * m[j * n + k];
			m[i * n + j] = s / d;
		}
	}
	return 1;
}

static void check_correlations(struct bind *b, void *rec, const struct ynode *node)
{
	struct uncertainty *u = rec;
	size_t i, j, n = 0;
	int *slot, bad = 0;
	double *m;

	if (u->ncorrelations == 0)
		return;
	slot = bind_alloc(b, u->nparams, sizeof(*slot));
	if (!slot)
		return;
	for (i = 0; i < u->nparams; i++)
		slot[i] = -1;
	for (i = 0; i < u->ncorrelations; i++) {
		const struct correlation *c = &u->correlations[i];

		if (c->a < 0 || c->b < 0) {
			bad = 1;
			continue;
		}
		if (c->a == c->b) {
			bind_error_loc(b, &c->loc, "'%s' is correlated with itself",
				       u->params[c->a].id);
			bad = 1;
			continue;
		}
		for (j = 0; j < i; j++) {
			const struct correlation *o = &u->correlations[j];

			if ((o->a == c->a && o->b == c->b) || (o->a == c->b && o->b == c->a)) {
				bind_error_loc(b, &c->loc,
					       "correlation between '%s' and '%s' is given twice "
					       "(first at line %d)",
					       u->params[c->a].id, u->params[c->b].id, o->loc.line);
				bad = 1;
				break;
			}
		}
		if (slot[c->a] < 0)
			slot[c->a] = (int)n++;
		if (slot[c->b] < 0)
			slot[c->b] = (int)n++;
	}
	if (bad || n < 3)
		return; /* any 2x2 matrix with |rho| <= 1 is valid */
	if (n > SCHEMA_MAX_CORRELATED) {
		bind_error(b, node, "more than %d parameters are correlated",
			   SCHEMA_MAX_CORRELATED);
		return;
	}
	m = bind_alloc(b, n * n, sizeof(*m));
	if (!m)
		return;
	for (i = 0; i < n; i++)
		m[i * n + i] = 1;
	for (i = 0; i < u->ncorrelations; i++) {
		const struct correlation *c = &u->correlations[i];
		size_t x = (size_t)slot[c->a], y = (size_t)slot[c->b];

		m[x * n + y] = m[y * n + x] = c->rho;
	}
	if (!is_psd(m, n))
		bind_error(b, node,
			   "the correlations do not form a valid correlation matrix (it is not "
			   "positive semi-definite)");
}

static void check_uncertainty(struct bind *b, void *rec, const struct ynode *map)
{
	const struct ypair *kv = ynode_find(map, "correlations");

	if (kv)
		bind_later(b, check_correlations, rec, kv->key);
}

/* ---- the table ------------------------------------------------------------------------ */

/* One row per line group, aligned by hand: the formatter would spread each row over
 * eight lines. */
/* clang-format off */

static const struct schema_field horizon_fields[] = {
	{.key = "start", .type = ST_INT, .flags = SF_REQUIRED | SF_FIXED | SF_MIN | SF_MAX,
	 .min = PLAN_YEAR_MIN, .max = PLAN_YEAR_MAX, AT(struct plan, start_year),
	 .doc = "first year planned"},
	{.key = "end", .type = ST_INT, .flags = SF_REQUIRED | SF_FIXED | SF_MIN | SF_MAX,
	 .min = PLAN_YEAR_MIN, .max = PLAN_YEAR_MAX, AT(struct plan, end_year),
	 .doc = "last year planned (the horizon spans at most 30 years, both ends counted)"},
};
static const struct schema_record horizon_rec = {
	.name = "horizon", .title = "horizon",
	.doc = "The years the plan covers. Every year series is indexed by these years.",
	.id_off = -1, .loc_off = -1, .present_off = -1,
	.fields = horizon_fields, .nfields = NFIELDS(horizon_fields), .check = check_horizon};

static const struct schema_field solver_fields[] = {
	{.key = "mip_gap", .type = ST_NUMBER, .flags = SF_MIN | SF_MAX, .min = 0, .max = 1,
	 .def = 1e-4, AT(struct solver_opts, mip_gap),
	 .doc = "relative optimality gap at which a mixed-integer solve stops"},
	{.key = "time_limit_s", .type = ST_NUMBER, .flags = SF_MIN, .min = 0, .def = 0,
	 .def_text = "0 (none)", AT(struct solver_opts, time_limit_s),
	 .doc = "time limit per solve, in seconds"},
};
static const struct schema_record solver_rec = {
	.name = "solver", .title = "solver", .doc = "Settings of the LP/MIP solver.",
	.id_off = -1, .loc_off = -1, .present_off = -1,
	.fields = solver_fields, .nfields = NFIELDS(solver_fields)};

static const struct schema_field category_fields[] = {
	{.key = "name", .type = ST_STRING, .flags = SF_NAME, .def_text = "the id",
	 AT(struct category, name), .doc = "name shown in reports"},
	{.key = "safe_category", .type = ST_INT, .flags = SF_MIN | SF_MAX, .min = 0, .max = 2,
	 .def = 0, AT(struct category, safe_category),
	 .doc = "SAFE product category (1 or 2), 0 for none"},
	{.key = "source", .type = ST_STRING, AT(struct category, source),
	 .doc = "where the figures come from"},
};
static const struct schema_record category_rec = {
	.name = "category", .title = "categories", .size = sizeof(struct category),
	.doc = "Product categories that items belong to and funding sources may be limited to.",
	.id_off = offsetof(struct category, id), .loc_off = offsetof(struct category, loc),
	.present_off = -1, .section = SEC_CATEGORY,
	.fields = category_fields, .nfields = NFIELDS(category_fields)};

static const struct schema_field buyer_fields[] = {
	{.key = "name", .type = ST_STRING, .flags = SF_NAME, .def_text = "the id",
	 AT(struct buyer, name), .doc = "name shown in reports"},
	{.key = "kind", .type = ST_ENUM, .flags = SF_FIXED, .names = buyer_kinds, .def = 0,
	 AT(struct buyer, kind),
	 .doc = "`partner`s (such as Ukraine) take part in common procurement but cannot "
		"borrow"},
	{.key = "troops_max", .type = ST_YEARS, .flags = SF_MIN, .min = 0, .def = 0,
	 AT(struct buyer, troops_max),
	 .doc = "most troops it can commit to all deployments together (its rotation pool)"},
	{.key = "source", .type = ST_STRING, AT(struct buyer, source),
	 .doc = "where the figures come from"},
};
static const struct schema_record buyer_rec = {
	.name = "buyer", .title = "buyers", .size = sizeof(struct buyer),
	.doc = "Member states, EEA states, partners and groups that buy, borrow and deploy.",
	.id_off = offsetof(struct buyer, id), .loc_off = offsetof(struct buyer, loc),
	.present_off = -1, .section = SEC_BUYER,
	.fields = buyer_fields, .nfields = NFIELDS(buyer_fields)};

static const struct schema_field rules_fields[] = {
	{.key = "min_countries", .type = ST_INT, .flags = SF_MIN | SF_MAX, .min = 0, .max = 1000,
	 .def = 0, .def_text = "0 (off)", AT(struct funding_rules, min_countries),
	 .doc = "countries per common procurement lot"},
	{.key = "lead_share_max", .type = ST_SHARE, .def = 1, .def_text = "1 (off)",
	 AT(struct funding_rules, lead_share_max),
	 .doc = "largest share of a pooled lot one buyer may take"},
	{.key = "european_content_min", .type = ST_SHARE, .def = 0, .def_text = "0 (off)",
	 AT(struct funding_rules, european_content_min),
	 .doc = "EU/EEA/Ukraine share of the funded spend"},
	{.key = "single_buyer_until", .type = ST_INT, .flags = SF_MIN | SF_MAX, .min = 0,
	 .max = PLAN_YEAR_MAX, .def = 0, .def_text = "0 (never)",
	 AT(struct funding_rules, single_buyer_until),
	 .doc = "last year single-country purchases are allowed"},
	{.key = "prefinancing_max", .type = ST_SHARE, .def = 1, .def_text = "1 (off)",
	 AT(struct funding_rules, prefinancing_max),
	 .doc = "share of each allocation usable in the first year"},
	{.key = "disbursement_until", .type = ST_INT, .flags = SF_MIN | SF_MAX, .min = 0,
	 .max = PLAN_YEAR_MAX, .def = 0, .def_text = "0 (horizon end)",
	 AT(struct funding_rules, disbursement_until), .doc = "last year money can be drawn"},
	{.key = "pooled", .type = ST_BOOL, .def = 0, AT(struct funding_rules, pooled),
	 .doc = "purchases are pooled, so items' `pooled_discount` applies"},
};
static const struct schema_record rules_rec = {
	.name = "rules", .title = "rules",
	.doc = "Rules attached to a funding source (SAFE's rules are data, not code).",
	.id_off = -1, .loc_off = -1, .present_off = -1,
	.fields = rules_fields, .nfields = NFIELDS(rules_fields)};

static const struct schema_entry allocation_entry = {
	.size = sizeof(struct allocation), .key_off = offsetof(struct allocation, buyer),
	.value_off = offsetof(struct allocation, amount),
	.loc_off = offsetof(struct allocation, loc), .vtype = ST_MONEY};

static const struct schema_field source_fields[] = {
	{.key = "name", .type = ST_STRING, .flags = SF_NAME, .def_text = "the id",
	 AT(struct funding_source, name), .doc = "name shown in reports"},
	{.key = "kind", .type = ST_ENUM, .flags = SF_REQUIRED | SF_FIXED, .names = source_kinds,
	 AT(struct funding_source, kind), .doc = "what kind of money it is"},
	{.key = "total", .type = ST_MONEY, .flags = SF_MIN, .min = 0, .def = -1,
	 .def_text = "no cap", AT(struct funding_source, total),
	 .doc = "most money over the horizon"},
	{.key = "available", .type = ST_SCHEDULE, .flags = SF_REQUIRED | SF_MIN, .min = 0,
	 AT(struct funding_source, available),
	 .doc = "money that becomes available each year"},
	{.key = "carry_over", .type = ST_BOOL, .def = 0, AT(struct funding_source, carry_over),
	 .doc = "unspent money moves to the next year"},
	{.key = "interest_rate", .type = ST_SHARE, .def = 0,
	 AT(struct funding_source, interest_rate),
	 .doc = "loans: annual interest rate (given together with `maturity_years`)"},
	{.key = "grace_years", .type = ST_INT, .flags = SF_MIN | SF_MAX, .min = 0, .max = 100,
	 .def = 0, AT(struct funding_source, grace_years),
	 .doc = "loans: years of interest only before principal repayments start"},
	{.key = "maturity_years", .type = ST_INT, .flags = SF_MIN | SF_MAX, .min = 0, .max = 100,
	 .def = 0, .def_text = "0 (none)", AT(struct funding_source, maturity_years),
	 .doc = "loans: years from drawing to the last repayment (with `interest_rate`)"},
	{.key = "buyers", .type = ST_REFLIST, .target = SEC_BUYER, .keyword = "borrowers",
	 .def_text = "every buyer (loans: every buyer but partners)",
	 AT(struct funding_source, buyers), COUNT(struct funding_source, nbuyers),
	 .doc = "who may draw on it; `borrowers`: the buyers with an allocation"},
	{.key = "categories", .type = ST_REFLIST, .target = SEC_CATEGORY, .def_text = "all",
	 AT(struct funding_source, categories), COUNT(struct funding_source, ncategories),
	 .doc = "categories it may fund"},
	{.key = "allocations", .type = ST_MAP, .flags = SF_MIN, .min = 0, .target = SEC_BUYER,
	 .entry = &allocation_entry, .def_text = "none",
	 AT(struct funding_source, allocations), COUNT(struct funding_source, nallocations),
	 .doc = "most each buyer may draw; only these buyers may draw"},
	{.key = "rules", .type = ST_RECORD, .sub = &rules_rec, AT(struct funding_source, rules),
	 .doc = "rules on what it funds"},
	{.key = "source", .type = ST_STRING, AT(struct funding_source, source),
	 .doc = "where the figures come from"},
};
static const struct schema_record source_rec = {
	.name = "funding source", .title = "funding", .size = sizeof(struct funding_source),
	.doc = "Sources of money: loans (such as SAFE), national budgets, grants.",
	.id_off = offsetof(struct funding_source, id),
	.loc_off = offsetof(struct funding_source, loc), .present_off = -1,
	.section = SEC_SOURCE, .fields = source_fields, .nfields = NFIELDS(source_fields),
	.check = check_source};

static const struct schema_entry provision_entry = {
	.size = sizeof(struct provision), .key_off = offsetof(struct provision, capability),
	.value_off = offsetof(struct provision, amount), .loc_off = -1, .vtype = ST_NUMBER};

static const struct schema_field item_fields[] = {
	{.key = "name", .type = ST_STRING, .flags = SF_NAME, .def_text = "the id",
	 AT(struct item, name), .doc = "name shown in reports"},
	{.key = "category", .type = ST_REF, .flags = SF_REQUIRED, .target = SEC_CATEGORY,
	 AT(struct item, category), .doc = "category it belongs to"},
	{.key = "unit_cost", .type = ST_MONEY, .flags = SF_REQUIRED | SF_MIN_EXCL, .min = 0,
	 AT(struct item, unit_cost), .doc = "EUR per unit at the horizon start"},
	{.key = "cost_growth", .type = ST_NUMBER, .flags = SF_MIN | SF_MAX, .min = -0.5,
	 .max = 1, .def = 0, AT(struct item, cost_growth),
	 .doc = "real escalation of the unit cost per year"},
	{.key = "pooled_discount", .type = ST_SHARE, .def = 0, AT(struct item, pooled_discount),
	 .doc = "price advantage when bought through a pooled source"},
	{.key = "european_content", .type = ST_SHARE, .def = 0,
	 AT(struct item, european_content), .doc = "EU/EEA/Ukraine share of its value"},
	{.key = "lead_time", .type = ST_INT, .flags = SF_MIN | SF_MAX, .min = 0,
	 .max = PLAN_MAX_YEARS, .def = 0, AT(struct item, lead_time),
	 .doc = "years from order to delivery"},
	{.key = "capacity", .type = ST_YEARS, .flags = SF_MIN, .min = 0, .def = -1,
	 .def_text = "unlimited", AT(struct item, capacity),
	 .doc = "units that can be ordered per year, all buyers together"},
	{.key = "integer", .type = ST_BOOL, .def = 0, AT(struct item, integer),
	 .doc = "bought in whole units"},
	{.key = "initial_stock", .type = ST_NUMBER, .flags = SF_MIN, .min = 0, .def = 0,
	 AT(struct item, initial_stock), .doc = "units in service before the horizon"},
	{.key = "attrition", .type = ST_SHARE, .def = 0, AT(struct item, attrition),
	 .doc = "share of the stock lost or expended per year (1: consumed in its year)"},
	{.key = "provides", .type = ST_MAP, .flags = SF_MIN, .min = 0, .target = SEC_CAPABILITY,
	 .entry = &provision_entry, .def_text = "none", AT(struct item, provides),
	 COUNT(struct item, nprovides), .doc = "capability units one unit in service provides"},
	{.key = "source", .type = ST_STRING, AT(struct item, source),
	 .doc = "where the figures come from"},
};
static const struct schema_record item_rec = {
	.name = "item", .title = "items", .size = sizeof(struct item),
	.doc = "What can be bought.", .id_off = offsetof(struct item, id),
	.loc_off = offsetof(struct item, loc), .present_off = -1, .section = SEC_ITEM,
	.fields = item_fields, .nfields = NFIELDS(item_fields)};

static const struct schema_field capability_fields[] = {
	{.key = "name", .type = ST_STRING, .flags = SF_NAME, .def_text = "the id",
	 AT(struct capability, name), .doc = "name shown in reports"},
	{.key = "unit", .type = ST_STRING, .def_text = "units", AT(struct capability, unit),
	 .doc = "what it is counted in"},
	{.key = "target", .type = ST_YEARS, .flags = SF_MIN, .min = 0, .def = 0,
	 AT(struct capability, target),
	 .doc = "units needed per year (blocks may add derived targets)"},
	{.key = "penalty", .type = ST_MONEY, .flags = SF_REQUIRED | SF_MIN, .min = 0,
	 AT(struct capability, penalty), .doc = "EUR per unit short per year"},
	{.key = "priority", .type = ST_INT, .flags = SF_MIN | SF_MAX, .min = 1, .max = 100,
	 .def = 1, AT(struct capability, priority), .doc = "1 = highest; orders reports"},
	{.key = "hard", .type = ST_BOOL, .def = 0, AT(struct capability, hard),
	 .doc = "the target must be met: no shortfall is allowed, so the plan can be infeasible"},
	{.key = "buyers", .type = ST_REFLIST, .target = SEC_BUYER, .def_text = "everyone",
	 AT(struct capability, buyers), COUNT(struct capability, nbuyers),
	 .doc = "only these buyers' stock counts"},
	{.key = "source", .type = ST_STRING, AT(struct capability, source),
	 .doc = "where the figures come from"},
};
static const struct schema_record capability_rec = {
	.name = "capability", .title = "capabilities", .size = sizeof(struct capability),
	.doc = "Requirements. Targets are elastic: a shortfall costs its penalty.",
	.id_off = offsetof(struct capability, id), .loc_off = offsetof(struct capability, loc),
	.present_off = -1, .section = SEC_CAPABILITY,
	.fields = capability_fields, .nfields = NFIELDS(capability_fields)};

static const struct schema_entry contribution_entry = {
	.size = sizeof(struct contribution), .key_off = offsetof(struct contribution, buyer),
	.value_off = offsetof(struct contribution, troops_max),
	.loc_off = offsetof(struct contribution, loc), .vtype = ST_NUMBER};

static const struct schema_field deployment_fields[] = {
	{.key = "name", .type = ST_STRING, .flags = SF_NAME, .def_text = "the id",
	 AT(struct deployment, name), .doc = "name shown in reports"},
	{.key = "troops", .type = ST_YEARS, .flags = SF_REQUIRED | SF_MIN, .min = 0,
	 AT(struct deployment, troops), .doc = "troops deployed at any one time"},
	{.key = "rotation_ratio", .type = ST_NUMBER, .flags = SF_MIN | SF_MAX, .min = 1,
	 .max = 10, .def = 3, AT(struct deployment, rotation_ratio),
	 .doc = "troops committed per troop deployed (3: the rule of thirds)"},
	{.key = "tour_months", .type = ST_NUMBER, .flags = SF_MIN_EXCL | SF_MAX, .min = 0,
	 .max = 36, .def = 6, AT(struct deployment, tour_months), .doc = "length of one tour"},
	{.key = "cost_per_troop_year", .type = ST_MONEY, .flags = SF_MIN, .min = 0, .def = 0,
	 AT(struct deployment, cost_per_troop_year), .doc = "per committed troop and year"},
	{.key = "paid_by", .type = ST_REF, .flags = SF_REQUIRED, .target = SEC_SOURCE,
	 AT(struct deployment, paid_by), .doc = "funding source that pays the personnel"},
	{.key = "shortfall_penalty", .type = ST_MONEY, .flags = SF_REQUIRED | SF_MIN, .min = 0,
	 AT(struct deployment, shortfall_penalty), .doc = "EUR per troop-year not deployed"},
	{.key = "sustain_t_per_troop_day", .type = ST_NUMBER, .flags = SF_MIN | SF_MAX, .min = 0,
	 .max = 10, .def = 0, AT(struct deployment, sustain_t_per_troop_day),
	 .doc = "tonnes of supplies per deployed troop and day"},
	{.key = "air_share", .type = ST_SHARE, .def = 0, AT(struct deployment, air_share),
	 .doc = "share of supplies and rotations moved by air"},
	{.key = "pax_t", .type = ST_NUMBER, .flags = SF_MIN | SF_MAX, .min = 0, .max = 10,
	 .def = 0, AT(struct deployment, pax_t), .doc = "tonnes of lift per person rotated"},
	{.key = "lift_capability", .type = ST_REF, .target = SEC_CAPABILITY, .def_text = "none",
	 AT(struct deployment, lift_capability),
	 .doc = "capability the airlift need is added to"},
	{.key = "contributors", .type = ST_MAP, .flags = SF_MIN, .min = 0, .target = SEC_BUYER,
	 .entry = &contribution_entry, .def_text = "none", AT(struct deployment, contributors),
	 COUNT(struct deployment, ncontributors),
	 .doc = "most troops each buyer commits to this deployment"},
	{.key = "source", .type = ST_STRING, AT(struct deployment, source),
	 .doc = "where the figures come from"},
};
static const struct schema_record deployment_rec = {
	.name = "deployment", .title = "forces", .size = sizeof(struct deployment),
	.doc = "Deployed forces, such as a reassurance force, rotated and sustained.",
	.id_off = offsetof(struct deployment, id), .loc_off = offsetof(struct deployment, loc),
	.present_off = -1, .section = SEC_DEPLOYMENT,
	.fields = deployment_fields, .nfields = NFIELDS(deployment_fields)};

static const struct schema_field air_defence_fields[] = {
	{.key = "defended_sites", .type = ST_YEARS, .flags = SF_REQUIRED | SF_MIN, .min = 0,
	 AT(struct air_defence, defended_sites),
	 .doc = "cities and infrastructure to defend"},
	{.key = "fire_units_per_site", .type = ST_NUMBER, .flags = SF_MIN, .min = 0, .def = 1,
	 AT(struct air_defence, fire_units_per_site), .doc = "fire units per defended site"},
	{.key = "engagements_per_site_year", .type = ST_NUMBER, .flags = SF_MIN, .min = 0,
	 .def = 0, AT(struct air_defence, engagements_per_site_year),
	 .doc = "expected engagements per site and year"},
	{.key = "interceptors_per_engagement", .type = ST_NUMBER, .flags = SF_MIN, .min = 0,
	 .def = 0, AT(struct air_defence, interceptors_per_engagement),
	 .doc = "interceptors fired per engagement"},
	{.key = "fire_unit_capability", .type = ST_REF, .target = SEC_CAPABILITY,
	 .def_text = "none", AT(struct air_defence, fire_unit_capability),
	 .doc = "capability the fire-unit need is added to"},
	{.key = "interceptor_capability", .type = ST_REF, .target = SEC_CAPABILITY,
	 .def_text = "none", AT(struct air_defence, interceptor_capability),
	 .doc = "capability the interceptor need is added to"},
	{.key = "source", .type = ST_STRING, AT(struct air_defence, source),
	 .doc = "where the figures come from"},
};
static const struct schema_record air_defence_rec = {
	.name = "air_defence", .title = "air_defence",
	.doc = "Derived air and missile defence needs (at least one of the two capabilities).",
	.id_off = -1, .loc_off = offsetof(struct air_defence, loc),
	.present_off = offsetof(struct air_defence, enabled),
	.fields = air_defence_fields, .nfields = NFIELDS(air_defence_fields),
	.check = check_air_defence};

static const struct schema_entry kit_entry = {
	.size = sizeof(struct kit_entry), .key_off = offsetof(struct kit_entry, item),
	.value_off = offsetof(struct kit_entry, per_brigade),
	.loc_off = offsetof(struct kit_entry, loc), .vtype = ST_NUMBER};

static const struct schema_field ukraine_fields[] = {
	{.key = "buyer", .type = ST_REF, .flags = SF_REQUIRED, .target = SEC_BUYER,
	 AT(struct ukraine, buyer), .doc = "buyer whose stock equips the brigades"},
	{.key = "capability", .type = ST_REF, .flags = SF_REQUIRED, .target = SEC_CAPABILITY,
	 AT(struct ukraine, capability), .doc = "capability counted in brigades"},
	{.key = "brigades_existing", .type = ST_YEARS, .flags = SF_MIN, .min = 0, .def = 0,
	 AT(struct ukraine, brigades_existing),
	 .doc = "brigades equipped without new purchases"},
	{.key = "kit", .type = ST_MAP, .flags = SF_REQUIRED | SF_MIN_EXCL, .min = 0,
	 .target = SEC_ITEM, .entry = &kit_entry, AT(struct ukraine, kit),
	 COUNT(struct ukraine, nkit), .doc = "units of each item per new brigade"},
	{.key = "source", .type = ST_STRING, AT(struct ukraine, source),
	 .doc = "where the figures come from"},
};
static const struct schema_record ukraine_rec = {
	.name = "ukraine", .title = "ukraine",
	.doc = "Brigades of the Ukrainian army equipped from purchases.",
	.id_off = -1, .loc_off = offsetof(struct ukraine, loc),
	.present_off = offsetof(struct ukraine, enabled),
	.fields = ukraine_fields, .nfields = NFIELDS(ukraine_fields)};

static const struct schema_entry us_entry = {
	.size = sizeof(struct us_contribution),
	.key_off = offsetof(struct us_contribution, capability),
	.value_off = offsetof(struct us_contribution, amount),
	.loc_off = offsetof(struct us_contribution, loc), .vtype = ST_YEARS};

static const struct schema_field assumptions_fields[] = {
	{.key = "us_backing", .type = ST_SHARE, .def = 0, AT(struct assumptions, us_backing),
	 .doc = "how much of `us_contribution` the US provides: 0 none .. 1 full"},
	{.key = "us_contribution", .type = ST_MAP, .flags = SF_MIN, .min = 0,
	 .target = SEC_CAPABILITY, .entry = &us_entry, .def_text = "none",
	 AT(struct assumptions, us), COUNT(struct assumptions, nus),
	 .doc = "capability units the US provides at full backing, per year"},
	{.key = "source", .type = ST_STRING, AT(struct assumptions, source),
	 .doc = "where the figures come from"},
};
static const struct schema_record assumptions_rec = {
	.name = "assumptions", .title = "assumptions",
	.doc = "Switches that change what Europe must provide itself.",
	.id_off = -1, .loc_off = -1, .present_off = -1,
	.fields = assumptions_fields, .nfields = NFIELDS(assumptions_fields)};

static const struct schema_field uparam_fields[] = {
	{.key = "path", .type = ST_STRING, .flags = SF_REQUIRED, AT(struct uparam, path),
	 .doc = "parameter path; `*` stands for every id (one draw applied to all)"},
	{.key = "dist", .type = ST_ENUM, .flags = SF_REQUIRED, .names = dists,
	 AT(struct uparam, dist), .doc = "distribution"},
	{.key = "apply", .type = ST_ENUM, .names = applies, .def = APPLY_SET,
	 AT(struct uparam, apply),
	 .doc = "`set` the parameter to the draw, or `scale` it by the draw"},
	{.key = "min", .type = ST_NUMBER, .flags = SF_SUFFIX, .set = set_dist_param,
	 .doc = "triangular, pert, uniform: lowest value"},
	{.key = "mode", .type = ST_NUMBER, .flags = SF_SUFFIX, .set = set_dist_param,
	 .doc = "triangular, pert: most likely value"},
	{.key = "max", .type = ST_NUMBER, .flags = SF_SUFFIX, .set = set_dist_param,
	 .doc = "triangular, pert, uniform: highest value"},
	{.key = "mean", .type = ST_NUMBER, .flags = SF_SUFFIX, .set = set_dist_param,
	 .doc = "normal, lognormal: mean of the variable"},
	{.key = "sd", .type = ST_NUMBER, .flags = SF_SUFFIX | SF_MIN_EXCL, .min = 0,
	 .set = set_dist_param,
	 .doc = "normal, lognormal: standard deviation of the variable"},
	{.key = "p", .type = ST_SHARE, .set = set_dist_param,
	 .doc = "bernoulli: probability of drawing 1 (else 0)"},
	{.key = "values", .type = ST_NUMLIST, .flags = SF_SUFFIX, AT(struct uparam, values),
	 COUNT(struct uparam, nvalues), .doc = "discrete: the values"},
	{.key = "weights", .type = ST_NUMLIST, .flags = SF_MIN | SF_PAIRED, .min = 0,
	 .def_text = "equal", AT(struct uparam, weights), COUNT(struct uparam, nvalues),
	 .doc = "discrete: relative weights, one per value (normalised when read)"},
	{.key = "source", .type = ST_STRING, AT(struct uparam, source),
	 .doc = "where the figures come from"},
};
static const struct schema_record uparam_rec = {
	.name = "uncertainty parameter", .title = "parameters", .size = sizeof(struct uparam),
	.doc = "An uncertain number of the plan and its distribution.",
	.id_off = offsetof(struct uparam, id), .loc_off = offsetof(struct uparam, loc),
	.present_off = -1, .section = SEC_UPARAM,
	.fields = uparam_fields, .nfields = NFIELDS(uparam_fields), .check = check_uparam};

static const struct schema_field correlation_fields[] = {
	{.key = "a", .type = ST_REF, .flags = SF_REQUIRED, .target = SEC_UPARAM,
	 AT(struct correlation, a), .doc = "one parameter"},
	{.key = "b", .type = ST_REF, .flags = SF_REQUIRED, .target = SEC_UPARAM,
	 AT(struct correlation, b), .doc = "the other parameter"},
	{.key = "rho", .type = ST_NUMBER, .flags = SF_REQUIRED | SF_MIN | SF_MAX, .min = -1,
	 .max = 1, AT(struct correlation, rho), .doc = "rank correlation"},
};
static const struct schema_record correlation_rec = {
	.name = "correlation", .title = "correlations", .size = sizeof(struct correlation),
	.doc = "Rank correlations between parameters; together they must form a positive "
	       "semi-definite matrix.",
	.id_off = -1, .loc_off = offsetof(struct correlation, loc), .present_off = -1,
	.fields = correlation_fields, .nfields = NFIELDS(correlation_fields)};

static const struct schema_field uncertainty_fields[] = {
	{.key = "seed", .type = ST_INT, .flags = SF_U64 | SF_MIN | SF_MAX, .min = 0,
	 .max = SEED_MAX, .def = 1, AT(struct uncertainty, seed),
	 .doc = "default seed of the random streams"},
	{.key = "parameters", .type = ST_RECORDS, .sub = &uparam_rec, .def_text = "none",
	 AT(struct uncertainty, params), COUNT(struct uncertainty, nparams),
	 .doc = "uncertain parameters by name"},
	{.key = "correlations", .type = ST_LIST, .sub = &correlation_rec, .def_text = "none",
	 AT(struct uncertainty, correlations), COUNT(struct uncertainty, ncorrelations),
	 .doc = "rank correlations between parameters"},
};
static const struct schema_record uncertainty_rec = {
	.name = "uncertainty", .title = "uncertainty",
	.doc = "Distributions over parameters, for Monte Carlo scenarios.",
	.id_off = -1, .loc_off = -1, .present_off = -1,
	.fields = uncertainty_fields, .nfields = NFIELDS(uncertainty_fields),
	.check = check_uncertainty};

static const struct schema_field plan_fields[] = {
	{.key = "porcupine", .type = ST_INT, .flags = SF_REQUIRED | SF_FIXED | SF_VERSION,
	 AT(struct plan, schema), .doc = "schema version of the plan: 1"},
	{.key = "name", .type = ST_STRING, .flags = SF_REQUIRED, AT(struct plan, name),
	 .doc = "name of the plan, shown in reports"},
	{.key = "description", .type = ST_STRING, AT(struct plan, description),
	 .doc = "what the plan is about"},
	{.key = "currency", .type = ST_STRING, .def_text = "EUR", AT(struct plan, currency),
	 .doc = "currency of all amounts; only `EUR`"},
	{.key = "data_date", .type = ST_STRING, AT(struct plan, data_date),
	 .doc = "date of the figures, YYYY-MM-DD"},
	{.key = "horizon", .type = ST_RECORD, .flags = SF_REQUIRED | SF_FIXED, .sub = &horizon_rec,
	 .off = 0, .doc = "years planned"},
	{.key = "discount_rate", .type = ST_SHARE, .def = 0, AT(struct plan, discount_rate),
	 .doc = "real discount rate per year, for money and penalties"},
	{.key = "objective", .type = ST_ENUM, .names = objectives, .def = OBJECTIVE_COST,
	 AT(struct plan, objective),
	 .doc = "`cost`: least discounted cost plus penalties; `capability`: most "
		"penalty-weighted capability within the money"},
	{.key = "solver", .type = ST_RECORD, .sub = &solver_rec, AT(struct plan, solver),
	 .doc = "solver settings"},
	{.key = "include", .type = ST_INCLUDE, .flags = SF_FIXED, .def_text = "none",
	 .doc = "files (relative, inside this file's folder) whose sections are merged in"},
	{.key = "categories", .type = ST_RECORDS, .sub = &category_rec, .def_text = "none",
	 AT(struct plan, categories), COUNT(struct plan, ncategories),
	 .doc = "product categories"},
	{.key = "buyers", .type = ST_RECORDS, .sub = &buyer_rec, .def_text = "none",
	 AT(struct plan, buyers), COUNT(struct plan, nbuyers), .doc = "who buys"},
	{.key = "funding", .type = ST_RECORDS, .sub = &source_rec, .def_text = "none",
	 AT(struct plan, sources), COUNT(struct plan, nsources), .doc = "sources of money"},
	{.key = "items", .type = ST_RECORDS, .sub = &item_rec, .def_text = "none",
	 AT(struct plan, items), COUNT(struct plan, nitems), .doc = "what can be bought"},
	{.key = "capabilities", .type = ST_RECORDS, .sub = &capability_rec, .def_text = "none",
	 AT(struct plan, capabilities), COUNT(struct plan, ncapabilities),
	 .doc = "requirements"},
	{.key = "forces", .type = ST_RECORDS, .sub = &deployment_rec, .def_text = "none",
	 AT(struct plan, deployments), COUNT(struct plan, ndeployments),
	 .doc = "deployed forces"},
	{.key = "air_defence", .type = ST_RECORD, .sub = &air_defence_rec, .def_text = "off",
	 AT(struct plan, air_defence), .doc = "derived air defence needs"},
	{.key = "ukraine", .type = ST_RECORD, .sub = &ukraine_rec, .def_text = "off",
	 AT(struct plan, ukraine), .doc = "Ukrainian brigades"},
	{.key = "assumptions", .type = ST_RECORD, .sub = &assumptions_rec,
	 AT(struct plan, assumptions), .doc = "assumptions such as US backing"},
	{.key = "uncertainty", .type = ST_RECORD, .flags = SF_FIXED, .sub = &uncertainty_rec,
	 AT(struct plan, uncertainty), .doc = "distributions for scenarios"},
};
const struct schema_record schema_plan = {
	.name = "plan", .title = "Top level",
	.doc = "A plan file is a mapping with these keys.",
	.id_off = -1, .loc_off = -1, .present_off = -1,
	.fields = plan_fields, .nfields = NFIELDS(plan_fields), .check = check_top};

/* clang-format on */

/* ---- table helpers -------------------------------------------------------------------- */

const struct schema_field *schema_field_find(const struct schema_record *r, const char *key)
{
	size_t i;

	for (i = 0; i < r->nfields; i++)
		if (strcmp(r->fields[i].key, key) == 0)
			return &r->fields[i];
	return NULL;
}

void schema_defaults(const struct schema_record *r, void *base)
{
	unsigned char *b = base;
	size_t i, t;

	for (i = 0; i < r->nfields; i++) {
		const struct schema_field *f = &r->fields[i];
		void *at = b + f->off;

		if (f->set)
			continue;
		switch (f->type) {
		case ST_INT:
			if (f->flags & SF_U64)
				*(unsigned long long *)at = (unsigned long long)f->def;
			else
				*(int *)at = (int)f->def;
			break;
		case ST_NUMBER:
		case ST_MONEY:
		case ST_SHARE:
			*(double *)at = f->def;
			break;
		case ST_BOOL:
		case ST_ENUM:
			*(int *)at = (int)f->def;
			break;
		case ST_STRING:
			*(const char **)at = (f->flags & SF_NAME) ? NULL : f->def_text;
			break;
		case ST_REF:
			*(int *)at = -1;
			break;
		case ST_YEARS:
		case ST_SCHEDULE:
			for (t = 0; t < PLAN_MAX_YEARS; t++)
				((struct yseries *)at)->v[t] = f->def;
			break;
		case ST_RECORD:
			schema_defaults(f->sub, at);
			if (f->sub->present_off >= 0)
				*(int *)((unsigned char *)at + f->sub->present_off) = 0;
			break;
		case ST_REFLIST:
		case ST_RECORDS:
		case ST_LIST:
		case ST_MAP:
		case ST_NUMLIST:
			*(void **)at = NULL;
			*(size_t *)(b + f->count_off) = 0;
			break;
		case ST_INCLUDE:
			break;
		}
	}
}

const struct schema_record *schema_section_record(enum schema_section s)
{
	switch (s) {
	case SEC_CATEGORY:
		return &category_rec;
	case SEC_BUYER:
		return &buyer_rec;
	case SEC_SOURCE:
		return &source_rec;
	case SEC_ITEM:
		return &item_rec;
	case SEC_CAPABILITY:
		return &capability_rec;
	case SEC_DEPLOYMENT:
		return &deployment_rec;
	case SEC_UPARAM:
		return &uparam_rec;
	case SEC_NONE:
	case SEC__COUNT:
		break;
	}
	return NULL;
}

size_t schema_section_count(const struct plan *p, enum schema_section s)
{
	switch (s) {
	case SEC_CATEGORY:
		return p->ncategories;
	case SEC_BUYER:
		return p->nbuyers;
	case SEC_SOURCE:
		return p->nsources;
	case SEC_ITEM:
		return p->nitems;
	case SEC_CAPABILITY:
		return p->ncapabilities;
	case SEC_DEPLOYMENT:
		return p->ndeployments;
	case SEC_UPARAM:
		return p->uncertainty.nparams;
	case SEC_NONE:
	case SEC__COUNT:
		break;
	}
	return 0;
}

const char *schema_section_id(const struct plan *p, enum schema_section s, size_t i)
{
	switch (s) {
	case SEC_CATEGORY:
		return p->categories[i].id;
	case SEC_BUYER:
		return p->buyers[i].id;
	case SEC_SOURCE:
		return p->sources[i].id;
	case SEC_ITEM:
		return p->items[i].id;
	case SEC_CAPABILITY:
		return p->capabilities[i].id;
	case SEC_DEPLOYMENT:
		return p->deployments[i].id;
	case SEC_UPARAM:
		return p->uncertainty.params[i].id;
	case SEC_NONE:
	case SEC__COUNT:
		break;
	}
	return NULL;
}

const char *schema_type_phrase(const struct schema_field *f)
{
	switch (f->type) {
	case ST_INT:
		return "a whole number";
	case ST_NUMBER:
		return "a number";
	case ST_MONEY:
		return "an amount such as 158m or 4.4bn";
	case ST_SHARE:
		return "a share between 0 and 1";
	case ST_BOOL:
		return "true or false";
	case ST_STRING:
		return "text";
	case ST_ENUM:
		return "a name";
	case ST_REF:
		return "an id";
	case ST_REFLIST:
		return f->keyword ? "a list of ids (or the word in the reference)"
				  : "a list of ids";
	case ST_YEARS:
		return "a number or a mapping of years to numbers";
	case ST_SCHEDULE:
		return "an amount or a mapping of years to amounts";
	case ST_RECORD:
		return "a mapping";
	case ST_RECORDS:
		return "a mapping of ids to records";
	case ST_LIST:
		return "a list of mappings";
	case ST_MAP:
		return f->entry->vtype == ST_YEARS ? "a mapping of ids to year series"
						   : "a mapping of ids to numbers";
	case ST_NUMLIST:
		return "a list of numbers";
	case ST_INCLUDE:
		return "a file name or a list of file names";
	}
	return "a value";
}

/* Bounds of f, with a share's implicit [0, 1]. */
static void bounds_of(const struct schema_field *f, unsigned *flags, double *lo, double *hi)
{
	*flags = f->flags & (SF_MIN | SF_MIN_EXCL | SF_MAX | SF_MAX_EXCL);
	*lo = f->min;
	*hi = f->max;
	if (f->type == ST_SHARE) {
		*flags |= SF_MIN | SF_MAX;
		*lo = 0;
		*hi = 1;
	}
}

int schema_in_bounds(const struct schema_field *f, double v)
{
	unsigned fl;
	double lo, hi;

	bounds_of(f, &fl, &lo, &hi);
	if ((fl & SF_MIN) && v < lo)
		return 0;
	if ((fl & SF_MIN_EXCL) && v <= lo)
		return 0;
	if ((fl & SF_MAX) && v > hi)
		return 0;
	if ((fl & SF_MAX_EXCL) && v >= hi)
		return 0;
	return 1;
}

/* A bound as text: whole numbers in full (the largest seed has 16 digits), others to ten. */
static const char *bound_text(char *buf, size_t n, double v)
{
	if (v == floor(v) && fabs(v) <= SEED_MAX)
		snprintf(buf, n, "%.0f", v);
	else
		snprintf(buf, n, "%.10g", v);
	return buf;
}

void schema_bounds_text(const struct schema_field *f, char *buf, size_t n)
{
	char a[32], b[32];
	unsigned fl;
	double lo, hi;

	bounds_of(f, &fl, &lo, &hi);
	bound_text(a, sizeof(a), lo);
	bound_text(b, sizeof(b), hi);
	if ((fl & SF_MIN) && (fl & SF_MAX))
		snprintf(buf, n, "between %s and %s", a, b);
	else if ((fl & (SF_MIN | SF_MIN_EXCL)) && (fl & (SF_MAX | SF_MAX_EXCL)))
		snprintf(buf, n, "%s %s and %s %s", (fl & SF_MIN) ? ">=" : ">", a,
			 (fl & SF_MAX) ? "<=" : "<", b);
	else if (fl & (SF_MIN | SF_MIN_EXCL))
		snprintf(buf, n, "%s %s", (fl & SF_MIN) ? ">=" : ">", a);
	else if (fl & (SF_MAX | SF_MAX_EXCL))
		snprintf(buf, n, "%s %s", (fl & SF_MAX) ? "<=" : "<", b);
	else if (n)
		buf[0] = '\0';
}

/* ---- the reference -------------------------------------------------------------------- */

static const char *section_noun(enum schema_section s)
{
	const struct schema_record *r = schema_section_record(s);

	return r ? r->name : "?";
}

static void write_type(FILE *out, const struct schema_field *f)
{
	switch (f->type) {
	case ST_INT:
		fputs("integer", out);
		break;
	case ST_NUMBER:
		fputs((f->flags & SF_SUFFIX) ? "number or money" : "number", out);
		break;
	case ST_MONEY:
		fputs("money", out);
		break;
	case ST_SHARE:
		fputs("share", out);
		break;
	case ST_BOOL:
		fputs("boolean", out);
		break;
	case ST_STRING:
		fputs("text", out);
		break;
	case ST_ENUM:
		fputs("name", out);
		break;
	case ST_REF:
		fprintf(out, "%s id", section_noun(f->target));
		break;
	case ST_REFLIST:
		fprintf(out, "list of %s ids", section_noun(f->target));
		break;
	case ST_YEARS:
		fputs("year series", out);
		break;
	case ST_SCHEDULE:
		fputs("money schedule", out);
		break;
	case ST_RECORD:
		fprintf(out, "record ([`%s`](#%s))", f->sub->title, f->sub->title);
		break;
	case ST_RECORDS:
		fprintf(out, "id → %s ([`%s`](#%s))", f->sub->name, f->sub->title, f->sub->title);
		break;
	case ST_LIST:
		fprintf(out, "list of %s ([`%s`](#%s))", f->sub->name, f->sub->title,
			f->sub->title);
		break;
	case ST_MAP:
		fprintf(out, "%s id → %s", section_noun(f->target),
			f->entry->vtype == ST_YEARS   ? "year series"
			: f->entry->vtype == ST_MONEY ? "money"
						      : "number");
		break;
	case ST_NUMLIST:
		fputs((f->flags & SF_SUFFIX) ? "list of numbers or money" : "list of numbers", out);
		break;
	case ST_INCLUDE:
		fputs("file name(s)", out);
		break;
	}
}

static void write_default(FILE *out, const struct schema_field *f)
{
	if (f->flags & SF_REQUIRED) {
		fputs("required", out);
		return;
	}
	if (f->def_text) {
		fputs(f->def_text, out);
		return;
	}
	switch (f->type) {
	case ST_INT:
	case ST_NUMBER:
	case ST_MONEY:
	case ST_SHARE:
		if (f->set)
			fputs("—", out);
		else
			fprintf(out, "%.10g", f->def);
		break;
	case ST_YEARS:
	case ST_SCHEDULE:
		fprintf(out, "%.10g", f->def);
		break;
	case ST_BOOL:
		fputs(f->def != 0 ? "true" : "false", out);
		break;
	case ST_ENUM:
		fprintf(out, "`%s`", f->names[(int)f->def]);
		break;
	case ST_REF:
		fputs("none", out);
		break;
	default:
		fputs("—", out);
		break;
	}
}

static void write_allowed(FILE *out, const struct schema_field *f)
{
	char buf[128];
	size_t i;

	if (f->type == ST_ENUM) {
		for (i = 0; f->names[i]; i++)
			fprintf(out, "%s`%s`", i ? ", " : "", f->names[i]);
		return;
	}
	if (f->type == ST_REFLIST && f->keyword)
		fprintf(out, "or `%s`", f->keyword);
	if (f->type == ST_INT || f->type == ST_NUMBER || f->type == ST_MONEY ||
	    f->type == ST_SHARE || f->type == ST_YEARS || f->type == ST_SCHEDULE ||
	    f->type == ST_MAP || f->type == ST_NUMLIST) {
		schema_bounds_text(f, buf, sizeof(buf));
		fputs(buf, out);
	}
}

static void write_record(FILE *out, const struct schema_record *r, const char *path)
{
	char sub[256];
	size_t i;

	if (r == &schema_plan)
		fprintf(out, "## Top level\n\n");
	else
		fprintf(out, "## %s\n\n`%s`%s\n\n", r->title, path,
			r->section ? " (one record per id)" : "");
	fprintf(out, "%s\n\n", r->doc);
	fprintf(out, "| key | type | default | allowed | meaning |\n");
	fprintf(out, "|---|---|---|---|---|\n");
	for (i = 0; i < r->nfields; i++) {
		const struct schema_field *f = &r->fields[i];

		fprintf(out, "| `%s` | ", f->key);
		write_type(out, f);
		fputs(" | ", out);
		write_default(out, f);
		fputs(" | ", out);
		write_allowed(out, f);
		fprintf(out, " | %s%s |\n", f->doc,
			(f->flags & SF_FIXED) && f->type != ST_RECORD && f->type != ST_INCLUDE
			    ? " (fixed: no parameter path)"
			    : "");
	}
	fputc('\n', out);
	for (i = 0; i < r->nfields; i++) {
		const struct schema_field *f = &r->fields[i];
		const char *sep = *path ? "." : "";

		if (f->type == ST_RECORD)
			snprintf(sub, sizeof(sub), "%s%s%s", path, sep, f->key);
		else if (f->type == ST_RECORDS)
			snprintf(sub, sizeof(sub), "%s%s%s.<id>", path, sep, f->key);
		else if (f->type == ST_LIST)
			snprintf(sub, sizeof(sub), "%s%s%s[]", path, sep, f->key);
		else
			continue;
		write_record(out, f->sub, sub);
	}
}

void schema_write_reference(FILE *out)
{
	fprintf(out,
		"# Plan reference (schema version %d)\n\n"
		"<!-- Generated from inputs/schema.c by the plan_reference program; do not edit.\n"
		"     Regenerate: build/inputs/plan_reference > docs/plan-reference.md -->\n\n"
		"Every key a plan may hold, with its type, default and allowed values. The\n"
		"concepts, with examples, are in [plan-format.md](plan-format.md). Unknown keys\n"
		"are errors.\n\n",
		PLAN_SCHEMA_VERSION);
	fprintf(out,
		"## Types\n\n"
		"| type | written as |\n|---|---|\n"
		"| integer | a whole number: `12`, `2026` |\n"
		"| number | a finite decimal number: `0.5`, `-3`, `2.5e6`, `150_000` |\n"
		"| money | a number or a literal with a suffix `k`, `m`, `bn`, `tn`: `158m`, "
		"`43.73bn`; quoted text is accepted |\n"
		"| share | a number between 0 and 1 |\n"
		"| boolean | `true` or `false` |\n"
		"| text | any scalar without control characters (tab and line feed are fine), "
		"bidirectional controls, line separators or U+FEFF |\n"
		"| name | one of the listed words |\n"
		"| *section* id | the id of an entry of that section |\n"
		"| year series | a number (every year) or `{year: number}`; a year without a "
		"value holds the previous one |\n"
		"| money schedule | money (every year) or `{year: money}`; years not given are 0 "
		"|\n"
		"| id → *x* | a mapping from ids (`^[a-z][a-z0-9_]{0,62}$`) to *x* |\n\n");
	write_record(out, &schema_plan, "");
	fprintf(out,
		"## Limits\n\n"
		"| limit | value |\n|---|---|\n"
		"| file size (each file, and a plan with its includes) | %zu MiB |\n"
		"| nesting of sequences and mappings | %d levels |\n"
		"| length of one scalar | %zu KiB |\n"
		"| nodes, counting aliases expanded (all files together) | %zu |\n"
		"| horizon | %d years, between %d and %d |\n"
		"| include depth | %d files |\n"
		"| correlated uncertainty parameters | %d |\n"
		"| problems reported per load | %d |\n",
		YDOC_MAX_BYTES >> 20, YDOC_MAX_DEPTH, YDOC_MAX_SCALAR >> 10, YDOC_MAX_NODES,
		PLAN_MAX_YEARS, PLAN_YEAR_MIN, PLAN_YEAR_MAX, PLAN_MAX_INCLUDE_DEPTH,
		SCHEMA_MAX_CORRELATED, BIND_MAX_ERRORS);
}
