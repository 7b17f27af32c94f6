/*
** flashimg_lfs.c: LFS partitions of a flash image. Prepare an LFS file
** for its partition the way the firmware would hold it, describe the LFS
** found in a partition (kind, size, modules, timestamp, verification),
** and find the image's extent for extraction.
** Spec: docs/lfs51.md §3.1-§3.3, §3.12, §4 (file forms), §5.1-§5.2 (boot check,
** reload: relocation to 4v + base, signature left as in the file);
** docs/lfs53.md §5-§6 (flash region). Twin: none (lfs/ reads and writes the
** formats). May call: lfs/ (gz, lfs51, lfs53, lfs_model, lfs_buf,
** lfs_diag), libc.
**
** Relocation (as node.LFS.reload's pass 2 and nodemcu-partition.py): the
** inflated payload is image || bitmap; every image word i whose bitmap
** bit (bit i % 32 of word i / 32, LSB first) is set holds a word offset
** v and becomes 4v + 0x40200000 + lfs_addr; the bitmap is not written.
** The signature stays as in the file (bit 0 clear): reload rewrites word
** 0 with the file's own signature, so the flash holds exactly this.
*/
#include "flashimg/flashimg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lfs/gz.h"
#include "lfs/lfs51.h"
#include "lfs/lfs53.h"

#define MAX_PAYLOAD (FLASHIMG_MAX_FLASH + FLASHIMG_MAX_FLASH / 32 + 64)

static const char *build_name(int integral)
{
    return integral ? "integer" : "float";
}

/* The 5.1 partition checks shared by relocatable and absolute input. */
static int check51(const uint8_t *img, const flashimg_profile_t *prof,
                   uint32_t lfs_addr, uint32_t lfs_size, lfs_diag_t *d)
{
    uint32_t sig = lfs_le32(img) & ~LFS51_SIG_ABSOLUTE;
    uint32_t size = lfs_le32(img + 4);
    int integral = sig == LFS51_SIG_INT;
    if (prof->dialect != 51)
        return lfs_fail(d, 0, LFS_EFORMAT, "a Lua 5.1 LFS image, but the"
                        " profile's firmware runs Lua 5.3 (dialect = 53);"
                        " build the image with luac.cross -f for Lua 5.3");
    if (integral != prof->integral)
        return lfs_fail(d, 0, LFS_EFORMAT, "a Lua 5.1 %s-build image, but the"
                        " profile's firmware is a %s build (number = %s):"
                        " the firmware would refuse it (\"%s\"); rebuild"
                        " the image or use a profile for the other build",
                        build_name(integral), build_name(prof->integral),
                        prof->integral ? "int" : "float", LFS51_MSG_BUILD);
    if (size > lfs_size)
        return lfs_fail(d, 4, LFS_ELIMIT, "LFS image of 0x%x bytes does not"
                        " fit the LFS partition 0x%x+0x%x (\"%s\"); give"
                        " --lfs-size 0x%x or more", size, lfs_addr, lfs_size,
                        LFS51_MSG_TOOBIG, (size + 0x1FFF) & ~0x1FFFu);
    return 0;
}

static int prepare51(const uint8_t *p, size_t n, int gz,
                     const flashimg_profile_t *prof, uint32_t lfs_addr,
                     uint32_t lfs_size, lfs_buf_t *out,
                     flashimg_lfs_info_t *info, lfs_diag_t *d)
{
    uint32_t base = LFS51_FLASH_MAPPED + lfs_addr;
    uint32_t sig = n >= 4 ? lfs_le32(p) & ~LFS51_SIG_ABSOLUTE : 0;
    if (n < sizeof(lfs51_header_t) ||
        (sig != LFS51_SIG_FLOAT && sig != LFS51_SIG_INT))
        return lfs_fail(d, 0, LFS_EFORMAT, "%s is not a NodeMCU LFS image"
                        " (signature 0x%08x); build one with luac.cross -f"
                        " (or -a 0x%08x)", gz ? "the inflated content"
                        : "the file", n >= 4 ? lfs_le32(p) : 0, base);
    if (check51(p, prof, lfs_addr, lfs_size, d))
        return d->code;
    lfs_model_t m;
    lfs51_info_t li;
    lfs_proto_t *index;
    lfs_model_init(&m);
    lfs_diag_t sub;
    lfs_diag_init(&sub, NULL);
    int rc = lfs51_read(p, n, &m, &sub, &li, &index);
    lfs_model_free(&m);
    if (rc && gz && sub.offset >= 0)
        return lfs_fail(d, -1, rc, "inflated byte 0x%lx: %s", sub.offset,
                        sub.msg);
    if (rc)
        return lfs_fail(d, sub.offset, rc, "%s", sub.msg);
    info->dialect = 51;
    info->integral = li.integral;
    info->nmodules = li.nmodules;
    info->image_size = (uint32_t)li.image_size;
    info->relocatable = !li.absolute;
    if (li.absolute) {
        if (li.base != base)
            return lfs_fail(d, 8, LFS_EFORMAT, "absolute image built for"
                            " 0x%08x (flash 0x%x; its index pointer"
                            " mainProto 0x%08x), but the LFS partition is"
                            " 0x%x+0x%x, mapped at 0x%08x: the firmware"
                            " would refuse it; rebuild with luac.cross -a"
                            " 0x%08x, or give --lfs-addr 0x%x", li.base,
                            li.base - LFS51_FLASH_MAPPED, li.h.mainProto,
                            lfs_addr, lfs_size, base, base,
                            li.base - LFS51_FLASH_MAPPED);
        lfs_buf_put(out, p, li.image_size);
    } else {
        const uint8_t *bm = p + li.image_size;
        size_t start = out->len;
        lfs_buf_put(out, p, li.image_size);
        if (out->err)
            return lfs_fail(d, -1, LFS_ENOMEM, "out of memory");
        uint8_t *img = out->data + start;
        for (uint32_t i = 0; i < li.image_size / 4; i++)
            if (lfs_le32(bm + 4 * (i / 32)) >> (i % 32) & 1)
                lfs_put_le32(img + 4 * i, 4 * lfs_le32(img + 4 * i) + base);
    }
    if (out->err)
        return lfs_fail(d, -1, LFS_ENOMEM, "out of memory");
    return 0;
}

