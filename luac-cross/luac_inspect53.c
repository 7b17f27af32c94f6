/*
** luac_inspect53.c: luac.cross's inspection modes for Lua 5.3 files: -l of
** an LFS image stream (format 11), a NodeMCU .lc file (format 10) or stock
** Lua 5.3 bytecode, and --verify of an image. --verify answers as
** node.LFS.reload would: the loader's own error text ("(null): version
** mismatch in precompiled chunk", docs/lfs53.md §5.8) for what it detects,
** else the problems it would not detect but that break the image on the
** device (counts that size its RAM, references, index limits, size).
** May call: lfs/, libc.
*/
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lfs/lc53.h"
#include "lfs/lfs51_list.h"
#include "lfs/lfs53.h"
#include "lfs/lfs53_list.h"
#include "lfs/lfs_file.h"
#include "luac-cross/luac.h"

#define MAX_IMAGE (16u << 20)

int luac_is_lua53(const char *path)
{
    uint8_t b[5] = { 0 };
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t n = fread(b, 1, sizeof b, f);
    fclose(f);
    /* 5.3, or a damaged version byte: anything but 5.1 is ours; and
    ** flash regions. */
    return n == sizeof b && ((memcmp(b, "\033Lua", 4) == 0 && b[4] != 0x51)
                             || lfs_le32(b) == LFS53_FLASH_SIG);
}

/* The loader's message for an error our reader found at byte `off`, or
** NULL when the stock loader would not notice (§5.8). */
static const char *loader_text(const lfs_diag_t *d)
{
    if (strstr(d->msg, "truncated"))
        return "truncated";
    if (strstr(d->msg, "no string vector"))
        return "no string vector";
    if (strstr(d->msg, "no Proto vector"))
        return "no Proto vector";
    switch (d->offset) {
    case 0: return "invalid header in";
    case 1: case 2: case 3: return "not a";
    case 4: return "version mismatch in";
    case 5: return "format mismatch in";
    case 6: case 7: case 8: case 9: case 10: case 11: return "corrupted";
    case 12: return "int size mismatch in";
    case 13: return "Instruction size mismatch in";
    case 14: return "lua_Integer size mismatch in";
    case 15: return "lua_Number size mismatch in";
    case 17: return "float format mismatch in";
    default: return NULL;   /* the stock loader does not notice */
    }
}

/* region: the base address of a flash region; 0 for an image stream. */
static void list_image(const lfs53_info_t *in, const lfs_proto_t *index,
                       uint32_t region, int verbose, lfs_buf_t *out)
{
    time_t t = (time_t)in->timestamp;
    struct tm tm;
    char when[64] = "?";
    const char *build = in->int64 ? "64-bit build (LUA_NUMBER_64BITS)"
                                  : "float build (32-bit integers)";
    if (gmtime_r(&t, &tm))
        strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
    if (region)
        lfs_buf_printf(out, "LFS flash region: Lua 5.3, %s, mapped at"
                       " 0x%08" PRIx32 "\n", build, region);
    else
        lfs_buf_printf(out, "LFS image: Lua 5.3, %s, stream format 11\n",
                       build);
    lfs_buf_printf(out, "  seed 0x%08" PRIx32 ", built %" PRId64 " (%s)\n",
                   in->seed, in->timestamp, when);
    if (!region)
        lfs_buf_printf(out, "  %u strings (nShort %u with the %d fixed,"
                       " nLong %u, maxlen %u), %d functions\n",
                       in->nstrings, in->nshort, LFS53_NFIXED, in->nlong,
                       in->maxlen, in->nprotos);
    else
        lfs_buf_printf(out, "  nROuse %u, %u long strings, %d"
                       " functions\n", in->nshort, in->nlong,
                       in->nprotos);
    lfs_buf_printf(out, "  flash region %zu bytes\n",
                   lfs53_region_size(index, in->int64, !in->hasnames));
    lfs_buf_printf(out, "modules (%d):", in->nmodules);
    for (int i = 0; i < in->nmodules; i++)
        lfs_buf_printf(out, " %s", index->k[i].s.data);
    lfs_buf_u8(out, '\n');
    lfs53_list_proto(index, verbose, out);
}

