/* diag.c - located diagnostics: recorded, sorted, and printed jq/gcc-style with a caret. */
#include "diag.h"

#include <stdlib.h>
#include <string.h>

/* Widest part of a source line shown, in bytes; longer lines are cut around the caret. */
#define DIAG_SHOW_MAX 160

struct diag_source {
	char *file;
	char *text;
	size_t len;
};

void diag_list_init(struct diag_list *dl)
{
	memset(dl, 0, sizeof(*dl));
}

void diag_list_release(struct diag_list *dl)
{
	size_t i;

	if (!dl)
		return;
	for (i = 0; i < dl->n; i++) {
		free(dl->v[i].file);
		free(dl->v[i].path);
		free(dl->v[i].message);
	}
	free(dl->v);
	for (i = 0; i < dl->nsources; i++) {
		free(dl->sources[i].file);
		free(dl->sources[i].text);
	}
	free(dl->sources);
	memset(dl, 0, sizeof(*dl));
}

static char *dup_or_null(const char *s, int *failed)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		*failed = 1;
	return d;
}

static char *vformat(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
static char *vformat(const char *fmt, va_list ap)
{
	va_list ap2;
	int n;
	char *s;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return NULL;
	s = malloc((size_t)n + 1);
	if (s)
		vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

void diag_vadd(struct diag_list *dl, enum diag_severity sev, const char *file, int line, int col,
	       const char *path, const char *fmt, va_list ap)
{
	struct diag d;
	int failed = 0;

	if (sev == DIAG_ERROR)
		dl->nerrors++;
	if (dl->n == dl->alloc) {
		size_t na = dl->alloc ? dl->alloc * 2 : 16;
		struct diag *nv = realloc(dl->v, na * sizeof(*nv));

		if (!nv) {
			dl->oom = 1;
			return;
		}
		dl->v = nv;
		dl->alloc = na;
	}
	d.severity = sev;
	d.line = line > 0 ? line : 0;
	d.col = d.line > 0 && col > 0 ? col : 0;
	d.seq = (unsigned)dl->n;
	d.file = dup_or_null(file, &failed);
	d.path = dup_or_null(path, &failed);
	d.message = vformat(fmt, ap);
	if (failed || !d.message) {
		free(d.file);
		free(d.path);
		free(d.message);
		dl->oom = 1;
		return;
	}
	dl->v[dl->n++] = d;
}

void diag_add(struct diag_list *dl, enum diag_severity sev, const char *file, int line, int col,
	      const char *path, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(dl, sev, file, line, col, path, fmt, ap);
	va_end(ap);
}

void diag_take_source(struct diag_list *dl, const char *file, char *text, size_t len)
{
	struct diag_source *s = NULL;
	size_t i;

	for (i = 0; i < dl->nsources; i++)
		if (strcmp(dl->sources[i].file, file) == 0)
			s = &dl->sources[i];
	if (!text) {
		dl->oom = 1;
		return;
	}
	if (!s) {
		struct diag_source *ns = realloc(dl->sources, (dl->nsources + 1) * sizeof(*ns));
		char *name = strdup(file);

		if (!ns || !name) {
			if (ns)
				dl->sources = ns;
			free(name);
			free(text);
			dl->oom = 1;
			return;
		}
		dl->sources = ns;
		s = &dl->sources[dl->nsources++];
		s->file = name;
		s->text = NULL;
	}
	free(s->text);
	s->text = text;
	s->len = len;
}

void diag_add_source(struct diag_list *dl, const char *file, const char *text, size_t len)
{
	char *copy = malloc(len + 1);

	if (copy) {
		memcpy(copy, text, len);
		copy[len] = '\0';
	}
	diag_take_source(dl, file, copy, len);
}

static int diag_cmp(const void *pa, const void *pb)
{
	const struct diag *a = pa, *b = pb;
	int c;

	if (a->file != b->file) {
		if (!a->file || !b->file)
			return a->file ? 1 : -1;
		c = strcmp(a->file, b->file);
		if (c)
			return c;
	}
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void diag_sort(struct diag_list *dl)
{
	if (dl->n > 1)
		qsort(dl->v, dl->n, sizeof(dl->v[0]), diag_cmp);
}

size_t diag_utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

static size_t char_len(const unsigned char *s, size_t n)
{
	size_t k = diag_utf8_len(s, n);

	return k ? k : 1;
}

/* Write bytes [from, to) of a line, replacing control characters and invalid UTF-8 by '?'. */
static void put_clean(FILE *out, const unsigned char *s, size_t from, size_t to)
{
	size_t i = from;

	while (i < to) {
		size_t k = diag_utf8_len(s + i, to - i);

		if (k == 0 || (k == 1 && ((s[i] < 0x20 && s[i] != '\t') || s[i] == 0x7f))) {
			fputc('?', out);
			i++;
		} else {
			fwrite(s + i, 1, k, out);
			i += k;
		}
	}
}

/* Where the reading of one source stopped, so that sorted diagnostics scan it once. */
struct diag_cursor {
	int line;
	size_t off;
};

/* Find line `line` (1-based) of src; sets *start and *len, returns 0 when past the end. */
static int find_line(const struct diag_source *src, struct diag_cursor *cur, int line,
		     size_t *start, size_t *len)
{
	const char *t = src->text;
	size_t i, n = src->len;

	if (cur->line < 1 || cur->line > line) {
		cur->line = 1;
		cur->off = 0;
	}
	i = cur->off;
	while (cur->line < line) {
		while (i < n && t[i] != '\n' && t[i] != '\r')
			i++;
		if (i >= n)
			return 0;
		if (t[i] == '\r' && i + 1 < n && t[i + 1] == '\n')
			i++;
		i++;
		cur->line++;
		cur->off = i;
	}
	*start = i;
	while (i < n && t[i] != '\n' && t[i] != '\r')
		i++;
	*len = i - *start;
	return 1;
}

static void print_excerpt(FILE *out, const struct diag_source *src, struct diag_cursor *cur,
			  const struct diag *d, int color)
{
	const unsigned char *s;
	size_t start, len, caret = 0, from = 0, to, i;
	int c;

	if (!find_line(src, cur, d->line, &start, &len))
		return;
	s = (const unsigned char *)src->text + start;
	if (d->col > 0) {
		for (c = 1; c < d->col && caret < len; c++)
			caret += char_len(s + caret, len - caret);
	}
	to = len;
	if (len > DIAG_SHOW_MAX) {
		from = caret > DIAG_SHOW_MAX / 2 ? caret - DIAG_SHOW_MAX / 2 : 0;
		while (from > 0 && (s[from] & 0xc0) == 0x80)
			from--;
		to = from + DIAG_SHOW_MAX < len ? from + DIAG_SHOW_MAX : len;
		while (to < len && (s[to] & 0xc0) == 0x80)
			to++;
	}
	fprintf(out, "%5d | %s", d->line, from > 0 ? "..." : "");
	put_clean(out, s, from, to);
	fprintf(out, "%s\n", to < len ? "..." : "");
	if (d->col <= 0)
		return;
	fputs("      | ", out);
	if (from > 0)
		fputs("   ", out);
	for (i = from; i < caret;) {
		fputc(s[i] == '\t' ? '\t' : ' ', out);
		i += char_len(s + i, len - i);
	}
	fputs(color ? "\033[1;32m^\033[0m\n" : "^\n", out);
}

static const char *severity_name(enum diag_severity sev)
{
	switch (sev) {
	case DIAG_ERROR:
		return "error";
	case DIAG_WARNING:
		return "warning";
	case DIAG_NOTE:
		return "note";
	}
	return "error";
}

static const char *severity_color(enum diag_severity sev)
{
	switch (sev) {
	case DIAG_ERROR:
		return "\033[1;31m";
	case DIAG_WARNING:
		return "\033[1;35m";
	case DIAG_NOTE:
		return "\033[1;36m";
	}
	return "";
}

void diag_print(const struct diag_list *dl, FILE *out, int color)
{
	struct diag_cursor *cursors = NULL;
	size_t i, j, nerr = 0, nwarn = 0;

	if (dl->nsources)
		cursors = calloc(dl->nsources, sizeof(*cursors));
	for (i = 0; i < dl->n; i++) {
		const struct diag *d = &dl->v[i];

		if (d->severity == DIAG_ERROR)
			nerr++;
		else if (d->severity == DIAG_WARNING)
			nwarn++;
		if (color)
			fputs("\033[1m", out);
		if (d->file) {
			fputs(d->file, out);
			if (d->line > 0)
				fprintf(out, ":%d", d->line);
			if (d->col > 0)
				fprintf(out, ":%d", d->col);
			fputs(": ", out);
		}
		if (color)
			fprintf(out, "\033[0m%s%s:\033[0m %s\n", severity_color(d->severity),
				severity_name(d->severity), d->message);
		else
			fprintf(out, "%s: %s\n", severity_name(d->severity), d->message);
		if (!d->file || d->line <= 0 || !cursors)
			continue;
		for (j = 0; j < dl->nsources; j++) {
			if (strcmp(dl->sources[j].file, d->file) == 0) {
				print_excerpt(out, &dl->sources[j], &cursors[j], d, color);
				break;
			}
		}
	}
	free(cursors);
	if (dl->oom)
		fprintf(out, "%s: out of memory while recording diagnostics; some are missing\n",
			severity_name(DIAG_ERROR));
	if (nerr + nwarn > 1) {
		if (nerr)
			fprintf(out, "%zu error%s", nerr, nerr == 1 ? "" : "s");
		if (nerr && nwarn)
			fputs(", ", out);
		if (nwarn)
			fprintf(out, "%zu warning%s", nwarn, nwarn == 1 ? "" : "s");
		fputc('\n', out);
	}
}
