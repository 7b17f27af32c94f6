/*
** tests/test_spiffs.c: the SPIFFS library (spiffsimg/spiffs_*.c): the
** NodeMCU spiffsimg vectors read back, our images' structure rule by rule,
** firmware probe/mount rules, NOR-only writes, property tests (random
** trees; random create/append/write/rename/remove against a model with
** remounts) and corrupted images.
** Spec: docs/spiffs.md §1, §2.5, §4. May call: the SPIFFS library, harness.
*/
#include "tests/harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spiffs/spiffs.h"

/* ---- helpers -------------------------------------------------------- */

static uint64_t rng_state;
static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 11);
}
static uint32_t rnd_to(uint32_t n) { return n ? rnd() % n : 0; }

typedef struct img {
    uint8_t *buf;
    uint32_t size;
    spiffs_ram_t ram;
    spiffs_config_t cfg;
    spiffs_t fs;
} img_t;

/* A fresh formatted image in strict NOR mode. */
static int img_new(img_t *im, uint32_t size, uint32_t bs)
{
    im->buf = malloc(size);
    im->size = size;
    if (!im->buf)
        return -1;
    memset(im->buf, 0x00, size);    /* format must erase everything */
    spiffs_ram_config(&im->ram, im->buf, size, SPIFFS_RAM_STRICT, bs,
                      &im->cfg);
    int r = spiffs_format(&im->cfg);
    return r < 0 ? r : spiffs_mount(&im->fs, &im->cfg, 0);
}

static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static int count_issues_cb_n;
static char last_issue[256];
static void count_cb(void *ctx, const spiffs_issue_t *is)
{
    (void)ctx;
    count_issues_cb_n++;
    snprintf(last_issue, sizeof last_issue, "%s", is->msg);
}

static const char *vec_files[] = {
    "a_31_character_long_file_name.x", "big70000.txt", "binary.dat",
    "config.json", "empty.txt", "init.lua", "one.bin", "page251.bin",
    "page256.bin", "www/index.html"
};
#define NVEC (sizeof vec_files / sizeof vec_files[0])

static uint8_t *vec_src(const char *name, size_t *len)
{
    char p[512];
    snprintf(p, sizeof p, "%s/spiffs/src/%s", th_vectors(), name);
    return th_read_file(p, len);
}

struct lst {
    char text[4096];
    size_t n;
};
static int lst_cb(void *ctx, const spiffs_stat_t *st)
{
    struct lst *l = ctx;
    l->n += (size_t)snprintf(l->text + l->n, sizeof l->text - l->n,
                             "%c %6u %s\n", st->type == 1 ? 'f' : '?',
                             st->size, st->name);
    return 0;
}

/* ---- vectors -------------------------------------------------------- */

TEST(test_spiffs_vectors_read)
{
    static const char *imgs[] = { "fs64k", "fs256k", "fs1m" };
    for (size_t i = 0; i < 3; i++) {
        char p[512];
        size_t len, llen;
        snprintf(p, sizeof p, "%s/spiffs/%s.img", th_vectors(), imgs[i]);
        uint8_t *buf = th_read_file(p, &len);
        CHECK(buf, "cannot read %s", p);
        snprintf(p, sizeof p, "%s/spiffs/%s.lst", th_vectors(), imgs[i]);
        uint8_t *lst = th_read_file(p, &llen);
        CHECK(lst, "cannot read %s", p);
        spiffs_ram_t ram;
        spiffs_config_t cfg;
        spiffs_t fs;
        uint32_t bs;
        spiffs_ram_config(&ram, buf, (uint32_t)len, SPIFFS_RAM_NOR, 0, &cfg);
        CHECK(spiffs_detect_block_size(&cfg, &bs) == 0, "%s: no magic",
              imgs[i]);
        CHECK(bs == (i == 0 ? 4096u : 8192u), "%s: block %u", imgs[i], bs);
        cfg.block_size = bs;
        CHECK(spiffs_mount(&fs, &cfg, 0) == 0 && fs.bad_block == -1,
              "%s: mount", imgs[i]);
        struct lst l = { .n = 0 };
        CHECK(spiffs_list(&fs, lst_cb, &l) == 0, "%s: list", imgs[i]);
        CHECK(l.n == llen && memcmp(l.text, lst, llen) == 0,
              "%s: listing differs:\n%s", imgs[i], l.text);
        for (size_t f = 0; f < NVEC; f++) {
            size_t sl;
            spiffs_stat_t st;
            uint8_t *src = vec_src(vec_files[f], &sl);
            CHECK(src, "no source %s", vec_files[f]);
            int r = spiffs_stat(&fs, vec_files[f], &st);
            if (i == 0 && f == 1) {     /* fs64k has no big70000.txt */
                CHECK(r == SPIFFS_ENOENT, "fs64k: big file present");
                free(src);
                continue;
            }
            CHECK(r == 0 && st.size == sl, "%s: %s stat %d", imgs[i],
                  vec_files[f], r);
            uint8_t *got = malloc(sl + 1);
            long n = spiffs_read(&fs, vec_files[f], 0, got, sl + 1);
            CHECK(n == (long)sl && memcmp(got, src, sl) == 0,
                  "%s: %s content differs (%ld)", imgs[i], vec_files[f], n);
            /* a read at an offset, across a page boundary */
            if (sl > 600) {
                n = spiffs_read(&fs, vec_files[f], 245, got, 300);
                CHECK(n == 300 && memcmp(got, src + 245, 300) == 0,
                      "%s: offset read", vec_files[f]);
            }
            free(got);
            free(src);
        }
        count_issues_cb_n = 0;
        long n = spiffs_fsck(&fs, count_cb, NULL);
        CHECK(n == 0 && count_issues_cb_n == 0, "%s: fsck found %ld: %s",
              imgs[i], n, last_issue);
        free(buf);
        free(lst);
    }
}

