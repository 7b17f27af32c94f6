/*
** spiffsimg_util.c: the spiffsimg CLI's shared parts: one-line messages,
** loading and atomically saving images, the output-is-an-input check,
** sizes, directory walks and storing host files with an all-or-nothing
** space check.
** Spec: docs/spiffs.md §1.12 (names), §1.17 (capacity), §4 traps 1, 9, 10.
** Twin: none. May call: the SPIFFS library, lfs_file, lfs_diag, libc.
*/
#include "spiffsimg/spiffsimg.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lfs/lfs_diag.h"
#include "lfs/lfs_file.h"

static void vmsg(const char *file, const char *kind, const char *fmt,
                 va_list ap)
{
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    if (file)
        fprintf(stderr, "spiffsimg: %s: %s%s\n", file, kind, msg);
    else
        fprintf(stderr, "spiffsimg: %s%s\n", kind, msg);
}

void spiffsimg_err(const char *file, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg(file, "", fmt, ap);
    va_end(ap);
}

__attribute__((format(printf, 2, 3)))
static void warn_file(const char *file, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg(file, "warning: ", fmt, ap);
    va_end(ap);
}

int spiffsimg_check_output(const char *out, const char *in)
{
    lfs_diag_t d;
    char line[1200];
    lfs_diag_init(&d, out);
    if (lfs_file_check_output(out, in, &d) == 0)
        return 0;
    lfs_diag_format(&d, "spiffsimg", line, sizeof line);
    fprintf(stderr, "%s\n", line);
    return SPIFFSIMG_BAD_INPUT;
}

void spiffsimg_lib_err(const char *file, int err, const char *what)
{
    spiffsimg_err(file, "%s: %s", what, spiffs_strerror(err));
}

/* ---- images ---------------------------------------------------------- */

int spiffsimg_load(spiffsimg_image_t *im, const char *path,
                   uint32_t block_size, int force)
{
    lfs_diag_t d;
    size_t len;
    char line[1200];
    memset(im, 0, sizeof *im);
    im->path = path;
    lfs_diag_init(&d, path);
    if (lfs_file_read(path, SPIFFSIMG_MAX_IMAGE, &im->buf, &len, &d) < 0) {
        lfs_diag_format(&d, "spiffsimg", line, sizeof line);
        fprintf(stderr, "%s\n", line);
        return SPIFFSIMG_BAD_INPUT;
    }
    im->size = (uint32_t)len;
    if (len < SPIFFS_MIN_FS_SIZE || len % SPIFFS_BLOCK_SMALL != 0) {
        spiffsimg_err(path, "%zu bytes is not a SPIFFS image size (a"
                      " multiple of the %u-byte block size, at least %u);"
                      " give the whole image", len, SPIFFS_BLOCK_SMALL,
                      SPIFFS_MIN_FS_SIZE);
        return SPIFFSIMG_BAD_INPUT;
    }
    spiffs_ram_config(&im->ram, im->buf, im->size, SPIFFS_RAM_NOR,
                      block_size, &im->cfg);
    if (block_size == 0) {
        if (spiffs_detect_block_size(&im->cfg, &block_size) < 0) {
            spiffsimg_err(path, "not a SPIFFS image: no block has the"
                          " SPIFFS magic for 8192- or 4096-byte blocks;"
                          " check the file name and offset");
            return SPIFFSIMG_BAD_INPUT;
        }
        im->cfg.block_size = block_size;
    }
    if (im->size % block_size != 0) {
        spiffsimg_err(path, "%u bytes is not a multiple of the %u-byte block"
                      " size; give the whole image or another -b",
                      im->size, block_size);
        return SPIFFSIMG_BAD_INPUT;
    }
    int r = force ? spiffs_mount_force(&im->fs, &im->cfg)
                  : spiffs_mount(&im->fs, &im->cfg, 0);
    if (r == SPIFFS_ENOTFS) {
        spiffsimg_err(path, "not a SPIFFS image with %u-byte blocks: two or"
                      " more blocks lack the magic; run spiffsimg fsck on"
                      " it", block_size);
        return SPIFFSIMG_BAD_INPUT;
    }
    if (r < 0) {
        spiffsimg_lib_err(path, r, "cannot mount");
        return SPIFFSIMG_BAD_INPUT;
    }
    return 0;
}

