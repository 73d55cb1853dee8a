/* test_fixtures.c - each invalid fixture gives exactly the diagnostic in its .expect. */
/* The .expect holds the first line printed; a plan with several problems gets them all,
 * sorted by position. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

#define INVALID	     FIXTURES "/invalid"
#define MIN_FIXTURES 45

struct fixture {
	char name[128]; /* NAME.yaml, relative to INVALID */
};

static int cmp_fixture(const void *a, const void *b)
{
	return strcmp(((const struct fixture *)a)->name, ((const struct fixture *)b)->name);
}

/* The invalid fixtures, sorted; *n is their count.  Uses Criterion's shared memory when
 * `shared`, so that the list can be handed to the parameterized test. */
static struct fixture *list_fixtures(size_t *n, int shared)
{
	struct fixture *v = NULL;
	struct dirent *e;
	size_t count = 0, i = 0;
	DIR *d;

	*n = 0;
	d = opendir(INVALID);
	if (!d)
		return NULL;
	while ((e = readdir(d)))
		if (strlen(e->d_name) > 5 && strlen(e->d_name) < sizeof(v->name) &&
		    strcmp(e->d_name + strlen(e->d_name) - 5, ".yaml") == 0)
			count++;
	rewinddir(d);
	v = shared ? cr_calloc(count ? count : 1, sizeof(*v))
		   : calloc(count ? count : 1, sizeof(*v));
	while (v && (e = readdir(d)) && i < count)
		if (strlen(e->d_name) > 5 && strlen(e->d_name) < sizeof(v->name) &&
		    strcmp(e->d_name + strlen(e->d_name) - 5, ".yaml") == 0)
			strcpy(v[i++].name, e->d_name);
	closedir(d);
	if (v)
		qsort(v, i, sizeof(*v), cmp_fixture);
	*n = i;
	return v;
}

static void free_fixtures(struct criterion_test_params *crp)
{
	cr_free(crp->params);
}

ParameterizedTestParameters(invalid, fixture)
{
	size_t n;
	struct fixture *v = list_fixtures(&n, 1);

	return cr_make_param_array(struct fixture, v, n, free_fixtures);
}

ParameterizedTest(struct fixture *fx, invalid, fixture)
{
	char expect_path[256];
	char *expect, *got;
	struct loaded l;
	size_t n;

	cr_assert_eq(chdir(INVALID), 0);
	n = strlen(fx->name) - 5;
	snprintf(expect_path, sizeof(expect_path), "%.*s.expect", (int)n, fx->name);
	expect = slurp(expect_path, NULL);
	cr_assert_not_null(expect, "%s has no .expect file", fx->name);
	expect[strcspn(expect, "\n")] = '\0';
	l = load_file(fx->name);
	cr_assert_eq(l.rc, PLAN_EINVALID, "%s: expected PLAN_EINVALID, got %d:\n%s", fx->name, l.rc,
		     l.out);
	cr_assert_null(l.plan);
	got = first_line(l.out);
	cr_assert_str_eq(got, expect, "%s: first diagnostic differs; full output:\n%s", fx->name,
			 l.out);
	free(got);
	free(expect);
	loaded_release(&l);
}

Test(invalid, enough_fixtures_each_with_expect)
{
	size_t n, i;
	struct fixture *v = list_fixtures(&n, 0);
	char path[512];

	cr_assert_geq(n, MIN_FIXTURES, "only %zu invalid fixtures", n);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%.*s.expect", INVALID,
			 (int)(strlen(v[i].name) - 5), v[i].name);
		cr_assert_eq(access(path, R_OK), 0, "%s has no .expect file", v[i].name);
	}
	free(v);
}

/* Several problems in one file: all are reported, in order of position, then counted. */
Test(invalid, several_problems_all_reported_sorted)
{
	static const char *const expected[] = {
	    "several_problems.yaml:4:16: error: 'discount_rate' must be between 0 and 1 (got 1.5)",
	    "several_problems.yaml:6:3: error: missing required key 'kind' in funding source "
	    "'safe'",
	    "several_problems.yaml:7:5: error: unknown key 'kindd' in funding source 'safe' "
	    "(did you mean 'kind'?)",
	    "several_problems.yaml:11:15: error: unknown category 'air_defense' (did you mean "
	    "'air_defence'?)",
	    "several_problems.yaml:12:16: error: 'unit_cost' must be > 0 (got -4.5)",
	    "several_problems.yaml:13:5: error: unknown key 'unit_cots' in item 'iris_t_slm' "
	    "(did you mean 'unit_cost'?)",
	    "several_problems.yaml:14:3: error: duplicate key 'iris_t_slm' (first at line 10)",
	    "7 errors\n"};
	struct loaded l;
	const char *at;
	size_t i;

	cr_assert_eq(chdir(FIXTURES), 0);
	l = load_file("several_problems.yaml");
	cr_assert_eq(l.rc, PLAN_EINVALID);
	at = l.out;
	for (i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
		const char *hit = strstr(at, expected[i]);

		cr_assert_not_null(hit, "missing or out of order: %s\nin:\n%s", expected[i], l.out);
		at = hit + strlen(expected[i]);
	}
	loaded_release(&l);
}
