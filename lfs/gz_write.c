/*
** gz_write.c: compresses an LFS payload (image ‖ bitmap) into the gzip
** file node.LFS.reload accepts, smaller than luac.cross's own: zlib raw
** deflate with a 16 KiB window (so no distance exceeds 16384; zlib never
** refers to output byte 0), level 9, a few memLevel/strategy pairs, the
** smallest kept. Files under 201 bytes are padded with a gzip FEXTRA
** subfield. Every candidate is inflated by gz_read.c with the device's
** limits and compared with the payload before it may be kept.
** Spec: docs/lfs51.md §4.1 (what the firmware accepts), Appendix B (the
** luac.cross compressor we replace). Twin: gz_read.c.
** May call: gz_read, lfs_buf, lfs_diag, zlib, libc.
*/
#include "lfs/gz.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define WBITS   (-14)   /* raw deflate, 16 KiB window: distances <= 16122 */
#define XFL_MAX 2       /* gzip XFL: "maximum compression" */
#define OS_UNIX 3
#define PAD_SI1 'L'     /* FEXTRA subfield "LP": LFS padding, all zeros */
#define PAD_SI2 'P'

/* Raw deflate of payload with one parameter pair into a malloc'ed buffer;
** 0, LFS_ENOMEM or LFS_EFORMAT (zlib refused). */
static int deflate_raw(const uint8_t *payload, size_t n, int mem,
                       int strategy, uint8_t **out, size_t *len)
{
    z_stream s;
    uLong bound;
    int r;
    memset(&s, 0, sizeof s);
    r = deflateInit2(&s, 9, Z_DEFLATED, WBITS, mem, strategy);
    if (r != Z_OK)
        return r == Z_MEM_ERROR ? LFS_ENOMEM : LFS_EFORMAT;
    bound = deflateBound(&s, (uLong)n);
    *out = malloc(bound);
    if (!*out) {
        deflateEnd(&s);
        return LFS_ENOMEM;
    }
    s.next_in = (Bytef *)(uintptr_t)payload;
    s.avail_in = (uInt)n;
    s.next_out = *out;
    s.avail_out = (uInt)bound;
    r = deflate(&s, Z_FINISH);
    *len = s.total_out;
    deflateEnd(&s);
    if (r != Z_STREAM_END) {
        free(*out);
        *out = NULL;
        return r == Z_MEM_ERROR ? LFS_ENOMEM : LFS_EFORMAT;
    }
    return 0;
}

/* Header (padded to GZ_MIN_FILE if needed), deflate data, trailer. */
static void wrap(lfs_buf_t *b, const uint8_t *def, size_t dlen,
                 uint32_t crc, size_t n)
{
    size_t plain = 10 + dlen + 8, pad = 0;
    uint8_t h[10] = { GZ_ID1, GZ_ID2, GZ_CM_DEFLATE, 0, 0, 0, 0, 0,
                      XFL_MAX, OS_UNIX };
    if (plain < GZ_MIN_FILE) {
        h[3] = GZ_FEXTRA;
        /* XLEN (2) + subfield header SI1 SI2 LEN (4) + pad zeros */
        pad = plain + 6 < GZ_MIN_FILE ? GZ_MIN_FILE - plain - 6 : 0;
    }
    lfs_buf_put(b, h, sizeof h);
    if (h[3] & GZ_FEXTRA) {
        uint8_t x[6] = { (uint8_t)(pad + 4), (uint8_t)((pad + 4) >> 8),
                         PAD_SI1, PAD_SI2, (uint8_t)pad,
                         (uint8_t)(pad >> 8) };
        lfs_buf_put(b, x, sizeof x);
        lfs_buf_zero(b, pad);
    }
    lfs_buf_put(b, def, dlen);
    lfs_buf_le32(b, crc);
    lfs_buf_le32(b, (uint32_t)n);
}

/* Self-check sink: the inflated bytes must be the payload. */
struct cmp_sink {
    const uint8_t *p;
    size_t n, at;
    lfs_diag_t *d;
};

