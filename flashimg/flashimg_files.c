/*
** flashimg_files.c: the files of a flash image's SPIFFS in one step:
** `ls` lists them, `put` stores host files (replacing same-named ones),
** `rm` removes them. The file system is the one the firmware mounts: the
** SPIFFS0 partition's region and block size (docs/spiffs.md §1.18); an
** erased partition is formatted first by put, as the firmware formats it
** at the first mount. put and rm write the image back in place, whole and
** atomically (a temporary file renamed over it).
** Spec: docs/spiffs.md §1.18, §1.12 (names); docs/flash-layout.md §3.
** Twin: none. May call: flashimg (flash_map, spiffs helpers), the SPIFFS
** library, lfs_cli, lfs_file, libc.
*/
#include "flashimg/flashimg_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lfs/lfs_file.h"

/* A flash image opened with its file system. */
typedef struct files {
    const char *path;
    uint8_t *data;          /* the image, grown to cover the FS region  */
    size_t n;
    uint32_t fs_addr, fs_size, fs_len;  /* region; size found (0 erased) */
    spiffs_ram_t ram;
    spiffs_config_t cfg;
    spiffs_t fs;
} files_t;

/* Read the image, find the FS region; mount it (format it if erased and
** format is set). 0, or an exit code with the message printed. */
static int files_open(files_t *f, const char *path, const char *fsz,
                      int format)
{
    memset(f, 0, sizeof *f);
    f->path = path;
    uint32_t flash_size;
    int rc = flashimg_read_flash(path, fsz, &flash_size, &f->data, &f->n);
    if (rc)
        return rc;
    flash_map_t m;
    lfs_diag_t d;
    lfs_diag_init(&d, path);
    if (flash_map_open(&m, f->data, f->n, flash_size, &d))
        return flashimg_report(&d);
    const ptab_item_t *sp = flash_map_part(&m, PTAB_SPIFFS0);
    if (!sp)
        return flashimg_err(path, "no SPIFFS0 partition in the partition"
                            " table; add one (flashimg partition -ss)");
    if (spiffs_fw_region(sp->addr, sp->size, &f->fs_addr, &f->fs_size) < 0)
        return flashimg_err(path, "SPIFFS0 0x%x+0x%x is too small for a"
                            " file system; enlarge it (flashimg partition"
                            " -ss)", sp->addr, sp->size);
    size_t end = (size_t)f->fs_addr + f->fs_size;
    if (end > m.flash_size)
        return flashimg_err(path, "the file system 0x%x+0x%x runs past the"
                            " 0x%x-byte flash", f->fs_addr, f->fs_size,
                            m.flash_size);
    size_t avail = f->n > f->fs_addr ? f->n - f->fs_addr : 0;
    if (flashimg_spiffs_extent(f->data + f->fs_addr, avail, f->fs_size,
                               &f->fs_len, &d))
        return flashimg_report(&d);
    if (f->n < end) {               /* a trimmed image: the rest is erased */
        uint8_t *g = realloc(f->data, end);
        if (!g)
            return flashimg_err(path, "out of memory");
        memset(g + f->n, 0xFF, end - f->n);
        f->data = g;
        f->n = end;
    }
    uint32_t size = f->fs_len ? f->fs_len : f->fs_size;
    spiffs_ram_config(&f->ram, f->data + f->fs_addr, size, SPIFFS_RAM_NOR,
                      0, &f->cfg);
    int r = 0;
    if (!f->fs_len) {
        if (!format)
            return 0;                 /* erased: nothing to list or remove */
        r = spiffs_format(&f->cfg);
        f->fs_len = size;
    }
    if (r == 0)
        r = spiffs_mount(&f->fs, &f->cfg, 0);
    if (r < 0)
        return flashimg_err(path, "the file system at 0x%x does not mount:"
                            " %s; the firmware would reformat it",
                            f->fs_addr, spiffs_strerror(r));
    return 0;
}

