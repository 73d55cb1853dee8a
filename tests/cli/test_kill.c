/* test_kill.c - `porcupine scenarios` stopped from outside: SIGKILL at seeded pseudo-random
 * moments (early, during the solves, during the final writes) leaves no output that is
 * incomplete or claims more than the results store holds, and --resume then ends with the
 * uninterrupted run's files; SIGINT and SIGTERM stop cleanly with the store, scenarios.csv
 * and report.json agreeing, and --resume completes them.
 *
 * PORCUPINE_KILL_SCENARIOS=N sets the run's size (default 3000 scenarios of tiny.yaml, 1000
 * under AddressSanitizer).  A kill comes once a file marking a phase appears (the store's
 * temporary file: the solves; scenarios.csv's: the final writes; an output renamed), after a
 * seeded pseudo-random fraction of that phase as the uninterrupted run measured it. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "run.h"

#define BIN  PORCUPINE_BINARY_DIR "/porcupine"
#define TINY PORCUPINE_SOURCE_DIR "/inputs/plans/tiny.yaml"
#define SEED "7"

static long scenarios_n(void)
{
	const char *e = getenv("PORCUPINE_KILL_SCENARIOS");
	if (e && atol(e) > 0)
		return atol(e);
#if defined(__SANITIZE_ADDRESS__)
	return 1000;
#else
	return 3000;
#endif
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* A seeded generator (splitmix64), so that a failing trial can be repeated. */
static double uniform(uint64_t *s, double lo, double hi)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return lo + (hi - lo) * (double)(z >> 11) / 9007199254740992.0;
}

static char *path_in(const char *dir, const char *name)
{
	char *p;
	cr_assert(asprintf(&p, "%s/%s", dir, name) > 0);
	return p;
}

static void rm_rf(const char *dir)
{
	char *cmd;
	cr_assert(asprintf(&cmd, "rm -rf '%s'", dir) > 0);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
}

/* ---- running the binary ---------------------------------------------------------------- */

/* Start `porcupine ARGV...` (NULL-terminated) with stdout to /dev/null and stderr to
 * errfile; env_kv ("K=V") is added to the environment when not NULL. */
static pid_t start(const char *errfile, const char *env_kv, ...)
{
	const char *argv[32];
	va_list ap;
	int n = 0;

	argv[n++] = "porcupine";
	va_start(ap, env_kv);
	while ((argv[n] = va_arg(ap, const char *)) != NULL)
		cr_assert_lt(++n, 31);
	va_end(ap);
	char *kv = env_kv ? strdup(env_kv) : NULL;
	pid_t pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY), out = open("/dev/null", O_WRONLY);
		int err = open(errfile, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (in < 0 || out < 0 || err < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 ||
		    dup2(err, 2) < 0)
			_exit(126);
		if (kv)
			putenv(kv);
		execv(BIN, (char *const *)argv);
		_exit(127);
	}
	free(kv);
	return pid;
}

/* Wait for pid: its exit status, or 128 + the signal that ended it. */
static int finish(pid_t pid)
{
	int st;
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* ---- what a directory holds ------------------------------------------------------------- */

static char *read_file(const char *dir, const char *name, size_t *len)
{
	char *p = path_in(dir, name), *s = slurp(p, len);
	free(p);
	return s;
}

/* report.json without its run-dependent lines (as test_scenarios.c compares them). */
static char *json_core(const char *s)
{
	char *o = malloc(strlen(s) + 1), *w = o;
	cr_assert_not_null(o);
	for (const char *line = s; *line;) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line + 1) : strlen(line);
		if (!memmem(line, n, "\"elapsed_s\":", 12) &&
		    !memmem(line, n, "\"threads\":", 10)) {
			memcpy(w, line, n);
			w += n;
		}
		line += n;
	}
	*w = '\0';
	return o;
}

struct outputs {
	char *dir;
	char *json;   /* report.json, json_core'd (NULL: none) */
	char *csv;    /* scenarios.csv */
	long store_n; /* scenarios in the store, -1: no store */
};

static long store_rows(const char *path, long *requested);

