/* test_hostile.c - inputs built at test time to break the reader's limits, refused fast. */
/* Size, depth, scalar length, node count, alias bombs.  The time bounds are loose
 * (sanitizer builds are slow); a quadratic reader would take minutes, not seconds. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"
#include "yaml_doc.h"

#define SLOW_S 10.0

#define TMP_TEMPLATE "/tmp/porcupine-inputs-test-XXXXXX"

static char tmpdir[] = TMP_TEMPLATE;

static void make_tmpdir(void)
{
	cr_assert_not_null(mkdtemp(tmpdir));
	cr_assert_eq(chdir(tmpdir), 0);
}

/* Remove the files the test wrote, then the folder (each test runs in its own process). */
static void remove_tmpdir(void)
{
	static const char *const names[] = {"big.yaml",	   "padded.yaml", "brackets.yaml",
					    "braces.yaml", "block.yaml",  "long.yaml",
					    "bomb.yaml",   "nodes.yaml",  "many.yaml"};
	size_t i;

	if (strcmp(tmpdir, TMP_TEMPLATE) == 0)
		return; /* never created */
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		unlink(names[i]);
	if (chdir("/") == 0)
		rmdir(tmpdir);
}

TestSuite(hostile, .init = make_tmpdir, .fini = remove_tmpdir, .timeout = 120);

/* Load `len` bytes written to NAME in the temporary folder; check the first line. */
static void expect_refused(const char *name, const char *data, size_t len, const char *first)
{
	struct loaded l;
	double t0;
	char *got;

	cr_assert_eq(spit(name, data, len), 0);
	t0 = now_s();
	l = load_file(name);
	cr_assert_lt(now_s() - t0, SLOW_S, "%s took %.2f s", name, now_s() - t0);
	cr_assert_eq(l.rc, PLAN_EINVALID, "%s: rc %d\n%s", name, l.rc, l.out);
	got = first_line(l.out);
	cr_assert_str_eq(got, first, "%s:\n%s", name, l.out);
	free(got);
	loaded_release(&l);
}

static char *repeat(const char *unit, size_t times, const char *tail)
{
	size_t u = strlen(unit), t = strlen(tail);
	char *s = malloc(u * times + t + 1), *p = s;
	size_t i;

	cr_assert_not_null(s);
	for (i = 0; i < times; i++, p += u)
		memcpy(p, unit, u);
	memcpy(p, tail, t + 1);
	return s;
}

Test(hostile, file_over_16_mib_refused_before_reading)
{
	size_t len = YDOC_MAX_BYTES + 1;
	char *big = malloc(len);

	cr_assert_not_null(big);
	memset(big, '#', len);
	big[len - 1] = '\n';
	expect_refused("big.yaml", big, len,
		       "big.yaml:1:1: error: file larger than 16 MiB (16777217 bytes)");
	free(big);
}

Test(hostile, text_over_16_mib_refused_from_memory)
{
	struct diag_list dl = DIAG_LIST_INIT;
	struct plan *p = NULL;
	size_t len = YDOC_MAX_BYTES + 1;
	char *big = malloc(len + 1);
	char *out;

	cr_assert_not_null(big);
	memset(big, '#', len);
	big[len] = '\0';
	cr_assert_eq(plan_load_mem(&p, "big", NULL, big, len, &dl), PLAN_EINVALID);
	out = diag_text(&dl);
	cr_assert_not_null(strstr(out, "big:1:1: error: file larger than 16 MiB"), "%s", out);
	free(out);
	free(big);
	diag_list_release(&dl);
}

/* A plan padded to just under 16 MiB with a long comment block is still read, fast. */
Test(hostile, file_just_under_16_mib_accepted)
{
	const char *plan = "porcupine: 1\nname: padded\nhorizon: {start: 2026, end: 2030}\n";
	size_t len = YDOC_MAX_BYTES, k = strlen(plan), i;
	char *text = malloc(len);
	struct loaded l;
	double t0;

	cr_assert_not_null(text);
	memcpy(text, plan, k);
	for (i = k; i < len; i += 80) {
		size_t n = len - i < 80 ? len - i : 80;

		memset(text + i, ' ', n);
		text[i] = '#';
		text[i + n - 1] = '\n';
	}
	cr_assert_eq(spit("padded.yaml", text, len), 0);
	t0 = now_s();
	l = load_file("padded.yaml");
	cr_assert_lt(now_s() - t0, SLOW_S);
	cr_assert_eq(l.rc, PLAN_OK, "%s", l.out);
	loaded_release(&l);
	free(text);
}

Test(hostile, a_million_open_brackets)
{
	char *s = repeat("[", 1000000, "");

	expect_refused("brackets.yaml", s, strlen(s),
		       "brackets.yaml:1:65: error: nesting deeper than 64 levels");
	free(s);
}

