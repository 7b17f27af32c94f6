/*
** tests/test_firmware_ldr51.c: the firmware's Lua 5.1 LFS loader
** (firmware/ldr51.h) on the host platform: the boot check over mapped
** flash (blank, absolute vector images at the right and wrong offsets,
** wrong number type, interrupted reload), node.LFS.reload into NOR flash
** (equal to luac.cross -a output; every pass-1 message with the old image
** untouched; pass-2 failures; a power cut after every flash operation),
** and the ROstrt as the VM will walk it.
** Partitions: the ESP8266 profile's, a few others, and one more from the
** environment: LFS_ADDR=0x... LFS_SIZE=0x... (--lfs-addr/--lfs-size of
** the simulator to come).
** Spec: docs/lfs51.md §5.1, §5.2, §3.3, §3.5, §3.12, §12. Twin: none (tests
** firmware/ldr51.c). May call: anything.
*/
#include "firmware/ldr/ldr51.h"
#include "tests/harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "firmware/plat/plat.h"
#include "lfs/gz.h"
#include "lfs/lfs51.h"

/* ---- fixtures ---------------------------------------------------------- */

typedef struct blob {
    uint8_t *p;
    size_t n;
} blob_t;

/* Vector files, read once. */
static blob_t vec(const char *name)
{
    static struct { const char *name; blob_t b; } cache[16];
    char path[512];
    for (int i = 0; i < 16; i++) {
        if (cache[i].name && !strcmp(cache[i].name, name))
            return cache[i].b;
        if (!cache[i].name) {
            snprintf(path, sizeof path, "%s/lfs51/%s", th_vectors(), name);
            cache[i].b.p = th_read_file(path, &cache[i].b.n);
            if (cache[i].b.p)
                cache[i].name = name;
            return cache[i].b;
        }
    }
    blob_t none = { NULL, 0 };
    return none;
}

/* A fresh device (a failed CHECK may have left one up) and a loader
** configuration for the partition [addr, addr + size). */
static ldr51_cfg_t dev(uint32_t addr, uint32_t size, int integral)
{
    ldr51_cfg_t c;
    memset(&c, 0, sizeof c);
    c.lfs_addr = addr;
    c.lfs_size = size;
    c.integral = integral;
    plat_deinit();
    if (plat_init(NULL))
        c.lfs_size = 0xDEAD;        /* makes every later CHECK fail */
    return c;
}

static ldr51_cfg_t dev_default(void)
{
    return dev(plat_profile_esp8266.lfs_addr, plat_profile_esp8266.lfs_size,
               plat_profile_esp8266.integral);
}

static int reload(const ldr51_cfg_t *c, blob_t b, char *msg)
{
    ldr51_file_t f;
    ldr51_file_mem(&f, b.p, (uint32_t)b.n);
    return ldr51_reload(c, &f, msg);
}

/* The partition's bytes. */
static uint8_t *partition(const ldr51_cfg_t *c)
{
    uint8_t *p = malloc(c->lfs_size);
    if (p && plat_flash_read(c->lfs_addr, p, c->lfs_size)) {
        free(p);
        return NULL;
    }
    return p;
}

/* gzip a payload as luac.cross -f would (our writer). */
static blob_t gzip(const uint8_t *payload, size_t n)
{
    lfs_buf_t out;
    lfs_diag_t d;
    blob_t b = { NULL, 0 };
    lfs_buf_init(&out);
    lfs_diag_init(&d, NULL);
    if (gz_write(payload, n, &out, &d) == 0) {
        b.p = out.data;
        b.n = out.len;
    } else {
        lfs_buf_free(&out);
    }
    return b;
}

/* What the reloaded image must be: the payload's words, each word the
** bitmap marks relocated to 4v + base (docs/lfs51.md §3.3), written here
** independently of the loader. */
static uint8_t *relocate(blob_t payload, uint32_t base, uint32_t *size)
{
    uint32_t fs = lfs_le32(payload.p + 4);
    const uint8_t *bm = payload.p + fs;
    uint8_t *img = malloc(fs);
    if (!img)
        return NULL;
    memcpy(img, payload.p, fs);
    for (uint32_t w = 0; w < fs / 4; w++)
        if (bm[w / 8] >> (w % 8) & 1)
            lfs_put_le32(img + 4 * w, 4 * lfs_le32(img + 4 * w) + base);
    *size = fs;
    return img;
}

/* ---- boot -------------------------------------------------------------- */

TEST(test_firmware_ldr51_boot_blank)
{
    ldr51_cfg_t c = dev_default();
    ldr51_lfs_t lfs;
    char msg[LDR51_MSG_SIZE];
    CHECK(ldr51_boot(&c, &lfs, msg) == LDR51_EEMPTY, "blank flash");
    CHECK(!strcmp(msg, "No LFS image loaded"), "message '%s'", msg);
    CHECK(lfs.base == 0 && lfs.mainProto == 0, "*lfs not cleared");
    static const uint8_t zero[32];
    CHECK(plat_flash_program(c.lfs_addr, zero, 32) == 0, "program");
    CHECK(ldr51_boot(&c, &lfs, msg) == LDR51_EEMPTY, "zero signature");
    CHECK(!strcmp(msg, "No LFS image loaded"), "message '%s'", msg);
    plat_deinit();
}

