/*
** test_lc53.c: Lua 5.3 bytecode. Reads every NodeMCU .lc vector (format
** 10) and writes it back byte for byte (round trip); reads stock lua_dump
** output of luac5.3; checks the shared encodings (TT-int, MB-int, packed
** line info) against the examples of docs/lfs53.md §3.2 and §9; and feeds the
** reader damaged files.
*/
#include "tests/harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lfs/lc53.h"

static const char *mods[] = { "hi53", "upvals", "dots", "deep4",
    "consts53", "strings53", "ints53", "bits53", "meta53", "big53",
    "tables53", "strlib53", "hi53.s", "upvals.s" };

static uint8_t *vector(const char *name, size_t *n)
{
    char path[512];
    snprintf(path, sizeof path, "%s/lfs53/%s.lc", th_vectors(), name);
    return th_read_file(path, n);
}

static void drop_blobs(lfs_proto_t *f)
{
    f->lineblob = NULL;
    f->sizelineblob = 0;
    for (int i = 0; i < f->sizep; i++)
        drop_blobs(f->p[i]);
}

/* Read mods[i] and write it back for its own target; canonical: without
** its packed line info, which the writer then packs anew. Returns how far
** it got: 0 the file cannot be read, 1 lc53_read failed, 2 lc53_write
** failed (d says why), 3 written, with *diff the first byte that differs
** from the file (-1: none). */
static int rewrite(size_t i, int canonical, lfs_diag_t *d, long *diff)
{
    size_t n;
    uint8_t *p = vector(mods[i], &n);
    if (!p)
        return 0;
    lfs_model_t m;
    lc53_info_t info;
    lfs_proto_t *f;
    lfs_buf_t b;
    lfs_model_init(&m);
    lfs_diag_init(d, mods[i]);
    lfs_buf_init(&b);
    int stage = 1;
    if (lc53_read(p, n, LC53_NODEMCU, &m, d, &info, &f) == 0) {
        lc53_target_t t = { info.sizeof_integer == 8,
                            strstr(mods[i], ".s") != NULL };
        if (canonical)
            drop_blobs(f);
        stage = lc53_write(f, &t, &b, d) == 0 ? 3 : 2;
    }
    *diff = stage == 3 ? th_first_diff(b.data, b.len, p, n) : -2;
    lfs_buf_free(&b);
    lfs_model_free(&m);
    free(p);
    return stage;
}

TEST(test_lc53_roundtrip_vectors)
{
    for (size_t i = 0; i < sizeof mods / sizeof *mods; i++) {
        lfs_diag_t d;
        long diff;
        int stage = rewrite(i, 0, &d, &diff);
        CHECK(stage > 0, "cannot read %s.lc", mods[i]);
        CHECK(stage > 1, "%s: %s at byte 0x%lx", mods[i], d.msg, d.offset);
        CHECK(stage > 2, "%s: write failed: %s", mods[i], d.msg);
        CHECK(diff < 0, "%s: rewritten file differs at byte 0x%lx", mods[i],
              diff);
    }
}

TEST(test_lc53_canonical_line_packing)
{
    for (size_t i = 0; i < sizeof mods / sizeof *mods; i++) {
        lfs_diag_t d;
        long diff;
        int stage = rewrite(i, 1, &d, &diff);
        CHECK(stage > 0, "cannot read %s.lc", mods[i]);
        CHECK(stage > 2, "%s: %s", mods[i], d.msg);
        CHECK(diff < 0, "%s: canonical packing differs at byte 0x%lx",
              mods[i], diff);
    }
}

static int enc_tt(int type, int64_t v, const char *hex)
{
    lfs_buf_t b;
    char got[64] = "";
    lfs_buf_init(&b);
    lc53_write_ttint(&b, type, v);
    for (size_t i = 0; i < b.len && i < 20; i++)
        sprintf(got + 3 * i, "%02X ", b.data[i]);
    got[b.len ? 3 * b.len - 1 : 0] = 0;
    int ok = strcmp(got, hex) == 0;
    /* and back */
    lfs_diag_t d;
    lfs_cur_t c;
    int t;
    lfs_diag_init(&d, "tt");
    lfs_cur_init(&c, b.data, b.len, &d);
    int64_t back = lc53_read_ttint(&c, &t, "v");
    ok = ok && back == v && c.pos == b.len && !c.err;
    if (!ok)
        fprintf(stderr, "tt %lld: got %s want %s back %lld\n",
                (long long)v, got, hex, (long long)back);
    lfs_buf_free(&b);
    return ok;
}

