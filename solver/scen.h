/* scen.h - the scenario engine: draws scenarios of a plan's uncertainty, solves the
 * allocation model for each on every core, keeps per-scenario figures and sums them up. */
#ifndef PORCUPINE_SCEN_H
#define PORCUPINE_SCEN_H

#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "lp.h"
#include "model.h"
#include "plan.h"
#include "sample.h"

struct scen_store;

/* Options of a run.  SCEN_OPTS_INIT gives the defaults. */
struct scen_opts {
	size_t n; /* scenarios requested (ids 0..n-1) */
	uint64_t seed;
	enum sample_method method;   /* plain Monte Carlo or Latin hypercube */
	int threads;		     /* OpenMP threads, >= 1 */
	double precision;	     /* stop once stderr/|mean| of the objective is below this
				      * (0 = off); checked in scenario-id order */
	size_t min_for_precision;    /* ... but not before this many solved scenarios */
	struct lp_opts lp;	     /* per scenario: MIP gap, time limit */
	int cold;		     /* solve every scenario from scratch (benchmarks) */
	size_t stop_after;	     /* behave as if interrupted after this many (0 = off; tests) */
	atomic_int *stop; /* set asynchronously (SIGINT; lock-free, so signal-safe and read by
			   * every worker thread without a race): stop at the next scenario */
	/* Called on the thread that called scen_run, about twice a second and at the end:
	 * scenarios finished so far (including resumed ones), requested, seconds elapsed. */
	void (*progress)(void *ctx, size_t done, size_t total, double elapsed_s);
	void *progress_ctx;
};
#define SCEN_OPTS_INIT                                                                             \
	{                                                                                          \
		1000, 1, SAMPLE_MC, 1, 0.0, 30, LP_OPTS_INIT, 0, 0, NULL, NULL, NULL               \
	}

/* What a run keeps per scenario: a few numbers, never the whole solution.  The figures are
 * laid out in one row of scen_layout.width doubles (NaN = not available). */
struct scen_layout {
	size_t ncap, ncat, nsrc, npar, nyear;
	size_t width;
	/* offsets into a row */
	size_t objective, total_spend, purchase, personnel, mip_gap;
	size_t shortfall; /* [ncap]: summed over the horizon years, capability units x years */
	size_t met;	  /* [ncap]: 1 when no year falls short, 0 otherwise */
	size_t cat_spend; /* [ncat]: purchases, EUR */
	size_t src_used;  /* [nsrc]: EUR drawn over the horizon (purchases + personnel) */
	size_t src_mv;	  /* [nsrc]: objective gained per extra EUR of the source (see docs) */
	size_t param;	  /* [npar]: the drawn parameter values */
	/* [ncap * nyear], capability-major (c * nyear + t, t = year - horizon start): the
	 * capability's level in service and its shortfall in each year; NaN for a year with no
	 * target.  They feed the per-year fan charts. */
	size_t yr_achieved, yr_shortfall;
};
void scen_layout_init(struct scen_layout *l, const struct plan *p);

/* One scenario's record. */
struct scen_rec {
	uint8_t done;	/* the scenario finished (solved or failed) */
	uint8_t status; /* enum sol_status; SCEN_INVALID when the scenario's plan was refused */
	uint8_t start;	/* enum lp_start */
	uint8_t mip;	/* enum lp_mip_path */
	int32_t iterations;
};
/* Status of a scenario whose drawn plan a model block refused. */
#define SCEN_INVALID 200
const char *scen_status_name(int status);

/* Everything a run produced, in scenario-id order. */
struct scen_result {
	struct scen_layout lay;
	size_t requested;
	size_t n;	       /* finished: ids 0..n-1, contiguous */
	size_t resumed;	       /* of which were read back from an earlier run */
	struct scen_rec *rec;  /* [requested] */
	double *val;	       /* [requested * lay.width] */
	char **message;	       /* [requested]: why a scenario failed, or NULL */
	int interrupted;       /* stopped early by a signal (or stop_after) */
	int precision_reached; /* stopped early by --precision */
	double elapsed_s;
	/* the anchor: did scenarios start warm from the nominal basis? */
	int anchored;
};
void scen_result_free(struct scen_result *r);

/* A new empty result for plan p with room for o->n scenarios.  NULL when out of memory. */
struct scen_result *scen_result_new(const struct plan *p, size_t requested);

/* Build scenario k of plan p: a copy of p with the draw applied (draw[npar] is filled),
 * its derived figures updated, and its model.  *q and *m are new (free them with model_free
 * then plan_free).  Returns PLAN_OK; PLAN_EINVALID when a block refuses the drawn plan
 * (diagnostics in dl); PLAN_ENOMEM.  Thread-safe for distinct dl. */
int scen_build(struct plan **q, struct model **m, double *draw, const struct plan *p,
	       const struct sampler *s, uint64_t k, struct diag_list *dl);

/* Run scenarios res->n .. o->n - 1 of plan p (res holds those already done, e.g. read back
 * by scen_store_load), with nominal model m and its solution nominal (the anchor: warm
 * starts from its basis; nominal->x may be NULL).  Records go to res; every finished
 * scenario is handed to store (may be NULL) in id order, in batches, from this thread.
 * Returns 0 (res->n scenarios done; fewer than requested when interrupted or when the
 * precision was reached), or -1 (out of memory, or the store failed: a diagnostic in dl).
 * Failed scenarios are results, not errors. */
