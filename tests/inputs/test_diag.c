/* test_diag.c - diagnostics: exact printed form, caret, count line, sorting. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static char *print(struct diag_list *dl)
{
	char *s = diag_text(dl);

	cr_assert_not_null(s);
	return s;
}

Test(diag, caret_under_the_column_and_count_line)
{
	struct diag_list dl = DIAG_LIST_INIT;
	const char *src = "items:\n  x:\n    unit_cost: -4.5\n";
	char *out;

	diag_add_source(&dl, "p.yaml", src, strlen(src));
	diag_error(&dl, "p.yaml", 3, 16, "items.x.unit_cost", "'unit_cost' must be > 0 (got %s)",
		   "-4.5");
	diag_add(&dl, DIAG_WARNING, "p.yaml", 1, 1, NULL, "a warning");
	diag_sort(&dl);
	out = print(&dl);
	cr_assert_str_eq(out, "p.yaml:1:1: warning: a warning\n"
			      "    1 | items:\n"
			      "      | ^\n"
			      "p.yaml:3:16: error: 'unit_cost' must be > 0 (got -4.5)\n"
			      "    3 |     unit_cost: -4.5\n"
			      "      |                ^\n"
			      "1 error, 1 warning\n");
	cr_assert_eq(dl.nerrors, 1);
	cr_assert_str_eq(dl.v[1].path, "items.x.unit_cost");
	free(out);
	diag_list_release(&dl);
}

Test(diag, one_error_has_no_count_line)
{
	struct diag_list dl = DIAG_LIST_INIT;
	char *out;

	diag_error(&dl, "p.yaml", 0, 0, NULL, "cannot read '%s'", "p.yaml");
	out = print(&dl);
	cr_assert_str_eq(out, "p.yaml: error: cannot read 'p.yaml'\n");
	free(out);
	diag_list_release(&dl);
}

Test(diag, line_without_column_shows_the_line_without_caret)
{
	struct diag_list dl = DIAG_LIST_INIT;
	const char *src = "a: 1\nb: 2\n";
	char *out;

	diag_add_source(&dl, "p.yaml", src, strlen(src));
	diag_error(&dl, "p.yaml", 2, 0, NULL, "bad b");
	diag_error(&dl, "<command line>", 0, 0, NULL, "bad set");
	diag_error(&dl, NULL, 0, 0, NULL, "no file at all");
	diag_sort(&dl);
	out = print(&dl);
	cr_assert_str_eq(out, "error: no file at all\n"
			      "<command line>: error: bad set\n"
			      "p.yaml:2: error: bad b\n"
			      "    2 | b: 2\n"
			      "3 errors\n");
	free(out);
	diag_list_release(&dl);
}

/* Tabs are kept so that the caret lines up; columns count characters, not bytes. */
Test(diag, caret_with_tabs_and_utf8)
{
	struct diag_list dl = DIAG_LIST_INIT;
	const char *src = "\tname: caf\xc3\xa9 x\n";
	char *out;

	diag_add_source(&dl, "p.yaml", src, strlen(src));
	diag_error(&dl, "p.yaml", 1, 13, NULL, "here");
	out = print(&dl);
	cr_assert_str_eq(out, "p.yaml:1:13: error: here\n"
			      "    1 | \tname: caf\xc3\xa9 x\n"
			      "      | \t           ^\n");
	free(out);
	diag_list_release(&dl);
}

/* Control characters and bytes that are not UTF-8 are shown as '?'. */
Test(diag, unprintable_bytes_shown_safely)
{
	struct diag_list dl = DIAG_LIST_INIT;
	const char src[] = "a: \x01\xff\x00z\n";
	char *out;

	diag_add_source(&dl, "p.yaml", src, sizeof(src) - 1);
	diag_error(&dl, "p.yaml", 1, 6, NULL, "odd");
	out = print(&dl);
	cr_assert_str_eq(out, "p.yaml:1:6: error: odd\n"
			      "    1 | a: ???z\n"
			      "      |      ^\n");
	free(out);
	diag_list_release(&dl);
}

/* Very long lines are cut around the caret. */
Test(diag, long_line_is_cut_around_the_caret)
{
	struct diag_list dl = DIAG_LIST_INIT;
	char *src = malloc(1001), *out, *line2, *line3;

	cr_assert_not_null(src);
	memset(src, 'a', 1000);
	src[500] = 'X';
	src[1000] = '\0';
	diag_add_source(&dl, "p.yaml", src, 1000);
	diag_error(&dl, "p.yaml", 1, 501, NULL, "x marks the spot");
	out = print(&dl);
	line2 = strchr(out, '\n') + 1;
	line3 = strchr(line2, '\n') + 1;
	cr_assert(strncmp(line2, "    1 | ...", 11) == 0, "%s", out);
	cr_assert_lt(strlen(line2) - strlen(line3), 200);
	/* the caret sits under the X */
	cr_assert_eq(strchr(line3, '^') - line3, strchr(line2, 'X') - line2, "%s", out);
	free(out);
	free(src);
	diag_list_release(&dl);
}

Test(diag, sorted_by_file_line_column_then_order)
{
	struct diag_list dl = DIAG_LIST_INIT;

	diag_error(&dl, "b.yaml", 1, 1, NULL, "b1");
	diag_error(&dl, "a.yaml", 5, 2, NULL, "a5-2 first");
	diag_error(&dl, "a.yaml", 5, 1, NULL, "a5-1");
	diag_error(&dl, "a.yaml", 5, 2, NULL, "a5-2 second");
	diag_sort(&dl);
	cr_assert_str_eq(dl.v[0].message, "a5-1");
	cr_assert_str_eq(dl.v[1].message, "a5-2 first");
	cr_assert_str_eq(dl.v[2].message, "a5-2 second");
	cr_assert_str_eq(dl.v[3].message, "b1");
	diag_list_release(&dl);
}