TEST(test_firmware_ldr51_boot_partition)
{
    ldr51_lfs_t lfs;
    char msg[LDR51_MSG_SIZE];
    ldr51_cfg_t c = dev(0x80000, 0, 0);
    CHECK(ldr51_boot(&c, &lfs, msg) == LDR51_ENOPART && !msg[0],
          "no partition: '%s'", msg);
    static const struct { uint32_t addr, size; } bad[] = {
        { 0x80800, 0x10000 },           /* not sector-aligned */
        { 0x80000, 0x10800 },
        { 0xF0000, 0x20000 },           /* past the mapped MiB */
        { 0x100000, 0x10000 },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        c.lfs_addr = bad[i].addr;
        c.lfs_size = bad[i].size;
        CHECK(ldr51_boot(&c, &lfs, msg) == LDR51_EINVAL, "partition"
              " 0x%x+0x%x accepted", bad[i].addr, bad[i].size);
    }
    plat_deinit();
}

/* luac.cross -a 0x40280000, flashed at 0x80000: accepted in place. */
TEST(test_firmware_ldr51_boot_absolute)
{
    blob_t img = vec("group-a40280000.img");
    CHECK(img.p, "cannot read group-a40280000.img");
    ldr51_cfg_t c = dev(0x80000, 0x40000, 0);
    ldr51_lfs_t lfs;
    char msg[LDR51_MSG_SIZE];
    CHECK(plat_flash_program(0x80000, img.p, (uint32_t)img.n) == 0, "flash");
    plat_flash_stats_t before, after;
    plat_flash_stats(&before);
    int rc = ldr51_boot(&c, &lfs, msg);
    CHECK(rc == 0, "boot: %d '%s'", rc, msg);
    CHECK(!msg[0], "message on success: '%s'", msg);
    CHECK(lfs.base == 0x40280000u, "base 0x%08x", lfs.base);
    CHECK(lfs.flash_sig == lfs_le32(img.p) &&
          lfs.flash_size == lfs_le32(img.p + 4) &&
          lfs.mainProto == lfs_le32(img.p + 8) &&
          lfs.pROhash == lfs_le32(img.p + 12) &&
          lfs.nROuse == lfs_le32(img.p + 16) &&
          lfs.nROsize == lfs_le32(img.p + 20), "header fields differ");
    CHECK(lfs.mainProto == lfs.base + lfs.flash_size - 72,
          "mainProto 0x%08x", lfs.mainProto);
    CHECK(plat_is_flash(lfs.mainProto) && plat_is_flash(lfs.pROhash),
          "refs outside mapped flash");
    /* In place: nothing copied, nothing written. */
    plat_flash_stats(&after);
    CHECK(after.erases == before.erases && after.writes == before.writes,
          "boot wrote to flash");
    CHECK(!memcmp(plat_ptr(lfs.base), img.p, img.n), "flash changed");
    /* Integer firmware refuses the float image. */
    c.integral = 1;
    CHECK(ldr51_boot(&c, &lfs, msg) == LDR51_ESIG, "float image accepted");
    CHECK(!strcmp(msg, "Flash sig not correct: 0xfafaa154 vs 0xfafaa152"),
          "message '%s'", msg);
    plat_deinit();
}

/* An absolute image flashed where it was not built for (§4.2). */
TEST(test_firmware_ldr51_boot_wrong_offset)
{
    blob_t img = vec("group-a40280000.img");
    CHECK(img.p, "cannot read group-a40280000.img");
    static const uint32_t at[] = { 0x70000, 0x90000, 0x40000, 0xC0000 };
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
        ldr51_cfg_t c = dev(at[i], 0x40000, 0);
        ldr51_lfs_t lfs;
        char msg[LDR51_MSG_SIZE];
        CHECK(plat_flash_program(at[i], img.p, (uint32_t)img.n) == 0,
              "flash");
        int rc = ldr51_boot(&c, &lfs, msg);
        CHECK(rc == LDR51_ESIZE, "at 0x%x: %d '%s'", at[i], rc, msg);
        CHECK(!strncmp(msg, "Flash size check failed: ", 25), "at 0x%x:"
              " message '%s'", at[i], msg);
    }
    plat_deinit();
}