static int prepare53(const uint8_t *p, size_t n,
                     const flashimg_profile_t *prof, uint32_t lfs_addr,
                     uint32_t lfs_size, lfs_buf_t *out,
                     flashimg_lfs_info_t *info, lfs_diag_t *d)
{
    uint32_t base = LFS53_FLASH_MAPPED + lfs_addr;
    lfs_model_t m;
    lfs53_info_t li;
    lfs_proto_t *index;
    int region = lfs_le32(p) == LFS53_FLASH_SIG;
    if (prof->dialect != 53)
        return lfs_fail(d, 0, LFS_EFORMAT, "a Lua 5.3 LFS %s, but the"
                        " profile's firmware runs Lua 5.1 (dialect = 51);"
                        " use a profile with dialect = 53", region ?
                        "flash region" : "image");
    lfs_model_init(&m);
    uint32_t got = 0;
    int rc = region ? lfs53_read_region(p, n, &m, d, &li, &got, &index)
                    : lfs53_read(p, n, &m, d, &li, &index);
    if (!rc && li.int64 != prof->int64)
        rc = lfs_fail(d, 0, LFS_EFORMAT, "a Lua 5.3 image with %d-bit"
                      " numbers, but the profile's firmware uses %d-bit"
                      " numbers (number_bits)", li.int64 ? 64 : 32,
                      prof->int64 ? 64 : 32);
    if (!rc && region && got != base)
        rc = lfs_fail(d, 0, LFS_EFORMAT, "flash region built for 0x%08x"
                      " (flash 0x%x), but the LFS partition is 0x%x+0x%x,"
                      " mapped at 0x%08x; rebuild it for 0x%08x, or give"
                      " --lfs-addr 0x%x", got, got - LFS53_FLASH_MAPPED,
                      lfs_addr, lfs_size, base, base,
                      got - LFS53_FLASH_MAPPED);
    if (!rc && region) {
        lfs_buf_put(out, p, lfs_le32(p + 4));
    } else if (!rc) {
        lfs53_opts_t o = { li.int64, !li.hasnames, li.seed, 1 };
        rc = lfs53_write_region(index, &o, base, out, d);
    }
    if (!rc && out->len > lfs_size)
        rc = lfs_fail(d, -1, LFS_ELIMIT, "LFS region of 0x%zx bytes does not"
                      " fit the LFS partition 0x%x+0x%x; give --lfs-size"
                      " 0x%zx or more", out->len, lfs_addr, lfs_size,
                      (out->len + 0x1FFF) & ~(size_t)0x1FFF);
    if (!rc) {
        info->dialect = 53;
        info->integral = li.int64;
        info->nmodules = li.nmodules;
        info->relocatable = !region;
        info->image_size = (uint32_t)out->len;
    }
    lfs_model_free(&m);
    return rc;
}