static void error_line(const lfs_diag_t *d)
{
    char line[1024];
    lfs_diag_format(d, LUAC_PROG, line, sizeof line);
    fprintf(stderr, "%s\n", line);
}

int luac_inspect53(const char *path, int verbose, int verify,
                   uint32_t lfs_size)
{
    lfs_diag_t d;
    uint8_t *file;
    size_t n;
    lfs_diag_init(&d, path);
    if (lfs_file_read(path, MAX_IMAGE, &file, &n, &d)) {
        error_line(&d);
        return 1;
    }
    lfs_model_t m;
    lfs_buf_t out;
    lfs_model_init(&m);
    lfs_buf_init(&out);
    int rc, format = n > 5 ? file[5] : -1;
    if (n >= 4 && lfs_le32(file) == LFS53_FLASH_SIG) {
        lfs53_info_t info;
        lfs_proto_t *index;
        uint32_t base;
        rc = lfs53_read_region(file, n, &m, &d, &info, &base, &index);
        if (!rc && verify)
            rc = lfs53_check(index, &info, lfs_size, &d);
        if (!rc && verify) {
            printf("OK: flash region for 0x%08" PRIx32 ", %s build, %d"
                   " modules, %" PRIu32 " bytes, fits %" PRIu32 " bytes of"
                   " LFS\n", base, info.int64 ? "64-bit" : "float",
                   info.nmodules, lfs_le32(file + 4), lfs_size);
        } else if (!rc) {
            list_image(&info, index, base, verbose, &out);
        } else if (verify) {
            printf("BROKEN: %s\n", d.msg);
        }
    } else if (format == LC53_FORMAT_LFS) {
        lfs53_info_t info;
        lfs_proto_t *index;
        rc = lfs53_read(file, n, &m, &d, &info, &index);
        if (!rc && verify)
            rc = lfs53_check(index, &info, lfs_size, &d);
        if (rc && verify) {
            const char *why = loader_text(&d);
            if (why)
                printf("(null): %s precompiled chunk\n", why);
            else
                printf("BROKEN: the firmware would load this image without"
                       " an error, but %s\n", d.msg);
        } else if (verify) {
            printf("OK: %s build, %d modules, flash region %zu bytes, fits"
                   " %" PRIu32 " bytes of LFS\n", info.int64 ? "64-bit"
                   : "float", info.nmodules,
                   lfs53_region_size(index, info.int64, !info.hasnames),
                   lfs_size);
            if (info.shadowed_refs)
                fprintf(stderr, "%s: %s: warning: built by NodeMCU's"
                        " luac.cross, whose references to the strings"
                        " \"userdata\", \"thread\" and \"proto\" the"
                        " firmware resolves wrongly (docs/lfs53.md §4.3);"
                        " rebuild with this luac.cross\n", LUAC_PROG, path);
        } else if (!rc) {
            list_image(&info, index, 0, verbose, &out);
        }
    } else if (verify) {
        if (format == LC53_FORMAT_LC)
            printf("(null): format mismatch in precompiled chunk\n");
        else
            printf("(null): invalid header in precompiled chunk\n");
        rc = lfs_fail(&d, 5, LFS_EFORMAT, "not an LFS image (format byte"
                      " %d); node.LFS.reload takes luac.cross -f output",
                      format);
    } else {
        lc53_info_t info;
        lfs_proto_t *f;
        lc53_flavour_t fl = format == 0 ? LC53_STOCK : LC53_NODEMCU;
        rc = lc53_read(file, n, fl, &m, &d, &info, &f);
        if (!rc) {
            lfs_buf_printf(&out, "%s Lua 5.3 bytecode, %d-byte integers"
                           " and %s\n", fl == LC53_STOCK ? "Stock"
                           : "NodeMCU", info.sizeof_integer,
                           info.sizeof_number == 4 ? "floats"
                                                   : "doubles");
            lfs53_list_proto(f, verbose, &out);
        }
    }
    if (rc) {
        error_line(&d);
        rc = 1;
    } else if (out.len) {
        fwrite(out.data, 1, out.len, stdout);
    }
    lfs_buf_free(&out);
    lfs_model_free(&m);
    free(file);
    return rc;
}