/* Header values the firmware would pass but the VM could not follow. */
TEST(test_firmware_ldr51_boot_header_bounds)
{
    blob_t img = vec("group-a40280000.img");
    CHECK(img.p, "cannot read group-a40280000.img");
    static const struct { uint32_t off, val; } t[] = {
        { 0x0C, 0xFFFFFFFFu },          /* pROhash erased (firmware too) */
        { 0x08, 0x40280000u + 0x1A1D8u },   /* mainProto at the end */
        { 0x08, 0x40280000u + 0x1A192u },   /* misaligned */
        { 0x04, 0x40004u },             /* flash_size past the partition */
        { 0x0C, 0x40280000u + 0x10u },  /* bucket vector in the header */
        { 0x14, 0x00000300u },          /* nROsize not a power of two */
        { 0x14, 0x00010000u },          /* buckets past the image */
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        uint8_t *copy = malloc(img.n);
        CHECK(copy, "out of memory");
        memcpy(copy, img.p, img.n);
        lfs_put_le32(copy + t[i].off, t[i].val);
        ldr51_cfg_t c = dev(0x80000, 0x40000, 0);
        int rc = plat_flash_program(0x80000, copy, (uint32_t)img.n);
        free(copy);
        CHECK(rc == 0, "flash");
        ldr51_lfs_t lfs;
        char msg[LDR51_MSG_SIZE];
        rc = ldr51_boot(&c, &lfs, msg);
        CHECK(rc == LDR51_ESIZE && !strncmp(msg, "Flash size check"
              " failed: ", 25), "word 0x%02x = 0x%08x: %d '%s'", t[i].off,
              t[i].val, rc, msg);
    }
    plat_deinit();
}

/* A reload cut short leaves IN_PROGRESS: boot ignores the partition. */
TEST(test_firmware_ldr51_boot_in_progress)
{
    blob_t img = vec("group-a40280000.img");
    CHECK(img.p, "cannot read group-a40280000.img");
    uint8_t *copy = malloc(img.n);
    CHECK(copy, "out of memory");
    memcpy(copy, img.p, img.n);
    copy[0] |= 0x08;
    ldr51_cfg_t c = dev(0x80000, 0x40000, 0);
    int rc = plat_flash_program(0x80000, copy, (uint32_t)img.n);
    free(copy);
    CHECK(rc == 0, "flash");
    ldr51_lfs_t lfs;
    char msg[LDR51_MSG_SIZE];
    CHECK(ldr51_boot(&c, &lfs, msg) == LDR51_ESIG, "IN_PROGRESS accepted");
    CHECK(!strcmp(msg, "Flash sig not correct: 0xfafaa15c vs 0xfafaa154"),
          "message '%s'", msg);
    uint8_t sig[4];
    CHECK(plat_flash_read(0x80000, sig, 4) == 0 && sig[0] == 0x5D,
          "boot changed the signature");
    plat_deinit();
}

/* ---- reload ------------------------------------------------------------ */

/* docs/lfs51.md §12: relocating -f output at 0x40280000 gives the -a file,
** except signature bit 0. */
TEST(test_firmware_ldr51_reload_matches_absolute)
{
    blob_t gz = vec("group.img"), abs = vec("group-a40280000.img");
    CHECK(gz.p && abs.p, "cannot read the group vectors");
    ldr51_cfg_t c = dev(0x80000, 0x40000, 0);
    char msg[LDR51_MSG_SIZE];
    int rc = reload(&c, gz, msg);
    CHECK(rc == 0, "reload: %d '%s'", rc, msg);
    CHECK(!strcmp(msg, "LFS region updated.  Restarting."), "message '%s'",
          msg);
    uint8_t *p = partition(&c);
    CHECK(p, "read flash");
    CHECK(lfs_le32(p) == (lfs_le32(abs.p) & ~1u), "signature 0x%08x",
          lfs_le32(p));
    p[0] |= 1;
    long diff = th_first_diff(p, abs.n, abs.p, abs.n);
    uint32_t used = ((uint32_t)abs.n + 4095) & ~4095u;
    size_t ff = abs.n;
    while (ff < c.lfs_size && p[ff] == 0xFF)
        ff++;
    free(p);
    CHECK(diff < 0, "flash differs from the -a image at byte 0x%lx", diff);
    CHECK(ff == c.lfs_size, "byte 0x%zx after the image is not erased", ff);
    plat_flash_stats_t st;
    plat_flash_stats(&st);
    uint32_t blocks = ((uint32_t)abs.n + 2047) / 2048;
    CHECK(st.erases == used / 4096 && st.writes == blocks + 1, "%u erases,"
          " %u writes; expected %u and %u", st.erases, st.writes,
          used / 4096, blocks + 1);
    ldr51_lfs_t lfs;
    rc = ldr51_boot(&c, &lfs, msg);
    CHECK(rc == 0, "boot after reload: %d '%s'", rc, msg);
    CHECK(lfs.mainProto == lfs_le32(abs.p + 8) &&
          lfs.pROhash == lfs_le32(abs.p + 12), "header refs");
    plat_deinit();
}

