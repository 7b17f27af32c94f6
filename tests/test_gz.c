/*
** tests/test_gz.c: the gzip container of relocatable LFS images: our
** inflater (gz_read.c) against the vectors and zlib, gz_write round trips
** and sizes, and hand-made deflate streams for every loader rule.
** Spec: docs/lfs51.md §4.1, §5.2. Twin: none (tests lfs/gz_read.c and
** lfs/gz_write.c). May call: anything (lfs/gz, zlib, libc).
*/
#include "lfs/gz.h"
#include "tests/harness.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define MAX_OUT   (16u << 20)
#define ANY_OFF   (-2L)

/* ---- a deflate encoder for hand-made streams --------------------------- */

/* One block's code: canonical codes from lengths (RFC 1951 §3.2.2). */
typedef struct hcode {
    uint8_t len[288];
    uint16_t code[288];
} hcode_t;

static void canon(hcode_t *h, const uint8_t *len, unsigned n)
{
    unsigned count[16] = {0}, next[16], code = 0;
    memset(h, 0, sizeof *h);
    memcpy(h->len, len, n);
    for (unsigned i = 0; i < n; i++)
        count[len[i]]++;
    count[0] = 0;
    for (int b = 1; b < 16; b++) {
        code = (code + count[b - 1]) << 1;
        next[b] = code;
    }
    for (unsigned i = 0; i < n; i++)
        if (len[i])
            h->code[i] = (uint16_t)next[len[i]]++;
}

/* The bits being written, and what an inflater must make of them. */
typedef struct enc {
    lfs_buf_t def;      /* deflate bytes */
    uint32_t acc;       /* pending bits, LSB first */
    unsigned nacc;
    lfs_buf_t out;      /* the expected inflated bytes */
    hcode_t lit, dist;  /* the current block's codes */
    hcode_t cl;         /* code-length code of dynamic headers */
} enc_t;

static void enc_init(enc_t *e)
{
    memset(e, 0, sizeof *e);
    lfs_buf_init(&e->def);
    lfs_buf_init(&e->out);
}

static void enc_free(enc_t *e)
{
    lfs_buf_free(&e->def);
    lfs_buf_free(&e->out);
}

static void put_bits(enc_t *e, uint32_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        e->acc |= ((v >> i) & 1u) << e->nacc;
        if (++e->nacc == 8) {
            lfs_buf_u8(&e->def, (uint8_t)e->acc);
            e->acc = 0;
            e->nacc = 0;
        }
    }
}

/* Huffman codes go most significant bit first. */
static void put_code(enc_t *e, unsigned code, unsigned len)
{
    while (len--)
        put_bits(e, (code >> len) & 1u, 1);
}

static void put_sym(enc_t *e, const hcode_t *h, unsigned sym)
{
    put_code(e, h->code[sym], h->len[sym]);
}

/* Bits written so far. */
static size_t enc_bitpos(const enc_t *e) { return e->def.len * 8 + e->nacc; }

static void enc_align(enc_t *e)
{
    if (e->nacc)
        put_bits(e, 0, 8 - e->nacc);
}

static const uint16_t lbase[29] = {
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
    35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258
};
static const uint8_t lext[29] = {
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
    3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0
};
static const uint16_t dbase[30] = {
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
    257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
    8193, 12289, 16385, 24577
};
static const uint8_t dext[30] = {
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
    7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13
};

static void enc_stored(enc_t *e, int final, const uint8_t *p, unsigned n)
{
    put_bits(e, (uint32_t)final, 1);
    put_bits(e, 0, 2);
    enc_align(e);
    put_bits(e, n, 16);
    put_bits(e, ~n & 0xffffu, 16);
    lfs_buf_put(&e->def, p, n);
    lfs_buf_put(&e->out, p, n);
}

static void enc_fixed(enc_t *e, int final)
{
    uint8_t len[288];
    put_bits(e, (uint32_t)final, 1);
    put_bits(e, 1, 2);
    memset(len, 8, 144);
    memset(len + 144, 9, 112);
    memset(len + 256, 7, 24);
    memset(len + 280, 8, 8);
    canon(&e->lit, len, 288);
    memset(len, 5, 32);
    canon(&e->dist, len, 32);
}

/* Dynamic header fields, then the code-length code: symbols 0..12 get 4
** bits and 13..18 get 5 (a complete code), all 19 lengths sent. */
static void dyn_start(enc_t *e, int final, unsigned nlen, unsigned ndist)
{
    static const uint8_t order[19] = {
        16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15
    };
    uint8_t cl[19];
    for (int i = 0; i < 19; i++)
        cl[i] = i < 13 ? 4 : 5;
    canon(&e->cl, cl, 19);
    put_bits(e, (uint32_t)final, 1);
    put_bits(e, 2, 2);
    put_bits(e, nlen - 257, 5);
    put_bits(e, ndist - 1, 5);
    put_bits(e, 19 - 4, 4);
    for (int i = 0; i < 19; i++)
        put_bits(e, cl[order[i]], 3);
}

static void cl_tok(enc_t *e, unsigned sym, unsigned extra)
{
    static const uint8_t nextra[3] = { 2, 3, 7 };
    put_sym(e, &e->cl, sym);
    if (sym >= 16)
        put_bits(e, extra, nextra[sym - 16]);
}

/* A dynamic block header for these code lengths, run-length coded with
** symbols 16, 17 and 18. */
static void enc_dynamic(enc_t *e, int final, const uint8_t *litlen,
                        unsigned nlen, const uint8_t *distlen,
                        unsigned ndist)
{
    uint8_t all[320];
    unsigned n = nlen + ndist, i = 0;
    memcpy(all, litlen, nlen);
    memcpy(all + nlen, distlen, ndist);
    dyn_start(e, final, nlen, ndist);
    while (i < n) {
        unsigned v = all[i], run = 1;
        while (i + run < n && all[i + run] == v)
            run++;
        i += run;
        if (v == 0) {
            for (; run >= 11; ) {
                unsigned r = run > 138 ? 138 : run;
                cl_tok(e, 18, r - 11);
                run -= r;
            }
            if (run >= 3) {
                cl_tok(e, 17, run - 3);
                run = 0;
            }
        } else {
            cl_tok(e, v, 0);
            run--;
            for (; run >= 3; ) {
                unsigned r = run > 6 ? 6 : run;
                cl_tok(e, 16, r - 3);
                run -= r;
            }
        }
        while (run--)
            cl_tok(e, v, 0);
    }
    canon(&e->lit, litlen, nlen);
    canon(&e->dist, distlen, ndist);
}

static void enc_lit(enc_t *e, unsigned c)
{
    put_sym(e, &e->lit, c);
    lfs_buf_u8(&e->out, (uint8_t)c);
}