int flashimg_lfs_prepare(const uint8_t *file, size_t n,
                         const flashimg_profile_t *prof, uint32_t lfs_addr,
                         uint32_t lfs_size, lfs_buf_t *out,
                         flashimg_lfs_info_t *info, lfs_diag_t *d)
{
    memset(info, 0, sizeof *info);
    out->len = 0;
    if (n >= 2 && file[0] == GZ_ID1 && file[1] == GZ_ID2) {
        lfs_buf_t payload;
        lfs_buf_init(&payload);
        int rc = gz_inflate_buf(file, n, MAX_PAYLOAD, &payload, d);
        if (!rc)
            rc = prepare51(payload.data, payload.len, 1, prof, lfs_addr,
                           lfs_size, out, info, d);
        lfs_buf_free(&payload);
        return rc;
    }
    if (n >= 5 && memcmp(file, "\033Lua", 4) == 0) {
        if (file[4] == 0x51)
            return lfs_fail(d, 0, LFS_EFORMAT, "a Lua 5.1 .lc file, not an"
                            " LFS image; build one with luac.cross -f");
        return prepare53(file, n, prof, lfs_addr, lfs_size, out, info, d);
    }
    if (n >= 8 && lfs_le32(file) == LFS53_FLASH_SIG)
        return prepare53(file, n, prof, lfs_addr, lfs_size, out, info, d);
    /* a raw 5.1 image: absolute (-a), or an uncompressed payload */
    return prepare51(file, n, 0, prof, lfs_addr, lfs_size, out, info, d);
}

/* ---- describe and extent --------------------------------------------- */

static void put_time(lfs_buf_t *out, int64_t t)
{
    char when[64] = "?";
    time_t tt = (time_t)t;
    struct tm tm;
    if (t >= 0 && t < 253402300800LL && gmtime_r(&tt, &tm))
        strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
    lfs_buf_printf(out, "  timestamp: %lld (%s)\n", (long long)t, when);
}

static void put_modules(lfs_buf_t *out, const lfs_proto_t *index, int n)
{
    lfs_buf_printf(out, "  modules (%d):", n);
    for (int i = 0; i < n && i < index->sizek; i++)
        if (index->k[i].type == LFS_KSTR)
            lfs_buf_printf(out, " %.*s", (int)index->k[i].s.len,
                           index->k[i].s.data);
    lfs_buf_u8(out, '\n');
}

static int describe53(const uint8_t *p, uint32_t len, uint32_t base,
                      lfs_buf_t *out, lfs_diag_t *d)
{
    lfs_model_t m;
    lfs53_info_t li;
    lfs_proto_t *index;
    uint32_t got = 0;
    lfs_model_init(&m);
    int rc = lfs53_read_region(p, len, &m, d, &li, &got, &index);
    if (!rc && got != base)
        rc = lfs_fail(d, 0, LFS_EFORMAT, "the Lua 5.3 region was built for"
                      " 0x%08x, but the partition is mapped at 0x%08x; the"
                      " firmware cannot use it; rebuild it for 0x%08x", got,
                      base, base);
    if (!rc) {
        lfs_buf_printf(out,
                       "  Lua 5.3 flash region, %d-bit numbers, 0x%x bytes,"
                       " seed 0x%08x\n", li.int64 ? 64 : 32, len, li.seed);
        put_modules(out, index, li.nmodules);
        put_time(out, li.timestamp);
        lfs_buf_printf(out, "  verify: ok (%d functions, built for 0x%08x)\n",
                       li.nprotos, got);
    }
    lfs_model_free(&m);
    return rc;
}

