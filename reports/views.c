/* views.c - report_write_views: read DIR/report.json and write report.html and report.xlsx
 * beside it, both complete before either replaces its predecessor. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
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
	char *s = pc_malloc(m);
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

json_t *report_load(const char *path, struct diag_list *dl)
{
	json_error_t je;
	unsigned long lost = alloc_failures();
	json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!doc) {
		if (json_error_code(&je) == json_error_out_of_memory || alloc_failures() != lost)
			diag_add(dl, DIAG_ERROR, path, 0, 0, NULL,
				 "cannot read the report: out of memory");
		else
			diag_add(dl, DIAG_ERROR, path, je.line > 0 ? je.line : 0,
				 je.column > 0 ? je.column : 0, NULL, "cannot read the report: %s",
				 je.text);
		return NULL;
	}
	const char *schema = json_string_value(json_object_get(doc, "schema"));
	if (alloc_failures() != lost) { /* read, but with pieces missing */
		diag_add(dl, DIAG_ERROR, path, 0, 0, NULL, "cannot read the report: out of memory");
		json_decref(doc);
		return NULL;
	}
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
	struct afile af = AFILE_INIT, xf = AFILE_INIT;
	json_t *doc = NULL;
	int rc = -1;

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
	unsigned long lost = alloc_failures();
	int w = view_html(af.f, doc);
	if (w == 0 && alloc_failures() != lost) {
		w = -1; /* a chart or table was left out for want of memory */
		errno = ENOMEM;
	}
	if (w != 0 || afile_finish(&af) != 0) {
		fail(dl, hpath, "cannot write", errno ? errno : EIO);
		goto out;
	}

	/* libxlsxwriter writes to a file name: the afile's temporary file, by name; the
	 * afile then makes it durable and renames it. */
	if (afile_open(&xf, xpath) != 0) {
		fail(dl, xpath, "cannot create a temporary file next to it", errno);
		goto out;
	}
	char why[256];
	lost = alloc_failures();
	w = view_xlsx(xf.tmp ? xf.tmp : xf.path, doc, view_epoch(),
		      access(cpath, R_OK) == 0 ? cpath : NULL, why, sizeof(why));
	if (alloc_failures() != lost) {
		if (w == 0)
			snprintf(why, sizeof(why), "out of memory");
		else
			snprintf(why + strlen(why), sizeof(why) - strlen(why), " (out of memory)");
		w = -1;
	}
	if (w != 0) {
		diag_add(dl, DIAG_ERROR, xpath, 0, 0, NULL, "cannot write: %s", why);
		goto out;
	}
	if (afile_finish(&xf) != 0) {
		fail(dl, xpath, "cannot write", errno);
		goto out;
	}
	if (afile_commit(&af) != 0) {
		fail(dl, hpath, "cannot replace", errno);
		goto out;
	}
	if (afile_commit(&xf) != 0) {
		fail(dl, xpath, "cannot replace", errno);
		goto out;
	}
	rc = 0;
out:
	afile_abort(&af);
	afile_abort(&xf);
	json_decref(doc);
	free(jpath);
	free(hpath);
	free(xpath);
	free(cpath);
	return rc;
}