/* Returns the bit position of the distance code. */
static size_t enc_match(enc_t *e, unsigned len, unsigned dist)
{
    int l = 28, d = 29;
    size_t at;
    while (len < lbase[l])
        l--;
    while (dist < dbase[d])
        d--;
    put_sym(e, &e->lit, 257u + (unsigned)l);
    put_bits(e, len - lbase[l], lext[l]);
    at = enc_bitpos(e);
    put_sym(e, &e->dist, (unsigned)d);
    put_bits(e, dist - dbase[d], dext[d]);
    for (unsigned i = 0; i < len && dist <= e->out.len; i++)
        lfs_buf_u8(&e->out, e->out.data[e->out.len - dist]);
    return at;
}

static void enc_eob(enc_t *e) { put_sym(e, &e->lit, 256); }

/* ---- gzip files around hand-made streams ------------------------------- */

static const char fname[] = "lfs.img";
static const char fcomment[] = "made by test_gz";

/* Wrap e's stream (aligned first) in a gzip member with these flags. With
** GZ_FEXTRA the extra field is sized so the file is min_size bytes (if it
** can be). *hdr gets the header length. */
static void make_gz(enc_t *e, unsigned flg, size_t min_size, lfs_buf_t *f,
                    size_t *hdr)
{
    uint8_t h[10] = { GZ_ID1, GZ_ID2, GZ_CM_DEFLATE, (uint8_t)flg,
                      0, 0, 0, 0, 0, 3 };
    size_t fixed;
    enc_align(e);
    fixed = 10 + e->def.len + 8;
    if (flg & GZ_FNAME)
        fixed += sizeof fname;
    if (flg & GZ_FCOMMENT)
        fixed += sizeof fcomment;
    if (flg & GZ_FHCRC)
        fixed += 2;
    lfs_buf_init(f);
    lfs_buf_put(f, h, sizeof h);
    if (flg & GZ_FEXTRA) {
        size_t xlen = fixed + 2 < min_size ? min_size - fixed - 2 : 0;
        lfs_buf_u8(f, (uint8_t)xlen);
        lfs_buf_u8(f, (uint8_t)(xlen >> 8));
        for (size_t i = 0; i < xlen; i++)
            lfs_buf_u8(f, (uint8_t)('a' + i % 26));
    }
    if (flg & GZ_FNAME)
        lfs_buf_put(f, fname, sizeof fname);
    if (flg & GZ_FCOMMENT)
        lfs_buf_put(f, fcomment, sizeof fcomment);
    if (flg & GZ_FHCRC) {
        uint32_t c = gz_crc32(0, f->data, f->len);
        lfs_buf_u8(f, (uint8_t)c);
        lfs_buf_u8(f, (uint8_t)(c >> 8));
    }
    *hdr = f->len;
    lfs_buf_put(f, e->def.data, e->def.len);
    lfs_buf_le32(f, gz_crc32(0, e->out.data, e->out.len));
    lfs_buf_le32(f, (uint32_t)e->out.len);
}

/* The usual wrapper: FEXTRA padding to 256 bytes. */
static void make_gz256(enc_t *e, lfs_buf_t *f, size_t *hdr)
{
    make_gz(e, GZ_FEXTRA, 256, f, hdr);
}

/* ---- checks ------------------------------------------------------------ */

static int zlib_gunzip(const uint8_t *f, size_t n, lfs_buf_t *out)
{
    static uint8_t buf[16384];
    z_stream s;
    int r;
    memset(&s, 0, sizeof s);
    if (inflateInit2(&s, 16 + 15) != Z_OK)
        return -1;
    s.next_in = (Bytef *)(uintptr_t)f;
    s.avail_in = (uInt)n;
    do {
        s.next_out = buf;
        s.avail_out = sizeof buf;
        r = inflate(&s, Z_NO_FLUSH);
        if (r != Z_OK && r != Z_STREAM_END)
            break;
        lfs_buf_put(out, buf, sizeof buf - s.avail_out);
    } while (r != Z_STREAM_END);
    inflateEnd(&s);
    return r == Z_STREAM_END && s.avail_in == 0 && !out->err ? 0 : -1;
}

static int zlib_gzip(const uint8_t *p, size_t n, int wbits, lfs_buf_t *out)
{
    z_stream s;
    uLong bound;
    int r;
    memset(&s, 0, sizeof s);
    if (deflateInit2(&s, 9, Z_DEFLATED, 16 + wbits, 9, Z_DEFAULT_STRATEGY)
        != Z_OK)
        return -1;
    bound = deflateBound(&s, (uLong)n);
    if (lfs_buf_reserve(out, bound)) {
        deflateEnd(&s);
        return -1;
    }
    s.next_in = (Bytef *)(uintptr_t)p;
    s.avail_in = (uInt)n;
    s.next_out = out->data + out->len;
    s.avail_out = (uInt)bound;
    r = deflate(&s, Z_FINISH);
    out->len += s.total_out;
    deflateEnd(&s);
    return r == Z_STREAM_END ? 0 : -1;
}

/* Ours must inflate f to exactly `want`, and so must zlib. */
static void expect_ok(const uint8_t *f, size_t n, const uint8_t *want,
                      size_t wn, gz_stats_t *st, const char *what)
{
    lfs_buf_t out, zout;
    lfs_diag_t d;
    gz_stats_t s;
    int r, zr;
    long diff;
    lfs_buf_init(&out);
    lfs_buf_init(&zout);
    lfs_diag_init(&d, NULL);
    r = gz_inflate_buf_stats(f, n, MAX_OUT, &out, &s, &d);
    diff = th_first_diff(out.data, out.len, want, wn);
    zr = zlib_gunzip(f, n, &zout);
    zr = zr ? zr : th_first_diff(zout.data, zout.len, want, wn) != -1;
    lfs_buf_free(&out);
    lfs_buf_free(&zout);
    if (st)
        *st = s;
    CHECK(r == 0, "%s: inflate failed (%d): byte 0x%lx: %s", what, r,
          d.offset, d.msg);
    CHECK(diff == -1, "%s: output differs at byte %ld", what, diff);
    CHECK(s.out_len == wn, "%s: stats out_len %zu, not %zu", what,
          s.out_len, wn);
    CHECK(zr == 0, "%s: zlib does not agree", what);
}

