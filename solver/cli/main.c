/* main.c - the porcupine command: global options and dispatch to one cmd_<name>.c each. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "alloc.h"
#include "cli.h"
#include "lp.h"
#include "scen.h"
#include "version.h"

const struct cli_command cli_commands[] = {
	{ "check", cmd_check, "check [PLAN]... [--set PATH=VALUE]... [--quiet]",
	  "validate plans and report every problem",
	  "Validates each PLAN (the embedded default plan when none is given) and prints every\n"
	  "problem as FILE:LINE:COL: error: MESSAGE with the source line and a caret.\n"
	  "\n"
	  "Options:\n"
	  "  --set PATH=VALUE  override a number, e.g. --set funding.safe.total=120bn (repeatable)\n"
	  "  -q, --quiet       print nothing for valid plans\n"
	  "\n"
	  "Exit status: 0 all plans valid, 2 a plan or an option is invalid.\n" },
	{ "solve", cmd_solve, "solve [PLAN] [-o DIR] [--set PATH=VALUE]... [--time-limit S] [--quiet]",
	  "allocate the money: what to buy, when, by whom, with which money",
	  "Builds the allocation model of PLAN (default: the embedded steel-porcupine plan),\n"
	  "solves it with GLPK, re-checks the solution in its own arithmetic, prints a summary\n"
	  "and writes report.json, allocation.csv, requirements.csv, funding.csv, report.md,\n"
	  "report.html (one page with charts, printable) and report.xlsx into DIR.\n"
	  "\n"
	  "Options:\n"
	  "  -o, --output DIR   where to write the reports (default: out)\n"
	  "  --set PATH=VALUE   override a number of the plan (repeatable)\n"
	  "  --time-limit S     solver time limit in seconds (default: the plan's solver.time_limit_s)\n"
	  "  --mip-gap G        relative MIP gap (default: the plan's solver.mip_gap)\n"
	  "  -v, --verbose      show the solver's log on stderr\n"
	  "  -q, --quiet        no summary on stdout\n"
	  "\n"
	  "Exit status: 0 solved (optimal, or feasible within the gap/time limit), 1 the plan's\n"
	  "hard rules contradict each other (the rules involved are named) or the solver failed,\n"
	  "2 bad input.\n" },
	{ "scenarios", cmd_scenarios,
	  "scenarios [PLAN] [-n N] [--seed S] [--threads T] [--precision E] [--lhs] [-o DIR] "
	  "[--set PATH=VALUE]... [--resume DIR]",
	  "solve many draws of the plan's uncertainty: what is robust, what is fragile",
	  "Draws N scenarios of PLAN's `uncertainty` section (cost growth, industrial capacity,\n"
	  "force size, US backing, SAFE uptake, ...), solves the allocation model for each on\n"
	  "every core, re-checks every solution, and reports the distribution of the total cost\n"
	  "and of every shortfall, the probability that each capability target is met, spend per\n"
	  "category and funding source, and the marginal value of each source's money.  The same\n"
	  "seed gives the same numbers with any number of threads.\n"
	  "\n"
	  "Writes into DIR: report.json (the nominal solution and a \"scenarios\" section),\n"
	  "report.md, report.html, report.xlsx, the nominal plan's CSVs, scenarios.csv (one row\n"
	  "per scenario) and scenarios.sqlite (every scenario's figures and allocation).\n"
	  "\n"
	  "Options:\n"
	  "  -n, --scenarios N  how many scenarios (default 1000)\n"
	  "  --seed S           random seed (default: the plan's uncertainty.seed)\n"
	  "  -j, --threads T    threads (default: every core)\n"
	  "  --precision E      stop once the standard error of the mean objective is below E\n"
	  "                     relative to the mean (checked in scenario order, from 30 on)\n"
	  "  --lhs              Latin hypercube sampling instead of plain Monte Carlo\n"
	  "  -o, --output DIR   where to write (default: out)\n"
	  "  --set PATH=VALUE   override a number of the plan (repeatable)\n"
	  "  --time-limit S     per-scenario solver time limit (default: the plan's)\n"
	  "  --mip-gap G        per-scenario relative MIP gap (default: the plan's)\n"
	  "  --resume DIR       continue an interrupted run kept in DIR (same PLAN)\n"
	  "  --cold             solve every scenario from scratch (for comparison)\n"
	  "  -q, --quiet        no progress line, no summary\n"
	  "\n"
	  "Ctrl-C stops after the scenarios in progress; the reports then cover the scenarios\n"
	  "finished, and --resume DIR continues.  A scenario that is infeasible, hits its time\n"
	  "limit or meets numerical trouble is counted with its reason.\n"
	  "\n"
	  "Exit status: 0 done, 1 interrupted or a runtime failure, 2 bad input.\n" },
	{ "export", cmd_export,
	  "export [PLAN] --format mps|lp [-o FILE] [--set PATH=VALUE]... [--scenario K [--seed S]]",
	  "write the model for another solver (MPS or CPLEX LP)",
	  "Writes the same LP/MIP that solve would solve, as free MPS (glpsol --freemps) or\n"
	  "CPLEX LP (glpsol --lp), to FILE or stdout.  With --scenario K, writes scenario K of\n"
	  "`porcupine scenarios` exactly as the scenario engine solves it.\n"
	  "\n"
	  "Options:\n"
	  "  --format mps|lp    output format (required)\n"
	  "  -o, --output FILE  write to FILE (atomically) instead of stdout\n"
	  "  --set PATH=VALUE   override a number of the plan (repeatable)\n"
	  "  --scenario K       scenario K (0-based id, as in scenarios.csv)\n"
	  "  --seed S           the scenario run's seed (default: the plan's uncertainty.seed)\n"
	  "  --lhs -n N         for a Latin hypercube run of N scenarios\n" },
	{ "sweep", cmd_sweep,
	  "sweep [PLAN] [--param PATH --from A --to B [--steps K] [--scale]] [--param2 PATH "
	  "--from2 A --to2 B [--steps2 K] [--scale2]] [-n N [--seed S]] [-o DIR] "
	  "[--set PATH=VALUE]...",
	  "run a parameter (or two) over a grid: how cost, shortfalls and the allocation move",
	  "Solves PLAN at every point of a grid of one or two parameters (any number a --set\n"
	  "path names, money literals allowed) and reports the objective, the money spent,\n"
	  "each capability's shortfall, spend per category and money used per source at each\n"
	  "point, and the capability gained from one point to the next.  The points run in\n"
	  "parallel; the output is the same for any number of threads.  With -n every point\n"
	  "is a scenario run of N draws of the plan's uncertainty, the same draws at every\n"
	  "point (common random numbers), so that the differences come from the parameter.\n"
	  "\n"
	  "Without --param: what each extra EUR 10bn of SAFE loans buys, i.e.\n"
	  "--param funding.safe.total --from 0 --to <its total> --steps 15.\n"
	  "\n"
	  "Writes into DIR: sweep.csv (one row per point), sweep.json (points and steps),\n"
	  "sweep.svg (objective, shortfall penalties and spend) and sweep_shortfalls.svg.\n"
	  "\n"
	  "Options:\n"
	  "  -p, --param PATH   the parameter to sweep, e.g. funding.safe.total\n"
	  "  --from A, --to B   its first and last value (120bn, 0.9, ...)\n"
	  "  --steps K          intervals between them: K + 1 points (default 10)\n"
	  "  --scale            A and B are factors on the plan's value, not values\n"
	  "  --param2 ...       a second parameter: --from2, --to2, --steps2, --scale2\n"
	  "  -n, --scenarios N  a scenario run of N draws at every point\n"
	  "  --seed S           random seed for -n (default: the plan's uncertainty.seed)\n"
	  "  -j, --threads T    threads (default: every core)\n"
	  "  -o, --output DIR   where to write (default: out)\n"
	  "  --set PATH=VALUE   override a number of the plan first (repeatable)\n"
	  "  --time-limit S     solver time limit per solve (default: the plan's)\n"
	  "  --mip-gap G        relative MIP gap (default: the plan's)\n"
	  "  -q, --quiet        no table on stdout\n"
	  "\n"
	  "Exit status: 0 when at least one point solved (points that did not are in the\n"
	  "reports with their status), 1 when none did, 2 bad input.\n" },
	{ "tornado", cmd_tornado,
	  "tornado [PLAN] [--bounds | --quantiles LO,HI] [-o DIR] [--set PATH=VALUE]...",
	  "rank the plan's uncertain parameters by how much each one swings the result",
	  "Sets every parameter of PLAN's `uncertainty` section in turn to its low and its\n"
	  "high value, the others as in the plan, solves, and ranks the parameters by the\n"
	  "swing of the objective; also the swing of every capability's shortfall.  Low and\n"
	  "high are P5 and P95 of the parameter's distribution (--quantiles to change them,\n"
	  "--bounds for the min and max of bounded distributions); discrete and Bernoulli\n"
	  "parameters take their lowest and highest value.  A parameter that scales (apply:\n"
	  "scale) multiplies every number its path names.\n"
	  "\n"
	  "Writes into DIR: tornado.csv, tornado.json, tornado.svg, and the reports of the\n"
	  "plan as it is (report.json with a \"tornado\" section, report.md, the CSVs, ...).\n"
	  "\n"
	  "Options:\n"
	  "  --quantiles LO,HI  the quantiles used as low and high (default 0.05,0.95)\n"
	  "  --bounds           the distributions' bounds instead, where they have them\n"
	  "  --top K            bars shown on the terminal (default 10; all are in the files)\n"
	  "  -j, --threads T    threads (default: every core)\n"
	  "  -o, --output DIR   where to write (default: out)\n"
	  "  --set PATH=VALUE   override a number of the plan first (repeatable)\n"
	  "  --time-limit S     solver time limit per solve (default: the plan's)\n"
	  "  --mip-gap G        relative MIP gap (default: the plan's)\n"
	  "  -q, --quiet        no table on stdout\n"
	  "\n"
	  "Exit status: 0 done, 1 the plan as it is does not solve, 2 bad input.\n" },
	{ "compare", cmd_compare, "compare RUN_A RUN_B [-o DIR] [--quiet]",
	  "what differs between two allocation reports",
	  "Compares two runs (RUN = a report.json or the folder holding one): spend by\n"
	  "category, item, buyer, source and year; each capability's level and shortfall by\n"
	  "year; the cost; what only one side buys; and the plan parameters that differ (from\n"
	  "the plans' hashes, their --set assignments and every number of the two plans).\n"
	  "Biggest changes first.  Prints a summary and writes compare.md, compare.html (charts\n"
	  "side by side), compare.json and compare.csv into DIR.  Runs written with different\n"
	  "report schemas, or of plans over different years, are refused.\n"
	  "\n"
	  "Options:\n"
	  "  -o, --output DIR   where to write (default: out)\n"
	  "  -q, --quiet        no summary on stdout\n"
	  "\n"
	  "Exit status: 0 compared (also when they differ), 1 the files could not be written,\n"
	  "2 bad usage, a run that cannot be read, or runs that cannot be compared.\n" },
	{ "help", cmd_help, "help [COMMAND]", "show help for porcupine or one command",
	  "Shows the list of commands, or the help of COMMAND.\n" },
};
const size_t cli_ncommands = sizeof(cli_commands) / sizeof(cli_commands[0]);

const struct cli_command *cli_find_command(const char *name)
{
	for (size_t i = 0; i < cli_ncommands; i++)
		if (strcmp(cli_commands[i].name, name) == 0)
			return &cli_commands[i];
	return NULL;
}

static void print_usage(FILE *out)
{
	fputs("usage: porcupine COMMAND [ARGS]\n"
	      "       porcupine --help | --version\n"
	      "\n"
	      "porcupine allocates European defence money (SAFE loans, national budgets,\n"
	      "EU support for Ukraine) to the capabilities a security guarantee needs.\n"
	      "PLAN is a YAML file; without one the embedded steel-porcupine plan is used.\n"
	      "\n"
	      "Commands:\n",
	      out);
	for (size_t i = 0; i < cli_ncommands; i++)
		fprintf(out, "  %-9s %s\n", cli_commands[i].name, cli_commands[i].summary);
	fputs("\nRun 'porcupine help COMMAND' for a command's options.\n"
	      "Exit status: 0 success, 1 runtime or solver failure, 2 bad usage or input.\n",
	      out);
}

int cmd_help(int argc, char **argv)
{
	if (argc < 2) {
		print_usage(stdout);
		return EXIT_OK;
	}
	if (argc > 2)
		return cli_usage_error("help", "too many arguments");
	const struct cli_command *c = cli_find_command(argv[1]);
	if (!c) {
		fprintf(stderr, "porcupine: unknown command '%s'\n", argv[1]);
		return EXIT_BAD_INPUT;
	}
	printf("usage: porcupine %s\n\n%s.\n\n%s", c->synopsis, c->summary, c->help);
	return EXIT_OK;
}

static int run_command(int argc, char **argv);

int main(int argc, char **argv)
{
	/* Route the libraries that have a hook through the project's allocator (alloc.h), so
	 * PORCUPINE_FAIL_ALLOC reaches them too; before anything allocates. */
	int injecting = alloc_init_from_env();
	json_set_alloc_funcs(pc_malloc, free);
	scen_store_route_alloc();
	int rc = run_command(argc, argv);
	/* A summary that never reached its reader (a full disk, a closed pipe) is a failure. */
	errno = 0;
	if ((fflush(stdout) != 0 || ferror(stdout)) && rc == EXIT_OK) {
		fprintf(stderr, "porcupine: cannot write to standard output: %s\n",
			errno ? strerror(errno) : "write error");
		rc = EXIT_FAILURE_RUN;
	}
	/* The commands name what they could not do; when memory ran out on the way, say so
	 * once more plainly (a failed allocation deep in a library call may have surfaced as
	 * some other error). */
	if (rc == EXIT_FAILURE_RUN && alloc_failures() != 0)
		fprintf(stderr, "porcupine: note: an allocation failed during the run (out of "
				"memory)\n");
	if (injecting)
		fprintf(stderr, "porcupine: allocations: %llu, injected failure: %s\n",
			alloc_count(), alloc_failed() ? "yes" : "no");
	return rc;
}

static int run_command(int argc, char **argv)
{
	if (argc < 2) {
		print_usage(stderr);
		return EXIT_BAD_INPUT;
	}
	const char *a = argv[1];
	if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
		print_usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(a, "--version") == 0) {
		cli_print_version(stdout);
		return EXIT_OK;
	}
	const struct cli_command *c = cli_find_command(a);
	if (!c) {
		fprintf(stderr, "porcupine: '%s' is not a command; see 'porcupine --help'\n", a);
		return EXIT_BAD_INPUT;
	}
	/* The scenario engine runs one GLPK problem per thread: that needs the TLS build. */
	if (!lp_solver_thread_safe()) {
		fprintf(stderr, "porcupine: %s is not built thread-safe (no TLS); refusing to run\n",
			lp_solver_version());
		return EXIT_FAILURE_RUN;
	}
	for (int i = 2; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			char *hv[] = { "help", (char *)c->name, NULL };
			return cmd_help(2, hv);
		}
	return c->run(argc - 1, argv + 1);
}
