/* test_writefail.c - write failures injected into every command that writes files (a
 * file-size limit at every stdio buffer boundary, the afile fault hook at every failure
 * point, a full tmpfs, /dev/full): each run ends with an error naming the file and leaves
 * every output either as it was before or complete, never truncated, and no temporary file.
 *
 * PORCUPINE_WRITEFAIL_QUICK=1 (the default under AddressSanitizer, where each run costs
 * several times more; =0 turns it off) steps the file-size limit by whole 4096-byte blocks
 * only, instead of also one byte either side of each, and runs only the second pass (the
 * output directory holding a previous run's files), not the first (an empty one). */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run.h"

#define BIN   PORCUPINE_BINARY_DIR "/porcupine"
#define PLANS PORCUPINE_SOURCE_DIR "/inputs/plans"
#define TINY  PLANS "/tiny.yaml"
#define BLOCK 4096

/* Bounds a walk of the fault hook (a command has a few dozen failure points). */
#define MAX_FAULTS 5000

static int quick(void)
{
	const char *e = getenv("PORCUPINE_WRITEFAIL_QUICK");
	if (e)
		return *e && *e != '0';
#if defined(__SANITIZE_ADDRESS__)
	return 1;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
	return 1;
#endif
#endif
	return 0;
}

/* ---- running the binary ---------------------------------------------------------------- */

struct proc {
	int status; /* exit status, or 128 + signal */
	char *out;  /* stdout when captured, else "" */
	char *err;  /* stderr */
};

struct spawn_opts {
	long long fsize;	 /* RLIMIT_FSIZE in bytes, < 0 = none */
	long fault;		 /* PORCUPINE_AFILE_FAIL, 0 = unset */
	const char *stdout_path; /* stdout goes there (NULL: captured through a pipe) */
};

/* Split shell-free text on spaces into a NULL-terminated argv (paths have no spaces). */
static char **argv_of(const char *fmt, va_list ap)
{
	char *s, **v;
	size_t n = 2;

	cr_assert(vasprintf(&s, fmt, ap) >= 0);
	for (const char *c = s; *c; c++)
		n += *c == ' ';
	v = calloc(n + 1, sizeof(*v));
	cr_assert_not_null(v);
	v[0] = strdup("porcupine");
	n = 1;
	for (char *save = NULL, *t = strtok_r(s, " ", &save); t; t = strtok_r(NULL, " ", &save))
		v[n++] = strdup(t);
	free(s);
	return v;
}

static void argv_free(char **v)
{
	for (char **a = v; *a; a++)
		free(*a);
	free(v);
}

static void append(char **buf, size_t *len, const char *b, size_t n)
{
	*buf = realloc(*buf, *len + n + 1);
	cr_assert_not_null(*buf);
	memcpy(*buf + *len, b, n);
	*len += n;
	(*buf)[*len] = '\0';
}

