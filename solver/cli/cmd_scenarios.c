/* cmd_scenarios.c - `porcupine scenarios`: draw scenarios of the plan's uncertainty, solve
 * each, and report what is robust and what is fragile. */
#include <errno.h>
#include <math.h>
#include <omp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "afile.h"
#include "cli.h"
#include "lp.h"
#include "model.h"
#include "report.h"
#include "scen.h"
#include "version.h"

/* Set by SIGINT / SIGTERM: the engine finishes the scenarios in flight and stops. */
static atomic_int stop_flag; /* lock-free: safe in the handler and across threads */

static void on_signal(int sig)
{
	(void)sig;
	atomic_store(&stop_flag, 1);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void fmt_duration(char *buf, size_t n, double s)
{
	if (!isfinite(s) || s < 0)
		snprintf(buf, n, "?");
	else if (s < 60)
		snprintf(buf, n, "%.0fs", s);
	else if (s < 3600)
		snprintf(buf, n, "%dm%02ds", (int)(s / 60), (int)fmod(s, 60));
	else
		snprintf(buf, n, "%dh%02dm", (int)(s / 3600), (int)fmod(s / 60, 60));
}

struct progress {
	size_t start; /* resumed scenarios, not counted in the rate */
	int shown;
};

static void show_progress(void *ctx, size_t done, size_t total, double elapsed)
{
	struct progress *pr = ctx;
	double rate = elapsed > 0 ? (double)(done - pr->start) / elapsed : 0;
	char eta[32];

	fmt_duration(eta, sizeof(eta), rate > 0 ? (double)(total - done) / rate : NAN);
	fprintf(stderr, "\r\033[Kscenarios %zu/%zu (%.0f%%)  %.1f/s  ETA %s", done, total,
		total ? 100.0 * (double)done / (double)total : 100.0, rate, eta);
	fflush(stderr);
	pr->shown = 1;
}

static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *s = pc_malloc(n);
	if (s)
		snprintf(s, n, "%s%s%s", dir, dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/",
			 name);
	return s;
}

/* The terminal summary: the distribution of the objective and the capabilities most at
 * risk. */
static void print_summary(const struct plan *p, const struct scen_summary *s, const char *dir)
{
	char a[48], b[48], c[48];

	printf("%s: %zu scenarios (%s, seed %llu): %zu solved, %zu failed",
	       p->name ? p->name : "plan", s->n, s->method, (unsigned long long)s->seed, s->solved,
	       s->failed);
	for (size_t i = 0; i < s->nfail; i++)
		printf("%s%zu %s", i ? ", " : " (", s->fail[i].count, s->fail[i].status);
	printf("%s\n", s->nfail ? ")" : "");
	report_fmt_money(a, sizeof(a), s->objective.p5);
	report_fmt_money(b, sizeof(b), s->objective.p50);
	report_fmt_money(c, sizeof(c), s->objective.p95);
	printf("  objective    P5 %s  P50 %s  P95 %s", a, b, c);
	report_fmt_money(a, sizeof(a), s->objective.mean);
	report_fmt_money(b, sizeof(b), s->objective.stderr_);
	printf("  (mean %s +- %s)\n", a, b);
	report_fmt_money(a, sizeof(a), s->total_spend.p5);
	report_fmt_money(b, sizeof(b), s->total_spend.p50);
	report_fmt_money(c, sizeof(c), s->total_spend.p95);
	printf("  total spend  P5 %s  P50 %s  P95 %s\n", a, b, c);
	/* capabilities from least to most likely met */
	size_t *ix = pc_malloc((s->ncaps ? s->ncaps : 1) * sizeof(*ix));
	if (ix) {
		for (size_t i = 0; i < s->ncaps; i++)
			ix[i] = i;
		for (size_t i = 1; i < s->ncaps; i++)
			for (size_t j = i;
			     j > 0 && s->caps[ix[j]].p_target_met < s->caps[ix[j - 1]].p_target_met;
			     j--) {
				size_t t = ix[j];
				ix[j] = ix[j - 1];
				ix[j - 1] = t;
			}
		printf("  %-32s %s\n", "target met every year in", "capability");
		for (size_t i = 0; i < s->ncaps && i < 8; i++) {
			const struct scen_cap_sum *q = &s->caps[ix[i]];
			printf("  %30.0f%%  %s\n", 100.0 * q->p_target_met,
			       p->capabilities[q->capability].id);
		}
		if (s->ncaps > 8)
			printf("  ... %zu more in report.md\n", s->ncaps - 8);
		free(ix);
	}
	printf("reports written to %s/\n", dir);
}

