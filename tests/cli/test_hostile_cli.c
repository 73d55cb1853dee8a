/* test_hostile_cli.c - hostile plans through the real binary: `porcupine check` must exit 2
 * with a located first line, print nothing on stdout, stay within a memory bound and end. */
/* The committed corpus is tests/fixtures/hostile (NAME.yaml with NAME.expect, the exact first
 * line of stderr); inputs too big to commit, and those that need symbolic links, FIFOs or
 * devices, are made here at test time.  Wall time is measured by bench/hostile.sh, not here:
 * shared machines are too noisy for a time assertion, so the only clock is a hang guard. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "run.h"

#define HOSTILE	     PORCUPINE_SOURCE_DIR "/tests/fixtures/hostile"
#define TINY	     PORCUPINE_SOURCE_DIR "/inputs/plans/tiny.yaml"
#define PORCUPINE    PORCUPINE_BINARY_DIR "/porcupine"
#define MIN_FIXTURES 60
#define HANG_S	     30 /* a run still going after this is killed and fails */

/* Peak resident memory allowed to one run, from wait4's ru_maxrss.  Linux counts in it what
 * the forking process had resident (the larger over fork and exec): the tests free their
 * buffers before running porcupine, which leaves a few MiB.  AddressSanitizer keeps freed
 * memory in quarantine and adds shadow memory, so its builds get more room (the largest
 * input here peaks near 400 MiB under it, 130 MiB without). */
#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifdef SANITIZED
#define MAX_RSS_KB (1024L * 1024)
#else
#define MAX_RSS_KB (200L * 1024)
#endif

/* ---- running the binary ------------------------------------------------------------- */

struct child {
	int status;	/* exit status, or -1 when it did not exit */
	int signal;	/* the signal that ended it, or 0 */
	int hung;	/* killed by the hang guard */
	long maxrss_kb; /* peak resident set of the porcupine process */
	char *out, *err;
};