TEST(test_spiffs_vectors_probe)
{
    /* §2.5: the 64 KiB spiffsimg image has 4 KiB blocks; the firmware
    ** probes with 8 KiB blocks and fails (deviation spiffs-block-size). */
    static const struct { const char *n; uint32_t bs; int ok; } t[] = {
        { "fs64k", 8192, 0 }, { "fs64k", 4096, 1 },
        { "fs256k", 8192, 1 }, { "fs1m", 8192, 1 },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char p[512];
        size_t len;
        snprintf(p, sizeof p, "%s/spiffs/%s.img", th_vectors(), t[i].n);
        uint8_t *buf = th_read_file(p, &len);
        CHECK(buf, "cannot read %s", p);
        spiffs_ram_t ram;
        spiffs_config_t cfg;
        uint32_t sz = 0;
        spiffs_ram_config(&ram, buf, (uint32_t)len, SPIFFS_RAM_NOR, 0, &cfg);
        int r = spiffs_probe(&cfg, t[i].bs, &sz);
        if (t[i].ok)
            CHECK(r == 0 && sz == len, "%s/%u: probe %d size %u", t[i].n,
                  t[i].bs, r, sz);
        else
            CHECK(r == SPIFFS_EPROBE, "%s/%u: probe %d", t[i].n, t[i].bs, r);
        /* the firmware mounts with its own block size */
        spiffs_t fs;
        cfg.block_size = t[i].bs;
        r = spiffs_mount(&fs, &cfg, 0);
        CHECK(t[i].ok ? r == 0 : r == SPIFFS_ENOTFS, "%s/%u: mount %d",
              t[i].n, t[i].bs, r);
        free(buf);
    }
}

/* ---- geometry and firmware rules ----------------------------------- */

TEST(test_spiffs_fw_rules)
{
    uint32_t a, s;
    CHECK(spiffs_fw_block_size(24576) == 4096, "24K");
    CHECK(spiffs_fw_block_size(32768) == 8192, "32K");
    CHECK(spiffs_fw_block_size(65536) == 8192, "64K: firmware uses 8K");
    CHECK(spiffs_fw_region(0x101000, 0x100000, &a, &s) == 0 &&
          a == 0x102000 && s == 0xFE000, "4K-aligned partition: %x %x", a, s);
    CHECK(spiffs_fw_region(0xA8000, 0x355000, &a, &s) == 0 &&
          a == 0xA8000 && s == 0x354000, "default 4M: %x %x", a, s);
    CHECK(spiffs_fw_region(0x100000, 0x3000, &a, &s) == SPIFFS_EINVAL,
          "tiny partition");
    /* §1.10 worked example: 70 000 bytes = 279 data + 3 index pages */
    CHECK(spiffs_file_pages(70000) == 282, "70000: %u",
          spiffs_file_pages(70000));
    CHECK(spiffs_file_pages(0) == 1 && spiffs_file_pages(251) == 2 &&
          spiffs_file_pages(252) == 3, "small sizes");
    CHECK(spiffs_file_pages(105 * 251) == 106 &&
          spiffs_file_pages(105 * 251 + 1) == 108, "105-page boundary");
}

TEST(test_spiffs_format_bytes)
{
    img_t im;
    CHECK(img_new(&im, 262144, 0) == 0, "format");
    for (uint32_t i = 0; i < im.size; i++) {
        uint32_t o = i % 8192, b = i / 8192;
        uint8_t want = 0xFF;
        uint16_t m = (uint16_t)(0x0429 ^ (32 - b));
        if (o == 0xFC) want = (uint8_t)m;
        if (o == 0xFD) want = (uint8_t)(m >> 8);
        if (o == 0xFE || o == 0xFF) want = 0;
        CHECK(im.buf[i] == want, "byte 0x%x is 0x%02x, want 0x%02x", i,
              im.buf[i], want);
    }
    CHECK(le16(im.buf + 0xFC) == 0x0409 && le16(im.buf + 0x20FC) == 0x0436 &&
          le16(im.buf + 0x3E0FC) == 0x0428, "§1.14 magic examples");
    uint32_t total, used;
    CHECK(spiffs_info(&im.fs, &total, &used) == 0 && total == 233681 &&
          used == 0, "info %u %u", total, used);
    free(im.buf);
    /* a small FS gets 4 KiB blocks, and geometry errors are refused */
    CHECK(img_new(&im, 24576, 0) == 0 && im.fs.block_size == 4096 &&
          im.fs.epb == 15 && le16(im.buf + 0xFC) == (0x0429 ^ 6), "24K");
    free(im.buf);
    CHECK(img_new(&im, 40960 + 4096, 0) == SPIFFS_EINVAL, "not a multiple");
    free(im.buf);
    CHECK(img_new(&im, 8192, 4096) == SPIFFS_EINVAL, "2 blocks");
    free(im.buf);
}

/* ---- our images, rule by rule --------------------------------------- */

/* Build the vector tree into an image of `size`; skip files > skip_over. */
static int build_vec(img_t *im, uint32_t size, size_t skip_over)
{
    int r = img_new(im, size, 0);
    for (size_t f = 0; f < NVEC && r == 0; f++) {
        size_t sl;
        uint8_t *src = vec_src(vec_files[f], &sl);
        if (!src)
            return -100;
        if (sl <= skip_over)
            r = spiffs_write_file(&im->fs, vec_files[f], src, sl);
        free(src);
    }
    return r;
}

