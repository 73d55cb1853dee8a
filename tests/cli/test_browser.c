/* test_browser.c - report.html and compare.html in a real browser: headless Chromium renders
 * them to PNG and to PDF, and the test checks that the page rendered (not blank, the charts'
 * colours on the first screen), that nothing spills past the right edge of an A4-wide window,
 * and that printing gives A4 pages.  Skipped, saying so, when Chromium is not installed (CI
 * installs Debian's chromium). */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "run.h"

#define PLANS	       PORCUPINE_SOURCE_DIR "/inputs/plans"
#define A4_WIDTH_PX    794   /* 210 mm at 96 dpi: the narrowest the page must fit */
#define TALL_PX	       24000 /* taller than the pages: the whole page in one screenshot */
#define RIGHT_STRIP_PX 16    /* columns at the right edge that must stay background */

TestSuite(browser, .timeout = 900);

/* ---- finding and running Chromium ----------------------------------------------------------- */

static char *find_chromium(void)
{
	static const char *const names[] = {"chromium", "chromium-browser"};
	const char *env = getenv("CHROMIUM");
	if (env && *env && access(env, X_OK) == 0)
		return strdup(env);
	const char *path = getenv("PATH");
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (const char *dir = path; *dir;) {
		size_t n = strcspn(dir, ":");
		for (size_t k = 0; n && k < sizeof(names) / sizeof(names[0]); k++) {
			char *p = NULL;
			if (asprintf(&p, "%.*s/%s", (int)n, dir, names[k]) > 0 &&
			    access(p, X_OK) == 0)
				return p;
			free(p);
		}
		dir += n + (dir[n] == ':');
	}
	return NULL;
}

static char *chromium;
static char *work; /* runs, user-data folders and renderings */

/* Run Chromium headless on file `page` with extra arguments; 0 when it wrote `out`. */
static int render(const char *page, const char *what, const char *out, int w, int h)
{
	char *prof = NULL, *cmd = NULL, *log = NULL;
	static int n;
	cr_assert(asprintf(&prof, "%s/profile-%d", work, n++) > 0);
	cr_assert(asprintf(&log, "%s.log", out) > 0);
	cr_assert(
	    asprintf(&cmd,
		     "timeout 300 '%s' --headless --no-sandbox --disable-gpu --no-first-run "
		     "--disable-background-networking --disable-component-update --disable-sync "
		     "--hide-scrollbars --user-data-dir='%s' --window-size=%d,%d %s='%s' "
		     "'file://%s' >'%s' 2>&1 </dev/null",
		     chromium, prof, w, h, what, out, page, log) > 0);
	int st = system(cmd);
	struct stat sb;
	int ok = stat(out, &sb) == 0 && sb.st_size > 0;
	if (!ok) {
		char *l = slurp(log, NULL);
		fprintf(stderr, "chromium failed (%d): %s\n%s\n", st, cmd, l ? l : "");
		free(l);
	}
	free(prof);
	free(cmd);
	free(log);
	return ok ? 0 : -1;
}

/* ---- a small PNG reader: 8-bit RGB or RGBA, not interlaced, rows streamed ----------------------
 */