/* Partitions: the profile's, others, and $LFS_ADDR/$LFS_SIZE. Each reload
** must equal an independent relocation and read back with lfs51_read as a
** valid absolute image at that base. */
TEST(test_firmware_ldr51_reload_partitions)
{
    struct { const char *img, *payload; uint32_t addr, size; int integral; }
    t[8] = {
        { "group.img", "group.payload", 0, 0, 0 },     /* the profile */
        { "group.img", "group.payload", 0x98000, 0x1B000, 0 },
        { "group.img", "group.payload", 0xE0000, 0x20000, 0 },
        { "group.int.img", "group.int.payload", 0x10000, 0x16000, 1 },
        { "hello.img", "hello.payload", 0xFF000, 0x1000, 0 },
        { "hello.int.img", "hello.int.payload", 0x2000, 0x1000, 1 },
    };
    int n = 6;
    t[0].addr = plat_profile_esp8266.lfs_addr;
    t[0].size = plat_profile_esp8266.lfs_size;
    const char *ea = getenv("LFS_ADDR"), *es = getenv("LFS_SIZE");
    if (ea && es) {
        t[n] = t[0];
        t[n].addr = (uint32_t)strtoul(ea, NULL, 0);
        t[n].size = (uint32_t)strtoul(es, NULL, 0);
        n++;
    }
    for (int i = 0; i < n; i++) {
        blob_t gz = vec(t[i].img), pl = vec(t[i].payload);
        CHECK(gz.p && pl.p, "cannot read %s", t[i].img);
        ldr51_cfg_t c = dev(t[i].addr, t[i].size, t[i].integral);
        char msg[LDR51_MSG_SIZE];
        int rc = reload(&c, gz, msg);
        CHECK(rc == 0, "%s at 0x%x+0x%x: %d '%s'", t[i].img, t[i].addr,
              t[i].size, rc, msg);
        uint32_t base = PLAT_FLASH_MAPPED + t[i].addr, fs = 0;
        uint8_t *want = relocate(pl, base, &fs);
        uint8_t *got = partition(&c);
        CHECK(want && got, "out of memory");
        long diff = th_first_diff(got, fs, want, fs);
        got[0] |= LFS51_SIG_ABSOLUTE;       /* read it as an -a image */
        lfs_model_t m;
        lfs_diag_t d;
        lfs51_info_t info;
        lfs_proto_t *index;
        lfs_model_init(&m);
        lfs_diag_init(&d, "flash");
        rc = lfs51_read(got, fs, &m, &d, &info, &index);
        lfs_model_free(&m);
        free(want);
        free(got);
        CHECK(diff < 0, "%s at 0x%x: byte 0x%lx differs", t[i].img,
              t[i].addr, diff);
        CHECK(rc == 0 && info.base == base, "%s at 0x%x: lfs51_read: %s",
              t[i].img, t[i].addr, d.msg);
        ldr51_lfs_t lfs;
        rc = ldr51_boot(&c, &lfs, msg);
        CHECK(rc == 0 && lfs.base == base &&
              lfs.mainProto == base + fs - 72, "%s at 0x%x: boot %d '%s'",
              t[i].img, t[i].addr, rc, msg);
    }
    plat_deinit();
}

/* ---- pass-1 failures: the message, and the old image untouched --------- */

static blob_t payload_with(const char *name, uint32_t off, uint32_t val)
{
    blob_t pl = vec(name);
    blob_t b = { NULL, 0 };
    if (!pl.p)
        return b;
    uint8_t *p = malloc(pl.n);
    memcpy(p, pl.p, pl.n);
    lfs_put_le32(p + off, val);
    b = gzip(p, pl.n);
    free(p);
    return b;
}

static blob_t copy_with(const char *name, size_t at, uint8_t xor)
{
    blob_t v = vec(name), b = { NULL, 0 };
    if (!v.p)
        return b;
    b.p = malloc(v.n);
    b.n = v.n;
    memcpy(b.p, v.p, v.n);
    b.p[at] ^= xor;
    return b;
}

/* zlib with a 32 KiB window on a payload holding a 1000-byte repeat at
** distance 29900: a back-reference the device cannot follow. */
static blob_t far_reference(void)
{
    blob_t pl = vec("group.payload"), b = { NULL, 0 };
    z_stream z;
    if (!pl.p)
        return b;
    uint8_t *p = malloc(pl.n);
    memcpy(p, pl.p, pl.n);
    memcpy(p + 30000, p + 100, 1000);
    memset(&z, 0, sizeof z);
    b.p = malloc(pl.n + 1024);
    if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY)
        == Z_OK) {
        z.next_in = p;
        z.avail_in = (uInt)pl.n;
        z.next_out = b.p;
        z.avail_out = (uInt)pl.n + 1024;
        if (deflate(&z, Z_FINISH) == Z_STREAM_END)
            b.n = z.total_out;
        deflateEnd(&z);
    }
    free(p);
    return b;
}

static int fail_alloc_after;

static void *test_alloc(void *ctx, size_t n)
{
    (void)ctx;
    if (fail_alloc_after == 0)
        return NULL;
    fail_alloc_after--;
    return malloc(n);
}

static void test_free(void *ctx, void *p)
{
    (void)ctx;
    free(p);
}

enum { F_GZ, F_NULL, F_SHORT };

