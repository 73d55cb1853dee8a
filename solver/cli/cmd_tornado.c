/* cmd_tornado.c - `porcupine tornado`: every uncertain parameter of the plan at its low and
 * high value, ranked by how far it swings the objective; tornado.csv, tornado.json, the
 * chart, and the plan's own reports with a "tornado" section. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "cli.h"
#include "lp.h"
#include "model.h"
#include "ranging.h"
#include "report.h"
#include "report_sens.h"
#include "tornado.h"
#include "version.h"

/* Bars printed on the terminal unless --top says otherwise. */
#define TOP_DEFAULT 10

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* "0.05,0.95" -> lo, hi. */
static int parse_quantiles(const char *s, double *lo, double *hi)
{
	const char *comma = strchr(s, ',');
	char a[64];
	if (!comma || (size_t)(comma - s) >= sizeof(a))
		return -1;
	memcpy(a, s, (size_t)(comma - s));
	a[comma - s] = '\0';
	if (cli_parse_double(a, lo) || cli_parse_double(comma + 1, hi))
		return -1;
	return *lo > 0 && *lo < *hi && *hi < 1 ? 0 : -1;
}

int cmd_tornado(int argc, char **argv)
{
	const char **set = pc_calloc((size_t)argc, sizeof(*set));
	const char *plan = NULL, *outdir = "out";
	struct tornado_opts to = TORNADO_OPTS_INIT;
	struct tornado t;
	struct ranging rng;
	struct plan *p = NULL;
	struct model *m = NULL;
	struct solution sol;
	struct results res;
	struct diag_list dl;
	double tlim = -1, gap = -1;
	long long threads = 0, top = TOP_DEFAULT;
	size_t nset = 0;
	int err = 0, quiet = 0, status = EXIT_OK, have_rng = 0;
	int *groups = NULL;

	memset(&t, 0, sizeof(t));
	memset(&rng, 0, sizeof(rng));
	memset(&sol, 0, sizeof(sol));
	memset(&res, 0, sizeof(res));
	diag_list_init(&dl);
	if (!set) {
		fprintf(stderr, "porcupine: out of memory\n");
		return EXIT_FAILURE_RUN;
	}
	for (int i = 1; i < argc; i++) {
		const char *v;
		if ((v = cli_opt_value(argc, argv, &i, "--set", &err)))
			set[nset++] = v;
		else if (!err && (v = cli_opt_value(argc, argv, &i, "-o|--output", &err)))
			outdir = v;
		else if (!err && (v = cli_opt_value(argc, argv, &i, "--quantiles", &err))) {
			if (parse_quantiles(v, &to.qlo, &to.qhi) != 0) {
				status = cli_usage_error("tornado",
							 "--quantiles wants LO,HI with 0 < LO < HI "
							 "< 1, such as 0.05,0.95, got '%s'",
							 v);
				goto out;
			}
		} else if (!err && (v = cli_opt_value(argc, argv, &i, "-j|--threads", &err))) {
			if ((threads = cli_parse_count(v)) < 1 || threads > 1024) {
				status = cli_usage_error("tornado",
							 "--threads wants 1 to 1024, got '%s'", v);
				goto out;
			}
		} else if (!err && (v = cli_opt_value(argc, argv, &i, "--top", &err))) {
			if ((top = cli_parse_count(v)) < 0) {
				status = cli_usage_error("tornado",
							 "--top wants a whole number, got '%s'", v);
				goto out;
			}
		} else if (!err && (v = cli_opt_value(argc, argv, &i, "--time-limit", &err))) {
			if (cli_parse_double(v, &tlim) || tlim < 0) {
				status = cli_usage_error("tornado",
							 "--time-limit wants seconds >= 0, "
							 "got '%s'",
							 v);
				goto out;
			}
		} else if (!err && (v = cli_opt_value(argc, argv, &i, "--mip-gap", &err))) {
			if (cli_parse_double(v, &gap) || gap < 0 || gap >= 1) {
				status = cli_usage_error("tornado",
							 "--mip-gap wants a number in [0, "
							 "1), got '%s'",
							 v);
				goto out;
			}
		} else if (err)
			break;
		else if (cli_opt_flag(argv[i], "--bounds"))
			to.range = TORNADO_BOUNDS;
		else if (cli_opt_flag(argv[i], "-q|--quiet"))
			quiet = 1;
		else if (argv[i][0] == '-' && argv[i][1]) {
			status = cli_usage_error("tornado", "unknown option '%s'", argv[i]);
			goto out;
		} else if (plan) {
			status = cli_usage_error(
			    "tornado", "one plan at a time (got '%s' and '%s')", plan, argv[i]);
			goto out;
		} else
			plan = argv[i];
	}
	if (err) {
		status = EXIT_BAD_INPUT;
		goto out;
	}

	double t0 = now_s();
	status = cli_load_plan(&p, plan, set, nset);
	if (status != EXIT_OK)
		goto out;
	to.lp = sweep_lp_opts(p);
	if (gap >= 0)
		to.lp.mip_gap = gap;
	if (tlim >= 0)
		to.lp.time_limit_s = tlim;
	to.threads = (int)threads;

	/* the plan as it is, solved as `solve` does, for its reports */
	int rc = model_build(&m, p, &dl);
	if (rc != PLAN_OK) {
		diag_sort(&dl);
		diag_print(&dl, stderr, 0);
		if (rc == PLAN_ENOMEM)
			fprintf(stderr, "porcupine: out of memory\n");
		status = rc == PLAN_EINVALID ? EXIT_BAD_INPUT : EXIT_FAILURE_RUN;
		goto out;
	}
	struct lp_opts lo = to.lp;
	lo.want_ranging = 1;
	lo.cost_group = groups = ranging_cost_groups(m, &lo.ncost_groups);
	if (!groups)
		lo.ncost_groups = 0;
	if (lp_solve(&sol, m->lp, &lo) != 0 || model_extract(&res, m, &sol) != 0) {
		fprintf(stderr, "porcupine: out of memory\n");
		status = EXIT_FAILURE_RUN;
		goto out;
	}
	if (sol.status != SOL_OPTIMAL && sol.status != SOL_FEASIBLE) {
		fprintf(stderr, "porcupine tornado: the plan does not solve: %s%s%s\n",
			sol_status_name(sol.status), sol.message ? ": " : "",
			sol.message ? sol.message : "");
		if (sol.status == SOL_INFEASIBLE)
			fprintf(stderr,
				"  run 'porcupine solve' on it to see which rules conflict\n");
		status = EXIT_FAILURE_RUN;
		goto out;
	}
	int rr = ranging_build(&rng, m, &sol);
	if (rr < 0) {
		fprintf(stderr, "porcupine: out of memory\n");
		status = EXIT_FAILURE_RUN;
		goto out;
	}
	have_rng = rr == 0;

	rc = tornado_run(&t, p, &to, &dl);
	if (rc != PLAN_OK) {
		diag_sort(&dl);
		diag_print(&dl, stderr, isatty(STDERR_FILENO));
		if (rc == PLAN_ENOMEM)
			fprintf(stderr, "porcupine: out of memory\n");
		status = rc == PLAN_EINVALID ? EXIT_BAD_INPUT : EXIT_FAILURE_RUN;
		goto out;
	}

	struct report_ctx rc_ = {
	    .plan = p,
	    .model = m,
	    .sol = &sol,
	    .res = &res,
	    .command = "tornado",
	    .set = set,
	    .nset = nset,
	    .seed = p->uncertainty.seed,
	    .threads = threads > 0 ? (int)threads : 1,
	    .elapsed_s = now_s() - t0,
	    .tool_version = PORCUPINE_VERSION,
	    .ranging = have_rng ? &rng : NULL,
	    .tornado = &t,
	};
	struct report_sens_meta meta = {"tornado", set, nset, NULL};
	if (report_write_solve(outdir, &rc_, &dl) != 0 ||
	    report_write_tornado(outdir, &t, &meta, &dl) != 0 ||
	    report_write_views(outdir, &dl) != 0) {
		diag_print(&dl, stderr, 0);
		fprintf(stderr, "porcupine tornado: could not write the reports into '%s'\n",
			outdir);
		status = EXIT_FAILURE_RUN;
		goto out;
	}
	if (!quiet) {
		report_print_tornado(stdout, &t, (size_t)top);
		printf("reports written to %s/ (tornado.csv, tornado.json, tornado.svg, and the "
		       "plan's reports with a tornado section)\n",
		       outdir);
	}
out:
	free(groups);
	tornado_release(&t);
	ranging_release(&rng);
	results_release(&res);
	solution_release(&sol);
	model_free(m);
	plan_free(p);
	diag_list_release(&dl);
	free(set);
	return status;
}
