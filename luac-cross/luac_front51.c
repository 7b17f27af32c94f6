/*
** luac_front51.c: the Lua 5.1 front end (see luac_front.h). It binds the
** few liblua5.1 entry points it needs by name from the shared library, so
** no Lua symbol is linked into luac.cross.
** May call: liblua5.1 (dlopen), lfs/lc51 (host bytecode reader), libc.
*/
#include "luac-cross/luac_front.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lfs/lc51.h"
#include "lfs/lfs_buf.h"

typedef struct lua_State lua_State;
typedef int (*lua_Writer)(lua_State *, const void *, size_t, void *);

/* Values from lua.h of Lua 5.1. */
#define LUA51_TFUNCTION 6
#define LUA51_MULTRET (-1)

struct luac_front {
    void *lib;
    lua_State *(*newstate)(void);
    void (*close)(lua_State *);
    int (*loadbuffer)(lua_State *, const char *, size_t, const char *);
    int (*loadfile)(lua_State *, const char *);
    int (*dump)(lua_State *, lua_Writer, void *);
    const char *(*tolstring)(lua_State *, int, size_t *);
    int (*type)(lua_State *, int);
    void (*openlibs)(lua_State *);
    int (*pcall)(lua_State *, int, int, int);
};

luac_front_t *luac_front51_open(lfs_diag_t *d)
{
    luac_front_t *fe = calloc(1, sizeof *fe);
    if (!fe) {
        lfs_fail(d, -1, LFS_ENOMEM, "out of memory");
        return NULL;
    }
    fe->lib = luac_lualib_open("5.1", d);
    if (!fe->lib) {
        free(fe);
        return NULL;
    }
#define BIND(field, sym)                                                  \
    if (!(*(void **)&fe->field = luac_lualib_sym(fe->lib, "5.1", sym, d))) { \
        luac_front_close(fe);                                                 \
        return NULL;                                                      \
    }
    BIND(newstate, "luaL_newstate");
    BIND(close, "lua_close");
    BIND(loadbuffer, "luaL_loadbuffer");
    BIND(loadfile, "luaL_loadfile");
    BIND(dump, "lua_dump");
    BIND(tolstring, "lua_tolstring");
    BIND(type, "lua_type");
    BIND(openlibs, "luaL_openlibs");
    BIND(pcall, "lua_pcall");
#undef BIND
    return fe;
}

void luac_front_close(luac_front_t *fe)
{
    if (!fe)
        return;
    if (fe->lib)
        luac_lualib_close(fe->lib);
    free(fe);
}

/* Dump the function on top of L's stack and read it into the model. */
static int dump_top(luac_front_t *fe, lua_State *L, lfs_model_t *m,
                    lfs_diag_t *d, lfs_proto_t **out)
{
    lfs_buf_t b;
    lfs_diag_t hd;
    lfs_buf_init(&b);
    fe->dump(L, luac_lualib_writer, &b);
    if (b.len == 0 && !b.err) {
        lfs_buf_free(&b);
        return lfs_fail(d, -1, LFS_EFORMAT, "the -e script returned a C"
                        " function, which cannot be compiled; return a Lua"
                        " function");
    }
    if (b.err) {
        lfs_buf_free(&b);
        return lfs_fail(d, -1, LFS_ENOMEM, "out of memory");
    }
    lfs_diag_init(&hd, "host bytecode");
    int rc = lc51_read(b.data, b.len, LC51_STOCK, m, &hd, NULL, out);
    lfs_buf_free(&b);
    if (rc)
        return lfs_fail(d, hd.offset, rc, "liblua5.1's bytecode is not what"
                        " luac.cross expects (%s); this Lua build is not"
                        " supported", hd.msg);
    return 0;
}

static int lua_error_text(luac_front_t *fe, lua_State *L, lfs_diag_t *d,
                          int code)
{
    size_t n = 0;
    const char *msg = fe->tolstring(L, -1, &n);
    return luac_fail_lua_message(d, code, msg, n);
}

int luac_front_compile(luac_front_t *fe, const char *src, size_t len,
                       const char *chunkname, lfs_model_t *m, lfs_diag_t *d,
                       lfs_proto_t **out)
{
    lua_State *L = fe->newstate();
    if (!L)
        return lfs_fail(d, -1, LFS_ENOMEM, "not enough memory for state");
    int rc = fe->loadbuffer(L, src, len, chunkname);
    if (rc)
        rc = lua_error_text(fe, L, d, LFS_EFORMAT);
    else
        rc = dump_top(fe, L, m, d, out);
    fe->close(L);
    return rc;
}

int luac_front_run(luac_front_t *fe, const char *path, lfs_model_t *m,
                   lfs_diag_t *d, lfs_proto_t **out)
{
    lua_State *L = fe->newstate();
    *out = NULL;
    if (!L)
        return lfs_fail(d, -1, LFS_ENOMEM, "not enough memory for state");
    fe->openlibs(L);
    int rc = fe->loadfile(L, path);
    if (!rc)
        rc = fe->pcall(L, 0, 1, 0);
    if (rc)
        rc = lua_error_text(fe, L, d, LFS_EFORMAT);
    else if (fe->type(L, -1) == LUA51_TFUNCTION)
        rc = dump_top(fe, L, m, d, out);
    fe->close(L);
    return rc;
}