/* Check every structural rule of docs/spiffs.md on a clean image built from
** scratch; returns a message or NULL. */
static const char *structure(const img_t *im, char *why, size_t n)
{
    const uint8_t *b = im->buf;
    uint32_t bs = im->fs.block_size, nb = im->size / bs, ppb = bs / 256;
    uint32_t epb = ppb - 1, alloc = 0;
    int seen_free = 0;
    for (uint32_t blk = 0; blk < nb; blk++) {
        const uint8_t *lu = b + blk * bs;
        if (le16(lu + 0xFC) != (uint16_t)(0x0429 ^ (nb - blk)))
            return snprintf(why, n, "block %u magic", blk), why;
        if (le16(lu + 0xFE) != 0)
            return snprintf(why, n, "block %u erase count", blk), why;
        for (uint32_t i = 2 * epb; i < 0xFC; i++)
            if (lu[i] != 0xFF)
                return snprintf(why, n, "block %u lookup pad", blk), why;
        for (uint32_t e = 0; e < epb; e++) {
            uint16_t v = le16(lu + 2 * e);
            uint32_t pix = blk * ppb + 1 + e;
            const uint8_t *pg = b + pix * 256;
            if (v == 0xFFFF) {
                seen_free = 1;
                for (int i = 0; i < 256; i++)
                    if (pg[i] != 0xFF)
                        return snprintf(why, n, "free page %u not FF",
                                        pix), why;
                continue;
            }
            /* clean layout: no deleted pages, sequential allocation */
            if (v == 0 || seen_free)
                return snprintf(why, n, "page %u: deleted or after a free"
                                " page", pix), why;
            alloc++;
            if (le16(pg) != v)
                return snprintf(why, n, "page %u: id 0x%04x vs lookup"
                                " 0x%04x", pix, le16(pg), v), why;
            if (pg[4] != ((v & 0x8000) ? 0xF8 : 0xFC))
                return snprintf(why, n, "page %u flags 0x%02x", pix, pg[4]),
                       why;
            if (!(v & 0x8000))
                continue;
            uint16_t span = le16(pg + 2);
            if (pg[5] != 0xFF || pg[6] != 0xFF || pg[7] != 0xFF)
                return snprintf(why, n, "page %u pad 5-7", pix), why;
            if (span != 0)
                continue;
            uint32_t size = le32(pg + 8);
            if (pg[12] != 1 || pg[45] != 0xFF)
                return snprintf(why, n, "page %u type/pad 45", pix), why;
            size_t nl = strnlen((const char *)pg + 13, 32);
            if (nl == 0 || nl > 31 || pg[13] == '/')
                return snprintf(why, n, "page %u name", pix), why;
            for (size_t i = nl; i < 32; i++)
                if (pg[13 + i] != 0)
                    return snprintf(why, n, "page %u name pad", pix), why;
            if (size == 0)
                return snprintf(why, n, "page %u size 0", pix), why;
            uint32_t sz = size == 0xFFFFFFFF ? 0 : size;
            uint32_t dp = (sz + 250) / 251;
            for (uint32_t s = 0; s < 105; s++) {
                uint16_t slot = le16(pg + 46 + 2 * s);
                if ((s >= dp) != (slot == 0xFFFF))
                    return snprintf(why, n, "page %u slot %u", pix, s), why;
                if (s >= dp)
                    continue;
                const uint8_t *d = b + slot * 256;
                if (le16(d) != (v & 0x7FFF) || le16(d + 2) != s ||
                    d[4] != 0xFC)
                    return snprintf(why, n, "data of %u span %u", pix, s),
                           why;
                if (s + 1 == dp)
                    for (uint32_t i = 5 + sz - s * 251; i < 256; i++)
                        if (d[i] != 0xFF)
                            return snprintf(why, n, "tail of %u", pix), why;
            }
        }
    }
    spiffs_usage_t u;
    spiffs_t fs = im->fs;
    if (spiffs_usage(&fs, &u) != 0 || u.live_pages != alloc ||
        u.deleted_pages != 0)
        return snprintf(why, n, "usage"), why;
    return NULL;
}

TEST(test_spiffs_build_vectors_tree)
{
    static const struct { uint32_t size; size_t skip; } t[] = {
        { 262144, (size_t)-1 }, { 1048576, (size_t)-1 }, { 65536, 65535 },
        { 24576, 1024 },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        img_t a, b;
        char why[200];
        CHECK(build_vec(&a, t[i].size, t[i].skip) == 0, "build %u",
              t[i].size);
        CHECK(a.fs.block_size == spiffs_fw_block_size(t[i].size),
              "firmware block size");
        const char *bad = structure(&a, why, sizeof why);
        CHECK(!bad, "%u: %s", t[i].size, bad);
        /* deterministic: same inputs, same bytes */
        CHECK(build_vec(&b, t[i].size, t[i].skip) == 0, "rebuild");
        CHECK(th_first_diff(a.buf, a.size, b.buf, b.size) == -1,
              "%u: two builds differ at %ld", t[i].size,
              th_first_diff(a.buf, a.size, b.buf, b.size));
        /* remount from the bytes and read everything back */
        spiffs_t fs;
        CHECK(spiffs_mount(&fs, &a.cfg, 0) == 0, "remount");
        for (size_t f = 0; f < NVEC; f++) {
            size_t sl;
            uint8_t *src = vec_src(vec_files[f], &sl);
            uint8_t *got = malloc(sl + 1);
            long n = spiffs_read(&fs, vec_files[f], 0, got, sl + 1);
            if (sl > t[i].skip)
                CHECK(n == SPIFFS_ENOENT, "%s should be absent", vec_files[f]);
            else
                CHECK(n == (long)sl && !memcmp(got, src, sl), "%s differs",
                      vec_files[f]);
            free(got);
            free(src);
        }
        CHECK(spiffs_fsck(&fs, NULL, NULL) == 0, "fsck");
        /* the firmware's probe finds it */
        uint32_t sz;
        CHECK(spiffs_probe(&a.cfg, a.fs.block_size, &sz) == 0 &&
              sz == t[i].size, "probe");
        if (t[i].size == 262144) {
            uint32_t total, used;
            spiffs_info(&fs, &total, &used);
            CHECK(total == 233681 && used == 76304,
                  "info as fs256k.log: %u %u", total, used);
        }
        free(a.buf);
        free(b.buf);
    }
}

