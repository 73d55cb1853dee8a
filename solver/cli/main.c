/* main.c - the porcupine command: global options and dispatch to one cmd_<name>.c each. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lp.h"
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
	  "and writes report.json, allocation.csv, requirements.csv, funding.csv and report.md\n"
	  "into DIR.\n"
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
	{ "export", cmd_export, "export [PLAN] --format mps|lp [-o FILE] [--set PATH=VALUE]...",
	  "write the model for another solver (MPS or CPLEX LP)",
	  "Writes the same LP/MIP that solve would solve, as free MPS (glpsol --freemps) or\n"
	  "CPLEX LP (glpsol --lp), to FILE or stdout.\n"
	  "\n"
	  "Options:\n"
	  "  --format mps|lp    output format (required)\n"
	  "  -o, --output FILE  write to FILE (atomically) instead of stdout\n"
	  "  --set PATH=VALUE   override a number of the plan (repeatable)\n" },
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

int main(int argc, char **argv)
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
