/* test_oom.c - allocation-failure injection: for `check`, `solve` and a small `scenarios` run
 * on tiny.yaml, make each allocation in turn fail (PORCUPINE_FAIL_ALLOC=K, see
 * inputs/alloc.h) and require a clean end every time: exit status 1 with a message about
 * memory, no crash, no temporary file left behind, and - in the sanitizer build, where
 * LeakSanitizer turns a leak into exit status 23 - no leak.
 *
 * K walks every allocation the run makes (the count comes from a first run with K = 0).  Two
 * children run at a time.  PORCUPINE_OOM_STRIDE=S (default 1) tests every S-th K only, for
 * slow machines; CI runs the full walk. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run.h"

#define PLANS PORCUPINE_SOURCE_DIR "/inputs/plans"
#define BIN PORCUPINE_BINARY_DIR "/porcupine"
#define NSLOT 2

struct slot {
	pid_t pid;
	unsigned long long k;
	char out[256], err[256];
};

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void rm_rf(const char *path)
{
	if (access(path, F_OK) == 0)
		cr_assert_eq(nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS), 0, "cannot remove %s", path);
}

/* Start `porcupine ARGV...` with PORCUPINE_FAIL_ALLOC=k, its output directory sl->out
 * (substituted for "@OUT" in argv) and stderr to sl->err. */