static int files_save(files_t *f)
{
    lfs_diag_t d;
    lfs_diag_init(&d, f->path);
    return lfs_file_write(f->path, f->data, f->n, &d) ? flashimg_report(&d)
                                                     : 0;
}

static int list_cb(void *ctx, const spiffs_stat_t *st)
{
    (void)ctx;
    printf("%-31s %9u\n", st->name, st->size);
    return 0;
}

int flashimg_cmd_ls(int argc, char **argv)
{
    const char *fsz = NULL;
    const lfs_cli_opt_t opt[] = {
        { "--flash-size", NULL, &fsz, NULL, 0 },
    };
    lfs_cli_args_t a = {
        .prog = FLASHIMG_PROG, .cmd = "ls",
        .opt = opt, .nopt = sizeof opt / sizeof opt[0],
        .min = 1, .max = 1, .needs = "ls needs a FLASH image",
        .excess = "ls takes one FLASH image",
    };
    files_t f = { 0 };
    int rc = lfs_cli_parse(&a, argc, argv);
    if (!rc && !(rc = files_open(&f, a.arg[0], fsz, 0)) && f.fs_len) {
        int r = spiffs_list(&f.fs, list_cb, NULL);
        if (r < 0)
            rc = flashimg_err(f.path, "cannot list the file system: %s",
                              spiffs_strerror(r));
    }
    free(f.data);
    return rc;
}

int flashimg_cmd_put(int argc, char **argv)
{
    const char *fsz = NULL, *dir = ".";
    const lfs_cli_opt_t opt[] = {
        { "--directory", "-C", &dir, NULL, 0 },
        { "--flash-size", NULL, &fsz, NULL, 0 },
    };
    lfs_cli_args_t a = {
        .prog = FLASHIMG_PROG, .cmd = "put",
        .opt = opt, .nopt = sizeof opt / sizeof opt[0],
        .leading = 1, .min = 2, .max = -1,
        .needs = "put needs a FLASH image and at least one PATH",
    };
    files_t f = { 0 };
    int rc = lfs_cli_parse(&a, argc, argv);
    if (rc)
        return rc;
    if ((rc = files_open(&f, a.arg[0], fsz, 1)) == 0) {
        lfs_buf_t report;
        lfs_diag_t d;
        lfs_buf_init(&report);
        lfs_diag_init(&d, f.path);
        for (int i = 1; i < a.narg && !rc; i++)
            if (flashimg_spiffs_put(&f.fs, dir, a.arg[i], &report, &d))
                rc = flashimg_report(&d);
        if (!rc && !(rc = files_save(&f)))
            fwrite(report.data, 1, report.len, stdout);
        lfs_buf_free(&report);
    }
    free(f.data);
    return rc;
}

int flashimg_cmd_rm(int argc, char **argv)
{
    const char *fsz = NULL;
    const lfs_cli_opt_t opt[] = {
        { "--flash-size", NULL, &fsz, NULL, 0 },
    };
    lfs_cli_args_t a = {
        .prog = FLASHIMG_PROG, .cmd = "rm",
        .opt = opt, .nopt = sizeof opt / sizeof opt[0],
        .leading = 1, .min = 2, .max = -1,
        .needs = "rm needs a FLASH image and at least one NAME",
    };
    files_t f = { 0 };
    int rc = lfs_cli_parse(&a, argc, argv);
    if (rc)
        return rc;
    if ((rc = files_open(&f, a.arg[0], fsz, 0)) == 0) {
        for (int i = 1; i < a.narg && !rc; i++) {
            int r = f.fs_len ? spiffs_remove(&f.fs, a.arg[i])
                             : SPIFFS_ENOENT;
            if (r == SPIFFS_ENOENT)
                rc = flashimg_err(f.path, "no file \"%s\" in its SPIFFS; see"
                                  " flashimg ls", a.arg[i]);
            else if (r < 0)
                rc = flashimg_err(f.path, "cannot remove \"%s\": %s",
                                  a.arg[i], spiffs_strerror(r));
        }
        if (!rc)
            rc = files_save(&f);
    }
    free(f.data);
    return rc;
}