int spiffsimg_new(spiffsimg_image_t *im, const char *path, uint32_t size,
                  uint32_t block_size)
{
    memset(im, 0, sizeof *im);
    im->path = path;
    if (block_size == 0)
        block_size = spiffs_fw_block_size(size);
    if (size < SPIFFS_MIN_FS_SIZE || size > SPIFFS_MAX_FS_SIZE ||
        size % block_size != 0 || size / block_size < 4) {
        spiffsimg_err(path, "image size %u is not a multiple of the %u-byte"
                      " block size between %u and %u bytes with 4 blocks"
                      " or more; use a size like %u", size, block_size,
                      SPIFFS_MIN_FS_SIZE, SPIFFS_MAX_FS_SIZE,
                      size < 4 * block_size ? 4 * block_size :
                      size / block_size * block_size);
        return SPIFFSIMG_USAGE;
    }
    im->buf = malloc(size);
    if (!im->buf) {
        spiffsimg_err(path, "out of memory");
        return SPIFFSIMG_BAD_INPUT;
    }
    im->size = size;
    memset(im->buf, 0xFF, size);
    spiffs_ram_config(&im->ram, im->buf, size, SPIFFS_RAM_NOR, block_size,
                      &im->cfg);
    int r = spiffs_format(&im->cfg);
    if (r == 0)
        r = spiffs_mount(&im->fs, &im->cfg, 0);
    if (r < 0) {
        spiffsimg_lib_err(path, r, "cannot format");
        return SPIFFSIMG_BAD_INPUT;
    }
    return 0;
}

int spiffsimg_save(spiffsimg_image_t *im)
{
    lfs_diag_t d;
    char line[1200];
    lfs_diag_init(&d, im->path);
    if (lfs_file_write(im->path, im->buf, im->size, &d) < 0) {
        lfs_diag_format(&d, "spiffsimg", line, sizeof line);
        fprintf(stderr, "%s\n", line);
        return SPIFFSIMG_BAD_INPUT;
    }
    return 0;
}

void spiffsimg_free(spiffsimg_image_t *im)
{
    free(im->buf);
    im->buf = NULL;
}

/* ---- sizes ----------------------------------------------------------- */

int spiffsimg_parse_size(const char *s, uint32_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (end == s || errno != 0 || *s == '-')
        return -1;
    if (*end == 'k' || *end == 'K') {
        v *= 1024;
        end++;
    } else if (*end == 'm' || *end == 'M') {
        v *= 1024 * 1024;
        end++;
    }
    if (*end != 0 || v > 0xFFFFFFFFull)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

/* Smallest image that holds `pages` live pages under the firmware rule. */
static uint32_t min_size(uint64_t pages)
{
    uint64_t n8 = (pages + 30) / 31 + SPIFFS_RESERVE_BLOCKS;
    uint64_t n4 = (pages + 14) / 15 + SPIFFS_RESERVE_BLOCKS;
    uint64_t s8 = (n8 < 4 ? 4 : n8) * SPIFFS_BLOCK_LARGE;
    uint64_t s4 = (n4 < 4 ? 4 : n4) * SPIFFS_BLOCK_SMALL;
    if (s4 < SPIFFS_SMALL_FS_LIMIT && s4 < s8)
        return (uint32_t)s4;
    return s8 > SPIFFS_MAX_FS_SIZE ? 0 : (uint32_t)s8;
}

/* ---- names and directory walks -------------------------------------- */

const char *spiffsimg_name_unsafe(const char *name)
{
    if (name[0] == 0)
        return "is empty";
    if (name[0] == '/')
        return "starts with '/'";
    for (const char *p = name;;) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == 0 || (n == 1 && p[0] == '.') ||
            (n == 2 && p[0] == '.' && p[1] == '.'))
            return "has an empty, '.' or '..' part";
        if (!e)
            return NULL;
        p = e + 1;
    }
}

const char *spiffsimg_name_show(const char *name, char *buf, size_t size)
{
    size_t k = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        static const char from[] = "\\\n\t\r", to[] = "\\ntr";
        const char *c = strchr(from, *p);
        char e[5];
        if (c)
            snprintf(e, sizeof e, "\\%c", to[c - from]);
        else if (*p < 0x20 || *p == 0x7f)
            snprintf(e, sizeof e, "\\x%02x", *p);
        else
            snprintf(e, sizeof e, "%c", *p);
        size_t n = strlen(e);
        if (k + n >= size)
            break;
        memcpy(buf + k, e, n);
        k += n;
    }
    buf[k] = 0;
    return buf;
}

