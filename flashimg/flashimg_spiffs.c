/*
** flashimg_spiffs.c: SPIFFS partitions of a flash image. Build a file
** system from a directory at the partition's real size with the block
** size the firmware will use, check a prebuilt image against the
** partition, and find, list and describe the file system in a flash
** image (read-only, also on a dump shorter than the flash); put host
** files into a mounted one (flashimg put).
** Spec: docs/spiffs.md §1.18 (mount: region, block size, probe), §1.17
** (capacity), §1.12 (names); docs/flash-layout.md §5 step 5. Twin: none.
** May call: the SPIFFS library, lfs_file, lfs_buf, lfs_diag, libc.
*/
#include "flashimg/flashimg.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lfs/lfs_file.h"
#include "spiffs/spiffs.h"

/* ---- directory walk ---------------------------------------------------- */

typedef struct entry {
    char *name;             /* name in the file system (relative path) */
    char *path;             /* host path */
    uint64_t size;
} entry_t;

typedef struct entries {
    entry_t *v;
    size_t n, cap;
} entries_t;

static void entries_free(entries_t *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].name);
        free(l->v[i].path);
    }
    free(l->v);
    memset(l, 0, sizeof *l);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s%s%s", a, *a && *b ? "/" : "", b);
    return s;
}

/* Walk root/rel in name order, adding regular files. */
static int walk(entries_t *l, const char *root, const char *rel, int depth,
                lfs_diag_t *d)
{
    char *dirpath = join(root, rel);
    if (!dirpath)
        return lfs_fail(d, -1, LFS_ENOMEM, "out of memory");
    if (depth > 32) {
        lfs_fail(d, -1, LFS_ELIMIT, "%s: directories nested deeper than"
                 " 32", dirpath);
        free(dirpath);
        return d->code;
    }
    DIR *dir = opendir(dirpath);
    if (!dir) {
        lfs_fail(d, -1, LFS_EIO, "%s: cannot open the directory", dirpath);
        free(dirpath);
        return d->code;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(dir)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 32;
            char **nn = realloc(names, cap * sizeof *nn);
            if (!nn) {
                rc = lfs_fail(d, -1, LFS_ENOMEM, "out of memory");
                break;
            }
            names = nn;
        }
        if (!(names[n] = strdup(e->d_name))) {
            rc = lfs_fail(d, -1, LFS_ENOMEM, "out of memory");
            break;
        }
        n++;
    }
    closedir(dir);
    if (!rc)
        qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n && !rc; i++) {
        char *r = join(rel, names[i]);
        char *path = r ? join(root, r) : NULL;
        struct stat st;
        if (!r || !path) {
            rc = lfs_fail(d, -1, LFS_ENOMEM, "out of memory");
        } else if (stat(path, &st) != 0) {
            /* a broken link: nothing to store */
        } else if (S_ISDIR(st.st_mode)) {
            rc = walk(l, root, r, depth + 1, d);
        } else if (S_ISREG(st.st_mode)) {
            if (spiffs_name_check(r) != 0) {
                rc = lfs_fail(d, -1, LFS_EFORMAT, "%s: its name \"%s\" has"
                              " %zu bytes; SPIFFS names have at most 31",
                              path, r, strlen(r));
            } else if (l->n == l->cap) {
                size_t nc = l->cap ? 2 * l->cap : 64;
                entry_t *nv = realloc(l->v, nc * sizeof *nv);
                if (!nv)
                    rc = lfs_fail(d, -1, LFS_ENOMEM, "out of memory");
                else
                    l->v = nv, l->cap = nc;
            }
            if (!rc) {
                l->v[l->n].name = r;
                l->v[l->n].path = path;
                l->v[l->n].size = (uint64_t)st.st_size;
                l->n++;
                r = path = NULL;
            }
        }
        free(r);
        free(path);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(dirpath);
    return rc;
}