/* One pass-1 failure case. */
typedef struct p1case {
    const char *what;
    blob_t (*make)(void);
    int file;               /* F_GZ: make(); F_NULL: no file; F_SHORT */
    uint32_t lfs_size;      /* 0: the profile's */
    int integral;
    int alloc_ok;           /* < 0: malloc; else allocations that work */
    int code;
    const char *msg;
} p1case_t;

static const uint32_t SIG = LFS51_SIG_FLOAT;

static blob_t mk_version(void)
{
    return payload_with("group.payload", 0, SIG ^ 0x300);
}
static blob_t mk_version_build(void)
{
    return payload_with("group.payload", 0, SIG ^ 0x304);
}
static blob_t mk_int(void) { return copy_with("group.int.img", 0, 0); }
static blob_t mk_group(void) { return copy_with("group.img", 0, 0); }
static blob_t mk_sig_b1(void)
{
    return payload_with("group.payload", 0, SIG | LFS51_SIG_INTEGRAL);
}
static blob_t mk_sig_magic(void)
{
    return payload_with("group.payload", 0, SIG ^ 0x00010000u);
}
static blob_t mk_len4(void)
{
    return payload_with("group.payload", 4, 0x1A1D8u + 4);
}
static blob_t mk_len_odd(void)
{
    return payload_with("group.payload", 4, 0x1A1D8u - 2);
}
static blob_t mk_len_small(void)
{
    return payload_with("group.payload", 4, 28);
}
static blob_t mk_isize(void)
{
    blob_t b = copy_with("group.img", 0, 0);
    if (b.p)
        b.p[b.n - 4] ^= 0x04;           /* ISIZE, the loader's L */
    return b;
}
static blob_t mk_crc(void)
{
    blob_t b = copy_with("group.img", 0, 0);
    if (b.p)
        b.p[b.n - 8] ^= 0x01;           /* the trailer's CRC-32 */
    return b;
}
static blob_t mk_abs(void) { return copy_with("group-a40280000.img", 0, 0); }
static blob_t mk_deflate(void)
{
    blob_t b = copy_with("group.img", 0, 0);
    if (b.p)
        b.p[10] |= 0x06;                /* block type 01 -> 11, reserved */
    return b;
}

static const p1case_t p1[] = {
    { "version", mk_version, F_GZ, 0, 0, -1, LDR51_ESIG,
      "Incorrect LFS header version" },
    { "version before build", mk_version_build, F_GZ, 0, 0, -1,
      LDR51_ESIG, "Incorrect LFS header version" },
    { "int on float", mk_int, F_GZ, 0, 0, -1, LDR51_ESIG,
      "Incorrect LFS build type" },
    { "float on int", mk_group, F_GZ, 0, 1, -1, LDR51_ESIG,
      "Incorrect LFS build type" },
    { "B1 set", mk_sig_b1, F_GZ, 0, 0, -1, LDR51_ESIG,
      "incorrect LFS header signature" },
    { "magic", mk_sig_magic, F_GZ, 0, 0, -1, LDR51_ESIG,
      "incorrect LFS header signature" },
    { "too big", mk_group, F_GZ, 0x1A000, 0, -1, LDR51_ESIZE,
      "LFS Image too big for configured LFS region" },
    { "too big before length", mk_len4, F_GZ, 0x1A000, 0, -1, LDR51_ESIZE,
      "LFS Image too big for configured LFS region" },
    { "flash_size + 4", mk_len4, F_GZ, 0, 0, -1, LDR51_ESIZE,
      "LFS length mismatch" },
    { "flash_size odd", mk_len_odd, F_GZ, 0, 0, -1, LDR51_ESIZE,
      "LFS length mismatch" },
    { "flash_size 28", mk_len_small, F_GZ, 0, 0, -1, LDR51_ESIZE,
      "LFS length mismatch" },
    { "ISIZE", mk_isize, F_GZ, 0, 0, -1, LDR51_ESIZE,
      "LFS length mismatch" },
    { "CRC", mk_crc, F_GZ, 0, 0, -1, LDR51_ECRC,
      "checksum error on LFS image file" },
    { "absolute file", mk_abs, F_GZ, 0, 0, -1, LDR51_EFILE,
      "read error on LFS image file" },
    { "reserved block", mk_deflate, F_GZ, 0, 0, -1, LDR51_EFILE,
      "read error on LFS image file" },
    { "200 bytes", mk_group, F_SHORT, 0, 0, -1, LDR51_EFILE,
      "read error on LFS image file" },
    { "far reference", far_reference, F_GZ, 0, 0, -1, LDR51_EDICT,
      "invalid dictionary offset on inflate" },
    { "no file", mk_group, F_NULL, 0, 0, -1, LDR51_EFILE,
      "LFS image file not found" },
    { "no memory", mk_group, F_GZ, 0, 0, 0, LDR51_ENOMEM,
      "Memory allocation error" },
    { "no memory for the bitmap", mk_group, F_GZ, 0, 0, 1, LDR51_ENOMEM,
      "Memory allocation error" },
};