/* Ours must fail on f with this code, message prefix and offset. */
static void expect_err(const uint8_t *f, size_t n, int code,
                       const char *prefix, long off, const char *what)
{
    lfs_buf_t out;
    lfs_diag_t d;
    int r;
    lfs_buf_init(&out);
    lfs_buf_u8(&out, 0x5a);
    lfs_diag_init(&d, NULL);
    r = gz_inflate_buf(f, n, MAX_OUT, &out, &d);
    CHECK(out.len == 1 && out.data[0] == 0x5a, "%s: output not restored",
          what);
    lfs_buf_free(&out);
    CHECK(r == code, "%s: returned %d, expected %d (%s)", what, r, code,
          d.msg);
    CHECK(d.code == code, "%s: diag code %d", what, d.code);
    CHECK(strncmp(d.msg, prefix, strlen(prefix)) == 0,
          "%s: message \"%s\" does not start \"%s\"", what, d.msg, prefix);
    CHECK(off == ANY_OFF || d.offset == off,
          "%s: offset %ld, expected %ld (%s)", what, d.offset, off, d.msg);
}

static void fill_random(uint8_t *p, size_t n, uint32_t seed)
{
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        p[i] = (uint8_t)(seed >> 16);
    }
}

/* A valid little file: fixed block with literals and matches. */
static void small_stream(enc_t *e)
{
    enc_init(e);
    enc_fixed(e, 1);
    for (const char *s = "hello, LFS world! "; *s; s++)
        enc_lit(e, (uint8_t)*s);
    enc_match(e, 17, 17);               /* 18 would reach byte 0 */
    enc_match(e, 10, 7);
    enc_lit(e, '\n');
    enc_eob(e);
}

/* ---- vectors ----------------------------------------------------------- */

typedef void (*vec_fn)(const char *img, const char *payload, void *ctx);

/* Call fn for every .img in lfs51/; payload is NULL when there is none. */
static int each_vector(vec_fn fn, void *ctx)
{
    char dir[512], img[1024], pay[1024];
    struct dirent *de;
    DIR *dp;
    int n = 0;
    snprintf(dir, sizeof dir, "%s/lfs51", th_vectors());
    dp = opendir(dir);
    if (!dp)
        return -1;
    while ((de = readdir(dp)) != NULL) {
        size_t l = strlen(de->d_name);
        FILE *f;
        if (l < 5 || strcmp(de->d_name + l - 4, ".img") != 0)
            continue;
        snprintf(img, sizeof img, "%s/%s", dir, de->d_name);
        snprintf(pay, sizeof pay, "%s/%.*s.payload", dir, (int)(l - 4),
                 de->d_name);
        f = fopen(pay, "rb");
        if (f)
            fclose(f);
        fn(img, f ? pay : NULL, ctx);
        n++;
        if (th_failed())
            break;
    }
    closedir(dp);
    return n;
}

static void vec_inflate(const char *img, const char *pay, void *ctx)
{
    size_t n, pn;
    uint8_t *f = th_read_file(img, &n), *p = NULL;
    lfs_buf_t out;
    lfs_diag_t d;
    gz_stats_t st;
    int r;
    long diff;
    (void)ctx;
    CHECK(f, "cannot read %s", img);
    lfs_buf_init(&out);
    lfs_diag_init(&d, NULL);
    r = gz_inflate_buf_stats(f, n, MAX_OUT, &out, &st, &d);
    if (!pay) {
        /* an absolute (-a) image: the loader refuses it (§4.2) */
        free(f);
        lfs_buf_free(&out);
        CHECK(r == LFS_EFORMAT && strstr(d.msg, GZ_MSG_READ ": not a gzip"),
              "%s: no .payload, yet %d (%s)", img, r, d.msg);
        return;
    }
    p = th_read_file(pay, &pn);
    if (r != 0 && strstr(d.msg, "reaches output byte 0")) {
        /* luac.cross's own byte-0 trap (§4.1): zlib must still agree */
        lfs_buf_t z;
        lfs_buf_init(&z);
        r = zlib_gunzip(f, n, &z);
        diff = th_first_diff(z.data, z.len, p, pn);
        printf("note: %s hits the byte-0 trap; the device rejects it\n",
               img);
        lfs_buf_free(&z);
    } else {
        diff = th_first_diff(out.data, out.len, p, pn);
    }
    free(f);
    free(p);
    lfs_buf_free(&out);
    CHECK(r == 0, "%s: %d: byte 0x%lx: %s", img, r, d.offset, d.msg);
    CHECK(diff == -1, "%s: payload differs at byte %ld", img, diff);
    CHECK(st.max_dist <= GZ_MAX_DIST, "%s: distance %u", img, st.max_dist);
    CHECK(st.blocks >= 1 && st.header_len >= 10, "%s: stats", img);
}

TEST(test_gz_vectors_inflate)
{
    int n = each_vector(vec_inflate, NULL);
    CHECK(n > 0, "no lfs51/*.img vectors under %s", th_vectors());
}

static void vec_zlib(const char *img, const char *pay, void *ctx)
{
    size_t n, pn;
    uint8_t *f, *p;
    lfs_buf_t z;
    int r;
    long diff;
    (void)ctx;
    if (!pay)
        return;
    f = th_read_file(img, &n);
    p = th_read_file(pay, &pn);
    CHECK(f && p, "cannot read %s", img);
    lfs_buf_init(&z);
    r = zlib_gunzip(f, n, &z);
    diff = th_first_diff(z.data, z.len, p, pn);
    lfs_buf_free(&z);
    free(f);
    CHECK(r == 0 && diff == -1, "%s: zlib gives %d, differs at %ld", img, r,
          diff);
    /* and our CRC is zlib's on the whole payload */
    CHECK(gz_crc32(0, p, pn) == crc32(0, p, (uInt)pn), "%s: CRC", pay);
    free(p);
}

TEST(test_gz_vectors_zlib_agrees)
{
    int n = each_vector(vec_zlib, NULL);
    CHECK(n > 0, "no vectors");
}

struct sizes {
    size_t ours, theirs;
    int count;
    uint32_t dynamic;
};

static void vec_write(const char *img, const char *pay, void *ctx)
{
    struct sizes *sz = ctx;
    size_t pn, in;
    uint8_t *p, *f;
    lfs_buf_t g;
    lfs_diag_t d;
    gz_stats_t st;
    int r;
    if (!pay)
        return;
    memset(&st, 0, sizeof st);
    p = th_read_file(pay, &pn);
    f = th_read_file(img, &in);
    CHECK(p && f, "cannot read %s", pay);
    lfs_buf_init(&g);
    lfs_diag_init(&d, NULL);
    r = gz_write(p, pn, &g, &d);
    if (r == 0) {
        expect_ok(g.data, g.len, p, pn, &st, pay);
        sz->ours += g.len;
        sz->theirs += in;
        sz->count++;
        sz->dynamic += st.dynamic;
    }
    free(f);
    free(p);
    CHECK(r == 0, "%s: gz_write %d: %s", pay, r, d.msg);
    CHECK(g.len >= GZ_MIN_FILE, "%s: %zu bytes", pay, g.len);
    CHECK((g.data[3] & ~GZ_FEXTRA) == 0 && g.data[8] == 2 && g.data[9] == 3,
          "%s: header FLG %02x XFL %02x OS %02x", pay, g.data[3],
          g.data[8], g.data[9]);
    CHECK(st.max_dist <= GZ_MAX_DIST, "%s: distance %u", pay, st.max_dist);
    lfs_buf_free(&g);
}

