/* run.c - runs the porcupine binary for end-to-end tests and captures what it prints. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run.h"

char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap + 1);
	size_t got;
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			char *nb = realloc(buf, 2 * cap + 1);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	fclose(f);
	if (!buf)
		return NULL;
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

char *make_tmpdir(void)
{
	char tmpl[] = "/tmp/porcupine-test-XXXXXX";
	char *d = mkdtemp(tmpl);
	return d ? strdup(d) : NULL;
}

int run_porcupine(struct run_result *r, const char *args)
{
	char *dir = make_tmpdir();
	char *cmd = NULL, *outp = NULL, *errp = NULL;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	if (!dir)
		return -1;
	if (asprintf(&outp, "%s/stdout", dir) < 0 || asprintf(&errp, "%s/stderr", dir) < 0)
		goto done;
	if (asprintf(&cmd, "%s/porcupine %s >%s 2>%s </dev/null", PORCUPINE_BINARY_DIR, args,
		     outp, errp) < 0)
		goto done;
	int st = system(cmd);
	r->status = (st != -1 && WIFEXITED(st)) ? WEXITSTATUS(st) : -1;
	r->out = slurp(outp, NULL);
	r->err = slurp(errp, NULL);
	if (!r->out)
		r->out = strdup("");
	if (!r->err)
		r->err = strdup("");
	rc = 0;
done:
	if (outp)
		unlink(outp);
	if (errp)
		unlink(errp);
	rmdir(dir);
	free(outp);
	free(errp);
	free(cmd);
	free(dir);
	return rc;
}

void run_result_release(struct run_result *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}