TEST(test_firmware_ldr51_reload_pass1_errors)
{
    blob_t old = vec("hello.img"), old_int = vec("hello.int.img");
    CHECK(old.p && old_int.p, "cannot read hello.img");
    for (size_t i = 0; i < sizeof p1 / sizeof p1[0]; i++) {
        const p1case_t *k = &p1[i];
        ldr51_cfg_t c = dev(plat_profile_esp8266.lfs_addr,
                            k->lfs_size ? k->lfs_size
                                        : plat_profile_esp8266.lfs_size,
                            k->integral);
        char msg[LDR51_MSG_SIZE];
        int rc = reload(&c, k->integral ? old_int : old, msg);
        CHECK(rc == 0, "%s: old image: %d '%s'", k->what, rc, msg);
        uint8_t *before = partition(&c);
        plat_flash_stats_t s0, s1;
        plat_flash_stats(&s0);
        blob_t b = k->make();
        CHECK(b.p && b.n, "%s: cannot make the file", k->what);
        ldr51_file_t f;
        ldr51_file_mem(&f, b.p, k->file == F_SHORT ? 200 : (uint32_t)b.n);
        if (k->alloc_ok >= 0) {
            c.alloc = test_alloc;
            c.free = test_free;
            fail_alloc_after = k->alloc_ok;
        }
        ldr51_reload_t r;
        rc = ldr51_reload_begin(&r, &c, k->file == F_NULL ? NULL : &f);
        if (rc == 0)
            rc = ldr51_reload_validate(&r);
        ldr51_reload_end(&r);
        free(b.p);
        uint8_t *after = partition(&c);
        long diff = before && after
                  ? th_first_diff(before, c.lfs_size, after, c.lfs_size) : 0;
        free(before);
        free(after);
        plat_flash_stats(&s1);
        CHECK(rc == k->code, "%s: code %d, expected %d ('%s'; %s)", k->what,
              rc, k->code, r.msg, r.detail);
        CHECK(!strcmp(r.msg, k->msg), "%s: message '%s', expected '%s'",
              k->what, r.msg, k->msg);
        CHECK(diff < 0 && s1.erases == s0.erases && s1.writes == s0.writes,
              "%s: pass 1 changed flash", k->what);
        ldr51_lfs_t lfs;
        CHECK(ldr51_boot(&c, &lfs, msg) == 0, "%s: old image lost: '%s'",
              k->what, msg);
        /* What the whole reload returns is the same, flash untouched. */
        c.alloc = NULL;
        if (k->alloc_ok < 0 && k->file == F_GZ) {
            b = k->make();
            rc = reload(&c, b, msg);
            free(b.p);
            CHECK(rc == k->code && !strcmp(msg, k->msg), "%s: ldr51_reload"
                  " gave %d '%s'", k->what, rc, msg);
            plat_flash_stats(&s1);
            CHECK(s1.erases == s0.erases && s1.writes == s0.writes,
                  "%s: ldr51_reload changed flash", k->what);
        }
    }
    plat_deinit();
}

TEST(test_firmware_ldr51_reload_no_partition)
{
    blob_t gz = vec("group.img");
    CHECK(gz.p, "cannot read group.img");
    ldr51_cfg_t c = dev(0x80000, 0, 0);
    char msg[LDR51_MSG_SIZE];
    CHECK(reload(&c, gz, msg) == LDR51_ENOPART, "no partition accepted");
    CHECK(!strcmp(msg, "No LFS partition allocated"), "message '%s'", msg);
    c.lfs_size = 0x1800;
    CHECK(reload(&c, gz, msg) == LDR51_EINVAL, "bad partition accepted");
    plat_flash_stats_t st;
    plat_flash_stats(&st);
    CHECK(st.erases == 0 && st.writes == 0, "flash changed");
    plat_deinit();
}

/* ---- pass 2 ------------------------------------------------------------ */

/* A file that changes between the passes: its trailer CRC is flipped
** from the third read of the start on (pass 1 and its image check read
** it first). */
typedef struct fickle {
    const uint8_t *p;
    uint32_t n;
    int starts;
} fickle_t;

static int fickle_read(void *ctx, uint32_t off, uint8_t *buf, uint32_t n)
{
    fickle_t *f = ctx;
    memcpy(buf, f->p + off, n);
    if (off == 0)
        f->starts++;
    if (f->starts >= 3 && off <= f->n - 8 && off + n > f->n - 8)
        buf[f->n - 8 - off] ^= 1;
    return (int)n;
}

