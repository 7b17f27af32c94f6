/*
** lfs_diag.h: error codes and the one diagnostic record every host library
** fills instead of printing (docs/architecture.md §6.1).
** Twin: none. May call: libc. Linked into every host tool.
*/
#ifndef LFS_DIAG_H
#define LFS_DIAG_H

#include <stddef.h>

/* Negative error codes; 0 is success (littlefs style). */
enum lfs_error {
    LFS_OK      = 0,
    LFS_EFORMAT = -1,   /* bad input: not the format, corrupt, truncated */
    LFS_ENOMEM  = -2,   /* allocation failed */
    LFS_ELIMIT  = -3,   /* well-formed input beyond a limit of the target */
    LFS_EIO     = -4,   /* a file could not be read or written */
    LFS_EUSAGE  = -5    /* the caller asked for something impossible */
};

/* What went wrong, where, and what to do. The first failure wins. */
typedef struct lfs_diag {
    const char *file;   /* input name shown to the user (not owned), or NULL */
    long offset;        /* byte offset in the input, or -1 */
    int line;           /* source line, or 0 */
    int code;           /* enum lfs_error of the first failure, or 0 */
    char msg[512];      /* "what is wrong; what to do" */
} lfs_diag_t;

void lfs_diag_init(lfs_diag_t *d, const char *file);
/* Record a failure at a byte offset (-1: none); returns code. */
int lfs_fail(lfs_diag_t *d, long offset, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Record a failure at a source line; returns code. */
int lfs_fail_line(lfs_diag_t *d, int line, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* "prog: file: byte 0x14: msg", "prog: file:12: msg" or "prog: file: msg". */
void lfs_diag_format(const lfs_diag_t *d, const char *prog, char *out,
                     size_t n);

#endif
