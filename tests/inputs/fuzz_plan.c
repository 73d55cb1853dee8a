/* fuzz_plan.c - fuzz target for the plan loader: never a crash, leak or UB. */
/* Any bytes must give a plan or diagnostics.  A plan that loads is also checked against
 * what plan.h and params.h promise: its numbers are finite, a clone holds the same numbers
 * and changing the clone leaves the original alone, and every path params_each names
 * resolves to the values it passed.  A broken promise calls abort().
 *   libFuzzer (clang, -DPORCUPINE_FUZZ=ON): ./fuzz_plan corpus/ inputs/plans
 *   replay (any compiler):                  ./fuzz_plan_replay inputs/plans */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "params.h"
#include "plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Not assert(): release builds define NDEBUG, and these checks must run in every build. */
#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_plan: %s:%d: check failed: %s: ", __FILE__,          \
				__LINE__, #cond);                                                  \
			fprintf(stderr, __VA_ARGS__);                                              \
			fputc('\n', stderr);                                                       \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* Paths resolved per plan: enough to cover every kind of section without making a large
 * plan slow to fuzz. */
#define PLAN_MAX_RESOLVE 300

/* Every number of a plan, in params_each order. */
struct snap {
	double *v;
	size_t n, alloc;
};

static void snap_add(void *ctx, const char *path, const double *v, size_t n)
{
	struct snap *s = ctx;

	(void)path;
	if (s->n + n > s->alloc) {
		size_t na = (s->n + n) * 2;
		double *nv = realloc(s->v, na * sizeof(*nv));

		CHECK(nv, "out of memory taking a snapshot");
		s->v = nv;
		s->alloc = na;
	}
	memcpy(s->v + s->n, v, n * sizeof(*v));
	s->n += n;
}

static void snap_take(struct snap *s, const struct plan *p)
{
	s->n = 0;
	CHECK(params_each(p, snap_add, s) == PLAN_OK, "params_each failed");
}

static int snap_equal(const struct snap *a, const struct snap *b)
{
	return a->n == b->n && (a->n == 0 || memcmp(a->v, b->v, a->n * sizeof(*a->v)) == 0);
}

/* A value within the bounds params_resolve gives for its slot.  The one exception is -1,
 * what an absent funding total or item capacity holds ("no cap", "unlimited"): the schema
 * bounds (>= 0) are for values written in a plan, and the loader puts -1 there itself. */
static int within(double v, const struct param_slot *s)
{
	return (v >= s->min && v <= s->max) || (v == -1 && s->min == 0);
}

struct each {
	struct plan *p;
	size_t left;
};

/* A path params_each passed resolves to the same values; or, for a whole number, switch
 * or choice (which cannot be varied), is refused with a message saying so. */
static void each_resolve(void *ctx, const char *path, const double *v, size_t n)
{
	struct each *e = ctx;
	struct diag_list dl = DIAG_LIST_INIT;
	struct param_slot *s = NULL;
	size_t ns = 0, k;
	int rc;

	for (k = 0; k < n; k++)
		CHECK(isfinite(v[k]), "'%s' holds %.17g", path, v[k]);
	if (!e->left)
		return;
	e->left--;
	rc = params_resolve(&s, &ns, e->p, path, &dl, "<fuzz>", 0, 0);
	if (rc == PLAN_OK) {
		CHECK(ns == n, "'%s' resolves to %zu values, params_each passed %zu", path, ns, n);
		for (k = 0; k < n; k++)
			CHECK(*s[k].value == v[k] && within(v[k], &s[k]),
			      "'%s'[%zu] = %.17g resolves to %.17g in [%.17g, %.17g]", path, k,
			      v[k], *s[k].value, s[k].min, s[k].max);
	} else {
		CHECK(rc == PLAN_EINVALID && dl.nerrors == 1, "'%s' does not resolve (%d)", path,
		      rc);
		CHECK(n == 1 && v[0] == floor(v[0]) && strstr(dl.v[0].message, "not a real"),
		      "'%s' does not resolve: %s", path, dl.v[0].message);
	}
	free(s);
	diag_list_release(&dl);
}

static void check_plan(struct plan *p, struct diag_list *dl)
{
	struct snap orig = {0}, copy = {0};
	struct each e = {p, PLAN_MAX_RESOLVE};
	struct plan *c = NULL;

	CHECK(params_each(p, each_resolve, &e) == PLAN_OK, "params_each failed");
	snap_take(&orig, p);
	if (plan_clone(&c, p) == PLAN_OK) {
		snap_take(&copy, c);
		CHECK(snap_equal(&orig, &copy), "a clone has other numbers");
		if (plan_set(c, "items.*.unit_cost=2m", dl) != PLAN_OK)
			CHECK(diag_has_errors(dl), "plan_set failed without an error");
		plan_set(c, "funding.*.available=1bn", dl);
		snap_take(&copy, p);
		CHECK(snap_equal(&orig, &copy), "plan_set on a clone changed the original");
	}
	plan_free(c);
	free(orig.v);
	free(copy.v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	struct diag_list dl = DIAG_LIST_INIT;
	static struct plan mark;
	struct plan *p = &mark; /* plan_load_mem must replace it */
	int rc;

	if (!sink)
		sink = fopen("/dev/null", "w"); /* kept open for the life of the process */
	rc = plan_load_mem(&p, "fuzz.yaml", NULL, (const char *)data, size, &dl);
	CHECK(rc == PLAN_OK || rc == PLAN_EINVALID || rc == PLAN_ENOMEM || rc == PLAN_EIO,
	      "plan_load_mem returned %d", rc);
	if (rc == PLAN_OK) {
		CHECK(p && !diag_has_errors(&dl), "a plan with %zu errors", dl.nerrors);
		check_plan(p, &dl);
	} else {
		CHECK(!p, "plan_load_mem failed but gave a plan");
		CHECK(rc == PLAN_ENOMEM || diag_has_errors(&dl),
		      "plan_load_mem failed without an error (%s)", plan_strerror(rc));
	}
	if (sink)
		diag_print(&dl, sink, 1);
	plan_free(p);
	diag_list_release(&dl);
	return 0;
}