int spiffsimg_name_bad(const char *file, const char *name)
{
    char shown[SPIFFSIMG_SHOW_SIZE];
    const char *why = spiffsimg_name_unsafe(name);
    size_t n = strlen(name);
    spiffsimg_name_show(name, shown, sizeof shown);
    if (n == 0) {
        spiffsimg_err(file, "empty file name; give a name");
        return 1;
    }
    if (why && name[0] == '/') {
        spiffsimg_err(file, "name \"%s\" %s, which NodeMCU cannot open;"
                      " give the name without it", shown, why);
        return 1;
    }
    if (why) {
        spiffsimg_err(file, "name \"%s\" %s, which extract could not"
                      " write back as a host path; give the path without"
                      " such parts", shown, why);
        return 1;
    }
    if (n > SPIFFS_NAME_MAX) {
        spiffsimg_err(file, "name \"%s\" is %zu bytes, longer than %u;"
                      " shorten the path", shown, n, SPIFFS_NAME_MAX);
        return 1;
    }
    return 0;
}

static char *join(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    char *s = malloc(na + nb + 2);
    if (!s)
        return NULL;
    memcpy(s, a, na);
    s[na] = '/';
    memcpy(s + na + 1, b, nb + 1);
    if (na == 0)
        memmove(s, s + 1, nb + 1);
    return s;
}

static int push(spiffsimg_list_t *l, const char *name, const char *path,
                uint64_t size)
{
    if (l->n == l->cap) {
        size_t nc = l->cap ? 2 * l->cap : 64;
        spiffsimg_entry_t *nv = realloc(l->v, nc * sizeof *nv);
        if (!nv)
            return -1;
        l->v = nv;
        l->cap = nc;
    }
    l->v[l->n].name = strdup(name);
    l->v[l->n].path = strdup(path);
    l->v[l->n].size = size;
    if (!l->v[l->n].name || !l->v[l->n].path)
        return -1;
    l->n++;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk(spiffsimg_list_t *l, const char *path, const char *name,
                int depth)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        if (lstat(path, &st) == 0) {
            warn_file(path, "broken symbolic link; skipped");
            return 0;
        }
        spiffsimg_err(path, "cannot read: %s", strerror(errno));
        return SPIFFSIMG_BAD_INPUT;
    }
    if (S_ISREG(st.st_mode)) {
        if (spiffsimg_name_bad(path, name))
            return SPIFFSIMG_BAD_INPUT;
        if (push(l, name, path, (uint64_t)st.st_size) < 0) {
            spiffsimg_err(path, "out of memory");
            return SPIFFSIMG_BAD_INPUT;
        }
        return 0;
    }
    if (!S_ISDIR(st.st_mode)) {
        warn_file(path, "not a regular file; skipped");
        return 0;
    }
    if (depth > 32) {
        warn_file(path, "directories nested too deep; skipped");
        return 0;
    }
    DIR *d = opendir(path);
    if (!d) {
        spiffsimg_err(path, "cannot read directory: %s", strerror(errno));
        return SPIFFSIMG_BAD_INPUT;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    int rc = 0;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 32;
            char **nn = realloc(names, cap * sizeof *nn);
            if (!nn) {
                rc = SPIFFSIMG_BAD_INPUT;
                break;
            }
            names = nn;
        }
        if (!(names[n] = strdup(de->d_name))) {
            rc = SPIFFSIMG_BAD_INPUT;
            break;
        }
        n++;
    }
    closedir(d);
    if (rc)
        spiffsimg_err(path, "out of memory");
    if (n > 0)
        qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n && rc == 0; i++) {
        char *p = join(path, names[i]), *nm = join(name, names[i]);
        if (!p || !nm) {
            spiffsimg_err(path, "out of memory");
            rc = SPIFFSIMG_BAD_INPUT;
        } else {
            rc = walk(l, p, nm, depth + 1);
        }
        free(p);
        free(nm);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

int spiffsimg_collect(spiffsimg_list_t *l, const char *root,
                      const char *rel)
{
    while (rel[0] == '.' && rel[1] == '/')
        rel += 2;
    if (strcmp(rel, ".") == 0)
        rel = "";
    if (rel[0] == '/') {
        spiffsimg_err(rel, "absolute path: names would start with '/',"
                      " which NodeMCU cannot open; give a path relative"
                      " to -C DIR");
        return SPIFFSIMG_BAD_INPUT;
    }
    char *path = rel[0] ? join(root, rel) : strdup(root);
    if (!path) {
        spiffsimg_err(rel, "out of memory");
        return SPIFFSIMG_BAD_INPUT;
    }
    /* strip trailing slashes of the name part */
    char *nm = strdup(rel);
    size_t k = nm ? strlen(nm) : 0;
    while (k > 0 && nm[k - 1] == '/')
        nm[--k] = 0;
    int rc = nm ? walk(l, path, nm, 0) : SPIFFSIMG_BAD_INPUT;
    free(nm);
    free(path);
    return rc;
}

void spiffsimg_list_free(spiffsimg_list_t *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].name);
        free(l->v[i].path);
    }
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* ---- storing ---------------------------------------------------------- */