/* Store every entry of l in fs (replacing same-named files); nospc is
** added to the message of a full file system; with report, one "put NAME
** (N bytes)" line per file. */
static int store(spiffs_t *fs, const entries_t *l, const char *nospc,
                 lfs_buf_t *report, lfs_diag_t *d)
{
    for (size_t i = 0; i < l->n; i++) {
        uint8_t *data;
        size_t n;
        lfs_diag_t fd;
        lfs_diag_init(&fd, NULL);
        if (lfs_file_read(l->v[i].path, SPIFFS_MAX_FS_SIZE, &data, &n, &fd))
            return lfs_fail(d, -1, fd.code, "%s: %s", l->v[i].path, fd.msg);
        int r = spiffs_write_file(fs, l->v[i].name, data, n);
        free(data);
        if (r < 0)
            return lfs_fail(d, -1, r == SPIFFS_ENOSPC ? LFS_ELIMIT
                            : LFS_EFORMAT, "%s: cannot store it in SPIFFS:"
                            " %s%s", l->v[i].path, spiffs_strerror(r),
                            r == SPIFFS_ENOSPC ? nospc : "");
        if (report) {
            char b[160];
            int k = snprintf(b, sizeof b, "put %s (%zu bytes)\n",
                             l->v[i].name, n);
            lfs_buf_put(report, b, (size_t)k);
        }
    }
    return 0;
}

int flashimg_spiffs_build(const char *dir, const char *out, uint8_t *buf,
                          uint32_t fs_size, lfs_diag_t *d)
{
    entries_t l = { 0 };
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return lfs_fail(d, -1, LFS_EIO, "%s: not a directory; give the"
                        " directory whose files go into SPIFFS", dir);
    if (walk(&l, dir, "", 0, d)) {
        entries_free(&l);
        return d->code;
    }
    for (size_t i = 0; i < l.n; i++) {
        lfs_diag_t od;
        lfs_diag_init(&od, out);
        if (lfs_file_check_output(out, l.v[i].path, &od)) {
            entries_free(&l);
            return lfs_fail(d, -1, od.code, "%s: %s", out, od.msg);
        }
    }
    spiffs_ram_t ram;
    spiffs_config_t cfg;
    spiffs_t fs;
    memset(buf, 0xFF, fs_size);
    spiffs_ram_config(&ram, buf, fs_size, SPIFFS_RAM_COPY, 0, &cfg);
    int r = spiffs_format(&cfg);
    if (r == 0)
        r = spiffs_mount(&fs, &cfg, 0);
    if (r < 0) {
        entries_free(&l);
        return lfs_fail(d, -1, LFS_EFORMAT, "cannot format a %u-byte SPIFFS:"
                        " %s", fs_size, spiffs_strerror(r));
    }
    uint64_t pages = 0, bytes = 0;
    for (size_t i = 0; i < l.n; i++) {
        pages += spiffs_file_pages(l.v[i].size);
        bytes += l.v[i].size;
    }
    uint64_t limit = (uint64_t)(fs.nblocks - SPIFFS_RESERVE_BLOCKS) * fs.epb;
    if (pages > limit) {
        size_t nfiles = l.n;
        entries_free(&l);
        return lfs_fail(d, -1, LFS_ELIMIT, "%s: %zu files of %llu bytes need"
                        " %llu pages of 256 bytes, but the %u-byte file"
                        " system holds %llu; enlarge the SPIFFS partition"
                        " (--spiffs-size)", dir, nfiles,
                        (unsigned long long)bytes,
                        (unsigned long long)pages, fs_size,
                        (unsigned long long)limit);
    }
    int rc = store(&fs, &l, "", NULL, d);
    entries_free(&l);
    return rc;
}

/* ---- put: files into a mounted file system ------------------------------ */

