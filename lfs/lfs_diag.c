/*
** lfs_diag.c: fills and formats lfs_diag_t records (see lfs_diag.h).
** May call: libc.
*/
#include "lfs/lfs_diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void lfs_diag_init(lfs_diag_t *d, const char *file)
{
    memset(d, 0, sizeof *d);
    d->file = file;
    d->offset = -1;
}

static int vfail(lfs_diag_t *d, long offset, int line, int code,
                 const char *fmt, va_list ap)
{
    if (d->code != 0)
        return code;
    d->code = code;
    d->offset = offset;
    d->line = line;
    vsnprintf(d->msg, sizeof d->msg, fmt, ap);
    return code;
}

int lfs_fail(lfs_diag_t *d, long offset, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(d, offset, 0, code, fmt, ap);
    va_end(ap);
    return code;
}

int lfs_fail_line(lfs_diag_t *d, int line, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(d, -1, line, code, fmt, ap);
    va_end(ap);
    return code;
}

void lfs_diag_format(const lfs_diag_t *d, const char *prog, char *out,
                     size_t n)
{
    char where[64] = "";
    if (d->line > 0)
        snprintf(where, sizeof where, ":%d", d->line);
    else if (d->offset >= 0)
        snprintf(where, sizeof where, ": byte 0x%lx", d->offset);
    if (d->file)
        snprintf(out, n, "%s: %s%s: %s", prog, d->file, where, d->msg);
    else
        snprintf(out, n, "%s: %s", prog, d->msg);
}