static void outputs_take(struct outputs *o, const char *dir)
{
	char *s = read_file(dir, "report.json", NULL);
	char *db = path_in(dir, "scenarios.sqlite");
	long req;

	memset(o, 0, sizeof(*o));
	o->dir = strdup(dir);
	o->json = s ? json_core(s) : NULL;
	free(s);
	o->csv = read_file(dir, "scenarios.csv", NULL);
	o->store_n = access(db, F_OK) == 0 ? store_rows(db, &req) : -1;
	free(db);
}

static void outputs_release(struct outputs *o)
{
	free(o->dir);
	free(o->json);
	free(o->csv);
}

/* Rows of a results store after checking that it is whole: integrity, this run's identity,
 * scenario ids 0..n-1.  requested: what the run asked for. */
static long store_rows(const char *path, long *requested)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	long n = 0, maxid = -1;

	*requested = -1;
	cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK,
		     "%s does not open", path);
	cr_assert_eq(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL), SQLITE_OK,
		     "%s: %s", path, sqlite3_errmsg(db));
	cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
	cr_expect_str_eq((const char *)sqlite3_column_text(s, 0), "ok", "%s is damaged", path);
	sqlite3_finalize(s);
	cr_assert_eq(
	    sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'requested'", -1, &s, NULL),
	    SQLITE_OK, "%s: %s", path, sqlite3_errmsg(db));
	cr_assert_eq(sqlite3_step(s), SQLITE_ROW, "%s: no 'requested' in meta", path);
	*requested = atol((const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT count(*), max(id) FROM scenario", -1, &s, NULL),
		     SQLITE_OK);
	cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
	n = (long)sqlite3_column_int64(s, 0);
	maxid = sqlite3_column_type(s, 1) == SQLITE_NULL ? -1 : (long)sqlite3_column_int64(s, 1);
	sqlite3_finalize(s);
	sqlite3_close(db);
	cr_expect_eq(maxid, n - 1, "%s: scenario ids are not 0..%ld", path, n - 1);
	cr_expect(n <= *requested, "%s: %ld scenarios of %ld requested", path, n, *requested);
	return n;
}

/* Rows of a CSV after checking that its last line is complete. */
static long csv_rows(const char *s, size_t len, const char *what)
{
	long n = 0;
	cr_expect(len > 0 && s[len - 1] == '\n', "%s: the last line is cut", what);
	for (size_t i = 0; i < len; i++)
		n += s[i] == '\n';
	return n - 1;
}

/* scenarios.n of a report.json that parses completely. */
static long json_scenarios(const char *path)
{
	json_error_t je;
	json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	cr_expect_not_null(j, "%s does not parse: %s (line %d)", path, je.text, je.line);
	if (!j)
		return -1;
	long n = (long)json_integer_value(json_object_get(json_object_get(j, "scenarios"), "n"));
	json_decref(j);
	return n;
}

static int same_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
	return a && b && alen == blen && memcmp(a, b, alen) == 0;
}

/* The state of a directory right after a kill.  Each output must be complete: the one of
 * the uninterrupted run (ref), or the one that was there before (prev, may be NULL); the
 * store whole; nothing claiming more scenarios than the store holds.  Temporary files may
 * stay if their names cannot be taken for outputs; they are listed in `left`. */