/* Feed `n` bytes into fd (a pipe's write end) and exit; the reader may stop early. */
static void feed(int fd, size_t n)
{
	static char chunk[65536];
	size_t done = 0;

	signal(SIGPIPE, SIG_IGN);
	memset(chunk, '#', sizeof(chunk));
	while (done < n) {
		size_t k = n - done < sizeof(chunk) ? n - done : sizeof(chunk);
		ssize_t w = write(fd, chunk, k);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	_exit(0);
}

/* Run porcupine with argv (argv[0] ignored) in folder cwd.  With feed_bytes > 0 its stdin is
 * a pipe fed that many bytes by a helper process; otherwise /dev/null. */
static void run_argv(struct child *c, const char *cwd, char *const argv[], size_t feed_bytes)
{
	char dir[] = "/tmp/porcupine-hostile-run-XXXXXX", *outp, *errp;
	struct rusage ru;
	struct timespec nap = {0, 5 * 1000 * 1000};
	pid_t pid, feeder = -1;
	int pfd[2] = {-1, -1}, st = 0, i;
	double waited = 0;

	memset(c, 0, sizeof(*c));
	c->status = -1;
	cr_assert_not_null(mkdtemp(dir));
	cr_assert(asprintf(&outp, "%s/stdout", dir) > 0 && asprintf(&errp, "%s/stderr", dir) > 0);
	if (feed_bytes)
		cr_assert_eq(pipe(pfd), 0);
	pid = fork();
	cr_assert_neq(pid, -1);
	if (pid == 0) {
		int in = feed_bytes ? pfd[0] : open("/dev/null", O_RDONLY);
		int o = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int e = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (in < 0 || o < 0 || e < 0 || chdir(cwd) != 0)
			_exit(126);
		dup2(in, 0);
		dup2(o, 1);
		dup2(e, 2);
		if (feed_bytes)
			close(pfd[1]);
		execv(PORCUPINE, argv);
		_exit(127);
	}
	if (feed_bytes) {
		feeder = fork();
		cr_assert_neq(feeder, -1);
		if (feeder == 0) {
			close(pfd[0]);
			feed(pfd[1], feed_bytes);
		}
		close(pfd[0]);
		close(pfd[1]);
	}
	for (;;) {
		pid_t w = wait4(pid, &st, WNOHANG, &ru);

		if (w == pid)
			break;
		if (w < 0 && errno != EINTR)
			cr_assert_fail("wait4: %s", strerror(errno));
		if (waited >= HANG_S) {
			kill(pid, SIGKILL);
			while (wait4(pid, &st, 0, &ru) < 0 && errno == EINTR)
				;
			c->hung = 1;
			break;
		}
		nanosleep(&nap, NULL);
		waited += 0.005;
	}
	if (feeder > 0) {
		kill(feeder, SIGKILL);
		while (waitpid(feeder, &i, 0) < 0 && errno == EINTR)
			;
	}
	if (WIFEXITED(st))
		c->status = WEXITSTATUS(st);
	else if (WIFSIGNALED(st))
		c->signal = WTERMSIG(st);
	c->maxrss_kb = ru.ru_maxrss;
	c->out = slurp(outp, NULL);
	c->err = slurp(errp, NULL);
	cr_assert(c->out && c->err, "cannot read the output of porcupine");
	unlink(outp);
	unlink(errp);
	rmdir(dir);
	free(outp);
	free(errp);
}

static void child_release(struct child *c)
{
	free(c->out);
	free(c->err);
}

/* `porcupine check ARG` in cwd. */
static void run_check(struct child *c, const char *cwd, const char *arg, size_t feed_bytes)
{
	char *argv[] = {"porcupine", "check", (char *)arg, NULL};

	run_argv(c, cwd, argv, feed_bytes);
}

static char *first_line(const char *s)
{
	return strndup(s, strcspn(s, "\n"));
}

/* The properties every hostile input must have: it ended by itself with exit status 2,
 * printed nothing on stdout, kept within the memory bound, and the first line of stderr is
 * `FILE:LINE:COL: error: ...` where FILE is `arg` or (for an include) a file beside it.
 * Returns that first line (malloc'ed) for the caller's exact check. */
static char *expect_refused(const struct child *c, const char *what, const char *arg)
{
	regex_t re;
	regmatch_t m[4];
	char *line = first_line(c->err), *file;
	long lno, col;

	cr_assert(!c->hung, "%s: still running after %d s (killed)", what, HANG_S);
	cr_assert_eq(c->signal, 0, "%s: killed by signal %d\n%s", what, c->signal, c->err);
	cr_assert_eq(c->status, 2, "%s: exit status %d, want 2\n%.2000s", what, c->status, c->err);
	cr_assert_str_empty(c->out, "%s: printed on stdout:\n%.500s", what, c->out);
	cr_assert_lt(c->maxrss_kb, MAX_RSS_KB, "%s: peak memory %ld KiB, limit %ld KiB", what,
		     c->maxrss_kb, MAX_RSS_KB);
	cr_assert_eq(regcomp(&re, "^([^:]+):([0-9]+):([0-9]+): error: ", REG_EXTENDED), 0);
	cr_assert_eq(regexec(&re, line, 4, m, 0), 0, "%s: first line not located: %s", what, line);
	regfree(&re);
	file = strndup(line + m[1].rm_so, (size_t)(m[1].rm_eo - m[1].rm_so));
	lno = strtol(line + m[2].rm_so, NULL, 10);
	col = strtol(line + m[3].rm_so, NULL, 10);
	cr_assert(lno >= 1 && col >= 1, "%s: position %ld:%ld", what, lno, col);
	cr_assert(strcmp(file, arg) == 0 ||
		      (strchr(arg, '/') == NULL && file[0] != '/' && strncmp(file, "../", 3) != 0),
		  "%s: the first message is about '%s', not '%s' or a file it includes", what, file,
		  arg);
	free(file);
	return line;
}

/* ---- the committed corpus ------------------------------------------------------------ */

struct fixture {
	char name[128]; /* NAME.yaml in HOSTILE */
};

static int cmp_fixture(const void *a, const void *b)
{
	return strcmp(((const struct fixture *)a)->name, ((const struct fixture *)b)->name);
}

static int is_fixture(const char *n)
{
	size_t k = strlen(n);

	return k > 5 && k < sizeof(((struct fixture *)0)->name) && strcmp(n + k - 5, ".yaml") == 0;
}

/* The top-level *.yaml of the corpus, sorted (inc/ holds what they include). */
static struct fixture *list_fixtures(size_t *n, int shared)
{
	struct fixture *v;
	struct dirent *e;
	size_t count = 0, i = 0;
	DIR *d = opendir(HOSTILE);

	*n = 0;
	if (!d)
		return NULL;
	while ((e = readdir(d)))
		count += is_fixture(e->d_name);
	rewinddir(d);
	v = shared ? cr_calloc(count ? count : 1, sizeof(*v))
		   : calloc(count ? count : 1, sizeof(*v));
	while (v && (e = readdir(d)) && i < count)
		if (is_fixture(e->d_name)) /* which checks that the name fits */
			memcpy(v[i++].name, e->d_name, strlen(e->d_name) + 1);
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

ParameterizedTestParameters(hostile_cli, fixture)
{
	size_t n;
	struct fixture *v = list_fixtures(&n, 1);

	return cr_make_param_array(struct fixture, v, n, free_fixtures);
}

ParameterizedTest(struct fixture *fx, hostile_cli, fixture)
{
	char expect_path[256];
	char *expect, *got;
	struct child c;

	snprintf(expect_path, sizeof(expect_path), "%s/%.*s.expect", HOSTILE,
		 (int)(strlen(fx->name) - 5), fx->name);
	expect = slurp(expect_path, NULL);
	cr_assert_not_null(expect, "%s has no .expect file", fx->name);
	expect[strcspn(expect, "\n")] = '\0';
	run_check(&c, HOSTILE, fx->name, 0);
	got = expect_refused(&c, fx->name, fx->name);
	cr_assert_str_eq(got, expect, "%s:\n%.3000s", fx->name, c.err);
	free(got);
	free(expect);
	child_release(&c);
}

/* The corpus is as big as the requirement says, and every fixture has its .expect. */
Test(hostile_cli, corpus_complete)
{
	size_t n, i;
	struct fixture *v = list_fixtures(&n, 0);
	struct stat st;

	cr_assert_not_null(v);
	cr_assert_geq(n, MIN_FIXTURES, "only %zu hostile fixtures", n);
	for (i = 0; i < n; i++) {
		char path[512];

		snprintf(path, sizeof(path), "%s/%.*s.expect", HOSTILE,
			 (int)(strlen(v[i].name) - 5), v[i].name);
		cr_assert_eq(stat(path, &st), 0, "%s has no .expect file", v[i].name);
	}
	free(v);
}

/* ---- inputs made at test time -------------------------------------------------------- */

static char *tmp;

static void make_tmp(void)
{
	char t[] = "/tmp/porcupine-hostile-XXXXXX";

	cr_assert_not_null(mkdtemp(t));
	tmp = strdup(t);
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void remove_tmp(void)
{
	if (tmp)
		nftw(tmp, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(tmp);
	tmp = NULL;
}

TestSuite(hostile_gen, .init = make_tmp, .fini = remove_tmp);

/* tmp/NAME, malloc'ed. */
static char *at(const char *name)
{
	char *p;

	cr_assert(asprintf(&p, "%s/%s", tmp, name) > 0);
	return p;
}

static void put(const char *name, const char *data, size_t len)
{
	char *p = at(name);
	FILE *f = fopen(p, "wb");

	cr_assert_not_null(f, "cannot write %s", p);
	cr_assert_eq(fwrite(data, 1, len, f), len);
	cr_assert_eq(fclose(f), 0);
	free(p);
}

/* `unit` repeated `times`, then `tail`, written to tmp/name. */
static void put_repeat(const char *name, const char *head, const char *unit, size_t times,
		       const char *tail)
{
	size_t h = strlen(head), u = strlen(unit), t = strlen(tail), i;
	char *s = malloc(h + u * times + t + 1), *p = s;

	cr_assert_not_null(s);
	memcpy(p, head, h);
	p += h;
	for (i = 0; i < times; i++, p += u)
		memcpy(p, unit, u);
	memcpy(p, tail, t);
	p += t;
	put(name, s, (size_t)(p - s));
	free(s);
}

/* Run check on tmp/name (or on `name` itself when absolute) and compare the first line. */
static void check_refused(const char *name, size_t feed_bytes, const char *want)
{
	struct child c;
	char *got;

	run_check(&c, tmp, name, feed_bytes);
	got = expect_refused(&c, name, name);
	cr_assert_str_eq(got, want, "%s:\n%.3000s", name, c.err);
	free(got);
	child_release(&c);
}

/* A valid YAML start, then a sparse hole: 200 MB that must be refused by its size alone. */
Test(hostile_gen, file_of_200_mb)
{
	const char *head = "porcupine: 1\nname: big\n# ";
	char *p = at("big.yaml");
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, head, strlen(head)), (ssize_t)strlen(head));
	cr_assert_eq(ftruncate(fd, 200L * 1000 * 1000), 0);
	close(fd);
	free(p);
	check_refused("big.yaml", 0,
		      "big.yaml:1:1: error: file larger than 16 MiB (200000000 bytes)");
}

/* 200 MB through a pipe: no size to look at, so reading must stop at the limit. */
Test(hostile_gen, pipe_of_200_mb)
{
	check_refused("/dev/stdin", 200L * 1000 * 1000,
		      "/dev/stdin:1:1: error: file larger than 16 MiB (16777217 bytes)");
}

Test(hostile_gen, file_of_16_mib_and_one_byte)
{
	size_t len = 16 * 1024 * 1024 + 1, i;
	const char *head = "porcupine: 1\nname: over\n";
	char *s = malloc(len);

	cr_assert_not_null(s);
	memcpy(s, head, strlen(head));
	for (i = strlen(head); i < len; i++)
		s[i] = (i % 64 == 0) ? '\n' : '#';
	put("over.yaml", s, len);
	free(s);
	check_refused("over.yaml", 0,
		      "over.yaml:1:1: error: file larger than 16 MiB (16777217 bytes)");
}

Test(hostile_gen, dev_zero_as_the_plan)
{
	check_refused("/dev/zero", 0,
		      "/dev/zero:1:1: error: file larger than 16 MiB (16777217 bytes)");
}

/* A FIFO named as the plan, with no writer: read as an empty file, not waited for. */
Test(hostile_gen, fifo_as_the_plan)
{
	char *p = at("fifo.yaml");

	cr_assert_eq(mkfifo(p, 0600), 0);
	free(p);
	check_refused("fifo.yaml", 0,
		      "fifo.yaml:1:1: error: the file is empty (expected a mapping of plan keys)");
}

Test(hostile_gen, nesting_of_a_million_brackets)
{
	put_repeat("deep.yaml", "", "[", 1000000, "");
	check_refused("deep.yaml", 0, "deep.yaml:1:65: error: nesting deeper than 64 levels");
}

Test(hostile_gen, nesting_of_a_million_braces)
{
	put_repeat("deep.yaml", "", "{a: ", 1000000, "");
	check_refused("deep.yaml", 0, "deep.yaml:1:257: error: nesting deeper than 64 levels");
}

/* Block nesting by indentation: each "- " opens a sequence one column deeper. */
Test(hostile_gen, block_nesting_a_million_deep)
{
	put_repeat("deep.yaml", "", "- ", 1000000, "x\n");
	check_refused("deep.yaml", 0, "deep.yaml:1:129: error: nesting deeper than 64 levels");
}

/* Block nesting by indentation over lines, as deep as a 16 MiB file allows (~5,700). */
Test(hostile_gen, block_nesting_by_indented_lines)
{
	size_t cap = 16 * 1024 * 1024, n = 0, k;
	char *s = malloc(cap), *p = s;

	cr_assert_not_null(s);
	for (k = 0; n + k + 8 < cap; k++) {
		memset(p, ' ', k);
		memcpy(p + k, "k:\n", 3);
		p += k + 3;
		n += k + 3;
	}
	put("deep.yaml", s, n);
	free(s);
	check_refused("deep.yaml", 0, "deep.yaml:65:65: error: nesting deeper than 64 levels");
}

/* A million aliases of one scalar: each counts as a node. */
Test(hostile_gen, a_million_aliases)
{
	put_repeat("aliases.yaml", "porcupine: 1\nname: &a x\nb: [", "*a, ", 1000000, "*a]\n");
	check_refused("aliases.yaml", 0,
		      "aliases.yaml:3:3999977: error: more than 1000000 nodes (aliases counted "
		      "expanded)");
}

/* Exponential aliases, deeper than the committed billion laughs: 10^18 nodes. */
Test(hostile_gen, alias_bomb_of_18_levels)
{
	char *s = malloc(65536), *p = s;
	int i, j;

	cr_assert_not_null(s);
	p += sprintf(p, "porcupine: 1\nl0: &l0 [a, a, a, a, a, a, a, a, a, a]\n");
	for (i = 1; i <= 18; i++) {
		p += sprintf(p, "l%d: &l%d [", i, i);
		for (j = 0; j < 10; j++)
			p += sprintf(p, "%s*l%d", j ? ", " : "", i - 1);
		p += sprintf(p, "]\n");
	}
	put("bomb.yaml", s, (size_t)(p - s));
	free(s);
	check_refused("bomb.yaml", 0,
		      "bomb.yaml:7:45: error: more than 1000000 nodes (aliases counted expanded)");
}

Test(hostile_gen, more_than_a_million_nodes)
{
	put_repeat("nodes.yaml", "porcupine: 1\nname: [", "1,", 1000001, "1]\n");
	check_refused("nodes.yaml", 0,
		      "nodes.yaml:2:1999998: error: more than 1000000 nodes (aliases counted "
		      "expanded)");
}

Test(hostile_gen, scalar_over_64_kib)
{
	put_repeat("long.yaml", "porcupine: 1\nname: \"", "x", 64 * 1024 + 1, "\"\n");
	check_refused("long.yaml", 0, "long.yaml:2:7: error: scalar longer than 65536 bytes");
}

/* The start of a plan with every required key, so that the flood below is the first
 * problem. */
#define HEADER "porcupine: 1\nname: x\nhorizon: {start: 2026, end: 2027}\n"

/* Problems the reader goes on after, 450,000 of them on one 4 MB line: reported up to the
 * cap, then counted; and printed in linear time although they share the line. */
Test(hostile_gen, a_flood_of_duplicate_keys)
{
	struct child c;
	char *got;
	size_t lines = 0;
	const char *s;

	put_repeat("dups.yaml", HEADER "categories: {a: {}", ", a: {}", 450000, "}\n");
	run_check(&c, tmp, "dups.yaml", 0);
	got = expect_refused(&c, "dups.yaml", "dups.yaml");
	cr_assert_str_eq(got, "dups.yaml:4:21: error: duplicate key 'a' (first at line 4)");
	for (s = c.err; (s = strstr(s, ": error: ")); s++)
		lines++;
	cr_assert_eq(lines, 501, "%zu errors printed", lines);
	cr_assert_not_null(strstr(c.err, "dups.yaml: error: 449500 more problems not shown "
					 "(stopped after 500)\n"),
			   "%s", c.err + strlen(c.err) - (strlen(c.err) > 300 ? 300 : 0));
	free(got);
	child_release(&c);
}

Test(hostile_gen, a_flood_of_non_scalar_keys)
{
	char *s = malloc(8 * 1024 * 1024), *p = s;
	int i;

	cr_assert_not_null(s);
	p += sprintf(p, HEADER "categories: {");
	for (i = 0; i < 300000; i++)
		p += sprintf(p, "%s[%d]: {}", i ? ", " : "", i);
	p += sprintf(p, "}\n");
	put("keys.yaml", s, (size_t)(p - s));
	free(s);
	check_refused("keys.yaml", 0,
		      "keys.yaml:4:14: error: mapping keys must be plain names, not a sequence");
}

/* Nine hundred thousand distinct anchors: every one is kept for aliases to come. */
Test(hostile_gen, a_flood_of_anchors)
{
	char *s = malloc(16 * 1024 * 1024), *p = s;
	int i;

	cr_assert_not_null(s);
	p += sprintf(p, HEADER "items: [");
	for (i = 0; i < 900000; i++)
		p += sprintf(p, "%s&a%d x", i ? ", " : "", i);
	p += sprintf(p, "]\n");
	put("anchors.yaml", s, (size_t)(p - s));
	free(s);
	check_refused("anchors.yaml", 0,
		      "anchors.yaml:4:8: error: 'items' must be a mapping of ids to item records "
		      "(got a sequence)");
}

/* ---- includes that need links, FIFOs and devices ------------------------------------- */

/* tmp/d/plan.yaml: tiny.yaml with `include: TARGET` on its first line. */
static void plan_including(const char *target)
{
	size_t len;
	char *tiny = slurp(TINY, &len), *s, *d = at("d");
	int n;

	cr_assert_not_null(tiny);
	cr_assert_eq(mkdir(d, 0700), 0);
	n = asprintf(&s, "include: %s\n%s", target, tiny);
	cr_assert_gt(n, 0);
	put("d/plan.yaml", s, (size_t)n);
	free(s);
	free(tiny);
	free(d);
}

static void link_at(const char *target, const char *name)
{
	char *p = at(name);

	cr_assert_eq(symlink(target, p), 0, "symlink %s: %s", p, strerror(errno));
	free(p);
}

static void check_include(const char *want)
{
	struct child c;
	char *got, *d = at("d");

	run_check(&c, d, "plan.yaml", 0);
	got = expect_refused(&c, "plan.yaml", "plan.yaml");
	cr_assert_str_eq(got, want, "%.3000s", c.err);
	free(got);
	free(d);
	child_release(&c);
}

Test(hostile_gen, include_through_a_link_out_of_the_folder)
{
	size_t len;
	char *tiny = slurp(TINY, &len);

	plan_including("link.yaml");
	cr_assert_not_null(tiny);
	put("outside.yaml", tiny, len);
	link_at("../outside.yaml", "d/link.yaml");
	check_include("plan.yaml:1:10: error: include 'link.yaml' is outside the folder of "
		      "'plan.yaml'");
	free(tiny);
}

Test(hostile_gen, include_through_a_link_to_the_root_folder)
{
	plan_including("root/etc/passwd");
	link_at("/", "d/root");
	check_include("plan.yaml:1:10: error: include 'root/etc/passwd' is outside the folder of "
		      "'plan.yaml'");
}

Test(hostile_gen, include_through_a_link_to_dev_zero)
{
	plan_including("zero.yaml");
	link_at("/dev/zero", "d/zero.yaml");
	check_include("plan.yaml:1:10: error: include 'zero.yaml' is outside the folder of "
		      "'plan.yaml'");
}

/* A FIFO without a writer blocks open() for ever: refused without being opened for long. */
Test(hostile_gen, include_of_a_fifo)
{
	char *f;

	plan_including("fifo.yaml");
	f = at("d/fifo.yaml");
	cr_assert_eq(mkfifo(f, 0600), 0);
	free(f);
	check_include("plan.yaml:1:10: error: cannot read include 'fifo.yaml': not a regular "
		      "file");
}

Test(hostile_gen, include_through_a_link_to_a_fifo)
{
	char *f;

	plan_including("pipe.yaml");
	f = at("d/fifo");
	cr_assert_eq(mkfifo(f, 0600), 0);
	free(f);
	link_at("fifo", "d/pipe.yaml");
	check_include("plan.yaml:1:10: error: cannot read include 'pipe.yaml': not a regular "
		      "file");
}

Test(hostile_gen, include_of_a_folder)
{
	char *d;

	plan_including("sub");
	d = at("d/sub");
	cr_assert_eq(mkdir(d, 0700), 0);
	free(d);
	check_include("plan.yaml:1:10: error: cannot read include 'sub': is a directory");
}

Test(hostile_gen, include_through_a_loop_of_links)
{
	plan_including("a.yaml");
	link_at("b.yaml", "d/a.yaml");
	link_at("a.yaml", "d/b.yaml");
	check_include("plan.yaml:1:10: error: cannot read include 'a.yaml': too many levels of "
		      "symbolic links");
}

Test(hostile_gen, include_through_a_link_to_the_plan_itself)
{
	plan_including("me.yaml");
	link_at("plan.yaml", "d/me.yaml");
	check_include("plan.yaml:1:10: error: include loop: 'me.yaml' is already being read");
}

/* ---- what is not refused -------------------------------------------------------------- */

/* -0 is 0 where a value may be 0: accepted, and the model is the one of tiny.yaml. */
Test(hostile_gen, minus_zero_reads_as_zero)
{
	size_t len;
	char *tiny = slurp(TINY, &len), *s, *lp0, *lp1, *d = at("d");
	char *a0[] = {"porcupine", "export", TINY, "--format", "lp", NULL};
	char *a1[] = {"porcupine", "export", "plan.yaml", "--format", "lp", NULL};
	struct child c;
	const char *from[] = {"discount_rate: 0\n", "cost_growth: 0\n", "lead_time: 0\n"};
	size_t i;

	cr_assert_not_null(tiny);
	for (i = 0; i < sizeof(from) / sizeof(from[0]); i++) {
		char *hit = strstr(tiny, from[i]);
		char *t;

		cr_assert_not_null(hit, "tiny.yaml has no '%s'", from[i]);
		cr_assert(asprintf(&t, "%.*s%.*s-0\n%s", (int)(hit - tiny), tiny,
				   (int)(strlen(from[i]) - 2), from[i], hit + strlen(from[i])) > 0);
		free(tiny);
		tiny = t;
	}
	mkdir(d, 0700);
	s = tiny;
	put("d/plan.yaml", s, strlen(s));
	run_argv(&c, d, a0, 0);
	cr_assert_eq(c.status, 0, "%s", c.err);
	lp0 = strdup(c.out);
	child_release(&c);
	run_argv(&c, d, a1, 0);
	cr_assert_eq(c.status, 0, "%s", c.err);
	lp1 = c.out;
	cr_assert_str_eq(lp1, lp0, "-0 gave another model");
	child_release(&c);
	free(lp0);
	free(s);
	free(d);
}