TEST(test_spiffs_layout_70000)
{
    /* §1.10/§1.15: header, then data; index page k just before span
    ** 105 + (k-1)*124; pages taken in (block, entry) order. */
    img_t im;
    size_t sl;
    uint8_t *src = vec_src("big70000.txt", &sl);
    CHECK(src && sl == 70000, "source");
    CHECK(img_new(&im, 262144, 0) == 0, "format");
    CHECK(spiffs_write_file(&im.fs, "big", src, sl) == 0, "write");
    for (uint32_t i = 0; i < 282; i++) {
        uint32_t pix = (i / 31) * 32 + 1 + i % 31;
        const uint8_t *pg = im.buf + pix * 256;
        uint32_t want_span, ix;
        if (i == 0) { ix = 1; want_span = 0; }
        else if (i <= 105) { ix = 0; want_span = i - 1; }
        else if (i == 106) { ix = 1; want_span = 1; }
        else if (i <= 230) { ix = 0; want_span = i - 2; }
        else if (i == 231) { ix = 1; want_span = 2; }
        else { ix = 0; want_span = i - 3; }
        CHECK(le16(pg) == (ix ? 0x8001 : 0x0001) && le16(pg + 2) == want_span,
              "page %u (#%u): id 0x%04x span %u", pix, i, le16(pg),
              le16(pg + 2));
    }
    /* index page 2 has 50 slots used */
    const uint8_t *ix2 = im.buf + ((231 / 31) * 32 + 1 + 231 % 31) * 256;
    CHECK(le16(ix2 + 8 + 2 * 49) != 0xFFFF && le16(ix2 + 8 + 2 * 50) ==
          0xFFFF, "index page 2 slots");
    CHECK(le32(im.buf + 256 + 8) == 70000, "size");
    free(src);
    free(im.buf);
}

/* ---- behaviour --------------------------------------------------------- */

TEST(test_spiffs_names)
{
    img_t im;
    CHECK(img_new(&im, 65536, 0) == 0, "format");
    CHECK(spiffs_create(&im.fs, "abcdefghijklmnopqrstuvwxyz01234") == 0,
          "31 bytes");
    CHECK(spiffs_create(&im.fs, "abcdefghijklmnopqrstuvwxyz012345") ==
          SPIFFS_ENAME, "32 bytes");
    CHECK(spiffs_create(&im.fs, "/init.lua") == SPIFFS_ENAME, "leading /");
    CHECK(spiffs_create(&im.fs, "") == SPIFFS_ENAME, "empty");
    CHECK(spiffs_create(&im.fs, "http/index.html") == 0, "slash inside");
    CHECK(spiffs_create(&im.fs, "http/index.html") == SPIFFS_EEXIST, "dup");
    CHECK(spiffs_rename(&im.fs, "http/index.html",
                        "abcdefghijklmnopqrstuvwxyz01234") == SPIFFS_EEXIST,
          "rename onto existing");
    CHECK(spiffs_rename(&im.fs, "nope", "x") == SPIFFS_ENOENT, "rename none");
    CHECK(spiffs_remove(&im.fs, "nope") == SPIFFS_ENOENT, "remove none");
    CHECK(spiffs_append(&im.fs, "nope", "x", 1) == SPIFFS_ENOENT, "append");
    spiffs_stat_t st;
    CHECK(spiffs_stat(&im.fs, "HTTP/index.html", &st) == SPIFFS_ENOENT,
          "case-sensitive");
    free(im.buf);
}

TEST(test_spiffs_empty_file_append)
{
    /* §1.12: an empty file has size 0xFFFFFFFF; appending to it rewrites
    ** the header in place (strict NOR proves only bits are cleared). */
    img_t im;
    CHECK(img_new(&im, 65536, 0) == 0, "format");
    CHECK(spiffs_create(&im.fs, "e") == 0, "create");
    CHECK(le32(im.buf + 256 + 8) == 0xFFFFFFFF, "size ones");
    spiffs_stat_t st;
    CHECK(spiffs_stat(&im.fs, "e", &st) == 0 && st.size == 0 &&
          st.raw_size == 0xFFFFFFFF, "stat");
    CHECK(spiffs_append(&im.fs, "e", "hello", 5) == 0, "append");
    CHECK(le32(im.buf + 256 + 8) == 5 && le16(im.buf) == 0x8001,
          "header rewritten in place");
    /* append into the last page's tail, then past it: header moves */
    char big[600];
    for (int i = 0; i < 600; i++)
        big[i] = (char)('a' + i % 26);
    CHECK(spiffs_append(&im.fs, "e", big, 600) == 0, "append 2");
    char got[700];
    CHECK(spiffs_read(&im.fs, "e", 0, got, sizeof got) == 605 &&
          !memcmp(got, "hello", 5) && !memcmp(got + 5, big, 600), "read");
    CHECK(le16(im.buf) == 0x0000, "old header deleted (lookup 0)");
    CHECK((im.buf[256 + 4] & 0x80) == 0, "old header DELET flag cleared");
    CHECK(spiffs_fsck(&im.fs, NULL, NULL) == 0, "fsck");
    CHECK(im.ram.progs > 0, "strict mode used");
    free(im.buf);
}

TEST(test_spiffs_capacity)
{
    /* §1.17: live pages may reach (N - 2) * 31 exactly, not one more. */
    img_t im;
    CHECK(img_new(&im, 65536, 0) == 0, "format");
    uint32_t limit = (8 - 2) * 31;              /* 186 pages */
    /* one file of limit pages: 1 header + 1 index + 184 data pages */
    uint32_t size = 184 * 251;
    CHECK(spiffs_file_pages(size) == limit, "pages %u",
          spiffs_file_pages(size));
    uint8_t *d = malloc(size + 1);
    memset(d, 0x5A, size + 1);
    CHECK(spiffs_write_file(&im.fs, "full", d, size + 1) == SPIFFS_ENOSPC,
          "one byte too many");
    CHECK(spiffs_write_file(&im.fs, "full", d, size) == 0, "exact fit");
    CHECK(spiffs_create(&im.fs, "more") == SPIFFS_ENOSPC, "no room left");
    CHECK(spiffs_append(&im.fs, "full", d, 1) == SPIFFS_ENOSPC, "append");
    /* a replacement is written beside the old version (§5.4): no room,
    ** so it is refused and the file stays as it was */
    spiffs_stat_t st;
    CHECK(spiffs_write_file(&im.fs, "full", d, size - 251) ==
          SPIFFS_ENOSPC && spiffs_stat(&im.fs, "full", &st) == 0 &&
          st.size == size, "replace refused");
    CHECK(spiffs_remove(&im.fs, "full") == 0 &&
          spiffs_write_file(&im.fs, "full", d, size - 251) == 0, "shrink");
    CHECK(spiffs_create(&im.fs, "more") == 0, "room again");
    CHECK(spiffs_fsck(&im.fs, NULL, NULL) == 0, "fsck");
    free(d);
    free(im.buf);
}

