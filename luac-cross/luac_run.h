/*
** luac_run.h: the compile path of a luac.cross job, one for both Lua
** dialects (luac_run.c): read each input, compile it, name the modules,
** build the function the output holds, list it, write the output
** atomically and report errors in one line. What a dialect does its own
** way plugs in as a luac_run_lang_t: luac_run51 (luac_run51.c) and
** luac_run53 (luac_run53.c).
** Twin: none. May call: luac_front, lfs/.
*/
#ifndef LUAC_RUN_H
#define LUAC_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "lfs/lfs_buf.h"
#include "lfs/lfs_diag.h"
#include "lfs/lfs_model.h"
#include "luac-cross/luac.h"
#include "luac-cross/luac_front.h"

#define LUAC_MAX_SOURCE (64u << 20)     /* larger sources are refused */
#define LUAC_MAX_NAME   4095            /* longest namecut */

typedef struct luac_run_lang {
    luac_lua_t lua;
    /* -p -l lists what was compiled (5.3); 5.1 then does nothing. */
    int list_parsed;
    /* The end of the mapped flash window, which an -a image must not
    ** pass. */
    uint32_t flash_end;
    /* The largest image (its flash size, as "Image size" counts it) with
    ** or without -a: "<what> at most N (<why>)". */
    uint32_t maximage;
    const char *maximage_what, *maximage_why;
    /* The module index: at most maxmodules, "<what> at most N (<why>)". */
    int maxmodules;
    const char *maxmodules_what, *maxmodules_why;
    /* Module names, from a chunk's source name, cut to namecut characters
    ** (5.1: 255). 5.3: the firmware finds only names of 1 to maxname
    ** characters; 0 (5.1): any name. */
    void (*module_name)(lfs_str_t source, char *out, size_t n);
    size_t namecut, maxname;
    /* Run the -e script and apply NodeMCU's rules to the function it
    ** returns (*out, NULL if none). Errors fill d (the script's name). */
    int (*escript)(luac_front_t *fe, const luac_job_t *j, lfs_model_t *m,
                   lfs_diag_t *d, lfs_proto_t **out);
    /* Compile one input's text (src, len: the file's bytes, which it may
    ** change) as NodeMCU's compiler would. shown is its name in messages,
    ** chunkname the chunk's ("@dir/x.lua", "=stdin"). Errors fill d. */
    int (*compile)(luac_front_t *fe, const luac_job_t *j, char *src,
                   size_t len, const char *chunkname, const char *shown,
                   lfs_model_t *m, lfs_diag_t *d, lfs_proto_t **out);
    /* The index over the modules (-f, -a, -i; it may reorder mods and
    ** names), or the main function of a .lc file of n > 1 sources; NULL
    ** when out of memory. */
    lfs_proto_t *(*index)(const luac_job_t *j, lfs_proto_t **mods,
                          lfs_str_t *names, int n, lfs_model_t *m);
    lfs_proto_t *(*combine)(lfs_model_t *m, lfs_proto_t **mods, int n);
    /* The -l listing of f. */
    void (*list)(const lfs_proto_t *f, int verbose, lfs_buf_t *out);
    /* f as the job's output: a .lc file, or an LFS image (-f, -a) within
    ** -m, with *image its size as the firmware counts it (what "Image
    ** size" says, and what maximage and -a's window check). */
    int (*write)(const luac_job_t *j, const lfs_proto_t *f, lfs_buf_t *out,
                 lfs_diag_t *d, size_t *image);
} luac_run_lang_t;

extern const luac_run_lang_t luac_run51, luac_run53;

/* Print d as luac.cross's one-line error; returns the exit status. */
int luac_run_report(const lfs_diag_t *d);

#endif
