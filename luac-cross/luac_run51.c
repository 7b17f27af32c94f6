/*
** luac_run51.c: the Lua 5.1 steps of a luac.cross job (luac_run.h;
** docs/lfs51.md §7): each input compiled as luac_compile51 does it, the -e
** script run and checked by luac_check51, the module index of lfs51, the
** stock luac main over several files, and the output: a .lc file (format
** of the 5.1 firmware, float or integer build) or an LFS image, gzip'ed
** for node.LFS.reload or absolute (-a) for esptool.
** Twin: luac_run53.c, the same steps for Lua 5.3.
** May call: luac_run, luac_front, luac_check51, lfs/, libc.
*/
#include "luac-cross/luac_run.h"

#include <stdio.h>

#include "lfs/gz.h"
#include "lfs/lc51.h"
#include "lfs/lfs51.h"
#include "lfs/lfs51_list.h"

static void warn(const char *msg)
{
    fprintf(stderr, "%s: warning: %s\n", LUAC_PROG, msg);
}

static int run_escript(luac_front_t *fe, const luac_job_t *j,
                       lfs_model_t *m, lfs_diag_t *d, lfs_proto_t **out)
{
    int rc = luac_front_run(fe, j->escript, NULL, 0, m, d, out);
    if (!rc && *out)
        rc = luac_check51(*out, NULL, 0, j->escript, j->target, m, d, warn);
    return rc;
}

static int compile_file(luac_front_t *fe, const luac_job_t *j, char *src,
                        size_t len, const char *chunkname, const char *shown,
                        lfs_model_t *m, lfs_diag_t *d, lfs_proto_t **out)
{
    return luac_compile51(fe, src, len, chunkname, shown, j->target, m, d,
                          warn, out);
}

static lfs_proto_t *build_index(const luac_job_t *j, lfs_proto_t **mods,
                                lfs_str_t *names, int n, lfs_model_t *m)
{
    return lfs51_build_index(m, mods, names, n, j->timestamp,
                             j->target == LUAC_T51_INT);
}

/* The stock luac main over several chunks: call each in turn. */
static lfs_proto_t *build_main(lfs_model_t *m, lfs_proto_t **mods, int n)
{
    lfs_proto_t *f = lfs_model_proto(m);
    if (!f || lfs_model_str(m, "=(luac)", 7, &f->source))
        return NULL;
    f->maxstacksize = 1;
    f->sizecode = 2 * n + 1;
    f->sizep = n;
    f->code = lfs_model_alloc(m, 4 * (size_t)f->sizecode);
    f->p = lfs_model_alloc(m, sizeof *f->p * (size_t)n);
    if (!f->code || !f->p)
        return NULL;
    for (int i = 0; i < n; i++) {
        f->p[i] = mods[i];
        f->code[2 * i] = 36u | (uint32_t)i << 14;              /* CLOSURE */
        f->code[2 * i + 1] = 28u | 1u << 23 | 1u << 14;        /* CALL */
    }
    f->code[2 * n] = 30u | 1u << 23;                           /* RETURN */
    return f;
}

/* The LFS image of index (gzip unless absolute), within -m. */
static int write_image(const luac_job_t *j, const lfs_proto_t *index,
                       lfs_buf_t *out, lfs_diag_t *d, size_t *image)
{
    lfs51_opts_t o = { j->target == LUAC_T51_INT, j->absolute };
    int rc = lfs51_write(index, &o, out, d);
    *image = rc ? 0 : lfs_le32(out->data + 4);
    if (!rc && j->maxsize && *image > j->maxsize)
        rc = lfs_fail(d, -1, LFS_ELIMIT, "the image is %zu bytes, more than"
                      " -m %u allows; remove modules or enlarge the LFS"
                      " partition", *image, j->maxsize);
    if (!rc && !j->absolute) {
        lfs_buf_t gz;
        lfs_buf_init(&gz);
        rc = gz_write(out->data, out->len, &gz, d);
        lfs_buf_free(out);
        *out = gz;
    }
    return rc;
}

static int write_output(const luac_job_t *j, const lfs_proto_t *f,
                        lfs_buf_t *out, lfs_diag_t *d, size_t *image)
{
    if (j->lfs)
        return write_image(j, f, out, d, image);
    lc51_target_t t = j->target == LUAC_T51_INT ? lc51_nodemcu_int
                                                : lc51_nodemcu_float;
    t.strip = j->strip;
    return lc51_write(f, &t, out, d);
}

const luac_run_lang_t luac_run51 = {
    .lua = LUAC_LUA51,
    .list_parsed = 0,
    .flash_end = LFS51_FLASH_MAPPED + 0x100000,
    .maximage = LFS51_MAXIMAGE,
    .maximage_what = "NodeMCU's 5.1 LFS holds",
    .maximage_why = "its luac.cross buffer",
    .maxmodules = LFS51_MAXMODULES,
    .maxmodules_what = "a Lua 5.1 LFS image holds",
    .maxmodules_why = "the index fills one SETLIST",
    .module_name = lfs51_module_name,
    .namecut = 255,
    .maxname = 0,
    .escript = run_escript,
    .compile = compile_file,
    .index = build_index,
    .combine = build_main,
    .list = lfs51_list_proto,
    .write = write_output,
};
