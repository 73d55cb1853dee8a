/* cli.h - shared pieces of the porcupine command line: the command table, option parsing,
 * plan loading with diagnostics, exit codes. */
#ifndef PORCUPINE_CLI_H
#define PORCUPINE_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "plan.h"

/* Exit statuses (README lists them). */
enum cli_exit {
	EXIT_OK = 0,
	EXIT_FAILURE_RUN = 1, /* runtime or solver failure, infeasible hard rules */
	EXIT_BAD_INPUT = 2    /* bad usage or bad input */
};

struct cli_command {
	const char *name;
	int (*run)(int argc, char **argv); /* argv[0] is the command name */
	const char *synopsis;              /* one line: "check [PLAN]... [--set P=V]..." */
	const char *summary;               /* one line: what it does */
	const char *help;                  /* the full help text (options) */
};

extern const struct cli_command cli_commands[];
extern const size_t cli_ncommands;
const struct cli_command *cli_find_command(const char *name);

/* Options common to plan-reading commands. */
struct cli_common {
	const char *plan;    /* NULL = the embedded default plan */
	const char **set;    /* --set assignments, in order */
	size_t nset;
	const char *outdir;  /* -o DIR */
	int quiet;
};

/* A small argument scanner: for each element of argv, recognises "--name=value",
 * "--name value", "-o value" and bare flags.  Returns the value of option `name` (aliases
 * separated by '|', e.g. "-o|--output") at argv[*i], advancing *i past a separate value;
 * NULL when argv[*i] is not that option.  On a missing value prints an error and sets *err. */
const char *cli_opt_value(int argc, char **argv, int *i, const char *names, int *err);
int cli_opt_flag(const char *arg, const char *names);

/* Usage error: prints "porcupine CMD: MESSAGE" and a hint to stderr; returns EXIT_BAD_INPUT. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Load the plan (file or default), apply --set assignments, print diagnostics (stderr).
 * Returns EXIT_OK with *out set, or EXIT_BAD_INPUT / EXIT_FAILURE_RUN. */
int cli_load_plan(struct plan **out, const char *path, const char *const *set, size_t nset);

/* Parse a non-negative integer option value strictly; -1 on junk. */
long long cli_parse_count(const char *s);
/* Parse a finite double strictly; returns 0 on success. */
int cli_parse_double(const char *s, double *out);

/* The commands. */
int cmd_check(int argc, char **argv);
int cmd_solve(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_scenarios(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_tornado(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_help(int argc, char **argv);

/* Print the version block (porcupine, GLPK, libyaml). */
void cli_print_version(FILE *out);

#endif
