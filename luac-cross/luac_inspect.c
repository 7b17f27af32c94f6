/*
** luac_inspect.c: luac.cross's inspection modes on existing files: -l of an
** LFS image (relocatable or absolute) or a target .lc file, and --verify,
** which runs exactly the checks of node.LFS.reload's first pass
** (docs/lfs51.md §5.2) and answers OK or the firmware's own error text, then
** the full structural validation of lfs51_read and the check the loader
** runs before it writes and at boot (lfs51_check_payload).
** May call: lfs/, libc.
*/
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lfs/gz.h"
#include "lfs/lc51.h"
#include "lfs/lfs51.h"
#include "lfs/lfs51_check.h"
#include "lfs/lfs51_list.h"
#include "lfs/lfs_file.h"
#include "luac-cross/luac.h"

#define MAX_IMAGE (16u << 20)

/* Is the file an image or bytecode rather than Lua source? By its name
** (.img, .lc, .payload) or by its first bytes. */
int luac_is_binary(const char *path)
{
    static const char *const exts[] = { ".img", ".lc", ".payload" };
    size_t pl = strlen(path);
    for (size_t i = 0; i < sizeof exts / sizeof *exts; i++)
        if (pl > strlen(exts[i]) &&
            strcmp(path + pl - strlen(exts[i]), exts[i]) == 0)
            return 1;
    uint8_t b[4] = { 0 };
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t n = fread(b, 1, 4, f);
    fclose(f);
    if (n >= 2 && b[0] == GZ_ID1 && b[1] == GZ_ID2)
        return 1;
    if (n == 4 && memcmp(b, "\033Lua", 4) == 0)
        return 1;
    return n == 4 && (lfs_le32(b) & 0xFFFFF0F0u) == 0xFAFAA050u;
}

/* The first pass of node.LFS.reload: its header checks run once the first
** 2 KiB are out (or the stream ends), in the firmware's order. */
typedef struct pass1 {
    uint32_t want_sig;      /* firmware's own FLASH_SIG */
    uint32_t lfs_size;
    size_t isize;           /* the file's last 4 bytes */
    size_t got;
    uint8_t head[2048];
    int checked;
    const char *err;        /* firmware message, or NULL */
} pass1_t;

static const char *header_check(pass1_t *p)
{
    return lfs51_reload_check(p->head, (uint32_t)p->isize, p->want_sig,
                              p->lfs_size);
}

static int pass1_write(void *ctx, const uint8_t *q, size_t n)
{
    pass1_t *p = ctx;
    if (p->got < sizeof p->head) {
        size_t k = n < sizeof p->head - p->got ? n : sizeof p->head - p->got;
        memcpy(p->head + p->got, q, k);
    }
    p->got += n;
    if (!p->checked && p->got >= sizeof p->head) {
        p->checked = 1;
        if ((p->err = header_check(p)) != NULL)
            return LFS_EFORMAT;
    }
    return 0;
}

static int verify(const uint8_t *file, size_t n, luac_target_t target,
                  uint32_t lfs_size, const char *path)
{
    pass1_t p;
    memset(&p, 0, sizeof p);
    p.want_sig = target == LUAC_T51_INT ? LFS51_SIG_INT : LFS51_SIG_FLOAT;
    p.lfs_size = lfs_size;
    p.isize = n >= 4 ? lfs_le32(file + n - 4) : 0;
    gz_inflate_t *z = malloc(sizeof *z);
    lfs_diag_t d;
    lfs_diag_init(&d, path);
    if (!z) {
        fprintf(stderr, "%s: out of memory\n", LUAC_PROG);
        return 1;
    }
    gz_inflate_init_mem(z, file, n, pass1_write, &p);
    int rc = gz_inflate_run(z, 0, &d);
    free(z);
    if (!rc && !p.checked) {
        /* The stream ended before 2 KiB: the firmware checks then. */
        memset(p.head + p.got, 0, sizeof p.head - p.got);
        p.checked = 1;
        p.err = header_check(&p);
    }
    if (p.err) {
        printf("%s\n", p.err);
        fprintf(stderr, "%s: %s: the firmware would refuse this image: %s\n",
                LUAC_PROG, path, p.err);
        return 1;
    }
    if (rc) {
        /* The inflater's message starts with the firmware's text. */
        printf("%.*s\n", (int)strcspn(d.msg, ":"), d.msg);
        char line[1024];
        lfs_diag_format(&d, LUAC_PROG, line, sizeof line);
        fprintf(stderr, "%s\n", line);
        return 1;
    }
    return 0;
}

