/*
** flashimg_util.c: the command line's shared voice: one-line errors and
** usage messages, diagnostics, whole-file input, option matching.
** Spec: style.md "Errors in host tools". Twin: none.
** May call: lfs_file, lfs_diag, libc.
*/
#include "flashimg/flashimg_util.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lfs/lfs_file.h"

int flashimg_usage(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", FLASHIMG_PROG);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "; see %s --help\n", FLASHIMG_PROG);
    return FLASHIMG_USAGE;
}

int flashimg_err(const char *file, const char *fmt, ...)
{
    va_list ap;
    if (file)
        fprintf(stderr, "%s: %s: ", FLASHIMG_PROG, file);
    else
        fprintf(stderr, "%s: ", FLASHIMG_PROG);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return FLASHIMG_BAD_INPUT;
}

int flashimg_report(const lfs_diag_t *d)
{
    char line[1200];
    lfs_diag_format(d, FLASHIMG_PROG, line, sizeof line);
    if (d->code == LFS_EUSAGE)
        return flashimg_usage("%s", line + strlen(FLASHIMG_PROG) + 2);
    fprintf(stderr, "%s\n", line);
    return FLASHIMG_BAD_INPUT;
}

int flashimg_read_file(const char *path, size_t max, uint8_t **data,
                       size_t *len)
{
    lfs_diag_t d;
    lfs_diag_init(&d, path);
    if (lfs_file_read(path, max, data, len, &d))
        return flashimg_report(&d);
    return 0;
}

int flashimg_opt(int argc, char **argv, int *i, const char *name,
                 const char *alias, const char **val)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n) == 0 && a[n] == '=') {
        *val = a + n + 1;
        return 1;
    }
    if (strcmp(a, name) != 0 && !(alias && strcmp(a, alias) == 0))
        return 0;
    if (*i + 1 >= argc) {
        flashimg_usage("%s needs a value", a);
        return -1;
    }
    *val = argv[++*i];
    return 1;
}
