/* fuzz_set.c - fuzz target for --set PATH=VALUE overrides and money literals. */
/* The input is read as lines (at most SET_MAX_LINES).  Each line is tried as a money or
 * number literal (number_parse, money_parse, money_format) and then as an assignment,
 * applied in order to a fresh clone of each of two plans loaded once: the default plan
 * compiled into the library, and a two-year plan embedded below, so that the target needs
 * no source tree at run time.  Besides "no crash, leak or UB", it checks what params.h and
 * plan.h promise; a broken promise calls abort() so that the fuzzer keeps the input.
 *   libFuzzer (clang, -DPORCUPINE_FUZZ=ON): ./fuzz_set corpus/ tests/fuzz/set-seeds
 *   replay (any compiler):                  ./fuzz_set_replay tests/fuzz/set-seeds */
#include <ctype.h>
#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "params.h"
#include "plan.h"

#define SET_MAX_LINES 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Not assert(): release builds define NDEBUG, and these checks must run in every build. */
#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_set: %s:%d: check failed: %s: ", __FILE__, __LINE__, \
				#cond);                                                            \
			fprintf(stderr, __VA_ARGS__);                                              \
			fputc('\n', stderr);                                                       \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* tiny.yaml without its comments: two buyers, a loan with an allocation, a budget, two
 * items, two capabilities and a two-year horizon (short series, few ids to suggest). */
static const char tiny_plan[] =
    "porcupine: 1\n"
    "name: tiny\n"
    "currency: EUR\n"
    "data_date: 2026-01-01\n"
    "horizon: {start: 2026, end: 2027}\n"
    "discount_rate: 0\n"
    "objective: cost\n"
    "categories:\n"
    "  kit: {name: Kit, safe_category: 1}\n"
    "buyers:\n"
    "  aa: {name: Borrower A, kind: member_state}\n"
    "  bb: {name: Partner B, kind: partner}\n"
    "funding:\n"
    "  loan:\n"
    "    kind: loan\n"
    "    total: 100m\n"
    "    available: {2026: 100m}\n"
    "    carry_over: true\n"
    "    interest_rate: 0.1\n"
    "    grace_years: 0\n"
    "    maturity_years: 1\n"
    "    allocations: {aa: 100m}\n"
    "  budget:\n"
    "    kind: budget\n"
    "    available: {2026: 50m, 2027: 50m}\n"
    "    carry_over: false\n"
    "    buyers: [bb]\n"
    "items:\n"
    "  shell:\n"
    "    category: kit\n"
    "    unit_cost: 1m\n"
    "    cost_growth: 0\n"
    "    lead_time: 0\n"
    "    capacity: 60\n"
    "    integer: false\n"
    "    attrition: 1\n"
    "    european_content: 1\n"
    "    provides: {ammo: 1}\n"
    "  gun:\n"
    "    category: kit\n"
    "    unit_cost: 10m\n"
    "    cost_growth: 0.1\n"
    "    lead_time: 0\n"
    "    capacity: 3\n"
    "    integer: true\n"
    "    attrition: 0\n"
    "    european_content: 1\n"
    "    provides: {guns: 1}\n"
    "capabilities:\n"
    "  ammo: {unit: shells per year, target: 80, penalty: 3m, priority: 1}\n"
    "  guns:\n"
    "    unit: guns\n"
    "    target: {2026: 2, 2027: 5}\n"
    "    penalty: 20m\n"
    "    priority: 1\n"
    "    buyers: [bb]\n";

/* Every number params_each passes, in its order: a snapshot of a plan's parameters. */
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

/* Same numbers, bit for bit (no parameter is ever a NaN, see below). */
static int snap_equal(const struct snap *a, const struct snap *b)
{
	return a->n == b->n && (a->n == 0 || memcmp(a->v, b->v, a->n * sizeof(*a->v)) == 0);
}

struct base {
	const char *name;
	struct plan *plan;
	struct snap values;
};

static struct base bases[2];
static FILE *sink;

static void teardown(void)
{
	size_t i;

	for (i = 0; i < sizeof(bases) / sizeof(bases[0]); i++) {
		plan_free(bases[i].plan);
		free(bases[i].values.v);
		bases[i].plan = NULL;
	}
	if (sink)
		fclose(sink);
	sink = NULL;
}