static void list_image(const lfs51_info_t *in, const lfs_proto_t *index,
                       lfs_model_t *m, int verbose, lfs_buf_t *out)
{
    time_t t = (time_t)in->timestamp;
    struct tm tm;
    char when[64] = "?";
    if (gmtime_r(&t, &tm))
        strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
    lfs_buf_printf(out, "LFS image: Lua 5.1, %s build, %s", in->integral
                   ? "integer" : "float", in->absolute ? "absolute" :
                   "relocatable");
    if (in->absolute)
        lfs_buf_printf(out, " at 0x%08" PRIx32, in->base);
    lfs_buf_printf(out, "\n  image %zu bytes, %zu relocated words, %d"
                   " functions\n  %u strings in %u buckets\n  built %"
                   PRId64 " (%s)\n", in->image_size, in->nreloc,
                   in->nprotos, in->h.nROuse, in->h.nROsize,
                   in->timestamp, when);
    lfs_buf_printf(out, "modules (%d):", in->nmodules);
    for (int i = 0; i < index->sizek - 1 && i < in->nmodules; i++)
        if (index->k[i].type == LFS_KSTR)
            lfs_buf_printf(out, " %s", index->k[i].s.data);
    lfs_buf_u8(out, '\n');
    lfs_str_t *strs;
    int n;
    if (lfs51_strtab(m, index, &strs, &n) == 0) {
        lfs_buf_printf(out, "strings (%d):\n", n);
        for (int i = 0; i < n; i++) {
            lfs_buf_printf(out, "\t%d\t", i + 1);
            lfs51_list_quote(strs[i], out);
            lfs_buf_u8(out, '\n');
        }
    }
    lfs51_list_proto(index, verbose, out);
}

int luac_inspect(const char *path, int verbose, int do_verify,
                 luac_target_t target, uint32_t lfs_size)
{
    lfs_diag_t d;
    uint8_t *file;
    size_t n;
    if (luac_is_lua53(path))
        return luac_inspect53(path, verbose, do_verify, lfs_size);
    lfs_diag_init(&d, path);
    if (lfs_file_read(path, MAX_IMAGE, &file, &n, &d)) {
        char line[1024];
        lfs_diag_format(&d, LUAC_PROG, line, sizeof line);
        fprintf(stderr, "%s\n", line);
        return 1;
    }
    int rc = 0;
    if (do_verify) {
        if (n < 2 || file[0] != GZ_ID1 || file[1] != GZ_ID2) {
            printf("read error on LFS image file\n");
            fprintf(stderr, "%s: %s: not a gzip file: node.LFS.reload takes"
                    " only relocatable images (luac.cross -f); an absolute"
                    " image is flashed with esptool\n", LUAC_PROG, path);
            free(file);
            return 1;
        }
        rc = verify(file, n, target, lfs_size, path);
        if (rc) {
            free(file);
            return rc;
        }
    }
    lfs_model_t m;
    lfs_buf_t payload, out;
    lfs_model_init(&m);
    lfs_buf_init(&payload);
    lfs_buf_init(&out);
    const uint8_t *img = file;
    size_t imgn = n;
    if (n >= 2 && file[0] == GZ_ID1 && file[1] == GZ_ID2) {
        rc = gz_inflate_buf(file, n, MAX_IMAGE, &payload, &d);
        img = payload.data;
        imgn = payload.len;
    }
    if (!rc && imgn >= 4 && memcmp(img, "\033Lua", 4) == 0 && !do_verify) {
        lfs_proto_t *f;
        lc51_header_t h;
        rc = lc51_read(img, imgn, LC51_NODEMCU, &m, &d, &h, &f);
        if (!rc) {
            lfs_buf_printf(&out, "NodeMCU Lua 5.1 bytecode, %s build\n",
                           h.integral ? "integer" : "float");
            lfs51_list_proto(f, verbose, &out);
        }
    } else if (!rc) {
        lfs51_info_t info;
        lfs_proto_t *index;
        rc = lfs51_read(img, imgn, &m, &d, &info, &index);
        if (!rc && do_verify)
            rc = lfs51_check_payload(img, imgn, info.integral, &d);
        if (!rc && do_verify)
            lfs_buf_printf(&out, "OK: %s build, image %zu bytes, %d"
                           " modules, fits %" PRIu32 " bytes of LFS\n",
                           info.integral ? "integer" : "float",
                           info.image_size, info.nmodules, lfs_size);
        else if (!rc)
            list_image(&info, index, &m, verbose, &out);
    }
    if (rc) {
        char line[1024];
        lfs_diag_format(&d, LUAC_PROG, line, sizeof line);
        fprintf(stderr, "%s\n", line);
        rc = 1;
    } else {
        fwrite(out.data, 1, out.len, stdout);
    }
    lfs_buf_free(&out);
    lfs_buf_free(&payload);
    lfs_model_free(&m);
    free(file);
    return rc;
}
