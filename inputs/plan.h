/* plan.h - the validated plan: what a YAML plan file says, resolved and checked. */
#ifndef PORCUPINE_PLAN_H
#define PORCUPINE_PLAN_H

#include <stddef.h>

#include "diag.h"

/* Schema version this build reads (`porcupine: 1`). */
#define PLAN_SCHEMA_VERSION 1
/* Longest horizon a plan may have, in years. Year-indexed values are fixed arrays. */
#define PLAN_MAX_YEARS 30
/* Earliest and latest calendar year accepted in a horizon. */
#define PLAN_YEAR_MIN 2000
#define PLAN_YEAR_MAX 2100
/* Deepest chain of include files below the plan file. */
#define PLAN_MAX_INCLUDE_DEPTH 8

/* A value per horizon year: v[t] is the value in year horizon.start + t.
 * In YAML either a scalar (every year) or a mapping {year: value}; see docs/plan-format.md
 * for how missing years are filled (held forward, or zero for money schedules). */
struct yseries {
	double v[PLAN_MAX_YEARS];
};

/* Where a value came from in the plan file, for diagnostics after loading. */
struct plan_loc {
	const char *file; /* borrowed from the plan */
	int line, col;
};

enum source_kind { SOURCE_LOAN = 0, SOURCE_BUDGET, SOURCE_GRANT };
enum buyer_kind { BUYER_MEMBER_STATE = 0, BUYER_EEA, BUYER_PARTNER, BUYER_GROUP };
enum objective_kind { OBJECTIVE_COST = 0, OBJECTIVE_CAPABILITY };
enum dist_kind {
	DIST_TRIANGULAR = 0,
	DIST_PERT,
	DIST_UNIFORM,
	DIST_NORMAL,
	DIST_LOGNORMAL,
	DIST_DISCRETE,
	DIST_BERNOULLI
};
enum apply_kind { APPLY_SET = 0, APPLY_SCALE };
/* Capability contribution of an item: from the stock in service, or from the year's deliveries. */

struct category {
	const char *id, *name;
	int safe_category; /* 1 or 2 under SAFE, 0 = not a SAFE category */
	const char *source;
	struct plan_loc loc;
};

struct buyer {
	const char *id, *name;
	enum buyer_kind kind;
	int can_borrow;         /* partners such as Ukraine cannot take SAFE loans */
	struct yseries troops_max; /* most troops it can commit to deployments (rotation pool), per year */
	const char *source;
	struct plan_loc loc;
};

/* Rules attached to a funding source.  Absent rules have the "off" value noted. */
struct funding_rules {
	int min_countries;             /* common procurement: >= this many countries per lot (0 = off) */
	double lead_share_max;         /* no buyer above this share of a pooled lot (1 = off) */
	double european_content_min;   /* EU/EEA/UA content of funded spend (0 = off) */
	int single_buyer_until;        /* last year single-buyer purchases are allowed (0 = never) */
	double prefinancing_max;       /* share of each allocation usable in the first year (1 = off) */
	int disbursement_until;        /* last year money can be drawn (0 = horizon end) */
	int pooled;                    /* purchases are common procurement: pooled discount applies */
};

struct allocation {
	int buyer;     /* index into plan.buyers */
	double amount; /* EUR */
	struct plan_loc loc;
};

struct funding_source {
	const char *id, *name;
	enum source_kind kind;
	double total;              /* EUR over the horizon; < 0 = no overall cap */
	struct yseries available;  /* EUR per year (money schedule: missing years are 0) */
	int carry_over;            /* unspent money moves to the next year */
	double interest_rate;      /* annual, for loans */
	int grace_years, maturity_years;
	double cost_factor;        /* present value of repaying one EUR, computed by the loader
				    * from rate, grace, maturity and the plan's discount rate (1 for budgets) */
	int *buyers;               /* indices of buyers that may draw on it */
	size_t nbuyers;
	int *categories;           /* indices of eligible categories */
	size_t ncategories;
	struct allocation *allocations; /* per-buyer caps; nallocations == 0 = none */
	size_t nallocations;
	struct funding_rules rules;
	const char *source;
	struct plan_loc loc;
};