static void check_after_kill(const char *dir, const char *ref, const char *prev, long want_n,
			     const char *trial, char *left, size_t leftsz)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	long n_store = -1, n_csv = -1, n_json = -1;

	left[0] = '\0';
	cr_assert_not_null(d);
	while ((e = readdir(d))) {
		const char *name = e->d_name;
		if (!strcmp(name, ".") || !strcmp(name, ".."))
			continue;
		if (name[0] == '.') {
			/* ".<output>.tmp.<pid>.<n>" (afile) or the store's ".scenarios.sqlite.tmp"
			 */
			const char *t = strstr(name, ".tmp");
			cr_expect(t && (!strcmp(name, ".scenarios.sqlite.tmp") ||
					strspn(t + 4, ".0123456789") == strlen(t + 4)),
				  "%s: unexpected hidden file %s", trial, name);
			if (strlen(left) + strlen(name) + 3 < leftsz)
				strcat(strcat(left, left[0] ? ", " : ""), name);
			continue;
		}
		char *p = path_in(dir, name);
		size_t len, rlen = 0, plen = 0;
		char *s = slurp(p, &len);
		char *r = read_file(ref, name, &rlen);
		char *q = prev ? read_file(prev, name, &plen) : NULL;
		cr_assert_not_null(s);
		if (!strcmp(name, "scenarios.sqlite")) {
			long req;
			n_store = store_rows(p, &req);
			cr_expect_eq(req, want_n, "%s: the store is of another run", trial);
		} else if (!strcmp(name, "report.json")) {
			n_json = json_scenarios(p);
			char *a = json_core(s), *b = r ? json_core(r) : NULL,
			     *c = q ? json_core(q) : NULL;
			cr_expect(
			    (b && !strcmp(a, b)) || (c && !strcmp(a, c)),
			    "%s: report.json is neither the complete new one nor the previous",
			    trial);
			free(a);
			free(b);
			free(c);
		} else {
			if (strstr(name, ".csv")) {
				long rows = csv_rows(s, len, name);
				if (!strcmp(name, "scenarios.csv"))
					n_csv = rows;
			}
			cr_expect(same_bytes(s, len, r, rlen) || same_bytes(s, len, q, plen),
				  "%s: %s (%zu bytes) is neither the complete new file nor the "
				  "previous one",
				  trial, name, len);
		}
		free(s);
		free(r);
		free(q);
		free(p);
	}
	closedir(d);
	/* the store is replaced first, then scenarios.csv, then the reports */
	if (n_csv >= 0)
		cr_expect(n_store >= n_csv, "%s: scenarios.csv has %ld rows, the store %ld", trial,
			  n_csv, n_store);
	if (n_json >= 0)
		cr_expect(n_store >= n_json && (n_csv < 0 || n_csv >= n_json),
			  "%s: report.json covers %ld scenarios, the store %ld, scenarios.csv %ld",
			  trial, n_json, n_store, n_csv);
}

/* The files of an uninterrupted run: report.json (but for timing), scenarios.csv, the
 * store's row count. */
static void expect_same_run(const char *dir, const struct outputs *ref, const char *what)
{
	struct outputs o;
	outputs_take(&o, dir);
	cr_expect(o.json && !strcmp(o.json, ref->json),
		  "%s: report.json differs from the "
		  "uninterrupted run's",
		  what);
	cr_expect(o.csv && !strcmp(o.csv, ref->csv),
		  "%s: scenarios.csv differs from the uninterrupted run's", what);
	cr_expect_eq(o.store_n, ref->store_n, "%s: the store has %ld scenarios, not %ld", what,
		     o.store_n, ref->store_n);
	outputs_release(&o);
}

/* When the phases of a run begin, in seconds from its start: the store's temporary file
 * appears (the solves), scenarios.csv's temporary file appears (the final writes), exit. */
struct phases {
	double solves, writes, end;
};

/* Has dir an entry whose name starts with prefix? */
static int has_entry(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int found = 0;
	size_t n = strlen(prefix);

	while (d && !found && (e = readdir(d)))
		found = !strncmp(e->d_name, prefix, n);
	if (d)
		closedir(d);
	return found;
}

/* Has pid exited?  Then its status (as finish) is in *status. */
static int exited(pid_t pid, int *status)
{
	int st;
	pid_t r = waitpid(pid, &st, WNOHANG);
	cr_assert(r >= 0);
	if (r == 0)
		return 0;
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return 1;
}

/* Watch a run of pid (started at t0) writing into dir, polling every millisecond, until it
 * exits: when its phases began, and its exit status. */