TEST(test_spiffs_ram_nor)
{
    /* §0: the NOR rule every RAM flash shares, and the backend's modes. */
    uint8_t old[4] = { 0xFF, 0xF0, 0x0F, 0x00 };
    uint8_t data[4] = { 0x5A, 0x30, 0x0F, 0x00 };
    CHECK(spiffs_nor_sets(old, data, 4) == 4, "only clears");
    data[2] = 0x1F;
    CHECK(spiffs_nor_sets(old, data, 4) == 2, "byte 2 sets a bit");
    spiffs_nor_prog(old, data, 4);
    CHECK(old[0] == 0x5A && old[1] == 0x30 && old[2] == 0x0F &&
          old[3] == 0x00, "AND");
    spiffs_nor_erase(old, 4);
    CHECK(old[0] == 0xFF && old[3] == 0xFF, "erase");

    static uint8_t buf[2 * SPIFFS_SECTOR_SIZE];
    uint8_t got[8];
    spiffs_ram_t ram;
    spiffs_config_t cfg;
    memset(buf, 0xF0, sizeof buf);
    spiffs_ram_config(&ram, buf, sizeof buf, SPIFFS_RAM_STRICT, 0, &cfg);
    CHECK(cfg.prog(cfg.context, 0, "\x0F", 1) == SPIFFS_ENOTNOR &&
          buf[0] == 0xF0, "strict refuses, changing nothing");
    ram.mode = SPIFFS_RAM_NOR;
    CHECK(cfg.prog(cfg.context, 0, "\x3F", 1) == 0 && buf[0] == 0x30,
          "NOR ANDs");
    CHECK(cfg.prog(cfg.context, sizeof buf - 1, "ab", 2) == SPIFFS_EIO,
          "prog past the end");
    CHECK(cfg.erase(cfg.context, 1, SPIFFS_SECTOR_SIZE) == SPIFFS_EIO,
          "unaligned erase");
    CHECK(cfg.erase(cfg.context, 0, SPIFFS_SECTOR_SIZE) == 0 &&
          buf[0] == 0xFF && buf[SPIFFS_SECTOR_SIZE] == 0xF0, "erase");

    /* read-only view of a dump that ends 3 bytes into an 8-byte FS */
    spiffs_ram_config_ro(&ram, (const uint8_t *)"xyz", 3, 8, 0, &cfg);
    CHECK(cfg.read(cfg.context, 1, got, 4) == 0 && got[0] == 'y' &&
          got[1] == 'z' && got[2] == 0xFF && got[3] == 0xFF,
          "past the dump reads erased");
    CHECK(cfg.read(cfg.context, 6, got, 4) == SPIFFS_EIO, "past the FS");
    CHECK(cfg.prog(cfg.context, 0, "a", 1) == SPIFFS_EIO &&
          cfg.erase(cfg.context, 0, 0) == SPIFFS_EIO, "read-only");
}

TEST(test_spiffs_mount_bad_magic)
{
    /* §1.18 step 5: one bad block is allowed (and erased on repair),
    ** two make the firmware reformat. */
    img_t im;
    spiffs_t fs;
    CHECK(build_vec(&im, 262144, (size_t)-1) == 0, "build");
    im.ram.mode = SPIFFS_RAM_COPY;
    im.buf[5 * 8192 + 0xFC] ^= 1;
    CHECK(spiffs_mount(&fs, &im.cfg, 0) == 0 && fs.bad_block == 5,
          "one bad block: %d", fs.bad_block);
    count_issues_cb_n = 0;
    CHECK(spiffs_fsck(&fs, count_cb, NULL) >= 1, "fsck sees it");
    im.buf[9 * 8192 + 0xFD] ^= 0x80;
    CHECK(spiffs_mount(&fs, &im.cfg, 0) == SPIFFS_ENOTFS, "two bad blocks");
    im.buf[9 * 8192 + 0xFD] ^= 0x80;
    /* block 5 lies inside big70000.txt: repair erases it, as firmware */
    CHECK(spiffs_mount(&fs, &im.cfg, SPIFFS_MOUNT_REPAIR) == 0 &&
          fs.bad_block == -1, "repair");
    CHECK(le16(im.buf + 5 * 8192 + 0xFC) == (0x0429 ^ 27) &&
          im.buf[5 * 8192] == 0xFF, "block 5 re-initialised");
    CHECK(spiffs_mount(&fs, &im.cfg, 0) == 0 && fs.bad_block == -1,
          "clean now");
    static uint8_t got[70000];
    CHECK(spiffs_read(&fs, "big70000.txt", 0, got, sizeof got) ==
          SPIFFS_ECORRUPT, "big file lost its pages");
    CHECK(spiffs_fsck(&fs, NULL, NULL) > 0, "fsck reports the loss");
    free(im.buf);
}