/* What one unit of an item contributes to one capability. */
struct provision {
	int capability; /* index into plan.capabilities */
	double amount;  /* capability units per item unit */
};

struct item {
	const char *id, *name;
	int category;              /* index into plan.categories */
	double unit_cost;          /* EUR per unit at the horizon start */
	double cost_growth;        /* annual real escalation of unit_cost (0.03 = 3 %/yr) */
	double pooled_discount;    /* fraction off unit_cost when bought through a pooled source */
	double european_content;   /* share of value from EU/EEA/UA industry, 0..1 */
	int lead_time;             /* years from order to delivery (0 = same year) */
	struct yseries capacity;   /* units that can be ordered per year, all buyers together; < 0 = unlimited */
	int integer;               /* whole units only (branch-and-cut) */
	double initial_stock;      /* units in service before the horizon */
	double attrition;          /* share of stock lost or expended each year (1 = consumable) */
	struct provision *provides;
	size_t nprovides;
	const char *source;
	struct plan_loc loc;
};

struct capability {
	const char *id, *name, *unit;
	struct yseries target;     /* explicit target per year (blocks may add derived targets) */
	double penalty;            /* EUR per unit of shortfall per year (also the weight when
				    * objective is capability) */
	int priority;              /* 1 = highest; informational, used to order reports */
	int hard;                  /* the target must be met: no shortfall column */
	int *buyers;               /* whose stock counts (nbuyers == 0: everyone's) */
	size_t nbuyers;
	const char *source;
	struct plan_loc loc;
};

struct contribution {
	int buyer;
	double troops_max; /* most troops this buyer commits to this deployment */
	struct plan_loc loc;
};

/* A deployed force such as the reassurance force. */
struct deployment {
	const char *id, *name;
	struct yseries troops;     /* troops deployed at any one time, per year (target) */
	double rotation_ratio;     /* troops committed per troop deployed (3 = rule of thirds) */
	double tour_months;        /* length of one tour */
	double cost_per_troop_year;/* EUR per committed troop-year */
	int paid_by;               /* index of the funding source that pays personnel */
	double shortfall_penalty;  /* EUR per troop-year not deployed */
	double sustain_t_per_troop_day; /* supplies per deployed troop and day, tonnes */
	double air_share;          /* share of sustainment and rotation moved by air */
	double pax_t;              /* tonnes of lift per person rotated (with kit) */
	int lift_capability;       /* capability the lift need is added to, -1 = none */
	struct contribution *contributors;
	size_t ncontributors;
	const char *source;
	struct plan_loc loc;
};

struct air_defence {
	int enabled;
	struct yseries defended_sites;
	double fire_units_per_site;
	double engagements_per_site_year;
	double interceptors_per_engagement;
	int fire_unit_capability;   /* index, -1 = none */
	int interceptor_capability; /* index, -1 = none */
	const char *source;
	struct plan_loc loc;
};

struct kit_entry {
	int item;
	double per_brigade; /* units of the item to equip one brigade */
	struct plan_loc loc;
};

struct ukraine {
	int enabled;
	int buyer;                    /* the buyer whose stock equips brigades */
	int capability;               /* capability counted in brigades */
	struct yseries brigades_existing; /* brigades equipped without new purchases */
	struct kit_entry *kit;
	size_t nkit;
	const char *source;
	struct plan_loc loc;
};

/* US backing: a share (0 none .. 1 full) of a list of capability contributions. */
struct us_contribution {
	int capability;
	struct yseries amount; /* capability units the US provides at full backing */
	struct plan_loc loc;
};

struct assumptions {
	double us_backing; /* 0..1 */
	struct us_contribution *us;
	size_t nus;
	const char *source;
};

struct uparam {
	const char *id;       /* name used in correlations and reports */
	const char *path;     /* parameter path, may contain '*' for "every id" */
	enum dist_kind dist;
	enum apply_kind apply;/* set the value, or scale the base value */
	double a, b, c;       /* triangular/pert: min, mode, max; uniform: min, max;
			       * normal/lognormal: mean, sd; bernoulli: p */
	double *values, *weights; /* discrete */
	size_t nvalues;
	const char *source;
	struct plan_loc loc;
};

struct correlation {
	int a, b;   /* indices into uncertainty.params */
	double rho; /* rank correlation, -1..1 */
	struct plan_loc loc;
};