TEST(test_gz_write_vectors)
{
    struct sizes sz = { 0, 0, 0, 0 };
    each_vector(vec_write, &sz);
    CHECK(sz.count > 0, "no payloads");
    printf("gz_write: %d payloads: ours %zu bytes, NodeMCU %zu bytes"
           " (%.1f%%), %u dynamic blocks\n", sz.count, sz.ours, sz.theirs,
           100.0 * (double)sz.ours / (double)sz.theirs, sz.dynamic);
}

/* ---- gz_write ---------------------------------------------------------- */

TEST(test_gz_write_tiny)
{
    uint8_t p[10] = "tiny LFS!";
    lfs_buf_t g;
    lfs_diag_t d;
    lfs_buf_init(&g);
    lfs_diag_init(&d, NULL);
    CHECK(gz_write(p, sizeof p, &g, &d) == 0, "%s", d.msg);
    CHECK(g.len == GZ_MIN_FILE, "10-byte payload gives %zu bytes", g.len);
    CHECK(g.data[3] == GZ_FEXTRA, "FLG 0x%02x", g.data[3]);
    expect_ok(g.data, g.len, p, sizeof p, NULL, "tiny");
    lfs_buf_free(&g);
}

TEST(test_gz_write_empty)
{
    lfs_buf_t g;
    lfs_diag_t d;
    lfs_buf_init(&g);
    lfs_diag_init(&d, NULL);
    CHECK(gz_write(NULL, 0, &g, &d) == 0, "%s", d.msg);
    CHECK(g.len == GZ_MIN_FILE, "empty payload gives %zu bytes", g.len);
    expect_ok(g.data, g.len, (const uint8_t *)"", 0, NULL, "empty");
    lfs_buf_free(&g);
}

/* Every size across the padding boundary: > 200 bytes, padded minimally,
** appended after what out already holds. */
TEST(test_gz_write_sizes)
{
    static uint8_t p[400];
    fill_random(p, sizeof p, 7);
    for (size_t n = 0; n <= sizeof p; n++) {
        lfs_buf_t g;
        lfs_diag_t d;
        lfs_buf_init(&g);
        lfs_buf_put(&g, "xyz", 3);
        lfs_diag_init(&d, NULL);
        CHECK(gz_write(p, n, &g, &d) == 0, "n=%zu: %s", n, d.msg);
        const uint8_t *f = g.data + 3;
        size_t fl = g.len - 3;
        CHECK(memcmp(g.data, "xyz", 3) == 0, "n=%zu: prefix lost", n);
        CHECK(fl >= GZ_MIN_FILE, "n=%zu: %zu bytes", n, fl);
        if (f[3] & GZ_FEXTRA) {
            size_t pad = (size_t)f[14] | (size_t)f[15] << 8;
            CHECK(fl == GZ_MIN_FILE || pad == 0,
                  "n=%zu: padded to %zu bytes", n, fl);
            CHECK(f[10] == pad + 4 && f[12] == 'L' && f[13] == 'P',
                  "n=%zu: FEXTRA subfield", n);
        }
        expect_ok(f, fl, p, n, NULL, "size sweep");
        lfs_buf_free(&g);
        if (th_failed())
            return;
    }
}

/* A zlib stream with the default 32 KiB window is refused (§12 item 4);
** gz_write of the same data loads. */
TEST(test_gz_write_vs_wbits15)
{
    enum { N = 40000 };
    static uint8_t p[N];
    lfs_buf_t z, g;
    lfs_diag_t d;
    gz_stats_t st;
    fill_random(p, 20000, 3);
    memcpy(p + 20000, p, 20000);
    lfs_buf_init(&z);
    CHECK(zlib_gzip(p, N, 15, &z) == 0, "zlib");
    expect_err(z.data, z.len, LFS_ELIMIT, GZ_MSG_DICT ": back-reference"
               " distance 20000 exceeds the device's 16384-byte history",
               ANY_OFF, "wbits 15");
    lfs_buf_free(&z);
    lfs_buf_init(&g);
    lfs_diag_init(&d, NULL);
    CHECK(gz_write(p, N, &g, &d) == 0, "%s", d.msg);
    expect_ok(g.data, g.len, p, N, &st, "gz_write");
    CHECK(st.max_dist <= GZ_MAX_DIST, "distance %u", st.max_dist);
    lfs_buf_free(&g);
}

/* ---- CRC --------------------------------------------------------------- */

TEST(test_gz_crc32_zlib)
{
    static uint8_t p[10007];
    fill_random(p, sizeof p, 11);
    CHECK(gz_crc32(0, NULL, 0) == 0, "empty");
    CHECK(gz_crc32(0, "123456789", 9) == 0xcbf43926u, "check value");
    for (size_t cut = 0; cut < sizeof p; cut += 997) {
        uint32_t a = gz_crc32(gz_crc32(0, p, cut), p + cut, sizeof p - cut);
        CHECK(a == crc32(0, p, sizeof p), "split at %zu", cut);
    }
}

/* ---- hand-made streams: distance rules (§4.1) -------------------------- */

static uint8_t big[20000];

/* 17000 stored bytes, then a fixed block with one match. */
static void far_match(enc_t *e, unsigned dist, size_t *dist_at)
{
    fill_random(big, sizeof big, 5);
    enc_init(e);
    enc_stored(e, 0, big, 17000);
    enc_fixed(e, 1);
    enc_lit(e, 'x');
    *dist_at = enc_match(e, 5, dist);
    enc_eob(e);
}

TEST(test_gz_dist_16385)
{
    enc_t e;
    lfs_buf_t f;
    size_t hdr, at;
    far_match(&e, 16385, &at);
    make_gz256(&e, &f, &hdr);
    expect_err(f.data, f.len, LFS_ELIMIT, GZ_MSG_DICT ": back-reference"
               " distance 16385 exceeds the device's 16384-byte history;"
               " rebuild the image with luac.cross -f",
               (long)(hdr + at / 8), "distance 16385");
    lfs_buf_free(&f);
    enc_free(&e);
}