static int watch(pid_t pid, const char *dir, double t0, struct phases *ph)
{
	int status;
	ph->solves = ph->writes = -1;
	while (!exited(pid, &status)) {
		double t = now_s() - t0;
		if (ph->solves < 0 && has_entry(dir, ".scenarios.sqlite.tmp"))
			ph->solves = t;
		if (ph->writes < 0 && has_entry(dir, ".scenarios.csv.tmp."))
			ph->writes = t;
		usleep(1000);
	}
	ph->end = now_s() - t0;
	if (ph->solves < 0)
		ph->solves = 0;
	if (ph->writes < 0)
		ph->writes = ph->end;
	return status;
}

/* The uninterrupted run into dir: its outputs and its phases. */
static void reference(const char *dir, const char *errf, const char *n, struct outputs *o,
		      struct phases *ph)
{
	double t0 = now_s();
	cr_assert_eq(mkdir(dir, 0755), 0);
	pid_t pid = start(errf, NULL, "scenarios", TINY, "-n", n, "--seed", SEED, "--threads", "2",
			  "-q", "-o", dir, (char *)NULL);
	int st = watch(pid, dir, t0, ph);
	char *err = slurp(errf, NULL);
	cr_assert_eq(st, 0, "the uninterrupted run failed: %s", err ? err : "");
	free(err);
	outputs_take(o, dir);
	cr_assert(o->json && o->csv && o->store_n > 0);
}

/* --resume dir: 0 or the exit status. */
static int resume(const char *dir, const char *errf)
{
	pid_t pid = start(errf, NULL, "scenarios", TINY, "--threads", "2", "-q", "--resume", dir,
			  (char *)NULL);
	return finish(pid);
}

static void copy_dir(const char *from, const char *to)
{
	char *cmd;
	rm_rf(to);
	cr_assert(asprintf(&cmd, "cp -a '%s' '%s'", from, to) > 0);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
}

/* ---- SIGKILL ---------------------------------------------------------------------------- */

/* When to kill: once an entry starting with `anchor` appears in the output directory (NULL:
 * at the start), after a fraction in [lo, hi) of the phase that follows it (measured on the
 * uninterrupted run; hi = 0: at once). */
struct moment {
	const char *anchor;
	double lo, hi;
	const char *label;
};

static const struct moment fresh_moments[] = {
    {NULL, 0, 1, "before the solves"},
    {".scenarios.sqlite.tmp", 0, 0.3, "early in the solves"},
    {".scenarios.sqlite.tmp", 0.3, 1, "during the solves"},
    {".scenarios.csv.tmp.", 0, 0.5, "in the final writes"},
    {".scenarios.csv.tmp.", 0.5, 1, "late in the final writes"},
    {"scenarios.sqlite", 0, 0, "right after the store's rename"},
    {"report.json", 0, 0, "right after report.json's rename"},
    {".report.xlsx.tmp.", 0, 0, "while report.xlsx is written"},
};

/* In a resumed directory the outputs exist from the start: only temporary files mark the
 * phases. */
static const struct moment resume_moments[] = {
    {NULL, 0, 1, "before the solves"},
    {".scenarios.sqlite.tmp", 0, 1, "during the solves"},
    {".scenarios.csv.tmp.", 0, 0.5, "in the final writes"},
    {".scenarios.csv.tmp.", 0.5, 1, "late in the final writes"},
    {".report.json.tmp.", 0, 0, "while the reports are written"},
    {".report.xlsx.tmp.", 0, 0, "while report.xlsx is written"},
};

/* Start a run (fresh: -n n into dir; else --resume dir), kill it at moment m; its exit status
 * (0: it had finished).  *label describes when the kill came. */
