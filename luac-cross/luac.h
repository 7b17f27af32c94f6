/*
** luac.h: what the parts of luac.cross share: the parsed command line and
** the target description. luac_main.c parses options and runs the job;
** luac_front51.c compiles; luac_check51.c applies NodeMCU's compiler rules
** to a host-compiled tree; luac_lex51.c scans source for what the host
** bytecode cannot tell.
** May call: lfs/, liblua5.1 (through luac_front).
*/
#ifndef LUAC_H
#define LUAC_H

#include <stdint.h>

#include "lfs/lfs_diag.h"
#include "lfs/lfs_model.h"

#define LUAC_PROG "luac.cross"
#define LUAC_VERSION "0.1.0"

typedef enum luac_target {
    LUAC_T51_FLOAT,
    LUAC_T51_INT
} luac_target_t;

/* Apply NodeMCU 5.1 compiler rules to a tree compiled by stock Lua from
** src: strip local and upvalue names (its strip level 1), mark the
** instructions whose line luaK_fixline moved, check integer-build
** constants (with source lines), and warn about more than 50 locals.
** Warnings go to the warn callback; errors fill d. */
typedef void (*luac_warn_fn)(const char *msg);
int luac_check51(lfs_proto_t *f, const char *src, size_t len,
                 const char *file, luac_target_t t, lfs_model_t *m,
                 lfs_diag_t *d, luac_warn_fn warn);

/* luac_fold51.c: for the integer build, rewrite constant expressions
** stock Lua folds in doubles to the integers NodeMCU's compiler folds them
** to. *out is NULL when nothing changes, else a malloc'ed source. */
int luac_fold51(const char *src, size_t len, lfs_diag_t *d, char **out,
                size_t *outlen);

/* luac_inspect.c: -l of an image or .lc file, and --verify. */
int luac_is_binary(const char *path);
int luac_inspect(const char *path, int verbose, int verify,
                 luac_target_t target, uint32_t lfs_size);

#endif
