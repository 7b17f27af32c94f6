/*
** lfs_file.h: whole-file input and all-or-nothing output for every host
** tool: read a file or stdin ("-") into memory with a size cap; write
** through a temporary file in the same folder, then rename, so a failed
** run never leaves a partial output. "-" writes to stdout.
** Twin: none. May call: lfs_diag, libc.
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
/* Write atomically (temporary file + rename); "-" = stdout. */
int lfs_file_write(const char *path, const void *data, size_t len,
                   lfs_diag_t *d);

#endif
