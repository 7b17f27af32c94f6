/*
** luac.h: what the parts of luac.cross share: the parsed command line and
** the target description. luac_main.c parses options; luac_run.c runs the
** job, with the steps of luac_run51.c or luac_run53.c; luac_front.c
** compiles with stock Lua 5.1 or 5.3; luac_check51.c and luac_check53.c
** apply NodeMCU's compiler rules to a host-compiled tree (after
** luac_fold51.c or luac_fold53.c rewrote the numbers the target reads
** differently); luac_lex.c scans 5.1 and 5.3 source for what the host
** bytecode cannot tell.
** May call: lfs/, liblua5.1 and liblua5.3 (through luac_front).
*/
#ifndef LUAC_H
#define LUAC_H

#include <stddef.h>
#include <stdint.h>

#include "lfs/lfs_diag.h"
#include "lfs/lfs_model.h"

#define LUAC_PROG "luac.cross"
#define LUAC_VERSION "0.1.0"

/* The Lua dialect of a source: what the lexer, front end and job read. */
typedef enum luac_lua { LUAC_LUA51, LUAC_LUA53 } luac_lua_t;

typedef enum luac_target {
    LUAC_T51_FLOAT,
    LUAC_T51_INT,
    LUAC_T53_FLOAT,     /* ESP8266 default: int32 and single floats */
    LUAC_T53_64         /* LUA_NUMBER_64BITS: int64 and doubles */
} luac_target_t;

/* The dialect a target's sources are written in. */
static inline luac_lua_t luac_target_lua(luac_target_t t)
{
    return t == LUAC_T53_FLOAT || t == LUAC_T53_64 ? LUAC_LUA53 : LUAC_LUA51;
}

#define LUAC_MAX_INPUTS 4096

/* A luac.cross job: the parsed command line (luac_main.c). */
typedef struct luac_job {
    const char *inputs[LUAC_MAX_INPUTS];
    int ninputs;
    const char *output;
    const char *escript;        /* -e */
    const char *flash_image;    /* -F */
    int listing;                /* -l count */
    int lfs;                    /* -f, -a or -m */
    int index_main;             /* -i */
    int parse_only, strip, verify;
    uint32_t absolute;          /* -a: mapped base of the flash region */
    uint32_t maxsize;           /* -m, 0: none */
    uint32_t lfs_size;          /* --lfs-size for --verify */
    luac_target_t target;
    int64_t timestamp;
    int have_timestamp;
    uint32_t seed;              /* --seed, 5.3 images */
    int have_seed;
} luac_job_t;

/* luac_run.c: compile the job's sources for its target and write the
** output (luac_run.h); returns the exit status. */
int luac_run(const luac_job_t *j);
/* luac_run53.c: -a with one 5.3 LFS image as the input: write the flash
** region the loader would build from it; returns the exit status. */
int luac_run53_convert(const luac_job_t *j);

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

/* luac_check53.c: turn a tree compiled by stock Lua 5.3 (64-bit numbers)
** into what NodeMCU's 5.3 compiler would have produced: strip level 1,
** NodeMCU's packed line info (with its fix-line quirk, or a refusal where
** it cannot be reproduced), and for int64 == 0 every number checked to
** be exact on the target. src (may be NULL) is the source as compiled. */
int luac_check53(lfs_proto_t *f, const char *src, size_t len,
                 const char *file, int int64, lfs_model_t *m, lfs_diag_t *d);

/* luac_fold53.c: for the int32/float target, rewrite numerals and
** constant expressions whose value differs between Debian's 64-bit Lua
** and the target (hex wrap-around, decimal overflow to float, single
** precision, 32-bit folding) to the target's values, keeping every line.
** Refuses (with line and constant) what cannot be decided. *out is NULL
** when nothing changes, else a malloc'ed source. */
int luac_fold53(const char *src, size_t len, lfs_diag_t *d, char **out,
                size_t *outlen);

/* luac_inspect53.c: -l and --verify of Lua 5.3 images and .lc files. */
int luac_is_lua53(const char *path);
int luac_inspect53(const char *path, int verbose, int verify,
                   uint32_t lfs_size);

/* luac_emulate.c: -F IMAGE -e FILE: run FILE in the firmware VM with
** IMAGE as the LFS; returns the exit status. */
int luac_emulate(const char *image, const char *script);

/* luac_inspect.c: -l of an image or .lc file, and --verify. */
int luac_is_binary(const char *path);
int luac_inspect(const char *path, int verbose, int verify,
                 luac_target_t target, uint32_t lfs_size);

#endif
