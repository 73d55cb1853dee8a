/* views.c - report_write_views: read DIR/report.json and write report.html and report.xlsx
 * beside it, both complete before either replaces its predecessor. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "afile.h"
#include "report.h"
#include "views.h"

/* 2026-01-01T00:00:00Z: the creation time stamped when SOURCE_DATE_EPOCH is not set. */
#define VIEW_DEFAULT_EPOCH 1767225600LL

long long view_epoch(void)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	char *end;
	if (s && *s) {
		errno = 0;
		long long v = strtoll(s, &end, 10);
		if (!*end && !errno && v >= 0 && v < 253402300800LL) /* before year 10000 */
			return v;
	}
	return VIEW_DEFAULT_EPOCH;
}

static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir), m = strlen(name) + n + 2;
	char *s = malloc(m);
	if (s)
		snprintf(s, m, "%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/", name);
	return s;
}

static void fail(struct diag_list *dl, const char *path, const char *what, int e)
{
	char buf[256];
	if (strerror_r(e, buf, sizeof(buf)) != 0)
		snprintf(buf, sizeof(buf), "error %d", e);
	diag_add(dl, DIAG_ERROR, path, 0, 0, NULL, "%s: %s", what, buf);
}

/* Flush a file that another library wrote to disk (rename must not expose it half-written). */
static int sync_file(const char *path)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	int e = errno;
	close(fd);
	errno = e;
	return rc;
}

json_t *report_load(const char *path, struct diag_list *dl)
{
	json_error_t je;
	json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!doc) {
		diag_add(dl, DIAG_ERROR, path, je.line > 0 ? je.line : 0,
			 je.column > 0 ? je.column : 0, NULL, "cannot read the report: %s",
			 je.text);
		return NULL;
	}
	const char *schema = json_string_value(json_object_get(doc, "schema"));
	if (!json_is_object(doc) || !schema || strncmp(schema, "porcupine.report/", 17) != 0) {
		diag_add(dl, DIAG_ERROR, path, 0, 0, NULL,
			 "not a porcupine report (no 'schema': \"porcupine.report/N\")");
		json_decref(doc);
		return NULL;
	}
	return doc;
}

int report_write_views(const char *dir, struct diag_list *dl)
{
	char *jpath = join(dir, "report.json"), *hpath = join(dir, "report.html");
	char *xpath = join(dir, "report.xlsx"), *cpath = join(dir, "scenarios.csv");
	char *xtmp = NULL;
	struct afile af = AFILE_INIT;
	json_t *doc = NULL;
	int rc = -1, xlsx_written = 0;

	if (!jpath || !hpath || !xpath || !cpath) {
		fail(dl, dir, "cannot write the views", ENOMEM);
		goto out;
	}
	doc = report_load(jpath, dl);
	if (!doc)
		goto out;

	if (afile_open(&af, hpath) != 0) {
		fail(dl, hpath, "cannot create a temporary file next to it", errno);
		goto out;
	}
	errno = 0;
	if (view_html(af.f, doc) != 0 || afile_finish(&af) != 0) {
		fail(dl, hpath, "cannot write", errno ? errno : EIO);
		goto out;
	}

	/* libxlsxwriter writes to a file name: a temporary one beside the target, renamed. */
	size_t n = strlen(dir) + 64;
	xtmp = malloc(n);
	if (!xtmp) {
		fail(dl, xpath, "cannot write", ENOMEM);
		goto out;
	}
	snprintf(xtmp, n, "%s%s.report.xlsx.tmp.%ld", dir,
		 *dir && dir[strlen(dir) - 1] == '/' ? "" : "/", (long)getpid());
	char why[256];
	xlsx_written = 1;
	if (view_xlsx(xtmp, doc, view_epoch(), access(cpath, R_OK) == 0 ? cpath : NULL, why,
		      sizeof(why)) != 0) {
		diag_add(dl, DIAG_ERROR, xpath, 0, 0, NULL, "cannot write: %s", why);
		goto out;
	}
	if (sync_file(xtmp) != 0) {
		fail(dl, xpath, "cannot write", errno);
		goto out;
	}
	if (afile_commit(&af) != 0) {
		fail(dl, hpath, "cannot replace", errno);
		goto out;
	}
	if (rename(xtmp, xpath) != 0) {
		fail(dl, xpath, "cannot replace", errno);
		goto out;
	}
	xlsx_written = 0;
	rc = 0;
out:
	afile_abort(&af);
	if (xlsx_written && xtmp)
		unlink(xtmp);
	json_decref(doc);
	free(jpath);
	free(hpath);
	free(xpath);
	free(cpath);
	free(xtmp);
	return rc;
}
