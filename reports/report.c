/* report.c - writes the set of reports of a `solve` into a directory (all or none of them
 * replaced), and prints the summary for the terminal. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "afile.h"
#include "report_int.h"
#include "report_sens.h"

/* Shortfall rows in the terminal summary. */
#define SUMMARY_SHORTFALLS 5

static const struct {
	const char *name;
	int (*write)(FILE *f, const struct report_ctx *rc);
} solve_outputs[] = {
    {"report.json", report_json},
    {"allocation.csv", report_csv_allocation},
    {"requirements.csv", report_csv_requirements},
    {"funding.csv", report_csv_funding},
    {"report.md", report_markdown},
    {"ranging.csv", report_csv_ranging},
};
#define NOUTPUTS (sizeof(solve_outputs) / sizeof(solve_outputs[0]))

/* "dir/name", malloc'd. */
static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir);
	int slash = n > 0 && dir[n - 1] == '/';
	char *s = pc_malloc(n + strlen(name) + 2);

	if (s)
		snprintf(s, n + strlen(name) + 2, "%s%s%s", dir, slash ? "" : "/", name);
	return s;
}

static void report_errno(struct diag_list *dl, const char *path, const char *what, int e)
{
	char buf[256];

	/* POSIX strerror_r: thread-safe, unlike strerror. */
	if (strerror_r(e, buf, sizeof(buf)) != 0)
		snprintf(buf, sizeof(buf), "error %d", e);
	diag_error(dl, path, 0, 0, NULL, "%s: %s", what, buf);
}

int report_write_solve(const char *dir, const struct report_ctx *rc, struct diag_list *dl)
{
	struct afile af[NOUTPUTS];
	char *path[NOUTPUTS];
	size_t k, opened = 0;
	int rc_ = -1;

	memset(af, 0, sizeof(af));
	memset(path, 0, sizeof(path));
	if (afile_mkdirs(dir) != 0) {
		report_errno(dl, dir, "cannot create the output directory", errno);
		return -1;
	}
	for (k = 0; k < NOUTPUTS; k++)
		if (!(path[k] = join(dir, solve_outputs[k].name))) {
			report_errno(dl, dir, "cannot write the reports", ENOMEM);
			goto out;
		}
	/* Write every file completely before any replaces its predecessor, so that a failure
	 * never leaves a mix of new and old reports. */
	for (k = 0; k < NOUTPUTS; k++) {
		if (afile_open(&af[k], path[k]) != 0) {
			report_errno(dl, path[k], "cannot create a temporary file next to it", errno);
			goto out;
		}
		opened = k + 1;
		errno = 0;
		unsigned long lost = alloc_failures();
		int w = solve_outputs[k].write(af[k].f, rc);
		if (w == 0 && alloc_failures() != lost) {
			w = -1; /* something was left out for want of memory */
			errno = ENOMEM;
		}
		if (w != 0 || afile_finish(&af[k]) != 0) {
			report_errno(dl, path[k], "cannot write", errno ? errno : EIO);
			goto out;
		}
	}
	for (k = 0; k < NOUTPUTS; k++)
		if (afile_commit(&af[k]) != 0) {
			report_errno(dl, path[k], "cannot replace", errno);
			goto out;
		}
	rc_ = 0;
out:
	for (k = 0; k < opened; k++)
		afile_abort(&af[k]); /* no-op for committed files */
	for (k = 0; k < NOUTPUTS; k++)
		free(path[k]);
	return rc_;
}

/* Print s in a column of `width` bytes, cut (not inside a UTF-8 sequence) or padded. */
static void column(FILE *out, const char *s, int width)
{
	size_t n = s ? strlen(s) : 1;

	if (!s)
		s = "?";
	if (n > (size_t)width) {
		n = (size_t)width;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	fprintf(out, "%.*s%*s", (int)n, s, width - (int)n + 1, "");
}

void report_print_summary(FILE *out, const struct report_ctx *rc)
{
	const struct plan *p = rc->plan;
	const struct results *r = rc->res;
	const struct solution *s = rc->sol;
	char a[48], b[48], c[48];

	fprintf(out, "%s%s%s%s\n", p->name ? p->name : "plan", p->data_date ? " (data " : "",
		p->data_date ? p->data_date : "", p->data_date ? ")" : "");
	fprintf(out, "  status     %s", sol_status_name(r->status));
	if (s->mip_gap > 0)
		fprintf(out, ", relative gap %.3g", s->mip_gap);
	fprintf(out, "; re-check %s (largest violation %.2g)\n",
		s->violation || s->status == SOL_FAILED ? "FAILED" : "passed", s->max_violation);
	report_fmt_money(a, sizeof(a), r->objective);
	fprintf(out, "  objective  %s\n", a);
	report_fmt_money(a, sizeof(a), r->total_spend_eur);
	report_fmt_money(b, sizeof(b), r->purchase_eur);
	report_fmt_money(c, sizeof(c), r->personnel_eur);
	fprintf(out, "  spend      %s (purchases %s, personnel %s)\n", a, b, c);

	if (p->nsources) {
		fprintf(out, "\n  %-24s %14s %14s %6s\n", "money by source", "used", "available",
			"share");
		for (size_t src = 0; src < p->nsources; src++) {
			double used = 0, avail = 0;
			for (size_t k = 0; k < r->nfund; k++)
				if (r->fund[k].source == (int)src) {
					used += r->fund[k].used_eur;
					avail += r->fund[k].available_eur;
				}
			report_fmt_money(a, sizeof(a), used);
			report_fmt_money(b, sizeof(b), avail);
			rpt_fmt_share(c, sizeof(c), used, avail);
			fputs("  ", out);
			column(out, p->sources[src].id, 24);
			fprintf(out, "%14s %14s %6s\n", a, b, c);
		}
	}

	size_t n, *ix = rpt_shortfalls(r, &n);
	if (n) {
		fprintf(out, "\n  %-28s %4s %14s %6s %16s\n", "largest shortfalls", "year",
			"shortfall", "missed", "shadow price");
		for (size_t k = 0; k < n && k < SUMMARY_SHORTFALLS; k++) {
			const struct res_req *q = &r->req[ix[k]];
			rpt_fmt_qty(a, sizeof(a), q->shortfall);
			rpt_fmt_share(b, sizeof(b), q->shortfall, q->target);
			if (s->has_duals)
				report_fmt_money(c, sizeof(c), q->shadow_price);
			else
				snprintf(c, sizeof(c), "n/a");
			fputs("  ", out);
			column(out, rpt_capability_id(p, q->capability), 28);
			fprintf(out, "%4d %14s %6s %16s\n", q->year, a, b, c);
		}
		if (n > SUMMARY_SHORTFALLS)
			fprintf(out, "  ... %zu more in requirements.csv\n",
				n - SUMMARY_SHORTFALLS);
	} else {
		fputs("\n  every requirement is met in every year\n", out);
	}
	free(ix);
}
