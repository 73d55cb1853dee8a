/* cmd_compare.c - `porcupine compare RUN_A RUN_B [-o DIR]`: what differs between two
 * allocation reports. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "compare.h"

int cmd_compare(int argc, char **argv)
{
	const char *run[2] = {NULL, NULL}, *outdir = "out";
	int quiet = 0, err = 0, nrun = 0, status;
	struct diag_list dl;

	for (int i = 1; i < argc; i++) {
		const char *v;
		if ((v = cli_opt_value(argc, argv, &i, "-o|--output", &err)))
			outdir = v;
		else if (err)
			return EXIT_BAD_INPUT;
		else if (cli_opt_flag(argv[i], "-q|--quiet"))
			quiet = 1;
		else if (argv[i][0] == '-' && argv[i][1])
			return cli_usage_error("compare", "unknown option '%s'", argv[i]);
		else if (nrun == 2)
			return cli_usage_error("compare", "two runs to compare, got a third: '%s'",
					       argv[i]);
		else
			run[nrun++] = argv[i];
	}
	if (nrun != 2)
		return cli_usage_error("compare", "needs two runs: RUN_A RUN_B (a report.json or "
						  "the folder holding one)");
	diag_list_init(&dl);
	int rc = compare_runs(run[0], run[1], outdir, quiet ? NULL : stdout, &dl);
	if (rc != COMPARE_OK) {
		diag_print(&dl, stderr, 0);
		fprintf(stderr, "porcupine compare: %s\n", compare_strerror(rc));
		status = rc == COMPARE_EINPUT ? EXIT_BAD_INPUT : EXIT_FAILURE_RUN;
	} else {
		if (!quiet)
			printf("comparison written to %s/ (compare.md, compare.html, compare.json, "
			       "compare.csv)\n",
			       outdir);
		status = EXIT_OK;
	}
	diag_list_release(&dl);
	return status;
}
