/*
** flashimg_util.c: the command line's shared voice: one-line errors and
** usage messages, diagnostics, whole-file input, the output-is-an-input
** check, the flash size and layout options.
** Spec: docs/architecture.md §6.1. Twin: none.
** May call: esphdr, ptab, lfs_cli, lfs_file, lfs_diag, libc.
*/
#include "flashimg/flashimg_util.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lfs/lfs_file.h"

int flashimg_usage(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = lfs_cli_vusage(FLASHIMG_PROG, fmt, ap);
    va_end(ap);
    return rc;
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

int flashimg_check_output(const char *out, const char *in)
{
    lfs_diag_t d;
    lfs_diag_init(&d, out);
    if (in && lfs_file_check_output(out, in, &d))
        return flashimg_report(&d);
    return 0;
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

int flashimg_flash_size(const char *opt, const char *v, uint32_t min,
                        uint32_t *out)
{
    if (!v)
        return 0;
    if (flashimg_parse_num(v, out) < 0 || esphdr_code_for_size(*out) < 0)
        return flashimg_usage("%s %s: give 1M, 2M, 4M, 8M or 16M", opt, v);
    if (*out < min)
        return flashimg_usage("%s %s: NodeMCU needs at least 1 MiB of"
                              " flash", opt, v);
    return 0;
}

int flashimg_read_flash(const char *path, const char *fsz,
                        uint32_t *flash_size, uint8_t **data, size_t *n)
{
    *flash_size = 0;
    if (flashimg_flash_size("--flash-size", fsz, 0, flash_size))
        return FLASHIMG_USAGE;
    if (flashimg_read_file(path, FLASHIMG_MAX_INPUT, data, n))
        return FLASHIMG_BAD_INPUT;
    return 0;
}

int flashimg_take_layout(const lfs_cli_opt_t *o, const char *word,
                         const char *v)
{
    int all = o->arg & FLASHIMG_TAKE_ALL, tool = o->arg & FLASHIMG_TAKE_TOOL;
    const char *opt = tool ? word : o->name;
    uint32_t *out = o->dst;
    if (all && (strcmp(v, "all") == 0 || strcmp(v, "-1") == 0)) {
        *out = PTAB_ALL;
        return 0;
    }
    if (flashimg_parse_num(v, out) < 0)
        return flashimg_usage("%s %s: not a number (0x80000, 512K, 1M%s)",
                              opt, v, !all ? "" : tool ? ", -1" : ", all");
    if (*out % PTAB_SECTOR)
        return flashimg_usage("%s %s: not a multiple of 4 KiB (0x1000)%s",
                              opt, v, tool ? "; NodeMCU would stop with"
                              " \"Partition N invalid alignment\"" : "");
    return 0;
}