static void spawn(struct proc *pr, const struct spawn_opts *o, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void spawn(struct proc *pr, const struct spawn_opts *o, const char *fmt, ...)
{
	va_list ap;
	int ep[2], op[2] = {-1, -1};
	char **argv;

	va_start(ap, fmt);
	argv = argv_of(fmt, ap);
	va_end(ap);
	/* the environment of the child, made before fork */
	extern char **environ;
	size_t ne = 0;
	while (environ[ne])
		ne++;
	char **envp = calloc(ne + 2, sizeof(*envp)), *fault = NULL;
	cr_assert_not_null(envp);
	ne = 0;
	for (char **e = environ; *e; e++)
		if (strncmp(*e, "PORCUPINE_AFILE_FAIL=", 21) != 0)
			envp[ne++] = *e;
	if (o->fault > 0) {
		cr_assert(asprintf(&fault, "PORCUPINE_AFILE_FAIL=%ld", o->fault) > 0);
		envp[ne++] = fault;
	}
	cr_assert_eq(pipe2(ep, O_CLOEXEC), 0);
	if (!o->stdout_path)
		cr_assert_eq(pipe2(op, O_CLOEXEC), 0);
	pid_t pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY);
		int out = o->stdout_path ? open(o->stdout_path, O_WRONLY) : op[1];
		if (in < 0 || out < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(ep[1], 2) < 0)
			_exit(126);
		/* a write beyond the limit then fails with EFBIG instead of killing */
		signal(SIGXFSZ, SIG_IGN);
		if (o->fsize >= 0) {
			struct rlimit r = {(rlim_t)o->fsize, (rlim_t)o->fsize};
			if (setrlimit(RLIMIT_FSIZE, &r) != 0)
				_exit(126);
		}
		execve(BIN, argv, envp);
		_exit(127);
	}
	close(ep[1]);
	if (op[1] >= 0)
		close(op[1]);
	size_t elen = 0, olen = 0;
	pr->err = strdup("");
	pr->out = strdup("");
	struct pollfd pf[2] = {{ep[0], POLLIN, 0}, {op[0], POLLIN, 0}};
	int open_fds = op[0] >= 0 ? 2 : 1;
	while (open_fds > 0) {
		cr_assert(poll(pf, 2, -1) >= 0 || errno == EINTR);
		for (int i = 0; i < 2; i++) {
			char buf[4096];
			if (pf[i].fd < 0 || !pf[i].revents)
				continue;
			ssize_t n = read(pf[i].fd, buf, sizeof(buf));
			if (n > 0) {
				append(i ? &pr->out : &pr->err, i ? &olen : &elen, buf, (size_t)n);
			} else if (n == 0 || errno != EINTR) {
				close(pf[i].fd);
				pf[i].fd = -1;
				open_fds--;
			}
		}
	}
	int st;
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	pr->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	argv_free(argv);
	free(envp);
	free(fault);
}

static void proc_release(struct proc *pr)
{
	free(pr->out);
	free(pr->err);
	pr->out = pr->err = NULL;
}

/* ---- snapshots of an output directory --------------------------------------------------- */

struct file {
	char *name, *data;
	size_t len;
};

struct snap {
	struct file *v;
	size_t n;
	size_t largest;
};

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct file *)a)->name, ((const struct file *)b)->name);
}

static char *path_in(const char *dir, const char *name)
{
	char *p;
	cr_assert(asprintf(&p, "%s/%s", dir, name) > 0);
	return p;
}

/* Every entry of dir (hidden ones too); each must be a regular file. */
static void snap_take(struct snap *s, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	memset(s, 0, sizeof(*s));
	cr_assert_not_null(d, "cannot open %s", dir);
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char *p = path_in(dir, e->d_name);
		struct stat st;
		cr_assert_eq(lstat(p, &st), 0);
		cr_expect(S_ISREG(st.st_mode), "%s is not a regular file", p);
		s->v = realloc(s->v, (s->n + 1) * sizeof(*s->v));
		cr_assert_not_null(s->v);
		struct file *f = &s->v[s->n++];
		f->name = strdup(e->d_name);
		f->data = S_ISREG(st.st_mode) ? slurp(p, &f->len) : strdup("");
		if (!S_ISREG(st.st_mode))
			f->len = 0;
		cr_assert_not_null(f->data, "cannot read %s", p);
		if (f->len > s->largest)
			s->largest = f->len;
		free(p);
	}
	closedir(d);
	if (s->n)
		qsort(s->v, s->n, sizeof(*s->v), by_name);
}

static void snap_free(struct snap *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].name);
		free(s->v[i].data);
	}
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static const struct file *snap_find(const struct snap *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].name, name))
			return &s->v[i];
	return NULL;
}

/* Empty dir (it stays), then write the files of s into it (s may be NULL: empty). */
static void snap_restore(const struct snap *s, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	cr_assert_not_null(d);
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char *p = path_in(dir, e->d_name);
		cr_assert_eq(unlink(p), 0, "cannot remove %s", p);
		free(p);
	}
	closedir(d);
	for (size_t i = 0; s && i < s->n; i++) {
		char *p = path_in(dir, s->v[i].name);
		FILE *f = fopen(p, "wb");
		cr_assert_not_null(f, "cannot write %s", p);
		cr_assert_eq(fwrite(s->v[i].data, 1, s->v[i].len, f), s->v[i].len);
		cr_assert_eq(fclose(f), 0);
		free(p);
	}
}

