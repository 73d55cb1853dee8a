/* cli.c - option scanning, plan loading with diagnostics and version output shared by the
 * porcupine commands. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "lp.h"
#include "version.h"

/* Does arg equal one of the '|'-separated names? */
static int name_matches(const char *arg, size_t arglen, const char *names)
{
	const char *p = names;
	while (*p) {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);
		if (n == arglen && strncmp(arg, p, n) == 0)
			return 1;
		if (!bar)
			break;
		p = bar + 1;
	}
	return 0;
}

int cli_opt_flag(const char *arg, const char *names)
{
	return name_matches(arg, strlen(arg), names);
}

const char *cli_opt_value(int argc, char **argv, int *i, const char *names, int *err)
{
	const char *arg = argv[*i];
	const char *eq = strchr(arg, '=');
	if (arg[0] == '-' && arg[1] == '-' && eq) {
		if (name_matches(arg, (size_t)(eq - arg), names))
			return eq + 1;
		return NULL;
	}
	if (!name_matches(arg, strlen(arg), names))
		return NULL;
	if (*i + 1 >= argc) {
		fprintf(stderr, "porcupine: option '%s' needs a value\n", arg);
		*err = 1;
		return NULL;
	}
	(*i)++;
	return argv[*i];
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "porcupine %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nsee 'porcupine help %s'\n", cmd);
	return EXIT_BAD_INPUT;
}

long long cli_parse_count(const char *s)
{
	if (!s || !*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	char *end;
	long long v = strtoll(s, &end, 10);
	if (errno || *end)
		return -1;
	return v;
}

int cli_parse_double(const char *s, double *out)
{
	if (!s || !*s)
		return -1;
	errno = 0;
	char *end;
	double v = strtod(s, &end);
	if (errno || *end || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

int cli_load_plan(struct plan **out, const char *path, const char *const *set, size_t nset)
{
	struct diag_list dl;
	struct plan *p = NULL;
	int rc;

	diag_list_init(&dl);
	if (path)
		rc = plan_load_file(&p, path, &dl);
	else
		rc = plan_load_default(&p, &dl);
	for (size_t i = 0; rc == PLAN_OK && i < nset; i++) {
		int r = plan_set(p, set[i], &dl);
		if (r != PLAN_OK)
			rc = r;
	}
	diag_sort(&dl);
	/* diagnostics lost to a failed allocation: the plan may be fine, but we cannot say */
	if (diag_print(&dl, stderr, isatty(STDERR_FILENO)) < 0 && rc == PLAN_OK)
		rc = PLAN_ENOMEM;
	diag_list_release(&dl);
	if (rc != PLAN_OK) {
		plan_free(p);
		*out = NULL;
		if (rc == PLAN_ENOMEM) {
			fprintf(stderr, "porcupine: out of memory\n");
			return EXIT_FAILURE_RUN;
		}
		return EXIT_BAD_INPUT;
	}
	*out = p;
	return EXIT_OK;
}

void cli_print_version(FILE *out)
{
	fprintf(out, "porcupine %s\n", PORCUPINE_VERSION);
	fprintf(out, "%s (%s)\n", lp_solver_version(),
		lp_solver_thread_safe() ? "thread-safe build" : "NOT thread-safe");
	fprintf(out, "libyaml %s\n", plan_yaml_version());
}