struct uncertainty {
	unsigned long long seed;
	struct uparam *params;
	size_t nparams;
	struct correlation *correlations;
	size_t ncorrelations;
};

struct solver_opts {
	double mip_gap;      /* relative */
	double time_limit_s; /* per solve; 0 = none */
};

/* The whole plan.  Everything it points to lives in one arena owned by the plan:
 * pointers are borrowed until plan_free.  Immutable after plan_load, except through
 * plan_set (the --set mechanism), which only changes numbers.  Safe to share read-only
 * between threads. */
struct plan {
	struct plan_arena *arena;
	const char *file;        /* path the plan was read from, or "<default plan>" */
	char sha256[65];         /* of the plan's bytes (after includes, in order read) */
	int schema;
	const char *name, *description, *currency, *data_date;
	int start_year, end_year, nyears;
	double discount_rate;
	enum objective_kind objective;
	struct solver_opts solver;

	struct category *categories;   size_t ncategories;
	struct buyer *buyers;          size_t nbuyers;
	struct funding_source *sources;size_t nsources;
	struct item *items;            size_t nitems;
	struct capability *capabilities; size_t ncapabilities;
	struct deployment *deployments;  size_t ndeployments;
	struct air_defence air_defence;
	struct ukraine ukraine;
	struct assumptions assumptions;
	struct uncertainty uncertainty;
};

/* Error codes (0 = OK).  */
enum plan_err {
	PLAN_OK = 0,
	PLAN_EINVALID = 2, /* the input is bad: diagnostics were recorded */
	PLAN_ENOMEM = 3,
	PLAN_EIO = 4       /* cannot read the file: a diagnostic was recorded */
};
const char *plan_strerror(int err);

/* Load and validate a plan from a file.  Every problem found is added to dl (all of them,
 * not just the first).  On success *out is a new plan; on failure *out is NULL. */
int plan_load_file(struct plan **out, const char *path, struct diag_list *dl);

/* Same from memory; `name` is used in diagnostics (e.g. "<default plan>").  `dir` is where
 * relative includes are resolved (NULL: includes are refused). */
int plan_load_mem(struct plan **out, const char *name, const char *dir, const char *text,
		  size_t len, struct diag_list *dl);

/* The default "steel porcupine" plan compiled into the binary. */
extern const char plan_default_text[];
extern const size_t plan_default_len;
int plan_load_default(struct plan **out, struct diag_list *dl);

void plan_free(struct plan *p);

/* A deep copy (same arena layout, independent numbers), for scenario work.  ENOMEM only. */
int plan_clone(struct plan **out, const struct plan *p);

/* Override one numeric parameter by path (see params.h); "PATH=VALUE" text as given on the
 * command line.  Revalidates the plan; problems go to dl with file "<command line>". */
int plan_set(struct plan *p, const char *assignment, struct diag_list *dl);

/* Version of the YAML library the loader uses, e.g. "0.2.5". */
const char *plan_yaml_version(void);

/* Recompute the figures the loader derives from others: each buyer's can_borrow (from its
 * kind) and each funding source's cost_factor (from its rate, grace and maturity and the
 * plan's discount rate).  plan_set calls it; call it after changing numbers through
 * param_slot pointers.  Cannot fail. */
void plan_update_derived(struct plan *p);

/* Present value, at discount rate `discount`, of repaying one EUR borrowed at `rate` with
 * `grace` years of interest only, then level principal repayments until `maturity` years
 * after drawing (payments at the end of each year).  1 when maturity <= 0. */
double plan_loan_cost_factor(double rate, double discount, int grace, int maturity);

/* Index lookups by id; -1 when absent. */
int plan_find_item(const struct plan *p, const char *id);
int plan_find_capability(const struct plan *p, const char *id);
int plan_find_source(const struct plan *p, const char *id);
int plan_find_buyer(const struct plan *p, const char *id);
int plan_find_category(const struct plan *p, const char *id);

/* Year index of a calendar year, or -1 outside the horizon. */
static inline int plan_year_index(const struct plan *p, int year)
{
	return (year < p->start_year || year > p->end_year) ? -1 : year - p->start_year;
}

#endif