TEST(test_spiffs_vector_append_nor)
{
    /* Change a spiffsimg-made image on NOR flash: append, rename,
    ** remove, add; the stale copies spiffsimg left are handled. */
    char p[512];
    size_t len;
    snprintf(p, sizeof p, "%s/spiffs/fs256k.img", th_vectors());
    uint8_t *buf = th_read_file(p, &len);
    CHECK(buf, "read");
    spiffs_ram_t ram;
    spiffs_config_t cfg;
    spiffs_t fs;
    spiffs_ram_config(&ram, buf, (uint32_t)len, SPIFFS_RAM_NOR, 0, &cfg);
    CHECK(spiffs_mount(&fs, &cfg, 0) == 0, "mount");
    CHECK(spiffs_append(&fs, "init.lua", "-- more\n", 8) == 0, "append");
    CHECK(spiffs_append(&fs, "empty.txt", "x", 1) == 0, "append empty");
    CHECK(spiffs_rename(&fs, "config.json", "cfg.json") == 0, "rename");
    CHECK(spiffs_remove(&fs, "big70000.txt") == 0, "remove");
    CHECK(spiffs_write_file(&fs, "new.txt", "abc", 3) == 0, "add");
    CHECK(spiffs_mount(&fs, &cfg, 0) == 0, "remount");
    spiffs_stat_t st;
    CHECK(spiffs_stat(&fs, "init.lua", &st) == 0 && st.size == 159, "init");
    CHECK(spiffs_stat(&fs, "empty.txt", &st) == 0 && st.size == 1, "empty");
    CHECK(spiffs_stat(&fs, "cfg.json", &st) == 0 && st.size == 61, "cfg");
    CHECK(spiffs_stat(&fs, "config.json", &st) == SPIFFS_ENOENT, "old name");
    CHECK(spiffs_stat(&fs, "big70000.txt", &st) == SPIFFS_ENOENT, "big");
    char got[200];
    CHECK(spiffs_read(&fs, "init.lua", 151, got, 20) == 8 &&
          !memcmp(got, "-- more\n", 8), "appended bytes");
    count_issues_cb_n = 0;
    CHECK(spiffs_fsck(&fs, count_cb, NULL) == 0, "fsck: %s", last_issue);
    free(buf);
}

/* ---- property: random trees ------------------------------------------ */

typedef struct mfile {
    char name[32];
    uint8_t *data;
    uint32_t len;
} mfile_t;

static void rand_name(char *out, int max)
{
    static const char cs[] = "abcdefghijklmnopqrstuvwxyz0123456789._-/";
    int n = 1 + (int)rnd_to((uint32_t)max);
    for (int i = 0; i < n; i++)
        out[i] = cs[rnd_to(sizeof cs - 1)];
    if (out[0] == '/')
        out[0] = 'x';
    out[n] = 0;
}

static uint32_t rand_size(void)
{
    switch (rnd_to(6)) {
    case 0: return 0;
    case 1: return rnd_to(300);
    case 2: return 251 * (1 + rnd_to(3)) + rnd_to(3) - 1;
    case 3: return rnd_to(5000);
    case 4: return rnd_to(40000);
    default: return rnd_to(200001);
    }
}

static int has_name(mfile_t *f, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(f[i].name, name) == 0)
            return i;
    return -1;
}

TEST(test_spiffs_prop_trees)
{
    rng_state = 0x9E3779B97F4A7C15ull;
    for (int iter = 0; iter < 24; iter++) {
        mfile_t f[40];
        int nf = 1 + (int)rnd_to(40);
        uint64_t pages = 0;
        for (int i = 0; i < nf; i++) {
            do
                rand_name(f[i].name, 31);
            while (has_name(f, i, f[i].name) >= 0);
            f[i].len = rand_size();
            f[i].data = malloc(f[i].len + 1);
            for (uint32_t j = 0; j < f[i].len; j++)
                f[i].data[j] = (uint8_t)rnd();
            pages += spiffs_file_pages(f[i].len);
        }
        uint32_t nb = (uint32_t)((pages + 30) / 31) + 2 + rnd_to(3);
        if (nb < 4)
            nb = 4;
        img_t im;
        CHECK(img_new(&im, nb * 8192, 0) == 0, "format %u blocks", nb);
        for (int i = 0; i < nf; i++)
            CHECK(spiffs_write_file(&im.fs, f[i].name, f[i].data,
                                    f[i].len) == 0, "iter %d: write %s (%u)",
                  iter, f[i].name, f[i].len);
        spiffs_t fs;
        CHECK(spiffs_mount(&fs, &im.cfg, 0) == 0, "mount");
        struct lst l = { .n = 0 };
        CHECK(spiffs_list(&fs, lst_cb, &l) == 0, "list");
        int lines = 0;
        for (size_t i = 0; i < l.n; i++)
            lines += l.text[i] == '\n';
        CHECK(lines == nf, "iter %d: %d files listed, %d stored", iter,
              lines, nf);
        for (int i = 0; i < nf; i++) {
            spiffs_stat_t st;
            uint8_t *got = malloc(f[i].len + 1);
            CHECK(spiffs_stat(&fs, f[i].name, &st) == 0 &&
                  st.size == f[i].len, "stat %s", f[i].name);
            CHECK(spiffs_read(&fs, f[i].name, 0, got, f[i].len + 1) ==
                  (long)f[i].len && !memcmp(got, f[i].data, f[i].len),
                  "iter %d: %s differs", iter, f[i].name);
            free(got);
        }
        char why[200];
        const char *bad = structure(&im, why, sizeof why);
        CHECK(!bad, "iter %d: %s", iter, bad);
        CHECK(spiffs_fsck(&fs, NULL, NULL) == 0, "fsck");
        for (int i = 0; i < nf; i++)
            free(f[i].data);
        free(im.buf);
    }
}

/* ---- property: operations against a model -------------------------- */

static int model_pages(mfile_t *f, int n)
{
    int p = 0;
    for (int i = 0; i < n; i++)
        p += (int)spiffs_file_pages(f[i].len);
    return p;
}

/* Writes that stay within (N - 5) blocks' worth of live pages must
** succeed; past the (N - 2)-block reserve they must fail; in between a
** fragmented FS may refuse (ENOSPC), as spiffs.h documents. */
#define ZONE 3
static int expect(int r, int used, int need, int limit, int epb)
{
    if (used + need <= limit - ZONE * epb)
        return r == 0;
    if (used + need > limit)
        return r == SPIFFS_ENOSPC;
    return r == 0 || r == SPIFFS_ENOSPC;
}

