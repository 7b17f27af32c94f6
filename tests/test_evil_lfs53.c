/*
** test_evil_lfs53.c: lfs53_read against image streams with one field
** corrupted per case (docs/lfs53.md §4): each must fail with LFS_EFORMAT at the
** byte offset of that field and a diagnostic that names what is wrong,
** including everything the stock loader never checks (§5.8). The base
** image is the vector hi53.img (168 bytes); every cut of it must fail
** cleanly too.
*/
#include "tests/harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lfs/lfs53.h"

static uint8_t *base;
static size_t nbase;

static int load(void)
{
    if (!base) {
        char path[512];
        snprintf(path, sizeof path, "%s/lfs53/hi53.img", th_vectors());
        base = th_read_file(path, &nbase);
    }
    return base != NULL && nbase == 168;
}

static int read_image(const uint8_t *p, size_t n, lfs_diag_t *d)
{
    lfs_model_t m;
    lfs53_info_t info;
    lfs_proto_t *f;
    lfs_model_init(&m);
    lfs_diag_init(d, "evil");
    int rc = lfs53_read(p, n, &m, d, &info, &f);
    lfs_model_free(&m);
    return rc;
}

/* One byte replaced: offset, new value, expected offset and message. */
static const struct evil {
    const char *name;
    size_t at;
    uint8_t byte;
    long want_off;
    const char *want;
} cases[] = {
    { "signature", 0x00, 0x1C, 0x00, "no \\033Lua signature" },
    { "version", 0x04, 0x52, 0x04, "version 0x52, not Lua 5.3" },
    { "format_lc", 0x05, 0x0A, 0x05, "this is a .lc file, not an LFS" },
    { "format", 0x05, 0x0C, 0x05, "format 12 is neither" },
    { "check_bytes", 0x08, 0x0A, 0x06, "corrupted header check bytes" },
    { "sizeof_int", 0x0C, 0x08, 0x0C, "int/Instruction sizes 8/4" },
    { "sizeof_integer", 0x0E, 0x08, 0x0E, "sizes 8/4; NodeMCU" },
    { "float_type", 0x10, 0x30, 0x10, "float check type byte 0x30" },
    { "float_check", 0x12, 0x41, 0x11, "float format mismatch" },
    { "seed_type", 0x15, 0xD7, 0x15, "the seed is not a 32-bit integer" },
    { "string_marker", 0x1B, 0x74, 0x1A, "no string vector" },
    { "maxlen", 0x1D, 0x05, 0x1D, "maxlen 5 is less than the longest" },
    { "nshort", 0x1E, 0x4C, 0x1D, "nShort/nLong say 76/0, the section"
      " has 77/0" },
    { "nlong", 0x1F, 0x01, 0x1D, "nShort/nLong say 77/1" },
    { "nstrings", 0x20, 0x08, 0x6A, "string 7 of the string section is"
      " not a string" },
    { "nstrings_big", 0x20, 0x7F, 0x6A, "string 7 of the string section"
      " is not a string" },
    { "string_type", 0x2F, 0x65, 0x2F, "string 2 of 4 bytes is marked"
      " long" },
    { "string_null", 0x2F, 0x50, 0x2F, "string 2 of the string section is"
      " NULL" },
    { "proto_marker", 0x6C, 0x73, 0x6A, "no Proto vector" },
    { "nprotos", 0x6D, 0x7F, 0x6D, "nProtos 127 is impossible" },
    { "null_source", 0x6E, 0x50, 0x6E, "module 1 has a NULL source" },
    { "ref_nibble", 0x6E, 0x63, 0x6E, "refers to a short string (9 bytes)"
      " with a long-string type nibble" },
    { "ref_type", 0x6E, 0x73, 0x6E, "source name has type byte 0x73, not"
      " a string reference" },
    { "sizecode", 0x75, 0x7F, 0x75, "instruction count 127 is impossible"
      },
    { "const_type", 0x93, 0x74, 0x93, "has type byte 0x74, not a string" },
    { "hasnames", 0x96, 0x02, 0x96, "hasnames byte is 2, not 0 or 1" },
    { "upvalues", 0x97, 0x7F, 0x97, "upvalue count 127 is impossible" },
    { "lineinfo", 0x9F, 0x01, 0x9C, "packed line info does not describe" },
    { "nindex", 0xA1, 0x03, 0xA1, "nIndex is 3 for 1 modules" },
    { "name_null", 0xA2, 0x50, 0xA2, "module 1 has a NULL name" },
    { "name_range", 0xA2, 0x5F, 0xA2, "" },
    { "timestamp", 0xA3, 0xD6, 0xA3, "the timestamp is not an integer" },
};

TEST(test_evil_lfs53_one_field)
{
    CHECK(load(), "cannot read lfs53/hi53.img (168 bytes)");
    lfs_diag_t d;
    CHECK(read_image(base, nbase, &d) == 0, "the vector fails: %s", d.msg);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const struct evil *e = &cases[i];
        uint8_t *p = malloc(nbase);
        memcpy(p, base, nbase);
        p[e->at] = e->byte;
        int rc = read_image(p, nbase, &d);
        free(p);
        if (!*e->want)
            continue;       /* a valid image still; only must not crash */
        CHECK(rc == LFS_EFORMAT, "%s: rc %d (%s)", e->name, rc, d.msg);
        CHECK(d.offset == e->want_off, "%s: offset 0x%lx, expected 0x%lx"
              " (%s)", e->name, d.offset, e->want_off, d.msg);
        CHECK(strstr(d.msg, e->want), "%s: message \"%s\" lacks \"%s\"",
              e->name, d.msg, e->want);
    }
}

