/* cmd_sweep.c - `porcupine sweep`: one or two plan parameters over a grid, each point a
 * solve (or a scenario run on common random numbers); sweep.csv, sweep.json and charts. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "cli.h"
#include "params.h"
#include "report_sens.h"
#include "sweep.h"

/* The ready-made question: what does each extra EUR 10bn of SAFE loans buy? */
#define DEFAULT_PATH  "funding.safe.total"
#define DEFAULT_STEPS 15

/* A --from/--to value: a number or a money literal ("150bn"). */
static int parse_value(const char *opt, const char *s, double *out)
{
	const char *why;
	if (money_parse(out, s, &why) == 0 && isfinite(*out))
		return 0;
	cli_usage_error("sweep", "%s wants a number such as 120bn or 0.9, got '%s'%s%s%s", opt, s,
			why ? " (" : "", why ? why : "", why ? ")" : "");
	return -1;
}

struct axis_args {
	const char *path, *from, *to, *steps;
	int scale;
};

static int axis_from_args(struct sweep_axis *a, const struct axis_args *x, const char *sfx)
{
	char f[16], t[16], st[16];
	snprintf(f, sizeof(f), "--from%s", sfx);
	snprintf(t, sizeof(t), "--to%s", sfx);
	snprintf(st, sizeof(st), "--steps%s", sfx);
	if (!x->from || !x->to) {
		cli_usage_error("sweep", "--param%s '%s' needs %s and %s", sfx, x->path, f, t);
		return -1;
	}
	a->path = x->path;
	a->apply = x->scale ? APPLY_SCALE : APPLY_SET;
	if (parse_value(f, x->from, &a->from) || parse_value(t, x->to, &a->to))
		return -1;
	long long k = x->steps ? cli_parse_count(x->steps) : 10;
	if (k < 0 || k > 10000) {
		cli_usage_error("sweep", "%s wants a whole number from 0 to 10000, got '%s'", st,
				x->steps);
		return -1;
	}
	a->steps = (int)k;
	return 0;
}

