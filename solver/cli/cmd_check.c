/* cmd_check.c - `porcupine check`: validate plans and report every problem. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "cli.h"

static void print_ok(const struct plan *p)
{
	printf("%s: ok: plan '%s', %d-%d, %zu buyers, %zu funding sources, %zu items, "
	       "%zu capabilities, %zu deployments, %zu uncertain parameters\n",
	       p->file, p->name, p->start_year, p->end_year, p->nbuyers, p->nsources, p->nitems,
	       p->ncapabilities, p->ndeployments, p->uncertainty.nparams);
}

int cmd_check(int argc, char **argv)
{
	const char **plans = pc_calloc((size_t)argc, sizeof(*plans));
	const char **set = pc_calloc((size_t)argc, sizeof(*set));
	size_t nplans = 0, nset = 0;
	int quiet = 0, err = 0, status = EXIT_OK;

	if (!plans || !set) {
		free(plans);
		free(set);
		fprintf(stderr, "porcupine: out of memory\n");
		return EXIT_FAILURE_RUN;
	}
	for (int i = 1; i < argc; i++) {
		const char *v;
		if ((v = cli_opt_value(argc, argv, &i, "--set", &err)))
			set[nset++] = v;
		else if (err)
			break;
		else if (cli_opt_flag(argv[i], "-q|--quiet"))
			quiet = 1;
		else if (argv[i][0] == '-' && argv[i][1]) {
			status = cli_usage_error("check", "unknown option '%s'", argv[i]);
			goto out;
		} else
			plans[nplans++] = argv[i];
	}
	if (err) {
		status = EXIT_BAD_INPUT;
		goto out;
	}
	for (size_t k = 0; k < (nplans ? nplans : 1); k++) {
		struct plan *p;
		int rc = cli_load_plan(&p, nplans ? plans[k] : NULL, set, nset);
		if (rc != EXIT_OK) {
			if (status == EXIT_OK || rc == EXIT_BAD_INPUT)
				status = rc;
			continue;
		}
		if (!quiet)
			print_ok(p);
		plan_free(p);
	}
out:
	free(plans);
	free(set);
	return status;
}