TEST(test_gz_dist_16384)
{
    enc_t e;
    lfs_buf_t f;
    size_t hdr, at;
    gz_stats_t st;
    far_match(&e, 16384, &at);
    make_gz256(&e, &f, &hdr);
    expect_ok(f.data, f.len, e.out.data, e.out.len, &st, "distance 16384");
    CHECK(st.max_dist == 16384 && st.blocks == 2 && st.stored == 1 &&
          st.fixed == 1, "stats %u %u", st.max_dist, st.blocks);
    lfs_buf_free(&f);
    enc_free(&e);
}

TEST(test_gz_dist_byte0)
{
    enc_t e;
    lfs_buf_t f;
    size_t hdr, at;
    /* "abc" then a copy of it: distance 3 = bytes produced so far */
    enc_init(&e);
    enc_fixed(&e, 1);
    enc_lit(&e, 'a');
    enc_lit(&e, 'b');
    enc_lit(&e, 'c');
    at = enc_match(&e, 3, 3);
    enc_eob(&e);
    make_gz256(&e, &f, &hdr);
    expect_err(f.data, f.len, LFS_ELIMIT, GZ_MSG_DICT ": back-reference"
               " distance 3 reaches output byte 0",
               (long)(hdr + at / 8), "byte 0");
    /* zlib, following RFC 1951, accepts it */
    lfs_buf_t z;
    lfs_buf_init(&z);
    CHECK(zlib_gunzip(f.data, f.len, &z) == 0 && z.len == 6 &&
          memcmp(z.data, "abcabc", 6) == 0, "zlib");
    lfs_buf_free(&z);
    lfs_buf_free(&f);
    enc_free(&e);
}

TEST(test_gz_dist_before_start)
{
    enc_t e;
    lfs_buf_t f;
    size_t hdr;
    enc_init(&e);
    enc_fixed(&e, 1);
    enc_lit(&e, 'a');
    enc_lit(&e, 'b');
    enc_match(&e, 3, 4);
    enc_eob(&e);
    make_gz256(&e, &f, &hdr);
    expect_err(f.data, f.len, LFS_EFORMAT, GZ_MSG_DICT ": back-reference"
               " distance 4 reaches before the start", ANY_OFF, "dist 4");
    lfs_buf_free(&f);
    enc_free(&e);
}

TEST(test_gz_dist_ok_near_start)
{
    enc_t e;
    lfs_buf_t f;
    size_t hdr;
    gz_stats_t st;
    enc_init(&e);
    enc_fixed(&e, 1);
    enc_lit(&e, 'a');
    enc_lit(&e, 'b');
    enc_lit(&e, 'c');
    enc_match(&e, 7, 2);        /* overlapping copy from byte 1 */
    enc_match(&e, 258, 1);
    enc_eob(&e);
    make_gz256(&e, &f, &hdr);
    expect_ok(f.data, f.len, e.out.data, e.out.len, &st, "near start");
    CHECK(e.out.len == 268 && memcmp(e.out.data, "abcbcbcbcbbbb", 13) == 0,
          "expected output");
    CHECK(st.max_dist == 2, "max_dist %u", st.max_dist);
    lfs_buf_free(&f);
    enc_free(&e);
}

/* ---- file size, trailer ------------------------------------------------ */

TEST(test_gz_small_file)
{
    enc_t e;
    lfs_buf_t f;
    size_t hdr;
    small_stream(&e);
    make_gz(&e, GZ_FEXTRA, 200, &f, &hdr);
    CHECK(f.len == 200, "built %zu bytes", f.len);
    expect_err(f.data, f.len, LFS_ELIMIT, GZ_MSG_READ ": the file is 200"
               " bytes but the loader needs more than 200", -1, "200");
    lfs_buf_t z;
    lfs_buf_init(&z);
    CHECK(zlib_gunzip(f.data, f.len, &z) == 0, "zlib takes 200 bytes");
    lfs_buf_free(&z);
    lfs_buf_free(&f);
    make_gz(&e, GZ_FEXTRA, 201, &f, &hdr);
    CHECK(f.len == 201, "built %zu bytes", f.len);
    expect_ok(f.data, f.len, e.out.data, e.out.len, NULL, "201");
    lfs_buf_free(&f);
    make_gz(&e, 0, 0, &f, &hdr);
    expect_err(f.data, f.len, LFS_ELIMIT, GZ_MSG_READ ": the file is", -1,
               "unpadded");
    expect_err(f.data, 0, LFS_ELIMIT, GZ_MSG_READ ": the file is 0", -1,
               "empty");
    expect_err(NULL, 0, LFS_ELIMIT, GZ_MSG_READ ": the file is 0", -1,
               "NULL");
    lfs_buf_free(&f);
    enc_free(&e);
}

TEST(test_gz_bad_crc)
{
    enc_t e;
    lfs_buf_t f;
    size_t hdr;
    char want[128];
    small_stream(&e);
    make_gz256(&e, &f, &hdr);
    uint32_t good = lfs_le32(f.data + f.len - 8);
    lfs_put_le32(f.data + f.len - 8, good ^ 0x100);
    snprintf(want, sizeof want, GZ_MSG_CRC ": CRC 0x%08x expected 0x%08x;",
             good, good ^ 0x100);
    expect_err(f.data, f.len, LFS_EFORMAT, want, (long)f.len - 8, "CRC");
    lfs_buf_free(&f);
    enc_free(&e);
    /* a flipped bit in stored data: same length, other bytes */
    enc_init(&e);
    fill_random(big, 250, 21);
    enc_stored(&e, 1, big, 250);
    make_gz(&e, 0, 0, &f, &hdr);
    f.data[hdr + 100] ^= 0x10;
    expect_err(f.data, f.len, LFS_EFORMAT, GZ_MSG_CRC ": CRC", ANY_OFF,
               "data bit");
    lfs_buf_free(&f);
    enc_free(&e);
}

TEST(test_gz_bad_isize)
{
    enc_t e;
    lfs_buf_t f;
    size_t hdr;
    char want[128];
    small_stream(&e);
    make_gz256(&e, &f, &hdr);
    lfs_put_le32(f.data + f.len - 4, (uint32_t)e.out.len + 1);
    snprintf(want, sizeof want, GZ_MSG_READ ": gzip ISIZE is %zu but the"
             " data inflates to %zu bytes", e.out.len + 1, e.out.len);
    expect_err(f.data, f.len, LFS_EFORMAT, want, (long)f.len - 4, "ISIZE");
    lfs_put_le32(f.data + f.len - 4, (uint32_t)e.out.len + 65536);
    expect_err(f.data, f.len, LFS_EFORMAT, GZ_MSG_READ ": gzip ISIZE",
               (long)f.len - 4, "ISIZE");
    lfs_buf_free(&f);
    enc_free(&e);
}