static void ops_run(uint64_t seed, uint32_t size, int nops)
{
    img_t im;
    mfile_t f[64];
    int nf = 0;
    rng_state = seed;
    CHECK(img_new(&im, size, 0) == 0, "format");
    int limit = (int)((im.fs.nblocks - 2) * im.fs.epb);
    int epb = (int)im.fs.epb, gray = 0;
    for (int op = 0; op < nops; op++) {
        int k = (int)rnd_to(100), r, i = nf ? (int)rnd_to((uint32_t)nf) : -1;
        int used = model_pages(f, nf);
        char nm[32];
        if (k < 15 && nf < 64) {                    /* create */
            do
                rand_name(nm, 31);
            while (has_name(f, nf, nm) >= 0);
            r = spiffs_create(&im.fs, nm);
            CHECK(expect(r, used, 1, limit, epb), "op %d create %s: %d",
                  op, nm, r);
            if (r == 0) {
                snprintf(f[nf].name, 32, "%s", nm);
                f[nf].data = NULL;
                f[nf++].len = 0;
            }
        } else if (k < 55 && i >= 0) {              /* append */
            uint32_t n = rnd_to(4) ? rnd_to(700) : rnd_to(20000);
            uint8_t *d = malloc(n + 1);
            for (uint32_t j = 0; j < n; j++)
                d[j] = (uint8_t)rnd();
            int need = (int)spiffs_file_pages(f[i].len + n) -
                       (int)spiffs_file_pages(f[i].len);
            r = spiffs_append(&im.fs, f[i].name, d, n);
            CHECK(expect(r, used, need, limit, epb),
                  "op %d append %u to %s (%u): %d, used %d need %d", op, n,
                  f[i].name, f[i].len, r, used, need);
            if (r == 0) {
                f[i].data = realloc(f[i].data, f[i].len + n + 1);
                memcpy(f[i].data + f[i].len, d, n);
                f[i].len += n;
            }
            free(d);
        } else if (k < 65 && i >= 0) {              /* replace */
            uint32_t n = rnd_to(30000);
            uint8_t *d = malloc(n + 1);
            for (uint32_t j = 0; j < n; j++)
                d[j] = (uint8_t)rnd();
            int need = (int)spiffs_file_pages(n);   /* beside the old */
            r = spiffs_write_file(&im.fs, f[i].name, d, n);
            spiffs_usage_t u;
            spiffs_usage(&im.fs, &u);
            CHECK(expect(r, used, need, limit, epb),
                  "op %d write %u to %s: %d (used %d need %d; live %u"
                  " deleted %u free %u)", op, n, f[i].name, r, used, need,
                  u.live_pages, u.deleted_pages, u.free_pages);
            if (r == 0) {
                free(f[i].data);
                f[i].data = d;
                f[i].len = n;
            } else {
                free(d);    /* refused: unchanged (the remount checks) */
            }
        } else if (k < 75 && i >= 0) {              /* rename */
            int j = rnd_to(4) == 0 ? (int)rnd_to((uint32_t)nf) : -1;
            if (j >= 0)
                memcpy(nm, f[j].name, sizeof nm);
            else
                do
                    rand_name(nm, 31);
                while (has_name(f, nf, nm) >= 0);
            r = spiffs_rename(&im.fs, f[i].name, nm);
            if (j >= 0 && j != i) {
                CHECK(r == SPIFFS_EEXIST, "op %d rename onto: %d", op, r);
            } else if (r == SPIFFS_ENOSPC && used > limit - ZONE * epb) {
                gray++;
            } else {
                CHECK(r == 0, "op %d rename %s -> %s: %d", op, f[i].name,
                      nm, r);
                snprintf(f[i].name, 32, "%s", nm);
            }
        } else if (k < 90 && i >= 0) {              /* remove */
            r = spiffs_remove(&im.fs, f[i].name);
            CHECK(r == 0, "op %d remove %s: %d", op, f[i].name, r);
            free(f[i].data);
            f[i] = f[--nf];
        } else {                                    /* remount, compare */
            /* the firmware's mount repairs only what a cut left (§5.6):
            ** here it finds nothing and writes nothing */
            uint32_t w = im.ram.progs + im.ram.erases;
            CHECK(spiffs_mount(&im.fs, &im.cfg, SPIFFS_MOUNT_REPAIR) == 0 &&
                  im.ram.progs + im.ram.erases == w, "op %d remount", op);
            struct lst l = { .n = 0 };
            spiffs_list(&im.fs, lst_cb, &l);
            int lines = 0;
            for (size_t c = 0; c < l.n; c++)
                lines += l.text[c] == '\n';
            CHECK(lines == nf, "op %d: %d listed, model %d", op, lines, nf);
            for (int c = 0; c < nf; c++) {
                uint8_t *got = malloc(f[c].len + 1);
                long n = spiffs_read(&im.fs, f[c].name, 0, got,
                                     f[c].len + 1);
                CHECK(n == (long)f[c].len &&
                      (f[c].len == 0 || !memcmp(got, f[c].data, f[c].len)),
                      "op %d: %s differs (%ld vs %u)", op, f[c].name, n,
                      f[c].len);
                free(got);
            }
            count_issues_cb_n = 0;
            CHECK(spiffs_fsck(&im.fs, count_cb, NULL) == 0,
                  "op %d fsck: %s", op, last_issue);
        }
    }
    CHECK(im.ram.erases > im.fs.nblocks, "GC never ran (%u erases)",
          im.ram.erases);
    CHECK(gray < nops / 50, "%d renames refused", gray);
    for (int c = 0; c < nf; c++)
        free(f[c].data);
    free(im.buf);
}

/* Seeds per size: $SPIFFS_SEEDS (default 6); 300 pass at every size. */
static void ops_seeds(uint64_t seed, uint32_t size, int nops)
{
    const char *e = getenv("SPIFFS_SEEDS");
    int n = e ? atoi(e) : 6;
    for (int s = 0; s < n && !th_failed(); s++)
        ops_run(seed + (uint64_t)s * 7919, size, nops);
}