static int run_and_kill(const char *dir, const char *errf, const char *n, int fresh,
			const struct moment *m, const struct phases *ph, uint64_t *rng, char *label,
			size_t labelsz)
{
	double t0 = now_s(), phase_len, wait_s;
	int status;
	pid_t pid = fresh ? start(errf, NULL, "scenarios", TINY, "-n", n, "--seed", SEED,
				  "--threads", "2", "-q", "-o", dir, (char *)NULL)
			  : start(errf, NULL, "scenarios", TINY, "--threads", "2", "-q", "--resume",
				  dir, (char *)NULL);

	if (!m->anchor)
		phase_len = ph->solves;
	else if (!strcmp(m->anchor, ".scenarios.sqlite.tmp"))
		phase_len = ph->writes - ph->solves;
	else
		phase_len = ph->end - ph->writes;
	wait_s = m->hi > 0 ? uniform(rng, m->lo, m->hi) * phase_len : 0;
	if (m->anchor)
		while (!has_entry(dir, m->anchor)) {
			if (exited(pid, &status)) {
				snprintf(label, labelsz, "%s: had finished before '%s' was seen",
					 m->label, m->anchor);
				return status;
			}
			usleep(200);
		}
	usleep((useconds_t)(wait_s * 1e6));
	double at = now_s() - t0;
	kill(pid, SIGKILL);
	status = finish(pid);
	snprintf(label, labelsz, "%s: kill at %.3f s (%s%s%s + %.3f s)%s", m->label, at,
		 m->anchor ? "'" : "start", m->anchor ? m->anchor : "", m->anchor ? "'" : "",
		 wait_s, status == 128 + SIGKILL ? "" : ", had finished");
	return status;
}

/* A fresh run killed at each moment; then --resume, or a new run when no store was left. */
Test(kill, sigkill_fresh_run)
{
	char *root = make_tmpdir(), *ref = path_in(root, "ref"), *dir = path_in(root, "run");
	char *errf = path_in(root, "stderr"), n[32], left[1024], label[256];
	struct outputs r;
	struct phases ph;
	uint64_t rng = 20260101;
	size_t nm = sizeof(fresh_moments) / sizeof(fresh_moments[0]);
	unsigned with_store = 0, without = 0, finished = 0;

	snprintf(n, sizeof(n), "%ld", scenarios_n());
	reference(ref, errf, n, &r, &ph);
	fprintf(stderr,
		"kill.sigkill_fresh_run: %s scenarios: solves from %.2f s, final writes from %.2f "
		"s, exit at %.2f s\n",
		n, ph.solves, ph.writes, ph.end);
	for (size_t i = 0; i < nm; i++) {
		char trial[320];
		rm_rf(dir);
		cr_assert_eq(mkdir(dir, 0755), 0);
		int st = run_and_kill(dir, errf, n, 1, &fresh_moments[i], &ph, &rng, label,
				      sizeof(label));
		snprintf(trial, sizeof(trial), "fresh trial %zu (%s)", i, label);
		finished += st == 0;
		check_after_kill(dir, ref, NULL, atol(n), trial, left, sizeof(left));
		char *db = path_in(dir, "scenarios.sqlite");
		int have_store = access(db, F_OK) == 0;
		free(db);
		fprintf(stderr, "  %s: %s; left: %s\n", trial,
			have_store ? "complete store" : "no store",
			left[0] ? left : "nothing hidden");
		if (have_store) {
			/* the store is complete: --resume only rewrites the reports */
			with_store++;
			st = resume(dir, errf);
			cr_expect_eq(st, 0, "%s: --resume failed", trial);
			expect_same_run(dir, &r, trial);
		} else {
			/* nothing to resume from: said so; a new run over the debris succeeds */
			without++;
			st = resume(dir, errf);
			char *err = slurp(errf, NULL);
			cr_expect_eq(st, 2, "%s: --resume without a store: exit %d", trial, st);
			cr_expect(err && strstr(err, "cannot resume"), "%s: %s", trial,
				  err ? err : "");
			free(err);
			pid_t pid = start(errf, NULL, "scenarios", TINY, "-n", n, "--seed", SEED,
					  "--threads", "2", "-q", "-o", dir, (char *)NULL);
			cr_expect_eq(finish(pid), 0, "%s: a new run into the directory failed",
				     trial);
			expect_same_run(dir, &r, trial);
		}
		char *tmpdb = path_in(dir, ".scenarios.sqlite.tmp");
		cr_expect_neq(access(tmpdb, F_OK), 0, "%s: the store's temporary file stays",
			      trial);
		free(tmpdb);
	}
	fprintf(stderr,
		"kill.sigkill_fresh_run: %zu kills: %u left a complete store (resumed), %u none "
		"(run again), %u had finished\n",
		nm, with_store, without, finished);
	outputs_release(&r);
	rm_rf(root);
	free(root);
	free(ref);
	free(dir);
	free(errf);
}