/* report.json without the lines that differ between runs of the same inputs (the run's
 * duration), as test_scenarios.c compares them. */
static char *without_run_fields(const char *s, size_t len, size_t *outlen)
{
	char *o = malloc(len + 1), *w = o;
	const char *end = s + len;

	cr_assert_not_null(o);
	for (const char *line = s; line < end;) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		size_t n = nl ? (size_t)(nl - line + 1) : (size_t)(end - line);
		if (!memmem(line, n, "\"elapsed_s\":", 12)) {
			memcpy(w, line, n);
			w += n;
		}
		line += n;
	}
	*outlen = (size_t)(w - o);
	return o;
}

/* Is the content of output `name` the same as f's (report.json up to its duration)? */
static int same_output(const char *name, const char *data, size_t len, const struct file *f)
{
	if (!f)
		return 0;
	if (strcmp(name, "report.json") != 0)
		return len == f->len && memcmp(data, f->data, len) == 0;
	size_t a, b;
	char *x = without_run_fields(data, len, &a), *y = without_run_fields(f->data, f->len, &b);
	int same = a == b && memcmp(x, y, a) == 0;
	free(x);
	free(y);
	return same;
}

static int snaps_same(const struct snap *a, const struct snap *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i].name, b->v[i].name) ||
		    !same_output(a->v[i].name, a->v[i].data, a->v[i].len, &b->v[i]))
			return 0;
	return 1;
}

/* ---- the commands ----------------------------------------------------------------------- */

/* One command that writes files.  fmt has three %s: OUT (the output directory), A and B
 * (two solve runs, for compare); file != NULL: the command writes OUT/file (-o FILE). */
struct command {
	const char *name;
	const char *fmt;      /* the run whose outputs are new */
	const char *prev_fmt; /* a different run: the previous outputs in the second pass */
	const char *file;
};

static const struct command commands[] = {
    {"solve", "solve " TINY " -q -o %s%.0s%.0s",
     "solve " TINY " --set items.shell.unit_cost=2m -q -o %s%.0s%.0s", NULL},
    {"scenarios", "scenarios " TINY " -n 20 --seed 1 --threads 2 -q -o %s%.0s%.0s",
     "scenarios " TINY " -n 20 --seed 2 --set items.shell.unit_cost=2m --threads 2 -q "
     "-o %s%.0s%.0s",
     NULL},
    {"sweep",
     "sweep " TINY " -q --param funding.loan.total --from 0 --to 100m --steps 4 -o %s%.0s%.0s",
     "sweep " TINY " -q --param funding.loan.total --from 0 --to 100m --steps 3 -o %s%.0s%.0s",
     NULL},
    {"tornado", "tornado " TINY " -q -o %s%.0s%.0s",
     "tornado " TINY " -q --quantiles 0.1,0.9 --set items.shell.unit_cost=2m -o %s%.0s%.0s", NULL},
    {"compare", "compare %2$s %3$s -q -o %1$s", "compare %3$s %2$s -q -o %1$s", NULL},
    {"export_mps", "export " TINY " --format mps -o %s/model.mps%.0s%.0s",
     "export " TINY " --format mps --set items.shell.unit_cost=2m -o %s/model.mps%.0s%.0s",
     "model.mps"},
    {"export_lp", "export " TINY " --format lp -o %s/model.lp%.0s%.0s",
     "export " TINY " --format lp --set items.shell.unit_cost=2m -o %s/model.lp%.0s%.0s",
     "model.lp"},
    {"export_scenario", "export " TINY " --format mps --scenario 3 -o %s/model.mps%.0s%.0s",
     "export " TINY " --format mps --scenario 4 -o %s/model.mps%.0s%.0s", "model.mps"},
};

static const struct command *command_named(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	cr_assert_fail("no command %s", name);
	return NULL;
}