/* Loaded on the first input and kept for the life of the process. */
static void setup(void)
{
	struct diag_list dl = DIAG_LIST_INIT;
	size_t i, k;

	if (bases[0].plan)
		return;
	bases[0].name = "<default plan>";
	CHECK(plan_load_default(&bases[0].plan, &dl) == PLAN_OK, "the default plan does not load");
	bases[1].name = "<tiny plan>";
	CHECK(plan_load_mem(&bases[1].plan, "tiny.yaml", NULL, tiny_plan, sizeof(tiny_plan) - 1,
			    &dl) == PLAN_OK,
	      "the embedded plan does not load");
	diag_list_release(&dl);
	for (i = 0; i < 2; i++) {
		snap_take(&bases[i].values, bases[i].plan);
		for (k = 0; k < bases[i].values.n; k++)
			CHECK(isfinite(bases[i].values.v[k]), "%s: parameter %zu is not finite",
			      bases[i].name, k);
	}
	sink = fopen("/dev/null", "w");
	atexit(teardown);
}

/* money_format(v) read back by money_parse: within 6 significant digits for finite v,
 * refused otherwise.  Also writes into a buffer of `small` bytes, to catch overruns. */
static void check_format(double v, size_t small)
{
	char buf[64], *tiny;
	const char *why;
	double back = 0;
	int rc;

	money_format(buf, sizeof(buf), v);
	CHECK(strlen(buf) < sizeof(buf) - 1, "money_format(%.17g) is suspiciously long: %s", v,
	      buf);
	rc = money_parse(&back, buf, &why);
	if (!isfinite(v)) {
		CHECK(rc != 0, "money_format(%.17g) = '%s' was read back as %.17g", v, buf, back);
	} else {
		CHECK(rc == 0, "money_format(%.17g) = '%s' was refused: %s", v, buf,
		      why ? why : "?");
		/* half a unit in the 6th digit, plus half a step between subnormals */
		CHECK(fabs(back - v) <= 5.000001e-6 * fabs(v) + DBL_TRUE_MIN,
		      "money_format(%.17g) = '%s' was read back as %.17g", v, buf, back);
	}
	tiny = malloc(small);
	CHECK(tiny, "out of memory");
	money_format(tiny, small, v);
	CHECK(strlen(tiny) < small && strncmp(tiny, buf, small - 1) == 0,
	      "money_format(%.17g) into %zu bytes gave '%s', not a prefix of '%s'", v, small, tiny,
	      buf);
	free(tiny);
}

static int known_number_status(int rc)
{
	return rc == NUMBER_OK || rc == NUMBER_NOT_A_NUMBER || rc == NUMBER_INVALID;
}

/* The literal promises of params.h. */
static void check_literal(const char *text)
{
	const double unset = -12345.678;
	double plain = unset, money = unset, m = unset;
	const char *why_plain, *why_money, *why;
	int rc_plain, rc_money, rc;

	rc_plain = number_parse(&plain, text, 0, &why_plain);
	rc_money = number_parse(&money, text, 1, &why_money);
	rc = money_parse(&m, text, &why);
	CHECK(known_number_status(rc_plain) && known_number_status(rc_money),
	      "number_parse('%s') returned %d / %d", text, rc_plain, rc_money);
	CHECK(rc_plain != NUMBER_INVALID || why_plain,
	      "number_parse('%s') refused it without a reason", text);
	CHECK(rc_money != NUMBER_INVALID || why_money,
	      "number_parse('%s', money) refused it without a reason", text);
	CHECK(rc_plain == NUMBER_OK || plain == unset, "number_parse('%s') failed but wrote %.17g",
	      text, plain);
	CHECK(rc_money == NUMBER_OK || money == unset,
	      "number_parse('%s', money) failed but wrote %.17g", text, money);
	if (rc_plain == NUMBER_OK) {
		/* a plain number is also an amount of money, with the same value */
		CHECK(isfinite(plain), "number_parse('%s') gave %.17g", text, plain);
		CHECK(rc_money == NUMBER_OK && money == plain,
		      "'%s' is the number %.17g but not the same amount (%d, %.17g)", text, plain,
		      rc_money, money);
	}
	CHECK(rc == 0 || rc == -1, "money_parse('%s') returned %d", text, rc);
	CHECK((rc == 0) == (rc_money == NUMBER_OK), "money_parse('%s') = %d but number_parse = %d",
	      text, rc, rc_money);
	if (rc == 0) {
		CHECK(isfinite(m) && m == money, "money_parse('%s') gave %.17g", text, m);
		check_format(m, 1 + (strlen(text) % 24));
	} else {
		CHECK(why && *why, "money_parse('%s') refused it without a reason", text);
		CHECK(m == unset, "money_parse('%s') failed but wrote %.17g", text, m);
	}
}

