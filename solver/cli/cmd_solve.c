/* cmd_solve.c - `porcupine solve`: build the allocation model, solve it, re-check it and
 * write the reports. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alloc.h"
#include "cli.h"
#include "diagnose.h"
#include "lp.h"
#include "model.h"
#include "ranging.h"
#include "report.h"
#include "version.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Name the hard rules that contradict each other (exit 1). */
static int explain_infeasible(const struct model *m, const struct lp_opts *o)
{
	struct relaxed_rule *r;
	size_t n;

	fprintf(stderr, "porcupine solve: the plan's hard rules contradict each other\n");
	if (diagnose_infeasible(&r, &n, m->lp, o) != 0) {
		fprintf(stderr, "porcupine solve: could not find which rules conflict\n");
		return EXIT_FAILURE_RUN;
	}
	if (n == 0)
		fprintf(stderr, "  no single rule is in conflict when fractions of units are "
				"allowed: the whole-unit (integer) purchases cannot meet the rules\n");
	else {
		fprintf(stderr, "the smallest relaxation that would make it feasible changes:\n");
		diagnose_print(stderr, m->lp, r, n, 20);
	}
	free(r);
	return EXIT_FAILURE_RUN;
}

int cmd_solve(int argc, char **argv)
{
	struct cli_common c = { 0 };
	const char **set = pc_calloc((size_t)argc, sizeof(*set));
	struct lp_opts o = LP_OPTS_INIT;
	double tlim = -1, gap = -1;
	int err = 0, verbose = 0, status = EXIT_OK;
	struct plan *p = NULL;
	struct model *m = NULL;
	struct solution sol;
	struct results res;
	struct ranging rng;
	int *groups = NULL;
	struct diag_list dl;

	memset(&sol, 0, sizeof(sol));
	memset(&res, 0, sizeof(res));
	memset(&rng, 0, sizeof(rng));
	diag_list_init(&dl);
	if (!set) {
		fprintf(stderr, "porcupine: out of memory\n");
		return EXIT_FAILURE_RUN;
	}
	c.set = set;
	c.outdir = "out";
	for (int i = 1; i < argc; i++) {
		const char *v;
		if ((v = cli_opt_value(argc, argv, &i, "--set", &err)))
			set[c.nset++] = v;
		else if (!err && (v = cli_opt_value(argc, argv, &i, "-o|--output", &err)))
			c.outdir = v;
		else if (!err && (v = cli_opt_value(argc, argv, &i, "--time-limit", &err))) {
			if (cli_parse_double(v, &tlim) || tlim < 0) {
				status = cli_usage_error("solve", "--time-limit wants seconds >= 0, "
								  "got '%s'", v);
				goto out;
			}
		} else if (!err && (v = cli_opt_value(argc, argv, &i, "--mip-gap", &err))) {
			if (cli_parse_double(v, &gap) || gap < 0 || gap >= 1) {
				status = cli_usage_error("solve", "--mip-gap wants a number in [0, 1), "
								  "got '%s'", v);
				goto out;
			}
		} else if (err)
			break;
		else if (cli_opt_flag(argv[i], "-q|--quiet"))
			c.quiet = 1;
		else if (cli_opt_flag(argv[i], "-v|--verbose"))
			verbose = 1;
		else if (argv[i][0] == '-' && argv[i][1]) {
			status = cli_usage_error("solve", "unknown option '%s'", argv[i]);
			goto out;
		} else if (c.plan) {
			status = cli_usage_error("solve", "one plan at a time (got '%s' and '%s')",
						 c.plan, argv[i]);
			goto out;
		} else
			c.plan = argv[i];
	}
	if (err) {
		status = EXIT_BAD_INPUT;
		goto out;
	}

	double t0 = now_s();
	status = cli_load_plan(&p, c.plan, c.set, c.nset);
	if (status != EXIT_OK)
		goto out;

	int rc = model_build(&m, p, &dl);
	if (rc != PLAN_OK) {
		diag_sort(&dl);
		diag_print(&dl, stderr, 0);
		if (rc == PLAN_ENOMEM)
			fprintf(stderr, "porcupine: out of memory\n");
		status = rc == PLAN_EINVALID ? EXIT_BAD_INPUT : EXIT_FAILURE_RUN;
		goto out;
	}

	o.mip_gap = gap >= 0 ? gap : (p->solver.mip_gap > 0 ? p->solver.mip_gap : o.mip_gap);
	o.time_limit_s = tlim >= 0 ? tlim : p->solver.time_limit_s;
	o.verbose = verbose;
	/* how far prices and budgets can move (report.json, ranging.csv), items as a whole */
	o.want_ranging = 1;
	o.cost_group = groups = ranging_cost_groups(m, &o.ncost_groups);
	if (!groups) {
		fprintf(stderr, "porcupine: out of memory\n");
		status = EXIT_FAILURE_RUN;
		goto out;
	}
	int solved = lp_solve(&sol, m->lp, &o);
	o.want_ranging = 0; /* the options serve other models below (diagnosis) */
	o.cost_group = NULL;
	o.ncost_groups = 0;
	if (solved != 0) {
		fprintf(stderr, "porcupine solve: the solver could not run (out of memory)\n");
		status = EXIT_FAILURE_RUN;
		goto out;
	}
	switch (sol.status) {
	case SOL_OPTIMAL:
	case SOL_FEASIBLE:
		break;
	case SOL_INFEASIBLE:
		status = explain_infeasible(m, &o);
		goto out;
	default:
		fprintf(stderr, "porcupine solve: %s%s%s\n", sol_status_name(sol.status),
			sol.message ? ": " : "", sol.message ? sol.message : "");
		if (sol.violation)
			fprintf(stderr, "  re-check: %s\n", sol.violation);
		status = EXIT_FAILURE_RUN;
		goto out;
	}
	if (model_extract(&res, m, &sol) != 0 || ranging_build(&rng, m, &sol) < 0) {
		fprintf(stderr, "porcupine: out of memory\n");
		status = EXIT_FAILURE_RUN;
		goto out;
	}

	struct report_ctx rc_ = {
		.plan = p,
		.model = m,
		.sol = &sol,
		.res = &res,
		.command = "solve",
		.set = c.set,
		.nset = c.nset,
		.seed = p->uncertainty.seed,
		.threads = 1,
		.elapsed_s = now_s() - t0,
		.tool_version = PORCUPINE_VERSION,
		.ranging = rng.rows ? &rng : NULL,
	};
	if (report_write_solve(c.outdir, &rc_, &dl) != 0) {
		diag_print(&dl, stderr, 0);
		fprintf(stderr, "porcupine solve: could not write the reports into '%s'\n",
			c.outdir);
		status = EXIT_FAILURE_RUN;
		goto out;
	}
	if (report_write_views(c.outdir, &dl) != 0) {
		diag_print(&dl, stderr, 0);
		fprintf(stderr, "porcupine solve: could not write report.html and report.xlsx "
				"into '%s'\n",
			c.outdir);
		status = EXIT_FAILURE_RUN;
		goto out;
	}
	if (!c.quiet) {
		report_print_summary(stdout, &rc_);
		printf("reports written to %s/\n", c.outdir);
	}
out:
	free(groups);
	ranging_release(&rng);
	results_release(&res);
	solution_release(&sol);
	model_free(m);
	plan_free(p);
	diag_list_release(&dl);
	free(set);
	return status;
}