/* Where a command runs: its output dir, the reference outputs (new and previous). */
struct bench {
	const struct command *c;
	char *root;	  /* temporary directory holding everything below */
	char *a, *b;	  /* two solve runs, for compare */
	char *out;	  /* the output directory under test */
	struct snap ref;  /* the outputs of an undisturbed run */
	struct snap prev; /* the outputs of the other run */
	/* counts, for the summary line */
	unsigned cases, failed_runs, mixed;
};

static void run_cmd(struct proc *pr, const struct bench *w, const struct spawn_opts *o,
		    const char *fmt)
{
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	spawn(pr, o, fmt, w->out, w->a, w->b);
#pragma GCC diagnostic pop
}

/* A clean run of fmt into a fresh w->out; its outputs in s. */
static void reference(struct bench *w, const char *fmt, struct snap *s)
{
	struct spawn_opts o = {-1, 0, "/dev/null"};
	struct proc pr;

	snap_restore(NULL, w->out);
	run_cmd(&pr, w, &o, fmt);
	cr_assert_eq(pr.status, 0, "%s: the undisturbed run failed: %s", w->c->name, pr.err);
	proc_release(&pr);
	snap_take(s, w->out);
	cr_assert_gt(s->n, 0);
}

/* out: the output directory to create (NULL: root/out). */
static void bench_init(struct bench *w, const char *name, const char *root, const char *out)
{
	struct spawn_opts o = {-1, 0, "/dev/null"};
	struct proc pr;
	struct snap again;

	memset(w, 0, sizeof(*w));
	w->c = command_named(name);
	w->root = strdup(root);
	w->a = path_in(root, "a");
	w->b = path_in(root, "b");
	w->out = out ? strdup(out) : path_in(root, "out");
	cr_assert_eq(mkdir(w->out, 0777), 0);
	if (!strcmp(name, "compare")) {
		spawn(&pr, &o, "solve %s -q -o %s", TINY, w->a);
		cr_assert_eq(pr.status, 0, "%s", pr.err);
		proc_release(&pr);
		spawn(&pr, &o, "solve %s --set items.shell.unit_cost=2m -q -o %s", TINY, w->b);
		cr_assert_eq(pr.status, 0, "%s", pr.err);
		proc_release(&pr);
	}
	reference(w, w->c->fmt, &w->ref);
	/* the comparisons below rely on the outputs being the same from run to run */
	reference(w, w->c->fmt, &again);
	cr_assert(snaps_same(&w->ref, &again), "%s: two undisturbed runs differ", name);
	snap_free(&again);
	reference(w, w->c->prev_fmt, &w->prev);
	/* a file the same in both (scenarios' ranging.csv has only its header) cannot tell
	 * old from new; most must differ */
	size_t differ = 0;
	for (size_t i = 0; i < w->prev.n; i++)
		differ += !same_output(w->prev.v[i].name, w->prev.v[i].data, w->prev.v[i].len,
				       snap_find(&w->ref, w->prev.v[i].name));
	cr_assert_gt(2 * differ, w->prev.n, "%s: the previous run's files hardly differ", name);
}

static void bench_release(struct bench *w)
{
	char *cmd;
	snap_free(&w->ref);
	snap_free(&w->prev);
	cr_assert(asprintf(&cmd, "rm -rf '%s'", w->root) > 0);
	cr_expect_eq(system(cmd), 0);
	free(cmd);
	free(w->root);
	free(w->a);
	free(w->b);
	free(w->out);
}

/* After one disturbed run: the exit status and the message, and every file in the output
 * directory either as before (prev, NULL = it was empty) or the complete new one. */
