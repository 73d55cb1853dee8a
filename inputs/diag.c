/* diag.c - located diagnostics: recorded, sorted, and printed jq/gcc-style with a caret. */
#include "alloc.h"
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
	d = pc_strdup(s);
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
	s = pc_malloc((size_t)n + 1);
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
		struct diag *nv = pc_realloc(dl->v, na * sizeof(*nv));

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
		struct diag_source *ns = pc_realloc(dl->sources, (dl->nsources + 1) * sizeof(*ns));
		char *name = pc_strdup(file);

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
	char *copy = pc_malloc(len + 1);

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
	/* within a file, what has no line (a count of problems not shown, say) comes last, so
	 * that the first line printed always points somewhere */
	if (a->line != b->line) {
		if (!a->line || !b->line)
			return a->line ? -1 : 1;
		return a->line < b->line ? -1 : 1;
	}
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

/* The code point of the valid k-byte UTF-8 sequence at s. */
static unsigned utf8_code(const unsigned char *s, size_t k)
{
	static const unsigned char lead[] = {0, 0x7f, 0x1f, 0x0f, 0x07};
	unsigned cp = s[0] & lead[k];
	size_t i;

	for (i = 1; i < k; i++)
		cp = cp << 6 | (s[i] & 0x3f);
	return cp;
}

/* Characters a terminal would act on or that reorder or hide text: C0 and C1 controls,
 * DEL, the bidirectional marks, embeddings, overrides and isolates (the "Trojan Source"
 * characters), line and paragraph separators, and the zero-width no-break space. */
static int unsafe_code(unsigned cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x61c || cp == 0x200e ||
	       cp == 0x200f || (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	       cp == 0xfeff;
}

/* Write bytes [from, to) of a line, replacing unsafe characters (tabs excepted) and
 * invalid UTF-8 by '?', one per column so that the caret stays in place. */
static void put_clean(FILE *out, const unsigned char *s, size_t from, size_t to)
{
	size_t i = from;

	while (i < to) {
		size_t k = diag_utf8_len(s + i, to - i);

		if (k == 0) {
			fputc('?', out);
			i++;
		} else if (s[i] != '\t' && unsafe_code(utf8_code(s + i, k))) {
			fputc('?', out);
			i += k;
		} else {
			fwrite(s + i, 1, k, out);
			i += k;
		}
	}
}

/* Write a file name or message, which may quote the plan's text: unsafe characters become
 * escapes (\n, \x1b, \u202e) so that one diagnostic stays one line and the terminal shows
 * what the file holds. */
static void put_escaped(FILE *out, const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t n = strlen(text), i = 0;

	while (i < n) {
		size_t k = diag_utf8_len(s + i, n - i);
		unsigned cp = k ? utf8_code(s + i, k) : 0;

		if (k == 0) {
			fprintf(out, "\\x%02x", s[i]);
			i++;
			continue;
		}
		if (!unsafe_code(cp)) {
			fwrite(s + i, 1, k, out);
		} else if (cp == '\n') {
			fputs("\\n", out);
		} else if (cp == '\t') {
			fputs("\\t", out);
		} else if (cp == '\r') {
			fputs("\\r", out);
		} else if (cp < 0x80) {
			fprintf(out, "\\x%02x", cp);
		} else {
			fprintf(out, "\\u%04x", cp);
		}
		i += k;
	}
}

/* Where the reading of one source stopped, so that sorted diagnostics scan it once: many
 * diagnostics on one long line must not rescan it (nor the columns before each caret). */
struct diag_cursor {
	int line;
	size_t off;
	size_t len; /* bytes of line `line`, once known (has_len) */
	int has_len;
	int col;      /* the last caret's column on this line (0: none yet) */
	size_t caret; /* and its byte offset */
};

/* Find line `line` (1-based) of src; sets *start and *len, returns 0 when past the end. */
static int find_line(const struct diag_source *src, struct diag_cursor *cur, int line,
		     size_t *start, size_t *len)
{
	const char *t = src->text;
	size_t i, n = src->len;

	if (cur->line == line && cur->has_len) {
		*start = cur->off;
		*len = cur->len;
		return 1;
	}
	if (cur->line < 1 || cur->line > line) {
		cur->line = 1;
		cur->off = 0;
	}
	cur->has_len = 0;
	cur->col = 0;
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
	cur->len = *len;
	cur->has_len = 1;
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
		c = 1;
		if (cur->col > 0 && cur->col <= d->col) {
			c = cur->col;
			caret = cur->caret;
		}
		for (; c < d->col && caret < len; c++)
			caret += char_len(s + caret, len - caret);
		cur->col = c;
		cur->caret = caret;
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

static int print_to(const struct diag_list *dl, FILE *out, int color)
{
	struct diag_cursor *cursors = NULL;
	size_t i, j, nerr = 0, nwarn = 0;
	int lost = dl->oom;

	if (dl->nsources) {
		cursors = pc_calloc(dl->nsources, sizeof(*cursors));
		lost |= !cursors;
	}
	for (i = 0; i < dl->n; i++) {
		const struct diag *d = &dl->v[i];

		if (d->severity == DIAG_ERROR)
			nerr++;
		else if (d->severity == DIAG_WARNING)
			nwarn++;
		if (color)
			fputs("\033[1m", out);
		if (d->file) {
			put_escaped(out, d->file);
			if (d->line > 0)
				fprintf(out, ":%d", d->line);
			if (d->col > 0)
				fprintf(out, ":%d", d->col);
			fputs(": ", out);
		}
		if (color)
			fprintf(out, "\033[0m%s%s:\033[0m ", severity_color(d->severity),
				severity_name(d->severity));
		else
			fprintf(out, "%s: ", severity_name(d->severity));
		put_escaped(out, d->message);
		fputc('\n', out);
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
	return lost ? -1 : 0;
}

/* stderr has no buffer: written piece by piece, 500 diagnostics with their excerpts cost
 * hundreds of thousands of system calls.  They are put together in memory first. */
int diag_print(const struct diag_list *dl, FILE *out, int color)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	int rc;

	if (!mem)
		return print_to(dl, out, color);
	rc = print_to(dl, mem, color);
	if (fclose(mem) != 0) {
		free(buf);
		return print_to(dl, out, color);
	}
	fwrite(buf, 1, len, out);
	free(buf);
	return rc;
}
