/* fuzz_driver.c - runs a fuzz target over saved inputs, without libFuzzer. */
/* Linked with a fuzz target (fuzz_plan.c, fuzz_set.c) it gives a program that any compiler
 * builds: each argument is a file, or a directory whose files (and subdirectories) are run
 * in name order.  Each input is passed in a buffer of exactly its size, so a sanitizer sees
 * any read past its end.  Exit status: 0 when every input ran, 1 when an argument cannot be
 * read, 2 on bad usage; a target that finds a broken invariant aborts.
 *   fuzz_set_replay tests/fuzz/set-seeds tests/fuzz/regressions/set */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Present when a sanitizer runtime is linked in: called before it ends the process. */
void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

/* The input being run, named when the process dies on it. */
static const char *current;

static void say(const char *s)
{
	ssize_t rc = write(STDERR_FILENO, s, strlen(s));

	(void)rc;
}

static void name_current(void)
{
	if (!current)
		return;
	say("fuzz_driver: the failing input is '");
	say(current);
	say("'\n");
}

static void on_signal(int sig)
{
	name_current();
	signal(sig, SIG_DFL);
	raise(sig);
}

struct run {
	size_t inputs, bytes;
	int failed;
	int verbose;
};

static int read_all(const char *path, uint8_t **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL, *nb;
	size_t n = 0, alloc = 0, got;

	if (!f)
		return -1;
	for (;;) {
		if (n == alloc) {
			alloc = alloc ? alloc * 2 : 4096;
			nb = realloc(buf, alloc);
			if (!nb) {
				free(buf);
				fclose(f);
				errno = ENOMEM;
				return -1;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, alloc - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		errno = EIO;
		return -1;
	}
	fclose(f);
	/* a copy of exactly n bytes (malloc(0) may give NULL: use 1 byte then) */
	nb = malloc(n ? n : 1);
	if (!nb) {
		free(buf);
		errno = ENOMEM;
		return -1;
	}
	if (n)
		memcpy(nb, buf, n);
	free(buf);
	*out = nb;
	*len = n;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void run_path(struct run *r, const char *path, int depth);

static void run_dir(struct run *r, const char *path, int depth)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char **names = NULL, **nn;
	size_t n = 0, alloc = 0, i;

	if (!d) {
		fprintf(stderr, "fuzz_driver: cannot open '%s': %s\n", path, strerror(errno));
		r->failed = 1;
		return;
	}
	while ((e = readdir(d))) {
		size_t len;
		char *full;

		if (e->d_name[0] == '.')
			continue; /* ".", ".." and hidden files such as editor leftovers */
		if (n == alloc) {
			alloc = alloc ? alloc * 2 : 64;
			nn = realloc(names, alloc * sizeof(*names));
			if (!nn)
				break;
			names = nn;
		}
		len = strlen(path) + strlen(e->d_name) + 2;
		full = malloc(len);
		if (!full)
			break;
		snprintf(full, len, "%s/%s", path, e->d_name);
		names[n++] = full;
	}
	if (e) {
		fprintf(stderr, "fuzz_driver: out of memory listing '%s'\n", path);
		r->failed = 1;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), by_name);
	for (i = 0; i < n; i++) {
		run_path(r, names[i], depth + 1);
		free(names[i]);
	}
	free(names);
}

static void run_path(struct run *r, const char *path, int depth)
{
	struct stat st;
	uint8_t *data;
	size_t len;

	if (stat(path, &st) != 0) {
		fprintf(stderr, "fuzz_driver: cannot read '%s': %s\n", path, strerror(errno));
		r->failed = 1;
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		if (depth > 16) {
			fprintf(stderr, "fuzz_driver: '%s' is nested too deep\n", path);
			r->failed = 1;
			return;
		}
		run_dir(r, path, depth);
		return;
	}
	if (read_all(path, &data, &len) != 0) {
		fprintf(stderr, "fuzz_driver: cannot read '%s': %s\n", path, strerror(errno));
		r->failed = 1;
		return;
	}
	if (r->verbose)
		fprintf(stderr, "fuzz_driver: %s (%zu bytes)\n", path, len);
	current = path;
	LLVMFuzzerTestOneInput(data, len);
	current = NULL;
	free(data);
	r->inputs++;
	r->bytes += len;
}

int main(int argc, char **argv)
{
	struct run r = {0};
	int i = 1;

	if (i < argc && strcmp(argv[i], "-v") == 0) {
		r.verbose = 1;
		i++;
	}
	if (i >= argc) {
		fprintf(stderr,
			"usage: %s [-v] FILE|DIR...\n"
			"Runs the fuzz target once on each file (directories: every "
			"file below, in name order).\n",
			argv[0]);
		return 2;
	}
	if (__sanitizer_set_death_callback)
		__sanitizer_set_death_callback(name_current);
	signal(SIGABRT, on_signal);
	signal(SIGSEGV, on_signal);
	signal(SIGBUS, on_signal);
	signal(SIGFPE, on_signal);
	for (; i < argc; i++)
		run_path(&r, argv[i], 0);
	printf("%s: ran %zu inputs (%zu bytes)%s\n", argv[0], r.inputs, r.bytes,
	       r.failed ? ", some paths could not be read" : "");
	return r.failed ? 1 : 0;
}