static void check_case(struct bench *w, const struct proc *pr, const struct snap *prev,
		       const char *what)
{
	struct snap now;
	unsigned n_prev = 0, n_new = 0;

	w->cases++;
	snap_take(&now, w->out);
	for (size_t i = 0; i < now.n; i++) {
		const struct file *f = &now.v[i];
		const struct file *p = prev ? snap_find(prev, f->name) : NULL;
		int is_prev = p && f->len == p->len && !memcmp(f->data, p->data, f->len);
		int is_new = same_output(f->name, f->data, f->len, snap_find(&w->ref, f->name));
		cr_expect(f->name[0] != '.', "%s, %s: temporary file %s left in the output dir",
			  w->c->name, what, f->name);
		cr_expect(is_prev || is_new,
			  "%s, %s: %s (%zu bytes) is neither the previous nor the new complete "
			  "file",
			  w->c->name, what, f->name, f->len);
		n_prev += is_prev && !is_new;
		n_new += is_new && !is_prev;
	}
	for (size_t i = 0; prev && i < prev->n; i++)
		cr_expect_not_null(snap_find(&now, prev->v[i].name), "%s, %s: %s was removed",
				   w->c->name, what, prev->v[i].name);
	cr_expect(!strstr(pr->err, "Sanitizer") && !strstr(pr->err, "runtime error"), "%s, %s: %s",
		  w->c->name, what, pr->err);
	if (pr->status == 0) {
		/* the failure was not hit: everything is new and complete */
		for (size_t i = 0; i < w->ref.n; i++) {
			const struct file *f = snap_find(&now, w->ref.v[i].name);
			cr_expect(f && same_output(f->name, f->data, f->len, &w->ref.v[i]),
				  "%s, %s: exit 0 but %s is not the complete new file", w->c->name,
				  what, w->ref.v[i].name);
		}
	} else {
		w->failed_runs++;
		/* 1, the exit status of a runtime failure (LeakSanitizer would exit 23) */
		cr_expect_eq(pr->status, 1, "%s, %s: exit status %d: %s", w->c->name, what,
			     pr->status, pr->err);
		cr_expect(pr->err[0] != '\0', "%s, %s: exit %d without a message", w->c->name, what,
			  pr->status);
		cr_expect(strstr(pr->err, w->out) != NULL,
			  "%s, %s: the message does not name the file: %s", w->c->name, what,
			  pr->err);
		if (n_prev && n_new)
			w->mixed++;
	}
	snap_free(&now);
}

/* The file-size limits to try: 0, 1, each 4096-byte boundary up to the largest output, a
 * byte either side of it up to the largest file written through stdio (unless quick; the
 * store writes whole SQLite pages), and around each output's size. */
static size_t size_limits(long long **out, const struct bench *w)
{
	size_t cap = 64, n = 0;
	long long *k = malloc(cap * sizeof(*k));
	long long top = 0, top_stdio = 0;
	const struct snap *ss[2] = {&w->ref, &w->prev};

#define ADD(v)                                                                                     \
	do {                                                                                       \
		if (n == cap)                                                                      \
			k = realloc(k, (cap *= 2) * sizeof(*k));                                   \
		k[n++] = (v);                                                                      \
	} while (0)
	for (int s = 0; s < 2; s++)
		for (size_t i = 0; i < ss[s]->n; i++) {
			long long len = (long long)ss[s]->v[i].len;
			if (len > top)
				top = len;
			if (len > top_stdio && !strstr(ss[s]->v[i].name, ".sqlite"))
				top_stdio = len;
			ADD(len / 2);
			ADD(len > 0 ? len - 1 : 0);
			ADD(len);
		}
	ADD(0);
	ADD(1);
	for (long long b = BLOCK; b - 1 <= top; b += BLOCK) {
		ADD(b);
		if (!quick() && b - 1 <= top_stdio) {
			ADD(b - 1);
			ADD(b + 1);
		}
	}
#undef ADD
	/* sort, unique */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && k[j] < k[j - 1]; j--) {
			long long t = k[j];
			k[j] = k[j - 1];
			k[j - 1] = t;
		}
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (m == 0 || k[i] != k[m - 1])
			k[m++] = k[i];
	*out = k;
	return m;
}

/* Both passes (an empty output directory, then one holding the previous outputs; the
 * second only when quick) of both walks (file-size limits, fault points). */