int flashimg_lfs_describe(const uint8_t *p, size_t avail, uint32_t addr,
                          uint32_t size, lfs_buf_t *out, lfs_diag_t *d)
{
    uint32_t base = LFS51_FLASH_MAPPED + addr;
    lfs_buf_printf(out, "LFS: LFS0 0x%06x+0x%x, mapped at 0x%08x\n", addr, size,
                   base);
    if (avail == 0) {
        lfs_buf_printf(out, "  not in the data, which ends before 0x%x\n",
                       addr);
        return 0;
    }
    if (avail < sizeof(lfs51_header_t)) {
        lfs_buf_printf(out, "  header cut off by the end of the data\n");
        return 0;
    }
    uint32_t sig = lfs_le32(p), len = lfs_le32(p + 4);
    if (sig == 0xFFFFFFFFu || sig == 0) {
        lfs_buf_printf(out, "  empty (%s): the firmware logs \"No LFS image"
                       " loaded\"\n", sig ? "erased" : "zero");
        return 0;
    }
    if (sig == LFS53_FLASH_SIG || (sig & ~(LFS51_SIG_ABSOLUTE |
            LFS51_SIG_INPROG)) == LFS51_SIG_FLOAT ||
        (sig & ~(LFS51_SIG_ABSOLUTE | LFS51_SIG_INPROG)) == LFS51_SIG_INT) {
        if (len > size)
            return lfs_fail(d, (long)addr + 4, LFS_EFORMAT, "LFS image"
                            " header says 0x%x bytes, more than its 0x%x-byte"
                            " partition; the firmware refuses it (\"Flash"
                            " size check failed\")", len, size);
        if (len > avail) {
            lfs_buf_printf(out, "  image of 0x%x bytes (signature 0x%08x)"
                           " runs past the end of the data; read 0x%x bytes"
                           " to verify it\n", len, sig, addr + len);
            return 0;
        }
    }
    if (sig == LFS53_FLASH_SIG)
        return describe53(p, len, base, out, d);
    if (sig & LFS51_SIG_INPROG)
        return lfs_fail(d, addr, LFS_EFORMAT, "LFS signature 0x%08x has the"
                        " IN_PROGRESS bit: an interrupted node.LFS.reload;"
                        " the firmware ignores this LFS; reload or reflash"
                        " it", sig);
    uint32_t s = sig & ~LFS51_SIG_ABSOLUTE;
    if (s != LFS51_SIG_FLOAT && s != LFS51_SIG_INT)
        return lfs_fail(d, addr, LFS_EFORMAT, "no LFS image: signature"
                        " 0x%08x (the firmware logs \"Flash sig not"
                        " correct\"); flash an image made by luac.cross",
                        sig);
    /* what the firmware holds has no bitmap: read it as absolute */
    uint8_t *copy = malloc(len ? len : 1);
    if (!copy)
        return lfs_fail(d, -1, LFS_ENOMEM, "out of memory");
    memcpy(copy, p, len);
    lfs_put_le32(copy, sig | LFS51_SIG_ABSOLUTE);
    lfs_model_t m;
    lfs51_info_t li;
    lfs_proto_t *index;
    lfs_model_init(&m);
    lfs_diag_t sub;
    lfs_diag_init(&sub, NULL);
    int rc = lfs51_read(copy, len, &m, &sub, &li, &index);
    if (!rc && li.base != base)
        rc = lfs_fail(&sub, 8, LFS_EFORMAT, "the image was built for"
                      " 0x%08x (index pointer mainProto 0x%08x), but the"
                      " partition is mapped at 0x%08x: the firmware logs"
                      " \"Flash size check failed\"; rebuild it for"
                      " 0x%08x", li.base, li.h.mainProto, base, base);
    if (rc) {
        lfs_fail(d, sub.offset >= 0 ? (long)addr + sub.offset : -1,
                 sub.code, "LFS image: %s", sub.msg);
    } else {
        lfs_buf_printf(out, "  Lua 5.1 %s image, 0x%x bytes (%u%% of the"
                       " partition), signature 0x%08x: %s\n",
                       build_name(li.integral), len,
                       (unsigned)((uint64_t)len * 100 / size), sig,
                       sig & LFS51_SIG_ABSOLUTE ? "absolute (luac.cross -a)" :
                       "relocated (as node.LFS.reload" " leaves it)");
        put_modules(out, index, li.nmodules);
        put_time(out, li.timestamp);
        lfs_buf_printf(out, "  strings: %u in %u buckets\n", li.h.nROuse,
                       li.h.nROsize);
        lfs_buf_printf(out, "  verify: ok (%d Protos, %zu pointers, all inside"
                       " 0x%08x-0x%08x)\n", li.nprotos, li.nreloc, base,
                       base + len);
    }
    lfs_model_free(&m);
    free(copy);
    return rc;
}

int flashimg_lfs_extent(const uint8_t *p, size_t avail, uint32_t size,
                        uint32_t *len, lfs_diag_t *d)
{
    *len = 0;
    if (avail < sizeof(lfs51_header_t))
        return lfs_fail(d, -1, LFS_EFORMAT, "the LFS partition is not in"
                        " the data; read more of the flash");
    uint32_t sig = lfs_le32(p), n = lfs_le32(p + 4);
    uint32_t s = sig & ~(LFS51_SIG_ABSOLUTE | LFS51_SIG_INPROG);
    if (sig == 0xFFFFFFFFu || sig == 0)
        return lfs_fail(d, -1, LFS_EFORMAT, "the LFS partition is empty;"
                        " extract its raw bytes with an address range");
    if (sig != LFS53_FLASH_SIG && s != LFS51_SIG_FLOAT &&
        s != LFS51_SIG_INT)
        return lfs_fail(d, -1, LFS_EFORMAT, "no LFS image in the LFS"
                        " partition (signature 0x%08x); extract its raw"
                        " bytes with an address range", sig);
    if (n < sizeof(lfs51_header_t) || n % 4 || n > size)
        return lfs_fail(d, -1, LFS_EFORMAT, "the LFS header's size 0x%x does"
                        " not fit its 0x%x-byte partition", n, size);
    if (n > avail)
        return lfs_fail(d, -1, LFS_EFORMAT, "the LFS image (0x%x bytes) runs"
                        " past the end of the data; read more of the flash",
                        n);
    *len = n;
    return 0;
}