/* What plan_set splits off as the path: before the first '=', without outer blanks. */
static char *path_of(const char *line)
{
	const char *eq = strchr(line, '=');
	size_t n = eq ? (size_t)(eq - line) : strlen(line);
	char *d;

	while (n && isspace((unsigned char)*line))
		line++, n--;
	while (n && isspace((unsigned char)line[n - 1]))
		n--;
	d = malloc(n + 1);
	CHECK(d, "out of memory");
	memcpy(d, line, n);
	d[n] = '\0';
	return d;
}

/* A value within the bounds params_resolve gives for its slot.  The one exception is -1,
 * what an absent funding total or item capacity holds ("no cap", "unlimited"): the schema
 * bounds (>= 0) are for values written in a plan, and the loader puts -1 there itself. */
static int within(double v, const struct param_slot *s)
{
	return (v >= s->min && v <= s->max) || (v == -1 && s->min == 0);
}

/* params_resolve of the path on its own: slots into the plan, within their bounds. */
static void check_resolve(struct plan *p, const char *path, struct diag_list *dl)
{
	static struct param_slot mark;
	struct param_slot *s = &mark; /* params_resolve must replace it, even on failure */
	size_t n = 12345, k, errors = dl->nerrors;
	int rc = params_resolve(&s, &n, p, path, dl, "<fuzz>", 1, 1);

	CHECK(rc == PLAN_OK || rc == PLAN_EINVALID || rc == PLAN_ENOMEM,
	      "params_resolve('%s') returned %d", path, rc);
	if (rc != PLAN_OK) {
		CHECK(!s && n == 0, "params_resolve('%s') failed but set its outputs", path);
		CHECK(rc == PLAN_ENOMEM || dl->nerrors > errors,
		      "params_resolve('%s') failed without an error", path);
		return;
	}
	CHECK(s && n >= 1, "params_resolve('%s') succeeded with %zu slots", path, n);
	CHECK(dl->nerrors == errors, "params_resolve('%s') succeeded but recorded an error", path);
	for (k = 0; k < n; k++) {
		CHECK(s[k].value, "params_resolve('%s'): slot %zu has no value", path, k);
		CHECK(s[k].min <= s[k].max, "params_resolve('%s'): slot %zu bounds %g > %g", path,
		      k, s[k].min, s[k].max);
		CHECK(isfinite(*s[k].value) && within(*s[k].value, &s[k]),
		      "params_resolve('%s'): slot %zu holds %.17g, outside [%.17g, %.17g]", path, k,
		      *s[k].value, s[k].min, s[k].max);
	}
	free(s);
}

/* After a successful plan_set, every slot a real-number path names holds the value. */
static void check_assigned(struct plan *p, const char *line, const char *path)
{
	struct diag_list dl = DIAG_LIST_INIT;
	struct param_slot *s = NULL;
	const char *eq = strchr(line, '='), *why;
	char *text;
	double v;
	size_t n, k;

	if (params_resolve(&s, &n, p, path, &dl, "<fuzz>", 1, 1) != PLAN_OK) {
		diag_list_release(&dl);
		return; /* a whole number, a switch or a choice */
	}
	CHECK(eq, "plan_set('%s') succeeded without '='", line);
	text = path_of(eq + 1); /* the value, trimmed the same way */
	CHECK(number_parse(&v, text, 1, &why) == NUMBER_OK,
	      "plan_set('%s') accepted '%s', which is not a number", line, text);
	for (k = 0; k < n; k++)
		CHECK(*s[k].value == v, "plan_set('%s'): slot %zu holds %.17g, not %.17g", line, k,
		      *s[k].value, v);
	free(text);
	free(s);
	diag_list_release(&dl);
}