static void walk_command(const char *name)
{
	struct bench w;
	char *root = make_tmpdir();
	long long *lim;
	struct proc pr;
	unsigned rlimit_cases = 0, hook_cases = 0, points = 0;

	cr_assert_not_null(root);
	bench_init(&w, name, root, NULL);
	size_t nlim = size_limits(&lim, &w);
	for (int pass = quick() ? 1 : 0; pass < 2; pass++) {
		const struct snap *prev = pass ? &w.prev : NULL;
		for (size_t i = 0; i < nlim; i++) {
			struct spawn_opts o = {lim[i], 0, "/dev/null"};
			char what[64];
			snprintf(what, sizeof(what), "pass %d, file size limit %lld", pass + 1,
				 lim[i]);
			snap_restore(prev, w.out);
			run_cmd(&pr, &w, &o, w.c->fmt);
			if (lim[i] < (long long)w.ref.largest)
				cr_expect_neq(pr.status, 0, "%s, %s: succeeded", name, what);
			check_case(&w, &pr, prev, what);
			proc_release(&pr);
			rlimit_cases++;
		}
		for (long k = 1;; k++) {
			struct spawn_opts o = {-1, k, "/dev/null"};
			char what[64];
			snprintf(what, sizeof(what), "pass %d, failure point %ld", pass + 1, k);
			cr_assert_lt(k, MAX_FAULTS, "%s: the fault walk does not end", name);
			snap_restore(prev, w.out);
			run_cmd(&pr, &w, &o, w.c->fmt);
			check_case(&w, &pr, prev, what);
			hook_cases++;
			int done = pr.status == 0;
			proc_release(&pr);
			if (done) {
				cr_expect_gt(k, 1, "%s: no failure point was hit", name);
				points = (unsigned)k - 1;
				break;
			}
		}
	}
	fprintf(stderr,
		"writefail %-15s %4u cases: %u file-size limits (0..%zu bytes), %u fault-hook "
		"runs (%u failure points) over %d pass%s; %u ended in an error, %u of them "
		"with some files new and some previous\n",
		name, w.cases, rlimit_cases, w.ref.largest, hook_cases, points, quick() ? 1 : 2,
		quick() ? "" : "es", w.failed_runs, w.mixed);
	free(lim);
	bench_release(&w);
	free(root);
}

Test(writefail, solve)
{
	walk_command("solve");
}
Test(writefail, scenarios)
{
	walk_command("scenarios");
}
Test(writefail, sweep)
{
	walk_command("sweep");
}
Test(writefail, tornado)
{
	walk_command("tornado");
}
Test(writefail, compare)
{
	walk_command("compare");
}
Test(writefail, export_mps)
{
	walk_command("export_mps");
}
Test(writefail, export_lp)
{
	walk_command("export_lp");
}
Test(writefail, export_scenario)
{
	walk_command("export_scenario");
}

/* ---- a full disk ------------------------------------------------------------------------- */

