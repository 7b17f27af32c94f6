/*
** luac_run53.c: the Lua 5.3 steps of a luac.cross job (luac_run.h;
** docs/lfs53.md §11): every input compiled with Debian's liblua5.3 (after
** luac_fold53 for the int32/float target), NodeMCU's compiler rules
** applied (luac_check53), and the output: a .lc file (format 10), an LFS
** image stream (format 11, -f) or a flash region (-a). Also -a with an
** LFS image as its input: the flash region built from that image.
** Fixed NodeMCU bugs (man page, DIFFERENCES): -m, and without it the
** mapped flash (LFS53_MAXIMAGE), is enforced against the flash size;
** module names over 40 characters, more than 255 modules and duplicate
** names are errors; "__" modules are moved to the front of the index; the
** fixed strings userdata/thread/proto are referenced as the firmware's
** loader numbers them.
** Twin: luac_run51.c, the same steps for Lua 5.1.
** May call: luac_run, luac_front, luac_fold53, luac_check53, lfs/, libc.
*/
#include "luac-cross/luac_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lfs/lc53.h"
#include "lfs/lfs53.h"
#include "lfs/lfs53_list.h"
#include "lfs/lfs_file.h"

static int int64(const luac_job_t *j)
{
    return j->target == LUAC_T53_64;
}

/* For the int32/float target, the -e script's text with the target's
** numbers (luac_fold53), so the function it returns has NodeMCU's
** constants; *out NULL when unchanged, for 5.3-64, or when the scanner
** cannot follow the text (Lua then says what is wrong with it). */
static int escript_source(const luac_job_t *j, lfs_diag_t *d, char **out,
                          size_t *len)
{
    uint8_t *src;
    size_t n;
    *out = NULL;
    if (int64(j))
        return 0;
    if (lfs_file_read(j->escript, LUAC_MAX_SOURCE, &src, &n, d))
        return d->code;
    if (n && src[0] == '#')                     /* as luaL_loadfile */
        memset(src, ' ', strcspn((const char *)src, "\n\r"));
    int rc = luac_fold53((const char *)src, n, d, out, len);
    free(src);
    return rc && d->line > 0 ? rc : 0;
}

static int run_escript(luac_front_t *fe, const luac_job_t *j,
                       lfs_model_t *m, lfs_diag_t *d, lfs_proto_t **out)
{
    char *folded = NULL;
    size_t fl = 0;
    *out = NULL;
    int rc = escript_source(j, d, &folded, &fl);
    if (rc)
        return rc;
    lfs_diag_init(d, j->escript);
    rc = luac_front_run(fe, j->escript, folded, fl, m, d, out);
    free(folded);
    if (!rc && *out)
        rc = luac_check53(*out, NULL, 0, j->escript, int64(j), m, d);
    return rc;
}

static int compile_file(luac_front_t *fe, const luac_job_t *j, char *src,
                        size_t len, const char *chunkname, const char *shown,
                        lfs_model_t *m, lfs_diag_t *d, lfs_proto_t **out)
{
    /* As luaL_loadfile: a UTF-8 BOM, then a first line starting with '#',
    ** are skipped (blanked here, so columns and lines stay). */
    size_t skip = 0;
    if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0) {
        memset(src, ' ', 3);
        skip = 3;
    }
    if (len > skip && src[skip] == '#') {
        size_t k = strcspn(src + skip, "\n\r");
        memset(src + skip, ' ', k);
    }
    char *folded = NULL;
    size_t fl = 0;
    if (!int64(j) && luac_fold53(src, len, d, &folded, &fl)) {
        /* Text our scanner cannot follow: Lua's own syntax error first. */
        lfs_diag_t hd;
        lfs_proto_t *f;
        lfs_diag_init(&hd, shown);
        if (d->line == 0 &&
            luac_front_compile(fe, src, len, chunkname, m, &hd, &f))
            *d = hd;
        return d->code;
    }
    const char *text = folded ? folded : src;
    size_t tl = folded ? fl : len;
    int rc = luac_front_compile(fe, text, tl, chunkname, m, d, out);
    if (!rc)
        rc = luac_check53(*out, text, tl, shown, int64(j), m, d);
    free(folded);
    return rc;
}

