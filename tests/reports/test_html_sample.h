/* test_html_sample.h - helpers for the view and compare tests: a small report.json document
 * built by hand, files in temporary folders, entries of a ZIP file (an .xlsx), and a check
 * that HTML elements nest and close. */
#ifndef PORCUPINE_TEST_HTML_SAMPLE_H
#define PORCUPINE_TEST_HTML_SAMPLE_H

#include <jansson.h>
#include <stddef.h>

/* A report.json of a solve over 2026-2028: two categories, two items, two capabilities
 * (one short every year), two sources, one cited source.  New reference; decref it. */
json_t *sample_report(void);

/* Add a `scenarios` section (with per-year quantiles for one capability) or a `tornado`
 * section to a sample report. */
void sample_add_scenarios(json_t *doc);
void sample_add_tornado(json_t *doc);

/* A fresh temporary folder (malloc'd path); and "dir/name" (malloc'd). */
char *sample_tmpdir(void);
char *sample_path(const char *dir, const char *name);
/* Write doc as DIR/report.json.  0 or -1. */
int sample_write(const char *dir, const json_t *doc);
/* A whole file (malloc'd, NUL-terminated; length in *len when not NULL), or NULL. */
char *sample_slurp(const char *path, size_t *len);
/* Remove a folder and what is in it (one level). */
void sample_rmdir(const char *dir);

/* The uncompressed bytes of entry `name` of a ZIP archive in memory (malloc'd,
 * NUL-terminated, length in *len), or NULL when it has no such entry.  Lists the entry
 * names, one per line, when name is NULL. */
char *unzip_entry(const char *zip, size_t zlen, const char *name, size_t *len);

/* NULL when every non-void element of the HTML page is closed in order (SVG elements
 * included, "<x/>" allowed); else a static message.  Text of <style> is skipped. */
const char *html_check(const char *html);

/* Occurrences of needle in s. */
size_t count_of(const char *s, const char *needle);

#endif