struct png_stats {
	uint32_t w, h;
	uint64_t nonwhite;  /* pixels that are not the page's white */
	uint64_t palette0;  /* pixels exactly the charts' first colour, #332288 */
	uint64_t strip_ink; /* non-white pixels in the right strip */
	long first_strip_row;
	long last_ink_row; /* last row with anything on it */
	uint32_t colours[512];
	size_t ncolours; /* distinct colours seen, up to 512 */
};

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int paeth(int a, int b, int c)
{
	int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
	return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

static void row_stats(struct png_stats *s, const unsigned char *row, int bpp, long y)
{
	int ink = 0;
	for (uint32_t x = 0; x < s->w; x++) {
		const unsigned char *px = row + (size_t)x * bpp;
		uint32_t c = (uint32_t)px[0] << 16 | (uint32_t)px[1] << 8 | px[2];
		if (c == 0xffffff)
			continue;
		ink = 1;
		s->nonwhite++;
		if (c == 0x332288)
			s->palette0++;
		if (x >= s->w - RIGHT_STRIP_PX) {
			if (!s->strip_ink)
				s->first_strip_row = y;
			s->strip_ink++;
		}
		if (s->ncolours < 512) {
			size_t k = 0;
			while (k < s->ncolours && s->colours[k] != c)
				k++;
			if (k == s->ncolours)
				s->colours[s->ncolours++] = c;
		}
	}
	if (ink)
		s->last_ink_row = y;
}

static int png_scan(const char *path, struct png_stats *s)
{
	size_t len;
	unsigned char *d = (unsigned char *)slurp(path, &len);
	int rc = -1, bpp = 0;
	memset(s, 0, sizeof(*s));
	s->first_strip_row = s->last_ink_row = -1;
	if (!d || len < 33 || memcmp(d, "\x89PNG\r\n\x1a\n", 8)) {
		free(d);
		return -1;
	}
	s->w = be32(d + 16);
	s->h = be32(d + 20);
	if (d[24] != 8 || (d[25] != 2 && d[25] != 6) || d[28] != 0) {
		fprintf(stderr, "%s: not an 8-bit RGB(A) non-interlaced PNG\n", path);
		free(d);
		return -1;
	}
	bpp = d[25] == 6 ? 4 : 3;
	size_t stride = (size_t)s->w * bpp;
	unsigned char *prev = calloc(stride + 1, 1), *cur = calloc(stride + 1, 1);
	z_stream z;
	memset(&z, 0, sizeof(z));
	if (!prev || !cur || inflateInit(&z) != Z_OK)
		goto out;
	size_t fill = 0; /* bytes of the current row (filter byte first) */
	long y = 0;
	unsigned char buf[65536];
	for (size_t p = 8; p + 12 <= len && y < (long)s->h;) {
		uint32_t n = be32(d + p);
		if (p + 12 + n > len)
			break;
		if (!memcmp(d + p + 4, "IDAT", 4)) {
			z.next_in = d + p + 8;
			z.avail_in = n;
			while (z.avail_in && y < (long)s->h) {
				z.next_out = buf;
				z.avail_out = sizeof(buf);
				int r = inflate(&z, Z_NO_FLUSH);
				if (r != Z_OK && r != Z_STREAM_END)
					goto done;
				for (size_t k = 0; k < sizeof(buf) - z.avail_out && y < (long)s->h;
				     k++) {
					cur[fill++] = buf[k];
					if (fill < stride + 1)
						continue;
					unsigned char f = cur[0], *rw = cur + 1;
					for (size_t x = 0; x < stride; x++) {
						int a = x >= (size_t)bpp ? rw[x - bpp] : 0,
						    b = prev[x + 1];
						int c = x >= (size_t)bpp ? prev[x + 1 - bpp] : 0;
						int v = f == 1	 ? a
							: f == 2 ? b
							: f == 3 ? (a + b) / 2
							: f == 4 ? paeth(a, b, c)
								 : 0;
						rw[x] = (unsigned char)(rw[x] + v);
					}
					row_stats(s, rw, bpp, y++);
					unsigned char *t = prev;
					prev = cur;
					cur = t;
					fill = 0;
				}
				if (r == Z_STREAM_END)
					break;
			}
		}
		p += 12 + n;
	}
done:
	rc = y == (long)s->h ? 0 : -1;
	inflateEnd(&z);
out:
	free(prev);
	free(cur);
	free(d);
	return rc;
}

/* ---- PDF: page sizes --------------------------------------------------------------------------
 */

/* Pages and how many of them are A4 (595 x 842 points, to a point). */
static void pdf_pages(const char *path, int *pages, int *a4)
{
	size_t len;
	char *d = slurp(path, &len);
	*pages = *a4 = 0;
	cr_assert_not_null(d, "no %s", path);
	for (char *p = d; (p = memmem(p, len - (size_t)(p - d), "/MediaBox", 9)); p += 9) {
		double x0, y0, x1, y1;
		if (sscanf(p + 9, " [%lf %lf %lf %lf]", &x0, &y0, &x1, &y1) != 4)
			continue;
		(*pages)++;
		*a4 += x1 - x0 > 594 && x1 - x0 < 596 && y1 - y0 > 841 && y1 - y0 < 843;
	}
	free(d);
}

/* ---- the runs ---------------------------------------------------------------------------------
 */

static char *run_dir(const char *name)
{
	char *p = NULL;
	cr_assert(asprintf(&p, "%s/%s", work, name) > 0);
	return p;
}

static void porcupine(const char *args)
{
	struct run_result r;
	cr_assert_eq(run_porcupine(&r, args), 0);
	cr_assert_eq(r.status, 0, "porcupine %s: %s", args, r.err);
	run_result_release(&r);
}

static void setup(void)
{
	chromium = find_chromium();
	work = make_tmpdir();
	cr_assert_not_null(work);
}

static void teardown(void)
{
	char *cmd = NULL;
	if (work && asprintf(&cmd, "rm -rf '%s'", work) > 0 && system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", work);
	free(cmd);
	free(work);
	free(chromium);
}

/* The page fits an A4-wide window: its right edge stays empty from top to bottom. */
static void check_fits(const char *page, const char *name)
{
	char *png = run_dir(name);
	struct png_stats s;
	cr_assert_eq(render(page, "--screenshot", png, A4_WIDTH_PX, TALL_PX), 0);
	cr_assert_eq(png_scan(png, &s), 0, "cannot read %s", png);
	cr_assert_eq(s.w, A4_WIDTH_PX);
	cr_assert_lt(s.last_ink_row, (long)s.h - 1,
		     "%s is longer than the %d px screenshot: raise TALL_PX", page, TALL_PX);
	cr_assert_eq(s.strip_ink, 0,
		     "%s spills over the right edge of a %d px window (first at row %ld): %llu "
		     "pixels in the last %d columns",
		     page, A4_WIDTH_PX, s.first_strip_row, (unsigned long long)s.strip_ink,
		     RIGHT_STRIP_PX);
	free(png);
}

static void check_prints_on_a4(const char *page, const char *name, int min_pages)
{
	char *pdf = run_dir(name);
	int pages, a4;
	cr_assert_eq(render(page, "--no-pdf-header-footer --print-to-pdf", pdf, 1240, 1754), 0);
	pdf_pages(pdf, &pages, &a4);
	cr_assert_geq(pages, min_pages, "%s printed on %d pages", page, pages);
	cr_assert_eq(a4, pages, "%d of %d pages are A4", a4, pages);
	free(pdf);
}

Test(browser, report_html_renders_fits_and_prints, .init = setup, .fini = teardown)
{
	if (!chromium)
		cr_skip_test("chromium is not installed (apt-get install chromium): the browser "
			     "test of report.html and compare.html is skipped");
	char *out = run_dir("solve"), *args = NULL, *page = NULL;
	cr_assert(asprintf(&args, "solve -q -o %s", out) > 0);
	porcupine(args);
	cr_assert(asprintf(&page, "%s/report.html", out) > 0);

	/* the first screen, as a reader opens it */
	char *png = run_dir("first.png");
	struct png_stats s;
	cr_assert_eq(render(page, "--screenshot", png, 1240, 1754), 0);
	cr_assert_eq(png_scan(png, &s), 0);
	cr_assert(s.w == 1240 && s.h == 1754, "%ux%u", s.w, s.h);
	uint64_t all = (uint64_t)s.w * s.h;
	cr_assert_gt(s.nonwhite, all / 50, "the page is blank: %llu of %llu pixels drawn",
		     (unsigned long long)s.nonwhite, (unsigned long long)all);
	cr_assert_geq(s.ncolours, 64, "only %zu colours: text and charts did not render",
		      s.ncolours);
	cr_assert_gt(s.palette0, 2000, "no chart on the first screen: %llu pixels of #332288",
		     (unsigned long long)s.palette0);
	free(png);

	check_fits(page, "narrow.png");
	check_prints_on_a4(page, "report.pdf", 2);
	free(out);
	free(args);
	free(page);
}

Test(browser, compare_html_renders_fits_and_prints, .init = setup, .fini = teardown)
{
	if (!chromium)
		cr_skip_test("chromium is not installed (apt-get install chromium): the browser "
			     "test of report.html and compare.html is skipped");
	char *a = run_dir("a"), *b = run_dir("b"), *o = run_dir("cmp"), *args = NULL, *page = NULL;
	cr_assert(asprintf(&args, "solve -q -o %s", a) > 0);
	porcupine(args);
	free(args);
	cr_assert(asprintf(&args, "solve %s/no-us-backing.yaml -q -o %s", PLANS, b) > 0);
	porcupine(args);
	free(args);
	cr_assert(asprintf(&args, "compare %s %s -q -o %s", a, b, o) > 0);
	porcupine(args);
	cr_assert(asprintf(&page, "%s/compare.html", o) > 0);

	char *png = run_dir("cmp-first.png");
	struct png_stats s;
	cr_assert_eq(render(page, "--screenshot", png, 1240, 1754), 0);
	cr_assert_eq(png_scan(png, &s), 0);
	cr_assert_gt(s.nonwhite, (uint64_t)s.w * s.h / 50, "compare.html is blank");
	cr_assert_gt(s.palette0, 2000, "no side-by-side charts on the first screen");
	free(png);

	check_fits(page, "cmp-narrow.png");
	check_prints_on_a4(page, "compare.pdf", 1);
	free(a);
	free(b);
	free(o);
	free(args);
	free(page);
}