int flashimg_spiffs_put(spiffs_t *fs, const char *root, const char *rel,
                        lfs_buf_t *report, lfs_diag_t *d)
{
    entries_t l = { 0 };
    char *path = join(root, rel);
    struct stat st;
    int rc = 0;
    if (!path)
        return lfs_fail(d, -1, LFS_ENOMEM, "out of memory");
    if (rel[0] == '/' || strcmp(rel, "..") == 0 || strncmp(rel, "../", 3) == 0
        || strstr(rel, "/../") || (strlen(rel) >= 3 &&
        strcmp(rel + strlen(rel) - 3, "/..") == 0))
        rc = lfs_fail(d, -1, LFS_EUSAGE, "%s: give paths inside the"
                      " directory (-C DIR), without '/' first or '..'", rel);
    else if (stat(path, &st) != 0)
        rc = lfs_fail(d, -1, LFS_EIO, "%s: cannot stat it", path);
    else if (S_ISDIR(st.st_mode))
        rc = walk(&l, root, strcmp(rel, ".") == 0 ? "" : rel, 0, d);
    else if (!S_ISREG(st.st_mode))
        rc = lfs_fail(d, -1, LFS_EIO, "%s: not a regular file or a"
                      " directory", path);
    else if (spiffs_name_check(rel) != 0)
        rc = lfs_fail(d, -1, LFS_EFORMAT, "%s: the name \"%s\" has %zu"
                      " bytes; SPIFFS names have at most 31", path, rel,
                      strlen(rel));
    else if (!(l.v = calloc(1, sizeof *l.v)) ||
             !(l.v[0].name = strdup(rel)) || !(l.v[0].path = strdup(path)))
        rc = lfs_fail(d, -1, LFS_ENOMEM, "out of memory");
    else
        l.n = l.cap = 1;
    free(path);
    if (!rc)
        rc = store(fs, &l, "; remove files (flashimg rm) or enlarge the"
                   " partition", report, d);
    entries_free(&l);
    return rc;
}

/* ---- checks, extent, description --------------------------------------- */

int flashimg_spiffs_check(const uint8_t *img, size_t n, uint32_t fs_size,
                          lfs_diag_t *d)
{
    uint32_t bs = spiffs_fw_block_size(fs_size), got = 0;
    if (n > fs_size)
        return lfs_fail(d, -1, LFS_ELIMIT, "SPIFFS image of 0x%zx bytes is"
                        " larger than the 0x%x-byte file system of the"
                        " SPIFFS partition; the firmware would reformat"
                        " it; enlarge the partition (--spiffs-size)", n,
                        fs_size);
    if (n == 0 || n % bs)
        return lfs_fail(d, -1, LFS_EFORMAT, "SPIFFS image of %zu bytes is"
                        " not a whole number of %u-byte blocks, the block"
                        " size the firmware uses for this partition;"
                        " rebuild it (--spiffs-dir, or spiffsimg build)",
                        n, bs);
    spiffs_ram_t ram;
    spiffs_config_t cfg;
    spiffs_t fs;
    spiffs_ram_config_ro(&ram, img, n, (uint32_t)n, bs, &cfg);
    if (spiffs_probe(&cfg, bs, &got) < 0 || got != n)
        return lfs_fail(d, -1, LFS_EFORMAT, "the firmware's probe (%u-byte"
                        " blocks) does not find this %zu-byte SPIFFS image"
                        " (4 KiB blocks, or not SPIFFS?); it would reformat"
                        " the partition; rebuild it (--spiffs-dir, or"
                        " spiffsimg build)", bs, n);
    int r = spiffs_mount(&fs, &cfg, 0);
    if (r < 0)
        return lfs_fail(d, -1, LFS_EFORMAT, "the SPIFFS image does not mount"
                        " as the firmware mounts it: %s; it would be"
                        " reformatted", spiffs_strerror(r));
    return 0;
}

int flashimg_spiffs_extent(const uint8_t *p, size_t avail, uint32_t fs_size,
                           uint32_t *len, lfs_diag_t *d)
{
    uint32_t bs = spiffs_fw_block_size(fs_size), got = 0;
    spiffs_ram_t ram;
    spiffs_config_t cfg;
    *len = 0;
    spiffs_ram_config_ro(&ram, p, avail, fs_size, bs, &cfg);
    uint8_t m[3][2];
    int erased = 1;
    for (uint32_t b = 0; b < 3; b++) {
        spiffs_ram_read(&ram, b * bs + SPIFFS_LU_MAGIC_OFF, m[b], 2);
        erased &= m[b][0] == 0xFF && m[b][1] == 0xFF;
    }
    if (erased)
        return 0;
    if (spiffs_probe(&cfg, bs, &got) < 0)
        return lfs_fail(d, -1, LFS_EFORMAT, "the SPIFFS partition holds no"
                        " file system the firmware finds (%u-byte blocks);"
                        " it would format it at the first mount", bs);
    if (got > fs_size)
        return lfs_fail(d, -1, LFS_EFORMAT, "the SPIFFS block magics announce"
                        " %u bytes, more than the %u-byte region; the"
                        " firmware would reformat it", got, fs_size);
    *len = got;
    return 0;
}

