/* afile.c - atomic output files (temporary file in the same directory, fsync, rename) and
 * `mkdir -p`. */
#define _GNU_SOURCE /* fopencookie, for the fault-injection hook */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "alloc.h"
#include "afile.h"

/* Distinguishes temporary files of one process (threads may write reports concurrently). */
static atomic_uint tmp_counter;

/* How many names to try before giving up on EEXIST (a crashed run may leave some behind). */
#define AFILE_TRIES 100

/* ---- test hook: PORCUPINE_AFILE_FAIL=K fails the K-th failure point (see afile.h) ---- */

static atomic_long fault_points;

/* Is the hook set?  Read at each afile_open: cheap, and a test may run several commands. */
static int fault_armed(void)
{
	const char *e = getenv("PORCUPINE_AFILE_FAIL");
	return e && *e >= '1' && *e <= '9';
}

/* One failure point passed: 1 (errno = ENOSPC) when it is the one to fail. */
static int fault_here(void)
{
	const char *e = getenv("PORCUPINE_AFILE_FAIL");
	char *end;
	long k;

	if (!e || !*e)
		return 0;
	k = strtol(e, &end, 10);
	if (*end || k <= 0 || atomic_fetch_add(&fault_points, 1) + 1 != k)
		return 0;
	errno = ENOSPC;
	return 1;
}

/* The stream of an afile while the hook is armed: every write(2) is a failure point. */
static ssize_t fault_write(void *cookie, const char *buf, size_t n)
{
	if (fault_here())
		return -1;
	return write(*(int *)cookie, buf, n);
}

static int fault_close(void *cookie)
{
	int rc = close(*(int *)cookie);
	free(cookie);
	return rc;
}

/* fdopen(fd, "w"), or the hook's stream over fd.  NULL with errno set (fd stays open). */
static FILE *stream_on(int fd)
{
	cookie_io_functions_t io = {.write = fault_write, .close = fault_close};
	int *c;
	FILE *f;

	if (!fault_armed())
		return fdopen(fd, "w");
	c = pc_malloc(sizeof(*c));
	if (!c)
		return NULL;
	*c = fd;
	f = fopencookie(c, "w", io);
	if (!f) {
		free(c);
		return NULL;
	}
	/* the buffer of a real file (st_blksize), so that writes fail where they would */
	setvbuf(f, NULL, _IOFBF, 4096);
	return f;
}

static char *dup_range(const char *s, size_t n)
{
	char *d = pc_malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/* The directory part of path ("." when there is none) into buf; 0, or -1 when it does not
 * fit.  No allocation: it runs after the rename, when failing is no longer an option. */
static int dir_of(char *buf, size_t size, const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t n = !slash ? 1 : slash == path ? 1 : (size_t)(slash - path);
	if (n >= size)
		return -1;
	memcpy(buf, !slash ? "." : slash == path ? "/" : path, n);
	buf[n] = '\0';
	return 0;
}

static void release(struct afile *af)
{
	free(af->path);
	free(af->tmp);
	memset(af, 0, sizeof(*af));
}

/* A device or FIFO at path: write it in place (renaming over it would replace the node). */
static int open_in_place(struct afile *af, const char *path)
{
	int fd, e;

	af->path = dup_range(path, strlen(path));
	if (!af->path)
		return -1;
	if (fault_here())
		goto fail;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		goto fail;
	af->f = stream_on(fd);
	if (!af->f) {
		e = errno;
		close(fd);
		errno = e;
		goto fail;
	}
	af->fd = fd;
	return 0;
fail:
	e = errno;
	release(af);
	errno = e;
	return -1;
}

int afile_open(struct afile *af, const char *path)
{
	const char *slash, *base;
	size_t dirlen;
	struct stat st;
	char *real = NULL;
	int fd = -1, e;

	memset(af, 0, sizeof(*af));
	if (stat(path, &st) == 0 &&
	    (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) || S_ISFIFO(st.st_mode)))
		return open_in_place(af, path);
	/* A symbolic link to a file: replace the file, keep the link. */
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) && (real = realpath(path, NULL)))
		path = real;
	slash = strrchr(path, '/');
	dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	base = path + dirlen;
	if (!*base) {
		free(real);
		errno = EISDIR;
		return -1;
	}
	af->path = real ? real : dup_range(path, strlen(path));
	if (!af->path)
		goto fail;
	if (fault_here())
		goto fail;
	for (int k = 0; k < AFILE_TRIES; k++) {
		unsigned n = atomic_fetch_add(&tmp_counter, 1u);
		int len = snprintf(NULL, 0, "%.*s.%s.tmp.%ld.%u", (int)dirlen, path, base,
				   (long)getpid(), n);
		free(af->tmp);
		af->tmp = len < 0 ? NULL : pc_malloc((size_t)len + 1);
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
	af->f = stream_on(fd);
	if (!af->f) {
		e = errno;
		close(fd);
		unlink(af->tmp);
		errno = e;
		goto fail;
	}
	af->fd = fd;
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
	errno = 0;
	if (fflush(af->f) != 0 || ferror(af->f))
		/* a write that failed earlier is retried by the flush, which usually tells why
		 * (ENOSPC, EFBIG); EIO when it does not */
		e = errno ? errno : EIO;
	if (!e && fault_here())
		e = errno;
	/* a device or a pipe written in place may not support fsync: nothing to make durable */
	if (!e && fsync(af->fd) != 0 && !(!af->tmp && (errno == EINVAL || errno == EROFS)))
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
	char dir[PATH_MAX];
	int fd;

	if (!af->path) {
		errno = EBADF;
		return -1;
	}
	if (afile_finish(af) != 0) {
		afile_abort(af);
		return -1;
	}
	if (!af->tmp) { /* written in place */
		release(af);
		return 0;
	}
	if (fault_here() || rename(af->tmp, af->path) != 0) {
		afile_abort(af);
		return -1;
	}
	/* Make the rename itself durable.  Best effort: some file systems refuse to fsync a
	 * directory, and the new file is complete either way. */
	if (dir_of(dir, sizeof(dir), af->path) == 0) {
		fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0) {
			(void)fsync(fd);
			close(fd);
		}
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