TEST(test_lc53_ttint_spec_examples)
{
    CHECK(enc_tt(LC53_TT_PINT, 42, "B0 2A"), "42");
    CHECK(enc_tt(LC53_TT_PINT, 1, "31"), "1");
    CHECK(enc_tt(LC53_TT_PINT, 10, "3A"), "10");
    CHECK(enc_tt(LC53_TT_PINT, 127, "B0 7F"), "127");
    CHECK(enc_tt(LC53_TT_PINT, 128, "B1 00"), "128");
    CHECK(enc_tt(LC53_TT_PINT, 65536, "B4 80 00"), "65536");
    CHECK(enc_tt(LC53_TT_PINT, 2147483647, "B7 FF FF FF 7F"), "int max");
    CHECK(enc_tt(LC53_TT_PINT, -1, "40"), "-1");
    CHECK(enc_tt(LC53_TT_PINT, -3, "42"), "-3");
    CHECK(enc_tt(LC53_TT_PINT, -64, "C0 3F"), "-64");
    CHECK(enc_tt(LC53_TT_PINT, (int32_t)0xDD219849u, "C2 96 F9 CF 36"),
          "seed");
    CHECK(enc_tt(LC53_TT_PINT, 1795239543, "B6 D8 84 DC 77"), "time");
    CHECK(enc_tt(LC53_TT_SSTRING, 77, "D0 4D"), "ref 77");
    CHECK(enc_tt(LC53_TT_PINT, INT64_MIN, "C0 FF FF FF FF FF FF FF FF 7F"),
          "int64 min");
}

static int lines_ok(const char *blob, size_t len, const int *want, int n)
{
    int got[64];
    int k = lc53_lines_unpack((const uint8_t *)blob, len, got, 64);
    if (k != n || memcmp(got, want, sizeof(int) * (size_t)n))
        return 0;
    lfs_buf_t b;
    lfs_buf_init(&b);
    lc53_lines_pack(want, n, &b);
    int ok = b.len == len && memcmp(b.data, blob, len) == 0;
    lfs_buf_free(&b);
    return ok;
}

TEST(test_lc53_lines_spec_examples)
{
    static const int a[] = { 1, 2, 2, 3, 4, 5, 6, 6 };
    static const int b[] = { 2, 2, 2, 2, 2 };
    int c[19];
    for (int i = 0; i < 18; i++)
        c[i] = 3;
    c[18] = 4;
    CHECK(lines_ok("\x01\x02\x01\x01\x01\x02", 7, a, 8), "example 1");
    CHECK(lines_ok("\x80\x05", 3, b, 5), "example 2");
    CHECK(lines_ok("\x81\x12\x01", 4, c, 19), "example 3");
    int big[300];
    for (int i = 0; i < 300; i++)
        big[i] = i < 200 ? 73 : 5;
    lfs_buf_t buf;
    lfs_buf_init(&buf);
    lc53_lines_pack(big, 300, &buf);
    int back[300];
    int k = lc53_lines_unpack(buf.data, buf.len, back, 300);
    int same = k == 300 && memcmp(back, big, sizeof big) == 0;
    int mb = buf.len > 2 && buf.data[0] == 0x87 && buf.data[1] == 0x81 &&
             buf.data[2] == 127 && buf.data[3] == 0xC0;
    lfs_buf_free(&buf);
    CHECK(same, "200 on line 73, 100 on line 5 do not survive packing");
    CHECK(mb, "a 73-line delta is not 87 81, or no C0 continuation");
    CHECK(lc53_lines_unpack((const uint8_t *)"\x81", 1, back, 10) == -1,
          "an unterminated blob must fail");
    CHECK(lc53_lines_unpack((const uint8_t *)"\x05\x00", 2, back, 3) == -1,
          "more instructions than max must fail");
}

static int read_fails(const uint8_t *p, size_t n, lc53_flavour_t fl,
                      const char *want, long off)
{
    lfs_model_t m;
    lfs_diag_t d;
    lfs_proto_t *f;
    lfs_model_init(&m);
    lfs_diag_init(&d, "bad");
    int rc = lc53_read(p, n, fl, &m, &d, NULL, &f);
    lfs_model_free(&m);
    if (rc == 0 || !strstr(d.msg, want) || (off >= 0 && d.offset != off)) {
        fprintf(stderr, "rc %d off 0x%lx msg %s\n", rc, d.offset, d.msg);
        return 0;
    }
    return 1;
}