/* A --resume of an interrupted run killed at each moment; then --resume again. */
Test(kill, sigkill_during_resume)
{
	char *root = make_tmpdir(), *ref = path_in(root, "ref"), *part = path_in(root, "part");
	char *dir = path_in(root, "run"), *errf = path_in(root, "stderr"), n[32], stop[64];
	char left[1024], label[256];
	struct outputs r;
	struct phases ph;
	uint64_t rng = 20260202;
	size_t nm = sizeof(resume_moments) / sizeof(resume_moments[0]);

	snprintf(n, sizeof(n), "%ld", scenarios_n());
	reference(ref, errf, n, &r, &ph);
	/* the interrupted run: a quarter of the scenarios */
	snprintf(stop, sizeof(stop), "PORCUPINE_SCENARIOS_STOP_AFTER=%ld", scenarios_n() / 4);
	pid_t pid = start(errf, stop, "scenarios", TINY, "-n", n, "--seed", SEED, "--threads", "2",
			  "-q", "-o", part, (char *)NULL);
	cr_assert_eq(finish(pid), 1);
	/* the phases of an undisturbed --resume */
	copy_dir(part, dir);
	double t0 = now_s();
	pid = start(errf, NULL, "scenarios", TINY, "--threads", "2", "-q", "--resume", dir,
		    (char *)NULL);
	cr_assert_eq(watch(pid, dir, t0, &ph), 0);
	expect_same_run(dir, &r, "uninterrupted --resume");
	fprintf(stderr,
		"kill.sigkill_during_resume: %ld of %s scenarios done; the resume: solves from "
		"%.2f s, final writes from %.2f s, exit at %.2f s\n",
		scenarios_n() / 4, n, ph.solves, ph.writes, ph.end);
	for (size_t i = 0; i < nm; i++) {
		char trial[320];
		copy_dir(part, dir);
		int st = run_and_kill(dir, errf, n, 0, &resume_moments[i], &ph, &rng, label,
				      sizeof(label));
		snprintf(trial, sizeof(trial), "resume trial %zu (%s)", i, label);
		check_after_kill(dir, ref, part, atol(n), trial, left, sizeof(left));
		struct outputs o;
		outputs_take(&o, dir);
		fprintf(stderr, "  %s: store holds %ld; left: %s\n", trial, o.store_n,
			left[0] ? left : "nothing hidden");
		outputs_release(&o);
		(void)st;
		cr_expect_eq(resume(dir, errf), 0, "%s: --resume failed", trial);
		expect_same_run(dir, &r, trial);
	}
	outputs_release(&r);
	rm_rf(root);
	free(root);
	free(ref);
	free(part);
	free(dir);
	free(errf);
}

/* ---- SIGINT and SIGTERM ------------------------------------------------------------------ */