TEST(test_gz_trailing_bytes)
{
    enc_t e;
    lfs_buf_t f;
    size_t hdr;
    small_stream(&e);
    make_gz256(&e, &f, &hdr);
    lfs_buf_u8(&f, 0);
    expect_err(f.data, f.len, LFS_EFORMAT, GZ_MSG_READ ": 1 bytes follow"
               " the gzip trailer", (long)f.len - 1, "trailing");
    lfs_buf_free(&f);
    enc_free(&e);
}

/* Every truncation of a small valid file (and of one with a long FEXTRA
** header) is a read error, as a file or as a stream. */
struct mem_src {
    const uint8_t *p;
    size_t n, at, step;
};

static int mem_read(void *ctx, uint8_t *buf, size_t n)
{
    struct mem_src *s = ctx;
    size_t k = s->n - s->at;
    if (k > n)
        k = n;
    if (k > s->step)
        k = s->step;
    memcpy(buf, s->p + s->at, k);
    s->at += k;
    return (int)k;
}

static void truncations(const lfs_buf_t *f, size_t hdr, const char *what)
{
    gz_inflate_t *z = malloc(sizeof *z);
    CHECK(z, "malloc");
    for (size_t cut = 0; cut < f->len; cut++) {
        int code = cut < GZ_MIN_FILE ? LFS_ELIMIT : LFS_EFORMAT;
        const char *w = cut < GZ_MIN_FILE ? GZ_MSG_READ ": the file is " :
                        cut < hdr ? GZ_MSG_READ ": the file ends inside the"
                        " gzip FEXTRA field" :
                        cut < f->len - 8 ? GZ_MSG_READ ": the file ends"
                        " inside the deflate stream" :
                        GZ_MSG_READ ": the file ends inside the gzip"
                        " trailer";
        expect_err(f->data, cut, code, w, cut < GZ_MIN_FILE ? -1 :
                   (long)cut, what);
        if (th_failed())
            break;
        /* the streaming reader sees the same */
        struct mem_src src = { f->data, cut, 0, 1 + cut % 7 };
        lfs_diag_t d;
        lfs_diag_init(&d, NULL);
        gz_inflate_init(z, cut, mem_read, &src, NULL, NULL);
        int r = gz_inflate_run(z, 0, &d);
        CHECK(r == code && strncmp(d.msg, w, strlen(w)) == 0,
              "%s: stream cut at %zu: %d %s", what, cut, r, d.msg);
    }
    free(z);
}

TEST(test_gz_truncated)
{
    enc_t e;
    lfs_buf_t f;
    size_t hdr;
    enc_init(&e);
    fill_random(big, 300, 9);
    enc_stored(&e, 0, big, 40);
    enc_fixed(&e, 1);
    for (int i = 0; i < 200; i++)
        enc_lit(&e, big[i]);
    enc_match(&e, 30, 100);
    enc_eob(&e);
    make_gz(&e, GZ_FEXTRA, 0, &f, &hdr);
    truncations(&f, 0, "short header");
    lfs_buf_free(&f);
    make_gz(&e, GZ_FEXTRA, 1000, &f, &hdr);
    truncations(&f, hdr, "long FEXTRA");
    lfs_buf_free(&f);
    enc_free(&e);
}

/* ---- gzip header ------------------------------------------------------- */

TEST(test_gz_bad_magic)
{
    enc_t e;
    lfs_buf_t f;
    size_t hdr;
    small_stream(&e);
    make_gz256(&e, &f, &hdr);
    f.data[0] = 0x1e;
    expect_err(f.data, f.len, LFS_EFORMAT, GZ_MSG_READ ": not a gzip file"
               " (it starts 1e 8b, not 1f 8b)", 0, "ID1");
    f.data[0] = 0x1f;
    f.data[1] = 0x8c;
    expect_err(f.data, f.len, LFS_EFORMAT, GZ_MSG_READ ": not a gzip file",
               0, "ID2");
    f.data[1] = 0x8b;
    f.data[2] = 7;
    expect_err(f.data, f.len, LFS_EFORMAT, GZ_MSG_READ ": gzip compression"
               " method is 7, not 8", 2, "CM");
    f.data[2] = 8;
    for (unsigned bit = 0x20; bit <= 0x80; bit <<= 1) {
        char want[128];
        f.data[3] = (uint8_t)(GZ_FEXTRA | bit);
        snprintf(want, sizeof want, GZ_MSG_READ ": gzip flags 0x%02x set"
                 " reserved bits 0x%02x", GZ_FEXTRA | bit, bit);
        expect_err(f.data, f.len, LFS_EFORMAT, want, 3, "reserved flag");
    }
    f.data[3] = GZ_FEXTRA;
    expect_ok(f.data, f.len, e.out.data, e.out.len, NULL, "restored");
    lfs_buf_free(&f);
    enc_free(&e);
}

TEST(test_gz_header_fields)
{
    static const unsigned opt[4] = {
        GZ_FEXTRA, GZ_FNAME, GZ_FCOMMENT, GZ_FHCRC
    };
    enc_t e;
    small_stream(&e);
    for (unsigned m = 0; m < 32; m++) {
        unsigned flg = (m & 16) ? GZ_FTEXT : 0;
        size_t want_hdr = 10, hdr;
        lfs_buf_t f;
        gz_stats_t st;
        char what[64];
        for (int i = 0; i < 4; i++)
            if (m & (1u << i))
                flg |= opt[i];
        /* without FEXTRA, pad with a leading stored block */
        enc_t pe;
        enc_init(&pe);
        if (!(flg & GZ_FEXTRA)) {
            fill_random(big, 250, m);
            enc_stored(&pe, 0, big, 250);
        }
        enc_fixed(&pe, 1);
        for (size_t i = 0; i < e.out.len; i++)
            enc_lit(&pe, e.out.data[i]);
        enc_eob(&pe);
        make_gz(&pe, flg, 256, &f, &hdr);
        if (flg & GZ_FEXTRA)
            want_hdr = hdr;
        else
            want_hdr += (flg & GZ_FNAME ? sizeof fname : 0) +
                        (flg & GZ_FCOMMENT ? sizeof fcomment : 0) +
                        (flg & GZ_FHCRC ? 2 : 0);
        snprintf(what, sizeof what, "FLG 0x%02x", flg);
        expect_ok(f.data, f.len, pe.out.data, pe.out.len, &st, what);
        CHECK(st.header_len == want_hdr && hdr == want_hdr,
              "%s: header %zu, expected %zu", what, st.header_len, want_hdr);
        lfs_buf_free(&f);
        enc_free(&pe);
        if (th_failed())
            break;
    }
    enc_free(&e);
}

