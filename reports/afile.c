/* afile.c - atomic output files (temporary file in the same directory, fsync, rename) and
 * `mkdir -p`. */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "afile.h"

/* Distinguishes temporary files of one process (threads may write reports concurrently). */
static atomic_uint tmp_counter;

/* How many names to try before giving up on EEXIST (a crashed run may leave some behind). */
#define AFILE_TRIES 100

static char *dup_range(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/* The directory part of path ("." when there is none), malloc'd. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return dup_range(".", 1);
	if (slash == path)
		return dup_range("/", 1);
	return dup_range(path, (size_t)(slash - path));
}

static void release(struct afile *af)
{
	free(af->path);
	free(af->tmp);
	memset(af, 0, sizeof(*af));
}

int afile_open(struct afile *af, const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	const char *base = path + dirlen;
	int fd = -1, e;

	memset(af, 0, sizeof(*af));
	if (!*base) {
		errno = EISDIR;
		return -1;
	}
	af->path = dup_range(path, strlen(path));
	if (!af->path)
		goto fail;
	for (int k = 0; k < AFILE_TRIES; k++) {
		unsigned n = atomic_fetch_add(&tmp_counter, 1u);
		int len = snprintf(NULL, 0, "%.*s.%s.tmp.%ld.%u", (int)dirlen, path, base,
				   (long)getpid(), n);
		free(af->tmp);
		af->tmp = len < 0 ? NULL : malloc((size_t)len + 1);
		if (!af->tmp)
			goto fail;
		snprintf(af->tmp, (size_t)len + 1, "%.*s.%s.tmp.%ld.%u", (int)dirlen, path, base,
			 (long)getpid(), n);
		fd = open(af->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	if (fd < 0)
		goto fail;
	af->f = fdopen(fd, "w");
	if (!af->f) {
		e = errno;
		close(fd);
		unlink(af->tmp);
		errno = e;
		goto fail;
	}
	return 0;
fail:
	e = errno;
	release(af);
	errno = e;
	return -1;
}

int afile_finish(struct afile *af)
{
	int e = 0;

	if (af->closed)
		return af->failed ? -1 : 0;
	af->closed = 1;
	if (!af->f) {
		af->failed = 1;
		errno = EBADF;
		return -1;
	}
	if (ferror(af->f))
		e = EIO;
	if (fflush(af->f) != 0 && !e)
		e = errno ? errno : EIO;
	if (!e && fsync(fileno(af->f)) != 0)
		e = errno;
	if (fclose(af->f) != 0 && !e)
		e = errno ? errno : EIO;
	af->f = NULL;
	if (e) {
		af->failed = 1;
		errno = e;
		return -1;
	}
	return 0;
}

void afile_abort(struct afile *af)
{
	int e = errno;

	if (af->f)
		fclose(af->f);
	af->f = NULL;
	if (af->tmp)
		unlink(af->tmp);
	release(af);
	errno = e;
}

int afile_commit(struct afile *af)
{
	char *dir;
	int fd;

	if (!af->path) {
		errno = EBADF;
		return -1;
	}
	if (afile_finish(af) != 0 || rename(af->tmp, af->path) != 0) {
		afile_abort(af);
		return -1;
	}
	/* Make the rename itself durable.  Best effort: some file systems refuse to fsync a
	 * directory, and the new file is complete either way. */
	dir = dir_of(af->path);
	if (dir) {
		fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0) {
			(void)fsync(fd);
			close(fd);
		}
		free(dir);
	}
	release(af);
	return 0;
}

int afile_mkdirs(const char *dir)
{
	struct stat st;
	char *p;
	size_t n = strlen(dir);

	if (n == 0) {
		errno = ENOENT;
		return -1;
	}
	p = dup_range(dir, n);
	if (!p)
		return -1;
	/* Create each prefix ending before a '/', then the whole path. */
	for (size_t i = 1; i <= n; i++) {
		if (i < n && p[i] != '/')
			continue;
		if (i < n && p[i - 1] == '/')
			continue; /* "a//b" */
		char c = p[i];
		p[i] = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST) {
			int e = errno;
			free(p);
			errno = e;
			return -1;
		}
		p[i] = c;
	}
	free(p);
	if (stat(dir, &st) != 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}
