/* cmd_export.c - `porcupine export`: write the model as MPS or CPLEX LP for other solvers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "afile.h"
#include "cli.h"
#include "model.h"

int cmd_export(int argc, char **argv)
{
	const char **set = calloc((size_t)argc, sizeof(*set));
	const char *plan = NULL, *format = NULL, *outfile = NULL;
	size_t nset = 0;
	int err = 0, status = EXIT_OK;
	struct plan *p = NULL;
	struct model *m = NULL;
	struct diag_list dl;

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
	plan_free(p);
	diag_list_release(&dl);
	free(set);
	return status;
}
