/*
** luac_front53.h: the Lua 5.3 compiler front end of luac.cross: Debian's
** stock liblua5.3 (loaded with dlopen, so liblua5.1 and liblua5.3 never
** clash in one process) compiles source or runs an -e script, lua_dump
** gives host bytecode, and lfs/lc53 reads that into the model.
** Twin: luac_front51.c (luac_front.h) for Lua 5.1. May call: liblua5.3
** (dlopen), lfs/.
*/
#ifndef LUAC_FRONT53_H
#define LUAC_FRONT53_H

#include <stddef.h>

#include "lfs/lfs_diag.h"
#include "lfs/lfs_model.h"

typedef struct luac_front53 luac_front53_t;

/* Open the stock Lua 5.3 library; NULL with d filled if it is missing or
** is not a 64-bit-integer, double build (what luac_check53 expects). */
luac_front53_t *luac_front53_open(lfs_diag_t *d);
void luac_front53_close(luac_front53_t *fe);

/* Compile src (chunk name chunkname, e.g. "@dir/x.lua") into a Proto tree
** in m, with full debug information. Errors are Lua's own message in
** d->msg ("x.lua:12: '=' expected near 'x'"). */
int luac_front53_compile(luac_front53_t *fe, const char *src, size_t len,
                         const char *chunkname, lfs_model_t *m,
                         lfs_diag_t *d, lfs_proto_t **out);

/* Run the Lua file `path` on the host with the standard libraries (the -e
** option); src (may be NULL: read path) is its text, as rewritten by
** luac_fold53. If it returns a Lua function, *out is its Proto tree;
** else NULL. */
int luac_front53_run(luac_front53_t *fe, const char *path, const char *src,
                     size_t len, lfs_model_t *m, lfs_diag_t *d,
                     lfs_proto_t **out);

#endif