/* scenarios.csv and the store hold the same scenarios: id, status, objective. */
static void expect_store_matches_csv(const char *dir, const char *what)
{
	char *db = path_in(dir, "scenarios.sqlite");
	char *csv = read_file(dir, "scenarios.csv", NULL);
	sqlite3 *h = NULL;
	sqlite3_stmt *s = NULL;
	long rows = 0;

	cr_assert_not_null(csv);
	cr_assert_eq(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(h, "SELECT id, status, objective FROM scenario ORDER BY id",
					-1, &s, NULL),
		     SQLITE_OK);
	char *line = strchr(csv, '\n');
	cr_assert_not_null(line);
	line++;
	while (sqlite3_step(s) == SQLITE_ROW) {
		long id = (long)sqlite3_column_int64(s, 0);
		const char *status = (const char *)sqlite3_column_text(s, 1);
		double obj =
		    sqlite3_column_type(s, 2) == SQLITE_NULL ? NAN : sqlite3_column_double(s, 2);
		char *nl = strchr(line, '\n');
		cr_assert_not_null(nl, "%s: scenarios.csv ends before scenario %ld", what, id);
		char *end;
		long cid = strtol(line, &end, 10);
		cr_assert_eq(*end, ',');
		char *st = end + 1, *comma = strchr(st, ',');
		cr_assert_not_null(comma);
		double cobj = comma[1] == ',' ? NAN : strtod(comma + 1, NULL);
		cr_expect_eq(cid, id, "%s: row %ld of scenarios.csv is scenario %ld", what, rows,
			     cid);
		cr_expect(status && (size_t)(comma - st) == strlen(status) &&
			      !strncmp(st, status, strlen(status)),
			  "%s: scenario %ld: status differs", what, id);
		cr_expect((isnan(obj) && isnan(cobj)) || obj == cobj,
			  "%s: scenario %ld: objective %.17g in the store, %.17g in the CSV", what,
			  id, obj, cobj);
		line = nl + 1;
		rows++;
	}
	cr_expect_eq(*line, '\0', "%s: scenarios.csv has more rows than the store (%ld)", what,
		     rows);
	sqlite3_finalize(s);
	sqlite3_close(h);
	free(db);
	free(csv);
}

Test(kill, sigint_and_sigterm_stop_cleanly_and_resume)
{
	char *root = make_tmpdir(), *ref = path_in(root, "ref"), *dir = path_in(root, "run");
	char *errf = path_in(root, "stderr"), n[32];
	struct outputs r;
	static const int sigs[] = {SIGTERM, SIGINT};

	struct phases ph;

	snprintf(n, sizeof(n), "%ld", scenarios_n());
	reference(ref, errf, n, &r, &ph);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		const char *name = sigs[i] == SIGTERM ? "SIGTERM" : "SIGINT";
		rm_rf(dir);
		cr_assert_eq(mkdir(dir, 0755), 0);
		char *tmpdb = path_in(dir, ".scenarios.sqlite.tmp");
		pid_t pid = start(errf, NULL, "scenarios", TINY, "-n", n, "--seed", SEED,
				  "--threads", "2", "-q", "-o", dir, (char *)NULL);
		/* once the solves have started (the store exists), a third of the way through */
		for (int k = 0; k < 4000 && access(tmpdb, F_OK) != 0; k++)
			usleep(1000);
		usleep((useconds_t)((ph.writes - ph.solves) * 0.3 * 1e6));
		cr_assert_eq(kill(pid, sigs[i]), 0);
		int st = finish(pid);
		char *err = slurp(errf, NULL);
		cr_expect_eq(st, 1, "%s: exit %d (%s)", name, st, err ? err : "");
		cr_expect(err && strstr(err, "interrupted after"), "%s: %s", name, err ? err : "");
		free(err);
		cr_expect_neq(access(tmpdb, F_OK), 0, "%s: the store's temporary file stays", name);
		free(tmpdb);

		char *jp = path_in(dir, "report.json");
		long nj = json_scenarios(jp);
		free(jp);
		struct outputs o;
		outputs_take(&o, dir);
		size_t clen = o.csv ? strlen(o.csv) : 0;
		long nc = o.csv ? csv_rows(o.csv, clen, "scenarios.csv") : -1;
		fprintf(stderr, "kill.%s: stopped after %ld of %s scenarios\n", name, o.store_n, n);
		cr_expect(o.store_n > 0 && o.store_n < atol(n), "%s: the store holds %ld", name,
			  o.store_n);
		cr_expect(nj == o.store_n && nc == o.store_n,
			  "%s: report.json %ld, scenarios.csv %ld, the store %ld scenarios", name,
			  nj, nc, o.store_n);
		outputs_release(&o);
		expect_store_matches_csv(dir, name);

		cr_expect_eq(resume(dir, errf), 0, "%s: --resume failed", name);
		expect_same_run(dir, &r, name);
		expect_store_matches_csv(dir, name);
	}
	outputs_release(&r);
	rm_rf(root);
	free(root);
	free(ref);
	free(dir);
	free(errf);
}