TEST(test_firmware_ldr51_reload_pass2_error)
{
    blob_t gz = vec("group.img"), old = vec("hello.img");
    CHECK(gz.p && old.p, "cannot read the vectors");
    ldr51_cfg_t c = dev_default();
    char msg[LDR51_MSG_SIZE];
    CHECK(reload(&c, old, msg) == 0, "old image: '%s'", msg);
    fickle_t fk = { gz.p, (uint32_t)gz.n, 0 };
    ldr51_file_t f = { (uint32_t)gz.n, fickle_read, &fk };
    int rc = ldr51_reload(&c, &f, msg);
    CHECK(rc == LDR51_ECRC, "code %d '%s'", rc, msg);
    CHECK(!strcmp(msg, "Chksum_error during decompression"), "message '%s'",
          msg);
    uint8_t *p = partition(&c);
    CHECK(p, "read");
    size_t ff = 0;
    while (ff < c.lfs_size && p[ff] == 0xFF)
        ff++;
    free(p);
    CHECK(ff == c.lfs_size, "partition not erased at byte 0x%zx", ff);
    ldr51_lfs_t lfs;
    CHECK(ldr51_boot(&c, &lfs, msg) == LDR51_EEMPTY, "boot: '%s'", msg);
    /* Pass 2 without pass 1 is refused and touches nothing. */
    ldr51_reload_t r;
    ldr51_file_mem(&f, gz.p, (uint32_t)gz.n);
    CHECK(ldr51_reload_begin(&r, &c, &f) == 0, "begin");
    CHECK(ldr51_reload_write(&r) == LDR51_EINVAL, "unvalidated pass 2");
    ldr51_reload_end(&r);
    plat_deinit();
}

/* Reload's image check (docs/lfs51.md §5.2) with no memory for a copy of
** the image: it reads the relocated stream from the inflater's history,
** inflating again for words outside it, and accepts and refuses exactly
** what it does with the copy (and what the boot does). */
static void *small_alloc(void *ctx, size_t n)
{
    (void)ctx;
    return n > 32768 ? NULL : malloc(n);
}

TEST(test_firmware_ldr51_reload_check_stream)
{
    blob_t pl = vec("bigmod.payload");      /* 26 KiB: beyond the history */
    CHECK(pl.p, "cannot read bigmod.payload");
    uint32_t mark = 32 + 4 * lfs_le32(pl.p + 20) + 4;  /* 1st string's */
    blob_t bad = payload_with("bigmod.payload", mark, 0x008cb8d9u);
    blob_t good = vec("bigmod.img");
    CHECK(bad.p && good.p, "cannot make the files");
    char want[LDR51_MSG_SIZE], msg[LDR51_MSG_SIZE];
    snprintf(want, sizeof want, "Flash size check failed: byte 0x%x:"
             " TString tt/marked word is not 0x00004004 (STRING, LFS)",
             mark);
    for (int copy = 0; copy < 2; copy++) {
        ldr51_cfg_t c = dev_default();
        c.incremental = copy;
        if (!copy) {
            c.alloc = small_alloc;
            c.free = test_free;
        }
        int rc = reload(&c, bad, msg);
        CHECK(rc == LDR51_ESIZE && !strcmp(msg, want), "%s: bad image: %d"
              " '%s'", copy ? "copy" : "stream", rc, msg);
        rc = reload(&c, good, msg);
        ldr51_lfs_t lfs;
        CHECK(rc == 0 && ldr51_boot(&c, &lfs, msg) == 0, "%s: good image:"
              " %d '%s'", copy ? "copy" : "stream", rc, msg);
        plat_deinit();
    }
    free(bad.p);
}

/* Power lost after each flash operation of pass 2 in turn: boot never
** accepts a half-written image; the old one survives only a cut before
** the first erase; a later reload recovers. */
TEST(test_firmware_ldr51_reload_power_cut)
{
    blob_t gz = vec("group.img"), old = vec("hello.img");
    blob_t oldabs = vec("hello.payload");
    CHECK(gz.p && old.p && oldabs.p, "cannot read the vectors");
    ldr51_cfg_t c = dev_default();
    char msg[LDR51_MSG_SIZE];
    plat_flash_stats_t s0, s1;
    CHECK(reload(&c, old, msg) == 0, "old image: '%s'", msg);
    plat_flash_stats(&s0);
    CHECK(reload(&c, gz, msg) == 0, "new image: '%s'", msg);
    plat_flash_stats(&s1);
    int total = (int)(s1.erases - s0.erases + s1.writes - s0.writes);
    int erases = (int)(s1.erases - s0.erases);
    CHECK(erases == 27 && total == 27 + 53 + 1, "%d erases, %d ops", erases,
          total);
    ldr51_lfs_t lfs;
    CHECK(ldr51_boot(&c, &lfs, msg) == 0, "boot");
    plat_ref_t newmain = lfs.mainProto;
    for (int n = 0; n <= total; n++) {
        c = dev_default();
        CHECK(reload(&c, old, msg) == 0, "old image: '%s'", msg);
        CHECK(ldr51_boot(&c, &lfs, msg) == 0, "boot old");
        plat_ref_t oldmain = lfs.mainProto;
        plat_flash_power_cut_after(n);
        int rc = reload(&c, gz, msg);
        plat_flash_power_on();              /* reboot */
        rc = n < total ? rc == LDR51_EFLASH : rc == 0;
        CHECK(rc, "cut after %d of %d: reload gave '%s'", n, total, msg);
        rc = ldr51_boot(&c, &lfs, msg);
        if (n == 0)
            CHECK(rc == 0 && lfs.mainProto == oldmain, "cut before any"
                  " operation lost the old image: '%s'", msg);
        else if (n <= erases)
            CHECK(rc == LDR51_EEMPTY, "cut after erase %d: %d '%s'", n, rc,
                  msg);
        else if (n < total)
            CHECK(rc == LDR51_ESIG && !strcmp(msg, "Flash sig not correct:"
                  " 0xfafaa15c vs 0xfafaa154"), "cut after op %d: %d '%s'",
                  n, rc, msg);
        else
            CHECK(rc == 0 && lfs.mainProto == newmain, "complete: '%s'",
                  msg);
        if (n == erases + 10) {
            CHECK(reload(&c, gz, msg) == 0, "recovery: '%s'", msg);
            CHECK(ldr51_boot(&c, &lfs, msg) == 0 &&
                  lfs.mainProto == newmain, "boot after recovery");
        }
    }
    plat_deinit();
}

