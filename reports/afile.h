/* afile.h - atomic output files: write a temporary file next to the target, then rename it
 * over the target, so that readers see either the previous complete file or the new one.
 *
 * Targets that are not files: a character or block device or a FIFO at the path (-o
 * /dev/stdout, a named pipe) is written in place, since renaming over it would replace the
 * device node with a regular file; what was written before a failure cannot be taken back
 * there.  A symbolic link to a regular file is followed: the file it names is replaced and
 * the link stays.
 *
 * Test hook: with PORCUPINE_AFILE_FAIL=K in the environment, the K-th failure point of the
 * process (1-based, counted across all afiles, from every thread) fails with ENOSPC, once.
 * The failure points, in the order they occur for one file: creating the temporary file,
 * every write(2) of its stream (4096-byte buffer), the fsync in afile_finish, the rename in
 * afile_commit.  A test walks K = 1, 2, ... until the command succeeds (tests/cli/
 * test_writefail.c).  Unset (the normal case) it costs a few getenv calls per file. */
#ifndef PORCUPINE_AFILE_H
#define PORCUPINE_AFILE_H

#include <stdio.h>

/* One file being written.  Fill it with afile_open, write through ->f, then either
 * afile_commit or afile_abort (exactly one of them; both free what afile_open allocated). */
struct afile {
	FILE *f;    /* the temporary file; write with stdio */
	char *path; /* final path (owned copy; the file a symbolic link names) */
	char *tmp;  /* temporary path in the same directory (owned); NULL when the target is a
		     * device or FIFO written in place.  A writer that needs a file name (say,
		     * libxlsxwriter) may write the content there by name instead of through f */
	int fd;	    /* f's descriptor, valid while f is open */
	int closed; /* afile_finish has run */
	int failed; /* a step failed: commit will refuse */
};

#define AFILE_INIT                                                                                 \
	{                                                                                          \
		0                                                                                  \
	}

/* Create a new temporary file for `path` in path's directory, named
 * ".<base>.tmp.<pid>.<n>", created exclusively with mode 0666 minus the umask (or open a
 * device or FIFO at path for writing, see above).  0, or -1 with errno set (af is then
 * empty and needs no abort). */
int afile_open(struct afile *af, const char *path);

/* Flush, fsync and close the temporary file, without renaming it yet; lets a writer of
 * several files make sure all are complete before any replaces its predecessor.
 * 0, or -1 with errno set (the file is then closed and marked failed).  Idempotent. */
int afile_finish(struct afile *af);

/* afile_finish if not done, then rename the temporary file over the final path and fsync the
 * directory.  On any failure (including an earlier write error seen by ferror) the temporary
 * file is removed, the previous file at `path` is untouched, and -1 is returned with errno
 * set.  af is released either way. */
int afile_commit(struct afile *af);

/* Close and remove the temporary file; the previous file at `path` is untouched.  Accepts an
 * af that was never opened or was already released.  Keeps errno. */
void afile_abort(struct afile *af);

/* Create directory `dir` and any missing parents (mode 0777 minus the umask), like
 * `mkdir -p`.  0 (also when it exists), or -1 with errno set (ENOTDIR when a component is a
 * file). */
int afile_mkdirs(const char *dir);

#endif