TEST(test_lc53_bad_input)
{
    size_t n;
    uint8_t *p = vector("hi53", &n);
    CHECK(p, "cannot read hi53.lc");
    uint8_t *q = malloc(n + 8);
    memcpy(q, p, n);
    CHECK(read_fails(q, 0, LC53_NODEMCU, "truncated", 0), "empty");
    for (size_t k = 1; k < n; k++)
        CHECK(read_fails(q, k, LC53_NODEMCU, "", -1), "cut at %zu", k);
    q[4] = 0x51;
    CHECK(read_fails(q, n, LC53_NODEMCU, "not Lua 5.3", 4), "version");
    q[4] = 0x53;
    q[5] = 0x0B;
    CHECK(read_fails(q, n, LC53_NODEMCU, "an LFS image, not a .lc", 5),
          "format");
    q[5] = 0x0A;
    q[14] = 8;
    CHECK(read_fails(q, n, LC53_NODEMCU, "sizes 8/4", 14), "sizes");
    q[14] = 4;
    q[18] ^= 1;
    CHECK(read_fails(q, n, LC53_NODEMCU, "float format mismatch", 17),
          "370.5");
    q[18] ^= 1;
    q[n] = 0;
    CHECK(read_fails(q, n + 1, LC53_NODEMCU, "garbage", (long)n), "tail");
    CHECK(read_fails(q, n, LC53_STOCK, "format 10, not 0", 5),
          "stock reader takes a NodeMCU file");
    free(q);
    free(p);
}

/* Same code in every function of two trees. */
static int same_code(const lfs_proto_t *a, const lfs_proto_t *b)
{
    if (a->sizecode != b->sizecode || a->sizep != b->sizep ||
        a->sizek != b->sizek || a->sizeupvalues != b->sizeupvalues ||
        memcmp(a->code, b->code, 4 * (size_t)a->sizecode) != 0)
        return 0;
    for (int i = 0; i < a->sizep; i++)
        if (!same_code(a->p[i], b->p[i]))
            return 0;
    return 1;
}

/* Stock dumps as luac5.3 (Debian, 64-bit numbers) writes them, with and
** without debug information: the code equals the NodeMCU vector's. */
TEST(test_lc53_stock_dump)
{
    for (int strip = 0; strip < 2; strip++) {
        char out[512], cmd[1024];
        snprintf(out, sizeof out, "%s/dots%d.luac", th_tmpdir(), strip);
        snprintf(cmd, sizeof cmd, "luac5.3 %s -o '%s' '%s/src/lua53/dots.lua'",
                 strip ? "-s" : "", out, th_vectors());
        CHECK(system(cmd) == 0, "luac5.3 failed (is lua5.3 installed?)");
        size_t n, vn;
        uint8_t *p = th_read_file(out, &n);
        uint8_t *v = vector("dots", &vn);
        CHECK(p && v, "cannot read the dumps");
        lfs_model_t m;
        lfs_diag_t d;
        lc53_info_t info;
        lfs_proto_t *f, *g;
        lfs_model_init(&m);
        lfs_diag_init(&d, out);
        int rc = lc53_read(p, n, LC53_STOCK, &m, &d, &info, &f);
        if (!rc)
            rc = lc53_read(v, vn, LC53_NODEMCU, &m, &d, NULL, &g);
        int same = !rc && same_code(f, g);
        int names = !rc && f->sizeupvalues == 1 &&
                    (f->upvalues[0].name.data != NULL) == !strip;
        int lines = !rc && f->sizelineinfo == (strip ? 0 : f->sizecode);
        lfs_model_free(&m);
        free(p);
        free(v);
        CHECK(rc == 0, "%s: %s at 0x%lx", out, d.msg, d.offset);
        CHECK(info.sizeof_integer == 8 && info.sizeof_number == 8 &&
              info.sizeof_size_t == 8, "header sizes %d/%d/%d",
              info.sizeof_integer, info.sizeof_number, info.sizeof_size_t);
        CHECK(same, "the host's code differs from NodeMCU's for dots");
        CHECK(names && lines, "debug info of the %s dump is wrong",
              strip ? "stripped" : "full");
    }
}
