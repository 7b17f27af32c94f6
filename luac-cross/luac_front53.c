/*
** luac_front53.c: the Lua 5.3 front end (see luac_front53.h). It binds the
** few liblua5.3 entry points it needs by name from the shared library, so
** no Lua symbol is linked into luac.cross. lua_dump's header is checked by
** lc53_read: luac_check53 relies on 8-byte integers and doubles.
** May call: liblua5.3 (dlopen), lfs/lc53 (host bytecode reader), libc.
*/
#include "luac-cross/luac_front53.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lfs/lc53.h"
#include "luac-cross/luac_front.h"
#include "lfs/lfs_buf.h"

typedef struct lua_State lua_State;
typedef int (*lua_Writer)(lua_State *, const void *, size_t, void *);
typedef int (*lua_KFunction)(lua_State *, int, intptr_t);

/* Values from lua.h of Lua 5.3. */
#define LUA53_TFUNCTION 6

struct luac_front53 {
    void *lib;
    lua_State *(*newstate)(void);
    void (*close)(lua_State *);
    int (*loadbufferx)(lua_State *, const char *, size_t, const char *,
                       const char *);
    int (*loadfilex)(lua_State *, const char *, const char *);
    int (*dump)(lua_State *, lua_Writer, void *, int);
    const char *(*tolstring)(lua_State *, int, size_t *);
    int (*type)(lua_State *, int);
    int (*iscfunction)(lua_State *, int);
    void (*openlibs)(lua_State *);
    int (*pcallk)(lua_State *, int, int, int, intptr_t, lua_KFunction);
};

luac_front53_t *luac_front53_open(lfs_diag_t *d)
{
    luac_front53_t *fe = calloc(1, sizeof *fe);
    if (!fe) {
        lfs_fail(d, -1, LFS_ENOMEM, "out of memory");
        return NULL;
    }
    fe->lib = luac_lualib_open("5.3", d);
    if (!fe->lib) {
        free(fe);
        return NULL;
    }
#define BIND(field, sym)                                                  \
    if (!(*(void **)&fe->field = luac_lualib_sym(fe->lib, "5.3", sym, d))) { \
        luac_front53_close(fe);                                                 \
        return NULL;                                                      \
    }
    BIND(newstate, "luaL_newstate");
    BIND(close, "lua_close");
    BIND(loadbufferx, "luaL_loadbufferx");
    BIND(loadfilex, "luaL_loadfilex");
    BIND(dump, "lua_dump");
    BIND(tolstring, "lua_tolstring");
    BIND(type, "lua_type");
    BIND(iscfunction, "lua_iscfunction");
    BIND(openlibs, "luaL_openlibs");
    BIND(pcallk, "lua_pcallk");
#undef BIND
    return fe;
}

void luac_front53_close(luac_front53_t *fe)
{
    if (!fe)
        return;
    if (fe->lib)
        luac_lualib_close(fe->lib);
    free(fe);
}

/* Dump the function on top of L's stack and read it into the model. */
static int dump_top(luac_front53_t *fe, lua_State *L, lfs_model_t *m,
                    lfs_diag_t *d, lfs_proto_t **out)
{
    lfs_buf_t b;
    lfs_diag_t hd;
    lc53_info_t info;
    if (fe->iscfunction(L, -1))
        return lfs_fail(d, -1, LFS_EFORMAT, "the -e script returned a C"
                        " function, which cannot be compiled; return a Lua"
                        " function");
    lfs_buf_init(&b);
    fe->dump(L, luac_lualib_writer, &b, 0);
    if (b.err) {
        lfs_buf_free(&b);
        return lfs_fail(d, -1, LFS_ENOMEM, "out of memory");
    }
    lfs_diag_init(&hd, "host bytecode");
    int rc = lc53_read(b.data, b.len, LC53_STOCK, m, &hd, &info, out);
    lfs_buf_free(&b);
    if (!rc && (info.sizeof_integer != 8 || info.sizeof_number != 8))
        rc = lfs_fail(&hd, 14, LFS_EFORMAT, "%d-byte integers and %d-byte"
                      " floats", info.sizeof_integer, info.sizeof_number);
    if (rc)
        return lfs_fail(d, hd.offset, rc, "liblua5.3's bytecode is not what"
                        " luac.cross expects (%s); this Lua build is not"
                        " supported (it must have 64-bit integers and"
                        " doubles, as Debian's has)", hd.msg);
    return 0;
}

static int lua_error_text(luac_front53_t *fe, lua_State *L, lfs_diag_t *d,
                          int code)
{
    size_t n = 0;
    const char *msg = fe->tolstring(L, -1, &n);
    return luac_fail_lua_message(d, code, msg, n);
}

int luac_front53_compile(luac_front53_t *fe, const char *src, size_t len,
                         const char *chunkname, lfs_model_t *m,
                         lfs_diag_t *d, lfs_proto_t **out)
{
    lua_State *L = fe->newstate();
    if (!L)
        return lfs_fail(d, -1, LFS_ENOMEM, "not enough memory for state");
    int rc = fe->loadbufferx(L, src, len, chunkname, "t");
    if (rc)
        rc = lua_error_text(fe, L, d, LFS_EFORMAT);
    else
        rc = dump_top(fe, L, m, d, out);
    fe->close(L);
    return rc;
}

int luac_front53_run(luac_front53_t *fe, const char *path, const char *src,
                     size_t len, lfs_model_t *m, lfs_diag_t *d,
                     lfs_proto_t **out)
{
    lua_State *L = fe->newstate();
    *out = NULL;
    if (!L)
        return lfs_fail(d, -1, LFS_ENOMEM, "not enough memory for state");
    fe->openlibs(L);
    int rc;
    if (src) {
        size_t cl = strlen(path) + 2;
        char *chunk = malloc(cl);
        if (!chunk) {
            fe->close(L);
            return lfs_fail(d, -1, LFS_ENOMEM, "out of memory");
        }
        snprintf(chunk, cl, "@%s", path);
        rc = fe->loadbufferx(L, src, len, chunk, "t");
        free(chunk);
    } else {
        rc = fe->loadfilex(L, path, NULL);
    }
    if (!rc)
        rc = fe->pcallk(L, 0, 1, 0, 0, NULL);
    if (rc)
        rc = lua_error_text(fe, L, d, LFS_EFORMAT);
    else if (fe->type(L, -1) == LUA53_TFUNCTION)
        rc = dump_top(fe, L, m, d, out);
    fe->close(L);
    return rc;
}
