/*
** luac_run53.c: runs a luac.cross job for a Lua 5.3 target (lfs53.md
** §11): compiles every input with Debian's liblua5.3 (after luac_fold53
** for the int32/float target), applies NodeMCU's compiler rules
** (luac_check53), names the modules and writes a .lc file (format 10), an
** LFS image stream (format 11, -f) or a flash region (-a). Output is built
** in memory and written atomically; errors are one line.
** Fixed NodeMCU bugs (man page, DIFFERENCES): -m is enforced against the
** flash size; module names over 40 characters, more than 255 modules and
** duplicate names are errors; "__" modules are moved to the front of the
** index; the fixed strings userdata/thread/proto are referenced as the
** firmware's loader numbers them.
** May call: lfs/, luac_front, luac_fold53, luac_check53, libc.
*/
#include "luac-cross/luac.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lfs/lc53.h"
#include "lfs/lfs53.h"
#include "lfs/lfs53_list.h"
#include "lfs/lfs_file.h"
#include "luac-cross/luac_front.h"

#define MAX_SOURCE (64u << 20)      /* larger sources are refused */

static int report(const lfs_diag_t *d)
{
    char line[1024];
    lfs_diag_format(d, LUAC_PROG, line, sizeof line);
    fprintf(stderr, "%s\n", line);
    return d->code == LFS_EUSAGE ? 2 : 1;
}

static int oom(void)
{
    fprintf(stderr, "%s: out of memory\n", LUAC_PROG);
    return 1;
}

typedef struct unit {
    lfs_proto_t *f;
    lfs_str_t name;
    const char *file;
} unit_t;

static int compile_one(luac_front_t *fe, const luac_job53_t *j,
                       const char *path, lfs_model_t *m, unit_t *u)
{
    lfs_diag_t d;
    uint8_t *src;
    size_t len;
    int is_stdin = strcmp(path, "-") == 0;
    const char *shown = is_stdin ? "stdin" : path;
    lfs_diag_init(&d, shown);
    if (lfs_file_read(path, MAX_SOURCE, &src, &len, &d))
        return report(&d);
    if (len >= 4 && memcmp(src, "\033Lua", 4) == 0) {
        free(src);
        lfs_fail(&d, 0, LFS_EFORMAT, "is precompiled bytecode; give"
                 " luac.cross the .lua source");
        return report(&d);
    }
    /* As luaL_loadfile: a UTF-8 BOM, then a first line starting with '#',
    ** are skipped (blanked here, so columns and lines stay). */
    size_t skip = 0;
    if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0) {
        memset(src, ' ', 3);
        skip = 3;
    }
    if (len > skip && src[skip] == '#') {
        size_t k = strcspn((const char *)src + skip, "\n\r");
        memset(src + skip, ' ', k);
    }
    size_t cl = strlen(shown) + 2;
    char *chunk = malloc(cl);
    if (!chunk) {
        free(src);
        return oom();
    }
    snprintf(chunk, cl, "%s%s", is_stdin ? "=" : "@", shown);
    char *folded = NULL;
    size_t fl = 0;
    if (!j->int64 &&
        luac_fold53((const char *)src, len, &d, &folded, &fl)) {
        /* Text our scanner cannot follow: Lua's own syntax error first. */
        lfs_diag_t hd;
        lfs_proto_t *f;
        lfs_diag_init(&hd, shown);
        if (d.line == 0 && luac_front_compile(fe, (const char *)src, len,
                                              chunk, m, &hd, &f))
            d = hd;
        free(chunk);
        free(src);
        return report(&d);
    }
    if (folded) {
        free(src);
        src = (uint8_t *)folded;
        len = fl;
    }
    int rc = luac_front_compile(fe, (const char *)src, len, chunk, m, &d,
                                &u->f);
    free(chunk);
    if (!rc)
        rc = luac_check53(u->f, (const char *)src, len, shown, j->int64, m,
                          &d);
    free(src);
    if (rc)
        return report(&d);
    u->file = shown;
    return 0;
}