TEST(test_spiffs_prop_ops_64k) { ops_seeds(0x1234567ull, 65536, 2500); }
TEST(test_spiffs_prop_ops_256k) { ops_seeds(0xBADC0FFEEull, 262144, 2500); }
TEST(test_spiffs_prop_ops_24k) { ops_seeds(0x5151ull, 24576, 1500); }

/* ---- fsck finds planted faults ----------------------------------------- */

TEST(test_spiffs_fsck_faults)
{
    static const char *what[] = {
        "free page not erased", "data page id", "unused slot", "size 0",
        "tail", "orphan data page", "lookup pad", "index flags",
        "missing index page", "duplicate name",
    };
    for (int c = 0; c < 10; c++) {
        img_t im;
        CHECK(build_vec(&im, 262144, (size_t)-1) == 0, "build");
        im.ram.mode = SPIFFS_RAM_COPY;
        uint8_t *b = im.buf;
        /* page 1 = a_31.. header (id 1), page 2 its data, pages 3.. big */
        switch (c) {
        case 0: b[31 * 8192 + 256 + 17] = 0; break;  /* last block free */
        case 1: b[2 * 256] ^= 0x04; break;
        case 2: b[256 + 46 + 2 * 7] = 0x12; break;
        case 3: {
            /* empty.txt (id 5) stored with size 0 */
            spiffs_stat_t st;
            spiffs_stat(&im.fs, "empty.txt", &st);
            memset(b + st.hpix * 256 + 8, 0, 4);
            break;
        }
        case 4: b[2 * 256 + 5 + 60] = 0; break;      /* a_31 is 60 bytes */
        case 5: {
            /* a data page of nobody: in the last block */
            uint8_t *pg = b + 31 * 8192 + 256;
            memset(pg, 0xFF, 256);
            pg[0] = 0x33; pg[2] = 0; pg[3] = 0; pg[4] = 0xFC;
            b[31 * 8192] = 0x33; b[31 * 8192 + 1] = 0;
            break;
        }
        case 6: b[8192 + 0x80] = 0; break;
        case 7: b[2 * 256 + 4] = 0xFE; break;        /* not final */
        case 8: {
            /* big70000.txt: index page span 1 deleted */
            spiffs_stat_t st;
            uint16_t pix = 0;
            spiffs_stat(&im.fs, "big70000.txt", &st);
            for (uint32_t p = 0; p < 1024; p++)
                if (p % 32 && le16(b + p * 256) == (0x8000 | st.id) &&
                    le16(b + p * 256 + 2) == 1)
                    pix = (uint16_t)p;
            b[pix * 256 + 4] &= 0x7F;
            b[(pix / 32) * 8192 + 2 * (pix % 32 - 1)] = 0;
            b[(pix / 32) * 8192 + 2 * (pix % 32 - 1) + 1] = 0;
            break;
        }
        case 9: memcpy(b + 256 + 13, "binary.dat", 11); break;
        }
        spiffs_t fs;
        CHECK(spiffs_mount_force(&fs, &im.cfg) == 0, "mount");
        count_issues_cb_n = 0;
        long n = spiffs_fsck(&fs, count_cb, NULL);
        CHECK(n >= 1 && n == count_issues_cb_n, "%s: fsck found %ld",
              what[c], n);
        free(im.buf);
    }
}

/* ---- corrupted images: never crash ------------------------------------ */

static int quiet_list(void *ctx, const spiffs_stat_t *st)
{
    static uint8_t buf[4096];
    spiffs_t *fs = ctx;
    spiffs_read(fs, st->name, 0, buf, sizeof buf);
    spiffs_read(fs, st->name, st->size > 300 ? st->size - 300 : 0, buf, 300);
    return 0;
}

TEST(test_spiffs_corrupt_never_crash)
{
    static const char *imgs[] = { "fs64k", "fs256k", "fs1m" };
    rng_state = 42;
    int reported = 0;
    for (int it = 0; it < 90; it++) {
        char p[512];
        size_t len;
        snprintf(p, sizeof p, "%s/spiffs/%s.img", th_vectors(),
                 imgs[it % 3]);
        uint8_t *buf = th_read_file(p, &len);
        CHECK(buf, "read");
        uint32_t size = (uint32_t)len;
        switch (rnd_to(4)) {
        case 0:
            for (int i = 1 + (int)rnd_to(30); i > 0; i--)
                buf[rnd_to(size)] ^= (uint8_t)(1u << rnd_to(8));
            break;
        case 1: {
            uint32_t at = rnd_to(size), n = rnd_to(4096);
            for (uint32_t i = at; i < at + n && i < size; i++)
                buf[i] = (uint8_t)rnd();
            break;
        }
        case 2:
            size = (1 + rnd_to(size / 4096)) * 4096;
            break;
        default:
            for (uint32_t i = 0; i < size; i++)
                if (rnd_to(64) == 0)
                    buf[i] = (uint8_t)rnd();
            break;
        }
        spiffs_ram_t ram;
        spiffs_config_t cfg;
        spiffs_t fs;
        uint32_t bs = 0;
        spiffs_ram_config(&ram, buf, size, SPIFFS_RAM_NOR, 0, &cfg);
        if (spiffs_detect_block_size(&cfg, &bs) == 0)
            cfg.block_size = bs;
        if (spiffs_mount_force(&fs, &cfg) == 0) {
            spiffs_list(&fs, quiet_list, &fs);
            long n = spiffs_fsck(&fs, NULL, NULL);
            CHECK(n >= 0, "fsck failed: %ld", n);
            reported += n > 0;
            /* writing to a damaged FS must not crash either */
            if (spiffs_mount(&fs, &cfg, SPIFFS_MOUNT_REPAIR) == 0) {
                spiffs_write_file(&fs, "z", "zz", 2);
                spiffs_remove(&fs, "init.lua");
                spiffs_list(&fs, quiet_list, &fs);
            }
        }
        free(buf);
    }
    CHECK(reported > 45, "fsck reported only %d of 90 damaged images",
          reported);
}