/* A tmpfs of our own in a private mount namespace (root, or CAP_SYS_ADMIN). */
static int mount_tmpfs(const char *dir, char *why, size_t n)
{
	if (unshare(CLONE_NEWNS) != 0) {
		snprintf(why, n, "unshare(CLONE_NEWNS): %s", strerror(errno));
		return -1;
	}
	if (mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
		snprintf(why, n, "making / private: %s", strerror(errno));
		return -1;
	}
	if (mount("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, "size=8m,mode=0755") != 0) {
		snprintf(why, n, "mount -t tmpfs: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* Fill the file system of `filler` so that `room` bytes (whole blocks) stay free. */
static void leave_room(const char *filler, long long room)
{
	struct statvfs sv;
	static char zeros[65536];
	unlink(filler);
	char *dir = strdup(filler);
	*strrchr(dir, '/') = '\0';
	cr_assert_eq(statvfs(dir, &sv), 0);
	free(dir);
	long long fill = (long long)sv.f_bavail * (long long)sv.f_frsize - room;
	int fd = open(filler, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	cr_assert(fd >= 0);
	while (fill > 0) {
		ssize_t w = write(fd, zeros,
				  fill < (long long)sizeof(zeros) ? (size_t)fill : sizeof(zeros));
		if (w < 0 && errno == ENOSPC)
			break;
		cr_assert(w > 0, "filling the tmpfs: %s", strerror(errno));
		fill -= w;
	}
	close(fd);
}

/* Every command into a tmpfs with 0, 4096, 8192, ... bytes free, until it succeeds. */
Test(fulldisk, tmpfs)
{
	char *root = make_tmpdir(), why[256];
	char *mnt = path_in(root, "mnt"), *filler = path_in(mnt, "filler");
	unsigned total = 0;

	cr_assert_eq(mkdir(mnt, 0755), 0);
	if (mount_tmpfs(mnt, why, sizeof(why)) != 0) {
		fprintf(stderr,
			"fulldisk.tmpfs: skipped: cannot mount a tmpfs here (%s); the full "
			"disk is covered by fulldisk.dev_full only\n",
			why);
		rmdir(mnt);
		rmdir(root);
		cr_skip_test("cannot mount a tmpfs here (%s)", why);
	}
	for (size_t c = 0; c < sizeof(commands) / sizeof(commands[0]); c++) {
		struct bench w;
		struct proc pr;
		unsigned steps = 0;
		/* the inputs of compare outside the tmpfs, the output directory on it */
		char *croot = path_in(root, commands[c].name), *out = path_in(mnt, "out");
		cr_assert_eq(mkdir(croot, 0755), 0);
		bench_init(&w, commands[c].name, croot, out);
		free(out);
		for (int pass = quick() ? 1 : 0; pass < 2; pass++) {
			const struct snap *prev = pass ? &w.prev : NULL;
			for (long long room = 0;; room += BLOCK) {
				struct spawn_opts o = {-1, 0, "/dev/null"};
				char what[64];
				snprintf(what, sizeof(what), "pass %d, %lld bytes free", pass + 1,
					 room);
				cr_assert_lt(room, 4 << 20, "%s: never succeeds on the tmpfs",
					     w.c->name);
				snap_restore(prev, w.out);
				leave_room(filler, room);
				run_cmd(&pr, &w, &o, w.c->fmt);
				check_case(&w, &pr, prev, what);
				if (pr.status != 0)
					cr_expect(strstr(pr.err, "No space left on device") ||
						      strstr(pr.err, "disk is full") ||
						      strstr(pr.err, "disk I/O error"),
						  "%s, %s: %s", w.c->name, what, pr.err);
				steps++;
				int done = pr.status == 0;
				proc_release(&pr);
				if (done)
					break;
			}
		}
		unlink(filler);
		snap_restore(NULL, w.out);
		rmdir(w.out);
		fprintf(stderr,
			"fulldisk.tmpfs %-15s %3u runs over %d pass%s (%u ended in an error, %u "
			"with some files new and some previous)\n",
			w.c->name, steps, quick() ? 1 : 2, quick() ? "" : "es", w.failed_runs,
			w.mixed);
		total += steps;
		bench_release(&w);
		free(croot);
	}
	fprintf(stderr, "fulldisk.tmpfs: %u runs\n", total);
	cr_expect_eq(umount2(mnt, MNT_DETACH), 0);
	rmdir(mnt);
	rmdir(root);
	free(filler);
	free(mnt);
	free(root);
}

static void expect_dev_full_intact(void)
{
	struct stat st;
	cr_assert_eq(stat("/dev/full", &st), 0);
	cr_expect(S_ISCHR(st.st_mode), "/dev/full is no longer a device");
}

/* Writing to stdout on /dev/full, and -o through a link to /dev/full (always available;
 * the link keeps a wrong replace-by-rename away from the real /dev/full). */
Test(fulldisk, dev_full)
{
	char *root = make_tmpdir();
	char *link = path_in(root, "full");
	struct proc pr;
	struct spawn_opts to_full = {-1, 0, "/dev/full"}, quiet = {-1, 0, "/dev/null"};
	static const char *const exports[] = {"--format mps", "--format lp",
					      "--format mps --scenario 3"};
	unsigned cases = 0;

	expect_dev_full_intact();
	cr_assert_eq(symlink("/dev/full", link), 0);
	for (size_t i = 0; i < sizeof(exports) / sizeof(exports[0]); i++) {
		spawn(&pr, &to_full, "export %s %s", TINY, exports[i]);
		cr_expect_eq(pr.status, 1, "export %s > /dev/full: exit %d", exports[i], pr.status);
		cr_expect(strstr(pr.err, "stdout") && strstr(pr.err, "No space left on device"),
			  "export %s > /dev/full: %s", exports[i], pr.err);
		proc_release(&pr);

		spawn(&pr, &quiet, "export %s %s -o %s", TINY, exports[i], link);
		cr_expect_eq(pr.status, 1, "export %s -o link-to-/dev/full: exit %d", exports[i],
			     pr.status);
		cr_expect(strstr(pr.err, link) && strstr(pr.err, "No space left on device"),
			  "export %s -o link-to-/dev/full: %s", exports[i], pr.err);
		proc_release(&pr);
		struct stat st;
		cr_assert_eq(lstat(link, &st), 0);
		cr_expect(S_ISLNK(st.st_mode), "the link to /dev/full was replaced");
		expect_dev_full_intact();
		cases += 2;
	}
	/* nothing left beside the link, nor beside /dev/full */
	struct snap s;
	cr_assert_eq(unlink(link), 0);
	snap_take(&s, root);
	cr_expect_eq(s.n, 0, "left in %s: %s", root, s.n ? s.v[0].name : "");
	snap_free(&s);
	DIR *d = opendir("/dev");
	struct dirent *e;
	while (d && (e = readdir(d)))
		cr_expect(!strstr(e->d_name, ".full.tmp."), "temporary file /dev/%s", e->d_name);
	if (d)
		closedir(d);

	/* a link to a file: the file is replaced, the link stays */
	char *real = path_in(root, "real.lp"), *lnk = path_in(root, "link.lp");
	FILE *f = fopen(real, "w");
	cr_assert_not_null(f);
	fputs("old\n", f);
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(symlink("real.lp", lnk), 0);
	spawn(&pr, &quiet, "export %s --format lp -o %s", TINY, lnk);
	cr_expect_eq(pr.status, 0, "export -o link-to-a-file: %s", pr.err);
	proc_release(&pr);
	char *got = slurp(real, NULL);
	cr_expect(got && !strncmp(got, "\\ tiny:", 7), "the file behind the link was not written");
	free(got);
	struct stat ls;
	cr_expect(lstat(lnk, &ls) == 0 && S_ISLNK(ls.st_mode), "the link was replaced by a file");
	unlink(lnk);
	unlink(real);
	free(lnk);
	free(real);
	cases++;

	/* a pipe named by -o (here /dev/stdout) is written in place, not replaced */
	struct proc ref;
	char *so = path_in(root, "so"), *mps = path_in(root, "model.mps");
	cr_assert_eq(symlink("/dev/stdout", so), 0);
	spawn(&ref, &quiet, "export %s --format mps -o %s", TINY, mps);
	cr_assert_eq(ref.status, 0, "%s", ref.err);
	struct spawn_opts piped = {-1, 0, NULL};
	spawn(&pr, &piped, "export %s --format mps -o %s", TINY, so);
	cr_expect_eq(pr.status, 0, "export -o link-to-/dev/stdout: %s", pr.err);
	size_t len;
	char *want = slurp(mps, &len);
	cr_expect(want && strlen(pr.out) == len && !memcmp(pr.out, want, len),
		  "export -o /dev/stdout (a pipe) wrote something else");
	struct stat st;
	cr_expect(lstat(so, &st) == 0 && S_ISLNK(st.st_mode), "the link was replaced");
	free(want);
	proc_release(&pr);
	proc_release(&ref);
	cases++;
	fprintf(stderr, "fulldisk.dev_full: %u cases\n", cases);

	unlink(so);
	unlink(mps);
	rmdir(root);
	free(so);
	free(mps);
	free(link);
	free(root);
}