/* ---- block types ------------------------------------------------------- */

TEST(test_gz_stored)
{
    static uint8_t p[70000];
    enc_t e;
    lfs_buf_t f;
    size_t hdr;
    gz_stats_t st;
    fill_random(p, sizeof p, 13);
    enc_init(&e);
    enc_stored(&e, 0, p, 0);
    enc_stored(&e, 0, p, 65535);        /* wraps the ring several times */
    enc_stored(&e, 1, p + 65535, (unsigned)(sizeof p - 65535));
    make_gz(&e, 0, 0, &f, &hdr);
    expect_ok(f.data, f.len, p, sizeof p, &st, "stored");
    CHECK(st.blocks == 3 && st.stored == 3 && st.max_dist == 0,
          "stats %u/%u", st.blocks, st.stored);
    /* break NLEN of the second block */
    f.data[hdr + 5 + 3] ^= 1;
    expect_err(f.data, f.len, LFS_EFORMAT, GZ_MSG_READ ": stored block LEN"
               " 0xffff does not match NLEN 0x0001", (long)hdr + 6,
               "NLEN");
    lfs_buf_free(&f);
    enc_free(&e);
}

/* Code lengths of a small dynamic code: lit/len 'a'..'e', 256, 257
** (length 3) and 265 (lengths 11-12), 3 bits each; distances 1, 4, 5-6,
** 33-48, 2 bits each. */
static void dyn_lengths(uint8_t *lit, uint8_t *dist)
{
    memset(lit, 0, 266);
    memset(dist, 0, 11);
    for (int c = 'a'; c <= 'e'; c++)
        lit[c] = 3;
    lit[256] = lit[257] = lit[265] = 3;
    dist[0] = dist[3] = dist[4] = dist[10] = 2;
}

static void dyn_body(enc_t *e)
{
    for (const char *s = "abcde"; *s; s++)
        enc_lit(e, (uint8_t)*s);
    enc_match(e, 3, 4);
    enc_lit(e, 'a');
    enc_match(e, 12, 5);
    enc_match(e, 11, 1);
    for (int i = 0; i < 40; i++)
        enc_lit(e, "abcde"[i % 5]);
    enc_match(e, 3, 40);
    enc_eob(e);
}

TEST(test_gz_dynamic)
{
    uint8_t lit[266], dist[11];
    enc_t e;
    lfs_buf_t f;
    size_t hdr;
    gz_stats_t st;
    dyn_lengths(lit, dist);
    enc_init(&e);
    enc_dynamic(&e, 1, lit, 266, dist, 11);
    dyn_body(&e);
    make_gz256(&e, &f, &hdr);
    expect_ok(f.data, f.len, e.out.data, e.out.len, &st, "dynamic");
    CHECK(st.dynamic == 1 && st.blocks == 1 && st.max_dist == 40,
          "stats %u %u %u", st.dynamic, st.blocks, st.max_dist);
    lfs_buf_free(&f);
    enc_free(&e);
}

TEST(test_gz_multi_block)
{
    uint8_t lit[266], dist[11];
    enc_t e;
    lfs_buf_t f;
    size_t hdr;
    gz_stats_t st;
    dyn_lengths(lit, dist);
    enc_init(&e);
    enc_stored(&e, 0, (const uint8_t *)"stored ", 7);
    enc_fixed(&e, 0);
    enc_match(&e, 6, 6);                /* back into the stored block */
    enc_eob(&e);
    enc_dynamic(&e, 0, lit, 266, dist, 11);
    dyn_body(&e);
    enc_fixed(&e, 1);
    enc_match(&e, 258, 33);             /* back across block borders */
    enc_eob(&e);
    make_gz256(&e, &f, &hdr);
    expect_ok(f.data, f.len, e.out.data, e.out.len, &st, "multi");
    CHECK(st.blocks == 4 && st.stored == 1 && st.fixed == 2 &&
          st.dynamic == 1, "stats %u", st.blocks);
    lfs_buf_free(&f);
    enc_free(&e);
}

/* Broken dynamic headers and codes: each a read error. */
TEST(test_gz_dynamic_bad)
{
    uint8_t lit[288], dist[32];
    enc_t e;
    lfs_buf_t f;
    size_t hdr;
    struct { const char *what, *msg; } c[] = {
        { "16 first", ": dynamic block repeats a code length before" },
        { "no EOB", ": dynamic block has no end-of-block code" },
        { "oversubscribed", ": dynamic block literal/length code is"
          " over-subscribed" },
        { "incomplete", ": dynamic block literal/length code is"
          " incomplete" },
        { "too many", ": dynamic block declares 287 literal/length" },
        { "run past", ": dynamic block code lengths run past the 258" },
        { "cl incomplete", ": dynamic block code-length code is"
          " incomplete" },
        { "dist oversubscribed", ": dynamic block distance code is"
          " over-subscribed" },
    };
    for (size_t k = 0; k < sizeof c / sizeof c[0]; k++) {
        char want[160];
        enc_init(&e);
        dyn_lengths(lit, dist);
        switch (k) {
        case 0:
            dyn_start(&e, 1, 257, 1);
            cl_tok(&e, 16, 0);
            break;
        case 1:
            lit[256] = 0;
            lit['f'] = 3;
            enc_dynamic(&e, 1, lit, 266, dist, 11);
            break;
        case 2:
            lit['f'] = 3;
            enc_dynamic(&e, 1, lit, 266, dist, 11);
            break;
        case 3:
            lit['a'] = 4;
            enc_dynamic(&e, 1, lit, 266, dist, 11);
            break;
        case 4:
            memset(lit + 266, 0, 22);
            enc_dynamic(&e, 1, lit, 287, dist, 11);
            break;
        case 5:
            dyn_start(&e, 1, 257, 1);
            cl_tok(&e, 18, 127);        /* 138 zeros */
            cl_tok(&e, 18, 127);
            break;
        case 6:
            put_bits(&e, 1, 1);
            put_bits(&e, 2, 2);
            put_bits(&e, 0, 5);
            put_bits(&e, 0, 5);
            put_bits(&e, 0, 4);
            put_bits(&e, 1, 3);         /* one 1-bit code only */
            put_bits(&e, 0, 9);
            break;
        case 7:
            dist[1] = dist[2] = 1;
            enc_dynamic(&e, 1, lit, 266, dist, 11);
            break;
        }
        put_bits(&e, 0, 32);            /* something to read on */
        make_gz256(&e, &f, &hdr);
        snprintf(want, sizeof want, "%s%s", GZ_MSG_READ, c[k].msg);
        expect_err(f.data, f.len, LFS_EFORMAT, want, ANY_OFF, c[k].what);
        lfs_buf_free(&f);
        enc_free(&e);
        if (th_failed())
            return;
    }
}

