/*
** lfs_file.h: whole-file input and all-or-nothing output for every host
** tool: read a file or stdin ("-") into memory with a size cap; write a
** regular file through a temporary file in the same folder, then rename,
** so a failed run never leaves a partial output; write a FIFO or a device
** in place (a rename would replace it with a file). "-" writes to stdout.
** An output that is one of the inputs is refused, and standard output is
** checked at the end of a run.
** Spec: docs/architecture.md §6.1. Twin: none. May call: lfs_diag, libc,
** POSIX.
*/
#ifndef LFS_FILE_H
#define LFS_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "lfs/lfs_diag.h"

/* Read `path` ("-" = stdin), at most `max` bytes (larger: LFS_ELIMIT).
** On success *data is malloc'ed (free it) and *len set. */
int lfs_file_read(const char *path, size_t max, uint8_t **data, size_t *len,
                  lfs_diag_t *d);
/* Write `path`: "-" is stdout; an existing FIFO, device or other file
** that is not a regular file is opened and written in place; else a
** temporary file is written and renamed over `path`. */
int lfs_file_write(const char *path, const void *data, size_t len,
                   lfs_diag_t *d);
/* Refuse the output `out` when it is the input `in`: the same regular
** file (device and inode, so also through symbolic and hard links). "-"
** and a file that does not exist are never the same. 0, or LFS_EIO in d
** (d->file: out). */
int lfs_file_check_output(const char *out, const char *in, lfs_diag_t *d);
/* Flush stdout and tell whether all that was written to it arrived: 0,
** or LFS_EIO in d (d->file: "standard output"). At the end of a run. */
int lfs_file_flush_stdout(lfs_diag_t *d);

#endif