/* Apply the lines in order to a clone of b. */
static void check_assignments(const struct base *b, char **lines, size_t nlines)
{
	struct diag_list dl = DIAG_LIST_INIT;
	struct snap before = {0}, after = {0};
	struct plan *c = NULL;
	size_t i, k;

	CHECK(plan_clone(&c, b->plan) == PLAN_OK, "plan_clone failed");
	/* the clone starts with the numbers of b (fuzz_plan checks that clones are equal) */
	before.v = malloc((b->values.n ? b->values.n : 1) * sizeof(*before.v));
	CHECK(before.v, "out of memory");
	before.n = before.alloc = b->values.n;
	if (b->values.n)
		memcpy(before.v, b->values.v, b->values.n * sizeof(*before.v));
	for (i = 0; i < nlines; i++) {
		size_t errors = dl.nerrors;
		char *path = path_of(lines[i]);
		int rc = plan_set(c, lines[i], &dl);

		CHECK(rc == PLAN_OK || rc == PLAN_EINVALID || rc == PLAN_ENOMEM,
		      "%s: plan_set('%s') returned %d", b->name, lines[i], rc);
		snap_take(&after, c);
		if (rc == PLAN_OK) {
			CHECK(dl.nerrors == errors, "%s: plan_set('%s') succeeded with an error",
			      b->name, lines[i]);
			for (k = 0; k < after.n; k++)
				CHECK(isfinite(after.v[k]), "%s: plan_set('%s') left %.17g",
				      b->name, lines[i], after.v[k]);
			check_assigned(c, lines[i], path);
			/* the same assignment again changes nothing and still succeeds */
			CHECK(plan_set(c, lines[i], &dl) == PLAN_OK && dl.nerrors == errors,
			      "%s: plan_set('%s') is refused the second time", b->name, lines[i]);
			snap_take(&before, c);
			CHECK(snap_equal(&before, &after), "%s: plan_set('%s') twice differs",
			      b->name, lines[i]);
		} else if (rc == PLAN_EINVALID) {
			CHECK(dl.nerrors > errors, "%s: plan_set('%s') failed without an error",
			      b->name, lines[i]);
			CHECK(snap_equal(&before, &after),
			      "%s: plan_set('%s') failed but changed the plan", b->name, lines[i]);
		}
		check_resolve(c, path, &dl);
		free(path);
		/* keep `before` as the state the next line starts from */
		{
			struct snap t = before;
			before = after;
			after = t;
		}
	}
	/* the plan the clone came from is untouched */
	snap_take(&after, b->plan);
	CHECK(snap_equal(&after, &b->values), "%s: plan_set on a clone changed the original",
	      b->name);
	if (sink)
		diag_print(&dl, sink, 1);
	free(before.v);
	free(after.v);
	plan_free(c);
	diag_list_release(&dl);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *lines[SET_MAX_LINES], *s;
	size_t nlines = 0, i;
	double d;

	setup();
	CHECK(text, "out of memory");
	if (size)
		memcpy(text, data, size);
	text[size] = '\0'; /* an embedded NUL ends the text, as in argv */
	for (s = text; nlines < SET_MAX_LINES;) {
		char *nl = strchr(s, '\n');

		lines[nlines++] = s;
		if (!nl)
			break;
		*nl = '\0';
		s = nl + 1;
	}
	for (i = 0; i < nlines; i++)
		check_literal(lines[i]);
	/* the first eight bytes as a double: money_format over all of them, NaN included */
	if (size >= sizeof(d)) {
		memcpy(&d, data, sizeof(d));
		check_format(d, 1 + data[0] % 24);
	}
	for (i = 0; i < sizeof(bases) / sizeof(bases[0]); i++)
		check_assignments(&bases[i], lines, nlines);
	free(text);
	return 0;
}
