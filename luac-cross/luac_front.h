/*
** luac_front.h: the compiler front end of luac.cross: Debian's stock Lua
** 5.1 or 5.3 (loaded with dlopen, so liblua5.1 and liblua5.3 never clash
** in one process) compiles source or runs an -e script, lua_dump gives
** host bytecode, and lfs/ (lc51, lc53) reads that into the model.
** Twin: none. May call: liblua5.1 and liblua5.3 (dlopen), lfs/.
*/
#ifndef LUAC_FRONT_H
#define LUAC_FRONT_H

#include <stddef.h>

#include "lfs/lfs_diag.h"
#include "lfs/lfs_model.h"
#include "luac-cross/luac.h"

typedef struct luac_front luac_front_t;

/* Open the stock Lua library of dialect lua; NULL with d filled if it is
** missing. A 5.3 library must be a 64-bit-integer, double build (what
** luac_check53 expects): its first dump says so. */
luac_front_t *luac_front_open(luac_lua_t lua, lfs_diag_t *d);
void luac_front_close(luac_front_t *fe);

/* Compile src (chunk name chunkname, e.g. "@dir/x.lua") into a Proto tree
** in m, with full debug information. Errors are Lua's own message in
** d->msg ("x.lua:12: '=' expected near 'x'"). */
int luac_front_compile(luac_front_t *fe, const char *src, size_t len,
                       const char *chunkname, lfs_model_t *m, lfs_diag_t *d,
                       lfs_proto_t **out);

/* Run the Lua file `path` on the host with the standard libraries (the -e
** option); src (NULL: read path) is its text, e.g. as rewritten by
** luac_fold53. If it returns a Lua function, *out is its Proto tree; else
** NULL. */
int luac_front_run(luac_front_t *fe, const char *path, const char *src,
                   size_t len, lfs_model_t *m, lfs_diag_t *d,
                   lfs_proto_t **out);

/* luac_compile51.c: compile one 5.1 source as luac.cross compiles an
** input file (integer folding, '#' line, stock compile, NodeMCU rules).
** shown is the name in messages; warnings go to warn. */
int luac_compile51(luac_front_t *fe, const char *src, size_t len,
                   const char *chunkname, const char *shown,
                   luac_target_t target, lfs_model_t *m, lfs_diag_t *d,
                   luac_warn_fn warn, lfs_proto_t **out);
/* The firmware VM's host compiler (vm.h vm_compiler); ud is an open
** luac_front_t. Returns target .lc bytes or Lua's message. */
int luac_vm_compile51(void *ud, const char *src, size_t len,
                      const char *chunkname, int integral,
                      unsigned char **lc, size_t *lclen, char **err);

#endif