int cmd_sweep(int argc, char **argv)
{
	const char **set = pc_calloc((size_t)argc, sizeof(*set));
	const char *plan = NULL, *outdir = "out", *seed_s = NULL;
	struct axis_args ax[2] = {{0}, {0}};
	struct sweep_opts o;
	struct sweep sw;
	struct plan *p = NULL;
	struct diag_list dl;
	double tlim = -1, gap = -1;
	long long n = 0, threads = 0;
	size_t nset = 0;
	int err = 0, quiet = 0, status = EXIT_OK;

	memset(&o, 0, sizeof(o));
	memset(&sw, 0, sizeof(sw));
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
		else if (!err && (v = cli_opt_value(argc, argv, &i, "-p|--param", &err)))
			ax[0].path = v;
		else if (!err && (v = cli_opt_value(argc, argv, &i, "--from", &err)))
			ax[0].from = v;
		else if (!err && (v = cli_opt_value(argc, argv, &i, "--to", &err)))
			ax[0].to = v;
		else if (!err && (v = cli_opt_value(argc, argv, &i, "--steps", &err)))
			ax[0].steps = v;
		else if (!err && (v = cli_opt_value(argc, argv, &i, "--param2", &err)))
			ax[1].path = v;
		else if (!err && (v = cli_opt_value(argc, argv, &i, "--from2", &err)))
			ax[1].from = v;
		else if (!err && (v = cli_opt_value(argc, argv, &i, "--to2", &err)))
			ax[1].to = v;
		else if (!err && (v = cli_opt_value(argc, argv, &i, "--steps2", &err)))
			ax[1].steps = v;
		else if (!err && (v = cli_opt_value(argc, argv, &i, "-n|--scenarios", &err))) {
			if ((n = cli_parse_count(v)) < 1 || n > 10000000) {
				status = cli_usage_error("sweep",
							 "-n wants a number of scenarios "
							 ">= 1, got '%s'",
							 v);
				goto out;
			}
		} else if (!err && (v = cli_opt_value(argc, argv, &i, "--seed", &err)))
			seed_s = v;
		else if (!err && (v = cli_opt_value(argc, argv, &i, "-j|--threads", &err))) {
			if ((threads = cli_parse_count(v)) < 1 || threads > 1024) {
				status = cli_usage_error("sweep",
							 "--threads wants 1 to 1024, got '%s'", v);
				goto out;
			}
		} else if (!err && (v = cli_opt_value(argc, argv, &i, "--time-limit", &err))) {
			if (cli_parse_double(v, &tlim) || tlim < 0) {
				status = cli_usage_error("sweep",
							 "--time-limit wants seconds >= 0, "
							 "got '%s'",
							 v);
				goto out;
			}
		} else if (!err && (v = cli_opt_value(argc, argv, &i, "--mip-gap", &err))) {
			if (cli_parse_double(v, &gap) || gap < 0 || gap >= 1) {
				status = cli_usage_error("sweep",
							 "--mip-gap wants a number in [0, 1), "
							 "got '%s'",
							 v);
				goto out;
			}
		} else if (err)
			break;
		else if (cli_opt_flag(argv[i], "--scale"))
			ax[0].scale = 1;
		else if (cli_opt_flag(argv[i], "--scale2"))
			ax[1].scale = 1;
		else if (cli_opt_flag(argv[i], "-q|--quiet"))
			quiet = 1;
		else if (argv[i][0] == '-' && argv[i][1]) {
			status = cli_usage_error("sweep", "unknown option '%s'", argv[i]);
			goto out;
		} else if (plan) {
			status = cli_usage_error("sweep", "one plan at a time (got '%s' and '%s')",
						 plan, argv[i]);
			goto out;
		} else
			plan = argv[i];
	}
	if (err) {
		status = EXIT_BAD_INPUT;
		goto out;
	}
	if (!ax[0].path && (ax[0].from || ax[0].to || ax[0].steps || ax[0].scale)) {
		status = cli_usage_error("sweep", "--from, --to, --steps and --scale need --param");
		goto out;
	}
	if (!ax[1].path && (ax[1].from || ax[1].to || ax[1].steps || ax[1].scale)) {
		status =
		    cli_usage_error("sweep", "--from2, --to2, --steps2 and --scale2 need --param2");
		goto out;
	}
	if (ax[1].path && !ax[0].path) {
		status = cli_usage_error("sweep", "--param2 needs --param");
		goto out;
	}
	unsigned long long seed = 0;
	if (seed_s) {
		long long sv = cli_parse_count(seed_s);
		if (sv < 0) {
			status = cli_usage_error(
			    "sweep", "--seed wants a whole number >= 0, got '%s'", seed_s);
			goto out;
		}
		seed = (unsigned long long)sv;
	}

	status = cli_load_plan(&p, plan, set, nset);
	if (status != EXIT_OK)
		goto out;

	if (!ax[0].path) {
		/* the marginal value of SAFE money: its total from 0 to what the plan gives */
		int s = plan_find_source(p, "safe");
		if (s < 0) {
			status =
			    cli_usage_error("sweep",
					    "--param is required (the default, '%s', is not in "
					    "this plan)",
					    DEFAULT_PATH);
			goto out;
		}
		double total = p->sources[s].total;
		if (total < 0) {
			total = 0;
			for (int t = 0; t < p->nyears; t++)
				total += p->sources[s].available.v[t];
		}
		o.axis[0] = (struct sweep_axis){DEFAULT_PATH, APPLY_SET, 0.0, total, DEFAULT_STEPS};
	} else if (axis_from_args(&o.axis[0], &ax[0], "") != 0) {
		status = EXIT_BAD_INPUT;
		goto out;
	}
	o.naxes = 1;
	if (ax[1].path) {
		if (axis_from_args(&o.axis[1], &ax[1], "2") != 0) {
			status = EXIT_BAD_INPUT;
			goto out;
		}
		o.naxes = 2;
	}
	o.nscen = (size_t)n;
	o.seed = seed_s ? seed : p->uncertainty.seed;
	o.threads = (int)threads;
	o.lp = sweep_lp_opts(p);
	if (gap >= 0)
		o.lp.mip_gap = gap;
	if (tlim >= 0)
		o.lp.time_limit_s = tlim;
	if (!quiet && o.naxes == 2 &&
	    (size_t)(o.axis[0].steps + 1) * (size_t)(o.axis[1].steps + 1) > 400)
		fprintf(stderr, "porcupine sweep: %d x %d points: this takes a while\n",
			o.axis[0].steps + 1, o.axis[1].steps + 1);

	int rc = sweep_run(&sw, p, &o, &dl);
	if (rc != PLAN_OK) {
		diag_sort(&dl);
		diag_print(&dl, stderr, isatty(STDERR_FILENO));
		if (rc == PLAN_ENOMEM)
			fprintf(stderr, "porcupine: out of memory\n");
		status = rc == PLAN_EINVALID ? EXIT_BAD_INPUT : EXIT_FAILURE_RUN;
		goto out;
	}
	struct report_sens_meta meta = {"sweep", set, nset, NULL};
	if (report_write_sweep(outdir, &sw, &meta, &dl) != 0) {
		diag_print(&dl, stderr, 0);
		fprintf(stderr, "porcupine sweep: could not write the reports into '%s'\n", outdir);
		status = EXIT_FAILURE_RUN;
		goto out;
	}
	size_t nsolved = 0;
	for (size_t i = 0; i < sw.npoints; i++)
		nsolved += sw.points[i].out.status == SOL_OPTIMAL ||
			   sw.points[i].out.status == SOL_FEASIBLE;
	if (!quiet) {
		report_print_sweep(stdout, &sw);
		printf("reports written to %s/ (sweep.csv, sweep.json, sweep.svg, "
		       "sweep_shortfalls.svg)\n",
		       outdir);
	}
	fflush(stdout);
	if (nsolved < sw.npoints)
		fprintf(stderr,
			"porcupine sweep: %zu of %zu points did not solve (see sweep.csv)\n",
			sw.npoints - nsolved, sw.npoints);
	if (nsolved == 0)
		status = EXIT_FAILURE_RUN;
out:
	sweep_release(&sw);
	plan_free(p);
	diag_list_release(&dl);
	free(set);
	return status;
}