/* Module names (§4.4) with the index's limits (§7.3): each must be
** findable, so at most 40 characters; no duplicates. */
static int name_units(unit_t *u, int n, lfs_model_t *m)
{
    for (int i = 0; i < n; i++) {
        char name[4096];
        lfs53_module_name(u[i].f->source, name, sizeof name);
        size_t nl = strlen(name);
        if (nl == 0) {
            fprintf(stderr, "%s: %s: the file name gives an empty module"
                    " name; rename the file\n", LUAC_PROG, u[i].file);
            return 1;
        }
        if (nl > LFS53_MAXNAME) {
            fprintf(stderr, "%s: %s: module name '%s' has %zu characters;"
                    " the firmware finds at most %d (longer names are"
                    " listed but never found); rename the file\n",
                    LUAC_PROG, u[i].file, name, nl, LFS53_MAXNAME);
            return 1;
        }
        if (lfs_model_str(m, name, (uint32_t)nl, &u[i].name))
            return oom();
        for (int k = 0; k < i; k++)
            if (lfs_str_eq(u[k].name, u[i].name)) {
                fprintf(stderr, "%s: %s: module name '%s' is also the name"
                        " of %s; rename one of the files\n", LUAC_PROG,
                        u[i].file, name, u[k].file);
                return 1;
            }
    }
    return 0;
}