int scen_run(struct scen_result *res, const struct plan *p, const struct model *m,
	     const struct solution *nominal, const struct scen_opts *o, struct scen_store *store,
	     struct diag_list *dl);

/* ---- statistics ---------------------------------------------------------------------- */

/* Distribution of one figure over the solved scenarios.  Quantiles are exact: linear
 * interpolation between order statistics (Hyndman and Fan's type 7, as R and NumPy). */
struct scen_dist {
	size_t n; /* values that entered (finite, from solved scenarios) */
	double mean, stderr_, sd, min, p5, p50, p95, max;
};

struct scen_cap_sum {
	int capability;
	double p_target_met; /* share of solved scenarios in which no year falls short */
	struct scen_dist shortfall;
	/* [nyear] each (year = horizon start + index): in service and shortfall per year; a
	 * year without a target has n = 0 */
	struct scen_dist *yr_achieved, *yr_shortfall;
};
struct scen_idx_sum {
	int index; /* category, source or parameter index in the plan */
	struct scen_dist a, b;
};
struct scen_fail {
	const char *status; /* "infeasible", "time_limit", ... */
	size_t count;
};

/* The summary the reports print (report_ctx.scenarios). */
struct scen_summary {
	size_t requested, n, solved, failed;
	uint64_t seed;
	const char *method;  /* "monte_carlo" or "latin_hypercube" */
	const char *stopped; /* "complete", "interrupted" or "precision" */
	double precision;    /* asked for (0 = none) */
	double rel_stderr;   /* stderr / |mean| of the objective reached */
	struct scen_fail fail[8];
	size_t nfail;
	struct scen_dist objective, total_spend, iterations;
	size_t kept, warm, cold; /* how the LPs started */
	size_t mip_rounded, mip_incumbent, mip_search;
	struct scen_cap_sum *caps;
	size_t ncaps;
	int year0;    /* the horizon's first year */
	size_t nyear; /* entries of caps[].yr_* */
	struct scen_idx_sum *cats;
	size_t ncats; /* a = spend_eur */
	struct scen_idx_sum *srcs;
	size_t nsrcs; /* a = used_eur, b = marginal_value */
	struct scen_idx_sum *pars;
	size_t npars; /* a = value drawn */
};

/* Summarise res (statistics in scenario-id order, so the same for any thread count).
 * NULL when out of memory. */
struct scen_summary *scen_summarize(const struct scen_result *res, const struct plan *p,
				    const struct scen_opts *o);
void scen_summary_free(struct scen_summary *s);

/* Exact quantile (type 7) of sorted[0..n-1], prob in [0, 1]; NaN when n = 0. */
double scen_quantile(const double *sorted, size_t n, double prob);
/* Distribution of v[0..n-1] (non-finite values skipped).  -1 when out of memory. */
int scen_dist_of(struct scen_dist *d, const double *v, size_t n);

/* ---- results store (SQLite) and scenarios.csv ------------------------------------------ */

/* What identifies a run, kept in the store so that --resume can check it continues the
 * same one. */
struct scen_meta {
	const char *plan_sha256, *plan_source, *plan_name;
	const char *const *set;
	size_t nset;
	uint64_t seed;
	size_t requested;
	enum sample_method method;
	double precision, mip_gap, time_limit_s;
};

/* Make SQLite allocate through alloc.h's hook (its default allocator behind it).  Call
 * once, before any other SQLite call. */
void scen_store_route_alloc(void);

/* Open (create) the store at path, a temporary file that scen_store_commit renames to
 * final.  With resume_from (the final file of an interrupted run), its content is copied
 * first.  0, or -1 with a diagnostic. */
int scen_store_open(struct scen_store **out, const char *path, const char *final,
		    const char *resume_from, const struct plan *p, struct diag_list *dl);
/* Write the run's identity (replacing what a resumed store had).  0 or -1 (diagnostic). */
int scen_store_put_meta(struct scen_store *st, const struct scen_meta *m, struct diag_list *dl);
/* Read the identity of an existing store file at path; the strings *m points to live in
 * *owned until scen_meta_release(*owned).  0, or -1 with a diagnostic. */
int scen_store_read_meta(const char *path, struct scen_meta *m, void **owned, struct diag_list *dl);
void scen_meta_release(void *owned);
/* Read every finished scenario of the (resumed) store into res (res->n set). 0 or -1. */
int scen_store_load(struct scen_store *st, struct scen_result *res, struct diag_list *dl);
/* One scenario's records and allocation, in id order; called in batches between
 * scen_store_begin and scen_store_end (one transaction). */
int scen_store_begin(struct scen_store *st);
int scen_store_put(struct scen_store *st, const struct scen_result *res, size_t k,
		   const struct res_alloc *alloc, size_t nalloc);
int scen_store_end(struct scen_store *st);
/* Close the store, make it durable and rename it over its final path.  0 or -1
 * (diagnostic); the store is freed either way. */
int scen_store_commit(struct scen_store *st, struct diag_list *dl);
/* Close and delete the temporary file (NULL accepted). */
void scen_store_abort(struct scen_store *st);
/* Last error text of the store (for diagnostics). */
const char *scen_store_error(const struct scen_store *st);

/* scenarios.csv: one row per finished scenario in id order (id, status, objective, total
 * spend, shortfall per capability, drawn parameter values).  0, or -1 (errno). */
int scen_write_csv(FILE *f, const struct scen_result *res, const struct plan *p);

#endif