typedef struct lister {
    lfs_buf_t *out;
    uint32_t files;
    uint64_t bytes;
} lister_t;

static int list_cb(void *ctx, const spiffs_stat_t *st)
{
    lister_t *l = ctx;
    char b[128];
    int n = snprintf(b, sizeof b, "  %-31s %9u\n", st->name, st->size);
    lfs_buf_put(l->out, b, (size_t)n);
    l->files++;
    l->bytes += st->size;
    return 0;
}

int flashimg_spiffs_describe(const uint8_t *p, size_t avail,
                             uint32_t fs_addr, uint32_t fs_size,
                             lfs_buf_t *out, lfs_diag_t *d)
{
    char b[256];
    uint32_t bs = spiffs_fw_block_size(fs_size), len;
    snprintf(b, sizeof b, "  file system 0x%06x+0x%x, %u-byte blocks (the"
             " firmware's choice)\n", fs_addr, fs_size, bs);
    lfs_buf_put(out, b, strlen(b));
    if (avail == 0) {
        snprintf(b, sizeof b, "  not in the data, which ends before 0x%x\n",
                 fs_addr);
        lfs_buf_put(out, b, strlen(b));
        return 0;
    }
    if (avail < 3 * bs && avail < fs_size) {
        snprintf(b, sizeof b, "  only 0x%zx bytes of it in the data; read"
                 " 0x%x bytes to list it\n", avail, fs_addr + 3 * bs);
        lfs_buf_put(out, b, strlen(b));
        return 0;
    }
    if (flashimg_spiffs_extent(p, avail, fs_size, &len, d))
        return d->code;
    if (len == 0) {
        snprintf(b, sizeof b, "  empty (erased): the firmware formats it at"
                 " the first mount\n");
        lfs_buf_put(out, b, strlen(b));
        return 0;
    }
    if (len > avail) {
        snprintf(b, sizeof b, "  file system of 0x%x bytes runs past the end"
                 " of the data; read 0x%x bytes to list it\n", len,
                 fs_addr + len);
        lfs_buf_put(out, b, strlen(b));
        return 0;
    }
    spiffs_ram_t ram;
    spiffs_config_t cfg;
    spiffs_t fs;
    spiffs_ram_config_ro(&ram, p, avail, len, bs, &cfg);
    int r = spiffs_mount(&fs, &cfg, 0);
    if (r < 0)
        return lfs_fail(d, (long)fs_addr, LFS_EFORMAT, "the SPIFFS file"
                        " system does not mount as the firmware mounts it:"
                        " %s; it would be reformatted", spiffs_strerror(r));
    lister_t l = { out, 0, 0 };
    snprintf(b, sizeof b, "  %u blocks, 0x%x bytes%s\n", fs.nblocks, len,
             len < fs_size ? " (smaller than the region; the rest is"
             " unused)" : "");
    lfs_buf_put(out, b, strlen(b));
    r = spiffs_list(&fs, list_cb, &l);
    uint32_t total = 0, used = 0;
    if (r >= 0)
        r = spiffs_info(&fs, &total, &used);
    if (r < 0)
        return lfs_fail(d, (long)fs_addr, LFS_EFORMAT, "the SPIFFS file"
                        " system cannot be listed: %s", spiffs_strerror(r));
    snprintf(b, sizeof b, "  %u files, %llu bytes; Total: %u, Used: %u\n",
             l.files, (unsigned long long)l.bytes, total, used);
    lfs_buf_put(out, b, strlen(b));
    return 0;
}
