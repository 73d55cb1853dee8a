/* test_money.c - money and number literals: a table of accepted and refused texts. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <math.h>
#include <string.h>

#include "params.h"

/* Arrays, not pointers: Criterion runs each case in a new process. */
struct money_case {
	char text[16];
	double value; /* when ok */
	int ok;
	char why[32]; /* part of the reason given when refused */
};

static const struct money_case money_cases[] = {
    {"150bn", 150e9, 1, ""},
    {"43.73bn", 43.73e9, 1, ""},
    {"158m", 158e6, 1, ""},
    {"4.4k", 4400, 1, ""},
    {"1.2tn", 1.2e12, 1, ""},
    {"150BN", 150e9, 1, ""},
    {"12_000", 12000, 1, ""},
    {"1_000.250_5", 1000.2505, 1, ""},
    {"-3", -3, 1, ""},
    {"+7", 7, 1, ""},
    {"2.5e6", 2.5e6, 1, ""},
    {"1E3", 1000, 1, ""},
    {"2e-3m", 2000, 1, ""},
    {"0", 0, 1, ""},
    {"0.5", 0.5, 1, ""},
    {".5", 0.5, 1, ""},
    {"5.", 5, 1, ""},
    {"-0.25bn", -0.25e9, 1, ""},
    {"", 0, 0, "empty"},
    {"abc", 0, 0, "not a number"},
    {"bn", 0, 0, "not a number"},
    {"1 bn", 0, 0, "not a number"},
    {"1.2.3", 0, 0, "not a number"},
    {"--1", 0, 0, "not a number"},
    {"1e", 0, 0, "not a number"},
    {"1,000", 0, 0, "group digits with '_'"},
    {"65%", 0, 0, "fraction"},
    {"0x10", 0, 0, "hexadecimal"},
    {"0o17", 0, 0, "octal"},
    {"017", 0, 0, "leading zero"},
    {"0b101", 0, 0, "binary"},
    {".nan", 0, 0, "non-finite"},
    {".NaN", 0, 0, "non-finite"},
    {".inf", 0, 0, "non-finite"},
    {"-.inf", 0, 0, "non-finite"},
    {"inf", 0, 0, "non-finite"},
    {"1e999", 0, 0, "out of range"},
    {"1e308tn", 0, 0, "out of range"},
    {"1__0", 0, 0, "'_'"},
    {"_1", 0, 0, "'_'"},
    {"1_", 0, 0, "'_'"},
};

ParameterizedTestParameters(money, literals)
{
	return cr_make_param_array(struct money_case, (struct money_case *)money_cases,
				   sizeof(money_cases) / sizeof(money_cases[0]));
}

ParameterizedTest(struct money_case *c, money, literals)
{
	double v = -12345;
	const char *why = NULL;
	int rc = money_parse(&v, c->text, &why);

	if (c->ok) {
		cr_assert_eq(rc, 0, "'%s' refused: %s", c->text, why ? why : "?");
		cr_assert(fabs(v - c->value) <= 1e-12 * fmax(1, fabs(c->value)),
			  "'%s' read as %.17g, expected %.17g", c->text, v, c->value);
	} else {
		cr_assert_eq(rc, -1, "'%s' accepted as %.17g", c->text, v);
		cr_assert_eq(v, -12345, "'%s' changed the output on failure", c->text);
		cr_assert_not_null(why, "'%s': no reason given", c->text);
		cr_assert_not_null(strstr(why, c->why), "'%s': reason '%s' lacks '%s'", c->text,
				   why, c->why);
	}
}

Test(money, plain_numbers_refuse_suffixes)
{
	double v;
	const char *why;

	cr_assert_eq(number_parse(&v, "30k", 0, &why), NUMBER_INVALID);
	cr_assert_not_null(strstr(why, "only for amounts of money"));
	cr_assert_eq(number_parse(&v, "30", 0, &why), NUMBER_OK);
	cr_assert_eq(v, 30);
	cr_assert_eq(number_parse(&v, "thirty", 0, &why), NUMBER_NOT_A_NUMBER);
}