Test(hostile, a_million_open_braces)
{
	char *s = repeat("{a: ", 1000000, "");

	expect_refused("braces.yaml", s, strlen(s),
		       "braces.yaml:1:257: error: nesting deeper than 64 levels");
	free(s);
}

Test(hostile, deep_block_nesting)
{
	char *s = malloc(200000), *p = s;
	int i;

	cr_assert_not_null(s);
	for (i = 0; i < 300; i++)
		p += sprintf(p, "%*sk%d:\n", i, "", i);
	expect_refused("block.yaml", s, strlen(s),
		       "block.yaml:65:65: error: nesting deeper than 64 levels");
	free(s);
}

Test(hostile, scalar_over_64_kib)
{
	char *s = repeat("x", YDOC_MAX_SCALAR + 1, "\n");
	char *doc = malloc(strlen(s) + 64);

	cr_assert_not_null(doc);
	sprintf(doc, "porcupine: 1\nname: %s", s);
	expect_refused("long.yaml", doc, strlen(doc),
		       "long.yaml:2:7: error: scalar longer than 65536 bytes");
	free(doc);
	free(s);
}

/* Nine levels of ten aliases each would expand to 10^9 nodes. */
Test(hostile, alias_bomb)
{
	char *s = malloc(4096), *p = s;
	int i;

	cr_assert_not_null(s);
	p += sprintf(p, "porcupine: 1\nname: bomb\nl0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
	for (i = 1; i <= 9; i++)
		p += sprintf(
		    p, "l%d: &l%d [*l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d]\n",
		    i, i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1);
	expect_refused("bomb.yaml", s, strlen(s),
		       "bomb.yaml:8:45: error: more than 1000000 nodes (aliases counted expanded)");
	free(s);
}

/* Aliases within the limit are fine: the values are shared, not copied. */
Test(hostile, aliases_within_the_limit)
{
	struct loaded l = load_text("alias.yaml", "porcupine: 1\n"
						  "name: &n shared\n"
						  "description: *n\n"
						  "horizon: &h {start: 2026, end: 2030}\n");

	cr_assert_eq(l.rc, PLAN_OK, "%s", l.out);
	cr_assert_str_eq(l.plan->description, "shared");
	loaded_release(&l);
}

Test(hostile, more_than_a_million_nodes)
{
	char *s = repeat("1,", 1000001, "1]");
	char *doc = malloc(strlen(s) + 64);

	cr_assert_not_null(doc);
	sprintf(doc, "porcupine: 1\nname: [%s", s);
	expect_refused(
	    "nodes.yaml", doc, strlen(doc),
	    "nodes.yaml:2:1999998: error: more than 1000000 nodes (aliases counted expanded)");
	free(doc);
	free(s);
}

/* Thousands of unknown keys, each a near miss of another: all reported, capped, fast. */
Test(hostile, many_errors_are_capped)
{
	size_t n = 20000, i;
	char *doc = malloc(n * 64 + 256), *p = doc;
	struct loaded l;
	double t0;

	cr_assert_not_null(doc);
	p += sprintf(p, "porcupine: 1\nname: many\nhorizon: {start: 2026, end: 2030}\n"
			"categories:\n");
	for (i = 0; i < n; i++)
		p += sprintf(p, "  c%zu: {nmae: x}\n", i);
	cr_assert_eq(spit("many.yaml", doc, strlen(doc)), 0);
	t0 = now_s();
	l = load_file("many.yaml");
	cr_assert_lt(now_s() - t0, SLOW_S);
	cr_assert_eq(l.rc, PLAN_EINVALID);
	cr_assert_not_null(strstr(l.out, "many.yaml: error: 19500 more problems not shown "
					 "(stopped after 500)"),
			   "%.300s", l.out);
	loaded_release(&l);
	free(doc);
}

/* Text from memory need not end with a NUL: nothing may read past `len` (found by fuzzing;
 * AddressSanitizer catches a read one byte too far in these exact-size buffers). */
Test(hostile, text_without_a_terminating_nul)
{
	static const char *const texts[] = {"\t\t\t\t",	     "porcupine: 1\n\tname: x",
					    "a: \"unclosed", "porcupine: 1\nname: x\nhorizon: {",
					    "- [a",	     "x: \xc3"};
	size_t i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct diag_list dl = DIAG_LIST_INIT;
		struct plan *p = NULL;
		size_t len = strlen(texts[i]);
		char *exact = malloc(len);

		cr_assert_not_null(exact);
		memcpy(exact, texts[i], len);
		cr_assert_eq(plan_load_mem(&p, "t.yaml", NULL, exact, len, &dl), PLAN_EINVALID,
			     "case %zu", i);
		cr_assert_gt(dl.nerrors, 0);
		free(exact);
		diag_list_release(&dl);
	}
}