int spiffsimg_store(spiffsimg_image_t *im, spiffsimg_list_t *l)
{
    spiffs_usage_t u;
    uint64_t need = 0, freed = 0;
    int r;
    for (size_t i = 0; i < l->n; i++)
        if (spiffsimg_check_output(im->path, l->v[i].path))
            return SPIFFSIMG_BAD_INPUT;
    for (size_t i = 0; i < l->n; i++) {
        for (size_t j = 0; j < i; j++) {
            if (strcmp(l->v[i].name, l->v[j].name) == 0) {
                spiffsimg_err(l->v[i].path, "name \"%s\" given twice (also"
                              " %s); give each name once", l->v[i].name,
                              l->v[j].path);
                return SPIFFSIMG_BAD_INPUT;
            }
        }
        spiffs_stat_t st;
        if (spiffs_stat(&im->fs, l->v[i].name, &st) == 0)
            freed += spiffs_file_pages(st.size);
        need += spiffs_file_pages(l->v[i].size);
    }
    if ((r = spiffs_usage(&im->fs, &u)) < 0) {
        spiffsimg_lib_err(im->path, r, "cannot read");
        return SPIFFSIMG_BAD_INPUT;
    }
    uint64_t avail = u.limit_pages - (u.live_pages - freed);
    if (u.live_pages - freed > u.limit_pages)
        avail = 0;
    if (need > avail) {
        uint32_t min = min_size(u.live_pages - freed + need);
        const char *what = l->n == 1 ? l->v[0].path : "the files";
        char hint[96];
        if (min)
            snprintf(hint, sizeof hint, "use an image of %u bytes or more",
                     min);
        else
            snprintf(hint, sizeof hint, "leave some files out");
        spiffsimg_err(im->path, "%s do%s not fit: %llu bytes needed (%llu"
                      " pages of 256), %llu available (2 blocks stay free"
                      " for the firmware); %s", what, l->n == 1 ? "es" : "",
                      (unsigned long long)need * SPIFFS_PAGE_SIZE,
                      (unsigned long long)need,
                      (unsigned long long)avail * SPIFFS_PAGE_SIZE, hint);
        return SPIFFSIMG_BAD_INPUT;
    }
    for (size_t i = 0; i < l->n; i++) {
        lfs_diag_t d;
        uint8_t *data;
        size_t len;
        char line[1200];
        lfs_diag_init(&d, l->v[i].path);
        if (lfs_file_read(l->v[i].path, SPIFFS_MAX_FS_SIZE, &data, &len,
                          &d) < 0) {
            lfs_diag_format(&d, "spiffsimg", line, sizeof line);
            fprintf(stderr, "%s\n", line);
            return SPIFFSIMG_BAD_INPUT;
        }
        /* The image is written all or nothing, so no power cut can part
        ** the versions: the old one goes first and a replacement needs no
        ** room for both (spiffs_write_file keeps both until it is done,
        ** docs/spiffs.md §5.4), as the space check above counts. */
        r = spiffs_remove(&im->fs, l->v[i].name);
        if (r == 0 || r == SPIFFS_ENOENT)
            r = spiffs_write_file(&im->fs, l->v[i].name, data, len);
        free(data);
        if (r < 0) {
            spiffsimg_err(l->v[i].path, "cannot store as \"%s\": %s%s",
                          l->v[i].name, spiffs_strerror(r),
                          r == SPIFFS_ENOSPC ? "; use a larger image" : "");
            return SPIFFSIMG_BAD_INPUT;
        }
    }
    return 0;
}