int cmd_scenarios(int argc, char **argv)
{
	const char **set = pc_calloc((size_t)argc + 1, sizeof(*set));
	const char *plan = NULL, *outdir = NULL, *resume = NULL;
	struct scen_opts so = SCEN_OPTS_INIT;
	long long n = -1, threads = -1;
	double tlim = -1, gap = -1, precision = -1;
	const char *seed_s = NULL;
	size_t nset = 0;
	int err = 0, quiet = 0, lhs = 0, cold = 0, status = EXIT_OK;
	struct plan *p = NULL;
	struct model *m = NULL;
	struct solution sol;
	struct results res;
	struct diag_list dl;
	struct scen_result *sr = NULL;
	struct scen_summary *sum = NULL;
	struct scen_store *store = NULL;
	struct scen_meta meta, old;
	void *old_owned = NULL;
	char *tmpdb = NULL, *finaldb = NULL, *resumedb = NULL, *csvpath = NULL;
	struct afile csv = AFILE_INIT;
	struct progress pr = {0, 0};
	struct sigaction sa, old_int, old_term;
	int have_sig = 0;

	memset(&sol, 0, sizeof(sol));
	memset(&res, 0, sizeof(res));
	memset(&old, 0, sizeof(old));
	diag_list_init(&dl);
	if (!set) {
		fprintf(stderr, "porcupine: out of memory\n");
		return EXIT_FAILURE_RUN;
	}
	for (int i = 1; i < argc; i++) {
		const char *v;
		if ((v = cli_opt_value(argc, argv, &i, "--set", &err)))
			set[nset++] = v;
		else if (!err && (v = cli_opt_value(argc, argv, &i, "-o|--output", &err)))
			outdir = v;
		else if (!err && (v = cli_opt_value(argc, argv, &i, "-n|--scenarios", &err))) {
			if ((n = cli_parse_count(v)) < 1 || n > 100000000) {
				status = cli_usage_error("scenarios",
							 "-n wants a number of scenarios from 1 "
							 "to 100000000, got '%s'",
							 v);
				goto out;
			}
		} else if (!err && (v = cli_opt_value(argc, argv, &i, "--seed", &err))) {
			if (cli_parse_count(v) < 0) {
				status = cli_usage_error(
				    "scenarios", "--seed wants a whole number >= 0, got '%s'", v);
				goto out;
			}
			seed_s = v;
		} else if (!err && (v = cli_opt_value(argc, argv, &i, "-j|--threads", &err))) {
			if ((threads = cli_parse_count(v)) < 1 || threads > 1024) {
				status = cli_usage_error("scenarios",
							 "--threads wants 1 to 1024, got '%s'", v);
				goto out;
			}
		} else if (!err && (v = cli_opt_value(argc, argv, &i, "--precision", &err))) {
			if (cli_parse_double(v, &precision) || !(precision > 0 && precision < 1)) {
				status = cli_usage_error("scenarios",
							 "--precision wants a relative standard "
							 "error in (0, 1), got '%s'",
							 v);
				goto out;
			}
		} else if (!err && (v = cli_opt_value(argc, argv, &i, "--time-limit", &err))) {
			if (cli_parse_double(v, &tlim) || tlim < 0) {
				status = cli_usage_error(
				    "scenarios", "--time-limit wants seconds >= 0, got '%s'", v);
				goto out;
			}
		} else if (!err && (v = cli_opt_value(argc, argv, &i, "--mip-gap", &err))) {
			if (cli_parse_double(v, &gap) || gap < 0 || gap >= 1) {
				status = cli_usage_error(
				    "scenarios", "--mip-gap wants a number in [0, 1), got '%s'", v);
				goto out;
			}
		} else if (!err && (v = cli_opt_value(argc, argv, &i, "--resume", &err)))
			resume = v;
		else if (err)
			break;
		else if (cli_opt_flag(argv[i], "-q|--quiet"))
			quiet = 1;
		else if (cli_opt_flag(argv[i], "--lhs"))
			lhs = 1;
		else if (cli_opt_flag(argv[i], "--cold"))
			cold = 1;
		else if (argv[i][0] == '-' && argv[i][1]) {
			status = cli_usage_error("scenarios", "unknown option '%s'", argv[i]);
			goto out;
		} else if (plan) {
			status = cli_usage_error(
			    "scenarios", "one plan at a time (got '%s' and '%s')", plan, argv[i]);
			goto out;
		} else
			plan = argv[i];
	}
	if (err) {
		status = EXIT_BAD_INPUT;
		goto out;
	}

	if (resume) {
		/* Everything that decides the numbers comes from the interrupted run. */
		if (n >= 0 || seed_s || nset || lhs || precision > 0 || tlim >= 0 || gap >= 0) {
			status = cli_usage_error(
			    "scenarios", "--resume continues a run with its own -n, --seed, "
					 "--set, --lhs, --precision, --time-limit and --mip-gap; "
					 "leave them out");
			goto out;
		}
		resumedb = join(resume, "scenarios.sqlite");
		if (!resumedb || scen_store_read_meta(resumedb, &old, &old_owned, &dl) != 0) {
			diag_print(&dl, stderr, 0);
			status = EXIT_BAD_INPUT;
			goto out;
		}
		const char **more = pc_realloc(set, (old.nset + 1) * sizeof(*set));
		if (!more)
			goto nomem;
		set = more;
		for (size_t i = 0; i < old.nset; i++)
			set[nset++] = old.set[i];
		n = (long long)old.requested;
		so.seed = old.seed;
		lhs = old.method == SAMPLE_LHS;
		precision = old.precision > 0 ? old.precision : -1;
		gap = old.mip_gap;
		tlim = old.time_limit_s;
		if (!outdir)
			outdir = resume;
	}
	if (!outdir)
		outdir = "out";

	double t0 = now_s();
	status = cli_load_plan(&p, plan, set, nset);
	if (status != EXIT_OK)
		goto out;
	if (resume && strcmp(old.plan_sha256, p->sha256) != 0) {
		fprintf(stderr,
			"porcupine scenarios: cannot resume: the plan is not the one of the run in "
			"'%s' (%s was %s)\n",
			resume, p->file, old.plan_source ? old.plan_source : "?");
		status = EXIT_BAD_INPUT;
		goto out;
	}
	if (p->uncertainty.nparams == 0 && !quiet)
		fprintf(stderr,
			"porcupine scenarios: warning: the plan has no uncertain parameters: "
			"every scenario is the nominal plan\n");

	int rc = model_build(&m, p, &dl);
	if (rc != PLAN_OK) {
		diag_sort(&dl);
		diag_print(&dl, stderr, 0);
		if (rc == PLAN_ENOMEM)
			goto nomem;
		status = rc == PLAN_EINVALID ? EXIT_BAD_INPUT : EXIT_FAILURE_RUN;
		goto out;
	}

	so.n = (size_t)(n > 0 ? n : 1000);
	if (!resume)
		so.seed = seed_s ? (uint64_t)cli_parse_count(seed_s) : p->uncertainty.seed;
	so.method = lhs ? SAMPLE_LHS : SAMPLE_MC;
	so.threads = threads > 0 ? (int)threads : omp_get_num_procs();
	so.precision = precision > 0 ? precision : 0.0;
	so.lp.mip_gap =
	    gap >= 0 ? gap : (p->solver.mip_gap > 0 ? p->solver.mip_gap : so.lp.mip_gap);
	so.lp.time_limit_s = tlim >= 0 ? tlim : p->solver.time_limit_s;
	so.cold = cold;
	so.stop = &stop_flag;
	{
		/* test hook: behave as if interrupted after this many scenarios */
		const char *e = getenv("PORCUPINE_SCENARIOS_STOP_AFTER");
		long long k = e ? cli_parse_count(e) : -1;
		if (k > 0)
			so.stop_after = (size_t)k;
	}
	if (!quiet && isatty(STDERR_FILENO)) {
		so.progress = show_progress;
		so.progress_ctx = &pr;
	}

	/* The nominal solution: reported, and the anchor every scenario starts from. */
	if (lp_solve(&sol, m->lp, &so.lp) != 0) {
		fprintf(stderr, "porcupine scenarios: the solver could not run (out of memory)\n");
		status = EXIT_FAILURE_RUN;
		goto out;
	}
	lp_thread_done();
	if (sol.status != SOL_OPTIMAL && sol.status != SOL_FEASIBLE) {
		fprintf(stderr,
			"porcupine scenarios: the nominal plan is %s%s%s (see 'porcupine solve')\n",
			sol_status_name(sol.status), sol.message ? ": " : "",
			sol.message ? sol.message : "");
		status = EXIT_FAILURE_RUN;
		goto out;
	}
	if (model_extract(&res, m, &sol) != 0)
		goto nomem;

	if (afile_mkdirs(outdir) != 0) {
		fprintf(stderr, "porcupine scenarios: cannot create '%s': %s\n", outdir,
			strerror(errno));
		status = EXIT_FAILURE_RUN;
		goto out;
	}
	tmpdb = join(outdir, ".scenarios.sqlite.tmp");
	finaldb = join(outdir, "scenarios.sqlite");
	csvpath = join(outdir, "scenarios.csv");
	sr = scen_result_new(p, so.n);
	if (!tmpdb || !finaldb || !csvpath || !sr)
		goto nomem;
	if (scen_store_open(&store, tmpdb, finaldb, resumedb, p, &dl) != 0) {
		diag_print(&dl, stderr, 0);
		status = EXIT_FAILURE_RUN;
		goto out;
	}
	if (resume && scen_store_load(store, sr, &dl) != 0) {
		diag_print(&dl, stderr, 0);
		status = EXIT_BAD_INPUT;
		goto out;
	}
	memset(&meta, 0, sizeof(meta));
	meta.plan_sha256 = p->sha256;
	meta.plan_source = p->file;
	meta.plan_name = p->name;
	meta.set = set;
	meta.nset = nset;
	meta.seed = so.seed;
	meta.requested = so.n;
	meta.method = so.method;
	meta.precision = so.precision;
	meta.mip_gap = so.lp.mip_gap;
	meta.time_limit_s = so.lp.time_limit_s;
	if (scen_store_put_meta(store, &meta, &dl) != 0) {
		diag_print(&dl, stderr, 0);
		status = EXIT_FAILURE_RUN;
		goto out;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	have_sig = 1;
	pr.start = sr->n;
	rc = scen_run(sr, p, m, &sol, &so, store, &dl);
	if (pr.shown)
		fputc('\n', stderr);
	if (rc != 0) {
		diag_print(&dl, stderr, 0);
		status = rc == -2 ? EXIT_BAD_INPUT : EXIT_FAILURE_RUN;
		goto out;
	}
	sum = scen_summarize(sr, p, &so);
	if (!sum)
		goto nomem;

	/* Replace the results first, the store (what --resume reads) before scenarios.csv, and
	 * the reports drawn from them after: a run stopped anywhere in between (SIGKILL, a
	 * full disk) leaves no file claiming more scenarios than the store holds, and --resume
	 * rewrites the rest. */
	if (afile_open(&csv, csvpath) != 0 || scen_write_csv(csv.f, sr, p) != 0 ||
	    afile_finish(&csv) != 0) {
		fprintf(stderr, "porcupine scenarios: cannot write '%s': %s\n", csvpath,
			strerror(errno));
		status = EXIT_FAILURE_RUN;
		goto out;
	}
	int src = scen_store_commit(store, &dl);
	store = NULL;
	if (src != 0) {
		diag_print(&dl, stderr, 0);
		status = EXIT_FAILURE_RUN;
		goto out;
	}
	if (afile_commit(&csv) != 0) {
		fprintf(stderr, "porcupine scenarios: cannot replace '%s': %s\n", csvpath,
			strerror(errno));
		status = EXIT_FAILURE_RUN;
		goto out;
	}
	struct report_ctx rc_ = {
	    .plan = p,
	    .model = m,
	    .sol = &sol,
	    .res = &res,
	    .command = "scenarios",
	    .set = set,
	    .nset = nset,
	    .seed = so.seed,
	    .threads = so.threads,
	    .elapsed_s = now_s() - t0,
	    .tool_version = PORCUPINE_VERSION,
	    .scenarios = sum,
	};
	if (report_write_solve(outdir, &rc_, &dl) != 0) {
		diag_print(&dl, stderr, 0);
		fprintf(stderr, "porcupine scenarios: could not write the reports into '%s'\n",
			outdir);
		status = EXIT_FAILURE_RUN;
		goto out;
	}
	if (getenv("PORCUPINE_SCENARIOS_MEMSTAT")) {
		/* benchmark aid: the peak before report.html and report.xlsx are drawn */
		FILE *st = fopen("/proc/self/status", "r");
		char line[256];
		while (st && fgets(line, sizeof(line), st))
			if (strncmp(line, "VmHWM:", 6) == 0)
				fprintf(stderr, "peak before views: %s", line + 6);
		if (st)
			fclose(st);
	}
	if (report_write_views(outdir, &dl) != 0) {
		diag_print(&dl, stderr, 0);
		fprintf(stderr,
			"porcupine scenarios: could not write report.html and report.xlsx\n");
		status = EXIT_FAILURE_RUN;
		goto out;
	}
	if (!quiet)
		print_summary(p, sum, outdir);
	if (sr->interrupted) {
		fprintf(stderr,
			"porcupine scenarios: interrupted after %zu of %zu scenarios; the reports "
			"cover those.  Continue with: porcupine scenarios%s%s --resume %s\n",
			sr->n, so.n, plan ? " " : "", plan ? plan : "", outdir);
		status = EXIT_FAILURE_RUN;
	}
	goto out;
nomem:
	fprintf(stderr, "porcupine: out of memory\n");
	status = EXIT_FAILURE_RUN;
out:
	if (have_sig) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGTERM, &old_term, NULL);
	}
	afile_abort(&csv);
	scen_store_abort(store);
	scen_summary_free(sum);
	scen_result_free(sr);
	results_release(&res);
	solution_release(&sol);
	model_free(m);
	plan_free(p);
	diag_list_release(&dl);
	scen_meta_release(old_owned);
	free(tmpdb);
	free(finaldb);
	free(resumedb);
	free(csvpath);
	free(set);
	return status;
}
