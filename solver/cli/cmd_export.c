/* cmd_export.c - `porcupine export`: write the model as MPS or CPLEX LP for other solvers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "afile.h"
#include "cli.h"
#include "model.h"
#include "scen.h"

int cmd_export(int argc, char **argv)
{
	const char **set = pc_calloc((size_t)argc, sizeof(*set));
	const char *plan = NULL, *format = NULL, *outfile = NULL;
	size_t nset = 0;
	int err = 0, status = EXIT_OK;
	struct plan *p = NULL;
	struct model *m = NULL;
	struct diag_list dl;
	const char *scen_s = NULL, *seed_s = NULL;
	long long nscen = -1;
	int lhs = 0;
	struct sampler *smp = NULL;
	struct plan *q = NULL;
	struct model *mq = NULL;
	double *draw = NULL;

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
			outfile = v;
		else if (!err && (v = cli_opt_value(argc, argv, &i, "-f|--format", &err)))
			format = v;
		else if (!err && (v = cli_opt_value(argc, argv, &i, "--scenario", &err))) {
			if (cli_parse_count(v) < 0) {
				status = cli_usage_error("export", "--scenario wants a scenario id "
								   ">= 0, got '%s'", v);
				goto out;
			}
			scen_s = v;
		} else if (!err && (v = cli_opt_value(argc, argv, &i, "--seed", &err))) {
			if (cli_parse_count(v) < 0) {
				status = cli_usage_error("export", "--seed wants a whole number >= 0, "
								   "got '%s'", v);
				goto out;
			}
			seed_s = v;
		} else if (!err && (v = cli_opt_value(argc, argv, &i, "-n|--scenarios", &err))) {
			if ((nscen = cli_parse_count(v)) < 1) {
				status = cli_usage_error("export", "-n wants a number >= 1, got '%s'", v);
				goto out;
			}
		} else if (!err && cli_opt_flag(argv[i], "--lhs"))
			lhs = 1;
		else if (err)
			break;
		else if (argv[i][0] == '-' && argv[i][1]) {
			status = cli_usage_error("export", "unknown option '%s'", argv[i]);
			goto out;
		} else if (plan) {
			status = cli_usage_error("export", "one plan at a time");
			goto out;
		} else
			plan = argv[i];
	}
	if (err) {
		status = EXIT_BAD_INPUT;
		goto out;
	}
	if (!format) {
		status = cli_usage_error("export", "--format mps|lp is required");
		goto out;
	}
	if (strcmp(format, "mps") != 0 && strcmp(format, "lp") != 0) {
		status = cli_usage_error("export", "unknown format '%s' (mps or lp)", format);
		goto out;
	}
	status = cli_load_plan(&p, plan, set, nset);
	if (status != EXIT_OK)
		goto out;
	int rc = model_build(&m, p, &dl);
	if (rc != PLAN_OK) {
		diag_sort(&dl);
		diag_print(&dl, stderr, 0);
		status = rc == PLAN_EINVALID ? EXIT_BAD_INPUT : EXIT_FAILURE_RUN;
		goto out;
	}
	if (!scen_s && (seed_s || lhs || nscen > 0)) {
		status = cli_usage_error("export", "--seed, -n and --lhs go with --scenario K");
		goto out;
	}
	if (scen_s) {
		/* Scenario K exactly as `porcupine scenarios` builds and solves it. */
		uint64_t k = (uint64_t)cli_parse_count(scen_s);
		uint64_t seed = seed_s ? (uint64_t)cli_parse_count(seed_s) : p->uncertainty.seed;
		if (lhs && nscen < 0) {
			status = cli_usage_error("export", "--lhs needs the run's -n N");
			goto out;
		}
		if (lhs && k >= (uint64_t)nscen) {
			status = cli_usage_error("export", "--scenario %s is not below -n %lld", scen_s,
						 nscen);
			goto out;
		}
		rc = sampler_new(&smp, p, seed, lhs ? SAMPLE_LHS : SAMPLE_MC,
				 nscen > 0 ? (size_t)nscen : 0, &dl);
		draw = pc_calloc(p->uncertainty.nparams + 1, sizeof(*draw));
		if (rc == PLAN_OK && !draw)
			rc = PLAN_ENOMEM;
		if (rc == PLAN_OK)
			rc = scen_build(&q, &mq, draw, p, smp, k, &dl);
		if (rc != PLAN_OK) {
			diag_sort(&dl);
			diag_print(&dl, stderr, 0);
			fprintf(stderr, "porcupine export: scenario %s cannot be built\n", scen_s);
			status = rc == PLAN_EINVALID ? EXIT_BAD_INPUT : EXIT_FAILURE_RUN;
			goto out;
		}
		model_free(m);
		m = mq;
		mq = NULL;
	}
	int wr;
	if (outfile) {
		struct afile af = AFILE_INIT;
		if (afile_open(&af, outfile) != 0) {
			perror(outfile);
			status = EXIT_FAILURE_RUN;
			goto out;
		}
		wr = strcmp(format, "mps") == 0 ? lpm_write_mps(m->lp, af.f)
						: lpm_write_lp(m->lp, af.f);
		if (wr != 0)
			afile_abort(&af);
		else if (afile_commit(&af) != 0)
			wr = -1;
	} else {
		wr = strcmp(format, "mps") == 0 ? lpm_write_mps(m->lp, stdout)
						: lpm_write_lp(m->lp, stdout);
		if (fflush(stdout) != 0)
			wr = -1;
	}
	if (wr != 0) {
		perror(outfile ? outfile : "stdout");
		status = EXIT_FAILURE_RUN;
	}
out:
	model_free(m);
	model_free(mq);
	plan_free(q);
	sampler_free(smp);
	free(draw);
	plan_free(p);
	diag_list_release(&dl);
	free(set);
	return status;
}