static void start(struct slot *sl, const char *const *argv, unsigned long long k)
{
	const char *args[24];
	size_t n = 0;
	args[n++] = BIN;
	for (; *argv && n < 23; argv++)
		args[n++] = strcmp(*argv, "@OUT") ? *argv : sl->out;
	args[n] = NULL;
	rm_rf(sl->out);
	sl->k = k;
	sl->pid = fork();
	cr_assert(sl->pid >= 0);
	if (sl->pid == 0) {
		char v[32];
		snprintf(v, sizeof(v), "%llu", k);
		setenv("PORCUPINE_FAIL_ALLOC", v, 1);
		setenv("OMP_NUM_THREADS", "1", 1);
		int e = open(sl->err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int o = open("/dev/null", O_RDWR);
		if (e < 0 || o < 0)
			_exit(127);
		dup2(o, 0);
		dup2(o, 1);
		dup2(e, 2);
		execv(BIN, (char *const *)args);
		_exit(127);
	}
}

/* Temporary files (".<name>.tmp.<n>") left in dir, or NULL. */
static char *leftover(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char *found = NULL;
	if (!d)
		return NULL;
	while ((e = readdir(d)) && !found)
		if (strstr(e->d_name, ".tmp"))
			found = strdup(e->d_name);
	closedir(d);
	return found;
}

struct walk {
	unsigned long long runs, injected, bad;
	char report[4096];
	size_t used;
};

static void note_bad(struct walk *w, unsigned long long k, const char *why, const char *err)
{
	w->bad++;
	if (w->bad > 12 || w->used >= sizeof(w->report) - 1)
		return;
	const char *nl = err ? strchr(err, '\n') : NULL;
	int len = err ? (nl ? (int)(nl - err) : (int)strlen(err)) : 0;
	if (len > 160)
		len = 160;
	int m = snprintf(w->report + w->used, sizeof(w->report) - w->used,
			 "\n  K=%llu: %s; stderr: %.*s", k, why, len, err ? err : "");
	if (m > 0)
		w->used += (size_t)m < sizeof(w->report) - w->used ? (size_t)m
								     : sizeof(w->report) - w->used - 1;
}

/* Collect the child in sl and judge it. */
static void finish(struct walk *w, struct slot *sl)
{
	int st;
	cr_assert_eq(waitpid(sl->pid, &st, 0), sl->pid);
	char *err = slurp(sl->err, NULL);
	cr_assert_not_null(err);
	const char *stats = strstr(err, "porcupine: allocations: ");
	int inj = stats && strstr(stats, "injected failure: yes");
	w->runs++;
	w->injected += inj;
	if (!WIFEXITED(st)) {
		char why[64];
		snprintf(why, sizeof(why), "killed by signal %d", WIFSIGNALED(st) ? WTERMSIG(st) : -1);
		note_bad(w, sl->k, why, err);
	} else if (!stats) {
		note_bad(w, sl->k, "no allocation count printed (did it exit early?)", err);
	} else if (inj && WEXITSTATUS(st) != 1) {
		char why[64];
		snprintf(why, sizeof(why), "exit status %d, not 1", WEXITSTATUS(st));
		note_bad(w, sl->k, why, err);
	} else if (inj && !strstr(err, "out of memory") && !strstr(err, "Cannot allocate memory")) {
		note_bad(w, sl->k, "no message about memory", err);
	} else if (!inj && WEXITSTATUS(st) != 0) {
		note_bad(w, sl->k, "failed although no allocation failed", err);
	} else {
		char *t = leftover(sl->out);
		if (t) {
			note_bad(w, sl->k, "temporary file left", t);
			free(t);
		}
	}
	free(err);
}

/* Run argv once counting, then with each allocation failing in turn. */
static void walk(const char *name, const char *const *argv)
{
	char *tmp = make_tmpdir();
	struct slot sl[NSLOT];
	struct walk w;
	unsigned long long total = 0, stride = 1;
	const char *s = getenv("PORCUPINE_OOM_STRIDE");

	cr_assert_not_null(tmp);
	signal(SIGCHLD, SIG_DFL); /* the runner may ignore it, which would reap our children */
	if (s && atoi(s) > 1)
		stride = (unsigned long long)atoi(s);
	memset(&w, 0, sizeof(w));
	memset(sl, 0, sizeof(sl));
	for (int i = 0; i < NSLOT; i++) {
		snprintf(sl[i].out, sizeof(sl[i].out), "%s/out%d", tmp, i);
		snprintf(sl[i].err, sizeof(sl[i].err), "%s/err%d", tmp, i);
	}

	/* the count */
	start(&sl[0], argv, 0);
	int st;
	pid_t got = waitpid(sl[0].pid, &st, 0);
	cr_assert_eq(got, sl[0].pid, "waitpid: %s (pid %d)", strerror(errno), (int)sl[0].pid);
	sl[0].pid = 0;
	char *err = slurp(sl[0].err, NULL);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s without injection: %s", name, err);
	const char *c = strstr(err, "porcupine: allocations: ");
	cr_assert_not_null(c, "%s: no allocation count in: %s", name, err);
	total = strtoull(c + strlen("porcupine: allocations: "), NULL, 10);
	free(err);
	cr_assert(total > 0);

	/* every allocation in turn, NSLOT at a time */
	unsigned long long k = 1;
	int busy = 0;
	while (k <= total || busy) {
		for (int i = 0; i < NSLOT && k <= total; i++)
			if (!sl[i].pid) {
				start(&sl[i], argv, k);
				k += stride;
				busy++;
			}
		for (int i = 0; i < NSLOT; i++)
			if (sl[i].pid) {
				finish(&w, &sl[i]);
				sl[i].pid = 0;
				busy--;
			}
	}
	cr_log_info("%s: %llu allocations, %llu runs, %llu with the failure injected, %llu bad",
		    name, total, w.runs, w.injected, w.bad);
	printf("allocation-failure walk, %s: %llu allocations, %llu runs (%llu injected), %llu "
	       "bad\n",
	       name, total, w.runs, w.injected, w.bad);
	cr_expect_eq(w.bad, 0, "%s: %llu of %llu runs did not end cleanly:%s", name, w.bad, w.runs,
		     w.report);
	/* every K up to the count must have hit an allocation (one thread: deterministic) */
	cr_expect_eq(w.injected, w.runs, "%s: %llu runs never met their failing allocation", name,
		     w.runs - w.injected);
	rm_rf(tmp);
	free(tmp);
}

Test(oom, check)
{
	const char *const argv[] = {"check", PLANS "/tiny.yaml", NULL};
	walk("check tiny.yaml", argv);
}

Test(oom, check_default_plan)
{
	const char *const argv[] = {"check", NULL};
	walk("check (default plan)", argv);
}

Test(oom, solve)
{
	const char *const argv[] = {"solve", PLANS "/tiny.yaml", "-q", "-o", "@OUT", NULL};
	walk("solve tiny.yaml", argv);
}

Test(oom, scenarios)
{
	const char *const argv[] = {"scenarios", PLANS "/tiny.yaml", "-n", "3", "--threads", "1",
				    "-q", "-o", "@OUT", NULL};
	walk("scenarios tiny.yaml -n 3", argv);
}