/* The firmware looks "__" names up only among the leading "__" entries
** of the index (§7.3): they go to the front, keeping their order. */
static lfs_proto_t *build_index(const luac_job_t *j, lfs_proto_t **mods,
                                lfs_str_t *names, int n, lfs_model_t *m)
{
    int k = 0;
    for (int i = 0; i < n; i++)
        if (names[i].len >= 2 && memcmp(names[i].data, "__", 2) == 0) {
            lfs_proto_t *f = mods[i];
            lfs_str_t s = names[i];
            memmove(mods + k + 1, mods + k, sizeof *mods * (size_t)(i - k));
            memmove(names + k + 1, names + k,
                    sizeof *names * (size_t)(i - k));
            mods[k] = f;
            names[k++] = s;
        }
    return lfs53_build_index(m, mods, names, n, j->timestamp);
}

static uint32_t default_seed(int64_t timestamp)
{
    /* Any value works (§4.2); derive it from the build time so that a
    ** pinned SOURCE_DATE_EPOCH pins the whole image. */
    uint64_t z = (uint64_t)timestamp + 0x9E3779B97F4A7C15u;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return (uint32_t)(z ^ (z >> 31));
}

static int write_output(const luac_job_t *j, const lfs_proto_t *f,
                        lfs_buf_t *out, lfs_diag_t *d, size_t *image)
{
    if (!j->lfs) {
        lc53_target_t t = { int64(j), j->strip };
        return lc53_write(f, &t, out, d);
    }
    lfs53_opts_t o = { int64(j), j->strip,
                       j->have_seed ? j->seed : default_seed(j->timestamp),
                       1 };
    int rc;
    *image = lfs53_region_size(f, int64(j), j->strip);
    if (j->absolute)
        rc = lfs53_write_region(f, &o, j->absolute, out, d);
    else
        rc = lfs53_write(f, &o, out, d);
    if (!rc && j->maxsize && *image > j->maxsize)
        rc = lfs_fail(d, -1, LFS_ELIMIT, "the image needs %zu bytes of flash,"
                      " more than -m %u allows; remove modules or enlarge"
                      " the LFS partition", *image, j->maxsize);
    return rc;
}

const luac_run_lang_t luac_run53 = {
    .lua = LUAC_LUA53,
    .list_parsed = 1,
    .flash_end = LFS53_FLASH_MAPPED + LFS53_FLASH_WINDOW,
    .maximage = LFS53_MAXIMAGE,
    .maximage_what = "the firmware maps",
    .maximage_why = "the 1 MiB flash window from 0x40210000",
    .maxmodules = LFS53_MAXMODULES,
    .maxmodules_what = "the firmware's LFS index holds",
    .maxmodules_why = "its count is one byte",
    .module_name = lfs53_module_name,
    .namecut = LUAC_MAX_NAME,
    .maxname = LFS53_MAXNAME,
    .escript = run_escript,
    .compile = compile_file,
    .index = build_index,
    .combine = lfs53_build_main,
    .list = lfs53_list_proto,
    .write = write_output,
};

/* -a with one LFS image as input: build the flash region the loader
** would build from it (what NodeMCU's "-F image -a addr" should do). */
int luac_run53_convert(const luac_job_t *j)
{
    lfs_diag_t d;
    uint8_t *file;
    size_t n;
    lfs_model_t m;
    lfs53_info_t info;
    lfs_proto_t *index;
    lfs_buf_t out;
    lfs_diag_init(&d, j->inputs[0]);
    if (lfs_file_read(j->inputs[0], LUAC_MAX_SOURCE, &file, &n, &d))
        return luac_run_report(&d);
    lfs_model_init(&m);
    lfs_buf_init(&out);
    int rc = lfs53_read(file, n, &m, &d, &info, &index);
    if (!rc) {
        lfs53_opts_t o = { info.int64, !info.hasnames, info.seed, 1 };
        size_t image = lfs53_region_size(index, info.int64, !info.hasnames);
        lfs_diag_init(&d, j->output);
        rc = lfs53_write_region(index, &o, j->absolute, &out, &d);
        if (!rc && j->absolute + image > LFS53_FLASH_MAPPED +
                                         LFS53_FLASH_WINDOW)
            rc = lfs_fail(&d, -1, LFS_ELIMIT, "the image (%zu bytes) at"
                          " 0x%08x runs past the end of the mapped flash"
                          " window", image, j->absolute);
        if (!rc && j->maxsize && image > j->maxsize)
            rc = lfs_fail(&d, -1, LFS_ELIMIT, "the image needs %zu bytes of"
                          " flash, more than -m %u allows", image,
                          j->maxsize);
        if (!rc)
            rc = lfs_file_write(j->output, out.data, out.len, &d);
        if (!rc)
            fprintf(strcmp(j->output, "-") == 0 ? stderr : stdout,
                    "Image size: %zu\n", image);
    }
    lfs_buf_free(&out);
    lfs_model_free(&m);
    free(file);
    return rc ? luac_run_report(&d) : 0;
}
