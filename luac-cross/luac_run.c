/*
** luac_run.c: runs a luac.cross compile job for either dialect (see
** luac_run.h; docs/lfs51.md §7, docs/lfs53.md §11): the -e script first, then
** every input, each read whole, refused if it is bytecode, and compiled by the
** dialect; then the function the output holds (the module index for -f,
** -a and -i, the one file's main, or a main holding several), its
** listing, and the output, built in memory and written atomically so a
** failed run never leaves a partial or empty file. Errors are one line.
** Module names are checked here for both dialects: no duplicates, and
** for 5.3 none empty or longer than 40 characters (docs/lfs53.md §7.3);
** so is the dialect's largest image (docs/lfs51.md §6, docs/lfs53.md
** §11).
** May call: luac_front, luac_run51, luac_run53, lfs/, libc.
*/
#include "luac-cross/luac_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lfs/lfs_file.h"

int luac_run_report(const lfs_diag_t *d)
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

static int compile_one(const luac_run_lang_t *s, luac_front_t *fe,
                       const luac_job_t *j, const char *path, lfs_model_t *m,
                       unit_t *u)
{
    lfs_diag_t d;
    uint8_t *src;
    size_t len;
    int is_stdin = strcmp(path, "-") == 0;
    const char *shown = is_stdin ? "stdin" : path;
    lfs_diag_init(&d, shown);
    if (lfs_file_read(path, LUAC_MAX_SOURCE, &src, &len, &d))
        return luac_run_report(&d);
    if (len >= 4 && memcmp(src, "\033Lua", 4) == 0) {
        free(src);
        lfs_fail(&d, 0, LFS_EFORMAT, "is precompiled bytecode; give"
                 " luac.cross the .lua source");
        return luac_run_report(&d);
    }
    size_t cl = strlen(shown) + 2;
    char *chunk = malloc(cl);
    if (!chunk) {
        free(src);
        return oom();
    }
    snprintf(chunk, cl, "%s%s", is_stdin ? "=" : "@", shown);
    int rc = s->compile(fe, j, (char *)src, len, chunk, shown, m, &d, &u->f);
    free(chunk);
    free(src);
    if (rc)
        return luac_run_report(&d);
    u->file = shown;
    return 0;
}

/* Module names (docs/lfs51.md §3.11, docs/lfs53.md §4.4): each one
** findable, none twice. */
static int name_units(const luac_run_lang_t *s, unit_t *u, int n,
                      lfs_model_t *m)
{
    for (int i = 0; i < n; i++) {
        char name[LUAC_MAX_NAME + 1];
        s->module_name(u[i].f->source, name, s->namecut + 1);
        size_t nl = strlen(name);
        if (s->maxname && nl == 0) {
            fprintf(stderr, "%s: %s: the file name gives an empty module"
                    " name; rename the file\n", LUAC_PROG, u[i].file);
            return 1;
        }
        if (s->maxname && nl > s->maxname) {
            fprintf(stderr, "%s: %s: module name '%s' has %zu characters;"
                    " the firmware finds at most %zu (longer names are"
                    " listed but never found); rename the file\n",
                    LUAC_PROG, u[i].file, name, nl, s->maxname);
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

/* The function the output holds: the module index (-f, -a, -i), the one
** compiled file, or a main holding several. NULL when it has said why. */
static lfs_proto_t *output_main(const luac_run_lang_t *s,
                                const luac_job_t *j, unit_t *u, int n,
                                lfs_model_t *m)
{
    int indexed = j->lfs || j->index_main;
    if (!indexed && n == 1)
        return u[0].f;
    if (indexed && n > s->maxmodules) {
        fprintf(stderr, "%s: %d modules; %s at most %d (%s); split them"
                " into two images\n", LUAC_PROG, n, s->maxmodules_what,
                s->maxmodules, s->maxmodules_why);
        return NULL;
    }
    if (indexed && name_units(s, u, n, m))
        return NULL;
    lfs_proto_t **mods = lfs_model_alloc(m, sizeof *mods * (size_t)n);
    lfs_str_t *names = lfs_model_alloc(m, sizeof *names * (size_t)n);
    lfs_proto_t *f = NULL;
    if (mods && names) {
        for (int i = 0; i < n; i++) {
            mods[i] = u[i].f;
            names[i] = u[i].name;
        }
        f = indexed ? s->index(j, mods, names, n, m)
                    : s->combine(m, mods, n);
    }
    if (!f)
        oom();
    return f;
}

static int emit(const luac_run_lang_t *s, const luac_job_t *j, unit_t *u,
                int n, lfs_model_t *m)
{
    lfs_diag_t d;
    lfs_buf_t out;
    size_t image = 0;
    lfs_proto_t *f = output_main(s, j, u, n, m);
    if (!f)
        return 1;
    if (j->listing) {
        lfs_buf_init(&out);
        s->list(f, j->listing > 1, &out);
        if (out.len)
            fwrite(out.data, 1, out.len, stdout);
        lfs_buf_free(&out);
    }
    lfs_diag_init(&d, j->output);
    lfs_buf_init(&out);
    int rc = s->write(j, f, &out, &d, &image);
    if (!rc && image > s->maximage)
        rc = lfs_fail(&d, -1, LFS_ELIMIT, "the image needs %zu bytes of"
                      " flash; %s at most %u (%s); remove modules or split"
                      " them into two images", image, s->maximage_what,
                      s->maximage, s->maximage_why);
    if (!rc && j->absolute && j->absolute + image > s->flash_end)
        rc = lfs_fail(&d, -1, LFS_ELIMIT, "the image (%zu bytes) at 0x%08x"
                      " runs past the end of the mapped flash window 0x%08x",
                      image, j->absolute, s->flash_end);
    if (!rc && out.err)
        rc = lfs_fail(&d, -1, LFS_ENOMEM, "out of memory");
    if (!rc && image && !j->parse_only)
        fprintf(strcmp(j->output, "-") == 0 ? stderr : stdout,
                "Image size: %zu\n", image);
    if (!rc && !j->parse_only && lfs_file_write(j->output, out.data,
                                                out.len, &d))
        rc = d.code;
    else if (rc)
        d.file = NULL;
    lfs_buf_free(&out);
    return rc ? luac_run_report(&d) : 0;
}

int luac_run(const luac_job_t *j)
{
    const luac_run_lang_t *s = luac_target_lua(j->target) == LUAC_LUA53
                               ? &luac_run53 : &luac_run51;
    lfs_diag_t d;
    int rc = 0, n = 0;
    lfs_diag_init(&d, NULL);
    luac_front_t *fe = luac_front_open(s->lua, &d);
    if (!fe)
        return luac_run_report(&d);
    lfs_model_t m;
    lfs_model_init(&m);
    unit_t *units = calloc((size_t)j->ninputs + 1, sizeof *units);
    if (!units)
        rc = oom();
    if (!rc && j->escript) {
        lfs_proto_t *f;
        lfs_diag_init(&d, j->escript);
        rc = s->escript(fe, j, &m, &d, &f) ? luac_run_report(&d) : 0;
        if (!rc && f) {
            units[n].f = f;
            units[n++].file = j->escript;
        } else if (!rc && j->ninputs == 0) {
            goto done;          /* -e returned no function: nothing to do */
        }
    }
    for (int i = 0; !rc && i < j->ninputs; i++)
        rc = compile_one(s, fe, j, j->inputs[i], &m, &units[n++]);
    if (!rc && (!j->parse_only || (j->listing && s->list_parsed)))
        rc = emit(s, j, units, n, &m);
done:
    free(units);
    lfs_model_free(&m);
    luac_front_close(fe);
    return rc;
}