static int cmp_write(void *ctx, const uint8_t *q, size_t k)
{
    struct cmp_sink *c = ctx;
    if (k > c->n - c->at)
        return lfs_fail(c->d, -1, LFS_EFORMAT, "inflates to more than %zu"
                        " bytes", c->n);
    if (memcmp(c->p + c->at, q, k) != 0)
        return lfs_fail(c->d, -1, LFS_EFORMAT, "inflated bytes at 0x%zx"
                        " differ from the payload", c->at);
    c->at += k;
    return 0;
}

/* Inflate gz with the device's rules; 0 if it gives back the payload. */
static int self_check(gz_inflate_t *z, const lfs_buf_t *gz,
                      const uint8_t *payload, size_t n, lfs_diag_t *why)
{
    struct cmp_sink c = { payload, n, 0, why };
    int r;
    lfs_diag_init(why, NULL);
    gz_inflate_init_mem(z, gz->data, gz->len, cmp_write, &c);
    r = gz_inflate_run(z, 0, why);
    if (r == 0 && c.at != n)
        r = lfs_fail(why, -1, LFS_EFORMAT, "inflates to %zu bytes, not %zu",
                     c.at, n);
    return r;
}

int gz_write(const uint8_t *payload, size_t n, lfs_buf_t *out,
             lfs_diag_t *d)
{
    /* memLevel also sets zlib's block size (2^(memLevel+6) symbols):
    ** LFS payloads mix code, strings and bitmap, so smaller blocks with
    ** their own Huffman tables often win (about 1 % over memLevel 9). */
    static const struct { int mem, strategy; } tries[] = {
        { 9, Z_DEFAULT_STRATEGY }, { 6, Z_DEFAULT_STRATEGY },
        { 5, Z_DEFAULT_STRATEGY }, { 4, Z_DEFAULT_STRATEGY },
        { 6, Z_FILTERED },
    };
    lfs_buf_t best, cand;
    lfs_diag_t why;
    gz_inflate_t *z;
    uint32_t crc;
    int r = 0, checked = 0;
    if (n > 0xffffffffu || n > (size_t)(uInt)-1 / 2)
        return lfs_fail(d, -1, LFS_ELIMIT, "payload of %zu bytes is too"
                        " large for a gzip image; split the modules", n);
    if (!payload)
        payload = (const uint8_t *)"";
    z = malloc(sizeof *z);
    if (!z)
        return lfs_fail(d, -1, LFS_ENOMEM, "out of memory for the"
                        " inflater; free some memory");
    crc = gz_crc32(0, payload, n);
    lfs_buf_init(&best);
    lfs_buf_init(&cand);
    lfs_diag_init(&why, NULL);
    for (size_t i = 0; i < sizeof tries / sizeof tries[0]; i++) {
        uint8_t *def = NULL;
        size_t dlen = 0;
        lfs_diag_t one;
        r = deflate_raw(payload, n, tries[i].mem, tries[i].strategy, &def,
                        &dlen);
        if (r == LFS_ENOMEM)
            break;
        if (r != 0)
            continue;
        cand.len = 0;
        wrap(&cand, def, dlen, crc, n);
        free(def);
        if (cand.err) {
            r = LFS_ENOMEM;
            break;
        }
        if (best.data && cand.len >= best.len)
            continue;
        checked++;
        if (self_check(z, &cand, payload, n, &one) != 0) {
            if (why.code == 0)
                why = one;
            continue;
        }
        lfs_buf_t t = best;
        best = cand;
        cand = t;
    }
    free(z);
    lfs_buf_free(&cand);
    if (r == LFS_ENOMEM) {
        lfs_buf_free(&best);
        return lfs_fail(d, -1, LFS_ENOMEM, "out of memory compressing a"
                        " %zu-byte payload; free some memory", n);
    }
    if (!best.data) {
        if (checked == 0)
            return lfs_fail(d, -1, LFS_EFORMAT, "zlib could not compress"
                            " the payload (%d); check the zlib install", r);
        return lfs_fail(d, why.offset, LFS_EFORMAT, "self-check of the"
                        " compressed image failed: %s; this is a bug in"
                        " gz_write, please report it", why.msg);
    }
    lfs_buf_put(out, best.data, best.len);
    lfs_buf_free(&best);
    if (out->err)
        return lfs_fail(d, -1, LFS_ENOMEM, "out of memory for the %zu-byte"
                        " payload's image; free some memory", n);
    return 0;
}