/* The firmware looks "__" names up only among the leading "__" entries
** of the index (§7.3): move them to the front, keeping their order. */
static void order_units(unit_t *u, int n)
{
    int k = 0;
    for (int i = 0; i < n; i++)
        if (u[i].name.len >= 2 && memcmp(u[i].name.data, "__", 2) == 0) {
            unit_t t = u[i];
            memmove(u + k + 1, u + k, sizeof *u * (size_t)(i - k));
            u[k++] = t;
        }
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

static void list(const lfs_proto_t *f, int verbose)
{
    lfs_buf_t out;
    lfs_buf_init(&out);
    lfs53_list_proto(f, verbose, &out);
    if (out.len)
        fwrite(out.data, 1, out.len, stdout);
    lfs_buf_free(&out);
}

static int emit(const luac_job53_t *j, unit_t *u, int n, lfs_model_t *m)
{
    lfs_diag_t d;
    lfs_buf_t out;
    int rc = 0;
    lc53_target_t t = { j->int64, j->strip };
    lfs_diag_init(&d, j->output);
    lfs_buf_init(&out);
    if (j->lfs || j->index_main) {
        if (n > LFS53_MAXMODULES) {
            fprintf(stderr, "%s: %d modules; the firmware's LFS index holds"
                    " at most %d (its count is one byte); split them into"
                    " two images\n", LUAC_PROG, n, LFS53_MAXMODULES);
            return 1;
        }
        if (name_units(u, n, m))
            return 1;
        order_units(u, n);
        lfs_proto_t **mods = lfs_model_alloc(m, sizeof *mods * (size_t)n);
        lfs_str_t *names = lfs_model_alloc(m, sizeof *names * (size_t)n);
        if (!mods || !names)
            return oom();
        for (int i = 0; i < n; i++) {
            mods[i] = u[i].f;
            names[i] = u[i].name;
        }
        lfs_proto_t *index = lfs53_build_index(m, mods, names, n,
                                               j->timestamp);
        if (!index)
            return oom();
        if (j->listing)
            list(index, j->listing > 1);
        lfs53_opts_t o = { j->int64, j->strip,
                           j->have_seed ? j->seed
                                        : default_seed(j->timestamp), 1 };
        if (!j->lfs) {
            rc = lc53_write(index, &t, &out, &d);
        } else {
            size_t image = lfs53_region_size(index, j->int64, j->strip);
            if (j->absolute)
                rc = lfs53_write_region(index, &o, j->absolute, &out, &d);
            else
                rc = lfs53_write(index, &o, &out, &d);
            if (!rc && j->maxsize && image > j->maxsize)
                rc = lfs_fail(&d, -1, LFS_ELIMIT, "the image needs %zu"
                              " bytes of flash, more than -m %u allows;"
                              " remove modules or enlarge the LFS"
                              " partition", image, j->maxsize);
            if (!rc && j->absolute &&
                j->absolute + image > LFS53_FLASH_MAPPED +
                                      LFS53_FLASH_WINDOW)
                rc = lfs_fail(&d, -1, LFS_ELIMIT, "the image (%zu bytes)"
                              " at 0x%08x runs past the end of the mapped"
                              " flash window 0x%08x", image, j->absolute,
                              LFS53_FLASH_MAPPED + LFS53_FLASH_WINDOW);
            if (!rc && !j->parse_only)
                fprintf(strcmp(j->output, "-") == 0 ? stderr : stdout,
                        "Image size: %zu\n", image);
        }
    } else {
        lfs_proto_t *f = u[0].f;
        if (n > 1) {
            /* A main that returns at once, holding every file's
            ** function (as NodeMCU's luac.cross writes it, §10). */
            lfs_proto_t **mods = lfs_model_alloc(m, sizeof *mods * (size_t)n);
            if (!mods)
                return oom();
            for (int i = 0; i < n; i++)
                mods[i] = u[i].f;
            f = lfs53_build_main(m, mods, n);
        }
        if (!f)
            return oom();
        if (j->listing)
            list(f, j->listing > 1);
        rc = lc53_write(f, &t, &out, &d);
    }
    if (!rc && out.err)
        rc = lfs_fail(&d, -1, LFS_ENOMEM, "out of memory");
    if (!rc && j->parse_only) {
        lfs_buf_free(&out);
        return 0;
    }
    if (!rc && lfs_file_write(j->output, out.data, out.len, &d))
        rc = d.code;
    else if (rc)
        d.file = NULL;
    lfs_buf_free(&out);
    return rc ? report(&d) : 0;
}

/* -a with one LFS image as input: build the flash region the loader
** would build from it (what NodeMCU's "-F image -a addr" should do). */
static int convert_image(const luac_job53_t *j)
{
    lfs_diag_t d;
    uint8_t *file;
    size_t n;
    lfs_model_t m;
    lfs53_info_t info;
    lfs_proto_t *index;
    lfs_buf_t out;
    lfs_diag_init(&d, j->inputs[0]);
    if (lfs_file_read(j->inputs[0], MAX_SOURCE, &file, &n, &d))
        return report(&d);
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
    return rc ? report(&d) : 0;
}

/* For the int32/float target, the -e script's text with the target's
** numbers (luac_fold53), so the function it returns has NodeMCU's
** constants; NULL when unchanged or for 5.3-64. */
static int escript_source(const luac_job53_t *j, char **out, size_t *len)
{
    lfs_diag_t d;
    uint8_t *src;
    size_t n;
    *out = NULL;
    if (j->int64)
        return 0;
    lfs_diag_init(&d, j->escript);
    if (lfs_file_read(j->escript, MAX_SOURCE, &src, &n, &d))
        return report(&d);
    if (n && src[0] == '#')                     /* as luaL_loadfile */
        memset(src, ' ', strcspn((const char *)src, "\n\r"));
    int rc = luac_fold53((const char *)src, n, &d, out, len);
    free(src);
    return rc && d.line > 0 ? report(&d) : 0;
}

int luac_run53(const luac_job53_t *j)
{
    lfs_diag_t d;
    int rc = 0, n = 0;
    if (j->absolute && j->ninputs == 1 && !j->escript &&
        luac_is_lua53(j->inputs[0]))
        return convert_image(j);
    lfs_diag_init(&d, NULL);
    luac_front_t *fe = luac_front_open(LUAC_LUA53, &d);
    if (!fe)
        return report(&d);
    lfs_model_t m;
    lfs_model_init(&m);
    unit_t *units = calloc((size_t)j->ninputs + 1, sizeof *units);
    if (!units)
        rc = oom();
    if (!rc && j->escript) {
        lfs_proto_t *f;
        char *folded = NULL;
        size_t fl = 0;
        rc = escript_source(j, &folded, &fl);
        lfs_diag_init(&d, j->escript);
        if (!rc)
            rc = luac_front_run(fe, j->escript, folded, fl, &m, &d, &f)
                 ? report(&d) : 0;
        free(folded);
        if (!rc && f) {
            rc = luac_check53(f, NULL, 0, j->escript, j->int64, &m, &d)
                 ? report(&d) : 0;
            units[n].f = f;
            units[n++].file = j->escript;
        } else if (!rc && j->ninputs == 0) {
            goto done;          /* -e returned no function: nothing to do */
        }
    }
    for (int i = 0; !rc && i < j->ninputs; i++)
        rc = compile_one(fe, j, j->inputs[i], &m, &units[n++]);
    if (!rc && (!j->parse_only || j->listing))
        rc = emit(j, units, n, &m);     /* -l -p lists, writes nothing */
done:
    free(units);
    lfs_model_free(&m);
    luac_front_close(fe);
    return rc;
}