TEST(test_evil_lfs53_every_cut)
{
    CHECK(load(), "cannot read lfs53/hi53.img");
    lfs_diag_t d;
    for (size_t n = 0; n < nbase; n++) {
        int rc = read_image(base, n, &d);
        CHECK(rc == LFS_EFORMAT, "cut at %zu: rc %d", n, rc);
        CHECK(strstr(d.msg, "truncated") || strstr(d.msg, "impossible"),
              "cut at %zu: \"%s\" does not say truncated", n, d.msg);
    }
}

TEST(test_evil_lfs53_trailing_bytes)
{
    CHECK(load(), "cannot read lfs53/hi53.img");
    uint8_t *p = malloc(nbase + 3);
    memcpy(p, base, nbase);
    memcpy(p + nbase, "abc", 3);
    lfs_diag_t d;
    int rc = read_image(p, nbase + 3, &d);
    free(p);
    CHECK(rc == LFS_EFORMAT && d.offset == (long)nbase &&
          strstr(d.msg, "3 bytes after the timestamp"), "%s", d.msg);
}

/* What --verify adds for real firmware (lfs53_check). */
TEST(test_evil_lfs53_check_limits)
{
    lfs_model_t m;
    lfs_model_init(&m);
    lfs_proto_t mod, *mods[3] = { &mod, &mod, &mod };
    memset(&mod, 0, sizeof mod);
    uint32_t code = 38u | 1u << 23;
    mod.code = &code;
    mod.sizecode = 1;
    lfs_str_t names[3] = { { "a", 1 }, { "__b", 3 }, { "c", 1 } };
    lfs_proto_t *idx = lfs53_build_index(&m, mods, names, 3, 0);
    lfs53_info_t info;
    memset(&info, 0, sizeof info);
    lfs_diag_t d;
    lfs_diag_init(&d, "x");
    int rc = lfs53_check(idx, &info, 0x10000, &d);
    CHECK(rc == LFS_ELIMIT && strstr(d.msg, "'__b' comes after"), "%s",
          d.msg);
    idx->k[1].s = (lfs_str_t){ "a", 1 };
    lfs_diag_init(&d, "x");
    rc = lfs53_check(idx, &info, 0x10000, &d);
    CHECK(rc == LFS_ELIMIT && strstr(d.msg, "two modules are named 'a'"),
          "%s", d.msg);
    idx->k[1].s = (lfs_str_t){ "abcdefghijabcdefghijabcdefghijabcdefghijX",
                               41 };
    lfs_diag_init(&d, "x");
    rc = lfs53_check(idx, &info, 0x10000, &d);
    CHECK(rc == LFS_ELIMIT && strstr(d.msg, "has 41 characters"), "%s",
          d.msg);
    idx->k[1].s = (lfs_str_t){ "b", 1 };
    lfs_diag_init(&d, "x");
    rc = lfs53_check(idx, &info, 0x100, &d);
    CHECK(rc == LFS_ELIMIT && strstr(d.msg, "the LFS partition has 256"),
          "%s", d.msg);
    lfs_diag_init(&d, "x");
    rc = lfs53_check(idx, &info, 0x10000, &d);
    lfs_model_free(&m);
    CHECK(rc == 0, "a good index fails: %s", d.msg);
}

/* A flash region with one word corrupted: the reader names it. */
TEST(test_evil_lfs53_region)
{
    CHECK(load(), "cannot read lfs53/hi53.img");
    lfs_model_t m;
    lfs_diag_t d;
    lfs53_info_t info;
    lfs_proto_t *index;
    lfs_buf_t b;
    lfs_model_init(&m);
    lfs_buf_init(&b);
    lfs_diag_init(&d, "evil");
    int rc = lfs53_read(base, nbase, &m, &d, &info, &index);
    lfs53_opts_t o = { 0, 0, info.seed, 1 };
    if (!rc)
        rc = lfs53_write_region(index, &o, 0x40290000, &b, &d);
    lfs_model_free(&m);
    CHECK(rc == 0, "%s", d.msg);
    static const struct { size_t at; uint32_t x; long off; const char *want; }
    cases[] = {
        { 0x00, 0x1, 0x00, "not a Lua 5.3 flash region" },
        { 0x04, 0x1000, 0x04, "flash_size" },
        { 0x38, 0x1, 0x38, "has hash" },
        { 0x34, 0x100, 0x34, "not a flash TString" },
        { 0x14, 0x1, 0x14, "ROstrt of" },
        { 0x24, 0x1, 0x24, "" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        uint8_t *p = malloc(b.len);
        memcpy(p, b.data, b.len);
        lfs_put_le32(p + cases[i].at, lfs_le32(p + cases[i].at) ^
                                      cases[i].x);
        uint32_t at;
        lfs_model_init(&m);
        lfs_diag_init(&d, "evil");
        rc = lfs53_read_region(p, b.len, &m, &d, &info, &at, &index);
        lfs_model_free(&m);
        free(p);
        CHECK(rc == LFS_EFORMAT, "case %zu: rc %d", i, rc);
        if (*cases[i].want)
            CHECK(d.offset == cases[i].off && strstr(d.msg, cases[i].want),
                  "case %zu: 0x%lx %s", i, d.offset, d.msg);
    }
    lfs_buf_free(&b);
}