/* A 1-bit code and no distance codes are allowed (zlib allows them). */
TEST(test_gz_dynamic_single_code)
{
    uint8_t lit[257] = {0}, dist[1] = {0};
    enc_t e;
    lfs_buf_t f;
    size_t hdr;
    enc_init(&e);
    fill_random(big, 220, 1);
    enc_stored(&e, 0, big, 220);
    lit[256] = 1;
    enc_dynamic(&e, 1, lit, 257, dist, 1);
    enc_eob(&e);
    make_gz(&e, 0, 0, &f, &hdr);
    expect_ok(f.data, f.len, e.out.data, e.out.len, NULL, "single");
    lfs_buf_free(&f);
    enc_free(&e);
}

TEST(test_gz_bad_codes)
{
    enc_t e;
    lfs_buf_t f;
    size_t hdr;
    /* block type 3 */
    enc_init(&e);
    put_bits(&e, 1, 1);
    put_bits(&e, 3, 2);
    put_bits(&e, 0, 32);
    make_gz256(&e, &f, &hdr);
    expect_err(f.data, f.len, LFS_EFORMAT, GZ_MSG_READ ": deflate block"
               " type 3 is reserved", (long)hdr, "BTYPE 3");
    lfs_buf_free(&f);
    enc_free(&e);
    /* fixed length symbol 286, distance symbol 30 */
    for (unsigned k = 0; k < 2; k++) {
        enc_init(&e);
        enc_fixed(&e, 1);
        enc_lit(&e, 'a');
        enc_lit(&e, 'b');
        if (k == 0) {
            put_sym(&e, &e.lit, 286);
        } else {
            put_sym(&e, &e.lit, 257);
            put_sym(&e, &e.dist, 30);
        }
        put_bits(&e, 0, 32);
        make_gz256(&e, &f, &hdr);
        expect_err(f.data, f.len, LFS_EFORMAT, k == 0 ?
                   GZ_MSG_READ ": length symbol 286 is reserved" :
                   GZ_MSG_READ ": invalid distance code", ANY_OFF, "symbol");
        lfs_buf_free(&f);
        enc_free(&e);
    }
}

/* ---- limits and the streaming interface -------------------------------- */

TEST(test_gz_max_out)
{
    static uint8_t p[5000];
    lfs_buf_t g, out;
    lfs_diag_t d;
    fill_random(p, sizeof p, 17);
    lfs_buf_init(&g);
    lfs_diag_init(&d, NULL);
    CHECK(gz_write(p, sizeof p, &g, &d) == 0, "%s", d.msg);
    lfs_buf_init(&out);
    CHECK(gz_inflate_buf(g.data, g.len, sizeof p, &out, &d) == 0 &&
          out.len == sizeof p, "%s", d.msg);
    lfs_buf_free(&out);
    CHECK(gz_inflate_buf(g.data, g.len, sizeof p - 1, &out, &d) ==
          LFS_ELIMIT && d.code == LFS_ELIMIT && out.len == 0,
          "limit: %d %s", d.code, d.msg);
    CHECK(strstr(d.msg, "inflates to more than 4999 bytes"), "%s", d.msg);
    lfs_buf_free(&out);
    lfs_buf_free(&g);
}

struct chunks {
    lfs_buf_t all;
    int bad;
};

static int chunk_write(void *ctx, const uint8_t *p, size_t n)
{
    struct chunks *c = ctx;
    if (n == 0 || n > GZ_CHUNK || c->all.len % GZ_CHUNK != 0)
        c->bad = 1;
    lfs_buf_put(&c->all, p, n);
    return 0;
}

static int fail_read(void *ctx, uint8_t *buf, size_t n)
{
    (void)ctx;
    (void)buf;
    (void)n;
    return -5;
}

static int stop_write(void *ctx, const uint8_t *p, size_t n)
{
    (void)ctx;
    (void)p;
    (void)n;
    return LFS_EUSAGE;
}

TEST(test_gz_stream)
{
    static uint8_t p[50000];
    static const size_t steps[] = { 1, 7, 1000, GZ_INBUF, 1u << 20 };
    lfs_buf_t g;
    lfs_diag_t d;
    gz_inflate_t *z = malloc(sizeof *z);
    CHECK(z, "malloc");
    fill_random(p, sizeof p, 19);
    memcpy(p + 30000, p + 10000, 20000);
    lfs_buf_init(&g);
    lfs_diag_init(&d, NULL);
    CHECK(gz_write(p, sizeof p, &g, &d) == 0, "%s", d.msg);
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        struct mem_src src = { g.data, g.len, 0, steps[i] };
        struct chunks c;
        lfs_buf_init(&c.all);
        c.bad = 0;
        lfs_diag_init(&d, NULL);
        gz_inflate_init(z, g.len, mem_read, &src, chunk_write, &c);
        int r = gz_inflate_run(z, 0, &d);
        long diff = th_first_diff(c.all.data, c.all.len, p, sizeof p);
        lfs_buf_free(&c.all);
        CHECK(r == 0, "step %zu: %s", steps[i], d.msg);
        CHECK(diff == -1 && !c.bad, "step %zu: differs at %ld", steps[i],
              diff);
        CHECK(z->st.out_len == sizeof p && z->st.crc ==
              gz_crc32(0, p, sizeof p), "step %zu: stats", steps[i]);
    }
    /* a failing reader, a short file, a refusing writer */
    lfs_diag_init(&d, NULL);
    gz_inflate_init(z, g.len, fail_read, NULL, NULL, NULL);
    CHECK(gz_inflate_run(z, 0, &d) == LFS_EIO && d.offset == 0 &&
          strstr(d.msg, GZ_MSG_READ ": reading"), "%s", d.msg);
    struct mem_src src = { g.data, g.len - 10, 0, 100 };
    lfs_diag_init(&d, NULL);
    gz_inflate_init(z, g.len, mem_read, &src, NULL, NULL);
    CHECK(gz_inflate_run(z, 0, &d) == LFS_EIO &&
          d.offset == (long)g.len - 10, "%ld %s", d.offset, d.msg);
    lfs_diag_init(&d, NULL);
    gz_inflate_init_mem(z, g.data, g.len, stop_write, NULL);
    CHECK(gz_inflate_run(z, 0, &d) == LFS_EUSAGE &&
          strstr(d.msg, "output stopped at byte 0x0"), "%s", d.msg);
    free(z);
    lfs_buf_free(&g);
}