/* ---- the ROstrt in mapped flash ---------------------------------------- */

typedef struct fstr {
    plat_ref_t ref;
    const char *s;
    uint32_t len;
} fstr_t;

static int by_ref(const void *a, const void *b)
{
    plat_ref_t x = ((const fstr_t *)a)->ref, y = ((const fstr_t *)b)->ref;
    return x < y ? -1 : x > y;
}

/* Walk the ROstrt as the VM will (word loads from mapped flash) and
** compare with the strings lfs51_read finds in the payload, in allocation
** order. */
static void rostrt(const char *img, const char *payload, int integral)
{
    blob_t gz = vec(img), pl = vec(payload);
    CHECK(gz.p && pl.p, "cannot read %s", img);
    ldr51_cfg_t c = dev(plat_profile_esp8266.lfs_addr,
                        plat_profile_esp8266.lfs_size, integral);
    char msg[LDR51_MSG_SIZE];
    CHECK(reload(&c, gz, msg) == 0, "%s: '%s'", img, msg);
    ldr51_lfs_t lfs;
    CHECK(ldr51_boot(&c, &lfs, msg) == 0, "%s: boot '%s'", img, msg);
    fstr_t *fs = calloc(lfs.nROuse + 1, sizeof *fs);
    uint32_t n = 0;
    int bad = 0;
    for (uint32_t b = 0; b < lfs.nROsize && !bad; b++) {
        for (plat_ref_t ts = plat_load32(lfs.pROhash + 4 * b); ts && !bad;
             ts = plat_load32(ts)) {
            uint32_t tm = plat_load32(ts + 4), h = plat_load32(ts + 8);
            uint32_t len = plat_load32(ts + 12);
            const char *s = plat_ptr(ts + 16);
            if (!plat_is_flash(ts) || ts % 4 || tm != 0x4004 || n >= lfs.nROuse
                || lfs51_hash(s, len) != h || (h & (lfs.nROsize - 1)) != b)
                bad = 1;
            else
                fs[n++] = (fstr_t){ ts, s, len };
        }
    }
    CHECK(!bad, "%s: TString %u in the ROstrt is wrong", img, n);
    CHECK(n == lfs.nROuse, "%s: %u strings, nROuse %u", img, n, lfs.nROuse);
    qsort(fs, n, sizeof *fs, by_ref);
    lfs_model_t m;
    lfs_diag_t d;
    lfs51_info_t info;
    lfs_proto_t *index;
    lfs_str_t *strs = NULL;
    int ns = 0;
    lfs_model_init(&m);
    lfs_diag_init(&d, payload);
    int rc = lfs51_read(pl.p, pl.n, &m, &d, &info, &index);
    if (rc == 0)
        rc = lfs51_strtab(&m, index, &strs, &ns);
    uint32_t same = 0;
    while (rc == 0 && same < n && (int)same < ns &&
           lfs_str_eq(strs[same], (lfs_str_t){ fs[same].s, fs[same].len }))
        same++;
    /* The index Proto's source is the ROstrt's "=(luac)". */
    plat_ref_t src = plat_load32(lfs.mainProto + 32);
    int src_ok = plat_load32(src + 12) == 7 &&
                 !memcmp(plat_ptr(src + 16), "=(luac)", 8);
    lfs_model_free(&m);
    free(fs);
    CHECK(rc == 0, "%s: lfs51_read: %s", payload, d.msg);
    CHECK((int)n == ns && same == n, "%s: string %u differs (%u in flash,"
          " %d read)", img, same, n, ns);
    CHECK(src_ok, "%s: index source is not \"=(luac)\"", img);
}

TEST(test_firmware_ldr51_rostrt_strings)
{
    rostrt("group.img", "group.payload", 0);
    if (th_failed())
        return;
    rostrt("group.int.img", "group.int.payload", 1);
    if (th_failed())
        return;
    rostrt("hello.img", "hello.payload", 0);
    plat_deinit();
}
