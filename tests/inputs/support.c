/* support.c - helpers shared by the inputs tests: loading plans and capturing diagnostics. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

char *diag_text(const struct diag_list *dl)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	diag_print(dl, f, 0);
	fclose(f);
	return buf;
}

static struct loaded finish(int rc, struct plan *p, struct diag_list *dl)
{
	struct loaded l;
	size_t i;

	l.rc = rc;
	l.plan = p;
	l.out = diag_text(dl);
	l.nerrors = dl->nerrors;
	l.nwarnings = 0;
	for (i = 0; i < dl->n; i++)
		if (dl->v[i].severity == DIAG_WARNING)
			l.nwarnings++;
	diag_list_release(dl);
	return l;
}

struct loaded load_file(const char *path)
{
	struct diag_list dl = DIAG_LIST_INIT;
	struct plan *p = NULL;
	int rc = plan_load_file(&p, path, &dl);

	return finish(rc, p, &dl);
}

struct loaded load_text(const char *name, const char *text)
{
	struct diag_list dl = DIAG_LIST_INIT;
	struct plan *p = NULL;
	int rc = plan_load_mem(&p, name, NULL, text, strlen(text), &dl);

	return finish(rc, p, &dl);
}

void loaded_release(struct loaded *l)
{
	plan_free(l->plan);
	free(l->out);
	l->plan = NULL;
	l->out = NULL;
}

char *first_line(const char *s)
{
	size_t n = strcspn(s, "\n");
	char *d = malloc(n + 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, got;

	if (!f)
		return NULL;
	do {
		if (n + 4096 + 1 > cap) {
			char *nb = realloc(buf, cap = (cap + 4096) * 2);

			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, 4096, f);
		n += got;
	} while (got > 0);
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

int spit(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (!f)
		return -1;
	ok = fwrite(data, 1, len, f) == len;
	return fclose(f) == 0 && ok ? 0 : -1;
}

double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}
