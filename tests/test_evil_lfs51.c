/*
** test_evil_lfs51.c: lfs51_read against images with one field corrupted per
** case (docs/lfs51.md §3): each must fail with LFS_EFORMAT at the byte offset
** of that field and a diagnostic that names what is wrong. The base image
** is the vector hello.payload (relocatable), so every case also proves
** the untouched vector passes.
*/
#include "tests/harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lfs/lfs51.h"

static uint8_t *base;
static size_t nbase;

static int load(void)
{
    if (!base) {
        char path[512];
        snprintf(path, sizeof path, "%s/lfs51/hello.payload", th_vectors());
        base = th_read_file(path, &nbase);
    }
    return base != NULL;
}

static uint32_t get(const uint8_t *p, size_t off) { return lfs_le32(p + off); }

/* Corrupt a copy with fn, read it, compare code, offset and message. */
typedef void (*corrupt_fn)(uint8_t *p, size_t *n);

static const char *run(corrupt_fn fn, long *off, int *code)
{
    static lfs_diag_t d;
    uint8_t *p = malloc(nbase + 64);
    size_t n = nbase;
    memcpy(p, base, nbase);
    fn(p, &n);
    lfs_model_t m;
    lfs51_info_t info;
    lfs_proto_t *f;
    lfs_model_init(&m);
    lfs_diag_init(&d, "evil");
    *code = lfs51_read(p, n, &m, &d, &info, &f);
    *off = d.offset;
    lfs_model_free(&m);
    free(p);
    return d.msg;
}

#define EVIL(name, body, want_off, want_msg)                              \
    static void name##_fn(uint8_t *p, size_t *n)                          \
    {                                                                     \
        (void)n;                                                          \
        size_t fs = get(p, 4), mp = fs - 72;                              \
        (void)fs; (void)mp;                                               \
        body;                                                             \
    }                                                                     \
    TEST(name)                                                            \
    {                                                                     \
        CHECK(load(), "cannot read hello.payload");                       \
        size_t fs = get(base, 4), mp = fs - 72;                           \
        (void)fs; (void)mp;                                               \
        long off;                                                         \
        int code;                                                         \
        const char *msg = run(name##_fn, &off, &code);                    \
        CHECK(code == LFS_EFORMAT, "code %d (%s)", code, msg);            \
        CHECK(off == (long)(want_off), "offset 0x%lx, expected 0x%lx (%s)", \
              off, (long)(want_off), msg);                                \
        CHECK(strstr(msg, want_msg), "message '%s' lacks '%s'", msg,      \
              want_msg);                                                  \
    }

static void nothing(uint8_t *p, size_t *n) { (void)p; (void)n; }

TEST(test_evil_lfs51_vector_is_clean)
{
    CHECK(load(), "cannot read hello.payload");
    long off;
    int code;
    const char *msg = run(nothing, &off, &code);
    CHECK(code == 0, "the untouched vector fails: %s", msg);
}

EVIL(test_evil_lfs51_signature, lfs_put_le32(p, 0xFAFAA164), 0,
     "signature 0xfafaa164 is not a NodeMCU Lua 5.1 LFS image")
EVIL(test_evil_lfs51_flash_size_odd, lfs_put_le32(p + 4, fs + 2), 4,
     "does not fit")
EVIL(test_evil_lfs51_flash_size_big, lfs_put_le32(p + 4, fs + 64), 4,
     "does not fit")
EVIL(test_evil_lfs51_length, *n -= 4, fs, "should be")
EVIL(test_evil_lfs51_fill, lfs_put_le32(p + 0x1C, 1), 0x18,
     "fill words are not zero")
EVIL(test_evil_lfs51_buckets_not_pow2, lfs_put_le32(p + 0x14, 6), 0x14,
     "ROstrt has 6 buckets, not a power of two")
EVIL(test_evil_lfs51_nrouse, lfs_put_le32(p + 0x10, get(p, 0x10) - 1), 0x10,
     "holds more strings than nROuse")
EVIL(test_evil_lfs51_nrouse_huge, lfs_put_le32(p + 0x10, 0x7FFFFFFF), 0x10,
     "nROuse 2147483647 is impossible")
EVIL(test_evil_lfs51_phash, lfs_put_le32(p + 0x0C, 9), 0x0C,
     "pROhash must point at word 8")
EVIL(test_evil_lfs51_mainproto, lfs_put_le32(p + 8, get(p, 8) - 1), 8,
     "mainProto must be the image's last 18 words")
/* The first string sits right after the 8 buckets, at byte 0x40. */
EVIL(test_evil_lfs51_string_white, p[0x45] = 0x41, 0x44,
     "the VM would write to flash")
EVIL(test_evil_lfs51_string_hash, p[0x48] ^= 1, 0x48, "string hash")
EVIL(test_evil_lfs51_string_len, lfs_put_le32(p + 0x4C, 1u << 20), 0x4C,
     "runs past the image")
EVIL(test_evil_lfs51_proto_header, p[mp + 4] = 9, mp,
     "Proto next, tt/marked and gclist must be zero")
EVIL(test_evil_lfs51_proto_sizek, lfs_put_le32(p + mp + 40, 0x7FFFFFF0),
     mp + 40, "sizek 2147483632 is impossible")
EVIL(test_evil_lfs51_const_tag,
     lfs_put_le32(p + 4 * get(p, mp + 8) + 8, 7), 4 * get(base, mp + 8) + 8,
     "constant 0 has type tag 7")
EVIL(test_evil_lfs51_source_not_string,
     lfs_put_le32(p + mp + 32, get(p, mp + 12)), mp + 32,
     "which is no ROstrt string")
/* Relocation bitmap: clear the bit of word 2 (mainProto), or set the bit
** of word 4 (nROuse, a plain number). */
EVIL(test_evil_lfs51_bitmap_missing, p[fs] &= (uint8_t)~0x04, 8,
     "holds a pointer the relocation bitmap does not mark")
EVIL(test_evil_lfs51_bitmap_extra, p[fs] |= 0x10, 16,
     "marked in the relocation bitmap but holds no pointer")
EVIL(test_evil_lfs51_gap, lfs_put_le32(p + mp + 44, get(p, mp + 44) - 1),
     4 * (get(base, mp + 12) + get(base, mp + 44) - 1),
     "belongs to no object")

/* Fuzz regression: the index's last constant is the build time; a huge
** number there (7.2561e97) is legal but must not overflow the int64
** summary (UBSan found the conversion). The image reads; time shows 0. */
TEST(test_evil_lfs51_timestamp_huge)
{
    CHECK(load(), "cannot read hello.payload");
    uint8_t *p = malloc(nbase);
    memcpy(p, base, nbase);
    size_t mp = get(p, 4) - 72;
    size_t last = 4 * get(p, mp + 8) + 12 * (get(p, mp + 40) - 1);
    double v = 7.2561e97;
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    CHECK(get(p, last + 8) == LFS51_TNUMBER, "last constant is no number");
    lfs_put_le32(p + last, (uint32_t)u);
    lfs_put_le32(p + last + 4, (uint32_t)(u >> 32));
    lfs_model_t m;
    lfs_diag_t d;
    lfs51_info_t info;
    lfs_proto_t *f;
    lfs_model_init(&m);
    lfs_diag_init(&d, "evil");
    int rc = lfs51_read(p, nbase, &m, &d, &info, &f);
    lfs_model_free(&m);
    free(p);
    CHECK(rc == 0, "%s", d.msg);
    CHECK(info.timestamp == 0, "timestamp %lld", (long long)info.timestamp);
}
